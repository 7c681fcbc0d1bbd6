/* metrics.c — counters for /metrics (see metrics.h). */
#include "metrics.h"

#include "buf.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Statuses the daemon answers with; anything else is counted under "other". */
static const unsigned k_statuses[] = {200, 400, 404, 405, 413, 414, 431, 500, 503, 505, 0};
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

int lzs_sd_metrics_render(const lzs_sd_gauges_t *gauges, char **res, size_t *len)
{
    lzs_sd_buf_t b = {0};
    unsigned long long cum = 0;

    lzs_sd_buf_printf(&b, "# HELP lzs_requests_total HTTP requests answered, by route and status.\n"
                          "# TYPE lzs_requests_total counter\n");
    for (int r = 0; r < LZS_SD_M_ROUTE_COUNT; r++) {
        for (size_t s = 0; s <= NSTATUS; s++) {
            unsigned long long n = atomic_load_explicit(&g_requests[r][s], memory_order_relaxed);
            if (n == 0)
                continue;
            if (s == NSTATUS)
                lzs_sd_buf_printf(&b, "lzs_requests_total{route=\"%s\",status=\"other\"} %llu\n",
                                  lzs_sd_metrics_route_name((lzs_sd_mroute_t)r), n);
            else
                lzs_sd_buf_printf(&b, "lzs_requests_total{route=\"%s\",status=\"%u\"} %llu\n",
                                  lzs_sd_metrics_route_name((lzs_sd_mroute_t)r), k_statuses[s], n);
        }
    }
    lzs_sd_buf_printf(
        &b, "# HELP lzs_request_duration_seconds Time from request line to last byte sent.\n"
            "# TYPE lzs_request_duration_seconds histogram\n");
    for (size_t i = 0; i < NBUCKET; i++) {
        cum += atomic_load_explicit(&g_buckets[i], memory_order_relaxed);
        lzs_sd_buf_printf(&b, "lzs_request_duration_seconds_bucket{le=\"%g\"} %llu\n", k_buckets[i],
                          cum);
    }
    cum += atomic_load_explicit(&g_buckets[NBUCKET], memory_order_relaxed);
    lzs_sd_buf_printf(&b, "lzs_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
    lzs_sd_buf_printf(&b, "lzs_request_duration_seconds_sum %.6f\n",
                      (double)atomic_load_explicit(&g_sum_us, memory_order_relaxed) / 1e6);
    /* The count is the +Inf bucket, so the two always agree even while requests finish. */
    lzs_sd_buf_printf(&b, "lzs_request_duration_seconds_count %llu\n", cum);
    lzs_sd_buf_printf(&b,
                      "# HELP lzs_index_documents Passages (Xapian documents) in the index.\n"
                      "# TYPE lzs_index_documents gauge\n"
                      "lzs_index_documents %u\n",
                      atomic_load_explicit(&g_documents, memory_order_relaxed));
    lzs_sd_buf_printf(&b,
                      "# HELP lzs_index_revision Index revision the workers last saw.\n"
                      "# TYPE lzs_index_revision gauge\n"
                      "lzs_index_revision %llu\n",
                      atomic_load_explicit(&g_revision, memory_order_relaxed));
    /* Both from the same reading, so that age = scrape time - committed exactly. */
    long long committed = atomic_load_explicit(&g_committed, memory_order_relaxed);
    lzs_sd_buf_printf(&b,
                      "# HELP lzs_index_committed_timestamp_seconds When the revision served "
                      "was committed (0: unknown).\n"
                      "# TYPE lzs_index_committed_timestamp_seconds gauge\n"
                      "lzs_index_committed_timestamp_seconds %lld\n",
                      committed);
    lzs_sd_buf_printf(&b,
                      "# HELP lzs_index_age_seconds Seconds since the revision served was "
                      "committed (-1: unknown).\n"
                      "# TYPE lzs_index_age_seconds gauge\n"
                      "lzs_index_age_seconds %lld\n",
                      committed > 0 ? (long long)time(NULL) - committed : -1LL);
    lzs_sd_buf_printf(
        &b,
        "# HELP lzs_index_reopens_total Times a worker moved to a new index revision.\n"
        "# TYPE lzs_index_reopens_total counter\n"
        "lzs_index_reopens_total %llu\n",
        atomic_load_explicit(&g_reopens, memory_order_relaxed));
    lzs_sd_buf_printf(&b,
                      "# HELP lzs_requests_shed_total Requests answered 503 busy without being "
                      "worked on: they waited longer than --max-queue-ms.\n"
                      "# TYPE lzs_requests_shed_total counter\n"
                      "lzs_requests_shed_total %llu\n",
                      atomic_load_explicit(&g_shed, memory_order_relaxed));
    lzs_sd_buf_printf(&b,
                      "# HELP lzs_exports_running Exports being streamed (producer threads).\n"
                      "# TYPE lzs_exports_running gauge\n"
                      "lzs_exports_running %u\n",
                      gauges->exports_running);
    lzs_sd_buf_printf(&b,
                      "# HELP lzs_connections_open Connections held now, being screened or "
                      "served.\n"
                      "# TYPE lzs_connections_open gauge\n"
                      "lzs_connections_open %u\n",
                      gauges->connections_open);
    lzs_sd_buf_printf(&b,
                      "# HELP lzs_connections_accepted_total Connections accepted, those "
                      "refused at once included.\n"
                      "# TYPE lzs_connections_accepted_total counter\n"
                      "lzs_connections_accepted_total %llu\n",
                      atomic_load_explicit(&g_accepted, memory_order_relaxed));
    lzs_sd_buf_printf(&b,
                      "# HELP lzs_connections_refused_total Connections closed at once, "
                      "unanswered: over the connection cap (no room could be made) or over "
                      "their address's cap.\n"
                      "# TYPE lzs_connections_refused_total counter\n"
                      "lzs_connections_refused_total %llu\n",
                      atomic_load_explicit(&g_refused, memory_order_relaxed));
    lzs_sd_buf_printf(&b,
                      "# HELP lzs_connections_evicted_total Connections closed while they "
                      "sent their request head, the daemon being full, to make room for a "
                      "new one from an address with at least two fewer of those.\n"
                      "# TYPE lzs_connections_evicted_total counter\n"
                      "lzs_connections_evicted_total %llu\n",
                      atomic_load_explicit(&g_evicted, memory_order_relaxed));
    lzs_sd_buf_printf(&b,
                      "# HELP lzs_connections_closed_without_request_total Connections that "
                      "ended before a whole request head arrived (closed by the client, at "
                      "the head deadline, to make room, or at shutdown), or whose request "
                      "never reached the handler. Not counted as requests.\n"
                      "# TYPE lzs_connections_closed_without_request_total counter\n"
                      "lzs_connections_closed_without_request_total %llu\n",
                      atomic_load_explicit(&g_closed_without_request, memory_order_relaxed));
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
