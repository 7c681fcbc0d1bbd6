/* run.c — one indexer run: scan the corpus, hash, extract and tokenize on worker threads,
 * write everything through one Xapian transaction on the calling thread. Here the
 * orchestration: opening the index, the order of the steps, what the summary says; the
 * steps are in run_scan.c, run_workers.c, run_writer.c and run_totals.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "index/run_internal.h"
#include "lzs/extract.h"
#include "lzs/file.h"
#include "core/json_internal.h"
#include "lzs/schema.h"

/* ---- opening ---------------------------------------------------------------- */

/* Opens the index for writing, taking its lock (waiting for it with opts->wait). The
 * directory is checked (and a new one made) first, on every attempt: while this run
 * waited, another may have made or removed it. */
static lzs_status_t open_index(run_t *R)
{
    const lzs_index_opts_t *o = R->opts;
    int told = 0;
    for (;;) {
        lzs_status_t st = lzs_indexdir_prepare(o->index_dir, &R->dir, R->errmsg);
        if (st != LZS_OK) {
            lzs_indexdir_undo(o->index_dir, &R->dir);
            return st;
        }
        char *msg = NULL;
        st = lzs_xdb_open_writable(o->index_dir, LZS_XDB_CREATE_OR_OPEN, &R->db, &msg);
        if (st == LZS_ERR_NOT_FOUND && lzs_indexdir_uncommitted_only(o->index_dir)) {
            /* A first run was killed before it committed anything: start that run again. */
            free(msg);
            msg = NULL;
            st = lzs_xdb_open_writable(o->index_dir, LZS_XDB_OVERWRITE, &R->db, &msg);
        }
        if (st != LZS_OK && o->rebuild && st != LZS_ERR_LOCKED && st != LZS_ERR_NOMEM) {
            /* A damaged index cannot be opened to be cleared: start from nothing. */
            free(msg);
            msg = NULL;
            st = lzs_xdb_open_writable(o->index_dir, LZS_XDB_OVERWRITE, &R->db, &msg);
        }
        if (st == LZS_OK) {
            free(msg);
            return LZS_OK;
        }
        if (st == LZS_ERR_LOCKED && o->wait && !cancelled(o)) {
            free(msg);
            if (!told && o->on_wait)
                o->on_wait(o->wait_ud, o->index_dir);
            told = 1;
            struct timespec ts = {0, 200 * 1000 * 1000};
            nanosleep(&ts, NULL);
            continue;
        }
        if (st == LZS_ERR_LOCKED && o->wait && cancelled(o))
            lzs_set_errmsg(R->errmsg, "interrupted while waiting for the index lock");
        else if (st == LZS_ERR_LOCKED)
            lzs_set_errmsg(R->errmsg, "index is locked by another indexer (%s)", o->index_dir);
        else
            lzs_set_errmsg(R->errmsg, "cannot open index %s: %s", o->index_dir,
                           msg ? msg : lzs_status_str(st));
        free(msg);
        if (st != LZS_ERR_LOCKED)
            lzs_indexdir_undo(o->index_dir, &R->dir);
        return st == LZS_ERR_LOCKED && o->wait && cancelled(o) ? LZS_ERR_CANCELLED : st;
    }
}

static lzs_status_t check_schema(run_t *R)
{
    char *v = NULL;
    size_t len = 0;
    lzs_status_t st = lzs_xdb_metadata_get(R->db, LZS_META_SCHEMA, &v, &len);
    if (st == LZS_OK) {
        int same = strcmp(v, LZS_SCHEMA_VERSION) == 0;
        if (!same && !R->opts->rebuild) {
            lzs_set_errmsg(R->errmsg,
                           "index %s has schema version %s but this indexer writes version %s: "
                           "run again with --rebuild",
                           R->opts->index_dir, v, LZS_SCHEMA_VERSION);
            free(v);
            return LZS_ERR_SCHEMA;
        }
        free(v);
        return LZS_OK;
    }
    if (st != LZS_ERR_NOT_FOUND)
        return lzs_run_db_fail(R, st, "reading the schema version");
    uint32_t n = 0;
    st = lzs_xdb_doccount(R->db, &n);
    if (st != LZS_OK)
        return lzs_run_db_fail(R, st, "reading the index");
    /* Every run that committed wrote the schema version: read under the lock, this says
     * that no run ever committed here, so a failure of this one may remove it all. */
    R->fresh = n == 0;
    if (n > 0 && !R->opts->rebuild) {
        lzs_set_errmsg(R->errmsg,
                       "%s holds a Xapian database without a lanzasearch schema version: "
                       "run again with --rebuild to replace it",
                       R->opts->index_dir);
        return LZS_ERR_SCHEMA;
    }
    return LZS_OK;
}

/* ---- the run ---------------------------------------------------------------- */

void lzs_index_opts_init(lzs_index_opts_t *opts)
{
    memset(opts, 0, sizeof *opts);
}

static unsigned default_jobs(unsigned jobs)
{
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (unsigned)n : 1;
    }
    return jobs > LZS_INDEX_MAX_JOBS ? LZS_INDEX_MAX_JOBS : jobs;
}

static int cmp_skip(const void *a, const void *b)
{
    return strcmp(((const lzs_index_skip_t *)a)->path, ((const lzs_index_skip_t *)b)->path);
}

static lzs_status_t finish_skips(run_t *R)
{
    lzs_index_summary_t *s = R->sum;
    s->nskipped = R->skip_paths.n;
    if (s->nskipped == 0)
        return LZS_OK;
    s->skipped = calloc(s->nskipped, sizeof *s->skipped);
    if (!s->skipped) {
        s->nskipped = 0;
        return LZS_ERR_NOMEM;
    }
    for (size_t i = 0; i < s->nskipped; i++) {
        s->skipped[i].path = R->skip_paths.items[i];
        s->skipped[i].reason = R->skip_reasons.items[i];
        R->skip_paths.items[i] = NULL;
        R->skip_reasons.items[i] = NULL;
    }
    /* Links were named during the scan, files while written: the summary is in path
     * order. */
    qsort(s->skipped, s->nskipped, sizeof *s->skipped, cmp_skip);
    return LZS_OK;
}

/* Refuses a run that would remove more than half of the indexed files: what a wrong
 * corpus path or a volume not mounted looks like. Checked before anything is written. */
static lzs_status_t check_mass_delete(run_t *R, const char *const *dirs, size_t ndirs)
{
    size_t total = R->old.n, present = 0;
    for (size_t i = 0; i < total; i++)
        if (lzs_run_find_cfile(&R->files, R->old.v[i].path))
            present++;
    size_t gone = total - present;
    if (R->opts->allow_mass_delete || gone * 2 <= total)
        return LZS_OK;
    char where[600] = "";
    for (size_t i = 0; i < ndirs && i < 3; i++) {
        size_t l = strlen(where);
        snprintf(where + l, sizeof where - l, "%s%s", i ? ", " : "", dirs[i]);
    }
    if (ndirs > 3)
        strncat(where, ", ...", sizeof where - strlen(where) - 1);
    lzs_set_errmsg(R->errmsg,
                   "this run would remove %zu of the %zu indexed documents, more than half: "
                   "the corpus director%s %s ha%s %zu of the %zu indexed files (a wrong "
                   "path, or a volume that is not mounted?). Nothing was changed; if the "
                   "documents are really gone, run again with --allow-mass-delete",
                   gone, total, ndirs == 1 ? "y" : "ies", where, ndirs == 1 ? "s" : "ve", present,
                   total);
    return LZS_ERR_LIMIT;
}

/* A file of a document that lost its owner, read again to give the passages. */
typedef struct {
    const char *doc;
    char *best; /* path of the best-read alternate so far */
    int rank;
    lzs_status_t st;
    run_t *R;
    lzs_strlist_t tried;
} candidate_t;

static int consider_alternate(void *ud, const char *key, size_t keylen)
{
    candidate_t *c = ud;
    size_t pl = strlen(LZS_META_FILE_PREFIX);
    char *path = strndup(key + pl, keylen - pl);
    if (!path) {
        c->st = LZS_ERR_NOMEM;
        return 1;
    }
    json_t *e = NULL;
    lzs_status_t st = lzs_run_read_entry(c->R, path, &e);
    const char *doc = json_string_value(json_object_get(e, "doc"));
    int rank = lzs_extract_format_rank(path);
    if (st == LZS_OK && e && json_is_true(json_object_get(e, "alt")) && doc &&
        strcmp(doc, c->doc) == 0 && lzs_run_find_cfile(&c->R->files, path) &&
        !lzs_strlist_contains(&c->tried, path) &&
        (!c->best || rank < c->rank || (rank == c->rank && strcmp(path, c->best) < 0))) {
        free(c->best);
        c->best = path;
        c->rank = rank;
        path = NULL;
    }
    json_decref(e);
    free(path);
    c->st = st;
    return st != LZS_OK;
}

/* Every document that lost the file giving its passages and has none now gets them from
 * its best-read other file, read again here. */
static lzs_status_t promote_alternates(run_t *R)
{
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; st == LZS_OK && i < R->lost.n; i++) {
        const char *doc = R->lost.items[i];
        candidate_t c = {.doc = doc, .R = R};
        while (st == LZS_OK && lzs_wordcount_get(R->claims, doc) == 0) {
            c.best = NULL;
            st = lzs_xdb_metadata_keys(R->db, LZS_META_FILE_PREFIX, consider_alternate, &c);
            if (st == LZS_OK)
                st = c.st;
            if (st != LZS_OK || !c.best)
                break;
            st = lzs_strlist_push(&c.tried, c.best);
            cfile_t *f = lzs_run_find_cfile(&R->files, c.best);
            shared_t S = {.ex = R->ex,
                          .old = &R->old,
                          .rebuild = 1,
                          .follow_all = R->opts->follow_symlinks,
                          .cancel = R->opts->cancel};
            worker_t w = {.S = &S, .text = R->text};
            result_t *r = st == LZS_OK ? lzs_run_process_file(&w, f) : NULL;
            if (st == LZS_OK && !r)
                st = LZS_ERR_NOMEM;
            if (st == LZS_OK)
                st = lzs_run_write_result(R, (size_t)(f - R->files.v), r);
            lzs_run_result_free(r);
            free(c.best);
        }
        lzs_strlist_clear(&c.tried);
    }
    return st;
}

/* What the index says of its phrase terms before the run (lzs_run_write_run_metadata). */
static lzs_status_t read_phrases_before(run_t *R)
{
    uint32_t n = 0;
    lzs_status_t st = lzs_xdb_doccount(R->db, &n);
    R->had_passages = n > 0;
    size_t len = 0;
    if (st == LZS_OK)
        st = lzs_xdb_metadata_get(R->db, LZS_META_PHRASES, &R->phrases_before, &len);
    if (st == LZS_ERR_NOT_FOUND)
        st = LZS_OK;
    return st == LZS_OK ? st : lzs_run_db_fail(R, st, "reading the phrase list");
}

static lzs_status_t run_locked(run_t *R, const char *const *dirs, size_t ndirs)
{
    lzs_status_t st = check_schema(R);
    if (st == LZS_OK)
        st = lzs_run_check_shards(R->opts, R->errmsg);
    if (st == LZS_OK)
        st = lzs_run_load_oldfiles(R->db, &R->old, R->errmsg);
    if (st == LZS_OK)
        st = check_mass_delete(R, dirs, ndirs);
    if (st == LZS_OK)
        st = read_phrases_before(R);
    if (st != LZS_OK)
        return st;
    st = lzs_xdb_begin_transaction(R->db, 1);
    if (st != LZS_OK)
        return lzs_run_db_fail(R, st, "starting a transaction");
    st = lzs_run_remove_gone(R);
    if (st == LZS_OK)
        st = lzs_run_index_files(R);
    if (st == LZS_OK && cancelled(R->opts)) {
        lzs_set_errmsg(R->errmsg, "interrupted: nothing of this run was committed");
        st = LZS_ERR_CANCELLED;
    }
    if (st == LZS_OK)
        st = promote_alternates(R);
    if (st == LZS_OK) {
        st = lzs_docfiles_write(R->db, R->errmsg);
        if (st != LZS_OK && st != LZS_ERR_NOMEM)
            st = lzs_run_db_fail(R, st, "writing the files of each document");
    }
    if (st == LZS_OK)
        st = lzs_run_write_synonyms(R);
    if (st == LZS_OK)
        st = lzs_run_flush_spelling(R);
    if (st == LZS_OK)
        st = finish_skips(R);
    if (st == LZS_OK)
        st = lzs_run_compute_totals(R);
    R->sum->seconds = now_sec() - R->t0;
    if (st == LZS_OK)
        st = lzs_run_write_run_metadata(R);
    if (st == LZS_OK) {
        st = lzs_xdb_commit_transaction(R->db);
        if (st != LZS_OK)
            return lzs_run_db_fail(R, st, "committing");
        return LZS_OK;
    }
    if (st == LZS_ERR_NOMEM && R->errmsg && !*R->errmsg)
        lzs_set_errmsg(R->errmsg, "out of memory");
    lzs_xdb_cancel_transaction(R->db);
    return st;
}

/* Everything that can fail without touching the index: the summary, the word counts, the
 * corpus scan, the domain data and the text pipeline. */
static lzs_status_t run_prepare(run_t *R, const char *const *corpus_dirs, size_t ndirs)
{
    const lzs_index_opts_t *opts = R->opts;
    char **errmsg = R->errmsg;
    R->sum = calloc(1, sizeof *R->sum);
    lzs_status_t st = R->sum ? LZS_OK : LZS_ERR_NOMEM;
    if (st == LZS_OK) {
        R->sum->index_dir = strdup(opts->index_dir);
        R->sum->rebuilt = opts->rebuild != 0;
        R->sum->jobs = default_jobs(opts->jobs);
        st = R->sum->index_dir ? LZS_OK : LZS_ERR_NOMEM;
    }
    if (st == LZS_OK)
        st = lzs_wordcount_create(&R->spell);
    if (st == LZS_OK)
        st = lzs_wordcount_create(&R->unspell);
    if (st == LZS_OK)
        st = lzs_wordcount_create(&R->claims);
    if (st != LZS_OK)
        lzs_set_errmsg(errmsg, "out of memory");

    lzs_strlist_t links = {0}, why = {0}; /* symbolic links not followed */
    if (st == LZS_OK)
        st = lzs_run_scan_corpus(corpus_dirs, ndirs, opts->follow_symlinks, &R->files, &links, &why,
                                 errmsg);
    for (size_t i = 0; st == LZS_OK && i < links.n; i++)
        st = lzs_run_note_skip(R, links.items[i], why.items[i]);
    lzs_strlist_clear(&links);
    lzs_strlist_clear(&why);
    if (R->sum)
        R->sum->files_seen = (uint32_t)R->files.n;
    if (st == LZS_OK) {
        char *msg = NULL;
        lzs_extractor_t *ex = NULL;
        st = lzs_extract_open(opts->data_dir, &ex, &msg);
        R->ex = ex;
        if (st != LZS_OK)
            lzs_set_errmsg(errmsg, "cannot load the domain data: %s",
                           msg ? msg : lzs_status_str(st));
        free(msg);
    }
    if (st == LZS_OK) {
        char *msg = NULL;
        st = lzs_text_create(&R->text, &msg);
        if (st != LZS_OK)
            lzs_set_errmsg(errmsg, "cannot start the text pipeline: %s",
                           msg ? msg : lzs_status_str(st));
        free(msg);
    }
    if (st == LZS_OK) {
        st = lzs_phrases_build(R->text, R->ex, &R->phrases);
        if (st != LZS_OK)
            lzs_set_errmsg(errmsg, "cannot read the phrases of the domain data: %s",
                           lzs_status_str(st));
    }
    return st;
}

/* Closes the index (removing it when this failed run was its first) and frees what the
 * run held but the summary. After a failure, says in R's message whether the disk space
 * may be why. */
static void run_end(run_t *R, lzs_status_t st)
{
    const lzs_index_opts_t *opts = R->opts;
    if (st != LZS_OK && R->db && R->fresh)
        lzs_indexdir_discard(opts->index_dir, &R->dir, R->db); /* closes R->db */
    else
        lzs_xdb_close(R->db);
    if (st != LZS_OK) {
        uint64_t corpus_bytes = 0;
        for (size_t i = 0; i < R->files.n; i++)
            corpus_bytes += R->files.v[i].size;
        lzs_indexdir_space_note(opts->index_dir, corpus_bytes, R->dir.bytes, R->errmsg);
    }
    lzs_phrases_destroy(R->phrases);
    free(R->phrases_before);
    lzs_text_destroy(R->text);
    lzs_extract_close((lzs_extractor_t *)R->ex);
    lzs_wordcount_destroy(R->spell);
    lzs_wordcount_destroy(R->unspell);
    lzs_wordcount_destroy(R->claims);
    lzs_strlist_clear(&R->lost);
    lzs_run_oldfiles_free(&R->old);
    lzs_run_cfiles_free(&R->files);
    lzs_strlist_clear(&R->skip_paths);
    lzs_strlist_clear(&R->skip_reasons);
}

lzs_status_t lzs_index_run(const lzs_index_opts_t *opts, const char *const *corpus_dirs,
                           size_t ndirs, lzs_index_summary_t **summary_out, char **errmsg)
{
    if (summary_out)
        *summary_out = NULL;
    if (errmsg)
        *errmsg = NULL;
    if (!opts || !opts->index_dir || !*opts->index_dir || !corpus_dirs || ndirs == 0) {
        lzs_set_errmsg(errmsg,
                       "lzs_index_run: an index directory and a corpus directory are needed");
        return LZS_ERR_INVALID;
    }
    run_t R = {.opts = opts, .errmsg = errmsg, .t0 = now_sec()};
    lzs_status_t st = run_prepare(&R, corpus_dirs, ndirs);
    if (st == LZS_OK)
        st = open_index(&R);
    if (st == LZS_OK) {
        unsigned nshards = lzs_run_shard_count(opts);
        st = run_locked(&R, corpus_dirs, ndirs);
        if (st == LZS_OK) {
            R.fresh = 0; /* committed: a failure of the shards must not remove it */
            st = lzs_run_write_shards(opts, nshards, errmsg);
        }
        lzs_run_report_progress(&R, R.files.n, 1);
    }
    run_end(&R, st);
    if (st != LZS_OK || !summary_out) {
        lzs_index_summary_free(R.sum);
        return st;
    }
    *summary_out = R.sum;
    return LZS_OK;
}
