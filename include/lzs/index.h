/* index.h — building and updating a lanzasearch index from a corpus of document files.
 *
 * lzs_index_run() is everything the lzs-index program does, as a library call that the
 * tests and the benchmark use too:
 *  - scans the corpus directories recursively for *.txt and *.md files (hidden entries,
 *    "data" directories directly under a corpus root and symbolic links to directories are
 *    skipped), sorted by path so that runs are deterministic;
 *  - hashes every file (SHA-256 of the file and of its NAME.meta.json sidecar) and only
 *    extracts and indexes the files whose hash differs from the one stored in the index
 *    (metadata "lzs:file:<absolute path>"); passages of files that are gone from the
 *    corpus are deleted. The index mirrors the corpus directories of the last run:
 *    indexing dir A and then dir B into one index removes A's files;
 *  - extracts and tokenizes on opts->jobs threads, feeding one writer (the calling thread)
 *    in corpus order, so that a clean build always gives the same Xapian docids;
 *  - writes everything inside one Xapian transaction: a reader sees the index before the
 *    run or after it, never half of it; an interrupted run (cancel flag, crash, SIGKILL,
 *    full disk) leaves the last committed state and the next run does the work again.
 *
 * Files that cannot be indexed (binary, invalid UTF-8, empty, too large, broken sidecar,
 * path too long, duplicate document id) are skipped with a reason and the run goes on. A
 * skipped file that was indexed before keeps its previous passages: nothing indexed is
 * lost because a file went bad. Two files giving the same document id: the one already in
 * the index keeps it; between new files, the first in path order wins.
 *
 * The layout written is the one of lzs/schema.h.
 */
#ifndef LZS_INDEX_H
#define LZS_INDEX_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "lzs/model.h"
#include "lzs/status.h"
#include "lzs/text.h"
#include "lzs/xdb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest source path indexed, in bytes: the "XF:" term and the "lzs:file:" metadata key
 * must stay within Xapian's key limits. Longer paths are skipped with a reason. */
#define LZS_INDEX_MAX_PATH 200

/* Most threads lzs_index_run() starts. */
#define LZS_INDEX_MAX_JOBS 64

/* Progress of a run, handed to the progress callback. */
typedef struct {
    uint32_t files_done, files_total; /* files hashed (and extracted when changed) */
    uint64_t bytes_done, bytes_total; /* bytes of those files */
    uint32_t passages;                /* passages written so far in this run */
    double elapsed;                   /* seconds since the run started */
    int final;                        /* 1 on the last call, after the commit */
} lzs_index_progress_t;

/* Called on the writer thread at most about ten times a second, and once with final set.
 * p is borrowed: valid during the call. */
typedef void (*lzs_index_progress_cb)(void *ud, const lzs_index_progress_t *p);

/* Called on the writer thread once for each skipped file, as it is skipped. Both strings
 * are borrowed: valid during the call. */
typedef void (*lzs_index_skip_cb)(void *ud, const char *path, const char *reason);

typedef struct {
    const char *index_dir;          /* required: created (with its parents) when missing */
    const char *data_dir;           /* domain data; NULL: lzs_default_data_dir() */
    int rebuild;                    /* start over: every file is indexed again (still atomic) */
    unsigned jobs;                  /* worker threads; 0: number of online cores */
    int wait;                       /* when another indexer holds the lock, wait for it (polling
                                       every 200 ms) instead of failing with LZS_ERR_LOCKED */
    lzs_index_progress_cb progress; /* may be NULL */
    void *progress_ud;
    lzs_index_skip_cb on_skip; /* may be NULL: skipped files are only in the summary */
    void *skip_ud;
    /* When non-NULL and *cancel becomes non-zero (e.g. from a signal handler), the run
     * stops, cancels its transaction (nothing of the run is committed) and returns
     * LZS_ERR_CANCELLED with a message saying it was interrupted (also while waiting for
     * the lock with wait set). Borrowed: valid for the run. */
    volatile sig_atomic_t *cancel;
} lzs_index_opts_t;

/* Fills opts with the defaults (everything 0 / NULL). */
void lzs_index_opts_init(lzs_index_opts_t *opts);

typedef struct {
    char *path;   /* the file */
    char *reason; /* one sentence: "binary file", "duplicate document id ..." */
} lzs_index_skip_t;

/* What a run did and what the index holds after it. Index totals (documents, passages,
 * recommendations, parties) describe the whole index after the commit; file and passage
 * change counts describe this run. */
typedef struct {
    char *index_dir;
    int rebuilt;    /* the run started over (--rebuild) */
    unsigned jobs;  /* threads used */
    double seconds; /* wall-clock time of the run */
    uint64_t bytes; /* bytes of corpus files read */

    uint32_t documents;                      /* distinct document ids in the index */
    uint32_t passages;                       /* Xapian documents in the index */
    uint32_t recommendations;                /* passages of kind recommendation */
    uint32_t recs_by_level[LZS_LEVEL_COUNT]; /* recommendation passages by level
                                                ([LZS_LEVEL_NONE]: those without one) */
    char **parties;                          /* sorted ISO codes of Parties mentioned */
    size_t nparties;
    char **langs; /* sorted languages present */
    size_t nlangs;

    uint32_t files_seen;      /* document files found in the corpus */
    uint32_t files_added;     /* new files indexed */
    uint32_t files_changed;   /* files indexed again because their content changed */
    uint32_t files_removed;   /* files gone from the corpus, their passages deleted */
    uint32_t files_unchanged; /* files whose hash matched: left alone */
    uint32_t files_skipped;   /* files that could not be indexed (see skipped) */
    uint32_t passages_added, passages_removed;
    lzs_index_skip_t *skipped; /* nskipped == files_skipped entries, in path order */
    size_t nskipped;
} lzs_index_summary_t;

/* Indexes the ndirs (>= 1) corpus directories into opts->index_dir.
 * On success *summary_out (may be NULL) receives the summary: caller frees it with
 * lzs_index_summary_free(). On failure it is NULL and *errmsg (may be NULL) gets a
 * sentence naming the problem: caller frees it with free(). Failures:
 *   LZS_ERR_LOCKED   another indexer holds the index (and opts->wait is not set)
 *   LZS_ERR_SCHEMA   the index was written with another schema version: rebuild it
 *   LZS_ERR_NOT_FOUND a corpus directory does not exist (nothing is changed then)
 *   LZS_ERR_CANCELLED the run was cancelled through opts->cancel
 *   LZS_ERR_IO       reading a directory or writing failed
 *   LZS_ERR_XAPIAN, LZS_ERR_CORRUPT, LZS_ERR_NOMEM, LZS_ERR_INVALID (bad opts)
 * Skipped files are not failures. Whatever the failure, the index keeps its last
 * committed state. */
lzs_status_t lzs_index_run(const lzs_index_opts_t *opts, const char *const *corpus_dirs,
                           size_t ndirs, lzs_index_summary_t **summary_out, char **errmsg);

/* The summary as JSON:
 *   {"index","schema","rebuilt","jobs","seconds","bytes","documents","passages",
 *    "recommendations":{"total","require","request","invite","urge","consider","none"},
 *    "parties":[...],"langs":[...],
 *    "files":{"seen","added","changed","removed","unchanged","skipped"},
 *    "passages_added","passages_removed","skipped":[{"file","reason"}]}
 * Caller frees with json_decref(); NULL when out of memory. */
json_t *lzs_index_summary_to_json(const lzs_index_summary_t *s);

/* Frees a summary; NULL is a no-op. */
void lzs_index_summary_free(lzs_index_summary_t *s);

/* Builds the Xapian document of one passage of doc, exactly as lzs_index_run() stores it
 * (terms, boolean terms, values and data of lzs/schema.h), with doc->source as the path of
 * the XF: term (lzs_index_run() puts the file's absolute path there, and its path below the
 * corpus directory in doc->source). text is the caller's pipeline
 * (not thread-safe: one per thread); doc and p are borrowed for the call (p must be one of
 * doc's passages). Caller frees *out with lzs_xdoc_destroy(). *errmsg (may be NULL): caller
 * frees with free(). */
lzs_status_t lzs_index_passage_doc(lzs_text_t *text, const lzs_document_t *doc,
                                   const lzs_passage_t *p, lzs_xdoc_t **out, char **errmsg);

#ifdef __cplusplus
}
#endif

#endif
