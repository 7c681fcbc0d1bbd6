/* webfiles.c — the in-memory allowlist of static files (see webfiles.h). */
#include "webfiles.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gzip.h"
#include "lzs/file.h"
#include "lzs/hash.h"

/* The suffix of a precompressed file beside the one it compresses. */
#define GZ_SUFFIX ".gz"

static const struct {
    const char *ext;
    const char *type;
} k_types[] = {
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"svg", "image/svg+xml; charset=utf-8"},
    {"json", "application/json; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"ico", "image/x-icon"},
    {"png", "image/png"},
};

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return NULL;
    for (size_t i = 0; i < sizeof k_types / sizeof k_types[0]; i++) {
        if (strcmp(dot + 1, k_types[i].ext) == 0)
            return k_types[i].type;
    }
    return NULL;
}

int lzs_sd_web_name_ok(const char *name)
{
    size_t i = 0;
    while ((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
           (name[i] >= '0' && name[i] <= '9') || name[i] == '_' || name[i] == '-')
        i++;
    if (i == 0 || name[i] != '.' || i + 1 >= sizeof((lzs_sd_webfile_t *)0)->name)
        return 0;
    if (strchr(name + i + 1, '.') || strlen(name) >= sizeof((lzs_sd_webfile_t *)0)->name)
        return 0;
    return type_of(name) != NULL;
}

/* Logs why an entry of the web directory is not served. */
__attribute__((format(printf, 4, 5))) static void skipped(FILE *log, const char *dir,
                                                          const char *name, const char *fmt, ...)
{
    va_list ap;
    if (!log)
        return;
    fprintf(log, "lzs-searchd: warning: web: skipped %s/%s: ", dir, name);
    va_start(ap, fmt);
    vfprintf(log, fmt, ap);
    va_end(ap);
    fputc('\n', log);
}

/* The validators of f's content: 64-bit FNV-1a, a tag that changes with any byte. */
static void set_etags(lzs_sd_webfile_t *f)
{
    uint64_t h = lzs_hash_more(LZS_HASH_START, f->data, f->size);
    snprintf(f->etag, sizeof f->etag, "\"%016llx\"", (unsigned long long)h);
    snprintf(f->etag_gz, sizeof f->etag_gz, "\"%016llx-gz\"", (unsigned long long)h);
}

/* Loads NAME.gz beside f when it is a regular file that decompresses to f's content. */
static void load_gz(lzs_sd_webfile_t *f, int dirfd, const char *dir, FILE *log)
{
    char name[sizeof f->name + sizeof GZ_SUFFIX];
    struct stat st;
    snprintf(name, sizeof name, "%s%s", f->name, GZ_SUFFIX);
    /* none: the file is served as it is; not a regular file: load_entry said so already,
     * as for any entry of the directory */
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
        return;
    char *data = NULL, *msg = NULL;
    size_t size = 0;
    if (lzs_file_read(dirfd, name, LZS_SD_WEB_MAX_FILE, &data, &size, &msg) != LZS_OK) {
        skipped(log, dir, name, "%s", msg ? msg : "cannot be read");
        free(msg);
        return;
    }
    if (!lzs_sd_gzip_equals(data, size, f->data, f->size)) {
        skipped(log, dir, name, "not %s compressed (left over from an older %s? rebuild)", f->name,
                f->name);
        free(data);
        return;
    }
    f->gz = data;
    f->gz_size = size;
}

/* Loads one entry of the directory when it is an allowlisted regular file. Anything else
 * but "." and ".." is logged: a FIFO (reading it would wait for a writer forever), a
 * device, a directory, a symbolic link (never followed: it could lead out of the
 * directory; one that stays inside is refused too, so that what is served is exactly what
 * the directory holds). */
static void load_entry(lzs_sd_web_t *web, int dirfd, const char *dir, const char *name, FILE *log)
{
    struct stat st;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        skipped(log, dir, name, "%s", strerror(errno));
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        skipped(log, dir, name, "not a regular file (symbolic link, not followed)");
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        skipped(log, dir, name, "not a regular file (%s)", lzs_file_kind(st.st_mode));
        return;
    }
    if (!lzs_sd_web_name_ok(name))
        return; /* not a name the page can ask for: silently, as documented */
    if (web->n == LZS_SD_WEB_MAX_FILES) {
        skipped(log, dir, name, "more than %d files", LZS_SD_WEB_MAX_FILES);
        return;
    }
    lzs_sd_webfile_t *f = &web->files[web->n];
    char *msg = NULL;
    /* The one way to read a file: it never blocks, should the entry have become a FIFO
     * since it was looked at. */
    if (lzs_file_read(dirfd, name, LZS_SD_WEB_MAX_FILE, &f->data, &f->size, &msg) != LZS_OK) {
        skipped(log, dir, name, "%s", msg ? msg : "cannot be read");
        free(msg);
        return;
    }
    memcpy(f->name, name, strlen(name) + 1); /* fits: checked by name_ok */
    f->content_type = type_of(f->name);
    f->mtime = st.st_mtime;
    set_etags(f);
    load_gz(f, dirfd, dir, log);
    web->n++;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const lzs_sd_webfile_t *)a)->name, ((const lzs_sd_webfile_t *)b)->name);
}

/* web->version from this program's version and its files by name and content, in name
 * order (the order a directory lists them in differs between machines): no time and no
 * path, so that every replica serving the same files has the same version. */
static void set_version(lzs_sd_web_t *web)
{
    qsort(web->files, web->n, sizeof web->files[0], by_name);
    uint64_t h = lzs_hash_more(LZS_HASH_START, LZS_VERSION, sizeof LZS_VERSION);
    for (size_t i = 0; i < web->n; i++) {
        h = lzs_hash_more(h, web->files[i].name, strlen(web->files[i].name) + 1);
        h = lzs_hash_more(h, web->files[i].etag, strlen(web->files[i].etag));
    }
    web->version = h;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the regular files directly in d, sorted, into *names (*n of them; caller
 * frees each and the array with free()). -1 when out of memory (*names then NULL). */
static int regular_names(DIR *d, char ***names, size_t *n)
{
    size_t cap = 0;
    int failed = 0;
    *names = NULL;
    *n = 0;
    for (struct dirent *e = readdir(d); e && !failed; e = readdir(d)) {
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            char **nv = realloc(*names, ncap * sizeof *nv);
            failed = nv == NULL;
            if (failed)
                break;
            *names = nv;
            cap = ncap;
        }
        (*names)[*n] = strdup(e->d_name);
        failed = (*names)[*n] == NULL;
        if (!failed)
            (*n)++;
    }
    if (failed) {
        for (size_t i = 0; i < *n; i++)
            free((*names)[i]);
        free(*names);
        *names = NULL;
        *n = 0;
        return -1;
    }
    if (*n > 1)
        qsort(*names, *n, sizeof **names, by_string);
    return 0;
}

uint64_t lzs_sd_dir_hash(const char *dir)
{
    uint64_t h = LZS_HASH_START;
    DIR *d = opendir(dir);
    if (!d)
        return h;
    char **names = NULL;
    size_t n = 0;
    if (regular_names(d, &names, &n) != 0)
        h = lzs_hash_more(h, "!", 1); /* out of memory: a version no full listing has */
    for (size_t i = 0; i < n; i++) {
        char *data = NULL;
        size_t len = 0;
        h = lzs_hash_more(h, names[i], strlen(names[i]) + 1);
        if (lzs_file_read(dirfd(d), names[i], LZS_SD_WEB_MAX_FILE, &data, &len, NULL) == LZS_OK)
            h = lzs_hash_more(h, data, len);
        else
            h = lzs_hash_more(h, "?", 1); /* unreadable, too large: named, not read */
        free(data);
        free(names[i]);
    }
    free(names);
    closedir(d);
    return h;
}

lzs_status_t lzs_sd_web_load(lzs_sd_web_t *web, const char *dir, FILE *log, char **errmsg)
{
    memset(web, 0, sizeof *web);
    if (errmsg)
        *errmsg = NULL;
    DIR *d = opendir(dir);
    if (!d) {
        lzs_set_errmsg(errmsg, "cannot open web directory %s: %s", dir, strerror(errno));
        return LZS_ERR_NOT_FOUND;
    }
    for (struct dirent *e = readdir(d); e; e = readdir(d))
        load_entry(web, dirfd(d), dir, e->d_name, log);
    closedir(d);
    set_version(web);
    return LZS_OK;
}

void lzs_sd_web_free(lzs_sd_web_t *web)
{
    for (size_t i = 0; i < web->n; i++) {
        free(web->files[i].data);
        free(web->files[i].gz);
    }
    web->n = 0;
}

const lzs_sd_webfile_t *lzs_sd_web_find(const lzs_sd_web_t *web, const char *name)
{
    for (size_t i = 0; i < web->n; i++) {
        if (strcmp(web->files[i].name, name) == 0)
            return &web->files[i];
    }
    return NULL;
}
