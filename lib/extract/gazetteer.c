/* gazetteer.c — the domain data files (parties, articles, levels, synonyms, stop words)
 * and the folded-word matching that finds State names and level phrases in text. */
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

/* ---- loading the data files ---------------------------------------------------- */

typedef struct {
    const char *file; /* base name for messages */
    char *buf;
    char *cur;
    unsigned line;
    char *cols[64];
    size_t ncols;
} tsv_t;

static lzs_status_t tsv_open(tsv_t *t, const char *dir, const char *file, int optional,
                             char **errmsg)
{
    memset(t, 0, sizeof *t);
    t->file = file;
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path) {
        lzs_set_errmsg(errmsg, "%s/%s: path too long", dir, file);
        return LZS_ERR_LIMIT;
    }
    char *buf = NULL;
    size_t len = 0;
    char *msg = NULL;
    lzs_status_t st = lzs_file_read(-1, path, 64u << 20, &buf, &len, &msg);
    if (st == LZS_ERR_NOT_FOUND && optional) {
        free(msg); /* a missing optional file is no error */
        return st;
    }
    if (st != LZS_OK) {
        if (errmsg) {
            free(*errmsg);
            *errmsg = msg;
        } else {
            free(msg);
        }
        return st == LZS_ERR_INVALID ? LZS_ERR_IO : st;
    }
    if (memchr(buf, '\0', len) != NULL) {
        lzs_set_errmsg(errmsg, "%s: contains NUL bytes", path);
        free(buf);
        return LZS_ERR_CORRUPT;
    }
    t->buf = buf;
    t->cur = buf;
    return LZS_OK;
}

/* Checks UTF-8 validity of a NUL-terminated string. */
static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int32_t len = (int32_t)strlen(s);
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(p, i, len, c);
        if (c < 0)
            return 0;
    }
    return 1;
}

/* Next non-comment, non-blank line split at tabs: 1, 0 at the end, -1 on bad UTF-8. */
static int tsv_next(tsv_t *t)
{
    while (t->cur && *t->cur) {
        char *line = t->cur;
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
            t->cur = nl + 1;
        } else {
            t->cur = line + strlen(line);
        }
        t->line++;
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] == '\r')
            line[--n] = '\0';
        if (!valid_utf8(line))
            return -1;
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        t->ncols = 0;
        char *c = line;
        for (;;) {
            char *tab = strchr(c, '\t');
            if (tab)
                *tab = '\0';
            /* Trim spaces around a column: editors add them. */
            while (*c == ' ')
                c++;
            size_t cl = strlen(c);
            while (cl > 0 && c[cl - 1] == ' ')
                c[--cl] = '\0';
            if (t->ncols < sizeof t->cols / sizeof t->cols[0])
                t->cols[t->ncols++] = c;
            if (!tab)
                break;
            c = tab + 1;
        }
        return 1;
    }
    return 0;
}

static void tsv_close(tsv_t *t)
{
    free(t->buf);
    t->buf = NULL;
}

/* Ends reading a data file: r is the last tsv_next() result (< 0: invalid UTF-8 at the
 * current line), st the status of the loader so far. Closes the file. */
static lzs_status_t tsv_finish(tsv_t *t, int r, lzs_status_t st, char **errmsg)
{
    if (r < 0 && st == LZS_OK) {
        lzs_set_errmsg(errmsg, "%s:%u: invalid UTF-8", t->file, t->line);
        st = LZS_ERR_CORRUPT;
    }
    tsv_close(t);
    return st;
}

/* Adds the folded words of phrase s to pool; first and nwords describe them, without the
 * leading words that are in articles (NULL: none left out; borrowed). */
static lzs_status_t add_words(lzs_words_t *pool, const char *s, const lzs_strlist_t *articles,
                              size_t *first, size_t *nwords)
{
    size_t before = pool->n;
    lzs_status_t st = lzs_words_fold(pool, s, strlen(s));
    if (st != LZS_OK)
        return st;
    size_t start = before;
    if (articles != NULL) {
        while (start < pool->n && pool->n - start > 1 &&
               lzs_strlist_contains(articles, lzs_words_at(pool, start)))
            start++;
    }
    *first = start;
    *nwords = pool->n - start;
    return LZS_OK;
}

static lzs_status_t load_parties(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "parties.tsv", 0, errmsg);
    if (st != LZS_OK)
        return st;
    size_t cap_states = 0, cap_names = 0;
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        if (t.ncols < 3) {
            lzs_set_errmsg(errmsg, "parties.tsv:%u: expected code, status, name and variants",
                                t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        const char *code = t.cols[0];
        if (strlen(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') {
            lzs_set_errmsg(errmsg, "parties.tsv:%u: \"%s\" is not an ISO 3166 alpha-2 code",
                                t.line, code);
            st = LZS_ERR_CORRUPT;
            break;
        }
        int party;
        if (strcmp(t.cols[1], "party") == 0) {
            party = 1;
        } else if (strcmp(t.cols[1], "state") == 0) {
            party = 0;
        } else {
            lzs_set_errmsg(errmsg, "parties.tsv:%u: status \"%s\" is neither party nor state",
                                t.line, t.cols[1]);
            st = LZS_ERR_CORRUPT;
            break;
        }
        for (size_t i = 0; i < ex->nstates; i++) {
            if (strcmp(ex->states[i].code, code) == 0) {
                lzs_set_errmsg(errmsg, "parties.tsv:%u: code %s listed twice", t.line, code);
                st = LZS_ERR_CORRUPT;
                break;
            }
        }
        if (st != LZS_OK)
            break;
        if (ex->nstates == cap_states) {
            cap_states = cap_states ? cap_states * 2 : 64;
            lzs_state_t *s = realloc(ex->states, cap_states * sizeof *s);
            if (s == NULL) {
                st = LZS_ERR_NOMEM;
                break;
            }
            ex->states = s;
        }
        lzs_state_t *s = &ex->states[ex->nstates];
        memcpy(s->code, code, 3);
        s->is_party = party;
        s->name = strdup(t.cols[2]);
        if (s->name == NULL) {
            st = LZS_ERR_NOMEM;
            break;
        }
        ex->nstates++;
        for (size_t c = 2; c < t.ncols && st == LZS_OK; c++) {
            if (t.cols[c][0] == '\0')
                continue;
            if (ex->nnames == cap_names) {
                cap_names = cap_names ? cap_names * 2 : 256;
                lzs_name_t *nm = realloc(ex->names, cap_names * sizeof *nm);
                if (nm == NULL) {
                    st = LZS_ERR_NOMEM;
                    break;
                }
                ex->names = nm;
            }
            lzs_name_t *nm = &ex->names[ex->nnames];
            nm->state = ex->nstates - 1;
            nm->next = -1;
            nm->text = strdup(t.cols[c]);
            if (nm->text == NULL) {
                st = LZS_ERR_NOMEM;
                break;
            }
            st = add_words(&ex->name_words, t.cols[c], &ex->articles, &nm->first, &nm->nwords);
            if (st == LZS_OK) {
                /* with a leading article or preposition: "de la" Norvège */
                size_t all = ex->name_words.n - nm->first + 2;
                if (all > ex->name_max_words)
                    ex->name_max_words = all;
            }
            if (st == LZS_OK && nm->nwords == 0) {
                lzs_set_errmsg(errmsg, "parties.tsv:%u: name \"%s\" has no letters", t.line,
                                    t.cols[c]);
                st = LZS_ERR_CORRUPT;
            }
            if (st == LZS_OK)
                ex->nnames++;
            else
                free(nm->text);
        }
        if (st != LZS_OK)
            break;
    }
    st = tsv_finish(&t, r, st, errmsg);
    if (st != LZS_OK)
        return st;
    if (ex->nstates == 0) {
        lzs_set_errmsg(errmsg, "parties.tsv: no entries");
        return LZS_ERR_CORRUPT;
    }
    ex->party_codes = malloc(ex->nstates * sizeof *ex->party_codes);
    if (ex->party_codes == NULL)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < ex->nstates; i++) {
        if (ex->states[i].is_party)
            ex->party_codes[ex->nparties++] = ex->states[i].code;
    }
    /* Chain names by the hash of their first word, longest names first, so that a scan
     * tries "Bosnia and Herzegovina" before any shorter name. */
    ex->nheads = 64;
    while (ex->nheads < ex->nnames * 2)
        ex->nheads *= 2;
    ex->name_heads = malloc(ex->nheads * sizeof *ex->name_heads);
    if (ex->name_heads == NULL)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < ex->nheads; i++)
        ex->name_heads[i] = -1;
    for (size_t k = 0; k < ex->nnames; k++) {
        lzs_name_t *nm = &ex->names[k];
        size_t slot = lzs_hash_str(lzs_words_at(&ex->name_words, nm->first)) & (ex->nheads - 1);
        long *link = &ex->name_heads[slot];
        while (*link >= 0 && ex->names[*link].nwords >= nm->nwords)
            link = &ex->names[*link].next;
        nm->next = *link;
        *link = (long)k;
    }
    return LZS_OK;
}

static lzs_status_t load_articles(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "articles.tsv", 0, errmsg);
    if (st != LZS_OK)
        return st;
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        char *end = NULL;
        long n = strtol(t.cols[0], &end, 10);
        if (t.ncols < 2 || t.ncols > 3 || end == t.cols[0] || *end != '\0' || n < 1 || n > 50 ||
            t.cols[1][0] == '\0' || (t.ncols == 3 && t.cols[2][0] == '\0')) {
            lzs_set_errmsg(errmsg,
                           "articles.tsv:%u: expected an article number (1-50), an English title "
                           "and optionally a French title",
                           t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        free(ex->article_titles[n]);
        free(ex->article_titles_fr[n]);
        ex->article_titles[n] = strdup(t.cols[1]);
        ex->article_titles_fr[n] = t.ncols == 3 ? strdup(t.cols[2]) : NULL;
        if (ex->article_titles[n] == NULL || (t.ncols == 3 && ex->article_titles_fr[n] == NULL)) {
            st = LZS_ERR_NOMEM;
            break;
        }
    }
    st = tsv_finish(&t, r, st, errmsg);
    return st;
}

static int phrase_kind(const char *s)
{
    if (strcmp(s, "subject") == 0)
        return PHRASE_SUBJECT;
    if (strcmp(s, "all") == 0)
        return PHRASE_ALL;
    return lzs_level_from_name(s);
}

static int valid_lang(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 3)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 'a' || s[i] > 'z')
            return 0;
    }
    return 1;
}

static lzs_status_t load_levels(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "levels.tsv", 0, errmsg);
    if (st != LZS_OK)
        return st;
    size_t cap = 0;
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        int what = t.ncols >= 2 ? phrase_kind(t.cols[1]) : -1;
        if (t.ncols < 3 || !valid_lang(t.cols[0]) || what <= 0) {
            lzs_set_errmsg(
                errmsg,
                "levels.tsv:%u: expected a language code, a level (require, request, "
                "invite, urge, consider, subject or all) and verb forms",
                t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        for (size_t c = 2; c < t.ncols && st == LZS_OK; c++) {
            if (t.cols[c][0] == '\0')
                continue;
            if (ex->nphrases == cap) {
                cap = cap ? cap * 2 : 64;
                lzs_phrase_t *p = realloc(ex->phrases, cap * sizeof *p);
                if (p == NULL) {
                    st = LZS_ERR_NOMEM;
                    break;
                }
                ex->phrases = p;
            }
            lzs_phrase_t *ph = &ex->phrases[ex->nphrases];
            snprintf(ph->lang, sizeof ph->lang, "%s", t.cols[0]);
            ph->what = what;
            st = add_words(&ex->phrase_words, t.cols[c], NULL, &ph->first, &ph->nwords);
            if (st == LZS_OK && ph->nwords == 0) {
                lzs_set_errmsg(errmsg, "levels.tsv:%u: \"%s\" has no letters", t.line,
                                    t.cols[c]);
                st = LZS_ERR_CORRUPT;
            }
            if (st == LZS_OK)
                ex->nphrases++;
        }
        if (st != LZS_OK)
            break;
    }
    st = tsv_finish(&t, r, st, errmsg);
    return st;
}

static lzs_status_t load_synonyms(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "synonyms.tsv", 0, errmsg);
    if (st != LZS_OK)
        return st;
    size_t cap = 0;
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        size_t n = 0;
        for (size_t c = 0; c < t.ncols; c++)
            n += t.cols[c][0] != '\0';
        if (n < 2) {
            lzs_set_errmsg(errmsg, "synonyms.tsv:%u: a group needs at least two terms",
                                t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        if (ex->nsyn == cap) {
            cap = cap ? cap * 2 : 16;
            char ***g = realloc(ex->syn, cap * sizeof *g);
            size_t *sz = g ? realloc(ex->syn_sizes, cap * sizeof *sz) : NULL;
            if (g)
                ex->syn = g;
            if (sz)
                ex->syn_sizes = sz;
            if (g == NULL || sz == NULL) {
                st = LZS_ERR_NOMEM;
                break;
            }
        }
        char **terms = calloc(n, sizeof *terms);
        if (terms == NULL) {
            st = LZS_ERR_NOMEM;
            break;
        }
        ex->syn[ex->nsyn] = terms;
        ex->syn_sizes[ex->nsyn] = 0;
        ex->nsyn++;
        for (size_t c = 0; c < t.ncols; c++) {
            if (t.cols[c][0] == '\0')
                continue;
            char *term = strdup(t.cols[c]);
            if (term == NULL) {
                st = LZS_ERR_NOMEM;
                break;
            }
            terms[ex->syn_sizes[ex->nsyn - 1]++] = term;
        }
        if (st != LZS_OK)
            break;
    }
    st = tsv_finish(&t, r, st, errmsg);
    return st;
}

/* stopwords.tsv is optional: without it the language of a text without sidecar or
 * suffix is taken to be English. */
static lzs_status_t load_stopwords(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "stopwords.tsv", 1, errmsg);
    if (st == LZS_ERR_NOT_FOUND)
        return LZS_OK;
    if (st != LZS_OK)
        return st;
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        if (t.ncols < 2 || !valid_lang(t.cols[0])) {
            lzs_set_errmsg(errmsg, "stopwords.tsv:%u: expected a language code and words",
                                t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        lzs_stoplist_t *s = realloc(ex->stops, (ex->nstops + 1) * sizeof *s);
        if (s == NULL) {
            st = LZS_ERR_NOMEM;
            break;
        }
        ex->stops = s;
        lzs_stoplist_t *sl = &ex->stops[ex->nstops++];
        memset(sl, 0, sizeof *sl);
        snprintf(sl->lang, sizeof sl->lang, "%s", t.cols[0]);
        for (size_t c = 1; c < t.ncols && st == LZS_OK; c++)
            st = lzs_words_fold(&sl->words, t.cols[c], strlen(t.cols[c]));
        if (st != LZS_OK)
            break;
    }
    st = tsv_finish(&t, r, st, errmsg);
    return st;
}

static lzs_anaphora_t *anaphora_lang(lzs_extractor_t *ex, const char *lang)
{
    for (size_t i = 0; i < ex->nanaphora; i++) {
        if (strcmp(ex->anaphora[i].lang, lang) == 0)
            return &ex->anaphora[i];
    }
    lzs_anaphora_t *a = realloc(ex->anaphora, (ex->nanaphora + 1) * sizeof *a);
    if (a == NULL)
        return NULL;
    ex->anaphora = a;
    a = &ex->anaphora[ex->nanaphora++];
    memset(a, 0, sizeof *a);
    snprintf(a->lang, sizeof a->lang, "%s", lang);
    return a;
}

static lzs_status_t add_demonstrative(lzs_anaphora_t *a, int number, const char *phrase)
{
    lzs_demonstrative_t *d = realloc(a->demos, (a->ndemos + 1) * sizeof *d);
    if (d == NULL)
        return LZS_ERR_NOMEM;
    a->demos = d;
    d = &a->demos[a->ndemos];
    d->number = number;
    lzs_status_t st = add_words(&a->demo_words, phrase, NULL, &d->first, &d->nwords);
    if (st == LZS_OK && d->nwords > 0)
        a->ndemos++;
    return st;
}

static lzs_status_t load_anaphora(lzs_extractor_t *ex, char **errmsg)
{
    static const char *const roles[] = {"singular",      "plural",          "any",
                                        "number",        "function",        "deictic",
                                        "plural-ending", "singular-ending", NULL};
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "anaphora.tsv", 0, errmsg);
    if (st != LZS_OK)
        return st;
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        int role = -1;
        for (int k = 0; t.ncols >= 2 && roles[k]; k++) {
            if (strcmp(t.cols[1], roles[k]) == 0)
                role = k;
        }
        if (t.ncols < 3 || !valid_lang(t.cols[0]) || role < 0) {
            lzs_set_errmsg(
                errmsg,
                "anaphora.tsv:%u: expected a language code, a role (singular, plural, any, "
                "number, function, deictic, plural-ending or singular-ending) and words",
                t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        lzs_anaphora_t *a = anaphora_lang(ex, t.cols[0]);
        if (a == NULL) {
            st = LZS_ERR_NOMEM;
            break;
        }
        lzs_words_t *list[] = {NULL,         NULL,        NULL,           &a->numbers,
                               &a->function, &a->deictic, &a->plural_end, &a->singular_end};
        for (size_t c = 2; c < t.ncols && st == LZS_OK; c++) {
            if (t.cols[c][0] == '\0')
                continue;
            size_t before = list[role] ? list[role]->n : 0;
            if (role <= 2)
                st = add_demonstrative(a,
                                       role == 0   ? DEMO_SINGULAR
                                       : role == 1 ? DEMO_PLURAL
                                                   : DEMO_ANY,
                                       t.cols[c]);
            else
                st = lzs_words_fold(list[role], t.cols[c], strlen(t.cols[c]));
            /* Words and endings are single words: "the above" is a phrase only where
             * phrases are allowed. */
            if (st == LZS_OK && role > 2 && list[role]->n != before + 1) {
                lzs_set_errmsg(errmsg, "anaphora.tsv:%u: \"%s\" is not a single word", t.line,
                                    t.cols[c]);
                st = LZS_ERR_CORRUPT;
            }
        }
        if (st != LZS_OK)
            break;
    }
    st = tsv_finish(&t, r, st, errmsg);
    return st;
}

static lzs_status_t load_doctypes(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "doctypes.tsv", 0, errmsg);
    if (st != LZS_OK)
        return st;
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        int type = lzs_doctype_from_name(t.cols[0]);
        lzs_strlist_t *words = NULL;
        if (strcmp(t.cols[0], "@qualifier") == 0)
            words = &ex->title_qualifiers;
        else if (strcmp(t.cols[0], "@draft") == 0)
            words = &ex->draft_words;
        else if (strcmp(t.cols[0], "@ordinal") == 0)
            words = &ex->ordinal_words;
        if (t.ncols < 2 || (type < 0 && words == NULL)) {
            lzs_set_errmsg(
                errmsg,
                "doctypes.tsv:%u: expected a document type (decisions, opinion, "
                "declaration, implementation-report, compliance-report, factsheet, "
                "information-note, activity-report, presentation, agenda, meeting-report, "
                "questionnaire, working-group-report or other), @qualifier, @draft or @ordinal, "
                "and "
                "phrases",
                t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        if (words != NULL) {
            for (size_t c = 1; c < t.ncols && st == LZS_OK; c++) {
                char *key = lzs_fold_key(t.cols[c]);
                if (key == NULL) {
                    st = LZS_ERR_NOMEM;
                    break;
                }
                if (key[0] != '\0')
                    st = lzs_strlist_push_unique(words, key);
                free(key);
            }
            if (st != LZS_OK)
                break;
            continue;
        }
        for (size_t c = 1; c < t.ncols && st == LZS_OK; c++) {
            if (t.cols[c][0] == '\0')
                continue;
            char *key = lzs_fold_key(t.cols[c]);
            if (key == NULL) {
                st = LZS_ERR_NOMEM;
                break;
            }
            if (key[0] == '\0') {
                lzs_set_errmsg(errmsg, "doctypes.tsv:%u: \"%s\" has no letters", t.line,
                                    t.cols[c]);
                free(key);
                st = LZS_ERR_CORRUPT;
                break;
            }
            lzs_typephrase_t *tp =
                realloc(ex->typephrases, (ex->ntypephrases + 1) * sizeof *ex->typephrases);
            if (tp == NULL) {
                free(key);
                st = LZS_ERR_NOMEM;
                break;
            }
            ex->typephrases = tp;
            ex->typephrases[ex->ntypephrases].type = type;
            ex->typephrases[ex->ntypephrases].key = key;
            ex->ntypephrases++;
        }
        if (st != LZS_OK)
            break;
    }
    st = tsv_finish(&t, r, st, errmsg);
    return st;
}

/* Lower case of ASCII and Latin-1 letters ("É" -> "é"), in place: what month names are
 * compared with. */
static void lower_latin(char *s)
{
    unsigned char *p = (unsigned char *)s;
    for (size_t i = 0; p[i]; i++) {
        if (p[i] >= 'A' && p[i] <= 'Z')
            p[i] = (unsigned char)(p[i] + 32);
        else if (p[i] == 0xC3 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9E && p[i + 1] != 0x97)
            p[++i] += 0x20;
    }
}

static lzs_status_t load_months(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "months.tsv", 0, errmsg);
    if (st != LZS_OK)
        return st;
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        int ok = t.ncols == 13 && valid_lang(t.cols[0]);
        for (size_t c = 1; ok && c < t.ncols; c++)
            ok = t.cols[c][0] != '\0' && strpbrk(t.cols[c], " .,;:") == NULL;
        if (!ok) {
            lzs_set_errmsg(
                errmsg,
                "months.tsv:%u: expected a language code and the twelve month names, each "
                "one word",
                t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        lzs_month_t *m = realloc(ex->months, (ex->nmonths + 12) * sizeof *m);
        if (m == NULL) {
            st = LZS_ERR_NOMEM;
            break;
        }
        ex->months = m;
        for (int k = 0; k < 12 && st == LZS_OK; k++) {
            char *name = strdup(t.cols[k + 1]);
            if (name == NULL) {
                st = LZS_ERR_NOMEM;
                break;
            }
            lower_latin(name);
            ex->months[ex->nmonths].month = k + 1;
            ex->months[ex->nmonths].name = name;
            ex->nmonths++;
        }
        if (st != LZS_OK)
            break;
    }
    st = tsv_finish(&t, r, st, errmsg);
    if (st == LZS_OK && ex->nmonths == 0) {
        lzs_set_errmsg(errmsg, "months.tsv: no entries");
        st = LZS_ERR_CORRUPT;
    }
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* hyphens.tsv is optional: words written with a hyphen, which keep it when a line break
 * falls on it. */
static lzs_status_t load_hyphens(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "hyphens.tsv", 1, errmsg);
    if (st == LZS_ERR_NOT_FOUND)
        return LZS_OK;
    if (st != LZS_OK)
        return st;
    int r;
    for (r = tsv_next(&t); r > 0 && st == LZS_OK; r = tsv_next(&t)) {
        for (size_t c = 0; c < t.ncols && st == LZS_OK; c++) {
            char *w = t.cols[c];
            if (w[0] == '\0')
                continue;
            if (strchr(w, '-') == NULL || strchr(w, ' ') != NULL) {
                lzs_set_errmsg(errmsg, "hyphens.tsv:%u: \"%s\" is not one word with a hyphen",
                               t.line, w);
                st = LZS_ERR_CORRUPT;
                break;
            }
            for (char *p = w; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            st = lzs_strlist_push_unique(&ex->hyphenated, w);
        }
    }
    st = tsv_finish(&t, r, st, errmsg);
    if (st == LZS_OK)
        qsort(ex->hyphenated.items, ex->hyphenated.n, sizeof *ex->hyphenated.items, cmp_str);
    return st;
}

int lzs_extract_hyphenated(const lzs_extractor_t *ex, const char *word)
{
    return ex->hyphenated.n > 0 && bsearch(&word, ex->hyphenated.items, ex->hyphenated.n,
                                           sizeof *ex->hyphenated.items, cmp_str) != NULL;
}

/* A concept or round name: lower-case ASCII letters, digits and '-', 1 to 64 bytes. */
static int valid_key(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return 1;
}

/* 1 when the text has a letter or a digit (a term that the tokenizer keeps). */
static int has_word(const char *s)
{
    lzs_words_t w = {0};
    int ok = lzs_words_fold(&w, s, strlen(s)) == LZS_OK && w.n > 0;
    lzs_words_free(&w);
    return ok;
}

static void concept_free(lzs_concept_t *c)
{
    for (size_t i = 0; i < c->nterms; i++)
        free(c->terms[i].text);
    free(c->terms);
    free(c->name);
    memset(c, 0, sizeof *c);
}

/* Reads the terms of one thesaurus line (columns 2...) into c. */
static lzs_status_t thesaurus_terms(const tsv_t *t, lzs_concept_t *c, char **errmsg)
{
    c->terms = calloc(t->ncols, sizeof *c->terms);
    if (c->terms == NULL)
        return LZS_ERR_NOMEM;
    int en = 0, fr = 0;
    for (size_t k = 1; k < t->ncols; k++) {
        const char *col = t->cols[k];
        if (col[0] == '\0')
            continue;
        const char *colon = strchr(col, ':');
        char lang[8] = "";
        if (colon != NULL && (size_t)(colon - col) < sizeof lang)
            snprintf(lang, sizeof lang, "%.*s", (int)(colon - col), col);
        if (colon == NULL || !valid_lang(lang)) {
            lzs_set_errmsg(errmsg,
                           "thesaurus.tsv:%u: \"%s\" is not a term written LANG:term (en:grooming)",
                           t->line, col);
            return LZS_ERR_CORRUPT;
        }
        const char *term = colon + 1;
        while (*term == ' ')
            term++;
        if (!has_word(term)) {
            lzs_set_errmsg(errmsg, "thesaurus.tsv:%u: the term \"%s\" has no letters", t->line,
                           col);
            return LZS_ERR_CORRUPT;
        }
        lzs_term_t *tm = &c->terms[c->nterms];
        snprintf(tm->lang, sizeof tm->lang, "%s", lang);
        tm->text = strdup(term);
        if (tm->text == NULL)
            return LZS_ERR_NOMEM;
        c->nterms++;
        en |= strcmp(lang, "en") == 0;
        fr |= strcmp(lang, "fr") == 0;
    }
    if (!en || !fr) {
        lzs_set_errmsg(errmsg,
                       "thesaurus.tsv:%u: concept \"%s\" needs at least one English (en:) and "
                       "one French (fr:) term",
                       t->line, c->name);
        return LZS_ERR_CORRUPT;
    }
    return LZS_OK;
}

/* thesaurus.tsv is optional: without it a search meets no other language. */
static lzs_status_t load_thesaurus(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "thesaurus.tsv", 1, errmsg);
    if (st == LZS_ERR_NOT_FOUND)
        return LZS_OK;
    if (st != LZS_OK)
        return st;
    size_t cap = 0;
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        if (!valid_key(t.cols[0])) {
            lzs_set_errmsg(errmsg,
                           "thesaurus.tsv:%u: \"%s\" is not a concept name (lower-case letters, "
                           "digits and '-')",
                           t.line, t.cols[0]);
            st = LZS_ERR_CORRUPT;
            break;
        }
        for (size_t i = 0; i < ex->nconcepts && st == LZS_OK; i++) {
            if (strcmp(ex->concepts[i].name, t.cols[0]) == 0) {
                lzs_set_errmsg(errmsg, "thesaurus.tsv:%u: concept \"%s\" is defined twice", t.line,
                               t.cols[0]);
                st = LZS_ERR_CORRUPT;
            }
        }
        if (st != LZS_OK)
            break;
        if (ex->nconcepts == cap) {
            cap = cap ? cap * 2 : 64;
            lzs_concept_t *c = realloc(ex->concepts, cap * sizeof *c);
            if (c == NULL) {
                st = LZS_ERR_NOMEM;
                break;
            }
            ex->concepts = c;
        }
        lzs_concept_t c = {0};
        c.name = strdup(t.cols[0]);
        st = c.name ? thesaurus_terms(&t, &c, errmsg) : LZS_ERR_NOMEM;
        if (st != LZS_OK) {
            concept_free(&c);
            break;
        }
        ex->concepts[ex->nconcepts++] = c;
    }
    return tsv_finish(&t, r, st, errmsg);
}

const lzs_round_t *lzs_round_find(const lzs_extractor_t *ex, const char *key)
{
    for (size_t i = 0; ex != NULL && key != NULL && i < ex->nrounds; i++) {
        if (strcmp(ex->rounds[i].key, key) == 0)
            return &ex->rounds[i];
    }
    return NULL;
}

/* The round of key, appended when the file names it for the first time; NULL when out of
 * memory. */
static lzs_round_t *round_of(lzs_extractor_t *ex, const char *key)
{
    lzs_round_t *r = (lzs_round_t *)lzs_round_find(ex, key);
    if (r != NULL)
        return r;
    r = realloc(ex->rounds, (ex->nrounds + 1) * sizeof *r);
    if (r == NULL)
        return NULL;
    ex->rounds = r;
    r = &ex->rounds[ex->nrounds];
    memset(r, 0, sizeof *r);
    r->key = strdup(key);
    if (r->key == NULL)
        return NULL;
    ex->nrounds++;
    return r;
}

/* Adds the folded key of name (a value of t's current line) to list, once; a name without
 * letters or digits is an error naming the file and line. */
static lzs_status_t push_folded(const tsv_t *t, const char *name, lzs_strlist_t *list,
                                char **errmsg)
{
    char *key = lzs_fold_key(name);
    if (key == NULL)
        return LZS_ERR_NOMEM;
    lzs_status_t st = LZS_OK;
    if (key[0] == '\0') {
        lzs_set_errmsg(errmsg, "%s:%u: \"%s\" has no letters", t->file, t->line, name);
        st = LZS_ERR_CORRUPT;
    } else {
        st = lzs_strlist_push_unique(list, key);
    }
    free(key);
    return st;
}

static lzs_status_t round_values(const tsv_t *t, lzs_round_t *rd, char **errmsg)
{
    static const struct {
        const char *name;
        unsigned bit;
    } shapes[] = {{"roman-number", LZS_RECID_ROMAN_NUMBER},
                  {"r-number", LZS_RECID_R_NUMBER},
                  {"r-roman", LZS_RECID_R_ROMAN}};
    const char *role = t->cols[1];
    lzs_status_t st = LZS_OK;
    for (size_t c = 2; c < t->ncols && st == LZS_OK; c++) {
        const char *v = t->cols[c];
        if (v[0] == '\0')
            continue;
        if (strcmp(role, "label") == 0) {
            if (rd->label != NULL || c > 2) {
                lzs_set_errmsg(errmsg, "rounds.tsv:%u: round \"%s\" has more than one label",
                               t->line, rd->key);
                return LZS_ERR_CORRUPT;
            }
            rd->label = strdup(v);
            st = rd->label ? LZS_OK : LZS_ERR_NOMEM;
        } else if (strcmp(role, "phrase") == 0) {
            st = push_folded(t, v, &rd->phrases, errmsg);
        } else {
            unsigned bit = 0;
            for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
                if (strcmp(v, shapes[k].name) == 0)
                    bit = shapes[k].bit;
            }
            if (bit == 0) {
                lzs_set_errmsg(errmsg,
                               "rounds.tsv:%u: \"%s\" is not an identifier shape (roman-number, "
                               "r-number or r-roman)",
                               t->line, v);
                return LZS_ERR_CORRUPT;
            }
            rd->id_shapes |= bit;
        }
    }
    return st;
}

/* rounds.tsv is optional: without it every recommendation keeps a key of its own
 * document. */
static lzs_status_t load_rounds(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "rounds.tsv", 1, errmsg);
    if (st == LZS_ERR_NOT_FOUND)
        return LZS_OK;
    if (st != LZS_OK)
        return st;
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        const char *role = t.ncols >= 2 ? t.cols[1] : "";
        if (t.ncols < 3 || !valid_key(t.cols[0]) ||
            (strcmp(role, "label") != 0 && strcmp(role, "phrase") != 0 &&
             strcmp(role, "id") != 0)) {
            lzs_set_errmsg(errmsg,
                           "rounds.tsv:%u: expected a round key (lower-case letters, digits and "
                           "'-'), a role (label, phrase or id) and values",
                           t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        lzs_round_t *rd = round_of(ex, t.cols[0]);
        st = rd ? round_values(&t, rd, errmsg) : LZS_ERR_NOMEM;
        if (st != LZS_OK)
            break;
    }
    st = tsv_finish(&t, r, st, errmsg);
    for (size_t i = 0; st == LZS_OK && i < ex->nrounds; i++) {
        if (ex->rounds[i].phrases.n == 0 || ex->rounds[i].id_shapes == 0) {
            lzs_set_errmsg(errmsg, "rounds.tsv: round \"%s\" needs a phrase row and an id row",
                           ex->rounds[i].key);
            st = LZS_ERR_CORRUPT;
        }
    }
    return st;
}

/* ---- instruments.tsv -------------------------------------------------------------- */

static lzs_instrument_t *instrument_of(lzs_extractor_t *ex, const char *key)
{
    for (size_t i = 0; i < ex->ninstruments; i++) {
        if (strcmp(ex->instruments[i].key, key) == 0)
            return &ex->instruments[i];
    }
    lzs_instrument_t *v = realloc(ex->instruments, (ex->ninstruments + 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    ex->instruments = v;
    v = &ex->instruments[ex->ninstruments];
    memset(v, 0, sizeof *v);
    v->key = strdup(key);
    if (v->key == NULL)
        return NULL;
    ex->ninstruments++;
    return v;
}

static lzs_status_t instrument_values(const tsv_t *t, lzs_instrument_t *in, char **errmsg)
{
    const char *role = t->cols[1];
    lzs_status_t st = LZS_OK;
    for (size_t c = 2; c < t->ncols && st == LZS_OK; c++) {
        const char *v = t->cols[c];
        if (v[0] == '\0')
            continue;
        if (strcmp(role, "en") == 0 || strcmp(role, "fr") == 0) {
            char **name = role[0] == 'e' ? &in->name_en : &in->name_fr;
            if (*name == NULL) {
                *name = strdup(v);
                if (*name == NULL)
                    return LZS_ERR_NOMEM;
            }
        }
        if (strcmp(role, "article") == 0)
            st = push_folded(t, v, &in->article_names, errmsg);
        else
            st = push_folded(t, v, &in->phrases, errmsg);
    }
    return st;
}

/* instruments.tsv is optional: without it no instrument is recognised. */
static lzs_status_t load_instruments(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "instruments.tsv", 1, errmsg);
    if (st == LZS_ERR_NOT_FOUND)
        return LZS_OK;
    if (st != LZS_OK)
        return st;
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        const char *role = t.ncols >= 2 ? t.cols[1] : "";
        /* "-art" is how the key of an article of an instrument is made */
        if (t.ncols < 3 || !valid_key(t.cols[0]) || strstr(t.cols[0], "-art") != NULL ||
            (strcmp(role, "en") != 0 && strcmp(role, "fr") != 0 && strcmp(role, "pattern") != 0 &&
             strcmp(role, "article") != 0)) {
            lzs_set_errmsg(errmsg,
                           "instruments.tsv:%u: expected a key (lower-case letters, digits and "
                           "'-', without \"-art\"), a role (en, fr, pattern or article) and "
                           "values",
                           t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        lzs_instrument_t *in = instrument_of(ex, t.cols[0]);
        st = in ? instrument_values(&t, in, errmsg) : LZS_ERR_NOMEM;
        if (st != LZS_OK)
            break;
    }
    st = tsv_finish(&t, r, st, errmsg);
    for (size_t i = 0; st == LZS_OK && i < ex->ninstruments; i++) {
        if (ex->instruments[i].name_en == NULL || ex->instruments[i].name_fr == NULL) {
            lzs_set_errmsg(errmsg, "instruments.tsv: instrument \"%s\" needs an en and a fr row",
                           ex->instruments[i].key);
            st = LZS_ERR_CORRUPT;
        }
    }
    return st;
}

/* ---- opinions.tsv ------------------------------------------------------------------ */

static lzs_opinion_t *opinion_of(lzs_extractor_t *ex, const char *key)
{
    for (size_t i = 0; i < ex->nopinions; i++) {
        if (strcmp(ex->opinions[i].info.key, key) == 0)
            return &ex->opinions[i];
    }
    lzs_opinion_t *v = realloc(ex->opinions, (ex->nopinions + 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    ex->opinions = v;
    v = &ex->opinions[ex->nopinions];
    memset(v, 0, sizeof *v);
    v->info.key = strdup(key);
    if (v->info.key == NULL)
        return NULL;
    ex->nopinions++;
    return v;
}

/* Sets *field to a copy of v, the one value of its role: a second value is an error. */
static lzs_status_t opinion_single(const tsv_t *t, const char *key, const char **field,
                                   const char *v, char **errmsg)
{
    if (*field != NULL) {
        lzs_set_errmsg(errmsg, "opinions.tsv:%u: \"%s\" has more than one %s", t->line, key,
                       t->cols[1]);
        return LZS_ERR_CORRUPT;
    }
    *field = strdup(v);
    return *field ? LZS_OK : LZS_ERR_NOMEM;
}

static lzs_status_t opinion_values(const tsv_t *t, lzs_opinion_t *op, char **errmsg)
{
    const char *role = t->cols[1];
    lzs_opinion_info_t *in = &op->info;
    lzs_status_t st = LZS_OK;
    for (size_t c = 2; c < t->ncols && st == LZS_OK; c++) {
        const char *v = t->cols[c];
        if (v[0] == '\0')
            continue;
        if (strcmp(role, "kind") == 0) {
            if (strcmp(v, "opinion") != 0 && strcmp(v, "declaration") != 0) {
                lzs_set_errmsg(errmsg,
                               "opinions.tsv:%u: kind \"%s\" is neither opinion nor declaration",
                               t->line, v);
                return LZS_ERR_CORRUPT;
            }
            st = opinion_single(t, in->key, &in->kind, v, errmsg);
        } else if (strcmp(role, "year") == 0) {
            char *end = NULL;
            long y = strtol(v, &end, 10);
            if (*end != '\0' || y < 2000 || y > 2100 || in->year != 0) {
                lzs_set_errmsg(errmsg, "opinions.tsv:%u: \"%s\" needs one year (2000-2100)",
                               t->line, in->key);
                return LZS_ERR_CORRUPT;
            }
            in->year = (int)y;
        } else if (strcmp(role, "code") == 0) {
            char id[128];
            /* a code without suffix: the id of the English version */
            if (!lzs_extract_doc_id_of_code(v, id, sizeof id) || strcmp(id, v) != 0) {
                lzs_set_errmsg(errmsg,
                               "opinions.tsv:%u: \"%s\" is no document code without language "
                               "suffix nor revision (T-ES(2015)04)",
                               t->line, v);
                return LZS_ERR_CORRUPT;
            }
            st = opinion_single(t, in->key, &in->code, v, errmsg);
        } else {
            const char **title = role[0] == 'e' ? &in->title_en : &in->title_fr;
            if (*title == NULL) {
                *title = strdup(v);
                if (*title == NULL)
                    return LZS_ERR_NOMEM;
            }
            st = push_folded(t, v, &op->phrases, errmsg);
        }
    }
    return st;
}

/* opinions.tsv is optional: without it no title is recognised as a citation. */
static lzs_status_t load_opinions(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "opinions.tsv", 1, errmsg);
    if (st == LZS_ERR_NOT_FOUND)
        return LZS_OK;
    if (st != LZS_OK)
        return st;
    static const char *const roles[] = {"kind", "year", "code", "en", "fr", NULL};
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        int known = 0;
        for (size_t k = 0; roles[k] && t.ncols >= 2; k++)
            known |= strcmp(t.cols[1], roles[k]) == 0;
        if (t.ncols < 3 || !valid_key(t.cols[0]) || !known) {
            lzs_set_errmsg(errmsg,
                           "opinions.tsv:%u: expected a key (lower-case letters, digits and "
                           "'-'), a role (kind, year, code, en or fr) and values",
                           t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        lzs_opinion_t *op = opinion_of(ex, t.cols[0]);
        st = op ? opinion_values(&t, op, errmsg) : LZS_ERR_NOMEM;
        if (st != LZS_OK)
            break;
    }
    st = tsv_finish(&t, r, st, errmsg);
    for (size_t i = 0; st == LZS_OK && i < ex->nopinions; i++) {
        const lzs_opinion_info_t *in = &ex->opinions[i].info;
        if (in->kind == NULL || in->year == 0 || in->title_en == NULL || in->title_fr == NULL) {
            lzs_set_errmsg(errmsg, "opinions.tsv: \"%s\" needs a kind, a year, an en and a fr row",
                           in->key);
            st = LZS_ERR_CORRUPT;
        }
    }
    return st;
}

static lzs_status_t load_headings(lzs_extractor_t *ex, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "headings.tsv", 0, errmsg);
    if (st != LZS_OK)
        return st;
    int r;
    for (r = tsv_next(&t); r > 0; r = tsv_next(&t)) {
        lzs_strlist_t *list = NULL;
        if (strcmp(t.cols[0], "top") == 0)
            list = &ex->top_headings;
        else if (strcmp(t.cols[0], "contents") == 0)
            list = &ex->toc_titles;
        else if (strcmp(t.cols[0], "credit") == 0)
            list = &ex->credit_phrases;
        if (t.ncols < 2 || list == NULL) {
            lzs_set_errmsg(
                errmsg, "headings.tsv:%u: expected a role (top, contents or credit) and words", t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        for (size_t c = 1; c < t.ncols && st == LZS_OK; c++) {
            if (t.cols[c][0] != '\0')
                st = push_folded(&t, t.cols[c], list, errmsg);
        }
        if (st != LZS_OK)
            break;
    }
    st = tsv_finish(&t, r, st, errmsg);
    return st;
}

/* A function word: lower-case ASCII letters only, as lzs_ends_with_function_word() reads
 * the last word of a line. */
static int plain_word(const char *w)
{
    for (const char *p = w; *p; p++) {
        if (*p < 'a' || *p > 'z')
            return 0;
    }
    return w[0] != '\0';
}

/* words.tsv is optional (the file says what is lost without it); it is read before the
 * Parties, whose names are stored without their leading articles. */
static lzs_status_t load_words(lzs_extractor_t *ex, char **errmsg)
{
    static const char *const roles[] = {"function", "connector", "article", "preposition"};
    lzs_strlist_t *lists[] = {&ex->function_words, &ex->connectors, &ex->articles, &ex->name_leads};
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, "words.tsv", 1, errmsg);
    if (st == LZS_ERR_NOT_FOUND)
        return LZS_OK;
    if (st != LZS_OK)
        return st;
    int r;
    for (r = tsv_next(&t); r > 0 && st == LZS_OK; r = tsv_next(&t)) {
        size_t role = sizeof roles / sizeof roles[0];
        for (size_t k = 0; t.ncols >= 3 && k < sizeof roles / sizeof roles[0]; k++) {
            if (strcmp(t.cols[0], roles[k]) == 0)
                role = k;
        }
        if (role == sizeof roles / sizeof roles[0] || !valid_lang(t.cols[1])) {
            lzs_set_errmsg(errmsg,
                           "words.tsv:%u: expected a role (function, connector, article or "
                           "preposition), a language code and words",
                           t.line);
            st = LZS_ERR_CORRUPT;
            break;
        }
        for (size_t c = 2; c < t.ncols && st == LZS_OK; c++) {
            const char *w = t.cols[c];
            if (w[0] == '\0')
                continue;
            if (strchr(w, ' ') != NULL || (role == 0 && !plain_word(w))) {
                lzs_set_errmsg(errmsg, "words.tsv:%u: \"%s\" is not one %s", t.line, w,
                               role == 0 ? "word of lower-case letters a to z" : "word");
                st = LZS_ERR_CORRUPT;
                break;
            }
            st = push_folded(&t, w, lists[role], errmsg);
            /* a Party name may follow its article as well as a preposition */
            if (st == LZS_OK && role == 2)
                st = push_folded(&t, w, &ex->name_leads, errmsg);
        }
    }
    return tsv_finish(&t, r, st, errmsg);
}

lzs_status_t lzs_data_load(lzs_extractor_t *ex, char **errmsg)
{
    lzs_status_t st = load_words(ex, errmsg);
    if (st == LZS_OK)
        st = load_parties(ex, errmsg);
    if (st == LZS_OK)
        st = load_articles(ex, errmsg);
    if (st == LZS_OK)
        st = load_levels(ex, errmsg);
    if (st == LZS_OK)
        st = load_synonyms(ex, errmsg);
    if (st == LZS_OK)
        st = load_stopwords(ex, errmsg);
    if (st == LZS_OK)
        st = load_anaphora(ex, errmsg);
    if (st == LZS_OK)
        st = load_doctypes(ex, errmsg);
    if (st == LZS_OK)
        st = load_months(ex, errmsg);
    if (st == LZS_OK)
        st = load_headings(ex, errmsg);
    if (st == LZS_OK)
        st = load_hyphens(ex, errmsg);
    if (st == LZS_OK)
        st = load_thesaurus(ex, errmsg);
    if (st == LZS_OK)
        st = load_rounds(ex, errmsg);
    if (st == LZS_OK)
        st = load_instruments(ex, errmsg);
    if (st == LZS_OK)
        st = load_opinions(ex, errmsg);
    if (st == LZS_ERR_NOMEM)
        lzs_set_errmsg(errmsg, "%s: out of memory while loading the data files", ex->datadir);
    return st;
}

void lzs_data_free(lzs_extractor_t *ex)
{
    for (size_t i = 0; i < ex->nstates; i++)
        free(ex->states[i].name);
    free(ex->states);
    free((void *)ex->party_codes);
    for (size_t i = 0; i < ex->nnames; i++)
        free(ex->names[i].text);
    free(ex->names);
    lzs_words_free(&ex->name_words);
    free(ex->name_heads);
    for (size_t i = 0; i < 51; i++) {
        free(ex->article_titles[i]);
        free(ex->article_titles_fr[i]);
    }
    free(ex->phrases);
    lzs_words_free(&ex->phrase_words);
    for (size_t g = 0; g < ex->nsyn; g++) {
        for (size_t i = 0; i < ex->syn_sizes[g]; i++)
            free(ex->syn[g][i]);
        free(ex->syn[g]);
    }
    free(ex->syn);
    free(ex->syn_sizes);
    for (size_t i = 0; i < ex->nstops; i++)
        lzs_words_free(&ex->stops[i].words);
    free(ex->stops);
    for (size_t i = 0; i < ex->nanaphora; i++) {
        lzs_anaphora_t *a = &ex->anaphora[i];
        free(a->demos);
        lzs_words_free(&a->demo_words);
        lzs_words_free(&a->numbers);
        lzs_words_free(&a->function);
        lzs_words_free(&a->deictic);
        lzs_words_free(&a->plural_end);
        lzs_words_free(&a->singular_end);
    }
    free(ex->anaphora);
    for (size_t i = 0; i < ex->ntypephrases; i++)
        free(ex->typephrases[i].key);
    free(ex->typephrases);
    for (size_t i = 0; i < ex->nmonths; i++)
        free(ex->months[i].name);
    free(ex->months);
    lzs_strlist_clear(&ex->top_headings);
    lzs_strlist_clear(&ex->toc_titles);
    lzs_strlist_clear(&ex->credit_phrases);
    lzs_strlist_clear(&ex->hyphenated);
    lzs_strlist_clear(&ex->title_qualifiers);
    lzs_strlist_clear(&ex->draft_words);
    lzs_strlist_clear(&ex->ordinal_words);
    lzs_strlist_clear(&ex->function_words);
    lzs_strlist_clear(&ex->connectors);
    lzs_strlist_clear(&ex->articles);
    lzs_strlist_clear(&ex->name_leads);
    for (size_t i = 0; i < ex->nconcepts; i++)
        concept_free(&ex->concepts[i]);
    free(ex->concepts);
    for (size_t i = 0; i < ex->nrounds; i++) {
        free(ex->rounds[i].key);
        free(ex->rounds[i].label);
        lzs_strlist_clear(&ex->rounds[i].phrases);
    }
    free(ex->rounds);
    for (size_t i = 0; i < ex->ninstruments; i++) {
        free(ex->instruments[i].key);
        free(ex->instruments[i].name_en);
        free(ex->instruments[i].name_fr);
        lzs_strlist_clear(&ex->instruments[i].phrases);
        lzs_strlist_clear(&ex->instruments[i].article_names);
    }
    free(ex->instruments);
    for (size_t i = 0; i < ex->nopinions; i++) {
        lzs_opinion_info_t *in = &ex->opinions[i].info;
        free((char *)in->key);
        free((char *)in->kind);
        free((char *)in->code);
        free((char *)in->title_en);
        free((char *)in->title_fr);
        lzs_strlist_clear(&ex->opinions[i].phrases);
    }
    free(ex->opinions);
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
