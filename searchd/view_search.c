/* view_search.c — the results view of the page: summary, hits with snippets, pages,
 * active filters, and every facet of the answer as links with counts (see view.h). */
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

/* What a facet is called; a facet not listed here (added to the answer later) is shown
 * under its own name, with the labels of its values from the answer. */
static const struct {
    const char *field, *title;
} facet_titles[] = {
    {"year", "Year"},
    {"type", "Document type"},
    {"level", "Recommendation level"},
    {"addressee", "Addressed to"},
    {"party", "Party mentioned"},
    {"article", "Article of the Convention"},
    {"cites", "Documents cited"},
    {"instrument", "Instruments cited"},
    {"lang", "Language"},
    {"ref", "Reference"},
    {"rec", "Recommendation"},
    {"collection", "Collection"},
};

static const char *facet_title(const char *field)
{
    for (size_t i = 0; i < sizeof facet_titles / sizeof facet_titles[0]; i++) {
        if (strcmp(facet_titles[i].field, field) == 0)
            return facet_titles[i].title;
    }
    return field;
}

static int has_filters(const lzs_sd_params_t *p)
{
    for (int f = 0; f < LZS_F_COUNT; f++) {
        if (p->req.nvalues[f] > 0)
            return 1;
    }
    return 0;
}

static int selected(const lzs_sd_params_t *p, const char *field, const char *value)
{
    int f = lzs_search_field_from_name(field);
    if (f < 0)
        return 0;
    for (size_t i = 0; i < p->req.nvalues[f]; i++) {
        if (strcmp(p->values[f][i], value) == 0)
            return 1;
    }
    return 0;
}

/* The summary line: "All 472 passages" or "13 passages match", and the suggestion. */
static void summary(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *answer)
{
    long long total = json_integer_value(json_object_get(answer, "total"));
    int doc = p->req.group == LZS_GROUP_DOCUMENT;
    int browsing = !(p->req.q && *p->req.q) && !has_filters(p);
    const char *sugg = lzs_sd_view_str(answer, "suggestion");
    lzs_sd_html_static(b, "<div class=\"summary-box\">"
                          "<p id=\"summary\" class=\"summary\">");
    if (browsing)
        lzs_sd_html_static(b, "All ");
    lzs_sd_html_static(b, "<strong>");
    lzs_sd_html_count(b, total);
    lzs_sd_html_static(b, "</strong> ");
    lzs_sd_html_text(b, total == 1 ? (doc ? "document" : "passage")
                                   : (doc ? "documents" : "passages"));
    if (!browsing)
        lzs_sd_html_text(b, total == 1 ? " matches" : " match");
    lzs_sd_html_static(b, "</p>");
    if (sugg && *sugg && !(p->req.q && strcmp(sugg, p->req.q) == 0)) {
        lzs_sd_buf_t u = {0};
        lzs_sd_params_t next = *p;
        next.req.q = sugg;
        next.req.offset = 0;
        lzs_sd_buf_puts(&u, "/");
        lzs_sd_view_search_query(&u, &next, 0, NULL, NULL, NULL, NULL);
        lzs_sd_html_static(b, "<p id=\"suggestion\" class=\"suggestion\">Did you mean ");
        lzs_sd_html_elem(b, "a", sugg, "href", u.data ? u.data : "/", "id", "suggestion-link",
                         NULL);
        lzs_sd_html_static(b, "?</p>");
        lzs_sd_buf_free(&u);
    } else {
        lzs_sd_html_static(b, "<p id=\"suggestion\" class=\"suggestion\" hidden></p>");
    }
    lzs_sd_html_static(b, "</div>");
}

/* Passages or documents, the sort, the export link and the way to the filters; the
 * controls belong to the search form (form="search-form") so that submitting it keeps
 * them, and "Apply" submits without a script. */
static void controls(lzs_sd_buf_t *b, const lzs_sd_params_t *p, long long total)
{
    static const struct {
        lzs_sort_t sort;
        const char *value, *label;
    } sorts[] = {{LZS_SORT_RELEVANCE, "relevance", "best match first"},
                 {LZS_SORT_NEWEST, "newest", "newest first"},
                 {LZS_SORT_OLDEST, "oldest", "oldest first"},
                 {LZS_SORT_ORDER, "order", "as in the documents"}};
    int doc = p->req.group == LZS_GROUP_DOCUMENT;
    int has_q = p->req.q && *p->req.q;
    lzs_sd_html_static(b, "<div class=\"controls\"><fieldset class=\"segmented\">"
                          "<legend class=\"visually-hidden\">Show</legend>");
    lzs_sd_html_open(b, "input", "type", "radio", "name", "group", "id", "group-passage", "value",
                     "passage", "form", "search-form", "checked", doc ? NULL : "", NULL);
    lzs_sd_html_static(b, "<label for=\"group-passage\">Passages</label>");
    lzs_sd_html_open(b, "input", "type", "radio", "name", "group", "id", "group-document", "value",
                     "document", "form", "search-form", "checked", doc ? "" : NULL, NULL);
    lzs_sd_html_static(b, "<label for=\"group-document\">Documents</label></fieldset>"
                          "<label class=\"sort-label\" for=\"sort\">Sort "
                          "<select id=\"sort\" name=\"sort\" form=\"search-form\">");
    for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++) {
        /* without a query there is no relevance to sort by: the default order is the
         * documents' own */
        const char *label =
            sorts[i].sort == LZS_SORT_RELEVANCE && !has_q ? "unsorted" : sorts[i].label;
        lzs_sd_html_elem(b, "option", label, "value", sorts[i].value, "selected",
                         p->req.sort == sorts[i].sort ? "" : NULL, NULL);
    }
    lzs_sd_html_static(b, "</select></label>");
    /* the filters and page size go along when the form is submitted (a new query, another
     * sort): they narrow the search until a chip takes them away */
    for (int f = 0; f < LZS_F_COUNT; f++) {
        for (size_t i = 0; i < p->req.nvalues[f]; i++)
            lzs_sd_html_open(b, "input", "type", "hidden", "name",
                             lzs_search_field_name((lzs_field_t)f), "value", p->values[f][i],
                             "form", "search-form", NULL);
    }
    if (p->size_given) {
        char n[16];
        snprintf(n, sizeof n, "%u", p->req.size);
        lzs_sd_html_open(b, "input", "type", "hidden", "name", "size", "value", n, "form",
                         "search-form", NULL);
    }
    lzs_sd_html_static(b, "<noscript><button type=\"submit\" form=\"search-form\" "
                          "class=\"button secondary\">Apply</button></noscript>");
    lzs_sd_buf_t u = {0};
    lzs_sd_buf_puts(&u, "/api/export");
    lzs_sd_view_search_query(&u, p, 0, NULL, NULL, "format", "csv");
    lzs_sd_html_elem(b, "a", "Export CSV", "id", "export", "class", "button secondary", "href",
                     u.data ? u.data : "/api/export", "download", "lanzasearch-results.csv",
                     "hidden", total > 0 ? NULL : "", NULL);
    lzs_sd_buf_free(&u);
    /* Follow this search: the Atom feed of its query and filters (a feed takes no paging,
     * order or grouping) */
    lzs_sd_buf_t f = {0};
    lzs_sd_buf_puts(&f, "/api/feed");
    if (p->req.q && *p->req.q)
        lzs_sd_url_param(&f, "q", p->req.q);
    for (int k = 0; k < LZS_F_COUNT; k++) {
        for (size_t i = 0; i < p->req.nvalues[k]; i++)
            lzs_sd_url_param(&f, lzs_search_field_name((lzs_field_t)k), p->values[k][i]);
    }
    lzs_sd_html_elem(b, "a", "Follow this search", "id", "follow", "class", "button secondary",
                     "href", f.data ? f.data : "/api/feed", "type", "application/atom+xml", "title",
                     "An Atom feed of the newest documents matching this search", NULL);
    lzs_sd_buf_free(&f);
    lzs_sd_html_static(
        b, "<a class=\"button secondary filters-jump\" href=\"#facets\">Filters</a></div>");
}

/* The active filters, each a link to the same search without it. */
static void chips(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *facets)
{
    if (!has_filters(p)) {
        lzs_sd_html_static(
            b, "<ul id=\"chips\" class=\"chips\" aria-label=\"Active filters\" hidden></ul>");
        return;
    }
    int nchips = 0;
    lzs_sd_html_static(b, "<ul id=\"chips\" class=\"chips\" aria-label=\"Active filters\">");
    for (int f = 0; f < LZS_F_COUNT; f++) {
        const char *field = lzs_search_field_name((lzs_field_t)f);
        for (size_t i = 0; i < p->req.nvalues[f]; i++) {
            const char *v = p->values[f][i];
            const char *label = lzs_sd_view_label(facets, field, v);
            lzs_sd_buf_t u = {0}, name = {0};
            lzs_sd_buf_puts(&u, "/");
            lzs_sd_view_search_query(&u, p, 0, field, v, NULL, NULL);
            lzs_sd_buf_printf(&name, "Remove filter %s: %s", facet_title(field), label ? label : v);
            lzs_sd_html_static(b, "<li>");
            lzs_sd_html_open(b, "a", "class", "chip", "href", u.len > 1 ? u.data : "/",
                             "aria-label", name.data ? name.data : "", NULL);
            lzs_sd_html_static(b, "<span class=\"chip-field\">");
            lzs_sd_html_textf(b, "%s:", facet_title(field));
            lzs_sd_html_static(b, "</span> ");
            if (!label && f == LZS_F_YEAR && strstr(v, "..")) {
                /* a range of years as a reader writes it: 2015–2019 */
                const char *dots = strstr(v, "..");
                lzs_sd_html_open(b, "span", "class", "chip-value", NULL);
                lzs_sd_html_textf(b, "%.*s–%s", (int)(dots - v), v, dots + 2);
                lzs_sd_html_close(b, "span");
            } else {
                lzs_sd_html_elem(b, "span", label ? label : v, "class", "chip-value", NULL);
            }
            lzs_sd_html_static(b, "<span class=\"chip-x\" aria-hidden=\"true\">×</span></a></li>");
            lzs_sd_buf_free(&u);
            lzs_sd_buf_free(&name);
            nchips++;
        }
    }
    if (nchips > 1) {
        /* the same search without any filter */
        lzs_sd_params_t none = *p;
        lzs_sd_buf_t u = {0};
        memset(none.req.nvalues, 0, sizeof none.req.nvalues);
        none.req.offset = 0;
        lzs_sd_buf_puts(&u, "/");
        lzs_sd_view_search_query(&u, &none, 0, NULL, NULL, NULL, NULL);
        lzs_sd_html_static(b, "<li>");
        lzs_sd_html_elem(b, "a", "Clear all filters", "class", "link-button clear-filters", "href",
                         u.len > 1 ? u.data : "/", NULL);
        lzs_sd_html_static(b, "</li>");
        lzs_sd_buf_free(&u);
    }
    lzs_sd_html_static(b, "</ul>");
}

static void hit_meta(lzs_sd_buf_t *b, const json_t *doc, const json_t *facets)
{
    const char *ref = lzs_sd_view_str(doc, "ref");
    const char *date = lzs_sd_view_str(doc, "date");
    const char *type = lzs_sd_view_str(doc, "type");
    const char *lang = lzs_sd_view_str(doc, "lang");
    const json_t *year = json_object_get(doc, "year");
    int n = 0;
    lzs_sd_html_static(b, "<p class=\"hit-meta\">");
    if (ref) {
        lzs_sd_html_elem(b, "span", ref, "class", "ref", NULL);
        n++;
    }
    if (date || json_is_integer(year)) {
        if (n++)
            lzs_sd_html_static(b, "<span class=\"sep\" aria-hidden=\"true\">·</span>");
        lzs_sd_html_open(b, "time", "datetime", date, NULL);
        if (date)
            lzs_sd_view_date(b, date);
        else
            lzs_sd_html_textf(b, "%lld", (long long)json_integer_value(year));
        lzs_sd_html_close(b, "time");
    }
    if (type) {
        const char *label = lzs_sd_view_label(facets, "type", type);
        if (n++)
            lzs_sd_html_static(b, "<span class=\"sep\" aria-hidden=\"true\">·</span>");
        lzs_sd_html_elem(b, "span", label ? label : type, NULL);
    }
    if (lang) {
        const char *label = lzs_sd_view_label(facets, "lang", lang);
        char upper[16];
        size_t k = 0;
        for (; lang[k] && k + 1 < sizeof upper; k++)
            upper[k] = (char)(lang[k] >= 'a' && lang[k] <= 'z' ? lang[k] - 32 : lang[k]);
        upper[k] = '\0';
        if (n++)
            lzs_sd_html_static(b, "<span class=\"sep\" aria-hidden=\"true\">·</span>");
        lzs_sd_html_elem(b, "span", upper, "class", "lang", "title", label ? label : lang, NULL);
    }
    lzs_sd_html_static(b, "</p>");
}

/* The Parties a recommendation is addressed to, each a link to its Party view. */
static void addressees(lzs_sd_buf_t *b, const json_t *passage, const json_t *facets)
{
    const json_t *list = json_object_get(passage, "addressees");
    size_t i;
    const json_t *v;
    if (!json_is_array(list) || json_array_size(list) == 0)
        return;
    json_array_foreach(list, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), "all") == 0) {
            lzs_sd_html_static(b, "<p class=\"addressees\"><span class=\"badge to-all\">"
                                  "Addressed to all Parties</span></p>");
            return;
        }
    }
    lzs_sd_html_static(b,
                       "<p class=\"addressees\"><span class=\"addr-label\">Addressed to </span>");
    json_array_foreach(list, i, v)
    {
        const char *code = json_string_value(v);
        const char *name = lzs_sd_view_label(facets, "addressee", code);
        lzs_sd_buf_t u = {0};
        if (!code)
            continue;
        lzs_sd_buf_puts(&u, "/");
        lzs_sd_url_param(&u, "party_view", code);
        if (i)
            lzs_sd_html_static(b, ", ");
        lzs_sd_html_elem(b, "a", name ? name : code, "class", "party-link", "href",
                         u.data ? u.data : "/", NULL);
        lzs_sd_buf_free(&u);
    }
    lzs_sd_html_static(b, "</p>");
}

static void why(lzs_sd_buf_t *b, const json_t *explain)
{
    size_t i, k;
    const json_t *e, *m;
    if (!json_is_array(explain) || json_array_size(explain) == 0)
        return;
    lzs_sd_html_static(b, "<details class=\"why\"><summary>Why this result</summary><ul>");
    json_array_foreach(explain, i, e)
    {
        const json_t *matched = json_object_get(e, "matched");
        lzs_sd_html_static(b, "<li>");
        lzs_sd_html_elem(b, "span", lzs_sd_view_str(e, "term"), "class", "why-term", NULL);
        json_array_foreach(matched, k, m)
        {
            if (k)
                lzs_sd_html_static(b, ", ");
            else
                lzs_sd_html_static(b, " — ");
            lzs_sd_html_text(b, json_string_value(m));
        }
        lzs_sd_html_static(b, "</li>");
    }
    lzs_sd_html_static(b, "</ul></details>");
}

static void hit(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *h, const json_t *facets)
{
    const json_t *doc = json_object_get(h, "doc");
    const json_t *pas = json_object_get(h, "passage");
    const char *id = lzs_sd_view_str(h, "id");
    const char *doc_id = lzs_sd_view_str(doc, "id");
    const char *title = lzs_sd_view_str(doc, "title");
    const char *lang = lzs_sd_view_str(doc, "lang");
    const char *level = lzs_sd_view_str(pas, "level");
    const json_t *section = json_object_get(pas, "section");
    const json_t *page = json_object_get(pas, "page");
    const json_t *matches = json_object_get(h, "matches");
    lzs_sd_buf_t u = {0};
    if (!title)
        title = lzs_sd_view_str(doc, "ref");
    if (!title)
        title = doc_id ? doc_id : "Untitled document";
    lzs_sd_view_doc_url(&u, p, doc_id, id);
    if (json_is_integer(json_object_get(pas, "no")))
        lzs_sd_buf_printf(&u, "#passage-%lld",
                          (long long)json_integer_value(json_object_get(pas, "no")));
    lzs_sd_html_static(b, "<li class=\"hit-item\">");
    lzs_sd_html_open(b, "article", "class", level ? "hit is-rec" : "hit", NULL);
    lzs_sd_html_static(b, "<div class=\"hit-head\">");
    lzs_sd_view_level_badge(b, level);
    lzs_sd_html_static(b, "<span class=\"hit-label\">");
    lzs_sd_view_passage_label(b, pas);
    lzs_sd_html_static(b, "</span>");
    if (json_is_integer(page) && json_integer_value(page) > 0) {
        lzs_sd_html_static(b, "<span class=\"hit-page\">");
        lzs_sd_html_textf(b, "p. %lld", (long long)json_integer_value(page));
        lzs_sd_html_static(b, "</span>");
    }
    if (json_is_array(section) && json_array_size(section) > 0) {
        const json_t *last = json_array_get(section, json_array_size(section) - 1);
        lzs_sd_html_elem(b, "span", json_string_value(last), "class", "hit-section", "lang", lang,
                         NULL);
    }
    lzs_sd_html_static(b, "</div>");
    lzs_sd_html_open(b, "h2", "class", "hit-title", "lang", lang, NULL);
    lzs_sd_html_elem(b, "a", title, "href", u.data ? u.data : "/", NULL);
    lzs_sd_html_close(b, "h2");
    hit_meta(b, doc, facets);
    lzs_sd_view_snippet(b, h, lang, 1);
    addressees(b, pas, facets);
    why(b, json_object_get(h, "explain"));
    if (p->req.group == LZS_GROUP_DOCUMENT &&
        (json_is_array(matches) || json_is_integer(matches))) {
        long long n = json_is_array(matches) ? (long long)json_array_size(matches)
                                             : (long long)json_integer_value(matches);
        if (n > 0) {
            lzs_sd_html_static(b, "<p class=\"matches\">");
            lzs_sd_html_open(b, "a", "href", u.data ? u.data : "/", NULL);
            lzs_sd_html_count(b, n);
            lzs_sd_html_text(b, n == 1 ? " matching passage in this document"
                                       : " matching passages in this document");
            lzs_sd_html_static(b, "</a></p>");
        }
    }
    lzs_sd_html_static(b, "</article></li>");
    lzs_sd_buf_free(&u);
}

/* Previous, "Page X of Y", next: Y counts the pages the hits fill (the last may be
 * short). An offset past the last hit is no page of Y: it says so, and "Previous" leads
 * to the last page. */
static void pager(lzs_sd_buf_t *b, const lzs_sd_params_t *p, long long total)
{
    long long size = p->req.size ? p->req.size : LZS_SD_VIEW_PAGE_SIZE;
    long long reach = total < LZS_SEARCH_MAX_OFFSET + size ? total : LZS_SEARCH_MAX_OFFSET + size;
    long long pages = (reach + size - 1) / size;
    long long page = p->req.offset / size + 1;
    if (pages <= 1 && p->req.offset == 0) {
        lzs_sd_html_static(
            b, "<nav id=\"pager\" class=\"pager\" aria-label=\"Result pages\" hidden></nav>");
        return;
    }
    int past = page > pages;
    lzs_sd_html_static(b, "<nav id=\"pager\" class=\"pager\" aria-label=\"Result pages\">");
    for (int dir = -1; dir <= 1; dir += 2) {
        long long to = past && dir < 0 ? (pages > 0 ? pages - 1 : 0) * size
                                       : (long long)p->req.offset + dir * size;
        int enabled = dir < 0 ? p->req.offset > 0 : to < total && to <= LZS_SEARCH_MAX_OFFSET;
        const char *label = dir < 0 ? "← Previous" : "Next →";
        if (dir > 0) {
            lzs_sd_html_static(b, "<span class=\"page-no\">");
            if (past) {
                lzs_sd_html_static(b, "Past the last page (");
                lzs_sd_html_count(b, pages);
                lzs_sd_html_static(b, ")");
            } else {
                lzs_sd_html_static(b, "Page ");
                lzs_sd_html_count(b, page);
                lzs_sd_html_static(b, " of ");
                lzs_sd_html_count(b, pages);
            }
            lzs_sd_html_static(b, "</span>");
        }
        if (!enabled) {
            lzs_sd_html_elem(b, "span", label, "class", "button secondary disabled",
                             "aria-disabled", "true", NULL);
            continue;
        }
        lzs_sd_params_t next = *p;
        next.req.offset = (uint32_t)(to < 0 ? 0 : to);
        lzs_sd_buf_t u = {0};
        lzs_sd_buf_puts(&u, "/");
        lzs_sd_view_search_query(&u, &next, 1, NULL, NULL, NULL, NULL);
        lzs_sd_html_elem(b, "a", label, "class", "button secondary", "href",
                         u.len > 1 ? u.data : "/", "rel", dir < 0 ? "prev" : "next", NULL);
        lzs_sd_buf_free(&u);
    }
    lzs_sd_html_static(b, "</nav>");
}

/* The first and last year of a year filter value ("2021", "2015..2019"); -1 if not one. */
static int year_range(const char *v, int *lo, int *hi)
{
    int a = 0, b = 0, used = 0;
    if (sscanf(v, "%4d..%4d%n", &a, &b, &used) == 2 && v[used] == '\0') {
        *lo = a < b ? a : b;
        *hi = a < b ? b : a;
        return 0;
    }
    if (sscanf(v, "%4d%n", &a, &used) == 1 && v[used] == '\0') {
        *lo = *hi = a;
        return 0;
    }
    return -1;
}

/* 1 when year is inside a year value of p. */
static int year_selected(const lzs_sd_params_t *p, int year)
{
    for (size_t i = 0; i < p->req.nvalues[LZS_F_YEAR]; i++) {
        int lo, hi;
        if (year_range(p->values[LZS_F_YEAR][i], &lo, &hi) == 0 && year >= lo && year <= hi)
            return 1;
    }
    return 0;
}

/* The search p with its years set to only (NULL: none), from offset 0, into u. */
static void years_url(lzs_sd_buf_t *u, const lzs_sd_params_t *p, const char *only)
{
    lzs_sd_params_t next = *p;
    next.req.nvalues[LZS_F_YEAR] = 0;
    next.req.offset = 0;
    lzs_sd_buf_puts(u, "/");
    lzs_sd_view_search_query(u, &next, 0, NULL, NULL, only ? "year" : NULL, only);
}

/* The URL a bar of year leads to: its year taken away when it is a value; narrowed to it
 * when it is inside a range; else added. */
static void year_toggle_url(lzs_sd_buf_t *u, const lzs_sd_params_t *p, int year)
{
    char key[16];
    snprintf(key, sizeof key, "%d", year);
    lzs_sd_params_t next = *p;
    next.req.offset = 0;
    if (selected(p, "year", key)) {
        lzs_sd_buf_puts(u, "/");
        lzs_sd_view_search_query(u, &next, 0, "year", key, NULL, NULL);
    } else if (year_selected(p, year)) {
        years_url(u, p, key);
    } else {
        lzs_sd_buf_puts(u, "/");
        lzs_sd_view_search_query(u, &next, 0, NULL, NULL, "year", key);
    }
}

/* Geometry of the year chart (SVG user units). */
#define CHART_W 280.0
#define CHART_H 130.0
#define CHART_TOP 18.0
#define CHART_BOTTOM 22.0
#define CHART_MAX_YEARS 200

/* The bars of the year chart, lo..hi (hi >= lo) with counts[year - lo] results, max the
 * largest count: an SVG with a link per year that has results. */
static void chart_bars(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const long long *counts, int lo,
                       int hi, long long max)
{
    int n = hi - lo + 1;
    double slot = CHART_W / n;
    double bar_w = slot * 0.72 < 4 ? 4 : slot * 0.72 > 34 ? 34 : slot * 0.72;
    int every = n <= 8 ? 1 : n <= 16 ? 2 : 5;
    lzs_sd_html_static(b, "<svg class=\"year-chart\" viewBox=\"0 0 280 130\" role=\"group\" "
                          "aria-label=\"Results by year. Select a bar to filter by that "
                          "year.\"><rect class=\"brush\" x=\"0\" y=\"0\" width=\"0\" "
                          "height=\"112\" visibility=\"hidden\"></rect>");
    for (int k = 0; k < n; k++) {
        int year = lo + k;
        long long c = counts[k];
        double h = c ? (CHART_H - CHART_TOP - CHART_BOTTOM) * (double)c / (double)max : 0;
        double x = k * slot + (slot - bar_w) / 2;
        int sel = year_selected(p, year);
        char cls[32], ys[16];
        lzs_sd_buf_t name = {0}, u = {0};
        if (c && h < 2)
            h = 2;
        snprintf(cls, sizeof cls, "bar%s%s", sel ? " selected" : "", c ? "" : " empty");
        snprintf(ys, sizeof ys, "%d", year);
        if (c) {
            year_toggle_url(&u, p, year);
            lzs_sd_buf_printf(&name, "%d: %lld %s", year, c, c == 1 ? "result" : "results");
            lzs_sd_html_open(b, "a", "class", cls, "data-year", ys, "href", u.data ? u.data : "/",
                             "aria-label", name.data ? name.data : ys, "aria-current",
                             sel ? "true" : NULL, NULL);
        } else {
            lzs_sd_html_open(b, "g", "class", cls, "data-year", ys, NULL);
        }
        lzs_sd_buf_printf(b,
                          "<rect class=\"hit-area\" x=\"%.2f\" y=\"0\" width=\"%.2f\" "
                          "height=\"130\"></rect><rect class=\"bar-fill\" x=\"%.2f\" "
                          "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" rx=\"2\"></rect>",
                          k * slot, slot, x, CHART_H - CHART_BOTTOM - h, bar_w, h);
        /* the texts are drawn for the eye; the link's name says both to a screen
         * reader, rather than reading them run together ("20215") */
        if ((year - lo) % every == 0 || (k == n - 1 && every == 1))
            lzs_sd_buf_printf(b,
                              "<text class=\"bar-year\" x=\"%.2f\" y=\"124\" "
                              "text-anchor=\"middle\" aria-hidden=\"true\">%d</text>",
                              k * slot + slot / 2, year);
        if (c) {
            lzs_sd_buf_printf(b,
                              "<text class=\"bar-count\" x=\"%.2f\" y=\"%.2f\" "
                              "text-anchor=\"middle\" aria-hidden=\"true\">",
                              x + bar_w / 2, CHART_H - CHART_BOTTOM - h - 4);
            lzs_sd_html_count(b, c);
            lzs_sd_html_static(b, "</text></a>");
        } else {
            lzs_sd_html_static(b, "</g>");
        }
        lzs_sd_buf_free(&name);
        lzs_sd_buf_free(&u);
    }
    lzs_sd_html_static(b, "</svg>");
}

/* The link that selects (or, when selected, drops) the undated passages: undated of them,
 * named label. */
static void undated_link(lzs_sd_buf_t *b, const lzs_sd_params_t *p, long long undated,
                         const char *undated_label)
{
    int on = selected(p, "year", "none");
    lzs_sd_buf_t u = {0};
    lzs_sd_params_t next = *p;
    next.req.offset = 0;
    lzs_sd_buf_puts(&u, "/");
    lzs_sd_view_search_query(&u, &next, 0, on ? "year" : NULL, on ? "none" : NULL,
                             on ? NULL : "year", on ? NULL : "none");
    lzs_sd_html_static(b, "<p class=\"year-undated\">");
    lzs_sd_html_open(b, "a", "class", on ? "undated selected" : "undated", "href",
                     u.len > 1 ? u.data : "/", "aria-current", on ? "true" : NULL, NULL);
    lzs_sd_html_textf(b, "%s: ", undated_label);
    lzs_sd_html_count(b, undated);
    lzs_sd_html_text(b, undated == 1 ? " result" : " results");
    lzs_sd_html_static(b, "</a></p>");
    lzs_sd_buf_free(&u);
}

/* The years selected, in words, with the link to any year. */
static void selected_years(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const char *undated_label)
{
    lzs_sd_buf_t u = {0};
    years_url(&u, p, NULL);
    lzs_sd_html_static(b, "<p class=\"year-selected\">Selected: ");
    for (size_t k = 0; k < p->req.nvalues[LZS_F_YEAR]; k++) {
        const char *yv = p->values[LZS_F_YEAR][k];
        const char *dots = strstr(yv, "..");
        if (k)
            lzs_sd_html_static(b, ", ");
        if (strcmp(yv, "none") == 0)
            lzs_sd_html_text(b, undated_label);
        else if (dots)
            lzs_sd_html_textf(b, "%.*s–%s", (int)(dots - yv), yv, dots + 2);
        else
            lzs_sd_html_text(b, yv);
    }
    lzs_sd_html_static(b, " ");
    lzs_sd_html_elem(b, "a", "Any year", "class", "link-button", "href", u.len > 1 ? u.data : "/",
                     NULL);
    lzs_sd_html_static(b, "</p>");
    lzs_sd_buf_free(&u);
}

/* The year facet as a bar chart: a bar per year from the first to the last, each bar with
 * results a link that selects its year (the script adds a dragged range); the undated
 * passages as a link under it; what is selected, and the way to any year. */
static void year_chart(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *values)
{
    long long counts[CHART_MAX_YEARS] = {0}, undated = 0, max = 1;
    int lo = 0, hi = -1;
    size_t i;
    const json_t *v;
    const char *undated_label = "Undated";
    int has_year = p->req.nvalues[LZS_F_YEAR] > 0;
    json_array_foreach(values, i, v)
    {
        const char *val = lzs_sd_view_str(v, "value");
        int y = val ? atoi(val) : 0;
        if (val && strcmp(val, "none") == 0) {
            undated = json_integer_value(json_object_get(v, "count"));
            if (lzs_sd_view_str(v, "label"))
                undated_label = lzs_sd_view_str(v, "label");
        } else if (y > 1900) {
            lo = hi < lo ? y : (y < lo ? y : lo);
            hi = y > hi ? y : hi;
        }
    }
    for (size_t k = 0; k < p->req.nvalues[LZS_F_YEAR]; k++) {
        int a, z;
        if (year_range(p->values[LZS_F_YEAR][k], &a, &z) == 0 && a > 1900 && z - a < 50) {
            lo = hi < lo ? a : (a < lo ? a : lo);
            hi = z > hi ? z : hi;
        }
    }
    if (hi >= lo && hi - lo >= CHART_MAX_YEARS)
        lo = hi - CHART_MAX_YEARS + 1;
    json_array_foreach(values, i, v)
    {
        const char *val = lzs_sd_view_str(v, "value");
        int y = val ? atoi(val) : 0;
        if (y >= lo && y <= hi && hi >= lo) {
            counts[y - lo] += json_integer_value(json_object_get(v, "count"));
            max = counts[y - lo] > max ? counts[y - lo] : max;
        }
    }
    if (hi < lo)
        lzs_sd_html_static(b, "<p class=\"hint\">No dated results.</p>");
    else
        chart_bars(b, p, counts, lo, hi, max);
    if (undated || selected(p, "year", "none"))
        undated_link(b, p, undated, undated_label);
    if (has_year)
        selected_years(b, p, undated_label);
    else
        lzs_sd_html_static(b, "<p class=\"hint small\">Select a bar for its year.</p>");
}

/* One facet: its values as links that add or remove the value, with their counts. */
static void facet(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const char *field,
                  const json_t *values)
{
    size_t i;
    const json_t *v;
    int nsel = 0;
    json_array_foreach(values, i, v) nsel +=
        selected(p, field, lzs_sd_view_str(v, "value") ? lzs_sd_view_str(v, "value") : "");
    lzs_sd_html_open(b, "details", "class", "facet", "data-facet", field, "open", "", NULL);
    lzs_sd_html_static(b, "<summary>");
    lzs_sd_html_elem(b, "h3", facet_title(field), "class", "facet-title", NULL);
    if (nsel) {
        lzs_sd_html_static(b, "<span class=\"facet-selected\">");
        lzs_sd_html_textf(b, "%d selected", nsel);
        lzs_sd_html_static(b, "</span>");
    }
    lzs_sd_html_static(b, "</summary>");
    if (strcmp(field, "year") == 0) {
        year_chart(b, p, values);
        lzs_sd_html_static(b, "</details>");
        return;
    }
    lzs_sd_html_static(b, "<ul class=\"facet-values\">");
    json_array_foreach(values, i, v)
    {
        const char *value = lzs_sd_view_str(v, "value");
        const char *label = lzs_sd_view_str(v, "label");
        long long count = json_integer_value(json_object_get(v, "count"));
        int on;
        lzs_sd_buf_t u = {0};
        if (!value)
            continue;
        on = selected(p, field, value);
        lzs_sd_buf_puts(&u, "/");
        lzs_sd_view_search_query(&u, p, 0, on ? field : NULL, on ? value : NULL, on ? NULL : field,
                                 on ? NULL : value);
        lzs_sd_html_open(b, "li", "class", on ? "fv selected" : "fv", NULL);
        lzs_sd_html_open(b, "a", "href", u.len > 1 ? u.data : "/", "aria-current",
                         on ? "true" : NULL, NULL);
        lzs_sd_html_static(b, "<span class=\"fv-label\">");
        if (strcmp(field, "level") == 0)
            lzs_sd_view_level_badge(b, value);
        else
            lzs_sd_html_text(b, label ? label : value);
        lzs_sd_html_static(
            b, "</span><span class=\"fv-count\"><span class=\"visually-hidden\">, </span>");
        lzs_sd_html_count(b, count);
        lzs_sd_html_elem(b, "span", count == 1 ? " result" : " results", "class", "visually-hidden",
                         NULL);
        lzs_sd_html_static(b, "</span>");
        if (on)
            lzs_sd_html_static(
                b, "<span class=\"visually-hidden\"> (selected: select to remove)</span>");
        lzs_sd_html_static(b, "</a></li>");
        lzs_sd_buf_free(&u);
    }
    lzs_sd_html_static(b, "</ul></details>");
}

/* Every facet of the answer: the known ones in the page's order, then any other. */
static void facets_panel(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *facets)
{
    /* the Parties first: what most searches here narrow by, a few Tabs from the box */
    static const char *const order[] = {"addressee", "party",   "year", "type",
                                        "level",     "article", "lang"};
    const char *key;
    const json_t *values;
    int shown = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        values = json_object_get(facets, order[i]);
        if (json_is_array(values) && json_array_size(values) > 0) {
            facet(b, p, order[i], values);
            shown++;
        }
    }
    json_object_foreach((json_t *)facets, key, values)
    {
        size_t k = 0;
        while (k < sizeof order / sizeof order[0] && strcmp(order[k], key) != 0)
            k++;
        /* one collection (a daemon over one index) is nothing to choose between */
        size_t least = strcmp(key, "collection") == 0 ? 2 : 1;
        if (k == sizeof order / sizeof order[0] && json_is_array(values) &&
            json_array_size(values) >= least) {
            facet(b, p, key, values);
            shown++;
        }
    }
    if (!shown)
        lzs_sd_html_static(b, "<p class=\"hint\">No filters apply to these results.</p>");
}

void lzs_sd_view_search(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *answer,
                        const char *error)
{
    const json_t *facets = json_object_get(answer, "facets");
    const json_t *hits = json_object_get(answer, "hits");
    long long total = json_integer_value(json_object_get(answer, "total"));
    size_t i;
    const json_t *h;
    lzs_sd_html_static(b, "<section id=\"view-search\" class=\"view\" "
                          "aria-labelledby=\"results-heading\"><div class=\"wrap layout\">");
    /* the filters first: beside the results on a wide screen, a panel on a narrow one,
     * and a few Tabs from the search box */
    lzs_sd_html_static(
        b, "<div id=\"facets\" class=\"facets\" role=\"region\" aria-labelledby=\"facets-heading\" "
           "tabindex=\"-1\"><h2 id=\"facets-heading\" class=\"facets-title\">"
           "Narrow the results</h2><div id=\"facet-list\">");
    facets_panel(b, p, facets);
    lzs_sd_html_static(b, "</div><p class=\"show-results-row\"><a id=\"show-results\" "
                          "class=\"button primary\" href=\"#results-heading\">Show ");
    lzs_sd_html_count(b, total);
    lzs_sd_html_text(b, total == 1 ? " result" : " results");
    lzs_sd_html_static(b, "</a></p></div><div class=\"results-col\">"
                          "<h1 id=\"results-heading\" class=\"visually-hidden\" tabindex=\"-1\">"
                          "Search results</h1><div class=\"toolbar\">");
    summary(b, p, answer);
    controls(b, p, total);
    lzs_sd_html_static(b, "</div>");
    chips(b, p, facets);
    if (error) {
        lzs_sd_html_elem(b, "div", error, "id", "search-error", "class", "error", "role", "alert",
                         NULL);
    } else {
        lzs_sd_html_static(b,
                           "<div id=\"search-error\" class=\"error\" role=\"alert\" hidden></div>");
    }
    char start[16];
    snprintf(start, sizeof start, "%u", p->req.offset + 1);
    lzs_sd_html_open(b, "ol", "id", "results", "class", "results", "start", start, NULL);
    json_array_foreach(hits, i, h) hit(b, p, h, facets);
    if (!error && json_array_size(hits) == 0) {
        lzs_sd_html_static(b, "<li class=\"empty\">");
        if (total > 0) {
            lzs_sd_html_static(b, "<p>There are no results this far: the pages below lead "
                                  "back to the last one.</p>");
        } else {
            lzs_sd_html_static(b, "<p>Nothing matches this search.</p><p class=\"hint\">");
            lzs_sd_html_text(b, has_filters(p)
                                    ? "Try removing a filter, or use fewer or shorter words."
                                    : "Try other words, a prefix such as cooperat*, or OR "
                                      "between alternatives.");
            lzs_sd_html_static(b, "</p>");
        }
        lzs_sd_html_static(b, "</li>");
    }
    lzs_sd_html_static(b, "</ol>");
    pager(b, p, total);
    lzs_sd_html_static(b, "</div></div></section>");
}

void lzs_sd_view_read_as(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *answer)
{
    const char *summary =
        lzs_sd_view_str(json_object_get(json_object_get(answer, "query"), "read_as"), "summary");
    if (!(p && p->req.q && *p->req.q) || !summary || !*summary) {
        lzs_sd_html_static(b, "<p id=\"read-as\" class=\"read-as\" hidden></p>");
        return;
    }
    /* one line; the whole reading on hover (and for screen readers, the text itself) */
    lzs_sd_html_open(b, "p", "id", "read-as", "class", "read-as", "title", summary, NULL);
    lzs_sd_html_static(b, "<span class=\"read-as-label\">Read as:</span>");
    lzs_sd_html_text(b, summary);
    lzs_sd_html_static(b, "</p>");
}
