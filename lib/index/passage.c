/* passage.c — the Xapian document of one passage, laid out as lzs/schema.h says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/index_internal.h"
#include "lzs/file.h"
#include "lzs/schema.h"

/* prefix + value into buf; 0 when it does not fit in a Xapian term. */
static int make_term(char *buf, const char *prefix, const char *value)
{
    size_t lp = strlen(prefix), lv = strlen(value);
    if (lp + lv > LZS_XDB_MAX_TERM)
        return 0;
    memcpy(buf, prefix, lp);
    memcpy(buf + lp, value, lv + 1);
    return 1;
}

/* A filter term. Values too long to be a term cannot be filtered on: they are left out,
 * since the passage is still found by its text. */
static lzs_status_t add_bool(lzs_xdoc_t *xd, const char *prefix, const char *value)
{
    char term[LZS_XDB_MAX_TERM + 1];
    if (!value || !*value || !make_term(term, prefix, value))
        return LZS_OK;
    return lzs_xdoc_add_boolean_term(xd, term);
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int has_digit(const char *s)
{
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            return 1;
    }
    return 0;
}

/* Adds a term, with a position when pos > 0. LZS_ERR_LIMIT (an over-long term) is not an
 * error: the pipeline already cuts tokens, so only pathological input gets here. */
static lzs_status_t add_text_term(lzs_xdoc_t *xd, const char *prefix, const char *value,
                                  uint32_t pos)
{
    char term[LZS_XDB_MAX_TERM + 1];
    if (!*value || !make_term(term, prefix, value))
        return LZS_OK;
    lzs_status_t st =
        pos > 0 ? lzs_xdoc_add_posting(xd, term, pos, 1) : lzs_xdoc_add_term(xd, term, 1);
    return st == LZS_ERR_LIMIT ? LZS_OK : st;
}

/* The words a passage gives the spelling table: folded ALPHA tokens of 3 characters or more,
 * without digits and not codes. */
static int is_spelling_word(const lzs_token_t *tok)
{
    return (tok->flags & LZS_TOK_ALPHA) && !(tok->flags & LZS_TOK_CODE) &&
           !has_digit(tok->folded) && utf8_chars(tok->folded) >= 3;
}

lzs_status_t lzs_index_count_spelling(lzs_text_t *text, const char *s, lzs_wordcount_t *spell)
{
    lzs_tokens_t *toks = NULL;
    lzs_status_t st = lzs_text_tokenize(text, s, strlen(s), &toks);
    size_t n = st == LZS_OK ? lzs_tokens_count(toks) : 0;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        const lzs_token_t *tok = lzs_tokens_get(toks, i);
        if (is_spelling_word(tok))
            st = lzs_wordcount_add(spell, tok->folded, 1);
    }
    lzs_tokens_destroy(toks);
    return st;
}

typedef struct {
    lzs_text_t *text;
    lzs_xdoc_t *xd;
    const char *lang;
    int stem_ok;                  /* cleared once the language proves to have no stemmer */
    lzs_wordcount_t *spell;       /* NULL: do not count */
    const lzs_phrases_t *phrases; /* NULL: no phrase terms */
} textctx_t;

/* The stem of the token, and the stem of its accent-folded form when that differs: the
 * stemmer reads accented letters as letters of their own ("röszke" keeps its e, "roszke"
 * loses it), and a query typed without the accents must meet the word. */
static lzs_status_t add_stems(textctx_t *c, const lzs_token_t *tok)
{
    const char *stem = NULL;
    lzs_status_t sst = lzs_text_stem(c->text, c->lang, tok->norm, &stem);
    if (sst == LZS_ERR_NOT_FOUND || sst == LZS_ERR_INVALID) {
        c->stem_ok = 0; /* no stemmer for this language: unstemmed terms only */
        return LZS_OK;
    }
    if (sst != LZS_OK)
        return sst;
    if (stem == NULL)
        return LZS_OK;
    lzs_status_t st = add_text_term(c->xd, LZS_PFX_STEM, stem, 0);
    if (st != LZS_OK || strcmp(tok->norm, tok->folded) == 0)
        return st;
    char first[LZS_XDB_MAX_TERM + 1];
    snprintf(first, sizeof first, "%s", stem); /* the next stem reuses the buffer */
    sst = lzs_text_stem(c->text, c->lang, tok->folded, &stem);
    if (sst != LZS_OK)
        return sst;
    if (stem != NULL && strcmp(stem, first) != 0)
        st = add_text_term(c->xd, LZS_PFX_STEM, stem, 0);
    return st;
}

static lzs_status_t index_text(textctx_t *c, const char *s, int positional)
{
    lzs_tokens_t *toks = NULL;
    lzs_status_t st = lzs_text_tokenize(c->text, s, strlen(s), &toks);
    if (st != LZS_OK)
        return st;
    size_t n = lzs_tokens_count(toks);
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        const lzs_token_t *tok = lzs_tokens_get(toks, i);
        uint32_t pos = positional ? tok->pos : 0;
        st = add_text_term(c->xd, "", tok->folded, pos);
        if (st == LZS_OK && strcmp(tok->norm, tok->folded) != 0)
            st = add_text_term(c->xd, LZS_PFX_EXACT, tok->norm, pos);
        if (st == LZS_OK && (tok->flags & LZS_TOK_ALPHA) && c->stem_ok)
            st = add_stems(c, tok);
        if (st == LZS_OK && c->spell && is_spelling_word(tok))
            st = lzs_wordcount_add(c->spell, tok->folded, 1);
    }
    if (st == LZS_OK && positional)
        st = lzs_phrases_add_terms(c->phrases, toks, c->xd);
    lzs_tokens_destroy(toks);
    return st;
}

char *lzs_index_join(const char *const *items, size_t n, char sep)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(items[i]) + 1;
    char *out = malloc(len), *q = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            *q++ = sep;
        size_t l = strlen(items[i]);
        memcpy(q, items[i], l);
        q += l;
    }
    *q = '\0';
    return out;
}

static lzs_status_t set_str_value(lzs_xdoc_t *xd, lzs_slot_t slot, const char *s)
{
    if (!s || !*s)
        return LZS_OK;
    return lzs_xdoc_set_value(xd, slot, s, strlen(s));
}

static lzs_status_t set_list_value(lzs_xdoc_t *xd, lzs_slot_t slot, const char *const *items,
                                   size_t n)
{
    if (n == 0)
        return LZS_OK;
    char *s = lzs_index_join(items, n, LZS_MULTI_SEP);
    if (!s)
        return LZS_ERR_NOMEM;
    lzs_status_t st = lzs_xdoc_set_value(xd, slot, s, strlen(s));
    free(s);
    return st;
}

/* Base number of an article citation: its leading digits ("38(2)" -> "38"). */
static void article_base(const char *cit, char *buf, size_t cap)
{
    size_t i = 0;
    while (cit[i] >= '0' && cit[i] <= '9' && i + 1 < cap) {
        buf[i] = cit[i];
        i++;
    }
    buf[i] = '\0';
}

/* Reference terms: the case-folded reference, and without its language suffix ("_en"). */
static lzs_status_t add_ref_terms(lzs_text_t *text, lzs_xdoc_t *xd, const char *ref)
{
    if (!ref || !*ref)
        return LZS_OK;
    char *norm = NULL;
    lzs_status_t st = lzs_text_normalize(text, ref, strlen(ref), &norm);
    if (st != LZS_OK)
        return st;
    st = add_bool(xd, LZS_PFX_REF, norm);
    size_t len = strlen(norm);
    size_t us = len;
    while (us > 0 && norm[us - 1] >= 'a' && norm[us - 1] <= 'z')
        us--;
    if (st == LZS_OK && us > 1 && norm[us - 1] == '_' && len - us >= 2 && len - us <= 3) {
        norm[us - 1] = '\0';
        st = add_bool(xd, LZS_PFX_REF, norm);
    }
    free(norm);
    return st;
}

static lzs_status_t add_lowered(lzs_text_t *text, lzs_xdoc_t *xd, const char *prefix, const char *s)
{
    if (!s || !*s)
        return LZS_OK;
    char *norm = NULL;
    lzs_status_t st = lzs_text_normalize(text, s, strlen(s), &norm);
    if (st != LZS_OK)
        return st;
    st = add_bool(xd, prefix, norm);
    free(norm);
    return st;
}

/* What the passage cites (schema.h: XCD:, XCR:, XCRI:, XI:, XCO:). */
static lzs_status_t add_citation_terms(lzs_text_t *text, lzs_xdoc_t *xd, const lzs_passage_t *p)
{
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; st == LZS_OK && i < p->cites.n; i++)
        st = add_bool(xd, LZS_PFX_CITES_DOC, p->cites.items[i]);
    for (size_t i = 0; st == LZS_OK && i < p->cites_recs.n; i++) {
        const char *key = p->cites_recs.items[i];
        const char *colon = strrchr(key, ':');
        st = add_lowered(text, xd, LZS_PFX_CITES_REC, key);
        if (st == LZS_OK && colon)
            st = add_lowered(text, xd, LZS_PFX_CITES_RECID, colon + 1);
    }
    for (size_t i = 0; st == LZS_OK && i < p->cites_ambiguous.n; i++)
        st = add_lowered(text, xd, LZS_PFX_CITES_RECID, p->cites_ambiguous.items[i]);
    for (size_t i = 0; st == LZS_OK && i < p->instruments.n; i++)
        st = add_bool(xd, LZS_PFX_INSTRUMENT, p->instruments.items[i]);
    for (size_t i = 0; st == LZS_OK && i < p->cites_opinions.n; i++)
        st = add_bool(xd, LZS_PFX_CITES_OPINION, p->cites_opinions.items[i]);
    return st;
}

static int valid_utf8(const char *s)
{
    return !s || lzs_text_is_valid_utf8(s, strlen(s));
}

static lzs_status_t set_data(lzs_xdoc_t *xd, const char *pid, const lzs_document_t *doc,
                             const lzs_passage_t *p)
{
    json_t *meta = lzs_document_meta_to_json(doc);
    json_t *pj = lzs_passage_to_json(p);
    json_t *o = json_object();
    if (!meta || !pj || !o || json_object_set_new(o, "id", json_string(pid)) != 0) {
        json_decref(meta);
        json_decref(pj);
        json_decref(o);
        /* jansson also fails on strings that are not UTF-8: say so rather than blame memory
         * (the extractor promises valid UTF-8; this guards the API's other callers). */
        if (!valid_utf8(doc->id) || !valid_utf8(doc->title) || !valid_utf8(doc->ref) ||
            !valid_utf8(doc->source) || !valid_utf8(p->text) || !valid_utf8(p->label) ||
            !valid_utf8(p->rec_id))
            return LZS_ERR_UTF8;
        return LZS_ERR_NOMEM;
    }
    json_object_set_new(o, "doc", meta);
    json_object_set_new(o, "passage", pj);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!s)
        return LZS_ERR_NOMEM;
    lzs_status_t st = lzs_xdoc_set_data(xd, s, strlen(s));
    free(s);
    return st;
}

/* What the filter terms and the values of a passage share: its year and the base numbers of
 * the articles it cites. */
typedef struct {
    char year[16];       /* "2021", or LZS_YEAR_NONE */
    lzs_strlist_t bases; /* "38", once each */
} shared_t;

/* Step 1: the terms that name the passage: its id (Q), its file (XF:) and its document
 * (XD:). pid gets the passage id. */
static lzs_status_t add_id_terms(lzs_xdoc_t *xd, const lzs_document_t *doc, const lzs_passage_t *p,
                                 const char *file, char pid[LZS_XDB_MAX_TERM + 1], char **errmsg)
{
    int n = snprintf(pid, LZS_XDB_MAX_TERM + 1, "%s:%u", doc->id, (unsigned)p->ordinal);
    char term[LZS_XDB_MAX_TERM + 1];
    if (n < 0 || !make_term(term, LZS_PFX_ID, pid)) {
        lzs_set_errmsg(errmsg, "document id too long (%zu bytes)", strlen(doc->id));
        return LZS_ERR_LIMIT;
    }
    lzs_status_t st = lzs_xdoc_add_boolean_term(xd, term);
    if (st == LZS_OK && file) {
        if (!make_term(term, LZS_PFX_FILE, file)) {
            lzs_set_errmsg(errmsg, "path too long (%zu bytes)", strlen(file));
            return LZS_ERR_LIMIT;
        }
        st = lzs_xdoc_add_boolean_term(xd, term);
    }
    if (st == LZS_OK)
        st = add_bool(xd, LZS_PFX_DOC, doc->id);
    return st;
}

/* Step 2: the free text, then the headings above the passage (weight, no positions). */
static lzs_status_t add_text_terms(lzs_text_t *text, lzs_xdoc_t *xd, const lzs_document_t *doc,
                                   const lzs_passage_t *p, lzs_wordcount_t *spell,
                                   const lzs_phrases_t *phrases)
{
    textctx_t c = {text, xd, doc->lang, doc->lang[0] != '\0', spell, phrases};
    lzs_status_t st = LZS_OK;
    if (p->text)
        st = index_text(&c, p->text, 1);
    c.spell = NULL;
    for (size_t i = 0; st == LZS_OK && i < p->section.n; i++)
        st = index_text(&c, p->section.items[i], 0);
    return st;
}

/* Step 3: the filter terms (schema.h's boolean terms but the passage's ids). */
static lzs_status_t add_filter_terms(lzs_text_t *text, lzs_xdoc_t *xd, const lzs_document_t *doc,
                                     const lzs_passage_t *p, shared_t *sh)
{
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; st == LZS_OK && i < p->parties.n; i++)
        st = add_bool(xd, LZS_PFX_PARTY, p->parties.items[i]);
    for (size_t i = 0; st == LZS_OK && i < p->addressees.n; i++)
        st = add_bool(xd, LZS_PFX_ADDRESSEE, p->addressees.items[i]);
    for (size_t i = 0; st == LZS_OK && i < p->articles.n; i++) {
        char base[32];
        article_base(p->articles.items[i], base, sizeof base);
        st = add_bool(xd, LZS_PFX_ARTICLE, p->articles.items[i]);
        if (st == LZS_OK && *base) {
            st = add_bool(xd, LZS_PFX_ARTICLE, base);
            if (st == LZS_OK)
                st = lzs_strlist_push_unique(&sh->bases, base);
        }
    }
    if (st == LZS_OK)
        st = add_bool(xd, LZS_PFX_YEAR, sh->year);
    if (st == LZS_OK && p->level != LZS_LEVEL_NONE)
        st = add_bool(xd, LZS_PFX_LEVEL, lzs_level_name(p->level));
    if (st == LZS_OK)
        st = add_bool(xd, LZS_PFX_TYPE, lzs_doctype_name(doc->type));
    if (st == LZS_OK)
        st = add_bool(xd, LZS_PFX_LANG, doc->lang);
    if (st == LZS_OK)
        st = add_ref_terms(text, xd, doc->ref);
    if (st == LZS_OK)
        st = add_lowered(text, xd, LZS_PFX_REC, p->rec_id);
    if (st == LZS_OK && p->rec_key) {
        /* the identifier as the key normalises it ("R V-17" -> "V-17"): after the key's
         * last ':' */
        const char *colon = strrchr(p->rec_key, ':');
        st = add_lowered(text, xd, LZS_PFX_REC, colon ? colon + 1 : p->rec_key);
        if (st == LZS_OK)
            st = add_lowered(text, xd, LZS_PFX_RECKEY, p->rec_key);
    }
    if (st == LZS_OK)
        st = add_bool(xd, LZS_PFX_VERSION, doc->version_key);
    if (st == LZS_OK)
        st = add_bool(xd, LZS_PFX_KIND, lzs_kind_name(p->kind));
    if (st == LZS_OK)
        st = add_citation_terms(text, xd, p);
    if (st == LZS_OK && doc->opinion)
        st = add_bool(xd, LZS_PFX_OPINION, doc->opinion);
    return st;
}

/* The reading-order value: document id, '\0', the sortable ordinal (ord, ordlen bytes). */
static lzs_status_t set_order_value(lzs_xdoc_t *xd, const char *doc_id, const char *ord,
                                    size_t ordlen)
{
    size_t idlen = strlen(doc_id);
    char *order = malloc(idlen + 1 + ordlen);
    if (!order)
        return LZS_ERR_NOMEM;
    memcpy(order, doc_id, idlen);
    order[idlen] = '\0';
    memcpy(order + idlen + 1, ord, ordlen);
    lzs_status_t st = lzs_xdoc_set_value(xd, LZS_SLOT_ORDER, order, idlen + 1 + ordlen);
    free(order);
    return st;
}

/* The cited-documents value: the documents cited by code, then the opinions cited by
 * title (by key). */
static lzs_status_t set_cites_value(lzs_xdoc_t *xd, const lzs_passage_t *p)
{
    lzs_strlist_t cited = {0};
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; st == LZS_OK && i < p->cites.n; i++)
        st = lzs_strlist_push(&cited, p->cites.items[i]);
    for (size_t i = 0; st == LZS_OK && i < p->cites_opinions.n; i++)
        st = lzs_strlist_push(&cited, p->cites_opinions.items[i]);
    if (st == LZS_OK)
        st = set_list_value(xd, LZS_SLOT_CITES, (const char *const *)cited.items, cited.n);
    lzs_strlist_clear(&cited);
    return st;
}

/* Step 4: the value slots. */
static lzs_status_t set_values(lzs_xdoc_t *xd, const lzs_document_t *doc, const lzs_passage_t *p,
                               const shared_t *sh)
{
    char ord[32];
    size_t ordlen = lzs_xdb_sortable_serialise((double)p->ordinal, ord);
    lzs_status_t st = set_str_value(xd, LZS_SLOT_DOCID, doc->id);
    if (st == LZS_OK)
        st = set_str_value(xd, LZS_SLOT_DATE, doc->date);
    if (st == LZS_OK)
        st = set_str_value(xd, LZS_SLOT_YEAR, sh->year);
    if (st == LZS_OK && p->level != LZS_LEVEL_NONE)
        st = set_str_value(xd, LZS_SLOT_LEVEL, lzs_level_name(p->level));
    if (st == LZS_OK)
        st = set_str_value(xd, LZS_SLOT_TYPE, lzs_doctype_name(doc->type));
    if (st == LZS_OK)
        st = set_str_value(xd, LZS_SLOT_LANG, doc->lang);
    if (st == LZS_OK)
        st = set_list_value(xd, LZS_SLOT_PARTIES, (const char *const *)p->parties.items,
                            p->parties.n);
    if (st == LZS_OK)
        st = set_list_value(xd, LZS_SLOT_ADDRESSEES, (const char *const *)p->addressees.items,
                            p->addressees.n);
    if (st == LZS_OK)
        st = set_list_value(xd, LZS_SLOT_ARTICLES, (const char *const *)sh->bases.items,
                            sh->bases.n);
    if (st == LZS_OK)
        st = set_order_value(xd, doc->id, ord, ordlen);
    if (st == LZS_OK)
        st = lzs_xdoc_set_value(xd, LZS_SLOT_ORDINAL, ord, ordlen);
    if (st == LZS_OK)
        st = set_str_value(xd, LZS_SLOT_KIND, lzs_kind_name(p->kind));
    if (st == LZS_OK)
        st = set_str_value(xd, LZS_SLOT_REC, p->rec_id);
    if (st == LZS_OK)
        st = set_str_value(xd, LZS_SLOT_RECKEY, p->rec_key);
    if (st == LZS_OK)
        st = set_str_value(xd, LZS_SLOT_VERSION, doc->version_key);
    if (st == LZS_OK)
        st = set_cites_value(xd, p);
    if (st == LZS_OK)
        st = set_list_value(xd, LZS_SLOT_INSTRUMENTS, (const char *const *)p->instruments.items,
                            p->instruments.n);
    return st;
}

static lzs_status_t build(lzs_text_t *text, const lzs_document_t *doc, const lzs_passage_t *p,
                          const char *file, lzs_wordcount_t *spell, const lzs_phrases_t *phrases,
                          lzs_xdoc_t *xd, char **errmsg)
{
    char pid[LZS_XDB_MAX_TERM + 1];
    lzs_status_t st = add_id_terms(xd, doc, p, file, pid, errmsg);
    if (st == LZS_ERR_LIMIT)
        return st; /* the message says which */
    /* An undated document's passages have the year "none": year=none finds them, and the
     * year facet counts them, so that no document is missing from a browse by year. */
    shared_t sh = {LZS_YEAR_NONE, {0}};
    if (doc->year > 0)
        snprintf(sh.year, sizeof sh.year, "%d", doc->year);
    if (st == LZS_OK)
        st = add_text_terms(text, xd, doc, p, spell, phrases);
    if (st == LZS_OK)
        st = add_filter_terms(text, xd, doc, p, &sh);
    if (st == LZS_OK)
        st = set_values(xd, doc, p, &sh);
    lzs_strlist_clear(&sh.bases);
    if (st == LZS_OK)
        st = set_data(xd, pid, doc, p);
    if (st != LZS_OK && errmsg && !*errmsg)
        lzs_set_errmsg(errmsg, "passage %s: %s", pid, lzs_status_str(st));
    return st;
}

lzs_status_t lzs_index_build_passage(lzs_text_t *text, const lzs_document_t *doc,
                                     const lzs_passage_t *p, const char *file,
                                     lzs_wordcount_t *spell, const lzs_phrases_t *phrases,
                                     lzs_xdoc_t **out, char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    *out = NULL;
    if (!text || !doc || !p || !doc->id) {
        lzs_set_errmsg(errmsg, "lzs_index_passage_doc: missing argument or document id");
        return LZS_ERR_INVALID;
    }
    lzs_xdoc_t *xd = NULL;
    lzs_status_t st = lzs_xdoc_create(&xd);
    if (st != LZS_OK) {
        lzs_set_errmsg(errmsg, "cannot create a document: %s", lzs_status_str(st));
        return st;
    }
    st = build(text, doc, p, file, spell, phrases, xd, errmsg);
    if (st != LZS_OK) {
        lzs_xdoc_destroy(xd);
        return st;
    }
    *out = xd;
    return LZS_OK;
}

lzs_status_t lzs_index_passage_doc(lzs_text_t *text, const lzs_document_t *doc,
                                   const lzs_passage_t *p, lzs_xdoc_t **out, char **errmsg)
{
    return lzs_index_build_passage(text, doc, p, doc ? doc->source : NULL, NULL, NULL, out, errmsg);
}
