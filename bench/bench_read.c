/* bench_read.c — lzs-bench-read: what reading a document costs, for every format
 * lanzasearch reads (txt, md, docx, odt, html, pdf): time, throughput and peak memory.
 *
 *   lzs-bench-read [--stage all|reader] [--repeat N] [--data DIR] [--out DIR]
 *                  [--generate NAME N]... [FILE]...
 *
 * Each file is read --repeat times (default 3), either through the whole pipeline
 * (--stage all, the default: lzs_extract_buffer() with the extractor opened on the data
 * directory, the file's sidecar when it has one — what indexing the file costs) or by its
 * format's reader alone (--stage reader). --generate writes a large document first (see
 * readgen.h: a PDF report of N pages, a DOCX, ODT or HTML list of N decisions, ...) and
 * reads it with the files.
 *
 * Every file is read in a child process of its own, forked from a parent that holds no
 * document, so each peak resident size (getrusage ru_maxrss) is that file's alone; the
 * generators too run in a child, so a document's layout is never counted. Printed per
 * file: size, pages (when the format has them), blocks, passages, median and best wall
 * time of one read, its median CPU time, pages/s and MB/s, the resident size before the
 * first read and the peak. A program that prints figures: it never judges them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extract/block.h"
#include "lzs/extract.h"
#include "lzs/file.h"
#include "lzs/paths.h"
#include "readgen.h"

#define PROG "lzs-bench-read"
#define MAX_REPEAT 1000

/* ---- the formats --------------------------------------------------------------------- */

/* A file's format is told by lzs_extract_format() (the library's format table, which owns
 * the extensions); this table gives each format its reader and how a generated document
 * of it is named. */
typedef struct {
    const char *name; /* as lzs_extract_format() names it */
    const char *ext;  /* extension of a generated document */
    int paged;        /* the format has pages (pages/s means something) */
    lzs_reader_fn read;
} format_t;

static const format_t formats[] = {
    {"txt", ".txt", 0, lzs_read_text},   {"md", ".md", 0, lzs_read_markdown},
    {"docx", ".docx", 0, lzs_read_docx}, {"odt", ".odt", 0, lzs_read_odt},
    {"html", ".html", 0, lzs_read_html}, {"pdf", ".pdf", 1, lzs_read_pdf},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const format_t *format_named(const char *name)
{
    for (size_t i = 0; name != NULL && i < COUNT(formats); i++)
        if (strcmp(formats[i].name, name) == 0)
            return &formats[i];
    return NULL;
}

/* ---- the stages ---------------------------------------------------------------------- */

/* One file in memory, ready to be read. */
typedef struct {
    const lzs_extractor_t *ex;
    const format_t *fmt;
    const char *path;
    const char *buf;
    size_t len;
    const char *sidecar; /* NULL when the file has none */
} input_t;

typedef struct {
    unsigned pages;
    size_t blocks, passages;
    size_t text; /* bytes of the blocks' text: what a format holds, however packed */
} counts_t;

static lzs_status_t run_reader(const input_t *in, counts_t *k, char **errmsg)
{
    lzs_blocks_t bs = {0};
    lzs_status_t st = in->fmt->read(in->ex, in->path, in->buf, in->len, &bs, errmsg);
    if (st == LZS_OK)
        st = bs.st;
    k->pages = bs.npages;
    k->blocks = bs.n;
    k->text = 0;
    for (size_t i = 0; i < bs.n; i++)
        k->text += bs.v[i].len;
    lzs_blocks_clear(&bs);
    return st;
}

static lzs_status_t run_all(const input_t *in, counts_t *k, char **errmsg)
{
    lzs_document_t *doc = NULL;
    lzs_status_t st =
        lzs_extract_buffer(in->ex, in->path, in->buf, in->len, in->sidecar, &doc, errmsg);
    if (st == LZS_OK)
        k->passages = doc->npassages;
    lzs_document_free(doc);
    return st;
}

typedef struct {
    const char *name;
    const char *what;
    lzs_status_t (*run)(const input_t *in, counts_t *k, char **errmsg);
    int has_passages; /* else blocks are what it makes */
} stage_t;

static const stage_t stages[] = {
    {"all", "lzs_extract_buffer(): the reader, then every stage", run_all, 1},
    {"reader", "the format's reader alone", run_reader, 0},
};

static const stage_t *stage_named(const char *name)
{
    for (size_t i = 0; i < COUNT(stages); i++)
        if (strcmp(stages[i].name, name) == 0)
            return &stages[i];
    return NULL;
}

/* ---- measuring one file, in a child --------------------------------------------------- */

typedef struct {
    const stage_t *stage;
    int repeat;
    const char *datadir; /* NULL: the library's default (corpus/data) */
} options_t;

/* What a measuring child sends its parent through a pipe. */
typedef struct {
    int ok;
    char err[1024];
    size_t bytes;
    counts_t counts;
    double median, best, cpu; /* seconds of one read; cpu: the median */
    double base_mb, peak_mb;
} result_t;

static double clock_s(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double maxrss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of the n values of v, which it sorts (v[0] is then the least). */
static double sort_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The file's sidecar, as indexing would read it: *out is NULL when there is none. */
static lzs_status_t read_sidecar(const char *path, char **out, char **errmsg)
{
    *out = NULL;
    char *scpath = lzs_extract_sidecar_path(path);
    if (scpath == NULL)
        return LZS_ERR_NOMEM;
    struct stat sb;
    size_t len = 0;
    lzs_status_t st = LZS_OK;
    if (lstat(scpath, &sb) == 0)
        st = lzs_file_read(-1, scpath, LZS_EXTRACT_MAX_SIDECAR, out, &len, errmsg);
    free(scpath);
    return st;
}

/* Times o->repeat reads of in. */
static int time_reads(const options_t *o, const input_t *in, result_t *r, char **errmsg)
{
    double *wall = calloc((size_t)o->repeat, sizeof *wall);
    double *cpu = calloc((size_t)o->repeat, sizeof *cpu);
    int rc = 0;
    if (wall == NULL || cpu == NULL) {
        lzs_set_errmsg(errmsg, "%s: out of memory", in->path);
        rc = -1;
    }
    for (int i = 0; rc == 0 && i < o->repeat; i++) {
        double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        lzs_status_t st = o->stage->run(in, &r->counts, errmsg);
        wall[i] = clock_s(CLOCK_MONOTONIC) - t0;
        cpu[i] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        if (st != LZS_OK) {
            if (*errmsg == NULL)
                lzs_set_errmsg(errmsg, "%s: %s", in->path, lzs_status_str(st));
            rc = -1;
        }
    }
    if (rc == 0) {
        r->median = sort_median(wall, o->repeat);
        r->best = wall[0];
        r->cpu = sort_median(cpu, o->repeat);
    }
    free(wall);
    free(cpu);
    return rc;
}

static void measure(const options_t *o, const char *path, const format_t *fmt, result_t *r)
{
    char *buf = NULL, *sidecar = NULL, *err = NULL;
    size_t len = 0;
    lzs_extractor_t *ex = NULL;
    lzs_status_t st = lzs_file_read(-1, path, lzs_extract_max_size(path), &buf, &len, &err);
    if (st == LZS_OK)
        st = lzs_extract_open(o->datadir, &ex, &err);
    if (st == LZS_OK && o->stage->has_passages)
        st = read_sidecar(path, &sidecar, &err);
    if (st == LZS_OK) {
        input_t in = {ex, fmt, path, buf, len, sidecar};
        r->bytes = len;
        r->base_mb = maxrss_mb();
        int rc = time_reads(o, &in, r, &err);
        r->peak_mb = maxrss_mb();
        /* The pipeline says how many passages; its reader, run once more, untimed and
         * after the peak was taken, how many pages and blocks. */
        counts_t k = {0};
        if (rc == 0 && o->stage->has_passages && run_reader(&in, &k, &err) == LZS_OK) {
            r->counts.pages = k.pages;
            r->counts.blocks = k.blocks;
            r->counts.text = k.text;
        }
        r->ok = rc == 0 && err == NULL;
    }
    if (!r->ok)
        snprintf(r->err, sizeof r->err, "%s", err ? err : lzs_status_str(st));
    free(err);
    free(sidecar);
    free(buf);
    lzs_extract_close(ex);
}

/* Writes all of len bytes to fd; -1 on failure. */
static int write_all(int fd, const void *p, size_t len)
{
    const char *s = p;
    while (len > 0) {
        ssize_t k = write(fd, s, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        s += k;
        len -= (size_t)k;
    }
    return 0;
}

/* Reads up to len bytes from fd until end of file; returns how many. */
static size_t read_all(int fd, void *p, size_t len)
{
    char *s = p;
    size_t got = 0;
    while (got < len) {
        ssize_t k = read(fd, s + got, len - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    return got;
}

/* Waits for child pid; 0 when it exited with status 0, else -1 with what happened in msg. */
static int wait_child(pid_t pid, char *msg, size_t cap)
{
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(msg, cap, "waitpid: %s", strerror(errno));
            return -1;
        }
    }
    if (WIFSIGNALED(status)) {
        snprintf(msg, cap, "was killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
        return -1;
    }
    if (WEXITSTATUS(status) != 0) {
        snprintf(msg, cap, "exited with status %d", WEXITSTATUS(status));
        return -1;
    }
    return 0;
}

/* Measures path in a child of its own. 0, or -1 with a message printed. */
static int measure_in_child(const options_t *o, const char *path, const format_t *fmt, result_t *r)
{
    int fds[2];
    if (pipe(fds) != 0) {
        fprintf(stderr, PROG ": pipe: %s\n", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        result_t mine = {0};
        measure(o, path, fmt, &mine);
        int wrote = write_all(fds[1], &mine, sizeof mine);
        close(fds[1]);
        exit(wrote == 0 && mine.ok ? 0 : 1);
    }
    close(fds[1]);
    memset(r, 0, sizeof *r);
    size_t got = read_all(fds[0], r, sizeof *r);
    close(fds[0]);
    char why[256];
    int rc = wait_child(pid, why, sizeof why);
    if (got != sizeof *r) {
        fprintf(stderr, PROG ": %s: the process reading it %s\n", path,
                rc == 0 ? "sent no figures" : why);
        return -1;
    }
    if (!r->ok) {
        fprintf(stderr, PROG ": %s\n", r->err);
        return -1;
    }
    return 0;
}

/* ---- generated documents --------------------------------------------------------------- */

typedef struct {
    const readgen_t *gen;
    int n;
    char *path; /* owned */
} generated_t;

/* Writes the document in a child process (its layout is no part of what is measured). */
static int generate(const generated_t *g)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        char *doc = NULL, *err = NULL;
        size_t len = 0;
        if (g->gen->write(g->n, &doc, &len, &err) != 0) {
            fprintf(stderr, PROG ": --generate %s %d: %s\n", g->gen->name, g->n,
                    err ? err : "failed");
            free(err);
            exit(1);
        }
        FILE *f = fopen(g->path, "wb");
        int ok = f != NULL && fwrite(doc, 1, len, f) == len;
        if (f != NULL && fclose(f) != 0)
            ok = 0;
        if (!ok)
            fprintf(stderr, PROG ": %s: cannot write: %s\n", g->path, strerror(errno));
        free(doc);
        exit(ok ? 0 : 1);
    }
    char why[256];
    if (wait_child(pid, why, sizeof why) != 0) {
        fprintf(stderr, PROG ": --generate %s %d: the generating process %s\n", g->gen->name, g->n,
                why);
        return -1;
    }
    return 0;
}

/* ---- the command line -------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: " PROG " [--stage all|reader] [--repeat N] [--data DIR] [--out DIR]\n"
               "                      [--generate NAME N]... [FILE]...\n"
               "Reads each FILE (and each generated document) N times (--repeat, default 3) in a\n"
               "process of its own and prints, per file: size, pages, blocks, passages, median\n"
               "and best wall time and median CPU time of one read, pages/s and MB/s (from the\n"
               "median wall time), resident memory before the first read and at its peak.\n"
               "  --stage all      the whole pipeline, lzs_extract_buffer() (default)\n"
               "  --stage reader   the format's reader alone\n"
               "  --data DIR       the extractor's data files (default: $LZS_DATA_DIR, else the\n"
               "                   shipped corpus/data)\n"
               "  --out DIR        keep the generated documents in DIR (default: a temporary\n"
               "                   directory, removed at the end)\n"
               "  --generate NAME N  generate a document, one of:\n");
    size_t n;
    const readgen_t *g = readgen_table(&n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "    %-12s N %-9s %s\n", g[i].name, g[i].unit, g[i].what);
    fprintf(f, "Formats read (by file name):");
    for (size_t i = 0; i < COUNT(formats); i++)
        fprintf(f, " %s", formats[i].name);
    fprintf(f, "\n");
}

static int usage_error(void)
{
    fprintf(stderr, "(" PROG " --help tells the options)\n");
    return 2;
}

/* A whole number from 1 to max, or 0. */
static int parse_count(const char *s, int max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 1 || v > max)
        return 0;
    return (int)v;
}

typedef struct {
    options_t o;
    const char *outdir;
    generated_t *gens;
    size_t ngens;
    const char **files;
    size_t nfiles;
} command_t;

static int add_generated(command_t *c, const char *name, const char *count)
{
    const readgen_t *gen = readgen_find(name);
    if (gen == NULL) {
        fprintf(stderr, PROG ": --generate: no generator called '%s'; one of:", name);
        size_t n;
        const readgen_t *g = readgen_table(&n);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, " %s", g[i].name);
        fprintf(stderr, "\n");
        return -1;
    }
    int n = parse_count(count, gen->max_n);
    if (n == 0) {
        fprintf(stderr,
                PROG ": --generate %s: N (%s) must be a whole number from 1 to %d, not '%s'\n",
                name, gen->unit, gen->max_n, count);
        return -1;
    }
    c->gens[c->ngens].gen = gen;
    c->gens[c->ngens].n = n;
    c->gens[c->ngens].path = NULL;
    c->ngens++;
    return 0;
}

/* 1 for the options that take one value. */
static int takes_value(const char *a)
{
    static const char *const with_value[] = {"--stage", "--repeat", "--data", "--out"};
    for (size_t i = 0; i < COUNT(with_value); i++)
        if (strcmp(a, with_value[i]) == 0)
            return 1;
    return 0;
}

/* 0, 1 when --help was asked (and answered), or -1 after a message. */
static int parse_args(int argc, char **argv, command_t *c)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 1;
        } else if (strcmp(a, "--stage") == 0 && more) {
            c->o.stage = stage_named(argv[++i]);
            if (c->o.stage == NULL) {
                fprintf(stderr, PROG ": --stage: '%s' is neither 'all' nor 'reader'\n", argv[i]);
                return -1;
            }
        } else if (strcmp(a, "--repeat") == 0 && more) {
            c->o.repeat = parse_count(argv[++i], MAX_REPEAT);
            if (c->o.repeat == 0) {
                fprintf(stderr, PROG ": --repeat: '%s' is not a whole number from 1 to %d\n",
                        argv[i], MAX_REPEAT);
                return -1;
            }
        } else if (strcmp(a, "--data") == 0 && more) {
            c->o.datadir = argv[++i];
        } else if (strcmp(a, "--out") == 0 && more) {
            c->outdir = argv[++i];
        } else if (strcmp(a, "--generate") == 0 && i + 2 < argc) {
            if (add_generated(c, argv[i + 1], argv[i + 2]) != 0)
                return -1;
            i += 2;
        } else if (strcmp(a, "--generate") == 0) {
            fprintf(stderr, PROG ": --generate wants a NAME and a number N\n");
            return -1;
        } else if (a[0] == '-' && !more && takes_value(a)) {
            fprintf(stderr, PROG ": %s wants a value\n", a);
            return -1;
        } else if (a[0] == '-') {
            fprintf(stderr, PROG ": %s: unknown option\n", a);
            return -1;
        } else if (format_named(lzs_extract_format(a)) == NULL) {
            fprintf(stderr, PROG ": %s: not a format lanzasearch reads (by its name)\n", a);
            return -1;
        } else {
            c->files[c->nfiles++] = a;
        }
    }
    if (c->nfiles == 0 && c->ngens == 0) {
        fprintf(stderr, PROG ": no file to read and nothing to generate\n");
        return -1;
    }
    return 0;
}

/* ---- the report --------------------------------------------------------------------------- */

static void print_load(const char *when)
{
    double l[3];
    if (getloadavg(l, 3) == 3)
        printf("load average %s: %.2f %.2f %.2f\n", when, l[0], l[1], l[2]);
}

static void print_header(const options_t *o)
{
    printf("stage %s (%s); %d reads of each file; data %s\n", o->stage->name, o->stage->what,
           o->repeat, o->datadir ? o->datadir : "(default)");
    print_load("at start");
    printf("\n%-6s %8s %7s %6s %7s %8s %10s %10s %10s %8s %7s %7s %7s  %s\n", "format", "MB",
           "text MB", "pages", "blocks", "passages", "median ms", "best ms", "CPU ms", "pages/s",
           "MB/s", "base MB", "peak MB", "file");
    fflush(stdout);
}

static void print_row(const options_t *o, const char *path, const format_t *fmt, const result_t *r)
{
    char pages[24] = "-", rate[24] = "-", passages[24] = "-";
    double mb = (double)r->bytes / 1e6;
    if (fmt->paged) {
        snprintf(pages, sizeof pages, "%u", r->counts.pages);
        if (r->median > 0)
            snprintf(rate, sizeof rate, "%.1f", r->counts.pages / r->median);
    }
    if (o->stage->has_passages)
        snprintf(passages, sizeof passages, "%zu", r->counts.passages);
    printf("%-6s %8.3f %7.3f %6s %7zu %8s %10.2f %10.2f %10.2f %8s %7.2f %7.1f %7.1f  %s\n",
           fmt->name, mb, (double)r->counts.text / 1e6, pages, r->counts.blocks, passages,
           r->median * 1e3, r->best * 1e3, r->cpu * 1e3, rate, r->median > 0 ? mb / r->median : 0.0,
           r->base_mb, r->peak_mb, path);
    fflush(stdout);
}

static void print_legend(void)
{
    printf("\nMB: the file's size (10^6 bytes); text MB: the text of its blocks. median ms,\n"
           "best ms: wall time of one read; CPU ms: its median CPU time (every thread).\n"
           "pages/s and MB/s (of the file): from the median wall time. base MB: resident\n"
           "memory before the first read (program, data files, the file's bytes); peak MB:\n"
           "peak resident memory (ru_maxrss) of the process that read this file and no other.\n");
}

/* ---- main ---------------------------------------------------------------------------------- */

/* Names and writes the generated documents into dir. */
static int generate_all(command_t *c, const char *dir)
{
    for (size_t i = 0; i < c->ngens; i++) {
        generated_t *g = &c->gens[i];
        const format_t *fmt = format_named(g->gen->format);
        int len =
            snprintf(NULL, 0, "%s/%s-%d-%s%s", dir, g->gen->name, g->n, g->gen->unit, fmt->ext);
        g->path = len < 0 ? NULL : malloc((size_t)len + 1);
        if (g->path == NULL) {
            fprintf(stderr, PROG ": out of memory\n");
            return -1;
        }
        snprintf(g->path, (size_t)len + 1, "%s/%s-%d-%s%s", dir, g->gen->name, g->n, g->gen->unit,
                 fmt->ext);
        double t0 = clock_s(CLOCK_MONOTONIC);
        if (generate(g) != 0)
            return -1;
        printf("generated %s: %d %s, %s, in %.1f s\n", g->path, g->n, g->gen->unit, g->gen->what,
               clock_s(CLOCK_MONOTONIC) - t0);
    }
    return 0;
}

static int measure_all(const command_t *c)
{
    int rc = 0;
    print_header(&c->o);
    for (size_t i = 0; i < c->ngens + c->nfiles; i++) {
        const char *path = i < c->ngens ? c->gens[i].path : c->files[i - c->ngens];
        const format_t *fmt = format_named(lzs_extract_format(path));
        result_t r;
        if (measure_in_child(&c->o, path, fmt, &r) == 0)
            print_row(&c->o, path, fmt, &r);
        else
            rc = 1;
    }
    print_legend();
    print_load("at end");
    return rc;
}

int main(int argc, char **argv)
{
    command_t c = {.o = {.stage = &stages[0], .repeat = 3, .datadir = NULL}};
    c.gens = calloc((size_t)argc, sizeof *c.gens);
    c.files = calloc((size_t)argc, sizeof *c.files);
    if (c.gens == NULL || c.files == NULL) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    int rc = parse_args(argc, argv, &c);
    if (rc != 0) {
        free(c.gens);
        free(c.files);
        return rc > 0 ? 0 : usage_error();
    }
    char tmpdir[] = "/tmp/lzs-bench-read.XXXXXX";
    const char *dir = c.outdir;
    if (c.ngens > 0 && dir != NULL && lzs_mkdirs(dir) != LZS_OK) {
        fprintf(stderr, PROG ": --out %s: cannot create the directory: %s\n", dir, strerror(errno));
        rc = 1;
    }
    if (c.ngens > 0 && dir == NULL) {
        dir = mkdtemp(tmpdir);
        if (dir == NULL) {
            fprintf(stderr, PROG ": %s: cannot create: %s\n", tmpdir, strerror(errno));
            rc = 1;
        }
    }
    if (rc == 0 && c.ngens > 0)
        rc = generate_all(&c, dir) == 0 ? 0 : 1;
    if (rc == 0)
        rc = measure_all(&c);
    for (size_t i = 0; i < c.ngens; i++) {
        if (c.outdir == NULL && c.gens[i].path != NULL)
            unlink(c.gens[i].path);
        free(c.gens[i].path);
    }
    if (c.ngens > 0 && c.outdir == NULL && dir != NULL)
        rmdir(dir);
    free(c.gens);
    free(c.files);
    return rc;
}
