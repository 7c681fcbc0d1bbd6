/* head.c — the rules of a request head (see head.h). */
#include "head.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* What the header lines seen so far said. */
typedef struct {
    unsigned content_lengths;
    unsigned long long content_length; /* capped: any value over the limit stays over it */
    int transfer_encoding;
    int expect_continue;
    size_t header_bytes; /* of the header lines, CRLFs included */
} fields_t;

__attribute__((format(printf, 4, 5))) static lzs_sd_head_verdict_t
bad(lzs_sd_head_t *h, unsigned status, const char *code, const char *fmt, ...)
{
    va_list ap;
    h->status = status;
    h->code = code;
    va_start(ap, fmt);
    vsnprintf(h->message, sizeof h->message, fmt, ap);
    va_end(ap);
    return LZS_SD_HEAD_BAD;
}

/* Request bytes as they may be quoted in a message (and a log line): printable ASCII,
 * anything else as '?', at most cap - 1 bytes. */
static const char *shown(const char *s, size_t n, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; i < n && j + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        out[j++] = c >= 0x20 && c < 0x7F ? (char)c : '?';
    }
    out[j] = '\0';
    return out;
}

/* A token character (RFC 9110 section 5.6.2). */
static int is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int all_tchar(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_tchar((unsigned char)s[i]))
            return 0;
    }
    return n > 0;
}

static int name_is(const char *s, size_t n, const char *name)
{
    return n == strlen(name) && strncasecmp(s, name, n) == 0;
}

/* Notes where the target of request line s (its first n bytes, maybe not all of it) is:
 * after the first space, up to the next one or as far as it came; and whether the method
 * is HEAD (its refusal then has no body either). */
static void locate_target(const char *s, size_t n, lzs_sd_head_t *h)
{
    h->method_head = n > 4 && memcmp(s, "HEAD ", 5) == 0;
    const char *sp1 = memchr(s, ' ', n);
    const char *t = sp1 ? sp1 + 1 : s + n;
    const char *sp2 = memchr(t, ' ', (size_t)(s + n - t));
    h->target_off = (size_t)(t - s);
    h->target_len = (size_t)((sp2 ? sp2 : s + n) - t);
    h->target_whole = sp2 != NULL;
}

static lzs_sd_head_verdict_t request_line(const char *s, size_t n, lzs_sd_head_t *h)
{
    char q[24];
    const char *end = s + n;
    const char *sp1 = memchr(s, ' ', n);
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1)) : NULL;
    if (!sp2 || memchr(sp2 + 1, ' ', (size_t)(end - sp2 - 1)) || sp2 == sp1 + 1)
        return bad(h, 400, "bad_request",
                   "the request line is not METHOD, a target and HTTP/1.1, each after one "
                   "space");
    const char *target = sp1 + 1, *version = sp2 + 1;
    size_t tlen = (size_t)(sp2 - target), vlen = (size_t)(end - version);
    if (!all_tchar(s, (size_t)(sp1 - s)))
        return bad(h, 400, "bad_request", "the method '%s' is not a token",
                   shown(s, (size_t)(sp1 - s), q, sizeof q));
    if (n > LZS_SD_MAX_LINE || tlen > LZS_SD_MAX_URI) {
        locate_target(s, n, h);
        return bad(h, 414, "uri_too_long",
                   "the request target is %zu bytes: at most %d are accepted", tlen,
                   LZS_SD_MAX_URI);
    }
    for (size_t i = 0; i < tlen; i++) {
        unsigned char c = (unsigned char)target[i];
        if (c < 0x21 || c == 0x7F)
            return bad(h, 400, "bad_request",
                       "the request target holds a control byte (%#04x at byte %zu): "
                       "percent-encode it",
                       c, i);
    }
    h->method_head = sp1 - s == 4 && memcmp(s, "HEAD", 4) == 0;
    if (vlen == 8 && memcmp(version, "HTTP/1.", 7) == 0 && (version[7] == '0' || version[7] == '1'))
        return LZS_SD_HEAD_MORE;
    if (vlen == 8 && memcmp(version, "HTTP/", 5) == 0 && version[5] >= '0' && version[5] <= '9' &&
        version[6] == '.' && version[7] >= '0' && version[7] <= '9')
        return bad(h, 505, "http_version_not_supported",
                   "%s is not supported: use HTTP/1.1 (or HTTP/1.0)",
                   shown(version, vlen, q, sizeof q));
    return bad(h, 400, "bad_request", "the request line ends with '%s', not HTTP/1.1 or HTTP/1.0",
               shown(version, vlen, q, sizeof q));
}

static lzs_sd_head_verdict_t header_line(const char *s, size_t n, fields_t *f, lzs_sd_head_t *h)
{
    char q[48];
    const char *colon = memchr(s, ':', n);
    if (!colon)
        return bad(h, 400, "bad_request", "a header line has no colon: '%s'",
                   shown(s, n, q, sizeof q));
    size_t nlen = (size_t)(colon - s);
    if (!all_tchar(s, nlen))
        return bad(h, 400, "bad_request",
                   "the header name '%s' is not a token (no space before the colon, no "
                   "folded lines)",
                   shown(s, nlen, q, sizeof q));
    const char *v = colon + 1, *ve = s + n;
    while (v < ve && (*v == ' ' || *v == '\t'))
        v++;
    while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
        ve--;
    size_t vlen = (size_t)(ve - v);
    for (size_t i = 0; i < vlen; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return bad(h, 400, "bad_request", "the value of header %s holds a control byte",
                       shown(s, nlen, q, sizeof q));
    }
    if (name_is(s, nlen, "Content-Length")) {
        if (f->content_lengths++ > 0)
            return bad(h, 400, "bad_request",
                       "two Content-Length headers: a request carries one at most (RFC 9112 "
                       "section 6.3)");
        if (f->transfer_encoding)
            return bad(h, 400, "bad_request",
                       "Content-Length together with Transfer-Encoding (RFC 9112 section 6.3)");
        size_t digits = 0;
        while (digits < vlen && v[digits] >= '0' && v[digits] <= '9')
            digits++;
        if (vlen == 0 || digits < vlen)
            return bad(h, 400, "bad_request", "Content-Length '%s' is not a whole number",
                       shown(v, vlen, q, sizeof q));
        for (size_t i = 0; i < vlen && f->content_length <= LZS_SD_MAX_BODY; i++)
            f->content_length = f->content_length * 10 + (unsigned)(v[i] - '0');
    } else if (name_is(s, nlen, "Transfer-Encoding")) {
        if (f->content_lengths > 0)
            return bad(h, 400, "bad_request",
                       "Transfer-Encoding together with Content-Length (RFC 9112 section 6.3)");
        f->transfer_encoding = 1;
    } else if (name_is(s, nlen, "Expect")) {
        f->expect_continue = vlen == 12 && strncasecmp(v, "100-continue", 12) == 0;
    }
    return LZS_SD_HEAD_MORE;
}

/* The head is complete (head_len bytes): what its fields call for. */
static lzs_sd_head_verdict_t head_done(const fields_t *f, size_t head_len, size_t n,
                                       lzs_sd_head_t *h)
{
    if (f->transfer_encoding)
        return bad(h, 413, "body_too_large",
                   "requests take no body: Transfer-Encoding is not accepted (a body of at "
                   "most %d bytes with Content-Length is tolerated)",
                   LZS_SD_MAX_BODY);
    if (f->content_length > LZS_SD_MAX_BODY)
        return bad(h, 413, "body_too_large",
                   "requests take no body (a body of at most %d bytes is tolerated)",
                   LZS_SD_MAX_BODY);
    h->head_len = head_len;
    h->body_len = (size_t)f->content_length;
    h->expect_continue = f->expect_continue;
    /* With "Expect: 100-continue" the client waits to be asked for its body: the server
     * answers without it (server.c), so it is not waited for here. */
    if (!h->expect_continue && n - head_len < h->body_len)
        return LZS_SD_HEAD_MORE;
    return LZS_SD_HEAD_OK;
}

lzs_sd_head_verdict_t lzs_sd_head_check(const char *buf, size_t n, lzs_sd_head_t *out)
{
    fields_t f;
    memset(out, 0, sizeof *out);
    memset(&f, 0, sizeof f);
    size_t i = 0;
    for (unsigned line = 0;; line++) {
        const char *lf = memchr(buf + i, '\n', n - i);
        size_t end = lf ? (size_t)(lf - buf) : n;
        /* Bytes no line may hold, checked before the line is whole, so that a head that
         * is bad from its first bytes is refused at once. */
        if (memchr(buf + i, '\0', end - i))
            return bad(out, 400, "bad_request", "the request head holds a NUL byte");
        const char *cr = memchr(buf + i, '\r', end - i);
        if (cr && (size_t)(cr - buf) + 1 < end)
            return bad(out, 400, "bad_request",
                       "a line of the request head holds a CR that does not end it");
        if (lf && (end == i || buf[end - 1] != '\r'))
            return bad(out, 400, "bad_request",
                       "a line of the request head ends with LF alone, not CRLF");
        /* The line without its CRLF (or the CR that may end it once its LF comes). */
        size_t len = end - i - (cr ? 1 : 0);
        if (line == 0 && len > LZS_SD_MAX_LINE) {
            locate_target(buf, len, out);
            return bad(out, 414, "uri_too_long",
                       "the request line is over %d bytes: a target of at most %d bytes is "
                       "accepted",
                       LZS_SD_MAX_LINE, LZS_SD_MAX_URI);
        }
        /* Header lines count with their CRLF, even before it comes (the blank line that
         * ends the head does not count). */
        if (line > 0 && len > 0 && f.header_bytes + len + 2 > LZS_SD_MAX_HEADERS)
            return bad(out, 431, "headers_too_large",
                       "the request headers are over %d bytes: at most %d are accepted",
                       LZS_SD_MAX_HEADERS, LZS_SD_MAX_HEADERS);
        if (!lf)
            return LZS_SD_HEAD_MORE;
        lzs_sd_head_verdict_t v;
        if (line == 0 && len == 0)
            return bad(out, 400, "bad_request", "the request head begins with an empty line");
        if (line == 0)
            v = request_line(buf + i, len, out);
        else if (len == 0)
            return head_done(&f, end + 1, n, out);
        else
            v = header_line(buf + i, len, &f, out);
        if (v != LZS_SD_HEAD_MORE)
            return v;
        if (line > 0)
            f.header_bytes += len + 2;
        i = end + 1;
    }
}
