/* columns.c — facet columns of one index revision, counting a match set over them, and the
 * cache of the counts of filter-only requests (see columns_internal.h).
 *
 * Counting as the facets always have (a Xapian match spy once did it, while the match
 * ran): a document without a value counts for no value; a list value counts once per distinct
 * non-empty item; an item's recs are the distinct non-empty keys among its documents.
 */
#include "columns_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 32
#define CACHE_SIZE 16
/* Matches from which a tally counts its facets on two threads (each a share of the facets):
 * under it, starting a thread costs more than it saves. */
#define TALLY_SPLIT_MATCHES 2048

typedef struct {
    char *key;
    lzs_tally_t *tally;
} centry_t;

/* Threads: mu guards cols[]/ncols, the cache, the labels of every column, the bytes and
 * extra; a column in cols[] is otherwise immutable, so a column found under mu is read
 * without it. build lets one thread at a time read a column from the index (seconds at
 * millions of passages), without mu held, so that the threads counting over columns
 * already read do not wait for it. Order: build before mu. */
struct lzs_cols {
    pthread_mutex_t mu;
    pthread_mutex_t build;
    uint32_t ndocs;
    lzs_col_t *cols[MAX_COLS];
    size_t ncols;
    centry_t cache[CACHE_SIZE];
    size_t cache_next; /* the entry replaced next (oldest first) */
    size_t cache_bytes;
    void *extra; /* lzs_cols_set_extra() */
    void (*extra_free)(void *);
};

/* ---- a string -> id dictionary, used while a column is read ------------------------ */

typedef struct {
    char **strs; /* by provisional id - 1 */
    size_t *lens;
    uint32_t n, cap;
    uint32_t *slots; /* open addressing: provisional id, 0 empty */
    size_t nslots;
} dict_t;

static uint64_t hash_bytes(const char *p, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void dict_free(dict_t *d)
{
    for (uint32_t i = 0; i < d->n; i++)
        free(d->strs[i]);
    free(d->strs);
    free(d->lens);
    free(d->slots);
    memset(d, 0, sizeof *d);
}

static lzs_status_t dict_grow(dict_t *d)
{
    size_t nslots = d->nslots ? d->nslots * 2 : 64;
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return LZS_ERR_NOMEM;
    for (uint32_t id = 1; id <= d->n; id++) {
        size_t i = hash_bytes(d->strs[id - 1], d->lens[id - 1]) & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = id;
    }
    free(d->slots);
    d->slots = slots;
    d->nslots = nslots;
    return LZS_OK;
}

/* The provisional id (1..) of the len bytes at p, added when new. */
static lzs_status_t dict_id(dict_t *d, const char *p, size_t len, uint32_t *id)
{
    if ((size_t)(d->n + 1) * 2 > d->nslots) {
        lzs_status_t st = dict_grow(d);
        if (st != LZS_OK)
            return st;
    }
    size_t i = hash_bytes(p, len) & (d->nslots - 1);
    while (d->slots[i]) {
        uint32_t k = d->slots[i];
        if (d->lens[k - 1] == len && memcmp(d->strs[k - 1], p, len) == 0) {
            *id = k;
            return LZS_OK;
        }
        i = (i + 1) & (d->nslots - 1);
    }
    if (d->n == d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 64;
        char **strs = realloc(d->strs, cap * sizeof *strs);
        if (!strs)
            return LZS_ERR_NOMEM;
        d->strs = strs;
        size_t *lens = realloc(d->lens, cap * sizeof *lens);
        if (!lens)
            return LZS_ERR_NOMEM;
        d->lens = lens;
        d->cap = cap;
    }
    char *s = malloc(len + 1);
    if (!s)
        return LZS_ERR_NOMEM;
    memcpy(s, p, len);
    s[len] = '\0';
    d->strs[d->n] = s;
    d->lens[d->n] = len;
    d->n++;
    d->slots[i] = d->n;
    *id = d->n;
    return LZS_OK;
}

/* ---- reading a column ------------------------------------------------------------------ */

typedef struct {
    lzs_col_t *col;
    lzs_col_map_fn map;
    void *map_ud;
    dict_t dict;
    size_t nitems, capitems;
    uint32_t next_doc; /* lists: offs[] filled up to this docid */
    lzs_status_t st;
} reader_t;

static lzs_status_t push_item(reader_t *r, uint32_t id)
{
    if (r->nitems == r->capitems) {
        size_t cap = r->capitems ? r->capitems * 2 : 1024;
        uint32_t *items = realloc(r->col->items, cap * sizeof *items);
        if (!items)
            return LZS_ERR_NOMEM;
        r->col->items = items;
        r->capitems = cap;
    }
    r->col->items[r->nitems++] = id;
    return LZS_OK;
}

static int read_value_cb(void *ud, lzs_docid_t docid, const char *value, size_t len)
{
    reader_t *r = ud;
    lzs_col_t *col = r->col;
    if (docid >= col->ndocs || len == 0)
        return 0; /* neither can happen within one revision; an empty value counts nowhere */
    if (col->sep == '\0') {
        if (r->map)
            value = r->map(r->map_ud, value, len, &len);
        r->st = dict_id(&r->dict, value, len, &col->ids[docid]);
        return r->st != LZS_OK;
    }
    while (r->next_doc <= docid)
        col->offs[r->next_doc++] = (uint32_t)r->nitems;
    size_t first = r->nitems;
    const char *p = value, *end = value + len;
    while (p <= end) {
        const char *e = memchr(p, col->sep, (size_t)(end - p));
        if (!e)
            e = end;
        if (e > p) {
            uint32_t id = 0;
            size_t ilen = (size_t)(e - p);
            const char *item = r->map ? r->map(r->map_ud, p, ilen, &ilen) : p;
            r->st = dict_id(&r->dict, item, ilen, &id);
            if (r->st != LZS_OK)
                return 1;
            int seen = 0;
            for (size_t k = first; k < r->nitems && !seen; k++)
                seen = col->items[k] == id;
            if (!seen) {
                r->st = push_item(r, id);
                if (r->st != LZS_OK)
                    return 1;
            }
        }
        p = e + 1;
    }
    return 0;
}

typedef struct {
    const char *str;
    size_t len;
    uint32_t id;
} sval_t;

static int by_string(const void *a, const void *b)
{
    const sval_t *x = a, *y = b;
    int c = memcmp(x->str, y->str, x->len < y->len ? x->len : y->len);
    return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/* Gives the values ids in byte order: values[], lens[] and the remapped ids. */
static lzs_status_t finish_column(reader_t *r)
{
    lzs_col_t *col = r->col;
    dict_t *d = &r->dict;
    sval_t *order = malloc(((size_t)d->n + 1) * sizeof *order);
    uint32_t *remap = calloc((size_t)d->n + 1, sizeof *remap);
    col->values = calloc((size_t)d->n + 1, sizeof *col->values);
    col->lens = calloc((size_t)d->n + 1, sizeof *col->lens);
    if (!order || !remap || !col->values || !col->lens) {
        free(order);
        free(remap);
        return LZS_ERR_NOMEM;
    }
    for (uint32_t i = 0; i < d->n; i++)
        order[i] = (sval_t){d->strs[i], d->lens[i], i + 1};
    qsort(order, d->n, sizeof *order, by_string);
    col->values[0] = strdup("");
    if (!col->values[0]) {
        free(order);
        free(remap);
        return LZS_ERR_NOMEM;
    }
    col->nvalues = 1;
    size_t bytes = 0;
    for (uint32_t i = 0; i < d->n; i++) {
        uint32_t old = order[i].id;
        remap[old] = col->nvalues;
        col->values[col->nvalues] = d->strs[old - 1];
        col->lens[col->nvalues] = d->lens[old - 1];
        d->strs[old - 1] = NULL; /* now the column's */
        bytes += d->lens[old - 1] + 1 + sizeof(char *) + sizeof(size_t);
        col->nvalues++;
    }
    d->n = 0;
    free(order);
    if (col->sep == '\0') {
        for (uint32_t i = 0; i < col->ndocs; i++)
            col->ids[i] = remap[col->ids[i]];
        bytes += (size_t)col->ndocs * sizeof *col->ids;
    } else {
        while (r->next_doc <= col->ndocs)
            col->offs[r->next_doc++] = (uint32_t)r->nitems;
        for (size_t i = 0; i < r->nitems; i++)
            col->items[i] = remap[col->items[i]];
        bytes += ((size_t)col->ndocs + 1) * sizeof *col->offs + r->nitems * sizeof *col->items;
    }
    free(remap);
    col->bytes = bytes;
    return LZS_OK;
}

static void col_free(lzs_col_t *col)
{
    if (!col)
        return;
    for (uint32_t i = 0; i < col->nvalues; i++) {
        free(col->values[i]);
        free(col->labels ? col->labels[i] : NULL);
    }
    free(col->labels);
    free(col->values);
    free(col->lens);
    free(col->ids);
    free(col->offs);
    free(col->items);
    free(col);
}

/* The collection column (LZS_COLS_COLLECTION): no slot of the index but where each
 * document is, known from its id alone (lzs_xdb_sub_of); values are the collection names. */
static lzs_status_t collection_values(lzs_xdb_t *db, reader_t *r)
{
    size_t n = lzs_xdb_subcount(db);
    uint32_t *idof = calloc(n ? n : 1, sizeof *idof);
    if (!idof)
        return LZS_ERR_NOMEM;
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        const char *name = lzs_xdb_sub_name(db, i);
        st = dict_id(&r->dict, name, strlen(name), &idof[i]);
    }
    for (uint32_t d = 1; d < r->col->ndocs && st == LZS_OK; d++)
        r->col->ids[d] = idof[lzs_xdb_sub_of(db, d)];
    free(idof);
    return st;
}

static lzs_status_t read_column(lzs_xdb_t *db, uint32_t ndocs, lzs_slot_t slot, char sep,
                                lzs_col_map_fn map, void *map_ud, lzs_col_t **out)
{
    *out = NULL;
    lzs_col_t *col = calloc(1, sizeof *col);
    if (!col)
        return LZS_ERR_NOMEM;
    col->slot = slot;
    col->sep = sep;
    col->ndocs = ndocs;
    if (sep == '\0')
        col->ids = calloc(ndocs ? ndocs : 1, sizeof *col->ids);
    else
        col->offs = calloc((size_t)ndocs + 1, sizeof *col->offs);
    if (!col->ids && !col->offs) {
        free(col);
        return LZS_ERR_NOMEM;
    }
    reader_t r = {.col = col, .map = map, .map_ud = map_ud};
    lzs_status_t st;
    if (slot == LZS_COLS_COLLECTION && sep == '\0') {
        st = collection_values(db, &r);
    } else {
        st = lzs_xdb_values(db, slot, read_value_cb, &r);
        if (st == LZS_OK)
            st = r.st;
    }
    if (st == LZS_OK)
        st = finish_column(&r);
    dict_free(&r.dict);
    if (st != LZS_OK) {
        col_free(col);
        return st;
    }
    *out = col;
    return LZS_OK;
}

/* ---- the columns of a revision ----------------------------------------------------------- */

lzs_status_t lzs_cols_create(lzs_xdb_t *db, lzs_cols_t **out)
{
    *out = NULL;
    lzs_cols_t *c = calloc(1, sizeof *c);
    if (!c)
        return LZS_ERR_NOMEM;
    lzs_docid_t last = 0;
    lzs_status_t st = lzs_xdb_lastdocid(db, &last);
    if (st == LZS_OK && last == UINT32_MAX)
        st = LZS_ERR_LIMIT;
    if (st == LZS_OK && pthread_mutex_init(&c->mu, NULL) != 0)
        st = LZS_ERR_NOMEM;
    if (st == LZS_OK && pthread_mutex_init(&c->build, NULL) != 0) {
        pthread_mutex_destroy(&c->mu);
        st = LZS_ERR_NOMEM;
    }
    if (st != LZS_OK) {
        free(c);
        return st;
    }
    c->ndocs = last + 1;
    *out = c;
    return LZS_OK;
}

void lzs_cols_destroy(lzs_cols_t *cols)
{
    if (!cols)
        return;
    for (size_t i = 0; i < cols->ncols; i++)
        col_free(cols->cols[i]);
    for (size_t i = 0; i < CACHE_SIZE; i++) {
        free(cols->cache[i].key);
        lzs_tally_free(cols->cache[i].tally);
    }
    if (cols->extra_free)
        cols->extra_free(cols->extra);
    pthread_mutex_destroy(&cols->mu);
    pthread_mutex_destroy(&cols->build);
    free(cols);
}

size_t lzs_cols_bytes(lzs_cols_t *cols)
{
    if (!cols)
        return 0;
    pthread_mutex_lock(&cols->mu);
    size_t b = cols->cache_bytes;
    for (size_t i = 0; i < cols->ncols; i++)
        b += cols->cols[i]->bytes;
    pthread_mutex_unlock(&cols->mu);
    return b;
}

lzs_status_t lzs_cols_get(lzs_cols_t *cols, lzs_xdb_t *db, lzs_slot_t slot, char sep,
                          const lzs_col_t **out)
{
    return lzs_cols_get_mapped(cols, db, slot, sep, NULL, NULL, out);
}

/* The column of slot and sep read so far, or NULL. Under cols->mu. */
static lzs_col_t *find_col(const lzs_cols_t *cols, lzs_slot_t slot, char sep)
{
    for (size_t i = 0; i < cols->ncols; i++) {
        if (cols->cols[i]->slot == slot && cols->cols[i]->sep == sep)
            return cols->cols[i];
    }
    return NULL;
}

static const lzs_col_t *find_col_locked(lzs_cols_t *cols, lzs_slot_t slot, char sep)
{
    pthread_mutex_lock(&cols->mu);
    const lzs_col_t *col = find_col(cols, slot, sep);
    pthread_mutex_unlock(&cols->mu);
    return col;
}

lzs_status_t lzs_cols_get_mapped(lzs_cols_t *cols, lzs_xdb_t *db, lzs_slot_t slot, char sep,
                                 lzs_col_map_fn map, void *map_ud, const lzs_col_t **out)
{
    *out = find_col_locked(cols, slot, sep);
    if (*out)
        return LZS_OK;
    pthread_mutex_lock(&cols->build);
    /* another thread may have read it while this one waited */
    *out = find_col_locked(cols, slot, sep);
    lzs_status_t st = LZS_OK;
    lzs_col_t *col = NULL;
    if (!*out)
        st = read_column(db, cols->ndocs, slot, sep, map, map_ud, &col);
    if (col) {
        pthread_mutex_lock(&cols->mu);
        if (cols->ncols < MAX_COLS) {
            cols->cols[cols->ncols++] = col;
            *out = col;
        } else {
            st = LZS_ERR_LIMIT;
        }
        pthread_mutex_unlock(&cols->mu);
        if (st != LZS_OK)
            col_free(col);
    }
    pthread_mutex_unlock(&cols->build);
    return st;
}

/* ---- counting ----------------------------------------------------------------------- */

/* A set of (value id, key id) pairs: open addressing over 64-bit keys, 0 empty (key ids
 * are never 0 in it). */
typedef struct {
    uint64_t *slots;
    size_t nslots, n;
} pairset_t;

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

/* 1 when the pair is new, 0 when seen, -1 when out of memory. */
static int pairset_add(pairset_t *s, uint64_t k)
{
    if ((s->n + 1) * 2 > s->nslots) {
        size_t nslots = s->nslots ? s->nslots * 2 : 1024;
        uint64_t *slots = calloc(nslots, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < s->nslots; i++) {
            if (!s->slots[i])
                continue;
            size_t j = mix64(s->slots[i]) & (nslots - 1);
            while (slots[j])
                j = (j + 1) & (nslots - 1);
            slots[j] = s->slots[i];
        }
        free(s->slots);
        s->slots = slots;
        s->nslots = nslots;
    }
    size_t j = mix64(k) & (s->nslots - 1);
    while (s->slots[j]) {
        if (s->slots[j] == k)
            return 0;
        j = (j + 1) & (s->nslots - 1);
    }
    s->slots[j] = k;
    s->n++;
    return 1;
}

typedef struct {
    uint32_t count, id;
} ranked_t;

static int by_count_then_value(const void *a, const void *b)
{
    const ranked_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id); /* ids follow the values' byte order */
}

/* Counts one facet over docids into *out and *nout (caller frees *out with free()). */
static lzs_status_t count_facet(const lzs_col_t *col, const lzs_col_t *keys,
                                const lzs_docid_t *docids, size_t n, lzs_fcount_t **out,
                                size_t *nout)
{
    *out = NULL;
    *nout = 0;
    uint32_t *counts = calloc(col->nvalues, sizeof *counts);
    uint32_t *recs = calloc(col->nvalues, sizeof *recs);
    pairset_t pairs = {0};
    lzs_status_t st = counts && recs ? LZS_OK : LZS_ERR_NOMEM;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        lzs_docid_t d = docids[i];
        if (d >= col->ndocs)
            continue;
        const uint32_t *ids;
        uint32_t nids;
        if (col->sep == '\0') {
            ids = &col->ids[d];
            nids = col->ids[d] != 0;
        } else {
            ids = col->items + col->offs[d];
            nids = col->offs[d + 1] - col->offs[d];
        }
        for (uint32_t k = 0; k < nids; k++)
            counts[ids[k]]++;
        uint32_t key = keys && d < keys->ndocs ? keys->ids[d] : 0;
        for (uint32_t k = 0; k < nids && key != 0; k++) {
            int added = pairset_add(&pairs, (uint64_t)ids[k] << 32 | key);
            if (added < 0)
                st = LZS_ERR_NOMEM;
            else
                recs[ids[k]] += (uint32_t)added;
        }
    }
    free(pairs.slots);
    ranked_t *order = NULL;
    size_t k = 0;
    if (st == LZS_OK) {
        order = malloc(col->nvalues * sizeof *order);
        if (!order)
            st = LZS_ERR_NOMEM;
    }
    if (st == LZS_OK) {
        for (uint32_t id = 1; id < col->nvalues; id++)
            if (counts[id])
                order[k++] = (ranked_t){counts[id], id};
        qsort(order, k, sizeof *order, by_count_then_value);
        *out = calloc(k ? k : 1, sizeof **out);
        if (!*out)
            st = LZS_ERR_NOMEM;
    }
    if (st == LZS_OK) {
        for (size_t i = 0; i < k; i++) {
            uint32_t id = order[i].id;
            (*out)[i] = (lzs_fcount_t){col->values[id], col->lens[id], id, counts[id], recs[id]};
        }
        *nout = k;
    }
    free(order);
    free(counts);
    free(recs);
    return st;
}

void lzs_tally_hold(lzs_tally_t *t)
{
    atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
}

void lzs_tally_free(lzs_tally_t *t)
{
    /* acq_rel: whoever frees sees every other holder's reads done */
    if (!t || atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) != 1)
        return;
    for (size_t i = 0; i < LZS_COLS_MAX_FACETS; i++)
        free(t->facets[i]);
    free(t->group_counts);
    free(t);
}

static size_t tally_bytes(const lzs_tally_t *t)
{
    size_t b = sizeof *t;
    for (size_t i = 0; i < LZS_COLS_MAX_FACETS; i++)
        b += t->nfacet[i] * sizeof *t->facets[i];
    if (t->group_col)
        b += t->group_col->nvalues * sizeof *t->group_counts;
    return b;
}

/* The facets one thread of a tally counts: those of which[] set, over columns read already
 * (immutable: several threads may read them). */
typedef struct {
    const lzs_col_t *const *cols; /* by facet; NULL: not asked */
    const int *which;
    const lzs_col_t *keys;
    const lzs_docid_t *docids;
    size_t n, nspecs;
    lzs_tally_t *t;
    lzs_status_t st;
} facet_share_t;

static void *count_share(void *arg)
{
    facet_share_t *j = arg;
    j->st = LZS_OK;
    for (size_t i = 0; i < j->nspecs && j->st == LZS_OK; i++) {
        if (j->which[i])
            j->st = count_facet(j->cols[i], j->keys, j->docids, j->n, &j->t->facets[i],
                                &j->t->nfacet[i]);
    }
    return NULL;
}

/* Counts the facets whose columns are in fcols[0..nspecs) (NULL: not asked) into t: on two
 * threads, every other facet each, when the match set is large enough; else on this one. */
static lzs_status_t count_facets(const lzs_col_t *const *fcols, size_t nspecs,
                                 const lzs_col_t *keys, const lzs_docid_t *docids, size_t n,
                                 lzs_tally_t *t)
{
    int which[2][LZS_COLS_MAX_FACETS] = {{0}};
    size_t asked = 0;
    for (size_t i = 0; i < nspecs; i++) {
        if (fcols[i])
            which[asked++ % 2][i] = 1;
    }
    facet_share_t share[2];
    for (int k = 0; k < 2; k++)
        share[k] = (facet_share_t){fcols, which[k], keys, docids, n, nspecs, t, LZS_OK};
    pthread_t other;
    int split = asked >= 2 && n >= TALLY_SPLIT_MATCHES &&
                pthread_create(&other, NULL, count_share, &share[1]) == 0;
    count_share(&share[0]);
    if (split)
        pthread_join(other, NULL);
    else
        count_share(&share[1]);
    return share[0].st != LZS_OK ? share[0].st : share[1].st;
}

lzs_status_t lzs_cols_tally(lzs_cols_t *cols, lzs_xdb_t *db, const lzs_col_spec_t *specs,
                            size_t nspecs, lzs_slot_t key_slot, lzs_slot_t group_slot,
                            const lzs_docid_t *docids, size_t n, lzs_tally_t **out)
{
    *out = NULL;
    if (nspecs > LZS_COLS_MAX_FACETS || n > UINT32_MAX)
        return LZS_ERR_LIMIT;
    lzs_tally_t *t = calloc(1, sizeof *t);
    if (!t)
        return LZS_ERR_NOMEM;
    atomic_init(&t->refs, 1);
    t->matches = (uint32_t)n;
    lzs_status_t st = LZS_OK;
    const lzs_col_t *keys = NULL;
    int any = 0;
    for (size_t i = 0; i < nspecs; i++)
        any |= specs[i].want;
    if (any && key_slot != LZS_XDB_NO_SLOT)
        st = lzs_cols_get(cols, db, key_slot, '\0', &keys);
    /* every column read first, here: reading one needs this thread's database handle */
    const lzs_col_t *fcols[LZS_COLS_MAX_FACETS] = {NULL};
    for (size_t i = 0; i < nspecs && st == LZS_OK; i++) {
        if (specs[i].want)
            st = lzs_cols_get_mapped(cols, db, specs[i].slot, specs[i].sep, specs[i].map,
                                     specs[i].map_ud, &fcols[i]);
    }
    if (st == LZS_OK)
        st = count_facets(fcols, nspecs, keys, docids, n, t);
    if (st == LZS_OK && group_slot != LZS_XDB_NO_SLOT) {
        st = lzs_cols_get(cols, db, group_slot, '\0', &t->group_col);
        if (st == LZS_OK) {
            t->group_counts = calloc(t->group_col->nvalues, sizeof *t->group_counts);
            if (!t->group_counts)
                st = LZS_ERR_NOMEM;
        }
        for (size_t i = 0; i < n && st == LZS_OK; i++) {
            lzs_docid_t d = docids[i];
            uint32_t id = d < t->group_col->ndocs ? t->group_col->ids[d] : 0;
            /* A passage without a document id is a group of its own, as Xapian's collapse
             * leaves documents without a key uncollapsed. */
            if (id == 0 || t->group_counts[id]++ == 0)
                t->groups++;
        }
    }
    if (st != LZS_OK) {
        lzs_tally_free(t);
        return st;
    }
    *out = t;
    return LZS_OK;
}

uint32_t lzs_tally_group_count(const lzs_tally_t *t, lzs_docid_t docid)
{
    if (!t || !t->group_col || docid >= t->group_col->ndocs)
        return 0;
    return t->group_counts[t->group_col->ids[docid]];
}

/* ---- the cache of filter-only requests ---------------------------------------------- */

/* The entry of key, or NULL. Under cols->mu. */
static centry_t *cache_find(lzs_cols_t *cols, const char *key)
{
    for (size_t i = 0; i < CACHE_SIZE; i++)
        if (cols->cache[i].key && strcmp(cols->cache[i].key, key) == 0)
            return &cols->cache[i];
    return NULL;
}

lzs_tally_t *lzs_cols_cached(lzs_cols_t *cols, const char *key)
{
    pthread_mutex_lock(&cols->mu);
    centry_t *e = cache_find(cols, key);
    lzs_tally_t *t = e ? e->tally : NULL;
    if (t)
        lzs_tally_hold(t);
    pthread_mutex_unlock(&cols->mu);
    return t;
}

lzs_status_t lzs_cols_cache(lzs_cols_t *cols, const char *key, lzs_tally_t *t)
{
    char *k = strdup(key);
    if (!k)
        return LZS_ERR_NOMEM;
    lzs_tally_t *old = NULL;
    char *oldkey = NULL;
    pthread_mutex_lock(&cols->mu);
    /* Two threads may have counted the same request at once: the second replaces the
     * first's entry rather than keeping two. */
    centry_t *e = cache_find(cols, key);
    if (!e) {
        e = &cols->cache[cols->cache_next];
        cols->cache_next = (cols->cache_next + 1) % CACHE_SIZE;
    }
    if (e->tally)
        cols->cache_bytes -= tally_bytes(e->tally) + strlen(e->key) + 1;
    old = e->tally;
    oldkey = e->key;
    lzs_tally_hold(t);
    e->key = k;
    e->tally = t;
    cols->cache_bytes += tally_bytes(t) + strlen(k) + 1;
    pthread_mutex_unlock(&cols->mu);
    /* a caller still holding the old tally keeps it until it lets go */
    free(oldkey);
    lzs_tally_free(old);
    return LZS_OK;
}

/* ---- labels and what else a revision keeps ------------------------------------------ */

/* Keeps label (made by this thread) as the label of id of col unless another thread kept
 * one first; *out: the label kept. Under cols->mu. */
static lzs_status_t keep_label(lzs_col_t *col, uint32_t id, char *label, const char **out)
{
    if (!col->labels) {
        col->labels = calloc(col->nvalues, sizeof *col->labels);
        if (!col->labels) {
            free(label);
            return LZS_ERR_NOMEM;
        }
        col->bytes += col->nvalues * sizeof *col->labels;
    }
    if (col->labels[id]) {
        free(label);
    } else {
        col->labels[id] = label;
        col->bytes += strlen(label) + 1;
    }
    *out = col->labels[id];
    return LZS_OK;
}

lzs_status_t lzs_cols_label(lzs_cols_t *cols, lzs_slot_t slot, char sep, uint32_t id,
                            lzs_col_label_fn make, void *ud, const char **out)
{
    *out = NULL;
    pthread_mutex_lock(&cols->mu);
    lzs_col_t *col = find_col(cols, slot, sep);
    if (col && id < col->nvalues && col->labels)
        *out = col->labels[id];
    pthread_mutex_unlock(&cols->mu);
    if (!col || id >= col->nvalues)
        return LZS_ERR_NOT_FOUND;
    if (*out)
        return LZS_OK;
    /* made without the lock: make reads the index and may itself use the columns */
    lzs_status_t st = LZS_OK;
    char *label = make(ud, col->values[id], &st);
    if (!label)
        return st != LZS_OK ? st : LZS_ERR_NOMEM;
    pthread_mutex_lock(&cols->mu);
    st = keep_label(col, id, label, out);
    pthread_mutex_unlock(&cols->mu);
    return st;
}

void *lzs_cols_extra(lzs_cols_t *cols)
{
    if (!cols)
        return NULL;
    pthread_mutex_lock(&cols->mu);
    void *extra = cols->extra;
    pthread_mutex_unlock(&cols->mu);
    return extra;
}

void *lzs_cols_offer_extra(lzs_cols_t *cols, void *extra, void (*free_fn)(void *))
{
    pthread_mutex_lock(&cols->mu);
    void *kept = cols->extra;
    if (!kept) {
        cols->extra = extra;
        cols->extra_free = free_fn;
        kept = extra;
    }
    pthread_mutex_unlock(&cols->mu);
    if (kept != extra && free_fn)
        free_fn(extra);
    return kept;
}
