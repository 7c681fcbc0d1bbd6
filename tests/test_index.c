/* test_index.c — the indexer: SHA-256, passage documents, a build of the shipped corpus
 * (counts, facet terms, stored data, synonyms, spelling), incremental runs, bad files,
 * special files (FIFOs, sockets), symbolic links, the mass-deletion guard, the index
 * directory (marker, stubs, other databases), locking, schema versions, cancellation. */
/* nftw() */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "index/index_internal.h"
#include "zipbuild.h"
#include "lzs/extract.h"
#include "lzs/index.h"
#include "lzs/paths.h"
#include "lzs/schema.h"
#include "lzs/xdb.h"

/* ---- fixture helpers ----------------------------------------------------------- */

typedef struct {
    char root[256];
    char corpus[300];
    char index[300];
} tmp_t;

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 > cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *buf = read_all(from, &len);
    write_file(to, buf, len);
    free(buf);
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* A temp dir with a copy of the shipped corpus documents (not its data/). */
static int setup_tmp(void **state)
{
    tmp_t *t = calloc(1, sizeof *t);
    snprintf(t->root, sizeof t->root, "/tmp/lzs-test-index-XXXXXX");
    if (!mkdtemp(t->root))
        return -1;
    snprintf(t->corpus, sizeof t->corpus, "%s/corpus", t->root);
    snprintf(t->index, sizeof t->index, "%s/index", t->root);
    mkdir(t->corpus, 0755);
    DIR *d = opendir(LZS_CORPUS_DIR);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0)
            continue;
        char *from = path_in(LZS_CORPUS_DIR, e->d_name), *to = path_in(t->corpus, e->d_name);
        copy_file(from, to);
        chmod(to, 0644);
        free(from);
        free(to);
    }
    closedir(d);
    *state = t;
    return 0;
}

static int teardown_tmp(void **state)
{
    tmp_t *t = *state;
    nftw(t->root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    free(t);
    return 0;
}

static lzs_index_summary_t *run_ok(const char *index, const char *corpus, int rebuild)
{
    lzs_index_opts_t o;
    lzs_index_opts_init(&o);
    o.index_dir = index;
    o.jobs = 2;
    o.rebuild = rebuild;
    lzs_index_summary_t *s = NULL;
    char *err = NULL;
    const char *dirs[] = {corpus};
    lzs_status_t st = lzs_index_run(&o, dirs, 1, &s, &err);
    if (st != LZS_OK)
        fail_msg("lzs_index_run: %s: %s", lzs_status_str(st), err ? err : "");
    assert_null(err);
    assert_non_null(s);
    return s;
}

static lzs_xdb_t *open_ro(const char *index)
{
    lzs_xdb_t *db = NULL;
    const char *paths[] = {index};
    assert_int_equal(lzs_xdb_open_readonly(paths, 1, &db, NULL), LZS_OK);
    return db;
}

static lzs_extractor_t *open_ex(void)
{
    lzs_extractor_t *ex = NULL;
    char *err = NULL;
    lzs_status_t st = lzs_extract_open(NULL, &ex, &err);
    if (st != LZS_OK)
        fail_msg("lzs_extract_open: %s", err ? err : lzs_status_str(st));
    return ex;
}

/* Passages the extractor finds in the .txt files of dir. */
static size_t count_passages(const lzs_extractor_t *ex, const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0)
            continue;
        char *p = path_in(dir, e->d_name);
        lzs_document_t *doc = NULL;
        if (lzs_extract_file(ex, p, &doc, NULL) == LZS_OK)
            n += doc->npassages;
        lzs_document_free(doc);
        free(p);
    }
    closedir(d);
    return n;
}

typedef struct {
    lzs_docid_t ids[4096];
    size_t n;
} docids_t;

static int docid_cb(void *ud, lzs_docid_t id)
{
    docids_t *d = ud;
    if (d->n < 4096)
        d->ids[d->n++] = id;
    return 0;
}

static docids_t postlist(lzs_xdb_t *db, const char *term)
{
    docids_t d = {.n = 0};
    assert_int_equal(lzs_xdb_postlist(db, term, docid_cb, &d), LZS_OK);
    return d;
}

static uint32_t termfreq(lzs_xdb_t *db, const char *term)
{
    uint32_t n = 0;
    assert_int_equal(lzs_xdb_termfreq(db, term, &n), LZS_OK);
    return n;
}

typedef struct {
    const char *want;
    int found;
} find_t;

static int find_term_cb(void *ud, const char *term, size_t len, uint32_t freq)
{
    (void)freq;
    find_t *f = ud;
    if (strlen(f->want) == len && memcmp(term, f->want, len) == 0)
        f->found = 1;
    return 0;
}

static int doc_has_term(const lzs_xdoc_t *doc, const char *term)
{
    find_t f = {term, 0};
    assert_int_equal(lzs_xdoc_terms(doc, find_term_cb, &f), LZS_OK);
    return f.found;
}

/* The spelling table as text, one "word freq" line each: caller frees with free(). */
typedef struct {
    char *s;
    size_t len;
} text_t;

static int spell_line(void *ud, const char *word, size_t len, uint32_t freq)
{
    text_t *t = ud;
    char *n = realloc(t->s, t->len + len + 16);
    assert_non_null(n);
    t->s = n;
    t->len += (size_t)sprintf(t->s + t->len, "%.*s %u\n", (int)len, word, (unsigned)freq);
    return 0;
}

static char *spelling_table(const char *index)
{
    lzs_xdb_t *db = open_ro(index);
    text_t t = {strdup(""), 0};
    assert_int_equal(lzs_xdb_spellings(db, spell_line, &t), LZS_OK);
    lzs_xdb_close(db);
    return t.s;
}

static uint32_t spelling_freq(const char *index, const char *word)
{
    char *tab = spelling_table(index);
    char key[128];
    snprintf(key, sizeof key, "\n%s ", word);
    const char *p = NULL;
    if (strncmp(tab, key + 1, strlen(key + 1)) == 0)
        p = tab + strlen(key + 1);
    else if (strstr(tab, key))
        p = strstr(tab, key) + strlen(key);
    uint32_t n = p ? (uint32_t)strtoul(p, NULL, 10) : 0;
    free(tab);
    return n;
}

/* The Xapian document of passage id pid ("T-ES(2021)31:13"). */
static lzs_xdoc_t *passage_doc(lzs_xdb_t *db, const char *pid)
{
    char term[300];
    snprintf(term, sizeof term, "Q%s", pid);
    docids_t d = postlist(db, term);
    if (d.n != 1)
        fail_msg("passage %s: %zu documents", pid, d.n);
    lzs_xdoc_t *doc = NULL;
    assert_int_equal(lzs_xdb_get_document(db, d.ids[0], &doc), LZS_OK);
    return doc;
}

/* Finds the extracted passage with recommendation id rec in the file at path. */
static char *find_rec_passage(const lzs_extractor_t *ex, const char *path, const char *rec)
{
    lzs_document_t *doc = NULL;
    assert_int_equal(lzs_extract_file(ex, path, &doc, NULL), LZS_OK);
    char *pid = NULL;
    for (size_t i = 0; i < doc->npassages && !pid; i++) {
        if (doc->passages[i].rec_id && strcmp(doc->passages[i].rec_id, rec) == 0) {
            size_t n = strlen(doc->id) + 16;
            pid = malloc(n);
            assert_non_null(pid);
            snprintf(pid, n, "%s:%u", doc->id, (unsigned)doc->passages[i].ordinal);
        }
    }
    lzs_document_free(doc);
    if (!pid)
        fail_msg("no passage with recommendation %s in %s", rec, path);
    return pid;
}

/* ---- SHA-256 and word counts ---------------------------------------------------- */

static void sha_hex(const void *data, size_t len, size_t chunk, char hex[65])
{
    lzs_sha256_t c;
    unsigned char d[32];
    lzs_sha256_init(&c);
    const char *p = data;
    while (len > 0) {
        size_t n = len < chunk ? len : chunk;
        lzs_sha256_update(&c, p, n);
        p += n;
        len -= n;
    }
    lzs_sha256_final(&c, d);
    lzs_sha256_hex(d, hex);
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    char hex[65];
    sha_hex("", 0, 1, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha_hex("abc", 3, 1, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    for (size_t chunk = 1; chunk <= 64; chunk *= 3) {
        sha_hex(m448, strlen(m448), chunk, hex);
        assert_string_equal(hex,
                            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
    const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjk"
                       "lmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    sha_hex(m896, strlen(m896), 7, hex);
    assert_string_equal(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    char *million = malloc(1000000);
    assert_non_null(million);
    memset(million, 'a', 1000000);
    sha_hex(million, 1000000, 4099, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

static int sum_cb(void *ud, const char *word, uint32_t count)
{
    (void)word;
    *(uint64_t *)ud += count;
    return 0;
}

static void test_wordcount(void **state)
{
    (void)state;
    lzs_wordcount_t *a = NULL, *b = NULL;
    assert_int_equal(lzs_wordcount_create(&a), LZS_OK);
    assert_int_equal(lzs_wordcount_create(&b), LZS_OK);
    char w[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(w, sizeof w, "word%d", i % 1000);
        assert_int_equal(lzs_wordcount_add(a, w, 1), LZS_OK);
    }
    assert_int_equal(lzs_wordcount_size(a), 1000);
    assert_int_equal(lzs_wordcount_get(a, "word7"), 5);
    assert_int_equal(lzs_wordcount_get(a, "absent"), 0);
    assert_int_equal(lzs_wordcount_add(b, "word7", 2), LZS_OK);
    assert_int_equal(lzs_wordcount_add(b, "other", 3), LZS_OK);
    assert_int_equal(lzs_wordcount_merge(a, b), LZS_OK);
    assert_int_equal(lzs_wordcount_get(a, "word7"), 7);
    assert_int_equal(lzs_wordcount_size(a), 1001);
    uint64_t total = 0;
    lzs_wordcount_foreach(a, sum_cb, &total);
    assert_int_equal(total, 5005);
    assert_int_equal(lzs_wordcount_set(a, "word7", 0), LZS_OK);
    assert_int_equal(lzs_wordcount_get(a, "word7"), 0);
    lzs_wordcount_clear(a);
    assert_int_equal(lzs_wordcount_size(a), 0);
    lzs_wordcount_destroy(a);
    lzs_wordcount_destroy(b);
    lzs_wordcount_destroy(NULL);
}

/* ---- one passage ------------------------------------------------------------------- */

static void test_passage_doc(void **state)
{
    (void)state;
    lzs_text_t *text = NULL;
    assert_int_equal(lzs_text_create(&text, NULL), LZS_OK);
    lzs_document_t *doc = lzs_document_new();
    assert_non_null(doc);
    doc->id = strdup("T-ES(2019)07");
    doc->ref = strdup("T-ES(2019)07_fr");
    doc->title = strdup("Avis");
    doc->type = LZS_DOC_OPINION;
    doc->date = strdup("2019-06-06");
    doc->year = 2019;
    strcpy(doc->lang, "fr");
    doc->source = strdup("/corpus/avis.txt");
    lzs_passage_t *p = lzs_document_add_passage(doc);
    assert_non_null(p);
    p = lzs_document_add_passage(doc);
    assert_non_null(p);
    p->label = strdup("R II-3");
    p->kind = LZS_KIND_RECOMMENDATION;
    p->text = strdup("Le Comité exige de la Norvège la co-opération prévue à l'article 38(2).");
    lzs_strlist_push(&p->section, "Coopération internationale");
    lzs_strlist_push(&p->parties, "NO");
    lzs_strlist_push(&p->addressees, "NO");
    lzs_strlist_push(&p->articles, "38(2)");
    lzs_strlist_push(&p->articles, "38(3)");
    p->rec_id = strdup("R II-3");
    p->level = LZS_LEVEL_REQUIRE;

    lzs_xdoc_t *xd = NULL;
    char *err = NULL;
    assert_int_equal(lzs_index_passage_doc(text, doc, &doc->passages[1], &xd, &err), LZS_OK);
    assert_null(err);
    static const char *const want[] = {"QT-ES(2019)07:2",
                                       "XD:T-ES(2019)07",
                                       "XF:/corpus/avis.txt",
                                       "XP:NO",
                                       "XA:NO",
                                       "XR:38(2)",
                                       "XR:38(3)",
                                       "XR:38",
                                       "Y:2019",
                                       "XL:require",
                                       "XT:opinion",
                                       "L:fr",
                                       "XREF:t-es(2019)07_fr",
                                       "XREF:t-es(2019)07",
                                       "XREC:r ii-3",
                                       "XK:recommendation",
                                       "norvege",
                                       "Enorvège",
                                       "comite",
                                       "Ecomité",
                                       "cooperation",
                                       "co",
                                       "operation",
                                       "article",
                                       "38(2)",
                                       "internationale"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        if (!doc_has_term(xd, want[i]))
            fail_msg("missing term %s", want[i]);
    }
    assert_false(doc_has_term(xd, "l'article"));
    /* Some French stem of "norvège", accent-folded. */
    const char *stem = NULL;
    assert_int_equal(lzs_text_stem(text, "fr", "norvège", &stem), LZS_OK);
    char zterm[128];
    snprintf(zterm, sizeof zterm, "Z%s", stem);
    assert_true(doc_has_term(xd, zterm));
    /* A word that is its own stem ("de" in French) has its Z term too (schema 3). */
    assert_int_equal(lzs_text_stem(text, "fr", "de", &stem), LZS_OK);
    assert_string_equal(stem, "de");
    assert_true(doc_has_term(xd, "de"));
    assert_true(doc_has_term(xd, "Zde"));

    char *v = NULL;
    size_t len = 0;
    assert_int_equal(lzs_xdoc_get_value(xd, LZS_SLOT_DOCID, &v, &len), LZS_OK);
    assert_string_equal(v, "T-ES(2019)07");
    free(v);
    assert_int_equal(lzs_xdoc_get_value(xd, LZS_SLOT_ARTICLES, &v, &len), LZS_OK);
    assert_string_equal(v, "38");
    free(v);
    assert_int_equal(lzs_xdoc_get_value(xd, LZS_SLOT_DATE, &v, &len), LZS_OK);
    assert_string_equal(v, "2019-06-06");
    free(v);
    assert_int_equal(lzs_xdoc_get_value(xd, LZS_SLOT_ORDER, &v, &len), LZS_OK);
    /* The code, a NUL, then the passage number 2 as Xapian's sortable encoding. */
    char two[18];
    size_t ntwo = lzs_xdb_sortable_serialise(2.0, two);
    assert_int_equal(len, 13 + ntwo);
    assert_memory_equal(v, "T-ES(2019)07\0", 13);
    assert_memory_equal(v + 13, two, ntwo);
    free(v);
    assert_int_equal(lzs_xdoc_get_data(xd, &v, &len), LZS_OK);
    json_t *j = json_loadb(v, len, 0, NULL);
    free(v);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "id")), "T-ES(2019)07:2");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "doc"), "ref")),
                        "T-ES(2019)07_fr");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "passage"), "text")),
                        p->text);
    json_decref(j);
    lzs_xdoc_destroy(xd);

    assert_int_equal(lzs_index_passage_doc(NULL, doc, p, &xd, &err), LZS_ERR_INVALID);
    assert_null(xd);
    assert_non_null(err);
    free(err);
    lzs_document_free(doc);
    lzs_text_destroy(text);
}

/* ---- a build of the shipped corpus -------------------------------------------------- */

typedef struct {
    const char *want;
    int found;
} syn_t;

static int syn_cb(void *ud, const char *term, size_t len, uint32_t freq)
{
    (void)freq;
    syn_t *s = ud;
    if (strlen(s->want) == len && memcmp(term, s->want, len) == 0)
        s->found = 1;
    return 0;
}

static void test_build_corpus(void **state)
{
    tmp_t *t = *state;
    lzs_extractor_t *ex = open_ex();
    size_t expected = count_passages(ex, t->corpus);
    assert_true(expected > 50);

    lzs_index_summary_t *s = run_ok(t->index, t->corpus, 0);
    assert_int_equal(s->files_seen, 5);
    assert_int_equal(s->files_added, 5);
    assert_int_equal(s->files_skipped, 0);
    assert_int_equal(s->passages, expected);
    assert_int_equal(s->passages_added, expected);
    assert_int_equal(s->documents, 5);
    assert_true(s->recommendations > 0);
    assert_true(s->recs_by_level[LZS_LEVEL_REQUIRE] > 0);
    assert_true(s->nparties > 20);
    json_t *sj = lzs_index_summary_to_json(s);
    assert_non_null(sj);
    assert_int_equal(json_integer_value(json_object_get(sj, "passages")), (json_int_t)expected);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(sj, "files"), "added")), 5);
    json_decref(sj);
    lzs_index_summary_free(s);

    lzs_xdb_t *db = open_ro(t->index);
    uint32_t n = 0;
    assert_int_equal(lzs_xdb_doccount(db, &n), LZS_OK);
    assert_int_equal(n, expected);

    /* Recommendation V-17 of the international co-operation factsheet. */
    char *fact = path_in(t->corpus, "003_439bdb46cbe148c3.txt");
    char *pid = find_rec_passage(ex, fact, "V-17");
    lzs_xdoc_t *doc = passage_doc(db, pid);
    static const char *const want[] = {"XA:NO",       "XP:NO",     "XL:require",        "XR:38(2)",
                                       "XR:38",       "XREC:v-17", "XK:recommendation", "L:en",
                                       "XT:factsheet"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        if (!doc_has_term(doc, want[i]))
            fail_msg("V-17 passage %s lacks %s", pid, want[i]);
    }
    char term[600];
    snprintf(term, sizeof term, "XF:%s", fact);
    /* The source path is the absolute path the indexer saw (t->corpus is under /tmp). */
    char *real = realpath(fact, NULL);
    snprintf(term, sizeof term, "XF:%s", real);
    assert_true(doc_has_term(doc, term));
    free(real);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(lzs_xdoc_get_data(doc, &data, &len), LZS_OK);
    json_t *j = json_loadb(data, len, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "id")), pid);
    json_t *jp = json_object_get(j, "passage");
    assert_string_equal(json_string_value(json_object_get(jp, "rec_id")), "V-17");
    assert_string_equal(json_string_value(json_object_get(jp, "level")), "require");
    assert_non_null(strstr(json_string_value(json_object_get(jp, "text")), "Norway"));
    assert_non_null(json_object_get(json_object_get(j, "doc"), "title"));
    /* The stored source is the path below the corpus directory, not the server's path. */
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "doc"), "source")),
                        strrchr(fact, '/') + 1);
    json_decref(j);
    free(data);
    lzs_xdoc_destroy(doc);
    free(pid);
    free(fact);

    /* The list of decisions T-ES(2021)31. */
    assert_true(termfreq(db, "XD:T-ES(2021)31") > 10);
    assert_int_equal(termfreq(db, "XREF:t-es(2021)31"), termfreq(db, "XD:T-ES(2021)31"));
    assert_int_equal(termfreq(db, "XREF:t-es(2021)31_en"), termfreq(db, "XD:T-ES(2021)31"));
    assert_true(termfreq(db, "Y:2021") >= termfreq(db, "XD:T-ES(2021)31"));
    assert_true(termfreq(db, "XT:decisions") >= termfreq(db, "XD:T-ES(2021)31"));
    assert_int_equal(termfreq(db, "L:en"), expected);
    assert_true(termfreq(db, "XA:all") + termfreq(db, "XA:NO") > 0);
    assert_true(termfreq(db, "ocsea") > 0);
    assert_true(termfreq(db, "cooperation") > 0);

    /* Metadata. */
    char *v = NULL;
    assert_int_equal(lzs_xdb_metadata_get(db, LZS_META_SCHEMA, &v, &len), LZS_OK);
    assert_string_equal(v, LZS_SCHEMA_VERSION);
    free(v);
    assert_int_equal(lzs_xdb_metadata_get(db, LZS_META_LANGS, &v, &len), LZS_OK);
    assert_string_equal(v, "en");
    free(v);
    assert_int_equal(lzs_xdb_metadata_get(db, LZS_META_STATS, &v, &len), LZS_OK);
    j = json_loads(v, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(j, "passages")), (json_int_t)expected);
    json_decref(j);
    free(v);

    /* Synonyms, keyed by the folded tokens. */
    syn_t sy = {"child sexual abuse material", 0};
    assert_int_equal(lzs_xdb_synonyms(db, "csam", syn_cb, &sy), LZS_OK);
    assert_true(sy.found);
    sy = (syn_t){"cooperation", 0};
    assert_int_equal(lzs_xdb_synonyms(db, "cooperation", syn_cb, &sy), LZS_OK);
    assert_false(sy.found); /* "co-operation" and "cooperation" share one key */
    sy = (syn_t){"grooming", 0};
    assert_int_equal(
        lzs_xdb_synonyms(db, "solicitation of children for sexual purposes", syn_cb, &sy), LZS_OK);
    assert_true(sy.found);

    /* Spelling: a misspelled corpus word is corrected. */
    char *sugg = NULL;
    assert_int_equal(lzs_xdb_spelling_suggestion(db, "lanzarotte", 2, &sugg), LZS_OK);
    assert_non_null(sugg);
    assert_string_equal(sugg, "lanzarote");
    free(sugg);

    lzs_xdb_close(db);
    lzs_extract_close(ex);

    /* A second run changes nothing. */
    s = run_ok(t->index, t->corpus, 0);
    assert_int_equal(s->files_unchanged, 5);
    assert_int_equal(s->files_added + s->files_changed + s->files_removed, 0);
    assert_int_equal(s->passages_added, 0);
    assert_int_equal(s->passages, expected);
    lzs_index_summary_free(s);
}

/* ---- incremental runs --------------------------------------------------------------- */

static void test_incremental(void **state)
{
    tmp_t *t = *state;
    lzs_extractor_t *ex = open_ex();
    lzs_index_summary_t *s = run_ok(t->index, t->corpus, 0);
    lzs_index_summary_free(s);

    char *keep = path_in(t->corpus, "000_61b0df1d91b66db2.txt");
    char *change = path_in(t->corpus, "001_f04947f4a7c3318d.txt");
    char *gone = path_in(t->corpus, "002_fa81a545c578487e.txt");
    char *added = path_in(t->corpus, "sub/new_note.txt");
    char *keep_real = realpath(keep, NULL), *change_real = realpath(change, NULL);
    char *gone_real = realpath(gone, NULL);
    char term[600];

    lzs_xdb_t *db = open_ro(t->index);
    snprintf(term, sizeof term, "XF:%s", keep_real);
    docids_t before = postlist(db, term);
    assert_true(before.n > 0);
    lzs_xdb_close(db);

    /* Change one, delete one, add one (in a subdirectory). */
    size_t len;
    char *buf = read_all(change, &len);
    buf = realloc(buf, len + 200);
    strcpy(buf + len, "\n\nAn added paragraph about zyxwvutsrq in the changed file.\n");
    write_file(change, buf, strlen(buf));
    free(buf);
    assert_int_equal(unlink(gone), 0);
    char *sub = path_in(t->corpus, "sub");
    mkdir(sub, 0755);
    const char *note = "Information note on the incremental test\n\n"
                       "This is a new note about the qwertyuiop programme.\n\n"
                       "A second paragraph mentions Norway and Article 23.\n";
    write_file(added, note, strlen(note));
    /* Hidden files and files of other types are not documents. */
    char *hidden = path_in(t->corpus, ".hidden.txt"), *other = path_in(t->corpus, "x.jpg");
    write_file(hidden, "hidden text\n", 12);
    write_file(other, "not a document\n", 15);

    size_t expected = count_passages(ex, t->corpus) + count_passages(ex, sub);
    s = run_ok(t->index, t->corpus, 0);
    assert_int_equal(s->files_seen, 5);
    assert_int_equal(s->files_added, 1);
    assert_int_equal(s->files_changed, 1);
    assert_int_equal(s->files_removed, 1);
    assert_int_equal(s->files_unchanged, 3);
    assert_int_equal(s->files_skipped, 0);
    assert_int_equal(s->passages, expected);
    lzs_index_summary_free(s);

    db = open_ro(t->index);
    uint32_t n = 0;
    assert_int_equal(lzs_xdb_doccount(db, &n), LZS_OK);
    assert_int_equal(n, expected);
    /* Unchanged files keep their docids. */
    docids_t after = postlist(db, term);
    assert_int_equal(after.n, before.n);
    assert_memory_equal(after.ids, before.ids, before.n * sizeof *before.ids);
    snprintf(term, sizeof term, "XF:%s", gone_real);
    assert_int_equal(termfreq(db, term), 0);
    assert_true(termfreq(db, "zyxwvutsrq") == 1);
    assert_true(termfreq(db, "qwertyuiop") == 1);
    /* A file in a subdirectory: its source keeps the subdirectory; XF: is absolute. */
    docids_t note_ids = postlist(db, "qwertyuiop");
    lzs_xdoc_t *nd = NULL;
    assert_int_equal(lzs_xdb_get_document(db, note_ids.ids[0], &nd), LZS_OK);
    char *added_real = realpath(added, NULL);
    snprintf(term, sizeof term, "XF:%s", added_real);
    assert_true(doc_has_term(nd, term));
    free(added_real);
    char *nddata = NULL;
    assert_int_equal(lzs_xdoc_get_data(nd, &nddata, &len), LZS_OK);
    json_t *ndj = json_loadb(nddata, len, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(json_object_get(ndj, "doc"), "source")),
                        "sub/new_note.txt");
    json_decref(ndj);
    free(nddata);
    lzs_xdoc_destroy(nd);
    snprintf(term, sizeof term, "lzs:file:%s", gone_real);
    char *v = NULL;
    assert_int_equal(lzs_xdb_metadata_get(db, term, &v, &len), LZS_ERR_NOT_FOUND);
    snprintf(term, sizeof term, "lzs:file:%s", change_real);
    assert_int_equal(lzs_xdb_metadata_get(db, term, &v, &len), LZS_OK);
    json_t *j = json_loads(v, 0, NULL);
    free(v);
    assert_int_equal(strlen(json_string_value(json_object_get(j, "sha256"))), 64);
    json_decref(j);
    lzs_xdb_close(db);

    /* The spelling table follows the passages: words of deleted passages are taken off. */
    assert_int_equal(spelling_freq(t->index, "zyxwvutsrq"), 1);
    assert_int_equal(spelling_freq(t->index, "qwertyuiop"), 1);
    uint32_t norway = spelling_freq(t->index, "norway");
    assert_true(norway > 1);
    buf = read_all(change, &len);
    char *cut = strstr(buf, "\n\nAn added paragraph about zyxwvutsrq");
    assert_non_null(cut);
    write_file(change, buf, (size_t)(cut - buf));
    free(buf);
    assert_int_equal(unlink(added), 0);
    s = run_ok(t->index, t->corpus, 0);
    assert_int_equal(s->files_changed, 1);
    assert_int_equal(s->files_removed, 1);
    lzs_index_summary_free(s);
    assert_int_equal(spelling_freq(t->index, "zyxwvutsrq"), 0);
    assert_int_equal(spelling_freq(t->index, "qwertyuiop"), 0);
    assert_int_equal(spelling_freq(t->index, "norway"), norway - 1);
    db = open_ro(t->index);
    char *sugg = NULL;
    assert_int_equal(lzs_xdb_spelling_suggestion(db, "zyxwvutsrr", 2, &sugg), LZS_OK);
    assert_null(sugg);
    lzs_xdb_close(db);
    write_file(added, note, strlen(note));
    s = run_ok(t->index, t->corpus, 0);
    assert_int_equal(s->files_added, 1);
    lzs_index_summary_free(s);

    /* --rebuild gives the same content, and the spelling counts of a clean build. */
    s = run_ok(t->index, t->corpus, 1);
    assert_int_equal(s->files_added, 5);
    assert_int_equal(s->passages, count_passages(ex, t->corpus) + count_passages(ex, sub));
    assert_int_equal(s->files_removed, 0);
    lzs_index_summary_free(s);
    char *clean_dir = path_in(t->root, "clean");
    s = run_ok(clean_dir, t->corpus, 0);
    lzs_index_summary_free(s);
    char *rebuilt_tab = spelling_table(t->index), *clean_tab = spelling_table(clean_dir);
    assert_true(strlen(clean_tab) > 1000);
    assert_string_equal(rebuilt_tab, clean_tab);
    free(rebuilt_tab);
    free(clean_tab);
    free(clean_dir);

    free(keep);
    free(change);
    free(gone);
    free(added);
    free(sub);
    free(hidden);
    free(other);
    free(keep_real);
    free(change_real);
    free(gone_real);
    lzs_extract_close(ex);
}

/* ---- bad files ---------------------------------------------------------------------- */

static const char *reason_of(const lzs_index_summary_t *s, const char *name)
{
    for (size_t i = 0; i < s->nskipped; i++) {
        const char *p = s->skipped[i].path;
        size_t lp = strlen(p), ln = strlen(name);
        if (lp >= ln && strcmp(p + lp - ln, name) == 0)
            return s->skipped[i].reason;
    }
    return NULL;
}

typedef struct {
    int calls;
} skips_t;

static void count_skip(void *ud, const char *path, const char *reason)
{
    skips_t *k = ud;
    assert_non_null(path);
    assert_non_null(reason);
    k->calls++;
}

static void test_bad_files(void **state)
{
    tmp_t *t = *state;
    lzs_extractor_t *ex = open_ex();
    size_t good = count_passages(ex, t->corpus);
    /* A file that is good now and goes bad later keeps its passages. */
    char *later = path_in(t->corpus, "later.txt");
    const char *ok = "A short note\n\nIts only paragraph talks about helplines.\n";
    write_file(later, ok, strlen(ok));
    size_t good_later = count_passages(ex, t->corpus);
    lzs_index_summary_t *s = run_ok(t->index, t->corpus, 0);
    assert_int_equal(s->passages, good_later);
    lzs_index_summary_free(s);

    char *bin = path_in(t->corpus, "binary.txt");
    write_file(bin,
               "\x7f"
               "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
               20);
    char *bad = path_in(t->corpus, "badutf8.txt");
    write_file(bad, "Title\n\nSome text \xc3\x28 here.\n", 26);
    char *empty = path_in(t->corpus, "empty.txt");
    write_file(empty, "", 0);
    char *big = path_in(t->corpus, "big.txt");
    int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 100 * 1024 * 1024), 0); /* sparse: costs no disk */
    close(fd);
    char *side = path_in(t->corpus, "sidecar.txt"),
         *sidej = path_in(t->corpus, "sidecar.meta.json");
    write_file(side, ok, strlen(ok));
    write_file(sidej, "{\"title\": \"x\",", 14);
    write_file(later, "\0\0\0\0binary now", 15);

    lzs_index_opts_t o;
    lzs_index_opts_init(&o);
    o.index_dir = t->index;
    o.jobs = 3;
    skips_t k = {0};
    o.on_skip = count_skip;
    o.skip_ud = &k;
    const char *dirs[] = {t->corpus};
    char *err = NULL;
    lzs_status_t st = lzs_index_run(&o, dirs, 1, &s, &err);
    if (st != LZS_OK)
        fail_msg("lzs_index_run: %s", err ? err : lzs_status_str(st));
    assert_int_equal(s->files_skipped, 6);
    assert_int_equal(s->nskipped, 6);
    assert_int_equal(k.calls, 6);
    for (size_t i = 0; i < s->nskipped; i++)
        assert_true(strlen(s->skipped[i].reason) > 3);
    assert_non_null(reason_of(s, "binary.txt"));
    assert_non_null(reason_of(s, "badutf8.txt"));
    assert_non_null(reason_of(s, "empty.txt"));
    assert_non_null(strstr(reason_of(s, "big.txt"), "too large"));
    assert_non_null(strstr(reason_of(s, "sidecar.txt"), "sidecar"));
    assert_non_null(reason_of(s, "later.txt"));
    assert_int_equal(s->files_unchanged, 5);
    /* later.txt went bad: what was indexed from it stays. */
    assert_int_equal(s->passages, good_later);
    assert_true(good_later > good);
    json_t *j = lzs_index_summary_to_json(s);
    assert_int_equal(json_array_size(json_object_get(j, "skipped")), 6);
    json_decref(j);
    lzs_index_summary_free(s);

    /* Same document id in two files: the first keeps it. */
    char *dup = path_in(t->corpus, "zz_copy.txt");
    char *orig = path_in(t->corpus, "000_61b0df1d91b66db2.txt");
    copy_file(orig, dup);
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_OK);
    assert_non_null(strstr(reason_of(s, "zz_copy.txt"), "duplicate document id"));
    assert_int_equal(s->passages, good_later);
    lzs_index_summary_free(s);

    free(later);
    free(bin);
    free(bad);
    free(empty);
    free(big);
    free(side);
    free(sidej);
    free(dup);
    free(orig);
    lzs_extract_close(ex);
}

/* ---- special files ----------------------------------------------------------------- */

/* Counts the on_skip calls naming path (one per path expected). */
typedef struct {
    char paths[16][400];
    int calls[16];
    int n, total;
} named_t;

static void name_skip(void *ud, const char *path, const char *reason)
{
    named_t *k = ud;
    assert_non_null(reason);
    k->total++;
    for (int i = 0; i < k->n; i++) {
        if (strcmp(k->paths[i], path) == 0) {
            k->calls[i]++;
            return;
        }
    }
    if (k->n < 16) {
        snprintf(k->paths[k->n], sizeof k->paths[0], "%s", path);
        k->calls[k->n++] = 1;
    }
}

static int times_named(const named_t *k, const char *path)
{
    for (int i = 0; i < k->n; i++)
        if (strcmp(k->paths[i], path) == 0)
            return k->calls[i];
    return 0;
}

static lzs_status_t run_named(const char *index, const char *corpus, named_t *k,
                              lzs_index_summary_t **s, char **err)
{
    lzs_index_opts_t o;
    lzs_index_opts_init(&o);
    o.index_dir = index;
    o.jobs = 2;
    o.on_skip = name_skip;
    o.skip_ud = k;
    const char *dirs[] = {corpus};
    *err = NULL;
    return lzs_index_run(&o, dirs, 1, s, err);
}

static void make_socket(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    assert_true(strlen(path) < sizeof a.sun_path);
    strcpy(a.sun_path, path);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    close(fd);
}

/* A FIFO as a sidecar blocked a worker in open() forever, holding the index lock; a FIFO or
 * a socket with a document's name was left out without a word. Each is now skipped with a
 * message naming it, and the run completes. */
static void test_special_files(void **state)
{
    tmp_t *t = *state;
    lzs_index_summary_t *s = run_ok(t->index, t->corpus, 0);
    uint32_t before = s->passages;
    lzs_index_summary_free(s);

    char *side = path_in(t->corpus, "004_51c1ef6eb7843b82.meta.json");
    char *doc4 = path_in(t->corpus, "004_51c1ef6eb7843b82.txt");
    char *fifo = path_in(t->corpus, "pipe.txt");
    char *sock = path_in(t->corpus, "sock.md");
    assert_int_equal(mkfifo(side, 0644), 0);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    make_socket(sock);
    /* A changed document whose sidecar is a FIFO: it must not hang, and keeps what was
     * indexed from it. */
    FILE *f = fopen(doc4, "a");
    assert_non_null(f);
    fputs("\n\nA paragraph added while the sidecar is a FIFO.\n", f);
    fclose(f);

    named_t k = {.n = 0};
    char *err = NULL;
    lzs_status_t st = run_named(t->index, t->corpus, &k, &s, &err);
    if (st != LZS_OK)
        fail_msg("lzs_index_run: %s", err ? err : lzs_status_str(st));
    assert_int_equal(s->files_skipped, 3);
    assert_int_equal(k.total, 3);
    assert_int_equal(times_named(&k, doc4), 1);
    assert_int_equal(times_named(&k, fifo), 1);
    assert_int_equal(times_named(&k, sock), 1);
    const char *r = reason_of(s, "004_51c1ef6eb7843b82.txt");
    assert_non_null(r);
    /* The reason names the sidecar and what it is. */
    assert_non_null(strstr(r, "004_51c1ef6eb7843b82.meta.json"));
    assert_non_null(strstr(r, "not a regular file (FIFO)"));
    assert_non_null(strstr(reason_of(s, "pipe.txt"), "not a regular file (FIFO)"));
    assert_non_null(strstr(reason_of(s, "sock.md"), "not a regular file (socket)"));
    assert_int_equal(s->passages, before);
    assert_int_equal(s->files_unchanged, 4);
    lzs_index_summary_free(s);

    free(side);
    free(doc4);
    free(fifo);
    free(sock);
}

/* ---- symbolic links ------------------------------------------------------------------ */

static const char k_secret[] = "Secret note\n\nThis file outside the corpus mentions "
                               "qqsecretword and nothing else.\n";
static const char k_hidden[] = "Hidden note\n\nThis note in a hidden directory mentions "
                               "qqhiddenword and helplines.\n";
static const char k_outdir[] = "Outside directory note\n\nThis note outside the corpus "
                               "mentions qqoutdirword and helplines.\n";

/* Symbolic links were followed to files anywhere (corpus/passwd.txt -> /etc/passwd was
 * indexed and served) and never to directories. Now both are followed inside the corpus
 * only, loops end, and each link not followed is named once. */
static void test_symlinks(void **state)
{
    tmp_t *t = *state;
    char *outside = path_in(t->root, "outside");
    char *outdir = path_in(t->root, "outdir");
    assert_int_equal(mkdir(outside, 0755), 0);
    assert_int_equal(mkdir(outdir, 0755), 0);
    char *secret = path_in(outside, "secret.txt");
    write_file(secret, k_secret, strlen(k_secret));
    char *outnote = path_in(outdir, "note.txt");
    write_file(outnote, k_outdir, strlen(k_outdir));
    char *sidejson = path_in(outside, "side.json");
    write_file(sidejson, "{\"title\": \"qqsidetitle\"}", 24);

    char *hid = path_in(t->corpus, ".hidden");
    assert_int_equal(mkdir(hid, 0755), 0);
    char *hnote = path_in(hid, "h.txt");
    write_file(hnote, k_hidden, strlen(k_hidden));

    char *l_file = path_in(t->corpus, "passwd.txt");   /* a file outside */
    char *l_dir = path_in(t->corpus, "outdir");        /* a directory outside */
    char *l_in = path_in(t->corpus, "visible");        /* a directory inside */
    char *l_loop = path_in(t->corpus, "loop");         /* the corpus itself */
    char *l_dang = path_in(t->corpus, "dangling.txt"); /* nothing */
    char *l_innote = path_in(t->corpus, "again.txt");  /* a document inside */
    char *sdoc = path_in(t->corpus, "withside.txt");
    char *l_side = path_in(t->corpus, "withside.meta.json"); /* a sidecar outside */
    assert_int_equal(symlink(secret, l_file), 0);
    assert_int_equal(symlink(outdir, l_dir), 0);
    assert_int_equal(symlink(".hidden", l_in), 0);
    assert_int_equal(symlink(".", l_loop), 0);
    assert_int_equal(symlink("nothing-here.txt", l_dang), 0);
    assert_int_equal(symlink(".hidden/h.txt", l_innote), 0);
    write_file(sdoc, k_hidden, strlen(k_hidden));
    assert_int_equal(symlink(sidejson, l_side), 0);

    named_t k = {.n = 0};
    lzs_index_summary_t *s = NULL;
    char *err = NULL;
    lzs_status_t st = run_named(t->index, t->corpus, &k, &s, &err);
    if (st != LZS_OK)
        fail_msg("lzs_index_run: %s", err ? err : lzs_status_str(st));
    /* Named once each: the two links out, the loop, the dangling link, the sidecar out;
     * "again.txt" is followed and then skipped as the second file of its document. */
    assert_int_equal(times_named(&k, l_file), 1);
    assert_int_equal(times_named(&k, l_dir), 1);
    assert_int_equal(times_named(&k, l_loop), 1);
    assert_int_equal(times_named(&k, l_dang), 1);
    assert_int_equal(times_named(&k, sdoc), 1);
    assert_non_null(strstr(reason_of(s, "passwd.txt"), "outside the corpus directory"));
    assert_non_null(strstr(reason_of(s, "passwd.txt"), secret));
    assert_non_null(strstr(reason_of(s, "/outdir"), "outside the corpus directory"));
    assert_non_null(strstr(reason_of(s, "/loop"), "already scanned"));
    assert_non_null(strstr(reason_of(s, "dangling.txt"), "does not exist"));
    assert_non_null(strstr(reason_of(s, "withside.txt"), "sidecar"));
    assert_non_null(strstr(reason_of(s, "withside.txt"), "outside the corpus directory"));
    /* Links inside the corpus are followed, to a file as to a directory. */
    assert_null(reason_of(s, "again.txt"));
    assert_null(reason_of(s, "visible/h.txt"));
    lzs_index_summary_free(s);

    lzs_xdb_t *db = open_ro(t->index);
    assert_int_equal(termfreq(db, "qqsecretword"), 0);
    assert_int_equal(termfreq(db, "qqoutdirword"), 0);
    assert_int_equal(termfreq(db, "qqsidetitle"), 0);
    /* The directory inside the corpus, reached only through its link, and the link to
     * the file in it are indexed: the word is in one passage of each. */
    assert_int_equal(termfreq(db, "qqhiddenword"), 2);
    lzs_xdb_close(db);

    /* --follow-symlinks follows them all; a run without it removes what they gave. */
    lzs_index_opts_t o;
    lzs_index_opts_init(&o);
    o.index_dir = t->index;
    o.follow_symlinks = 1;
    const char *dirs[] = {t->corpus};
    err = NULL;
    st = lzs_index_run(&o, dirs, 1, &s, &err);
    if (st != LZS_OK)
        fail_msg("lzs_index_run: %s", err ? err : lzs_status_str(st));
    assert_null(reason_of(s, "passwd.txt"));
    assert_non_null(strstr(reason_of(s, "/loop"), "already scanned"));
    lzs_index_summary_free(s);
    db = open_ro(t->index);
    assert_true(termfreq(db, "qqsecretword") > 0);
    assert_true(termfreq(db, "qqoutdirword") > 0);
    lzs_xdb_close(db);
    s = run_ok(t->index, t->corpus, 0);
    assert_true(s->files_removed >= 2);
    lzs_index_summary_free(s);
    db = open_ro(t->index);
    assert_int_equal(termfreq(db, "qqsecretword"), 0);
    assert_int_equal(termfreq(db, "qqoutdirword"), 0);
    lzs_xdb_close(db);

    char *all[] = {outside, outdir, secret, outnote, sidejson, hid,  hnote, l_file,
                   l_dir,   l_in,   l_loop, l_dang,  l_innote, sdoc, l_side};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
}

/* ---- the mass-deletion guard ------------------------------------------------------------- */

static uint64_t revision_of(const char *index)
{
    lzs_xdb_t *db = open_ro(index);
    uint64_t rev = 0;
    assert_int_equal(lzs_xdb_revision(db, &rev), LZS_OK);
    lzs_xdb_close(db);
    return rev;
}

/* An empty or wrong corpus directory (an unmounted volume) removed every document and
 * succeeded. More than half is now refused before anything is written. */
static void test_mass_delete(void **state)
{
    tmp_t *t = *state;
    lzs_index_summary_free(run_ok(t->index, t->corpus, 0));
    uint64_t rev = revision_of(t->index);
    char *empty = path_in(t->root, "empty");
    assert_int_equal(mkdir(empty, 0755), 0);

    lzs_index_opts_t o;
    lzs_index_opts_init(&o);
    o.index_dir = t->index;
    const char *dirs[] = {empty};
    lzs_index_summary_t *s = NULL;
    char *err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_ERR_LIMIT);
    assert_null(s);
    assert_non_null(err);
    assert_non_null(strstr(err, "would remove 5 of the 5 indexed documents"));
    assert_non_null(strstr(err, "has 0 of the 5 indexed files"));
    assert_non_null(strstr(err, empty));
    assert_non_null(strstr(err, "--allow-mass-delete"));
    free(err);
    assert_true(revision_of(t->index) == rev);
    /* --rebuild is no way around it. */
    o.rebuild = 1;
    err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_ERR_LIMIT);
    free(err);
    o.rebuild = 0;

    /* Half or less goes ahead; three of five does not. */
    char *gone[3];
    const char *names[3] = {"000_61b0df1d91b66db2.txt", "001_f04947f4a7c3318d.txt",
                            "002_fa81a545c578487e.txt"};
    for (int i = 0; i < 3; i++) {
        gone[i] = path_in(t->corpus, names[i]);
        char *keep = path_in(t->root, names[i]);
        assert_int_equal(rename(gone[i], keep), 0);
        free(keep);
    }
    dirs[0] = t->corpus;
    err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_ERR_LIMIT);
    assert_non_null(strstr(err, "would remove 3 of the 5 indexed documents"));
    assert_non_null(strstr(err, "has 2 of the 5 indexed files"));
    free(err);
    assert_true(revision_of(t->index) == rev);
    char *back = path_in(t->root, names[2]);
    assert_int_equal(rename(back, gone[2]), 0);
    free(back);
    s = run_ok(t->index, t->corpus, 0);
    assert_int_equal(s->files_removed, 2);
    lzs_index_summary_free(s);

    /* Asked for, it empties the index. */
    o.allow_mass_delete = 1;
    dirs[0] = empty;
    err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_OK);
    assert_int_equal(s->files_removed, 3);
    assert_int_equal(s->passages, 0);
    lzs_index_summary_free(s);
    for (int i = 0; i < 3; i++)
        free(gone[i]);
    free(empty);
}

/* ---- one document in several files ----------------------------------------------------- */

/* The list "lzs:docfiles:<id>" as "path:format,path:format"; "" when there is none. */
static char *docfiles_of(const char *index, const char *id)
{
    lzs_xdb_t *db = open_ro(index);
    char key[256];
    snprintf(key, sizeof key, "%s%s", LZS_META_DOCFILES_PREFIX, id);
    char *val = NULL;
    size_t len = 0;
    lzs_status_t st = lzs_xdb_metadata_get(db, key, &val, &len);
    lzs_xdb_close(db);
    char *out = calloc(1, 4096);
    assert_non_null(out);
    if (st != LZS_OK || len == 0) {
        free(val);
        return out;
    }
    json_t *j = json_loadb(val, len, 0, NULL);
    free(val);
    assert_true(json_is_array(j));
    size_t i;
    json_t *f;
    json_array_foreach(j, i, f)
    {
        size_t o = strlen(out);
        snprintf(out + o, 4096 - o, "%s%s:%s", i ? "," : "",
                 json_string_value(json_object_get(f, "path")),
                 json_string_value(json_object_get(f, "format")));
    }
    json_decref(j);
    return out;
}

/* The file whose passages a document has (the XF: term of its first passage). */
static char *passages_from(const char *index, const char *id)
{
    lzs_xdb_t *db = open_ro(index);
    char term[256];
    snprintf(term, sizeof term, "%s%s", LZS_PFX_DOC, id);
    docids_t d = postlist(db, term);
    char *out = NULL;
    if (d.n > 0) {
        lzs_xdoc_t *doc = NULL;
        assert_int_equal(lzs_xdb_get_document(db, d.ids[0], &doc), LZS_OK);
        char *data = NULL;
        size_t len = 0;
        assert_int_equal(lzs_xdoc_get_data(doc, &data, &len), LZS_OK);
        json_t *j = json_loadb(data, len, 0, NULL);
        out = strdup(json_string_value(json_object_get(json_object_get(j, "doc"), "source")));
        json_decref(j);
        free(data);
        lzs_xdoc_destroy(doc);
    }
    lzs_xdb_close(db);
    return out;
}

/* The same document as .md and .txt (and under another name): indexed once, from the
 * format read best, every file listed; removing that file hands the passages to the next
 * without a rebuild, and bringing it back takes them back. */
static void test_document_in_several_files(void **state)
{
    tmp_t *t = *state;
    const char text[] = "T-ES(2030)01_en\n\nOpinion on formats\n\n"
                        "1. The Committee reads every format.\n";
    char *md = path_in(t->corpus, "formats.md"), *txt = path_in(t->corpus, "formats.txt");
    char *other = path_in(t->corpus, "copy-of-formats.md");
    write_file(txt, text, sizeof text - 1);
    lzs_index_summary_free(run_ok(t->index, t->corpus, 0));
    char *from = passages_from(t->index, "T-ES(2030)01");
    assert_string_equal(from, "formats.txt");
    free(from);

    /* the markdown version arrives: it gives the passages now, the text is listed */
    write_file(md, text, sizeof text - 1);
    lzs_index_summary_t *s = run_ok(t->index, t->corpus, 0);
    assert_int_equal(s->nskipped, 0);
    lzs_index_summary_free(s);
    from = passages_from(t->index, "T-ES(2030)01");
    assert_string_equal(from, "formats.md");
    free(from);
    char *files = docfiles_of(t->index, "T-ES(2030)01");
    assert_string_equal(files, "formats.md:md,formats.txt:txt");
    free(files);
    lzs_xdb_t *db = open_ro(t->index);
    char term[128];
    snprintf(term, sizeof term, "%sT-ES(2030)01", LZS_PFX_DOC);
    assert_int_equal(termfreq(db, term), 2); /* the heading and decision 1, once */
    lzs_xdb_close(db);

    /* a second file of the format giving the passages: a duplicate, named as such */
    write_file(other, text, sizeof text - 1);
    s = run_ok(t->index, t->corpus, 0);
    assert_non_null(reason_of(s, "copy-of-formats.md"));
    assert_non_null(strstr(reason_of(s, "copy-of-formats.md"), "duplicate document id"));
    lzs_index_summary_free(s);
    unlink(other);

    /* the markdown file goes: the text file gives the passages, without a rebuild */
    unlink(md);
    lzs_index_summary_free(run_ok(t->index, t->corpus, 0));
    from = passages_from(t->index, "T-ES(2030)01");
    assert_non_null(from);
    assert_string_equal(from, "formats.txt");
    free(from);
    files = docfiles_of(t->index, "T-ES(2030)01");
    assert_string_equal(files, "formats.txt:txt");
    free(files);

    /* both go: no list is left */
    unlink(txt);
    lzs_index_summary_free(run_ok(t->index, t->corpus, 0));
    files = docfiles_of(t->index, "T-ES(2030)01");
    assert_string_equal(files, "");
    free(files);
    free(md);
    free(txt);
    free(other);
}

/* ---- bad files of the published formats ------------------------------------------------- */

/* A PDF whose one page draws nothing: what a scan without text layer reads as. */
static void write_blank_pdf(const char *path)
{
    char pdf[1024];
    size_t off[4];
    size_t n = (size_t)snprintf(pdf, sizeof pdf, "%%PDF-1.4\n");
    off[0] = n;
    n += (size_t)snprintf(pdf + n, sizeof pdf - n,
                          "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    off[1] = n;
    n += (size_t)snprintf(pdf + n, sizeof pdf - n,
                          "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
    off[2] = n;
    n += (size_t)snprintf(pdf + n, sizeof pdf - n,
                          "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                          "/Contents 4 0 R >> endobj\n");
    off[3] = n;
    n += (size_t)snprintf(pdf + n, sizeof pdf - n,
                          "4 0 obj << /Length 0 >> stream\n\nendstream endobj\n");
    size_t xref = n;
    n += (size_t)snprintf(pdf + n, sizeof pdf - n, "xref\n0 5\n0000000000 65535 f \n");
    for (int i = 0; i < 4; i++)
        n += (size_t)snprintf(pdf + n, sizeof pdf - n, "%010zu 00000 n \n", off[i]);
    n += (size_t)snprintf(pdf + n, sizeof pdf - n,
                          "trailer << /Size 5 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    write_file(path, pdf, n);
}

static void write_docx(const char *path, const char *document_xml)
{
    static const char types[] =
        "<?xml version='1.0' encoding='UTF-8'?><Types "
        "xmlns='http://schemas.openxmlformats.org/package/2006/content-types'><Default "
        "Extension='xml' ContentType='application/xml'/><Override PartName='/word/document.xml' "
        "ContentType='application/vnd.openxmlformats-officedocument.wordprocessingml.document."
        "main+xml'/></Types>";
    zb_member_t m[] = {{"[Content_Types].xml", types, 0, 0},
                       {"word/document.xml", document_xml, 0, 0}};
    char *zip = NULL;
    size_t len = 0;
    assert_int_equal(zb_build(m, 2, &zip, &len), 0);
    write_file(path, zip, len);
    free(zip);
}

/* A reason naming what is wrong with a file of the corpus, or fail. */
static void assert_skipped(const lzs_index_summary_t *s, const char *name, const char *words)
{
    const char *r = reason_of(s, name);
    if (r == NULL || strstr(r, words) == NULL)
        fail_msg("%s: expected a skip naming \"%s\", got %s", name, words, r ? r : "none");
}

/* Every kind of bad published file: one message each naming the problem, the run goes on
 * with the others, and a document already indexed keeps its passages when its file turns
 * bad. */
static void test_bad_published_files(void **state)
{
    tmp_t *t = *state;
    char *good = path_in(t->corpus, "decisions.docx");
    copy_file(LZS_TEST_DATA "/formats/decisions.pandoc.docx", good);
    lzs_index_summary_t *s = run_ok(t->index, t->corpus, 0);
    assert_int_equal(s->nskipped, 0);
    uint32_t passages = s->passages;
    lzs_index_summary_free(s);

    const char *w = "<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/"
                    "2006/main'><w:body><w:p><w:r><w:t>";
    char xml[1024];
    char *p = path_in(t->corpus, "scan.pdf");
    write_blank_pdf(p);
    free(p);
    p = path_in(t->corpus, "locked.pdf");
    copy_file(LZS_TEST_DATA "/formats/bad/encrypted.pdf", p);
    free(p);
    p = path_in(t->corpus, "notazip.docx");
    const char notazip[] = "PK\003\004 this is no archive";
    write_file(p, notazip, sizeof notazip - 1);
    free(p);
    p = path_in(t->corpus, "brokenxml.docx");
    snprintf(xml, sizeof xml, "%sunclosed", w);
    write_docx(p, xml);
    free(p);
    p = path_in(t->corpus, "entities.docx");
    snprintf(xml, sizeof xml,
             "<?xml version='1.0'?><!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
             "%s&x;</w:t></w:r></w:p></w:body></w:document>",
             w);
    write_docx(p, xml);
    free(p);
    p = path_in(t->corpus, "scripts.html");
    const char html[] = "<html><head><script>alert(1)</script></head>"
                        "<body><script>document.write('x')</script></body></html>";
    write_file(p, html, sizeof html - 1);
    free(p);
    /* the document indexed above turns bad */
    const char broken[] = "PK\003\004 broken now";
    write_file(good, broken, sizeof broken - 1);

    s = run_ok(t->index, t->corpus, 0);
    assert_skipped(s, "scan.pdf", "no text layer; OCR is not supported");
    assert_skipped(s, "locked.pdf", "encrypted");
    assert_skipped(s, "notazip.docx", "not a ZIP archive");
    assert_skipped(s, "brokenxml.docx", "word/document.xml");
    assert_skipped(s, "entities.docx", "entit");
    assert_skipped(s, "scripts.html", "no text");
    assert_skipped(s, "decisions.docx", "not a ZIP archive");
    assert_int_equal(s->nskipped, 7);
    /* nothing already indexed is lost */
    assert_int_equal(s->passages, passages);
    lzs_index_summary_free(s);
    free(good);
}

/* ---- the index directory --------------------------------------------------------------- */

static char *read_text(const char *path)
{
    size_t len;
    return read_all(path, &len);
}

static lzs_status_t run_into(const char *index, const char *corpus, char **err)
{
    lzs_index_opts_t o;
    lzs_index_opts_init(&o);
    o.index_dir = index;
    o.jobs = 2;
    const char *dirs[] = {corpus};
    lzs_index_summary_t *s = NULL;
    *err = NULL;
    lzs_status_t st = lzs_index_run(&o, dirs, 1, &s, err);
    lzs_index_summary_free(s);
    return st;
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* An --index path that is a file was opened as a Xapian stub, which can send the writes
 * into another database. Only a directory with the marker file is written into. */
static void test_index_dir(void **state)
{
    tmp_t *t = *state;
    lzs_index_summary_free(run_ok(t->index, t->corpus, 0));
    char *marker = path_in(t->index, LZS_INDEX_MARKER);
    uint64_t rev = revision_of(t->index);
    char *err = NULL;

    /* A stub file naming the index. */
    char *stub = path_in(t->root, "stub");
    char text[600];
    snprintf(text, sizeof text, "auto %s\n", t->index);
    write_file(stub, text, strlen(text));
    assert_int_equal(run_into(stub, t->corpus, &err), LZS_ERR_INVALID);
    assert_non_null(strstr(err, stub));
    assert_non_null(strstr(err, "is a regular file, not an index directory"));
    free(err);
    char *now = read_text(stub);
    assert_string_equal(now, text);
    free(now);

    /* A directory holding a stub. */
    char *stubdir = path_in(t->root, "stubdir");
    assert_int_equal(mkdir(stubdir, 0755), 0);
    char *xapiandb = path_in(stubdir, "XAPIANDB");
    write_file(xapiandb, text, strlen(text));
    assert_int_equal(run_into(stubdir, t->corpus, &err), LZS_ERR_INVALID);
    assert_non_null(strstr(err, stubdir));
    assert_non_null(strstr(err, "stub file (XAPIANDB)"));
    free(err);
    assert_true(revision_of(t->index) == rev);
    /* A new index carries the marker. */
    assert_true(exists(marker));

    /* A directory with other files in it. */
    char *home = path_in(t->root, "home");
    assert_int_equal(mkdir(home, 0755), 0);
    char *notes = path_in(home, "notes");
    write_file(notes, "mine\n", 5);
    assert_int_equal(run_into(home, t->corpus, &err), LZS_ERR_INVALID);
    assert_non_null(strstr(err, "neither empty nor a lanzasearch index"));
    free(err);
    char *homemarker = path_in(home, LZS_INDEX_MARKER);
    assert_false(exists(homemarker));

    /* Another Xapian database (no lanzasearch schema version). */
    char *other = path_in(t->root, "other");
    lzs_xdb_t *w = NULL;
    assert_int_equal(lzs_xdb_open_writable(other, LZS_XDB_CREATE, &w, NULL), LZS_OK);
    lzs_xdoc_t *d = NULL;
    assert_int_equal(lzs_xdoc_create(&d), LZS_OK);
    assert_int_equal(lzs_xdoc_add_term(d, "theirs", 1), LZS_OK);
    assert_int_equal(lzs_xdb_add_document(w, d, NULL), LZS_OK);
    lzs_xdoc_destroy(d);
    assert_int_equal(lzs_xdb_commit(w), LZS_OK);
    lzs_xdb_close(w);
    uint64_t orev = revision_of(other);
    assert_int_equal(run_into(other, t->corpus, &err), LZS_ERR_INVALID);
    assert_non_null(strstr(err, "not a lanzasearch index"));
    free(err);
    assert_true(revision_of(other) == orev);
    /* Not even --rebuild writes into it. */
    lzs_index_opts_t o;
    lzs_index_opts_init(&o);
    o.index_dir = other;
    o.rebuild = 1;
    const char *dirs[] = {t->corpus};
    lzs_index_summary_t *s = NULL;
    err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_ERR_INVALID);
    free(err);
    assert_true(revision_of(other) == orev);

    /* An index of an earlier version (no marker) is adopted. */
    assert_int_equal(unlink(marker), 0);
    assert_int_equal(run_into(t->index, t->corpus, &err), LZS_OK);
    assert_null(err);
    assert_true(exists(marker));
    /* An existing empty directory becomes an index. */
    char *emptydir = path_in(t->root, "emptydir");
    assert_int_equal(mkdir(emptydir, 0755), 0);
    assert_int_equal(run_into(emptydir, t->corpus, &err), LZS_OK);
    char *emarker = path_in(emptydir, LZS_INDEX_MARKER);
    assert_true(exists(emarker));

    free(marker);
    free(stub);
    free(stubdir);
    free(xapiandb);
    free(home);
    free(notes);
    free(homemarker);
    free(other);
    free(emptydir);
    free(emarker);
}

/* ---- locking, schema, cancellation, errors ---------------------------------------------- */

static void *close_later(void *arg)
{
    struct timespec ts = {0, 400 * 1000 * 1000};
    nanosleep(&ts, NULL);
    lzs_xdb_close(arg);
    return NULL;
}

static void test_locked(void **state)
{
    tmp_t *t = *state;
    /* An index with nothing in it yet: made by a run that indexed an empty directory. */
    char *empty = path_in(t->root, "empty");
    assert_int_equal(mkdir(empty, 0755), 0);
    lzs_index_summary_free(run_ok(t->index, empty, 0));
    free(empty);
    lzs_xdb_t *w = NULL;
    assert_int_equal(lzs_xdb_open_writable(t->index, LZS_XDB_OPEN, &w, NULL), LZS_OK);
    lzs_index_opts_t o;
    lzs_index_opts_init(&o);
    o.index_dir = t->index;
    const char *dirs[] = {t->corpus};
    lzs_index_summary_t *s = NULL;
    char *err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_ERR_LOCKED);
    assert_null(s);
    assert_non_null(err);
    assert_non_null(strstr(err, "index is locked by another indexer"));
    free(err);

    /* Waiting for the lock can be cancelled. */
    atomic_int stop = 1;
    o.wait = 1;
    o.cancel = &stop;
    err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_ERR_CANCELLED);
    assert_null(s);
    assert_non_null(strstr(err, "interrupted"));
    free(err);
    o.cancel = NULL;

    /* With wait, the run goes ahead once the other writer is gone. */
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, close_later, w), 0);
    o.wait = 1;
    err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_OK);
    pthread_join(th, NULL);
    assert_int_equal(s->files_added, 5);
    lzs_index_summary_free(s);
}

static void test_schema_version(void **state)
{
    tmp_t *t = *state;
    lzs_index_summary_free(run_ok(t->index, t->corpus, 0));
    lzs_xdb_t *w = NULL;
    assert_int_equal(lzs_xdb_open_writable(t->index, LZS_XDB_OPEN, &w, NULL), LZS_OK);
    assert_int_equal(lzs_xdb_metadata_set(w, LZS_META_SCHEMA, "0", 1), LZS_OK);
    lzs_xdb_close(w);
    lzs_index_opts_t o;
    lzs_index_opts_init(&o);
    o.index_dir = t->index;
    const char *dirs[] = {t->corpus};
    lzs_index_summary_t *s = NULL;
    char *err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_ERR_SCHEMA);
    assert_non_null(strstr(err, "--rebuild"));
    free(err);
    s = run_ok(t->index, t->corpus, 1);
    lzs_index_summary_free(s);
    lzs_xdb_t *db = open_ro(t->index);
    char *v = NULL;
    size_t len;
    assert_int_equal(lzs_xdb_metadata_get(db, LZS_META_SCHEMA, &v, &len), LZS_OK);
    assert_string_equal(v, LZS_SCHEMA_VERSION);
    free(v);
    lzs_xdb_close(db);
}

static atomic_int g_cancel;

static void cancel_on_skip(void *ud, const char *path, const char *reason)
{
    (void)ud;
    (void)path;
    (void)reason;
    g_cancel = 1;
}

static void test_cancel(void **state)
{
    tmp_t *t = *state;
    lzs_index_summary_t *s = run_ok(t->index, t->corpus, 0);
    uint32_t before = s->passages;
    lzs_index_summary_free(s);
    lzs_xdb_t *db = open_ro(t->index);
    uint64_t rev0 = 0;
    assert_int_equal(lzs_xdb_revision(db, &rev0), LZS_OK);
    lzs_xdb_close(db);

    /* A bad file sorted first sets the cancel flag; the deletion of 004 and the new file
     * must not be committed. */
    char *bad = path_in(t->corpus, "0000_bad.txt");
    write_file(bad, "", 0);
    char *gone = path_in(t->corpus, "004_51c1ef6eb7843b82.txt");
    unlink(gone);
    char *note = path_in(t->corpus, "zz_note.txt");
    write_file(note, "A note\n\nAbout helplines.\n", 25);
    lzs_index_opts_t o;
    lzs_index_opts_init(&o);
    o.index_dir = t->index;
    o.jobs = 1;
    o.on_skip = cancel_on_skip;
    g_cancel = 0;
    o.cancel = &g_cancel;
    const char *dirs[] = {t->corpus};
    char *err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_ERR_CANCELLED);
    assert_null(s);
    assert_non_null(strstr(err, "interrupted"));
    free(err);
    db = open_ro(t->index);
    uint32_t n = 0;
    uint64_t rev1 = 0;
    assert_int_equal(lzs_xdb_doccount(db, &n), LZS_OK);
    assert_int_equal(lzs_xdb_revision(db, &rev1), LZS_OK);
    assert_int_equal(n, before);
    assert_true(rev1 == rev0);
    lzs_xdb_close(db);

    /* A cancelled first run removes the index it was making: the directory it created,
     * and in a directory that existed, every file it made. */
    char *fresh = path_in(t->root, "fresh");
    o.index_dir = fresh;
    g_cancel = 0;
    err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_ERR_CANCELLED);
    free(err);
    struct stat sb;
    assert_int_not_equal(stat(fresh, &sb), 0);
    assert_int_equal(mkdir(fresh, 0755), 0);
    g_cancel = 0;
    err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_ERR_CANCELLED);
    free(err);
    DIR *d = opendir(fresh);
    assert_non_null(d);
    int entries = 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d))
        entries += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    assert_int_equal(entries, 0);
    /* ... and the parents it made for it. */
    char *deep = path_in(t->root, "new/deeper/index"), *top = path_in(t->root, "new");
    o.index_dir = deep;
    g_cancel = 0;
    err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_ERR_CANCELLED);
    free(err);
    assert_int_not_equal(stat(top, &sb), 0);
    free(deep);
    free(top);
    free(fresh);
    free(bad);
    free(gone);
    free(note);
}

static void test_bad_arguments(void **state)
{
    tmp_t *t = *state;
    lzs_index_opts_t o;
    lzs_index_opts_init(&o);
    const char *dirs[] = {t->corpus};
    lzs_index_summary_t *s = NULL;
    char *err = NULL;
    assert_int_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_ERR_INVALID);
    free(err);
    o.index_dir = t->index;
    const char *missing[] = {"/nonexistent/lzs-corpus"};
    err = NULL;
    assert_int_equal(lzs_index_run(&o, missing, 1, &s, &err), LZS_ERR_NOT_FOUND);
    assert_non_null(strstr(err, "/nonexistent/lzs-corpus"));
    free(err);
    /* Nothing was created for a run that could not start. */
    struct stat sb;
    assert_int_not_equal(stat(t->index, &sb), 0);
    err = NULL;
    o.data_dir = "/nonexistent/lzs-data";
    assert_int_not_equal(lzs_index_run(&o, dirs, 1, &s, &err), LZS_OK);
    assert_non_null(err);
    free(err);
    assert_null(s);
    lzs_index_summary_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_wordcount),
        cmocka_unit_test(test_passage_doc),
        cmocka_unit_test_setup_teardown(test_build_corpus, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_incremental, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_bad_files, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_special_files, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_symlinks, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_mass_delete, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_document_in_several_files, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_bad_published_files, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_index_dir, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_locked, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_schema_version, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_cancel, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup_tmp, teardown_tmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
