/* gazetteer.c — the folded-word matching that finds State names and level phrases in text,
 * and the lookups over the domain data that datafiles.c loads (parties, articles, levels,
 * synonyms, stop words, rounds, instruments, opinions). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "extract_internal.h"
#include "lzs/text.h"
#include "lzs/hash.h"

/* ---- folded words ----------------------------------------------------------- */

static lzs_status_t words_push_char(lzs_words_t *w, const char *bytes, size_t n)
{
    if (w->len + n + 1 > w->poolcap) {
        size_t cap = w->poolcap ? w->poolcap * 2 : 256;
        while (cap < w->len + n + 1)
            cap *= 2;
        char *p = realloc(w->pool, cap);
        if (p == NULL)
            return LZS_ERR_NOMEM;
        w->pool = p;
        w->poolcap = cap;
    }
    memcpy(w->pool + w->len, bytes, n);
    w->len += n;
    return LZS_OK;
}

static lzs_status_t words_start(lzs_words_t *w)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 32;
        size_t *o = realloc(w->off, cap * sizeof *o);
        if (o == NULL)
            return LZS_ERR_NOMEM;
        w->off = o;
        w->cap = cap;
    }
    w->off[w->n++] = w->len;
    return LZS_OK;
}

static lzs_status_t words_end(lzs_words_t *w)
{
    char nul = '\0';
    return words_push_char(w, &nul, 1);
}

lzs_status_t lzs_words_fold(lzs_words_t *w, const char *s, size_t len)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&err);
    if (U_FAILURE(err))
        return LZS_ERR_INTERNAL;
    if (len > INT32_MAX / 4)
        return LZS_ERR_LIMIT;
    int32_t ulen = 0;
    UChar *u = malloc((len + 1) * sizeof *u);
    if (u == NULL)
        return LZS_ERR_NOMEM;
    u_strFromUTF8WithSub(u, (int32_t)len + 1, &ulen, s, (int32_t)len, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) {
        free(u);
        return LZS_ERR_INTERNAL;
    }
    /* Decomposition at most quadruples the text for the scripts we meet; retry when the
     * preflight says otherwise. */
    int32_t dcap = ulen * 3 + 16;
    UChar *d = malloc((size_t)dcap * sizeof *d);
    if (d == NULL) {
        free(u);
        return LZS_ERR_NOMEM;
    }
    int32_t dlen = unorm2_normalize(nfkd, u, ulen, d, dcap, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) {
        err = U_ZERO_ERROR;
        free(d);
        dcap = dlen + 1;
        d = malloc((size_t)dcap * sizeof *d);
        if (d == NULL) {
            free(u);
            return LZS_ERR_NOMEM;
        }
        dlen = unorm2_normalize(nfkd, u, ulen, d, dcap, &err);
    }
    free(u);
    if (U_FAILURE(err)) {
        free(d);
        return LZS_ERR_INTERNAL;
    }
    lzs_status_t st = LZS_OK;
    int inword = 0;
    for (int32_t i = 0; i < dlen && st == LZS_OK;) {
        UChar32 c;
        U16_NEXT(d, i, dlen, c);
        int8_t type = u_charType(c);
        if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
            type == U_COMBINING_SPACING_MARK)
            continue;
        if (u_isalnum(c)) {
            if (!inword) {
                st = words_start(w);
                inword = 1;
            }
            if (st != LZS_OK)
                break;
            c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
            /* The letters the text pipeline folds ("ı" -> "i", "ø" -> "o"), folded the same
             * way here: a name must match the text whatever its spelling. */
            const char *rep = lzs_text_fold_letter((uint32_t)c);
            if (rep != NULL) {
                st = words_push_char(w, rep, strlen(rep));
                continue;
            }
            char buf[4];
            int32_t n = 0;
            UBool bad = 0;
            U8_APPEND(buf, n, 4, c, bad);
            (void)bad;
            st = words_push_char(w, buf, (size_t)n);
        } else if (inword) {
            st = words_end(w);
            inword = 0;
        }
    }
    if (st == LZS_OK && inword)
        st = words_end(w);
    free(d);
    return st;
}

void lzs_words_reset(lzs_words_t *w)
{
    w->n = 0;
    w->len = 0;
}

void lzs_words_free(lzs_words_t *w)
{
    free(w->pool);
    free(w->off);
    memset(w, 0, sizeof *w);
}

char *lzs_fold_key(const char *s)
{
    lzs_words_t w = {0};
    if (lzs_words_fold(&w, s, strlen(s)) != LZS_OK) {
        lzs_words_free(&w);
        return NULL;
    }
    char *out = malloc(w.len + 1);
    if (out != NULL) {
        size_t o = 0;
        for (size_t i = 0; i < w.n; i++) {
            const char *word = lzs_words_at(&w, i);
            size_t n = strlen(word);
            if (i > 0)
                out[o++] = ' ';
            memcpy(out + o, word, n);
            o += n;
        }
        out[o] = '\0';
    }
    lzs_words_free(&w);
    return out;
}

int lzs_gaz_match_at(const lzs_extractor_t *ex, const lzs_words_t *w, size_t i,
                     lzs_state_match_t *m)
{
    if (ex->nheads == 0 || i >= w->n)
        return 0;
    const char *first = lzs_words_at(w, i);
    size_t slot = lzs_hash_str(first) & (ex->nheads - 1);
    /* Names in a chain share the slot, not necessarily the first word: compare all. The
     * chain is ordered longest first, so the first full match is the longest. */
    for (long k = ex->name_heads[slot]; k >= 0; k = ex->names[k].next) {
        const lzs_name_t *nm = &ex->names[k];
        if (i + nm->nwords > w->n)
            continue;
        size_t j = 0;
        for (; j < nm->nwords; j++) {
            if (strcmp(lzs_words_at(w, i + j), lzs_words_at(&ex->name_words, nm->first + j)) != 0)
                break;
        }
        if (j == nm->nwords) {
            m->start = i;
            m->end = i + nm->nwords;
            m->state = nm->state;
            return 1;
        }
    }
    return 0;
}

lzs_status_t lzs_gaz_parties(const lzs_extractor_t *ex, const lzs_words_t *w, lzs_strlist_t *out)
{
    for (size_t i = 0; i < w->n;) {
        lzs_state_match_t m;
        if (lzs_gaz_match_at(ex, w, i, &m)) {
            const lzs_state_t *st = &ex->states[m.state];
            if (st->is_party) {
                lzs_status_t s = lzs_strlist_push_unique(out, st->code);
                if (s != LZS_OK)
                    return s;
            }
            i = m.end;
        } else {
            i++;
        }
    }
    return LZS_OK;
}

const lzs_phrase_t *lzs_phrase_at(const lzs_extractor_t *ex, const lzs_words_t *w, size_t i,
                                  int what)
{
    const lzs_phrase_t *best = NULL;
    for (size_t k = 0; k < ex->nphrases; k++) {
        const lzs_phrase_t *ph = &ex->phrases[k];
        if (what >= 0 ? ph->what != what : ph->what >= PHRASE_SUBJECT)
            continue;
        if (i + ph->nwords > w->n || (best && best->nwords >= ph->nwords))
            continue;
        size_t j = 0;
        for (; j < ph->nwords; j++) {
            if (strcmp(lzs_words_at(w, i + j), lzs_words_at(&ex->phrase_words, ph->first + j)) != 0)
                break;
        }
        if (j == ph->nwords)
            best = ph;
    }
    return best;
}

long lzs_words_find(const lzs_words_t *l, const char *word)
{
    for (size_t k = 0; k < l->n; k++) {
        if (strcmp(lzs_words_at(l, k), word) == 0)
            return (long)k;
    }
    return -1;
}

const lzs_anaphora_t *lzs_anaphora_for(const lzs_extractor_t *ex, const char *lang)
{
    for (size_t i = 0; i < ex->nanaphora; i++) {
        if (strcmp(ex->anaphora[i].lang, lang) == 0)
            return &ex->anaphora[i];
    }
    return NULL;
}

const lzs_demonstrative_t *lzs_demonstrative_at(const lzs_anaphora_t *a, const lzs_words_t *w,
                                                size_t i)
{
    const lzs_demonstrative_t *best = NULL;
    for (size_t k = 0; k < a->ndemos; k++) {
        const lzs_demonstrative_t *d = &a->demos[k];
        if (i + d->nwords > w->n || (best && best->nwords >= d->nwords))
            continue;
        size_t j = 0;
        while (j < d->nwords &&
               strcmp(lzs_words_at(w, i + j), lzs_words_at(&a->demo_words, d->first + j)) == 0)
            j++;
        if (j == d->nwords)
            best = d;
    }
    return best;
}

/* 1 when s ends with suffix and is longer than it. */
static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

int lzs_same_noun(const lzs_anaphora_t *a, const char *x, const char *y)
{
    if (strcmp(x, y) == 0)
        return 1;
    size_t xl = strlen(x), yl = strlen(y);
    /* one is the other with a plural ending: "option" + "s" */
    const char *lng = xl > yl ? x : y, *sht = xl > yl ? y : x;
    size_t ll = xl > yl ? xl : yl, sl = xl > yl ? yl : xl;
    if (strncmp(lng, sht, sl) != 0)
        return 0;
    for (size_t k = 0; k < a->plural_end.n; k++) {
        if (strcmp(lng + sl, lzs_words_at(&a->plural_end, k)) == 0)
            return ll > sl;
    }
    return 0;
}

int lzs_plural_form(const lzs_anaphora_t *a, const char *noun)
{
    for (size_t k = 0; k < a->singular_end.n; k++) {
        if (ends_with(noun, lzs_words_at(&a->singular_end, k)))
            return 0;
    }
    for (size_t k = 0; k < a->plural_end.n; k++) {
        if (ends_with(noun, lzs_words_at(&a->plural_end, k)))
            return 1;
    }
    return 0;
}

const char *lzs_guess_lang(const lzs_extractor_t *ex, const lzs_words_t *w)
{
    size_t best = 0;
    const char *lang = "";
    size_t limit = w->n < 5000 ? w->n : 5000;
    for (size_t s = 0; s < ex->nstops; s++) {
        const lzs_words_t *sw = &ex->stops[s].words;
        size_t hits = 0;
        for (size_t i = 0; i < limit; i++) {
            const char *word = lzs_words_at(w, i);
            for (size_t k = 0; k < sw->n; k++) {
                if (strcmp(word, lzs_words_at(sw, k)) == 0) {
                    hits++;
                    break;
                }
            }
        }
        if (hits > best) {
            best = hits;
            lang = ex->stops[s].lang;
        }
    }
    return lang;
}

/* ---- lookups over the loaded data (datafiles.c loads it) ------------------------ */

size_t lzs_word_at(const lzs_extractor_t *ex, lzs_wordlist_t l, const char *s, lzs_word_end_t end)
{
    const lzs_strlist_t *list = &ex->wl[l];
    unsigned char first = (unsigned char)tolower((unsigned char)s[0]);
    size_t best = 0;
    for (size_t i = 0; i < list->n; i++) {
        const char *w = list->items[i];
        size_t n = strlen(w);
        int star = w[n - 1] == '*';
        n -= (size_t)star;
        /* the first byte first: almost every position fails there */
        if ((unsigned char)w[0] != first || n <= best || strncasecmp(s, w, n) != 0)
            continue;
        unsigned char last = (unsigned char)w[n - 1], next = (unsigned char)s[n];
        int ok = 1;
        if (end == LZS_END_SPACE)
            ok = next == ' ';
        else if (end == LZS_END_LETTER && !star && lzs_word_byte(last))
            ok = !isalpha(next);
        else if (end == LZS_END_WORD && !star && lzs_word_byte(last))
            ok = !lzs_word_byte(next);
        if (ok)
            best = n;
    }
    return best;
}

int lzs_word_listed(const lzs_extractor_t *ex, lzs_wordlist_t l, const char *word)
{
    return lzs_strlist_contains(&ex->wl[l], word);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int lzs_extract_hyphenated(const lzs_extractor_t *ex, const char *word)
{
    return ex->hyphenated.n > 0 && bsearch(&word, ex->hyphenated.items, ex->hyphenated.n,
                                           sizeof *ex->hyphenated.items, cmp_str) != NULL;
}

const lzs_round_t *lzs_round_find(const lzs_extractor_t *ex, const char *key)
{
    for (size_t i = 0; ex != NULL && key != NULL && i < ex->nrounds; i++) {
        if (strcmp(ex->rounds[i].key, key) == 0)
            return &ex->rounds[i];
    }
    return NULL;
}

/* ---- public lookups ------------------------------------------------------------- */

/* The Party whose name is the whole of len bytes of text (leading articles and
 * prepositions and a trailing possessive left aside), or NULL. */
static const char *party_of_name(const lzs_extractor_t *ex, const char *text, size_t len)
{
    lzs_words_t w = {0};
    const char *res = NULL;
    if (lzs_words_fold(&w, text, len) == LZS_OK && w.n > 0) {
        /* Skip articles and prepositions before the name: "de la Norvège", "du Portugal". */
        size_t i = 0;
        while (i + 1 < w.n && lzs_strlist_contains(&ex->name_leads, lzs_words_at(&w, i)))
            i++;
        lzs_state_match_t m;
        size_t end = w.n;
        /* A trailing possessive "'s" is not part of the name. */
        if (end - i >= 2 && strcmp(lzs_words_at(&w, end - 1), "s") == 0)
            end--;
        if (lzs_gaz_match_at(ex, &w, i, &m) && m.end == end && ex->states[m.state].is_party)
            res = ex->states[m.state].code;
    }
    lzs_words_free(&w);
    return res;
}

const char *lzs_extract_party_code(const lzs_extractor_t *ex, const char *name)
{
    if (ex == NULL || name == NULL)
        return NULL;
    while (*name == ' ')
        name++;
    size_t n = strlen(name);
    while (n > 0 && name[n - 1] == ' ')
        n--;
    if (n == 2) {
        char code[3] = {(char)(name[0] & ~0x20), (char)(name[1] & ~0x20), '\0'};
        for (size_t i = 0; i < ex->nparties; i++) {
            if (strcmp(ex->party_codes[i], code) == 0)
                return ex->party_codes[i];
        }
    }
    return party_of_name(ex, name, n);
}

const char *lzs_extract_party_by_name(const lzs_extractor_t *ex, const char *text, size_t len)
{
    if (ex == NULL || text == NULL)
        return NULL;
    return party_of_name(ex, text, len);
}

size_t lzs_extract_party_names(const lzs_extractor_t *ex, const char *code, const char **names,
                               size_t cap)
{
    if (ex == NULL || code == NULL)
        return 0;
    size_t n = 0;
    for (size_t k = 0; k < ex->nnames; k++) {
        const lzs_state_t *st = &ex->states[ex->names[k].state];
        if (!st->is_party || strcasecmp(st->code, code) != 0)
            continue;
        if (names != NULL && n < cap)
            names[n] = ex->names[k].text;
        n++;
    }
    return n;
}

size_t lzs_extract_party_name_max_words(const lzs_extractor_t *ex)
{
    return ex ? ex->name_max_words : 0;
}

const char *lzs_extract_party_name(const lzs_extractor_t *ex, const char *code)
{
    if (ex == NULL || code == NULL)
        return NULL;
    for (size_t i = 0; i < ex->nstates; i++) {
        if (ex->states[i].is_party && strcasecmp(ex->states[i].code, code) == 0)
            return ex->states[i].name;
    }
    return NULL;
}

size_t lzs_extract_party_count(const lzs_extractor_t *ex)
{
    return ex ? ex->nparties : 0;
}

const char *lzs_extract_party_at(const lzs_extractor_t *ex, size_t i)
{
    if (ex == NULL || i >= ex->nparties)
        return NULL;
    return ex->party_codes[i];
}

const char *lzs_extract_article_title(const lzs_extractor_t *ex, const char *number)
{
    if (ex == NULL || number == NULL)
        return NULL;
    char *end = NULL;
    long n = strtol(number, &end, 10);
    if (end == number || n < 1 || n > 50)
        return NULL;
    /* "38(2)" has the title of Article 38. */
    if (*end != '\0' && *end != '(')
        return NULL;
    return ex->article_titles[n];
}

size_t lzs_extract_synonym_groups(const lzs_extractor_t *ex)
{
    return ex ? ex->nsyn : 0;
}

size_t lzs_extract_synonym_group_size(const lzs_extractor_t *ex, size_t group)
{
    if (ex == NULL || group >= ex->nsyn)
        return 0;
    return ex->syn_sizes[group];
}

const char *lzs_extract_synonym(const lzs_extractor_t *ex, size_t group, size_t i)
{
    if (ex == NULL || group >= ex->nsyn || i >= ex->syn_sizes[group])
        return NULL;
    return ex->syn[group][i];
}

size_t lzs_extract_concepts(const lzs_extractor_t *ex)
{
    return ex ? ex->nconcepts : 0;
}

const char *lzs_extract_concept_name(const lzs_extractor_t *ex, size_t c)
{
    return ex && c < ex->nconcepts ? ex->concepts[c].name : NULL;
}

size_t lzs_extract_concept_size(const lzs_extractor_t *ex, size_t c)
{
    return ex && c < ex->nconcepts ? ex->concepts[c].nterms : 0;
}

const char *lzs_extract_concept_term(const lzs_extractor_t *ex, size_t c, size_t i,
                                     const char **lang)
{
    if (lang)
        *lang = NULL;
    if (ex == NULL || c >= ex->nconcepts || i >= ex->concepts[c].nterms)
        return NULL;
    if (lang)
        *lang = ex->concepts[c].terms[i].lang;
    return ex->concepts[c].terms[i].text;
}

const char *lzs_extract_round_label(const lzs_extractor_t *ex, const char *key)
{
    const lzs_round_t *r = lzs_round_find(ex, key);
    return r ? (r->label ? r->label : r->key) : NULL;
}

size_t lzs_extract_instruments(const lzs_extractor_t *ex)
{
    return ex ? ex->ninstruments : 0;
}

const char *lzs_extract_instrument_key(const lzs_extractor_t *ex, size_t i)
{
    return ex && i < ex->ninstruments ? ex->instruments[i].key : NULL;
}

int lzs_extract_instrument_label(const lzs_extractor_t *ex, const char *key, const char *lang,
                                 char *buf, size_t cap)
{
    if (ex == NULL || key == NULL || cap == 0)
        return 0;
    const char *art = strstr(key, "-art");
    size_t base = art ? (size_t)(art - key) : strlen(key);
    for (size_t i = 0; i < ex->ninstruments; i++) {
        const lzs_instrument_t *in = &ex->instruments[i];
        if (strlen(in->key) != base || strncmp(in->key, key, base) != 0)
            continue;
        int fr = lang != NULL && strcmp(lang, "fr") == 0;
        const char *name = fr ? in->name_fr : in->name_en;
        if (art == NULL) {
            snprintf(buf, cap, "%s", name);
            return 1;
        }
        /* "<key>-art<N>": an article number of 1 to 3 digits, of an instrument whose
         * articles are cited */
        const char *n = art + 4;
        size_t d = strspn(n, "0123456789");
        if (in->article_names.n == 0 || d == 0 || d > 3 || n[d] != '\0' || n[0] == '0')
            return 0;
        snprintf(buf, cap, "Article %s \xE2\x80\x93 %s", n, name);
        return 1;
    }
    return 0;
}

size_t lzs_extract_opinions(const lzs_extractor_t *ex)
{
    return ex ? ex->nopinions : 0;
}

const lzs_opinion_info_t *lzs_extract_opinion_at(const lzs_extractor_t *ex, size_t i)
{
    return ex && i < ex->nopinions ? &ex->opinions[i].info : NULL;
}

const lzs_opinion_info_t *lzs_extract_opinion(const lzs_extractor_t *ex, const char *key)
{
    for (size_t i = 0; ex && key && i < ex->nopinions; i++) {
        if (strcmp(ex->opinions[i].info.key, key) == 0)
            return &ex->opinions[i].info;
    }
    return NULL;
}

/* ---- listing the domain data (GET /api/meta) ----------------------------------------- */

const char *lzs_extract_article_title_in(const lzs_extractor_t *ex, const char *number,
                                         const char *lang)
{
    const char *en = lzs_extract_article_title(ex, number);
    if (en == NULL || lang == NULL || strcmp(lang, "fr") != 0)
        return en;
    /* lzs_extract_article_title() has checked the number: 1..50 */
    return ex->article_titles_fr[strtol(number, NULL, 10)];
}

size_t lzs_extract_languages(const lzs_extractor_t *ex)
{
    return ex ? ex->nstops : 0;
}

const char *lzs_extract_language_at(const lzs_extractor_t *ex, size_t i)
{
    return ex && i < ex->nstops ? ex->stops[i].lang : NULL;
}

const char *lzs_extract_instrument_name(const lzs_extractor_t *ex, size_t i, const char *lang)
{
    if (ex == NULL || i >= ex->ninstruments)
        return NULL;
    const lzs_instrument_t *in = &ex->instruments[i];
    return lang && strcmp(lang, "fr") == 0 ? in->name_fr : in->name_en;
}
