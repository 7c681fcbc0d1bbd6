/* page.h — GET /: the search page rendered by the daemon, so that it works without
 * JavaScript, and link previews and search engines get real content.
 *
 * The shell is web/index.html (the one page of --web, so that an installation's page is
 * the one served); the view the query string asks for replaces its <section>: the
 * results of a search (q, the filters, group, sort, offset, size of /api/search), a
 * document (doc=ID, p=PASSAGE), or the recommendations addressed to a Party
 * (party_view=CODE, all=0|1). The views are rendered from the JSON the API answers, by
 * the same calls of the library (view.h). With fragment=1 only the view's <section> is
 * answered: what web/app.js swaps in. Any other parameter is refused with an HTML 400
 * page naming it (docs/api.md). A handler of the route table (routes.h).
 */
#ifndef LZS_SEARCHD_PAGE_H
#define LZS_SEARCHD_PAGE_H

#include <stdint.h>

#include <microhttpd.h>

#include "buf.h"
#include "server_internal.h"
#include "webfiles.h"

#define LZS_SD_HTML_TYPE "text/html; charset=utf-8"

enum MHD_Result lzs_sd_route_page(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                  lzs_sd_request_t *rq);

/* The version of what every page is made from besides the index and the request: the web
 * files and this program's version (lzs_sd_web_t.version), the data files (the directory
 * cfg->ex read), and the options that change what a page shows (--base-url,
 * --max-postings, --max-expansion). Part of every page's ETag; no time and no path in it,
 * so that replicas started alike on the same files give one view one ETag. Read once, when
 * the server starts. */
uint64_t lzs_sd_page_version(const lzs_sd_config_t *cfg);

/* The whole HTML error page (web's index.html with the message in place of its search
 * section; the message alone when web has no index.html) into out: a title and a sentence
 * (both borrowed, escaped here); param (may be NULL) is the parameter at fault, named on
 * the page. 0, or -1 when out of memory (out then holds what the caller frees with
 * lzs_sd_buf_free()). Reads only web: any thread may call it. */
int lzs_sd_page_error_html(const lzs_sd_web_t *web, const char *title, const char *param,
                           const char *message, lzs_sd_buf_t *out);
/* An HTML error page: status, a title and a sentence (both borrowed, escaped here); param
 * (may be NULL) is the parameter at fault, named on the page. */
enum MHD_Result lzs_sd_page_error(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                  lzs_sd_request_t *rq, unsigned status, const char *title,
                                  const char *param, const char *message);

#endif
