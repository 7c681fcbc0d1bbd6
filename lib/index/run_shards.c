/* run_shards.c — the shards of a sharded index (opts->shards >= 2): after the run has
 * committed the index (the master: the file list, the passages, the spelling and synonym
 * tables), its passages are split into N Xapian databases, one writer thread each,
 * documents assigned by lzs_hash() of their document id, and a stub joining them is
 * published.
 *
 * Layout, below the index directory DIR:
 *   DIR/shards/XAPIANDB          the stub readers are given (a path to DIR/shards does it)
 *   DIR/shards/gen-G/shard-K/    shard K of generation G
 * Every run writes a new generation from the master and publishes it by renaming a new
 * stub over the old one (written, fsynced, renamed, directory fsynced): a reader of the
 * stub sees all the shards of one generation, never some of a run and some of the one
 * before. Xapian commits the databases of a stub one after another, so the shards cannot
 * be updated in place. Generations the stub no longer names are removed after publication,
 * and at the start of the shard step (what a killed run left).
 *
 * Why from the master: it keeps each file's bookkeeping (hash, document, alternates) in
 * one database, so incremental runs re-extract only changed files as they always did.
 * The cost: every run copies every passage once more, N threads at a time. Shard 0 also
 * holds the metadata (Xapian reads metadata from the first database of several), the
 * spelling and the synonym tables; every shard holds the schema version. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index/run_internal.h"
#include "lzs/file.h"
#include "lzs/hash.h"
#include "lzs/paths.h"
#include "lzs/schema.h"

#define SHARDS_DIR "shards"
#define STUB_NAME "XAPIANDB"
#define GEN_PREFIX "gen-"

/* ---- files ---------------------------------------------------------------- */

/* Removes path and everything below it (no symbolic link is followed). */
static void remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (!S_ISDIR(sb.st_mode)) {
        unlink(path);
        return;
    }
    DIR *d = opendir(path);
    if (d) {
        const struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *sub = str_printf("%s/%s", path, e->d_name);
            if (sub)
                remove_tree(sub);
            free(sub);
        }
        closedir(d);
    }
    rmdir(path);
}

static lzs_status_t fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return LZS_ERR_IO;
    int rc = fsync(fd);
    close(fd);
    return rc == 0 ? LZS_OK : LZS_ERR_IO;
}

/* The generation the published stub of sdir names (0: none, or no stub). */
static unsigned long current_generation(const char *sdir)
{
    char *stub = str_printf("%s/%s", sdir, STUB_NAME);
    FILE *f = stub ? fopen(stub, "r") : NULL;
    free(stub);
    unsigned long gen = 0;
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        const char *g = strstr(line, GEN_PREFIX);
        if (g) {
            gen = strtoul(g + strlen(GEN_PREFIX), NULL, 10);
            break;
        }
    }
    if (f)
        fclose(f);
    return gen;
}

/* The number of shards the published stub of sdir names (0: no stub). */
static unsigned published_shards(const char *sdir)
{
    char *stub = str_printf("%s/%s", sdir, STUB_NAME);
    FILE *f = stub ? fopen(stub, "r") : NULL;
    free(stub);
    unsigned n = 0;
    char line[512];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "auto ", 5) == 0)
            n++;
    if (f)
        fclose(f);
    return n;
}

/* Removes the generation directories of sdir but keep (all of them when keep is 0), and
 * temporary stubs: what an earlier run left or what the new stub no longer names. */
static void remove_generations(const char *sdir, unsigned long keep)
{
    DIR *d = opendir(sdir);
    if (!d)
        return;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        int gen = strncmp(n, GEN_PREFIX, strlen(GEN_PREFIX)) == 0;
        int tmp = strcmp(n, STUB_NAME ".tmp") == 0;
        if (gen && keep != 0 && strtoul(n + strlen(GEN_PREFIX), NULL, 10) == keep)
            continue;
        if (!gen && !tmp)
            continue;
        char *p = str_printf("%s/%s", sdir, n);
        if (p)
            remove_tree(p);
        free(p);
    }
    closedir(d);
}

/* Writes the stub naming the n shards of generation gen and renames it into place. */
static lzs_status_t publish_stub(const char *sdir, unsigned long gen, unsigned n, char **errmsg)
{
    char *tmp = str_printf("%s/%s.tmp", sdir, STUB_NAME);
    char *stub = str_printf("%s/%s", sdir, STUB_NAME);
    if (!tmp || !stub) {
        free(tmp);
        free(stub);
        return LZS_ERR_NOMEM;
    }
    lzs_status_t st = LZS_OK;
    FILE *f = fopen(tmp, "w");
    if (!f)
        st = LZS_ERR_IO;
    if (st == LZS_OK &&
        fprintf(f, "# the shards of a lanzasearch index, written by lzs-index --shards\n") < 0)
        st = LZS_ERR_IO;
    for (unsigned k = 0; st == LZS_OK && k < n; k++)
        if (fprintf(f, "auto %s%lu/shard-%u\n", GEN_PREFIX, gen, k) < 0)
            st = LZS_ERR_IO;
    if (f && fflush(f) != 0)
        st = LZS_ERR_IO;
    if (f && st == LZS_OK && fsync(fileno(f)) != 0)
        st = LZS_ERR_IO;
    if (f && fclose(f) != 0)
        st = LZS_ERR_IO;
    if (st == LZS_OK && rename(tmp, stub) != 0)
        st = LZS_ERR_IO;
    if (st == LZS_OK)
        st = fsync_dir(sdir);
    if (st != LZS_OK)
        lzs_set_errmsg(errmsg, "cannot publish the shards' stub %s: %s", stub, strerror(errno));
    free(tmp);
    free(stub);
    return st;
}

/* ---- one shard ------------------------------------------------------------ */

typedef struct {
    const char *master;   /* the index directory (borrowed) */
    char *path;           /* the shard's directory (owned) */
    unsigned k, n;        /* shard k of n */
    const atomic_int *cancel;
    lzs_xdb_t *src, *dst; /* this thread's own handles */
    lzs_docid_t *ids;     /* the master's docids of the passages of this shard */
    size_t nids, cap;
    uint32_t passages;
    lzs_status_t st;
    char *errmsg;
    pthread_t tid;
    int started;
} shard_t;

typedef struct {
    shard_t *s;
    lzs_status_t st;
} cbctx_t;

static int collect_id(void *ud, lzs_docid_t id)
{
    shard_t *s = ud;
    if (s->nids == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        lzs_docid_t *v = realloc(s->ids, cap * sizeof *v);
        if (!v) {
            s->st = LZS_ERR_NOMEM;
            return 1;
        }
        s->ids = v;
        s->cap = cap;
    }
    s->ids[s->nids++] = id;
    return 0;
}

/* For each document id term of the master hashing to this shard, its passages' docids. */
static int collect_doc(void *ud, const char *term, size_t len, uint32_t freq)
{
    shard_t *s = ud;
    (void)freq;
    size_t pl = strlen(LZS_PFX_DOC);
    if (lzs_hash(term + pl, len - pl) % s->n != s->k)
        return 0;
    char *t = strndup(term, len);
    if (!t) {
        s->st = LZS_ERR_NOMEM;
        return 1;
    }
    lzs_status_t st = lzs_xdb_postlist(s->src, t, collect_id, s);
    free(t);
    if (st != LZS_OK && s->st == LZS_OK)
        s->st = st;
    return s->st != LZS_OK;
}

static int cmp_docid(const void *a, const void *b)
{
    lzs_docid_t x = *(const lzs_docid_t *)a, y = *(const lzs_docid_t *)b;
    return x < y ? -1 : x > y;
}

/* Metadata: every key to shard 0, the ones each index must have to every shard. */
static int copy_meta(void *ud, const char *key, size_t keylen)
{
    cbctx_t *c = ud;
    shard_t *s = c->s;
    char *k = strndup(key, keylen);
    if (!k) {
        c->st = LZS_ERR_NOMEM;
        return 1;
    }
    int everywhere = strcmp(k, LZS_META_SCHEMA) == 0 || strcmp(k, LZS_META_COMMITTED) == 0 ||
                     strcmp(k, LZS_META_LANGS) == 0 || strcmp(k, LZS_META_STATS) == 0 ||
                     strcmp(k, LZS_META_PHRASES) == 0;
    if (s->k == 0 || everywhere) {
        char *v = NULL;
        size_t len = 0;
        c->st = lzs_xdb_metadata_get(s->src, k, &v, &len);
        if (c->st == LZS_OK)
            c->st = lzs_xdb_metadata_set(s->dst, k, v, len);
        free(v);
    }
    free(k);
    return c->st != LZS_OK;
}

static int copy_spelling(void *ud, const char *word, size_t len, uint32_t freq)
{
    cbctx_t *c = ud;
    (void)len;
    c->st = lzs_xdb_add_spelling(c->s->dst, word, freq);
    return c->st != LZS_OK;
}

typedef struct {
    cbctx_t *c;
    const char *key;
} synctx_t;

static int copy_synonym(void *ud, const char *term, size_t len, uint32_t freq)
{
    synctx_t *y = ud;
    (void)freq;
    char *t = strndup(term, len);
    y->c->st = t ? lzs_xdb_add_synonym(y->c->s->dst, y->key, t) : LZS_ERR_NOMEM;
    free(t);
    return y->c->st != LZS_OK;
}

static int copy_synonym_key(void *ud, const char *term, size_t len, uint32_t freq)
{
    cbctx_t *c = ud;
    (void)freq;
    char *key = strndup(term, len);
    if (!key) {
        c->st = LZS_ERR_NOMEM;
        return 1;
    }
    synctx_t y = {c, key};
    lzs_status_t st = lzs_xdb_synonyms(c->s->src, key, copy_synonym, &y);
    if (st != LZS_OK && c->st == LZS_OK)
        c->st = st;
    free(key);
    return c->st != LZS_OK;
}

/* The tables only shard 0 holds: spelling and synonyms. */
static lzs_status_t copy_tables(shard_t *s)
{
    cbctx_t c = {s, LZS_OK};
    lzs_status_t st = lzs_xdb_metadata_keys(s->src, "", copy_meta, &c);
    if (st == LZS_OK)
        st = c.st;
    if (st == LZS_OK && s->k == 0) {
        st = lzs_xdb_spellings(s->src, copy_spelling, &c);
        if (st == LZS_OK)
            st = c.st;
    }
    if (st == LZS_OK && s->k == 0) {
        st = lzs_xdb_synonym_keys(s->src, "", copy_synonym_key, &c);
        if (st == LZS_OK)
            st = c.st;
    }
    return st;
}

static void shard_fail(shard_t *s, lzs_status_t st, const char *what, lzs_xdb_t *db)
{
    free(s->errmsg);
    s->errmsg = str_printf("shard %u (%s): %s: %s", s->k, s->path, what,
                           st == LZS_ERR_NOMEM ? lzs_status_str(st)
                           : db                ? lzs_xdb_errmsg(db)
                                               : lzs_status_str(st));
    s->st = st;
}

static void *shard_main(void *arg)
{
    shard_t *s = arg;
    char *msg = NULL;
    const char *paths[1] = {s->master};
    lzs_status_t st = lzs_xdb_open_readonly(paths, 1, &s->src, &msg);
    if (st != LZS_OK) {
        s->errmsg = str_printf("cannot read the index %s: %s", s->master,
                               msg ? msg : lzs_status_str(st));
        s->st = st;
        free(msg);
        return NULL;
    }
    free(msg);
    msg = NULL;
    st = lzs_xdb_open_writable(s->path, LZS_XDB_OVERWRITE, &s->dst, &msg);
    if (st != LZS_OK) {
        s->errmsg = str_printf("cannot create shard %s: %s", s->path, msg ? msg : lzs_status_str(st));
        s->st = st;
        free(msg);
        return NULL;
    }
    free(msg);
    st = lzs_xdb_allterms(s->src, LZS_PFX_DOC, collect_doc, s);
    if (st == LZS_OK)
        st = s->st;
    if (st != LZS_OK) {
        shard_fail(s, st, "reading the documents", s->src);
        return NULL;
    }
    s->st = LZS_OK;
    /* In the master's order: a shard's docids follow the order of a single index. */
    qsort(s->ids, s->nids, sizeof *s->ids, cmp_docid);
    for (size_t i = 0; i < s->nids; i++) {
        if (flag_set(s->cancel)) {
            s->st = LZS_ERR_CANCELLED;
            s->errmsg = strdup("interrupted while writing the shards");
            return NULL;
        }
        lzs_xdoc_t *doc = NULL;
        st = lzs_xdb_get_document(s->src, s->ids[i], &doc);
        if (st != LZS_OK) {
            shard_fail(s, st, "reading a passage", s->src);
            return NULL;
        }
        st = lzs_xdb_add_document(s->dst, doc, NULL);
        lzs_xdoc_destroy(doc);
        if (st != LZS_OK) {
            shard_fail(s, st, "adding a passage", s->dst);
            return NULL;
        }
        s->passages++;
    }
    st = copy_tables(s);
    if (st != LZS_OK) {
        shard_fail(s, st, "copying the metadata, spelling and synonyms", s->dst);
        return NULL;
    }
    st = lzs_xdb_commit(s->dst);
    if (st != LZS_OK)
        shard_fail(s, st, "committing", s->dst);
    return NULL;
}

/* ---- the step ------------------------------------------------------------- */

lzs_status_t lzs_run_check_shards(const lzs_index_opts_t *o, char **errmsg)
{
    if (o->shards > LZS_INDEX_MAX_SHARDS) {
        lzs_set_errmsg(errmsg, "--shards %u: at most %d shards", o->shards, LZS_INDEX_MAX_SHARDS);
        return LZS_ERR_INVALID;
    }
    char *sdir = str_printf("%s/%s", o->index_dir, SHARDS_DIR);
    if (!sdir)
        return LZS_ERR_NOMEM;
    unsigned have = published_shards(sdir);
    free(sdir);
    unsigned want = o->shards == 0 ? (have ? have : 1) : o->shards;
    if (have != 0 && want != have && !o->rebuild) {
        lzs_set_errmsg(errmsg,
                       "the index %s has %u shards (%s/%s/%s) and this run asks for %u: run "
                       "again with --shards %u, or with --rebuild to change the number",
                       o->index_dir, have, o->index_dir, SHARDS_DIR, STUB_NAME, want, have);
        return LZS_ERR_INVALID;
    }
    return LZS_OK;
}

unsigned lzs_run_shard_count(const lzs_index_opts_t *o)
{
    if (o->shards != 0)
        return o->shards;
    char *sdir = str_printf("%s/%s", o->index_dir, SHARDS_DIR);
    unsigned have = sdir ? published_shards(sdir) : 0;
    free(sdir);
    return have ? have : 1;
}

lzs_status_t lzs_run_write_shards(const lzs_index_opts_t *o, unsigned n, char **errmsg)
{
    char *sdir = str_printf("%s/%s", o->index_dir, SHARDS_DIR);
    if (!sdir)
        return LZS_ERR_NOMEM;
    if (n <= 1) {
        /* --rebuild --shards 1 on a sharded index: back to one database. */
        remove_tree(sdir);
        free(sdir);
        return LZS_OK;
    }
    unsigned long gen = current_generation(sdir) + 1;
    remove_generations(sdir, gen - 1);
    char *gdir = str_printf("%s/%s%lu", sdir, GEN_PREFIX, gen);
    lzs_status_t st = gdir ? LZS_OK : LZS_ERR_NOMEM;
    if (st == LZS_OK && lzs_mkdirs(gdir) != LZS_OK) {
        lzs_set_errmsg(errmsg, "cannot create %s: %s", gdir, strerror(errno));
        st = LZS_ERR_IO;
    }
    shard_t *s = st == LZS_OK ? calloc(n, sizeof *s) : NULL;
    if (st == LZS_OK && !s)
        st = LZS_ERR_NOMEM;
    for (unsigned k = 0; st == LZS_OK && k < n; k++) {
        s[k] = (shard_t){.master = o->index_dir, .k = k, .n = n, .cancel = o->cancel};
        s[k].path = str_printf("%s/shard-%u", gdir, k);
        if (!s[k].path)
            st = LZS_ERR_NOMEM;
    }
    for (unsigned k = 0; st == LZS_OK && k < n; k++) {
        if (pthread_create(&s[k].tid, NULL, shard_main, &s[k]) != 0) {
            lzs_set_errmsg(errmsg, "cannot start a shard writer thread");
            st = LZS_ERR_NOMEM;
            break;
        }
        s[k].started = 1;
    }
    for (unsigned k = 0; s && k < n; k++) {
        if (s[k].started)
            pthread_join(s[k].tid, NULL);
        if (st == LZS_OK && s[k].started && s[k].st != LZS_OK) {
            st = s[k].st;
            lzs_set_errmsg(errmsg, "%s", s[k].errmsg ? s[k].errmsg : lzs_status_str(st));
        }
        lzs_xdb_close(s[k].dst);
        lzs_xdb_close(s[k].src);
        free(s[k].ids);
        free(s[k].errmsg);
        free(s[k].path);
    }
    free(s);
    if (st == LZS_OK && flag_set(o->cancel)) {
        lzs_set_errmsg(errmsg, "interrupted while writing the shards");
        st = LZS_ERR_CANCELLED;
    }
    if (st == LZS_OK)
        st = publish_stub(sdir, gen, n, errmsg);
    /* Published: the earlier generation goes. Failed: this one goes, the earlier stays. */
    if (st == LZS_OK)
        remove_generations(sdir, gen);
    else if (gdir)
        remove_tree(gdir);
    free(gdir);
    free(sdir);
    return st;
}
