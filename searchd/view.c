/* view.c — what the views of the page share: reader's words and URLs (see view.h). */
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

const char *lzs_sd_view_str(const json_t *o, const char *key)
{
    const json_t *v = o ? json_object_get(o, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *lzs_sd_view_label(const json_t *facets, const char *field, const char *value)
{
    const json_t *list = facets ? json_object_get(facets, field) : NULL;
    size_t i;
    const json_t *v;
    if (!value)
        return NULL;
    json_array_foreach(list, i, v)
    {
        const char *val = lzs_sd_view_str(v, "value");
        if (val && strcmp(val, value) == 0)
            return lzs_sd_view_str(v, "label");
    }
    return NULL;
}

void lzs_sd_view_date(lzs_sd_buf_t *b, const char *iso)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    int y = 0, m = 0, d = 0;
    if (!iso)
        return;
    int n = strlen(iso) >= 4 ? sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) : 0;
    if (n < 1) {
        lzs_sd_html_text(b, iso);
        return;
    }
    if (n >= 3 && m >= 1 && m <= 12 && d >= 1)
        lzs_sd_html_textf(b, "%d %s %04d", d, months[m - 1], y);
    else if (n >= 2 && m >= 1 && m <= 12)
        lzs_sd_html_textf(b, "%s %04d", months[m - 1], y);
    else
        lzs_sd_html_textf(b, "%04d", y);
}

void lzs_sd_view_passage_label(lzs_sd_buf_t *b, const json_t *passage)
{
    const char *rec = lzs_sd_view_str(passage, "rec_id");
    const char *label = lzs_sd_view_str(passage, "label");
    const char *kind = lzs_sd_view_str(passage, "kind");
    /* The words a reader cites a passage by; a passage without a label gets none (its
     * section says where it is) rather than an internal number or kind. */
    static const struct {
        const char *kind, *word;
    } words[] = {{"heading", "section "},
                 {"footnote", "footnote "},
                 {"list_item", "item "},
                 {"list-item", "item "},
                 {"recommendation", "Recommendation "}};
    if (rec) {
        lzs_sd_html_textf(b, "Recommendation %s", rec);
        return;
    }
    if (!label || !*label)
        return;
    for (size_t i = 0; kind && i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(kind, words[i].kind) == 0) {
            lzs_sd_html_text(b, words[i].word);
            lzs_sd_html_text(b, label);
            return;
        }
    }
    lzs_sd_html_textf(b, "para. %s", label);
}

void lzs_sd_view_search_query(lzs_sd_buf_t *u, const lzs_sd_params_t *p, int with_offset,
                              const char *skip_field, const char *skip_value, const char *add_field,
                              const char *add_value)
{
    static const char *const groups[] = {"passage", "document"};
    static const char *const sorts[] = {"relevance", "newest", "oldest", "order"};
    if (p->req.q && *p->req.q)
        lzs_sd_url_param(u, "q", p->req.q);
    for (int f = 0; f < LZS_F_COUNT; f++) {
        const char *name = lzs_search_field_name((lzs_field_t)f);
        for (size_t i = 0; i < p->req.nvalues[f]; i++) {
            const char *v = p->values[f][i];
            if (skip_field && strcmp(name, skip_field) == 0 && strcmp(v, skip_value) == 0)
                continue;
            lzs_sd_url_param(u, name, v);
        }
    }
    if (add_field)
        lzs_sd_url_param(u, add_field, add_value);
    if (p->req.group != LZS_GROUP_PASSAGE)
        lzs_sd_url_param(u, "group", groups[p->req.group == LZS_GROUP_DOCUMENT]);
    if (p->req.sort != LZS_SORT_RELEVANCE && (unsigned)p->req.sort < 4)
        lzs_sd_url_param(u, "sort", sorts[p->req.sort]);
    if (p->size_given) {
        char n[16];
        snprintf(n, sizeof n, "%u", p->req.size);
        lzs_sd_url_param(u, "size", n);
    }
    if (with_offset && p->req.offset > 0) {
        char n[16];
        snprintf(n, sizeof n, "%u", p->req.offset);
        lzs_sd_url_param(u, "offset", n);
    }
}

void lzs_sd_view_doc_url(lzs_sd_buf_t *u, const lzs_sd_params_t *p, const char *doc_id,
                         const char *passage_id)
{
    lzs_sd_buf_puts(u, "/");
    lzs_sd_view_search_query(u, p, 1, NULL, NULL, NULL, NULL);
    lzs_sd_url_param(u, "doc", doc_id ? doc_id : "");
    if (passage_id)
        lzs_sd_url_param(u, "p", passage_id);
}

void lzs_sd_view_level_badge(lzs_sd_buf_t *b, const char *level)
{
    static const char *const levels[] = {"require", "request", "invite", "urge", "consider"};
    const char *cls = "badge level level-other";
    static const char *const classes[] = {"badge level level-require", "badge level level-request",
                                          "badge level level-invite", "badge level level-urge",
                                          "badge level level-consider"};
    if (!level)
        return;
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        if (strcmp(level, levels[i]) == 0)
            cls = classes[i];
    }
    lzs_sd_html_elem(b, "span", level, "class", cls, NULL);
}

void lzs_sd_view_snippet(lzs_sd_buf_t *b, const json_t *hit, const char *lang, int marks)
{
    const json_t *parts = json_object_get(hit, "snippet");
    size_t i;
    const json_t *part;
    lzs_sd_html_open(b, "p", "class", "snippet", "lang", lang, NULL);
    if (!json_is_array(parts)) {
        lzs_sd_html_text(b, lzs_sd_view_str(json_object_get(hit, "passage"), "text"));
    }
    json_array_foreach(parts, i, part)
    {
        const char *text = lzs_sd_view_str(part, "text");
        if (marks && json_is_true(json_object_get(part, "mark"))) {
            lzs_sd_html_elem(b, "mark", text, NULL);
        } else {
            lzs_sd_html_text(b, text);
        }
    }
    lzs_sd_html_close(b, "p");
}
