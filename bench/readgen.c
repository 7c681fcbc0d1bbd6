/* readgen.c — the documents lzs-bench-read generates (see readgen.h), each in the
 * Committee's layout and with what makes its format's reader work:
 *
 *   pdf          a report laid out by tests/pdf/pdfgen (cairo): a running header,
 *                numbered paragraphs wrapped over one column, a footnote, a page number
 *   pdf-dense    pages of 100,000 glyphs each (200 lines of 500)
 *   pdf-stacked  one page of n glyphs drawn on one spot, where poppler's own text
 *                analysis (its removal of duplicated text) grows faster than n^2
 *   docx         a list of decisions: agenda headings numbered by their style, decision
 *                paragraphs numbered by automatic numbering across lists that continue
 *                one another, a footnote every fifth decision, tracked changes every
 *                seventh, a table every fiftieth, a header and a footer with a field
 *   odt          the same list: headings, one numbered list continued across the agenda
 *                items and the tables, notes, a header and a footer with a page number
 *   html         the same list as a coe.int page: cookie banner, site header, navigation,
 *                breadcrumbs, related news and footer around the article; agenda headings,
 *                numbered lists continued with start=, lettered sub-lists, footnote
 *                references linked to notes written as "<sup>N</sup> text" at the end,
 *                tables with a caption and a colspan, scripts and hidden elements
 *
 * Text goes through open_memstream(), so a generator is a sequence of fprintf() calls
 * checked once at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lzs/file.h"
#include "pdfgen.h"
#include "readgen.h"
#include "zipbuild.h"

/* The document code on every page (a running header, a Word header, a line of the page). */
#define PAGE_CODE "T-ES(2019)07_en final"

/* ---- text written into memory -------------------------------------------------------- */

typedef struct {
    FILE *f;
    char *buf;
    size_t len;
} mem_t;

static int mem_open(mem_t *m, char **errmsg)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    if (m->f == NULL) {
        lzs_set_errmsg(errmsg, "cannot open a memory stream: out of memory");
        return -1;
    }
    return 0;
}

/* Ends the stream: m->buf (caller frees with free()) holds what was written. A write that
 * failed on the way (out of memory) makes it -1, with m->buf freed. */
static int mem_close(mem_t *m, const char *what, char **errmsg)
{
    int failed = ferror(m->f);
    if (fclose(m->f) != 0)
        failed = 1;
    m->f = NULL;
    if (failed) {
        free(m->buf);
        m->buf = NULL;
        lzs_set_errmsg(errmsg, "%s: out of memory", what);
        return -1;
    }
    return 0;
}

/* Hands a finished stream out as a generator's result. */
static int mem_take(mem_t *m, const char *what, char **out, size_t *len, char **errmsg)
{
    if (mem_close(m, what, errmsg) != 0)
        return -1;
    *out = m->buf;
    *len = m->len;
    return 0;
}

/* ---- PDF ------------------------------------------------------------------------------- */

/* A report-like page: a running header, numbered paragraphs of body text, a footnote, a
 * page number. */
static void report_page(pdfgen_t *g, int page, int npages)
{
    static const char *const text =
        "The Committee requires the Parties to ensure that child-friendly interviews are "
        "carried out in premises designed or adapted for this purpose, in line with Article 35 "
        "of the Convention, and invites them to share their promising practices with the "
        "other Parties.";
    char num[32];
    pdfgen_text(g, 430, 40, PDFGEN_SERIF, 9, PAGE_CODE);
    double y = 90;
    for (int k = 1; y < 720; k++) {
        snprintf(num, sizeof num, "%d.", k);
        pdfgen_text(g, 72, y, PDFGEN_SERIF, 11, num);
        y = pdfgen_wrap(g, 100, y, 423, PDFGEN_SERIF, 11, 14, text) + 6;
    }
    pdfgen_text(g, 72, 770, PDFGEN_SERIF, 9, "1 Recommendation V-17.");
    snprintf(num, sizeof num, "%d/%d", page, npages);
    pdfgen_text(g, 290, 810, PDFGEN_SERIF, 9, num);
}

static void dense_page(pdfgen_t *g, int page, int npages)
{
    (void)page;
    (void)npages;
    char line[501];
    for (int r = 0; r < 200; r++) {
        for (int k = 0; k < 500; k++)
            line[k] = (char)('a' + (r + k) % 26);
        line[500] = '\0';
        pdfgen_text(g, 20, 40 + 10 * r, PDFGEN_SANS, 8, line);
    }
}

static void stacked_page(pdfgen_t *g, int n)
{
    char s[2] = {0, 0};
    for (int i = 0; i < n; i++) {
        s[0] = (char)('a' + i % 26);
        pdfgen_text(g, 100, 100, PDFGEN_SANS, 8, s);
    }
}

static int pdf_finish(pdfgen_t *g, char **out, size_t *len, char **errmsg)
{
    if (pdfgen_finish(g, out, len, errmsg) != 0) {
        *out = NULL;
        return -1;
    }
    return 0;
}

/* A document of n pages of w x h points, each drawn by draw. */
static int pdf_pages(double w, double h, int n, void (*draw)(pdfgen_t *g, int page, int npages),
                     char **out, size_t *len, char **errmsg)
{
    pdfgen_t *g = pdfgen_new(w, h, errmsg);
    if (g == NULL)
        return -1;
    for (int p = 1; p <= n; p++) {
        draw(g, p, n);
        if (p < n)
            pdfgen_next_page(g);
    }
    return pdf_finish(g, out, len, errmsg);
}

static int gen_pdf_report(int n, char **out, size_t *len, char **errmsg)
{
    return pdf_pages(595, 842, n, report_page, out, len, errmsg);
}

static int gen_pdf_dense(int n, char **out, size_t *len, char **errmsg)
{
    return pdf_pages(2500, 2100, n, dense_page, out, len, errmsg);
}

static int gen_pdf_stacked(int n, char **out, size_t *len, char **errmsg)
{
    pdfgen_t *g = pdfgen_new(595, 842, errmsg);
    if (g == NULL)
        return -1;
    stacked_page(g, n);
    return pdf_finish(g, out, len, errmsg);
}

/* ---- a list of decisions --------------------------------------------------------------- */

/* What the three lists of decisions share: their sentences, and where their agenda items,
 * footnotes, tracked changes and tables fall. */
static const char *const sentences[] = {
    "The Committee requested the Parties to report on the measures taken to protect "
    "children against sexual exploitation and sexual abuse in the circle of trust",
    "It invited the Secretariat to prepare a compilation of the replies received from "
    "Andorra, Ukraine and the other Parties before its next meeting",
    "The Committee decided to adopt the implementation report on the protection of "
    "children affected by the refugee crisis, as amended during the meeting",
    "It urged the Parties to ensure that child victims have access to the assistance "
    "foreseen by Article 14 of the Convention"};

#define DECISIONS_PER_ITEM 20 /* decision i opens agenda item i / 20 + 1 when i % 20 == 1 */
#define NOTE_EVERY 5          /* decision i carries footnote i / 5 */
#define CHANGE_EVERY 7        /* tracked changes (DOCX), inline markup (HTML) */
#define TABLE_EVERY 50        /* a table of replies follows decision i */
#define TABLE_ROWS 4
#define TABLE_COLS 3

static const char *sentence(int i)
{
    return sentences[i % 4];
}

static int opens_item(int i)
{
    return i % DECISIONS_PER_ITEM == 1;
}

static int item_of(int i)
{
    return i / DECISIONS_PER_ITEM + 1;
}

/* The recommendation a decision's footnote cites: "V-%d". */
static int note_rec(int i)
{
    return i % 40 + 1;
}

/* How a format writes the table of replies that follows every fiftieth decision. */
typedef struct {
    const char *open, *row, *cell_open, *cell_close, *row_close, *close;
} table_markup_t;

static void write_table(FILE *f, const table_markup_t *m)
{
    fputs(m->open, f);
    for (int r = 0; r < TABLE_ROWS; r++) {
        fputs(m->row, f);
        for (int c = 0; c < TABLE_COLS; c++)
            fprintf(f, "%sParty %d, reply %d%s", m->cell_open, r, c, m->cell_close);
        fputs(m->row_close, f);
    }
    fputs(m->close, f);
}

/* ---- DOCX ------------------------------------------------------------------------------ */

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static const table_markup_t docx_table = {
    "<w:tbl>", "<w:tr>",  "<w:tc><w:p><w:r><w:t>", "</w:t></w:r></w:p></w:tc>",
    "</w:tr>", "</w:tbl>"};

static void docx_decision(FILE *f, int i)
{
    fprintf(f,
            "<w:p><w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='%d'/></w:numPr></w:pPr>"
            "<w:r><w:t xml:space='preserve'>%s</w:t></w:r>",
            1 + (i / 100) % 2, sentence(i));
    if (i % CHANGE_EVERY == 0)
        fprintf(f,
                "<w:del w:id='%d' w:author='x'><w:r><w:delText> not</w:delText></w:r>"
                "</w:del><w:ins w:id='%d' w:author='x'><w:r><w:t xml:space='preserve'>"
                " firmly</w:t></w:r></w:ins>",
                i * 2, i * 2 + 1);
    if (i % NOTE_EVERY == 0)
        fprintf(f, "<w:r><w:footnoteReference w:id='%d'/></w:r>", i);
    fputs("<w:r><w:t>.</w:t></w:r></w:p>", f);
    if (i % TABLE_EVERY == 0)
        write_table(f, &docx_table);
}

static int docx_document(int n, mem_t *doc, char **errmsg)
{
    if (mem_open(doc, errmsg) != 0)
        return -1;
    FILE *f = doc->f;
    fputs("<w:document xmlns:w='" W_NS "' xmlns:r='" R_NS "'><w:body>"
          "<w:p><w:pPr><w:pStyle w:val='Title'/></w:pPr><w:r><w:t>List of decisions"
          "</w:t></w:r></w:p>",
          f);
    for (int i = 1; i <= n; i++) {
        if (opens_item(i))
            fprintf(f,
                    "<w:p><w:pPr><w:pStyle w:val='Heading1'/></w:pPr><w:r><w:t>Agenda item %d"
                    "</w:t></w:r></w:p>",
                    item_of(i));
        docx_decision(f, i);
    }
    fputs("<w:sectPr><w:headerReference w:type='default' r:id='rId4'/>"
          "<w:footerReference w:type='default' r:id='rId5'/></w:sectPr></w:body></w:document>",
          f);
    return mem_close(doc, "word/document.xml", errmsg);
}

static int docx_footnotes(int n, mem_t *notes, char **errmsg)
{
    if (mem_open(notes, errmsg) != 0)
        return -1;
    FILE *f = notes->f;
    fputs("<w:footnotes xmlns:w='" W_NS "'><w:footnote w:type='separator' w:id='-1'>"
          "<w:p><w:r><w:separator/></w:r></w:p></w:footnote>",
          f);
    for (int i = NOTE_EVERY; i <= n; i += NOTE_EVERY)
        fprintf(f,
                "<w:footnote w:id='%d'><w:p><w:r><w:footnoteRef/></w:r><w:r>"
                "<w:t xml:space='preserve'> Recommendation V-%d.</w:t></w:r></w:p></w:footnote>",
                i, note_rec(i));
    fputs("</w:footnotes>", f);
    return mem_close(notes, "word/footnotes.xml", errmsg);
}

static int gen_docx(int n, char **out, size_t *len, char **errmsg)
{
    static const char styles[] =
        "<w:styles xmlns:w='" W_NS "'><w:style w:type='paragraph' w:styleId='Title'>"
        "<w:name w:val='Title'/></w:style><w:style w:type='paragraph' w:styleId='Heading1'>"
        "<w:name w:val='heading 1'/><w:pPr><w:numPr><w:numId w:val='3'/></w:numPr>"
        "<w:outlineLvl w:val='0'/></w:pPr></w:style></w:styles>";
    /* Decisions alternate every hundred between numIds 1 and 2, two instances of one
     * abstract list: Word continues the count across them. */
    static const char numbering[] =
        "<w:numbering xmlns:w='" W_NS "'><w:abstractNum w:abstractNumId='0'><w:lvl w:ilvl='0'>"
        "<w:start w:val='1'/><w:numFmt w:val='decimal'/><w:lvlText w:val='%1.'/></w:lvl>"
        "</w:abstractNum><w:abstractNum w:abstractNumId='1'><w:lvl w:ilvl='0'>"
        "<w:start w:val='1'/><w:numFmt w:val='upperRoman'/><w:lvlText w:val='%1.'/>"
        "</w:lvl></w:abstractNum><w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"
        "<w:num w:numId='2'><w:abstractNumId w:val='0'/></w:num>"
        "<w:num w:numId='3'><w:abstractNumId w:val='1'/></w:num></w:numbering>";
    static const char header[] =
        "<w:hdr xmlns:w='" W_NS "'><w:p><w:r><w:t>" PAGE_CODE "</w:t></w:r></w:p></w:hdr>";
    static const char footer[] =
        "<w:ftr xmlns:w='" W_NS "'><w:p><w:r><w:t xml:space='preserve'>Page </w:t></w:r>"
        "<w:fldSimple w:instr=' PAGE '><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>";
    static const char rels[] =
        "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
        "<Relationship Id='rId1' Type='" R_NS "/styles' Target='styles.xml'/>"
        "<Relationship Id='rId2' Type='" R_NS "/numbering' Target='numbering.xml'/>"
        "<Relationship Id='rId3' Type='" R_NS "/footnotes' Target='footnotes.xml'/>"
        "<Relationship Id='rId4' Type='" R_NS "/header' Target='header1.xml'/>"
        "<Relationship Id='rId5' Type='" R_NS "/footer' Target='footer1.xml'/>"
        "</Relationships>";
    mem_t doc, notes;
    if (docx_document(n, &doc, errmsg) != 0)
        return -1;
    if (docx_footnotes(n, &notes, errmsg) != 0) {
        free(doc.buf);
        return -1;
    }
    zb_member_t m[] = {{"word/_rels/document.xml.rels", rels, 0, 0},
                       {"word/document.xml", doc.buf, doc.len, 0},
                       {"word/styles.xml", styles, 0, 0},
                       {"word/numbering.xml", numbering, 0, 0},
                       {"word/footnotes.xml", notes.buf, notes.len, 0},
                       {"word/header1.xml", header, 0, 0},
                       {"word/footer1.xml", footer, 0, 0}};
    int rc = zb_build(m, sizeof m / sizeof m[0], out, len);
    free(doc.buf);
    free(notes.buf);
    if (rc != 0)
        lzs_set_errmsg(errmsg, "cannot build the DOCX package (libzip)");
    return rc;
}

/* ---- ODT ------------------------------------------------------------------------------- */

#define O_NS                                                                                       \
    " xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'"                             \
    " xmlns:style='urn:oasis:names:tc:opendocument:xmlns:style:1.0'"                               \
    " xmlns:text='urn:oasis:names:tc:opendocument:xmlns:text:1.0'"                                 \
    " xmlns:table='urn:oasis:names:tc:opendocument:xmlns:table:1.0'"

/* The table ends the list; a list that continues its numbering follows. */
static const table_markup_t odt_table = {
    "</text:list><table:table>",
    "<table:table-row>",
    "<table:table-cell><text:p>",
    "</text:p></table:table-cell>",
    "</table:table-row>",
    "</table:table><text:list text:style-name='L1' text:continue-numbering='true'>"};

static void odt_decision(FILE *f, int i)
{
    fprintf(f, "<text:list-item><text:p>%s", sentence(i));
    if (i % NOTE_EVERY == 0)
        fprintf(f,
                "<text:note text:note-class='footnote'><text:note-citation>%d"
                "</text:note-citation><text:note-body><text:p>Recommendation V-%d.</text:p>"
                "</text:note-body></text:note>",
                i / NOTE_EVERY, note_rec(i));
    fputs(".</text:p></text:list-item>", f);
    if (i % TABLE_EVERY == 0)
        write_table(f, &odt_table);
}

static int gen_odt(int n, char **out, size_t *len, char **errmsg)
{
    static const char styles[] =
        "<office:document-styles" O_NS "><office:master-styles><style:master-page"
        " style:name='Standard'><style:header><text:p>" PAGE_CODE "</text:p>"
        "</style:header><style:footer><text:p>Page <text:page-number>1</text:page-number>"
        "</text:p></style:footer></style:master-page></office:master-styles>"
        "</office:document-styles>";
    mem_t c;
    if (mem_open(&c, errmsg) != 0)
        return -1;
    FILE *f = c.f;
    fputs("<office:document-content" O_NS "><office:automatic-styles>"
          "<text:list-style style:name='L1'><text:list-level-style-number text:level='1'"
          " style:num-format='1' style:num-suffix='.'/></text:list-style>"
          "</office:automatic-styles><office:body><office:text>"
          "<text:p text:style-name='Title'>List of decisions</text:p>",
          f);
    for (int i = 1; i <= n; i++) {
        if (opens_item(i)) {
            if (i > 1)
                fputs("</text:list>", f);
            fprintf(f, "<text:h text:outline-level='1'>Agenda item %d</text:h>", item_of(i));
            fprintf(f, "<text:list text:style-name='L1'%s>",
                    i > 1 ? " text:continue-numbering='true'" : "");
        }
        odt_decision(f, i);
    }
    fputs("</text:list></office:text></office:body></office:document-content>", f);
    if (mem_close(&c, "content.xml", errmsg) != 0)
        return -1;
    zb_member_t m[] = {{"mimetype", "application/vnd.oasis.opendocument.text", 0, 1},
                       {"content.xml", c.buf, c.len, 0},
                       {"styles.xml", styles, 0, 0}};
    int rc = zb_build(m, sizeof m / sizeof m[0], out, len);
    free(c.buf);
    if (rc != 0)
        lzs_set_errmsg(errmsg, "cannot build the ODT package (libzip)");
    return rc;
}

/* ---- HTML ------------------------------------------------------------------------------ */

/* The site around the article, after coe.int's pages (tests/data/formats/html/coe_page.html):
 * the reader has to take the body apart, for there is no <main> or <article>. */
static const char html_head[] =
    "<!DOCTYPE html>\n<html class=\"ltr\" dir=\"ltr\" lang=\"en-GB\">\n<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<title>Lanzarote Committee: list of decisions - Children's Rights - www.coe.int</title>\n"
    "<meta name=\"description\" content=\"Decisions of the Lanzarote Committee\">\n"
    "<link rel=\"stylesheet\" href=\"/o/classic-theme/css/main.css\">\n"
    "<style>.cookie-banner { position: fixed; }</style>\n"
    "<script>window.dataLayer = window.dataLayer || [];</script>\n</head>\n"
    "<body class=\"controls-visible guest-site signed-out public-page site\">\n"
    "<div id=\"cookie-consent\" class=\"cookie-banner\">\n"
    "  <p>We use cookies to give you the best experience on our website.</p>\n"
    "  <button type=\"button\">Accept all cookies</button>\n</div>\n"
    "<a class=\"skip-link\" href=\"#main-content\">Skip to main content</a>\n"
    "<div class=\"container-fluid\" id=\"wrapper\">\n"
    "  <header id=\"banner\" role=\"banner\">\n"
    "    <div class=\"logo\"><a href=\"https://www.coe.int/en/web/portal/home\">"
    "<span>Council of Europe</span></a></div>\n"
    "    <h2 class=\"site-title\">Children's Rights</h2>\n"
    "    <form class=\"search-form\" action=\"/en/web/children/search\">"
    "<input type=\"text\" name=\"q\"><button>Search</button></form>\n  </header>\n"
    "  <nav class=\"main-navigation\" id=\"navigation\" role=\"navigation\">\n"
    "    <ul><li><a href=\"/en/web/children/home\">Home</a></li>"
    "<li><a href=\"/en/web/children/lanzarote-committee\">Lanzarote Committee</a></li></ul>\n"
    "  </nav>\n"
    "  <div class=\"breadcrumbs-wrapper\"><ol class=\"breadcrumb\"><li>Home</li>"
    "<li>Children's Rights</li><li>Lanzarote Committee</li></ol></div>\n"
    "  <div id=\"content\"><div class=\"portlet-body\">\n"
    "  <div class=\"journal-content-article\" id=\"main-content\">\n";

static const char html_tail[] =
    "  </div>\n  </div></div>\n"
    "  <aside class=\"related\"><h3>Related news</h3>"
    "<p>Lanzarote Committee meets in Strasbourg</p></aside>\n"
    "  <footer id=\"footer\" role=\"contentinfo\">\n"
    "    <p>&copy; Council of Europe 2024</p>\n"
    "    <ul class=\"footer-menu\"><li><a href=\"#\">Contact</a></li>"
    "<li><a href=\"#\">Disclaimer</a></li></ul>\n  </footer>\n</div>\n"
    "<noscript><p>Please enable JavaScript.</p></noscript>\n"
    "<script src=\"/o/frontend-js-web/liferay.js\"></script>\n</body>\n</html>\n";

/* An agenda item's heading, with the page's scripts and hidden elements beside it. */
static void html_item(FILE *f, int i)
{
    fprintf(f, "<h2>Agenda item %d</h2>\n", item_of(i));
    fprintf(f, "<script>trackRead(\"item-%d\");</script>\n", item_of(i));
    fputs("<p hidden>Internal note for editors.</p>\n"
          "<div style=\"display: none\">Print version</div>\n",
          f);
}

static const table_markup_t html_table = {
    "<table class=\"table\">\n<caption>Replies received</caption>\n"
    "<thead><tr><th>Party</th><th colspan=\"2\">Replies</th></tr></thead>\n<tbody>\n",
    "<tr>",
    "<td>",
    "</td>",
    "</tr>\n",
    "</tbody>\n</table>\n"};

static void html_decision(FILE *f, int i)
{
    fprintf(f, "<li>%s", sentence(i));
    if (i % CHANGE_EVERY == 0)
        fputs(", in inter&shy;national <b>co</b>-operation&nbsp;", f);
    if (i % NOTE_EVERY == 0)
        fprintf(f, "<sup><a href=\"#footnote-%d\">%d</a></sup>", i / NOTE_EVERY, i / NOTE_EVERY);
    if (i % 10 == 0)
        fputs(":\n<ol type=\"a\"><li>by the Parties;</li><li>by civil society.</li></ol>\n", f);
    else
        fputs(".", f);
    fputs("</li>\n", f);
}

static int gen_html(int n, char **out, size_t *len, char **errmsg)
{
    mem_t m;
    if (mem_open(&m, errmsg) != 0)
        return -1;
    FILE *f = m.f;
    fputs(html_head, f);
    fputs("<h1>List of decisions</h1>\n<p class=\"date\">Strasbourg&nbsp;10 March 2022</p>\n", f);
    fputs("<p>" PAGE_CODE "</p>\n", f);
    fputs("<div class=\"share-buttons\"><a href=\"#\">Share on Facebook</a> "
          "<a href=\"#\">Share on X</a></div>\n",
          f);
    /* A list runs from an agenda heading or a table to the next one; start= carries the
     * count over, as the decisions are numbered through the whole meeting. */
    int open = 0;
    for (int i = 1; i <= n; i++) {
        if (opens_item(i)) {
            if (open)
                fputs("</ol>\n", f);
            open = 0;
            html_item(f, i);
        }
        if (!open)
            fprintf(f, "<ol start=\"%d\">\n", i);
        open = 1;
        html_decision(f, i);
        if (i % TABLE_EVERY == 0) {
            fputs("</ol>\n", f);
            open = 0;
            write_table(f, &html_table);
        }
    }
    if (open)
        fputs("</ol>\n", f);
    fputs("<hr>\n", f);
    for (int i = NOTE_EVERY; i <= n; i += NOTE_EVERY)
        fprintf(f, "<p id=\"footnote-%d\"><sup>%d</sup> Recommendation V-%d.</p>\n", i / NOTE_EVERY,
                i / NOTE_EVERY, note_rec(i));
    fputs(html_tail, f);
    return mem_take(&m, "the HTML page", out, len, errmsg);
}

/* ---- the table --------------------------------------------------------------------------- */

static const readgen_t generators[] = {
    {"pdf", "pdf", "pages", 100000,
     "a report: running header, numbered paragraphs, a footnote, page numbers", gen_pdf_report},
    {"pdf-dense", "pdf", "pages", 1000, "pages of 100,000 glyphs (200 lines of 500)",
     gen_pdf_dense},
    {"pdf-stacked", "pdf", "glyphs", 10000000, "one page of n glyphs drawn on one spot",
     gen_pdf_stacked},
    {"docx", "docx", "decisions", 10000000,
     "a list of decisions: numbered headings and decisions, notes, changes, tables", gen_docx},
    {"odt", "odt", "decisions", 10000000,
     "a list of decisions: headings, a continued numbered list, notes, tables", gen_odt},
    {"html", "html", "decisions", 10000000,
     "a list of decisions on a coe.int page: site chrome, lists, notes, tables", gen_html},
};

const readgen_t *readgen_table(size_t *count)
{
    *count = sizeof generators / sizeof generators[0];
    return generators;
}

const readgen_t *readgen_find(const char *name)
{
    for (size_t i = 0; i < sizeof generators / sizeof generators[0]; i++)
        if (strcmp(generators[i].name, name) == 0)
            return &generators[i];
    return NULL;
}
