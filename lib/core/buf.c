/* buf.c — the growable string buffer (include/lzs/buf.h). */
#include "lzs/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first allocation: large enough for a short line, so most summaries and plain texts
 * take one allocation; longer bodies double from here. */
#define FIRST_CAP 128

/* Makes room for n more bytes and the terminating NUL: 0, or -1 with b->failed set. */
static int reserve(lzs_buf_t *b, size_t n)
{
    if (b->failed)
        return -1;
    if (b->cap - b->len > n)
        return 0;
    size_t cap = b->cap ? b->cap : FIRST_CAP;
    while (cap - b->len <= n) {
        if (cap > SIZE_MAX / 2) {
            b->failed = 1;
            return -1;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (p == NULL) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void lzs_buf_append(lzs_buf_t *b, const char *s, size_t n)
{
    if (reserve(b, n) != 0)
        return;
    if (n > 0)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void lzs_buf_puts(lzs_buf_t *b, const char *s)
{
    lzs_buf_append(b, s, strlen(s));
}

void lzs_buf_printf(lzs_buf_t *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if (reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *lzs_buf_take(lzs_buf_t *b, size_t *len)
{
    if (len != NULL)
        *len = 0;
    lzs_buf_append(b, "", 0); /* "" for a buffer nothing was appended to */
    if (b->failed) {
        lzs_buf_free(b);
        return NULL;
    }
    char *s = b->data;
    if (len != NULL)
        *len = b->len;
    memset(b, 0, sizeof *b);
    return s;
}

void lzs_buf_free(lzs_buf_t *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}
