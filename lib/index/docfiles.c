/* docfiles.c — the files of each document: one document may come as .docx, .pdf and .md
 * at once; the file read best gives its passages (run.c), and the index lists all of them
 * under "lzs:docfiles:<document id>" (see schema.h), for the document view and
 * GET /api/file. The list is rebuilt from the file list at the end of every run. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "index/index_internal.h"
#include "lzs/extract.h"
#include "lzs/file.h"
#include "core/json_internal.h"
#include "lzs/schema.h"

typedef struct {
    char *doc;
    char *path;   /* absolute */
    char *source; /* below its corpus directory */
    int alt;
    int rank;
} entry_t;

typedef struct {
    lzs_xdb_t *db;
    entry_t *v;
    size_t n, cap;
    lzs_strlist_t stale; /* document ids of the lists that exist now */
    lzs_status_t st;
} table_t;

static int collect_entry(void *ud, const char *key, size_t keylen)
{
    table_t *t = ud;
    char *k = strndup(key, keylen);
    char *val = NULL;
    size_t len = 0;
    if (k == NULL) {
        t->st = LZS_ERR_NOMEM;
        return 1;
    }
    lzs_status_t st = lzs_xdb_metadata_get(t->db, k, &val, &len);
    json_t *e = NULL;
    if (st == LZS_OK && len > 0)
        st = lzs_json_parse(val, len, 0, NULL, &e) == LZS_ERR_NOMEM ? LZS_ERR_NOMEM : LZS_OK;
    free(val);
    const char *doc = json_string_value(json_object_get(e, "doc"));
    if (st == LZS_OK && doc && *doc) {
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 64;
            entry_t *v = realloc(t->v, cap * sizeof *v);
            if (v == NULL)
                st = LZS_ERR_NOMEM;
            else {
                t->v = v;
                t->cap = cap;
            }
        }
        if (st == LZS_OK) {
            const char *path = k + strlen(LZS_META_FILE_PREFIX);
            const char *src = json_string_value(json_object_get(e, "source"));
            entry_t *en = &t->v[t->n];
            en->doc = strdup(doc);
            en->path = strdup(path);
            /* entries written before sources were recorded: the file's name */
            const char *slash = strrchr(path, '/');
            en->source = strdup(src ? src : slash ? slash + 1 : path);
            en->alt = json_is_true(json_object_get(e, "alt"));
            en->rank = lzs_extract_format_rank(path);
            if (!en->doc || !en->path || !en->source) {
                free(en->doc);
                free(en->path);
                free(en->source);
                st = LZS_ERR_NOMEM;
            } else {
                t->n++;
            }
        }
    }
    json_decref(e);
    free(k);
    t->st = st;
    return st != LZS_OK;
}

static int collect_list(void *ud, const char *key, size_t keylen)
{
    table_t *t = ud;
    size_t pl = strlen(LZS_META_DOCFILES_PREFIX);
    char *doc = strndup(key + pl, keylen - pl);
    if (doc == NULL || lzs_strlist_push(&t->stale, doc) != LZS_OK) {
        free(doc);
        t->st = LZS_ERR_NOMEM;
        return 1;
    }
    free(doc);
    return 0;
}

/* Documents together; in a document, the file giving the passages first, then by format
 * (read best first) and path. */
static int cmp_entry(const void *a, const void *b)
{
    const entry_t *x = a, *y = b;
    int c = strcmp(x->doc, y->doc);
    if (c == 0)
        c = x->alt - y->alt;
    if (c == 0)
        c = (x->rank > y->rank) - (x->rank < y->rank);
    if (c == 0)
        c = strcmp(x->path, y->path);
    return c;
}

/* Writes the list of the documents entries [i, e) when it differs from what is stored. */
static lzs_status_t write_list(lzs_xdb_t *db, const entry_t *v, size_t i, size_t e)
{
    json_t *arr = json_array();
    lzs_status_t st = arr ? LZS_OK : LZS_ERR_NOMEM;
    for (size_t k = i; st == LZS_OK && k < e; k++) {
        json_t *o = json_pack("{s:s, s:s, s:s}", "path", v[k].source, "format",
                              lzs_extract_format(v[k].path) ? lzs_extract_format(v[k].path)
                                                            : "unknown",
                              "file", v[k].path);
        if (o == NULL || json_array_append_new(arr, o) != 0)
            st = LZS_ERR_NOMEM;
    }
    char *val = st == LZS_OK ? json_dumps(arr, JSON_COMPACT) : NULL;
    json_decref(arr);
    size_t kl = strlen(LZS_META_DOCFILES_PREFIX) + strlen(v[i].doc) + 1;
    char *key = malloc(kl);
    if (val == NULL || key == NULL) {
        free(val);
        free(key);
        return LZS_ERR_NOMEM;
    }
    memcpy(key, LZS_META_DOCFILES_PREFIX, strlen(LZS_META_DOCFILES_PREFIX) + 1);
    strcat(key, v[i].doc);
    char *old = NULL;
    size_t oldlen = 0;
    st = lzs_xdb_metadata_get(db, key, &old, &oldlen);
    if (st == LZS_ERR_NOT_FOUND)
        st = LZS_OK;
    if (st == LZS_OK && !(old && oldlen == strlen(val) && memcmp(old, val, oldlen) == 0))
        st = lzs_xdb_metadata_set(db, key, val, strlen(val));
    free(old);
    free(val);
    free(key);
    return st;
}

lzs_status_t lzs_docfiles_write(lzs_xdb_t *db, char **errmsg)
{
    table_t t = {.db = db};
    lzs_status_t st = lzs_xdb_metadata_keys(db, LZS_META_FILE_PREFIX, collect_entry, &t);
    if (st == LZS_OK)
        st = t.st;
    if (st == LZS_OK)
        st = lzs_xdb_metadata_keys(db, LZS_META_DOCFILES_PREFIX, collect_list, &t);
    if (st == LZS_OK)
        st = t.st;
    if (st == LZS_OK && t.n > 1)
        qsort(t.v, t.n, sizeof *t.v, cmp_entry);
    for (size_t i = 0; st == LZS_OK && i < t.n;) {
        size_t e = i;
        while (e < t.n && strcmp(t.v[e].doc, t.v[i].doc) == 0)
            e++;
        st = write_list(db, t.v, i, e);
        /* this document's list is current: not stale */
        for (size_t k = 0; k < t.stale.n; k++) {
            if (t.stale.items[k] && strcmp(t.stale.items[k], t.v[i].doc) == 0) {
                free(t.stale.items[k]);
                t.stale.items[k] = NULL;
            }
        }
        i = e;
    }
    /* lists of documents that have no file any more */
    for (size_t k = 0; st == LZS_OK && k < t.stale.n; k++) {
        if (t.stale.items[k] == NULL)
            continue;
        size_t kl = strlen(LZS_META_DOCFILES_PREFIX) + strlen(t.stale.items[k]) + 1;
        char *key = malloc(kl);
        if (key == NULL) {
            st = LZS_ERR_NOMEM;
            break;
        }
        memcpy(key, LZS_META_DOCFILES_PREFIX, strlen(LZS_META_DOCFILES_PREFIX) + 1);
        strcat(key, t.stale.items[k]);
        st = lzs_xdb_metadata_set(db, key, "", 0);
        free(key);
    }
    for (size_t i = 0; i < t.n; i++) {
        free(t.v[i].doc);
        free(t.v[i].path);
        free(t.v[i].source);
    }
    free(t.v);
    lzs_strlist_clear(&t.stale);
    if (st == LZS_ERR_NOMEM)
        lzs_set_errmsg(errmsg, "listing the files of each document: out of memory");
    return st;
}
