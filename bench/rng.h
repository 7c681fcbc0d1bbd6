/* rng.h — the benchmark programs' random numbers (xorshift64*), seeded from --seed: the
 * same sequence on every machine for one seed, so generated corpora and drawn requests
 * can be made again. */
#ifndef LZS_BENCH_RNG_H
#define LZS_BENCH_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t state;
} bench_rng_t;

/* The generator of seed (any value, 0 included). */
static inline bench_rng_t bench_rng_seed(uint64_t seed)
{
    bench_rng_t r = {88172645463325252ull ^ (seed * 0x9E3779B97F4A7C15ull)};
    if (r.state == 0)
        r.state = 1;
    return r;
}

static inline uint64_t bench_rng_next(bench_rng_t *r)
{
    r->state ^= r->state >> 12;
    r->state ^= r->state << 25;
    r->state ^= r->state >> 27;
    return r->state * 2685821657736338717ull;
}

#endif
