/* langindex.h — the index the language and comparison tests search: the shipped corpus and
 * the fixtures of tests/data/lang (described in tests/test_lang.c), built by the real
 * indexer into a temporary directory, and a request helper. Included by one test program
 * each (static functions). */
#ifndef LZS_TESTS_LANGINDEX_H
#define LZS_TESTS_LANGINDEX_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lzs/extract.h"
#include "lzs/index.h"
#include "lzs/search.h"

typedef struct {
    lzs_extractor_t *ex;
    lzs_searcher_t *s;
    char tmp[256];
    char index[300];
} langindex_t;

static int langindex_rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Builds the index in a new directory /tmp/<prefix>_XXXXXX and opens it. Returns 0, or -1
 * with the reason on stderr (a fixture the indexer skipped is a failure: the tests would
 * pass for nothing). */
static int langindex_open(langindex_t *li, const char *prefix)
{
    memset(li, 0, sizeof *li);
    snprintf(li->tmp, sizeof li->tmp, "/tmp/%s_XXXXXX", prefix);
    if (!mkdtemp(li->tmp)) {
        li->tmp[0] = '\0';
        return -1;
    }
    snprintf(li->index, sizeof li->index, "%s/index", li->tmp);
    char *msg = NULL;
    if (lzs_extract_open(NULL, &li->ex, &msg) != LZS_OK) {
        fprintf(stderr, "extract_open: %s\n", msg ? msg : "?");
        free(msg);
        return -1;
    }
    lzs_index_opts_t opts;
    lzs_index_opts_init(&opts);
    opts.index_dir = li->index;
    opts.jobs = 2;
    const char *dirs[2] = {LZS_CORPUS_DIR, LZS_TEST_DATA "/lang"};
    lzs_index_summary_t *sum = NULL;
    lzs_status_t st = lzs_index_run(&opts, dirs, 2, &sum, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "index_run: %s\n", msg ? msg : lzs_status_str(st));
        free(msg);
        return -1;
    }
    if (sum->nskipped != 0) {
        fprintf(stderr, "index_run skipped %zu files, first %s: %s\n", sum->nskipped,
                sum->skipped[0].path, sum->skipped[0].reason);
        lzs_index_summary_free(sum);
        return -1;
    }
    lzs_index_summary_free(sum);
    st = lzs_searcher_open(li->index, li->ex, &li->s, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "searcher_open: %s\n", msg ? msg : lzs_status_str(st));
        free(msg);
        return -1;
    }
    return 0;
}

/* Closes what langindex_open opened and removes its directory. */
static void langindex_close(langindex_t *li)
{
    lzs_searcher_close(li->s);
    lzs_extract_close(li->ex);
    if (li->tmp[0])
        nftw(li->tmp, langindex_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    memset(li, 0, sizeof *li);
}

/* A request with room for 8 values of each filter. */
typedef struct {
    lzs_search_req_t req;
    const char *vals[LZS_F_COUNT][8];
} rq_t;

static void rq_init(rq_t *r, const char *q)
{
    memset(r, 0, sizeof *r);
    lzs_search_req_init(&r->req);
    r->req.q = q;
    for (int f = 0; f < LZS_F_COUNT; f++)
        r->req.values[f] = r->vals[f];
}

static void rq_add(rq_t *r, lzs_field_t f, const char *v)
{
    r->vals[f][r->req.nvalues[f]++] = v;
}

#endif
