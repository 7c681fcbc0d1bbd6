/* static.c — answers with validators and compression (see static.h). */
#include "static.h"

#include <stdlib.h>
#include <string.h>

#include "gzip.h"
#include "httpval.h"
#include "respond.h"

/* Files a browser may keep without asking again, with how long: those whose staleness
 * is harmless and that a page uses more than once. The favicon is the header's image and
 * the tab's icon, fetched apart by Chromium: with no-cache each use is a request. */
static const struct {
    const char *name;
    const char *cache_control;
} k_fresh[] = {
    {"favicon.svg", "max-age=86400"},
};

/* The Cache-Control of f: no-cache (reply.h) unless k_fresh names it. */
static const char *cache_control(const lzs_sd_webfile_t *f)
{
    for (size_t i = 0; i < sizeof k_fresh / sizeof k_fresh[0]; i++)
        if (strcmp(k_fresh[i].name, f->name) == 0)
            return k_fresh[i].cache_control;
    return NULL;
}

int lzs_sd_static_wants_gzip(struct MHD_Connection *c)
{
    const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
    return lzs_sd_httpval_accepts(ae, "gzip");
}

int lzs_sd_static_unchanged(struct MHD_Connection *c, const lzs_sd_static_meta_t *m, int gz)
{
    const char *etag = gz ? m->etag_gz : m->etag;
    if (!etag)
        return 0;
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    if (inm)
        return lzs_sd_httpval_etag_matches(inm, etag);
    const char *ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Modified-Since");
    time_t t;
    return m->mtime && ims && lzs_sd_httpval_parse_date(ims, &t) == 0 && m->mtime <= t;
}

/* Adds m's headers to r (validators only when with_tags), Vary when varies, and
 * Content-Encoding when gz, then queues it with status. */
static enum MHD_Result queue(struct MHD_Connection *c, lzs_sd_request_t *rq, unsigned status,
                             struct MHD_Response *r, const lzs_sd_static_meta_t *m, int with_tags,
                             int varies, int gz)
{
    if (!r)
        return MHD_NO;
    char date[40];
    const char *etag = gz ? m->etag_gz : m->etag;
    lzs_sd_respond_headers(r, m->type);
    int ok = (!m->cache_control ||
              (MHD_del_response_header(r, "Cache-Control", "no-cache") == MHD_YES &&
               MHD_add_response_header(r, "Cache-Control", m->cache_control) == MHD_YES)) &&
             (!with_tags || !etag || MHD_add_response_header(r, "ETag", etag) == MHD_YES) &&
             (!varies || MHD_add_response_header(r, "Vary", "Accept-Encoding") == MHD_YES) &&
             (!gz || MHD_add_response_header(r, "Content-Encoding", "gzip") == MHD_YES);
    if (ok && with_tags && m->mtime) {
        lzs_sd_httpval_format_date(m->mtime, date, sizeof date);
        ok = MHD_add_response_header(r, "Last-Modified", date) == MHD_YES;
    }
    if (!ok) {
        MHD_destroy_response(r);
        return MHD_NO;
    }
    return lzs_sd_respond_queue(c, rq, status, r);
}

enum MHD_Result lzs_sd_static_send_unchanged(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                             const lzs_sd_static_meta_t *m, int gz)
{
    /* A 304 goes out with "Content-Length: 0": libmicrohttpd 0.9.75 adds it to a response
     * without a body (1.0's MHD_RF_HEAD_ONLY_RESPONSE would leave it out), and one of
     * unknown size would be sent with a chunked body, which a 304 must not have. */
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    return queue(c, rq, MHD_HTTP_NOT_MODIFIED, r, m, 1, m->etag_gz != NULL, gz);
}

enum MHD_Result lzs_sd_static_send(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                   const lzs_sd_webfile_t *f)
{
    int gz = f->gz && lzs_sd_static_wants_gzip(c);
    lzs_sd_static_meta_t m = {f->content_type, f->etag, f->gz ? f->etag_gz : NULL, f->mtime,
                              cache_control(f)};
    if (lzs_sd_static_unchanged(c, &m, gz))
        return lzs_sd_static_send_unchanged(c, rq, &m, gz);
    struct MHD_Response *r = MHD_create_response_from_buffer(
        gz ? f->gz_size : f->size, gz ? f->gz : f->data, MHD_RESPMEM_PERSISTENT);
    return queue(c, rq, MHD_HTTP_OK, r, &m, 1, f->gz != NULL, gz);
}

enum MHD_Result lzs_sd_static_send_owned(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                         unsigned status, const lzs_sd_static_meta_t *m, char *body,
                                         size_t len)
{
    char *gz = NULL;
    size_t gzlen = 0;
    /* a rendered page is tens of KB of repetitive markup and a tenth of that compressed:
     * on a slow connection most of its time is the transfer */
    if (lzs_sd_static_wants_gzip(c) && lzs_sd_gzip(body, len, &gz, &gzlen) == 0) {
        free(body);
        body = gz;
        len = gzlen;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(len, body, free);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    return queue(c, rq, status, r, m, status == MHD_HTTP_OK, 1, gz != NULL);
}
