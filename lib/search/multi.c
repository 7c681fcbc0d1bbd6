/* multi.c — several indexes searched as one: what must hold of each before they are
 * joined (see lzs_searcher_open_many in search.h). Xapian's metadata calls on a database
 * of several read only the first, so each index is opened alone here to be checked.
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
 * indexes. dbs[i] is opened from dirs[i]. */
static lzs_status_t check_ids(lzs_xdb_t *const *dbs, const char *const *dirs, size_t n,
                              char **errmsg)
{
    ids_t ids = {.st = LZS_OK};
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        st = lzs_xdb_allterms(dbs[i], LZS_PFX_DOC, collect_id, &ids);
        if (st == LZS_OK)
            st = ids.st;
        if (st == LZS_ERR_INVALID) {
            size_t first = 0;
            uint32_t freq = 0;
            while (first < i &&
                   (lzs_xdb_termfreq(dbs[first], ids.dup, &freq) != LZS_OK || freq == 0))
                first++;
            lzs_set_errmsg(errmsg,
                           "document %s is in two of the indexes, %s and %s: a document must be "
                           "in one index only",
                           ids.dup + strlen(LZS_PFX_DOC), first < i ? dirs[first] : "(another)",
                           dirs[i]);
        } else if (st != LZS_OK && st != LZS_ERR_NOMEM) {
            lzs_set_errmsg(errmsg, "cannot read the document ids of the index at %s: %s", dirs[i],
                           lzs_xdb_errmsg(dbs[i]));
        }
    }
    free(ids.dup);
    lzs_sset_clear(&ids.seen);
    return st;
}

lzs_status_t lzs_search_check_each(const char *const *dirs, size_t n, char **errmsg)
{
    lzs_xdb_t **dbs = calloc(n, sizeof *dbs);
    if (!dbs)
        return LZS_ERR_NOMEM;
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        char *xmsg = NULL;
        st = lzs_xdb_open_readonly(&dirs[i], 1, &dbs[i], &xmsg);
        if (st != LZS_OK)
            lzs_set_errmsg(errmsg, "cannot open the index at %s: %s", dirs[i],
                           xmsg ? xmsg : lzs_status_str(st));
        else
            st = check_schema(dbs[i], dirs[i], errmsg);
        free(xmsg);
    }
    if (st == LZS_OK)
        st = check_ids(dbs, dirs, n, errmsg);
    for (size_t i = 0; i < n; i++)
        lzs_xdb_close(dbs[i]);
    free(dbs);
    return st;
}
