/* text_stem.c — stemming through Xapian's Snowball stemmers, one cached per language on the
 * handle; stems of accented words are folded like the tokens they are compared with.
 */
#include "text_internal.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>

static lzs_status_t stemmer_for(lzs_text_t *t, const char *lang, lzs_xstem_t **out)
{
    lzs_text_stem_slot_t *slot;
    lzs_xstem_t *stem = NULL;
    lzs_status_t st;

    *out = NULL;
    for (size_t i = 0; i < t->nstems; i++) {
        if (strcmp(t->stems[i].lang, lang) == 0) {
            *out = t->stems[i].stem;
            return *out ? LZS_OK : LZS_ERR_NOT_FOUND;
        }
    }
    if (strlen(lang) >= LZS_TEXT_STEM_LANG_MAX)
        return LZS_ERR_NOT_FOUND; /* longer than any Snowball language name */
    st = lzs_xstem_create(lang, &stem);
    if (st != LZS_OK && st != LZS_ERR_NOT_FOUND)
        return st;
    if (t->nstems < LZS_TEXT_STEM_CACHE) {
        slot = &t->stems[t->nstems++];
    } else {
        /* More languages than slots: replace in turn. */
        slot = &t->stems[t->stemnext];
        t->stemnext = (t->stemnext + 1) % LZS_TEXT_STEM_CACHE;
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
        st = lzs_text_ubuf_reserve(&t->build, (int64_t)slen + 1);
        if (st != LZS_OK)
            return st;
        u_strFromUTF8WithSub(t->build.p, t->build.cap, &un, t->stembuf, (int32_t)slen,
                             (UChar32)LZS_TEXT_REPLACEMENT, NULL, &e);
        if (U_FAILURE(e))
            return lzs_text_icu_status(e);
        st = lzs_text_fold_u16(t, t->build.p, un, &fn);
        if (st != LZS_OK)
            return st;
        st = stembuf_reserve(t, 3 * (size_t)fn + 1);
        if (st != LZS_OK)
            return st;
        u_strToUTF8WithSub(t->stembuf, (int32_t)t->stemcap, &un, t->fold.p, fn,
                           (UChar32)LZS_TEXT_REPLACEMENT, NULL, &e);
        if (U_FAILURE(e))
            return lzs_text_icu_status(e);
        slen = (size_t)un;
    }
    t->stembuf[slen] = '\0';
    *out = t->stembuf;
    return LZS_OK;
}
