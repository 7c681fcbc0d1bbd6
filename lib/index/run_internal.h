/* run_internal.h — what the files of one indexer run share (not part of the API): the
 * corpus files and what the index knows of them (run_scan.c), the per-file results of the
 * worker threads (run_workers.c), the writer's state (run_writer.c, run_totals.c), driven by
 * lzs_index_run() (run.c).
 *
 * Workers take files in corpus order, at most `window` files ahead of the writer, and the
 * writer consumes the results in that same order. So memory stays bounded (a window of
 * finished files) and a clean build assigns the same docids every time. */
#ifndef LZS_INDEX_RUN_INTERNAL_H
#define LZS_INDEX_RUN_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "index/index_internal.h"
#include "lzs/extract.h"

/* ---- small helpers -------------------------------------------------------- */

__attribute__((format(printf, 1, 0))) static inline char *str_vprintf(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

__attribute__((format(printf, 1, 2))) static inline char *str_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = str_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

static inline double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int flag_set(const atomic_int *flag)
{
    return flag && atomic_load(flag);
}

static inline int cancelled(const lzs_index_opts_t *o)
{
    return flag_set(o->cancel);
}

/* ---- the corpus files and what the index knows of them (run_scan.c) -------- */

typedef struct {
    char *path; /* absolute */
    uint64_t size;
    size_t rel;    /* offset in path of the part below its corpus directory */
    unsigned mode; /* st_mode of the file (of a symbolic link's target) */
} cfile_t;

typedef struct {
    cfile_t *v;
    size_t n, cap;
} cfiles_t;

typedef struct {
    char *path;
    char sha[65];
    char *doc;
    uint32_t passages;
    int alt; /* an alternate file of its document: listed, no passages */
} oldfile_t;

typedef struct {
    oldfile_t *v;
    size_t n, cap;
    lzs_status_t st;
} oldfiles_t;

/* Lists the document files of the corpus directories into fs (caller frees with
 * lzs_run_cfiles_free()), sorted by path, each once. The symbolic links not followed are
 * added to skip_paths / skip_reasons (copied). */
lzs_status_t lzs_run_scan_corpus(const char *const *dirs, size_t ndirs, int follow_all,
                                 cfiles_t *fs, lzs_strlist_t *skip_paths,
                                 lzs_strlist_t *skip_reasons, char **errmsg);
void lzs_run_cfiles_free(cfiles_t *fs);
/* The file of fs with this path, or NULL. Borrowed: valid until fs is freed. */
cfile_t *lzs_run_find_cfile(const cfiles_t *fs, const char *path);
/* 1 when the real path real lies inside the real directory root (or is root). */
int lzs_run_path_inside(const char *real, const char *root);

/* Reads the file list of the index (metadata "lzs:file:<path>") into o, sorted by path
 * (caller frees with lzs_run_oldfiles_free()). */
lzs_status_t lzs_run_load_oldfiles(lzs_xdb_t *db, oldfiles_t *o, char **errmsg);
void lzs_run_oldfiles_free(oldfiles_t *o);
/* The entry of o with this path, or NULL. Borrowed: valid until o is freed. */
oldfile_t *lzs_run_find_oldfile(const oldfiles_t *o, const char *path);

/* ---- per-file work on worker threads (run_workers.c) ----------------------- */

typedef enum { RES_UNCHANGED, RES_SKIPPED, RES_DOC, RES_FATAL } res_kind_t;

typedef struct result {
    res_kind_t kind;
    char *reason; /* RES_SKIPPED, RES_FATAL */
    char sha[65];
    char *doc_id;
    char *source; /* the file's path below its corpus directory */
    char lang[8];
    lzs_xdoc_t **xdocs;
    size_t nxdocs;
    lzs_wordcount_t *spell;
    struct result *next_junk; /* in shared_t.junk once written */
} result_t;

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    const cfiles_t *files;
    result_t **results; /* one per file, filled by workers, taken by the writer */
    size_t next_take, next_write, window;
    int stop;
    const lzs_extractor_t *ex;
    const lzs_phrases_t *phrases;
    const oldfiles_t *old;
    int rebuild;
    int follow_all;           /* opts->follow_symlinks */
    const atomic_int *cancel; /* opts->cancel: workers stop taking files */
    result_t oom;             /* handed over when a result cannot even be allocated */
    /* Results the writer is done with. Workers free them: tearing down thousands of Xapian
     * documents is work the single writer thread, the bottleneck of a run, should not do. */
    result_t *junk;
} shared_t;

typedef struct {
    shared_t *S;
    lzs_text_t *text;
    pthread_t tid;
    int started;
} worker_t;

/* Reads, hashes and extracts one file, with w's own text pipeline: the result (caller
 * frees with lzs_run_result_free()), or NULL when out of memory. */
result_t *lzs_run_process_file(worker_t *w, const cfile_t *f);
/* Frees r and what it holds; r may be NULL. */
void lzs_run_result_free(result_t *r);

/* ---- the writer (run_writer.c, run_totals.c) ------------------------------- */

typedef struct {
    const lzs_index_opts_t *opts;
    lzs_xdb_t *db;
    lzs_text_t *text; /* the writer's own pipeline (synonym keys) */
    const lzs_extractor_t *ex;
    lzs_phrases_t *phrases; /* the phrase terms passages get (lzs_phrases_build) */
    /* LZS_META_PHRASES before the run (NULL: absent), and whether the index held passages:
     * what the run may list afterwards (lzs_run_write_run_metadata) */
    char *phrases_before;
    int had_passages;
    cfiles_t files;
    oldfiles_t old;
    lzs_wordcount_t *spell;   /* spelling words not yet written */
    lzs_wordcount_t *unspell; /* spelling words of deleted passages, not yet taken off */
    lzs_wordcount_t *claims;  /* document id -> owner (see claim_owner()) */
    lzs_strlist_t lost;       /* documents whose file giving the passages went this run */
    lzs_index_summary_t *sum;
    lzs_strlist_t skip_paths, skip_reasons;
    lzs_indexdir_t dir; /* what the run found and made at the index path */
    int fresh;          /* nothing was ever committed to the index: a failure removes it */
    double t0, last_progress;
    uint64_t bytes_done;
    uint32_t passages_written;
    char **errmsg;
} run_t;

/* Runs the workers over R->files and writes their results in corpus order, on the calling
 * thread (run_workers.c). */
lzs_status_t lzs_run_index_files(run_t *R);

/* Sets R's message to what failed and why (the database's message): the status to
 * return. */
lzs_status_t lzs_run_db_fail(run_t *R, lzs_status_t st, const char *what);
/* Writes the result r of file idx of R->files (r stays the caller's). */
lzs_status_t lzs_run_write_result(run_t *R, size_t idx, result_t *r);
/* Removes the documents of the files that are gone from the corpus (or all, to
 * rebuild). */
lzs_status_t lzs_run_remove_gone(run_t *R);
/* The stored entry of a file (caller frees *out with json_decref()); *out NULL when the
 * index has none. */
lzs_status_t lzs_run_read_entry(run_t *R, const char *path, json_t **out);
/* Records that path (copied) was skipped and why (copied). */
lzs_status_t lzs_run_note_skip(run_t *R, const char *path, const char *reason);
/* Calls the progress callback for done files, at most every so often unless final. */
void lzs_run_report_progress(run_t *R, size_t done, int final);
/* Writes the spelling words counted so far to the spelling table. */
lzs_status_t lzs_run_flush_spelling(run_t *R);
/* Writes the synonym table from the domain data. */
lzs_status_t lzs_run_write_synonyms(run_t *R);
/* Fills the totals of R->sum from the index (run_totals.c). */
lzs_status_t lzs_run_compute_totals(run_t *R);
/* Writes the schema version and what this run did into the index's metadata
 * (run_totals.c). */
lzs_status_t lzs_run_write_run_metadata(run_t *R);

/* ---- the shards (run_shards.c) --------------------------------------------- */

/* Refuses, before anything is written, a number of shards other than the index's (without
 * o->rebuild) or above LZS_INDEX_MAX_SHARDS: LZS_ERR_INVALID with *errmsg saying why. */
lzs_status_t lzs_run_check_shards(const lzs_index_opts_t *o, char **errmsg);
/* The number of shards this run writes: o->shards, or the index's when 0. */
unsigned lzs_run_shard_count(const lzs_index_opts_t *o);
/* After the commit (the index's lock still held): splits the committed index into n
 * shards of a new generation, written on n threads, and publishes them by renaming the
 * stub; n == 1 removes the shards. On failure the generation published before stays and
 * *errmsg (caller frees) says what failed. */
lzs_status_t lzs_run_write_shards(const lzs_index_opts_t *o, unsigned n, char **errmsg);

#endif
