/* view.h — the views of the page (GET /, page.h) rendered from the JSON the API answers:
 * the results of a search, a document, the recommendations addressed to a Party. Each
 * view writes its <section> (the element web/app.js enhances, same ids) with html.h only,
 * so no text of a document or of the request can become markup. Shared here: the reader's
 * words for labels, dates and passages, and the URLs of the page's views.
 */
#ifndef LZS_SEARCHD_VIEW_H
#define LZS_SEARCHD_VIEW_H

#include <jansson.h>

#include "buf.h"
#include "params.h"

/* Hits per page of the results (what web/app.js asks for). */
#define LZS_SD_VIEW_PAGE_SIZE 20
/* Similar passages listed under the passage chosen in a document. */
#define LZS_SD_VIEW_SIMILAR 5

/* The results of the search p->req (answer: /api/search's JSON, borrowed; NULL with
 * error set when the search was refused: the message is shown instead). */
void lzs_sd_view_search(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *answer,
                        const char *error);
/* How the query of p was read (answer: /api/search's JSON, borrowed; NULL: none): the
 * <p id="read-as"> under the search box, hidden when there is no query or no reading. */
void lzs_sd_view_read_as(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *answer);

/* The document doc (/api/doc's JSON, borrowed), the passage p->passage selected; labels
 * are the facets of a search (borrowed, may be NULL) for the reader's names of values;
 * self is the absolute URL of this page (for "Cite this passage"); similar (the JSON of
 * /api/similar/{p->passage}, borrowed; NULL: none) the passages like the one selected,
 * listed under it in a closed <details>; matches (a search of p->req.q, borrowed; NULL:
 * none) its hits in this document are the passages that match, their marked words marked
 * in the text. */
void lzs_sd_view_doc(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *doc,
                     const json_t *labels, const char *self_base, const json_t *similar,
                     const json_t *matches);
/* The Party view: picker counts from the facets of a search of every recommendation
 * (picker, borrowed), and the recommendations addressed to p->party_view (recs: the hits
 * of /api/search, borrowed; NULL when no valid Party is chosen). */
void lzs_sd_view_party(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *picker,
                       const json_t *recs);

/* The comparison of the Parties given as party values of p: picker (the facets of a
 * search of every recommendation, borrowed) for the form, cmp (/api/compare's JSON,
 * borrowed; NULL when fewer than two Parties are chosen) for the table, error (NULL:
 * none) a sentence saying why there is no table. */
void lzs_sd_view_compare(lzs_sd_buf_t *b, const lzs_sd_params_t *p, const json_t *picker,
                         const json_t *cmp, const char *error);

/* ---- shared by the views ---------------------------------------------------------- */

/* The label of value in facet field of facets (borrowed), else NULL. */
const char *lzs_sd_view_label(const json_t *facets, const char *field, const char *value);
/* "14 March 2024" from "2024-03-14" ("March 2024", "2024"); other text as it is. */
void lzs_sd_view_date(lzs_sd_buf_t *b, const char *iso);
/* How a reader cites passage (JSON, borrowed): "Recommendation V-17", "para. 6",
 * "footnote 3", "item b", "section 2"; nothing for a passage without a label. */
void lzs_sd_view_passage_label(lzs_sd_buf_t *b, const json_t *passage);
/* The string member key of o, or NULL (also for JSON null or a missing o). */
const char *lzs_sd_view_str(const json_t *o, const char *key);
/* Appends to u the query of the search in p (q, filters, group, sort; offset when
 * with_offset), without the field/value pair skip_field/skip_value (NULL: none) and
 * with add_field=add_value (NULL: none). */
void lzs_sd_view_search_query(lzs_sd_buf_t *u, const lzs_sd_params_t *p, int with_offset,
                              const char *skip_field, const char *skip_value, const char *add_field,
                              const char *add_value);
/* Appends "/?doc=ID[&p=PID]" plus the search in p (so the way back keeps it). */
void lzs_sd_view_doc_url(lzs_sd_buf_t *u, const lzs_sd_params_t *p, const char *doc_id,
                         const char *passage_id);
/* A hit's snippet (hit: a hit of /api/search or /api/similar, borrowed) as <p
 * class="snippet" lang=lang>, the matched pieces in <mark> when marks. */
void lzs_sd_view_snippet(lzs_sd_buf_t *b, const json_t *hit, const char *lang, int marks);
/* A level badge: <span class="badge level level-L">L</span>. */
void lzs_sd_view_level_badge(lzs_sd_buf_t *b, const char *level);

#endif
