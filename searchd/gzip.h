/* gzip.h — gzip streams in memory (zlib): compressing an answer for a client that accepts
 * gzip, and checking that a precompressed file is what it claims to be. Any thread.
 */
#ifndef LZS_SEARCHD_GZIP_H
#define LZS_SEARCHD_GZIP_H

#include <stddef.h>

/* data (n bytes) as a gzip stream into *out (*outlen bytes): caller frees with free().
 * Returns 0, or -1 when out of memory (*out NULL). */
int lzs_sd_gzip(const char *data, size_t n, char **out, size_t *outlen);

/* 1 when gz (gzlen bytes) is a gzip stream that decompresses to exactly data (n bytes). */
int lzs_sd_gzip_equals(const char *gz, size_t gzlen, const char *data, size_t n);

#endif
