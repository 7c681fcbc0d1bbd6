/* compare.c — GET /api/compare as JSON or CSV (see compare.h). */
#include "compare.h"

#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "lzs/search.h"
#include "params.h"
#include "respond.h"
#include "rows.h"
#include "worker.h"

#define CSV_TYPE "text/csv; charset=utf-8; header=present"
#define CSV_DISPOSITION "attachment; filename=\"lanzasearch-compare.csv\""
#define CSV_HEADER                                                                                 \
    "article,article_label,party,party_name,level,rec_id,rec_key,doc_id,passage_id,lang,text,"     \
    "versions,url\r\n"

static const char *str_or_empty(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* One CSV line per entry of list (a cell's recs) under row and the Party (code, name). */
static void csv_entries(lzs_sd_buf_t *b, const json_t *row, const char *code, const char *name,
                        const json_t *list)
{
    size_t i;
    const json_t *rec;
    json_array_foreach(list, i, rec)
    {
        lzs_sd_buf_t t = {0};
        size_t k;
        const json_t *v;
        lzs_sd_rows_csv_field(b, str_or_empty(row, "article"), 0);
        lzs_sd_rows_csv_field(b, str_or_empty(row, "label"), 0);
        lzs_sd_rows_csv_field(b, code, 0);
        lzs_sd_rows_csv_field(b, name, 0);
        lzs_sd_rows_csv_field(b, str_or_empty(rec, "level"), 0);
        lzs_sd_rows_csv_field(b, str_or_empty(rec, "rec_id"), 0);
        lzs_sd_rows_csv_field(b, str_or_empty(rec, "rec_key"), 0);
        lzs_sd_rows_csv_field(b, str_or_empty(rec, "doc"), 0);
        lzs_sd_rows_csv_field(b, str_or_empty(rec, "passage"), 0);
        lzs_sd_rows_csv_field(b, str_or_empty(rec, "lang"), 0);
        lzs_sd_rows_csv_field(b, str_or_empty(rec, "text"), 0);
        json_array_foreach(json_object_get(rec, "versions"), k, v)
        {
            if (k > 0)
                lzs_sd_buf_puts(&t, ";");
            lzs_sd_buf_puts(&t, str_or_empty(v, "passage"));
        }
        lzs_sd_rows_csv_field(b, t.data ? t.data : "", 0);
        if (t.failed)
            b->failed = 1;
        lzs_sd_buf_free(&t);
        t = (lzs_sd_buf_t){0};
        lzs_sd_rows_passage_url(&t, str_or_empty(rec, "doc"), str_or_empty(rec, "passage"));
        lzs_sd_rows_csv_field(b, t.data ? t.data : "", 1);
        if (t.failed)
            b->failed = 1;
        lzs_sd_buf_free(&t);
    }
}

/* The comparison cmp (as lzs_search_compare made it) as CSV: by row, then Party in the
 * order asked, then the recommendations addressed to all Parties. */
static void compare_csv(lzs_sd_buf_t *b, const json_t *cmp, int bom)
{
    const json_t *parties = json_object_get(cmp, "parties");
    size_t i;
    const json_t *row;
    if (bom)
        lzs_sd_buf_puts(b, LZS_SD_ROWS_BOM);
    lzs_sd_buf_puts(b, CSV_HEADER);
    json_array_foreach(json_object_get(cmp, "rows"), i, row)
    {
        size_t j;
        const json_t *cell;
        json_array_foreach(json_object_get(row, "cells"), j, cell)
        {
            const json_t *party = json_array_get(parties, j);
            csv_entries(b, row, str_or_empty(cell, "party"), str_or_empty(party, "name"),
                        json_object_get(cell, "recs"));
        }
        csv_entries(b, row, "all", "All Parties", json_object_get(row, "all"));
    }
}

static enum MHD_Result answer_csv(struct MHD_Connection *c, lzs_sd_request_t *rq, const json_t *cmp,
                                  int bom)
{
    lzs_sd_buf_t b = {0};
    compare_csv(&b, cmp, bom);
    if (b.failed) {
        lzs_sd_buf_free(&b);
        return lzs_sd_respond_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                                    "out of memory");
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(b.len, b.data, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        lzs_sd_buf_free(&b);
        return MHD_NO;
    }
    lzs_sd_respond_headers(r, CSV_TYPE);
    if (MHD_add_response_header(r, "Content-Disposition", CSV_DISPOSITION) != MHD_YES) {
        MHD_destroy_response(r);
        return MHD_NO;
    }
    return lzs_sd_respond_queue(c, rq, MHD_HTTP_OK, r);
}

enum MHD_Result lzs_sd_route_compare(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                     lzs_sd_request_t *rq)
{
    const lzs_sd_params_t *p = rq->params;
    lzs_search_req_t req = p->req;
    const char *const *parties = p->req.values[LZS_F_PARTY];
    size_t nparties = p->req.nvalues[LZS_F_PARTY];
    /* party names the columns here, not a filter on the Parties a passage mentions */
    req.values[LZS_F_PARTY] = NULL;
    req.nvalues[LZS_F_PARTY] = 0;

    lzs_searcher_t *s = lzs_sd_worker_searcher(srv);
    if (!s)
        return lzs_sd_respond_unavailable(c, rq);
    lzs_search_error_t err;
    json_t *out = NULL;
    lzs_status_t st = lzs_search_compare(s, &req, parties, nparties, &out, &err);
    if (st != LZS_OK)
        return lzs_sd_respond_failure(srv, c, rq, st, &err);
    enum MHD_Result res = p->format == LZS_SD_FORMAT_CSV
                              ? answer_csv(c, rq, out, p->bom)
                              : lzs_sd_respond_json(c, rq, MHD_HTTP_OK, out);
    json_decref(out);
    return res;
}
