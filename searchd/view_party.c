/* view_party.c — the Party view of the page: what the Committee asked of one Party, each
 * recommendation once (its copies in other documents and languages listed with it),
 * grouped by level and by article of the Convention (see view.h). */
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

static const char *const levels[] = {"require", "request", "invite", "urge", "consider", NULL};

/* One recommendation: the copy shown (main) and the other copies, by passage.rec_key. */
typedef struct {
    const json_t *main;
    const json_t *copies[16];
    size_t ncopies;
    const char *key;
    int level;   /* index in levels, 5: other */
    int article; /* base number of its first article, 0: none */
} group_t;

/* Lower is the better copy to show: in English, and as first stated (not "R V-17"). */
static int copy_score(const json_t *h)
{
    const char *lang = lzs_sd_view_str(json_object_get(h, "doc"), "lang");
    const char *rec = lzs_sd_view_str(json_object_get(h, "passage"), "rec_id");
    return (lang && strcmp(lang, "en") == 0 ? 0 : 2) + (rec && strncmp(rec, "R ", 2) == 0);
}

static int first_article(const json_t *passage)
{
    const char *a = json_string_value(json_array_get(json_object_get(passage, "articles"), 0));
    return a ? atoi(a) : 0;
}

static int level_index(const char *level)
{
    for (int i = 0; level && levels[i]; i++) {
        if (strcmp(levels[i], level) == 0)
            return i;
    }
    return 5;
}

static int by_level_article(const void *a, const void *b)
{
    const group_t *x = a, *y = b;
    if (x->level != y->level)
        return x->level - y->level;
    /* "No article cited" last */
    int xa = x->article ? x->article : 1 << 30, ya = y->article ? y->article : 1 << 30;
    return xa - ya;
}

/* The groups of hits (caller frees *out with free()); their count, or -1. */
static long make_groups(const json_t *hits, group_t **out)
{
    size_t n = json_array_size(hits), ng = 0, i;
    const json_t *h;
    group_t *g = calloc(n ? n : 1, sizeof *g);
    if (!g)
        return -1;
    json_array_foreach(hits, i, h)
    {
        const json_t *ps = json_object_get(h, "passage");
        const char *key = lzs_sd_view_str(ps, "rec_key");
        size_t k = 0;
        if (!ps)
            continue;
        while (key && k < ng && !(g[k].key && strcmp(g[k].key, key) == 0))
            k++;
        if (!key || k == ng) {
            g[ng].main = h;
            g[ng].key = key;
            ng++;
            continue;
        }
        /* a copy: the better one becomes the one shown */
        if (copy_score(h) < copy_score(g[k].main)) {
            if (g[k].ncopies < 16)
                g[k].copies[g[k].ncopies++] = g[k].main;
            g[k].main = h;
        } else if (g[k].ncopies < 16) {
            g[k].copies[g[k].ncopies++] = h;
        }
    }
    for (i = 0; i < ng; i++) {
        const json_t *ps = json_object_get(g[i].main, "passage");
        g[i].level = level_index(lzs_sd_view_str(ps, "level"));
        g[i].article = first_article(ps);
    }
    qsort(g, ng, sizeof *g, by_level_article);
    *out = g;
    return (long)ng;
}

static int names_party(const group_t *g, const char *code)
{
    for (size_t c = 0; c <= g->ncopies; c++) {
        const json_t *h = c == 0 ? g->main : g->copies[c - 1];
        const json_t *addr = json_object_get(json_object_get(h, "passage"), "addressees");
        size_t i;
        const json_t *a;
        json_array_foreach(addr, i, a)
        {
            if (json_is_string(a) && strcmp(json_string_value(a), code) == 0)
                return 1;
        }
    }
    return 0;
}

static void picker(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *facets)
{
    const json_t *list = json_object_get(facets, "addressee");
    size_t i;
    const json_t *v;
    lzs_sd_html_static(b,
                       "<form id=\"party-form\" class=\"party-form\" action=\"/\" method=\"get\">"
                       "<label for=\"party-select\">Party</label>"
                       "<select id=\"party-select\" name=\"party_view\">"
                       "<option value=\"\">Choose a Party…</option>");
    json_array_foreach(list, i, v)
    {
        const char *code = lzs_sd_view_str(v, "value");
        const char *name = lzs_sd_view_str(v, "label");
        const json_t *recs = json_object_get(v, "recs");
        long long n =
            json_integer_value(json_is_integer(recs) ? recs : json_object_get(v, "count"));
        if (!code || strcmp(code, "all") == 0)
            continue;
        lzs_sd_html_open(b, "option", "value", code, "selected",
                         p->party_view && strcmp(p->party_view, code) == 0 ? "" : NULL, NULL);
        lzs_sd_html_textf(b, "%s (%lld)", name ? name : code, n);
        lzs_sd_html_static(b, "</option>");
    }
    lzs_sd_html_static(b, "</select>");
    /* the box sends all=1 when ticked; the hidden field before it all=0, which the box
     * overrides: the last value of a repeated field is the one the page reads */
    lzs_sd_html_static(b, "<input type=\"hidden\" name=\"all\" value=\"0\">");
    lzs_sd_html_open(b, "label", "class", "check", NULL);
    lzs_sd_html_open(b, "input", "type", "checkbox", "id", "party-all", "name", "all", "value", "1",
                     "checked", p->all ? "" : NULL, NULL);
    lzs_sd_html_static(b, " Include recommendations addressed to all Parties</label>"
                          "<button type=\"submit\" class=\"button secondary\" id=\"party-show\">"
                          "Show</button></form>");
}

static void rec_item(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const group_t *g, const char *code,
                     const char *name, const json_t *facets)
{
    const json_t *h = g->main;
    const json_t *ps = json_object_get(h, "passage");
    const json_t *doc = json_object_get(h, "doc");
    const json_t *addr = json_object_get(ps, "addressees");
    const char *rec = lzs_sd_view_str(ps, "rec_id");
    const char *lang = lzs_sd_view_str(doc, "lang");
    int to_all = 0;
    size_t others = 0, i;
    const json_t *a;
    lzs_sd_buf_t u = {0};
    json_array_foreach(addr, i, a)
    {
        const char *c = json_string_value(a);
        if (c && strcmp(c, "all") == 0)
            to_all = 1;
        else if (c && strcmp(c, code) != 0)
            others++;
    }
    if (rec && strncmp(rec, "R ", 2) == 0)
        rec += 2;
    lzs_sd_html_open(b, "li", "class", to_all ? "rec-item rec-to-all" : "rec-item", "data-rec",
                     rec ? rec : "", "data-rec-key", g->key ? g->key : "", NULL);
    lzs_sd_html_static(b, "<div class=\"rec-head\"><span class=\"rec-id\">");
    if (rec)
        lzs_sd_html_textf(b, "Recommendation %s", rec);
    else
        lzs_sd_view_passage_label(b, ps);
    lzs_sd_html_static(b, "</span> ");
    if (to_all) {
        lzs_sd_html_static(b, "<span class=\"badge to-all\">Addressed to all Parties</span>");
    } else {
        lzs_sd_html_static(b, "<span class=\"addr-named\">");
        lzs_sd_html_textf(b, "Addressed to %s", name);
        if (others)
            lzs_sd_html_textf(b, " and %zu other %s", others, others == 1 ? "Party" : "Parties");
        else
            lzs_sd_html_static(b, " only");
        lzs_sd_html_static(b, "</span>");
    }
    lzs_sd_html_static(b, "</div>");
    lzs_sd_html_elem(b, "p", lzs_sd_view_str(ps, "text"), "class", "rec-text", "lang", lang, NULL);
    lzs_sd_view_doc_url(&u, p, lzs_sd_view_str(doc, "id"), lzs_sd_view_str(h, "id"));
    lzs_sd_html_static(b, "<p class=\"rec-source\">");
    {
        const char *t = lzs_sd_view_str(doc, "title");
        lzs_sd_html_elem(b, "a", t ? t : lzs_sd_view_str(doc, "id"), "href", u.data ? u.data : "/",
                         "lang", lang, NULL);
    }
    if (lzs_sd_view_str(doc, "ref")) {
        lzs_sd_html_static(b, "<span class=\"ref\"> · ");
        lzs_sd_html_text(b, lzs_sd_view_str(doc, "ref"));
        lzs_sd_html_static(b, "</span>");
    }
    if (lzs_sd_view_str(doc, "date")) {
        lzs_sd_html_static(b, "<span> · ");
        lzs_sd_view_date(b, lzs_sd_view_str(doc, "date"));
        lzs_sd_html_static(b, "</span>");
    }
    lzs_sd_html_static(b, "</p>");
    lzs_sd_buf_free(&u);
    if (g->ncopies) {
        lzs_sd_html_static(b, "<p class=\"rec-copies\">Also stated in");
        for (size_t c = 0; c < g->ncopies; c++) {
            const json_t *cd = json_object_get(g->copies[c], "doc");
            const char *cl = lzs_sd_view_str(cd, "lang");
            const char *ll = lzs_sd_view_label(facets, "lang", cl);
            const char *t = lzs_sd_view_str(cd, "title");
            lzs_sd_buf_t cu = {0}, text = {0};
            lzs_sd_view_doc_url(&cu, p, lzs_sd_view_str(cd, "id"),
                                lzs_sd_view_str(g->copies[c], "id"));
            lzs_sd_buf_printf(&text, "%s (%s)",
                              t                           ? t
                              : lzs_sd_view_str(cd, "id") ? lzs_sd_view_str(cd, "id")
                                                          : "",
                              ll   ? ll
                              : cl ? cl
                                   : "");
            if (c)
                lzs_sd_html_static(b, "; ");
            else
                lzs_sd_html_static(b, ": ");
            lzs_sd_html_elem(b, "a", text.data ? text.data : "", "href", cu.data ? cu.data : "/",
                             NULL);
            lzs_sd_buf_free(&cu);
            lzs_sd_buf_free(&text);
        }
        lzs_sd_html_static(b, "</p>");
    }
    lzs_sd_html_static(b, "</li>");
}

static void results(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *recs, const char *name)
{
    const json_t *facets = json_object_get(recs, "facets");
    group_t *g = NULL;
    long n = make_groups(json_object_get(recs, "hits"), &g);
    long named = 0;
    if (n < 0) {
        b->failed = 1;
        return;
    }
    for (long i = 0; i < n; i++)
        named += names_party(&g[i], p->party_view);
    lzs_sd_html_static(b, "<p id=\"party-summary\" class=\"summary\"><strong>");
    lzs_sd_html_count(b, n);
    lzs_sd_html_text(b, n == 1 ? " recommendation" : " recommendations");
    lzs_sd_html_static(b, "</strong>: ");
    lzs_sd_html_count(b, named);
    lzs_sd_html_textf(b, " addressed to %s by name", name);
    if (p->all) {
        lzs_sd_html_static(b, ", ");
        lzs_sd_html_count(b, n - named);
        lzs_sd_html_static(b, " to all Parties");
    }
    lzs_sd_html_static(b,
                       ".</p><div id=\"party-error\" class=\"error\" role=\"alert\" hidden></div>"
                       "<div id=\"party-results\" class=\"party-results\">");
    if (n == 0) {
        lzs_sd_html_static(b, "<p class=\"empty\">");
        lzs_sd_html_textf(b, "No recommendation in these documents is addressed to %s.", name);
        lzs_sd_html_static(b, "</p>");
    }
    for (long i = 0; i < n;) {
        int level = g[i].level;
        long end = i, count;
        char hid[32];
        while (end < n && g[end].level == level)
            end++;
        count = end - i;
        snprintf(hid, sizeof hid, "level-%s", level < 5 ? levels[level] : "other");
        lzs_sd_html_open(b, "section", "class", "level-group", "aria-labelledby", hid, NULL);
        lzs_sd_html_open(b, "h2", "id", hid, "class", "level-heading", NULL);
        if (level < 5)
            lzs_sd_view_level_badge(b, levels[level]);
        else
            lzs_sd_html_static(b, "<span>Other recommendations</span>");
        lzs_sd_html_static(b, " <span class=\"level-count\">");
        lzs_sd_html_count(b, count);
        lzs_sd_html_text(b, count == 1 ? " recommendation" : " recommendations");
        lzs_sd_html_static(b, "</span></h2>");
        for (long j = i; j < end;) {
            int art = g[j].article;
            lzs_sd_html_static(b,
                               "<section class=\"article-group\"><h3 class=\"article-heading\">");
            if (art) {
                char v[16];
                const char *label;
                snprintf(v, sizeof v, "%d", art);
                label = lzs_sd_view_label(facets, "article", v);
                lzs_sd_html_text(b, label ? label : v);
            } else {
                lzs_sd_html_static(b, "No article cited");
            }
            lzs_sd_html_static(b, "</h3><ul class=\"rec-list\">");
            while (j < end && g[j].article == art) {
                rec_item(b, p, &g[j], p->party_view, name, facets);
                j++;
            }
            lzs_sd_html_static(b, "</ul></section>");
        }
        lzs_sd_html_static(b, "</section>");
        i = end;
    }
    lzs_sd_html_static(b, "</div>");
    free(g);
}

void lzs_sd_view_party(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *pick,
                       const json_t *recs)
{
    const json_t *facets = json_object_get(pick, "facets");
    const char *name = p->party_view ? lzs_sd_view_label(facets, "addressee", p->party_view) : NULL;
    lzs_sd_html_static(b,
                       "<section id=\"view-party\" class=\"view\" aria-labelledby=\"party-title\">"
                       "<div class=\"wrap party-wrap\">"
                       "<h1 id=\"party-title\" class=\"party-title\" tabindex=\"-1\">");
    if (name)
        lzs_sd_html_textf(b, "What the Committee asked of %s", name);
    else
        lzs_sd_html_static(b, "What the Committee asked of a Party");
    lzs_sd_html_static(b, "</h1>");
    picker(b, p, facets);
    if (recs && name) {
        results(b, p, recs, name);
    } else {
        lzs_sd_html_static(b, "<p id=\"party-summary\" class=\"summary\">");
        if (p->party_view && *p->party_view)
            lzs_sd_html_static(b, "</p><div id=\"party-error\" class=\"error\" role=\"alert\">");
        if (p->party_view && *p->party_view)
            lzs_sd_html_textf(
                b, "“%s” is not the code of a Party to whom a recommendation is addressed.",
                p->party_view);
        else
            lzs_sd_html_static(
                b, "Choose a Party to list the recommendations addressed to it, grouped "
                   "by level and by article of the Convention.");
        if (p->party_view && *p->party_view)
            lzs_sd_html_static(b, "</div>");
        else
            lzs_sd_html_static(
                b, "</p><div id=\"party-error\" class=\"error\" role=\"alert\" hidden></div>");
        lzs_sd_html_static(b, "<div id=\"party-results\" class=\"party-results\"></div>");
    }
    lzs_sd_html_static(b, "</div></section>");
}
