/* params.h — query-string parameters of the HTTP API, checked and turned into requests.
 *
 * Kept apart from the HTTP plumbing so that the rules (which parameters each route takes,
 * what values are allowed, how repeats combine) can be tested without a server. Every
 * rejection names the parameter and, where useful, the value.
 */
#ifndef LZS_SEARCHD_PARAMS_H
#define LZS_SEARCHD_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "lzs/search.h"

/* Routes that take parameters. */
typedef enum {
    LZS_SD_ROUTE_SEARCH,  /* /api/search */
    LZS_SD_ROUTE_EXPORT,  /* /api/export */
    LZS_SD_ROUTE_SIMILAR, /* /api/similar/{id} */
    LZS_SD_ROUTE_PAGE,    /* "/", the page (page.h): the search's and the views' */
    LZS_SD_ROUTE_COMPARE, /* /api/compare: party is the Parties compared, not a filter */
    LZS_SD_ROUTE_FEED,    /* /api/feed: q and the filters, nothing else */
    LZS_SD_ROUTE_PLAIN    /* any other route: takes no parameter */
} lzs_sd_route_t;

typedef enum { LZS_SD_FORMAT_CSV, LZS_SD_FORMAT_JSON } lzs_sd_format_t;

/* Most query parameters one request may carry. */
#define LZS_SD_MAX_ARGS 256
/* Page size of /api/similar when none is given. */
#define LZS_SD_SIMILAR_DEFAULT 10

/* One decoded query parameter as the HTTP layer saw it. Sizes are the decoded lengths:
 * a NUL inside a key or value shows as size != strlen. Pointers borrowed: valid while the
 * request is being handled. value may be NULL ("?q" without "="). */
typedef struct {
    const char *key;
    size_t key_size;
    const char *value;
    size_t value_size;
} lzs_sd_arg_t;

/* A checked request. The filter value pointers are borrowed from the lzs_sd_arg_t list
 * the request was parsed from. */
typedef struct {
    lzs_search_req_t req;
    const char *values[LZS_F_COUNT][LZS_SEARCH_MAX_VALUES];
    const char *collections[LZS_SEARCH_MAX_VALUES]; /* req.collections */
    lzs_sd_format_t format; /* export (default CSV) and compare (default JSON) */
    int bom;                /* export and compare, CSV only: 1 to start with the UTF-8 BOM */
    uint32_t similar_size;  /* similar only */
    /* the page only: which view ("doc", "p"; "party_view", "all"), and whether only
     * the pieces the script swaps in are asked for ("fragment=1") */
    const char *doc, *passage, *party_view;
    int all, fragment;
    int compare;       /* compare=1: the comparison of the party values */
    int size_given;    /* whether size was given (the page's default is its own) */
    char param[32];    /* on error: the parameter at fault */
    char message[256]; /* on error: a sentence naming parameter and value */
} lzs_sd_params_t;

/* Checks args for route and fills out. Returns LZS_OK, or LZS_ERR_INVALID /
 * LZS_ERR_UTF8 / LZS_ERR_LIMIT with out->param and out->message set. */
lzs_status_t lzs_sd_params_parse(lzs_sd_params_t *out, lzs_sd_route_t route,
                                 const lzs_sd_arg_t *args, size_t nargs);

/* Checks the %-escapes of a raw query string (the bytes after '?' as received, n of them):
 * every '%' must begin "%XX" with two hexadecimal digits. The HTTP library keeps a
 * malformed escape as it is, which would make "q=%zz" a search for "%zz". Returns LZS_OK,
 * or LZS_ERR_INVALID with out->param (the parameter's name: decoded when it can be, else
 * as received, else "") and out->message set. */
lzs_status_t lzs_sd_params_check_escapes(lzs_sd_params_t *out, const char *query, size_t n);

/* 1 when s[0..n) is well-formed UTF-8 with no NUL byte (no overlongs, no surrogates). */
int lzs_sd_utf8_valid(const char *s, size_t n);

#endif
