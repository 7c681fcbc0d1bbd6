/* fuzz_index.h — a small index of the shipped corpus, built once per process for the
 * targets that search (fuzz_query, fuzz_searchd_url) and removed at exit.
 */
/* Needs _GNU_SOURCE (nftw) defined before the first include of the including file. */
#ifndef LZS_FUZZ_INDEX_H
#define LZS_FUZZ_INDEX_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lzs/index.h"

static char g_fuzz_index_root[4096];

static int fuzz_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void fuzz_remove_index(void)
{
    if (g_fuzz_index_root[0]) {
        nftw(g_fuzz_index_root, fuzz_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        g_fuzz_index_root[0] = '\0';
    }
}

/* Indexes LZS_SOURCE_DIR/corpus into a new temporary directory and returns the index
 * path (static storage), or exits with a message: without its index a target cannot
 * run at all. */
static const char *fuzz_build_index(void)
{
    static char index_dir[4200];
    const char *tmp = getenv("TMPDIR");
    snprintf(g_fuzz_index_root, sizeof g_fuzz_index_root, "%s/lzs-fuzz-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_fuzz_index_root)) {
        perror("fuzz: mkdtemp");
        exit(1);
    }
    atexit(fuzz_remove_index);
    snprintf(index_dir, sizeof index_dir, "%s/index", g_fuzz_index_root);

    lzs_index_opts_t opts;
    lzs_index_opts_init(&opts);
    opts.index_dir = index_dir;
    opts.jobs = 1;
    const char *dirs[] = {LZS_SOURCE_DIR "/corpus"};
    lzs_index_summary_t *sum = NULL;
    char *msg = NULL;
    lzs_status_t st = lzs_index_run(&opts, dirs, 1, &sum, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "fuzz: cannot index the corpus: %s\n", msg ? msg : lzs_status_str(st));
        free(msg);
        exit(1);
    }
    if (sum->passages == 0) {
        fprintf(stderr, "fuzz: the corpus gave no passages\n");
        exit(1);
    }
    lzs_index_summary_free(sum);
    return index_dir;
}

#endif
