/* text_utf8.c — UTF-8 by hand: decoding one character (invalid sequences and NUL as U+FFFD,
 * one maximal subpart at a time), checking and sanitizing whole texts, and finding character
 * boundaries. The tokenizer decodes with the same function so that offsets stay in bytes.
 */
#include "text_internal.h"

#include <stdlib.h>
#include <string.h>

/* Decodes the character at s (n >= 1 bytes available). Returns the bytes consumed: a whole
 * valid character, or the maximal invalid subpart (at least 1 byte) with *bad set and *cp
 * U+FFFD. NUL counts as invalid: it is never kept. */

size_t lzs_text_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, int *bad)
{
    unsigned c = s[0];
    unsigned lo = 0x80, hi = 0xBF;
    size_t need;
    uint32_t v;

    *bad = 0;
    if (c < 0x80) {
        *cp = c;
        if (c == 0) {
            *cp = LZS_TEXT_REPLACEMENT;
            *bad = 1;
        }
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        *cp = LZS_TEXT_REPLACEMENT;
        *bad = 1;
        return 1;
    }
    for (size_t i = 1; i <= need; i++) {
        unsigned b;
        if (i >= n) {
            *cp = LZS_TEXT_REPLACEMENT;
            *bad = 1;
            return i;
        }
        b = s[i];
        if (b < lo || b > hi) {
            *cp = LZS_TEXT_REPLACEMENT;
            *bad = 1;
            return i;
        }
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return need + 1;
}

int lzs_text_is_valid_utf8(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;

    if (!text)
        return len == 0;
    while (i < len) {
        uint32_t cp;
        int bad;
        if (s[i] >= 0x01 && s[i] < 0x80) {
            i++;
            continue;
        }
        i += lzs_text_utf8_decode(s + i, len - i, &cp, &bad);
        if (bad)
            return 0;
    }
    return 1;
}

lzs_status_t lzs_text_sanitize_utf8(const char *text, size_t len, char **out, size_t *outlen,
                                    size_t *nbad)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t need = 0, bads = 0, o = 0;
    char *buf;

    if (out)
        *out = NULL;
    if (outlen)
        *outlen = 0;
    if (nbad)
        *nbad = 0;
    if (!out || (!text && len > 0))
        return LZS_ERR_INVALID;
    /* First pass: exact size, so that a mostly valid text is not given 3 bytes per byte. */
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int bad;
        size_t k = lzs_text_utf8_decode(s + i, len - i, &cp, &bad);
        need += bad ? 3 : k;
        bads += bad ? 1 : 0;
        i += k;
    }
    buf = malloc(need + 1);
    if (!buf)
        return LZS_ERR_NOMEM;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int bad;
        size_t k = lzs_text_utf8_decode(s + i, len - i, &cp, &bad);
        if (bad) {
            memcpy(buf + o, "\xEF\xBF\xBD", 3);
            o += 3;
        } else {
            memcpy(buf + o, s + i, k);
            o += k;
        }
        i += k;
    }
    buf[o] = '\0';
    *out = buf;
    if (outlen)
        *outlen = o;
    if (nbad)
        *nbad = bads;
    return LZS_OK;
}

size_t lzs_text_utf8_boundary(const char *text, size_t len, size_t off)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t start = off;
    uint32_t cp;
    int bad;

    if (!text || off >= len)
        return len;
    /* Back to the lead byte of the character holding off (at most 3 continuation bytes). */
    while (start > 0 && off - start < 3 && (s[start] & 0xC0) == 0x80)
        start--;
    {
        size_t k = lzs_text_utf8_decode(s + start, len - start, &cp, &bad);
        if (start + k > off)
            return start + k;
    }
    /* off is a stray continuation byte, a character of its own once substituted. */
    return off + 1;
}

size_t lzs_text_utf8_floor(const char *text, size_t len, size_t off)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t start;
    uint32_t cp;
    int bad;

    if (!text || off >= len)
        return len;
    start = off;
    while (start > 0 && off - start < 3 && (s[start] & 0xC0) == 0x80)
        start--;
    if (start + lzs_text_utf8_decode(s + start, len - start, &cp, &bad) > off && start < off)
        return start; /* off is inside the character that starts at start */
    return off;
}

/* Largest cut <= max of valid UTF-8 s (len bytes) that does not split a character. */
size_t lzs_text_utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}
