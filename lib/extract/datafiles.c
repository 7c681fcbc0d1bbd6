/* datafiles.c — reading the domain data files of corpus/data into the extractor: one reader
 * (lines, tab-separated columns, comments, "FILE:LINE: what is wrong") and, per file, what a
 * line means. The lookups over the loaded data are in gazetteer.c. */
#define _GNU_SOURCE /* vasprintf */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "extract_internal.h"
#include "lzs/hash.h"

/* ---- the reader ------------------------------------------------------------------ */

/* A data file being read: its current line split at tabs. */
typedef struct {
    const char *file; /* base name, for messages */
    char *buf;
    char *cur;
    unsigned line; /* 0 once the file is read: messages then name the file alone */
    char *cols[64];
    size_t ncols;
} tsv_t;

/* What one data file holds: what a line of it means, and what must hold once it is read. */
typedef struct {
    const char *name;
    int optional; /* a missing file is no error (its comment in data_files says what is lost) */
    lzs_status_t (*line)(lzs_extractor_t *ex, const tsv_t *t, char **errmsg);
    lzs_status_t (*done)(lzs_extractor_t *ex, const tsv_t *t, char **errmsg); /* or NULL */
} data_file_t;

/* Sets the message "FILE:LINE: ..." ("FILE: ..." once the file is read) and returns
 * LZS_ERR_CORRUPT, or LZS_ERR_NOMEM when even the message cannot be made. */
static lzs_status_t tsv_fail(const tsv_t *t, char **errmsg, const char *fmt, ...) LZS_PRINTF(3, 4);
static lzs_status_t tsv_fail(const tsv_t *t, char **errmsg, const char *fmt, ...)
{
    char *what = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&what, fmt, ap);
    va_end(ap);
    if (n < 0)
        return LZS_ERR_NOMEM;
    if (t->line > 0)
        lzs_set_errmsg(errmsg, "%s:%u: %s", t->file, t->line, what);
    else
        lzs_set_errmsg(errmsg, "%s: %s", t->file, what);
    free(what);
    return LZS_ERR_CORRUPT;
}

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

/* Splits line at tabs into t's columns, spaces around each column trimmed: editors add
 * them. */
static void tsv_split(tsv_t *t, char *line)
{
    t->ncols = 0;
    char *c = line;
    for (;;) {
        char *tab = strchr(c, '\t');
        if (tab)
            *tab = '\0';
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
        tsv_split(t, line);
        return 1;
    }
    return 0;
}

/* Reads one data file of ex's data folder: each line through df->line, then df->done. */
static lzs_status_t load_file(lzs_extractor_t *ex, const data_file_t *df, char **errmsg)
{
    tsv_t t;
    lzs_status_t st = tsv_open(&t, ex->datadir, df->name, df->optional, errmsg);
    if (st == LZS_ERR_NOT_FOUND && df->optional)
        return LZS_OK;
    if (st != LZS_OK)
        return st;
    int r = 0;
    for (;;) {
        r = tsv_next(&t);
        if (r <= 0)
            break;
        st = df->line(ex, &t, errmsg);
        if (st != LZS_OK)
            break;
    }
    if (r < 0)
        st = tsv_fail(&t, errmsg, "invalid UTF-8");
    free(t.buf);
    t.buf = NULL;
    t.cur = NULL;
    t.line = 0;
    if (st == LZS_OK && df->done != NULL)
        st = df->done(ex, &t, errmsg);
    return st;
}

/* ---- what the columns may hold ----------------------------------------------------- */

/* v itself when it has room for element n (capacities are 16 and its doubles, so the count
 * alone says when to grow), else v reallocated; NULL when out of memory (v is kept). */
static void *grown(void *v, size_t n, size_t size)
{
    if (n != 0 && (n < 16 || (n & (n - 1)) != 0))
        return v;
    return realloc(v, (n < 16 ? 16 : n * 2) * size);
}

/* base with room for one more element (see grown()), that element zeroed and counted in *n:
 * it is the result's element *n - 1. NULL when out of memory (base kept). */
static void *pushed(void *base, size_t *n, size_t size)
{
    char *v = grown(base, *n, size);
    if (v == NULL)
        return NULL;
    memset(v + *n * size, 0, size);
    (*n)++;
    return v;
}

/* The element of the array *base (*n elements of size bytes) whose key, the string pointed
 * to at byte offset off of each element, is key; else a new zeroed element holding a copy
 * of key, appended (*base may move). NULL when out of memory. */
static void *keyed(void **base, size_t *n, size_t size, size_t off, const char *key)
{
    char *v = *base;
    for (size_t i = 0; i < *n; i++) {
        const char *k;
        memcpy(&k, v + i * size + off, sizeof k);
        if (strcmp(k, key) == 0)
            return v + i * size;
    }
    char *copy = strdup(key);
    if (copy == NULL)
        return NULL;
    v = pushed(v, n, size);
    if (v == NULL) {
        free(copy);
        return NULL;
    }
    *base = v;
    memcpy(v + (*n - 1) * size + off, &copy, sizeof copy);
    return v + (*n - 1) * size;
}

/* Index of s in the NULL-terminated list roles, or -1. */
static int role_index(const char *const *roles, const char *s)
{
    for (int k = 0; roles[k]; k++) {
        if (strcmp(roles[k], s) == 0)
            return k;
    }
    return -1;
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

/* Sets *has to 1 when the text has a letter or a digit (a term that the tokenizer keeps),
 * else to 0. Fails only when out of memory: that must not pass for a value without
 * letters. */
static lzs_status_t has_word(const char *s, int *has)
{
    lzs_words_t w = {0};
    lzs_status_t st = lzs_words_fold(&w, s, strlen(s));
    *has = st == LZS_OK && w.n > 0;
    lzs_words_free(&w);
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

/* Adds the folded key of name (a value of t's current line) to list, once; a name without
 * letters or digits is an error naming the file and line. */
static lzs_status_t push_folded(const tsv_t *t, const char *name, lzs_strlist_t *list,
                                char **errmsg)
{
    char *key = lzs_fold_key(name);
    if (key == NULL)
        return LZS_ERR_NOMEM;
    lzs_status_t st = LZS_OK;
    if (key[0] == '\0')
        st = tsv_fail(t, errmsg, "\"%s\" has no letters", name);
    else
        st = lzs_strlist_push_unique(list, key);
    free(key);
    return st;
}

/* ---- parties.tsv -------------------------------------------------------------------- */

/* The status column: 1 for a Party, 0 for another State, -1 for neither. */
static int party_status(const char *s)
{
    if (strcmp(s, "party") == 0)
        return 1;
    return strcmp(s, "state") == 0 ? 0 : -1;
}

static int valid_code(const char *c)
{
    return strlen(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

/* The State of the line: code, status and English name. */
static lzs_status_t add_state(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    const char *code = t->cols[0];
    if (!valid_code(code))
        return tsv_fail(t, errmsg, "\"%s\" is not an ISO 3166 alpha-2 code", code);
    int party = party_status(t->cols[1]);
    if (party < 0)
        return tsv_fail(t, errmsg, "status \"%s\" is neither party nor state", t->cols[1]);
    for (size_t i = 0; i < ex->nstates; i++) {
        if (strcmp(ex->states[i].code, code) == 0)
            return tsv_fail(t, errmsg, "code %s listed twice", code);
    }
    lzs_state_t *s = grown(ex->states, ex->nstates, sizeof *s);
    if (s == NULL)
        return LZS_ERR_NOMEM;
    ex->states = s;
    s = &ex->states[ex->nstates];
    memcpy(s->code, code, 3);
    s->is_party = party;
    s->name = strdup(t->cols[2]);
    if (s->name == NULL)
        return LZS_ERR_NOMEM;
    ex->nstates++;
    return LZS_OK;
}

/* A name of the last State read, stored without its leading articles ("the
 * Netherlands"). */
static lzs_status_t add_name(lzs_extractor_t *ex, const tsv_t *t, const char *name, char **errmsg)
{
    lzs_name_t *nm = grown(ex->names, ex->nnames, sizeof *nm);
    if (nm == NULL)
        return LZS_ERR_NOMEM;
    ex->names = nm;
    nm = &ex->names[ex->nnames];
    nm->state = ex->nstates - 1;
    nm->next = -1;
    nm->text = strdup(name);
    if (nm->text == NULL)
        return LZS_ERR_NOMEM;
    lzs_status_t st = add_words(&ex->name_words, name, &ex->articles, &nm->first, &nm->nwords);
    if (st == LZS_OK && nm->nwords == 0)
        st = tsv_fail(t, errmsg, "name \"%s\" has no letters", name);
    if (st != LZS_OK) {
        free(nm->text);
        return st;
    }
    /* with a leading article or preposition: "de la" Norvège */
    size_t all = ex->name_words.n - nm->first + 2;
    if (all > ex->name_max_words)
        ex->name_max_words = all;
    ex->nnames++;
    return LZS_OK;
}

static lzs_status_t parties_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    if (t->ncols < 3)
        return tsv_fail(t, errmsg, "expected code, status, name and variants");
    lzs_status_t st = add_state(ex, t, errmsg);
    for (size_t c = 2; c < t->ncols && st == LZS_OK; c++) {
        if (t->cols[c][0] != '\0')
            st = add_name(ex, t, t->cols[c], errmsg);
    }
    return st;
}

/* The codes of the States that are Parties, in file order. */
static lzs_status_t list_parties(lzs_extractor_t *ex)
{
    ex->party_codes = malloc(ex->nstates * sizeof *ex->party_codes);
    if (ex->party_codes == NULL)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < ex->nstates; i++) {
        if (ex->states[i].is_party)
            ex->party_codes[ex->nparties++] = ex->states[i].code;
    }
    return LZS_OK;
}

/* Chains names by the hash of their first word, longest names first, so that a scan tries
 * "Bosnia and Herzegovina" before any shorter name. */
static lzs_status_t chain_names(lzs_extractor_t *ex)
{
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

static lzs_status_t parties_done(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    if (ex->nstates == 0)
        return tsv_fail(t, errmsg, "no entries");
    lzs_status_t st = list_parties(ex);
    return st == LZS_OK ? chain_names(ex) : st;
}

/* ---- articles.tsv, levels.tsv, synonyms.tsv, stopwords.tsv ------------------------------ */

static lzs_status_t articles_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    char *end = NULL;
    long n = strtol(t->cols[0], &end, 10);
    if (t->ncols < 2 || t->ncols > 3 || end == t->cols[0] || *end != '\0' || n < 1 || n > 50 ||
        t->cols[1][0] == '\0' || (t->ncols == 3 && t->cols[2][0] == '\0'))
        return tsv_fail(t, errmsg,
                        "expected an article number (1-50), an English title and optionally a "
                        "French title");
    free(ex->article_titles[n]);
    free(ex->article_titles_fr[n]);
    ex->article_titles[n] = strdup(t->cols[1]);
    ex->article_titles_fr[n] = t->ncols == 3 ? strdup(t->cols[2]) : NULL;
    if (ex->article_titles[n] == NULL || (t->ncols == 3 && ex->article_titles_fr[n] == NULL))
        return LZS_ERR_NOMEM;
    return LZS_OK;
}

static int phrase_kind(const char *s)
{
    if (strcmp(s, "subject") == 0)
        return PHRASE_SUBJECT;
    if (strcmp(s, "all") == 0)
        return PHRASE_ALL;
    return lzs_level_from_name(s);
}

static lzs_status_t levels_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    int what = t->ncols >= 2 ? phrase_kind(t->cols[1]) : -1;
    if (t->ncols < 3 || !valid_lang(t->cols[0]) || what <= 0)
        return tsv_fail(t, errmsg,
                        "expected a language code, a level (require, request, invite, urge, "
                        "consider, subject or all) and verb forms");
    lzs_status_t st = LZS_OK;
    for (size_t c = 2; c < t->ncols && st == LZS_OK; c++) {
        if (t->cols[c][0] == '\0')
            continue;
        lzs_phrase_t *ph = grown(ex->phrases, ex->nphrases, sizeof *ph);
        if (ph == NULL)
            return LZS_ERR_NOMEM;
        ex->phrases = ph;
        ph = &ex->phrases[ex->nphrases];
        snprintf(ph->lang, sizeof ph->lang, "%s", t->cols[0]);
        ph->what = what;
        st = add_words(&ex->phrase_words, t->cols[c], NULL, &ph->first, &ph->nwords);
        if (st == LZS_OK && ph->nwords == 0)
            st = tsv_fail(t, errmsg, "\"%s\" has no letters", t->cols[c]);
        if (st == LZS_OK)
            ex->nphrases++;
    }
    return st;
}

static lzs_status_t synonyms_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    size_t n = 0;
    for (size_t c = 0; c < t->ncols; c++)
        n += t->cols[c][0] != '\0';
    if (n < 2)
        return tsv_fail(t, errmsg, "a group needs at least two terms");
    char ***g = grown(ex->syn, ex->nsyn, sizeof *g);
    if (g == NULL)
        return LZS_ERR_NOMEM;
    ex->syn = g;
    size_t *sz = grown(ex->syn_sizes, ex->nsyn, sizeof *sz);
    if (sz == NULL)
        return LZS_ERR_NOMEM;
    ex->syn_sizes = sz;
    char **terms = calloc(n, sizeof *terms);
    if (terms == NULL)
        return LZS_ERR_NOMEM;
    ex->syn[ex->nsyn] = terms;
    ex->syn_sizes[ex->nsyn] = 0;
    size_t *size = &ex->syn_sizes[ex->nsyn];
    ex->nsyn++;
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->cols[c][0] == '\0')
            continue;
        terms[*size] = strdup(t->cols[c]);
        if (terms[*size] == NULL)
            return LZS_ERR_NOMEM;
        (*size)++;
    }
    return LZS_OK;
}

static lzs_status_t stopwords_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    if (t->ncols < 2 || !valid_lang(t->cols[0]))
        return tsv_fail(t, errmsg, "expected a language code and words");
    lzs_stoplist_t *s = pushed(ex->stops, &ex->nstops, sizeof *s);
    if (s == NULL)
        return LZS_ERR_NOMEM;
    ex->stops = s;
    lzs_stoplist_t *sl = &s[ex->nstops - 1];
    snprintf(sl->lang, sizeof sl->lang, "%s", t->cols[0]);
    lzs_status_t st = LZS_OK;
    for (size_t c = 1; c < t->ncols && st == LZS_OK; c++)
        st = lzs_words_fold(&sl->words, t->cols[c], strlen(t->cols[c]));
    return st;
}

/* ---- anaphora.tsv ------------------------------------------------------------------- */

static lzs_anaphora_t *anaphora_lang(lzs_extractor_t *ex, const char *lang)
{
    for (size_t i = 0; i < ex->nanaphora; i++) {
        if (strcmp(ex->anaphora[i].lang, lang) == 0)
            return &ex->anaphora[i];
    }
    lzs_anaphora_t *v = pushed(ex->anaphora, &ex->nanaphora, sizeof *v);
    if (v == NULL)
        return NULL;
    ex->anaphora = v;
    snprintf(v[ex->nanaphora - 1].lang, sizeof v->lang, "%s", lang);
    return &v[ex->nanaphora - 1];
}

static lzs_status_t add_demonstrative(lzs_anaphora_t *a, int number, const char *phrase)
{
    lzs_demonstrative_t *d = grown(a->demos, a->ndemos, sizeof *d);
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

static lzs_status_t anaphora_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    static const char *const roles[] = {"singular",      "plural",          "any",
                                        "number",        "function",        "deictic",
                                        "plural-ending", "singular-ending", NULL};
    int role = t->ncols >= 2 ? role_index(roles, t->cols[1]) : -1;
    if (t->ncols < 3 || !valid_lang(t->cols[0]) || role < 0)
        return tsv_fail(t, errmsg,
                        "expected a language code, a role (singular, plural, any, number, "
                        "function, deictic, plural-ending or singular-ending) and words");
    lzs_anaphora_t *a = anaphora_lang(ex, t->cols[0]);
    if (a == NULL)
        return LZS_ERR_NOMEM;
    static const int number[] = {DEMO_SINGULAR, DEMO_PLURAL, DEMO_ANY};
    lzs_words_t *list[] = {NULL,         NULL,        NULL,           &a->numbers,
                           &a->function, &a->deictic, &a->plural_end, &a->singular_end};
    lzs_status_t st = LZS_OK;
    for (size_t c = 2; c < t->ncols && st == LZS_OK; c++) {
        const char *v = t->cols[c];
        if (v[0] == '\0')
            continue;
        if (role <= 2) {
            st = add_demonstrative(a, number[role], v);
            continue;
        }
        size_t before = list[role]->n;
        st = lzs_words_fold(list[role], v, strlen(v));
        /* Words and endings are single words: "the above" is a phrase only where phrases
         * are allowed. */
        if (st == LZS_OK && list[role]->n != before + 1)
            st = tsv_fail(t, errmsg, "\"%s\" is not a single word", v);
    }
    return st;
}

/* ---- doctypes.tsv, months.tsv, headings.tsv, hyphens.tsv -------------------------------- */

/* A folded type phrase of doctypes.tsv; one without letters is an error. */
static lzs_status_t add_typephrase(lzs_extractor_t *ex, const tsv_t *t, int type, const char *v,
                                   char **errmsg)
{
    char *key = lzs_fold_key(v);
    if (key == NULL)
        return LZS_ERR_NOMEM;
    if (key[0] == '\0') {
        free(key);
        return tsv_fail(t, errmsg, "\"%s\" has no letters", v);
    }
    lzs_typephrase_t *tp = grown(ex->typephrases, ex->ntypephrases, sizeof *tp);
    if (tp == NULL) {
        free(key);
        return LZS_ERR_NOMEM;
    }
    ex->typephrases = tp;
    ex->typephrases[ex->ntypephrases].type = type;
    ex->typephrases[ex->ntypephrases].key = key;
    ex->ntypephrases++;
    return LZS_OK;
}

static lzs_status_t doctypes_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    static const char *const marks[] = {"@qualifier", "@draft", "@ordinal", NULL};
    lzs_strlist_t *lists[] = {&ex->title_qualifiers, &ex->draft_words, &ex->ordinal_words};
    int type = lzs_doctype_from_name(t->cols[0]);
    int mark = role_index(marks, t->cols[0]);
    if (t->ncols < 2 || (type < 0 && mark < 0))
        return tsv_fail(t, errmsg,
                        "expected a document type (decisions, opinion, declaration, "
                        "implementation-report, compliance-report, factsheet, information-note, "
                        "activity-report, presentation, agenda, meeting-report, questionnaire, "
                        "working-group-report or other), @qualifier, @draft or @ordinal, and "
                        "phrases");
    lzs_status_t st = LZS_OK;
    for (size_t c = 1; c < t->ncols && st == LZS_OK; c++) {
        const char *v = t->cols[c];
        if (mark < 0) {
            if (v[0] != '\0')
                st = add_typephrase(ex, t, type, v, errmsg);
            continue;
        }
        /* qualifiers and ordinals without letters are left out, not refused */
        char *key = lzs_fold_key(v);
        if (key == NULL)
            return LZS_ERR_NOMEM;
        if (key[0] != '\0')
            st = lzs_strlist_push_unique(lists[mark], key);
        free(key);
    }
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

static lzs_status_t months_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    int ok = t->ncols == 13 && valid_lang(t->cols[0]);
    for (size_t c = 1; ok && c < t->ncols; c++)
        ok = t->cols[c][0] != '\0' && strpbrk(t->cols[c], " .,;:") == NULL;
    if (!ok)
        return tsv_fail(t, errmsg,
                        "expected a language code and the twelve month names, each one word");
    for (int k = 0; k < 12; k++) {
        lzs_month_t *m = grown(ex->months, ex->nmonths, sizeof *m);
        if (m == NULL)
            return LZS_ERR_NOMEM;
        ex->months = m;
        char *name = strdup(t->cols[k + 1]);
        if (name == NULL)
            return LZS_ERR_NOMEM;
        lower_latin(name);
        ex->months[ex->nmonths].month = k + 1;
        ex->months[ex->nmonths].name = name;
        ex->nmonths++;
    }
    return LZS_OK;
}

static lzs_status_t months_done(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    return ex->nmonths == 0 ? tsv_fail(t, errmsg, "no entries") : LZS_OK;
}

static lzs_status_t headings_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    static const char *const roles[] = {"top", "contents", "credit", NULL};
    lzs_strlist_t *lists[] = {&ex->top_headings, &ex->toc_titles, &ex->credit_phrases};
    int role = role_index(roles, t->cols[0]);
    if (t->ncols < 2 || role < 0)
        return tsv_fail(t, errmsg, "expected a role (top, contents or credit) and words");
    lzs_status_t st = LZS_OK;
    for (size_t c = 1; c < t->ncols && st == LZS_OK; c++) {
        if (t->cols[c][0] != '\0')
            st = push_folded(t, t->cols[c], lists[role], errmsg);
    }
    return st;
}

static lzs_status_t hyphens_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    lzs_status_t st = LZS_OK;
    for (size_t c = 0; c < t->ncols && st == LZS_OK; c++) {
        char *w = t->cols[c];
        if (w[0] == '\0')
            continue;
        if (strchr(w, '-') == NULL || strchr(w, ' ') != NULL)
            return tsv_fail(t, errmsg, "\"%s\" is not one word with a hyphen", w);
        for (char *p = w; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        st = lzs_strlist_push_unique(&ex->hyphenated, w);
    }
    return st;
}

/* lzs_extract_hyphenated() looks words up by bsearch. */
static lzs_status_t hyphens_done(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    (void)t;
    (void)errmsg;
    lzs_strlist_sort(&ex->hyphenated);
    return LZS_OK;
}

/* ---- thesaurus.tsv ------------------------------------------------------------------ */

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
        if (colon == NULL || !valid_lang(lang))
            return tsv_fail(t, errmsg, "\"%s\" is not a term written LANG:term (en:grooming)", col);
        const char *term = colon + 1;
        while (*term == ' ')
            term++;
        int has = 0;
        lzs_status_t st = has_word(term, &has);
        if (st != LZS_OK)
            return st;
        if (!has)
            return tsv_fail(t, errmsg, "the term \"%s\" has no letters", col);
        lzs_term_t *tm = &c->terms[c->nterms];
        snprintf(tm->lang, sizeof tm->lang, "%s", lang);
        tm->text = strdup(term);
        if (tm->text == NULL)
            return LZS_ERR_NOMEM;
        c->nterms++;
        en |= strcmp(lang, "en") == 0;
        fr |= strcmp(lang, "fr") == 0;
    }
    if (!en || !fr)
        return tsv_fail(t, errmsg,
                        "concept \"%s\" needs at least one English (en:) and one French (fr:) "
                        "term",
                        c->name);
    return LZS_OK;
}

static lzs_status_t thesaurus_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    const char *name = t->cols[0];
    if (!valid_key(name))
        return tsv_fail(t, errmsg,
                        "\"%s\" is not a concept name (lower-case letters, digits and '-')", name);
    for (size_t i = 0; i < ex->nconcepts; i++) {
        if (strcmp(ex->concepts[i].name, name) == 0)
            return tsv_fail(t, errmsg, "concept \"%s\" is defined twice", name);
    }
    lzs_concept_t *v = grown(ex->concepts, ex->nconcepts, sizeof *v);
    if (v == NULL)
        return LZS_ERR_NOMEM;
    ex->concepts = v;
    lzs_concept_t c = {0};
    c.name = strdup(name);
    lzs_status_t st = c.name ? thesaurus_terms(t, &c, errmsg) : LZS_ERR_NOMEM;
    if (st != LZS_OK) {
        concept_free(&c);
        return st;
    }
    ex->concepts[ex->nconcepts++] = c;
    return LZS_OK;
}

/* ---- rounds.tsv --------------------------------------------------------------------- */

/* The round of key, appended when the file names it for the first time; NULL when out of
 * memory. */
static lzs_round_t *round_of(lzs_extractor_t *ex, const char *key)
{
    void *base = ex->rounds;
    lzs_round_t *v = keyed(&base, &ex->nrounds, sizeof *v, offsetof(lzs_round_t, key), key);
    ex->rounds = base;
    return v;
}

/* The LZS_RECID_* bit of an identifier shape's name; 0 for none. */
static unsigned shape_bit(const char *name)
{
    static const struct {
        const char *name;
        unsigned bit;
    } shapes[] = {{"roman-number", LZS_RECID_ROMAN_NUMBER},
                  {"r-number", LZS_RECID_R_NUMBER},
                  {"r-roman", LZS_RECID_R_ROMAN}};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        if (strcmp(name, shapes[k].name) == 0)
            return shapes[k].bit;
    }
    return 0;
}

static lzs_status_t round_values(const tsv_t *t, lzs_round_t *rd, char **errmsg)
{
    const char *role = t->cols[1];
    lzs_status_t st = LZS_OK;
    for (size_t c = 2; c < t->ncols && st == LZS_OK; c++) {
        const char *v = t->cols[c];
        if (v[0] == '\0')
            continue;
        if (strcmp(role, "label") == 0) {
            if (rd->label != NULL || c > 2)
                return tsv_fail(t, errmsg, "round \"%s\" has more than one label", rd->key);
            rd->label = strdup(v);
            st = rd->label ? LZS_OK : LZS_ERR_NOMEM;
        } else if (strcmp(role, "phrase") == 0) {
            st = push_folded(t, v, &rd->phrases, errmsg);
        } else {
            unsigned bit = shape_bit(v);
            if (bit == 0)
                return tsv_fail(t, errmsg,
                                "\"%s\" is not an identifier shape (roman-number, r-number or "
                                "r-roman)",
                                v);
            rd->id_shapes |= bit;
        }
    }
    return st;
}

static lzs_status_t rounds_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    static const char *const roles[] = {"label", "phrase", "id", NULL};
    if (t->ncols < 3 || !valid_key(t->cols[0]) || role_index(roles, t->cols[1]) < 0)
        return tsv_fail(t, errmsg,
                        "expected a round key (lower-case letters, digits and '-'), a role "
                        "(label, phrase or id) and values");
    lzs_round_t *rd = round_of(ex, t->cols[0]);
    return rd ? round_values(t, rd, errmsg) : LZS_ERR_NOMEM;
}

static lzs_status_t rounds_done(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    for (size_t i = 0; i < ex->nrounds; i++) {
        if (ex->rounds[i].phrases.n == 0 || ex->rounds[i].id_shapes == 0)
            return tsv_fail(t, errmsg, "round \"%s\" needs a phrase row and an id row",
                            ex->rounds[i].key);
    }
    return LZS_OK;
}

/* ---- instruments.tsv ---------------------------------------------------------------- */

static lzs_instrument_t *instrument_of(lzs_extractor_t *ex, const char *key)
{
    void *base = ex->instruments;
    lzs_instrument_t *v =
        keyed(&base, &ex->ninstruments, sizeof *v, offsetof(lzs_instrument_t, key), key);
    ex->instruments = base;
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

static lzs_status_t instruments_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    static const char *const roles[] = {"en", "fr", "pattern", "article", NULL};
    /* "-art" is how the key of an article of an instrument is made */
    if (t->ncols < 3 || !valid_key(t->cols[0]) || strstr(t->cols[0], "-art") != NULL ||
        role_index(roles, t->cols[1]) < 0)
        return tsv_fail(t, errmsg,
                        "expected a key (lower-case letters, digits and '-', without \"-art\"), "
                        "a role (en, fr, pattern or article) and values");
    lzs_instrument_t *in = instrument_of(ex, t->cols[0]);
    return in ? instrument_values(t, in, errmsg) : LZS_ERR_NOMEM;
}

static lzs_status_t instruments_done(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    for (size_t i = 0; i < ex->ninstruments; i++) {
        if (ex->instruments[i].name_en == NULL || ex->instruments[i].name_fr == NULL)
            return tsv_fail(t, errmsg, "instrument \"%s\" needs an en and a fr row",
                            ex->instruments[i].key);
    }
    return LZS_OK;
}

/* ---- opinions.tsv ------------------------------------------------------------------- */

static lzs_opinion_t *opinion_of(lzs_extractor_t *ex, const char *key)
{
    void *base = ex->opinions;
    lzs_opinion_t *v =
        keyed(&base, &ex->nopinions, sizeof *v, offsetof(lzs_opinion_t, info.key), key);
    ex->opinions = base;
    return v;
}

/* Sets *field to a copy of v, the one value of its role: a second value is an error. */
static lzs_status_t opinion_single(const tsv_t *t, const char *key, const char **field,
                                   const char *v, char **errmsg)
{
    if (*field != NULL)
        return tsv_fail(t, errmsg, "\"%s\" has more than one %s", key, t->cols[1]);
    *field = strdup(v);
    return *field ? LZS_OK : LZS_ERR_NOMEM;
}

/* One value of a "kind", "year" or "code" row. */
static lzs_status_t opinion_fact(const tsv_t *t, lzs_opinion_info_t *in, const char *v,
                                 char **errmsg)
{
    const char *role = t->cols[1];
    if (strcmp(role, "kind") == 0) {
        if (strcmp(v, "opinion") != 0 && strcmp(v, "declaration") != 0)
            return tsv_fail(t, errmsg, "kind \"%s\" is neither opinion nor declaration", v);
        return opinion_single(t, in->key, &in->kind, v, errmsg);
    }
    if (strcmp(role, "year") == 0) {
        char *end = NULL;
        long y = strtol(v, &end, 10);
        if (*end != '\0' || y < 2000 || y > 2100 || in->year != 0)
            return tsv_fail(t, errmsg, "\"%s\" needs one year (2000-2100)", in->key);
        in->year = (int)y;
        return LZS_OK;
    }
    char id[128];
    /* a code without suffix: the id of the English version */
    if (!lzs_extract_doc_id_of_code(v, id, sizeof id) || strcmp(id, v) != 0)
        return tsv_fail(t, errmsg,
                        "\"%s\" is no document code without language suffix nor revision "
                        "(T-ES(2015)04)",
                        v);
    return opinion_single(t, in->key, &in->code, v, errmsg);
}

static lzs_status_t opinion_values(const tsv_t *t, lzs_opinion_t *op, char **errmsg)
{
    const char *role = t->cols[1];
    lzs_opinion_info_t *in = &op->info;
    int title = strcmp(role, "en") == 0 || strcmp(role, "fr") == 0;
    lzs_status_t st = LZS_OK;
    for (size_t c = 2; c < t->ncols && st == LZS_OK; c++) {
        const char *v = t->cols[c];
        if (v[0] == '\0')
            continue;
        if (!title) {
            st = opinion_fact(t, in, v, errmsg);
            continue;
        }
        const char **field = role[0] == 'e' ? &in->title_en : &in->title_fr;
        if (*field == NULL) {
            *field = strdup(v);
            if (*field == NULL)
                return LZS_ERR_NOMEM;
        }
        st = push_folded(t, v, &op->phrases, errmsg);
    }
    return st;
}

static lzs_status_t opinions_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    static const char *const roles[] = {"kind", "year", "code", "en", "fr", NULL};
    if (t->ncols < 3 || !valid_key(t->cols[0]) || role_index(roles, t->cols[1]) < 0)
        return tsv_fail(t, errmsg,
                        "expected a key (lower-case letters, digits and '-'), a role (kind, "
                        "year, code, en or fr) and values");
    lzs_opinion_t *op = opinion_of(ex, t->cols[0]);
    return op ? opinion_values(t, op, errmsg) : LZS_ERR_NOMEM;
}

static lzs_status_t opinions_done(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    for (size_t i = 0; i < ex->nopinions; i++) {
        const lzs_opinion_info_t *in = &ex->opinions[i].info;
        if (in->kind == NULL || in->year == 0 || in->title_en == NULL || in->title_fr == NULL)
            return tsv_fail(t, errmsg, "\"%s\" needs a kind, a year, an en and a fr row", in->key);
    }
    return LZS_OK;
}

/* ---- words.tsv and citations.tsv --------------------------------------------------- */

/* How the values of a role of words.tsv or citations.tsv are written. */
enum {
    SHAPE_WORD,   /* one word */
    SHAPE_PLAIN,  /* one word of lower-case letters a to z */
    SHAPE_PAIR,   /* two words */
    SHAPE_PHRASE, /* words; a final '*' makes the last a start of a word ("trait*") */
};

/* A role of words.tsv or citations.tsv and the lists its values go to (NULL: none). */
typedef struct {
    const char *name;
    int shape;
    lzs_strlist_t *raw;     /* as written, ASCII letters in lower case */
    lzs_strlist_t *folded;  /* folded keys */
    lzs_strlist_t *folded2; /* folded keys, a second list */
} word_role_t;

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

/* What v is not, when it does not have the shape; NULL when it does. */
static const char *shape_problem(const char *v, int shape)
{
    size_t spaces = 0;
    for (const char *p = v; *p; p++)
        spaces += *p == ' ';
    const char *star = strchr(v, '*');
    if (star != NULL && (shape != SHAPE_PHRASE || star[1] != '\0' || star == v || star[-1] == ' '))
        return "has a '*' that does not end an instrument's name";
    if (shape == SHAPE_PLAIN && !plain_word(v))
        return "is not one word of lower-case letters a to z";
    if (shape == SHAPE_WORD && spaces > 0)
        return "is not one word";
    if (shape == SHAPE_PAIR && spaces != 1)
        return "is not two words";
    return NULL;
}

/* Adds v with its ASCII letters in lower case to list, once. */
static lzs_status_t push_lower(lzs_strlist_t *list, const char *v)
{
    char *w = strdup(v);
    if (w == NULL)
        return LZS_ERR_NOMEM;
    for (char *p = w; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    lzs_status_t st = lzs_strlist_push_unique(list, w);
    free(w);
    return st;
}

/* One line of a file of word lists: a role of roles, a language code and words. */
static lzs_status_t listed_line(const tsv_t *t, const word_role_t *roles, size_t nroles,
                                char **errmsg)
{
    const word_role_t *r = NULL;
    for (size_t k = 0; k < nroles && t->ncols >= 3; k++) {
        if (strcmp(t->cols[0], roles[k].name) == 0)
            r = &roles[k];
    }
    if (r == NULL || !valid_lang(t->cols[1])) {
        char names[512] = "";
        size_t o = 0;
        for (size_t k = 0; k < nroles && o < sizeof names; k++)
            o += (size_t)snprintf(names + o, sizeof names - o, "%s%s",
                                  k == 0           ? ""
                                  : k + 1 < nroles ? ", "
                                                   : " or ",
                                  roles[k].name);
        return tsv_fail(t, errmsg, "expected a role (%s), a language code and words", names);
    }
    for (size_t c = 2; c < t->ncols; c++) {
        const char *v = t->cols[c];
        if (v[0] == '\0')
            continue;
        const char *bad = shape_problem(v, r->shape);
        if (bad != NULL)
            return tsv_fail(t, errmsg, "\"%s\" %s", v, bad);
        int has = 1;
        lzs_status_t st = r->raw ? has_word(v, &has) : LZS_OK;
        if (st == LZS_OK && !has)
            return tsv_fail(t, errmsg, "\"%s\" has no letters", v);
        if (st == LZS_OK && r->raw)
            st = push_lower(r->raw, v);
        if (st == LZS_OK && r->folded)
            st = push_folded(t, v, r->folded, errmsg);
        if (st == LZS_OK && r->folded2)
            st = push_folded(t, v, r->folded2, errmsg);
        if (st != LZS_OK)
            return st;
    }
    return LZS_OK;
}

static lzs_status_t words_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    lzs_strlist_t *wl = ex->wl;
    const word_role_t roles[] = {
        {"function", SHAPE_PLAIN, NULL, &ex->function_words, NULL},
        {"connector", SHAPE_WORD, NULL, &ex->connectors, NULL},
        /* a Party name may follow its article as well as a preposition */
        {"article", SHAPE_WORD, NULL, &ex->articles, &ex->name_leads},
        {"preposition", SHAPE_WORD, NULL, &ex->name_leads, NULL},
        {"connector-pair", SHAPE_PAIR, NULL, &wl[LZS_WL_CONNECTOR_PAIR], NULL},
        {"and", SHAPE_WORD, &wl[LZS_WL_AND], &wl[LZS_WL_AND_KEYS], NULL},
        {"range", SHAPE_WORD, &wl[LZS_WL_RANGE], NULL, NULL},
        {"ordinal", SHAPE_WORD, &wl[LZS_WL_ORDINAL], &wl[LZS_WL_ORDINAL_KEYS], NULL},
        {"meeting", SHAPE_WORD, &wl[LZS_WL_MEETING], NULL, NULL},
        {"adopted", SHAPE_WORD, &wl[LZS_WL_ADOPTED], NULL, NULL},
        {"date-lead", SHAPE_WORD, &wl[LZS_WL_DATE_LEAD], NULL, NULL},
        {"page", SHAPE_WORD, &wl[LZS_WL_PAGE], NULL, NULL},
        {"page-of", SHAPE_WORD, &wl[LZS_WL_PAGE_OF], NULL, NULL},
    };
    return listed_line(t, roles, sizeof roles / sizeof roles[0], errmsg);
}

static lzs_status_t citations_line(lzs_extractor_t *ex, const tsv_t *t, char **errmsg)
{
    lzs_strlist_t *wl = ex->wl;
    const word_role_t roles[] = {
        {"article", SHAPE_WORD, &wl[LZS_WL_ARTICLE], &wl[LZS_WL_ARTICLE_KEYS], NULL},
        {"paragraph", SHAPE_WORD, &wl[LZS_WL_PARAGRAPH], NULL, NULL},
        {"link", SHAPE_WORD, &wl[LZS_WL_LINK], &wl[LZS_WL_LINK_KEYS], NULL},
        {"abbreviation", SHAPE_WORD, &wl[LZS_WL_ABBREVIATION], NULL, NULL},
        {"instrument", SHAPE_PHRASE, &wl[LZS_WL_INSTRUMENT], NULL, NULL},
        {"code-lead", SHAPE_WORD, NULL, &wl[LZS_WL_CODE_LEAD], NULL},
        {"recommendation", SHAPE_WORD, &wl[LZS_WL_RECOMMENDATION], NULL, NULL},
        {"footnote", SHAPE_WORD, &wl[LZS_WL_FOOTNOTE], NULL, NULL},
    };
    return listed_line(t, roles, sizeof roles / sizeof roles[0], errmsg);
}

/* ---- all files ---------------------------------------------------------------------- */

static const data_file_t data_files[] = {
    /* words.tsv comes before the Parties, whose names are stored without their leading
     * articles. Optional (the file says what is lost without it). */
    {"words.tsv", 1, words_line, NULL},
    {"parties.tsv", 0, parties_line, parties_done},
    {"citations.tsv", 0, citations_line, NULL},
    {"articles.tsv", 0, articles_line, NULL},
    {"levels.tsv", 0, levels_line, NULL},
    {"synonyms.tsv", 0, synonyms_line, NULL},
    /* optional: without it the language of a text without sidecar or suffix is taken to
     * be English */
    {"stopwords.tsv", 1, stopwords_line, NULL},
    {"anaphora.tsv", 0, anaphora_line, NULL},
    {"doctypes.tsv", 0, doctypes_line, NULL},
    {"months.tsv", 0, months_line, months_done},
    {"headings.tsv", 0, headings_line, NULL},
    /* optional: words written with a hyphen, which keep it when a line break falls on it */
    {"hyphens.tsv", 1, hyphens_line, hyphens_done},
    /* optional: without it a search meets no other language */
    {"thesaurus.tsv", 1, thesaurus_line, NULL},
    /* optional: without it every recommendation keeps a key of its own document */
    {"rounds.tsv", 1, rounds_line, rounds_done},
    /* optional: without it no instrument is recognised */
    {"instruments.tsv", 1, instruments_line, instruments_done},
    /* optional: without it no title is recognised as a citation */
    {"opinions.tsv", 1, opinions_line, opinions_done},
};

lzs_status_t lzs_data_load(lzs_extractor_t *ex, char **errmsg)
{
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < sizeof data_files / sizeof data_files[0] && st == LZS_OK; i++)
        st = load_file(ex, &data_files[i], errmsg);
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
    for (size_t i = 0; i < LZS_WL_COUNT; i++)
        lzs_strlist_clear(&ex->wl[i]);
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
