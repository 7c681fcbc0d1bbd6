/* text_norm.c — normalization of UTF-16 units on the handle's scratch buffers: NFKC with case
 * folding for the normalized form, accent folding for the folded form.
 */
#include "text_internal.h"

#include <stdlib.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

/* Status of a failed ICU call: its allocation failures are out-of-memory, like ours. */
lzs_status_t lzs_text_icu_status(UErrorCode e)
{
    return e == U_MEMORY_ALLOCATION_ERROR ? LZS_ERR_NOMEM : LZS_ERR_INTERNAL;
}

lzs_status_t lzs_text_ubuf_reserve(lzs_text_ubuf_t *b, int64_t need)
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

static lzs_status_t normalize_into(const UNormalizer2 *nz, const UChar *src, int32_t n,
                                   lzs_text_ubuf_t *dst, int32_t *outn)
{
    lzs_status_t st = lzs_text_ubuf_reserve(dst, (int64_t)n + 16);
    if (st != LZS_OK)
        return st;
    for (;;) {
        UErrorCode e = U_ZERO_ERROR;
        int32_t r = unorm2_normalize(nz, src, n, dst->p, dst->cap, &e);
        if (e == U_BUFFER_OVERFLOW_ERROR) {
            st = lzs_text_ubuf_reserve(dst, (int64_t)r + 1);
            if (st != LZS_OK)
                return st;
            continue;
        }
        if (U_FAILURE(e))
            return lzs_text_icu_status(e);
        *outn = r;
        return LZS_OK;
    }
}

int lzs_text_is_apostrophe(UChar32 c)
{
    return c == 0x27 || c == 0x2019 || c == 0x02BC;
}

/* NFKC with full case folding (NFKC_Casefold, which also drops default-ignorable characters
 * such as soft hyphens and zero-width joiners), typographic apostrophes made ASCII. */
lzs_status_t lzs_text_norm_u16(lzs_text_t *t, const UChar *src, int32_t n, int32_t *outn)
{
    int ascii = 1;
    lzs_status_t st;

    for (int32_t i = 0; i < n && ascii; i++)
        ascii = src[i] < 0x80;
    if (ascii) {
        st = lzs_text_ubuf_reserve(&t->norm, (int64_t)n + 1);
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
        if (lzs_text_is_apostrophe(t->norm.p[i]))
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
lzs_status_t lzs_text_fold_u16(lzs_text_t *t, const UChar *src, int32_t n, int32_t *outn)
{
    int32_t dn, fn = 0;
    lzs_status_t st = normalize_into(t->nfd, src, n, &t->nfdbuf, &dn);
    if (st != LZS_OK)
        return st;
    st = lzs_text_ubuf_reserve(&t->filt, 2 * (int64_t)dn + 1);
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
