/* bench_read.c — lzs-bench-read: speed and memory of the format readers (lib/extract).
 *
 *   lzs-bench-read [--repeat N] FILE...        reads each file with its format's reader
 *   lzs-bench-read [--repeat N] --generate N   lays out an N-page PDF (tests/pdf/pdfgen)
 *                                              in a child process, then reads it
 *   lzs-bench-read --dense                     one page of 100,000 glyphs
 *   lzs-bench-read --stacked N                 one page of N glyphs drawn on one spot:
 *                                              poppler's own text analysis (its removal of
 *                                              duplicated text) grows faster than n^2 there
 *
 * For each file: pages, blocks, seconds, pages/s and MB/s (best of the repeats), in wall
 * time and in CPU time (what a read costs when the machine is shared); at the end the peak
 * resident memory of this process (getrusage ru_maxrss), which a generated
 * document does not count since a child lays it out. Prints figures, asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extract/block.h"
#include "lzs/file.h"
#include "pdfgen.h"

/* The readers by file extension: a new format is one more row. */
static const struct {
    const char *ext;
    const char *name;
    lzs_reader_fn read;
} formats[] = {
    {".pdf", "pdf", lzs_read_pdf},
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* CPU seconds of this process so far: on a shared machine, what a read costs. */
static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static size_t format_of(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        size_t e = strlen(formats[i].ext);
        if (n >= e && strcasecmp(path + n - e, formats[i].ext) == 0)
            return i;
    }
    return (size_t)-1;
}

static int bench_file(const char *path, int repeat)
{
    size_t f = format_of(path);
    if (f == (size_t)-1) {
        fprintf(stderr, "lzs-bench-read: %s: no reader for this extension\n", path);
        return 1;
    }
    char *buf = NULL, *err = NULL;
    size_t len = 0;
    if (lzs_file_read(-1, path, (size_t)1 << 31, &buf, &len, &err) != LZS_OK) {
        fprintf(stderr, "lzs-bench-read: %s\n", err ? err : path);
        free(err);
        return 1;
    }
    double best = -1, best_cpu = -1;
    unsigned pages = 0;
    size_t blocks = 0, bytes = 0;
    for (int r = 0; r < repeat; r++) {
        lzs_blocks_t bs;
        memset(&bs, 0, sizeof bs);
        double t0 = now(), c0 = cpu();
        lzs_status_t st = formats[f].read(NULL, path, buf, len, &bs, &err);
        double t = now() - t0, c = cpu() - c0;
        if (st != LZS_OK) {
            fprintf(stderr, "lzs-bench-read: %s\n", err ? err : lzs_status_str(st));
            free(err);
            free(buf);
            lzs_blocks_clear(&bs);
            return 1;
        }
        pages = bs.npages;
        blocks = bs.n;
        bytes = 0;
        for (size_t i = 0; i < bs.n; i++)
            bytes += bs.v[i].len;
        lzs_blocks_clear(&bs);
        if (best < 0 || t < best)
            best = t;
        if (best_cpu < 0 || c < best_cpu)
            best_cpu = c;
    }
    printf("%s (%s): %.2f MB, %u pages, %zu blocks, %.2f MB of text\n", path, formats[f].name,
           (double)len / 1e6, pages, blocks, (double)bytes / 1e6);
    printf("  best of %d: %.3f s, %.1f pages/s, %.2f MB/s\n", repeat, best,
           best > 0 ? pages / best : 0.0, best > 0 ? (double)len / 1e6 / best : 0.0);
    printf("  CPU time: %.3f s, %.1f pages/s, %.2f MB/s\n", best_cpu,
           best_cpu > 0 ? pages / best_cpu : 0.0,
           best_cpu > 0 ? (double)len / 1e6 / best_cpu : 0.0);
    free(buf);
    return 0;
}

/* A report-like page: a running header, numbered paragraphs of body text, a footnote, a
 * page number. */
static void report_page(pdfgen_t *g, int page, int npages)
{
    static const char *const text =
        "The Committee requires the Parties to ensure that child-friendly interviews are "
        "carried out in premises designed or adapted for this purpose, in line with Article 35 "
        "of the Convention, and invites them to share their promising practices with the "
        "other Parties.";
    char num[32];
    pdfgen_text(g, 430, 40, PDFGEN_SERIF, 9, "T-ES(2019)07_en final");
    double y = 90;
    for (int k = 1; y < 720; k++) {
        snprintf(num, sizeof num, "%d.", k);
        pdfgen_text(g, 72, y, PDFGEN_SERIF, 11, num);
        y = pdfgen_wrap(g, 100, y, 423, PDFGEN_SERIF, 11, 14, text) + 6;
    }
    pdfgen_text(g, 72, 770, PDFGEN_SERIF, 9, "1 Recommendation V-17.");
    snprintf(num, sizeof num, "%d/%d", page, npages);
    pdfgen_text(g, 290, 810, PDFGEN_SERIF, 9, num);
}

static void dense_page(pdfgen_t *g)
{
    char line[501];
    for (int r = 0; r < 200; r++) {
        for (int k = 0; k < 500; k++)
            line[k] = (char)('a' + (r + k) % 26);
        line[500] = '\0';
        pdfgen_text(g, 20, 40 + 10 * r, PDFGEN_SANS, 8, line);
    }
}

static void stacked_page(pdfgen_t *g, int n)
{
    char s[2] = {0, 0};
    for (int i = 0; i < n; i++) {
        s[0] = (char)('a' + i % 26);
        pdfgen_text(g, 100, 100, PDFGEN_SANS, 8, s);
    }
}

/* Lays out the document in a child process (so that its memory is not this process's)
 * and writes it to path. npages > 0: a report; 0: the dense page; < 0: -npages glyphs
 * on one spot. */
static int generate(const char *path, int npages)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("lzs-bench-read: fork");
        return 1;
    }
    if (pid == 0) {
        char *err = NULL;
        pdfgen_t *g = npages == 0 ? pdfgen_new(2500, 2100, &err) : pdfgen_new(595, 842, &err);
        if (g == NULL) {
            fprintf(stderr, "lzs-bench-read: %s\n", err ? err : "cannot lay out a PDF");
            _exit(1);
        }
        if (npages == 0)
            dense_page(g);
        if (npages < 0)
            stacked_page(g, -npages);
        for (int p = 1; p <= npages; p++) {
            report_page(g, p, npages);
            if (p < npages)
                pdfgen_next_page(g);
        }
        char *pdf;
        size_t len;
        if (pdfgen_finish(g, &pdf, &len, &err) != 0) {
            fprintf(stderr, "lzs-bench-read: %s\n", err ? err : "cannot write the PDF");
            _exit(1);
        }
        FILE *f = fopen(path, "wb");
        int ok = f != NULL && fwrite(pdf, 1, len, f) == len;
        ok = f != NULL && fclose(f) == 0 && ok;
        if (!ok)
            perror(path);
        _exit(ok ? 0 : 1);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return 1;
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: lzs-bench-read [--repeat N] FILE...\n"
                    "       lzs-bench-read [--repeat N] --generate NPAGES\n"
                    "       lzs-bench-read [--repeat N] --dense\n"
                    "       lzs-bench-read [--repeat N] --stacked NGLYPHS\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int repeat = 1, rc = 0, gen = 0, gen_pages = 0;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        int more = i + 1 < argc;
        if (strcmp(argv[i], "--repeat") == 0 && more) {
            repeat = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--generate") == 0 && more && atoi(argv[i + 1]) > 0) {
            gen = 1;
            gen_pages = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--dense") == 0) {
            gen = 1;
            gen_pages = 0;
        } else if (strcmp(argv[i], "--stacked") == 0 && more && atoi(argv[i + 1]) > 0) {
            gen = 1;
            gen_pages = -atoi(argv[++i]);
        } else {
            usage();
        }
    }
    if (repeat < 1 || (!gen && i == argc) || (gen && i < argc))
        usage();
    if (gen) {
        char path[] = "/tmp/lzs-bench-read-XXXXXX.pdf";
        int fd = mkstemps(path, 4);
        if (fd < 0) {
            perror("lzs-bench-read: mkstemps");
            return 1;
        }
        close(fd);
        double t0 = now();
        rc = generate(path, gen_pages);
        if (rc == 0) {
            static const char *const what[] = {
                "a page of glyphs all on one spot",
                "a dense page: 100,000 glyphs, 200 lines of 500",
                "a report: one column, header, numbered paragraphs, footnote, page number"};
            printf("laid out %s in %.1f s\n", what[(gen_pages > 0) - (gen_pages < 0) + 1],
                   now() - t0);
            rc = bench_file(path, repeat);
        }
        unlink(path);
    }
    for (; i < argc; i++)
        rc |= bench_file(argv[i], repeat);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak resident memory: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    return rc;
}
