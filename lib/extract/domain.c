/* domain.c — what the Committee's passages say: the articles and Parties they mention,
 * recommendations (level, addressees, identifiers given inline or by a footnote, their
 * identity across languages and restatements), and, in lists of decisions, the Parties a
 * paragraph refers back to. */
#define _GNU_SOURCE /* asprintf */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stage.h"

lzs_status_t lzs_domain_annotate(lzs_parse_t *ps, lzs_passage_t *p)
{
    lzs_status_t st = lzs_cite_articles(ps->ex, p->text, &p->articles);
    lzs_words_reset(&ps->words);
    if (st == LZS_OK)
        st = lzs_words_fold(&ps->words, p->text, strlen(p->text));
    if (st == LZS_OK)
        st = lzs_gaz_parties(ps->ex, &ps->words, &p->parties);
    if (st == LZS_OK)
        st = lzs_cite_instruments(ps->ex, &ps->words, &p->instruments);
    if (st == LZS_OK)
        st = lzs_cite_opinions(ps->ex, &ps->words, &p->cites_opinions);
    lzs_strlist_sort(&p->parties);
    return st;
}

/* 1 when word i of w is the second word of a connector pair of words.tsv ("que" of "ainsi
 * que") without the first before it: it then starts a clause ("... que la Suède"). */
static int unpaired(const lzs_extractor_t *ex, const lzs_words_t *w, size_t i)
{
    const lzs_strlist_t *pairs = &ex->wl[LZS_WL_CONNECTOR_PAIR];
    const char *word = lzs_words_at(w, i);
    const char *before = i > 0 ? lzs_words_at(w, i - 1) : "";
    int second = 0;
    for (size_t k = 0; k < pairs->n; k++) {
        const char *sp = strrchr(pairs->items[k], ' ');
        if (sp == NULL || strcmp(sp + 1, word) != 0)
            continue;
        size_t n = (size_t)(sp - pairs->items[k]);
        if (strlen(before) == n && strncmp(before, pairs->items[k], n) == 0)
            return 0;
        second = 1;
    }
    return second;
}

/* Reads an addressee list from word i: Party names, "all Parties", connectors. Stops at
 * the first other word ("to", "qu'ils", ...). Returns 1 when something was named. */
int lzs_domain_addressees(lzs_parse_t *ps, size_t i, int *all, lzs_strlist_t *codes)
{
    const lzs_words_t *w = &ps->words;
    int named = 0;
    while (i < w->n) {
        const lzs_phrase_t *ph = lzs_phrase_at(ps->ex, w, i, PHRASE_ALL);
        if (ph) {
            *all = 1;
            named = 1;
            i += ph->nwords;
            continue;
        }
        lzs_state_match_t m;
        if (lzs_gaz_match_at(ps->ex, w, i, &m)) {
            const lzs_state_t *s = &ps->ex->states[m.state];
            if (s->is_party && ps->st == LZS_OK)
                ps->st = lzs_strlist_push_unique(codes, s->code);
            named = 1;
            i = m.end;
            continue;
        }
        if (unpaired(ps->ex, w, i))
            break;
        if (!lzs_strlist_contains(&ps->ex->connectors, lzs_words_at(w, i)))
            break;
        i++;
    }
    return named;
}

/* "The Committee requires" at the start of the current words: the level and the index of
 * the word after the verb, or LZS_LEVEL_NONE. */
lzs_level_t lzs_domain_rec_verb(const lzs_parse_t *ps, size_t *after)
{
    const lzs_phrase_t *subj = lzs_phrase_at(ps->ex, &ps->words, 0, PHRASE_SUBJECT);
    if (subj == NULL)
        return LZS_LEVEL_NONE;
    const lzs_phrase_t *verb = lzs_phrase_at(ps->ex, &ps->words, subj->nwords, -1);
    if (verb == NULL)
        return LZS_LEVEL_NONE;
    *after = subj->nwords + verb->nwords;
    return (lzs_level_t)verb->what;
}

void lzs_domain_set_addressees(lzs_parse_t *ps, lzs_passage_t *p, int all,
                               const lzs_strlist_t *codes)
{
    if (all) {
        ps->st = lzs_strlist_push(&p->addressees, "all");
        return;
    }
    for (size_t i = 0; i < codes->n && ps->st == LZS_OK; i++)
        ps->st = lzs_strlist_push_unique(&p->addressees, codes->items[i]);
    lzs_strlist_sort(&p->addressees);
}

/* An inline identifier at the end of a recommendation: "... (R I-6)." */
int lzs_domain_inline_rec_id(const char *text, char *buf, size_t cap)
{
    int found = 0;
    for (const char *p = strchr(text, '('); p; p = strchr(p + 1, '(')) {
        char id[32];
        size_t n = lzs_parse_rec_id(p + 1, id, sizeof id);
        if (n && p[1 + n] == ')') {
            snprintf(buf, cap, "%s", id);
            found = 1;
        }
    }
    return found;
}

void lzs_domain_make_recommendation(lzs_parse_t *ps, lzs_passage_t *p, lzs_level_t level)
{
    p->kind = LZS_KIND_RECOMMENDATION;
    p->level = level;
    /* Articles of the section headings apply to the recommendations under them. */
    for (size_t i = 0; i < ps->depth && ps->st == LZS_OK; i++) {
        const lzs_strlist_t *a = &ps->stack[i].articles;
        for (size_t k = 0; k < a->n && ps->st == LZS_OK; k++)
            ps->st = lzs_strlist_push_unique(&p->articles, a->items[k]);
    }
    char id[32];
    if (lzs_domain_inline_rec_id(p->text, id, sizeof id)) {
        p->rec_id = strdup(id);
        if (p->rec_id == NULL)
            ps->st = LZS_ERR_NOMEM;
    }
}

/* A reference code filling the whole text: "T-ES(2021)31_en", "T-ES(2020)23 rev." */

/* ---- pass 3: footnotes and metadata ----------------------------------------------------- */

/* The footnote passage with this label nearest after (else before) passage i. */
static const lzs_passage_t *find_footnote(const lzs_document_t *doc, size_t i, unsigned num)
{
    char label[16];
    snprintf(label, sizeof label, "%u", num);
    for (size_t k = i + 1; k < doc->npassages; k++) {
        const lzs_passage_t *p = &doc->passages[k];
        if (p->kind == LZS_KIND_FOOTNOTE && p->label && strcmp(p->label, label) == 0)
            return p;
    }
    for (size_t k = i; k > 0; k--) {
        const lzs_passage_t *p = &doc->passages[k - 1];
        if (p->kind == LZS_KIND_FOOTNOTE && p->label && strcmp(p->label, label) == 0)
            return p;
    }
    return NULL;
}

/* "Recommendation V-17." -> "V-17": a footnote that starts with a word of citations.tsv
 * (recommendation or footnote) and an identifier. */
static int footnote_rec_id(const lzs_extractor_t *ex, const char *text, char *buf, size_t cap)
{
    size_t n = lzs_word_at(ex, LZS_WL_RECOMMENDATION, text, LZS_END_ANY);
    size_t abbr = lzs_word_at(ex, LZS_WL_FOOTNOTE, text, LZS_END_ANY);
    if (abbr > n)
        n = abbr;
    if (n == 0)
        return 0;
    const char *s = text + n;
    while (*s == ' ')
        s++;
    return lzs_parse_rec_id(s, buf, cap) > 0;
}

lzs_status_t lzs_domain_resolve_footnotes(lzs_parse_t *ps)
{
    lzs_document_t *doc = ps->doc;
    for (size_t i = 0; i < doc->npassages; i++) {
        lzs_passage_t *p = &doc->passages[i];
        if (p->kind != LZS_KIND_RECOMMENDATION || p->rec_id != NULL)
            continue;
        const lzs_marks_t *m = &ps->marks[i];
        for (size_t k = 0; k < m->n; k++) {
            const lzs_passage_t *fn = find_footnote(doc, i, m->v[k]);
            char id[32];
            if (fn && footnote_rec_id(ps->ex, fn->text, id, sizeof id)) {
                p->rec_id = strdup(id);
                if (p->rec_id == NULL)
                    return LZS_ERR_NOMEM;
                break;
            }
        }
    }
    /* A recommendation is cited by its identifier. */
    for (size_t i = 0; i < doc->npassages; i++) {
        lzs_passage_t *p = &doc->passages[i];
        if (p->kind == LZS_KIND_RECOMMENDATION && p->rec_id) {
            char *l = strdup(p->rec_id);
            if (l == NULL)
                return LZS_ERR_NOMEM;
            free(p->label);
            p->label = l;
        }
    }
    return LZS_OK;
}

/* ---- co-reference in lists of decisions ------------------------------------------------ */

static int is_decision(const lzs_passage_t *p)
{
    return p->kind == LZS_KIND_PARAGRAPH && p->label && isdigit((unsigned char)p->label[0]);
}

static int same_section(const lzs_passage_t *a, const lzs_passage_t *b)
{
    if (a->section.n != b->section.n)
        return 0;
    for (size_t i = 0; i < a->section.n; i++) {
        if (strcmp(a->section.items[i], b->section.items[i]) != 0)
            return 0;
    }
    return 1;
}

static int all_digits(const char *w)
{
    for (; *w; w++) {
        if (!isdigit((unsigned char)*w))
            return 0;
    }
    return 1;
}

/* 1 when noun is one of words [from, to) of w, in the singular or the plural. */
static int has_noun(const lzs_anaphora_t *a, const lzs_words_t *w, size_t from, size_t to,
                    const char *noun)
{
    for (size_t k = from; k < to && k < w->n; k++) {
        if (lzs_same_noun(a, lzs_words_at(w, k), noun))
            return 1;
    }
    return 0;
}

/* 1 when the words cur (a decision paragraph) refer back to the words prev (the decision
 * paragraph before it) with a demonstrative noun phrase: "these two options" after a
 * paragraph that names "option A" and "option B". The noun must occur in prev and not
 * earlier in cur: "this" then points at something of its own paragraph. */
static int refers_back(const lzs_anaphora_t *a, const lzs_words_t *cur, const lzs_words_t *prev)
{
    for (size_t i = 0; i < cur->n; i++) {
        const lzs_demonstrative_t *d = lzs_demonstrative_at(a, cur, i);
        if (d == NULL)
            continue;
        size_t k = i + d->nwords;
        int counted = 0;
        while (k < cur->n && (all_digits(lzs_words_at(cur, k)) ||
                              lzs_words_find(&a->numbers, lzs_words_at(cur, k)) >= 0)) {
            k++;
            counted = 1;
        }
        if (k >= cur->n)
            break;
        const char *noun = lzs_words_at(cur, k);
        if (strlen(noun) < 3 || all_digits(noun) || lzs_words_find(&a->function, noun) >= 0 ||
            lzs_words_find(&a->deictic, noun) >= 0 || lzs_demonstrative_at(a, cur, k) != NULL)
            continue;
        /* "Noted that Parties ...": a singular demonstrative before a plural noun is a
         * conjunction. With a number ("this two"?) the phrase is no demonstrative either. */
        if (d->number == DEMO_SINGULAR && (lzs_plural_form(a, noun) || counted))
            continue;
        if (has_noun(a, prev, 0, prev->n, noun) && !has_noun(a, cur, 0, i, noun))
            return 1;
    }
    return 0;
}

/* In a list of decisions, a paragraph that refers back to the previous decision of the
 * same agenda item also mentions the Parties that one mentions. */
lzs_status_t lzs_domain_resolve_references(lzs_parse_t *ps)
{
    lzs_document_t *doc = ps->doc;
    if (doc->type != LZS_DOC_DECISIONS)
        return LZS_OK;
    const lzs_anaphora_t *a = lzs_anaphora_for(ps->ex, doc->lang);
    if (a == NULL || a->ndemos == 0)
        return LZS_OK;
    lzs_words_t cur = {0}, prev = {0};
    lzs_status_t st = LZS_OK;
    const lzs_passage_t *last = NULL;
    for (size_t i = 0; i < doc->npassages && st == LZS_OK; i++) {
        lzs_passage_t *p = &doc->passages[i];
        if (!is_decision(p))
            continue;
        const lzs_passage_t *before = last;
        last = p;
        if (before == NULL || before->parties.n == 0 || !same_section(before, p) ||
            strtol(before->label, NULL, 10) + 1 != strtol(p->label, NULL, 10))
            continue;
        lzs_words_reset(&cur);
        lzs_words_reset(&prev);
        st = lzs_words_fold(&cur, p->text, strlen(p->text));
        if (st == LZS_OK)
            st = lzs_words_fold(&prev, before->text, strlen(before->text));
        if (st != LZS_OK || !refers_back(a, &cur, &prev))
            continue;
        for (size_t k = 0; k < before->parties.n && st == LZS_OK; k++)
            st = lzs_strlist_push_unique(&p->parties, before->parties.items[k]);
        lzs_strlist_sort(&p->parties);
    }
    lzs_words_free(&cur);
    lzs_words_free(&prev);
    return st;
}

/* ---- recommendation identity ------------------------------------------------------------- */

/* Occurrences of the folded phrase key in the folded text key, on word boundaries. */
static size_t count_phrase(const char *text, const char *phrase)
{
    size_t n = 0, len = strlen(phrase);
    for (const char *p = strstr(text, phrase); p != NULL; p = strstr(p + 1, phrase)) {
        if ((p == text || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' '))
            n++;
    }
    return n;
}

/* Adds to counts[r] the mentions of each round's phrases in text. */
static lzs_status_t count_rounds(const lzs_extractor_t *ex, const char *text, size_t *counts)
{
    char *key = lzs_fold_key(text);
    if (key == NULL)
        return LZS_ERR_NOMEM;
    for (size_t r = 0; r < ex->nrounds; r++) {
        const lzs_strlist_t *ph = &ex->rounds[r].phrases;
        for (size_t k = 0; k < ph->n; k++)
            counts[r] += count_phrase(key, ph->items[k]);
    }
    free(key);
    return LZS_OK;
}

/* The one round with a count, or with at least twice the count of any other; -1 when
 * none stands out. */
static long leading_round(const size_t *counts, size_t n)
{
    long best = -1;
    for (size_t r = 0; r < n; r++) {
        if (best < 0 || counts[r] > counts[best])
            best = (long)r;
    }
    if (best < 0 || counts[best] == 0)
        return -1;
    for (size_t r = 0; r < n; r++) {
        if ((long)r != best && counts[best] < 2 * counts[r])
            return -1;
    }
    return best;
}

/* The round the document belongs to: its sidecar's, else the one its title names, else
 * the one its text names at least twice as often as any other; NULL when none does. */
static lzs_status_t doc_round(lzs_parse_t *ps, const lzs_sidecar_t *sc, const lzs_round_t **out)
{
    const lzs_extractor_t *ex = ps->ex;
    *out = NULL;
    if (sc != NULL && sc->round != NULL) {
        *out = lzs_round_find(ex, sc->round);
        return LZS_OK;
    }
    if (ex->nrounds == 0)
        return LZS_OK;
    size_t *counts = calloc(ex->nrounds, sizeof *counts);
    if (counts == NULL)
        return LZS_ERR_NOMEM;
    lzs_status_t st = ps->doc->title ? count_rounds(ex, ps->doc->title, counts) : LZS_OK;
    long r = st == LZS_OK ? leading_round(counts, ex->nrounds) : -1;
    if (st == LZS_OK && r < 0) {
        memset(counts, 0, ex->nrounds * sizeof *counts);
        for (size_t i = 0; i < ps->doc->npassages && st == LZS_OK; i++)
            st = count_rounds(ex, ps->doc->passages[i].text, counts);
        r = st == LZS_OK ? leading_round(counts, ex->nrounds) : -1;
    }
    free(counts);
    if (r >= 0)
        *out = &ex->rounds[r];
    return st;
}

lzs_status_t lzs_domain_rec_keys(lzs_parse_t *ps, const lzs_sidecar_t *sc)
{
    lzs_document_t *doc = ps->doc;
    int any = 0;
    for (size_t i = 0; i < doc->npassages && !any; i++)
        any = doc->passages[i].rec_id != NULL;
    if (!any && (sc == NULL || sc->round == NULL))
        return LZS_OK;
    const lzs_round_t *round = NULL;
    lzs_status_t st = doc_round(ps, sc, &round);
    if (st == LZS_OK && round != NULL) {
        doc->round = strdup(round->key);
        if (doc->round == NULL)
            st = LZS_ERR_NOMEM;
    }
    for (size_t i = 0; i < doc->npassages && st == LZS_OK; i++) {
        lzs_passage_t *p = &doc->passages[i];
        if (p->rec_id == NULL)
            continue;
        char id[64];
        lzs_extract_rec_id_normalize(p->rec_id, id, sizeof id);
        /* An identifier of another shape than the round's is no known recommendation of
         * that round: it keeps a key of its own document. */
        const char *owner = doc->version_key ? doc->version_key : doc->id;
        if (round != NULL && (round->id_shapes & lzs_rec_id_shape(p->rec_id)))
            owner = round->key;
        if (asprintf(&p->rec_key, "%s:%s", owner, id) < 0) {
            p->rec_key = NULL;
            st = LZS_ERR_NOMEM;
        }
    }
    return st;
}
