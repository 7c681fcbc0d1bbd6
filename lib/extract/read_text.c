/* read_text.c — the reader of plain text files (.txt): the checks that a file is text,
 * then the line reader of read_markdown.c with the inline markup the Committee's texts
 * use. */
#include <stdint.h>
#include <string.h>

#include <unicode/utf8.h>

#include "stage.h"

/* Offset of the first invalid UTF-8 sequence, or len when all is valid. */
static size_t utf8_invalid_at(const char *buf, size_t len)
{
    const uint8_t *p = (const uint8_t *)buf;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int32_t j = 0;
        int32_t chunk = len - i > 8 ? 8 : (int32_t)(len - i);
        UChar32 c;
        U8_NEXT(p + i, j, chunk, c);
        if (c < 0)
            return i;
        i += (size_t)j;
    }
    return len;
}

lzs_status_t lzs_text_check(const char *name, const char *buf, size_t len, char **errmsg)
{
    size_t ctl = 0, sample = len < 65536 ? len : 65536;
    if (memchr(buf, '\0', len) != NULL) {
        lzs_set_errmsg(errmsg, "%s: binary file (contains NUL bytes)", name);
        return LZS_ERR_PARSE;
    }
    for (size_t i = 0; i < sample; i++) {
        unsigned char c = (unsigned char)buf[i];
        if ((c < 0x20 && !lzs_space_byte((char)c) && c != 0x1B) || c == 0x7F)
            ctl++;
    }
    if (ctl * 50 > sample) {
        lzs_set_errmsg(errmsg, "%s: binary file (%zu control bytes in the first %zu)", name,
                            ctl, sample);
        return LZS_ERR_PARSE;
    }
    size_t bad = utf8_invalid_at(buf, len);
    if (bad < len) {
        lzs_set_errmsg(errmsg, "%s: invalid UTF-8 at byte %zu", name, bad);
        return LZS_ERR_UTF8;
    }
    size_t i = 0;
    while (i < len) {
        if (lzs_space_byte(buf[i])) {
            i++;
        } else if (i + 1 < len && (unsigned char)buf[i] == 0xC2 &&
                   (unsigned char)buf[i + 1] == 0xA0) {
            i += 2;
        } else if (i + 2 < len && (unsigned char)buf[i] == 0xEF &&
                   (unsigned char)buf[i + 1] == 0xBB && (unsigned char)buf[i + 2] == 0xBF) {
            i += 3;
        } else {
            break;
        }
    }
    if (i == len) {
        lzs_set_errmsg(errmsg, "%s: empty file", name);
        return LZS_ERR_PARSE;
    }
    return LZS_OK;
}


lzs_status_t lzs_read_text(const lzs_extractor_t *ex, const char *name, const char *buf,
                           size_t len, lzs_blocks_t *out, char **errmsg)
{
    return lzs_read_lines(ex, name, buf, len, LZS_LINES_TEXT, out, errmsg);
}
