/* tool.c — lzs-index-testtool, a helper of the indexer's integration tests.
 *
 *   lzs-index-testtool dump INDEX        prints the content of an index in a canonical
 *                                        form (passages by id with data, values and terms
 *                                        with wdf; metadata but the run statistics and
 *                                        the commit time;
 *                                        synonyms; the spelling table with frequencies),
 *                                        so two indexes can be compared by diff
 *   lzs-index-testtool lock INDEX SECS   holds the write lock of INDEX for SECS seconds
 *                                        ("-": until the tool is killed)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lzs/schema.h"
#include "lzs/xdb.h"

static void put_escaped(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '\\')
            printf("\\x%02x", c);
        else
            putchar(c);
    }
}

typedef struct {
    char **v;
    size_t n, cap;
} list_t;

static int collect(void *ud, const char *s, size_t len, uint32_t freq)
{
    (void)freq;
    list_t *l = ud;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v)
            abort();
    }
    l->v[l->n] = strndup(s, len);
    if (!l->v[l->n])
        abort();
    l->n++;
    return 0;
}

static int collect_key(void *ud, const char *s, size_t len)
{
    return collect(ud, s, len, 0);
}

static void list_free(list_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static int first_docid(void *ud, lzs_docid_t id)
{
    *(lzs_docid_t *)ud = id;
    return 1;
}

static int print_term(void *ud, const char *term, size_t len, uint32_t wdf)
{
    (void)ud;
    printf("  term ");
    put_escaped(term, len);
    printf(" %u\n", wdf);
    return 0;
}

static int print_syn(void *ud, const char *term, size_t len, uint32_t freq)
{
    (void)ud;
    (void)freq;
    printf("  = ");
    put_escaped(term, len);
    putchar('\n');
    return 0;
}

static int print_spelling(void *ud, const char *word, size_t len, uint32_t freq)
{
    (void)ud;
    printf("spelling ");
    put_escaped(word, len);
    printf(" %u\n", freq);
    return 0;
}

static int fail(lzs_xdb_t *db, const char *what)
{
    fprintf(stderr, "lzs-index-testtool: %s: %s\n", what, db ? lzs_xdb_errmsg(db) : "");
    lzs_xdb_close(db);
    return 1;
}

static int dump(const char *dir)
{
    lzs_xdb_t *db = NULL;
    char *err = NULL;
    const char *paths[] = {dir};
    if (lzs_xdb_open_readonly(paths, 1, &db, &err) != LZS_OK) {
        fprintf(stderr, "lzs-index-testtool: cannot open %s: %s\n", dir, err ? err : "");
        free(err);
        return 1;
    }
    uint32_t n = 0;
    if (lzs_xdb_doccount(db, &n) != LZS_OK)
        return fail(db, "doccount");
    printf("doccount %u\n", n);
    list_t ids = {0};
    if (lzs_xdb_allterms(db, LZS_PFX_ID, collect, &ids) != LZS_OK)
        return fail(db, "allterms");
    for (size_t i = 0; i < ids.n; i++) {
        lzs_docid_t did = 0;
        lzs_xdoc_t *doc = NULL;
        if (lzs_xdb_postlist(db, ids.v[i], first_docid, &did) != LZS_OK ||
            lzs_xdb_get_document(db, did, &doc) != LZS_OK)
            return fail(db, ids.v[i]);
        printf("passage %s\n", ids.v[i]);
        char *v = NULL;
        size_t len = 0;
        if (lzs_xdoc_get_data(doc, &v, &len) != LZS_OK)
            return fail(db, "data");
        printf("  data ");
        put_escaped(v, len);
        putchar('\n');
        free(v);
        for (lzs_slot_t s = 0; s < 32; s++) {
            if (lzs_xdoc_get_value(doc, s, &v, &len) != LZS_OK)
                return fail(db, "value");
            if (len > 0) {
                printf("  value %u ", s);
                put_escaped(v, len);
                putchar('\n');
            }
            free(v);
        }
        if (lzs_xdoc_terms(doc, print_term, NULL) != LZS_OK)
            return fail(db, "terms");
        lzs_xdoc_destroy(doc);
    }
    list_free(&ids);
    list_t keys = {0};
    if (lzs_xdb_metadata_keys(db, "", collect_key, &keys) != LZS_OK)
        return fail(db, "metadata keys");
    for (size_t i = 0; i < keys.n; i++) {
        /* times, never those of another build: the last run's summary, when each
         * document was indexed, when the run committed */
        if (strcmp(keys.v[i], LZS_META_STATS) == 0 || strcmp(keys.v[i], LZS_META_COMMITTED) == 0 ||
            strncmp(keys.v[i], LZS_META_INDEXED_PREFIX, strlen(LZS_META_INDEXED_PREFIX)) == 0)
            continue;
        char *v = NULL;
        size_t len = 0;
        if (lzs_xdb_metadata_get(db, keys.v[i], &v, &len) != LZS_OK)
            return fail(db, "metadata");
        printf("meta %s ", keys.v[i]);
        put_escaped(v, len);
        putchar('\n');
        free(v);
    }
    list_free(&keys);
    list_t syn = {0};
    if (lzs_xdb_synonym_keys(db, "", collect, &syn) != LZS_OK)
        return fail(db, "synonym keys");
    for (size_t i = 0; i < syn.n; i++) {
        printf("synonyms %s\n", syn.v[i]);
        if (lzs_xdb_synonyms(db, syn.v[i], print_syn, NULL) != LZS_OK)
            return fail(db, "synonyms");
    }
    list_free(&syn);
    if (lzs_xdb_spellings(db, print_spelling, NULL) != LZS_OK)
        return fail(db, "spelling table");
    lzs_xdb_close(db);
    return fflush(stdout) == 0 ? 0 : 1;
}

static int hold_lock(const char *dir, const char *secs)
{
    lzs_xdb_t *db = NULL;
    char *err = NULL;
    if (lzs_xdb_open_writable(dir, LZS_XDB_CREATE_OR_OPEN, &db, &err) != LZS_OK) {
        fprintf(stderr, "lzs-index-testtool: cannot lock %s: %s\n", dir, err ? err : "");
        free(err);
        return 1;
    }
    printf("locked\n");
    fflush(stdout);
    if (strcmp(secs, "-") == 0) {
        for (;;)
            pause(); /* until a signal ends the process, and the lock with it */
    }
    double s = atof(secs);
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
    lzs_xdb_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "dump") == 0)
        return dump(argv[2]);
    if (argc == 4 && strcmp(argv[1], "lock") == 0)
        return hold_lock(argv[2], argv[3]);
    fprintf(stderr, "usage: lzs-index-testtool dump INDEX | lock INDEX SECONDS\n");
    return 2;
}
