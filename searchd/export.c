/* export.c — GET /api/export streamed by a producer thread through a pipe (see export.h). */
#include "export.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "lzs/search.h"
#include "respond.h"
#include "rows.h"
#include "worker.h"

/* Bytes of export rows gathered before one write to the pipe: fewer system calls and
 * fewer, larger chunks on the wire, while a reader that stops still stalls the producer
 * within one pipe buffer of data. */
#define EXPORT_FLUSH (16u * 1024)

/* What one producer needs; it owns all of it and frees it when done. */
typedef struct {
    lzs_sd_server_t *srv;          /* borrowed: lzs_sd_server_stop() waits for every producer */
    lzs_search_req_t req;          /* its strings point into the copies below */
    char *q, *date_from, *date_to; /* copied */
    char *values[LZS_F_COUNT][LZS_SEARCH_MAX_VALUES];      /* copied */
    const char *views[LZS_F_COUNT][LZS_SEARCH_MAX_VALUES]; /* the copies, as req takes them */
    char *colls[LZS_SEARCH_MAX_VALUES];                    /* req.collections, copied */
    const char *coll_views[LZS_SEARCH_MAX_VALUES];
    lzs_sd_format_t format;
    int bom;          /* CSV with the byte order mark */
    int fd;           /* write end of the pipe; -1 when closed */
    lzs_sd_buf_t out; /* rows made but not yet written */
    size_t n;         /* rows made */
    int write_errno;  /* why a write failed (EPIPE: the client went away); 0 while none did */
} export_job_t;

/* ---- the job ------------------------------------------------------------------------ */

/* Takes one of the cfg.max_exports producer places; 0 when all are taken. */
static int place_take(lzs_sd_server_t *srv)
{
    int cur = atomic_load(&srv->exports);
    while (cur < (int)srv->cfg.max_exports) {
        if (atomic_compare_exchange_weak(&srv->exports, &cur, cur + 1))
            return 1;
    }
    return 0;
}

/* Gives a producer place back. srv may be freed as soon as the last one is. */
static void place_give(lzs_sd_server_t *srv)
{
    atomic_fetch_sub(&srv->exports, 1);
}

static void job_free(export_job_t *job)
{
    if (!job)
        return;
    free(job->q);
    free(job->date_from);
    free(job->date_to);
    for (int f = 0; f < LZS_F_COUNT; f++)
        for (size_t i = 0; i < LZS_SEARCH_MAX_VALUES; i++)
            free(job->values[f][i]);
    for (size_t i = 0; i < LZS_SEARCH_MAX_VALUES; i++)
        free(job->colls[i]);
    lzs_sd_buf_free(&job->out);
    free(job);
}

/* Ends a job that holds a producer place: closes its pipe's write end if still open,
 * frees it and gives the place back. */
static void job_end(export_job_t *job)
{
    lzs_sd_server_t *srv = job->srv;
    if (job->fd >= 0)
        close(job->fd);
    job_free(job);
    place_give(srv);
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

/* A job with deep copies of every string of p's request: the request's own values
 * belong to the HTTP library and are gone once the request ends, long before the producer
 * is done. Caller frees with job_free(); NULL when out of memory. */
static export_job_t *job_new(lzs_sd_server_t *srv, const lzs_sd_params_t *p)
{
    export_job_t *job = calloc(1, sizeof *job);
    int failed = 0;
    if (!job)
        return NULL;
    job->srv = srv;
    job->format = p->format;
    job->bom = p->bom;
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
    size_t nc =
        p->req.ncollections < LZS_SEARCH_MAX_VALUES ? p->req.ncollections : LZS_SEARCH_MAX_VALUES;
    for (size_t i = 0; i < nc; i++) {
        job->colls[i] = dup_or_null(p->req.collections[i], &failed);
        job->coll_views[i] = job->colls[i];
    }
    job->req.ncollections = nc;
    job->req.collections = job->coll_views;
    if (failed) {
        job_free(job);
        return NULL;
    }
    return job;
}

/* ---- the producer thread ---------------------------------------------------------- */

/* Writes what is gathered in job->out to the pipe, blocking while the pipe is full.
 * Returns -1 (job->write_errno set) when the read end is gone or another error. */
static int flush_rows(export_job_t *job)
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
static int on_hit(void *ud, const json_t *hit)
{
    export_job_t *job = ud;
    lzs_sd_rows_add(&job->out, job->format, hit, job->n);
    if (job->out.failed)
        return -1;
    job->n++;
    return job->out.len >= EXPORT_FLUSH ? flush_rows(job) : 0;
}

/* Runs the export on s into the pipe. Errors cannot change the status any more (it is
 * sent): the body is cut short after its last whole row, and the error logged. */
static void produce(export_job_t *job, lzs_searcher_t *s)
{
    lzs_search_error_t err;
    memset(&err, 0, sizeof err);
    err.position = -1;
    lzs_sd_rows_begin(&job->out, job->format, job->bom);
    lzs_status_t st = lzs_search_export(s, &job->req, on_hit, job, NULL, NULL, &err);
    /* A stop asked for by on_hit is not an error of the search. */
    if (st == LZS_OK && !job->write_errno && !job->out.failed) {
        lzs_sd_rows_end(&job->out, job->format, job->n);
        flush_rows(job);
    } else if (st != LZS_OK && !job->write_errno) {
        /* The rows made so far are whole: send them, then end the body early. */
        flush_rows(job);
        fprintf(stderr, "lzs-searchd: export cut short after %zu rows: %s: %s\n", job->n,
                lzs_status_str(st), err.message[0] ? err.message : "no detail");
    }
    if (job->out.failed)
        fprintf(stderr, "lzs-searchd: export cut short after %zu rows: out of memory\n", job->n);
    else if (job->write_errno && job->write_errno != EPIPE)
        fprintf(stderr, "lzs-searchd: export cut short after %zu rows: %s\n", job->n,
                strerror(job->write_errno));
}

/* The producer thread: opens a searcher of its own, runs the export into the pipe, then
 * closes the pipe (the end of the body), the searcher and the job. */
static void *producer_main(void *arg)
{
    export_job_t *job = arg;
    lzs_searcher_t *s = NULL;
    char *msg = NULL;
    sigset_t pipe_sig;

    /* A write to a pipe whose reader has gone must fail with EPIPE, not end the process,
     * whether or not the program ignores SIGPIPE (the fuzz driver runs the server too). */
    sigemptyset(&pipe_sig);
    sigaddset(&pipe_sig, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_sig, NULL);

    lzs_status_t st = lzs_sd_searcher_open(job->srv, &s, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "lzs-searchd: export cut short: the index at %s cannot be opened: %s\n",
                job->srv->cfg.index_dir, msg ? msg : lzs_status_str(st));
        free(msg);
    } else {
        produce(job, s);
    }
    /* The client sees the end of the body as soon as the write end is closed. */
    close(job->fd);
    job->fd = -1;
    lzs_searcher_close(s);
    job_end(job);
    return NULL;
}

/* Starts job's producer thread, detached. 0, or -1 when no thread can be made. */
static int producer_start(export_job_t *job)
{
    pthread_attr_t attr;
    pthread_t tid;
    if (pthread_attr_init(&attr) != 0)
        return -1;
    int ok = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
             pthread_create(&tid, &attr, producer_main, job) == 0;
    pthread_attr_destroy(&attr);
    return ok ? 0 : -1;
}

/* ---- the request ------------------------------------------------------------------ */

/* Counts the matches of an export on the worker's searcher into *total. On failure the
 * error has been answered (*res) and -1 is returned. */
static int count_matches(lzs_sd_server_t *srv, struct MHD_Connection *c, lzs_sd_request_t *rq,
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
    lzs_searcher_t *s = lzs_sd_worker_searcher(srv);
    if (!s) {
        *res = lzs_sd_respond_unavailable(c, rq);
        return -1;
    }
    memset(&err, 0, sizeof err);
    err.position = -1;
    lzs_status_t st = lzs_search_run(s, &req, &out, &err);
    if (st != LZS_OK) {
        *res = lzs_sd_respond_failure(srv, c, rq, st, &err);
        return -1;
    }
    json_int_t n = json_integer_value(json_object_get(out, "total"));
    json_decref(out);
    *total = n < 0 ? 0 : (uint32_t)n;
    return 0;
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

/* The response of a GET: the read end of a pipe whose write end is given to a new job
 * (*job), which holds a producer place. NULL when there is none: the answer is made
 * (*res: 503 busy when every place is taken or no pipe can be made). */
static struct MHD_Response *pipe_response(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                          lzs_sd_request_t *rq, export_job_t **job,
                                          enum MHD_Result *res)
{
    int fds[2];
    *job = NULL;
    if (!place_take(srv)) {
        *res = lzs_sd_respond_busy(c, rq, "too many exports are running");
        return NULL;
    }
    export_job_t *j = job_new(srv, rq->params);
    if (!j) {
        place_give(srv);
        *res = lzs_sd_respond_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                                    "out of memory");
        return NULL;
    }
    if (pipe(fds) != 0) {
        fprintf(stderr, "lzs-searchd: export: no pipe: %s\n", strerror(errno));
        job_end(j);
        *res = lzs_sd_respond_busy(c, rq, "the server is out of file descriptors");
        return NULL;
    }
    j->fd = fds[1];
    /* The response owns the read end from here: destroying it closes the pipe. */
    struct MHD_Response *r = MHD_create_response_from_pipe(fds[0]);
    if (!r) {
        close(fds[0]);
        job_end(j);
        *res = MHD_NO;
        return NULL;
    }
    *job = j;
    return r;
}

enum MHD_Result lzs_sd_route_export(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                    lzs_sd_request_t *rq)
{
    const lzs_sd_params_t *p = rq->params;
    enum MHD_Result res = MHD_NO;
    uint32_t total = 0;
    export_job_t *job = NULL;
    struct MHD_Response *r;
    if (count_matches(srv, c, rq, p, &total, &res) != 0)
        return res;
    if (strcmp(rq->method, MHD_HTTP_METHOD_HEAD) == 0) {
        r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, empty_body, NULL, NULL);
        if (!r)
            return MHD_NO;
    } else {
        r = pipe_response(srv, c, rq, &job, &res);
        if (!r)
            return res;
    }

    char count[32];
    lzs_sd_respond_headers(r, lzs_sd_rows_type(p->format));
    MHD_add_response_header(r, "Content-Disposition", lzs_sd_rows_disposition(p->format));
    snprintf(count, sizeof count, "%u", total);
    MHD_add_response_header(r, "X-Total-Count", count);
    MHD_add_response_header(r, "X-Export-Capped", total > LZS_SEARCH_EXPORT_CAP ? "true" : "false");

    if (job && producer_start(job) != 0) {
        fprintf(stderr, "lzs-searchd: export: cannot start a thread\n");
        MHD_destroy_response(r);
        job_end(job);
        return lzs_sd_respond_busy(c, rq, "no thread for the export");
    }
    /* From here the producer owns job; if queueing fails the response is destroyed, the
     * read end closes and the producer stops on EPIPE. */
    return lzs_sd_respond_queue(c, rq, MHD_HTTP_OK, r);
}
