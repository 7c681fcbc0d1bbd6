/* fuzz_searchd_url.c — URL paths and query parameters of lzs-searchd, and request heads.
 *
 * The input is a request target. Each input goes three ways:
 *  1. straight into the parameter rules (lzs_sd_params_check_escapes, then
 *     lzs_sd_params_parse, searchd/params.c) after the same splitting and %-decoding the
 *     HTTP library does, for the route the path names; a success must respect every
 *     documented limit, a refusal must name the parameter in a message that can go into a
 *     JSON body;
 *  2. as a real GET request to a real lzs-searchd server (searchd/server.c, started once
 *     in this process on an ephemeral loopback port over a small index), through its
 *     real door: its own listening socket and the screening of the head (searchd/screen.c)
 *     before the HTTP library reads it; the answer must come within the timeout, never be
 *     a 5xx, carry the security headers, and when it is JSON parse strictly (no duplicate
 *     keys, valid UTF-8), errors as {"error":{code, message}};
 *  3. the raw input bytes, as the first bytes a client sends, into the rules of a request
 *     head (lzs_sd_head_check, searchd/head.c): never a read past them, a verdict that
 *     keeps its promises (a refusal with a documented status and a printable message; an
 *     accepted head ending with its blank line, of no more bytes than given, a whole one
 *     only at its last byte).
 * Bytes that cannot appear in an HTTP request line (controls, space, DEL) are %-escaped so
 * that requests reach the routing; a target not starting with '/' is taken as a query
 * (/api/search?q=...).
 */
#define _GNU_SOURCE /* nftw in fuzz_index.h, memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "head.h"
#include "lzs/extract.h"
#include "lzs/search.h"
#include "params.h"
#include "server.h"
#include "webfiles.h"

#include "fuzz_common.h"
#include "fuzz_index.h"

#define MAX_TARGET 9000 /* above LZS_SD_MAX_URI, so that 414 is reached too */

static lzs_extractor_t *g_ex;
static lzs_sd_web_t g_web;
static lzs_sd_server_t *g_srv;
static uint16_t g_port;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *index_dir = fuzz_build_index();
    char *msg = NULL;
    lzs_status_t st = lzs_extract_open(NULL, &g_ex, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "fuzz_searchd_url: %s\n", msg ? msg : lzs_status_str(st));
        exit(1);
    }
    free(msg);
    msg = NULL;
    if (lzs_sd_web_load(&g_web, LZS_SOURCE_DIR "/web", NULL, &msg) != LZS_OK) {
        /* The API works without the page; static routes then answer 404. */
        free(msg);
        msg = NULL;
    }
    lzs_sd_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.index_dir = index_dir;
    cfg.ex = g_ex;
    cfg.web = &g_web;
    cfg.threads = 2;
    struct sockaddr_in *a = (struct sockaddr_in *)&cfg.addr;
    a->sin_family = AF_INET;
    a->sin_port = 0;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    st = lzs_sd_server_start(&cfg, &g_srv, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "fuzz_searchd_url: cannot start the server: %s\n",
                msg ? msg : lzs_status_str(st));
        exit(1);
    }
    g_port = lzs_sd_server_port(g_srv);
    return 0;
}

/* ---- 1. the parameter rules ------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* %-decodes (and '+' to space) s[0, n) in place, as the HTTP library does; returns the
 * decoded length. */
static size_t unescape(char *s, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            s[j++] = ' ';
        } else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            s[j++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            s[j++] = s[i];
        }
    }
    s[j] = '\0';
    return j;
}

static lzs_sd_route_t route_of(const char *path, size_t n)
{
    if (n == 11 && memcmp(path, "/api/search", 11) == 0) {
        return LZS_SD_ROUTE_SEARCH;
    }
    if (n == 11 && memcmp(path, "/api/export", 11) == 0) {
        return LZS_SD_ROUTE_EXPORT;
    }
    if (n > 13 && memcmp(path, "/api/similar/", 13) == 0) {
        return LZS_SD_ROUTE_SIMILAR;
    }
    return LZS_SD_ROUTE_PLAIN;
}

static void check_params(const char *target, size_t len)
{
    const char *qm = memchr(target, '?', len);
    size_t plen = qm ? (size_t)(qm - target) : len;
    lzs_sd_route_t route = route_of(target, plen);
    static lzs_sd_arg_t args[LZS_SD_MAX_ARGS + 1];
    size_t nargs = 0;
    char *query = qm ? fuzz_strndup((const uint8_t *)qm + 1, len - plen - 1) : NULL;
    FUZZ_CHECK(!qm || query, "out of memory");
    if (query) {
        char *save = NULL;
        for (char *kv = strtok_r(query, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
            if (nargs == LZS_SD_MAX_ARGS + 1) {
                break;
            }
            char *eq = strchr(kv, '=');
            if (eq) {
                *eq = '\0';
            }
            args[nargs].key = kv;
            args[nargs].key_size = unescape(kv, strlen(kv));
            args[nargs].value = eq ? eq + 1 : NULL;
            args[nargs].value_size = eq ? unescape(eq + 1, strlen(eq + 1)) : 0;
            nargs++;
        }
    }
    static lzs_sd_params_t p;
    memset(&p, 0, sizeof p);
    /* A malformed %-escape is refused before the parameters are read (the server checks
     * the raw query string the same way). */
    lzs_status_t st = qm ? lzs_sd_params_check_escapes(&p, qm + 1, len - plen - 1) : LZS_OK;
    if (st == LZS_OK)
        st = lzs_sd_params_parse(&p, route, args, nargs);
    if (st == LZS_OK) {
        const lzs_search_req_t *r = &p.req;
        FUZZ_CHECK(r->size <= LZS_SEARCH_MAX_SIZE, "size %u accepted", r->size);
        FUZZ_CHECK(r->offset <= LZS_SEARCH_MAX_OFFSET, "offset %u accepted", r->offset);
        FUZZ_CHECK(!r->q ||
                       (strlen(r->q) <= LZS_SEARCH_MAX_QUERY && fuzz_utf8_ok(r->q, strlen(r->q))),
                   "query accepted: too long or not UTF-8");
        for (int f = 0; f < LZS_F_COUNT; f++) {
            FUZZ_CHECK(r->nvalues[f] <= LZS_SEARCH_MAX_VALUES, "%zu values of field %d",
                       r->nvalues[f], f);
            for (size_t i = 0; i < r->nvalues[f]; i++) {
                const char *v = r->values[f][i];
                FUZZ_CHECK(v && fuzz_utf8_ok(v, strlen(v)), "a filter value is not UTF-8");
            }
        }
    } else {
        FUZZ_CHECK(st == LZS_ERR_INVALID || st == LZS_ERR_UTF8 || st == LZS_ERR_LIMIT,
                   "params refused with %s", lzs_status_name(st));
        size_t ml = strnlen(p.message, sizeof p.message);
        size_t pl = strnlen(p.param, sizeof p.param);
        FUZZ_CHECK(ml > 0 && ml < sizeof p.message, "refusal without a message");
        FUZZ_CHECK(pl < sizeof p.param, "param not terminated");
        FUZZ_CHECK(fuzz_utf8_ok(p.message, ml), "message is not UTF-8: %s", p.message);
        FUZZ_CHECK(fuzz_utf8_ok(p.param, pl), "param is not UTF-8");
    }
    free(query);
}

/* ---- 3. the rules of a request head ---------------------------------------------------- */

static void check_head(const uint8_t *data, size_t size)
{
    lzs_sd_head_t h;
    lzs_sd_head_verdict_t v = lzs_sd_head_check((const char *)data, size, &h);
    if (v == LZS_SD_HEAD_BAD) {
        FUZZ_CHECK(h.status == 400 || h.status == 413 || h.status == 414 || h.status == 431 ||
                       h.status == 505,
                   "head refused with status %u", h.status);
        FUZZ_CHECK(h.code != NULL && h.message[0] != '\0', "refusal without code or message");
        for (const char *m = h.message; *m; m++) {
            FUZZ_CHECK(*m >= 0x20 && *m < 0x7F, "message byte %#x is not printable ASCII",
                       (unsigned char)*m);
        }
        return;
    }
    if (v == LZS_SD_HEAD_MORE) {
        FUZZ_CHECK(size < LZS_SD_PEEK_MAX, "MORE after %zu bytes, all that is peeked", size);
        return;
    }
    FUZZ_CHECK(v == LZS_SD_HEAD_OK, "verdict %d", (int)v);
    FUZZ_CHECK(h.head_len >= 4 && h.head_len <= size &&
                   memcmp(data + h.head_len - 4, "\r\n\r\n", 4) == 0,
               "accepted head of %zu bytes does not end with its blank line", h.head_len);
    FUZZ_CHECK(memchr(data, '\0', h.head_len) == NULL, "accepted head holds a NUL byte");
    FUZZ_CHECK(h.body_len <= LZS_SD_MAX_BODY, "accepted a body of %zu bytes", h.body_len);
    FUZZ_CHECK(h.expect_continue || h.head_len + h.body_len <= size,
               "accepted before its body arrived");
    /* A head is whole only with its last byte: one byte less is not yet a head. */
    size_t whole = h.expect_continue ? h.head_len : h.head_len + h.body_len;
    FUZZ_CHECK(lzs_sd_head_check((const char *)data, whole - 1, &h) == LZS_SD_HEAD_MORE,
               "a head accepted before its last byte");
}

/* ---- 2. the real server ------------------------------------------------------------ */

/* 1 when buf holds a whole response: headers and Content-Length bytes of body, or the
 * last chunk of a chunked body. Otherwise the end is the server closing. */
static int response_complete(const char *buf, size_t n)
{
    const char *end = strstr(buf, "\r\n\r\n");
    if (!end) {
        return 0;
    }
    size_t hlen = (size_t)(end - buf) + 4;
    for (const char *p = buf; p && p < end; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, "Content-Length:", 15) == 0) {
            return n >= hlen + strtoull(p + 17, NULL, 10);
        }
    }
    return n >= 5 && memcmp(buf + n - 5, "0\r\n\r\n", 5) == 0;
}

static char *fetch(const char *target, size_t *len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    FUZZ_CHECK(fd >= 0, "socket failed");
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(g_port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = connect(fd, (struct sockaddr *)&a, sizeof a);
    if (rc != 0 && errno == EINTR) {
        /* Interrupted by libFuzzer's alarm: the connection goes on; wait for it. */
        struct pollfd pfd = {fd, POLLOUT, 0};
        while (poll(&pfd, 1, 5000) < 0 && errno == EINTR) {
        }
        int err = 0;
        socklen_t elen = sizeof err;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
        rc = err ? -1 : 0;
        errno = err;
    }
    FUZZ_CHECK(rc == 0, "cannot connect to the server: %s", strerror(errno));
    size_t tl = strlen(target);
    size_t reqcap = tl + 128;
    char *req = malloc(reqcap);
    FUZZ_CHECK(req != NULL, "out of memory");
    int rl = snprintf(req, reqcap,
                      "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", target);
    for (size_t off = 0; off < (size_t)rl;) {
        ssize_t n = send(fd, req + off, (size_t)rl - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break; /* the server may answer 414 and close before reading it all */
        }
        off += (size_t)n;
    }
    free(req);
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    FUZZ_CHECK(buf != NULL, "out of memory");
    for (;;) {
        if (cap - n < 4096) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            FUZZ_CHECK(buf != NULL, "out of memory");
        }
        ssize_t got = recv(fd, buf + n, cap - n, 0);
        if (got < 0 && errno == EINTR) {
            continue; /* libFuzzer's timeout alarm */
        }
        if (got == 0) {
            break;
        }
        FUZZ_CHECK(got > 0, "no complete answer within 5 s to GET %.200s: %s", target,
                   strerror(errno));
        n += (size_t)got;
        buf[n] = '\0';
        if (response_complete(buf, n)) {
            break;
        }
    }
    /* This side closes first, with a reset: no TIME_WAIT is left behind on either side,
     * so that millions of inputs do not exhaust the loopback ports. */
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static const char *header(const char *resp, size_t hlen, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = strstr(resp, "\r\n"); p && (size_t)(p - resp) < hlen;
         p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, nl) == 0 && p[2 + nl] == ':') {
            return p + 3 + nl;
        }
    }
    return NULL;
}

static void check_server(const char *target)
{
    size_t len = 0;
    char *resp = fetch(target, &len);
    FUZZ_CHECK(len >= 12 && memcmp(resp, "HTTP/1.1 ", 9) == 0, "no HTTP answer to %.200s", target);
    int status = atoi(resp + 9);
    FUZZ_CHECK(status >= 200 && status < 500, "status %d for GET %.300s", status, target);
    const char *end = strstr(resp, "\r\n\r\n");
    FUZZ_CHECK(end != NULL, "answer without the end of its headers");
    size_t hlen = (size_t)(end - resp);
    const char *body = end + 4;
    size_t blen = len - hlen - 4;
    FUZZ_CHECK(header(resp, hlen, "X-Content-Type-Options") != NULL,
               "answer without X-Content-Type-Options");
    const char *ctype = header(resp, hlen, "Content-Type");
    FUZZ_CHECK(ctype != NULL, "answer without Content-Type");
    if (strncmp(ctype, " application/json", 17) == 0) {
        json_error_t jerr;
        FUZZ_CHECK(fuzz_utf8_ok(body, blen), "JSON body is not valid UTF-8");
        json_t *v = json_loadb(body, blen, JSON_REJECT_DUPLICATES, &jerr);
        FUZZ_CHECK(v != NULL, "JSON body does not parse (%s) for GET %.200s", jerr.text, target);
        if (status >= 400) {
            const json_t *e = json_object_get(v, "error");
            FUZZ_CHECK(json_is_string(json_object_get(e, "code")) &&
                           json_is_string(json_object_get(e, "message")),
                       "error %d without error.code and error.message", status);
        }
        json_decref(v);
    }
    free(resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_TARGET) {
        return 0;
    }
    const char *prefix = size > 0 && data[0] == '/' ? "" : "/api/search?q=";
    size_t cap = strlen(prefix) + size * 3 + 1;
    char *target = malloc(cap);
    FUZZ_CHECK(target != NULL, "out of memory");
    size_t n = (size_t)snprintf(target, cap, "%s", prefix);
    for (size_t i = 0; i < size; i++) {
        unsigned char c = data[i];
        if (c <= 0x20 || c == 0x7F) {
            n += (size_t)snprintf(target + n, cap - n, "%%%02X", c);
        } else {
            target[n++] = (char)c;
        }
    }
    target[n] = '\0';
    check_params(target, n);
    check_server(target);
    free(target);
    check_head(data, size);
    return 0;
}
