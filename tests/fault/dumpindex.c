/* dumpindex.c — prints the whole content of a lanzasearch index in a canonical text form,
 * for the crash and fault-injection tests to compare an index with a clean build.
 *
 *   lzs-dumpindex INDEX_DIR
 *
 * Output: one "meta" line per metadata key (sorted; "lzs:stats", "lzs:committed" and
 * "lzs:indexed:*" are left out because they record times of the runs), then one "doc" line
 * per Xapian document with its terms and wdf, its values and its data, in an order that
 * does not depend on docids (the lines are sorted), then "count N". Bytes outside
 * printable ASCII are written \xNN.
 * Opening the index read-only and reading every document is itself the check that "the
 * index opens": any failure exits with status 1 and a message. Exit status 3: there is no
 * index at INDEX_DIR (nothing was ever committed there).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lzs/buf.h"
#include "lzs/schema.h"
#include "lzs/xdb.h"

/* Appends len bytes of s: 0, or -1 when out of memory. */
static int buf_put(lzs_buf_t *b, const char *s, size_t len)
{
    lzs_buf_append(b, s, len);
    return b->failed ? -1 : 0;
}

/* Appends s escaped: printable ASCII as is except backslash, the rest as \xNN. */
static int buf_escaped(lzs_buf_t *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char tmp[5];
        if (c >= 0x20 && c < 0x7F && c != '\\' && c != ' ') {
            tmp[0] = (char)c;
            if (buf_put(b, tmp, 1) != 0) {
                return -1;
            }
        } else {
            snprintf(tmp, sizeof tmp, "\\x%02X", c);
            if (buf_put(b, tmp, 4) != 0) {
                return -1;
            }
        }
    }
    return 0;
}

typedef struct {
    char **items;
    size_t n, cap;
} lines_t;

static int lines_push(lines_t *l, char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        char **p = realloc(l->items, cap * sizeof *p);
        if (!p) {
            return -1;
        }
        l->items = p;
        l->cap = cap;
    }
    l->items[l->n++] = s;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int on_term(void *ud, const char *term, size_t len, uint32_t wdf)
{
    lzs_buf_t *b = ud;
    char num[16];
    int n = snprintf(num, sizeof num, ":%u", wdf);
    if (buf_put(b, " ", 1) != 0 || buf_escaped(b, term, len) != 0 ||
        buf_put(b, num, (size_t)n) != 0) {
        return 1;
    }
    return 0;
}

typedef struct {
    lzs_xdb_t *db;
    lines_t *lines;
    int failed;
} meta_ctx_t;

static int on_key(void *ud, const char *key, size_t len)
{
    meta_ctx_t *m = ud;
    if (len == strlen(LZS_META_STATS) && memcmp(key, LZS_META_STATS, len) == 0) {
        return 0;
    }
    /* when the run committed: never that of a clean build */
    if (len == strlen(LZS_META_COMMITTED) && memcmp(key, LZS_META_COMMITTED, len) == 0) {
        return 0;
    }
    /* times of indexing: never those of a clean build */
    if (len >= strlen(LZS_META_INDEXED_PREFIX) &&
        memcmp(key, LZS_META_INDEXED_PREFIX, strlen(LZS_META_INDEXED_PREFIX)) == 0) {
        return 0;
    }
    char *k = strndup(key, len);
    char *value = NULL;
    size_t vlen = 0;
    lzs_buf_t b = {0};
    if (!k || lzs_xdb_metadata_get(m->db, k, &value, &vlen) != LZS_OK ||
        buf_put(&b, "meta ", 5) != 0 || buf_escaped(&b, key, len) != 0 ||
        buf_put(&b, " ", 1) != 0 || buf_escaped(&b, value, vlen) != 0 ||
        lines_push(m->lines, b.data) != 0) {
        fprintf(stderr, "lzs-dumpindex: cannot read metadata key %.*s: %s\n", (int)len, key,
                lzs_xdb_errmsg(m->db));
        m->failed = 1;
        free(b.data);
        free(k);
        free(value);
        return 1;
    }
    free(k);
    free(value);
    return 0;
}

/* The line of one document, or NULL (message printed). */
static char *doc_line(lzs_xdb_t *db, lzs_xdoc_t *doc, lzs_docid_t id)
{
    lzs_buf_t b = {0};
    int bad = buf_put(&b, "doc terms", 9) != 0;
    if (!bad && lzs_xdoc_terms(doc, on_term, &b) != LZS_OK) {
        bad = 1;
    }
    for (lzs_slot_t slot = 0; !bad && slot <= LZS_SLOT_REC + 4; slot++) {
        char *v = NULL;
        size_t vlen = 0;
        if (lzs_xdoc_get_value(doc, slot, &v, &vlen) != LZS_OK) {
            bad = 1;
            break;
        }
        if (vlen > 0) {
            char head[24];
            int n = snprintf(head, sizeof head, " value%u=", slot);
            bad = buf_put(&b, head, (size_t)n) != 0 || buf_escaped(&b, v, vlen) != 0;
        }
        free(v);
    }
    char *data = NULL;
    size_t dlen = 0;
    if (!bad && lzs_xdoc_get_data(doc, &data, &dlen) != LZS_OK) {
        bad = 1;
    }
    if (!bad) {
        bad = buf_put(&b, " data=", 6) != 0 || buf_escaped(&b, data, dlen) != 0;
    }
    free(data);
    if (bad) {
        fprintf(stderr, "lzs-dumpindex: cannot read document %u: %s\n", id, lzs_xdb_errmsg(db));
        free(b.data);
        return NULL;
    }
    return b.data;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: lzs-dumpindex INDEX_DIR\n");
        return 2;
    }
    struct stat st;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/iamglass", argv[1]);
    if (stat(argv[1], &st) != 0 || stat(probe, &st) != 0) {
        /* Also the state after a run killed before its first commit. */
        printf("absent\n");
        return 3;
    }
    const char *paths[] = {argv[1]};
    lzs_xdb_t *db = NULL;
    char *msg = NULL;
    lzs_status_t rc = lzs_xdb_open_readonly(paths, 1, &db, &msg);
    if (rc != LZS_OK) {
        fprintf(stderr, "lzs-dumpindex: cannot open %s: %s\n", argv[1],
                msg ? msg : lzs_status_str(rc));
        free(msg);
        return 1;
    }
    int status = 0;
    lines_t meta = {0}, docs = {0};
    meta_ctx_t mctx = {db, &meta, 0};
    uint32_t count = 0;
    lzs_docid_t last = 0;
    if (lzs_xdb_metadata_keys(db, "", on_key, &mctx) != LZS_OK || mctx.failed ||
        lzs_xdb_doccount(db, &count) != LZS_OK || lzs_xdb_lastdocid(db, &last) != LZS_OK) {
        fprintf(stderr, "lzs-dumpindex: cannot read %s: %s\n", argv[1], lzs_xdb_errmsg(db));
        status = 1;
    }
    for (lzs_docid_t id = 1; status == 0 && id <= last && id != 0; id++) {
        lzs_xdoc_t *doc = NULL;
        rc = lzs_xdb_get_document(db, id, &doc);
        if (rc == LZS_ERR_NOT_FOUND) {
            continue;
        }
        char *line = rc == LZS_OK ? doc_line(db, doc, id) : NULL;
        lzs_xdoc_destroy(doc);
        if (!line || lines_push(&docs, line) != 0) {
            fprintf(stderr, "lzs-dumpindex: cannot read document %u of %s: %s\n", id, argv[1],
                    lzs_xdb_errmsg(db));
            free(line);
            status = 1;
        }
    }
    if (status == 0 && docs.n != count) {
        fprintf(stderr, "lzs-dumpindex: %s: %zu documents read, doccount says %u\n", argv[1],
                docs.n, count);
        status = 1;
    }
    if (status == 0) {
        if (meta.n > 0) {
            qsort(meta.items, meta.n, sizeof *meta.items, cmp_str);
        }
        if (docs.n > 0) {
            qsort(docs.items, docs.n, sizeof *docs.items, cmp_str);
        }
        for (size_t i = 0; i < meta.n; i++) {
            puts(meta.items[i]);
        }
        for (size_t i = 0; i < docs.n; i++) {
            puts(docs.items[i]);
        }
        printf("count %u\n", count);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "lzs-dumpindex: write error: %s\n", strerror(errno));
            status = 1;
        }
    }
    for (size_t i = 0; i < meta.n; i++) {
        free(meta.items[i]);
    }
    for (size_t i = 0; i < docs.n; i++) {
        free(docs.items[i]);
    }
    free(meta.items);
    free(docs.items);
    lzs_xdb_close(db);
    return status;
}
