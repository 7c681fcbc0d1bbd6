/* httpval.h — reading and writing the values of HTTP headers that conditional requests
 * and content negotiation use (RFC 9110): Accept-Encoding, If-None-Match, HTTP dates.
 * Apart from the serving of files (static.h) so that the rules can be tested without a
 * server. Pure functions; any thread.
 */
#ifndef LZS_SEARCHD_HTTPVAL_H
#define LZS_SEARCHD_HTTPVAL_H

#include <stddef.h>
#include <time.h>

/* 1 when an Accept-Encoding value (NULL: the header is absent) allows coding ("gzip"): it
 * lists it, or "*", with a q-value above 0 (RFC 9110, 12.5.3). */
int lzs_sd_httpval_accepts(const char *accept_encoding, const char *coding);

/* 1 when an If-None-Match value lists etag (weak comparison: W/ is ignored) or is "*". */
int lzs_sd_httpval_etag_matches(const char *if_none_match, const char *etag);

/* An HTTP date (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT") into *t; 0 on success, -1
 * when s is not one (the obsolete RFC 850 and asctime forms are not read: the header is
 * then ignored, as for any date that is not valid). */
int lzs_sd_httpval_parse_date(const char *s, time_t *t);
/* t as an IMF-fixdate into buf (at least 30 bytes). */
void lzs_sd_httpval_format_date(time_t t, char *buf, size_t cap);

#endif
