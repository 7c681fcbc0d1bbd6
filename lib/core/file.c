/* file.c — reading an input file without ever blocking on it, and setting error messages
 * (see lzs/file.h). */
#define _GNU_SOURCE
#include "lzs/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void lzs_set_errmsg(char **errmsg, const char *fmt, ...)
{
    if (errmsg == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *m = NULL;
    if (vasprintf(&m, fmt, ap) < 0)
        m = NULL;
    va_end(ap);
    free(*errmsg);
    *errmsg = m;
}

const char *lzs_file_kind(unsigned mode)
{
    if (S_ISREG(mode))
        return "regular file";
    if (S_ISDIR(mode))
        return "directory";
    if (S_ISFIFO(mode))
        return "FIFO";
    if (S_ISSOCK(mode))
        return "socket";
    if (S_ISCHR(mode))
        return "character device";
    if (S_ISBLK(mode))
        return "block device";
    if (S_ISLNK(mode))
        return "symbolic link";
    return "special file";
}

static lzs_status_t from_errno(int e)
{
    if (e == ENOENT || e == ENOTDIR)
        return LZS_ERR_NOT_FOUND;
    if (e == ENOMEM)
        return LZS_ERR_NOMEM;
    return LZS_ERR_IO;
}

lzs_status_t lzs_file_read(int dirfd, const char *path, size_t max, char **out, size_t *len,
                           char **errmsg)
{
    *out = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever. */
    int fd = openat(dirfd == -1 ? AT_FDCWD : dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        lzs_set_errmsg(errmsg, "%s: %s", path, strerror(e));
        return from_errno(e);
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        lzs_set_errmsg(errmsg, "%s: %s", path, strerror(e));
        close(fd);
        return from_errno(e);
    }
    if (!S_ISREG(sb.st_mode)) {
        lzs_set_errmsg(errmsg, "%s: not a regular file (%s)", path, lzs_file_kind(sb.st_mode));
        close(fd);
        return LZS_ERR_INVALID;
    }
    /* Checked before reading: a huge file is never loaded into memory. */
    if ((unsigned long long)sb.st_size > max) {
        lzs_set_errmsg(errmsg, "%s: file too large (%lld bytes, limit %zu)", path,
                       (long long)sb.st_size, max);
        close(fd);
        return LZS_ERR_LIMIT;
    }
    size_t size = (size_t)sb.st_size;
    char *buf = malloc(size + 1);
    if (buf == NULL) {
        lzs_set_errmsg(errmsg, "%s: out of memory", path);
        close(fd);
        return LZS_ERR_NOMEM;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            lzs_set_errmsg(errmsg, "%s: %s", path, strerror(e));
            free(buf);
            close(fd);
            return from_errno(e);
        }
        if (r == 0)
            break; /* the file shrank while being read: what is there is the file */
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return LZS_OK;
}
