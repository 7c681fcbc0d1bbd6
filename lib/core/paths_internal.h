/* paths_internal.h — the default locations that only the library resolves (lzs/paths.h has
 * the rules): the data directory, which lzs_extract_open() finds by itself when given none,
 * and SHARE, which the other defaults are made from. test_paths checks both. */
#ifndef LZS_PATHS_INTERNAL_H
#define LZS_PATHS_INTERNAL_H

#include <stddef.h>

#include "lzs/paths.h"

/* $LZS_DATA_DIR, else SHARE/data, into buf (cap bytes), as the functions of lzs/paths.h
 * write theirs. */
lzs_status_t lzs_default_data_dir(char *buf, size_t cap);

/* SHARE itself: e.g. "/usr/share/lanzasearch", into buf (cap bytes). LZS_ERR_LIMIT when it
 * does not fit, LZS_ERR_NOT_FOUND when the program's own path cannot be read. */
lzs_status_t lzs_share_dir(char *buf, size_t cap);

#endif
