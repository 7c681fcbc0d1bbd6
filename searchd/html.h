/* html.h — writing HTML into a growable buffer (buf.h) so that no text from a request or
 * the index can become markup: text and attribute values always go through an escaper
 * (& < > " ' become character references), tag and attribute names are checked to be
 * plain names, and the only way to write markup as it is takes a string literal of the
 * program (lzs_sd_html_static, checked by the compiler). The page renderer (page.h) uses
 * nothing else. Like buf.h, a failure (out of memory, a bad name) sets b->failed and
 * every later call is a no-op, so callers check once at the end.
 */
#ifndef LZS_SEARCHD_HTML_H
#define LZS_SEARCHD_HTML_H

#include <stddef.h>

#include "buf.h"

/* Text content: s (NUL-terminated, borrowed for the call; NULL writes nothing) escaped. */
void lzs_sd_html_text(lzs_sd_buf_t *b, const char *s);
/* The same for n bytes of s. */
void lzs_sd_html_textn(lzs_sd_buf_t *b, const char *s, size_t n);
/* Text made by fmt, escaped. */
__attribute__((format(printf, 2, 3))) void lzs_sd_html_textf(lzs_sd_buf_t *b, const char *fmt, ...);
/* A count as a reader writes it: 1,234. */
void lzs_sd_html_count(lzs_sd_buf_t *b, long long n);

/* A start tag: "<tag" then the attributes given as name, value pairs (borrowed for the
 * call) ended by a NULL name, then ">". A pair with a NULL value is left out; a value ""
 * writes name="" (how a boolean attribute such as hidden is set). Names must be
 * [a-z0-9-]+ (else b->failed). */
void lzs_sd_html_open(lzs_sd_buf_t *b, const char *tag, ...) __attribute__((sentinel));
/* One attribute, ' name="value"', for a tag the caller is writing (value NULL: none). */
void lzs_sd_html_attr(lzs_sd_buf_t *b, const char *name, const char *value);
/* The end tag "</tag>". */
void lzs_sd_html_close(lzs_sd_buf_t *b, const char *tag);
/* <tag attributes...>text</tag>: lzs_sd_html_open's pairs after text (NULL: empty). */
void lzs_sd_html_elem(lzs_sd_buf_t *b, const char *tag, const char *text, ...)
    __attribute__((sentinel));

/* Markup written as it is: only a string literal of the program is accepted (the
 * concatenation with "" does not compile with anything else). */
#define lzs_sd_html_static(b, literal) lzs_sd_html_static_((b), "" literal "")
void lzs_sd_html_static_(lzs_sd_buf_t *b, const char *literal);

/* Appends "?key=value" (the first) or "&key=value" to the URL in u, both %-encoded as a
 * form does (unreserved characters kept, a space as "+"). The URL is then an attribute
 * value like any other (lzs_sd_html_open escapes its "&"). */
void lzs_sd_url_param(lzs_sd_buf_t *u, const char *key, const char *value);
/* Appends s %-encoded as one path segment (a '/' in it is encoded too). */
void lzs_sd_url_segment(lzs_sd_buf_t *u, const char *s);

#endif
