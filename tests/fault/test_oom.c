/* test_oom.c — out-of-memory loops over the tokenizer, the query parser, the whole search
 * path, the reading of stored JSON (passages, sidecars), the JSON writers and the HTML
 * reader: for N = 1, 2, 3 ... the Nth allocation fails, until a call makes fewer than N
 * allocations and so succeeds untouched. Every call that meets a failed allocation must
 * either return an error status (and no output) or succeed with exactly the result of an
 * undisturbed call; it must never crash, and under the sanitizer build never leak
 * (LeakSanitizer checks at exit). Where a call reads stored JSON the error must be
 * LZS_ERR_NOMEM: jansson 2.14's parser can lose a byte of a string when an allocation
 * fails (lex_save()), which lzs_json_parse() (lib/core/json.c) must turn into an error,
 * never altered text, a "corrupt" index or a crash. The HTML reader's errors must be
 * LZS_ERR_NOMEM too: anything else would blame the page.
 *
 * Allocations covered:
 *  - the project's C code (all of lib/ and this file): malloc, calloc, realloc, strdup,
 *    strndup, asprintf, vasprintf, redirected here at link time (-Wl,--wrap=...);
 *  - jansson, parser included: it allocates through the functions lib/core/json.c
 *    installs, which call malloc() and so come here too;
 *  - ICU, through u_setMemoryFunctions() (set before ICU's first use), except while
 *    tokenizing dictionary-segmented scripts (ICU itself crashes there, see below).
 * Leaks ICU itself makes on a failed ubrk_open() are suppressed (see below).
 * Not covered here: allocations inside libxapian and libstdc++ (operator new); those are
 * driven by test_oom_xapian.c, which replaces the process's malloc (release builds only).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>
#include <unicode/uclean.h>

#include "extract/block.h"
#include "lzs/extract.h"
#include "lzs/index.h"
#include "core/json_internal.h"
#include "lzs/model.h"
#include "lzs/search.h"
#include "lzs/text.h"
#include "oom_dump.h"
#include "search/search_internal.h"

/* ---- the failing allocator ------------------------------------------------------- */

static unsigned long g_count;   /* allocations counted since the last reset */
static unsigned long g_fail_at; /* the allocation that fails (1-based); 0: none */
/* Whether ICU's allocations count (see test_tokenize_dictionary for why not always). */
static int g_icu_counted = 1;

/* 1 when this allocation must fail. */
static int g_paused; /* set while the test itself allocates */

static int oom_now(void)
{
    if (g_paused) {
        return 0;
    }
    g_count++;
    if (g_fail_at != 0 && g_count == g_fail_at) {
        return 1;
    }
    return 0;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
int __real_vasprintf(char **out, const char *fmt, va_list ap);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __wrap_vasprintf(char **out, const char *fmt, va_list ap);
int __wrap_asprintf(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void *__wrap_malloc(size_t n)
{
    return oom_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return oom_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return oom_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return oom_now() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return oom_now() ? NULL : __real_strndup(s, n);
}

int __wrap_vasprintf(char **out, const char *fmt, va_list ap)
{
    return oom_now() ? -1 : __real_vasprintf(out, fmt, ap);
}

int __wrap_asprintf(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = __wrap_vasprintf(out, fmt, ap);
    va_end(ap);
    return rc;
}

/* jansson allocates through the functions lib/core/json_internal.h installs when the
 * program starts; they call malloc(), which is redirected here like the rest of the
 * project's calls. */

/* ICU allocates through these. */
static void *U_CALLCONV icu_alloc(const void *ctx, size_t n)
{
    (void)ctx;
    return g_icu_counted ? __wrap_malloc(n) : __real_malloc(n);
}

static void *U_CALLCONV icu_realloc(const void *ctx, void *p, size_t n)
{
    (void)ctx;
    return g_icu_counted ? __wrap_realloc(p, n) : __real_realloc(p, n);
}

static void U_CALLCONV icu_free(const void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

/* LeakSanitizer (sanitizer builds): ICU 72 leaks the half-built iterator when an
 * allocation fails inside ubrk_open() (RuleBasedBreakIterator's constructor, reached from
 * BreakIterator::buildInstance). That leak is ICU's, not the project's; nothing else is
 * suppressed. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:BreakIterator::buildInstance\n";
}

/* ICU is built without frame pointers: the full unwinder is needed for the stack of a
 * leak to show the ICU function named above. It makes every allocation several times
 * slower (test_oom took 13 minutes under ASan with it), and only test_text_create meets
 * that leak, so ctest runs test_text_create alone with it (test "test_oom_text") and the
 * other tests with fast_unwind_on_malloc=1 appended to ASAN_OPTIONS (test "test_oom",
 * TEST_OOM_SKIP=test_text_create; tests/fault/fault.cmake). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}

/* ---- the loop --------------------------------------------------------------------- */

/* One call under test: returns LZS_OK with *result (a canonical text of what it
 * produced, caller frees with free()), or an error status and *result NULL. */
typedef lzs_status_t (*call_fn)(void *ud, char **result);

#define MAX_ALLOCS 2000000ul

/* Runs call undisturbed, then with allocation 1, 2, 3 ... failing until it makes fewer
 * allocations than the one that would fail. With nomem_only, an error must be
 * LZS_ERR_NOMEM: where the call reads stored data, any other error would blame the data
 * (a "corrupt" index) for a lack of memory. */
static void oom_run(const char *what, call_fn call, void *ud, int nomem_only)
{
    char *want = NULL;
    g_fail_at = 0;
    g_count = 0;
    lzs_status_t st = call(ud, &want);
    assert_int_equal(st, LZS_OK);
    assert_non_null(want);
    unsigned long allocs = g_count, errors = 0, recovered = 0, other = 0;
    lzs_status_t other_st = LZS_OK;

    for (unsigned long n = 1; n <= MAX_ALLOCS; n++) {
        char *got = NULL;
        g_fail_at = n;
        g_count = 0;
        st = call(ud, &got);
        unsigned long made = g_count;
        g_fail_at = 0;
        if (st == LZS_OK) {
            if (made < n) {
                /* Allocation n never happened: the call is done with. */
                assert_string_equal(got, want);
                free(got);
                printf("oom: %s: %lu allocations; %lu failures gave an error, %lu were "
                       "recovered from\n",
                       what, allocs, errors, recovered);
                if (other > 0) {
                    printf("oom: %s: note: %lu of the errors were \"%s\" rather than "
                           "\"%s\"\n",
                           what, other, lzs_status_name(other_st), lzs_status_name(LZS_ERR_NOMEM));
                }
                free(want);
                return;
            }
            /* Succeeding despite the failure is fine only with the right result. */
            if (strcmp(got, want) != 0) {
                size_t at = 0;
                while (got[at] && got[at] == want[at]) {
                    at++;
                }
                size_t from = at > 60 ? at - 60 : 0;
                fail_msg("%s: allocation %lu failed and the call succeeded with a different "
                         "result; at byte %zu:\n  got:  ...%.120s\n  want: ...%.120s",
                         what, n, at, got + from, want + from);
            }
            recovered++;
        } else {
            assert_null(got);
            if (st != LZS_ERR_NOMEM && nomem_only) {
                fail_msg("%s: allocation %lu failed and the call returned \"%s\", not \"%s\"", what,
                         n, lzs_status_name(st), lzs_status_name(LZS_ERR_NOMEM));
            }
            if (st != LZS_ERR_NOMEM) {
                /* An error all the same; the caller just cannot tell it was memory. */
                other++;
                other_st = st;
            }
            errors++;
        }
        free(got);
    }
    fail_msg("%s: still allocating after %lu allocations", what, MAX_ALLOCS);
}

static void oom_loop(const char *what, call_fn call, void *ud)
{
    oom_run(what, call, ud, 0);
}

static void oom_loop_nomem(const char *what, call_fn call, void *ud)
{
    oom_run(what, call, ud, 1);
}

/* ---- fixtures ------------------------------------------------------------------------ */

typedef struct {
    char dir[4096]; /* temporary directory holding the index */
    lzs_extractor_t *ex;
    lzs_searcher_t *searcher;
    lzs_text_t *text;
    lzs_document_t *doc; /* an extracted corpus document */
    char *file;          /* that document's bytes */
    size_t filelen;
    /* A smaller corpus document with a sidecar (the loops over it read it whole). */
    char *scfile; /* its bytes */
    size_t scfilelen;
    char *sidecar; /* its sidecar's JSON text */
    char *doc_id;  /* its id in the index */
} fixture_t;

#define SC_NAME "002_fa81a545c578487e"

static fixture_t g_fx;

static char *read_corpus_file(const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", LZS_CORPUS_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    char *buf = __real_malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (buf) {
        buf[n] = '\0';
    }
    *len = n;
    return buf;
}

static int setup(void **state)
{
    (void)state;
    fixture_t *fx = &g_fx;
    char *msg = NULL;
    const char *tmp = getenv("TMPDIR");
    snprintf(fx->dir, sizeof fx->dir, "%s/lzs-oom-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(fx->dir)) {
        return -1;
    }
    char index_dir[4200];
    snprintf(index_dir, sizeof index_dir, "%s/index", fx->dir);
    lzs_index_opts_t opts;
    lzs_index_opts_init(&opts);
    opts.index_dir = index_dir;
    opts.jobs = 1;
    const char *dirs[] = {LZS_CORPUS_DIR};
    lzs_index_summary_t *sum = NULL;
    if (lzs_index_run(&opts, dirs, 1, &sum, &msg) != LZS_OK ||
        lzs_extract_open(NULL, &fx->ex, &msg) != LZS_OK ||
        lzs_searcher_open(index_dir, fx->ex, &fx->searcher, &msg) != LZS_OK ||
        lzs_text_create(&fx->text, &msg) != LZS_OK) {
        fprintf(stderr, "test_oom: set-up failed: %s\n", msg ? msg : "?");
        free(msg);
        return -1;
    }
    lzs_index_summary_free(sum);
    fx->file = read_corpus_file("004_51c1ef6eb7843b82.txt", &fx->filelen);
    if (!fx->file || lzs_extract_buffer(fx->ex, "004_51c1ef6eb7843b82.txt", fx->file, fx->filelen,
                                        NULL, &fx->doc, &msg) != LZS_OK) {
        fprintf(stderr, "test_oom: cannot extract the corpus document: %s\n", msg ? msg : "?");
        free(msg);
        return -1;
    }
    size_t sclen = 0;
    lzs_document_t *withsc = NULL;
    fx->scfile = read_corpus_file(SC_NAME ".txt", &fx->scfilelen);
    fx->sidecar = read_corpus_file(SC_NAME ".meta.json", &sclen);
    if (!fx->scfile || !fx->sidecar ||
        lzs_extract_buffer(fx->ex, SC_NAME ".txt", fx->scfile, fx->scfilelen, fx->sidecar, &withsc,
                           &msg) != LZS_OK) {
        fprintf(stderr, "test_oom: cannot extract the corpus document with its sidecar: %s\n",
                msg ? msg : "?");
        free(msg);
        return -1;
    }
    fx->doc_id = __real_strdup(withsc->id);
    lzs_document_free(withsc);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_t *fx = &g_fx;
    lzs_document_free(fx->doc);
    free(fx->file);
    free(fx->scfile);
    free(fx->sidecar);
    free(fx->doc_id);
    lzs_text_destroy(fx->text);
    lzs_searcher_close(fx->searcher);
    lzs_extract_close(fx->ex);
    if (fx->dir[0]) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
        if (system(cmd) != 0) {
            fprintf(stderr, "test_oom: could not remove %s\n", fx->dir);
        }
    }
    return 0;
}

/* ---- the calls --------------------------------------------------------------------- */

/* The JSON text of v, or NULL when any allocation failed. Caller frees with free(). */
static char *safe_dumps(const json_t *v)
{
    dumpbuf_t d;
    if (dump_json(v, &d) != 0) {
        free(d.p);
        return NULL;
    }
    return d.p;
}

/* A result text built with the real allocator (so that building it never fails). */
typedef struct {
    char *p;
    size_t n, cap;
} out_t;

static void out_put(out_t *o, const char *s)
{
    size_t len = strlen(s);
    if (o->n + len + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 1024;
        while (cap < o->n + len + 1) {
            cap *= 2;
        }
        o->p = __real_realloc(o->p, cap);
        assert_non_null(o->p);
        o->cap = cap;
    }
    memcpy(o->p + o->n, s, len + 1);
    o->n += len;
}

static lzs_status_t call_tokenize(void *ud, char **result)
{
    const char *text = ud;
    lzs_tokens_t *toks = NULL;
    *result = NULL;
    /* A fresh pipeline each time (made outside the count): a used one keeps grown scratch
     * buffers, and their growth is what the first allocations of a call exercise. */
    lzs_text_t *pipe = NULL;
    g_paused = 1;
    lzs_status_t made = lzs_text_clone(g_fx.text, &pipe);
    g_paused = 0;
    assert_int_equal(made, LZS_OK);
    lzs_status_t st = lzs_text_tokenize(pipe, text, strlen(text), &toks);
    g_paused = 1;
    lzs_text_destroy(pipe);
    g_paused = 0;
    if (st != LZS_OK) {
        assert_null(toks);
        return st;
    }
    out_t o = {0};
    out_put(&o, "");
    for (size_t i = 0; i < lzs_tokens_count(toks); i++) {
        const lzs_token_t *t = lzs_tokens_get(toks, i);
        char line[512];
        snprintf(line, sizeof line, "%zu-%zu@%u/%u %s %s\n", t->start, t->end, t->pos, t->flags,
                 t->norm, t->folded);
        out_put(&o, line);
    }
    lzs_tokens_destroy(toks);
    *result = o.p;
    return LZS_OK;
}

static lzs_status_t call_text_create(void *ud, char **result)
{
    (void)ud;
    lzs_text_t *t = NULL;
    char *msg = NULL;
    *result = NULL;
    lzs_status_t st = lzs_text_create(&t, &msg);
    free(msg);
    if (st != LZS_OK) {
        assert_null(t);
        return st;
    }
    lzs_text_destroy(t);
    *result = __real_strdup("ok");
    return LZS_OK;
}

static lzs_status_t call_parse(void *ud, char **result)
{
    const char *q = ud;
    lzs_qnode_t *node = NULL;
    lzs_search_error_t err;
    *result = NULL;
    lzs_status_t st = lzs_query_parse(q, strlen(q), &node, &err);
    if (st != LZS_OK) {
        assert_null(node);
        return st;
    }
    assert_non_null(node);
    char *d = lzs_qnode_describe(node);
    lzs_qnode_free(node);
    if (!d) {
        /* The description is built by the code under test too. */
        return LZS_ERR_NOMEM;
    }
    *result = __real_strdup(d);
    free(d);
    return LZS_OK;
}

/* The canonical form of a JSON value, dumped with the real allocator. */
static char *canonical(json_t *v)
{
    unsigned long saved = g_fail_at;
    g_fail_at = 0;
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    g_fail_at = saved;
    assert_non_null(s);
    return s;
}

static lzs_status_t call_search(void *ud, char **result)
{
    const char *q = ud;
    lzs_search_req_t req;
    lzs_search_req_init(&req);
    req.q = q;
    req.facets = LZS_FACET_ALL;
    req.size = 2; /* two hits cover the hit and snippet paths; each more adds only time */
    json_t *out = NULL;
    lzs_search_error_t err;
    *result = NULL;
    lzs_status_t st = lzs_search_run(g_fx.searcher, &req, &out, &err);
    if (st != LZS_OK) {
        assert_null(out);
        return st;
    }
    /* The time taken is the one field that differs between runs. */
    json_object_del(out, "took_ms");
    *result = canonical(out);
    json_decref(out);
    return LZS_OK;
}

static lzs_status_t call_document_json(void *ud, char **result)
{
    (void)ud;
    *result = NULL;
    json_t *j = lzs_document_to_json(g_fx.doc);
    if (!j) {
        return LZS_ERR_NOMEM;
    }
    /* The writing of the text itself is under test too. */
    char *s = safe_dumps(j);
    json_decref(j);
    if (!s) {
        return LZS_ERR_NOMEM;
    }
    *result = __real_strdup(s);
    free(s);
    return LZS_OK;
}

static lzs_status_t call_passage_json(void *ud, char **result)
{
    (void)ud;
    *result = NULL;
    out_t o = {0};
    out_put(&o, "");
    for (size_t i = 0; i < g_fx.doc->npassages; i++) {
        json_t *j = lzs_passage_to_json(&g_fx.doc->passages[i]);
        char *s = j ? safe_dumps(j) : NULL;
        json_decref(j);
        if (!s) {
            free(o.p);
            return LZS_ERR_NOMEM;
        }
        unsigned long saved = g_fail_at;
        g_fail_at = 0;
        out_put(&o, s);
        g_fail_at = saved;
        free(s);
    }
    *result = o.p;
    return LZS_OK;
}

static lzs_status_t call_extract(void *ud, char **result)
{
    (void)ud;
    lzs_document_t *doc = NULL;
    char *msg = NULL;
    *result = NULL;
    lzs_status_t st = lzs_extract_buffer(g_fx.ex, "004_51c1ef6eb7843b82.txt", g_fx.file,
                                         g_fx.filelen, NULL, &doc, &msg);
    free(msg);
    if (st != LZS_OK) {
        assert_null(doc);
        return st;
    }
    json_t *j = lzs_document_to_json(doc);
    lzs_document_free(doc);
    if (!j) {
        return LZS_ERR_NOMEM;
    }
    *result = canonical(j);
    json_decref(j);
    return LZS_OK;
}

static lzs_status_t call_extract_sidecar(void *ud, char **result)
{
    (void)ud;
    lzs_document_t *doc = NULL;
    char *msg = NULL;
    *result = NULL;
    lzs_status_t st = lzs_extract_buffer(g_fx.ex, SC_NAME ".txt", g_fx.scfile, g_fx.scfilelen,
                                         g_fx.sidecar, &doc, &msg);
    free(msg);
    if (st != LZS_OK) {
        assert_null(doc);
        return st;
    }
    json_t *j = lzs_document_to_json(doc);
    lzs_document_free(doc);
    if (!j) {
        return LZS_ERR_NOMEM;
    }
    *result = canonical(j);
    json_decref(j);
    return LZS_OK;
}

/* A stored passage as the index keeps it (long strings, escapes, non-ASCII text): each
 * string outgrows jansson's token buffer several times. */
static const char stored_passage[] =
    "{\"id\":\"T-ES(2021)31#r17\",\"doc\":{\"id\":\"T-ES(2021)31\",\"title\":\"Implementation "
    "report on the protection of children against sexual exploitation and sexual abuse "
    "facilitated by information and communication technologies\",\"lang\":\"en\","
    "\"year\":2021},\"passage\":{\"kind\":\"recommendation\",\"ordinal\":17,\"text\":\"The "
    "Lanzarote Committee requires the Parties to ensure that \\\"self-generated\\\" images "
    "and/or videos are criminalised only where\\nthey are shared against the will of the "
    "child (Article 20\\u00a71.a), in T\\u00fcrkiye, la Norvège, Ελλάδα and Україна "
    "alike.\",\"parties\":[\"all\"],\"level\":\"require\"}}";

static lzs_status_t call_json_parse(void *ud, char **result)
{
    (void)ud;
    json_t *v = NULL;
    json_error_t jerr;
    *result = NULL;
    lzs_status_t st =
        lzs_json_parse(stored_passage, strlen(stored_passage), JSON_REJECT_DUPLICATES, &jerr, &v);
    if (st != LZS_OK) {
        assert_null(v);
        if (st == LZS_ERR_NOMEM) {
            assert_string_equal(jerr.text, "out of memory");
        }
        return st;
    }
    *result = canonical(v);
    json_decref(v);
    return LZS_OK;
}

static lzs_status_t call_search_document(void *ud, char **result)
{
    (void)ud;
    json_t *out = NULL;
    lzs_search_error_t err;
    *result = NULL;
    lzs_status_t st = lzs_search_document(g_fx.searcher, g_fx.doc_id, &out, &err);
    if (st != LZS_OK) {
        assert_null(out);
        return st;
    }
    *result = canonical(out);
    json_decref(out);
    return LZS_OK;
}

/* A page that takes the HTML reader through ICU (windows-1252), lists, a table with a
 * rowspan, footnote marks and notes, and the title (no heading). */
static const char html_page[] =
    "<html><head><meta charset=\"windows-1252\"><title>Caf\xe9 report</title></head><body>"
    "<nav>Menu</nav><p>Text<sup>1</sup> and <b>co</b>-operation<sup>2</sup>.</p>"
    "<ol start=\"4\"><li>four<ul><li>nested</li></ul></li><li value=\"9\">nine</li></ol>"
    "<table><tr><td rowspan=\"2\">a</td><td colspan=\"2\">b</td></tr><tr><td>c</td></tr>"
    "</table><p><sup>1</sup> First note.</p><p>2 Second note.</p></body></html>";

static lzs_status_t call_read_html(void *ud, char **result)
{
    (void)ud;
    lzs_blocks_t bs = {0};
    char *msg = NULL;
    *result = NULL;
    lzs_status_t st = lzs_read_html(NULL, "page.html", html_page, sizeof html_page - 1, &bs, &msg);
    free(msg);
    if (st != LZS_OK) {
        assert_int_equal(bs.n, 0);
        lzs_blocks_clear(&bs);
        return st;
    }
    out_t o = {0};
    out_put(&o, "");
    for (size_t i = 0; i < bs.n; i++) {
        const lzs_block_t *b = &bs.v[i];
        char line[512];
        snprintf(line, sizeof line, "%s L%d %u,%u #%s f%x ^", lzs_block_kind_name(b->kind),
                 b->level, b->row, b->col, b->number, b->flags);
        out_put(&o, line);
        for (size_t k = 0; k < b->nmarks; k++) {
            snprintf(line, sizeof line, "%u,", b->marks[k]);
            out_put(&o, line);
        }
        out_put(&o, ": ");
        out_put(&o, b->text);
        out_put(&o, "\n");
    }
    lzs_blocks_clear(&bs);
    *result = o.p;
    return LZS_OK;
}

/* ---- tests ------------------------------------------------------------------------- */

static void test_jansson_counted(void **state)
{
    (void)state;
    /* The loops over JSON mean something only if jansson's allocations reach the failing
     * allocator. */
    g_fail_at = 0;
    g_count = 0;
    json_t *v = json_string("reaches the counter");
    assert_non_null(v);
    assert_true(g_count >= 1);
    json_decref(v);
}

static void test_json_parse(void **state)
{
    (void)state;
    oom_loop_nomem("lzs_json_parse", call_json_parse, NULL);
}

static void test_search_document(void **state)
{
    (void)state;
    oom_loop_nomem("lzs_search_document", call_search_document, NULL);
}

static void test_extract_sidecar(void **state)
{
    (void)state;
    oom_loop_nomem("lzs_extract_buffer (with sidecar)", call_extract_sidecar, NULL);
}

static void test_text_create(void **state)
{
    (void)state;
    oom_loop("lzs_text_create", call_text_create, NULL);
}

static void test_tokenize(void **state)
{
    (void)state;
    char text[] = "The Lanzarote Committee requires Türkiye and la Norvège to report on "
                  "co-operation under Article 38(2) (T-ES(2021)31_en, V-17, R I-4): "
                  "l’enfant, d'aide, children's self-generated images; Ελλάδα, Україна; "
                  "invalid \xff\xfe bytes.";
    oom_loop("lzs_text_tokenize", call_tokenize, text);
}

static void test_tokenize_dictionary(void **state)
{
    (void)state;
    /* Dictionary-segmented scripts. ICU 72's own dictionary break engine crashes when one
     * of its allocations fails (CjkBreakEngine::divideUpDictionaryRange does not check
     * the status of its UVector32), so here only the project's and jansson's allocations
     * fail; ICU's are served normally. */
    char text[] = "児童の保護 and การคุ้มครองเด็ก, 儿童性剥削 in the text";
    g_icu_counted = 0;
    oom_loop("lzs_text_tokenize (CJK, Thai)", call_tokenize, text);
    g_icu_counted = 1;
}

static void test_parse(void **state)
{
    (void)state;
    char q[] = "(child* OR enfant) AND \"circle of trust\" -online NOT "
               "party:Norway level:require year:2015..2022 article:38(2) rec:V-17 "
               "\"a closed phrase\"";
    oom_loop("lzs_query_parse", call_parse, q);
}

static void test_search(void **state)
{
    (void)state;
    char q[] = "(child* OR sexual) AND \"the Committee\" -xyzzy year:2010..2030";
    oom_loop_nomem("lzs_search_run", call_search, q);
}

static void test_search_error(void **state)
{
    (void)state;
    /* A query that fails: the error path must survive allocation failures as well. */
    char q[] = "nosuchfield:value AND child";
    lzs_search_req_t req;
    lzs_search_req_init(&req);
    req.q = q;
    for (unsigned long n = 1; n < 100000; n++) {
        json_t *out = NULL;
        lzs_search_error_t err;
        g_fail_at = n;
        g_count = 0;
        lzs_status_t st = lzs_search_run(g_fx.searcher, &req, &out, &err);
        unsigned long made = g_count;
        g_fail_at = 0;
        assert_null(out);
        assert_int_not_equal(st, LZS_OK);
        if (made < n) {
            assert_int_not_equal(st, LZS_ERR_NOMEM);
            return;
        }
    }
    fail_msg("still allocating");
}

static void test_document_json(void **state)
{
    (void)state;
    oom_loop("lzs_document_to_json + json_dumps", call_document_json, NULL);
}

static void test_passage_json(void **state)
{
    (void)state;
    oom_loop("lzs_passage_to_json + json_dumps", call_passage_json, NULL);
}

static void test_extract(void **state)
{
    (void)state;
    oom_loop("lzs_extract_buffer", call_extract, NULL);
}

/* The extractor opened on the small data folder ud; the result counts what it loaded. */
static lzs_status_t call_extract_open(void *ud, char **result)
{
    lzs_extractor_t *ex = NULL;
    char *msg = NULL;
    *result = NULL;
    lzs_status_t st = lzs_extract_open(ud, &ex, &msg);
    free(msg);
    if (st != LZS_OK) {
        assert_null(ex);
        return st;
    }
    char buf[256];
    g_paused = 1; /* the lookup of a name folds it: what is looked at, not looked up */
    snprintf(buf, sizeof buf,
             "%zu parties (%s), %zu synonym groups, %zu concepts, %zu "
             "instruments, %zu opinions, %zu languages",
             lzs_extract_party_count(ex), lzs_extract_party_code(ex, "la Norvège"),
             lzs_extract_synonym_groups(ex), lzs_extract_concepts(ex), lzs_extract_instruments(ex),
             lzs_extract_opinions(ex), lzs_extract_languages(ex));
    g_paused = 0;
    lzs_extract_close(ex);
    *result = __real_strdup(buf);
    return LZS_OK;
}

/* Writes the data file name of the folder dir. */
static void write_data(const char *dir, const char *name, const char *text)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void test_extract_open(void **state)
{
    (void)state;
    /* A line or two of every data file and every role that keeps something: the corpus's
     * data would make each of the tens of thousands of runs load it all. */
    static const char *const files[][2] = {
        {"parties.tsv", "NO\tparty\tNorway\tNorvège\tthe Kingdom of Norway\nXK\tstate\tKosovo\n"},
        {"articles.tsv", "23\tSolicitation of children\tSollicitation d'enfants\n"},
        {"levels.tsv", "en\trequire\trequires\nen\tsubject\tthe Committee\n"},
        {"synonyms.tsv", "grooming\tsolicitation\n"},
        {"stopwords.tsv", "en\tthe\tof\nfr\tle\tde\n"},
        {"anaphora.tsv", "en\tplural\tthese\nen\tplural-ending\ts\n"},
        {"doctypes.tsv", "opinion\topinion on\tavis\n@qualifier\tdraft\n"},
        {"months.tsv", "en\tjanuary\tfebruary\tmarch\tapril\tmay\tjune\tjuly\taugust\t"
                       "september\toctober\tnovember\tdecember\n"},
        {"headings.tsv", "top\tappendix\n"},
        {"hyphens.tsv", "co-operation\n"},
        {"thesaurus.tsv", "grooming\ten:grooming\tfr:pédopiégeage\n"},
        {"rounds.tsv", "r1\tlabel\tFirst round\nr1\tphrase\tfirst monitoring round\n"
                       "r1\tid\troman-number\n"},
        {"instruments.tsv", "echr\ten\tEuropean Convention on Human Rights\n"
                            "echr\tfr\tConvention européenne des droits de l'homme\n"
                            "echr\tarticle\tECHR\n"},
        {"opinions.tsv", "art23\tkind\topinion\nart23\tyear\t2015\n"
                         "art23\tcode\tT-ES(2015)04\nart23\ten\tOpinion on Article 23\n"
                         "art23\tfr\tAvis sur l'article 23\n"},
        {"words.tsv", "article\tfr\tla\nconnector-pair\tfr\tainsi que\nordinal\tfr\tème\n"},
        {"citations.tsv", "article\ten\tarticle\tart.\ninstrument\tfr\tconvention europ*\n"
                          "code-lead\ten\tsee\n"},
    };
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/data", g_fx.dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        write_data(dir, files[i][0], files[i][1]);
    /* out of memory must never pass for a malformed line */
    oom_loop_nomem("lzs_extract_open", call_extract_open, dir);
}

static void test_read_html(void **state)
{
    (void)state;
    /* libxml2's own allocations are not counted here (test_oom_xapian's allocator reaches
     * them); the reader's, its text helpers' and ICU's are. */
    oom_loop_nomem("lzs_read_html", call_read_html, NULL);
}

/* 1 when name is one of the comma-separated names of list (NULL: none). */
static int name_listed(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, name, len) == 0) {
            return 1;
        }
        p = end ? end + 1 : NULL;
    }
    return 0;
}

int main(void)
{
    /* Before anything touches ICU: its allocations go through the counter too. */
    UErrorCode uerr = U_ZERO_ERROR;
    u_setMemoryFunctions(NULL, icu_alloc, icu_realloc, icu_free, &uerr);
    if (U_FAILURE(uerr)) {
        fprintf(stderr, "test_oom: u_setMemoryFunctions: %s\n", u_errorName(uerr));
        return 1;
    }
    /* TEST_OOM_FILTER=test_search runs one test (to debug it under gdb, break in oom_now
     * when g_count == g_fail_at). */
    const char *filter = getenv("TEST_OOM_FILTER");
    if (filter && *filter) {
        cmocka_set_test_filter(filter);
    }

    const struct CMUnitTest all[] = {
        cmocka_unit_test(test_jansson_counted), cmocka_unit_test(test_text_create),
        cmocka_unit_test(test_tokenize),        cmocka_unit_test(test_tokenize_dictionary),
        cmocka_unit_test(test_parse),           cmocka_unit_test(test_search),
        cmocka_unit_test(test_search_error),    cmocka_unit_test(test_document_json),
        cmocka_unit_test(test_passage_json),    cmocka_unit_test(test_extract),
        cmocka_unit_test(test_extract_sidecar), cmocka_unit_test(test_json_parse),
        cmocka_unit_test(test_search_document), cmocka_unit_test(test_read_html),
        cmocka_unit_test(test_extract_open),
    };
    /* TEST_OOM_SKIP=name,name leaves those tests out (see __asan_default_options). */
    const char *skip = getenv("TEST_OOM_SKIP");
    struct CMUnitTest tests[sizeof all / sizeof all[0]];
    size_t n = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (!name_listed(skip, all[i].name)) {
            tests[n++] = all[i];
        }
    }
    return _cmocka_run_group_tests("test_oom", tests, n, setup, teardown);
}
