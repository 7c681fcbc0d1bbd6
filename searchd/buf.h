/* buf.h — a growable byte buffer for building response bodies. */
#ifndef LZS_SEARCHD_BUF_H
#define LZS_SEARCHD_BUF_H

#include <stddef.h>

/* Zero-initialize to start. After a failed allocation every append is a no-op and
 * failed is set, so callers check once at the end. */
typedef struct {
    char *data; /* owned: free with lzs_sd_buf_free(), or take it and free() it */
    size_t len, cap;
    int failed;
} lzs_sd_buf_t;

void lzs_sd_buf_append(lzs_sd_buf_t *b, const char *s, size_t n);
void lzs_sd_buf_puts(lzs_sd_buf_t *b, const char *s);
__attribute__((format(printf, 2, 3))) void lzs_sd_buf_printf(lzs_sd_buf_t *b, const char *fmt, ...);
void lzs_sd_buf_free(lzs_sd_buf_t *b);

#endif
