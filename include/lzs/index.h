/* index.h — building and updating a lanzasearch index from a corpus of document files.
 *
 * lzs_index_run() is everything the lzs-index program does, as a library call that the
 * tests and the benchmark use too:
 *  - scans the corpus directories recursively for *.txt and *.md files (hidden entries and
 *    "data" directories directly under a corpus root are left out), sorted by path so that
 *    runs are deterministic. Symbolic links, to files and to directories alike, are
 *    followed only when their target lies inside the corpus directory (opts->follow_symlinks
 *    follows them all); a directory is scanned once, so a link to a directory already
 *    scanned (a loop, or a second way to it) is not followed. Every link not followed is
 *    reported once as skipped, and what was indexed through it before is removed. A
 *    document name that is not a regular file (a FIFO, a socket, a device) is skipped with
 *    its kind: nothing is ever opened that could block the run;
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
 *    A run that fails or is cancelled after creating a new index removes what it created
 *    (a SIGKILL cannot); a run that fails for want of disk space says how much it needs;
 *  - refuses, before writing anything, a run that would remove more than half of the
 *    indexed files (a wrong or unmounted corpus directory), unless
 *    opts->allow_mass_delete is set;
 *  - writes only into a directory that holds the marker file LZS_INDEX_MARKER: it creates
 *    a new index (and its marker) in a missing or empty directory, adopts once an index of
 *    an earlier version that has a lanzasearch schema version but no marker, and refuses
 *    anything else: a path that is not a directory (a Xapian stub file there would
 *    redirect the writes to another database), a directory holding a stub file
 *    (XAPIANDB), another Xapian database, a directory with other files.
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

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "lzs/model.h"
#include "lzs/status.h"
#include "lzs/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest source path indexed, in bytes: the "XF:" term and the "lzs:file:" metadata key
 * must stay within Xapian's key limits. Longer paths are skipped with a reason. */
#define LZS_INDEX_MAX_PATH 200

/* Most threads lzs_index_run() starts. */
#define LZS_INDEX_MAX_JOBS 64

/* Most shards an index is split into (opts->shards). */
#define LZS_INDEX_MAX_SHARDS 16

/* The file that marks a directory as a lanzasearch index: lzs_index_run() writes into no
 * other directory. Its content is LZS_INDEX_MARKER_TEXT (only its presence is checked). */
#define LZS_INDEX_MARKER "lanzasearch-index"
#define LZS_INDEX_MARKER_TEXT                                                                      \
    "lanzasearch index: lzs-index writes only into a directory holding this file.\n"

/* Disk space a run is estimated to need, for the message of a run that ran out of it: the
 * index's current size (a rebuild may rewrite all of it before the commit frees the old
 * copy) plus this many bytes per byte of corpus files (a new index takes about 10; the
 * transaction of a rebuild up to 17). */
#define LZS_INDEX_SPACE_PER_CORPUS_BYTE 20

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

/* Called on the writer thread once for each skipped file or symbolic link, as it is
 * skipped. Both strings are borrowed: valid during the call. */
typedef void (*lzs_index_skip_cb)(void *ud, const char *path, const char *reason);

/* Called on the calling thread once, when the run starts waiting for another indexer to
 * release the index (opts->wait). index_dir is borrowed: valid during the call. */
typedef void (*lzs_index_wait_cb)(void *ud, const char *index_dir);

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
    lzs_index_wait_cb on_wait; /* may be NULL */
    void *wait_ud;
    int allow_mass_delete; /* let the run remove more than half of the indexed files */
    int follow_symlinks;   /* follow symbolic links whose target leaves the corpus too */
    /* When non-NULL and *cancel becomes non-zero (e.g. from a signal handler), the run
     * stops, cancels its transaction (nothing of the run is committed) and returns
     * LZS_ERR_CANCELLED with a message saying it was interrupted (also while waiting for
     * the lock with wait set). An atomic: the run's threads read it while another thread,
     * or a signal handler on any thread, sets it (a lock-free atomic may be set in a
     * handler; a volatile sig_atomic_t only for the thread the handler interrupts).
     * Borrowed: valid for the run. */
    const atomic_int *cancel;
    /* Shards (docs/api.md, "Shards"): 0 keeps the index as it is (one database, or the
     * number of shards it has); 1 one database; 2..LZS_INDEX_MAX_SHARDS: after the commit,
     * the passages are also split by document into that many databases, written in
     * parallel, published under index_dir/shards by one atomic rename of the stub
     * index_dir/shards/XAPIANDB. A number other than the index's is LZS_ERR_INVALID unless
     * rebuild is set. */
    unsigned shards;
} lzs_index_opts_t;

/* Fills opts with the defaults (everything 0 / NULL). */
void lzs_index_opts_init(lzs_index_opts_t *opts);

typedef struct {
    char *path;   /* the file, or the symbolic link not followed */
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
    uint32_t files_skipped;   /* files that could not be indexed and symbolic links not
                                 followed (see skipped) */
    uint32_t passages_added, passages_removed;
    /* The multi-word terms of the domain data's thesaurus and synonym groups (each reading
     * of a hyphenated one): found by a term of their own in every passage (phrases), or
     * by word positions, slower, because passages indexed before the data had them lack
     * that term (phrases_by_positions: until a run with rebuild). */
    uint32_t phrases, phrases_by_positions;
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
 *   LZS_ERR_LIMIT    the run would remove more than half of the indexed files and
 *                    opts->allow_mass_delete is not set (nothing is changed; the message
 *                    says how many of how many, and why); no other failure has this code
 *   LZS_ERR_CANCELLED the run was cancelled through opts->cancel
 *   LZS_ERR_INVALID  the index path is not a lanzasearch index directory (a file, a
 *                    stub, another database, a directory with other files), or bad opts
 *   LZS_ERR_IO       reading a directory or writing failed (a full disk: the message
 *                    says how much space the run needs)
 *   LZS_ERR_XAPIAN, LZS_ERR_CORRUPT, LZS_ERR_NOMEM
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

#ifdef __cplusplus
}
#endif

#endif
