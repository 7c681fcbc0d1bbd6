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
    LZS_SD_M_HEALTHZ,
    LZS_SD_M_METRICS,
    LZS_SD_M_STATIC,
    LZS_SD_M_OTHER,
    LZS_SD_M_ROUTE_COUNT
} lzs_sd_mroute_t;

/* Route label ("/api/search", "static", "other"). Static string. */
const char *lzs_sd_metrics_route_name(lzs_sd_mroute_t r);

/* Counts one finished request. status 0 means the connection ended before an answer. */
void lzs_sd_metrics_request(lzs_sd_mroute_t route, unsigned status, double seconds);
/* The index as the last request saw it; reopened counts a move to a new revision. */
void lzs_sd_metrics_index(uint32_t documents, uint64_t revision);
void lzs_sd_metrics_reopened(void);
/* Counts one request answered 503 busy unworked because it waited too long (shed). */
void lzs_sd_metrics_shed(void);
/* Documents and revision last recorded. */
void lzs_sd_metrics_index_get(uint32_t *documents, uint64_t *revision);

/* The exposition text, with exports_running (export producers running now, a gauge the
 * server keeps) among the samples. Caller frees *out with free(); *len gets its length.
 * Returns 0, or -1 when out of memory. */
int lzs_sd_metrics_render(unsigned exports_running, char **out, size_t *len);

#endif
