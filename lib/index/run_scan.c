/* run_scan.c — the corpus scan of an indexer run (the document files below the corpus
 * directories, links followed or not) and the file list the index keeps from earlier runs. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index/run_internal.h"
#include "lzs/extract.h"
#include "lzs/file.h"
#include "core/json_internal.h"
#include "lzs/schema.h"

/* ---- corpus scan ---------------------------------------------------------- */

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
int lzs_run_path_inside(const char *real, const char *root)
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
        if (!real || !lzs_run_path_inside(real, sc->root)) {
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

void lzs_run_cfiles_free(cfiles_t *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        free(fs->v[i].path);
    free(fs->v);
}

/* Lists the document files of the corpus directories into fs. The symbolic links not
 * followed are added to skip_paths / skip_reasons. */
lzs_status_t lzs_run_scan_corpus(const char *const *dirs, size_t ndirs, int follow_all,
                                 cfiles_t *fs, lzs_strlist_t *skip_paths,
                                 lzs_strlist_t *skip_reasons, char **errmsg)
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

cfile_t *lzs_run_find_cfile(const cfiles_t *fs, const char *path)
{
    cfile_t key = {.path = (char *)path};
    return fs->n ? bsearch(&key, fs->v, fs->n, sizeof *fs->v, cmp_cfile) : NULL;
}

/* ---- what the index knows about each file (metadata "lzs:file:<path>") ------ */

static int cmp_oldfile(const void *a, const void *b)
{
    return strcmp(((const oldfile_t *)a)->path, ((const oldfile_t *)b)->path);
}

void lzs_run_oldfiles_free(oldfiles_t *o)
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

lzs_status_t lzs_run_load_oldfiles(lzs_xdb_t *db, oldfiles_t *o, char **errmsg)
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

oldfile_t *lzs_run_find_oldfile(const oldfiles_t *o, const char *path)
{
    oldfile_t key = {.path = (char *)path};
    return o->n ? bsearch(&key, o->v, o->n, sizeof *o->v, cmp_oldfile) : NULL;
}
