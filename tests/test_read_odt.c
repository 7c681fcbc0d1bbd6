/* test_read_odt.c — the ODT reader (lib/extract/read_odt.c) on packages assembled here
 * part by part, on files written by pandoc and LibreOffice (tests/data/formats/), and on
 * bad input: list numbers as LibreOffice prints them, footnotes, tables, contents lists,
 * tracked changes, master-page headers and footers, one clear message per bad file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blockdump.h"
#include "extract/block.h"
#include "lzs/file.h"
#include "zipbuild.h"

#define FORMATS_DIR LZS_TEST_DATA "/formats"

#define XMLDECL "<?xml version='1.0' encoding='UTF-8'?>\n"
#define ONS                                                                                        \
    " xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'"                             \
    " xmlns:style='urn:oasis:names:tc:opendocument:xmlns:style:1.0'"                               \
    " xmlns:text='urn:oasis:names:tc:opendocument:xmlns:text:1.0'"                                 \
    " xmlns:table='urn:oasis:names:tc:opendocument:xmlns:table:1.0'"                               \
    " xmlns:draw='urn:oasis:names:tc:opendocument:xmlns:drawing:1.0'"                              \
    " xmlns:fo='urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0'"                      \
    " xmlns:svg='urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0'"                        \
    " xmlns:xlink='http://www.w3.org/1999/xlink' xmlns:dc='http://purl.org/dc/elements/1.1/'"      \
    " office:version='1.3'"

/* The parts of a test package; NULL leaves a part empty (or, for the manifest, plain). */
typedef struct {
    const char *auto_styles;   /* office:automatic-styles of content.xml */
    const char *body;          /* office:text */
    const char *styles;        /* office:styles of styles.xml */
    const char *master_styles; /* office:automatic-styles of styles.xml */
    const char *master;        /* office:master-styles */
    const char *encryption;    /* inside content.xml's manifest entry */
    const char *mimetype;      /* default: OpenDocument text */
} parts_t;

static void build(const parts_t *p, char **out, size_t *len)
{
    bd_buf_t content = {NULL, 0, 0}, styles = {NULL, 0, 0}, manifest = {NULL, 0, 0};
    bd_add(&content,
           XMLDECL "<office:document-content" ONS "><office:automatic-styles>%s"
                   "</office:automatic-styles><office:body><office:text>%s</office:text>"
                   "</office:body></office:document-content>",
           p->auto_styles ? p->auto_styles : "", p->body ? p->body : "");
    bd_add(&styles,
           XMLDECL "<office:document-styles" ONS "><office:styles>%s</office:styles>"
                   "<office:automatic-styles>%s</office:automatic-styles>"
                   "<office:master-styles>%s</office:master-styles></office:document-styles>",
           p->styles ? p->styles : "", p->master_styles ? p->master_styles : "",
           p->master ? p->master : "");
    bd_add(&manifest,
           XMLDECL "<manifest:manifest "
                   "xmlns:manifest='urn:oasis:names:tc:opendocument:xmlns:manifest:1.0' "
                   "manifest:version='1.3'><manifest:file-entry manifest:full-path='/' "
                   "manifest:media-type='application/vnd.oasis.opendocument.text'/>"
                   "<manifest:file-entry manifest:full-path='content.xml' "
                   "manifest:media-type='text/xml'>%s</manifest:file-entry>"
                   "<manifest:file-entry manifest:full-path='styles.xml' "
                   "manifest:media-type='text/xml'/></manifest:manifest>",
           p->encryption ? p->encryption : "");
    zb_member_t m[] = {
        {"mimetype", p->mimetype ? p->mimetype : "application/vnd.oasis.opendocument.text", 0, 1},
        {"content.xml", content.s, 0, 0},
        {"styles.xml", styles.s, 0, 0},
        {"META-INF/manifest.xml", manifest.s, 0, 0},
    };
    assert_int_equal(zb_build(m, sizeof m / sizeof m[0], out, len), 0);
    free(content.s);
    free(styles.s);
    free(manifest.s);
}

static void read_ok(const parts_t *p, lzs_blocks_t *bs)
{
    char *buf, *err = NULL;
    size_t len;
    build(p, &buf, &len);
    memset(bs, 0, sizeof *bs);
    lzs_status_t st = lzs_read_odt(NULL, "test.odt", buf, len, bs, &err);
    if (st != LZS_OK)
        fprintf(stderr, "lzs_read_odt: %s\n", err ? err : lzs_status_name(st));
    assert_int_equal(st, LZS_OK);
    assert_null(err);
    free(buf);
}

static void expect_blocks(const parts_t *p, const char *expected)
{
    lzs_blocks_t bs;
    read_ok(p, &bs);
    char *got = bd_dump(&bs);
    assert_string_equal(got, expected);
    free(got);
    lzs_blocks_clear(&bs);
}

#define PARA(text) "<text:p>" text "</text:p>"
#define ITEM(text) "<text:list-item><text:p>" text "</text:p></text:list-item>"
/* A numbered list level: format, prefix, suffix, start, displayed levels. */
#define NUMLVL(l, fmt, pre, suf, start, disp)                                                      \
    "<text:list-level-style-number text:level='" #l "' style:num-format='" fmt "'"                 \
    " style:num-prefix='" pre "' style:num-suffix='" suf "' text:start-value='" #start "'"         \
    " text:display-levels='" #disp "'/>"

static const char decimal_list[] =
    "<text:list-style style:name='L1'>" NUMLVL(1, "1", "", ".", 1, 1) "</text:list-style>";

/* ---- numbering ------------------------------------------------------------------------------ */

/* Decisions 1 to 44 in lists that continue one another (text:continue-numbering, and
 * text:continue-list naming the first list), broken by headings and paragraphs. */
static void test_decisions_continue_across_lists(void **state)
{
    (void)state;
    bd_buf_t body = {NULL, 0, 0}, want = {NULL, 0, 0};
    bd_add(&body, "<text:h text:outline-level='1'>Decisions</text:h>");
    bd_add(&want, "H1 |Decisions|\n");
    for (int i = 1; i <= 44; i++) {
        if (i == 1)
            bd_add(&body, "<text:list xml:id='list1' text:style-name='L1'>");
        if (i == 11 || i == 20) {
            bd_add(&body, "</text:list>");
            if (i == 11) {
                bd_add(&body, PARA("The Committee then heard a statement."));
                bd_add(&want, "P |The Committee then heard a statement.|\n");
                bd_add(&body, "<text:list text:style-name='L1' text:continue-numbering='true'>");
            } else {
                bd_add(&body, "<text:h text:outline-level='1'>Other business</text:h>");
                bd_add(&want, "H1 |Other business|\n");
                bd_add(&body, "<text:list text:style-name='L1' text:continue-list='list1'>");
            }
        }
        bd_add(&body, "<text:list-item><text:p>Decided item %d.</text:p></text:list-item>", i);
        bd_add(&want, "L1 |%d. Decided item %d.|\n", i, i);
    }
    bd_add(&body, "</text:list>");
    parts_t p = {.auto_styles = decimal_list, .body = body.s};
    expect_blocks(&p, want.s);
    free(body.s);
    free(want.s);
}

static void test_list_restarts(void **state)
{
    (void)state;
    parts_t p = {
        .auto_styles = decimal_list,
        .styles = "<text:list-style style:name='From_20_three'>" NUMLVL(1, "1", "", ".", 3,
                                                                        1) "</text:list-style>",
        .body = "<text:list text:style-name='L1'>" ITEM("one") ITEM("two") ITEM("")
            ITEM("four") "</text:list>" PARA("Break.") "<text:list text:style-name='L1'>" ITEM(
                "again one") "<text:list-item text:start-value='5'><text:p>from "
                             "five</text:p></text:list-item>" ITEM("six") "</text:list>"
                                                                          "<text:list "
                                                                          "text:style-name='From_"
                                                                          "20_three'>" ITEM(
                                                                              "three") "</"
                                                                                       "text:"
                                                                                       "list>"};
    /* An empty item counts, but is an empty line. */
    expect_blocks(&p, "L1 |1. one|\n"
                      "L1 |2. two|\n"
                      "L1 +blank |4. four|\n"
                      "P |Break.|\n"
                      "L1 |1. again one|\n"
                      "L1 |5. from five|\n"
                      "L1 |6. six|\n"
                      "L1 |3. three|\n");
}

/* "2.1.1." by displayed levels; an item holding only a sub-list numbers nothing itself;
 * a second paragraph of an item and a list header carry no number. */
static void test_agenda_multilevel(void **state)
{
    (void)state;
    parts_t p = {
        .auto_styles = "<text:list-style style:name='L2'>" NUMLVL(1, "1", "", ".", 1, 1)
            NUMLVL(2, "1", "", ".", 1, 2) NUMLVL(3, "1", "", ".", 1, 3) "</text:list-style>",
        .body = "<text:list text:style-name='L2'>" ITEM(
            "Opening") "<text:list-item><text:p>Adoption</"
                       "text:p><text:list>" ITEM(
                           "Agenda") "<text:list-item><"
                                     "text:p>Review</"
                                     "text:p><text:p>Its "
                                     "second "
                                     "paragraph.</text:p>"
                                     "</text:list-item></"
                                     "text:list></"
                                     "text:list-item>"
                                     "<text:list-header><"
                                     "text:p>A list "
                                     "header</text:p></"
                                     "text:list-header>"
                                     "<text:list-item><"
                                     "text:list><text:"
                                     "list-item><text:"
                                     "list>" ITEM(
                                         "Deep, no "
                                         "parents") "</"
                                                    "text:"
                                                    "list>"
                                                    "</"
                                                    "text:"
                                                    "list-"
                                                    "item>"
                                                    "</"
                                                    "text:"
                                                    "list>"
                                                    "</"
                                                    "text:"
                                                    "list-"
                                                    "item>"
                                                    "<text"
                                                    ":list"
                                                    "-item"
                                                    "><"
                                                    "text:"
                                                    "p>"
                                                    "Monit"
                                                    "oring"
                                                    "</"
                                                    "text:"
                                                    "p><"
                                                    "text:"
                                                    "list"
                                                    ">" ITEM("R"
                                                             "o"
                                                             "u"
                                                             "n"
                                                             "d") "</text:list></text:list-item></"
                                                                  "text:list>"};
    expect_blocks(&p, "L1 |1. Opening|\n"
                      "L1 |2. Adoption|\n"
                      "L2 |2.1. Agenda|\n"
                      "L2 |2.2. Review|\n"
                      "P |Its second paragraph.|\n"
                      "P |A list header|\n"
                      "L3 |2.2.1. Deep, no parents|\n"
                      "L1 |3. Monitoring|\n"
                      "L2 |3.1. Round|\n");
}

static void test_number_formats(void **state)
{
    (void)state;
    parts_t p = {
        .auto_styles = "<text:list-style style:name='La'>" NUMLVL(
            1, "a", "", ")", 1,
            1) "</text:list-style>"
               "<text:list-style style:name='Lp'>" NUMLVL(
                   1, "a", "(", ")", 1,
                   1) "</text:list-style>"
                      "<text:list-style style:name='Lr'>" NUMLVL(
                          1, "I", "", ".", 4,
                          1) "</text:list-style>"
                             "<text:list-style style:name='Lz'>"
                             "<text:list-level-style-number text:level='1' style:num-format='a'"
                             " style:num-letter-sync='true' style:num-suffix=')' "
                             "text:start-value='27'/>"
                             "</text:list-style>"
                             "<text:list-style style:name='Lb'><text:list-level-style-bullet "
                             "text:level='1'"
                             " text:bullet-char='\xe2\x97\xa6'/><text:list-level-style-image "
                             "text:level='2'/>"
                             "</text:list-style>"
                             "<text:list-style style:name='Ln'>" NUMLVL(1, "", "", "", 1,
                                                                        1) "</text:list-style>",
        .body = "<text:list text:style-name='La'>" ITEM("first") ITEM(
            "second") "</text:list>"
                      "<text:list text:style-name='Lp'>" ITEM(
                          "parenthesised") "</text:list>"
                                           "<text:list text:style-name='Lr'>" ITEM("fourth") ITEM(
                                               "fifth") "</text:list>"
                                                        "<text:list text:style-name='Lz'>" ITEM(
                                                            "synced")
                                                            ITEM("synced too") "</text:list>"
                                                                               "<text:list "
                                                                               "text:style-name="
                                                                               "'Lb'>" ITEM(
                                                                                   "bul"
                                                                                   "le"
                                                                                   "t") "<text:"
                                                                                        "list-item>"
                                                                                        "<text:p>"
                                                                                        "parent</"
                                                                                        "text:p><"
                                                                                        "text:"
                                                                                        "list"
                                                                                        ">" ITEM("i"
                                                                                                 "m"
                                                                                                 "a"
                                                                                                 "g"
                                                                                                 "e"
                                                                                                 " "
                                                                                                 "b"
                                                                                                 "u"
                                                                                                 "l"
                                                                                                 "l"
                                                                                                 "e"
                                                                                                 "t") "</"
                                                                                                      "te"
                                                                                                      "xt"
                                                                                                      ":l"
                                                                                                      "is"
                                                                                                      "t>"
                                                                                                      "</"
                                                                                                      "te"
                                                                                                      "xt"
                                                                                                      ":l"
                                                                                                      "is"
                                                                                                      "t-"
                                                                                                      "it"
                                                                                                      "em"
                                                                                                      "><"
                                                                                                      "/t"
                                                                                                      "ex"
                                                                                                      "t:"
                                                                                                      "li"
                                                                                                      "st"
                                                                                                      ">"
                                                                                                      "<t"
                                                                                                      "ex"
                                                                                                      "t:"
                                                                                                      "li"
                                                                                                      "st"
                                                                                                      " t"
                                                                                                      "ex"
                                                                                                      "t:"
                                                                                                      "st"
                                                                                                      "yl"
                                                                                                      "e-"
                                                                                                      "na"
                                                                                                      "me"
                                                                                                      "='"
                                                                                                      "Ln"
                                                                                                      "'"
                                                                                                      ">" ITEM(
                                                                                                          "no number") "</text:list>"
                                                                                                                       "<text:list text:style-name='Undefined'>" ITEM(
                                                                                                                           "undefined style") "</text:list>"};
    expect_blocks(&p, "L1 |a) first|\n"
                      "L1 |b) second|\n"
                      "L1 |(a) parenthesised|\n"
                      "L1 |IV. fourth|\n"
                      "L1 |V. fifth|\n"
                      "L1 |aa) synced|\n"
                      "L1 |bb) synced too|\n"
                      "L1 |\xe2\x80\xa2 bullet|\n"
                      "L1 |\xe2\x80\xa2 parent|\n"
                      "L2 |\xe2\x80\xa2 image bullet|\n"
                      "L1 |no number|\n"
                      "P |undefined style|\n");
}

/* A paragraph style may carry the list style (style:list-style-name). */
static void test_list_style_from_paragraph_style(void **state)
{
    (void)state;
    parts_t p = {.auto_styles = decimal_list,
                 .styles = "<style:style style:name='Decision' style:family='paragraph'"
                           " style:list-style-name='L1'/>",
                 .body = "<text:list><text:list-item><text:p text:style-name='Decision'>Adopted."
                         "</text:p></text:list-item><text:list-item>"
                         "<text:p text:style-name='Decision'>Published.</text:p>"
                         "</text:list-item></text:list>"};
    expect_blocks(&p, "L1 |1. Adopted.|\nL1 |2. Published.|\n");
}

/* Headings numbered by the outline style; a list header and a restart. */
static void test_outline_numbering(void **state)
{
    (void)state;
    parts_t p = {.styles = "<text:outline-style style:name='Outline'>"
                           "<text:outline-level-style text:level='1' style:num-format='1'"
                           " style:num-suffix='.'/>"
                           "<text:outline-level-style text:level='2' style:num-format='1'"
                           " style:num-suffix='.' text:display-levels='2'/>"
                           "<text:outline-level-style text:level='3' style:num-format=''/>"
                           "</text:outline-style>"
                           "<style:style style:name='Title' style:family='paragraph'>"
                           "<style:paragraph-properties fo:text-align='center'/>"
                           "<style:text-properties fo:font-weight='bold'/></style:style>",
                 .auto_styles = "<style:style style:name='P1' style:family='paragraph'"
                                " style:parent-style-name='Title'/>",
                 .body =
                     "<text:p text:style-name='P1'>List of decisions</text:p>"
                     "<text:h text:outline-level='1'><text:number>1.</text:number>Opening</text:h>"
                     "<text:h text:outline-level='2'>Adoption</text:h>"
                     "<text:h text:outline-level='2'>Review</text:h>"
                     "<text:h text:outline-level='3'>Unnumbered level</text:h>"
                     "<text:h text:outline-level='1' text:is-list-header='true'>Annex</text:h>"
                     "<text:h text:outline-level='1'>Closing</text:h>"
                     "<text:h text:outline-level='1' text:restart-numbering='true'"
                     " text:start-value='7'>Seventh</text:h>"};
    expect_blocks(&p, "H1 +bold +title +center |List of decisions|\n"
                      "H1 |1. Opening|\n"
                      "H2 |1.1. Adoption|\n"
                      "H2 |1.2. Review|\n"
                      "H3 |Unnumbered level|\n"
                      "H1 |Annex|\n"
                      "H1 |2. Closing|\n"
                      "H1 |7. Seventh|\n");
}

/* ---- text ------------------------------------------------------------------------------------ */

static void test_inline_content(void **state)
{
    (void)state;
    parts_t p = {
        .styles = "<style:style style:name='Strong_20_para' style:family='paragraph'>"
                  "<style:text-properties fo:font-weight='bold'/></style:style>"
                  "<style:style style:name='Emphasis' style:family='text'>"
                  "<style:text-properties fo:font-style='italic'/></style:style>",
        .auto_styles = "<style:style style:name='T1' style:family='text'>"
                       "<style:text-properties fo:font-weight='bold'/></style:style>"
                       "<style:style style:name='T2' style:family='text'>"
                       "<style:text-properties fo:font-weight='700'/></style:style>"
                       "<style:style style:name='T3' style:family='text'>"
                       "<style:text-properties text:display='none'/></style:style>"
                       "<style:style style:name='T4' style:family='text'>"
                       "<style:text-properties fo:font-weight='normal'/></style:style>"
                       "<style:style style:name='P1' style:family='paragraph'>"
                       "<style:paragraph-properties fo:text-align='center'/></style:style>",
        .body =
            "<text:p>one<text:s text:c='3'/>two<text:tab/>three<text:line-break/>four"
            "<text:soft-page-break/> co\xc2\xad"
            "operation</text:p>"
            "<text:p><text:span text:style-name='T1'>All</text:span> <text:span"
            " text:style-name='T2'>bold</text:span></text:p>"
            "<text:p><text:span text:style-name='T1'>Half</text:span> plain</text:p>"
            "<text:p text:style-name='Strong_20_para'>Style bold <text:span"
            " text:style-name='Emphasis'>and italic</text:span></text:p>"
            "<text:p text:style-name='Strong_20_para'><text:span text:style-name='T4'>Turned off"
            "</text:span></text:p>"
            "<text:p>Shown <text:span text:style-name='T3'>hidden </text:span>text"
            "<text:hidden-text text:condition='1' text:string-value='x'>x</text:hidden-text>"
            "</text:p>"
            "<text:p>See <text:a xlink:href='http://example.org/'>the site</text:a>"
            "<office:annotation><dc:creator>x</dc:creator><text:p>A comment</text:p>"
            "</office:annotation> on <text:date>7 October 2021</text:date>"
            "<text:bookmark text:name='b'/>.</text:p>"
            "<text:p text:style-name='P1'>Centred</text:p>"
            "<text:p>Anchor <draw:frame draw:name='f'><draw:text-box><text:p>Box text</text:p>"
            "</draw:text-box></draw:frame>paragraph</text:p>"
            "<text:section text:name='s' text:display='none'><text:p>Hidden section</text:p>"
            "</text:section><text:section text:name='t'><text:p>Shown section</text:p>"
            "</text:section>"
            "<text:p/><text:p> <text:s/> </text:p><text:p>After blanks</text:p>"};
    expect_blocks(&p, "P +lines2 |one two three four cooperation|\n"
                      "P +bold |All bold|\n"
                      "P |Half plain|\n"
                      "P +bold |Style bold and italic|\n"
                      "P |Turned off|\n"
                      "P |Shown text|\n"
                      "P |See the site on 7 October 2021.|\n"
                      "P +center |Centred|\n"
                      "P |Box text|\n"
                      "P |Anchor paragraph|\n"
                      "P |Shown section|\n"
                      "P +blank |After blanks|\n");
}

/* Tracked changes: the body holds the accepted text; deletions wait in
 * text:tracked-changes, which is not read. */
static void test_tracked_changes(void **state)
{
    (void)state;
    parts_t p = {
        .body = "<text:tracked-changes><text:changed-region xml:id='ct1' text:id='ct1'>"
                "<text:deletion><office:change-info><dc:creator>x</dc:creator>"
                "</office:change-info><text:p>strongly </text:p></text:deletion>"
                "</text:changed-region><text:changed-region xml:id='ct2' text:id='ct2'>"
                "<text:insertion><office:change-info><dc:creator>x</dc:creator>"
                "</office:change-info></text:insertion></text:changed-region>"
                "</text:tracked-changes>"
                "<text:p>The Committee <text:change text:change-id='ct1'/><text:change-start"
                " text:change-id='ct2'/>firmly <text:change-end text:change-id='ct2'/>requests."
                "</text:p>"};
    expect_blocks(&p, "P |The Committee firmly requests.|\n");
}

static void test_footnotes(void **state)
{
    (void)state;
    parts_t p = {
        .body =
            "<text:h text:outline-level='1'>Heading<text:note text:id='ftn1'"
            " text:note-class='footnote'><text:note-citation>1</text:note-citation>"
            "<text:note-body><text:p>On the heading.</text:p></text:note-body></text:note></text:h>"
            "<text:p>The Committee requests the Parties<text:note text:id='ftn2'"
            " text:note-class='footnote'><text:note-citation>2</text:note-citation>"
            "<text:note-body><text:p text:style-name='Footnote'><text:s/>Recommendation V-17."
            "</text:p></text:note-body></text:note> to act<text:note text:id='ftn3'"
            " text:note-class='footnote'><text:note-citation text:label='*'>*</text:note-citation>"
            "<text:note-body><text:p>Custom.</text:p></text:note-body></text:note> and invites"
            " them<text:note text:id='edn1' text:note-class='endnote'><text:note-citation>i"
            "</text:note-citation><text:note-body><text:p>An endnote.</text:p></text:note-body>"
            "</text:note>.</text:p>"
            "<table:table><table:table-column/><table:table-row><table:table-cell><text:p>In a"
            " cell<text:note text:id='ftn4' text:note-class='footnote'><text:note-citation>3"
            "</text:note-citation><text:note-body><text:p>First paragraph.</text:p><text:p>Second"
            " paragraph.</text:p></text:note-body></text:note></text:p></table:table-cell>"
            "<table:table-cell><text:p>Next cell</text:p></table:table-cell></table:table-row>"
            "</table:table>"};
    expect_blocks(&p, "H1 |Heading| ^1\n"
                      "F1 |On the heading.|\n"
                      "P |The Committee requests the Parties to act and invites them.| ^2\n"
                      "F2 |Recommendation V-17.|\n"
                      "F* |Custom.|\n"
                      "C1.1 |In a cell| ^3\n"
                      "F3 |First paragraph. Second paragraph.|\n"
                      "C1.2 |Next cell|\n");
}

static void test_tables(void **state)
{
    (void)state;
    parts_t p = {
        .body = PARA(
            "Before.") "<table:table table:name='T'><table:table-column "
                       "table:number-columns-repeated='3'/>"
                       "<table:table-header-rows><table:table-row><table:table-cell"
                       " table:number-columns-spanned='2'><text:p>Wide "
                       "header</text:p></table:table-cell>"
                       "<table:covered-table-cell/><table:table-cell><text:p>Third</text:p>"
                       "</table:table-cell></table:table-row></table:table-header-rows>"
                       "<table:table-rows><table:table-row><table:table-cell><text:p>First "
                       "line</text:p>"
                       "<text:p>second line</text:p></table:table-cell><table:table-cell/>"
                       "<table:table-cell><table:table><table:table-row><table:table-cell><text:p>"
                       "nested a"
                       "</text:p></table:table-cell><table:table-cell><text:p>nested b</text:p>"
                       "</table:table-cell></table:table-row></table:table><text:p>after "
                       "nested</text:p>"
                       "</table:table-cell></table:table-row>"
                       "<table:table-row table:number-rows-repeated='2'><table:table-cell"
                       " table:number-columns-repeated='3'/></table:table-row>"
                       "<table:table-row><table:table-cell table:number-columns-repeated='2'/>"
                       "<table:table-cell><text:p>Last</text:p></table:table-cell></"
                       "table:table-row>"
                       "</table:table-rows></table:table>" PARA("After.")};
    expect_blocks(&p, "P |Before.|\n"
                      "C1.1 |Wide header|\n"
                      "C1.3 |Third|\n"
                      "C2.1 |First line second line|\n"
                      "C2.3 |nested a nested b after nested|\n"
                      "C5.3 |Last|\n"
                      "P |After.|\n");
}

/* A contents list: marked, its page numbers not kept. */
static void test_table_of_contents(void **state)
{
    (void)state;
    parts_t p = {.body = "<text:table-of-content text:name='Contents'>"
                         "<text:table-of-content-source text:outline-level='3'>"
                         "<text:index-title-template>Contents</text:index-title-template>"
                         "</text:table-of-content-source><text:index-body>"
                         "<text:index-title text:name='Contents_Head'><text:p>Contents</text:p>"
                         "</text:index-title>"
                         "<text:p text:style-name='Contents_20_1'><text:a xlink:href='#a'>"
                         "1. Introduction<text:tab/>3</text:a></text:p>"
                         "<text:p text:style-name='Contents_20_1'>Annex IV<text:tab/>xii</text:p>"
                         "</text:index-body></text:table-of-content>" PARA("Body.")};
    expect_blocks(&p, "P +toc |Contents|\n"
                      "P +toc |1. Introduction|\n"
                      "P +toc |Annex IV|\n"
                      "P |Body.|\n");
}

/* Headers and footers of the master pages are furniture, read with styles.xml's own
 * automatic styles; page numbers are not text. */
static void test_master_pages(void **state)
{
    (void)state;
    parts_t p = {
        .auto_styles = "<style:style style:name='MP1' style:family='paragraph'>"
                       "<style:paragraph-properties fo:text-align='center'/></style:style>",
        .master_styles = "<style:style style:name='MP1' style:family='paragraph'>"
                         "<style:text-properties text:display='none'/></style:style>",
        .master = "<style:master-page style:name='Standard'><style:header>"
                  "<text:p>T-ES(2019)07_en final</text:p></style:header><style:footer>"
                  "<text:p>Page <text:page-number text:select-page='current'>3</text:page-number>"
                  " of <text:page-count>9</text:page-count></text:p></style:footer>"
                  "<style:header-left><style:region-left><text:p>COUNCIL OF EUROPE</text:p>"
                  "</style:region-left><style:region-right><text:p>T-ES(2019)07_en final</text:p>"
                  "</style:region-right></style:header-left></style:master-page>"
                  "<style:master-page style:name='First'><style:header style:display='false'>"
                  "<text:p>Not shown</text:p></style:header><style:footer><text:p"
                  " text:style-name='MP1'>Hidden by its style</text:p><text:p>Strasbourg</text:p>"
                  "</style:footer></style:master-page>",
        .body = "<text:p text:style-name='MP1'>Body text.</text:p>"};
    lzs_blocks_t bs;
    read_ok(&p, &bs);
    char *blocks = bd_dump(&bs), *furniture = bd_furniture(&bs);
    assert_string_equal(blocks, "P +center |Body text.|\n");
    assert_string_equal(furniture, "T-ES(2019)07_en final\n"
                                   "COUNCIL OF EUROPE\n"
                                   "Page of\n"
                                   "Strasbourg\n");
    free(blocks);
    free(furniture);
    lzs_blocks_clear(&bs);
}

/* ---- files written by pandoc and LibreOffice --------------------------------------------- */

#define DECISIONS_BODY                                                                             \
    "H1 +bold |Opening of the meeting|\n"                                                          \
    "L1 |1. The Committee adopted the agenda.| ^1\n"                                               \
    "F1 |Recommendation V-17.|\n"                                                                  \
    "L1 |2. The Committee decided to hold its next meeting in Strasbourg.|\n"                      \
    "P |The Chair reported on the exchange of views.|\n"                                           \
    "L1 |3. The Committee invited the Parties to reply by 1 March.|\n"                             \
    "L2 |a. Andorra|\n"                                                                            \
    "L2 |b. Ukraine|\n"                                                                            \
    "L1 |\xe2\x80\xa2 the questionnaire|\n"                                                        \
    "L1 |\xe2\x80\xa2 the replies|\n"                                                              \
    "C1.1 |Andorra|\n"                                                                             \
    "C1.2 |received| ^2\n"                                                                         \
    "F2 |Recommendation R I-4.|\n"                                                                 \
    "C2.1 |Ukraine|\n"                                                                             \
    "C2.2 |pending|\n"

static void expect_file(const char *file, const char *blocks, const char *furniture)
{
    char path[1024], *buf = NULL, *err = NULL;
    size_t len;
    snprintf(path, sizeof path, "%s/%s", FORMATS_DIR, file);
    lzs_status_t st = lzs_file_read(-1, path, 1u << 24, &buf, &len, &err);
    if (st != LZS_OK)
        fprintf(stderr, "%s (see tests/data/formats/README.md)\n", err ? err : path);
    assert_int_equal(st, LZS_OK);
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    st = lzs_read_odt(NULL, file, buf, len, &bs, &err);
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

/* pandoc uses a "Title" style it does not define: a title, without LibreOffice's bold. */
static void test_pandoc_odt(void **state)
{
    (void)state;
    expect_file("decisions.pandoc.odt", "H1 +title |List of decisions|\n" DECISIONS_BODY, "");
}

static void test_libreoffice_odt(void **state)
{
    (void)state;
    expect_file("decisions.lo.odt", "H1 +bold +title +center |List of decisions|\n" DECISIONS_BODY,
                "T-ES(2019)07_en final\nPage of\n");
}

/* Agenda items numbered through the heading styles. */
static const char headings_blocks[] = "H1 +bold |1. Opening of the meeting|\n"
                                      "P |The Chair opened the meeting.|\n"
                                      "H2 +bold |1.1. Adoption of the agenda|\n"
                                      "P |The Committee adopted the agenda.|\n"
                                      "H2 +bold |1.2. Election of the Bureau|\n"
                                      "H1 +bold |2. Monitoring|\n"
                                      "P |The Committee examined the replies.|\n";

/* LibreOffice writes headings numbered by their style as lists that continue one
 * another, each heading in a list item. */
static void test_numbered_headings_file(void **state)
{
    (void)state;
    expect_file("headings.lo.odt", headings_blocks, "");
}

/* ---- bad input ---------------------------------------------------------------------------- */

static void expect_error(const char *buf, size_t len, lzs_status_t want, const char *prefix)
{
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    char *err = NULL;
    lzs_status_t st = lzs_read_odt(NULL, "bad.odt", buf, len, &bs, &err);
    /* On stdout: stderr is watched by the caller. */
    if (st != want || err == NULL || strncmp(err, prefix, strlen(prefix)) != 0)
        printf("got %s: %s\nwant %s: %s...\n", lzs_status_name(st), err ? err : "(none)",
               lzs_status_name(want), prefix);
    assert_int_equal(st, want);
    assert_non_null(err);
    assert_true(strncmp(err, prefix, strlen(prefix)) == 0);
    assert_null(strchr(err, '\n'));
    assert_int_equal(bs.n, 0);
    assert_int_equal(bs.furniture.n, 0);
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
    expect_error("not a zip at all, only some words", 33, LZS_ERR_PARSE,
                 "bad.odt: not a ZIP archive");
    char *buf;
    size_t len;
    zb_member_t nocontent[] = {{"mimetype", "application/vnd.oasis.opendocument.text", 0, 1},
                               {"styles.xml", "<a/>", 0, 0}};
    assert_int_equal(zb_build(nocontent, 2, &buf, &len), 0);
    expect_error(buf, len, LZS_ERR_PARSE,
                 "bad.odt: not an OpenDocument text: no content.xml in the archive");
    free(buf);

    parts_t broken = {.body = "<text:p>unclosed<text:span></text:p>"};
    expect_parts_error(&broken, LZS_ERR_PARSE,
                       "bad.odt: content.xml, line 2: Opening and ending tag mismatch: span");
    parts_t broken_styles = {.body = PARA("x"), .master = "<style:master-page>"};
    expect_parts_error(&broken_styles, LZS_ERR_PARSE, "bad.odt: styles.xml, line 2: ");
    parts_t encrypted = {
        .body = PARA("secret"),
        .encryption =
            "<manifest:encryption-data manifest:checksum-type='SHA1/1K'"
            " manifest:checksum='AAAA'><manifest:algorithm"
            " manifest:algorithm-name='Blowfish CFB' manifest:initialisation-vector='AA'/>"
            "<manifest:key-derivation manifest:key-derivation-name='PBKDF2'"
            " manifest:iteration-count='1024' manifest:salt='AA'/>"
            "</manifest:encryption-data>"};
    expect_parts_error(&encrypted, LZS_ERR_UNSUPPORTED,
                       "bad.odt: encrypted document; not supported");
    parts_t sheet = {.body = PARA("x"),
                     .mimetype = "application/vnd.oasis.opendocument.spreadsheet"};
    expect_parts_error(&sheet, LZS_ERR_UNSUPPORTED,
                       "bad.odt: not an OpenDocument text "
                       "(application/vnd.oasis.opendocument.spreadsheet); not supported");

    zb_member_t spreadsheet[] = {
        {"content.xml",
         "<office:document-content xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'>"
         "<office:body><office:spreadsheet/></office:body></office:document-content>",
         0, 0}};
    assert_int_equal(zb_build(spreadsheet, 1, &buf, &len), 0);
    expect_error(buf, len, LZS_ERR_UNSUPPORTED,
                 "bad.odt: content.xml: no office:text in the body; not a text document");
    free(buf);
    zb_member_t notodf[] = {{"content.xml", "<html><body>Hi</body></html>", 0, 0}};
    assert_int_equal(zb_build(notodf, 1, &buf, &len), 0);
    expect_error(buf, len, LZS_ERR_PARSE,
                 "bad.odt: content.xml: not an OpenDocument content part (root <html>)");
    free(buf);
    zb_member_t xxe[] = {
        {"content.xml",
         "<?xml version='1.0'?><!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
         "<office:document-content xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'"
         "><office:body><office:text>&x;</office:text></office:body></office:document-content>",
         0, 0}};
    assert_int_equal(zb_build(xxe, 1, &buf, &len), 0);
    expect_error(buf, len, LZS_ERR_PARSE,
                 "bad.odt: content.xml: declares an entity (<!ENTITY>); refused");
    free(buf);

    bd_buf_t big = {NULL, 0, 0};
    bd_add(&big, "<office:document-content xmlns:office='urn:oasis:names:tc:opendocument:xmlns:"
                 "office:1.0'><office:body><office:text>");
    while (big.n < ((size_t)8 << 20))
        bd_add(&big, "%s", "<text:p>The Committee adopted the agenda.</text:p>");
    bd_add(&big, "</office:text></office:body></office:document-content>");
    zb_member_t bomb[] = {{"content.xml", big.s, big.n, 0}};
    assert_int_equal(zb_build(bomb, 1, &buf, &len), 0);
    expect_error(buf, len, LZS_ERR_LIMIT,
                 "bad.odt: content.xml: inflates more than 100 times its ");
    free(buf);
    free(big.s);
}

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decisions_continue_across_lists),
        cmocka_unit_test(test_list_restarts),
        cmocka_unit_test(test_agenda_multilevel),
        cmocka_unit_test(test_number_formats),
        cmocka_unit_test(test_list_style_from_paragraph_style),
        cmocka_unit_test(test_outline_numbering),
        cmocka_unit_test(test_inline_content),
        cmocka_unit_test(test_tracked_changes),
        cmocka_unit_test(test_footnotes),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_table_of_contents),
        cmocka_unit_test(test_master_pages),
        cmocka_unit_test(test_pandoc_odt),
        cmocka_unit_test(test_libreoffice_odt),
        cmocka_unit_test(test_numbered_headings_file),
        cmocka_unit_test(test_bad_input_quietly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
