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

/* The hash a new sequence of bytes starts from: lzs_hash(p, n) is
 * lzs_hash_more(LZS_HASH_START, p, n). */
#define LZS_HASH_START 0xcbf29ce484222325ull

/* The hash of the n bytes at p (p may be NULL when n is 0). Never fails. */
uint64_t lzs_hash(const void *p, size_t n);

/* The hash h of earlier bytes, going on over the n bytes at p: hashing a sequence piece by
 * piece gives the hash of the whole (searchd's tags over several files). Never fails. */
uint64_t lzs_hash_more(uint64_t h, const void *p, size_t n);

/* The hash of the NUL-terminated string s: lzs_hash(s, strlen(s)). */
uint64_t lzs_hash_str(const char *s);

#ifdef __cplusplus
}
#endif

#endif
