/* test_xdb.c — the C API over libxapian, exercised against real on-disk indexes in a
 * temporary directory: documents, queries, sorting, collapsing, facets, relevance
 * feedback, spelling, synonyms, metadata, locking, reopening, transactions, several
 * databases searched as one, stemmers, phrase terms in boolean matches, and argument
 * checking.
 */
#include <dirent.h>
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

#include "lzs/xdb.h"

/* Value slots of the test corpus. */
enum { SLOT_DATE = 0, SLOT_PARTIES = 1, SLOT_TYPE = 2, SLOT_GROUP = 3 };

typedef struct {
    const char *text;
    const char *date;
    const char *parties; /* '\n'-separated, repeats and empty items on purpose */
    const char *type;
    const char *group;
} corpus_doc_t;

/* Five short passages. Facet counts over all of them, by hand:
 *   parties: NO 3 (docs 1, 3, 5; doc 1 names NO twice), FR 2 (2, 3), SE 2 (1, 2), DE 1 (5)
 *   type:    report 3 (1, 2, 5), decision 1 (4), opinion 1 (3)
 *   group:   g1 {1, 2}, g2 {3, 4}, g3 {5}
 * Dates are not in docid order so that sorting by value is visible. */
static const corpus_doc_t corpus[] = {
    {"the committee adopted a recommendation on child protection", "2015-03-01", "NO\nSE\nNO",
     "report", "g1"},
    {"child protection recommendation adopted by parties", "2019-05-05", "SE\nFR", "report", "g1"},
    {"parties must protect children from sexual abuse", "2016-06-15", "FR\nNO", "opinion", "g2"},
    {"the committee recommendation concerns child victims", "2018-11-30", "", "decision", "g2"},
    {"protection of child victims in the committee report", "2017-01-10", "NO\n\nDE", "report",
     "g3"},
};
#define NDOCS (sizeof corpus / sizeof corpus[0])

typedef struct {
    char dir[64];  /* the temporary directory */
    char path[96]; /* dir/db: the main index */
    lzs_xdb_t *db; /* the corpus, read-only (corpus fixture only) */
} fixture_t;

/* ---- helpers --------------------------------------------------------------- */

#define XDB_OK(db, expr)                                                                           \
    do {                                                                                           \
        lzs_status_t st_ = (expr);                                                                 \
        if (st_ != LZS_OK) {                                                                       \
            print_error("%s failed: %s: %s\n", #expr, lzs_status_name(st_), lzs_xdb_errmsg(db));   \
        }                                                                                          \
        assert_int_equal(st_, LZS_OK);                                                             \
    } while (0)

#define ENQ_OK(enq, expr)                                                                          \
    do {                                                                                           \
        lzs_status_t st_ = (expr);                                                                 \
        if (st_ != LZS_OK) {                                                                       \
            print_error("%s failed: %s: %s\n", #expr, lzs_status_name(st_), lzs_xenq_errmsg(enq)); \
        }                                                                                          \
        assert_int_equal(st_, LZS_OK);                                                             \
    } while (0)

static int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d == NULL) {
            return -1;
        }
        struct dirent *e;
        for (e = readdir(d); e != NULL; e = readdir(d)) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                continue;
            }
            char child[512];
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            remove_tree(child);
        }
        closedir(d);
        return rmdir(path);
    }
    return unlink(path);
}

/* Adds the words of text as positional terms, from position 1. */
static void add_text(lzs_xdoc_t *doc, const char *text)
{
    char word[64];
    uint32_t pos = 1;
    const char *p = text;
    while (*p != '\0') {
        size_t n = strcspn(p, " ");
        if (n > 0) {
            assert_true(n < sizeof word);
            memcpy(word, p, n);
            word[n] = '\0';
            assert_int_equal(lzs_xdoc_add_posting(doc, word, pos++, 1), LZS_OK);
        }
        p += n;
        if (*p == ' ') {
            p++;
        }
    }
}

static lzs_xdoc_t *make_doc(size_t i, const corpus_doc_t *c)
{
    lzs_xdoc_t *doc = NULL;
    char term[64];
    assert_int_equal(lzs_xdoc_create(&doc), LZS_OK);
    add_text(doc, c->text);
    snprintf(term, sizeof term, "Qdoc%zu", i + 1);
    assert_int_equal(lzs_xdoc_add_boolean_term(doc, term), LZS_OK);
    snprintf(term, sizeof term, "K%s", c->type);
    assert_int_equal(lzs_xdoc_add_boolean_term(doc, term), LZS_OK);
    assert_int_equal(lzs_xdoc_set_value(doc, SLOT_DATE, c->date, strlen(c->date)), LZS_OK);
    assert_int_equal(lzs_xdoc_set_value(doc, SLOT_PARTIES, c->parties, strlen(c->parties)), LZS_OK);
    assert_int_equal(lzs_xdoc_set_value(doc, SLOT_TYPE, c->type, strlen(c->type)), LZS_OK);
    assert_int_equal(lzs_xdoc_set_value(doc, SLOT_GROUP, c->group, strlen(c->group)), LZS_OK);
    snprintf(term, sizeof term, "doc%zu", i + 1);
    assert_int_equal(lzs_xdoc_set_data(doc, term, strlen(term)), LZS_OK);
    return doc;
}

/* Writes the corpus to path (replacing any database there) and commits. */
static void build_corpus(const char *path)
{
    lzs_xdb_t *w = NULL;
    char *err = NULL;
    lzs_status_t st = lzs_xdb_open_writable(path, LZS_XDB_OVERWRITE, &w, &err);
    if (st != LZS_OK) {
        print_error("open %s: %s\n", path, err != NULL ? err : "?");
    }
    assert_int_equal(st, LZS_OK);
    assert_null(err);
    for (size_t i = 0; i < NDOCS; i++) {
        lzs_xdoc_t *doc = make_doc(i, &corpus[i]);
        lzs_docid_t did = 0;
        XDB_OK(w, lzs_xdb_add_document(w, doc, &did));
        assert_int_equal(did, i + 1);
        lzs_xdoc_destroy(doc);
    }
    XDB_OK(w, lzs_xdb_commit(w));
    lzs_xdb_close(w);
}

static lzs_xdb_t *open_ro(const char *path)
{
    lzs_xdb_t *db = NULL;
    char *err = NULL;
    const char *paths[] = {path};
    lzs_status_t st = lzs_xdb_open_readonly(paths, 1, &db, &err);
    if (st != LZS_OK) {
        print_error("open %s: %s\n", path, err != NULL ? err : "?");
    }
    assert_int_equal(st, LZS_OK);
    assert_non_null(db);
    return db;
}

static lzs_xdb_t *open_rw(const char *path, lzs_xdb_mode_t mode)
{
    lzs_xdb_t *db = NULL;
    char *err = NULL;
    lzs_status_t st = lzs_xdb_open_writable(path, mode, &db, &err);
    if (st != LZS_OK) {
        print_error("open %s: %s\n", path, err != NULL ? err : "?");
        free(err);
    }
    assert_int_equal(st, LZS_OK);
    return db;
}

static lzs_xquery_t *term_q(const char *term)
{
    lzs_xquery_t *q = NULL;
    assert_int_equal(lzs_xquery_term(term, 1, 0, &q), LZS_OK);
    return q;
}

/* Combines two queries, destroying them. */
static lzs_xquery_t *combine2(lzs_xquery_op_t op, lzs_xquery_t *a, lzs_xquery_t *b, uint32_t w)
{
    lzs_xquery_t *subs[] = {a, b};
    lzs_xquery_t *q = NULL;
    assert_int_equal(lzs_xquery_combine(op, subs, 2, w, &q), LZS_OK);
    lzs_xquery_destroy(a);
    lzs_xquery_destroy(b);
    return q;
}

/* Docids of one search, in result order. */
typedef struct {
    lzs_docid_t ids[16];
    uint32_t n;
    uint32_t estimated;
} hits_t;

/* Runs q (destroying it) on db with the enquire settings already applied to enq, or on a new
 * enquire when enq is NULL. */
static hits_t run(lzs_xdb_t *db, lzs_xenq_t *enq, lzs_xquery_t *q)
{
    hits_t h;
    memset(&h, 0, sizeof h);
    lzs_xenq_t *own = NULL;
    if (enq == NULL) {
        XDB_OK(db, lzs_xenq_create(db, &own));
        enq = own;
    }
    ENQ_OK(enq, lzs_xenq_set_query(enq, q, 0));
    lzs_xquery_destroy(q);
    lzs_xmset_t *m = NULL;
    ENQ_OK(enq, lzs_xenq_get_mset(enq, 0, 16, 100, NULL, 0, &m));
    h.n = lzs_xmset_size(m);
    h.estimated = lzs_xmset_matches_estimated(m);
    for (uint32_t i = 0; i < h.n; i++) {
        lzs_xhit_t hit;
        assert_int_equal(lzs_xmset_get(m, i, &hit), LZS_OK);
        assert_int_equal(hit.rank, i);
        h.ids[i] = hit.docid;
    }
    lzs_xmset_destroy(m);
    lzs_xenq_destroy(own);
    return h;
}

/* Whether the hits are exactly the docids given (in any order). */
static int same_set(const hits_t *h, const lzs_docid_t *want, uint32_t n)
{
    if (h->n != n) {
        return 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        int found = 0;
        for (uint32_t j = 0; j < h->n; j++) {
            if (h->ids[j] == want[i]) {
                found = 1;
            }
        }
        if (!found) {
            return 0;
        }
    }
    return 1;
}

#define ASSERT_HITS(h, ...)                                                                        \
    do {                                                                                           \
        const lzs_docid_t want_[] = {__VA_ARGS__};                                                 \
        uint32_t nwant_ = (uint32_t)(sizeof want_ / sizeof want_[0]);                              \
        if (!same_set(&(h), want_, nwant_)) {                                                      \
            print_error("got %u hits:", (h).n);                                                    \
            for (uint32_t k_ = 0; k_ < (h).n; k_++) {                                              \
                print_error(" %u", (h).ids[k_]);                                                   \
            }                                                                                      \
            print_error("\n");                                                                     \
        }                                                                                          \
        assert_true(same_set(&(h), want_, nwant_));                                                \
    } while (0)

/* Strings handed to a callback, copied (callbacks must not assert: they run inside C++). */
typedef struct {
    char items[32][80];
    uint32_t freq[32];
    size_t n;
} strlist_t;

static int collect_term(void *ud, const char *term, size_t len, uint32_t freq)
{
    strlist_t *l = ud;
    if (l->n >= 32 || len >= sizeof l->items[0]) {
        return 1;
    }
    memcpy(l->items[l->n], term, len);
    l->items[l->n][len] = '\0';
    l->freq[l->n] = freq;
    l->n++;
    return 0;
}

static int collect_key(void *ud, const char *key, size_t len)
{
    return collect_term(ud, key, len, 0);
}

static int list_has(const strlist_t *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i], s) == 0) {
            return 1;
        }
    }
    return 0;
}

/* ---- fixtures -------------------------------------------------------------- */

static int setup_dir(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    if (f == NULL) {
        return -1;
    }
    snprintf(f->dir, sizeof f->dir, "/tmp/lzs-test-xdb-XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/db", f->dir);
    *state = f;
    return 0;
}

static int setup_corpus(void **state)
{
    if (setup_dir(state) != 0) {
        return -1;
    }
    fixture_t *f = *state;
    build_corpus(f->path);
    f->db = open_ro(f->path);
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    lzs_xdb_close(f->db);
    int rc = remove_tree(f->dir);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* ---- tests: documents ------------------------------------------------------ */

static void test_documents_roundtrip(void **state)
{
    fixture_t *f = *state;
    build_corpus(f->path);
    lzs_xdb_t *w = open_rw(f->path, LZS_XDB_OPEN);

    uint32_t n = 0;
    XDB_OK(w, lzs_xdb_doccount(w, &n));
    assert_int_equal(n, NDOCS);
    lzs_docid_t last = 0;
    XDB_OK(w, lzs_xdb_lastdocid(w, &last));
    assert_int_equal(last, NDOCS);
    XDB_OK(w, lzs_xdb_termfreq(w, "child", &n));
    assert_int_equal(n, 4);
    XDB_OK(w, lzs_xdb_termfreq(w, "nosuchterm", &n));
    assert_int_equal(n, 0);

    /* Read a document back: data, values, terms. */
    lzs_xdoc_t *doc = NULL;
    XDB_OK(w, lzs_xdb_get_document(w, 3, &doc));
    char *s = NULL;
    size_t len = 0;
    assert_int_equal(lzs_xdoc_get_data(doc, &s, &len), LZS_OK);
    assert_string_equal(s, "doc3");
    assert_int_equal(len, 4);
    free(s);
    assert_int_equal(lzs_xdoc_get_value(doc, SLOT_PARTIES, &s, &len), LZS_OK);
    assert_string_equal(s, "FR\nNO");
    free(s);
    strlist_t terms = {0};
    assert_int_equal(lzs_xdoc_terms(doc, collect_term, &terms), LZS_OK);
    /* 7 words + Qdoc3 + Kopinion, sorted bytewise (capitals first). */
    assert_int_equal(terms.n, 9);
    assert_string_equal(terms.items[0], "Kopinion");
    assert_string_equal(terms.items[1], "Qdoc3");
    assert_string_equal(terms.items[2], "abuse");
    assert_int_equal(terms.freq[2], 1);
    assert_int_equal(terms.freq[0], 0); /* boolean term: wdf 0 */
    lzs_xdoc_destroy(doc);

    /* Delete by term and by docid. */
    XDB_OK(w, lzs_xdb_delete_documents(w, "Qdoc2"));
    XDB_OK(w, lzs_xdb_delete_document(w, 1));
    XDB_OK(w, lzs_xdb_doccount(w, &n));
    assert_int_equal(n, NDOCS - 2);
    assert_int_equal(lzs_xdb_get_document(w, 2, &doc), LZS_ERR_NOT_FOUND);
    assert_int_equal(lzs_xdb_delete_document(w, 1), LZS_ERR_NOT_FOUND);
    assert_int_equal(lzs_xdb_get_document(w, 1, &doc), LZS_ERR_NOT_FOUND);
    assert_null(doc);
    assert_int_equal(lzs_xdb_get_document(w, 1000, &doc), LZS_ERR_NOT_FOUND);
    XDB_OK(w, lzs_xdb_commit(w));

    /* Postings and all terms as a reader sees them. */
    lzs_xdb_t *r = open_ro(f->path);
    strlist_t all = {0};
    XDB_OK(r, lzs_xdb_allterms(r, "Q", collect_term, &all));
    assert_int_equal(all.n, NDOCS - 2);
    assert_string_equal(all.items[0], "Qdoc3");
    assert_int_equal(all.freq[0], 1);
    lzs_xdb_close(r);
    lzs_xdb_close(w);
}

static int collect_docid(void *ud, lzs_docid_t docid)
{
    hits_t *h = ud;
    if (h->n >= 16) {
        return 1;
    }
    h->ids[h->n++] = docid;
    return 0;
}

static int stop_after_one(void *ud, lzs_docid_t docid)
{
    (void)docid;
    (*(int *)ud)++;
    return 1;
}

static void test_postlist(void **state)
{
    fixture_t *f = *state;
    hits_t h = {0};
    XDB_OK(f->db, lzs_xdb_postlist(f->db, "committee", collect_docid, &h));
    assert_int_equal(h.n, 3);
    assert_int_equal(h.ids[0], 1);
    assert_int_equal(h.ids[1], 4);
    assert_int_equal(h.ids[2], 5);
    int calls = 0;
    XDB_OK(f->db, lzs_xdb_postlist(f->db, "committee", stop_after_one, &calls));
    assert_int_equal(calls, 1);
}

/* ---- tests: queries -------------------------------------------------------- */

static void test_phrase_and_near(void **state)
{
    fixture_t *f = *state;
    /* "child protection" in this order: docs 1 and 2; doc 5 has "protection of child". */
    hits_t h = run(f->db, NULL, combine2(LZS_XQ_PHRASE, term_q("child"), term_q("protection"), 0));
    ASSERT_HITS(h, 1, 2);
    /* Within 3 positions, any order: doc 5 too. */
    h = run(f->db, NULL, combine2(LZS_XQ_NEAR, term_q("child"), term_q("protection"), 3));
    ASSERT_HITS(h, 1, 2, 5);
    /* Window 2 is too narrow for "protection of child". */
    h = run(f->db, NULL, combine2(LZS_XQ_NEAR, term_q("child"), term_q("protection"), 2));
    ASSERT_HITS(h, 1, 2);
}

static void test_boolean_operators(void **state)
{
    fixture_t *f = *state;
    hits_t h = run(f->db, NULL, combine2(LZS_XQ_FILTER, term_q("committee"), term_q("Kreport"), 0));
    ASSERT_HITS(h, 1, 5);

    h = run(f->db, NULL, combine2(LZS_XQ_AND_NOT, term_q("recommendation"), term_q("adopted"), 0));
    ASSERT_HITS(h, 4);

    /* AND_MAYBE: every "child" document, the ones with "victims" first. */
    h = run(f->db, NULL, combine2(LZS_XQ_AND_MAYBE, term_q("child"), term_q("victims"), 0));
    assert_int_equal(h.n, 4);
    assert_true((h.ids[0] == 4 && h.ids[1] == 5) || (h.ids[0] == 5 && h.ids[1] == 4));

    h = run(f->db, NULL, combine2(LZS_XQ_SYNONYM, term_q("child"), term_q("children"), 0));
    ASSERT_HITS(h, 1, 2, 3, 4, 5);

    h = run(f->db, NULL, combine2(LZS_XQ_AND, term_q("child"), term_q("parties"), 0));
    ASSERT_HITS(h, 2);

    lzs_xquery_t *q = NULL;
    assert_int_equal(lzs_xquery_match_nothing(&q), LZS_OK);
    h = run(f->db, NULL, q);
    assert_int_equal(h.n, 0);
    assert_int_equal(lzs_xquery_match_all(&q), LZS_OK);
    char *desc = NULL;
    assert_int_equal(lzs_xquery_describe(q, &desc), LZS_OK);
    assert_non_null(strstr(desc, "Query("));
    free(desc);
    h = run(f->db, NULL, q);
    assert_int_equal(h.n, NDOCS);
}

/* ---- tests: phrase terms in boolean matches ---------------------------------- */

/* The ids lzs_xenq_match_docids gives for q (destroyed) over db, as a string "1 2 ". */
static void match_ids(lzs_xdb_t *db, lzs_xquery_t *q, char *buf, size_t cap)
{
    lzs_xenq_t *enq = NULL;
    XDB_OK(db, lzs_xenq_create(db, &enq));
    ENQ_OK(enq, lzs_xenq_set_query(enq, q, 0));
    lzs_xquery_destroy(q);
    lzs_docid_t *ids = NULL;
    size_t n = 0;
    ENQ_OK(enq, lzs_xenq_match_docids(enq, &ids, &n));
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(buf + strlen(buf), cap - strlen(buf), "%u ", (unsigned)ids[i]);
    free(ids);
    lzs_xenq_destroy(enq);
}

/* FILTER(PHRASE(w1, w2), term) */
static lzs_xquery_t *phrase_with(const char *w1, const char *w2, const char *term)
{
    return combine2(LZS_XQ_FILTER, combine2(LZS_XQ_PHRASE, term_q(w1), term_q(w2), 0), term_q(term),
                    0);
}

/* The queries of test_phrase_prefix (what each shows in a comment). */
static lzs_xquery_t *phrase_case(int i)
{
    switch (i) {
    case 0: /* the phrase with its term */
        return phrase_with("a", "b", "XPH:a b");
    case 1: /* reversed: the term does not imply it */
        return phrase_with("b", "a", "XPH:a b");
    case 2: /* words apart in the phrase term: not implied */
        return phrase_with("a", "c", "XPH:a b");
    case 3: /* deep inside weighting-only operators */
        return combine2(LZS_XQ_AND_MAYBE,
                        combine2(LZS_XQ_SYNONYM, phrase_with("a", "b", "XPH:a b"), term_q("c"), 0),
                        term_q("d"), 0);
    case 4: /* on the negative side */
        return combine2(LZS_XQ_AND_NOT, combine2(LZS_XQ_OR, term_q("a"), term_q("c"), 0),
                        phrase_with("a", "b", "XPH:a b"), 0);
    default: /* a quoted phrase's form: its words with the term */
        return combine2(LZS_XQ_FILTER, combine2(LZS_XQ_AND, term_q("a"), term_q("b"), 0),
                        term_q("XPH:a b"), 0);
    }
}

/* A phrase term (lzs_xdb_set_phrase_prefix) is read by boolean matches instead of the
 * positions of what it implies. The index lies on purpose: document 2 holds "b a" and the
 * term of "a b", so which was read shows in the answer. */
static void test_phrase_prefix(void **state)
{
    fixture_t *f = *state;
    static const char *const texts[] = {"a b c", "b a", "a x b", "c d"};
    static const char *const terms[] = {"XPH:a b", "XPH:a b", NULL, NULL};
    lzs_xdb_t *w = open_rw(f->path, LZS_XDB_CREATE);
    for (size_t i = 0; i < 4; i++) {
        lzs_xdoc_t *doc = NULL;
        assert_int_equal(lzs_xdoc_create(&doc), LZS_OK);
        add_text(doc, texts[i]);
        if (terms[i])
            assert_int_equal(lzs_xdoc_add_boolean_term(doc, terms[i]), LZS_OK);
        XDB_OK(w, lzs_xdb_add_document(w, doc, NULL));
        lzs_xdoc_destroy(doc);
    }
    XDB_OK(w, lzs_xdb_commit(w));
    lzs_xdb_close(w);
    static const char *const by_positions[] = {"1 ", "2 ", "", "1 4 ", "2 3 4 ", "1 2 "};
    static const char *const by_terms[] = {"1 2 ", "2 ", "", "1 2 4 ", "3 4 ", "1 2 "};
    lzs_xdb_t *db = open_ro(f->path);
    char got[64];
    for (int i = 0; i < 6; i++) {
        match_ids(db, phrase_case(i), got, sizeof got);
        if (strcmp(got, by_positions[i]) != 0)
            fail_msg("case %d without the prefix: \"%s\", want \"%s\"", i, got, by_positions[i]);
    }
    XDB_OK(db, lzs_xdb_set_phrase_prefix(db, "XPH:"));
    for (int i = 0; i < 6; i++) {
        match_ids(db, phrase_case(i), got, sizeof got);
        if (strcmp(got, by_terms[i]) != 0)
            fail_msg("case %d with the prefix: \"%s\", want \"%s\"", i, got, by_terms[i]);
    }
    /* A twin made afterwards reads the terms too; the page, weighted, reads positions. */
    lzs_xdb_t *twin = NULL;
    XDB_OK(db, lzs_xdb_twin(db, &twin));
    lzs_xenq_t *enq = NULL;
    XDB_OK(db, lzs_xenq_create(db, &enq));
    lzs_xquery_t *q = phrase_case(0);
    ENQ_OK(enq, lzs_xenq_set_query(enq, q, 0));
    lzs_xquery_destroy(q);
    lzs_xmset_t *m = NULL;
    lzs_docid_t *ids = NULL;
    size_t n = 0;
    ENQ_OK(enq, lzs_xenq_page_and_matches(enq, twin, 0, 10, &m, &ids, &n));
    assert_int_equal(lzs_xmset_size(m), 1);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[1], 2);
    free(ids);
    lzs_xmset_destroy(m);
    lzs_xenq_destroy(enq);
    lzs_xdb_close(twin);
    /* none again */
    XDB_OK(db, lzs_xdb_set_phrase_prefix(db, NULL));
    match_ids(db, phrase_case(0), got, sizeof got);
    assert_string_equal(got, "1 ");
    lzs_xdb_close(db);
}

static void test_value_range_dates(void **state)
{
    fixture_t *f = *state;
    lzs_xquery_t *q = NULL;
    assert_int_equal(lzs_xquery_value_range(SLOT_DATE, "2016-01-01", "2018-12-31", &q), LZS_OK);
    hits_t h = run(f->db, NULL, q);
    ASSERT_HITS(h, 3, 4, 5);
    assert_int_equal(lzs_xquery_value_range(SLOT_DATE, "2018-01-01", NULL, &q), LZS_OK);
    h = run(f->db, NULL, q);
    ASSERT_HITS(h, 2, 4);
    assert_int_equal(lzs_xquery_value_range(SLOT_DATE, NULL, "2015-12-31", &q), LZS_OK);
    h = run(f->db, NULL, q);
    ASSERT_HITS(h, 1);
    /* Open at both ends: every document with a value (doc 4 has no parties). */
    assert_int_equal(lzs_xquery_value_range(SLOT_PARTIES, NULL, NULL, &q), LZS_OK);
    h = run(f->db, NULL, q);
    ASSERT_HITS(h, 1, 2, 3, 5);
    /* An empty lower bound does not let documents without a value in. */
    assert_int_equal(lzs_xquery_value_range(SLOT_PARTIES, "", "SE", &q), LZS_OK);
    h = run(f->db, NULL, q);
    ASSERT_HITS(h, 1, 3, 5);
}

static void test_scale_changes_order(void **state)
{
    fixture_t *f = *state;
    /* committee: docs 1, 4, 5; parties: docs 2, 3. */
    lzs_xquery_t *a = NULL;
    lzs_xquery_t *b = NULL;
    lzs_xquery_t *t = term_q("parties");
    assert_int_equal(lzs_xquery_scale(t, 10.0, &b), LZS_OK);
    lzs_xquery_destroy(t);
    hits_t h = run(f->db, NULL, combine2(LZS_XQ_OR, term_q("committee"), b, 0));
    assert_int_equal(h.n, 5);
    assert_true(h.ids[0] == 2 || h.ids[0] == 3);
    assert_true(h.ids[1] == 2 || h.ids[1] == 3);

    t = term_q("committee");
    assert_int_equal(lzs_xquery_scale(t, 10.0, &a), LZS_OK);
    lzs_xquery_destroy(t);
    h = run(f->db, NULL, combine2(LZS_XQ_OR, a, term_q("parties"), 0));
    assert_int_equal(h.n, 5);
    assert_true(h.ids[3] == 2 || h.ids[3] == 3);
    assert_true(h.ids[4] == 2 || h.ids[4] == 3);

    t = term_q("committee");
    assert_int_equal(lzs_xquery_scale(t, -1.0, &a), LZS_ERR_INVALID);
    assert_null(a);
    lzs_xquery_destroy(t);
}

static void test_collapse(void **state)
{
    fixture_t *f = *state;
    lzs_xenq_t *enq = NULL;
    XDB_OK(f->db, lzs_xenq_create(f->db, &enq));
    ENQ_OK(enq, lzs_xenq_set_collapse(enq, SLOT_GROUP, 1));
    ENQ_OK(enq, lzs_xenq_sort_by_value(enq, SLOT_GROUP, 0, 0));
    lzs_xquery_t *q = NULL;
    assert_int_equal(lzs_xquery_match_all(&q), LZS_OK);
    ENQ_OK(enq, lzs_xenq_set_query(enq, q, 0));
    lzs_xquery_destroy(q);
    lzs_xmset_t *m = NULL;
    ENQ_OK(enq, lzs_xenq_get_mset(enq, 0, 10, NDOCS, NULL, 0, &m));
    /* One hit per group, in group order: g1 (2 docs), g2 (2 docs), g3 (1 doc). */
    assert_int_equal(lzs_xmset_size(m), 3);
    const char *groups[] = {"g1", "g2", "g3"};
    const uint32_t collapsed[] = {1, 1, 0};
    for (uint32_t i = 0; i < 3; i++) {
        lzs_xhit_t hit;
        assert_int_equal(lzs_xmset_get(m, i, &hit), LZS_OK);
        assert_int_equal(hit.collapse_count, collapsed[i]);
        char *v = NULL;
        size_t len = 0;
        assert_int_equal(lzs_xmset_value(m, i, SLOT_GROUP, &v, &len), LZS_OK);
        assert_string_equal(v, groups[i]);
        free(v);
    }
    lzs_xhit_t hit;
    assert_int_equal(lzs_xmset_get(m, 3, &hit), LZS_ERR_INVALID);
    lzs_xmset_destroy(m);

    /* Collapsing off again: every document. */
    ENQ_OK(enq, lzs_xenq_set_collapse(enq, SLOT_GROUP, 0));
    ENQ_OK(enq, lzs_xenq_get_mset(enq, 0, 10, NDOCS, NULL, 0, &m));
    assert_int_equal(lzs_xmset_size(m), NDOCS);
    lzs_xmset_destroy(m);
    lzs_xenq_destroy(enq);
}

static void test_sort_by_value(void **state)
{
    fixture_t *f = *state;
    lzs_xenq_t *enq = NULL;
    lzs_xquery_t *q = NULL;
    XDB_OK(f->db, lzs_xenq_create(f->db, &enq));
    /* Dates: 1 2015, 3 2016, 5 2017, 4 2018, 2 2019. */
    ENQ_OK(enq, lzs_xenq_sort_by_value(enq, SLOT_DATE, 0, 0));
    assert_int_equal(lzs_xquery_match_all(&q), LZS_OK);
    hits_t h = run(f->db, enq, q);
    const lzs_docid_t asc[] = {1, 3, 5, 4, 2};
    assert_int_equal(h.n, 5);
    assert_memory_equal(h.ids, asc, sizeof asc);

    ENQ_OK(enq, lzs_xenq_sort_by_value(enq, SLOT_DATE, 1, 1));
    assert_int_equal(lzs_xquery_match_all(&q), LZS_OK);
    h = run(f->db, enq, q);
    const lzs_docid_t desc[] = {2, 4, 5, 3, 1};
    assert_int_equal(h.n, 5);
    assert_memory_equal(h.ids, desc, sizeof desc);

    /* Back to relevance: the doc with the most query terms first. */
    ENQ_OK(enq, lzs_xenq_sort_by_relevance(enq));
    h = run(f->db, enq,
            combine2(LZS_XQ_OR, term_q("victims"),
                     combine2(LZS_XQ_OR, term_q("concerns"), term_q("recommendation"), 0), 0));
    assert_int_equal(h.ids[0], 4);
    lzs_xenq_destroy(enq);
}

static void test_boolean_weighting(void **state)
{
    fixture_t *f = *state;
    lzs_xenq_t *enq = NULL;
    XDB_OK(f->db, lzs_xenq_create(f->db, &enq));
    ENQ_OK(enq, lzs_xenq_set_boolean_weighting(enq, 1));
    lzs_xquery_t *q = term_q("child");
    ENQ_OK(enq, lzs_xenq_set_query(enq, q, 0));
    lzs_xquery_destroy(q);
    lzs_xmset_t *m = NULL;
    ENQ_OK(enq, lzs_xenq_get_mset(enq, 0, 10, 0, NULL, 0, &m));
    assert_int_equal(lzs_xmset_size(m), 4);
    lzs_xhit_t hit;
    assert_int_equal(lzs_xmset_get(m, 0, &hit), LZS_OK);
    assert_true(hit.weight == 0.0);
    /* Equal weights: docid order. */
    assert_int_equal(hit.docid, 1);
    lzs_xmset_destroy(m);

    ENQ_OK(enq, lzs_xenq_set_boolean_weighting(enq, 0));
    ENQ_OK(enq, lzs_xenq_get_mset(enq, 0, 10, 0, NULL, 0, &m));
    assert_int_equal(lzs_xmset_get(m, 0, &hit), LZS_OK);
    assert_true(hit.weight > 0.0);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(lzs_xmset_data(m, 0, &data, &len), LZS_OK);
    assert_memory_equal(data, "doc", 3);
    free(data);
    lzs_xmset_destroy(m);
    lzs_xenq_destroy(enq);
}

static void test_matching_terms(void **state)
{
    fixture_t *f = *state;
    lzs_xenq_t *enq = NULL;
    XDB_OK(f->db, lzs_xenq_create(f->db, &enq));
    lzs_xquery_t *q = combine2(LZS_XQ_OR, term_q("victims"),
                               combine2(LZS_XQ_OR, term_q("abuse"), term_q("committee"), 0), 0);
    ENQ_OK(enq, lzs_xenq_set_query(enq, q, 0));
    lzs_xquery_destroy(q);
    strlist_t l = {0};
    ENQ_OK(enq, lzs_xenq_matching_terms(enq, 5, collect_term, &l));
    assert_int_equal(l.n, 2);
    assert_true(list_has(&l, "victims"));
    assert_true(list_has(&l, "committee"));
    lzs_xenq_destroy(enq);
}

/* ---- tests: values, totals, relevance feedback ----------------------------- */

static int collect_value(void *ud, const char *v, size_t len, uint32_t freq)
{
    strlist_t *l = ud;
    if (l->n == sizeof l->items / sizeof l->items[0])
        return 1;
    l->freq[l->n] = freq;
    snprintf(l->items[l->n++], sizeof l->items[0], "%.*s", (int)len, v);
    return 0;
}

/* A weight for the documents whose slot holds a value (the language of the query), and a
 * sample of the values of a term's documents (how a word's language is told). */
static void test_value_weight_and_samples(void **state)
{
    fixture_t *f = *state;
    /* "parties" is in docs 2 (report) and 3 (opinion) */
    hits_t plain = run(f->db, NULL, term_q("parties"));
    assert_int_equal(plain.n, 2);
    lzs_xquery_t *bonus = NULL;
    assert_int_equal(lzs_xquery_value_weight(SLOT_TYPE, "report", 10.0, &bonus), LZS_OK);
    hits_t report = run(f->db, NULL, combine2(LZS_XQ_AND_MAYBE, term_q("parties"), bonus, 0));
    assert_int_equal(report.n, 2);
    assert_int_equal(report.ids[0], 2);
    assert_int_equal(lzs_xquery_value_weight(SLOT_TYPE, "opinion", 10.0, &bonus), LZS_OK);
    hits_t opinion = run(f->db, NULL, combine2(LZS_XQ_AND_MAYBE, term_q("parties"), bonus, 0));
    assert_int_equal(opinion.ids[0], 3);
    assert_int_equal(lzs_xquery_value_weight(SLOT_TYPE, "report", -1.0, &bonus), LZS_ERR_INVALID);
    assert_int_equal(lzs_xquery_value_weight(SLOT_TYPE, NULL, 1.0, &bonus), LZS_ERR_INVALID);

    /* "child" is in docs 1, 2, 4, 5: report, report, decision, report */
    strlist_t got;
    memset(&got, 0, sizeof got);
    XDB_OK(f->db, lzs_xdb_sample_values(f->db, "child", SLOT_TYPE, 64, collect_value, &got));
    assert_int_equal(got.n, 4);
    assert_true(list_has(&got, "decision"));
    assert_int_equal(got.freq[0], 1);
    memset(&got, 0, sizeof got);
    XDB_OK(f->db, lzs_xdb_sample_values(f->db, "child", SLOT_TYPE, 2, collect_value, &got));
    assert_int_equal(got.n, 2);
    memset(&got, 0, sizeof got);
    XDB_OK(f->db, lzs_xdb_sample_values(f->db, "absent", SLOT_TYPE, 64, collect_value, &got));
    assert_int_equal(got.n, 0);
    assert_int_equal(lzs_xdb_sample_values(f->db, "child", SLOT_TYPE, 64, NULL, NULL),
                     LZS_ERR_INVALID);
}

/* The cost model of lzs_xquery_cost, on the five-document corpus: child 4 documents,
 * committee 3, parties 2. */
static void test_query_cost(void **state)
{
    fixture_t *f = *state;
    uint64_t cost = 99;
    lzs_xquery_t *q = term_q("child");
    XDB_OK(f->db, lzs_xquery_cost(f->db, q, &cost));
    assert_int_equal(cost, 4);
    lzs_xquery_destroy(q);
    /* OR reads every list whole. */
    q = combine2(LZS_XQ_OR, term_q("child"), term_q("committee"), 0);
    XDB_OK(f->db, lzs_xquery_cost(f->db, q, &cost));
    assert_int_equal(cost, 7);
    lzs_xquery_destroy(q);
    /* AND: the rarest list (parties, 2) leads; child is skipped to its 2 candidates. */
    q = combine2(LZS_XQ_AND, term_q("child"), term_q("parties"), 0);
    XDB_OK(f->db, lzs_xquery_cost(f->db, q, &cost));
    assert_int_equal(cost, 4);
    lzs_xquery_destroy(q);
    /* AND_NOT: child leads (4), parties read no further than its own 2 postings. */
    q = combine2(LZS_XQ_AND_NOT, term_q("child"), term_q("parties"), 0);
    XDB_OK(f->db, lzs_xquery_cost(f->db, q, &cost));
    assert_int_equal(cost, 6);
    lzs_xquery_destroy(q);
    /* A missing term costs nothing; match-all and value ranges visit every document. */
    q = term_q("absent");
    XDB_OK(f->db, lzs_xquery_cost(f->db, q, &cost));
    assert_int_equal(cost, 0);
    lzs_xquery_destroy(q);
    assert_int_equal(lzs_xquery_match_all(&q), LZS_OK);
    XDB_OK(f->db, lzs_xquery_cost(f->db, q, &cost));
    assert_int_equal(cost, NDOCS);
    lzs_xquery_destroy(q);
    assert_int_equal(lzs_xquery_value_range(SLOT_DATE, "2016-01-01", NULL, &q), LZS_OK);
    XDB_OK(f->db, lzs_xquery_cost(f->db, q, &cost));
    assert_int_equal(cost, NDOCS);
    lzs_xquery_destroy(q);
    assert_int_equal(lzs_xquery_match_nothing(&q), LZS_OK);
    XDB_OK(f->db, lzs_xquery_cost(f->db, q, &cost));
    assert_int_equal(cost, 0);
    /* Arguments. */
    assert_int_equal(lzs_xquery_cost(f->db, NULL, &cost), LZS_ERR_INVALID);
    assert_int_equal(cost, 0);
    assert_int_equal(lzs_xquery_cost(f->db, q, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xquery_cost(NULL, q, &cost), LZS_ERR_INVALID);
    lzs_xquery_destroy(q);
}

static void test_check_at_least_exact_totals(void **state)
{
    fixture_t *f = *state;
    lzs_xenq_t *enq = NULL;
    XDB_OK(f->db, lzs_xenq_create(f->db, &enq));
    lzs_xquery_t *q = combine2(LZS_XQ_OR, term_q("child"), term_q("parties"), 0);
    ENQ_OK(enq, lzs_xenq_set_query(enq, q, 0));
    lzs_xquery_destroy(q);
    lzs_xmset_t *m = NULL;
    ENQ_OK(enq, lzs_xenq_get_mset(enq, 0, 1, NDOCS, NULL, 0, &m));
    assert_int_equal(lzs_xmset_size(m), 1);
    assert_int_equal(lzs_xmset_matches_estimated(m), 5);
    lzs_xmset_destroy(m);
    /* A second page. */
    ENQ_OK(enq, lzs_xenq_get_mset(enq, 3, 10, NDOCS, NULL, 0, &m));
    assert_int_equal(lzs_xmset_size(m), 2);
    lzs_xhit_t hit;
    assert_int_equal(lzs_xmset_get(m, 0, &hit), LZS_OK);
    assert_int_equal(hit.rank, 3);
    lzs_xmset_destroy(m);
    lzs_xenq_destroy(enq);
}

static void test_relevance_and_expand(void **state)
{
    fixture_t *f = *state;
    lzs_xenq_t *enq = NULL;
    XDB_OK(f->db, lzs_xenq_create(f->db, &enq));
    lzs_xquery_t *q = term_q("parties");
    ENQ_OK(enq, lzs_xenq_set_query(enq, q, 0));
    lzs_xquery_destroy(q);
    const lzs_docid_t rel[] = {3};
    lzs_xmset_t *m = NULL;
    ENQ_OK(enq, lzs_xenq_get_mset(enq, 0, 10, 0, rel, 1, &m));
    assert_int_equal(lzs_xmset_size(m), 2);
    lzs_xmset_destroy(m);

    /* More like doc 3: its own words, no prefixed terms, not the query term. */
    strlist_t l = {0};
    ENQ_OK(enq, lzs_xenq_expand(enq, rel, 1, 5, 1, collect_term, &l));
    assert_true(l.n > 0);
    assert_true(l.n <= 5);
    const char *doc3_words[] = {"must", "protect", "children", "from", "sexual", "abuse"};
    int found = 0;
    for (size_t i = 0; i < l.n; i++) {
        assert_false(l.items[i][0] >= 'A' && l.items[i][0] <= 'Z');
        assert_int_equal(l.freq[i], i); /* rank */
        for (size_t j = 0; j < sizeof doc3_words / sizeof doc3_words[0]; j++) {
            if (strcmp(l.items[i], doc3_words[j]) == 0) {
                found = 1;
            }
        }
    }
    assert_true(found);
    assert_false(list_has(&l, "parties"));

    /* Without skipping, the boolean terms of doc 3 are candidates too. */
    strlist_t all = {0};
    ENQ_OK(enq, lzs_xenq_expand(enq, rel, 1, 30, 0, collect_term, &all));
    assert_true(list_has(&all, "Qdoc3") || list_has(&all, "Kopinion"));
    lzs_xenq_destroy(enq);
}

/* ---- tests: spelling, synonyms, metadata ----------------------------------- */

static void test_spelling(void **state)
{
    fixture_t *f = *state;
    lzs_xdb_t *w = open_rw(f->path, LZS_XDB_CREATE);
    XDB_OK(w, lzs_xdb_add_spelling(w, "recommendation", 3));
    XDB_OK(w, lzs_xdb_add_spelling(w, "committee", 1));
    XDB_OK(w, lzs_xdb_commit(w));
    lzs_xdb_t *r = open_ro(f->path);
    char *s = NULL;
    XDB_OK(r, lzs_xdb_spelling_suggestion(r, "recomendation", 0, &s));
    assert_non_null(s);
    assert_string_equal(s, "recommendation");
    free(s);
    XDB_OK(r, lzs_xdb_spelling_suggestion(r, "comittee", 2, &s));
    assert_non_null(s);
    assert_string_equal(s, "committee");
    free(s);
    XDB_OK(r, lzs_xdb_spelling_suggestion(r, "xylophone", 2, &s));
    assert_null(s);
    /* A reader cannot write. */
    assert_int_equal(lzs_xdb_add_spelling(r, "word", 1), LZS_ERR_INVALID);
    assert_non_null(strstr(lzs_xdb_errmsg(r), "read-only"));
    assert_int_equal(lzs_xdb_remove_spelling(r, "committee", 1), LZS_ERR_INVALID);
    assert_non_null(strstr(lzs_xdb_errmsg(r), "read-only"));

    /* The words with their frequencies, in order; the writer sees its pending changes. */
    strlist_t l = {0};
    XDB_OK(r, lzs_xdb_spellings(r, collect_term, &l));
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0], "committee");
    assert_int_equal(l.freq[0], 1);
    assert_string_equal(l.items[1], "recommendation");
    assert_int_equal(l.freq[1], 3);
    XDB_OK(w, lzs_xdb_remove_spelling(w, "recommendation", 2));
    XDB_OK(w, lzs_xdb_remove_spelling(w, "committee", 5)); /* more than there is: gone */
    XDB_OK(w, lzs_xdb_remove_spelling(w, "absent", 1));    /* not an error */
    XDB_OK(w, lzs_xdb_add_spelling(w, "article", 2));
    memset(&l, 0, sizeof l);
    XDB_OK(w, lzs_xdb_spellings(w, collect_term, &l));
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0], "article");
    assert_int_equal(l.freq[0], 2);
    assert_string_equal(l.items[1], "recommendation");
    assert_int_equal(l.freq[1], 1);
    /* The callback stops the iteration. */
    l.n = 31;
    XDB_OK(w, lzs_xdb_spellings(w, collect_term, &l));
    assert_int_equal(l.n, 32);
    XDB_OK(w, lzs_xdb_commit(w));
    XDB_OK(r, lzs_xdb_reopen(r, NULL));
    XDB_OK(r, lzs_xdb_spelling_suggestion(r, "comittee", 2, &s));
    assert_null(s); /* no longer in the table */
    XDB_OK(r, lzs_xdb_spelling_suggestion(r, "recomendation", 0, &s));
    assert_non_null(s);
    assert_string_equal(s, "recommendation");
    free(s);
    lzs_xdb_close(r);
    lzs_xdb_close(w);
}

static void test_synonyms(void **state)
{
    fixture_t *f = *state;
    lzs_xdb_t *w = open_rw(f->path, LZS_XDB_CREATE);
    XDB_OK(w, lzs_xdb_add_synonym(w, "child", "minor"));
    XDB_OK(w, lzs_xdb_add_synonym(w, "child", "infant"));
    XDB_OK(w, lzs_xdb_add_synonym(w, "abuse", "exploitation"));
    XDB_OK(w, lzs_xdb_commit(w));

    strlist_t l = {0};
    XDB_OK(w, lzs_xdb_synonyms(w, "child", collect_term, &l));
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0], "infant");
    assert_string_equal(l.items[1], "minor");
    strlist_t keys = {0};
    XDB_OK(w, lzs_xdb_synonym_keys(w, "", collect_term, &keys));
    assert_int_equal(keys.n, 2);
    assert_string_equal(keys.items[0], "abuse");
    assert_string_equal(keys.items[1], "child");
    strlist_t ckeys = {0};
    XDB_OK(w, lzs_xdb_synonym_keys(w, "c", collect_term, &ckeys));
    assert_int_equal(ckeys.n, 1);

    XDB_OK(w, lzs_xdb_clear_synonyms(w, "child"));
    XDB_OK(w, lzs_xdb_commit(w));
    lzs_xdb_t *r = open_ro(f->path);
    strlist_t none = {0};
    XDB_OK(r, lzs_xdb_synonyms(r, "child", collect_term, &none));
    assert_int_equal(none.n, 0);
    strlist_t left = {0};
    XDB_OK(r, lzs_xdb_synonyms(r, "abuse", collect_term, &left));
    assert_int_equal(left.n, 1);
    assert_string_equal(left.items[0], "exploitation");
    lzs_xdb_close(r);
    lzs_xdb_close(w);
}

static void test_metadata(void **state)
{
    fixture_t *f = *state;
    lzs_xdb_t *w = open_rw(f->path, LZS_XDB_CREATE);
    XDB_OK(w, lzs_xdb_metadata_set(w, "schema", "3", 1));
    XDB_OK(w, lzs_xdb_metadata_set(w, "stats.docs", "12", 2));
    static const char bin[] = {'a', '\0', 'b'};
    XDB_OK(w, lzs_xdb_metadata_set(w, "stats.bin", bin, sizeof bin));
    XDB_OK(w, lzs_xdb_commit(w));

    lzs_xdb_t *r = open_ro(f->path);
    char *v = NULL;
    size_t len = 0;
    XDB_OK(r, lzs_xdb_metadata_get(r, "schema", &v, &len));
    assert_string_equal(v, "3");
    assert_int_equal(len, 1);
    free(v);
    XDB_OK(r, lzs_xdb_metadata_get(r, "stats.bin", &v, &len));
    assert_int_equal(len, 3);
    assert_memory_equal(v, bin, 3);
    assert_int_equal(v[3], '\0');
    free(v);
    assert_int_equal(lzs_xdb_metadata_get(r, "absent", &v, &len), LZS_ERR_NOT_FOUND);
    assert_null(v);
    strlist_t keys = {0};
    XDB_OK(r, lzs_xdb_metadata_keys(r, "stats.", collect_key, &keys));
    assert_int_equal(keys.n, 2);
    assert_string_equal(keys.items[0], "stats.bin");
    assert_string_equal(keys.items[1], "stats.docs");
    strlist_t allkeys = {0};
    XDB_OK(r, lzs_xdb_metadata_keys(r, "", collect_key, &allkeys));
    assert_int_equal(allkeys.n, 3);
    assert_int_equal(lzs_xdb_metadata_set(r, "x", "y", 1), LZS_ERR_INVALID);
    lzs_xdb_close(r);

    /* Length 0 deletes. */
    XDB_OK(w, lzs_xdb_metadata_set(w, "schema", NULL, 0));
    XDB_OK(w, lzs_xdb_commit(w));
    assert_int_equal(lzs_xdb_metadata_get(w, "schema", &v, &len), LZS_ERR_NOT_FOUND);
    assert_int_equal(lzs_xdb_metadata_get(w, "", &v, &len), LZS_ERR_INVALID);
    lzs_xdb_close(w);
}

/* ---- tests: concurrency, revisions, transactions, several databases -------- */

static void test_second_writer_locked(void **state)
{
    fixture_t *f = *state;
    lzs_xdb_t *w = open_rw(f->path, LZS_XDB_CREATE_OR_OPEN);
    lzs_xdb_t *w2 = (lzs_xdb_t *)f; /* must be reset to NULL */
    char *err = NULL;
    assert_int_equal(lzs_xdb_open_writable(f->path, LZS_XDB_CREATE_OR_OPEN, &w2, &err),
                     LZS_ERR_LOCKED);
    assert_null(w2);
    assert_non_null(err);
    assert_non_null(strstr(err, "locked by another writer"));
    free(err);
    /* Readers are not blocked by a writer. */
    lzs_xdb_t *r = open_ro(f->path);
    lzs_xdb_close(r);
    lzs_xdb_close(w);

    /* Lock released on close. */
    w = open_rw(f->path, LZS_XDB_OPEN);
    lzs_xdb_close(w);
}

static void test_open_errors(void **state)
{
    fixture_t *f = *state;
    char missing[128];
    snprintf(missing, sizeof missing, "%s/missing", f->dir);
    lzs_xdb_t *db = NULL;
    char *err = NULL;
    const char *paths[] = {missing};
    assert_int_equal(lzs_xdb_open_readonly(paths, 1, &db, &err), LZS_ERR_NOT_FOUND);
    assert_null(db);
    assert_non_null(err);
    assert_non_null(strstr(err, "missing"));
    free(err);
    err = NULL;
    assert_int_equal(lzs_xdb_open_writable(missing, LZS_XDB_OPEN, &db, &err), LZS_ERR_NOT_FOUND);
    assert_null(db);
    free(err);

    db = open_rw(f->path, LZS_XDB_CREATE);
    lzs_xdb_close(db);
    err = NULL;
    assert_int_equal(lzs_xdb_open_writable(f->path, LZS_XDB_CREATE, &db, &err), LZS_ERR_INVALID);
    assert_null(db);
    assert_non_null(strstr(err, "already exists"));
    free(err);
    /* errmsg may be NULL. */
    assert_int_equal(lzs_xdb_open_writable(f->path, LZS_XDB_CREATE, &db, NULL), LZS_ERR_INVALID);
    /* Overwrite replaces it. */
    db = open_rw(f->path, LZS_XDB_OVERWRITE);
    lzs_xdb_close(db);
}

static void test_reopen_sees_commit(void **state)
{
    fixture_t *f = *state;
    lzs_xdb_t *w = open_rw(f->path, LZS_XDB_CREATE);
    lzs_xdoc_t *doc = make_doc(0, &corpus[0]);
    XDB_OK(w, lzs_xdb_add_document(w, doc, NULL));
    XDB_OK(w, lzs_xdb_commit(w));

    lzs_xdb_t *r = open_ro(f->path);
    uint64_t rev1 = 0;
    uint64_t rev2 = 0;
    XDB_OK(r, lzs_xdb_revision(r, &rev1));
    uint32_t n = 0;
    XDB_OK(r, lzs_xdb_doccount(r, &n));
    assert_int_equal(n, 1);
    int changed = -1;
    XDB_OK(r, lzs_xdb_reopen(r, &changed));
    assert_int_equal(changed, 0);

    XDB_OK(w, lzs_xdb_add_document(w, doc, NULL));
    XDB_OK(w, lzs_xdb_commit(w));
    lzs_xdoc_destroy(doc);
    XDB_OK(r, lzs_xdb_doccount(r, &n));
    assert_int_equal(n, 1); /* a reader keeps its snapshot */
    XDB_OK(r, lzs_xdb_reopen(r, &changed));
    assert_int_equal(changed, 1);
    XDB_OK(r, lzs_xdb_doccount(r, &n));
    assert_int_equal(n, 2);
    XDB_OK(r, lzs_xdb_revision(r, &rev2));
    assert_true(rev2 > rev1);
    XDB_OK(r, lzs_xdb_reopen(r, NULL));
    lzs_xdb_close(r);
    lzs_xdb_close(w);
}

static void test_transactions(void **state)
{
    fixture_t *f = *state;
    lzs_xdb_t *w = open_rw(f->path, LZS_XDB_CREATE);
    lzs_xdoc_t *doc = make_doc(0, &corpus[0]);
    uint32_t n = 0;

    /* Cancelled: nothing left. */
    XDB_OK(w, lzs_xdb_begin_transaction(w, 1));
    assert_int_equal(lzs_xdb_begin_transaction(w, 1), LZS_ERR_INVALID);
    XDB_OK(w, lzs_xdb_add_document(w, doc, NULL));
    XDB_OK(w, lzs_xdb_metadata_set(w, "k", "v", 1));
    assert_int_equal(lzs_xdb_commit(w), LZS_ERR_INVALID);
    XDB_OK(w, lzs_xdb_cancel_transaction(w));
    XDB_OK(w, lzs_xdb_doccount(w, &n));
    assert_int_equal(n, 0);
    char *v = NULL;
    assert_int_equal(lzs_xdb_metadata_get(w, "k", &v, NULL), LZS_ERR_NOT_FOUND);
    assert_int_equal(lzs_xdb_cancel_transaction(w), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_commit_transaction(w), LZS_ERR_INVALID);

    /* Committed (flushed): on disk. */
    XDB_OK(w, lzs_xdb_begin_transaction(w, 1));
    XDB_OK(w, lzs_xdb_add_document(w, doc, NULL));
    XDB_OK(w, lzs_xdb_commit_transaction(w));
    lzs_xdb_t *r = open_ro(f->path);
    XDB_OK(r, lzs_xdb_doccount(r, &n));
    assert_int_equal(n, 1);

    /* Closing inside a transaction cancels it; closing outside commits. */
    XDB_OK(w, lzs_xdb_begin_transaction(w, 0));
    XDB_OK(w, lzs_xdb_add_document(w, doc, NULL));
    lzs_xdb_close(w);
    XDB_OK(r, lzs_xdb_reopen(r, NULL));
    XDB_OK(r, lzs_xdb_doccount(r, &n));
    assert_int_equal(n, 1);

    w = open_rw(f->path, LZS_XDB_OPEN);
    XDB_OK(w, lzs_xdb_add_document(w, doc, NULL));
    lzs_xdb_close(w);
    XDB_OK(r, lzs_xdb_reopen(r, NULL));
    XDB_OK(r, lzs_xdb_doccount(r, &n));
    assert_int_equal(n, 2);
    lzs_xdb_close(r);
    lzs_xdoc_destroy(doc);
}

static void test_multi_database(void **state)
{
    fixture_t *f = *state;
    char a[128];
    char b[128];
    snprintf(a, sizeof a, "%s/a", f->dir);
    snprintf(b, sizeof b, "%s/b", f->dir);
    lzs_xdb_t *wa = open_rw(a, LZS_XDB_CREATE);
    lzs_xdb_t *wb = open_rw(b, LZS_XDB_CREATE);
    for (size_t i = 0; i < NDOCS; i++) {
        lzs_xdoc_t *doc = make_doc(i, &corpus[i]);
        lzs_xdb_t *w = i < 2 ? wa : wb;
        XDB_OK(w, lzs_xdb_add_document(w, doc, NULL));
        lzs_xdoc_destroy(doc);
    }
    XDB_OK(wa, lzs_xdb_commit(wa));
    XDB_OK(wb, lzs_xdb_commit(wb));
    XDB_OK(wb, lzs_xdb_commit(wb)); /* no change: the revision stays */
    uint64_t rev_a = 0;
    XDB_OK(wa, lzs_xdb_revision(wa, &rev_a));

    const char *paths[] = {a, b};
    lzs_xdb_t *db = NULL;
    char *err = NULL;
    assert_int_equal(lzs_xdb_open_readonly(paths, 2, &db, &err), LZS_OK);
    uint32_t n = 0;
    XDB_OK(db, lzs_xdb_doccount(db, &n));
    assert_int_equal(n, NDOCS);
    XDB_OK(db, lzs_xdb_termfreq(db, "committee", &n));
    assert_int_equal(n, 3);
    lzs_xquery_t *q = term_q("child");
    hits_t h = run(db, NULL, q);
    assert_int_equal(h.n, 4);
    /* The revision is the first database's. */
    uint64_t rev = 0;
    XDB_OK(db, lzs_xdb_revision(db, &rev));
    assert_int_equal(rev, rev_a);

    /* A commit to the first database shows after reopen. */
    lzs_xdoc_t *doc = make_doc(0, &corpus[0]);
    XDB_OK(wa, lzs_xdb_add_document(wa, doc, NULL));
    lzs_xdoc_destroy(doc);
    XDB_OK(wa, lzs_xdb_commit(wa));
    int changed = 0;
    XDB_OK(db, lzs_xdb_reopen(db, &changed));
    assert_int_equal(changed, 1);
    XDB_OK(db, lzs_xdb_doccount(db, &n));
    assert_int_equal(n, NDOCS + 1);
    XDB_OK(db, lzs_xdb_revision(db, &rev));
    assert_true(rev > rev_a);

    lzs_xdb_close(db);
    lzs_xdb_close(wa);
    lzs_xdb_close(wb);
}

/* Writes text to path (a Xapian stub file). */
static void write_stub(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_true(fputs(text, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
}

/* A stub naming two databases opens as two sub-databases, each known apart: its name,
 * where it is, its revision, a handle of its own (which closing leaves the whole open),
 * the documents it holds and a query choosing them. */
static void test_stub_subdatabases(void **state)
{
    fixture_t *f = *state;
    char a[128], b[128], stub[128], one[128];
    snprintf(a, sizeof a, "%s/greta", f->dir);
    snprintf(b, sizeof b, "%s/grevio", f->dir);
    lzs_xdb_t *wa = open_rw(a, LZS_XDB_CREATE);
    lzs_xdb_t *wb = open_rw(b, LZS_XDB_CREATE);
    for (size_t i = 0; i < NDOCS; i++) {
        lzs_xdoc_t *doc = make_doc(i, &corpus[i]);
        lzs_xdb_t *w = i < 2 ? wa : wb;
        XDB_OK(w, lzs_xdb_add_document(w, doc, NULL));
        lzs_xdoc_destroy(doc);
    }
    XDB_OK(wa, lzs_xdb_commit(wa));
    XDB_OK(wb, lzs_xdb_commit(wb));
    XDB_OK(wb, lzs_xdb_metadata_set(wb, "k", "b", 1));
    XDB_OK(wb, lzs_xdb_commit(wb));
    snprintf(stub, sizeof stub, "%s/both.stub", f->dir);
    write_stub(stub, "# two collections\nauto greta\n\nglass grevio\n");

    const char *paths[] = {stub};
    lzs_xdb_t *db = NULL;
    char *err = NULL;
    assert_int_equal(lzs_xdb_open_readonly(paths, 1, &db, &err), LZS_OK);
    assert_int_equal(lzs_xdb_subcount(db), 2);
    assert_string_equal(lzs_xdb_sub_name(db, 0), "greta");
    assert_string_equal(lzs_xdb_sub_name(db, 1), "grevio");
    assert_string_equal(lzs_xdb_sub_where(db, 1), b);
    assert_null(lzs_xdb_sub_name(db, 2));
    assert_int_equal(lzs_xdb_sub_is_remote(db, 0), 0);
    uint64_t rev_a = 0, rev_b = 0, rev = 0;
    XDB_OK(wa, lzs_xdb_revision(wa, &rev_a));
    XDB_OK(wb, lzs_xdb_revision(wb, &rev_b));
    assert_true(rev_a != rev_b);
    XDB_OK(db, lzs_xdb_sub_revision(db, 1, &rev));
    assert_int_equal(rev, rev_b);
    XDB_OK(db, lzs_xdb_revision(db, &rev)); /* Xapian alone cannot read it over a stub of two */
    assert_int_equal(rev, rev_a);

    /* Each sub-database's metadata apart: the whole reads the first's only. */
    lzs_xdb_t *sub = NULL;
    char *v = NULL;
    XDB_OK(db, lzs_xdb_sub_open(db, 1, &sub));
    XDB_OK(sub, lzs_xdb_metadata_get(sub, "k", &v, NULL));
    assert_string_equal(v, "b");
    free(v);
    assert_int_equal(lzs_xdb_metadata_get(db, "k", &v, NULL), LZS_ERR_NOT_FOUND);
    uint32_t n = 0;
    XDB_OK(sub, lzs_xdb_doccount(sub, &n));
    assert_int_equal(n, NDOCS - 2);
    lzs_xdb_close(sub);
    XDB_OK(db, lzs_xdb_doccount(db, &n));
    assert_int_equal(n, NDOCS);

    /* Documents by sub-database: ids interleave (1 in greta, 2 in grevio, ...). */
    assert_int_equal(lzs_xdb_sub_of(db, 1), 0);
    assert_int_equal(lzs_xdb_sub_of(db, 2), 1);
    assert_int_equal(lzs_xdb_sub_of(db, 3), 0);
    size_t only_b = 1;
    lzs_xquery_t *choose = NULL;
    XDB_OK(db, lzs_xquery_subs(db, &only_b, 1, &choose));
    lzs_xquery_t *child = term_q("child");
    lzs_xquery_t *parts[] = {child, choose};
    lzs_xquery_t *both = NULL;
    assert_int_equal(lzs_xquery_combine(LZS_XQ_FILTER, parts, 2, 0, &both), LZS_OK);
    lzs_xquery_destroy(child);
    lzs_xquery_destroy(choose);
    hits_t all = run(db, NULL, term_q("child"));
    hits_t h = run(db, NULL, both);
    assert_true(h.n > 0 && h.n < all.n);
    for (size_t i = 0; i < h.n; i++) {
        assert_int_equal(lzs_xdb_sub_of(db, h.ids[i]), 1);
    }
    lzs_xdb_close(db);

    /* Named: a stub of one database takes the name given; of several, NAME/ before each. */
    snprintf(one, sizeof one, "%s/one.stub", f->dir);
    write_stub(one, "auto grevio\n");
    const char *two[] = {one, stub};
    const char *names[] = {"ecri", "coe"};
    assert_int_equal(lzs_xdb_open_named(two, names, 2, &db, &err), LZS_OK);
    assert_int_equal(lzs_xdb_subcount(db), 3);
    assert_string_equal(lzs_xdb_sub_name(db, 0), "ecri");
    assert_string_equal(lzs_xdb_sub_name(db, 1), "coe/greta");
    assert_string_equal(lzs_xdb_sub_name(db, 2), "coe/grevio");
    lzs_xdb_close(db);

    /* A line that would start a program is refused, naming the file. */
    write_stub(one, "auto greta\nremote :xapian-progsrv grevio\n");
    const char *bad[] = {one};
    assert_int_equal(lzs_xdb_open_readonly(bad, 1, &db, &err), LZS_ERR_INVALID);
    assert_null(db);
    assert_non_null(err);
    assert_non_null(strstr(err, one));
    free(err);
    lzs_xdb_close(wa);
    lzs_xdb_close(wb);
}

/* ---- tests: stemmers, numbers, limits, arguments --------------------------- */

static void test_stemmers(void **state)
{
    (void)state;
    lzs_xstem_t *en = NULL;
    lzs_xstem_t *fr = NULL;
    char buf[64];
    size_t len = 0;
    assert_int_equal(lzs_xstem_create("en", &en), LZS_OK);
    assert_int_equal(lzs_xstem_apply(en, "recommendations", 15, buf, sizeof buf, &len), LZS_OK);
    assert_string_equal(buf, "recommend");
    assert_int_equal(len, 9);
    assert_int_equal(lzs_xstem_create("fr", &fr), LZS_OK);
    assert_int_equal(lzs_xstem_apply(fr, "recommandations", 15, buf, sizeof buf, &len), LZS_OK);
    assert_string_equal(buf, "recommand");
    /* Too small a buffer: the needed length is reported. */
    assert_int_equal(lzs_xstem_apply(en, "recommendations", 15, buf, 5, &len), LZS_ERR_LIMIT);
    assert_int_equal(len, 9);
    assert_string_equal(buf, "");
    assert_int_equal(lzs_xstem_apply(en, "recommendations", 15, buf, 10, &len), LZS_OK);
    lzs_xstem_destroy(en);
    lzs_xstem_destroy(fr);

    lzs_xstem_t *s = NULL;
    assert_int_equal(lzs_xstem_create("english", &s), LZS_OK);
    lzs_xstem_destroy(s);
    s = (lzs_xstem_t *)buf;
    assert_int_equal(lzs_xstem_create("klingon", &s), LZS_ERR_NOT_FOUND);
    assert_null(s);
    assert_int_equal(lzs_xstem_create("", &s), LZS_ERR_INVALID);
}

static void test_sortable_numbers(void **state)
{
    (void)state;
    char a[18];
    char b[18];
    size_t la = lzs_xdb_sortable_serialise(9.5, a);
    size_t lb = lzs_xdb_sortable_serialise(10.0, b);
    assert_true(la > 0 && la <= sizeof a);
    size_t common = la < lb ? la : lb;
    int cmp = memcmp(a, b, common);
    assert_true(cmp < 0 || (cmp == 0 && la < lb));
}

static void test_term_length_limit(void **state)
{
    fixture_t *f = *state;
    char longest[LZS_XDB_MAX_TERM + 1];
    char too_long[LZS_XDB_MAX_TERM + 2];
    memset(longest, 'a', LZS_XDB_MAX_TERM);
    longest[LZS_XDB_MAX_TERM] = '\0';
    memset(too_long, 'b', LZS_XDB_MAX_TERM + 1);
    too_long[LZS_XDB_MAX_TERM + 1] = '\0';

    lzs_xdoc_t *doc = NULL;
    assert_int_equal(lzs_xdoc_create(&doc), LZS_OK);
    assert_int_equal(lzs_xdoc_add_term(doc, too_long, 1), LZS_ERR_LIMIT);
    assert_int_equal(lzs_xdoc_add_posting(doc, too_long, 1, 1), LZS_ERR_LIMIT);
    assert_int_equal(lzs_xdoc_add_boolean_term(doc, too_long), LZS_ERR_LIMIT);
    assert_int_equal(lzs_xdoc_add_term(doc, "", 1), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdoc_add_term(doc, longest, 1), LZS_OK);
    lzs_xquery_t *q = NULL;
    assert_int_equal(lzs_xquery_term(too_long, 1, 0, &q), LZS_ERR_LIMIT);
    assert_null(q);

    /* The longest allowed term goes into the index and can be found. */
    lzs_xdb_t *w = open_rw(f->path, LZS_XDB_CREATE);
    XDB_OK(w, lzs_xdb_add_document(w, doc, NULL));
    XDB_OK(w, lzs_xdb_commit(w));
    uint32_t n = 0;
    XDB_OK(w, lzs_xdb_termfreq(w, longest, &n));
    assert_int_equal(n, 1);
    assert_int_equal(lzs_xdb_termfreq(w, too_long, &n), LZS_ERR_LIMIT);
    assert_int_equal(lzs_xdb_delete_documents(w, too_long), LZS_ERR_LIMIT);
    assert_non_null(strstr(lzs_xdb_errmsg(w), "245"));
    lzs_xdb_close(w);
    lzs_xdoc_destroy(doc);
}

static void test_null_arguments(void **state)
{
    fixture_t *f = *state;
    lzs_xdb_t *db = f->db;
    lzs_xdb_t *dbout = (lzs_xdb_t *)f;
    char *err = NULL;
    uint32_t n = 0;
    uint64_t rev = 0;
    char *s = NULL;

    /* Destroying NULL is a no-op. */
    lzs_xdb_close(NULL);
    lzs_xdoc_destroy(NULL);
    lzs_xquery_destroy(NULL);
    lzs_xenq_destroy(NULL);
    lzs_xmset_destroy(NULL);
    lzs_xstem_destroy(NULL);

    assert_int_equal(lzs_xdb_open_readonly(NULL, 1, &dbout, &err), LZS_ERR_INVALID);
    assert_null(dbout);
    assert_non_null(err);
    free(err);
    const char *nullpath[] = {NULL};
    assert_int_equal(lzs_xdb_open_readonly(nullpath, 1, &dbout, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_open_readonly(nullpath, 0, &dbout, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_open_writable(NULL, LZS_XDB_CREATE, &dbout, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_open_writable(f->path, LZS_XDB_CREATE, NULL, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_open_writable(f->path, (lzs_xdb_mode_t)42, &dbout, NULL),
                     LZS_ERR_INVALID);
    assert_non_null(lzs_xdb_errmsg(NULL));
    assert_int_equal(lzs_xdb_doccount(NULL, &n), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_doccount(db, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_lastdocid(NULL, &n), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_revision(NULL, &rev), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_set_phrase_prefix(NULL, "XPH:"), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_reopen(NULL, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_commit(NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_commit(db), LZS_ERR_INVALID); /* read-only */
    assert_int_equal(lzs_xdb_begin_transaction(NULL, 1), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_commit_transaction(NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_cancel_transaction(NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_metadata_get(db, NULL, &s, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_metadata_get(db, "k", NULL, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_metadata_set(NULL, "k", "v", 1), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_metadata_keys(db, NULL, collect_key, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_metadata_keys(db, "", NULL, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_allterms(db, "", NULL, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_termfreq(db, NULL, &n), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_postlist(db, NULL, collect_docid, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_postlist(db, "x", NULL, NULL), LZS_ERR_INVALID);

    lzs_xdoc_t *doc = (lzs_xdoc_t *)f;
    assert_int_equal(lzs_xdoc_create(NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdoc_add_term(NULL, "x", 1), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_get_document(db, 1, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_get_document(NULL, 1, &doc), LZS_ERR_INVALID);
    assert_null(doc);
    assert_int_equal(lzs_xdb_get_document(db, 0, &doc), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdoc_create(&doc), LZS_OK);
    assert_int_equal(lzs_xdoc_add_term(doc, NULL, 1), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdoc_add_posting(doc, NULL, 1, 1), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdoc_add_boolean_term(doc, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdoc_set_value(doc, 0, NULL, 3), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdoc_set_data(doc, NULL, 3), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdoc_set_data(doc, NULL, 0), LZS_OK);
    assert_int_equal(lzs_xdoc_get_data(doc, NULL, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdoc_get_value(NULL, 0, &s, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdoc_terms(doc, NULL, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_add_document(db, NULL, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_add_document(NULL, doc, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_add_document(db, doc, NULL), LZS_ERR_INVALID); /* read-only */
    assert_int_equal(lzs_xdb_delete_documents(db, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_delete_document(NULL, 1), LZS_ERR_INVALID);
    lzs_xdoc_destroy(doc);

    assert_int_equal(lzs_xdb_add_spelling(db, NULL, 1), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_remove_spelling(db, NULL, 1), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_remove_spelling(NULL, "a", 1), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_spellings(db, NULL, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_spellings(NULL, collect_term, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_spelling_suggestion(db, NULL, 2, &s), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_spelling_suggestion(db, "x", 2, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_add_synonym(db, "a", NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_clear_synonyms(NULL, "a"), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_synonyms(db, NULL, collect_term, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_synonym_keys(db, NULL, collect_term, NULL), LZS_ERR_INVALID);

    lzs_xstem_t *stem = NULL;
    char buf[8];
    assert_int_equal(lzs_xstem_create(NULL, &stem), LZS_ERR_INVALID);
    assert_int_equal(lzs_xstem_create("en", NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xstem_apply(NULL, "a", 1, buf, sizeof buf, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xstem_create("en", &stem), LZS_OK);
    assert_int_equal(lzs_xstem_apply(stem, NULL, 1, buf, sizeof buf, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xstem_apply(stem, "a", 1, NULL, 8, NULL), LZS_ERR_INVALID);
    lzs_xstem_destroy(stem);

    lzs_xquery_t *q = NULL;
    lzs_xquery_t *subs[] = {NULL};
    assert_int_equal(lzs_xquery_term(NULL, 1, 0, &q), LZS_ERR_INVALID);
    assert_int_equal(lzs_xquery_term("a", 1, 0, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xquery_match_all(NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xquery_match_nothing(NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xquery_combine(LZS_XQ_AND, NULL, 2, 0, &q), LZS_ERR_INVALID);
    assert_int_equal(lzs_xquery_combine(LZS_XQ_AND, subs, 1, 0, &q), LZS_ERR_INVALID);
    assert_int_equal(lzs_xquery_combine((lzs_xquery_op_t)99, subs, 0, 0, &q), LZS_ERR_INVALID);
    assert_int_equal(lzs_xquery_value_range(0, "a", "b", NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xquery_scale(NULL, 1.0, &q), LZS_ERR_INVALID);
    assert_int_equal(lzs_xquery_describe(NULL, &s), LZS_ERR_INVALID);
    assert_int_equal(lzs_xdb_sortable_serialise(1.0, NULL), 0);

    lzs_xenq_t *enq = NULL;
    lzs_xmset_t *m = NULL;
    lzs_xhit_t hit;
    assert_int_equal(lzs_xenq_create(NULL, &enq), LZS_ERR_INVALID);
    assert_int_equal(lzs_xenq_create(db, NULL), LZS_ERR_INVALID);
    assert_non_null(lzs_xenq_errmsg(NULL));
    assert_int_equal(lzs_xenq_set_query(NULL, NULL, 0), LZS_ERR_INVALID);
    assert_int_equal(lzs_xenq_sort_by_relevance(NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xenq_sort_by_value(NULL, 0, 0, 0), LZS_ERR_INVALID);
    assert_int_equal(lzs_xenq_set_boolean_weighting(NULL, 1), LZS_ERR_INVALID);
    assert_int_equal(lzs_xenq_set_collapse(NULL, 0, 1), LZS_ERR_INVALID);
    assert_int_equal(lzs_xenq_get_mset(NULL, 0, 10, 0, NULL, 0, &m), LZS_ERR_INVALID);
    assert_int_equal(lzs_xenq_create(db, &enq), LZS_OK);
    assert_int_equal(lzs_xenq_set_query(enq, NULL, 0), LZS_ERR_INVALID);
    assert_int_equal(lzs_xenq_get_mset(enq, 0, 10, 0, NULL, 0, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xenq_get_mset(enq, 0, 10, 0, NULL, 3, &m), LZS_ERR_INVALID);
    assert_int_equal(lzs_xenq_matching_terms(enq, 1, NULL, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xenq_expand(enq, NULL, 1, 10, 1, collect_term, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xenq_expand(NULL, NULL, 0, 10, 1, collect_term, NULL), LZS_ERR_INVALID);
    lzs_xenq_destroy(enq);
    assert_int_equal(lzs_xmset_size(NULL), 0);
    assert_int_equal(lzs_xmset_matches_estimated(NULL), 0);
    assert_int_equal(lzs_xmset_get(NULL, 0, &hit), LZS_ERR_INVALID);
    assert_int_equal(lzs_xmset_data(NULL, 0, &s, NULL), LZS_ERR_INVALID);
    assert_int_equal(lzs_xmset_value(NULL, 0, 0, &s, NULL), LZS_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_documents_roundtrip, setup_dir, teardown),
        cmocka_unit_test_setup_teardown(test_postlist, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_phrase_and_near, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_boolean_operators, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_phrase_prefix, setup_dir, teardown),
        cmocka_unit_test_setup_teardown(test_value_range_dates, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_scale_changes_order, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_collapse, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_sort_by_value, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_boolean_weighting, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_matching_terms, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_stub_subdatabases, setup_dir, teardown),
        cmocka_unit_test_setup_teardown(test_value_weight_and_samples, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_query_cost, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_check_at_least_exact_totals, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_relevance_and_expand, setup_corpus, teardown),
        cmocka_unit_test_setup_teardown(test_spelling, setup_dir, teardown),
        cmocka_unit_test_setup_teardown(test_synonyms, setup_dir, teardown),
        cmocka_unit_test_setup_teardown(test_metadata, setup_dir, teardown),
        cmocka_unit_test_setup_teardown(test_second_writer_locked, setup_dir, teardown),
        cmocka_unit_test_setup_teardown(test_open_errors, setup_dir, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_sees_commit, setup_dir, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup_dir, teardown),
        cmocka_unit_test_setup_teardown(test_multi_database, setup_dir, teardown),
        cmocka_unit_test(test_stemmers),
        cmocka_unit_test(test_sortable_numbers),
        cmocka_unit_test_setup_teardown(test_term_length_limit, setup_dir, teardown),
        cmocka_unit_test_setup_teardown(test_null_arguments, setup_corpus, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
