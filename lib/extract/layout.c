/* layout.c — the layout clean-up stage: what the page adds to a text and a reader skips.
 *
 * - Page furniture: blocks a reader flagged as standing in a page's top or bottom margin
 *   (LZS_BF_PAGE_TOP / LZS_BF_PAGE_BOTTOM) are removed when they are a page number ("3",
 *   "- 3 -", "3/14", "Page 3 of 14", "p. 3") or when the same text (digits aside) stands in
 *   that margin on at least two pages; either way their text is kept as furniture, where
 *   the header stage may find the document's code.
 * - Contents lists: blocks a reader marked LZS_BF_TOC.
 * - Paragraphs split by a page break: a paragraph that does not end a sentence, followed
 *   on the next page by text that starts in lower case, or that ends with a word no
 *   sentence ends with ("the", "of"), is one paragraph with the text after the break.
 * - Line-end hyphens (U+00AD, see block.h): the word keeps its hyphen when it is written
 *   with one elsewhere in the document or in the dictionary of hyphenated terms
 *   (hyphens.tsv), when either part holds a hyphen of its own (a chain of words such as
 *   "rights-of-the-child" in a web address), or when the second part starts with a
 *   capital or a digit; otherwise the two parts are one word.
 * - Page breaks themselves are dropped: every block keeps its page.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stage.h"

/* ---- page numbers ------------------------------------------------------------------- */

static int digits_at(const char *s, size_t *i)
{
    size_t k = *i;
    while (isdigit((unsigned char)s[k]))
        k++;
    if (k == *i || k - *i > 5)
        return 0;
    *i = k;
    return 1;
}

/* The whole text is a page number as printed: "3", "- 3 -", "– 3 –", "3/14", "3 / 14",
 * "Page 3", "Page 3 of 14", "Page 3 sur 14", "p. 3", "[3]"; the words are words.tsv's
 * "page" and "page-of". */
int lzs_layout_is_page_number(const lzs_extractor_t *ex, const char *s)
{
    size_t i = lzs_skip_spaces(s, 0);
    int dashed = 0;
    if (s[i] == '-' || s[i] == '[' || s[i] == '(') {
        dashed = s[i] == '-' ? 1 : 2;
        i = lzs_skip_spaces(s, i + 1);
    } else if (strncmp(s + i, "\u2013", 3) == 0 || strncmp(s + i, "\u2014", 3) == 0) {
        dashed = 1;
        i = lzs_skip_spaces(s, i + 3);
    }
    size_t lead = lzs_word_at(ex, LZS_WL_PAGE, s + i, LZS_END_ANY);
    if (lead != 0)
        i = lzs_skip_spaces(s, i + lead);
    if (!digits_at(s, &i))
        return 0;
    i = lzs_skip_spaces(s, i);
    /* "3 / 14", "3 of 14": the count of pages */
    size_t of = s[i] == '/' ? 1 : lzs_word_at(ex, LZS_WL_PAGE_OF, s + i, LZS_END_ANY);
    if (of != 0) {
        i = lzs_skip_spaces(s, i + of);
        if (!digits_at(s, &i))
            return 0;
        i = lzs_skip_spaces(s, i);
    }
    if (dashed == 1) {
        if (s[i] == '-')
            i = lzs_skip_spaces(s, i + 1);
        else if (strncmp(s + i, "\u2013", 3) == 0 || strncmp(s + i, "\u2014", 3) == 0)
            i = lzs_skip_spaces(s, i + 3);
    } else if (dashed == 2 && (s[i] == ']' || s[i] == ')')) {
        i = lzs_skip_spaces(s, i + 1);
    }
    return s[i] == '\0';
}

/* ---- running headers and footers ------------------------------------------------------ */

/* The text with every run of digits replaced by "#": "T-ES(2019)07_en - 3" and
 * "T-ES(2019)07_en - 4" repeat as one line. Caller frees. */
static char *furniture_key(const char *s)
{
    size_t n = strlen(s);
    char *k = malloc(n + 1);
    if (k == NULL)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)s[i])) {
            if (o == 0 || k[o - 1] != '#')
                k[o++] = '#';
        } else {
            k[o++] = (char)tolower((unsigned char)s[i]);
        }
    }
    k[o] = '\0';
    return k;
}

static int in_margin(const lzs_block_t *b)
{
    return (b->flags & (LZS_BF_PAGE_TOP | LZS_BF_PAGE_BOTTOM)) != 0;
}

/* Marks in drop[] the margin blocks that are furniture. */
static lzs_status_t find_furniture(const lzs_extractor_t *ex, const lzs_blocks_t *bs,
                                   unsigned char *drop)
{
    char **keys = calloc(bs->n ? bs->n : 1, sizeof *keys);
    if (keys == NULL)
        return LZS_ERR_NOMEM;
    lzs_status_t st = LZS_OK;
    for (size_t i = 0; i < bs->n && st == LZS_OK; i++) {
        const lzs_block_t *b = &bs->v[i];
        if (!in_margin(b))
            continue;
        if (lzs_layout_is_page_number(ex, b->text)) {
            drop[i] = 1;
            continue;
        }
        keys[i] = furniture_key(b->text);
        if (keys[i] == NULL)
            st = LZS_ERR_NOMEM;
    }
    /* The same text in the same margin of two different pages is a running line. */
    for (size_t i = 0; i < bs->n && st == LZS_OK; i++) {
        if (keys[i] == NULL || drop[i])
            continue;
        unsigned top = bs->v[i].flags & LZS_BF_PAGE_TOP;
        for (size_t k = 0; k < bs->n; k++) {
            if (k == i || keys[k] == NULL || bs->v[k].page == bs->v[i].page ||
                (bs->v[k].flags & LZS_BF_PAGE_TOP) != top || strcmp(keys[i], keys[k]) != 0)
                continue;
            drop[i] = 1;
            drop[k] = 1;
        }
    }
    for (size_t i = 0; i < bs->n; i++)
        free(keys[i]);
    free(keys);
    return st;
}

/* ---- line-end hyphens ------------------------------------------------------------------- */

static int word_byte(unsigned char c)
{
    return lzs_word_byte(c);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds every word of s (runs of word bytes, joined by single inner hyphens) in lower case. */
static lzs_status_t collect_words(const char *s, lzs_strlist_t *out)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        if (!word_byte((unsigned char)s[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && (word_byte((unsigned char)s[j]) ||
                         (s[j] == '-' && j + 1 < n && word_byte((unsigned char)s[j + 1]) &&
                          j > i)))
            j++;
        /* A word interrupted by a line-end hyphen is not a spelling of the document. */
        int soft = j + 1 < n && (unsigned char)s[j] == 0xC2 && (unsigned char)s[j + 1] == 0xAD;
        int soft_before = i >= 2 && (unsigned char)s[i - 2] == 0xC2 &&
                          (unsigned char)s[i - 1] == 0xAD;
        if (!soft && !soft_before && j - i < 64) {
            char w[64];
            for (size_t k = i; k < j; k++)
                w[k - i] = (char)tolower((unsigned char)s[k]);
            w[j - i] = '\0';
            if (lzs_strlist_push(out, w) != LZS_OK)
                return LZS_ERR_NOMEM;
        }
        i = j;
    }
    return LZS_OK;
}

static int known(const lzs_strlist_t *sorted, const char *w)
{
    /* an empty list has no array (qsort and bsearch must not be given NULL) */
    return sorted->n > 0 &&
           bsearch(&w, sorted->items, sorted->n, sizeof *sorted->items, cmp_str) != NULL;
}

/* Resolves every U+00AD of b's text. */
static lzs_status_t dehyphenate(const lzs_extractor_t *ex, const lzs_strlist_t *doc_words,
                                lzs_blocks_t *bs, lzs_block_t *b)
{
    if (strstr(b->text, "\u00AD") == NULL)
        return LZS_OK;
    char *out = malloc(b->len + 1);
    if (out == NULL)
        return LZS_ERR_NOMEM;
    size_t o = 0;
    const char *s = b->text;
    for (size_t i = 0; i < b->len;) {
        if (!((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xAD)) {
            out[o++] = s[i++];
            continue;
        }
        /* the parts around the mark: L (back to a non-word byte) and R (forward) */
        size_t ls = o;
        while (ls > 0 && (word_byte((unsigned char)out[ls - 1]) || out[ls - 1] == '-'))
            ls--;
        size_t rs = i + 2, re = rs;
        while (re < b->len && (word_byte((unsigned char)s[re]) || s[re] == '-'))
            re++;
        char joined[160], hyphened[160];
        int keep;
        if (o - ls == 0 || re - rs == 0 || o - ls + re - rs + 2 > sizeof joined) {
            keep = 1;
        } else {
            size_t a = 0;
            for (size_t k = ls; k < o; k++)
                joined[a++] = (char)tolower((unsigned char)out[k]);
            memcpy(hyphened, joined, a);
            hyphened[a] = '-';
            size_t h = a + 1;
            for (size_t k = rs; k < re; k++) {
                char c = (char)tolower((unsigned char)s[k]);
                joined[a++] = c;
                hyphened[h++] = c;
            }
            joined[a] = '\0';
            hyphened[h] = '\0';
            unsigned char first = (unsigned char)s[rs];
            /* A part that holds a hyphen of its own belongs to a chain of words joined by
             * hyphens ("rights-of-the-" / "child-in-th", a web address): a line breaks such a
             * chain at one of its hyphens, not inside a word. */
            int chain =
                memchr(out + ls, '-', o - ls) != NULL || memchr(s + rs, '-', re - rs) != NULL;
            if (known(doc_words, hyphened) || lzs_extract_hyphenated(ex, hyphened))
                keep = 1;
            else if (known(doc_words, joined))
                keep = 0;
            else
                keep =
                    chain || isupper(first) || isdigit(first) || isdigit((unsigned char)out[o - 1]);
        }
        if (keep)
            out[o++] = '-';
        i += 2;
    }
    out[o] = '\0';
    lzs_status_t st = lzs_block_set_text(bs, b, out, o);
    free(out);
    return st;
}

/* ---- the stage ----------------------------------------------------------------------------- */

static int ends_sentence(const lzs_block_t *b)
{
    return lzs_ends_terminal(b->text, b->len);
}

/* A paragraph that a page break (and the furniture around it) split: the text before the
 * break ends no sentence, and either the text after it starts in lower case or the text
 * before it ends with a word no sentence ends with ("... in implementing the" /
 * "Convention. It ..."). */
static int continues_across(const lzs_extractor_t *ex, const lzs_block_t *before,
                            const lzs_block_t *after)
{
    return before->kind == LZS_BLOCK_PARAGRAPH && after->kind == LZS_BLOCK_PARAGRAPH &&
           after->page > before->page && !ends_sentence(before) && before->len > 0 &&
           (lzs_starts_lower(after->text) ||
            lzs_ends_with_function_word(ex, before->text, before->len)) &&
           !(after->flags & LZS_BF_CLASSIFIED);
}

static lzs_status_t join_across_pages(const lzs_extractor_t *ex, lzs_blocks_t *bs)
{
    for (size_t i = 1; i < bs->n && bs->st == LZS_OK;) {
        /* the paragraph before, over the notes at the bottom of its page */
        size_t p = i;
        while (p > 0 && bs->v[p - 1].kind == LZS_BLOCK_FOOTNOTE)
            p--;
        if (p == 0) {
            i++;
            continue;
        }
        lzs_block_t *prev = &bs->v[p - 1];
        lzs_block_t *b = &bs->v[i];
        if (!continues_across(ex, prev, b)) {
            i++;
            continue;
        }
        /* The paragraph keeps its page and takes the continuation's text and markers. */
        int hyphen = prev->len >= 2 && (unsigned char)prev->text[prev->len - 2] == 0xC2 &&
                     (unsigned char)prev->text[prev->len - 1] == 0xAD;
        if (hyphen) {
            char *t = realloc(prev->text, prev->len + b->len + 1);
            if (t == NULL)
                return LZS_ERR_NOMEM;
            memcpy(t + prev->len, b->text, b->len + 1);
            prev->text = t;
            prev->len += b->len;
        } else if (lzs_block_append(bs, prev, b->text, b->len) != LZS_OK) {
            return LZS_ERR_NOMEM;
        }
        for (size_t k = 0; k < b->nmarks; k++)
            lzs_block_add_mark(bs, prev, b->marks[k]);
        lzs_blocks_remove(bs, i);
    }
    return bs->st;
}

/* The folded words of len bytes of s; caller frees. */
static char *fold_n(const char *s, size_t len)
{
    char *t = strndup(s, len);
    if (t == NULL)
        return NULL;
    char *k = lzs_fold_key(t);
    free(t);
    return k;
}

/* Contents lists in formats with paragraphs (the text reader skips its own): a block that
 * titles a contents list and the entries after it, up to the first entry coming back as
 * the heading it names, or body text. */
static lzs_status_t find_contents(const lzs_extractor_t *ex, const lzs_blocks_t *bs,
                                  unsigned char *drop)
{
    for (size_t i = 0; i < bs->n; i++) {
        const lzs_block_t *b = &bs->v[i];
        if ((b->flags & LZS_BF_LINES) || b->len > 40 ||
            (b->kind != LZS_BLOCK_HEADING && b->kind != LZS_BLOCK_PARAGRAPH))
            continue;
        int toc = lzs_is_toc_title(ex, b->text);
        if (toc < 0)
            return LZS_ERR_NOMEM;
        if (toc == 0)
            continue;
        drop[i] = 1;
        char *first = NULL;
        size_t k = i + 1;
        for (; k < bs->n; k++) {
            const lzs_block_t *e = &bs->v[k];
            if (e->kind == LZS_BLOCK_PAGE_BREAK || (e->flags & (LZS_BF_PAGE_TOP | LZS_BF_PAGE_BOTTOM)))
                continue;
            size_t tn = lzs_toc_entry_text(e->text, e->len);
            char *key = fold_n(e->text, tn);
            if (key == NULL) {
                free(first);
                return LZS_ERR_NOMEM;
            }
            int entry = (e->flags & LZS_BF_TOC) || tn < e->len || lzs_line_is_toc_entry(e->text, e->len);
            if (!entry && first && strcmp(key, first) == 0) {
                free(key);
                break; /* the first entry again: the body starts */
            }
            if (!entry && e->len > 120 && lzs_ends_terminal(e->text, e->len)) {
                free(key);
                break; /* body text */
            }
            if (first == NULL) {
                first = key;
            } else {
                free(key);
            }
            drop[k] = 1;
        }
        free(first);
        i = k > i ? k - 1 : i;
    }
    return LZS_OK;
}

lzs_status_t lzs_layout_clean(const lzs_extractor_t *ex, lzs_blocks_t *bs)
{
    if (bs->st != LZS_OK)
        return bs->st;
    unsigned char *drop = calloc(bs->n ? bs->n : 1, 1);
    if (drop == NULL)
        return LZS_ERR_NOMEM;
    lzs_status_t st = find_furniture(ex, bs, drop);
    if (st == LZS_OK)
        st = find_contents(ex, bs, drop);
    for (size_t i = 0; i < bs->n && st == LZS_OK; i++) {
        const lzs_block_t *b = &bs->v[i];
        if (drop[i] && b->len > 0)
            st = lzs_blocks_add_furniture(bs, b->text, b->len);
        /* page breaks, contents lists, and decorative rules ("....", "____") */
        if (b->kind == LZS_BLOCK_PAGE_BREAK || (b->flags & LZS_BF_TOC) ||
            (b->kind == LZS_BLOCK_PARAGRAPH && lzs_line_is_rule(b->text, b->len, NULL)))
            drop[i] = 1;
    }
    /* Drop from the end so that the indices of drop[] stay those of the blocks. */
    for (size_t i = bs->n; i > 0 && st == LZS_OK; i--) {
        if (drop[i - 1])
            lzs_blocks_remove(bs, i - 1);
    }
    free(drop);
    if (st == LZS_OK)
        st = join_across_pages(ex, bs);
    /* Line-end hyphens, by the document's own spellings. */
    lzs_strlist_t words = {0};
    for (size_t i = 0; i < bs->n && st == LZS_OK; i++)
        st = collect_words(bs->v[i].text, &words);
    if (st == LZS_OK) {
        lzs_strlist_sort(&words);
        for (size_t i = 0; i < bs->n && st == LZS_OK; i++)
            st = dehyphenate(ex, &words, bs, &bs->v[i]);
    }
    lzs_strlist_clear(&words);
    return st != LZS_OK ? st : bs->st;
}

/* ---- lines of a text converted from pages ---------------------------------------------- */

/* A page number line as printed, with its number; 0 when the line is none. "Page 3 of
 * 14", "- 3 -" and "3/14" say what they are; a bare "3" only counts in a sequence. */
static unsigned page_number_of(const lzs_extractor_t *ex, const lzs_line_t *l, int *bare)
{
    char buf[64];
    if (l->n == 0 || l->n >= sizeof buf)
        return 0;
    memcpy(buf, l->s, l->n);
    buf[l->n] = '\0';
    if (!lzs_layout_is_page_number(ex, buf))
        return 0;
    size_t i = 0;
    while (buf[i] && !isdigit((unsigned char)buf[i]))
        i++;
    *bare = strspn(buf, "0123456789") == l->n;
    return (unsigned)strtoul(buf + i, NULL, 10);
}

/* A document code followed by a page number: "T-ES(2021)24_en 2", "T-ES(2019)07 - 3". */
static int code_and_page(const lzs_extractor_t *ex, const lzs_line_t *l)
{
    char buf[128];
    if (l->n >= sizeof buf)
        return 0;
    memcpy(buf, l->s, l->n);
    buf[l->n] = '\0';
    lzs_ref_t r;
    size_t k = lzs_parse_ref(buf, &r);
    if (k == 0 || buf[k] == '\0')
        return 0;
    k = lzs_skip_spaces(buf, k);
    if ((buf[k] == '-' || buf[k] == '|') && buf[k + 1] == ' ')
        k = lzs_skip_spaces(buf, k + 1);
    return lzs_layout_is_page_number(ex, buf + k);
}

/* The line's key for repetition: lower case, digit runs as "#". Caller frees. */
static char *line_key(const lzs_line_t *l)
{
    char *t = malloc(l->n + 1);
    if (t == NULL)
        return NULL;
    memcpy(t, l->s, l->n);
    t[l->n] = '\0';
    char *k = furniture_key(t);
    free(t);
    return k;
}

/* "12 Andorra, ...": a note's number (one to three digits, not a year), a space and
 * text. */
static int note_start(const lzs_line_t *l)
{
    size_t d = 0;
    while (d < l->n && d < 4 && isdigit((unsigned char)l->s[d]))
        d++;
    if (d == 0 || d > 3 || d >= l->n || (l->s[d] != ' ' && l->s[d] != '\t'))
        return 0;
    size_t k = d;
    while (k < l->n && (l->s[k] == ' ' || l->s[k] == '\t'))
        k++;
    return k < l->n && !isdigit((unsigned char)l->s[k]) && strtoul(l->s, NULL, 10) > 0;
}

/* The notes at the bottom of each page: walking back from a page boundary (a form feed,
 * page furniture, the end of the text), blank-separated blocks whose first line starts a
 * note, as long as there are such blocks. */
static void mark_notes(lzs_line_t *lines, size_t n)
{
    for (size_t b = 1; b <= n; b++) {
        int boundary = b == n || lines[b].page != lines[b - 1].page ||
                       (lines[b].furniture && !lines[b - 1].furniture);
        if (!boundary)
            continue;
        size_t e = b; /* end (exclusive) of the zone being examined */
        for (;;) {
            while (e > 0 && (lines[e - 1].n == 0 || lines[e - 1].furniture))
                e--;
            size_t s = e;
            while (s > 0 && lines[s - 1].n > 0 && !lines[s - 1].furniture)
                s--;
            if (s == e || !note_start(&lines[s]) || s == 0)
                break;
            for (size_t k = s; k < e; k++) {
                if (note_start(&lines[k]))
                    lines[k].note = 1;
            }
            e = s;
        }
    }
}

/* Marks page numbers as furniture: shaped ones anywhere a page could end; bare ones only
 * when they count up through the text, or next to a form feed. */
static void mark_page_numbers(const lzs_extractor_t *ex, lzs_line_t *lines, size_t n)
{
    int paged = lines[n - 1].page > 1;
    unsigned last_bare = 0, nbare = 0;
    for (size_t i = 0; i < n; i++) {
        int bare = 0;
        unsigned v = lines[i].n ? page_number_of(ex, &lines[i], &bare) : 0;
        if (v && bare && v > last_bare) {
            last_bare = v;
            nbare++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (lines[i].n == 0)
            continue;
        if (code_and_page(ex, &lines[i])) {
            lines[i].furniture = 1; /* "T-ES(2021)24_en 2": a running header */
            continue;
        }
        int bare = 0;
        unsigned v = page_number_of(ex, &lines[i], &bare);
        /* a bare number set far right or centred on its line is a page number too */
        if (v && (!bare || nbare >= 2 || paged || lines[i].indent >= 30))
            lines[i].furniture = 1;
    }
}

/* Fills near[i] with 1 + the page boundary (form feed, else page number found) that line i
 * stands next to among the three text lines before or after it, or leaves it 0. */
static void mark_near_boundaries(const lzs_line_t *lines, size_t n, size_t *near)
{
    size_t nb = 0, last = 0;
    for (size_t i = 0; i < n; i++) {
        int boundary = (i > 0 && lines[i].page != lines[i - 1].page) || lines[i].furniture;
        if (!boundary)
            continue;
        /* a page number just before a form feed is the same boundary */
        size_t text_between = 0;
        for (size_t k = last; nb > 0 && k < i; k++)
            text_between += lines[k].n > 0 && !lines[k].furniture;
        if (nb == 0 || text_between > 0)
            nb++;
        last = i;
        size_t seen = 0;
        for (size_t k = i; k < n && seen < 3; k++) {
            if (lines[k].n == 0)
                continue;
            near[k] = nb;
            seen++;
        }
        seen = 0;
        for (size_t k = i; k > 0 && seen < 3; k--) {
            if (lines[k - 1].n == 0)
                continue;
            near[k - 1] = nb;
            seen++;
        }
    }
}

/* Fills keys[i] with the repetition key of each line that could be running text (caller
 * frees each); LZS_ERR_NOMEM when one could not be made. */
static lzs_status_t running_keys(const lzs_line_t *lines, size_t n, char **keys)
{
    for (size_t i = 0; i < n; i++) {
        if (lines[i].n == 0 || lines[i].n > 150 || lines[i].furniture)
            continue;
        /* a running line has words: "1." twice is two paragraph numbers */
        size_t letters = 0;
        for (size_t k = 0; k < lines[i].n; k++)
            letters += isalpha((unsigned char)lines[i].s[k]) || (unsigned char)lines[i].s[k] >= 0xC3;
        if (letters < 2)
            continue;
        keys[i] = line_key(&lines[i]);
        if (keys[i] == NULL)
            return LZS_ERR_NOMEM;
    }
    return LZS_OK;
}

/* A line repeated near two page boundaries is a running header or footer; the reference
 * line repeated anywhere is one too (all but its first). */
static void mark_repeats(lzs_line_t *lines, size_t n, const size_t *near, char *const *keys)
{
    for (size_t i = 0; i < n; i++) {
        if (keys[i] == NULL)
            continue;
        char tmp[160];
        snprintf(tmp, sizeof tmp, "%.*s", (int)lines[i].n, lines[i].s);
        int is_ref = lzs_is_whole_ref(tmp);
        for (size_t k = i + 1; k < n; k++) {
            if (keys[k] == NULL || strcmp(keys[i], keys[k]) != 0)
                continue;
            /* near two different page boundaries: not two notes of one page */
            if (near[i] && near[k] && near[i] != near[k]) {
                lines[i].furniture = 1;
                lines[k].furniture = 1;
            } else if (is_ref) {
                lines[k].furniture = 1;
            }
        }
    }
}

lzs_status_t lzs_layout_mark_lines(const lzs_extractor_t *ex, lzs_line_t *lines, size_t n)
{
    if (n == 0)
        return LZS_OK;
    size_t *near = calloc(n, sizeof *near);
    char **keys = calloc(n, sizeof *keys);
    if (near == NULL || keys == NULL) {
        free(near);
        free(keys);
        return LZS_ERR_NOMEM;
    }
    mark_page_numbers(ex, lines, n);
    mark_near_boundaries(lines, n, near);
    lzs_status_t st = running_keys(lines, n, keys);
    if (st == LZS_OK)
        mark_repeats(lines, n, near, keys);
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    free(near);
    if (st == LZS_OK)
        mark_notes(lines, n);
    return st;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

size_t lzs_layout_wrap_width(const lzs_line_t *lines, size_t n)
{
    size_t *len = malloc((n ? n : 1) * sizeof *len);
    if (len == NULL)
        return 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        /* a line followed by another text line: one that may have been wrapped */
        if (lines[i].n > 0 && !lines[i].furniture && i + 1 < n && lines[i + 1].n > 0)
            len[m++] = lines[i].n;
    }
    size_t width = 0;
    if (m >= 8) {
        qsort(len, m, sizeof *len, cmp_size);
        size_t w = len[m * 9 / 10];
        size_t full = 0;
        for (size_t i = 0; i < m; i++)
            full += len[i] * 4 >= w * 3 && len[i] <= w + w / 5;
        /* Hard-wrapped: lines end near one width, and it is a width people wrap at. */
        if (w >= 40 && w <= 130 && full * 2 >= m)
            width = w;
    }
    free(len);
    return width;
}
