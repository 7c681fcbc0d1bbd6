/* model.c — the document model: names of types/kinds/levels, string lists, documents
 * and their JSON form. */
#include <stdlib.h>
#include <string.h>

#include "shared_internal.h"
#include "lzs/model.h"

static const char *const doctype_names[LZS_DOC_TYPE_COUNT] = {
    "decisions",         "opinion",   "declaration",      "implementation-report",
    "compliance-report", "factsheet", "information-note", "activity-report",
    "presentation",      "agenda",    "meeting-report",   "questionnaire",
    "working-group-report", "other",
};

static const char *const kind_names[LZS_KIND_COUNT] = {
    "heading", "paragraph", "recommendation", "list-item", "footnote",
};

static const char *const level_names[LZS_LEVEL_COUNT] = {
    NULL, "require", "request", "invite", "urge", "consider",
};

const char *lzs_doctype_name(lzs_doctype_t t)
{
    if ((int)t < 0 || t >= LZS_DOC_TYPE_COUNT)
        return "other";
    return doctype_names[t];
}

int lzs_doctype_from_name(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < LZS_DOC_TYPE_COUNT; i++) {
        if (strcmp(name, doctype_names[i]) == 0)
            return i;
    }
    return -1;
}

const char *lzs_kind_name(lzs_kind_t k)
{
    if ((int)k < 0 || k >= LZS_KIND_COUNT)
        return "paragraph";
    return kind_names[k];
}

int lzs_kind_from_name(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < LZS_KIND_COUNT; i++) {
        if (strcmp(name, kind_names[i]) == 0)
            return i;
    }
    /* Accept the spelling with a space or underscore too ("list item"). */
    if (strcmp(name, "list item") == 0 || strcmp(name, "list_item") == 0)
        return LZS_KIND_LIST_ITEM;
    return -1;
}

const char *lzs_level_name(lzs_level_t l)
{
    if ((int)l <= 0 || l >= LZS_LEVEL_COUNT)
        return NULL;
    return level_names[l];
}

int lzs_level_from_name(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 1; i < LZS_LEVEL_COUNT; i++) {
        if (strcmp(name, level_names[i]) == 0)
            return i;
    }
    return -1;
}

lzs_status_t lzs_strlist_push(lzs_strlist_t *l, const char *s)
{
    if (l == NULL || s == NULL)
        return LZS_ERR_INVALID;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        char **items = realloc(l->items, cap * sizeof *items);
        if (items == NULL)
            return LZS_ERR_NOMEM;
        l->items = items;
        l->cap = cap;
    }
    char *copy = strdup(s);
    if (copy == NULL)
        return LZS_ERR_NOMEM;
    l->items[l->n++] = copy;
    return LZS_OK;
}

lzs_status_t lzs_strlist_push_unique(lzs_strlist_t *l, const char *s)
{
    if (l == NULL || s == NULL)
        return LZS_ERR_INVALID;
    if (lzs_strlist_contains(l, s))
        return LZS_OK;
    return lzs_strlist_push(l, s);
}

int lzs_strlist_contains(const lzs_strlist_t *l, const char *s)
{
    if (l == NULL || s == NULL)
        return 0;
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i], s) == 0)
            return 1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void lzs_strlist_sort(lzs_strlist_t *l)
{
    if (l == NULL || l->n < 2)
        return;
    qsort(l->items, l->n, sizeof *l->items, cmp_str);
}

void lzs_strlist_clear(lzs_strlist_t *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

lzs_document_t *lzs_document_new(void)
{
    lzs_document_t *doc = calloc(1, sizeof *doc);
    if (doc == NULL)
        return NULL;
    doc->type = LZS_DOC_OTHER;
    return doc;
}

/* The passage array grows by doubling from 8, so its capacity follows from npassages
 * alone and the public struct needs no capacity field. */
static size_t passage_cap(size_t n)
{
    size_t cap = 8;
    while (cap < n)
        cap *= 2;
    return cap;
}

lzs_passage_t *lzs_document_add_passage(lzs_document_t *doc)
{
    if (doc == NULL)
        return NULL;
    size_t n = doc->npassages;
    if (n == 0 || n == passage_cap(n)) {
        size_t cap = n == 0 ? 8 : passage_cap(n) * 2;
        lzs_passage_t *p = realloc(doc->passages, cap * sizeof *p);
        if (p == NULL)
            return NULL;
        doc->passages = p;
    }
    lzs_passage_t *p = &doc->passages[n];
    memset(p, 0, sizeof *p);
    p->ordinal = (uint32_t)(n + 1);
    p->kind = LZS_KIND_PARAGRAPH;
    p->level = LZS_LEVEL_NONE;
    doc->npassages = n + 1;
    return p;
}

static void passage_clear(lzs_passage_t *p)
{
    free(p->label);
    lzs_strlist_clear(&p->section);
    free(p->text);
    lzs_strlist_clear(&p->parties);
    lzs_strlist_clear(&p->articles);
    free(p->rec_id);
    free(p->rec_key);
    lzs_strlist_clear(&p->addressees);
    lzs_strlist_clear(&p->cites);
    lzs_strlist_clear(&p->cites_recs);
    lzs_strlist_clear(&p->cites_ambiguous);
    lzs_strlist_clear(&p->instruments);
    lzs_strlist_clear(&p->cites_opinions);
}

void lzs_document_free(lzs_document_t *doc)
{
    if (doc == NULL)
        return;
    for (size_t i = 0; i < doc->npassages; i++)
        passage_clear(&doc->passages[i]);
    free(doc->passages);
    free(doc->id);
    free(doc->ref);
    free(doc->title);
    free(doc->date);
    free(doc->revision);
    free(doc->date_end);
    free(doc->adopted);
    free(doc->source);
    free(doc->url);
    free(doc->version_of);
    free(doc->version_key);
    free(doc->round);
    free(doc->opinion);
    free(doc);
}

/* ---- JSON ---------------------------------------------------------------- */

/* Sets key to a string or null; returns 0 on failure. */
static int set_str(json_t *obj, const char *key, const char *s)
{
    json_t *v = s ? json_string(s) : json_null();
    if (v == NULL)
        return 0;
    return json_object_set_new(obj, key, v) == 0;
}

static json_t *strlist_json(const lzs_strlist_t *l)
{
    json_t *arr = json_array();
    if (arr == NULL)
        return NULL;
    for (size_t i = 0; i < l->n; i++) {
        json_t *s = json_string(l->items[i]);
        if (s == NULL || json_array_append_new(arr, s) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static int set_list(json_t *obj, const char *key, const lzs_strlist_t *l)
{
    json_t *arr = strlist_json(l);
    if (arr == NULL)
        return 0;
    return json_object_set_new(obj, key, arr) == 0;
}

json_t *lzs_passage_to_json(const lzs_passage_t *p)
{
    if (p == NULL)
        return NULL;
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    int ok = json_object_set_new(o, "no", json_integer(p->ordinal)) == 0 &&
             set_str(o, "label", p->label) && set_str(o, "kind", lzs_kind_name(p->kind)) &&
             set_list(o, "section", &p->section) && set_str(o, "text", p->text ? p->text : "") &&
             set_str(o, "rec_id", p->rec_id) && set_str(o, "rec_key", p->rec_key) &&
             set_str(o, "level", lzs_level_name(p->level)) &&
             set_list(o, "addressees", &p->addressees) && set_list(o, "parties", &p->parties) &&
             set_list(o, "articles", &p->articles) &&
             json_object_set_new(o, "page", p->page ? json_integer(p->page) : json_null()) == 0 &&
             set_list(o, "cites", &p->cites) && set_list(o, "cites_recs", &p->cites_recs) &&
             set_list(o, "cites_ambiguous", &p->cites_ambiguous) &&
             set_list(o, "instruments", &p->instruments) &&
             set_list(o, "cites_opinions", &p->cites_opinions);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *lzs_document_meta_to_json(const lzs_document_t *doc)
{
    if (doc == NULL)
        return NULL;
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    /* json_object_set_new() releases the value and fails when it is NULL. */
    int ok =
        set_str(o, "id", doc->id) && set_str(o, "ref", doc->ref) &&
        set_str(o, "revision", doc->revision) && set_str(o, "title", doc->title) &&
        set_str(o, "type", lzs_doctype_name(doc->type)) &&
        json_object_set_new(o, "draft", json_boolean(doc->draft)) == 0 &&
        set_str(o, "date", doc->date) && set_str(o, "date_end", doc->date_end) &&
        set_str(o, "adopted", doc->adopted) &&
        json_object_set_new(o, "year", doc->year ? json_integer(doc->year) : json_null()) == 0 &&
        set_str(o, "lang", doc->lang[0] ? doc->lang : NULL) && set_str(o, "source", doc->source) &&
        set_str(o, "url", doc->url);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *lzs_document_to_json(const lzs_document_t *doc)
{
    json_t *o = lzs_document_meta_to_json(doc);
    if (o == NULL)
        return NULL;
    if (!set_str(o, "version_of", doc->version_of) ||
        !set_str(o, "version_key", doc->version_key) || !set_str(o, "round", doc->round)) {
        json_decref(o);
        return NULL;
    }
    json_t *arr = json_array();
    if (arr == NULL || json_object_set_new(o, "passages", arr) != 0) {
        json_decref(o);
        return NULL;
    }
    for (size_t i = 0; i < doc->npassages; i++) {
        json_t *p = lzs_passage_to_json(&doc->passages[i]);
        if (p == NULL || json_array_append_new(arr, p) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}
