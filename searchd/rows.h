/* rows.h — the body of an export (GET /api/export) in each of its formats, a row each in
 * the table of rows.c: a JSON array of hit objects, or CSV (RFC 4180) with a header line
 * and one line per passage, lists joined with ";" (a passage's section path with " > ").
 *
 * Writes into a buffer (buf.h): after a failed allocation the buffer is marked failed and
 * every later write is a no-op, so callers check once. Any thread; no state of its own.
 */
#ifndef LZS_SEARCHD_ROWS_H
#define LZS_SEARCHD_ROWS_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "params.h"

/* The Content-Type and the Content-Disposition of an export in format. Static strings. */
const char *lzs_sd_rows_type(lzs_sd_format_t format);
const char *lzs_sd_rows_disposition(lzs_sd_format_t format);

/* What the body starts with, before any row. */
void lzs_sd_rows_begin(lzs_sd_buf_t *b, lzs_sd_format_t format);
/* Appends hit (borrowed: as lzs_search_export gives it) as the row after `before` rows. */
void lzs_sd_rows_add(lzs_sd_buf_t *b, lzs_sd_format_t format, const json_t *hit, size_t before);
/* What ends a whole body of n rows (a body cut short just stops after its last row). */
void lzs_sd_rows_end(lzs_sd_buf_t *b, lzs_sd_format_t format, size_t n);

#endif
