/* text_internal.h — what the files of the text pipeline (lib/core/text_*.c) share: the
 * handle and token list layouts, the UTF-8 decoder, the normalization steps and the token
 * builder. Not part of the public API (include/lzs/text.h).
 */
#ifndef LZS_TEXT_INTERNAL_H
#define LZS_TEXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/utypes.h>

#include "lzs/text.h"
#include "lzs/xdb.h"

#define LZS_TEXT_STEM_CACHE 8
#define LZS_TEXT_STEM_LANG_MAX 32

#define LZS_TEXT_REPLACEMENT 0xFFFDu

typedef struct {
    char lang[LZS_TEXT_STEM_LANG_MAX];
    lzs_xstem_t *stem; /* NULL: Xapian has no stemmer for lang (cached answer) */
} lzs_text_stem_slot_t;

/* A growable UTF-16 scratch buffer. */
typedef struct {
    UChar *p;
    int32_t cap;
} lzs_text_ubuf_t;

struct lzs_text {
    UBreakIterator *brk;
    const UNormalizer2 *nfkc_cf, *nfd, *nfc;

    /* The text being tokenized: n UTF-16 units, the input byte offset of each (offs[n] is
     * the input length) and the class of each. */
    UChar *u;
    uint32_t *offs;
    unsigned char *cls;
    int32_t n;
    size_t ucap;

    /* Parts of the compound being scanned, as [start, end) unit pairs. */
    int32_t *parts;
    size_t nparts, partcap;

    lzs_text_ubuf_t build; /* a code or joined form being assembled */
    lzs_text_ubuf_t norm, nfdbuf, filt, fold;

    lzs_text_stem_slot_t stems[LZS_TEXT_STEM_CACHE];
    size_t nstems, stemnext;
    char *stembuf;
    size_t stemcap;
};

struct lzs_tokens {
    lzs_token_t *v;
    size_t n, cap;
    /* While building, norm and folded are offsets into arena (strs[2i], strs[2i+1]); the
     * pointers are set once the arena stops moving. */
    size_t *strs;
    char *arena;
    size_t alen, acap;
};

/* ---- UTF-8 (text_utf8.c) ---------------------------------------------------------------- */

/* Decodes the character at s (n >= 1 bytes available). Returns the bytes consumed: a whole
 * valid character, or the maximal invalid subpart (at least 1 byte) with *bad set and *cp
 * U+FFFD. NUL counts as invalid: it is never kept. */
size_t lzs_text_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, int *bad);

/* Largest cut <= max of valid UTF-8 s (len bytes) that does not split a character. */
size_t lzs_text_utf8_cut(const char *s, size_t len, size_t max);

/* ---- normalization (text_norm.c) -------------------------------------------------------- */

/* Status of a failed ICU call: its allocation failures are out-of-memory, like ours. */
lzs_status_t lzs_text_icu_status(UErrorCode e);

/* Grows b to hold need units (contents kept); LZS_ERR_LIMIT past INT32_MAX. */
lzs_status_t lzs_text_ubuf_reserve(lzs_text_ubuf_t *b, int64_t need);

/* ASCII, U+2019 or U+02BC. */
int lzs_text_is_apostrophe(UChar32 c);

/* NFKC with full case folding (NFKC_Casefold, which also drops default-ignorable characters
 * such as soft hyphens and zero-width joiners), typographic apostrophes made ASCII. Result
 * in t->norm (borrowed: valid until the next call on t), *outn units. */
lzs_status_t lzs_text_norm_u16(lzs_text_t *t, const UChar *src, int32_t n, int32_t *outn);

/* Accent folding of normalized text. Result in t->fold (borrowed: valid until the next call
 * on t), *outn units. */
lzs_status_t lzs_text_fold_u16(lzs_text_t *t, const UChar *src, int32_t n, int32_t *outn);

/* ---- the token list (text_tokens.c) ----------------------------------------------------- */

/* Appends one token made of the units src[0..n) (borrowed) to tk: normalized, folded, cut.
 * *added is 0 when nothing is left after normalization (only ignorable characters). */
lzs_status_t lzs_text_add_token(lzs_text_t *t, lzs_tokens_t *tk, const UChar *src, int32_t n,
                                size_t start, size_t end, uint32_t pos, unsigned flags, int *added);

/* ---- tokenizing (text_tokenize.c) ------------------------------------------------------- */

/* Decodes len bytes of text into t->u / t->offs (t->n units). */
lzs_status_t lzs_text_decode_input(lzs_text_t *t, const char *text, size_t len);

/* Frees the unit buffers when a big input left them big. */
void lzs_text_release_big_buffers(lzs_text_t *t);

#endif
