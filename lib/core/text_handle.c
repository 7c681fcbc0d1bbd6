/* text_handle.c — the text pipeline handle: opening ICU's normalizers and word break
 * iterator, cloning a handle for another thread, and freeing its buffers.
 */
#include "text_internal.h"
#include "lzs/file.h"

#include <stdlib.h>

static lzs_status_t get_normalizers(lzs_text_t *t, char **errmsg)
{
    UErrorCode e = U_ZERO_ERROR;
    t->nfkc_cf = unorm2_getNFKCCasefoldInstance(&e);
    if (U_SUCCESS(e))
        t->nfd = unorm2_getNFDInstance(&e);
    if (U_SUCCESS(e))
        t->nfc = unorm2_getNFCInstance(&e);
    if (U_FAILURE(e)) {
        lzs_set_errmsg(errmsg, "ICU normalization data unavailable: %s", u_errorName(e));
        return lzs_text_icu_status(e);
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
        lzs_set_errmsg(errmsg, "cannot open the ICU word break iterator: %s", u_errorName(e));
        free(t);
        return lzs_text_icu_status(e);
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
