/* extract_internal.h — helpers shared by the extractor's source files: folded word
 * lists, the loaded domain data, inline markdown cleaning and the citation parsers. */
#ifndef LZS_EXTRACT_INTERNAL_H
#define LZS_EXTRACT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "lzs/extract.h"
#include "shared_internal.h"
#include "lzs/file.h"

/* ---- bytes of UTF-8 text ------------------------------------------------------ */

/* A byte that may belong to a word: an ASCII letter or digit, or any byte of a non-ASCII
 * character. */
static inline int lzs_word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
}

/* Index of the first byte at or after i that is not a space, a tab or a no-break space. */
static inline size_t lzs_skip_spaces(const char *s, size_t i)
{
    for (;;) {
        if (s[i] == ' ' || s[i] == '\t')
            i++;
        else if ((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)
            i += 2;
        else
            return i;
    }
}

/* ---- folded words --------------------------------------------------------- */

/* A text cut into words (runs of letters and digits), each NFKD-decomposed, stripped of
 * accents and case-folded: "l'Andorre, Türkiye" -> "l", "andorre", "turkiye". */
typedef struct {
    char *pool;    /* NUL-separated words */
    size_t *off;   /* offset of word i in pool */
    size_t n, cap; /* words */
    size_t len, poolcap;
} lzs_words_t;

/* Appends the words of len bytes of UTF-8 (invalid bytes are word breaks) to w. */
lzs_status_t lzs_words_fold(lzs_words_t *w, const char *s, size_t len);
static inline const char *lzs_words_at(const lzs_words_t *w, size_t i)
{
    return w->pool + w->off[i];
}
void lzs_words_reset(lzs_words_t *w);
void lzs_words_free(lzs_words_t *w);
/* The words of s joined by single spaces: caller frees with free(). NULL when out of
 * memory. */
char *lzs_fold_key(const char *s);

/* ---- domain data ---------------------------------------------------------- */

enum { PHRASE_SUBJECT = LZS_LEVEL_COUNT, PHRASE_ALL };

typedef struct {
    char lang[8];
    int what;     /* an lzs_level_t, PHRASE_SUBJECT or PHRASE_ALL */
    size_t first; /* index of its first word in ex->phrase_words */
    size_t nwords;
} lzs_phrase_t;

typedef struct {
    size_t state; /* index into ex->states */
    size_t first; /* index of its first word in ex->name_words */
    size_t nwords;
    long next;  /* next name with the same first word (longest first), or -1 */
    char *text; /* the name as parties.tsv writes it */
} lzs_name_t;

typedef struct {
    char code[3];
    int is_party;
    char *name; /* English display name */
} lzs_state_t;

typedef struct {
    char lang[8];
    lzs_words_t words;
} lzs_stoplist_t;

/* Words of the co-reference rule of lists of decisions for one language (anaphora.tsv). */
enum { DEMO_ANY, DEMO_SINGULAR, DEMO_PLURAL };

typedef struct {
    int number;   /* DEMO_* */
    size_t first; /* index of its first word in demo_words */
    size_t nwords;
} lzs_demonstrative_t;

typedef struct {
    char lang[8];
    lzs_demonstrative_t *demos;
    size_t ndemos;
    lzs_words_t demo_words;
    lzs_words_t numbers, function, deictic, plural_end, singular_end;
} lzs_anaphora_t;

/* A title phrase that announces a document type (doctypes.tsv). */
typedef struct {
    int type;  /* an lzs_doctype_t */
    char *key; /* folded words joined by spaces */
} lzs_typephrase_t;

/* A term of the bilingual thesaurus (thesaurus.tsv). */
typedef struct {
    char lang[8];
    char *text; /* as written */
} lzs_term_t;

/* A concept of the thesaurus: its terms in every language. */
typedef struct {
    char *name;
    lzs_term_t *terms;
    size_t nterms;
} lzs_concept_t;

/* Shapes of recommendation identifiers (rounds.tsv, role "id"). */
enum {
    LZS_RECID_ROMAN_NUMBER = 1, /* "V-17", "R V-17" */
    LZS_RECID_R_NUMBER = 2,     /* "R15" */
    LZS_RECID_R_ROMAN = 4       /* "R XX" */
};

/* A monitoring round (rounds.tsv). */
typedef struct {
    char *key;             /* "2nd-round" */
    char *label;           /* display name, or NULL */
    lzs_strlist_t phrases; /* folded keys of the phrases that name it */
    unsigned id_shapes;    /* LZS_RECID_* bits */
} lzs_round_t;

/* An instrument the Committee cites (instruments.tsv). */
typedef struct {
    char *key;                   /* "echr" */
    char *name_en, *name_fr;     /* display names (the first "en" and "fr" values) */
    lzs_strlist_t phrases;       /* folded keys of every name and pattern */
    lzs_strlist_t article_names; /* folded keys of the names that may follow "Article 8" */
} lzs_instrument_t;

/* An opinion or declaration of the Committee (opinions.tsv). */
typedef struct {
    lzs_opinion_info_t info; /* its strings owned here */
    lzs_strlist_t phrases;   /* folded keys of every en and fr form */
} lzs_opinion_t;

/* The word lists of words.tsv and citations.tsv beyond the four of their own (function
 * words, connectors, articles, name leads). The lists up to LZS_WL_FOLDED hold the words as
 * written, ASCII letters in lower case, for lzs_word_at(); the others folded keys
 * (lzs_fold_key), for comparison with folded words. */
typedef enum {
    LZS_WL_AND,            /* "and", "et": between the last two items of a list */
    LZS_WL_RANGE,          /* "to", "au", "à": between the two ends of a range */
    LZS_WL_ORDINAL,        /* endings of ordinals in figures: "st", "er", "ème" */
    LZS_WL_MEETING,        /* "meeting", "réunion": a line that names a meeting */
    LZS_WL_ADOPTED,        /* "adopted", "adopté": a line that gives the adoption date */
    LZS_WL_DATE_LEAD,      /* "le": between a place and a date */
    LZS_WL_ARTICLE,        /* "article", "art.": before article numbers */
    LZS_WL_PARAGRAPH,      /* "paragraph", "par.": before a paragraph of an article */
    LZS_WL_LINK,           /* "of", "the", "de", "l": between an article and an instrument */
    LZS_WL_ABBREVIATION,   /* "echr", "cedh": abbreviations of other instruments */
    LZS_WL_INSTRUMENT,     /* "directive", "convention europ*": names of other instruments */
    LZS_WL_RECOMMENDATION, /* "recommendation", "recommandations" */
    LZS_WL_FOOTNOTE,       /* "rec.": besides those, opens a footnote naming a recommendation */
    LZS_WL_PAGE,           /* "page", "p.": before the number of a page number line */
    LZS_WL_PAGE_OF,        /* "of", "sur": between a page number and the count of pages */
    LZS_WL_FOLDED,
    LZS_WL_AND_KEYS = LZS_WL_FOLDED, /* the folded keys of LZS_WL_AND */
    LZS_WL_ORDINAL_KEYS,             /* ... of LZS_WL_ORDINAL ("eme") */
    LZS_WL_ARTICLE_KEYS,             /* ... of LZS_WL_ARTICLE ("art") */
    LZS_WL_LINK_KEYS,                /* ... of LZS_WL_LINK */
    LZS_WL_CODE_LEAD,                /* "document", "voir": between a title and a document code */
    LZS_WL_CONNECTOR_PAIR,           /* "ainsi que": a connector that continues a list only after
                                        the word before it */
    LZS_WL_COUNT
} lzs_wordlist_t;

/* Where a word of a list must end in the text, for lzs_word_at(). */
typedef enum {
    LZS_END_ANY,    /* anywhere: the word may start a longer one ("adopted" in "Adopted") */
    LZS_END_SPACE,  /* before a space ("to" in "15 to 18") */
    LZS_END_LETTER, /* before anything but an ASCII letter ("art" in "art5", not "arts") */
    LZS_END_WORD    /* before anything but a letter or digit of any script */
} lzs_word_end_t;

/* A month name (months.tsv), lower case as written. */
typedef struct {
    int month; /* 1-12 */
    char *name;
} lzs_month_t;

struct lzs_extractor {
    char *datadir;
    lzs_state_t *states;
    size_t nstates;
    const char **party_codes; /* codes of the states that are Parties, in file order */
    size_t nparties;
    lzs_name_t *names;
    size_t nnames;
    lzs_words_t name_words;
    long *name_heads;         /* hash of first word -> first name, or -1 */
    size_t nheads;            /* power of two */
    char *article_titles[51];    /* by article number, 1..50 */
    char *article_titles_fr[51]; /* the same in French; NULL where the data has none */
    lzs_phrase_t *phrases;
    size_t nphrases;
    lzs_words_t phrase_words;
    char ***syn; /* groups of NUL-terminated terms */
    size_t *syn_sizes;
    size_t nsyn;
    lzs_stoplist_t *stops;
    size_t nstops;
    lzs_anaphora_t *anaphora; /* one per language */
    size_t nanaphora;
    lzs_typephrase_t *typephrases;
    size_t ntypephrases;
    lzs_month_t *months;
    size_t nmonths;
    lzs_strlist_t top_headings; /* folded keys of headings that stand at the outermost level */
    lzs_strlist_t toc_titles;   /* folded keys of titles of tables of contents */
    lzs_strlist_t credit_phrases; /* folded starts of lines that say who made a document */
    lzs_strlist_t hyphenated;   /* words written with a hyphen (hyphens.tsv), lower case,
                                   sorted */
    lzs_strlist_t title_qualifiers; /* folded words that may stand before a type phrase
                                       ("draft", "revised", "annotated"; doctypes.tsv) */
    lzs_strlist_t draft_words;      /* folded qualifiers that make a draft ("draft",
                                       "projet de") */
    lzs_strlist_t ordinal_words;    /* ordinals written in words ("second", "deuxieme") */
    lzs_strlist_t function_words;   /* words.tsv: words no sentence ends with, as written */
    lzs_strlist_t connectors;       /* words.tsv: folded words between addressee names */
    lzs_strlist_t articles;         /* words.tsv: folded articles before a State name */
    lzs_strlist_t name_leads;       /* articles and prepositions before a Party name */
    lzs_strlist_t wl[LZS_WL_COUNT]; /* the other lists of words.tsv and citations.tsv */
    lzs_concept_t *concepts;        /* thesaurus.tsv, in file order */
    size_t nconcepts;
    lzs_round_t *rounds; /* rounds.tsv, in file order */
    size_t nrounds;
    lzs_instrument_t *instruments; /* instruments.tsv, in file order */
    size_t ninstruments;
    lzs_opinion_t *opinions; /* opinions.tsv, in file order */
    size_t nopinions;
    size_t name_max_words; /* words of the longest Party name */
};

/* A State found in a word list: words [start, end) name state. */
typedef struct {
    size_t start, end;
    size_t state;
} lzs_state_match_t;

/* The longest State name that starts at word i of w, or 0 when none does. */
int lzs_gaz_match_at(const lzs_extractor_t *ex, const lzs_words_t *w, size_t i,
                     lzs_state_match_t *m);
/* Adds the codes of the Parties named anywhere in w to out (unique, unsorted). */
lzs_status_t lzs_gaz_parties(const lzs_extractor_t *ex, const lzs_words_t *w, lzs_strlist_t *out);
/* The phrase of kind what (or any level when what < 0) that starts at word i, longest
 * first; NULL when none. */
const lzs_phrase_t *lzs_phrase_at(const lzs_extractor_t *ex, const lzs_words_t *w, size_t i,
                                  int what);
/* Index of word in l, or -1. */
long lzs_words_find(const lzs_words_t *l, const char *word);
/* The co-reference words of language lang, or NULL when the data has none. Borrowed:
 * valid until ex is closed. */
const lzs_anaphora_t *lzs_anaphora_for(const lzs_extractor_t *ex, const char *lang);
/* The longest demonstrative of a that starts at word i of w, or NULL. */
const lzs_demonstrative_t *lzs_demonstrative_at(const lzs_anaphora_t *a, const lzs_words_t *w,
                                                size_t i);
/* 1 when nouns x and y are the same noun, in the singular or the plural ("option",
 * "options"). */
int lzs_same_noun(const lzs_anaphora_t *a, const char *x, const char *y);
/* 1 when the noun has the form of a plural ("options", not "process"). */
int lzs_plural_form(const lzs_anaphora_t *a, const char *noun);
/* The round of rounds.tsv with this key, or NULL. */
const lzs_round_t *lzs_round_find(const lzs_extractor_t *ex, const char *key);
/* The shape of a recommendation identifier as a LZS_RECID_* bit ("V-17" and "R V-17":
 * roman-number), 0 for another shape. */
unsigned lzs_rec_id_shape(const char *id);

/* Length of the longest word of list l (a list up to LZS_WL_FOLDED) that s starts with,
 * compared without the case of ASCII letters, where the word may end (a word that ends in
 * punctuation, "art.", or that the list writes with a final '*', "trait*", may end
 * anywhere); 0 when none. */
size_t lzs_word_at(const lzs_extractor_t *ex, lzs_wordlist_t l, const char *s,
                   lzs_word_end_t end);
/* 1 when the folded word is in list l (a list from LZS_WL_FOLDED on). */
int lzs_word_listed(const lzs_extractor_t *ex, lzs_wordlist_t l, const char *word);

/* Language guessed from the stop lists; "" when nothing matched. */
const char *lzs_guess_lang(const lzs_extractor_t *ex, const lzs_words_t *w);

/* 1 when word (lower case, "co-operation") is in the dictionary of hyphenated terms. */
int lzs_extract_hyphenated(const lzs_extractor_t *ex, const char *word);
/* Length of a file name without its document extension (".txt", ".pdf", ...). */
size_t lzs_extract_stem_len(const char *name);

lzs_status_t lzs_data_load(lzs_extractor_t *ex, char **errmsg);
void lzs_data_free(lzs_extractor_t *ex);

/* ---- inline markdown -------------------------------------------------------- */

/* Footnote markers found while cleaning a line of markdown. */
typedef struct {
    unsigned *v;
    size_t n, cap;
} lzs_marks_t;

/* Plain text of inline markdown: emphasis removed, [text](url) -> text, autolinks
 * unwrapped, <sup>N</sup> and superscript digits removed (their numbers appended to
 * marks when marks is not NULL), other tags dropped, entities decoded, whitespace
 * collapsed. Caller frees with free(); NULL when out of memory. */
char *lzs_md_plain(const char *s, size_t len, lzs_marks_t *marks);
/* Flags of lzs_inline_plain(). */
enum {
    LZS_INLINE_TEXT = 1 /* a plain text file: of the tags only <sup> and autolinks are
                           markup, any other <...> stays text; digits glued to a word
                           ("articles1") are a footnote marker */
};
/* lzs_md_plain() with flags. */
char *lzs_inline_plain(const char *s, size_t len, lzs_marks_t *marks, unsigned flags);
void lzs_marks_free(lzs_marks_t *m);

/* ---- citations -------------------------------------------------------------- */

/* Adds the normalized citations of Convention articles in plain text ("38(2)", and the
 * bare article "38" too) to out; the words around them are ex's (citations.tsv). */
lzs_status_t lzs_cite_articles(const lzs_extractor_t *ex, const char *text, lzs_strlist_t *out);
/* Parses a recommendation identifier at s ("V-17", "R I-4", "R15", "R XX", "IV-3").
 * Returns its length in s and writes it into buf (cap bytes), or 0. */
size_t lzs_parse_rec_id(const char *s, char *buf, size_t cap);
/* Adds to out the keys of the instruments of ex that the folded words w name, and
 * "<key>-art<N>" for "Article N ECHR" and its forms (instruments.tsv). */
lzs_status_t lzs_cite_instruments(const lzs_extractor_t *ex, const lzs_words_t *w,
                                  lzs_strlist_t *out);
/* Adds to out the keys of the opinions and declarations of ex whose forms the folded words
 * w name (opinions.tsv), but those named right before a document code ("its opinion on
 * Article 23 (T-ES(2015)04)"): the code is the citation. */
lzs_status_t lzs_cite_opinions(const lzs_extractor_t *ex, const lzs_words_t *w, lzs_strlist_t *out);
/* Parses a date in text ("7 October 2021", "October 2023", "7 octobre 2021",
 * "2021-10-07") into ISO form in buf (at least 11 bytes); returns 1 when found. Only a
 * date that starts at s when anchored, else the first date in s. Month names come from
 * ex (months.tsv). */
int lzs_parse_date(const lzs_extractor_t *ex, const char *s, int anchored, char *buf, size_t cap);
/* A line that only gives a date: a date or a span of days ("15-18 October 2019", "30
 * September - 2 October 2019", "15 au 18 mars 2016"), possibly after a place and a comma
 * ("Strasbourg, 6 June 2019", "Strasbourg, le 10 février 2016"), in brackets ("[17 mars
 * 2016]"), or several ("21-22 September 2021 and 4-7 October 2021"). start gets the first
 * day (ISO, as precise as written), end the last day of the first span or "" (cap bytes
 * each, at least 11). 1 when the line is such a line. */
int lzs_parse_date_line(const lzs_extractor_t *ex, const char *s, char *start, char *end,
                        size_t cap);

#endif
