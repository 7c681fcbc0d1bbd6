/* hash.c — FNV-1a, 64 bits (see lzs/hash.h). */
#include "lzs/hash.h"

#define FNV_OFFSET LZS_HASH_START
#define FNV_PRIME 1099511628211ULL

uint64_t lzs_hash(const void *p, size_t n)
{
    return lzs_hash_more(FNV_OFFSET, p, n);
}

uint64_t lzs_hash_more(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= FNV_PRIME;
    }
    return h;
}

uint64_t lzs_hash_str(const char *s)
{
    uint64_t h = FNV_OFFSET;
    for (const unsigned char *b = (const unsigned char *)s; *b; b++) {
        h ^= *b;
        h *= FNV_PRIME;
    }
    return h;
}
