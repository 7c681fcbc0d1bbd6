/* test_search.c — lzs_search over an index of the shipped corpus, a French fixture
 * (tests/data/search/fr) and a generated word list (for the wildcard limit).
 *
 * Expected counts come from reading the seed documents: e.g. factsheet 003 has exactly
 * one recommendation at level "require" addressed to Norway (V-17), and the French
 * fixture none (its "exige" recommendation is addressed to Andorra and Monaco).
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lzs/extract.h"
#include "lzs/index.h"
#include "lzs/search.h"
#include "lzs/xdb.h"
#include "search/search_internal.h"

#include "testindex.h"

static testindex_t g_ti;

/* ---- fixture ------------------------------------------------------------------------ */

static int write_wordlist(const char *dir)
{
    /* 676 distinct words starting with "zq", 676 more starting with "azq": more than a
     * prefix may expand to (zq*, and a* with the corpus's words) */
    char path[400];
    snprintf(path, sizeof path, "%s/wordlist.txt", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "Word list\n\nA list of invented words used to test wildcard limits:");
    for (char a = 'a'; a <= 'z'; a++)
        for (char b = 'a'; b <= 'z'; b++)
            fprintf(f, " zq%c%cx azq%c%cx", a, b, a, b);
    fprintf(f, ".\n");
    if (fclose(f) != 0)
        return -1;
    /* one invented hyphenated word written three ways, one passage each */
    snprintf(path, sizeof path, "%s/spellings.txt", dir);
    f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "Spellings\n\nThe first passage says qxalpha-qxbeta with its hyphen.\n\n"
               "The second passage says qxalphaqxbeta in one word.\n\n"
               "The third passage says qxalpha qxbeta in two words.\n");
    return fclose(f);
}

/* Indexes the corpus, the French fixture and the word list into g_ti.index (from scratch
 * when rebuild): one commit. Returns 0, or -1 with the reason on stderr. */
static int index_all(int rebuild)
{
    char extra[300];
    snprintf(extra, sizeof extra, "%s/extra", g_ti.tmp);
    const char *dirs[3] = {LZS_CORPUS_DIR, LZS_TEST_DATA "/search/fr", extra};
    return testindex_build(&g_ti, dirs, 3, rebuild ? TESTINDEX_REBUILD : 0);
}

static int group_setup(void **state)
{
    (void)state;
    if (testindex_init(&g_ti, "lzs_test_search") != 0)
        return -1;
    char extra[300];
    snprintf(extra, sizeof extra, "%s/extra", g_ti.tmp);
    if (mkdir(extra, 0755) != 0 || write_wordlist(extra) != 0)
        return -1;
    if (index_all(0) != 0)
        return -1;
    return testindex_search(&g_ti);
}

static int group_teardown(void **state)
{
    (void)state;
    testindex_close(&g_ti);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------ */

static json_t *run_ok(rq_t *r)
{
    json_t *out = NULL;
    lzs_search_error_t e;
    lzs_status_t st = lzs_search_run(g_ti.s, &r->req, &out, &e);
    if (st != LZS_OK)
        fail_msg("query '%s' failed: %s (%s)", r->req.q ? r->req.q : "", e.message, e.code);
    assert_non_null(out);
    return out;
}

static json_int_t total_q(const char *q)
{
    rq_t r;
    rq_init(&r, q);
    r.req.size = 0;
    json_t *out = run_ok(&r);
    json_int_t t = json_integer_value(json_object_get(out, "total"));
    json_decref(out);
    return t;
}

static lzs_status_t run_err(const char *q, lzs_search_error_t *e)
{
    rq_t r;
    rq_init(&r, q);
    json_t *out = NULL;
    lzs_status_t st = lzs_search_run(g_ti.s, &r.req, &out, e);
    assert_null(out);
    return st;
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return 0;
}

static const char *hit_text(json_t *hit)
{
    return json_string_value(json_object_get(json_object_get(hit, "passage"), "text"));
}

static const char *hit_field(json_t *hit, const char *obj, const char *key)
{
    return json_string_value(json_object_get(json_object_get(hit, obj), key));
}

static int collect_cb(void *ud, const json_t *hit)
{
    json_array_append(ud, (json_t *)hit);
    return 0;
}

/* Every matching passage of r, through the export. */
static json_t *all_hits(rq_t *r)
{
    json_t *arr = json_array();
    uint32_t total = 0;
    int capped = 1;
    lzs_search_error_t e;
    lzs_status_t st = lzs_search_export(g_ti.s, &r->req, collect_cb, arr, &total, &capped, &e);
    if (st != LZS_OK)
        fail_msg("export failed: %s", e.message);
    assert_int_equal(capped, 0);
    assert_int_equal(json_array_size(arr), total);
    return arr;
}

/* ---- parser ------------------------------------------------------------------------- */

static void expect_parse(const char *q, const char *want)
{
    lzs_qnode_t *n = NULL;
    lzs_search_error_t e;
    lzs_status_t st = lzs_query_parse(q, strlen(q), &n, &e);
    if (st != LZS_OK)
        fail_msg("parse '%s': %s", q, e.message);
    char *d = lzs_qnode_describe(n);
    assert_string_equal(d, want);
    free(d);
    lzs_qnode_free(n);
}

static void expect_parse_error(const char *q, int pos, const char *fragment)
{
    lzs_qnode_t *n = NULL;
    lzs_search_error_t e;
    memset(&e, 0, sizeof e);
    lzs_status_t st = lzs_query_parse(q, strlen(q), &n, &e);
    if (st == LZS_OK) {
        char *d = lzs_qnode_describe(n);
        fail_msg("'%s' was accepted as %s; wanted an error at %d", q, d ? d : "?", pos);
    }
    assert_null(n);
    if (e.position != pos || !strstr(e.message, fragment))
        fail_msg("error for '%s' is at %d: '%s'; wanted %d and '%s' in it", q, e.position,
                 e.message, pos, fragment);
}

static void test_parse_constructs(void **state)
{
    (void)state;
    expect_parse("child abuse", "(AND word:child word:abuse)");
    expect_parse("child AND abuse", "(AND word:child word:abuse)");
    expect_parse("\"child sexual abuse\"", "phrase:\"child sexual abuse\"");
    expect_parse("recommend*", "prefix:recommend*");
    expect_parse("a OR b c", "(OR word:a (AND word:b word:c))");
    expect_parse("(a OR b) c", "(AND (OR word:a word:b) word:c)");
    expect_parse("a -b", "(AND word:a (NOT word:b))");
    expect_parse("a NOT b", "(AND word:a (NOT word:b))");
    expect_parse("NOT NOT a", "word:a");
    expect_parse("party:NO level:require", "(AND party:NO level:require)");
    expect_parse("ref:\"T-ES(2021)31\"", "ref:T-ES(2021)31");
    expect_parse("ref:T-ES(2021)31 child", "(AND ref:T-ES(2021)31 word:child)");
    expect_parse("article:38(2)", "article:38(2)");
    expect_parse("(article:38)", "article:38");
    expect_parse("year:2015..2019", "year:2015..2019");
    expect_parse("language:fr", "lang:fr");
    expect_parse("PARTY:no", "party:no");
    expect_parse("", "(empty)");
    expect_parse("   ", "(empty)");
    expect_parse("-child", "(NOT word:child)");
    expect_parse("a -(b OR c)", "(AND word:a (NOT (OR word:b word:c)))");
    expect_parse("((a))", "word:a");
    expect_parse("child* \"a b\" -c", "(AND prefix:child* phrase:\"a b\" (NOT word:c))");
    /* words with a colon that are not fields */
    expect_parse("note: abuse", "(AND word:note: word:abuse)");
    expect_parse("https://www.coe.int", "word:https://www.coe.int");
}

/* What used to be read as something else without a word (an empty field value as a
 * word, a lone operator as "everything", a dropped '*', a repaired parenthesis) is an
 * error with code bad_query, param q and the byte position of the problem, through the
 * whole search as through the parser. */
static const struct {
    const char *q;
    int position;
    const char *fragment;
} k_bad_queries[] = {
    /* an empty field value: was the word "party", the word "rec" */
    {"party:", 0, "field 'party' at position 0 has no value"},
    {"rec:", 0, "field 'rec' at position 0 has no value"},
    {"child rec:", 6, "field 'rec' at position 6 has no value"},
    {"party: Norway", 0, "field 'party' at position 0 has no value"},
    {"(abuse party:)", 7, "field 'party' at position 7 has no value"},
    {"party:\"\" abuse", 0, "field 'party' at position 0 has no value"},
    /* operators, parentheses and quotes alone: were every passage; '-' alone none */
    {"NOT", 0, "NOT at position 0 has nothing after it"},
    {"child NOT", 6, "NOT at position 6 has nothing after it"},
    {"OR", 0, "OR at position 0 has nothing before it"},
    {"child OR", 6, "OR at position 6 has nothing after it"},
    {"(child OR) abuse", 7, "OR at position 7 has nothing after it"},
    {"AND", 0, "AND at position 0 has nothing before it"},
    {"child AND", 6, "AND at position 6 has nothing after it"},
    {"child AND OR abuse", 6, "AND at position 6 has nothing after it"},
    {"()", 0, "the parentheses at position 0 hold nothing"},
    {"child ( )", 6, "the parentheses at position 6 hold nothing"},
    {"\"", 0, "the quote at position 0 is not closed"},
    {"\"child abuse", 0, "the quote at position 0 is not closed"},
    {"\"\"", 0, "the quotes at position 0 hold no words"},
    {"child \"  \"", 6, "the quotes at position 6 hold no words"},
    {"-", 0, "'-' at position 0 has no word after it"},
    {"child - abuse", 6, "'-' at position 6 has no word after it"},
    {"NOT -", 4, "'-' at position 4 has no word after it"},
    /* '*' that does not end a word: was dropped (*child = child) or matched nothing */
    {"*child", 0, "'*' at position 0 can only end a word"},
    {"ch*ld", 2, "'*' at position 2 can only end a word"},
    {"child**", 5, "'*' at position 5 can only end a word"},
    {"a * b", 2, "needs a prefix"},
    {"\"child ab*\"", 9, "'*' at position 9 is inside a phrase"},
    {"party:No*", 8, "'*' at position 8 is in the value of field 'party'"},
    {"ref:\"T-ES*\"", 9, "'*' at position 9 is inside a field value"},
    {"party:\"Norway", 6, "the quote at position 6 is not closed"},
    /* unbalanced parentheses: were repaired */
    {"child) OR (abuse", 5, "')' at position 5 closes no parenthesis"},
    {"(child", 0, "the parenthesis at position 0 is not closed"},
    {"((child) abuse", 0, "the parenthesis at position 0 is not closed"},
    {"(child))", 7, "')' at position 7 closes no parenthesis"},
    {")", 0, "')' at position 0 closes no parenthesis"},
    /* unknown field */
    {"child foo:bar", 6, "unknown field 'foo'"},
};

static void test_parse_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_bad_queries / sizeof *k_bad_queries; i++)
        expect_parse_error(k_bad_queries[i].q, k_bad_queries[i].position,
                           k_bad_queries[i].fragment);
    /* too many terms */
    char q[400] = "";
    for (int i = 0; i < LZS_SEARCH_MAX_TERMS + 1; i++)
        strcat(q, "w ");
    lzs_qnode_t *n = NULL;
    lzs_search_error_t e;
    assert_int_equal(lzs_query_parse(q, strlen(q), &n, &e), LZS_ERR_LIMIT);
    assert_string_equal(e.code, "limit");
    assert_non_null(strstr(e.message, "at most 64"));
}

/* ---- matching ----------------------------------------------------------------------- */

static void test_open_errors(void **state)
{
    (void)state;
    lzs_searcher_t *s = NULL;
    char *msg = NULL;
    char missing[400];
    snprintf(missing, sizeof missing, "%s/nothing-here", g_ti.tmp);
    assert_int_equal(lzs_searcher_open(missing, g_ti.ex, &s, &msg), LZS_ERR_NOT_FOUND);
    assert_null(s);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "run lzs-index first"));
    free(msg);
    msg = NULL;

    /* a database created by an indexer that never committed a run */
    char empty[400];
    snprintf(empty, sizeof empty, "%s/empty-index", g_ti.tmp);
    lzs_xdb_t *db = NULL;
    assert_int_equal(lzs_xdb_open_writable(empty, LZS_XDB_CREATE, &db, NULL), LZS_OK);
    lzs_xdb_close(db);
    assert_int_equal(lzs_searcher_open(empty, g_ti.ex, &s, &msg), LZS_ERR_NOT_FOUND);
    assert_null(s);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "the index is empty"));
    free(msg);
}

static void test_words_and_stemming(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, "recommendations");
    r.req.size = 100;
    json_t *out = run_ok(&r);
    json_t *hits = json_object_get(out, "hits");
    assert_true(json_array_size(hits) > 0);
    /* singular forms are found too */
    int singular = 0;
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit)
    {
        const char *t = hit_text(hit);
        if (contains_ci(t, "recommendation") && !contains_ci(t, "recommendations"))
            singular = 1;
    }
    assert_true(singular);
    json_decref(out);
    /* case does not matter */
    assert_int_equal(total_q("RECOMMENDATIONS"), total_q("recommendations"));
    /* AND is the default */
    json_int_t a = total_q("children"), b = total_q("victims"), ab = total_q("children victims");
    assert_true(ab > 0 && ab <= a && ab <= b);
    assert_int_equal(total_q("children AND victims"), ab);
    /* OR: inclusion-exclusion */
    assert_int_equal(total_q("children OR victims"), a + b - ab);
    /* NOT and -word */
    assert_int_equal(total_q("children -victims"), a - ab);
    assert_int_equal(total_q("children NOT victims"), a - ab);
    /* parentheses */
    json_int_t grooming = total_q("grooming");
    assert_true(grooming > 0);
    assert_true(total_q("(children OR victims) grooming") <= grooming);
    /* a word that is nowhere */
    assert_int_equal(total_q("xylophonequartz"), 0);
}

static void test_french_stemming(void **state)
{
    (void)state;
    /* "recommandations" finds the French singular "recommandation" */
    rq_t r;
    rq_init(&r, "recommandations");
    rq_add(&r, LZS_F_LANG, "fr");
    r.req.size = 100;
    json_t *out = run_ok(&r);
    json_t *hits = json_object_get(out, "hits");
    int singular = 0;
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit)
    {
        assert_string_equal(hit_field(hit, "doc", "lang"), "fr");
        const char *t = hit_text(hit);
        if (contains_ci(t, "Recommandation IX-1"))
            singular = 1;
    }
    assert_true(singular);
    json_decref(out);
    /* accents and elisions: "cooperation" finds "coopération"; "article" finds
     * "l'article 38" */
    assert_true(total_q("cooperation lang:fr") >= 3);
    assert_true(total_q("\"article 38\" lang:fr") >= 1);
    assert_int_equal(total_q("coopération lang:fr"), total_q("cooperation lang:fr"));
    /* without a language filter, French words still find French passages */
    assert_true(total_q("recommandations") >= 2);
}

static void test_phrases_hyphens_codes(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, "\"child sexual abuse material\"");
    r.req.size = 100;
    json_t *out = run_ok(&r);
    json_t *hits = json_object_get(out, "hits");
    assert_true(json_array_size(hits) > 0);
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit)
    {
        const char *t = hit_text(hit);
        /* the phrase, or a synonym's... no: quoted phrases are exact */
        assert_true(contains_ci(t, "child sexual abuse material"));
    }
    json_decref(out);
    /* a phrase is narrower than its words */
    assert_true(total_q("\"sexual abuse\"") <= total_q("sexual abuse"));
    /* hyphens: co-operation, cooperation and CO-OPERATION find the same passages */
    json_int_t hy = total_q("co-operation");
    assert_true(hy > 10);
    assert_int_equal(total_q("cooperation"), hy);
    assert_int_equal(total_q("CO-OPERATION"), hy);
    /* a hyphenated word finds itself, its joined form and its parts written apart; the
     * joined word finds itself and the hyphenated one; the phrase of the parts finds them
     * apart and hyphenated */
    assert_int_equal(total_q("qxalpha-qxbeta"), 3);
    assert_int_equal(total_q("qxalphaqxbeta"), 2);
    assert_int_equal(total_q("\"qxalpha qxbeta\""), 2);
    assert_int_equal(total_q("qxalpha-qxbeta -qxalphaqxbeta"), 1);
    /* the phrase with a hyphenated word matches both spellings */
    assert_int_equal(total_q("\"international co-operation\""),
                     total_q("\"international cooperation\""));
    /* codes */
    assert_true(total_q("V-17") >= 1);
    assert_true(total_q("\"Recommendation V-17\"") >= 1);
}

static void test_prefix(void **state)
{
    (void)state;
    json_int_t t = total_q("ratif*");
    assert_true(t > 0);
    assert_true(t >= total_q("ratification"));
    assert_true(t >= total_q("ratified"));
    /* the generated word list: 676 words starting with "zq" */
    lzs_search_error_t e;
    assert_int_equal(run_err("zq*", &e), LZS_ERR_LIMIT);
    assert_string_equal(e.code, "limit");
    assert_int_equal(e.position, 0);
    assert_non_null(strstr(e.message, "expands to 676 terms"));
    /* 26 words: fine */
    assert_int_equal(total_q("zqa*"), 1);
    /* 19 prefixes of 26 words each: 494 terms together, fine; a 20th passes 500 */
    char q[256] = "";
    for (char c = 'a'; c <= 's'; c++) {
        char one[8];
        snprintf(one, sizeof one, "zq%c* ", c);
        strcat(q, one);
    }
    assert_int_equal(total_q(q), 1); /* the one passage holding the generated words */
    strcat(q, "zqt*");
    assert_int_equal(run_err(q, &e), LZS_ERR_LIMIT);
    assert_string_equal(e.code, "limit");
    assert_int_equal(e.position, 95);
    assert_non_null(strstr(e.message, "together"));
}

static void test_synonyms(void **state)
{
    (void)state;
    /* child pornography finds CSAM and child sexual abuse material */
    rq_t r;
    rq_init(&r, "child pornography");
    r.req.size = 100;
    json_t *out = run_ok(&r);
    json_t *hits = json_object_get(out, "hits");
    int csam_only = 0;
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit)
    {
        const char *t = hit_text(hit);
        if (contains_ci(t, "CSAM") && !contains_ci(t, "pornography"))
            csam_only = 1;
    }
    assert_true(csam_only);
    json_decref(out);
    assert_true(total_q("child pornography") >= total_q("CSAM"));
    /* the words of a synonym or a thesaurus term typed unquoted keep their meaning: all of
     * them anywhere, beside the phrase and its alternatives */
    assert_true(total_q("child pornography") >= total_q("pornography child"));
    assert_true(total_q("international cooperation") >= total_q("cooperation international"));
    assert_true(total_q("cooperation international") > total_q("\"international cooperation\""));
    /* sextortion finds "sexual coercion and extortion" (document 000 has only that) */
    rq_init(&r, "sextortion");
    rq_add(&r, LZS_F_REF, "T-ES(2021)31");
    out = run_ok(&r);
    assert_true(json_integer_value(json_object_get(out, "total")) >= 1);
    hit = json_array_get(json_object_get(out, "hits"), 0);
    assert_true(contains_ci(hit_text(hit), "sexual coercion and extortion"));
    /* the synonym is marked in the snippet */
    json_t *seg;
    int marked = 0;
    json_array_foreach(json_object_get(hit, "snippet"), i, seg)
    {
        if (json_is_true(json_object_get(seg, "mark")) &&
            contains_ci(json_string_value(json_object_get(seg, "text")),
                        "sexual coercion and extortion"))
            marked = 1;
    }
    assert_true(marked);
    json_decref(out);
    /* grooming finds solicitation of children for sexual purposes */
    rq_init(&r, "grooming");
    r.req.size = 100;
    out = run_ok(&r);
    int solicitation_only = 0;
    json_array_foreach(json_object_get(out, "hits"), i, hit)
    {
        const char *t = hit_text(hit);
        if (contains_ci(t, "solicitation of children for sexual purposes") &&
            !contains_ci(t, "grooming"))
            solicitation_only = 1;
    }
    json_decref(out);
    /* in the corpus every such passage also says grooming, except possibly none: the
     * French fixture says "sollicitation d'enfants" which is not a synonym */
    (void)solicitation_only;
    assert_true(total_q("grooming") >= total_q("\"solicitation of children for sexual purposes\""));
}

/* ---- filters ------------------------------------------------------------------------ */

static void test_filters_party(void **state)
{
    (void)state;
    json_int_t no = total_q("party:NO");
    assert_true(no > 0);
    assert_int_equal(total_q("party:no"), no);
    assert_int_equal(total_q("party:Norway"), no);
    assert_int_equal(total_q("party:Norvège"), no);
    assert_int_equal(total_q("party:\"la Norvège\""), no);
    /* the French fixture mentions "La Norvège" */
    assert_true(total_q("party:NO lang:fr") >= 1);
    /* structured filters give the same */
    rq_t r;
    rq_init(&r, NULL);
    rq_add(&r, LZS_F_PARTY, "Norway");
    r.req.size = 0;
    json_t *out = run_ok(&r);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), no);
    json_decref(out);
    /* OR within a field */
    json_int_t ad = total_q("party:AD");
    rq_add(&r, LZS_F_PARTY, "AD");
    out = run_ok(&r);
    json_int_t both = total_q("party:NO party:AD");
    assert_int_equal(json_integer_value(json_object_get(out, "total")), no + ad - both);
    json_decref(out);
    /* not a Party */
    lzs_search_error_t e;
    assert_int_equal(run_err("abuse party:Morocco", &e), LZS_ERR_INVALID);
    assert_string_equal(e.code, "bad_query");
    assert_int_equal(e.position, 6);
    assert_non_null(strstr(e.message, "Morocco"));
    rq_init(&r, "");
    rq_add(&r, LZS_F_PARTY, "Atlantis");
    assert_int_equal(lzs_search_run(g_ti.s, &r.req, &out, &e), LZS_ERR_INVALID);
    assert_string_equal(e.code, "bad_parameter");
    assert_string_equal(e.param, "party");
    assert_int_equal(e.position, -1);
}

static void test_filters_require_norway(void **state)
{
    (void)state;
    /* every recommendation at level require addressed to Norway: exactly V-17 */
    rq_t r;
    rq_init(&r, "");
    rq_add(&r, LZS_F_LEVEL, "require");
    rq_add(&r, LZS_F_ADDRESSEE, "NO");
    json_t *out = run_ok(&r);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 1);
    json_t *hit = json_array_get(json_object_get(out, "hits"), 0);
    assert_string_equal(hit_field(hit, "passage", "rec_id"), "V-17");
    assert_string_equal(hit_field(hit, "passage", "level"), "require");
    /* browsing: no snippet marks */
    size_t i;
    json_t *seg;
    json_array_foreach(json_object_get(hit, "snippet"), i, seg)
        assert_false(json_is_true(json_object_get(seg, "mark")));
    json_decref(out);
    /* the same in the query language, with names */
    assert_int_equal(total_q("level:require addressee:Norway"), 1);
    assert_int_equal(total_q("level:require addressee:Norvège"), 1);
    assert_int_equal(total_q("rec:V-17"), 1);
    assert_int_equal(total_q("rec:v-17"), 1);
    /* V-18 is addressed to eleven other Parties */
    assert_int_equal(total_q("rec:V-18 addressee:NO"), 0);
    assert_int_equal(total_q("rec:V-18 addressee:BE"), 1);
    /* the French fixture's "exige" recommendation is addressed to Andorra and Monaco */
    assert_int_equal(total_q("level:require addressee:AD lang:fr"), 1);
    assert_int_equal(total_q("level:invite addressee:all lang:fr"), 1);
    lzs_search_error_t e;
    assert_int_equal(run_err("level:demand", &e), LZS_ERR_INVALID);
    assert_non_null(strstr(e.message, "unknown level 'demand'"));
}

static void test_filters_other(void **state)
{
    (void)state;
    lzs_search_error_t e;
    /* year and ranges */
    json_int_t y2021 = total_q("year:2021");
    json_int_t y2023 = total_q("year:2023");
    assert_true(y2021 > 0);
    assert_true(total_q("year:2021..2023") >= y2021 + y2023);
    assert_int_equal(total_q("year:2021..2021"), y2021);
    assert_true(total_q("year:2021..") >= y2021 + y2023);
    assert_int_equal(run_err("year:2019..2015", &e), LZS_ERR_INVALID);
    assert_non_null(strstr(e.message, "2019 comes after 2015"));
    assert_int_equal(e.position, 0);
    assert_int_equal(run_err("abuse year:twenty", &e), LZS_ERR_INVALID);
    assert_int_equal(e.position, 6);
    /* type, lang, ref, article */
    json_int_t fs = total_q("type:factsheet");
    assert_true(fs > 0);
    assert_int_equal(run_err("type:novel", &e), LZS_ERR_INVALID);
    assert_non_null(strstr(e.message, "factsheet"));
    json_int_t fr = total_q("lang:fr"), en = total_q("lang:en");
    assert_true(fr > 0 && en > 0);
    assert_int_equal(total_q(""), total_q("lang:fr OR lang:en") + total_q("-lang:fr -lang:en"));
    assert_int_equal(run_err("lang:french", &e), LZS_ERR_INVALID);
    rq_t r;
    rq_init(&r, "ref:\"T-ES(2021)31\"");
    r.req.size = 100;
    json_t *out = run_ok(&r);
    assert_true(json_array_size(json_object_get(out, "hits")) > 0);
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(out, "hits"), i, hit)
        assert_string_equal(hit_field(hit, "doc", "id"), "T-ES(2021)31");
    json_decref(out);
    assert_int_equal(total_q("ref:T-ES(2021)31_en"), total_q("ref:t-es(2021)31"));
    json_int_t a38 = total_q("article:38"), a382 = total_q("article:38(2)");
    assert_true(a382 > 0 && a38 >= a382);
    assert_int_equal(run_err("article:thirty", &e), LZS_ERR_INVALID);
    /* dates */
    rq_init(&r, "");
    r.req.date_from = "2021-10-01";
    r.req.date_to = "2021-10";
    r.req.size = 0;
    out = run_ok(&r);
    assert_int_equal(json_integer_value(json_object_get(out, "total")),
                     total_q("ref:T-ES(2021)31"));
    json_decref(out);
    r.req.date_from = "2021-13-45x";
    assert_int_equal(lzs_search_run(g_ti.s, &r.req, &out, &e), LZS_ERR_INVALID);
    assert_string_equal(e.param, "date_from");
    /* negated filters */
    assert_int_equal(total_q("-type:factsheet"), total_q("") - fs);
}

/* Through the whole search, as searchd answers them: each bad query of the parser tests is
 * LZS_ERR_PARSE with code bad_query, param q and its position. */
static void test_bad_queries(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_bad_queries / sizeof *k_bad_queries; i++) {
        lzs_search_error_t e;
        memset(&e, 0, sizeof e);
        const char *q = k_bad_queries[i].q;
        lzs_status_t st = run_err(q, &e);
        if (st != LZS_ERR_PARSE || strcmp(e.code, "bad_query") != 0 || strcmp(e.param, "q") != 0 ||
            e.position != k_bad_queries[i].position)
            fail_msg("'%s': %s, code '%s', param '%s', position %d; wanted parse, bad_query, q, "
                     "%d",
                     q, lzs_status_name(st), e.code, e.param, e.position,
                     k_bad_queries[i].position);
    }
}

/* lang:xx answered 0 where type:foo was an error: a language the index does not hold is an
 * error, the same in the query and as the lang parameter. */
static void test_unknown_language(void **state)
{
    (void)state;
    lzs_search_error_t e;
    memset(&e, 0, sizeof e);
    assert_int_equal(run_err("lang:xx", &e), LZS_ERR_INVALID);
    assert_string_equal(e.code, "bad_query");
    assert_string_equal(e.param, "q");
    assert_int_equal(e.position, 0);
    assert_non_null(strstr(e.message, "'xx'"));
    assert_non_null(strstr(e.message, "en, fr"));
    assert_int_equal(run_err("child lang:DE", &e), LZS_ERR_INVALID);
    assert_int_equal(e.position, 6);
    assert_non_null(strstr(e.message, "'de'"));
    /* the parameter agrees with the field */
    rq_t r;
    rq_init(&r, "child");
    rq_add(&r, LZS_F_LANG, "xx");
    json_t *out = NULL;
    memset(&e, 0, sizeof e);
    assert_int_equal(lzs_search_run(g_ti.s, &r.req, &out, &e), LZS_ERR_INVALID);
    assert_null(out);
    assert_string_equal(e.code, "bad_parameter");
    assert_string_equal(e.param, "lang");
    assert_int_equal(e.position, -1);
    assert_non_null(strstr(e.message, "'xx'"));
    /* the index's languages still filter */
    rq_init(&r, "");
    rq_add(&r, LZS_F_LANG, "FR");
    r.req.size = 0;
    out = run_ok(&r);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), total_q("lang:fr"));
    json_decref(out);
    assert_true(total_q("lang:en") > 0);
}

/* ---- grouping, sorting, facets ------------------------------------------------------- */

static void test_grouping(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, "co-operation");
    json_t *passages = all_hits(&r);
    /* distinct documents among the matching passages */
    size_t ndocs = 0;
    const char *seen[64];
    size_t i;
    json_t *hit;
    json_array_foreach(passages, i, hit)
    {
        const char *d = hit_field(hit, "doc", "id");
        size_t k;
        for (k = 0; k < ndocs; k++)
            if (strcmp(seen[k], d) == 0)
                break;
        if (k == ndocs && ndocs < 64)
            seen[ndocs++] = d;
    }
    r.req.group = LZS_GROUP_DOCUMENT;
    r.req.size = 100;
    json_t *out = run_ok(&r);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), ndocs);
    json_t *hits = json_object_get(out, "hits");
    assert_int_equal(json_array_size(hits), ndocs);
    json_int_t sum = 0;
    json_array_foreach(hits, i, hit)
    {
        json_int_t m = json_integer_value(json_object_get(hit, "matches"));
        assert_true(m >= 1);
        /* the count is exact: count by hand */
        json_int_t by_hand = 0;
        size_t k;
        json_t *p;
        json_array_foreach(passages, k, p) by_hand +=
            strcmp(hit_field(p, "doc", "id"), hit_field(hit, "doc", "id")) == 0;
        assert_int_equal(m, by_hand);
        sum += m;
    }
    assert_int_equal(sum, json_array_size(passages));
    json_decref(out);
    json_decref(passages);
}

/* The dates of a page of hits in order ("" for an undated document), checked to be in
 * order (dir -1: newest first; 1: oldest first). Returns how many distinct dates it holds. */
static size_t check_dates(json_t *hits, int dir)
{
    const char *prev = NULL;
    size_t distinct = 0;
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit)
    {
        const char *d = hit_field(hit, "doc", "date");
        if (!d)
            d = "";
        if (prev) {
            int c = strcmp(prev, d);
            if (dir * c > 0)
                fail_msg("hit %zu dated '%s' comes after '%s'", i, d, prev);
        }
        if (!prev || strcmp(prev, d) != 0)
            distinct++;
        prev = d;
    }
    return distinct;
}

/* Every order is checked on hits that could show it wrong: several hits, of several dates,
 * documents and scores (a page of one hit, or of hits that are all alike, passes any
 * order). Dates are compared across documents (grouped), where the shipped corpus has three
 * dates and an undated document, and across passages. */
static void test_sorting(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, "children");
    r.req.size = 100;
    r.req.group = LZS_GROUP_DOCUMENT;
    r.req.sort = LZS_SORT_NEWEST;
    json_t *out = run_ok(&r);
    json_t *hits = json_object_get(out, "hits");
    assert_true(json_array_size(hits) >= 4);
    assert_true(check_dates(hits, -1) >= 4);
    /* the undated document last */
    assert_null(hit_field(json_array_get(hits, json_array_size(hits) - 1), "doc", "date"));
    json_decref(out);
    r.req.sort = LZS_SORT_OLDEST;
    out = run_ok(&r);
    hits = json_object_get(out, "hits");
    assert_true(check_dates(hits, 1) >= 4);
    json_decref(out);

    r.req.group = LZS_GROUP_PASSAGE;
    r.req.sort = LZS_SORT_NEWEST;
    out = run_ok(&r);
    hits = json_object_get(out, "hits");
    assert_int_equal(json_array_size(hits), 100);
    check_dates(hits, -1);
    json_decref(out);
    r.req.sort = LZS_SORT_OLDEST;
    out = run_ok(&r);
    hits = json_object_get(out, "hits");
    assert_int_equal(json_array_size(hits), 100);
    assert_true(check_dates(hits, 1) >= 2);
    json_decref(out);

    r.req.sort = LZS_SORT_ORDER;
    out = run_ok(&r);
    hits = json_object_get(out, "hits");
    assert_int_equal(json_array_size(hits), 100);
    const char *pdoc = NULL;
    json_int_t pno = 0;
    size_t docs = 0, within = 0;
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit)
    {
        const char *d = hit_field(hit, "doc", "id");
        json_int_t no = json_integer_value(json_object_get(json_object_get(hit, "passage"), "no"));
        if (pdoc) {
            assert_true(strcmp(pdoc, d) <= 0);
            if (strcmp(pdoc, d) == 0) {
                assert_true(no > pno);
                within++;
            }
        }
        if (!pdoc || strcmp(pdoc, d) != 0)
            docs++;
        pdoc = d;
        pno = no;
    }
    assert_true(docs >= 2);
    assert_true(within >= 2);
    json_decref(out);

    /* relevance: scores never increase, and they differ */
    r.req.sort = LZS_SORT_RELEVANCE;
    out = run_ok(&r);
    hits = json_object_get(out, "hits");
    assert_int_equal(json_array_size(hits), 100);
    double ps = 1e300;
    json_array_foreach(hits, i, hit)
    {
        double sc = json_real_value(json_object_get(hit, "score"));
        assert_true(sc <= ps);
        ps = sc;
    }
    double first = json_real_value(json_object_get(json_array_get(hits, 0), "score"));
    assert_true(first > ps);
    json_decref(out);
}

static json_t *facet_value(json_t *facets, const char *name, const char *value)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(facets, name), i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "value")), value) == 0)
            return v;
    }
    return NULL;
}

static void test_facets(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, "co-operation");
    r.req.facets = LZS_FACET_ALL;
    json_t *out = run_ok(&r);
    json_t *facets = json_object_get(out, "facets");
    const char *names[] = {"party", "addressee", "article", "year", "level", "type", "lang"};
    for (size_t i = 0; i < 7; i++)
        assert_non_null(json_object_get(facets, names[i]));
    /* counts checked against the matching passages, counted by hand */
    json_t *passages = all_hits(&r);
    const char *multi[] = {"parties", "addressees"};
    const char *mfacet[] = {"party", "addressee"};
    for (int m = 0; m < 2; m++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(facets, mfacet[m]), i, v)
        {
            const char *val = json_string_value(json_object_get(v, "value"));
            json_int_t by_hand = 0;
            size_t k;
            json_t *p;
            json_array_foreach(passages, k, p)
            {
                size_t x;
                json_t *item;
                json_array_foreach(json_object_get(json_object_get(p, "passage"), multi[m]), x,
                                   item) by_hand += strcmp(json_string_value(item), val) == 0;
            }
            assert_int_equal(json_integer_value(json_object_get(v, "count")), by_hand);
        }
    }
    /* level counts against filtered totals */
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(facets, "level"), i, v)
    {
        char q[128];
        snprintf(q, sizeof q, "co-operation level:%s",
                 json_string_value(json_object_get(v, "value")));
        assert_int_equal(json_integer_value(json_object_get(v, "count")), total_q(q));
    }
    /* labels */
    json_t *no = facet_value(facets, "party", "NO");
    assert_non_null(no);
    assert_string_equal(json_string_value(json_object_get(no, "label")), "Norway");
    json_t *lang = facet_value(facets, "lang", "en");
    assert_non_null(lang);
    assert_string_equal(json_string_value(json_object_get(lang, "label")), "English");
    /* most frequent first, years by year */
    json_int_t prev = 1 << 30;
    json_array_foreach(json_object_get(facets, "party"), i, v)
    {
        json_int_t c = json_integer_value(json_object_get(v, "count"));
        assert_true(c <= prev);
        prev = c;
    }
    /* years newest first, then the undated ("none", "Undated") last */
    const char *py = NULL;
    json_t *years = json_object_get(facets, "year");
    json_array_foreach(years, i, v)
    {
        const char *y = json_string_value(json_object_get(v, "value"));
        if (strcmp(y, "none") == 0) {
            assert_int_equal(i, json_array_size(years) - 1);
            assert_string_equal(json_string_value(json_object_get(v, "label")), "Undated");
            continue;
        }
        if (py)
            assert_true(strcmp(y, "none") == 0 ? strcmp(py, "none") != 0 : strcmp(py, y) > 0);
        py = y;
    }
    json_decref(passages);
    json_decref(out);
    /* article labels */
    rq_init(&r, "grooming");
    r.req.facets = LZS_FACET_ARTICLE;
    out = run_ok(&r);
    facets = json_object_get(out, "facets");
    assert_null(json_object_get(facets, "party"));
    json_t *a23 = facet_value(facets, "article", "23");
    assert_non_null(a23);
    assert_string_equal(json_string_value(json_object_get(a23, "label")),
                        "Art. 23 \xE2\x80\x93 Solicitation of children for sexual purposes");
    json_decref(out);
    /* no facets asked: an empty object */
    rq_init(&r, "grooming");
    out = run_ok(&r);
    assert_int_equal(json_object_size(json_object_get(out, "facets")), 0);
    json_decref(out);
}

/* ---- snippets, spelling, limits ---------------------------------------------------------- */

static void check_marks(const char *q, const char *const *allowed, size_t nallowed)
{
    rq_t r;
    rq_init(&r, q);
    r.req.size = 20;
    r.req.snippet_chars = 120;
    json_t *out = run_ok(&r);
    size_t i;
    json_t *hit;
    size_t nmarks = 0;
    json_array_foreach(json_object_get(out, "hits"), i, hit)
    {
        size_t k;
        json_t *seg;
        size_t chars = 0;
        json_array_foreach(json_object_get(hit, "snippet"), k, seg)
        {
            const char *t = json_string_value(json_object_get(seg, "text"));
            for (const char *c = t; *c; c++)
                chars += ((unsigned char)*c & 0xC0) != 0x80;
            if (!json_is_true(json_object_get(seg, "mark")))
                continue;
            nmarks++;
            int ok = 0;
            for (size_t a = 0; a < nallowed; a++)
                if (strncasecmp(t, allowed[a], strlen(allowed[a])) == 0)
                    ok = 1;
            if (!ok)
                fail_msg("query '%s': marked '%s'", q, t);
        }
        /* the window and its two ellipses */
        assert_true(chars <= 120 + 2);
    }
    assert_true(nmarks > 0);
    json_decref(out);
}

static void test_snippets(void **state)
{
    (void)state;
    const char *rec[] = {"recommend"};
    check_marks("recommendations", rec, 1);
    /* accent-folded forms match too: the French "coopération"; a hyphenated word is its
     * joined word, stems and all, and ranks as that does: "co-operate" shares its stem */
    const char *coop[] = {"co-operat", "cooperat", "coopérat"};
    check_marks("co-operation", coop, 3);
    const char *csam[] = {"child", "pornograph", "CSAM"};
    check_marks("child pornography", csam, 3);
    const char *ratif[] = {"ratif"};
    check_marks("ratif*", ratif, 1);
    /* folded, "coopération" is "cooperation", and finds "co-operate" as that does */
    const char *fr[] = {"coopération", "cooperation", "co-operat"};
    check_marks("coopération", fr, 3);
    /* a short passage comes whole; a long one is cut with ellipses, on characters */
    rq_t r;
    rq_init(&r, "Norvège");
    r.req.snippet_chars = 30;
    json_t *out = run_ok(&r);
    json_t *hit = json_array_get(json_object_get(out, "hits"), 0);
    assert_non_null(hit);
    json_t *snip = json_object_get(hit, "snippet");
    int marked = 0;
    size_t i;
    json_t *seg;
    json_array_foreach(snip, i, seg)
    {
        if (json_is_true(json_object_get(seg, "mark")))
            marked = strcmp(json_string_value(json_object_get(seg, "text")), "Norvège") == 0;
    }
    assert_true(marked);
    const char *last =
        json_string_value(json_object_get(json_array_get(snip, json_array_size(snip) - 1), "text"));
    assert_non_null(strstr(last, "\xE2\x80\xA6"));
    json_decref(out);
    /* snippet_chars 0: no snippet */
    rq_init(&r, "grooming");
    r.req.snippet_chars = 0;
    out = run_ok(&r);
    assert_int_equal(json_array_size(json_object_get(
                         json_array_get(json_object_get(out, "hits"), 0), "snippet")),
                     0);
    json_decref(out);
    /* document text is never markup: it is only ever in "text" */
    rq_init(&r, "children");
    out = run_ok(&r);
    hit = json_array_get(json_object_get(out, "hits"), 0);
    json_array_foreach(json_object_get(hit, "snippet"), i, seg)
        assert_int_equal(json_object_size(seg), 2);
    json_decref(out);
}

static void test_spelling(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, "recomendation");
    json_t *out = run_ok(&r);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 0);
    assert_string_equal(json_string_value(json_object_get(out, "suggestion")), "recommendation");
    json_decref(out);
    rq_init(&r, "international coperation party:NO");
    out = run_ok(&r);
    assert_string_equal(json_string_value(json_object_get(out, "suggestion")),
                        "international cooperation party:NO");
    json_decref(out);
    rq_init(&r, "recommendation");
    out = run_ok(&r);
    assert_true(json_is_null(json_object_get(out, "suggestion")));
    json_decref(out);
}

/* The estimate of a query refused under a limit of 1 posting: e->cost filled, the message
 * naming the estimate and the limit. */
static unsigned long long cost_of(const char *q)
{
    lzs_search_error_t e;
    lzs_searcher_set_max_postings(g_ti.s, 1);
    lzs_status_t st = run_err(q, &e);
    lzs_searcher_set_max_postings(g_ti.s, LZS_SEARCH_MAX_POSTINGS);
    if (st != LZS_ERR_LIMIT)
        fail_msg("'%s' was not refused under a limit of 1 posting (status %d)", q, (int)st);
    assert_string_equal(e.code, "limit");
    assert_string_equal(e.param, "q");
    assert_int_equal(e.cost.known, 1);
    assert_int_equal(e.cost.max_postings, 1);
    assert_int_equal(e.cost.max_expansion, LZS_SEARCH_MAX_WILDCARD);
    char said[64];
    snprintf(said, sizeof said, "about %llu postings of the index (limit 1)",
             (unsigned long long)e.cost.postings);
    if (!strstr(e.message, said))
        fail_msg("'%s': the message does not say '%s': %s", q, said, e.message);
    return (unsigned long long)e.cost.postings;
}

/* Postings of the terms starting with a prefix, read from the index itself. */
static int sum_cb(void *ud, const char *term, size_t termlen, uint32_t freq)
{
    (void)term;
    (void)termlen;
    *(unsigned long long *)ud += freq;
    return 0;
}

static unsigned long long prefix_postings(const char *prefix)
{
    unsigned long long sum = 0;
    assert_int_equal(lzs_xdb_allterms(g_ti.s->db, prefix, sum_cb, &sum), LZS_OK);
    return sum;
}

static unsigned long long word_postings(const char *word)
{
    uint32_t tf = 0;
    assert_int_equal(lzs_xdb_termfreq(g_ti.s->db, word, &tf), LZS_OK);
    return tf;
}

/* Plain queries: never refused for their cost, whatever the limits. */
static void test_cost_plain(void **state)
{
    (void)state;
    lzs_searcher_set_max_postings(g_ti.s, 1);
    lzs_searcher_set_max_expansion(g_ti.s, 1);
    const char *plain[] = {"the",
                           "child",
                           "child abuse",
                           "\"sexual abuse\"",
                           "child -online",
                           "child party:NO",
                           "NOT child",
                           "level:require",
                           ""};
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        if (total_q(plain[i]) <= 0)
            fail_msg("'%s' matched nothing", plain[i]);
    }
    /* browsing everything, grouped by document, with every facet */
    rq_t r;
    rq_init(&r, "");
    r.req.group = LZS_GROUP_DOCUMENT;
    r.req.facets = LZS_FACET_ALL;
    json_t *out = run_ok(&r);
    assert_true(json_integer_value(json_object_get(out, "total")) > 0);
    json_decref(out);
    /* a broad word, grouped */
    rq_init(&r, "the");
    r.req.group = LZS_GROUP_DOCUMENT;
    out = run_ok(&r);
    assert_true(json_integer_value(json_object_get(out, "total")) > 0);
    json_decref(out);
    lzs_searcher_set_max_postings(g_ti.s, LZS_SEARCH_MAX_POSTINGS);
    lzs_searcher_set_max_expansion(g_ti.s, LZS_SEARCH_MAX_WILDCARD);
}

/* Prefixes and OR lists: their estimate, and the limit that refuses them. */
static void test_cost_limit(void **state)
{
    (void)state;
    /* Under the default limits the shipped corpus is far from them. */
    assert_true(total_q("child OR abuse OR protection OR ratif*") > 0);
    /* A prefix reads the postings of every term it expands to. */
    unsigned long long c_ratif = cost_of("ratif*");
    assert_true(c_ratif > 0);
    assert_int_equal(c_ratif, prefix_postings("ratif"));
    /* An OR list reads each alternative whole, wherever it stands in the query: filters and
     * words beside it do not lower the estimate (the same query on the same index is
     * always refused or always answered). */
    unsigned long long c_or = cost_of("child OR abuse");
    assert_true(c_or >= word_postings("child") + word_postings("abuse"));
    assert_int_equal(cost_of("abuse OR child"), c_or);
    assert_int_equal(cost_of("(child OR abuse) party:NO"), c_or);
    assert_int_equal(cost_of("(child OR abuse) protection"), c_or);
    assert_true(cost_of("child OR abuse OR protection") > c_or);
    /* An OR list inside another counts once; a prefix inside an OR list is the list's. */
    assert_int_equal(cost_of("child OR (abuse OR protection)"),
                     cost_of("child OR abuse OR protection"));
    assert_int_equal(cost_of("child OR ratif*") + cost_of("abuse OR ratif*"), c_or + 2 * c_ratif);
    /* Two parts apart add up. */
    assert_int_equal(cost_of("(child OR abuse) ratif*"), c_or + c_ratif);

    /* At a limit between the two, the cheaper runs and the dearer is refused, naming its
     * estimate and the limit. */
    lzs_search_error_t e;
    lzs_searcher_set_max_postings(g_ti.s, c_or);
    assert_true(total_q("child OR abuse") > 0);
    assert_int_equal(run_err("child OR abuse OR protection", &e), LZS_ERR_LIMIT);
    assert_string_equal(e.code, "limit");
    assert_int_equal(e.position, 0);
    assert_int_equal(e.cost.known, 1);
    assert_true(e.cost.postings > c_or);
    assert_int_equal(e.cost.max_postings, c_or);
    assert_int_equal(e.cost.terms, 0);
    assert_non_null(strstr(e.message, "the 3 alternatives joined by OR at position 0"));
    assert_non_null(strstr(e.message, "join fewer or rarer words by OR"));
    /* the list is named where it starts, and counts the same beside other words */
    assert_int_equal(run_err("rights (child OR abuse OR protection)", &e), LZS_ERR_LIMIT);
    assert_int_equal(e.position, 8);
    assert_non_null(strstr(e.message, "the 3 alternatives joined by OR at position 8"));
    /* a prefix over it is named too */
    lzs_searcher_set_max_postings(g_ti.s, c_ratif - 1);
    assert_int_equal(run_err("child ratif*", &e), LZS_ERR_LIMIT);
    assert_int_equal(e.position, 6);
    assert_int_equal(e.cost.postings, c_ratif);
    assert_true(e.cost.terms > 0);
    assert_non_null(strstr(e.message, "the prefix 'ratif*' at position 6 expands to"));
    /* 0: no limit. */
    lzs_searcher_set_max_postings(g_ti.s, 0);
    assert_true(total_q("child OR abuse OR protection") > 0);
    lzs_searcher_set_max_postings(g_ti.s, LZS_SEARCH_MAX_POSTINGS);
    /* other errors carry no estimate */
    assert_int_equal(run_err("child foo:bar", &e), LZS_ERR_PARSE);
    assert_int_equal(e.cost.known, 0);
}

/* The limit of terms a prefix expands to: a*, a prefix of the generated word list (676
 * terms) and several prefixes together; the limit can be set. */
static void test_expansion_limit(void **state)
{
    (void)state;
    lzs_search_error_t e;
    assert_int_equal(run_err("zq*", &e), LZS_ERR_LIMIT);
    assert_string_equal(e.code, "limit");
    assert_int_equal(e.position, 0);
    assert_int_equal(e.cost.known, 1);
    assert_int_equal(e.cost.terms, 676);
    assert_int_equal(e.cost.postings, prefix_postings("zq"));
    assert_int_equal(e.cost.max_expansion, LZS_SEARCH_MAX_WILDCARD);
    assert_int_equal(e.cost.max_postings, LZS_SEARCH_MAX_POSTINGS);
    assert_non_null(strstr(e.message, "'zq*' at position 0 expands to 676 terms"));
    assert_non_null(strstr(e.message, "(limit 500 terms)"));
    /* a*: every word of the index starting with a */
    unsigned long long a_terms = 0;
    assert_int_equal(run_err("a*", &e), LZS_ERR_LIMIT);
    a_terms = e.cost.terms;
    assert_true(a_terms > LZS_SEARCH_MAX_WILDCARD);
    assert_int_equal(e.cost.postings, prefix_postings("a"));
    /* raised above its terms, a* runs */
    lzs_searcher_set_max_expansion(g_ti.s, (uint32_t)a_terms);
    lzs_searcher_set_max_postings(g_ti.s, 0);
    assert_true(total_q("a*") > 0);
    lzs_searcher_set_max_expansion(g_ti.s, (uint32_t)a_terms - 1);
    assert_int_equal(run_err("a*", &e), LZS_ERR_LIMIT);
    assert_int_equal(e.cost.max_expansion, a_terms - 1);
    /* 0: no limit of terms */
    lzs_searcher_set_max_expansion(g_ti.s, 0);
    assert_true(total_q("zq*") > 0);
    lzs_searcher_set_max_expansion(g_ti.s, LZS_SEARCH_MAX_WILDCARD);
    lzs_searcher_set_max_postings(g_ti.s, LZS_SEARCH_MAX_POSTINGS);
}

static void test_limits(void **state)
{
    (void)state;
    lzs_search_error_t e;
    char big[LZS_SEARCH_MAX_QUERY + 10];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(run_err(big, &e), LZS_ERR_LIMIT);
    assert_string_equal(e.code, "limit");
    assert_non_null(strstr(e.message, "at most 1024"));
    char many[600] = "";
    for (int i = 0; i < 70; i++)
        strcat(many, "abuse ");
    assert_int_equal(run_err(many, &e), LZS_ERR_LIMIT);
    rq_t r;
    json_t *out = NULL;
    rq_init(&r, "abuse");
    r.req.size = LZS_SEARCH_MAX_SIZE + 1;
    assert_int_equal(lzs_search_run(g_ti.s, &r.req, &out, &e), LZS_ERR_LIMIT);
    assert_string_equal(e.param, "size");
    r.req.size = LZS_SEARCH_MAX_SIZE;
    r.req.offset = LZS_SEARCH_MAX_OFFSET + 1;
    assert_int_equal(lzs_search_run(g_ti.s, &r.req, &out, &e), LZS_ERR_LIMIT);
    assert_string_equal(e.param, "offset");
    r.req.offset = LZS_SEARCH_MAX_OFFSET;
    out = run_ok(&r);
    assert_int_equal(json_array_size(json_object_get(out, "hits")), 0);
    json_decref(out);
    rq_init(&r, "abuse");
    const char *vals[LZS_SEARCH_MAX_VALUES + 1];
    for (int i = 0; i <= LZS_SEARCH_MAX_VALUES; i++)
        vals[i] = "NO";
    r.req.values[LZS_F_PARTY] = vals;
    r.req.nvalues[LZS_F_PARTY] = LZS_SEARCH_MAX_VALUES + 1;
    assert_int_equal(lzs_search_run(g_ti.s, &r.req, &out, &e), LZS_ERR_LIMIT);
    assert_string_equal(e.param, "party");
    /* invalid UTF-8 */
    assert_int_equal(run_err("abuse \xC3(x", &e), LZS_ERR_UTF8);
    assert_string_equal(e.code, "bad_query");
    assert_int_equal(e.position, 6);
    assert_non_null(strstr(e.message, "byte 6"));
    assert_int_equal(run_err("Norvège \xC3(x", &e), LZS_ERR_UTF8);
    assert_int_equal(e.position, 9);
    /* never crashes on odd input */
    const char *odd[] = {
        "\"",     "(",  ")",     "-",      "--a",    "OR OR",   "NOT",          "a:b:c",
        "party:", "*a", "(((((", "\"\"\"", "ref:\"", "year:..", "\xE2\x80\xA6", "a AND OR NOT b",
        "-(a b)", ":"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        rq_init(&r, odd[i]);
        lzs_status_t st = lzs_search_run(g_ti.s, &r.req, &out, &e);
        if (st == LZS_OK)
            json_decref(out);
        else
            assert_true(e.message[0] != '\0');
    }
}

/* ---- document, similar, export -------------------------------------------------------- */

static void test_document(void **state)
{
    (void)state;
    json_t *out = NULL;
    lzs_search_error_t e;
    assert_int_equal(lzs_search_document(g_ti.s, "T-ES(2021)31", &out, &e), LZS_OK);
    assert_string_equal(json_string_value(json_object_get(json_object_get(out, "doc"), "id")),
                        "T-ES(2021)31");
    json_t *ps = json_object_get(out, "passages");
    assert_true(json_array_size(ps) > 10);
    size_t i;
    json_t *p;
    json_array_foreach(ps, i, p)
    {
        assert_int_equal(json_integer_value(json_object_get(p, "no")), (json_int_t)i + 1);
        assert_non_null(json_object_get(p, "id"));
    }
    assert_int_equal((json_int_t)json_array_size(ps), total_q("ref:T-ES(2021)31"));
    json_decref(out);
    assert_int_equal(lzs_search_document(g_ti.s, "nope", &out, &e), LZS_ERR_NOT_FOUND);
    assert_string_equal(e.code, "not_found");
}

static void test_similar(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, "rec:V-17");
    json_t *one = run_ok(&r);
    const char *id =
        json_string_value(json_object_get(json_array_get(json_object_get(one, "hits"), 0), "id"));
    json_t *out = NULL;
    lzs_search_error_t e;
    assert_int_equal(lzs_search_similar(g_ti.s, id, 5, &out, &e), LZS_OK);
    json_t *hits = json_object_get(out, "hits");
    assert_true(json_array_size(hits) > 0 && json_array_size(hits) <= 5);
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit)
        assert_string_not_equal(json_string_value(json_object_get(hit, "id")), id);
    /* V-18 says nearly the same thing (to other Parties): it is among the first five */
    int v18 = 0;
    json_array_foreach(hits, i, hit)
    {
        const char *rid = hit_field(hit, "passage", "rec_id");
        v18 |= rid && strcmp(rid, "V-18") == 0;
    }
    assert_true(v18);
    json_decref(out);
    json_decref(one);
    assert_int_equal(lzs_search_similar(g_ti.s, "nope:1", 5, &out, &e), LZS_ERR_NOT_FOUND);
}

static void test_export(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, "children");
    json_t *all = all_hits(&r);
    assert_int_equal((json_int_t)json_array_size(all), total_q("children"));
    json_decref(all);
}

/* ---- the collection filter --------------------------------------------------------------- */

/* Copies the file src to dst. Returns 0, or -1 with the reason on stderr. */
static int copy_file(const char *src, const char *dst)
{
    FILE *in = fopen(src, "rb");
    FILE *out = in ? fopen(dst, "wb") : NULL;
    char buf[4096];
    int rc = in && out ? 0 : -1;
    while (rc == 0) {
        size_t n = fread(buf, 1, sizeof buf, in);
        if (n == 0)
            break;
        rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
    }
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "copying %s to %s failed\n", src, dst);
    return rc;
}

/* A second index, "other", beside the test's ("main"): a copy of the French factsheet under
 * another reference, so that both hold the same words and recommendations and only the
 * collection filter tells their passages apart. */
static lzs_searcher_t *open_two(testindex_t *other)
{
    assert_int_equal(testindex_init(other, "lzs_test_search_coll"), 0);
    char docs[300], path[400];
    snprintf(docs, sizeof docs, "%s/docs", other->tmp);
    assert_int_equal(mkdir(docs, 0755), 0);
    snprintf(path, sizeof path, "%s/fiche_copie_fr.md", docs);
    assert_int_equal(copy_file(LZS_TEST_DATA "/search/fr/fiche_cooperation_fr.md", path), 0);
    snprintf(path, sizeof path, "%s/fiche_copie_fr.meta.json", docs);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "{\"reference\": \"T-ES(2023)91_fr\", \"title\": \"Copie\", \"type\": "
               "\"factsheet\", \"date\": \"2023-10-13\", \"language\": \"fr\"}\n");
    assert_int_equal(fclose(f), 0);
    const char *dirs[1] = {docs};
    assert_int_equal(testindex_build(other, dirs, 1, TESTINDEX_STRICT), 0);
    const char *paths[2] = {g_ti.index, other->index};
    const char *names[2] = {"main", "other"};
    lzs_searcher_t *s = NULL;
    char *msg = NULL;
    lzs_status_t st = lzs_searcher_open_named(paths, names, 2, g_ti.ex, &s, &msg);
    if (st != LZS_OK)
        fail_msg("opening both indexes: %s", msg ? msg : lzs_status_str(st));
    return s;
}

/* Passages of the compiled request r over s, each checked to be in collection want. */
static size_t compiled_matches(lzs_searcher_t *s, const rq_t *r, const char *want)
{
    lzs_compiled_t c;
    lzs_search_error_t e;
    lzs_status_t st = lzs_compile_request(s, &r->req, &c, &e);
    if (st != LZS_OK)
        fail_msg("compile: %s", e.message);
    lzs_xenq_t *enq = NULL;
    lzs_xmset_t *mset = NULL;
    assert_int_equal(lzs_xenq_create(s->db, &enq), LZS_OK);
    assert_int_equal(lzs_xenq_set_query(enq, c.query, 0), LZS_OK);
    assert_int_equal(lzs_xenq_get_mset(enq, 0, 10000, 0, NULL, 0, &mset), LZS_OK);
    size_t n = lzs_xmset_size(mset);
    for (uint32_t i = 0; i < n; i++) {
        lzs_xhit_t h;
        assert_int_equal(lzs_xmset_get(mset, i, &h), LZS_OK);
        assert_string_equal(lzs_xdb_sub_name(s->db, lzs_xdb_sub_of(s->db, h.docid)), want);
    }
    lzs_xmset_destroy(mset);
    lzs_xenq_destroy(enq);
    lzs_compiled_clear(&c);
    return n;
}

/* The passages compare reads for r over s (its "passages"). */
static json_int_t compared(lzs_searcher_t *s, const rq_t *r)
{
    const char *parties[2] = {"AD", "MC"};
    json_t *out = NULL;
    lzs_search_error_t e;
    lzs_status_t st = lzs_search_compare(s, &r->req, parties, 2, &out, &e);
    if (st != LZS_OK)
        fail_msg("compare: %s", e.message);
    json_int_t n = json_integer_value(json_object_get(out, "passages"));
    json_decref(out);
    return n;
}

/* collection= is part of the compiled request: search, export and compare (every caller of
 * lzs_compile_request) keep the named index's passages only. */
static void test_collection_filter(void **state)
{
    (void)state;
    testindex_t other;
    lzs_searcher_t *s = open_two(&other);
    rq_t r;
    rq_init(&r, "coopération");
    const char *only_other[1] = {"other"}, *only_main[1] = {"main"};
    r.req.collections = only_other;
    r.req.ncollections = 1;
    size_t n = compiled_matches(s, &r, "other");
    assert_true(n > 0);

    json_t *arr = json_array();
    uint32_t total = 0;
    lzs_search_error_t e;
    assert_int_equal(lzs_search_export(s, &r.req, collect_cb, arr, &total, NULL, &e), LZS_OK);
    assert_int_equal(total, n);
    assert_int_equal(json_array_size(arr), n);
    size_t i;
    json_t *hit;
    json_array_foreach(arr, i, hit)
    {
        assert_string_equal(json_string_value(json_object_get(hit, "collection")), "other");
    }
    json_decref(arr);

    /* the recommendations to Andorra and Monaco and to all Parties are in both copies */
    json_int_t in_other = compared(s, &r);
    r.req.collections = only_main;
    json_int_t in_main = compared(s, &r);
    r.req.ncollections = 0;
    json_int_t in_both = compared(s, &r);
    assert_true(in_other > 0);
    assert_true(in_main >= in_other);
    assert_int_equal(in_other + in_main, in_both);

    /* an unknown name is refused by the compile itself */
    const char *nosuch[1] = {"nosuch"};
    r.req.collections = nosuch;
    r.req.ncollections = 1;
    lzs_compiled_t c;
    assert_int_equal(lzs_compile_request(s, &r.req, &c, &e), LZS_ERR_INVALID);
    assert_string_equal(e.param, "collection");
    lzs_searcher_close(s);
    testindex_close(&other);
}

/* ---- an index that changes under its readers ----------------------------------------- */

static uint64_t revision_of(lzs_searcher_t *s)
{
    uint64_t rev = 0;
    assert_int_equal(lzs_searcher_stats(s, NULL, &rev), LZS_OK);
    return rev;
}

enum { CALL_SEARCH, CALL_DOCUMENT, CALL_FILE, CALL_SIMILAR, CALL_EXPORT, NCALLS };
static const char *const k_call_names[NCALLS] = {"lzs_search_run", "lzs_search_document",
                                                 "lzs_search_file", "lzs_search_similar",
                                                 "lzs_search_export"};

/* Makes call `which` on s and checks its answer is right. */
static void call_and_check(int which, lzs_searcher_t *s, const char *passage_id)
{
    lzs_search_error_t e;
    json_t *out = NULL;
    lzs_status_t st = LZS_OK;
    rq_t r;
    rq_init(&r, "children");
    switch (which) {
    case CALL_SEARCH:
        st = lzs_search_run(s, &r.req, &out, &e);
        if (st == LZS_OK)
            assert_true(json_integer_value(json_object_get(out, "total")) > 0);
        break;
    case CALL_DOCUMENT:
        st = lzs_search_document(s, "T-ES(2021)31", &out, &e);
        if (st == LZS_OK)
            assert_true(json_array_size(json_object_get(out, "passages")) > 10);
        break;
    case CALL_FILE: {
        char *path = NULL, *format = NULL;
        st = lzs_search_file(s, "T-ES(2021)31", 1, &path, &format, &e);
        if (st == LZS_OK)
            assert_true(strstr(path, LZS_CORPUS_DIR) == path);
        free(path);
        free(format);
        break;
    }
    case CALL_SIMILAR:
        st = lzs_search_similar(s, passage_id, 5, &out, &e);
        if (st == LZS_OK)
            assert_true(json_array_size(json_object_get(out, "hits")) > 0);
        break;
    case CALL_EXPORT: {
        json_t *arr = json_array();
        uint32_t total = 0;
        st = lzs_search_export(s, &r.req, collect_cb, arr, &total, NULL, &e);
        if (st == LZS_OK)
            assert_true(total > 0 && json_array_size(arr) == total);
        json_decref(arr);
        break;
    }
    }
    json_decref(out);
    if (st != LZS_OK)
        fail_msg("%s on an index changed under it: %s (%s)", k_call_names[which],
                 lzs_status_str(st), e.message);
}

/* Every call that reads the index is tried again by the library itself when a commit
 * overwrote what its searcher's revision was reading: searchd, its caller, does not retry
 * (search.h). Searchers opened before two full rebuilds hold a revision whose blocks the
 * rebuilds wrote over; each call must still succeed, and since only a retry reopens a
 * searcher, its revision having moved shows that the call was tried again. */
static void test_retry_after_commit(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, "rec:V-17");
    json_t *one = run_ok(&r);
    char passage_id[128];
    snprintf(
        passage_id, sizeof passage_id, "%s",
        json_string_value(json_object_get(json_array_get(json_object_get(one, "hits"), 0), "id")));
    json_decref(one);

    lzs_searcher_t *s[NCALLS] = {0};
    char *msg = NULL;
    rq_t prime;
    rq_init(&prime, "zqaax");
    for (int i = 0; i < NCALLS; i++) {
        assert_int_equal(lzs_searcher_open(g_ti.index, g_ti.ex, &s[i], &msg), LZS_OK);
        /* A read elsewhere first, so that what the call reads is not still at hand from
         * opening the index: Xapian sees an overwritten block only when it reads one. */
        json_t *out = NULL;
        assert_int_equal(lzs_search_run(s[i], &prime.req, &out, NULL), LZS_OK);
        json_decref(out);
    }
    uint64_t before = revision_of(s[0]);
    /* Two commits: the blocks the first frees are written over by the second. */
    assert_int_equal(index_all(1), 0);
    assert_int_equal(index_all(1), 0);

    lzs_searcher_t *latest = NULL;
    assert_int_equal(lzs_searcher_open(g_ti.index, g_ti.ex, &latest, &msg), LZS_OK);
    uint64_t now = revision_of(latest);
    lzs_searcher_close(latest);
    assert_true(now >= before + 2);

    for (int i = 0; i < NCALLS; i++) {
        assert_int_equal(revision_of(s[i]), before);
        call_and_check(i, s[i], passage_id);
        if (revision_of(s[i]) != now)
            fail_msg("%s answered from revision %llu without trying again at %llu: the "
                     "rebuilds did not overwrite what it read, so this test shows nothing",
                     k_call_names[i], (unsigned long long)revision_of(s[i]),
                     (unsigned long long)now);
        lzs_searcher_close(s[i]);
    }
}

/* ---- a broad query's match set on a second thread ------------------------------------ */

/* mode 0: passages; 1: grouped by document; 2: a second page of passages (offset 3, four
 * hits); 3: newest first */
static json_t *run_on(lzs_searcher_t *s, const char *q, int mode)
{
    rq_t r;
    rq_init(&r, q);
    r.req.facets = LZS_FACET_ALL;
    r.req.group = mode == 1 ? LZS_GROUP_DOCUMENT : LZS_GROUP_PASSAGE;
    if (mode == 2) {
        r.req.offset = 3;
        r.req.size = 4;
    }
    if (mode == 3)
        r.req.sort = LZS_SORT_NEWEST;
    json_t *out = NULL;
    lzs_search_error_t e;
    if (lzs_search_run(s, &r.req, &out, &e) != LZS_OK)
        fail_msg("query '%s' failed: %s", q, e.message);
    return out;
}

static json_int_t total_on(lzs_searcher_t *s, const char *q)
{
    json_t *out = run_on(s, q, 0);
    json_int_t t = json_integer_value(json_object_get(out, "total"));
    json_decref(out);
    return t;
}

/* What one thread finds, two find: totals, every facet count and the page (passages, grouped,
 * a second page, newest first), for queries of every shape the second thread is handed
 * (words, OR, NOT, a hyphenated word's guarded phrase, filters, the language ranking of a
 * translated term). */
static void test_parallel_same_answers(void **state)
{
    (void)state;
    lzs_searcher_t *one = NULL, *two = NULL;
    char *msg = NULL;
    assert_int_equal(lzs_searcher_open(g_ti.index, g_ti.ex, &one, &msg), LZS_OK);
    assert_int_equal(lzs_searcher_open(g_ti.index, g_ti.ex, &two, &msg), LZS_OK);
    lzs_searcher_set_parallel(one, 0);
    lzs_searcher_set_parallel(two, 1); /* every query with words: the test index is small */
    const char *qs[] = {"the",           "child OR children", "children -online",
                        "co-operation",  "party:NO the",      "grooming",
                        "protection year:2015..2025", "abuse lang:fr OR abus"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        for (int mode = 0; mode < 4; mode++) {
            json_t *a = run_on(one, qs[i], mode), *b = run_on(two, qs[i], mode);
            assert_true(json_integer_value(json_object_get(a, "total")) > 0);
            if (!json_equal(json_object_get(a, "total"), json_object_get(b, "total")) ||
                !json_equal(json_object_get(a, "facets"), json_object_get(b, "facets")) ||
                !json_equal(json_object_get(a, "hits"), json_object_get(b, "hits")))
                fail_msg("'%s' (mode %d) answered differently on two threads", qs[i], mode);
            json_decref(a);
            json_decref(b);
        }
    }
    /* the second handle was opened, and only where asked */
    assert_non_null(two->twin);
    assert_null(one->twin);
    lzs_searcher_close(one);
    lzs_searcher_close(two);
}

/* The second thread never counts another revision than the page's: a searcher whose second
 * handle is at its revision keeps answering from it after a commit; one whose second handle
 * would open after the commit counts on one thread until it is reopened. */
static void test_parallel_one_revision(void **state)
{
    (void)state;
    lzs_searcher_t *early = NULL, *late = NULL;
    char *msg = NULL;
    assert_int_equal(lzs_searcher_open(g_ti.index, g_ti.ex, &early, &msg), LZS_OK);
    assert_int_equal(lzs_searcher_open(g_ti.index, g_ti.ex, &late, &msg), LZS_OK);
    lzs_searcher_set_parallel(early, 1);
    lzs_searcher_set_parallel(late, 1);
    json_int_t before = total_on(early, "the");
    assert_non_null(early->twin);
    assert_null(late->twin);

    char path[400];
    snprintf(path, sizeof path, "%s/extra/more.txt", g_ti.tmp);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "More\n\nThe first new passage.\n\nThe second new passage.\n");
    assert_int_equal(fclose(f), 0);
    assert_int_equal(index_all(0), 0);

    assert_int_equal(total_on(early, "the"), before);
    assert_int_equal(total_on(late, "the"), before);
    assert_non_null(late->twin); /* opened at the commit's revision: not used */
    assert_int_equal(lzs_searcher_reopen(early), LZS_OK);
    assert_int_equal(lzs_searcher_reopen(late), LZS_OK);
    assert_int_equal(total_on(early, "the"), before + 2);
    assert_int_equal(total_on(late, "the"), before + 2);
    lzs_searcher_close(early);
    lzs_searcher_close(late);

    assert_int_equal(remove(path), 0);
    assert_int_equal(index_all(0), 0);
    assert_int_equal(testindex_search(&g_ti), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_constructs),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_words_and_stemming),
        cmocka_unit_test(test_french_stemming),
        cmocka_unit_test(test_phrases_hyphens_codes),
        cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_synonyms),
        cmocka_unit_test(test_filters_party),
        cmocka_unit_test(test_filters_require_norway),
        cmocka_unit_test(test_filters_other),
        cmocka_unit_test(test_grouping),
        cmocka_unit_test(test_sorting),
        cmocka_unit_test(test_facets),
        cmocka_unit_test(test_snippets),
        cmocka_unit_test(test_spelling),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_cost_plain),
        cmocka_unit_test(test_cost_limit),
        cmocka_unit_test(test_expansion_limit),
        cmocka_unit_test(test_bad_queries),
        cmocka_unit_test(test_unknown_language),
        cmocka_unit_test(test_document),
        cmocka_unit_test(test_similar),
        cmocka_unit_test(test_export),
        cmocka_unit_test(test_collection_filter),
        /* last: it rebuilds the index under the searchers of the others */
        cmocka_unit_test(test_parallel_same_answers),
        cmocka_unit_test(test_parallel_one_revision),
        cmocka_unit_test(test_retry_after_commit),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
