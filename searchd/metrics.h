/* metrics.h — request counters and latency histogram of the daemon, in Prometheus text
 * format for GET /metrics.
 *
 * Lock-free: every counter is an atomic, so recording a request costs a few atomic adds
 * on the worker thread that served it.
 */
#ifndef LZS_SEARCHD_METRICS_H
#define LZS_SEARCHD_METRICS_H

#include <stddef.h>
#include <stdint.h>

/* Routes as they appear in the "route" label. */
typedef enum {
    LZS_SD_M_SEARCH,
    LZS_SD_M_EXPORT,
    LZS_SD_M_DOC,
    LZS_SD_M_SIMILAR,
    LZS_SD_M_COMPARE,
    LZS_SD_M_FEED,
    LZS_SD_M_FILE,
    LZS_SD_M_HEALTHZ,
    LZS_SD_M_METRICS,
    LZS_SD_M_META,
    LZS_SD_M_STATIC,
    LZS_SD_M_PAGE,
    LZS_SD_M_OTHER,
    LZS_SD_M_ROUTE_COUNT
} lzs_sd_mroute_t;

/* Route label ("/api/search", "static", "other"). Static string. */
const char *lzs_sd_metrics_route_name(lzs_sd_mroute_t r);

/* Counts one finished request: a whole request head arrived and was answered (status 0:
 * the daemon took the request up but could not answer it). */
void lzs_sd_metrics_request(lzs_sd_mroute_t route, unsigned status, double seconds);
/* Counts a connection that ended without a request: closed by its client before a whole
 * request head arrived, closed at its head deadline (answered 408), to make room for
 * another, or at shutdown, or whose request never reached the daemon's handler. Not a
 * request: neither in the request counts nor in the latencies. */
void lzs_sd_metrics_closed_without_request(void);
/* Counts a connection accepted, and one of those closed at once over the caps. */
void lzs_sd_metrics_connection_accepted(void);
void lzs_sd_metrics_connection_refused(void);
/* Counts a connection closed while it sent its head, to make room for a new one from an
 * address with fewer of those (also counted as closed without a request). */
void lzs_sd_metrics_connection_evicted(void);
/* The index as the last request saw it; reopened counts a move to a new revision. */
void lzs_sd_metrics_index(uint32_t documents, uint64_t revision);
void lzs_sd_metrics_reopened(void);
/* Counts one request answered 503 busy unworked because it waited too long (shed). */
void lzs_sd_metrics_shed(void);
/* Documents and revision last recorded. */
void lzs_sd_metrics_index_get(uint32_t *documents, uint64_t *revision);
/* When the revision last recorded was committed (seconds since the Epoch; 0: unknown, an
 * index written before lzs-index recorded it), and reading it back. */
void lzs_sd_metrics_committed(int64_t when);
int64_t lzs_sd_metrics_committed_get(void);

/* Gauges the server keeps itself, read when /metrics is asked for. */
typedef struct {
    unsigned exports_running;  /* export producers running now */
    unsigned connections_open; /* connections held now, being screened or served */
    size_t columns_bytes;      /* the facet columns in memory, each copy once (the pool's) */
    size_t column_revisions;   /* index revisions they are of */
} lzs_sd_gauges_t;

/* The exposition text, with the gauges among the samples. Caller frees *out with free();
 * *len gets its length. Returns 0, or -1 when out of memory. */
int lzs_sd_metrics_render(const lzs_sd_gauges_t *gauges, char **out, size_t *len);

#endif
