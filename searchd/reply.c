/* reply.c — the security headers and the JSON error body of every answer (see reply.h). */
#include "reply.h"

#include <stdlib.h>
#include <string.h>

#include "lzs/buf.h"
#include "lzs/text.h"

const lzs_sd_header_t lzs_sd_reply_headers[] = {
    {"Content-Security-Policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Cache-Control", "no-cache"},
    {"Connection", "close"},
    {NULL, NULL},
};

static int dump_cb(const char *buf, size_t size, void *ud)
{
    lzs_buf_t *b = ud;
    lzs_buf_append(b, buf, size);
    return b->failed ? -1 : 0;
}

char *lzs_sd_json_dump(const json_t *v, size_t *len)
{
    lzs_buf_t b = {0};
    if (!v || json_dump_callback(v, dump_cb, &b, JSON_COMPACT) != 0 || b.failed || !b.data) {
        lzs_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data;
}

char *lzs_sd_reply_error(const char *code, const char *param, int position, const char *message,
                         size_t *len)
{
    return lzs_sd_reply_error_cost(code, param, position, message, NULL, len);
}

char *lzs_sd_reply_error_cost(const char *code, const char *param, int position,
                              const char *message, json_t *cost, size_t *len)
{
    char *msg = NULL, *par = NULL, *out = NULL;
    json_t *e = NULL;
    if (lzs_text_sanitize_utf8(message, strlen(message), &msg, NULL, NULL) == LZS_OK &&
        (!param || !*param ||
         lzs_text_sanitize_utf8(param, strlen(param), &par, NULL, NULL) == LZS_OK))
        e = json_pack("{s:{s:s, s:s, s:o, s:o}}", "error", "code", code, "message", msg, "param",
                      par ? json_string(par) : json_null(), "position",
                      position >= 0 ? json_integer(position) : json_null());
    if (e && cost &&
        json_object_set_new(json_object_get(e, "error"), "cost", json_incref(cost)) != 0) {
        json_decref(e);
        e = NULL;
    }
    json_decref(cost);
    free(msg);
    free(par);
    out = lzs_sd_json_dump(e, len);
    json_decref(e);
    return out;
}
