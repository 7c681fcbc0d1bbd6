/* test_oom_xapian.c — out-of-memory loops over every allocation of the process: this
 * executable defines malloc(), calloc(), realloc(), free() and the aligned allocators
 * (forwarding to glibc's __libc_* functions), so libxapian and libstdc++ (operator new),
 * ICU, jansson and the project's code all allocate here. For N = 1, 2, 3 ... the Nth
 * allocation of a call fails, until the call makes fewer than N allocations and so
 * succeeds untouched. Calls: opening the index (lzs_searcher_open()), searches (plain
 * words, a phrase, a wildcard, facets, grouped by document) with their JSON written as
 * searchd writes it, and the HTML reader (lzs_read_html(): libxml2 allocates here too).
 * Every call that meets a failed allocation must return an error status (and no output) or
 * succeed with exactly the undisturbed result, never crash, and leave as many live
 * allocations as it found: libxapian and ICU keep one-time caches, so each call runs once
 * undisturbed first, and then must free all it allocates.
 *
 * Each call opens its own searcher, so that what the index handle caches is freed with
 * it and an iteration runs the same way twice. What is known to go wrong is listed where
 * it is handled, each entry saying why:
 *  - g_leaky: library functions that leak when an allocation inside them fails. A leaking
 *    iteration runs again with every allocation's call stack recorded, and passes only if
 *    the failed allocation was made by the library inside one of them and all that is left
 *    behind was asked for by the libraries, nothing by the project;
 *  - the spare lists: functions inside which no allocation fails: Xapian's get_mset() in
 *    the phrase loop, because Xapian 1.4.22 then crashes (see test_search_phrase), and
 *    libxml2's xmlDictLookup() in the HTML loop, because libxml2 2.9.14 then silently
 *    drops what it parses (see test_read_html).
 * Any other failure fails the test: a crash, a leak of the project, a different result
 * after an error-free return (a silently altered answer), an error with a result.
 *
 * Release builds only: under ASan its allocator is the process's malloc. test_oom.c is
 * the finer test of the project's own code (all builds, with LeakSanitizer).
 *
 * TEST_OOM_FILTER=test_open runs one test; TEST_OOM_KEEP_GOING=1 reports every failing
 * iteration (with the call stack of the failed allocation) instead of stopping at the
 * first.
 */
#define _GNU_SOURCE /* dladdr1, dl_iterate_phdr, nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <execinfo.h>
#include <ftw.h>
#include <link.h>
#include <malloc.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "extract/block.h"
#include "lzs/extract.h"
#include "lzs/index.h"
#include "lzs/search.h"
#include "oom_dump.h"

/* ---- what the libraries and the project are known to do wrong ------------------------ */

/* Library functions this test needs to recognise on a call stack. */
typedef struct {
    const char *symbol; /* mangled name */
    const char *object; /* the library: its file name starts so */
    uintptr_t lo, hi;   /* the function's code, found at start-up */
} func_t;

enum { F_ICU_BUILD, F_SYNONYM_KEYS, F_GET_MSET, F_XML_NODE, F_XML_PROP, F_HTML_CTXT, NFUNCS };

static func_t g_funcs[NFUNCS] = {
    [F_ICU_BUILD] = {"_ZN6icu_7213BreakIterator13buildInstanceERKNS_6LocaleEPKcR10UErrorCode",
                     "libicuuc.so", 0, 0},
    [F_SYNONYM_KEYS] = {"_ZNK6Xapian8Database18synonym_keys_beginERKNSt7__cxx1112basic_"
                        "stringIcSt11char_traitsIcESaIcEEE",
                        "libxapian.so", 0, 0},
    [F_GET_MSET] = {"_ZNK6Xapian7Enquire8get_msetEjjjPKNS_4RSetEPKNS_12MatchDeciderE",
                    "libxapian.so", 0, 0},
    [F_XML_NODE] = {"xmlNewDocNodeEatName", "libxml2.so", 0, 0},
    [F_XML_PROP] = {"xmlNewNsPropEatName", "libxml2.so", 0, 0},
    [F_HTML_CTXT] = {"htmlNewParserCtxt", "libxml2.so", 0, 0},
};

/* Library functions that leak some of the library's allocations when an allocation
 * inside them fails. */
static const unsigned g_leaky =
    /* ICU 72 leaks the half-built iterator when an allocation fails inside ubrk_open()
     * (RuleBasedBreakIterator's constructor, reached from BreakIterator::buildInstance);
     * lzs_text_create() calls it. test_oom.c suppresses the same leak. */
    1u << F_ICU_BUILD |
    /* Xapian 1.4.22: GlassDatabase::open_synonym_keylist() leaks the table cursor it made
     * (and the blocks the cursor holds) when allocating the term list fails or its
     * constructor throws: allocation 87 of lzs_searcher_open(), which reads the synonym
     * keys, in a RelWithDebInfo build. */
    1u << F_SYNONYM_KEYS |
    /* Xapian 1.4.22: building and running the match (Enquire::Internal::get_mset(),
     * MultiMatch, the postlist tree of Query::Internal::postlist_sub_or_like(), weights
     * from BM25Weight::clone()) holds raw pointers that leak when operator new throws. */
    1u << F_GET_MSET |
    /* libxml2 2.9.14 leaves one of its allocations behind when an allocation fails inside
     * htmlNewParserCtxt() (a half-built context) or, while the HTML parser runs (which the
     * reader then stops), inside xmlNewDocNodeEatName() or xmlNewNsPropEatName() (an
     * element or an attribute being built). */
    1u << F_XML_NODE | 1u << F_XML_PROP | 1u << F_HTML_CTXT;

/* The code of the shared objects whose allocations are told apart. */
typedef struct {
    const char *name; /* file name starts so */
    uintptr_t lo[8], hi[8];
    int n;
} object_t;

enum { O_LIBSTDCXX, O_XAPIAN, O_ICU, O_LIBXML2, NOBJECTS };

static object_t g_objects[NOBJECTS] = {
    [O_LIBSTDCXX] = {"libstdc++.so", {0}, {0}, 0},
    [O_XAPIAN] = {"libxapian.so", {0}, {0}, 0},
    [O_ICU] = {"libicuuc.so", {0}, {0}, 0},
    [O_LIBXML2] = {"libxml2.so", {0}, {0}, 0},
};

static int find_objects_cb(struct dl_phdr_info *info, size_t size, void *ud)
{
    (void)size;
    (void)ud;
    const char *base = info->dlpi_name ? strrchr(info->dlpi_name, '/') : NULL;
    base = base ? base + 1 : info->dlpi_name;
    for (size_t k = 0; base && k < NOBJECTS; k++) {
        object_t *o = &g_objects[k];
        if (strncmp(base, o->name, strlen(o->name)) != 0) {
            continue;
        }
        for (int i = 0; i < info->dlpi_phnum && o->n < 8; i++) {
            const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
            if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
                o->lo[o->n] = info->dlpi_addr + ph->p_vaddr;
                o->hi[o->n] = o->lo[o->n] + ph->p_memsz;
                o->n++;
            }
        }
    }
    return 0;
}

/* Finds the code of the objects and functions above; 0 when one is missing (another
 * version of a library: its entries must be looked at again). */
static int find_code(void)
{
    dl_iterate_phdr(find_objects_cb, NULL);
    int ok = 1;
    for (size_t k = 0; k < NOBJECTS; k++) {
        if (g_objects[k].n == 0) {
            fprintf(stderr, "test_oom_xapian: %s is not loaded\n", g_objects[k].name);
            ok = 0;
        }
    }
    for (size_t k = 0; k < NFUNCS; k++) {
        void *f = dlsym(RTLD_DEFAULT, g_funcs[k].symbol);
        Dl_info info;
        const ElfW(Sym) *sym = NULL;
        if (f == NULL || dladdr1(f, &info, (void **)&sym, RTLD_DL_SYMENT) == 0 || sym == NULL) {
            fprintf(stderr, "test_oom_xapian: no function %s\n", g_funcs[k].symbol);
            ok = 0;
            continue;
        }
        g_funcs[k].lo = (uintptr_t)f;
        g_funcs[k].hi = (uintptr_t)f + sym->st_size;
    }
    return ok;
}

/* Index in g_objects of the object holding code address a, or -1. */
static int object_of(uintptr_t a)
{
    for (size_t k = 0; k < NOBJECTS; k++) {
        for (int i = 0; i < g_objects[k].n; i++) {
            if (a >= g_objects[k].lo[i] && a < g_objects[k].hi[i]) {
                return (int)k;
            }
        }
    }
    return -1;
}

/* Name of the function (in the dynamic symbol table) holding return address a, or NULL. */
static const char *function_of(void *a)
{
    Dl_info info;
    if (dladdr((char *)a - 1, &info) == 0) {
        return NULL;
    }
    return info.dli_sname;
}

static int is_allocator(const char *name)
{
    static const char *const names[] = {"malloc",        "calloc",         "realloc", "memalign",
                                        "aligned_alloc", "posix_memalign", "valloc",  "pvalloc"};
    for (size_t k = 0; name && k < sizeof names / sizeof *names; k++) {
        if (strcmp(name, names[k]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* For the allocation whose call stack is frames[0..n) (taken inside this file's
 * allocator): the object of the code that asked for it (index in g_objects; -1: this
 * executable, that is the project), and in *inside the set of g_funcs (1 << F_...) of that
 * same object the request was made in. */
static int classify(void *const *frames, int n, unsigned *inside)
{
    *inside = 0;
    /* Past the allocator (malloc, or posix_memalign and the memalign it calls) ... */
    int i = 0;
    for (int k = 0; k < n && k < 6; k++) {
        if (is_allocator(function_of(frames[k]))) {
            i = k + 1;
        }
    }
    /* ... and operator new. */
    while (i < n && object_of((uintptr_t)frames[i]) == O_LIBSTDCXX) {
        i++;
    }
    int owner = i < n ? object_of((uintptr_t)frames[i]) : -1;
    if (owner < 0) {
        return -1;
    }
    for (; i < n; i++) {
        /* A return address: the call is the instruction before it. */
        uintptr_t a = (uintptr_t)frames[i] - 1;
        for (size_t k = 0; k < NFUNCS; k++) {
            if (a >= g_funcs[k].lo && a < g_funcs[k].hi &&
                strcmp(g_funcs[k].object, g_objects[owner].name) == 0) {
                *inside |= 1u << k;
            }
        }
    }
    return owner;
}

/* Allocations seen while tracking, by the object that asked for them (index in
 * g_objects + 1; 0: the project). */
static unsigned long g_seen[NOBJECTS + 1];

/* ---- the allocator of the process ------------------------------------------------- */

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);
void *__libc_memalign(size_t align, size_t n);
void *__libc_valloc(size_t n);
void *__libc_pvalloc(size_t n);

/* Only the thread running the loop reads and writes these while armed; the indexer's
 * threads (set-up) run unarmed. */
static int g_armed;                /* count (and maybe fail) allocations */
static unsigned long g_count;      /* allocations counted since the last reset */
static unsigned long g_fail_at;    /* the allocation that fails (1-based); 0: none */
static long g_live;                /* allocations not yet freed (all threads, atomically) */
static const char *const *g_spare; /* functions inside which no allocation fails */
static unsigned long g_spared;     /* failures not made because of g_spare, since the reset */

#define FRAMES 48
static void *g_fail_frames[FRAMES]; /* call stack of the failed allocation */
static int g_fail_nframes;

/* While tracking, every allocation of the call with its call stack. */
#define TRACK_MAX 200000
typedef struct {
    void *p;
    int owner; /* see classify() */
    int nframes;
    void *frames[16];
} track_t;
static track_t *g_track; /* TRACK_MAX entries, from __libc_malloc */
static size_t g_ntrack;
static int g_tracking, g_track_overflow;

static int fail_now(void)
{
    if (!g_armed) {
        return 0;
    }
    g_count++;
    if (g_fail_at == 0 || g_count != g_fail_at) {
        return 0;
    }
    g_fail_nframes = backtrace(g_fail_frames, FRAMES);
    for (int i = 0; g_spare && i < g_fail_nframes; i++) {
        const char *f = function_of(g_fail_frames[i]);
        for (size_t k = 0; f && g_spare[k]; k++) {
            if (strcmp(f, g_spare[k]) == 0) {
                g_spared++;
                return 0;
            }
        }
    }
    return 1;
}

static void track(void *p)
{
    if (g_ntrack == TRACK_MAX) {
        g_track_overflow = 1;
        return;
    }
    void *frames[FRAMES];
    int n = backtrace(frames, FRAMES);
    track_t *t = &g_track[g_ntrack++];
    unsigned inside;
    t->p = p;
    t->owner = classify(frames, n, &inside);
    g_seen[t->owner + 1]++;
    t->nframes = n < 16 ? n : 16;
    memcpy(t->frames, frames, (size_t)t->nframes * sizeof *frames);
}

static void untrack(void *p)
{
    for (size_t i = g_ntrack; i-- > 0;) {
        if (g_track[i].p == p) {
            g_track[i] = g_track[--g_ntrack];
            return;
        }
    }
}

static void *counted(void *p)
{
    if (p != NULL) {
        __atomic_add_fetch(&g_live, 1, __ATOMIC_RELAXED);
        if (g_tracking && g_armed) {
            track(p);
        }
    }
    return p;
}

void *malloc(size_t n)
{
    return fail_now() ? NULL : counted(__libc_malloc(n));
}

void *calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : counted(__libc_calloc(n, size));
}

void *realloc(void *p, size_t n)
{
    if (p == NULL) {
        return malloc(n);
    }
    if (n == 0) {
        /* glibc frees p and returns NULL. */
        free(p);
        return NULL;
    }
    if (fail_now()) {
        return NULL;
    }
    void *q = __libc_realloc(p, n);
    if (q != NULL && q != p && g_tracking && g_armed) {
        for (size_t i = g_ntrack; i-- > 0;) {
            if (g_track[i].p == p) {
                g_track[i].p = q;
                break;
            }
        }
    }
    return q;
}

void free(void *p)
{
    if (p != NULL) {
        __atomic_sub_fetch(&g_live, 1, __ATOMIC_RELAXED);
        if (g_tracking && g_armed) {
            untrack(p);
        }
        __libc_free(p);
    }
}

void *memalign(size_t align, size_t n)
{
    return fail_now() ? NULL : counted(__libc_memalign(align, n));
}

void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (align < sizeof(void *) || (align & (align - 1)) != 0) {
        return EINVAL;
    }
    void *p = memalign(align, n);
    if (p == NULL) {
        return ENOMEM;
    }
    *out = p;
    return 0;
}

void *valloc(size_t n)
{
    return fail_now() ? NULL : counted(__libc_valloc(n));
}

void *pvalloc(size_t n)
{
    return fail_now() ? NULL : counted(__libc_pvalloc(n));
}

/* ---- results, kept outside the count ------------------------------------------------- */

/* Copies s with glibc's allocator directly: a result is not part of the call's
 * allocations. Free with __libc_free(). */
static char *keep(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = __libc_malloc(n);
    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

/* The JSON text of v as a kept result, or NULL when an allocation failed. */
static char *dump_kept(const json_t *v)
{
    dumpbuf_t d;
    char *kept = NULL;
    if (dump_json(v, &d) == 0) {
        kept = keep(d.p);
    }
    free(d.p);
    return kept;
}

/* ---- the loop --------------------------------------------------------------------- */

/* One call under test: returns LZS_OK with *result (kept: free with __libc_free()), or
 * an error status and *result NULL. It must free everything else it allocates. */
typedef lzs_status_t (*call_fn)(void *ud, char **result);

/* A call of this test makes some thousands of allocations: more means it does not end. */
#define MAX_ALLOCS 200000ul

typedef struct {
    lzs_status_t st;
    char *result;
    unsigned long made; /* allocations asked for */
    long leaked;        /* allocations left behind */
} outcome_t;

static outcome_t run_armed(call_fn call, void *ud, unsigned long fail_at)
{
    outcome_t o = {0};
    long live = __atomic_load_n(&g_live, __ATOMIC_RELAXED);
    g_count = 0;
    g_spared = 0;
    g_fail_at = fail_at;
    g_fail_nframes = 0;
    g_armed = 1;
    o.st = call(ud, &o.result);
    g_armed = 0;
    g_fail_at = 0;
    o.made = g_count;
    o.leaked = __atomic_load_n(&g_live, __ATOMIC_RELAXED) - live;
    return o;
}

static void print_frames(void *const *frames, int n)
{
    fflush(stdout);
    backtrace_symbols_fd((void *const *)frames, n, STDOUT_FILENO);
}

static int keep_going(void)
{
    const char *v = getenv("TEST_OOM_KEEP_GOING");
    return v && *v && strcmp(v, "0") != 0;
}

/* Runs the iteration again recording every allocation: 1 when its failed allocation was
 * made by a library inside one of g_leaky and all it leaves behind was asked for by the
 * libraries; otherwise prints why not and returns 0. */
static int leaks_are_known(call_fn call, void *ud, unsigned long n, long leaked)
{
    g_ntrack = 0;
    g_track_overflow = 0;
    g_tracking = 1;
    outcome_t again = run_armed(call, ud, n);
    g_tracking = 0;
    __libc_free(again.result);
    if (g_track_overflow) {
        printf("oom: more than %d allocations to follow\n", TRACK_MAX);
        return 0;
    }
    if (again.leaked != leaked || g_ntrack != (size_t)leaked) {
        printf("oom: iteration %lu left %ld allocations behind, run again %ld (%zu followed)\n", n,
               leaked, again.leaked, g_ntrack);
        return 0;
    }
    unsigned inside = 0;
    if (g_fail_nframes == 0 || classify(g_fail_frames, g_fail_nframes, &inside) < 0 ||
        (inside & g_leaky) == 0) {
        printf("oom: the failed allocation was not made by a library inside one of g_leaky\n");
        return 0;
    }
    for (size_t i = 0; i < g_ntrack; i++) {
        if (g_track[i].owner < 0) {
            printf("oom: allocation of the project left behind, made at:\n");
            print_frames(g_track[i].frames, g_track[i].nframes);
            return 0;
        }
    }
    return 1;
}

/* spare: NULL, or functions (names in the dynamic symbol table, NULL-terminated) inside
 * which no allocation fails in this loop. */
static void oom_loop(const char *what, call_fn call, void *ud, const char *const *spare)
{
    /* Undisturbed, twice: the first run fills the libraries' one-time caches, the
     * second is the reference and must free all it allocates. */
    char *got = NULL;
    assert_int_equal(call(ud, &got), LZS_OK);
    __libc_free(got);
    outcome_t ref = run_armed(call, ud, 0);
    assert_int_equal(ref.st, LZS_OK);
    assert_non_null(ref.result);
    if (ref.leaked != 0) {
        fail_msg("%s: an undisturbed call leaves %ld allocations behind", what, ref.leaked);
    }

    unsigned long errors = 0, recovered = 0, other = 0, known_leaks = 0, failures = 0;
    unsigned long spared = 0;
    lzs_status_t other_st = LZS_OK;
    g_spare = spare;
    for (unsigned long n = 1; n <= MAX_ALLOCS; n++) {
        outcome_t o = run_armed(call, ud, n);
        int done = o.st == LZS_OK && o.made < n;
        char problem[512] = "";
        if (g_spared > 0) {
            /* No allocation failed: the undisturbed result, and nothing else, is right. */
            spared++;
        }
        if (o.st == LZS_OK && (o.result == NULL || strcmp(o.result, ref.result) != 0)) {
            size_t at = 0;
            while (o.result && o.result[at] && o.result[at] == ref.result[at]) {
                at++;
            }
            size_t from = at > 60 ? at - 60 : 0;
            snprintf(problem, sizeof problem,
                     "succeeded with a different result; at byte %zu:\n  got:  ...%.120s\n"
                     "  want: ...%.120s",
                     at, o.result ? o.result + from : "(none)", ref.result + from);
        } else if (o.st != LZS_OK && o.result != NULL) {
            snprintf(problem, sizeof problem, "returned \"%s\" with a result",
                     lzs_status_name(o.st));
        } else if (o.st == LZS_ERR_INTERNAL) {
            /* "An unexpected failure (a bug)": memory running out is to be expected. */
            snprintf(problem, sizeof problem, "returned \"%s\"", lzs_status_name(o.st));
        }
        if (!problem[0] && o.leaked != 0) {
            if (leaks_are_known(call, ud, n, o.leaked)) {
                known_leaks++;
            } else {
                snprintf(problem, sizeof problem, "returned \"%s\" and left %ld allocations behind",
                         lzs_status_name(o.st), o.leaked);
            }
        }
        __libc_free(o.result);
        if (problem[0]) {
            failures++;
            if (!keep_going()) {
                g_spare = NULL;
                print_frames(g_fail_frames, g_fail_nframes);
                fail_msg("%s: allocation %lu failed (call stack above) and the call %s", what, n,
                         problem);
            }
            printf("oom: %s: allocation %lu failed and the call %s\n", what, n, problem);
            print_frames(g_fail_frames, g_fail_nframes);
        }
        if (done) {
            g_spare = NULL;
            printf("oom: %s: %lu allocations; %lu failures gave an error, %lu were "
                   "recovered from; %lu left a known leak of a library behind; %lu were not "
                   "made (spared)\n",
                   what, ref.made, errors, recovered, known_leaks, spared);
            if (other > 0) {
                printf("oom: %s: note: %lu of the errors were \"%s\" rather than \"%s\"\n", what,
                       other, lzs_status_name(other_st), lzs_status_name(LZS_ERR_NOMEM));
            }
            __libc_free(ref.result);
            if (failures > 0) {
                fail_msg("%s: %lu failing iterations", what, failures);
            }
            return;
        }
        if (g_spared > 0) {
            continue;
        }
        if (o.st == LZS_OK) {
            recovered++;
        } else {
            errors++;
            if (o.st != LZS_ERR_NOMEM) {
                other++;
                other_st = o.st;
            }
        }
    }
    g_spare = NULL;
    fail_msg("%s: still allocating after %lu allocations", what, MAX_ALLOCS);
}

/* ---- fixture ------------------------------------------------------------------------- */

static char g_tmp[4096];
static char g_index[4200];
static lzs_extractor_t *g_ex;

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    (void)state;
    char *msg = NULL;
    const char *tmp = getenv("TMPDIR");
    snprintf(g_tmp, sizeof g_tmp, "%s/lzs-oomx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_tmp)) {
        return -1;
    }
    snprintf(g_index, sizeof g_index, "%s/index", g_tmp);
    lzs_index_opts_t opts;
    lzs_index_opts_init(&opts);
    opts.index_dir = g_index;
    opts.jobs = 1;
    const char *dirs[] = {LZS_CORPUS_DIR};
    lzs_index_summary_t *sum = NULL;
    if (lzs_index_run(&opts, dirs, 1, &sum, &msg) != LZS_OK ||
        lzs_extract_open(NULL, &g_ex, &msg) != LZS_OK) {
        fprintf(stderr, "test_oom_xapian: set-up failed: %s\n", msg ? msg : "?");
        free(msg);
        return -1;
    }
    lzs_index_summary_free(sum);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lzs_extract_close(g_ex);
    if (g_tmp[0]) {
        nftw(g_tmp, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    }
    return 0;
}

/* ---- the calls --------------------------------------------------------------------- */

static lzs_status_t call_open(void *ud, char **result)
{
    (void)ud;
    lzs_searcher_t *s = NULL;
    char *msg = NULL;
    *result = NULL;
    lzs_status_t st = lzs_searcher_open(g_index, g_ex, &s, &msg);
    free(msg);
    if (st != LZS_OK) {
        assert_null(s);
        return st;
    }
    uint32_t docs = 0;
    uint64_t rev = 0;
    st = lzs_searcher_stats(s, &docs, &rev);
    lzs_searcher_close(s);
    if (st != LZS_OK) {
        return st;
    }
    char text[64];
    snprintf(text, sizeof text, "%u passages, revision %llu", docs, (unsigned long long)rev);
    *result = keep(text);
    return LZS_OK;
}

typedef struct {
    const char *q;
    unsigned facets;
    lzs_group_t group;
} search_t;

static lzs_status_t call_search(void *ud, char **result)
{
    const search_t *sr = ud;
    lzs_search_req_t req;
    lzs_search_req_init(&req);
    req.q = sr->q;
    req.facets = sr->facets;
    req.group = sr->group;
    req.size = 3;
    json_t *out = NULL;
    lzs_search_error_t err;
    *result = NULL;
    lzs_searcher_t *s = NULL;
    char *msg = NULL;
    lzs_status_t st = lzs_searcher_open(g_index, g_ex, &s, &msg);
    free(msg);
    if (st != LZS_OK) {
        return st;
    }
    st = lzs_search_run(s, &req, &out, &err);
    lzs_searcher_close(s);
    if (st != LZS_OK) {
        assert_null(out);
        return st;
    }
    /* The time taken is the one field that differs between runs. */
    json_object_del(out, "took_ms");
    *result = dump_kept(out);
    json_decref(out);
    return *result ? LZS_OK : LZS_ERR_NOMEM;
}

/* A page that takes the HTML reader through libxml2's parser and tree, ICU
 * (windows-1252), lists, a table, footnotes and the title (no heading). */
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
    char text[4096];
    size_t n = 0;
    text[0] = '\0';
    for (size_t i = 0; i < bs.n && n < sizeof text; i++) {
        const lzs_block_t *b = &bs.v[i];
        n += (size_t)snprintf(text + n, sizeof text - n, "%s L%d %u,%u #%s f%x ^%zu: %s\n",
                              lzs_block_kind_name(b->kind), b->level, b->row, b->col, b->number,
                              b->flags, b->nmarks, b->text);
    }
    lzs_blocks_clear(&bs);
    *result = keep(text);
    return *result ? LZS_OK : LZS_ERR_NOMEM;
}

/* ---- tests ------------------------------------------------------------------------- */

static void test_allocator_replaced(void **state)
{
    (void)state;
    /* The loops mean something only if the libraries allocate here: libxapian through
     * operator new, ICU and the project's code. */
    memset(g_seen, 0, sizeof g_seen);
    g_ntrack = 0;
    g_tracking = 1;
    outcome_t o = run_armed(call_open, NULL, 0);
    g_tracking = 0;
    assert_int_equal(o.st, LZS_OK);
    __libc_free(o.result);
    assert_int_equal(o.leaked, 0);
    printf("oom: lzs_searcher_open: allocations asked for by libxapian %lu, ICU %lu, the "
           "project %lu\n",
           g_seen[O_XAPIAN + 1], g_seen[O_ICU + 1], g_seen[0]);
    assert_true(g_seen[0] > 0);
    assert_true(g_seen[O_XAPIAN + 1] > 0);
    assert_true(g_seen[O_ICU + 1] > 0);
}

static void test_open(void **state)
{
    (void)state;
    oom_loop("lzs_searcher_open", call_open, NULL, NULL);
}

static void test_search_words(void **state)
{
    (void)state;
    /* "sexual exploitation" is a term of the thesaurus: the search also looks for the
     * phrase "exploitation sexuelle", and matching a phrase meets the crash of Xapian
     * 1.4.22 described below (test_search_phrase); no allocation inside get_mset fails
     * here either. The words alone, without a thesaurus term, follow. */
    static const char *const spare[] = {
        "_ZNK6Xapian7Enquire8get_msetEjjjPKNS_4RSetEPKNS_12MatchDeciderE", NULL};
    search_t sr = {"sexual exploitation of children", 0, LZS_GROUP_PASSAGE};
    oom_loop("lzs_search_run (words and a thesaurus term)", call_search, &sr, spare);
    search_t plain = {"exploitation of children", 0, LZS_GROUP_PASSAGE};
    oom_loop("lzs_search_run (words)", call_search, &plain, NULL);
}

static void test_search_phrase(void **state)
{
    (void)state;
    search_t sr = {"\"Lanzarote Committee\"", 0, LZS_GROUP_PASSAGE};
    /* Xapian 1.4.22 crashes (SIGSEGV) when an allocation fails while a phrase is being
     * matched: AndContext::postlist() (queryinternal.cc) hands its postlists to a
     * MultiAndPostList, then wraps that in an ExactPhrasePostList; when that operator new
     * throws, AndContext::PosFilter::postlist() deletes the MultiAndPostList, postlists
     * included, and AndContext's destructor deletes the postlists again (allocation 186 of
     * this search in a RelWithDebInfo build). So no allocation inside Enquire::get_mset()
     * fails here (there is no project callback inside it for this search); the other
     * searches fail them. */
    static const char *const spare[] = {
        "_ZNK6Xapian7Enquire8get_msetEjjjPKNS_4RSetEPKNS_12MatchDeciderE", NULL};
    oom_loop("lzs_search_run (phrase)", call_search, &sr, spare);
}

static void test_search_wildcard(void **state)
{
    (void)state;
    search_t sr = {"protect*", 0, LZS_GROUP_PASSAGE};
    oom_loop("lzs_search_run (wildcard)", call_search, &sr, NULL);
}

static void test_search_facets(void **state)
{
    (void)state;
    search_t sr = {"children", LZS_FACET_ALL, LZS_GROUP_PASSAGE};
    oom_loop("lzs_search_run (facets)", call_search, &sr, NULL);
}

static void test_search_grouped(void **state)
{
    (void)state;
    search_t sr = {"convention", 0, LZS_GROUP_DOCUMENT};
    oom_loop("lzs_search_run (grouped by document)", call_search, &sr, NULL);
}

static void test_read_html(void **state)
{
    (void)state;
    /* libxml2 2.9.14 takes a name its dictionary failed to store (xmlDictLookup() returning
     * NULL) for a malformed one: it drops the attribute or element and tells no one, not
     * even its process-wide handler, so the reader cannot see it (allocation 108 of this
     * call: the value="9" of an item is lost and the item reads "5."). No allocation
     * fails inside xmlDictLookup() here; every other one of libxml2's does. */
    static const char *const spare[] = {"xmlDictLookup", NULL};
    oom_loop("lzs_read_html", call_read_html, NULL, spare);
}

int main(void)
{
    /* backtrace() loads the unwinder on its first call: not inside a call under test. */
    void *frame[1];
    backtrace(frame, 1);
    g_track = __libc_malloc(TRACK_MAX * sizeof *g_track);
    if (g_track == NULL || !find_code()) {
        return 1;
    }
    const char *filter = getenv("TEST_OOM_FILTER");
    if (filter && *filter) {
        cmocka_set_test_filter(filter);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allocator_replaced), cmocka_unit_test(test_open),
        cmocka_unit_test(test_search_words),       cmocka_unit_test(test_search_phrase),
        cmocka_unit_test(test_search_wildcard),    cmocka_unit_test(test_search_facets),
        cmocka_unit_test(test_search_grouped),     cmocka_unit_test(test_read_html),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    __libc_free(g_track);
    return rc;
}
