/* webfiles.c — the in-memory allowlist of static files (see webfiles.h). */
#include "webfiles.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Reads one file opened relative to dirfd without following a symbolic link. */
static int read_file(int dirfd, const char *name, char **data, size_t *size)
{
    struct stat st;
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > LZS_SD_WEB_MAX_FILE) {
        close(fd);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    char *buf = malloc(n ? n : 1);
    size_t got = 0;
    while (buf && got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!buf || got != n) {
        free(buf);
        return -1;
    }
    *data = buf;
    *size = n;
    return 0;
}

lzs_status_t lzs_sd_web_load(lzs_sd_web_t *web, const char *dir, char **errmsg)
{
    memset(web, 0, sizeof *web);
    if (errmsg)
        *errmsg = NULL;
    DIR *d = opendir(dir);
    if (!d) {
        if (errmsg) {
            size_t n = strlen(dir) + 128;
            *errmsg = malloc(n);
            if (*errmsg)
                snprintf(*errmsg, n, "cannot open web directory %s: %s", dir, strerror(errno));
        }
        return LZS_ERR_NOT_FOUND;
    }
    struct dirent *e;
    for (e = readdir(d); e; e = readdir(d)) {
        if (!lzs_sd_web_name_ok(e->d_name) || web->n == LZS_SD_WEB_MAX_FILES)
            continue;
        lzs_sd_webfile_t *f = &web->files[web->n];
        if (read_file(dirfd(d), e->d_name, &f->data, &f->size) != 0)
            continue;
        memcpy(f->name, e->d_name, strlen(e->d_name) + 1); /* fits: checked by name_ok */
        f->content_type = type_of(f->name);
        web->n++;
    }
    closedir(d);
    return LZS_OK;
}

void lzs_sd_web_free(lzs_sd_web_t *web)
{
    for (size_t i = 0; i < web->n; i++)
        free(web->files[i].data);
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
