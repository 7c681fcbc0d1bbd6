/* respond.h — how lzs-searchd answers a request through the HTTP library: a response with
 * its Content-Type and the security headers every answer carries (reply.h), queued on its
 * connection with the status recorded on the request (for the log and /metrics); JSON
 * bodies; JSON errors; and which HTTP status each failure of the search library gets.
 *
 * Each function queues at most one response on c and returns what the access handler then
 * returns to the library: MHD_NO when no response could be made (out of memory), and the
 * library closes the connection without an answer. Called on the pool thread serving c.
 */
#ifndef LZS_SEARCHD_RESPOND_H
#define LZS_SEARCHD_RESPOND_H

#include <stddef.h>

#include <jansson.h>
#include <microhttpd.h>

#include "lzs/search.h"
#include "server_internal.h"

/* Content-Type type (a static string) and the headers of reply.h, on r. */
void lzs_sd_respond_headers(struct MHD_Response *r, const char *type);

/* Queues r (ownership taken; NULL: MHD_NO) with status: Allow on a 405, Retry-After when
 * rq->retry_after is set. */
enum MHD_Result lzs_sd_respond_queue(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                     unsigned status, struct MHD_Response *r);

/* Answers body (len bytes, malloc'ed: ownership taken, freed even on failure) as type. */
enum MHD_Result lzs_sd_respond_owned(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                     unsigned status, const char *type, char *body, size_t len);

/* Answers v (borrowed) as compact JSON. */
enum MHD_Result lzs_sd_respond_json(struct MHD_Connection *c, lzs_sd_request_t *rq, unsigned status,
                                    const json_t *v);

/* {"error":{"code","message","param","position"}} (reply.h): param NULL or "" and
 * position < 0 are null. */
enum MHD_Result lzs_sd_respond_error_at(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                        unsigned status, const char *code, const char *param,
                                        int position, const char *message);
/* The same with param and position null and the message made from fmt (at most 511
 * bytes: a longer one is cut). */
__attribute__((format(printf, 5, 6))) enum MHD_Result
lzs_sd_respond_error(struct MHD_Connection *c, lzs_sd_request_t *rq, unsigned status,
                     const char *code, const char *fmt, ...);

/* 503 busy with Retry-After: the client may well succeed a little later. why says what
 * is short (borrowed for the call). */
enum MHD_Result lzs_sd_respond_busy(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                    const char *why);

/* 503 index_unavailable: the index cannot be opened or read. The client is told to try
 * again later; the path and the library's own words go to the log only (the caller's
 * job, as it knows them). */
enum MHD_Result lzs_sd_respond_unavailable(struct MHD_Connection *c, lzs_sd_request_t *rq);

/* Answers a failed call of the search library with the error it filled in err (borrowed):
 * not found 404; a bad request 400 with the library's code, parameter and position; out
 * of memory or an internal error 500 "internal"; anything else means the index went away
 * or is damaged (LZS_ERR_MODIFIED too: the library has already tried again,
 * LZS_SEARCH_TRIES times): logged, the calling worker's searcher dropped so that the next
 * request opens the index afresh (worker.h), and 503 index_unavailable. */
enum MHD_Result lzs_sd_respond_failure(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                       lzs_sd_request_t *rq, lzs_status_t st,
                                       const lzs_search_error_t *err);

#endif
