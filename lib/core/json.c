/* json.c — parsing JSON text so that an allocation failure inside jansson is never a
 * silent success, nor a crash (see json_internal.h).
 *
 * In jansson 2.14 a failed allocation is handled everywhere in the parser but in one
 * place: lex_save(), which appends each byte of a token to a growing buffer and ignores
 * the failure of the growth. The byte is lost; when it is the closing quote of a string
 * or the letter after a backslash, decoding the token reads and writes past the end of
 * its buffers (heap corruption, or assert(0) in lex_scan_string()). So during a parse the
 * allocation functions never let a request fail: a request malloc() cannot serve is
 * served from a reserve allocated beforehand, and the failure recorded. The largest
 * request the lexer can make is a doubling of its buffer, at most twice the input, which
 * is the size of the reserve. A recorded failure also stops the input: jansson reads it
 * one byte at a time through json_load_callback(), so after a failure it finishes the
 * character in hand, meets the end of input and gives up; no token starts that could
 * need the reserve again. Whatever jansson returns then is discarded. */
#include "json_internal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the allocation functions know of the parse under way on this thread, if any. */
typedef struct {
    int failed;      /* an allocation failed since the parse began */
    char *reserve;   /* NULL when no parse is under way */
    size_t cap, off; /* size of the reserve, bytes of it handed out */
} parse_mem_t;

static _Thread_local parse_mem_t mem;

static pthread_once_t install_once = PTHREAD_ONCE_INIT;

#define RESERVE_ALIGN _Alignof(max_align_t)

static int in_reserve(const void *p)
{
    uintptr_t a = (uintptr_t)p, lo = (uintptr_t)mem.reserve;
    return mem.reserve != NULL && a >= lo && a < lo + mem.cap;
}

static void *json_malloc(size_t n)
{
    void *p = malloc(n);
    if (p != NULL || n == 0)
        return p;
    mem.failed = 1;
    if (mem.reserve == NULL)
        return NULL;
    size_t off = (mem.off + RESERVE_ALIGN - 1) & ~(size_t)(RESERVE_ALIGN - 1);
    if (off > mem.cap || n > mem.cap - off)
        return NULL;
    mem.off = off + n;
    return mem.reserve + off;
}

static void json_free(void *p)
{
    /* Memory of the reserve goes back with the reserve. */
    if (!in_reserve(p))
        free(p);
}

static void install(void)
{
    json_set_alloc_funcs(json_malloc, json_free);
}

/* jansson's allocation functions must not change while another thread uses jansson:
 * before main() no thread of the program exists yet. */
__attribute__((constructor)) static void install_at_startup(void)
{
    pthread_once(&install_once, install);
}

typedef struct {
    const char *data;
    size_t len, pos;
} input_t;

/* One byte per call, so that nothing beyond the character in hand is read after a
 * failure; (size_t)-1 is jansson's "stop". */
static size_t feed(void *buf, size_t cap, void *ud)
{
    input_t *in = ud;
    if (mem.failed)
        return (size_t)-1;
    if (in->pos >= in->len || cap == 0)
        return 0;
    *(char *)buf = in->data[in->pos++];
    return 1;
}

lzs_status_t lzs_json_parse(const char *data, size_t len, size_t flags, json_error_t *err,
                            json_t **out)
{
    *out = NULL;
    pthread_once(&install_once, install);
    if (len > (SIZE_MAX - 2 * RESERVE_ALIGN) / 2)
        return LZS_ERR_NOMEM;
    size_t cap = 2 * len + 2 * RESERVE_ALIGN;
    char *reserve = malloc(cap);
    json_t *v = NULL;
    if (reserve != NULL) {
        mem = (parse_mem_t){.reserve = reserve, .cap = cap};
        input_t in = {.data = data, .len = len};
        v = json_load_callback(feed, &in, flags, err);
        if (mem.failed) {
            /* Freed while the reserve is known, some of it may live there. */
            json_decref(v);
            v = NULL;
        }
    }
    int failed = reserve == NULL || mem.failed;
    mem = (parse_mem_t){0};
    free(reserve);
    if (failed) {
        if (err) {
            err->line = -1;
            err->column = -1;
            err->position = 0;
            snprintf(err->text, sizeof err->text, "%s", lzs_status_str(LZS_ERR_NOMEM));
            /* Where json_error_code() looks for the code. */
            err->text[JSON_ERROR_TEXT_LENGTH - 1] = (char)json_error_out_of_memory;
        }
        return LZS_ERR_NOMEM;
    }
    if (v == NULL)
        return LZS_ERR_PARSE;
    *out = v;
    return LZS_OK;
}
