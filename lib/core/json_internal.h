/* json_internal.h — the one way the library reads JSON text (stored passages, file records
 * of the index, sidecars), so that a parse under memory pressure fails instead of altering
 * data or crashing.
 *
 * jansson 2.14's parser does not check every allocation it makes: when growing the buffer
 * of the token being read fails (lex_save() ignores strbuffer_append_byte()'s result), the
 * byte is dropped, and json_loadb() may then succeed with a string missing bytes, or
 * overrun its buffers. lzs_json_parse() keeps that allocation from failing (lib/core/json.c
 * says how) and fails the parse whenever any of jansson's allocations failed during it.
 *
 * For this the module installs jansson's allocation functions (json_set_alloc_funcs()):
 * malloc() and free() outside a parse. jansson wants them set once, at program start-up,
 * before any thread uses it: they are installed from a constructor when the module is
 * linked into a program (and, once, by lzs_json_parse() should that not have run).
 */
#ifndef LZS_JSON_INTERNAL_H
#define LZS_JSON_INTERNAL_H

#include <stddef.h>

#include <jansson.h>

#include "lzs/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parses the len bytes at data (need not be NUL-terminated) as jansson does, with the
 * given jansson flags (JSON_REJECT_DUPLICATES, ...). Returns
 *   LZS_OK         *out is the value: caller frees with json_decref()
 *   LZS_ERR_NOMEM  an allocation failed during the parse, whatever jansson made of it
 *                  (err->text is "out of memory")
 *   LZS_ERR_PARSE  the text is not JSON (err tells where and why)
 * On failure *out is NULL. err (may be NULL) is filled as jansson's loading functions fill
 * it: line, column, position and text say where and what. */
lzs_status_t lzs_json_parse(const char *data, size_t len, size_t flags, json_error_t *err,
                            json_t **out);

#ifdef __cplusplus
}
#endif

#endif
