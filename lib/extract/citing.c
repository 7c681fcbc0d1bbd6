/* citing.c — what a passage cites besides the Convention's articles: the Committee's
 * documents by their codes, recommendations by their identifiers (resolved to their
 * identity, rec_key, where the text allows it), the Committee's opinions and declarations
 * by title (opinions.tsv) and the other instruments and judgments of instruments.tsv. */
#define _GNU_SOURCE /* asprintf */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stage.h"

/* ---- instruments --------------------------------------------------------------------- */

/* Number of words of the folded key (words joined by single spaces) that match w from word
 * i on, or 0 when they do not all match. */
static size_t key_at(const lzs_words_t *w, size_t i, const char *key)
{
    size_t n = 0;
    const char *k = key;
    while (*k) {
        const char *sp = strchr(k, ' ');
        size_t kl = sp ? (size_t)(sp - k) : strlen(k);
        if (i + n >= w->n)
            return 0;
        const char *word = lzs_words_at(w, i + n);
        if (strlen(word) != kl || memcmp(word, k, kl) != 0)
            return 0;
        n++;
        k += kl;
        if (*k == ' ')
            k++;
    }
    return n;
}

static int is_number_word(const char *s)
{
    size_t n = strspn(s, "0123456789");
    return n > 0 && n <= 3 && s[n] == '\0' && s[0] != '0';
}

/* "Article 8 ECHR", "Articles 3 and 8 of the European Convention on Human Rights": the
 * numbers from word i on, and the instrument named after them. */
static lzs_status_t instrument_articles(const lzs_extractor_t *ex, const lzs_words_t *w, size_t i,
                                        lzs_strlist_t *out)
{
    const char *nums[8];
    size_t nn = 0, j = i;
    while (j < w->n && nn < 8) {
        const char *word = lzs_words_at(w, j);
        if (is_number_word(word)) {
            nums[nn++] = word;
            j++;
        } else if (nn > 0 && lzs_word_listed(ex, LZS_WL_AND_KEYS, word)) {
            j++;
        } else {
            break;
        }
    }
    if (nn == 0)
        return LZS_OK;
    /* "Article 8 of the ECHR", "article 8 de la CEDH" */
    while (j < w->n && lzs_word_listed(ex, LZS_WL_LINK_KEYS, lzs_words_at(w, j)))
        j++;
    for (size_t k = 0; k < ex->ninstruments; k++) {
        const lzs_instrument_t *in = &ex->instruments[k];
        for (size_t a = 0; a < in->article_names.n; a++) {
            if (key_at(w, j, in->article_names.items[a]) == 0)
                continue;
            lzs_status_t st = lzs_strlist_push_unique(out, in->key);
            for (size_t m = 0; m < nn && st == LZS_OK; m++) {
                char key[96];
                snprintf(key, sizeof key, "%s-art%s", in->key, nums[m]);
                st = lzs_strlist_push_unique(out, key);
            }
            return st;
        }
    }
    return LZS_OK;
}

lzs_status_t lzs_cite_instruments(const lzs_extractor_t *ex, const lzs_words_t *w,
                                  lzs_strlist_t *out)
{
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < w->n && st == LZS_OK; i++) {
        const char *word = lzs_words_at(w, i);
        if (lzs_word_listed(ex, LZS_WL_ARTICLE_KEYS, word))
            st = instrument_articles(ex, w, i + 1, out);
        for (size_t k = 0; k < ex->ninstruments && st == LZS_OK; k++) {
            const lzs_instrument_t *in = &ex->instruments[k];
            for (size_t p = 0; p < in->phrases.n; p++) {
                /* the first byte first: almost every word fails there */
                if (in->phrases.items[p][0] != word[0] || key_at(w, i, in->phrases.items[p]) == 0)
                    continue;
                st = lzs_strlist_push_unique(out, in->key);
                break;
            }
        }
    }
    return st;
}

/* ---- opinions and declarations by title ---------------------------------------------------- */

/* 1 when a document code ("T-ES(2015)04", folded to the words t es 2015 04) starts at word
 * i of w, after words that may lead to it (citations.tsv: "its opinion on Article 23
 * (document T-ES(2015)04)"). */
static int code_follows(const lzs_extractor_t *ex, const lzs_words_t *w, size_t i)
{
    while (i < w->n && lzs_word_listed(ex, LZS_WL_CODE_LEAD, lzs_words_at(w, i)))
        i++;
    return i + 1 < w->n && strcmp(lzs_words_at(w, i), "t") == 0 &&
           strcmp(lzs_words_at(w, i + 1), "es") == 0;
}

/* The opinion whose form starting at word i of w is the longest; *len gets its words. */
static const lzs_opinion_t *opinion_at(const lzs_extractor_t *ex, const lzs_words_t *w, size_t i,
                                       size_t *len)
{
    const lzs_opinion_t *best = NULL;
    const char *word = lzs_words_at(w, i);
    *len = 0;
    for (size_t k = 0; k < ex->nopinions; k++) {
        const lzs_opinion_t *op = &ex->opinions[k];
        for (size_t p = 0; p < op->phrases.n; p++) {
            /* the first byte first: almost every word fails there */
            if (op->phrases.items[p][0] != word[0])
                continue;
            size_t n = key_at(w, i, op->phrases.items[p]);
            if (n > *len) {
                *len = n;
                best = op;
            }
        }
    }
    return best;
}

lzs_status_t lzs_cite_opinions(const lzs_extractor_t *ex, const lzs_words_t *w, lzs_strlist_t *out)
{
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < w->n && st == LZS_OK; i++) {
        size_t len = 0;
        const lzs_opinion_t *op = opinion_at(ex, w, i, &len);
        if (op == NULL)
            continue;
        /* a title with its code beside it is one citation, of the code */
        if (!code_follows(ex, w, i + len))
            st = lzs_strlist_push_unique(out, op->info.key);
        i += len - 1;
    }
    return st;
}

const char *lzs_extract_opinion_of(const lzs_extractor_t *ex, int type, const char *id,
                                   const char *title)
{
    if (ex == NULL || (type != LZS_DOC_OPINION && type != LZS_DOC_DECLARATION))
        return NULL;
    /* the code of the id: "T-ES(2015)04_fr" -> "T-ES(2015)04" */
    size_t codelen = 0;
    if (id != NULL) {
        const char *us = strrchr(id, '_');
        codelen = us && strchr(us, ')') == NULL ? (size_t)(us - id) : strlen(id);
    }
    for (size_t k = 0; codelen > 0 && k < ex->nopinions; k++) {
        const char *code = ex->opinions[k].info.code;
        if (code && strlen(code) == codelen && strncmp(code, id, codelen) == 0)
            return ex->opinions[k].info.key;
    }
    if (title == NULL)
        return NULL;
    lzs_words_t w = {0};
    const char *key = NULL;
    if (lzs_words_fold(&w, title, strlen(title)) == LZS_OK && w.n > 0) {
        size_t len = 0;
        const lzs_opinion_t *op = opinion_at(ex, &w, 0, &len);
        key = op ? op->info.key : NULL;
    }
    lzs_words_free(&w);
    return key;
}

/* Keeps in the passage's cites_opinions the opinions it cites by title only: not the
 * citing document itself, nor one whose code the passage cites too (in any language). */
static void drop_opinions_cited_otherwise(const lzs_extractor_t *ex, const lzs_document_t *doc,
                                          lzs_passage_t *p)
{
    size_t kept = 0;
    for (size_t i = 0; i < p->cites_opinions.n; i++) {
        char *key = p->cites_opinions.items[i];
        const lzs_opinion_info_t *in = lzs_extract_opinion(ex, key);
        int drop = doc->opinion != NULL && strcmp(doc->opinion, key) == 0;
        size_t cl = in && in->code ? strlen(in->code) : 0;
        for (size_t k = 0; k < p->cites.n && !drop && cl > 0; k++) {
            const char *c = p->cites.items[k];
            drop = strncmp(c, in->code, cl) == 0 && (c[cl] == '\0' || c[cl] == '_');
        }
        if (drop)
            free(key);
        else
            p->cites_opinions.items[kept++] = key;
    }
    p->cites_opinions.n = kept;
}

/* ---- documents ---------------------------------------------------------------------- */

/* Where a passage names a document: byte offset and the document's code. */
typedef struct {
    size_t pos, end;
    char code[64];
} spot_t;

#define MAX_SPOTS 64

/* 1 when a code may start at text[i]: not inside a word or another code. */
static int code_start(const char *text, size_t i)
{
    if (!isupper((unsigned char)text[i]))
        return 0;
    if (i == 0)
        return 1;
    unsigned char prev = (unsigned char)text[i - 1];
    return !lzs_word_byte(prev) && prev != '-' && prev != '_' && prev != '/';
}

/* The documents the passage names by code, but the citing document itself (its code, in
 * any language): p->cites gets each cited id once ("T-ES(2019)07" for the English or
 * unsuffixed code, "T-ES(2019)07_fr" for another language), spots where they stand. */
static lzs_status_t cite_documents(const lzs_document_t *doc, lzs_passage_t *p, spot_t *spots,
                                   size_t *nspots)
{
    const char *text = p->text ? p->text : "";
    *nspots = 0;
    for (size_t i = 0; text[i]; i++) {
        if (!code_start(text, i))
            continue;
        lzs_ref_t r;
        size_t n = lzs_parse_ref(text + i, &r);
        if (n == 0)
            continue;
        size_t at = i;
        i += n - 1;
        if ((doc->version_key && strcmp(r.code, doc->version_key) == 0) ||
            (doc->id && strcmp(r.code, doc->id) == 0))
            continue;
        char id[80];
        if (r.lang[0] && strcmp(r.lang, "en") != 0)
            snprintf(id, sizeof id, "%s_%s", r.code, r.lang);
        else
            snprintf(id, sizeof id, "%s", r.code);
        lzs_status_t st = lzs_strlist_push_unique(&p->cites, id);
        if (st != LZS_OK)
            return st;
        if (*nspots < MAX_SPOTS) {
            spots[*nspots].pos = at;
            spots[*nspots].end = at + n;
            snprintf(spots[*nspots].code, sizeof spots[*nspots].code, "%s", r.code);
            (*nspots)++;
        }
    }
    return LZS_OK;
}

/* ---- recommendations -------------------------------------------------------------------- */

/* The roman part and the number of "V-17": 0 when id has another shape. */
static int split_roman(const char *id, char *roman, size_t cap, long *num)
{
    size_t r = strspn(id, "IVXLC");
    if (r == 0 || r >= cap || id[r] != '-' || !isdigit((unsigned char)id[r + 1]))
        return 0;
    memcpy(roman, id, r);
    roman[r] = '\0';
    char *end = NULL;
    *num = strtol(id + r + 1, &end, 10);
    return *end == '\0';
}

/* A recommendation cited at pos, its identifier normalised ("V-17"). */
typedef struct {
    size_t pos;
    char id[32];
} rec_cite_t;

#define MAX_REC_CITES 64

static void add_rec(rec_cite_t *v, size_t *n, size_t pos, const char *id)
{
    if (*n >= MAX_REC_CITES)
        return;
    v[*n].pos = pos;
    lzs_extract_rec_id_normalize(id, v[*n].id, sizeof v[*n].id);
    (*n)++;
}

/* After "Recommendations": "I-5 to I-8", "I-5, I-6 and I-8", "V-17 et V-18". */
static size_t rec_list(const lzs_extractor_t *ex, const char *text, size_t j, rec_cite_t *v,
                       size_t *n)
{
    size_t first = *n;
    char prev[32] = "";
    int range = 0;
    for (;;) {
        char raw[32], id[32];
        size_t len = lzs_parse_rec_id(text + j, raw, sizeof raw);
        if (len == 0)
            break;
        char r1[16], r2[16];
        long a, b;
        lzs_extract_rec_id_normalize(raw, id, sizeof id);
        /* a range of one roman part, and a short one: longer is more likely a typo */
        if (range && split_roman(prev, r1, sizeof r1, &a) && split_roman(id, r2, sizeof r2, &b) &&
            strcmp(r1, r2) == 0 && b > a && b - a <= 50) {
            for (long k = a + 1; k < b; k++) {
                char mid[48];
                snprintf(mid, sizeof mid, "%s-%ld", r1, k);
                add_rec(v, n, j, mid);
            }
        }
        add_rec(v, n, j, id);
        snprintf(prev, sizeof prev, "%s", id);
        j += len;
        /* ", ", ", and ", " and ", " to " (words.tsv); no range after a comma */
        size_t k = lzs_skip_spaces(text, j);
        int comma = text[k] == ',';
        if (comma)
            k = lzs_skip_spaces(text, k + 1);
        size_t joiner = lzs_word_at(ex, LZS_WL_AND, text + k, LZS_END_SPACE);
        size_t to = comma ? 0 : lzs_word_at(ex, LZS_WL_RANGE, text + k, LZS_END_SPACE);
        range = 0;
        if (joiner > 0) {
            k += joiner + 1;
        } else if (to > 0) {
            k += to + 1;
            range = 1;
        } else if (!comma) {
            break;
        }
        j = lzs_skip_spaces(text, k);
    }
    /* a list shares its document: "Recommendations I-5, I-7 and I-9 of T-ES(2018)12" */
    for (size_t k = first; *n > 0 && k < *n; k++)
        v[k].pos = v[*n - 1].pos;
    return j;
}

/* The recommendations the passage cites: after a word of citations.tsv
 * ("Recommendation(s)", any case, English or French), and "R I-6" or "R15" standing
 * alone. */
static size_t find_rec_cites(const lzs_extractor_t *ex, const char *text, rec_cite_t *v)
{
    size_t n = 0;
    for (size_t i = 0; text[i]; i++) {
        if (i > 0 && lzs_word_byte((unsigned char)text[i - 1]))
            continue;
        size_t w = lzs_word_at(ex, LZS_WL_RECOMMENDATION, text + i, LZS_END_WORD);
        if (w > 0) {
            size_t j = lzs_skip_spaces(text, i + w);
            i = rec_list(ex, text, j, v, &n);
            if (i > 0)
                i--;
            continue;
        }
        if (text[i] != 'R')
            continue;
        char id[32];
        size_t len = lzs_parse_rec_id(text + i, id, sizeof id);
        unsigned shape = len ? lzs_rec_id_shape(id) : 0;
        /* "R XX" alone is too like ordinary text to be taken without the word */
        if (shape == LZS_RECID_ROMAN_NUMBER || shape == LZS_RECID_R_NUMBER) {
            add_rec(v, &n, i, id);
            i += len - 1;
        }
    }
    return n;
}

/* 1 when text[from, to) has a comma, a semicolon, a colon or a full stop. */
static int has_break(const char *text, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (strchr(",;:.", text[i]) != NULL)
            return 1;
    }
    return 0;
}

/* The code of the document named nearest to the recommendation cited at pos in the same
 * clause (no comma, semicolon, colon or full stop between them), the one after it first
 * ("Recommendation I-6 of T-ES(2018)12", "recommendation I-6 (T-ES(2018)12)"), else the one
 * before it ("T-ES(2018)12 and its recommendation I-6"); NULL when none. */
static const char *nearest_code(const char *text, const spot_t *spots, size_t nspots, size_t pos)
{
    for (size_t i = 0; i < nspots; i++) {
        if (spots[i].pos > pos && !has_break(text, pos, spots[i].pos))
            return spots[i].code; /* spots are in text order: the first after is nearest */
    }
    for (size_t i = nspots; i-- > 0;) {
        if (spots[i].end <= pos && !has_break(text, spots[i].end, pos))
            return spots[i].code;
    }
    return NULL;
}

/* 1 when key is the key of one of the document's own recommendations. */
static int own_recommendation(const lzs_document_t *doc, const char *key)
{
    for (size_t i = 0; i < doc->npassages; i++) {
        if (doc->passages[i].rec_key && strcmp(doc->passages[i].rec_key, key) == 0)
            return 1;
    }
    return 0;
}

/* Resolves each recommendation cited: through the document named nearest to it in the
 * passage ("<code>:<id>"), else through the citing document's own round when the
 * identifier has one of its shapes ("<round>:<id>"), else it stays ambiguous. A
 * recommendation's own identifier in its own text ("... (R I-6).") is no citation, nor is
 * a mention of one of the document's own recommendations (the footnote that gives a
 * recommendation its identifier). */
static lzs_status_t cite_recs(const lzs_extractor_t *ex, const lzs_document_t *doc,
                              lzs_passage_t *p, const spot_t *spots, size_t nspots)
{
    rec_cite_t v[MAX_REC_CITES];
    size_t n = find_rec_cites(ex, p->text ? p->text : "", v);
    const lzs_round_t *round = doc->round ? lzs_round_find(ex, doc->round) : NULL;
    char own[32] = "";
    if (p->rec_id)
        lzs_extract_rec_id_normalize(p->rec_id, own, sizeof own);
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        const char *code = nearest_code(p->text ? p->text : "", spots, nspots, v[i].pos);
        if (v[i].id[0] == '\0' || strcmp(v[i].id, own) == 0)
            continue;
        char *key = NULL;
        int k = 0;
        if (code)
            k = asprintf(&key, "%s:%s", code, v[i].id);
        else if (round && (round->id_shapes & lzs_rec_id_shape(v[i].id)))
            k = asprintf(&key, "%s:%s", round->key, v[i].id);
        if (k < 0)
            return LZS_ERR_NOMEM;
        if (key && own_recommendation(doc, key)) {
            free(key); /* "23 Recommendation V-17.": a footnote naming the document's own */
            continue;
        }
        if (key) {
            st = lzs_strlist_push_unique(&p->cites_recs, key);
            free(key);
        } else {
            st = lzs_strlist_push_unique(&p->cites_ambiguous, v[i].id);
        }
    }
    return st;
}

lzs_status_t lzs_domain_citations(lzs_parse_t *ps)
{
    lzs_document_t *doc = ps->doc;
    lzs_status_t st = LZS_OK;
    const char *own = lzs_extract_opinion_of(ps->ex, (int)doc->type, doc->id, doc->title);
    free(doc->opinion);
    doc->opinion = own ? strdup(own) : NULL;
    if (own && doc->opinion == NULL)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < doc->npassages && st == LZS_OK; i++) {
        lzs_passage_t *p = &doc->passages[i];
        spot_t spots[MAX_SPOTS];
        size_t nspots = 0;
        st = cite_documents(doc, p, spots, &nspots);
        if (st == LZS_OK)
            st = cite_recs(ps->ex, doc, p, spots, nspots);
        if (st == LZS_OK)
            drop_opinions_cited_otherwise(ps->ex, doc, p);
    }
    return st;
}
