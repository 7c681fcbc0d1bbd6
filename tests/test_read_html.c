/* test_read_html.c — the HTML reader (lib/extract/read_html.c): each rule on an inline
 * page, a coe.int-like page and a pandoc standalone page (tests/data/formats/html/), the
 * messages of bad input, silence on stderr, and several threads reading at once.
 *
 * Blocks are compared as text, one line per block:
 *   KIND[ Llevel][ row,col][ #number][ +flag...][ ^mark,...]: TEXT
 */
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

#include "extract/block.h"
#include "lzs/extract.h"
#include "lzs/file.h"

#define HTML_DIR LZS_TEST_DATA "/formats/html"

/* ---- helpers -------------------------------------------------------------------------- */

typedef struct {
    char *s;
    size_t n, cap;
    int oom;
} str_t;

/* Appends to b; no cmocka assertion, so that threads may use it. */
static void str_add(str_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void str_add(str_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->oom || need < 0) {
        b->oom = 1;
        return;
    }
    if (b->n + (size_t)need + 1 > b->cap) {
        size_t cap = (b->n + (size_t)need + 1) * 2;
        char *s = realloc(b->s, cap);
        if (s == NULL) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)need;
}

/* The blocks as text (see the file comment); NULL when out of memory. Caller frees with
 * free(). */
static char *format_blocks(const lzs_blocks_t *bs)
{
    static const struct {
        unsigned flag;
        const char *name;
    } flags[] = {
        {LZS_BF_BOLD, "bold"},   {LZS_BF_ITALIC, "italic"},         {LZS_BF_CENTERED, "centered"},
        {LZS_BF_TITLE, "title"}, {LZS_BF_CLASSIFIED, "classified"}, {LZS_BF_TOC, "toc"},
        {LZS_BF_CAPTION, "caption"}};
    str_t b = {0};
    str_add(&b, "%s", "");
    for (size_t i = 0; i < bs->n; i++) {
        const lzs_block_t *k = &bs->v[i];
        str_add(&b, "%s", lzs_block_kind_name(k->kind));
        if (k->level != 0)
            str_add(&b, " L%d", k->level);
        if (k->kind == LZS_BLOCK_TABLE_CELL)
            str_add(&b, " %u,%u", k->row, k->col);
        if (k->number[0] != '\0')
            str_add(&b, " #%s", k->number);
        for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
            if (k->flags & flags[f].flag)
                str_add(&b, " +%s", flags[f].name);
        }
        for (size_t m = 0; m < k->nmarks; m++)
            str_add(&b, "%s%u", m ? "," : " ^", k->marks[m]);
        str_add(&b, ": %s\n", k->text);
    }
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* The blocks as text, after checking what block.h promises of every block. */
static char *dump(const lzs_blocks_t *bs)
{
    for (size_t i = 0; i < bs->n; i++) {
        const lzs_block_t *k = &bs->v[i];
        assert_int_equal(k->len, strlen(k->text));
        assert_int_equal(k->lines, 1);
        assert_int_equal(k->page, 0);
    }
    char *d = format_blocks(bs);
    assert_non_null(d);
    return d;
}

/* Reads html (len bytes) and returns the dump; the read must succeed. */
static char *read_len(const char *html, size_t len)
{
    lzs_blocks_t bs = {0};
    char *err = NULL;
    lzs_status_t st = lzs_read_html(NULL, "page.html", html, len, &bs, &err);
    if (st != LZS_OK)
        fprintf(stderr, "lzs_read_html: %s: %s\n", lzs_status_name(st), err ? err : "?");
    assert_int_equal(st, LZS_OK);
    assert_null(err);
    assert_int_equal(bs.furniture.n, 0); /* site chrome is dropped, not furniture */
    char *d = dump(&bs);
    lzs_blocks_clear(&bs);
    return d;
}

#define expect_html(html, expected)                                                                \
    do {                                                                                           \
        char *got_ = read_len((html), strlen(html));                                               \
        assert_string_equal(got_, (expected));                                                     \
        free(got_);                                                                                \
    } while (0)

/* Reads html that must fail with status st and message msg. */
static void expect_error_len(const char *html, size_t len, lzs_status_t st, const char *msg)
{
    lzs_blocks_t bs = {0};
    char *err = NULL;
    lzs_status_t got = lzs_read_html(NULL, "bad.html", html, len, &bs, &err);
    assert_int_equal(got, st);
    assert_non_null(err);
    assert_string_equal(err, msg);
    assert_int_equal(bs.n, 0);
    free(err);
    lzs_blocks_clear(&bs);
}

static void expect_error(const char *html, lzs_status_t st, const char *msg)
{
    expect_error_len(html, strlen(html), st, msg);
}

static char *read_fixture(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", HTML_DIR, name);
    char *buf = NULL, *err = NULL;
    lzs_status_t st = lzs_file_read(-1, path, LZS_EXTRACT_MAX_FILE, &buf, len, &err);
    if (st != LZS_OK)
        fprintf(stderr, "fixture missing: %s\n", err ? err : path);
    assert_int_equal(st, LZS_OK);
    return buf;
}

/* ---- blocks and text ------------------------------------------------------------------ */

static void test_headings_and_paragraphs(void **state)
{
    (void)state;
    expect_html("<h1>One</h1><h2>Two</h2><h3>Three</h3><h4>Four</h4><h5>Five</h5><h6>Six</h6>"
                "<p>A paragraph.</p><div>Direct text of a div</div>"
                "<blockquote><p>Quoted.</p></blockquote><pre>  line one\n  line two</pre>"
                "<dl><dt>Term</dt><dd>Its definition</dd></dl>",
                "heading L1: One\n"
                "heading L2: Two\n"
                "heading L3: Three\n"
                "heading L4: Four\n"
                "heading L5: Five\n"
                "heading L6: Six\n"
                "paragraph: A paragraph.\n"
                "paragraph: Direct text of a div\n"
                "paragraph: Quoted.\n"
                "paragraph: line one line two\n"
                "paragraph: Term\n"
                "paragraph: Its definition\n");
}

static void test_inline_text_joins(void **state)
{
    (void)state;
    /* no space is added where the page has none; a block element starts a new block;
     * text of a div around blocks is a paragraph of its own */
    expect_html("<p>International <b>co</b>-operation, <i>in</i><em>ter</em>na<span>tional</span>"
                "</p><p>First line<br>second line</p>"
                "<div>Before <a href=\"/x\">the link</a><p>Inside</p>after</div>",
                "paragraph: International co-operation, international\n"
                "paragraph: First line second line\n"
                "paragraph: Before the link\n"
                "paragraph: Inside\n"
                "paragraph: after\n");
}

static void test_style_flags(void **state)
{
    (void)state;
    expect_html("<p><strong>All bold</strong></p><p><b>Part</b> bold</p><p><em>All italic</em></p>"
                "<p align=\"center\">Centred</p><p style=\"text-align: center\">Also centred</p>",
                "paragraph +bold: All bold\n"
                "paragraph: Part bold\n"
                "paragraph +italic: All italic\n"
                "paragraph +centered: Centred\n"
                "paragraph +centered: Also centred\n");
}

static void test_entities(void **state)
{
    (void)state;
    /* &shy; is dropped (block.h keeps U+00AD for line-end hyphens), &nbsp; is a space */
    expect_html("<p>inter&shy;national&nbsp;co&#8209;operation &amp; caf&eacute; &ldquo;x&rdquo;"
                "&#x2013;</p>",
                "paragraph: international co\u2011operation & café “x”–\n");
}

/* ---- lists ---------------------------------------------------------------------------- */

static void test_bullets_and_nesting(void **state)
{
    (void)state;
    expect_html("<ul><li>Prevent</li><li>Protect:<ul><li>victims</li><li>witnesses</li></ul>"
                "</li><li><p>Prosecute</p><p>and more</p></li></ul><p>After</p>",
                "paragraph L1: • Prevent\n"
                "paragraph L1: • Protect:\n"
                "paragraph L2: • victims\n"
                "paragraph L2: • witnesses\n"
                "paragraph L1: • Prosecute\n"
                "paragraph L1: and more\n"
                "paragraph: After\n");
}

static void test_ordered_lists(void **state)
{
    (void)state;
    expect_html("<ol start=\"4\"><li>four</li><li>five</li></ol>"
                "<ol type=\"a\"><li>a</li><li>b</li></ol>"
                "<ol type=\"A\" start=\"26\"><li>z</li><li>aa</li></ol>"
                "<ol type=\"i\" start=\"3\"><li>iii</li><li>iv</li></ol>"
                "<ol type=\"I\" start=\"9\"><li>IX</li></ol>"
                "<ol reversed><li>three</li><li>two</li><li>one</li></ol>"
                "<ol reversed start=\"10\"><li>ten</li><li>nine</li></ol>"
                "<ol><li>one</li><li value=\"7\">seven</li><li>eight</li></ol>"
                "<ol style=\"list-style-type: lower-roman\"><li>i</li></ol>"
                "<ol type=\"a\" start=\"0\"><li>zero</li></ol>",
                "paragraph L1: 4. four\n"
                "paragraph L1: 5. five\n"
                "paragraph L1: a. a\n"
                "paragraph L1: b. b\n"
                "paragraph L1: Z. z\n"
                "paragraph L1: AA. aa\n"
                "paragraph L1: iii. iii\n"
                "paragraph L1: iv. iv\n"
                "paragraph L1: IX. IX\n"
                "paragraph L1: 3. three\n"
                "paragraph L1: 2. two\n"
                "paragraph L1: 1. one\n"
                "paragraph L1: 10. ten\n"
                "paragraph L1: 9. nine\n"
                "paragraph L1: 1. one\n"
                "paragraph L1: 7. seven\n"
                "paragraph L1: 8. eight\n"
                "paragraph L1: i. i\n"
                "paragraph L1: 0. zero\n");
}

static void test_nested_ordered_and_empty_items(void **state)
{
    (void)state;
    /* an empty item takes its number but prints no block; a heading in an item carries the
     * item's number */
    expect_html("<ol><li>first<ol type=\"a\"><li>sub</li></ol></li><li></li>"
                "<li><h3>Third</h3><p>text</p></li></ol>",
                "paragraph L1: 1. first\n"
                "paragraph L2: a. sub\n"
                "heading L3: 3. Third\n"
                "paragraph L1: text\n");
}

/* ---- tables --------------------------------------------------------------------------- */

static void test_tables(void **state)
{
    (void)state;
    expect_html(
        "<table><caption><b>Replies</b></caption>"
        "<tr><th>Party</th><th colspan=\"2\">Replies</th><th>Note</th></tr>"
        "<tr><td rowspan=\"2\">Andorra</td><td>12</td><td></td><td>late<sup>4</sup></td></tr>"
        "<tr><td>13</td><td><p>two</p><p>paragraphs</p></td><td>x</td></tr>"
        "</table>",
        "paragraph +bold +caption: Replies\n"
        "table-cell 1,1: Party\n"
        "table-cell 1,2: Replies\n"
        "table-cell 1,4: Note\n"
        "table-cell 2,1: Andorra\n"
        "table-cell 2,2: 12\n"
        "table-cell 2,3: \n"
        "table-cell 2,4 ^4: late\n"
        "table-cell 3,2: 13\n"
        "table-cell 3,3: two paragraphs\n"
        "table-cell 3,4: x\n");
}

static void test_nested_and_layout_tables(void **state)
{
    (void)state;
    /* a table inside a cell is part of that cell's text; a table declared as layout is
     * read as blocks */
    expect_html("<table><tr><td>outer<table><tr><td>in 1</td><td>in 2</td></tr></table></td>"
                "<td><ul><li>item</li></ul></td></tr></table>"
                "<table role=\"presentation\"><tr><td><h2>Layout</h2><p>text</p></td></tr></table>",
                "table-cell 1,1: outer in 1 in 2\n"
                "table-cell 1,2: • item\n"
                "heading L2: Layout\n"
                "paragraph: text\n");
}

/* ---- footnotes ------------------------------------------------------------------------ */

static void test_footnote_markers(void **state)
{
    (void)state;
    expect_html("<p>Parties<sup>1</sup> and States<sup> [2] </sup> and articles<a href=\"#fn3\">"
                "[3]</a> and <a class=\"footnote-ref\" href=\"#n4\"><sup>4</sup></a> both<sup>5,6"
                "</sup>.</p><p>The 2<sup>nd</sup> round, 10<sup>th</sup> meeting, x<sup>a</sup></p>"
                "<p>A link <a href=\"https://www.coe.int\">7</a> is text.</p>",
                "paragraph ^1,2,3,4,5,6: Parties and States and articles and both.\n"
                "paragraph: The 2nd round, 10th meeting, xa\n"
                "paragraph: A link 7 is text.\n");
    /* a pandoc reference opening a paragraph is a reference, not a note's label; a link to
     * the top of the page is text */
    expect_html("<p><a class=\"footnote-ref\" href=\"#fn1\"><sup>1</sup></a> starts.</p>"
                "<p>See <a href=\"#\">3</a>.</p>",
                "paragraph ^1: starts.\n"
                "paragraph: See 3.\n");
    /* superscript digits glued to a word are references, opening a paragraph a note's
     * label (as the markdown reader reads them); after a space they are text */
    expect_html("<p>recommendations\u00b9 and States\u00b2\u00b3, x \u00b2 y</p>"
                "<p>\u00b9 The note.</p><p>\u2074\u2070 Note forty.</p>",
                "paragraph ^1,23: recommendations and States, x \u00b2 y\n"
                "footnote #1: The note.\n"
                "footnote #40: Note forty.\n");
}

static void test_footnotes_pandoc_section(void **state)
{
    (void)state;
    /* pandoc 2 (section) and pandoc 3 (aside): the back-links are dropped, the list is
     * not a list */
    static const char *const pages[] = {
        "<section class=\"footnotes footnotes-end-of-document\" role=\"doc-endnotes\"><hr />",
        "<aside id=\"footnotes\" class=\"footnotes footnotes-end-of-document\" "
        "role=\"doc-endnotes\"><hr />"};
    static const char *const ends[] = {"</section>", "</aside>"};
    for (size_t i = 0; i < 2; i++) {
        char html[2048];
        snprintf(html, sizeof html,
                 "<h1>T</h1><p>Text<a href=\"#fn1\" class=\"footnote-ref\" id=\"fnref1\" "
                 "role=\"doc-noteref\"><sup>1</sup></a> more.</p>%s<ol>"
                 "<li id=\"fn1\" role=\"doc-endnote\"><p>First note.<a href=\"#fnref1\" "
                 "class=\"footnote-back\" role=\"doc-backlink\">↩︎</a></p></li>"
                 "<li id=\"fn2\"><p>Second,</p><p>two paragraphs.<a href=\"#fnref2\">↩</a></p>"
                 "</li></ol>%s",
                 pages[i], ends[i]);
        expect_html(html, "heading L1: T\n"
                          "paragraph ^1: Text more.\n"
                          "footnote #1: First note.\n"
                          "footnote #2: Second, two paragraphs.\n");
    }
}

static void test_footnotes_by_id_and_position(void **state)
{
    (void)state;
    /* notes numbered by their ids, by their place in a notes section, Word's divs with a
     * back-link label, kramdown's fn:N */
    expect_html("<p>Body<sup>1</sup><sup>2</sup><sup>3</sup><sup>4</sup>.</p>"
                "<ol><li id=\"fn1\">One.</li><li id=\"fn2\">Two.</li></ol>"
                "<div id=\"ftn3\"><p><a href=\"#_ftnref3\" name=\"_ftn3\">[3]</a> Three.</p></div>"
                "<div class=\"footnotes\"><ol start=\"4\"><li>Four.</li></ol></div>"
                "<div class=\"footnotes\"><ol><li id=\"fn:5\"><p>Five. <a href=\"#fnref:5\" "
                "class=\"reversefootnote\">&#8617;</a></p></li></ol></div>"
                "<aside id=\"fn6\" role=\"doc-footnote\"><p>Six, an aside.</p></aside>",
                "paragraph ^1,2,3,4: Body.\n"
                "footnote #1: One.\n"
                "footnote #2: Two.\n"
                "footnote #3: Three.\n"
                "footnote #4: Four.\n"
                "footnote #5: Five.\n"
                "footnote #6: Six, an aside.\n");
}

static void test_footnotes_as_paragraphs(void **state)
{
    (void)state;
    /* a paragraph opening with a bare <sup>N</sup> is note N wherever it stands (as in the
     * markdown the Committee publishes); "N Text" paragraphs only at the end and only for
     * a number referenced before */
    expect_html("<p>Text<sup>1</sup> and<sup>2</sup>.</p><p><sup>1</sup> A note in the middle.</p>"
                "<p>2020 was a year.</p><p>More text<sup>3</sup>.</p>"
                "<p>2 Second note.</p><p>3 Third note.</p>",
                "paragraph ^1,2: Text and.\n"
                "footnote #1: A note in the middle.\n"
                "paragraph: 2020 was a year.\n"
                "paragraph ^3: More text.\n"
                "footnote #2: Second note.\n"
                "footnote #3: Third note.\n");
    expect_html("<p>Text<sup>1</sup>.</p><p>7 dwarfs at the end.</p>",
                "paragraph ^1: Text.\n"
                "paragraph: 7 dwarfs at the end.\n");
}

/* ---- main content and chrome ---------------------------------------------------------- */

static void test_main_content(void **state)
{
    (void)state;
    expect_html("<body><header><h1>Site</h1></header><p>Outside</p>"
                "<main><h1>Article</h1><p>Body.</p></main><footer>Foot</footer></body>",
                "heading L1: Article\n"
                "paragraph: Body.\n");
    expect_html("<div class=\"x\">Outside</div><div role=\"main\"><p>Inside</p></div>",
                "paragraph: Inside\n");
    expect_html("<p>Outside</p><article><header><h1>Kept title</h1></header><p>Body</p>"
                "<footer><p>Article footer</p></footer></article>",
                "heading L1: Kept title\n"
                "paragraph: Body\n"
                "paragraph: Article footer\n");
    /* two articles: the body is read */
    expect_html("<p>Intro</p><article><p>One</p></article><article><p>Two</p></article>",
                "paragraph: Intro\n"
                "paragraph: One\n"
                "paragraph: Two\n");
    /* the chrome inside the main content goes too */
    expect_html("<main><nav class=\"toc\">Contents</nav><div class=\"social-share\">Share</div>"
                "<h1>Title</h1><script>var x;</script><p>Text</p><aside>Related</aside></main>",
                "heading L1: Title\n"
                "paragraph: Text\n");
    /* an empty main: the body */
    expect_html("<main></main><p>Elsewhere</p>", "paragraph: Elsewhere\n");
}

static void test_chrome_dropped(void **state)
{
    (void)state;
    expect_html(
        "<body>"
        "<script>document.write('script text')</script><style>p{}</style>"
        "<noscript>Enable JavaScript</noscript><template><p>Template</p></template>"
        "<nav><a>Nav</a></nav><header>Site header</header><aside>Aside</aside>"
        "<form><input value=\"x\">Form text</form><button>Button</button>"
        "<iframe>Frame</iframe><svg><text>Svg</text></svg>"
        "<p hidden>Hidden</p><p aria-hidden=\"true\">Aria hidden</p>"
        "<p style=\"color: red; display:none\">Not displayed</p>"
        "<div style=\"DISPLAY: None !important\">Not displayed either</div>"
        "<span style=\"visibility:hidden\">Invisible</span>"
        "<div id=\"cookieConsent\">Cookies</div><div class=\"gdpr-box\">GDPR</div>"
        "<div class=\"site-banner\">Banner</div><ol class=\"breadcrumb\"><li>Crumb</li></ol>"
        "<a class=\"skip-link\" href=\"#c\">Skip</a><div class=\"share-buttons\">Share</div>"
        "<ul class=\"main-menu\"><li>Menu</li></ul><div role=\"navigation\">Role nav</div>"
        "<p>Kept <span class=\"sr-only\">(opens a new window)</span>text</p>"
        "<footer>Site footer</footer></body>",
        "paragraph: Kept text\n");
    /* words of the chrome on a wrapper that holds the page's content do not drop it; nor
     * does a form around the whole page, nor a body hidden until its scripts run */
    expect_html("<body style=\"display:none\"><div class=\"page menu-closed\"><h1>Title</h1>"
                "<p>Text</p></div></body>",
                "heading L1: Title\n"
                "paragraph: Text\n");
    expect_html("<form id=\"aspnetForm\"><h1>Title</h1><p>Text</p></form>", "heading L1: Title\n"
                                                                            "paragraph: Text\n");
}

/* ---- title ---------------------------------------------------------------------------- */

static void test_title_only_without_heading(void **state)
{
    (void)state;
    expect_html("<html><head><title>Window title</title></head><body><p>Text</p></body></html>",
                "heading L1 +title: Window title\n"
                "paragraph: Text\n");
    expect_html("<html><head><title>Window title - www.coe.int</title>"
                "<meta property=\"og:title\" content=\"Page title\"></head>"
                "<body><p>Text</p></body></html>",
                "heading L1 +title: Page title\n"
                "paragraph: Text\n");
    expect_html("<html><head><meta name=\"DC.title\" content=\"Dublin Core title\">"
                "<meta name=\"description\" content=\"A description\"></head>"
                "<body><p>Text</p></body></html>",
                "heading L1 +title: Dublin Core title\n"
                "paragraph: Text\n");
    expect_html("<html><head><meta name=\"description\" content=\"A description\"></head>"
                "<body><p>Text</p></body></html>",
                "heading L1 +title: A description\n"
                "paragraph: Text\n");
    expect_html("<html><head><title>Window title</title></head><body><h2>Heading</h2>"
                "<p>Text</p></body></html>",
                "heading L2: Heading\n"
                "paragraph: Text\n");
    /* pandoc writes the file name as <title> when the document has no title */
    expect_html("<html><head><meta name=\"generator\" content=\"pandoc\" /><title>notes</title>"
                "</head><body><p>Text</p></body></html>",
                "paragraph: Text\n");
    /* pandoc's title block is kept, its h1 flagged as the title */
    expect_html("<body><header id=\"title-block-header\"><h1 class=\"title\">Report</h1>"
                "<p class=\"date\">2022</p></header><p>Text</p></body>",
                "heading L1 +title: Report\n"
                "paragraph: 2022\n"
                "paragraph: Text\n");
}

/* ---- encodings ------------------------------------------------------------------------ */

static void test_encodings(void **state)
{
    (void)state;
    /* windows-1252 declared by <meta charset> and by http-equiv, and iso-8859-1 read as
     * windows-1252 (HTML's rule: 0x80 is the euro sign) */
    expect_html("<meta charset=\"windows-1252\"><p>caf\xe9 \x93quoted\x94</p>",
                "paragraph: café “quoted”\n");
    expect_html("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"
                "<p>\x80 5</p>",
                "paragraph: € 5\n");
    /* UTF-8 BOM; UTF-16LE BOM */
    expect_html("\xEF\xBB\xBF<p>caf\xC3\xA9</p>", "paragraph: café\n");
    static const char u16[] = "\xFF\xFE<\0p\0>\0\xE9\0t\0\xE9\0";
    char *got = read_len(u16, sizeof u16 - 1);
    assert_string_equal(got, "paragraph: été\n");
    free(got);
    /* undeclared: UTF-8 when the bytes are, windows-1252 when they are not */
    expect_html("<p>Türkiye</p>", "paragraph: Türkiye\n");
    expect_html("<p>T\xfcrkiye, Norv\xe8ge</p>", "paragraph: Türkiye, Norvège\n");
    /* declared UTF-8 with a damaged byte: U+FFFD, the rest intact */
    expect_html("<meta charset=utf-8><p>caf\xC3\xA9 \xFF ok</p>",
                "paragraph: café \xEF\xBF\xBD ok\n");
    /* a charset no converter knows: read as if undeclared */
    expect_html("<meta charset=\"x-no-such-charset\"><p>caf\xC3\xA9</p>", "paragraph: café\n");
}

/* ---- bad input ------------------------------------------------------------------------ */

static void test_no_text(void **state)
{
    (void)state;
    expect_error("", LZS_ERR_PARSE, "bad.html: no text in the HTML body");
    expect_error("   \n\t ", LZS_ERR_PARSE, "bad.html: no text in the HTML body");
    expect_error("<html><head><title>Only a title</title></head><body>  </body></html>",
                 LZS_ERR_PARSE, "bad.html: no text in the HTML body");
    expect_error("<body><script>alert('x')</script><nav>Menu</nav><p> &nbsp; </p></body>",
                 LZS_ERR_PARSE, "bad.html: no text in the HTML body");
    expect_error("<table><tr><td></td></tr></table>", LZS_ERR_PARSE,
                 "bad.html: no text in the HTML body");
    expect_error_len("\0\0\0\0", 4, LZS_ERR_PARSE, "bad.html: no text in the HTML body");
}

static char *nested(int depth, const char *text)
{
    size_t cap = (size_t)depth * 11 + strlen(text) + 1;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t n = 0;
    for (int i = 0; i < depth; i++)
        n += (size_t)snprintf(s + n, cap - n, "<div>");
    n += (size_t)snprintf(s + n, cap - n, "%s", text);
    for (int i = 0; i < depth; i++)
        n += (size_t)snprintf(s + n, cap - n, "</div>");
    return s;
}

static void test_limits(void **state)
{
    (void)state;
    /* html and body count: 198 divs are 200 elements deep */
    char *ok = nested(198, "deep text");
    char *got = read_len(ok, strlen(ok));
    assert_string_equal(got, "paragraph: deep text\n");
    free(got);
    free(ok);
    char *deep = nested(199, "too deep");
    expect_error(deep, LZS_ERR_LIMIT, "bad.html: HTML elements nested more than 200 deep");
    free(deep);
    /* deeper than libxml2 builds (256): refused, not read in part */
    deep = nested(5000, "far too deep");
    expect_error(deep, LZS_ERR_LIMIT, "bad.html: HTML elements nested more than 200 deep");
    free(deep);

    size_t big = (size_t)LZS_EXTRACT_MAX_FILE + 1;
    char *huge = malloc(big + 1);
    assert_non_null(huge);
    memset(huge, 'a', big);
    huge[big] = '\0';
    char msg[128];
    snprintf(msg, sizeof msg, "bad.html: HTML too large (%zu bytes, limit %u)", big,
             LZS_EXTRACT_MAX_FILE);
    expect_error_len(huge, big, LZS_ERR_LIMIT, msg);
    free(huge);
}

/* 1 when s is valid UTF-8 without control characters. */
static int clean_utf8(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        size_t n = *u < 0x80 ? 0 : *u >= 0xF0 ? 3 : *u >= 0xE0 ? 2 : *u >= 0xC2 ? 1 : 9;
        if (n == 9 || *u < 0x20 || *u == 0x7F)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((u[k] & 0xC0) != 0x80)
                return 0;
        }
        u += n + 1;
    }
    return 1;
}

static void test_binary_junk(void **state)
{
    (void)state;
    /* bytes from a fixed generator: never a crash; either blocks of valid UTF-8 or the
     * no-text message */
    uint32_t x = 2463534242u;
    for (int round = 0; round < 200; round++) {
        size_t len = 1 + (size_t)(x % 3000);
        char *junk = malloc(len);
        assert_non_null(junk);
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            /* every third round mostly markup, to get past the tokenizer */
            junk[i] = round % 3 == 0 ? "<>/p dlia=\"'&#;x\xC3\xA9\x00\xFF"[x % 21] : (char)x;
        }
        lzs_blocks_t bs = {0};
        char *err = NULL;
        lzs_status_t st = lzs_read_html(NULL, "junk.html", junk, len, &bs, &err);
        if (st == LZS_OK) {
            assert_null(err);
            assert_true(bs.n > 0);
            for (size_t i = 0; i < bs.n; i++)
                assert_true(clean_utf8(bs.v[i].text));
        } else {
            assert_int_equal(st, LZS_ERR_PARSE);
            assert_string_equal(err, "junk.html: no text in the HTML body");
            assert_int_equal(bs.n, 0);
        }
        free(err);
        lzs_blocks_clear(&bs);
        free(junk);
    }
}

static void test_appends_and_rolls_back(void **state)
{
    (void)state;
    /* the reader appends to what out holds, and leaves it as it was when it fails */
    lzs_blocks_t bs = {0};
    assert_non_null(lzs_blocks_add(&bs, LZS_BLOCK_PARAGRAPH, "before", 6));
    char *err = NULL;
    const char *good = "<p>Text</p>";
    assert_int_equal(lzs_read_html(NULL, "a.html", good, strlen(good), &bs, &err), LZS_OK);
    assert_int_equal(bs.n, 2);
    assert_string_equal(bs.v[1].text, "Text");
    const char *bad = "<table><tr><td></td></tr></table><p></p>";
    assert_int_equal(lzs_read_html(NULL, "b.html", bad, strlen(bad), &bs, &err), LZS_ERR_PARSE);
    assert_int_equal(bs.n, 2);
    free(err);
    /* a title goes before this call's blocks, not before the earlier ones */
    err = NULL;
    const char *titled = "<title>T</title><p>U</p>";
    assert_int_equal(lzs_read_html(NULL, "c.html", titled, strlen(titled), &bs, &err), LZS_OK);
    char *d = dump(&bs);
    assert_string_equal(d, "paragraph: before\n"
                           "paragraph: Text\n"
                           "heading L1 +title: T\n"
                           "paragraph: U\n");
    free(d);
    lzs_blocks_clear(&bs);
}

static void test_silent_on_stderr(void **state)
{
    (void)state;
    /* libxml2 reports errors in these through the call's own handler: nothing reaches
     * stderr */
    static const char *const inputs[] = {
        "<p>unclosed <b>bold <i>and <table><td>cell</p></div></span>",
        "<html><html><body><body><p>x</p></body></frameset>",
        "<p>\x01\x02 control characters \x7f</p><p>invalid \xC3\x28 UTF-8 \xF8\x88\x80\x80\x80</p>",
        "<!DOCTYPE html SYSTEM \"http://example.invalid/x.dtd\"><p>&undefined; &#xD800; &#0;</p>",
        "<meta charset=\"utf-16\"><p>declared UTF-16 but ASCII</p>",
        /* libxml2 converting this itself prints "encoding error" on stderr */
        "<meta charset=\"shift_jis\"><p>\x81\x20\xff broken Shift-JIS</p>",
        "<p attr=\"unterminated>text",
        "<?xml version=\"1.0\" encoding=\"bogus\"?><p>xml decl</p>",
    };
    fflush(stderr);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        lzs_blocks_t bs = {0};
        char *err = NULL;
        lzs_read_html(NULL, "noisy.html", inputs[i], strlen(inputs[i]), &bs, &err);
        free(err);
        lzs_blocks_clear(&bs);
    }
    char *deep = nested(300, "x");
    lzs_blocks_t bs = {0};
    char *err = NULL;
    lzs_read_html(NULL, "deep.html", deep, strlen(deep), &bs, &err);
    free(err);
    free(deep);
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    long size = ftell(tmp);
    if (size != 0) {
        char buf[512] = {0};
        rewind(tmp);
        size_t got = fread(buf, 1, sizeof buf - 1, tmp);
        (void)got;
        fprintf(stderr, "printed on stderr: %s\n", buf);
    }
    fseek(tmp, 0, SEEK_END);
    assert_int_equal(ftell(tmp), 0);
    fclose(tmp);
}

/* ---- whole pages ---------------------------------------------------------------------- */

static const char coe_expected[] =
    "heading L1: Lanzarote Committee adopts its implementation report on the 2nd monitoring "
    "round\n"
    "paragraph: Strasbourg 10 March 2022\n"
    "paragraph ^1: The Committee of the Parties to the Council of Europe Convention on the "
    "Protection of Children against Sexual Exploitation and Sexual Abuse (the “Lanzarote "
    "Committee”) adopted its implementation report on the protection of children against "
    "sexual exploitation and sexual abuse facilitated by information and communication "
    "technologies.\n"
    "paragraph ^2: The report concerns 43 Parties and recommends international co-operation.\n"
    "heading L2: Main findings\n"
    "paragraph: The Committee:\n"
    "paragraph L1: a. requires Parties to criminalise the solicitation of children;\n"
    "paragraph L1: b. invites Parties to raise awareness:\n"
    "paragraph L2: • among parents,\n"
    "paragraph L2: • among professionals.\n"
    "paragraph +caption: Replies received\n"
    "table-cell 1,1: Party\n"
    "table-cell 1,2: Replies\n"
    "table-cell 2,1: Andorra\n"
    "table-cell 2,2: 12\n"
    "table-cell 2,3: 2019\n"
    "table-cell 3,1: Austria\n"
    "table-cell 3,2 ^3: 9\n"
    "table-cell 3,3: 2020\n"
    "paragraph: Implementation report (PDF)\n"
    "footnote #1: The second monitoring round covered child self-generated sexual images "
    "and/or videos.\n"
    "footnote #2: See Article 38 of the Lanzarote Convention.\n"
    "footnote #3: Recommendation V-17.\n";

static void test_coe_page(void **state)
{
    (void)state;
    size_t len;
    char *html = read_fixture("coe_page.html", &len);
    char *got = read_len(html, len);
    assert_string_equal(got, coe_expected);
    free(got);
    free(html);
}

static void test_pandoc_page(void **state)
{
    (void)state;
    size_t len;
    char *html = read_fixture("pandoc.html", &len);
    char *got = read_len(html, len);
    /* what pandoc.md says, as printed */
    assert_string_equal(got, "heading L1: Compliance report on the special report\n"
                             "heading L2: II. Recommendations\n"
                             "paragraph ^1: The Lanzarote Committee examined the replies of "
                             "co-operating Parties to its urgent monitoring round.\n"
                             "paragraph L1: 4. The Committee urges Parties to identify child "
                             "victims.\n"
                             "paragraph L1 ^2: 5. The Committee urges Parties to protect them:\n"
                             "paragraph L2: a. in reception centres;\n"
                             "paragraph L2: b. in detention.\n"
                             "paragraph L1: 6. The Committee considers that Parties should "
                             "train staff.\n"
                             "paragraph L1: • Prevention;\n"
                             "paragraph L1: • Protection of victims.\n"
                             "table-cell 1,1: Party\n"
                             "table-cell 1,2: Recommendations\n"
                             "table-cell 1,3: Replies\n"
                             "table-cell 2,1: Greece\n"
                             "table-cell 2,2: R I-4\n"
                             "table-cell 2,3: 2019\n"
                             "table-cell 3,1: Italy\n"
                             "table-cell 3,2: R II-3\n"
                             "table-cell 3,3: 2020\n"
                             "footnote #1: See the questionnaire adopted on 6 June 2017.\n"
                             "footnote #2: Recommendation R XX, see the report.\n");
    free(got);
    free(html);
}

/* ---- threads -------------------------------------------------------------------------- */

typedef struct {
    const char *html;
    size_t len;
    const char *expected;
    int mismatches;
} job_t;

static void *reader_thread(void *arg)
{
    job_t *job = arg;
    for (int i = 0; i < 25; i++) {
        lzs_blocks_t bs = {0};
        char *err = NULL;
        lzs_status_t st = lzs_read_html(NULL, "coe_page.html", job->html, job->len, &bs, &err);
        char *d = st == LZS_OK ? format_blocks(&bs) : NULL;
        job->mismatches += d == NULL || strcmp(d, job->expected) != 0;
        free(d);
        free(err);
        lzs_blocks_clear(&bs);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    size_t len;
    char *html = read_fixture("coe_page.html", &len);
    enum { NTHREADS = 4 };
    pthread_t t[NTHREADS];
    job_t jobs[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        jobs[i] = (job_t){.html = html, .len = len, .expected = coe_expected};
        assert_int_equal(pthread_create(&t[i], NULL, reader_thread, &jobs[i]), 0);
    }
    for (int i = 0; i < NTHREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(jobs[i].mismatches, 0);
    }
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headings_and_paragraphs),
        cmocka_unit_test(test_inline_text_joins),
        cmocka_unit_test(test_style_flags),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_bullets_and_nesting),
        cmocka_unit_test(test_ordered_lists),
        cmocka_unit_test(test_nested_ordered_and_empty_items),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_nested_and_layout_tables),
        cmocka_unit_test(test_footnote_markers),
        cmocka_unit_test(test_footnotes_pandoc_section),
        cmocka_unit_test(test_footnotes_by_id_and_position),
        cmocka_unit_test(test_footnotes_as_paragraphs),
        cmocka_unit_test(test_main_content),
        cmocka_unit_test(test_chrome_dropped),
        cmocka_unit_test(test_title_only_without_heading),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_no_text),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_binary_junk),
        cmocka_unit_test(test_appends_and_rolls_back),
        cmocka_unit_test(test_silent_on_stderr),
        cmocka_unit_test(test_coe_page),
        cmocka_unit_test(test_pandoc_page),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
