/* multi.c — several indexes searched as one: what must hold of each before they are
 * searched together (see lzs_searcher_open_named in search.h), and what names each of them
 * (its collection). Xapian's metadata calls on a database of several read only the first,
 * so each sub-database, whether given as an --index of its own or named by a Xapian stub,
 * is read alone here (lzs_xdb_sub_open) to be checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lzs/file.h"
#include "lzs/schema.h"
#include "search_internal.h"

/* Schema version of db (opened from dir): LZS_OK, or LZS_ERR_SCHEMA / another failure with
 * *errmsg naming dir. */
static lzs_status_t check_schema(lzs_xdb_t *db, const char *dir, char **errmsg)
{
    char *schema = NULL;
    size_t len = 0;
    lzs_status_t st = lzs_xdb_metadata_get(db, LZS_META_SCHEMA, &schema, &len);
    if (st == LZS_OK && strcmp(schema, LZS_SCHEMA_VERSION) != 0)
        st = LZS_ERR_SCHEMA;
    if (st == LZS_ERR_SCHEMA || st == LZS_ERR_NOT_FOUND) {
        lzs_set_errmsg(errmsg,
                       "the index at %s has schema version %s; this program reads version %s: "
                       "rebuild it with lzs-index",
                       dir, schema ? schema : "(none)", LZS_SCHEMA_VERSION);
        st = LZS_ERR_SCHEMA;
    } else if (st != LZS_OK) {
        lzs_set_errmsg(errmsg, "cannot read the schema version of the index at %s: %s", dir,
                       lzs_xdb_errmsg(db));
    }
    free(schema);
    return st;
}

/* The document ids of the indexes before the current one, and where a duplicate was met. */
typedef struct {
    lzs_sset_t seen;
    lzs_status_t st;
    char *dup; /* the first document id met twice (owned) */
} ids_t;

static int collect_id(void *ud, const char *term, size_t len, uint32_t freq)
{
    ids_t *ids = ud;
    (void)freq;
    if (lzs_sset_has(&ids->seen, term, len)) {
        ids->dup = strndup(term, len);
        ids->st = ids->dup ? LZS_ERR_INVALID : LZS_ERR_NOMEM;
        return 1;
    }
    ids->st = lzs_sset_add(&ids->seen, term, len);
    return ids->st != LZS_OK;
}

/* A document in two indexes would be found twice, its passages counted twice in totals and
 * facets, and /api/doc would read one of them only: refused, naming the id and both
 * indexes. subs[i] is sub-database i of db. */
static lzs_status_t check_ids(lzs_xdb_t *db, lzs_xdb_t *const *subs, size_t n, char **errmsg)
{
    ids_t ids = {.st = LZS_OK};
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        st = lzs_xdb_allterms(subs[i], LZS_PFX_DOC, collect_id, &ids);
        if (st == LZS_OK)
            st = ids.st;
        if (st == LZS_ERR_INVALID) {
            size_t first = 0;
            uint32_t freq = 0;
            while (first < i &&
                   (lzs_xdb_termfreq(subs[first], ids.dup, &freq) != LZS_OK || freq == 0))
                first++;
            lzs_set_errmsg(errmsg,
                           "document %s is in two of the indexes, %s and %s: a document must be "
                           "in one index only",
                           ids.dup + strlen(LZS_PFX_DOC),
                           first < i ? lzs_xdb_sub_where(db, first) : "(another)",
                           lzs_xdb_sub_where(db, i));
        } else if (st != LZS_OK && st != LZS_ERR_NOMEM) {
            lzs_set_errmsg(errmsg, "cannot read the document ids of the index at %s: %s",
                           lzs_xdb_sub_where(db, i), lzs_xdb_errmsg(subs[i]));
        }
    }
    free(ids.dup);
    lzs_sset_clear(&ids.seen);
    return st;
}

/* The collection names are the values of the collection facet and filter: two indexes
 * with one name could not be told apart (two directories called "index", say). */
static lzs_status_t check_names(lzs_xdb_t *db, size_t n, char **errmsg)
{
    for (size_t i = 0; i < n; i++) {
        const char *name = lzs_xdb_sub_name(db, i);
        if (name[0] == '\0') {
            lzs_set_errmsg(errmsg,
                           "the index at %s has an empty collection name: name it with --index "
                           "NAME=PATH",
                           lzs_xdb_sub_where(db, i));
            return LZS_ERR_INVALID;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(name, lzs_xdb_sub_name(db, j)) == 0) {
                lzs_set_errmsg(errmsg,
                               "two indexes are both called '%s' (%s and %s), the name of the "
                               "collection each passage comes from: name them apart with "
                               "--index NAME=PATH",
                               name, lzs_xdb_sub_where(db, j), lzs_xdb_sub_where(db, i));
                return LZS_ERR_INVALID;
            }
        }
    }
    return LZS_OK;
}

lzs_status_t lzs_search_check_each(lzs_xdb_t *db, char **errmsg)
{
    size_t n = lzs_xdb_subcount(db);
    if (n < 2)
        return LZS_OK;
    lzs_status_t st = check_names(db, n, errmsg);
    if (st != LZS_OK)
        return st;
    lzs_xdb_t **subs = calloc(n, sizeof *subs);
    if (!subs)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        st = lzs_xdb_sub_open(db, i, &subs[i]);
        if (st != LZS_OK)
            lzs_set_errmsg(errmsg, "cannot read the index at %s: %s", lzs_xdb_sub_where(db, i),
                           lzs_xdb_errmsg(db));
        else
            st = check_schema(subs[i], lzs_xdb_sub_where(db, i), errmsg);
    }
    if (st == LZS_OK)
        st = check_ids(db, subs, n, errmsg);
    for (size_t i = 0; i < n; i++)
        lzs_xdb_close(subs[i]);
    free(subs);
    return st;
}

lzs_status_t lzs_search_filter_collections(lzs_searcher_t *s, const lzs_search_req_t *req,
                                           lzs_compiled_t *c, lzs_search_error_t *err)
{
    if (req->ncollections == 0)
        return LZS_OK;
    if (req->ncollections > LZS_SEARCH_MAX_VALUES)
        return lzs_search_fail(err, LZS_ERR_LIMIT, "limit", "collection", -1,
                               "too many values of parameter 'collection' (at most %d)",
                               LZS_SEARCH_MAX_VALUES);
    size_t n = lzs_xdb_subcount(s->db);
    /* The filter is a query of this program, sent to every database searched: a remote
     * one (xapian-tcpsrv) cannot run it, chosen or not. */
    for (size_t i = 0; i < n; i++) {
        if (lzs_xdb_sub_is_remote(s->db, i))
            return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "collection", -1,
                                   "parameter 'collection' cannot be used here: the index "
                                   "'%.100s' is a remote database (xapian-tcpsrv), which runs "
                                   "no filter of this program",
                                   lzs_xdb_sub_name(s->db, i));
    }
    size_t subs[LZS_SEARCH_MAX_VALUES];
    size_t nsubs = 0;
    lzs_status_t st = LZS_OK;
    for (size_t k = 0; k < req->ncollections && st == LZS_OK; k++) {
        const char *want = req->collections[k];
        size_t i = 0;
        while (i < n && strcmp(lzs_xdb_sub_name(s->db, i), want) != 0)
            i++;
        if (i == n)
            return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "collection", -1,
                                   "parameter 'collection': no index is called '%.100s' (the "
                                   "collection facet lists their names)",
                                   want);
        subs[nsubs++] = i;
        st = lzs_reading_filter(&c->reading, "collection", want, want, "param", 0);
    }
    lzs_xquery_t *only = NULL, *both = NULL;
    if (st == LZS_OK)
        st = lzs_xquery_subs(s->db, subs, nsubs, &only);
    if (st == LZS_OK) {
        lzs_xquery_t *parts[2] = {c->query, only};
        if (c->query)
            st = lzs_xquery_combine(LZS_XQ_FILTER, parts, 2, 0, &both);
        else
            both = only, only = NULL;
    }
    lzs_xquery_destroy(only);
    if (st != LZS_OK)
        return lzs_search_index_fail(NULL, st, err);
    lzs_xquery_destroy(c->query);
    c->query = both;
    return LZS_OK;
}
