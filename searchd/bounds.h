/* bounds.h — the limits of lzs-searchd: requests, connections, time (docs/api.md,
 * "Limits"; docs/robustness.md, "The daemon under a hostile review"). */
#ifndef LZS_SEARCHD_BOUNDS_H
#define LZS_SEARCHD_BOUNDS_H

/* A request. */
#define LZS_SD_MAX_URI 8192      /* bytes of request target: 414 beyond */
#define LZS_SD_MAX_HEADERS 16384 /* bytes of the header lines of a request: 431 beyond */
#define LZS_SD_MAX_BODY 1024     /* bytes of a request body: 413 beyond */

/* Connections. The cap counts every connection, screened or served; at the cap, a new
 * connection may take the place of one still sending its head from the address with the
 * most of those (screen.c). */
#define LZS_SD_CONN_LIMIT 256 /* open connections */
#define LZS_SD_PER_IP_LIMIT                                                                        \
    32                                   /* --connections-per-address by default: open             \
                                            connections from one address (0: no limit) */
#define LZS_SD_CONN_MEMORY (256u * 1024) /* per-connection memory of the HTTP library */

/* Time. */
#define LZS_SD_HEAD_TIMEOUT                                                                        \
    10                                /* --head-timeout by default: seconds from accept to a       \
                                         whole request head (and body): 408 beyond */
#define LZS_SD_HEAD_TIMEOUT_LIMIT 600 /* the most --head-timeout accepts */
#define LZS_SD_DRAIN_SECONDS                                                                       \
    2                           /* after the daemon answers a head it refused, it reads            \
                                   and drops what the client still sends, this long at             \
                                   most, so that its answer is not lost to a reset */
#define LZS_SD_CONN_TIMEOUT 30  /* seconds a served connection may stay idle */
#define LZS_SD_GRACE_SECONDS 10 /* SIGTERM: the daemon has exited within this */
#define LZS_SD_FINISH_SECONDS 5 /* SIGTERM: requests in flight may finish within this */

/* Work. */
#define LZS_SD_MAX_INDEXES 16                /* --index given this many times at most */
#define LZS_SD_MAX_EXPORTS 4                 /* exports streamed at once by default: 503 beyond */
#define LZS_SD_MAX_EXPORTS_LIMIT 64          /* the most --max-exports accepts */
#define LZS_SD_MAX_QUEUE_MS 500              /* --max-queue-ms by default */
#define LZS_SD_MAX_QUEUE_MS_LIMIT 60000      /* the most --max-queue-ms accepts */
#define LZS_SD_MAX_POSTINGS_LIMIT 1000000000 /* the most --max-postings accepts */
#define LZS_SD_MAX_EXPANSION_LIMIT 100000    /* the most --max-expansion accepts */

#endif
