/* reply.h — what every answer of lzs-searchd carries, whoever writes it: the security
 * headers and the JSON error body. The HTTP library's responses (respond.c) and the answers
 * the screening step writes itself to a request head it refuses (screen.c) both take them
 * from here, so that the two can never differ.
 */
#ifndef LZS_SEARCHD_REPLY_H
#define LZS_SEARCHD_REPLY_H

#include <stddef.h>

#include <jansson.h>

#define LZS_SD_JSON_TYPE "application/json; charset=utf-8"

typedef struct {
    const char *name;
    const char *value;
} lzs_sd_header_t;

/* Sent with every answer besides its Content-Type, ended by {NULL, NULL}. The page loads
 * only its own scripts and styles; nothing may frame it; document text never becomes
 * markup; and every answer closes its connection (docs/robustness.md: only the first
 * request head of a connection is screened before the HTTP library reads it). */
extern const lzs_sd_header_t lzs_sd_reply_headers[];

/* Compact JSON text of v, NUL-terminated, its length in *len: caller frees with free();
 * NULL when out of memory or v is NULL. Not json_dumps(): jansson 2.14 can hand back
 * truncated JSON when an allocation fails while it writes a key, and a client must never
 * get malformed JSON. */
char *lzs_sd_json_dump(const json_t *v, size_t *len);

/* {"error":{"code","message","param","position"}} with param (NULL or "": null) and
 * position (< 0: null). message and param may quote request bytes: invalid UTF-8 in them
 * is replaced. Caller frees with free(); NULL when out of memory. */
char *lzs_sd_reply_error(const char *code, const char *param, int position, const char *message,
                         size_t *len);
/* The same with "cost" (a query refused by the cost limit: its estimate and the limits)
 * added to the error when cost is not NULL; cost is stolen (its reference is the body's or
 * dropped). */
char *lzs_sd_reply_error_cost(const char *code, const char *param, int position,
                              const char *message, json_t *cost, size_t *len);

#endif
