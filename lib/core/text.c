/* text.c — the ICU text pipeline: bytes in, normalized tokens with byte offsets out.
 *
 * Tokenizing runs in three steps over one reusable set of buffers kept on the handle:
 *  1. the input bytes are decoded to UTF-16 by hand (not with ICU's converter) so that each
 *     UTF-16 unit remembers the byte offset it came from, and so that invalid sequences and
 *     NUL bytes become U+FFFD one maximal subpart at a time;
 *  2. ICU's word break iterator marks, for every unit, whether it lies in a letter/number
 *     word, in an ideographic/dictionary word (CJK, kana, Thai, Lao, Khmer, Myanmar) or in
 *     neither (spaces, punctuation);
 *  3. a linear scan over those marks builds the tokens: codes ("T-ES(2021)31"), hyphenated
 *     words ("co-operation"), elisions ("l'article") and possessives ("Norway's") are
 *     recognised there, because ICU splits the first two and keeps the last two whole.
 *
 * What counts as a code: two or more alphanumeric parts joined by '-', U+2010, U+2011,
 * U+2013 (en dash, without spaces), soft hyphen, '/', '.', or directly attached bracketed
 * groups "(...)", with at least one digit somewhere. So "V-17", "38(2)", "20(1)(f)",
 * "2012/29/EU", date ranges "21-22", section numbers "2.1.1" and decimals "1.5" are codes
 * (whole form plus parts); "2021" is a plain NUMERIC token; "1,5" and "10,000" stay one
 * token as ICU gives them. A dot, dash or bracket not followed by a part ends the code, so
 * "38(2)." gives "38(2)". Without a digit, hyphen-joined parts make a hyphenated word and
 * other joiners ("and/or") simply separate words; ICU keeps dotted words ("e.g",
 * "www.coe.int") whole and so do we.
 */
#include "lzs/text.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "lzs/xdb.h"

#define STEM_CACHE 8
#define STEM_LANG_MAX 32

/* Per-unit classes from the word break iterator. */
enum { CLS_WORD = 1, CLS_IDEO = 2, CLS_START = 4 };

typedef struct {
    char lang[STEM_LANG_MAX];
    lzs_xstem_t *stem; /* NULL: Xapian has no stemmer for lang (cached answer) */
} stem_slot_t;

/* A growable UTF-16 scratch buffer. */
typedef struct {
    UChar *p;
    int32_t cap;
} ubuf_t;

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

    ubuf_t build; /* a code or joined form being assembled */
    ubuf_t norm, nfdbuf, filt, fold;

    stem_slot_t stems[STEM_CACHE];
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

/* ---- UTF-8 ------------------------------------------------------------------------------ */

#define REPLACEMENT 0xFFFDu

/* Status of a failed ICU call: its allocation failures are out-of-memory, like ours. */
static lzs_status_t icu_status(UErrorCode e)
{
    return e == U_MEMORY_ALLOCATION_ERROR ? LZS_ERR_NOMEM : LZS_ERR_INTERNAL;
}

/* Decodes the character at s (n >= 1 bytes available). Returns the bytes consumed: a whole
 * valid character, or the maximal invalid subpart (at least 1 byte) with *bad set and *cp
 * U+FFFD. NUL counts as invalid: it is never kept. */

static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, int *bad)
{
    unsigned c = s[0];
    unsigned lo = 0x80, hi = 0xBF;
    size_t need;
    uint32_t v;

    *bad = 0;
    if (c < 0x80) {
        *cp = c;
        if (c == 0) {
            *cp = REPLACEMENT;
            *bad = 1;
        }
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        *cp = REPLACEMENT;
        *bad = 1;
        return 1;
    }
    for (size_t i = 1; i <= need; i++) {
        unsigned b;
        if (i >= n) {
            *cp = REPLACEMENT;
            *bad = 1;
            return i;
        }
        b = s[i];
        if (b < lo || b > hi) {
            *cp = REPLACEMENT;
            *bad = 1;
            return i;
        }
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return need + 1;
}

int lzs_text_is_valid_utf8(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;

    if (!text)
        return len == 0;
    while (i < len) {
        uint32_t cp;
        int bad;
        if (s[i] >= 0x01 && s[i] < 0x80) {
            i++;
            continue;
        }
        i += utf8_decode(s + i, len - i, &cp, &bad);
        if (bad)
            return 0;
    }
    return 1;
}

lzs_status_t lzs_text_sanitize_utf8(const char *text, size_t len, char **out, size_t *outlen,
                                    size_t *nbad)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t need = 0, bads = 0, o = 0;
    char *buf;

    if (out)
        *out = NULL;
    if (outlen)
        *outlen = 0;
    if (nbad)
        *nbad = 0;
    if (!out || (!text && len > 0))
        return LZS_ERR_INVALID;
    /* First pass: exact size, so that a mostly valid text is not given 3 bytes per byte. */
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int bad;
        size_t k = utf8_decode(s + i, len - i, &cp, &bad);
        need += bad ? 3 : k;
        bads += bad ? 1 : 0;
        i += k;
    }
    buf = malloc(need + 1);
    if (!buf)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int bad;
        size_t k = utf8_decode(s + i, len - i, &cp, &bad);
        if (bad) {
            memcpy(buf + o, "\xEF\xBF\xBD", 3);
            o += 3;
        } else {
            memcpy(buf + o, s + i, k);
            o += k;
        }
        i += k;
    }
    buf[o] = '\0';
    *out = buf;
    if (outlen)
        *outlen = o;
    if (nbad)
        *nbad = bads;
    return LZS_OK;
}

size_t lzs_text_utf8_boundary(const char *text, size_t len, size_t off)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t start = off;
    uint32_t cp;
    int bad;

    if (!text || off >= len)
        return len;
    /* Back to the lead byte of the character holding off (at most 3 continuation bytes). */
    while (start > 0 && off - start < 3 && (s[start] & 0xC0) == 0x80)
        start--;
    {
        size_t k = utf8_decode(s + start, len - start, &cp, &bad);
        if (start + k > off)
            return start + k;
    }
    /* off is a stray continuation byte, a character of its own once substituted. */
    return off + 1;
}

size_t lzs_text_utf8_floor(const char *text, size_t len, size_t off)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t start;
    uint32_t cp;
    int bad;

    if (!text || off >= len)
        return len;
    start = off;
    while (start > 0 && off - start < 3 && (s[start] & 0xC0) == 0x80)
        start--;
    if (start + utf8_decode(s + start, len - start, &cp, &bad) > off && start < off)
        return start; /* off is inside the character that starts at start */
    return off;
}

/* Largest cut <= max of valid UTF-8 s (len bytes) that does not split a character. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* ---- buffers ---------------------------------------------------------------------------- */

static lzs_status_t ubuf_reserve(ubuf_t *b, int64_t need)
{
    int64_t cap;
    UChar *p;

    if (need <= b->cap)
        return LZS_OK;
    if (need > INT32_MAX)
        return LZS_ERR_LIMIT;
    cap = b->cap ? (int64_t)b->cap * 2 : 256;
    while (cap < need)
        cap *= 2;
    if (cap > INT32_MAX)
        cap = INT32_MAX;
    p = realloc(b->p, (size_t)cap * sizeof *p);
    if (!p)
        return LZS_ERR_NOMEM;
    b->p = p;
    b->cap = (int32_t)cap;
    return LZS_OK;
}

static lzs_status_t normalize_into(const UNormalizer2 *nz, const UChar *src, int32_t n, ubuf_t *dst,
                                   int32_t *outn)
{
    lzs_status_t st = ubuf_reserve(dst, (int64_t)n + 16);
    if (st != LZS_OK)
        return st;
    for (;;) {
        UErrorCode e = U_ZERO_ERROR;
        int32_t r = unorm2_normalize(nz, src, n, dst->p, dst->cap, &e);
        if (e == U_BUFFER_OVERFLOW_ERROR) {
            st = ubuf_reserve(dst, (int64_t)r + 1);
            if (st != LZS_OK)
                return st;
            continue;
        }
        if (U_FAILURE(e))
            return icu_status(e);
        *outn = r;
        return LZS_OK;
    }
}

static int is_apostrophe(UChar32 c)
{
    return c == 0x27 || c == 0x2019 || c == 0x02BC;
}

/* NFKC with full case folding (NFKC_Casefold, which also drops default-ignorable characters
 * such as soft hyphens and zero-width joiners), typographic apostrophes made ASCII. */
static lzs_status_t norm_u16(lzs_text_t *t, const UChar *src, int32_t n, int32_t *outn)
{
    int ascii = 1;
    lzs_status_t st;

    for (int32_t i = 0; i < n && ascii; i++)
        ascii = src[i] < 0x80;
    if (ascii) {
        st = ubuf_reserve(&t->norm, (int64_t)n + 1);
        if (st != LZS_OK)
            return st;
        for (int32_t i = 0; i < n; i++)
            t->norm.p[i] = (src[i] >= 'A' && src[i] <= 'Z') ? (UChar)(src[i] + 32) : src[i];
        *outn = n;
        return LZS_OK;
    }
    st = normalize_into(t->nfkc_cf, src, n, &t->norm, outn);
    if (st != LZS_OK)
        return st;
    for (int32_t i = 0; i < *outn; i++)
        if (is_apostrophe(t->norm.p[i]))
            t->norm.p[i] = 0x27;
    return LZS_OK;
}

const char *lzs_text_fold_letter(uint32_t c)
{
    switch (c) {
    case 0x00F8: /* ø */
        return "o";
    case 0x00E6: /* æ */
        return "ae";
    case 0x0153: /* œ */
        return "oe";
    case 0x00DF: /* ß */
        return "ss";
    case 0x0111: /* đ */
    case 0x00F0: /* ð */
        return "d";
    case 0x0142: /* ł */
        return "l";
    case 0x0131: /* ı */
        return "i";
    case 0x00FE: /* þ */
        return "th";
    case 0x0127: /* ħ */
        return "h";
    default:
        return NULL;
    }
}

/* Accent folding of normalized text: NFD, nonspacing marks of the Inherited script removed
 * (the generic diacritics and Arabic harakat; script-specific vowel signs of Thai or
 * Devanagari and the kana voicing marks are kept, they are not accents), a few letters
 * mapped, NFC. Result in t->fold. */
static lzs_status_t fold_u16(lzs_text_t *t, const UChar *src, int32_t n, int32_t *outn)
{
    int32_t dn, fn = 0;
    lzs_status_t st = normalize_into(t->nfd, src, n, &t->nfdbuf, &dn);
    if (st != LZS_OK)
        return st;
    st = ubuf_reserve(&t->filt, 2 * (int64_t)dn + 1);
    if (st != LZS_OK)
        return st;
    for (int32_t i = 0; i < dn;) {
        UChar32 c;
        const char *rep;
        int32_t k = i;
        U16_NEXT(t->nfdbuf.p, k, dn, c);
        if (u_charType(c) == U_NON_SPACING_MARK && c != 0x3099 && c != 0x309A) {
            UErrorCode e = U_ZERO_ERROR;
            if (uscript_getScript(c, &e) == USCRIPT_INHERITED && U_SUCCESS(e)) {
                i = k;
                continue;
            }
        }
        rep = lzs_text_fold_letter((uint32_t)c);
        if (rep) {
            while (*rep)
                t->filt.p[fn++] = (UChar)*rep++;
        } else {
            while (i < k)
                t->filt.p[fn++] = t->nfdbuf.p[i++];
        }
        i = k;
    }
    return normalize_into(t->nfc, t->filt.p, fn, &t->fold, outn);
}

static lzs_status_t arena_reserve(lzs_tokens_t *tk, size_t more)
{
    size_t cap;
    char *p;

    if (tk->acap - tk->alen >= more)
        return LZS_OK;
    cap = tk->acap ? tk->acap * 2 : 1024;
    while (cap - tk->alen < more)
        cap *= 2;
    p = realloc(tk->arena, cap);
    if (!p)
        return LZS_ERR_NOMEM;
    tk->arena = p;
    tk->acap = cap;
    return LZS_OK;
}

/* Appends src (n units) to the arena as UTF-8 cut to LZS_TEXT_MAX_TOKEN bytes and
 * NUL-terminated; *off gets its arena offset, *blen its length. */
static lzs_status_t arena_put(lzs_tokens_t *tk, const UChar *src, int32_t n, size_t *off,
                              size_t *blen)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t len = 0;
    lzs_status_t st = arena_reserve(tk, 3 * (size_t)n + 1);
    if (st != LZS_OK)
        return st;
    u_strToUTF8WithSub(tk->arena + tk->alen, (int32_t)(tk->acap - tk->alen), &len, src, n,
                       (UChar32)REPLACEMENT, NULL, &e);
    if (U_FAILURE(e))
        return icu_status(e);
    len = (int32_t)utf8_cut(tk->arena + tk->alen, (size_t)len, LZS_TEXT_MAX_TOKEN);
    tk->arena[tk->alen + (size_t)len] = '\0';
    *off = tk->alen;
    *blen = (size_t)len;
    tk->alen += (size_t)len + 1;
    return LZS_OK;
}

/* Appends one token made of the units src[0..n): normalized, folded, cut. *added is 0 when
 * nothing is left after normalization (only ignorable characters). */
static lzs_status_t add_token(lzs_text_t *t, lzs_tokens_t *tk, const UChar *src, int32_t n,
                              size_t start, size_t end, uint32_t pos, unsigned flags, int *added)
{
    int32_t nn, fn;
    int alpha = 0, digits = 1, ascii = 1;
    size_t noff, foff, nlen, flen;
    lzs_token_t *tok;
    lzs_status_t st;

    *added = 0;
    st = norm_u16(t, src, n, &nn);
    if (st != LZS_OK)
        return st;
    if (nn == 0)
        return LZS_OK;
    for (int32_t i = 0; i < nn;) {
        UChar32 c;
        U16_NEXT(t->norm.p, i, nn, c);
        if (c >= 0x80)
            ascii = 0;
        if (u_isalpha(c))
            alpha = 1;
        if (!u_isdigit(c))
            digits = 0;
    }
    if (tk->n == tk->cap) {
        size_t cap = tk->cap ? tk->cap * 2 : 64;
        lzs_token_t *v = realloc(tk->v, cap * sizeof *v);
        size_t *strs;
        if (!v)
            return LZS_ERR_NOMEM;
        tk->v = v;
        strs = realloc(tk->strs, cap * 2 * sizeof *strs);
        if (!strs)
            return LZS_ERR_NOMEM;
        tk->strs = strs;
        tk->cap = cap;
    }
    st = arena_put(tk, t->norm.p, nn, &noff, &nlen);
    if (st != LZS_OK)
        return st;
    foff = noff;
    if (!ascii) {
        st = fold_u16(t, t->norm.p, nn, &fn);
        if (st != LZS_OK)
            return st;
        /* A word of marks alone would fold to nothing: it keeps its normalized form. */
        if (fn > 0 && (fn != nn || u_memcmp(t->fold.p, t->norm.p, nn) != 0)) {
            st = arena_put(tk, t->fold.p, fn, &foff, &flen);
            if (st != LZS_OK)
                return st;
        }
    }
    (void)nlen;
    tok = &tk->v[tk->n];
    tok->norm = NULL;
    tok->folded = NULL;
    tok->start = start;
    tok->end = end;
    tok->pos = pos;
    tok->flags = flags | (alpha ? LZS_TOK_ALPHA : 0u) | (digits ? LZS_TOK_NUMERIC : 0u);
    tk->strs[2 * tk->n] = noff;
    tk->strs[2 * tk->n + 1] = foff;
    tk->n++;
    *added = 1;
    return LZS_OK;
}

/* ---- lifecycle -------------------------------------------------------------------------- */

static void set_errmsg(char **errmsg, const char *what, UErrorCode e)
{
    const char *name = u_errorName(e);
    size_t n = strlen(what) + strlen(name) + 3;
    if (!errmsg)
        return;
    *errmsg = malloc(n);
    if (*errmsg) {
        strcpy(*errmsg, what);
        strcat(*errmsg, ": ");
        strcat(*errmsg, name);
    }
}

static lzs_status_t get_normalizers(lzs_text_t *t, char **errmsg)
{
    UErrorCode e = U_ZERO_ERROR;
    t->nfkc_cf = unorm2_getNFKCCasefoldInstance(&e);
    if (U_SUCCESS(e))
        t->nfd = unorm2_getNFDInstance(&e);
    if (U_SUCCESS(e))
        t->nfc = unorm2_getNFCInstance(&e);
    if (U_FAILURE(e)) {
        set_errmsg(errmsg, "ICU normalization data unavailable", e);
        return icu_status(e);
    }
    return LZS_OK;
}

lzs_status_t lzs_text_create(lzs_text_t **out, char **errmsg)
{
    UErrorCode e = U_ZERO_ERROR;
    lzs_text_t *t;
    lzs_status_t st;

    if (errmsg)
        *errmsg = NULL;
    if (!out)
        return LZS_ERR_INVALID;
    *out = NULL;
    t = calloc(1, sizeof *t);
    if (!t)
        return LZS_ERR_NOMEM;
    st = get_normalizers(t, errmsg);
    if (st != LZS_OK) {
        free(t);
        return st;
    }
    /* The root locale: ICU then segments Thai, Lao, Khmer, Burmese and CJK by dictionary. */
    t->brk = ubrk_open(UBRK_WORD, "", NULL, 0, &e);
    if (U_FAILURE(e)) {
        set_errmsg(errmsg, "cannot open the ICU word break iterator", e);
        free(t);
        return icu_status(e);
    }
    *out = t;
    return LZS_OK;
}

lzs_status_t lzs_text_clone(const lzs_text_t *proto, lzs_text_t **out)
{
    UErrorCode e = U_ZERO_ERROR;
    lzs_text_t *t;

    if (!out)
        return LZS_ERR_INVALID;
    *out = NULL;
    if (!proto)
        return LZS_ERR_INVALID;
    t = calloc(1, sizeof *t);
    if (!t)
        return LZS_ERR_NOMEM;
    /* Normalizer instances are immutable ICU singletons: sharing them is safe. */
    t->nfkc_cf = proto->nfkc_cf;
    t->nfd = proto->nfd;
    t->nfc = proto->nfc;
    t->brk = ubrk_clone(proto->brk, &e);
    if (U_FAILURE(e)) {
        free(t);
        return LZS_ERR_NOMEM;
    }
    *out = t;
    return LZS_OK;
}

void lzs_text_destroy(lzs_text_t *t)
{
    if (!t)
        return;
    ubrk_close(t->brk);
    free(t->u);
    free(t->offs);
    free(t->cls);
    free(t->parts);
    free(t->build.p);
    free(t->norm.p);
    free(t->nfdbuf.p);
    free(t->filt.p);
    free(t->fold.p);
    for (size_t i = 0; i < t->nstems; i++)
        lzs_xstem_destroy(t->stems[i].stem);
    free(t->stembuf);
    free(t);
}

/* ---- tokens ----------------------------------------------------------------------------- */

size_t lzs_tokens_count(const lzs_tokens_t *toks)
{
    return toks ? toks->n : 0;
}

const lzs_token_t *lzs_tokens_get(const lzs_tokens_t *toks, size_t i)
{
    if (!toks || i >= toks->n)
        return NULL;
    return &toks->v[i];
}

void lzs_tokens_destroy(lzs_tokens_t *toks)
{
    if (!toks)
        return;
    free(toks->v);
    free(toks->strs);
    free(toks->arena);
    free(toks);
}

/* ---- tokenizing ------------------------------------------------------------------------- */

/* Big inputs leave big buffers behind; give them back rather than pin them per thread. */
#define KEEP_UNITS (1u << 20)

static void release_big_buffers(lzs_text_t *t)
{
    if (t->ucap <= KEEP_UNITS)
        return;
    free(t->u);
    free(t->offs);
    free(t->cls);
    t->u = NULL;
    t->offs = NULL;
    t->cls = NULL;
    t->ucap = 0;
}

/* Decodes len bytes into t->u / t->offs. */
static lzs_status_t decode_input(lzs_text_t *t, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    int32_t n = 0;

    if (len + 1 > t->ucap) {
        UChar *u = realloc(t->u, (len + 1) * sizeof *u);
        uint32_t *offs;
        unsigned char *cls;
        if (!u)
            return LZS_ERR_NOMEM;
        t->u = u;
        offs = realloc(t->offs, (len + 1) * sizeof *offs);
        if (!offs)
            return LZS_ERR_NOMEM;
        t->offs = offs;
        cls = realloc(t->cls, len + 1);
        if (!cls)
            return LZS_ERR_NOMEM;
        t->cls = cls;
        t->ucap = len + 1;
    }
    /* A UTF-16 unit never needs more than one byte of input (4-byte sequences give 2). */
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int bad;
        size_t k;
        if (s[i] >= 0x01 && s[i] < 0x80) {
            t->offs[n] = (uint32_t)i;
            t->u[n++] = s[i++];
            continue;
        }
        k = utf8_decode(s + i, len - i, &cp, &bad);
        if (cp >= 0x10000) {
            t->offs[n] = (uint32_t)i;
            t->u[n++] = U16_LEAD(cp);
            t->offs[n] = (uint32_t)i;
            t->u[n++] = U16_TRAIL(cp);
        } else {
            t->offs[n] = (uint32_t)i;
            t->u[n++] = (UChar)cp;
        }
        i += k;
    }
    t->offs[n] = (uint32_t)len;
    t->n = n;
    return LZS_OK;
}

static int is_dictionary_script(UChar32 c)
{
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &e);
    return U_SUCCESS(e) && (sc == USCRIPT_THAI || sc == USCRIPT_LAO || sc == USCRIPT_KHMER ||
                            sc == USCRIPT_MYANMAR);
}

/* Runs the word break iterator and fills t->cls. */
static lzs_status_t classify(lzs_text_t *t)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t s, next;

    memset(t->cls, 0, (size_t)t->n + 1);
    ubrk_setText(t->brk, t->u, t->n, &e);
    if (U_FAILURE(e))
        return icu_status(e);
    s = ubrk_first(t->brk);
    for (next = ubrk_next(t->brk); next != UBRK_DONE; s = next, next = ubrk_next(t->brk)) {
        int32_t status = ubrk_getRuleStatus(t->brk);
        unsigned char c;
        UChar32 first;
        if (status < UBRK_WORD_NONE_LIMIT)
            continue;
        U16_GET(t->u, 0, s, t->n, first);
        if (status >= UBRK_WORD_KANA || is_dictionary_script(first))
            c = CLS_IDEO;
        else
            c = CLS_WORD;
        memset(t->cls + s, c, (size_t)(next - s));
        t->cls[s] |= CLS_START;
    }
    /* Detach the iterator from buffers that may move before the next call. */
    ubrk_setText(t->brk, NULL, 0, &e);
    return LZS_OK;
}

static int is_part_char(UChar32 c)
{
    return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

static UChar32 cp_at(const lzs_text_t *t, int32_t i, int32_t *next)
{
    UChar32 c;
    U16_NEXT(t->u, i, t->n, c);
    *next = i;
    return c;
}

/* End of the word segment holding unit i. */
static int32_t seg_end(const lzs_text_t *t, int32_t i)
{
    int32_t j = i + 1;
    while (j < t->n && (t->cls[j] & (CLS_WORD | CLS_IDEO)) && !(t->cls[j] & CLS_START))
        j++;
    return j;
}

/* End of the part (alphanumeric run inside one letter/number word segment) starting at i;
 * i when none starts there. *digit is set when the part has a digit. */
static int32_t part_end(const lzs_text_t *t, int32_t i, int *digit)
{
    int32_t j = i;
    *digit = 0;
    while (j < t->n && (t->cls[j] & CLS_WORD) && (j == i || !(t->cls[j] & CLS_START))) {
        int32_t k;
        UChar32 c = cp_at(t, j, &k);
        if (!is_part_char(c))
            break;
        if (u_isdigit(c))
            *digit = 1;
        j = k;
    }
    return j;
}

static int is_hyphen(UChar c)
{
    return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x00AD;
}

static int is_code_joiner(UChar c)
{
    return is_hyphen(c) || c == '/' || c == '.' || c == 0x2013;
}

static lzs_status_t push_part(lzs_text_t *t, int32_t s, int32_t e)
{
    if (t->nparts == t->partcap) {
        size_t cap = t->partcap ? t->partcap * 2 : 16;
        int32_t *p = realloc(t->parts, cap * 2 * sizeof *p);
        if (!p)
            return LZS_ERR_NOMEM;
        t->parts = p;
        t->partcap = cap;
    }
    t->parts[2 * t->nparts] = s;
    t->parts[2 * t->nparts + 1] = e;
    t->nparts++;
    return LZS_OK;
}

/* Scans the compound starting at part start s: with codes set, every code joiner and
 * bracket group; otherwise hyphens only. Fills t->parts; *end is the end of the compound
 * (after a closing bracket if it ends with one), *digit tells whether it has a digit. */
static lzs_status_t scan_compound(lzs_text_t *t, int32_t s, int codes, int32_t *end, int *digit)
{
    int d;
    int32_t e = part_end(t, s, &d), i;
    lzs_status_t st;

    t->nparts = 0;
    *digit = d;
    *end = e;
    if (e == s)
        return LZS_OK;
    st = push_part(t, s, e);
    if (st != LZS_OK)
        return st;
    i = e;
    while (i + 1 < t->n) {
        UChar ch = t->u[i];
        int32_t j = i + 1, k;
        if (codes ? is_code_joiner(ch) : is_hyphen(ch)) {
            k = part_end(t, j, &d);
            if (k == j)
                break;
            st = push_part(t, j, k);
            if (st != LZS_OK)
                return st;
            *digit |= d;
            i = *end = k;
            continue;
        }
        if (codes && ch == '(') {
            k = part_end(t, j, &d);
            if (k == j || k >= t->n || t->u[k] != ')')
                break;
            st = push_part(t, j, k);
            if (st != LZS_OK)
                return st;
            *digit |= d;
            i = *end = k + 1;
            /* A part glued to the closing bracket: "(2021)31". */
            k = part_end(t, i, &d);
            if (k > i) {
                st = push_part(t, i, k);
                if (st != LZS_OK)
                    return st;
                *digit |= d;
                i = *end = k;
            }
            continue;
        }
        break;
    }
    return LZS_OK;
}

/* Start of the word after a French elision at the segment start s ("l'", "qu’", ...), or
 * s when there is none. */
static int32_t skip_elision(const lzs_text_t *t, int32_t s, int32_t e)
{
    static const char *const elided[] = {"l", "d", "j",  "m",     "n",      "s",
                                         "t", "c", "qu", "jusqu", "lorsqu", "puisqu"};
    char low[8];
    int32_t i = s, n = 0, k;

    while (i < e && n < 6 && t->u[i] < 0x80 && u_isalpha(t->u[i])) {
        low[n++] = (char)(t->u[i] | 0x20);
        i++;
    }
    if (n == 0 || i + 1 >= e || !is_apostrophe(t->u[i]))
        return s;
    if (!u_isalpha(cp_at(t, i + 1, &k)))
        return s;
    low[n] = '\0';
    for (size_t m = 0; m < sizeof elided / sizeof *elided; m++)
        if (strcmp(low, elided[m]) == 0)
            return i + 1;
    return s;
}

/* True when units [i, i + 2) are an English possessive "'s" closing the word before i. */
static int is_possessive_at(const lzs_text_t *t, int32_t i)
{
    int32_t k;
    UChar32 prev;

    if (i < 1 || i + 2 > t->n || !is_apostrophe(t->u[i]) || (t->u[i + 1] | 0x20) != 's')
        return 0;
    if (i + 2 < t->n && (t->cls[i + 2] & CLS_WORD) && !(t->cls[i + 2] & CLS_START) &&
        is_part_char(cp_at(t, i + 2, &k)))
        return 0;
    U16_GET(t->u, 0, i - 1, t->n, prev);
    return u_isalpha(prev);
}

static lzs_status_t add_range(lzs_text_t *t, lzs_tokens_t *tk, int32_t s, int32_t e, uint32_t pos,
                              unsigned flags, int *added)
{
    return add_token(t, tk, t->u + s, e - s, t->offs[s], t->offs[e], pos, flags, added);
}

/* Emits the compound [s, end) whose parts are in t->parts: the whole code (dashes made
 * ASCII) or the joined word at the first part's position, then the parts. */
static lzs_status_t add_compound(lzs_text_t *t, lzs_tokens_t *tk, int32_t s, int32_t end, int code,
                                 uint32_t *pos)
{
    int32_t bn = 0;
    int added;
    lzs_status_t st = ubuf_reserve(&t->build, (int64_t)(end - s) + 1);

    if (st != LZS_OK)
        return st;
    if (code) {
        for (int32_t i = s; i < end; i++) {
            UChar c = t->u[i];
            t->build.p[bn++] = (is_hyphen(c) || c == 0x2013) ? (UChar)'-' : c;
        }
    } else {
        for (size_t p = 0; p < t->nparts; p++) {
            int32_t ps = t->parts[2 * p], pe = t->parts[2 * p + 1];
            memcpy(t->build.p + bn, t->u + ps, (size_t)(pe - ps) * sizeof(UChar));
            bn += pe - ps;
        }
    }
    st = add_token(t, tk, t->build.p, bn, t->offs[s], t->offs[end], *pos + 1,
                   code ? LZS_TOK_CODE : LZS_TOK_JOINED, &added);
    for (size_t p = 0; p < t->nparts && st == LZS_OK; p++) {
        st = add_range(t, tk, t->parts[2 * p], t->parts[2 * p + 1], *pos + 1, LZS_TOK_PART, &added);
        *pos += (uint32_t)added;
    }
    return st;
}

/* Where to go on after a compound ending at end: past a possessive "'s" if there is one. */
static int32_t after_compound(const lzs_text_t *t, int32_t end)
{
    return is_possessive_at(t, end) ? end + 2 : end;
}

/* Builds the tokens of the decoded, classified text. */
static lzs_status_t build_tokens(lzs_text_t *t, lzs_tokens_t *tk)
{
    uint32_t pos = 0;
    int32_t i = 0, nodigit_end = -1;

    while (i < t->n) {
        unsigned char c = t->cls[i];
        int32_t se, s, end;
        int digit, added;
        lzs_status_t st;

        if (!(c & (CLS_WORD | CLS_IDEO))) {
            i++;
            continue;
        }
        se = seg_end(t, i);
        if (c & CLS_IDEO) {
            st = add_range(t, tk, i, se, pos + 1, LZS_TOK_IDEO, &added);
            if (st != LZS_OK)
                return st;
            pos += (uint32_t)added;
            i = se;
            continue;
        }
        s = i;
        if (c & CLS_START) {
            s = skip_elision(t, s, se);
        } else {
            /* Resuming inside a segment where a compound ended ("bar.baz" of "foo-bar.baz"). */
            int32_t k;
            while (s < se && !is_part_char(cp_at(t, s, &k)))
                s = k;
            if (s >= se) {
                i = se;
                continue;
            }
        }
        /* Inside a chain already scanned without a digit, no code can start: skipping the
         * scan keeps long chains like "a/b/c/..." linear. */
        if (s >= nodigit_end) {
            st = scan_compound(t, s, 1, &end, &digit);
            if (st != LZS_OK)
                return st;
            if (t->nparts >= 2 && digit) {
                st = add_compound(t, tk, s, end, 1, &pos);
                if (st != LZS_OK)
                    return st;
                i = after_compound(t, end);
                continue;
            }
            if (!digit)
                nodigit_end = end;
        }
        st = scan_compound(t, s, 0, &end, &digit);
        if (st != LZS_OK)
            return st;
        if (t->nparts >= 2) {
            st = add_compound(t, tk, s, end, 0, &pos);
            if (st != LZS_OK)
                return st;
            i = after_compound(t, end);
            continue;
        }
        end = se;
        if (end - s >= 3 && is_possessive_at(t, end - 2))
            end -= 2;
        st = add_range(t, tk, s, end, pos + 1, 0, &added);
        if (st != LZS_OK)
            return st;
        pos += (uint32_t)added;
        i = se;
    }
    return LZS_OK;
}

lzs_status_t lzs_text_tokenize(lzs_text_t *t, const char *text, size_t len, lzs_tokens_t **out)
{
    lzs_tokens_t *tk;
    lzs_status_t st;

    if (out)
        *out = NULL;
    if (!t || !out || (!text && len > 0))
        return LZS_ERR_INVALID;
    if (len >= INT32_MAX)
        return LZS_ERR_LIMIT; /* ICU indexes text with int32_t */
    tk = calloc(1, sizeof *tk);
    if (!tk)
        return LZS_ERR_NOMEM;
    st = LZS_OK;
    if (len > 0) {
        st = decode_input(t, text, len);
        if (st == LZS_OK)
            st = classify(t);
        if (st == LZS_OK)
            st = build_tokens(t, tk);
        release_big_buffers(t);
    }
    if (st != LZS_OK) {
        lzs_tokens_destroy(tk);
        return st;
    }
    for (size_t k = 0; k < tk->n; k++) {
        tk->v[k].norm = tk->arena + tk->strs[2 * k];
        tk->v[k].folded = tk->arena + tk->strs[2 * k + 1];
    }
    *out = tk;
    return LZS_OK;
}

/* ---- whole strings ---------------------------------------------------------------------- */

static lzs_status_t to_utf8_alloc(const UChar *src, int32_t n, char **out)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t len = 0;
    char *buf;

    u_strToUTF8WithSub(NULL, 0, &len, src, n, (UChar32)REPLACEMENT, NULL, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
        return icu_status(e);
    buf = malloc((size_t)len + 1);
    if (!buf)
        return LZS_ERR_NOMEM;
    e = U_ZERO_ERROR;
    u_strToUTF8WithSub(buf, len + 1, &len, src, n, (UChar32)REPLACEMENT, NULL, &e);
    if (U_FAILURE(e)) {
        free(buf);
        return icu_status(e);
    }
    buf[len] = '\0';
    *out = buf;
    return LZS_OK;
}

static lzs_status_t whole_string(lzs_text_t *t, const char *text, size_t len, int fold, char **out)
{
    int32_t nn = 0, fn = 0;
    lzs_status_t st;

    if (out)
        *out = NULL;
    if (!t || !out || (!text && len > 0))
        return LZS_ERR_INVALID;
    if (len >= INT32_MAX)
        return LZS_ERR_LIMIT;
    st = decode_input(t, text ? text : "", len);
    if (st == LZS_OK)
        st = norm_u16(t, t->u, t->n, &nn);
    if (st == LZS_OK && fold)
        st = fold_u16(t, t->norm.p, nn, &fn);
    if (st == LZS_OK)
        st = fold ? to_utf8_alloc(t->fold.p, fn, out) : to_utf8_alloc(t->norm.p, nn, out);
    release_big_buffers(t);
    return st;
}

lzs_status_t lzs_text_normalize(lzs_text_t *t, const char *text, size_t len, char **out)
{
    return whole_string(t, text, len, 0, out);
}

lzs_status_t lzs_text_fold(lzs_text_t *t, const char *text, size_t len, char **out)
{
    return whole_string(t, text, len, 1, out);
}

/* ---- phrase keys ------------------------------------------------------------------------- */

/* Whether token i lies inside a code or a joined word of the list (and so is left out of a
 * key). A code never hides inside a joined word of the same extent. */
static int covered_token(const lzs_tokens_t *toks, size_t i)
{
    const lzs_token_t *u = lzs_tokens_get(toks, i);
    size_t n = lzs_tokens_count(toks);
    for (size_t k = 0; k < n; k++) {
        const lzs_token_t *t = lzs_tokens_get(toks, k);
        if (k == i || !(t->flags & (LZS_TOK_CODE | LZS_TOK_JOINED)))
            continue;
        if (u->start >= t->start && u->end <= t->end &&
            !(u->start == t->start && u->end == t->end && (u->flags & LZS_TOK_CODE)))
            return 1;
    }
    return 0;
}

lzs_status_t lzs_text_phrase_key(lzs_text_t *t, const char *text, size_t len, char **out)
{
    lzs_tokens_t *toks = NULL;
    lzs_status_t st;
    size_t n, klen = 0;
    char *key;

    if (out)
        *out = NULL;
    if (!t || !out || (!text && len > 0))
        return LZS_ERR_INVALID;
    st = lzs_text_tokenize(t, text ? text : "", len, &toks);
    if (st != LZS_OK)
        return st;
    n = lzs_tokens_count(toks);
    for (size_t i = 0; i < n; i++) {
        if (!covered_token(toks, i))
            klen += strlen(lzs_tokens_get(toks, i)->folded) + 1;
    }
    key = malloc(klen + 1);
    if (!key) {
        lzs_tokens_destroy(toks);
        return LZS_ERR_NOMEM;
    }
    klen = 0;
    for (size_t i = 0; i < n; i++) {
        const char *f = lzs_tokens_get(toks, i)->folded;
        size_t l = strlen(f);
        if (covered_token(toks, i))
            continue;
        if (klen)
            key[klen++] = ' ';
        memcpy(key + klen, f, l);
        klen += l;
    }
    key[klen] = '\0';
    lzs_tokens_destroy(toks);
    *out = key;
    return LZS_OK;
}

/* ---- stemming --------------------------------------------------------------------------- */

static lzs_status_t stemmer_for(lzs_text_t *t, const char *lang, lzs_xstem_t **out)
{
    stem_slot_t *slot;
    lzs_xstem_t *stem = NULL;
    lzs_status_t st;

    *out = NULL;
    for (size_t i = 0; i < t->nstems; i++) {
        if (strcmp(t->stems[i].lang, lang) == 0) {
            *out = t->stems[i].stem;
            return *out ? LZS_OK : LZS_ERR_NOT_FOUND;
        }
    }
    if (strlen(lang) >= STEM_LANG_MAX)
        return LZS_ERR_NOT_FOUND; /* longer than any Snowball language name */
    st = lzs_xstem_create(lang, &stem);
    if (st != LZS_OK && st != LZS_ERR_NOT_FOUND)
        return st;
    if (t->nstems < STEM_CACHE) {
        slot = &t->stems[t->nstems++];
    } else {
        /* More languages than slots: replace in turn. */
        slot = &t->stems[t->stemnext];
        t->stemnext = (t->stemnext + 1) % STEM_CACHE;
        lzs_xstem_destroy(slot->stem);
    }
    strcpy(slot->lang, lang);
    slot->stem = stem;
    *out = stem;
    return stem ? LZS_OK : LZS_ERR_NOT_FOUND;
}

static lzs_status_t stembuf_reserve(lzs_text_t *t, size_t need)
{
    char *p;
    if (need <= t->stemcap)
        return LZS_OK;
    p = realloc(t->stembuf, need);
    if (!p)
        return LZS_ERR_NOMEM;
    t->stembuf = p;
    t->stemcap = need;
    return LZS_OK;
}

lzs_status_t lzs_text_stem(lzs_text_t *t, const char *lang, const char *norm, const char **out)
{
    lzs_xstem_t *stem;
    size_t len, slen = 0;
    int ascii = 1;
    UErrorCode e = U_ZERO_ERROR;
    int32_t un = 0, fn = 0;
    lzs_status_t st;

    if (out)
        *out = NULL;
    if (!t || !lang || !norm || !out)
        return LZS_ERR_INVALID;
    st = stemmer_for(t, lang, &stem);
    if (st != LZS_OK)
        return st;
    len = strlen(norm);
    st = stembuf_reserve(t, 2 * len + 64);
    for (;;) {
        if (st != LZS_OK)
            return st;
        st = lzs_xstem_apply(stem, norm, len, t->stembuf, t->stemcap, &slen);
        if (st != LZS_ERR_LIMIT)
            break;
        st = stembuf_reserve(t, 2 * t->stemcap);
    }
    if (st != LZS_OK)
        return st;
    for (size_t i = 0; i < slen && ascii; i++)
        ascii = (unsigned char)t->stembuf[i] < 0x80;
    if (!ascii) {
        /* The stemmer worked on accented text (Snowball wants it); the stem is folded so that
         * it matches whether or not the query has the accents. */
        st = ubuf_reserve(&t->build, (int64_t)slen + 1);
        if (st != LZS_OK)
            return st;
        u_strFromUTF8WithSub(t->build.p, t->build.cap, &un, t->stembuf, (int32_t)slen,
                             (UChar32)REPLACEMENT, NULL, &e);
        if (U_FAILURE(e))
            return icu_status(e);
        st = fold_u16(t, t->build.p, un, &fn);
        if (st != LZS_OK)
            return st;
        st = stembuf_reserve(t, 3 * (size_t)fn + 1);
        if (st != LZS_OK)
            return st;
        u_strToUTF8WithSub(t->stembuf, (int32_t)t->stemcap, &un, t->fold.p, fn,
                           (UChar32)REPLACEMENT, NULL, &e);
        if (U_FAILURE(e))
            return icu_status(e);
        slen = (size_t)un;
    }
    t->stembuf[slen] = '\0';
    *out = t->stembuf;
    return LZS_OK;
}
