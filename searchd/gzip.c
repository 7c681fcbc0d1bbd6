/* gzip.c — gzip streams in memory (see gzip.h). */
#include "gzip.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

/* 16 + MAX_WBITS: a gzip header and trailer, not a zlib one. */
#define GZIP_WBITS (16 + MAX_WBITS)

int lzs_sd_gzip(const char *data, size_t n, char **out, size_t *outlen)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    *out = NULL;
    /* level 6, zlib's default: answers are made per request, the time matters */
    if (deflateInit2(&zs, 6, Z_DEFLATED, GZIP_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t cap = deflateBound(&zs, (uLong)n);
    char *buf = malloc(cap ? cap : 1);
    if (!buf) {
        deflateEnd(&zs);
        return -1;
    }
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)buf;
    zs.avail_out = (uInt)cap;
    /* deflateBound is enough for one call with Z_FINISH */
    int rc = deflate(&zs, Z_FINISH);
    size_t len = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        free(buf);
        return -1;
    }
    *out = buf;
    *outlen = len;
    return 0;
}

int lzs_sd_gzip_equals(const char *gz, size_t gzlen, const char *data, size_t n)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, GZIP_WBITS) != Z_OK)
        return 0;
    char *buf = malloc(n + 1); /* one byte more: a longer stream does not fit */
    int ok = 0;
    if (buf) {
        zs.next_in = (Bytef *)(uintptr_t)gz;
        zs.avail_in = (uInt)gzlen;
        zs.next_out = (Bytef *)buf;
        zs.avail_out = (uInt)(n + 1);
        int rc = inflate(&zs, Z_FINISH);
        ok = rc == Z_STREAM_END && zs.total_out == n && zs.avail_in == 0 &&
             memcmp(buf, data, n) == 0;
    }
    inflateEnd(&zs);
    free(buf);
    return ok;
}
