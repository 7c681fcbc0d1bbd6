/* stub.h — refusing an index given as a Xapian stub database that would start a program.
 *
 * Xapian opens a path that is a stub file, or a directory holding a stub file named
 * XAPIANDB, by reading its lines: "auto PATH", "glass PATH", "remote HOST:PORT", and
 * "remote :PROGRAM ARGS", which starts PROGRAM and talks to it. lzs-searchd may be given a
 * stub (for replicas, for several indexes), but never one that starts a program: it reads
 * the stub itself first, following "auto" lines to the stubs they name.
 */
#ifndef LZS_SEARCHD_STUB_H
#define LZS_SEARCHD_STUB_H

#include "lzs/status.h"

/* Bytes a stub file may have: a longer file given as the index is refused too (a stub
 * cannot be told from a database file without reading it whole). */
#define LZS_SD_STUB_MAX (1u << 20)
/* Stubs naming stubs, at most this deep (a loop would never end). */
#define LZS_SD_STUB_DEPTH 8

/* LZS_OK when opening path cannot start a program: a directory without XAPIANDB, a
 * missing path (opening it fails later), a stub none of whose lines, nor of the stubs it
 * names, is a "remote :" line. Otherwise LZS_ERR_INVALID with *errmsg (may be NULL;
 * caller frees with free()) naming the file, the line number and the line. */
lzs_status_t lzs_sd_stub_check(const char *path, char **errmsg);

#endif
