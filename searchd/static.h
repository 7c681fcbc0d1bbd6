/* static.h — answering with validators and compression: the files of the page
 * (webfiles.h) and the pages the daemon renders (page.h), through one path.
 *
 * Every answer with validators carries ETag (and Last-Modified when it has a modification
 * time); with the Cache-Control: no-cache of every answer (reply.h) a browser asks again
 * each time and is answered 304 Not Modified, without a body, when If-None-Match holds the
 * tag of the form it would get (or "*"), or, without If-None-Match, when If-Modified-Since
 * is not before the modification time (RFC 9110, 13.1). A gzip form (Content-Encoding:
 * gzip, its own ETag) is sent when Accept-Encoding allows gzip: for a file, the
 * compression built beside it; for a rendered page, made here per answer. An answer that
 * has a gzip form varies with Accept-Encoding and says so (Vary), errors included. The
 * favicon may be kept a day (Cache-Control: max-age=86400): a page uses it twice.
 */
#ifndef LZS_SEARCHD_STATIC_H
#define LZS_SEARCHD_STATIC_H

#include <stddef.h>
#include <time.h>

#include <microhttpd.h>

#include "server_internal.h"
#include "webfiles.h"

/* How an answer is validated and cached. Strings borrowed for the call. */
typedef struct {
    const char *type;          /* Content-Type: a static string */
    const char *etag;          /* the identity form's tag; NULL: no validators */
    const char *etag_gz;       /* the gzip form's tag (NULL when etag is) */
    time_t mtime;              /* Last-Modified; 0: none */
    const char *cache_control; /* NULL: reply.h's no-cache */
} lzs_sd_static_meta_t;

/* 1 when the request's Accept-Encoding allows gzip. */
int lzs_sd_static_wants_gzip(struct MHD_Connection *c);

/* 1 when the request's conditions say the client's copy of the form it would get (gz: the
 * gzip one) is current: answer it lzs_sd_static_send_unchanged(). */
int lzs_sd_static_unchanged(struct MHD_Connection *c, const lzs_sd_static_meta_t *m, int gz);

/* 304 Not Modified with m's validators, Vary: Accept-Encoding, and Content-Encoding: gzip
 * when gz. */
enum MHD_Result lzs_sd_static_send_unchanged(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                             const lzs_sd_static_meta_t *m, int gz);

/* Answers f (borrowed) to the request rq on c: 200 with the file, or 304. */
enum MHD_Result lzs_sd_static_send(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                   const lzs_sd_webfile_t *f);

/* Answers body (len bytes, malloc'ed: ownership taken, freed even on failure) with status
 * and m (m->etag only on a 200), gzip-compressed when the client allows gzip, always with
 * Vary: Accept-Encoding. The conditions are the caller's to check first (before making
 * the body is when checking them saves work). */
enum MHD_Result lzs_sd_static_send_owned(struct MHD_Connection *c, lzs_sd_request_t *rq,
                                         unsigned status, const lzs_sd_static_meta_t *m, char *body,
                                         size_t len);

#endif
