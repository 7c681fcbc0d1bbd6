/* main.c — lzs-index: builds and updates the lanzasearch index from document files.
 *
 * The usage text is also the source of the man page lzs-index(1) (packaging/, help2man):
 * its "Options:", "Environment:" and "Files:" lines become the page's sections.
 *
 * Exit status (also in --help): 0 when the run committed (skipped files are reported, not
 * failures); 1 when the index could not be opened, read or written, or a corpus directory
 * is missing; 2 on a usage error; 3 when the index has another schema version (--rebuild
 * replaces it); 4 when the run would remove more than half of the indexed documents
 * (--allow-mass-delete lets it); 75 when another indexer holds the index lock (without
 * --wait); 130 / 143 when interrupted by SIGINT / SIGTERM (nothing of the run is
 * committed).
 *
 * SIGINT and SIGTERM end the program within STOP_GRACE seconds in every state: the run is
 * cancelled at once where it can be (waiting for the lock, between files and passages),
 * and a run still busy after STOP_GRACE seconds (a large file being extracted, a commit)
 * is ended as a SIGKILL would end it, which the index survives by design (one atomic
 * commit per run). A second signal ends it at once. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lzs/extract.h"
#include "lzs/index.h"
#include "lzs/paths.h"
#include "lzs/schema.h"

#define EXIT_INDEX 1
#define EXIT_USAGE 2
/* Changesets kept at most: each is about the size of what its commit changed. */
#define MAX_CHANGESETS 100000
#define EXIT_SCHEMA 3      /* the index has another schema version: --rebuild replaces it */
#define EXIT_MASS_DELETE 4 /* more than half of the index would go: --allow-mass-delete */
#define EXIT_LOCKED 75     /* EX_TEMPFAIL: try again later */

/* Seconds a cancelled run has to stop by itself before the program ends regardless. */
#define STOP_GRACE 5

/* Passages Xapian buffers before merging their postings into its tables (its own default is
 * 10000 documents). Xapian keeps the buffered postings in per-term trees that every passage
 * added walks; passages are small, and with fewer of them buffered the single writer thread,
 * the bottleneck of a run, spends about a fifth less time in Xapian. The environment's
 * XAPIAN_FLUSH_THRESHOLD, when set, wins. */
#define FLUSH_THRESHOLD "2000"

/* Set by the handlers, read by the run's threads: a lock-free atomic, which a handler may set
 * whichever thread it interrupts (a volatile sig_atomic_t is only for that thread). */
static atomic_int g_signal;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the signal handlers set a lock-free atomic_int");

/* Only async-signal-safe calls here (poll, write, _exit, alarm). The message is left out
 * when stderr could not take it at once: a full pipe nobody reads may be what keeps the
 * run from stopping. */
static void say_and_exit(const char *msg, int status)
{
    struct pollfd p = {.fd = STDERR_FILENO, .events = POLLOUT};
    if (poll(&p, 1, 0) == 1 && (p.revents & POLLOUT)) {
        ssize_t w = write(STDERR_FILENO, msg, strlen(msg)); /* < PIPE_BUF: does not block */
        (void)w;
    }
    _exit(status);
}

static void on_signal(int sig)
{
    int first = atomic_load(&g_signal);
    if (first)
        say_and_exit("lzs-index: interrupted again: stopped at once; the index keeps its last "
                     "committed state\n",
                     128 + first);
    atomic_store(&g_signal, sig);
    alarm(STOP_GRACE);
}

/* Written before the handlers are installed: a handler cannot format. */
static char g_alarm_msg[160];

static void on_alarm(int alarm_sig)
{
    (void)alarm_sig;
    int sig = atomic_load(&g_signal);
    say_and_exit(g_alarm_msg, 128 + (sig ? sig : SIGTERM));
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: lzs-index [OPTION]... [CORPUS_DIR]...\n"
            "  or:  lzs-index --extract FILE\n"
            "Index the documents of CORPUS_DIR (recursively) for lanzasearch: .docx, .odt,\n"
            ".html/.htm, .md, .txt and .pdf files. One document in several of these files\n"
            "(the same reference and language) is indexed once, from the format read best\n"
            "in that order, and lists its other files. Only files whose content changed\n"
            "since the last run are indexed again; the passages of files gone from the\n"
            "corpus directories are removed. A run commits all at once: searches see the\n"
            "index before or after it, never half of it.\n"
            "\n"
            "Options:\n"
            "  -i, --index DIR    index directory (default: $LZS_INDEX_DIR, else\n"
            "                     $XDG_DATA_HOME/lanzasearch/index, else\n"
            "                     ~/.local/share/lanzasearch/index)\n"
            "  -d, --data DIR     domain data: parties, levels, synonyms (default:\n"
            "                     $LZS_DATA_DIR, else SHARE/data)\n"
            "      --rebuild      index every file again, dropping what the index holds\n"
            "      --allow-mass-delete  let the run remove more than half of the indexed\n"
            "                     documents (refused otherwise: a wrong or unmounted corpus\n"
            "                     directory would empty the index)\n"
            "      --follow-symlinks  also follow symbolic links whose target is outside the\n"
            "                     corpus directory (by default they are skipped and named)\n"
            "  -j, --jobs N       extraction threads, 1..%d (default: number of cores)\n"
            "      --wait         wait for another indexer to finish instead of failing\n"
            "      --changesets N keep the changesets of the last N commits, so that\n"
            "                     xapian-replicate ships each commit to replicas instead\n"
            "                     of copying the whole index (sets XAPIAN_MAX_CHANGESETS)\n"
            "      --shards N     also split the index into N databases (1..%d), written\n"
            "                     in parallel after each commit and published together\n"
            "                     under DIR/shards (search DIR/shards to use them); 1\n"
            "                     removes them. Default: as the index is. Another number\n"
            "                     than the index's needs --rebuild\n"
            "  -q, --quiet        no progress bar and no summary (problems still on stderr)\n"
            "      --json         print the summary as JSON on stdout\n"
            "  -x, --extract FILE\n"
            "                     print what the indexer extracts from FILE as JSON, and exit\n"
            "  -h, --help         print this help and exit\n"
            "  -V, --version      print the version and exit\n"
            "\n"
            "CORPUS_DIR defaults to $LZS_CORPUS_DIR, else SHARE/corpus (the shipped\n"
            "documents).\n"
            "Files that cannot be indexed (binary text, invalid UTF-8, empty, too large, a\n"
            "PDF without text layer or encrypted, a corrupt or oversized archive, broken\n"
            "XML, broken sidecar JSON, not a regular file such as a FIFO) are skipped with a\n"
            "message; a skipped file keeps what was indexed from it before. A NAME.meta.json\n"
            "beside NAME.ext gives metadata the document lacks. Symbolic links (to files or\n"
            "directories) are followed only inside the corpus directory.\n"
            "The index directory must be new, empty, or an index made by lzs-index (it holds\n"
            "a file named " LZS_INDEX_MARKER "); anything else is refused.\n"
            "\n"
            "Exit status: 0 the index was updated (even with skipped files); 1 the index\n"
            "could not be opened or written (a full disk: the message says how much space\n"
            "the run needs), it is not an index directory, or a corpus directory is missing;\n"
            "2 usage error; 3 the index was written with another schema version (run with\n"
            "--rebuild); 4 the run would remove more than half of the indexed documents\n"
            "(nothing was changed; run with --allow-mass-delete if that is right); 75 the\n"
            "index is locked by another indexer; 130/143 interrupted by SIGINT/SIGTERM\n"
            "(nothing of the run is committed; the program ends within %d seconds).\n"
            "\n"
            "Environment:\n"
            "  LZS_INDEX_DIR, LZS_DATA_DIR, LZS_CORPUS_DIR\n"
            "                     the defaults above\n"
            "  XAPIAN_FLUSH_THRESHOLD\n"
            "                     passages Xapian buffers before merging them into its\n"
            "                     tables (default " FLUSH_THRESHOLD ")\n"
            "\n"
            "Files:\n" LZS_SHARE_HELP
            "  SHARE/data     the domain data: Parties, articles, levels, synonyms\n"
            "  SHARE/corpus   the shipped documents\n",
            LZS_INDEX_MAX_JOBS, LZS_INDEX_MAX_SHARDS, STOP_GRACE);
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "lzs-index: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'lzs-index --help' for more information.\n");
    return EXIT_USAGE;
}

/* ---- progress bar ----------------------------------------------------------- */

typedef struct {
    int shown;
} bar_t;

static void fmt_time(double s, char *buf, size_t cap)
{
    if (s < 0 || s > 359999)
        snprintf(buf, cap, "--:--");
    else if (s >= 3600)
        snprintf(buf, cap, "%d:%02d:%02d", (int)s / 3600, (int)s / 60 % 60, (int)s % 60);
    else
        snprintf(buf, cap, "%d:%02d", (int)s / 60, (int)s % 60);
}

static void on_progress(void *ud, const lzs_index_progress_t *p)
{
    bar_t *bar = ud;
    if (p->final) {
        if (bar->shown)
            fputs("\r\033[K", stderr);
        bar->shown = 0;
        return;
    }
    double frac = p->bytes_total   ? (double)p->bytes_done / (double)p->bytes_total
                  : p->files_total ? (double)p->files_done / p->files_total
                                   : 1.0;
    double mbs = p->elapsed > 0 ? (double)p->bytes_done / 1e6 / p->elapsed : 0;
    double eta = (frac > 0.01 && p->elapsed > 0.5) ? p->elapsed * (1 - frac) / frac : -1;
    char left[32];
    fmt_time(eta, left, sizeof left);
    char cells[21];
    int full = (int)(frac * 20);
    for (int i = 0; i < 20; i++)
        cells[i] = i < full ? '#' : '.';
    cells[20] = '\0';
    fprintf(stderr, "\r\033[K[%s] %u/%u files  %u passages  %.1f MB/s  %s left", cells,
            p->files_done, p->files_total, p->passages, mbs, left);
    fflush(stderr);
    bar->shown = 1;
}

typedef struct {
    bar_t *bar;
} skipctx_t;

static void on_skip(void *ud, const char *path, const char *reason)
{
    skipctx_t *c = ud;
    if (c->bar->shown)
        fputs("\r\033[K", stderr);
    c->bar->shown = 0;
    fprintf(stderr, "lzs-index: skipped %s: %s\n", path, reason);
}

static void on_wait(void *ud, const char *index_dir)
{
    (void)ud;
    fprintf(stderr, "lzs-index: waiting for another indexer to release %s\n", index_dir);
}

/* ---- summary ------------------------------------------------------------------ */

static void print_summary(const lzs_index_summary_t *s)
{
    printf("Index %s (schema %s): %s in %.2f s with %u thread%s\n", s->index_dir,
           LZS_SCHEMA_VERSION, s->rebuilt ? "rebuilt" : "updated", s->seconds, s->jobs,
           s->jobs == 1 ? "" : "s");
    printf("  files            %u found: %u added, %u changed, %u removed, %u unchanged, "
           "%u skipped\n",
           s->files_seen, s->files_added, s->files_changed, s->files_removed, s->files_unchanged,
           s->files_skipped);
    printf("  documents        %u\n", s->documents);
    printf("  passages         %u (%u added, %u removed)\n", s->passages, s->passages_added,
           s->passages_removed);
    printf("  recommendations  %u", s->recommendations);
    const char *sep = " (";
    for (int l = LZS_LEVEL_NONE + 1; l < LZS_LEVEL_COUNT; l++) {
        if (s->recs_by_level[l] == 0)
            continue;
        printf("%s%s %u", sep, lzs_level_name((lzs_level_t)l), s->recs_by_level[l]);
        sep = ", ";
    }
    if (s->recs_by_level[LZS_LEVEL_NONE] > 0) {
        printf("%sno level %u", sep, s->recs_by_level[LZS_LEVEL_NONE]);
        sep = ", ";
    }
    printf("%s\n", sep[0] == ',' ? ")" : "");
    printf("  Parties seen     %zu", s->nparties);
    for (size_t i = 0; i < s->nparties; i++)
        printf("%s%s", i == 0 ? ": " : " ", s->parties[i]);
    printf("\n  languages        ");
    for (size_t i = 0; i < s->nlangs; i++)
        printf("%s%s", i == 0 ? "" : " ", s->langs[i]);
    printf("%s\n", s->nlangs ? "" : "none");
    printf("  phrases          %u found by their own terms", s->phrases);
    if (s->phrases_by_positions > 0)
        printf(", %u by word positions (slower) until a run with --rebuild",
               s->phrases_by_positions);
    printf("\n");
    if (s->nskipped > 0) {
        printf("  skipped files:\n");
        for (size_t i = 0; i < s->nskipped; i++)
            printf("    %s: %s\n", s->skipped[i].path, s->skipped[i].reason);
    }
}

static int do_extract(const char *data_dir, const char *file)
{
    lzs_extractor_t *ex = NULL;
    char *msg = NULL;
    lzs_status_t st = lzs_extract_open(data_dir, &ex, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "lzs-index: cannot load the domain data: %s\n",
                msg ? msg : lzs_status_str(st));
        free(msg);
        return EXIT_INDEX;
    }
    lzs_document_t *doc = NULL;
    st = lzs_extract_file(ex, file, &doc, &msg);
    if (st != LZS_OK) {
        /* The extractor's message names the file itself. */
        if (msg)
            fprintf(stderr, "lzs-index: %s\n", msg);
        else
            fprintf(stderr, "lzs-index: %s: %s\n", file, lzs_status_str(st));
        free(msg);
        lzs_extract_close(ex);
        return EXIT_INDEX;
    }
    json_t *j = lzs_document_to_json(doc);
    int rc = EXIT_INDEX;
    if (j && json_dumpf(j, stdout, JSON_INDENT(2)) == 0) {
        putchar('\n');
        rc = 0;
    } else {
        fprintf(stderr, "lzs-index: %s: cannot print the document: out of memory\n", file);
    }
    json_decref(j);
    lzs_document_free(doc);
    lzs_extract_close(ex);
    return rc;
}

static int parse_count(const char *s, long max, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 1 || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* 0 when s is a number of changesets to keep, 0..MAX_CHANGESETS. */
static int parse_changesets(const char *s)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    return errno != 0 || end == s || *end != '\0' || v < 0 || v > MAX_CHANGESETS ? -1 : 0;
}

/* What the command line asks for: the run's options and how to report. */
typedef struct {
    lzs_index_opts_t opts;
    int quiet, json;
    const char *extract; /* --extract FILE, or NULL */
} cli_t;

/* Reads the options into cli (opts initialized by the caller); optind is then the first
 * corpus directory. Returns -1 to go on, else the exit status (--help, --version, a usage
 * error). */
static int parse_args(int argc, char **argv, cli_t *cli)
{
    enum { OPT_REBUILD = 256, OPT_WAIT, OPT_JSON, OPT_MASS_DELETE, OPT_FOLLOW, OPT_CHANGESETS,
           OPT_SHARDS };
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},
        {"data", required_argument, NULL, 'd'},
        {"rebuild", no_argument, NULL, OPT_REBUILD},
        {"allow-mass-delete", no_argument, NULL, OPT_MASS_DELETE},
        {"follow-symlinks", no_argument, NULL, OPT_FOLLOW},
        {"jobs", required_argument, NULL, 'j'},
        {"wait", no_argument, NULL, OPT_WAIT},
        {"changesets", required_argument, NULL, OPT_CHANGESETS},
        {"shards", required_argument, NULL, OPT_SHARDS},
        {"quiet", no_argument, NULL, 'q'},
        {"json", no_argument, NULL, OPT_JSON},
        {"extract", required_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, ":i:d:j:qx:hV", longopts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case 'i':
            cli->opts.index_dir = optarg;
            break;
        case 'd':
            cli->opts.data_dir = optarg;
            break;
        case OPT_REBUILD:
            cli->opts.rebuild = 1;
            break;
        case OPT_MASS_DELETE:
            cli->opts.allow_mass_delete = 1;
            break;
        case OPT_FOLLOW:
            cli->opts.follow_symlinks = 1;
            break;
        case 'j':
            if (parse_count(optarg, LZS_INDEX_MAX_JOBS, &cli->opts.jobs) != 0)
                return usage_error("--jobs wants a number from 1 to 64, not '%s'", optarg);
            break;
        case OPT_WAIT:
            cli->opts.wait = 1;
            break;
        case OPT_CHANGESETS:
            /* Xapian 1.4 reads this only from the environment, when the writer opens. */
            if (parse_changesets(optarg) != 0)
                return usage_error("--changesets wants a number from 0 to %d, not '%s'",
                                   MAX_CHANGESETS, optarg);
            setenv("XAPIAN_MAX_CHANGESETS", optarg, 1);
            break;
        case OPT_SHARDS:
            if (parse_count(optarg, LZS_INDEX_MAX_SHARDS, &cli->opts.shards) != 0)
                return usage_error("--shards wants a number from 1 to %d, not '%s'",
                                   LZS_INDEX_MAX_SHARDS, optarg);
            break;
        case 'q':
            cli->quiet = 1;
            break;
        case OPT_JSON:
            cli->json = 1;
            break;
        case 'x':
            cli->extract = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("lzs-index %s (schema %s)\n", LZS_VERSION, LZS_SCHEMA_VERSION);
            return 0;
        case ':':
            return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (cli->quiet && cli->json)
        return usage_error("%s", "--quiet and --json cannot be used together");
    return -1;
}

/* Fills in the default index directory (into index_dir, cap bytes) when none was given.
 * 0, or the exit status after saying why there is none. */
static int default_index(lzs_index_opts_t *opts, char *index_dir, size_t cap)
{
    if (opts->index_dir)
        return 0;
    if (lzs_default_index_dir(index_dir, cap) != LZS_OK) {
        fprintf(stderr, "lzs-index: no index directory: give --index DIR or set "
                        "LZS_INDEX_DIR or HOME\n");
        return EXIT_USAGE;
    }
    opts->index_dir = index_dir;
    return 0;
}

/* Stops the run on SIGINT and SIGTERM (opts->cancel), and ends it at once on the alarm the
 * handler sets when the run does not stop within STOP_GRACE seconds. */
static void catch_signals(lzs_index_opts_t *opts)
{
    snprintf(g_alarm_msg, sizeof g_alarm_msg,
             "lzs-index: interrupted: the run did not stop within %d seconds and was ended at "
             "once; the index keeps its last committed state\n",
             STOP_GRACE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    opts->cancel = &g_signal;
    opts->on_wait = on_wait;
}

/* The exit status of a failed run, after printing err (may be NULL; freed). */
static int run_failed(lzs_status_t st, char *err)
{
    int sig = atomic_load(&g_signal);
    fprintf(stderr, "lzs-index: %s\n", err ? err : lzs_status_str(st));
    free(err);
    if (sig)
        return 128 + sig;
    if (st == LZS_ERR_SCHEMA)
        return EXIT_SCHEMA;
    if (st == LZS_ERR_LIMIT)
        return EXIT_MASS_DELETE;
    return st == LZS_ERR_LOCKED ? EXIT_LOCKED : EXIT_INDEX;
}

/* Prints the summary of a run as --json or --quiet ask, and frees it. The exit status. */
static int report(const cli_t *cli, lzs_index_summary_t *sum)
{
    if (cli->json) {
        json_t *j = lzs_index_summary_to_json(sum);
        if (!j || json_dumpf(j, stdout, JSON_INDENT(2)) != 0) {
            fprintf(stderr, "lzs-index: cannot print the summary: out of memory\n");
            json_decref(j);
            lzs_index_summary_free(sum);
            return EXIT_INDEX;
        }
        putchar('\n');
        json_decref(j);
    } else if (!cli->quiet) {
        print_summary(sum);
    }
    lzs_index_summary_free(sum);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "lzs-index: writing the summary: %s\n", strerror(errno));
        return EXIT_INDEX;
    }
    return 0;
}

int main(int argc, char **argv)
{
    /* Read by Xapian when the index is opened; set before any thread exists. */
    setenv("XAPIAN_FLUSH_THRESHOLD", FLUSH_THRESHOLD, 0);
    cli_t cli = {0};
    lzs_index_opts_init(&cli.opts);
    int rc = parse_args(argc, argv, &cli);
    if (rc >= 0)
        return rc;
    lzs_index_opts_t *opts = &cli.opts;
    if (cli.extract) {
        if (optind < argc)
            return usage_error("--extract takes one file, not also '%s'", argv[optind]);
        return do_extract(opts->data_dir, cli.extract);
    }

    char index_dir[4096], corpus[4096];
    rc = default_index(opts, index_dir, sizeof index_dir);
    if (rc != 0)
        return rc;
    const char *const *dirs = (const char *const *)(argv + optind);
    size_t ndirs = (size_t)(argc - optind);
    const char *one[1];
    if (ndirs == 0) {
        lzs_status_t cst = lzs_default_corpus_dir(corpus, sizeof corpus);
        if (cst != LZS_OK) {
            fprintf(stderr,
                    "lzs-index: no default corpus directory (%s: from $LZS_CORPUS_DIR or the "
                    "program's path, /proc/self/exe): give CORPUS_DIR\n",
                    lzs_status_str(cst));
            return EXIT_USAGE;
        }
        one[0] = corpus;
        dirs = one;
        ndirs = 1;
    }

    catch_signals(opts);
    bar_t bar = {0};
    skipctx_t sc = {&bar};
    opts->on_skip = on_skip;
    opts->skip_ud = &sc;
    if (!cli.quiet && !cli.json && isatty(STDERR_FILENO)) {
        opts->progress = on_progress;
        opts->progress_ud = &bar;
    }

    lzs_index_summary_t *sum = NULL;
    char *err = NULL;
    lzs_status_t st = lzs_index_run(opts, dirs, ndirs, &sum, &err);
    if (bar.shown)
        fputs("\r\033[K", stderr);
    if (st != LZS_OK)
        return run_failed(st, err);
    return report(&cli, sum);
}
