/* compile_internal.h — what the files of the query compiler (lib/search/compile_*.c) share:
 * query vectors, the build context and the steps each file offers the others. Not part of
 * the public API.
 */
#ifndef LZS_COMPILE_INTERNAL_H
#define LZS_COMPILE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "search_internal.h"

/* A growable list of built queries (owned until combined or freed). */
typedef struct {
    lzs_xquery_t **v;
    size_t n, cap;
} lzs_qvec_t;

typedef struct {
    lzs_searcher_t *s;
    const char *q;
    lzs_compiled_t *c;
    lzs_search_error_t *err;
    const char *langs[LZS_SEARCH_MAX_LANGS]; /* stemming languages */
    size_t nlangs;
    int need_folded; /* some passages have no stems: match the folded form too */
    /* 1 while building a quoted phrase: it weighs as its words, never as one term of a
     * synonym (whose weight reads the phrase's wdf), so a phrase with a phrase term can
     * leave its positions unread (phrase_from_tokens) */
    int phrase_alone;
    /* The cost limit (wildcards and OR lists only, lzs_searcher_set_max_postings): each
     * prefix and OR list is counted once, an OR list or prefix inside another counted one
     * being part of it. */
    uint64_t wildcard_terms; /* terms the query's prefixes expand to, all together */
    int in_costly;           /* > 0 while building the parts of a counted OR list */
    uint64_t cost_postings;  /* postings the counted prefixes and OR lists read, together */
    uint64_t top_postings;   /* the costliest of them, for the message: its postings, */
    uint64_t top_count;      /* its terms (a prefix) or alternatives (an OR list), */
    int top_pos;             /* where it starts in the query */
    int top_is_or;
    char top_prefix[48]; /* the prefix as typed (cut), when it is a prefix */
    /* What is being built, for read_as and explain: the term of the query (-1: none), and
     * whether it is one of its alternatives (a synonym, a thesaurus term, a Party's other
     * name: alt_text) rather than the words as typed. */
    lzs_reading_t *rd;
    long term;
    int alt;
    const char *alt_text;
} lzs_build_t;

typedef struct {
    lzs_xquery_t *q; /* NULL: nothing (a word of punctuation only) */
    int weighted;
} lzs_built_t;

/* ---- query vectors and the build context (compile_request.c) ---------------------------- */

lzs_status_t lzs_qvec_push(lzs_qvec_t *qv, lzs_xquery_t *q);

void lzs_qvec_free(lzs_qvec_t *qv);

/* Combines the queries of qv with op and empties qv (its queries are consumed either
 * way). One query is returned as is; none gives *out NULL. */
lzs_status_t lzs_qvec_combine(lzs_qvec_t *qv, lzs_xquery_op_t op, uint32_t window,
                              lzs_xquery_t **out);

lzs_status_t lzs_compile_xq_term(const char *prefix, const char *term, lzs_xquery_t **out);

/* Records a form of the term being built for read_as (the words as typed only). */
lzs_status_t lzs_compile_note_form(lzs_build_t *b, const char *form);

/* Records Xapian terms of the term being built for explain, shown as display (or as the
 * alternative's text). */
lzs_status_t lzs_compile_note_xterms(lzs_build_t *b, const char *display, int all,
                                     const char *const *xterms, size_t n);

lzs_status_t lzs_compile_note_xterm(lzs_build_t *b, const char *prefix, const char *term,
                                    const char *display);

lzs_status_t lzs_compile_marks_add_phrase(lzs_marks_t *m, const char *phrase);

/* ---- word forms (compile_forms.c) ------------------------------------------------------- */

/* The forms of one normalized token: its stems in each language (of the word and, when it
 * has accents, of its folded form: the index has both), and the folded form when needed.
 * mark: record them for snippets. */
lzs_status_t lzs_compile_word_forms(lzs_build_t *b, const lzs_token_t *tok, int mark,
                                    lzs_xquery_t **out);

/* Primary tokens of a token list: codes and joined hyphenated words stand for the parts
 * inside them; the parts are skipped. covered[i] is set for skipped tokens. */
int *lzs_compile_primary_mask(const lzs_tokens_t *toks);

/* A quoted phrase, or a multi-word synonym: the phrase of its parts, OR the phrase with
 * hyphenated words joined. */
lzs_status_t lzs_compile_phrase_query(lzs_build_t *b, const char *text, size_t len,
                                      lzs_xquery_t **out);

/* One whitespace-delimited word of the query (it may hold several tokens: "co-operation",
 * "l'article", "T-ES(2021)31"). *single gets the token when the word is one plain token
 * (for the spelling check), borrowed from *toks_out which the caller destroys. */
lzs_status_t lzs_compile_word_query(lzs_build_t *b, const char *text, lzs_xquery_t **out,
                                    lzs_tokens_t **toks_out, const lzs_token_t **single);

/* ---- field filters (compile_filters.c) -------------------------------------------------- */

/* Records a filter for read_as: the value as the filter reads it (a Party's ISO code, a
 * level or type in lower case) and its label (the Party's name). */
lzs_status_t lzs_compile_read_filter(lzs_searcher_t *s, lzs_reading_t *rd, lzs_field_t f,
                                     const char *value, const char *source, int negated);

lzs_status_t lzs_compile_request_filters(lzs_searcher_t *s, const lzs_search_req_t *req,
                                         lzs_reading_t *rd, lzs_xquery_t **out,
                                         lzs_search_error_t *err);

/* ---- the cost limit (compile_cost.c) ---------------------------------------------------- */

/* Adds a prefix or OR list (not inside another counted one) to the query's cost. */
void lzs_compile_count_costly(lzs_build_t *b, int pos, uint64_t postings, uint64_t count, int is_or,
                              const char *prefix);

/* Refuses the query for its cost: err gets the message and the estimate with the limits
 * (the postings counted so far and `pending` more, of a part not counted yet). */
__attribute__((format(printf, 4, 5))) lzs_status_t
lzs_compile_cost_fail(lzs_build_t *b, uint64_t pending, int position, const char *fmt, ...);

/* The postings a built part reads (lzs_xquery_cost); none for nothing. */
lzs_status_t lzs_compile_part_postings(lzs_build_t *b, const lzs_xquery_t *q, uint64_t *sum);

/* Over the limit, the query is refused naming its costliest prefix or OR list. */
lzs_status_t lzs_compile_check_cost(lzs_build_t *b);

/* ---- the syntax tree (compile_tree.c) --------------------------------------------------- */

/* Builds the query of node n (negated: under a NOT) into *out; recursive over the tree. */
lzs_status_t lzs_compile_build_node(lzs_build_t *b, const lzs_qnode_t *n, int negated,
                                    lzs_built_t *out);

/* The query of one word as typed, with the spelling check when respell is set; no
 * read_as term of its own. */
lzs_status_t lzs_compile_word_unit(lzs_build_t *b, const lzs_qnode_t *n, int respell,
                                   lzs_built_t *out);

/* Starts a read_as term for len bytes of the query at text; the forms built next belong to
 * it. */
lzs_status_t lzs_compile_begin_term(lzs_build_t *b, const char *kind, const char *text, size_t len,
                                    int negated);

void lzs_compile_end_term(lzs_build_t *b);

lzs_status_t lzs_compile_build_word(lzs_build_t *b, const lzs_qnode_t *n, int negated,
                                    lzs_built_t *out);

/* ---- runs of words (compile_runs.c) ----------------------------------------------------- */

/* Words kids[0..nk) of an AND: the longest runs that are something as a whole (a synonym, a
 * thesaurus term, a Party's name) with their alternatives, the other words alone. Results
 * are pushed on w. */
lzs_status_t lzs_compile_build_word_run(lzs_build_t *b, lzs_qnode_t *const *kids, size_t nk,
                                        lzs_qvec_t *w);

/* ---- the query's language (compile_lang.c) ---------------------------------------------- */

/* Language filter values found in the query (not under NOT). */
void lzs_compile_collect_langs(lzs_build_t *b, const lzs_qnode_t *n, int negated, char found[][8],
                               size_t *nfound);

/* The language the query is read in: the one language filter, else the language its words
 * belong to by the index's vocabularies. */
lzs_status_t lzs_compile_query_lang(lzs_build_t *b, const lzs_qnode_t *root, char found[][8],
                                    size_t nfound);

/* Failing the index's vocabularies (words it does not have), the language of the thesaurus
 * terms the query's runs of words are. */
void lzs_compile_thesaurus_lang(lzs_reading_t *rd);

/* Among equally good matches, those in the query's language first (when the query was not
 * restricted to a language and reaches others). */
lzs_status_t lzs_compile_prefer_lang(lzs_searcher_t *s, lzs_reading_t *rd, lzs_xquery_t **final);

#endif
