/* conns.h — who holds lzs-searchd's connections: how many in all and from each client
 * address, and the admission policy.
 *
 * A connection is counted from the moment it is accepted (while its request head is
 * screened) until the HTTP library closes it. A new connection from an address is refused
 * when that address holds per_address connections already (per_address 0: no limit per
 * address), or when limit connections are held in all. In the second case the screening
 * (screen.c) may make room by closing a connection still sending its head, from the
 * address with the most of those. Addresses are counted as IPv4 addresses, and as /64
 * prefixes for IPv6 (one host usually has a whole /64); an IPv4-mapped IPv6 address counts
 * as its IPv4 address.
 * Thread-safe: the screening thread admits, the HTTP library's threads release.
 */
#ifndef LZS_SEARCHD_CONNS_H
#define LZS_SEARCHD_CONNS_H

#include <sys/socket.h>

#include "lzs/status.h"

typedef struct lzs_sd_conns lzs_sd_conns_t;

typedef enum {
    LZS_SD_ADMITTED,     /* counted */
    LZS_SD_OVER_ADDRESS, /* the address holds per_address (> 0) connections: not counted */
    LZS_SD_FULL          /* limit connections are held: not counted */
} lzs_sd_admission_t;

/* Caller frees *out with lzs_sd_conns_destroy(). per_address 0: no limit per address.
 * LZS_ERR_NOMEM, or LZS_ERR_INVALID for a limit of 0. */
lzs_status_t lzs_sd_conns_create(unsigned limit, unsigned per_address, lzs_sd_conns_t **out);
/* NULL is a no-op. */
void lzs_sd_conns_destroy(lzs_sd_conns_t *conns);

/* Counts a new connection from addr when the policy admits it. */
lzs_sd_admission_t lzs_sd_conns_admit(lzs_sd_conns_t *conns, const struct sockaddr *addr,
                                      socklen_t len);
/* Uncounts a connection admitted from addr. */
void lzs_sd_conns_release(lzs_sd_conns_t *conns, const struct sockaddr *addr, socklen_t len);
/* 1 when a and b count as the same address (the same IPv4 address, the same IPv6 /64). */
int lzs_sd_conns_same_address(const struct sockaddr *a, socklen_t alen, const struct sockaddr *b,
                              socklen_t blen);
/* Connections counted now. */
unsigned lzs_sd_conns_open(lzs_sd_conns_t *conns);

#endif
