/* bench_search.c — lzs-bench-search: indexing throughput and query latency of lzs_search,
 * side by side with a plain-Xapian baseline (baseline.cc) on the same index.
 *
 *   lzs-bench-search --index DIR [--corpus DIR] [--rebuild] [--jobs N] [--reps N]
 *                    [--size N] [--snippet N] [--min-passages N] [--max-postings N]
 *                    [--max-expansion N] [--parallel-postings N]
 *
 * With --corpus the corpus is indexed first (lzs_index_run) and the run's passages/s and
 * MB/s are printed. Then every request of the fixed mix (words, phrases, prefixes,
 * synonyms, filters, facets, grouping, sorting; snippets on every hit) runs --reps times
 * through lzs_search_run() and through the baseline, interleaved so that both see the same
 * cache state; each run includes serializing the answer to JSON. Printed: per request the
 * medians and totals of both, then p50/p90/p99 over all runs and the ratio of the p50s.
 * Then the same for a second table of broad requests (a very common word, several, a short
 * prefix, browsing everything grouped) and the memory the search kept: growth of the
 * process's resident size against the bytes of the facet columns and cached counts.
 * A request the cost limit refuses (a prefix or OR list over --max-postings or
 * --max-expansion, lzs_search's defaults unless given; 0: no limit) is printed as refused,
 * with the time the refusal took and the baseline's time to answer it, and left out of
 * p50/p90/p99 (which compare answers with answers). --parallel-postings sets
 * lzs_searcher_set_parallel (0: every request on one thread); lzs_search's default unless
 * given.
 * A program that prints figures, not a test: it never judges them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "lzs/extract.h"
#include "lzs/index.h"
#include "lzs/search.h"

static const bench_query_t mix[] = {
    {"word", "children", {NULL}, 0, 0, 0},
    {"two words", "recommendations victims", {NULL}, 0, 0, 0},
    {"hyphenated", "international co-operation", {NULL}, 0, 0, 0},
    {"phrase", "\"sexual abuse\"", {NULL}, 0, 0, 0},
    {"long phrase", "\"child sexual abuse material\"", {NULL}, 0, 0, 0},
    {"prefix", "ratif*", {NULL}, 0, 0, 0},
    {"synonym", "child pornography", {NULL}, 0, 0, 0},
    {"or", "prevention OR prosecution", {NULL}, 0, 0, 0},
    {"not", "children -online", {NULL}, 0, 0, 0},
    {"word+party", "protection", {"party=NO"}, 0, 0, 0},
    {"word+article", "victims", {"article=38"}, 0, 0, 0},
    {"word+year range", "abuse", {"year=2015..2019"}, 0, 0, 0},
    {"browse level", "", {"level=require"}, 0, 0, 0},
    {"browse level+addressee", "", {"level=require", "addressee=NO"}, 0, 0, 0},
    {"french", "coopération", {"lang=fr"}, 0, 0, 0},
    {"facets", "children", {NULL}, LZS_FACET_ALL, 0, 0},
    {"facets+filter", "committee", {"type=factsheet"}, LZS_FACET_ALL, 0, 0},
    {"grouped+facets", "co-operation", {NULL}, LZS_FACET_ALL, 1, 0},
    {"newest", "committee", {NULL}, 0, 0, LZS_SORT_NEWEST},
    {"browse facets", "", {NULL}, LZS_FACET_ALL, 0, 0},
};
#define NMIX (sizeof mix / sizeof mix[0])

/* Requests whose match sets are a large part of the index (issue 20). */
static const bench_query_t broad[] = {
    {"child", "child", {NULL}, 0, 0, 0},
    {"the", "the", {NULL}, 0, 0, 0},
    {"the+facets", "the", {NULL}, LZS_FACET_ALL, 0, 0},
    {"or of three", "child OR children OR the", {NULL}, LZS_FACET_ALL, 0, 0},
    {"prefix a*", "a*", {NULL}, 0, 0, 0},
    {"browse grouped", "", {NULL}, LZS_FACET_ALL, 1, 0},
    {"browse lang", "", {"lang=fr"}, LZS_FACET_ALL, 0, 0},
};
#define NBROAD (sizeof broad / sizeof broad[0])

/* The process's resident size in bytes (Linux), 0 when unknown. */
static size_t resident_bytes(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    size_t kb = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %zu kB", &kb) == 1)
            break;
    fclose(f);
    return kb * 1024;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* q-quantile (0..1) of n sorted values, nearest rank. */
static double quantile(const double *v, size_t n, double q)
{
    if (n == 0)
        return 0;
    size_t k = (size_t)(q * (double)n + 0.999999);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return v[k - 1];
}

typedef struct {
    lzs_search_req_t req;
    const char *vals[LZS_F_COUNT][BENCH_MAX_FILTERS];
    char buf[BENCH_MAX_FILTERS][128];
} lreq_t;

static int make_req(const bench_query_t *q, uint32_t size, uint32_t snippet, lreq_t *r)
{
    memset(r, 0, sizeof *r);
    lzs_search_req_init(&r->req);
    r->req.q = q->q;
    r->req.size = size;
    r->req.snippet_chars = snippet;
    r->req.facets = q->facets;
    r->req.group = q->group ? LZS_GROUP_DOCUMENT : LZS_GROUP_PASSAGE;
    r->req.sort = (lzs_sort_t)q->sort;
    for (int f = 0; f < LZS_F_COUNT; f++)
        r->req.values[f] = r->vals[f];
    for (int i = 0; i < BENCH_MAX_FILTERS && q->filters[i]; i++) {
        snprintf(r->buf[i], sizeof r->buf[i], "%s", q->filters[i]);
        char *eq = strchr(r->buf[i], '=');
        if (!eq)
            return -1;
        *eq = '\0';
        int f = lzs_search_field_from_name(r->buf[i]);
        if (f < 0)
            return -1;
        r->vals[f][r->req.nvalues[f]++] = eq + 1;
    }
    return 0;
}

/* Runs every request of qs reps times through both, printing per request the medians and
 * then p50/p90/p99 over all runs of the requests answered. Returns 1 when a request failed
 * other than by the cost limit. */
static int run_table(const char *title, const bench_query_t *qs, size_t nq, lzs_searcher_t *s,
                     bench_baseline_t *base, unsigned reps, unsigned size, unsigned snippet)
{
    double *all_l = malloc(nq * reps * sizeof *all_l);
    double *all_b = malloc(nq * reps * sizeof *all_b);
    double *one_l = malloc(reps * sizeof *one_l);
    double *one_b = malloc(reps * sizeof *one_b);
    if (!all_l || !all_b || !one_l || !one_b)
        return 1;
    size_t nall = 0;
    printf("%-24s %12s %12s %7s %10s %10s\n", title, "lzs p50 ms", "xapian p50", "ratio",
           "lzs total", "xap total");
    int failed = 0;
    for (size_t qi = 0; qi < nq; qi++) {
        lreq_t r;
        if (make_req(&qs[qi], size, snippet, &r) != 0) {
            fprintf(stderr, "bad filter in request %s\n", qs[qi].name);
            return 1;
        }
        json_int_t ltotal = -1;
        uint32_t btotal = 0;
        int refused = 0;
        for (unsigned rep = 0; rep <= reps; rep++) {
            /* rep 0 warms both up and is not counted */
            double t0 = now_ms();
            json_t *out = NULL;
            lzs_search_error_t err;
            lzs_status_t st = lzs_search_run(s, &r.req, &out, &err);
            if (st == LZS_OK) {
                char *dump = json_dumps(out, JSON_COMPACT);
                free(dump);
                ltotal = json_integer_value(json_object_get(out, "total"));
                json_decref(out);
            } else if (st == LZS_ERR_LIMIT && err.cost.known) {
                if (rep == 0)
                    printf("%-24s refused: %s\n", qs[qi].name, err.message);
                refused = 1;
            } else if (rep == 0) {
                fprintf(stderr, "lzs_search failed on %s: %s\n", qs[qi].name, err.message);
                failed = 1;
            }
            double t1 = now_ms();
            char *bmsg = NULL;
            if (bench_baseline_run(base, &qs[qi], size, snippet, &btotal, &bmsg) != 0 && rep == 0) {
                fprintf(stderr, "baseline failed on %s: %s\n", qs[qi].name, bmsg ? bmsg : "?");
                failed = 1;
            }
            free(bmsg);
            double t2 = now_ms();
            if (rep > 0) {
                one_l[rep - 1] = t1 - t0;
                one_b[rep - 1] = t2 - t1;
            }
            if (rep > 0 && !refused) {
                all_l[nall] = t1 - t0;
                all_b[nall] = t2 - t1;
                nall++;
            }
        }
        qsort(one_l, reps, sizeof *one_l, dbl_cmp);
        qsort(one_b, reps, sizeof *one_b, dbl_cmp);
        double ml = quantile(one_l, reps, 0.5), mb = quantile(one_b, reps, 0.5);
        if (refused)
            printf("%-24s %12.3f %12.3f %7s %10s %10u\n", qs[qi].name, ml, mb, "refused", "-",
                   btotal);
        else
            printf("%-24s %12.3f %12.3f %7.2f %10lld %10u\n", qs[qi].name, ml, mb,
                   mb > 0 ? ml / mb : 0.0, (long long)ltotal, btotal);
    }
    qsort(all_l, nall, sizeof *all_l, dbl_cmp);
    qsort(all_b, nall, sizeof *all_b, dbl_cmp);
    printf("\n%-10s %12s %12s %7s\n", "all runs", "lzs_search", "xapian", "ratio");
    const double qv[] = {0.5, 0.9, 0.99};
    const char *qn[] = {"p50", "p90", "p99"};
    for (int i = 0; i < 3; i++) {
        double l = quantile(all_l, nall, qv[i]), b = quantile(all_b, nall, qv[i]);
        printf("%-10s %10.3f ms %10.3f ms %7.2f\n", qn[i], l, b, b > 0 ? l / b : 0.0);
    }
    free(all_l);
    free(all_b);
    free(one_l);
    free(one_b);
    return failed;
}

static int usage(void)
{
    fprintf(stderr, "usage: lzs-bench-search --index DIR [--corpus DIR] [--rebuild] [--jobs N] "
                    "[--reps N] [--size N] [--snippet N] [--min-passages N] "
                    "[--max-postings N] [--max-expansion N] [--parallel-postings N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *index_dir = NULL, *corpus = NULL;
    int rebuild = 0;
    unsigned jobs = 0, reps = 20, size = 10, snippet = 240, min_passages = 0;
    long long max_postings = -1, max_expansion = -1; /* -1: lzs_search's defaults */
    long long parallel = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--rebuild") == 0) {
            rebuild = 1;
            continue;
        }
        if (!v)
            return usage();
        i++;
        if (strcmp(a, "--index") == 0)
            index_dir = v;
        else if (strcmp(a, "--corpus") == 0)
            corpus = v;
        else if (strcmp(a, "--jobs") == 0)
            jobs = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(a, "--reps") == 0)
            reps = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(a, "--size") == 0)
            size = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(a, "--snippet") == 0)
            snippet = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(a, "--min-passages") == 0)
            min_passages = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(a, "--max-postings") == 0)
            max_postings = strtoll(v, NULL, 10);
        else if (strcmp(a, "--parallel-postings") == 0)
            parallel = strtoll(v, NULL, 10);
        else if (strcmp(a, "--max-expansion") == 0)
            max_expansion = strtoll(v, NULL, 10);
        else
            return usage();
    }
    if (!index_dir || reps == 0)
        return usage();

    if (corpus) {
        lzs_index_opts_t opts;
        lzs_index_opts_init(&opts);
        opts.index_dir = index_dir;
        opts.rebuild = rebuild;
        opts.jobs = jobs;
        lzs_index_summary_t *sum = NULL;
        char *msg = NULL;
        lzs_status_t st = lzs_index_run(&opts, &corpus, 1, &sum, &msg);
        if (st != LZS_OK) {
            fprintf(stderr, "lzs-bench-search: indexing failed: %s\n",
                    msg ? msg : lzs_status_str(st));
            free(msg);
            return 1;
        }
        double secs = sum->seconds > 0 ? sum->seconds : 1e-9;
        printf("indexing: %u files, %u passages written, %.1f MB in %.2f s (%u threads)\n",
               sum->files_added + sum->files_changed, sum->passages_added, (double)sum->bytes / 1e6,
               sum->seconds, sum->jobs);
        printf("indexing throughput: %.0f passages/s, %.2f MB/s\n",
               (double)sum->passages_added / secs, (double)sum->bytes / 1e6 / secs);
        lzs_index_summary_free(sum);
    }

    lzs_extractor_t *ex = NULL;
    lzs_searcher_t *s = NULL;
    bench_baseline_t *base = NULL;
    char *msg = NULL;
    if (lzs_extract_open(NULL, &ex, &msg) != LZS_OK ||
        lzs_searcher_open(index_dir, ex, &s, &msg) != LZS_OK ||
        bench_baseline_open(index_dir, &base, &msg) != 0) {
        fprintf(stderr, "lzs-bench-search: %s\n", msg ? msg : "cannot open the index");
        free(msg);
        return 1;
    }
    if (max_postings >= 0)
        lzs_searcher_set_max_postings(s, (uint64_t)max_postings);
    if (parallel >= 0)
        lzs_searcher_set_parallel(s, (uint64_t)parallel);
    if (max_expansion >= 0)
        lzs_searcher_set_max_expansion(s, (uint32_t)max_expansion);
    uint32_t doccount = 0;
    lzs_searcher_stats(s, &doccount, NULL);
    printf("index: %s, %u passages\n", index_dir, doccount);
    if (doccount < min_passages) {
        fprintf(stderr, "lzs-bench-search: the index has %u passages, fewer than the %u asked\n",
                doccount, min_passages);
        return 1;
    }
    printf("queries: %zu requests x %u runs each, %u hits per page, snippets of %u characters\n\n",
           NMIX, reps, size, snippet);

    /* The columns are read on first use: one request counting every facet over every
     * passage, grouped, reads them all; the resident size before and after it is what
     * they cost the process. */
    double rss0 = (double)resident_bytes();
    {
        static const bench_query_t all = {"columns", "", {NULL}, LZS_FACET_ALL, 1, 0};
        lreq_t r;
        json_t *out = NULL;
        lzs_search_error_t err;
        double t0 = now_ms();
        if (make_req(&all, size, snippet, &r) != 0 ||
            lzs_search_run(s, &r.req, &out, &err) != LZS_OK) {
            fprintf(stderr, "lzs_search failed on browsing everything: %s\n", err.message);
            return 1;
        }
        json_decref(out);
        double rss1 = (double)resident_bytes();
        double cols = (double)lzs_searcher_column_bytes(s);
        printf("facet columns: read in %.0f ms, %.1f MB; resident size grew by %.1f MB "
               "(%.2f x the columns)\n\n",
               now_ms() - t0, cols / 1e6, (rss1 - rss0) / 1e6,
               cols > 0 ? (rss1 - rss0) / cols : 0.0);
    }
    int failed = run_table("request", mix, NMIX, s, base, reps, size, snippet);
    printf("\n");
    failed |= run_table("broad request", broad, NBROAD, s, base, reps, size, snippet);
    printf("\nafter every request: resident size %.1f MB (%.1f MB more than before the first "
           "search; the baseline's memory included), columns and cached counts %.1f MB\n",
           (double)resident_bytes() / 1e6, ((double)resident_bytes() - rss0) / 1e6,
           (double)lzs_searcher_column_bytes(s) / 1e6);
    bench_baseline_close(base);
    lzs_searcher_close(s);
    lzs_extract_close(ex);
    return failed;
}
