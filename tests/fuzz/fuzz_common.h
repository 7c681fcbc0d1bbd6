/* fuzz_common.h — shared by the fuzz targets (tests/fuzz/fuzz_*.c) and their replay
 * driver: the libFuzzer entry points and the checks every target applies.
 *
 * A target reports a broken invariant by printing it and calling abort(): libFuzzer
 * records the input as a crash, and the replay driver (gcc builds) fails its ctest test.
 */
#ifndef LZS_FUZZ_COMMON_H
#define LZS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__, __LINE__, #cond);           \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A NUL-terminated copy of data[0, len). Caller frees with free(); NULL when out of
 * memory. */
static inline char *fuzz_strndup(const uint8_t *data, size_t len)
{
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, data, len);
        s[len] = '\0';
    }
    return s;
}

/* 1 when s[0, len) is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing
 * above U+10FFFF). Written here rather than taken from the project so that the check does
 * not share a bug with the code it checks. */
static inline int fuzz_utf8_ok(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            min = 0x10000;
        } else {
            return 0;
        }
        if (len - i <= n) {
            return 0;
        }
        unsigned cp = c & (0x3Fu >> n);
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        i += n + 1;
    }
    return 1;
}

/* Serializes v as a client would receive it (UTF-8 kept, not escaped), then parses the
 * text back with jansson's strict settings: it must be valid UTF-8, parse without
 * duplicate keys or NUL escapes, and give back an equal value. Aborts otherwise. */
static inline void fuzz_check_json_roundtrip(const json_t *v, const char *what)
{
    FUZZ_CHECK(v != NULL, "%s: no JSON value", what);
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    FUZZ_CHECK(text != NULL, "%s: json_dumps failed", what);
    size_t len = strlen(text);
    FUZZ_CHECK(fuzz_utf8_ok(text, len), "%s: serialized JSON is not valid UTF-8", what);
    json_error_t jerr;
    json_t *back = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    FUZZ_CHECK(back != NULL, "%s: output does not parse: %s at %d: %.200s", what, jerr.text,
               jerr.position, text);
    FUZZ_CHECK(json_equal(back, (json_t *)v), "%s: output parses to a different value", what);
    json_decref(back);
    free(text);
}

#endif
