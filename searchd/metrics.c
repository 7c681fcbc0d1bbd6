/* metrics.c — counters for /metrics (see metrics.h). */
#include "metrics.h"

#include "buf.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Statuses the daemon answers with, each a class of its own (304: a conditional request
 * answered from the client's copy, which a cache's hit rate is read from; 501: the feed of
 * a daemon without --base-url); anything else is counted under "other". */
static const unsigned k_statuses[] = {200, 304, 400, 404, 405, 413, 414,
                                      431, 500, 501, 503, 505, 0};
#define NSTATUS (sizeof k_statuses / sizeof k_statuses[0])

/* Upper bounds of the latency buckets, in seconds (+Inf is implicit). */
static const double k_buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                   0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
#define NBUCKET (sizeof k_buckets / sizeof k_buckets[0])

static atomic_ullong g_requests[LZS_SD_M_ROUTE_COUNT][NSTATUS + 1];
static atomic_ullong g_buckets[NBUCKET + 1];
static atomic_ullong g_sum_us;
static atomic_ullong g_count;
static atomic_uint g_documents;
static atomic_ullong g_revision;
static atomic_llong g_committed;
static atomic_ullong g_reopens;
static atomic_ullong g_shed;
static atomic_ullong g_closed_without_request;
static atomic_ullong g_accepted;
static atomic_ullong g_refused;
static atomic_ullong g_evicted;

const char *lzs_sd_metrics_route_name(lzs_sd_mroute_t r)
{
    switch (r) {
    case LZS_SD_M_SEARCH:
        return "/api/search";
    case LZS_SD_M_EXPORT:
        return "/api/export";
    case LZS_SD_M_DOC:
        return "/api/doc";
    case LZS_SD_M_SIMILAR:
        return "/api/similar";
    case LZS_SD_M_COMPARE:
        return "/api/compare";
    case LZS_SD_M_FEED:
        return "/api/feed";
    case LZS_SD_M_FILE:
        return "/api/file";
    case LZS_SD_M_HEALTHZ:
        return "/healthz";
    case LZS_SD_M_METRICS:
        return "/metrics";
    case LZS_SD_M_META:
        return "/api/meta";
    case LZS_SD_M_STATIC:
        return "static";
    case LZS_SD_M_PAGE:
        return "/";
    case LZS_SD_M_OTHER:
    case LZS_SD_M_ROUTE_COUNT:
        break;
    }
    return "other";
}

void lzs_sd_metrics_request(lzs_sd_mroute_t route, unsigned status, double seconds)
{
    size_t si = NSTATUS;
    size_t bi = NBUCKET;
    if ((unsigned)route >= LZS_SD_M_ROUTE_COUNT)
        route = LZS_SD_M_OTHER;
    for (size_t i = 0; i < NSTATUS; i++) {
        if (k_statuses[i] == status) {
            si = i;
            break;
        }
    }
    atomic_fetch_add_explicit(&g_requests[route][si], 1, memory_order_relaxed);
    if (seconds < 0)
        seconds = 0;
    for (size_t i = 0; i < NBUCKET; i++) {
        if (seconds <= k_buckets[i]) {
            bi = i;
            break;
        }
    }
    /* Buckets are stored non-cumulative and summed when rendered. */
    atomic_fetch_add_explicit(&g_buckets[bi], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&g_sum_us, (unsigned long long)(seconds * 1e6), memory_order_relaxed);
    atomic_fetch_add_explicit(&g_count, 1, memory_order_relaxed);
}

void lzs_sd_metrics_index(uint32_t documents, uint64_t revision)
{
    atomic_store_explicit(&g_documents, documents, memory_order_relaxed);
    atomic_store_explicit(&g_revision, revision, memory_order_relaxed);
}

void lzs_sd_metrics_committed(int64_t when)
{
    atomic_store_explicit(&g_committed, (long long)when, memory_order_relaxed);
}

int64_t lzs_sd_metrics_committed_get(void)
{
    return (int64_t)atomic_load_explicit(&g_committed, memory_order_relaxed);
}

void lzs_sd_metrics_reopened(void)
{
    atomic_fetch_add_explicit(&g_reopens, 1, memory_order_relaxed);
}

void lzs_sd_metrics_shed(void)
{
    atomic_fetch_add_explicit(&g_shed, 1, memory_order_relaxed);
}

void lzs_sd_metrics_closed_without_request(void)
{
    atomic_fetch_add_explicit(&g_closed_without_request, 1, memory_order_relaxed);
}

void lzs_sd_metrics_connection_accepted(void)
{
    atomic_fetch_add_explicit(&g_accepted, 1, memory_order_relaxed);
}

void lzs_sd_metrics_connection_refused(void)
{
    atomic_fetch_add_explicit(&g_refused, 1, memory_order_relaxed);
}

void lzs_sd_metrics_connection_evicted(void)
{
    atomic_fetch_add_explicit(&g_evicted, 1, memory_order_relaxed);
}

void lzs_sd_metrics_index_get(uint32_t *documents, uint64_t *revision)
{
    *documents = atomic_load_explicit(&g_documents, memory_order_relaxed);
    *revision = atomic_load_explicit(&g_revision, memory_order_relaxed);
}

/* The HELP and TYPE lines of metric name. */
static void header(lzs_sd_buf_t *b, const char *name, const char *type, const char *help)
{
    lzs_sd_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A metric of one sample without labels: its HELP and TYPE lines and its value. */
static void sample(lzs_sd_buf_t *b, const char *name, const char *type, const char *help,
                   unsigned long long value)
{
    header(b, name, type, help);
    lzs_sd_buf_printf(b, "%s %llu\n", name, value);
}

static unsigned long long load(atomic_ullong *counter)
{
    return atomic_load_explicit(counter, memory_order_relaxed);
}

/* lzs_requests_total: a sample per route and status class that has answered any. */
static void render_requests(lzs_sd_buf_t *b)
{
    header(b, "lzs_requests_total", "counter", "HTTP requests answered, by route and status.");
    for (int r = 0; r < LZS_SD_M_ROUTE_COUNT; r++) {
        const char *route = lzs_sd_metrics_route_name((lzs_sd_mroute_t)r);
        for (size_t s = 0; s <= NSTATUS; s++) {
            unsigned long long n = load(&g_requests[r][s]);
            if (n == 0)
                continue;
            if (s == NSTATUS)
                lzs_sd_buf_printf(b, "lzs_requests_total{route=\"%s\",status=\"other\"} %llu\n",
                                  route, n);
            else
                lzs_sd_buf_printf(b, "lzs_requests_total{route=\"%s\",status=\"%u\"} %llu\n", route,
                                  k_statuses[s], n);
        }
    }
}

/* lzs_request_duration_seconds: the histogram, its buckets summed as they are read. */
static void render_latency(lzs_sd_buf_t *b)
{
    unsigned long long cum = 0;
    header(b, "lzs_request_duration_seconds", "histogram",
           "Time from request line to last byte sent.");
    for (size_t i = 0; i < NBUCKET; i++) {
        cum += load(&g_buckets[i]);
        lzs_sd_buf_printf(b, "lzs_request_duration_seconds_bucket{le=\"%g\"} %llu\n", k_buckets[i],
                          cum);
    }
    cum += load(&g_buckets[NBUCKET]);
    lzs_sd_buf_printf(b, "lzs_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
    lzs_sd_buf_printf(b, "lzs_request_duration_seconds_sum %.6f\n", (double)load(&g_sum_us) / 1e6);
    /* The count is the +Inf bucket, so the two always agree even while requests finish. */
    lzs_sd_buf_printf(b, "lzs_request_duration_seconds_count %llu\n", cum);
}

/* The index served: its size, revision, when that was committed and how long ago. */
static void render_index(lzs_sd_buf_t *b)
{
    sample(b, "lzs_index_documents", "gauge", "Passages (Xapian documents) in the index.",
           atomic_load_explicit(&g_documents, memory_order_relaxed));
    sample(b, "lzs_index_revision", "gauge", "Index revision the workers last saw.",
           load(&g_revision));
    /* Both from the same reading, so that age = scrape time - committed exactly. */
    long long committed = atomic_load_explicit(&g_committed, memory_order_relaxed);
    header(b, "lzs_index_committed_timestamp_seconds", "gauge",
           "When the revision served was committed (0: unknown).");
    lzs_sd_buf_printf(b, "lzs_index_committed_timestamp_seconds %lld\n", committed);
    header(b, "lzs_index_age_seconds", "gauge",
           "Seconds since the revision served was committed (-1: unknown).");
    lzs_sd_buf_printf(b, "lzs_index_age_seconds %lld\n",
                      committed > 0 ? (long long)time(NULL) - committed : -1LL);
    sample(b, "lzs_index_reopens_total", "counter", "Times a worker moved to a new index revision.",
           load(&g_reopens));
}

/* The facet columns: one copy per index revision, shared by the threads (the pool's). */
static void render_columns(lzs_sd_buf_t *b, const lzs_sd_gauges_t *gauges)
{
    sample(b, "lzs_columns_bytes", "gauge",
           "Bytes of the facet columns in memory, with their labels and cached counts: one "
           "copy per index revision, shared by every thread.",
           gauges->columns_bytes);
    sample(b, "lzs_column_revisions", "gauge",
           "Index revisions whose facet columns are in memory (2 while some thread has not "
           "moved to a new revision yet).",
           gauges->column_revisions);
}

/* The load: requests shed, exports streaming. */
static void render_load(lzs_sd_buf_t *b, const lzs_sd_gauges_t *gauges)
{
    sample(b, "lzs_requests_shed_total", "counter",
           "Requests answered 503 busy without being worked on: they waited longer than "
           "--max-queue-ms.",
           load(&g_shed));
    sample(b, "lzs_exports_running", "gauge", "Exports being streamed (producer threads).",
           gauges->exports_running);
}

/* The connections: held now, and how each one ended that was not a request. */
static void render_connections(lzs_sd_buf_t *b, const lzs_sd_gauges_t *gauges)
{
    sample(b, "lzs_connections_open", "gauge", "Connections held now, being screened or served.",
           gauges->connections_open);
    sample(b, "lzs_connections_accepted_total", "counter",
           "Connections accepted, those refused at once included.", load(&g_accepted));
    sample(b, "lzs_connections_refused_total", "counter",
           "Connections closed at once, unanswered: over the connection cap (no room could be "
           "made) or over their address's cap.",
           load(&g_refused));
    sample(b, "lzs_connections_evicted_total", "counter",
           "Connections closed while they sent their request head, the daemon being full, to "
           "make room for a new one from an address with at least two fewer of those.",
           load(&g_evicted));
    sample(b, "lzs_connections_closed_without_request_total", "counter",
           "Connections that ended before a whole request head arrived (closed by the client, "
           "at the head deadline, to make room, or at shutdown), or whose request never "
           "reached the handler. Not counted as requests.",
           load(&g_closed_without_request));
}

int lzs_sd_metrics_render(const lzs_sd_gauges_t *gauges, char **res, size_t *len)
{
    lzs_sd_buf_t b = {0};
    render_requests(&b);
    render_latency(&b);
    render_index(&b);
    render_columns(&b, gauges);
    render_load(&b, gauges);
    render_connections(&b, gauges);
    if (b.failed) {
        lzs_sd_buf_free(&b);
        *res = NULL;
        *len = 0;
        return -1;
    }
    *res = b.data;
    *len = b.len;
    return 0;
}
