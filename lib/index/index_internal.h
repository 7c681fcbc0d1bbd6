/* index_internal.h — helpers shared by the files of lib/index (not part of the API). */
#ifndef LZS_INDEX_INTERNAL_H
#define LZS_INDEX_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "extract/shared_internal.h"
#include "lzs/index.h"
#include "lzs/xdb.h"

/* ---- SHA-256 (FIPS 180-4), for content hashes of corpus files ----------- */

typedef struct {
    uint32_t h[8];
    uint64_t nbytes;
    unsigned char buf[64];
    size_t nbuf;
} lzs_sha256_t;

void lzs_sha256_init(lzs_sha256_t *c);
/* Hashes len bytes of data (borrowed for the call). */
void lzs_sha256_update(lzs_sha256_t *c, const void *data, size_t len);
/* Writes the 32-byte digest; the context must be initialized again before reuse. */
void lzs_sha256_final(lzs_sha256_t *c, unsigned char digest[32]);
/* Lower-case hex of a digest into hex (65 bytes, NUL-terminated). */
void lzs_sha256_hex(const unsigned char digest[32], char hex[65]);

/* ---- word counts for the spelling table --------------------------------- */

/* A set of words with counts (open addressing). Not thread-safe. */
typedef struct lzs_wordcount lzs_wordcount_t;

/* Caller frees *out with lzs_wordcount_destroy(). */
lzs_status_t lzs_wordcount_create(lzs_wordcount_t **out);
void lzs_wordcount_destroy(lzs_wordcount_t *wc);
/* Adds n to the count of word (copied). */
lzs_status_t lzs_wordcount_add(lzs_wordcount_t *wc, const char *word, uint32_t n);
/* Adds every word of src to dst. */
lzs_status_t lzs_wordcount_merge(lzs_wordcount_t *dst, const lzs_wordcount_t *src);
size_t lzs_wordcount_size(const lzs_wordcount_t *wc);
/* Calls cb for each word (borrowed: valid during the call) until it returns non-zero. */
typedef int (*lzs_wordcount_cb)(void *ud, const char *word, uint32_t count);
void lzs_wordcount_foreach(const lzs_wordcount_t *wc, lzs_wordcount_cb cb, void *ud);
/* Count of word, 0 when absent. */
uint32_t lzs_wordcount_get(const lzs_wordcount_t *wc, const char *word);
/* Sets the count of word (copied) to n, adding it when absent. */
lzs_status_t lzs_wordcount_set(lzs_wordcount_t *wc, const char *word, uint32_t n);
/* Removes every word. */
void lzs_wordcount_clear(lzs_wordcount_t *wc);

/* items[0..n) joined by sep into a new string (caller frees with free()), or NULL when out
 * of memory. */
char *lzs_index_join(const char *const *items, size_t n, char sep);

/* ---- phrase terms (phrases.c) -------------------------------------------- */

/* The phrases whose LZS_PFX_PHRASE term passages get (lzs/schema.h). Read-only once built:
 * the workers of a run share one. */
typedef struct lzs_phrases lzs_phrases_t;

/* The multi-word terms of ex's thesaurus and synonym groups, each as search reads it as a
 * phrase (lzs_tokens_phrase_term: a hyphenated word both apart and joined), tokenized with
 * text. Caller frees *out with lzs_phrases_destroy(). */
lzs_status_t lzs_phrases_build(lzs_text_t *text, const lzs_extractor_t *ex, lzs_phrases_t **out);
void lzs_phrases_destroy(lzs_phrases_t *p);
/* The keys, by first word then key (lzs_phrases_key: borrowed, i < lzs_phrases_count). */
size_t lzs_phrases_count(const lzs_phrases_t *p);
const char *lzs_phrases_key(const lzs_phrases_t *p, size_t i);
/* Adds to xd the phrase term of every phrase of p that toks (a passage's positioned text)
 * holds at consecutive positions. p may be NULL (none). */
lzs_status_t lzs_phrases_add_terms(const lzs_phrases_t *p, const lzs_tokens_t *toks,
                                   lzs_xdoc_t *xd);

/* ---- passage documents --------------------------------------------------- */

/* A test hook, not API (test_index checks a passage's document with it): builds the Xapian
 * document of one passage of doc, as lzs_index_run() stores it (terms, boolean terms,
 * values and data of lzs/schema.h) but for the phrase terms, with doc->source as the path
 * of the XF: term (lzs_index_run() puts the file's absolute path there, and its path below
 * the corpus directory in doc->source). text is the caller's pipeline (not thread-safe: one per
 * thread); doc and p are borrowed for the call (p must be one of doc's passages). Caller
 * frees *out with lzs_xdoc_destroy(). *errmsg (may be NULL): caller frees with free(). */
lzs_status_t lzs_index_passage_doc(lzs_text_t *text, const lzs_document_t *doc,
                                   const lzs_passage_t *p, lzs_xdoc_t **out, char **errmsg);

/* lzs_index_passage_doc() with the path of the XF: term given apart (file, borrowed; NULL:
 * no XF: term), that also counts the passage's spelling words (folded ALPHA tokens of 3
 * characters or more, without digits and not codes) into spell (may be NULL) and adds the
 * phrase terms of phrases (may be NULL: none). */
lzs_status_t lzs_index_build_passage(lzs_text_t *text, const lzs_document_t *doc,
                                     const lzs_passage_t *p, const char *file,
                                     lzs_wordcount_t *spell, const lzs_phrases_t *phrases,
                                     lzs_xdoc_t **out, char **errmsg);

/* Counts into spell the spelling words of a passage text s (borrowed), by the rule of
 * lzs_index_build_passage(): what adding the passage gave the spelling table. */
lzs_status_t lzs_index_count_spelling(lzs_text_t *text, const char *s, lzs_wordcount_t *spell);

/* ---- the files of each document (docfiles.c) ------------------------------ */

/* Rewrites "lzs:docfiles:<id>" (schema.h) for every document from the file list: its
 * files, the one giving the passages first, then by format (read best first); removes the
 * lists of documents without files. Call inside the run's transaction. */
lzs_status_t lzs_docfiles_write(lzs_xdb_t *db, char **errmsg);

/* ---- the index directory (indexdir.c) ------------------------------------ */

/* What a run found and did at its index path, before and while opening the index. */
typedef struct {
    int created_dir;        /* the run made the directory */
    char created_top[4096]; /* the outermost directory the run made: dir or a parent */
    int wrote_marker;       /* the run wrote LZS_INDEX_MARKER */
    int measured;           /* bytes is set */
    uint64_t bytes;         /* disk space of the index's files before the run */
} lzs_indexdir_t;

/* Makes dir ready to be opened for writing: creates it (and its marker) when missing,
 * writes the marker into an empty directory or a lanzasearch index of an earlier version,
 * and refuses with LZS_ERR_INVALID and a message naming dir and what it is anything else
 * (a file, a stub XAPIANDB, another database, other files). d accumulates over calls
 * (zero it before the first). *errmsg: caller frees with free(). */
lzs_status_t lzs_indexdir_prepare(const char *dir, lzs_indexdir_t *d, char **errmsg);

/* 1 when dir holds nothing but the marker and files Xapian makes before its first commit
 * (what a first run killed early leaves): it may be created anew. */
int lzs_indexdir_uncommitted_only(const char *dir);

/* Undoes a run that made a new index and failed: db (the run's open writable database,
 * holding the lock; closed here) and every file the run created in dir are removed, and
 * dir itself and the parents the run created. Only for an index that nothing was ever
 * committed to. */
void lzs_indexdir_discard(const char *dir, const lzs_indexdir_t *d, lzs_xdb_t *db);

/* Undoes what lzs_indexdir_prepare() created when opening the database then failed
 * (without the lock): the marker and Xapian's files, when nothing was committed. */
void lzs_indexdir_undo(const char *dir, const lzs_indexdir_t *d);

/* When *errmsg says the disk is full (ENOSPC, EDQUOT), appends how much space the run
 * needs: index_bytes plus LZS_INDEX_SPACE_PER_CORPUS_BYTE times corpus_bytes, with the
 * free space left. */
void lzs_indexdir_space_note(const char *dir, uint64_t corpus_bytes, uint64_t index_bytes,
                             char **errmsg);

#endif
