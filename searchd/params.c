/* params.c — checking the query parameters of the API routes (see params.h, docs/api.md). */
#include "params.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int lzs_sd_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t len;
        unsigned cp;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i < len)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

/* Length of at most max bytes of s that ends on a character boundary (s is valid UTF-8). */
static int clip_utf8(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return (int)n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return (int)max;
}

__attribute__((format(printf, 4, 5))) static lzs_status_t
reject(lzs_sd_params_t *out, lzs_status_t st, const char *param, const char *fmt, ...)
{
    va_list ap;
    snprintf(out->param, sizeof out->param, "%s", param);
    va_start(ap, fmt);
    vsnprintf(out->message, sizeof out->message, fmt, ap);
    va_end(ap);
    return st;
}

/* Parses a decimal number in [min, max]; the value shown in messages is clipped. */
static lzs_status_t parse_uint(lzs_sd_params_t *out, const char *name, const char *v, size_t n,
                               uint32_t min, uint32_t max, uint32_t *res)
{
    uint64_t x = 0;
    int shown = clip_utf8(v, n, 40);
    if (n == 0 || n > 10)
        return reject(out, n == 0 ? LZS_ERR_INVALID : LZS_ERR_LIMIT, name,
                      n == 0 ? "parameter '%s' is empty: expected a whole number"
                             : "parameter '%s' is too long a number: '%.*s'",
                      name, shown, v);
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return reject(out, LZS_ERR_INVALID, name,
                          "parameter '%s' must be a whole number, not '%.*s'", name, shown, v);
        x = x * 10 + (uint64_t)(v[i] - '0');
    }
    if (x < min || x > max)
        return reject(out, x > max ? LZS_ERR_LIMIT : LZS_ERR_INVALID, name,
                      "parameter '%s' is %llu: allowed values are %u to %u", name,
                      (unsigned long long)x, min, max);
    *res = (uint32_t)x;
    return LZS_OK;
}

/* Index of v in names (NULL-terminated), or a 400 naming the allowed values. */
static lzs_status_t parse_enum(lzs_sd_params_t *out, const char *name, const char *v, size_t n,
                               const char *const *names, const char *allowed, int *res)
{
    for (int i = 0; names[i]; i++) {
        if (strlen(names[i]) == n && memcmp(names[i], v, n) == 0) {
            *res = i;
            return LZS_OK;
        }
    }
    return reject(out, LZS_ERR_INVALID, name, "parameter '%s' has an unknown value '%.*s' (%s)",
                  name, clip_utf8(v, n, 40), v, allowed);
}

static int key_is(const lzs_sd_arg_t *a, const char *name)
{
    return a->key_size == strlen(name) && memcmp(a->key, name, a->key_size) == 0;
}

/* The filter parameter "collection", after the fields of lzs_field_t. */
#define COLLECTION LZS_F_COUNT

/* Single-valued parameters, by position in this list. */
static const char *const k_single[] = {
    "q",   "group", "sort", "offset",     "size", "facets",   "format",  "explain",
    "bom", "doc",   "p",    "party_view", "all",  "fragment", "compare", NULL};
enum {
    P_Q,
    P_GROUP,
    P_SORT,
    P_OFFSET,
    P_SIZE,
    P_FACETS,
    P_FORMAT,
    P_EXPLAIN,
    P_BOM,
    P_DOC,
    P_PASSAGE,
    P_PARTY_VIEW,
    P_ALL,
    P_FRAGMENT,
    P_COMPARE,
    P_COUNT
};

/* Which single-valued parameters a route takes (bit per P_*), and whether it takes the
 * filter fields. */
static unsigned route_singles(lzs_sd_route_t route)
{
    switch (route) {
    case LZS_SD_ROUTE_SEARCH:
        return (1u << P_Q) | (1u << P_GROUP) | (1u << P_SORT) | (1u << P_OFFSET) | (1u << P_SIZE) |
               (1u << P_FACETS) | (1u << P_EXPLAIN);
    case LZS_SD_ROUTE_EXPORT:
        /* offset, size, group, facets and explain are accepted (so a page can pass its
         * search parameters on unchanged) but an export ignores them. */
        return (1u << P_Q) | (1u << P_GROUP) | (1u << P_SORT) | (1u << P_OFFSET) | (1u << P_SIZE) |
               (1u << P_FACETS) | (1u << P_FORMAT) | (1u << P_EXPLAIN) | (1u << P_BOM);
    case LZS_SD_ROUTE_SIMILAR:
        return 1u << P_SIZE;
    case LZS_SD_ROUTE_PAGE:
        /* every parameter of a search (so that any search URL opens as a page), the
         * views' own, and the fragment switch; no explain (the page always asks) */
        return (1u << P_Q) | (1u << P_GROUP) | (1u << P_SORT) | (1u << P_OFFSET) | (1u << P_SIZE) |
               (1u << P_FACETS) | (1u << P_EXPLAIN) | (1u << P_DOC) | (1u << P_PASSAGE) |
               (1u << P_PARTY_VIEW) | (1u << P_ALL) | (1u << P_FRAGMENT) | (1u << P_COMPARE);
    case LZS_SD_ROUTE_COMPARE:
        return (1u << P_Q) | (1u << P_FORMAT) | (1u << P_BOM);
    case LZS_SD_ROUTE_FEED:
        return 1u << P_Q;
    case LZS_SD_ROUTE_PLAIN:
        break;
    }
    return 0;
}

static lzs_status_t parse_single(lzs_sd_params_t *out, lzs_sd_route_t route, int which,
                                 const char *v, size_t n)
{
    static const char *const sorts[] = {"relevance", "newest", "oldest", "order", NULL};
    static const char *const groups[] = {"passage", "document", NULL};
    static const char *const facets[] = {"0", "1", NULL};
    static const char *const formats[] = {"csv", "json", NULL};
    lzs_status_t st = LZS_OK;
    int e = 0;
    switch (which) {
    case P_Q:
        out->req.q = v;
        break;
    case P_GROUP:
        st = parse_enum(out, "group", v, n, groups, "passage or document", &e);
        out->req.group = e == 1 ? LZS_GROUP_DOCUMENT : LZS_GROUP_PASSAGE;
        break;
    case P_SORT:
        st = parse_enum(out, "sort", v, n, sorts, "relevance, newest, oldest or order", &e);
        out->req.sort = (lzs_sort_t)e;
        break;
    case P_OFFSET:
        st = parse_uint(out, "offset", v, n, 0, LZS_SEARCH_MAX_OFFSET, &out->req.offset);
        break;
    case P_SIZE:
        if (route == LZS_SD_ROUTE_SIMILAR)
            st = parse_uint(out, "size", v, n, 1, LZS_SEARCH_MAX_SIZE, &out->similar_size);
        else
            st = parse_uint(out, "size", v, n, 0, LZS_SEARCH_MAX_SIZE, &out->req.size);
        out->size_given = 1;
        break;
    case P_FACETS:
        st = parse_enum(out, "facets", v, n, facets, "0 or 1", &e);
        out->req.facets = e == 0 ? 0u : (unsigned)LZS_FACET_ALL;
        break;
    case P_FORMAT:
        st = parse_enum(out, "format", v, n, formats, "csv or json", &e);
        out->format = e == 1 ? LZS_SD_FORMAT_JSON : LZS_SD_FORMAT_CSV;
        break;
    case P_EXPLAIN:
        st = parse_enum(out, "explain", v, n, facets, "0 or 1", &e);
        out->req.explain = (route == LZS_SD_ROUTE_SEARCH || route == LZS_SD_ROUTE_PAGE) && e == 1;
        break;
    case P_DOC:
        out->doc = v;
        break;
    case P_PASSAGE:
        out->passage = v;
        break;
    case P_PARTY_VIEW:
        out->party_view = v;
        break;
    case P_ALL:
        st = parse_enum(out, "all", v, n, facets, "0 or 1", &e);
        out->all = e;
        break;
    case P_FRAGMENT:
        st = parse_enum(out, "fragment", v, n, facets, "0 or 1", &e);
        out->fragment = e;
        break;
    case P_COMPARE:
        st = parse_enum(out, "compare", v, n, facets, "0 or 1", &e);
        out->compare = e;
        break;
    case P_BOM:
        st = parse_enum(out, "bom", v, n, facets, "0 or 1", &e);
        out->bom = e == 1;
        break;
    default:
        break;
    }
    return st;
}

lzs_status_t lzs_sd_params_parse(lzs_sd_params_t *out, lzs_sd_route_t route,
                                 const lzs_sd_arg_t *args, size_t nargs)
{
    unsigned singles = route_singles(route);
    int filters = route == LZS_SD_ROUTE_SEARCH || route == LZS_SD_ROUTE_EXPORT ||
                  route == LZS_SD_ROUTE_COMPARE || route == LZS_SD_ROUTE_FEED ||
                  route == LZS_SD_ROUTE_PAGE;
    unsigned seen = 0;

    memset(out, 0, sizeof *out);
    lzs_search_req_init(&out->req);
    /* The API counts facets unless told not to (the library's default is to count none). */
    out->req.facets = LZS_FACET_ALL;
    out->format = route == LZS_SD_ROUTE_COMPARE ? LZS_SD_FORMAT_JSON : LZS_SD_FORMAT_CSV;
    out->similar_size = LZS_SD_SIMILAR_DEFAULT;
    out->all = 1;
    for (int f = 0; f < LZS_F_COUNT; f++)
        out->req.values[f] = out->values[f];
    out->req.collections = out->collections;

    if (nargs > LZS_SD_MAX_ARGS)
        return reject(out, LZS_ERR_LIMIT, "", "too many parameters (at most %d)", LZS_SD_MAX_ARGS);
    for (size_t i = 0; i < nargs; i++) {
        const lzs_sd_arg_t *a = &args[i];
        const char *v = a->value ? a->value : "";
        size_t n = a->value ? a->value_size : 0;
        int which = -1, field = -1;

        if (!lzs_sd_utf8_valid(a->key, a->key_size))
            return reject(out, LZS_ERR_UTF8, "",
                          "a parameter name is not valid UTF-8 or contains a NUL byte");
        for (int k = 0; k_single[k]; k++) {
            if (key_is(a, k_single[k]) && (singles & (1u << k)))
                which = k;
        }
        if (which < 0 && filters && a->key_size < 32) {
            char name[32];
            memcpy(name, a->key, a->key_size);
            name[a->key_size] = '\0';
            field = lzs_search_field_from_name(name);
            /* "collection" is no field of the index's passages but the index they are in:
             * a filter of the request all the same (lzs_search_req_t.collections) */
            if (field < 0 && strcmp(name, "collection") == 0)
                field = COLLECTION;
        }
        /* a feed is the newest documents: paging, order and the rest are not its own */
        if (which < 0 && field < 0 && route == LZS_SD_ROUTE_FEED) {
            for (int k = 0; k_single[k]; k++) {
                if (key_is(a, k_single[k]))
                    return reject(out, LZS_ERR_INVALID, k_single[k],
                                  "parameter '%s' is not taken by /api/feed: a feed lists the %d "
                                  "newest matching documents, one entry each (q and the filters "
                                  "of /api/search only)",
                                  k_single[k], LZS_SEARCH_FEED);
            }
        }
        if (which < 0 && field < 0)
            return reject(out, LZS_ERR_INVALID, a->key_size < 32 ? a->key : "",
                          "unknown parameter '%.*s'", clip_utf8(a->key, a->key_size, 40), a->key);
        {
            const char *name = which >= 0            ? k_single[which]
                               : field == COLLECTION ? "collection"
                                                     : lzs_search_field_name(field);
            if (!lzs_sd_utf8_valid(v, n))
                return reject(out, LZS_ERR_UTF8, name,
                              "parameter '%s' is not valid UTF-8 or contains a NUL byte", name);
            if (which >= 0) {
                /* "all" may repeat, the last one counting: the Party form sends a hidden
                 * all=0 and, when its box is ticked, all=1 after it */
                if ((seen & (1u << which)) && which != P_ALL)
                    return reject(out, LZS_ERR_INVALID, name,
                                  "parameter '%s' may be given only once", name);
                seen |= 1u << which;
                lzs_status_t st = parse_single(out, route, which, v, n);
                if (st != LZS_OK)
                    return st;
                continue;
            }
            /* An empty filter value (an untouched form field) filters nothing. */
            if (n == 0)
                continue;
            size_t *count = field == COLLECTION ? &out->req.ncollections : &out->req.nvalues[field];
            if (*count == LZS_SEARCH_MAX_VALUES)
                return reject(out, LZS_ERR_LIMIT, name,
                              "too many values of parameter '%s' (at most %d)", name,
                              LZS_SEARCH_MAX_VALUES);
            if (field == COLLECTION)
                out->collections[(*count)++] = v;
            else
                out->values[field][(*count)++] = v;
        }
    }
    /* A JSON text never starts with a byte order mark (RFC 8259, 8.1): asking for one is
     * a mistake, not something to ignore. */
    if (out->bom && out->format == LZS_SD_FORMAT_JSON)
        return reject(out, LZS_ERR_INVALID, "bom",
                      "parameter 'bom' is for format=csv only: a JSON answer has no byte order "
                      "mark");
    return LZS_OK;
}

static int hex_digit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_value(char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Offset of the first malformed %-escape of s[0..n), or n when there is none. */
static size_t bad_escape(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%')
            continue;
        if (n - i < 3 || !hex_digit(s[i + 1]) || !hex_digit(s[i + 2]))
            return i;
        i += 2;
    }
    return n;
}

/* The name of the parameter key[0..n) for a message: decoded ('+' is a space), or as
 * received when that does not make valid UTF-8, or "" when neither fits param. */
static void param_name(const char *key, size_t n, char *param, size_t cap)
{
    size_t j = 0;
    int decodable = bad_escape(key, n) == n;
    for (size_t i = 0; decodable && i < n && j + 1 < cap; i++) {
        if (key[i] == '%') {
            param[j++] = (char)(hex_value(key[i + 1]) * 16 + hex_value(key[i + 2]));
            i += 2;
        } else {
            param[j++] = key[i] == '+' ? ' ' : key[i];
        }
    }
    if (decodable && j + 1 < cap && j == strnlen(param, j) && lzs_sd_utf8_valid(param, j)) {
        param[j] = '\0';
        return;
    }
    if (n + 1 < cap && lzs_sd_utf8_valid(key, n)) {
        memcpy(param, key, n);
        param[n] = '\0';
        return;
    }
    param[0] = '\0';
}

lzs_status_t lzs_sd_params_check_escapes(lzs_sd_params_t *out, const char *query, size_t n)
{
    size_t start = 0;
    while (start <= n) {
        const char *amp = memchr(query + start, '&', n - start);
        size_t end = amp ? (size_t)(amp - query) : n;
        const char *kv = query + start;
        size_t len = end - start;
        size_t at = bad_escape(kv, len);
        if (at < len) {
            const char *eq = memchr(kv, '=', len);
            size_t klen = eq ? (size_t)(eq - kv) : len;
            char shown[4];
            size_t k = 0;
            /* The escape as written, printable ASCII only (the message goes into JSON). */
            for (size_t i = at; i < len && i < at + 3; i++)
                shown[k++] = kv[i] > 0x20 && kv[i] < 0x7F ? kv[i] : '?';
            shown[k] = '\0';
            char name[sizeof out->param];
            param_name(kv, klen, name, sizeof name);
            return reject(out, LZS_ERR_INVALID, name,
                          "parameter '%s' has a malformed %%-escape '%s': a %% must be followed "
                          "by two hexadecimal digits (write a literal %% as %%25)",
                          name[0] ? name : "?", shown);
        }
        if (!amp)
            break;
        start = end + 1;
    }
    return LZS_OK;
}
