/* columns_internal.h — facet columns: per index revision, for each facet slot a column
 * docid -> value ids, so that the exact counts of a match set are an array walk over its
 * docids instead of a read of stored values per match. Counts of a request over the match
 * set (a "tally": total, per-facet counts with distinct keys, per-document counts) and a
 * cache of the tallies of filter-only requests, both for one revision.
 *
 * Threads: the columns of a revision may be shared by the searchers of several threads
 * (lzs_search_pool_t, pool.c). Every call below on one lzs_cols_t may be made from any
 * thread at once, each with its own lzs_xdb_t at the columns' revision: what is read or
 * made lazily (columns, labels, the cache, extra) is kept under the columns' lock and is
 * immutable once kept. Creating and destroying are the owner's (the pool's) business.
 */
#ifndef LZS_COLUMNS_INTERNAL_H
#define LZS_COLUMNS_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "lzs/status.h"
#include "lzs/xdb.h"

/* One slot's column. Value id 0 is "no value"; ids 1..nvalues-1 follow the values' byte
 * order, so sorting by id sorts by value. */
typedef struct {
    lzs_slot_t slot;
    char sep;       /* 0: one value per document; else the separator of a list */
    uint32_t ndocs; /* docids 0 .. ndocs-1 (the revision's last docid + 1) */
    uint32_t nvalues;
    char **values; /* nvalues NUL-terminated strings; values[0] is "" */
    size_t *lens;
    uint32_t *ids;  /* single-valued: ids[docid] */
    uint32_t *offs; /* lists: the distinct items of docid are items[offs[docid] .. offs[docid+1]) */
    uint32_t *items;
    size_t bytes;  /* memory held by the column */
    char **labels; /* by value id: labels made by lzs_cols_label(), NULL until asked */
} lzs_col_t;

/* The "slot" of the collection column: the name of the index (sub-database) each document
 * is in, from lzs_xdb_sub_name, single-valued. No value slot of the index has this number. */
#define LZS_COLS_COLLECTION ((lzs_slot_t)0xfffffffeu)

/* Maps a value of a column as the column is read: the value to count instead (the cites
 * column counts an opinion cited by title as the document that is it). Returns value
 * itself or a string valid as long as the columns; *outlen gets its length. */
typedef const char *(*lzs_col_map_fn)(void *ud, const char *value, size_t len, size_t *outlen);

/* A facet of a request: which slot and how its values are packed. want 0: not asked. map
 * (may be NULL, with its map_ud) maps values as the column is first read: the same map for a
 * slot throughout the columns' revision. */
typedef struct {
    int want;
    lzs_slot_t slot;
    char sep;
    lzs_col_map_fn map;
    void *map_ud;
} lzs_col_spec_t;

/* The counts of one facet value. value borrowed from the column (valid as long as the
 * columns that made the tally). */
typedef struct {
    const char *value;
    size_t len;
    uint32_t id;    /* the value's id in its column */
    uint32_t count; /* matching documents with the value */
    uint32_t recs;  /* distinct non-empty keys among them */
} lzs_fcount_t;

#define LZS_COLS_MAX_FACETS 32

/* The counts of a match set. Immutable once made; reference-counted: each holder (whoever
 * made it, the cache it was put into, a caller the cache handed it to) lets go with
 * lzs_tally_free(). */
typedef struct {
    atomic_uint refs;
    uint32_t matches;                          /* documents in the match set */
    uint32_t groups;                           /* distinct values of the group column */
    lzs_fcount_t *facets[LZS_COLS_MAX_FACETS]; /* most frequent first, ties by value */
    size_t nfacet[LZS_COLS_MAX_FACETS];
    const lzs_col_t *group_col; /* NULL when not grouped */
    uint32_t *group_counts;     /* by value id of group_col */
} lzs_tally_t;

typedef struct lzs_cols lzs_cols_t;

/* Columns of the state db shows now (its revision), built slot by slot on first use. Which
 * revision that is, its owner keeps in mind (search.c, pool.c). Caller frees with
 * lzs_cols_destroy(), once no other thread uses them. */
lzs_status_t lzs_cols_create(lzs_xdb_t *db, lzs_cols_t **out);
void lzs_cols_destroy(lzs_cols_t *cols);
/* Bytes held by the columns built so far, their labels and the cached tallies. */
size_t lzs_cols_bytes(lzs_cols_t *cols);

/* The column of slot (sep as in lzs_col_t), read from db (the calling thread's, which must
 * still be at the columns' revision) on first use: one thread reads it, others asking for
 * it meanwhile wait and get the same. *out borrowed: valid until lzs_cols_destroy(). Errors
 * of the shim, LZS_ERR_MODIFIED among them (nothing is kept then). */
lzs_status_t lzs_cols_get(lzs_cols_t *cols, lzs_xdb_t *db, lzs_slot_t slot, char sep,
                          const lzs_col_t **out);
/* lzs_cols_get() of a column whose values map (may be NULL) maps as it is read. map runs in
 * the calling thread without the columns' lock: map_ud must be data of the revision that
 * is immutable (cites.c: its table, lzs_cols_offer_extra). */
lzs_status_t lzs_cols_get_mapped(lzs_cols_t *cols, lzs_xdb_t *db, lzs_slot_t slot, char sep,
                                 lzs_col_map_fn map, void *map_ud, const lzs_col_t **out);

/* Makes the label of value: caller frees with free(); NULL with *st set on failure. */
typedef char *(*lzs_col_label_fn)(void *ud, const char *value, lzs_status_t *st);
/* The label of value id of the column of slot and sep (read already), made by make on the
 * first call for it within the columns' revision and kept with the columns: a facet's
 * labels cost a search nothing once made. make runs in the calling thread without the
 * columns' lock (two threads may both make one; the first kept wins). *out borrowed:
 * valid until lzs_cols_destroy(). LZS_ERR_NOT_FOUND when no such column was read; else
 * make's failure. */
lzs_status_t lzs_cols_label(lzs_cols_t *cols, lzs_slot_t slot, char sep, uint32_t id,
                            lzs_col_label_fn make, void *ud, const char **out);

/* Data kept with the columns of a revision by its one user (cites.c: the documents that
 * are the opinions cited by title), immutable once kept, freed with them by free_fn. NULL
 * until offered. Borrowed: valid until lzs_cols_destroy(). */
void *lzs_cols_extra(lzs_cols_t *cols);
/* Offers extra, made by this thread: the columns take it when they hold none yet, else
 * free it with free_fn (another thread's came first). Returns the one kept (borrowed, as
 * lzs_cols_extra's). */
void *lzs_cols_offer_extra(lzs_cols_t *cols, void *extra, void (*free_fn)(void *));

/* Counts the n documents docids (increasing) by the facets asked in specs[0..nspecs-1]
 * (each value's recs counting distinct values of key_slot), and per value of group_slot
 * when group_slot is not LZS_XDB_NO_SLOT. Caller frees *out with lzs_tally_free(). */
#define LZS_XDB_NO_SLOT ((lzs_slot_t)0xffffffffu)
lzs_status_t lzs_cols_tally(lzs_cols_t *cols, lzs_xdb_t *db, const lzs_col_spec_t *specs,
                            size_t nspecs, lzs_slot_t key_slot, lzs_slot_t group_slot,
                            const lzs_docid_t *docids, size_t n, lzs_tally_t **out);
/* Takes one more reference of t. */
void lzs_tally_hold(lzs_tally_t *t);
/* Lets go of one reference of t (NULL: no-op); the last frees it. */
void lzs_tally_free(lzs_tally_t *t);
/* The count of group_col's value of docid in t (0 when not grouped or unknown). */
uint32_t lzs_tally_group_count(const lzs_tally_t *t, lzs_docid_t docid);

/* The tally cached under key, or NULL: caller lets go with lzs_tally_free() (another thread
 * may drop it from the cache meanwhile: the caller's reference keeps it). */
lzs_tally_t *lzs_cols_cached(lzs_cols_t *cols, const char *key);
/* Keeps t under key (the cache takes a reference of its own and copies key; the caller's
 * reference stays the caller's); an older entry may be dropped. */
lzs_status_t lzs_cols_cache(lzs_cols_t *cols, const char *key, lzs_tally_t *t);

#endif
