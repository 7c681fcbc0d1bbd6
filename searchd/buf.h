/* buf.h — the daemon's name for the project's growable string buffer (include/lzs/buf.h),
 * in which it builds response bodies: the same type and functions, under the lzs_sd_
 * prefix the daemon's files use. Ownership and failure: as include/lzs/buf.h says. */
#ifndef LZS_SEARCHD_BUF_H
#define LZS_SEARCHD_BUF_H

#include "lzs/buf.h"

typedef lzs_buf_t lzs_sd_buf_t;

#define lzs_sd_buf_append lzs_buf_append
#define lzs_sd_buf_puts lzs_buf_puts
#define lzs_sd_buf_printf lzs_buf_printf
#define lzs_sd_buf_free lzs_buf_free

#endif
