/* respond.c — answers through the HTTP library: headers, JSON, errors (see respond.h). */
#include "respond.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "gzip.h"
#include "httpval.h"
#include "reply.h"
#include "worker.h"

/* What a client is told when the index cannot be opened or read: the path and the
 * library's own words go to the log only. */
#define INDEX_UNAVAILABLE "the index is not available (the server's log says why): try again later"
/* Bytes of JSON from which an answer is sent compressed to a client that accepts gzip. */
#define JSON_GZIP_MIN 1024
/* Seconds a client refused with 503 busy is asked to wait. */
#define BUSY_RETRY_AFTER "10"

void lzs_sd_respond_headers(struct MHD_Response *r, const char *type)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    for (const lzs_sd_header_t *h = lzs_sd_reply_headers; h->name; h++)
        MHD_add_response_header(r, h->name, h->value);
}

enum MHD_Result lzs_sd_respond_queue(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                     unsigned status, struct MHD_Response *r)
{
    if (!r)
        return MHD_NO;
    rq->status = status;
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (rq->retry_after)
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, rq->retry_after);
    enum MHD_Result res = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return res;
}

enum MHD_Result lzs_sd_respond_owned(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                     unsigned status, const char *type, char *body, size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(len, body, free);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    lzs_sd_respond_headers(r, type);
    return lzs_sd_respond_queue(c, rq, status, r);
}

enum MHD_Result lzs_sd_respond_json(struct MHD_Connection *c, lzs_sd_request_t *rq, unsigned status,
                                    const json_t *v)
{
    size_t len = 0;
    char *s = lzs_sd_json_dump(v, &len);
    if (!s)
        return MHD_NO;
    const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
    char *gz = NULL;
    size_t gzlen = 0;
    /* A page of hits is about 30 KB of JSON and a sixth of that compressed: on a slow
     * connection most of its time is the transfer. A small answer is not worth it. */
    if (len >= JSON_GZIP_MIN && lzs_sd_httpval_accepts(ae, "gzip") &&
        lzs_sd_gzip(s, len, &gz, &gzlen) == 0) {
        free(s);
        s = gz;
        len = gzlen;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(len, s, free);
    if (!r) {
        free(s);
        return MHD_NO;
    }
    lzs_sd_respond_headers(r, LZS_SD_JSON_TYPE);
    if (MHD_add_response_header(r, "Vary", "Accept-Encoding") != MHD_YES ||
        (gz && MHD_add_response_header(r, "Content-Encoding", "gzip") != MHD_YES)) {
        MHD_destroy_response(r);
        return MHD_NO;
    }
    return lzs_sd_respond_queue(c, rq, status, r);
}

enum MHD_Result lzs_sd_respond_error_at(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                        unsigned status, const char *code, const char *param,
                                        int position, const char *message)
{
    size_t len = 0;
    char *body = lzs_sd_reply_error(code, param, position, message, &len);
    if (!body)
        return MHD_NO;
    return lzs_sd_respond_owned(c, rq, status, LZS_SD_JSON_TYPE, body, len);
}

enum MHD_Result lzs_sd_respond_error(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                     unsigned status, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lzs_sd_respond_error_at(c, rq, status, code, NULL, -1, msg);
}

enum MHD_Result lzs_sd_respond_busy(struct MHD_Connection *c, lzs_sd_request_t *rq, const char *why)
{
    rq->retry_after = BUSY_RETRY_AFTER;
    return lzs_sd_respond_error(c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "busy",
                                "%s: try again in %s seconds", why, BUSY_RETRY_AFTER);
}

enum MHD_Result lzs_sd_respond_unavailable(struct MHD_Connection *c, lzs_sd_request_t *rq)
{
    return lzs_sd_respond_error(c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "index_unavailable", "%s",
                                INDEX_UNAVAILABLE);
}

/* The estimate of a query the cost limit refused, and the limits (null: none); NULL when
 * out of memory. */
static json_t *cost_json(const lzs_search_cost_t *cost)
{
    return json_pack(
        "{s:I, s:I, s:o, s:o}", "terms", (json_int_t)cost->terms, "postings",
        (json_int_t)cost->postings, "max_expansion",
        cost->max_expansion ? json_integer((json_int_t)cost->max_expansion) : json_null(),
        "max_postings",
        cost->max_postings ? json_integer((json_int_t)cost->max_postings) : json_null());
}

enum MHD_Result lzs_sd_respond_failure(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                       lzs_sd_request_t *rq, lzs_status_t st,
                                       const lzs_search_error_t *err)
{
    unsigned status;
    const char *code;
    switch (st) {
    case LZS_ERR_NOT_FOUND:
        status = MHD_HTTP_NOT_FOUND;
        code = "not_found";
        break;
    case LZS_ERR_INVALID:
    case LZS_ERR_PARSE:
    case LZS_ERR_UTF8:
    case LZS_ERR_LIMIT:
        status = MHD_HTTP_BAD_REQUEST;
        code = "bad_parameter";
        break;
    case LZS_ERR_NOMEM:
    case LZS_ERR_INTERNAL:
    case LZS_OK:
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        code = "internal";
        break;
    default:
        /* The index went away or is damaged: start afresh on the next request. */
        lzs_sd_worker_reset(srv);
        fprintf(stderr, "lzs-searchd: the index at %s cannot be read (%s): %s\n",
                srv->cfg.index_dir, lzs_status_str(st),
                err->message[0] ? err->message : "no detail");
        return lzs_sd_respond_unavailable(c, rq);
    }
    if (status != MHD_HTTP_INTERNAL_SERVER_ERROR && err->code[0])
        code = err->code;
    if (st != LZS_ERR_LIMIT || !err->cost.known)
        return lzs_sd_respond_error_at(c, rq, status, code, err->param, err->position,
                                       err->message[0] ? err->message : lzs_status_str(st));
    size_t len = 0;
    char *body = lzs_sd_reply_error_cost(code, err->param, err->position, err->message,
                                         cost_json(&err->cost), &len);
    if (!body)
        return MHD_NO;
    return lzs_sd_respond_owned(c, rq, status, LZS_SD_JSON_TYPE, body, len);
}
