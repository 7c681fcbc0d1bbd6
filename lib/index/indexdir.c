/* indexdir.c — the index directory: which directories a run may write into (its marker
 * file, never a Xapian stub or another database), removing what a failed run created, and
 * the disk space a run needs.
 *
 * Xapian opens a path that is a file, or a directory holding a file XAPIANDB, as a stub: a
 * text naming other databases, which a writable open then writes into. A run given such a
 * path (by mistake or by someone else) would write into whatever database the stub names.
 * So the indexer writes only into a directory carrying LZS_INDEX_MARKER, which it creates
 * itself in a new or empty directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "index/index_internal.h"
#include "lzs/file.h"
#include "lzs/paths.h"
#include "lzs/schema.h"

/* Files Xapian's glass backend makes in a database directory. */
static int is_xapian_file(const char *n)
{
    size_t len = strlen(n);
    return strcmp(n, "flintlock") == 0 || strncmp(n, "iamglass", 8) == 0 ||
           (len > 6 && strcmp(n + len - 6, ".glass") == 0) ||
           (len > 4 && strcmp(n + len - 4, ".tmp") == 0);
}

typedef struct {
    int marker;    /* LZS_INDEX_MARKER, a regular file */
    int stub;      /* XAPIANDB */
    int committed; /* iamglass: a glass database with a committed revision */
    int foreign;   /* anything else */
    uint64_t bytes;
} contents_t;

static lzs_status_t read_contents(const char *dir, contents_t *c, char **errmsg)
{
    memset(c, 0, sizeof *c);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        lzs_set_errmsg(errmsg, "cannot read the index directory %s: %s", dir, strerror(errno));
        if (dfd >= 0)
            close(dfd);
        return LZS_ERR_IO;
    }
    for (;;) {
        errno = 0;
        const struct dirent *e = readdir(d);
        if (!e)
            break;
        const char *n = e->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
            continue;
        struct stat sb;
        int have = fstatat(dfd, n, &sb, AT_SYMLINK_NOFOLLOW) == 0;
        if (have && S_ISREG(sb.st_mode))
            c->bytes += (uint64_t)sb.st_blocks * 512u;
        if (strcmp(n, LZS_INDEX_MARKER) == 0 && have && S_ISREG(sb.st_mode))
            c->marker = 1;
        else if (strcmp(n, "XAPIANDB") == 0)
            c->stub = 1;
        else if (strcmp(n, "iamglass") == 0)
            c->committed = 1;
        else if (!is_xapian_file(n))
            c->foreign = 1;
    }
    int e = errno;
    closedir(d);
    if (e != 0) {
        lzs_set_errmsg(errmsg, "cannot read the index directory %s: %s", dir, strerror(e));
        return LZS_ERR_IO;
    }
    return LZS_OK;
}

static lzs_status_t write_marker(const char *dir, lzs_indexdir_t *d, char **errmsg)
{
    char path[4200];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, LZS_INDEX_MARKER) >= sizeof path) {
        lzs_set_errmsg(errmsg, "index directory path too long: %s", dir);
        return LZS_ERR_INVALID;
    }
    /* O_EXCL: of two runs making the same new index, one writes the marker. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST)
        return LZS_OK;
    if (fd < 0) {
        lzs_set_errmsg(errmsg, "cannot write %s: %s", path, strerror(errno));
        return LZS_ERR_IO;
    }
    const char *text = LZS_INDEX_MARKER_TEXT;
    size_t len = strlen(text), done = 0;
    int e = 0;
    while (done < len && e == 0) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno != EINTR)
            e = errno;
        else if (w > 0)
            done += (size_t)w;
    }
    if (close(fd) != 0 && e == 0)
        e = errno;
    if (e != 0) {
        unlink(path);
        lzs_set_errmsg(errmsg, "cannot write %s: %s", path, strerror(e));
        return LZS_ERR_IO;
    }
    d->wrote_marker = 1;
    return LZS_OK;
}

/* An existing database without a marker is adopted when it is a lanzasearch index: it has
 * the schema version lzs-index writes (of any version: a version mismatch is reported
 * when the run reads it). */
static lzs_status_t adopt(const char *dir, lzs_indexdir_t *d, char **errmsg)
{
    lzs_xdb_t *db = NULL;
    char *msg = NULL;
    const char *paths[] = {dir};
    lzs_status_t st = lzs_xdb_open_readonly(paths, 1, &db, &msg);
    if (st != LZS_OK) {
        lzs_set_errmsg(errmsg,
                       "%s holds a Xapian database that cannot be read (%s) and no %s file: "
                       "lzs-index writes only into a lanzasearch index directory",
                       dir, msg ? msg : lzs_status_str(st), LZS_INDEX_MARKER);
        free(msg);
        return st == LZS_ERR_NOMEM ? st : LZS_ERR_INVALID;
    }
    char *v = NULL;
    size_t len = 0;
    st = lzs_xdb_metadata_get(db, LZS_META_SCHEMA, &v, &len);
    free(v);
    lzs_xdb_close(db);
    if (st == LZS_ERR_NOT_FOUND) {
        lzs_set_errmsg(errmsg,
                       "%s holds a Xapian database that is not a lanzasearch index (it has no "
                       "lanzasearch schema version): lzs-index writes only into an index "
                       "directory of its own; give a new or empty directory",
                       dir);
        return LZS_ERR_INVALID;
    }
    if (st != LZS_OK) {
        lzs_set_errmsg(errmsg, "cannot read the schema version of %s: %s", dir, lzs_status_str(st));
        return st;
    }
    return write_marker(dir, d, errmsg);
}

/* The outermost of dir and its parents that does not exist (dir exists not), into top. */
static void outermost_missing(const char *dir, char *top, size_t cap)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    snprintf(top, cap, "%s", path);
    for (;;) {
        char *slash = strrchr(path, '/');
        while (slash && slash > path && slash[1] == '\0') {
            *slash = '\0'; /* a trailing slash */
            slash = strrchr(path, '/');
        }
        if (!slash || slash == path)
            return;
        *slash = '\0';
        struct stat sb;
        if (stat(path, &sb) == 0)
            return;
        snprintf(top, cap, "%s", path);
    }
}

/* Removes the (empty) parents of dir up to the outermost one the run created. */
static void remove_created_parents(const char *dir, const lzs_indexdir_t *d)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (size_t l = strlen(path); l > 1 && path[l - 1] == '/'; l--)
        path[l - 1] = '\0';
    size_t toplen = strlen(d->created_top);
    while (strlen(path) > toplen) {
        char *slash = strrchr(path, '/');
        if (!slash || slash == path)
            return;
        *slash = '\0';
        if (strlen(path) < toplen || rmdir(path) != 0)
            return;
    }
}

lzs_status_t lzs_indexdir_prepare(const char *dir, lzs_indexdir_t *d, char **errmsg)
{
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        if (errno != ENOENT) {
            lzs_set_errmsg(errmsg, "cannot use the index directory %s: %s", dir, strerror(errno));
            return LZS_ERR_IO;
        }
        outermost_missing(dir, d->created_top, sizeof d->created_top);
        if (lzs_mkdirs(dir) != LZS_OK) {
            lzs_set_errmsg(errmsg, "cannot create the index directory %s: %s", dir,
                           strerror(errno));
            return LZS_ERR_IO;
        }
        d->created_dir = 1;
        return write_marker(dir, d, errmsg);
    }
    if (!S_ISDIR(sb.st_mode)) {
        lzs_set_errmsg(errmsg,
                       "%s is a %s, not an index directory: lzs-index writes only into a "
                       "directory of its own (Xapian would read a file there as a stub naming "
                       "other databases, and write into them)",
                       dir, lzs_file_kind(sb.st_mode));
        return LZS_ERR_INVALID;
    }
    contents_t c;
    lzs_status_t st = read_contents(dir, &c, errmsg);
    if (st != LZS_OK)
        return st;
    if (!d->measured) {
        d->bytes = c.bytes;
        d->measured = 1;
    }
    if (c.stub) {
        lzs_set_errmsg(errmsg,
                       "%s holds a Xapian stub file (XAPIANDB), which would redirect the "
                       "writes to the databases it names: not a lanzasearch index directory",
                       dir);
        return LZS_ERR_INVALID;
    }
    if (c.marker)
        return LZS_OK;
    if (!c.committed && !c.foreign)
        return write_marker(dir, d, errmsg); /* empty, or a first run that never committed */
    if (c.committed && !c.foreign)
        return adopt(dir, d, errmsg);
    lzs_set_errmsg(errmsg,
                   "%s is neither empty nor a lanzasearch index (it has no %s file): "
                   "lzs-index writes only into an index directory of its own; give a new or "
                   "empty directory",
                   dir, LZS_INDEX_MARKER);
    return LZS_ERR_INVALID;
}

int lzs_indexdir_uncommitted_only(const char *dir)
{
    contents_t c;
    if (read_contents(dir, &c, NULL) != LZS_OK)
        return 0;
    return !c.committed && !c.foreign && !c.stub;
}

/* Removes the files of dir that an index run makes (Xapian's and the marker), nothing
 * else. */
static void remove_index_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (;;) {
        const struct dirent *e = readdir(d);
        if (!e)
            break;
        const char *n = e->d_name;
        if (!is_xapian_file(n) && strcmp(n, LZS_INDEX_MARKER) != 0)
            continue;
        char path[4200];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, n) < sizeof path)
            unlink(path);
    }
    closedir(d);
}

void lzs_indexdir_discard(const char *dir, const lzs_indexdir_t *d, lzs_xdb_t *db)
{
    if (d->created_dir) {
        /* Moved aside while the run still holds the lock: another indexer waiting for it
         * then finds no directory and makes its own, and whatever closing the database
         * still writes lands in the directory being removed. */
        char away[4200];
        if ((size_t)snprintf(away, sizeof away, "%s.failed-%ld", dir, (long)getpid()) <
                sizeof away &&
            rename(dir, away) == 0) {
            lzs_xdb_close(db);
            remove_index_files(away);
            rmdir(away);
            remove_created_parents(dir, d);
            return;
        }
    }
    /* Removed while the lock is held, so that no other indexer has started on them. */
    remove_index_files(dir);
    lzs_xdb_close(db);
    if (d->created_dir && rmdir(dir) == 0)
        remove_created_parents(dir, d);
}

void lzs_indexdir_undo(const char *dir, const lzs_indexdir_t *d)
{
    if ((!d->created_dir && !d->wrote_marker) || !lzs_indexdir_uncommitted_only(dir))
        return;
    remove_index_files(dir);
    if (d->created_dir && rmdir(dir) == 0)
        remove_created_parents(dir, d);
}

static void fmt_bytes(uint64_t n, int round_up, char *buf, size_t cap)
{
    static const char *const units[] = {"kB", "MB", "GB", "TB"};
    if (n < 1000) {
        snprintf(buf, cap, "%llu bytes", (unsigned long long)n);
        return;
    }
    double v = (double)n / 1000.0;
    int u = 0;
    while (v >= 1000.0 && u < 3) {
        v /= 1000.0;
        u++;
    }
    /* A need is rounded up, so that the figure shown is never less than the estimate. */
    double tenths =
        round_up ? (double)(long long)(v * 10.0 + 0.999) : (double)(long long)(v * 10.0);
    snprintf(buf, cap, "%.1f %s", tenths / 10.0, units[u]);
}

void lzs_indexdir_space_note(const char *dir, uint64_t corpus_bytes, uint64_t index_bytes,
                             char **errmsg)
{
    if (!errmsg || !*errmsg)
        return;
    if (!strstr(*errmsg, strerror(ENOSPC)) && !strstr(*errmsg, strerror(EDQUOT)))
        return;
    uint64_t need = index_bytes + (uint64_t)LZS_INDEX_SPACE_PER_CORPUS_BYTE * corpus_bytes;
    char needs[32], idx[32], corp[32], avail[64] = "";
    fmt_bytes(need, 1, needs, sizeof needs);
    fmt_bytes(index_bytes, 0, idx, sizeof idx);
    fmt_bytes(corpus_bytes, 0, corp, sizeof corp);
    /* The free space of the directory, or of the nearest parent left (a new index
     * directory is gone once its run is undone). */
    char path[4200];
    snprintf(path, sizeof path, "%s", dir);
    struct statvfs vfs;
    for (;;) {
        if (statvfs(path, &vfs) == 0) {
            char f[32];
            fmt_bytes((uint64_t)vfs.f_bavail * vfs.f_frsize, 0, f, sizeof f);
            snprintf(avail, sizeof avail, " (%s free now)", f);
            break;
        }
        char *slash = strrchr(path, '/');
        if (!slash || slash == path)
            break;
        *slash = '\0';
    }
    char *old = *errmsg;
    *errmsg = NULL;
    lzs_set_errmsg(
        errmsg,
        "%s; the disk holding %s has too little space%s: this run needs about %s free (the "
        "index's %s plus %d times the %s of corpus files)",
        old, dir, avail, needs, idx, LZS_INDEX_SPACE_PER_CORPUS_BYTE, corp);
    if (*errmsg)
        free(old);
    else
        *errmsg = old;
}
