/* worker.c — each pool thread's own searcher, kept at the latest revision (see worker.h). */
#include "worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "metrics.h"
#include "stub.h"

/* Which file a Xapian stub is, and which state of it: a replica's stub (written by
 * xapian-replicate) is replaced when a full copy lands in a new directory. */
typedef struct {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    int exists;
} stub_stamp_t;

/* Per pool thread: its own searcher and the revision it last saw. */
typedef struct {
    lzs_searcher_t *searcher;
    uint64_t revision;
    int seen;    /* revision is meaningful */
    int failing; /* the last open failed (logged once until it works again) */
    stub_stamp_t stub[LZS_SD_MAX_INDEXES]; /* each index's stub when the searcher was opened */
    int64_t committed;                     /* LZS_META_COMMITTED of revision (0: unknown) */
    int fresh;                             /* the searcher was just opened: read committed again */
} worker_t;

/* The stamp of the stub through which Xapian opens index: index itself when it is a file
 * (a stub named directly), else index/XAPIANDB (a replica's directory); exists 0 when
 * there is none (a plain database directory). */
static void stub_stamp(const char *index, stub_stamp_t *out)
{
    struct stat sb;
    memset(out, 0, sizeof *out);
    if (stat(index, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        char path[4096];
        int n = snprintf(path, sizeof path, "%s/XAPIANDB", index);
        if (n < 0 || (size_t)n >= sizeof path || stat(path, &sb) != 0)
            return;
    }
    out->dev = sb.st_dev;
    out->ino = sb.st_ino;
    out->size = sb.st_size;
    out->mtime = sb.st_mtim;
    out->exists = 1;
}

static int stub_same(const stub_stamp_t *a, const stub_stamp_t *b)
{
    return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static void worker_free(void *p)
{
    worker_t *w = p;
    if (!w)
        return;
    lzs_searcher_close(w->searcher);
    free(w);
}

lzs_status_t lzs_sd_worker_key_create(pthread_key_t *key)
{
    return pthread_key_create(key, worker_free) == 0 ? LZS_OK : LZS_ERR_NOMEM;
}

lzs_status_t lzs_sd_searcher_open(const lzs_sd_server_t *srv, lzs_searcher_t **out, char **msg)
{
    const lzs_sd_config_t *cfg = &srv->cfg;
    size_t n = cfg->nindex > 0 ? cfg->nindex : 1;
    const char *const *dirs = cfg->nindex > 0 ? cfg->index_dirs : &cfg->index_dir;
    for (size_t i = 0; i < n; i++) {
        lzs_status_t st = lzs_sd_stub_check(dirs[i], msg);
        if (st != LZS_OK) {
            *out = NULL;
            return st;
        }
        free(*msg);
        *msg = NULL;
    }
    lzs_status_t st = lzs_searcher_open_named(dirs, cfg->nindex > 0 ? cfg->index_names : NULL, n,
                                              cfg->ex, out, msg);
    if (st == LZS_OK) {
        lzs_searcher_set_pool(*out, srv->pool);
        lzs_searcher_set_max_postings(*out, cfg->max_postings);
        lzs_searcher_set_parallel(*out, cfg->parallel_postings);
        if (cfg->max_expansion != 0)
            lzs_searcher_set_max_expansion(*out, cfg->max_expansion);
    }
    return st;
}

/* The calling thread's worker_t, made on its first request; NULL when out of memory. */
static worker_t *this_worker(lzs_sd_server_t *srv)
{
    worker_t *w = pthread_getspecific(srv->key);
    if (w)
        return w;
    w = calloc(1, sizeof *w);
    if (!w || pthread_setspecific(srv->key, w) != 0) {
        free(w);
        fprintf(stderr, "lzs-searchd: out of memory for a worker\n");
        return NULL;
    }
    return w;
}

/* Gives w a searcher at the latest revision: the one it has, moved on, or a new one when
 * it has none or its own cannot be moved. 0, or -1 when the index cannot be opened (why is
 * logged when it first fails; that it works again, when it does). */
static int worker_open(lzs_sd_server_t *srv, worker_t *w)
{
    /* reopen() stays on the directory a stub named at open; after a full copy the stub
     * names another one (and the old one is removed), so only a new open follows it. The
     * stamp is taken before the open: a stub replaced in between is seen next time. */
    stub_stamp_t now[LZS_SD_MAX_INDEXES];
    size_t n = srv->cfg.nindex > 0 ? srv->cfg.nindex : 1;
    int same = 1;
    if (n > LZS_SD_MAX_INDEXES)
        n = LZS_SD_MAX_INDEXES; /* main.c takes no more */
    for (size_t i = 0; i < n; i++) {
        stub_stamp(srv->cfg.nindex > 0 ? srv->cfg.index_dirs[i] : srv->cfg.index_dir, &now[i]);
        same = same && stub_same(&now[i], &w->stub[i]);
    }
    if (w->searcher && !same) {
        lzs_searcher_close(w->searcher);
        w->searcher = NULL;
    }
    if (w->searcher && lzs_searcher_reopen(w->searcher) != LZS_OK) {
        lzs_searcher_close(w->searcher);
        w->searcher = NULL;
    }
    if (w->searcher)
        return 0;
    char *msg = NULL;
    lzs_status_t st = lzs_sd_searcher_open(srv, &w->searcher, &msg);
    if (st != LZS_OK) {
        if (!w->failing)
            fprintf(stderr, "lzs-searchd: the index at %s cannot be opened: %s\n",
                    srv->cfg.index_dir, msg ? msg : lzs_status_str(st));
        w->failing = 1;
        free(msg);
        w->searcher = NULL;
        return -1;
    }
    if (w->failing)
        fprintf(stderr, "lzs-searchd: index %s opened\n", srv->cfg.index_dir);
    w->failing = 0;
    memcpy(w->stub, now, n * sizeof now[0]);
    w->fresh = 1;
    return 0;
}

lzs_searcher_t *lzs_sd_worker_searcher(lzs_sd_server_t *srv)
{
    worker_t *w = this_worker(srv);
    if (!w || worker_open(srv, w) != 0)
        return NULL;
    uint32_t docs = 0;
    uint64_t rev = 0;
    if (lzs_searcher_stats(w->searcher, &docs, &rev) == LZS_OK) {
        if (w->seen && rev != w->revision)
            lzs_sd_metrics_reopened();
        if (!w->seen || rev != w->revision || w->fresh) {
            if (lzs_searcher_committed(w->searcher, &w->committed) != LZS_OK)
                w->committed = 0;
        }
        w->revision = rev;
        w->seen = 1;
        w->fresh = 0;
        lzs_sd_metrics_index(docs, rev);
        lzs_sd_metrics_committed(w->committed);
    }
    return w->searcher;
}

void lzs_sd_worker_reset(lzs_sd_server_t *srv)
{
    worker_t *w = pthread_getspecific(srv->key);
    if (w) {
        lzs_searcher_close(w->searcher);
        w->searcher = NULL;
    }
}
