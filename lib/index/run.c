/* run.c — one indexer run: scan the corpus, hash, extract and tokenize on worker threads,
 * write everything through one Xapian transaction on the calling thread.
 *
 * Workers take files in corpus order, at most `window` files ahead of the writer, and the
 * writer consumes the results in that same order. So memory stays bounded (a window of
 * finished files) and a clean build assigns the same docids every time. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index/index_internal.h"
#include "lzs/extract.h"
#include "lzs/file.h"
#include "lzs/json.h"
#include "lzs/paths.h"
#include "lzs/schema.h"

/* Distinct spelling words buffered before they are written to the spelling table. */
#define SPELL_FLUSH 200000

/* ---- small helpers -------------------------------------------------------- */

__attribute__((format(printf, 1, 0))) static char *str_vprintf(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

__attribute__((format(printf, 1, 2))) static char *str_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = str_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int flag_set(const atomic_int *flag)
{
    return flag && atomic_load(flag);
}

static int cancelled(const lzs_index_opts_t *o)
{
    return flag_set(o->cancel);
}

/* ---- corpus scan ---------------------------------------------------------- */

typedef struct {
    char *path; /* absolute */
    uint64_t size;
    size_t rel;    /* offset in path of the part below its corpus directory */
    unsigned mode; /* st_mode of the file (of a symbolic link's target) */
} cfile_t;

typedef struct {
    cfile_t *v;
    size_t n, cap;
} cfiles_t;

/* A document file: one of the extractor's formats (the format table in lib/extract). */
static int is_doc_name(const char *name)
{
    return lzs_extract_format(name) != NULL;
}

static lzs_status_t push_file(cfiles_t *fs, const char *path, const struct stat *sb, size_t rel)
{
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 64;
        cfile_t *v = realloc(fs->v, cap * sizeof *v);
        if (!v)
            return LZS_ERR_NOMEM;
        fs->v = v;
        fs->cap = cap;
    }
    fs->v[fs->n].path = strdup(path);
    if (!fs->v[fs->n].path)
        return LZS_ERR_NOMEM;
    fs->v[fs->n].rel = rel;
    fs->v[fs->n].mode = (unsigned)sb->st_mode;
    /* Only a regular file's size is the size of what will be read. */
    fs->v[fs->n++].size = S_ISREG(sb->st_mode) ? (uint64_t)sb->st_size : 0;
    return LZS_OK;
}

/* 1 when the real path real lies inside the real directory root (or is root). */
static int path_inside(const char *real, const char *root)
{
    size_t rl = strlen(root);
    if (rl == 1 && root[0] == '/')
        return 1;
    return strncmp(real, root, rl) == 0 && (real[rl] == '/' || real[rl] == '\0');
}

/* One corpus directory being scanned. Its real tree is scanned first, then the symbolic
 * links to directories found in it (kept in `links`), so that a directory reachable both
 * ways is listed under its real path whatever the order of the entries; a directory is
 * scanned once (`seen`), which also ends every loop. */
typedef struct {
    cfiles_t *fs;
    const char *root; /* real path of the corpus directory */
    size_t rel;
    int follow_all; /* follow links that leave the corpus too */
    struct {
        dev_t dev;
        ino_t ino;
    } * seen;
    size_t nseen, capseen;
    lzs_strlist_t links;                    /* links to directories, not yet scanned */
    lzs_strlist_t skip_paths, skip_reasons; /* links not followed, and why */
} scan_t;

static int seen_dir(const scan_t *sc, const struct stat *sb)
{
    for (size_t i = 0; i < sc->nseen; i++)
        if (sc->seen[i].dev == sb->st_dev && sc->seen[i].ino == sb->st_ino)
            return 1;
    return 0;
}

static lzs_status_t mark_seen(scan_t *sc, const struct stat *sb)
{
    if (sc->nseen == sc->capseen) {
        size_t cap = sc->capseen ? sc->capseen * 2 : 64;
        void *v = realloc(sc->seen, cap * sizeof *sc->seen);
        if (!v)
            return LZS_ERR_NOMEM;
        sc->seen = v;
        sc->capseen = cap;
    }
    sc->seen[sc->nseen].dev = sb->st_dev;
    sc->seen[sc->nseen++].ino = sb->st_ino;
    return LZS_OK;
}

__attribute__((format(printf, 3, 4))) static lzs_status_t skip_link(scan_t *sc, const char *path,
                                                                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *reason = str_vprintf(fmt, ap);
    va_end(ap);
    lzs_status_t st = reason ? lzs_strlist_push(&sc->skip_paths, path) : LZS_ERR_NOMEM;
    if (st == LZS_OK)
        st = lzs_strlist_push(&sc->skip_reasons, reason);
    free(reason);
    return st;
}

/* A symbolic link found while scanning: a link to a document is listed (when it may be
 * followed), a link to a directory kept for later; every link that is not followed is
 * named once. */
static lzs_status_t scan_link(scan_t *sc, const char *path, const char *name, int depth)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (!is_doc_name(name))
            return LZS_OK;
        char target[4096];
        ssize_t n = readlink(path, target, sizeof target - 1);
        target[n > 0 ? n : 0] = '\0';
        return skip_link(sc, path, "symbolic link to %s, which does not exist", target);
    }
    int dir = S_ISDIR(sb.st_mode);
    if (!dir && !is_doc_name(name))
        return LZS_OK; /* not a document whatever it points to */
    if (dir && depth == 0 && strcmp(name, "data") == 0)
        return LZS_OK;
    if (!sc->follow_all) {
        char *real = realpath(path, NULL);
        if (!real || !path_inside(real, sc->root)) {
            lzs_status_t st = skip_link(sc, path,
                                        "symbolic link to %s, outside the corpus directory: "
                                        "not followed (--follow-symlinks follows it)",
                                        real ? real : "a path that cannot be resolved");
            free(real);
            return st;
        }
        free(real);
    }
    if (dir)
        return lzs_strlist_push(&sc->links, path);
    return push_file(sc->fs, path, &sb, sc->rel);
}

/* Recursive scan of dir (the directory with status dsb). Hidden entries are skipped; so is
 * the domain data directory "data" directly under a corpus root. */
static lzs_status_t scan_dir(scan_t *sc, const char *dir, const struct stat *dsb, int depth,
                             char **errmsg)
{
    lzs_status_t st = mark_seen(sc, dsb);
    if (st != LZS_OK)
        return st;
    DIR *d = opendir(dir);
    if (!d) {
        lzs_set_errmsg(errmsg, "cannot read directory %s: %s", dir, strerror(errno));
        return LZS_ERR_IO;
    }
    struct dirent *e;
    for (;;) {
        errno = 0;
        e = readdir(d);
        if (!e)
            break;
        if (e->d_name[0] == '.')
            continue;
        char *path = str_printf("%s/%s", dir, e->d_name);
        if (!path) {
            st = LZS_ERR_NOMEM;
            break;
        }
        struct stat sb;
        if (lstat(path, &sb) != 0) {
            free(path); /* vanished since readdir: nothing to index */
            continue;
        }
        if (S_ISLNK(sb.st_mode)) {
            st = scan_link(sc, path, e->d_name, depth);
        } else if (S_ISDIR(sb.st_mode)) {
            /* A directory seen before here is a bind mount of one of its parents. */
            if (!(depth == 0 && strcmp(e->d_name, "data") == 0) && !seen_dir(sc, &sb))
                st = scan_dir(sc, path, &sb, depth + 1, errmsg);
        } else if (is_doc_name(e->d_name)) {
            /* Not only regular files: a FIFO or a socket with a document's name is listed,
             * to be skipped with a message naming it rather than silently. */
            st = push_file(sc->fs, path, &sb, sc->rel);
        }
        free(path);
        if (st != LZS_OK)
            break;
    }
    if (st == LZS_OK && errno != 0) {
        lzs_set_errmsg(errmsg, "cannot read directory %s: %s", dir, strerror(errno));
        st = LZS_ERR_IO;
    }
    closedir(d);
    return st;
}

/* Scans the links to directories found so far, and those found inside them, in path
 * order. */
static lzs_status_t scan_links(scan_t *sc, char **errmsg)
{
    lzs_status_t st = LZS_OK;
    while (st == LZS_OK && sc->links.n > 0) {
        lzs_strlist_t todo = sc->links;
        memset(&sc->links, 0, sizeof sc->links);
        lzs_strlist_sort(&todo);
        for (size_t i = 0; st == LZS_OK && i < todo.n; i++) {
            struct stat sb;
            if (stat(todo.items[i], &sb) != 0 || !S_ISDIR(sb.st_mode))
                continue; /* changed since it was found */
            if (seen_dir(sc, &sb)) {
                char *real = realpath(todo.items[i], NULL);
                st = skip_link(sc, todo.items[i],
                               "symbolic link to %s, a directory already scanned (a loop, or "
                               "a second way to it): not followed",
                               real ? real : "a directory");
                free(real);
                continue;
            }
            st = scan_dir(sc, todo.items[i], &sb, 1, errmsg);
        }
        lzs_strlist_clear(&todo);
    }
    return st;
}

static int cmp_cfile(const void *a, const void *b)
{
    return strcmp(((const cfile_t *)a)->path, ((const cfile_t *)b)->path);
}

static void cfiles_free(cfiles_t *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        free(fs->v[i].path);
    free(fs->v);
}

/* Lists the document files of the corpus directories into fs. The symbolic links not
 * followed are added to skip_paths / skip_reasons. */
static lzs_status_t scan_corpus(const char *const *dirs, size_t ndirs, int follow_all, cfiles_t *fs,
                                lzs_strlist_t *skip_paths, lzs_strlist_t *skip_reasons,
                                char **errmsg)
{
    for (size_t i = 0; i < ndirs; i++) {
        char *abs = realpath(dirs[i], NULL);
        struct stat sb;
        if (!abs || stat(abs, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            lzs_set_errmsg(errmsg, "corpus directory %s: %s", dirs[i],
                           abs ? "not a directory" : strerror(errno));
            free(abs);
            return LZS_ERR_NOT_FOUND;
        }
        /* "/" as a corpus directory: paths below it start right after the slash. */
        scan_t sc = {.fs = fs,
                     .root = abs,
                     .rel = strcmp(abs, "/") == 0 ? 1 : strlen(abs) + 1,
                     .follow_all = follow_all};
        lzs_status_t st = scan_dir(&sc, abs, &sb, 0, errmsg);
        if (st == LZS_OK)
            st = scan_links(&sc, errmsg);
        for (size_t k = 0; st == LZS_OK && k < sc.skip_paths.n; k++) {
            st = lzs_strlist_push(skip_paths, sc.skip_paths.items[k]);
            if (st == LZS_OK)
                st = lzs_strlist_push(skip_reasons, sc.skip_reasons.items[k]);
        }
        free(sc.seen);
        lzs_strlist_clear(&sc.links);
        lzs_strlist_clear(&sc.skip_paths);
        lzs_strlist_clear(&sc.skip_reasons);
        free(abs);
        if (st != LZS_OK)
            return st;
    }
    if (fs->n > 1)
        qsort(fs->v, fs->n, sizeof *fs->v, cmp_cfile);
    /* The same directory given twice (or nested roots) lists files twice. Of nested roots,
     * the outermost names the file (whatever the order qsort left them in). */
    size_t w = 0;
    for (size_t i = 0; i < fs->n; i++) {
        if (w > 0 && strcmp(fs->v[w - 1].path, fs->v[i].path) == 0) {
            if (fs->v[i].rel < fs->v[w - 1].rel)
                fs->v[w - 1].rel = fs->v[i].rel;
            free(fs->v[i].path);
            continue;
        }
        fs->v[w++] = fs->v[i];
    }
    fs->n = w;
    return LZS_OK;
}

static cfile_t *find_cfile(const cfiles_t *fs, const char *path)
{
    cfile_t key = {.path = (char *)path};
    return fs->n ? bsearch(&key, fs->v, fs->n, sizeof *fs->v, cmp_cfile) : NULL;
}

/* ---- what the index knows about each file (metadata "lzs:file:<path>") ------ */

typedef struct {
    char *path;
    char sha[65];
    char *doc;
    uint32_t passages;
    int alt; /* an alternate file of its document: listed, no passages */
} oldfile_t;

typedef struct {
    oldfile_t *v;
    size_t n, cap;
    lzs_status_t st;
} oldfiles_t;

static int cmp_oldfile(const void *a, const void *b)
{
    return strcmp(((const oldfile_t *)a)->path, ((const oldfile_t *)b)->path);
}

static void oldfiles_free(oldfiles_t *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->v[i].path);
        free(o->v[i].doc);
    }
    free(o->v);
    memset(o, 0, sizeof *o);
}

static int collect_key(void *ud, const char *key, size_t keylen)
{
    oldfiles_t *o = ud;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        oldfile_t *v = realloc(o->v, cap * sizeof *v);
        if (!v) {
            o->st = LZS_ERR_NOMEM;
            return 1;
        }
        o->v = v;
        o->cap = cap;
    }
    size_t pl = strlen(LZS_META_FILE_PREFIX);
    memset(&o->v[o->n], 0, sizeof o->v[o->n]);
    o->v[o->n].path = strndup(key + pl, keylen - pl);
    if (!o->v[o->n].path) {
        o->st = LZS_ERR_NOMEM;
        return 1;
    }
    o->n++;
    return 0;
}

static lzs_status_t load_oldfiles(lzs_xdb_t *db, oldfiles_t *o, char **errmsg)
{
    lzs_status_t st = lzs_xdb_metadata_keys(db, LZS_META_FILE_PREFIX, collect_key, o);
    if (st == LZS_OK)
        st = o->st;
    for (size_t i = 0; st == LZS_OK && i < o->n; i++) {
        char *key = str_printf("%s%s", LZS_META_FILE_PREFIX, o->v[i].path);
        char *val = NULL;
        size_t len = 0;
        if (!key)
            return LZS_ERR_NOMEM;
        st = lzs_xdb_metadata_get(db, key, &val, &len);
        free(key);
        if (st != LZS_OK)
            break;
        json_t *j = NULL;
        lzs_status_t pst = lzs_json_parse(val, len, 0, NULL, &j);
        free(val);
        if (pst == LZS_ERR_NOMEM) {
            /* Not an unreadable entry: fail rather than guess what it says. */
            st = pst;
            break;
        }
        const char *sha = json_string_value(json_object_get(j, "sha256"));
        const char *doc = json_string_value(json_object_get(j, "doc"));
        json_int_t np = json_integer_value(json_object_get(j, "passages"));
        o->v[i].alt = json_is_true(json_object_get(j, "alt"));
        /* An unreadable entry only means the file will be indexed again. */
        if (sha && strlen(sha) == 64)
            memcpy(o->v[i].sha, sha, 65);
        o->v[i].doc = strdup(doc ? doc : "");
        o->v[i].passages = np > 0 ? (uint32_t)np : 0;
        json_decref(j);
        if (!o->v[i].doc)
            st = LZS_ERR_NOMEM;
    }
    if (st != LZS_OK)
        lzs_set_errmsg(errmsg, "reading the file list of the index: %s",
                       st == LZS_ERR_NOMEM ? lzs_status_str(st) : lzs_xdb_errmsg(db));
    if (o->n > 1)
        qsort(o->v, o->n, sizeof *o->v, cmp_oldfile);
    return st;
}

static oldfile_t *find_oldfile(const oldfiles_t *o, const char *path)
{
    oldfile_t key = {.path = (char *)path};
    return o->n ? bsearch(&key, o->v, o->n, sizeof *o->v, cmp_oldfile) : NULL;
}

/* ---- per-file work (worker threads) --------------------------------------- */

typedef enum { RES_UNCHANGED, RES_SKIPPED, RES_DOC, RES_FATAL } res_kind_t;

typedef struct result {
    res_kind_t kind;
    char *reason; /* RES_SKIPPED, RES_FATAL */
    char sha[65];
    char *doc_id;
    char *source; /* the file's path below its corpus directory */
    char lang[8];
    lzs_xdoc_t **xdocs;
    size_t nxdocs;
    lzs_wordcount_t *spell;
    struct result *next_junk; /* in shared_t.junk once written */
} result_t;

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    const cfiles_t *files;
    result_t **results; /* one per file, filled by workers, taken by the writer */
    size_t next_take, next_write, window;
    int stop;
    const lzs_extractor_t *ex;
    const oldfiles_t *old;
    int rebuild;
    int follow_all;                /* opts->follow_symlinks */
    const atomic_int *cancel;      /* opts->cancel: workers stop taking files */
    result_t oom;                  /* handed over when a result cannot even be allocated */
    /* Results the writer is done with. Workers free them: tearing down thousands of Xapian
     * documents is work the single writer thread, the bottleneck of a run, should not do. */
    result_t *junk;
} shared_t;

typedef struct {
    shared_t *S;
    lzs_text_t *text;
    pthread_t tid;
    int started;
} worker_t;

static void result_free(result_t *r)
{
    if (!r)
        return;
    free(r->reason);
    free(r->doc_id);
    free(r->source);
    for (size_t i = 0; i < r->nxdocs; i++)
        lzs_xdoc_destroy(r->xdocs[i]);
    free(r->xdocs);
    lzs_wordcount_destroy(r->spell);
    free(r);
}

static result_t *skip_result(result_t *r, char *reason)
{
    r->kind = reason ? RES_SKIPPED : RES_FATAL;
    r->reason = reason;
    return r;
}

static void strip_name(char *msg, const char *path)
{
    /* Messages are printed after the path: drop a leading "path: " the extractor may add. */
    size_t pl = strlen(path);
    if (strncmp(msg, path, pl) == 0 && msg[pl] == ':' && msg[pl + 1] == ' ')
        memmove(msg, msg + pl + 2, strlen(msg + pl + 2) + 1);
}

/* A sidecar that is a symbolic link out of the corpus directory of f: its reason for
 * skipping f (caller frees), else NULL with *oom 0. */
static char *sidecar_link_out(const cfile_t *f, const char *sp, int *oom)
{
    *oom = 0;
    struct stat sb;
    if (lstat(sp, &sb) != 0 || !S_ISLNK(sb.st_mode))
        return NULL;
    /* f->path is its corpus directory's real path, then the part below it. */
    char *root = f->rel > 1 ? strndup(f->path, f->rel - 1) : strdup("/");
    char *real = realpath(sp, NULL);
    char *reason = NULL;
    if (root && (!real || !path_inside(real, root))) {
        reason = str_printf("sidecar %s is a symbolic link to %s, outside the corpus "
                            "directory: not followed (--follow-symlinks follows it)",
                            sp, real ? real : "a path that cannot be resolved");
        *oom = reason == NULL;
    }
    *oom |= root == NULL;
    free(root);
    free(real);
    return reason;
}

static result_t *process_file(worker_t *w, const cfile_t *f)
{
    shared_t *S = w->S;
    result_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    if (strlen(f->path) > LZS_INDEX_MAX_PATH)
        return skip_result(r, str_printf("path too long for the index (%zu bytes; at most %d)",
                                         strlen(f->path), LZS_INDEX_MAX_PATH));
    /* The words of lzs_file_read(), which refuses such a file too if it appeared since. */
    if (!S_ISREG(f->mode))
        return skip_result(r, str_printf("not a regular file (%s)", lzs_file_kind(f->mode)));
    char *buf = NULL, *side = NULL, *msg = NULL;
    size_t len = 0, sidelen = 0;
    lzs_status_t rst =
        lzs_file_read(-1, f->path, lzs_extract_max_size(f->path), &buf, &len, &msg);
    if (rst == LZS_ERR_NOMEM || (rst != LZS_OK && !msg)) {
        free(msg);
        return skip_result(r, NULL);
    }
    if (rst != LZS_OK) {
        strip_name(msg, f->path);
        return skip_result(r, msg);
    }
    char *sp = lzs_extract_sidecar_path(f->path);
    int oom = 0;
    char *out = sp && !S->follow_all ? sidecar_link_out(f, sp, &oom) : NULL;
    if (!sp || oom || out) {
        free(buf);
        free(sp);
        return skip_result(r, out);
    }
    /* The sidecar's message names it: "PATH: not a regular file (FIFO)". */
    rst = lzs_file_read(-1, sp, LZS_EXTRACT_MAX_SIDECAR, &side, &sidelen, &msg);
    free(sp);
    if (rst != LZS_OK && rst != LZS_ERR_NOT_FOUND) {
        free(buf);
        if (rst == LZS_ERR_NOMEM || !msg) {
            free(msg);
            return skip_result(r, NULL);
        }
        char *reason = str_printf("sidecar %s", msg);
        free(msg);
        return skip_result(r, reason);
    }
    free(msg);
    msg = NULL;

    /* The sidecar is part of the content: editing it re-indexes the document. */
    lzs_sha256_t h;
    unsigned char dig[32];
    lzs_sha256_init(&h);
    lzs_sha256_update(&h, buf, len);
    if (side) {
        lzs_sha256_update(&h, "\0sidecar\0", 9);
        lzs_sha256_update(&h, side, sidelen);
    }
    lzs_sha256_final(&h, dig);
    lzs_sha256_hex(dig, r->sha);

    const oldfile_t *old = S->rebuild ? NULL : find_oldfile(S->old, f->path);
    if (old && strcmp(old->sha, r->sha) == 0) {
        free(buf);
        free(side);
        r->kind = RES_UNCHANGED;
        return r;
    }

    lzs_document_t *doc = NULL;
    char *err = NULL;
    lzs_status_t st = lzs_extract_buffer(S->ex, f->path, buf, len, side, &doc, &err);
    free(buf);
    free(side);
    if (st != LZS_OK) {
        if (st == LZS_ERR_NOMEM) {
            free(err);
            return skip_result(r, NULL);
        }
        if (!err)
            err = strdup(lzs_status_str(st));
        if (err)
            strip_name(err, f->path);
        return skip_result(r, err);
    }
    /* The stored source names the file below its corpus directory, not where the server
     * keeps it; the index finds a file's passages by the absolute path (the XF: term). */
    free(doc->source);
    doc->source = strdup(f->path + f->rel);
    r->doc_id = doc->id ? strdup(doc->id) : NULL;
    r->source = strdup(f->path + f->rel);
    r->xdocs = calloc(doc->npassages ? doc->npassages : 1, sizeof *r->xdocs);
    st = (doc->source && r->doc_id && r->source && r->xdocs) ? lzs_wordcount_create(&r->spell)
                                                             : LZS_ERR_NOMEM;
    memcpy(r->lang, doc->lang, sizeof r->lang);
    r->lang[sizeof r->lang - 1] = '\0';
    for (size_t i = 0; st == LZS_OK && i < doc->npassages; i++) {
        if (flag_set(S->cancel)) {
            st = LZS_ERR_CANCELLED; /* the writer drops this result unread */
            break;
        }
        st = lzs_index_build_passage(w->text, doc, &doc->passages[i], f->path, r->spell,
                                     &r->xdocs[i], &err);
        if (st == LZS_OK)
            r->nxdocs++;
    }
    lzs_document_free(doc);
    if (st == LZS_ERR_NOMEM || st == LZS_ERR_CANCELLED) {
        free(err);
        return skip_result(r, NULL);
    }
    if (st != LZS_OK)
        return skip_result(r, err ? err : strdup(lzs_status_str(st)));
    r->kind = RES_DOC;
    return r;
}

static void free_junk(result_t *r)
{
    while (r) {
        result_t *next = r->next_junk;
        result_free(r);
        r = next;
    }
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    shared_t *S = w->S;
    for (;;) {
        pthread_mutex_lock(&S->mu);
        while (!S->stop && S->next_take < S->files->n && S->next_take >= S->next_write + S->window)
            pthread_cond_wait(&S->cv_work, &S->mu);
        result_t *junk = S->junk;
        S->junk = NULL;
        if (S->stop || S->next_take >= S->files->n || flag_set(S->cancel)) {
            pthread_mutex_unlock(&S->mu);
            free_junk(junk);
            break;
        }
        size_t i = S->next_take++;
        pthread_mutex_unlock(&S->mu);
        free_junk(junk);

        result_t *r = process_file(w, &S->files->v[i]);

        pthread_mutex_lock(&S->mu);
        S->results[i] = r ? r : &S->oom;
        pthread_cond_broadcast(&S->cv_done);
        pthread_mutex_unlock(&S->mu);
    }
    return NULL;
}

/* ---- the writer ----------------------------------------------------------- */

typedef struct {
    const lzs_index_opts_t *opts;
    lzs_xdb_t *db;
    lzs_text_t *text; /* the writer's own pipeline (synonym keys) */
    const lzs_extractor_t *ex;
    cfiles_t files;
    oldfiles_t old;
    lzs_wordcount_t *spell;   /* spelling words not yet written */
    lzs_wordcount_t *unspell; /* spelling words of deleted passages, not yet taken off */
    lzs_wordcount_t *claims;  /* document id -> owner (see claim_owner()) */
    lzs_strlist_t lost;       /* documents whose file giving the passages went this run */
    lzs_index_summary_t *sum;
    lzs_strlist_t skip_paths, skip_reasons;
    lzs_indexdir_t dir; /* what the run found and made at the index path */
    int fresh;          /* nothing was ever committed to the index: a failure removes it */
    double t0, last_progress;
    uint64_t bytes_done;
    uint32_t passages_written;
    char **errmsg;
} run_t;

static lzs_status_t db_fail(run_t *R, lzs_status_t st, const char *what)
{
    lzs_set_errmsg(R->errmsg, "%s: %s", what,
                   st == LZS_ERR_NOMEM ? lzs_status_str(st) : lzs_xdb_errmsg(R->db));
    /* LZS_ERR_LIMIT out of lzs_index_run() means the mass-deletion guard alone. */
    return st == LZS_ERR_LIMIT ? LZS_ERR_XAPIAN : st;
}

static char *file_key(const char *path)
{
    return str_printf("%s%s", LZS_META_FILE_PREFIX, path);
}

typedef struct {
    lzs_docid_t *v;
    size_t n, cap;
    lzs_status_t st;
} docids_t;

static int collect_docid(void *ud, lzs_docid_t id)
{
    docids_t *d = ud;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        lzs_docid_t *v = realloc(d->v, cap * sizeof *v);
        if (!v) {
            d->st = LZS_ERR_NOMEM;
            return 1;
        }
        d->v = v;
        d->cap = cap;
    }
    d->v[d->n++] = id;
    return 0;
}

/* Counts into R->unspell what the passages indexed by term gave the spelling table, from
 * their stored text and by the rule used when they were added, so that deleting them takes
 * their words back off. */
static lzs_status_t count_deleted_spelling(run_t *R, const char *term)
{
    docids_t ids = {0};
    lzs_status_t st = lzs_xdb_postlist(R->db, term, collect_docid, &ids);
    if (st == LZS_OK)
        st = ids.st;
    for (size_t i = 0; st == LZS_OK && i < ids.n; i++) {
        lzs_xdoc_t *doc = NULL;
        char *data = NULL;
        size_t len = 0;
        st = lzs_xdb_get_document(R->db, ids.v[i], &doc);
        if (st == LZS_OK)
            st = lzs_xdoc_get_data(doc, &data, &len);
        lzs_xdoc_destroy(doc);
        if (st != LZS_OK)
            break;
        json_t *j = NULL;
        lzs_status_t pst = lzs_json_parse(data, len, 0, NULL, &j);
        free(data);
        if (pst == LZS_ERR_NOMEM) {
            st = pst;
            break;
        }
        /* Data this program did not write has no text to take back. */
        const char *text =
            json_string_value(json_object_get(json_object_get(j, "passage"), "text"));
        if (text)
            st = lzs_index_count_spelling(R->text, text, R->unspell);
        json_decref(j);
    }
    free(ids.v);
    return st;
}

static lzs_status_t delete_file_docs(run_t *R, const char *path)
{
    char *term = str_printf("%s%s", LZS_PFX_FILE, path);
    if (!term)
        return LZS_ERR_NOMEM;
    /* A rebuild clears the whole spelling table instead. */
    lzs_status_t st = R->opts->rebuild ? LZS_OK : count_deleted_spelling(R, term);
    if (st != LZS_OK) {
        free(term);
        return db_fail(R, st, "reading the passages to delete");
    }
    st = lzs_xdb_delete_documents(R->db, term);
    free(term);
    if (st != LZS_OK)
        return db_fail(R, st, "deleting passages");
    return LZS_OK;
}

static lzs_status_t forget_file(run_t *R, const char *path)
{
    char *key = file_key(path);
    if (!key)
        return LZS_ERR_NOMEM;
    lzs_status_t st = lzs_xdb_metadata_set(R->db, key, "", 0);
    free(key);
    return st == LZS_OK ? st : db_fail(R, st, "updating the file list");
}

/* The file's entry in the file list. alt: an alternate file of its document (another
 * format of it, read worse), which gives no passages (see schema.h). */
static lzs_status_t record_entry(run_t *R, const char *path, const char *sha, const char *doc,
                                 const char *source, uint32_t passages, int alt)
{
    json_t *j = json_pack("{s:s, s:s, s:s?, s:I, s:b}", "sha256", sha, "doc", doc, "source",
                          source, "passages", (json_int_t)passages, "alt", alt);
    char *val = j ? json_dumps(j, JSON_COMPACT) : NULL;
    char *key = file_key(path);
    json_decref(j);
    lzs_status_t st =
        (val && key) ? lzs_xdb_metadata_set(R->db, key, val, strlen(val)) : LZS_ERR_NOMEM;
    free(val);
    free(key);
    return st == LZS_OK ? st : db_fail(R, st, "updating the file list");
}

static lzs_status_t record_file(run_t *R, const char *path, const result_t *r)
{
    return record_entry(R, path, r->sha, r->doc_id, r->source, (uint32_t)r->nxdocs, 0);
}

static void report_progress(run_t *R, size_t done, int final)
{
    if (!R->opts->progress)
        return;
    double t = now_sec();
    if (!final && t - R->last_progress < 0.1)
        return;
    R->last_progress = t;
    lzs_index_progress_t p = {
        .files_done = (uint32_t)done,
        .files_total = (uint32_t)R->files.n,
        .bytes_done = R->bytes_done,
        .passages = R->passages_written,
        .elapsed = t - R->t0,
        .final = final,
    };
    for (size_t i = 0; i < R->files.n; i++)
        p.bytes_total += R->files.v[i].size;
    R->opts->progress(R->opts->progress_ud, &p);
}

static lzs_status_t note_skip(run_t *R, const char *path, const char *reason)
{
    R->sum->files_skipped++;
    if (R->opts->on_skip)
        R->opts->on_skip(R->opts->skip_ud, path, reason);
    if (lzs_strlist_push(&R->skip_paths, path) != LZS_OK ||
        lzs_strlist_push(&R->skip_reasons, reason) != LZS_OK)
        return LZS_ERR_NOMEM;
    return LZS_OK;
}

typedef struct {
    lzs_xdb_t *db;
    lzs_status_t st;
    lzs_wordcount_t *wc; /* collect_spelling() only */
} spellctx_t;

static int flush_spell_cb(void *ud, const char *word, uint32_t count)
{
    spellctx_t *c = ud;
    c->st = lzs_xdb_add_spelling(c->db, word, count);
    /* A word too long for the spelling table is no loss: it would never be suggested. */
    if (c->st == LZS_ERR_LIMIT)
        c->st = LZS_OK;
    return c->st != LZS_OK;
}

static int unspell_cb(void *ud, const char *word, uint32_t count)
{
    spellctx_t *c = ud;
    c->st = lzs_xdb_remove_spelling(c->db, word, count);
    if (c->st == LZS_ERR_LIMIT)
        c->st = LZS_OK; /* never added either */
    return c->st != LZS_OK;
}

/* Writes the pending changes of the spelling table: the words of deleted passages off, the
 * words of added ones on (a word both deleted and added ends with the right count). */
static lzs_status_t flush_spelling(run_t *R)
{
    spellctx_t c = {R->db, LZS_OK, NULL};
    lzs_wordcount_foreach(R->unspell, unspell_cb, &c);
    lzs_wordcount_clear(R->unspell);
    if (c.st == LZS_OK)
        lzs_wordcount_foreach(R->spell, flush_spell_cb, &c);
    lzs_wordcount_clear(R->spell);
    return c.st == LZS_OK ? c.st : db_fail(R, c.st, "writing the spelling table");
}

static int collect_spelling(void *ud, const char *word, size_t len, uint32_t freq)
{
    spellctx_t *c = ud;
    (void)len; /* words are terms: no NUL inside */
    c->st = lzs_wordcount_add(c->wc, word, freq);
    return c->st != LZS_OK;
}

/* Empties the spelling table (for a rebuild: its counts start over with the passages). */
static lzs_status_t clear_spelling(run_t *R)
{
    spellctx_t c = {R->db, LZS_OK, R->unspell};
    lzs_status_t st = lzs_xdb_spellings(R->db, collect_spelling, &c);
    if (st == LZS_OK && c.st != LZS_OK)
        return c.st;
    if (st != LZS_OK)
        return db_fail(R, st, "reading the spelling table");
    return flush_spelling(R);
}

/* The file that gave doc's passages went (removed, or now another document): doc has no
 * owner until another of its files takes over (promote_alternates()). */
static lzs_status_t lost_document(run_t *R, const char *doc)
{
    lzs_status_t st = lzs_wordcount_set(R->claims, doc, 0);
    if (st == LZS_OK)
        st = lzs_strlist_push_unique(&R->lost, doc);
    return st;
}

/* Path owning a claimed document id: claims hold index+1 into the old list, or
 * old.n + index+1 into the corpus list. */
static const char *claim_owner(const run_t *R, uint32_t v)
{
    if (v == 0)
        return NULL;
    if (v <= R->old.n)
        return R->old.v[v - 1].path;
    return R->files.v[v - 1 - R->old.n].path;
}

/* The index's entry of path in the file list, parsed: NULL when it has none. Caller frees
 * with json_decref(). */
static lzs_status_t read_entry(run_t *R, const char *path, json_t **out)
{
    *out = NULL;
    char *key = file_key(path);
    char *val = NULL;
    size_t len = 0;
    lzs_status_t st = key ? lzs_xdb_metadata_get(R->db, key, &val, &len) : LZS_ERR_NOMEM;
    free(key);
    if (st == LZS_ERR_NOT_FOUND || (st == LZS_OK && len == 0)) {
        free(val);
        return LZS_OK;
    }
    if (st != LZS_OK)
        return db_fail(R, st, "reading the file list");
    st = lzs_json_parse(val, len, 0, NULL, out);
    free(val);
    return st == LZS_ERR_NOMEM ? st : LZS_OK;
}

/* owner, which gave the passages of a document, is read worse than a file of the same
 * document met now: its passages go, and it stays listed as an alternate file. */
static lzs_status_t demote_owner(run_t *R, const char *owner)
{
    json_t *e = NULL;
    lzs_status_t st = read_entry(R, owner, &e);
    if (st == LZS_OK)
        st = delete_file_docs(R, owner);
    if (st == LZS_OK && e) {
        json_int_t np = json_integer_value(json_object_get(e, "passages"));
        R->sum->passages_removed += np > 0 ? (uint32_t)np : 0;
        st = record_entry(R, owner, json_string_value(json_object_get(e, "sha256")),
                          json_string_value(json_object_get(e, "doc")),
                          json_string_value(json_object_get(e, "source")), 0, 1);
    }
    json_decref(e);
    return st;
}

/* A file of a document that another file, read better, already gives: listed as one of
 * the document's files, no passages of its own (those it gave before go). */
static lzs_status_t write_alternate(run_t *R, size_t idx, const result_t *r)
{
    const char *path = R->files.v[idx].path;
    oldfile_t *old = find_oldfile(&R->old, path);
    lzs_status_t st = LZS_OK;
    if (old) {
        if (old->passages > 0) {
            st = delete_file_docs(R, path);
            R->sum->passages_removed += old->passages;
        }
        if (st == LZS_OK && old->doc && strcmp(old->doc, r->doc_id) != 0 &&
            claim_owner(R, lzs_wordcount_get(R->claims, old->doc)) != NULL &&
            strcmp(claim_owner(R, lzs_wordcount_get(R->claims, old->doc)), path) == 0)
            st = lost_document(R, old->doc);
        R->sum->files_changed++;
    } else {
        R->sum->files_added++;
    }
    if (st == LZS_OK)
        st = record_entry(R, path, r->sha, r->doc_id, r->source, 0, 1);
    return st;
}

/* When the document's passages were written (schema.h, LZS_META_INDEXED_PREFIX). */
static lzs_status_t record_indexed(run_t *R, const char *doc)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL || strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return LZS_OK; /* no clock: the feed then has no time for an undated document */
    char *key = str_printf("%s%s", LZS_META_INDEXED_PREFIX, doc);
    if (key == NULL)
        return LZS_ERR_NOMEM;
    lzs_status_t st = lzs_xdb_metadata_set(R->db, key, when, strlen(when));
    free(key);
    return st == LZS_OK ? LZS_OK : db_fail(R, st, "recording when a document was indexed");
}

static lzs_status_t write_result(run_t *R, size_t idx, result_t *r)
{
    const char *path = R->files.v[idx].path;
    oldfile_t *old = find_oldfile(&R->old, path);
    lzs_status_t st = LZS_OK;
    R->sum->bytes += R->files.v[idx].size;
    switch (r->kind) {
    case RES_FATAL:
        lzs_set_errmsg(R->errmsg, "%s: %s", path,
                       r->reason ? r->reason : lzs_status_str(LZS_ERR_NOMEM));
        return LZS_ERR_NOMEM;
    case RES_UNCHANGED:
        R->sum->files_unchanged++;
        return LZS_OK;
    case RES_SKIPPED:
        return note_skip(R, path, r->reason);
    case RES_DOC:
        break;
    }
    const char *owner = claim_owner(R, lzs_wordcount_get(R->claims, r->doc_id));
    if (owner && strcmp(owner, path) != 0) {
        /* The same document in another format: the format read best gives the passages,
         * the others are listed as its files. Two files of one format are a duplicate. */
        int mine = lzs_extract_format_rank(path), theirs = lzs_extract_format_rank(owner);
        if (mine > theirs)
            return write_alternate(R, idx, r);
        if (mine == theirs) {
            char *reason = str_printf("duplicate document id %s (already indexed from %s)",
                                      r->doc_id, owner);
            if (!reason)
                return LZS_ERR_NOMEM;
            st = note_skip(R, path, reason);
            free(reason);
            return st;
        }
        st = demote_owner(R, owner);
        if (st != LZS_OK)
            return st;
    }
    if (old) {
        st = delete_file_docs(R, path);
        if (st != LZS_OK)
            return st;
        if (old->doc && strcmp(old->doc, r->doc_id) != 0)
            st = lost_document(R, old->doc);
        R->sum->passages_removed += old->passages;
        R->sum->files_changed++;
    } else {
        R->sum->files_added++;
    }
    if (st == LZS_OK)
        st = lzs_wordcount_set(R->claims, r->doc_id, (uint32_t)(R->old.n + idx + 1));
    for (size_t i = 0; st == LZS_OK && i < r->nxdocs; i++) {
        if (cancelled(R->opts))
            return LZS_OK; /* the writer loop reports it */
        st = lzs_xdb_add_document(R->db, r->xdocs[i], NULL);
        if (st != LZS_OK)
            return db_fail(R, st, "adding a passage");
        R->passages_written++;
        R->sum->passages_added++;
    }
    if (st == LZS_OK)
        st = record_file(R, path, r);
    if (st == LZS_OK)
        st = record_indexed(R, r->doc_id);
    if (st == LZS_OK)
        st = lzs_wordcount_merge(R->spell, r->spell);
    if (st == LZS_OK && lzs_wordcount_size(R->spell) + lzs_wordcount_size(R->unspell) > SPELL_FLUSH)
        st = flush_spelling(R);
    return st;
}

/* Deletes the passages of indexed files that are gone from the corpus (all of them when
 * rebuilding), before anything is added, so that a document id can move between files. */
static lzs_status_t remove_gone(run_t *R)
{
    for (size_t i = 0; i < R->old.n; i++) {
        if (cancelled(R->opts)) {
            lzs_set_errmsg(R->errmsg, "interrupted: nothing of this run was committed");
            return LZS_ERR_CANCELLED;
        }
        oldfile_t *o = &R->old.v[i];
        if (!R->opts->rebuild && find_cfile(&R->files, o->path)) {
            if (o->doc && *o->doc && !o->alt) {
                lzs_status_t st = lzs_wordcount_set(R->claims, o->doc, (uint32_t)(i + 1));
                if (st != LZS_OK)
                    return st;
            }
            continue;
        }
        lzs_status_t st = delete_file_docs(R, o->path);
        if (st == LZS_OK)
            st = forget_file(R, o->path);
        if (st == LZS_OK && !R->opts->rebuild && o->passages > 0 && o->doc && *o->doc)
            st = lzs_strlist_push_unique(&R->lost, o->doc);
        if (st != LZS_OK)
            return st;
        if (!R->opts->rebuild)
            R->sum->files_removed++;
        R->sum->passages_removed += o->passages;
    }
    if (R->opts->rebuild) {
        lzs_status_t st = clear_spelling(R);
        if (st != LZS_OK)
            return st;
    }
    if (R->opts->rebuild) {
        /* Passages not tied to a listed file (none in an index this program wrote). */
        uint32_t n = 0;
        lzs_docid_t last = 0;
        lzs_status_t st = lzs_xdb_doccount(R->db, &n);
        if (st == LZS_OK && n > 0)
            st = lzs_xdb_lastdocid(R->db, &last);
        for (lzs_docid_t d = 1; st == LZS_OK && n > 0 && d <= last; d++) {
            st = lzs_xdb_delete_document(R->db, d);
            if (st == LZS_ERR_NOT_FOUND)
                st = LZS_OK;
        }
        if (st != LZS_OK)
            return db_fail(R, st, "clearing the index");
        oldfiles_free(&R->old);
    }
    return LZS_OK;
}

/* ---- synonyms ------------------------------------------------------------- */

static int collect_term(void *ud, const char *term, size_t len, uint32_t freq)
{
    (void)freq;
    lzs_strlist_t *l = ud;
    char *s = strndup(term, len);
    int bad = !s || lzs_strlist_push(l, s) != LZS_OK;
    free(s);
    return bad;
}

static lzs_status_t write_synonyms(run_t *R)
{
    lzs_strlist_t keys = {0};
    lzs_status_t st = lzs_xdb_synonym_keys(R->db, "", collect_term, &keys);
    for (size_t i = 0; st == LZS_OK && i < keys.n; i++)
        st = lzs_xdb_clear_synonyms(R->db, keys.items[i]);
    lzs_strlist_clear(&keys);
    if (st != LZS_OK)
        return db_fail(R, st, "clearing synonyms");
    size_t ng = lzs_extract_synonym_groups(R->ex);
    for (size_t g = 0; st == LZS_OK && g < ng; g++) {
        size_t n = lzs_extract_synonym_group_size(R->ex, g);
        lzs_strlist_t norm = {0};
        for (size_t i = 0; st == LZS_OK && i < n; i++) {
            char *k = NULL;
            const char *syn = lzs_extract_synonym(R->ex, g, i);
            st = lzs_text_phrase_key(R->text, syn, strlen(syn), &k);
            if (st == LZS_OK && *k && strlen(k) <= LZS_XDB_MAX_TERM - 2)
                st = lzs_strlist_push_unique(&norm, k);
            free(k);
        }
        for (size_t i = 0; st == LZS_OK && i < norm.n; i++) {
            for (size_t j = 0; st == LZS_OK && j < norm.n; j++) {
                if (i != j)
                    st = lzs_xdb_add_synonym(R->db, norm.items[i], norm.items[j]);
            }
        }
        lzs_strlist_clear(&norm);
    }
    return st == LZS_OK ? st : db_fail(R, st, "writing synonyms");
}

/* ---- index totals for the summary ----------------------------------------- */

typedef struct {
    size_t plen;
    uint32_t count;
    lzs_strlist_t *names; /* NULL: count only */
    lzs_status_t st;
} terms_t;

static int terms_cb(void *ud, const char *term, size_t len, uint32_t freq)
{
    (void)freq;
    terms_t *t = ud;
    t->count++;
    if (!t->names)
        return 0;
    char *s = strndup(term + t->plen, len - t->plen);
    if (!s || lzs_strlist_push(t->names, s) != LZS_OK)
        t->st = LZS_ERR_NOMEM;
    free(s);
    return t->st != LZS_OK;
}

static lzs_status_t prefix_terms(lzs_xdb_t *db, const char *prefix, lzs_strlist_t *names,
                                 uint32_t *count)
{
    terms_t t = {strlen(prefix), 0, names, LZS_OK};
    lzs_status_t st = lzs_xdb_allterms(db, prefix, terms_cb, &t);
    if (count)
        *count = t.count;
    return st != LZS_OK ? st : t.st;
}

static lzs_status_t compute_totals(run_t *R)
{
    lzs_index_summary_t *s = R->sum;
    lzs_strlist_t parties = {0}, langs = {0};
    lzs_status_t st = lzs_xdb_doccount(R->db, &s->passages);
    if (st == LZS_OK)
        st = prefix_terms(R->db, LZS_PFX_DOC, NULL, &s->documents);
    if (st == LZS_OK)
        st = prefix_terms(R->db, LZS_PFX_PARTY, &parties, NULL);
    if (st == LZS_OK)
        st = prefix_terms(R->db, LZS_PFX_LANG, &langs, NULL);
    if (st == LZS_OK)
        st = lzs_xdb_termfreq(R->db, LZS_PFX_KIND "recommendation", &s->recommendations);
    uint32_t with_level = 0;
    for (int l = LZS_LEVEL_NONE + 1; st == LZS_OK && l < LZS_LEVEL_COUNT; l++) {
        char term[64];
        snprintf(term, sizeof term, "%s%s", LZS_PFX_LEVEL, lzs_level_name((lzs_level_t)l));
        st = lzs_xdb_termfreq(R->db, term, &s->recs_by_level[l]);
        with_level += s->recs_by_level[l];
    }
    s->recs_by_level[LZS_LEVEL_NONE] =
        s->recommendations > with_level ? s->recommendations - with_level : 0;
    /* Hand the lists over to the summary (strlist items are malloc'ed strings). */
    s->parties = parties.items;
    s->nparties = parties.n;
    s->langs = langs.items;
    s->nlangs = langs.n;
    if (st != LZS_OK)
        return db_fail(R, st, "reading index totals");
    return LZS_OK;
}

static lzs_status_t write_run_metadata(run_t *R)
{
    /* Languages present, space-separated, for search to pick stemmers. */
    size_t len = 0;
    for (size_t i = 0; i < R->sum->nlangs; i++)
        len += strlen(R->sum->langs[i]) + 1;
    char *langs = calloc(1, len + 1);
    if (!langs)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < R->sum->nlangs; i++) {
        if (i > 0)
            strcat(langs, " ");
        strcat(langs, R->sum->langs[i]);
    }
    lzs_status_t st = lzs_xdb_metadata_set(R->db, LZS_META_LANGS, langs, strlen(langs));
    free(langs);
    if (st == LZS_OK)
        st = lzs_xdb_metadata_set(R->db, LZS_META_SCHEMA, LZS_SCHEMA_VERSION,
                                  strlen(LZS_SCHEMA_VERSION));
    if (st != LZS_OK)
        return db_fail(R, st, "writing metadata");
    json_t *j = lzs_index_summary_to_json(R->sum);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!s)
        return LZS_ERR_NOMEM;
    st = lzs_xdb_metadata_set(R->db, LZS_META_STATS, s, strlen(s));
    free(s);
    if (st == LZS_OK) {
        char when[24];
        int n = snprintf(when, sizeof when, "%lld", (long long)time(NULL));
        st = lzs_xdb_metadata_set(R->db, LZS_META_COMMITTED, when, (size_t)n);
    }
    return st == LZS_OK ? st : db_fail(R, st, "writing metadata");
}

/* ---- opening ---------------------------------------------------------------- */

/* Opens the index for writing, taking its lock (waiting for it with opts->wait). The
 * directory is checked (and a new one made) first, on every attempt: while this run
 * waited, another may have made or removed it. */
static lzs_status_t open_index(run_t *R)
{
    const lzs_index_opts_t *o = R->opts;
    int told = 0;
    for (;;) {
        lzs_status_t st = lzs_indexdir_prepare(o->index_dir, &R->dir, R->errmsg);
        if (st != LZS_OK) {
            lzs_indexdir_undo(o->index_dir, &R->dir);
            return st;
        }
        char *msg = NULL;
        st = lzs_xdb_open_writable(o->index_dir, LZS_XDB_CREATE_OR_OPEN, &R->db, &msg);
        if (st == LZS_ERR_NOT_FOUND && lzs_indexdir_uncommitted_only(o->index_dir)) {
            /* A first run was killed before it committed anything: start that run again. */
            free(msg);
            msg = NULL;
            st = lzs_xdb_open_writable(o->index_dir, LZS_XDB_OVERWRITE, &R->db, &msg);
        }
        if (st != LZS_OK && o->rebuild && st != LZS_ERR_LOCKED && st != LZS_ERR_NOMEM) {
            /* A damaged index cannot be opened to be cleared: start from nothing. */
            free(msg);
            msg = NULL;
            st = lzs_xdb_open_writable(o->index_dir, LZS_XDB_OVERWRITE, &R->db, &msg);
        }
        if (st == LZS_OK) {
            free(msg);
            return LZS_OK;
        }
        if (st == LZS_ERR_LOCKED && o->wait && !cancelled(o)) {
            free(msg);
            if (!told && o->on_wait)
                o->on_wait(o->wait_ud, o->index_dir);
            told = 1;
            struct timespec ts = {0, 200 * 1000 * 1000};
            nanosleep(&ts, NULL);
            continue;
        }
        if (st == LZS_ERR_LOCKED && o->wait && cancelled(o))
            lzs_set_errmsg(R->errmsg, "interrupted while waiting for the index lock");
        else if (st == LZS_ERR_LOCKED)
            lzs_set_errmsg(R->errmsg, "index is locked by another indexer (%s)", o->index_dir);
        else
            lzs_set_errmsg(R->errmsg, "cannot open index %s: %s", o->index_dir,
                           msg ? msg : lzs_status_str(st));
        free(msg);
        if (st != LZS_ERR_LOCKED)
            lzs_indexdir_undo(o->index_dir, &R->dir);
        return st == LZS_ERR_LOCKED && o->wait && cancelled(o) ? LZS_ERR_CANCELLED : st;
    }
}

static lzs_status_t check_schema(run_t *R)
{
    char *v = NULL;
    size_t len = 0;
    lzs_status_t st = lzs_xdb_metadata_get(R->db, LZS_META_SCHEMA, &v, &len);
    if (st == LZS_OK) {
        int same = strcmp(v, LZS_SCHEMA_VERSION) == 0;
        if (!same && !R->opts->rebuild) {
            lzs_set_errmsg(R->errmsg,
                           "index %s has schema version %s but this indexer writes version %s: "
                           "run again with --rebuild",
                           R->opts->index_dir, v, LZS_SCHEMA_VERSION);
            free(v);
            return LZS_ERR_SCHEMA;
        }
        free(v);
        return LZS_OK;
    }
    if (st != LZS_ERR_NOT_FOUND)
        return db_fail(R, st, "reading the schema version");
    uint32_t n = 0;
    st = lzs_xdb_doccount(R->db, &n);
    if (st != LZS_OK)
        return db_fail(R, st, "reading the index");
    /* Every run that committed wrote the schema version: read under the lock, this says
     * that no run ever committed here, so a failure of this one may remove it all. */
    R->fresh = n == 0;
    if (n > 0 && !R->opts->rebuild) {
        lzs_set_errmsg(R->errmsg,
                       "%s holds a Xapian database without a lanzasearch schema version: "
                       "run again with --rebuild to replace it",
                       R->opts->index_dir);
        return LZS_ERR_SCHEMA;
    }
    return LZS_OK;
}

/* ---- the run ---------------------------------------------------------------- */

static lzs_status_t index_files(run_t *R)
{
    size_t nw = R->sum->jobs;
    shared_t S = {0};
    worker_t *ws = calloc(nw, sizeof *ws);
    S.results = calloc(R->files.n ? R->files.n : 1, sizeof *S.results);
    if (!ws || !S.results) {
        free(ws);
        free(S.results);
        return LZS_ERR_NOMEM;
    }
    pthread_mutex_init(&S.mu, NULL);
    pthread_cond_init(&S.cv_work, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&S.cv_done, &ca);
    pthread_condattr_destroy(&ca);
    S.files = &R->files;
    S.window = 4 * nw + 4;
    S.ex = R->ex;
    S.old = &R->old;
    S.rebuild = R->opts->rebuild;
    S.follow_all = R->opts->follow_symlinks;
    S.cancel = R->opts->cancel;
    S.oom.kind = RES_FATAL;

    lzs_status_t st = LZS_OK;
    for (size_t i = 0; st == LZS_OK && i < nw; i++) {
        ws[i].S = &S;
        st = lzs_text_clone(R->text, &ws[i].text);
        if (st == LZS_OK && pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]) != 0)
            st = LZS_ERR_NOMEM;
        ws[i].started = st == LZS_OK;
    }
    if (st != LZS_OK)
        lzs_set_errmsg(R->errmsg, "cannot start worker threads: %s", lzs_status_str(st));

    for (size_t i = 0; st == LZS_OK && i < R->files.n; i++) {
        result_t *r = NULL;
        pthread_mutex_lock(&S.mu);
        while (!S.results[i] && !cancelled(R->opts)) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_nsec += 100 * 1000 * 1000;
            if (ts.tv_nsec >= 1000000000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&S.cv_done, &S.mu, &ts);
            pthread_mutex_unlock(&S.mu);
            report_progress(R, i, 0);
            pthread_mutex_lock(&S.mu);
        }
        r = S.results[i];
        S.results[i] = NULL;
        S.next_write = i + 1;
        pthread_cond_broadcast(&S.cv_work);
        pthread_mutex_unlock(&S.mu);
        if (cancelled(R->opts)) {
            if (r != &S.oom)
                result_free(r);
            lzs_set_errmsg(R->errmsg, "interrupted: nothing of this run was committed");
            st = LZS_ERR_CANCELLED;
            break;
        }
        R->bytes_done += R->files.v[i].size;
        st = write_result(R, i, r);
        if (r != &S.oom) {
            pthread_mutex_lock(&S.mu);
            r->next_junk = S.junk;
            S.junk = r;
            pthread_mutex_unlock(&S.mu);
        }
        report_progress(R, i + 1, 0);
    }

    pthread_mutex_lock(&S.mu);
    S.stop = 1;
    pthread_cond_broadcast(&S.cv_work);
    pthread_mutex_unlock(&S.mu);
    for (size_t i = 0; i < nw; i++) {
        if (ws[i].started)
            pthread_join(ws[i].tid, NULL);
        lzs_text_destroy(ws[i].text);
    }
    for (size_t i = 0; i < R->files.n; i++) {
        if (S.results[i] != &S.oom)
            result_free(S.results[i]);
    }
    free_junk(S.junk);
    free(S.results);
    free(ws);
    pthread_cond_destroy(&S.cv_work);
    pthread_cond_destroy(&S.cv_done);
    pthread_mutex_destroy(&S.mu);
    return st;
}

void lzs_index_opts_init(lzs_index_opts_t *opts)
{
    memset(opts, 0, sizeof *opts);
}

static unsigned default_jobs(unsigned jobs)
{
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (unsigned)n : 1;
    }
    return jobs > LZS_INDEX_MAX_JOBS ? LZS_INDEX_MAX_JOBS : jobs;
}

static int cmp_skip(const void *a, const void *b)
{
    return strcmp(((const lzs_index_skip_t *)a)->path, ((const lzs_index_skip_t *)b)->path);
}

static lzs_status_t finish_skips(run_t *R)
{
    lzs_index_summary_t *s = R->sum;
    s->nskipped = R->skip_paths.n;
    if (s->nskipped == 0)
        return LZS_OK;
    s->skipped = calloc(s->nskipped, sizeof *s->skipped);
    if (!s->skipped) {
        s->nskipped = 0;
        return LZS_ERR_NOMEM;
    }
    for (size_t i = 0; i < s->nskipped; i++) {
        s->skipped[i].path = R->skip_paths.items[i];
        s->skipped[i].reason = R->skip_reasons.items[i];
        R->skip_paths.items[i] = NULL;
        R->skip_reasons.items[i] = NULL;
    }
    /* Links were named during the scan, files while written: the summary is in path
     * order. */
    qsort(s->skipped, s->nskipped, sizeof *s->skipped, cmp_skip);
    return LZS_OK;
}

/* Refuses a run that would remove more than half of the indexed files: what a wrong
 * corpus path or a volume not mounted looks like. Checked before anything is written. */
static lzs_status_t check_mass_delete(run_t *R, const char *const *dirs, size_t ndirs)
{
    size_t total = R->old.n, present = 0;
    for (size_t i = 0; i < total; i++)
        if (find_cfile(&R->files, R->old.v[i].path))
            present++;
    size_t gone = total - present;
    if (R->opts->allow_mass_delete || gone * 2 <= total)
        return LZS_OK;
    char where[600] = "";
    for (size_t i = 0; i < ndirs && i < 3; i++) {
        size_t l = strlen(where);
        snprintf(where + l, sizeof where - l, "%s%s", i ? ", " : "", dirs[i]);
    }
    if (ndirs > 3)
        strncat(where, ", ...", sizeof where - strlen(where) - 1);
    lzs_set_errmsg(R->errmsg,
                   "this run would remove %zu of the %zu indexed documents, more than half: "
                   "the corpus director%s %s ha%s %zu of the %zu indexed files (a wrong "
                   "path, or a volume that is not mounted?). Nothing was changed; if the "
                   "documents are really gone, run again with --allow-mass-delete",
                   gone, total, ndirs == 1 ? "y" : "ies", where, ndirs == 1 ? "s" : "ve", present,
                   total);
    return LZS_ERR_LIMIT;
}

/* A file of a document that lost its owner, read again to give the passages. */
typedef struct {
    const char *doc;
    char *best;  /* path of the best-read alternate so far */
    int rank;
    lzs_status_t st;
    run_t *R;
    lzs_strlist_t tried;
} candidate_t;

static int consider_alternate(void *ud, const char *key, size_t keylen)
{
    candidate_t *c = ud;
    size_t pl = strlen(LZS_META_FILE_PREFIX);
    char *path = strndup(key + pl, keylen - pl);
    if (!path) {
        c->st = LZS_ERR_NOMEM;
        return 1;
    }
    json_t *e = NULL;
    lzs_status_t st = read_entry(c->R, path, &e);
    const char *doc = json_string_value(json_object_get(e, "doc"));
    int rank = lzs_extract_format_rank(path);
    if (st == LZS_OK && e && json_is_true(json_object_get(e, "alt")) && doc &&
        strcmp(doc, c->doc) == 0 && find_cfile(&c->R->files, path) &&
        !lzs_strlist_contains(&c->tried, path) &&
        (!c->best || rank < c->rank || (rank == c->rank && strcmp(path, c->best) < 0))) {
        free(c->best);
        c->best = path;
        c->rank = rank;
        path = NULL;
    }
    json_decref(e);
    free(path);
    c->st = st;
    return st != LZS_OK;
}

/* Every document that lost the file giving its passages and has none now gets them from
 * its best-read other file, read again here. */
static lzs_status_t promote_alternates(run_t *R)
{
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; st == LZS_OK && i < R->lost.n; i++) {
        const char *doc = R->lost.items[i];
        candidate_t c = {.doc = doc, .R = R};
        while (st == LZS_OK && lzs_wordcount_get(R->claims, doc) == 0) {
            c.best = NULL;
            st = lzs_xdb_metadata_keys(R->db, LZS_META_FILE_PREFIX, consider_alternate, &c);
            if (st == LZS_OK)
                st = c.st;
            if (st != LZS_OK || !c.best)
                break;
            st = lzs_strlist_push(&c.tried, c.best);
            cfile_t *f = find_cfile(&R->files, c.best);
            shared_t S = {.ex = R->ex, .old = &R->old, .rebuild = 1,
                          .follow_all = R->opts->follow_symlinks, .cancel = R->opts->cancel};
            worker_t w = {.S = &S, .text = R->text};
            result_t *r = st == LZS_OK ? process_file(&w, f) : NULL;
            if (st == LZS_OK && !r)
                st = LZS_ERR_NOMEM;
            if (st == LZS_OK)
                st = write_result(R, (size_t)(f - R->files.v), r);
            result_free(r);
            free(c.best);
        }
        lzs_strlist_clear(&c.tried);
    }
    return st;
}

static lzs_status_t run_locked(run_t *R, const char *const *dirs, size_t ndirs)
{
    lzs_status_t st = check_schema(R);
    if (st == LZS_OK)
        st = load_oldfiles(R->db, &R->old, R->errmsg);
    if (st == LZS_OK)
        st = check_mass_delete(R, dirs, ndirs);
    if (st != LZS_OK)
        return st;
    st = lzs_xdb_begin_transaction(R->db, 1);
    if (st != LZS_OK)
        return db_fail(R, st, "starting a transaction");
    st = remove_gone(R);
    if (st == LZS_OK)
        st = index_files(R);
    if (st == LZS_OK && cancelled(R->opts)) {
        lzs_set_errmsg(R->errmsg, "interrupted: nothing of this run was committed");
        st = LZS_ERR_CANCELLED;
    }
    if (st == LZS_OK)
        st = promote_alternates(R);
    if (st == LZS_OK) {
        st = lzs_docfiles_write(R->db, R->errmsg);
        if (st != LZS_OK && st != LZS_ERR_NOMEM)
            st = db_fail(R, st, "writing the files of each document");
    }
    if (st == LZS_OK)
        st = write_synonyms(R);
    if (st == LZS_OK)
        st = flush_spelling(R);
    if (st == LZS_OK)
        st = finish_skips(R);
    if (st == LZS_OK)
        st = compute_totals(R);
    R->sum->seconds = now_sec() - R->t0;
    if (st == LZS_OK)
        st = write_run_metadata(R);
    if (st == LZS_OK) {
        st = lzs_xdb_commit_transaction(R->db);
        if (st != LZS_OK)
            return db_fail(R, st, "committing");
        return LZS_OK;
    }
    if (st == LZS_ERR_NOMEM && R->errmsg && !*R->errmsg)
        lzs_set_errmsg(R->errmsg, "out of memory");
    lzs_xdb_cancel_transaction(R->db);
    return st;
}

lzs_status_t lzs_index_run(const lzs_index_opts_t *opts, const char *const *corpus_dirs,
                           size_t ndirs, lzs_index_summary_t **summary_out, char **errmsg)
{
    if (summary_out)
        *summary_out = NULL;
    if (errmsg)
        *errmsg = NULL;
    if (!opts || !opts->index_dir || !*opts->index_dir || !corpus_dirs || ndirs == 0) {
        lzs_set_errmsg(errmsg,
                       "lzs_index_run: an index directory and a corpus directory are needed");
        return LZS_ERR_INVALID;
    }
    run_t R = {.opts = opts, .errmsg = errmsg, .t0 = now_sec()};
    R.sum = calloc(1, sizeof *R.sum);
    lzs_status_t st = R.sum ? LZS_OK : LZS_ERR_NOMEM;
    if (st == LZS_OK) {
        R.sum->index_dir = strdup(opts->index_dir);
        R.sum->rebuilt = opts->rebuild != 0;
        R.sum->jobs = default_jobs(opts->jobs);
        st = R.sum->index_dir ? LZS_OK : LZS_ERR_NOMEM;
    }
    if (st == LZS_OK)
        st = lzs_wordcount_create(&R.spell);
    if (st == LZS_OK)
        st = lzs_wordcount_create(&R.unspell);
    if (st == LZS_OK)
        st = lzs_wordcount_create(&R.claims);
    if (st != LZS_OK)
        lzs_set_errmsg(errmsg, "out of memory");

    /* Everything that can fail without touching the index comes first. */
    lzs_strlist_t links = {0}, why = {0}; /* symbolic links not followed */
    if (st == LZS_OK)
        st = scan_corpus(corpus_dirs, ndirs, opts->follow_symlinks, &R.files, &links, &why, errmsg);
    for (size_t i = 0; st == LZS_OK && i < links.n; i++)
        st = note_skip(&R, links.items[i], why.items[i]);
    lzs_strlist_clear(&links);
    lzs_strlist_clear(&why);
    if (R.sum)
        R.sum->files_seen = (uint32_t)R.files.n;
    if (st == LZS_OK) {
        char *msg = NULL;
        lzs_extractor_t *ex = NULL;
        st = lzs_extract_open(opts->data_dir, &ex, &msg);
        R.ex = ex;
        if (st != LZS_OK)
            lzs_set_errmsg(errmsg, "cannot load the domain data: %s",
                           msg ? msg : lzs_status_str(st));
        free(msg);
    }
    if (st == LZS_OK) {
        char *msg = NULL;
        st = lzs_text_create(&R.text, &msg);
        if (st != LZS_OK)
            lzs_set_errmsg(errmsg, "cannot start the text pipeline: %s",
                           msg ? msg : lzs_status_str(st));
        free(msg);
    }
    if (st == LZS_OK)
        st = open_index(&R);
    if (st == LZS_OK) {
        st = run_locked(&R, corpus_dirs, ndirs);
        report_progress(&R, R.files.n, 1);
    }

    if (st != LZS_OK && R.db && R.fresh)
        lzs_indexdir_discard(opts->index_dir, &R.dir, R.db); /* closes R.db */
    else
        lzs_xdb_close(R.db);
    if (st != LZS_OK) {
        uint64_t corpus_bytes = 0;
        for (size_t i = 0; i < R.files.n; i++)
            corpus_bytes += R.files.v[i].size;
        lzs_indexdir_space_note(opts->index_dir, corpus_bytes, R.dir.bytes, errmsg);
    }
    lzs_text_destroy(R.text);
    lzs_extract_close((lzs_extractor_t *)R.ex);
    lzs_wordcount_destroy(R.spell);
    lzs_wordcount_destroy(R.unspell);
    lzs_wordcount_destroy(R.claims);
    lzs_strlist_clear(&R.lost);
    oldfiles_free(&R.old);
    cfiles_free(&R.files);
    lzs_strlist_clear(&R.skip_paths);
    lzs_strlist_clear(&R.skip_reasons);
    if (st != LZS_OK || !summary_out) {
        lzs_index_summary_free(R.sum);
        return st;
    }
    *summary_out = R.sum;
    return LZS_OK;
}
