/* pdfgen.h — a test-only PDF writer (cairo's PDF surface, DejaVu fonts from
 * fonts-dejavu-core) that lays out text at exact positions, sizes and weights, so that the
 * PDF reader's tests and benchmark build their documents themselves, deterministically.
 *
 * Coordinates are PDF points with y growing downwards from the top of the page; a text's
 * y is its baseline. Fonts are read from their files, never looked up by name, so a
 * missing font is an error naming the file instead of a silent substitute.
 */
#ifndef LZS_TESTS_PDFGEN_H
#define LZS_TESTS_PDFGEN_H

#include <stddef.h>

typedef enum {
    PDFGEN_SERIF,      /* DejaVuSerif */
    PDFGEN_SERIF_BOLD, /* DejaVuSerif-Bold */
    PDFGEN_SANS,       /* DejaVuSans */
    PDFGEN_SANS_BOLD,  /* DejaVuSans-Bold */
    PDFGEN_FONT_COUNT
} pdfgen_font_t;

typedef struct pdfgen pdfgen_t;

/* Starts a document whose pages are w x h points (A4: 595 x 842), written to memory.
 * Caller frees with pdfgen_finish() or pdfgen_free(). NULL on failure with *errmsg (caller
 * frees with free()) saying what is missing ("... DejaVuSerif.ttf: cannot open; install
 * fonts-dejavu-core"). */
pdfgen_t *pdfgen_new(double w, double h, char **errmsg);

/* Draws utf8 starting at (x, y) and returns the x where it ends. */
double pdfgen_text(pdfgen_t *g, double x, double y, pdfgen_font_t f, double size, const char *utf8);
/* Draws the glyphs of shown but gives them the text "text" (what a PDF reader extracts):
 * a bullet drawn from the font that reads as a private-use code point, a ligature glyph.
 * Returns the x where it ends. */
double pdfgen_text_as(pdfgen_t *g, double x, double y, pdfgen_font_t f, double size,
                      const char *shown, const char *text);
/* Advance width of utf8 in points. */
double pdfgen_width(pdfgen_t *g, pdfgen_font_t f, double size, const char *utf8);
/* Draws the words of text as lines of at most width points from (x, y), one line every
 * leading points; returns the baseline after the last line. */
double pdfgen_wrap(pdfgen_t *g, double x, double y, double width, pdfgen_font_t f, double size,
                   double leading, const char *text);
/* Strokes a horizontal rule 0.5 points thick from (x1, y) to (x2, y): the separator a word
 * processor draws above the footnotes of a page (a path, no text). */
void pdfgen_rule(pdfgen_t *g, double x1, double x2, double y);
/* Paints a w x h raster image (grey stripes) at (x, y): a scanned page has only images. */
void pdfgen_image(pdfgen_t *g, double x, double y, double w, double h);
/* Turns what is drawn next on the current page by quarter_turns quarters of a turn
 * clockwise about the middle of the page, as a page shown rotated (/Rotate) is: text
 * laid out across then runs down (1), right to left upside down (2) or up (3). */
void pdfgen_turn(pdfgen_t *g, int quarter_turns);
/* Ends the current page and starts the next (not turned). */
void pdfgen_next_page(pdfgen_t *g);

/* Ends the document and frees g: *pdf (caller frees with free()) and *len are the PDF's
 * bytes. Returns 0, or -1 with *errmsg (caller frees with free()). */
int pdfgen_finish(pdfgen_t *g, char **pdf, size_t *len, char **errmsg);
/* Frees g without writing anything. NULL is a no-op. */
void pdfgen_free(pdfgen_t *g);

#endif
