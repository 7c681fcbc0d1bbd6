/* search.c — the searcher: opening an index, running requests, building answers
 * (hits, exact totals, facet counts with labels, spelling suggestions), documents,
 * "more like this" and exports.
 *
 * Totals and facets are exact: the page comes from a weighted match that may stop early,
 * and the counts from a boolean match of every matching passage, counted over the facet
 * columns of the revision searched (columns.c); the counts of a filter-only request are
 * kept per revision. One hit per document collapses on the document id; the number of
 * matching passages of each document comes from the document id column over the same
 * match set, so it is exact too (Xapian's collapse count is only a lower bound).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json_internal.h"
#include "lzs/schema.h"
#include "columns_internal.h"
#include "search_internal.h"

#define EXPORT_PAGE 1000

/* Sets o[key] = v, stealing the reference to v (released on failure too). A missing object
 * or value counts as an allocation failure, so no field is ever silently left out. */
static lzs_status_t put(json_t *o, const char *key, json_t *v)
{
    if (!o) {
        json_decref(v);
        return LZS_ERR_NOMEM;
    }
    return json_object_set_new(o, key, v) == 0 ? LZS_OK : LZS_ERR_NOMEM;
}

/* Appends v to array a, stealing the reference to v. */
static lzs_status_t append(json_t *a, json_t *v)
{
    if (!a) {
        json_decref(v);
        return LZS_ERR_NOMEM;
    }
    return json_array_append_new(a, v) == 0 ? LZS_OK : LZS_ERR_NOMEM;
}

static const char *const field_names[LZS_F_COUNT] = {"party", "addressee", "article",   "year",
                                                     "level", "type",      "lang",      "ref",
                                                     "rec",   "cites",     "instrument"};

const char *lzs_search_field_name(lzs_field_t f)
{
    if ((int)f < 0 || f >= LZS_F_COUNT)
        return "";
    return field_names[f];
}

int lzs_search_field_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < LZS_F_COUNT; i++)
        if (strcmp(field_names[i], name) == 0)
            return i;
    return -1;
}

void lzs_search_req_init(lzs_search_req_t *req)
{
    memset(req, 0, sizeof *req);
    req->size = 10;
    req->sort = LZS_SORT_RELEVANCE;
    req->group = LZS_GROUP_PASSAGE;
    req->snippet_chars = 240;
}

/* ---- opening ----------------------------------------------------------------------- */

static int syn_key_cb(void *ud, const char *term, size_t termlen, uint32_t freq)
{
    (void)freq;
    lzs_searcher_t *s = ud;
    if (lzs_sset_add(&s->syn_keys, term, termlen) != LZS_OK)
        return 1;
    size_t words = 1;
    for (size_t i = 0; i < termlen; i++)
        if (term[i] == ' ')
            words++;
    if (words > s->syn_max_words)
        s->syn_max_words = words;
    return 0;
}

/* Adds to set the '\n'-separated keys of list that are in only (NULL: every key). */
static lzs_status_t add_listed(lzs_sset_t *set, const char *list, const lzs_sset_t *only)
{
    lzs_status_t st = LZS_OK;
    for (const char *p = list; *p && st == LZS_OK;) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l > 0 && (!only || lzs_sset_has(only, p, l)))
            st = lzs_sset_add(set, p, l);
        p = e ? e + 1 : p + l;
    }
    return st;
}

/* The phrases whose terms every passage has: those LZS_META_PHRASES lists in every
 * sub-database (Xapian reads the metadata of the first only, so each is read alone). A
 * sub-database without the list (written by an older program, or empty), or whose list
 * cannot be read now (a remote one out of reach, which the search itself will report),
 * has none: phrases are then read by positions, which always holds. */
static lzs_status_t load_phrase_keys(lzs_searcher_t *s)
{
    lzs_sset_clear(&s->phrase_keys);
    size_t n = lzs_xdb_subcount(s->db);
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        lzs_xdb_t *sub = NULL;
        char *list = NULL;
        size_t len = 0;
        st = n == 1 ? LZS_OK : lzs_xdb_sub_open(s->db, i, &sub);
        if (st == LZS_OK)
            st = lzs_xdb_metadata_get(sub ? sub : s->db, LZS_META_PHRASES, &list, &len);
        lzs_xdb_close(sub);
        if (st == LZS_OK) {
            lzs_sset_t next = {0};
            st = add_listed(&next, list, i == 0 ? NULL : &s->phrase_keys);
            lzs_sset_clear(&s->phrase_keys);
            s->phrase_keys = next;
        } else if (st != LZS_ERR_NOMEM) {
            lzs_sset_clear(&s->phrase_keys);
            st = LZS_OK;
            i = n; /* none in all */
        }
        free(list);
    }
    if (st != LZS_OK)
        lzs_sset_clear(&s->phrase_keys);
    return st;
}

/* Reads what the searcher caches about the index: size, languages, synonym keys. */
static lzs_status_t load_meta(lzs_searcher_t *s)
{
    lzs_status_t st = lzs_xdb_doccount(s->db, &s->doccount);
    if (st != LZS_OK)
        return st;
    s->nlangs = 0;
    char *langs = NULL;
    size_t len = 0;
    /* Absent: an index of no language yet. Any other failure (out of memory) must not
     * leave a searcher that silently searches without stemming. */
    st = lzs_xdb_metadata_get(s->db, LZS_META_LANGS, &langs, &len);
    if (st == LZS_ERR_NOT_FOUND)
        st = LZS_OK;
    else if (st != LZS_OK)
        return st;
    if (langs) {
        char *save = NULL;
        for (char *tok = strtok_r(langs, " ,", &save);
             tok && s->nlangs < LZS_SEARCH_MAX_LANGS && st == LZS_OK;
             tok = strtok_r(NULL, " ,", &save)) {
            if (strlen(tok) >= sizeof s->langs[0])
                continue;
            strcpy(s->langs[s->nlangs], tok);
            const char *stem = NULL;
            lzs_status_t sst = lzs_text_stem(s->text, tok, "a", &stem);
            if (sst == LZS_OK || sst == LZS_ERR_NOT_FOUND) /* not found: no stemmer */
                s->lang_stems[s->nlangs++] = sst == LZS_OK;
            else
                st = sst;
        }
        free(langs);
        if (st != LZS_OK)
            return st;
    }
    st = load_phrase_keys(s);
    if (st != LZS_OK)
        return st;
    lzs_sset_clear(&s->syn_keys);
    s->syn_max_words = 0;
    return lzs_xdb_synonym_keys(s->db, "", syn_key_cb, s);
}

static int thes_cmp(const void *a, const void *b)
{
    return strcmp(((const lzs_thes_entry_t *)a)->key, ((const lzs_thes_entry_t *)b)->key);
}

static void thes_free(lzs_searcher_t *s)
{
    for (size_t i = 0; i < s->nthes; i++)
        free(s->thes[i].key);
    free(s->thes);
    s->thes = NULL;
    s->nthes = 0;
}

/* The thesaurus of the domain data by the keys its terms have in a query: read once, the
 * data does not change while the searcher lives. */
static lzs_status_t load_thesaurus(lzs_searcher_t *s)
{
    size_t n = 0;
    for (size_t c = 0; c < lzs_extract_concepts(s->ex); c++)
        n += lzs_extract_concept_size(s->ex, c);
    if (n == 0)
        return LZS_OK;
    s->thes = calloc(n, sizeof *s->thes);
    if (!s->thes)
        return LZS_ERR_NOMEM;
    lzs_status_t st = LZS_OK;
    for (size_t c = 0; c < lzs_extract_concepts(s->ex) && st == LZS_OK; c++) {
        for (size_t i = 0; i < lzs_extract_concept_size(s->ex, c) && st == LZS_OK; i++) {
            const char *t = lzs_extract_concept_term(s->ex, c, i, NULL);
            char *key = NULL;
            st = lzs_text_phrase_key(s->text, t, strlen(t), &key);
            if (st != LZS_OK)
                break;
            if (!*key) {
                free(key);
                continue;
            }
            size_t words = 1;
            for (const char *p = key; *p; p++)
                words += *p == ' ';
            if (words > s->thes_max_words)
                s->thes_max_words = words;
            s->thes[s->nthes].key = key;
            s->thes[s->nthes].concept = c;
            s->thes[s->nthes].term = i;
            s->nthes++;
        }
    }
    if (st != LZS_OK) {
        thes_free(s);
        return st;
    }
    qsort(s->thes, s->nthes, sizeof *s->thes, thes_cmp);
    return LZS_OK;
}

size_t lzs_thes_find(const lzs_searcher_t *s, const char *key, size_t *first)
{
    size_t lo = 0, hi = s->nthes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->thes[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    while (lo + n < s->nthes && strcmp(s->thes[lo + n].key, key) == 0)
        n++;
    *first = lo;
    return n;
}

/* "<what> <dir>[: <why>]": caller frees with free(). */
static char *dupmsg(const char *what, const char *dir, const char *why)
{
    size_t n = strlen(what) + strlen(dir) + (why ? strlen(why) : 0) + 8;
    char *m = malloc(n);
    if (m)
        snprintf(m, n, "%s %s%s%s", what, dir, why ? ": " : "", why ? why : "");
    return m;
}

lzs_status_t lzs_searcher_open(const char *index_dir, const lzs_extractor_t *ex,
                               lzs_searcher_t **out, char **errmsg)
{
    return lzs_searcher_open_many(&index_dir, 1, ex, out, errmsg);
}

lzs_status_t lzs_searcher_open_many(const char *const *dirs, size_t ndirs,
                                    const lzs_extractor_t *ex, lzs_searcher_t **out, char **errmsg)
{
    return lzs_searcher_open_named(dirs, NULL, ndirs, ex, out, errmsg);
}

lzs_status_t lzs_searcher_open_named(const char *const *dirs, const char *const *names,
                                     size_t ndirs, const lzs_extractor_t *ex, lzs_searcher_t **out,
                                     char **errmsg)
{
    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    const char *index_dir = dirs && ndirs > 0 ? dirs[0] : NULL;
    if (!index_dir || !ex) {
        if (errmsg)
            *errmsg = strdup("no index directory or no domain data given");
        return LZS_ERR_INVALID;
    }
    lzs_searcher_t *s = calloc(1, sizeof *s);
    if (!s)
        return LZS_ERR_NOMEM;
    s->generation = 1;
    s->ex = ex;
    s->max_postings = LZS_SEARCH_MAX_POSTINGS;
    s->max_expansion = LZS_SEARCH_MAX_WILDCARD;
    s->parallel = LZS_SEARCH_PARALLEL_POSTINGS;
    s->dir = strdup(index_dir);
    char *xmsg = NULL;
    lzs_status_t st = s->dir ? LZS_OK : LZS_ERR_NOMEM;
    if (st == LZS_OK)
        st = lzs_xdb_open_named(dirs, names, ndirs, &s->db, &xmsg);
    if (st != LZS_OK) {
        if (errmsg)
            *errmsg = st == LZS_ERR_NOT_FOUND
                          ? dupmsg("no index at", index_dir, "run lzs-index first")
                          : dupmsg("cannot open the index at", index_dir,
                                   xmsg ? xmsg : lzs_status_str(st));
        free(xmsg);
        lzs_searcher_close(s);
        return st;
    }
    /* The boolean match of a phrase with its term reads the term, not positions: the indexer
     * gives it only where the phrase is (lib/index/phrases.c). */
    st = lzs_xdb_set_phrase_prefix(s->db, LZS_PFX_PHRASE);
    /* Every sub-database alone: Xapian's metadata calls below read the first only. */
    if (st == LZS_OK)
        st = lzs_search_check_each(s->db, errmsg);
    if (st != LZS_OK) {
        lzs_searcher_close(s);
        return st;
    }
    char *schema = NULL;
    size_t slen = 0;
    uint32_t ndocs = 0;
    st = lzs_xdb_metadata_get(s->db, LZS_META_SCHEMA, &schema, &slen);
    if (st == LZS_ERR_NOT_FOUND && lzs_xdb_doccount(s->db, &ndocs) == LZS_OK && ndocs == 0) {
        /* An indexer created the database but no run of it has committed yet. */
        if (errmsg)
            *errmsg = dupmsg("the index is empty at", index_dir,
                             "no indexer run has finished yet: run lzs-index");
        lzs_searcher_close(s);
        return LZS_ERR_NOT_FOUND;
    }
    if (st != LZS_OK && st != LZS_ERR_NOT_FOUND) {
        /* Not a question of versions: out of memory, a damaged index. */
        if (errmsg)
            *errmsg = dupmsg("cannot read the schema version of the index at", index_dir,
                             lzs_xdb_errmsg(s->db)[0] ? lzs_xdb_errmsg(s->db) : lzs_status_str(st));
        free(schema);
        lzs_searcher_close(s);
        return st;
    }
    if (st != LZS_OK || strcmp(schema, LZS_SCHEMA_VERSION) != 0) {
        if (errmsg) {
            char buf[512];
            snprintf(buf, sizeof buf,
                     "the index at %s has schema version %s; this program reads version %s: "
                     "rebuild it with lzs-index",
                     index_dir, schema ? schema : "(none)", LZS_SCHEMA_VERSION);
            *errmsg = strdup(buf);
        }
        free(schema);
        lzs_searcher_close(s);
        return LZS_ERR_SCHEMA;
    }
    free(schema);
    st = lzs_text_create(&s->text, &xmsg);
    if (st == LZS_OK)
        st = load_thesaurus(s);
    if (st == LZS_OK)
        st = load_meta(s);
    if (st != LZS_OK) {
        if (errmsg)
            *errmsg =
                dupmsg("cannot prepare searching", index_dir, xmsg ? xmsg : lzs_status_str(st));
        free(xmsg);
        lzs_searcher_close(s);
        return st;
    }
    *out = s;
    return LZS_OK;
}

void lzs_searcher_close(lzs_searcher_t *s)
{
    if (!s)
        return;
    lzs_search_release_cols(s);
    lzs_xdb_close(s->twin);
    lzs_xdb_close(s->db);
    lzs_text_destroy(s->text);
    lzs_sset_clear(&s->syn_keys);
    lzs_sset_clear(&s->phrase_keys);
    thes_free(s);
    free(s->dir);
    free(s);
}

void lzs_searcher_set_max_postings(lzs_searcher_t *s, uint64_t max)
{
    if (s)
        s->max_postings = max;
}

void lzs_searcher_set_max_expansion(lzs_searcher_t *s, uint32_t max)
{
    if (s)
        s->max_expansion = max;
}

void lzs_searcher_set_parallel(lzs_searcher_t *s, uint64_t min_postings)
{
    if (s)
        s->parallel = min_postings;
}

lzs_status_t lzs_searcher_reopen(lzs_searcher_t *s)
{
    int changed = 0;
    lzs_status_t st = lzs_xdb_reopen(s->db, &changed);
    if (st != LZS_OK)
        return st;
    if (changed)
        s->generation++;
    return changed ? load_meta(s) : LZS_OK;
}

lzs_status_t lzs_searcher_stats(lzs_searcher_t *s, uint32_t *doccount, uint64_t *revision)
{
    lzs_status_t st = LZS_OK;
    if (doccount)
        st = lzs_xdb_doccount(s->db, doccount);
    if (st == LZS_OK && revision) {
        st = lzs_xdb_revision(s->db, revision);
        if (st == LZS_ERR_UNSUPPORTED) /* a remote first database: no revision to report */
            st = LZS_OK;
    }
    return st;
}

size_t lzs_searcher_collections(const lzs_searcher_t *s)
{
    return s ? lzs_xdb_subcount(s->db) : 0;
}

lzs_status_t lzs_searcher_collection(lzs_searcher_t *s, size_t i, const char **name,
                                     uint64_t *revision, int *known)
{
    *name = NULL;
    *revision = 0;
    *known = 0;
    if (!s || i >= lzs_xdb_subcount(s->db))
        return LZS_ERR_INVALID;
    *name = lzs_xdb_sub_name(s->db, i);
    lzs_status_t st = lzs_xdb_sub_revision(s->db, i, revision);
    if (st == LZS_ERR_UNSUPPORTED)
        return LZS_OK;
    *known = st == LZS_OK;
    return st;
}

size_t lzs_searcher_column_bytes(const lzs_searcher_t *s)
{
    return s ? lzs_cols_bytes(s->cols) : 0;
}

lzs_status_t lzs_searcher_committed(lzs_searcher_t *s, int64_t *when)
{
    char *v = NULL;
    size_t len = 0;
    *when = 0;
    lzs_status_t st = lzs_xdb_metadata_get(s->db, LZS_META_COMMITTED, &v, &len);
    if (st != LZS_OK)
        return st;
    char *end = NULL;
    long long t = strtoll(v, &end, 10);
    st = end == v || *end != '\0' ? LZS_ERR_CORRUPT : LZS_OK;
    free(v);
    if (st == LZS_OK)
        *when = (int64_t)t;
    return st;
}

/* ---- labels ------------------------------------------------------------------------ */

const char *lzs_search_lang_label(const char *code)
{
    static const struct {
        const char *code, *name;
    } names[] = {{"en", "English"}, {"fr", "French"},  {"de", "German"},
                 {"it", "Italian"}, {"es", "Spanish"}, {"ru", "Russian"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].code, code) == 0)
            return names[i].name;
    return NULL;
}

/* Label of a facet value: caller frees with free(). */
char *lzs_search_facet_label(const lzs_searcher_t *s, unsigned facet, const char *v)
{
    char buf[512];
    const char *name = NULL;
    switch (facet) {
    case LZS_FACET_CITES:
    {
        lzs_status_t st;
        return lzs_cites_label((void *)s, v, &st);
    }
    case LZS_FACET_INSTRUMENT:
        return strdup(lzs_extract_instrument_label(s->ex, v, NULL, buf, sizeof buf) ? buf : v);
    case LZS_FACET_PARTY:
    case LZS_FACET_ADDRESSEE:
        if (strcmp(v, "all") == 0)
            return strdup("All Parties");
        name = lzs_extract_party_name(s->ex, v);
        return strdup(name ? name : v);
    case LZS_FACET_ARTICLE:
        name = lzs_extract_article_title(s->ex, v);
        if (name)
            snprintf(buf, sizeof buf, "Art. %s \xE2\x80\x93 %s", v, name);
        else
            snprintf(buf, sizeof buf, "Art. %s", v);
        return strdup(buf);
    case LZS_FACET_LANG:
        name = lzs_search_lang_label(v);
        return strdup(name ? name : v);
    case LZS_FACET_YEAR:
        return strdup(strcmp(v, LZS_YEAR_NONE) == 0 ? "Undated" : v);
    case LZS_FACET_LEVEL:
    case LZS_FACET_TYPE: {
        /* "implementation-report" -> "Implementation report" */
        snprintf(buf, sizeof buf, "%s", v);
        for (char *c = buf; *c; c++)
            if (*c == '-')
                *c = ' ';
        buf[0] = (char)toupper((unsigned char)buf[0]);
        return strdup(buf);
    }
    default:
        return strdup(v);
    }
}

char *lzs_search_value_label(const lzs_searcher_t *s, unsigned facet, const char *value)
{
    if (value == NULL || (facet & (facet - 1)) != 0 || !(facet & LZS_FACET_ALL))
        return NULL;
    return lzs_search_facet_label(s, facet, value);
}

/* ---- running ------------------------------------------------------------------------- */

static const struct {
    unsigned bit;
    const char *name;
    lzs_slot_t slot;
    int multi;
} facet_defs[] = {
    {LZS_FACET_PARTY, "party", LZS_SLOT_PARTIES, 1},
    {LZS_FACET_ADDRESSEE, "addressee", LZS_SLOT_ADDRESSEES, 1},
    {LZS_FACET_ARTICLE, "article", LZS_SLOT_ARTICLES, 1},
    {LZS_FACET_YEAR, "year", LZS_SLOT_YEAR, 0},
    {LZS_FACET_LEVEL, "level", LZS_SLOT_LEVEL, 0},
    {LZS_FACET_TYPE, "type", LZS_SLOT_TYPE, 0},
    {LZS_FACET_LANG, "lang", LZS_SLOT_LANG, 0},
    {LZS_FACET_CITES, "cites", LZS_SLOT_CITES, 1},
    {LZS_FACET_INSTRUMENT, "instrument", LZS_SLOT_INSTRUMENTS, 1},
    {LZS_FACET_COLLECTION, "collection", LZS_COLS_COLLECTION, 0},
};
#define NFACETS (sizeof facet_defs / sizeof facet_defs[0])
_Static_assert(NFACETS <= LZS_COLS_MAX_FACETS, "a tally holds at most LZS_COLS_MAX_FACETS facets");

typedef struct {
    const char *value;
    size_t len;
    uint32_t id; /* in its column */
    uint32_t count;
    uint32_t recs; /* distinct recommendations among its passages */
} fvalue_t;

static int fvalue_by_value_desc(const void *a, const void *b)
{
    const fvalue_t *x = a, *y = b;
    return -strcmp(x->value, y->value);
}

/* The values of facet fi as JSON; NULL with *st set on failure (LZS_ERR_NOMEM, or the index's
 * error reading a cited document's title: LZS_ERR_MODIFIED among them). */
static json_t *facet_json(const lzs_searcher_t *s, size_t fi, const lzs_fcount_t *counts, size_t n,
                          lzs_status_t *st)
{
    *st = LZS_ERR_NOMEM;
    fvalue_t *vals = calloc(n ? n : 1, sizeof *vals);
    json_t *arr = json_array();
    if (!vals || !arr) {
        free(vals);
        json_decref(arr);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (counts[i].len == 0)
            continue; /* empty values: passages without a level, say */
        vals[k++] = (fvalue_t){counts[i].value, counts[i].len, counts[i].id, counts[i].count,
                               counts[i].recs};
    }
    if (facet_defs[fi].bit == LZS_FACET_YEAR) {
        /* newest first, and the undated ("none") last */
        qsort(vals, k, sizeof *vals, fvalue_by_value_desc);
        if (k > 0 && vals[0].len == strlen(LZS_YEAR_NONE) &&
            memcmp(vals[0].value, LZS_YEAR_NONE, vals[0].len) == 0) {
            fvalue_t none = vals[0];
            memmove(vals, vals + 1, (k - 1) * sizeof *vals);
            vals[k - 1] = none;
        }
    }
    /* the most cited documents: each is labelled with its title, read from the index once
     * per revision and kept with the columns */
    int cites = facet_defs[fi].bit == LZS_FACET_CITES;
    if (cites && k > LZS_SEARCH_CITES_FACET)
        k = LZS_SEARCH_CITES_FACET;
    for (size_t i = 0; i < k; i++) {
        const char *kept = NULL;
        char *label = NULL;
        if (cites)
            *st = lzs_cols_label(s->cols, facet_defs[fi].slot, LZS_MULTI_SEP, vals[i].id,
                                 lzs_cites_label, (void *)s, &kept);
        else
            label = lzs_search_facet_label(s, facet_defs[fi].bit, vals[i].value);
        json_t *o = label || kept
                        ? json_pack("{s:s%, s:s, s:I, s:I}", "value", vals[i].value, vals[i].len,
                                    "label", kept ? kept : label, "count",
                                    (json_int_t)vals[i].count, "recs", (json_int_t)vals[i].recs)
                        : NULL;
        free(label);
        if (!o || json_array_append_new(arr, o) != 0) {
            if (*st == LZS_OK)
                *st = LZS_ERR_NOMEM; /* the label was made, its entry was not */
            json_decref(arr);
            free(vals);
            return NULL;
        }
    }
    free(vals);
    *st = LZS_OK;
    return arr;
}

double lzs_search_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One hit from the stored data: {"id","score","doc","passage","snippet"[, "matches"]}. */
static json_t *make_hit(lzs_searcher_t *s, const char *data, size_t len, double score,
                        const lzs_marks_t *marks, uint32_t snippet_chars, lzs_status_t *st)
{
    json_error_t jerr;
    json_t *stored = NULL;
    lzs_status_t pst = lzs_json_parse(data, len, 0, &jerr, &stored);
    if (pst == LZS_ERR_NOMEM) {
        *st = pst;
        return NULL;
    }
    if (pst != LZS_OK || !json_is_object(stored)) {
        json_decref(stored);
        *st = LZS_ERR_CORRUPT;
        return NULL;
    }
    json_t *hit = json_object();
    json_t *passage = json_object_get(stored, "passage");
    json_t *doc = json_object_get(stored, "doc");
    if (!hit) {
        json_decref(stored);
        *st = LZS_ERR_NOMEM;
        return NULL;
    }
    lzs_status_t ps = put(hit, "id", json_incref(json_object_get(stored, "id")));
    if (ps == LZS_OK)
        ps = put(hit, "score", json_real(score));
    if (ps == LZS_OK)
        ps = put(hit, "doc", json_incref(doc));
    if (ps == LZS_OK)
        ps = put(hit, "passage", json_incref(passage));
    if (ps != LZS_OK) {
        json_decref(stored);
        json_decref(hit);
        *st = ps;
        return NULL;
    }
    if (marks) {
        json_t *text = json_object_get(passage, "text");
        const char *lang = json_string_value(json_object_get(doc, "lang"));
        json_t *snip =
            lzs_snippet_build(s->text, json_string_value(text) ? json_string_value(text) : "",
                              json_string_length(text), lang, marks, snippet_chars);
        if (!snip) {
            json_decref(stored);
            json_decref(hit);
            *st = LZS_ERR_NOMEM;
            return NULL;
        }
        if (put(hit, "snippet", snip) != LZS_OK) {
            json_decref(stored);
            json_decref(hit);
            *st = LZS_ERR_NOMEM;
            return NULL;
        }
    }
    json_decref(stored);
    *st = LZS_OK;
    return hit;
}

/* Hit i of a result page as make_hit() builds it; NULL with *st set on failure. */
static json_t *page_hit(lzs_searcher_t *s, const lzs_xmset_t *mset, uint32_t i,
                        const lzs_marks_t *marks, uint32_t snippet_chars, lzs_status_t *st)
{
    lzs_xhit_t h;
    char *data = NULL;
    size_t dlen = 0;
    *st = lzs_xmset_get(mset, i, &h);
    if (*st == LZS_OK)
        *st = lzs_xmset_data(mset, i, &data, &dlen);
    if (*st != LZS_OK)
        return NULL;
    json_t *hit = make_hit(s, data, dlen, h.weight, marks, snippet_chars, st);
    free(data);
    if (hit) {
        const char *coll = lzs_xdb_sub_name(s->db, lzs_xdb_sub_of(s->db, h.docid));
        *st = put(hit, "collection", json_string(coll ? coll : ""));
        if (*st != LZS_OK) {
            json_decref(hit);
            hit = NULL;
        }
    }
    return hit;
}

lzs_status_t lzs_search_index_fail(lzs_xenq_t *enq, lzs_status_t st, lzs_search_error_t *err)
{
    const char *msg = enq ? lzs_xenq_errmsg(enq) : "";
    if (st == LZS_ERR_LIMIT)
        return lzs_search_fail(err, st, "limit", "q", -1,
                               "a prefix* in the query matches too many terms: make it longer");
    if (st == LZS_ERR_NOMEM)
        return lzs_search_fail(err, st, "index", "", -1, "out of memory");
    return lzs_search_fail(err, st, "index", "", -1, "the index could not be searched: %s",
                           msg && *msg ? msg : lzs_status_str(st));
}

static lzs_status_t set_sort(lzs_xenq_t *enq, lzs_sort_t sort, int weighted)
{
    switch (sort) {
    case LZS_SORT_NEWEST:
        return lzs_xenq_sort_by_value(enq, LZS_SLOT_DATE, 1, weighted);
    case LZS_SORT_OLDEST:
        return lzs_xenq_sort_by_value(enq, LZS_SLOT_DATE, 0, weighted);
    case LZS_SORT_ORDER:
        return lzs_xenq_sort_by_value(enq, LZS_SLOT_ORDER, 0, 0);
    case LZS_SORT_RELEVANCE:
    default:
        /* browsing has no relevance: newest documents first, then indexing (reading) order */
        if (!weighted)
            return lzs_xenq_sort_by_value(enq, LZS_SLOT_DATE, 1, 0);
        return lzs_xenq_sort_by_relevance(enq);
    }
}

static char *suggestion(const char *q, const lzs_compiled_t *c)
{
    if (c->nrespell == 0)
        return NULL;
    size_t qlen = strlen(q), total = qlen + 1;
    for (size_t i = 0; i < c->nrespell; i++)
        total += strlen(c->respell[i].replacement);
    char *out = malloc(total);
    if (!out)
        return NULL;
    size_t at = 0, o = 0;
    /* respell entries are in query order */
    for (size_t i = 0; i < c->nrespell; i++) {
        const lzs_respell_t *r = &c->respell[i];
        if (r->pos < at || r->pos + r->len > qlen)
            continue;
        memcpy(out + o, q + at, r->pos - at);
        o += r->pos - at;
        size_t l = strlen(r->replacement);
        memcpy(out + o, r->replacement, l);
        o += l;
        at = r->pos + r->len;
    }
    memcpy(out + o, q + at, qlen - at);
    o += qlen - at;
    out[o] = '\0';
    return out;
}

/* Under this estimate of postings (lzs_xquery_cost) the page and the match set come from
 * one weighted match; over it, the page from a weighted match that stops early and the
 * match set from a boolean one: reading a few postings twice costs more than weighing
 * them, reading many with weights more than twice without. A query with phrases
 * (lzs_compiled_t.phrases) always takes one match: the position checks, which are most of
 * its cost, would be run again by the boolean match ("international co-operation" at
 * 212,937 passages: 83 ms in one match, 134 ms in two). */
#define ONE_PASS_MAX_POSTINGS 150000

/* The key of a filter-only request's counts in the revision's cache: *key NULL for a
 * request with words (its counts are not kept); else caller frees with free(). */
static lzs_status_t browse_key(const lzs_search_req_t *req, const lzs_compiled_t *c, char **key)
{
    *key = NULL;
    if (c->weighted)
        return LZS_OK;
    /* A boolean query is its terms: Xapian's description names them all. */
    char *desc = NULL;
    lzs_status_t st = lzs_xquery_describe(c->query, &desc);
    if (st != LZS_OK)
        return st;
    size_t klen = strlen(desc) + 32;
    *key = malloc(klen);
    if (*key)
        snprintf(*key, klen, "%x %d %s", req->facets, req->group == LZS_GROUP_DOCUMENT, desc);
    free(desc);
    return *key ? LZS_OK : LZS_ERR_NOMEM;
}

/* The page and every match's id read at the same time on two threads
 * (lzs_searcher_set_parallel): *done 1 when they were, else nothing was done and the caller
 * reads them one after the other. A second handle that cannot be opened now (out of
 * files, say) only costs this query its second thread. */
static lzs_status_t page_and_matches_parallel(lzs_searcher_t *s, const lzs_search_req_t *req,
                                              lzs_xenq_t *enq, lzs_xmset_t **mset,
                                              lzs_docid_t **docids, size_t *n, int *done)
{
    *done = 0;
    if (s->twin_none)
        return LZS_OK;
    if (!s->twin) {
        lzs_status_t st = lzs_xdb_twin(s->db, &s->twin);
        s->twin_none = st == LZS_ERR_UNSUPPORTED;
        if (st != LZS_OK)
            return LZS_OK;
    }
    lzs_status_t st =
        lzs_xenq_page_and_matches(enq, s->twin, req->offset, req->size, mset, docids, n);
    if (st == LZS_ERR_UNSUPPORTED)
        return LZS_OK;
    *done = st == LZS_OK;
    return st;
}

/* The page (*mset) and every match's id (*docids, *n: caller frees *docids) of a query whose
 * match set the matcher reads about `cost` postings for. */
static lzs_status_t page_and_matches(lzs_searcher_t *s, const lzs_search_req_t *req,
                                     const lzs_compiled_t *c, lzs_xenq_t *enq, uint64_t cost,
                                     lzs_xmset_t **mset, lzs_docid_t **docids, size_t *n)
{
    int done = 0;
    lzs_status_t st = LZS_OK;
    /* with phrases, a weighted page cannot skip the position checks the boolean match
     * runs: two threads took longer than one ("international co-operation" 110 ms against
     * 83 ms at 212,937 passages) */
    if (s->parallel && cost > s->parallel && c->phrases == 0)
        st = page_and_matches_parallel(s, req, enq, mset, docids, n, &done);
    if (st != LZS_OK || done)
        return st;
    if (cost <= ONE_PASS_MAX_POSTINGS || c->phrases > 0)
        return lzs_xenq_get_mset_docids(enq, req->offset, req->size, mset, docids, n);
    st = lzs_xenq_get_mset(enq, req->offset, req->size, 0, NULL, 0, mset);
    return st == LZS_OK ? lzs_xenq_match_docids(enq, docids, n) : st;
}

/* The page (*mset) and the counts of req's whole match set (*tally; enq holds the query),
 * made or held from the revision's cache of filter-only requests: the caller lets go with
 * lzs_tally_free() when *owned is 1. */
static lzs_status_t page_and_tally(lzs_searcher_t *s, const lzs_search_req_t *req,
                                   const lzs_compiled_t *c, lzs_xenq_t *enq, lzs_xmset_t **mset,
                                   const lzs_tally_t **tally, int *owned)
{
    *tally = NULL;
    *owned = 0;
    char *key = NULL;
    lzs_status_t st = lzs_search_current_cols(s);
    if (st == LZS_OK)
        st = browse_key(req, c, &key);
    if (st == LZS_OK && key) {
        /* held: another thread sharing the columns may drop it from the cache meanwhile */
        *tally = lzs_cols_cached(s->cols, key);
        *owned = *tally != NULL;
    }
    if (st != LZS_OK || *tally) {
        free(key);
        /* The page alone: the matcher may stop as soon as no other passage can enter it. */
        return st != LZS_OK ? st : lzs_xenq_get_mset(enq, req->offset, req->size, 0, NULL, 0, mset);
    }
    uint64_t cost = 0;
    lzs_docid_t *docids = NULL;
    size_t n = 0;
    st = lzs_xquery_cost(s->db, c->query, &cost);
    if (st == LZS_OK)
        st = page_and_matches(s, req, c, enq, cost, mset, &docids, &n);
    lzs_col_spec_t specs[NFACETS];
    for (size_t i = 0; i < NFACETS; i++)
        specs[i] = (lzs_col_spec_t){(req->facets & facet_defs[i].bit) != 0, facet_defs[i].slot,
                                    facet_defs[i].multi ? LZS_MULTI_SEP : '\0', NULL, NULL};
    /* the cites facet counts an opinion cited by title as the document that is it */
    for (size_t i = 0; i < NFACETS && st == LZS_OK; i++) {
        if (specs[i].want && facet_defs[i].bit == LZS_FACET_CITES)
            st = lzs_cites_facet_map(s, &specs[i].map, &specs[i].map_ud);
    }
    lzs_tally_t *t = NULL;
    if (st == LZS_OK)
        st = lzs_cols_tally(s->cols, s->db, specs, NFACETS, LZS_SLOT_RECKEY,
                            req->group == LZS_GROUP_DOCUMENT ? LZS_SLOT_DOCID : LZS_XDB_NO_SLOT,
                            docids, n, &t);
    free(docids);
    if (st == LZS_OK && key)
        st = lzs_cols_cache(s->cols, key, t);
    if (st == LZS_OK) {
        *tally = t;
        *owned = 1;
    } else {
        lzs_tally_free(t);
    }
    free(key);
    return st;
}

/* Step 1 of run_once: an enquire of the compiled query, weighted or boolean, in the
 * request's order, one hit per document when grouped. *out is set even on failure (its
 * message says what failed): caller frees with lzs_xenq_destroy(). */
static lzs_status_t open_enquire(lzs_searcher_t *s, const lzs_search_req_t *req,
                                 const lzs_compiled_t *c, lzs_xenq_t **out)
{
    lzs_xenq_t *enq = NULL;
    lzs_status_t st = lzs_xenq_create(s->db, &enq);
    if (st == LZS_OK)
        st = lzs_xenq_set_query(enq, c->query, 0);
    if (st == LZS_OK && !c->weighted)
        st = lzs_xenq_set_boolean_weighting(enq, 1);
    if (st == LZS_OK)
        st = set_sort(enq, req->sort, c->weighted);
    if (st == LZS_OK && req->group == LZS_GROUP_DOCUMENT)
        st = lzs_xenq_set_collapse(enq, LZS_SLOT_DOCID, 1);
    *out = enq;
    return st;
}

/* Step 2 of run_once: the answer's members before its hits are filled in: hits (consumed),
 * api, total, took_ms (set by the caller), suggestion, and the query as it was read. */
static lzs_status_t put_head(json_t *res, json_t *hits, uint32_t total, const lzs_compiled_t *c)
{
    lzs_status_t st = put(res, "hits", hits);
    if (st == LZS_OK)
        st = put(res, "api", json_integer(1));
    if (st == LZS_OK)
        st = put(res, "total", json_integer(total));
    if (st == LZS_OK)
        st = put(res, "took_ms", json_real(0));
    if (st == LZS_OK)
        st = put(res, "suggestion", json_null());
    if (st == LZS_OK) {
        json_t *read_as = lzs_reading_json(&c->reading);
        st = put(res, "query", read_as ? json_pack("{s:o}", "read_as", read_as) : NULL);
    }
    return st;
}

/* Step 3 of run_once: the page's hits appended to hits (borrowed), each with its count of
 * matching passages when grouped and why it matched when asked. */
static lzs_status_t put_hits(lzs_searcher_t *s, const lzs_search_req_t *req,
                             const lzs_compiled_t *c, lzs_xenq_t *enq, const lzs_xmset_t *mset,
                             const lzs_tally_t *tally, json_t *hits)
{
    lzs_status_t st = LZS_OK;
    uint32_t n = lzs_xmset_size(mset);
    for (uint32_t i = 0; i < n && st == LZS_OK; i++) {
        json_t *hit = page_hit(s, mset, i, &c->marks, req->snippet_chars, &st);
        if (!hit)
            break;
        if (req->group == LZS_GROUP_DOCUMENT) {
            lzs_xhit_t h;
            st = lzs_xmset_get(mset, i, &h);
            if (st == LZS_OK) {
                uint32_t count = lzs_tally_group_count(tally, h.docid);
                st = put(hit, "matches", json_integer(count ? count : 1));
            }
        }
        if (st == LZS_OK && req->explain) {
            lzs_xhit_t h;
            json_t *why = NULL;
            st = lzs_xmset_get(mset, i, &h);
            if (st == LZS_OK)
                st = lzs_reading_explain(&c->reading, enq, h.docid, &why);
            if (st == LZS_OK)
                st = put(hit, "explain", why);
        }
        if (st == LZS_OK)
            st = append(hits, hit);
        else
            json_decref(hit);
    }
    return st;
}

/* Step 4 of run_once: the facets the request asks for, from the tally, into res; sets err
 * but for a changed index (the caller tries again). */
static lzs_status_t put_facets(lzs_searcher_t *s, const lzs_search_req_t *req,
                               const lzs_tally_t *tally, json_t *res, lzs_search_error_t *err)
{
    json_t *facets = json_object();
    lzs_status_t st = put(res, "facets", json_incref(facets));
    json_decref(facets);
    if (st != LZS_OK) {
        lzs_search_index_fail(NULL, st, err);
        return st;
    }
    for (size_t i = 0; i < NFACETS; i++) {
        if (!(req->facets & facet_defs[i].bit))
            continue;
        json_t *arr = facet_json(s, i, tally->facets[i], tally->nfacet[i], &st);
        if (!arr) {
            if (st != LZS_ERR_MODIFIED)
                lzs_search_index_fail(NULL, st, err);
            return st;
        }
        st = put(facets, facet_defs[i].name, arr);
        if (st != LZS_OK) {
            lzs_search_index_fail(NULL, st, err);
            return st;
        }
    }
    return LZS_OK;
}

static lzs_status_t run_once(lzs_searcher_t *s, const lzs_search_req_t *req,
                             const lzs_compiled_t *c, json_t **out, lzs_search_error_t *err)
{
    lzs_xenq_t *enq = NULL;
    lzs_xmset_t *mset = NULL;
    const lzs_tally_t *tally = NULL;
    int owned = 0;
    json_t *res = NULL;
    lzs_status_t st = open_enquire(s, req, c, &enq);
    if (st == LZS_OK)
        st = page_and_tally(s, req, c, enq, &mset, &tally, &owned);
    if (st != LZS_OK) {
        if (st != LZS_ERR_MODIFIED)
            lzs_search_index_fail(enq, st, err);
        goto done;
    }
    uint32_t total = req->group == LZS_GROUP_DOCUMENT ? tally->groups : tally->matches;
    res = json_object();
    json_t *hits = json_array();
    if (!res || !hits) {
        json_decref(hits);
        st = LZS_ERR_NOMEM;
        goto done;
    }
    st = put_head(res, hits, total, c);
    if (st != LZS_OK) {
        lzs_search_index_fail(NULL, st, err);
        goto done;
    }
    st = put_hits(s, req, c, enq, mset, tally, hits);
    if (st != LZS_OK) {
        if (st == LZS_ERR_CORRUPT)
            lzs_search_fail(err, st, "index", "", -1,
                            "a passage's stored data is not valid JSON: rebuild the index");
        else if (st != LZS_ERR_MODIFIED)
            lzs_search_index_fail(NULL, st, err);
        goto done;
    }
    st = put_facets(s, req, tally, res, err);
done:
    if (st != LZS_OK) {
        json_decref(res);
        res = NULL;
    }
    if (owned)
        lzs_tally_free((lzs_tally_t *)tally);
    lzs_xmset_destroy(mset);
    lzs_xenq_destroy(enq);
    *out = res;
    return st;
}

static lzs_status_t check_request(const lzs_search_req_t *req, lzs_search_error_t *err)
{
    if (req->size > LZS_SEARCH_MAX_SIZE)
        return lzs_search_fail(err, LZS_ERR_LIMIT, "limit", "size", -1,
                               "size %u is too large: at most %d hits per page", req->size,
                               LZS_SEARCH_MAX_SIZE);
    if (req->offset > LZS_SEARCH_MAX_OFFSET)
        return lzs_search_fail(err, LZS_ERR_LIMIT, "limit", "offset", -1,
                               "offset %u is too large: at most %d (narrow the search or use "
                               "an export)",
                               req->offset, LZS_SEARCH_MAX_OFFSET);
    if (req->snippet_chars > 10000)
        return lzs_search_fail(err, LZS_ERR_LIMIT, "limit", "snippet_chars", -1,
                               "snippet length %u is too large: at most 10000 characters",
                               req->snippet_chars);
    if ((int)req->sort < LZS_SORT_RELEVANCE || req->sort > LZS_SORT_ORDER)
        return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "sort", -1,
                               "unknown sort order");
    if ((int)req->group < LZS_GROUP_PASSAGE || req->group > LZS_GROUP_DOCUMENT)
        return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "group", -1,
                               "unknown grouping");
    if (req->facets & ~(unsigned)LZS_FACET_ALL)
        return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "facets", -1,
                               "unknown facet");
    return LZS_OK;
}

void lzs_search_clear_err(lzs_search_error_t *err)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->position = -1;
    }
}

/* The one rule for a call whose attempt-th try (from 0) failed with st (search.h,
 * LZS_SEARCH_TRIES): returns 1 when it is to be made again, the searcher then at the
 * latest revision and err cleared; 0 when st is final. An index that kept changing
 * through every attempt, or that cannot be reopened, is said so in err ("what" names the
 * call). */
int lzs_search_try_again(lzs_searcher_t *s, lzs_status_t st, int attempt, const char *what,
                         lzs_search_error_t *err)
{
    if (st != LZS_ERR_MODIFIED)
        return 0;
    if (attempt + 1 >= LZS_SEARCH_TRIES) {
        lzs_search_fail(err, st, "index", "", -1,
                        "the index kept changing during the %s: try again", what);
        return 0;
    }
    lzs_status_t rst = lzs_searcher_reopen(s);
    if (rst != LZS_OK) {
        lzs_search_fail(err, st, "index", "", -1,
                        "the index changed during the %s and cannot be reopened (%s)", what,
                        lzs_status_str(rst));
        return 0;
    }
    lzs_search_clear_err(err);
    return 1;
}

/* One attempt at a search: compile, run, add the suggestion and the time taken. */
static lzs_status_t search_once(lzs_searcher_t *s, const lzs_search_req_t *req, double t0,
                                json_t **out, lzs_search_error_t *err)
{
    lzs_compiled_t c;
    lzs_status_t st = lzs_compile_request(s, req, &c, err);
    if (st != LZS_OK)
        return st;
    st = run_once(s, req, &c, out, err);
    if (st == LZS_OK) {
        char *sugg = suggestion(req->q ? req->q : "", &c);
        if (sugg)
            st = put(*out, "suggestion", json_string(sugg));
        free(sugg);
        if (st == LZS_OK)
            st = put(*out, "took_ms", json_real(lzs_search_now_ms() - t0));
        if (st != LZS_OK) {
            json_decref(*out);
            *out = NULL;
            lzs_search_index_fail(NULL, st, err);
        }
    }
    lzs_compiled_clear(&c);
    return st;
}

lzs_status_t lzs_search_run(lzs_searcher_t *s, const lzs_search_req_t *req, json_t **out,
                            lzs_search_error_t *err)
{
    *out = NULL;
    lzs_search_clear_err(err);
    if (!s || !req)
        return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "", -1,
                               "no searcher or no request");
    double t0 = lzs_search_now_ms();
    lzs_status_t st = check_request(req, err);
    if (st != LZS_OK)
        return st;
    for (int attempt = 0;; attempt++) {
        st = search_once(s, req, t0, out, err);
        if (!lzs_search_try_again(s, st, attempt, "search", err))
            return st;
    }
}

/* ---- one document ---------------------------------------------------------------------- */

static lzs_status_t term_query(const char *prefix, const char *value, lzs_xquery_t **out)
{
    char term[LZS_XDB_MAX_TERM + 1];
    int n = snprintf(term, sizeof term, "%s%s", prefix, value);
    if (n < 0 || (size_t)n >= sizeof term)
        return LZS_ERR_LIMIT;
    return lzs_xquery_term(term, 1, 0, out);
}

/* The files of document doc_id from "lzs:docfiles:<id>" (schema.h): [{"path","format"}],
 * with "file" (the absolute path) too when with_abs; an index written before the list
 * existed gives the one file of its passages (docmeta's source). *out: caller frees with
 * json_decref(); NULL on failure: LZS_ERR_NOMEM, or the index's own error reading the list
 * (LZS_ERR_MODIFIED among them: the caller tries again). */
static lzs_status_t doc_files(lzs_searcher_t *s, const char *doc_id, const json_t *docmeta,
                              int with_abs, json_t **out)
{
    char key[LZS_XDB_MAX_TERM + 64];
    snprintf(key, sizeof key, "%s%s", LZS_META_DOCFILES_PREFIX, doc_id);
    char *val = NULL;
    size_t len = 0;
    json_t *list = NULL;
    *out = NULL;
    lzs_status_t st = lzs_xdb_metadata_get(s->db, key, &val, &len);
    if (st == LZS_OK && len > 0)
        lzs_json_parse(val, len, 0, NULL, &list);
    free(val);
    if (st != LZS_OK && st != LZS_ERR_NOT_FOUND)
        return st;
    json_t *files = json_array();
    if (files == NULL) {
        json_decref(list);
        return LZS_ERR_NOMEM;
    }
    size_t i;
    json_t *f;
    json_array_foreach(list, i, f)
    {
        if (!json_is_string(json_object_get(f, "path")) ||
            !json_is_string(json_object_get(f, "format")) ||
            !json_is_string(json_object_get(f, "file")))
            continue; /* an entry this program did not write */
        json_t *o = json_pack("{s:O, s:O}", "path", json_object_get(f, "path"), "format",
                              json_object_get(f, "format"));
        if (o && with_abs && json_object_set(o, "file", json_object_get(f, "file")) != 0) {
            json_decref(o);
            o = NULL;
        }
        if (o == NULL || json_array_append_new(files, o) != 0) {
            json_decref(list);
            json_decref(files);
            return LZS_ERR_NOMEM;
        }
    }
    json_decref(list);
    const char *src = json_string_value(json_object_get(docmeta, "source"));
    if (json_array_size(files) == 0 && src && !with_abs) {
        const char *fmt = lzs_extract_format(src);
        json_t *o = json_pack("{s:s, s:s}", "path", src, "format", fmt ? fmt : "unknown");
        if (o == NULL || json_array_append_new(files, o) != 0) {
            json_decref(files);
            return LZS_ERR_NOMEM;
        }
    }
    *out = files;
    return LZS_OK;
}

lzs_status_t lzs_search_doc_indexed(lzs_searcher_t *s, const char *doc_id, char **when)
{
    *when = NULL;
    char key[LZS_XDB_MAX_TERM + 64];
    if ((size_t)snprintf(key, sizeof key, "%s%s", LZS_META_INDEXED_PREFIX, doc_id) >= sizeof key)
        return LZS_OK;
    char *val = NULL;
    size_t len = 0;
    lzs_status_t st = lzs_xdb_metadata_get(s->db, key, &val, &len);
    if (st == LZS_ERR_NOT_FOUND || (st == LZS_OK && len == 0)) {
        free(val);
        return LZS_OK;
    }
    if (st != LZS_OK)
        return st;
    *when = malloc(len + 1);
    if (*when == NULL) {
        free(val);
        return LZS_ERR_NOMEM;
    }
    memcpy(*when, val, len);
    (*when)[len] = '\0';
    free(val);
    return LZS_OK;
}

static lzs_status_t file_once(lzs_searcher_t *s, const char *doc_id, unsigned n, char **path,
                              char **format, lzs_search_error_t *err)
{
    json_t *files = NULL;
    lzs_status_t st = doc_files(s, doc_id, NULL, 1, &files);
    if (st == LZS_ERR_NOMEM)
        return lzs_search_fail(err, st, "internal", NULL, -1, "out of memory");
    if (st != LZS_OK)
        return lzs_search_index_fail(NULL, st, err);
    json_t *f = n >= 1 ? json_array_get(files, n - 1) : NULL;
    const char *p = json_string_value(json_object_get(f, "file"));
    const char *fmt = json_string_value(json_object_get(f, "format"));
    if (p == NULL || fmt == NULL) {
        size_t have = json_array_size(files);
        json_decref(files);
        if (have == 0)
            return lzs_search_fail(err, LZS_ERR_NOT_FOUND, "not_found", "id", -1,
                                   "no file of a document with id '%.100s' in the index", doc_id);
        return lzs_search_fail(err, LZS_ERR_NOT_FOUND, "not_found", "n", -1,
                               "the document has %zu file%s; there is no file %u", have,
                               have == 1 ? "" : "s", n);
    }
    *path = strdup(p);
    *format = strdup(fmt);
    json_decref(files);
    if (*path == NULL || *format == NULL) {
        free(*path);
        free(*format);
        *path = *format = NULL;
        return lzs_search_fail(err, LZS_ERR_NOMEM, "internal", NULL, -1, "out of memory");
    }
    return LZS_OK;
}

lzs_status_t lzs_search_file(lzs_searcher_t *s, const char *doc_id, unsigned n, char **path,
                             char **format, lzs_search_error_t *err)
{
    *path = NULL;
    *format = NULL;
    lzs_search_clear_err(err);
    if (!s || !doc_id || !*doc_id || !lzs_text_is_valid_utf8(doc_id, strlen(doc_id)))
        return lzs_search_fail(err, LZS_ERR_NOT_FOUND, "not_found", "id", -1,
                               "no document with this id");
    for (int attempt = 0;; attempt++) {
        lzs_status_t st = file_once(s, doc_id, n, path, format, err);
        if (!lzs_search_try_again(s, st, attempt, "look-up of the file", err))
            return st;
    }
}

/* Appends hit i of mset to passages as {"id", ...passage fields}; the first hit's "doc"
 * becomes *docmeta (a new reference) when it is still NULL. */
static lzs_status_t add_passage(lzs_xmset_t *mset, uint32_t i, json_t *passages, json_t **docmeta)
{
    char *data = NULL;
    size_t dlen = 0;
    lzs_status_t st = lzs_xmset_data(mset, i, &data, &dlen);
    if (st != LZS_OK)
        return st;
    json_t *stored = NULL;
    lzs_status_t pst = lzs_json_parse(data, dlen, 0, NULL, &stored);
    free(data);
    if (pst == LZS_ERR_NOMEM)
        return pst;
    json_t *p = stored ? json_object_get(stored, "passage") : NULL;
    if (!json_is_object(p)) {
        json_decref(stored);
        return LZS_ERR_CORRUPT;
    }
    if (!*docmeta)
        *docmeta = json_incref(json_object_get(stored, "doc"));
    json_t *entry = json_object();
    st = put(entry, "id", json_incref(json_object_get(stored, "id")));
    if (st == LZS_OK && json_object_update(entry, p) != 0)
        st = LZS_ERR_NOMEM;
    if (st == LZS_OK)
        st = append(passages, entry);
    else
        json_decref(entry);
    json_decref(stored);
    return st;
}

/* Most language versions of one document listed. */
#define MAX_VERSIONS 32

/* The other language versions of document doc_id: the documents with its version key
 * (schema.h, XV:), one entry each {"id","lang","title"}, by language. *out: new reference. */
static lzs_status_t doc_versions(lzs_searcher_t *s, const char *doc_id, const char *vkey,
                                 json_t **out)
{
    *out = json_array();
    if (*out == NULL)
        return LZS_ERR_NOMEM;
    if (vkey == NULL || !*vkey)
        return LZS_OK;
    lzs_xmset_t *mset = NULL;
    lzs_status_t st = lzs_search_term_mset(s, LZS_PFX_VERSION, vkey, LZS_SLOT_LANG, LZS_SLOT_DOCID,
                                           MAX_VERSIONS + 1, &mset);
    for (uint32_t i = 0; st == LZS_OK && i < lzs_xmset_size(mset); i++) {
        char *data = NULL;
        size_t dlen = 0;
        json_t *stored = NULL;
        st = lzs_xmset_data(mset, i, &data, &dlen);
        if (st == LZS_OK)
            st = lzs_json_parse(data, dlen, 0, NULL, &stored);
        free(data);
        if (st == LZS_ERR_PARSE || st == LZS_ERR_INVALID) {
            st = LZS_ERR_CORRUPT;
            break;
        }
        json_t *d = json_object_get(stored, "doc");
        const char *id = json_string_value(json_object_get(d, "id"));
        if (st == LZS_OK && id && strcmp(id, doc_id) != 0) {
            json_t *v = json_pack("{s:s, s:O, s:O}", "id", id, "lang", json_object_get(d, "lang"),
                                  "title", json_object_get(d, "title"));
            if (v == NULL || json_array_append_new(*out, v) != 0)
                st = LZS_ERR_NOMEM;
        }
        json_decref(stored);
    }
    lzs_xmset_destroy(mset);
    if (st != LZS_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return st;
}

/* Each recommendation of the document gets "followed_up_by": the later passages of other
 * documents citing it, oldest first (cites.c). */
static lzs_status_t add_follow_ups(lzs_searcher_t *s, const char *vkey, json_t *passages)
{
    size_t i;
    json_t *p;
    json_array_foreach(passages, i, p)
    {
        const char *key = json_string_value(json_object_get(p, "rec_key"));
        if (key == NULL)
            continue;
        json_t *list = NULL;
        lzs_status_t st = lzs_follow_up(s, vkey, key, &list);
        if (st == LZS_OK)
            st = put(p, "followed_up_by", list);
        if (st != LZS_OK)
            return st;
    }
    return LZS_OK;
}

/* Step 1 of document_once: every passage matching q (borrowed; the document's id term)
 * in reading order, appended to passages (borrowed); *docmeta: the document's metadata
 * from its first passage (caller frees with json_decref()), *vkey: that passage's version
 * key (caller frees with free()); either stays NULL when there is none. */
static lzs_status_t read_passages(lzs_searcher_t *s, const lzs_xquery_t *q, json_t *passages,
                                  json_t **docmeta, char **vkey)
{
    lzs_xenq_t *enq = NULL;
    size_t vlen = 0;
    lzs_status_t st = lzs_search_bool_enquire(s, q, LZS_SLOT_ORDER, 0, LZS_SEARCH_NO_SLOT, &enq);
    for (uint32_t first = 0; st == LZS_OK;) {
        lzs_xmset_t *mset = NULL;
        st = lzs_xenq_get_mset(enq, first, EXPORT_PAGE, 0, NULL, 0, &mset);
        if (st != LZS_OK)
            break;
        uint32_t n = lzs_xmset_size(mset);
        for (uint32_t i = 0; i < n && st == LZS_OK; i++) {
            int had_none = *docmeta == NULL;
            st = add_passage(mset, i, passages, docmeta);
            if (st == LZS_OK && had_none && *docmeta)
                st = lzs_xmset_value(mset, i, LZS_SLOT_VERSION, vkey, &vlen);
        }
        lzs_xmset_destroy(mset);
        if (n < EXPORT_PAGE)
            break;
        first += n;
    }
    lzs_xenq_destroy(enq);
    return st;
}

/* Step 2 of document_once: the document's files and versions into docmeta (borrowed; left
 * alone when NULL or not an object); vkey (borrowed, may be NULL) is its version key. */
static lzs_status_t put_files_versions(lzs_searcher_t *s, const char *doc_id, json_t *docmeta,
                                       const char *vkey)
{
    if (!docmeta || !json_is_object(docmeta))
        return LZS_OK;
    json_t *files = NULL;
    lzs_status_t st = doc_files(s, doc_id, docmeta, 0, &files);
    if (st == LZS_OK)
        st = put(docmeta, "files", files);
    if (st == LZS_OK) {
        json_t *versions = NULL;
        st = doc_versions(s, doc_id, vkey, &versions);
        if (st == LZS_OK)
            st = put(docmeta, "versions", versions);
    }
    return st;
}

/* Step 3 of document_once: the answer's members into res. st is the status so far: when
 * it is not LZS_OK nothing is put. cites, cited_by, passages and docmeta (NULL: null) are
 * consumed either way. */
static lzs_status_t put_document(json_t *res, lzs_status_t st, json_t *cites, json_t *cited_by,
                                 json_t *passages, json_t *docmeta)
{
    if (st == LZS_OK)
        st = put(res, "cites", cites);
    else
        json_decref(cites);
    if (st == LZS_OK)
        st = put(res, "cited_by", cited_by);
    else
        json_decref(cited_by);
    if (st == LZS_OK)
        st = put(res, "passages", passages);
    else
        json_decref(passages);
    if (st == LZS_OK)
        st = put(res, "api", json_integer(1));
    if (st == LZS_OK)
        st = put(res, "doc", docmeta ? docmeta : json_null());
    else
        json_decref(docmeta);
    return st;
}

static lzs_status_t document_once(lzs_searcher_t *s, const char *doc_id, json_t **out,
                                  lzs_search_error_t *err)
{
    *out = NULL;
    lzs_xquery_t *q = NULL;
    json_t *res = NULL, *passages = json_array();
    lzs_status_t st = term_query(LZS_PFX_DOC, doc_id, &q);
    if (st == LZS_ERR_LIMIT) {
        json_decref(passages);
        return lzs_search_fail(err, LZS_ERR_NOT_FOUND, "not_found", "id", -1,
                               "no document with this id");
    }
    json_t *docmeta = NULL;
    char *vkey = NULL;
    if (st == LZS_OK)
        st = read_passages(s, q, passages, &docmeta, &vkey);
    lzs_xquery_destroy(q);
    if (st == LZS_OK && json_array_size(passages) == 0) {
        json_decref(passages);
        json_decref(docmeta);
        free(vkey);
        return lzs_search_fail(err, LZS_ERR_NOT_FOUND, "not_found", "id", -1,
                               "no document with id '%.100s'", doc_id);
    }
    if (st != LZS_OK) {
        json_decref(passages);
        json_decref(docmeta);
        free(vkey);
        if (st != LZS_ERR_MODIFIED)
            lzs_search_index_fail(NULL, st, err);
        return st;
    }
    st = put_files_versions(s, doc_id, docmeta, vkey);
    json_t *cites = NULL, *cited_by = NULL;
    if (st == LZS_OK)
        st = lzs_cites_of(s, passages, &cites);
    if (st == LZS_OK)
        st = lzs_cited_by(s, doc_id, &cited_by);
    if (st == LZS_OK)
        st = add_follow_ups(s, vkey ? vkey : doc_id, passages);
    free(vkey);
    res = json_object();
    st = put_document(res, st, cites, cited_by, passages, docmeta);
    if (st != LZS_OK) {
        json_decref(res);
        lzs_search_index_fail(NULL, st, err);
        return st;
    }
    *out = res;
    return LZS_OK;
}

lzs_status_t lzs_search_document(lzs_searcher_t *s, const char *doc_id, json_t **out,
                                 lzs_search_error_t *err)
{
    *out = NULL;
    lzs_search_clear_err(err);
    if (!s || !doc_id || !*doc_id)
        return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "id", -1,
                               "no document id given");
    if (!lzs_text_is_valid_utf8(doc_id, strlen(doc_id)))
        return lzs_search_fail(err, LZS_ERR_NOT_FOUND, "not_found", "id", -1,
                               "no document with this id (not valid UTF-8)");
    for (int attempt = 0;; attempt++) {
        lzs_status_t st = document_once(s, doc_id, out, err);
        if (!lzs_search_try_again(s, st, attempt, "reading of the document", err))
            return st;
    }
}

/* ---- more like this -------------------------------------------------------------------- */

typedef struct {
    lzs_docid_t id;
    int found;
} first_ud_t;

static int first_docid_cb(void *ud, lzs_docid_t docid)
{
    first_ud_t *u = ud;
    u->id = docid;
    u->found = 1;
    return 1;
}

typedef struct {
    lzs_xquery_t **qs;
    size_t n;
    lzs_marks_t *marks;
    lzs_status_t st;
} expand_ud_t;

static int expand_cb(void *ud, const char *term, size_t termlen, uint32_t freq)
{
    (void)freq;
    expand_ud_t *u = ud;
    if (u->n >= 20)
        return 1;
    char buf[LZS_XDB_MAX_TERM + 1];
    if (termlen >= sizeof buf)
        return 0;
    memcpy(buf, term, termlen);
    buf[termlen] = '\0';
    u->st = lzs_xquery_term(buf, 1, 0, &u->qs[u->n]);
    if (u->st == LZS_OK) {
        u->n++;
        u->st = lzs_sset_add(&u->marks->words, buf, termlen);
    }
    return u->st != LZS_OK;
}

static lzs_status_t similar_once(lzs_searcher_t *s, const char *passage_id, uint32_t size,
                                 json_t **out, lzs_search_error_t *err)
{
    *out = NULL;
    char term[LZS_XDB_MAX_TERM + 1];
    int tn = snprintf(term, sizeof term, "%s%s", LZS_PFX_ID, passage_id);
    first_ud_t fu = {0, 0};
    lzs_status_t st = LZS_OK;
    if (tn > 0 && (size_t)tn < sizeof term)
        st = lzs_xdb_postlist(s->db, term, first_docid_cb, &fu);
    if (st != LZS_OK)
        return st == LZS_ERR_MODIFIED ? st : lzs_search_index_fail(NULL, st, err);
    if (!fu.found)
        return lzs_search_fail(err, LZS_ERR_NOT_FOUND, "not_found", "id", -1,
                               "no passage with id '%.100s'", passage_id);
    lzs_xenq_t *enq = NULL;
    lzs_xquery_t *qs[20] = {0};
    lzs_compiled_t c;
    memset(&c, 0, sizeof c);
    expand_ud_t eu = {qs, 0, &c.marks, LZS_OK};
    lzs_xquery_t *orq = NULL, *self = NULL, *q = NULL;
    lzs_xmset_t *mset = NULL;
    json_t *res = NULL, *hits = NULL;
    st = lzs_xenq_create(s->db, &enq);
    if (st == LZS_OK)
        st = lzs_xenq_expand(enq, &fu.id, 1, 20, 1, expand_cb, &eu);
    if (st == LZS_OK && eu.st != LZS_OK)
        st = eu.st;
    if (st == LZS_OK && eu.n == 0)
        st = lzs_xquery_match_nothing(&orq);
    else if (st == LZS_OK)
        st = lzs_xquery_combine(LZS_XQ_OR, qs, eu.n, 0, &orq);
    if (st == LZS_OK)
        st = lzs_xquery_term(term, 1, 0, &self);
    if (st == LZS_OK) {
        lzs_xquery_t *pair[2] = {orq, self};
        st = lzs_xquery_combine(LZS_XQ_AND_NOT, pair, 2, 0, &q);
    }
    if (st == LZS_OK)
        st = lzs_xenq_set_query(enq, q, 0);
    if (st == LZS_OK)
        st = lzs_xenq_get_mset(enq, 0, size, 0, &fu.id, 1, &mset);
    if (st != LZS_OK) {
        if (st != LZS_ERR_MODIFIED)
            lzs_search_index_fail(enq, st, err);
        goto done;
    }
    res = json_object();
    hits = json_array();
    st = put(res, "hits", hits);
    if (st == LZS_OK)
        st = put(res, "api", json_integer(1));
    if (st == LZS_OK)
        st = put(res, "id", json_string(passage_id));
    for (uint32_t i = 0; i < lzs_xmset_size(mset) && st == LZS_OK; i++) {
        json_t *hit = page_hit(s, mset, i, &c.marks, 240, &st);
        if (hit)
            st = append(hits, hit);
    }
    if (st != LZS_OK) {
        json_decref(res);
        res = NULL;
        if (st != LZS_ERR_MODIFIED)
            lzs_search_index_fail(NULL, st, err);
    }
done:
    for (size_t i = 0; i < eu.n; i++)
        lzs_xquery_destroy(qs[i]);
    lzs_xquery_destroy(orq);
    lzs_xquery_destroy(self);
    lzs_xquery_destroy(q);
    lzs_xmset_destroy(mset);
    lzs_xenq_destroy(enq);
    lzs_compiled_clear(&c);
    *out = res;
    return st;
}

lzs_status_t lzs_search_similar(lzs_searcher_t *s, const char *passage_id, uint32_t size,
                                json_t **out, lzs_search_error_t *err)
{
    *out = NULL;
    lzs_search_clear_err(err);
    if (!s || !passage_id || !*passage_id)
        return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "id", -1,
                               "no passage id given");
    if (size > LZS_SEARCH_MAX_SIZE)
        return lzs_search_fail(err, LZS_ERR_LIMIT, "limit", "size", -1,
                               "size %u is too large: at most %d hits", size, LZS_SEARCH_MAX_SIZE);
    if (size == 0)
        size = 10;
    if (!lzs_text_is_valid_utf8(passage_id, strlen(passage_id)))
        return lzs_search_fail(err, LZS_ERR_NOT_FOUND, "not_found", "id", -1,
                               "no passage with this id (not valid UTF-8)");
    for (int attempt = 0;; attempt++) {
        lzs_status_t st = similar_once(s, passage_id, size, out, err);
        if (!lzs_search_try_again(s, st, attempt, "search for similar passages", err))
            return st;
    }
}

/* ---- export ------------------------------------------------------------------------------ */

lzs_status_t lzs_search_bool_enquire(const lzs_searcher_t *s, const lzs_xquery_t *q, int sort,
                                     int reverse, int collapse, lzs_xenq_t **out)
{
    lzs_xenq_t *enq = NULL;
    lzs_status_t st = lzs_xenq_create(s->db, &enq);
    if (st == LZS_OK)
        st = lzs_xenq_set_query(enq, q, 0);
    if (st == LZS_OK)
        st = lzs_xenq_set_boolean_weighting(enq, 1);
    if (st == LZS_OK && sort != LZS_SEARCH_NO_SLOT)
        st = lzs_xenq_sort_by_value(enq, (lzs_slot_t)sort, reverse, 0);
    if (st == LZS_OK && collapse != LZS_SEARCH_NO_SLOT)
        st = lzs_xenq_set_collapse(enq, (lzs_slot_t)collapse, 1);
    if (st != LZS_OK) {
        lzs_xenq_destroy(enq);
        enq = NULL;
    }
    *out = enq;
    return st;
}

lzs_status_t lzs_search_term_mset(const lzs_searcher_t *s, const char *prefix, const char *value,
                                  int sort, int collapse, uint32_t max, lzs_xmset_t **out)
{
    *out = NULL;
    lzs_xquery_t *q = NULL;
    lzs_xenq_t *enq = NULL;
    lzs_status_t st = term_query(prefix, value, &q);
    if (st == LZS_ERR_LIMIT)
        return LZS_OK; /* longer than any term of the index: nothing has it */
    if (st == LZS_OK)
        st = lzs_search_bool_enquire(s, q, sort, 0, collapse, &enq);
    if (st == LZS_OK)
        st = lzs_xenq_get_mset(enq, 0, max, 0, NULL, 0, out);
    lzs_xenq_destroy(enq);
    lzs_xquery_destroy(q);
    return st;
}

lzs_status_t lzs_search_each_match(const lzs_searcher_t *s, lzs_xenq_t *enq,
                                   lzs_search_match_fn each, void *ud, uint32_t *matched)
{
    *matched = 0;
    lzs_status_t st = LZS_OK;
    int stop = 0;
    for (uint32_t first = 0; st == LZS_OK && !stop && first < LZS_SEARCH_EXPORT_CAP;) {
        lzs_xmset_t *mset = NULL;
        uint32_t want = LZS_SEARCH_EXPORT_CAP - first;
        if (want > EXPORT_PAGE)
            want = EXPORT_PAGE;
        /* the first page counts every match: the total is exact */
        st = lzs_xenq_get_mset(enq, first, want, first == 0 ? (s->doccount ? s->doccount : 1) : 0,
                               NULL, 0, &mset);
        if (st != LZS_OK)
            break;
        if (first == 0)
            *matched = lzs_xmset_matches_estimated(mset);
        uint32_t n = lzs_xmset_size(mset);
        for (uint32_t i = 0; i < n && st == LZS_OK && !stop; i++)
            st = each(ud, mset, i, &stop);
        lzs_xmset_destroy(mset);
        if (n < want)
            break;
        first += n;
    }
    return st;
}

typedef struct {
    lzs_searcher_t *s;
    const lzs_compiled_t *c;
    const lzs_search_req_t *req;
    lzs_search_hit_cb cb;
    void *ud;
    uint32_t *nsent;
} export_ud_t;

/* One exported match: its hit handed to the caller's callback, which may stop the export. */
static lzs_status_t export_match(void *ud, lzs_xmset_t *mset, uint32_t i, int *stop)
{
    export_ud_t *x = ud;
    lzs_status_t st = LZS_OK;
    json_t *hit = page_hit(x->s, mset, i, &x->c->marks, x->req->snippet_chars, &st);
    if (!hit)
        return st != LZS_OK ? st : LZS_ERR_NOMEM;
    *stop = x->cb(x->ud, hit) != 0;
    json_decref(hit);
    (*x->nsent)++;
    return LZS_OK;
}

static lzs_status_t export_once(lzs_searcher_t *s, const lzs_search_req_t *req,
                                lzs_search_hit_cb cb, void *ud, uint32_t *total, int *capped,
                                uint32_t *nsent, lzs_search_error_t *err)
{
    lzs_compiled_t c;
    lzs_status_t st = lzs_compile_request(s, req, &c, err);
    if (st != LZS_OK)
        return st;
    lzs_xenq_t *enq = NULL;
    st = lzs_xenq_create(s->db, &enq);
    if (st == LZS_OK)
        st = lzs_xenq_set_query(enq, c.query, 0);
    if (st == LZS_OK && !c.weighted)
        st = lzs_xenq_set_boolean_weighting(enq, 1);
    if (st == LZS_OK)
        st = set_sort(enq, req->sort, c.weighted);
    uint32_t matched = 0;
    export_ud_t x = {s, &c, req, cb, ud, nsent};
    if (st == LZS_OK)
        st = lzs_search_each_match(s, enq, export_match, &x, &matched);
    lzs_xenq_destroy(enq);
    lzs_compiled_clear(&c);
    if (st == LZS_ERR_MODIFIED && *nsent > 0)
        return lzs_search_fail(err, st, "index", "", -1,
                               "the index changed during the export: run it again");
    if (st != LZS_OK) {
        if (st != LZS_ERR_MODIFIED)
            lzs_search_index_fail(NULL, st, err);
        return st;
    }
    if (total)
        *total = matched;
    if (capped)
        *capped = matched > LZS_SEARCH_EXPORT_CAP;
    return LZS_OK;
}

lzs_status_t lzs_search_export(lzs_searcher_t *s, const lzs_search_req_t *req, lzs_search_hit_cb cb,
                               void *ud, uint32_t *total, int *capped, lzs_search_error_t *err)
{
    lzs_search_clear_err(err);
    if (total)
        *total = 0;
    if (capped)
        *capped = 0;
    if (!s || !req || !cb)
        return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "", -1,
                               "no searcher, request or callback");
    if (req->snippet_chars > 10000)
        return lzs_search_fail(err, LZS_ERR_LIMIT, "limit", "snippet_chars", -1,
                               "snippet length %u is too large: at most 10000 characters",
                               req->snippet_chars);
    for (int attempt = 0;; attempt++) {
        uint32_t sent = 0;
        lzs_status_t st = export_once(s, req, cb, ud, total, capped, &sent, err);
        /* a retry after hits were delivered would repeat them: only retry when none were
         * (export_once has then said why it stopped) */
        if (sent > 0 || !lzs_search_try_again(s, st, attempt, "export", err))
            return st;
    }
}
