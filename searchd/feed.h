/* feed.h — GET /api/feed: the newest documents matching a search as an Atom 1.0 feed
 * (RFC 4287), for feed readers (docs/api.md). Its links are absolute, built from
 * lzs-searchd --base-url; without it the route answers 501 not_configured rather than
 * guess the server's address from the request's Host header, which a client chooses. */
#ifndef LZS_SEARCHD_FEED_H
#define LZS_SEARCHD_FEED_H

#include <stddef.h>

#include <jansson.h>
#include <microhttpd.h>

#include "lzs/search.h"
#include "server_internal.h"

/* The feed route of the route table (routes.h). */
enum MHD_Result lzs_sd_route_feed(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                  lzs_sd_request_t *rq);

/* The Atom document of a search answer made with group=document, sort=newest (res,
 * borrowed): base is --base-url, query the request's query string as received (for the
 * feed's own address; may be ""), req the request (its q and filters title the feed; may
 * be NULL), updated[i] the time of hit i (RFC 3339). *out: caller frees with free(); *len
 * its length. Text that XML 1.0 cannot carry (control characters) is dropped. */
lzs_status_t lzs_sd_feed_build(const char *base, const char *query, const lzs_search_req_t *req,
                               const json_t *res, const char *const *updated, char **out,
                               size_t *len);

/* 1 when url is an absolute http or https URL with a host and nothing XML or a link
 * could misread (no space, control character, quote, '<', '>', '#' or '?'). */
int lzs_sd_feed_base_ok(const char *url);

#endif
