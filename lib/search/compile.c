/* compile.c — from a request (query syntax tree plus structured filters) to one Xapian
 * query, and the list of forms snippets must mark.
 *
 * A word becomes OP_SYNONYM of its stems ("Z" + stem) in every language of the index (or
 * of the language filter), plus the accent-folded form when some language has no stemmer:
 * the forms of one word weigh as one term, so a word found in two languages does not
 * outscore a word found twice. Hyphenated words match their joined form or the phrase of
 * their parts ("co-operation" finds "cooperation" and "co-operation"); codes ("V-17",
 * "T-ES(2021)31") match as whole terms. Runs of consecutive words are looked up in the
 * index's synonym table (longest run first) and their synonyms added to the same
 * OP_SYNONYM, multi-word ones as phrases. Field filters are boolean terms: they restrict
 * without weighing (OP_FILTER, or scaled to 0 inside an OR).
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lzs/extract.h"
#include "lzs/model.h"
#include "lzs/schema.h"
#include "search_internal.h"

/* ---- query vectors ------------------------------------------------------------ */

typedef struct {
    lzs_xquery_t **v;
    size_t n, cap;
} qvec_t;

static lzs_status_t qv_push(qvec_t *qv, lzs_xquery_t *q)
{
    if (!q)
        return LZS_OK;
    if (qv->n == qv->cap) {
        size_t ncap = qv->cap ? qv->cap * 2 : 8;
        lzs_xquery_t **nv = realloc(qv->v, ncap * sizeof *nv);
        if (!nv) {
            lzs_xquery_destroy(q);
            return LZS_ERR_NOMEM;
        }
        qv->v = nv;
        qv->cap = ncap;
    }
    qv->v[qv->n++] = q;
    return LZS_OK;
}

static void qv_free(qvec_t *qv)
{
    for (size_t i = 0; i < qv->n; i++)
        lzs_xquery_destroy(qv->v[i]);
    free(qv->v);
    qv->v = NULL;
    qv->n = qv->cap = 0;
}

/* Combines the queries of qv with op and empties qv (its queries are consumed either
 * way). One query is returned as is; none gives *out NULL. */
static lzs_status_t qv_combine(qvec_t *qv, lzs_xquery_op_t op, uint32_t window, lzs_xquery_t **out)
{
    *out = NULL;
    lzs_status_t st = LZS_OK;
    if (qv->n == 1) {
        *out = qv->v[0];
        qv->n = 0;
    } else if (qv->n > 1) {
        st = lzs_xquery_combine(op, qv->v, qv->n, window, out);
    }
    qv_free(qv);
    return st;
}

static lzs_status_t xq_term(const char *prefix, const char *term, lzs_xquery_t **out)
{
    char buf[LZS_XDB_MAX_TERM + 64];
    int n = snprintf(buf, sizeof buf, "%s%s", prefix, term);
    if (n < 0 || (size_t)n >= sizeof buf)
        return LZS_ERR_LIMIT;
    return lzs_xquery_term(buf, 1, 0, out);
}

/* ---- the build context --------------------------------------------------------------- */

typedef struct {
    lzs_searcher_t *s;
    const char *q;
    lzs_compiled_t *c;
    lzs_search_error_t *err;
    const char *langs[LZS_SEARCH_MAX_LANGS]; /* stemming languages */
    size_t nlangs;
    int need_folded; /* some passages have no stems: match the folded form too */
    /* The cost limit (wildcards and OR lists only, lzs_searcher_set_max_postings): each
     * prefix and OR list is counted once, an OR list or prefix inside another counted one
     * being part of it. */
    uint64_t wildcard_terms; /* terms the query's prefixes expand to, all together */
    int in_costly;           /* > 0 while building the parts of a counted OR list */
    uint64_t cost_postings;  /* postings the counted prefixes and OR lists read, together */
    uint64_t top_postings;   /* the costliest of them, for the message: its postings, */
    uint64_t top_count;      /* its terms (a prefix) or alternatives (an OR list), */
    int top_pos;             /* where it starts in the query */
    int top_is_or;
    char top_prefix[48]; /* the prefix as typed (cut), when it is a prefix */
    /* What is being built, for read_as and explain: the term of the query (-1: none), and
     * whether it is one of its alternatives (a synonym, a thesaurus term, a Party's other
     * name: alt_text) rather than the words as typed. */
    lzs_reading_t *rd;
    long term;
    int alt;
    const char *alt_text;
} build_t;

/* Records a form of the term being built for read_as (the words as typed only). */
static lzs_status_t note_form(build_t *b, const char *form)
{
    if (b->term < 0 || b->alt || !*form)
        return LZS_OK;
    return lzs_strlist_push_unique(&b->rd->terms[b->term].forms, form);
}

/* Records Xapian terms of the term being built for explain, shown as display (or as the
 * alternative's text). */
static lzs_status_t note_xterms(build_t *b, const char *display, int all, const char *const *xterms,
                                size_t n)
{
    if (b->term < 0 || !b->rd->explain || n == 0)
        return LZS_OK;
    return lzs_reading_alt(b->rd, (size_t)b->term, b->alt ? b->alt_text : display, all, xterms, n);
}

static lzs_status_t note_xterm(build_t *b, const char *prefix, const char *term,
                               const char *display)
{
    if (b->term < 0 || !b->rd->explain)
        return LZS_OK;
    char buf[LZS_XDB_MAX_TERM + 64];
    snprintf(buf, sizeof buf, "%s%s", prefix, term);
    const char *one[1] = {buf};
    return note_xterms(b, display, 0, one, 1);
}

static lzs_status_t marks_add_phrase(lzs_marks_t *m, const char *phrase)
{
    for (size_t i = 0; i < m->nphrases; i++)
        if (strcmp(m->phrases[i], phrase) == 0)
            return LZS_OK;
    if (m->nphrases == m->capphrases) {
        size_t ncap = m->capphrases ? m->capphrases * 2 : 4;
        char **np = realloc(m->phrases, ncap * sizeof *np);
        if (!np)
            return LZS_ERR_NOMEM;
        m->phrases = np;
        m->capphrases = ncap;
    }
    char *copy = strdup(phrase);
    if (!copy)
        return LZS_ERR_NOMEM;
    m->phrases[m->nphrases++] = copy;
    return LZS_OK;
}

void lzs_marks_clear(lzs_marks_t *m)
{
    lzs_sset_clear(&m->words);
    lzs_sset_clear(&m->stems);
    lzs_sset_clear(&m->prefixes);
    for (size_t i = 0; i < m->nphrases; i++)
        free(m->phrases[i]);
    free(m->phrases);
    memset(m, 0, sizeof *m);
}

void lzs_compiled_clear(lzs_compiled_t *c)
{
    lzs_xquery_destroy(c->query);
    lzs_reading_clear(&c->reading);
    lzs_marks_clear(&c->marks);
    for (size_t i = 0; i < c->nrespell; i++)
        free(c->respell[i].replacement);
    free(c->respell);
    memset(c, 0, sizeof *c);
}

/* The forms of one normalized token: its stems in each language (of the word and, when it
 * has accents, of its folded form: the index has both), and the folded form when needed.
 * mark: record them for snippets. */
static lzs_status_t word_forms(build_t *b, const lzs_token_t *tok, int mark, lzs_xquery_t **out)
{
    qvec_t forms = {0};
    lzs_status_t st = note_form(b, tok->folded);
    lzs_xquery_t *q = NULL;
    int stemmed = 0;
    char seen[2 * LZS_SEARCH_MAX_LANGS][LZS_XDB_MAX_TERM];
    size_t nseen = 0;
    const char *bases[2] = {tok->norm, strcmp(tok->norm, tok->folded) != 0 ? tok->folded : NULL};
    for (size_t i = 0; (tok->flags & LZS_TOK_ALPHA) && i < b->nlangs && st == LZS_OK; i++) {
        for (int k = 0; k < 2 && st == LZS_OK; k++) {
            const char *stem = NULL;
            if (bases[k] == NULL)
                continue;
            lzs_status_t sst = lzs_text_stem(b->s->text, b->langs[i], bases[k], &stem);
            if (sst != LZS_OK && sst != LZS_ERR_NOT_FOUND) {
                st = sst; /* out of memory: never a query missing a form */
                break;
            }
            if (sst != LZS_OK || !stem || !*stem)
                continue;
            stemmed = 1;
            if (mark) {
                char key[LZS_XDB_MAX_TERM + 16];
                int n = snprintf(key, sizeof key, "%s:%s", b->langs[i], stem);
                if (n > 0 && (size_t)n < sizeof key)
                    st = lzs_sset_add(&b->c->marks.stems, key, (size_t)n);
                if (st != LZS_OK)
                    break;
            }
            /* two languages may share a stem: one term is enough */
            int dup = 0;
            for (size_t x = 0; x < nseen && !dup; x++)
                dup = strcmp(seen[x], stem) == 0;
            if (dup)
                continue;
            if (nseen < sizeof seen / sizeof seen[0] && strlen(stem) < sizeof seen[0])
                strcpy(seen[nseen++], stem);
            /* what read_as and explain show: the stem as a stem ("groom…"), unless it is
             * the word itself */
            char shown[LZS_XDB_MAX_TERM + 8];
            snprintf(shown, sizeof shown, "%s%s", stem,
                     strcmp(stem, tok->folded) != 0 ? "\xE2\x80\xA6" : "");
            st = note_form(b, shown);
            if (st == LZS_OK)
                st = note_xterm(b, LZS_PFX_STEM, stem, shown);
            /* A form too long (or empty) to be a term is in no index either: left out. */
            if (st == LZS_OK)
                st = xq_term(LZS_PFX_STEM, stem, &q);
            if (st == LZS_OK)
                st = qv_push(&forms, q);
            else if (st == LZS_ERR_LIMIT || st == LZS_ERR_INVALID)
                st = LZS_OK;
        }
    }
    if (st == LZS_OK && (!stemmed || b->need_folded)) {
        st = note_xterm(b, "", tok->folded, tok->folded);
        if (st == LZS_OK)
            st = xq_term("", tok->folded, &q);
        if (st == LZS_OK)
            st = qv_push(&forms, q);
        else if (st == LZS_ERR_LIMIT || st == LZS_ERR_INVALID)
            st = LZS_OK;
    }
    if (st == LZS_OK && mark)
        st = lzs_sset_add(&b->c->marks.words, tok->folded, strlen(tok->folded));
    if (st != LZS_OK) {
        qv_free(&forms);
        return st;
    }
    return qv_combine(&forms, LZS_XQ_SYNONYM, 0, out);
}

/* Primary tokens of a token list: codes and joined hyphenated words stand for the parts
 * inside them; the parts are skipped. covered[i] is set for skipped tokens. */
static int *primary_mask(const lzs_tokens_t *toks)
{
    size_t n = lzs_tokens_count(toks);
    int *covered = calloc(n ? n : 1, sizeof *covered);
    if (!covered)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const lzs_token_t *t = lzs_tokens_get(toks, i);
        if (!(t->flags & (LZS_TOK_CODE | LZS_TOK_JOINED)))
            continue;
        for (size_t k = 0; k < n; k++) {
            const lzs_token_t *u = lzs_tokens_get(toks, k);
            if (k == i)
                continue;
            /* a token inside a code or a joined word (a code never hides inside a joined
               word of the same extent) */
            if (u->start >= t->start && u->end <= t->end &&
                !(u->start == t->start && u->end == t->end && (u->flags & LZS_TOK_CODE)))
                covered[k] = 1;
        }
    }
    return covered;
}

/* A phrase over a token sequence (terms folded). With use_joined, a hyphenated word counts
 * as its joined form; otherwise as its parts. Codes always count as their parts (which is
 * how they are positioned in the index). NULL *out when no terms. */
static lzs_status_t phrase_from_tokens(build_t *b, const lzs_tokens_t *toks, int use_joined,
                                       int mark, lzs_xquery_t **out)
{
    *out = NULL;
    size_t n = lzs_tokens_count(toks);
    qvec_t terms = {0};
    char *marked = NULL;
    size_t mlen = 0;
    lzs_status_t st = LZS_OK;
    const char **xterms = calloc(n ? n : 1, sizeof *xterms);
    size_t nx = 0;
    if (!xterms)
        return LZS_ERR_NOMEM;
    /* ranges of the hyphenated words, to skip their parts when using the joined form */
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        const lzs_token_t *t = lzs_tokens_get(toks, i);
        if (t->flags & LZS_TOK_CODE)
            continue;
        if (t->flags & LZS_TOK_JOINED) {
            if (!use_joined)
                continue;
        } else if (use_joined && (t->flags & LZS_TOK_PART)) {
            int inside_joined = 0;
            for (size_t k = 0; k < n; k++) {
                const lzs_token_t *u = lzs_tokens_get(toks, k);
                if ((u->flags & LZS_TOK_JOINED) && t->start >= u->start && t->end <= u->end)
                    inside_joined = 1;
            }
            if (inside_joined)
                continue;
        }
        lzs_xquery_t *q = NULL;
        st = xq_term("", t->folded, &q);
        if (st == LZS_ERR_LIMIT) {
            st = LZS_OK; /* an over-long token cannot be in the index either */
            continue;
        }
        if (st == LZS_OK)
            st = qv_push(&terms, q);
        if (st == LZS_OK)
            xterms[nx++] = t->folded;
        if (st == LZS_OK && mark) {
            size_t l = strlen(t->folded);
            char *nm = realloc(marked, mlen + l + 2);
            if (!nm) {
                st = LZS_ERR_NOMEM;
                break;
            }
            marked = nm;
            if (mlen)
                marked[mlen++] = ' ';
            memcpy(marked + mlen, t->folded, l + 1);
            mlen += l;
        }
    }
    if (st == LZS_OK && mark && marked) {
        if (terms.n == 1)
            st = lzs_sset_add(&b->c->marks.words, marked, mlen);
        else
            st = marks_add_phrase(&b->c->marks, marked);
    }
    if (st == LZS_OK && marked)
        st = note_form(b, marked);
    if (st == LZS_OK && marked)
        st = note_xterms(b, marked, 1, xterms, nx);
    free(xterms);
    free(marked);
    if (st != LZS_OK) {
        qv_free(&terms);
        return st;
    }
    return qv_combine(&terms, LZS_XQ_PHRASE, 0, out);
}

static int has_joined(const lzs_tokens_t *toks)
{
    for (size_t i = 0; i < lzs_tokens_count(toks); i++)
        if (lzs_tokens_get(toks, i)->flags & LZS_TOK_JOINED)
            return 1;
    return 0;
}

/* A quoted phrase, or a multi-word synonym: the phrase of its parts, OR the phrase with
 * hyphenated words joined. */
static lzs_status_t phrase_query(build_t *b, const char *text, size_t len, lzs_xquery_t **out)
{
    *out = NULL;
    lzs_tokens_t *toks = NULL;
    lzs_status_t st = lzs_text_tokenize(b->s->text, text, len, &toks);
    if (st != LZS_OK)
        return st;
    qvec_t alts = {0};
    lzs_xquery_t *q = NULL;
    st = phrase_from_tokens(b, toks, 0, 1, &q);
    if (st == LZS_OK)
        st = qv_push(&alts, q);
    if (st == LZS_OK && has_joined(toks)) {
        st = phrase_from_tokens(b, toks, 1, 1, &q);
        if (st == LZS_OK)
            st = qv_push(&alts, q);
    }
    lzs_tokens_destroy(toks);
    if (st != LZS_OK) {
        qv_free(&alts);
        return st;
    }
    return qv_combine(&alts, LZS_XQ_OR, 0, out);
}

/* One whitespace-delimited word of the query (it may hold several tokens: "co-operation",
 * "l'article", "T-ES(2021)31"). *single gets the token when the word is one plain token
 * (for the spelling check), borrowed from *toks_out which the caller destroys. */
static lzs_status_t word_query(build_t *b, const char *text, lzs_xquery_t **out,
                               lzs_tokens_t **toks_out, const lzs_token_t **single)
{
    *out = NULL;
    *single = NULL;
    lzs_tokens_t *toks = NULL;
    lzs_status_t st = lzs_text_tokenize(b->s->text, text, strlen(text), &toks);
    if (st != LZS_OK)
        return st;
    int *covered = primary_mask(toks);
    if (!covered) {
        lzs_tokens_destroy(toks);
        return LZS_ERR_NOMEM;
    }
    size_t n = lzs_tokens_count(toks);
    qvec_t units = {0};
    size_t nprimary = 0;
    const lzs_token_t *last = NULL;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        if (covered[i])
            continue;
        const lzs_token_t *t = lzs_tokens_get(toks, i);
        lzs_xquery_t *q = NULL;
        nprimary++;
        last = t;
        if (t->flags & LZS_TOK_CODE) {
            st = xq_term("", t->folded, &q);
            if (st == LZS_OK)
                st = lzs_sset_add(&b->c->marks.words, t->folded, strlen(t->folded));
            if (st == LZS_OK)
                st = note_form(b, t->folded);
            if (st == LZS_OK)
                st = note_xterm(b, "", t->folded, t->folded);
        } else if (t->flags & LZS_TOK_JOINED) {
            /* the joined form with its stems, or the phrase of the parts */
            qvec_t alts = {0};
            st = word_forms(b, t, 1, &q);
            if (st == LZS_OK)
                st = qv_push(&alts, q);
            q = NULL;
            if (st == LZS_OK) {
                size_t a = t->start, e = t->end;
                st = phrase_query(b, text + a, e - a, &q);
                if (st == LZS_OK)
                    st = qv_push(&alts, q);
            }
            q = NULL;
            if (st == LZS_OK)
                st = qv_combine(&alts, LZS_XQ_SYNONYM, 0, &q);
            else
                qv_free(&alts);
        } else {
            st = word_forms(b, t, 1, &q);
        }
        if (st == LZS_ERR_LIMIT) {
            st = LZS_OK;
            continue;
        }
        if (st == LZS_OK)
            st = qv_push(&units, q);
    }
    free(covered);
    if (st != LZS_OK) {
        qv_free(&units);
        lzs_tokens_destroy(toks);
        return st;
    }
    if (nprimary == 1 && last && !(last->flags & (LZS_TOK_CODE | LZS_TOK_JOINED)) &&
        (last->flags & LZS_TOK_ALPHA))
        *single = last;
    *toks_out = toks;
    return qv_combine(&units, LZS_XQ_AND, 0, out);
}

/* ---- field filters ------------------------------------------------------------------- */

static void lower_ascii(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static void trim(const char **v, size_t *len)
{
    while (*len && isspace((unsigned char)(*v)[0])) {
        (*v)++;
        (*len)--;
    }
    while (*len && isspace((unsigned char)(*v)[*len - 1]))
        (*len)--;
}

static int all_digits(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* "38", "38(2)", "20(1)(f)" */
static int valid_article(const char *s)
{
    size_t i = 0;
    while (isdigit((unsigned char)s[i]))
        i++;
    if (i == 0 || i > 3)
        return 0;
    while (s[i] == '(') {
        size_t k = i + 1;
        while (isalnum((unsigned char)s[k]))
            k++;
        if (k == i + 1 || s[k] != ')' || k - i > 6)
            return 0;
        i = k + 1;
    }
    return s[i] == '\0';
}

static lzs_status_t year_query(const char *v, size_t len, const char *param, int position,
                               lzs_xquery_t **out, lzs_search_error_t *err)
{
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (v[i] == '.' && v[i + 1] == '.') {
            dots = v + i;
            break;
        }
    if (!dots) {
        if (len == strlen(LZS_YEAR_NONE) && memcmp(v, LZS_YEAR_NONE, len) == 0)
            return lzs_xquery_term(LZS_PFX_YEAR LZS_YEAR_NONE, 1, 0, out);
        if (len != 4 || !all_digits(v, 4))
            return lzs_search_fail(
                err, LZS_ERR_INVALID, position >= 0 ? "bad_query" : "bad_parameter", param,
                position,
                "year '%.*s' is not a year (2019), a range (2015..2019) or none (undated)",
                (int)len, v);
        char term[16];
        snprintf(term, sizeof term, "%s%.4s", LZS_PFX_YEAR, v);
        return lzs_xquery_term(term, 1, 0, out);
    }
    const char *lo = v, *hi = dots + 2;
    size_t lolen = (size_t)(dots - v), hilen = len - lolen - 2;
    if ((lolen && (lolen != 4 || !all_digits(lo, 4))) ||
        (hilen && (hilen != 4 || !all_digits(hi, 4))) || (lolen == 0 && hilen == 0))
        return lzs_search_fail(err, LZS_ERR_INVALID, position >= 0 ? "bad_query" : "bad_parameter",
                               param, position,
                               "bad year range '%.*s': write it as 2015..2019 (either end may "
                               "be left open)",
                               (int)len, v);
    char los[5] = {0}, his[5] = {0};
    memcpy(los, lo, lolen);
    memcpy(his, hi, hilen);
    if (lolen && hilen && strcmp(los, his) > 0)
        return lzs_search_fail(err, LZS_ERR_INVALID, position >= 0 ? "bad_query" : "bad_parameter",
                               param, position, "bad year range '%.*s': %s comes after %s",
                               (int)len, v, los, his);
    if (lolen && hilen && atoi(his) - atoi(los) <= 64) {
        /* a closed range of boolean terms is cheaper than reading a value slot */
        qvec_t years = {0};
        lzs_status_t st = LZS_OK;
        for (int y = atoi(los); y <= atoi(his) && st == LZS_OK; y++) {
            char term[16];
            lzs_xquery_t *q = NULL;
            snprintf(term, sizeof term, "%s%04d", LZS_PFX_YEAR, y);
            st = lzs_xquery_term(term, 1, 0, &q);
            if (st == LZS_OK)
                st = qv_push(&years, q);
        }
        if (st != LZS_OK) {
            qv_free(&years);
            return st;
        }
        return qv_combine(&years, LZS_XQ_OR, 0, out);
    }
    /* closed at both ends: "none" (undated) sorts after every year */
    return lzs_xquery_value_range(LZS_SLOT_YEAR, lolen ? los : "0000", hilen ? his : "9999", out);
}

/* 1 when id (upper case, normalised) has the shape of a recommendation identifier: "I-6",
 * "R15", "R XX". */
static int rec_id_shaped(const char *id)
{
    size_t r = strspn(id, "IVXLC");
    if (r > 0 && id[r] == '-' && id[r + 1] &&
        strspn(id + r + 1, "0123456789") == strlen(id + r + 1))
        return 1;
    if (id[0] == 'R' && id[1] && strspn(id + 1, "0123456789") == strlen(id + 1))
        return 1;
    return id[0] == 'R' && id[1] == ' ' && id[2] && strspn(id + 2, "IVXLC") == strlen(id + 2);
}

/* cites=<id or opinion key>: XCD:<id> (a key is none) and the terms that cite it by title
 * (cites.c). */
static lzs_status_t cites_query(lzs_searcher_t *s, const char *value, lzs_xquery_t **out)
{
    char term[LZS_XDB_MAX_TERM + 1];
    lzs_strlist_t terms = {0};
    lzs_status_t st = LZS_OK;
    if (lzs_extract_opinion(s->ex, value) == NULL &&
        (size_t)snprintf(term, sizeof term, "%s%s", LZS_PFX_CITES_DOC, value) < sizeof term)
        st = lzs_strlist_push(&terms, term);
    if (st == LZS_OK)
        st = lzs_cites_opinion_terms(s, value, &terms);
    if (st == LZS_OK)
        st = lzs_cites_terms_query(&terms, out);
    lzs_strlist_clear(&terms);
    return st;
}

lzs_status_t lzs_filter_query(lzs_searcher_t *s, lzs_field_t f, const char *value,
                              const char *param, int position, lzs_xquery_t **out,
                              lzs_search_error_t *err)
{
    *out = NULL;
    const char *code = position >= 0 ? "bad_query" : "bad_parameter";
    const char *fname = lzs_search_field_name(f);
    const char *v = value ? value : "";
    size_t len = strlen(v);
    trim(&v, &len);
    if (len == 0)
        return lzs_search_fail(err, LZS_ERR_INVALID, code, param, position, "%s: empty value",
                               fname);
    if (len > 200)
        return lzs_search_fail(err, LZS_ERR_INVALID, code, param, position,
                               "%s: value is too long (%zu bytes, at most 200)", fname, len);
    char buf[256];
    memcpy(buf, v, len);
    buf[len] = '\0';
    char term[300];
    switch (f) {
    case LZS_F_PARTY:
    case LZS_F_ADDRESSEE: {
        const char *pfx = f == LZS_F_PARTY ? LZS_PFX_PARTY : LZS_PFX_ADDRESSEE;
        if (f == LZS_F_ADDRESSEE &&
            (strcasecmp(buf, "all") == 0 || strcasecmp(buf, "all parties") == 0 ||
             strcasecmp(buf, "toutes les parties") == 0)) {
            snprintf(term, sizeof term, "%sall", pfx);
            break;
        }
        const char *iso = lzs_extract_party_code(s->ex, buf);
        if (!iso)
            return lzs_search_fail(err, LZS_ERR_INVALID, code, param, position,
                                   "%s: '%s' is not a Party to the Convention (give an ISO "
                                   "code such as NO or a name such as Norway)",
                                   fname, buf);
        snprintf(term, sizeof term, "%s%s", pfx, iso);
        break;
    }
    case LZS_F_ARTICLE: {
        char a[256];
        size_t k = 0;
        for (size_t i = 0; buf[i]; i++)
            if (!isspace((unsigned char)buf[i]))
                a[k++] = (char)tolower((unsigned char)buf[i]);
        a[k] = '\0';
        if (!valid_article(a))
            return lzs_search_fail(err, LZS_ERR_INVALID, code, param, position,
                                   "article: '%s' is not an article number such as 38 or "
                                   "38(2)",
                                   buf);
        snprintf(term, sizeof term, "%s%s", LZS_PFX_ARTICLE, a);
        break;
    }
    case LZS_F_YEAR:
        return year_query(buf, len, param, position, out, err);
    case LZS_F_LEVEL: {
        lower_ascii(buf);
        int l = lzs_level_from_name(buf);
        if (l <= 0)
            return lzs_search_fail(err, LZS_ERR_INVALID, code, param, position,
                                   "level: unknown level '%s' (require, request, invite, urge, "
                                   "consider)",
                                   buf);
        snprintf(term, sizeof term, "%s%s", LZS_PFX_LEVEL, lzs_level_name((lzs_level_t)l));
        break;
    }
    case LZS_F_TYPE: {
        lower_ascii(buf);
        int t = lzs_doctype_from_name(buf);
        if (t < 0) {
            char names[400] = "";
            for (int i = 0; i < LZS_DOC_TYPE_COUNT; i++) {
                if (i)
                    strncat(names, ", ", sizeof names - strlen(names) - 1);
                strncat(names, lzs_doctype_name((lzs_doctype_t)i),
                        sizeof names - strlen(names) - 1);
            }
            return lzs_search_fail(err, LZS_ERR_INVALID, code, param, position,
                                   "type: unknown document type '%s' (%s)", buf, names);
        }
        snprintf(term, sizeof term, "%s%s", LZS_PFX_TYPE, lzs_doctype_name((lzs_doctype_t)t));
        break;
    }
    case LZS_F_LANG: {
        lower_ascii(buf);
        if (len != 2 || !isalpha((unsigned char)buf[0]) || !isalpha((unsigned char)buf[1]))
            return lzs_search_fail(err, LZS_ERR_INVALID, code, param, position,
                                   "lang: '%s' is not an ISO 639-1 language code such as en "
                                   "or fr",
                                   buf);
        snprintf(term, sizeof term, "%s%s", LZS_PFX_LANG, buf);
        /* A language the index has no passage in is a mistake (lang:xx), not a filter that
         * matches nothing: refused like an unknown type, in the query as in the parameter.
         * The index's languages are those its facet lists. */
        uint32_t tf = 0;
        lzs_status_t st = lzs_xdb_termfreq(s->db, term, &tf);
        if (st != LZS_OK)
            return st; /* the caller reports it (or retries on a new revision) */
        if (tf == 0) {
            char names[LZS_SEARCH_MAX_LANGS * 4 + 8] = "";
            for (size_t i = 0; i < s->nlangs; i++) {
                strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
                strncat(names, s->langs[i], sizeof names - strlen(names) - 1);
            }
            return lzs_search_fail(err, LZS_ERR_INVALID, code, param, position,
                                   "lang: the index has no document in language '%s' (its "
                                   "languages: %s)",
                                   buf, names[0] ? names : "none");
        }
        break;
    }
    case LZS_F_REF:
    case LZS_F_REC: {
        const char *pfx = f == LZS_F_REF ? LZS_PFX_REF : LZS_PFX_REC;
        if (f == LZS_F_REC && strchr(buf, ':')) {
            pfx = LZS_PFX_RECKEY; /* a key: "2nd-round:V-17" */
        } else if (f == LZS_F_REC) {
            /* "R V-17" restates V-17: every copy has the normalised id */
            char up[256], id[256];
            for (size_t i = 0; i <= len; i++)
                up[i] = (char)toupper((unsigned char)buf[i]);
            lzs_extract_rec_id_normalize(up, id, sizeof id);
            snprintf(buf, sizeof buf, "%s", id);
            len = strlen(buf);
        }
        char *norm = NULL;
        if (lzs_text_normalize(s->text, buf, len, &norm) != LZS_OK || !norm)
            return LZS_ERR_NOMEM;
        snprintf(term, sizeof term, "%s%s", pfx, norm);
        free(norm);
        break;
    }
    case LZS_F_CITES: {
        char id[256];
        int doc = lzs_extract_doc_id_of_code(buf, id, sizeof id);
        if (!doc) {
            lower_ascii(buf);
            doc = lzs_extract_opinion(s->ex, buf) != NULL;
            snprintf(id, sizeof id, "%s", buf);
        }
        if (doc) {
            /* a document, or an opinion by key: cited by code, or by a title that is it */
            return cites_query(s, id, out);
        }
        /* a recommendation: its key ("1st-round:I-6") or any citation of an id ("I-6") */
        const char *pfx = strchr(buf, ':') ? LZS_PFX_CITES_REC : LZS_PFX_CITES_RECID;
        char up[256], rid[256];
        const char *colon = strrchr(buf, ':');
        const char *idpart = colon ? colon + 1 : buf;
        for (size_t i = 0; i <= strlen(idpart); i++)
            up[i] = (char)toupper((unsigned char)idpart[i]);
        lzs_extract_rec_id_normalize(up, rid, sizeof rid);
        if (rec_id_shaped(rid) == 0)
            return lzs_search_fail(err, LZS_ERR_INVALID, code, param, position,
                                   "cites: '%s' is neither a document code such as T-ES(2018)12, "
                                   "an opinion or declaration of opinions.tsv such as "
                                   "art23-opinion nor a recommendation such as I-6 or "
                                   "1st-round:I-6",
                                   buf);
        char key[520];
        snprintf(key, sizeof key, "%.*s%s", colon ? (int)(colon - buf + 1) : 0, buf, rid);
        char *norm = NULL;
        if (lzs_text_normalize(s->text, key, strlen(key), &norm) != LZS_OK || !norm)
            return LZS_ERR_NOMEM;
        snprintf(term, sizeof term, "%s%s", pfx, norm);
        free(norm);
        break;
    }
    case LZS_F_INSTRUMENT: {
        char label[512];
        lower_ascii(buf);
        if (!lzs_extract_instrument_label(s->ex, buf, NULL, label, sizeof label)) {
            char names[600] = "";
            for (size_t i = 0; i < lzs_extract_instruments(s->ex); i++) {
                strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
                strncat(names, lzs_extract_instrument_key(s->ex, i),
                        sizeof names - strlen(names) - 1);
            }
            return lzs_search_fail(err, LZS_ERR_INVALID, code, param, position,
                                   "instrument: unknown instrument '%s' (%s; an article as "
                                   "echr-art8)",
                                   buf, names[0] ? names : "none");
        }
        snprintf(term, sizeof term, "%s%s", LZS_PFX_INSTRUMENT, buf);
        break;
    }
    default:
        return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", param, position,
                               "unknown filter field");
    }
    lzs_status_t st = lzs_xquery_term(term, 1, 0, out);
    if (st == LZS_ERR_LIMIT)
        return lzs_search_fail(err, LZS_ERR_INVALID, code, param, position, "%s: value is too long",
                               fname);
    return st;
}

/* Records a filter for read_as: the value as the filter reads it (a Party's ISO code, a
 * level or type in lower case) and its label (the Party's name). */
static lzs_status_t read_filter(lzs_searcher_t *s, lzs_reading_t *rd, lzs_field_t f,
                                const char *value, const char *source, int negated)
{
    const char *v = value ? value : "";
    size_t len = strlen(v);
    trim(&v, &len);
    char buf[256];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < 255 ? len : 255), v);
    const char *label = NULL;
    if (f == LZS_F_PARTY || f == LZS_F_ADDRESSEE) {
        const char *code = lzs_extract_party_code(s->ex, buf);
        if (code) {
            snprintf(buf, sizeof buf, "%s", code);
            label = lzs_extract_party_name(s->ex, code);
        } else {
            snprintf(buf, sizeof buf, "all");
            label = "All Parties";
        }
    } else if (f == LZS_F_LEVEL || f == LZS_F_TYPE || f == LZS_F_LANG) {
        lower_ascii(buf);
        if (f == LZS_F_LANG)
            label = lzs_search_lang_label(buf);
    }
    return lzs_reading_filter(rd, lzs_search_field_name(f), buf, label, source, negated);
}

/* ---- the cost limit ---------------------------------------------------------------- */

/* Adds a prefix or OR list (not inside another counted one) to the query's cost. */
static void count_costly(build_t *b, int pos, uint64_t postings, uint64_t count, int is_or,
                         const char *prefix)
{
    b->cost_postings += postings;
    if (postings >= b->top_postings) {
        b->top_postings = postings;
        b->top_count = count;
        b->top_pos = pos;
        b->top_is_or = is_or;
        snprintf(b->top_prefix, sizeof b->top_prefix, "%s", prefix ? prefix : "");
    }
}

/* Refuses the query for its cost: err gets the message and the estimate with the limits
 * (the postings counted so far and `pending` more, of a part not counted yet). */
__attribute__((format(printf, 4, 5))) static lzs_status_t
cost_fail(build_t *b, uint64_t pending, int position, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lzs_status_t st = lzs_search_fail(b->err, LZS_ERR_LIMIT, "limit", "q", position, "%s", msg);
    if (b->err) {
        b->err->cost.known = 1;
        b->err->cost.terms = b->wildcard_terms;
        b->err->cost.postings = b->cost_postings + pending;
        b->err->cost.max_expansion = b->s->max_expansion;
        b->err->cost.max_postings = b->s->max_postings;
    }
    return st;
}

/* The postings a built part reads (lzs_xquery_cost); none for nothing. */
static lzs_status_t part_postings(build_t *b, const lzs_xquery_t *q, uint64_t *sum)
{
    if (!q)
        return LZS_OK;
    uint64_t c = 0;
    lzs_status_t st = lzs_xquery_cost(b->s->db, q, &c);
    if (st == LZS_OK)
        *sum += c;
    return st;
}

/* Over the limit, the query is refused naming its costliest prefix or OR list. */
static lzs_status_t check_cost(build_t *b)
{
    uint64_t max = b->s->max_postings;
    if (max == 0 || b->cost_postings <= max)
        return LZS_OK;
    if (b->top_is_or)
        return cost_fail(b, 0, b->top_pos,
                         "this query's prefixes and OR lists would read about %llu postings of "
                         "the index (limit %llu); the %llu alternatives joined by OR at "
                         "position %d read about %llu: join fewer or rarer words by OR",
                         (unsigned long long)b->cost_postings, (unsigned long long)max,
                         (unsigned long long)b->top_count, b->top_pos,
                         (unsigned long long)b->top_postings);
    return cost_fail(b, 0, b->top_pos,
                     "this query's prefixes and OR lists would read about %llu postings of the "
                     "index (limit %llu); the prefix '%s*' at position %d expands to %llu "
                     "terms with about %llu: make it longer",
                     (unsigned long long)b->cost_postings, (unsigned long long)max, b->top_prefix,
                     b->top_pos, (unsigned long long)b->top_count,
                     (unsigned long long)b->top_postings);
}

/* ---- the syntax tree --------------------------------------------------------------- */

typedef struct {
    lzs_xquery_t *q; /* NULL: nothing (a word of punctuation only) */
    int weighted;
} built_t;

static lzs_status_t build_node(build_t *b, const lzs_qnode_t *n, int negated, built_t *out);

static lzs_status_t add_respell(build_t *b, const lzs_qnode_t *n, const lzs_token_t *tok)
{
    /* a word is unknown when neither its folded form nor any of its stems index anything */
    uint32_t tf = 0;
    if (lzs_xdb_termfreq(b->s->db, tok->folded, &tf) == LZS_OK && tf > 0)
        return LZS_OK;
    for (size_t i = 0; i < b->nlangs; i++) {
        const char *stem = NULL;
        char term[LZS_XDB_MAX_TERM + 8];
        if (lzs_text_stem(b->s->text, b->langs[i], tok->norm, &stem) != LZS_OK || !stem)
            continue;
        snprintf(term, sizeof term, "%s%s", LZS_PFX_STEM, stem);
        if (lzs_xdb_termfreq(b->s->db, term, &tf) == LZS_OK && tf > 0)
            return LZS_OK;
    }
    char *sugg = NULL;
    if (lzs_xdb_spelling_suggestion(b->s->db, tok->folded, 2, &sugg) != LZS_OK || !sugg)
        return LZS_OK;
    lzs_respell_t *nr = realloc(b->c->respell, (b->c->nrespell + 1) * sizeof *nr);
    if (!nr) {
        free(sugg);
        return LZS_ERR_NOMEM;
    }
    b->c->respell = nr;
    nr[b->c->nrespell].pos = (size_t)n->pos;
    nr[b->c->nrespell].len = (size_t)n->len;
    nr[b->c->nrespell].replacement = sugg;
    b->c->nrespell++;
    return LZS_OK;
}

/* The query of one word as typed, with the spelling check when respell is set; no
 * read_as term of its own. */
static lzs_status_t word_unit(build_t *b, const lzs_qnode_t *n, int respell, built_t *out)
{
    lzs_tokens_t *toks = NULL;
    const lzs_token_t *single = NULL;
    lzs_status_t st = word_query(b, n->text, &out->q, &toks, &single);
    if (st == LZS_OK && single && respell)
        st = add_respell(b, n, single);
    lzs_tokens_destroy(toks);
    out->weighted = out->q != NULL;
    return st;
}

/* Starts a read_as term for len bytes of the query at text; the forms built next belong to
 * it. */
static lzs_status_t begin_term(build_t *b, const char *kind, const char *text, size_t len,
                               int negated)
{
    size_t index = 0;
    lzs_status_t st = lzs_reading_term(b->rd, kind, text, len, negated, &index);
    b->term = st == LZS_OK ? (long)index : -1;
    b->alt = 0;
    b->alt_text = NULL;
    return st;
}

static void end_term(build_t *b)
{
    b->term = -1;
    b->alt = 0;
    b->alt_text = NULL;
}

static lzs_status_t build_word(build_t *b, const lzs_qnode_t *n, int negated, built_t *out)
{
    lzs_status_t st = begin_term(b, "word", n->text, strlen(n->text), negated);
    if (st == LZS_OK)
        st = word_unit(b, n, !negated, out);
    end_term(b);
    return st;
}

/* Folded key of a word for the synonym table, as the indexer writes it (NULL when out of
 * memory). Caller frees with free(). */
static char *word_key(build_t *b, const char *text)
{
    char *key = NULL;
    return lzs_text_phrase_key(b->s->text, text, strlen(text), &key) == LZS_OK ? key : NULL;
}

/* An alternative of a run of words (a synonym, a thesaurus term, a Party's other name):
 * the query of its text, as a word with its inflections or as a phrase, pushed on alts,
 * unless its key is in seen (then nothing is done and *added is 0). */
static lzs_status_t add_alternative(build_t *b, const char *text, size_t len, lzs_sset_t *seen,
                                    qvec_t *alts, int *added)
{
    *added = 0;
    char *key = NULL;
    lzs_status_t st = lzs_text_phrase_key(b->s->text, text, len, &key);
    if (st != LZS_OK)
        return st;
    if (!*key || lzs_sset_has(seen, key, strlen(key))) {
        free(key);
        return LZS_OK;
    }
    st = lzs_sset_add(seen, key, strlen(key));
    free(key);
    if (st != LZS_OK)
        return st;
    char *shown = strndup(text, len);
    if (!shown)
        return LZS_ERR_NOMEM;
    b->alt = 1;
    b->alt_text = shown;
    lzs_xquery_t *q = NULL;
    lzs_tokens_t *toks = NULL;
    st = lzs_text_tokenize(b->s->text, text, len, &toks);
    /* a one-word alternative also matches its inflections */
    if (st == LZS_OK && lzs_tokens_count(toks) == 1)
        st = word_forms(b, lzs_tokens_get(toks, 0), 1, &q);
    else if (st == LZS_OK)
        st = phrase_query(b, text, len, &q);
    lzs_tokens_destroy(toks);
    b->alt = 0;
    b->alt_text = NULL;
    free(shown);
    if (st == LZS_OK && q) {
        st = qv_push(alts, q);
        *added = st == LZS_OK;
    }
    return st;
}

typedef struct {
    build_t *b;
    qvec_t *alts;
    lzs_sset_t *seen;
    lzs_status_t st;
} syn_ud_t;

static int syn_cb(void *ud, const char *term, size_t termlen, uint32_t freq)
{
    (void)freq;
    syn_ud_t *u = ud;
    int added = 0;
    u->st = add_alternative(u->b, term, termlen, u->seen, u->alts, &added);
    if (u->st == LZS_OK && added) {
        char *t = strndup(term, termlen);
        u->st =
            t ? lzs_strlist_push_unique(&u->b->rd->terms[u->b->term].synonyms, t) : LZS_ERR_NOMEM;
        free(t);
    }
    return u->st != LZS_OK;
}

/* What a run of words of the query is, as a whole: a key of the synonym table, a term of
 * the thesaurus (thes_n of them from s->thes[thes_first]), a Party's name (party). */
typedef struct {
    size_t nwords;
    int syn;
    size_t thes_first, thes_n;
    const char *party;
} run_t;

/* The text of the query from word kids[i] to word kids[j - 1]. */
static void run_span(const build_t *b, lzs_qnode_t *const *kids, size_t i, size_t j, size_t *start,
                     size_t *len)
{
    *start = (size_t)kids[i]->pos;
    *len = (size_t)(kids[j - 1]->pos + kids[j - 1]->len) - *start;
    (void)b;
}

/* The longest run of words from kids[i] that is something as a whole; nwords 0 when
 * none is. keys are the words' keys; *key gets the run's (caller frees). */
static lzs_status_t match_run(build_t *b, lzs_qnode_t *const *kids, size_t nk, size_t i,
                              char *const *keys, run_t *m, char **key)
{
    memset(m, 0, sizeof *m);
    *key = NULL;
    size_t maxk = b->s->syn_max_words;
    if (b->s->thes_max_words > maxk)
        maxk = b->s->thes_max_words;
    size_t pmax = lzs_extract_party_name_max_words(b->s->ex);
    if (pmax > maxk)
        maxk = pmax;
    /* the longest run tried: a title of an article of the Convention, typed whole */
    if (maxk > 24)
        maxk = 24;
    if (maxk == 0)
        maxk = 1;
    for (size_t k = (nk - i < maxk ? nk - i : maxk); k >= 1; k--) {
        size_t total = 1;
        for (size_t x = i; x < i + k; x++)
            total += strlen(keys[x]) + 1;
        char *cand = malloc(total);
        if (!cand)
            return LZS_ERR_NOMEM;
        size_t off = 0;
        for (size_t x = i; x < i + k; x++) {
            if (off && keys[x][0])
                cand[off++] = ' ';
            size_t l = strlen(keys[x]);
            memcpy(cand + off, keys[x], l);
            off += l;
        }
        cand[off] = '\0';
        run_t r = {0};
        r.nwords = k;
        if (off) {
            r.syn = k <= b->s->syn_max_words && lzs_sset_has(&b->s->syn_keys, cand, off);
            r.thes_n = lzs_thes_find(b->s, cand, &r.thes_first);
        }
        if (k <= pmax) {
            size_t start, len;
            run_span(b, kids, i, i + k, &start, &len);
            r.party = lzs_extract_party_by_name(b->s->ex, b->q + start, len);
        }
        if (r.syn || r.thes_n || r.party) {
            *m = r;
            *key = cand;
            return LZS_OK;
        }
        free(cand);
    }
    return LZS_OK;
}

/* The alternatives of a run that names a Party: its other names, and the passages that the
 * indexer found naming it (the XP: term, which also holds the references back to it). */
static lzs_status_t party_alternatives(build_t *b, const char *code, lzs_sset_t *seen, qvec_t *alts)
{
    lzs_rterm_t *t = &b->rd->terms[b->term];
    const lzs_extractor_t *ex = b->s->ex;
    snprintf(t->party, sizeof t->party, "%s", code);
    const char *english = lzs_extract_party_name(ex, code);
    free(t->party_name);
    t->party_name = english ? strdup(english) : NULL;
    if (english && !t->party_name)
        return LZS_ERR_NOMEM;
    const char *names[64];
    size_t n = lzs_extract_party_names(ex, code, names, 64);
    if (n > 64)
        n = 64;
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        int added = 0;
        st = add_alternative(b, names[i], strlen(names[i]), seen, alts, &added);
        if (st == LZS_OK && added)
            st = lzs_strlist_push_unique(&t->names, names[i]);
    }
    char term[16];
    snprintf(term, sizeof term, "%s%s", LZS_PFX_PARTY, code);
    lzs_xquery_t *q = NULL;
    if (st == LZS_OK) {
        b->alt = 1;
        b->alt_text = english ? english : code;
        st = note_xterm(b, "", term, english ? english : code);
        b->alt = 0;
        b->alt_text = NULL;
    }
    if (st == LZS_OK)
        st = lzs_xquery_term(term, 1, 0, &q);
    if (st == LZS_OK)
        st = qv_push(alts, q);
    return st;
}

/* The alternatives of a run that is a term of the thesaurus: the other terms of its
 * concepts, in every language. */
static lzs_status_t thesaurus_alternatives(build_t *b, const run_t *m, lzs_sset_t *seen,
                                           qvec_t *alts)
{
    lzs_rterm_t *t = &b->rd->terms[b->term];
    const lzs_extractor_t *ex = b->s->ex;
    lzs_status_t st = LZS_OK;
    for (size_t e = m->thes_first; e < m->thes_first + m->thes_n && st == LZS_OK; e++) {
        const lzs_thes_entry_t *te = &b->s->thes[e];
        const char *lang = NULL;
        lzs_extract_concept_term(ex, te->concept, te->term, &lang);
        st = lzs_strlist_push_unique(&t->own_langs, lang ? lang : "");
    }
    for (size_t e = m->thes_first; e < m->thes_first + m->thes_n && st == LZS_OK; e++) {
        size_t c = b->s->thes[e].concept;
        for (size_t i = 0; i < lzs_extract_concept_size(ex, c) && st == LZS_OK; i++) {
            const char *lang = NULL;
            const char *text = lzs_extract_concept_term(ex, c, i, &lang);
            int added = 0;
            st = add_alternative(b, text, strlen(text), seen, alts, &added);
            if (st == LZS_OK && added) {
                st = lzs_strlist_push(&t->alts, text);
                if (st == LZS_OK)
                    st = lzs_strlist_push(&t->alt_langs, lang);
            }
        }
    }
    return st;
}

/* The n words of a run as typed keep the meaning they have alone: all of them, anywhere in
 * the passage. Pushed on alts beside the run as a phrase, so a passage holding them together
 * weighs more, and shown in explain as each word (never as forms of the run). */
static lzs_status_t run_words_anywhere(build_t *b, lzs_qnode_t *const *kids, size_t n, qvec_t *alts)
{
    qvec_t words = {0};
    lzs_status_t st = LZS_OK;
    for (size_t x = 0; x < n && st == LZS_OK; x++) {
        built_t one = {0};
        b->alt = 1;
        b->alt_text = kids[x]->text;
        st = word_unit(b, kids[x], 0, &one);
        if (st == LZS_OK)
            st = qv_push(&words, one.q);
        else
            lzs_xquery_destroy(one.q);
    }
    b->alt = 0;
    b->alt_text = NULL;
    lzs_xquery_t *all = NULL;
    if (st != LZS_OK) {
        qv_free(&words);
        return st;
    }
    st = qv_combine(&words, LZS_XQ_AND, 0, &all);
    if (st == LZS_OK)
        st = qv_push(alts, all);
    return st;
}

/* One run of words read as a whole: the words as typed (the word; a run as a phrase and as
 * its words anywhere) and every alternative, as one OP_SYNONYM: they weigh as one term. */
static lzs_status_t build_run(build_t *b, lzs_qnode_t *const *kids, size_t i, const run_t *m,
                              const char *key, qvec_t *w)
{
    size_t start, len;
    run_span(b, kids, i, i + m->nwords, &start, &len);
    lzs_status_t st = begin_term(b, m->nwords == 1 ? "word" : "words", b->q + start, len, 0);
    qvec_t alts = {0};
    lzs_sset_t seen = {0};
    lzs_xquery_t *orig = NULL;
    if (st == LZS_OK)
        st = lzs_sset_add(&seen, key, strlen(key));
    if (st == LZS_OK && m->nwords == 1) {
        /* a word the thesaurus or the gazetteer knows is no misspelling */
        built_t one = {0};
        st = word_unit(b, kids[i], !m->thes_n && !m->party, &one);
        orig = one.q;
    } else if (st == LZS_OK) {
        st = phrase_query(b, b->q + start, len, &orig);
    }
    if (st == LZS_OK)
        st = qv_push(&alts, orig);
    if (st == LZS_OK && m->nwords > 1)
        st = run_words_anywhere(b, kids + i, m->nwords, &alts);
    /* the thesaurus first: a term it shares with the synonym table is shown as the
     * thesaurus writes it, with its language */
    if (st == LZS_OK && m->thes_n)
        st = thesaurus_alternatives(b, m, &seen, &alts);
    if (st == LZS_OK && m->syn) {
        syn_ud_t u = {b, &alts, &seen, LZS_OK};
        lzs_status_t xs = lzs_xdb_synonyms(b->s->db, key, syn_cb, &u);
        st = u.st != LZS_OK ? u.st : xs;
    }
    if (st == LZS_OK && m->party)
        st = party_alternatives(b, m->party, &seen, &alts);
    lzs_sset_clear(&seen);
    end_term(b);
    lzs_xquery_t *q = NULL;
    if (st == LZS_OK)
        st = qv_combine(&alts, LZS_XQ_SYNONYM, 0, &q);
    else
        qv_free(&alts);
    if (st == LZS_OK)
        st = qv_push(w, q);
    return st;
}

/* Words kids[0..nk) of an AND: the longest runs that are something as a whole (a synonym, a
 * thesaurus term, a Party's name) with their alternatives, the other words alone. Results
 * are pushed on w. */
static lzs_status_t build_word_run(build_t *b, lzs_qnode_t *const *kids, size_t nk, qvec_t *w)
{
    lzs_status_t st = LZS_OK;
    char **keys = calloc(nk, sizeof *keys);
    if (!keys)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < nk; i++) {
        keys[i] = word_key(b, kids[i]->text);
        if (!keys[i]) {
            st = LZS_ERR_NOMEM;
            goto done;
        }
    }
    size_t i = 0;
    while (i < nk && st == LZS_OK) {
        run_t m;
        char *key = NULL;
        st = match_run(b, kids, nk, i, keys, &m, &key);
        if (st != LZS_OK)
            break;
        if (m.nwords == 0) {
            built_t one = {0};
            st = build_word(b, kids[i], 0, &one);
            if (st == LZS_OK)
                st = qv_push(w, one.q);
            i++;
            continue;
        }
        st = build_run(b, kids, i, &m, key, w);
        free(key);
        i += m.nwords;
    }
done:
    for (size_t x = 0; x < nk; x++)
        free(keys[x]);
    free(keys);
    return st;
}

static lzs_status_t build_and(build_t *b, const lzs_qnode_t *n, int negated, built_t *out)
{
    qvec_t w = {0}, f = {0}, neg = {0};
    lzs_status_t st = LZS_OK;
    size_t i = 0;
    while (i < n->nkids && st == LZS_OK) {
        const lzs_qnode_t *k = n->kids[i];
        if (k->kind == LZS_QN_WORD && !negated) {
            size_t j = i;
            while (j < n->nkids && n->kids[j]->kind == LZS_QN_WORD)
                j++;
            st = build_word_run(b, n->kids + i, j - i, &w);
            i = j;
            continue;
        }
        built_t r = {0};
        if (k->kind == LZS_QN_NOT) {
            st = build_node(b, k->kids[0], !negated, &r);
            if (st == LZS_OK)
                st = qv_push(&neg, r.q);
        } else {
            st = build_node(b, k, negated, &r);
            if (st == LZS_OK)
                st = qv_push(r.weighted ? &w : &f, r.q);
        }
        i++;
    }
    lzs_xquery_t *base = NULL, *filt = NULL, *negq = NULL;
    out->weighted = w.n > 0;
    if (st == LZS_OK)
        st = qv_combine(&w, LZS_XQ_AND, 0, &base);
    if (st == LZS_OK)
        st = qv_combine(&f, LZS_XQ_AND, 0, &filt);
    if (st == LZS_OK)
        st = qv_combine(&neg, LZS_XQ_OR, 0, &negq);
    qv_free(&w);
    qv_free(&f);
    qv_free(&neg);
    if (st == LZS_OK && base && filt) {
        lzs_xquery_t *pair[2] = {base, filt};
        lzs_xquery_t *q = NULL;
        st = lzs_xquery_combine(LZS_XQ_FILTER, pair, 2, 0, &q);
        lzs_xquery_destroy(base);
        lzs_xquery_destroy(filt);
        base = q;
        filt = NULL;
    } else if (!base) {
        base = filt;
        filt = NULL;
    }
    if (st == LZS_OK && negq) {
        if (!base)
            st = lzs_xquery_match_all(&base);
        if (st == LZS_OK) {
            lzs_xquery_t *pair[2] = {base, negq};
            lzs_xquery_t *q = NULL;
            st = lzs_xquery_combine(LZS_XQ_AND_NOT, pair, 2, 0, &q);
            lzs_xquery_destroy(base);
            base = q;
        }
    }
    lzs_xquery_destroy(negq);
    lzs_xquery_destroy(filt);
    if (st != LZS_OK) {
        lzs_xquery_destroy(base);
        base = NULL;
    }
    out->q = base;
    return st;
}

static lzs_status_t build_or(build_t *b, const lzs_qnode_t *n, int negated, built_t *out)
{
    built_t *parts = calloc(n->nkids, sizeof *parts);
    if (!parts)
        return LZS_ERR_NOMEM;
    lzs_status_t st = LZS_OK;
    int any_weighted = 0;
    /* The list reads each alternative's postings (a NOT's: what it leaves out), however
     * it is combined with the rest of the query. */
    int counted = b->in_costly == 0;
    uint64_t postings = 0;
    b->in_costly++;
    for (size_t i = 0; i < n->nkids && st == LZS_OK; i++) {
        const lzs_qnode_t *k = n->kids[i];
        if (k->kind == LZS_QN_NOT) {
            /* "a OR NOT b": everything but b, weighing nothing */
            built_t r = {0};
            st = build_node(b, k->kids[0], !negated, &r);
            if (st == LZS_OK)
                st = part_postings(b, r.q, &postings);
            if (st == LZS_OK && r.q) {
                lzs_xquery_t *all = NULL;
                st = lzs_xquery_match_all(&all);
                if (st == LZS_OK) {
                    lzs_xquery_t *pair[2] = {all, r.q};
                    st = lzs_xquery_combine(LZS_XQ_AND_NOT, pair, 2, 0, &parts[i].q);
                }
                lzs_xquery_destroy(all);
                lzs_xquery_destroy(r.q);
            }
        } else {
            st = build_node(b, k, negated, &parts[i]);
            if (st == LZS_OK)
                st = part_postings(b, parts[i].q, &postings);
        }
        if (parts[i].weighted)
            any_weighted = 1;
    }
    b->in_costly--;
    if (st == LZS_OK && counted)
        count_costly(b, n->pos, postings, n->nkids, 1, NULL);
    qvec_t subs = {0};
    for (size_t i = 0; i < n->nkids; i++) {
        lzs_xquery_t *q = parts[i].q;
        if (st == LZS_OK && q && any_weighted && !parts[i].weighted) {
            lzs_xquery_t *scaled = NULL;
            st = lzs_xquery_scale(q, 0.0, &scaled);
            lzs_xquery_destroy(q);
            q = scaled;
        }
        if (st == LZS_OK)
            st = qv_push(&subs, q);
        else
            lzs_xquery_destroy(q);
    }
    free(parts);
    out->weighted = any_weighted;
    if (st != LZS_OK) {
        qv_free(&subs);
        return st;
    }
    return qv_combine(&subs, LZS_XQ_OR, 0, &out->q);
}

/* The terms a prefix expands to, as term queries (while within the limit), and how many
 * terms and postings they are in all. */
typedef struct {
    build_t *b;
    qvec_t terms;
    uint64_t nterms;
    uint64_t postings;
    lzs_status_t st;
} expand_ud_t;

static int expand_cb(void *ud, const char *term, size_t termlen, uint32_t freq)
{
    (void)termlen;
    expand_ud_t *u = ud;
    u->nterms++;
    u->postings += freq;
    uint32_t max = u->b->s->max_expansion;
    /* Past the limit the query is refused: only the estimate is still wanted. */
    if (max != 0 && u->nterms > max)
        return 0;
    lzs_xquery_t *q = NULL;
    u->st = lzs_xquery_term(term, 1, 0, &q);
    if (u->st == LZS_OK)
        u->st = qv_push(&u->terms, q);
    if (u->st == LZS_OK)
        u->st = note_xterm(u->b, "", term, term);
    return u->st != LZS_OK;
}

static lzs_status_t build_prefix(build_t *b, const lzs_qnode_t *n, built_t *out)
{
    lzs_tokens_t *toks = NULL;
    lzs_status_t st = lzs_text_tokenize(b->s->text, n->text, strlen(n->text), &toks);
    if (st != LZS_OK)
        return st;
    /* the prefix as the index has it: the last primary token ("co-op*" -> "coop") */
    int *covered = primary_mask(toks);
    if (!covered) {
        lzs_tokens_destroy(toks);
        return LZS_ERR_NOMEM;
    }
    const char *prefix = NULL;
    for (size_t i = 0; i < lzs_tokens_count(toks); i++)
        if (!covered[i])
            prefix = lzs_tokens_get(toks, i)->folded;
    free(covered);
    if (!prefix || !*prefix) {
        lzs_tokens_destroy(toks);
        out->q = NULL;
        return LZS_OK;
    }
    /* Expanded here rather than by Xapian's wildcard operator (the same synonym of every
     * term with the prefix), so that the query's cost can be estimated term by term. */
    expand_ud_t eu = {0};
    eu.b = b;
    char shown[LZS_XDB_MAX_TERM + 8];
    snprintf(shown, sizeof shown, "%s*", prefix);
    st = note_form(b, shown);
    if (st != LZS_OK) {
        lzs_tokens_destroy(toks);
        return st;
    }
    st = lzs_xdb_allterms(b->s->db, prefix, expand_cb, &eu);
    if (st == LZS_OK)
        st = eu.st;
    uint64_t max = b->s->max_expansion;
    if (st == LZS_OK) {
        b->wildcard_terms += eu.nterms;
        /* Inside an OR list the list counts the prefix's postings as its own. */
        if (b->in_costly == 0)
            count_costly(b, n->pos, eu.postings, eu.nterms, 0, n->text);
    }
    uint64_t pending = b->in_costly > 0 ? eu.postings : 0;
    if (st == LZS_OK && max != 0 && eu.nterms > max) {
        st = cost_fail(b, pending, n->pos,
                       "the prefix '%.40s*' at position %d expands to %llu terms with about "
                       "%llu postings (limit %llu terms): make it longer",
                       n->text, n->pos, (unsigned long long)eu.nterms,
                       (unsigned long long)eu.postings, (unsigned long long)max);
    } else if (st == LZS_OK && max != 0 && b->wildcard_terms > max) {
        /* The limit holds for the whole query too: sixty prefixes of 500 terms each would
         * make one query of 30,000 terms. */
        st = cost_fail(b, pending, n->pos,
                       "the prefixes of this query up to '%.40s*' at position %d expand to %llu "
                       "terms together (limit %llu): use fewer or longer prefixes",
                       n->text, n->pos, (unsigned long long)b->wildcard_terms,
                       (unsigned long long)max);
    }
    if (st == LZS_OK)
        st = lzs_sset_add(&b->c->marks.prefixes, prefix, strlen(prefix));
    if (st == LZS_OK && eu.terms.n == 0)
        st = lzs_xquery_match_nothing(&out->q);
    else if (st == LZS_OK)
        st = qv_combine(&eu.terms, LZS_XQ_SYNONYM, 0, &out->q);
    qv_free(&eu.terms);
    lzs_tokens_destroy(toks);
    out->weighted = 1;
    return st;
}

static lzs_status_t build_node(build_t *b, const lzs_qnode_t *n, int negated, built_t *out)
{
    out->q = NULL;
    out->weighted = 0;
    switch (n->kind) {
    case LZS_QN_WORD: {
        if (negated)
            return build_word(b, n, 1, out);
        qvec_t w = {0};
        lzs_qnode_t *const one[1] = {(lzs_qnode_t *)n};
        lzs_status_t st = build_word_run(b, one, 1, &w);
        out->weighted = w.n > 0;
        if (st != LZS_OK) {
            qv_free(&w);
            return st;
        }
        return qv_combine(&w, LZS_XQ_AND, 0, &out->q);
    }
    case LZS_QN_PHRASE: {
        lzs_status_t st = begin_term(b, "phrase", n->text, strlen(n->text), negated);
        if (st == LZS_OK)
            st = phrase_query(b, n->text, strlen(n->text), &out->q);
        end_term(b);
        out->weighted = out->q != NULL;
        return st;
    }
    case LZS_QN_PREFIX: {
        lzs_status_t st = begin_term(b, "prefix", b->q + n->pos, (size_t)n->len, negated);
        if (st == LZS_OK)
            st = build_prefix(b, n, out);
        end_term(b);
        return st;
    }
    case LZS_QN_FIELD: {
        lzs_status_t st =
            lzs_filter_query(b->s, (lzs_field_t)n->field, n->text, "q", n->pos, &out->q, b->err);
        if (st == LZS_OK)
            st = read_filter(b->s, b->rd, (lzs_field_t)n->field, n->text, "q", negated);
        if (st != LZS_OK) {
            /* the filter's query is the caller's only when the whole node was built */
            lzs_xquery_destroy(out->q);
            out->q = NULL;
        }
        return st;
    }
    case LZS_QN_AND:
        return build_and(b, n, negated, out);
    case LZS_QN_OR:
        return build_or(b, n, negated, out);
    case LZS_QN_NOT: {
        built_t r = {0};
        lzs_status_t st = build_node(b, n->kids[0], !negated, &r);
        if (st != LZS_OK || !r.q)
            return st;
        lzs_xquery_t *all = NULL;
        st = lzs_xquery_match_all(&all);
        if (st == LZS_OK) {
            lzs_xquery_t *pair[2] = {all, r.q};
            st = lzs_xquery_combine(LZS_XQ_AND_NOT, pair, 2, 0, &out->q);
        }
        lzs_xquery_destroy(all);
        lzs_xquery_destroy(r.q);
        return st;
    }
    }
    return LZS_ERR_INTERNAL;
}

/* Language filter values found in the query (not under NOT). */
static void collect_langs(build_t *b, const lzs_qnode_t *n, int negated, char found[][8],
                          size_t *nfound)
{
    if (!n)
        return;
    if (n->kind == LZS_QN_NOT) {
        collect_langs(b, n->kids[0], !negated, found, nfound);
        return;
    }
    if (n->kind == LZS_QN_FIELD && n->field == LZS_F_LANG && !negated &&
        *nfound < LZS_SEARCH_MAX_LANGS && strlen(n->text) == 2) {
        found[*nfound][0] = (char)tolower((unsigned char)n->text[0]);
        found[*nfound][1] = (char)tolower((unsigned char)n->text[1]);
        found[*nfound][2] = '\0';
        (*nfound)++;
    }
    for (size_t i = 0; i < n->nkids; i++)
        collect_langs(b, n->kids[i], negated, found, nfound);
}

static lzs_status_t request_filters(lzs_searcher_t *s, const lzs_search_req_t *req,
                                    lzs_reading_t *rd, lzs_xquery_t **out, lzs_search_error_t *err)
{
    *out = NULL;
    qvec_t fields = {0};
    lzs_status_t st = LZS_OK;
    for (int f = 0; f < LZS_F_COUNT && st == LZS_OK; f++) {
        size_t nv = req->nvalues[f];
        if (nv == 0 || !req->values[f])
            continue;
        const char *fname = lzs_search_field_name((lzs_field_t)f);
        if (nv > LZS_SEARCH_MAX_VALUES) {
            st = lzs_search_fail(err, LZS_ERR_LIMIT, "limit", fname, -1,
                                 "%s: %zu values given; at most %d are allowed", fname, nv,
                                 LZS_SEARCH_MAX_VALUES);
            break;
        }
        qvec_t vals = {0};
        for (size_t i = 0; i < nv && st == LZS_OK; i++) {
            lzs_xquery_t *q = NULL;
            st = lzs_filter_query(s, (lzs_field_t)f, req->values[f][i], fname, -1, &q, err);
            if (st == LZS_OK)
                st = qv_push(&vals, q);
            if (st == LZS_OK)
                st = read_filter(s, rd, (lzs_field_t)f, req->values[f][i], "param", 0);
        }
        lzs_xquery_t *q = NULL;
        if (st == LZS_OK)
            st = qv_combine(&vals, LZS_XQ_OR, 0, &q);
        else
            qv_free(&vals);
        if (st == LZS_OK)
            st = qv_push(&fields, q);
    }
    /* dates: YYYY, YYYY-MM or YYYY-MM-DD, inclusive; "~" sorts after every date that
     * starts with date_to */
    const char *dates[2] = {req->date_from, req->date_to};
    const char *names[2] = {"date_from", "date_to"};
    char bounds[2][16] = {"", ""};
    for (int i = 0; i < 2 && st == LZS_OK; i++) {
        const char *d = dates[i];
        if (!d || !*d)
            continue;
        size_t l = strlen(d);
        int ok = (l == 4 || l == 7 || l == 10);
        for (size_t k = 0; ok && k < l; k++)
            ok = (k == 4 || k == 7) ? d[k] == '-' : isdigit((unsigned char)d[k]) != 0;
        if (!ok) {
            st = lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", names[i], -1,
                                 "%s: '%.40s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                                 names[i], d);
            break;
        }
        snprintf(bounds[i], sizeof bounds[i], "%s%s", d, i == 1 ? "~" : "");
        st = lzs_reading_filter(rd, names[i], d, NULL, "param", 0);
    }
    if (st == LZS_OK && bounds[0][0] && bounds[1][0] && strcmp(bounds[0], bounds[1]) > 0)
        st = lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "date_from", -1,
                             "date_from %s comes after date_to %s", req->date_from, req->date_to);
    if (st == LZS_OK && (bounds[0][0] || bounds[1][0])) {
        lzs_xquery_t *q = NULL;
        st = lzs_xquery_value_range(LZS_SLOT_DATE, bounds[0][0] ? bounds[0] : NULL,
                                    bounds[1][0] ? bounds[1] : NULL, &q);
        if (st == LZS_OK)
            st = qv_push(&fields, q);
    }
    if (st != LZS_OK) {
        qv_free(&fields);
        return st;
    }
    return qv_combine(&fields, LZS_XQ_AND, 0, out);
}

/* Offset of the first byte of q that does not start a well-formed UTF-8 sequence (len when
 * all are well-formed). */
static size_t first_bad_utf8(const char *q, size_t len)
{
    const unsigned char *u = (const unsigned char *)q;
    size_t i = 0;
    while (i < len) {
        unsigned char c = u[i];
        size_t n;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0)
                lo = 0xA0; /* no overlong forms */
            if (c == 0xED)
                hi = 0x9F; /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F;
        } else {
            return i;
        }
        if (i + n > len || u[i + 1] < lo || u[i + 1] > hi)
            return i;
        for (size_t k = 2; k < n; k++)
            if ((u[i + k] & 0xC0) != 0x80)
                return i;
        i += n;
    }
    return len;
}

/* ---- the query's language ------------------------------------------------------------- */

/* Postings of a word sampled to tell its language, and words of a query looked at. */
#define LANG_SAMPLES 64
#define LANG_MAX_WORDS 8
/* A word belongs to a language when at least this share of the passages it is in (by a
 * sample) are in that language: a word of both languages ("zones", "convention") belongs
 * to neither. */
#define LANG_SHARE 0.9
/* Weight added to a match in the query's language when the query reaches other languages,
 * times ln(passages + 1): about half of what one word of the query weighs (BM25 gives a
 * word of idf ln(N/n) about that much), so that a passage in the query's language comes
 * before an equally good one in another language, and before one that is better only by
 * counting a translation twice (a hyphenated name matches as its parts and its joined
 * form: "Royaume-Uni"). */
#define LANG_BONUS 0.3

typedef struct {
    const lzs_searcher_t *s;
    uint32_t counts[LZS_SEARCH_MAX_LANGS];
} sample_ud_t;

static int sample_cb(void *ud, const char *v, size_t len, uint32_t freq)
{
    (void)freq;
    sample_ud_t *u = ud;
    for (size_t i = 0; i < u->s->nlangs; i++) {
        if (strlen(u->s->langs[i]) == len && memcmp(u->s->langs[i], v, len) == 0)
            u->counts[i]++;
    }
    return 0;
}

/* The language of the index (its index in s->langs) that at least LANG_SHARE of the
 * passages holding term are in, by a sample of them; -1 when none is. */
static lzs_status_t word_lang(lzs_searcher_t *s, const char *term, long *out)
{
    *out = -1;
    sample_ud_t u = {s, {0}};
    lzs_status_t st =
        lzs_xdb_sample_values(s->db, term, LZS_SLOT_LANG, LANG_SAMPLES, sample_cb, &u);
    if (st == LZS_ERR_INVALID || st == LZS_ERR_LIMIT)
        return LZS_OK; /* a word too long to be a term is in no passage */
    if (st != LZS_OK)
        return st;
    uint32_t total = 0;
    for (size_t i = 0; i < s->nlangs; i++)
        total += u.counts[i];
    for (size_t i = 0; total > 0 && i < s->nlangs; i++) {
        if (u.counts[i] >= LANG_SHARE * total)
            *out = (long)i;
    }
    return LZS_OK;
}

/* Adds the votes of the words of n (not under NOT) for the languages they belong to. */
static lzs_status_t vote_words(build_t *b, const lzs_qnode_t *n, int negated, uint32_t *votes,
                               size_t *seen)
{
    if (n == NULL)
        return LZS_OK;
    if (n->kind == LZS_QN_NOT)
        return vote_words(b, n->kids[0], !negated, votes, seen);
    lzs_status_t st = LZS_OK;
    if ((n->kind == LZS_QN_WORD || n->kind == LZS_QN_PHRASE) && !negated) {
        lzs_tokens_t *toks = NULL;
        st = lzs_text_tokenize(b->s->text, n->text, strlen(n->text), &toks);
        int *covered = st == LZS_OK ? primary_mask(toks) : NULL;
        if (st == LZS_OK && !covered)
            st = LZS_ERR_NOMEM;
        for (size_t i = 0; st == LZS_OK && i < lzs_tokens_count(toks) && *seen < LANG_MAX_WORDS;
             i++) {
            const lzs_token_t *t = lzs_tokens_get(toks, i);
            if (covered[i] || !(t->flags & LZS_TOK_ALPHA) || (t->flags & LZS_TOK_CODE))
                continue;
            /* a word typed with its accents is looked up with them ("coopération"): the
             * folded form may be a word of the other language too */
            char term[LZS_XDB_MAX_TERM + 8];
            if (strcmp(t->norm, t->folded) != 0)
                snprintf(term, sizeof term, "%s%s", LZS_PFX_EXACT, t->norm);
            else
                snprintf(term, sizeof term, "%s", t->folded);
            long l = -1;
            st = word_lang(b->s, term, &l);
            (*seen)++;
            if (st == LZS_OK && l >= 0)
                votes[l]++;
        }
        free(covered);
        lzs_tokens_destroy(toks);
    }
    for (size_t i = 0; st == LZS_OK && i < n->nkids; i++)
        st = vote_words(b, n->kids[i], negated, votes, seen);
    return st;
}

/* The language with more votes than all the others together, or -1. */
static long elected(const uint32_t *votes, size_t n)
{
    uint32_t total = 0;
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        total += votes[i];
        if (votes[i] > 0 && (best < 0 || votes[i] > votes[best]))
            best = (long)i;
    }
    return best >= 0 && 2 * votes[best] > total ? best : -1;
}

/* The language the query is read in: the one language filter, else the language its words
 * belong to by the index's vocabularies. */
static lzs_status_t query_lang(build_t *b, const lzs_qnode_t *root, char found[][8], size_t nfound)
{
    lzs_reading_t *rd = b->rd;
    size_t distinct = 0;
    for (size_t i = 0; i < nfound; i++) {
        int dup = 0;
        for (size_t k = 0; k < i; k++)
            dup |= strcmp(found[k], found[i]) == 0;
        distinct += !dup;
    }
    if (distinct == 1) {
        snprintf(rd->lang, sizeof rd->lang, "%.7s", found[0]);
        rd->lang_source = "lang";
        return LZS_OK;
    }
    lzs_searcher_t *s = b->s;
    if (distinct > 1 || s->nlangs < 2 || s->doccount == 0 || root == NULL)
        return LZS_OK;
    uint32_t votes[LZS_SEARCH_MAX_LANGS] = {0};
    size_t seen = 0;
    lzs_status_t st = vote_words(b, root, 0, votes, &seen);
    long l = st == LZS_OK ? elected(votes, s->nlangs) : -1;
    if (l >= 0) {
        snprintf(rd->lang, sizeof rd->lang, "%s", s->langs[l]);
        rd->lang_source = "words";
    }
    return st;
}

/* Failing the index's vocabularies (words it does not have), the language of the thesaurus
 * terms the query's runs of words are. */
static void thesaurus_lang(lzs_reading_t *rd)
{
    const char *lang = NULL;
    for (size_t i = 0; i < rd->nterms; i++) {
        const lzs_strlist_t *own = &rd->terms[i].own_langs;
        if (rd->terms[i].negated || own->n != 1)
            continue;
        if (lang && strcmp(lang, own->items[0]) != 0)
            return;
        lang = own->items[0];
    }
    if (lang && strlen(lang) < sizeof rd->lang) {
        snprintf(rd->lang, sizeof rd->lang, "%s", lang);
        rd->lang_source = "words";
    }
}

/* Whether some term reaches passages of another language than the query's: a thesaurus
 * term of another language, a Party's names. */
static int reaches_other_languages(const lzs_reading_t *rd)
{
    for (size_t i = 0; i < rd->nterms; i++) {
        const lzs_rterm_t *t = &rd->terms[i];
        if (t->negated)
            continue;
        if (t->party[0])
            return 1;
        for (size_t k = 0; k < t->alt_langs.n; k++) {
            if (strcmp(t->alt_langs.items[k], rd->lang) != 0)
                return 1;
        }
    }
    return 0;
}

/* Among equally good matches, those in the query's language first (when the query was not
 * restricted to a language and reaches others). */
static lzs_status_t prefer_lang(lzs_searcher_t *s, lzs_reading_t *rd, lzs_xquery_t **final)
{
    if (!rd->lang[0] || rd->lang_source == NULL || strcmp(rd->lang_source, "words") != 0 ||
        s->nlangs < 2 || !reaches_other_languages(rd))
        return LZS_OK;
    lzs_xquery_t *bonus = NULL, *q = NULL;
    double w = LANG_BONUS * log((double)s->doccount + 1.0);
    lzs_status_t st = lzs_xquery_value_weight(LZS_SLOT_LANG, rd->lang, w, &bonus);
    if (st == LZS_OK) {
        lzs_xquery_t *pair[2] = {*final, bonus};
        st = lzs_xquery_combine(LZS_XQ_AND_MAYBE, pair, 2, 0, &q);
    }
    lzs_xquery_destroy(bonus);
    if (st != LZS_OK)
        return st;
    lzs_xquery_destroy(*final);
    *final = q;
    rd->lang_ranked = 1;
    return LZS_OK;
}

lzs_status_t lzs_compile_request(lzs_searcher_t *s, const lzs_search_req_t *req, lzs_compiled_t *c,
                                 lzs_search_error_t *err)
{
    memset(c, 0, sizeof *c);
    const char *q = req->q ? req->q : "";
    size_t qlen = strlen(q);
    if (qlen > LZS_SEARCH_MAX_QUERY)
        return lzs_search_fail(err, LZS_ERR_LIMIT, "limit", "q", LZS_SEARCH_MAX_QUERY,
                               "the query is %zu bytes long; at most %d are allowed", qlen,
                               LZS_SEARCH_MAX_QUERY);
    if (!lzs_text_is_valid_utf8(q, qlen)) {
        size_t good = first_bad_utf8(q, qlen);
        return lzs_search_fail(err, LZS_ERR_UTF8, "bad_query", "q", (int)good,
                               "the query is not valid UTF-8 at byte %zu", good);
    }
    lzs_qnode_t *root = NULL;
    lzs_status_t st = lzs_query_parse(q, qlen, &root, err);
    if (st != LZS_OK)
        return st;

    c->reading.explain = req->explain != 0;
    build_t b = {.s = s, .q = q, .c = c, .err = err, .rd = &c->reading, .term = -1};
    char found[LZS_SEARCH_MAX_LANGS][8];
    size_t nfound = 0;
    for (size_t i = 0;
         req->values[LZS_F_LANG] && i < req->nvalues[LZS_F_LANG] && nfound < LZS_SEARCH_MAX_LANGS;
         i++) {
        const char *v = req->values[LZS_F_LANG][i];
        if (v && strlen(v) == 2) {
            found[nfound][0] = (char)tolower((unsigned char)v[0]);
            found[nfound][1] = (char)tolower((unsigned char)v[1]);
            found[nfound][2] = '\0';
            nfound++;
        }
    }
    collect_langs(&b, root, 0, found, &nfound);
    if (nfound) {
        for (size_t i = 0; i < nfound; i++) {
            const char *dummy = NULL;
            if (lzs_text_stem(s->text, found[i], "a", &dummy) == LZS_OK)
                b.langs[b.nlangs++] = found[i];
            else
                b.need_folded = 1;
        }
    } else {
        for (size_t i = 0; i < s->nlangs; i++) {
            if (s->lang_stems[i])
                b.langs[b.nlangs++] = s->langs[i];
            else
                b.need_folded = 1;
        }
    }
    if (b.nlangs == 0)
        b.need_folded = 1;

    st = query_lang(&b, root, found, nfound);
    if (st != LZS_OK) {
        lzs_qnode_free(root);
        lzs_compiled_clear(c);
        return lzs_search_fail(err, st, "index", "", -1, "reading the query's language failed: %s",
                               st == LZS_ERR_NOMEM ? lzs_status_str(st) : lzs_xdb_errmsg(s->db));
    }
    built_t r = {0};
    if (root) {
        st = build_node(&b, root, 0, &r);
        if (st != LZS_OK && err && err->code[0] == '\0')
            lzs_search_fail(err, st, "index", "", -1, "building the query failed: %s",
                            lzs_status_str(st));
    }
    int had_root = root != NULL;
    lzs_qnode_free(root);
    lzs_xquery_t *filters = NULL;
    if (st == LZS_OK) {
        st = request_filters(s, req, &c->reading, &filters, err);
        if (st != LZS_OK && err && err->code[0] == '\0')
            lzs_search_fail(err, st, "index", "", -1, "building the filters failed: %s",
                            st == LZS_ERR_NOMEM ? lzs_status_str(st) : lzs_xdb_errmsg(s->db));
    }
    if (st != LZS_OK) {
        lzs_xquery_destroy(r.q);
        lzs_compiled_clear(c);
        return st;
    }
    c->weighted = r.q != NULL && r.weighted;
    lzs_xquery_t *final = NULL;
    if (r.q && filters) {
        lzs_xquery_t *pair[2] = {r.q, filters};
        st = lzs_xquery_combine(c->weighted ? LZS_XQ_FILTER : LZS_XQ_AND, pair, 2, 0, &final);
    } else if (r.q) {
        final = r.q;
        r.q = NULL;
    } else if (filters) {
        final = filters;
        filters = NULL;
    } else if (had_root) {
        /* a query whose words all vanished (punctuation): matches nothing */
        st = lzs_xquery_match_nothing(&final);
    } else {
        st = lzs_xquery_match_all(&final);
    }
    lzs_xquery_destroy(r.q);
    lzs_xquery_destroy(filters);
    if (st == LZS_OK && !c->reading.lang[0] && nfound == 0 && s->nlangs >= 2)
        thesaurus_lang(&c->reading);
    if (st == LZS_OK && c->weighted)
        st = prefer_lang(s, &c->reading, &final);
    if (st != LZS_OK) {
        lzs_xquery_destroy(final);
        lzs_search_fail(err, st, "index", "", -1, "building the query failed: %s",
                        lzs_status_str(st));
        lzs_compiled_clear(c);
        return st;
    }
    /* Exact totals and facets visit every match, which costs plain queries little (facet
     * columns), but prefixes and OR lists make the matcher read many posting lists: those
     * that would read too much are refused up front, never answered late or narrowed. */
    if (st == LZS_OK)
        st = check_cost(&b);
    if (st != LZS_OK) {
        lzs_xquery_destroy(final);
        lzs_compiled_clear(c);
        return st;
    }
    c->query = final;
    return LZS_OK;
}
