/* columns_internal.h — facet columns: per index revision, for each facet slot a column
 * docid -> value ids, so that the exact counts of a match set are an array walk over its
 * docids instead of a read of stored values per match. Counts of a request over the match
 * set (a "tally": total, per-facet counts with distinct keys, per-document counts) and a
 * cache of the tallies of filter-only requests, both for one revision.
 */
#ifndef LZS_COLUMNS_INTERNAL_H
#define LZS_COLUMNS_INTERNAL_H

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

/* The counts of a match set. Immutable once made; owned by whoever made it, or by the cache
 * it was put into. */
typedef struct {
    uint32_t matches;                          /* documents in the match set */
    uint32_t groups;                           /* distinct values of the group column */
    lzs_fcount_t *facets[LZS_COLS_MAX_FACETS]; /* most frequent first, ties by value */
    size_t nfacet[LZS_COLS_MAX_FACETS];
    const lzs_col_t *group_col; /* NULL when not grouped */
    uint32_t *group_counts;     /* by value id of group_col */
} lzs_tally_t;

typedef struct lzs_cols lzs_cols_t;

/* Columns of the state db shows now, known to its searcher as revision (the searcher's
 * generation), built slot by slot on first use. Caller frees with lzs_cols_destroy(). */
lzs_status_t lzs_cols_create(lzs_xdb_t *db, uint64_t revision, lzs_cols_t **out);
void lzs_cols_destroy(lzs_cols_t *cols);
/* The revision the columns were made for. */
uint64_t lzs_cols_revision(const lzs_cols_t *cols);
/* Bytes held by the columns built so far and by the cached tallies. */
size_t lzs_cols_bytes(const lzs_cols_t *cols);

/* The column of slot (sep as in lzs_col_t), read from db (which must still be at the
 * columns' revision) on first use. *out borrowed: valid until lzs_cols_destroy(). Errors
 * of the shim, LZS_ERR_MODIFIED among them. */
lzs_status_t lzs_cols_get(lzs_cols_t *cols, lzs_xdb_t *db, lzs_slot_t slot, char sep,
                          const lzs_col_t **out);
/* lzs_cols_get() of a column whose values map (may be NULL) maps as it is read. */
lzs_status_t lzs_cols_get_mapped(lzs_cols_t *cols, lzs_xdb_t *db, lzs_slot_t slot, char sep,
                                 lzs_col_map_fn map, void *map_ud, const lzs_col_t **out);

/* Makes the label of value: caller frees with free(); NULL with *st set on failure. */
typedef char *(*lzs_col_label_fn)(void *ud, const char *value, lzs_status_t *st);
/* The label of value id of the column of slot and sep (read already), made by make on the
 * first call for it within the columns' revision and kept with the columns: a facet's
 * labels cost a search nothing once made. *out borrowed: valid until lzs_cols_destroy().
 * LZS_ERR_NOT_FOUND when no such column was read; else make's failure. */
lzs_status_t lzs_cols_label(lzs_cols_t *cols, lzs_slot_t slot, char sep, uint32_t id,
                            lzs_col_label_fn make, void *ud, const char **out);

/* Data kept with the columns of a revision by its one owner (cites.c: the documents that
 * are the opinions cited by title), freed with them by free_fn. NULL until set. */
void *lzs_cols_extra(const lzs_cols_t *cols);
/* Sets it: the columns take extra (and free an earlier one). */
void lzs_cols_set_extra(lzs_cols_t *cols, void *extra, void (*free_fn)(void *));

/* Counts the n documents docids (increasing) by the facets asked in specs[0..nspecs-1]
 * (each value's recs counting distinct values of key_slot), and per value of group_slot
 * when group_slot is not LZS_XDB_NO_SLOT. Caller frees *out with lzs_tally_free(). */
#define LZS_XDB_NO_SLOT ((lzs_slot_t)0xffffffffu)
lzs_status_t lzs_cols_tally(lzs_cols_t *cols, lzs_xdb_t *db, const lzs_col_spec_t *specs,
                            size_t nspecs, lzs_slot_t key_slot, lzs_slot_t group_slot,
                            const lzs_docid_t *docids, size_t n, lzs_tally_t **out);
void lzs_tally_free(lzs_tally_t *t);
/* The count of group_col's value of docid in t (0 when not grouped or unknown). */
uint32_t lzs_tally_group_count(const lzs_tally_t *t, lzs_docid_t docid);

/* The tally cached under key, or NULL. Borrowed: valid until the next lzs_cols_cache()
 * or lzs_cols_destroy(). */
const lzs_tally_t *lzs_cols_cached(const lzs_cols_t *cols, const char *key);
/* Keeps t under key (both: the cache takes t and copies key); an older entry may be
 * dropped. On failure t is freed. */
lzs_status_t lzs_cols_cache(lzs_cols_t *cols, const char *key, lzs_tally_t *t);

#endif
