/* routes.h — where a request goes: the route table of lzs-searchd and its dispatch.
 *
 * A route is one row of the table in routes.c: its path (exact, or a prefix when it ends
 * with '/': the rest of the path is then the handler's, rq->rest), the name it is counted
 * under in /metrics, the parameters it takes (params.h: any other is 400), whether it is
 * shed under load (shed.h: the routes that search), and its handler. Adding a route is one
 * row and one handler of the type below, declared in the header of the file that answers
 * it (api.h, file.h, export.h, health.h, meta.h). A path no row takes is a page of --web
 * (webfiles.h), "/" the page index.html; anything else under /api/ is 404.
 *
 * Routing works on the request target as received: nothing is unescaped before the path
 * is matched, so an encoded "..", "/" or NUL can only ever be part of a name that is then
 * not found. Called on the pool thread serving the connection.
 */
#ifndef LZS_SEARCHD_ROUTES_H
#define LZS_SEARCHD_ROUTES_H

#include <stddef.h>

#include <microhttpd.h>

#include "server_internal.h"

/* Answers rq on c (respond.h); rq->params and rq->rest are set. Returns what the access
 * handler returns to the HTTP library. */
typedef enum MHD_Result (*lzs_sd_handler_fn)(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                             lzs_sd_request_t *rq);

/* Answers rq: its route's handler, once its parameters are checked and it is not shed;
 * else the page it names, or 404. Sets rq->route. */
enum MHD_Result lzs_sd_dispatch(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                lzs_sd_request_t *rq);

/* 1 when the request target (n bytes as received; the path up to '?' is what counts) is
 * for a route whose refusals are HTML pages (the page, "/"), 0 for a JSON one. */
int lzs_sd_route_html(const char *target, size_t n);

/* Decodes the %XX escapes of one path segment (s, n bytes, as received) into out (cap
 * bytes, NUL-terminated). Returns 0, or -1 on a bad or NUL escape, an empty segment, a
 * '/' or invalid UTF-8 in the result, or a result that does not fit. */
int lzs_sd_route_segment(const char *s, size_t n, char *out, size_t cap);

#endif
