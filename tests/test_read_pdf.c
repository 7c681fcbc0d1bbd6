/* test_read_pdf.c — the PDF reader (lib/extract/read_pdf.c) on PDFs laid out here with
 * pdfgen (exact positions, sizes, weights), on a PDF made by LibreOffice, and on bad
 * input: the blocks it gives (kinds, texts, marks, numbers, pages, flags, order) and its
 * errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract/block.h"
#include "extract/stage.h"
#include "lzs/extract.h"
#include "lzs/file.h"
#include "lzs/text.h"
#include "pdf/pdfgen.h"
#include "testdata.h"

#define BAD_DIR LZS_TEST_DATA "/formats/bad"
#define PDF_DIR LZS_TEST_DATA "/formats/pdf"
#define STDERR_FILE LZS_BUILD_DIR "/tests/test_read_pdf.stderr"

/* ---- helpers ------------------------------------------------------------------------ */

typedef struct {
    char *pdf;
    size_t len;
} doc_t;

static pdfgen_t *gen_new(void)
{
    char *err = NULL;
    pdfgen_t *g = pdfgen_new(595, 842, &err);
    if (g == NULL)
        fail_msg("cannot lay out test PDFs: %s", err ? err : "?");
    return g;
}

static doc_t gen_finish(pdfgen_t *g)
{
    doc_t d = {NULL, 0};
    char *err = NULL;
    if (pdfgen_finish(g, &d.pdf, &d.len, &err) != 0)
        fail_msg("cannot write a test PDF: %s", err ? err : "?");
    return d;
}

/* Draws a superscript footnote marker right after x on the line at baseline y (size s):
 * 58% of the size, raised by a third, as word processors set them. */
static double sup(pdfgen_t *g, double x, double y, double s, const char *num)
{
    return pdfgen_text(g, x, y - s / 3, PDFGEN_SERIF, s * 0.58, num);
}

/* Runs the reader with stderr sent to a file; returns what it printed there (caller
 * frees with free()). The file stays in the build directory: should the reader crash,
 * the sanitizer's report is there (STDERR_FILE). */
static char *read_quiet(const char *name, const doc_t *d, lzs_blocks_t *bs, lzs_status_t *st,
                        char **err)
{
    int fd = open(STDERR_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    *st = lzs_read_pdf(ex, name, d->pdf, d->len, bs, err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    off_t n = lseek(fd, 0, SEEK_END);
    char *out = calloc(1, (size_t)n + 1);
    assert_non_null(out);
    assert_int_equal(pread(fd, out, (size_t)n, 0), n);
    close(fd);
    return out;
}

static void read_ok(const char *name, const doc_t *d, lzs_blocks_t *bs)
{
    char *err = NULL;
    lzs_status_t st;
    char *printed = read_quiet(name, d, bs, &st, &err);
    if (st != LZS_OK)
        fail_msg("%s: status %d: %s", name, st, err ? err : "(no message)");
    assert_null(err);
    assert_string_equal(printed, "");
    free(printed);
    /* what every block must be: valid UTF-8 without control characters */
    for (size_t i = 0; i < bs->n; i++) {
        const lzs_block_t *b = &bs->v[i];
        assert_int_equal(strlen(b->text), b->len);
        assert_true(lzs_text_is_valid_utf8(b->text, b->len));
        for (size_t k = 0; k < b->len; k++)
            assert_true((unsigned char)b->text[k] >= 0x20);
        assert_int_equal(b->lines, 1);
    }
}

static void expect_error(const char *name, const doc_t *d, lzs_status_t want, const char *msg)
{
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    char *err = NULL;
    lzs_status_t st;
    char *printed = read_quiet(name, d, &bs, &st, &err);
    assert_int_equal(st, want);
    assert_non_null(err);
    if (msg[strlen(msg) - 1] == '(')
        assert_memory_equal(err, msg, strlen(msg));
    else
        assert_string_equal(err, msg);
    assert_string_equal(printed, "");
    assert_int_equal(bs.n, 0);
    free(printed);
    free(err);
    lzs_blocks_clear(&bs);
}

/* One line per block: "kind p<page> L<level> f<flags> n<number> [marks] text". */
static char *dump(const lzs_blocks_t *bs)
{
    size_t cap = 1024, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    s[0] = '\0';
    for (size_t i = 0; i < bs->n; i++) {
        const lzs_block_t *b = &bs->v[i];
        char marks[128] = "";
        for (size_t k = 0; k < b->nmarks && strlen(marks) < 100; k++)
            snprintf(marks + strlen(marks), sizeof marks - strlen(marks), "%s%u", k ? "," : "",
                     b->marks[k]);
        size_t need = b->len + 256;
        if (n + need > cap) {
            while (n + need > cap)
                cap *= 2;
            s = realloc(s, cap);
            assert_non_null(s);
        }
        n += (size_t)snprintf(s + n, cap - n, "%s p%u L%d f%03x n%s [%s] r%u c%u %s\n",
                              lzs_block_kind_name(b->kind), b->page, b->level, b->flags, b->number,
                              marks, b->row, b->col, b->text);
    }
    return s;
}

typedef struct {
    lzs_block_kind_t kind;
    unsigned page;
    int level;
    unsigned flags;
    const char *number;
    size_t nmarks;
    unsigned marks[4];
    const char *text;
} want_t;

static void expect_blocks(const lzs_blocks_t *bs, const want_t *w, size_t n)
{
    char *all = dump(bs);
    if (bs->n != n)
        fail_msg("%zu blocks, expected %zu:\n%s", bs->n, n, all);
    for (size_t i = 0; i < n; i++) {
        const lzs_block_t *b = &bs->v[i];
        int ok = b->kind == w[i].kind && b->page == w[i].page && b->level == w[i].level &&
                 b->flags == w[i].flags && strcmp(b->number, w[i].number) == 0 &&
                 strcmp(b->text, w[i].text) == 0 && b->nmarks == w[i].nmarks;
        for (size_t k = 0; ok && k < w[i].nmarks; k++)
            ok = b->marks[k] == w[i].marks[k];
        if (!ok)
            fail_msg("block %zu is\n  %s p%u L%d f%03x n'%s' %zu marks '%s'\nexpected\n  %s p%u "
                     "L%d f%03x n'%s' %zu marks '%s'\nall blocks:\n%s",
                     i, lzs_block_kind_name(b->kind), b->page, b->level, b->flags, b->number,
                     b->nmarks, b->text, lzs_block_kind_name(w[i].kind), w[i].page, w[i].level,
                     w[i].flags, w[i].number, w[i].nmarks, w[i].text, all);
    }
    free(all);
}

/* ---- the report: three pages, one column then two ------------------------------------ */

enum { BODY = 11, FOOT = 9 };

static void furniture(pdfgen_t *g, int page)
{
    char num[16];
    pdfgen_text(g, 430, 40, PDFGEN_SERIF, FOOT, "T-ES(2019)07_en final");
    snprintf(num, sizeof num, "%d/3", page);
    pdfgen_text(g, 290, 810, PDFGEN_SERIF, FOOT, num);
}

/* Page 1: headings, numbered paragraphs with a hanging indent, a line-end hyphen, a
 * bullet list with a private-use bullet, a superscript marker glued to a word and its
 * footnote, a bold heading at body size. */
static void report_page1(pdfgen_t *g)
{
    furniture(g, 1);
    pdfgen_text(g, 72, 100, PDFGEN_SERIF_BOLD, 16, "Implementation report");
    pdfgen_text(g, 72, 130, PDFGEN_SERIF_BOLD, 13, "1. General observations");

    pdfgen_text(g, 72, 156, PDFGEN_SERIF, BODY, "12.");
    pdfgen_text(g, 100, 156, PDFGEN_SERIF, BODY,
                "Decided to adopt the report on the protection of children");
    pdfgen_text(g, 100, 170, PDFGEN_SERIF, BODY, "against sexual exploitation and abuse.");
    pdfgen_text(g, 72, 191, PDFGEN_SERIF, BODY, "13.");
    pdfgen_text(g, 100, 191, PDFGEN_SERIF, BODY, "Invited the Parties to strengthen their co-");
    pdfgen_text(g, 100, 205, PDFGEN_SERIF, BODY, "operation with civil society.");

    pdfgen_text_as(g, 90, 226, PDFGEN_SERIF, BODY, "\u2022", "\uF0B7");
    pdfgen_text(g, 108, 226, PDFGEN_SERIF, BODY, "a first item of the list;");
    pdfgen_text_as(g, 90, 240, PDFGEN_SERIF, BODY, "\u2022", "\uF0B7");
    pdfgen_text(g, 108, 240, PDFGEN_SERIF, BODY, "a second item of the list that goes on");
    pdfgen_text(g, 108, 254, PDFGEN_SERIF, BODY, "over a second line.");

    double x = pdfgen_text(g, 72, 275, PDFGEN_SERIF, BODY, "The Committee recalled the articles");
    x = sup(g, x, 275, BODY, "1");
    pdfgen_text(g, x, 275, PDFGEN_SERIF, BODY, " of the Convention and the child-");
    pdfgen_text(g, 72, 289, PDFGEN_SERIF, BODY, "friendly procedures for all victims.");
    pdfgen_text(g, 72, 310, PDFGEN_SERIF, BODY, "Documents of the series T-");
    pdfgen_text(g, 72, 324, PDFGEN_SERIF, BODY, "ES(2019) are public, and so are those -");
    pdfgen_text(g, 72, 338, PDFGEN_SERIF, BODY, "with a few exceptions - of 2020.");

    pdfgen_text(g, 72, 365, PDFGEN_SERIF_BOLD, BODY, "Follow-up");
    pdfgen_text(g, 72, 386, PDFGEN_SERIF, BODY, "The Committee will follow up the report.");

    x = sup(g, 72, 760, FOOT, "1");
    pdfgen_text(g, x + 1, 760, PDFGEN_SERIF, FOOT, "Recommendation V-17.");
}

/* Page 2: paragraphs told apart by a first-line indent only, by a blank, by numbers and
 * letters; a footnote over two lines whose label is not raised; a ligature. */
static void report_page2(pdfgen_t *g)
{
    furniture(g, 2);
    pdfgen_text(g, 90, 100, PDFGEN_SERIF, BODY, "Paragraphs of this page have no space");
    pdfgen_text(g, 72, 114, PDFGEN_SERIF, BODY, "between them and an indented first line.");
    double x = pdfgen_text(g, 90, 128, PDFGEN_SERIF, BODY, "The second one starts here");
    x = sup(g, x, 128, BODY, "2");
    pdfgen_text(g, x, 128, PDFGEN_SERIF, BODY, ", with its");
    pdfgen_text(g, 72, 142, PDFGEN_SERIF, BODY, "indent, and ends on this line.");
    x = pdfgen_text(g, 72, 175, PDFGEN_SERIF, BODY, "After a blank, a paragraph apart, the ");
    x = pdfgen_text_as(g, x, 175, PDFGEN_SERIF, BODY, "\uFB01", "\uFB01");
    pdfgen_text(g, x, 175, PDFGEN_SERIF, BODY, "nal one.");
    pdfgen_text(g, 72, 196, PDFGEN_SERIF, BODY, "2.1.1. Adoption of the agenda");
    pdfgen_text(g, 72, 210, PDFGEN_SERIF, BODY, "a) a first point");
    pdfgen_text(g, 72, 224, PDFGEN_SERIF, BODY, "(b) a second point");
    pdfgen_text(g, 72, 238, PDFGEN_SERIF, BODY, "IV. A paragraph numbered in roman figures");

    pdfgen_text(g, 72, 745, PDFGEN_SERIF, FOOT,
                "2 A footnote long enough to go on over two lines: it is about the co-");
    pdfgen_text(g, 80, 756, PDFGEN_SERIF, FOOT, "operation of the Parties.");
}

/* Page 3: a title of two centred lines over two columns. */
static void report_page3(pdfgen_t *g)
{
    static const char *const left[] = {
        "The left column starts here and",   "goes on down the left side of the",
        "page until it ends at the foot of", "the left column, with a line that",
        "is full, and then a short one.",    "Its last line."};
    static const char *const right[] = {"The right column comes after all",
                                        "of the left column in the reading",
                                        "order of the page, and it ends",
                                        "here with a line a little shorter",
                                        "than the others.",
                                        "A last paragraph."};
    furniture(g, 3);
    /* a gutter of 24 points after the widest left line; the title is centred on the text */
    double wl = 0, wr = 0;
    for (int i = 0; i < 6; i++) {
        double w = pdfgen_width(g, PDFGEN_SERIF, BODY, left[i]);
        wl = w > wl ? w : wl;
        w = pdfgen_width(g, PDFGEN_SERIF, BODY, right[i]);
        wr = w > wr ? w : wr;
    }
    double xr = 72 + wl + 24, mid = (72 + xr + wr) / 2;
    const char *title[] = {"Two columns", "under one title"};
    for (int i = 0; i < 2; i++) {
        double w = pdfgen_width(g, PDFGEN_SERIF_BOLD, 14, title[i]);
        pdfgen_text(g, mid - w / 2, 100 + 17 * i, PDFGEN_SERIF_BOLD, 14, title[i]);
    }
    for (int i = 0; i < 6; i++) {
        double y = 150 + 14 * i + (i == 5 ? 10 : 0);
        pdfgen_text(g, 72, y, PDFGEN_SERIF, BODY, left[i]);
        pdfgen_text(g, xr, y, PDFGEN_SERIF, BODY, right[i]);
    }
}

/* The report on pages of w x h points, each turned by turns quarters (pdfgen_turn). */
static doc_t report_on(double w, double h, int turns)
{
    char *err = NULL;
    pdfgen_t *g = pdfgen_new(w, h, &err);
    if (g == NULL)
        fail_msg("cannot lay out test PDFs: %s", err ? err : "?");
    void (*const pages[])(pdfgen_t *) = {report_page1, report_page2, report_page3};
    for (int i = 0; i < 3; i++) {
        if (i > 0)
            pdfgen_next_page(g);
        pdfgen_turn(g, turns);
        pages[i](g);
    }
    return gen_finish(g);
}

static doc_t report(void)
{
    return report_on(595, 842, 0);
}

#define P LZS_BLOCK_PARAGRAPH
#define H LZS_BLOCK_HEADING
#define F LZS_BLOCK_FOOTNOTE
#define BRK LZS_BLOCK_PAGE_BREAK
#define TOP LZS_BF_PAGE_TOP
#define BOTTOM LZS_BF_PAGE_BOTTOM
#define BOLD LZS_BF_BOLD
#define BLANK LZS_BF_BLANK_BEFORE
#define CENTRED LZS_BF_CENTERED

/* clang-format off */
static const want_t report_blocks[] = {
    /* page 1: the running header first, as a block of its own */
    {P, 1, 0, TOP, "", 0, {0}, "T-ES(2019)07_en final"},
    /* headings: levels by size rank (16, 14, 13), bold at body size last */
    {H, 1, 1, BOLD, "", 0, {0}, "Implementation report"},
    {H, 1, 3, BOLD | BLANK, "", 0, {0}, "1. General observations"},
    /* numbers as printed; a hanging indent; "co-" + "operation" joined by U+00AD */
    {P, 1, 0, BLANK, "", 0, {0},
     "12. Decided to adopt the report on the protection of children against sexual "
     "exploitation and abuse."},
    {P, 1, 0, BLANK, "", 0, {0},
     "13. Invited the Parties to strengthen their co\u00ADoperation with civil society."},
    /* a private-use bullet glyph read as "•" */
    {P, 1, 0, BLANK, "", 0, {0}, "\u2022 a first item of the list;"},
    {P, 1, 0, 0, "", 0, {0}, "\u2022 a second item of the list that goes on over a second line."},
    /* the raised "1" glued to "articles" is a mark, not text */
    {P, 1, 0, BLANK, "", 1, {1},
     "The Committee recalled the articles of the Convention and the child\u00ADfriendly "
     "procedures for all victims."},
    /* a hyphen before an upper-case letter is a line-end hyphen too (the layout stage
     * keeps it); dashes with spaces: joined by a space */
    {P, 1, 0, BLANK, "", 0, {0},
     "Documents of the series T\u00ADES(2019) are public, and so are those - with a few "
     "exceptions - of 2020."},
    {H, 1, 4, BOLD | BLANK, "", 0, {0}, "Follow-up"},
    {P, 1, 0, BLANK, "", 0, {0}, "The Committee will follow up the report."},
    /* the footnote: its raised label is its number */
    {F, 1, 0, 0, "1", 0, {0}, "Recommendation V-17."},
    {P, 1, 0, BOTTOM, "", 0, {0}, "1/3"},

    {BRK, 2, 0, 0, "", 0, {0}, ""},
    {P, 2, 0, TOP, "", 0, {0}, "T-ES(2019)07_en final"},
    /* paragraphs told apart by the indent of their first line alone */
    {P, 2, 0, 0, "", 0, {0},
     "Paragraphs of this page have no space between them and an indented first line."},
    {P, 2, 0, 0, "", 1, {2}, "The second one starts here, with its indent, and ends on this line."},
    /* a ligature glyph read as its letters */
    {P, 2, 0, BLANK, "", 0, {0}, "After a blank, a paragraph apart, the final one."},
    /* agenda numbers, letters and roman numbers start paragraphs */
    {P, 2, 0, BLANK, "", 0, {0}, "2.1.1. Adoption of the agenda"},
    {P, 2, 0, 0, "", 0, {0}, "a) a first point"},
    {P, 2, 0, 0, "", 0, {0}, "(b) a second point"},
    {P, 2, 0, 0, "", 0, {0}, "IV. A paragraph numbered in roman figures"},
    /* a footnote over two lines, its label not raised */
    {F, 2, 0, 0, "2", 0, {0},
     "A footnote long enough to go on over two lines: it is about the co\u00ADoperation of the "
     "Parties."},
    {P, 2, 0, BOTTOM, "", 0, {0}, "2/3"},

    {BRK, 3, 0, 0, "", 0, {0}, ""},
    {P, 3, 0, TOP, "", 0, {0}, "T-ES(2019)07_en final"},
    /* the title over both columns first, its two centred lines one heading */
    {H, 3, 2, BOLD | CENTRED, "", 0, {0}, "Two columns under one title"},
    /* then the whole left column, then the right one */
    {P, 3, 0, BLANK, "", 0, {0},
     "The left column starts here and goes on down the left side of the page until it ends at "
     "the foot of the left column, with a line that is full, and then a short one."},
    {P, 3, 0, BLANK, "", 0, {0}, "Its last line."},
    {P, 3, 0, 0, "", 0, {0},
     "The right column comes after all of the left column in the reading order of the page, and "
     "it ends here with a line a little shorter than the others."},
    {P, 3, 0, BLANK, "", 0, {0}, "A last paragraph."},
    {P, 3, 0, BOTTOM, "", 0, {0}, "3/3"},
};
/* clang-format on */

static void test_report(void **state)
{
    (void)state;
    doc_t d = report();
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    read_ok("report.pdf", &d, &bs);
    assert_int_equal(bs.npages, 3);
    expect_blocks(&bs, report_blocks, sizeof report_blocks / sizeof report_blocks[0]);
    /* sizes as set */
    assert_true(bs.v[1].size == 16.0f);
    assert_true(bs.v[3].size == (float)BODY);
    assert_true(bs.v[11].size == (float)FOOT);
    lzs_blocks_clear(&bs);
    free(d.pdf);
}

/* Blocks the reader appends go after those already in the list. */
static void test_appends(void **state)
{
    (void)state;
    doc_t d = report();
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    assert_non_null(lzs_blocks_add(&bs, LZS_BLOCK_PARAGRAPH, "before", 6));
    read_ok("report.pdf", &d, &bs);
    assert_int_equal(bs.n, 1 + sizeof report_blocks / sizeof report_blocks[0]);
    assert_string_equal(bs.v[0].text, "before");
    assert_string_equal(bs.v[2].text, "Implementation report");
    assert_int_equal(bs.v[2].level, 1);
    lzs_blocks_clear(&bs);
    free(d.pdf);
}

/* The report turned by a quarter, a half and three quarters of a turn (as on pages with
 * /Rotate, or a landscape table in a portrait document): the same blocks. */
static void test_turned_pages(void **state)
{
    (void)state;
    for (int turns = 1; turns < 4; turns++) {
        /* square pages: the portrait page fits them at any angle */
        doc_t d = report_on(842, 842, turns);
        lzs_blocks_t bs;
        memset(&bs, 0, sizeof bs);
        read_ok("turned.pdf", &d, &bs);
        expect_blocks(&bs, report_blocks, sizeof report_blocks / sizeof report_blocks[0]);
        lzs_blocks_clear(&bs);
        free(d.pdf);
    }
}

/* ---- a PDF made by LibreOffice ---------------------------------------------------------- */

static doc_t load(const char *path)
{
    doc_t d = {NULL, 0};
    char *err = NULL;
    if (lzs_file_read(-1, path, 1u << 24, &d.pdf, &d.len, &err) != LZS_OK)
        fail_msg("missing test data: %s", err ? err : path);
    return d;
}

/* clang-format off */
static const want_t libreoffice_blocks[] = {
    {P, 1, 0, TOP, "", 0, {0}, "T-ES(2019)07_en final"},
    {H, 1, 1, BOLD, "", 0, {0},
     "Implementation report on the protection of children against sexual abuse"},
    {H, 1, 2, BOLD | BLANK, "", 0, {0}, "General observations"},
    {P, 1, 0, 0, "", 1, {1},
     "The Lanzarote Committee adopted this report at its 25th meeting. It concerns the "
     "implementation of the articles of the Convention by the Parties, with a view to "
     "strengthening international co-operation and child\u00ADfriendly procedures in all the "
     "Parties that replied to the questionnaire of the monitoring round."},
    {H, 1, 3, BOLD | BLANK, "", 0, {0}, "Recommendations to the Parties"},
    {P, 1, 0, 0, "", 0, {0},
     "1. The Committee requires the Parties to ensure that child-friendly interviews are "
     "carried out in premises designed or adapted for this purpose, in line with Article 35 of "
     "the Convention."},
    {P, 1, 0, 0, "", 1, {2},
     "2. The Committee requests the Parties to promote multidisciplinary and interagency "
     "co-operation between the authorities concerned."},
    {P, 1, 0, 0, "", 0, {0}, "3. The Committee invites the Parties to share their promising practices."},
    {H, 1, 4, BOLD | BLANK, "", 0, {0}, "Promising practices"},
    {P, 1, 0, 0, "", 0, {0},
     "\u2022 Barnahus model in Iceland and the Nordic countries, later extended to several "
     "other Parties across Europe."},
    {P, 1, 0, 0, "", 0, {0}, "\u2022 Child-friendly information leaflets."},
    {P, 1, 0, BLANK, "", 0, {0},
     "Some Parties have set up specialised units within their police forces, which received "
     "specific training on interviewing children, and the Committee welcomes these "
     "developments as they contribute to reducing the number of interviews of child victims "
     "and to avoiding their secondary victimisation throughout criminal proceedings and "
     "beyond."},
    {H, 1, 2, BOLD | BLANK, "", 0, {0}, "Follow-up"},
    {P, 1, 0, 0, "", 0, {0},
     "The Committee will assess the follow-up given to these recommendations at its next "
     "meetings. It recalls that the Parties are required to report on the measures taken "
     "within two years of the adoption of this report, and it invites the Parties to involve "
     "civil society and children themselves in this work, in line with Article 9 of the "
     "Convention."},
    {P, 1, 0, BLANK, "", 0, {0},
     "The Committee further decided to publish this report, together with the replies of the "
     "Parties to the questionnaire, on its website, and to send it to the Committee of "
     "Ministers for information."},
    {F, 1, 0, 0, "1", 0, {0}, "Recommendation V-17."},
    {F, 1, 0, 0, "2", 0, {0},
     "See also the Explanatory Report to the Convention, paragraph 232, which underlines the "
     "importance of co-ordination between all services working with child victims."},
    {P, 1, 0, BOTTOM, "", 0, {0}, "1"},
    {BRK, 2, 0, 0, "", 0, {0}, ""},
    {P, 2, 0, TOP, "", 0, {0}, "T-ES(2019)07_en final"},
    {P, 2, 0, 0, "", 0, {0},
     "The Committee will come back to the questions raised in this report when it prepares "
     "its next monitoring round, in which it intends to look at the protection of children in "
     "care and at the role of the private sector in preventing abuse."},
    {P, 2, 0, BLANK, "", 0, {0},
     "It will also consider how the information gathered could be made available to children "
     "in a language they understand, and to the professionals who work with them on a daily "
     "basis in schools, hospitals and social services."},
    {P, 2, 0, BLANK, "", 0, {0},
     "The Committee finally thanked the secretariat for its work on this report, and the "
     "experts who took part in the visits organised in several Parties during the monitoring "
     "round."},
    {H, 2, 2, BOLD | BLANK, "", 0, {0}, "Annex"},
    {P, 2, 0, 0, "", 1, {3},
     "The list of replies received from the Parties and from other stakeholders is available "
     "on the website of the Committee, together with the questionnaire that was sent to them "
     "at the start of the monitoring round."},
    {F, 2, 0, 0, "3", 0, {0}, "Document T-ES(2019)07_en."},
    {P, 2, 0, BOTTOM, "", 0, {0}, "2"},
};
/* clang-format on */

/* tests/data/formats/pdf/libreoffice.pdf: pandoc's docx of libreoffice.md printed to PDF
 * by LibreOffice (fonts embedded as subsets, numbers and bullets of Word lists, footnotes
 * in a smaller size, a header and a page number). */
static void test_libreoffice(void **state)
{
    (void)state;
    doc_t d = load(PDF_DIR "/libreoffice.pdf");
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    read_ok("libreoffice.pdf", &d, &bs);
    assert_int_equal(bs.npages, 2);
    expect_blocks(&bs, libreoffice_blocks,
                  sizeof libreoffice_blocks / sizeof libreoffice_blocks[0]);
    lzs_blocks_clear(&bs);
    free(d.pdf);
}

/* ---- pages as LibreOffice lays out a DOCX ------------------------------------------------
 *
 * What LibreOffice makes of the Committee's documents (pandoc -> DOCX -> PDF): A4, body text
 * at 12 points on a line spacing of 14 with 9 points between paragraphs, headings in a font
 * of their own (DejaVu Sans bold where the body is DejaVu Serif), the document's code at the
 * top right of every page and "N / M" at the foot, the notes at body size under a short
 * rule, each note's raised number before it. */

enum { LO_BODY = 12, LO_PITCH = 14, LO_GAP = 23, LO_LEFT = 71, LO_RIGHT = 524 };

/* The running header and the "N / M" footer of page n of m. (Its spaces are doubled:
 * poppler reads "1 / 2" set with single spaces, alone on its line, as "1/2", where
 * LibreOffice's "1 / 12" keeps them.) */
static void lo_furniture(pdfgen_t *g, int n, int m)
{
    char num[32];
    pdfgen_text(g, 445.9, 45, PDFGEN_SERIF, 9, "T-ES(2024)05_en");
    snprintf(num, sizeof num, "%d  /  %d", n, m);
    double w = pdfgen_width(g, PDFGEN_SERIF, 9, num);
    pdfgen_text(g, (595 - w) / 2, 805, PDFGEN_SERIF, 9, num);
}

/* Draws the lines of a paragraph from baseline y at x; returns the baseline of the next
 * paragraph. */
static double lo_para(pdfgen_t *g, double x, double y, const char *const *lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pdfgen_text(g, x, y + LO_PITCH * (double)i, PDFGEN_SERIF, LO_BODY, lines[i]);
    return y + LO_PITCH * (double)(n - 1) + LO_GAP;
}

/* The rule over the notes of a page and note num's raised number at baseline y; returns
 * the x where its text starts. */
static double lo_note(pdfgen_t *g, double y, const char *num)
{
    return sup(g, LO_LEFT, y, LO_BODY, num) + 1;
}

/* Page 1: two paragraphs with markers, the rule, two notes at body size (the second one's
 * second line starts with a number), the footer "1 / 2". Page 2: one paragraph. */
static doc_t lo_notes(void)
{
    pdfgen_t *g = gen_new();
    lo_furniture(g, 1, 2);
    static const char *const p1[] = {
        "Professionals who work in contact with children are often the first to",
        "notice signs of sexual abuse, as the Committee recalled in its opinion."};
    static const char *const p2[] = {
        "The replies show that this is not yet the case in every Party, and the",
        "Committee requires the Parties to report on the measures they take."};
    double y = lo_para(g, LO_LEFT, 86, p1, 2);
    sup(g, LO_LEFT + pdfgen_width(g, PDFGEN_SERIF, LO_BODY, p1[1]), 86 + LO_PITCH, LO_BODY, "1");
    lo_para(g, LO_LEFT, y, p2, 2);
    sup(g, LO_LEFT + pdfgen_width(g, PDFGEN_SERIF, LO_BODY, p2[1]), y + LO_PITCH, LO_BODY, "2");
    pdfgen_rule(g, LO_LEFT, 215, 728);
    double x = lo_note(g, 744, "1");
    pdfgen_text(g, x, 744, PDFGEN_SERIF, LO_BODY,
                "See Rule 30 of the Rules of Procedure of the Committee.");
    x = lo_note(g, 768, "2");
    pdfgen_text(g, x, 768, PDFGEN_SERIF, LO_BODY,
                "Recommendation III-3. See also the Committee's opinion on Article 23 of");
    pdfgen_text(g, LO_LEFT, 782, PDFGEN_SERIF, LO_BODY, "17 June 2015.");
    pdfgen_next_page(g);
    lo_furniture(g, 2, 2);
    static const char *const p3[] = {"The Committee will come back to these questions."};
    lo_para(g, LO_LEFT, 86, p3, 1);
    return gen_finish(g);
}

/* clang-format off */
static const want_t lo_notes_blocks[] = {
    {P, 1, 0, TOP, "", 0, {0}, "T-ES(2024)05_en"},
    {P, 1, 0, 0, "", 1, {1},
     "Professionals who work in contact with children are often the first to notice signs of "
     "sexual abuse, as the Committee recalled in its opinion."},
    {P, 1, 0, BLANK, "", 1, {2},
     "The replies show that this is not yet the case in every Party, and the Committee requires "
     "the Parties to report on the measures they take."},
    /* notes at body size, under the rule (no text), by their raised numbers that the text
     * above refers to */
    {F, 1, 0, 0, "1", 0, {0}, "See Rule 30 of the Rules of Procedure of the Committee."},
    /* a number written at the start of a line under note 2 is no note 17 */
    {F, 1, 0, 0, "2", 0, {0},
     "Recommendation III-3. See also the Committee's opinion on Article 23 of 17 June 2015."},
    /* "1 / 2" is the page number, not note 1 reading "/ 2" */
    {P, 1, 0, BOTTOM, "", 0, {0}, "1 / 2"},
    {BRK, 2, 0, 0, "", 0, {0}, ""},
    {P, 2, 0, TOP, "", 0, {0}, "T-ES(2024)05_en"},
    {P, 2, 0, 0, "", 0, {0}, "The Committee will come back to these questions."},
    {P, 2, 0, BOTTOM, "", 0, {0}, "2 / 2"},
};
/* clang-format on */

static void test_lo_notes(void **state)
{
    (void)state;
    doc_t d = lo_notes();
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    read_ok("notes.pdf", &d, &bs);
    expect_blocks(&bs, lo_notes_blocks, sizeof lo_notes_blocks / sizeof lo_notes_blocks[0]);
    lzs_blocks_clear(&bs);
    free(d.pdf);
}

/* Runs the layout stage (lib/extract/layout.c) on bs with the project's data. */
static void layout_clean(lzs_blocks_t *bs)
{
    assert_int_equal(lzs_layout_clean(ex, bs), LZS_OK);
}

/* Three pages: a paragraph that page 1 breaks after "should be", with a note under it, goes
 * on in lower case on page 2; one that page 2 breaks after "implementing the" goes on with
 * a capital on page 3. */
static doc_t lo_across(void)
{
    pdfgen_t *g = gen_new();
    lo_furniture(g, 1, 3);
    static const char *const a[] = {
        "The Committee recalled its opinion of 12 May 2017 on the applicability of",
        "the Convention to offences facilitated through the use of ICTs.",
    };
    static const char *const b[] = {
        "The Lanzarote Committee believes that the Convention is a living",
        "instrument, and that the dangers that are still to appear should be",
    };
    double y = lo_para(g, LO_LEFT, 86, a, 2);
    y = lo_para(g, LO_LEFT, 660, b, 2);
    (void)y;
    sup(g, LO_LEFT + pdfgen_width(g, PDFGEN_SERIF, LO_BODY, b[0]), 660, LO_BODY, "1");
    pdfgen_rule(g, LO_LEFT, 215, 728);
    double x = lo_note(g, 768, "1");
    pdfgen_text(g, x, 768, PDFGEN_SERIF, LO_BODY, "Opinion adopted on 12 May 2017.");
    pdfgen_next_page(g);
    lo_furniture(g, 2, 3);
    static const char *const c[] = {"considered too, as those known when it was drafted."};
    static const char *const e[] = {
        "This factsheet was prepared by the Secretariat as a practical tool to",
        "identify the difficulties that the Parties met in implementing the",
    };
    y = lo_para(g, LO_LEFT, 86, c, 1);
    lo_para(g, LO_LEFT, 760, e, 2);
    pdfgen_next_page(g);
    lo_furniture(g, 3, 3);
    static const char *const f[] = {"Convention. It does not include later information."};
    lo_para(g, LO_LEFT, 86, f, 1);
    return gen_finish(g);
}

/* clang-format off */
static const want_t lo_across_blocks[] = {
    {P, 1, 0, TOP, "", 0, {0}, "T-ES(2024)05_en"},
    {P, 1, 0, 0, "", 0, {0},
     "The Committee recalled its opinion of 12 May 2017 on the applicability of the Convention "
     "to offences facilitated through the use of ICTs."},
    {P, 1, 0, BLANK, "", 1, {1},
     "The Lanzarote Committee believes that the Convention is a living instrument, and that "
     "the dangers that are still to appear should be"},
    {F, 1, 0, 0, "1", 0, {0}, "Opinion adopted on 12 May 2017."},
    {P, 1, 0, BOTTOM, "", 0, {0}, "1 / 3"},
    {BRK, 2, 0, 0, "", 0, {0}, ""},
    {P, 2, 0, TOP, "", 0, {0}, "T-ES(2024)05_en"},
    {P, 2, 0, 0, "", 0, {0}, "considered too, as those known when it was drafted."},
    {P, 2, 0, BLANK, "", 0, {0},
     "This factsheet was prepared by the Secretariat as a practical tool to identify the "
     "difficulties that the Parties met in implementing the"},
    {P, 2, 0, BOTTOM, "", 0, {0}, "2 / 3"},
    {BRK, 3, 0, 0, "", 0, {0}, ""},
    {P, 3, 0, TOP, "", 0, {0}, "T-ES(2024)05_en"},
    {P, 3, 0, 0, "", 0, {0}, "Convention. It does not include later information."},
    {P, 3, 0, BOTTOM, "", 0, {0}, "3 / 3"},
};

/* after the layout stage: no furniture, each paragraph whole, the note where it was */
static const want_t lo_across_clean[] = {
    {P, 1, 0, 0, "", 0, {0},
     "The Committee recalled its opinion of 12 May 2017 on the applicability of the Convention "
     "to offences facilitated through the use of ICTs."},
    {P, 1, 0, BLANK, "", 1, {1},
     "The Lanzarote Committee believes that the Convention is a living instrument, and that "
     "the dangers that are still to appear should be considered too, as those known when it "
     "was drafted."},
    {F, 1, 0, 0, "1", 0, {0}, "Opinion adopted on 12 May 2017."},
    {P, 2, 0, BLANK, "", 0, {0},
     "This factsheet was prepared by the Secretariat as a practical tool to identify the "
     "difficulties that the Parties met in implementing the Convention. It does not include "
     "later information."},
};
/* clang-format on */

static void test_lo_across_pages(void **state)
{
    (void)state;
    doc_t d = lo_across();
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    read_ok("across.pdf", &d, &bs);
    expect_blocks(&bs, lo_across_blocks, sizeof lo_across_blocks / sizeof lo_across_blocks[0]);
    layout_clean(&bs);
    expect_blocks(&bs, lo_across_clean, sizeof lo_across_clean / sizeof lo_across_clean[0]);
    lzs_blocks_clear(&bs);
    free(d.pdf);
}

/* Words, ranges and web addresses that a line end breaks. */
static doc_t lo_breaks(void)
{
    pdfgen_t *g = gen_new();
    lo_furniture(g, 1, 1);
    static const char *const a[] = {
        "The Committee met representatives of civil society and of faith-",
        "based organisations in Strasbourg on 11-",
        "14 March 2024, and discussed the protec-",
        "tion of children with them.",
    };
    static const char *const b[] = {
        "See at: https://rm.coe.int/guidelines-to-respect-protect-and-fulfil-the-",
        "rights-of-the-child-in-th/16808d881a",
    };
    static const char *const c[] = {
        "https://www.coe.int/en/web/children/lanzarote-committee#",
        "%2212441908%22:[2]",
    };
    double y = lo_para(g, LO_LEFT, 86, a, 4);
    y = lo_para(g, LO_LEFT, y, b, 2);
    lo_para(g, LO_LEFT, y, c, 2);
    return gen_finish(g);
}

/* clang-format off */
static const want_t lo_breaks_blocks[] = {
    {P, 1, 0, TOP, "", 0, {0}, "T-ES(2024)05_en"},
    /* a hyphen between a letter or digit and the next line's letter or digit is U+00AD */
    {P, 1, 0, 0, "", 0, {0},
     "The Committee met representatives of civil society and of faith\u00ADbased organisations "
     "in Strasbourg on 11\u00AD14 March 2024, and discussed the protec\u00ADtion of children "
     "with them."},
    {P, 1, 0, BLANK, "", 0, {0},
     "See at: https://rm.coe.int/guidelines-to-respect-protect-and-fulfil-the\u00ADrights-of-the-"
     "child-in-th/16808d881a"},
    /* an address too long for its line goes on, without a space, with more of it */
    {P, 1, 0, BLANK, "", 0, {0},
     "https://www.coe.int/en/web/children/lanzarote-committee#%2212441908%22:[2]"},
    {P, 1, 0, BOTTOM, "", 0, {0}, "1 / 1"},
};

/* after the layout stage: the hyphens of hyphens.tsv, of ranges and of chains of words kept */
static const want_t lo_breaks_clean[] = {
    /* on a single page the code repeats nowhere: no furniture the layout stage can tell */
    {P, 1, 0, TOP, "", 0, {0}, "T-ES(2024)05_en"},
    {P, 1, 0, 0, "", 0, {0},
     "The Committee met representatives of civil society and of faith-based organisations in "
     "Strasbourg on 11-14 March 2024, and discussed the protection of children with them."},
    {P, 1, 0, BLANK, "", 0, {0},
     "See at: https://rm.coe.int/guidelines-to-respect-protect-and-fulfil-the-rights-of-the-"
     "child-in-th/16808d881a"},
    {P, 1, 0, BLANK, "", 0, {0},
     "https://www.coe.int/en/web/children/lanzarote-committee#%2212441908%22:[2]"},
};
/* clang-format on */

static void test_lo_line_ends(void **state)
{
    (void)state;
    doc_t d = lo_breaks();
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    read_ok("breaks.pdf", &d, &bs);
    expect_blocks(&bs, lo_breaks_blocks, sizeof lo_breaks_blocks / sizeof lo_breaks_blocks[0]);
    layout_clean(&bs);
    expect_blocks(&bs, lo_breaks_clean, sizeof lo_breaks_clean / sizeof lo_breaks_clean[0]);
    lzs_blocks_clear(&bs);
    free(d.pdf);
}

/* A table of four columns between two paragraphs: the cells of its header row set at their
 * bottom, a cell of three lines, the rows set apart by the cells' padding. */
static doc_t lo_table(void)
{
    pdfgen_t *g = gen_new();
    lo_furniture(g, 1, 1);
    static const char *const a[] = {
        "The Parties organise reporting in three ways. The table below summarises",
        "the replies of three Parties.",
    };
    double y = lo_para(g, LO_LEFT, 86, a, 2) + 2;
    static const double cx[] = {71, 184.3, 297.7, 411.1};
    /* header: "Professions covered" and "Confidentiality lifted" over two lines */
    pdfgen_text(g, cx[2], y, PDFGEN_SERIF, LO_BODY, "Professions");
    pdfgen_text(g, cx[3], y, PDFGEN_SERIF, LO_BODY, "Confidentiality");
    y += LO_PITCH;
    static const char *const head[] = {"Party", "Duty to report", "covered", "lifted"};
    for (int k = 0; k < 4; k++)
        pdfgen_text(g, cx[k], y, PDFGEN_SERIF, LO_BODY, head[k]);
    y += 18.3;
    static const char *const austria[] = {"Austria", "yes", "health,", "yes"};
    for (int k = 0; k < 4; k++)
        pdfgen_text(g, cx[k], y, PDFGEN_SERIF, LO_BODY, austria[k]);
    pdfgen_text(g, cx[2], y + LO_PITCH, PDFGEN_SERIF, LO_BODY, "education, social");
    pdfgen_text(g, cx[2], y + 2 * LO_PITCH, PDFGEN_SERIF, LO_BODY, "work");
    y += 2 * LO_PITCH + 17.6;
    static const char *const serbia[] = {"Serbia", "no", "none", "no"};
    for (int k = 0; k < 4; k++)
        pdfgen_text(g, cx[k], y, PDFGEN_SERIF, LO_BODY, serbia[k]);
    static const char *const b[] = {
        "Where no duty exists, professionals hesitate to report for fear of",
        "disciplinary proceedings.",
    };
    lo_para(g, LO_LEFT, y + 25, b, 2);
    return gen_finish(g);
}

#define C LZS_BLOCK_TABLE_CELL

/* clang-format off */
static const want_t lo_table_blocks[] = {
    {P, 1, 0, TOP, "", 0, {0}, "T-ES(2024)05_en"},
    {P, 1, 0, 0, "", 0, {0},
     "The Parties organise reporting in three ways. The table below summarises the replies of "
     "three Parties."},
    /* row by row, each cell whole */
    {C, 1, 0, 0, "", 0, {0}, "Party"},
    {C, 1, 0, 0, "", 0, {0}, "Duty to report"},
    {C, 1, 0, 0, "", 0, {0}, "Professions covered"},
    {C, 1, 0, 0, "", 0, {0}, "Confidentiality lifted"},
    {C, 1, 0, 0, "", 0, {0}, "Austria"},
    {C, 1, 0, 0, "", 0, {0}, "yes"},
    {C, 1, 0, 0, "", 0, {0}, "health, education, social work"},
    {C, 1, 0, 0, "", 0, {0}, "yes"},
    {C, 1, 0, 0, "", 0, {0}, "Serbia"},
    {C, 1, 0, 0, "", 0, {0}, "no"},
    {C, 1, 0, 0, "", 0, {0}, "none"},
    {C, 1, 0, 0, "", 0, {0}, "no"},
    {P, 1, 0, 0, "", 0, {0},
     "Where no duty exists, professionals hesitate to report for fear of disciplinary "
     "proceedings."},
    {P, 1, 0, BOTTOM, "", 0, {0}, "1 / 1"},
};
/* clang-format on */

static void test_lo_table(void **state)
{
    (void)state;
    doc_t d = lo_table();
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    read_ok("table.pdf", &d, &bs);
    expect_blocks(&bs, lo_table_blocks, sizeof lo_table_blocks / sizeof lo_table_blocks[0]);
    /* each cell's row and column, 1-based */
    for (unsigned i = 0; i < 12; i++) {
        const lzs_block_t *b = &bs.v[2 + i];
        if (b->row != i / 4 + 1 || b->col != i % 4 + 1)
            fail_msg("cell '%s' is at row %u column %u, expected row %u column %u", b->text, b->row,
                     b->col, i / 4 + 1, i % 4 + 1);
    }
    lzs_blocks_clear(&bs);
    free(d.pdf);
}

/* Headings in a font of their own (one that ends with a colon), a bold line of the body
 * font, bold words going on over a line end, a lettered list with a hanging indent, a line
 * that starts with "v." of a case name. */
static doc_t lo_styles(void)
{
    pdfgen_t *g = gen_new();
    lo_furniture(g, 1, 1);
    pdfgen_text(g, LO_LEFT, 90, PDFGEN_SANS_BOLD, 14, "Findings");
    pdfgen_text(g, LO_LEFT, 114, PDFGEN_SANS_BOLD, LO_BODY,
                "Conclusions of the Committee drawn from its monitoring on:");
    pdfgen_text(g, LO_LEFT, 137, PDFGEN_SERIF_BOLD, LO_BODY, "The protection of children online");
    double x =
        pdfgen_text(g, LO_LEFT, 160, PDFGEN_SERIF, LO_BODY, "The Committee believes that the ");
    pdfgen_text(g, x, 160, PDFGEN_SERIF_BOLD, LO_BODY, "Convention should be considered");
    pdfgen_text(g, LO_LEFT, 174, PDFGEN_SERIF_BOLD, LO_BODY, "a living instrument.");
    static const char *const intro[] = {"The Parties shall co-operate for the purpose of:"};
    double y = lo_para(g, LO_LEFT, 197, intro, 1);
    static const char *const items[][2] = {
        {"preventing and combating sexual exploitation and sexual", "abuse of children;"},
        {"protecting and providing assistance to victims;", NULL},
    };
    for (int i = 0; i < 2; i++) {
        pdfgen_text(g, 119, y, PDFGEN_SERIF, LO_BODY, i == 0 ? "a." : "b.");
        pdfgen_text(g, 143, y, PDFGEN_SERIF, LO_BODY, items[i][0]);
        if (items[i][1] != NULL) {
            y += LO_PITCH;
            pdfgen_text(g, 143, y, PDFGEN_SERIF, LO_BODY, items[i][1]);
        }
        y += LO_PITCH; /* no space between the items */
    }
    static const char *const court[] = {"The Court found a violation of the Convention in M.C.",
                                        "v. Bulgaria (2003), and in later cases."};
    lo_para(g, LO_LEFT, y + LO_GAP - LO_PITCH, court, 2);
    return gen_finish(g);
}

/* clang-format off */
static const want_t lo_styles_blocks[] = {
    {P, 1, 0, TOP, "", 0, {0}, "T-ES(2024)05_en"},
    /* levels: larger first, then bold at body size in the heading font, then in the body's */
    {H, 1, 1, BOLD, "", 0, {0}, "Findings"},
    {H, 1, 2, BOLD | BLANK, "", 0, {0}, "Conclusions of the Committee drawn from its monitoring on:"},
    {H, 1, 3, BOLD | BLANK, "", 0, {0}, "The protection of children online"},
    /* bold from the end of one line to the start of the next: one paragraph */
    {P, 1, 0, BLANK, "", 0, {0},
     "The Committee believes that the Convention should be considered a living instrument."},
    {P, 1, 0, BLANK, "", 0, {0}, "The Parties shall co-operate for the purpose of:"},
    /* "a." with a tab after it is a label: its second line starts where its text starts,
     * and the next label starts the next item */
    {P, 1, 0, BLANK, "", 0, {0},
     "a. preventing and combating sexual exploitation and sexual abuse of children;"},
    {P, 1, 0, 0, "", 0, {0}, "b. protecting and providing assistance to victims;"},
    /* "v." followed by a space only is no label */
    {P, 1, 0, BLANK, "", 0, {0},
     "The Court found a violation of the Convention in M.C. v. Bulgaria (2003), and in later "
     "cases."},
    {P, 1, 0, BOTTOM, "", 0, {0}, "1 / 1"},
};
/* clang-format on */

static void test_lo_styles(void **state)
{
    (void)state;
    doc_t d = lo_styles();
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    read_ok("styles.pdf", &d, &bs);
    expect_blocks(&bs, lo_styles_blocks, sizeof lo_styles_blocks / sizeof lo_styles_blocks[0]);
    lzs_blocks_clear(&bs);
    free(d.pdf);
}

/* ---- bad input ------------------------------------------------------------------------- */

static void test_scan(void **state)
{
    (void)state;
    pdfgen_t *g = gen_new();
    pdfgen_image(g, 50, 50, 495, 742);
    pdfgen_next_page(g);
    pdfgen_image(g, 50, 50, 495, 742);
    doc_t d = gen_finish(g);
    expect_error("scan.pdf", &d, LZS_ERR_PARSE, "scan.pdf: no text layer; OCR is not supported");
    free(d.pdf);
}

static void test_not_a_pdf(void **state)
{
    (void)state;
    doc_t text = {(char *)"Just some text, not a PDF at all.\n", 34};
    expect_error("notes.pdf", &text, LZS_ERR_PARSE,
                 "notes.pdf: not a readable PDF (PDF document is damaged)");
    doc_t garbage = {(char *)"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ngarbage", 58};
    expect_error("garbage.pdf", &garbage, LZS_ERR_PARSE,
                 "garbage.pdf: not a readable PDF (PDF document is damaged)");
    doc_t empty = {(char *)"", 0};
    expect_error("empty.pdf", &empty, LZS_ERR_PARSE, "empty.pdf: not a readable PDF (empty file)");
}

/* The reader tells page numbers by the data's page words: without an extractor it refuses
 * with a message instead of reading a null one. */
static void test_needs_extractor(void **state)
{
    (void)state;
    doc_t text = {(char *)"%PDF-1.4\n", 9};
    lzs_blocks_t bs = {0};
    char *err = NULL;
    assert_int_equal(lzs_read_pdf(NULL, "a.pdf", text.pdf, text.len, &bs, &err), LZS_ERR_INVALID);
    assert_string_equal(err, "a.pdf: the PDF reader needs the extractor's data");
    assert_int_equal(bs.n, 0);
    free(err);
}

/* A PDF cut in the middle (an interrupted download): cairo writes the page tree last. */
static void test_truncated(void **state)
{
    (void)state;
    doc_t d = report();
    doc_t half = {d.pdf, d.len / 2};
    expect_error("cut.pdf", &half, LZS_ERR_PARSE,
                 "cut.pdf: not a readable PDF (PDF document is damaged)");
    free(d.pdf);
}

static void test_encrypted(void **state)
{
    (void)state;
    doc_t d = load(BAD_DIR "/encrypted.pdf");
    expect_error("encrypted.pdf", &d, LZS_ERR_UNSUPPORTED,
                 "encrypted.pdf: encrypted PDF (password protected); not supported");
    free(d.pdf);
}

/* More pages than LZS_PDF_MAX_PAGES (10,000) is refused before any page is read. */
static void test_too_many_pages(void **state)
{
    (void)state;
    pdfgen_t *g = gen_new();
    for (int i = 0; i < 10000; i++)
        pdfgen_next_page(g);
    /* cairo leaves out a last page with nothing on it */
    pdfgen_text(g, 72, 100, PDFGEN_SERIF, BODY, "The last page.");
    doc_t d = gen_finish(g);
    expect_error("huge.pdf", &d, LZS_ERR_LIMIT,
                 "huge.pdf: too many pages (10001; the limit is 10000)");
    free(d.pdf);
}

/* ---- size ------------------------------------------------------------------------------ */

/* 2,000 pages: a page break before each page after the first, every page's text on its page. */
static void test_many_pages(void **state)
{
    (void)state;
    enum { PAGES = 2000 };
    pdfgen_t *g = gen_new();
    for (int i = 1; i <= PAGES; i++) {
        char line[64];
        snprintf(line, sizeof line, "This is the text of page %d of the document.", i);
        pdfgen_text(g, 72, 400, PDFGEN_SERIF, BODY, line);
        if (i < PAGES)
            pdfgen_next_page(g);
    }
    doc_t d = gen_finish(g);
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    read_ok("long.pdf", &d, &bs);
    assert_int_equal(bs.npages, PAGES);
    assert_int_equal(bs.n, 2 * PAGES - 1);
    for (unsigned i = 1; i <= PAGES; i++) {
        const lzs_block_t *b = &bs.v[2 * (i - 1)];
        char line[64];
        snprintf(line, sizeof line, "This is the text of page %u of the document.", i);
        assert_int_equal(b->kind, LZS_BLOCK_PARAGRAPH);
        assert_int_equal(b->page, i);
        assert_string_equal(b->text, line);
        if (i > 1) {
            assert_int_equal(bs.v[2 * (i - 1) - 1].kind, LZS_BLOCK_PAGE_BREAK);
            assert_int_equal(bs.v[2 * (i - 1) - 1].page, i);
        }
    }
    lzs_blocks_clear(&bs);
    free(d.pdf);
}

/* One page of 100,000 glyphs (200 lines of 500 letters): every glyph read, in order.
 * (poppler keeps at most 50,000 glyphs narrower than 3 points on a page: the letters are
 * set at 8 points, where only i, j and l are that narrow.) */
static void test_dense_page(void **state)
{
    (void)state;
    enum { LINES = 200, PER_LINE = 500 };
    char *g_err = NULL;
    pdfgen_t *g = pdfgen_new(2500, 2100, &g_err);
    assert_non_null(g);
    size_t cap = (size_t)LINES * (PER_LINE + 1) + 1, n = 0;
    char *want = malloc(cap);
    assert_non_null(want);
    char line[PER_LINE + 1];
    for (int r = 0; r < LINES; r++) {
        for (int k = 0; k < PER_LINE; k++)
            line[k] = (char)('a' + (r + k) % 26);
        line[PER_LINE] = '\0';
        pdfgen_text(g, 20, 40 + 10 * r, PDFGEN_SANS, 8, line);
        if (r > 0)
            want[n++] = ' ';
        memcpy(want + n, line, PER_LINE);
        n += PER_LINE;
    }
    want[n] = '\0';
    doc_t d = gen_finish(g);
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    read_ok("dense.pdf", &d, &bs);
    assert_int_equal(bs.n, 1);
    assert_int_equal(bs.v[0].len, n);
    assert_string_equal(bs.v[0].text, want);
    lzs_blocks_clear(&bs);
    free(want);
    free(d.pdf);
}

/* ---- threads --------------------------------------------------------------------------- */

typedef struct {
    const doc_t *doc;
    const char *expected;
    int failures;
} thread_arg_t;

static void *read_in_thread(void *p)
{
    thread_arg_t *a = p;
    for (int i = 0; i < 3; i++) {
        lzs_blocks_t bs;
        memset(&bs, 0, sizeof bs);
        char *err = NULL;
        if (lzs_read_pdf(ex, "report.pdf", a->doc->pdf, a->doc->len, &bs, &err) != LZS_OK) {
            a->failures++;
        } else {
            char *s = dump(&bs);
            a->failures += strcmp(s, a->expected) != 0;
            free(s);
        }
        free(err);
        lzs_blocks_clear(&bs);
    }
    return NULL;
}

/* Several indexer threads read PDFs at once: each gets what one thread alone gets. */
static void test_threads(void **state)
{
    (void)state;
    enum { THREADS = 4 };
    doc_t d = report();
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    read_ok("report.pdf", &d, &bs);
    char *expected = dump(&bs);
    lzs_blocks_clear(&bs);
    pthread_t t[THREADS];
    thread_arg_t args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (thread_arg_t){&d, expected, 0};
        assert_int_equal(pthread_create(&t[i], NULL, read_in_thread, &args[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(args[i].failures, 0);
    }
    free(expected);
    free(d.pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report),          cmocka_unit_test(test_appends),
        cmocka_unit_test(test_turned_pages),    cmocka_unit_test(test_libreoffice),
        cmocka_unit_test(test_lo_notes),        cmocka_unit_test(test_lo_across_pages),
        cmocka_unit_test(test_lo_line_ends),    cmocka_unit_test(test_lo_table),
        cmocka_unit_test(test_lo_styles),       cmocka_unit_test(test_scan),
        cmocka_unit_test(test_needs_extractor), cmocka_unit_test(test_not_a_pdf),
        cmocka_unit_test(test_truncated),       cmocka_unit_test(test_encrypted),
        cmocka_unit_test(test_too_many_pages),  cmocka_unit_test(test_many_pages),
        cmocka_unit_test(test_dense_page),      cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, testdata_setup, testdata_teardown);
}
