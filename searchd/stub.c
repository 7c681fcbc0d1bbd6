/* stub.c — reading a Xapian stub database before Xapian does (see stub.h). */
#include "stub.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lzs/file.h"

static lzs_status_t check_path(const char *path, unsigned depth, char **errmsg);

/* A line as it may be quoted: printable ASCII, anything else as '?', at most 120 bytes. */
static void quote(const char *s, size_t n, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; i < n && j + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        out[j++] = c >= 0x20 && c < 0x7F ? (char)c : '?';
    }
    out[j] = '\0';
}

/* 1 when the line would start a program. Xapian reads "remote" and one space before the
 * ':'; spaces and tabs anywhere around are refused too, to be safe with any version. */
static int starts_program(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (n - i < 6 || memcmp(s + i, "remote", 6) != 0)
        return 0;
    i += 6;
    size_t blanks = i;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i > blanks && i < n && s[i] == ':';
}

/* The path an "auto" line names, resolved as Xapian does: relative to the stub's
 * directory. Caller frees; NULL when out of memory. */
static char *resolve(const char *stub, const char *p, size_t n)
{
    const char *slash = strrchr(stub, '/');
    size_t dlen = p[0] != '/' && slash ? (size_t)(slash - stub) + 1 : 0;
    char *out = malloc(dlen + n + 1);
    if (!out)
        return NULL;
    memcpy(out, stub, dlen);
    memcpy(out + dlen, p, n);
    out[dlen + n] = '\0';
    return out;
}

static lzs_status_t check_file(const char *file, unsigned depth, char **errmsg)
{
    char *text = NULL;
    size_t len = 0;
    char *msg = NULL;
    lzs_status_t st = lzs_file_read(-1, file, LZS_SD_STUB_MAX, &text, &len, &msg);
    if (st == LZS_ERR_NOT_FOUND) {
        free(msg);
        return LZS_OK; /* gone meanwhile: opening it fails, nothing runs */
    }
    if (st != LZS_OK) {
        lzs_set_errmsg(errmsg, "refusing the index: %s", msg ? msg : lzs_status_str(st));
        free(msg);
        return st == LZS_ERR_LIMIT || st == LZS_ERR_INVALID ? LZS_ERR_INVALID : st;
    }
    unsigned lineno = 0;
    for (size_t i = 0; i <= len && st == LZS_OK;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *line = text + i;
        size_t n = end - i;
        lineno++;
        if (starts_program(line, n)) {
            char q[128];
            quote(line, n, q, sizeof q);
            lzs_set_errmsg(errmsg,
                           "refusing the index: %s:%u: '%s': a \"remote :\" line of a Xapian "
                           "stub starts a program",
                           file, lineno, q);
            st = LZS_ERR_INVALID;
        } else if (n > 5 && memcmp(line, "auto ", 5) == 0) {
            char *target = resolve(file, line + 5, n - 5);
            st = target ? check_path(target, depth + 1, errmsg) : LZS_ERR_NOMEM;
            free(target);
        }
        if (!nl)
            break;
        i = end + 1;
    }
    free(text);
    return st;
}

static lzs_status_t check_path(const char *path, unsigned depth, char **errmsg)
{
    struct stat sb;
    if (depth > LZS_SD_STUB_DEPTH) {
        lzs_set_errmsg(errmsg,
                       "refusing the index: %s: Xapian stubs naming stubs more than %d deep", path,
                       LZS_SD_STUB_DEPTH);
        return LZS_ERR_INVALID;
    }
    if (stat(path, &sb) != 0)
        return LZS_OK; /* missing: opening it fails, nothing runs */
    if (S_ISREG(sb.st_mode))
        return check_file(path, depth, errmsg);
    if (!S_ISDIR(sb.st_mode)) {
        lzs_set_errmsg(errmsg, "refusing the index: %s: not a directory nor a file (%s)", path,
                       lzs_file_kind(sb.st_mode));
        return LZS_ERR_INVALID;
    }
    size_t n = strlen(path);
    char *stub = malloc(n + sizeof "/XAPIANDB");
    if (!stub)
        return LZS_ERR_NOMEM;
    memcpy(stub, path, n);
    memcpy(stub + n, "/XAPIANDB", sizeof "/XAPIANDB");
    lzs_status_t st = stat(stub, &sb) == 0 ? check_file(stub, depth, errmsg) : LZS_OK;
    free(stub);
    return st;
}

lzs_status_t lzs_sd_stub_check(const char *path, char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    return check_path(path, 0, errmsg);
}
