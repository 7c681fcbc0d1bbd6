/* sets.c — lzs-bench-sets: what a fixed-seed set of searches finds, printed so that two
 * builds (or two index schemas) can be compared line by line.
 *
 *   lzs-bench-sets --index DIR [--seed N] [--queries N]
 *
 * Draws words from the passages of the index (the seed picks passages and words, so the
 * same index content gives the same queries whatever its schema) and builds requests of
 * several kinds from them: one word, one word in its passage's language, two words, OR,
 * NOT, a two-word phrase, a word with an inflection added ("s"), grouped by document, with
 * every facet, and "more like this" for the passage. For each request one tab-separated
 * line:
 *   kind  query  total  set  facets  read_as  top
 * where set is a hash of the sorted ids of every matching passage (lzs_search_export),
 * facets and read_as hashes of the answer's "facets" and "query" members, and top a hash
 * of the first page's ids in rank order. The collection facet names the index by its
 * directory's last component: compare indexes in directories of the same name. Two runs that must
 * find the same things agree on every column but top (the order of equal matches may move when
 * scores change). A program that prints, not a test: bench/sets_compare.sh compares two of its
 * outputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lzs/buf.h"
#include "lzs/extract.h"
#include "lzs/hash.h"
#include "lzs/search.h"
#include "rng.h"

typedef struct {
    char *text; /* the passage's text */
    char *id;   /* the passage's id */
    char lang[8];
} sample_t;

/* Arrays of sample_t and of uint64_t are built in lzs_buf_t's (the bytes of each item
 * appended): one way to grow an array. */
#define BUF_ITEMS(b, type) ((type *)(void *)(b)->data)
#define BUF_COUNT(b, type) ((b)->len / sizeof(type))

static bench_rng_t rng;

static uint64_t rnd(void)
{
    return bench_rng_next(&rng);
}

static const char *str_at(const json_t *o, const char *a, const char *b)
{
    const json_t *x = json_object_get(o, a);
    if (b)
        x = json_object_get(x, b);
    return json_is_string(x) ? json_string_value(x) : NULL;
}

static int collect_cb(void *ud, const json_t *hit)
{
    lzs_buf_t *ss = ud;
    const char *text = str_at(hit, "passage", "text");
    const char *id = str_at(hit, "id", NULL);
    const char *lang = str_at(hit, "doc", "lang");
    if (!text || !id)
        return 0;
    sample_t s;
    s.text = strdup(text);
    s.id = strdup(id);
    snprintf(s.lang, sizeof s.lang, "%s", lang ? lang : "");
    if (s.text && s.id)
        lzs_buf_append(ss, (const char *)&s, sizeof s);
    if (!s.text || !s.id || ss->failed) {
        free(s.text);
        free(s.id);
        return 1;
    }
    return 0;
}

/* Letters (and any byte of a multi-byte character) make words; the rest separates them. */
static int word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The words of text (at most cap), each a copy into out[i] of at most 63 bytes. */
static size_t split_words(const char *text, char out[][64], size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p && n < cap) {
        while (*p && !word_byte(*p))
            p++;
        const unsigned char *b = p;
        while (*p && word_byte(*p))
            p++;
        size_t len = (size_t)(p - b);
        if (len >= 2 && len < 64) {
            memcpy(out[n], b, len);
            out[n][len] = '\0';
            n++;
        }
    }
    return n;
}

static int id_cb(void *ud, const json_t *hit)
{
    lzs_buf_t *ids = ud;
    const char *id = str_at(hit, "id", NULL);
    uint64_t h = id ? lzs_hash_str(id) : 0;
    lzs_buf_append(ids, (const char *)&h, sizeof h);
    return ids->failed;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t hash_json(const json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
    uint64_t h = s ? lzs_hash_str(s) : 0;
    free(s);
    return h;
}

/* The hash of the hits' ids in rank order. */
static uint64_t hash_top(const json_t *res)
{
    uint64_t h = 0;
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(res, "hits"), i, hit)
    {
        const char *id = str_at(hit, "id", NULL);
        h = h * 1099511628211ull ^ (id ? lzs_hash_str(id) : 0);
    }
    return h;
}

/* One request: its line, or the error it gave. */
static void run_one(lzs_searcher_t *s, const char *kind, const char *q, const char *lang, int group,
                    unsigned facets)
{
    lzs_search_req_t req;
    lzs_search_req_init(&req);
    req.q = q;
    const char *langv[1] = {lang};
    if (lang && *lang) {
        req.values[LZS_F_LANG] = langv;
        req.nvalues[LZS_F_LANG] = 1;
    }
    req.group = group ? LZS_GROUP_DOCUMENT : LZS_GROUP_PASSAGE;
    req.facets = facets;
    req.snippet_chars = 60;
    lzs_search_error_t err;
    json_t *res = NULL;
    printf("%s\t%s%s%s\t", kind, q, lang && *lang ? " lang=" : "", lang && *lang ? lang : "");
    if (lzs_search_run(s, &req, &res, &err) != LZS_OK) {
        printf("error %s: %s\n", err.code, err.message);
        return;
    }
    lzs_buf_t ids = {0};
    uint32_t total = 0;
    int capped = 0;
    uint64_t set = 0;
    if (lzs_search_export(s, &req, id_cb, &ids, &total, &capped, &err) == LZS_OK) {
        if (ids.data)
            qsort(ids.data, BUF_COUNT(&ids, uint64_t), sizeof(uint64_t), cmp_u64);
        set = lzs_hash(ids.data, ids.len); /* of no bytes when nothing matches */
    }
    lzs_buf_free(&ids);
    printf("%lld\t%016llx%s\t%016llx\t%016llx\t%016llx\n",
           (long long)json_integer_value(json_object_get(res, "total")), (unsigned long long)set,
           capped ? "+" : "", (unsigned long long)hash_json(json_object_get(res, "facets")),
           (unsigned long long)hash_json(json_object_get(res, "query")),
           (unsigned long long)hash_top(res));
    json_decref(res);
}

static void run_similar(lzs_searcher_t *s, const char *id)
{
    json_t *res = NULL;
    lzs_search_error_t err;
    printf("similar\t%s\t", id);
    if (lzs_search_similar(s, id, 10, &res, &err) != LZS_OK) {
        printf("error %s: %s\n", err.code, err.message);
        return;
    }
    printf("%zu\t-\t-\t-\t%016llx\n", json_array_size(json_object_get(res, "hits")),
           (unsigned long long)hash_top(res));
    json_decref(res);
}

/* The kinds of request, in turn: the query is before, the first word, between, the second
 * word (2: the word after the first, 3: any word of the passage), after. */
typedef struct {
    const char *name;
    const char *before, *between;
    int second;
    const char *after;
    int lang; /* filtered by the passage's language */
    int group;
    unsigned facets;
    int similar; /* "more like this" for the passage instead */
} kind_t;

static const kind_t kinds[] = {
    {"word", "", "", 0, "", 0, 0, 0, 0},
    {"word+lang", "", "", 0, "", 1, 0, 0, 0},
    {"two", "", " ", 3, "", 0, 0, 0, 0},
    {"or", "", " OR ", 3, "", 0, 0, 0, 0},
    {"not", "", " -", 3, "", 0, 0, 0, 0},
    {"phrase", "\"", " ", 2, "\"", 0, 0, 0, 0},
    {"inflected", "", "", 0, "s", 0, 0, 0, 0},
    {"grouped", "", "", 0, "", 0, 1, 0, 0},
    {"facets", "", "", 0, "", 0, 0, LZS_FACET_ALL, 0},
    {"similar", "", "", 0, "", 0, 0, 0, 1},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static int usage(void)
{
    fprintf(stderr, "usage: lzs-bench-sets --index DIR [--seed N] [--queries N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *index_dir = NULL;
    unsigned long long seed = 1;
    long nq = 200;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return usage();
        if (strcmp(a, "--index") == 0)
            index_dir = v;
        else if (strcmp(a, "--seed") == 0)
            seed = strtoull(v, NULL, 10);
        else if (strcmp(a, "--queries") == 0)
            nq = strtol(v, NULL, 10);
        else
            return usage();
        i++;
    }
    if (!index_dir || nq <= 0)
        return usage();
    rng = bench_rng_seed(seed);

    lzs_extractor_t *ex = NULL;
    lzs_searcher_t *s = NULL;
    char *msg = NULL;
    if (lzs_extract_open(NULL, &ex, &msg) != LZS_OK ||
        lzs_searcher_open(index_dir, ex, &s, &msg) != LZS_OK) {
        fprintf(stderr, "lzs-bench-sets: %s\n", msg ? msg : "cannot open the index");
        free(msg);
        return 1;
    }
    /* Every passage in reading order: the same list from any schema of the same corpus. */
    lzs_buf_t ss = {0};
    lzs_search_req_t all;
    lzs_search_req_init(&all);
    all.sort = LZS_SORT_ORDER;
    lzs_search_error_t err;
    uint32_t total = 0;
    int capped = 0;
    if (lzs_search_export(s, &all, collect_cb, &ss, &total, &capped, &err) != LZS_OK ||
        ss.len == 0) {
        fprintf(stderr, "lzs-bench-sets: cannot read the passages of %s: %s\n", index_dir,
                ss.failed     ? "out of memory"
                : ss.len == 0 ? "the index has none"
                              : err.message);
        return 1;
    }
    const sample_t *samples = BUF_ITEMS(&ss, sample_t);
    size_t nsamples = BUF_COUNT(&ss, sample_t);
    static char words[4096][64];
    for (long i = 0; i < nq; i++) {
        const sample_t *p = &samples[rnd() % nsamples];
        size_t nw = split_words(p->text, words, sizeof words / sizeof words[0]);
        const kind_t *k = &kinds[(size_t)i % NKINDS];
        if (nw < 2) {
            printf("skip\t%s has fewer than 2 words\n", p->id);
            continue;
        }
        size_t a = (size_t)(rnd() % (nw - 1));
        const char *w1 = words[a], *w2 = words[a + 1];
        const char *w3 = words[rnd() % nw];
        if (k->similar) {
            run_similar(s, p->id);
            continue;
        }
        char q[256];
        snprintf(q, sizeof q, "%s%s%s%s%s", k->before, w1, k->between,
                 k->second == 2   ? w2
                 : k->second == 3 ? w3
                                  : "",
                 k->after);
        run_one(s, k->name, q, k->lang ? p->lang : NULL, k->group, k->facets);
    }
    for (size_t i = 0; i < nsamples; i++) {
        free(samples[i].text);
        free(samples[i].id);
    }
    lzs_buf_free(&ss);
    lzs_searcher_close(s);
    lzs_extract_close(ex);
    return 0;
}
