/* search.h — where a query becomes results.
 *
 * lzs_search_run() parses the query language, applies the structured filters, runs the
 * query on the index and builds the answer as JSON in exactly the shape of the HTTP API
 * (docs/api.md): searchd and command-line tools only serialize it.
 *
 * An lzs_searcher_t owns one read-only index handle and one text pipeline: it is not
 * thread-safe; use one per thread. The extractor (domain data: Party names, article
 * titles) is borrowed and may be shared between threads, and so may a pool of facet
 * columns (lzs_search_pool_t): the searchers of a process given one pool count over one
 * copy of the columns of each state of the index instead of one copy each.
 *
 * An index the indexer commits to while a call reads it: every call below that reads the
 * index (lzs_search_run, _document, _file, _similar, _export, _compare) moves the searcher
 * to the latest revision and tries again when a commit overwrote what it was reading
 * (LZS_ERR_MODIFIED), LZS_SEARCH_TRIES attempts in all. Callers do not retry on their
 * own: LZS_ERR_MODIFIED out of a call means the index kept changing through all of them
 * (err says so), and a caller's request is tried at most LZS_SEARCH_TRIES times.
 */
#ifndef LZS_SEARCH_H
#define LZS_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "lzs/extract.h"
#include "lzs/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits (errors name them when exceeded). */
#define LZS_SEARCH_MAX_QUERY 1024      /* bytes of query text */
#define LZS_SEARCH_MAX_TERMS 64        /* words, phrases and field filters in a query */
#define LZS_SEARCH_MAX_WILDCARD 500    /* terms the prefix* of a query expand to (default) */
#define LZS_SEARCH_MAX_POSTINGS 400000 /* postings its prefixes and OR lists read (default) */
#define LZS_SEARCH_MAX_SIZE 100        /* page size */
#define LZS_SEARCH_MAX_OFFSET 10000    /* offset of the first hit */
#define LZS_SEARCH_MAX_VALUES 32       /* values of one filter field */
#define LZS_SEARCH_EXPORT_CAP 50000    /* passages one export returns at most */
#define LZS_SEARCH_TRIES 3             /* attempts at a call whose index changes under it */
#define LZS_SEARCH_CITES_FACET 20      /* values of the "cites" facet: the most cited documents */
#define LZS_SEARCH_CITED_BY 100        /* citing documents /api/doc lists in cited_by */
#define LZS_SEARCH_FOLLOW_UP 50        /* citing passages a recommendation's follow-up lists */
#define LZS_SEARCH_FEED 50             /* entries of a feed */

/* Filter fields: the names are those of the API parameters and of the query language. */
typedef enum {
    LZS_F_PARTY,      /* "party": ISO code or any name of the Party in the gazetteer */
    LZS_F_ADDRESSEE,  /* "addressee": ISO code, name, or "all" */
    LZS_F_ARTICLE,    /* "article": "38" or "38(2)" */
    LZS_F_YEAR,       /* "year": "2021" or "2015..2019" */
    LZS_F_LEVEL,      /* "level": require, request, invite, urge, consider */
    LZS_F_TYPE,       /* "type": decisions, opinion, ... */
    LZS_F_LANG,       /* "lang": ISO 639-1 */
    LZS_F_REF,        /* "ref": reference code */
    LZS_F_REC,        /* "rec": recommendation id ("V-17", "R V-17") or key ("2nd-round:V-17") */
    LZS_F_CITES,      /* "cites": passages citing a document (its code, "T-ES(2018)12",
                         "T-ES(2015)04_fr") or a recommendation (an id, "I-6", any citation of
                         it; or a key, "1st-round:I-6", "T-ES(2018)12:I-6") */
    LZS_F_INSTRUMENT, /* "instrument": an instrument key of instruments.tsv ("echr") or an
                         article of one ("echr-art8") */
    LZS_F_COUNT
} lzs_field_t;

/* Field name ("party", ...) and its reverse (-1 when unknown). Static strings. */
const char *lzs_search_field_name(lzs_field_t f);
int lzs_search_field_from_name(const char *name);

typedef enum { LZS_SORT_RELEVANCE, LZS_SORT_NEWEST, LZS_SORT_OLDEST, LZS_SORT_ORDER } lzs_sort_t;
typedef enum { LZS_GROUP_PASSAGE, LZS_GROUP_DOCUMENT } lzs_group_t;

/* Facets, as bits of lzs_search_req_t.facets. */
enum {
    LZS_FACET_PARTY = 1 << 0,
    LZS_FACET_ADDRESSEE = 1 << 1,
    LZS_FACET_ARTICLE = 1 << 2,
    LZS_FACET_YEAR = 1 << 3,
    LZS_FACET_LEVEL = 1 << 4,
    LZS_FACET_TYPE = 1 << 5,
    LZS_FACET_LANG = 1 << 6,
    LZS_FACET_CITES = 1 << 7,      /* the documents most cited by the matching passages */
    LZS_FACET_INSTRUMENT = 1 << 8, /* the instruments they cite */
    LZS_FACET_COLLECTION = 1 << 9, /* the index each passage is in (lzs_searcher_collection) */
    LZS_FACET_ALL = (1 << 10) - 1
};

/* A request. Every pointer is borrowed for the duration of the call. Values of one field
 * are OR-ed; fields are AND-ed with each other and with the query. */
typedef struct {
    const char *q; /* query language text; NULL or "" browses */
    const char *const *values[LZS_F_COUNT];
    size_t nvalues[LZS_F_COUNT];
    const char *date_from, *date_to; /* ISO dates, inclusive; NULL: open */
    uint32_t offset;                 /* default 0 */
    uint32_t size;                   /* default 10 (lzs_search_req_init) */
    lzs_sort_t sort;
    lzs_group_t group;
    unsigned facets;        /* LZS_FACET_* bits; 0 counts none */
    uint32_t snippet_chars; /* default 240 */
    int explain;            /* 1: each hit says which terms of the query it contains */
    /* "collection": only the passages of these indexes (their names, as
     * lzs_searcher_collection gives them; OR-ed, AND-ed with the rest). An unknown name is
     * LZS_ERR_INVALID, code "bad_parameter", param "collection"; so is any value when one
     * of the indexes is remote (a xapian-tcpsrv runs no filter of this program). */
    const char *const *collections;
    size_t ncollections;
} lzs_search_req_t;

/* Fills req with the defaults. */
void lzs_search_req_init(lzs_search_req_t *req);

/* What the cost limit counted of a query it refused (lzs_searcher_set_max_postings and
 * lzs_searcher_set_max_expansion), and the limits in force (0: none). */
typedef struct {
    int known;              /* 1 when the cost limit refused the query, else 0 */
    uint64_t terms;         /* terms the query's prefixes expand to, together */
    uint64_t postings;      /* postings its prefixes and OR lists read, together */
    uint64_t max_expansion; /* the limit of terms */
    uint64_t max_postings;  /* the limit of postings */
} lzs_search_cost_t;

/* Why a request failed: which parameter, where in the query, what. */
typedef struct {
    char code[32];          /* "bad_parameter", "bad_query", "limit", "not_found", "index" */
    char param[32];         /* the parameter at fault ("q", "year", "size", ...) or "" */
    int position;           /* byte offset in q of the problem, or -1 */
    char message[256];      /* a sentence for the user */
    lzs_search_cost_t cost; /* filled when the cost limit refused the query (code "limit") */
} lzs_search_error_t;

typedef struct lzs_searcher lzs_searcher_t;

/* Opens the index at index_dir read-only and checks its schema version (LZS_ERR_SCHEMA
 * with a message naming both versions). ex is borrowed: must outlive the searcher.
 * *errmsg (may be NULL): caller frees with free(). */
lzs_status_t lzs_searcher_open(const char *index_dir, const lzs_extractor_t *ex,
                               lzs_searcher_t **out, char **errmsg);
/* The same over n >= 1 indexes searched as one database: totals and facets count over all,
 * scores use the statistics of all together. Each of dirs may be an index directory or a
 * Xapian stub naming several (local or remote: lzs_xdb_open_readonly); every database they
 * lead to is an index of its own, a "collection". Each one's schema version is checked
 * (LZS_ERR_SCHEMA naming the one at fault); the languages, thesaurus data, revision and
 * commit time are those of the first. A document id held by two indexes is refused
 * (LZS_ERR_INVALID naming it and both indexes), and so are two indexes of one collection
 * name. names[i] (NULL, or NULL entries: the directory's last component) names the
 * collections of dirs[i], as lzs_xdb_open_named says. dirs and names are borrowed for the
 * call. */
lzs_status_t lzs_searcher_open_named(const char *const *dirs, const char *const *names, size_t n,
                                     const lzs_extractor_t *ex, lzs_searcher_t **out,
                                     char **errmsg);
void lzs_searcher_close(lzs_searcher_t *s);
/* The cost limit, for wildcards and OR lists only: a query whose prefixes (prefix*) and
 * lists of words joined by OR are estimated, before it runs, to read more than max postings
 * of the index together fails with LZS_ERR_LIMIT, code "limit", err->cost filled. A prefix
 * reads the postings of every term it expands to; an OR list the postings of each of its
 * alternatives (lzs_xquery_cost of each), wherever it stands in the query. Plain queries
 * (words with their forms and synonyms, phrases, filters, browsing, grouping) are never
 * refused by it: their cost is not counted. Default LZS_SEARCH_MAX_POSTINGS; 0: no limit. */
void lzs_searcher_set_max_postings(lzs_searcher_t *s, uint64_t max);
/* The most terms the prefixes of one query may expand to, together (each prefix alone
 * too): more fail with LZS_ERR_LIMIT, code "limit", err->cost filled. Default
 * LZS_SEARCH_MAX_WILDCARD; 0: no limit. */
void lzs_searcher_set_max_expansion(lzs_searcher_t *s, uint32_t max);
/* A query whose match set takes the matcher more than min_postings postings (estimated as
 * lzs_searcher_set_max_postings counts them, over the whole query) has its exact totals and
 * facets read on a second thread, over a second read-only handle on the index that the
 * searcher opens when first needed, while the calling thread weighs the page: on two cores
 * the answer takes the longer of the two instead of both. Queries with phrases are read in
 * one weighted match instead (its position checks would be run twice). Default
 * LZS_SEARCH_PARALLEL_POSTINGS; 0: always one thread. Where a second handle cannot serve
 * (a remote index, a collection filter, a commit the searcher has not reopened to yet) the
 * two are read one after the other. */
#define LZS_SEARCH_PARALLEL_POSTINGS 20000
void lzs_searcher_set_parallel(lzs_searcher_t *s, uint64_t min_postings);
/* Moves to the latest committed revision of the index. */
lzs_status_t lzs_searcher_reopen(lzs_searcher_t *s);
/* Document count and revision of the index as this searcher sees it (over several, the
 * first's revision; 0 when the first is a remote database, which reports none). */
lzs_status_t lzs_searcher_stats(lzs_searcher_t *s, uint32_t *doccount, uint64_t *revision);
/* Bytes the searcher keeps in memory for exact counts: the facet columns of the revision it
 * searches (read on first use), their labels and the cached counts of filter-only
 * requests. With a pool these bytes are shared with the other searchers at the same state:
 * do not add up the searchers' figures, ask the pool (lzs_search_pool_bytes). */
size_t lzs_searcher_column_bytes(const lzs_searcher_t *s);

/* A pool of facet columns, shared by the searchers of one process (the threads of a
 * daemon): searchers at the same state of the same indexes (each sub-database's UUID and
 * revision, the collection names, the extractor) count over one copy of the columns, their
 * labels and the cache of filter-only counts, read once by whichever thread needs a
 * column first (with its own index handle) and freed when the last searcher at that state
 * moves on (lzs_searcher_reopen to a new revision) or is closed. A searcher over a remote
 * index (which reports no revision) keeps columns of its own even with a pool.
 *
 * Threads: a pool may be used by any number of searchers in any threads at once (it locks
 * what it shares); creating and destroying it are not: the pool must outlive every
 * searcher given it. Caller frees *out with lzs_search_pool_destroy(), after closing those
 * searchers. */
typedef struct lzs_search_pool lzs_search_pool_t;
lzs_status_t lzs_search_pool_create(lzs_search_pool_t **out);
void lzs_search_pool_destroy(lzs_search_pool_t *pool);
/* Bytes held by the pool's columns (of every state some searcher is at), each copy
 * counted once: what lzs_searcher_column_bytes reports of one searcher, not the sum over
 * the searchers. 0 for NULL. Any thread. */
size_t lzs_search_pool_bytes(lzs_search_pool_t *pool);
/* States (index revisions) the pool holds columns of: 1 while every searcher given it is at
 * the same one. 0 for NULL. Any thread. */
size_t lzs_search_pool_revisions(lzs_search_pool_t *pool);
/* Makes s count over pool's columns (pool borrowed: must outlive s; NULL: columns of its
 * own again, the default), from its next search on: columns it held are let go. */
void lzs_searcher_set_pool(lzs_searcher_t *s, lzs_search_pool_t *pool);
/* The collections searched (one per database: lzs_searcher_open_named), in Xapian's order.
 * lzs_searcher_collection gives collection i's name (*name borrowed: valid until the
 * searcher is closed) and its revision (*revision, known 1) or *known 0 when the database
 * reports none (a remote one). */
size_t lzs_searcher_collections(const lzs_searcher_t *s);
lzs_status_t lzs_searcher_collection(lzs_searcher_t *s, size_t i, const char **name,
                                     uint64_t *revision, int *known);
/* When the revision this searcher sees was committed (LZS_META_COMMITTED: seconds since the
 * Epoch) into *when; LZS_ERR_NOT_FOUND for an index written before lzs-index recorded it. */
lzs_status_t lzs_searcher_committed(lzs_searcher_t *s, int64_t *when);

/* The label a search answer gives value among the values of facet (one LZS_FACET_* bit):
 * "implementation-report" -> "Implementation report" (type), "fr" -> "French" (lang),
 * "23" -> "Art. 23 – Solicitation of children ..." (article). Caller frees with free();
 * NULL when out of memory, facet is not one facet, or value is NULL. */
char *lzs_search_value_label(const lzs_searcher_t *s, unsigned facet, const char *value);

/* Runs a search. On success *out is
 *   {"api":1,"total":N,"took_ms":F,"suggestion":null|"...","query":{"read_as":{...}},
 *    "hits":[...],"facets":{...}}
 * with hits as in docs/api.md: {"id","score","doc":{...},"passage":{...},"snippet":[...],
 * "matches" (group=document only), "explain" (req->explain only)}; "snippet" is a list of
 * {"text": "...", "mark": bool} segments so that no document text is ever interpreted as
 * markup. "query.read_as" says how the query was read: each term with the forms it
 * matches, the synonyms and other-language terms of the thesaurus it expanded to, the
 * Party it names; the filters; the language it was read in. Facet values carry "recs",
 * the distinct recommendations (passage.rec_key) among their passages.
 * Caller frees *out with json_decref(). On failure *out is NULL and err (may be NULL) is
 * filled. */
lzs_status_t lzs_search_run(lzs_searcher_t *s, const lzs_search_req_t *req, json_t **out,
                            lzs_search_error_t *err);

/* One document: {"api":1,"doc":{...,"files":[{"path","format"}],"versions":[{"id","lang",
 * "title"}]},"passages":[{"id", ...passage fields}]} in reading order; doc.files lists the
 * document's files, the one that gives its passages first (schema.h, "lzs:docfiles:");
 * doc.versions its other language versions (the documents with its version key).
 * LZS_ERR_NOT_FOUND when no such document. */
lzs_status_t lzs_search_document(lzs_searcher_t *s, const char *doc_id, json_t **out,
                                 lzs_search_error_t *err);

/* The n-th file (1-based, as in doc.files) of a document: its absolute path on this
 * machine as the indexer recorded it (*path: caller frees with free()) and its format
 * ("pdf", ...; *format: caller frees with free()). LZS_ERR_NOT_FOUND (err filled) when
 * the document or that file is not in the index. */
lzs_status_t lzs_search_file(lzs_searcher_t *s, const char *doc_id, unsigned n, char **path,
                             char **format, lzs_search_error_t *err);

/* When the indexer last wrote the passages of document doc_id ("2026-12-05T11:18:50Z",
 * schema.h LZS_META_INDEXED_PREFIX): *when (caller frees with free()) is NULL when the
 * index does not say (an index of schema 5 or older). The feed's time of an undated
 * document. */
lzs_status_t lzs_search_doc_indexed(lzs_searcher_t *s, const char *doc_id, char **when);

/* Passages like passage_id ("more like this"): {"api":1,"id":...,"hits":[...]} with at
 * most size hits, the passage itself excluded. */
lzs_status_t lzs_search_similar(lzs_searcher_t *s, const char *passage_id, uint32_t size,
                                json_t **out, lzs_search_error_t *err);

/* Every matching passage (up to LZS_SEARCH_EXPORT_CAP; offset, size and group of req are
 * ignored), in req's sort order, passed one at a time to cb as a hit object (borrowed:
 * valid during the call). cb returns 0 to go on. *total (may be NULL) gets the number of
 * matches, *capped whether the cap cut the list. Once a hit has been passed to cb the
 * export is never tried again: a commit that overwrites what it reads after that ends it
 * with LZS_ERR_MODIFIED (err says to run it again). */
typedef int (*lzs_search_hit_cb)(void *ud, const json_t *hit);
lzs_status_t lzs_search_export(lzs_searcher_t *s, const lzs_search_req_t *req, lzs_search_hit_cb cb,
                               void *ud, uint32_t *total, int *capped, lzs_search_error_t *err);

/* Parties compared: the recommendations addressed to each of the Parties parties[0 ..
 * nparties) (ISO codes or any name of the gazetteer; two to LZS_SEARCH_MAX_VALUES
 * distinct Parties, else LZS_ERR_INVALID / LZS_ERR_LIMIT with param "party"), among the
 * passages req matches (its query and filters, compiled as lzs_search_run compiles them;
 * offset, size, sort, group, facets, explain and snippet_chars are ignored; an addressee
 * filter is refused: the Parties compared are the addressees). A recommendation is one
 * entry however many documents and languages state it (its passage.rec_key; one without
 * key is an entry of its own), with its other copies as "versions". On success *out is
 *   {"api":1,"took_ms":F,"query":{"read_as":{...}},
 *    "parties":[{"code","name","total"}],"all":{"total"},"total":N,"passages":N,
 *    "capped":bool,"rows":[{"article","label","total","cells":[{"party","recs":[REC]}],
 *    "all":[REC]}]}
 * with REC {"key","rec_id","rec_key","level","text","passage","doc","lang","addressees",
 * "versions":[{"passage","doc","lang","rec_id"}]}: rows by article of the Convention (a
 * recommendation citing several articles is in each of their rows; "article" null: those
 * citing none, last), a cell per Party in the order given, "all" the recommendations
 * addressed to all Parties. Passages read: at most LZS_SEARCH_EXPORT_CAP ("capped").
 * docs/api.md (GET /api/compare) says what each field means. Caller frees *out with
 * json_decref(). On failure *out is NULL and err (may be NULL) is filled. */
lzs_status_t lzs_search_compare(lzs_searcher_t *s, const lzs_search_req_t *req,
                                const char *const *parties, size_t nparties, json_t **out,
                                lzs_search_error_t *err);

#ifdef __cplusplus
}
#endif

#endif
