/* oom_dump.h — how the out-of-memory tests serialize JSON, shared by test_oom.c and
 * test_oom_xapian.c. jansson 2.14's json_dumps() ignores a failed allocation while writing
 * an object key and returns malformed JSON (akheron/jansson#655); a dump callback whose
 * first failure sticks voids the whole output instead. The buffer grows with realloc(), so
 * its allocations fail like every other of the test. Static: included by one file each.
 */
#ifndef LZS_TESTS_OOM_DUMP_H
#define LZS_TESTS_OOM_DUMP_H
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

typedef struct {
    char *p;
    size_t n, cap;
    int failed;
} dumpbuf_t;

static int dump_cb(const char *buf, size_t size, void *data)
{
    dumpbuf_t *d = data;
    if (d->failed) {
        return -1;
    }
    if (d->n + size + 1 > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        while (cap < d->n + size + 1) {
            cap *= 2;
        }
        char *p = realloc(d->p, cap);
        if (!p) {
            d->failed = 1;
            return -1;
        }
        d->p = p;
        d->cap = cap;
    }
    memcpy(d->p + d->n, buf, size);
    d->n += size;
    d->p[d->n] = '\0';
    return 0;
}

/* The compact JSON text of v in d->p (caller frees d->p with free(), whatever happens);
 * 0 when complete, -1 when any allocation failed. */
static int dump_json(const json_t *v, dumpbuf_t *d)
{
    memset(d, 0, sizeof *d);
    if (json_dump_callback(v, dump_cb, d, JSON_COMPACT) != 0 || d->failed || !d->p) {
        return -1;
    }
    return 0;
}

#endif
