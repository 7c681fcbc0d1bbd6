/* shared_internal.h — what the extract layer gives the other layers of the library (index,
 * search) and the tests, but no program: building documents, and the lookups in the domain
 * data that compiling queries and writing the index need. Programs see documents and list
 * the domain data through lzs/model.h and lzs/extract.h. */
#ifndef LZS_EXTRACT_SHARED_INTERNAL_H
#define LZS_EXTRACT_SHARED_INTERNAL_H

#include <stddef.h>

#include <jansson.h>

#include "lzs/extract.h"
#include "lzs/model.h"
#include "lzs/status.h"

/* ---- the document model, for the library's own builders (model.c) ------------ */
/* Programs read documents (lzs/model.h); the extractor builds them, the indexer turns them
 * into index records and the tests build their own. */

/* Names used in the index, the API and data files (lzs_doctype_name(), lzs_level_name()
 * in lzs/model.h). Static strings. from_name returns -1 when unknown. */
int lzs_doctype_from_name(const char *name);
const char *lzs_kind_name(lzs_kind_t k);
int lzs_kind_from_name(const char *name);
int lzs_level_from_name(const char *name);

/* String lists: push copies s. contains is exact comparison. */
lzs_status_t lzs_strlist_push(lzs_strlist_t *l, const char *s);
lzs_status_t lzs_strlist_push_unique(lzs_strlist_t *l, const char *s);
int lzs_strlist_contains(const lzs_strlist_t *l, const char *s);
void lzs_strlist_sort(lzs_strlist_t *l);
void lzs_strlist_clear(lzs_strlist_t *l);

/* Allocates an empty document: caller frees with lzs_document_free(). */
lzs_document_t *lzs_document_new(void);
/* Appends a zeroed passage with the next ordinal; borrowed pointer into doc, valid until
 * the next append. NULL when out of memory. */
lzs_passage_t *lzs_document_add_passage(lzs_document_t *doc);

/* The "doc" object of lzs_document_to_json() (no passages): caller frees with
 * json_decref(); NULL when out of memory. */
json_t *lzs_document_meta_to_json(const lzs_document_t *doc);
/* One passage as JSON, as in the "passages" of lzs_document_to_json(): caller frees with
 * json_decref(); NULL when out of memory. */
json_t *lzs_passage_to_json(const lzs_passage_t *p);

/* ---- the extractor's lookups that only the library uses ------------------------ */
/* Search compiles queries and filters with these, the indexer ranks formats and writes
 * synonyms with them; no program calls them (lzs/extract.h has what programs list). */

/* Rank of a format when one document comes in several files: lower is read better (docx,
 * odt, html, md, txt, pdf). INT_MAX for an unknown name. */
int lzs_extract_format_rank(const char *name);
/* ISO code of a Party from a code ("NO", "no"), an English or French name or variant
 * ("Norway", "Norvège", "la Norvège", "Turkey"), case and accents ignored. NULL when the
 * name is not a Party (also for non-Parties such as Morocco). Static within ex. */
const char *lzs_extract_party_code(const lzs_extractor_t *ex, const char *name);
/* Title of a Convention article by number ("23" -> "Solicitation of children for sexual
 * purposes"); NULL when the data has none. */
const char *lzs_extract_article_title(const lzs_extractor_t *ex, const char *number);

/* ISO code of the Party that the whole of len bytes of text names by one of its names in
 * the gazetteer, in any language or era ("Turquie", "la Norvège", "the former Yugoslav
 * Republic of Macedonia", "UK"); never by an ISO code, so that words such as "de" or "it"
 * are not taken for Parties. NULL when text is no Party's name. Static within ex. */
const char *lzs_extract_party_by_name(const lzs_extractor_t *ex, const char *text, size_t len);
/* The most words a Party name of the gazetteer spans, with a leading article and
 * preposition ("de la ..."): the longest run of words worth trying as a name. */
size_t lzs_extract_party_name_max_words(const lzs_extractor_t *ex);
/* The bilingual thesaurus (thesaurus.tsv): concept c has a name ("art23", "grooming") and
 * lzs_extract_concept_size(ex, c) terms, each a word or phrase as written with its
 * language (*lang, may be NULL: "en", "fr"). Borrowed: valid until ex is closed; NULL for
 * an index out of range. */
size_t lzs_extract_concepts(const lzs_extractor_t *ex);
const char *lzs_extract_concept_name(const lzs_extractor_t *ex, size_t c);
size_t lzs_extract_concept_size(const lzs_extractor_t *ex, size_t c);
const char *lzs_extract_concept_term(const lzs_extractor_t *ex, size_t c, size_t i,
                                     const char **lang);

/* A recommendation identifier without the "R " that restatements put before an identifier
 * of the roman-number shape: "R V-17" -> "V-17"; other identifiers ("R15", "R XX") as they
 * are. Into buf (cap bytes). */
void lzs_extract_rec_id_normalize(const char *id, char *buf, size_t cap);

/* The id of the document a reference code names, as a citation of it normalises it: the
 * code without revision, with its language suffix unless English ("T-ES(2019)07_en rev."
 * -> "T-ES(2019)07", "T-ES(2015)04_fr" -> "T-ES(2015)04_fr"). Into buf (cap bytes);
 * returns 1, or 0 when code is no reference code. */
int lzs_extract_doc_id_of_code(const char *code, char *buf, size_t cap);

/* Display name of a monitoring round by its key ("2nd-round"); NULL when unknown. */
const char *lzs_extract_round_label(const lzs_extractor_t *ex, const char *key);

/* The display name of an instrument key or article key in lang ("fr", else English) into
 * buf (cap bytes): "European Convention on Human Rights", "Article 8 – European Convention
 * on Human Rights". Returns 1, or 0 when key is no instrument (nor article of one). */
int lzs_extract_instrument_label(const lzs_extractor_t *ex, const char *key, const char *lang,
                                 char *buf, size_t cap);
/* The one with this key (exactly as in the file), or NULL. */
const lzs_opinion_info_t *lzs_extract_opinion(const lzs_extractor_t *ex, const char *key);
/* The key of the opinion or declaration a document is: its type is opinion or declaration,
 * and its reference code (id without language suffix) is the one of the file or its title
 * starts with one of the forms of the file. NULL when it is none. type: lzs_doctype_t;
 * id and title may be NULL. */
const char *lzs_extract_opinion_of(const lzs_extractor_t *ex, int type, const char *id,
                                   const char *title);
/* Synonym groups from synonyms.tsv: group i has lzs_extract_synonym_group_size(ex, i)
 * terms, each a word or a multi-word phrase as written in the file. */
size_t lzs_extract_synonym_groups(const lzs_extractor_t *ex);
size_t lzs_extract_synonym_group_size(const lzs_extractor_t *ex, size_t group);
const char *lzs_extract_synonym(const lzs_extractor_t *ex, size_t group, size_t i);

#endif
