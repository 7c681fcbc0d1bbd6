/* read_html.c — the HTML reader: a web page (a coe.int article inside the site's header,
 * navigation, banners and footer) or a standalone HTML file (pandoc -s) -> blocks, as
 * block.h describes them.
 *
 * Steps, one function each:
 *   decode_input   the bytes to UTF-8: a byte order mark, else the charset a <meta> names
 *                  in the first 1024 bytes, else UTF-8 when most of the bytes are UTF-8,
 *                  else windows-1252 (what HTML assumes of a Western page). Done here and
 *                  not by libxml2 because libxml2 reports a conversion error through its
 *                  process-wide handler, which prints to stderr.
 *   parse          libxml2's HTML parser on a parser context of this call, with a
 *                  structured error handler of that context (never the global one), no
 *                  network, errors and warnings not printed. Running out of memory inside
 *                  libxml2 is LZS_ERR_NOMEM, never a page read in part (see parse()).
 *   choose_root    the main content: the first <main> or [role=main], else the only
 *                  <article>, else the whole page but its <head>; either way without the
 *                  site's chrome (the tables `elements`, `chrome_words`, `dropped_roles`
 *                  below).
 *   walk           the tree into blocks: headings, paragraphs (a list item's first block
 *                  starts with its number or bullet as printed; a list's paragraphs have
 *                  level = the list's depth), table cells, footnotes; footnote references
 *                  become marks.
 *   trailing_notes paragraphs at the end that are footnotes written as "3 Text".
 *   add_title      only when the content has no heading: the page's title first (not
 *                  from a pandoc page, whose <title> is its file name when untitled).
 *
 * Limits (LZS_ERR_LIMIT): at most LZS_EXTRACT_MAX_FILE bytes of HTML, and elements nested
 * at most HTML_MAX_DEPTH deep. libxml2 silently stops building the tree (and reading the
 * rest of the page) at depth 256, so the limit lies below that: a deeper page is refused
 * instead of being read in part.
 *
 * Page chrome is dropped, not sent to lzs_blocks_add_furniture(): a site's header and
 * footer hold no document code for the header stage to find.
 */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <unicode/ucnv.h>

#include "block.h"
#include "lzs/extract.h"
#include "lzs/file.h"
#include "lzs/text.h"

/* Deepest element nesting accepted (libxml2 itself stops at 256). */
#define HTML_MAX_DEPTH 200
/* Bytes searched for a <meta charset>, as HTML's prescan does. */
#define HTML_PRESCAN 1024
/* Columns of a table whose rowspans are followed; cells further right are placed as if no
 * cell above reached down into their row. */
#define HTML_MAX_SPAN_COLS 1024
/* colspan and rowspan as HTML clamps them. */
#define HTML_MAX_COLSPAN 1000
#define HTML_MAX_ROWSPAN 65534
/* A footnote marker or label is short: "12", "[3]", "1, 2". */
#define HTML_MAX_MARK_TEXT 24
#define HTML_MAX_MARKS 8

/* ---- what each element is --------------------------------------------------------- */

typedef enum {
    EL_INLINE,   /* text joins the text around it (also every element not listed) */
    EL_BLOCK,    /* starts and ends a block */
    EL_HEADING,  /* arg: level */
    EL_LIST,     /* arg: 1 for ol */
    EL_ITEM,     /* li */
    EL_TABLE,    /* table */
    EL_ROW,      /* tr */
    EL_CELL,     /* td, th */
    EL_CAPTION,  /* caption, figcaption: a paragraph that never heads a section */
    EL_BREAK,    /* br: a space */
    EL_RULE,     /* hr: ends a block */
    EL_BOLD,     /* b, strong */
    EL_ITALIC,   /* i, em */
    EL_SUP,      /* a footnote marker when it holds only a number */
    EL_LINK,     /* a: a footnote marker or back-link, else inline */
    EL_DROP,     /* never text of the page */
    EL_LANDMARK, /* header, footer: the site's, unless inside article/aside/main/nav/section */
    EL_ASIDE,    /* aside: dropped unless it holds the footnotes */
    EL_WRAPPER   /* form: dropped unless the page's content is inside it */
} el_kind_t;

typedef struct {
    const char *name;
    el_kind_t kind;
    int arg;
} el_rule_t;

/* Sorted by name (bsearch). libxml2 gives element names in lower case. */
static const el_rule_t elements[] = {
    {"a", EL_LINK, 0},           {"address", EL_BLOCK, 0},    {"applet", EL_DROP, 0},
    {"article", EL_BLOCK, 0},    {"aside", EL_ASIDE, 0},      {"audio", EL_DROP, 0},
    {"b", EL_BOLD, 0},           {"blockquote", EL_BLOCK, 0}, {"body", EL_BLOCK, 0},
    {"br", EL_BREAK, 0},         {"button", EL_DROP, 0},      {"canvas", EL_DROP, 0},
    {"caption", EL_CAPTION, 0},    {"center", EL_BLOCK, 0},     {"col", EL_DROP, 0},
    {"colgroup", EL_DROP, 0},    {"datalist", EL_DROP, 0},    {"dd", EL_BLOCK, 0},
    {"details", EL_BLOCK, 0},    {"dialog", EL_DROP, 0},      {"dir", EL_LIST, 0},
    {"div", EL_BLOCK, 0},        {"dl", EL_BLOCK, 0},         {"dt", EL_BLOCK, 0},
    {"em", EL_ITALIC, 0},        {"embed", EL_DROP, 0},       {"fieldset", EL_BLOCK, 0},
    {"figcaption", EL_CAPTION, 0}, {"figure", EL_BLOCK, 0},     {"footer", EL_LANDMARK, 0},
    {"form", EL_WRAPPER, 0},     {"frame", EL_DROP, 0},       {"frameset", EL_DROP, 0},
    {"h1", EL_HEADING, 1},       {"h2", EL_HEADING, 2},       {"h3", EL_HEADING, 3},
    {"h4", EL_HEADING, 4},       {"h5", EL_HEADING, 5},       {"h6", EL_HEADING, 6},
    {"head", EL_DROP, 0},        {"header", EL_LANDMARK, 0},  {"hgroup", EL_BLOCK, 0},
    {"hr", EL_RULE, 0},          {"html", EL_BLOCK, 0},       {"i", EL_ITALIC, 0},
    {"iframe", EL_DROP, 0},      {"img", EL_DROP, 0},         {"input", EL_DROP, 0},
    {"legend", EL_BLOCK, 0},     {"li", EL_ITEM, 0},          {"listing", EL_BLOCK, 0},
    {"main", EL_BLOCK, 0},       {"map", EL_DROP, 0},         {"menu", EL_LIST, 0},
    {"nav", EL_DROP, 0},         {"noembed", EL_DROP, 0},     {"noframes", EL_DROP, 0},
    {"noscript", EL_DROP, 0},    {"object", EL_DROP, 0},      {"ol", EL_LIST, 1},
    {"optgroup", EL_DROP, 0},    {"option", EL_DROP, 0},      {"p", EL_BLOCK, 0},
    {"picture", EL_DROP, 0},     {"plaintext", EL_BLOCK, 0},  {"pre", EL_BLOCK, 0},
    {"script", EL_DROP, 0},      {"section", EL_BLOCK, 0},    {"select", EL_DROP, 0},
    {"strong", EL_BOLD, 0},      {"style", EL_DROP, 0},       {"summary", EL_BLOCK, 0},
    {"sup", EL_SUP, 0},          {"svg", EL_DROP, 0},         {"table", EL_TABLE, 0},
    {"tbody", EL_BLOCK, 0},      {"td", EL_CELL, 0},          {"template", EL_DROP, 0},
    {"textarea", EL_DROP, 0},    {"tfoot", EL_BLOCK, 0},      {"th", EL_CELL, 0},
    {"thead", EL_BLOCK, 0},      {"title", EL_DROP, 0},       {"tr", EL_ROW, 0},
    {"ul", EL_LIST, 0},          {"video", EL_DROP, 0},       {"xmp", EL_BLOCK, 0},
};

/* Words that, inside an element's id or one of its classes, mark the site's chrome: cookie
 * banners, breadcrumbs, skip links, share buttons, menus. */
static const char *const chrome_words[] = {"cookie",     "consent", "gdpr",  "banner",
                                           "breadcrumb", "skip",    "share", "menu"};

/* Classes of text meant for screen readers only: not on the printed page. */
static const char *const hidden_classes[] = {"sr-only", "visually-hidden", "visuallyhidden",
                                             "screen-reader-text", "element-invisible"};

/* ARIA roles of the site's landmarks and widgets. */
static const char *const dropped_roles[] = {"navigation", "banner",  "contentinfo",
                                            "search",     "dialog",  "alertdialog",
                                            "menu",       "menubar", "toolbar"};

/* Inline style declarations that hide an element. */
static const struct {
    const char *prop, *value;
} hidden_styles[] = {{"display", "none"}, {"visibility", "hidden"}};

/* Ids of elements kept although their kind would drop them: pandoc's title block (a
 * <header> in the body holding the document's title, author and date). */
static const char *const kept_ids[] = {"title-block-header"};

/* A footnotes section: pandoc's <section class="footnotes"> / <aside id="footnotes">,
 * kramdown's <div class="footnotes">, the doc-endnotes role. */
static const char *const notes_words[] = {"footnotes", "endnotes", "doc-endnotes"};

/* Ids of one footnote, the prefix then its number (an optional '-', '_' or ':' between):
 * fn3 (pandoc), fn:3 (kramdown), footnote-3, ftn3 and _ftn3 (Word), edn3 (Word endnotes). */
static const char *const note_id_prefixes[] = {"fn",  "footnote", "ftn",    "_ftn",
                                               "edn", "_edn",     "endnote"};

/* Classes and roles of a link back from a footnote to its reference. */
static const char *const backlink_words[] = {"footnote-back", "footnote-backref", "reversefootnote",
                                             "doc-backlink"};
/* Targets of such links: pandoc, kramdown, Word. */
static const char *const backlink_targets[] = {"#fnref", "#_ftnref", "#ftnref", "#_ednref",
                                               "#footnote-ref"};

/* Classes and roles of a footnote reference link. */
static const char *const noteref_words[] = {"footnote-ref", "doc-noteref"};

/* Meta data that titles a page, best first (name or property attribute; "" is <title>).
 * Used only when the content has no heading. */
static const char *const title_sources[] = {"og:title",    "dc.title",       "dcterms.title", "",
                                            "description", "og:description", "dc.description"};

/* Encoding labels HTML reads as windows-1252 (WHATWG Encoding Standard). */
static const char *const latin1_labels[] = {"ansi_x3.4-1968",
                                            "ascii",
                                            "cp1252",
                                            "cp819",
                                            "csisolatin1",
                                            "ibm819",
                                            "iso-8859-1",
                                            "iso-ir-100",
                                            "iso8859-1",
                                            "iso88591",
                                            "iso_8859-1",
                                            "iso_8859-1:1987",
                                            "l1",
                                            "latin1",
                                            "us-ascii",
                                            "windows-1252",
                                            "x-cp1252",
                                            "x-user-defined"};

/* List styles (type attribute of <ol>, list-style-type of CSS): the label they print. */
static const struct {
    const char *name;
    char style; /* '1', 'a', 'A', 'i', 'I', '*' (bullet), 0 (none) */
} list_styles[] = {
    {"decimal", '1'},     {"lower-alpha", 'a'}, {"lower-latin", 'a'}, {"upper-alpha", 'A'},
    {"upper-latin", 'A'}, {"lower-roman", 'i'}, {"upper-roman", 'I'}, {"disc", '*'},
    {"circle", '*'},      {"square", '*'},      {"none", 0},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- small helpers -------------------------------------------------------------------- */

static int in_list(const char *const *list, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        if (strlen(list[i]) == len && strncasecmp(list[i], s, len) == 0)
            return 1;
    }
    return 0;
}

static int is_space_char(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int cmp_rule(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const el_rule_t *)elem)->name);
}

static const el_rule_t *rule_of(const xmlNode *el)
{
    return bsearch(el->name, elements, COUNT(elements), sizeof elements[0], cmp_rule);
}

static el_kind_t kind_of(const xmlNode *el)
{
    const el_rule_t *r = rule_of(el);
    return r ? r->kind : EL_INLINE;
}

static int named(const xmlNode *el, const char *name)
{
    return el->type == XML_ELEMENT_NODE && strcmp((const char *)el->name, name) == 0;
}

/* Value of attribute name of el: NULL when absent, "" when present without a value
 * ("hidden"). Borrowed: valid while the document lives. */
static const char *attr(const xmlNode *el, const char *name)
{
    for (const xmlAttr *a = el->properties; a != NULL; a = a->next) {
        if (strcasecmp((const char *)a->name, name) != 0)
            continue;
        if (a->children != NULL && a->children->content != NULL)
            return (const char *)a->children->content;
        return "";
    }
    return NULL;
}

/* 1 when a word of the white-space separated list s equals one of words. */
static int has_token(const char *s, const char *const *words, size_t nwords)
{
    if (s == NULL)
        return 0;
    while (*s) {
        while (*s && is_space_char(*s))
            s++;
        size_t len = 0;
        while (s[len] && !is_space_char(s[len]))
            len++;
        if (len > 0 && in_list(words, nwords, s, len))
            return 1;
        s += len;
    }
    return 0;
}

/* 1 when one of words occurs inside s, case ignored. */
static int has_word_inside(const char *s, const char *const *words, size_t nwords)
{
    if (s == NULL)
        return 0;
    for (size_t i = 0; i < nwords; i++) {
        size_t wl = strlen(words[i]);
        for (const char *p = s; *p; p++) {
            if (strncasecmp(p, words[i], wl) == 0)
                return 1;
        }
    }
    return 0;
}

/* The value of property prop in an inline style ("display: none; color: red"), copied
 * into out (lower case, trimmed); 0 when not there. */
static int style_value(const char *style, const char *prop, char *out, size_t cap)
{
    if (style == NULL)
        return 0;
    size_t pl = strlen(prop);
    const char *s = style;
    while (*s) {
        while (*s && (is_space_char(*s) || *s == ';'))
            s++;
        const char *name = s;
        while (*s && *s != ':' && *s != ';')
            s++;
        size_t nl = (size_t)(s - name);
        while (nl > 0 && is_space_char(name[nl - 1]))
            nl--;
        if (*s != ':')
            continue;
        s++;
        while (*s && is_space_char(*s))
            s++;
        const char *v = s;
        while (*s && *s != ';')
            s++;
        size_t vl = (size_t)(s - v);
        while (vl > 0 && is_space_char(v[vl - 1]))
            vl--;
        if (nl == pl && strncasecmp(name, prop, pl) == 0) {
            size_t k = 0;
            for (; k < vl && k + 1 < cap; k++)
                out[k] = (char)tolower((unsigned char)v[k]);
            out[k] = '\0';
            return 1;
        }
    }
    return 0;
}

/* Parses a decimal integer attribute; def when absent or not a number. */
static long int_attr(const xmlNode *el, const char *name, long def)
{
    const char *v = attr(el, name);
    if (v == NULL)
        return def;
    while (is_space_char(*v))
        v++;
    char *end;
    long x = strtol(v, &end, 10);
    if (end == v)
        return def;
    if (x > 1000000000L)
        return 1000000000L;
    if (x < -1000000000L)
        return -1000000000L;
    return x;
}

/* The number of a footnote id ("fn3", "fn:3", "_ftn3", "footnote-3"), else 0. */
static unsigned note_id_number(const char *id)
{
    if (id == NULL)
        return 0;
    for (size_t i = 0; i < COUNT(note_id_prefixes); i++) {
        size_t pl = strlen(note_id_prefixes[i]);
        if (strncasecmp(id, note_id_prefixes[i], pl) != 0)
            continue;
        const char *p = id + pl;
        if (*p == '-' || *p == '_' || *p == ':')
            p++;
        unsigned v = 0;
        size_t d = 0;
        while (isdigit((unsigned char)p[d]) && d < 5) {
            v = v * 10 + (unsigned)(p[d] - '0');
            d++;
        }
        if (d > 0 && d < 5 && p[d] == '\0' && v > 0)
            return v;
    }
    return 0;
}

static int starts_with_any(const char *s, const char *const *prefixes, size_t n)
{
    if (s == NULL)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (strncasecmp(s, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    }
    return 0;
}

/* ---- decoding the bytes --------------------------------------------------------------- */

/* The charset a <meta> names in the first HTML_PRESCAN bytes (<meta charset="x">, or
 * <meta http-equiv="Content-Type" content="text/html; charset=x">), copied into label. */
static int meta_charset(const char *buf, size_t len, char *label, size_t cap)
{
    size_t end = len < HTML_PRESCAN ? len : HTML_PRESCAN;
    for (size_t i = 0; i + 5 < end; i++) {
        if (buf[i] != '<' || strncasecmp(buf + i + 1, "meta", 4) != 0)
            continue;
        size_t j = i + 5;
        while (j < end && buf[j] != '>') {
            if (j + 7 <= end && strncasecmp(buf + j, "charset", 7) == 0) {
                size_t k = j + 7;
                while (k < end && is_space_char(buf[k]))
                    k++;
                if (k < end && buf[k] == '=') {
                    k++;
                    while (k < end && (is_space_char(buf[k]) || buf[k] == '"' || buf[k] == '\''))
                        k++;
                    size_t n = 0;
                    while (k + n < end && n + 1 < cap &&
                           (isalnum((unsigned char)buf[k + n]) || buf[k + n] == '-' ||
                            buf[k + n] == '_' || buf[k + n] == '.' || buf[k + n] == ':')) {
                        label[n] = buf[k + n];
                        n++;
                    }
                    label[n] = '\0';
                    if (n > 0)
                        return 1;
                }
            }
            j++;
        }
    }
    return 0;
}

/* The encoding the page declares (byte order mark, else <meta>), as a name ICU knows, and
 * the bytes of a BOM to skip; NULL when it declares none. */
static const char *declared_encoding(const char *buf, size_t len, char *label, size_t cap,
                                     size_t *skip)
{
    const unsigned char *u = (const unsigned char *)buf;
    *skip = 0;
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        *skip = 3;
        return "UTF-8";
    }
    if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        *skip = 2;
        return "UTF-16LE";
    }
    if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        *skip = 2;
        return "UTF-16BE";
    }
    if (!meta_charset(buf, len, label, cap))
        return NULL;
    /* A <meta> that could be read in ASCII says UTF-16 only by mistake (HTML's rule). */
    if (strncasecmp(label, "utf-16", 6) == 0 || strncasecmp(label, "utf16", 5) == 0 ||
        strncasecmp(label, "utf-32", 6) == 0 || strncasecmp(label, "ucs", 3) == 0 ||
        strcasecmp(label, "utf-8") == 0 || strcasecmp(label, "utf8") == 0)
        return "UTF-8";
    if (in_list(latin1_labels, COUNT(latin1_labels), label, strlen(label)))
        return "windows-1252";
    return label;
}

/* Removes NUL bytes (HTML ignores them; libxml2 would take one for the end) in place. */
static size_t drop_nuls(char *s, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\0')
            s[o++] = s[i];
    }
    s[o] = '\0';
    return o;
}

/* Converts len bytes in encoding enc to UTF-8 with ICU (invalid input becomes U+FFFD).
 * LZS_ERR_NOT_FOUND when ICU does not know enc. */
static lzs_status_t icu_to_utf8(const char *enc, const char *s, size_t len, char **out,
                                size_t *outlen)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t need = ucnv_convert("UTF-8", enc, NULL, 0, s, (int32_t)len, &err);
    if (err == U_MEMORY_ALLOCATION_ERROR)
        return LZS_ERR_NOMEM; /* not an unknown charset: that would read the page otherwise */
    if (U_FAILURE(err) && err != U_BUFFER_OVERFLOW_ERROR)
        return LZS_ERR_NOT_FOUND;
    char *o = malloc((size_t)need + 1);
    if (o == NULL)
        return LZS_ERR_NOMEM;
    err = U_ZERO_ERROR;
    int32_t got = ucnv_convert("UTF-8", enc, o, need + 1, s, (int32_t)len, &err);
    if (U_FAILURE(err) || got < 0 || got > need) {
        free(o);
        return err == U_MEMORY_ALLOCATION_ERROR ? LZS_ERR_NOMEM : LZS_ERR_NOT_FOUND;
    }
    *outlen = drop_nuls(o, (size_t)got);
    *out = o;
    return LZS_OK;
}

/* UTF-8 input: invalid sequences become U+FFFD; *nbad counts them. */
static lzs_status_t utf8_clean(const char *s, size_t len, char **out, size_t *outlen, size_t *nbad)
{
    char *copy = NULL;
    if (memchr(s, '\0', len) != NULL) {
        copy = malloc(len + 1);
        if (copy == NULL)
            return LZS_ERR_NOMEM;
        memcpy(copy, s, len);
        len = drop_nuls(copy, len);
        s = copy;
    }
    lzs_status_t st = lzs_text_sanitize_utf8(s, len, out, outlen, nbad);
    free(copy);
    return st;
}

/* The page as UTF-8 without NUL bytes (see the file comment for how the encoding is
 * chosen). Caller frees *out with free(). */
static lzs_status_t decode_input(const char *buf, size_t len, char **out, size_t *outlen)
{
    char label[64];
    size_t skip;
    const char *enc = declared_encoding(buf, len, label, sizeof label, &skip);
    buf += skip;
    len -= skip;
    if (enc != NULL && strcmp(enc, "UTF-8") != 0) {
        lzs_status_t st = icu_to_utf8(enc, buf, len, out, outlen);
        if (st != LZS_ERR_NOT_FOUND)
            return st;
        enc = NULL; /* a charset ICU does not know: guess as if none were named */
    }
    size_t nbad = 0;
    lzs_status_t st = utf8_clean(buf, len, out, outlen, &nbad);
    if (st != LZS_OK || enc != NULL || nbad == 0)
        return st;
    /* Undeclared and not all UTF-8: UTF-8 with a few damaged bytes when most bytes above
     * ASCII still form UTF-8 sequences, else a legacy page, read as windows-1252. */
    size_t high = 0;
    for (size_t i = 0; i < len; i++)
        high += (unsigned char)buf[i] >= 0x80;
    if (nbad * 4 <= high)
        return LZS_OK;
    free(*out);
    *out = NULL;
    return icu_to_utf8("windows-1252", buf, len, out, outlen);
}

/* ---- parsing ---------------------------------------------------------------------------- */

typedef struct {
    int nomem; /* libxml2 ran out of memory: the tree is incomplete */
} parse_errors_t;

/* The structured error handler of this call's parser context: nothing is printed; running
 * out of memory stops the parser, because libxml2 2.9.14's HTML parser may otherwise loop
 * for ever after a failed allocation (found by tests/fault/test_oom_xapian.c). */
static void on_parse_error(void *data, xmlErrorPtr e)
{
    (void)data; /* which pointer libxml2 passes here depends on its global handlers */
    xmlParserCtxtPtr ctxt = e ? e->ctxt : NULL;
    parse_errors_t *pe = ctxt ? ctxt->_private : NULL;
    if (pe != NULL && e->code == XML_ERR_NO_MEMORY) {
        pe->nomem = 1;
        xmlStopParser(ctxt);
    }
}

/* After a callback of libxml2's tree builder: an allocation that failed while it built a
 * node or an attribute. libxml2 2.9.14 reports those to its process-wide handler only (its
 * tree functions have no parser context) and goes on without the node or attribute; the
 * last error, which it keeps per thread, shows them. */
static void check_tree(void *ctx)
{
    const xmlError *e = xmlGetLastError();
    if (e == NULL || e->code != XML_ERR_NO_MEMORY)
        return;
    xmlParserCtxtPtr ctxt = ctx;
    parse_errors_t *pe = ctxt->_private;
    pe->nomem = 1;
    xmlStopParser(ctxt);
}

static void on_start_element(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    xmlResetLastError();
    xmlSAX2StartElement(ctx, name, atts);
    check_tree(ctx);
}

static void on_characters(void *ctx, const xmlChar *ch, int len)
{
    xmlResetLastError();
    xmlSAX2Characters(ctx, ch, len);
    check_tree(ctx);
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2 fills its tables once, before any thread parses. */
static void xml_init(void)
{
    xmlInitParser();
}

/* Parses UTF-8 text; *doc is NULL when libxml2 finds no document at all (empty input).
 * Caller frees *doc with xmlFreeDoc(). */
static lzs_status_t parse(const char *text, size_t len, xmlDocPtr *doc)
{
    *doc = NULL;
    if (len == 0)
        return LZS_OK; /* below, the mark alone would be read as text */
    pthread_once(&xml_once, xml_init);
    /* The text is UTF-8 already. Named as an encoding, libxml2 2.9.14 would convert it
     * chunk by chunk and crash when growing that buffer fails; a byte order mark makes it
     * read the text as UTF-8 in place (unnamed, it would guess Latin-1), and IGNORE_ENC
     * keeps it from switching on the page's <meta charset>. */
    char *bom = malloc(len + 4);
    htmlParserCtxtPtr ctxt = bom ? htmlNewParserCtxt() : NULL;
    int nomem = ctxt == NULL || ctxt->sax == NULL;
    xmlDocPtr d = NULL;
    if (!nomem) {
        parse_errors_t pe = {0};
        ctxt->_private = &pe;
        /* libxml2 calls serror only when the handler is marked as a SAX2 one; the HTML
         * parser reads none of the other SAX2 fields. */
        ctxt->sax->initialized = XML_SAX2_MAGIC;
        ctxt->sax->serror = on_parse_error;
        ctxt->sax->startElement = on_start_element;
        ctxt->sax->characters = on_characters;
        memcpy(bom, "\xEF\xBB\xBF", 3);
        memcpy(bom + 3, text, len + 1);
        int opts = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                   HTML_PARSE_RECOVER | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT;
        d = htmlCtxtReadMemory(ctxt, bom, (int)len + 3, NULL, NULL, opts);
        /* no input on the context: it could not be made (libxml2 tells no context why) */
        nomem = pe.nomem || ctxt->errNo == XML_ERR_NO_MEMORY || (d == NULL && ctxt->inputNr == 0);
    }
    if (ctxt != NULL)
        htmlFreeParserCtxt(ctxt);
    free(bom);
    /* libxml2 keeps a copy of the last error per thread: not this call's to keep */
    xmlResetLastError();
    if (nomem) {
        xmlFreeDoc(d);
        return LZS_ERR_NOMEM;
    }
    *doc = d;
    return LZS_OK;
}

/* Deepest element nesting under top (the document node), counted without recursion. */
static int tree_depth(xmlNodePtr top)
{
    int depth = 1, max = 0;
    xmlNodePtr n = top->children;
    while (n != NULL) {
        if (n->type == XML_ELEMENT_NODE) {
            if (depth > max)
                max = depth;
            if (n->children != NULL) {
                n = n->children;
                depth++;
                continue;
            }
        }
        while (n->next == NULL) {
            n = n->parent;
            depth--;
            if (n == NULL || n == top)
                return max;
        }
        n = n->next;
    }
    return max;
}

/* The next node after n in document order within root, skipping n's subtree when skip. */
static xmlNodePtr next_node(xmlNodePtr n, xmlNodePtr root, int skip)
{
    if (!skip && n->type == XML_ELEMENT_NODE && n->children != NULL)
        return n->children;
    while (n != NULL && n != root && n->next == NULL)
        n = n->parent;
    if (n == NULL || n == root)
        return NULL;
    return n->next;
}

/* ---- what the reader leaves out ------------------------------------------------------- */

/* node->_private of the elements that hold the page's content (mark_content). */
static const char holds_content_mark;

static int is_content(const xmlNode *n)
{
    if (named(n, "main") || named(n, "article") || named(n, "h1"))
        return 1;
    const char *role = attr(n, "role");
    return role != NULL && strcasecmp(role, "main") == 0;
}

/* Marks the ancestors of every <main>, [role=main], <article> and <h1> under top: a
 * wrapper that says "menu-open", or a form around the whole page, is not chrome when it
 * holds the content. Each ancestor is marked once, so the pass is linear. */
static void mark_content(xmlNodePtr top)
{
    for (xmlNodePtr n = top->children; n != NULL; n = next_node(n, top, 0)) {
        if (n->type != XML_ELEMENT_NODE || !is_content(n))
            continue;
        for (xmlNodePtr p = n->parent; p != NULL && p != top; p = p->parent) {
            if (p->_private == &holds_content_mark)
                break;
            p->_private = (void *)&holds_content_mark;
        }
    }
}

static int holds_content(const xmlNode *el)
{
    return el->_private == &holds_content_mark;
}

static int is_notes_section(const xmlNode *el)
{
    return has_token(attr(el, "class"), notes_words, COUNT(notes_words)) ||
           has_token(attr(el, "role"), notes_words, COUNT(notes_words)) ||
           has_token(attr(el, "id"), notes_words, COUNT(notes_words));
}

static int is_hidden(const xmlNode *el)
{
    if (attr(el, "hidden") != NULL)
        return 1;
    const char *ah = attr(el, "aria-hidden");
    if (ah != NULL && strcasecmp(ah, "true") == 0)
        return 1;
    const char *style = attr(el, "style");
    char v[32];
    for (size_t i = 0; i < COUNT(hidden_styles); i++) {
        if (style_value(style, hidden_styles[i].prop, v, sizeof v) &&
            has_token(v, &hidden_styles[i].value, 1)) /* also "none !important" */
            return 1;
    }
    return has_token(attr(el, "class"), hidden_classes, COUNT(hidden_classes));
}

/* header and footer are the site's (ARIA banner, contentinfo) unless inside sectioning
 * content or main. */
static int in_section(const xmlNode *el)
{
    for (const xmlNode *p = el->parent; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent) {
        if (named(p, "article") || named(p, "aside") || named(p, "main") || named(p, "nav") ||
            named(p, "section"))
            return 1;
    }
    return 0;
}

/* 1 when el and its content are not read. */
static int is_dropped(xmlNodePtr el)
{
    el_kind_t kind = kind_of(el);
    if (kind == EL_DROP)
        return 1;
    if (named(el, "html") || named(el, "body"))
        return 0; /* a page hidden until its scripts run is still the page */
    if (is_hidden(el))
        return 1;
    const char *id = attr(el, "id");
    if (has_token(id, kept_ids, COUNT(kept_ids)) || is_notes_section(el) || note_id_number(id) != 0)
        return 0; /* also a note of its own, such as <aside id="fn2" role="doc-footnote"> */
    if (kind == EL_ASIDE)
        return 1;
    if (kind == EL_LANDMARK && !in_section(el))
        return 1;
    if (has_token(attr(el, "role"), dropped_roles, COUNT(dropped_roles)))
        return 1;
    if (named(el, "main") || named(el, "article"))
        return 0;
    if (kind == EL_WRAPPER || has_word_inside(id, chrome_words, COUNT(chrome_words)) ||
        has_word_inside(attr(el, "class"), chrome_words, COUNT(chrome_words)))
        return !holds_content(el);
    return 0;
}

/* ---- the blocks being built ----------------------------------------------------------- */

typedef struct {
    lzs_block_kind_t kind;
    int join;          /* blocks inside continue this one after a space */
    int level;         /* heading level */
    unsigned row, col; /* table cell */
    unsigned note;     /* footnote number */
    unsigned flags;    /* LZS_BF_TITLE for pandoc's title */
    int keep_empty;    /* a table cell is a block also when empty */
} frame_t;

typedef struct {
    long next; /* number of the next item */
    int step;  /* 1, or -1 when reversed */
    char style;
} list_t;

typedef struct {
    unsigned row;
    unsigned col;    /* columns taken so far in the current row */
    unsigned *until; /* per column: last row a rowspan cell above covers */
    size_t nuntil;
} table_t;

typedef struct {
    lzs_blocks_t *out;
    size_t first; /* first block of this call in out */
    lzs_status_t st;
    char *buf; /* text of the block being collected, cleaned */
    size_t n, cap;
    unsigned *marks; /* its footnote references */
    size_t nmarks, capmarks;
    unsigned def; /* number of a bare footnote label that opened it: it is that note */
    size_t nbold, nplain, nitalic, nupright; /* text runs inside and outside b / i */
    int bold, italic;                        /* open b/strong and i/em elements */
    int centered;                            /* open centred containers */
    frame_t fr;
    char label[48]; /* a list item's printed number or bullet, for its first block */
    int list_depth;
    list_t *list;   /* innermost list */
    table_t *table; /* innermost table */
    int in_notes;   /* inside a footnotes section */
    int in_title_block;
} html_t;

static void set_nomem(html_t *h)
{
    h->st = LZS_ERR_NOMEM;
}

/* Appends text as the reader sees it (white space collapsed); counts whether it is bold
 * or italic. */
static void put_text(html_t *h, const char *s, size_t len)
{
    if (h->st != LZS_OK || len == 0)
        return;
    size_t before = h->n;
    if (lzs_text_clean_append(&h->buf, &h->n, &h->cap, s, len) != LZS_OK) {
        set_nomem(h);
        return;
    }
    int visible = 0;
    for (size_t i = before; i < h->n && !visible; i++)
        visible = h->buf[i] != ' ';
    if (!visible)
        return;
    if (h->bold)
        h->nbold++;
    else
        h->nplain++;
    if (h->italic)
        h->nitalic++;
    else
        h->nupright++;
}

static void put_space(html_t *h)
{
    put_text(h, " ", 1);
}

static void reset_pending(html_t *h)
{
    h->n = 0;
    if (h->buf != NULL)
        h->buf[0] = '\0';
    h->nmarks = 0;
    h->def = 0;
    h->nbold = h->nplain = h->nitalic = h->nupright = 0;
}

/* A footnote label at the start of text: "[3]", or with plain "3 " too when plain; its
 * number and the length to skip (with the space after). */
static int leading_label(const char *s, size_t n, int plain, unsigned *num, size_t *skip)
{
    size_t i = 0;
    int bracket = n > 0 && s[0] == '[';
    if (bracket)
        i++;
    else if (!plain)
        return 0;
    unsigned v = 0;
    size_t d = 0;
    while (i < n && isdigit((unsigned char)s[i]) && d < 4) {
        v = v * 10 + (unsigned)(s[i] - '0');
        i++;
        d++;
    }
    if (d == 0 || v == 0 || (i < n && isdigit((unsigned char)s[i])))
        return 0;
    if (bracket) {
        if (i >= n || s[i] != ']')
            return 0;
        i++;
    }
    if (i >= n || s[i] != ' ')
        return 0;
    *num = v;
    *skip = i + 1;
    return 1;
}

/* Emits the collected text as a block of the current frame's kind. */
static void flush(html_t *h)
{
    while (h->n > 0 && h->buf[h->n - 1] == ' ')
        h->n--;
    if (h->st != LZS_OK) {
        reset_pending(h);
        return;
    }
    const frame_t *f = &h->fr;
    lzs_block_kind_t kind = f->kind;
    unsigned note = f->note;
    const char *text = h->buf;
    size_t len = h->n;
    if (kind == LZS_BLOCK_PARAGRAPH && h->def != 0) {
        kind = LZS_BLOCK_FOOTNOTE;
        note = h->def;
    } else if (kind == LZS_BLOCK_PARAGRAPH && h->in_notes && h->label[0] == '\0') {
        size_t skip;
        if (leading_label(text, len, 1, &note, &skip)) {
            kind = LZS_BLOCK_FOOTNOTE;
            text += skip;
            len -= skip;
        }
    } else if (kind == LZS_BLOCK_FOOTNOTE) {
        /* "[3] Text" in a note whose own label was written as text */
        unsigned num;
        size_t skip;
        if (leading_label(text, len, 0, &num, &skip) && num == note) {
            text += skip;
            len -= skip;
        }
    }
    if (len == 0 && !f->keep_empty) {
        /* markers standing after their paragraph's end belong to it */
        if (h->nmarks > 0 && kind == LZS_BLOCK_PARAGRAPH && h->out->n > h->first) {
            lzs_block_t *prev = &h->out->v[h->out->n - 1];
            for (size_t i = 0; i < h->nmarks; i++)
                lzs_block_add_mark(h->out, prev, h->marks[i]);
        }
        reset_pending(h);
        return;
    }
    int labelled =
        h->label[0] != '\0' && (kind == LZS_BLOCK_PARAGRAPH || kind == LZS_BLOCK_HEADING);
    lzs_block_t *b;
    if (labelled) {
        b = lzs_blocks_add(h->out, kind, h->label, strlen(h->label));
        if (b != NULL)
            lzs_block_append(h->out, b, text, len);
        h->label[0] = '\0';
    } else {
        b = lzs_blocks_add(h->out, kind, text, len);
    }
    if (b == NULL || h->out->st != LZS_OK) {
        set_nomem(h);
        reset_pending(h);
        return;
    }
    b->flags = f->flags;
    if (h->nbold > 0 && h->nplain == 0)
        b->flags |= LZS_BF_BOLD;
    if (h->nitalic > 0 && h->nupright == 0)
        b->flags |= LZS_BF_ITALIC;
    if (h->centered > 0)
        b->flags |= LZS_BF_CENTERED;
    if (kind == LZS_BLOCK_HEADING)
        b->level = f->level;
    else if (kind == LZS_BLOCK_PARAGRAPH)
        b->level = h->list_depth;
    if (kind == LZS_BLOCK_TABLE_CELL) {
        b->row = f->row;
        b->col = f->col;
    }
    if (kind == LZS_BLOCK_FOOTNOTE)
        snprintf(b->number, sizeof b->number, "%u", note);
    for (size_t i = 0; i < h->nmarks; i++)
        lzs_block_add_mark(h->out, b, h->marks[i]);
    if (h->out->st != LZS_OK)
        set_nomem(h);
    reset_pending(h);
}

/* Where a block element starts or ends: a new block, or a space inside a joined one. */
static void boundary(html_t *h)
{
    if (h->fr.join)
        put_space(h);
    else
        flush(h);
}

/* A footnote reference numbered num. bare: a <sup>N</sup> not linked to a note, which at
 * the start of a paragraph is the label of a footnote written there. */
static void add_mark(html_t *h, unsigned num, int bare)
{
    if (h->n == 0 && h->nmarks == 0 && h->def == 0) {
        if (bare && h->fr.kind == LZS_BLOCK_PARAGRAPH && h->label[0] == '\0') {
            h->def = num;
            return;
        }
        if (h->fr.kind == LZS_BLOCK_FOOTNOTE && num == h->fr.note)
            return; /* the note's own label */
    }
    if (h->nmarks == h->capmarks) {
        size_t cap = h->capmarks ? h->capmarks * 2 : 8;
        unsigned *m = realloc(h->marks, cap * sizeof *m);
        if (m == NULL) {
            set_nomem(h);
            return;
        }
        h->marks = m;
        h->capmarks = cap;
    }
    h->marks[h->nmarks++] = num;
}

/* ---- footnote markers ----------------------------------------------------------------- */

/* Value of the superscript digit encoded at s (¹ ² ³ ⁰ ⁴-⁹), with its length; -1 if none. */
static int sup_digit(const unsigned char *s, size_t left, size_t *len)
{
    if (left >= 2 && s[0] == 0xC2 && (s[1] == 0xB9 || s[1] == 0xB2 || s[1] == 0xB3)) {
        *len = 2;
        return s[1] == 0xB9 ? 1 : s[1] == 0xB2 ? 2 : 3;
    }
    if (left >= 3 && s[0] == 0xE2 && s[1] == 0x81 &&
        (s[2] == 0xB0 || (s[2] >= 0xB4 && s[2] <= 0xB9))) {
        *len = 3;
        return s[2] - 0xB0;
    }
    return -1;
}

/* Text of the page: superscript digits glued to a word ("articles¹") are a footnote
 * reference, and opening a paragraph ("¹ See ...") the label of a note written there, as
 * the markdown reader reads them. */
static void put_page_text(html_t *h, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t from = 0, i = 0;
    while (i < len) {
        size_t l;
        if ((s[i] != 0xC2 && s[i] != 0xE2) || sup_digit(s + i, len - i, &l) < 0) {
            i++;
            continue;
        }
        size_t j = i, digits = 0;
        unsigned v = 0;
        for (;;) {
            int d = j < len ? sup_digit(s + j, len - j, &l) : -1;
            if (d < 0)
                break;
            v = v * 10 + (unsigned)d;
            j += l;
            digits++;
        }
        put_text(h, text + from, i - from);
        if (digits <= 4 && v > 0 && (h->n == 0 || h->buf[h->n - 1] != ' '))
            add_mark(h, v, h->n == 0);
        else
            put_text(h, text + i, j - i);
        i = from = j;
    }
    put_text(h, text + from, len - from);
}

/* Appends the text of el's subtree to buf (cap bytes); 0 when it does not fit. */
static int gather_text(const xmlNode *el, char *buf, size_t cap, size_t *n, int depth)
{
    if (depth > 8)
        return 0;
    for (const xmlNode *c = el->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            size_t l = c->content ? strlen((const char *)c->content) : 0;
            if (*n + l + 1 > cap)
                return 0;
            memcpy(buf + *n, c->content, l);
            *n += l;
            buf[*n] = '\0';
        } else if (c->type == XML_ELEMENT_NODE) {
            if (!gather_text(c, buf, cap, n, depth + 1))
                return 0;
        }
    }
    return 1;
}

/* The numbers of a marker's text ("3", "[3]", "(3)", "1, 2"), at most max; 0 when the
 * text is anything else. */
static size_t marker_numbers(const xmlNode *el, unsigned *nums, size_t max)
{
    char t[HTML_MAX_MARK_TEXT + 1];
    size_t n = 0;
    t[0] = '\0';
    if (!gather_text(el, t, sizeof t, &n, 0))
        return 0;
    const char *s = t;
    const char *e = t + n;
    /* U+00A0 is two bytes, C2 A0: skip either */
    while (s < e && (is_space_char(*s) || (unsigned char)*s == 0xC2 || (unsigned char)*s == 0xA0))
        s++;
    while (e > s &&
           (is_space_char(e[-1]) || (unsigned char)e[-1] == 0xC2 || (unsigned char)e[-1] == 0xA0))
        e--;
    if (e - s >= 2 && ((*s == '[' && e[-1] == ']') || (*s == '(' && e[-1] == ')'))) {
        s++;
        e--;
    }
    size_t count = 0;
    while (s < e) {
        unsigned v = 0;
        size_t d = 0;
        while (s < e && isdigit((unsigned char)*s) && d < 5) {
            v = v * 10 + (unsigned)(*s - '0');
            s++;
            d++;
        }
        if (d == 0 || d > 4 || v == 0 || count == max)
            return 0;
        nums[count++] = v;
        if (s == e)
            break;
        if (*s != ',')
            return 0;
        s++;
        while (s < e && *s == ' ')
            s++;
    }
    return count;
}

/* A link back from a footnote to its reference ("↩"). */
static int is_backlink(const xmlNode *a)
{
    if (has_token(attr(a, "class"), backlink_words, COUNT(backlink_words)) ||
        has_token(attr(a, "role"), backlink_words, COUNT(backlink_words)) ||
        starts_with_any(attr(a, "href"), backlink_targets, COUNT(backlink_targets)))
        return 1;
    /* a link whose text is only the arrow U+21A9, its variation selectors, or "^" */
    char t[HTML_MAX_MARK_TEXT + 1];
    size_t n = 0;
    t[0] = '\0';
    if (!gather_text(a, t, sizeof t, &n, 0) || n == 0)
        return 0;
    int any = 0;
    for (size_t i = 0; i < n;) {
        if (strncmp(t + i, "\xE2\x86\xA9", 3) == 0) {
            i += 3;
            any = 1;
        } else if (strncmp(t + i, "\xEF\xB8\x8E", 3) == 0 ||
                   strncmp(t + i, "\xEF\xB8\x8F", 3) == 0) {
            i += 3;
        } else if (t[i] == '^') {
            i++;
            any = 1;
        } else if (is_space_char(t[i])) {
            i++;
        } else {
            return 0;
        }
    }
    return any;
}

/* A link to a footnote: pandoc's footnote-ref, role doc-noteref, or a target that is a
 * footnote id ("#fn3", "#_ftn3"). */
static int is_noteref(const xmlNode *a)
{
    if (has_token(attr(a, "class"), noteref_words, COUNT(noteref_words)) ||
        has_token(attr(a, "role"), noteref_words, COUNT(noteref_words)))
        return 1;
    const char *href = attr(a, "href");
    return href != NULL && href[0] == '#' && note_id_number(href + 1) != 0;
}

/* 1 when el's subtree holds a link other than a back-link: the marker refers to a note
 * elsewhere, it is not the label of a note written here. */
static int links_to_note(const xmlNode *el)
{
    for (const xmlNode *c = el->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (named(c, "a") && attr(c, "href") != NULL && !is_backlink(c))
            return 1;
        if (links_to_note(c))
            return 1;
    }
    return 0;
}

/* ---- the walk ------------------------------------------------------------------------- */

static void walk_children(html_t *h, xmlNodePtr el);

/* Walks el's children as a block of its own (frame f), restoring the frame after. */
static void walk_frame(html_t *h, xmlNodePtr el, const frame_t *f)
{
    flush(h);
    frame_t saved = h->fr;
    char label[sizeof h->label];
    memcpy(label, h->label, sizeof label);
    h->fr = *f;
    if (f->kind == LZS_BLOCK_FOOTNOTE || f->kind == LZS_BLOCK_TABLE_CELL)
        h->label[0] = '\0'; /* a list item's number is not a note's or a cell's */
    walk_children(h, el);
    flush(h);
    h->fr = saved;
    if (f->kind == LZS_BLOCK_FOOTNOTE || f->kind == LZS_BLOCK_TABLE_CELL)
        memcpy(h->label, label, sizeof label);
}

static void walk_note(html_t *h, xmlNodePtr el, unsigned num)
{
    frame_t f = {.kind = LZS_BLOCK_FOOTNOTE, .join = 1, .note = num};
    walk_frame(h, el, &f);
}

static int is_centered(const xmlNode *el)
{
    if (named(el, "center"))
        return 1;
    const char *align = attr(el, "align");
    if (align != NULL && strcasecmp(align, "center") == 0)
        return 1;
    char v[32];
    static const char *const center[] = {"center"};
    return style_value(attr(el, "style"), "text-align", v, sizeof v) && has_token(v, center, 1);
}

static void walk_block(html_t *h, xmlNodePtr el)
{
    int centered = is_centered(el);
    boundary(h);
    h->centered += centered;
    walk_children(h, el);
    boundary(h);
    h->centered -= centered;
}

/* A caption describes its table or figure: read as a paragraph of the section around
 * it, so the decisions after a table do not fall under "Replies received". */
static void walk_caption(html_t *h, xmlNodePtr el)
{
    if (h->fr.join) {
        walk_block(h, el);
        return;
    }
    frame_t f = {.kind = LZS_BLOCK_PARAGRAPH, .join = 1, .flags = LZS_BF_CAPTION};
    walk_frame(h, el, &f);
}

static void walk_heading(html_t *h, xmlNodePtr el, int level)
{
    if (h->fr.join) {
        walk_block(h, el);
        return;
    }
    frame_t f = {.kind = LZS_BLOCK_HEADING, .join = 1, .level = level};
    if (h->in_title_block && has_token(attr(el, "class"), (const char *const[]){"title"}, 1))
        f.flags = LZS_BF_TITLE;
    int centered = is_centered(el);
    flush(h);
    h->centered += centered;
    walk_frame(h, el, &f);
    h->centered -= centered;
}

static char list_style(const xmlNode *el, int ordered)
{
    char v[32];
    const char *style = attr(el, "style");
    if (style_value(style, "list-style-type", v, sizeof v) ||
        style_value(style, "list-style", v, sizeof v)) {
        for (size_t i = 0; i < COUNT(list_styles); i++) {
            if (has_token(v, &list_styles[i].name, 1))
                return list_styles[i].style;
        }
    }
    if (!ordered)
        return '*';
    const char *type = attr(el, "type");
    if (type != NULL && strlen(type) == 1 && strchr("1aAiI", type[0]) != NULL)
        return type[0];
    return '1';
}

static void walk_list(html_t *h, xmlNodePtr el, int ordered)
{
    list_t l = {.next = 1, .step = 1, .style = list_style(el, ordered)};
    if (ordered && attr(el, "reversed") != NULL) {
        long items = 0;
        for (xmlNodePtr c = el->children; c != NULL; c = c->next)
            items += named(c, "li");
        l.step = -1;
        l.next = items;
    }
    if (ordered)
        l.next = int_attr(el, "start", l.next);
    list_t *saved = h->list;
    boundary(h); /* the text before the list is not one of its items */
    h->list = &l;
    h->list_depth++;
    walk_children(h, el);
    boundary(h);
    h->list_depth--;
    h->list = saved;
}

/* "iv" for 4 (lower), into out; 0 when v is outside 1..3999. */
static int roman(long v, int upper, char *out, size_t cap)
{
    static const struct {
        int value;
        const char *s;
    } r[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
             {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
    if (v < 1 || v > 3999 || cap < 16)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < COUNT(r); i++) {
        while (v >= r[i].value) {
            for (const char *p = r[i].s; *p; p++)
                out[n++] = upper ? (char)toupper((unsigned char)*p) : *p;
            v -= r[i].value;
        }
    }
    out[n] = '\0';
    return 1;
}

/* "a" for 1, "z" for 26, "aa" for 27 (lower), into out; 0 when v < 1. */
static int alpha(long v, int upper, char *out, size_t cap)
{
    char tmp[16];
    size_t n = 0;
    if (v < 1)
        return 0;
    while (v > 0 && n < sizeof tmp) {
        v--;
        tmp[n++] = (char)((upper ? 'A' : 'a') + v % 26);
        v /= 26;
    }
    if (n + 1 > cap)
        return 0;
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return 1;
}

/* The label an item with ordinal v prints in a list of this style: "4.", "b.", "iv.", "•". */
static void format_label(char style, long v, char *out, size_t cap)
{
    char num[24];
    if (style == '*') {
        snprintf(out, cap, "\u2022");
        return;
    }
    if (style == 0) {
        out[0] = '\0';
        return;
    }
    int ok = 0;
    if (style == 'a' || style == 'A')
        ok = alpha(v, style == 'A', num, sizeof num);
    else if (style == 'i' || style == 'I')
        ok = roman(v, style == 'I', num, sizeof num);
    if (!ok)
        snprintf(num, sizeof num, "%ld", v);
    snprintf(out, cap, "%s.", num);
}

static void walk_item(html_t *h, xmlNodePtr el)
{
    long v = 0;
    char style = h->list ? h->list->style : '*';
    if (h->list != NULL) {
        v = int_attr(el, "value", h->list->next);
        h->list->next = v + h->list->step;
    }
    if (!h->fr.join) {
        /* an item with a footnote's id is that note; an item of the footnotes section is
         * the note numbered by its place */
        unsigned num = note_id_number(attr(el, "id"));
        if (num == 0 && h->in_notes && h->list != NULL)
            num = v > 0 && v < 100000 ? (unsigned)v : 0;
        if (num != 0) {
            walk_note(h, el, num);
            return;
        }
    }
    char label[sizeof h->label];
    format_label(style, v, label, sizeof label);
    if (h->fr.join) {
        put_space(h);
        put_text(h, label, strlen(label));
        put_space(h);
        walk_children(h, el);
        put_space(h);
        return;
    }
    flush(h);
    memcpy(h->label, label, sizeof label);
    walk_children(h, el);
    flush(h);
    h->label[0] = '\0'; /* an empty item prints its number on no block */
}

static void walk_table(html_t *h, xmlNodePtr el)
{
    const char *role = attr(el, "role");
    if (h->fr.join || (role != NULL &&
                       (strcasecmp(role, "presentation") == 0 || strcasecmp(role, "none") == 0))) {
        walk_block(h, el);
        return;
    }
    flush(h);
    table_t t = {0};
    table_t *saved = h->table;
    h->table = &t;
    walk_children(h, el);
    flush(h);
    h->table = saved;
    free(t.until);
}

static void walk_row(html_t *h, xmlNodePtr el)
{
    if (h->fr.join || h->table == NULL) {
        walk_block(h, el);
        return;
    }
    flush(h);
    h->table->row++;
    h->table->col = 0;
    walk_children(h, el);
    flush(h);
}

/* Marks the columns [col, col+span) as covered down to row last. */
static void cover(html_t *h, table_t *t, unsigned col, unsigned span, unsigned last)
{
    for (unsigned c = col; c < col + span && c < HTML_MAX_SPAN_COLS; c++) {
        if (c >= t->nuntil) {
            size_t n = t->nuntil ? t->nuntil * 2 : 16;
            while (n <= c)
                n *= 2;
            unsigned *u = realloc(t->until, n * sizeof *u);
            if (u == NULL) {
                set_nomem(h);
                return;
            }
            memset(u + t->nuntil, 0, (n - t->nuntil) * sizeof *u);
            t->until = u;
            t->nuntil = n;
        }
        if (t->until[c] < last)
            t->until[c] = last;
    }
}

static void walk_cell(html_t *h, xmlNodePtr el)
{
    table_t *t = h->table;
    if (h->fr.join || t == NULL) {
        walk_block(h, el);
        return;
    }
    if (t->row == 0)
        t->row = 1; /* a cell outside any row starts the first */
    while (t->col < t->nuntil && t->until[t->col] >= t->row)
        t->col++;
    long colspan = int_attr(el, "colspan", 1);
    long rowspan = int_attr(el, "rowspan", 1);
    colspan = colspan < 1 ? 1 : colspan > HTML_MAX_COLSPAN ? HTML_MAX_COLSPAN : colspan;
    rowspan = rowspan < 1 ? 1 : rowspan > HTML_MAX_ROWSPAN ? HTML_MAX_ROWSPAN : rowspan;
    frame_t f = {
        .kind = LZS_BLOCK_TABLE_CELL, .join = 1, .row = t->row, .col = t->col + 1, .keep_empty = 1};
    if (rowspan > 1 && t->row < UINT_MAX - HTML_MAX_ROWSPAN)
        cover(h, t, t->col, (unsigned)colspan, t->row + (unsigned)rowspan - 1);
    if (t->col < UINT_MAX - HTML_MAX_COLSPAN)
        t->col += (unsigned)colspan;
    int centered = is_centered(el);
    flush(h);
    h->centered += centered;
    walk_frame(h, el, &f);
    h->centered -= centered;
}

static void walk_sup(html_t *h, xmlNodePtr el)
{
    unsigned nums[HTML_MAX_MARKS];
    size_t n = marker_numbers(el, nums, COUNT(nums));
    if (n == 0) {
        walk_children(h, el); /* "2<sup>nd</sup>" reads "2nd" */
        return;
    }
    int bare = n == 1 && !links_to_note(el) &&
               !has_token(attr(el, "role"), noteref_words, COUNT(noteref_words)) &&
               !has_token(attr(el, "class"), noteref_words, COUNT(noteref_words));
    for (size_t i = 0; i < n; i++)
        add_mark(h, nums[i], bare);
}

static void walk_link(html_t *h, xmlNodePtr a)
{
    unsigned nums[HTML_MAX_MARKS];
    if (is_backlink(a)) {
        /* dropped, but "<a href="#fnref3">3</a> Text" opening a paragraph is note 3 */
        int at_start = h->n == 0 && h->nmarks == 0 && h->def == 0;
        if (at_start && marker_numbers(a, nums, COUNT(nums)) == 1)
            add_mark(h, nums[0], 1);
        return;
    }
    const char *href = attr(a, "href");
    if (is_noteref(a) || (href != NULL && href[0] == '#' && href[1] != '\0')) {
        size_t n = marker_numbers(a, nums, COUNT(nums));
        if (n > 0) {
            for (size_t i = 0; i < n; i++)
                add_mark(h, nums[i], 0);
            return;
        }
    }
    walk_children(h, a);
}

static void walk_element(html_t *h, xmlNodePtr el)
{
    if (h->st != LZS_OK || is_dropped(el))
        return;
    const el_rule_t *r = rule_of(el);
    el_kind_t kind = r ? r->kind : EL_INLINE;

    if (!h->fr.join &&
        (kind == EL_BLOCK || kind == EL_LANDMARK || kind == EL_ASIDE || kind == EL_WRAPPER)) {
        unsigned num = note_id_number(attr(el, "id"));
        if (num != 0) {
            walk_note(h, el, num);
            return;
        }
        if (is_notes_section(el)) {
            h->in_notes++;
            walk_block(h, el);
            h->in_notes--;
            return;
        }
        if (has_token(attr(el, "id"), kept_ids, COUNT(kept_ids))) {
            h->in_title_block++;
            walk_block(h, el);
            h->in_title_block--;
            return;
        }
    }
    switch (kind) {
    case EL_HEADING:
        walk_heading(h, el, r->arg);
        break;
    case EL_LIST:
        walk_list(h, el, r->arg);
        break;
    case EL_ITEM:
        walk_item(h, el);
        break;
    case EL_TABLE:
        walk_table(h, el);
        break;
    case EL_ROW:
        walk_row(h, el);
        break;
    case EL_CELL:
        walk_cell(h, el);
        break;
    case EL_BREAK:
        put_space(h);
        break;
    case EL_RULE:
        boundary(h);
        break;
    case EL_BOLD:
        h->bold++;
        walk_children(h, el);
        h->bold--;
        break;
    case EL_ITALIC:
        h->italic++;
        walk_children(h, el);
        h->italic--;
        break;
    case EL_SUP:
        walk_sup(h, el);
        break;
    case EL_LINK:
        walk_link(h, el);
        break;
    case EL_CAPTION:
        walk_caption(h, el);
        break;
    case EL_BLOCK:
    case EL_LANDMARK:
    case EL_ASIDE:
    case EL_WRAPPER:
        walk_block(h, el);
        break;
    case EL_INLINE:
    case EL_DROP:
        walk_children(h, el);
        break;
    }
}

static void walk_children(html_t *h, xmlNodePtr el)
{
    for (xmlNodePtr c = el->children; c != NULL && h->st == LZS_OK; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content != NULL)
                put_page_text(h, (const char *)c->content, strlen((const char *)c->content));
        } else if (c->type == XML_ELEMENT_NODE) {
            walk_element(h, c);
        }
    }
}

/* ---- the page's parts ----------------------------------------------------------------- */

static xmlNodePtr child_named(xmlNodePtr el, const char *name)
{
    for (xmlNodePtr c = el ? el->children : NULL; c != NULL; c = c->next) {
        if (named(c, name))
            return c;
    }
    return NULL;
}

/* The main content of the page (top: the document node): the first <main> or
 * [role=main], else the only <article>; NULL when the page has neither (then the whole
 * page but its head is read: libxml2 leaves text after </html> outside the body). */
static xmlNodePtr choose_root(xmlNodePtr top)
{
    xmlNodePtr article = NULL;
    size_t narticles = 0;
    xmlNodePtr n = top->children;
    while (n != NULL) {
        int skip = 0;
        if (n->type == XML_ELEMENT_NODE) {
            const char *role = attr(n, "role");
            if (is_dropped(n)) {
                skip = 1;
            } else if (named(n, "main") || (role != NULL && strcasecmp(role, "main") == 0)) {
                return n;
            } else if (named(n, "article")) {
                if (narticles++ == 0)
                    article = n;
            }
        }
        n = next_node(n, top, skip);
    }
    return narticles == 1 ? article : NULL;
}

/* 1 when a block in [from, n) has text. */
static int has_text(const lzs_blocks_t *bs, size_t from)
{
    for (size_t i = from; i < bs->n; i++) {
        if (bs->v[i].len > 0)
            return 1;
    }
    return 0;
}

static void remove_from(lzs_blocks_t *bs, size_t from)
{
    while (bs->n > from)
        lzs_blocks_remove(bs, bs->n - 1);
}

/* Paragraphs at the end written "3 Text" or "[3] Text", where 3 is a footnote referenced
 * before, are the footnotes. */
static void trailing_notes(html_t *h)
{
    lzs_blocks_t *bs = h->out;
    /* the footnote numbers referenced (a label has at most 4 digits) */
    unsigned char referenced[10000 / 8 + 1] = {0};
    for (size_t i = h->first; i < bs->n; i++) {
        for (size_t k = 0; k < bs->v[i].nmarks; k++) {
            unsigned m = bs->v[i].marks[k];
            if (m < 10000)
                referenced[m / 8] |= (unsigned char)(1u << (m % 8));
        }
    }
    size_t i = bs->n;
    while (i > h->first) {
        lzs_block_t *b = &bs->v[i - 1];
        if (b->kind == LZS_BLOCK_FOOTNOTE) {
            i--;
            continue;
        }
        unsigned num;
        size_t skip;
        if (b->kind != LZS_BLOCK_PARAGRAPH || b->level != 0 ||
            !leading_label(b->text, b->len, 1, &num, &skip) ||
            !(referenced[num / 8] & (1u << (num % 8))))
            break;
        i--;
    }
    for (; i < bs->n; i++) {
        lzs_block_t *b = &bs->v[i];
        unsigned num;
        size_t skip;
        if (b->kind != LZS_BLOCK_PARAGRAPH || !leading_label(b->text, b->len, 1, &num, &skip))
            continue;
        if (lzs_block_set_text(bs, b, b->text + skip, b->len - skip) != LZS_OK) {
            set_nomem(h);
            return;
        }
        b->kind = LZS_BLOCK_FOOTNOTE;
        snprintf(b->number, sizeof b->number, "%u", num);
    }
}

/* The page's title from its head (title_sources, best first), cleaned into h->buf. */
static void page_title(html_t *h, xmlDocPtr doc)
{
    reset_pending(h);
    xmlNodePtr head = child_named(xmlDocGetRootElement(doc), "head");
    if (head == NULL)
        return;
    /* pandoc's <title> is the file name when the document has no title */
    int pandoc = 0;
    for (xmlNodePtr c = head->children; c != NULL; c = c->next) {
        const char *gen = named(c, "meta") ? attr(c, "name") : NULL;
        if (gen != NULL && strcasecmp(gen, "generator") == 0) {
            const char *content = attr(c, "content");
            pandoc = content != NULL && strncasecmp(content, "pandoc", 6) == 0;
        }
    }
    for (size_t s = 0; s < COUNT(title_sources) && h->n == 0; s++) {
        for (xmlNodePtr c = head->children; c != NULL && h->n == 0; c = c->next) {
            if (title_sources[s][0] == '\0') {
                if (named(c, "title") && !pandoc)
                    walk_children(h, c);
                continue;
            }
            if (!named(c, "meta"))
                continue;
            const char *key = attr(c, "name");
            if (key == NULL)
                key = attr(c, "property");
            const char *content = attr(c, "content");
            if (key != NULL && content != NULL && strcasecmp(key, title_sources[s]) == 0)
                put_text(h, content, strlen(content));
        }
        while (h->n > 0 && h->buf[h->n - 1] == ' ')
            h->n--;
    }
}

/* When no block of this call is a heading: the page's title as the first block, a
 * heading of level 1 flagged LZS_BF_TITLE. */
static void add_title(html_t *h, xmlDocPtr doc)
{
    lzs_blocks_t *bs = h->out;
    for (size_t i = h->first; i < bs->n; i++) {
        if (bs->v[i].kind == LZS_BLOCK_HEADING)
            return;
    }
    page_title(h, doc);
    if (h->st != LZS_OK || h->n == 0)
        return;
    lzs_block_t *b = lzs_blocks_add(bs, LZS_BLOCK_HEADING, h->buf, h->n);
    if (b == NULL) {
        set_nomem(h);
        return;
    }
    b->level = 1;
    b->flags = LZS_BF_TITLE;
    lzs_block_t title = *b;
    memmove(&bs->v[h->first + 1], &bs->v[h->first], (bs->n - 1 - h->first) * sizeof title);
    bs->v[h->first] = title;
    reset_pending(h);
}

/* Reads the content under root (an element, or the document node) into blocks. */
static void read_content(html_t *h, xmlNodePtr root)
{
    h->fr = (frame_t){.kind = LZS_BLOCK_PARAGRAPH};
    flush(h);
    walk_children(h, root);
    flush(h);
}

lzs_status_t lzs_read_html(const struct lzs_extractor *ex, const char *name, const char *buf,
                           size_t len, lzs_blocks_t *out, char **errmsg)
{
    (void)ex;
    if (name == NULL)
        name = "(html)";
    if (out == NULL || (buf == NULL && len > 0)) {
        lzs_set_errmsg(errmsg, "%s: no HTML to read", name);
        return LZS_ERR_INVALID;
    }
    if (len > LZS_EXTRACT_MAX_FILE) {
        lzs_set_errmsg(errmsg, "%s: HTML too large (%zu bytes, limit %u)", name, len,
                       LZS_EXTRACT_MAX_FILE);
        return LZS_ERR_LIMIT;
    }
    char *text = NULL;
    size_t tlen = 0;
    xmlDocPtr doc = NULL;
    lzs_status_t st = decode_input(buf ? buf : "", len, &text, &tlen);
    if (st == LZS_OK)
        st = parse(text, tlen, &doc);
    free(text);
    if (st != LZS_OK) {
        lzs_set_errmsg(errmsg, "%s: out of memory reading the HTML", name);
        return st;
    }
    xmlNodePtr top = doc && xmlDocGetRootElement(doc) ? (xmlNodePtr)doc : NULL;
    if (top != NULL && tree_depth(top) > HTML_MAX_DEPTH) {
        xmlFreeDoc(doc);
        lzs_set_errmsg(errmsg, "%s: HTML elements nested more than %d deep", name, HTML_MAX_DEPTH);
        return LZS_ERR_LIMIT;
    }

    html_t h = {.out = out, .first = out->n, .st = out->st};
    if (top != NULL) {
        mark_content(top);
        xmlNodePtr root = choose_root(top);
        if (root != NULL) {
            read_content(&h, root);
            if (h.st == LZS_OK && !has_text(out, h.first))
                remove_from(out, h.first); /* an empty <main>: read the page instead */
        }
        if (h.st == LZS_OK && out->n == h.first)
            read_content(&h, top);
    }
    int text_found = h.st == LZS_OK && has_text(out, h.first);
    if (text_found) {
        trailing_notes(&h);
        add_title(&h, doc);
    }
    free(h.buf);
    free(h.marks);
    xmlFreeDoc(doc);
    if (h.st != LZS_OK || !text_found) {
        remove_from(out, h.first);
        if (h.st != LZS_OK) {
            lzs_set_errmsg(errmsg, "%s: out of memory reading the HTML", name);
            return h.st;
        }
        lzs_set_errmsg(errmsg, "%s: no text in the HTML body", name);
        return LZS_ERR_PARSE;
    }
    return LZS_OK;
}
