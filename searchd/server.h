/* server.h — the HTTP side of lzs-searchd: start it, stop it.
 *
 * Connections come in through the screening (screen.h): the daemon's own listening
 * socket, where each request head is checked before libmicrohttpd reads it and good ones
 * are handed over. libmicrohttpd runs a pool of worker threads, each with its own epoll
 * loop; every answer closes its connection (reply.h). server.c starts and stops both and
 * holds the library's callbacks; each request then goes through one file per job:
 *   routes.c   the route table (a row per route: path, metric, parameters, shed or not,
 *              handler), the dispatch, the pages of --web;
 *   shed.c     load shedding: a request that searches and waited longer than
 *              max_queue_ms in the server's queue is answered 503 busy unworked;
 *   api.c      /api/search, /api/doc/{id}, /api/similar/{id}: one library call, JSON;
 *   file.c     /api/file/{id}/{n}: a file of the corpus;
 *   export.c   /api/export, streamed by a producer thread through a pipe (rows.c: the
 *              CSV and JSON bodies); at most max_exports at once;
 *   health.c   /healthz and /metrics;
 *   worker.c   each worker's own lzs_searcher_t (Xapian handles are not thread-safe),
 *              moved to the latest index revision before every request, so a commit by
 *              the indexer is seen without a restart; while no index can be opened, API
 *              routes answer 503 and every later request tries again;
 *   respond.c  responses, JSON errors, and the HTTP status of each library failure.
 * A library call that finds the index changed under it is tried again by the library
 * (search.h), never by the daemon. server_internal.h holds the server and request
 * structures these files share.
 */
#ifndef LZS_SEARCHD_SERVER_H
#define LZS_SEARCHD_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "bounds.h"
#include "lzs/extract.h"
#include "lzs/status.h"
#include "webfiles.h"

typedef struct {
    const char *index_dir;         /* borrowed: valid until the server is stopped; the first of
                                      index_dirs */
    const char *const *index_dirs; /* nindex >= 1 indexes searched as one (--index given
                                      several times); borrowed like index_dir */
    size_t nindex;
    const char *const *index_names; /* the collection name of each of index_dirs (--index
                                     NAME=PATH; NULL or NULL entries: unnamed); borrowed
                                     like index_dir */
    const lzs_extractor_t *ex;    /* borrowed: valid until the server is stopped */
    const lzs_sd_web_t *web;      /* borrowed: valid until the server is stopped */
    struct sockaddr_storage addr; /* where to listen (AF_INET or AF_INET6) */
    unsigned threads;             /* worker threads, >= 1 */
    unsigned max_exports;         /* exports streamed at once; 0: LZS_SD_MAX_EXPORTS */
    unsigned max_queue_ms;        /* longest wait in the server's queue before a request that
                                     searches is answered 503 busy unworked; 0: never shed */
    unsigned max_postings;        /* postings the prefixes and OR lists of a query may read
                                     (lzs_searcher_set_max_postings); 0: no limit */
    unsigned max_expansion;       /* terms the prefixes of a query may expand to
                                     (lzs_searcher_set_max_expansion); 0:
                                     LZS_SEARCH_MAX_WILDCARD */
    unsigned head_timeout;        /* seconds from accept to a whole request head (and body);
                                     0: LZS_SD_HEAD_TIMEOUT */
    const char *base_url;         /* absolute http(s) address of the search page, without a
                                     trailing '/', for the links of /api/feed; NULL: the feed
                                     answers 501 (borrowed: valid until the server stops) */
    unsigned parallel_postings;   /* a query over this many postings has its match set
                                     read on a second thread (lzs_searcher_set_parallel);
                                     0: one thread */
    unsigned per_address;         /* connections one client address may hold at once
                                     (conns.h); 0: no limit but the total */
    unsigned max_age;             /* /healthz answers 503 stale when the revision served was
                                     committed longer ago, in seconds; 0: never */
} lzs_sd_config_t;

typedef struct lzs_sd_server lzs_sd_server_t;

/* Starts listening and serving. *errmsg (may be NULL) says why not: caller frees with
 * free(). Caller stops and frees *out with lzs_sd_server_stop(). */
lzs_status_t lzs_sd_server_start(const lzs_sd_config_t *cfg, lzs_sd_server_t **out, char **errmsg);
/* The port actually bound (the one chosen by the system when the config said 0). */
uint16_t lzs_sd_server_port(const lzs_sd_server_t *srv);
/* Stops accepting and closes the connections still sending their heads, lets requests in
 * flight finish (up to LZS_SD_FINISH_SECONDS), stops the workers (which close their
 * searchers and every connection), waits for the export producers to end (with their
 * connections closed they stop at their next write) until a second before
 * LZS_SD_GRACE_SECONDS have passed, and frees srv. NULL is a no-op. */
void lzs_sd_server_stop(lzs_sd_server_t *srv);

#endif
