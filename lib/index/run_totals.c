/* run_totals.c — the totals of an indexer run's summary, and the metadata the run leaves
 * in the index. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/run_internal.h"
#include "core/json_internal.h"
#include "lzs/schema.h"

/* ---- index totals for the summary ----------------------------------------- */

typedef struct {
    size_t plen;
    uint32_t count;
    lzs_strlist_t *names; /* NULL: count only */
    lzs_status_t st;
} terms_t;

static int terms_cb(void *ud, const char *term, size_t len, uint32_t freq)
{
    (void)freq;
    terms_t *t = ud;
    t->count++;
    if (!t->names)
        return 0;
    char *s = strndup(term + t->plen, len - t->plen);
    if (!s || lzs_strlist_push(t->names, s) != LZS_OK)
        t->st = LZS_ERR_NOMEM;
    free(s);
    return t->st != LZS_OK;
}

static lzs_status_t prefix_terms(lzs_xdb_t *db, const char *prefix, lzs_strlist_t *names,
                                 uint32_t *count)
{
    terms_t t = {strlen(prefix), 0, names, LZS_OK};
    lzs_status_t st = lzs_xdb_allterms(db, prefix, terms_cb, &t);
    if (count)
        *count = t.count;
    return st != LZS_OK ? st : t.st;
}

lzs_status_t lzs_run_compute_totals(run_t *R)
{
    lzs_index_summary_t *s = R->sum;
    lzs_strlist_t parties = {0}, langs = {0};
    lzs_status_t st = lzs_xdb_doccount(R->db, &s->passages);
    if (st == LZS_OK)
        st = prefix_terms(R->db, LZS_PFX_DOC, NULL, &s->documents);
    if (st == LZS_OK)
        st = prefix_terms(R->db, LZS_PFX_PARTY, &parties, NULL);
    if (st == LZS_OK)
        st = prefix_terms(R->db, LZS_PFX_LANG, &langs, NULL);
    if (st == LZS_OK)
        st = lzs_xdb_termfreq(R->db, LZS_PFX_KIND "recommendation", &s->recommendations);
    uint32_t with_level = 0;
    for (int l = LZS_LEVEL_NONE + 1; st == LZS_OK && l < LZS_LEVEL_COUNT; l++) {
        char term[64];
        snprintf(term, sizeof term, "%s%s", LZS_PFX_LEVEL, lzs_level_name((lzs_level_t)l));
        st = lzs_xdb_termfreq(R->db, term, &s->recs_by_level[l]);
        with_level += s->recs_by_level[l];
    }
    s->recs_by_level[LZS_LEVEL_NONE] =
        s->recommendations > with_level ? s->recommendations - with_level : 0;
    /* Hand the lists over to the summary (strlist items are malloc'ed strings). */
    s->parties = parties.items;
    s->nparties = parties.n;
    s->langs = langs.items;
    s->nlangs = langs.n;
    if (st != LZS_OK)
        return lzs_run_db_fail(R, st, "reading index totals");
    return LZS_OK;
}

/* 1 when key is one of the '\n'-separated keys of list (NULL: none). */
static int listed(const char *list, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == kl && memcmp(p, key, l) == 0)
            return 1;
        p = e ? e + 1 : p + l;
    }
    return 0;
}

/* LZS_META_PHRASES: the phrases every passage has the terms of. A clean run (a new index or
 * a rebuild) wrote them all; another run only its own passages', so it keeps those listed
 * before too: a phrase new in the data is looked for by positions until a rebuild. */
static lzs_status_t write_phrases(run_t *R)
{
    int clean = R->opts->rebuild || !R->had_passages;
    size_t n = lzs_phrases_count(R->phrases), kept = 0;
    const char **keep = calloc(n ? n : 1, sizeof *keep);
    if (!keep)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *k = lzs_phrases_key(R->phrases, i);
        if (clean || listed(R->phrases_before, k))
            keep[kept++] = k;
    }
    R->sum->phrases = kept;
    R->sum->phrases_by_positions = n - kept;
    char *list = lzs_index_join(keep, kept, '\n');
    free(keep);
    if (!list)
        return LZS_ERR_NOMEM;
    lzs_status_t st = lzs_xdb_metadata_set(R->db, LZS_META_PHRASES, list, strlen(list));
    free(list);
    return st;
}

lzs_status_t lzs_run_write_run_metadata(run_t *R)
{
    /* Languages present, space-separated, for search to pick stemmers. */
    char *langs = lzs_index_join((const char *const *)R->sum->langs, R->sum->nlangs, ' ');
    if (!langs)
        return LZS_ERR_NOMEM;
    lzs_status_t st = lzs_xdb_metadata_set(R->db, LZS_META_LANGS, langs, strlen(langs));
    free(langs);
    if (st == LZS_OK)
        st = lzs_xdb_metadata_set(R->db, LZS_META_SCHEMA, LZS_SCHEMA_VERSION,
                                  strlen(LZS_SCHEMA_VERSION));
    if (st == LZS_OK)
        st = write_phrases(R);
    if (st != LZS_OK)
        return lzs_run_db_fail(R, st, "writing metadata");
    json_t *j = lzs_index_summary_to_json(R->sum);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!s)
        return LZS_ERR_NOMEM;
    st = lzs_xdb_metadata_set(R->db, LZS_META_STATS, s, strlen(s));
    free(s);
    if (st == LZS_OK) {
        char when[24];
        int n = snprintf(when, sizeof when, "%lld", (long long)time(NULL));
        st = lzs_xdb_metadata_set(R->db, LZS_META_COMMITTED, when, (size_t)n);
    }
    return st == LZS_OK ? st : lzs_run_db_fail(R, st, "writing metadata");
}
