/* view_compare.c — the comparison view of the page: what the Committee asked of two or
 * more Parties side by side, a row per article of the Convention and a column per Party
 * (and one for the recommendations addressed to all Parties), each recommendation with its
 * level and a link to its passage; rendered from the JSON of GET /api/compare (view.h). */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "html.h"

/* The form: the Parties to compare (those recommendations are addressed to). */
static void form(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *facets)
{
    const json_t *list = json_object_get(facets, "addressee");
    size_t i;
    const json_t *v;
    lzs_sd_html_static(b,
                       "<form id=\"compare-form\" class=\"party-form\" action=\"/\" method=\"get\">"
                       "<input type=\"hidden\" name=\"compare\" value=\"1\">"
                       "<fieldset class=\"compare-parties\"><legend>Parties to compare "
                       "(two or more)</legend>");
    json_array_foreach(list, i, v)
    {
        const char *code = lzs_sd_view_str(v, "value");
        const char *name = lzs_sd_view_str(v, "label");
        char id[32];
        int on = 0;
        if (!code || strcmp(code, "all") == 0)
            continue;
        for (size_t k = 0; k < p->req.nvalues[LZS_F_PARTY]; k++)
            on |= strcmp(p->values[LZS_F_PARTY][k], code) == 0;
        snprintf(id, sizeof id, "cmp-%.20s", code);
        lzs_sd_html_open(b, "label", "class", "check", NULL);
        lzs_sd_html_open(b, "input", "type", "checkbox", "name", "party", "value", code, "id", id,
                         "checked", on ? "" : NULL, NULL);
        lzs_sd_html_static(b, " ");
        lzs_sd_html_text(b, name ? name : code);
        lzs_sd_html_static(b, "</label> ");
    }
    lzs_sd_html_static(b, "</fieldset><button type=\"submit\" class=\"button secondary\" "
                          "id=\"compare-show\">Compare</button></form>");
}

/* One cell: its recommendations, each its level and a link to its passage. */
static void cell(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *recs)
{
    size_t i;
    const json_t *r;
    if (json_array_size(recs) == 0) {
        lzs_sd_html_static(b, "<td class=\"empty\"><span class=\"visually-hidden\">none</span>"
                              "<span aria-hidden=\"true\">—</span></td>");
        return;
    }
    lzs_sd_html_static(b, "<td><ul class=\"cmp-recs\">");
    json_array_foreach(recs, i, r)
    {
        const char *rec = lzs_sd_view_str(r, "rec_id");
        lzs_sd_buf_t u = {0};
        lzs_sd_params_t none;
        memset(&none, 0, sizeof none);
        lzs_search_req_init(&none.req);
        lzs_sd_view_doc_url(&u, &none, lzs_sd_view_str(r, "doc"), lzs_sd_view_str(r, "passage"));
        lzs_sd_html_static(b, "<li>");
        lzs_sd_view_level_badge(b, lzs_sd_view_str(r, "level"));
        lzs_sd_html_static(b, " ");
        lzs_sd_html_open(b, "a", "href", u.data ? u.data : "/", "title", lzs_sd_view_str(r, "text"),
                         NULL);
        if (rec)
            lzs_sd_html_textf(b, "Recommendation %s", rec);
        else
            lzs_sd_html_static(b, "Recommendation");
        lzs_sd_html_static(b, "</a></li>");
        lzs_sd_buf_free(&u);
    }
    (void)p;
    lzs_sd_html_static(b, "</ul></td>");
}

static void table(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *cmp)
{
    const json_t *parties = json_object_get(cmp, "parties");
    const json_t *rows = json_object_get(cmp, "rows");
    size_t i, k;
    const json_t *v, *row;
    lzs_sd_buf_t u = {0};
    lzs_sd_html_static(b, "<p id=\"compare-summary\" class=\"summary\"><strong>");
    lzs_sd_html_count(b, json_integer_value(json_object_get(cmp, "total")));
    lzs_sd_html_static(b, " recommendations</strong>: ");
    json_array_foreach(parties, i, v)
    {
        if (i)
            lzs_sd_html_static(b, ", ");
        lzs_sd_html_count(b, json_integer_value(json_object_get(v, "total")));
        lzs_sd_html_textf(b, " to %s",
                          lzs_sd_view_str(v, "name") ? lzs_sd_view_str(v, "name") : "");
    }
    lzs_sd_html_static(b, ", ");
    lzs_sd_html_count(b, json_integer_value(json_object_get(json_object_get(cmp, "all"), "total")));
    lzs_sd_html_static(b, " to all Parties. ");
    lzs_sd_buf_puts(&u, "/api/compare");
    lzs_sd_view_search_query(&u, p, 0, NULL, NULL, NULL, NULL);
    lzs_sd_url_param(&u, "format", "csv");
    lzs_sd_url_param(&u, "bom", "1");
    lzs_sd_html_elem(b, "a", "Export CSV", "id", "compare-export", "class", "button secondary",
                     "href", u.data ? u.data : "/api/compare", "download",
                     "lanzasearch-compare.csv", NULL);
    lzs_sd_buf_free(&u);
    lzs_sd_html_static(b, "</p>");
    if (json_array_size(rows) == 0) {
        lzs_sd_html_static(b, "<p class=\"empty\">No recommendation in these documents is "
                              "addressed to these Parties.</p>");
        return;
    }
    /* a wide table scrolls in its own box, which the keyboard can reach */
    lzs_sd_html_static(
        b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"compare-caption\" "
           "tabindex=\"0\"><table class=\"compare\"><caption id=\"compare-caption\">"
           "Recommendations by article of the Convention and by Party</caption>"
           "<thead><tr><th scope=\"col\">Article</th>");
    json_array_foreach(parties, i, v)
    {
        lzs_sd_html_elem(b, "th", lzs_sd_view_str(v, "name"), "scope", "col", NULL);
    }
    lzs_sd_html_static(b, "<th scope=\"col\">All Parties</th></tr></thead><tbody>");
    json_array_foreach(rows, i, row)
    {
        const json_t *cells = json_object_get(row, "cells");
        const char *label = lzs_sd_view_str(row, "label");
        const json_t *c;
        lzs_sd_html_static(b, "<tr>");
        lzs_sd_html_elem(b, "th", label ? label : "No article cited", "scope", "row", NULL);
        json_array_foreach(cells, k, c) cell(b, p, json_object_get(c, "recs"));
        cell(b, p, json_object_get(row, "all"));
        lzs_sd_html_static(b, "</tr>");
    }
    lzs_sd_html_static(b, "</tbody></table></div>");
}

void lzs_sd_view_compare(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *picker,
                         const json_t *cmp, const char *error)
{
    lzs_sd_html_static(
        b, "<section id=\"view-compare\" class=\"view\" aria-labelledby=\"compare-title\">"
           "<div class=\"wrap party-wrap\">"
           "<h1 id=\"compare-title\" class=\"party-title\" tabindex=\"-1\">"
           "Parties compared</h1>");
    form(b, p, json_object_get(picker, "facets"));
    if (error)
        lzs_sd_html_elem(b, "div", error, "class", "error", "role", "alert", NULL);
    if (cmp)
        table(b, p, cmp);
    lzs_sd_html_static(b, "</div></section>");
}
