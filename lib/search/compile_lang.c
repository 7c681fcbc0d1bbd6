/* compile_lang.c — the query's language: from the language filter, or voted by the words'
 * postings, and the preference given to passages in it.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "lzs/extract.h"
#include "lzs/model.h"
#include "lzs/schema.h"

/* Language filter values found in the query (not under NOT). */
void lzs_compile_collect_langs(lzs_build_t *b, const lzs_qnode_t *n, int negated, char found[][8],
                               size_t *nfound)
{
    if (!n)
        return;
    if (n->kind == LZS_QN_NOT) {
        lzs_compile_collect_langs(b, n->kids[0], !negated, found, nfound);
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
        lzs_compile_collect_langs(b, n->kids[i], negated, found, nfound);
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
static lzs_status_t vote_words(lzs_build_t *b, const lzs_qnode_t *n, int negated, uint32_t *votes,
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
        int *covered = st == LZS_OK ? lzs_compile_primary_mask(toks) : NULL;
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
lzs_status_t lzs_compile_query_lang(lzs_build_t *b, const lzs_qnode_t *root, char found[][8],
                                    size_t nfound)
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
void lzs_compile_thesaurus_lang(lzs_reading_t *rd)
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
lzs_status_t lzs_compile_prefer_lang(lzs_searcher_t *s, lzs_reading_t *rd, lzs_xquery_t **final)
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
