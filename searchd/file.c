/* file.c — /api/file/{id}/{n}: a file of the corpus (see file.h). */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lzs/search.h"
#include "respond.h"
#include "routes.h"
#include "worker.h"

/* Content types of the formats, and whether a browser may show the file inline. */
static const struct {
    const char *format;
    const char *type;
    int inline_ok;
} file_types[] = {
    {"pdf", "application/pdf", 1},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 0},
    {"odt", "application/vnd.oasis.opendocument.text", 0},
    {"html", "text/html; charset=utf-8", 0},
    {"md", "text/markdown; charset=utf-8", 1},
    {"txt", "text/plain; charset=utf-8", 1},
};

/* The file number: n bytes of num, a whole number from 1 to 9999 without leading zeros,
 * into *k. Returns 0, or -1 when it is not one. */
static int parse_number(const char *num, size_t n, unsigned *k)
{
    if (n == 0 || n > 4 || num[0] == '0')
        return -1;
    *k = 0;
    for (size_t i = 0; i < n; i++) {
        if (num[i] < '0' || num[i] > '9')
            return -1;
        *k = *k * 10 + (unsigned)(num[i] - '0');
    }
    return 0;
}

/* The file at path, opened for reading if it is a regular file (its size in *size);
 * -1, logged, when it is not or cannot be opened. */
static int open_regular(const char *path, const char *id, unsigned k, uint64_t *size)
{
    /* Never blocking on whatever the path has become since the index was made. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(stderr, "lzs-searchd: file %u of %s (%s): %s\n", k, id, path,
                fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *size = (uint64_t)sb.st_size;
    return fd;
}

/* Content-Disposition for the file at path into out (cap bytes): inline or attachment,
 * with the file's name, its quotes, backslashes and control characters left out. */
static void disposition(const char *path, int inline_ok, char *out, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char safe[256];
    size_t o = 0;
    for (const char *q = base; *q && o + 1 < sizeof safe; q++) {
        if ((unsigned char)*q >= 0x20 && *q != '"' && *q != '\\' && *q != 0x7F)
            safe[o++] = *q;
    }
    safe[o] = '\0';
    snprintf(out, cap, "%s; filename=\"%s\"", inline_ok ? "inline" : "attachment", safe);
}

/* Sends the file at path, of the given format. */
static enum MHD_Result send_file(struct MHD_Connection *c, lzs_sd_request_t *rq, const char *path,
                                 const char *format, const char *id, unsigned k)
{
    const char *type = "application/octet-stream";
    int inline_ok = 0;
    for (size_t i = 0; i < sizeof file_types / sizeof file_types[0]; i++) {
        if (strcmp(format, file_types[i].format) == 0) {
            type = file_types[i].type;
            inline_ok = file_types[i].inline_ok;
        }
    }
    uint64_t size = 0;
    int fd = open_regular(path, id, k, &size);
    if (fd < 0)
        return lzs_sd_respond_error(c, rq, MHD_HTTP_NOT_FOUND, "not_found",
                                    "the file is in the index but no longer in the corpus");
    char disp[600];
    disposition(path, inline_ok, disp, sizeof disp);
    struct MHD_Response *r = MHD_create_response_from_fd(size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    lzs_sd_respond_headers(r, type);
    MHD_add_response_header(r, "Content-Disposition", disp);
    return lzs_sd_respond_queue(c, rq, MHD_HTTP_OK, r);
}

enum MHD_Result lzs_sd_route_file(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                  lzs_sd_request_t *rq)
{
    char id[512];
    unsigned k = 0;
    const char *rest = rq->rest;
    const char *slash = memchr(rest, '/', rq->rest_len);
    if (!slash || lzs_sd_route_segment(rest, (size_t)(slash - rest), id, sizeof id) != 0)
        return lzs_sd_respond_error_at(c, rq, MHD_HTTP_BAD_REQUEST, "bad_parameter", "id", -1,
                                       "the path is /api/file/{document id}/{file number}, the "
                                       "id a valid UTF-8 name (no NUL, no '/', good %-escapes)");
    if (parse_number(slash + 1, rq->rest_len - (size_t)(slash + 1 - rest), &k) != 0)
        return lzs_sd_respond_error_at(c, rq, MHD_HTTP_BAD_REQUEST, "bad_parameter", "n", -1,
                                       "the file number is a whole number from 1 (as in "
                                       "doc.files)");
    lzs_searcher_t *s = lzs_sd_worker_searcher(srv);
    if (!s)
        return lzs_sd_respond_unavailable(c, rq);
    lzs_search_error_t err;
    char *path = NULL, *format = NULL;
    lzs_status_t st = lzs_search_file(s, id, k, &path, &format, &err);
    if (st != LZS_OK)
        return lzs_sd_respond_failure(srv, c, rq, st, &err);
    enum MHD_Result res = send_file(c, rq, path, format, id, k);
    free(path);
    free(format);
    return res;
}
