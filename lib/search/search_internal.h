/* search_internal.h — what the files of lib/search share: a string set, the query
 * language's syntax tree and parser, the compiled form of a request (Xapian query plus
 * what snippets must mark) and the snippet builder.
 */
#ifndef LZS_SEARCH_INTERNAL_H
#define LZS_SEARCH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "extract/shared_internal.h"
#include "columns_internal.h"
#include "lzs/search.h"
#include "lzs/text.h"
#include "lzs/xdb.h"

/* ---- several indexes (multi.c) ------------------------------------------------- */

/* For a handle of several sub-databases: reads each alone and checks its schema version
 * (LZS_ERR_SCHEMA), that no document id is in two of them and that their collection names
 * differ (LZS_ERR_INVALID); a failure has *errmsg (may be NULL; caller frees with free())
 * naming the index, or the document and both indexes. LZS_OK for a single database. */
lzs_status_t lzs_search_check_each(lzs_xdb_t *db, char **errmsg);

/* ---- string set ------------------------------------------------------------ */

/* An open-addressing set of owned strings (copied on insert). Zero-initialise to use. */
typedef struct {
    char **slots;
    size_t cap, n;
} lzs_sset_t;

/* Adds a copy of s (len bytes); duplicates are ignored. */
lzs_status_t lzs_sset_add(lzs_sset_t *set, const char *s, size_t len);
int lzs_sset_has(const lzs_sset_t *set, const char *s, size_t len);
void lzs_sset_clear(lzs_sset_t *set);

/* ---- query language ---------------------------------------------------------- */

typedef enum {
    LZS_QN_WORD,   /* text: the word as typed */
    LZS_QN_PHRASE, /* text: the phrase between the quotes */
    LZS_QN_PREFIX, /* text: the prefix before '*' */
    LZS_QN_FIELD,  /* field, text: the value (quotes removed) */
    LZS_QN_AND,
    LZS_QN_OR,
    LZS_QN_NOT /* one kid */
} lzs_qkind_t;

typedef struct lzs_qnode {
    lzs_qkind_t kind;
    int field;  /* lzs_field_t for LZS_QN_FIELD, else -1 */
    char *text; /* owned, NUL-terminated; NULL for operators */
    int pos;    /* byte offset of the node in the query */
    int len;    /* bytes it spans in the query */
    struct lzs_qnode **kids;
    size_t nkids, capkids;
} lzs_qnode_t;

/* Copies src into dst (cap bytes) as valid UTF-8: invalid sequences become U+FFFD and a
 * cut never splits a character. */
void lzs_search_copy_utf8(char *dst, size_t cap, const char *src);

/* Fills err (may be NULL) and returns status. Message and param are kept valid UTF-8. */
lzs_status_t lzs_search_fail(lzs_search_error_t *err, lzs_status_t status, const char *code,
                             const char *param, int position, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Parses len bytes of q (valid UTF-8, at most LZS_SEARCH_MAX_QUERY bytes: checked by the
 * caller). *out is NULL for a query with nothing in it (empty or blank); otherwise caller
 * frees with lzs_qnode_free(). Nothing is ignored or repaired: LZS_ERR_PARSE with code
 * "bad_query" and the byte position for an unknown field, a field without a value, a quote
 * or parenthesis not closed, a ')' without '(', empty parentheses or quotes, AND/OR
 * without a term on each side, NOT or '-' without a term after it, a '*' that does not end
 * a word (or in a phrase or a field value); LZS_ERR_LIMIT for too many terms. */
lzs_status_t lzs_query_parse(const char *q, size_t len, lzs_qnode_t **out, lzs_search_error_t *err);
void lzs_qnode_free(lzs_qnode_t *n);
/* Number of leaves (words, phrases, prefixes, field filters). */
size_t lzs_qnode_leaves(const lzs_qnode_t *n);
/* Debug form, e.g. (AND word:child (NOT phrase:"a b") party:NO): caller frees with free(). */
char *lzs_qnode_describe(const lzs_qnode_t *n);

/* ---- the searcher ------------------------------------------------------------ */

#define LZS_SEARCH_MAX_LANGS 16

/* A term of the thesaurus by its key in the synonym table's form (lzs_text_phrase_key). */
typedef struct {
    char *key;
    size_t concept, term; /* lzs_extract_concept_term(ex, concept, term) */
} lzs_thes_entry_t;

struct lzs_searcher {
    char *dir;
    lzs_xdb_t *db;
    lzs_text_t *text;
    const lzs_extractor_t *ex; /* borrowed */
    uint32_t doccount;
    char langs[LZS_SEARCH_MAX_LANGS][8];  /* languages of the index (metadata) */
    int lang_stems[LZS_SEARCH_MAX_LANGS]; /* 1 when lzs_text_stem works for langs[i] */
    size_t nlangs;
    lzs_sset_t syn_keys; /* terms of the synonym table that have synonyms */
    /* Keys of the phrases every passage of the revision has the LZS_PFX_PHRASE term of
     * (LZS_META_PHRASES of each sub-database, in all of them) */
    lzs_sset_t phrase_keys;
    size_t syn_max_words;
    uint64_t max_postings;  /* lzs_searcher_set_max_postings (0: no limit) */
    uint32_t max_expansion; /* lzs_searcher_set_max_expansion (0: no limit) */
    uint64_t parallel;      /* lzs_searcher_set_parallel (0: never) */
    /* A second handle on db for the thread reading a match set (lzs_xdb_twin), opened on
     * first use; twin_none: db cannot have one (remote). */
    lzs_xdb_t *twin;
    int twin_none;
    /* Facet columns of the revision searched (columns.c), or NULL: the pool's when
     * cols_pooled (shared with the searchers of other threads at the same state, pool.c),
     * else the searcher's own. */
    struct lzs_cols *cols;
    int cols_pooled;
    uint64_t cols_generation; /* the generation cols were taken at */
    lzs_search_pool_t *pool;  /* borrowed (lzs_searcher_set_pool), or NULL */
    /* Which state of the index db shows: 1 at open, one more each time a reopen moves it.
     * Tells this searcher when its columns are no longer those of its state; comparable
     * with no other searcher's (pool.c names a state by the indexes' own revisions). */
    uint64_t generation;
    lzs_thes_entry_t *thes; /* the thesaurus's terms, sorted by key */
    size_t nthes;
    size_t thes_max_words;
};

/* The thesaurus's terms with this key: *first gets the first of them in s->thes; returns
 * how many there are. */
size_t lzs_thes_find(const lzs_searcher_t *s, const char *key, size_t *first);

/* English name of a language code ("fr" -> "French"), or NULL. Static string. */
const char *lzs_search_lang_label(const char *code);

/* ---- what the calls of search.c and compare.c share ------------------------------ */

/* Makes s->cols the facet columns of the revision s->db is at (pool.c): kept while the
 * revision stays; when it moved, those of its pool at the new state (shared), or begun
 * again (empty) as the searcher's own without a pool or for a remote index. */
lzs_status_t lzs_search_current_cols(lzs_searcher_t *s);
/* Lets go of s->cols (the pool's last user frees them); s->cols NULL after. */
void lzs_search_release_cols(lzs_searcher_t *s);

/* Clears err (may be NULL): no code, position -1. */
void lzs_search_clear_err(lzs_search_error_t *err);
/* The one retry rule of search.h (LZS_SEARCH_TRIES) for a call whose attempt-th try (from
 * 0) failed with st: 1 when it is to be made again (the searcher then at the latest
 * revision, err cleared), 0 when st is final (err says why when the index kept changing).
 * what names the call in that message ("search"). */
int lzs_search_try_again(lzs_searcher_t *s, lzs_status_t st, int attempt, const char *what,
                         lzs_search_error_t *err);
/* Fills err for a failure st of the index (enq, may be NULL, gives Xapian's message) and
 * returns st: "limit" for a prefix that expands too far, else "index". */
lzs_status_t lzs_search_index_fail(lzs_xenq_t *enq, lzs_status_t st, lzs_search_error_t *err);
/* Label of value v of facet (an LZS_FACET_* bit): "Norway" for NO, "Art. 38 – ..." for
 * 38. Caller frees with free(); NULL when out of memory. */
char *lzs_search_facet_label(const lzs_searcher_t *s, unsigned facet, const char *v);

/* No value slot: to lzs_search_bool_enquire, document order, or no collapsing. */
#define LZS_SEARCH_NO_SLOT (-1)
/* An enquire of s over q (copied) in which every match weighs nothing (a lookup, not a
 * ranking): sorted by the value in slot sort (descending when reverse), or in document
 * order when sort is LZS_SEARCH_NO_SLOT; one match per value of slot collapse, or every
 * match when it is LZS_SEARCH_NO_SLOT. *out: caller frees with lzs_xenq_destroy(); NULL on
 * failure (the index's status). */
lzs_status_t lzs_search_bool_enquire(const lzs_searcher_t *s, const lzs_xquery_t *q, int sort,
                                     int reverse, int collapse, lzs_xenq_t **out);
/* The first max passages with the term prefix+value, as lzs_search_bool_enquire orders and
 * collapses them (ascending). A value too long to make a term has none: *out NULL and
 * LZS_OK. *out: caller frees with lzs_xmset_destroy(); NULL on failure. */
lzs_status_t lzs_search_term_mset(const lzs_searcher_t *s, const char *prefix, const char *value,
                                  int sort, int collapse, uint32_t max, lzs_xmset_t **out);

/* One match of a walk over every match (lzs_search_each_match): hit i of mset. Sets *stop
 * to end the walk early; a status other than LZS_OK ends it with that status. */
typedef lzs_status_t (*lzs_search_match_fn)(void *ud, lzs_xmset_t *mset, uint32_t i, int *stop);
/* Walks the matches of enq in its order, a page at a time, at most LZS_SEARCH_EXPORT_CAP of
 * them, calling each for every one (the export, the comparison of Parties). *matched: how
 * many match in all, counted exactly. Returns each's first failure, or the index's. */
lzs_status_t lzs_search_each_match(const lzs_searcher_t *s, lzs_xenq_t *enq,
                                   lzs_search_match_fn each, void *ud, uint32_t *matched);
/* A monotonic clock in milliseconds, for took_ms. */
double lzs_search_now_ms(void);

/* ---- compiled requests ----------------------------------------------------------- */

/* What snippets mark and what the spelling check looks at. */
typedef struct {
    lzs_sset_t words;    /* folded forms */
    lzs_sset_t stems;    /* "lang:stem" */
    lzs_sset_t prefixes; /* folded wildcard prefixes */
    /* phrases: folded terms separated by ' ' */
    char **phrases;
    size_t nphrases, capphrases;
} lzs_marks_t;

void lzs_marks_clear(lzs_marks_t *m);

typedef struct {
    size_t pos, len;   /* of the word in q */
    char *replacement; /* owned: the suggestion */
} lzs_respell_t;

/* ---- how the query was read (read_as) and why a hit matched (explain) ---------- */

/* One term of the query as read: a word, a run of words read together (a synonym, a term
 * of the thesaurus or a Party's name), a phrase or a prefix. */
typedef struct {
    char *text;       /* as typed */
    const char *kind; /* "word", "words", "phrase", "prefix" (static) */
    int negated;
    lzs_strlist_t forms;     /* what the words as typed match: folded form, stems ("groom…"),
                                joined and hyphenated forms, the phrase */
    lzs_strlist_t synonyms;  /* from the synonym table */
    lzs_strlist_t alts;      /* terms of the thesaurus it also matches... */
    lzs_strlist_t alt_langs; /* ...and their languages */
    lzs_strlist_t own_langs; /* languages of the thesaurus terms the words are */
    char party[4];           /* ISO code when the words name a Party, else "" */
    char *party_name;        /* its English name */
    lzs_strlist_t names;     /* that Party's other names it also matches */
} lzs_rterm_t;

/* A filter applied, from the query ("q") or a parameter ("param"). */
typedef struct {
    char *field, *value, *label;
    const char *source; /* static */
    int negated;
} lzs_rfilter_t;

/* A form of a term that a passage may contain: explain shows display when the passage has
 * any of xterms (all of them when all is set: a phrase). */
typedef struct {
    size_t term;
    char *display;
    int all;
    size_t first, n; /* in lzs_reading_t.xterms */
} lzs_ralt_t;

typedef struct {
    lzs_rterm_t *terms;
    size_t nterms, capterms;
    lzs_rfilter_t *filters;
    size_t nfilters, capfilters;
    char lang[8];            /* the query's language, or "" */
    const char *lang_source; /* "lang" (a language filter), "words" (the index's vocabularies
                                and the thesaurus) or NULL (static) */
    int lang_ranked;         /* passages in lang were ranked first */
    int explain;             /* record the forms below */
    lzs_ralt_t *alts;
    size_t nalts, capalts;
    char **xterms;
    size_t nx, capx;
} lzs_reading_t;

/* A new term; *index gets its place. text: len bytes. */
lzs_status_t lzs_reading_term(lzs_reading_t *r, const char *kind, const char *text, size_t len,
                              int negated, size_t *index);
/* A filter (strings copied; label may be NULL: the value). */
lzs_status_t lzs_reading_filter(lzs_reading_t *r, const char *field, const char *value,
                                const char *label, const char *source, int negated);
/* A form of term `term` for explain: the Xapian terms xterms[0..n) (copied). */
lzs_status_t lzs_reading_alt(lzs_reading_t *r, size_t term, const char *display, int all,
                             const char *const *xterms, size_t n);
void lzs_reading_clear(lzs_reading_t *r);
/* The query.read_as object of docs/api.md. New reference; NULL when out of memory. */
json_t *lzs_reading_json(const lzs_reading_t *r);
/* The explain array of a hit: the terms of the query that the passage docid contains, from
 * the Xapian terms of the query that index it (enq holds the query). */
lzs_status_t lzs_reading_explain(const lzs_reading_t *r, lzs_xenq_t *enq, lzs_docid_t docid,
                                 json_t **out);

typedef struct {
    lzs_xquery_t *query; /* owned */
    int weighted;        /* 0: filters only (browse) */
    /* Phrases whose positions the matcher checks in every passage holding their words
     * (quoted phrases, synonyms and terms of several words without a phrase term of the
     * index, LZS_PFX_PHRASE): 0 when there are none. */
    int phrases;
    lzs_reading_t reading;
    lzs_marks_t marks;
    /* plain words unknown to the index, with their suggestions */
    lzs_respell_t *respell;
    size_t nrespell;
} lzs_compiled_t;

/* Compiles a request's query and filters, the collection filter among them
 * (lzs_search_filter_collections). On failure err is filled (code, param, position,
 * message). Caller frees c's contents with lzs_compiled_clear(). */
lzs_status_t lzs_compile_request(lzs_searcher_t *s, const lzs_search_req_t *req, lzs_compiled_t *c,
                                 lzs_search_error_t *err);
void lzs_compiled_clear(lzs_compiled_t *c);
/* Restricts c's query to the collections req names (req->collections, OR-ed), recording the
 * filter in c's reading; nothing without them. LZS_ERR_INVALID/LZS_ERR_LIMIT with err
 * naming the parameter "collection" for an unknown name, a remote collection or too many
 * values (multi.c). The last step of lzs_compile_request: no other caller. */
lzs_status_t lzs_search_filter_collections(lzs_searcher_t *s, const lzs_search_req_t *req,
                                           lzs_compiled_t *c, lzs_search_error_t *err);

/* Query for the value of one filter field (as the API and the query language take it).
 * param names the parameter in errors. Caller frees *out with lzs_xquery_destroy(). */
lzs_status_t lzs_filter_query(lzs_searcher_t *s, lzs_field_t f, const char *value,
                              const char *param, int position, lzs_xquery_t **out,
                              lzs_search_error_t *err);

/* ---- snippets ------------------------------------------------------------------------ */

/* The snippet of text (a passage in language lang) around its best match: a JSON array of
 * {"text","mark"} segments, at most about `chars` characters, cut on character boundaries
 * with "…" where the text was cut. chars 0 gives an empty array. Caller frees with
 * json_decref(); NULL when out of memory. */
json_t *lzs_snippet_build(lzs_text_t *t, const char *text, size_t len, const char *lang,
                          const lzs_marks_t *marks, uint32_t chars);

/* ---- citations (cites.c) ----------------------------------------------------------- */

/* The stored "doc" object of document id, or *out NULL when the index has no such
 * document. *out: caller frees with json_decref(). */
lzs_status_t lzs_cites_doc_meta(const lzs_searcher_t *s, const char *id, json_t **out);
/* What the passages of a document (as /api/doc lists them) cite: {"documents":[{"id",
 * "title","date","in_collection","passages"}],"recommendations":[{"key","passages"}],
 * "ambiguous":[{"id","passages"}],"opinions":[{"key","kind","year","code","title",
 * "passages"}]}, each in order of first mention. An opinion cited by title is listed as the
 * document of the index that is it (lzs_cites_opinion_doc), else with the document of its
 * code when the passages cite that code too, else in "opinions". *out: caller frees. */
lzs_status_t lzs_cites_of(lzs_searcher_t *s, const json_t *passages, json_t **out);
/* The document a title citation of opinion key (opinions.tsv) links to: the indexed
 * document with that key (index term XOK:), its version without language suffix first. *id
 * NULL when none is indexed; else borrowed: valid while the searcher stays at its revision
 * (until lzs_searcher_reopen()). */
lzs_status_t lzs_cites_opinion_doc(lzs_searcher_t *s, const char *key, const char **id);
/* The index terms (copied into terms) that cite value besides its own XCD: term: for an
 * opinion's key, XCO:<key> and XCD: of every document that is it and of its code; for a
 * document id, XCO: of the opinions whose titles link to it, or, when none of their
 * documents is indexed, whose code it is. */
lzs_status_t lzs_cites_opinion_terms(lzs_searcher_t *s, const char *value, lzs_strlist_t *terms);
/* The OR of the terms (no term: nothing matches). *out: caller frees with
 * lzs_xquery_destroy(). */
lzs_status_t lzs_cites_terms_query(const lzs_strlist_t *terms, lzs_xquery_t **out);
/* The map of the cites column (lzs_col_spec_t): an opinion cited by title counts as the
 * document it links to. ud: the revision's table of opinions, immutable, kept with
 * s->cols. */
lzs_status_t lzs_cites_facet_map(lzs_searcher_t *s, lzs_col_map_fn *map, void **ud);
/* Label of a value of the cites facet (an lzs_col_label_fn; ud: the searcher): the title
 * of a document of the index, "<id> (not in the collection)", or for an opinion's key its
 * title, followed by " (not in the collection)" when no indexed document is it. Caller
 * frees with free(). */
char *lzs_cites_label(void *ud, const char *value, lzs_status_t *st);
/* The documents citing doc_id, newest first: {"total","limit","documents":[{"id","title",
 * "date","type","lang","passages":[{"id","label"}]}]}. *out: caller frees. */
lzs_status_t lzs_cited_by(lzs_searcher_t *s, const char *doc_id, json_t **out);
/* The passages of other documents (not sharing version key vkey) citing the
 * recommendation rec_key of a document of version key vkey, oldest first, at most
 * LZS_SEARCH_FOLLOW_UP: [{"id","label","doc":{"id","title","date","lang"}}]. */
lzs_status_t lzs_follow_up(lzs_searcher_t *s, const char *vkey, const char *rec_key,
                           json_t **out);

/* lzs_searcher_open_named() with every collection named by its directory (search.c: the
 * one-index lzs_searcher_open() goes through it). dirs is borrowed for the call. */
lzs_status_t lzs_searcher_open_many(const char *const *dirs, size_t n, const lzs_extractor_t *ex,
                                    lzs_searcher_t **out, char **errmsg);

#endif
