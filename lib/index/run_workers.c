/* run_workers.c — the worker threads of an indexer run: each reads, hashes and extracts
 * files in corpus order, at most a window ahead of the writer, which takes their results
 * in that order (run_internal.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index/run_internal.h"
#include "lzs/extract.h"
#include "lzs/file.h"

/* ---- per-file work (worker threads) --------------------------------------- */

void lzs_run_result_free(result_t *r)
{
    if (!r)
        return;
    free(r->reason);
    free(r->doc_id);
    free(r->source);
    for (size_t i = 0; i < r->nxdocs; i++)
        lzs_xdoc_destroy(r->xdocs[i]);
    free(r->xdocs);
    lzs_wordcount_destroy(r->spell);
    free(r);
}

static result_t *skip_result(result_t *r, char *reason)
{
    r->kind = reason ? RES_SKIPPED : RES_FATAL;
    r->reason = reason;
    return r;
}

static void strip_name(char *msg, const char *path)
{
    /* Messages are printed after the path: drop a leading "path: " the extractor may add. */
    size_t pl = strlen(path);
    if (strncmp(msg, path, pl) == 0 && msg[pl] == ':' && msg[pl + 1] == ' ')
        memmove(msg, msg + pl + 2, strlen(msg + pl + 2) + 1);
}

/* A sidecar that is a symbolic link out of the corpus directory of f: its reason for
 * skipping f (caller frees), else NULL with *oom 0. */
static char *sidecar_link_out(const cfile_t *f, const char *sp, int *oom)
{
    *oom = 0;
    struct stat sb;
    if (lstat(sp, &sb) != 0 || !S_ISLNK(sb.st_mode))
        return NULL;
    /* f->path is its corpus directory's real path, then the part below it. */
    char *root = f->rel > 1 ? strndup(f->path, f->rel - 1) : strdup("/");
    char *real = realpath(sp, NULL);
    char *reason = NULL;
    if (root && (!real || !lzs_run_path_inside(real, root))) {
        reason = str_printf("sidecar %s is a symbolic link to %s, outside the corpus "
                            "directory: not followed (--follow-symlinks follows it)",
                            sp, real ? real : "a path that cannot be resolved");
        *oom = reason == NULL;
    }
    *oom |= root == NULL;
    free(root);
    free(real);
    return reason;
}

/* Reads the file f and its sidecar into *buf and *side (caller frees both; *side NULL
 * when there is none): NULL, or r skipped with the reason (NULL reason: out of memory). */
static result_t *read_inputs(const shared_t *S, const cfile_t *f, result_t *r, char **buf,
                             size_t *len, char **side, size_t *sidelen)
{
    *buf = *side = NULL;
    *len = *sidelen = 0;
    if (strlen(f->path) > LZS_INDEX_MAX_PATH)
        return skip_result(r, str_printf("path too long for the index (%zu bytes; at most %d)",
                                         strlen(f->path), LZS_INDEX_MAX_PATH));
    /* The words of lzs_file_read(), which refuses such a file too if it appeared since. */
    if (!S_ISREG(f->mode))
        return skip_result(r, str_printf("not a regular file (%s)", lzs_file_kind(f->mode)));
    char *msg = NULL;
    lzs_status_t rst = lzs_file_read(-1, f->path, lzs_extract_max_size(f->path), buf, len, &msg);
    if (rst == LZS_ERR_NOMEM || (rst != LZS_OK && !msg)) {
        free(msg);
        return skip_result(r, NULL);
    }
    if (rst != LZS_OK) {
        strip_name(msg, f->path);
        return skip_result(r, msg);
    }
    char *sp = lzs_extract_sidecar_path(f->path);
    int oom = 0;
    char *out = sp && !S->follow_all ? sidecar_link_out(f, sp, &oom) : NULL;
    if (!sp || oom || out) {
        free(*buf);
        *buf = NULL;
        free(sp);
        return skip_result(r, out);
    }
    /* The sidecar's message names it: "PATH: not a regular file (FIFO)". */
    rst = lzs_file_read(-1, sp, LZS_EXTRACT_MAX_SIDECAR, side, sidelen, &msg);
    free(sp);
    if (rst != LZS_OK && rst != LZS_ERR_NOT_FOUND) {
        free(*buf);
        *buf = NULL;
        if (rst == LZS_ERR_NOMEM || !msg) {
            free(msg);
            return skip_result(r, NULL);
        }
        char *reason = str_printf("sidecar %s", msg);
        free(msg);
        return skip_result(r, reason);
    }
    free(msg);
    return NULL;
}

/* The content hash of a file and its sidecar (side may be NULL), in hex. The sidecar is
 * part of the content: editing it re-indexes the document. */
static void content_hash(const char *buf, size_t len, const char *side, size_t sidelen,
                         char sha[65])
{
    lzs_sha256_t h;
    unsigned char dig[32];
    lzs_sha256_init(&h);
    lzs_sha256_update(&h, buf, len);
    if (side) {
        lzs_sha256_update(&h, "\0sidecar\0", 9);
        lzs_sha256_update(&h, side, sidelen);
    }
    lzs_sha256_final(&h, dig);
    lzs_sha256_hex(dig, sha);
}

/* Extracts the document of f from buf and side (both freed here) and builds the Xapian
 * documents of its passages into r: r, as a document or skipped. */
static result_t *build_document(worker_t *w, const cfile_t *f, result_t *r, char *buf, size_t len,
                                char *side)
{
    shared_t *S = w->S;
    lzs_document_t *doc = NULL;
    char *err = NULL;
    lzs_status_t st = lzs_extract_buffer(S->ex, f->path, buf, len, side, &doc, &err);
    free(buf);
    free(side);
    if (st != LZS_OK) {
        if (st == LZS_ERR_NOMEM) {
            free(err);
            return skip_result(r, NULL);
        }
        if (!err)
            err = strdup(lzs_status_str(st));
        if (err)
            strip_name(err, f->path);
        return skip_result(r, err);
    }
    /* The stored source names the file below its corpus directory, not where the server
     * keeps it; the index finds a file's passages by the absolute path (the XF: term). */
    free(doc->source);
    doc->source = strdup(f->path + f->rel);
    r->doc_id = doc->id ? strdup(doc->id) : NULL;
    r->source = strdup(f->path + f->rel);
    r->xdocs = calloc(doc->npassages ? doc->npassages : 1, sizeof *r->xdocs);
    st = (doc->source && r->doc_id && r->source && r->xdocs) ? lzs_wordcount_create(&r->spell)
                                                             : LZS_ERR_NOMEM;
    memcpy(r->lang, doc->lang, sizeof r->lang);
    r->lang[sizeof r->lang - 1] = '\0';
    for (size_t i = 0; st == LZS_OK && i < doc->npassages; i++) {
        if (flag_set(S->cancel)) {
            st = LZS_ERR_CANCELLED; /* the writer drops this result unread */
            break;
        }
        st = lzs_index_build_passage(w->text, doc, &doc->passages[i], f->path, r->spell,
                                     S->phrases, &r->xdocs[i], &err);
        if (st == LZS_OK)
            r->nxdocs++;
    }
    lzs_document_free(doc);
    if (st == LZS_ERR_NOMEM || st == LZS_ERR_CANCELLED) {
        free(err);
        return skip_result(r, NULL);
    }
    if (st != LZS_OK)
        return skip_result(r, err ? err : strdup(lzs_status_str(st)));
    r->kind = RES_DOC;
    return r;
}

result_t *lzs_run_process_file(worker_t *w, const cfile_t *f)
{
    shared_t *S = w->S;
    result_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    char *buf, *side;
    size_t len, sidelen;
    result_t *skipped = read_inputs(S, f, r, &buf, &len, &side, &sidelen);
    if (skipped)
        return skipped;
    content_hash(buf, len, side, sidelen, r->sha);
    const oldfile_t *old = S->rebuild ? NULL : lzs_run_find_oldfile(S->old, f->path);
    if (old && strcmp(old->sha, r->sha) == 0) {
        free(buf);
        free(side);
        r->kind = RES_UNCHANGED;
        return r;
    }
    return build_document(w, f, r, buf, len, side);
}

static void free_junk(result_t *r)
{
    while (r) {
        result_t *next = r->next_junk;
        lzs_run_result_free(r);
        r = next;
    }
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    shared_t *S = w->S;
    for (;;) {
        pthread_mutex_lock(&S->mu);
        while (!S->stop && S->next_take < S->files->n && S->next_take >= S->next_write + S->window)
            pthread_cond_wait(&S->cv_work, &S->mu);
        result_t *junk = S->junk;
        S->junk = NULL;
        if (S->stop || S->next_take >= S->files->n || flag_set(S->cancel)) {
            pthread_mutex_unlock(&S->mu);
            free_junk(junk);
            break;
        }
        size_t i = S->next_take++;
        pthread_mutex_unlock(&S->mu);
        free_junk(junk);

        result_t *r = lzs_run_process_file(w, &S->files->v[i]);

        pthread_mutex_lock(&S->mu);
        S->results[i] = r ? r : &S->oom;
        pthread_cond_broadcast(&S->cv_done);
        pthread_mutex_unlock(&S->mu);
    }
    return NULL;
}

/* Prepares the shared state of a run's workers: 0, or -1 when out of memory. */
static int pool_init(run_t *R, shared_t *S, size_t nw)
{
    S->results = calloc(R->files.n ? R->files.n : 1, sizeof *S->results);
    if (!S->results)
        return -1;
    pthread_mutex_init(&S->mu, NULL);
    pthread_cond_init(&S->cv_work, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&S->cv_done, &ca);
    pthread_condattr_destroy(&ca);
    S->files = &R->files;
    S->window = 4 * nw + 4;
    S->ex = R->ex;
    S->phrases = R->phrases;
    S->old = &R->old;
    S->rebuild = R->opts->rebuild;
    S->follow_all = R->opts->follow_symlinks;
    S->cancel = R->opts->cancel;
    S->oom.kind = RES_FATAL;
    return 0;
}

/* Starts nw workers, each with its own clone of the writer's text pipeline. */
static lzs_status_t pool_start(run_t *R, shared_t *S, worker_t *ws, size_t nw)
{
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; st == LZS_OK && i < nw; i++) {
        ws[i].S = S;
        st = lzs_text_clone(R->text, &ws[i].text);
        if (st == LZS_OK && pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]) != 0)
            st = LZS_ERR_NOMEM;
        ws[i].started = st == LZS_OK;
    }
    if (st != LZS_OK)
        lzs_set_errmsg(R->errmsg, "cannot start worker threads: %s", lzs_status_str(st));
    return st;
}

/* Waits for the result of file i (reporting progress meanwhile) and takes it, letting the
 * workers move the window on: the result (S->oom when none could be allocated), or NULL
 * when the run was cancelled first. */
static result_t *take_result(run_t *R, shared_t *S, size_t i)
{
    pthread_mutex_lock(&S->mu);
    while (!S->results[i] && !cancelled(R->opts)) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += 100 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&S->cv_done, &S->mu, &ts);
        pthread_mutex_unlock(&S->mu);
        lzs_run_report_progress(R, i, 0);
        pthread_mutex_lock(&S->mu);
    }
    result_t *r = S->results[i];
    S->results[i] = NULL;
    S->next_write = i + 1;
    pthread_cond_broadcast(&S->cv_work);
    pthread_mutex_unlock(&S->mu);
    return r;
}

/* Hands a written result to the workers, who free it. */
static void give_back(shared_t *S, result_t *r)
{
    if (r == &S->oom)
        return;
    pthread_mutex_lock(&S->mu);
    r->next_junk = S->junk;
    S->junk = r;
    pthread_mutex_unlock(&S->mu);
}

/* Stops and joins the workers and frees what the pool holds. */
static void pool_stop(shared_t *S, worker_t *ws, size_t nw, size_t nfiles)
{
    pthread_mutex_lock(&S->mu);
    S->stop = 1;
    pthread_cond_broadcast(&S->cv_work);
    pthread_mutex_unlock(&S->mu);
    for (size_t i = 0; i < nw; i++) {
        if (ws[i].started)
            pthread_join(ws[i].tid, NULL);
        lzs_text_destroy(ws[i].text);
    }
    for (size_t i = 0; i < nfiles; i++) {
        if (S->results[i] != &S->oom)
            lzs_run_result_free(S->results[i]);
    }
    free_junk(S->junk);
    free(S->results);
    pthread_cond_destroy(&S->cv_work);
    pthread_cond_destroy(&S->cv_done);
    pthread_mutex_destroy(&S->mu);
}

lzs_status_t lzs_run_index_files(run_t *R)
{
    size_t nw = R->sum->jobs;
    shared_t S = {0};
    worker_t *ws = calloc(nw, sizeof *ws);
    if (!ws || pool_init(R, &S, nw) != 0) {
        free(ws);
        return LZS_ERR_NOMEM;
    }
    lzs_status_t st = pool_start(R, &S, ws, nw);
    for (size_t i = 0; st == LZS_OK && i < R->files.n; i++) {
        result_t *r = take_result(R, &S, i);
        if (cancelled(R->opts)) {
            if (r != &S.oom)
                lzs_run_result_free(r);
            lzs_set_errmsg(R->errmsg, "interrupted: nothing of this run was committed");
            st = LZS_ERR_CANCELLED;
            break;
        }
        R->bytes_done += R->files.v[i].size;
        st = lzs_run_write_result(R, i, r);
        give_back(&S, r);
        lzs_run_report_progress(R, i + 1, 0);
    }
    pool_stop(&S, ws, nw, R->files.n);
    free(ws);
    return st;
}
