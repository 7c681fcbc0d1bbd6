/* buf.h — the one growable string buffer of lanzasearch: text built a piece at a time (a
 * response body, a summary line, the plain text of inline markup, a JSON dump).
 *
 * A buffer starts zeroed (lzs_buf_t b = {0};). Appending grows it by doubling. The first
 * failed allocation sets `failed` and makes every later append a no-op, so a caller
 * appends freely and checks once, at the end (as with a stdio stream's error flag): what
 * was appended before the failure stays in `data` until lzs_buf_free() or lzs_buf_take().
 */
#ifndef LZS_BUF_H
#define LZS_BUF_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    /* Owned by the buffer: NUL-terminated once anything (even "") was appended, NULL
     * before. Free with lzs_buf_free(), or take it with lzs_buf_take(). */
    char *data;
    size_t len; /* bytes in data, not counting the terminating NUL */
    size_t cap; /* bytes allocated at data */
    int failed; /* 1 once an allocation failed (or a size overflowed): data is incomplete */
} lzs_buf_t;

/* Appends the n bytes at s (s is copied; it may be NULL when n is 0) and a terminating
 * NUL. Out of memory: sets b->failed, b->data keeps what it had. A no-op once failed. */
void lzs_buf_append(lzs_buf_t *b, const char *s, size_t n);

/* lzs_buf_append(b, s, strlen(s)): the NUL-terminated s is copied. */
void lzs_buf_puts(lzs_buf_t *b, const char *s);

/* Appends the formatted text (as printf), copied. Out of memory or a format error: sets
 * b->failed. A no-op once failed. */
__attribute__((format(printf, 2, 3))) void lzs_buf_printf(lzs_buf_t *b, const char *fmt, ...);

/* The buffer's text, handed over (caller frees with free()), and the buffer reset to
 * empty: "" (allocated) when nothing was appended. NULL when the buffer failed or that ""
 * cannot be allocated; the buffer's memory is then freed. len, when not NULL, receives the
 * text's length (0 on failure). */
char *lzs_buf_take(lzs_buf_t *b, size_t *len);

/* Frees the buffer's memory and resets it to empty (and not failed). b may hold nothing. */
void lzs_buf_free(lzs_buf_t *b);

#ifdef __cplusplus
}
#endif

#endif
