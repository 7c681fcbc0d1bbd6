/* structure.c — the structure stage: blocks become the document's passages. Headings
 * open sections (ranked by their numbering, their markdown level or their words);
 * numbered lines are decision paragraphs or agenda items, told apart by which numbering
 * they continue; "The Committee requires:" opens a list of recommendations. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stage.h"

/* What the structure stage reads of a block. */
typedef enum { U_HEADING, U_NUMBERED, U_PARA, U_LIST, U_FOOTNOTE, U_NONE } utype_t;

typedef struct {
    utype_t type;
    const char *label; /* number, roman numeral, letter or footnote number; "" when none */
    int md_level;      /* 1-6 for headings the format marks with a level */
    int roman;         /* label is a roman numeral (with optional .N parts) */
    int depth;         /* parts of a numbered label: "2.1.1" -> 3 */
    int lines;         /* source lines joined into it */
    int letter;        /* label is a capital letter ("A") */
    int cell;          /* a table cell or a caption: text, never a heading */
} unit_t;

static unit_t view(const lzs_block_t *b)
{
    unit_t u = {.type = U_NONE,
                .label = b->number,
                .md_level = b->level,
                .roman = (b->flags & LZS_BF_ROMAN) != 0,
                .depth = b->depth,
                .lines = b->lines,
                .letter = (b->flags & LZS_BF_LETTERED) != 0,
                .cell = (b->flags & LZS_BF_CAPTION) != 0};
    switch (b->kind) {
    case LZS_BLOCK_HEADING:
        u.type = U_HEADING;
        break;
    case LZS_BLOCK_PARAGRAPH:
        u.type = b->number[0] ? U_NUMBERED : U_PARA;
        break;
    case LZS_BLOCK_TABLE_CELL:
        u.type = U_PARA;
        u.label = "";
        u.cell = 1;
        break;
    case LZS_BLOCK_LIST_ITEM:
        u.type = U_LIST;
        break;
    case LZS_BLOCK_FOOTNOTE:
        u.type = U_FOOTNOTE;
        break;
    case LZS_BLOCK_PAGE_BREAK:
    case LZS_BLOCK_KIND_COUNT:
        break;
    }
    return u;
}

static void stack_pop_to(lzs_parse_t *ps, int rank)
{
    while (ps->depth > 0 && ps->stack[ps->depth - 1].rank >= rank) {
        lzs_head_t *h = &ps->stack[--ps->depth];
        free(h->text);
        lzs_strlist_clear(&h->articles);
    }
}

/* A heading that starts with a word of its own level ("Appendix", "Annex 2: ...";
 * headings.tsv, role "top"). -1 when out of memory. */
static int is_top_heading_word(const lzs_extractor_t *ex, const char *plain)
{
    char *key = lzs_fold_key(plain);
    if (key == NULL)
        return -1;
    int found = 0;
    for (size_t i = 0; i < ex->top_headings.n && !found; i++) {
        const char *w = ex->top_headings.items[i];
        size_t n = strlen(w);
        found = strncmp(key, w, n) == 0 && (key[n] == '\0' || key[n] == ' ');
    }
    free(key);
    return found;
}

/* The rank of a heading in the section path (1 = outermost). Numbered headings rank by
 * their numbering, roman numerals above arabic ones; unnumbered headings sit below the
 * innermost numbered one, and nest by markdown level only where nothing is numbered. */
static int heading_rank(lzs_parse_t *ps, const unit_t *u, const char *plain)
{
    int roman_above = 0;
    int base = 0;
    for (size_t i = 0; i < ps->depth; i++) {
        if (ps->stack[i].numbered) {
            base = ps->stack[i].rank;
            if (ps->stack[i].numbered == 2)
                roman_above = 1;
        }
    }
    if (u->label[0] && u->type != U_FOOTNOTE) {
        if (u->roman)
            return u->depth;
        /* under a roman chapter, "A." is a section of it, and "1." of "A." */
        int letter_above = 0;
        for (size_t i = 0; i < ps->depth; i++)
            letter_above |= ps->stack[i].numbered == 3;
        if (u->letter)
            return 1 + roman_above;
        int r = u->depth;
        for (size_t i = 0; i < ps->depth; i++) {
            if (ps->stack[i].numbered == 2 && ps->stack[i].rank < r + 1) {
                roman_above = 1;
                break;
            }
        }
        return r + (roman_above ? 1 : 0) + letter_above;
    }
    int top = is_top_heading_word(ps->ex, plain);
    if (top < 0)
        ps->st = LZS_ERR_NOMEM;
    if (top != 0)
        return 1;
    if (base == 0 && u->md_level > 0) {
        for (size_t i = ps->depth; i > 0; i--) {
            const lzs_head_t *h = &ps->stack[i - 1];
            if (h->md_level > 0 && h->md_level < u->md_level)
                return h->rank + 1;
        }
        return 1;
    }
    if (base == 0) {
        /* A bold line under a "#" heading is a heading inside it, not beside it. */
        for (size_t i = ps->depth; i > 0; i--) {
            if (ps->stack[i - 1].md_level > 0)
                return ps->stack[i - 1].rank + 1;
        }
    }
    return base + 1;
}

static lzs_passage_t *new_passage(lzs_parse_t *ps, lzs_kind_t kind, const char *label, char *text,
                                  lzs_marks_t *marks)
{
    lzs_passage_t *p = lzs_document_add_passage(ps->doc);
    if (p == NULL) {
        free(text);
        lzs_marks_free(marks);
        ps->st = LZS_ERR_NOMEM;
        return NULL;
    }
    if (ps->doc->npassages > ps->nmarks) {
        size_t cap = ps->nmarks ? ps->nmarks * 2 : 64;
        while (cap < ps->doc->npassages)
            cap *= 2;
        lzs_marks_t *m = realloc(ps->marks, cap * sizeof *m);
        if (m == NULL) {
            free(text);
            lzs_marks_free(marks);
            ps->st = LZS_ERR_NOMEM;
            return NULL;
        }
        memset(m + ps->nmarks, 0, (cap - ps->nmarks) * sizeof *m);
        ps->marks = m;
        ps->nmarks = cap;
    }
    ps->marks[ps->doc->npassages - 1] = *marks;
    memset(marks, 0, sizeof *marks);
    p->kind = kind;
    p->text = text;
    if (label && label[0]) {
        p->label = strdup(label);
        if (p->label == NULL)
            ps->st = LZS_ERR_NOMEM;
    }
    p->page = ps->page;
    for (size_t i = 0; i < ps->depth && ps->st == LZS_OK; i++)
        ps->st = lzs_strlist_push(&p->section, ps->stack[i].text);
    if (ps->st == LZS_OK)
        ps->st = lzs_domain_annotate(ps, p);
    return ps->st == LZS_OK ? p : NULL;
}

static void push_heading(lzs_parse_t *ps, const unit_t *u, char *plain, lzs_marks_t *marks)
{
    int rank = heading_rank(ps, u, plain);
    if (rank < 1)
        rank = 1;
    stack_pop_to(ps, rank);
    const char *label = u->label[0] ? u->label : NULL;
    lzs_passage_t *p = new_passage(ps, LZS_KIND_HEADING, label, plain, marks);
    if (p == NULL)
        return;
    if (ps->depth == sizeof ps->stack / sizeof ps->stack[0])
        stack_pop_to(ps, ps->stack[ps->depth - 1].rank);
    lzs_head_t *h = &ps->stack[ps->depth];
    memset(h, 0, sizeof *h);
    h->rank = rank;
    h->numbered = u->label[0] ? (u->roman ? 2 : u->letter ? 3 : 1) : 0;
    h->md_level = u->md_level;
    h->text = strdup(p->text);
    if (h->text == NULL) {
        ps->st = LZS_ERR_NOMEM;
        return;
    }
    for (size_t i = 0; i < p->articles.n && ps->st == LZS_OK; i++)
        ps->st = lzs_strlist_push(&h->articles, p->articles.items[i]);
    ps->depth++;
    ps->rec_active = 0;
}


/* A numbered line too long to look like a heading that still heads text: it ends no
 * sentence and the text under it is an unnumbered paragraph ("1. Élaboration et
 * adoption du 1er rapport ... – Le cadre" over two lines, then "Le 1er rapport ..."). */
static int heads_text(const lzs_parse_t *ps, size_t ui, const char *plain)
{
    size_t n = strlen(plain);
    if (n > 300 || lzs_ends_terminal(plain, n) || plain[n - 1] == ',' || ps->blocks == NULL ||
        ui + 1 >= ps->blocks->n)
        return 0;
    const lzs_block_t *next = &ps->blocks->v[ui + 1];
    return next->kind == LZS_BLOCK_PARAGRAPH && next->number[0] == '\0' &&
           lzs_ends_terminal(next->text, next->len);
}

/* A heading in a text without markup; in the title block, just under the title, a
 * subtitle may run longer ("... facilitated by information and communication
 * technologies (ICTs)"). */
static int looks_heading_at(const lzs_parse_t *ps, size_t ui, const char *plain)
{
    if (lzs_looks_heading(plain))
        return 1;
    size_t n = strlen(plain);
    /* the title itself, wrapped over lines, may run longer still */
    size_t max = ui == ps->title_block ? 400 : 300;
    return ps->title_block < LZS_FRONT_BLOCKS && ui >= ps->title_block &&
           ui <= ps->title_block + 3 && n > 150 && n <= max && !lzs_ends_terminal(plain, n) &&
           plain[n - 1] != ',' && isupper((unsigned char)plain[0]) && !strstr(plain, ". ");
}

static void handle_body(lzs_parse_t *ps, const unit_t *u, char *plain, lzs_marks_t *marks, size_t ui)
{
    const char *label = u->type == U_NUMBERED ? u->label : NULL;
    if (u->type == U_PARA && !u->cell && u->lines == 1 && looks_heading_at(ps, ui, plain) &&
        !lzs_title_page_line(ps, ui, plain) && !lzs_is_field_line(plain)) {
        /* "The Committee invites:" is short and looks like a heading, but opens a list of
         * recommendations. */
        size_t after = 0;
        lzs_words_reset(&ps->words);
        ps->st = lzs_words_fold(&ps->words, plain, strlen(plain));
        if (ps->st != LZS_OK) {
            free(plain);
            lzs_marks_free(marks);
            return;
        }
        if (lzs_domain_rec_verb(ps, &after) == LZS_LEVEL_NONE) {
            ps->rec_active = 0;
            push_heading(ps, u, plain, marks);
            return;
        }
    }
    lzs_passage_t *p = new_passage(ps, LZS_KIND_PARAGRAPH, label, plain, marks);
    if (p == NULL)
        return;
    size_t after = 0;
    lzs_level_t level = lzs_domain_rec_verb(ps, &after);
    ps->rec_active = 0;
    if (level == LZS_LEVEL_NONE)
        return;
    int all = 0;
    lzs_strlist_t codes = {0};
    int named = lzs_domain_addressees(ps, after, &all, &codes);
    size_t tl = strlen(p->text);
    if (tl > 0 && p->text[tl - 1] == ':') {
        /* "The Committee invites all Parties:" opens a list of recommendations. */
        ps->rec_active = 1;
        ps->rec_level = level;
        ps->rec_all = all;
        lzs_strlist_clear(&ps->rec_addr);
        ps->rec_addr = codes;
        return;
    }
    char id[32];
    if (named || lzs_domain_inline_rec_id(p->text, id, sizeof id) || ps->marks[p->ordinal - 1].n > 0) {
        lzs_domain_make_recommendation(ps, p, level);
        if (ps->st == LZS_OK)
            lzs_domain_set_addressees(ps, p, all, &codes);
    }
    lzs_strlist_clear(&codes);
}

static void handle_list(lzs_parse_t *ps, const unit_t *u, char *plain, lzs_marks_t *marks)
{
    lzs_passage_t *p = new_passage(ps, LZS_KIND_LIST_ITEM, u->label, plain, marks);
    if (p == NULL || !ps->rec_active)
        return;
    lzs_domain_make_recommendation(ps, p, ps->rec_level);
    int all = 0;
    lzs_strlist_t codes = {0};
    if (ps->st == LZS_OK && lzs_domain_addressees(ps, 0, &all, &codes) && (all || codes.n > 0))
        lzs_domain_set_addressees(ps, p, all, &codes);
    else if (ps->st == LZS_OK)
        lzs_domain_set_addressees(ps, p, ps->rec_all, &ps->rec_addr);
    lzs_strlist_clear(&codes);
}

static void handle_unit(lzs_parse_t *ps, const unit_t *u, char *plain, lzs_marks_t *marks, size_t ui)
{
    switch (u->type) {
    case U_HEADING:
        if (u->md_level == 0 && u->label[0] == '\0' &&
            (ui < ps->title_block || (ps->title_block < LZS_FRONT_BLOCKS &&
                                      lzs_title_page_line(ps, ui, plain)))) {
            /* a bold or underlined line of the letterhead */
            new_passage(ps, LZS_KIND_PARAGRAPH, NULL, plain, marks);
            return;
        }
        push_heading(ps, u, plain, marks);
        return;
    case U_NUMBERED: {
        long n = strtol(u->label, NULL, 10);
        int para;
        if (n == ps->next_para && n != ps->next_head)
            para = 1;
        else if (n == ps->next_head && n != ps->next_para)
            para = 0;
        else
            para = !(lzs_looks_heading(plain) && strlen(plain) <= 250) &&
                   !heads_text(ps, ui, plain);
        if (!para) {
            ps->next_head = n + 1;
            ps->rec_active = 0;
            /* the heading text carries its number, as a reader sees it */
            char *full = NULL;
            if (asprintf(&full, "%s. %s", u->label, plain) < 0) {
                free(plain);
                lzs_marks_free(marks);
                ps->st = LZS_ERR_NOMEM;
                return;
            }
            free(plain);
            unit_t hu = *u;
            hu.depth = 1;
            push_heading(ps, &hu, full, marks);
            return;
        }
        ps->next_para = n + 1;
        handle_body(ps, u, plain, marks, ui);
        return;
    }
    case U_PARA:
        handle_body(ps, u, plain, marks, ui);
        return;
    case U_LIST:
        handle_list(ps, u, plain, marks);
        return;
    case U_FOOTNOTE:
        new_passage(ps, LZS_KIND_FOOTNOTE, u->label, plain, marks);
        return;
    case U_NONE:
        break;
    }
    free(plain);
    lzs_marks_free(marks);
}

/* Where to cut a text longer than LZS_PASSAGE_MAX: after the last sentence end in its
 * second half, else at the last space there, else at a character boundary. */
static size_t cut_point(const char *t, size_t n)
{
    if (n <= LZS_PASSAGE_MAX)
        return n;
    size_t max = LZS_PASSAGE_MAX;
    for (size_t k = max; k > max / 2; k--) {
        if (t[k - 1] == ' ' && k >= 2 && strchr(".;!?", t[k - 2]))
            return k;
    }
    for (size_t k = max; k > max / 2; k--) {
        if (t[k - 1] == ' ')
            return k;
    }
    size_t k = max;
    while (k > 0 && ((unsigned char)t[k] & 0xC0) == 0x80)
        k--;
    return k;
}

/* A passage that goes on with the paragraph of the passage before it: the same kind,
 * label and, for a recommendation, the same identity. */
static void continue_passage(lzs_parse_t *ps, char *text)
{
    size_t prev = ps->doc->npassages - 1;
    lzs_marks_t none = {0};
    char *label = ps->doc->passages[prev].label ? strdup(ps->doc->passages[prev].label) : NULL;
    lzs_passage_t *p = new_passage(ps, ps->doc->passages[prev].kind, label, text, &none);
    free(label);
    if (p == NULL)
        return;
    const lzs_passage_t *q = &ps->doc->passages[prev];
    p->level = q->level;
    if (q->rec_id && (p->rec_id = strdup(q->rec_id)) == NULL)
        ps->st = LZS_ERR_NOMEM;
    for (size_t k = 0; k < q->addressees.n && ps->st == LZS_OK; k++)
        ps->st = lzs_strlist_push(&p->addressees, q->addressees.items[k]);
}

/* Cuts text into pieces of at most LZS_PASSAGE_MAX bytes; the first stays in *text, the
 * others are returned (NULL-terminated; caller frees each and the array). */
static char **split_long(lzs_parse_t *ps, char **text)
{
    size_t n = strlen(*text);
    if (n <= LZS_PASSAGE_MAX)
        return NULL;
    size_t cap = n / (LZS_PASSAGE_MAX / 2) + 2;
    char **rest = calloc(cap, sizeof *rest);
    if (rest == NULL) {
        ps->st = LZS_ERR_NOMEM;
        return NULL;
    }
    size_t k = cut_point(*text, n);
    const char *t = *text + k;
    size_t left = n - k, r = 0;
    while (left > 0 && r + 1 < cap) {
        size_t c = cut_point(t, left);
        rest[r] = strndup(t, c);
        if (rest[r] == NULL) {
            ps->st = LZS_ERR_NOMEM;
            break;
        }
        /* trailing space of a cut */
        size_t rl = strlen(rest[r]);
        while (rl > 0 && rest[r][rl - 1] == ' ')
            rest[r][--rl] = '\0';
        r++;
        t += c;
        left -= c;
    }
    (*text)[k] = '\0';
    while (k > 0 && (*text)[k - 1] == ' ')
        (*text)[--k] = '\0';
    return rest;
}

void lzs_structure_build(lzs_parse_t *ps, lzs_blocks_t *bs)
{
    ps->blocks = bs;
    for (size_t i = 0; i < bs->n && ps->st == LZS_OK; i++) {
        lzs_block_t *b = &bs->v[i];
        unit_t u = view(b);
        if (u.type == U_NONE || b->len == 0 || (ps->used && ps->used[i]))
            continue;
        /* The passage takes the block's text and markers. */
        char *plain = b->text;
        lzs_marks_t marks = {.v = b->marks, .n = b->nmarks, .cap = b->capmarks};
        b->text = NULL;
        b->len = 0;
        b->marks = NULL;
        b->nmarks = b->capmarks = 0;
        ps->page = b->page;
        char **rest = split_long(ps, &plain);
        size_t before = ps->doc->npassages;
        handle_unit(ps, &u, plain, &marks, i);
        for (size_t k = 0; rest && rest[k]; k++) {
            if (ps->st == LZS_OK && ps->doc->npassages > before)
                continue_passage(ps, rest[k]);
            else
                free(rest[k]);
        }
        free(rest);
    }
}

void lzs_parse_free(lzs_parse_t *ps)
{
    stack_pop_to(ps, 0);
    for (size_t i = 0; i < ps->nmarks; i++)
        lzs_marks_free(&ps->marks[i]);
    free(ps->marks);
    lzs_words_free(&ps->words);
    lzs_strlist_clear(&ps->rec_addr);
    free(ps->title);
    free(ps->full_title);
    free(ps->used);
}
