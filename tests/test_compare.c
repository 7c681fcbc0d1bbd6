/* test_compare.c — Parties compared (lzs_search_compare) over an index of the shipped
 * corpus and the fixtures of tests/data/lang (described in tests/test_lang.c).
 *
 * What the cells must hold comes from reading the documents: the thematic factsheet
 * 003_439bdb46cbe148c3 requires Norway (with ten other Parties) to do V-17 and Belgium
 * (with ten others) V-18, both under Article 38; it invites Bulgaria to do V-1 (Article 20)
 * and V-2 (Article 21); V-3 ... V-16 and V-19 are addressed to all Parties. V-17 is stated
 * three times: in that factsheet, in its French version (fiche_cooperation_internationale_fr)
 * and, as "R V-17", in the country factsheet on Norway, which also restates V-19 for Norway.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testindex.h"

#define FACTSHEET_EN "003_439bdb46cbe148c3"
#define FICHE_FR "fiche_cooperation_internationale_fr"
#define NORWAY_EN "country_factsheet_norway"

static testindex_t g_li;

static int group_setup(void **state)
{
    (void)state;
    return testindex_lang(&g_li, "lzs_test_compare");
}

static int group_teardown(void **state)
{
    (void)state;
    testindex_close(&g_li);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------ */

static json_t *compare_ok(const rq_t *r, const char *const *parties, size_t n)
{
    json_t *out = NULL;
    lzs_search_error_t e;
    lzs_status_t st = lzs_search_compare(g_li.s, &r->req, parties, n, &out, &e);
    if (st != LZS_OK)
        fail_msg("compare failed: %s (%s, %s)", e.message, e.code, lzs_status_str(st));
    assert_non_null(out);
    return out;
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static json_int_t num(const json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

/* The row of article a (NULL: the row of recommendations citing none), or NULL. */
static const json_t *row_of(const json_t *cmp, const char *a)
{
    size_t i;
    const json_t *row;
    json_array_foreach(json_object_get(cmp, "rows"), i, row)
    {
        const char *ra = json_string_value(json_object_get(row, "article"));
        if ((a && ra && strcmp(a, ra) == 0) || (!a && !ra))
            return row;
    }
    return NULL;
}

/* The keys of the entries of the cell (article a, party; "all": addressed to all), joined
 * with spaces into buf. */
static const char *cell_keys(const json_t *cmp, const char *a, const char *party, char *buf,
                             size_t cap)
{
    const json_t *row = row_of(cmp, a), *list = NULL;
    buf[0] = '\0';
    if (!row)
        return "(no row)";
    if (strcmp(party, "all") == 0) {
        list = json_object_get(row, "all");
    } else {
        size_t i;
        const json_t *c;
        json_array_foreach(json_object_get(row, "cells"), i, c)
        {
            if (strcmp(str(c, "party"), party) == 0)
                list = json_object_get(c, "recs");
        }
    }
    if (!list)
        return "(no cell)";
    size_t i;
    const json_t *e;
    json_array_foreach(list, i, e)
    {
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, "%s%s", n ? " " : "", str(e, "key"));
    }
    return buf;
}

/* The entry with key in the cell (article a, party), or NULL. */
static const json_t *entry(const json_t *cmp, const char *a, const char *party, const char *key)
{
    size_t i, j;
    const json_t *c, *e;
    json_array_foreach(json_object_get(row_of(cmp, a), "cells"), i, c)
    {
        if (strcmp(str(c, "party"), party) != 0)
            continue;
        json_array_foreach(json_object_get(c, "recs"), j, e)
        {
            if (strcmp(str(e, "key"), key) == 0)
                return e;
        }
    }
    return NULL;
}

/* ---- tests -------------------------------------------------------------------------- */

static void test_cells(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, NULL);
    const char *parties[] = {"NO", "Bulgarie", "Belgium"};
    json_t *v = compare_ok(&r, parties, 3);
    char buf[1024];

    /* columns in the order given, by ISO code and English name */
    const json_t *ps = json_object_get(v, "parties");
    assert_int_equal(json_array_size(ps), 3);
    assert_string_equal(str(json_array_get(ps, 0), "code"), "NO");
    assert_string_equal(str(json_array_get(ps, 1), "code"), "BG");
    assert_string_equal(str(json_array_get(ps, 1), "name"), "Bulgaria");
    assert_string_equal(str(json_array_get(ps, 2), "code"), "BE");
    assert_int_equal(num(json_array_get(ps, 0), "total"), 2); /* V-17, V-19 */
    assert_int_equal(num(json_array_get(ps, 1), "total"), 2); /* V-1, V-2 */
    assert_int_equal(num(json_array_get(ps, 2), "total"), 1); /* V-18 */

    /* rows in the Convention's order; nothing without an article */
    const json_t *rows = json_object_get(v, "rows");
    assert_int_equal(json_array_size(rows), 3);
    assert_string_equal(str(json_array_get(rows, 0), "article"), "20");
    assert_string_equal(str(json_array_get(rows, 1), "article"), "21");
    assert_string_equal(str(json_array_get(rows, 2), "article"), "38");
    assert_null(row_of(v, NULL));

    assert_string_equal(cell_keys(v, "20", "BG", buf, sizeof buf), "2nd-round:V-1");
    assert_string_equal(cell_keys(v, "20", "NO", buf, sizeof buf), "");
    assert_string_equal(cell_keys(v, "21", "BG", buf, sizeof buf), "2nd-round:V-2");
    /* by level: require (V-17) before invite (V-19) */
    assert_string_equal(cell_keys(v, "38", "NO", buf, sizeof buf), "2nd-round:V-17 2nd-round:V-19");
    /* V-1 cites Article 20 and Article 38(1): in both rows */
    assert_string_equal(cell_keys(v, "38", "BG", buf, sizeof buf), "2nd-round:V-1 2nd-round:V-2");
    assert_string_equal(cell_keys(v, "38", "BE", buf, sizeof buf), "2nd-round:V-18");
    /* to all Parties, by identifier: V-3 ... V-16, V-19 */
    cell_keys(v, "38", "all", buf, sizeof buf);
    assert_true(strncmp(buf, "2nd-round:V-3 2nd-round:V-4 ", 28) == 0);
    assert_non_null(strstr(buf, "2nd-round:V-9 2nd-round:V-10 "));
    assert_non_null(strstr(buf, "2nd-round:V-16 2nd-round:V-19"));
    assert_int_equal(num(json_object_get(v, "all"), "total"), 15);
    assert_int_equal(num(json_array_get(rows, 2), "total"), 19);
    assert_int_equal(num(v, "total"), 19);
    assert_false(json_is_true(json_object_get(v, "capped")));
    json_decref(v);
}

static void test_one_entry_per_recommendation(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, NULL);
    const char *parties[] = {"NO", "BE"};
    json_t *v = compare_ok(&r, parties, 2);
    const json_t *v17 = entry(v, "38", "NO", "2nd-round:V-17");
    assert_non_null(v17);
    /* the English statement of the thematic factsheet is the entry... */
    assert_string_equal(str(v17, "doc"), FACTSHEET_EN);
    assert_string_equal(str(v17, "lang"), "en");
    assert_string_equal(str(v17, "rec_id"), "V-17");
    assert_string_equal(str(v17, "rec_key"), "2nd-round:V-17");
    assert_string_equal(str(v17, "level"), "require");
    assert_true(strncmp(str(v17, "passage"), FACTSHEET_EN ":", strlen(FACTSHEET_EN) + 1) == 0);
    /* ...its short text cut on a word */
    const char *text = str(v17, "text");
    assert_true(strlen(text) <= 280 + 3);
    assert_string_equal(text + strlen(text) - 3, "\xE2\x80\xA6");
    assert_true(strncmp(text, "Andorra, Bosnia and Herzegovina", 31) == 0);
    /* ...and the two other copies its versions */
    const json_t *vers = json_object_get(v17, "versions");
    assert_int_equal(json_array_size(vers), 2);
    int fr = 0, no = 0;
    size_t i;
    const json_t *x;
    json_array_foreach(vers, i, x)
    {
        if (strcmp(str(x, "doc"), FICHE_FR) == 0 && strcmp(str(x, "lang"), "fr") == 0)
            fr++;
        if (strcmp(str(x, "doc"), NORWAY_EN) == 0 && strcmp(str(x, "rec_id"), "R V-17") == 0)
            no++;
    }
    assert_int_equal(fr, 1);
    assert_int_equal(no, 1);
    /* the entry once in its cell, though three passages state it */
    char buf[512];
    assert_string_equal(cell_keys(v, "38", "NO", buf, sizeof buf), "2nd-round:V-17 2nd-round:V-19");
    assert_true(num(v, "passages") > num(v, "total"));
    /* V-19 is addressed to all Parties in the factsheet and to Norway in the country
     * factsheet: in both places */
    cell_keys(v, "38", "all", buf, sizeof buf);
    assert_non_null(strstr(buf, "2nd-round:V-19"));
    json_decref(v);
}

static void test_filters(void **state)
{
    (void)state;
    char buf[512];
    const char *parties[] = {"NO", "BG", "BE"};
    rq_t r;
    rq_init(&r, NULL);
    rq_add(&r, LZS_F_LEVEL, "require");
    json_t *v = compare_ok(&r, parties, 3);
    assert_string_equal(cell_keys(v, "38", "NO", buf, sizeof buf), "2nd-round:V-17");
    assert_string_equal(cell_keys(v, "38", "BG", buf, sizeof buf), "");
    assert_string_equal(cell_keys(v, "38", "BE", buf, sizeof buf), "2nd-round:V-18");
    assert_string_equal(cell_keys(v, "38", "all", buf, sizeof buf), "");
    assert_null(row_of(v, "20"));
    assert_int_equal(num(v, "total"), 2);
    json_decref(v);

    /* French only: the French copy is the entry, without versions */
    rq_init(&r, NULL);
    rq_add(&r, LZS_F_LANG, "fr");
    v = compare_ok(&r, parties, 3);
    const json_t *v17 = entry(v, "38", "NO", "2nd-round:V-17");
    assert_non_null(v17);
    assert_string_equal(str(v17, "doc"), FICHE_FR);
    assert_int_equal(json_array_size(json_object_get(v17, "versions")), 0);
    assert_int_equal(num(json_object_get(v, "all"), "total"), 0);
    json_decref(v);

    /* a query read in French (which the thesaurus takes to English too): the French copy
     * is the entry, the English one its version */
    rq_init(&r, "abus sexuels");
    v = compare_ok(&r, parties, 3);
    v17 = entry(v, "38", "NO", "2nd-round:V-17");
    assert_non_null(v17);
    assert_string_equal(str(v17, "doc"), FICHE_FR);
    assert_string_equal(str(v17, "lang"), "fr");
    const json_t *vers = json_object_get(v17, "versions");
    assert_int_equal(json_array_size(vers), 1);
    assert_string_equal(str(json_array_get(vers, 0), "doc"), FACTSHEET_EN);
    json_decref(v);

    /* the query's words select */
    rq_init(&r, "development");
    v = compare_ok(&r, parties, 3);
    assert_string_equal(cell_keys(v, "38", "NO", buf, sizeof buf), "2nd-round:V-19");
    assert_string_equal(cell_keys(v, "38", "BE", buf, sizeof buf), "");
    json_decref(v);

    /* the read_as of the query is that of a search */
    rq_init(&r, NULL);
    rq_add(&r, LZS_F_ARTICLE, "20");
    v = compare_ok(&r, parties, 3);
    const json_t *f = json_array_get(
        json_object_get(json_object_get(json_object_get(v, "query"), "read_as"), "filters"), 0);
    assert_string_equal(str(f, "field"), "article");
    assert_string_equal(cell_keys(v, "20", "BG", buf, sizeof buf), "2nd-round:V-1");
    json_decref(v);
}

static void test_errors(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, NULL);
    json_t *out = NULL;
    lzs_search_error_t e;

    const char *one[] = {"NO"};
    assert_int_equal(lzs_search_compare(g_li.s, &r.req, one, 1, &out, &e), LZS_ERR_INVALID);
    assert_null(out);
    assert_string_equal(e.param, "party");
    assert_non_null(strstr(e.message, "two or more"));

    const char *same[] = {"NO", "Norway", "Norvège"};
    assert_int_equal(lzs_search_compare(g_li.s, &r.req, same, 3, &out, &e), LZS_ERR_INVALID);
    assert_string_equal(e.param, "party");

    assert_int_equal(lzs_search_compare(g_li.s, &r.req, NULL, 0, &out, &e), LZS_ERR_INVALID);
    assert_non_null(strstr(e.message, "none was given"));

    const char *unknown[] = {"NO", "Atlantis"};
    assert_int_equal(lzs_search_compare(g_li.s, &r.req, unknown, 2, &out, &e), LZS_ERR_INVALID);
    assert_string_equal(e.code, "bad_parameter");
    assert_string_equal(e.param, "party");
    assert_non_null(strstr(e.message, "'Atlantis'"));

    const char *many[LZS_SEARCH_MAX_VALUES + 1];
    for (size_t i = 0; i <= LZS_SEARCH_MAX_VALUES; i++)
        many[i] = "NO";
    assert_int_equal(lzs_search_compare(g_li.s, &r.req, many, LZS_SEARCH_MAX_VALUES + 1, &out, &e),
                     LZS_ERR_LIMIT);

    const char *two[] = {"NO", "IS"};
    rq_add(&r, LZS_F_ADDRESSEE, "SE");
    assert_int_equal(lzs_search_compare(g_li.s, &r.req, two, 2, &out, &e), LZS_ERR_INVALID);
    assert_string_equal(e.param, "addressee");

    rq_init(&r, "child)");
    assert_int_equal(lzs_search_compare(g_li.s, &r.req, two, 2, &out, &e), LZS_ERR_PARSE);
    assert_string_equal(e.code, "bad_query");
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_one_entry_per_recommendation),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
