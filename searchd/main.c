/* main.c — lzs-searchd: command line, start-up and clean shutdown.
 *
 *   lzs-searchd [--index [NAME=]DIR]... [--listen ADDR:PORT] [--threads N] [--web DIR] [--data DIR]
 *               [--port-file FILE] [--max-exports N] [--max-queue-ms MS]
 *               [--max-postings N] [--max-expansion N] [--head-timeout SEC] [--base-url URL]
 *               [--max-age SEC] [--connections-per-address N] [--parallel-postings N]
 *
 * The usage text is also the source of the man page lzs-searchd(8) (packaging/, help2man):
 * its "Options:", "Environment:" and "Files:" lines become the page's sections.
 *
 * Signals are blocked in every thread and taken synchronously by the main thread, so a
 * SIGINT or SIGTERM never interrupts a worker in the middle of a request.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lzs/extract.h"
#include "lzs/paths.h"
#include "lzs/search.h"
#include "feed.h"
#include "server.h"
#include "stub.h"
#include "webfiles.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define MAX_THREADS 256
#define MAX_AGE_LIMIT (400 * 24 * 3600) /* a year and some: beyond that, a typo */

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: lzs-searchd [OPTION]...\n"
            "Serve the lanzasearch API and search page over HTTP.\n"
            "\n"
            "Options:\n"
            "  --index [NAME=]DIR  index to serve (default: $LZS_INDEX_DIR, else\n"
            "                    $XDG_DATA_HOME/lanzasearch/index, else\n"
            "                    ~/.local/share/lanzasearch/index): a directory or a\n"
            "                    Xapian stub file; given several times (at most 16), the\n"
            "                    indexes are searched as one. NAME (letters, digits, '.',\n"
            "                    '_', '-') names its collection (the collection facet and\n"
            "                    filter; default: DIR's last component)\n"
            "  --listen ADDR:PORT  address to listen on (default " DEFAULT_LISTEN ");\n"
            "                    IPv6 as [::1]:8080; port 0 picks a free port\n"
            "  --threads N       worker threads (default: number of processors)\n"
            "  --web DIR         files of the search page (default: SHARE/web)\n"
            "  --data DIR        domain data files (default: $LZS_DATA_DIR, else\n"
            "                    SHARE/data)\n"
            "  --port-file FILE  write the port listened on to FILE once ready\n"
            "  --max-exports N   exports streamed at once (default %d, at most %d); more\n"
            "                    are answered 503 busy\n"
            "  --max-queue-ms MS  answer a search, export, document or similar request\n"
            "                    503 busy, unworked, when it waited over MS milliseconds in\n"
            "                    the server's queue (default %d, at most %d; 0: never)\n"
            "  --max-postings N  refuse (400 limit) a query whose prefixes (prefix*) and OR\n"
            "                    lists are estimated to read more than N postings of the\n"
            "                    index together (default %d, at most %d; 0: no limit);\n"
            "                    other queries are never refused for their cost\n"
            "  --max-expansion N  refuse (400 limit) a query whose prefixes expand to more\n"
            "                    than N terms together (default %d, 1 to %d)\n"
            "  --head-timeout SEC  close a connection (408) whose request head, and body,\n"
            "                    have not all arrived SEC seconds after it was accepted\n"
            "                    (default %d, 1 to %d)\n"
            "  --base-url URL    absolute http(s) address of the search page, for the\n"
            "                    links of /api/feed (without it the feed answers 501)\n"
            "  --max-age SEC     answer /healthz 503 stale when the revision served was\n"
            "                    committed over SEC seconds ago (a replica that fell\n"
            "                    behind; lzs-index commits on every run), default 0: never\n"
            "  --connections-per-address N  connections one client address may hold at\n"
            "                    once; more are closed unanswered (default %d, at most %d,\n"
            "                    the daemon's total; 0: no limit per address, as behind a\n"
            "                    reverse proxy, where every client has the proxy's address)\n"
            "  --parallel-postings N  read the exact totals and facets of a query estimated\n"
            "                    to read over N postings on a second thread while its\n"
            "                    page is weighed (default %d, at most %d; 0: one thread)\n"
            "  --help            show this help and exit\n"
            "  --version         show the version and exit\n"
            "\n"
            "The API is described in api.md (docs/ of the source tree, share/doc/lanzasearch/\n"
            "once installed). Logs go to stderr; SIGINT or SIGTERM let the requests in\n"
            "flight finish and exit within %d seconds. The index is opened read-only: the\n"
            "daemon needs no right to write it, and serves each new state lzs-index commits.\n"
            "\n"
            "Exit status: 0 stopped by SIGINT or SIGTERM, or --help or --version; 1 the\n"
            "domain data could not be loaded or the address could not be listened on; 2 a\n"
            "usage error or a refused index path.\n"
            "\n"
            "Environment:\n"
            "  LZS_INDEX_DIR    the index, when --index is not given\n"
            "  LZS_DATA_DIR     the domain data, when --data is not given\n"
            "\n"
            "Files:\n" LZS_SHARE_HELP
            "  SHARE/data     the domain data: Parties, articles, levels, synonyms\n"
            "  SHARE/web      the search page\n",
            LZS_SD_MAX_EXPORTS, LZS_SD_MAX_EXPORTS_LIMIT, LZS_SD_MAX_QUEUE_MS,
            LZS_SD_MAX_QUEUE_MS_LIMIT, LZS_SEARCH_MAX_POSTINGS, LZS_SD_MAX_POSTINGS_LIMIT,
            LZS_SEARCH_MAX_WILDCARD, LZS_SD_MAX_EXPANSION_LIMIT, LZS_SD_HEAD_TIMEOUT,
            LZS_SD_HEAD_TIMEOUT_LIMIT, LZS_SD_PER_IP_LIMIT, LZS_SD_CONN_LIMIT,
            LZS_SEARCH_PARALLEL_POSTINGS, LZS_SD_MAX_POSTINGS_LIMIT, LZS_SD_GRACE_SECONDS);
}

/* Parses "ADDR:PORT", "[V6ADDR]:PORT" or ":PORT" (loopback) into addr. */
static int parse_listen(const char *s, struct sockaddr_storage *addr)
{
    char host[INET6_ADDRSTRLEN + 1];
    const char *colon;
    const char *h = s;
    size_t hlen;
    memset(addr, 0, sizeof *addr);
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return -1;
        h = s + 1;
        hlen = (size_t)(close - h);
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon)
            return -1;
        hlen = (size_t)(colon - s);
    }
    if (hlen >= sizeof host)
        return -1;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    if (hlen == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    char *end;
    errno = 0;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || port > 65535)
        return -1;
    struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
    if (s[0] != '[' && inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        return 0;
    }
    if (s[0] == '[' && inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        return 0;
    }
    return -1;
}

/* Writes the port through a temporary file and a rename, so a reader never sees half. */
static int write_port_file(const char *path, unsigned port)
{
    size_t n = strlen(path) + 8;
    char *tmp = malloc(n);
    if (!tmp)
        return -1;
    snprintf(tmp, n, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int ok = f && fprintf(f, "%u\n", port) > 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (ok && rename(tmp, path) != 0)
        ok = 0;
    if (!ok)
        unlink(tmp);
    free(tmp);
    return ok ? 0 : -1;
}

typedef struct {
    const char *index[LZS_SD_MAX_INDEXES]; /* --index, in order */
    const char *names[LZS_SD_MAX_INDEXES]; /* their NAME= (NULL: none) */
    char name_buf[LZS_SD_MAX_INDEXES][64];
    size_t nindex;
    const char *listen, *web, *data, *port_file, *base_url;
    unsigned threads;
    unsigned max_exports;  /* 0: the server's default */
    unsigned max_queue_ms; /* 0: no shedding */
    unsigned max_postings; /* 0: no limit */
    unsigned max_expansion;
    unsigned head_timeout; /* seconds */
    unsigned max_age;      /* seconds; 0: never stale */
    unsigned per_address;  /* connections from one address; 0: no limit */
    unsigned parallel;     /* lzs_searcher_set_parallel; 0: one thread */
} options_t;

/* A decimal number lo..hi (digits only: no sign, space or suffix) into *out. */
static int parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned *out)
{
    char *end;
    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* --index's value: "NAME=PATH" when what comes before the first '=' has no '/' (name gets
 * NAME), else a path (name ""); *path points into val. -1 when NAME is empty, too long or
 * has other characters than letters, digits, '.', '_' and '-'. */
static int split_name(const char *val, char name[64], const char **path)
{
    const char *eq = strchr(val, '=');
    name[0] = '\0';
    *path = val;
    if (!eq || memchr(val, '/', (size_t)(eq - val)))
        return 0;
    size_t n = (size_t)(eq - val);
    if (n == 0 || n >= 64 || eq[1] == '\0')
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = val[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return -1;
    }
    memcpy(name, val, n);
    name[n] = '\0';
    *path = eq + 1;
    return 0;
}

/* --index VAL: one more index, with its NAME= when it has one. 0, or 2 after saying what is
 * wrong. */
static int add_index(options_t *o, const char *val)
{
    if (o->nindex == LZS_SD_MAX_INDEXES) {
        fprintf(stderr, "lzs-searchd: --index given more than %d times\n", LZS_SD_MAX_INDEXES);
        return 2;
    }
    if (split_name(val, o->name_buf[o->nindex], &o->index[o->nindex]) != 0) {
        fprintf(stderr,
                "lzs-searchd: --index '%s': a NAME= before the path is 1 to 63 "
                "letters, digits, '.', '_' or '-' (write ./%s for a path with '=')\n",
                val, val);
        return 2;
    }
    o->names[o->nindex] = o->name_buf[o->nindex][0] ? o->name_buf[o->nindex] : NULL;
    o->nindex++;
    return 0;
}

/* The options that take a value: what kind each is, where it goes in options_t, and for a
 * number its range and what the error says it must be ("%s must be MUST HI, not 'VAL'"). */
typedef enum { OPT_INDEX, OPT_STRING, OPT_NUMBER, OPT_BASE_URL } opt_kind_t;

typedef struct {
    const char *name;
    opt_kind_t kind;
    size_t off; /* of the field in options_t (OPT_STRING, OPT_NUMBER, OPT_BASE_URL) */
    unsigned long lo, hi;
    const char *must;
} opt_t;

#define OPT_STR(n, f)                                                                              \
    {                                                                                              \
        n, OPT_STRING, offsetof(options_t, f), 0, 0, NULL                                          \
    }
#define OPT_NUM(n, f, lo, hi, must)                                                                \
    {                                                                                              \
        n, OPT_NUMBER, offsetof(options_t, f), lo, hi, must                                        \
    }

static const opt_t k_opts[] = {
    {"--index", OPT_INDEX, 0, 0, 0, NULL},
    OPT_STR("--listen", listen),
    OPT_NUM("--threads", threads, 1, MAX_THREADS, "1 to"),
    OPT_STR("--web", web),
    OPT_STR("--data", data),
    OPT_STR("--port-file", port_file),
    OPT_NUM("--max-exports", max_exports, 1, LZS_SD_MAX_EXPORTS_LIMIT, "1 to"),
    OPT_NUM("--max-queue-ms", max_queue_ms, 0, LZS_SD_MAX_QUEUE_MS_LIMIT,
            "a whole number of milliseconds from 0 (never shed) to"),
    OPT_NUM("--max-postings", max_postings, 0, LZS_SD_MAX_POSTINGS_LIMIT,
            "a whole number from 0 (no limit) to"),
    OPT_NUM("--head-timeout", head_timeout, 1, LZS_SD_HEAD_TIMEOUT_LIMIT,
            "a whole number of seconds from 1 to"),
    {"--base-url", OPT_BASE_URL, offsetof(options_t, base_url), 0, 0, NULL},
    OPT_NUM("--max-age", max_age, 0, MAX_AGE_LIMIT,
            "a whole number of seconds from 0 (never stale) to"),
    OPT_NUM("--max-expansion", max_expansion, 1, LZS_SD_MAX_EXPANSION_LIMIT,
            "a whole number of terms from 1 to"),
    OPT_NUM("--connections-per-address", per_address, 0, LZS_SD_CONN_LIMIT,
            "a whole number from 0 (no limit per address) to"),
    OPT_NUM("--parallel-postings", parallel, 0, LZS_SD_MAX_POSTINGS_LIMIT,
            "a whole number from 0 (one thread) to"),
};

/* Sets option opt to val. 0, or 2 after saying what is wrong. */
static int set_option(options_t *o, const opt_t *opt, const char *val)
{
    char *field = (char *)o + opt->off;
    switch (opt->kind) {
    case OPT_INDEX:
        return add_index(o, val);
    case OPT_BASE_URL:
        if (!lzs_sd_feed_base_ok(val)) {
            fprintf(stderr,
                    "lzs-searchd: --base-url must be the absolute http:// or https:// address "
                    "of the search page, without '?', '#', quotes or spaces, not '%s'\n",
                    val);
            return 2;
        }
        memcpy(field, &val, sizeof val);
        return 0;
    case OPT_STRING:
        memcpy(field, &val, sizeof val);
        return 0;
    case OPT_NUMBER:
        if (parse_uint(val, opt->lo, opt->hi, (unsigned *)(void *)field) != 0) {
            fprintf(stderr, "lzs-searchd: %s must be %s %lu, not '%s'\n", opt->name, opt->must,
                    opt->hi, val);
            return 2;
        }
        return 0;
    }
    return 2;
}

/* Returns 0 to run, 1 to exit successfully (--help, --version), 2 on a usage error. */
static int parse_args(int argc, char **argv, options_t *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 1;
        }
        if (strcmp(a, "--version") == 0) {
            printf("lzs-searchd %s (API version 1)\n", LZS_VERSION);
            return 1;
        }
        const opt_t *opt = NULL;
        const char *val = NULL;
        for (size_t k = 0; k < sizeof k_opts / sizeof k_opts[0]; k++) {
            size_t len = strlen(k_opts[k].name);
            if (strncmp(a, k_opts[k].name, len) == 0 && (a[len] == '\0' || a[len] == '=')) {
                opt = &k_opts[k];
                val = a[len] == '=' ? a + len + 1 : NULL;
            }
        }
        if (opt == NULL) {
            fprintf(stderr, "lzs-searchd: unknown option '%s' (see --help)\n", a);
            return 2;
        }
        if (!val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "lzs-searchd: option %s needs a value\n", opt->name);
                return 2;
            }
            val = argv[++i];
        }
        if (set_option(o, opt, val) != 0)
            return 2;
    }
    return 0;
}

/* The index and web directories that were not given, from their defaults (into index_buf
 * and web_buf, PATH_MAX bytes each), and as many threads as processors when --threads was
 * not given. 0, or 2 after saying what is missing. */
static int fill_defaults(options_t *o, char *index_buf, char *web_buf)
{
    if (o->nindex == 0) {
        if (lzs_default_index_dir(index_buf, PATH_MAX) != LZS_OK) {
            fprintf(stderr, "lzs-searchd: no index directory: give --index DIR\n");
            return 2;
        }
        o->index[o->nindex++] = index_buf;
    }
    if (!o->web) {
        if (lzs_default_web_dir(web_buf, PATH_MAX) != LZS_OK) {
            fprintf(stderr, "lzs-searchd: cannot find the search page from the program's "
                            "path (/proc/self/exe): give --web DIR\n");
            return 2;
        }
        o->web = web_buf;
    }
    if (!o->threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        o->threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
    }
    return 0;
}

/* The indexes and the base address of the server's configuration; base_buf (520 bytes)
 * holds the base address without its trailing '/'. */
static void fill_config(const options_t *o, lzs_sd_config_t *cfg, char *base_buf)
{
    /* links are base + "/?doc=...": one '/' whatever the option ends with */
    if (o->base_url) {
        snprintf(base_buf, 520, "%s", o->base_url);
        size_t bl = strlen(base_buf);
        while (bl > 0 && base_buf[bl - 1] == '/')
            base_buf[--bl] = '\0';
        cfg->base_url = base_buf;
    }
    cfg->index_dir = o->index[0];
    cfg->index_dirs = o->index;
    cfg->index_names = o->names;
    cfg->nindex = o->nindex;
}

/* Refuses an index that is a Xapian stub naming a program to start: 0, or 2 after saying
 * which. Before anything opens them: Xapian would start the program of a "remote :" line. */
static int check_stubs(const options_t *o)
{
    char *msg = NULL;
    for (size_t i = 0; i < o->nindex; i++) {
        if (lzs_sd_stub_check(o->index[i], &msg) != LZS_OK) {
            fprintf(stderr, "lzs-searchd: %s\n", msg ? msg : "refusing the index");
            free(msg);
            return 2;
        }
        free(msg);
        msg = NULL;
    }
    return 0;
}

/* Loads the search page's files of dir into web, warning (and serving the API only) when
 * they cannot be read or there is no index.html. */
static void load_web(lzs_sd_web_t *web, const char *dir)
{
    char *msg = NULL;
    if (lzs_sd_web_load(web, dir, stderr, &msg) != LZS_OK) {
        fprintf(stderr, "lzs-searchd: warning: %s; serving the API only\n", msg ? msg : dir);
        free(msg);
    } else if (!lzs_sd_web_find(web, "index.html")) {
        fprintf(stderr, "lzs-searchd: warning: no index.html in %s\n", dir);
    }
}

/* The passage count of the indexes into *docs (0 when they cannot be opened, which is
 * only warned about: API requests answer 503 until they can). Opened once here only to
 * report on the index; workers open their own. */
static void probe_index(const options_t *o, const lzs_extractor_t *ex, uint32_t *docs)
{
    uint64_t rev = 0;
    lzs_searcher_t *probe = NULL;
    char *msg = NULL;
    lzs_status_t st = lzs_searcher_open_named(o->index, o->names, o->nindex, ex, &probe, &msg);
    if (st == LZS_OK) {
        lzs_searcher_stats(probe, docs, &rev);
        lzs_searcher_close(probe);
    } else {
        fprintf(stderr,
                "lzs-searchd: warning: index %s%s not available (%s); API requests answer "
                "503 until it is\n",
                o->index[0], o->nindex > 1 ? " (and the others)" : "",
                msg ? msg : lzs_status_str(st));
        free(msg);
    }
}

/* Says where the server listens (the port it got) and writes --port-file. */
static void announce(const options_t *o, const lzs_sd_config_t *cfg, unsigned port, uint32_t docs)
{
    char host[INET6_ADDRSTRLEN];
    if (cfg->addr.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&cfg->addr)->sin6_addr, host,
                  sizeof host);
    else
        inet_ntop(AF_INET, &((const struct sockaddr_in *)&cfg->addr)->sin_addr, host, sizeof host);
    int v6 = cfg->addr.ss_family == AF_INET6;
    fprintf(stderr,
            "lzs-searchd: serving http://%s%s%s:%u/ (index %s%s, %u passages, %u threads)\n",
            v6 ? "[" : "", host, v6 ? "]" : "", port, o->index[0],
            o->nindex > 1 ? " and others" : "", docs, o->threads);
    if (o->port_file && write_port_file(o->port_file, port) != 0)
        fprintf(stderr, "lzs-searchd: warning: cannot write port file %s: %s\n", o->port_file,
                strerror(errno));
}

int main(int argc, char **argv)
{
    options_t o = {.listen = DEFAULT_LISTEN,
                   .max_queue_ms = LZS_SD_MAX_QUEUE_MS,
                   .max_postings = LZS_SEARCH_MAX_POSTINGS,
                   .max_expansion = LZS_SEARCH_MAX_WILDCARD,
                   .head_timeout = LZS_SD_HEAD_TIMEOUT,
                   .per_address = LZS_SD_PER_IP_LIMIT,
                   .parallel = LZS_SEARCH_PARALLEL_POSTINGS};
    char index_buf[PATH_MAX];
    lzs_sd_config_t cfg;
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc == 1 ? 0 : 2;

    memset(&cfg, 0, sizeof cfg);
    if (parse_listen(o.listen, &cfg.addr) != 0) {
        fprintf(stderr,
                "lzs-searchd: --listen '%s' is not ADDR:PORT (e.g. 127.0.0.1:8080 or "
                "[::1]:8080)\n",
                o.listen);
        return 2;
    }
    char web_buf[PATH_MAX];
    if (fill_defaults(&o, index_buf, web_buf) != 0)
        return 2;
    cfg.threads = o.threads;
    cfg.max_exports = o.max_exports;
    cfg.max_queue_ms = o.max_queue_ms;
    cfg.max_postings = o.max_postings;
    cfg.max_expansion = o.max_expansion;
    cfg.max_age = o.max_age;
    cfg.head_timeout = o.head_timeout;
    cfg.per_address = o.per_address;
    cfg.parallel_postings = o.parallel;
    char base_buf[520];
    fill_config(&o, &cfg, base_buf);
    if (check_stubs(&o) != 0)
        return 2;

    /* Blocked before any thread starts, so every worker inherits the mask. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    char *msg = NULL;
    lzs_extractor_t *ex = NULL;
    lzs_status_t st = lzs_extract_open(o.data, &ex, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "lzs-searchd: cannot load domain data: %s\n",
                msg ? msg : lzs_status_str(st));
        free(msg);
        return 1;
    }
    cfg.ex = ex;

    lzs_sd_web_t *web = malloc(sizeof *web);
    if (!web) {
        lzs_extract_close(ex);
        return 1;
    }
    load_web(web, o.web);
    cfg.web = web;

    uint32_t docs = 0;
    probe_index(&o, ex, &docs);

    lzs_sd_server_t *srv = NULL;
    st = lzs_sd_server_start(&cfg, &srv, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "lzs-searchd: %s on %s\n", msg ? msg : lzs_status_str(st), o.listen);
        free(msg);
        lzs_sd_web_free(web);
        free(web);
        lzs_extract_close(ex);
        return 1;
    }
    announce(&o, &cfg, lzs_sd_server_port(srv), docs);

    int sig = 0;
    while (sigwait(&sigs, &sig) != 0)
        ;
    fprintf(stderr, "lzs-searchd: %s received, finishing requests in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    lzs_sd_server_stop(srv);
    lzs_sd_web_free(web);
    free(web);
    lzs_extract_close(ex);
    fprintf(stderr, "lzs-searchd: stopped\n");
    return 0;
}
