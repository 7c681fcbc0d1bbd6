/* rows.c — an export's body as JSON or CSV (see rows.h). */
#include "rows.h"

#include <stdlib.h>
#include <string.h>

#include "reply.h"

void lzs_sd_rows_csv_field(lzs_sd_buf_t *b, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n")) {
        lzs_sd_buf_puts(b, "\"");
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                lzs_sd_buf_append(b, "\"\"", 2);
            else
                lzs_sd_buf_append(b, p, 1);
        }
        lzs_sd_buf_puts(b, "\"");
    } else {
        lzs_sd_buf_puts(b, s);
    }
    lzs_sd_buf_puts(b, last ? "\r\n" : ",");
}

void lzs_sd_rows_passage_url(lzs_sd_buf_t *b, const char *doc_id, const char *passage_id)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *parts[2] = {doc_id, passage_id};
    lzs_sd_buf_puts(b, "/?doc=");
    for (int k = 0; k < 2; k++) {
        if (k == 1)
            lzs_sd_buf_puts(b, "&p=");
        for (const unsigned char *c = (const unsigned char *)parts[k]; *c; c++) {
            /* RFC 3986 unreserved characters as they are, every other byte escaped */
            if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
                *c == '-' || *c == '.' || *c == '_' || *c == '~') {
                lzs_sd_buf_append(b, (const char *)c, 1);
            } else {
                char e[3] = {'%', hex[*c >> 4], hex[*c & 15]};
                lzs_sd_buf_append(b, e, 3);
            }
        }
    }
}

/* A JSON value as CSV text: strings as they are, numbers printed, null empty, lists
 * joined with sep. */
static void csv_value(lzs_sd_buf_t *b, const json_t *v, const char *sep, int last)
{
    lzs_sd_buf_t t = {0};
    if (json_is_string(v)) {
        lzs_sd_buf_append(&t, json_string_value(v), json_string_length(v));
    } else if (json_is_integer(v)) {
        lzs_sd_buf_printf(&t, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        lzs_sd_buf_printf(&t, "%g", json_real_value(v));
    } else if (json_is_array(v)) {
        size_t i;
        const json_t *item;
        json_array_foreach(v, i, item)
        {
            if (i > 0)
                lzs_sd_buf_puts(&t, sep);
            if (json_is_string(item))
                lzs_sd_buf_puts(&t, json_string_value(item));
        }
    }
    if (t.failed)
        b->failed = 1;
    lzs_sd_rows_csv_field(b, t.data ? t.data : "", last);
    lzs_sd_buf_free(&t);
}

/* The columns: the hit's id, then these fields of its "doc", then of its "passage", then
 * the passage's url and the hit's collection (columns are only ever added at the end, so
 * that a script reading them by position keeps working: docs/api.md). */
static const char *const k_csv_doc[] = {"id", "ref", "title", "type", "date", "year", "lang"};
static const char *const k_csv_passage[] = {"label",      "kind",    "section",  "rec_id", "level",
                                            "addressees", "parties", "articles", "text"};
#define CSV_HEADER                                                                                 \
    "id,doc_id,ref,title,type,date,year,lang,label,kind,section,rec_id,level,addressees,"          \
    "parties,articles,text,url,collection\r\n"

static void csv_row(lzs_sd_buf_t *b, const json_t *hit, size_t before)
{
    const json_t *doc = json_object_get(hit, "doc");
    const json_t *p = json_object_get(hit, "passage");
    size_t np = sizeof k_csv_passage / sizeof k_csv_passage[0];
    (void)before;
    csv_value(b, json_object_get(hit, "id"), ";", 0);
    for (size_t i = 0; i < sizeof k_csv_doc / sizeof k_csv_doc[0]; i++)
        csv_value(b, json_object_get(doc, k_csv_doc[i]), ";", 0);
    for (size_t i = 0; i < np; i++) {
        const char *name = k_csv_passage[i];
        csv_value(b, json_object_get(p, name), strcmp(name, "section") == 0 ? " > " : ";", 0);
    }
    lzs_sd_buf_t url = {0};
    const char *doc_id = json_string_value(json_object_get(doc, "id"));
    const char *id = json_string_value(json_object_get(hit, "id"));
    lzs_sd_rows_passage_url(&url, doc_id ? doc_id : "", id ? id : "");
    if (url.failed)
        b->failed = 1;
    lzs_sd_rows_csv_field(b, url.data ? url.data : "", 0);
    lzs_sd_buf_free(&url);
    csv_value(b, json_object_get(hit, "collection"), ";", 1);
}

static void json_row(lzs_sd_buf_t *b, const json_t *hit, size_t before)
{
    size_t len = 0;
    char *s = lzs_sd_json_dump(hit, &len);
    if (!s) {
        b->failed = 1;
        return;
    }
    lzs_sd_buf_puts(b, before ? ",\n" : "\n");
    lzs_sd_buf_append(b, s, len);
    free(s);
}

/* The formats, a row each, indexed by lzs_sd_format_t. */
static const struct {
    const char *type;
    const char *disposition;
    const char *begin;
    const char *end_empty; /* the end of a body without rows */
    const char *end;       /* the end of a body with rows */
    void (*row)(lzs_sd_buf_t *b, const json_t *hit, size_t before);
} formats[] = {
    [LZS_SD_FORMAT_CSV] = {"text/csv; charset=utf-8; header=present",
                           "attachment; filename=\"lanzasearch-export.csv\"", CSV_HEADER, "", "",
                           csv_row},
    [LZS_SD_FORMAT_JSON] = {LZS_SD_JSON_TYPE, "attachment; filename=\"lanzasearch-export.json\"",
                            "[", "]\n", "\n]\n", json_row},
};

const char *lzs_sd_rows_type(lzs_sd_format_t format)
{
    return formats[format].type;
}

const char *lzs_sd_rows_disposition(lzs_sd_format_t format)
{
    return formats[format].disposition;
}

void lzs_sd_rows_begin(lzs_sd_buf_t *b, lzs_sd_format_t format, int bom)
{
    if (bom && format == LZS_SD_FORMAT_CSV)
        lzs_sd_buf_puts(b, LZS_SD_ROWS_BOM);
    lzs_sd_buf_puts(b, formats[format].begin);
}

void lzs_sd_rows_add(lzs_sd_buf_t *b, lzs_sd_format_t format, const json_t *hit, size_t before)
{
    formats[format].row(b, hit, before);
}

void lzs_sd_rows_end(lzs_sd_buf_t *b, lzs_sd_format_t format, size_t n)
{
    const char *end = n ? formats[format].end : formats[format].end_empty;
    if (*end)
        lzs_sd_buf_puts(b, end);
}
