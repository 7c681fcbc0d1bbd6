/* paths.h — default locations shared by lzs-index, lzs-searchd and the tests.
 *
 *   corpus   $LZS_CORPUS_DIR, else SHARE/corpus (the shipped documents)
 *   data     $LZS_DATA_DIR, else SHARE/data (gazetteer, levels, synonyms): the extractor
 *            reads it (lzs_extract_open() with no directory; lib/core/paths_internal.h)
 *   web      SHARE/web (the search page; lzs-searchd --web)
 *   index    $LZS_INDEX_DIR, else $XDG_DATA_HOME/lanzasearch/index, else
 *            $HOME/.local/share/lanzasearch/index
 *
 * SHARE is share/lanzasearch beside the directory of the running program, which is read
 * from /proc/self/exe (symbolic links resolved): /usr/bin/lzs-index reads
 * /usr/share/lanzasearch, PREFIX/bin/lzs-searchd reads PREFIX/share/lanzasearch. No path
 * is compiled in, so an installed program never reads the tree it was built from and a
 * relocated prefix still works.
 *
 * The build tree has the same layout: CMake makes BUILD/share/lanzasearch/corpus, data and
 * web symbolic links to corpus/, corpus/data/ and web/ of the source tree, and every
 * program it builds sits one directory below BUILD (BUILD/indexer/lzs-index,
 * BUILD/tests/test_extract), so a program run from its build directory reads the source
 * tree by the same rule.
 */
#ifndef LZS_PATHS_H
#define LZS_PATHS_H

#include <stddef.h>

#include "lzs/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Each writes a NUL-terminated path into buf (cap bytes); LZS_ERR_LIMIT when it does not
 * fit, LZS_ERR_NOT_FOUND when no variable gives a home for the index, or when the
 * program's own path cannot be read (/proc not mounted) for a default under SHARE. The
 * directory named need not exist: opening it says so. */
lzs_status_t lzs_default_corpus_dir(char *buf, size_t cap);
lzs_status_t lzs_default_web_dir(char *buf, size_t cap);
lzs_status_t lzs_default_index_dir(char *buf, size_t cap);

/* The rule for SHARE in words, for the "Files:" part of the programs' --help texts (and so
 * of their man pages, made from --help). */
#define LZS_SHARE_HELP                                                                             \
    "  SHARE          share/lanzasearch beside the directory holding the program, found\n"         \
    "                 from /proc/self/exe: /usr/share/lanzasearch for a program in\n"              \
    "                 /usr/bin; a program run from its build directory reads the source\n"         \
    "                 tree (BUILD/share/lanzasearch links to it)\n"

/* Creates dir and its missing parents (mode 0755). */
lzs_status_t lzs_mkdirs(const char *dir);

#ifdef __cplusplus
}
#endif

#endif
