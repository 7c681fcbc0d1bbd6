/* worker.h — the searcher of each pool thread of lzs-searchd.
 *
 * Xapian handles are not thread-safe, so each pool thread of the HTTP library opens an
 * lzs_searcher_t of its own when it first needs one, keeps it in thread-specific data
 * (srv->key) and closes it when the thread ends. Before every request that reads the
 * index it is moved to the latest revision, so a commit by the indexer is seen without
 * a restart; when the index's stub (index/XAPIANDB, or the file named by --index, of the
 * first index) has been replaced since it was opened, as xapian-replicate does after a
 * full copy into a new directory, it is opened again instead. While the index cannot be opened, each request tries again; why it cannot is
 * logged once until it works again. A call of the search library that finds the index
 * changed under it tries again itself (search.h): the daemon never retries a call.
 */
#ifndef LZS_SEARCHD_WORKER_H
#define LZS_SEARCHD_WORKER_H

#include <pthread.h>

#include "lzs/search.h"
#include "lzs/status.h"
#include "server_internal.h"

/* Makes the key under which each pool thread keeps its searcher; the searcher is closed
 * when its thread ends. LZS_ERR_NOMEM when no key is left. Caller deletes it with
 * pthread_key_delete() once every pool thread has ended. */
lzs_status_t lzs_sd_worker_key_create(pthread_key_t *key);

/* Opens a searcher of srv's index with its configuration's postings limit, counting over
 * srv's pool of facet columns, once the index is known not to be a Xapian stub that would
 * start a program (stub.h; it may have become one since the daemon started). Caller closes
 * *out with lzs_searcher_close(), before srv is freed; NULL on failure, and *msg (on entry
 * NULL) then says why: caller frees with free(). Any thread. */
lzs_status_t lzs_sd_searcher_open(const lzs_sd_server_t *srv, lzs_searcher_t **out, char **msg);

/* The calling pool thread's searcher at the latest revision, opened if need be, with the
 * index gauges of /metrics updated (and a reopen counted when the revision moved).
 * Borrowed: valid until lzs_sd_worker_reset() or the next call on this thread. NULL when
 * the index cannot be opened (logged): answer lzs_sd_respond_unavailable(). */
lzs_searcher_t *lzs_sd_worker_searcher(lzs_sd_server_t *srv);

/* Closes the calling pool thread's searcher, so that its next request opens the index
 * afresh (after an error that says the index went away or is damaged). */
void lzs_sd_worker_reset(lzs_sd_server_t *srv);

#endif
