/* schema.h — the index schema: term prefixes, value slots, stored data, metadata keys.
 *
 * This is the one place the layout of a lanzasearch index is written down. The indexer
 * writes it, search reads it. Any incompatible change bumps LZS_SCHEMA_VERSION; readers
 * refuse an index whose "lzs:schema" metadata differs, with a clear message.
 *
 * One Xapian document per passage.
 *
 * Free-text terms (from lzs_text_tokenize() over the passage text, and over the section
 * headings with wdf but no positions):
 *   (no prefix)  token->folded, with positions (phrase and near queries)
 *   E            token->norm when it differs from ->folded (accents kept), with positions
 *   Z            lzs_text_stem(passage language, token->norm), for every LZS_TOK_ALPHA
 *                token, also when the stem equals the word (schema 3: schema 2 left those
 *                out, which made every query look each stem up twice and kept plain
 *                Xapian query parsers from reading the index); and, when the token has
 *                accents, the stem of its accent-folded form too (schema 5): a stemmer
 *                reads "Röszke" and "roszke" differently, and a query typed without
 *                accents must find the word written with them
 *
 * Boolean terms (filters; "XA:all" marks a recommendation addressed to all Parties):
 *   Q   unique passage id          "Q" + "T-ES(2021)31:13"
 *   XD: document id                "XD:T-ES(2021)31"
 *   XF: absolute path of the file  "XF:/abs/path/corpus/000_....txt"
 *   XP: Party mentioned            "XP:NO"
 *   XA: addressee                  "XA:NO", "XA:all"
 *   XR: article, base number and full citation   "XR:38", "XR:38(2)"
 *   Y:  year                       "Y:2021"; "Y:none" for an undated document (schema 4)
 *   XL: level                      "XL:require"
 *   XT: document type              "XT:factsheet"
 *   L:  language                   "L:en"
 *   XREF: reference, case-folded, with and without language suffix
 *                                  "XREF:t-es(2021)31", "XREF:t-es(2021)31_en"
 *   XREC: recommendation id, case-folded, as written and normalised (schema 5: "R V-17"
 *         gives "XREC:r v-17" and "XREC:v-17")       "XREC:v-17"
 *   XRK: recommendation key (passage.rec_key), case-folded (schema 5)
 *                                  "XRK:2nd-round:v-17"
 *   XV: version key of the document (lzs_document_t.version_key, shared by its language
 *       versions; schema 5)        "XV:T-ES(2019)07"
 *   XK: passage kind               "XK:recommendation"
 *   XCD: a document the passage cites, by the cited document's id as the citation
 *        normalises it (passage.cites; schema 6)   "XCD:T-ES(2019)07", "XCD:T-ES(2019)07_fr"
 *   XCR: a recommendation the passage cites, by its resolved key, case-folded
 *        (passage.cites_recs; schema 6)            "XCR:2nd-round:v-17", "XCR:t-es(2018)15:v-17"
 *   XCRI: the identifier of every recommendation the passage cites, resolved or ambiguous,
 *        normalised and case-folded (schema 6)    "XCRI:v-17"
 *   XI: an instrument the passage cites, by its key in instruments.tsv, and an article of
 *       one as "<key>-art<N>" (passage.instruments; schema 6)   "XI:echr", "XI:echr-art8"
 *   XCO: an opinion or declaration the passage cites by title, by its key in opinions.tsv
 *        (passage.cites_opinions; schema 7)       "XCO:art23-opinion"
 *   XOK: on every passage of a document that is an opinion or declaration of opinions.tsv,
 *        its key (document.opinion; schema 7)     "XOK:art23-opinion"
 *
 * Citations live on the citing passage only: a document's incoming citations ("cited by")
 * are found at query time by searching XCD: for its id, so a document indexed after the
 * documents that cite it has them at once, and a deleted citing document takes its
 * citations with it. For the same reason a title cited (XCO:) is linked to the document that
 * has its key (XOK:) when a search reads them.
 *
 * Passage ids are "<document id>:<ordinal>", e.g. "T-ES(2021)31:13".
 */
#ifndef LZS_SCHEMA_H
#define LZS_SCHEMA_H

#ifdef __cplusplus
extern "C" {
#endif

#define LZS_SCHEMA_VERSION "7"

#define LZS_PFX_EXACT "E"
#define LZS_PFX_STEM "Z"
#define LZS_PFX_ID "Q"
#define LZS_PFX_DOC "XD:"
#define LZS_PFX_FILE "XF:"
#define LZS_PFX_PARTY "XP:"
#define LZS_PFX_ADDRESSEE "XA:"
#define LZS_PFX_ARTICLE "XR:"
#define LZS_PFX_YEAR "Y:"
#define LZS_PFX_LEVEL "XL:"
#define LZS_PFX_TYPE "XT:"
#define LZS_PFX_LANG "L:"
#define LZS_PFX_REF "XREF:"
#define LZS_PFX_REC "XREC:"
#define LZS_PFX_KIND "XK:"
#define LZS_PFX_RECKEY "XRK:"
#define LZS_PFX_VERSION "XV:"
#define LZS_PFX_CITES_DOC "XCD:"
#define LZS_PFX_CITES_REC "XCR:"
#define LZS_PFX_CITES_RECID "XCRI:"
#define LZS_PFX_INSTRUMENT "XI:"
#define LZS_PFX_CITES_OPINION "XCO:"
#define LZS_PFX_OPINION "XOK:"
/* + a phrase's key (its terms joined by single spaces, lzs_tokens_phrase_term): a boolean
 * term (wdf 0, so passage lengths stay as they are) on every passage whose text holds the
 * phrase at consecutive positions, exactly where a phrase query would find it. Written for
 * the multi-word terms of the thesaurus and of the synonym groups (both readings of a
 * hyphenated word), so that search finds them by a term instead of reading positions. Only
 * the phrases LZS_META_PHRASES lists are on every passage. */
#define LZS_PFX_PHRASE "XPH:"

/* The year of an undated document, in Y: terms and LZS_SLOT_YEAR (sorts after every year
 * as text; ranges of years are closed at both ends so that it is never in one). */
#define LZS_YEAR_NONE "none"

/* Separator of multi-valued slots. */
#define LZS_MULTI_SEP '\n'

/* Value slots. */
enum {
    LZS_SLOT_DOCID = 0,       /* document id: collapse key for one hit per document */
    LZS_SLOT_DATE = 1,        /* ISO date as text ("2021-10-07"): sorts and ranges as strings */
    LZS_SLOT_YEAR = 2,        /* "2021", or LZS_YEAR_NONE for an undated document */
    LZS_SLOT_LEVEL = 3,       /* "require" ... or empty */
    LZS_SLOT_TYPE = 4,        /* "decisions" ... */
    LZS_SLOT_LANG = 5,        /* "en" */
    LZS_SLOT_PARTIES = 6,     /* multi: ISO codes of Parties mentioned */
    LZS_SLOT_ADDRESSEES = 7,  /* multi: ISO codes or "all" */
    LZS_SLOT_ARTICLES = 8,    /* multi: base article numbers ("38") for facet counts */
    LZS_SLOT_ORDER = 9,       /* reading order: document id, '\0', sortable passage ordinal */
    LZS_SLOT_ORDINAL = 10,    /* sortable_serialise(passage ordinal) */
    LZS_SLOT_KIND = 11,       /* "paragraph" ... */
    LZS_SLOT_REC = 12,        /* recommendation id as written ("V-17") or empty */
    LZS_SLOT_RECKEY = 13,     /* recommendation key ("2nd-round:V-17") or empty: facets
                                 count the distinct keys of each value (schema 5) */
    LZS_SLOT_VERSION = 14,    /* version key of the document (schema 5) */
    LZS_SLOT_CITES = 15,      /* multi: ids of the documents the passage cites (schema 6),
                                 then the keys of the opinions it cites by title (schema 7) */
    LZS_SLOT_INSTRUMENTS = 16 /* multi: instrument keys the passage cites, articles of
                                 instruments ("echr-art8") included (schema 6) */
};

/* Document data: UTF-8 JSON object
 *   {"id": passage id,
 *    "doc": {"id","ref","title","type","date","year","lang","source","url"},
 *    "passage": {"no","label","kind","section","text","rec_id","rec_key","level",
 *                "addressees","parties","articles","page","cites","cites_recs",
 *                "cites_ambiguous","instruments"}}
 * exactly the shape of a search hit minus "score", "snippet" and "matches". "source" is the
 * file's path below the corpus directory it was found in ("000_61b0df1d91b66db2.txt",
 * "sub/x.md"), never where the server keeps the corpus. */

/* Spelling table: the folded ALPHA tokens of passage texts (3 characters or more, without
 * digits, not codes), with their frequencies.
 * Synonym table (from the data file synonyms.tsv, rewritten on every indexer run): each term
 * of a group has the other terms of its group as synonyms. Keys and synonyms are the folded
 * forms of the term's tokens (lzs_text_phrase_key()) joined by single spaces, leaving out the
 * tokens that lie inside a code or a joined word: "Co-operation" -> "cooperation",
 * "child sexual abuse material" -> "child sexual abuse material", "CSAM" -> "csam".
 * File entries: LZS_META_FILE_PREFIX + absolute path ->
 *   {"sha256": SHA-256 of the file's bytes (then, when a NAME.meta.json sidecar exists,
 *              of "\0sidecar\0" and the sidecar's bytes), lower-case hex,
 *    "doc": document id, "passages": number of passages indexed from it,
 *    "source": the file's path below its corpus directory,
 *    "alt": true when the file is another format of a document that a file read better
 *           gives (its passages 0); entries of older runs have no "source" nor "alt"}
 * Files of a document: LZS_META_DOCFILES_PREFIX + document id ->
 *   [{"path": path below the corpus directory, "format": "docx", "file": absolute path}]
 *   the file that gives the passages first, then by format (docx, odt, html, md, txt, pdf)
 *   and path; rewritten at the end of each run. An index of an older run may lack it: the
 *   document's one file is then its passages' "source". */

/* Metadata keys. */
#define LZS_META_SCHEMA "lzs:schema"     /* LZS_SCHEMA_VERSION */
#define LZS_META_FILE_PREFIX "lzs:file:" /* + source path -> JSON {"sha256","doc","passages"} */
#define LZS_META_LANGS "lzs:langs"       /* space-separated languages present ("en fr") */
#define LZS_META_STATS "lzs:stats"       /* JSON summary of the last indexer run */
#define LZS_META_DOCFILES_PREFIX "lzs:docfiles:" /* + document id -> JSON list of files */
/* + document id -> when its passages were last written, "2026-12-05T11:18:50Z" (schema 6):
 * the feed's "updated" for an undated document. A time, so dumps that compare an index with
 * a clean build leave these keys out, like "lzs:stats". */
#define LZS_META_INDEXED_PREFIX "lzs:indexed:"
/* When the run that made this revision committed: seconds since the Epoch, decimal. Every
 * run writes it, so a replica tells from it how old the revision it serves is. */
#define LZS_META_COMMITTED "lzs:committed"
/* The keys of the phrases whose LZS_PFX_PHRASE term every passage of this revision was
 * given where it holds them, by first word then key, separated by '\n'. A clean run (a new
 * index, or --rebuild) lists what it wrote; any other run keeps only the keys both it and
 * the runs before wrote. Absent (an index of an older program): none, search reads
 * positions. Every shard holds it. */
#define LZS_META_PHRASES "lzs:phrases"

#ifdef __cplusplus
}
#endif

#endif
