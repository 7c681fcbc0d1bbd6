/* paths.c — default locations of the corpus, the domain data, the page and the index
 * (the rules are in paths.h). */
#include "paths_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The kernel appends this to the target of /proc/self/exe once the program's file was
 * replaced or removed, as a package upgrade does under a running daemon; the directory it
 * was started from is still the one to read. */
#define DELETED_SUFFIX " (deleted)"

static lzs_status_t put(char *buf, size_t cap, const char *a, const char *b)
{
    int n = snprintf(buf, cap, "%s%s", a, b);
    if (n < 0 || (size_t)n >= cap)
        return LZS_ERR_LIMIT;
    return LZS_OK;
}

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return (v && *v) ? v : NULL;
}

lzs_status_t lzs_share_dir(char *buf, size_t cap)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe);
    if (n <= 0)
        return LZS_ERR_NOT_FOUND;
    if ((size_t)n >= sizeof exe)
        return LZS_ERR_LIMIT; /* readlink truncates in silence */
    exe[n] = '\0';
    size_t len = (size_t)n, slen = strlen(DELETED_SUFFIX);
    if (len > slen && strcmp(exe + len - slen, DELETED_SUFFIX) == 0)
        exe[len - slen] = '\0';
    /* The target is absolute and has no "." or ".." parts: dropping the last two parts
     * (the program's name, then its directory) is the program directory's "..". */
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(exe, '/');
        if (slash == NULL)
            return LZS_ERR_NOT_FOUND;
        *slash = '\0';
    }
    return put(buf, cap, exe, "/share/lanzasearch");
}

/* $name when set and not empty, else SHARE/sub. */
static lzs_status_t env_or_share(const char *name, const char *sub, char *buf, size_t cap)
{
    const char *v = name ? env_nonempty(name) : NULL;
    if (v)
        return put(buf, cap, v, "");
    char share[4096];
    lzs_status_t st = lzs_share_dir(share, sizeof share);
    if (st != LZS_OK)
        return st;
    return put(buf, cap, share, sub);
}

lzs_status_t lzs_default_corpus_dir(char *buf, size_t cap)
{
    return env_or_share("LZS_CORPUS_DIR", "/corpus", buf, cap);
}

lzs_status_t lzs_default_data_dir(char *buf, size_t cap)
{
    return env_or_share("LZS_DATA_DIR", "/data", buf, cap);
}

lzs_status_t lzs_default_web_dir(char *buf, size_t cap)
{
    return env_or_share(NULL, "/web", buf, cap);
}

lzs_status_t lzs_default_index_dir(char *buf, size_t cap)
{
    const char *v = env_nonempty("LZS_INDEX_DIR");
    if (v)
        return put(buf, cap, v, "");
    v = env_nonempty("XDG_DATA_HOME");
    if (v)
        return put(buf, cap, v, "/lanzasearch/index");
    v = env_nonempty("HOME");
    if (v)
        return put(buf, cap, v, "/.local/share/lanzasearch/index");
    return LZS_ERR_NOT_FOUND;
}

lzs_status_t lzs_mkdirs(const char *dir)
{
    char tmp[4096];
    size_t len = strlen(dir);
    if (len == 0 || len >= sizeof tmp)
        return LZS_ERR_INVALID;
    memcpy(tmp, dir, len + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return LZS_ERR_IO;
        *p = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        return LZS_ERR_IO;
    return LZS_OK;
}
