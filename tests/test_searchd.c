/* test_searchd.c — white-box tests of the parts of lzs-searchd that need no socket: the
 * parameter rules (searchd/params.c: which parameters each route takes, value checks,
 * repeats, UTF-8, NUL and %-escape handling), the rules of a request head
 * (searchd/head.c), the admission of connections (searchd/conns.c) and the check of a
 * Xapian stub given as the index (searchd/stub.c). The HTTP side is tested over real
 * sockets by tests/searchd/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "../searchd/conns.c"
#include "../searchd/head.c"
#include "../searchd/httpval.c"
#include "../searchd/params.c"
#include "../searchd/stub.c"

/* Builds args from "key=value" strings (a value may hold a NUL when given with its size). */
typedef struct {
    lzs_sd_arg_t args[16];
    size_t n;
} argv_t;

static void add(argv_t *a, const char *key, const char *value)
{
    a->args[a->n].key = key;
    a->args[a->n].key_size = strlen(key);
    a->args[a->n].value = value;
    a->args[a->n].value_size = value ? strlen(value) : 0;
    a->n++;
}

static lzs_status_t parse(lzs_sd_params_t *p, lzs_sd_route_t route, argv_t *a)
{
    return lzs_sd_params_parse(p, route, a->args, a->n);
}

static void test_defaults(void **state)
{
    (void)state;
    lzs_sd_params_t p;
    argv_t a = {0};
    assert_int_equal(parse(&p, LZS_SD_ROUTE_SEARCH, &a), LZS_OK);
    assert_int_equal(p.req.size, 10);
    assert_int_equal(p.req.offset, 0);
    assert_int_equal(p.req.sort, LZS_SORT_RELEVANCE);
    assert_int_equal(p.req.group, LZS_GROUP_PASSAGE);
    assert_int_equal(p.req.facets, LZS_FACET_ALL);
    assert_int_equal(p.format, LZS_SD_FORMAT_CSV);
    assert_int_equal(p.similar_size, LZS_SD_SIMILAR_DEFAULT);
}

static void test_values(void **state)
{
    (void)state;
    lzs_sd_params_t p;
    argv_t a = {0};
    add(&a, "q", "grooming");
    add(&a, "party", "NO");
    add(&a, "party", "SE");
    add(&a, "party", "");
    add(&a, "level", "require");
    add(&a, "size", "100");
    add(&a, "offset", "20");
    add(&a, "sort", "newest");
    add(&a, "group", "document");
    add(&a, "facets", "0");
    assert_int_equal(parse(&p, LZS_SD_ROUTE_SEARCH, &a), LZS_OK);
    assert_string_equal(p.req.q, "grooming");
    assert_int_equal(p.req.nvalues[LZS_F_PARTY], 2); /* the empty value filters nothing */
    assert_string_equal(p.req.values[LZS_F_PARTY][0], "NO");
    assert_string_equal(p.req.values[LZS_F_PARTY][1], "SE");
    assert_int_equal(p.req.nvalues[LZS_F_LEVEL], 1);
    assert_int_equal(p.req.size, 100);
    assert_int_equal(p.req.offset, 20);
    assert_int_equal(p.req.sort, LZS_SORT_NEWEST);
    assert_int_equal(p.req.group, LZS_GROUP_DOCUMENT);
    assert_int_equal(p.req.facets, 0);
}

/* Parses one key=value for route and expects a failure naming param with fragment. */
static void expect_fail(lzs_sd_route_t route, const char *key, const char *value, lzs_status_t st,
                        const char *param, const char *fragment)
{
    lzs_sd_params_t p;
    argv_t a = {0};
    add(&a, key, value);
    assert_int_equal(parse(&p, route, &a), st);
    assert_string_equal(p.param, param);
    assert_non_null(strstr(p.message, fragment));
}

static void test_rejections(void **state)
{
    (void)state;
    expect_fail(LZS_SD_ROUTE_SEARCH, "foo", "1", LZS_ERR_INVALID, "foo", "unknown parameter 'foo'");
    expect_fail(LZS_SD_ROUTE_SEARCH, "format", "csv", LZS_ERR_INVALID, "format", "unknown");
    expect_fail(LZS_SD_ROUTE_SEARCH, "size", "abc", LZS_ERR_INVALID, "size", "'abc'");
    expect_fail(LZS_SD_ROUTE_SEARCH, "size", "", LZS_ERR_INVALID, "size", "empty");
    expect_fail(LZS_SD_ROUTE_SEARCH, "size", "101", LZS_ERR_LIMIT, "size", "101");
    expect_fail(LZS_SD_ROUTE_SEARCH, "size", "99999999999", LZS_ERR_LIMIT, "size", "too long");
    expect_fail(LZS_SD_ROUTE_SEARCH, "offset", "-1", LZS_ERR_INVALID, "offset", "'-1'");
    expect_fail(LZS_SD_ROUTE_SEARCH, "offset", "10001", LZS_ERR_LIMIT, "offset", "10000");
    expect_fail(LZS_SD_ROUTE_SEARCH, "sort", "random", LZS_ERR_INVALID, "sort", "'random'");
    expect_fail(LZS_SD_ROUTE_SEARCH, "group", "x", LZS_ERR_INVALID, "group", "passage or");
    expect_fail(LZS_SD_ROUTE_SEARCH, "facets", "yes", LZS_ERR_INVALID, "facets", "0 or 1");
    expect_fail(LZS_SD_ROUTE_EXPORT, "format", "xml", LZS_ERR_INVALID, "format", "'xml'");
    expect_fail(LZS_SD_ROUTE_SIMILAR, "size", "0", LZS_ERR_INVALID, "size", "1 to 100");
    expect_fail(LZS_SD_ROUTE_SIMILAR, "q", "x", LZS_ERR_INVALID, "q", "unknown parameter");
    expect_fail(LZS_SD_ROUTE_PLAIN, "size", "1", LZS_ERR_INVALID, "size", "unknown parameter");
    expect_fail(LZS_SD_ROUTE_SEARCH, "q", "caf\xc3", LZS_ERR_UTF8, "q", "UTF-8");
    expect_fail(LZS_SD_ROUTE_SEARCH, "party", "\xff", LZS_ERR_UTF8, "party", "UTF-8");
}

static void test_compare_and_bom(void **state)
{
    (void)state;
    lzs_sd_params_t p;
    argv_t a = {0};
    /* compare: party values are the Parties, JSON unless asked, no BOM unless asked */
    add(&a, "party", "NO");
    add(&a, "party", "IS");
    add(&a, "level", "require");
    assert_int_equal(parse(&p, LZS_SD_ROUTE_COMPARE, &a), LZS_OK);
    assert_int_equal(p.req.nvalues[LZS_F_PARTY], 2);
    assert_int_equal(p.format, LZS_SD_FORMAT_JSON);
    assert_int_equal(p.bom, 0);
    add(&a, "format", "csv");
    add(&a, "bom", "1");
    assert_int_equal(parse(&p, LZS_SD_ROUTE_COMPARE, &a), LZS_OK);
    assert_int_equal(p.format, LZS_SD_FORMAT_CSV);
    assert_int_equal(p.bom, 1);
    expect_fail(LZS_SD_ROUTE_COMPARE, "size", "1", LZS_ERR_INVALID, "size", "unknown parameter");
    expect_fail(LZS_SD_ROUTE_COMPARE, "sort", "newest", LZS_ERR_INVALID, "sort", "unknown");
    /* bom=1 opens a CSV export; a JSON answer never has one, and a search takes none */
    argv_t b = {0};
    add(&b, "bom", "1");
    assert_int_equal(parse(&p, LZS_SD_ROUTE_EXPORT, &b), LZS_OK);
    assert_int_equal(p.bom, 1);
    assert_int_equal(parse(&p, LZS_SD_ROUTE_COMPARE, &b), LZS_ERR_INVALID); /* JSON */
    assert_string_equal(p.param, "bom");
    assert_non_null(strstr(p.message, "format=csv"));
    add(&b, "format", "json");
    assert_int_equal(parse(&p, LZS_SD_ROUTE_EXPORT, &b), LZS_ERR_INVALID);
    assert_string_equal(p.param, "bom");
    expect_fail(LZS_SD_ROUTE_EXPORT, "bom", "yes", LZS_ERR_INVALID, "bom", "0 or 1");
    expect_fail(LZS_SD_ROUTE_SEARCH, "bom", "1", LZS_ERR_INVALID, "bom", "unknown parameter");
    argv_t d = {0};
    assert_int_equal(parse(&p, LZS_SD_ROUTE_EXPORT, &d), LZS_OK);
    assert_int_equal(p.bom, 0);
}

static void test_accept_encoding(void **state)
{
    (void)state;
    assert_true(lzs_sd_httpval_accepts("gzip", "gzip"));
    assert_true(lzs_sd_httpval_accepts("gzip, deflate, br, zstd", "gzip"));
    assert_true(lzs_sd_httpval_accepts("deflate , GZIP ;q=0.5", "gzip"));
    assert_true(lzs_sd_httpval_accepts("*", "gzip"));
    assert_true(lzs_sd_httpval_accepts("br;q=1.0, *;q=0.1", "gzip"));
    assert_false(lzs_sd_httpval_accepts(NULL, "gzip"));
    assert_false(lzs_sd_httpval_accepts("", "gzip"));
    assert_false(lzs_sd_httpval_accepts("identity", "gzip"));
    assert_false(lzs_sd_httpval_accepts("gzip;q=0", "gzip"));
    assert_false(lzs_sd_httpval_accepts("gzip; q=0.000", "gzip"));
    assert_false(lzs_sd_httpval_accepts("*;q=0", "gzip"));
    assert_false(lzs_sd_httpval_accepts("*, gzip;q=0", "gzip")); /* named beats "*" */
    assert_false(lzs_sd_httpval_accepts("x-gzipped, gzipx", "gzip"));
}

static void test_etags(void **state)
{
    (void)state;
    const char *tag = "\"0123456789abcdef\"";
    assert_true(lzs_sd_httpval_etag_matches(tag, tag));
    assert_true(lzs_sd_httpval_etag_matches("W/\"0123456789abcdef\"", tag));
    assert_true(lzs_sd_httpval_etag_matches("\"x\", \"0123456789abcdef\"", tag));
    assert_true(lzs_sd_httpval_etag_matches(" * ", tag));
    assert_false(lzs_sd_httpval_etag_matches("\"0123456789abcdef-gz\"", tag));
    assert_false(lzs_sd_httpval_etag_matches("0123456789abcdef", tag)); /* not quoted */
    assert_false(lzs_sd_httpval_etag_matches("", tag));
}

static void test_http_dates(void **state)
{
    (void)state;
    time_t t = 0;
    char buf[40];
    assert_int_equal(lzs_sd_httpval_parse_date("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
    assert_int_equal((long long)t, 784111777LL);
    lzs_sd_httpval_format_date(t, buf, sizeof buf);
    assert_string_equal(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
    lzs_sd_httpval_format_date(0, buf, sizeof buf);
    assert_string_equal(buf, "Thu, 01 Jan 1970 00:00:00 GMT");
    /* the obsolete forms, and anything else, are not dates here */
    assert_int_equal(lzs_sd_httpval_parse_date("Sunday, 06-Nov-94 08:49:37 GMT", &t), -1);
    assert_int_equal(lzs_sd_httpval_parse_date("Sun Nov  6 08:49:37 1994", &t), -1);
    assert_int_equal(lzs_sd_httpval_parse_date("Sun, 06 Nov 1994 08:49:37 UTC", &t), -1);
    assert_int_equal(lzs_sd_httpval_parse_date("Sun, 06 Nov 1994 08:49:37 GMT x", &t), -1);
    assert_int_equal(lzs_sd_httpval_parse_date("Sun, 06 Foo 1994 08:49:37 GMT", &t), -1);
    assert_int_equal(lzs_sd_httpval_parse_date("Sun, 06 Nov 1994 25:49:37 GMT", &t), -1);
    assert_int_equal(lzs_sd_httpval_parse_date("", &t), -1);
    assert_int_equal(lzs_sd_httpval_parse_date(NULL, &t), -1);
}

static void test_repeats_and_nul(void **state)
{
    (void)state;
    lzs_sd_params_t p;
    argv_t a = {0};
    add(&a, "size", "1");
    add(&a, "size", "2");
    assert_int_equal(parse(&p, LZS_SD_ROUTE_SEARCH, &a), LZS_ERR_INVALID);
    assert_string_equal(p.param, "size");
    assert_non_null(strstr(p.message, "only once"));

    /* "a%00b" decodes to 3 bytes holding a NUL: the size tells it from "a". */
    argv_t b = {0};
    add(&b, "q", "a");
    b.args[0].value_size = 3;
    b.args[0].value = "a\0b";
    assert_int_equal(parse(&p, LZS_SD_ROUTE_SEARCH, &b), LZS_ERR_UTF8);
    assert_string_equal(p.param, "q");
}

static void test_too_many_values(void **state)
{
    (void)state;
    static lzs_sd_arg_t args[LZS_SEARCH_MAX_VALUES + 1];
    lzs_sd_params_t p;
    for (size_t i = 0; i <= LZS_SEARCH_MAX_VALUES; i++) {
        args[i] = (lzs_sd_arg_t){"lang", 4, "en", 2};
    }
    assert_int_equal(lzs_sd_params_parse(&p, LZS_SD_ROUTE_SEARCH, args, LZS_SEARCH_MAX_VALUES),
                     LZS_OK);
    assert_int_equal(p.req.nvalues[LZS_F_LANG], LZS_SEARCH_MAX_VALUES);
    assert_int_equal(lzs_sd_params_parse(&p, LZS_SD_ROUTE_SEARCH, args, LZS_SEARCH_MAX_VALUES + 1),
                     LZS_ERR_LIMIT);
    assert_string_equal(p.param, "lang");
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(lzs_sd_utf8_valid("", 0));
    assert_true(lzs_sd_utf8_valid("Norv\xc3\xa8ge", 8));
    assert_true(lzs_sd_utf8_valid("\xe2\x82\xac", 3));      /* U+20AC */
    assert_true(lzs_sd_utf8_valid("\xf0\x9f\x98\x80", 4));  /* U+1F600 */
    assert_false(lzs_sd_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    assert_false(lzs_sd_utf8_valid("\xe0\x80\xaf", 3));     /* overlong */
    assert_false(lzs_sd_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(lzs_sd_utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
    assert_false(lzs_sd_utf8_valid("\xe2\x82", 2));         /* truncated */
    assert_false(lzs_sd_utf8_valid("a\0b", 3));             /* NUL */
    assert_false(lzs_sd_utf8_valid("\x80", 1));             /* lone continuation */
}

/* ---- %-escapes of the raw query string ----------------------------------------------- */

static void expect_escape(const char *query, lzs_status_t st, const char *param)
{
    lzs_sd_params_t p;
    memset(&p, 0, sizeof p);
    assert_int_equal(lzs_sd_params_check_escapes(&p, query, strlen(query)), st);
    if (st == LZS_OK)
        return;
    assert_string_equal(p.param, param);
    assert_non_null(strstr(p.message, "%-escape"));
    assert_non_null(strstr(p.message, "%25"));
    assert_true(lzs_sd_utf8_valid(p.message, strlen(p.message)));
}

static void test_escapes(void **state)
{
    (void)state;
    expect_escape("", LZS_OK, NULL);
    expect_escape("q=child&size=1", LZS_OK, NULL);
    expect_escape("q=%63hild%20abuse&party=%4E%4f", LZS_OK, NULL);
    expect_escape("q=100%25", LZS_OK, NULL);
    expect_escape("q=%zz", LZS_ERR_INVALID, "q");
    expect_escape("q=%4", LZS_ERR_INVALID, "q");
    expect_escape("q=child%", LZS_ERR_INVALID, "q");
    expect_escape("q=%%41", LZS_ERR_INVALID, "q");
    expect_escape("q=child&party=%g0", LZS_ERR_INVALID, "party");
    expect_escape("size=1&&lang=%", LZS_ERR_INVALID, "lang");
    expect_escape("%zz=1", LZS_ERR_INVALID, "%zz"); /* the name itself: as received */
    expect_escape("%71=%zz", LZS_ERR_INVALID, "q"); /* a good name is decoded */
    expect_escape("a+b=%z", LZS_ERR_INVALID, "a b");
    expect_escape("%ff%fe=%z", LZS_ERR_INVALID, "%ff%fe"); /* decoded, not UTF-8 */
    expect_escape("%00=%z", LZS_ERR_INVALID, "%00");       /* decoded, a NUL */
    expect_escape("q\xff=%z", LZS_ERR_INVALID, "");        /* neither is UTF-8 */
    /* The escape is quoted as printable ASCII only. */
    lzs_sd_params_t p;
    assert_int_equal(lzs_sd_params_check_escapes(&p, "q=%\xc3\xa9", 5), LZS_ERR_INVALID);
    assert_non_null(strstr(p.message, "'%?"
                                      "?'")); /* split: no trigraph */
}

/* ---- request heads -------------------------------------------------------------------- */

static lzs_sd_head_verdict_t head(const char *s, size_t n, lzs_sd_head_t *h)
{
    /* An exact-size copy, so that a read past n shows under ASan. */
    char *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    memcpy(copy, s, n);
    lzs_sd_head_verdict_t v = lzs_sd_head_check(copy, n, h);
    free(copy);
    return v;
}

/* s must be a whole, good head (up to its first blank line) and body_len bytes of body:
 * OK, and every shorter prefix MORE. */
static void expect_ok(const char *s, size_t body_len)
{
    lzs_sd_head_t h;
    size_t n = strlen(s);
    size_t head_len = (size_t)(strstr(s, "\r\n\r\n") - s) + 4;
    assert_int_equal(head(s, n, &h), LZS_SD_HEAD_OK);
    assert_int_equal(h.head_len, head_len);
    assert_int_equal(h.body_len, body_len);
    for (size_t k = 1; k < n; k++) {
        if (head(s, k, &h) != LZS_SD_HEAD_MORE)
            fail_msg("prefix of %zu bytes of %s is not MORE", k, s);
    }
}

static void expect_bad(const char *s, size_t n, unsigned status, const char *code,
                       const char *fragment)
{
    lzs_sd_head_t h;
    if (head(s, n, &h) != LZS_SD_HEAD_BAD)
        fail_msg("not refused: %.80s", s);
    assert_int_equal(h.status, status);
    assert_string_equal(h.code, code);
    if (!strstr(h.message, fragment))
        fail_msg("message '%s' lacks '%s' for %.80s", h.message, fragment, s);
    for (const char *m = h.message; *m; m++)
        assert_true(*m >= 0x20 && *m < 0x7F);
}

#define BAD(s, status, code, fragment) expect_bad(s, sizeof s - 1, status, code, fragment)

static void test_head_good(void **state)
{
    (void)state;
    lzs_sd_head_t h;
    const char *get = "GET /api/search?q=child HTTP/1.1\r\nHost: x\r\n\r\n";
    expect_ok(get, 0);
    expect_ok("GET / HTTP/1.0\r\n\r\n", 0);
    expect_ok("GET /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 3);
    expect_ok("GET /a HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 0);
    expect_ok("GET /a HTTP/1.1\r\nX-A:\t b \t\r\nX-E: caf\xc3\xa9\r\nX-F:\r\n\r\n", 0);
    expect_ok("OPTIONS * HTTP/1.1\r\n\r\n", 0);
    /* Bytes after the head and body (a pipelined request) are not judged. */
    assert_int_equal(head("GET / HTTP/1.1\r\n\r\nGET /\0 HTTP/9", 32, &h), LZS_SD_HEAD_OK);
    assert_int_equal(h.head_len, 18);
    /* A body announced with Expect: 100-continue is not waited for. */
    const char *ex = "POST /x HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-Continue\r\n\r\n";
    assert_int_equal(head(ex, strlen(ex), &h), LZS_SD_HEAD_OK);
    assert_true(h.expect_continue);
    assert_int_equal(h.body_len, 5);
    assert_int_equal(head("HEAD / HTTP/1.1\r\n\r\n", 19, &h), LZS_SD_HEAD_OK);
    assert_true(h.method_head);
    assert_int_equal(head("GET / HTTP/1.1\r", 15, &h), LZS_SD_HEAD_MORE);
}

static void test_head_bad(void **state)
{
    (void)state;
    BAD("GET /\r\n\r\n", 400, "bad_request", "METHOD");
    BAD("GET  / HTTP/1.1\r\n\r\n", 400, "bad_request", "METHOD");
    BAD("GET / HTTP/1.1 \r\n\r\n", 400, "bad_request", "METHOD");
    BAD("G(T / HTTP/1.1\r\n\r\n", 400, "bad_request", "'G(T' is not a token");
    BAD("GET /a\tb HTTP/1.1\r\n\r\n", 400, "bad_request", "control byte");
    BAD("GET / http/1.1\r\n\r\n", 400, "bad_request", "'http/1.1'");
    BAD("GET / HTTP/2.0\r\n\r\n", 505, "http_version_not_supported", "HTTP/2.0");
    BAD("GET / HTTP/1.2\r\n\r\n", 505, "http_version_not_supported", "HTTP/1.1");
    BAD("\r\nGET / HTTP/1.1\r\n\r\n", 400, "bad_request", "empty line");
    BAD("GET / HTTP/1.1\r\nbogus\r\n\r\n", 400, "bad_request", "no colon: 'bogus'");
    BAD("GET / HTTP/1.1\r\nX-A : b\r\n\r\n", 400, "bad_request", "not a token");
    BAD("GET / HTTP/1.1\r\nX-A: b\r\n c: d\r\n\r\n", 400, "bad_request", "folded");
    BAD("GET / HTTP/1.1\r\nX-A: b\r\n c\r\n\r\n", 400, "bad_request", "no colon");
    BAD("GET / HTTP/1.1\r\nX-A: \x7f\r\n\r\n", 400, "bad_request", "control byte");
    BAD("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400, "bad_request",
        "two Content-Length");
    BAD("GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
        "bad_request", "Transfer-Encoding");
    BAD("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\ncontent-length: 1\r\n\r\n", 400,
        "bad_request", "Content-Length");
    BAD("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400, "bad_request", "'-1'");
    BAD("GET / HTTP/1.1\r\nContent-Length: \r\n\r\n", 400, "bad_request", "whole number");
    BAD("GET / HTTP/1.1\r\nContent-Length: 12345678901234567890123\r\n\r\n", 413, "body_too_large",
        "1024");
    BAD("GET / HTTP/1.1\r\nContent-Length: 1025\r\n\r\n", 413, "body_too_large", "1024");
    BAD("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 413, "body_too_large",
        "Transfer-Encoding");
    /* Refused as soon as the bytes show it, before the head is whole. */
    BAD("GET /a\0", 400, "bad_request", "NUL");
    BAD("\0", 400, "bad_request", "NUL");
    BAD("GET / HTTP/1.1\n", 400, "bad_request", "LF alone");
    BAD("GET / HTTP/1.1\r\nHost: x\rY", 400, "bad_request", "CR");
    BAD("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0", 400, "bad_request", "NUL");
}

static void test_head_limits(void **state)
{
    (void)state;
    lzs_sd_head_t h;
    size_t cap = LZS_SD_PEEK_MAX + 64;
    char *s = malloc(cap);
    assert_non_null(s);
    /* A target of exactly LZS_SD_MAX_URI bytes, then one more. */
    int n = snprintf(s, cap, "GET /%0*d HTTP/1.1\r\n\r\n", LZS_SD_MAX_URI - 1, 0);
    assert_int_equal(head(s, (size_t)n, &h), LZS_SD_HEAD_OK);
    n = snprintf(s, cap, "GET /%0*d HTTP/1.1\r\n\r\n", LZS_SD_MAX_URI, 0);
    assert_int_equal(head(s, (size_t)n, &h), LZS_SD_HEAD_BAD);
    assert_int_equal(h.status, 414);
    /* the refusal says where the target is: its route decides the answer's form */
    assert_int_equal(h.target_off, 4);
    assert_int_equal(h.target_len, LZS_SD_MAX_URI + 1);
    assert_true(h.target_whole);
    assert_memory_equal(s + h.target_off, "/000", 4);
    assert_false(h.method_head);
    /* refused for its target, a HEAD is still answered without a body */
    n = snprintf(s, cap, "HEAD /%0*d HTTP/1.1\r\n\r\n", LZS_SD_MAX_URI, 0);
    assert_int_equal(head(s, (size_t)n, &h), LZS_SD_HEAD_BAD);
    assert_int_equal(h.status, 414);
    assert_true(h.method_head);
    assert_int_equal(h.target_off, 5);
    /* A request line that never ends is refused once it is longer than any allowed. */
    memset(s, 'a', cap);
    memcpy(s, "GET /?q=", 8);
    assert_int_equal(head(s, LZS_SD_MAX_LINE, &h), LZS_SD_HEAD_MORE);
    assert_int_equal(head(s, LZS_SD_MAX_LINE + 1, &h), LZS_SD_HEAD_BAD);
    assert_int_equal(h.status, 414);
    /* the target as far as it came */
    assert_int_equal(h.target_off, 4);
    assert_int_equal(h.target_len, LZS_SD_MAX_LINE + 1 - 4);
    assert_false(h.target_whole);
    assert_memory_equal(s + h.target_off, "/?q=aaa", 7);
    /* Header lines of exactly LZS_SD_MAX_HEADERS bytes with their CRLFs, then one more. */
    const char *line = "GET / HTTP/1.1\r\n";
    for (int extra = 0; extra <= 1; extra++) {
        size_t len = strlen(line);
        memcpy(s, line, len);
        size_t value = LZS_SD_MAX_HEADERS - strlen("X: \r\n") + (size_t)extra;
        memcpy(s + len, "X: ", 3);
        memset(s + len + 3, 'v', value);
        memcpy(s + len + 3 + value, "\r\n\r\n", 4);
        size_t total = len + 3 + value + 4;
        lzs_sd_head_verdict_t v = head(s, total, &h);
        assert_int_equal(v, extra ? LZS_SD_HEAD_BAD : LZS_SD_HEAD_OK);
        if (extra) {
            assert_int_equal(h.status, 431);
            /* Already before the line ends. */
            assert_int_equal(head(s, total - 3, &h), LZS_SD_HEAD_BAD);
        } else {
            assert_true(total + LZS_SD_MAX_BODY <= LZS_SD_PEEK_MAX);
        }
    }
    free(s);
}

/* ---- admission of connections --------------------------------------------------------- */

static struct sockaddr_in v4(const char *a)
{
    struct sockaddr_in s;
    memset(&s, 0, sizeof s);
    s.sin_family = AF_INET;
    assert_int_equal(inet_pton(AF_INET, a, &s.sin_addr), 1);
    return s;
}

static struct sockaddr_in6 v6(const char *a)
{
    struct sockaddr_in6 s;
    memset(&s, 0, sizeof s);
    s.sin6_family = AF_INET6;
    assert_int_equal(inet_pton(AF_INET6, a, &s.sin6_addr), 1);
    return s;
}

#define ADMIT(c, sa) lzs_sd_conns_admit(c, (struct sockaddr *)&(sa), sizeof(sa))
#define RELEASE(c, sa) lzs_sd_conns_release(c, (struct sockaddr *)&(sa), sizeof(sa))

static void test_conns_policy(void **state)
{
    (void)state;
    lzs_sd_conns_t *c = NULL;
    /* 6 places, 4 per address. */
    assert_int_equal(lzs_sd_conns_create(6, 4, &c), LZS_OK);
    struct sockaddr_in a = v4("127.0.0.2"), b = v4("127.0.0.3"), d = v4("127.0.0.4");
    for (int i = 0; i < 4; i++)
        assert_int_equal(ADMIT(c, a), LZS_SD_ADMITTED);
    assert_int_equal(ADMIT(c, a), LZS_SD_OVER_ADDRESS);
    assert_int_equal(ADMIT(c, b), LZS_SD_ADMITTED);
    assert_int_equal(ADMIT(c, b), LZS_SD_ADMITTED);
    assert_int_equal(ADMIT(c, d), LZS_SD_FULL);
    assert_int_equal(ADMIT(c, a), LZS_SD_OVER_ADDRESS); /* its own cap is told first */
    assert_int_equal(lzs_sd_conns_open(c), 6);
    RELEASE(c, a);
    assert_int_equal(ADMIT(c, d), LZS_SD_ADMITTED);
    for (int i = 0; i < 3; i++)
        RELEASE(c, a);
    RELEASE(c, a); /* not held any more: no effect */
    assert_int_equal(lzs_sd_conns_open(c), 3);
    assert_int_equal(ADMIT(c, a), LZS_SD_ADMITTED);
    lzs_sd_conns_destroy(c);

    /* IPv6 counts by /64; an IPv4-mapped address as its IPv4 address. */
    assert_int_equal(lzs_sd_conns_create(8, 2, &c), LZS_OK);
    struct sockaddr_in6 x1 = v6("2001:db8:1:2::1"), x2 = v6("2001:db8:1:2:ffff::9"),
                        y = v6("2001:db8:1:3::1"), m = v6("::ffff:127.0.0.2");
    struct sockaddr_in a2 = v4("127.0.0.2");
    assert_int_equal(ADMIT(c, x1), LZS_SD_ADMITTED);
    assert_int_equal(ADMIT(c, x2), LZS_SD_ADMITTED);
    assert_int_equal(ADMIT(c, x1), LZS_SD_OVER_ADDRESS);
    assert_int_equal(ADMIT(c, y), LZS_SD_ADMITTED);
    assert_int_equal(ADMIT(c, m), LZS_SD_ADMITTED);
    assert_int_equal(ADMIT(c, a2), LZS_SD_ADMITTED);
    assert_int_equal(ADMIT(c, a2), LZS_SD_OVER_ADDRESS);
    lzs_sd_conns_destroy(c);
#define SAME(x, y)                                                                                 \
    lzs_sd_conns_same_address((struct sockaddr *)&(x), sizeof(x), (struct sockaddr *)&(y),         \
                              sizeof(y))
    assert_true(SAME(x1, x2));
    assert_false(SAME(x1, y));
    assert_true(SAME(m, a2));
    assert_false(SAME(a2, b));
    assert_true(SAME(a, a2));
    assert_int_equal(lzs_sd_conns_create(0, 1, &c), LZS_ERR_INVALID);
    /* per_address 0 (--connections-per-address 0): only the total counts */
    assert_int_equal(lzs_sd_conns_create(3, 0, &c), LZS_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(ADMIT(c, a), LZS_SD_ADMITTED);
    assert_int_equal(ADMIT(c, a), LZS_SD_FULL);
    lzs_sd_conns_destroy(c);
    lzs_sd_conns_destroy(NULL);
}

/* ---- Xapian stubs --------------------------------------------------------------------- */

static char g_tmp[64];

static char *put(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", g_tmp, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void expect_stub(const char *path, lzs_status_t st, const char *fragment)
{
    char *msg = NULL;
    assert_int_equal(lzs_sd_stub_check(path, &msg), st);
    if (fragment) {
        assert_non_null(msg);
        if (!strstr(msg, fragment))
            fail_msg("'%s' lacks '%s'", msg, fragment);
    }
    free(msg);
}

static void test_stub(void **state)
{
    (void)state;
    char path[256], want[300];
    snprintf(g_tmp, sizeof g_tmp, "/tmp/lzs-test-stub-XXXXXX");
    assert_non_null(mkdtemp(g_tmp));
    expect_stub(g_tmp, LZS_OK, NULL); /* a directory without XAPIANDB */
    snprintf(path, sizeof path, "%s/missing", g_tmp);
    expect_stub(path, LZS_OK, NULL);
    expect_stub(put("ok.stub", "# remote :/bin/false\nauto idx\nremote host:33333\n"
                               "glass /x\n\nremote [::1]:1\n"),
                LZS_OK, NULL);
    snprintf(want, sizeof want, "%s/prog.stub:2: 'remote :/bin/touch /tmp/x'", g_tmp);
    expect_stub(put("prog.stub", "auto idx\nremote :/bin/touch /tmp/x\n"), LZS_ERR_INVALID, want);
    expect_stub(put("spaced.stub", "  remote \t :prog"), LZS_ERR_INVALID, "spaced.stub:1");
    expect_stub(put("crlf.stub", "auto idx\r\nremote :prog\r\n"), LZS_ERR_INVALID,
                "crlf.stub:2: 'remote :prog?'");
    /* Through an "auto" line, relative to the stub's directory, and in a directory. */
    put("inner.stub", "\n\nremote :prog\n");
    expect_stub(put("outer.stub", "auto inner.stub\n"), LZS_ERR_INVALID, "inner.stub:3");
    snprintf(path, sizeof path, "%s/dir", g_tmp);
    assert_int_equal(mkdir(path, 0700), 0);
    put("dir/XAPIANDB", "auto ../inner.stub\n");
    expect_stub(path, LZS_ERR_INVALID, "inner.stub:3");
    /* A loop is cut; a file too large for a stub, and a FIFO, are refused. */
    expect_stub(put("loop.stub", "auto loop.stub\n"), LZS_ERR_INVALID, "deep");
    char *big = malloc(LZS_SD_STUB_MAX + 2);
    assert_non_null(big);
    memset(big, '#', LZS_SD_STUB_MAX + 1);
    big[LZS_SD_STUB_MAX + 1] = '\0';
    expect_stub(put("big.stub", big), LZS_ERR_INVALID, "too large");
    free(big);
    snprintf(path, sizeof path, "%s/fifo", g_tmp);
    assert_int_equal(mkfifo(path, 0600), 0);
    expect_stub(path, LZS_ERR_INVALID, "FIFO");
    const char *names[] = {"ok.stub",    "prog.stub", "spaced.stub", "crlf.stub", "inner.stub",
                           "outer.stub", "loop.stub", "big.stub",    "fifo",      "dir/XAPIANDB"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", g_tmp, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/dir", g_tmp);
    rmdir(path);
    rmdir(g_tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),        cmocka_unit_test(test_values),
        cmocka_unit_test(test_rejections),      cmocka_unit_test(test_compare_and_bom),
        cmocka_unit_test(test_accept_encoding), cmocka_unit_test(test_etags),
        cmocka_unit_test(test_http_dates),      cmocka_unit_test(test_repeats_and_nul),
        cmocka_unit_test(test_too_many_values), cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_escapes),         cmocka_unit_test(test_head_good),
        cmocka_unit_test(test_head_bad),        cmocka_unit_test(test_head_limits),
        cmocka_unit_test(test_conns_policy),    cmocka_unit_test(test_stub),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
