/* file.h — the one way lanzasearch reads an input file, and the one way it sets an error
 * message.
 *
 * Every input (a document, its sidecar, a data file, a page of the web directory) is read
 * through lzs_file_read(): it never blocks on a FIFO or a device (the file is opened with
 * O_NONBLOCK and anything but a regular file is refused with a message naming its type),
 * it checks the size before reading, and it says what went wrong with which file.
 */
#ifndef LZS_FILE_H
#define LZS_FILE_H

#include <stddef.h>

#include "lzs/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define LZS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define LZS_PRINTF(f, a)
#endif

/* Replaces *errmsg (when errmsg is not NULL) with a formatted message: caller frees it
 * with free(). Out of memory leaves *errmsg NULL. */
void lzs_set_errmsg(char **errmsg, const char *fmt, ...) LZS_PRINTF(2, 3);

/* Reads the whole regular file at path (relative to dirfd when dirfd is not -1, else to
 * the working directory), at most max bytes. *out is NUL-terminated (out[*len] == '\0'):
 * caller frees with free(); NULL on failure. Errors, each with "PATH: reason" in *errmsg
 * (may be NULL; caller frees): LZS_ERR_NOT_FOUND (no such file), LZS_ERR_INVALID (not a
 * regular file: "not a regular file (FIFO)", "(directory)", ...), LZS_ERR_LIMIT (larger
 * than max: "file too large (N bytes, limit M)"), LZS_ERR_IO, LZS_ERR_NOMEM. */
lzs_status_t lzs_file_read(int dirfd, const char *path, size_t max, char **out, size_t *len,
                           char **errmsg);

/* What kind of file st_mode is, in words: "regular file", "directory", "FIFO", "socket",
 * "character device", "block device", "symbolic link". Static string. */
const char *lzs_file_kind(unsigned mode);

#ifdef __cplusplus
}
#endif

#endif
