/* page.c — GET /, the page rendered by the daemon (see page.h). */
#include "page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "lzs/extract.h"
#include "lzs/hash.h"
#include "respond.h"
#include "static.h"
#include "view.h"
#include "webfiles.h"
#include "worker.h"

/* What a page of the Party view reads at most: recommendations per Party are a few
 * hundred at most in these documents. */
#define PARTY_PAGE 100
#define PARTY_MAX 1000

/* ---- the shell: web/index.html with parts replaced -------------------------------- */

/* One replacement of the template: bytes [start, end) become text (owned). */
typedef struct {
    size_t start, end;
    lzs_sd_buf_t text;
} splice_t;

#define MAX_SPLICES 8

typedef struct {
    const lzs_sd_webfile_t *tpl;
    splice_t s[MAX_SPLICES];
    int n;
    const char *title;             /* the page's title (NULL: the template's); borrowed */
    lzs_sd_buf_t read_as;          /* how the query was read (view.h); empty: none */
    const lzs_sd_static_meta_t *m; /* validators of the answer (sent on a 200 only) */
} shell_t;

/* The answers that have no validators: error pages, and pages of an index that cannot say
 * which revision it is. */
static const lzs_sd_static_meta_t k_untagged = {LZS_SD_HTML_TYPE, NULL, NULL, 0, NULL};

/* Where the <section id="ID"...>...</section> of the template starts and ends; -1 if
 * it is not there. */
static int find_section(const lzs_sd_webfile_t *tpl, const char *id, size_t *start, size_t *end)
{
    char open[64];
    snprintf(open, sizeof open, "<section id=\"%s\"", id);
    const char *a = strstr(tpl->data, open);
    const char *z = a ? strstr(a, "</section>") : NULL;
    if (!z)
        return -1;
    *start = (size_t)(a - tpl->data);
    *end = (size_t)(z - tpl->data) + strlen("</section>");
    return 0;
}

/* A new splice of [start, end), its text to be written by the caller; NULL when full. */
static lzs_sd_buf_t *add_splice(shell_t *sh, size_t start, size_t end)
{
    if (sh->n == MAX_SPLICES)
        return NULL;
    splice_t *sp = &sh->s[sh->n++];
    memset(sp, 0, sizeof *sp);
    sp->start = start;
    sp->end = end;
    return &sp->text;
}

static int by_start(const void *a, const void *b)
{
    const splice_t *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The template with the splices applied, into out; -1 when out of memory. */
static int shell_write(shell_t *sh, lzs_sd_buf_t *out)
{
    size_t at = 0;
    int failed = 0;
    qsort(sh->s, (size_t)sh->n, sizeof sh->s[0], by_start);
    for (int i = 0; i < sh->n; i++) {
        lzs_sd_buf_append(out, sh->tpl->data + at, sh->s[i].start - at);
        lzs_sd_buf_append(out, sh->s[i].text.data ? sh->s[i].text.data : "", sh->s[i].text.len);
        failed |= sh->s[i].text.failed;
        at = sh->s[i].end;
    }
    lzs_sd_buf_append(out, sh->tpl->data + at, sh->tpl->size - at);
    return failed || out->failed ? -1 : 0;
}

static void shell_free(shell_t *sh)
{
    for (int i = 0; i < sh->n; i++)
        lzs_sd_buf_free(&sh->s[i].text);
    lzs_sd_buf_free(&sh->read_as);
}

/* The template's element that says how the query was read. */
#define READ_AS_EMPTY "<p id=\"read-as\" class=\"read-as\" hidden></p>"

/* Puts sh->read_as in place of the template's empty one. */
static void shell_read_as(shell_t *sh)
{
    const char *at = strstr(sh->tpl->data, READ_AS_EMPTY);
    if (!at || !sh->read_as.len)
        return;
    size_t start = (size_t)(at - sh->tpl->data);
    lzs_sd_buf_t *b = add_splice(sh, start, start + strlen(READ_AS_EMPTY));
    if (b)
        lzs_sd_buf_append(b, sh->read_as.data, sh->read_as.len);
}

/* Sets the <title> and the value of the search box; hides the sections not shown. */
static void shell_common(shell_t *sh, const char *title, const char *q, const char *shown)
{
    static const char *const sections[] = {"view-search", "view-doc", "view-party", "view-compare"};
    const char *t = strstr(sh->tpl->data, "<title>");
    const char *te = t ? strstr(t, "</title>") : NULL;
    const char *box = strstr(sh->tpl->data, "id=\"q\"");
    lzs_sd_buf_t *b;
    sh->title = title;
    if (te && title) {
        b = add_splice(sh, (size_t)(t - sh->tpl->data), (size_t)(te - sh->tpl->data));
        if (b) {
            lzs_sd_html_static(b, "<title>");
            lzs_sd_html_text(b, title);
        }
    }
    if (box && q && *q) {
        size_t at = (size_t)(box - sh->tpl->data) + strlen("id=\"q\"");
        b = add_splice(sh, at, at);
        if (b)
            lzs_sd_html_attr(b, "value", q);
    }
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        size_t start, end;
        if (strcmp(sections[i], shown) == 0 ||
            find_section(sh->tpl, sections[i], &start, &end) != 0)
            continue;
        /* the template shows the search section and hides the others */
        if (strcmp(sections[i], "view-search") == 0) {
            size_t at = start + strlen("<section");
            b = add_splice(sh, at, at);
            if (b)
                lzs_sd_html_static(b, " hidden");
        }
    }
}

/* ---- answering ---------------------------------------------------------------------- */

/* The <title> of a fragment: the page's, so that the script can set it. */
static void fragment_title(lzs_sd_buf_t *out, const shell_t *sh)
{
    const char *t = sh->tpl ? strstr(sh->tpl->data, "<title>") : NULL;
    const char *te = t ? strstr(t, "</title>") : NULL;
    lzs_sd_html_static(out, "<title>");
    if (sh->title)
        lzs_sd_html_text(out, sh->title);
    else if (te)
        lzs_sd_buf_append(out, t + strlen("<title>"), (size_t)(te - t) - strlen("<title>"));
    lzs_sd_html_static(out, "</title>\n");
}

/* The page made of sh (or, for a fragment, its title and the view alone) into out; -1
 * when out of memory. */
static int shell_render(shell_t *sh, const lzs_sd_buf_t *view, int fragment, lzs_sd_buf_t *out)
{
    if (!fragment)
        return shell_write(sh, out);
    /* the title, how the query was read, the view: what the script swaps in */
    fragment_title(out, sh);
    if (sh->read_as.len)
        lzs_sd_buf_append(out, sh->read_as.data, sh->read_as.len);
    else
        lzs_sd_html_static(out, READ_AS_EMPTY);
    lzs_sd_buf_append(out, view->data ? view->data : "", view->len);
    return out->failed || view->failed ? -1 : 0;
}

/* Answers the page made of sh (or, for a fragment, its title and the view alone) with
 * status. */
static enum MHD_Result send_shell(struct MHD_Connection *c, lzs_sd_request_t *rq, unsigned status,
                                  shell_t *sh, const lzs_sd_buf_t *view, int fragment)
{
    lzs_sd_buf_t out = {0};
    int bad = shell_render(sh, view, fragment, &out);
    const lzs_sd_static_meta_t *m = sh->m ? sh->m : &k_untagged;
    shell_free(sh);
    if (bad || !out.data) {
        lzs_sd_buf_free(&out);
        return MHD_NO;
    }
    return lzs_sd_static_send_owned(c, rq, status, m, out.data, out.len);
}

/* A page with only a message in the search section (an error page). */
static void message_section(lzs_sd_buf_t *b, const char *title, const char *param,
                            const char *message)
{
    lzs_sd_html_static(
        b, "<section id=\"view-search\" class=\"view\" aria-labelledby=\"results-heading\">"
           "<div class=\"wrap layout\"><div class=\"results-col\">");
    lzs_sd_html_elem(b, "h1", title, "id", "results-heading", "tabindex", "-1", NULL);
    lzs_sd_html_open(b, "div", "id", "search-error", "class", "error", "role", "alert", NULL);
    lzs_sd_html_elem(b, "p", message, NULL);
    if (param && *param) {
        lzs_sd_html_static(b, "<p>Parameter: ");
        lzs_sd_html_elem(b, "code", param, "class", "param", NULL);
        lzs_sd_html_static(b, "</p>");
    }
    lzs_sd_html_static(b, "<p><a href=\"/\">Start a new search</a></p></div>"
                          "<ol id=\"results\" class=\"results\"></ol>"
                          "<p id=\"summary\" class=\"summary\" hidden></p></div></div></section>");
}

int lzs_sd_page_error_html(const lzs_sd_web_t *web, const char *title, const char *param,
                           const char *message, lzs_sd_buf_t *out)
{
    const lzs_sd_webfile_t *tpl = web ? lzs_sd_web_find(web, "index.html") : NULL;
    shell_t sh;
    lzs_sd_buf_t view = {0};
    size_t start, end;
    memset(&sh, 0, sizeof sh);
    message_section(&view, title, param, message);
    /* without a page to put it in: the message alone, still HTML */
    if (tpl && find_section(tpl, "view-search", &start, &end) == 0) {
        sh.tpl = tpl;
        shell_common(&sh, title, NULL, "view-search");
        lzs_sd_buf_t *b = add_splice(&sh, start, end);
        if (b)
            lzs_sd_buf_append(b, view.data ? view.data : "", view.len);
    }
    int bad = shell_render(&sh, &view, sh.tpl == NULL, out);
    shell_free(&sh);
    lzs_sd_buf_free(&view);
    return bad || !out->data ? -1 : 0;
}

enum MHD_Result lzs_sd_page_error(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                  lzs_sd_request_t *rq, unsigned status, const char *title,
                                  const char *param, const char *message)
{
    lzs_sd_buf_t out = {0};
    if (lzs_sd_page_error_html(srv->cfg.web, title, param, message, &out) != 0) {
        lzs_sd_buf_free(&out);
        return MHD_NO;
    }
    return lzs_sd_static_send_owned(c, rq, status, &k_untagged, out.data, out.len);
}

/* The HTML page for a failed call of the library: the reader's mistakes (a bad query, a
 * document that does not exist) are pages; the index going away is what the API
 * answers (respond.h), which also starts afresh on the next request. */
static enum MHD_Result page_failure(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                    lzs_sd_request_t *rq, lzs_status_t st,
                                    const lzs_search_error_t *err)
{
    const char *msg = err->message[0] ? err->message : lzs_status_str(st);
    switch (st) {
    case LZS_ERR_NOT_FOUND:
        return lzs_sd_page_error(srv, c, rq, MHD_HTTP_NOT_FOUND, "Not found", err->param, msg);
    case LZS_ERR_INVALID:
    case LZS_ERR_PARSE:
    case LZS_ERR_UTF8:
    case LZS_ERR_LIMIT:
        return lzs_sd_page_error(srv, c, rq, MHD_HTTP_BAD_REQUEST, "This search cannot be run",
                                 err->param, msg);
    default:
        return lzs_sd_respond_failure(srv, c, rq, st, err);
    }
}

static void init_err(lzs_search_error_t *err)
{
    memset(err, 0, sizeof *err);
    err->position = -1;
}

/* The facets of every passage: the reader's names of values (types, languages, Parties,
 * articles) for views whose own answer has none. Caller frees with json_decref. */
static lzs_status_t all_labels(lzs_searcher_t *s, json_t **out, lzs_search_error_t *err)
{
    lzs_search_req_t req;
    lzs_search_req_init(&req);
    req.size = 0;
    req.facets = LZS_FACET_ALL;
    return lzs_search_run(s, &req, out, err);
}

/* The counts of a facet that has selected values are taken without that facet's own
 * filter, into answer's facets: its other values then keep their counts and can be added
 * (the values of one field are OR-ed), as in any faceted catalogue. A search without hits
 * per such field (their counts are cached by the library). */
static lzs_status_t own_facets(lzs_searcher_t *s, const lzs_sd_params_t *p, json_t *answer,
                               lzs_search_error_t *err)
{
    json_t *facets = json_object_get(answer, "facets");
    if (!json_is_object(facets))
        return LZS_OK;
    for (int f = 0; f < LZS_F_COUNT; f++) {
        const char *name = lzs_search_field_name((lzs_field_t)f);
        json_t *without = NULL;
        if (p->req.nvalues[f] == 0 || !json_object_get(facets, name))
            continue;
        lzs_search_req_t req = p->req;
        req.nvalues[f] = 0;
        req.size = 0;
        req.offset = 0;
        req.explain = 0;
        init_err(err);
        lzs_status_t st = lzs_search_run(s, &req, &without, err);
        if (st == LZS_ERR_NOMEM)
            return st;
        /* any other failure keeps the main answer's counts */
        json_t *own =
            st == LZS_OK ? json_object_get(json_object_get(without, "facets"), name) : NULL;
        if (own && json_object_set(facets, name, own) != 0) {
            json_decref(without);
            return LZS_ERR_NOMEM;
        }
        json_decref(without);
    }
    return LZS_OK;
}

static enum MHD_Result page_search(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                   lzs_sd_request_t *rq, lzs_searcher_t *s, shell_t *sh)
{
    lzs_sd_params_t *p = malloc(sizeof *p);
    lzs_search_error_t err;
    json_t *answer = NULL;
    lzs_sd_buf_t view = {0}, title = {0};
    unsigned status = MHD_HTTP_OK;
    const char *error = NULL;
    size_t start, end;
    if (!p) {
        shell_free(sh);
        return MHD_NO;
    }
    /* a copy (its filter values still the request's) with the page's page size unless
     * the URL sets one, and why each hit matched, always */
    *p = *rq->params;
    init_err(&err);
    if (!p->size_given)
        p->req.size = LZS_SD_VIEW_PAGE_SIZE;
    p->req.explain = 1;
    lzs_status_t st = lzs_search_run(s, &p->req, &answer, &err);
    if (st == LZS_ERR_INVALID || st == LZS_ERR_PARSE || st == LZS_ERR_UTF8 || st == LZS_ERR_LIMIT) {
        /* the page with the query to correct and the library's sentence saying what is
         * wrong with it */
        status = MHD_HTTP_BAD_REQUEST;
        error = err.message[0] ? err.message : lzs_status_str(st);
    } else if (st != LZS_OK) {
        free(p);
        shell_free(sh);
        return page_failure(srv, c, rq, st, &err);
    }
    if (answer && own_facets(s, p, answer, &err) != LZS_OK) {
        json_decref(answer);
        free(p);
        shell_free(sh);
        return page_failure(srv, c, rq, LZS_ERR_NOMEM, &err);
    }
    lzs_sd_view_search(&view, p, answer, error);
    lzs_sd_view_read_as(&sh->read_as, p, answer);
    if (p->req.q && *p->req.q)
        lzs_sd_buf_printf(&title, "%s — search — lanzasearch", p->req.q);
    shell_common(sh, title.data, p->req.q, "view-search");
    shell_read_as(sh);
    if (find_section(sh->tpl, "view-search", &start, &end) == 0) {
        lzs_sd_buf_t *b = add_splice(sh, start, end);
        if (b)
            lzs_sd_buf_append(b, view.data ? view.data : "", view.len);
    }
    enum MHD_Result res = send_shell(c, rq, status, sh, &view, p->fragment);
    lzs_sd_buf_free(&view);
    lzs_sd_buf_free(&title);
    json_decref(answer);
    free(p);
    return res;
}

/* The absolute URL of this server, for "Cite this passage": from the Host the request
 * named (escaped like all text when written). */
static void self_base(struct MHD_Connection *c, char *out, size_t cap)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    snprintf(out, cap, "http://%s", host && *host ? host : "localhost");
}

/* The passages of document doc (/api/doc's "doc", borrowed) that match the query of p:
 * a search of it in reading order, narrowed to the document's reference when it has one
 * (the view keeps this document's hits). A query the library refuses marks nothing. */
static lzs_status_t doc_matches(lzs_searcher_t *s, const lzs_sd_params_t *p, const json_t *doc,
                                json_t **out, lzs_search_error_t *err)
{
    const char *ref = lzs_sd_view_str(doc, "ref");
    const char *refs[1] = {ref};
    lzs_search_req_t req;
    lzs_search_req_init(&req);
    req.q = p->req.q;
    req.size = 100;
    req.sort = LZS_SORT_ORDER;
    req.facets = 0;
    if (ref) {
        req.values[LZS_F_REF] = refs;
        req.nvalues[LZS_F_REF] = 1;
    }
    lzs_status_t st = lzs_search_run(s, &req, out, err);
    if (st == LZS_ERR_INVALID || st == LZS_ERR_PARSE || st == LZS_ERR_UTF8 || st == LZS_ERR_LIMIT)
        return LZS_OK;
    return st;
}

static enum MHD_Result page_doc(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                lzs_sd_request_t *rq, lzs_searcher_t *s, shell_t *sh)
{
    const lzs_sd_params_t *p = rq->params;
    lzs_search_error_t err;
    json_t *doc = NULL, *labels = NULL, *similar = NULL, *matches = NULL;
    lzs_sd_buf_t view = {0}, title = {0};
    char base[300];
    size_t start, end;
    init_err(&err);
    lzs_status_t st = lzs_search_document(s, p->doc, &doc, &err);
    if (st == LZS_OK) {
        init_err(&err);
        st = all_labels(s, &labels, &err);
    }
    if (st == LZS_OK && p->passage && *p->passage) {
        /* the same call as GET /api/similar/{id} with the size the script asked for; a
         * passage that is not one is no error of the page: it has no similar ones */
        init_err(&err);
        st = lzs_search_similar(s, p->passage, LZS_SD_VIEW_SIMILAR, &similar, &err);
        if (st == LZS_ERR_NOT_FOUND || st == LZS_ERR_INVALID)
            st = LZS_OK;
    }
    if (st == LZS_OK && p->req.q && *p->req.q) {
        init_err(&err);
        st = doc_matches(s, p, json_object_get(doc, "doc"), &matches, &err);
    }
    if (st != LZS_OK) {
        json_decref(doc);
        json_decref(labels);
        json_decref(similar);
        shell_free(sh);
        return page_failure(srv, c, rq, st, &err);
    }
    self_base(c, base, sizeof base);
    lzs_sd_view_doc(&view, p, doc, json_object_get(labels, "facets"), base, similar, matches);
    const char *t = lzs_sd_view_str(json_object_get(doc, "doc"), "title");
    lzs_sd_buf_printf(&title, "%s — lanzasearch", t ? t : p->doc);
    shell_common(sh, title.data, p->req.q, "view-doc");
    if (find_section(sh->tpl, "view-doc", &start, &end) == 0) {
        lzs_sd_buf_t *b = add_splice(sh, start, end);
        if (b)
            lzs_sd_buf_append(b, view.data ? view.data : "", view.len);
    }
    enum MHD_Result res = send_shell(c, rq, MHD_HTTP_OK, sh, &view, p->fragment);
    lzs_sd_buf_free(&view);
    lzs_sd_buf_free(&title);
    json_decref(doc);
    json_decref(labels);
    json_decref(similar);
    json_decref(matches);
    return res;
}

/* Every recommendation addressed to code (and to all Parties when all), in reading
 * order: the pages of the search appended into one "hits" array of *out. */
static lzs_status_t party_recs(lzs_searcher_t *s, const char *code, int all, json_t **out,
                               lzs_search_error_t *err)
{
    const char *values[2] = {code, "all"};
    json_t *hits = json_array();
    json_t *first = NULL;
    lzs_status_t st = LZS_OK;
    if (!hits)
        return LZS_ERR_NOMEM;
    for (uint32_t offset = 0; offset < PARTY_MAX; offset += PARTY_PAGE) {
        lzs_search_req_t req;
        json_t *page = NULL;
        lzs_search_req_init(&req);
        req.values[LZS_F_ADDRESSEE] = values;
        req.nvalues[LZS_F_ADDRESSEE] = all ? 2 : 1;
        req.sort = LZS_SORT_ORDER;
        req.size = PARTY_PAGE;
        req.offset = offset;
        req.facets = offset == 0 ? LZS_FACET_ALL : 0;
        st = lzs_search_run(s, &req, &page, err);
        if (st != LZS_OK)
            break;
        json_t *h = json_object_get(page, "hits");
        size_t n = json_array_size(h);
        json_array_extend(hits, h);
        if (!first) {
            first = page;
        } else {
            json_decref(page);
        }
        if (n < PARTY_PAGE)
            break;
    }
    if (st != LZS_OK) {
        json_decref(hits);
        json_decref(first);
        return st;
    }
    json_object_set_new(first, "hits", hits);
    *out = first;
    return LZS_OK;
}

static enum MHD_Result page_party(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                  lzs_sd_request_t *rq, lzs_searcher_t *s, shell_t *sh)
{
    const lzs_sd_params_t *p = rq->params;
    lzs_search_error_t err;
    json_t *picker = NULL, *recs = NULL;
    lzs_sd_buf_t view = {0}, title = {0};
    size_t start, end;
    static const char *const levels[] = {"require", "request", "invite", "urge", "consider"};
    lzs_search_req_t req;
    init_err(&err);
    lzs_search_req_init(&req);
    req.size = 0;
    req.facets = LZS_FACET_ALL;
    req.values[LZS_F_LEVEL] = levels;
    req.nvalues[LZS_F_LEVEL] = 5;
    lzs_status_t st = lzs_search_run(s, &req, &picker, &err);
    const char *name = NULL;
    if (st == LZS_OK && p->party_view && *p->party_view) {
        name = lzs_sd_view_label(json_object_get(picker, "facets"), "addressee", p->party_view);
        if (name) {
            init_err(&err);
            st = party_recs(s, p->party_view, p->all, &recs, &err);
        }
    }
    if (st != LZS_OK) {
        json_decref(picker);
        shell_free(sh);
        return page_failure(srv, c, rq, st, &err);
    }
    lzs_sd_view_party(&view, p, picker, recs);
    if (name)
        lzs_sd_buf_printf(&title, "%s: recommendations — lanzasearch", name);
    else
        lzs_sd_buf_puts(&title, "Recommendations by Party — lanzasearch");
    shell_common(sh, title.data, NULL, "view-party");
    if (find_section(sh->tpl, "view-party", &start, &end) == 0) {
        lzs_sd_buf_t *b = add_splice(sh, start, end);
        if (b)
            lzs_sd_buf_append(b, view.data ? view.data : "", view.len);
    }
    unsigned status = p->party_view && *p->party_view && !name ? MHD_HTTP_NOT_FOUND : MHD_HTTP_OK;
    enum MHD_Result res = send_shell(c, rq, status, sh, &view, p->fragment);
    lzs_sd_buf_free(&view);
    lzs_sd_buf_free(&title);
    json_decref(picker);
    json_decref(recs);
    return res;
}

/* The facets of a search of every recommendation: the Parties recommendations are
 * addressed to, with their counts (the Party picker, the comparison's form). */
static lzs_status_t recommendation_facets(lzs_searcher_t *s, json_t **out, lzs_search_error_t *err)
{
    static const char *const levels[] = {"require", "request", "invite", "urge", "consider"};
    lzs_search_req_t req;
    lzs_search_req_init(&req);
    req.size = 0;
    req.facets = LZS_FACET_ALL;
    req.values[LZS_F_LEVEL] = levels;
    req.nvalues[LZS_F_LEVEL] = 5;
    return lzs_search_run(s, &req, out, err);
}

/* The comparison of the Parties given as party values (the other filters and q narrow
 * it, as on /api/compare). Fewer than two Parties: the form, saying so. */
static enum MHD_Result page_compare(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                    lzs_sd_request_t *rq, lzs_searcher_t *s, shell_t *sh)
{
    const lzs_sd_params_t *p = rq->params;
    lzs_search_error_t err;
    json_t *picker = NULL, *cmp = NULL;
    lzs_sd_buf_t view = {0};
    size_t start, end;
    const char *error = NULL;
    unsigned status = MHD_HTTP_OK;
    init_err(&err);
    lzs_status_t st = recommendation_facets(s, &picker, &err);
    if (st == LZS_OK && p->req.nvalues[LZS_F_PARTY] >= 2) {
        lzs_search_req_t req = p->req;
        req.nvalues[LZS_F_PARTY] = 0; /* the Parties compared, not a filter */
        init_err(&err);
        st = lzs_search_compare(s, &req, p->values[LZS_F_PARTY], p->req.nvalues[LZS_F_PARTY], &cmp,
                                &err);
        if (st == LZS_ERR_INVALID || st == LZS_ERR_PARSE || st == LZS_ERR_UTF8 ||
            st == LZS_ERR_LIMIT) {
            status = MHD_HTTP_BAD_REQUEST;
            error = err.message[0] ? err.message : lzs_status_str(st);
            st = LZS_OK;
        }
    } else if (st == LZS_OK && p->req.nvalues[LZS_F_PARTY] == 1) {
        error = "Choose at least two Parties to compare.";
    }
    if (st != LZS_OK) {
        json_decref(picker);
        shell_free(sh);
        return page_failure(srv, c, rq, st, &err);
    }
    lzs_sd_view_compare(&view, p, picker, cmp, error);
    shell_common(sh, "Parties compared — lanzasearch", p->req.q, "view-compare");
    if (find_section(sh->tpl, "view-compare", &start, &end) == 0) {
        lzs_sd_buf_t *b = add_splice(sh, start, end);
        if (b)
            lzs_sd_buf_append(b, view.data ? view.data : "", view.len);
    }
    enum MHD_Result res = send_shell(c, rq, status, sh, &view, p->fragment);
    lzs_sd_buf_free(&view);
    json_decref(picker);
    json_decref(cmp);
    return res;
}

uint64_t lzs_sd_page_version(const lzs_sd_config_t *cfg)
{
    uint64_t web = cfg->web ? cfg->web->version : 0;
    const char *datadir = cfg->ex ? lzs_extract_datadir(cfg->ex) : NULL;
    uint64_t data = datadir ? lzs_sd_dir_hash(datadir) : 0;
    const char *base = cfg->base_url ? cfg->base_url : "";
    uint64_t h = LZS_HASH_START;
    h = lzs_hash_more(h, &web, sizeof web);
    h = lzs_hash_more(h, &data, sizeof data);
    h = lzs_hash_more(h, &cfg->max_postings, sizeof cfg->max_postings);
    h = lzs_hash_more(h, &cfg->max_expansion, sizeof cfg->max_expansion);
    return lzs_hash_more(h, base, strlen(base) + 1);
}

/* The tag of the page rq asks for, into tag and tag_gz: a hash of what its bytes are made
 * from — the page version (lzs_sd_page_version), the index's revision, commit time and size,
 * each collection's name and revision, the request's Host (the citation's address) and
 * target. -1 when the index cannot say which revision it is (then the page has no
 * validator). */
static int page_tag(lzs_sd_server_t *srv, struct MHD_Connection *c, lzs_sd_request_t *rq,
                    lzs_searcher_t *s, char *tag, size_t cap, char *tag_gz, size_t cap_gz)
{
    uint32_t docs = 0;
    uint64_t rev = 0;
    int64_t committed = 0;
    if (lzs_searcher_stats(s, &docs, &rev) != LZS_OK)
        return -1;
    if (lzs_searcher_committed(s, &committed) != LZS_OK)
        committed = 0;
    if (rev == 0 && committed == 0)
        return -1;
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    uint64_t h = LZS_HASH_START;
    h = lzs_hash_more(h, &srv->page_version, sizeof srv->page_version);
    h = lzs_hash_more(h, &rev, sizeof rev);
    h = lzs_hash_more(h, &committed, sizeof committed);
    h = lzs_hash_more(h, &docs, sizeof docs);
    /* the first index's revision says nothing of a commit to another one */
    for (size_t i = 0; lzs_searcher_collections(s) > 1 && i < lzs_searcher_collections(s); i++) {
        const char *name = NULL;
        uint64_t crev = 0;
        int known = 0;
        if (lzs_searcher_collection(s, i, &name, &crev, &known) != LZS_OK)
            return -1;
        h = lzs_hash_more(h, name, strlen(name) + 1);
        h = lzs_hash_more(h, &crev, sizeof crev);
    }
    h = lzs_hash_more(h, host ? host : "", host ? strlen(host) + 1 : 1);
    h = lzs_hash_more(h, rq->uri, strlen(rq->uri));
    snprintf(tag, cap, "\"p%016llx\"", (unsigned long long)h);
    snprintf(tag_gz, cap_gz, "\"p%016llx-gz\"", (unsigned long long)h);
    return 0;
}

enum MHD_Result lzs_sd_route_page(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                  lzs_sd_request_t *rq)
{
    const lzs_sd_params_t *p = rq->params;
    const lzs_sd_webfile_t *tpl = srv->cfg.web ? lzs_sd_web_find(srv->cfg.web, "index.html") : NULL;
    shell_t sh;
    char tag[32], tag_gz[36];
    lzs_sd_static_meta_t m = {LZS_SD_HTML_TYPE, tag, tag_gz, 0, NULL};
    if (!tpl)
        return lzs_sd_respond_error(c, rq, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
    lzs_searcher_t *s = lzs_sd_worker_searcher(srv);
    if (!s)
        return lzs_sd_page_error(srv, c, rq, MHD_HTTP_SERVICE_UNAVAILABLE,
                                 "The documents cannot be searched just now", NULL,
                                 "The index is not available (the server's log says why): try "
                                 "again later.");
    memset(&sh, 0, sizeof sh);
    sh.tpl = tpl;
    sh.m = &k_untagged;
    if (page_tag(srv, c, rq, s, tag, sizeof tag, tag_gz, sizeof tag_gz) == 0) {
        /* checked before the page is made: an unchanged page costs no search */
        int gz = lzs_sd_static_wants_gzip(c);
        if (lzs_sd_static_unchanged(c, &m, gz))
            return lzs_sd_static_send_unchanged(c, rq, &m, gz);
        sh.m = &m;
    }
    if (p->compare)
        return page_compare(srv, c, rq, s, &sh);
    if (p->party_view)
        return page_party(srv, c, rq, s, &sh);
    if (p->doc)
        return page_doc(srv, c, rq, s, &sh);
    return page_search(srv, c, rq, s, &sh);
}
