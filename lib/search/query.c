/* query.c — the query language: lexer and recursive-descent parser producing a syntax
 * tree (lzs_qnode_t), plus the small string set the search files share.
 *
 * Grammar (AND is implied between neighbours):
 *   query   := or
 *   or      := and ("OR" and)*
 *   and     := unary (["AND"] unary)*
 *   unary   := ("NOT" | "-") unary | primary
 *   primary := "(" or ")" | '"' phrase '"' | field ":" value | word | prefix "*"
 *
 * Nothing is silently ignored or repaired: what the grammar does not read exactly is an
 * error naming its byte position (code "bad_query"), because any guess (dropping a
 * dangling operator, closing a parenthesis at the end, reading "party:" as a word) returns
 * an answer to another question than the one asked. The errors: an unknown field, a field
 * without a value, a quote or a parenthesis not closed, a ")" without its "(", empty
 * parentheses or quotes, AND/OR without a term on each side, NOT or "-" without a term
 * after it, a "*" anywhere but at the end of a word (a lone "*", "*child", "ch*ld") or in a
 * phrase or a field value, too many terms.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lzs/buf.h"
#include "search_internal.h"

/* ---- errors ---------------------------------------------------------------------- */

void lzs_search_copy_utf8(char *dst, size_t cap, const char *src)
{
    char *clean = NULL;
    size_t len = 0;
    if (cap == 0)
        return;
    if (lzs_text_sanitize_utf8(src, strlen(src), &clean, &len, NULL) != LZS_OK) {
        dst[0] = '\0';
        return;
    }
    if (len >= cap)
        len = lzs_text_utf8_floor(clean, len, cap - 1);
    memcpy(dst, clean, len);
    dst[len] = '\0';
    free(clean);
}

lzs_status_t lzs_search_fail(lzs_search_error_t *err, lzs_status_t status, const char *code,
                             const char *param, int position, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        snprintf(err->code, sizeof err->code, "%s", code);
        err->position = position;
        char raw[1024];
        va_start(ap, fmt);
        vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        /* Messages quote the user's input, which may be invalid UTF-8 or be cut by the
         * buffers mid-character: the message must stay valid UTF-8 for JSON. */
        lzs_search_copy_utf8(err->message, sizeof err->message, raw);
        lzs_search_copy_utf8(err->param, sizeof err->param, param ? param : "");
        memset(&err->cost, 0, sizeof err->cost);
    }
    return status;
}

/* ---- string set ------------------------------------------------------------------ */

static uint64_t sset_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static int sset_eq(const char *slot, const char *s, size_t len)
{
    return strncmp(slot, s, len) == 0 && slot[len] == '\0';
}

static lzs_status_t sset_grow(lzs_sset_t *set)
{
    size_t ncap = set->cap ? set->cap * 2 : 16;
    char **ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < set->cap; i++) {
        char *k = set->slots[i];
        if (!k)
            continue;
        size_t j = sset_hash(k, strlen(k)) & (ncap - 1);
        while (ns[j])
            j = (j + 1) & (ncap - 1);
        ns[j] = k;
    }
    free(set->slots);
    set->slots = ns;
    set->cap = ncap;
    return LZS_OK;
}

lzs_status_t lzs_sset_add(lzs_sset_t *set, const char *s, size_t len)
{
    if ((set->n + 1) * 2 > set->cap) {
        lzs_status_t st = sset_grow(set);
        if (st != LZS_OK)
            return st;
    }
    size_t j = sset_hash(s, len) & (set->cap - 1);
    while (set->slots[j]) {
        if (sset_eq(set->slots[j], s, len))
            return LZS_OK;
        j = (j + 1) & (set->cap - 1);
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return LZS_ERR_NOMEM;
    memcpy(copy, s, len);
    copy[len] = '\0';
    set->slots[j] = copy;
    set->n++;
    return LZS_OK;
}

int lzs_sset_has(const lzs_sset_t *set, const char *s, size_t len)
{
    if (set->n == 0)
        return 0;
    size_t j = sset_hash(s, len) & (set->cap - 1);
    while (set->slots[j]) {
        if (sset_eq(set->slots[j], s, len))
            return 1;
        j = (j + 1) & (set->cap - 1);
    }
    return 0;
}

void lzs_sset_clear(lzs_sset_t *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i]);
    free(set->slots);
    set->slots = NULL;
    set->cap = set->n = 0;
}

/* ---- syntax tree --------------------------------------------------------------- */

void lzs_qnode_free(lzs_qnode_t *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        lzs_qnode_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n);
}

static lzs_qnode_t *qnode_new(lzs_qkind_t kind, int pos, int len)
{
    lzs_qnode_t *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->field = -1;
    n->pos = pos;
    n->len = len;
    return n;
}

static lzs_status_t qnode_add(lzs_qnode_t *parent, lzs_qnode_t *kid)
{
    if (parent->nkids == parent->capkids) {
        size_t ncap = parent->capkids ? parent->capkids * 2 : 4;
        lzs_qnode_t **nk = realloc(parent->kids, ncap * sizeof *nk);
        if (!nk)
            return LZS_ERR_NOMEM;
        parent->kids = nk;
        parent->capkids = ncap;
    }
    parent->kids[parent->nkids++] = kid;
    return LZS_OK;
}

size_t lzs_qnode_leaves(const lzs_qnode_t *n)
{
    if (!n)
        return 0;
    if (n->kind != LZS_QN_AND && n->kind != LZS_QN_OR && n->kind != LZS_QN_NOT)
        return 1;
    size_t total = 0;
    for (size_t i = 0; i < n->nkids; i++)
        total += lzs_qnode_leaves(n->kids[i]);
    return total;
}

/* Appends the tree n in the notation of lzs_qnode_describe(). */
static void describe(lzs_buf_t *b, const lzs_qnode_t *n)
{
    switch (n->kind) {
    case LZS_QN_WORD:
        lzs_buf_puts(b, "word:");
        lzs_buf_puts(b, n->text);
        return;
    case LZS_QN_PHRASE:
        lzs_buf_puts(b, "phrase:\"");
        lzs_buf_puts(b, n->text);
        lzs_buf_puts(b, "\"");
        return;
    case LZS_QN_PREFIX:
        lzs_buf_puts(b, "prefix:");
        lzs_buf_puts(b, n->text);
        lzs_buf_puts(b, "*");
        return;
    case LZS_QN_FIELD:
        lzs_buf_puts(b, lzs_search_field_name((lzs_field_t)n->field));
        lzs_buf_puts(b, ":");
        lzs_buf_puts(b, n->text);
        return;
    case LZS_QN_AND:
    case LZS_QN_OR:
    case LZS_QN_NOT:
        lzs_buf_puts(b, n->kind == LZS_QN_AND ? "(AND" : n->kind == LZS_QN_OR ? "(OR" : "(NOT");
        for (size_t i = 0; i < n->nkids; i++) {
            lzs_buf_puts(b, " ");
            describe(b, n->kids[i]);
        }
        lzs_buf_puts(b, ")");
        return;
    }
}

char *lzs_qnode_describe(const lzs_qnode_t *n)
{
    lzs_buf_t b = {0};
    if (!n)
        lzs_buf_puts(&b, "(empty)");
    else
        describe(&b, n);
    return lzs_buf_take(&b, NULL);
}

/* ---- lexer ------------------------------------------------------------------------ */

typedef enum {
    LX_END,
    LX_LPAREN,
    LX_RPAREN,
    LX_AND,
    LX_OR,
    LX_NOT,
    LX_MINUS, /* '-' glued to what follows */
    LX_WORD,
    LX_PHRASE,
    LX_PREFIX,
    LX_FIELD
} lx_kind_t;

typedef struct {
    lx_kind_t kind;
    int pos, len;
    int field;
    const char *text; /* points into the query */
    size_t textlen;
} lexeme_t;

typedef struct {
    const char *q;
    size_t len, i;
    lexeme_t cur;
    int depth; /* open parentheses */
    lzs_search_error_t *err;
    lzs_status_t st;
} parser_t;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Field names of the query language, including a few long forms. */
static int field_lookup(const char *name, size_t len)
{
    static const struct {
        const char *name;
        lzs_field_t f;
    } aliases[] = {{"language", LZS_F_LANG},
                   {"reference", LZS_F_REF},
                   {"recommendation", LZS_F_REC},
                   {"art", LZS_F_ARTICLE}};
    char buf[32];
    if (len == 0 || len >= sizeof buf)
        return -1;
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)tolower((unsigned char)name[i]);
    buf[len] = '\0';
    int f = lzs_search_field_from_name(buf);
    if (f >= 0)
        return f;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].name, buf) == 0)
            return (int)aliases[i].f;
    return -1;
}

/* End of a bare word starting at i: whitespace, a quote, or a ')' not opened inside the
 * word end it, so "T-ES(2021)31" and "38(2)" stay whole while "(child abuse)" still
 * closes its group. */
static size_t word_end(const char *q, size_t len, size_t i)
{
    int depth = 0;
    while (i < len) {
        char c = q[i];
        if (is_space(c) || c == '"')
            break;
        if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (depth == 0)
                break;
            depth--;
        }
        i++;
    }
    return i;
}

__attribute__((format(printf, 3, 4))) static void lex_fail(parser_t *p, int pos, const char *fmt,
                                                           ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->st = lzs_search_fail(p->err, LZS_ERR_PARSE, "bad_query", "q", pos, "%s", msg);
    p->cur.kind = LX_END;
}

/* The first '*' in len bytes of s, as an offset, or -1. */
static int find_star(const char *s, size_t len)
{
    const char *star = memchr(s, '*', len);
    return star ? (int)(star - s) : -1;
}

/* A quoted text starting at the quote q[at]: its end (after the closing quote), or an
 * error when the quote is not closed or the text holds a '*' (what holds is the phrase's
 * words, exactly). */
static size_t lex_quoted(parser_t *p, size_t at, const char *what)
{
    size_t e = at + 1;
    while (e < p->len && p->q[e] != '"')
        e++;
    if (e >= p->len) {
        lex_fail(p, (int)at, "the quote at position %d is not closed", (int)at);
        return e;
    }
    int star = find_star(p->q + at + 1, e - at - 1);
    if (star >= 0)
        lex_fail(p, (int)(at + 1) + star,
                 "'*' at position %d is inside %s: a prefix* works on a single word outside "
                 "quotes",
                 (int)(at + 1) + star, what);
    return e + 1;
}

/* Lexes the text at start as field:value when it is one: 1 when it is (a LX_FIELD lexeme,
 * or the error of a field without a value or of an unknown field), 0 when it is no field
 * (a word, "http://..."). */
static int lex_field(parser_t *p, size_t start)
{
    const char *q = p->q;
    size_t len = p->len;
    lexeme_t *lx = &p->cur;
    size_t j = start;
    while (j < len && ((q[j] >= 'a' && q[j] <= 'z') || (q[j] >= 'A' && q[j] <= 'Z')))
        j++;
    int empty_value = j + 1 >= len || is_space(q[j + 1]) || q[j + 1] == ')';
    int url = j + 2 < len && q[j + 1] == '/' && q[j + 2] == '/';
    int f = j > start && j < len && q[j] == ':' && !url ? field_lookup(q + start, j - start) : -1;
    if (f >= 0 && empty_value) {
        /* "party:" alone is not the word "party": it is a filter missing its value. */
        lex_fail(p, (int)start, "field '%s' at position %d has no value",
                 lzs_search_field_name((lzs_field_t)f), (int)start);
        return 1;
    }
    if (!(j > start && j < len && q[j] == ':' && !empty_value && !url))
        return 0;
    if (f < 0) {
        lex_fail(p, (int)start,
                 "unknown field '%.*s' at position %d (fields: party, addressee, article, "
                 "year, level, type, lang, ref, rec, cites, instrument)",
                 (int)(j - start), q + start, (int)start);
        return 1;
    }
    lx->kind = LX_FIELD;
    lx->field = f;
    size_t v = j + 1;
    if (q[v] == '"') {
        size_t e = lex_quoted(p, v, "a field value");
        if (p->st != LZS_OK)
            return 1;
        lx->text = q + v + 1;
        lx->textlen = e - v - 2;
        p->i = e;
    } else {
        size_t e = word_end(q, len, v);
        int star = find_star(q + v, e - v);
        if (star >= 0) {
            lex_fail(p, (int)v + star,
                     "'*' at position %d is in the value of field '%s': field values "
                     "match exactly",
                     (int)v + star, lzs_search_field_name((lzs_field_t)f));
            return 1;
        }
        lx->text = q + v;
        lx->textlen = e - v;
        p->i = e;
    }
    lx->len = (int)(p->i - start);
    return 1;
}

/* Lexes the bare word q[start, e): an operator (AND, OR, NOT), a prefix* or a word, or the
 * error of a '*' anywhere but at the end of a word. */
static void lex_word(parser_t *p, size_t start, size_t e)
{
    lexeme_t *lx = &p->cur;
    p->i = e;
    lx->text = p->q + start;
    lx->textlen = e - start;
    lx->len = (int)(e - start);
    int star = find_star(lx->text, lx->textlen);
    if (lx->textlen == 3 && memcmp(lx->text, "AND", 3) == 0) {
        lx->kind = LX_AND;
    } else if (lx->textlen == 2 && memcmp(lx->text, "OR", 2) == 0) {
        lx->kind = LX_OR;
    } else if (lx->textlen == 3 && memcmp(lx->text, "NOT", 3) == 0) {
        lx->kind = LX_NOT;
    } else if (lx->textlen == 1 && star == 0) {
        lex_fail(p, (int)start, "'*' at position %d needs a prefix before it, as in 'recommend*'",
                 (int)start);
    } else if (star >= 0 && (size_t)star + 1 < lx->textlen) {
        /* "*child" and "ch*ld" are neither a prefix nor a word: the index has no suffix or
         * infix search, and dropping the '*' would search for something else. */
        lex_fail(p, (int)start + star,
                 "'*' at position %d can only end a word, as in 'recommend*' (no '*' at the "
                 "start or inside a word)",
                 (int)start + star);
    } else if (star >= 0) {
        lx->textlen--;
        lx->kind = LX_PREFIX;
    } else {
        lx->kind = LX_WORD;
    }
}

/* Reads the next lexeme of the query into p->cur (LX_END at the end, or on an error). */
static void lex_next(parser_t *p)
{
    const char *q = p->q;
    size_t len = p->len;
    while (p->i < len && is_space(q[p->i]))
        p->i++;
    lexeme_t *lx = &p->cur;
    memset(lx, 0, sizeof *lx);
    lx->field = -1;
    lx->pos = (int)p->i;
    if (p->i >= len) {
        lx->kind = LX_END;
        return;
    }
    size_t start = p->i;
    char c = q[start];
    if (c == '(') {
        lx->kind = LX_LPAREN;
        lx->len = 1;
        p->i++;
        return;
    }
    if (c == ')') {
        lx->kind = LX_RPAREN;
        lx->len = 1;
        p->i++;
        return;
    }
    if (c == '"') {
        size_t e = lex_quoted(p, start, "a phrase");
        if (p->st != LZS_OK)
            return;
        lx->kind = LX_PHRASE;
        lx->text = q + start + 1;
        lx->textlen = e - start - 2;
        p->i = e;
        lx->len = (int)(e - start);
        return;
    }
    if (c == '-' && (start + 1 >= len || is_space(q[start + 1]) || q[start + 1] == ')')) {
        lex_fail(p, (int)start,
                 "'-' at position %d has no word after it to exclude (write -word, with no "
                 "space)",
                 (int)start);
        return;
    }
    if (c == '-' && q[start + 1] != '-') {
        lx->kind = LX_MINUS;
        lx->len = 1;
        p->i++;
        return;
    }
    if (lex_field(p, start))
        return;
    size_t e = word_end(q, len, start);
    if (e == start) {
        /* a stray character that cannot start anything (cannot happen with the checks
         * above, but never loop forever) */
        p->i++;
        lex_next(p);
        return;
    }
    lex_word(p, start, e);
}

/* ---- parser -------------------------------------------------------------------------- */

static lzs_qnode_t *parse_or(parser_t *p);

static lzs_qnode_t *leaf_from(parser_t *p, lzs_qkind_t kind)
{
    lexeme_t *lx = &p->cur;
    lzs_qnode_t *n = qnode_new(kind, lx->pos, lx->len);
    if (!n) {
        p->st = LZS_ERR_NOMEM;
        return NULL;
    }
    n->field = lx->field;
    n->text = malloc(lx->textlen + 1);
    if (!n->text) {
        free(n);
        p->st = LZS_ERR_NOMEM;
        return NULL;
    }
    memcpy(n->text, lx->text, lx->textlen);
    n->text[lx->textlen] = '\0';
    return n;
}

static int starts_unary(lx_kind_t k)
{
    return k == LX_LPAREN || k == LX_NOT || k == LX_MINUS || k == LX_WORD || k == LX_PHRASE ||
           k == LX_PREFIX || k == LX_FIELD;
}

/* One unary term. The current lexeme starts one (starts_unary()); returns NULL only with
 * p->st set. */
static lzs_qnode_t *parse_unary(parser_t *p)
{
    lexeme_t *lx = &p->cur;
    if (lx->kind == LX_NOT || lx->kind == LX_MINUS) {
        int pos = lx->pos;
        int minus = lx->kind == LX_MINUS;
        lex_next(p);
        if (p->st != LZS_OK)
            return NULL;
        if (!starts_unary(p->cur.kind)) {
            lex_fail(p, pos, "%s at position %d has nothing after it to exclude",
                     minus ? "'-'" : "NOT", pos);
            return NULL;
        }
        lzs_qnode_t *kid = parse_unary(p);
        if (!kid)
            return NULL;
        lzs_qnode_t *n = qnode_new(LZS_QN_NOT, pos, kid->pos + kid->len - pos);
        if (!n || qnode_add(n, kid) != LZS_OK) {
            free(n);
            lzs_qnode_free(kid);
            p->st = LZS_ERR_NOMEM;
            return NULL;
        }
        if (kid->kind == LZS_QN_NOT) {
            /* NOT NOT x is x */
            lzs_qnode_t *inner = kid->kids[0];
            kid->nkids = 0;
            n->nkids = 0;
            lzs_qnode_free(kid);
            lzs_qnode_free(n);
            return inner;
        }
        return n;
    }
    if (lx->kind == LX_LPAREN) {
        int pos = lx->pos;
        p->depth++;
        lex_next(p);
        if (p->st != LZS_OK)
            return NULL;
        if (p->cur.kind == LX_RPAREN) {
            lex_fail(p, pos, "the parentheses at position %d hold nothing", pos);
            return NULL;
        }
        lzs_qnode_t *n = parse_or(p);
        if (p->st != LZS_OK) {
            lzs_qnode_free(n);
            return NULL;
        }
        if (p->cur.kind != LX_RPAREN) {
            lzs_qnode_free(n);
            lex_fail(p, pos, "the parenthesis at position %d is not closed", pos);
            return NULL;
        }
        lex_next(p);
        p->depth--;
        if (p->st != LZS_OK) {
            lzs_qnode_free(n);
            return NULL;
        }
        return n;
    }
    lzs_qkind_t kind = lx->kind == LX_PHRASE   ? LZS_QN_PHRASE
                       : lx->kind == LX_PREFIX ? LZS_QN_PREFIX
                       : lx->kind == LX_FIELD  ? LZS_QN_FIELD
                                               : LZS_QN_WORD;
    if (lx->kind == LX_FIELD && lx->textlen == 0) {
        lex_fail(p, lx->pos, "field '%s' at position %d has no value",
                 lzs_search_field_name((lzs_field_t)lx->field), lx->pos);
        return NULL;
    }
    if (kind == LZS_QN_PHRASE) {
        /* An empty phrase has nothing to match: it is no query, and no browse either. */
        int blank = 1;
        for (size_t i = 0; i < lx->textlen; i++)
            if (!is_space(lx->text[i]))
                blank = 0;
        if (blank) {
            lex_fail(p, lx->pos, "the quotes at position %d hold no words", lx->pos);
            return NULL;
        }
    }
    lzs_qnode_t *n = leaf_from(p, kind);
    if (!n)
        return NULL;
    lex_next(p);
    if (p->st != LZS_OK) {
        lzs_qnode_free(n);
        return NULL;
    }
    return n;
}

/* Wraps kids into an operator node, or returns the single kid. */
static lzs_qnode_t *join(parser_t *p, lzs_qkind_t kind, lzs_qnode_t **kids, size_t n)
{
    if (n == 0)
        return NULL;
    if (n == 1)
        return kids[0];
    int start = kids[0]->pos;
    int end = kids[n - 1]->pos + kids[n - 1]->len;
    lzs_qnode_t *node = qnode_new(kind, start, end - start);
    if (!node) {
        p->st = LZS_ERR_NOMEM;
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        /* flatten nested nodes of the same kind: a AND (b AND c) */
        if (kids[i]->kind == kind) {
            for (size_t k = 0; k < kids[i]->nkids; k++) {
                if (qnode_add(node, kids[i]->kids[k]) != LZS_OK) {
                    p->st = LZS_ERR_NOMEM;
                    lzs_qnode_free(node);
                    goto fail;
                }
                kids[i]->kids[k] = NULL;
            }
            kids[i]->nkids = 0;
            lzs_qnode_free(kids[i]);
            kids[i] = NULL;
        } else {
            if (qnode_add(node, kids[i]) != LZS_OK) {
                p->st = LZS_ERR_NOMEM;
                lzs_qnode_free(node);
                goto fail;
            }
            kids[i] = NULL;
        }
    }
    return node;
fail:
    for (size_t i = 0; i < n; i++)
        lzs_qnode_free(kids[i]);
    return NULL;
}

typedef struct {
    lzs_qnode_t **v;
    size_t n, cap;
} nodelist_t;

static int nl_push(nodelist_t *l, lzs_qnode_t *n)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        lzs_qnode_t **nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n++] = n;
    return 0;
}

static void nl_free(nodelist_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        lzs_qnode_free(l->v[i]);
    free(l->v);
}

/* Terms joined by AND, written or implied. NULL with p->st == LZS_OK when there is no term
 * here at all (the caller knows whether one was needed). */
static lzs_qnode_t *parse_and(parser_t *p)
{
    nodelist_t kids = {0};
    for (;;) {
        lx_kind_t k = p->cur.kind;
        if (k == LX_AND) {
            int pos = p->cur.pos;
            if (kids.n == 0) {
                lex_fail(p, pos, "AND at position %d has nothing before it", pos);
                break;
            }
            lex_next(p);
            if (p->st != LZS_OK)
                break;
            if (!starts_unary(p->cur.kind)) {
                lex_fail(p, pos, "AND at position %d has nothing after it", pos);
                break;
            }
            continue;
        }
        if (k == LX_RPAREN && p->depth == 0) {
            lex_fail(p, p->cur.pos, "')' at position %d closes no parenthesis", p->cur.pos);
            break;
        }
        if (!starts_unary(k))
            break;
        lzs_qnode_t *n = parse_unary(p);
        if (p->st != LZS_OK) {
            lzs_qnode_free(n);
            break;
        }
        if (nl_push(&kids, n) != 0) {
            lzs_qnode_free(n);
            p->st = LZS_ERR_NOMEM;
            break;
        }
    }
    if (p->st != LZS_OK) {
        nl_free(&kids);
        return NULL;
    }
    lzs_qnode_t *r = join(p, LZS_QN_AND, kids.v, kids.n);
    free(kids.v);
    return r;
}

static lzs_qnode_t *parse_or(parser_t *p)
{
    nodelist_t kids = {0};
    for (;;) {
        lzs_qnode_t *n = parse_and(p);
        if (p->st != LZS_OK) {
            lzs_qnode_free(n);
            break;
        }
        if (n && nl_push(&kids, n) != 0) {
            lzs_qnode_free(n);
            p->st = LZS_ERR_NOMEM;
            break;
        }
        if (p->cur.kind != LX_OR)
            break;
        int pos = p->cur.pos;
        if (!n) {
            lex_fail(p, pos, "OR at position %d has nothing before it", pos);
            break;
        }
        lex_next(p);
        if (p->st != LZS_OK)
            break;
        if (!starts_unary(p->cur.kind)) {
            lex_fail(p, pos, "OR at position %d has nothing after it", pos);
            break;
        }
    }
    if (p->st != LZS_OK) {
        nl_free(&kids);
        return NULL;
    }
    lzs_qnode_t *r = join(p, LZS_QN_OR, kids.v, kids.n);
    free(kids.v);
    return r;
}

lzs_status_t lzs_query_parse(const char *q, size_t len, lzs_qnode_t **out, lzs_search_error_t *err)
{
    *out = NULL;
    parser_t p = {.q = q, .len = len, .err = err, .st = LZS_OK};
    lex_next(&p);
    lzs_qnode_t *root = p.st == LZS_OK ? parse_or(&p) : NULL;
    /* What stops the top level short of the end is a ')' without its '(' (parse_and()
     * reports it) or a lexeme no rule reads. */
    if (p.st == LZS_OK && p.cur.kind != LX_END)
        lex_fail(&p, p.cur.pos, "unexpected text at position %d", p.cur.pos);
    if (p.st != LZS_OK) {
        lzs_qnode_free(root);
        if (p.st == LZS_ERR_NOMEM)
            lzs_search_fail(err, LZS_ERR_NOMEM, "index", "", -1, "out of memory");
        return p.st;
    }
    size_t leaves = lzs_qnode_leaves(root);
    if (leaves > LZS_SEARCH_MAX_TERMS) {
        lzs_qnode_free(root);
        return lzs_search_fail(err, LZS_ERR_LIMIT, "limit", "q", -1,
                               "the query has %zu terms; at most %d are allowed", leaves,
                               LZS_SEARCH_MAX_TERMS);
    }
    *out = root;
    return LZS_OK;
}
