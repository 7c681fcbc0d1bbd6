/* server.c — routes, limits and responses of lzs-searchd (see server.h, docs/api.md). */
#include "server.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "buf.h"
#include "conns.h"
#include "lzs/file.h"
#include "lzs/search.h"
#include "metrics.h"
#include "params.h"
#include "reply.h"
#include "screen.h"
#include "stub.h"

#define JSON_TYPE LZS_SD_JSON_TYPE
/* What a client is told when the index cannot be opened or read: the path and the
 * library's own words go to the log only. */
#define INDEX_UNAVAILABLE "the index is not available (the server's log says why): try again later"

/* Bytes of export rows gathered before one write to the pipe: fewer system calls and
 * fewer, larger chunks on the wire, while a reader that stops still stalls the producer
 * within one pipe buffer of data. */
#define EXPORT_FLUSH (16u * 1024)
/* Seconds a client refused with 503 busy is asked to wait. */
#define BUSY_RETRY_AFTER "10"

struct lzs_sd_server {
    lzs_sd_config_t cfg;
    struct MHD_Daemon *daemon;
    lzs_sd_screen_t *screen; /* accepts, screens request heads, hands them to daemon */
    lzs_sd_conns_t *conns;   /* every connection: screened, or held by the daemon */
    pthread_key_t key;       /* -> worker_t of the calling pool thread */
    /* Connections handed to the HTTP library and not closed yet: as every answer closes
     * its connection, the requests in flight. */
    atomic_int handed;
    /* Export producer threads running: at most cfg.max_exports; the server is freed only
     * once it is back to 0, since every producer uses cfg and this counter. */
    atomic_int exports;
    uint16_t port;
};

/* Per worker thread: its own searcher and the revision it last saw. */
typedef struct {
    lzs_searcher_t *searcher;
    uint64_t revision;
    int seen;    /* revision is meaningful */
    int failing; /* the last open failed (logged once until it works again) */
} worker_t;

/* Per request, created when the request line arrives. */
typedef struct {
    struct timespec t0;
    char *uri; /* the request target exactly as received (not unescaped) */
    size_t uri_len;
    int started;       /* the first call of the access handler has happened */
    unsigned queue_ms; /* how long it waited for that first call (see queue_wait_ms) */
    lzs_sd_mroute_t route;
    unsigned status;
    const char *retry_after; /* static string: sent as Retry-After when set */
    char method[8];
} request_t;

static void worker_free(void *p)
{
    worker_t *w = p;
    if (!w)
        return;
    lzs_searcher_close(w->searcher);
    free(w);
}

/* Opens a searcher of the index, once the index is known not to be a Xapian stub that
 * would start a program (it may have become one since the daemon started). *msg says why
 * not: caller frees. */
static lzs_status_t open_searcher(lzs_sd_server_t *srv, lzs_searcher_t **out, char **msg)
{
    lzs_status_t st = lzs_sd_stub_check(srv->cfg.index_dir, msg);
    if (st != LZS_OK) {
        *out = NULL;
        return st;
    }
    free(*msg);
    *msg = NULL;
    st = lzs_searcher_open(srv->cfg.index_dir, srv->cfg.ex, out, msg);
    if (st == LZS_OK)
        lzs_searcher_set_max_postings(*out, srv->cfg.max_postings);
    return st;
}

/* The calling worker's searcher at the latest revision, or NULL when the index cannot be
 * opened: why is logged (once until it works again), the client is told INDEX_UNAVAILABLE. */
static lzs_searcher_t *worker_searcher(lzs_sd_server_t *srv)
{
    worker_t *w = pthread_getspecific(srv->key);
    if (!w) {
        w = calloc(1, sizeof *w);
        if (!w || pthread_setspecific(srv->key, w) != 0) {
            free(w);
            fprintf(stderr, "lzs-searchd: out of memory for a worker\n");
            return NULL;
        }
    }
    if (w->searcher && lzs_searcher_reopen(w->searcher) != LZS_OK) {
        lzs_searcher_close(w->searcher);
        w->searcher = NULL;
    }
    if (!w->searcher) {
        char *msg = NULL;
        lzs_status_t st = open_searcher(srv, &w->searcher, &msg);
        if (st != LZS_OK) {
            if (!w->failing)
                fprintf(stderr, "lzs-searchd: the index at %s cannot be opened: %s\n",
                        srv->cfg.index_dir, msg ? msg : lzs_status_str(st));
            w->failing = 1;
            free(msg);
            w->searcher = NULL;
            return NULL;
        }
        if (w->failing)
            fprintf(stderr, "lzs-searchd: index %s opened\n", srv->cfg.index_dir);
        w->failing = 0;
    }
    uint32_t docs = 0;
    uint64_t rev = 0;
    if (lzs_searcher_stats(w->searcher, &docs, &rev) == LZS_OK) {
        if (w->seen && rev != w->revision)
            lzs_sd_metrics_reopened();
        w->revision = rev;
        w->seen = 1;
        lzs_sd_metrics_index(docs, rev);
    }
    return w->searcher;
}

/* Drops the calling worker's searcher so the next request opens the index afresh. */
static void worker_reset(lzs_sd_server_t *srv)
{
    worker_t *w = pthread_getspecific(srv->key);
    if (w) {
        lzs_searcher_close(w->searcher);
        w->searcher = NULL;
    }
}

/* ---- responses ------------------------------------------------------------------ */

static void add_headers(struct MHD_Response *r, const char *type)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    for (const lzs_sd_header_t *h = lzs_sd_reply_headers; h->name; h++)
        MHD_add_response_header(r, h->name, h->value);
}

/* Queues a response and records its status. Takes ownership of r. */
static enum MHD_Result queue(struct MHD_Connection *c, request_t *rq, unsigned status,
                             struct MHD_Response *r)
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

/* Sends body (malloc'ed; ownership taken) with the given type. */
static enum MHD_Result send_owned(struct MHD_Connection *c, request_t *rq, unsigned status,
                                  const char *type, char *body, size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(len, body, free);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    add_headers(r, type);
    return queue(c, rq, status, r);
}

static enum MHD_Result send_json(struct MHD_Connection *c, request_t *rq, unsigned status,
                                 json_t *v)
{
    size_t len = 0;
    char *s = lzs_sd_json_dump(v, &len);
    if (!s)
        return MHD_NO;
    return send_owned(c, rq, status, JSON_TYPE, s, len);
}

/* {"error":{"code","message","param","position"}}: param and position may be null. */
static enum MHD_Result send_error_at(struct MHD_Connection *c, request_t *rq, unsigned status,
                                     const char *code, const char *param, int position,
                                     const char *message)
{
    size_t len = 0;
    char *body = lzs_sd_reply_error(code, param, position, message, &len);
    if (!body)
        return MHD_NO;
    return send_owned(c, rq, status, JSON_TYPE, body, len);
}

__attribute__((format(printf, 5, 6))) static enum MHD_Result
send_error(struct MHD_Connection *c, request_t *rq, unsigned status, const char *code,
           const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return send_error_at(c, rq, status, code, NULL, -1, msg);
}

/* Answers a failed library call: the error the library filled, with a status by kind. */
static enum MHD_Result send_status(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq,
                                   lzs_status_t st, const lzs_search_error_t *err)
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
        worker_reset(srv);
        fprintf(stderr, "lzs-searchd: the index at %s cannot be read (%s): %s\n",
                srv->cfg.index_dir, lzs_status_str(st),
                err->message[0] ? err->message : "no detail");
        return send_error(c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "index_unavailable", "%s",
                          INDEX_UNAVAILABLE);
    }
    if (status != MHD_HTTP_INTERNAL_SERVER_ERROR && err->code[0])
        code = err->code;
    return send_error_at(c, rq, status, code, err->param, err->position,
                         err->message[0] ? err->message : lzs_status_str(st));
}

/* ---- parameters ----------------------------------------------------------------- */

typedef struct {
    lzs_sd_arg_t args[LZS_SD_MAX_ARGS + 1];
    size_t n;
} arglist_t;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
    arglist_t *l = cls;
    (void)kind;
    if (l->n > LZS_SD_MAX_ARGS) {
        l->n++; /* only counted: the parser reports "too many" */
        return MHD_YES;
    }
    l->args[l->n].key = key;
    l->args[l->n].key_size = key_size;
    l->args[l->n].value = value;
    l->args[l->n].value_size = value_size;
    l->n++;
    return MHD_YES;
}

/* Parses the query of the request for route; on error answers 400 and returns -1. */
static int get_params(struct MHD_Connection *c, request_t *rq, lzs_sd_route_t route,
                      lzs_sd_params_t *p, enum MHD_Result *res)
{
    /* The library decodes the query leaving a malformed %-escape as it is: the raw query
     * is checked first, so that "%zz" is refused rather than searched for. */
    const char *query = strchr(rq->uri, '?');
    if (query && lzs_sd_params_check_escapes(p, query + 1, strlen(query + 1)) != LZS_OK) {
        *res =
            send_error_at(c, rq, MHD_HTTP_BAD_REQUEST, "bad_parameter", p->param, -1, p->message);
        return -1;
    }
    arglist_t *l = malloc(sizeof *l);
    if (!l) {
        *res = MHD_NO;
        return -1;
    }
    l->n = 0;
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_arg, l);
    lzs_status_t st = lzs_sd_params_parse(p, route, l->args,
                                          l->n > LZS_SD_MAX_ARGS + 1 ? LZS_SD_MAX_ARGS + 1 : l->n);
    free(l);
    if (st == LZS_OK)
        return 0;
    *res = send_error_at(c, rq, MHD_HTTP_BAD_REQUEST, "bad_parameter", p->param, -1, p->message);
    return -1;
}

/* Decodes %XX escapes of one path segment into out (cap bytes). Returns -1 on a bad or
 * NUL escape, a '/' or invalid UTF-8 in the result, or when it does not fit. */
static int decode_segment(const char *s, size_t n, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '%') {
            unsigned v = 0;
            for (int k = 1; k <= 2; k++) {
                char h = i + (size_t)k < n ? s[i + (size_t)k] : '\0';
                v <<= 4;
                if (h >= '0' && h <= '9')
                    v |= (unsigned)(h - '0');
                else if (h >= 'a' && h <= 'f')
                    v |= (unsigned)(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F')
                    v |= (unsigned)(h - 'A' + 10);
                else
                    return -1;
            }
            ch = (unsigned char)v;
            i += 2;
        }
        if (ch == 0 || ch == '/' || j + 1 >= cap)
            return -1;
        out[j++] = (char)ch;
    }
    out[j] = '\0';
    return j > 0 && lzs_sd_utf8_valid(out, j) ? 0 : -1;
}

/* ---- routes --------------------------------------------------------------------- */

/* Runs one library call on the worker's searcher. A call whose index changed under it
 * has been tried again by the library already (search.h): it is made once here. */
typedef lzs_status_t (*call_fn)(lzs_searcher_t *s, void *arg, json_t **out,
                                lzs_search_error_t *err);

static enum MHD_Result run_json(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq,
                                call_fn fn, void *arg)
{
    lzs_search_error_t err;
    json_t *out = NULL;
    lzs_searcher_t *s = worker_searcher(srv);
    if (!s)
        return send_error(c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "index_unavailable", "%s",
                          INDEX_UNAVAILABLE);
    memset(&err, 0, sizeof err);
    err.position = -1;
    lzs_status_t st = fn(s, arg, &out, &err);
    if (st != LZS_OK)
        return send_status(srv, c, rq, st, &err);
    enum MHD_Result res = send_json(c, rq, MHD_HTTP_OK, out);
    json_decref(out);
    return res;
}

static lzs_status_t call_search(lzs_searcher_t *s, void *arg, json_t **out, lzs_search_error_t *err)
{
    return lzs_search_run(s, &((lzs_sd_params_t *)arg)->req, out, err);
}

typedef struct {
    const char *id;
    uint32_t size;
} id_arg_t;

static lzs_status_t call_doc(lzs_searcher_t *s, void *arg, json_t **out, lzs_search_error_t *err)
{
    return lzs_search_document(s, ((id_arg_t *)arg)->id, out, err);
}

static lzs_status_t call_similar(lzs_searcher_t *s, void *arg, json_t **out,
                                 lzs_search_error_t *err)
{
    id_arg_t *a = arg;
    return lzs_search_similar(s, a->id, a->size, out, err);
}

/* ---- export --------------------------------------------------------------------- */

/* An export is streamed: the worker thread checks the request and counts the matches
 * (so that errors and the count headers come before any byte of the body), then a
 * detached producer thread runs the export on its own searcher (Xapian handles are not
 * thread-safe) and writes the rows into a pipe that libmicrohttpd reads from as the
 * client takes them. Writes into a full pipe block, so a slow client slows its producer
 * instead of making the daemon hold the whole export in memory. The library reads the
 * pipe with a blocking read() on the worker thread when the socket can take more, so
 * that worker waits while its producer makes the next rows: producers flush every
 * EXPORT_FLUSH bytes, and cfg.max_exports bounds how many workers can wait so. */

/* What one producer needs; it owns all of it and frees it when done. */
typedef struct {
    lzs_sd_server_t *srv;          /* borrowed: lzs_sd_server_stop() waits for every producer */
    lzs_search_req_t req;          /* its strings point into the copies below */
    char *q, *date_from, *date_to; /* copied */
    char *values[LZS_F_COUNT][LZS_SEARCH_MAX_VALUES];      /* copied */
    const char *views[LZS_F_COUNT][LZS_SEARCH_MAX_VALUES]; /* the copies, as req takes them */
    lzs_sd_format_t format;
    int fd;           /* write end of the pipe; closed by the producer */
    lzs_sd_buf_t out; /* rows made but not yet written */
    size_t n;         /* rows made */
    int write_errno;  /* why a write failed (EPIPE: the client went away); 0 while none did */
} export_job_t;

/* One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF. */
static void csv_field(lzs_sd_buf_t *b, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n")) {
        lzs_sd_buf_puts(b, "\"");
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                lzs_sd_buf_append(b, "\"\"", 2);
            else
                lzs_sd_buf_append(b, p, 1);
        }
        lzs_sd_buf_puts(b, "\"");
    } else {
        lzs_sd_buf_puts(b, s);
    }
    lzs_sd_buf_puts(b, last ? "\r\n" : ",");
}

/* A JSON value as CSV text: strings as they are, numbers printed, null empty, lists
 * joined with sep. */
static void csv_value(lzs_sd_buf_t *b, const json_t *v, const char *sep, int last)
{
    lzs_sd_buf_t t = {0};
    if (json_is_string(v)) {
        lzs_sd_buf_append(&t, json_string_value(v), json_string_length(v));
    } else if (json_is_integer(v)) {
        lzs_sd_buf_printf(&t, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        lzs_sd_buf_printf(&t, "%g", json_real_value(v));
    } else if (json_is_array(v)) {
        size_t i;
        const json_t *item;
        json_array_foreach(v, i, item)
        {
            if (i > 0)
                lzs_sd_buf_puts(&t, sep);
            if (json_is_string(item))
                lzs_sd_buf_puts(&t, json_string_value(item));
        }
    }
    if (t.failed)
        b->failed = 1;
    csv_field(b, t.data ? t.data : "", last);
    lzs_sd_buf_free(&t);
}

static const char *const k_csv_doc[] = {"id", "ref", "title", "type", "date", "year", "lang"};
static const char *const k_csv_passage[] = {"label",      "kind",    "section",  "rec_id", "level",
                                            "addressees", "parties", "articles", "text"};
#define CSV_HEADER                                                                                 \
    "id,doc_id,ref,title,type,date,year,lang,label,kind,section,rec_id,level,addressees,"          \
    "parties,articles,text\r\n"

/* Writes what is gathered in job->out to the pipe, blocking while the pipe is full.
 * Returns -1 (job->write_errno set) when the read end is gone or another error. */
static int export_flush(export_job_t *job)
{
    size_t off = 0;
    if (job->out.failed) {
        job->write_errno = ENOMEM;
        return -1;
    }
    while (off < job->out.len) {
        ssize_t w = write(job->fd, job->out.data + off, job->out.len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            job->write_errno = w < 0 ? errno : EIO;
            return -1;
        }
        off += (size_t)w;
    }
    job->out.len = 0;
    return 0;
}

/* Called by lzs_search_export for each hit; a non-zero return stops the export. */
static int export_hit(void *ud, const json_t *hit)
{
    export_job_t *job = ud;
    if (job->format == LZS_SD_FORMAT_JSON) {
        size_t len = 0;
        char *s = lzs_sd_json_dump(hit, &len);
        if (!s) {
            job->out.failed = 1;
            return -1;
        }
        lzs_sd_buf_puts(&job->out, job->n ? ",\n" : "\n");
        lzs_sd_buf_append(&job->out, s, len);
        free(s);
    } else {
        const json_t *doc = json_object_get(hit, "doc");
        const json_t *p = json_object_get(hit, "passage");
        csv_value(&job->out, json_object_get(hit, "id"), ";", 0);
        for (size_t i = 0; i < sizeof k_csv_doc / sizeof k_csv_doc[0]; i++)
            csv_value(&job->out, json_object_get(doc, k_csv_doc[i]), ";", 0);
        for (size_t i = 0; i < sizeof k_csv_passage / sizeof k_csv_passage[0]; i++) {
            const char *name = k_csv_passage[i];
            csv_value(&job->out, json_object_get(p, name),
                      strcmp(name, "section") == 0 ? " > " : ";",
                      i + 1 == sizeof k_csv_passage / sizeof k_csv_passage[0]);
        }
    }
    job->n++;
    if (job->out.failed)
        return -1;
    return job->out.len >= EXPORT_FLUSH ? export_flush(job) : 0;
}

static void export_job_free(export_job_t *job)
{
    if (!job)
        return;
    free(job->q);
    free(job->date_from);
    free(job->date_to);
    for (int f = 0; f < LZS_F_COUNT; f++)
        for (size_t i = 0; i < LZS_SEARCH_MAX_VALUES; i++)
            free(job->values[f][i]);
    lzs_sd_buf_free(&job->out);
    free(job);
}

/* strdup that keeps NULL and records a failed copy in *failed. */
static char *dup_or_null(const char *s, int *failed)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *failed = 1;
    return d;
}

/* A job with deep copies of every string of req: the request's own values belong to the
 * HTTP library and are gone once the request ends, long before the producer is done.
 * Caller frees with export_job_free(); NULL when out of memory. */
static export_job_t *export_job_new(lzs_sd_server_t *srv, const lzs_sd_params_t *p)
{
    export_job_t *job = calloc(1, sizeof *job);
    int failed = 0;
    if (!job)
        return NULL;
    job->srv = srv;
    job->format = p->format;
    job->fd = -1;
    job->req = p->req;
    job->q = dup_or_null(p->req.q, &failed);
    job->date_from = dup_or_null(p->req.date_from, &failed);
    job->date_to = dup_or_null(p->req.date_to, &failed);
    job->req.q = job->q;
    job->req.date_from = job->date_from;
    job->req.date_to = job->date_to;
    for (int f = 0; f < LZS_F_COUNT; f++) {
        size_t nv = p->req.nvalues[f];
        if (nv > LZS_SEARCH_MAX_VALUES)
            nv = LZS_SEARCH_MAX_VALUES; /* the parser never allows more */
        for (size_t i = 0; i < nv; i++) {
            job->values[f][i] = dup_or_null(p->req.values[f][i], &failed);
            job->views[f][i] = job->values[f][i];
        }
        job->req.nvalues[f] = nv;
        job->req.values[f] = job->views[f];
    }
    if (failed) {
        export_job_free(job);
        return NULL;
    }
    return job;
}

/* The producer thread: runs the export on a searcher of its own into the pipe, then
 * closes the pipe (the end of the body), the searcher and the job. Errors cannot change
 * the status any more (it is sent): the body is cut short and the error logged. */
static void *export_main(void *arg)
{
    export_job_t *job = arg;
    lzs_sd_server_t *srv = job->srv;
    lzs_searcher_t *s = NULL;
    lzs_search_error_t err;
    char *msg = NULL;
    sigset_t pipe_sig;

    /* A write to a pipe whose reader has gone must fail with EPIPE, not end the process,
     * whether or not the program ignores SIGPIPE (the fuzz driver runs the server too). */
    sigemptyset(&pipe_sig);
    sigaddset(&pipe_sig, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_sig, NULL);

    memset(&err, 0, sizeof err);
    err.position = -1;
    lzs_status_t st = open_searcher(srv, &s, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "lzs-searchd: export cut short: the index at %s cannot be opened: %s\n",
                srv->cfg.index_dir, msg ? msg : lzs_status_str(st));
        free(msg);
    } else {
        lzs_sd_buf_puts(&job->out, job->format == LZS_SD_FORMAT_JSON ? "[" : CSV_HEADER);
        st = lzs_search_export(s, &job->req, export_hit, job, NULL, NULL, &err);
        /* A stop asked for by export_hit is not an error of the search. */
        if (st == LZS_OK && !job->write_errno && !job->out.failed) {
            if (job->format == LZS_SD_FORMAT_JSON)
                lzs_sd_buf_puts(&job->out, job->n ? "\n]\n" : "]\n");
            export_flush(job);
        } else if (st != LZS_OK && !job->write_errno) {
            /* The rows made so far are whole: send them, then end the body early. */
            export_flush(job);
            fprintf(stderr, "lzs-searchd: export cut short after %zu rows: %s: %s\n", job->n,
                    lzs_status_str(st), err.message[0] ? err.message : "no detail");
        }
        if (job->out.failed)
            fprintf(stderr, "lzs-searchd: export cut short after %zu rows: out of memory\n",
                    job->n);
        else if (job->write_errno && job->write_errno != EPIPE)
            fprintf(stderr, "lzs-searchd: export cut short after %zu rows: %s\n", job->n,
                    strerror(job->write_errno));
    }
    /* The client sees the end of the body as soon as the write end is closed. */
    close(job->fd);
    lzs_searcher_close(s);
    export_job_free(job);
    atomic_fetch_sub(&srv->exports, 1);
    return NULL;
}

/* Takes one of the cfg.max_exports producer places; 0 when all are taken. */
static int export_reserve(lzs_sd_server_t *srv)
{
    int cur = atomic_load(&srv->exports);
    while (cur < (int)srv->cfg.max_exports) {
        if (atomic_compare_exchange_weak(&srv->exports, &cur, cur + 1))
            return 1;
    }
    return 0;
}

/* 503 busy with Retry-After: the client may well succeed a little later. */
static enum MHD_Result send_busy(struct MHD_Connection *c, request_t *rq, const char *why)
{
    rq->retry_after = BUSY_RETRY_AFTER;
    return send_error(c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "busy", "%s: try again in %s seconds",
                      why, BUSY_RETRY_AFTER);
}

/* The body of an answer to HEAD: headers as for GET, no producer. */
static ssize_t empty_body(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)cls;
    (void)pos;
    (void)buf;
    (void)max;
    return MHD_CONTENT_READER_END_OF_STREAM;
}

/* Counts the matches of an export on the worker's searcher. On failure the error has
 * been answered (*res) and -1 is returned. */
static int export_count(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq,
                        const lzs_sd_params_t *p, uint32_t *total, enum MHD_Result *res)
{
    lzs_search_error_t err;
    json_t *out = NULL;
    /* The export's own rules: every passage, nothing else computed. */
    lzs_search_req_t req = p->req;
    req.offset = 0;
    req.size = 0;
    req.group = LZS_GROUP_PASSAGE;
    req.facets = 0;
    lzs_searcher_t *s = worker_searcher(srv);
    if (!s) {
        *res = send_error(c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "index_unavailable", "%s",
                          INDEX_UNAVAILABLE);
        return -1;
    }
    memset(&err, 0, sizeof err);
    err.position = -1;
    lzs_status_t st = lzs_search_run(s, &req, &out, &err);
    if (st != LZS_OK) {
        *res = send_status(srv, c, rq, st, &err);
        return -1;
    }
    json_int_t n = json_integer_value(json_object_get(out, "total"));
    json_decref(out);
    *total = n < 0 ? 0 : (uint32_t)n;
    return 0;
}

static enum MHD_Result handle_export(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq,
                                     lzs_sd_params_t *p)
{
    enum MHD_Result res = MHD_NO;
    uint32_t total = 0;
    int fds[2];
    if (export_count(srv, c, rq, p, &total, &res) != 0)
        return res;

    int json = p->format == LZS_SD_FORMAT_JSON;
    int head = strcmp(rq->method, MHD_HTTP_METHOD_HEAD) == 0;
    export_job_t *job = NULL;
    struct MHD_Response *r = NULL;
    if (head) {
        r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, empty_body, NULL, NULL);
        if (!r)
            return MHD_NO;
    } else {
        if (!export_reserve(srv))
            return send_busy(c, rq, "too many exports are running");
        job = export_job_new(srv, p);
        if (!job) {
            atomic_fetch_sub(&srv->exports, 1);
            return send_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
        }
        if (pipe(fds) != 0) {
            fprintf(stderr, "lzs-searchd: export: no pipe: %s\n", strerror(errno));
            export_job_free(job);
            atomic_fetch_sub(&srv->exports, 1);
            return send_busy(c, rq, "the server is out of file descriptors");
        }
        /* The response owns the read end from here: destroying it closes the pipe. */
        r = MHD_create_response_from_pipe(fds[0]);
        if (!r) {
            close(fds[0]);
            close(fds[1]);
            export_job_free(job);
            atomic_fetch_sub(&srv->exports, 1);
            return MHD_NO;
        }
        job->fd = fds[1];
    }

    char count[32];
    add_headers(r, json ? JSON_TYPE : "text/csv; charset=utf-8; header=present");
    MHD_add_response_header(r, "Content-Disposition",
                            json ? "attachment; filename=\"lanzasearch-export.json\""
                                 : "attachment; filename=\"lanzasearch-export.csv\"");
    snprintf(count, sizeof count, "%u", total);
    MHD_add_response_header(r, "X-Total-Count", count);
    MHD_add_response_header(r, "X-Export-Capped", total > LZS_SEARCH_EXPORT_CAP ? "true" : "false");

    if (job) {
        pthread_attr_t attr;
        pthread_t tid;
        int started = pthread_attr_init(&attr) == 0;
        if (started) {
            started = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
                      pthread_create(&tid, &attr, export_main, job) == 0;
            pthread_attr_destroy(&attr);
        }
        if (!started) {
            fprintf(stderr, "lzs-searchd: export: cannot start a thread\n");
            MHD_destroy_response(r);
            close(job->fd);
            export_job_free(job);
            atomic_fetch_sub(&srv->exports, 1);
            return send_busy(c, rq, "no thread for the export");
        }
        /* From here the producer owns job; if queueing fails the response is destroyed,
         * the read end closes and the producer stops on EPIPE. */
    }
    return queue(c, rq, MHD_HTTP_OK, r);
}

/* ---- load shedding ------------------------------------------------------------- */

/* Milliseconds since the last bytes of the request arrived on the connection, read when
 * its handler first runs: the time it waited in the server's queue (the kernel's accept
 * backlog, a worker busy with other connections), which the HTTP library does not see.
 * 0 when it cannot be known: not a TCP connection, not Linux, or the call fails. */
static unsigned queue_wait_ms(struct MHD_Connection *c)
{
#if defined(__linux__) && defined(TCP_INFO)
    const union MHD_ConnectionInfo *addr =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!addr || !addr->client_addr || !fd)
        return 0;
    if (addr->client_addr->sa_family != AF_INET && addr->client_addr->sa_family != AF_INET6)
        return 0;
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    if (getsockopt(fd->connect_fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
        return 0;
    /* An older kernel may fill less of the structure than this header describes. */
    if (len < offsetof(struct tcp_info, tcpi_last_data_recv) + sizeof ti.tcpi_last_data_recv)
        return 0;
    return ti.tcpi_last_data_recv;
#else
    (void)c;
    return 0;
#endif
}

/* Answers 503 busy at once (*res) and returns 1 when the request waited longer than
 * --max-queue-ms: by then its client has most likely given up, and searching for it
 * anyway would only make every request behind it wait longer too. Called for the routes
 * that search, once their parameters are known to be valid (a bad request is answered
 * 400 whatever the load: trying it again later would not help). */
static int shed(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq, enum MHD_Result *res)
{
    char why[160];
    if (srv->cfg.max_queue_ms == 0 || rq->queue_ms <= srv->cfg.max_queue_ms)
        return 0;
    lzs_sd_metrics_shed();
    snprintf(why, sizeof why, "the request waited %u ms in the server's queue (limit %u ms)",
             rq->queue_ms, srv->cfg.max_queue_ms);
    *res = send_busy(c, rq, why);
    return 1;
}

/* ---- other routes --------------------------------------------------------------- */

static enum MHD_Result handle_healthz(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq)
{
    if (!worker_searcher(srv))
        return send_error(c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "index_unavailable", "%s",
                          INDEX_UNAVAILABLE);
    uint32_t docs;
    uint64_t rev;
    lzs_sd_metrics_index_get(&docs, &rev);
    json_t *v = json_pack("{s:i, s:s, s:I, s:I}", "api", 1, "status", "ok", "documents",
                          (json_int_t)docs, "revision", (json_int_t)rev);
    enum MHD_Result res = send_json(c, rq, MHD_HTTP_OK, v);
    json_decref(v);
    return res;
}

static enum MHD_Result handle_metrics(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq)
{
    char *text;
    size_t len;
    /* Refreshes the index gauges; an unavailable index still yields the counters. */
    (void)worker_searcher(srv);
    lzs_sd_gauges_t g = {(unsigned)atomic_load(&srv->exports), lzs_sd_conns_open(srv->conns)};
    if (lzs_sd_metrics_render(&g, &text, &len) != 0)
        return send_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
    return send_owned(c, rq, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", text, len);
}

static enum MHD_Result handle_static(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq,
                                     const char *name)
{
    const lzs_sd_webfile_t *f =
        lzs_sd_web_name_ok(name) ? lzs_sd_web_find(srv->cfg.web, name) : NULL;
    if (!f)
        return send_error(c, rq, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
    struct MHD_Response *r =
        MHD_create_response_from_buffer(f->size, f->data, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    add_headers(r, f->content_type);
    return queue(c, rq, MHD_HTTP_OK, r);
}

/* ---- files of the corpus ------------------------------------------------------------ */

/* Content types of the formats, and whether a browser may show the file inline: an HTML
 * page of the corpus is never rendered on this origin (its scripts would run as the
 * search page's), only downloaded. */
static const struct {
    const char *format;
    const char *type;
    int inline_ok;
} file_types[] = {
    {"pdf", "application/pdf", 1},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 0},
    {"odt", "application/vnd.oasis.opendocument.text", 0},
    {"html", "text/html; charset=utf-8", 0},
    {"md", "text/markdown; charset=utf-8", 1},
    {"txt", "text/plain; charset=utf-8", 1},
};

/* GET /api/file/{id}/{n}: the n-th file of a document, read from where the indexer found
 * it; no path ever comes from the client, only the document id and the file's number. */
static enum MHD_Result handle_file(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq,
                                   const char *rest, size_t n)
{
    const char *slash = memchr(rest, '/', n);
    char id[512];
    if (!slash || decode_segment(rest, (size_t)(slash - rest), id, sizeof id) != 0)
        return send_error_at(c, rq, MHD_HTTP_BAD_REQUEST, "bad_parameter", "id", -1,
                             "the path is /api/file/{document id}/{file number}, the id a "
                             "valid UTF-8 name (no NUL, no '/', good %-escapes)");
    const char *num = slash + 1;
    size_t numlen = n - (size_t)(num - rest);
    unsigned k = 0;
    int ok = numlen > 0 && numlen <= 4 && num[0] != '0';
    for (size_t i = 0; ok && i < numlen; i++) {
        ok = num[i] >= '0' && num[i] <= '9';
        k = k * 10 + (unsigned)(num[i] - '0');
    }
    if (!ok)
        return send_error_at(c, rq, MHD_HTTP_BAD_REQUEST, "bad_parameter", "n", -1,
                             "the file number is a whole number from 1 (as in doc.files)");
    lzs_search_error_t err;
    char *path = NULL, *format = NULL;
    lzs_searcher_t *s = worker_searcher(srv);
    if (!s)
        return send_error(c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "index_unavailable", "%s",
                          INDEX_UNAVAILABLE);
    lzs_status_t st = lzs_search_file(s, id, k, &path, &format, &err);
    if (st != LZS_OK)
        return send_status(srv, c, rq, st, &err);
    const char *type = "application/octet-stream";
    int inline_ok = 0;
    for (size_t i = 0; i < sizeof file_types / sizeof file_types[0]; i++) {
        if (strcmp(format, file_types[i].format) == 0) {
            type = file_types[i].type;
            inline_ok = file_types[i].inline_ok;
        }
    }
    /* Regular files only, never blocking on whatever the path has become since. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(stderr, "lzs-searchd: file %u of %s (%s): %s\n", k, id, path,
                fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        free(path);
        free(format);
        return send_error(c, rq, MHD_HTTP_NOT_FOUND, "not_found",
                          "the file is in the index but no longer in the corpus");
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char disposition[600];
    /* the file's name, its quotes and backslashes and controls left out */
    char safe[256];
    size_t o = 0;
    for (const char *q = base; *q && o + 1 < sizeof safe; q++) {
        if ((unsigned char)*q >= 0x20 && *q != '"' && *q != '\\' && *q != 0x7F)
            safe[o++] = *q;
    }
    safe[o] = '\0';
    snprintf(disposition, sizeof disposition, "%s; filename=\"%s\"",
             inline_ok ? "inline" : "attachment", safe);
    free(path);
    free(format);
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    add_headers(r, type);
    MHD_add_response_header(r, "Content-Disposition", disposition);
    return queue(c, rq, MHD_HTTP_OK, r);
}

/* ---- routing -------------------------------------------------------------------- */

static enum MHD_Result route_search(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq,
                                   lzs_sd_params_t *p, const char *rest, size_t n)
{
    (void)rest;
    (void)n;
    return run_json(srv, c, rq, call_search, p);
}

static enum MHD_Result route_export(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq,
                                   lzs_sd_params_t *p, const char *rest, size_t n)
{
    (void)rest;
    (void)n;
    return handle_export(srv, c, rq, p);
}

/* /api/doc/{id} and /api/similar/{id}: one path segment, the id. */
static enum MHD_Result route_by_id(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq,
                                   lzs_sd_params_t *p, const char *rest, size_t n)
{
    char id[512];
    if (decode_segment(rest, n, id, sizeof id) != 0)
        return send_error_at(c, rq, MHD_HTTP_BAD_REQUEST, "bad_parameter", "id", -1,
                             "the id in the path is not a valid UTF-8 name (a NUL, a '/', a "
                             "bad %-escape, or too long)");
    id_arg_t a = {id, p->similar_size};
    return run_json(srv, c, rq, rq->route == LZS_SD_M_SIMILAR ? call_similar : call_doc, &a);
}

static enum MHD_Result route_file(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq,
                                  lzs_sd_params_t *p, const char *rest, size_t n)
{
    (void)p;
    return handle_file(srv, c, rq, rest, n);
}

static enum MHD_Result route_healthz(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                     request_t *rq, lzs_sd_params_t *p, const char *rest, size_t n)
{
    (void)p;
    (void)rest;
    (void)n;
    return handle_healthz(srv, c, rq);
}

static enum MHD_Result route_metrics(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                     request_t *rq, lzs_sd_params_t *p, const char *rest, size_t n)
{
    (void)p;
    (void)rest;
    (void)n;
    return handle_metrics(srv, c, rq);
}

typedef enum MHD_Result (*route_fn)(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                    request_t *rq, lzs_sd_params_t *p, const char *rest,
                                    size_t n);

/* The API's routes, a row each: the path (a prefix when it ends with '/', the rest of
 * the path then handed to the handler), the name it is counted under in /metrics, the
 * parameters it takes (params.h), whether it is shed under load (routes that search), and
 * its handler. Anything else under /api/ is 404; any other path is a page of --web. */
static const struct {
    const char *path;
    lzs_sd_mroute_t metric;
    lzs_sd_route_t params;
    int sheds;
    route_fn handler;
} routes[] = {
    {"/api/search", LZS_SD_M_SEARCH, LZS_SD_ROUTE_SEARCH, 1, route_search},
    {"/api/export", LZS_SD_M_EXPORT, LZS_SD_ROUTE_EXPORT, 1, route_export},
    /* a document is read with a search of its passages: shed like one */
    {"/api/doc/", LZS_SD_M_DOC, LZS_SD_ROUTE_PLAIN, 1, route_by_id},
    {"/api/similar/", LZS_SD_M_SIMILAR, LZS_SD_ROUTE_SIMILAR, 1, route_by_id},
    {"/api/file/", LZS_SD_M_FILE, LZS_SD_ROUTE_PLAIN, 0, route_file},
    {"/healthz", LZS_SD_M_HEALTHZ, LZS_SD_ROUTE_PLAIN, 0, route_healthz},
    {"/metrics", LZS_SD_M_METRICS, LZS_SD_ROUTE_PLAIN, 0, route_metrics},
};

/* The row of routes[] for the n bytes of path, with where the rest starts; NULL if none. */
static int find_route(const char *path, size_t n, size_t *rest)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        size_t k = strlen(routes[i].path);
        int prefix = routes[i].path[k - 1] == '/';
        if (prefix ? (n > k && memcmp(path, routes[i].path, k) == 0)
                   : (n == k && memcmp(path, routes[i].path, k) == 0)) {
            *rest = k;
            return (int)i;
        }
    }
    return -1;
}

static enum MHD_Result dispatch(lzs_sd_server_t *srv, struct MHD_Connection *c, request_t *rq)
{
    /* Routing works on the target as received: nothing was unescaped, so an encoded
     * "..", "/" or NUL can only ever be part of a name that is then not found. */
    const char *path = rq->uri;
    size_t n = strcspn(path, "?");
    size_t rest = 0;
    int r = find_route(path, n, &rest);
    if (r >= 0) {
        rq->route = routes[r].metric;
        lzs_sd_params_t *p = malloc(sizeof *p);
        enum MHD_Result res = MHD_NO;
        if (!p)
            return MHD_NO;
        if (get_params(c, rq, routes[r].params, p, &res) == 0 &&
            !(routes[r].sheds && shed(srv, c, rq, &res)))
            res = routes[r].handler(srv, c, rq, p, path + rest, n - rest);
        free(p);
        return res;
    }
    if (n == 1 && path[0] == '/') {
        rq->route = LZS_SD_M_STATIC;
        return handle_static(srv, c, rq, "index.html");
    }
    if (n > 1 && n < 64 && path[0] == '/' && !(n >= 5 && memcmp(path, "/api/", 5) == 0)) {
        char name[64];
        memcpy(name, path + 1, n - 1);
        name[n - 1] = '\0';
        rq->route = LZS_SD_M_STATIC;
        return handle_static(srv, c, rq, name);
    }
    rq->route = LZS_SD_M_OTHER;
    return send_error(c, rq, MHD_HTTP_NOT_FOUND, "not_found", "no such route");
}

/* ---- libmicrohttpd callbacks ---------------------------------------------------- */

/* 1 when the client sent "Expect: 100-continue" with a body it waits to be asked for. */
static int body_awaits_continue(struct MHD_Connection *c)
{
    const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return expect && strcasecmp(expect, "100-continue") == 0 && cl && strcmp(cl, "0") != 0;
}

/* The request head was screened before the library read it (screen.h): its shape, sizes,
 * Content-Length and Transfer-Encoding are known to be good here. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    lzs_sd_server_t *srv = cls;
    request_t *rq = *con_cls;
    (void)url;
    (void)version;
    (void)upload_data;
    if (!rq)
        return MHD_NO; /* the request line callback always sets it */
    if (!rq->started) {
        rq->started = 1;
        rq->queue_ms = queue_wait_ms(c);
        snprintf(rq->method, sizeof rq->method, "%s", method);
        if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
            /* The method is echoed only when it is a plain token (the body is JSON). */
            int plain = strlen(method) <= 20 &&
                        strspn(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_") == strlen(method);
            return send_error(c, rq, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                              "method %s is not allowed: use GET or HEAD",
                              plain ? method : "of this request");
        }
        /* A body the client has not sent yet is never asked for: the request is answered
         * now (the library then closes the connection, as it does after every answer). */
        if (body_awaits_continue(c))
            return dispatch(srv, c, rq);
        /* Otherwise answered on the next call, once the request (and any small body, which
         * is dropped) has been read: a response queued now would close the connection
         * before the body is read, and the client could lose the answer to a reset. */
        return MHD_YES;
    }
    if (*upload_data_size) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    return dispatch(srv, c, rq);
}

static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *c)
{
    request_t *rq = calloc(1, sizeof *rq);
    (void)cls;
    (void)c;
    if (!rq)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &rq->t0);
    /* Never NULL after screening (the request line always has a target); kept safe. */
    if (!uri)
        uri = "";
    rq->uri_len = strlen(uri);
    rq->uri = strdup(uri);
    if (!rq->uri) {
        free(rq);
        return NULL;
    }
    rq->route = LZS_SD_M_OTHER;
    return rq;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    request_t *rq = *con_cls;
    struct timespec t1;
    (void)cls;
    (void)c;
    (void)toe;
    if (!rq)
        return;
    if (!rq->started) {
        /* The library read the request but the handler never took it up (the client
         * went away first): no request of the daemon's, no answer. */
        lzs_sd_metrics_closed_without_request();
    } else {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs =
            (double)(t1.tv_sec - rq->t0.tv_sec) + (double)(t1.tv_nsec - rq->t0.tv_nsec) / 1e9;
        lzs_sd_metrics_request(rq->route, rq->status, secs);
        /* One line per request; the query string is left out of the log on purpose. */
        size_t plen = strcspn(rq->uri, "?");
        char status[16] = "-"; /* no answer: the handler failed (out of memory) */
        if (rq->status)
            snprintf(status, sizeof status, "%u", rq->status);
        fprintf(stderr, "lzs-searchd: %s %.*s %s %.1f ms\n", rq->method[0] ? rq->method : "-",
                (int)(plen > 200 ? 200 : plen), rq->uri, status, secs * 1e3);
    }
    free(rq->uri);
    free(rq);
    *con_cls = NULL;
}

/* The library closed a connection the screening handed it: its place is free. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    lzs_sd_server_t *srv = cls;
    (void)socket_context;
    if (toe != MHD_CONNECTION_NOTIFY_CLOSED)
        return;
    const union MHD_ConnectionInfo *addr =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (addr && addr->client_addr) {
        socklen_t len = addr->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                                 : sizeof(struct sockaddr_in);
        lzs_sd_conns_release(srv->conns, addr->client_addr, len);
    }
    atomic_fetch_sub(&srv->handed, 1);
}

/* Called by the screening thread with a connection whose head is whole and good. */
static void hand_over(void *cls, int fd, const struct sockaddr *addr, socklen_t addrlen)
{
    lzs_sd_server_t *srv = cls;
    atomic_fetch_add(&srv->handed, 1);
    if (MHD_add_connection(srv->daemon, fd, addr, addrlen) != MHD_YES) {
        /* The library closed the socket; nothing will notify its end. */
        fprintf(stderr, "lzs-searchd: the HTTP library refused a connection: %s\n",
                strerror(errno));
        atomic_fetch_sub(&srv->handed, 1);
        lzs_sd_conns_release(srv->conns, addr, addrlen);
        lzs_sd_metrics_closed_without_request();
    }
}

__attribute__((format(printf, 2, 0))) static void on_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("lzs-searchd: http: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ---- lifecycle ------------------------------------------------------------------ */

static double elapsed_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void server_free(lzs_sd_server_t *srv)
{
    lzs_sd_conns_destroy(srv->conns);
    pthread_key_delete(srv->key);
    free(srv);
}

lzs_status_t lzs_sd_server_start(const lzs_sd_config_t *cfg, lzs_sd_server_t **out, char **errmsg)
{
    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    lzs_sd_server_t *srv = calloc(1, sizeof *srv);
    if (!srv)
        return LZS_ERR_NOMEM;
    srv->cfg = *cfg;
    if (srv->cfg.max_exports == 0)
        srv->cfg.max_exports = LZS_SD_MAX_EXPORTS;
    if (srv->cfg.head_timeout == 0)
        srv->cfg.head_timeout = LZS_SD_HEAD_TIMEOUT;
    if (pthread_key_create(&srv->key, worker_free) != 0) {
        free(srv);
        return LZS_ERR_NOMEM;
    }
    if (lzs_sd_conns_create(LZS_SD_CONN_LIMIT, LZS_SD_PER_IP_LIMIT, &srv->conns) != LZS_OK) {
        server_free(srv);
        return LZS_ERR_NOMEM;
    }
    /* The library gets its connections from the screening only. Its own cap is set so
     * high (each pool thread could take every connection) that it never refuses one: the
     * caps are conns.h's, counted from accept on. */
    srv->daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET,
        0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)LZS_SD_CONN_LIMIT * (cfg->threads + 1), MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)LZS_SD_CONN_TIMEOUT, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)LZS_SD_CONN_MEMORY, MHD_OPTION_URI_LOG_CALLBACK, on_request_line, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        srv, MHD_OPTION_END);
    if (!srv->daemon) {
        int e = errno;
        lzs_set_errmsg(errmsg, "cannot start the HTTP library: %s",
                       e ? strerror(e) : "unknown error");
        server_free(srv);
        return LZS_ERR_IO;
    }
    lzs_sd_screen_config_t sc;
    memset(&sc, 0, sizeof sc);
    sc.addr = cfg->addr;
    sc.head_timeout = srv->cfg.head_timeout;
    sc.conns = srv->conns;
    sc.handoff = hand_over;
    sc.cls = srv;
    char *msg = NULL;
    lzs_status_t st = lzs_sd_screen_start(&sc, &srv->screen, &msg);
    if (st != LZS_OK) {
        lzs_set_errmsg(errmsg, "cannot listen: %s", msg ? msg : lzs_status_str(st));
        free(msg);
        MHD_stop_daemon(srv->daemon);
        server_free(srv);
        return st;
    }
    srv->port = lzs_sd_screen_port(srv->screen);
    *out = srv;
    return LZS_OK;
}

uint16_t lzs_sd_server_port(const lzs_sd_server_t *srv)
{
    return srv->port;
}

void lzs_sd_server_stop(lzs_sd_server_t *srv)
{
    if (!srv)
        return;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* No new connection; those still sending their heads are closed at once: they have
     * asked for nothing yet. */
    lzs_sd_screen_stop(srv->screen);
    /* Requests already received may finish for a while. */
    while (atomic_load(&srv->handed) > 0 && elapsed_since(&t0) < LZS_SD_FINISH_SECONDS) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(srv->daemon);
    /* Every export connection is closed now, so each producer fails its next write with
     * EPIPE and ends; srv must outlive them all. A second before the promised end is
     * kept for the process to exit. */
    while (atomic_load(&srv->exports) > 0 && elapsed_since(&t0) < LZS_SD_GRACE_SECONDS - 1) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    int left = atomic_load(&srv->exports);
    if (left > 0) {
        /* Freeing srv under a running producer would be worse than leaving it. */
        fprintf(stderr, "lzs-searchd: %d export(s) still running at exit\n", left);
        return;
    }
    server_free(srv);
}
