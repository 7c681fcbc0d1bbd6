/* routes.c — the route table of lzs-searchd, its dispatch, and the pages of --web
 * (see routes.h). */
#include "routes.h"

#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "compare.h"
#include "export.h"
#include "feed.h"
#include "file.h"
#include "health.h"
#include "meta.h"
#include "page.h"
#include "params.h"
#include "respond.h"
#include "shed.h"
#include "static.h"
#include "webfiles.h"

/* The routes, a row each (routes.h). */
static const struct {
    const char *path;
    lzs_sd_mroute_t metric;
    lzs_sd_route_t params;
    int sheds;
    int html; /* its refusals are HTML pages (page.h), not JSON */
    lzs_sd_handler_fn handler;
} routes[] = {
    /* "/" alone: the page, rendered (a path ending in '/' is a prefix only when longer) */
    {"/", LZS_SD_M_PAGE, LZS_SD_ROUTE_PAGE, 1, 1, lzs_sd_route_page},
    {"/api/search", LZS_SD_M_SEARCH, LZS_SD_ROUTE_SEARCH, 1, 0, lzs_sd_route_search},
    {"/api/export", LZS_SD_M_EXPORT, LZS_SD_ROUTE_EXPORT, 1, 0, lzs_sd_route_export},
    /* a document is read with a search of its passages: shed like one */
    {"/api/doc/", LZS_SD_M_DOC, LZS_SD_ROUTE_PLAIN, 1, 0, lzs_sd_route_doc},
    {"/api/similar/", LZS_SD_M_SIMILAR, LZS_SD_ROUTE_SIMILAR, 1, 0, lzs_sd_route_similar},
    {"/api/compare", LZS_SD_M_COMPARE, LZS_SD_ROUTE_COMPARE, 1, 0, lzs_sd_route_compare},
    {"/api/feed", LZS_SD_M_FEED, LZS_SD_ROUTE_FEED, 1, 0, lzs_sd_route_feed},
    {"/api/file/", LZS_SD_M_FILE, LZS_SD_ROUTE_PLAIN, 0, 0, lzs_sd_route_file},
    {"/healthz", LZS_SD_M_HEALTHZ, LZS_SD_ROUTE_PLAIN, 0, 0, lzs_sd_route_healthz},
    {"/metrics", LZS_SD_M_METRICS, LZS_SD_ROUTE_PLAIN, 0, 0, lzs_sd_route_metrics},
    {"/api/meta", LZS_SD_M_META, LZS_SD_ROUTE_PLAIN, 0, 0, lzs_sd_route_meta},
};

/* Where the API's paths start: one no row takes is 404, never a page. */
#define API_PREFIX "/api/"

/* The row of routes[] for the n bytes of path, with where the rest starts; -1 if none. */
static int find_route(const char *path, size_t n, size_t *rest)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        size_t k = strlen(routes[i].path);
        int prefix = k > 1 && routes[i].path[k - 1] == '/';
        if (prefix ? (n > k && memcmp(path, routes[i].path, k) == 0)
                   : (n == k && memcmp(path, routes[i].path, k) == 0)) {
            *rest = k;
            return (int)i;
        }
    }
    return -1;
}

int lzs_sd_route_html(const char *target, size_t n)
{
    const char *q = memchr(target, '?', n);
    size_t rest = 0;
    int r = find_route(target, q ? (size_t)(q - target) : n, &rest);
    return r >= 0 && routes[r].html;
}

/* ---- parameters ----------------------------------------------------------------- */

typedef struct {
    lzs_sd_arg_t args[LZS_SD_MAX_ARGS + 1];
    size_t n;
} arglist_t;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
    arglist_t *l = cls;
    (void)kind;
    if (l->n > LZS_SD_MAX_ARGS) {
        l->n++; /* only counted: the parser reports "too many" */
        return MHD_YES;
    }
    l->args[l->n].key = key;
    l->args[l->n].key_size = key_size;
    l->args[l->n].value = value;
    l->args[l->n].value_size = value_size;
    l->n++;
    return MHD_YES;
}

/* The 400 answer for the parameter p->param: an HTML page on the page's routes. */
static enum MHD_Result refuse_param(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                    lzs_sd_request_t *rq, int html, const lzs_sd_params_t *p)
{
    if (html)
        return lzs_sd_page_error(srv, c, rq, MHD_HTTP_BAD_REQUEST, "This address cannot be opened",
                                 p->param, p->message);
    return lzs_sd_respond_error_at(c, rq, MHD_HTTP_BAD_REQUEST, "bad_parameter", p->param, -1,
                                   p->message);
}

/* Parses the query of the request for route into p; on error answers 400 (*res) and
 * returns -1. */
static int get_params(lzs_sd_server_t *srv, struct MHD_Connection *c, lzs_sd_request_t *rq,
                      lzs_sd_route_t route, int html, lzs_sd_params_t *p, enum MHD_Result *res)
{
    /* The library decodes the query leaving a malformed %-escape as it is: the raw query
     * is checked first, so that "%zz" is refused rather than searched for. */
    const char *query = strchr(rq->uri, '?');
    if (query && lzs_sd_params_check_escapes(p, query + 1, strlen(query + 1)) != LZS_OK) {
        *res = refuse_param(srv, c, rq, html, p);
        return -1;
    }
    arglist_t *l = malloc(sizeof *l);
    if (!l) {
        *res = MHD_NO;
        return -1;
    }
    l->n = 0;
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_arg, l);
    lzs_status_t st = lzs_sd_params_parse(p, route, l->args,
                                          l->n > LZS_SD_MAX_ARGS + 1 ? LZS_SD_MAX_ARGS + 1 : l->n);
    free(l);
    if (st == LZS_OK)
        return 0;
    *res = refuse_param(srv, c, rq, html, p);
    return -1;
}

int lzs_sd_route_segment(const char *s, size_t n, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '%') {
            unsigned v = 0;
            for (int k = 1; k <= 2; k++) {
                char h = i + (size_t)k < n ? s[i + (size_t)k] : '\0';
                v <<= 4;
                if (h >= '0' && h <= '9')
                    v |= (unsigned)(h - '0');
                else if (h >= 'a' && h <= 'f')
                    v |= (unsigned)(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F')
                    v |= (unsigned)(h - 'A' + 10);
                else
                    return -1;
            }
            ch = (unsigned char)v;
            i += 2;
        }
        if (ch == 0 || ch == '/' || j + 1 >= cap)
            return -1;
        out[j++] = (char)ch;
    }
    out[j] = '\0';
    return j > 0 && lzs_sd_utf8_valid(out, j) ? 0 : -1;
}

/* ---- dispatch ------------------------------------------------------------------- */

/* Runs row r's handler for rq, once its parameters are checked and it is not shed. */
static enum MHD_Result run_route(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                 lzs_sd_request_t *rq, int r, const char *rest, size_t rest_len)
{
    enum MHD_Result res = MHD_NO;
    rq->route = routes[r].metric;
    lzs_sd_params_t *p = malloc(sizeof *p);
    if (!p)
        return MHD_NO;
    if (get_params(srv, c, rq, routes[r].params, routes[r].html, p, &res) == 0 &&
        !(routes[r].sheds && lzs_sd_shed(srv, c, rq, &res))) {
        rq->params = p;
        rq->rest = rest;
        rq->rest_len = rest_len;
        res = routes[r].handler(srv, c, rq);
        rq->params = NULL;
    }
    free(p);
    return res;
}

/* The page of --web called name, or 404. */
static enum MHD_Result send_page(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                 lzs_sd_request_t *rq, const char *name)
{
    rq->route = LZS_SD_M_STATIC;
    const lzs_sd_webfile_t *f =
        lzs_sd_web_name_ok(name) ? lzs_sd_web_find(srv->cfg.web, name) : NULL;
    if (!f)
        return lzs_sd_respond_error(c, rq, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
    return lzs_sd_static_send(c, rq, f);
}

/* A path (n bytes) no row takes: "/" is index.html, "/NAME" the page NAME; a path under
 * /api/, too long to name a page or not starting with '/' is no route. */
static enum MHD_Result no_row(lzs_sd_server_t *srv, struct MHD_Connection *c, lzs_sd_request_t *rq,
                              const char *path, size_t n)
{
    char name[64];
    size_t api = strlen(API_PREFIX);
    if (n == 1 && path[0] == '/')
        return send_page(srv, c, rq, "index.html");
    if (n > 1 && n < sizeof name && path[0] == '/' &&
        !(n >= api && memcmp(path, API_PREFIX, api) == 0)) {
        memcpy(name, path + 1, n - 1);
        name[n - 1] = '\0';
        return send_page(srv, c, rq, name);
    }
    rq->route = LZS_SD_M_OTHER;
    return lzs_sd_respond_error(c, rq, MHD_HTTP_NOT_FOUND, "not_found", "no such route");
}

enum MHD_Result lzs_sd_dispatch(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                lzs_sd_request_t *rq)
{
    const char *path = rq->uri;
    size_t n = strcspn(path, "?");
    size_t rest = 0;
    int r = find_route(path, n, &rest);
    if (r >= 0)
        return run_route(srv, c, rq, r, path + rest, n - rest);
    return no_row(srv, c, rq, path, n);
}
