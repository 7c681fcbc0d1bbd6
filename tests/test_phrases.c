/* test_phrases.c — the phrase terms of passages (lzs/schema.h, LZS_PFX_PHRASE) and the list
 * of them an index keeps (LZS_META_PHRASES):
 *   - a passage gets the term of a thesaurus or synonym phrase where a phrase query finds
 *     it (a hyphenated word apart and joined), never where the words are apart or reversed;
 *   - search answers the same with the list as without it (positions), and uses the list:
 *     a phrase listed without its terms is not found by positions;
 *   - a run that is not clean lists only what the runs before listed too; a rebuild lists
 *     all again; an index of an older program (no list) keeps none until a rebuild;
 *   - every shard of a sharded index holds the list.
 * The corpus is written by the test: two documents, English and French. */
#define _XOPEN_SOURCE 700 /* nftw, strtok_r */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "lzs/schema.h"
#include "lzs/xdb.h"
#include "testindex.h"

static testindex_t g_ti;
static char g_corpus[300];
static char g_data[300];

static const char k_en[] =
    "# Phrase fixture\n\n"
    "1. States should strengthen international co-operation in criminal matters.\n\n"
    "2. International cooperation between police services was discussed.\n\n"
    "3. The co-operation was international in scope.\n\n"
    "4. Cases of sexual abuse were reported to the police.\n\n"
    "5. The abuse was sexual in nature.\n\n"
    "6. Sexual and physical abuse were both reported.\n\n"
    "7. The report wrote international co operation with a space.\n\n"
    "8. Offences concerning child sexual abuse material were prosecuted.\n";
static const char k_en_meta[] = "{\"title\": \"Phrase fixture\", \"type\": \"activity-report\", "
                                "\"date\": \"2020-01-10\", \"language\": \"en\"}";
static const char k_fr[] = "# Fiche des phrases\n\n"
                           "1. La coopération internationale est essentielle.\n\n"
                           "2. Internationale ou nationale, la coopération compte.\n\n"
                           "3. Des abus sexuels ont été signalés.\n";
static const char k_fr_meta[] = "{\"title\": \"Fiche des phrases\", \"type\": \"activity-report\", "
                                "\"date\": \"2020-01-10\", \"language\": \"fr\"}";

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void remove_file(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", g_corpus, name);
    assert_int_equal(remove(path), 0);
}

/* Copies the shipped domain data to g_data, leaving out the thesaurus lines holding drop
 * (NULL: none). */
static void make_data(const char *drop)
{
    static const char *const files[] = {
        "anaphora.tsv", "articles.tsv",    "citations.tsv", "doctypes.tsv", "headings.tsv",
        "hyphens.tsv",  "instruments.tsv", "levels.tsv",    "months.tsv",   "opinions.tsv",
        "parties.tsv",  "rounds.tsv",      "stopwords.tsv", "synonyms.tsv", "words.tsv"};
    char from[512], to[512];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(from, sizeof from, "%s/data/%s", LZS_CORPUS_DIR, files[i]);
        snprintf(to, sizeof to, "%s/%s", g_data, files[i]);
        assert_int_equal(testindex_copy(from, to), 0);
    }
    snprintf(from, sizeof from, "%s/data/thesaurus.tsv", LZS_CORPUS_DIR);
    snprintf(to, sizeof to, "%s/thesaurus.tsv", g_data);
    FILE *in = fopen(from, "r"), *out = fopen(to, "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[4096];
    while (fgets(line, sizeof line, in))
        if (!drop || !strstr(line, drop))
            fputs(line, out);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static lzs_index_summary_t *run(int rebuild, unsigned shards)
{
    lzs_index_opts_t opts;
    lzs_index_opts_init(&opts);
    opts.index_dir = g_ti.index;
    opts.data_dir = g_data;
    opts.jobs = 2;
    opts.rebuild = rebuild;
    opts.shards = shards;
    const char *dirs[1] = {g_corpus};
    lzs_index_summary_t *sum = NULL;
    char *msg = NULL;
    lzs_status_t st = lzs_index_run(&opts, dirs, 1, &sum, &msg);
    if (st != LZS_OK)
        fail_msg("index run: %s", msg ? msg : lzs_status_str(st));
    assert_int_equal(sum->nskipped, 0);
    return sum;
}

static int group_setup(void **state)
{
    (void)state;
    if (testindex_init(&g_ti, "lzs_test_phrases") != 0)
        return -1;
    snprintf(g_corpus, sizeof g_corpus, "%s/corpus", g_ti.tmp);
    snprintf(g_data, sizeof g_data, "%s/data", g_ti.tmp);
    if (mkdir(g_corpus, 0755) != 0 || mkdir(g_data, 0755) != 0)
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    testindex_close(&g_ti);
    return 0;
}

/* A fresh index of the two documents with the full data. */
static void fresh_index(void)
{
    nftw(g_ti.index, testindex_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    write_text(g_corpus, "phr_en.md", k_en);
    write_text(g_corpus, "phr_en.meta.json", k_en_meta);
    write_text(g_corpus, "phr_fr.md", k_fr);
    write_text(g_corpus, "phr_fr.meta.json", k_fr_meta);
    make_data(NULL);
    lzs_index_summary_free(run(0, 0));
}

static lzs_xdb_t *open_db(const char *path)
{
    lzs_xdb_t *db = NULL;
    char *msg = NULL;
    if (lzs_xdb_open_readonly(&path, 1, &db, &msg) != LZS_OK)
        fail_msg("open %s: %s", path, msg ? msg : "?");
    return db;
}

static uint32_t termfreq(lzs_xdb_t *db, const char *key)
{
    char term[300];
    snprintf(term, sizeof term, "%s%s", LZS_PFX_PHRASE, key);
    uint32_t n = 0;
    assert_int_equal(lzs_xdb_termfreq(db, term, &n), LZS_OK);
    return n;
}

/* 1 when LZS_META_PHRASES of db lists key; -1 when db has no list. */
static int lists(lzs_xdb_t *db, const char *key)
{
    char *v = NULL;
    size_t len = 0;
    lzs_status_t st = lzs_xdb_metadata_get(db, LZS_META_PHRASES, &v, &len);
    if (st == LZS_ERR_NOT_FOUND)
        return -1;
    assert_int_equal(st, LZS_OK);
    int found = 0;
    for (char *save = NULL, *k = strtok_r(v, "\n", &save); k; k = strtok_r(NULL, "\n", &save))
        found |= strcmp(k, key) == 0;
    free(v);
    return found;
}

static void set_list(const char *value)
{
    lzs_xdb_t *db = NULL;
    char *msg = NULL;
    assert_int_equal(lzs_xdb_open_writable(g_ti.index, LZS_XDB_OPEN, &db, &msg), LZS_OK);
    assert_int_equal(lzs_xdb_metadata_set(db, LZS_META_PHRASES, value, strlen(value)), LZS_OK);
    assert_int_equal(lzs_xdb_commit(db), LZS_OK);
    lzs_xdb_close(db);
}

static void test_terms(void **state)
{
    (void)state;
    fresh_index();
    lzs_xdb_t *db = open_db(g_ti.index);
    /* joined: passages 1 and 2 (hyphenated and joined); apart: 1 (its parts) and 7 */
    assert_int_equal(termfreq(db, "international cooperation"), 2);
    assert_int_equal(termfreq(db, "international co operation"), 2);
    /* 4 and 8, not 5 ("abuse was sexual") nor 6 ("sexual and physical abuse") */
    assert_int_equal(termfreq(db, "sexual abuse"), 2);
    assert_int_equal(termfreq(db, "child sexual abuse material"), 1);
    /* French: 1 only (2 holds both words, apart) */
    assert_int_equal(termfreq(db, "cooperation internationale"), 1);
    assert_int_equal(termfreq(db, "abus sexuels"), 1);
    assert_int_equal(lists(db, "international cooperation"), 1);
    assert_int_equal(lists(db, "international co operation"), 1);
    assert_int_equal(lists(db, "sexual abuse"), 1);
    assert_int_equal(lists(db, "cooperation internationale"), 1);
    assert_int_equal(lists(db, "sexual"), 0); /* one word: no phrase */
    lzs_xdb_close(db);
}

/* Total and passage ids of q over the index at path, in rank order (sorted: 1 sorts the
 * ids). The total comes from one match with the page, or with g_parallel from a boolean
 * match apart (which reads phrase terms instead of positions). */
static int g_parallel;
static void answer_at(const char *path, const char *q, int sorted, char *buf, size_t cap)
{
    lzs_searcher_t *s = NULL;
    char *msg = NULL;
    if (lzs_searcher_open(path, g_ti.ex, &s, &msg) != LZS_OK)
        fail_msg("searcher_open %s: %s", path, msg ? msg : "?");
    lzs_searcher_set_parallel(s, g_parallel ? 1 : 0);
    lzs_search_req_t req;
    lzs_search_req_init(&req);
    req.q = q;
    req.size = 50;
    json_t *out = NULL;
    lzs_search_error_t e;
    if (lzs_search_run(s, &req, &out, &e) != LZS_OK)
        fail_msg("%s: %s", q, e.message);
    const char *ids[50];
    size_t n = 0, i;
    json_t *h;
    json_array_foreach(json_object_get(out, "hits"), i, h)
    {
        if (n < 50)
            ids[n++] = json_string_value(json_object_get(h, "id"));
    }
    if (sorted)
        for (size_t a = 1; a < n; a++)
            for (size_t b = a; b > 0 && strcmp(ids[b - 1], ids[b]) > 0; b--) {
                const char *t = ids[b];
                ids[b] = ids[b - 1];
                ids[b - 1] = t;
            }
    snprintf(buf, cap, "%lld:", (long long)json_integer_value(json_object_get(out, "total")));
    for (size_t k = 0; k < n; k++) {
        strncat(buf, ids[k], cap - strlen(buf) - 1);
        strncat(buf, " ", cap - strlen(buf) - 1);
    }
    json_decref(out);
    lzs_searcher_close(s);
}

static void answer(const char *q, int sorted, char *buf, size_t cap)
{
    answer_at(g_ti.index, q, sorted, buf, cap);
}

static void test_same_answers(void **state)
{
    (void)state;
    fresh_index();
    /* quoted phrases weigh as before (their words): same order; a phrase inside a synonym
     * or thesaurus group is estimated differently by Xapian, so the same passages */
    static const struct {
        const char *q;
        int sorted;
    } qs[] = {
        {"\"sexual abuse\"", 0},
        {"\"international co-operation\"", 0},
        {"\"international cooperation\"", 0},
        {"\"coopération internationale\"", 0},
        {"\"child sexual abuse material\"", 0},
        {"\"sexual abuse\" police", 0},
        {"\"abuse sexual\"", 0},
        {"international co-operation", 1},
        {"sexual abuse", 1},
        {"coopération internationale", 1},
        {"child pornography", 1},
        {"abus sexuels", 1},
    };
    char with[sizeof qs / sizeof qs[0]][2048], without[2048];
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++)
        answer(qs[i].q, qs[i].sorted, with[i], sizeof with[i]);
    assert_string_not_equal(with[0], "0:");
    g_parallel = 1;
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        answer(qs[i].q, qs[i].sorted, without, sizeof without);
        if (strcmp(with[i], without) != 0)
            fail_msg("%s: in one match %s, counted apart %s", qs[i].q, with[i], without);
    }
    g_parallel = 0;
    set_list(""); /* deleted: as an index of an older program */
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        answer(qs[i].q, qs[i].sorted, without, sizeof without);
        if (strcmp(with[i], without) != 0)
            fail_msg("%s: with phrase terms %s, by positions %s", qs[i].q, with[i], without);
    }
    /* The list is what search trusts: a phrase listed whose terms no passage was given
     * ("was sexual", in passage 5) is looked up by its term and found nowhere. */
    char buf[2048];
    answer("\"was sexual\"", 0, buf, sizeof buf);
    assert_string_not_equal(buf, "0:");
    set_list("sexual abuse\nwas sexual");
    answer("\"was sexual\"", 0, buf, sizeof buf);
    assert_string_equal(buf, "0:");
}

static void test_incremental_list(void **state)
{
    (void)state;
    fresh_index();
    /* the thesaurus loses the concept of international co-operation; a new file comes */
    make_data("international co-operation");
    write_text(g_corpus, "phr2_en.md",
               "# Second\n\n1. International cooperation and sexual "
               "abuse again.\n");
    write_text(g_corpus, "phr2_en.meta.json", k_en_meta);
    lzs_index_summary_free(run(0, 0));
    lzs_xdb_t *db = open_db(g_ti.index);
    assert_int_equal(lists(db, "sexual abuse"), 1);
    assert_int_equal(lists(db, "international cooperation"), 0);
    assert_int_equal(termfreq(db, "sexual abuse"), 3);
    lzs_xdb_close(db);

    /* the concept back: an incremental run cannot list it (the new file lacks its term) */
    make_data(NULL);
    write_text(g_corpus, "phr3_en.md", "# Third\n\n1. Nothing of note.\n");
    write_text(g_corpus, "phr3_en.meta.json", k_en_meta);
    lzs_index_summary_t *sum = run(0, 0);
    /* the two concepts dropped (article 38's title and international co-operation): each
     * English term read apart and joined, and the French term */
    assert_int_equal(sum->phrases_by_positions, 6);
    assert_true(sum->phrases > 10);
    lzs_index_summary_free(sum);
    db = open_db(g_ti.index);
    assert_int_equal(lists(db, "international cooperation"), 0);
    lzs_xdb_close(db);

    /* a rebuild lists it again, every passage having its term */
    sum = run(1, 0);
    assert_int_equal(sum->phrases_by_positions, 0);
    lzs_index_summary_free(sum);
    db = open_db(g_ti.index);
    assert_int_equal(lists(db, "international cooperation"), 1);
    assert_int_equal(termfreq(db, "international cooperation"), 3);
    lzs_xdb_close(db);

    /* an index without a list (an older program's) keeps none through an incremental run */
    set_list("");
    remove_file("phr3_en.md");
    lzs_index_summary_free(run(0, 0));
    db = open_db(g_ti.index);
    assert_int_equal(lists(db, "sexual abuse"), -1);
    lzs_xdb_close(db);
    remove_file("phr2_en.md");
}

static void test_shards(void **state)
{
    (void)state;
    fresh_index();
    lzs_index_summary_free(run(1, 2));
    char path[512];
    for (int k = 0; k < 2; k++) {
        /* the newest generation's shard k */
        snprintf(path, sizeof path, "%s/shards/XAPIANDB", g_ti.index);
        lzs_xdb_t *db = open_db(path);
        assert_int_equal(lzs_xdb_subcount(db), 2);
        lzs_xdb_t *sub = NULL;
        assert_int_equal(lzs_xdb_sub_open(db, (size_t)k, &sub), LZS_OK);
        assert_int_equal(lists(sub, "sexual abuse"), 1);
        lzs_xdb_close(sub);
        lzs_xdb_close(db);
    }
    /* searching the shards finds phrases as the one database does */
    char one[2048], two[2048];
    answer("\"sexual abuse\"", 1, one, sizeof one);
    snprintf(path, sizeof path, "%s/shards", g_ti.index);
    answer_at(path, "\"sexual abuse\"", 1, two, sizeof two);
    assert_string_equal(one, two);
    assert_string_not_equal(one, "0:");
    lzs_index_summary_free(run(1, 1)); /* back to one database */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terms),
        cmocka_unit_test(test_same_answers),
        cmocka_unit_test(test_incremental_list),
        cmocka_unit_test(test_shards),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
