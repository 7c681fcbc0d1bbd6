/* screen.h — the door of lzs-searchd: its listening socket, and the screening of each
 * connection's request head before the HTTP library sees a byte of it.
 *
 * libmicrohttpd 0.9.75 answers some malformed requests with fixed HTML pages of its own,
 * sends some status lines twice, cuts a request target at a NUL byte, takes the first of
 * two Content-Length headers, and keeps a connection whose head trickles in for as long
 * as bytes keep coming. So the daemon accepts connections itself, in one screening thread
 * (epoll over every connection still being screened, never a thread per client), and
 * peeks at each one's head (recv with MSG_PEEK: no byte is consumed) until the blank line
 * that ends it, and the announced body after it, have arrived. Then:
 *   - a head that breaks the rules below is answered by the screening thread itself,
 *     with the daemon's JSON error and security headers (reply.h), and the connection is
 *     closed; a target too long (414) for the page's route ("/", routes.h) is answered
 *     with the page's HTML error page instead (page.h), as that route's other refusals
 *     are: it is what a reader who pasted a long search address sees;
 *   - a good one is handed to the HTTP library (the handoff callback, which calls
 *     MHD_add_connection), which reads it from the socket as if it had accepted it;
 *   - a head (and body) not all there --head-timeout seconds after the connection was
 *     accepted is answered 408 and closed; a client that closes before is just closed.
 * Every answer closes its connection (reply.h), so every request a connection carries is
 * the first: each is screened. The rules a head must keep are head.h's.
 */
#ifndef LZS_SEARCHD_SCREEN_H
#define LZS_SEARCHD_SCREEN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "conns.h"
#include "head.h"
#include "lzs/status.h"
#include "webfiles.h"

/* Hands a screened connection to the HTTP library, which takes the socket (and closes
 * it); called on the screening thread. addr is borrowed for the call. */
typedef void (*lzs_sd_handoff_fn)(void *cls, int fd, const struct sockaddr *addr,
                                  socklen_t addrlen);

typedef struct {
    struct sockaddr_storage addr; /* where to listen (AF_INET or AF_INET6; port 0: any) */
    unsigned head_timeout;        /* seconds from accept to a whole head (and body) */
    lzs_sd_conns_t *conns;        /* borrowed: valid until lzs_sd_screen_stop() returns */
    const lzs_sd_web_t *web;      /* borrowed like conns: the page's files (NULL: none), for
                                     the HTML refusals of the page's route */
    lzs_sd_handoff_fn handoff;
    void *cls; /* passed to handoff */
} lzs_sd_screen_config_t;

typedef struct lzs_sd_screen lzs_sd_screen_t;

/* Listens and starts the screening thread. *errmsg (may be NULL) says why not: caller
 * frees with free(). Caller stops and frees *out with lzs_sd_screen_stop(). */
lzs_status_t lzs_sd_screen_start(const lzs_sd_screen_config_t *cfg, lzs_sd_screen_t **out,
                                 char **errmsg);
/* The port listened on. */
uint16_t lzs_sd_screen_port(const lzs_sd_screen_t *scr);
/* Stops listening, closes every connection still being screened (counted as closed
 * without a request), ends the thread and frees scr. Connections already handed over are
 * the HTTP library's. NULL is a no-op. */
void lzs_sd_screen_stop(lzs_sd_screen_t *scr);

#endif
