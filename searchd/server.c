/* server.c — lzs-searchd's HTTP side: starting and stopping the HTTP library and the
 * screening, and the library's callbacks, which hand each request to the route table
 * (see server.h). */
#include "server.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "lzs/file.h"
#include "page.h"
#include "respond.h"
#include "routes.h"
#include "server_internal.h"
#include "shed.h"
#include "worker.h"

static double elapsed_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- libmicrohttpd callbacks ---------------------------------------------------- */

/* 1 when the client sent "Expect: 100-continue" with a body it waits to be asked for. */
static int body_awaits_continue(struct MHD_Connection *c)
{
    const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return expect && strcasecmp(expect, "100-continue") == 0 && cl && strcmp(cl, "0") != 0;
}

/* The first call of the access handler for rq: 405 for a method other than GET and HEAD;
 * else the answer now when a body waits to be asked for, or later (MHD_YES). */
static enum MHD_Result first_call(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                  lzs_sd_request_t *rq, const char *method)
{
    rq->started = 1;
    rq->queue_ms = lzs_sd_shed_queue_ms(c);
    snprintf(rq->method, sizeof rq->method, "%s", method);
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        /* The method is echoed only when it is a plain token (the body is JSON). */
        int plain = strlen(method) <= 20 &&
                    strspn(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_") == strlen(method);
        return lzs_sd_respond_error(c, rq, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                                    "method %s is not allowed: use GET or HEAD",
                                    plain ? method : "of this request");
    }
    /* A body the client has not sent yet is never asked for: the request is answered now
     * (the library then closes the connection, as it does after every answer). */
    if (body_awaits_continue(c))
        return lzs_sd_dispatch(srv, c, rq);
    /* Otherwise answered on the next call, once the request (and any small body, which is
     * dropped) has been read: a response queued now would close the connection before the
     * body is read, and the client could lose the answer to a reset. */
    return MHD_YES;
}

/* The request head was screened before the library read it (screen.h): its shape, sizes,
 * Content-Length and Transfer-Encoding are known to be good here. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    lzs_sd_server_t *srv = cls;
    lzs_sd_request_t *rq = *con_cls;
    (void)url;
    (void)version;
    (void)upload_data;
    if (!rq)
        return MHD_NO; /* the request line callback always sets it */
    if (!rq->started)
        return first_call(srv, c, rq, method);
    if (*upload_data_size) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    return lzs_sd_dispatch(srv, c, rq);
}

static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *c)
{
    lzs_sd_request_t *rq = calloc(1, sizeof *rq);
    (void)cls;
    (void)c;
    if (!rq)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &rq->t0);
    /* Never NULL after screening (the request line always has a target); kept safe. */
    rq->uri = strdup(uri ? uri : "");
    if (!rq->uri) {
        free(rq);
        return NULL;
    }
    rq->route = LZS_SD_M_OTHER;
    return rq;
}

/* Counts a request answered (or not) in /metrics and logs one line for it. */
static void log_request(const lzs_sd_request_t *rq)
{
    double secs = elapsed_since(&rq->t0);
    lzs_sd_metrics_request(rq->route, rq->status, secs);
    /* The query string is left out of the log on purpose. */
    size_t plen = strcspn(rq->uri, "?");
    char status[16] = "-"; /* no answer: the handler failed (out of memory) */
    if (rq->status)
        snprintf(status, sizeof status, "%u", rq->status);
    fprintf(stderr, "lzs-searchd: %s %.*s %s %.1f ms\n", rq->method[0] ? rq->method : "-",
            (int)(plen > 200 ? 200 : plen), rq->uri, status, secs * 1e3);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    lzs_sd_request_t *rq = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (!rq)
        return;
    if (!rq->started) {
        /* The library read the request but the handler never took it up (the client
         * went away first): no request of the daemon's, no answer. */
        lzs_sd_metrics_closed_without_request();
    } else {
        log_request(rq);
    }
    free(rq->uri);
    free(rq);
    *con_cls = NULL;
}

/* The library closed a connection the screening handed it: its place is free. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    lzs_sd_server_t *srv = cls;
    (void)socket_context;
    if (toe != MHD_CONNECTION_NOTIFY_CLOSED)
        return;
    const union MHD_ConnectionInfo *addr =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (addr && addr->client_addr) {
        socklen_t len = addr->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                                 : sizeof(struct sockaddr_in);
        lzs_sd_conns_release(srv->conns, addr->client_addr, len);
    }
    atomic_fetch_sub(&srv->handed, 1);
}

/* Called by the screening thread with a connection whose head is whole and good. */
static void hand_over(void *cls, int fd, const struct sockaddr *addr, socklen_t addrlen)
{
    lzs_sd_server_t *srv = cls;
    atomic_fetch_add(&srv->handed, 1);
    if (MHD_add_connection(srv->daemon, fd, addr, addrlen) != MHD_YES) {
        /* The library closed the socket; nothing will notify its end. */
        fprintf(stderr, "lzs-searchd: the HTTP library refused a connection: %s\n",
                strerror(errno));
        atomic_fetch_sub(&srv->handed, 1);
        lzs_sd_conns_release(srv->conns, addr, addrlen);
        lzs_sd_metrics_closed_without_request();
    }
}

__attribute__((format(printf, 2, 0))) static void on_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("lzs-searchd: http: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ---- lifecycle ------------------------------------------------------------------ */

static void server_free(lzs_sd_server_t *srv)
{
    lzs_sd_conns_destroy(srv->conns);
    pthread_key_delete(srv->key);
    lzs_search_pool_destroy(srv->pool);
    free(srv);
}

/* Starts the HTTP library's pool threads, with no listening socket of their own. */
static struct MHD_Daemon *start_library(lzs_sd_server_t *srv)
{
    unsigned threads = srv->cfg.threads;
    /* The library gets its connections from the screening only. Its own cap is set so
     * high (each pool thread could take every connection) that it never refuses one: the
     * caps are conns.h's, counted from accept on. */
    return MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET,
        0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)LZS_SD_CONN_LIMIT * (threads + 1), MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)LZS_SD_CONN_TIMEOUT, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)LZS_SD_CONN_MEMORY, MHD_OPTION_URI_LOG_CALLBACK, on_request_line, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        srv, MHD_OPTION_END);
}

/* Starts listening and screening, handing good connections to the library. */
static lzs_status_t start_screen(lzs_sd_server_t *srv, char **errmsg)
{
    lzs_sd_screen_config_t sc;
    memset(&sc, 0, sizeof sc);
    sc.addr = srv->cfg.addr;
    sc.head_timeout = srv->cfg.head_timeout;
    sc.conns = srv->conns;
    sc.web = srv->cfg.web;
    sc.handoff = hand_over;
    sc.cls = srv;
    char *msg = NULL;
    lzs_status_t st = lzs_sd_screen_start(&sc, &srv->screen, &msg);
    if (st != LZS_OK)
        lzs_set_errmsg(errmsg, "cannot listen: %s", msg ? msg : lzs_status_str(st));
    free(msg);
    return st;
}

lzs_status_t lzs_sd_server_start(const lzs_sd_config_t *cfg, lzs_sd_server_t **out, char **errmsg)
{
    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    lzs_sd_server_t *srv = calloc(1, sizeof *srv);
    if (!srv)
        return LZS_ERR_NOMEM;
    srv->cfg = *cfg;
    if (srv->cfg.max_exports == 0)
        srv->cfg.max_exports = LZS_SD_MAX_EXPORTS;
    if (srv->cfg.head_timeout == 0)
        srv->cfg.head_timeout = LZS_SD_HEAD_TIMEOUT;
    srv->page_version = lzs_sd_page_version(&srv->cfg);
    if (lzs_sd_worker_key_create(&srv->key) != LZS_OK) {
        free(srv);
        return LZS_ERR_NOMEM;
    }
    if (lzs_search_pool_create(&srv->pool) != LZS_OK) {
        server_free(srv);
        return LZS_ERR_NOMEM;
    }
    if (lzs_sd_conns_create(LZS_SD_CONN_LIMIT, srv->cfg.per_address, &srv->conns) != LZS_OK) {
        server_free(srv);
        return LZS_ERR_NOMEM;
    }
    srv->daemon = start_library(srv);
    if (!srv->daemon) {
        int e = errno;
        lzs_set_errmsg(errmsg, "cannot start the HTTP library: %s",
                       e ? strerror(e) : "unknown error");
        server_free(srv);
        return LZS_ERR_IO;
    }
    lzs_status_t st = start_screen(srv, errmsg);
    if (st != LZS_OK) {
        MHD_stop_daemon(srv->daemon);
        server_free(srv);
        return st;
    }
    srv->port = lzs_sd_screen_port(srv->screen);
    *out = srv;
    return LZS_OK;
}

uint16_t lzs_sd_server_port(const lzs_sd_server_t *srv)
{
    return srv->port;
}

/* Waits while *count is above 0, until `seconds` have passed since t0. */
static void wait_for_zero(atomic_int *count, const struct timespec *t0, double seconds)
{
    while (atomic_load(count) > 0 && elapsed_since(t0) < seconds) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

void lzs_sd_server_stop(lzs_sd_server_t *srv)
{
    if (!srv)
        return;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* No new connection; those still sending their heads are closed at once: they have
     * asked for nothing yet. */
    lzs_sd_screen_stop(srv->screen);
    /* Requests already received may finish for a while. */
    wait_for_zero(&srv->handed, &t0, LZS_SD_FINISH_SECONDS);
    MHD_stop_daemon(srv->daemon);
    /* Every export connection is closed now, so each producer fails its next write with
     * EPIPE and ends; srv must outlive them all. A second before the promised end is
     * kept for the process to exit. */
    wait_for_zero(&srv->exports, &t0, LZS_SD_GRACE_SECONDS - 1);
    int left = atomic_load(&srv->exports);
    if (left > 0) {
        /* Freeing srv under a running producer would be worse than leaving it. */
        fprintf(stderr, "lzs-searchd: %d export(s) still running at exit\n", left);
        return;
    }
    server_free(srv);
}
