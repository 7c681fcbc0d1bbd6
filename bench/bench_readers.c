/* bench_readers.c — lzs-bench-readers: how fast the DOCX and ODT readers turn a list of
 * decisions into blocks, and the memory they take.
 *
 *   lzs-bench-readers [--decisions N] [--reps N]
 *
 * Writes, in memory, a DOCX and an ODT of N decisions (default 2,000) the way the
 * Committee's lists look: agenda headings numbered by their style, decision paragraphs
 * numbered by automatic numbering across lists that continue one another, a footnote
 * every fifth decision, a table every fiftieth, fields, tracked changes, a header and a
 * footer. Each is read --reps times (default 20). Printed per format: the package and
 * its XML size, the blocks read, the median and best time of one read, XML megabytes per
 * second, and the peak resident size of the process after that format's reads. A program
 * that prints figures, not a test: it never judges them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "extract/block.h"
#include "zipbuild.h"

typedef struct {
    char *s;
    size_t n, cap;
} buf_t;

__attribute__((format(printf, 2, 3))) static void add(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0)
        abort();
    if (b->n + (size_t)k + 1 > b->cap) {
        size_t c = b->cap ? b->cap * 2 : 4096;
        while (c < b->n + (size_t)k + 1)
            c *= 2;
        b->s = realloc(b->s, c);
        if (b->s == NULL)
            abort();
        b->cap = c;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

static const char *const sentences[] = {
    "The Committee requested the Parties to report on the measures taken to protect "
    "children against sexual exploitation and sexual abuse in the circle of trust",
    "It invited the Secretariat to prepare a compilation of the replies received from "
    "Andorra, Ukraine and the other Parties before its next meeting",
    "The Committee decided to adopt the implementation report on the protection of "
    "children affected by the refugee crisis, as amended during the meeting",
    "It urged the Parties to ensure that child victims have access to the assistance "
    "foreseen by Article 14 of the Convention"};

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static void make_docx(int n, char **zip, size_t *len, size_t *xml)
{
    buf_t doc = {0}, notes = {0};
    add(&doc, "<w:document xmlns:w='" W_NS "' xmlns:r='" R_NS "'><w:body>");
    add(&notes, "<w:footnotes xmlns:w='" W_NS "'><w:footnote w:type='separator' w:id='-1'>"
                "<w:p><w:r><w:separator/></w:r></w:p></w:footnote>");
    add(&doc, "<w:p><w:pPr><w:pStyle w:val='Title'/></w:pPr><w:r><w:t>List of decisions"
              "</w:t></w:r></w:p>");
    for (int i = 1; i <= n; i++) {
        if (i % 20 == 1)
            add(&doc,
                "<w:p><w:pPr><w:pStyle w:val='Heading1'/></w:pPr><w:r><w:t>Agenda item %d"
                "</w:t></w:r></w:p>",
                i / 20 + 1);
        add(&doc,
            "<w:p><w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='%d'/></w:numPr></w:pPr>"
            "<w:r><w:t xml:space='preserve'>%s</w:t></w:r>",
            1 + (i / 100) % 2, sentences[i % 4]);
        if (i % 7 == 0)
            add(&doc,
                "<w:del w:id='%d' w:author='x'><w:r><w:delText> not</w:delText></w:r>"
                "</w:del><w:ins w:id='%d' w:author='x'><w:r><w:t xml:space='preserve'>"
                " firmly</w:t></w:r></w:ins>",
                i * 2, i * 2 + 1);
        if (i % 5 == 0) {
            add(&doc, "<w:r><w:footnoteReference w:id='%d'/></w:r>", i);
            add(&notes,
                "<w:footnote w:id='%d'><w:p><w:r><w:footnoteRef/></w:r><w:r>"
                "<w:t xml:space='preserve'> Recommendation V-%d.</w:t></w:r></w:p></w:footnote>",
                i, i % 40 + 1);
        }
        add(&doc, "<w:r><w:t>.</w:t></w:r></w:p>");
        if (i % 50 == 0) {
            add(&doc, "<w:tbl>");
            for (int r = 0; r < 4; r++) {
                add(&doc, "<w:tr>");
                for (int c = 0; c < 3; c++)
                    add(&doc, "<w:tc><w:p><w:r><w:t>Party %d, reply %d</w:t></w:r></w:p></w:tc>", r,
                        c);
                add(&doc, "</w:tr>");
            }
            add(&doc, "</w:tbl>");
        }
    }
    add(&doc, "<w:sectPr><w:headerReference w:type='default' r:id='rId4'/>"
              "<w:footerReference w:type='default' r:id='rId5'/></w:sectPr></w:body>"
              "</w:document>");
    add(&notes, "</w:footnotes>");
    static const char styles[] =
        "<w:styles xmlns:w='" W_NS "'><w:style w:type='paragraph' w:styleId='Title'>"
        "<w:name w:val='Title'/></w:style><w:style w:type='paragraph' w:styleId='Heading1'>"
        "<w:name w:val='heading 1'/><w:pPr><w:numPr><w:numId w:val='3'/></w:numPr>"
        "<w:outlineLvl w:val='0'/></w:pPr></w:style></w:styles>";
    static const char numbering[] =
        "<w:numbering xmlns:w='" W_NS "'><w:abstractNum w:abstractNumId='0'><w:lvl w:ilvl='0'>"
        "<w:start w:val='1'/><w:numFmt w:val='decimal'/><w:lvlText w:val='%1.'/></w:lvl>"
        "</w:abstractNum><w:abstractNum w:abstractNumId='1'><w:lvl w:ilvl='0'>"
        "<w:start w:val='1'/><w:numFmt w:val='upperRoman'/><w:lvlText w:val='%1.'/>"
        "</w:lvl></w:abstractNum><w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"
        "<w:num w:numId='2'><w:abstractNumId w:val='0'/></w:num>"
        "<w:num w:numId='3'><w:abstractNumId w:val='1'/></w:num></w:numbering>";
    static const char header[] = "<w:hdr xmlns:w='" W_NS "'><w:p><w:r><w:t>T-ES(2019)07_en "
                                 "final</w:t></w:r></w:p></w:hdr>";
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
    zb_member_t m[] = {{"word/_rels/document.xml.rels", rels, 0, 0},
                       {"word/document.xml", doc.s, doc.n, 0},
                       {"word/styles.xml", styles, 0, 0},
                       {"word/numbering.xml", numbering, 0, 0},
                       {"word/footnotes.xml", notes.s, notes.n, 0},
                       {"word/header1.xml", header, 0, 0},
                       {"word/footer1.xml", footer, 0, 0}};
    if (zb_build(m, sizeof m / sizeof m[0], zip, len) != 0)
        exit(1);
    *xml = doc.n + notes.n + strlen(styles) + strlen(numbering) + strlen(rels) + strlen(header) +
           strlen(footer);
    free(doc.s);
    free(notes.s);
}

#define O_NS                                                                                       \
    " xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'"                             \
    " xmlns:style='urn:oasis:names:tc:opendocument:xmlns:style:1.0'"                               \
    " xmlns:text='urn:oasis:names:tc:opendocument:xmlns:text:1.0'"                                 \
    " xmlns:table='urn:oasis:names:tc:opendocument:xmlns:table:1.0'"

static void make_odt(int n, char **zip, size_t *len, size_t *xml)
{
    buf_t c = {0};
    add(&c, "<office:document-content" O_NS "><office:automatic-styles>"
            "<text:list-style style:name='L1'><text:list-level-style-number text:level='1'"
            " style:num-format='1' style:num-suffix='.'/></text:list-style>"
            "</office:automatic-styles><office:body><office:text>"
            "<text:p text:style-name='Title'>List of decisions</text:p>");
    for (int i = 1; i <= n; i++) {
        if (i % 20 == 1) {
            if (i > 1)
                add(&c, "</text:list>");
            add(&c, "<text:h text:outline-level='1'>Agenda item %d</text:h>", i / 20 + 1);
            add(&c, "<text:list text:style-name='L1'%s>",
                i > 1 ? " text:continue-numbering='true'" : "");
        }
        add(&c, "<text:list-item><text:p>%s", sentences[i % 4]);
        if (i % 5 == 0)
            add(&c,
                "<text:note text:note-class='footnote'><text:note-citation>%d"
                "</text:note-citation><text:note-body><text:p>Recommendation V-%d.</text:p>"
                "</text:note-body></text:note>",
                i / 5, i % 40 + 1);
        add(&c, ".</text:p></text:list-item>");
        if (i % 50 == 0) {
            add(&c, "</text:list><table:table>");
            for (int r = 0; r < 4; r++) {
                add(&c, "<table:table-row>");
                for (int k = 0; k < 3; k++)
                    add(&c,
                        "<table:table-cell><text:p>Party %d, reply %d</text:p></table:table-cell>",
                        r, k);
                add(&c, "</table:table-row>");
            }
            add(&c, "</table:table><text:list text:style-name='L1'"
                    " text:continue-numbering='true'>");
        }
    }
    add(&c, "</text:list></office:text></office:body></office:document-content>");
    static const char styles[] =
        "<office:document-styles" O_NS "><office:master-styles><style:master-page"
        " style:name='Standard'><style:header><text:p>T-ES(2019)07_en final</text:p>"
        "</style:header><style:footer><text:p>Page <text:page-number>1</text:page-number>"
        "</text:p></style:footer></style:master-page></office:master-styles>"
        "</office:document-styles>";
    zb_member_t m[] = {{"mimetype", "application/vnd.oasis.opendocument.text", 0, 1},
                       {"content.xml", c.s, c.n, 0},
                       {"styles.xml", styles, 0, 0}};
    if (zb_build(m, sizeof m / sizeof m[0], zip, len) != 0)
        exit(1);
    *xml = c.n + strlen(styles);
    free(c.s);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void measure(const char *format, lzs_reader_fn reader, const char *zip, size_t len,
                    size_t xml, int reps)
{
    double *ms = malloc((size_t)reps * sizeof *ms);
    size_t blocks = 0;
    if (ms == NULL)
        exit(1);
    for (int r = 0; r < reps; r++) {
        lzs_blocks_t bs;
        memset(&bs, 0, sizeof bs);
        char *err = NULL;
        double t0 = now_ms();
        lzs_status_t st = reader(NULL, format, zip, len, &bs, &err);
        ms[r] = now_ms() - t0;
        if (st != LZS_OK) {
            fprintf(stderr, "lzs-bench-readers: %s\n", err ? err : lzs_status_str(st));
            exit(1);
        }
        blocks = bs.n;
        lzs_blocks_clear(&bs);
    }
    qsort(ms, (size_t)reps, sizeof *ms, cmp_double);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double med = ms[reps / 2];
    printf("%-5s %9zu B package %10zu B XML %7zu blocks  median %8.2f ms  best %8.2f ms"
           "  %6.1f MB/s XML  peak RSS %6ld MB\n",
           format, len, xml, blocks, med, ms[0], med > 0 ? (double)xml / 1e3 / med : 0.0,
           ru.ru_maxrss / 1024);
    free(ms);
}

int main(int argc, char **argv)
{
    int n = 2000, reps = 20;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--decisions") == 0 && i + 1 < argc) {
            n = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            reps = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: lzs-bench-readers [--decisions N] [--reps N]\n");
            return 2;
        }
    }
    if (n < 1 || reps < 1) {
        fprintf(stderr, "lzs-bench-readers: --decisions and --reps must be positive\n");
        return 2;
    }
    char *zip;
    size_t len, xml;
    printf("%d decisions, %d reads each\n", n, reps);
    make_docx(n, &zip, &len, &xml);
    measure("docx", lzs_read_docx, zip, len, xml, reps);
    free(zip);
    make_odt(n, &zip, &len, &xml);
    measure("odt", lzs_read_odt, zip, len, xml, reps);
    free(zip);
    return 0;
}
