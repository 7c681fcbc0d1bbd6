/* pool.c — which facet columns a searcher counts over: its own, or those of a pool shared
 * by the searchers of one process (lzs_search_pool_t in search.h), one lzs_cols_t per
 * state of the indexes, reference-counted by the searchers at that state.
 *
 * A state is named by what is true of it in any thread: for each sub-database, in order,
 * its collection name, UUID and revision (a searcher's generation counts its own reopens
 * only), and the extractor (the cites column's table of opinions and its labels come from
 * it). A remote sub-database reports no revision: a searcher over one keeps columns of its
 * own.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lzs/buf.h"
#include "columns_internal.h"
#include "search_internal.h"

/* The columns of one state, and how many searchers count over them. */
typedef struct pentry {
    char *key;
    lzs_cols_t *cols;
    size_t refs;
    struct pentry *next;
} pentry_t;

/* mu guards the list and every refs; taken before a lzs_cols_t's own lock, never after. */
struct lzs_search_pool {
    pthread_mutex_t mu;
    pentry_t *entries;
};

lzs_status_t lzs_search_pool_create(lzs_search_pool_t **out)
{
    *out = NULL;
    lzs_search_pool_t *p = calloc(1, sizeof *p);
    if (!p)
        return LZS_ERR_NOMEM;
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return LZS_ERR_NOMEM;
    }
    *out = p;
    return LZS_OK;
}

void lzs_search_pool_destroy(lzs_search_pool_t *pool)
{
    if (!pool)
        return;
    /* every searcher given the pool is closed: no entry is left but by a caller's mistake,
     * and its columns go with the pool */
    pentry_t *e = pool->entries;
    while (e) {
        pentry_t *next = e->next;
        lzs_cols_destroy(e->cols);
        free(e->key);
        free(e);
        e = next;
    }
    pthread_mutex_destroy(&pool->mu);
    free(pool);
}

size_t lzs_search_pool_bytes(lzs_search_pool_t *pool)
{
    size_t b = 0;
    if (!pool)
        return 0;
    pthread_mutex_lock(&pool->mu);
    for (const pentry_t *e = pool->entries; e; e = e->next)
        b += lzs_cols_bytes(e->cols);
    pthread_mutex_unlock(&pool->mu);
    return b;
}

size_t lzs_search_pool_revisions(lzs_search_pool_t *pool)
{
    size_t n = 0;
    if (!pool)
        return 0;
    pthread_mutex_lock(&pool->mu);
    for (const pentry_t *e = pool->entries; e; e = e->next)
        n++;
    pthread_mutex_unlock(&pool->mu);
    return n;
}

/* The name of the state s->db shows (see the top of the file): *key caller frees with
 * free(). LZS_ERR_UNSUPPORTED when a sub-database has no known state (a remote one). */
static lzs_status_t state_key(lzs_searcher_t *s, char **key)
{
    *key = NULL;
    lzs_buf_t b = {0};
    size_t n = lzs_xdb_subcount(s->db);
    lzs_buf_printf(&b, "%p %zu", (const void *)s->ex, n);
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        char *uuid = NULL;
        uint64_t rev = 0;
        st = lzs_xdb_sub_uuid(s->db, i, &uuid);
        if (st == LZS_OK)
            st = lzs_xdb_sub_revision(s->db, i, &rev);
        if (st == LZS_OK) {
            /* the name's length first: a name may hold any byte but NUL */
            const char *name = lzs_xdb_sub_name(s->db, i);
            lzs_buf_printf(&b, " %zu:%s %s %llu", strlen(name), name, uuid,
                           (unsigned long long)rev);
        }
        free(uuid);
    }
    if (st == LZS_OK && b.failed)
        st = LZS_ERR_NOMEM;
    if (st == LZS_OK)
        *key = lzs_buf_take(&b, NULL);
    lzs_buf_free(&b);
    return st == LZS_OK && !*key ? LZS_ERR_NOMEM : st;
}

/* The entry of key, or NULL. Under pool->mu. */
static pentry_t *pool_find(lzs_search_pool_t *pool, const char *key)
{
    for (pentry_t *e = pool->entries; e; e = e->next) {
        if (strcmp(e->key, key) == 0)
            return e;
    }
    return NULL;
}

/* The pool's columns of the state named key, made for db when no searcher counts over
 * them (db: the caller's, at that state), with one more reference: *out. Takes key. */
static lzs_status_t pool_acquire(lzs_search_pool_t *pool, lzs_xdb_t *db, char *key,
                                 lzs_cols_t **out)
{
    *out = NULL;
    pthread_mutex_lock(&pool->mu);
    pentry_t *e = pool_find(pool, key);
    if (e) {
        e->refs++;
        *out = e->cols;
    }
    pthread_mutex_unlock(&pool->mu);
    if (*out) {
        free(key);
        return LZS_OK;
    }
    /* made without the lock (it reads the index); another thread may make the same */
    lzs_cols_t *cols = NULL;
    lzs_status_t st = lzs_cols_create(db, &cols);
    pentry_t *fresh = st == LZS_OK ? calloc(1, sizeof *fresh) : NULL;
    if (!fresh) {
        lzs_cols_destroy(cols);
        free(key);
        return st == LZS_OK ? LZS_ERR_NOMEM : st;
    }
    pthread_mutex_lock(&pool->mu);
    e = pool_find(pool, key);
    if (!e) {
        *fresh = (pentry_t){key, cols, 0, pool->entries};
        pool->entries = fresh;
        e = fresh;
        fresh = NULL;
    }
    e->refs++;
    *out = e->cols;
    pthread_mutex_unlock(&pool->mu);
    if (fresh) {
        lzs_cols_destroy(cols);
        free(key);
        free(fresh);
    }
    return LZS_OK;
}

/* Lets go of the pool's columns cols; the last searcher frees them. */
static void pool_release(lzs_search_pool_t *pool, lzs_cols_t *cols)
{
    pentry_t *gone = NULL;
    pthread_mutex_lock(&pool->mu);
    for (pentry_t **at = &pool->entries; *at; at = &(*at)->next) {
        if ((*at)->cols == cols) {
            if (--(*at)->refs == 0) {
                gone = *at;
                *at = gone->next;
            }
            break;
        }
    }
    pthread_mutex_unlock(&pool->mu);
    if (gone) {
        lzs_cols_destroy(gone->cols);
        free(gone->key);
        free(gone);
    }
}

void lzs_search_release_cols(lzs_searcher_t *s)
{
    if (s->cols && s->cols_pooled)
        pool_release(s->pool, s->cols);
    else
        lzs_cols_destroy(s->cols);
    s->cols = NULL;
    s->cols_pooled = 0;
}

lzs_status_t lzs_search_current_cols(lzs_searcher_t *s)
{
    if (s->cols && s->cols_generation == s->generation)
        return LZS_OK;
    lzs_search_release_cols(s);
    char *key = NULL;
    lzs_status_t st = s->pool ? state_key(s, &key) : LZS_ERR_UNSUPPORTED;
    if (st == LZS_OK) {
        st = pool_acquire(s->pool, s->db, key, &s->cols);
        s->cols_pooled = st == LZS_OK;
    } else if (st == LZS_ERR_UNSUPPORTED) {
        /* no pool, or a state no other searcher can be known to share: columns of its own */
        st = lzs_cols_create(s->db, &s->cols);
    }
    if (st == LZS_OK)
        s->cols_generation = s->generation;
    return st;
}

void lzs_searcher_set_pool(lzs_searcher_t *s, lzs_search_pool_t *pool)
{
    if (!s || s->pool == pool)
        return;
    lzs_search_release_cols(s);
    s->pool = pool;
}
