/* test_read_docx.c — the DOCX reader (lib/extract/read_docx.c) on packages assembled here
 * part by part, on files written by pandoc and LibreOffice (tests/data/formats/), and on
 * bad input: the exact blocks, numbers, marks, footnotes and furniture a reader of the
 * printed document sees, and one clear message for each kind of bad file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blockdump.h"
#include "extract/block.h"
#include "lzs/file.h"
#include "zipbuild.h"

#define FORMATS_DIR LZS_TEST_DATA "/formats"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define XMLDECL "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
#define WNS                                                                                        \
    " xmlns:w='" NS_W "' xmlns:r='" NS_R "'"                                                       \
    " xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006'"                      \
    " xmlns:m='http://schemas.openxmlformats.org/officeDocument/2006/math'"                        \
    " xmlns:v='urn:schemas-microsoft-com:vml'"                                                     \
    " xmlns:wp='http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing'"           \
    " xmlns:a='http://schemas.openxmlformats.org/drawingml/2006/main'"                             \
    " xmlns:wps='http://schemas.microsoft.com/office/word/2010/wordprocessingShape'"

/* ---- building packages ------------------------------------------------------------------- */

/* The parts of a test package: the content of each root element; NULL leaves it out. */
typedef struct {
    const char *body;      /* inside w:body */
    const char *styles;    /* inside w:styles */
    const char *numbering; /* inside w:numbering */
    const char *footnotes; /* inside w:footnotes, after the two separators */
    const char *header;    /* inside w:hdr, the default header */
    const char *footer;    /* inside w:ftr, the default footer */
    const char *header1;   /* inside w:hdr, the first page's header */
} parts_t;

static char *cat(const char *a, const char *b, const char *c)
{
    bd_buf_t s = {NULL, 0, 0};
    bd_add(&s, "%s%s%s", a, b ? b : "", c);
    return s.s;
}

static const char content_types[] =
    XMLDECL "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'>"
            "<Default Extension='xml' ContentType='application/xml'/>"
            "<Default Extension='rels' "
            "ContentType='application/vnd.openxmlformats-package.relationships+xml'/>"
            "</Types>";

static const char package_rels[] =
    XMLDECL "<Relationships xmlns='" NS_REL "'>"
            "<Relationship Id='rId1' Type='" NS_R "/officeDocument' Target='word/document.xml'/>"
            "</Relationships>";

static const char document_rels[] =
    XMLDECL "<Relationships xmlns='" NS_REL "'>"
            "<Relationship Id='rId1' Type='" NS_R "/styles' Target='styles.xml'/>"
            "<Relationship Id='rId2' Type='" NS_R "/numbering' Target='numbering.xml'/>"
            "<Relationship Id='rId3' Type='" NS_R "/footnotes' Target='footnotes.xml'/>"
            "<Relationship Id='rId4' Type='" NS_R "/header' Target='header1.xml'/>"
            "<Relationship Id='rId5' Type='" NS_R "/footer' Target='footer1.xml'/>"
            "<Relationship Id='rId6' Type='" NS_R "/header' Target='header2.xml'/>"
            "<Relationship Id='rId7' Type='" NS_R "/hyperlink' Target='http://example.org/'"
            " TargetMode='External'/>"
            "</Relationships>";

/* The package of p. Caller frees *out with free(). */
static void build(const parts_t *p, char **out, size_t *len)
{
    bd_buf_t sect = {NULL, 0, 0};
    bd_add(&sect, "<w:sectPr>");
    if (p->header)
        bd_add(&sect, "<w:headerReference w:type='default' r:id='rId4'/>");
    if (p->header1)
        bd_add(&sect, "<w:headerReference w:type='first' r:id='rId6'/>");
    if (p->footer)
        bd_add(&sect, "<w:footerReference w:type='default' r:id='rId5'/>");
    bd_add(&sect, "<w:pgSz w:w='11906' w:h='16838'/></w:sectPr>");
    bd_buf_t doc = {NULL, 0, 0};
    bd_add(&doc, XMLDECL "<w:document" WNS "><w:body>%s%s</w:body></w:document>",
           p->body ? p->body : "", sect.s);
    free(sect.s);
    char *styles = p->styles ? cat(XMLDECL "<w:styles" WNS ">", p->styles, "</w:styles>") : NULL;
    char *numbering =
        p->numbering ? cat(XMLDECL "<w:numbering" WNS ">", p->numbering, "</w:numbering>") : NULL;
    char *notes =
        p->footnotes
            ? cat(XMLDECL "<w:footnotes" WNS ">"
                          "<w:footnote w:type='separator' w:id='-1'><w:p><w:r><w:separator/>"
                          "</w:r></w:p></w:footnote>"
                          "<w:footnote w:type='continuationSeparator' w:id='0'><w:p><w:r>"
                          "<w:continuationSeparator/></w:r></w:p></w:footnote>",
                  p->footnotes, "</w:footnotes>")
            : NULL;
    char *header = p->header ? cat(XMLDECL "<w:hdr" WNS ">", p->header, "</w:hdr>") : NULL;
    char *footer = p->footer ? cat(XMLDECL "<w:ftr" WNS ">", p->footer, "</w:ftr>") : NULL;
    char *header1 = p->header1 ? cat(XMLDECL "<w:hdr" WNS ">", p->header1, "</w:hdr>") : NULL;
    zb_member_t m[] = {
        {"[Content_Types].xml", content_types, 0, 0},
        {"_rels/.rels", package_rels, 0, 0},
        {"word/_rels/document.xml.rels", document_rels, 0, 0},
        {"word/document.xml", doc.s, 0, 0},
        {"word/styles.xml", styles, 0, 0},
        {"word/numbering.xml", numbering, 0, 0},
        {"word/footnotes.xml", notes, 0, 0},
        {"word/header1.xml", header, 0, 0},
        {"word/footer1.xml", footer, 0, 0},
        {"word/header2.xml", header1, 0, 0},
    };
    assert_int_equal(zb_build(m, sizeof m / sizeof m[0], out, len), 0);
    free(doc.s);
    free(styles);
    free(numbering);
    free(notes);
    free(header);
    free(footer);
    free(header1);
}

/* Reads p; asserts success and no message. */
static void read_ok(const parts_t *p, lzs_blocks_t *bs)
{
    char *buf, *err = NULL;
    size_t len;
    build(p, &buf, &len);
    memset(bs, 0, sizeof *bs);
    lzs_status_t st = lzs_read_docx(NULL, "test.docx", buf, len, bs, &err);
    if (st != LZS_OK)
        fprintf(stderr, "lzs_read_docx: %s\n", err ? err : lzs_status_name(st));
    assert_int_equal(st, LZS_OK);
    assert_null(err);
    free(buf);
}

/* Reads p and asserts its blocks dump to expected. */
static void expect_blocks(const parts_t *p, const char *expected)
{
    lzs_blocks_t bs;
    read_ok(p, &bs);
    char *got = bd_dump(&bs);
    assert_string_equal(got, expected);
    free(got);
    lzs_blocks_clear(&bs);
}

/* A paragraph of one plain run. */
#define PARA(text) "<w:p><w:r><w:t xml:space='preserve'>" text "</w:t></w:r></w:p>"
/* A paragraph of style id sid. */
#define SPARA(sid, text)                                                                           \
    "<w:p><w:pPr><w:pStyle w:val='" sid "'/></w:pPr><w:r><w:t>" text "</w:t></w:r></w:p>"
/* A paragraph numbered by instance num at level lvl. */
#define NPARA(num, lvl, text)                                                                      \
    "<w:p><w:pPr><w:numPr><w:ilvl w:val='" #lvl "'/><w:numId w:val='" #num "'/></w:numPr>"         \
    "</w:pPr><w:r><w:t>" text "</w:t></w:r></w:p>"
/* A level of an abstract numbering definition. */
#define LVL(i, start, fmt, text)                                                                   \
    "<w:lvl w:ilvl='" #i "'><w:start w:val='" #start "'/><w:numFmt w:val='" fmt "'/>"              \
    "<w:lvlText w:val='" text "'/></w:lvl>"

static const char heading_styles[] =
    "<w:style w:type='paragraph' w:default='1' w:styleId='Normal'><w:name w:val='Normal'/>"
    "</w:style>"
    "<w:style w:type='paragraph' w:styleId='Heading1'><w:name w:val='heading 1'/>"
    "<w:basedOn w:val='Normal'/><w:pPr><w:outlineLvl w:val='0'/></w:pPr></w:style>"
    "<w:style w:type='paragraph' w:styleId='Heading2'><w:name w:val='heading 2'/>"
    "<w:basedOn w:val='Normal'/><w:pPr><w:outlineLvl w:val='1'/></w:pPr></w:style>";

/* ---- numbering --------------------------------------------------------------------------- */

/* Decisions 1 to 44 in several lists, broken by headings and paragraphs, numbered by one
 * instance (and a second instance of the same definition, which Word also continues). */
static void test_decisions_continue_across_lists(void **state)
{
    (void)state;
    bd_buf_t body = {NULL, 0, 0}, want = {NULL, 0, 0};
    bd_add(&body, SPARA("Heading1", "Decisions"));
    bd_add(&want, "H1 |Decisions|\n");
    for (int i = 1; i <= 44; i++) {
        if (i == 11 || i == 30) {
            bd_add(&body, PARA("The Committee then heard a statement."));
            bd_add(&want, "P |The Committee then heard a statement.|\n");
        }
        if (i == 20) {
            bd_add(&body, SPARA("Heading1", "Other business"));
            bd_add(&want, "H1 |Other business|\n");
        }
        int num = i >= 40 ? 2 : 1;
        bd_add(&body,
               "<w:p><w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='%d'/></w:numPr></w:pPr>"
               "<w:r><w:t>Decided item %d.</w:t></w:r></w:p>",
               num, i);
        bd_add(&want, "L1 |%d. Decided item %d.|\n", i, i);
    }
    parts_t p = {
        .body = body.s,
        .styles = heading_styles,
        .numbering = "<w:abstractNum w:abstractNumId='0'>" LVL(
            0, 1, "decimal", "%1.") "</w:abstractNum>"
                                    "<w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"
                                    "<w:num w:numId='2'><w:abstractNumId w:val='0'/></w:num>"};
    expect_blocks(&p, want.s);
    free(body.s);
    free(want.s);
}

/* A new instance with w:startOverride restarts; pandoc writes a definition per start. */
static void test_list_restarts(void **state)
{
    (void)state;
    parts_t p = {
        .body = NPARA(1, 0, "one") NPARA(
            1, 0,
            "two") "<w:p><w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='1'/></w:numPr></w:pPr>"
                   "</w:p>" NPARA(1, 0, "four") PARA("Break.") NPARA(3, 0, "again one")
                       NPARA(3, 0, "again two") NPARA(4, 0, "from five") NPARA(1, 0, "continues")
                           NPARA(5, 0, "pandoc from three"),
        .numbering = "<w:abstractNum w:abstractNumId='0'>" LVL(
            0, 1, "decimal",
            "%1.") "</w:abstractNum>"
                   "<w:abstractNum w:abstractNumId='7'>" LVL(
                       0, 3, "decimal",
                       "%1.") "</w:abstractNum>"
                              "<w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"
                              "<w:num w:numId='3'><w:abstractNumId w:val='0'/>"
                              "<w:lvlOverride w:ilvl='0'><w:startOverride "
                              "w:val='1'/></w:lvlOverride></w:num>"
                              "<w:num w:numId='4'><w:abstractNumId w:val='0'/>"
                              "<w:lvlOverride w:ilvl='0'><w:startOverride "
                              "w:val='5'/></w:lvlOverride></w:num>"
                              "<w:num w:numId='5'><w:abstractNumId w:val='7'/>"
                              "<w:lvlOverride w:ilvl='0'><w:startOverride "
                              "w:val='3'/></w:lvlOverride></w:num>"};
    /* An empty numbered paragraph counts (Word prints "3." on it) but is an empty line.
     * Instance 1 shares its definition's counters with the restarted ones, as in Word. */
    expect_blocks(&p, "L1 |1. one|\n"
                      "L1 |2. two|\n"
                      "L1 +blank |4. four|\n"
                      "P |Break.|\n"
                      "L1 |1. again one|\n"
                      "L1 |2. again two|\n"
                      "L1 |5. from five|\n"
                      "L1 |6. continues|\n"
                      "L1 |3. pandoc from three|\n");
}

/* Agenda items "1.", "2.1.1.": deeper levels restart when a shallower one advances. */
static void test_agenda_multilevel(void **state)
{
    (void)state;
    parts_t p = {.body = NPARA(1, 0, "Opening") NPARA(1, 0, "Adoption") NPARA(1, 1, "Agenda")
                     NPARA(1, 2, "Review") NPARA(1, 2, "Follow-up") NPARA(1, 1, "Report")
                         NPARA(1, 0, "Monitoring") NPARA(1, 1, "Round") NPARA(1, 2, "Replies"),
                 .numbering = "<w:abstractNum w:abstractNumId='0'>" LVL(0, 1, "decimal", "%1.")
                     LVL(1, 1, "decimal", "%1.%2.")
                         LVL(2, 1, "decimal",
                             "%1.%2.%3.") "</w:abstractNum><w:num w:numId='1'><w:abstractNumId "
                                          "w:val='0'/></w:num>"};
    expect_blocks(&p, "L1 |1. Opening|\n"
                      "L1 |2. Adoption|\n"
                      "L2 |2.1. Agenda|\n"
                      "L3 |2.1.1. Review|\n"
                      "L3 |2.1.2. Follow-up|\n"
                      "L2 |2.2. Report|\n"
                      "L1 |3. Monitoring|\n"
                      "L2 |3.1. Round|\n"
                      "L3 |3.1.1. Replies|\n");
}

/* w:lvlRestart: 1 restarts a level only after level 1; 0 never. */
static void test_level_restart_rules(void **state)
{
    (void)state;
    parts_t p = {
        .body = NPARA(1, 0, "A") NPARA(1, 1, "a") NPARA(1, 2, "i") NPARA(1, 1, "b")
            NPARA(1, 2, "ii") NPARA(1, 0, "B") NPARA(1, 2, "i again") NPARA(1, 3, "never")
                NPARA(1, 0, "C") NPARA(1, 3, "still"),
        .numbering = "<w:abstractNum w:abstractNumId='0'>" LVL(0, 1, "upperLetter", "%1.")
            LVL(1, 1, "lowerLetter",
                "%2)") "<w:lvl w:ilvl='2'><w:start w:val='1'/><w:numFmt w:val='lowerRoman'/>"
                       "<w:lvlRestart w:val='1'/><w:lvlText w:val='(%3)'/></w:lvl>"
                       "<w:lvl w:ilvl='3'><w:start w:val='1'/><w:numFmt w:val='decimal'/>"
                       "<w:lvlRestart w:val='0'/><w:lvlText w:val='%4.'/></w:lvl>"
                       "</w:abstractNum><w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"};
    expect_blocks(&p, "L1 |A. A|\n"
                      "L2 |a) a|\n"
                      "L3 |(i) i|\n"
                      "L2 |b) b|\n"
                      "L3 |(ii) ii|\n"
                      "L1 |B. B|\n"
                      "L3 |(i) i again|\n"
                      "L4 |1. never|\n"
                      "L1 |C. C|\n"
                      "L4 |2. still|\n");
}

/* Letters "a)", "(a)", past z; roman "IV."; legal numbering; bullets; nothing printed. */
static void test_number_formats(void **state)
{
    (void)state;
    parts_t p = {
        .body = NPARA(1, 0, "first") NPARA(1, 0, "second") NPARA(2, 0, "parenthesised")
            NPARA(3, 0, "fourth") NPARA(3, 0, "fifth") NPARA(4, 0, "z") NPARA(4, 0, "past z")
                NPARA(5, 0, "level one") NPARA(5, 1, "legal") NPARA(6, 0, "bullet")
                    NPARA(6, 1, "circle") NPARA(7, 0, "unnumbered") NPARA(8, 0, "zero padded"),
        .numbering = "<w:abstractNum w:abstractNumId='1'>" LVL(
            0, 1, "lowerLetter",
            "%1)") "</w:abstractNum>"
                   "<w:abstractNum w:abstractNumId='2'>" LVL(
                       0, 1, "lowerLetter",
                       "(%1)") "</w:abstractNum>"
                               "<w:abstractNum w:abstractNumId='3'>" LVL(
                                   0, 4, "upperRoman",
                                   "%1.") "</w:abstractNum>"
                                          "<w:abstractNum w:abstractNumId='4'>" LVL(
                                              0, 26, "lowerLetter",
                                              "%1)") "</w:abstractNum>"
                                                     "<w:abstractNum w:abstractNumId='5'>" LVL(
                                                         0, 2, "upperRoman",
                                                         "%1.") "<w:lvl w:ilvl='1'><w:start "
                                                                "w:val='1'/><w:numFmt "
                                                                "w:val='decimal'/><w:isLgl/>"
                                                                "<w:lvlText "
                                                                "w:val='%1.%2.'/></w:lvl></"
                                                                "w:abstractNum>"
                                                                "<w:abstractNum "
                                                                "w:abstractNumId='6'>" LVL(0, 1, "bullet", "\xef\x82\xb7") LVL(
                                                                    1, 1, "bullet",
                                                                    "o") "</w:abstractNum>"
                                                                         "<w:abstractNum "
                                                                         "w:abstractNumId='7'"
                                                                         ">" LVL(
                                                                             0, 1, "none",
                                                                             "%1") "</"
                                                                                   "w:"
                                                                                   "abstractNum"
                                                                                   ">"
                                                                                   "<w:"
                                                                                   "abstractNum"
                                                                                   " w:"
                                                                                   "abstractNum"
                                                                                   "Id='8'"
                                                                                   ">" LVL(
                                                                                       0, 7,
                                                                                       "decimal"
                                                                                       "Zero",
                                                                                       "%1.") "</"
                                                                                              "w:"
                                                                                              "abst"
                                                                                              "ract"
                                                                                              "Num>"
                                                                                              "<w:"
                                                                                              "num "
                                                                                              "w:"
                                                                                              "numI"
                                                                                              "d='"
                                                                                              "1'><"
                                                                                              "w:"
                                                                                              "abst"
                                                                                              "ract"
                                                                                              "NumI"
                                                                                              "d "
                                                                                              "w:"
                                                                                              "val="
                                                                                              "'1'/"
                                                                                              "></"
                                                                                              "w:"
                                                                                              "num>"
                                                                                              "<w:"
                                                                                              "num "
                                                                                              "w:"
                                                                                              "numI"
                                                                                              "d='"
                                                                                              "2'><"
                                                                                              "w:"
                                                                                              "abst"
                                                                                              "ract"
                                                                                              "NumI"
                                                                                              "d "
                                                                                              "w:"
                                                                                              "val="
                                                                                              "'2'/"
                                                                                              "></"
                                                                                              "w:"
                                                                                              "num>"
                                                                                              "<w:"
                                                                                              "num "
                                                                                              "w:"
                                                                                              "numI"
                                                                                              "d='"
                                                                                              "3'><"
                                                                                              "w:"
                                                                                              "abst"
                                                                                              "ract"
                                                                                              "NumI"
                                                                                              "d "
                                                                                              "w:"
                                                                                              "val="
                                                                                              "'3'/"
                                                                                              "></"
                                                                                              "w:"
                                                                                              "num>"
                                                                                              "<w:"
                                                                                              "num "
                                                                                              "w:"
                                                                                              "numI"
                                                                                              "d='"
                                                                                              "4'><"
                                                                                              "w:"
                                                                                              "abst"
                                                                                              "ract"
                                                                                              "NumI"
                                                                                              "d "
                                                                                              "w:"
                                                                                              "val="
                                                                                              "'4'/"
                                                                                              "></"
                                                                                              "w:"
                                                                                              "num>"
                                                                                              "<w:"
                                                                                              "num "
                                                                                              "w:"
                                                                                              "numI"
                                                                                              "d='"
                                                                                              "5'><"
                                                                                              "w:"
                                                                                              "abst"
                                                                                              "ract"
                                                                                              "NumI"
                                                                                              "d "
                                                                                              "w:"
                                                                                              "val="
                                                                                              "'5'/"
                                                                                              "></"
                                                                                              "w:"
                                                                                              "num>"
                                                                                              "<w:"
                                                                                              "num "
                                                                                              "w:"
                                                                                              "numI"
                                                                                              "d='"
                                                                                              "6'><"
                                                                                              "w:"
                                                                                              "abst"
                                                                                              "ract"
                                                                                              "NumI"
                                                                                              "d "
                                                                                              "w:"
                                                                                              "val="
                                                                                              "'6'/"
                                                                                              "></"
                                                                                              "w:"
                                                                                              "num>"
                                                                                              "<w:"
                                                                                              "num "
                                                                                              "w:"
                                                                                              "numI"
                                                                                              "d='"
                                                                                              "7'><"
                                                                                              "w:"
                                                                                              "abst"
                                                                                              "ract"
                                                                                              "NumI"
                                                                                              "d "
                                                                                              "w:"
                                                                                              "val="
                                                                                              "'7'/"
                                                                                              "></"
                                                                                              "w:"
                                                                                              "num>"
                                                                                              "<w:"
                                                                                              "num "
                                                                                              "w:"
                                                                                              "numI"
                                                                                              "d='"
                                                                                              "8'><"
                                                                                              "w:"
                                                                                              "abst"
                                                                                              "ract"
                                                                                              "NumI"
                                                                                              "d "
                                                                                              "w:"
                                                                                              "val="
                                                                                              "'8'/"
                                                                                              "></"
                                                                                              "w:"
                                                                                              "num"
                                                                                              ">"};
    expect_blocks(&p, "L1 |a) first|\n"
                      "L1 |b) second|\n"
                      "L1 |(a) parenthesised|\n"
                      "L1 |IV. fourth|\n"
                      "L1 |V. fifth|\n"
                      "L1 |z) z|\n"
                      "L1 |aa) past z|\n"
                      "L1 |II. level one|\n"
                      "L2 |2.1. legal|\n"
                      "L1 |\xe2\x80\xa2 bullet|\n"
                      "L2 |\xe2\x80\xa2 circle|\n"
                      "P |unnumbered|\n"
                      "L1 |07. zero padded|\n");
}

/* Headings numbered by their style (w:numPr in styles.xml), with localised style ids, a
 * style linked to a level by w:pStyle, and a paragraph that turns numbering off. */
static void test_numbering_from_style(void **state)
{
    (void)state;
    parts_t p = {
        .body = SPARA("Titre1", "Opening") SPARA("Titre2", "Adoption") SPARA("Titre2", "Review")
            SPARA("Titre1", "Closing") SPARA("Decision", "Decided to adopt.")
                SPARA("Decision",
                      "Decided to publish.") "<w:p><w:pPr><w:pStyle "
                                             "w:val='Titre1'/><w:numPr><w:numId w:val='0'/>"
                                             "</w:numPr></w:pPr><w:r><w:t>Annex</w:t></w:r></w:p>",
        .styles = "<w:style w:type='paragraph' w:styleId='Titre1'><w:name w:val='heading 1'/>"
                  "<w:pPr><w:numPr><w:numId w:val='5'/></w:numPr><w:outlineLvl w:val='0'/>"
                  "</w:pPr></w:style>"
                  "<w:style w:type='paragraph' w:styleId='Titre2'><w:name w:val='heading 2'/>"
                  "<w:pPr><w:numPr><w:ilvl w:val='1'/><w:numId w:val='5'/></w:numPr>"
                  "<w:outlineLvl w:val='1'/></w:pPr></w:style>"
                  "<w:style w:type='paragraph' w:styleId='Decision'><w:name w:val='Decision'/>"
                  "<w:pPr><w:numPr><w:numId w:val='6'/></w:numPr></w:pPr></w:style>",
        .numbering =
            "<w:abstractNum w:abstractNumId='0'>"
            "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:pStyle w:val='Titre1'/>"
            "<w:numFmt w:val='decimal'/><w:lvlText w:val='%1.'/></w:lvl>"
            "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:pStyle w:val='Titre2'/>"
            "<w:numFmt w:val='decimal'/><w:lvlText w:val='%1.%2.'/></w:lvl>"
            "</w:abstractNum>"
            "<w:abstractNum w:abstractNumId='1'>" LVL(
                0, 12, "decimal", "%1.") "</w:abstractNum>"
                                         "<w:num w:numId='5'><w:abstractNumId w:val='0'/></w:num>"
                                         "<w:num w:numId='6'><w:abstractNumId w:val='1'/></w:num>"};
    expect_blocks(&p, "H1 |1. Opening|\n"
                      "H2 |1.1. Adoption|\n"
                      "H2 |1.2. Review|\n"
                      "H1 |2. Closing|\n"
                      "L1 |12. Decided to adopt.|\n"
                      "L1 |13. Decided to publish.|\n"
                      "H1 |Annex|\n");
}

/* A definition that links to a numbering style (w:numStyleLink) numbers with the levels
 * of the definition that style uses. */
static void test_numbering_style_link(void **state)
{
    (void)state;
    parts_t p = {
        .body = NPARA(2, 0, "linked one") NPARA(2, 0, "linked two"),
        .styles = "<w:style w:type='numbering' w:styleId='Decisions'><w:name w:val='Decisions'/>"
                  "<w:pPr><w:numPr><w:numId w:val='1'/></w:numPr></w:pPr></w:style>",
        .numbering = "<w:abstractNum w:abstractNumId='0'><w:styleLink w:val='Decisions'/>" LVL(
            0, 1, "upperRoman",
            "%1.") "</w:abstractNum>"
                   "<w:abstractNum w:abstractNumId='1'><w:numStyleLink w:val='Decisions'/>"
                   "</w:abstractNum>"
                   "<w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"
                   "<w:num w:numId='2'><w:abstractNumId w:val='1'/></w:num>"};
    expect_blocks(&p, "L1 |I. linked one|\nL1 |II. linked two|\n");
}

/* ---- styles and runs ------------------------------------------------------------------------ */

static const char run_styles[] =
    "<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val='22'/></w:rPr></w:rPrDefault>"
    "</w:docDefaults>"
    "<w:style w:type='paragraph' w:default='1' w:styleId='Normal'><w:name w:val='Normal'/>"
    "</w:style>"
    "<w:style w:type='paragraph' w:styleId='Title'><w:name w:val='Title'/>"
    "<w:pPr><w:jc w:val='center'/></w:pPr><w:rPr><w:b/></w:rPr></w:style>"
    "<w:style w:type='paragraph' w:styleId='Subtitle'><w:name w:val='Subtitle'/>"
    "<w:basedOn w:val='Title'/></w:style>"
    "<w:style w:type='paragraph' w:styleId='Heading3'><w:name w:val='heading 3'/>"
    "<w:pPr><w:outlineLvl w:val='2'/></w:pPr></w:style>"
    "<w:style w:type='paragraph' w:styleId='Decisionheading'><w:name w:val='Decision heading'/>"
    "<w:basedOn w:val='Heading3'/></w:style>"
    "<w:style w:type='paragraph' w:styleId='ListBullet2'><w:name w:val='List Bullet 2'/></w:style>"
    "<w:style w:type='paragraph' w:styleId='ListParagraph'><w:name w:val='List Paragraph'/>"
    "</w:style>"
    "<w:style w:type='paragraph' w:styleId='TOC1'><w:name w:val='toc 1'/></w:style>"
    "<w:style w:type='paragraph' w:styleId='Strong'><w:name w:val='Strong para'/>"
    "<w:rPr><w:b/></w:rPr></w:style>"
    "<w:style w:type='character' w:styleId='Emph'><w:name w:val='Emph'/>"
    "<w:rPr><w:b/><w:i/></w:rPr></w:style>"
    "<w:style w:type='character' w:styleId='Hidden'><w:name w:val='Hidden'/>"
    "<w:rPr><w:vanish/></w:rPr></w:style>";

static void test_styles(void **state)
{
    (void)state;
    parts_t p = {
        .styles = run_styles,
        .body = SPARA("Title", "List of decisions") SPARA("Subtitle", "62nd meeting")
            SPARA("Decisionheading", "Agenda") PARA(
                "Plain.") "<w:p><w:pPr><w:outlineLvl "
                          "w:val='1'/></w:pPr><w:r><w:t>Outlined</w:t></w:r></w:p>" SPARA(
                              "ListBullet2", "A list paragraph") SPARA("ListParagraph", "Another")
                              SPARA("TOC1", "1. Introduction") SPARA(
                                  "Missing",
                                  "Unknown style") "<w:p><w:pPr><w:jc "
                                                   "w:val='center'/></w:pPr><w:r><w:t>Centred</"
                                                   "w:t></w:r></w:p>"};
    /* The subtitle is not a title though based on it: the name is the author's choice. */
    expect_blocks(&p, "H1 +bold +title +center |List of decisions|\n"
                      "P +bold +center |62nd meeting|\n"
                      "H3 |Agenda|\n"
                      "P |Plain.|\n"
                      "H2 |Outlined|\n"
                      "L2 |A list paragraph|\n"
                      "L1 |Another|\n"
                      "P +toc |1. Introduction|\n"
                      "P |Unknown style|\n"
                      "P +center |Centred|\n");
}

/* Bold and italic when every visible character is so, from the run, its character style
 * or the paragraph style; w:b w:val='0' turns it off. */
static void test_bold_and_italic(void **state)
{
    (void)state;
    parts_t p = {
        .styles = run_styles,
        .body = "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>All</w:t></w:r><w:r><w:t xml:space='preserve'>"
                " </w:t></w:r><w:r><w:rPr><w:b w:val='true'/></w:rPr><w:t>bold</w:t></w:r></w:p>"
                "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Half</w:t></w:r><w:r><w:t> plain</w:t>"
                "</w:r></w:p>"
                "<w:p><w:pPr><w:pStyle w:val='Strong'/></w:pPr><w:r><w:t>Style bold</w:t></w:r>"
                "</w:p>"
                "<w:p><w:pPr><w:pStyle w:val='Strong'/></w:pPr><w:r><w:rPr><w:b w:val='0'/>"
                "</w:rPr><w:t>Turned off</w:t></w:r></w:p>"
                "<w:p><w:r><w:rPr><w:rStyle w:val='Emph'/></w:rPr><w:t>Character style</w:t>"
                "</w:r></w:p>"
                "<w:p><w:r><w:rPr><w:i/><w:b/><w:rPrChange w:id='1' w:author='x'><w:rPr/>"
                "</w:rPrChange></w:rPr><w:t>Changed format</w:t></w:r></w:p>"};
    expect_blocks(&p, "P +bold |All bold|\n"
                      "P |Half plain|\n"
                      "P +bold |Style bold|\n"
                      "P |Turned off|\n"
                      "P +bold +italic |Character style|\n"
                      "P +bold +italic |Changed format|\n");
}

/* What runs hold: tabs, breaks, hyphens, symbols, hidden text, links, content controls,
 * text boxes, math; comments are not text. */
static void test_run_content(void **state)
{
    (void)state;
    parts_t p = {
        .styles = run_styles,
        .body =
            "<w:p><w:r><w:t>co</w:t><w:softHyphen/><w:t>operation\xc2\xad"
            "al</w:t><w:tab/><w:t>non</w:t><w:noBreakHyphen/><w:t>binding</w:t><w:br/>"
            "<w:t>next line</w:t><w:cr/><w:t>end</w:t></w:r></w:p>"
            "<w:p><w:r><w:sym w:font='Symbol' w:char='F0B7'/><w:t xml:space='preserve'> "
            "symbol</w:t></w:r></w:p>"
            "<w:p><w:r><w:t xml:space='preserve'>Shown </w:t></w:r><w:r><w:rPr><w:vanish/>"
            "</w:rPr><w:t>hidden </w:t></w:r><w:r><w:rPr><w:rStyle w:val='Hidden'/></w:rPr>"
            "<w:t>styled hidden </w:t></w:r><w:r><w:t>text</w:t></w:r></w:p>"
            "<w:p><w:r><w:t xml:space='preserve'>See </w:t></w:r><w:hyperlink r:id='rId7'>"
            "<w:r><w:t>the site</w:t></w:r></w:hyperlink><w:commentRangeStart w:id='0'/>"
            "<w:r><w:t xml:space='preserve'> and </w:t></w:r><w:commentRangeEnd w:id='0'/>"
            "<w:r><w:commentReference w:id='0'/></w:r><w:smartTag w:uri='u' w:element='e'>"
            "<w:r><w:t>Strasbourg</w:t></w:r></w:smartTag></w:p>"
            "<w:sdt><w:sdtPr><w:alias w:val='Box'/></w:sdtPr><w:sdtContent>" PARA(
                "In a control") "</w:sdtContent></w:sdt>"
                                "<w:p><w:sdt><w:sdtPr><w:showingPlcHdr/></"
                                "w:sdtPr><w:sdtContent><w:r>"
                                "<w:t>Click here to enter "
                                "text.</w:t></w:r></w:sdtContent></w:sdt><w:r>"
                                "<w:t>After placeholder</w:t></w:r></w:p>"
                                "<w:p><w:r><w:t xml:space='preserve'>Anchor "
                                "</w:t></w:r><w:r><mc:AlternateContent>"
                                "<mc:Choice "
                                "Requires='wps'><w:drawing><wp:anchor><a:graphic><a:graphicData>"
                                "<wps:wsp><wps:txbx><w:txbxContent>" PARA(
                                    "Box text") "</w:txbxContent></wps:txbx></wps:wsp></"
                                                "a:graphicData></a:graphic></wp:anchor>"
                                                "</w:drawing></"
                                                "mc:Choice><mc:Fallback><w:pict><v:shape><v:"
                                                "textbox><w:txbxContent>" PARA(
                                                    "Box text") "</w:txbxContent></v:textbox></"
                                                                "v:shape></w:pict></mc:Fallback>"
                                                                "</mc:AlternateContent></"
                                                                "w:r><w:r><w:t>paragraph</w:t></"
                                                                "w:r></w:p>"
                                                                "<w:p><w:r><w:t "
                                                                "xml:space='preserve'>Area "
                                                                "</w:t></"
                                                                "w:r><m:oMath><m:r><m:t>x+1</m:t>"
                                                                "</m:r></m:oMath></w:p>"};
    /* The text box is read once, where it is anchored (before its paragraph ends). */
    /* w:br and w:cr break lines: three lines the author typed */
    expect_blocks(&p, "P +lines3 |cooperational non-binding next line end|\n"
                      "P |\xe2\x80\xa2 symbol|\n"
                      "P |Shown text|\n"
                      "P |See the site and Strasbourg|\n"
                      "P |In a control|\n"
                      "P |After placeholder|\n"
                      "P |Box text|\n"
                      "P |Anchor paragraph|\n"
                      "P |Area x+1|\n");
}

/* Empty paragraphs are no blocks, but the next block says a blank line stood before. */
static void test_blank_paragraphs(void **state)
{
    (void)state;
    parts_t p = {.body =
                     PARA("One") "<w:p/>" PARA("Two") "<w:p><w:r><w:t xml:space='preserve'>"
                                                      "   </w:t></w:r></w:p>"
                                                      "<w:p><w:r><w:tab/></w:r></w:p>" PARA("Three")
                                                          PARA("Four")};
    expect_blocks(&p, "P |One|\nP +blank |Two|\nP +blank |Three|\nP |Four|\n");
}

/* ---- footnotes ------------------------------------------------------------------------------ */

#define FN(id, text)                                                                               \
    "<w:footnote w:id='" #id "'><w:p><w:pPr><w:pStyle w:val='FootnoteText'/></w:pPr>"              \
    "<w:r><w:rPr><w:rStyle w:val='FootnoteReference'/></w:rPr><w:footnoteRef/></w:r>"              \
    "<w:r><w:t xml:space='preserve'> " text "</w:t></w:r></w:p></w:footnote>"
#define FNREF(id)                                                                                  \
    "<w:r><w:rPr><w:vertAlign w:val='superscript'/></w:rPr><w:footnoteReference w:id='" #id        \
    "'/></w:r>"

static void test_footnotes(void **state)
{
    (void)state;
    parts_t p = {
        .styles = heading_styles,
        .body = "<w:p><w:pPr><w:pStyle "
                "w:val='Heading1'/></w:pPr><w:r><w:t>Heading</w:t></w:r>" FNREF(
                    4) "</w:p>"
                       "<w:p><w:r><w:t>The Committee requests the Parties</w:t></w:r>" FNREF(
                           2) "<w:r><w:t xml:space='preserve'> to act and invites "
                              "them</w:t></w:r>" FNREF(
                                  1) "<w:r><w:t>.</w:t></w:r></w:p>"
                                     "<w:p><w:r><w:t "
                                     "xml:space='preserve'>Custom </w:t></w:r>"
                                     "<w:r><w:footnoteReference "
                                     "w:customMarkFollows='1' "
                                     "w:id='5'/><w:t>*</w:t></w:r>"
                                     "<w:r><w:t xml:space='preserve'> mark "
                                     "and again</w:t></w:r>" FNREF(
                                         3) "</w:p>"
                                            "<w:tbl><w:tr><w:tc><w:p><w:r><w:"
                                            "t>In a cell</w:t></w:r>" FNREF(
                                                6) "</w:p></w:tc>"
                                                   "<w:tc>" PARA(
                                                       "Next cell") "</w:tc></"
                                                                    "w:tr></"
                                                                    "w:"
                                                                    "tbl"
                                                                    ">" PARA("After the table."),
        .footnotes = FN(1, "Recommendation V-18.") FN(2, "Recommendation V-17.") FN(3, "Third.") FN(
            4,
            "On the heading.") "<w:footnote w:id='5'><w:p><w:r><w:t>Custom "
                               "note.</w:t></w:r></w:p></w:footnote>"
                               "<w:footnote "
                               "w:id='6'><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>First paragraph."
                               "</w:t></w:r></w:p>" PARA("Second paragraph.") "</w:footnote>"};
    /* Numbers follow the order of reference, not the ids; a custom mark takes none. */
    expect_blocks(&p, "H1 |Heading| ^1\n"
                      "F1 |On the heading.|\n"
                      "P |The Committee requests the Parties to act and invites them.| ^2,3\n"
                      "F2 |Recommendation V-17.|\n"
                      "F3 |Recommendation V-18.|\n"
                      "P |Custom mark and again| ^4\n"
                      "F* |Custom note.|\n"
                      "F4 |Third.|\n"
                      "C1.1 |In a cell| ^5\n"
                      "F5 |First paragraph. Second paragraph.|\n"
                      "C1.2 |Next cell|\n"
                      "P |After the table.|\n");
}

/* ---- tables ---------------------------------------------------------------------------------- */

static void test_tables(void **state)
{
    (void)state;
    parts_t p = {
        .body = PARA(
            "Before.") "<w:tbl><w:tblPr><w:tblW w:w='0' w:type='auto'/></w:tblPr><w:tblGrid>"
                       "<w:gridCol w:w='1'/><w:gridCol w:w='1'/><w:gridCol w:w='1'/></w:tblGrid>"
                       "<w:tr><w:tc><w:tcPr><w:gridSpan w:val='2'/></w:tcPr>" PARA(
                           "Wide header") "</w:tc><w:tc><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Bold</"
                                          "w:t></w:r></w:p></w:tc>"
                                          "</w:tr>"
                                          "<w:tr><w:tc>" PARA("First line") PARA(
                                              "second line") "</w:tc><w:tc><w:p/></w:tc>"
                                                             "<w:tc><w:tbl><w:tr><w:tc>" PARA(
                                                                 "nest"
                                                                 "ed "
                                                                 "a") "</w:tc><w:tc>" PARA("nested "
                                                                                           "b") "</"
                                                                                                "w:"
                                                                                                "tc"
                                                                                                "><"
                                                                                                "/w"
                                                                                                ":t"
                                                                                                "r>"
                                                                                                "</"
                                                                                                "w:"
                                                                                                "tb"
                                                                                                "l"
                                                                                                ">" PARA("after nested") "</w:tc></"
                                                                                                                         "w:tr>"
                                                                                                                         "<w:tr><w:"
                                                                                                                         "trPr><w:del "
                                                                                                                         "w:id='9' "
                                                                                                                         "w:author='x'/"
                                                                                                                         "></"
                                                                                                                         "w:trPr><w:"
                                                                                                                         "tc>" PARA(
                                                                                                                             "Deleted "
                                                                                                                             "row") "</"
                                                                                                                                    "w:"
                                                                                                                                    "tc"
                                                                                                                                    "><"
                                                                                                                                    "/w"
                                                                                                                                    ":t"
                                                                                                                                    "r>"
                                                                                                                                    "<w"
                                                                                                                                    ":t"
                                                                                                                                    "r>"
                                                                                                                                    "<w"
                                                                                                                                    ":t"
                                                                                                                                    "rP"
                                                                                                                                    "r>"
                                                                                                                                    "<w"
                                                                                                                                    ":g"
                                                                                                                                    "ri"
                                                                                                                                    "dB"
                                                                                                                                    "ef"
                                                                                                                                    "or"
                                                                                                                                    "e "
                                                                                                                                    "w:"
                                                                                                                                    "va"
                                                                                                                                    "l="
                                                                                                                                    "'1"
                                                                                                                                    "'/"
                                                                                                                                    "><"
                                                                                                                                    "/w"
                                                                                                                                    ":t"
                                                                                                                                    "rP"
                                                                                                                                    "r>"
                                                                                                                                    "<w"
                                                                                                                                    ":t"
                                                                                                                                    "c"
                                                                                                                                    ">" PARA(
                                                                                                                                        "Sh"
                                                                                                                                        "if"
                                                                                                                                        "te"
                                                                                                                                        "d") "</w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>"
                                                                                                                                             "</w:tbl>" PARA(
                                                                                                                                                 "After.")};
    expect_blocks(&p, "P |Before.|\n"
                      "C1.1 |Wide header|\n"
                      "C1.3 +bold |Bold|\n"
                      "C2.1 |First line second line|\n"
                      "C2.3 |nested a nested b after nested|\n"
                      "C3.2 |Shifted|\n"
                      "P |After.|\n");
}

/* ---- tracked changes ------------------------------------------------------------------------- */

static void test_tracked_changes(void **state)
{
    (void)state;
    parts_t p = {
        .body =
            "<w:p><w:r><w:t xml:space='preserve'>The Committee </w:t></w:r>"
            "<w:del w:id='1' w:author='x'><w:r><w:delText>strongly </w:delText></w:r></w:del>"
            "<w:ins w:id='2' w:author='x'><w:r><w:t xml:space='preserve'>firmly </w:t></w:r>"
            "</w:ins><w:r><w:t>requests.</w:t></w:r></w:p>"
            "<w:p><w:moveFrom w:id='3' w:author='x'><w:r><w:t>Moved away.</w:t></w:r>"
            "</w:moveFrom><w:moveTo w:id='4' w:author='x'><w:r><w:t>Moved here.</w:t></w:r>"
            "</w:moveTo></w:p>"
            /* A deleted paragraph mark joins the text to the next paragraph's, as
             * written: Word adds no space. */
            "<w:p><w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='1'/></w:numPr>"
            "<w:rPr><w:del w:id='5' w:author='x'/></w:rPr></w:pPr><w:r>"
            "<w:t xml:space='preserve'>Joined to </w:t></w:r></w:p>" NPARA(1, 0, "the next one.")
                NPARA(1, 0, "Second.") "<w:p><w:del w:id='6' w:author='x'><w:r><w:delText>All "
                                       "gone</w:delText></w:r>"
                                       "</w:del></w:p>" PARA("Last."),
        .numbering = "<w:abstractNum w:abstractNumId='0'>" LVL(
            0, 1, "decimal",
            "%1.") "</w:abstractNum><w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"};
    expect_blocks(&p, "P |The Committee firmly requests.|\n"
                      "P |Moved here.|\n"
                      "L1 |1. Joined to the next one.|\n"
                      "L1 |2. Second.|\n"
                      "P +blank |Last.|\n");
}

/* ---- fields ---------------------------------------------------------------------------------- */

#define FIELD(instr, result)                                                                       \
    "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText xml:space='preserve'>" instr   \
    "</w:instrText></w:r><w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>" result        \
    "</w:t></w:r><w:r><w:fldChar w:fldCharType='end'/></w:r>"

static void test_fields(void **state)
{
    (void)state;
    parts_t p = {.styles = run_styles,
                 .body =
                     /* A contents list: a TOC field over three paragraphs, page numbers by PAGEREF.
                      */
                 "<w:p><w:pPr><w:pStyle w:val='TOC1'/></w:pPr><w:r><w:fldChar "
                 "w:fldCharType='begin'/>"
                 "</w:r><w:r><w:instrText xml:space='preserve'> TOC \\o \"1-3\" \\h </w:instrText>"
                 "</w:r><w:r><w:fldChar w:fldCharType='separate'/></w:r><w:hyperlink "
                 "w:anchor='_Toc1'>"
                 "<w:r><w:t>1. Introduction</w:t></w:r><w:r><w:tab/></w:r>" FIELD(
                     " PAGEREF _Toc1 \\h ",
                     "3") "</w:hyperlink></w:p>"
                          "<w:p><w:r><w:t>2. Decisions</w:t></w:r><w:r><w:tab/></w:r>" FIELD(
                              " PAGEREF _Toc2 \\h ",
                              "5") "</w:p>"
                                   /* The paragraph that ends the field is an empty line. */
                                   "<w:p><w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>"
                                   "<w:p><w:r><w:t xml:space='preserve'>Visit </w:t></w:r>" FIELD(" HYPERLINK \"http://www.coe.int/lanzarote\" ", "the Committee's page") "<w:r><w:t xml:space='preserve'> (see page </w:t></w:r>" FIELD(
                                       " PAGEREF _Ref9 \\h ",
                                       "7") "<w:r><w:t>).</w:t></w:r></w:p>"
                                            "<w:p><w:r><w:t xml:space='preserve'>Page "
                                            "</w:t></w:r>" FIELD(
                                                " PAGE ",
                                                "4") "<w:r><w:t xml:space='preserve'> of "
                                                     "</w:t></w:r>"
                                                     "<w:fldSimple w:instr=' NUMPAGES "
                                                     "'><w:r><w:t>12</w:t></w:r></w:fldSimple></"
                                                     "w:p>"
                                                     "<w:p><w:r><w:t xml:space='preserve'>Dated "
                                                     "</w:t></w:r><w:fldSimple w:instr=' DATE '>"
                                                     "<w:r><w:t>7 October "
                                                     "2021</w:t></w:r></w:fldSimple></w:p>"
                                                     /* A field inside a field's instructions: only
                                                        the outer result shows. */
                                                     "<w:p><w:r><w:fldChar "
                                                     "w:fldCharType='begin'/></"
                                                     "w:r><w:r><w:instrText> IF </w:instrText>"
                                                     "</w:r>" FIELD(
                                                         " PAGE ",
                                                         "1") "<w:r><w:instrText> = 1 \"first\" "
                                                              "\"other\" </w:instrText>"
                                                              "</w:r><w:r><w:fldChar "
                                                              "w:fldCharType='separate'/></"
                                                              "w:r><w:r><w:t>first</w:t></w:r>"
                                                              "<w:r><w:fldChar "
                                                              "w:fldCharType='end'/></w:r></w:p>"
                                                              /* A contents list in a content
                                                                 control. */
                                                              "<w:sdt><w:sdtPr><w:docPartObj><w:"
                                                              "docPartGallery w:val='Table of "
                                                              "Contents'/>"
                                                              "<w:docPartUnique/></w:docPartObj></"
                                                              "w:sdtPr><w:sdtContent>" PARA(
                                                                  "Contents")
                                                                  PARA("Annex I") "</"
                                                                                  "w:sdtContent></"
                                                                                  "w:sdt>" PARA(
                                                                                      "Body.")};
    expect_blocks(&p, "P +toc |1. Introduction|\n"
                      "P +toc |2. Decisions|\n"
                      "P +blank |Visit the Committee's page (see page 7).|\n"
                      "P |Page of|\n"
                      "P |Dated 7 October 2021|\n"
                      "P |first|\n"
                      "P +toc |Contents|\n"
                      "P +toc |Annex I|\n"
                      "P |Body.|\n");
}

/* ---- headers and footers ------------------------------------------------------------------- */

static void test_headers_footers(void **state)
{
    (void)state;
    parts_t p = {
        .body = PARA("Body text."),
        .header = PARA("T-ES(2019)07_en final") "<w:p/>",
        .footer = "<w:p><w:r><w:t xml:space='preserve'>Page </w:t></w:r>" FIELD(
            " PAGE ", "1") "<w:r><w:t xml:space='preserve'> of </w:t></w:r>" FIELD(" NUMPAGES ",
                                                                                   "9") "</w:p>",
        .header1 = "<w:tbl><w:tr><w:tc>" PARA("COUNCIL OF EUROPE") "</w:tc><w:tc>" PARA(
            "Strasbourg, 7 October 2021") "</w:tc></w:tr></w:tbl>" PARA("T-ES(2019)07_en final")};
    lzs_blocks_t bs;
    read_ok(&p, &bs);
    char *blocks = bd_dump(&bs), *furniture = bd_furniture(&bs);
    assert_string_equal(blocks, "P |Body text.|\n");
    /* In the order the section names them; a text already there is not repeated. */
    assert_string_equal(furniture, "T-ES(2019)07_en final\n"
                                   "COUNCIL OF EUROPE\n"
                                   "Strasbourg, 7 October 2021\n"
                                   "Page of\n");
    free(blocks);
    free(furniture);
    lzs_blocks_clear(&bs);
}

/* A section that names a relationship of another type, or a header not in the package,
 * prints no furniture, and reading still succeeds without a message. */
static void test_dangling_furniture(void **state)
{
    (void)state;
    parts_t p = {.body = "<w:p><w:pPr><w:sectPr><w:headerReference w:type='default' r:id='rId3'/>"
                         "<w:footerReference w:type='default' r:id='rId5'/>"
                         "<w:headerReference w:type='first' r:id='rId99'/></w:sectPr></w:pPr>"
                         "<w:r><w:t>Body text.</w:t></w:r></w:p>",
                 .footnotes = FN(1, "A note nobody cites.")};
    lzs_blocks_t bs;
    read_ok(&p, &bs);
    char *blocks = bd_dump(&bs);
    assert_string_equal(blocks, "P |Body text.|\n");
    assert_int_equal(bs.furniture.n, 0);
    free(blocks);
    lzs_blocks_clear(&bs);
}

/* ---- files written by pandoc and LibreOffice --------------------------------------------- */

static char *read_data(const char *file, size_t *len)
{
    char path[1024], *buf = NULL, *err = NULL;
    snprintf(path, sizeof path, "%s/%s", FORMATS_DIR, file);
    lzs_status_t st = lzs_file_read(-1, path, 1u << 24, &buf, len, &err);
    if (st != LZS_OK)
        fprintf(stderr, "%s (see tests/data/formats/README.md)\n", err ? err : path);
    assert_int_equal(st, LZS_OK);
    free(err);
    return buf;
}

/* What decisions.md says, as both pandoc and LibreOffice write it. */
static const char decisions_blocks[] =
    "H1 +bold +title +center |List of decisions|\n"
    "H1 +bold |Opening of the meeting|\n"
    "L1 |1. The Committee adopted the agenda.| ^1\n"
    "F1 |Recommendation V-17.|\n"
    "L1 |2. The Committee decided to hold its next meeting in Strasbourg.|\n"
    "P |The Chair reported on the exchange of views.|\n"
    "L1 |3. The Committee invited the Parties to reply by 1 March.|\n"
    "L2 |a. Andorra|\n"
    "L2 |b. Ukraine|\n"
    "L1 |\xe2\x80\xa2 the questionnaire|\n"
    "L1 |\xe2\x80\xa2 the replies|\n"
    "C1.1 |Andorra|\n"
    "C1.2 |received| ^2\n"
    "F2 |Recommendation R I-4.|\n"
    "C2.1 |Ukraine|\n"
    "C2.2 |pending|\n";

/* The header and footer of reference.docx, as both keep them. */
static const char decisions_furniture[] = "T-ES(2019)07_en final\nPage of\n";

static void expect_file(const char *file, const char *blocks, const char *furniture)
{
    size_t len;
    char *buf = read_data(file, &len), *err = NULL;
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    lzs_status_t st = lzs_read_docx(NULL, file, buf, len, &bs, &err);
    if (st != LZS_OK)
        fprintf(stderr, "%s\n", err ? err : "?");
    assert_int_equal(st, LZS_OK);
    char *got = bd_dump(&bs), *fur = bd_furniture(&bs);
    assert_string_equal(got, blocks);
    assert_string_equal(fur, furniture);
    free(got);
    free(fur);
    lzs_blocks_clear(&bs);
    free(buf);
}

static void test_pandoc_docx(void **state)
{
    (void)state;
    expect_file("decisions.pandoc.docx", decisions_blocks, decisions_furniture);
}

static void test_libreoffice_docx(void **state)
{
    (void)state;
    expect_file("decisions.lo.docx", decisions_blocks, decisions_furniture);
}

/* Agenda items numbered through the heading styles. */
static const char headings_blocks[] = "H1 +bold |1. Opening of the meeting|\n"
                                      "P |The Chair opened the meeting.|\n"
                                      "H2 +bold |1.1. Adoption of the agenda|\n"
                                      "P |The Committee adopted the agenda.|\n"
                                      "H2 +bold |1.2. Election of the Bureau|\n"
                                      "H1 +bold |2. Monitoring|\n"
                                      "P |The Committee examined the replies.|\n";

static void test_numbered_headings_files(void **state)
{
    (void)state;
    expect_file("headings.docx", headings_blocks, "");
    expect_file("headings.lo.docx", headings_blocks, "");
}

/* ---- bad input ---------------------------------------------------------------------------- */

/* Reads len bytes of buf as "bad.docx", expecting st and a message that starts with
 * prefix. */
static void expect_error(const char *buf, size_t len, lzs_status_t want, const char *prefix)
{
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    char *err = NULL;
    lzs_status_t st = lzs_read_docx(NULL, "bad.docx", buf, len, &bs, &err);
    /* On stdout: stderr is watched by the caller. */
    if (st != want || err == NULL || strncmp(err, prefix, strlen(prefix)) != 0)
        printf("got %s: %s\nwant %s: %s...\n", lzs_status_name(st), err ? err : "(none)",
               lzs_status_name(want), prefix);
    assert_int_equal(st, want);
    assert_non_null(err);
    assert_true(strncmp(err, prefix, strlen(prefix)) == 0);
    assert_null(strchr(err, '\n'));
    assert_int_equal(bs.n, 0);
    free(err);
    lzs_blocks_clear(&bs);
}

static void expect_parts_error(const parts_t *p, lzs_status_t want, const char *prefix)
{
    char *buf;
    size_t len;
    build(p, &buf, &len);
    expect_error(buf, len, want, prefix);
    free(buf);
}

static void bad_inputs(void)
{
    expect_error("", 0, LZS_ERR_PARSE, "bad.docx: not a ZIP archive");
    expect_error("Lorem ipsum dolor sit amet, consectetur adipiscing elit.", 56, LZS_ERR_PARSE,
                 "bad.docx: not a ZIP archive");
    static const char ole[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 and the rest of a compound file";
    expect_error(ole, sizeof ole - 1, LZS_ERR_UNSUPPORTED,
                 "bad.docx: an OLE compound file (a password-protected document or a Word "
                 "97-2003 file), not a ZIP archive; not supported");

    /* A damaged archive: cut short, then with its central directory overwritten. */
    char *buf;
    size_t len;
    parts_t good = {.body = PARA("Text.")};
    build(&good, &buf, &len);
    expect_error(buf, len / 2, LZS_ERR_PARSE, "bad.docx: ");
    memset(buf + len - 60, 'x', 40);
    expect_error(buf, len, LZS_ERR_PARSE, "bad.docx: ");
    free(buf);

    zb_member_t nodoc[] = {{"word/styles.xml", "<w:styles xmlns:w='" NS_W "'/>", 0, 0}};
    assert_int_equal(zb_build(nodoc, 1, &buf, &len), 0);
    expect_error(buf, len, LZS_ERR_PARSE,
                 "bad.docx: not a Word document: no word/document.xml in the archive");
    free(buf);

    parts_t broken = {.body = "<w:p><w:r><w:t>unclosed</w:r></w:p>"};
    expect_parts_error(&broken, LZS_ERR_PARSE,
                       "bad.docx: word/document.xml, line 2: Opening and ending tag mismatch");
    parts_t broken_styles = {.body = PARA("x"), .styles = "<w:style>"};
    expect_parts_error(&broken_styles, LZS_ERR_PARSE, "bad.docx: word/styles.xml, line 2: ");
    parts_t broken_header = {.body = PARA("x"), .header = "<w:p>&nbsp;</w:p>"};
    expect_parts_error(&broken_header, LZS_ERR_PARSE,
                       "bad.docx: word/header1.xml, line 2: Entity 'nbsp' not defined");

    zb_member_t notword[] = {{"word/document.xml", "<html><body>Hi</body></html>", 0, 0}};
    assert_int_equal(zb_build(notword, 1, &buf, &len), 0);
    expect_error(buf, len, LZS_ERR_PARSE,
                 "bad.docx: word/document.xml: not a WordprocessingML document (root element "
                 "<html>)");
    free(buf);

    /* External entities and entity expansion are refused at the declaration. */
    zb_member_t xxe[] = {
        {"word/document.xml",
         "<?xml version='1.0'?><!DOCTYPE w:document [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
         "<w:document xmlns:w='" NS_W "'><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>"
         "</w:document>",
         0, 0}};
    assert_int_equal(zb_build(xxe, 1, &buf, &len), 0);
    expect_error(buf, len, LZS_ERR_PARSE,
                 "bad.docx: word/document.xml: declares an entity (<!ENTITY>); refused");
    free(buf);
    zb_member_t lol[] = {
        {"word/document.xml",
         "<?xml version='1.0'?><!DOCTYPE w:document [<!ENTITY a 'lol'>"
         "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>"
         "<!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>]>"
         "<w:document xmlns:w='" NS_W "'><w:body><w:p><w:r><w:t>&d;</w:t></w:r></w:p></w:body>"
         "</w:document>",
         0, 0}};
    assert_int_equal(zb_build(lol, 1, &buf, &len), 0);
    expect_error(buf, len, LZS_ERR_PARSE,
                 "bad.docx: word/document.xml: declares an entity (<!ENTITY>); refused");
    free(buf);

    /* A ZIP bomb: 16 MiB of one repeated paragraph deflate to a few kilobytes. */
    bd_buf_t big = {NULL, 0, 0};
    bd_add(&big, "<w:document xmlns:w='" NS_W "'><w:body>");
    while (big.n < ((size_t)16 << 20))
        bd_add(&big, "%s", PARA("The Committee adopted the agenda of its meeting."));
    bd_add(&big, "</w:body></w:document>");
    zb_member_t bomb[] = {{"word/document.xml", big.s, big.n, 0}};
    assert_int_equal(zb_build(bomb, 1, &buf, &len), 0);
    assert_true(len < big.n / 100);
    expect_error(buf, len, LZS_ERR_LIMIT,
                 "bad.docx: word/document.xml: inflates more than 100 "
                 "times its ");
    free(buf);
    free(big.s);

    /* An encrypted member. */
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &zerr);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &zerr);
    assert_non_null(za);
    zip_source_keep(src);
    static const char secret[] = "<w:document xmlns:w='" NS_W "'/>";
    zip_int64_t idx = zip_file_add(za, "word/document.xml",
                                   zip_source_buffer(za, secret, sizeof secret - 1, 0), 0);
    assert_true(idx >= 0);
    if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1))
        fail_msg("this libzip cannot encrypt: the encrypted-member case needs one that can");
    assert_int_equal(zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, "pw"), 0);
    assert_int_equal(zip_close(za), 0);
    zip_stat_t zst;
    assert_int_equal(zip_source_stat(src, &zst), 0);
    assert_int_equal(zip_source_open(src), 0);
    buf = malloc(zst.size);
    assert_int_equal(zip_source_read(src, buf, zst.size), (zip_int64_t)zst.size);
    zip_source_close(src);
    zip_source_free(src);
    expect_error(buf, zst.size, LZS_ERR_UNSUPPORTED,
                 "bad.docx: word/document.xml: encrypted member; not supported");
    free(buf);
}

/* Every bad input above gives its message, and nothing is printed on the way: libxml2
 * and libzip report through the reader only. */
static void test_bad_input_quietly(void **state)
{
    (void)state;
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    assert_true(saved >= 0 && tmp != NULL);
    assert_true(dup2(fileno(tmp), 2) >= 0);
    bad_inputs();
    fflush(stderr);
    assert_true(dup2(saved, 2) >= 0);
    close(saved);
    fseek(tmp, 0, SEEK_END);
    if (ftell(tmp) > 0) {
        char text[512] = "";
        rewind(tmp);
        size_t n = fread(text, 1, sizeof text - 1, tmp);
        text[n] = '\0';
        fail_msg("the reader printed on stderr: %s", text);
    }
    fclose(tmp);
}

/* ---- threads ------------------------------------------------------------------------------- */

typedef struct {
    const char *good, *bad;
    size_t goodlen, badlen;
    const char *want_dump, *want_err;
    int failures;
} thread_job_t;

static void *reader_thread(void *arg)
{
    thread_job_t *job = arg;
    for (int i = 0; i < 25; i++) {
        lzs_blocks_t bs;
        memset(&bs, 0, sizeof bs);
        char *err = NULL;
        if (lzs_read_docx(NULL, "test.docx", job->good, job->goodlen, &bs, &err) != LZS_OK)
            job->failures++;
        char *got = bd_dump(&bs);
        job->failures += strcmp(got, job->want_dump) != 0;
        free(got);
        lzs_blocks_clear(&bs);
        free(err);
        err = NULL;
        if (lzs_read_docx(NULL, "bad.docx", job->bad, job->badlen, &bs, &err) != LZS_ERR_PARSE ||
            err == NULL || strcmp(err, job->want_err) != 0)
            job->failures++;
        free(err);
        lzs_blocks_clear(&bs);
    }
    return NULL;
}

/* Several threads read at once, each with its own errors. */
static void test_threads(void **state)
{
    (void)state;
    parts_t good = {
        .body = SPARA("Heading1", "Decisions") NPARA(1, 0, "One") NPARA(1, 0, "Two"),
        .styles = heading_styles,
        .numbering = "<w:abstractNum w:abstractNumId='0'>" LVL(
            0, 1, "decimal",
            "%1.") "</w:abstractNum><w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"};
    parts_t bad = {.body = "<w:p>"};
    char *gbuf, *bbuf;
    size_t glen, blen;
    build(&good, &gbuf, &glen);
    build(&bad, &bbuf, &blen);
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    char *err = NULL;
    assert_int_equal(lzs_read_docx(NULL, "test.docx", gbuf, glen, &bs, &err), LZS_OK);
    char *want_dump = bd_dump(&bs);
    lzs_blocks_clear(&bs);
    assert_int_equal(lzs_read_docx(NULL, "bad.docx", bbuf, blen, &bs, &err), LZS_ERR_PARSE);
    assert_string_equal(want_dump, "H1 |Decisions|\nL1 |1. One|\nL1 |2. Two|\n");

    thread_job_t jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (thread_job_t){gbuf, bbuf, glen, blen, want_dump, err, 0};
        assert_int_equal(pthread_create(&th[i], NULL, reader_thread, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(jobs[i].failures, 0);
    }
    free(want_dump);
    free(err);
    free(gbuf);
    free(bbuf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decisions_continue_across_lists),
        cmocka_unit_test(test_list_restarts),
        cmocka_unit_test(test_agenda_multilevel),
        cmocka_unit_test(test_level_restart_rules),
        cmocka_unit_test(test_number_formats),
        cmocka_unit_test(test_numbering_from_style),
        cmocka_unit_test(test_numbering_style_link),
        cmocka_unit_test(test_styles),
        cmocka_unit_test(test_bold_and_italic),
        cmocka_unit_test(test_run_content),
        cmocka_unit_test(test_blank_paragraphs),
        cmocka_unit_test(test_footnotes),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_tracked_changes),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_headers_footers),
        cmocka_unit_test(test_dangling_furniture),
        cmocka_unit_test(test_pandoc_docx),
        cmocka_unit_test(test_libreoffice_docx),
        cmocka_unit_test(test_numbered_headings_files),
        cmocka_unit_test(test_bad_input_quietly),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
