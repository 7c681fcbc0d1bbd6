/* html.c — HTML written escaped by construction (see html.h). */
#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lzs_sd_html_textn(lzs_sd_buf_t *b, const char *s, size_t n)
{
    size_t start = 0;
    if (!s)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *ref;
        switch (s[i]) {
        case '&':
            ref = "&amp;";
            break;
        case '<':
            ref = "&lt;";
            break;
        case '>':
            ref = "&gt;";
            break;
        case '"':
            ref = "&quot;";
            break;
        case '\'':
            ref = "&#39;";
            break;
        default:
            continue;
        }
        lzs_sd_buf_append(b, s + start, i - start);
        lzs_sd_buf_puts(b, ref);
        start = i + 1;
    }
    lzs_sd_buf_append(b, s + start, n - start);
}

void lzs_sd_html_text(lzs_sd_buf_t *b, const char *s)
{
    if (s)
        lzs_sd_html_textn(b, s, strlen(s));
}

void lzs_sd_html_textf(lzs_sd_buf_t *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        lzs_sd_html_textn(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    lzs_sd_html_textn(b, big, (size_t)n);
    free(big);
}

void lzs_sd_html_count(lzs_sd_buf_t *b, long long n)
{
    char digits[32], out[48];
    unsigned long long u = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
    int len = snprintf(digits, sizeof digits, "%llu", u);
    size_t j = 0;
    if (n < 0)
        out[j++] = '-';
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[j++] = ',';
        out[j++] = digits[i];
    }
    lzs_sd_buf_append(b, out, j);
}

/* 1 when s is a tag or attribute name this writer accepts: [a-z0-9-]+. */
static int plain_name(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    }
    return 1;
}

void lzs_sd_html_attr(lzs_sd_buf_t *b, const char *name, const char *value)
{
    if (!value)
        return;
    if (!plain_name(name)) {
        b->failed = 1;
        return;
    }
    lzs_sd_buf_puts(b, " ");
    lzs_sd_buf_puts(b, name);
    lzs_sd_buf_puts(b, "=\"");
    lzs_sd_html_text(b, value);
    lzs_sd_buf_puts(b, "\"");
}

/* Writes the attribute pairs of ap and the closing ">" of a start tag. */
static void write_attrs(lzs_sd_buf_t *b, va_list ap)
{
    for (;;) {
        const char *name = va_arg(ap, const char *);
        if (!name)
            break;
        const char *value = va_arg(ap, const char *);
        lzs_sd_html_attr(b, name, value);
    }
    lzs_sd_buf_puts(b, ">");
}

/* "<tag", or b->failed for a name that is not plain. */
static void start_tag(lzs_sd_buf_t *b, const char *tag)
{
    if (!plain_name(tag)) {
        b->failed = 1;
        return;
    }
    lzs_sd_buf_puts(b, "<");
    lzs_sd_buf_puts(b, tag);
}

void lzs_sd_html_open(lzs_sd_buf_t *b, const char *tag, ...)
{
    va_list ap;
    start_tag(b, tag);
    va_start(ap, tag);
    write_attrs(b, ap);
    va_end(ap);
}

void lzs_sd_html_close(lzs_sd_buf_t *b, const char *tag)
{
    if (!plain_name(tag)) {
        b->failed = 1;
        return;
    }
    lzs_sd_buf_puts(b, "</");
    lzs_sd_buf_puts(b, tag);
    lzs_sd_buf_puts(b, ">");
}

void lzs_sd_html_elem(lzs_sd_buf_t *b, const char *tag, const char *text, ...)
{
    va_list ap;
    start_tag(b, tag);
    va_start(ap, text);
    write_attrs(b, ap);
    va_end(ap);
    lzs_sd_html_text(b, text);
    lzs_sd_html_close(b, tag);
}

void lzs_sd_html_static_(lzs_sd_buf_t *b, const char *literal)
{
    lzs_sd_buf_puts(b, literal);
}

/* Appends s %-encoded; a space is "+" in a query (form), "%20" in a path. */
static void url_encode(lzs_sd_buf_t *u, const char *s, int form)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[3];
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            lzs_sd_buf_append(u, (const char *)p, 1);
        } else if (*p == ' ' && form) {
            lzs_sd_buf_puts(u, "+");
        } else {
            esc[0] = '%';
            esc[1] = hex[*p >> 4];
            esc[2] = hex[*p & 15];
            lzs_sd_buf_append(u, esc, 3);
        }
    }
}

void lzs_sd_url_param(lzs_sd_buf_t *u, const char *key, const char *value)
{
    lzs_sd_buf_puts(u, u->len > 0 && memchr(u->data, '?', u->len) ? "&" : "?");
    url_encode(u, key, 1);
    lzs_sd_buf_puts(u, "=");
    url_encode(u, value ? value : "", 1);
}

void lzs_sd_url_segment(lzs_sd_buf_t *u, const char *s)
{
    url_encode(u, s, 0);
}
