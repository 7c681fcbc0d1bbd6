/* readas.c — how a query was read and why a hit matched.
 *
 * While a request is compiled (compile.c), every term of the query (a word, a run of words
 * read together, a phrase, a prefix) is written down with what it matches: its own forms
 * (folded form, stems, joined form), the synonyms and the other-language terms of the
 * thesaurus it expanded to, the Party it names; and every filter applied. That record
 * becomes the answer's "query": {"read_as": ...}. With explain, each form also keeps the
 * Xapian terms it stands for, so that a hit can say which forms of which terms it contains
 * (from the terms of the query that index it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lzs/buf.h"
#include "search_internal.h"

/* Items of one term's list shown in the summary line before "…". */
#define SUMMARY_ITEMS 6

static void rterm_clear(lzs_rterm_t *t)
{
    free(t->text);
    free(t->party_name);
    lzs_strlist_clear(&t->forms);
    lzs_strlist_clear(&t->synonyms);
    lzs_strlist_clear(&t->alts);
    lzs_strlist_clear(&t->alt_langs);
    lzs_strlist_clear(&t->own_langs);
    lzs_strlist_clear(&t->names);
}

void lzs_reading_clear(lzs_reading_t *r)
{
    for (size_t i = 0; i < r->nterms; i++)
        rterm_clear(&r->terms[i]);
    free(r->terms);
    for (size_t i = 0; i < r->nfilters; i++) {
        free(r->filters[i].field);
        free(r->filters[i].value);
        free(r->filters[i].label);
    }
    free(r->filters);
    for (size_t i = 0; i < r->nalts; i++)
        free(r->alts[i].display);
    free(r->alts);
    for (size_t i = 0; i < r->nx; i++)
        free(r->xterms[i]);
    free(r->xterms);
    memset(r, 0, sizeof *r);
}

lzs_status_t lzs_reading_term(lzs_reading_t *r, const char *kind, const char *text, size_t len,
                              int negated, size_t *index)
{
    if (r->nterms == r->capterms) {
        size_t cap = r->capterms ? r->capterms * 2 : 8;
        lzs_rterm_t *t = realloc(r->terms, cap * sizeof *t);
        if (t == NULL)
            return LZS_ERR_NOMEM;
        r->terms = t;
        r->capterms = cap;
    }
    lzs_rterm_t *t = &r->terms[r->nterms];
    memset(t, 0, sizeof *t);
    t->text = strndup(text, len);
    if (t->text == NULL)
        return LZS_ERR_NOMEM;
    t->kind = kind;
    t->negated = negated;
    *index = r->nterms++;
    return LZS_OK;
}

lzs_status_t lzs_reading_filter(lzs_reading_t *r, const char *field, const char *value,
                                const char *label, const char *source, int negated)
{
    if (r->nfilters == r->capfilters) {
        size_t cap = r->capfilters ? r->capfilters * 2 : 8;
        lzs_rfilter_t *f = realloc(r->filters, cap * sizeof *f);
        if (f == NULL)
            return LZS_ERR_NOMEM;
        r->filters = f;
        r->capfilters = cap;
    }
    lzs_rfilter_t *f = &r->filters[r->nfilters];
    f->field = strdup(field);
    f->value = strdup(value);
    f->label = strdup(label ? label : value);
    f->source = source;
    f->negated = negated;
    if (f->field == NULL || f->value == NULL || f->label == NULL) {
        free(f->field);
        free(f->value);
        free(f->label);
        return LZS_ERR_NOMEM;
    }
    r->nfilters++;
    return LZS_OK;
}

lzs_status_t lzs_reading_alt(lzs_reading_t *r, size_t term, const char *display, int all,
                             const char *const *xterms, size_t n)
{
    if (r->nx + n > r->capx) {
        size_t cap = r->capx ? r->capx * 2 : 32;
        while (cap < r->nx + n)
            cap *= 2;
        char **x = realloc(r->xterms, cap * sizeof *x);
        if (x == NULL)
            return LZS_ERR_NOMEM;
        r->xterms = x;
        r->capx = cap;
    }
    if (r->nalts == r->capalts) {
        size_t cap = r->capalts ? r->capalts * 2 : 16;
        lzs_ralt_t *a = realloc(r->alts, cap * sizeof *a);
        if (a == NULL)
            return LZS_ERR_NOMEM;
        r->alts = a;
        r->capalts = cap;
    }
    size_t first = r->nx;
    for (size_t i = 0; i < n; i++) {
        r->xterms[r->nx] = strdup(xterms[i]);
        if (r->xterms[r->nx] == NULL) {
            while (r->nx > first)
                free(r->xterms[--r->nx]);
            return LZS_ERR_NOMEM;
        }
        r->nx++;
    }
    lzs_ralt_t *a = &r->alts[r->nalts];
    a->display = strdup(display);
    if (a->display == NULL) {
        while (r->nx > first)
            free(r->xterms[--r->nx]);
        return LZS_ERR_NOMEM;
    }
    a->term = term;
    a->all = all;
    a->first = first;
    a->n = n;
    r->nalts++;
    return LZS_OK;
}

/* ---- read_as ---------------------------------------------------------------------------- */

static json_t *strings_json(const lzs_strlist_t *l)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < l->n; i++) {
        if (json_array_append_new(a, json_string(l->items[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* Whether a thesaurus term of language lang counts as a synonym of t (a term in the
 * language the query is read in) rather than a translation. */
static int same_language(const lzs_reading_t *r, const lzs_rterm_t *t, const char *lang)
{
    if (r->lang[0])
        return strcmp(lang, r->lang) == 0;
    return lzs_strlist_contains(&t->own_langs, lang);
}

static json_t *term_json(const lzs_reading_t *r, const lzs_rterm_t *t)
{
    json_t *syn = strings_json(&t->synonyms);
    json_t *tr = json_array();
    for (size_t i = 0; syn != NULL && tr != NULL && i < t->alts.n; i++) {
        const char *lang = t->alt_langs.items[i];
        int bad;
        if (same_language(r, t, lang))
            bad = json_array_append_new(syn, json_string(t->alts.items[i])) != 0;
        else
            bad = json_array_append_new(
                      tr, json_pack("{s:s, s:s}", "lang", lang, "text", t->alts.items[i])) != 0;
        if (bad) {
            json_decref(syn);
            json_decref(tr);
            return NULL;
        }
    }
    json_t *party = json_null();
    if (t->party[0])
        party =
            json_pack("{s:s, s:s, s:o}", "code", t->party, "name",
                      t->party_name ? t->party_name : t->party, "names", strings_json(&t->names));
    if (syn == NULL || tr == NULL || party == NULL) {
        json_decref(syn);
        json_decref(tr);
        json_decref(party);
        return NULL;
    }
    return json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:o}", "text", t->text, "kind", t->kind,
                     "negated", t->negated, "forms", strings_json(&t->forms), "synonyms", syn,
                     "translations", tr, "party", party);
}

/* "grooming → grooming, groom…, solicitation of children for sexual purposes, ..." */
static void summary_term(lzs_buf_t *b, const lzs_rterm_t *t)
{
    if (t->negated) {
        lzs_buf_puts(b, "not ");
        lzs_buf_puts(b, t->text);
        return;
    }
    lzs_buf_puts(b, t->text);
    const lzs_strlist_t *lists[] = {&t->forms, &t->synonyms, &t->alts, &t->names};
    size_t shown = 0, more = 0;
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        for (size_t i = 0; i < lists[l]->n; i++) {
            if (shown == SUMMARY_ITEMS) {
                more++;
                continue;
            }
            lzs_buf_puts(b, shown ? ", " : " \xE2\x86\x92 ");
            lzs_buf_puts(b, lists[l]->items[i]);
            shown++;
        }
    }
    if (more)
        lzs_buf_puts(b, ", \xE2\x80\xA6");
}

static char *summary(const lzs_reading_t *r)
{
    lzs_buf_t b = {0};
    for (size_t i = 0; i < r->nterms; i++) {
        if (i)
            lzs_buf_puts(&b, "; ");
        summary_term(&b, &r->terms[i]);
    }
    for (size_t i = 0; i < r->nfilters; i++) {
        const lzs_rfilter_t *f = &r->filters[i];
        lzs_buf_puts(&b, r->nterms || i ? "; " : "");
        lzs_buf_puts(&b, f->negated ? "not " : "");
        lzs_buf_puts(&b, f->field);
        lzs_buf_puts(&b, ": ");
        lzs_buf_puts(&b, f->label);
    }
    const char *lang = r->lang_ranked ? lzs_search_lang_label(r->lang) : NULL;
    if (lang) {
        lzs_buf_puts(&b, r->nterms || r->nfilters ? "; " : "");
        lzs_buf_puts(&b, "passages in ");
        lzs_buf_puts(&b, lang);
        lzs_buf_puts(&b, " first");
    }
    return lzs_buf_take(&b, NULL);
}

json_t *lzs_reading_json(const lzs_reading_t *r)
{
    json_t *terms = json_array(), *filters = json_array();
    char *line = summary(r);
    for (size_t i = 0; terms != NULL && i < r->nterms; i++) {
        if (json_array_append_new(terms, term_json(r, &r->terms[i])) != 0) {
            json_decref(terms);
            terms = NULL;
        }
    }
    for (size_t i = 0; filters != NULL && i < r->nfilters; i++) {
        const lzs_rfilter_t *f = &r->filters[i];
        if (json_array_append_new(filters, json_pack("{s:s, s:s, s:s, s:s, s:b}", "field", f->field,
                                                     "value", f->value, "label", f->label, "source",
                                                     f->source, "negated", f->negated)) != 0) {
            json_decref(filters);
            filters = NULL;
        }
    }
    json_t *out = NULL;
    if (terms != NULL && filters != NULL && line != NULL)
        out = json_pack("{s:s, s:o, s:o, s:b, s:O, s:O}", "summary", line, "lang",
                        r->lang[0] ? json_string(r->lang) : json_null(), "lang_source",
                        r->lang_source ? json_string(r->lang_source) : json_null(), "lang_ranked",
                        r->lang_ranked, "terms", terms, "filters", filters);
    free(line);
    json_decref(terms);
    json_decref(filters);
    return out;
}

/* ---- explain ---------------------------------------------------------------------------- */

static int collect_term(void *ud, const char *term, size_t len, uint32_t freq)
{
    (void)freq;
    return lzs_sset_add(ud, term, len) != LZS_OK;
}

static int alt_found(const lzs_reading_t *r, const lzs_ralt_t *a, const lzs_sset_t *have)
{
    size_t found = 0;
    for (size_t i = 0; i < a->n; i++) {
        const char *x = r->xterms[a->first + i];
        found += lzs_sset_has(have, x, strlen(x)) != 0;
    }
    return a->n > 0 && (a->all ? found == a->n : found > 0);
}

lzs_status_t lzs_reading_explain(const lzs_reading_t *r, lzs_xenq_t *enq, lzs_docid_t docid,
                                 json_t **out)
{
    *out = NULL;
    lzs_sset_t have = {0};
    lzs_status_t st = lzs_xenq_matching_terms(enq, docid, collect_term, &have);
    json_t *arr = st == LZS_OK ? json_array() : NULL;
    if (st == LZS_OK && arr == NULL)
        st = LZS_ERR_NOMEM;
    for (size_t t = 0; st == LZS_OK && t < r->nterms; t++) {
        if (r->terms[t].negated)
            continue;
        lzs_strlist_t matched = {0};
        for (size_t i = 0; st == LZS_OK && i < r->nalts; i++) {
            if (r->alts[i].term == t && alt_found(r, &r->alts[i], &have))
                st = lzs_strlist_push_unique(&matched, r->alts[i].display);
        }
        if (st == LZS_OK && matched.n > 0) {
            json_t *m = strings_json(&matched);
            json_t *o = m ? json_pack("{s:s, s:o}", "term", r->terms[t].text, "matched", m) : NULL;
            if (o == NULL || json_array_append_new(arr, o) != 0)
                st = LZS_ERR_NOMEM;
        }
        lzs_strlist_clear(&matched);
    }
    lzs_sset_clear(&have);
    if (st != LZS_OK) {
        json_decref(arr);
        return st;
    }
    *out = arr;
    return LZS_OK;
}
