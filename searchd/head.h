/* head.h — the rules a request head must keep before lzs-searchd lets the HTTP library
 * read it: a pure function over the bytes received so far (screen.c peeks at them; the
 * unit tests and the fuzz target feed it directly).
 *
 * The rules (docs/robustness.md, "Request heads"): a request line METHOD SP TARGET SP
 * HTTP/1.x, the method a token, the target of visible bytes (8192 at most: 414), HTTP/1.0
 * or HTTP/1.1 (another HTTP/d.d: 505); header lines NAME ":" VALUE, the name a token, the
 * value without control bytes but tab, 16384 bytes of headers at most (431); CRLF line
 * ends only; no NUL byte anywhere; at most one Content-Length, a whole number of at most
 * 1024 (413 beyond); Content-Length and Transfer-Encoding never together; no
 * Transfer-Encoding (413, the API takes no body).
 */
#ifndef LZS_SEARCHD_HEAD_H
#define LZS_SEARCHD_HEAD_H

#include <stddef.h>

#include "bounds.h"

typedef enum {
    LZS_SD_HEAD_MORE, /* no rule broken so far, but the head or its body is not all there */
    LZS_SD_HEAD_BAD,  /* a rule is broken: answer status, code, message */
    LZS_SD_HEAD_OK    /* a whole, good head (and its body, unless Expect: 100-continue) */
} lzs_sd_head_verdict_t;

typedef struct {
    size_t head_len;     /* OK: bytes of the head, its blank line included */
    size_t body_len;     /* OK: bytes of body announced by Content-Length */
    int expect_continue; /* OK: "Expect: 100-continue": the body was not waited for */
    int method_head;     /* the request line names HEAD: an answer carries no body */
    size_t target_off;   /* BAD 414: where the request target starts in the bytes judged, */
    size_t target_len;   /* and its bytes that came (which route it is for decides the
                            form of the refusal, screen.c); */
    int target_whole;    /* 1: all of it came, 0: the first target_len bytes only */
    unsigned status;     /* BAD: 400, 413, 414, 431 or 505 */
    const char *code;    /* BAD: the error code (docs/api.md), a static string */
    char message[200];   /* BAD: what is wrong, for the client (may quote request bytes) */
} lzs_sd_head_t;

/* Bytes of request line the rules allow at most (a target of LZS_SD_MAX_URI and the
 * rest), of head (request line and header lines), and of head and body together: what is
 * peeked at. */
#define LZS_SD_MAX_LINE (LZS_SD_MAX_URI + 64)
#define LZS_SD_HEAD_MAX (LZS_SD_MAX_LINE + 2 + LZS_SD_MAX_HEADERS + 2)
#define LZS_SD_PEEK_MAX (LZS_SD_HEAD_MAX + LZS_SD_MAX_BODY)

/* Judges the first n bytes received on a connection (not NUL-terminated; never read past
 * n). MORE while they could still become a good head. */
lzs_sd_head_verdict_t lzs_sd_head_check(const char *buf, size_t n, lzs_sd_head_t *out);

#endif
