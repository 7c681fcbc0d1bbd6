/* test_layouts.c — the extractor scored on the Committee's documents in the layouts they
 * really come in: pdftotext output (form feeds, running headers, page numbers, contents
 * lists, hard-wrapped lines, footnotes at page bottoms), web copies in plain text and
 * markdown, English and French, with every kind of title block the Committee prints.
 *
 * tests/fixtures/layouts/INDEX.tsv lists the fixtures (file, layout, what it tests); beside
 * each NAME.txt or NAME.md, NAME.expect.json holds what a reader expects of it:
 * {"doc": {ref, id, revision, type, draft, date, date_end, adopted, lang, title},
 *  "passages": [{kind, label, text, and where the fixture tests them section, parties,
 *  rec_id, level, addressees}, ...]}.
 *
 * Scoring, fact by fact: each doc key is one fact; each expected passage is one fact (all
 * its listed fields equal, matched in reading order); each passage the extractor yields
 * that no expected passage stands for is a failed fact; and "no passage is page
 * furniture" is one more fact per fixture. Every failed fact is printed (fixture, key or
 * passage, expected, got), then a score per kind of fact and the line
 * "layouts: facts right N / M". The test fails unless N == M.
 */
#define _GNU_SOURCE /* asprintf */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "lzs/extract.h"
#include "lzs/model.h"
#include "testdata.h"

#define LAYOUTS_DIR LZS_TEST_DATA "/../fixtures/layouts"

/* Texts are cut to this many bytes around their first difference when printed. */
#define SHOW_BEFORE 50
#define SHOW_AFTER 110

/* ---- kinds of facts and the score ------------------------------------------------------ */

/* The doc keys in the order they are scored, then the two per-passage kinds. */
static const char *const doc_keys[] = {"ref",  "id",       "revision", "type", "draft",
                                       "date", "date_end", "adopted",  "lang", "title"};
#define NDOC_KEYS (sizeof doc_keys / sizeof doc_keys[0])
enum { K_PASSAGES = NDOC_KEYS, K_FURNITURE, K_COUNT };

static const char *kind_name(size_t k)
{
    if (k < NDOC_KEYS)
        return doc_keys[k];
    return k == K_PASSAGES ? "passages" : "furniture";
}

typedef struct {
    unsigned right[K_COUNT];
    unsigned total[K_COUNT];
    unsigned harness_errors; /* fixtures that could not be scored at all */
} score_t;

static void count(score_t *sc, size_t kind, int ok)
{
    sc->total[kind]++;
    if (ok)
        sc->right[kind]++;
}

/* ---- small helpers --------------------------------------------------------------------- */

/* A path as messages show it: from "fixtures/" or "corpus/" on, without the build's "../".
 * Borrowed: points into path. */
static const char *shown(const char *path)
{
    const char *s = strstr(path, "fixtures/");
    if (s == NULL)
        s = strstr(path, "corpus/");
    return s ? s : path;
}

/* Compact JSON of v, or "(missing)". Caller frees with free(). */
static char *dump(const json_t *v)
{
    if (v == NULL)
        return strdup("(missing)");
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    return s ? s : strdup("(unprintable)");
}

/* Prints a text cut around byte at (a difference), marking the cuts with "…". */
static void print_cut(const char *what, const char *s, size_t at)
{
    size_t n = strlen(s);
    size_t a = at > SHOW_BEFORE ? at - SHOW_BEFORE : 0;
    size_t b = at + SHOW_AFTER < n ? at + SHOW_AFTER : n;
    /* whole UTF-8 characters only */
    while (a > 0 && ((unsigned char)s[a] & 0xC0) == 0x80)
        a--;
    while (b < n && ((unsigned char)s[b] & 0xC0) == 0x80)
        b++;
    printf("        %s \"%s%.*s%s\"\n", what, a > 0 ? "…" : "", (int)(b - a), s + a,
           b < n ? "…" : "");
}

static size_t common_prefix(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    return i;
}

static size_t common_suffix(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), i = 0;
    while (i < na && i < nb && a[na - 1 - i] == b[nb - 1 - i])
        i++;
    return i;
}

/* The text of a passage, "" when it has none. Borrowed: valid while p is. */
static const char *text_of(const json_t *p)
{
    const char *t = json_string_value(json_object_get(p, "text"));
    return t ? t : "";
}

/* Lists compared as sets: parties and addressees say who, not in which order. */
static int is_set_field(const char *key)
{
    return strcmp(key, "parties") == 0 || strcmp(key, "addressees") == 0;
}

static int contains_string(const json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return 1;
    }
    return 0;
}

static int field_equal(const char *key, const json_t *want, const json_t *got)
{
    if (got == NULL)
        return 0;
    if (is_set_field(key) && json_is_array(want) && json_is_array(got)) {
        if (json_array_size(want) != json_array_size(got))
            return 0;
        size_t i;
        json_t *v;
        json_array_foreach(want, i, v)
        {
            if (!json_is_string(v) || !contains_string(got, json_string_value(v)))
                return 0;
        }
        return 1;
    }
    return json_equal((json_t *)want, (json_t *)got);
}

/* Every field listed in the expected passage has the same value in the passage got. */
static int passage_matches(const json_t *want, const json_t *got)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)want, key, v)
    {
        if (!field_equal(key, v, json_object_get(got, key)))
            return 0;
    }
    return 1;
}

/* ---- page furniture ------------------------------------------------------------------- */

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static const char *skip_digits(const char *s, size_t *n)
{
    *n = 0;
    while (isdigit((unsigned char)*s)) {
        s++;
        (*n)++;
    }
    return s;
}

/* "-", "–" (en dash) or "—" (em dash) at s: its length, else 0. */
static size_t dash_len(const char *s)
{
    if (*s == '-')
        return 1;
    if (strncmp(s, "\u2013", 3) == 0 || strncmp(s, "\u2014", 3) == 0)
        return 3;
    return 0;
}

/* A page number alone: "2", "- 3 -", "-3-", "4/12", "Page 5 of 20", "Page 5 sur 20", "p. 6";
 * also "3 -" when the first dash was taken for a bullet. */
static int is_page_number(const char *t)
{
    const char *s = skip_ws(t);
    size_t n, d = dash_len(s);
    if (d || (isdigit((unsigned char)*s) && dash_len(skip_ws(skip_digits(s, &n))))) {
        s = skip_ws(s + d);
        s = skip_digits(s, &n);
        if (n == 0 || n > 4)
            return 0;
        s = skip_ws(s);
        d = dash_len(s);
        return *skip_ws(s + d) == '\0';
    }
    if (strncasecmp(s, "page", 4) == 0 || strncasecmp(s, "p.", 2) == 0)
        s = skip_ws(s + (s[1] == '.' ? 2 : 4));
    s = skip_digits(s, &n);
    if (n == 0 || n > 4)
        return 0;
    s = skip_ws(s);
    if (*s == '\0')
        return 1;
    if (*s == '/')
        s = skip_ws(s + 1);
    else if (strncasecmp(s, "of ", 3) == 0 || strncasecmp(s, "sur ", 4) == 0)
        s = skip_ws(s + (s[0] == 'o' || s[0] == 'O' ? 3 : 4));
    else
        return 0;
    s = skip_digits(s, &n);
    return n > 0 && n <= 4 && *skip_ws(s) == '\0';
}

/* Words that may follow the document's code in a running header: its language suffix,
 * revision and status, a page number. */
static int is_header_word(const char *w, size_t n)
{
    static const char *const words[] = {
        "en", "fr",      "rev",         "rev2", "rév",     "final", "draft",         "subject",
        "to", "editing", "projet",      "sous", "réserve", "de",    "modifications", "page",
        "of", "sur",     "provisional", NULL};
    int digits = 1;
    for (size_t i = 0; i < n; i++)
        digits = digits && isdigit((unsigned char)w[i]);
    if (digits)
        return 1;
    for (int i = 0; words[i]; i++) {
        if (strlen(words[i]) == n && strncasecmp(w, words[i], n) == 0)
            return 1;
    }
    return 0;
}

/* The document's own code, alone or with its suffix, revision, status and page number:
 * "T-ES(2019)07_en final", "T-ES(2022)02_en final – subject to editing   3". code is the
 * bare code ("T-ES(2019)07"). */
static int is_own_code(const char *t, const char *code)
{
    if (code == NULL || code[0] == '\0')
        return 0;
    const char *s = skip_ws(t);
    size_t n = strlen(code);
    if (strncmp(s, code, n) != 0 || isdigit((unsigned char)s[n]))
        return 0;
    s += n;
    while (*s) {
        /* separators between the words */
        while (*s && (strchr(" \t_.,()[]/-", *s) || dash_len(s))) {
            size_t d = dash_len(s);
            s += d ? d : 1;
        }
        if (*s == '\0')
            break;
        const char *w = s;
        while (*s && !strchr(" \t_.,()[]/-", *s) && !dash_len(s))
            s++;
        if (!is_header_word(w, (size_t)(s - w)))
            return 0;
    }
    return 1;
}

/* An entry of a table of contents with its page number: a dot leader ("....", "…") then a
 * number, or the text of one of the document's headings followed by a number. */
static int is_contents_entry(const char *t, const json_t *passages)
{
    for (const char *s = t; *s; s++) {
        size_t dots = 0;
        const char *k = s;
        for (;;) {
            if (*k == '.') {
                dots++;
                k++;
            } else if (strncmp(k, "\u2026", 3) == 0) {
                dots += 3;
                k += 3;
            } else if (*k == ' ' && (k[1] == '.' || strncmp(k + 1, "\u2026", 3) == 0)) {
                k++;
            } else {
                break;
            }
        }
        if (dots >= 4) {
            size_t n;
            const char *e = skip_digits(skip_ws(k), &n);
            if (n > 0 && n <= 3 && (*e == '\0' || *e == ' ' || *e == '\t'))
                return 1;
        }
        if (k > s)
            s = k - 1;
    }
    /* "Introduction 3": a heading and its page */
    size_t len = strlen(t);
    size_t e = len;
    while (e > 0 && isdigit((unsigned char)t[e - 1]))
        e--;
    if (e == len || len - e > 3 || e == 0 || (t[e - 1] != ' ' && t[e - 1] != '\t'))
        return 0;
    while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '\t'))
        e--;
    size_t i;
    json_t *p;
    json_array_foreach((json_t *)passages, i, p)
    {
        const char *kind = json_string_value(json_object_get(p, "kind"));
        const char *h = text_of(p);
        if (kind && strcmp(kind, "heading") == 0 && strlen(h) == e && strncmp(h, t, e) == 0)
            return 1;
    }
    return 0;
}

/* Why a passage text is page furniture, or NULL when it is not. codes: the document's bare
 * codes (up to two, may be NULL). */
static const char *furniture_reason(const char *text, const char *const codes[2],
                                    const json_t *passages)
{
    if (is_page_number(text))
        return "a page number";
    for (int i = 0; i < 2; i++) {
        if (is_own_code(text, codes[i]))
            return "the document's own code";
    }
    if (is_contents_entry(text, passages))
        return "a contents entry with its page number";
    return NULL;
}

/* The bare code of a reference or id: "T-ES(2019)07_en" -> "T-ES(2019)07". Writes "" when
 * s is NULL or holds no code. */
static void bare_code(const char *s, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (s == NULL)
        return;
    const char *close = strchr(s, ')');
    if (close == NULL || strchr(s, '(') == NULL)
        return;
    size_t n = (size_t)(close + 1 - s);
    while (isdigit((unsigned char)s[n]))
        n++;
    if (n + 1 <= cap) {
        memcpy(buf, s, n);
        buf[n] = '\0';
    }
}

/* Prints every furniture passage of got; returns how many there are. */
static unsigned report_furniture(const char *name, const json_t *got, const char *const codes[2])
{
    const json_t *passages = json_object_get(got, "passages");
    unsigned bad = 0;
    size_t i;
    json_t *p;
    json_array_foreach((json_t *)passages, i, p)
    {
        const char *why = furniture_reason(text_of(p), codes, passages);
        if (why == NULL)
            continue;
        printf("  FAIL %s: furniture: passage #%zu is %s: \"%s\"\n", name, i + 1, why, text_of(p));
        bad++;
    }
    return bad;
}

/* ---- reading the fixtures ---------------------------------------------------------------- */

typedef struct {
    char *file;   /* "decisions-en-24th-pdf.txt" */
    char *layout; /* second column */
} fixture_t;

typedef struct {
    fixture_t *f;
    size_t n;
} index_t;

static void index_free(index_t *ix)
{
    for (size_t i = 0; i < ix->n; i++) {
        free(ix->f[i].file);
        free(ix->f[i].layout);
    }
    free(ix->f);
}

/* Reads INDEX.tsv: "file<TAB>layout<TAB>what it tests" per line, '#' comments. Fails the
 * test with the line at fault. */
static void index_read(index_t *ix)
{
    const char *path = LAYOUTS_DIR "/INDEX.tsv";
    memset(ix, 0, sizeof *ix);
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        fail_msg("%s: cannot open the fixture index", path);
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    for (;;) {
        ssize_t len = getline(&line, &cap, fp);
        if (len < 0)
            break;
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (tab1 == NULL || tab2 == NULL || tab1 == line || tab2 == tab1 + 1 || tab2[1] == '\0' ||
            strchr(tab2 + 1, '\t') != NULL) {
            fclose(fp);
            free(line);
            index_free(ix);
            fail_msg("%s:%u: expected three tab-separated columns (file, layout, what it "
                     "tests)",
                     path, lineno);
        }
        fixture_t *f = realloc(ix->f, (ix->n + 1) * sizeof *f);
        assert_non_null(f);
        ix->f = f;
        ix->f[ix->n].file = strndup(line, (size_t)(tab1 - line));
        ix->f[ix->n].layout = strndup(tab1 + 1, (size_t)(tab2 - tab1 - 1));
        assert_non_null(ix->f[ix->n].file);
        assert_non_null(ix->f[ix->n].layout);
        ix->n++;
    }
    free(line);
    fclose(fp);
    if (ix->n == 0)
        fail_msg("%s: lists no fixture", path);
}

/* Path of the fixture file and of its expectation (NAME.expect.json beside NAME.txt).
 * Caller frees both with free(). */
static void fixture_paths(const char *file, char **path, char **expect)
{
    const char *dot = strrchr(file, '.');
    size_t stem = dot ? (size_t)(dot - file) : strlen(file);
    assert_true(asprintf(path, "%s/%s", LAYOUTS_DIR, file) > 0);
    assert_true(asprintf(expect, "%s/%.*s.expect.json", LAYOUTS_DIR, (int)stem, file) > 0);
}

/* Loads and checks an expectation; NULL (with the reason printed) when it is unusable.
 * Caller frees with json_decref(). */
static json_t *expectation_load(const char *path)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        /* jansson has no line for a file it could not open */
        if (jerr.line > 0)
            printf("  ERROR %s: line %d column %d: %s\n", shown(path), jerr.line, jerr.column,
                   jerr.text);
        else
            printf("  ERROR %s: %s\n", shown(path), jerr.text);
        return NULL;
    }
    const json_t *doc = json_object_get(root, "doc");
    const json_t *passages = json_object_get(root, "passages");
    const char *why = NULL;
    if (!json_is_object(doc) || !json_is_array(passages))
        why = "needs an object \"doc\" and an array \"passages\"";
    for (size_t k = 0; why == NULL && k < NDOC_KEYS; k++) {
        if (json_object_get(doc, doc_keys[k]) == NULL) {
            printf("  ERROR %s: \"doc\" lacks the key \"%s\"\n", shown(path), doc_keys[k]);
            why = "\"doc\" must hold every key";
        }
    }
    size_t i;
    json_t *p;
    json_array_foreach((json_t *)passages, i, p)
    {
        if (why)
            break;
        if (!json_is_object(p) || !json_is_string(json_object_get(p, "kind")) ||
            json_object_get(p, "label") == NULL || !json_is_string(json_object_get(p, "text"))) {
            printf("  ERROR %s: passage %zu needs \"kind\", \"label\" and \"text\"\n", shown(path),
                   i + 1);
            why = "malformed passage";
        }
    }
    if (why) {
        printf("  ERROR %s: %s\n", shown(path), why);
        json_decref(root);
        return NULL;
    }
    return root;
}

/* ---- matching expected passages to the passages got -------------------------------------- */

/* In reading order, the largest set of (expected, got) pairs that match: a longest common
 * subsequence. pair[i] is the index in got of expected passage i, or -1. */
static void align(const json_t *want, const json_t *got, long *pair)
{
    size_t n = json_array_size(want), m = json_array_size(got);
    unsigned *dp = calloc((n + 1) * (m + 1), sizeof *dp);
    assert_non_null(dp);
#define DP(i, j) dp[(i) * (m + 1) + (j)]
    for (size_t i = n; i-- > 0;) {
        for (size_t j = m; j-- > 0;) {
            if (passage_matches(json_array_get(want, i), json_array_get(got, j)))
                DP(i, j) = DP(i + 1, j + 1) + 1;
            else
                DP(i, j) = DP(i + 1, j) > DP(i, j + 1) ? DP(i + 1, j) : DP(i, j + 1);
        }
    }
    size_t i = 0, j = 0;
    for (size_t k = 0; k < n; k++)
        pair[k] = -1;
    while (i < n && j < m) {
        if (passage_matches(json_array_get(want, i), json_array_get(got, j)) &&
            DP(i, j) == DP(i + 1, j + 1) + 1) {
            pair[i++] = (long)j++;
        } else if (DP(i + 1, j) >= DP(i, j + 1)) {
            i++;
        } else {
            j++;
        }
    }
#undef DP
    free(dp);
}

/* How alike two texts are: the bytes they share at their start and at their end. */
static size_t likeness(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return strlen(a) * 2 + 1;
    return common_prefix(a, b) + common_suffix(a, b);
}

/* A passage got is taken as the wrong version of an expected one when they share this much
 * text; otherwise the expected passage is missing and the got one extra. */
#define LIKE_ENOUGH 12

/* Prints what differs between an expected passage and the passage got for it. */
static void print_passage_diff(const json_t *want, const json_t *got)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)want, key, v)
    {
        const json_t *g = json_object_get(got, key);
        if (field_equal(key, v, g))
            continue;
        if (strcmp(key, "text") == 0 && json_is_string(g)) {
            const char *a = json_string_value(v), *b = json_string_value(g);
            size_t at = common_prefix(a, b);
            printf("      text differs at byte %zu:\n", at);
            print_cut("expected", a, at);
            print_cut("got     ", b, at);
            continue;
        }
        char *ws = dump(v), *gs = dump(g);
        printf("      %s: expected %s, got %s\n", key, ws, gs);
        free(ws);
        free(gs);
    }
}

/* Scores the passages of one fixture; prints each failed fact. */
static void score_passages(const char *name, const json_t *want, const json_t *got, score_t *sc)
{
    size_t n = json_array_size(want), m = json_array_size(got);
    long *pair = calloc(n + 1, sizeof *pair);
    char *used = calloc(m + 1, 1);
    assert_non_null(pair);
    assert_non_null(used);
    align(want, got, pair);
    for (size_t i = 0; i < n; i++) {
        if (pair[i] >= 0)
            used[pair[i]] = 1;
    }
    /* Each expected passage left over is paired with the most alike passage got between
     * the matched neighbours, in order, when there is one. */
    size_t gap_from = 0; /* first got index after the last matched pair */
    for (size_t i = 0; i < n; i++) {
        if (pair[i] >= 0) {
            count(sc, K_PASSAGES, 1);
            gap_from = (size_t)pair[i] + 1;
            continue;
        }
        size_t gap_to = m;
        for (size_t k = i + 1; k < n; k++) {
            if (pair[k] >= 0) {
                gap_to = (size_t)pair[k];
                break;
            }
        }
        const json_t *w = json_array_get(want, i);
        long best = -1;
        size_t best_like = 0;
        for (size_t j = gap_from; j < gap_to; j++) {
            if (used[j])
                continue;
            size_t l = likeness(text_of(w), text_of(json_array_get(got, j)));
            if (l > best_like) {
                best_like = l;
                best = (long)j;
            }
        }
        count(sc, K_PASSAGES, 0);
        char *ws = dump(w);
        printf("  FAIL %s: passage %zu: %s\n", name, i + 1, ws);
        free(ws);
        if (best < 0 || best_like < LIKE_ENOUGH) {
            printf("      got nothing like it (between passages #%zu and #%zu got)\n", gap_from,
                   gap_to + 1);
            continue;
        }
        used[best] = 1;
        gap_from = (size_t)best + 1;
        printf("      got #%ld:\n", best + 1);
        print_passage_diff(w, json_array_get(got, (size_t)best));
    }
    for (size_t j = 0; j < m; j++) {
        if (used[j])
            continue;
        const json_t *g = json_array_get(got, j);
        const char *kind = json_string_value(json_object_get(g, "kind"));
        char *label = dump(json_object_get(g, "label"));
        count(sc, K_PASSAGES, 0);
        printf("  FAIL %s: extra passage #%zu (%s, label %s): \"%s\"\n", name, j + 1,
               kind ? kind : "?", label, text_of(g));
        free(label);
    }
    free(pair);
    free(used);
}

/* ---- one fixture ------------------------------------------------------------------------- */

/* Extracts a file; NULL with the message printed when the extractor refuses it. Caller
 * frees with json_decref(). */
static json_t *extract_json(const char *path)
{
    lzs_document_t *doc = NULL;
    char *err = NULL;
    lzs_status_t st = lzs_extract_file(ex, path, &doc, &err);
    if (st != LZS_OK) {
        printf("  FAIL %s: the extractor refuses it: %s (%s)\n", shown(path), err ? err : "?",
               lzs_status_str(st));
        free(err);
        return NULL;
    }
    json_t *j = lzs_document_to_json(doc);
    lzs_document_free(doc);
    assert_non_null(j);
    return j;
}

/* The expected passages must not be furniture themselves, or the fact could not hold. */
static int expectation_sane(const char *path, const json_t *want, const char *const codes[2])
{
    const json_t *passages = json_object_get(want, "passages");
    int ok = 1;
    size_t i;
    json_t *p;
    json_array_foreach((json_t *)passages, i, p)
    {
        const char *why = furniture_reason(text_of(p), codes, passages);
        if (why) {
            printf("  ERROR %s: expected passage %zu is %s\n", shown(path), i + 1, why);
            ok = 0;
        }
    }
    return ok;
}

static void score_fixture(const fixture_t *fx, score_t *sc)
{
    char *path = NULL, *epath = NULL;
    fixture_paths(fx->file, &path, &epath);
    json_t *want = expectation_load(epath);
    if (want == NULL) {
        sc->harness_errors++;
        free(path);
        free(epath);
        return;
    }
    const json_t *wdoc = json_object_get(want, "doc");
    const json_t *wpass = json_object_get(want, "passages");
    char code_ref[128], code_id[128];
    bare_code(json_string_value(json_object_get(wdoc, "ref")), code_ref, sizeof code_ref);
    bare_code(json_string_value(json_object_get(wdoc, "id")), code_id, sizeof code_id);
    const char *const codes[2] = {code_ref, code_id};
    if (!expectation_sane(epath, want, codes))
        sc->harness_errors++;

    json_t *got = extract_json(path);
    if (got == NULL) {
        /* nothing got: every fact of the fixture fails */
        for (size_t k = 0; k < NDOC_KEYS; k++)
            count(sc, k, 0);
        for (size_t i = 0; i < json_array_size(wpass); i++)
            count(sc, K_PASSAGES, 0);
        count(sc, K_FURNITURE, 0);
        json_decref(want);
        free(path);
        free(epath);
        return;
    }
    for (size_t k = 0; k < NDOC_KEYS; k++) {
        const json_t *w = json_object_get(wdoc, doc_keys[k]);
        const json_t *g = json_object_get(got, doc_keys[k]);
        int ok = g != NULL && json_equal((json_t *)w, (json_t *)g);
        count(sc, k, ok);
        if (!ok) {
            char *ws = dump(w), *gs = dump(g);
            printf("  FAIL %s: doc.%s: expected %s, got %s\n", fx->file, doc_keys[k], ws, gs);
            free(ws);
            free(gs);
        }
    }
    score_passages(fx->file, wpass, json_object_get(got, "passages"), sc);
    count(sc, K_FURNITURE, report_furniture(fx->file, got, codes) == 0);
    json_decref(got);
    json_decref(want);
    free(path);
    free(epath);
}

/* ---- the tests ----------------------------------------------------------------------------- */

static void test_layout_facts(void **state)
{
    (void)state;
    index_t ix;
    index_read(&ix);
    score_t sc;
    memset(&sc, 0, sizeof sc);
    for (size_t i = 0; i < ix.n; i++)
        score_fixture(&ix.f[i], &sc);
    unsigned right = 0, total = 0;
    printf("layouts: %zu fixtures; facts right per kind:\n", ix.n);
    for (size_t k = 0; k < K_COUNT; k++) {
        printf("  %-10s %4u / %u\n", kind_name(k), sc.right[k], sc.total[k]);
        right += sc.right[k];
        total += sc.total[k];
    }
    printf("layouts: facts right %u / %u\n", right, total);
    fflush(stdout);
    index_free(&ix);
    if (sc.harness_errors > 0)
        fail_msg("%u fixture(s) could not be scored as written (see ERROR above)",
                 sc.harness_errors);
    if (right != total)
        fail_msg("%u of %u facts wrong (see FAIL above)", total - right, total);
}

/* No document, shipped or fixture, yields a passage that is page furniture. */
static void test_no_furniture(void **state)
{
    (void)state;
    unsigned bad = 0, docs = 0, refused = 0;
    glob_t g;
    memset(&g, 0, sizeof g);
    if (glob(LZS_CORPUS_DIR "/*.txt", 0, NULL, &g) != 0 || g.gl_pathc == 0)
        fail_msg("no shipped document in %s", LZS_CORPUS_DIR);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        json_t *got = extract_json(g.gl_pathv[i]);
        docs++;
        if (got == NULL) {
            refused++;
            continue;
        }
        char code[128];
        bare_code(json_string_value(json_object_get(got, "ref")), code, sizeof code);
        const char *const codes[2] = {code, NULL};
        bad += report_furniture(shown(g.gl_pathv[i]), got, codes);
        json_decref(got);
    }
    globfree(&g);
    index_t ix;
    index_read(&ix);
    for (size_t i = 0; i < ix.n; i++) {
        char *path = NULL, *epath = NULL;
        fixture_paths(ix.f[i].file, &path, &epath);
        json_t *got = extract_json(path);
        docs++;
        if (got == NULL) {
            refused++;
        } else {
            char code_got[128], code_want[128] = "";
            bare_code(json_string_value(json_object_get(got, "ref")), code_got, sizeof code_got);
            json_t *want = expectation_load(epath);
            if (want) {
                bare_code(json_string_value(json_object_get(json_object_get(want, "doc"), "id")),
                          code_want, sizeof code_want);
                json_decref(want);
            }
            const char *const codes[2] = {code_got, code_want};
            bad += report_furniture(ix.f[i].file, got, codes);
            json_decref(got);
        }
        free(path);
        free(epath);
    }
    index_free(&ix);
    printf("furniture: %u passage(s) of page furniture in %u documents\n", bad, docs);
    fflush(stdout);
    if (refused > 0)
        fail_msg("%u document(s) could not be extracted (see FAIL above)", refused);
    if (bad > 0)
        fail_msg("%u passage(s) are page furniture (see FAIL above)", bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_facts),
        cmocka_unit_test(test_no_furniture),
    };
    return cmocka_run_group_tests(tests, testdata_setup, testdata_teardown);
}
