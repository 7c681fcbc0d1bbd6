/* model.h — the document model: a document's metadata and its passages.
 *
 * This is what the extractor produces, the indexer stores and search returns. Plain
 * structs, owned as a tree: lzs_document_free() releases a document and everything in it.
 * All strings are valid UTF-8.
 */
#ifndef LZS_MODEL_H
#define LZS_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "lzs/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    LZS_DOC_DECISIONS,
    LZS_DOC_OPINION,
    LZS_DOC_DECLARATION,
    LZS_DOC_IMPLEMENTATION_REPORT,
    LZS_DOC_COMPLIANCE_REPORT,
    LZS_DOC_FACTSHEET,
    LZS_DOC_INFORMATION_NOTE,
    LZS_DOC_ACTIVITY_REPORT,
    LZS_DOC_PRESENTATION,
    LZS_DOC_AGENDA,
    LZS_DOC_MEETING_REPORT,
    LZS_DOC_QUESTIONNAIRE,
    LZS_DOC_WORKING_GROUP_REPORT,
    LZS_DOC_OTHER,
    LZS_DOC_TYPE_COUNT
} lzs_doctype_t;

typedef enum {
    LZS_KIND_HEADING,
    LZS_KIND_PARAGRAPH,
    LZS_KIND_RECOMMENDATION,
    LZS_KIND_LIST_ITEM,
    LZS_KIND_FOOTNOTE,
    LZS_KIND_COUNT
} lzs_kind_t;

typedef enum {
    LZS_LEVEL_NONE, /* not a recommendation */
    LZS_LEVEL_REQUIRE,
    LZS_LEVEL_REQUEST,
    LZS_LEVEL_INVITE,
    LZS_LEVEL_URGE,
    LZS_LEVEL_CONSIDER,
    LZS_LEVEL_COUNT
} lzs_level_t;

/* A growable list of owned strings. */
typedef struct {
    char **items;
    size_t n, cap;
} lzs_strlist_t;

typedef struct {
    uint32_t ordinal;          /* 1-based position in reading order */
    char *label;               /* as a reader cites it: "13", "V-17", "III.2"; may be NULL */
    lzs_kind_t kind;
    lzs_strlist_t section;     /* headings above it, outermost first */
    char *text;                /* plain text: no markdown, no footnote markers */
    lzs_strlist_t parties;     /* ISO 3166 alpha-2 codes of the Parties it mentions, sorted */
    lzs_strlist_t articles;    /* normalized citations "38(2)", "20(1)(f)", "23"; for a
                                  recommendation also those of its section heading */
    char *rec_id;              /* recommendation identifier as written ("V-17", "R V-17") or
                                  NULL */
    char *rec_key;             /* the recommendation's identity across languages and
                                  restatements ("2nd-round:V-17", see extract.h) or NULL */
    lzs_level_t level;         /* LZS_LEVEL_NONE unless a recommendation */
    lzs_strlist_t addressees;  /* ISO codes, or the single item "all" */
    unsigned page;             /* 1-based page of the source it starts on; 0 when the
                                  format has no pages */
    lzs_strlist_t cites;       /* ids of the documents it cites ("T-ES(2019)07",
                                  "T-ES(2019)07_fr"), in order of first mention */
    lzs_strlist_t cites_recs;  /* keys of the recommendations it cites, resolved
                                  ("2nd-round:V-17", "T-ES(2018)12:I-6"; extract.h) */
    lzs_strlist_t cites_ambiguous; /* identifiers of recommendations it cites that stay
                                      ambiguous ("V-17") */
    lzs_strlist_t instruments; /* keys of instruments.tsv it cites ("echr", "echr-art8") */
    lzs_strlist_t cites_opinions; /* keys of opinions.tsv it cites by title and not by code
                                     ("art23-opinion"), in order of first mention */
} lzs_passage_t;

typedef struct {
    char *id;         /* stable: the reference code without revision; the English version
                         (or a document without language suffix in English) has the bare
                         code ("T-ES(2021)31"), every other language its suffix
                         ("T-ES(2021)31_fr"); without a code, derived from the file name */
    char *ref;        /* reference code as printed, with its language suffix and without
                         its revision ("T-ES(2021)31_en"), or NULL */
    char *revision;   /* "rev", "rev2", ..., "final", or NULL */
    char *title;
    lzs_doctype_t type;
    int draft;        /* 1 when the document calls itself a draft */
    char *date;       /* ISO 8601, as precise as known: "2021-10-07", "2023-10", "2019";
                         the first day of a meeting's span; NULL if unknown */
    char *date_end;   /* the last day when the date is a span, else NULL */
    char *adopted;    /* date of adoption by the Committee, when the document says it */
    int year;         /* 0 if unknown */
    char lang[8];     /* ISO 639-1 ("en", "fr") */
    char *source;     /* path of the source file */
    char *url;        /* from the sidecar, or NULL */
    char *version_of; /* from the sidecar: id of the document this is a language version
                         of, or NULL */
    char *version_key; /* shared by the document's language versions (extract.h) */
    char *round;       /* key of the monitoring round (rounds.tsv) it belongs to, or NULL */
    char *opinion;     /* key of the opinion or declaration of opinions.tsv it is, or NULL */
    lzs_passage_t *passages;
    size_t npassages;
} lzs_document_t;

/* Names used in the index, the API and data files: "decisions", "implementation-report",
 * "require", ... Static strings. */
const char *lzs_doctype_name(lzs_doctype_t t);
const char *lzs_level_name(lzs_level_t l); /* NULL for LZS_LEVEL_NONE */

/* Frees a document and everything in it; NULL is a no-op. */
void lzs_document_free(lzs_document_t *doc);

/* The document as JSON: {"id","ref","title","type","date","year","lang","source","url",
 * "version_of","version_key","round","passages":[{"no","label","kind","section","text",
 * "rec_id","rec_key","level","addressees","parties","articles","page","cites","cites_recs",
 * "cites_ambiguous","instruments"}]}. Caller frees with
 * json_decref(). NULL when out of memory. */
json_t *lzs_document_to_json(const lzs_document_t *doc);

#ifdef __cplusplus
}
#endif

#endif
