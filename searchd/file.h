/* file.h — GET /api/file/{id}/{n}: the n-th file of a document (1-based, as in the
 * document's "files"), read from where the indexer found it (docs/api.md).
 *
 * No path ever comes from the client: only the document id and the file's number, which
 * the search library turns into the path the index recorded. Only a regular file is sent,
 * opened without blocking on whatever the path has become since; a file that is gone is
 * 404. Its Content-Type comes from its format; a browser may show PDF, markdown and text
 * inline, every other format (an HTML page of the corpus above all: its scripts would run
 * as the search page's) is only downloaded. Handler of the route table (routes.h), on the
 * pool thread serving the request.
 */
#ifndef LZS_SEARCHD_FILE_H
#define LZS_SEARCHD_FILE_H

#include <microhttpd.h>

#include "server_internal.h"

/* rq->rest is "{id}/{n}" as received: 400 when it is not, 404 when the index has no such
 * file or the file is gone, 503 when the index cannot be read. */
enum MHD_Result lzs_sd_route_file(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                  lzs_sd_request_t *rq);

#endif
