/* paths.c — default locations of the corpus, the domain data and the index. */
#include "lzs/paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef LZS_SOURCE_DIR
#define LZS_SOURCE_DIR "."
#endif

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

lzs_status_t lzs_default_corpus_dir(char *buf, size_t cap)
{
    const char *v = env_nonempty("LZS_CORPUS_DIR");
    return v ? put(buf, cap, v, "") : put(buf, cap, LZS_SOURCE_DIR, "/corpus");
}

lzs_status_t lzs_default_data_dir(char *buf, size_t cap)
{
    const char *v = env_nonempty("LZS_DATA_DIR");
    return v ? put(buf, cap, v, "") : put(buf, cap, LZS_SOURCE_DIR, "/corpus/data");
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
