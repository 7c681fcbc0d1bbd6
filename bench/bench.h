/* bench.h — what the benchmark's C driver and its C++ baseline share: the fixed query mix
 * and the baseline's entry points (a search written directly against libxapian's C++ API:
 * QueryParser, ValueCountMatchSpy, MSet::snippet).
 */
#ifndef LZS_BENCH_H
#define LZS_BENCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BENCH_MAX_FILTERS 4

/* One request of the mix. filters are "field=value" (fields of lzs/search.h); facets are
 * LZS_FACET_* bits; group 1 = one hit per document; sort is an lzs_sort_t. */
typedef struct {
    const char *name;
    const char *q;
    const char *filters[BENCH_MAX_FILTERS];
    unsigned facets;
    int group;
    int sort;
} bench_query_t;

typedef struct bench_baseline bench_baseline_t;

/* Opens the index read-only. *errmsg (may be NULL): caller frees with free(). */
int bench_baseline_open(const char *index_dir, bench_baseline_t **out, char **errmsg);
void bench_baseline_close(bench_baseline_t *b);

/* Runs one request: size hits with snippets of snippet_chars characters, exact total,
 * facet counts, and a JSON answer built like lzs_search_run's. *total gets the number of
 * matches. Returns 0, or -1 with a message in *errmsg (caller frees with free()). */
int bench_baseline_run(bench_baseline_t *b, const bench_query_t *q, uint32_t size,
                       uint32_t snippet_chars, uint32_t *total, char **errmsg);

#ifdef __cplusplus
}
#endif

#endif
