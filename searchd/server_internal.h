/* server_internal.h — what the files of lzs-searchd's HTTP side share: the server and one
 * request. Private to searchd/ (server.c and the files server.h lists).
 *
 * Threads: one lzs_sd_server_t serves every pool thread of the HTTP library and every
 * export producer. Its fields are set before the library starts and only read after,
 * except the atomics. An lzs_sd_request_t belongs to the pool thread serving its
 * connection: nothing else touches it.
 */
#ifndef LZS_SEARCHD_SERVER_INTERNAL_H
#define LZS_SEARCHD_SERVER_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <microhttpd.h>

#include "conns.h"
#include "lzs/search.h"
#include "metrics.h"
#include "params.h"
#include "screen.h"
#include "server.h"

struct lzs_sd_server {
    lzs_sd_config_t cfg;
    struct MHD_Daemon *daemon;
    lzs_sd_screen_t *screen; /* accepts, screens request heads, hands them to daemon */
    lzs_sd_conns_t *conns;   /* every connection: screened, or held by the daemon */
    pthread_key_t key;       /* -> the calling pool thread's searcher (worker.h) */
    /* The facet columns every searcher of the daemon counts over (lzs_searcher_set_pool):
     * one copy per index revision, however many threads. Freed with the server, once
     * every pool thread and export producer (and so every searcher) has ended. */
    lzs_search_pool_t *pool;
    /* Connections handed to the HTTP library and not closed yet: as every answer closes
     * its connection, the requests in flight. */
    atomic_int handed;
    /* Export producer threads running: at most cfg.max_exports; the server is freed only
     * once it is back to 0, since every producer uses cfg and this counter. */
    atomic_int exports;
    uint16_t port;
    uint64_t page_version; /* lzs_sd_page_version(&cfg), part of every page's tag */
};

/* Per request: made when its request line arrives (server.c), freed when the library
 * is done with it. */
typedef struct {
    struct timespec t0;
    char *uri;         /* owned: the request target exactly as received (not unescaped) */
    int started;       /* the first call of the access handler has happened */
    unsigned queue_ms; /* how long it waited for that first call (shed.h) */
    lzs_sd_mroute_t route;
    unsigned status;         /* the status answered; 0 while none is */
    const char *retry_after; /* static string: sent as Retry-After when set */
    char method[8];
    /* Set by the dispatch (routes.h) for the handler of a route of the table: */
    const lzs_sd_params_t *params; /* borrowed: valid while the handler runs */
    const char *rest; /* borrowed from uri: the path after a prefix route, as received */
    size_t rest_len;
} lzs_sd_request_t;

#endif
