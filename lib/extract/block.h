/* block.h — the one stream between the readers and the later stages of extraction.
 *
 * Extraction runs in stages, the same for every format:
 *
 *   reader (read_text.c, read_markdown.c, read_pdf.c, read_docx.c, read_odt.c,
 *           read_html.c)                     file bytes -> lzs_blocks_t
 *   layout clean-up (layout.c)               page furniture, contents lists, line-end
 *                                            hyphens, paragraphs split by a page break
 *   classify (classify.c)                    numbers, bullets and footnote labels written
 *                                            in the text
 *   document header (header.c)               reference, date, type, title
 *   structure (structure.c)                  sections, paragraphs, decisions, passages
 *   domain (domain.c)                        recommendations, levels, addressees,
 *                                            Parties, articles, footnote links
 *
 * A reader only reads: it turns its format into blocks, in reading order, each a heading,
 * a paragraph, a list item, a table cell, a footnote or a page break, and it knows nothing
 * of the Committee's documents. What every reader delivers:
 *
 * - text: valid UTF-8 of the block as a reader of the printed page sees it, without
 *   markup; white space collapsed to single spaces, trimmed; no control characters.
 *   Numbering produced by the format (a Word or HTML numbered list, a bullet) is written
 *   out at the start of the text as it would be printed ("13. Decided ...", "a) ...",
 *   "• ..."), so that the classify stage reads a computed number exactly as a typed one.
 * - A footnote reference marker is not in the text: its number is appended to marks (in
 *   order), wherever it stood, also when glued to a word ("articles¹").
 * - U+00AD (soft hyphen) in text means "a hyphen at the end of a line that joined two
 *   lines here" ("co\u00ADoperation"): the layout stage decides whether the word keeps
 *   its hyphen. A reader removes soft hyphens of its input and writes U+00AD only there.
 * - Page furniture a reader can tell by the format (a Word header or footer, an HTML
 *   page header) is not emitted as blocks: its text goes to lzs_blocks_add_furniture(),
 *   where the header stage may read a document code. Furniture that only the layout can
 *   tell (a PDF's running header) is emitted with LZS_BF_PAGE_TOP / LZS_BF_PAGE_BOTTOM
 *   and the layout stage removes it.
 * - page: 1-based page the block starts on, for formats with pages; 0 otherwise.
 *
 * A reader that already classified its blocks itself (the markdown reader reads numbered
 * lines, bullets and footnote definitions line by line) sets LZS_BF_CLASSIFIED on them:
 * their number, depth and kind are final, and the text of a numbered paragraph no longer
 * carries its number.
 */
#ifndef LZS_EXTRACT_BLOCK_H
#define LZS_EXTRACT_BLOCK_H

#include <stddef.h>

#include "lzs/model.h"
#include "lzs/status.h"

typedef enum {
    LZS_BLOCK_HEADING,    /* level: 1-6 as the format marks it, 0 when told by style only */
    LZS_BLOCK_PARAGRAPH,  /* number: its paragraph number once classified ("13") */
    LZS_BLOCK_LIST_ITEM,  /* number: the item's letter or number once classified ("a") */
    LZS_BLOCK_TABLE_CELL, /* one cell, its paragraphs joined by spaces; row and col set */
    LZS_BLOCK_FOOTNOTE,   /* number: the footnote's label ("3") */
    LZS_BLOCK_PAGE_BREAK, /* no text; page: the page that starts */
    LZS_BLOCK_KIND_COUNT
} lzs_block_kind_t;

/* Style hints and provenance of a block (lzs_block_t.flags). */
enum {
    LZS_BF_BOLD = 1u << 0,         /* the whole text is bold (weight read from the font) */
    LZS_BF_ITALIC = 1u << 1,       /* the whole text is italic */
    LZS_BF_BLANK_BEFORE = 1u << 2, /* a blank line, or a gap wider than the line spacing */
    LZS_BF_ROMAN = 1u << 3,        /* number is a roman numeral ("IV", "II.3") */
    LZS_BF_CLASSIFIED = 1u << 4,   /* kind, number and depth are final (see above) */
    LZS_BF_PAGE_TOP = 1u << 5,     /* in the top margin of its page (PDF geometry) */
    LZS_BF_PAGE_BOTTOM = 1u << 6,  /* in the bottom margin of its page */
    LZS_BF_CENTERED = 1u << 7,     /* centred on the page or in its column */
    LZS_BF_TITLE = 1u << 8,        /* the format marks it as the document title */
    LZS_BF_TOC = 1u << 9,          /* the format marks it as part of a contents list */
    LZS_BF_MARKDOWN = 1u << 10,    /* text is still inline markdown (markdown reader only;
                                      turned into plain text before the stages run) */
    LZS_BF_LETTERED = 1u << 11,    /* number is a capital letter ("A" of "A. Monitoring") */
    LZS_BF_LINES = 1u << 12,       /* made of the lines of a text file, which has no
                                      paragraphs of its own (text and markdown readers) */
    LZS_BF_CAPTION = 1u << 13      /* a table's or figure's caption: text of the section it
                                      is in, never a heading ("Replies received") */
};

typedef struct {
    lzs_block_kind_t kind;
    unsigned flags;    /* LZS_BF_* */
    int level;         /* heading level 1-6 (0: by style); list nesting depth from 1 */
    int depth;         /* parts of number: "2.1.1" -> 3; 0 when unnumbered */
    int lines;         /* lines the author broke by hand that it joins: a hard-wrapped text
                          paragraph counts its lines; a paragraph of a format with real
                          paragraphs, or wrapped by the layout (PDF), counts 1 */
    unsigned page;     /* 1-based page it starts on; 0 when the format has no pages */
    unsigned row, col; /* table cells: 1-based row and column within their table */
    float size;        /* font size in points when known, else 0 */
    char number[32];   /* see the kinds above; "" when none */
    char *text;        /* owned; see the file comment */
    size_t len;        /* strlen(text) */
    unsigned *marks;   /* owned: footnote numbers referenced in text, in order */
    size_t nmarks, capmarks;
} lzs_block_t;

typedef struct {
    lzs_block_t *v;
    size_t n, cap;
    lzs_strlist_t furniture; /* page headers and footers told by the format, in order */
    unsigned npages;         /* pages of the source; 0 when the format has none */
    lzs_status_t st;         /* LZS_ERR_NOMEM once an append failed: sticky, so a reader
                                may append many times and check once */
} lzs_blocks_t;

/* Appends a block of this kind with a copy of len bytes of text (which must be UTF-8;
 * it is stored as given). Borrowed pointer into bs, valid until the next append; NULL
 * (and bs->st set) when out of memory. */
lzs_block_t *lzs_blocks_add(lzs_blocks_t *bs, lzs_block_kind_t kind, const char *text,
                            size_t len);
/* Appends footnote number num to b's marks. LZS_ERR_NOMEM (also set on bs->st). */
lzs_status_t lzs_block_add_mark(lzs_blocks_t *bs, lzs_block_t *b, unsigned num);
/* Replaces b's text with a copy of len bytes of text. */
lzs_status_t lzs_block_set_text(lzs_blocks_t *bs, lzs_block_t *b, const char *text, size_t len);
/* Appends a space (unless either side is empty) and len bytes of text to b's text. */
lzs_status_t lzs_block_append(lzs_blocks_t *bs, lzs_block_t *b, const char *text, size_t len);
/* Keeps a copy of a page header or footer text told by the format. */
lzs_status_t lzs_blocks_add_furniture(lzs_blocks_t *bs, const char *text, size_t len);
/* Removes block i (its text and marks are freed); later blocks move down. */
void lzs_blocks_remove(lzs_blocks_t *bs, size_t i);
/* Frees every block and the list; bs is left empty and reusable. */
void lzs_blocks_clear(lzs_blocks_t *bs);
/* Name of a kind: "heading", "paragraph", "list-item", "table-cell", "footnote",
 * "page-break". Static string. */
const char *lzs_block_kind_name(lzs_block_kind_t k);

/* Text cleaning shared by the readers: appends len bytes of s to the growing buffer
 * (*buf, *n, *cap), turning every run of white space (ASCII, NBSP and the other Unicode
 * spaces, tabs, line breaks) into one space, dropping control characters, soft hyphens
 * and zero-width characters, and mapping ligatures (U+FB00..U+FB06) to their letters and
 * private-use bullet glyphs (U+F0B7, U+F0A7, U+F076, U+F0D8, U+F0FC, ...) to "•".
 * Invalid UTF-8 bytes become U+FFFD. No leading space is written into an empty buffer.
 * LZS_ERR_NOMEM when the buffer cannot grow. */
lzs_status_t lzs_text_clean_append(char **buf, size_t *n, size_t *cap, const char *s,
                                   size_t len);

/* ---- the readers ------------------------------------------------------------------ */

struct lzs_extractor;

/* A reader turns the len bytes of buf (the whole file; buf[len] is a NUL) into blocks
 * appended to out. name is the file's name for messages. On bad input it returns
 * LZS_ERR_PARSE (or LZS_ERR_LIMIT for a limit, LZS_ERR_UNSUPPORTED for an unsupported
 * variant such as an encrypted PDF) and sets *errmsg (caller frees with free()) to one
 * sentence naming the file and the problem: "NAME: no text layer; OCR is not supported".
 * It never prints. It must be safe to call from several threads at once. ex is the opened
 * extractor whose word lists the reader consults; the PDF reader (page words) refuses NULL
 * with LZS_ERR_INVALID, the others do not read it yet. */
typedef lzs_status_t (*lzs_reader_fn)(const struct lzs_extractor *ex, const char *name,
                                      const char *buf, size_t len, lzs_blocks_t *out,
                                      char **errmsg);

lzs_status_t lzs_read_text(const struct lzs_extractor *ex, const char *name, const char *buf,
                           size_t len, lzs_blocks_t *out, char **errmsg);
lzs_status_t lzs_read_markdown(const struct lzs_extractor *ex, const char *name, const char *buf,
                               size_t len, lzs_blocks_t *out, char **errmsg);
lzs_status_t lzs_read_pdf(const struct lzs_extractor *ex, const char *name, const char *buf,
                          size_t len, lzs_blocks_t *out, char **errmsg);
lzs_status_t lzs_read_docx(const struct lzs_extractor *ex, const char *name, const char *buf,
                           size_t len, lzs_blocks_t *out, char **errmsg);
lzs_status_t lzs_read_odt(const struct lzs_extractor *ex, const char *name, const char *buf,
                          size_t len, lzs_blocks_t *out, char **errmsg);
lzs_status_t lzs_read_html(const struct lzs_extractor *ex, const char *name, const char *buf,
                           size_t len, lzs_blocks_t *out, char **errmsg);

#endif
