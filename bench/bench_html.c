/* bench_html.c — lzs-bench-html: how fast the HTML reader (lzs_read_html) reads, and how
 * much memory it takes, on the fixture pages of tests/data/formats/html and on a
 * synthetic page of several megabytes (the coe.int-like article repeated, with its
 * chrome). Prints figures; asserts nothing.
 *
 *   lzs-bench-html [FILE...]     the files given instead of the fixtures
 *
 * Times are CPU time of the process (the machine may be shared) and wall time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "extract/block.h"
#include "lzs/extract.h"
#include "lzs/file.h"

#define FIXTURES LZS_SOURCE_DIR "/tests/data/formats/html"
#define SYNTH_BYTES (8u * 1024u * 1024u)

static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads buf repeatedly for about a second (at least 3 times) and prints the figures. */
static int bench(const char *name, const char *buf, size_t len)
{
    size_t nblocks = 0, runs = 0;
    double cpu0 = seconds(CLOCK_PROCESS_CPUTIME_ID), wall0 = seconds(CLOCK_MONOTONIC);
    double cpu = 0;
    while (runs < 3 || cpu < 1.0) {
        lzs_blocks_t bs = {0};
        char *err = NULL;
        lzs_status_t st = lzs_read_html(NULL, name, buf, len, &bs, &err);
        if (st != LZS_OK) {
            fprintf(stderr, "lzs-bench-html: %s\n", err ? err : lzs_status_str(st));
            free(err);
            return -1;
        }
        nblocks = bs.n;
        lzs_blocks_clear(&bs);
        runs++;
        cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    }
    double wall = seconds(CLOCK_MONOTONIC) - wall0;
    double per = cpu / (double)runs;
    printf("%-28s %9zu bytes %7zu blocks %9.3f ms/read (cpu) %9.3f ms (wall) %8.1f MB/s\n", name,
           len, nblocks, per * 1e3, wall / (double)runs * 1e3,
           (double)len / per / (1024.0 * 1024.0));
    return 0;
}

/* The article of coe_page.html (between its <h1> and the related news) repeated to about
 * SYNTH_BYTES, inside the page's chrome. Caller frees with free(). */
static char *synthesize(const char *page, size_t *len)
{
    const char *a = strstr(page, "<h1>");
    const char *b = strstr(page, "<aside");
    if (a == NULL || b == NULL || b < a)
        return NULL;
    size_t head = (size_t)(a - page), body = (size_t)(b - a), tail = strlen(b);
    size_t copies = SYNTH_BYTES / body + 1;
    char *s = malloc(head + copies * body + tail + 1);
    if (s == NULL)
        return NULL;
    size_t n = 0;
    memcpy(s, page, head);
    n += head;
    for (size_t i = 0; i < copies; i++) {
        memcpy(s + n, a, body);
        n += body;
    }
    memcpy(s + n, b, tail);
    n += tail;
    s[n] = '\0';
    *len = n;
    return s;
}

static int bench_file(const char *path, const char *label)
{
    char *buf = NULL, *err = NULL;
    size_t len = 0;
    lzs_status_t st = lzs_file_read(-1, path, LZS_EXTRACT_MAX_FILE, &buf, &len, &err);
    if (st != LZS_OK) {
        fprintf(stderr, "lzs-bench-html: %s\n", err ? err : lzs_status_str(st));
        free(err);
        return -1;
    }
    int rc = bench(label ? label : path, buf, len);
    if (rc == 0 && label != NULL && strcmp(label, "coe_page.html") == 0) {
        size_t slen = 0;
        char *synth = synthesize(buf, &slen);
        if (synth == NULL) {
            fprintf(stderr, "lzs-bench-html: cannot build the synthetic page\n");
            rc = -1;
        } else {
            rc = bench("coe_page.html x many", synth, slen);
        }
        free(synth);
    }
    free(buf);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0;
    if (argc > 1) {
        for (int i = 1; i < argc && rc == 0; i++)
            rc = bench_file(argv[i], NULL);
    } else {
        rc = bench_file(FIXTURES "/coe_page.html", "coe_page.html");
        if (rc == 0)
            rc = bench_file(FIXTURES "/pandoc.html", "pandoc.html");
    }
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf("peak RSS %ld MB\n", ru.ru_maxrss / 1024);
    return rc == 0 ? 0 : 1;
}
