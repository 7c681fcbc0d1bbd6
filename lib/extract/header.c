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

/* ---- reference codes ------------------------------------------------------------ */

static const char *const ref_langs[] = {"en", "fr", "de", "es", "it", "ru", "pt",
                                        "nl", "el", "tr", "uk", "pl", "ro", NULL};

static int known_lang(const char *s)
{
    for (int i = 0; ref_langs[i]; i++) {
        if (strncmp(s, ref_langs[i], 2) == 0)
            return 1;
    }
    return 0;
}

/* A revision or status word at s: "rev", "rev.", "Rev2", "rev. 2", "rév.", "final",
 * "FINAL". Writes its normalised form ("rev", "rev2", "final") and returns its length. */
static size_t revision_at(const char *s, char *out, size_t cap)
{
    size_t i;
    if (strncasecmp(s, "rev", 3) == 0)
        i = 3;
    else if (strncasecmp(s, "r\u00e9v", 4) == 0 || strncasecmp(s, "R\u00c9V", 4) == 0)
        i = 4;
    else if (strncasecmp(s, "final", 5) == 0 && !lzs_word_byte((unsigned char)s[5])) {
        snprintf(out, cap, "final");
        return 5;
    } else
        return 0;
    if (isalpha((unsigned char)s[i]) && strncasecmp(s + i, "ision", 5) != 0)
        return 0;
    if (strncasecmp(s + i, "ision", 5) == 0)
        i += 5;
    if (s[i] == '.')
        i++;
    size_t k = s[i] == ' ' && isdigit((unsigned char)s[i + 1]) ? i + 1 : i;
    size_t d = k;
    while (isdigit((unsigned char)s[d]) && d - k < 2)
        d++;
    if (d > k) {
        if (lzs_word_byte((unsigned char)s[d]))
            return 0;
        snprintf(out, cap, "rev%.*s", (int)(d - k), s + k);
        i = d;
        if (s[i] == '.')
            i++;
    } else {
        if (lzs_word_byte((unsigned char)s[i]))
            return 0;
        snprintf(out, cap, "rev");
    }
    return i;
}

size_t lzs_parse_ref(const char *s, lzs_ref_t *r)
{
    memset(r, 0, sizeof *r);
    size_t i = 0;
    while (isupper((unsigned char)s[i]) && i < 8)
        i++;
    if (i == 0)
        return 0;
    while (s[i] == '-' && isupper((unsigned char)s[i + 1])) {
        size_t k = i + 1;
        while (isupper((unsigned char)s[k]) && k - i < 9)
            k++;
        if (isupper((unsigned char)s[k]))
            return 0;
        i = k;
    }
    /* byte by byte, so that a short string ends the test before its end is passed */
    if (s[i] != '(' || !isdigit((unsigned char)s[i + 1]) || !isdigit((unsigned char)s[i + 2]) ||
        !isdigit((unsigned char)s[i + 3]) || !isdigit((unsigned char)s[i + 4]) || s[i + 5] != ')' ||
        !isdigit((unsigned char)s[i + 6]))
        return 0;
    i += 6;
    while (isdigit((unsigned char)s[i]) && i < 40)
        i++;
    if (isalnum((unsigned char)s[i]) && !(s[i] == 'r' || s[i] == 'R'))
        return 0;
    snprintf(r->code, sizeof r->code, "%.*s", (int)i, s);
    /* then, in either order: "_en" (or "-fr") and a revision, with or without a space */
    for (int round = 0; round < 3; round++) {
        if ((s[i] == '_' || s[i] == '-') && !r->lang[0] && islower((unsigned char)s[i + 1]) &&
            islower((unsigned char)s[i + 2]) && !lzs_word_byte((unsigned char)s[i + 3]) &&
            known_lang(s + i + 1)) {
            r->lang[0] = s[i + 1];
            r->lang[1] = s[i + 2];
            i += 3;
            continue;
        }
        size_t k = s[i] == ' ' || s[i] == '_' ? i + 1 : i;
        if (!r->revision[0]) {
            size_t n = revision_at(s + k, r->revision, sizeof r->revision);
            if (n > 0) {
                i = k + n;
                continue;
            }
        }
        break;
    }
    if (lzs_word_byte((unsigned char)s[i]) && !isspace((unsigned char)s[i]))
        return 0;
    return i;
}

/* A reference code filling the whole text, possibly with a remark in brackets:
 * "T-ES(2021)31_en", "T-ES(2020)23 rev.", "T-ES(2019)22_en rev2 (subject to editing)". */
static int whole_ref(const char *s, lzs_ref_t *r)
{
    size_t i = lzs_skip_spaces(s, 0);
    size_t n = lzs_parse_ref(s + i, r);
    if (n == 0)
        return 0;
    i = lzs_skip_spaces(s, i + n);
    if (s[i] == '(' || s[i] == '[') {
        const char *close = strchr(s + i, s[i] == '(' ? ')' : ']');
        if (close == NULL || close - (s + i) > 60)
            return 0;
        i = lzs_skip_spaces(s, (size_t)(close - s) + 1);
    }
    return s[i] == '\0';
}

int lzs_extract_doc_id_of_code(const char *code, char *buf, size_t cap)
{
    lzs_ref_t r;
    if (code == NULL || cap == 0 || !whole_ref(code, &r))
        return 0;
    /* the id the document of that code and language has (fill_ids) */
    if (r.lang[0] && strcmp(r.lang, "en") != 0)
        snprintf(buf, cap, "%s_%s", r.code, r.lang);
    else
        snprintf(buf, cap, "%s", r.code);
    return 1;
}

int lzs_is_whole_ref(const char *s)
{
    lzs_ref_t r;
    return whole_ref(s, &r);
}

/* ---- title lines ------------------------------------------------------------------- */

/* An ordinal written in figures ("2nd", "25th", "1er", "2e", "2eme", "3ieme": endings of
 * words.tsv) or words (@ordinal of doctypes.tsv), folded. */
static int is_ordinal(const lzs_extractor_t *ex, const char *w, size_t n)
{
    size_t d = 0;
    while (d < n && isdigit((unsigned char)w[d]))
        d++;
    if (d > 0 && d <= 3) {
        const lzs_strlist_t *sfx = &ex->wl[LZS_WL_ORDINAL_KEYS];
        for (size_t k = 0; k < sfx->n; k++) {
            if (n - d == strlen(sfx->items[k]) && strncmp(w + d, sfx->items[k], n - d) == 0)
                return 1;
        }
        return 0;
    }
    for (size_t i = 0; i < ex->ordinal_words.n; i++) {
        const char *o = ex->ordinal_words.items[i];
        if (strlen(o) == n && strncmp(o, w, n) == 0)
            return 1;
    }
    return 0;
}

/* Length of the phrase of list (folded keys) that key starts with, longest first, at a
 * word boundary; 0 when none. */
static size_t phrase_prefix(const lzs_strlist_t *list, const char *key)
{
    size_t best = 0;
    for (size_t i = 0; i < list->n; i++) {
        size_t n = strlen(list->items[i]);
        if (n > best && strncmp(key, list->items[i], n) == 0 && (key[n] == '\0' || key[n] == ' '))
            best = n;
    }
    return best;
}

/* The document type a title line announces ("List of decisions", "FACTSHEET – ...",
 * "2nd implementation report", "Draft special report", "Report of the 25th meeting"),
 * from doctypes.tsv: the longest phrase that the line's words start with, after ordinals
 * and qualifiers, ordinals inside the phrase skipped. *draft (may be NULL) is set when a
 * qualifier makes it a draft. Only a short line counts: body text mentions report names
 * everywhere. -1 when none, -2 when out of memory. */
static int type_of_line(const lzs_extractor_t *ex, const char *plain, int *draft)
{
    if (draft)
        *draft = 0;
    /* A title wrapped over lines may be long, but it ends no sentence. */
    size_t len = strlen(plain);
    if (len > 400 || (len > 160 && lzs_ends_terminal(plain, len)))
        return -1;
    char *key = lzs_fold_key(plain);
    if (key == NULL)
        return -2;
    /* ordinals and qualifiers before the phrase */
    size_t i = 0;
    int is_draft = 0;
    for (;;) {
        size_t e = i;
        while (key[e] && key[e] != ' ')
            e++;
        if (e > i && is_ordinal(ex, key + i, e - i)) {
            i = key[e] ? e + 1 : e;
            continue;
        }
        size_t q = phrase_prefix(&ex->title_qualifiers, key + i);
        if (q == 0)
            break;
        if (phrase_prefix(&ex->draft_words, key + i) == q)
            is_draft = 1;
        i += q;
        if (key[i] == ' ')
            i++;
    }
    /* the rest without ordinals: "report of the 25th meeting" -> "report of the meeting" */
    char *rest = malloc(strlen(key + i) + 1);
    if (rest == NULL) {
        free(key);
        return -2;
    }
    size_t o = 0;
    for (size_t k = i; key[k];) {
        size_t e = k;
        while (key[e] && key[e] != ' ')
            e++;
        if (!is_ordinal(ex, key + k, e - k)) {
            if (o > 0)
                rest[o++] = ' ';
            memcpy(rest + o, key + k, e - k);
            o += e - k;
        }
        k = key[e] ? e + 1 : e;
    }
    rest[o] = '\0';
    int type = -1;
    size_t best = 0;
    for (size_t t = 0; t < ex->ntypephrases; t++) {
        const char *ph = ex->typephrases[t].key;
        size_t n = strlen(ph);
        if (n > best && strncmp(rest, ph, n) == 0 && (rest[n] == '\0' || rest[n] == ' ')) {
            type = ex->typephrases[t].type;
            best = n;
        }
    }
    free(rest);
    free(key);
    if (draft && type >= 0)
        *draft = is_draft;
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
    return lzs_parse_date(ps->ex, plain, 0, d, sizeof d) || is_field_line(plain) ||
           lzs_is_credit_line(ps->ex, plain);
}

int lzs_is_field_line(const char *plain)
{
    return is_field_line(plain);
}

int lzs_is_credit_line(const lzs_extractor_t *ex, const char *plain)
{
    char *key = lzs_fold_key(plain);
    if (key == NULL)
        return 0;
    size_t n = phrase_prefix(&ex->credit_phrases, key);
    free(key);
    return n > 0;
}

/* The language suffix of a file name: "NAME_en", "NAME-fr". */
static int name_lang_suffix(const char *s, size_t n, char *lang)
{
    if (n >= 4 && (s[n - 3] == '_' || s[n - 3] == '-') && islower((unsigned char)s[n - 2]) &&
        islower((unsigned char)s[n - 1]) && known_lang(s + n - 2)) {
        lang[0] = s[n - 2];
        lang[1] = s[n - 1];
        lang[2] = '\0';
        return 1;
    }
    return 0;
}

/* An id every route can open: not empty, no '/', not made only of dots and spaces, no
 * control characters, at most 200 bytes. NULL when fine, else what is wrong. */
const char *lzs_doc_id_problem(const char *id)
{
    size_t n = strlen(id);
    if (n == 0)
        return "it is empty";
    if (n > 200)
        return "it is longer than 200 bytes";
    if (strchr(id, '/'))
        return "it contains '/'";
    if (strspn(id, ". ") == n)
        return "it is made only of dots and spaces";
    if (id[0] == ' ' || id[n - 1] == ' ')
        return "it starts or ends with a space";
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)id[i] < 0x20 || id[i] == 0x7F)
            return "it contains a control character";
    }
    return NULL;
}

/* The text's language, guessed from its first 40,000 bytes. */
static lzs_status_t guess_lang(lzs_parse_t *ps, char *lang, size_t cap)
{
    lzs_document_t *doc = ps->doc;
    lzs_words_reset(&ps->words);
    size_t used = 0;
    for (size_t i = 0; i < doc->npassages && used < 40000; i++) {
        const char *t = doc->passages[i].text;
        size_t n = strlen(t);
        if (lzs_words_fold(&ps->words, t, n) != LZS_OK)
            return LZS_ERR_NOMEM;
        used += n;
    }
    const char *g = lzs_guess_lang(ps->ex, &ps->words);
    snprintf(lang, cap, "%s", g[0] ? g : "en");
    return LZS_OK;
}

/* Reference, revision, language and id. The sidecar's reference wins; a sidecar
 * reference that is not a code is taken as the id itself. */
static lzs_status_t fill_ids(lzs_parse_t *ps, const char *name, const lzs_sidecar_t *sc,
                             char **errmsg)
{
    lzs_document_t *doc = ps->doc;
    size_t stem = lzs_extract_stem_len(name);
    char fname[512];
    snprintf(fname, sizeof fname, "%.*s", (int)(stem < 511 ? stem : 511), name);
    lzs_ref_t r = {0};
    const char *free_ref = NULL;
    if (sc->reference) {
        if (!whole_ref(sc->reference, &r))
            free_ref = sc->reference;
    } else if (ps->ref.code[0]) {
        r = ps->ref;
    } else {
        whole_ref(fname, &r);
    }
    char lang[8] = "";
    if (sc->language)
        snprintf(lang, sizeof lang, "%s", sc->language);
    else if (name_lang_suffix(fname, strlen(fname), lang))
        ;
    else if (r.lang[0])
        snprintf(lang, sizeof lang, "%s", r.lang);
    else if (guess_lang(ps, lang, sizeof lang) != LZS_OK)
        return LZS_ERR_NOMEM;
    memcpy(doc->lang, lang, sizeof doc->lang);
    char *id = NULL;
    int n = 0;
    if (free_ref) {
        n = asprintf(&id, "%s", free_ref);
        doc->ref = strdup(free_ref); /* freed with the document on failure */
    } else if (r.code[0]) {
        /* The English version keeps the bare code; another language its suffix. */
        if (strcmp(lang, "en") == 0)
            n = asprintf(&id, "%s", r.code);
        else
            n = asprintf(&id, "%s_%s", r.code, lang);
        char ref[96];
        snprintf(ref, sizeof ref, "%s%s%s", r.code, r.lang[0] ? "_" : "", r.lang);
        doc->ref = strdup(ref);
        if (r.revision[0])
            doc->revision = strdup(r.revision);
    } else {
        n = asprintf(&id, "%s", fname);
    }
    if (n < 0)
        id = NULL; /* asprintf leaves it undefined */
    int has_ref = free_ref != NULL || r.code[0] != '\0';
    if (id == NULL || (has_ref && doc->ref == NULL) || (r.revision[0] && doc->revision == NULL)) {
        free(id);
        return LZS_ERR_NOMEM;
    }
    const char *why = lzs_doc_id_problem(id);
    if (why) {
        lzs_set_errmsg(errmsg, "%s: \"%.200s\" cannot be a document id (%s)%s", name, id, why,
                       free_ref ? ": fix \"reference\" in its sidecar" : "");
        free(id);
        return LZS_ERR_INVALID;
    }
    doc->id = id;
    /* The key the language versions share: the code without its language suffix, or the
     * code (else the id) of the document the sidecar says this one is a version of. */
    const char *vkey = r.code[0] && !free_ref ? r.code : id;
    lzs_ref_t vr = {0};
    if (sc->version_of) {
        if (strcmp(sc->version_of, id) == 0) {
            lzs_set_errmsg(errmsg,
                           "%s: sidecar: \"version_of\": \"%s\" is this document's own id: name "
                           "the document it is a language version of",
                           name, id);
            return LZS_ERR_INVALID;
        }
        vkey = whole_ref(sc->version_of, &vr) ? vr.code : sc->version_of;
        doc->version_of = strdup(sc->version_of);
        if (doc->version_of == NULL)
            return LZS_ERR_NOMEM;
    }
    doc->version_key = strdup(vkey);
    return doc->version_key ? LZS_OK : LZS_ERR_NOMEM;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
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
        int t = type_of_line(ps->ex, bs->v[i].text, NULL);
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
        /* only lines of a text file: a format with paragraphs joined them already */
        if (!is_para(u) || !is_para(above) || (u->flags & LZS_BF_BLANK_BEFORE) ||
            !(u->flags & above->flags & LZS_BF_LINES) || u->len == 0 || above->len == 0)
            continue;
        char d[16], e[16];
        if (lzs_is_whole_ref(u->text) || lzs_is_whole_ref(above->text) ||
            lzs_parse_date_line(ps->ex, u->text, d, e, sizeof d) ||
            lzs_parse_date_line(ps->ex, above->text, d, e, sizeof d))
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

/* A line that starts with the document's code and goes on with more of the title block
 * ("T-ES(2019)07_en final – Strasbourg, 6 June 2019 – Opinion on ..."): the code, the
 * first date and the type it names are taken. 1 when the line was such a line. */
static int flattened_header(lzs_parse_t *ps, lzs_blocks_t *bs, lzs_block_t *b)
{
    lzs_ref_t r;
    size_t n = lzs_parse_ref(b->text, &r);
    if (n == 0 || b->len > 400)
        return 0;
    if (!ps->ref.code[0])
        ps->ref = r;
    const char *rest = b->text + n;
    char d[16];
    if (!ps->date[0] && lzs_parse_date(ps->ex, rest, 0, d, sizeof d))
        snprintf(ps->date, sizeof ps->date, "%s", d);
    for (size_t k = 0; rest[k] && !ps->have_type; k++) {
        if (k > 0 && lzs_word_byte((unsigned char)rest[k - 1]))
            continue;
        if (!isalpha((unsigned char)rest[k]))
            continue;
        int draft = 0;
        int t = type_of_line(ps->ex, rest + k, &draft);
        if (t == -2) {
            ps->st = LZS_ERR_NOMEM;
            return 1;
        }
        if (t >= 0) {
            ps->type = (lzs_doctype_t)t;
            ps->have_type = 1;
            ps->draft = draft;
            ps->title = strdup(rest + k);
            if (ps->title == NULL) {
                ps->st = LZS_ERR_NOMEM;
                return 1;
            }
            /* the title part of the line is the document's heading */
            if (lzs_block_set_text(bs, b, ps->title, strlen(ps->title)) != LZS_OK)
                ps->st = LZS_ERR_NOMEM;
            b->kind = LZS_BLOCK_HEADING;
            b->level = 0;
            b->number[0] = '\0';
            return 0;
        }
    }
    return 1;
}

/* Meeting lines that complete the title of a list of decisions, an agenda or a meeting
 * report ("33rd and 34th meetings (remote)", "25e réunion"): a word of words.tsv anywhere
 * in a short line. */
static int names_meeting(const lzs_extractor_t *ex, const char *s)
{
    const lzs_strlist_t *words = &ex->wl[LZS_WL_MEETING];
    if (strlen(s) >= 120)
        return 0;
    for (size_t k = 0; k < words->n; k++) {
        if (strcasestr(s, words->items[k]) != NULL)
            return 1;
    }
    return 0;
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
        int line = b->kind == LZS_BLOCK_HEADING || is_para(b);
        if (!ps->have_type && line && lzs_parse_ref(b->text, &(lzs_ref_t){0}) > 0 &&
            !lzs_is_whole_ref(b->text)) {
            /* a flattened header: code, date and title on one line */
            if (flattened_header(ps, bs, &bs->v[i]))
                ps->used[i] = 1;
            else
                ps->type_block = ps->title_block = i;
            continue;
        }
        /* Type and title: the first line near the top that announces a type. */
        if (!ps->have_type && line) {
            int draft = 0;
            int t = type_of_line(ps->ex, b->text, &draft);
            if (t == -2) {
                ps->st = LZS_ERR_NOMEM;
                return;
            }
            if (t >= 0) {
                ps->type = (lzs_doctype_t)t;
                ps->have_type = 1;
                ps->draft = draft;
                ps->type_block = i;
                ps->title = strdup(b->text);
                if (ps->title == NULL) {
                    ps->st = LZS_ERR_NOMEM;
                    return;
                }
            }
        }
        /* Reference and date lines make no passage. */
        lzs_ref_t r;
        char d[16], e[16];
        if (line && whole_ref(b->text, &r)) {
            if (!ps->ref.code[0])
                ps->ref = r;
            ps->used[i] = 1;
        } else if (is_para(b) && !ps->date[0] &&
                   lzs_parse_date_line(ps->ex, b->text, d, e, sizeof d)) {
            /* the cover date; a later date line (the meeting's days) stays a paragraph */
            snprintf(ps->date, sizeof ps->date, "%s", d);
            snprintf(ps->date_end, sizeof ps->date_end, "%s", e);
            ps->used[i] = 1;
        }
    }
    /* A code printed only in the page header ("T-ES(2019)07_en final", "T-ES(2019)07_en
     * - 3"): the document's code. */
    for (size_t i = 0; i < bs->furniture.n && !ps->ref.code[0]; i++) {
        lzs_ref_t r;
        const char *f = bs->furniture.items[i];
        if (lzs_parse_ref(f + lzs_skip_spaces(f, 0), &r) > 0)
            ps->ref = r;
    }
    /* "Adopted by the Lanzarote Committee on 7 October 2021" near the top */
    for (size_t i = 0; i < bs->n && i < LZS_FRONT_BLOCKS && !ps->adopted[0]; i++) {
        const char *t = bs->v[i].text;
        if (lzs_word_at(ps->ex, LZS_WL_ADOPTED, t, LZS_END_ANY) == 0)
            continue;
        char d[16];
        if (lzs_parse_date(ps->ex, t, 0, d, sizeof d))
            snprintf(ps->adopted, sizeof ps->adopted, "%s", d);
    }
    /* Lists of decisions, agendas and meeting reports name their meeting below the title */
    if (ps->have_type && ps->title &&
        (ps->type == LZS_DOC_DECISIONS || ps->type == LZS_DOC_AGENDA ||
         ps->type == LZS_DOC_MEETING_REPORT)) {
        for (size_t k = ps->type_block + 1; k < bs->n && k < ps->type_block + 4; k++) {
            if (!names_meeting(ps->ex, bs->v[k].text) || strcasestr(ps->title, bs->v[k].text))
                continue;
            if (asprintf(&ps->full_title, "%s, %s", ps->title, bs->v[k].text) < 0) {
                ps->full_title = NULL;
                ps->st = LZS_ERR_NOMEM;
            }
            break;
        }
    }
}

lzs_status_t lzs_header_fill(lzs_parse_t *ps, const char *name, const lzs_sidecar_t *sc,
                             char **errmsg)
{
    lzs_document_t *doc = ps->doc;
    lzs_status_t st = fill_ids(ps, name, sc, errmsg);
    if (st != LZS_OK)
        return st;
    /* type, date, title */
    doc->type =
        sc->type >= 0 ? (lzs_doctype_t)sc->type : (ps->have_type ? ps->type : LZS_DOC_OTHER);
    doc->draft = ps->draft;
    if (ps->date_end[0] && !sc->date) {
        doc->date_end = strdup(ps->date_end);
        if (doc->date_end == NULL)
            return LZS_ERR_NOMEM;
    }
    if (ps->adopted[0]) {
        doc->adopted = strdup(ps->adopted);
        if (doc->adopted == NULL)
            return LZS_ERR_NOMEM;
    }
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
    if (doc->title == NULL)
        return LZS_ERR_NOMEM;
    return LZS_OK;
}
