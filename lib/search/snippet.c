/* snippet.c — the part of a passage shown in a hit, with the matched words marked.
 *
 * The passage goes through the same pipeline as at index time, so a token is marked when
 * its folded form is a query word, its stem (in the passage's language) is the stem of a
 * query word, it starts with a query prefix, or it is part of a run of tokens spelling a
 * query phrase (quoted, or a multi-word synonym). The window is the stretch of about
 * `chars` characters holding the most marks, cut at token boundaries (so never inside a
 * character). The result keeps text and marks apart: [{"text": "...", "mark": false}, ...].
 */
#include <stdlib.h>
#include <string.h>

#include "search_internal.h"

typedef struct {
    size_t start, end;
} range_t;

typedef struct {
    range_t *v;
    size_t n, cap;
} ranges_t;

static int ranges_push(ranges_t *r, size_t start, size_t end)
{
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 16;
        range_t *nv = realloc(r->v, ncap * sizeof *nv);
        if (!nv)
            return -1;
        r->v = nv;
        r->cap = ncap;
    }
    r->v[r->n].start = start;
    r->v[r->n].end = end;
    r->n++;
    return 0;
}

static int range_cmp(const void *a, const void *b)
{
    const range_t *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

static int token_matches(lzs_text_t *t, const lzs_token_t *tok, const char *lang,
                         const lzs_marks_t *m)
{
    size_t fl = strlen(tok->folded);
    if (lzs_sset_has(&m->words, tok->folded, fl))
        return 1;
    /* The stem of the word and, when it has accents, of its folded form: the stems the
     * index has for it (schema.h). */
    const char *bases[2] = {tok->norm, strcmp(tok->norm, tok->folded) != 0 ? tok->folded : NULL};
    for (int k = 0; k < 2 && m->stems.n && (tok->flags & LZS_TOK_ALPHA) && lang && *lang; k++) {
        const char *stem = NULL;
        if (bases[k] && lzs_text_stem(t, lang, bases[k], &stem) == LZS_OK && stem) {
            char key[LZS_XDB_MAX_TERM + 16];
            size_t ll = strlen(lang), sl = strlen(stem);
            if (ll + 1 + sl < sizeof key) {
                memcpy(key, lang, ll);
                key[ll] = ':';
                memcpy(key + ll + 1, stem, sl);
                if (lzs_sset_has(&m->stems, key, ll + 1 + sl))
                    return 1;
            }
        }
    }
    for (size_t i = 0; m->prefixes.n && i < m->prefixes.cap; i++) {
        const char *p = m->prefixes.slots[i];
        if (p && strncmp(tok->folded, p, strlen(p)) == 0)
            return 1;
    }
    return 0;
}

/* Marks the runs of seq (token indices in reading order) that spell phrase. */
static int mark_phrase(const lzs_tokens_t *toks, const size_t *seq, size_t nseq, const char *phrase,
                       ranges_t *out)
{
    /* split the phrase into its terms (at most 64) */
    const char *terms[64];
    size_t lens[64], nt = 0;
    const char *p = phrase;
    while (*p && nt < 64) {
        const char *sp = strchr(p, ' ');
        size_t l = sp ? (size_t)(sp - p) : strlen(p);
        terms[nt] = p;
        lens[nt] = l;
        nt++;
        p += l;
        if (*p == ' ')
            p++;
    }
    if (nt == 0 || nt > nseq)
        return 0;
    for (size_t i = 0; i + nt <= nseq; i++) {
        size_t k = 0;
        while (k < nt) {
            const char *f = lzs_tokens_get(toks, seq[i + k])->folded;
            if (strncmp(f, terms[k], lens[k]) != 0 || f[lens[k]] != '\0')
                break;
            k++;
        }
        if (k == nt) {
            size_t s = lzs_tokens_get(toks, seq[i])->start;
            size_t e = lzs_tokens_get(toks, seq[i + nt - 1])->end;
            if (ranges_push(out, s, e) != 0)
                return -1;
        }
    }
    return 0;
}

static int is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Byte offset after n characters from off (or len). */
static size_t forward_chars(const char *text, size_t len, size_t off, size_t n)
{
    while (off < len && n > 0) {
        off++;
        while (off < len && is_continuation((unsigned char)text[off]))
            off++;
        n--;
    }
    return off;
}

/* Byte offset n characters before off (or 0). */
static size_t back_chars(const char *text, size_t off, size_t n)
{
    while (off > 0 && n > 0) {
        off--;
        while (off > 0 && is_continuation((unsigned char)text[off]))
            off--;
        n--;
    }
    return off;
}

static size_t count_chars(const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!is_continuation((unsigned char)text[i]))
            n++;
    return n;
}

static int gap_joins(const char *text, size_t a, size_t b)
{
    /* marks separated only by spaces or hyphens read as one ("child pornography") */
    for (size_t i = a; i < b; i++)
        if (text[i] != ' ' && text[i] != '-')
            return 0;
    return 1;
}

static int add_segment(json_t *arr, const char *text, size_t len, int mark)
{
    if (len == 0)
        return 0;
    size_t n = json_array_size(arr);
    if (n > 0) {
        json_t *last = json_array_get(arr, n - 1);
        if (json_is_true(json_object_get(last, "mark")) == (mark != 0)) {
            /* merge with the previous segment of the same kind */
            json_t *lt = json_object_get(last, "text");
            size_t ol = json_string_length(lt);
            char *buf = malloc(ol + len + 1);
            if (!buf)
                return -1;
            memcpy(buf, json_string_value(lt), ol);
            memcpy(buf + ol, text, len);
            buf[ol + len] = '\0';
            int rc = json_string_setn_nocheck(lt, buf, ol + len);
            free(buf);
            return rc;
        }
    }
    json_t *seg = json_object();
    if (!seg)
        return -1;
    if (json_object_set_new_nocheck(seg, "text", json_stringn_nocheck(text, len)) != 0 ||
        json_object_set_new_nocheck(seg, "mark", json_boolean(mark)) != 0) {
        json_decref(seg);
        return -1;
    }
    /* the array takes seg, also when appending fails (jansson releases it then) */
    return json_array_append_new(arr, seg) != 0 ? -1 : 0;
}

/* Collects into *found the byte ranges of the tokens that marks matches: the words, then the
 * phrases in both readings of a hyphenated word (as in compile.c's phrases). 0, or -1 when
 * out of memory. */
static int find_marks(lzs_text_t *t, const lzs_tokens_t *toks, const char *lang,
                      const lzs_marks_t *marks, ranges_t *found)
{
    size_t nt = lzs_tokens_count(toks);
    size_t *seq_parts = NULL, *seq_joined = NULL;
    size_t nparts = 0, njoined = 0;
    int fail = 0;
    for (size_t i = 0; i < nt && !fail; i++) {
        const lzs_token_t *tok = lzs_tokens_get(toks, i);
        if (token_matches(t, tok, lang, marks) && ranges_push(found, tok->start, tok->end) != 0)
            fail = 1;
    }
    if (!fail && marks->nphrases) {
        /* the two readings of a hyphenated word, as in compile.c's phrases */
        seq_parts = malloc((nt ? nt : 1) * sizeof *seq_parts);
        seq_joined = malloc((nt ? nt : 1) * sizeof *seq_joined);
        if (!seq_parts || !seq_joined)
            fail = 1;
        for (size_t i = 0; !fail && i < nt; i++) {
            const lzs_token_t *tok = lzs_tokens_get(toks, i);
            if (tok->flags & LZS_TOK_CODE)
                continue;
            if (!(tok->flags & LZS_TOK_JOINED))
                seq_parts[nparts++] = i;
            int inside_joined = 0;
            if (tok->flags & LZS_TOK_PART) {
                for (size_t k = 0; k < nt && !inside_joined; k++) {
                    const lzs_token_t *u = lzs_tokens_get(toks, k);
                    inside_joined =
                        (u->flags & LZS_TOK_JOINED) && tok->start >= u->start && tok->end <= u->end;
                }
            }
            if (!inside_joined)
                seq_joined[njoined++] = i;
        }
        for (size_t p = 0; !fail && p < marks->nphrases; p++) {
            if (mark_phrase(toks, seq_parts, nparts, marks->phrases[p], found) != 0 ||
                mark_phrase(toks, seq_joined, njoined, marks->phrases[p], found) != 0)
                fail = 1;
        }
    }
    free(seq_parts);
    free(seq_joined);
    return fail ? -1 : 0;
}

/* Sorts the ranges of found and merges those that overlap or touch; returns how many
 * remain (at the front of found->v). */
static size_t merge_marks(const char *text, ranges_t *found)
{
    if (found->n > 1)
        qsort(found->v, found->n, sizeof *found->v, range_cmp);
    size_t nm = 0;
    for (size_t i = 0; i < found->n; i++) {
        if (nm > 0 && (found->v[i].start <= found->v[nm - 1].end ||
                       gap_joins(text, found->v[nm - 1].end, found->v[i].start))) {
            if (found->v[i].end > found->v[nm - 1].end)
                found->v[nm - 1].end = found->v[i].end;
            continue;
        }
        found->v[nm++] = found->v[i];
    }
    return nm;
}

/* The window of at most chars characters shown, [*wstart, *wend): where it holds the most
 * marks (the first nm ranges of found), cut at token boundaries; the whole text when it
 * fits. */
static void choose_window(const char *text, size_t len, const lzs_tokens_t *toks,
                          const ranges_t *found, size_t nm, uint32_t chars, size_t *wstart_out,
                          size_t *wend_out)
{
    size_t nt = lzs_tokens_count(toks);
    size_t wstart = 0, wend = len;
    if (count_chars(text, len) > chars) {
        size_t lead = chars / 6;
        size_t best_start = 0, best_score = 0;
        for (size_t i = 0; i < nm; i++) {
            size_t s = back_chars(text, found->v[i].start, lead);
            size_t e = forward_chars(text, len, s, chars);
            size_t score = 0;
            for (size_t k = i; k < nm && found->v[k].end <= e; k++)
                score++;
            if (score > best_score) {
                best_score = score;
                best_start = s;
            }
        }
        size_t raw_end = forward_chars(text, len, best_start, chars);
        /* snap to token boundaries: start at the first token starting at or after the raw
         * start, end after the last token ending at or before the raw end */
        wstart = best_start;
        wend = raw_end;
        if (best_start > 0) {
            for (size_t i = 0; i < nt; i++) {
                const lzs_token_t *tok = lzs_tokens_get(toks, i);
                if (tok->start >= best_start) {
                    wstart = tok->start;
                    break;
                }
            }
        }
        if (raw_end < len) {
            size_t e = wstart;
            for (size_t i = 0; i < nt; i++) {
                const lzs_token_t *tok = lzs_tokens_get(toks, i);
                if (tok->end <= raw_end && tok->end > e)
                    e = tok->end;
            }
            if (e > wstart)
                wend = e;
            /* keep closing punctuation right after the last word (".", ")") */
            while (wend < raw_end && wend < len && text[wend] != ' ' &&
                   (text[wend] == '.' || text[wend] == ',' || text[wend] == ')' ||
                    text[wend] == ';' || text[wend] == ':'))
                wend++;
        }
        if (wend > len)
            wend = len;
        if (wstart > wend)
            wstart = wend;
    }
    while (wstart < wend && (text[wstart] == ' ' || text[wstart] == '\n'))
        wstart++;
    *wstart_out = wstart;
    *wend_out = wend;
}

/* Appends to arr the segments of text[wstart, wend): plain and marked (the first nm ranges
 * of found), with an ellipsis where the window cuts the text. 0, or non-zero when out of
 * memory. */
static int add_window(json_t *arr, const char *text, size_t len, const ranges_t *found, size_t nm,
                      size_t wstart, size_t wend)
{
    static const char ellipsis[] = "\xE2\x80\xA6"; /* … */
    int rc = 0;
    if (wstart > 0)
        rc |= add_segment(arr, ellipsis, sizeof ellipsis - 1, 0);
    size_t at = wstart;
    for (size_t i = 0; i < nm && rc == 0; i++) {
        size_t s = found->v[i].start, e = found->v[i].end;
        if (e <= wstart || s >= wend)
            continue;
        if (s < wstart)
            s = wstart;
        if (e > wend)
            e = wend;
        if (s > at)
            rc |= add_segment(arr, text + at, s - at, 0);
        rc |= add_segment(arr, text + s, e - s, 1);
        at = e;
    }
    if (rc == 0 && at < wend)
        rc |= add_segment(arr, text + at, wend - at, 0);
    if (rc == 0 && wend < len)
        rc |= add_segment(arr, ellipsis, sizeof ellipsis - 1, 0);
    return rc;
}

json_t *lzs_snippet_build(lzs_text_t *t, const char *text, size_t len, const char *lang,
                          const lzs_marks_t *marks, uint32_t chars)
{
    json_t *arr = json_array();
    if (!arr || chars == 0 || len == 0)
        return arr;
    lzs_tokens_t *toks = NULL;
    if (lzs_text_tokenize(t, text, len, &toks) != LZS_OK) {
        json_decref(arr);
        return NULL;
    }
    ranges_t found = {0};
    if (find_marks(t, toks, lang, marks, &found) != 0) {
        free(found.v);
        lzs_tokens_destroy(toks);
        json_decref(arr);
        return NULL;
    }
    size_t nm = merge_marks(text, &found);
    size_t wstart = 0, wend = len;
    choose_window(text, len, toks, &found, nm, chars, &wstart, &wend);
    int rc = add_window(arr, text, len, &found, nm, wstart, wend);
    free(found.v);
    lzs_tokens_destroy(toks);
    if (rc != 0) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}
