/* pdf_internal.h — the PDF reader's two stages and what passes between them:
 *
 *   read_pdf.c   poppler: the document, the page loop, the errors; each page's characters
 *                become glyphs (box, size, weight), then the page is released
 *   pdf_page.c   one page's glyphs -> lines in reading order: rows by baseline, tables,
 *                columns, superscript footnote markers taken out as marks
 *   pdf_doc.c    the document's lines -> blocks: body size and area, line spacing, page
 *                margins, footnotes, paragraphs, table cells, headings and their levels
 *
 * A document's lines are kept (text and geometry, no glyphs) until every page is read,
 * because body size, body area and heading levels are facts of the whole document.
 */
#ifndef LZS_EXTRACT_PDF_INTERNAL_H
#define LZS_EXTRACT_PDF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "block.h"

/* One character of a page as poppler laid it out. */
typedef struct {
    float x1, y1, x2, y2; /* box in points, y growing downwards */
    float size;           /* font size in points */
    uint32_t cp;          /* code point */
    uint32_t off;         /* byte offset of its UTF-8 in the page's text */
    uint32_t seq;         /* its rank among the page's glyphs in poppler's order */
    uint32_t family;      /* its font's family (a hash of the name; 0: unnamed) */
    uint8_t len;          /* bytes of its UTF-8 */
    uint8_t flags;        /* PDF_G_* */
} pdf_glyph_t;

enum {
    PDF_G_BOLD = 1u << 0,        /* its font's name says bold, semibold, black, heavy */
    PDF_G_ITALIC = 1u << 1,      /* italic or oblique */
    PDF_G_SPACE_AFTER = 1u << 2, /* poppler put a space between it and glyph seq + 1 */
    PDF_G_SYMBOL = 1u << 3,      /* a symbol font (Symbol, Wingdings, ...): bullets */
    PDF_G_MARK = 1u << 4,        /* a superscript footnote marker (set by pdf_page.c) */
    PDF_G_LINE_END = 1u << 5     /* poppler ended a line after it */
};

enum {
    PDF_L_BOLD = 1u << 0,       /* every character bold */
    PDF_L_ITALIC = 1u << 1,     /* every character italic */
    PDF_L_BOLD_FIRST = 1u << 2, /* its first character is bold */
    PDF_L_BOLD_LAST = 1u << 3   /* its last character is bold */
};

/* A line of a page: the glyphs of one row (one baseline) within one column. */
typedef struct {
    unsigned page;       /* 1-based */
    unsigned band;       /* vertical band of the page: a run of full-width or of split rows */
    unsigned col;        /* 0: full width; 1: left column; 2: right column */
    unsigned flags;      /* PDF_L_* */
    float x1, x2;        /* horizontal extent */
    float top, bottom;   /* vertical extent of its glyph boxes (markers left out) */
    float base;          /* bottom of its body-size glyph boxes: where lines line up */
    float size;          /* the size most of its characters have */
    float xtext;         /* x of the first character after its first space, or -1 */
    float colx1, colx2;  /* extent of its column on its page */
    uint32_t family;     /* the font family of all its characters, 0 when they mix */
    unsigned nchars;     /* characters (no spaces, no markers) */
    size_t text, len;    /* its text: len bytes at pdf_doc_t.text + text, cleaned */
    size_t mark, nmarks; /* its footnote markers: pdf_doc_t.marks[mark .. mark + nmarks) */
    unsigned table;      /* 0, or the table it is a cell's line of (1-based in the document) */
    unsigned tcol;       /* in a table: its column, 1-based */
} pdf_line_t;

/* A footnote marker: footnote num stood at byte at of its line's text. */
typedef struct {
    size_t at;
    unsigned num;
} pdf_mark_t;

typedef struct {
    float w, h;      /* page size in points */
    size_t first, n; /* its lines: pdf_doc_t.lines[first .. first + n), reading order */
} pdf_page_t;

/* A document being read: its pages and lines so far, and the scratch space one page
 * needs (reused from page to page, so a page costs no allocation once the largest page
 * is behind). Zero-initialise; free with pdf_doc_free(). */
typedef struct {
    pdf_page_t *pages;
    size_t npages, cappages;
    pdf_line_t *lines;
    size_t nlines, caplines;
    char *text; /* every line's text, one after the other (not NUL-separated) */
    size_t textlen, textcap;
    pdf_mark_t *marks;
    size_t nmarks, capmarks;

    /* scratch of the page being read */
    pdf_glyph_t *glyphs;
    size_t nglyphs, capglyphs;
    void *rows, *pieces; /* pdf_page.c's own row and piece arrays */
    size_t caprows, cappieces;
    float *xs; /* x positions of the page's rows, for the column gutter */
    size_t capxs;
    unsigned ntables; /* tables found so far */
    char *buf;        /* a line's text as it is built */
    size_t buflen, bufcap;
    const struct lzs_extractor *ex; /* borrowed: the words of page numbers */
} pdf_doc_t;

/* Turns the page's glyphs (doc->glyphs, doc->nglyphs; their UTF-8 at text + off, text
 * borrowed for the call) into lines appended to doc in reading order, and appends the
 * page (w x h points) to doc->pages. Reorders doc->glyphs. LZS_ERR_NOMEM. */
lzs_status_t pdf_page_lines(pdf_doc_t *doc, float w, float h, const char *text);

/* Appends the blocks of the whole document to out (see block.h). LZS_ERR_NOMEM. */
lzs_status_t pdf_doc_blocks(const pdf_doc_t *doc, lzs_blocks_t *out);

/* Returns v (an array of *cap elements of size bytes) grown to hold at least need
 * elements, updating *cap; NULL when out of memory (v is then unchanged and still owned by
 * the caller). */
void *pdf_grow(void *v, size_t *cap, size_t need, size_t size);

/* Frees what doc holds; doc is left zeroed. */
void pdf_doc_free(pdf_doc_t *doc);

#endif
