/* xdb.h — a plain C API over libxapian (the "shim").
 *
 * Xapian has no C binding; this is a thin, general one. Every function catches
 * Xapian::Error, std::bad_alloc and any other exception and turns them into an
 * lzs_status_t; no exception ever crosses into C. Where a call is made on a handle,
 * the detailed message is kept on that handle (lzs_xdb_errmsg(), lzs_xenq_errmsg()),
 * valid until the next call on the same handle.
 *
 * Handles are opaque and come in pairs: lzs_x*_create/open(..., OUT) and
 * lzs_x*_destroy/close(); destroying NULL is a no-op. On failure OUT pointers are NULL.
 * No handle is thread-safe: use one per thread (Xapian objects are not thread-safe).
 *
 * Strings are UTF-8 and NUL-terminated unless a length is given. Xapian terms are
 * limited to 245 bytes; longer terms are rejected with LZS_ERR_LIMIT.
 *
 * Not a public header: it lives beside the shim (lib/xapian/include), and only the targets
 * that link lzs_xapian see it (lib/CMakeLists.txt), so nothing else includes it by accident.
 */
#ifndef LZS_XDB_H
#define LZS_XDB_H

#include <stddef.h>
#include <stdint.h>

#include "lzs/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lzs_xdb lzs_xdb_t;   /* a database: read-only (one or several dirs) or writable */
typedef struct lzs_xdoc lzs_xdoc_t; /* a document being built or read back */
typedef struct lzs_xquery lzs_xquery_t; /* an immutable query tree */
typedef struct lzs_xenq lzs_xenq_t;     /* an enquire session on a database */
typedef struct lzs_xmset lzs_xmset_t;   /* one page of results */
typedef struct lzs_xstem lzs_xstem_t;   /* a Snowball stemmer */

typedef uint32_t lzs_docid_t;
typedef unsigned lzs_slot_t;

/* Longest term Xapian accepts, in bytes. */
#define LZS_XDB_MAX_TERM 245

/* ---- databases ---------------------------------------------------------- */

typedef enum {
    LZS_XDB_OPEN,           /* open an existing database; LZS_ERR_NOT_FOUND if none */
    LZS_XDB_CREATE,         /* create a new one; LZS_ERR_INVALID if one exists */
    LZS_XDB_CREATE_OR_OPEN, /* open, creating it if missing */
    LZS_XDB_OVERWRITE       /* create, replacing any existing one */
} lzs_xdb_mode_t;

/* Opens npaths (>= 1) index directories read-only, searched as one database.
 * *errmsg (may be NULL) receives a message on failure: caller frees with free().
 * Each path is a database directory, a directory holding a Xapian stub file named XAPIANDB
 * (a replica's), or a Xapian stub file; stubs are followed by the shim itself, line by line
 * ("auto", "glass", "chert" PATH relative to the stub; "remote HOST:PORT", a xapian-tcpsrv
 * opened with a 10 s timeout), so that each database they name is a sub-database of its
 * own (lzs_xdb_subcount). A "remote :PROGRAM" line is refused (LZS_ERR_INVALID): it would
 * start a program. paths is borrowed for the call. */
lzs_status_t lzs_xdb_open_readonly(const char *const *paths, size_t npaths, lzs_xdb_t **out,
                                   char **errmsg);
/* The same, naming the sub-databases (their collection names, lzs_xdb_sub_name): paths[i]
 * is called names[i] when it is one database, and each of the databases it names "NAME/"
 * followed by its own path's last component (or HOST:PORT) when it is a stub naming
 * several. names (may be NULL, as may any names[i]): a path without a name is called by
 * its last component ("/srv/greta/" -> "greta"), and the databases a stub of several names
 * each by theirs. names is borrowed for the call. */
lzs_status_t lzs_xdb_open_named(const char *const *paths, const char *const *names, size_t npaths,
                                lzs_xdb_t **out, char **errmsg);

/* Opens one index directory for writing. Returns LZS_ERR_LOCKED (message names the lock)
 * when another writer holds it. *errmsg as above. */
lzs_status_t lzs_xdb_open_writable(const char *path, lzs_xdb_mode_t mode, lzs_xdb_t **out,
                                   char **errmsg);

/* Closes the database; a writable one is committed first unless inside a transaction,
 * which is cancelled. NULL is a no-op. */
void lzs_xdb_close(lzs_xdb_t *db);

/* Message of the last failed call on db. Borrowed: valid until the next call on db. */
const char *lzs_xdb_errmsg(const lzs_xdb_t *db);

lzs_status_t lzs_xdb_doccount(lzs_xdb_t *db, uint32_t *out);
lzs_status_t lzs_xdb_lastdocid(lzs_xdb_t *db, lzs_docid_t *out);
/* Revision of the (first) database: increases with each commit. For a handle over several
 * databases this is the revision of the first sub-database only (lzs_xdb_sub_revision
 * reads each); LZS_ERR_UNSUPPORTED when it is remote (Xapian 1.4 reports none). */
lzs_status_t lzs_xdb_revision(lzs_xdb_t *db, uint64_t *out);

/* Sub-databases of a handle, in the order Xapian numbers them: a writable handle has one;
 * a read-only one, one per database its paths lead to (lzs_xdb_open_readonly). */
size_t lzs_xdb_subcount(const lzs_xdb_t *db);
/* Sub-database i's collection name and where it is (its path, or HOST:PORT of a remote
 * one); NULL when there is no such sub-database. Borrowed: valid until lzs_xdb_close(). */
const char *lzs_xdb_sub_name(const lzs_xdb_t *db, size_t i);
const char *lzs_xdb_sub_where(const lzs_xdb_t *db, size_t i);
/* 1 when sub-database i is a remote one (xapian-tcpsrv). */
int lzs_xdb_sub_is_remote(const lzs_xdb_t *db, size_t i);
/* The sub-database holding document docid (numbered in the whole, as lzs_xmset_get and
 * lzs_xenq_match_docids give it). */
size_t lzs_xdb_sub_of(const lzs_xdb_t *db, lzs_docid_t docid);
/* Revision of sub-database i; LZS_ERR_UNSUPPORTED for a remote one. */
lzs_status_t lzs_xdb_sub_revision(lzs_xdb_t *db, size_t i, uint64_t *out);
/* The UUID of sub-database i (Xapian's get_uuid: made when the database was created, a new
 * one when it is created again), which with its revision names one state of it. *out:
 * caller frees with free(). LZS_ERR_UNSUPPORTED for a remote one or one that reports none. */
lzs_status_t lzs_xdb_sub_uuid(lzs_xdb_t *db, size_t i, char **out);
/* A handle over sub-database i alone (its metadata, terms, revision: Xapian's calls on a
 * handle of several read the first only or all together). It shares db's open files: use
 * it in db's thread and close it before db. Caller frees with lzs_xdb_close(). */
lzs_status_t lzs_xdb_sub_open(lzs_xdb_t *db, size_t i, lzs_xdb_t **out);
/* A second read-only handle on the same databases as db (the directories db's paths led to
 * when it was opened), with Xapian objects of its own: another thread may use it while db's
 * thread uses db. It opens at the databases' latest revision, which may be newer than db's.
 * LZS_ERR_UNSUPPORTED for a writable handle or one with a remote sub-database. Caller frees
 * with lzs_xdb_close(). */
lzs_status_t lzs_xdb_twin(lzs_xdb_t *db, lzs_xdb_t **out);
/* Names the prefix of db's phrase terms: a term prefix + "w1 w2 ..." is on a document only
 * where its words w1, w2, ... stand at consecutive positions there, as unprefixed terms.
 * Boolean matches (lzs_xenq_match_docids, the matches of lzs_xenq_page_and_matches and of
 * lzs_xenq_get_mset_docids over several databases) then read such a term alone where a
 * query ANDs it with a phrase of those words, or with some of the words: the same
 * documents, without reading positions. NULL or "" for none (the default). A twin made
 * afterwards has it too. */
lzs_status_t lzs_xdb_set_phrase_prefix(lzs_xdb_t *db, const char *prefix);
/* Brings a read-only handle to the latest committed revision. *changed (may be NULL)
 * tells whether it moved. */
lzs_status_t lzs_xdb_reopen(lzs_xdb_t *db, int *changed);

lzs_status_t lzs_xdb_commit(lzs_xdb_t *db);
/* Transactions: flushed = 1 makes commit_transaction also commit to disk. */
lzs_status_t lzs_xdb_begin_transaction(lzs_xdb_t *db, int flushed);
lzs_status_t lzs_xdb_commit_transaction(lzs_xdb_t *db);
lzs_status_t lzs_xdb_cancel_transaction(lzs_xdb_t *db);

/* Metadata. get: *value is NUL-terminated as well as *len long; LZS_ERR_NOT_FOUND when the
 * key is absent; caller frees *value with free(). set with len 0 deletes the key. */
lzs_status_t lzs_xdb_metadata_get(lzs_xdb_t *db, const char *key, char **value, size_t *len);
lzs_status_t lzs_xdb_metadata_set(lzs_xdb_t *db, const char *key, const char *value, size_t len);

/* Iteration callbacks: return 0 to go on, non-zero to stop (the call then returns LZS_OK).
 * Strings passed to callbacks are borrowed: valid during the callback only. */
typedef int (*lzs_xdb_key_cb)(void *ud, const char *key, size_t keylen);
typedef int (*lzs_xdb_term_cb)(void *ud, const char *term, size_t termlen, uint32_t freq);

/* Every metadata key starting with prefix ("" for all). */
lzs_status_t lzs_xdb_metadata_keys(lzs_xdb_t *db, const char *prefix, lzs_xdb_key_cb cb, void *ud);
/* Every term starting with prefix, with its document frequency. */
lzs_status_t lzs_xdb_allterms(lzs_xdb_t *db, const char *prefix, lzs_xdb_term_cb cb, void *ud);
/* Number of documents indexed by term (0 when absent). */
lzs_status_t lzs_xdb_termfreq(lzs_xdb_t *db, const char *term, uint32_t *out);
/* Docids of the documents indexed by term, in increasing order. */
typedef int (*lzs_xdb_docid_cb)(void *ud, lzs_docid_t docid);
lzs_status_t lzs_xdb_postlist(lzs_xdb_t *db, const char *term, lzs_xdb_docid_cb cb, void *ud);
/* The values in slot of at most `samples` documents indexed by term, spread evenly over its
 * posting list (all of them when it is that short): cb gets each value (freq is 1; a
 * document without a value in slot is skipped). Costs about `samples` skips, however long
 * the list. */
lzs_status_t lzs_xdb_sample_values(lzs_xdb_t *db, const char *term, lzs_slot_t slot,
                                   uint32_t samples, lzs_xdb_term_cb cb, void *ud);
/* Every document's value in slot, in increasing docid order: cb gets the docid and the
 * value (binary, borrowed: valid during the callback only); documents without a value in
 * slot are skipped. Reads the slot's value stream, so a whole slot costs one pass over its
 * chunks, not a look-up per document. */
typedef int (*lzs_xdb_value_cb)(void *ud, lzs_docid_t docid, const char *value, size_t len);
lzs_status_t lzs_xdb_values(lzs_xdb_t *db, lzs_slot_t slot, lzs_xdb_value_cb cb, void *ud);

/* ---- documents ---------------------------------------------------------- */

lzs_status_t lzs_xdoc_create(lzs_xdoc_t **out);
void lzs_xdoc_destroy(lzs_xdoc_t *doc);
/* Adds term with a within-document frequency increment. */
lzs_status_t lzs_xdoc_add_term(lzs_xdoc_t *doc, const char *term, uint32_t wdfinc);
/* Adds term at a position (for phrase and near queries). */
lzs_status_t lzs_xdoc_add_posting(lzs_xdoc_t *doc, const char *term, uint32_t pos, uint32_t wdfinc);
/* Adds a term that does not affect weighting (wdf 0): filters and facets. */
lzs_status_t lzs_xdoc_add_boolean_term(lzs_xdoc_t *doc, const char *term);
/* Sets the value of a slot (copied, binary-safe). */
lzs_status_t lzs_xdoc_set_value(lzs_xdoc_t *doc, lzs_slot_t slot, const char *value, size_t len);
/* Sets the document data (copied, binary-safe). */
lzs_status_t lzs_xdoc_set_data(lzs_xdoc_t *doc, const char *data, size_t len);
/* Reads back data or a value: *out is NUL-terminated too; caller frees with free(). */
lzs_status_t lzs_xdoc_get_data(const lzs_xdoc_t *doc, char **out, size_t *len);
lzs_status_t lzs_xdoc_get_value(const lzs_xdoc_t *doc, lzs_slot_t slot, char **out, size_t *len);
/* Terms of a document read back from a database (or being built), in sorted order; the
 * callback's freq is the term's wdf in the document. */
lzs_status_t lzs_xdoc_terms(const lzs_xdoc_t *doc, lzs_xdb_term_cb cb, void *ud);

/* Adds doc (copied into the database); *docid may be NULL. */
lzs_status_t lzs_xdb_add_document(lzs_xdb_t *db, const lzs_xdoc_t *doc, lzs_docid_t *docid);
/* Deletes every document indexed by term. */
lzs_status_t lzs_xdb_delete_documents(lzs_xdb_t *db, const char *term);
lzs_status_t lzs_xdb_delete_document(lzs_xdb_t *db, lzs_docid_t docid);
/* Reads one document: caller frees with lzs_xdoc_destroy(). LZS_ERR_NOT_FOUND if absent. */
lzs_status_t lzs_xdb_get_document(lzs_xdb_t *db, lzs_docid_t docid, lzs_xdoc_t **out);

/* ---- spelling and synonyms ---------------------------------------------- */

lzs_status_t lzs_xdb_add_spelling(lzs_xdb_t *db, const char *word, uint32_t freqinc);
/* Lowers the frequency of word in the spelling table by freqdec; the word leaves the table
 * when its frequency reaches 0 (freqdec larger than the frequency removes it). A word that
 * is not in the table is not an error. */
lzs_status_t lzs_xdb_remove_spelling(lzs_xdb_t *db, const char *word, uint32_t freqdec);
/* Every word of the spelling table, in sorted order, with its frequency (a writable handle
 * sees its pending changes too). */
lzs_status_t lzs_xdb_spellings(lzs_xdb_t *db, lzs_xdb_term_cb cb, void *ud);
/* Best correction of word within max_edits (0 means Xapian's default, 2); *out is NULL when
 * there is none. Caller frees *out with free(). */
lzs_status_t lzs_xdb_spelling_suggestion(lzs_xdb_t *db, const char *word, unsigned max_edits,
                                         char **out);
lzs_status_t lzs_xdb_add_synonym(lzs_xdb_t *db, const char *term, const char *synonym);
lzs_status_t lzs_xdb_clear_synonyms(lzs_xdb_t *db, const char *term);
/* Synonyms of term (freq is 0). */
lzs_status_t lzs_xdb_synonyms(lzs_xdb_t *db, const char *term, lzs_xdb_term_cb cb, void *ud);
/* Terms that have synonyms, starting with prefix. */
lzs_status_t lzs_xdb_synonym_keys(lzs_xdb_t *db, const char *prefix, lzs_xdb_term_cb cb, void *ud);

/* ---- stemmers ----------------------------------------------------------- */

/* Snowball stemmer by language name or ISO 639-1 code ("english", "en", "fr", ...), or
 * "none" for a stemmer that leaves words as they are. Caller frees *out with
 * lzs_xstem_destroy(). LZS_ERR_NOT_FOUND for a language Xapian has no stemmer for;
 * LZS_ERR_INVALID for NULL or "". */
lzs_status_t lzs_xstem_create(const char *language, lzs_xstem_t **out);
void lzs_xstem_destroy(lzs_xstem_t *stem);
/* Stems word (len bytes) into buf (cap bytes, NUL-terminated); *outlen (may be NULL) gets
 * the length. LZS_ERR_LIMIT when buf is too small: *outlen then gets the length needed
 * (without the NUL) and buf holds "". */
lzs_status_t lzs_xstem_apply(lzs_xstem_t *stem, const char *word, size_t len, char *buf, size_t cap,
                             size_t *outlen);

/* ---- queries ------------------------------------------------------------ */

typedef enum {
    LZS_XQ_AND,
    LZS_XQ_OR,
    LZS_XQ_AND_NOT,   /* first AND NOT (the rest) */
    LZS_XQ_FILTER,    /* first, filtered by the rest (no weight from the rest) */
    LZS_XQ_AND_MAYBE, /* first, weighted up by the rest */
    LZS_XQ_SYNONYM,   /* the subqueries count as one term for weighting */
    LZS_XQ_PHRASE,    /* terms in order, within window (0 = number of subqueries) */
    LZS_XQ_NEAR,      /* terms in any order within window */
    LZS_XQ_ELITE_SET, /* the best `window` terms of an OR (0 = Xapian default) */
    LZS_XQ_MAX
} lzs_xquery_op_t;

/* Every query constructor hands out a new handle: caller frees with lzs_xquery_destroy().
 * Subqueries are copied (queries are immutable and shared internally). */
lzs_status_t lzs_xquery_term(const char *term, uint32_t wqf, uint32_t pos, lzs_xquery_t **out);
lzs_status_t lzs_xquery_match_all(lzs_xquery_t **out);
lzs_status_t lzs_xquery_match_nothing(lzs_xquery_t **out);
lzs_status_t lzs_xquery_combine(lzs_xquery_op_t op, lzs_xquery_t *const *subs, size_t nsubs,
                                uint32_t window, lzs_xquery_t **out);
/* Documents whose value in slot lies in [lo, hi] (string order); lo or hi NULL: open.
 * Documents with no value in slot never match (both NULL: every document with a value). */
lzs_status_t lzs_xquery_value_range(lzs_slot_t slot, const char *lo, const char *hi,
                                    lzs_xquery_t **out);
/* Every document with a value in slot, weighing `weight` when that value is `value` and 0
 * otherwise (a posting source): as the second part of LZS_XQ_AND_MAYBE it adds weight to
 * the matches whose slot holds value. weight >= 0. */
lzs_status_t lzs_xquery_value_weight(lzs_slot_t slot, const char *value, double weight,
                                     lzs_xquery_t **out);
/* Terms starting with prefix, OR-ed. When more than max_expansion terms match, running the
 * query fails with LZS_ERR_LIMIT (0 = no limit). */
/* Every document of sub-databases subs[0..n) of db (numbers as lzs_xdb_sub_name's), with
 * no weight: a filter. LZS_ERR_UNSUPPORTED when any sub-database of db is remote: the
 * query is sent to each, and a xapian-tcpsrv cannot run it. */
lzs_status_t lzs_xquery_subs(lzs_xdb_t *db, const size_t *subs, size_t n, lzs_xquery_t **out);
/* The query with its weights multiplied by factor (>= 0). */
lzs_status_t lzs_xquery_scale(const lzs_xquery_t *q, double factor, lzs_xquery_t **out);
/* An estimate of the postings the matcher reads to find every match of q in db: a posting
 * list is read whole under OR, and skipped to the candidates of the rarest part under AND,
 * FILTER, PHRASE and NEAR (and to those of the first part under AND_NOT and AND_MAYBE);
 * match-all and value ranges visit every document. Exact counts and facets
 * visit every match, so their time grows with this figure. */
lzs_status_t lzs_xquery_cost(lzs_xdb_t *db, const lzs_xquery_t *q, uint64_t *postings);
/* Xapian's description of the query, for debugging: caller frees with free(). */
lzs_status_t lzs_xquery_describe(const lzs_xquery_t *q, char **out);
void lzs_xquery_destroy(lzs_xquery_t *q);

/* Encodes a number as a string that sorts like the number (Xapian::sortable_serialise).
 * buf holds at least 18 bytes; returns the length (not NUL-terminated). */
size_t lzs_xdb_sortable_serialise(double value, char *buf);

/* ---- enquire ------------------------------------------------------------ */

/* An enquire session over db (borrowed: db must outlive it). */
lzs_status_t lzs_xenq_create(lzs_xdb_t *db, lzs_xenq_t **out);
void lzs_xenq_destroy(lzs_xenq_t *enq);
const char *lzs_xenq_errmsg(const lzs_xenq_t *enq);

/* The query (copied). qlen: query length for weighting, 0 for Xapian's default. */
lzs_status_t lzs_xenq_set_query(lzs_xenq_t *enq, const lzs_xquery_t *q, uint32_t qlen);
/* Relevance order (the default). */
lzs_status_t lzs_xenq_sort_by_relevance(lzs_xenq_t *enq);
/* By the string value of a slot (reverse = descending), ties broken by relevance when
 * then_relevance is set, by docid otherwise. */
lzs_status_t lzs_xenq_sort_by_value(lzs_xenq_t *enq, lzs_slot_t slot, int reverse,
                                    int then_relevance);
/* All matches get weight 0 (browsing by filters only). */
lzs_status_t lzs_xenq_set_boolean_weighting(lzs_xenq_t *enq, int on);
/* At most max hits per distinct value of slot (1: one hit per value); max 0 turns
 * collapsing off. */
lzs_status_t lzs_xenq_set_collapse(lzs_xenq_t *enq, lzs_slot_t slot, uint32_t max);

/* Runs the query: hits first .. first+maxitems-1. check_at_least makes the totals exact up to
 * that many matches (use the doc count for exact totals and facets). relevant (may be NULL,
 * nrel 0) is a relevance set that tunes weights. Caller frees *out with lzs_xmset_destroy().
 * A database modified under a reader gives LZS_ERR_MODIFIED (reopen and retry). */
lzs_status_t lzs_xenq_get_mset(lzs_xenq_t *enq, uint32_t first, uint32_t maxitems,
                               uint32_t check_at_least, const lzs_docid_t *relevant, size_t nrel,
                               lzs_xmset_t **out);

/* Every document matching enq's query, as a boolean match (no weights, no sort, no
 * collapse, no spies: the page is another call's job): *docids gets their ids in
 * increasing order (caller frees with free(); NULL when there are none) and *n how many.
 * Errors as lzs_xenq_get_mset. */
lzs_status_t lzs_xenq_match_docids(lzs_xenq_t *enq, lzs_docid_t **docids, size_t *n);

/* The page (as lzs_xenq_get_mset with check_at_least 0) and, at the same time on a thread
 * of its own over twin (lzs_xdb_twin of enq's database, used by no other thread during the
 * call), every match's id as lzs_xenq_match_docids gives them: on two cores a broad
 * query's answer takes the longer of the two instead of both. twin is first moved to the
 * revision enq's database is at when it is behind. LZS_ERR_UNSUPPORTED, with nothing done,
 * when twin cannot be at that revision (a commit came after enq's database was opened) or
 * the query cannot be handed to another thread (it holds a posting source of this program,
 * such as the collection filter) or no thread can be started now: the caller then makes
 * the two calls one after the other.
 * Otherwise errors as lzs_xenq_get_mset. */
lzs_status_t lzs_xenq_page_and_matches(lzs_xenq_t *enq, lzs_xdb_t *twin, uint32_t first,
                                       uint32_t maxitems, lzs_xmset_t **out,
                                       lzs_docid_t **docids, size_t *n);

/* One match for both: the page (as lzs_xenq_get_mset with check_at_least = every
 * document) and every matching document's id in *docids, increasing (caller frees with
 * free(); NULL when none), *n of them. Cheaper than the two calls apart when the match set
 * is small; a large one is better read by lzs_xenq_match_docids, without weights. */
lzs_status_t lzs_xenq_get_mset_docids(lzs_xenq_t *enq, uint32_t first, uint32_t maxitems,
                                      lzs_xmset_t **out, lzs_docid_t **docids, size_t *n);

/* Terms of the query that index docid, in query order (freq is 0). */
lzs_status_t lzs_xenq_matching_terms(lzs_xenq_t *enq, lzs_docid_t docid, lzs_xdb_term_cb cb,
                                     void *ud);

/* "More like this": the best maxterms terms of the relevance set docids, most useful first.
 * With skip_prefixed set, terms starting with an ASCII capital (boolean and stemmed
 * prefixes) are left out. cb gets each term; freq is the term's rank (0-based). */
lzs_status_t lzs_xenq_expand(lzs_xenq_t *enq, const lzs_docid_t *docids, size_t ndocids,
                             uint32_t maxterms, int skip_prefixed, lzs_xdb_term_cb cb, void *ud);

/* ---- results ------------------------------------------------------------ */

void lzs_xmset_destroy(lzs_xmset_t *mset);
uint32_t lzs_xmset_size(const lzs_xmset_t *mset);
uint32_t lzs_xmset_matches_estimated(const lzs_xmset_t *mset);

typedef struct {
    lzs_docid_t docid;
    uint32_t rank; /* 0-based rank in the whole result */
    double weight;
    uint32_t collapse_count; /* other matches collapsed into this hit (lower bound) */
    int percent;
} lzs_xhit_t;

/* The i-th hit of this page (0 <= i < size). */
lzs_status_t lzs_xmset_get(const lzs_xmset_t *mset, uint32_t i, lzs_xhit_t *out);
/* Data or a value of the i-th hit's document: caller frees *out with free(). */
lzs_status_t lzs_xmset_data(const lzs_xmset_t *mset, uint32_t i, char **out, size_t *len);
lzs_status_t lzs_xmset_value(const lzs_xmset_t *mset, uint32_t i, lzs_slot_t slot, char **out,
                             size_t *len);

#ifdef __cplusplus
}
#endif

#endif
