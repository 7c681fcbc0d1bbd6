/* shed.c — the time a request waited, and 503 busy for one that waited too long
 * (see shed.h). */
#include "shed.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "metrics.h"
#include "respond.h"

unsigned lzs_sd_shed_queue_ms(struct MHD_Connection *c)
{
#if defined(__linux__) && defined(TCP_INFO)
    const union MHD_ConnectionInfo *addr =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!addr || !addr->client_addr || !fd)
        return 0;
    if (addr->client_addr->sa_family != AF_INET && addr->client_addr->sa_family != AF_INET6)
        return 0;
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    if (getsockopt(fd->connect_fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
        return 0;
    /* An older kernel may fill less of the structure than this header describes. */
    if (len < offsetof(struct tcp_info, tcpi_last_data_recv) + sizeof ti.tcpi_last_data_recv)
        return 0;
    return ti.tcpi_last_data_recv;
#else
    (void)c;
    return 0;
#endif
}

int lzs_sd_shed(lzs_sd_server_t *srv, struct MHD_Connection *c, lzs_sd_request_t *rq,
                enum MHD_Result *res)
{
    char why[160];
    if (srv->cfg.max_queue_ms == 0 || rq->queue_ms <= srv->cfg.max_queue_ms)
        return 0;
    lzs_sd_metrics_shed();
    snprintf(why, sizeof why, "the request waited %u ms in the server's queue (limit %u ms)",
             rq->queue_ms, srv->cfg.max_queue_ms);
    *res = lzs_sd_respond_busy(c, rq, why);
    return 1;
}
