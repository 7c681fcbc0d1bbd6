/* testindex.h — the indexes the search tests query, built by the real indexer into a
 * temporary directory: a directory of the test's own (/tmp/<prefix>_XXXXXX, removed at the
 * end), the domain data, the run of lzs_index_run() over the test's corpus directories and
 * the searcher over the result; and a request with room for filter values. Included by one
 * test program each (static inline functions: not every program uses every one): test_search,
 * test_facets, test_cites, test_lang and test_compare (whose index is testindex_lang(): the shipped
 * corpus and the fixtures of tests/data/lang, described in tests/test_lang.c). */
#ifndef LZS_TESTS_TESTINDEX_H
#define LZS_TESTS_TESTINDEX_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lzs/extract.h"
#include "lzs/index.h"
#include "lzs/search.h"

typedef struct {
    lzs_extractor_t *ex; /* the domain data */
    lzs_searcher_t *s;   /* NULL until testindex_search() */
    char tmp[256];       /* the test's directory */
    char index[300];     /* tmp/index */
} testindex_t;

/* How testindex_build() runs the indexer (flags). */
enum {
    TESTINDEX_REBUILD = 1,     /* from scratch (opts.rebuild) */
    TESTINDEX_STRICT = 2,      /* a file the indexer skipped is a failure */
    TESTINDEX_MASS_DELETE = 4, /* the run may remove most of the index */
    TESTINDEX_ONE_JOB = 8,     /* one worker instead of two */
};

static inline int testindex_rm_cb(const char *path, const struct stat *sb, int flag,
                                  struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Makes the test's directory /tmp/<prefix>_XXXXXX and loads the domain data. Returns 0, or
 * -1 with the reason on stderr. */
static inline int testindex_init(testindex_t *ti, const char *prefix)
{
    memset(ti, 0, sizeof *ti);
    snprintf(ti->tmp, sizeof ti->tmp, "/tmp/%s_XXXXXX", prefix);
    if (!mkdtemp(ti->tmp)) {
        fprintf(stderr, "mkdtemp %s failed\n", ti->tmp);
        ti->tmp[0] = '\0';
        return -1;
    }
    snprintf(ti->index, sizeof ti->index, "%s/index", ti->tmp);
    char *msg = NULL;
    if (lzs_extract_open(NULL, &ti->ex, &msg) != LZS_OK) {
        fprintf(stderr, "extract_open: %s\n", msg ? msg : "?");
        free(msg);
        return -1;
    }
    return 0;
}

/* Indexes the n directories into ti->index, as flags (TESTINDEX_*) say: one commit.
 * Returns 0, or -1 with the reason on stderr. */
static inline int testindex_build(testindex_t *ti, const char *const *dirs, size_t n,
                                  unsigned flags)
{
    lzs_index_opts_t opts;
    lzs_index_opts_init(&opts);
    opts.index_dir = ti->index;
    opts.jobs = (flags & TESTINDEX_ONE_JOB) ? 1 : 2;
    opts.rebuild = (flags & TESTINDEX_REBUILD) != 0;
    opts.allow_mass_delete = (flags & TESTINDEX_MASS_DELETE) != 0;
    lzs_index_summary_t *sum = NULL;
    char *msg = NULL;
    lzs_status_t st = lzs_index_run(&opts, dirs, n, &sum, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "index_run: %s\n", msg ? msg : lzs_status_str(st));
        free(msg);
        return -1;
    }
    if ((flags & TESTINDEX_STRICT) && sum->nskipped != 0) {
        /* the tests would pass for nothing */
        fprintf(stderr, "index_run skipped %zu files, first %s: %s\n", sum->nskipped,
                sum->skipped[0].path, sum->skipped[0].reason);
        lzs_index_summary_free(sum);
        return -1;
    }
    lzs_index_summary_free(sum);
    return 0;
}

/* Opens (again, after a build) ti->s over ti->index. Returns 0, or -1 with the reason on
 * stderr. */
static inline int testindex_search(testindex_t *ti)
{
    lzs_searcher_close(ti->s);
    ti->s = NULL;
    char *msg = NULL;
    lzs_status_t st = lzs_searcher_open(ti->index, ti->ex, &ti->s, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "searcher_open: %s\n", msg ? msg : lzs_status_str(st));
        free(msg);
        return -1;
    }
    return 0;
}

/* The index of the language and comparison tests: the shipped corpus and the fixtures of
 * tests/data/lang, every file indexed. Returns 0, or -1 with the reason on stderr. */
static inline int testindex_lang(testindex_t *ti, const char *prefix)
{
    const char *dirs[2] = {LZS_CORPUS_DIR, LZS_TEST_DATA "/lang"};
    if (testindex_init(ti, prefix) != 0 || testindex_build(ti, dirs, 2, TESTINDEX_STRICT) != 0)
        return -1;
    return testindex_search(ti);
}

/* Copies the file from to the file to (a fixture into a test's corpus). Returns 0, or -1
 * with the reason on stderr. */
static inline int testindex_copy(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (in == NULL) {
        fprintf(stderr, "fixture missing: %s\n", from);
        return -1;
    }
    FILE *out = fopen(to, "wb");
    int rc = out ? 0 : -1;
    char buf[4096];
    size_t n;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (ferror(in))
        rc = -1;
    fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "cannot copy %s to %s\n", from, to);
    return rc;
}

/* Closes what the functions above opened and removes the test's directory. */
static inline void testindex_close(testindex_t *ti)
{
    lzs_searcher_close(ti->s);
    lzs_extract_close(ti->ex);
    if (ti->tmp[0])
        nftw(ti->tmp, testindex_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    memset(ti, 0, sizeof *ti);
}

/* A request with room for 8 values of each filter. */
typedef struct {
    lzs_search_req_t req;
    const char *vals[LZS_F_COUNT][8];
} rq_t;

static inline void rq_init(rq_t *r, const char *q)
{
    memset(r, 0, sizeof *r);
    lzs_search_req_init(&r->req);
    r->req.q = q;
    for (int f = 0; f < LZS_F_COUNT; f++)
        r->req.values[f] = r->vals[f];
}

static inline void rq_add(rq_t *r, lzs_field_t f, const char *v)
{
    r->vals[f][r->req.nvalues[f]++] = v;
}

#endif
