/* static.h — answering a request for a file of the page (webfiles.h): conditional requests
 * and compression.
 *
 * Every answer carries the file's validators, ETag and Last-Modified; with the
 * Cache-Control: no-cache of every answer (reply.h) a browser asks again each time and is
 * answered 304 Not Modified, without a body, when If-None-Match holds the file's tag
 * (or "*"), or, without If-None-Match, when If-Modified-Since is not before the file's
 * modification time (RFC 9110, 13.1). The gzip compression built beside the file is sent
 * (Content-Encoding: gzip, its own ETag) when Accept-Encoding allows gzip; a file that has
 * one varies with Accept-Encoding and says so (Vary). The favicon may be kept a day
 * (Cache-Control: max-age=86400): a page uses it twice.
 */
#ifndef LZS_SEARCHD_STATIC_H
#define LZS_SEARCHD_STATIC_H

#include <microhttpd.h>

#include "server_internal.h"
#include "webfiles.h"

/* Answers f (borrowed) to the request rq on c: 200 with the file, or 304. */
enum MHD_Result lzs_sd_static_send(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                   const lzs_sd_webfile_t *f);

#endif
