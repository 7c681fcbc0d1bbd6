/* test_cites.c — precedents and impact: what cites what.
 *
 * Extraction: each form of a citation of a document code, of a recommendation and of an
 * instrument becomes its normalised id, key or instrument key; a recommendation that no
 * nearby document nor round resolves stays ambiguous.
 *
 * Index and search, over tests/data/cites (documents written for these tests in the
 * Committee's forms; the codes name no published document), a chain over 2015-2023 in
 * English and French:
 *   T-ES(2015)04     opinion (en), cites ECHR Art. 8, X and Y v. the Netherlands, K.U. v.
 *                    Finland, the Budapest Convention
 *   T-ES(2015)04_fr  its French version: article 8 de la CEDH, K.U. c. Finlande; cites
 *                    T-ES(2014)58 (not in the collection)
 *   T-ES(2018)12     1st-round report, recommendations I-5..I-8; cites "its opinion on
 *                    Article 23 (T-ES(2015)04_en)": title and code, one citation
 *   T-ES(2019)05     decisions: "Recommendations I-5 to I-8 of document T-ES(2018)12",
 *                    T-ES-BU(2019)05 (not in the collection), T-ES(2015)04_fr
 *   T-ES(2020)14     decisions: "its opinion on Article 23" (by title: T-ES(2015)04), the
 *                    interpretative opinion on ICTs by title (not in the collection), an
 *                    "opinion on the duties of helplines" that no opinion is, a declaration
 *                    by title beside its code T-ES(2018)07 (one citation, of the code)
 *   T-ES(2021)18_fr  compliance report (1st round): "recommandation I-6" (its round),
 *                    "T-ES(2019)05 rév.", "T-ES-WG(2016)03_fr", "son avis sur l'article 23"
 *                    and the declaration on migrant and refugee children by their French
 *                    titles
 *   T-ES(2022)02     2nd-round report: "Recommendation R I-6 of T-ES(2018)12", a footnote
 *                    "Document T-ES(2021)18_fr."
 *   T-ES(2023)07     factsheet: T-ES(2022)02, T-ES(2021)31, "recommendation I-6
 *                    (T-ES(2018)12)", and "Recommendation V-17" alone (ambiguous)
 * Incremental: the index is built without T-ES(2018)12, which is then added (its cited_by
 * is right without re-indexing the citing documents), then T-ES(2023)07 is deleted (its
 * citation goes).
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "extract/shared_internal.h"
#include "lzs/extract.h"
#include "lzs/file.h"
#include "lzs/index.h"
#include "lzs/search.h"
#include "testindex.h"

static testindex_t g_ti;
static char g_corpus[300];

static const char *const k_docs[] = {"T-ES(2015)04_en", "T-ES(2015)04_fr", "T-ES(2018)12_en",
                                     "T-ES(2019)05_en", "T-ES(2020)14_en", "T-ES(2021)18_fr",
                                     "T-ES(2022)02_en", "T-ES(2023)07_en", NULL};

/* ---- fixture ---------------------------------------------------------------------------- */

/* Copies fixture name (.md and .meta.json) into the corpus, or removes it. */
static void put_doc(const char *name, int present)
{
    static const char *const exts[] = {".md", ".meta.json"};
    for (int e = 0; e < 2; e++) {
        char from[512], to[512];
        snprintf(from, sizeof from, "%s/cites/%s%s", LZS_TEST_DATA, name, exts[e]);
        snprintf(to, sizeof to, "%s/%s%s", g_corpus, name, exts[e]);
        if (present)
            assert_int_equal(testindex_copy(from, to), 0);
        else
            assert_int_equal(remove(to), 0);
    }
}

static void index_corpus(void)
{
    const char *dirs[1] = {g_corpus};
    if (testindex_build(&g_ti, dirs, 1,
                        TESTINDEX_ONE_JOB | TESTINDEX_MASS_DELETE | TESTINDEX_STRICT) != 0)
        fail_msg("indexing %s failed (the reason is above)", g_corpus);
}

static lzs_searcher_t *open_searcher(void)
{
    lzs_searcher_t *s = NULL;
    char *msg = NULL;
    if (lzs_searcher_open(g_ti.index, g_ti.ex, &s, &msg) != LZS_OK)
        fail_msg("searcher_open: %s", msg ? msg : "?");
    return s;
}

static int group_setup(void **state)
{
    (void)state;
    if (testindex_init(&g_ti, "lzs_test_cites") != 0)
        return -1;
    snprintf(g_corpus, sizeof g_corpus, "%s/corpus", g_ti.tmp);
    return mkdir(g_corpus, 0700);
}

static int group_teardown(void **state)
{
    (void)state;
    testindex_close(&g_ti);
    return 0;
}

/* ---- helpers ---------------------------------------------------------------------------- */

static lzs_document_t *extract(const char *name, const char *text, const char *sidecar)
{
    lzs_document_t *doc = NULL;
    char *msg = NULL;
    lzs_status_t st = lzs_extract_buffer(g_ti.ex, name, text, strlen(text), sidecar, &doc, &msg);
    if (st != LZS_OK)
        fail_msg("extract %s: %s", name, msg ? msg : lzs_status_str(st));
    return doc;
}

/* The list as "a|b|c". */
static void joined(const lzs_strlist_t *l, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t i = 0; i < l->n; i++) {
        strncat(buf, i ? "|" : "", cap - strlen(buf) - 1);
        strncat(buf, l->items[i], cap - strlen(buf) - 1);
    }
}

/* The one paragraph of a document of one paragraph after its title. */
static const lzs_passage_t *para(const lzs_document_t *doc)
{
    for (size_t i = 0; i < doc->npassages; i++) {
        if (doc->passages[i].kind != LZS_KIND_HEADING)
            return &doc->passages[i];
    }
    fail_msg("no paragraph");
    return NULL;
}

/* ---- extraction ------------------------------------------------------------------------- */

static void test_document_codes(void **state)
{
    (void)state;
    static const struct {
        const char *text, *cites;
    } cases[] = {
        {"As decided (document T-ES(2021)31), the Committee acts.", "T-ES(2021)31"},
        {"See T-ES(2021)18 rev. and T-ES(2014)58.", "T-ES(2021)18|T-ES(2014)58"},
        {"The Bureau (T-ES-BU(2019)05) and the group (T-ES-WG(2016)03) met.",
         "T-ES-BU(2019)05|T-ES-WG(2016)03"},
        {"In T-ES(2019)07_en final and T-ES(2019)07_fr the text is the same.",
         "T-ES(2019)07|T-ES(2019)07_fr"},
        {"Le document T-ES(2017)12 Rev2 et T-ES(2017)12_fr rév.", "T-ES(2017)12|T-ES(2017)12_fr"},
        /* the document's own code, in any language, is no citation */
        {"This is T-ES(2020)01 itself and its T-ES(2020)01_fr version.", ""},
        /* not codes: inside a word or another code, no number */
        {"aT-ES(2021)31 and CM/Rec(2018)7 and T-ES(21)3.", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char md[1024];
        snprintf(md, sizeof md, "# Title\n\n1. %s\n", cases[i].text);
        lzs_document_t *doc = extract("T-ES(2020)01_en.md", md, NULL);
        char got[512];
        joined(&para(doc)->cites, got, sizeof got);
        if (strcmp(got, cases[i].cites) != 0)
            fail_msg("'%s': cites '%s', expected '%s'", cases[i].text, got, cases[i].cites);
        lzs_document_free(doc);
    }
}

static void test_recommendations(void **state)
{
    (void)state;
    static const char *const round2 = "{\"round\": \"2nd-round\"}";
    static const struct {
        const char *text, *sidecar, *recs, *ambiguous;
    } cases[] = {
        /* the document named nearby */
        {"Recommendation V-17 of T-ES(2022)02 applies.", NULL, "T-ES(2022)02:V-17", ""},
        {"recommandation I-6 (T-ES(2018)12_fr) s'applique.", NULL, "T-ES(2018)12:I-6", ""},
        {"Recommendations I-5 to I-8 of document T-ES(2018)12 were followed.", NULL,
         "T-ES(2018)12:I-5|T-ES(2018)12:I-6|T-ES(2018)12:I-7|T-ES(2018)12:I-8", ""},
        {"Recommendations I-5, I-7 and I-9 of T-ES(2018)12.", NULL,
         "T-ES(2018)12:I-5|T-ES(2018)12:I-7|T-ES(2018)12:I-9", ""},
        {"R I-6 of T-ES(2018)12 and R15 (T-ES(2017)11).", NULL, "T-ES(2018)12:I-6|T-ES(2017)11:R15",
         ""},
        /* the citing document's round */
        {"Recommendation V-17 was followed up.", round2, "2nd-round:V-17", ""},
        {"Les recommandations V-17 et V-18 sont suivies.", round2, "2nd-round:V-17|2nd-round:V-18",
         ""},
        /* a document named in another clause does not resolve it */
        {"Recommendation V-17, as decided (T-ES(2021)31).", NULL, "", "V-17"},
        /* nothing resolves it */
        {"Recommendation V-17 is recalled.", NULL, "", "V-17"},
        /* an identifier of another shape than the round's */
        {"Recommendation R15 is recalled.", round2, "", "R15"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char md[1024];
        snprintf(md, sizeof md, "# Title\n\n1. %s\n", cases[i].text);
        lzs_document_t *doc = extract("T-ES(2024)01_en.md", md, cases[i].sidecar);
        char recs[512], amb[512];
        joined(&para(doc)->cites_recs, recs, sizeof recs);
        joined(&para(doc)->cites_ambiguous, amb, sizeof amb);
        if (strcmp(recs, cases[i].recs) != 0 || strcmp(amb, cases[i].ambiguous) != 0)
            fail_msg("'%s': recommendations '%s' ambiguous '%s', expected '%s' and '%s'",
                     cases[i].text, recs, amb, cases[i].recs, cases[i].ambiguous);
        lzs_document_free(doc);
    }
}

static void test_own_recommendation_is_no_citation(void **state)
{
    (void)state;
    const char *md = "# Report\n\n## Recommendations\n\nThe Lanzarote Committee requires all "
                     "Parties to train judges (R V-3).\n\n1. Recommendation V-3 of "
                     "T-ES(2018)12 is another one.\n";
    lzs_document_t *doc = extract("T-ES(2024)02_en.md", md, "{\"round\": \"2nd-round\"}");
    int checked = 0;
    for (size_t i = 0; i < doc->npassages; i++) {
        const lzs_passage_t *p = &doc->passages[i];
        if (p->kind == LZS_KIND_RECOMMENDATION) {
            assert_string_equal(p->rec_key, "2nd-round:V-3");
            assert_int_equal(p->cites_recs.n + p->cites_ambiguous.n, 0);
            checked++;
        } else if (p->kind != LZS_KIND_HEADING) {
            assert_int_equal(p->cites_recs.n, 1);
            assert_string_equal(p->cites_recs.items[0], "T-ES(2018)12:V-3");
            checked++;
        }
    }
    assert_int_equal(checked, 2);
    lzs_document_free(doc);
}

static void test_instruments(void **state)
{
    (void)state;
    static const struct {
        const char *text, *keys;
    } cases[] = {
        {"Under Article 8 ECHR the State must act.", "echr|echr-art8"},
        {"Articles 3 and 8 of the European Convention on Human Rights.",
         "echr|echr-art3|echr-art8"},
        {"Au titre de l'article 8 de la CEDH.", "echr|echr-art8"},
        {"La Convention européenne des droits de l\xE2\x80\x99homme protège.", "echr"},
        {"The Budapest Convention and the Convention on Cybercrime.", "budapest"},
        {"La Convention d'Istanbul.", "istanbul"},
        {"The Istanbul Convention applies.", "istanbul"},
        {"The Council of Europe Convention on Action against Trafficking in Human Beings.",
         "trafficking"},
        {"La Convention relative aux droits de l'enfant.", "uncrc"},
        {"Article 34 UNCRC.", "uncrc|uncrc-art34"},
        {"The Optional Protocol on the sale of children, child prostitution and child "
         "pornography.",
         "opsc"},
        {"Directive 2011/93/EU sets minimum rules.", "eu-directive-2011-93"},
        {"La directive 2011/93/UE.", "eu-directive-2011-93"},
        {"As the Explanatory Report says.", "explanatory-report"},
        {"In X and Y v. the Netherlands the Court held.", "ecthr-x-y-netherlands"},
        {"Dans l'affaire X et Y c. Pays-Bas.", "ecthr-x-y-netherlands"},
        {"K.U. v. Finland and K.U. c. Finlande.", "ecthr-ku-finland"},
        /* the Lanzarote Convention's own articles are no other instrument */
        {"Article 23 of the Convention.", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char md[1024];
        snprintf(md, sizeof md, "# Title\n\n1. %s\n", cases[i].text);
        lzs_document_t *doc = extract("x.md", md, NULL);
        lzs_strlist_t got = para(doc)->instruments;
        lzs_strlist_sort(&got);
        char keys[512];
        joined(&got, keys, sizeof keys);
        if (strcmp(keys, cases[i].keys) != 0)
            fail_msg("'%s': instruments '%s', expected '%s'", cases[i].text, keys, cases[i].keys);
        lzs_document_free(doc);
    }
    char label[256];
    assert_true(lzs_extract_instrument_label(g_ti.ex, "echr-art8", "en", label, sizeof label));
    assert_string_equal(label, "Article 8 \xE2\x80\x93 European Convention on Human Rights");
    assert_true(
        lzs_extract_instrument_label(g_ti.ex, "ecthr-ku-finland", "fr", label, sizeof label));
    assert_string_equal(label, "K.U. c. Finlande (CEDH, 2008)");
    assert_false(lzs_extract_instrument_label(g_ti.ex, "explanatory-report-art3", "en", label,
                                              sizeof label));
    assert_false(lzs_extract_instrument_label(g_ti.ex, "nosuch", "en", label, sizeof label));
}

static void test_opinions_by_title(void **state)
{
    (void)state;
    static const struct {
        const char *text, *opinions, *cites;
    } cases[] = {
        {"The Committee recalled its opinion on Article 23.", "art23-opinion", ""},
        {"Le Comité rappelle son avis sur l'article 23 de la Convention de Lanzarote.",
         "art23-opinion", ""},
        {"See the Committee's interpretative opinion on the applicability of the Convention to "
         "offences facilitated through ICTs.",
         "ict-opinion", ""},
        {"In its Declaration on protecting migrant and refugee children against sexual "
         "exploitation and sexual abuse, the Committee insisted.",
         "migrant-children-declaration", ""},
        {"La d\xC3\xA9"
         "claration sur la protection des enfants migrants et r\xC3\xA9"
         "fugi\xC3\xA9s "
         "le rappelle.",
         "migrant-children-declaration", ""},
        {"Its opinion on Article 23 and the 2019 Opinion apply.",
         "art23-opinion|self-generated-opinion", ""},
        /* a title that is no opinion of the file stays no citation */
        {"The Committee's opinion on the duties of helplines is awaited.", "", ""},
        {"An opinion on Article 24 was not adopted.", "", ""},
        /* title and code: one citation, of the code, whether beside or elsewhere */
        {"Its opinion on Article 23 (T-ES(2015)04_en) applies.", "", "T-ES(2015)04"},
        {"Its opinion on Article 23 applies, as T-ES(2015)04_fr says.", "", "T-ES(2015)04_fr"},
        {"The declaration on web addresses (document T-ES(2016)99) applies.", "", "T-ES(2016)99"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char md[1024];
        snprintf(md, sizeof md, "# Title\n\n1. %s\n", cases[i].text);
        lzs_document_t *doc = extract("T-ES(2024)03_en.md", md, NULL);
        char ops[512], cites[512];
        joined(&para(doc)->cites_opinions, ops, sizeof ops);
        joined(&para(doc)->cites, cites, sizeof cites);
        if (strcmp(ops, cases[i].opinions) != 0 || strcmp(cites, cases[i].cites) != 0)
            fail_msg("'%s': opinions '%s' cites '%s', expected '%s' and '%s'", cases[i].text, ops,
                     cites, cases[i].opinions, cases[i].cites);
        assert_null(doc->opinion);
        lzs_document_free(doc);
    }
    /* an opinion is itself by its code or its title, and does not cite itself */
    lzs_document_t *doc = extract(
        "T-ES(2015)04_fr.md", "# Avis\n\n1. Le pr\xC3\xA9sent avis sur l'article 23 s'applique.\n",
        "{\"type\": \"opinion\", \"language\": \"fr\"}");
    assert_string_equal(doc->opinion, "art23-opinion");
    assert_int_equal(para(doc)->cites_opinions.n, 0);
    lzs_document_free(doc);
    doc = extract("x.md", "# Opinion on child sexually suggestive or explicit images\n\n1. Text.\n",
                  "{\"type\": \"opinion\"}");
    assert_string_equal(doc->opinion, "self-generated-opinion");
    lzs_document_free(doc);
    /* a decision with the same title is no opinion */
    doc = extract("y.md", "# Opinion on Article 23\n\n1. Text.\n", "{\"type\": \"decisions\"}");
    assert_null(doc->opinion);
    lzs_document_free(doc);
    const lzs_opinion_info_t *in = lzs_extract_opinion(g_ti.ex, "art23-opinion");
    assert_non_null(in);
    assert_string_equal(in->kind, "opinion");
    assert_int_equal(in->year, 2015);
    assert_string_equal(in->code, "T-ES(2015)04");
    assert_null(lzs_extract_opinion(g_ti.ex, "ict-opinion")->code);
}

/* ---- index and search ------------------------------------------------------------------- */

static json_t *doc_of(lzs_searcher_t *s, const char *id)
{
    json_t *out = NULL;
    lzs_search_error_t e;
    if (lzs_search_document(s, id, &out, &e) != LZS_OK)
        fail_msg("document %s: %s", id, e.message);
    return out;
}

/* The ids of array arr's objects' field, "a|b". */
static void ids_of(json_t *arr, const char *field, char *buf, size_t cap)
{
    buf[0] = '\0';
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        strncat(buf, i ? "|" : "", cap - strlen(buf) - 1);
        const char *s = json_string_value(json_object_get(v, field));
        strncat(buf, s ? s : "?", cap - strlen(buf) - 1);
    }
}

static void expect_cited_by(lzs_searcher_t *s, const char *id, const char *expected)
{
    json_t *d = doc_of(s, id);
    json_t *cb = json_object_get(d, "cited_by");
    char got[1024];
    ids_of(json_object_get(cb, "documents"), "id", got, sizeof got);
    if (strcmp(got, expected) != 0)
        fail_msg("%s: cited_by '%s', expected '%s'", id, got, expected);
    assert_int_equal(json_integer_value(json_object_get(cb, "total")),
                     json_array_size(json_object_get(cb, "documents")));
    assert_int_equal(json_integer_value(json_object_get(cb, "limit")), LZS_SEARCH_CITED_BY);
    json_decref(d);
}

static void expect_cites(lzs_searcher_t *s, const char *id, const char *docs, const char *outside,
                         const char *recs, const char *ambiguous, const char *opinions)
{
    json_t *d = doc_of(s, id);
    json_t *c = json_object_get(d, "cites");
    char got[1024], out[1024] = "", r[1024], a[256];
    json_t *list = json_object_get(c, "documents");
    ids_of(list, "id", got, sizeof got);
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (!json_is_true(json_object_get(v, "in_collection"))) {
            strncat(out, out[0] ? "|" : "", sizeof out - strlen(out) - 1);
            strncat(out, json_string_value(json_object_get(v, "id")), sizeof out - strlen(out) - 1);
            assert_true(json_is_null(json_object_get(v, "title")));
        } else {
            assert_non_null(json_string_value(json_object_get(v, "title")));
        }
        assert_true(json_array_size(json_object_get(v, "passages")) > 0);
    }
    ids_of(json_object_get(c, "recommendations"), "key", r, sizeof r);
    ids_of(json_object_get(c, "ambiguous"), "id", a, sizeof a);
    char o[256];
    ids_of(json_object_get(c, "opinions"), "key", o, sizeof o);
    json_array_foreach(json_object_get(c, "opinions"), i, v)
    {
        /* listed like an instrument: its title, kind and year from opinions.tsv */
        assert_non_null(json_string_value(json_object_get(v, "title")));
        assert_non_null(json_string_value(json_object_get(v, "kind")));
        assert_true(json_integer_value(json_object_get(v, "year")) >= 2015);
        assert_true(json_array_size(json_object_get(v, "passages")) > 0);
    }
    if (strcmp(got, docs) != 0 || strcmp(out, outside) != 0 || strcmp(r, recs) != 0 ||
        strcmp(a, ambiguous) != 0 || strcmp(o, opinions) != 0)
        fail_msg("%s: cites '%s' (outside '%s') recs '%s' ambiguous '%s' opinions '%s'; expected "
                 "'%s' ('%s') '%s' '%s' '%s'",
                 id, got, out, r, a, o, docs, outside, recs, ambiguous, opinions);
    json_decref(d);
}

static void test_chain(void **state)
{
    (void)state;
    for (int i = 0; k_docs[i]; i++)
        put_doc(k_docs[i], 1);
    index_corpus();
    lzs_searcher_t *s = open_searcher();
    expect_cites(s, "T-ES(2015)04", "", "", "", "", "");
    expect_cites(s, "T-ES(2015)04_fr", "T-ES(2014)58", "T-ES(2014)58", "", "", "");
    expect_cites(s, "T-ES(2018)12", "T-ES(2015)04", "", "", "", "");
    expect_cites(s, "T-ES(2019)05", "T-ES(2018)12|T-ES-BU(2019)05|T-ES(2015)04_fr",
                 "T-ES-BU(2019)05",
                 "T-ES(2018)12:I-5|T-ES(2018)12:I-6|T-ES(2018)12:I-7|T-ES(2018)12:I-8", "", "");
    /* the French title of the opinion links to the opinion, as a code without suffix does;
     * the declaration is in no document of the index */
    expect_cites(s, "T-ES(2021)18_fr", "T-ES(2019)05|T-ES-WG(2016)03_fr|T-ES(2015)04",
                 "T-ES-WG(2016)03_fr", "1st-round:I-6", "", "migrant-children-declaration");
    /* the English title links to it too; a title beside its code is the code's citation; an
     * opinion that opinions.tsv does not list is nothing */
    expect_cites(s, "T-ES(2020)14", "T-ES(2018)07|T-ES(2015)04", "T-ES(2018)07", "", "",
                 "ict-opinion");
    expect_cites(s, "T-ES(2022)02", "T-ES(2018)12|T-ES(2021)18_fr", "", "T-ES(2018)12:I-6", "", "");
    expect_cites(s, "T-ES(2023)07", "T-ES(2022)02|T-ES(2021)31|T-ES(2018)12", "T-ES(2021)31",
                 "T-ES(2018)12:I-6", "V-17", "");

    expect_cited_by(s, "T-ES(2015)04", "T-ES(2021)18_fr|T-ES(2020)14|T-ES(2018)12");
    expect_cited_by(s, "T-ES(2015)04_fr", "T-ES(2019)05");
    expect_cited_by(s, "T-ES(2018)12", "T-ES(2023)07|T-ES(2022)02|T-ES(2019)05");
    expect_cited_by(s, "T-ES(2019)05", "T-ES(2021)18_fr");
    expect_cited_by(s, "T-ES(2021)18_fr", "T-ES(2022)02");
    expect_cited_by(s, "T-ES(2022)02", "T-ES(2023)07");
    expect_cited_by(s, "T-ES(2023)07", "");

    /* "its opinion on Article 23 (T-ES(2015)04_en)": one citation by one passage */
    json_t *d12 = doc_of(s, "T-ES(2018)12");
    json_t *cited = json_array_get(json_object_get(json_object_get(d12, "cites"), "documents"), 0);
    assert_string_equal(json_string_value(json_object_get(cited, "id")), "T-ES(2015)04");
    assert_int_equal(json_array_size(json_object_get(cited, "passages")), 1);
    assert_int_equal(json_array_size(json_object_get(json_object_get(d12, "cites"), "opinions")),
                     0);
    json_decref(d12);
    /* an opinion cited by title only, not in the collection: its key, title, kind, year */
    json_t *d14 = doc_of(s, "T-ES(2020)14");
    json_t *ict = json_array_get(json_object_get(json_object_get(d14, "cites"), "opinions"), 0);
    assert_string_equal(json_string_value(json_object_get(ict, "kind")), "opinion");
    assert_int_equal(json_integer_value(json_object_get(ict, "year")), 2017);
    assert_true(json_is_null(json_object_get(ict, "code")));
    assert_non_null(strstr(json_string_value(json_object_get(ict, "title")),
                           "Interpretative Opinion on the applicability"));
    assert_string_equal(json_string_value(json_array_get(json_object_get(ict, "passages"), 0)),
                        "T-ES(2020)14:3");
    json_decref(d14);

    /* the follow-up of recommendation I-6: four later documents, oldest first; I-5 is
     * followed up in one */
    json_t *d = doc_of(s, "T-ES(2018)12");
    size_t i;
    json_t *p;
    int seen = 0;
    json_array_foreach(json_object_get(d, "passages"), i, p)
    {
        const char *key = json_string_value(json_object_get(p, "rec_key"));
        json_t *fu = json_object_get(p, "followed_up_by");
        if (key == NULL) {
            assert_null(fu);
            continue;
        }
        char docs[1024] = "";
        json_t *e;
        size_t k;
        json_array_foreach(fu, k, e)
        {
            strncat(docs, k ? "|" : "", sizeof docs - strlen(docs) - 1);
            strncat(docs, json_string_value(json_object_get(json_object_get(e, "doc"), "id")),
                    sizeof docs - strlen(docs) - 1);
        }
        if (strcmp(key, "1st-round:I-6") == 0) {
            assert_string_equal(docs, "T-ES(2019)05|T-ES(2021)18_fr|T-ES(2021)18_fr|"
                                      "T-ES(2022)02|T-ES(2023)07");
            seen++;
        } else if (strcmp(key, "1st-round:I-5") == 0) {
            assert_string_equal(docs, "T-ES(2019)05");
            seen++;
        }
    }
    assert_int_equal(seen, 2);
    json_decref(d);
    lzs_searcher_close(s);
}

/* Total of a browse with one filter value per field given. */
static json_t *browse(lzs_searcher_t *s, lzs_field_t f, const char *v1, const char *v2,
                      lzs_search_error_t *e, lzs_status_t *st)
{
    lzs_search_req_t req;
    lzs_search_req_init(&req);
    const char *vals[2] = {v1, v2};
    req.values[f] = vals;
    req.nvalues[f] = v2 ? 2 : 1;
    req.group = LZS_GROUP_DOCUMENT;
    req.sort = LZS_SORT_OLDEST;
    req.size = 20;
    req.facets = LZS_FACET_CITES | LZS_FACET_INSTRUMENT;
    json_t *out = NULL;
    *st = lzs_search_run(s, &req, &out, e);
    return out;
}

static void expect_docs(lzs_searcher_t *s, lzs_field_t f, const char *v1, const char *v2,
                        const char *expected)
{
    lzs_search_error_t e;
    lzs_status_t st;
    json_t *out = browse(s, f, v1, v2, &e, &st);
    if (st != LZS_OK)
        fail_msg("%s=%s: %s", lzs_search_field_name(f), v1, e.message);
    char got[1024] = "";
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(out, "hits"), i, h)
    {
        strncat(got, i ? "|" : "", sizeof got - strlen(got) - 1);
        strncat(got, json_string_value(json_object_get(json_object_get(h, "doc"), "id")),
                sizeof got - strlen(got) - 1);
    }
    if (strcmp(got, expected) != 0)
        fail_msg("%s=%s%s%s: '%s', expected '%s'", lzs_search_field_name(f), v1, v2 ? "," : "",
                 v2 ? v2 : "", got, expected);
    json_decref(out);
}

static json_t *facet_value(json_t *out, const char *facet, const char *value)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(json_object_get(out, "facets"), facet), i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "value")), value) == 0)
            return v;
    }
    return NULL;
}

static void test_filters_and_facets(void **state)
{
    (void)state;
    lzs_searcher_t *s = open_searcher();
    expect_docs(s, LZS_F_CITES, "T-ES(2018)12", NULL, "T-ES(2019)05|T-ES(2022)02|T-ES(2023)07");
    expect_docs(s, LZS_F_CITES, "T-ES(2018)12_en rev.", NULL,
                "T-ES(2019)05|T-ES(2022)02|T-ES(2023)07");
    expect_docs(s, LZS_F_CITES, "T-ES(2015)04_fr", NULL, "T-ES(2019)05");
    /* repeat = OR */
    expect_docs(s, LZS_F_CITES, "T-ES(2015)04", "T-ES(2022)02",
                "T-ES(2018)12|T-ES(2020)14|T-ES(2021)18_fr|T-ES(2023)07");
    /* a recommendation: any citation of the identifier, or its key */
    expect_docs(s, LZS_F_CITES, "I-6", NULL,
                "T-ES(2019)05|T-ES(2021)18_fr|T-ES(2022)02|T-ES(2023)07");
    expect_docs(s, LZS_F_CITES, "R I-6", NULL,
                "T-ES(2019)05|T-ES(2021)18_fr|T-ES(2022)02|T-ES(2023)07");
    expect_docs(s, LZS_F_CITES, "1st-round:I-6", NULL, "T-ES(2021)18_fr");
    expect_docs(s, LZS_F_CITES, "V-17", NULL, "T-ES(2023)07");
    /* an opinion: by its code, its title in either language, or its key */
    expect_docs(s, LZS_F_CITES, "T-ES(2015)04", NULL, "T-ES(2018)12|T-ES(2020)14|T-ES(2021)18_fr");
    expect_docs(s, LZS_F_CITES, "art23-opinion", NULL,
                "T-ES(2018)12|T-ES(2019)05|T-ES(2020)14|T-ES(2021)18_fr");
    expect_docs(s, LZS_F_CITES, "Art23-Opinion", NULL,
                "T-ES(2018)12|T-ES(2019)05|T-ES(2020)14|T-ES(2021)18_fr");
    expect_docs(s, LZS_F_CITES, "ict-opinion", NULL, "T-ES(2020)14");
    expect_docs(s, LZS_F_CITES, "migrant-children-declaration", NULL, "T-ES(2021)18_fr");
    expect_docs(s, LZS_F_CITES, "T-ES(2018)07", NULL, "T-ES(2020)14");
    expect_docs(s, LZS_F_CITES, "web-addresses-declaration", NULL, "");
    /* each instrument of the issue is cited by a fixture */
    expect_docs(s, LZS_F_INSTRUMENT, "echr", NULL, "T-ES(2015)04|T-ES(2015)04_fr");
    expect_docs(s, LZS_F_INSTRUMENT, "echr-art8", NULL, "T-ES(2015)04|T-ES(2015)04_fr");
    expect_docs(s, LZS_F_INSTRUMENT, "ecthr-ku-finland", NULL, "T-ES(2015)04|T-ES(2015)04_fr");
    expect_docs(s, LZS_F_INSTRUMENT, "ecthr-x-y-netherlands", NULL, "T-ES(2015)04");
    expect_docs(s, LZS_F_INSTRUMENT, "budapest", NULL, "T-ES(2015)04");
    expect_docs(s, LZS_F_INSTRUMENT, "istanbul", NULL, "T-ES(2018)12");
    expect_docs(s, LZS_F_INSTRUMENT, "explanatory-report", NULL, "T-ES(2018)12");
    expect_docs(s, LZS_F_INSTRUMENT, "trafficking", NULL, "T-ES(2021)18_fr");
    expect_docs(s, LZS_F_INSTRUMENT, "eu-directive-2011-93", NULL, "T-ES(2021)18_fr");
    expect_docs(s, LZS_F_INSTRUMENT, "uncrc", NULL, "T-ES(2022)02");
    expect_docs(s, LZS_F_INSTRUMENT, "opsc", NULL, "T-ES(2022)02");

    /* facets: the most cited document first, labelled with its title or as outside */
    lzs_search_error_t e;
    lzs_status_t st;
    json_t *out = browse(s, LZS_F_LANG, "en", NULL, &e, &st);
    assert_int_equal(st, LZS_OK);
    json_t *first = json_array_get(json_object_get(json_object_get(out, "facets"), "cites"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "value")), "T-ES(2018)12");
    assert_int_equal(json_integer_value(json_object_get(first, "count")), 3);
    assert_non_null(strstr(json_string_value(json_object_get(first, "label")), "strategies"));
    json_t *outside = facet_value(out, "cites", "T-ES(2021)31");
    assert_non_null(outside);
    assert_string_equal(json_string_value(json_object_get(outside, "label")),
                        "T-ES(2021)31 (not in the collection)");
    /* a title counts as the document it links to, once per passage */
    json_t *op = facet_value(out, "cites", "T-ES(2015)04");
    assert_non_null(op);
    assert_int_equal(json_integer_value(json_object_get(op, "count")), 2);
    assert_string_equal(json_string_value(json_object_get(op, "label")),
                        "Opinion on Article 23 of the Lanzarote Convention");
    json_t *ict = facet_value(out, "cites", "ict-opinion");
    assert_non_null(ict);
    assert_int_equal(json_integer_value(json_object_get(ict, "count")), 1);
    assert_non_null(strstr(json_string_value(json_object_get(ict, "label")),
                           "Interpretative Opinion on the applicability"));
    assert_non_null(
        strstr(json_string_value(json_object_get(ict, "label")), "(not in the collection)"));
    json_t *art8 = facet_value(out, "instrument", "echr-art8");
    assert_non_null(art8);
    assert_string_equal(json_string_value(json_object_get(art8, "label")),
                        "Article 8 \xE2\x80\x93 European Convention on Human Rights");
    json_decref(out);

    /* errors name the parameter and the value */
    out = browse(s, LZS_F_INSTRUMENT, "nosuch", NULL, &e, &st);
    assert_int_equal(st, LZS_ERR_INVALID);
    assert_null(out);
    assert_string_equal(e.param, "instrument");
    assert_non_null(strstr(e.message, "nosuch"));
    out = browse(s, LZS_F_CITES, "hello", NULL, &e, &st);
    assert_int_equal(st, LZS_ERR_INVALID);
    assert_string_equal(e.param, "cites");
    /* the query language has the fields too */
    lzs_search_req_t req;
    lzs_search_req_init(&req);
    req.q = "cites:\"T-ES(2015)04_en\" strategy";
    st = lzs_search_run(s, &req, &out, &e);
    if (st != LZS_OK)
        fail_msg("%s: %s", req.q, e.message);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 1);
    json_decref(out);
    lzs_searcher_close(s);
}

static void test_incremental(void **state)
{
    (void)state;
    /* a fresh index without the 2018 report */
    nftw(g_ti.index, testindex_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    put_doc("T-ES(2018)12_en", 0);
    index_corpus();
    lzs_searcher_t *s = open_searcher();
    expect_cites(s, "T-ES(2019)05", "T-ES(2018)12|T-ES-BU(2019)05|T-ES(2015)04_fr",
                 "T-ES(2018)12|T-ES-BU(2019)05",
                 "T-ES(2018)12:I-5|T-ES(2018)12:I-6|T-ES(2018)12:I-7|T-ES(2018)12:I-8", "", "");
    lzs_searcher_close(s);

    /* added later: the citing documents are not indexed again, yet it is cited */
    put_doc("T-ES(2018)12_en", 1);
    lzs_index_opts_t opts;
    lzs_index_opts_init(&opts);
    opts.index_dir = g_ti.index;
    opts.jobs = 1;
    const char *dirs[1] = {g_corpus};
    lzs_index_summary_t *sum = NULL;
    char *msg = NULL;
    assert_int_equal(lzs_index_run(&opts, dirs, 1, &sum, &msg), LZS_OK);
    assert_int_equal(sum->files_added, 1);
    assert_int_equal(sum->files_changed, 0);
    lzs_index_summary_free(sum);
    s = open_searcher();
    expect_cited_by(s, "T-ES(2018)12", "T-ES(2023)07|T-ES(2022)02|T-ES(2019)05");
    expect_cites(s, "T-ES(2019)05", "T-ES(2018)12|T-ES-BU(2019)05|T-ES(2015)04_fr",
                 "T-ES-BU(2019)05",
                 "T-ES(2018)12:I-5|T-ES(2018)12:I-6|T-ES(2018)12:I-7|T-ES(2018)12:I-8", "", "");
    lzs_searcher_close(s);

    /* a citing document deleted: its citation goes */
    put_doc("T-ES(2023)07_en", 0);
    index_corpus();
    s = open_searcher();
    expect_cited_by(s, "T-ES(2018)12", "T-ES(2022)02|T-ES(2019)05");
    expect_cited_by(s, "T-ES(2022)02", "");

    /* the cites facet's labels are kept for a revision of the index, not beyond: the cited
     * document retitled, the same searcher moved to the new revision shows the new title */
    lzs_search_error_t e;
    lzs_status_t st;
    json_t *out = browse(s, LZS_F_LANG, "en", NULL, &e, &st);
    assert_int_equal(st, LZS_OK);
    assert_non_null(strstr(
        json_string_value(json_object_get(facet_value(out, "cites", "T-ES(2018)12"), "label")),
        "strategies"));
    json_decref(out);
    char meta[512];
    snprintf(meta, sizeof meta, "%s/T-ES(2018)12_en.meta.json", g_corpus);
    FILE *f = fopen(meta, "w");
    assert_non_null(f);
    fputs("{\"title\": \"The strategies, retitled\", \"type\": \"implementation-report\", "
          "\"date\": \"2018-01-31\", \"language\": \"en\", \"round\": \"1st-round\"}",
          f);
    assert_int_equal(fclose(f), 0);
    index_corpus();
    assert_int_equal(lzs_searcher_reopen(s), LZS_OK);
    out = browse(s, LZS_F_LANG, "en", NULL, &e, &st);
    assert_int_equal(st, LZS_OK);
    assert_string_equal(
        json_string_value(json_object_get(facet_value(out, "cites", "T-ES(2018)12"), "label")),
        "The strategies, retitled");
    json_decref(out);
    lzs_searcher_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_codes),
        cmocka_unit_test(test_recommendations),
        cmocka_unit_test(test_own_recommendation_is_no_citation),
        cmocka_unit_test(test_instruments),
        cmocka_unit_test(test_opinions_by_title),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_filters_and_facets),
        cmocka_unit_test(test_incremental),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
