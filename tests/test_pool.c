/* test_pool.c — searchers sharing one pool of facet columns (lzs_search_pool_t).
 *
 * The index holds four documents of the shipped corpus; the fifth is added later, one
 * commit. Searchers given one pool must answer every facet exactly as a searcher without
 * one, while the pool holds one copy of the columns per revision (its bytes those of one
 * searcher alone), keeps the old revision's copy for a searcher not moved yet and frees it
 * once the last one has moved; and two threads counting at once through one pool (driven
 * by a barrier) get the counts a searcher alone gets. Run under TSan too (ctest -L
 * threads).
 */
#define _XOPEN_SOURCE 700 /* nftw, pthread_barrier_t */
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "lzs/extract.h"
#include "lzs/index.h"
#include "lzs/search.h"
#include "testindex.h"

/* The shipped corpus's documents: the first four are indexed at first, the last later. */
static const char *const k_docs[] = {"000_61b0df1d91b66db2", "001_f04947f4a7c3318d",
                                     "002_fa81a545c578487e", "003_439bdb46cbe148c3",
                                     "004_51c1ef6eb7843b82"};
#define NDOCS (sizeof k_docs / sizeof k_docs[0])

/* A request that counts every facet. */
typedef struct {
    const char *q;
    lzs_field_t field;
    const char *value; /* NULL: no filter */
    lzs_group_t group;
} req_t;

/* Browsing (whose counts the revision's cache keeps), words, filters, grouping. */
static const req_t k_reqs[] = {
    {NULL, LZS_F_PARTY, NULL, LZS_GROUP_PASSAGE},
    {"child", LZS_F_PARTY, NULL, LZS_GROUP_PASSAGE},
    {NULL, LZS_F_PARTY, "NO", LZS_GROUP_PASSAGE},
    {"recommendation", LZS_F_PARTY, NULL, LZS_GROUP_DOCUMENT},
    {NULL, LZS_F_TYPE, "factsheet", LZS_GROUP_DOCUMENT},
    {"Lanzarote", LZS_F_LANG, "en", LZS_GROUP_PASSAGE},
};
#define NREQS (sizeof k_reqs / sizeof k_reqs[0])

/* The threads' requests: k_reqs, then browsing by each of NYEARS years, more filter-only
 * requests than the revision's cache keeps (16), so that one thread's counts drop from
 * the cache tallies the other may be using. */
#define NYEARS 24
#define NTREQS (NREQS + NYEARS)
static req_t g_treqs[NTREQS];
static char g_years[NYEARS][24];

static testindex_t g_ti;
static char g_corpus[300];

/* Copies document i of the shipped corpus (its text and, when it has one, its sidecar)
 * into the test's corpus. */
static void put_doc(size_t i)
{
    static const char *const exts[] = {".txt", ".meta.json"};
    for (int e = 0; e < 2; e++) {
        char from[512], to[512];
        snprintf(from, sizeof from, "%s/%s%s", LZS_CORPUS_DIR, k_docs[i], exts[e]);
        snprintf(to, sizeof to, "%s/%s%s", g_corpus, k_docs[i], exts[e]);
        struct stat sb;
        if (e == 1 && stat(from, &sb) != 0)
            continue; /* the first document has no sidecar */
        assert_int_equal(testindex_copy(from, to), 0);
    }
}

static void index_corpus(void)
{
    const char *dirs[1] = {g_corpus};
    if (testindex_build(&g_ti, dirs, 1, TESTINDEX_ONE_JOB | TESTINDEX_STRICT) != 0)
        fail_msg("indexing %s failed (the reason is above)", g_corpus);
}

static lzs_searcher_t *open_searcher(lzs_search_pool_t *pool)
{
    lzs_searcher_t *s = NULL;
    char *msg = NULL;
    if (lzs_searcher_open(g_ti.index, g_ti.ex, &s, &msg) != LZS_OK)
        fail_msg("searcher_open: %s", msg ? msg : "?");
    lzs_searcher_set_pool(s, pool);
    return s;
}

/* {"total", "facets"} of request r by s; NULL (and *st) on failure. Caller frees. Any
 * thread (no cmocka call). */
static json_t *counts(lzs_searcher_t *s, const req_t *r, lzs_status_t *st)
{
    lzs_search_req_t req;
    lzs_search_req_init(&req);
    req.q = r->q;
    const char *value = r->value;
    if (value) {
        req.values[r->field] = &value;
        req.nvalues[r->field] = 1;
    }
    req.group = r->group;
    req.facets = LZS_FACET_ALL;
    req.size = 3;
    json_t *res = NULL;
    lzs_search_error_t err;
    *st = lzs_search_run(s, &req, &res, &err);
    if (*st != LZS_OK)
        return NULL;
    json_t *out = json_pack("{s:O, s:O}", "total", json_object_get(res, "total"), "facets",
                            json_object_get(res, "facets"));
    json_decref(res);
    return out;
}

/* counts() of every request, as an array. */
static json_t *all_counts(lzs_searcher_t *s)
{
    json_t *a = json_array();
    for (size_t r = 0; r < NREQS; r++) {
        lzs_status_t st = LZS_OK;
        json_t *c = counts(s, &k_reqs[r], &st);
        if (!c)
            fail_msg("request %zu: %s", r, lzs_status_str(st));
        json_array_append_new(a, c);
    }
    return a;
}

static void assert_same_counts(json_t *got, json_t *want, const char *what)
{
    if (json_equal(got, want))
        return;
    char *g = json_dumps(got, JSON_COMPACT), *w = json_dumps(want, JSON_COMPACT);
    fail_msg("%s: counts differ\n got %.600s\nwant %.600s", what, g, w);
}

static int group_setup(void **state)
{
    (void)state;
    if (testindex_init(&g_ti, "lzs_test_pool") != 0)
        return -1;
    snprintf(g_corpus, sizeof g_corpus, "%s/corpus", g_ti.tmp);
    if (mkdir(g_corpus, 0700) != 0)
        return -1;
    for (size_t i = 0; i < NREQS; i++)
        g_treqs[i] = k_reqs[i];
    for (size_t y = 0; y < NYEARS; y++) {
        snprintf(g_years[y], sizeof g_years[y], "%zu", 2000 + y);
        g_treqs[NREQS + y] = (req_t){NULL, LZS_F_YEAR, g_years[y], LZS_GROUP_PASSAGE};
    }
    /* the first four documents; the fifth comes with the new revision */
    for (size_t i = 0; i + 1 < NDOCS; i++)
        put_doc(i);
    const char *dirs[1] = {g_corpus};
    return testindex_build(&g_ti, dirs, 1, TESTINDEX_ONE_JOB | TESTINDEX_STRICT);
}

static int group_teardown(void **state)
{
    (void)state;
    testindex_close(&g_ti);
    return 0;
}

/* ---- one copy ---------------------------------------------------------------------------- */

/* Two searchers with one pool: the counts of a searcher alone, and one copy of the columns
 * (the bytes the searcher alone holds), freed when the last of them is closed. */
static void test_one_copy(void **state)
{
    (void)state;
    lzs_searcher_t *alone = open_searcher(NULL);
    json_t *want = all_counts(alone);
    size_t alone_bytes = lzs_searcher_column_bytes(alone);
    assert_true(alone_bytes > 0);

    lzs_search_pool_t *pool = NULL;
    assert_int_equal(lzs_search_pool_create(&pool), LZS_OK);
    lzs_searcher_t *a = open_searcher(pool), *b = open_searcher(pool);
    assert_int_equal(lzs_search_pool_revisions(pool), 0); /* columns are made on first use */
    json_t *ga = all_counts(a), *gb = all_counts(b);
    assert_same_counts(ga, want, "first searcher of the pool");
    assert_same_counts(gb, want, "second searcher of the pool");
    assert_int_equal(lzs_search_pool_revisions(pool), 1);
    assert_int_equal(lzs_search_pool_bytes(pool), alone_bytes);
    /* each searcher reports the copy it counts over, not a share of it */
    assert_int_equal(lzs_searcher_column_bytes(a), alone_bytes);
    assert_int_equal(lzs_searcher_column_bytes(b), alone_bytes);

    lzs_searcher_close(a);
    assert_int_equal(lzs_search_pool_revisions(pool), 1); /* b still counts over them */
    json_decref(gb);
    gb = all_counts(b);
    assert_same_counts(gb, want, "the searcher left");
    lzs_searcher_close(b);
    assert_int_equal(lzs_search_pool_revisions(pool), 0);
    assert_int_equal(lzs_search_pool_bytes(pool), 0);

    /* a searcher taken out of the pool counts over columns of its own again */
    lzs_searcher_t *c = open_searcher(pool);
    json_decref(all_counts(c));
    assert_int_equal(lzs_search_pool_revisions(pool), 1);
    lzs_searcher_set_pool(c, NULL);
    assert_int_equal(lzs_search_pool_revisions(pool), 0);
    json_t *gc = all_counts(c);
    assert_same_counts(gc, want, "a searcher taken out of the pool");
    assert_int_equal(lzs_search_pool_revisions(pool), 0);
    assert_int_equal(lzs_searcher_column_bytes(c), alone_bytes);

    lzs_searcher_close(c);
    lzs_search_pool_destroy(pool);
    lzs_searcher_close(alone);
    json_decref(want);
    json_decref(ga);
    json_decref(gb);
    json_decref(gc);
}

/* ---- threads ----------------------------------------------------------------------------- */

/* Browses by 16 years no request above asks for, one after the other: the revision's
 * cache of filter-only counts (16 entries) then holds those only, whichever requests came
 * before and in whichever order. */
static void refill_cache(lzs_searcher_t *s)
{
    for (int y = 0; y < 16; y++) {
        char year[16];
        snprintf(year, sizeof year, "%d", 2100 + y);
        req_t r = {NULL, LZS_F_YEAR, year, LZS_GROUP_PASSAGE};
        lzs_status_t st = LZS_OK;
        json_t *c = counts(s, &r, &st);
        if (!c)
            fail_msg("browsing by year %s: %s", year, lzs_status_str(st));
        json_decref(c);
    }
}

typedef struct {
    lzs_searcher_t *s;
    pthread_barrier_t *start;
    int reverse;         /* the requests in reverse order */
    json_t *got[NTREQS]; /* by request */
    lzs_status_t st;     /* the first failure */
} job_t;

static void *count_all(void *arg)
{
    job_t *j = arg;
    pthread_barrier_wait(j->start);
    for (size_t k = 0; k < NTREQS && j->st == LZS_OK; k++) {
        size_t r = j->reverse ? NTREQS - 1 - k : k;
        j->got[r] = counts(j->s, &g_treqs[r], &j->st);
    }
    return NULL;
}

/* Two threads, each with its own searcher, counting every request at once through one
 * pool whose columns neither has read yet: both read and count over one copy, and get the
 * counts of a searcher alone. */
static void test_threads(void **state)
{
    (void)state;
    lzs_searcher_t *alone = open_searcher(NULL);
    json_t *want[NTREQS];
    for (size_t r = 0; r < NTREQS; r++) {
        lzs_status_t st = LZS_OK;
        want[r] = counts(alone, &g_treqs[r], &st);
        if (!want[r])
            fail_msg("request %zu: %s", r, lzs_status_str(st));
    }
    lzs_search_pool_t *pool = NULL;
    assert_int_equal(lzs_search_pool_create(&pool), LZS_OK);
    pthread_barrier_t start;
    assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
    job_t jobs[2];
    pthread_t tids[2];
    for (int i = 0; i < 2; i++) {
        jobs[i] = (job_t){.s = open_searcher(pool), .start = &start, .reverse = i, .st = LZS_OK};
        assert_int_equal(pthread_create(&tids[i], NULL, count_all, &jobs[i]), 0);
    }
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(tids[i], NULL), 0);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < 2; i++) {
        if (jobs[i].st != LZS_OK)
            fail_msg("thread %d: %s", i, lzs_status_str(jobs[i].st));
        for (size_t r = 0; r < NTREQS; r++) {
            char what[64];
            snprintf(what, sizeof what, "thread %d, request %zu", i, r);
            assert_same_counts(jobs[i].got[r], want[r], what);
        }
    }
    assert_int_equal(lzs_search_pool_revisions(pool), 1);
    /* one copy: the bytes of the searcher alone, once both caches hold the same requests */
    refill_cache(alone);
    refill_cache(jobs[0].s);
    assert_int_equal(lzs_search_pool_bytes(pool), lzs_searcher_column_bytes(alone));
    for (int i = 0; i < 2; i++) {
        for (size_t r = 0; r < NTREQS; r++)
            json_decref(jobs[i].got[r]);
        lzs_searcher_close(jobs[i].s);
    }
    assert_int_equal(lzs_search_pool_revisions(pool), 0);
    lzs_search_pool_destroy(pool);
    for (size_t r = 0; r < NTREQS; r++)
        json_decref(want[r]);
    lzs_searcher_close(alone);
}

/* ---- a new revision ------------------------------------------------------------------- */

/* After a commit, a searcher that moved counts over new columns with the new counts while
 * one that did not still counts the old revision right; the old copy is freed once both
 * moved. Last: it adds the fifth document. */
static void test_new_revision(void **state)
{
    (void)state;
    lzs_search_pool_t *pool = NULL;
    assert_int_equal(lzs_search_pool_create(&pool), LZS_OK);
    lzs_searcher_t *a = open_searcher(pool), *b = open_searcher(pool);
    json_t *old = all_counts(a);
    json_decref(all_counts(b));
    assert_int_equal(lzs_search_pool_revisions(pool), 1);

    put_doc(NDOCS - 1);
    index_corpus();
    assert_int_equal(lzs_searcher_reopen(a), LZS_OK);
    json_t *ga = all_counts(a);
    assert_int_equal(lzs_search_pool_revisions(pool), 2);
    lzs_searcher_t *alone = open_searcher(NULL);
    json_t *want = all_counts(alone);
    assert_same_counts(ga, want, "the searcher that moved");
    assert_false(json_equal(want, old)); /* the fifth document changed the counts */

    /* b has not moved: the old revision's copy, with the old counts (a request not asked
     * before too, counted over the old columns) */
    json_t *gb = all_counts(b);
    assert_same_counts(gb, old, "the searcher that did not move");
    lzs_status_t st = LZS_OK;
    req_t extra = {NULL, LZS_F_LANG, "en", LZS_GROUP_DOCUMENT};
    json_t *b_en = counts(b, &extra, &st);
    if (!b_en)
        fail_msg("browsing by language on the old revision: %s", lzs_status_str(st));
    assert_int_equal(lzs_search_pool_revisions(pool), 2);

    assert_int_equal(lzs_searcher_reopen(b), LZS_OK);
    json_decref(gb);
    gb = all_counts(b);
    assert_same_counts(gb, want, "the searcher that moved last");
    assert_int_equal(lzs_search_pool_revisions(pool), 1); /* the old copy is freed */
    assert_int_equal(lzs_search_pool_bytes(pool), lzs_searcher_column_bytes(alone));
    json_t *new_en = counts(b, &extra, &st);
    if (!new_en)
        fail_msg("browsing by language on the new revision: %s", lzs_status_str(st));
    assert_false(json_equal(b_en, new_en)); /* the old counts were the old revision's */

    lzs_searcher_close(a);
    lzs_searcher_close(b);
    lzs_searcher_close(alone);
    lzs_search_pool_destroy(pool);
    json_decref(old);
    json_decref(ga);
    json_decref(gb);
    json_decref(want);
    json_decref(b_en);
    json_decref(new_en);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_copy),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_new_revision),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
