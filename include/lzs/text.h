/* text.h — the ICU text pipeline: UTF-8 text in, tokens with byte offsets out.
 *
 * The same function runs at index time and at query time, so that case, accents,
 * hyphens, elisions and codes match the same way on both sides:
 *  - ICU word-break iteration (all scripts; dictionary segmentation for Thai, CJK, ...),
 *    NFKC, full case folding, and an accent-folded form ("Röszke" -> "roszke");
 *  - codes stay whole: "T-ES(2021)31" -> "t-es(2021)31", "V-17" -> "v-17", "38(2)",
 *    "2012/29/EU" -> "2012/29/eu"; their alphanumeric parts are tokens as well;
 *  - hyphenated words give their parts and the joined form: "co-operation" -> "co",
 *    "operation" (consecutive positions) and "cooperation" (JOINED, at the first part's
 *    position);
 *  - French elisions are dropped: "l'article" -> "article", "d’aide" -> "aide";
 *  - invalid UTF-8 is replaced by U+FFFD and the rest of the text is kept;
 *  - tokens longer than LZS_TEXT_MAX_TOKEN bytes are cut on a character boundary.
 *
 * Positions: every token that starts a new word gets the next position (from 1).
 * A CODE or JOINED token shares the position of its first part; parts take consecutive
 * positions. So phrase queries built from the same pipeline line up.
 * Tokens come in text order; a CODE or JOINED token comes just before its parts.
 *
 * A code is two or more alphanumeric parts joined by '-' (or U+2010, U+2011, U+2013, soft
 * hyphen), '/', '.' or attached "(...)" groups, with at least one digit: "21-22",
 * "2.1.1" and "1.5" are codes too (dashes become '-' in the code form). "2021" is a plain
 * NUMERIC token; "1,5" and "10,000" stay one token (neither ALPHA nor NUMERIC). Elisions
 * (l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu') and the English possessive "'s" are
 * dropped from the token and its offsets; other apostrophes stay (as ASCII "'").
 *
 * An lzs_text_t is not thread-safe: create one per thread, or clone a prototype
 * (the ICU break iterator and normalizers are cloned, stemmers are per handle).
 */
#ifndef LZS_TEXT_H
#define LZS_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "lzs/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LZS_TEXT_MAX_TOKEN 200 /* bytes; below Xapian's 245-byte term limit with a prefix */

typedef struct lzs_text lzs_text_t;
typedef struct lzs_tokens lzs_tokens_t;

enum {
    LZS_TOK_ALPHA = 1 << 0,   /* contains letters: stemmable */
    LZS_TOK_NUMERIC = 1 << 1, /* digits only (after folding) */
    LZS_TOK_CODE = 1 << 2,    /* a whole code: "t-es(2021)31", "v-17", "38(2)" */
    LZS_TOK_PART = 1 << 3,    /* a component of a code or of a hyphenated word */
    LZS_TOK_JOINED = 1 << 4,  /* a hyphenated word with its hyphens removed */
    LZS_TOK_IDEO = 1 << 5     /* ideographic / dictionary-segmented script (CJK, Thai) */
};

typedef struct {
    const char *norm;   /* NFKC + full case folding, UTF-8, NUL-terminated */
    const char *folded; /* norm with accents and other marks removed (may equal norm) */
    size_t start, end;  /* byte offsets [start, end) of the token in the input text */
    uint32_t pos;       /* word position, from 1 */
    unsigned flags;     /* LZS_TOK_* */
} lzs_token_t;

/* Creates a pipeline. *errmsg (may be NULL) gets a message on failure: caller frees it
 * with free(). */
lzs_status_t lzs_text_create(lzs_text_t **out, char **errmsg);
/* A new pipeline for another thread, sharing nothing mutable with proto. */
lzs_status_t lzs_text_clone(const lzs_text_t *proto, lzs_text_t **out);
void lzs_text_destroy(lzs_text_t *t);

/* Tokenizes len bytes of text (any bytes: invalid UTF-8 is substituted). Caller frees
 * *out with lzs_tokens_destroy(). Empty input gives an empty list. */
lzs_status_t lzs_text_tokenize(lzs_text_t *t, const char *text, size_t len, lzs_tokens_t **out);
size_t lzs_tokens_count(const lzs_tokens_t *toks);
/* Borrowed: valid until toks is destroyed. */
const lzs_token_t *lzs_tokens_get(const lzs_tokens_t *toks, size_t i);
void lzs_tokens_destroy(lzs_tokens_t *toks);

/* Stems a normalized token (lzs_token_t.norm) for a language (ISO 639-1 code or Snowball
 * name) and accent-folds the stem. *out borrowed: valid until the next call on t.
 * LZS_ERR_NOT_FOUND when there is no stemmer for the language. */
lzs_status_t lzs_text_stem(lzs_text_t *t, const char *lang, const char *norm, const char **out);

/* NFKC + case folding of a whole string (no tokenizing): caller frees *out with free(). */
lzs_status_t lzs_text_normalize(lzs_text_t *t, const char *text, size_t len, char **out);
/* Normalization + accent folding of a whole string: caller frees *out with free(). */
lzs_status_t lzs_text_fold(lzs_text_t *t, const char *text, size_t len, char **out);

/* The key of a term or phrase in the synonym table, the same at index and at query time:
 * the folded forms of its tokens joined by single spaces, leaving out the tokens that lie
 * inside a code or a joined word, so that a hyphenated word counts as its JOINED form and a
 * code as itself: "Co-operation" -> "cooperation", "Child  Sexual Abuse" -> "child sexual
 * abuse", "T-ES(2021)31" -> "t-es(2021)31". *out is "" when text has no token; caller frees
 * it with free(). */
lzs_status_t lzs_text_phrase_key(lzs_text_t *t, const char *text, size_t len, char **out);

/* Whether token i of toks is a term of the phrase toks make, as search reads a phrase and
 * as the index finds its phrase terms (lzs/schema.h, LZS_PFX_PHRASE): never a whole code
 * (its parts are positioned in the index); a hyphenated word as its parts (joined 0) or as
 * its JOINED form alone (joined 1). */
int lzs_tokens_phrase_term(const lzs_tokens_t *toks, size_t i, int joined);
/* 1 when toks holds a hyphenated word's JOINED form: its phrase reads two ways. */
int lzs_tokens_have_joined(const lzs_tokens_t *toks);

/* The ASCII letters that accent folding puts for a letter that carries its accent in the
 * letter itself and has no canonical decomposition ("ø" -> "o", "æ" -> "ae", "ı" -> "i",
 * "ß" -> "ss"), or NULL for any other code point (c is case-folded). Static string. Every
 * folding of the project uses it, so that the gazetteer, the index and the query fold
 * alike. */
const char *lzs_text_fold_letter(uint32_t c);

/* Copies len bytes into valid UTF-8, replacing each invalid sequence by U+FFFD.
 * *out is NUL-terminated; caller frees with free(). *nbad (may be NULL) counts the
 * substitutions. Embedded NUL bytes are replaced by U+FFFD too. */
lzs_status_t lzs_text_sanitize_utf8(const char *text, size_t len, char **out, size_t *outlen,
                                    size_t *nbad);
/* 1 when len bytes are valid UTF-8 without NUL bytes. */
int lzs_text_is_valid_utf8(const char *text, size_t len);

/* Offset of the end of the UTF-8 character that starts at or before off (so that a cut at
 * the result never splits a character). That is the character holding byte off: the
 * result is > off, or len when off >= len. An invalid byte counts as one character. */
size_t lzs_text_utf8_boundary(const char *text, size_t len, size_t off);
/* The largest offset <= off (or len when off >= len) that does not split a UTF-8
 * character: where to cut text to keep at most off bytes. */
size_t lzs_text_utf8_floor(const char *text, size_t len, size_t off);

#ifdef __cplusplus
}
#endif

#endif
