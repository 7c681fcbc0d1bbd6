/* export.h — GET /api/export: every matching passage (up to LZS_SEARCH_EXPORT_CAP), as CSV
 * or JSON (rows.h), streamed (docs/api.md).
 *
 * The pool thread checks the request and counts the matches on its own searcher, so that
 * errors and the count headers (X-Total-Count, X-Export-Capped) come before any byte of
 * the body. Then a detached producer thread runs the export on a searcher of its own
 * (Xapian handles are not thread-safe) and writes the rows into a pipe that the HTTP
 * library reads from as the client takes them. Writes into a full pipe block, so a slow
 * client slows its producer instead of making the daemon hold the whole export in memory.
 * The library reads the pipe with a blocking read() on the pool thread when the socket can
 * take more, so that thread waits while its producer makes the next rows: producers write
 * in chunks of about 16 KiB, and cfg.max_exports bounds how many pool threads can wait so
 * (one more export is 503 busy). An error once the status is sent cuts the body short and
 * is logged. HEAD gets the headers of GET and no producer.
 *
 * Ownership: a producer owns its job (deep copies of the request's strings, which the
 * library frees when the request ends) and frees it; it holds one of srv's producer
 * places (srv->exports) until it ends, and lzs_sd_server_stop() waits for every place to
 * be free before freeing srv. A producer whose client has gone away stops at its next
 * write (EPIPE; SIGPIPE is blocked on its thread).
 */
#ifndef LZS_SEARCHD_EXPORT_H
#define LZS_SEARCHD_EXPORT_H

#include <microhttpd.h>

#include "server_internal.h"

/* Handler of the route table (routes.h), on the pool thread serving the request. */
enum MHD_Result lzs_sd_route_export(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                    lzs_sd_request_t *rq);

#endif
