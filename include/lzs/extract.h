/* extract.h — turning a document file into an lzs_document_t, and the domain data
 * (Party gazetteer, article titles, recommendation level verbs, synonyms) that the
 * extractor, the indexer and search share.
 *
 * The domain data lives in data files (by default corpus/data/): parties.tsv,
 * articles.tsv, levels.tsv, synonyms.tsv, anaphora.tsv (the words of the co-reference
 * rule below), doctypes.tsv (title phrases that announce a document type), months.tsv
 * (month names per language, for dates), headings.tsv (headings that stand at the
 * outermost level, titles of tables of contents), and the optional stopwords.tsv
 * (function words per language, to guess the language of a text; without it the guess
 * is English), thesaurus.tsv (concepts with their English and French terms, for
 * searches across languages) and rounds.tsv (the monitoring rounds, which give
 * recommendations their identity), instruments.tsv (the instruments and judgments the
 * Committee cites, lzs_extract_instruments()) and words.tsv (function words, connectors of
 * addressee lists, articles before State names). A malformed line fails lzs_extract_open() with
 * "FILE:LINE: ...". Each file documents its columns in its leading '#' comments.
 * lzs_extract_open() loads them once; the loaded extractor is immutable and may be shared
 * by any number of threads.
 *
 * Passage kinds are named "heading", "paragraph", "recommendation", "list-item" and
 * "footnote". A passage's articles hold each citation as written ("38(2)") and also the
 * bare article ("38"), so that filtering on an article finds every paragraph of it.
 *
 * A passage's parties are the Parties it mentions: by name, or by reference back to the
 * previous decision paragraph. In a list of decisions, a decision paragraph that refers
 * back to the decision just before it under the same agenda item with a demonstrative
 * noun phrase - a demonstrative ("these", "the above", "cette", ...), optional number
 * words, then a noun that occurs in that previous paragraph and not earlier in its own
 * ("13. Held an online vote on these two options" after "12. Decided to vote on option A
 * (the text as amended by the Russian Federation) and option B") - also mentions the
 * Parties that the previous paragraph mentions (directly or, in turn, by reference).
 * A singular demonstrative before a plural noun is a conjunction ("Noted that Parties"),
 * and set phrases ("this year", "in this respect") point at nothing; anaphora.tsv lists
 * the words per language.
 *
 * Inputs: the formats of the format table (lzs_extract_format()): .txt and .md as the
 * Committee publishes them (markdown emphasis, <sup> footnote markers, [links](#), tables
 * of contents, headings in several styles, text converted from pages with its page
 * furniture), and the published formats whose readers the tree has. Every format runs
 * through the same stages (lib/extract/block.h). A sidecar NAME.meta.json beside NAME.ext
 * supplies or overrides metadata: {"reference","title","type","date","language","url",
 * "version_of","round"} (all optional); every file of one name shares it. "version_of" names
 * the id of the document this one is a language version of; "round" the key of the
 * monitoring round (rounds.tsv) its recommendations belong to.
 *
 * Language versions and recommendation identity. The language versions of a document
 * share a version key (lzs_document_t.version_key): its reference code without language
 * suffix ("T-ES(2019)07" for T-ES(2019)07_en and T-ES(2019)07_fr), or, when its sidecar
 * names the document it is a version of, that document's code (or id, when it has no
 * code); a document with neither has its own id. A recommendation's key (rec_key) is
 * "<round>:<id>" with the identifier normalised ("R V-17" -> "V-17") when the document
 * belongs to a round (rounds.tsv: its sidecar, its title or its text names the round)
 * and the identifier has one of the round's shapes, else "<version key>:<id>": the same
 * recommendation in a French factsheet, an English one and a country factsheet is one
 * key, and what is not known to be the same never shares one.
 */
#ifndef LZS_EXTRACT_H
#define LZS_EXTRACT_H

#include <stddef.h>

#include "lzs/model.h"
#include "lzs/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest text or markdown file accepted, in bytes (the other formats: see
 * lzs_extract_max_size()). */
#define LZS_EXTRACT_MAX_FILE (16u * 1024u * 1024u)
/* Largest file of a published format (PDF, DOCX, ODT, HTML) accepted, in bytes. */
#define LZS_EXTRACT_MAX_BINARY (256u * 1024u * 1024u)
/* Longest passage text, in bytes: a longer paragraph becomes several passages of this size
 * at most, cut at a sentence end or a space, each with the paragraph's label, kind and
 * section. */
#define LZS_PASSAGE_MAX 8192u

typedef struct lzs_extractor lzs_extractor_t;

/* Loads the data files of datadir (NULL: LZS_DATA_DIR env var, else the shipped
 * corpus/data). *errmsg (may be NULL) names the file and line on failure: caller frees
 * with free(). */
lzs_status_t lzs_extract_open(const char *datadir, lzs_extractor_t **out, char **errmsg);
void lzs_extract_close(lzs_extractor_t *ex);
/* Directory the data was loaded from (searchd folds its files into the page's ETag).
 * Borrowed: valid until ex is closed. */
const char *lzs_extract_datadir(const lzs_extractor_t *ex);

/* Extracts one file (and its sidecar NAME.meta.json when present). On failure *out is
 * NULL and *errmsg (may be NULL) says what is wrong with which file ("binary file",
 * "invalid UTF-8 at byte N", "empty file", "file too large", "sidecar: JSON error at line
 * L: ..."): caller frees it with free(). Caller frees *out with lzs_document_free(). */
lzs_status_t lzs_extract_file(const lzs_extractor_t *ex, const char *path, lzs_document_t **out,
                              char **errmsg);

/* Same, from memory. name is the file name (its extension picks the format; used for the
 * id, the language suffix and messages); sidecar is the sidecar's JSON text or NULL. */
lzs_status_t lzs_extract_buffer(const lzs_extractor_t *ex, const char *name, const char *buf,
                                size_t len, const char *sidecar, lzs_document_t **out,
                                char **errmsg);

/* ---- formats ------------------------------------------------------------- */

/* The format of a file by its name's extension: "txt", "md", "pdf", "docx", "odt", "html";
 * NULL when lanzasearch reads no such file. Static string. */
const char *lzs_extract_format(const char *name);
/* Largest file of that format accepted, in bytes; 0 for an unknown name. */
size_t lzs_extract_max_size(const char *name);
/* Path of the sidecar of a document file: "dir/NAME.ext" -> "dir/NAME.meta.json". Caller
 * frees with free(); NULL when out of memory. */
char *lzs_extract_sidecar_path(const char *path);
/* Largest sidecar accepted, in bytes. */
#define LZS_EXTRACT_MAX_SIDECAR (1u << 20)

/* ---- domain data lookups (for search and labels) ------------------------ */

/* English display name of a Party code ("NO" -> "Norway"); NULL when unknown. */
const char *lzs_extract_party_name(const lzs_extractor_t *ex, const char *code);
/* Number of Parties in the gazetteer and the i-th code (for listing). */
size_t lzs_extract_party_count(const lzs_extractor_t *ex);
const char *lzs_extract_party_at(const lzs_extractor_t *ex, size_t i);
/* The names of the Party code as parties.tsv writes them, the English display name first:
 * up to cap of them into names (borrowed: valid until ex is closed). Returns how many there
 * are; 0 for a code that is not a Party. */
size_t lzs_extract_party_names(const lzs_extractor_t *ex, const char *code, const char **names,
                               size_t cap);

/* The instruments the Committee cites (instruments.tsv: the European Convention on Human
 * Rights, the Budapest and Istanbul Conventions, judgments of the European Court of Human
 * Rights, ...): how many, and the key of the i-th ("echr"; NULL out of range). Static
 * within ex. A passage cites an instrument by any of its names and patterns, and an
 * article of one whose "article" names follow the article ("Article 8 ECHR", "Article 8
 * of the European Convention on Human Rights", "article 8 de la CEDH"): key
 * "<key>-art<N>" ("echr-art8"), with the instrument's own key too. */
size_t lzs_extract_instruments(const lzs_extractor_t *ex);
const char *lzs_extract_instrument_key(const lzs_extractor_t *ex, size_t i);

/* The Committee's opinions and declarations (opinions.tsv), which passages cite by title
 * ("its opinion on Article 23", "avis sur l'article 23"): a passage's cites_opinions holds
 * the keys of those it cites by title and not by code. All strings static within ex;
 * code is NULL when the file gives none. */
typedef struct {
    const char *key;      /* "art23-opinion" */
    const char *kind;     /* "opinion" or "declaration" */
    int year;             /* of its adoption */
    const char *code;     /* "T-ES(2015)04", or NULL */
    const char *title_en; /* display titles */
    const char *title_fr;
} lzs_opinion_info_t;
/* How many, and the i-th in file order (NULL out of range). */
size_t lzs_extract_opinions(const lzs_extractor_t *ex);
const lzs_opinion_info_t *lzs_extract_opinion_at(const lzs_extractor_t *ex, size_t i);

/* ---- listing the domain data (for GET /api/meta) -------------------------- */

/* The title of a Convention article by number in lang: "fr" the French title of
 * articles.tsv (NULL when the file gives none), anything else the English one
 * (articles.tsv). Borrowed: valid until ex is closed. */
const char *lzs_extract_article_title_in(const lzs_extractor_t *ex, const char *number,
                                         const char *lang);
/* The languages the extractor recognises (those of stopwords.tsv, ISO 639-1): how many,
 * and the i-th in file order (NULL out of range). Borrowed: valid until ex is closed. */
size_t lzs_extract_languages(const lzs_extractor_t *ex);
const char *lzs_extract_language_at(const lzs_extractor_t *ex, size_t i);
/* The display name of the i-th instrument (lzs_extract_instrument_key()) in lang ("fr",
 * else English): the first name of its row of that language. NULL out of range.
 * Borrowed: valid until ex is closed. */
const char *lzs_extract_instrument_name(const lzs_extractor_t *ex, size_t i, const char *lang);

#ifdef __cplusplus
}
#endif

#endif
