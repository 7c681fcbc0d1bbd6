/* view_doc.c — the document view of the page: reference, date and type once, the
 * official link, the other language versions, the text by passage, and how to cite the
 * passage chosen (see view.h). */
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"

/* One <div><dt>term</dt><dd>text</dd></div> of the metadata; nothing when text is NULL. */
static void meta_row(lzs_sd_buf_t *b, const char *term, const char *text)
{
    if (!text || !*text)
        return;
    lzs_sd_html_static(b, "<div>");
    lzs_sd_html_elem(b, "dt", term, NULL);
    lzs_sd_html_elem(b, "dd", text, NULL);
    lzs_sd_html_static(b, "</div>");
}

/* 1 when url is a web address a link may point to. */
static int web_url(const char *url)
{
    return url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0);
}

/* What every passage of the document view is written with. */
typedef struct {
    const lzs_sd_params_t *p;
    const char *doc_id;
    const json_t *labels;  /* facets: the reader's names of values */
    const json_t *similar; /* /api/similar of the passage chosen, or NULL */
    const char *words[64]; /* the words the index marked in the matching passages */
    size_t nwords;
    const json_t *match_ids; /* the ids of the matching passages (array of strings) */
    int pdf;                 /* the number of the document's PDF in doc.files; 0: none */
} doc_ctx_t;

/* 1 when byte c is part of a word: a letter or digit, or any byte of a multibyte one. */
static int word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* text with every whole occurrence of a word of ctx (ASCII case ignored) in <mark>. The
 * words are those the index marked in this document's snippets: the forms of the query
 * as this text writes them. */
static void marked_text(lzs_sd_buf_t *b, const doc_ctx_t *ctx, const char *text)
{
    size_t n = text ? strlen(text) : 0, from = 0;
    for (size_t i = 0; i < n; i++) {
        size_t best = 0;
        if (i > 0 && word_byte((unsigned char)text[i - 1]))
            continue;
        for (size_t k = 0; k < ctx->nwords; k++) {
            size_t len = strlen(ctx->words[k]);
            if (len > best && len <= n - i && strncasecmp(text + i, ctx->words[k], len) == 0 &&
                !(i + len < n && word_byte((unsigned char)text[i + len])))
                best = len;
        }
        if (!best)
            continue;
        lzs_sd_html_textn(b, text + from, i - from);
        lzs_sd_html_static(b, "<mark>");
        lzs_sd_html_textn(b, text + i, best);
        lzs_sd_html_static(b, "</mark>");
        i += best - 1;
        from = i + 1;
    }
    lzs_sd_html_textn(b, text ? text + from : "", n - from);
}

/* 1 when passage id is among ctx's matching ones. */
static int is_match(const doc_ctx_t *ctx, const char *id)
{
    size_t i;
    const json_t *v;
    json_array_foreach(ctx->match_ids, i, v)
    {
        if (id && json_is_string(v) && strcmp(json_string_value(v), id) == 0)
            return 1;
    }
    return 0;
}

/* Fills ctx's matching passages and marked words from matches (a search of the query,
 * borrowed): its hits in this document. Caller frees ctx->match_ids with json_decref. */
static void collect_matches(doc_ctx_t *ctx, const json_t *matches)
{
    size_t i, k;
    const json_t *h, *seg;
    ctx->match_ids = json_array();
    json_array_foreach(json_object_get(matches, "hits"), i, h)
    {
        const char *did = lzs_sd_view_str(json_object_get(h, "doc"), "id");
        if (!did || !ctx->doc_id || strcmp(did, ctx->doc_id) != 0)
            continue;
        json_array_append_new((json_t *)ctx->match_ids, json_string(lzs_sd_view_str(h, "id")));
        json_array_foreach(json_object_get(h, "snippet"), k, seg)
        {
            const char *w = lzs_sd_view_str(seg, "text");
            size_t j = 0;
            if (!json_is_true(json_object_get(seg, "mark")) || !w || !*w)
                continue;
            while (j < ctx->nwords && strcmp(ctx->words[j], w) != 0)
                j++;
            if (j == ctx->nwords && ctx->nwords < sizeof ctx->words / sizeof ctx->words[0])
                ctx->words[ctx->nwords++] = w;
        }
    }
}

/* The id and number of passage id in passages; NULL when it is not there. */
static const json_t *find_passage(const json_t *passages, const char *id)
{
    size_t i;
    const json_t *ps;
    json_array_foreach(passages, i, ps)
    {
        const char *pid = lzs_sd_view_str(ps, "id");
        if (id && pid && strcmp(pid, id) == 0)
            return ps;
    }
    return NULL;
}

/* A link to passage id of this document (found in passages for its anchor). */
static void passage_link(lzs_sd_buf_t *b, const doc_ctx_t *ctx, const json_t *passages,
                         const char *id, const char *text)
{
    lzs_sd_buf_t u = {0};
    const json_t *ps = find_passage(passages, id);
    lzs_sd_view_doc_url(&u, ctx->p, ctx->doc_id, id);
    if (ps)
        lzs_sd_buf_printf(&u, "#passage-%lld",
                          (long long)json_integer_value(json_object_get(ps, "no")));
    lzs_sd_html_elem(b, "a", text, "href", u.data ? u.data : "/", "class", "button secondary small",
                     NULL);
    lzs_sd_buf_free(&u);
}

/* How many passages match the query, and the way from one to the next (the passage chosen
 * is where the steps start). */
static void matches_box(lzs_sd_buf_t *b, const doc_ctx_t *ctx, const json_t *passages)
{
    const char *q = ctx->p->req.q;
    size_t n = json_array_size(ctx->match_ids), at = n, i;
    const json_t *v;
    if (!q || !*q) {
        lzs_sd_html_static(b, "<div id=\"doc-matches\" class=\"doc-matches\" hidden></div>");
        return;
    }
    lzs_sd_html_static(b, "<div id=\"doc-matches\" class=\"doc-matches\"><p>");
    if (n == 0) {
        lzs_sd_html_textf(b, "No passage of this document matches “%s”.", q);
        lzs_sd_html_static(b, "</p></div>");
        return;
    }
    lzs_sd_html_static(b, "<strong>");
    lzs_sd_html_count(b, (long long)n);
    lzs_sd_html_text(b, n == 1 ? " passage" : " passages");
    lzs_sd_html_static(b, "</strong> ");
    lzs_sd_html_textf(b, "%s “%s”", n == 1 ? "matches" : "match", q);
    lzs_sd_html_static(b, "</p>");
    json_array_foreach(ctx->match_ids, i, v)
    {
        if (ctx->p->passage && strcmp(json_string_value(v), ctx->p->passage) == 0)
            at = i;
    }
    passage_link(
        b, ctx, passages,
        json_string_value(json_array_get(ctx->match_ids, at == n ? n - 1 : (at + n - 1) % n)),
        "↑ Previous match");
    passage_link(b, ctx, passages,
                 json_string_value(json_array_get(ctx->match_ids, at == n ? 0 : (at + 1) % n)),
                 "Next match ↓");
    lzs_sd_html_static(b, "</div>");
}

/* A recommendation's follow-up: the later passages citing it, oldest first. */
static void follow_up(lzs_sd_buf_t *b, const json_t *items)
{
    size_t i;
    const json_t *f;
    if (json_array_size(items) == 0)
        return;
    lzs_sd_html_static(b, "<div class=\"follow-up\"><h4>");
    lzs_sd_html_textf(b, "Follow-up (%zu)", json_array_size(items));
    lzs_sd_html_static(b, "</h4><ol>");
    json_array_foreach(items, i, f)
    {
        const json_t *d = json_object_get(f, "doc");
        const char *title = lzs_sd_view_str(d, "title");
        lzs_sd_buf_t u = {0};
        lzs_sd_params_t none;
        memset(&none, 0, sizeof none);
        lzs_search_req_init(&none.req);
        lzs_sd_view_doc_url(&u, &none, lzs_sd_view_str(d, "id"), lzs_sd_view_str(f, "id"));
        lzs_sd_html_static(b, "<li>");
        if (lzs_sd_view_str(d, "date")) {
            lzs_sd_view_date(b, lzs_sd_view_str(d, "date"));
            lzs_sd_html_static(b, ": ");
        }
        lzs_sd_html_elem(b, "a",
                         title                      ? title
                         : lzs_sd_view_str(d, "id") ? lzs_sd_view_str(d, "id")
                                                    : lzs_sd_view_str(f, "id"),
                         "href", u.data ? u.data : "/", NULL);
        lzs_sd_html_static(b, "</li>");
        lzs_sd_buf_free(&u);
    }
    lzs_sd_html_static(b, "</ol></div>");
}

/* "Cited by N" and "Cites N" rows of the metadata (GET /api/doc's cited_by and cites):
 * links to the documents; a code the index has no document of is said to be so. */
static void citation_rows(lzs_sd_buf_t *b, const json_t *answer)
{
    const json_t *by = json_object_get(json_object_get(answer, "cited_by"), "documents");
    const json_t *cites = json_object_get(json_object_get(answer, "cites"), "documents");
    /* opinions and declarations cited by title that no indexed document is */
    const json_t *opinions = json_object_get(json_object_get(answer, "cites"), "opinions");
    size_t i;
    const json_t *d;
    lzs_sd_params_t none;
    memset(&none, 0, sizeof none);
    lzs_search_req_init(&none.req);
    if (json_array_size(by) > 0) {
        const json_t *total = json_object_get(json_object_get(answer, "cited_by"), "total");
        lzs_sd_html_static(b, "<div class=\"doc-cited-by\"><dt>Cited by ");
        lzs_sd_html_count(b, json_is_integer(total) ? json_integer_value(total)
                                                    : (long long)json_array_size(by));
        lzs_sd_html_static(b, "</dt><dd>");
        json_array_foreach(by, i, d)
        {
            const json_t *first = json_array_get(json_object_get(d, "passages"), 0);
            const char *pid =
                json_is_string(first) ? json_string_value(first) : lzs_sd_view_str(first, "id");
            const char *title = lzs_sd_view_str(d, "title");
            lzs_sd_buf_t u = {0};
            lzs_sd_view_doc_url(&u, &none, lzs_sd_view_str(d, "id"), pid);
            if (i)
                lzs_sd_html_static(b, ", ");
            lzs_sd_html_elem(b, "a", title ? title : lzs_sd_view_str(d, "id"), "href",
                             u.data ? u.data : "/", NULL);
            lzs_sd_buf_free(&u);
        }
        lzs_sd_html_static(b, "</dd></div>");
    }
    if (json_array_size(cites) + json_array_size(opinions) > 0) {
        lzs_sd_html_static(b, "<div class=\"doc-cites\"><dt>Cites ");
        lzs_sd_html_count(b, (long long)(json_array_size(cites) + json_array_size(opinions)));
        lzs_sd_html_static(b, "</dt><dd>");
        json_array_foreach(cites, i, d)
        {
            const char *id = lzs_sd_view_str(d, "id");
            const char *title = lzs_sd_view_str(d, "title");
            if (i)
                lzs_sd_html_static(b, ", ");
            if (json_is_true(json_object_get(d, "in_collection"))) {
                lzs_sd_buf_t u = {0};
                lzs_sd_view_doc_url(&u, &none, id, NULL);
                lzs_sd_html_elem(b, "a", title ? title : id, "href", u.data ? u.data : "/", NULL);
                lzs_sd_buf_free(&u);
            } else {
                lzs_sd_html_open(b, "span", "class", "not-in-collection", NULL);
                lzs_sd_html_textf(b, "%s (not in the collection)", id ? id : "");
                lzs_sd_html_close(b, "span");
            }
        }
        /* each a link to the passages citing it (cites=KEY), its code and year beside */
        json_array_foreach(opinions, i, d)
        {
            const char *key = lzs_sd_view_str(d, "key");
            const char *title = lzs_sd_view_str(d, "title");
            const char *code = lzs_sd_view_str(d, "code");
            long long year = json_integer_value(json_object_get(d, "year"));
            lzs_sd_buf_t u = {0};
            if (!key)
                continue;
            if (i || json_array_size(cites) > 0)
                lzs_sd_html_static(b, ", ");
            lzs_sd_buf_puts(&u, "/");
            lzs_sd_view_search_query(&u, &none, 0, NULL, NULL, "cites", key);
            lzs_sd_html_open(b, "span", "class", "not-in-collection", NULL);
            lzs_sd_html_elem(b, "a", title ? title : key, "href", u.data ? u.data : "/", NULL);
            if (code && year > 0)
                lzs_sd_html_textf(b, " (%s, %lld; not in the collection)", code, year);
            else if (year > 0)
                lzs_sd_html_textf(b, " (%lld; not in the collection)", year);
            else
                lzs_sd_html_static(b, " (not in the collection)");
            lzs_sd_html_close(b, "span");
            lzs_sd_buf_free(&u);
        }
        lzs_sd_html_static(b, "</dd></div>");
    }
}

static void meta(lzs_sd_buf_t *b, const json_t *answer, const json_t *labels)
{
    const json_t *doc = json_object_get(answer, "doc");
    const char *type = lzs_sd_view_str(doc, "type");
    const char *lang = lzs_sd_view_str(doc, "lang");
    const char *date = lzs_sd_view_str(doc, "date");
    const char *url = lzs_sd_view_str(doc, "url");
    const char *type_label = lzs_sd_view_label(labels, "type", type);
    const char *lang_label = lzs_sd_view_label(labels, "lang", lang);
    const json_t *year = json_object_get(doc, "year");
    const json_t *files = json_object_get(doc, "files");
    const char *id = lzs_sd_view_str(doc, "id");
    size_t i;
    const json_t *f;
    lzs_sd_html_static(b, "<dl id=\"doc-meta\" class=\"doc-meta\">");
    meta_row(b, "Reference", lzs_sd_view_str(doc, "ref"));
    if (date || json_is_integer(year)) {
        lzs_sd_html_static(b, "<div><dt>Date</dt><dd>");
        if (date)
            lzs_sd_view_date(b, date);
        else
            lzs_sd_html_textf(b, "%lld", (long long)json_integer_value(year));
        lzs_sd_html_static(b, "</dd></div>");
    }
    meta_row(b, "Type", type_label ? type_label : type);
    meta_row(b, "Language", lang_label ? lang_label : lang);
    if (web_url(url)) {
        lzs_sd_html_static(b, "<div><dt>Official version</dt><dd>");
        lzs_sd_html_elem(b, "a", url, "href", url, "rel", "noopener noreferrer", NULL);
        lzs_sd_html_static(b, "</dd></div>");
    }
    if (json_array_size(files) > 0 && id) {
        lzs_sd_html_static(b, "<div><dt>");
        lzs_sd_html_text(b, json_array_size(files) > 1 ? "Files" : "File");
        lzs_sd_html_static(b, "</dt><dd class=\"doc-files\">");
        json_array_foreach(files, i, f)
        {
            lzs_sd_buf_t u = {0}, label = {0};
            const char *format = lzs_sd_view_str(f, "format");
            lzs_sd_buf_puts(&u, "/api/file/");
            lzs_sd_url_segment(&u, id);
            lzs_sd_buf_printf(&u, "/%zu", i + 1);
            for (const char *c = format ? format : ""; *c; c++)
                lzs_sd_buf_printf(&label, "%c", *c >= 'a' && *c <= 'z' ? *c - 32 : *c);
            lzs_sd_buf_puts(&label, " file");
            if (i)
                lzs_sd_html_static(b, ", ");
            lzs_sd_html_elem(b, "a", label.data ? label.data : "file", "href",
                             u.data ? u.data : "/", NULL);
            lzs_sd_buf_free(&u);
            lzs_sd_buf_free(&label);
        }
        lzs_sd_html_static(b, "</dd></div>");
    }
    citation_rows(b, answer);
    lzs_sd_html_static(b, "</dl>");
}

/* The other language versions, each in its own language's name and marked with it. */
static void versions(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *doc,
                     const json_t *labels)
{
    const json_t *list = json_object_get(doc, "versions");
    size_t i;
    const json_t *v;
    if (json_array_size(list) == 0) {
        lzs_sd_html_static(b, "<nav id=\"doc-versions\" class=\"doc-versions\" "
                              "aria-label=\"Language versions\" hidden></nav>");
        return;
    }
    lzs_sd_html_static(b, "<nav id=\"doc-versions\" class=\"doc-versions\" aria-label=\"Language "
                          "versions\"><span class=\"versions-label\">Also in:</span>");
    json_array_foreach(list, i, v)
    {
        const char *id = lzs_sd_view_str(v, "id");
        const char *lang = lzs_sd_view_str(v, "lang");
        const char *label = lzs_sd_view_label(labels, "lang", lang);
        lzs_sd_buf_t u = {0};
        if (!id)
            continue;
        lzs_sd_view_doc_url(&u, p, id, NULL);
        lzs_sd_html_static(b, " ");
        lzs_sd_html_elem(b, "a",
                         label  ? label
                         : lang ? lang
                                : id,
                         "href", u.data ? u.data : "/", "hreflang", lang, "title",
                         lzs_sd_view_str(v, "title"), NULL);
        lzs_sd_buf_free(&u);
    }
    lzs_sd_html_static(b, "</nav>");
}

/* "Cite this passage": reference, the passage's label, date, and the URL of exactly this
 * passage (base: the server's address). */
static void cite(lzs_sd_buf_t *b, const json_t *doc, const json_t *passage, const char *base)
{
    const char *ref = lzs_sd_view_str(doc, "ref");
    const char *title = lzs_sd_view_str(doc, "title");
    const char *date = lzs_sd_view_str(doc, "date");
    const char *id = lzs_sd_view_str(doc, "id");
    const char *pid = lzs_sd_view_str(passage, "id");
    lzs_sd_buf_t u = {0};
    lzs_sd_buf_puts(&u, base);
    lzs_sd_buf_puts(&u, "/");
    lzs_sd_url_param(&u, "doc", id ? id : "");
    lzs_sd_url_param(&u, "p", pid ? pid : "");
    lzs_sd_buf_printf(&u, "#passage-%lld",
                      (long long)json_integer_value(json_object_get(passage, "no")));
    lzs_sd_html_static(b, "<section class=\"cite\" aria-labelledby=\"cite-title\">"
                          "<h2 id=\"cite-title\" class=\"cite-title\">Cite this passage</h2>"
                          "<p class=\"cite-text\">");
    lzs_sd_html_text(b, ref ? ref : title ? title : id);
    lzs_sd_buf_t label = {0};
    lzs_sd_view_passage_label(&label, passage);
    if (label.len) {
        lzs_sd_html_static(b, ", ");
        lzs_sd_buf_append(b, label.data, label.len); /* written escaped by the view */
    }
    lzs_sd_buf_free(&label);
    if (date) {
        lzs_sd_html_static(b, ", ");
        lzs_sd_view_date(b, date);
    }
    lzs_sd_html_static(b, ". ");
    lzs_sd_html_elem(b, "a", u.data ? u.data : "", "href", u.data ? u.data : "/", "class",
                     "cite-url", NULL);
    lzs_sd_html_static(b, "</p></section>");
    lzs_sd_buf_free(&u);
}

/* Similar passages of the one selected (/api/similar's JSON): closed until asked for, each
 * a link into its document, with its snippet. */
static void similar_panel(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *similar)
{
    const json_t *hits = json_object_get(similar, "hits");
    size_t i;
    const json_t *h;
    lzs_sd_html_static(b, "<details class=\"similar-panel\"><summary>Similar passages</summary>"
                          "<div class=\"similar\">");
    if (json_array_size(hits) == 0)
        lzs_sd_html_static(b, "<p class=\"hint\">No similar passages found.</p>");
    else
        lzs_sd_html_static(b, "<ol class=\"similar-list\">");
    json_array_foreach(hits, i, h)
    {
        const json_t *d = json_object_get(h, "doc");
        const json_t *ps = json_object_get(h, "passage");
        const char *title = lzs_sd_view_str(d, "title");
        lzs_sd_buf_t u = {0}, label = {0};
        lzs_sd_params_t none;
        /* the way back from a similar passage is its own document, not this search */
        memset(&none, 0, sizeof none);
        lzs_search_req_init(&none.req);
        (void)p;
        lzs_sd_view_doc_url(&u, &none, lzs_sd_view_str(d, "id"), lzs_sd_view_str(h, "id"));
        if (json_is_integer(json_object_get(ps, "no")))
            lzs_sd_buf_printf(&u, "#passage-%lld",
                              (long long)json_integer_value(json_object_get(ps, "no")));
        if (!title)
            title = lzs_sd_view_str(d, "ref");
        if (!title)
            title = lzs_sd_view_str(d, "id");
        lzs_sd_html_static(b, "<li><div class=\"similar-head\">");
        lzs_sd_view_level_badge(b, lzs_sd_view_str(ps, "level"));
        lzs_sd_html_elem(b, "a", title ? title : "Untitled document", "href", u.data ? u.data : "/",
                         "lang", lzs_sd_view_str(d, "lang"), NULL);
        lzs_sd_view_passage_label(&label, ps);
        if (label.len) {
            lzs_sd_html_static(b, "<span class=\"hit-label\"> — ");
            lzs_sd_buf_append(b, label.data, label.len); /* written escaped by the view */
            lzs_sd_html_static(b, "</span>");
        }
        lzs_sd_html_static(b, "</div>");
        lzs_sd_view_snippet(b, h, lzs_sd_view_str(d, "lang"), 0);
        lzs_sd_html_static(b, "</li>");
        lzs_sd_buf_free(&u);
        lzs_sd_buf_free(&label);
    }
    if (json_array_size(hits) > 0)
        lzs_sd_html_static(b, "</ol>");
    lzs_sd_html_static(b, "</div></details>");
}

/* The gutter of passage ps (its id is the anchor id, pid and kind its "id" and "kind"):
 * the link to it, named as the passage is cited, and the page of the PDF it starts on. */
static void passage_gutter(lzs_sd_buf_t *b, const doc_ctx_t *ctx, const json_t *ps, const char *id,
                           const char *pid, const char *kind)
{
    const lzs_sd_params_t *p = ctx->p;
    const char *doc_id = ctx->doc_id;
    const json_t *page = json_object_get(ps, "page");
    const char *label = lzs_sd_view_str(ps, "label");
    lzs_sd_buf_t u = {0}, name = {0};
    lzs_sd_view_doc_url(&u, p, doc_id, pid);
    lzs_sd_buf_printf(&u, "#%s", id);
    lzs_sd_view_passage_label(&name, ps);
    lzs_sd_html_static(b, "<div class=\"passage-gutter\">");
    lzs_sd_html_open(b, "a", "class", label ? "plink" : "plink bare", "href", u.data ? u.data : "/",
                     NULL);
    /* What the gutter shows ("12.", or ¶ for a passage without a label) says little
     * read alone in a list of links: the link's name is the passage as a reader cites it
     * ("para. 12", "Recommendation V-17"), or "Link to this passage" — never an internal
     * number. */
    lzs_sd_html_static(b, "<span aria-hidden=\"true\">");
    if (label)
        lzs_sd_html_textf(b, "%s%s", label, kind && strcmp(kind, "paragraph") == 0 ? "." : "");
    else
        lzs_sd_html_static(b, "¶");
    lzs_sd_html_static(b, "</span><span class=\"visually-hidden\">");
    if (name.len)
        lzs_sd_buf_append(b, name.data, name.len); /* written escaped by the view */
    else
        lzs_sd_html_static(b, "Link to this passage");
    lzs_sd_html_static(b, "</span></a>");
    if (json_is_integer(page) && json_integer_value(page) > 0) {
        /* the page of the PDF the passage starts on, opened there */
        if (ctx->pdf) {
            lzs_sd_buf_t f = {0};
            lzs_sd_buf_puts(&f, "/api/file/");
            lzs_sd_url_segment(&f, doc_id ? doc_id : "");
            lzs_sd_buf_printf(&f, "/%d#page=%lld", ctx->pdf, (long long)json_integer_value(page));
            lzs_sd_html_open(b, "a", "class", "page-link", "href", f.data ? f.data : "/", NULL);
            lzs_sd_buf_free(&f);
        } else {
            lzs_sd_html_open(b, "span", "class", "page-link", NULL);
        }
        lzs_sd_html_textf(b, "p. %lld", (long long)json_integer_value(page));
        lzs_sd_html_close(b, ctx->pdf ? "a" : "span");
    }
    lzs_sd_buf_free(&u);
    lzs_sd_buf_free(&name);
}

/* "Addressed to" and the names of the addressees of a recommendation (addr: their codes,
 * at least one). */
static void addressees(lzs_sd_buf_t *b, const json_t *labels, const json_t *addr)
{
    size_t i;
    const json_t *a;
    lzs_sd_html_static(b,
                       "<p class=\"addressees\"><span class=\"addr-label\">Addressed to </span>");
    json_array_foreach(addr, i, a)
    {
        const char *code = json_string_value(a);
        const char *n = code && strcmp(code, "all") == 0
                            ? "all Parties"
                            : lzs_sd_view_label(labels, "addressee", code);
        if (i)
            lzs_sd_html_static(b, ", ");
        lzs_sd_html_text(b, n ? n : code);
    }
    lzs_sd_html_static(b, "</p>");
}

/* One passage of the document: a heading, or the gutter with its link and page, then its
 * text with the marks of the search, its recommendation and addressees. */
static void passage(lzs_sd_buf_t *b, const doc_ctx_t *ctx, const json_t *ps)
{
    const lzs_sd_params_t *p = ctx->p;
    const json_t *labels = ctx->labels;
    const char *kind = lzs_sd_view_str(ps, "kind");
    const char *pid = lzs_sd_view_str(ps, "id");
    const char *level = lzs_sd_view_str(ps, "level");
    const char *rec = lzs_sd_view_str(ps, "rec_id");
    const json_t *addr = json_object_get(ps, "addressees");
    long long no = json_integer_value(json_object_get(ps, "no"));
    int sel = pid && p->passage && strcmp(pid, p->passage) == 0;
    char id[32], cls[96];
    int heading = kind && strcmp(kind, "heading") == 0;
    char kind_cls[24];
    /* the kind names a CSS class only when it is a plain word */
    snprintf(kind_cls, sizeof kind_cls, "%s",
             kind && strspn(kind, "abcdefghijklmnopqrstuvwxyz_-") == strlen(kind) ? kind
                                                                                  : "paragraph");
    snprintf(id, sizeof id, "passage-%lld", no);
    snprintf(cls, sizeof cls, "passage kind-%s%s%s%s", kind_cls, sel ? " selected" : "",
             is_match(ctx, pid) ? " match" : "", level ? " is-rec" : "");
    lzs_sd_html_open(b, "div", "class", cls, "id", id, "data-pid", pid ? pid : "", "tabindex", "-1",
                     NULL);
    if (heading) {
        const json_t *section = json_object_get(ps, "section");
        char tag[3] = {
            'h', (char)('2' + (json_array_size(section) < 4 ? json_array_size(section) : 4)), 0};
        lzs_sd_html_open(b, tag, "class", "passage-heading", NULL);
        marked_text(b, ctx, lzs_sd_view_str(ps, "text"));
        lzs_sd_html_close(b, tag);
        lzs_sd_html_static(b, "</div>");
        return;
    }
    passage_gutter(b, ctx, ps, id, pid, kind);
    lzs_sd_html_static(b, "</div><div class=\"passage-main\">");
    if (level || rec) {
        lzs_sd_html_static(b, "<div class=\"rec-head\">");
        lzs_sd_view_level_badge(b, level);
        if (rec) {
            lzs_sd_html_static(b, "<span class=\"rec-id\">");
            lzs_sd_html_textf(b, "Recommendation %s", rec);
            lzs_sd_html_static(b, "</span>");
        }
        lzs_sd_html_static(b, "</div>");
    }
    lzs_sd_html_static(b, "<p class=\"passage-text\">");
    marked_text(b, ctx, lzs_sd_view_str(ps, "text"));
    lzs_sd_html_static(b, "</p>");
    if (json_array_size(addr) > 0)
        addressees(b, labels, addr);
    follow_up(b, json_object_get(ps, "followed_up_by"));
    if (sel && ctx->similar)
        similar_panel(b, p, ctx->similar);
    lzs_sd_html_static(b, "</div></div>");
}

void lzs_sd_view_doc(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *answer,
                     const json_t *labels, const char *base, const json_t *similar,
                     const json_t *matches)
{
    doc_ctx_t ctx;
    const json_t *files = json_object_get(json_object_get(answer, "doc"), "files");
    const json_t *f;
    const json_t *doc = json_object_get(answer, "doc");
    const json_t *passages = json_object_get(answer, "passages");
    const char *id = lzs_sd_view_str(doc, "id");
    const char *title = lzs_sd_view_str(doc, "title");
    const char *lang = lzs_sd_view_str(doc, "lang");
    const json_t *chosen = NULL;
    size_t i;
    const json_t *ps;
    lzs_sd_buf_t back = {0};
    memset(&ctx, 0, sizeof ctx);
    ctx.p = p;
    ctx.doc_id = id;
    ctx.labels = labels;
    ctx.similar = similar;
    collect_matches(&ctx, matches);
    json_array_foreach(files, i, f)
    {
        const char *format = lzs_sd_view_str(f, "format");
        if (!ctx.pdf && format && strcmp(format, "pdf") == 0)
            ctx.pdf = (int)i + 1;
    }
    if (!title)
        title = lzs_sd_view_str(doc, "ref");
    if (!title)
        title = id ? id : "Untitled document";
    lzs_sd_buf_puts(&back, "/");
    lzs_sd_view_search_query(&back, p, 1, NULL, NULL, NULL, NULL);
    lzs_sd_html_static(b, "<section id=\"view-doc\" class=\"view\" aria-labelledby=\"doc-title\">"
                          "<div class=\"wrap doc-wrap\"><p class=\"back\">");
    lzs_sd_html_elem(b, "a", "← Back to results", "id", "back-link", "href", back.data, NULL);
    lzs_sd_html_static(b, "</p><div id=\"doc-error\" class=\"error\" role=\"alert\" hidden></div>");
    lzs_sd_html_open(b, "article", "id", "document", "class", "document", "lang", lang, NULL);
    lzs_sd_html_static(b,
                       "<header class=\"doc-header\"><p id=\"doc-kicker\" class=\"kicker\"></p>");
    lzs_sd_html_elem(b, "h1", title, "id", "doc-title", "class", "doc-title", "tabindex", "-1",
                     NULL);
    versions(b, p, doc, labels);
    meta(b, answer, labels);
    lzs_sd_html_static(b, "</header>");
    json_array_foreach(passages, i, ps)
    {
        const char *pid = lzs_sd_view_str(ps, "id");
        if (p->passage && pid && strcmp(pid, p->passage) == 0)
            chosen = ps;
    }
    if (chosen)
        cite(b, doc, chosen, base);
    matches_box(b, &ctx, passages);
    lzs_sd_html_static(b, "<div id=\"doc-body\" class=\"doc-body\">");
    json_array_foreach(passages, i, ps) passage(b, &ctx, ps);
    json_decref((json_t *)ctx.match_ids);
    lzs_sd_html_static(b, "</div></article></div></section>");
    lzs_sd_buf_free(&back);
}
