/* stage.h — the stages of extraction after the readers (see block.h for the order) and the
 * state they share while one document is turned into passages. */
#ifndef LZS_EXTRACT_STAGE_H
#define LZS_EXTRACT_STAGE_H

#include <stddef.h>

#include "block.h"
#include "extract_internal.h"

/* Blocks at the top of a document where the header stage looks for metadata lines. */
#define LZS_FRONT_BLOCKS 24

/* ---- shapes of a line or a block's text (classify.c) ------------------------------- */

static inline int lzs_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r' || c == '\n';
}

/* A line made only of -, _, *, =, . (and spaces), three or more: a rule or a page mark.
 * *kind (may be NULL) is the mark, or '?' when they are mixed. */
int lzs_line_is_rule(const char *s, size_t n, char *kind);
/* A contents-list line: text, a dot leader (or tab) and a page number. */
int lzs_line_is_toc_entry(const char *s, size_t n);
/* The length of a contents entry's text without its dot leader and page number. */
size_t lzs_toc_entry_text(const char *s, size_t n);
/* A line that ends with a page number after its text: "1. Introduction 3". */
int lzs_ends_with_page_number(const char *s, size_t n);
/* The title of a contents list (headings.tsv, role "contents"). -1 when out of memory. */
int lzs_is_toc_title(const lzs_extractor_t *ex, const char *plain);
/* Length of a bullet marker (and the space after it) at s, 0 if none. */
size_t lzs_bullet_len(const char *s, size_t n);
/* "12. ", "2.1.1. ", "IV. " at s: fills label (cap bytes), depth and roman, and returns
 * the offset of the text after it; 0 when none. */
size_t lzs_number_len(const char *s, size_t n, char *label, size_t cap, int *depth, int *roman);
/* A list item at s: a bullet ("- ", "• ", "o ") or an item label ("a) ", "(1) ", "a. ",
 * "iv. ", "- a. "). Fills label ("a", "1", "iv"; "" for a bullet) and returns the text
 * offset, 0 when s starts no list item. */
size_t lzs_list_item(const char *s, size_t n, char *label, size_t cap);
/* "A. Monitoring of ...": a heading numbered by a capital letter (not I, V or X, which
 * are roman numerals); fills label ("A") and returns the text offset, 0 if none. */
size_t lzs_letter_len(const char *s, size_t n, char *label, size_t cap);
/* A footnote's own label at the start of a line ("<sup>3</sup> ", "[^3]: ", "³ ",
 * "23 Recommendation", the word one of ex's, borrowed for the call): fills label and
 * returns the text offset, 0 if none. */
size_t lzs_footnote_len(const lzs_extractor_t *ex, const char *s, size_t n, char *label,
                        size_t cap);
/* The text ends a sentence: ".", "!", "?", ";", ":" (also before closing quotes). */
int lzs_ends_terminal(const char *s, size_t n);
/* The last word is one after which a sentence cannot stop ("of", "the", "de", ...: the
 * function words of words.tsv, which ex, borrowed, holds). */
int lzs_ends_with_function_word(const lzs_extractor_t *ex, const char *s, size_t n);
/* The text starts with a lower-case letter or "(". */
int lzs_starts_lower(const char *s);
/* The whole line is wrapped in "**" with nothing bold inside: the inner span. */
int lzs_bold_line(const char *s, size_t n, size_t *in_off, size_t *in_len);

/* The classify stage: numbers, bullets and footnote labels written at the start of the
 * text of the blocks that no reader classified (see block.h), read as the markdown reader
 * reads them on a line. */
lzs_status_t lzs_classify_blocks(const lzs_extractor_t *ex, lzs_blocks_t *bs);

/* ---- the layout stage (layout.c) --------------------------------------------------- */

/* The whole text is a page number as printed: "3", "- 3 -", "3/14", "Page 3 of 14" (the
 * words from ex, borrowed for the call). */
int lzs_layout_is_page_number(const lzs_extractor_t *ex, const char *s);

/* A line of a text file, for the layout stage's reading of text converted from pages. */
typedef struct {
    const char *s;           /* the line, trimmed; not NUL-terminated */
    size_t n;
    unsigned page;           /* 1-based page, counted by form feeds */
    unsigned indent;         /* columns of white space before it */
    unsigned char furniture; /* set by lzs_layout_mark_lines() */
    unsigned char note;      /* starts a note at the bottom of a page ("1 Andorra, ..."),
                                set by lzs_layout_mark_lines() */
    unsigned char hard_break; /* ends with a markdown hard break ("\\", two spaces) */
} lzs_line_t;

/* Marks the page furniture among the lines of a text: page numbers and lines repeated
 * near the page boundaries (running headers and footers), where the boundaries are form
 * feeds or, in a text without them, the page-number lines themselves; and every repeat
 * of the document's reference line. Marks too the lines that start a note at the bottom of
 * a page or at the end of the text: "N text" lines in the last blank-separated blocks
 * before a page boundary. ex (borrowed for the call) gives the words of page numbers.
 * LZS_ERR_NOMEM. */
lzs_status_t lzs_layout_mark_lines(const lzs_extractor_t *ex, lzs_line_t *lines, size_t n);
/* The width at which a text was hard-wrapped (most lines end near it), or 0 when its
 * lines are whole paragraphs. */
size_t lzs_layout_wrap_width(const lzs_line_t *lines, size_t n);

/* Removes page furniture and contents lists, resolves line-end hyphens (U+00AD), joins a
 * paragraph that a page break split, and drops the page-break blocks (every block keeps
 * its page). */
lzs_status_t lzs_layout_clean(const lzs_extractor_t *ex, lzs_blocks_t *bs);

/* ---- reference codes (header.c) ------------------------------------------------------ */

/* A document code as printed: "T-ES(2019)07_en final" -> code "T-ES(2019)07", lang "en",
 * revision "final". */
typedef struct {
    char code[64];     /* series, year and number: "T-ES(2019)07", "T-ES-BU(2019)05" */
    char lang[4];      /* language suffix ("en"), or "" */
    char revision[16]; /* "rev", "rev2", "final", or "" */
} lzs_ref_t;

/* Parses a reference code at the start of s; its length (code, suffix and revision), or
 * 0 when s does not start with one. */
size_t lzs_parse_ref(const char *s, lzs_ref_t *r);

/* ---- the state of one document while it is parsed ---------------------------------- */

typedef struct {
    int rank;
    int numbered; /* 0, 1 (arabic number), 2 (roman), 3 (capital letter) */
    int md_level;
    char *text;
    lzs_strlist_t articles;
} lzs_head_t;

typedef struct {
    const lzs_extractor_t *ex;
    lzs_document_t *doc;
    lzs_status_t st;
    /* structure: the open headings, outermost first */
    lzs_head_t stack[16];
    size_t depth;
    lzs_marks_t *marks; /* per passage: the footnote markers of its text */
    size_t nmarks;
    lzs_words_t words; /* scratch: the folded words of the text at hand */
    unsigned page;     /* page of the block at hand (0: none) */
    /* recommendation context opened by "The Committee requires:" */
    int rec_active;
    lzs_level_t rec_level;
    int rec_all;
    lzs_strlist_t rec_addr;
    /* numbering of decision paragraphs and agenda items */
    long next_para, next_head;
    /* found by the header stage */
    lzs_ref_t ref;      /* code "" when none */
    char date[16];      /* cover date, ISO */
    char date_end[16];  /* last day when the cover date is a span */
    char adopted[16];
    lzs_doctype_t type;
    int have_type;
    int draft;
    char *title;        /* the line that announces the type, plain text */
    char *full_title;   /* title with its meeting line, for lists of decisions; or NULL */
    size_t type_block;
    size_t title_block; /* block of the line that announces the type; blocks above it are
                           the letterhead. LZS_FRONT_BLOCKS when there is none. */
    unsigned char *used; /* per block: 1 when the header stage took it as metadata */
    const lzs_blocks_t *blocks; /* the blocks being turned into passages (borrowed) */
} lzs_parse_t;

/* ---- the header stage (header.c) ------------------------------------------------------ */

/* A reference code that fills the whole text ("T-ES(2021)31_en", "T-ES(2020)23 rev."). */
int lzs_is_whole_ref(const char *s);
/* What keeps id from being a document id that every route can open (empty, '/', only dots
 * and spaces, a space at either end, a control character, over 200 bytes), or NULL when
 * it can be one. Static string. */
const char *lzs_doc_id_problem(const char *id);
/* A short line with no sentence ending: a heading in a text without markup. */
int lzs_looks_heading(const char *plain);
/* The line is on the title page and says something about the document (letterhead, date,
 * "Venue: ..."): no heading, though it may look like one. */
int lzs_title_page_line(const lzs_parse_t *ps, size_t bi, const char *plain);
/* "Venue: KUDO platform", "Document: T-ES(2019)18 rev": one word, a colon, a value. */
int lzs_is_field_line(const char *plain);
/* "Prepared by the Secretariat", "Préparé par ...": who made the document (headings.tsv,
 * role "credit"). */
int lzs_is_credit_line(const lzs_extractor_t *ex, const char *plain);
/* Finds the title, the type, the reference and the dates at the top of the document;
 * marks in ps->used the blocks that are metadata lines and make no passage. */
void lzs_header_scan(lzs_parse_t *ps, lzs_blocks_t *bs);

struct lzs_sidecar;
/* Sets the document's id, reference, language, type, date, title and address from what
 * the header stage found, the file name and the sidecar (which wins). */
lzs_status_t lzs_header_fill(lzs_parse_t *ps, const char *name, const struct lzs_sidecar *sc,
                             char **errmsg);

/* ---- the structure stage (structure.c) ------------------------------------------------ */

/* Turns the blocks into the document's passages: sections, paragraphs, decisions, lists,
 * footnotes, and recommendations with their context. */
void lzs_structure_build(lzs_parse_t *ps, lzs_blocks_t *bs);
/* Frees what the parse state owns (not the document). */
void lzs_parse_free(lzs_parse_t *ps);

/* ---- the domain stage (domain.c) -------------------------------------------------------- */

/* Articles and Parties of a new passage's text. */
lzs_status_t lzs_domain_annotate(lzs_parse_t *ps, lzs_passage_t *p);
/* "The Committee requires" at the start of ps->words: the level and the index of the word
 * after the verb, or LZS_LEVEL_NONE. */
lzs_level_t lzs_domain_rec_verb(const lzs_parse_t *ps, size_t *after);
/* Reads an addressee list from word i of ps->words: Party names, "all Parties",
 * connectors. Returns 1 when something was named. */
int lzs_domain_addressees(lzs_parse_t *ps, size_t i, int *all, lzs_strlist_t *codes);
void lzs_domain_set_addressees(lzs_parse_t *ps, lzs_passage_t *p, int all,
                               const lzs_strlist_t *codes);
/* An inline identifier at the end of a recommendation: "... (R I-6)." */
int lzs_domain_inline_rec_id(const char *text, char *buf, size_t cap);
/* Makes p a recommendation of this level, with the articles of its section headings and
 * its inline identifier. */
void lzs_domain_make_recommendation(lzs_parse_t *ps, lzs_passage_t *p, lzs_level_t level);
/* Recommendation identifiers given by footnotes ("23 Recommendation V-17."); a
 * recommendation's label becomes its identifier. */
lzs_status_t lzs_domain_resolve_footnotes(lzs_parse_t *ps);
/* In a list of decisions, a paragraph that refers back to the previous decision also
 * mentions the Parties that one mentions. */
lzs_status_t lzs_domain_resolve_references(lzs_parse_t *ps);
struct lzs_sidecar;
/* The round of the document (sc may be NULL) and the key of each recommendation (see
 * extract.h): after the header stage has set the id and the version key. */
lzs_status_t lzs_domain_rec_keys(lzs_parse_t *ps, const struct lzs_sidecar *sc);
/* The documents and recommendations each passage cites (citing.c): after the round and
 * the id are known. */
lzs_status_t lzs_domain_citations(lzs_parse_t *ps);

/* ---- sidecar (sidecar.c) ---------------------------------------------------------------- */

typedef struct lzs_sidecar {
    char *reference, *title, *date, *language, *url;
    char *version_of; /* id of the document this one is a language version of */
    char *round;      /* a key of rounds.tsv */
    int type;         /* -1 unset */
} lzs_sidecar_t;

/* Parses a sidecar's JSON text; where names the sidecar in messages. ex (borrowed) knows
 * the rounds a "round" may name. */
lzs_status_t lzs_sidecar_parse(const lzs_extractor_t *ex, const char *json, const char *where,
                               lzs_sidecar_t *sc, char **errmsg);
void lzs_sidecar_free(lzs_sidecar_t *sc);

/* ---- text formats (read_text.c, read_markdown.c) ----------------------------------------- */

/* Checks that len bytes of buf are a text: no NUL, few control bytes, valid UTF-8, not
 * only white space. The message names the file (name). */
lzs_status_t lzs_text_check(const char *name, const char *buf, size_t len, char **errmsg);

typedef enum {
    LZS_LINES_TEXT,    /* .txt: inline markup the Committee's texts use, any other <...> is text */
    LZS_LINES_MARKDOWN /* .md: markdown, HTML comments and tags dropped */
} lzs_lines_flavour_t;

/* The line reader of text and markdown: lines grouped into headings, numbered
 * paragraphs, paragraphs, list items and footnotes, hard-wrapped lines joined. */
lzs_status_t lzs_read_lines(const lzs_extractor_t *ex, const char *name, const char *buf,
                            size_t len, lzs_lines_flavour_t flavour, lzs_blocks_t *out,
                            char **errmsg);

#endif
