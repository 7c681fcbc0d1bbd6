/* meta.h — GET /api/meta: the domain data the daemon serves and the limits it enforces, in
 * one JSON answer, so that the page and any client keep no copy of either.
 *
 * The answer is built from the data files the daemon loaded (lzs_extract_open(): the
 * Parties with every name of the gazetteer, the articles with their English and French
 * titles, the instruments, the opinions and declarations, the languages), the enums of
 * the library with the labels search answers give their values (document types, levels),
 * the collections searched (the values of the "collection" facet), and the limits of
 * params.h, bounds.h, lzs/search.h and the options the daemon was started with. It
 * changes only with those: it carries an ETag (a hash of its text) and is answered 304 to
 * an If-None-Match that holds it, through static.h like the page's files. Not shed under
 * load: it reads no index but for the collections' names. Handler of the route table
 * (routes.h), on the pool thread serving the request.
 */
#ifndef LZS_SEARCHD_META_H
#define LZS_SEARCHD_META_H

#include <microhttpd.h>

#include "server_internal.h"

/* 200 {"api":1,"parties","articles","types","levels","languages","instruments","opinions",
 * "collections","limits"} (docs/api.md), or 304, or 503 index_unavailable when the index
 * (which names the collections) cannot be opened. */
enum MHD_Result lzs_sd_route_meta(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                  lzs_sd_request_t *rq);

#endif
