/* header.c — the document header stage: what the top of a document says about it (its
 * reference code, date, type and title, above them the letterhead), and the document's
 * metadata assembled from that, its file name and its sidecar. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stage.h"

/* A reference code filling the whole text: "T-ES(2021)31_en", "T-ES(2020)23 rev." */
static size_t ref_len(const char *s)
{
    size_t i = 0;
    while (isupper((unsigned char)s[i]) && i < 8)
        i++;
    if (i == 0)
        return 0;
    while (s[i] == '-' && isupper((unsigned char)s[i + 1])) {
        i++;
        while (isupper((unsigned char)s[i]))
            i++;
    }
    /* byte by byte, so that a short string ends the test before its end is passed */
    if (s[i] != '(' || !isdigit((unsigned char)s[i + 1]) || !isdigit((unsigned char)s[i + 2]) ||
        !isdigit((unsigned char)s[i + 3]) || !isdigit((unsigned char)s[i + 4]) || s[i + 5] != ')' ||
        !isdigit((unsigned char)s[i + 6]))
        return 0;
    i += 6;
    while (isdigit((unsigned char)s[i]))
        i++;
    if (strncmp(s + i, " rev", 4) == 0 || strncmp(s + i, "rev", 3) == 0) {
        i += s[i] == ' ' ? 4 : 3;
        if (s[i] == '.')
            i++;
    }
    if (s[i] == '_' && isalpha((unsigned char)s[i + 1]) && isalpha((unsigned char)s[i + 2]) &&
        !isalnum((unsigned char)s[i + 3]))
        i += 3;
    return i;
}

int lzs_is_whole_ref(const char *s)
{
    size_t n = ref_len(s);
    return n > 0 && s[n] == '\0';
}

/* The document type a title line announces ("List of decisions", "FACTSHEET – ..."),
 * from doctypes.tsv: the longest phrase that the line's words start with. Only a short line
 * counts: body text mentions report names everywhere. -2 when out of memory. */
static int type_of_line(const lzs_extractor_t *ex, const char *plain)
{
    if (strlen(plain) > 160)
        return -1;
    char *key = lzs_fold_key(plain);
    if (key == NULL)
        return -2;
    int type = -1;
    size_t best = 0;
    for (size_t i = 0; i < ex->ntypephrases; i++) {
        const char *ph = ex->typephrases[i].key;
        size_t n = strlen(ph);
        if (n > best && strncmp(key, ph, n) == 0 && (key[n] == '\0' || key[n] == ' ')) {
            type = ex->typephrases[i].type;
            best = n;
        }
    }
    free(key);
    return type;
}

/* A short line with no sentence ending: a heading in a text without markup. */
int lzs_looks_heading(const char *plain)
{
    size_t n = strlen(plain);
    if (n == 0 || n > 150)
        return 0;
    unsigned char c = (unsigned char)plain[0];
    if (!(isupper(c) || isdigit(c) || c >= 0xC3 || c == '"'))
        return 0;
    if (strstr(plain, "://") || strchr(plain, '@'))
        return 0;
    char last = plain[n - 1];
    if (last == '.' || last == ';' || last == ',' || last == '!' || last == '?')
        return 0;
    if (last == ':') {
        size_t words = 1;
        for (size_t i = 0; i < n; i++)
            words += plain[i] == ' ';
        return n <= 30 && words <= 4;
    }
    return 1;
}

/* "Venue: KUDO platform", "Lieu : Strasbourg": one word, a colon and a value. */
static int is_field_line(const char *plain)
{
    const char *colon = strchr(plain, ':');
    if (colon == NULL || colon == plain || strlen(plain) > 80)
        return 0;
    const char *e = colon;
    while (e > plain && e[-1] == ' ')
        e--;
    for (const char *c = plain; c < e; c++) {
        if (*c == ' ')
            return 0;
    }
    const char *v = colon + 1;
    while (*v == ' ')
        v++;
    return e > plain && *v != '\0' && strchr(v, ':') == NULL;
}

/* A short line of the title page that is no heading, though it looks like one: a line of
 * the letterhead above the title, a line that gives a date ("21-22 September 2021",
 * "Adopted by the Lanzarote Committee on 7 October 2021") or a field ("Venue: KUDO
 * platform"). Headings head text; these only say something about the document. */
int lzs_title_page_line(const lzs_parse_t *ps, size_t ui, const char *plain)
{
    if (ui >= LZS_FRONT_BLOCKS)
        return 0;
    if (ui < ps->title_block && ps->title_block < LZS_FRONT_BLOCKS)
        return 1;
    char d[16];
    return lzs_parse_date(ps->ex, plain, 0, d, sizeof d) || is_field_line(plain);
}



static int known_lang_suffix(const char *s, size_t n, char *lang)
{
    /* "NAME_en", "NAME-fr" */
    if (n >= 4 && (s[n - 3] == '_' || s[n - 3] == '-') && islower((unsigned char)s[n - 2]) &&
        islower((unsigned char)s[n - 1])) {
        static const char *const langs[] = {"en", "fr", "de", "es", "it", "ru", "pt",
                                            "nl", "el", "tr", "uk", "pl", "ro", NULL};
        for (int i = 0; langs[i]; i++) {
            if (strncmp(s + n - 2, langs[i], 2) == 0) {
                lang[0] = s[n - 2];
                lang[1] = s[n - 1];
                lang[2] = '\0';
                return 1;
            }
        }
    }
    return 0;
}

/* The id of a reference: without language suffix and trailing dot. */
static char *ref_to_id(const char *ref)
{
    size_t n = strlen(ref);
    char lang[8];
    if (known_lang_suffix(ref, n, lang))
        n -= 3;
    while (n > 0 && (ref[n - 1] == '.' || ref[n - 1] == ' '))
        n--;
    return strndup(ref, n);
}



static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Title for a list of decisions: "List of decisions, 33rd and 34th meetings (remote)".
 * *out NULL when no line near the type says which meetings; caller frees with free(). */
static lzs_status_t decisions_title(const lzs_parse_t *ps, const lzs_blocks_t *bs, char **out)
{
    *out = NULL;
    for (size_t k = ps->type_block + 1; k < bs->n && k < ps->type_block + 4; k++) {
        const char *next = bs->v[k].text;
        if (strlen(next) < 120 && strcasestr(next, "meeting")) {
            if (asprintf(out, "%s, %s", ps->title, next) < 0) {
                *out = NULL;
                return LZS_ERR_NOMEM;
            }
            return LZS_OK;
        }
    }
    return LZS_OK;
}

/* ---- the scan of the title block ---------------------------------------------------- */

static int is_heading_or_para(const lzs_block_t *b)
{
    return b->kind == LZS_BLOCK_HEADING || b->kind == LZS_BLOCK_TABLE_CELL ||
           (b->kind == LZS_BLOCK_PARAGRAPH && b->number[0] == '\0');
}

static int is_para(const lzs_block_t *b)
{
    return b->kind == LZS_BLOCK_TABLE_CELL ||
           (b->kind == LZS_BLOCK_PARAGRAPH && b->number[0] == '\0');
}

/* Finds the title line that announces the document type near the top; the lines above it
 * are the letterhead ("LANZAROTE COMMITTEE", the Committee's full name over several
 * lines): the lines of one block of the letterhead become one block. */
static void find_title(lzs_parse_t *ps, lzs_blocks_t *bs)
{
    ps->title_block = LZS_FRONT_BLOCKS;
    for (size_t i = 0; i < bs->n && i < LZS_FRONT_BLOCKS && ps->st == LZS_OK; i++) {
        if (!is_heading_or_para(&bs->v[i]))
            continue;
        int t = type_of_line(ps->ex, bs->v[i].text);
        if (t == -2)
            ps->st = LZS_ERR_NOMEM;
        if (t >= 0) {
            ps->title_block = i;
            break;
        }
    }
    /* Only names stand above a title: a sentence there means that the line is no title
     * but a mention in the text ("Presentation by ..." in a cover note). */
    for (size_t i = 0; i < ps->title_block && ps->title_block < LZS_FRONT_BLOCKS; i++) {
        const lzs_block_t *b = &bs->v[i];
        if (!is_heading_or_para(b) || lzs_ends_terminal(b->text, b->len))
            ps->title_block = LZS_FRONT_BLOCKS;
    }
    if (ps->title_block == LZS_FRONT_BLOCKS)
        return;
    for (size_t i = ps->title_block; i > 1 && ps->st == LZS_OK; i--) {
        lzs_block_t *u = &bs->v[i - 1], *above = &bs->v[i - 2];
        if (!is_para(u) || !is_para(above) || (u->flags & LZS_BF_BLANK_BEFORE) ||
            u->len == 0 || above->len == 0)
            continue;
        char d[16];
        if (lzs_is_whole_ref(u->text) || lzs_is_whole_ref(above->text) ||
            lzs_parse_date(ps->ex, u->text, 1, d, sizeof d) ||
            lzs_parse_date(ps->ex, above->text, 1, d, sizeof d))
            continue;
        if (lzs_block_append(bs, above, u->text, u->len) != LZS_OK)
            break;
        above->lines++;
        for (size_t k = 0; k < u->nmarks; k++)
            lzs_block_add_mark(bs, above, u->marks[k]);
        u->len = 0;
        u->text[0] = '\0'; /* an empty block makes no passage */
    }
    if (bs->st != LZS_OK)
        ps->st = bs->st;
}

void lzs_header_scan(lzs_parse_t *ps, lzs_blocks_t *bs)
{
    ps->used = calloc(bs->n ? bs->n : 1, 1);
    if (ps->used == NULL) {
        ps->st = LZS_ERR_NOMEM;
        return;
    }
    find_title(ps, bs);
    for (size_t i = 0; i < bs->n && i < LZS_FRONT_BLOCKS && ps->st == LZS_OK; i++) {
        const lzs_block_t *b = &bs->v[i];
        if (b->len == 0)
            continue;
        /* Type and title: the first line near the top that announces a type. */
        if (!ps->have_type && (b->kind == LZS_BLOCK_HEADING || is_para(b))) {
            int t = type_of_line(ps->ex, b->text);
            if (t == -2) {
                ps->st = LZS_ERR_NOMEM;
                return;
            }
            if (t >= 0) {
                ps->type = (lzs_doctype_t)t;
                ps->have_type = 1;
                ps->type_block = i;
                ps->title = strdup(b->text);
                if (ps->title == NULL) {
                    ps->st = LZS_ERR_NOMEM;
                    return;
                }
            }
        }
        /* Reference and date lines make no passage. */
        char d[16];
        if ((b->kind == LZS_BLOCK_HEADING || is_para(b)) && lzs_is_whole_ref(b->text)) {
            if (!ps->ref[0])
                snprintf(ps->ref, sizeof ps->ref, "%s", b->text);
            ps->used[i] = 1;
        } else if (is_para(b) && lzs_parse_date(ps->ex, b->text, 1, d, sizeof d)) {
            if (!ps->date[0])
                snprintf(ps->date, sizeof ps->date, "%s", d);
            ps->used[i] = 1;
        }
    }
    /* "Adopted by the Lanzarote Committee on 7 October 2021" near the top */
    for (size_t i = 0; i < bs->n && i < LZS_FRONT_BLOCKS && !ps->adopted[0]; i++) {
        const char *t = bs->v[i].text;
        if (strncasecmp(t, "Adopted", 7) != 0 && strncasecmp(t, "Adopt\u00e9", 7) != 0)
            continue;
        char d[16];
        if (lzs_parse_date(ps->ex, t, 0, d, sizeof d))
            snprintf(ps->adopted, sizeof ps->adopted, "%s", d);
    }
    if (ps->have_type && ps->type == LZS_DOC_DECISIONS &&
        decisions_title(ps, bs, &ps->full_title) != LZS_OK)
        ps->st = LZS_ERR_NOMEM;
}

lzs_status_t lzs_header_fill(lzs_parse_t *ps, const char *name, const lzs_sidecar_t *sc)
{
    lzs_document_t *doc = ps->doc;
    /* reference and id */
    size_t stem = lzs_extract_stem_len(name);
    char *fname = strndup(name, stem);
    if (fname == NULL)
        return LZS_ERR_NOMEM;
    const char *ref = NULL;
    if (sc->reference)
        ref = sc->reference;
    else if (ps->ref[0])
        ref = ps->ref;
    else if (lzs_is_whole_ref(fname))
        ref = fname;
    if (ref) {
        doc->ref = strdup(ref);
        doc->id = ref_to_id(ref);
    } else {
        doc->id = strdup(fname);
    }
    /* language: sidecar, name suffix, reference suffix, text */
    char lang[8] = "";
    if (sc->language)
        snprintf(lang, sizeof lang, "%s", sc->language);
    else if (known_lang_suffix(fname, strlen(fname), lang) ||
             (ref && known_lang_suffix(ref, strlen(ref), lang)))
        ;
    else {
        lzs_words_reset(&ps->words);
        size_t used = 0;
        for (size_t i = 0; i < doc->npassages && used < 40000; i++) {
            const char *t = doc->passages[i].text;
            size_t n = strlen(t);
            if (lzs_words_fold(&ps->words, t, n) != LZS_OK) {
                free(fname);
                return LZS_ERR_NOMEM;
            }
            used += n;
        }
        const char *g = lzs_guess_lang(ps->ex, &ps->words);
        snprintf(lang, sizeof lang, "%s", g[0] ? g : "en");
    }
    free(fname);
    memcpy(doc->lang, lang, sizeof doc->lang);
    /* type, date, title */
    doc->type =
        sc->type >= 0 ? (lzs_doctype_t)sc->type : (ps->have_type ? ps->type : LZS_DOC_OTHER);
    /* Every copy is checked: out of memory must never pass for a missing date, title or
     * address. */
    if (sc->date || ps->date[0]) {
        doc->date = strdup(sc->date ? sc->date : ps->date);
        if (doc->date == NULL)
            return LZS_ERR_NOMEM;
    } else {
        /* "Adopted by the Lanzarote Committee on 7 October 2021" near the top */
        if (ps->adopted[0]) {
            doc->date = strdup(ps->adopted);
            if (doc->date == NULL)
                return LZS_ERR_NOMEM;
        }
    }
    if (doc->date)
        doc->year = atoi(doc->date);
    if (sc->title)
        doc->title = strdup(sc->title);
    else if (ps->title) {
        doc->title = strdup(ps->full_title ? ps->full_title : ps->title);
    } else {
        for (size_t i = 0; i < doc->npassages && doc->title == NULL; i++) {
            if (doc->passages[i].kind != LZS_KIND_HEADING)
                continue;
            doc->title = strdup(doc->passages[i].text);
            if (doc->title == NULL)
                return LZS_ERR_NOMEM;
        }
        if (doc->title == NULL && doc->npassages > 0) {
            const char *t = doc->passages[0].text;
            size_t n = strlen(t);
            if (n > 200) {
                n = 200;
                while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
                    n--; /* do not split a character */
            }
            doc->title = strndup(t, n);
        }
        if (doc->title == NULL)
            doc->title = strdup(doc->id ? doc->id : name);
    }
    doc->url = dup_or_null(sc->url);
    if (sc->url && doc->url == NULL)
        return LZS_ERR_NOMEM;
    if (doc->id == NULL || doc->title == NULL || (ref && doc->ref == NULL))
        return LZS_ERR_NOMEM;
    return LZS_OK;
}

