/* testdata.h — the project's domain data (corpus/data), opened once for a group of cmocka
 * tests that extract: ex is valid from testdata_setup() to testdata_teardown(). The test's
 * target defines LZS_CORPUS_DIR (tests/CMakeLists.txt does). */
#ifndef LZS_TESTDATA_H
#define LZS_TESTDATA_H

#include <stdio.h>
#include <stdlib.h>

#include "lzs/extract.h"

#define DATA_DIR LZS_CORPUS_DIR "/data"

/* The group's extractor: borrowed by each test, valid until testdata_teardown(). */
static lzs_extractor_t *ex;

/* cmocka group setup: opens DATA_DIR into ex; says why on stderr when it cannot. */
static int testdata_setup(void **state)
{
    (void)state;
    char *err = NULL;
    if (lzs_extract_open(DATA_DIR, &ex, &err) != LZS_OK) {
        fprintf(stderr, "cannot load the domain data of %s: %s\n", DATA_DIR, err ? err : "?");
        free(err);
        return -1;
    }
    return 0;
}

/* cmocka group teardown: closes ex. */
static int testdata_teardown(void **state)
{
    (void)state;
    lzs_extract_close(ex);
    ex = NULL;
    return 0;
}

#endif
