/* text_tokenize.c — the ICU text pipeline: bytes in, normalized tokens with byte offsets out.
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
#include "text_internal.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

/* Per-unit classes from the word break iterator. */
enum { CLS_WORD = 1, CLS_IDEO = 2, CLS_START = 4 };

/* Big inputs leave big buffers behind; give them back rather than pin them per thread. */
#define KEEP_UNITS (1u << 20)

void lzs_text_release_big_buffers(lzs_text_t *t)
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
lzs_status_t lzs_text_decode_input(lzs_text_t *t, const char *text, size_t len)
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
        k = lzs_text_utf8_decode(s + i, len - i, &cp, &bad);
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
        return lzs_text_icu_status(e);
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
    if (n == 0 || i + 1 >= e || !lzs_text_is_apostrophe(t->u[i]))
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

    if (i < 1 || i + 2 > t->n || !lzs_text_is_apostrophe(t->u[i]) || (t->u[i + 1] | 0x20) != 's')
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
    return lzs_text_add_token(t, tk, t->u + s, e - s, t->offs[s], t->offs[e], pos, flags, added);
}

/* Emits the compound [s, end) whose parts are in t->parts: the whole code (dashes made
 * ASCII) or the joined word at the first part's position, then the parts. */
static lzs_status_t add_compound(lzs_text_t *t, lzs_tokens_t *tk, int32_t s, int32_t end, int code,
                                 uint32_t *pos)
{
    int32_t bn = 0;
    int added;
    lzs_status_t st = lzs_text_ubuf_reserve(&t->build, (int64_t)(end - s) + 1);

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
    st = lzs_text_add_token(t, tk, t->build.p, bn, t->offs[s], t->offs[end], *pos + 1,
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
        st = lzs_text_decode_input(t, text, len);
        if (st == LZS_OK)
            st = classify(t);
        if (st == LZS_OK)
            st = build_tokens(t, tk);
        lzs_text_release_big_buffers(t);
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
