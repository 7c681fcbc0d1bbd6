/* static.c — files of the page with validators and compression (see static.h). */
#include "static.h"

#include <string.h>

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

/* 1 when the request's conditions say the client's copy of f (as etag) is current. */
static int not_modified(struct MHD_Connection *c, const lzs_sd_webfile_t *f, const char *etag)
{
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    if (inm)
        return lzs_sd_httpval_etag_matches(inm, etag);
    const char *ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Modified-Since");
    time_t t;
    return ims && lzs_sd_httpval_parse_date(ims, &t) == 0 && f->mtime <= t;
}

enum MHD_Result lzs_sd_static_send(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                   const lzs_sd_webfile_t *f)
{
    const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
    int gz = f->gz && lzs_sd_httpval_accepts(ae, "gzip");
    const char *etag = gz ? f->etag_gz : f->etag;
    int same = not_modified(c, f, etag);
    /* A 304 goes out with "Content-Length: 0": libmicrohttpd 0.9.75 adds it to a response
     * without a body (1.0's MHD_RF_HEAD_ONLY_RESPONSE would leave it out), and one of
     * unknown size would be sent with a chunked body, which a 304 must not have. */
    struct MHD_Response *r =
        same ? MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)
             : MHD_create_response_from_buffer(gz ? f->gz_size : f->size, gz ? f->gz : f->data,
                                               MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    char date[40];
    lzs_sd_httpval_format_date(f->mtime, date, sizeof date);
    lzs_sd_respond_headers(r, f->content_type);
    const char *cc = cache_control(f);
    int ok = (!cc || (MHD_del_response_header(r, "Cache-Control", "no-cache") == MHD_YES &&
                      MHD_add_response_header(r, "Cache-Control", cc) == MHD_YES)) &&
             MHD_add_response_header(r, "ETag", etag) == MHD_YES &&
             MHD_add_response_header(r, "Last-Modified", date) == MHD_YES &&
             (!f->gz || MHD_add_response_header(r, "Vary", "Accept-Encoding") == MHD_YES) &&
             (!gz || MHD_add_response_header(r, "Content-Encoding", "gzip") == MHD_YES);
    if (!ok) {
        MHD_destroy_response(r);
        return MHD_NO;
    }
    return lzs_sd_respond_queue(c, rq, same ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK, r);
}
