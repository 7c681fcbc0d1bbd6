/* test_extract.c — the extractor on the shipped seeds, on fixtures and on bad input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract/shared_internal.h"
#include "lzs/extract.h"
#include "testdata.h"

#define SEED_DECISIONS LZS_CORPUS_DIR "/000_61b0df1d91b66db2.txt"
#define SEED_FACTSHEET LZS_CORPUS_DIR "/003_439bdb46cbe148c3.txt"
#define SEED_NOTE LZS_CORPUS_DIR "/004_51c1ef6eb7843b82.txt"

static lzs_document_t *extract_path(const char *path)
{
    lzs_document_t *doc = NULL;
    char *err = NULL;
    lzs_status_t st = lzs_extract_file(ex, path, &doc, &err);
    if (st != LZS_OK)
        fprintf(stderr, "%s\n", err ? err : "?");
    assert_int_equal(st, LZS_OK);
    assert_non_null(doc);
    assert_null(err);
    return doc;
}

static lzs_document_t *extract_text(const char *name, const char *text)
{
    lzs_document_t *doc = NULL;
    char *err = NULL;
    lzs_status_t st = lzs_extract_buffer(ex, name, text, strlen(text), NULL, &doc, &err);
    if (st != LZS_OK)
        fprintf(stderr, "%s\n", err ? err : "?");
    assert_int_equal(st, LZS_OK);
    return doc;
}

/* Two headings, and the last decision "2" still under "Agenda item 3". Frees doc. */
static void check_caption_doc(const char *name, lzs_document_t *doc)
{
    size_t headings = 0;
    const lzs_passage_t *last = NULL;
    for (size_t i = 0; i < doc->npassages; i++) {
        const lzs_passage_t *p = &doc->passages[i];
        if (strcmp(lzs_kind_name(p->kind), "heading") == 0) {
            headings++;
            if (headings > 2)
                fprintf(stderr, "%s: a heading too many: %s\n", name, p->text);
        }
        last = p;
    }
    assert_int_equal(headings, 2);
    assert_non_null(last);
    assert_string_equal(last->label, "2");
    assert_int_equal(last->section.n, 2);
    assert_string_equal(last->section.items[1], "Agenda item 3");
    lzs_document_free(doc);
}

/* A table's caption, even a bold one, is text of the section it is in: the decisions
 * after the table stay under their agenda item, not under "Replies received". */
/* A text with no word at all (signs and rules only) gives no spelling list for line-end
 * hyphens: the layout stage must not sort or search an empty list, whose array is NULL
 * (clang's UBSan in the fuzz build reported qsort given NULL, found by fuzz_extract). */
static void test_text_without_words(void **state)
{
    (void)state;
    lzs_document_t *doc = extract_text("nowords.txt", "§ ¶\n\n* * *\n\n« ? »\n");
    assert_non_null(doc);
    lzs_document_free(doc);
}

static void test_caption_is_not_a_heading(void **state)
{
    (void)state;
    const char *html =
        "<html><body><main><h1>List of decisions</h1><h2>Agenda item 3</h2>"
        "<ol><li>The Committee adopted the agenda.</li></ol>"
        "<table><caption><b>Replies received</b></caption>"
        "<tr><th>Party</th><th>Date</th></tr><tr><td>Norway</td><td>2019</td></tr></table>"
        "<figure><figcaption>Replies by year</figcaption></figure>"
        "<ol start=\"2\"><li>The Committee took note of the replies.</li></ol>"
        "</main></body></html>";
    check_caption_doc("decisions.html", extract_text("decisions.html", html));
    /* Word's "Table Caption" (based on "Caption"), LibreOffice's caption styles, pandoc's
     * "TableCaption" in an ODT (tests/data/formats/captions.md) */
    static const char *const files[] = {"captions.pandoc.docx", "captions.lo.docx",
                                        "captions.pandoc.odt", "captions.lo.odt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/formats/%s", LZS_TEST_DATA, files[i]);
        check_caption_doc(files[i], extract_path(path));
    }
}

static const lzs_passage_t *find_rec(const lzs_document_t *doc, const char *id)
{
    for (size_t i = 0; i < doc->npassages; i++) {
        const lzs_passage_t *p = &doc->passages[i];
        if (p->kind == LZS_KIND_RECOMMENDATION && p->rec_id && strcmp(p->rec_id, id) == 0)
            return p;
    }
    return NULL;
}

static const lzs_passage_t *find_para(const lzs_document_t *doc, const char *label)
{
    for (size_t i = 0; i < doc->npassages; i++) {
        const lzs_passage_t *p = &doc->passages[i];
        if (p->kind == LZS_KIND_PARAGRAPH && p->label && strcmp(p->label, label) == 0)
            return p;
    }
    return NULL;
}

/* The list holds exactly the codes given (in any order). */
static void assert_set(const lzs_strlist_t *l, const char *const *codes)
{
    size_t n = 0;
    for (; codes[n]; n++) {
        if (!lzs_strlist_contains(l, codes[n]))
            fail_msg("missing %s", codes[n]);
    }
    assert_int_equal(l->n, n);
}

/* ---- the seeds ------------------------------------------------------------------------ */

static void test_factsheet_recommendations(void **state)
{
    (void)state;
    lzs_document_t *doc = extract_path(SEED_FACTSHEET);
    assert_int_equal(doc->type, LZS_DOC_FACTSHEET);
    assert_string_equal(doc->date, "2023-10");
    assert_int_equal(doc->year, 2023);
    assert_string_equal(doc->lang, "en");

    /* V-1 .. V-19, in reading order, and nothing else */
    int expect = 1;
    for (size_t i = 0; i < doc->npassages; i++) {
        const lzs_passage_t *p = &doc->passages[i];
        if (p->kind != LZS_KIND_RECOMMENDATION)
            continue;
        char id[16];
        snprintf(id, sizeof id, "V-%d", expect);
        assert_non_null(p->rec_id);
        assert_string_equal(p->rec_id, id);
        assert_string_equal(p->label, id);
        expect++;
    }
    assert_int_equal(expect, 20);

    const lzs_passage_t *v1 = find_rec(doc, "V-1");
    assert_int_equal(v1->level, LZS_LEVEL_INVITE);
    assert_set(&v1->addressees, (const char *const[]){"BG", "HU", "MC", "RU", NULL});
    assert_true(lzs_strlist_contains(&v1->articles, "20"));
    assert_true(lzs_strlist_contains(&v1->articles, "20(4)"));
    assert_true(lzs_strlist_contains(&v1->articles, "20(1)(f)"));

    const lzs_passage_t *v3 = find_rec(doc, "V-3");
    assert_int_equal(v3->level, LZS_LEVEL_REQUEST);
    assert_set(&v3->addressees, (const char *const[]){"all", NULL});

    const lzs_passage_t *v17 = find_rec(doc, "V-17");
    assert_int_equal(v17->level, LZS_LEVEL_REQUIRE);
    assert_set(&v17->addressees, (const char *const[]){"AD", "BA", "GE", "LI", "MC", "ME", "MK",
                                                       "NO", "SM", "TR", "UA", NULL});
    assert_true(lzs_strlist_contains(&v17->articles, "38(2)"));
    assert_true(v17->section.n >= 1);
    assert_non_null(strstr(v17->section.items[0], "VII. Ensure that victims"));
    assert_null(strstr(v17->text, "<sup>"));
    assert_null(strstr(v17->text, "**"));

    const lzs_passage_t *v18 = find_rec(doc, "V-18");
    assert_int_equal(v18->level, LZS_LEVEL_REQUIRE);
    assert_set(&v18->addressees, (const char *const[]){"BE", "HR", "CY", "DK", "EE", "IT", "LT",
                                                       "MT", "PL", "RO", "SE", NULL});

    const lzs_passage_t *v19 = find_rec(doc, "V-19");
    assert_int_equal(v19->level, LZS_LEVEL_INVITE);
    assert_set(&v19->addressees, (const char *const[]){"all", NULL});
    assert_true(lzs_strlist_contains(&v19->articles, "38(4)"));

    /* A bullet split by a page break is one recommendation. */
    const lzs_passage_t *v4 = find_rec(doc, "V-4");
    assert_non_null(strstr(v4->text, "possibilities to expand international co-operation"));

    /* Morocco is named but is not a Party. */
    for (size_t i = 0; i < doc->npassages; i++)
        assert_false(lzs_strlist_contains(&doc->passages[i].parties, "MA"));
    lzs_document_free(doc);
}

static void test_factsheet_toc_skipped(void **state)
{
    (void)state;
    lzs_document_t *doc = extract_path(SEED_FACTSHEET);
    for (size_t i = 0; i < doc->npassages; i++) {
        const char *t = doc->passages[i].text;
        assert_null(strstr(t, "....."));
        assert_true(strcmp(t, "Table of Contents") != 0);
    }
    /* the bold subtitle sits under the "###" heading above it */
    assert_int_equal(doc->passages[2].kind, LZS_KIND_HEADING);
    assert_non_null(strstr(doc->passages[2].text, "The protection of children"));
    assert_int_equal(doc->passages[2].section.n, 2);
    assert_string_equal(doc->passages[2].section.items[1],
                        "Lanzarote Committee monitoring findings on:");
    /* the first section after the table of contents is the introduction */
    size_t intro = 0;
    for (size_t i = 0; i < doc->npassages; i++) {
        if (doc->passages[i].kind == LZS_KIND_HEADING &&
            strcmp(doc->passages[i].text, "I. Introduction") == 0)
            intro++;
    }
    assert_int_equal(intro, 1);
    lzs_document_free(doc);
}

static void test_decisions(void **state)
{
    (void)state;
    lzs_document_t *doc = extract_path(SEED_DECISIONS);
    assert_string_equal(doc->id, "T-ES(2021)31");
    assert_string_equal(doc->ref, "T-ES(2021)31_en");
    assert_int_equal(doc->type, LZS_DOC_DECISIONS);
    assert_string_equal(doc->date, "2021-10-07");
    assert_int_equal(doc->year, 2021);
    assert_string_equal(doc->lang, "en");
    assert_non_null(strstr(doc->title, "List of decisions"));

    /* The title page: the letterhead and the lines under the title are text, not
     * headings; the one heading is the title with its subtitle. */
    static const struct {
        const char *text;
        lzs_kind_t kind;
    } front[] = {
        {"LANZAROTE COMMITTEE", LZS_KIND_PARAGRAPH},
        {"Committee of the Parties to the Council of Europe Convention on the protection of "
         "children against sexual exploitation and sexual abuse",
         LZS_KIND_PARAGRAPH},
        {"List of decisions", LZS_KIND_HEADING},
        {"33rd and 34th meetings (remote)", LZS_KIND_HEADING},
        {"Venue: KUDO platform", LZS_KIND_PARAGRAPH},
        /* a date line after the cover date: the meeting's days, a paragraph */
        {"21-22 September 2021 and 4-7 October 2021", LZS_KIND_PARAGRAPH},
        {"Adopted by the Lanzarote Committee on 7 October 2021", LZS_KIND_PARAGRAPH},
    };
    for (size_t i = 0; i < sizeof front / sizeof front[0]; i++) {
        assert_string_equal(doc->passages[i].text, front[i].text);
        assert_int_equal(doc->passages[i].kind, front[i].kind);
        assert_null(doc->passages[i].label);
    }
    assert_int_equal(doc->passages[0].section.n, 0);
    assert_int_equal(doc->passages[1].section.n, 0);
    assert_non_null(strstr(doc->passages[7].text, "The Committee of the Parties (hereinafter"));
    assert_int_equal(doc->passages[7].section.n, 1);
    assert_string_equal(doc->passages[7].section.items[0], "33rd and 34th meetings (remote)");
    assert_string_equal(doc->adopted, "2021-10-07");
    assert_null(doc->date_end);
    assert_null(doc->revision);
    assert_false(doc->draft);

    /* exactly the 44 decision paragraphs are numbered paragraphs, in order */
    int expect = 1;
    for (size_t i = 0; i < doc->npassages; i++) {
        const lzs_passage_t *p = &doc->passages[i];
        if (p->kind != LZS_KIND_PARAGRAPH || p->label == NULL)
            continue;
        char l[16];
        snprintf(l, sizeof l, "%d", expect);
        assert_string_equal(p->label, l);
        expect++;
    }
    assert_int_equal(expect, 45);

    /* agenda items are headings, and the section of the paragraphs under them */
    int agenda = 0;
    for (size_t i = 0; i < doc->npassages; i++) {
        const lzs_passage_t *p = &doc->passages[i];
        if (p->kind == LZS_KIND_HEADING && p->label && strcmp(p->label, "2.1.1") == 0)
            agenda++;
        if (p->kind == LZS_KIND_HEADING && strncmp(p->text, "1. Opening of the meeting", 25) == 0)
            agenda++;
    }
    assert_int_equal(agenda, 2);
    const lzs_passage_t *p1 = find_para(doc, "1");
    assert_non_null(strstr(p1->text, "Adopted its agendas"));
    assert_int_equal(p1->section.n, 1);
    assert_string_equal(p1->section.items[0],
                        "1. Opening of the meeting, adoption of the agendas and up-date on "
                        "ratifications/accessions to the Lanzarote Convention");
    const lzs_passage_t *p4 = find_para(doc, "4");
    assert_int_equal(p4->section.n, 3);
    assert_non_null(strstr(p4->section.items[2], "2.1.1. Review of the legal chapters"));

    /* Paragraph 13 is the vote; the Russian Federation is named in 12, 14 and 15 around
     * it ("the Russian Federation's request": a possessive). 13 names no Party, but its
     * "these two options" are those of 12, one of them the Russian Federation's text. */
    const lzs_passage_t *p13 = find_para(doc, "13");
    assert_non_null(strstr(p13->text, "Held an online vote"));
    assert_set(&p13->parties, (const char *const[]){"RU", NULL});
    assert_true(lzs_strlist_contains(&find_para(doc, "12")->parties, "RU"));
    assert_true(lzs_strlist_contains(&find_para(doc, "14")->parties, "RU"));
    assert_true(lzs_strlist_contains(&find_para(doc, "14")->articles, "38(1)"));
    assert_true(lzs_strlist_contains(&find_para(doc, "24")->parties, "NO"));
    assert_set(&find_para(doc, "27")->parties, (const char *const[]){"PT", NULL});
    /* "these draft revised Rules of Procedure" are those that the members from Portugal
     * and France prepared (40). */
    assert_set(&find_para(doc, "41")->parties, (const char *const[]){"FR", "PT", NULL});
    /* The rule changes nothing else: no other decision paragraph names a Party or refers
     * back to one that does. */
    static const struct {
        const char *label;
        const char *const parties[4];
    } named[] = {{"11", {"RU"}},       {"12", {"RU"}},       {"13", {"RU"}},       {"14", {"RU"}},
                 {"15", {"RU"}},       {"24", {"NO"}},       {"27", {"PT"}},       {"32", {"BE"}},
                 {"39", {"FR", "PT"}}, {"40", {"FR", "PT"}}, {"41", {"FR", "PT"}}, {"42", {"RU"}}};
    for (int n = 1; n <= 44; n++) {
        char l[16];
        snprintf(l, sizeof l, "%d", n);
        const lzs_passage_t *p = find_para(doc, l);
        const char *const *want = (const char *const[]){NULL};
        for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
            if (strcmp(named[k].label, l) == 0)
                want = named[k].parties;
        }
        assert_set(&p->parties, want);
    }

    /* a paragraph cut by a page break and a footnote is whole, without the marker */
    const lzs_passage_t *p11 = find_para(doc, "11");
    assert_non_null(strstr(p11->text, "seeking of a further compromise, resulting in"));
    const lzs_passage_t *p7 = find_para(doc, "7");
    assert_non_null(strstr(p7->text, "recommendations required"));
    int footnotes = 0;
    for (size_t i = 0; i < doc->npassages; i++) {
        const lzs_passage_t *p = &doc->passages[i];
        if (p->kind == LZS_KIND_FOOTNOTE && strcmp(p->label, "1") == 0) {
            assert_non_null(strstr(p->text, "R I-4"));
            footnotes++;
        }
    }
    assert_int_equal(footnotes, 1);
    lzs_document_free(doc);
}

/* The number at the start of a heading ("III. ", "2.1.1. "), or "" when it has none. */
static void heading_number(const char *text, char *buf, size_t cap)
{
    size_t n = strspn(text, "IVXLC");
    if (n == 0)
        n = strspn(text, "0123456789.");
    while (n > 0 && text[n - 1] == '.')
        n--;
    buf[0] = '\0';
    if (n > 0 && n < cap && text[n] == '.' && text[n + 1] == ' ') {
        memcpy(buf, text, n);
        buf[n] = '\0';
    }
}

/* What a reader checks in the passages of every seed: kinds and labels agree. */
static void test_seed_passages_consistent(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        LZS_CORPUS_DIR "/000_61b0df1d91b66db2.txt", LZS_CORPUS_DIR "/001_f04947f4a7c3318d.txt",
        LZS_CORPUS_DIR "/002_fa81a545c578487e.txt", SEED_FACTSHEET, SEED_NOTE};
    for (size_t f = 0; f < sizeof seeds / sizeof seeds[0]; f++) {
        lzs_document_t *doc = extract_path(seeds[f]);
        assert_true(doc->npassages > 10);
        for (size_t i = 0; i < doc->npassages; i++) {
            const lzs_passage_t *p = &doc->passages[i];
            assert_int_equal(p->ordinal, i + 1);
            assert_true(p->text[0] != '\0');
            char num[32];
            switch (p->kind) {
            case LZS_KIND_HEADING:
                /* a numbered heading is cited by its number */
                heading_number(p->text, num, sizeof num);
                if (num[0] && (p->label == NULL || strcmp(p->label, num) != 0))
                    fail_msg("%s: heading \"%s\" has label %s", seeds[f], p->text,
                             p->label ? p->label : "null");
                if (!num[0] && p->label)
                    fail_msg("%s: heading \"%s\" has label %s", seeds[f], p->text, p->label);
                /* title-page data are no headings */
                assert_null(strstr(p->text, "Venue:"));
                assert_int_not_equal(strncmp(p->text, "T-ES(", 5), 0);
                break;
            case LZS_KIND_RECOMMENDATION:
                assert_non_null(p->rec_id);
                assert_string_equal(p->label, p->rec_id);
                assert_int_not_equal(p->level, LZS_LEVEL_NONE);
                break;
            case LZS_KIND_FOOTNOTE:
                assert_non_null(p->label);
                assert_int_equal(strspn(p->label, "0123456789"), strlen(p->label));
                break;
            case LZS_KIND_PARAGRAPH:
                /* decision or numbered paragraphs carry their number, others nothing */
                if (p->label)
                    assert_int_equal(strspn(p->label, "0123456789"), strlen(p->label));
                assert_int_equal(p->level, LZS_LEVEL_NONE);
                break;
            default:
                assert_null(p->rec_id);
                break;
            }
            /* no passage is filed under a title-page line */
            for (size_t k = 0; k < p->section.n; k++) {
                assert_null(strstr(p->section.items[k], "Adopted by"));
                assert_null(strstr(p->section.items[k], "Venue"));
            }
        }
        lzs_document_free(doc);
    }
}

static void test_information_note_parties(void **state)
{
    (void)state;
    lzs_document_t *doc = extract_path(SEED_NOTE);
    assert_int_equal(doc->type, LZS_DOC_INFORMATION_NOTE);
    const lzs_passage_t *list = NULL;
    for (size_t i = 0; i < doc->npassages; i++) {
        if (strncmp(doc->passages[i].text, "The State Parties to the Lanzarote Convention", 45) ==
            0)
            list = &doc->passages[i];
    }
    assert_non_null(list);
    static const char *const named[] = {"AL", "AD", "AT", "AZ", "BE", "BA", "BG", "HR", "CY", "CZ",
                                        "DK", "EE", "FI", "FR", "GE", "DE", "GR", "HU", "IS", "IT",
                                        "LV", "LI", "LT", "LU", "MT", "MD", "MC", "ME", "NL", "MK",
                                        "NO", "PL", "PT", "RO", "RU", "SM", "RS", "SK", "SI", "ES",
                                        "SE", "CH", "TN", "TR", "UA", NULL};
    assert_set(&list->parties, named);
    /* "the Kingdom of Morocco" is a State, not a Party */
    for (size_t i = 0; i < doc->npassages; i++) {
        if (strstr(doc->passages[i].text, "Morocco"))
            assert_false(lzs_strlist_contains(&doc->passages[i].parties, "MA"));
    }
    lzs_document_free(doc);
}

/* The co-reference rule of lists of decisions on small lists. */
static lzs_document_t *decisions_of(const char *name, const char *body)
{
    char text[4096];
    assert_true((size_t)snprintf(text, sizeof text, "List of decisions\n\n1. Agenda item\n\n%s",
                                 body) < sizeof text);
    lzs_document_t *doc = extract_text(name, text);
    assert_int_equal(doc->type, LZS_DOC_DECISIONS);
    return doc;
}

static void test_decisions_coreference(void **state)
{
    (void)state;
    /* refers back: the noun of the demonstrative phrase is in the previous decision */
    lzs_document_t *doc =
        decisions_of("d.txt", "1. Examined the request of Norway and the proposal of Iceland.\n\n"
                              "2. Accepted this request after a discussion.\n\n"
                              "3. Noted that the above requests were granted.\n\n"
                              "4. Welcomed the report of Spain.\n\n"
                              "5. Noted that Parties should read reports.\n\n"
                              "6. Welcomed the statement of Malta.\n\n"
                              "7. Adopted a statement and published this statement.\n\n"
                              "8. Held a vote on the text of Greece.\n\n"
                              "9. Decided that the vote was closed.\n\n"
                              "10. Heard a proposal by Cyprus.\n\n"
                              "11. Thanked the speakers this year for their proposals.\n\n"
                              "2. Another item\n\n"
                              "12. Endorsed these proposals.\n");
    assert_set(&find_para(doc, "2")->parties, (const char *const[]){"IS", "NO", NULL});
    /* a chain: 3 refers to 2, which took the Parties of 1 */
    assert_set(&find_para(doc, "3")->parties, (const char *const[]){"IS", "NO", NULL});
    /* "that Parties": a conjunction before a plural noun, not a demonstrative */
    assert_int_equal(find_para(doc, "5")->parties.n, 0);
    /* "this statement" is the one named earlier in its own paragraph */
    assert_int_equal(find_para(doc, "7")->parties.n, 0);
    /* "that the vote": an article, not a noun, follows "that" */
    assert_int_equal(find_para(doc, "9")->parties.n, 0);
    /* "this year" points at the time of writing */
    assert_int_equal(find_para(doc, "11")->parties.n, 0);
    /* another agenda item: "these proposals" are not those of 10 */
    assert_int_equal(find_para(doc, "12")->parties.n, 0);
    lzs_document_free(doc);

    /* French: "ces deux options", "cette proposition" */
    doc = decisions_of("d_fr.txt",
                       "1. A décidé de voter sur l'option A (le texte amendé par la Fédération "
                       "de Russie) et l'option B.\n\n"
                       "2. A tenu un vote sur ces deux options.\n\n"
                       "3. A examiné une proposition de la Norvège.\n\n"
                       "4. A noté que la Suède soutient cette proposition.\n\n"
                       "5. A noté que ce jour est férié.\n");
    assert_string_equal(doc->lang, "fr");
    assert_set(&find_para(doc, "2")->parties, (const char *const[]){"RU", NULL});
    assert_set(&find_para(doc, "4")->parties, (const char *const[]){"NO", "SE", NULL});
    /* "ce jour": the day of the meeting */
    assert_int_equal(find_para(doc, "5")->parties.n, 0);
    lzs_document_free(doc);

    /* only lists of decisions: the same words in a report change nothing */
    doc = extract_text("r.txt", "Report\n\n1. Norway made a request.\n\n2. The Committee "
                                "accepted this request.\n");
    assert_int_not_equal(doc->type, LZS_DOC_DECISIONS);
    assert_int_equal(find_para(doc, "2")->parties.n, 0);
    lzs_document_free(doc);
}

/* ---- French ------------------------------------------------------------------------------- */

static void test_french_factsheet(void **state)
{
    (void)state;
    lzs_document_t *doc = extract_path(LZS_TEST_DATA "/extract/fiche_fr.md");
    assert_string_equal(doc->lang, "fr");
    assert_int_equal(doc->type, LZS_DOC_FACTSHEET);
    const lzs_passage_t *v17 = find_rec(doc, "V-17");
    assert_non_null(v17);
    assert_int_equal(v17->level, LZS_LEVEL_REQUIRE);
    assert_set(&v17->addressees, (const char *const[]){"NO", "AD", "TR", NULL});
    assert_true(lzs_strlist_contains(&v17->articles, "38(2)"));
    const lzs_passage_t *v19 = find_rec(doc, "V-19");
    assert_non_null(v19);
    assert_int_equal(v19->level, LZS_LEVEL_INVITE);
    assert_set(&v19->addressees, (const char *const[]){"all", NULL});
    lzs_document_free(doc);
}

static void test_dates_and_types(void **state)
{
    (void)state;
    static const struct {
        const char *text, *date;
        lzs_doctype_t type;
    } cases[] = {
        {"FICHE THÉMATIQUE\n\n7 FÉVRIER 2019\n\nTexte de la fiche.\n", "2019-02-07",
         LZS_DOC_FACTSHEET},
        {"Note d'information\n\n1er aout 2020\n\nTexte.\n", "2020-08-01", LZS_DOC_INFORMATION_NOTE},
        {"Rapport de mise en œuvre\n\nDécembre 2015\n\nTexte.\n", "2015-12",
         LZS_DOC_IMPLEMENTATION_REPORT},
        {"Interpretative Opinion on the applicability\n\nMay 12, 2017\n\nText.\n", "2017-05-12",
         LZS_DOC_OPINION},
        {"Declaration of the Committee\n\n2019-10-18\n\nText.\n", "2019-10-18",
         LZS_DOC_DECLARATION},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        lzs_document_t *doc = extract_text("t.txt", cases[c].text);
        if (doc->date == NULL || strcmp(doc->date, cases[c].date) != 0)
            fail_msg("\"%s\": date %s", cases[c].text, doc->date ? doc->date : "(none)");
        assert_int_equal(doc->type, cases[c].type);
        lzs_document_free(doc);
    }
}

/* Reference lines as the Committee prints them: code, language suffix and revision in
 * several forms; the id keeps the suffix of every language but English. */
static void test_reference_lines(void **state)
{
    (void)state;
    static const struct {
        const char *text, *id, *ref, *revision, *lang;
    } cases[] = {
        {"T-ES(2019)07_en final\n\nOpinion on Article 23\n\nThe Committee met.\n",
         "T-ES(2019)07", "T-ES(2019)07_en", "final", "en"},
        {"T-ES(2018)11_en FINAL\n\nText.\n", "T-ES(2018)11", "T-ES(2018)11_en", "final", "en"},
        {"T-ES(2020)14_en rev\n\nText.\n", "T-ES(2020)14", "T-ES(2020)14_en", "rev", "en"},
        {"T-ES(2017)09_fr rév.\n\nLe Comité a examiné le texte de la Convention.\n",
         "T-ES(2017)09_fr", "T-ES(2017)09_fr", "rev", "fr"},
        {"T-ES(2019)22_en rev2 (subject to editing)\n\nText.\n", "T-ES(2019)22",
         "T-ES(2019)22_en", "rev2", "en"},
        {"T-ES-BU(2019)05\n\nThe Bureau met and the Bureau agreed.\n", "T-ES-BU(2019)05",
         "T-ES-BU(2019)05", NULL, "en"},
        {"T-ES-WG(2016)02 Rev.2\n\nText.\n", "T-ES-WG(2016)02", "T-ES-WG(2016)02", "rev2",
         "en"},
        {"T-ES(2020)23 rev.\n\nText.\n", "T-ES(2020)23", "T-ES(2020)23", "rev", "en"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lzs_document_t *doc = extract_text("ref.txt", cases[i].text);
        assert_string_equal(doc->id, cases[i].id);
        assert_string_equal(doc->ref, cases[i].ref);
        if (cases[i].revision)
            assert_string_equal(doc->revision, cases[i].revision);
        else
            assert_null(doc->revision);
        assert_string_equal(doc->lang, cases[i].lang);
        /* the reference line is no passage */
        for (size_t k = 0; k < doc->npassages; k++)
            assert_null(strstr(doc->passages[k].text, "T-ES"));
        lzs_document_free(doc);
    }
}

/* Cover dates: a place and a date, a meeting's span, French forms, brackets. */
static void test_date_lines(void **state)
{
    (void)state;
    static const struct {
        const char *text, *date, *date_end, *adopted;
    } cases[] = {
        {"Opinion\n\nStrasbourg, 6 June 2019\n\nText.\n", "2019-06-06", NULL, NULL},
        {"Agenda\n\nNicosia, 15-18 October 2019\n\nText.\n", "2019-10-15", "2019-10-18", NULL},
        {"Ordre du jour\n\n15-17 mars 2016\n\nTexte.\n", "2016-03-15", "2016-03-17", NULL},
        {"Avis\n\n1er avril 2021\n\nTexte.\n", "2021-04-01", NULL, NULL},
        {"Avis\n\nStrasbourg, le 10 février 2016\n\nTexte.\n", "2016-02-10", NULL, NULL},
        {"Avis\n\n[17 mars 2016]\n\nTexte.\n", "2016-03-17", NULL, NULL},
        {"Avis\n\n10 fevrier 2016\n\nTexte.\n", "2016-02-10", NULL, NULL},
        {"Agenda\n\n30 September - 2 October 2019\n\nText.\n", "2019-09-30", "2019-10-02", NULL},
        {"Opinion\n\nAdopted by the Lanzarote Committee on 31 January 2018\n\nText.\n",
         "2018-01-31", NULL, "2018-01-31"},
        {"Avis\n\n6 juin 2019\n\nAdopté par le Comité de Lanzarote le 1er avril 2021\n\nTexte.\n",
         "2019-06-06", NULL, "2021-04-01"},
        {"Opinion\n\nNo date is printed here.\n", NULL, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lzs_document_t *doc = extract_text("d.txt", cases[i].text);
        if (cases[i].date)
            assert_string_equal(doc->date, cases[i].date);
        else
            assert_null(doc->date);
        if (cases[i].date_end)
            assert_string_equal(doc->date_end, cases[i].date_end);
        else
            assert_null(doc->date_end);
        if (cases[i].adopted)
            assert_string_equal(doc->adopted, cases[i].adopted);
        else
            assert_null(doc->adopted);
        lzs_document_free(doc);
    }
}

/* Types named after ordinals and qualifiers; drafts keep their type. */
static void test_title_types(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        lzs_doctype_t type;
        int draft;
        const char *title;
    } cases[] = {
        {"2nd implementation report\n\nText.\n", LZS_DOC_IMPLEMENTATION_REPORT, 0,
         "2nd implementation report"},
        {"Draft special report\n\nText.\n", LZS_DOC_IMPLEMENTATION_REPORT, 1,
         "Draft special report"},
        {"2ème rapport d'activités\n\nTexte.\n", LZS_DOC_ACTIVITY_REPORT, 0,
         "2ème rapport d'activités"},
        {"Annotated agenda\n\n25th meeting\n\nText.\n", LZS_DOC_AGENDA, 0,
         "Annotated agenda, 25th meeting"},
        {"Ordre du jour\n\nTexte.\n", LZS_DOC_AGENDA, 0, "Ordre du jour"},
        {"Meeting report\n\nText.\n", LZS_DOC_MEETING_REPORT, 0, "Meeting report"},
        {"Report of the 25th meeting\n\nText.\n", LZS_DOC_MEETING_REPORT, 0,
         "Report of the 25th meeting"},
        {"Rapport de réunion\n\nTexte.\n", LZS_DOC_MEETING_REPORT, 0, "Rapport de réunion"},
        {"Report of the working group on trends\n\nText.\n", LZS_DOC_WORKING_GROUP_REPORT, 0,
         "Report of the working group on trends"},
        {"Thematic questionnaire\n\nText.\n", LZS_DOC_QUESTIONNAIRE, 0, "Thematic questionnaire"},
        {"Compliance report\n\nText.\n", LZS_DOC_COMPLIANCE_REPORT, 0, "Compliance report"},
        {"Projet de rapport de mise en œuvre\n\nTexte.\n", LZS_DOC_IMPLEMENTATION_REPORT, 1,
         "Projet de rapport de mise en œuvre"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lzs_document_t *doc = extract_text("t.txt", cases[i].text);
        assert_int_equal(doc->type, cases[i].type);
        assert_int_equal(doc->draft, cases[i].draft);
        assert_string_equal(doc->title, cases[i].title);
        lzs_document_free(doc);
    }
}

/* An id no route could open is refused with a message naming the file. */
static void test_unopenable_ids(void **state)
{
    (void)state;
    static const char *const refs[] = {"a/b", "", "...", " . "};
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        char sc[128];
        snprintf(sc, sizeof sc, "{\"reference\": \"%s\"}", refs[i]);
        lzs_document_t *doc = (lzs_document_t *)1;
        char *err = NULL;
        lzs_status_t st = lzs_extract_buffer(ex, "x.txt", "Text.\n", 6, sc, &doc, &err);
        assert_int_equal(st, LZS_ERR_INVALID);
        assert_null(doc);
        assert_non_null(err);
        assert_non_null(strstr(err, "x.txt"));
        assert_non_null(strstr(err, "cannot be a document id"));
        free(err);
    }
}

/* Texts converted from pages: the passages of a document, in order, as "kind|label|text"
 * lines; compared with the expected ones. */
static void assert_passages(const lzs_document_t *doc, const char *const *want, size_t n)
{
    for (size_t i = 0; i < doc->npassages && i < n; i++) {
        const lzs_passage_t *p = &doc->passages[i];
        char got[1024];
        snprintf(got, sizeof got, "%s|%s|%s", lzs_kind_name(p->kind), p->label ? p->label : "",
                 p->text);
        if (strcmp(got, want[i]) != 0)
            fprintf(stderr, "passage %zu:\n  got  %s\n  want %s\n", i + 1, got, want[i]);
        assert_string_equal(got, want[i]);
    }
    if (doc->npassages != n) {
        for (size_t i = n; i < doc->npassages; i++)
            fprintf(stderr, "extra passage %zu: %s\n", i + 1, doc->passages[i].text);
    }
    assert_int_equal(doc->npassages, n);
}

/* Running headers, page numbers of several shapes and form feeds are no passages, and a
 * paragraph that a page break splits is one passage. */
static void test_text_page_furniture(void **state)
{
    (void)state;
    const char *text = "T-ES(2019)07_en final\n\nOpinion on the protection of children\n\n"
                       "1. The Committee examined the replies of the Parties and noted that\n"
                       "most of them\n\n- 1 -\n\f"
                       "T-ES(2019)07_en final\n\n"
                       "have adopted the measures described in the report.\n\n"
                       "2. The Committee welcomed the progress made.\n\n- 2 -\n\f"
                       "T-ES(2019)07_en final\n\n3. It decided to continue its work.\n\n- 3 -\n";
    lzs_document_t *doc = extract_text("furniture.txt", text);
    static const char *const want[] = {
        "heading||Opinion on the protection of children",
        "paragraph|1|The Committee examined the replies of the Parties and noted that most of "
        "them have adopted the measures described in the report.",
        "paragraph|2|The Committee welcomed the progress made.",
        "paragraph|3|It decided to continue its work.",
    };
    assert_passages(doc, want, sizeof want / sizeof want[0]);
    assert_string_equal(doc->id, "T-ES(2019)07");
    assert_int_equal(doc->passages[1].page, 1);
    assert_int_equal(doc->passages[3].page, 3);
    lzs_document_free(doc);

    /* no form feeds: "Page N of M" footers and a running header between them */
    const char *text2 = "Activity report\n\nThe Committee met four times this year.\n\n"
                        "Page 1 of 3\n\nLanzarote Committee - Activity report 2019\n\n"
                        "It adopted two opinions.\n\nPage 2 of 3\n\n"
                        "Lanzarote Committee - Activity report 2019\n\n"
                        "It held a conference.\n\nPage 3 of 3\n";
    doc = extract_text("pages.txt", text2);
    static const char *const want2[] = {
        "heading||Activity report",
        "paragraph||The Committee met four times this year.",
        "paragraph||It adopted two opinions.",
        "paragraph||It held a conference.",
    };
    assert_passages(doc, want2, sizeof want2 / sizeof want2[0]);
    assert_int_equal(doc->passages[1].page, 0);
    lzs_document_free(doc);

    /* bare page numbers count up through the text; "4/12" says what it is */
    const char *text3 = "Information note\n\nFirst part of the note.\n\n2\n\nSecond part.\n\n3\n\n"
                        "Third part.\n\n4/12\n";
    doc = extract_text("bare.txt", text3);
    static const char *const want3[] = {
        "heading||Information note",
        "paragraph||First part of the note.",
        "paragraph||Second part.",
        "paragraph||Third part.",
    };
    assert_passages(doc, want3, sizeof want3 / sizeof want3[0]);
    lzs_document_free(doc);
}

/* Contents lists titled by a plain line, with and without dot leaders and page numbers. */
static void test_text_contents_lists(void **state)
{
    (void)state;
    const char *text = "Implementation report\n\nTable of contents\n\n"
                       "I. Introduction 3\nII. Findings ........ 5\nIII. Conclusions 9\n\n"
                       "I. Introduction\n\nThe report covers the Parties.\n\n"
                       "II. Findings\n\nSome findings.\n";
    lzs_document_t *doc = extract_text("toc.txt", text);
    static const char *const want[] = {
        "heading||Implementation report",
        "heading|I|I. Introduction",
        "paragraph||The report covers the Parties.",
        "heading|II|II. Findings",
        "paragraph||Some findings.",
    };
    assert_passages(doc, want, sizeof want / sizeof want[0]);
    lzs_document_free(doc);

    const char *text2 = "Rapport d'activité\n\nSommaire\n\nIntroduction\nTravaux du Comité\n"
                        "Conclusions\n\nIntroduction\n\nLe Comité s'est réuni trois fois.\n";
    doc = extract_text("sommaire.txt", text2);
    static const char *const want2[] = {
        "heading||Rapport d'activité",
        "heading||Introduction",
        "paragraph||Le Comité s'est réuni trois fois.",
    };
    assert_passages(doc, want2, sizeof want2 / sizeof want2[0]);
    lzs_document_free(doc);
}

/* Hard-wrapped paragraphs stay one paragraph whatever their next line starts with; a
 * paragraph number alone on its line numbers the next text. */
static void test_text_wrapped_lines(void **state)
{
    (void)state;
    const char *text =
        "Liste des décisions\n\n"
        "1.\n"
        "A pris note de la communication présentée par la Secrétaire\n"
        "Générale du Conseil de l'Europe concernant les travaux du\n"
        "2e cycle de suivi) et de la contribution présentée par les\n"
        "(Parties) lors de la réunion précédente du Comité.\n\n"
        "2. A décidé de poursuivre ses travaux lors de sa prochaine réunion\n"
        "plénière et a chargé son Bureau de préparer les documents qui seront\n"
        "examinés à cette occasion par les membres du Comité.\n\n"
        "Le Comité a également examiné les réponses au questionnaire thématique en\n"
        "vue de préparer le rapport de mise en œuvre qui sera adopté au cours de\n"
        "l'année prochaine par les Parties.\n";
    lzs_document_t *doc = extract_text("wrapped_fr.txt", text);
    static const char *const want[] = {
        "heading||Liste des décisions",
        "paragraph|1|A pris note de la communication présentée par la Secrétaire Générale du "
        "Conseil de "
        "l'Europe concernant les travaux du 2e cycle de suivi) et de la contribution présentée "
        "par les (Parties) lors de la réunion précédente du Comité.",
        "paragraph|2|A décidé de poursuivre ses travaux lors de sa prochaine réunion plénière et "
        "a chargé son Bureau de préparer les documents qui seront examinés à cette occasion par "
        "les membres du Comité.",
        "paragraph||Le Comité a également examiné les réponses au questionnaire thématique en vue "
        "de préparer le rapport de mise en œuvre qui sera adopté au cours de l'année prochaine "
        "par les Parties.",
    };
    assert_passages(doc, want, sizeof want / sizeof want[0]);
    lzs_document_free(doc);
}

/* In a .txt file only the markup the Committee's texts use is markup; markers glued to a
 * word are footnote references; word-processor bullets are list items. */
static void test_text_markup_and_markers(void **state)
{
    (void)state;
    const char *text = "Note\n\nThe Convention a<b and c>d applies under the <Convention> rules.\n\n"
                       "Parties shall criminalise the conduct described in articles1 and "
                       "recall the Parties\u00b2 duties.\n\n"
                       "\uF0B7 first item\n\u25AA second item\no third item\n\n"
                       "1 Recommendation V-17.\n";
    lzs_document_t *doc = extract_text("markup.txt", text);
    static const char *const want[] = {
        "heading||Note",
        "paragraph||The Convention a<b and c>d applies under the <Convention> rules.",
        "paragraph||Parties shall criminalise the conduct described in articles and recall the "
        "Parties duties.",
        "list-item||first item",
        "list-item||second item",
        "list-item||third item",
        "footnote|1|Recommendation V-17.",
    };
    assert_passages(doc, want, sizeof want / sizeof want[0]);
    /* "articles1" is a footnote reference, never Article 1 */
    assert_int_equal(doc->passages[2].articles.n, 0);
    lzs_document_free(doc);
}

/* A paragraph of 60 KB becomes passages of at most LZS_PASSAGE_MAX bytes that keep its
 * label, cut between sentences, and lose no word. */
static void test_long_paragraph_split(void **state)
{
    (void)state;
    size_t cap = 70000;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n = (size_t)snprintf(text, cap, "List of decisions\n\n7. ");
    size_t words = 0;
    while (n < 60000) {
        n += (size_t)snprintf(text + n, cap - n, "The Committee noted item %zu of the list. ",
                              words);
        words++;
    }
    n += (size_t)snprintf(text + n, cap - n, "\n");
    lzs_document_t *doc = extract_text("long.txt", text);
    size_t pieces = 0, total = 0;
    for (size_t i = 0; i < doc->npassages; i++) {
        const lzs_passage_t *p = &doc->passages[i];
        if (p->kind == LZS_KIND_HEADING)
            continue;
        pieces++;
        assert_true(strlen(p->text) <= LZS_PASSAGE_MAX);
        assert_string_equal(p->label, "7");
        assert_int_equal(p->kind, LZS_KIND_PARAGRAPH);
        /* each piece starts a sentence and ends one */
        assert_int_equal(strncmp(p->text, "The Committee noted", 19), 0);
        assert_int_equal(p->text[strlen(p->text) - 1], '.');
        for (const char *w = p->text; (w = strstr(w, "noted item ")) != NULL; w++)
            total++;
    }
    assert_true(pieces >= 60000 / LZS_PASSAGE_MAX);
    assert_int_equal(total, words);
    lzs_document_free(doc);
    free(text);
}

static void test_language_detection(void **state)
{
    (void)state;
    lzs_document_t *doc = extract_text("note.txt", "Le Comité de Lanzarote a adopté une "
                                                   "déclaration sur la protection des enfants "
                                                   "dans les institutions et il est invité à la "
                                                   "suivre.\n");
    assert_string_equal(doc->lang, "fr");
    lzs_document_free(doc);
    doc = extract_text("note_fr.txt", "The Committee met.\n");
    assert_string_equal(doc->lang, "fr"); /* the suffix wins over the text */
    lzs_document_free(doc);
    doc = extract_text("note.txt", "The Committee adopted the report of the meeting and "
                                   "thanked the Parties for their replies.\n");
    assert_string_equal(doc->lang, "en");
    assert_string_equal(doc->id, "note");
    lzs_document_free(doc);
}

/* ---- articles and parties ----------------------------------------------------------------- */

static void test_article_forms(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *want[6];
        const char *not_want;
    } cases[] = {
        {"See Article 38(1) for this.", {"38(1)", "38"}, NULL},
        {"As required by Article 38, paragraph 4 of the Convention.", {"38(4)", "38"}, NULL},
        {"Articles 20 and 21 criminalise it.", {"20", "21"}, NULL},
        {"Grooming (art. 23).", {"23"}, NULL},
        {"Grooming (art.23).", {"23"}, NULL},
        {"An opinion on article 20 read with article 18§3 was adopted.",
         {"20", "18(3)", "18"},
         NULL},
        {"Article 20(1)(f) concerns access.", {"20(1)(f)", "20"}, NULL},
        {"Selon l'article 38, paragraphe 2 de la Convention de Lanzarote.", {"38(2)", "38"}, NULL},
        {"Article 38, par.1 of the Convention.", {"38(1)"}, NULL},
        {"the right not to apply Article 20(1),f of the Convention.", {"20(1)(f)"}, NULL},
        {"Articles 30 to 32 apply.", {"30", "31", "32"}, NULL},
        {"Article 8 of the ECHR and Article 34 of the UNCRC apply.", {NULL}, "8"},
        {"Article 2 of Directive 2011/93/EU applies.", {NULL}, "2"},
        {"Article 99 does not exist in the Convention.", {NULL}, "99"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        lzs_document_t *doc = extract_text("a.txt", cases[c].text);
        assert_int_equal(doc->npassages, 1);
        const lzs_strlist_t *a = &doc->passages[0].articles;
        for (size_t k = 0; cases[c].want[k]; k++) {
            if (!lzs_strlist_contains(a, cases[c].want[k]))
                fail_msg("\"%s\": missing %s", cases[c].text, cases[c].want[k]);
        }
        if (cases[c].want[0] == NULL && a->n != 0)
            fail_msg("\"%s\": cited %s", cases[c].text, a->items[0]);
        if (cases[c].not_want)
            assert_false(lzs_strlist_contains(a, cases[c].not_want));
        lzs_document_free(doc);
    }
}

static void test_party_names(void **state)
{
    (void)state;
    static const struct {
        const char *name, *code;
    } cases[] = {
        {"Turkey", "TR"},
        {"Türkiye", "TR"},
        {"TURKIYE", "TR"},
        {"Luxemburg", "LU"},
        {"Luxembourg", "LU"},
        {"the former Yugoslav Republic of Macedonia", "MK"},
        {"North Macedonia", "MK"},
        {"la Norvège", "NO"},
        {"Norvege", "NO"},
        {"l'Andorre", "AD"},
        {"de la Norvège", "NO"},
        {"du Portugal", "PT"},
        {"Norway's", "NO"},
        {"Bosnia and Herzegovina", "BA"},
        {"Republic of Moldova", "MD"},
        {"Moldova", "MD"},
        {"Russia", "RU"},
        {"Czechia", "CZ"},
        {"Slovakia", "SK"},
        {"no", "NO"},
        {"UK", "GB"},
        {"Royaume-Uni de Grande-Bretagne et d'Irlande du Nord", "GB"},
        {"TÜRKİYE", "TR"},
        {"la Turquie", "TR"},
        {"Moldavie", "MD"},
        {"République de Moldova", "MD"},
        {"l'ex-République yougoslave de Macédoine", "MK"},
        {"Norwegian", NULL},
        {"Morocco", NULL},
        {"Kingdom of Morocco", NULL},
        {"Jersey", NULL},
        {"Chad", NULL},
        {"Bosnia", NULL},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const char *got = lzs_extract_party_code(ex, cases[c].name);
        if (cases[c].code == NULL && got != NULL)
            fail_msg("%s: got %s", cases[c].name, got);
        if (cases[c].code != NULL && (got == NULL || strcmp(got, cases[c].code) != 0))
            fail_msg("%s: got %s, want %s", cases[c].name, got ? got : "NULL", cases[c].code);
    }
    assert_int_equal(lzs_extract_party_count(ex), 48);
    assert_string_equal(lzs_extract_party_name(ex, "NO"), "Norway");
    assert_null(lzs_extract_party_name(ex, "MA"));

    /* names only, for the words of a query: an ISO code is no name ("no", "de", "it") */
    static const struct {
        const char *text, *code;
    } names[] = {
        {"Turquie", "TR"},
        {"la Türkiye", "TR"},
        {"UK", "GB"},
        {"Royaume-Uni", "GB"},
        {"the former Yugoslav Republic of Macedonia", "MK"},
        {"Macédoine du Nord", "MK"},
        {"ıtaly", "IT"},
        {"no", NULL},
        {"de", NULL},
        {"it", NULL},
        {"Morocco", NULL},
        {"Turquie Norvège", NULL},
    };
    for (size_t c = 0; c < sizeof names / sizeof names[0]; c++) {
        const char *got = lzs_extract_party_by_name(ex, names[c].text, strlen(names[c].text));
        if ((names[c].code == NULL) != (got == NULL) ||
            (got != NULL && strcmp(got, names[c].code) != 0))
            fail_msg("by name %s: got %s, want %s", names[c].text, got ? got : "NULL",
                     names[c].code ? names[c].code : "NULL");
    }
    /* every name of a Party, the English one first */
    const char *tr[16];
    size_t ntr = lzs_extract_party_names(ex, "TR", tr, 16);
    assert_true(ntr >= 4 && ntr <= 16);
    assert_string_equal(tr[0], "Türkiye");
    int turquie = 0, turkey = 0;
    for (size_t i = 0; i < ntr; i++) {
        turquie |= strcmp(tr[i], "Turquie") == 0;
        turkey |= strcmp(tr[i], "Turkey") == 0;
    }
    assert_true(turquie && turkey);
    assert_int_equal(lzs_extract_party_names(ex, "MA", tr, 16), 0);

    /* in running text: word boundaries, possessives, adjectives, longest names */
    lzs_document_t *doc = extract_text(
        "p.txt", "Norway's courts and Norwegian experts met the Bosnia and Herzegovina "
                 "delegation, Georgia, Türkiye, Morocco and the New Jersey police.\n");
    assert_set(&doc->passages[0].parties, (const char *const[]){"NO", "BA", "GE", "TR", NULL});
    lzs_document_free(doc);
}

static void test_inline_recommendation(void **state)
{
    (void)state;
    lzs_document_t *doc = extract_text(
        "r.txt", "The Committee requests Norway to criminalise the solicitation of children "
                 "(R I-6).\n\nThe Committee considers that much was done.\n\nThe Committee "
                 "urges all Parties to act (R15).\n");
    assert_int_equal(doc->npassages, 3);
    const lzs_passage_t *r = find_rec(doc, "R I-6");
    assert_non_null(r);
    assert_int_equal(r->level, LZS_LEVEL_REQUEST);
    assert_set(&r->addressees, (const char *const[]){"NO", NULL});
    /* a verb of a level is not enough to make a recommendation */
    assert_int_equal(doc->passages[1].kind, LZS_KIND_PARAGRAPH);
    assert_int_equal(doc->passages[1].level, LZS_LEVEL_NONE);
    const lzs_passage_t *u = find_rec(doc, "R15");
    assert_non_null(u);
    assert_int_equal(u->level, LZS_LEVEL_URGE);
    assert_set(&u->addressees, (const char *const[]){"all", NULL});
    lzs_document_free(doc);
}

/* The bilingual thesaurus: every article of the Convention by its official English and
 * French title, and the Committee's vocabulary, at least 60 concepts in all. */
static void test_thesaurus(void **state)
{
    (void)state;
    size_t n = lzs_extract_concepts(ex);
    assert_true(n >= 60);
    int articles[51] = {0};
    for (size_t c = 0; c < n; c++) {
        const char *name = lzs_extract_concept_name(ex, c);
        int en = 0, fr = 0;
        for (size_t i = 0; i < lzs_extract_concept_size(ex, c); i++) {
            const char *lang = NULL;
            assert_non_null(lzs_extract_concept_term(ex, c, i, &lang));
            en |= strcmp(lang, "en") == 0;
            fr |= strcmp(lang, "fr") == 0;
        }
        if (!en || !fr)
            fail_msg("concept %s lacks a language", name);
        int a = 0;
        if (sscanf(name, "art%d", &a) == 1 && a >= 1 && a <= 50)
            articles[a] = 1;
    }
    for (int a = 1; a <= 50; a++)
        if (!articles[a])
            fail_msg("article %d has no concept", a);
    /* Article 23 in its two languages */
    int solicitation = 0, sollicitation = 0;
    for (size_t c = 0; c < n; c++) {
        if (strcmp(lzs_extract_concept_name(ex, c), "art23") != 0)
            continue;
        for (size_t i = 0; i < lzs_extract_concept_size(ex, c); i++) {
            const char *t = lzs_extract_concept_term(ex, c, i, NULL);
            solicitation |= strcasecmp(t, "Solicitation of children for sexual purposes") == 0;
            sollicitation |= strcmp(t, "sollicitation d'enfants à des fins sexuelles") == 0;
        }
    }
    assert_true(solicitation && sollicitation);
    assert_null(lzs_extract_concept_term(ex, n, 0, NULL));
    assert_non_null(lzs_extract_round_label(ex, "2nd-round"));
    assert_null(lzs_extract_round_label(ex, "9th-round"));
}

/* A recommendation is one recommendation whatever the document that states it: its key
 * names the round and the normalised identifier; a round that cannot be told leaves the
 * key of the document's own versions. */
static void test_recommendation_keys(void **state)
{
    (void)state;
    char *err = NULL;
    lzs_document_t *doc = extract_text(
        "country.txt", "COUNTRY FACTSHEET – NORWAY\n\nFindings of the 2nd monitoring round "
                       "concerning Norway.\n\nThe Lanzarote Committee requires Norway to act "
                       "(R V-17).\n\nThe Lanzarote Committee urges Norway to act (R15).\n");
    assert_string_equal(doc->round, "2nd-round");
    assert_string_equal(find_rec(doc, "R V-17")->rec_key, "2nd-round:V-17");
    /* another round's shape of identifier: not known to be one of this round's */
    assert_string_equal(find_rec(doc, "R15")->rec_key, "country:R15");
    lzs_document_free(doc);
    /* the French name of the round; a footnote identifier */
    doc = extract_text("fiche_fr.md",
                       "# Fiche\n\nLe deuxième cycle de suivi.\n\nLe Comité **exige** :\n\n"
                       "▪ de la Norvège qu'elle agisse.<sup>1</sup>\n\n---\n\n<sup>1</sup> "
                       "Recommandation V-17.\n");
    assert_string_equal(find_rec(doc, "V-17")->rec_key, "2nd-round:V-17");
    assert_string_equal(doc->version_key, "fiche_fr");
    lzs_document_free(doc);
    /* two rounds named as often: neither; the key of the document's code */
    doc = extract_text("T-ES(2020)11_fr.txt",
                       "T-ES(2020)11_fr\n\nLe premier cycle de suivi et le deuxième cycle de "
                       "suivi.\n\nLe Comité exige de la Norvège qu'elle agisse (R V-17).\n");
    assert_null(doc->round);
    assert_string_equal(doc->version_key, "T-ES(2020)11");
    assert_string_equal(find_rec(doc, "R V-17")->rec_key, "T-ES(2020)11:V-17");
    lzs_document_free(doc);
    /* the sidecar names the round and the document this one is a version of */
    const char text[] = "Le Comité exige de la Norvège qu'elle agisse (R V-17).\n";
    const char sc[] = "{\"round\": \"2nd-round\", \"version_of\": \"T-ES(2019)07_en\", "
                      "\"language\": \"fr\"}";
    assert_int_equal(lzs_extract_buffer(ex, "v.txt", text, sizeof text - 1, sc, &doc, &err),
                     LZS_OK);
    assert_string_equal(doc->round, "2nd-round");
    assert_string_equal(doc->version_of, "T-ES(2019)07_en");
    assert_string_equal(doc->version_key, "T-ES(2019)07");
    assert_string_equal(find_rec(doc, "R V-17")->rec_key, "2nd-round:V-17");
    lzs_document_free(doc);
    /* the sidecar's new keys are checked, naming the file and the key */
    static const struct {
        const char *sidecar, *says;
    } bad[] = {
        {"{\"round\": \"9th-round\"}", "unknown round \"9th-round\""},
        {"{\"round\": 2}", "\"round\" must be a string"},
        {"{\"version_of\": \"a/b\"}", "\"version_of\": \"a/b\" cannot be a document id"},
        {"{\"version_of\": \"v\"}", "is this document's own id"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        doc = NULL;
        lzs_status_t st =
            lzs_extract_buffer(ex, "v.txt", text, sizeof text - 1, bad[k].sidecar, &doc, &err);
        assert_true(st != LZS_OK);
        assert_null(doc);
        if (err == NULL || strstr(err, bad[k].says) == NULL || strstr(err, "v.") == NULL)
            fail_msg("%s: message \"%s\" should say %s", bad[k].sidecar, err ? err : "",
                     bad[k].says);
        free(err);
        err = NULL;
    }
}

static void test_markdown_to_plain(void **state)
{
    (void)state;
    lzs_document_t *doc =
        extract_text("m.md", "# Title\n\nThe **bold** and *italic* [link text](#) &amp; "
                             "<https://example.org/x> end<sup>7</sup>.\n\n<sup>7</sup> A note.\n");
    assert_int_equal(doc->npassages, 3);
    assert_int_equal(doc->passages[0].kind, LZS_KIND_HEADING);
    assert_string_equal(doc->passages[1].text,
                        "The bold and italic link text & https://example.org/x end.");
    assert_string_equal(doc->passages[1].section.items[0], "Title");
    assert_int_equal(doc->passages[2].kind, LZS_KIND_FOOTNOTE);
    assert_string_equal(doc->passages[2].label, "7");
    assert_string_equal(doc->passages[2].text, "A note.");
    lzs_document_free(doc);
}

static void test_markdown_comments(void **state)
{
    (void)state;
    lzs_document_t *doc = extract_text("c.md", "<!-- front matter note -->\n# Title\n\n"
                                               "<!-- a comment\nover two lines\n\nand a "
                                               "blank one -->\n\n"
                                               "Text one<!-- inline, Norway --> goes on\n"
                                               "and on. <!-- x -->\n"
                                               "<!-- a comment line between two lines -->\n"
                                               "Second paragraph.\n\n"
                                               "Third.\n\n<!-- never closed\n\nHidden text.\n");
    assert_int_equal(doc->npassages, 4);
    assert_int_equal(doc->passages[0].kind, LZS_KIND_HEADING);
    assert_string_equal(doc->passages[0].text, "Title");
    assert_string_equal(doc->passages[1].text, "Text one goes on and on.");
    assert_int_equal(doc->passages[1].parties.n, 0);
    assert_string_equal(doc->passages[2].text, "Second paragraph.");
    assert_string_equal(doc->passages[3].text, "Third.");
    for (size_t i = 0; i < doc->npassages; i++)
        assert_null(strstr(doc->passages[i].text, "<!--"));
    lzs_document_free(doc);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void test_json_round_trip(void **state)
{
    (void)state;
    lzs_document_t *doc = extract_path(SEED_FACTSHEET);
    json_t *j = lzs_document_to_json(doc);
    assert_non_null(j);
    char *text = json_dumps(j, JSON_INDENT(2));
    json_decref(j);
    json_error_t jerr;
    json_t *back = json_loads(text, 0, &jerr);
    free(text);
    assert_non_null(back);
    assert_string_equal(json_string_value(json_object_get(back, "id")), doc->id);
    assert_string_equal(json_string_value(json_object_get(back, "type")), "factsheet");
    assert_string_equal(json_string_value(json_object_get(back, "date")), "2023-10");
    assert_int_equal(json_integer_value(json_object_get(back, "year")), 2023);
    assert_string_equal(json_string_value(json_object_get(back, "lang")), "en");
    assert_true(json_is_null(json_object_get(back, "ref")));
    json_t *ps = json_object_get(back, "passages");
    assert_int_equal(json_array_size(ps), doc->npassages);
    const lzs_passage_t *v17 = find_rec(doc, "V-17");
    json_t *p = json_array_get(ps, v17->ordinal - 1);
    assert_int_equal(json_integer_value(json_object_get(p, "no")), v17->ordinal);
    assert_string_equal(json_string_value(json_object_get(p, "rec_id")), "V-17");
    assert_string_equal(json_string_value(json_object_get(p, "level")), "require");
    assert_string_equal(json_string_value(json_object_get(p, "kind")), "recommendation");
    assert_string_equal(json_string_value(json_object_get(p, "text")), v17->text);
    assert_int_equal(json_array_size(json_object_get(p, "addressees")), 11);
    assert_true(json_is_array(json_object_get(p, "section")));
    json_t *first = json_array_get(ps, 0);
    assert_true(json_is_null(json_object_get(first, "rec_id")));
    assert_true(json_is_null(json_object_get(first, "level")));
    json_decref(back);
    lzs_document_free(doc);
}

/* ---- domain data --------------------------------------------------------------------------- */

static void test_data_lookups(void **state)
{
    (void)state;
    assert_string_equal(lzs_extract_article_title(ex, "23"),
                        "Solicitation of children for sexual purposes");
    assert_string_equal(lzs_extract_article_title(ex, "48"), "Reservations");
    assert_non_null(lzs_extract_article_title(ex, "38(2)"));
    assert_null(lzs_extract_article_title(ex, "77"));
    size_t groups = lzs_extract_synonym_groups(ex);
    assert_true(groups >= 6);
    int csam = 0, andor = 0;
    for (size_t g = 0; g < groups; g++) {
        for (size_t i = 0; i < lzs_extract_synonym_group_size(ex, g); i++) {
            const char *t = lzs_extract_synonym(ex, g, i);
            csam += strcmp(t, "CSAM") == 0;
            andor += strcmp(t, "child self-generated sexual images and/or videos") == 0;
        }
    }
    assert_int_equal(csam, 1);
    assert_int_equal(andor, 1);
    assert_string_equal(lzs_extract_datadir(ex), DATA_DIR);
}

static char tmpdir[256];

static void write_file(const char *name, const char *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void copy_data_file(const char *name)
{
    char src[512];
    snprintf(src, sizeof src, "%s/%s", DATA_DIR, name);
    FILE *f = fopen(src, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    size_t n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    write_file(name, buf, n);
    free(buf);
}

static int tmp_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/lzs-test-extract-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int tmp_teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_malformed_data_file(void **state)
{
    (void)state;
    copy_data_file("articles.tsv");
    copy_data_file("levels.tsv");
    copy_data_file("synonyms.tsv");
    copy_data_file("anaphora.tsv");
    copy_data_file("doctypes.tsv");
    copy_data_file("months.tsv");
    copy_data_file("headings.tsv");
    copy_data_file("citations.tsv");
    const char bad[] = "# comment\nNO\tparty\tNorway\nXYZ\tparty\tNowhere\n";
    write_file("parties.tsv", bad, sizeof bad - 1);
    lzs_extractor_t *e = NULL;
    char *err = NULL;
    assert_int_equal(lzs_extract_open(tmpdir, &e, &err), LZS_ERR_CORRUPT);
    assert_null(e);
    assert_non_null(err);
    assert_non_null(strstr(err, "parties.tsv:3"));
    free(err);
    err = NULL;
    const char bad2[] = "NO\tmember\tNorway\n";
    write_file("parties.tsv", bad2, sizeof bad2 - 1);
    assert_int_equal(lzs_extract_open(tmpdir, &e, &err), LZS_ERR_CORRUPT);
    assert_non_null(strstr(err, "parties.tsv:1"));
    free(err);
    err = NULL;
    const char good[] = "NO\tparty\tNorway\tNorvège\n";
    write_file("parties.tsv", good, sizeof good - 1);
    const char badlevel[] = "en\trequire\trequires\nen\tdemand\tdemands\n";
    write_file("levels.tsv", badlevel, sizeof badlevel - 1);
    assert_int_equal(lzs_extract_open(tmpdir, &e, &err), LZS_ERR_CORRUPT);
    assert_non_null(strstr(err, "levels.tsv:2"));
    free(err);
    err = NULL;
    copy_data_file("levels.tsv");
    const char badana[] = "# roles\nen\tplural\tthese\nen\tpronoun\tit\n";
    write_file("anaphora.tsv", badana, sizeof badana - 1);
    assert_int_equal(lzs_extract_open(tmpdir, &e, &err), LZS_ERR_CORRUPT);
    assert_non_null(strstr(err, "anaphora.tsv:3"));
    free(err);
    err = NULL;
    const char badana2[] = "en\tplural-ending\ts es\n";
    write_file("anaphora.tsv", badana2, sizeof badana2 - 1);
    assert_int_equal(lzs_extract_open(tmpdir, &e, &err), LZS_ERR_CORRUPT);
    assert_non_null(strstr(err, "anaphora.tsv:1: \"s es\" is not a single word"));
    free(err);
    err = NULL;
    copy_data_file("anaphora.tsv");

    /* document types, months and heading words: each malformed line is named */
    static const struct {
        const char *file, *text, *where;
    } bad_lines[] = {
        {"doctypes.tsv", "decisions\tlist of decisions\nnovel\tchapter one\n", "doctypes.tsv:2"},
        {"doctypes.tsv", "# c\n\nfactsheet\n", "doctypes.tsv:3"},
        {"doctypes.tsv", "factsheet\t--\n", "doctypes.tsv:1: \"--\" has no letters"},
        {"months.tsv", "en\tjanuary\tfebruary\tmarch\n", "months.tsv:1"},
        {"months.tsv", "# none\n", "months.tsv: no entries"},
        {"months.tsv",
         "en\tjanuary\tfebruary\tmarch\tapril\tmay\tjune\tjuly\taugust\tseptember\t"
         "october\tnovember\tdecember\nfr\tjanvier\tfévrier\tmars\tavril\tmai\tjuin\t"
         "juillet\tao ût\tseptembre\toctobre\tnovembre\tdécembre\n",
         "months.tsv:2"},
        {"headings.tsv", "top\tappendix\ntoc\tcontents\n", "headings.tsv:2"},
        {"thesaurus.tsv", "a\ten:grooming\tfr:pédopiégeage\nb\ten:x\tgrooming\n",
         "thesaurus.tsv:2: \"grooming\" is not a term written LANG:term"},
        {"thesaurus.tsv", "# c\nart23\ten:solicitation of children\n",
         "thesaurus.tsv:2: concept \"art23\" needs at least one English (en:) and one French"},
        {"thesaurus.tsv", "a\ten:x\tfr:y\na\ten:z\tfr:w\n",
         "thesaurus.tsv:2: concept \"a\" is defined twice"},
        {"thesaurus.tsv", "Art 1\ten:x\tfr:y\n",
         "thesaurus.tsv:1: \"Art 1\" is not a concept name"},
        {"thesaurus.tsv", "a\ten:--\tfr:y\n", "thesaurus.tsv:1: the term \"en:--\" has no letters"},
        {"thesaurus.tsv", "a\tenglish:x\tfr:y\n", "thesaurus.tsv:1: \"english:x\" is not a term"},
        {"rounds.tsv", "r1\tphrase\tfirst round\nr1\tshape\troman-number\n", "rounds.tsv:2"},
        {"rounds.tsv", "r1\tphrase\tfirst round\nr1\tid\troman\n",
         "rounds.tsv:2: \"roman\" is not an identifier shape"},
        {"rounds.tsv", "r1\tphrase\tfirst round\n",
         "rounds.tsv: round \"r1\" needs a phrase row and an id row"},
        /* one folding of names for every file: each says where a name has no letters */
        {"rounds.tsv", "r1\tphrase\t--\n", "rounds.tsv:1: \"--\" has no letters"},
        {"headings.tsv", "top\tappendix\ncontents\t..\n", "headings.tsv:2: \"..\" has no letters"},
        {"instruments.tsv", "echr\ten\tConvention\necthr\tpattern\t--\n",
         "instruments.tsv:2: \"--\" has no letters"},
        {"opinions.tsv", "a\ten\t--\n", "opinions.tsv:1: \"--\" has no letters"},
        {"opinions.tsv", "a\ttitle\tOpinion\n", "opinions.tsv:1: expected a key"},
        {"opinions.tsv", "a\tkind\topinion\na\tkind\tverdict\n",
         "opinions.tsv:2: kind \"verdict\" is neither opinion nor declaration"},
        {"opinions.tsv", "a\tyear\t2015\na\tcode\tT-ES(2015)04_en\n",
         "opinions.tsv:2: \"T-ES(2015)04_en\" is no document code without language suffix"},
        {"opinions.tsv", "a\tkind\topinion\na\tyear\t2015\na\ten\tOpinion on x\n",
         "opinions.tsv: \"a\" needs a kind, a year, an en and a fr row"},
        {"words.tsv", "function\ten\tof\nending\ten\tthe\n", "words.tsv:2: expected a role"},
        {"words.tsv", "connector\tenglish\tand\n", "words.tsv:1: expected a role"},
        {"words.tsv", "function\tfr\tà\n",
         "words.tsv:1: \"à\" is not one word of lower-case letters a to z"},
        {"words.tsv", "# c\nconnector\ten\tas well\n", "words.tsv:2: \"as well\" is not one word"},
        {"words.tsv", "article\tfr\t'\n", "words.tsv:1: \"'\" has no letters"},
        /* the word lists of dates, titles and citations */
        {"words.tsv", "range\ten\tto\nordinal\tfr\t1 er\n",
         "words.tsv:2: \"1 er\" is not one word"},
        {"words.tsv", "connector-pair\tfr\tainsi\n", "words.tsv:1: \"ainsi\" is not two words"},
        {"words.tsv", "and\ten\tand\nmeeting\ten\t...\n", "words.tsv:2: \"...\" has no letters"},
        {"words.tsv", "ordinals\ten\tst\n", "words.tsv:1: expected a role (function, connector"},
        {"citations.tsv", "article\ten\tarticle\nparagraph\ten\tpara graph\n",
         "citations.tsv:2: \"para graph\" is not one word"},
        {"citations.tsv", "# c\narticles\ten\tarticle\n",
         "citations.tsv:2: expected a role (article, paragraph, link"},
        {"citations.tsv", "link\tgerman\tder\n", "citations.tsv:1: expected a role"},
        {"citations.tsv", "instrument\ten\ttr*aty\n",
         "citations.tsv:1: \"tr*aty\" has a '*' that does not end an instrument's name"},
        {"citations.tsv", "abbreviation\ten\techr*\n", "citations.tsv:1: \"echr*\" has a '*'"},
        {"citations.tsv", "link\ten\tof\tthe\n\nlink\tfr\t--\n",
         "citations.tsv:3: \"--\" has no letters"},
        {"citations.tsv", "code-lead\ten\t()\n", "citations.tsv:1: \"()\" has no letters"},
    };
    for (size_t k = 0; k < sizeof bad_lines / sizeof bad_lines[0]; k++) {
        write_file(bad_lines[k].file, bad_lines[k].text, strlen(bad_lines[k].text));
        assert_int_equal(lzs_extract_open(tmpdir, &e, &err), LZS_ERR_CORRUPT);
        assert_null(e);
        if (err == NULL || strstr(err, bad_lines[k].where) == NULL)
            fail_msg("%s: message \"%s\" should say %s", bad_lines[k].text, err ? err : "",
                     bad_lines[k].where);
        free(err);
        err = NULL;
        copy_data_file(bad_lines[k].file);
    }

    /* the words come from the files: other month names, types and heading words */
    const char months[] = "de\tjanuar\tfebruar\tmärz\tapril\tmai\tjuni\tjuli\taugust\t"
                          "september\toktober\tnovember\tdezember\n";
    write_file("months.tsv", months, sizeof months - 1);
    const char types[] = "opinion\tgutachten\n";
    write_file("doctypes.tsv", types, sizeof types - 1);
    const char heads[] = "top\tanhang\ncontents\tinhalt\n";
    write_file("headings.tsv", heads, sizeof heads - 1);
    assert_int_equal(lzs_extract_open(tmpdir, &e, &err), LZS_OK);
    const char text[] = "Gutachten\n\n3 MÄRZ 2020\n\n# Teil\n\n## Inhalt\n\nTeil ..... 1\n\n"
                        "## Kapitel\n\nText.\n\n## Anhang 1\n\nMehr.\n";
    lzs_document_t *doc = NULL;
    assert_int_equal(lzs_extract_buffer(e, "g.md", text, sizeof text - 1, NULL, &doc, &err),
                     LZS_OK);
    assert_int_equal(doc->type, LZS_DOC_OPINION);
    assert_string_equal(doc->date, "2020-03-03");
    int anhang = 0;
    for (size_t i = 0; i < doc->npassages; i++) {
        const lzs_passage_t *p = &doc->passages[i];
        assert_null(strstr(p->text, "Inhalt"));
        if (strcmp(p->text, "Anhang 1") == 0) {
            anhang = 1;
            assert_int_equal(p->section.n, 0); /* a top heading, not under "Teil" */
        }
    }
    assert_true(anhang);
    lzs_document_free(doc);
    const char text2[] = "Gutachten\n\n3 janvier 2020\n\nText.\n";
    assert_int_equal(lzs_extract_buffer(e, "g.txt", text2, sizeof text2 - 1, NULL, &doc, &err),
                     LZS_OK);
    assert_null(doc->date); /* French months are not in this data */
    lzs_document_free(doc);
    lzs_extract_close(e);
    copy_data_file("months.tsv");
    copy_data_file("doctypes.tsv");
    copy_data_file("headings.tsv");

    assert_int_equal(lzs_extract_open(tmpdir, &e, &err), LZS_OK);
    assert_int_equal(lzs_extract_party_count(e), 1);
    lzs_extract_close(e);
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none", tmpdir);
    assert_int_equal(lzs_extract_open(missing, &e, &err), LZS_ERR_NOT_FOUND);
    assert_non_null(strstr(err, "parties.tsv"));
    free(err);
}

/* An extractor over tmpdir with the shipped Parties, articles, levels, synonyms, anaphora
 * and headings, and words.tsv and citations.tsv of the given text (months.tsv and
 * doctypes.tsv the test writes). Caller frees with lzs_extract_close(). */
static lzs_extractor_t *open_with_words(const char *words, const char *cites)
{
    static const char *const files[] = {"parties.tsv",  "articles.tsv", "levels.tsv",
                                        "synonyms.tsv", "anaphora.tsv", "headings.tsv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        copy_data_file(files[i]);
    write_file("words.tsv", words, strlen(words));
    write_file("citations.tsv", cites, strlen(cites));
    lzs_extractor_t *e = NULL;
    char *err = NULL;
    if (lzs_extract_open(tmpdir, &e, &err) != LZS_OK)
        fail_msg("word lists of %s: %s", tmpdir, err ? err : "");
    return e;
}

/* The words around dates and citations are the data's: German words make German dates and
 * citations, and without English words an English citation is none. */
static void test_word_lists_from_data(void **state)
{
    (void)state;
    const char months[] = "de\tjanuar\tfebruar\tmärz\tapril\tmai\tjuni\tjuli\taugust\t"
                          "september\toktober\tnovember\tdezember\n";
    write_file("months.tsv", months, sizeof months - 1);
    const char types[] = "opinion\tgutachten\n";
    write_file("doctypes.tsv", types, sizeof types - 1);
    lzs_extractor_t *e =
        open_with_words("and\tde\tund\nrange\tde\tbis\n", "article\tde\tartikel\nlink\tde\tder\n"
                                                          "abbreviation\tde\temrk\n");
    char *err = NULL;
    const char text[] = "Gutachten\n\n15 bis 18 März 2020\n\nDer Ausschuss prüft Artikel 20 "
                        "und 21, Artikel 30 bis 32 und Artikel 8 der EMRK sowie Article 5.\n";
    lzs_document_t *doc = NULL;
    assert_int_equal(lzs_extract_buffer(e, "g.md", text, sizeof text - 1, NULL, &doc, &err),
                     LZS_OK);
    assert_string_equal(doc->date, "2020-03-15");
    assert_non_null(doc->date_end);
    assert_string_equal(doc->date_end, "2020-03-18");
    const lzs_passage_t *cited = NULL;
    for (size_t i = 0; i < doc->npassages; i++) {
        if (strstr(doc->passages[i].text, "Artikel") != NULL)
            cited = &doc->passages[i];
    }
    assert_non_null(cited);
    static const char *const want[] = {"20", "21", "30", "31", "32"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!lzs_strlist_contains(&cited->articles, want[i]))
            fail_msg("article %s is not among the %zu cited", want[i], cited->articles.n);
    }
    assert_int_equal(cited->articles.n, 5); /* neither 8 of the EMRK nor "Article 5" */
    lzs_document_free(doc);
    lzs_extract_close(e);

    /* citations.tsv is no option: without it the data is refused, by name */
    char path[512];
    snprintf(path, sizeof path, "%s/citations.tsv", tmpdir);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(lzs_extract_open(tmpdir, &e, &err), LZS_ERR_NOT_FOUND);
    assert_null(e);
    assert_non_null(err);
    assert_non_null(strstr(err, "citations.tsv"));
    free(err);
}

/* The passage of doc whose text contains needle, or NULL. */
static const lzs_passage_t *passage_with(const lzs_document_t *doc, const char *needle)
{
    for (size_t i = 0; i < doc->npassages; i++) {
        if (strstr(doc->passages[i].text, needle) != NULL)
            return &doc->passages[i];
    }
    return NULL;
}

/* The words of page-number lines (words.tsv) and of footnotes that name a recommendation
 * (citations.tsv) are the data's: with German words "Seite 1 von 2" is page furniture
 * and "12 Empfehlung" opens a footnote; with the shipped data neither is. */
static void test_page_words_from_data(void **state)
{
    (void)state;
    copy_data_file("months.tsv");
    copy_data_file("doctypes.tsv");
    lzs_extractor_t *e =
        open_with_words("page\tde\tseite\npage-of\tde\tvon\n", "recommendation\tde\tempfehlung\n");
    char *err = NULL;
    const char text[] = "Der Ausschuss tagt.\n\nErster Absatz des Textes.\n\nSeite 1 von 2\n"
                        "\fZweiter Absatz des Textes.\n\n12 Empfehlung V-17 ist umgesetzt.\n\n"
                        "Seite 2 von 2\n";
    lzs_document_t *doc = NULL;
    assert_int_equal(lzs_extract_buffer(e, "g.txt", text, sizeof text - 1, NULL, &doc, &err),
                     LZS_OK);
    assert_non_null(passage_with(doc, "Zweiter Absatz"));
    const lzs_passage_t *p = passage_with(doc, "Seite");
    if (p != NULL)
        fail_msg("a page number read as text: \"%s\"", p->text);
    p = passage_with(doc, "umgesetzt");
    assert_non_null(p);
    assert_string_equal(lzs_kind_name(p->kind), "footnote");
    lzs_document_free(doc);
    lzs_extract_close(e);

    /* the shipped data has no German words: the same lines are text */
    doc = extract_text("g.txt", text);
    assert_non_null(passage_with(doc, "Seite 1 von 2"));
    p = passage_with(doc, "umgesetzt");
    assert_non_null(p);
    assert_string_not_equal(lzs_kind_name(p->kind), "footnote");
    lzs_document_free(doc);
}

/* ---- bad input ------------------------------------------------------------------------------- */

static void expect_failure(const char *name, lzs_status_t want, const char *what)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    lzs_document_t *doc = (lzs_document_t *)1;
    char *err = NULL;
    lzs_status_t st = lzs_extract_file(ex, path, &doc, &err);
    assert_int_equal(st, want);
    assert_null(doc);
    assert_non_null(err);
    if (strstr(err, name) == NULL || strstr(err, what) == NULL)
        fail_msg("message \"%s\" should name %s and say %s", err, name, what);
    free(err);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    const char bin[] = "PK\x03\x04\x00\x00binary\x00\x01\x02";
    write_file("archive.txt", bin, sizeof bin - 1);
    expect_failure("archive.txt", LZS_ERR_PARSE, "binary file");

    const char latin1[] = "Caf\xe9 and more text here.\n";
    write_file("latin1.txt", latin1, sizeof latin1 - 1);
    expect_failure("latin1.txt", LZS_ERR_UTF8, "invalid UTF-8 at byte 3");

    write_file("empty.txt", "", 0);
    expect_failure("empty.txt", LZS_ERR_PARSE, "empty file");
    write_file("blank.md", " \n\t\n", 4);
    expect_failure("blank.md", LZS_ERR_PARSE, "empty file");

    char path[512];
    snprintf(path, sizeof path, "%s/huge.txt", tmpdir);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 100 * 1024 * 1024), 0); /* sparse: nothing is written */
    close(fd);
    expect_failure("huge.txt", LZS_ERR_LIMIT, "file too large (104857600 bytes");

    const char ok[] = "A short text about Norway.\n";
    write_file("sidecar.txt", ok, sizeof ok - 1);
    const char broken[] = "{\n  \"title\": \"x\",\n  \"type\" \"factsheet\"\n}\n";
    write_file("sidecar.meta.json", broken, sizeof broken - 1);
    expect_failure("sidecar.txt", LZS_ERR_PARSE, "sidecar.meta.json: line 3");

    const char unknown[] = "{\"titel\": \"x\"}";
    write_file("sidecar.meta.json", unknown, sizeof unknown - 1);
    expect_failure("sidecar.txt", LZS_ERR_PARSE, "unknown key \"titel\"");
    const char wrongtype[] = "{\"date\": 2021}";
    write_file("sidecar.meta.json", wrongtype, sizeof wrongtype - 1);
    expect_failure("sidecar.txt", LZS_ERR_PARSE, "\"date\" must be a string");
    const char badtype[] = "{\"type\": \"novel\"}";
    write_file("sidecar.meta.json", badtype, sizeof badtype - 1);
    expect_failure("sidecar.txt", LZS_ERR_PARSE, "novel");

    /* a good sidecar overrides what the text says */
    const char good[] = "{\"reference\": \"T-ES(2019)05_fr\", \"title\": \"Fiche\", "
                        "\"type\": \"opinion\", \"date\": \"2019-06-06\", \"url\": "
                        "\"https://example.org/x\"}";
    write_file("sidecar.meta.json", good, sizeof good - 1);
    snprintf(path, sizeof path, "%s/sidecar.txt", tmpdir);
    lzs_document_t *doc = extract_path(path);
    /* a French version keeps its language suffix in its id */
    assert_string_equal(doc->id, "T-ES(2019)05_fr");
    assert_string_equal(doc->ref, "T-ES(2019)05_fr");
    assert_string_equal(doc->lang, "fr");
    assert_int_equal(doc->type, LZS_DOC_OPINION);
    assert_int_equal(doc->year, 2019);
    assert_string_equal(doc->url, "https://example.org/x");
    assert_string_equal(doc->title, "Fiche");
    lzs_document_free(doc);

    /* a missing file is reported, too */
    expect_failure("nothing-here.txt", LZS_ERR_NOT_FOUND, "nothing-here.txt");
}

int main(void)
{
    const struct CMUnitTest seeds[] = {
        cmocka_unit_test(test_factsheet_recommendations),
        cmocka_unit_test(test_factsheet_toc_skipped),
        cmocka_unit_test(test_decisions),
        cmocka_unit_test(test_decisions_coreference),
        cmocka_unit_test(test_information_note_parties),
        cmocka_unit_test(test_seed_passages_consistent),
        cmocka_unit_test(test_french_factsheet),
        cmocka_unit_test(test_dates_and_types),
        cmocka_unit_test(test_reference_lines),
        cmocka_unit_test(test_date_lines),
        cmocka_unit_test(test_title_types),
        cmocka_unit_test(test_unopenable_ids),
        cmocka_unit_test(test_text_page_furniture),
        cmocka_unit_test(test_text_contents_lists),
        cmocka_unit_test(test_text_wrapped_lines),
        cmocka_unit_test(test_text_markup_and_markers),
        cmocka_unit_test(test_long_paragraph_split),
        cmocka_unit_test(test_language_detection),
        cmocka_unit_test(test_article_forms),
        cmocka_unit_test(test_party_names),
        cmocka_unit_test(test_inline_recommendation),
        cmocka_unit_test(test_thesaurus),
        cmocka_unit_test(test_recommendation_keys),
        cmocka_unit_test(test_markdown_to_plain),
        cmocka_unit_test(test_markdown_comments),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_data_lookups),
        cmocka_unit_test(test_text_without_words),
        cmocka_unit_test(test_caption_is_not_a_heading),
        cmocka_unit_test_setup_teardown(test_malformed_data_file, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_word_lists_from_data, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_page_words_from_data, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_bad_inputs, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(seeds, testdata_setup, testdata_teardown);
}
