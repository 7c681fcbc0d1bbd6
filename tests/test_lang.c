/* test_lang.c — one Convention in two languages: searches in English and French meet,
 * Party names of every language and era are read in the text of a query, accents and case
 * fold the same at index and query time, language versions are linked, a recommendation is
 * one recommendation whatever document restates it, and every match is explained.
 *
 * The index holds the shipped corpus and the fixtures of tests/data/lang, documents written
 * for these tests in the Committee's layouts (their sentences are not published texts, and
 * the codes T-ES(2024)81 and T-ES(2016)97 name no published document):
 *  - fiche_cooperation_internationale_fr.md: the French version of the shipped factsheet
 *    003_439bdb46cbe148c3 (sidecar "version_of"), with V-1, V-17 and V-18 of the 2nd round;
 *  - country_factsheet_norway.md: a country factsheet restating V-17 as "(R V-17)";
 *  - T-ES(2024)81_en.md / _fr.md: one declaration in two languages (the Committee's
 *    vocabulary, Party names of today);
 *  - T-ES(2016)97_fr.md: a list of decisions with older French names (la Turquie,
 *    l'ex-République yougoslave de Macédoine, la Moldavie);
 *  - activity_report_2016_en.md: older English names (Turkey, the former Yugoslav Republic
 *    of Macedonia, UK);
 *  - special_report_refugees_en.md: Röszke and İzmir; identifiers of the urgent round.
 *
 * The cross-language set: each query with the passage that must be among its first five
 * hits. It prints "cross-language: N / M in the top 5" and fails unless all are.
 */
#define _XOPEN_SOURCE 700 /* nftw */
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

#include "testindex.h"

static testindex_t g_li;

/* ---- fixture ------------------------------------------------------------------------ */

static int group_setup(void **state)
{
    (void)state;
    return testindex_lang(&g_li, "lzs_test_lang");
}

static int group_teardown(void **state)
{
    (void)state;
    testindex_close(&g_li);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------ */

static json_t *run_ok(rq_t *r)
{
    json_t *out = NULL;
    lzs_search_error_t e;
    lzs_status_t st = lzs_search_run(g_li.s, &r->req, &out, &e);
    if (st != LZS_OK)
        fail_msg("query '%s' failed: %s (%s)", r->req.q ? r->req.q : "", e.message, e.code);
    assert_non_null(out);
    return out;
}

static const char *str_at(json_t *o, const char *a, const char *b)
{
    return json_string_value(json_object_get(json_object_get(o, a), b));
}

static json_int_t total_of(const char *q, const char *lang)
{
    rq_t r;
    rq_init(&r, q);
    if (lang)
        rq_add(&r, LZS_F_LANG, lang);
    r.req.size = 0;
    json_t *out = run_ok(&r);
    json_int_t t = json_integer_value(json_object_get(out, "total"));
    json_decref(out);
    return t;
}

/* Rank (0-based) of the passage of document doc whose text holds fragment among the hits of
 * out, or -1. */
static int rank_of(json_t *out, const char *doc, const char *fragment)
{
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(out, "hits"), i, hit)
    {
        const char *text = str_at(hit, "passage", "text");
        if (strcmp(str_at(hit, "doc", "id"), doc) == 0 && text && strstr(text, fragment))
            return (int)i;
    }
    return -1;
}

/* ---- the cross-language set ----------------------------------------------------------- */

typedef struct {
    const char *q;    /* the query as a user types it */
    const char *lang; /* the lang parameter, or NULL */
    const char *doc;  /* the passage that must be in the top 5: its document... */
    const char *text; /* ...and a fragment of its text */
} xcase_t;

#define DECL_EN "T-ES(2024)81"
#define DECL_FR "T-ES(2024)81_fr"
#define DECISIONS_FR "T-ES(2016)97_fr"
#define FICHE_FR "fiche_cooperation_internationale_fr"
#define FACTSHEET_EN "003_439bdb46cbe148c3"
#define REFUGEES_EN "special_report_refugees_en"
#define ACTIVITY_EN "activity_report_2016_en"
#define NORWAY_EN "country_factsheet_norway"

static const xcase_t k_cases[] = {
    /* English queries, French passages (through the thesaurus) */
    {"sextortion", "fr", DECL_FR, "forme d'abus appelée sextorsion"},
    {"grooming", "fr", DECL_FR, "sollicitation d'enfants à des fins sexuelles"},
    {"solicitation of children for sexual purposes", "fr", DECL_FR, "un réseau social"},
    {"circle of trust", "fr", DECL_FR, "cercle de confiance de l'enfant"},
    {"circle of trust", "fr", DECISIONS_FR, "dans le cercle de confiance"},
    {"child sexual abuse material", "fr", DECL_FR, "fournisseurs de services internet"},
    {"mutual legal assistance", "fr", FICHE_FR, "L'entraide judiciaire en matière pénale"},
    {"live streaming", "fr", DECL_FR, "diffusion en direct"},
    {"age of sexual consent", "fr", DECL_FR, "l'âge de la majorité sexuelle"},
    {"interpretative opinion", "fr", DECISIONS_FR, "avis interprétatif"},
    {"country factsheet", "fr", DECISIONS_FR, "fiche pays"},
    {"unaccompanied children", "fr", DECISIONS_FR, "enfants non accompagnés"},
    {"implementation report", "fr", DECISIONS_FR, "rapport de mise en œuvre"},
    {"international co-operation", "fr", FICHE_FR, "La coopération internationale revêt"},
    {"helpline", "fr", DECL_FR, "ligne d'assistance pour enfants"},
    {"internet service providers", "fr", DECL_FR, "fournisseurs de services internet"},
    {"transit zones", NULL, DECISIONS_FR, "zones de transit"},
    /* French queries, English passages */
    {"sextorsion", "en", DECL_EN, "a form of abuse known as sextortion"},
    {"pédopiégeage", "en", DECL_EN, "solicitation of children for sexual purposes"},
    {"sollicitation d'enfants à des fins sexuelles", "en", "001_f04947f4a7c3318d",
     "Solicitation of children for sexual purposes"},
    {"cercle de confiance", "en", DECL_EN, "circle of trust of the child"},
    {"matériel d'abus sexuels sur enfants", "en", "002_fa81a545c578487e",
     "offences related to child sexual abuse material"},
    {"entraide judiciaire", "en", DECL_EN, "mutual legal assistance"},
    {"fiche thématique", "en", FACTSHEET_EN, "This thematic factsheet"},
    {"diffusion en direct", "en", DECL_EN, "live streaming"},
    {"avis interprétatif", "en", "002_fa81a545c578487e", "adopted an interpretative opinion"},
    {"rapport de mise en œuvre", "en", FACTSHEET_EN, "The implementation report adopted"},
    {"ligne d'assistance", "en", NORWAY_EN, "national helpline for children"},
    {"fournisseurs de services internet", "en", DECL_EN, "internet service providers"},
    {"âge de la majorité sexuelle", "en", DECL_EN, "age of sexual consent"},
    {"zones de transit", NULL, REFUGEES_EN, "held in the transit zones"},
    {"mineurs non accompagnés", NULL, REFUGEES_EN, "Unaccompanied children arriving"},
    {"Journée européenne pour la protection des enfants contre l'exploitation et les abus "
     "sexuels",
     NULL, DECL_EN, "mark the European Day"},
    /* Party names in every language and era */
    {"Turquie", NULL, ACTIVITY_EN, "to Turkey"},
    {"Turquie", NULL, DECL_FR, "par la Türkiye"},
    {"Turkey", "fr", DECISIONS_FR, "par la Turquie"},
    {"Türkiye", "en", ACTIVITY_EN, "to Turkey"},
    {"TURKIYE", NULL, DECISIONS_FR, "par la Turquie"},
    {"Royaume-Uni", "en", DECL_EN, "the United Kingdom"},
    {"Royaume-Uni", "en", ACTIVITY_EN, "The UK authorities"},
    {"UK", "fr", DECISIONS_FR, "le Royaume-Uni"},
    {"United Kingdom", NULL, ACTIVITY_EN, "The UK authorities"},
    {"Moldavie", "en", DECL_EN, "Republic of Moldova"},
    {"République de Moldova", "fr", DECISIONS_FR, "la Moldavie"},
    {"the former Yugoslav Republic of Macedonia", "fr", DECL_FR, "Macédoine du Nord"},
    {"Macédoine du Nord", "en", ACTIVITY_EN, "former Yugoslav Republic of Macedonia"},
    {"North Macedonia", "fr", DECISIONS_FR, "l'ex-République yougoslave de Macédoine"},
    {"Norvège helpline", NULL, NORWAY_EN, "national helpline for children"},
    /* accents and case */
    {"roszke", NULL, REFUGEES_EN, "Röszke"},
    {"RÖSZKE", NULL, REFUGEES_EN, "Röszke"},
    {"izmir", NULL, REFUGEES_EN, "İzmir"},
    {"\xC4\xB1zm\xC4\xB1r", NULL, REFUGEES_EN, "İzmir"}, /* ızmır */
    {"\xC4\xB0ZM\xC4\xB0R", NULL, REFUGEES_EN, "İzmir"}, /* İZMİR */
    {"IZMIR", NULL, REFUGEES_EN, "İzmir"},
    {"cooperation", "fr", FICHE_FR, "La coopération internationale revêt"},
    {"electroniques", "fr", FICHE_FR, "preuves électroniques"},
};

static void test_cross_language(void **state)
{
    (void)state;
    size_t n = sizeof k_cases / sizeof k_cases[0], found = 0;
    for (size_t i = 0; i < n; i++) {
        const xcase_t *c = &k_cases[i];
        rq_t r;
        rq_init(&r, c->q);
        if (c->lang)
            rq_add(&r, LZS_F_LANG, c->lang);
        r.req.size = 5;
        json_t *out = run_ok(&r);
        if (rank_of(out, c->doc, c->text) >= 0) {
            found++;
        } else {
            printf("cross-language: not in the top 5: '%s'%s%s -> %s \"%s\"\n", c->q,
                   c->lang ? " lang=" : "", c->lang ? c->lang : "", c->doc, c->text);
            size_t k;
            json_t *hit;
            json_array_foreach(json_object_get(out, "hits"), k, hit)
                printf("    %zu. %s\n", k + 1, json_string_value(json_object_get(hit, "id")));
        }
        json_decref(out);
    }
    printf("cross-language: %zu / %zu in the top 5\n", found, n);
    assert_true(n >= 40);
    assert_int_equal(found, n);
}

/* ---- folding ------------------------------------------------------------------------ */

static void test_folding(void **state)
{
    (void)state;
    /* "roszke" finds "Röszke", in both places that write it */
    json_int_t roszke = total_of("roszke", NULL);
    assert_true(roszke >= 2);
    assert_int_equal(total_of("Röszke", NULL), roszke);
    assert_int_equal(total_of("RÖSZKE", NULL), roszke);
    /* "cooperation" finds "coopération", and the two are one word */
    json_int_t coop = total_of("cooperation", "fr");
    assert_true(coop >= 3);
    assert_int_equal(total_of("coopération", "fr"), coop);
    assert_int_equal(total_of("COOPÉRATION", NULL), total_of("cooperation", NULL));
    /* İ, I, ı and i fold to i */
    json_int_t izmir = total_of("izmir", NULL);
    assert_int_equal(izmir, 1);
    assert_int_equal(total_of("\xC4\xB0ZM\xC4\xB0R", NULL), izmir);
    assert_int_equal(total_of("IZMIR", NULL), izmir);
    assert_int_equal(total_of("\xC4\xB1zm\xC4\xB1r", NULL), izmir);
    assert_int_equal(total_of("T\xC3\x9CRK\xC4\xB0YE", NULL), total_of("türkiye", NULL));
}

/* ---- how a query was read --------------------------------------------------------------- */

static json_t *read_as(json_t *out)
{
    return json_object_get(json_object_get(out, "query"), "read_as");
}

static int has_string(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return 1;
    }
    return 0;
}

static int has_translation(json_t *arr, const char *lang, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "lang")), lang) == 0 &&
            strcmp(json_string_value(json_object_get(v, "text")), s) == 0)
            return 1;
    }
    return 0;
}

static void test_read_as(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, "grooming");
    json_t *out = run_ok(&r);
    json_t *ra = read_as(out);
    assert_non_null(ra);
    /* the one line the page shows */
    const char *summary = json_string_value(json_object_get(ra, "summary"));
    assert_non_null(summary);
    assert_true(strncmp(summary, "grooming \xE2\x86\x92 grooming, groom\xE2\x80\xA6", 24) == 0);
    json_t *t = json_array_get(json_object_get(ra, "terms"), 0);
    assert_string_equal(json_string_value(json_object_get(t, "text")), "grooming");
    assert_string_equal(json_string_value(json_object_get(t, "kind")), "word");
    assert_true(has_string(json_object_get(t, "forms"), "grooming"));
    assert_true(has_string(json_object_get(t, "forms"), "groom\xE2\x80\xA6"));
    assert_true(
        has_string(json_object_get(t, "synonyms"), "solicitation of children for sexual purposes"));
    assert_true(has_translation(json_object_get(t, "translations"), "fr",
                                "sollicitation d'enfants à des fins sexuelles"));
    assert_true(json_is_null(json_object_get(t, "party")));
    /* the language of the query, from the index's vocabularies */
    assert_string_equal(json_string_value(json_object_get(ra, "lang")), "en");
    assert_string_equal(json_string_value(json_object_get(ra, "lang_source")), "words");
    json_decref(out);

    /* French words: read as French; the English terms are the translations */
    rq_init(&r, "sollicitation d'enfants");
    out = run_ok(&r);
    ra = read_as(out);
    assert_string_equal(json_string_value(json_object_get(ra, "lang")), "fr");
    t = json_array_get(json_object_get(ra, "terms"), 0);
    assert_string_equal(json_string_value(json_object_get(t, "kind")), "words");
    assert_true(has_translation(json_object_get(t, "translations"), "en", "grooming"));
    assert_true(
        has_string(json_object_get(t, "synonyms"), "sollicitation d'enfants à des fins sexuelles"));
    json_decref(out);

    /* a Party named in the text of the query, its other names, filters applied */
    rq_init(&r, "Turquie -helpline year:2016..2024");
    rq_add(&r, LZS_F_LEVEL, "REQUIRE");
    rq_add(&r, LZS_F_ADDRESSEE, "Norvège");
    out = run_ok(&r);
    ra = read_as(out);
    t = json_array_get(json_object_get(ra, "terms"), 0);
    json_t *party = json_object_get(t, "party");
    assert_string_equal(json_string_value(json_object_get(party, "code")), "TR");
    assert_string_equal(json_string_value(json_object_get(party, "name")), "Türkiye");
    assert_true(has_string(json_object_get(party, "names"), "Turkey"));
    json_t *neg = json_array_get(json_object_get(ra, "terms"), 1);
    assert_string_equal(json_string_value(json_object_get(neg, "text")), "helpline");
    assert_true(json_is_true(json_object_get(neg, "negated")));
    json_t *filters = json_object_get(ra, "filters");
    assert_int_equal(json_array_size(filters), 3);
    int year = 0, level = 0, addressee = 0;
    size_t i;
    json_t *f;
    json_array_foreach(filters, i, f)
    {
        const char *field = json_string_value(json_object_get(f, "field"));
        const char *value = json_string_value(json_object_get(f, "value"));
        const char *source = json_string_value(json_object_get(f, "source"));
        year |= strcmp(field, "year") == 0 && strcmp(value, "2016..2024") == 0 &&
                strcmp(source, "q") == 0;
        level |= strcmp(field, "level") == 0 && strcmp(value, "require") == 0 &&
                 strcmp(source, "param") == 0;
        addressee |= strcmp(field, "addressee") == 0 && strcmp(value, "NO") == 0 &&
                     strcmp(json_string_value(json_object_get(f, "label")), "Norway") == 0;
    }
    assert_true(year && level && addressee);
    json_decref(out);

    /* the lang parameter: the language the query is read in */
    rq_init(&r, "grooming");
    rq_add(&r, LZS_F_LANG, "fr");
    out = run_ok(&r);
    ra = read_as(out);
    assert_string_equal(json_string_value(json_object_get(ra, "lang")), "fr");
    assert_string_equal(json_string_value(json_object_get(ra, "lang_source")), "lang");
    /* and it still restricts */
    size_t k;
    json_t *hit;
    assert_true(json_array_size(json_object_get(out, "hits")) > 0);
    json_array_foreach(json_object_get(out, "hits"), k, hit)
        assert_string_equal(str_at(hit, "doc", "lang"), "fr");
    json_decref(out);
}

/* Each hit says which terms of the query it contains, and through which of their forms. */
static void test_explain(void **state)
{
    (void)state;
    rq_t r;
    rq_init(&r, "sextortion Turquie");
    r.req.explain = 1;
    r.req.size = 20;
    json_t *out = run_ok(&r);
    assert_true(json_array_size(json_object_get(out, "hits")) > 0);
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(out, "hits"), i, hit)
    {
        json_t *why = json_object_get(hit, "explain");
        assert_true(json_is_array(why));
        /* an AND of two terms: every hit contains both */
        assert_int_equal(json_array_size(why), 2);
    }
    json_decref(out);

    rq_init(&r, "grooming");
    rq_add(&r, LZS_F_LANG, "fr");
    r.req.explain = 1;
    out = run_ok(&r);
    hit = json_array_get(json_object_get(out, "hits"), 0);
    json_t *why = json_array_get(json_object_get(hit, "explain"), 0);
    assert_string_equal(json_string_value(json_object_get(why, "term")), "grooming");
    assert_true(has_string(json_object_get(why, "matched"),
                           "sollicitation d'enfants à des fins sexuelles"));
    json_decref(out);

    /* without explain, no such field */
    rq_init(&r, "grooming");
    out = run_ok(&r);
    assert_null(json_object_get(json_array_get(json_object_get(out, "hits"), 0), "explain"));
    json_decref(out);
}

/* A passage in the query's language ranks above an equally good one in the other: the two
 * versions of one paragraph of the declaration. */
static void test_query_language_first(void **state)
{
    (void)state;
    static const struct {
        const char *q, *first, *second, *text_first, *text_second;
    } cases[] = {
        {"sextortion", DECL_EN, DECL_FR, "known as sextortion", "appelée sextorsion"},
        {"sextorsion", DECL_FR, DECL_EN, "appelée sextorsion", "known as sextortion"},
        {"Royaume-Uni", DECL_FR, DECL_EN, "du Royaume-Uni", "the United Kingdom"},
        {"United Kingdom", DECL_EN, DECL_FR, "the United Kingdom", "du Royaume-Uni"},
        {"cercle de confiance", DECL_FR, DECL_EN, "cercle de confiance", "circle of trust"},
        {"circle of trust", DECL_EN, DECL_FR, "circle of trust", "cercle de confiance"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        rq_t r;
        rq_init(&r, cases[c].q);
        r.req.size = 50;
        json_t *out = run_ok(&r);
        int a = rank_of(out, cases[c].first, cases[c].text_first);
        int b = rank_of(out, cases[c].second, cases[c].text_second);
        if (a < 0 || b < 0 || a > b)
            fail_msg("'%s': %s at %d, %s at %d", cases[c].q, cases[c].first, a, cases[c].second, b);
        assert_true(json_is_true(json_object_get(read_as(out), "lang_ranked")));
        json_decref(out);
    }
}

/* ---- language versions ------------------------------------------------------------------ */

static void expect_versions(const char *id, const char *other, const char *lang)
{
    json_t *out = NULL;
    lzs_search_error_t e;
    if (lzs_search_document(g_li.s, id, &out, &e) != LZS_OK)
        fail_msg("document %s: %s", id, e.message);
    json_t *versions = json_object_get(json_object_get(out, "doc"), "versions");
    assert_true(json_is_array(versions));
    if (other == NULL) {
        assert_int_equal(json_array_size(versions), 0);
    } else {
        assert_int_equal(json_array_size(versions), 1);
        json_t *v = json_array_get(versions, 0);
        assert_string_equal(json_string_value(json_object_get(v, "id")), other);
        assert_string_equal(json_string_value(json_object_get(v, "lang")), lang);
        assert_non_null(json_string_value(json_object_get(v, "title")));
    }
    json_decref(out);
}

static void test_versions(void **state)
{
    (void)state;
    /* the same code with _en and _fr */
    expect_versions(DECL_EN, DECL_FR, "fr");
    expect_versions(DECL_FR, DECL_EN, "en");
    /* a sidecar's version_of, seen from both sides */
    expect_versions(FICHE_FR, FACTSHEET_EN, "en");
    expect_versions(FACTSHEET_EN, FICHE_FR, "fr");
    /* a document in one language only */
    expect_versions(DECISIONS_FR, NULL, NULL);
    expect_versions("T-ES(2021)31", NULL, NULL);
}

/* ---- one recommendation, three copies ----------------------------------------------------- */

static json_t *facet(json_t *out, const char *name, const char *value)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(json_object_get(out, "facets"), name), i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "value")), value) == 0)
            return v;
    }
    return NULL;
}

static json_int_t int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static void test_recommendation_identity(void **state)
{
    (void)state;
    /* V-17 of the English factsheet, of its French version, and "R V-17" of the country
     * factsheet are one recommendation */
    static const char *const recs[] = {"V-17", "v-17", "R V-17", "2nd-round:V-17"};
    for (size_t k = 0; k < sizeof recs / sizeof recs[0]; k++) {
        rq_t r;
        rq_init(&r, NULL);
        rq_add(&r, LZS_F_REC, recs[k]);
        r.req.size = 10;
        json_t *out = run_ok(&r);
        if (int_of(out, "total") != 3)
            fail_msg("rec=%s: %lld passages, want 3", recs[k], (long long)int_of(out, "total"));
        size_t i;
        json_t *hit;
        json_array_foreach(json_object_get(out, "hits"), i, hit)
            assert_string_equal(str_at(hit, "passage", "rec_key"), "2nd-round:V-17");
        assert_true(rank_of(out, NORWAY_EN, "(R V-17)") >= 0);
        assert_true(rank_of(out, FICHE_FR, "de la Norvège") >= 0);
        assert_true(rank_of(out, FACTSHEET_EN, "Norway") >= 0);
        json_decref(out);
    }
    /* another round's identifier has its own key; a passage without one has none */
    rq_t r;
    rq_init(&r, "rec:R15");
    json_t *out = run_ok(&r);
    assert_int_equal(int_of(out, "total"), 1);
    assert_string_equal(
        str_at(json_array_get(json_object_get(out, "hits"), 0), "passage", "rec_key"),
        "urgent-round:R15");
    json_decref(out);
    rq_init(&r, "Barnahus");
    out = run_ok(&r);
    assert_true(json_is_null(json_object_get(
        json_object_get(json_array_get(json_object_get(out, "hits"), 0), "passage"), "rec_key")));
    json_decref(out);

    /* the level facet and the Party's count (what the Party view shows): three passages,
     * one recommendation */
    rq_init(&r, NULL);
    rq_add(&r, LZS_F_ADDRESSEE, "NO");
    rq_add(&r, LZS_F_LEVEL, "require");
    r.req.facets = LZS_FACET_ALL;
    out = run_ok(&r);
    assert_int_equal(int_of(out, "total"), 3);
    json_t *req = facet(out, "level", "require");
    assert_non_null(req);
    assert_int_equal(int_of(req, "count"), 3);
    assert_int_equal(int_of(req, "recs"), 1);
    json_t *no = facet(out, "addressee", "NO");
    assert_int_equal(int_of(no, "count"), 3);
    assert_int_equal(int_of(no, "recs"), 1);
    json_t *fr = facet(out, "lang", "fr");
    assert_int_equal(int_of(fr, "count"), 1);
    assert_int_equal(int_of(fr, "recs"), 1);
    json_decref(out);

    /* every recommendation addressed to Norway: V-17 (three copies) and V-19 (the country
     * factsheet) */
    rq_init(&r, NULL);
    rq_add(&r, LZS_F_ADDRESSEE, "Norvège");
    r.req.facets = LZS_FACET_ALL;
    out = run_ok(&r);
    no = facet(out, "addressee", "NO");
    assert_int_equal(int_of(no, "count"), 4);
    assert_int_equal(int_of(no, "recs"), 2);
    assert_int_equal(int_of(facet(out, "level", "invite"), "recs"), 1);
    /* a value of passages without recommendations counts none */
    json_decref(out);
    rq_init(&r, "Barnahus");
    r.req.facets = LZS_FACET_ALL;
    out = run_ok(&r);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(json_object_get(out, "facets"), "lang"), i, v)
        assert_int_equal(int_of(v, "recs"), 0);
    json_decref(out);
}

/* party= takes every name the gazetteer knows. */
static void test_party_names(void **state)
{
    (void)state;
    static const char *const gb[] = {
        "UK", "GB", "United Kingdom", "Royaume-Uni", "le Royaume-Uni", "Great Britain"};
    json_int_t want = -1;
    for (size_t i = 0; i < sizeof gb / sizeof gb[0]; i++) {
        rq_t r;
        rq_init(&r, NULL);
        rq_add(&r, LZS_F_PARTY, gb[i]);
        r.req.size = 0;
        json_t *out = run_ok(&r);
        json_int_t t = int_of(out, "total");
        json_decref(out);
        if (want < 0)
            want = t;
        if (t != want || t < 4)
            fail_msg("party=%s: %lld passages, want %lld", gb[i], (long long)t, (long long)want);
    }
    static const char *const md[] = {"Moldavie", "République de Moldova", "Republic of Moldova",
                                     "MD"};
    want = -1;
    for (size_t i = 0; i < sizeof md / sizeof md[0]; i++) {
        char q[96];
        snprintf(q, sizeof q, "party:\"%s\"", md[i]);
        json_int_t t = total_of(q, NULL);
        if (want < 0)
            want = t;
        assert_int_equal(t, want);
    }
    assert_true(want >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cross_language),
        cmocka_unit_test(test_folding),
        cmocka_unit_test(test_read_as),
        cmocka_unit_test(test_explain),
        cmocka_unit_test(test_query_language_first),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_recommendation_identity),
        cmocka_unit_test(test_party_names),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
