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

lzs_status_t lzs_search_check_each(const char *const *dirs, size_t n, char **errmsg)
{
    for (size_t i = 0; i < n; i++) {
        lzs_xdb_t *db = NULL;
        char *xmsg = NULL;
        lzs_status_t st = lzs_xdb_open_readonly(&dirs[i], 1, &db, &xmsg);
        if (st != LZS_OK) {
            lzs_set_errmsg(errmsg, "cannot open the index at %s: %s", dirs[i],
                           xmsg ? xmsg : lzs_status_str(st));
            free(xmsg);
            return st;
        }
        char *schema = NULL;
        size_t len = 0;
        st = lzs_xdb_metadata_get(db, LZS_META_SCHEMA, &schema, &len);
        if (st == LZS_OK && strcmp(schema, LZS_SCHEMA_VERSION) != 0)
            st = LZS_ERR_SCHEMA;
        if (st == LZS_ERR_SCHEMA || st == LZS_ERR_NOT_FOUND) {
            lzs_set_errmsg(errmsg,
                           "the index at %s has schema version %s; this program reads version "
                           "%s: rebuild it with lzs-index",
                           dirs[i], schema ? schema : "(none)", LZS_SCHEMA_VERSION);
            st = LZS_ERR_SCHEMA;
        } else if (st != LZS_OK) {
            lzs_set_errmsg(errmsg, "cannot read the schema version of the index at %s: %s",
                           dirs[i], lzs_xdb_errmsg(db));
        }
        free(schema);
        lzs_xdb_close(db);
        if (st != LZS_OK)
            return st;
    }
    return LZS_OK;
}
