/* conns.c — connection counts and the admission policy (see conns.h). */
#include "conns.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The part of an address connections are counted by. */
typedef struct {
    unsigned char bytes[8];
    unsigned char len;
} addr_key_t;

typedef struct {
    addr_key_t key;
    unsigned count; /* 0: the slot is free */
} slot_t;

struct lzs_sd_conns {
    pthread_mutex_t lock;
    unsigned limit, per_address; /* per_address 0: no limit per address */
    unsigned total;
    slot_t *slots; /* limit of them: never more addresses than connections */
};

static addr_key_t key_of(const struct sockaddr *addr, socklen_t len)
{
    addr_key_t k;
    memset(&k, 0, sizeof k);
    if (addr && addr->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        memcpy(k.bytes, &((const struct sockaddr_in *)addr)->sin_addr, 4);
        k.len = 4;
    } else if (addr && addr->sa_family == AF_INET6 &&
               len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)addr)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a)) {
            memcpy(k.bytes, a->s6_addr + 12, 4);
            k.len = 4;
        } else {
            memcpy(k.bytes, a->s6_addr, 8);
            k.len = 8;
        }
    }
    /* Any other family (none is listened on) counts as one address. */
    return k;
}

static int key_eq(const addr_key_t *a, const addr_key_t *b)
{
    return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

/* The slot of key, or NULL. Called with the lock held. */
static slot_t *find(lzs_sd_conns_t *c, const addr_key_t *key)
{
    for (unsigned i = 0; i < c->limit; i++) {
        if (c->slots[i].count > 0 && key_eq(&c->slots[i].key, key))
            return &c->slots[i];
    }
    return NULL;
}

lzs_status_t lzs_sd_conns_create(unsigned limit, unsigned per_address, lzs_sd_conns_t **out)
{
    *out = NULL;
    if (limit == 0)
        return LZS_ERR_INVALID;
    lzs_sd_conns_t *c = calloc(1, sizeof *c);
    if (!c)
        return LZS_ERR_NOMEM;
    c->slots = calloc(limit, sizeof *c->slots);
    if (!c->slots || pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c->slots);
        free(c);
        return LZS_ERR_NOMEM;
    }
    c->limit = limit;
    c->per_address = per_address;
    *out = c;
    return LZS_OK;
}

void lzs_sd_conns_destroy(lzs_sd_conns_t *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c->slots);
    free(c);
}

lzs_sd_admission_t lzs_sd_conns_admit(lzs_sd_conns_t *c, const struct sockaddr *addr, socklen_t len)
{
    addr_key_t key = key_of(addr, len);
    lzs_sd_admission_t res = LZS_SD_ADMITTED;
    pthread_mutex_lock(&c->lock);
    slot_t *s = find(c, &key);
    if (s && c->per_address > 0 && s->count >= c->per_address) {
        res = LZS_SD_OVER_ADDRESS;
    } else if (c->total >= c->limit) {
        res = LZS_SD_FULL;
    } else {
        if (!s) {
            /* A free slot exists: fewer addresses than connections are counted. */
            for (unsigned i = 0; i < c->limit && !s; i++) {
                if (c->slots[i].count == 0)
                    s = &c->slots[i];
            }
            s->key = key;
        }
        s->count++;
        c->total++;
    }
    pthread_mutex_unlock(&c->lock);
    return res;
}

void lzs_sd_conns_release(lzs_sd_conns_t *c, const struct sockaddr *addr, socklen_t len)
{
    addr_key_t key = key_of(addr, len);
    pthread_mutex_lock(&c->lock);
    slot_t *s = find(c, &key);
    if (s) {
        s->count--;
        c->total--;
    }
    pthread_mutex_unlock(&c->lock);
}

int lzs_sd_conns_same_address(const struct sockaddr *a, socklen_t alen, const struct sockaddr *b,
                              socklen_t blen)
{
    addr_key_t ka = key_of(a, alen), kb = key_of(b, blen);
    return key_eq(&ka, &kb);
}

unsigned lzs_sd_conns_open(lzs_sd_conns_t *c)
{
    pthread_mutex_lock(&c->lock);
    unsigned n = c->total;
    pthread_mutex_unlock(&c->lock);
    return n;
}
