/* textacc.h — the text of one block while a reader of a structured format (DOCX, ODT)
 * gathers it from runs and spans: cleaned text (lzs_text_clean_append), the footnote
 * marks met on the way, whether every visible character was bold or italic, and the
 * notes to emit after the block.
 *
 * Out of memory is sticky (st), like lzs_blocks_t's: a reader appends freely and checks
 * once.
 */
#ifndef LZS_EXTRACT_TEXTACC_H
#define LZS_EXTRACT_TEXTACC_H

#include <stddef.h>

#include "block.h"

typedef struct {
    char *text;
    size_t n, cap;
    unsigned *marks; /* footnote numbers, in order */
    size_t nmarks, capmarks;
    size_t *notes; /* the reader's handles of notes to emit after this block, in order */
    size_t nnotes, capnotes;
    int visible;    /* text of the document's own other than white space was appended
                       (lzs_textacc_text, not lzs_textacc_raw) */
    int all_bold;   /* every visible character so far was bold */
    int all_italic; /* ... italic */
    int breaks;     /* line breaks the author put in the block (lzs_textacc_break) */
    lzs_status_t st;
} lzs_textacc_t;

/* An empty accumulator; lzs_textacc_free() releases it. */
void lzs_textacc_init(lzs_textacc_t *a);
void lzs_textacc_free(lzs_textacc_t *a);
/* Empties a, keeping its buffers. */
void lzs_textacc_reset(lzs_textacc_t *a);
/* Appends len bytes of text read from the document, in this weight and style. */
void lzs_textacc_text(lzs_textacc_t *a, const char *s, size_t len, int bold, int italic);
/* Appends text that is not the author's own (a list label, a separator): it does not
 * count for the bold and italic hints. */
void lzs_textacc_raw(lzs_textacc_t *a, const char *s, size_t len);
/* A line break the author put in the block (w:br, text:line-break): a space, and the
 * block counts one more line (lzs_block_t.lines). */
void lzs_textacc_break(lzs_textacc_t *a);
/* Appends a footnote mark. */
void lzs_textacc_mark(lzs_textacc_t *a, unsigned num);
/* Queues note handle h (the reader's) to be emitted after the block. */
void lzs_textacc_note(lzs_textacc_t *a, size_t h);
/* Removes a trailing space and returns the text's length. */
size_t lzs_textacc_trim(lzs_textacc_t *a);
/* Moves everything of from to the end of to (a space between the texts), leaving from
 * empty. */
void lzs_textacc_join(lzs_textacc_t *to, lzs_textacc_t *from);

/* A label (a footnote's custom mark or citation) from len bytes of document text: cleaned
 * as block text is, without spaces, cut on a character boundary to fit buf (cap bytes).
 * "" when nothing is left (or memory ran out). */
void lzs_textacc_label(const char *s, size_t len, char *buf, size_t cap);

/* Appends a's trimmed text as a block of this kind with a's marks, its flags plus
 * LZS_BF_BOLD / LZS_BF_ITALIC when every visible character was so. Borrowed pointer into
 * bs, valid until the next append; NULL when out of memory (bs->st set). */
lzs_block_t *lzs_textacc_emit(lzs_textacc_t *a, lzs_blocks_t *bs, lzs_block_kind_t kind,
                              unsigned flags);
/* Furniture kept per document: headers and footers repeat a few lines; past this many a
 * document only makes the check for repeats costly. */
#define LZS_FURNITURE_MAX 256

/* Adds a's trimmed text to bs's furniture unless empty, already there, or bs holds
 * LZS_FURNITURE_MAX entries. */
void lzs_textacc_furniture(lzs_textacc_t *a, lzs_blocks_t *bs);

#endif
