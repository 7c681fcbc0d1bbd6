/* hash.h — the one string hash of lanzasearch, for its hash tables of short keys (words,
 * ISO codes, article numbers, document ids, font names). FNV-1a, 64 bits: fast on short
 * keys and spreads them well; not for anything an adversary must not collide on purpose
 * (the tables that take keys from documents grow and probe, they never trust the hash).
 */
#ifndef LZS_HASH_H
#define LZS_HASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The hash of the n bytes at p (p may be NULL when n is 0). Never fails. */
uint64_t lzs_hash(const void *p, size_t n);

/* The hash of the NUL-terminated string s: lzs_hash(s, strlen(s)). */
uint64_t lzs_hash_str(const char *s);

#ifdef __cplusplus
}
#endif

#endif
