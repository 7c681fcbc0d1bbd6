/* test_facets.c — exact counts from the facet columns against a plain count.
 *
 * The index holds the shipped corpus and documents made by lzs-bench-gen (fixed seed). For
 * queries drawn with a fixed seed (words, filters, browsing, grouping), every count a
 * search answers — total, each facet value's count and distinct recommendations (recs),
 * each grouped hit's passages — must equal what a straightforward count gives: every
 * document's values read one by one, over the passages an export of the same request
 * returns. Then a new revision: the counts follow it.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lzs/extract.h"
#include "lzs/index.h"
#include "lzs/schema.h"
#include "lzs/search.h"
#include "lzs/xdb.h"
#include "testindex.h"

#define GEN_FILES "30"
#define NQUERIES 40

static testindex_t g_ti;
static char g_gen[300];

/* The facets as the API names them, with their slots (schema.h). */
static const struct {
    const char *name;
    lzs_slot_t slot;
    int multi;
} facets[] = {
    {"party", LZS_SLOT_PARTIES, 1},    {"addressee", LZS_SLOT_ADDRESSEES, 1},
    {"article", LZS_SLOT_ARTICLES, 1}, {"year", LZS_SLOT_YEAR, 0},
    {"level", LZS_SLOT_LEVEL, 0},      {"type", LZS_SLOT_TYPE, 0},
    {"lang", LZS_SLOT_LANG, 0},
};
#define NF (sizeof facets / sizeof facets[0])

/* Every passage's values, read document by document. */
typedef struct {
    char *id; /* passage id */
    char *doc;
    char *reckey;
    char *vals[NF];
} passage_t;

static passage_t *g_pass;
static size_t g_npass;

static uint64_t g_rng = 20261205;

static size_t rnd_below(size_t n)
{
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    return (size_t)((g_rng * 2685821657736338717ull) >> 33) % n;
}

/* ---- fixture ------------------------------------------------------------------------ */

static int index_dirs(const char *const *dirs, size_t n)
{
    return testindex_build(&g_ti, dirs, n, 0);
}

static void passages_free(void)
{
    for (size_t i = 0; i < g_npass; i++) {
        free(g_pass[i].id);
        free(g_pass[i].doc);
        free(g_pass[i].reckey);
        for (size_t f = 0; f < NF; f++)
            free(g_pass[i].vals[f]);
    }
    free(g_pass);
    g_pass = NULL;
    g_npass = 0;
}

static char *value_of(lzs_xdoc_t *doc, lzs_slot_t slot)
{
    char *v = NULL;
    size_t len = 0;
    if (lzs_xdoc_get_value(doc, slot, &v, &len) != LZS_OK)
        return strdup("");
    return v;
}

/* Reads every document of the index at g_ti.index, one at a time. */
static int read_passages(void)
{
    passages_free();
    lzs_xdb_t *db = NULL;
    const char *dirs[1] = {g_ti.index};
    char *msg = NULL;
    if (lzs_xdb_open_readonly(dirs, 1, &db, &msg) != LZS_OK) {
        fprintf(stderr, "open %s: %s\n", g_ti.index, msg ? msg : "?");
        free(msg);
        return -1;
    }
    lzs_docid_t last = 0;
    if (lzs_xdb_lastdocid(db, &last) != LZS_OK)
        return -1;
    g_pass = calloc(last + 1, sizeof *g_pass);
    if (!g_pass)
        return -1;
    for (lzs_docid_t d = 1; d <= last; d++) {
        lzs_xdoc_t *doc = NULL;
        lzs_status_t st = lzs_xdb_get_document(db, d, &doc);
        if (st == LZS_ERR_NOT_FOUND)
            continue;
        if (st != LZS_OK)
            return -1;
        char *data = NULL;
        size_t dlen = 0;
        if (lzs_xdoc_get_data(doc, &data, &dlen) != LZS_OK)
            return -1;
        json_t *j = json_loadb(data, dlen, 0, NULL);
        free(data);
        passage_t *p = &g_pass[g_npass++];
        p->id = strdup(json_string_value(json_object_get(j, "id")));
        json_decref(j);
        p->doc = value_of(doc, LZS_SLOT_DOCID);
        p->reckey = value_of(doc, LZS_SLOT_RECKEY);
        for (size_t f = 0; f < NF; f++)
            p->vals[f] = value_of(doc, facets[f].slot);
        lzs_xdoc_destroy(doc);
    }
    lzs_xdb_close(db);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    if (testindex_init(&g_ti, "lzs_test_facets") != 0)
        return -1;
    snprintf(g_gen, sizeof g_gen, "%s/gen", g_ti.tmp);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s/bench/lzs-bench-gen' --seed 7 '%s' " GEN_FILES " >/dev/null",
             LZS_BUILD_DIR, g_gen);
    if (system(cmd) != 0) {
        fprintf(stderr,
                "cannot generate documents with %s/bench/lzs-bench-gen: build the "
                "target lzs-bench-gen\n",
                LZS_BUILD_DIR);
        return -1;
    }
    const char *dirs[2] = {LZS_CORPUS_DIR, g_gen};
    if (index_dirs(dirs, 2) != 0 || read_passages() != 0)
        return -1;
    return testindex_search(&g_ti);
}

static int group_teardown(void **state)
{
    (void)state;
    testindex_close(&g_ti);
    passages_free();
    return 0;
}

/* ---- the straightforward count -------------------------------------------------------- */

static int by_id(const void *a, const void *b)
{
    return strcmp(((const passage_t *)a)->id, ((const passage_t *)b)->id);
}

static const passage_t *passage_by_id(const char *id)
{
    passage_t probe = {.id = (char *)id};
    return bsearch(&probe, g_pass, g_npass, sizeof *g_pass, by_id);
}

typedef struct {
    const passage_t **matched;
    size_t n, cap;
} matchset_t;

static int export_cb(void *ud, const json_t *hit)
{
    matchset_t *m = ud;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 256;
        m->matched = realloc(m->matched, m->cap * sizeof *m->matched);
        assert_non_null(m->matched);
    }
    const char *id = json_string_value(json_object_get(hit, "id"));
    assert_non_null(id);
    const passage_t *p = passage_by_id(id);
    assert_non_null(p);
    m->matched[m->n++] = p;
    return 0;
}

/* Whether item (len bytes) is one of the items of the list value v. */
static int has_item(const char *v, int multi, const char *item, size_t len)
{
    if (!multi)
        return strlen(v) == len && memcmp(v, item, len) == 0;
    const char *p = v;
    while (*p) {
        const char *e = strchr(p, LZS_MULTI_SEP);
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == len && memcmp(p, item, len) == 0)
            return 1;
        p += l + (e ? 1 : 0);
    }
    return 0;
}

/* Passages of the match set with item in facet f, and the distinct keys among them. */
static void count_item(const matchset_t *m, size_t f, const char *item, size_t len, uint32_t *count,
                       uint32_t *recs)
{
    *count = 0;
    *recs = 0;
    const char **keys = calloc(m->n + 1, sizeof *keys);
    assert_non_null(keys);
    for (size_t i = 0; i < m->n; i++) {
        const passage_t *p = m->matched[i];
        if (!has_item(p->vals[f], facets[f].multi, item, len))
            continue;
        (*count)++;
        if (!p->reckey[0])
            continue;
        int seen = 0;
        for (uint32_t k = 0; k < *recs && !seen; k++)
            seen = strcmp(keys[k], p->reckey) == 0;
        if (!seen)
            keys[(*recs)++] = p->reckey;
    }
    free(keys);
}

/* Every non-empty item of facet f among the match set, each once. */
static size_t distinct_items(const matchset_t *m, size_t f)
{
    size_t n = 0;
    char **seen = NULL;
    for (size_t i = 0; i < m->n; i++) {
        const char *p = m->matched[i]->vals[f];
        while (*p) {
            const char *e = facets[f].multi ? strchr(p, LZS_MULTI_SEP) : NULL;
            size_t l = e ? (size_t)(e - p) : strlen(p);
            int found = l == 0;
            for (size_t k = 0; k < n && !found; k++)
                found = strlen(seen[k]) == l && memcmp(seen[k], p, l) == 0;
            if (!found) {
                seen = realloc(seen, (n + 1) * sizeof *seen);
                assert_non_null(seen);
                seen[n] = strndup(p, l);
                n++;
            }
            p += l + (e ? 1 : 0);
        }
    }
    for (size_t k = 0; k < n; k++)
        free(seen[k]);
    free(seen);
    return n;
}

static uint32_t doc_passages(const matchset_t *m, const char *doc)
{
    uint32_t n = 0;
    for (size_t i = 0; i < m->n; i++)
        n += strcmp(m->matched[i]->doc, doc) == 0;
    return n;
}

static int str_ptr_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t distinct_docs(const matchset_t *m)
{
    const char **docs = calloc(m->n + 1, sizeof *docs);
    assert_non_null(docs);
    for (size_t i = 0; i < m->n; i++)
        docs[i] = m->matched[i]->doc;
    qsort(docs, m->n, sizeof *docs, str_ptr_cmp);
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++)
        n += i == 0 || strcmp(docs[i], docs[i - 1]) != 0;
    free(docs);
    return n;
}

/* ---- drawing and checking requests ---------------------------------------------------- */

static const char *const words[] = {"",
                                    "",
                                    "",
                                    "child",
                                    "children",
                                    "protection",
                                    "victims",
                                    "committee",
                                    "the",
                                    "abuse",
                                    "enfants",
                                    "coopération",
                                    "co-operation",
                                    "sexual abuse",
                                    "ratif*",
                                    "prevention OR prosecution"};

typedef struct {
    char q[64];
    char fbuf[2][64];
    const char *fvals[LZS_F_COUNT][2];
    lzs_search_req_t req;
} drawn_t;

/* A filter drawn from the values the passages hold. */
static void draw_filter(drawn_t *d, int k)
{
    static const struct {
        lzs_field_t field;
        size_t facet;
    } fields[] = {{LZS_F_PARTY, 0}, {LZS_F_ADDRESSEE, 1}, {LZS_F_ARTICLE, 2}, {LZS_F_YEAR, 3},
                  {LZS_F_LEVEL, 4}, {LZS_F_TYPE, 5},      {LZS_F_LANG, 6}};
    for (int tries = 0; tries < 100; tries++) {
        size_t fi = rnd_below(sizeof fields / sizeof fields[0]);
        const char *v = g_pass[rnd_below(g_npass)].vals[fields[fi].facet];
        if (!v[0] || strcmp(v, LZS_YEAR_NONE) == 0)
            continue;
        size_t l = strcspn(v, "\n");
        if (l >= sizeof d->fbuf[k])
            continue;
        memcpy(d->fbuf[k], v, l);
        d->fbuf[k][l] = '\0';
        lzs_field_t f = fields[fi].field;
        if (d->req.nvalues[f] > 0)
            continue;
        d->fvals[f][0] = d->fbuf[k];
        d->req.nvalues[f] = 1;
        return;
    }
}

static void draw(drawn_t *d)
{
    memset(d, 0, sizeof *d);
    lzs_search_req_init(&d->req);
    snprintf(d->q, sizeof d->q, "%s", words[rnd_below(sizeof words / sizeof words[0])]);
    d->req.q = d->q;
    for (int f = 0; f < LZS_F_COUNT; f++)
        d->req.values[f] = d->fvals[f];
    int nfilters = (int)rnd_below(3);
    for (int k = 0; k < nfilters; k++)
        draw_filter(d, k);
    d->req.facets = LZS_FACET_ALL;
    d->req.group = rnd_below(3) == 0 ? LZS_GROUP_DOCUMENT : LZS_GROUP_PASSAGE;
    d->req.size = 10;
}

static char *describe(const drawn_t *d)
{
    static char buf[512];
    int n = snprintf(buf, sizeof buf, "q=\"%s\"%s", d->q,
                     d->req.group == LZS_GROUP_DOCUMENT ? " group=document" : "");
    for (int f = 0; f < LZS_F_COUNT; f++)
        if (d->req.nvalues[f] > 0 && n < (int)sizeof buf)
            n += snprintf(buf + n, sizeof buf - (size_t)n, " %s=%s",
                          lzs_search_field_name((lzs_field_t)f), d->fvals[f][0]);
    return buf;
}

/* Runs d and checks every count of the answer against the plain count. */
static void check_request(const drawn_t *d)
{
    const char *what = describe(d);
    json_t *res = NULL;
    lzs_search_error_t err;
    lzs_status_t st = lzs_search_run(g_ti.s, &d->req, &res, &err);
    if (st != LZS_OK)
        fail_msg("%s: %s", what, err.message);
    matchset_t m = {0};
    lzs_search_req_t all = d->req;
    all.group = LZS_GROUP_PASSAGE;
    uint32_t etotal = 0;
    int capped = 0;
    st = lzs_search_export(g_ti.s, &all, export_cb, &m, &etotal, &capped, &err);
    if (st != LZS_OK)
        fail_msg("export %s: %s", what, err.message);
    if (capped)
        fail_msg("export %s: capped at %zu passages", what, m.n);
    uint32_t total = (uint32_t)json_integer_value(json_object_get(res, "total"));
    uint32_t want =
        d->req.group == LZS_GROUP_DOCUMENT ? (uint32_t)distinct_docs(&m) : (uint32_t)m.n;
    if (total != want)
        fail_msg("%s: total %u, a plain count gives %u", what, total, want);
    json_t *fj = json_object_get(res, "facets");
    for (size_t f = 0; f < NF; f++) {
        json_t *arr = json_object_get(fj, facets[f].name);
        if (!json_is_array(arr))
            fail_msg("%s: no facet %s", what, facets[f].name);
        size_t i;
        json_t *v;
        json_array_foreach(arr, i, v)
        {
            const char *item = json_string_value(json_object_get(v, "value"));
            uint32_t count = 0, recs = 0;
            count_item(&m, f, item, strlen(item), &count, &recs);
            uint32_t got = (uint32_t)json_integer_value(json_object_get(v, "count"));
            uint32_t got_recs = (uint32_t)json_integer_value(json_object_get(v, "recs"));
            if (got != count || got_recs != recs)
                fail_msg("%s: %s=%s counts %u (recs %u), a plain count %u (recs %u)", what,
                         facets[f].name, item, got, got_recs, count, recs);
        }
        size_t items = distinct_items(&m, f);
        if (json_array_size(arr) != items)
            fail_msg("%s: facet %s has %zu values, the matches %zu", what, facets[f].name,
                     json_array_size(arr), items);
    }
    if (d->req.group == LZS_GROUP_DOCUMENT) {
        size_t i;
        json_t *hit;
        json_array_foreach(json_object_get(res, "hits"), i, hit)
        {
            const char *doc = json_string_value(json_object_get(json_object_get(hit, "doc"), "id"));
            uint32_t got = (uint32_t)json_integer_value(json_object_get(hit, "matches"));
            uint32_t plain = doc_passages(&m, doc);
            if (got != plain)
                fail_msg("%s: document %s has %u matching passages, a plain count %u", what, doc,
                         got, plain);
        }
    }
    free(m.matched);
    json_decref(res);
}

static void test_drawn_requests_count_exactly(void **state)
{
    (void)state;
    qsort(g_pass, g_npass, sizeof *g_pass, by_id);
    assert_true(g_npass > 1000); /* the generated documents are there */
    for (int i = 0; i < NQUERIES; i++) {
        drawn_t d;
        draw(&d);
        check_request(&d);
        /* a second time: a filter-only request's counts now come from the cache */
        check_request(&d);
    }
}

static void test_browsing_everything(void **state)
{
    (void)state;
    drawn_t d;
    memset(&d, 0, sizeof d);
    lzs_search_req_init(&d.req);
    d.req.q = "";
    for (int f = 0; f < LZS_F_COUNT; f++)
        d.req.values[f] = d.fvals[f];
    d.req.facets = LZS_FACET_ALL;
    d.req.size = 10;
    check_request(&d);
    d.req.group = LZS_GROUP_DOCUMENT;
    check_request(&d);
}

/* A new revision adds documents: after the searcher moves to it, browsing counts them (the
 * columns and cached counts of the old revision are not used for the new one). */
static void test_counts_follow_a_new_revision(void **state)
{
    (void)state;
    drawn_t d;
    memset(&d, 0, sizeof d);
    lzs_search_req_init(&d.req);
    d.req.q = "";
    for (int f = 0; f < LZS_F_COUNT; f++)
        d.req.values[f] = d.fvals[f];
    d.req.facets = LZS_FACET_ALL;
    d.req.size = 10;
    check_request(&d); /* cached for this revision */
    size_t before = g_npass;
    char more[300], path[400];
    snprintf(more, sizeof more, "%s/more", g_ti.tmp);
    snprintf(path, sizeof path, "%s/note.txt", more);
    assert_int_equal(mkdir(more, 0755), 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "A note on children\n\nThe protection of children in Norway and in Iceland.\n\n"
               "Children who are victims are heard by the courts of Norway.\n");
    assert_int_equal(fclose(f), 0);
    const char *dirs[3] = {LZS_CORPUS_DIR, g_gen, more};
    assert_int_equal(index_dirs(dirs, 3), 0);
    assert_int_equal(read_passages(), 0);
    qsort(g_pass, g_npass, sizeof *g_pass, by_id);
    assert_true(g_npass > before);
    assert_int_equal(lzs_searcher_reopen(g_ti.s), LZS_OK);
    check_request(&d);
    d.q[0] = '\0';
    snprintf(d.q, sizeof d.q, "children");
    d.req.q = d.q;
    d.req.group = LZS_GROUP_DOCUMENT;
    check_request(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drawn_requests_count_exactly),
        cmocka_unit_test(test_browsing_everything),
        cmocka_unit_test(test_counts_follow_a_new_revision),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
