/* paths.h — default locations shared by lzs-index, lzs-searchd and the tests.
 *
 *   corpus   $LZS_CORPUS_DIR, else the shipped <source>/corpus
 *   data     $LZS_DATA_DIR, else <source>/corpus/data (gazetteer, levels, synonyms)
 *   index    $LZS_INDEX_DIR, else $XDG_DATA_HOME/lanzasearch/index, else
 *            $HOME/.local/share/lanzasearch/index
 */
#ifndef LZS_PATHS_H
#define LZS_PATHS_H

#include <stddef.h>

#include "lzs/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Each writes a NUL-terminated path into buf (cap bytes); LZS_ERR_LIMIT when it does not
 * fit, LZS_ERR_NOT_FOUND when no variable gives a home for the index. */
lzs_status_t lzs_default_corpus_dir(char *buf, size_t cap);
lzs_status_t lzs_default_data_dir(char *buf, size_t cap);
lzs_status_t lzs_default_index_dir(char *buf, size_t cap);

/* Creates dir and its missing parents (mode 0755). */
lzs_status_t lzs_mkdirs(const char *dir);

#ifdef __cplusplus
}
#endif

#endif
