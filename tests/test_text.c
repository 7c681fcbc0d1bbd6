/* test_text.c — the ICU text pipeline: tokens, positions, offsets, folding, codes, stems. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uclean.h>

#include "lzs/hash.h"
#include "lzs/text.h"

typedef struct {
    lzs_text_t *t;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    char *err = NULL;
    if (!f)
        return -1;
    if (lzs_text_create(&f->t, &err) != LZS_OK) {
        fprintf(stderr, "lzs_text_create: %s\n", err ? err : "?");
        free(err);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    lzs_text_destroy(f->t);
    free(f);
    return 0;
}

/* Tokenizes a NUL-terminated string; the test fails on error. */
static lzs_tokens_t *tok(lzs_text_t *t, const char *s)
{
    lzs_tokens_t *tk = NULL;
    assert_int_equal(lzs_text_tokenize(t, s, strlen(s), &tk), LZS_OK);
    assert_non_null(tk);
    return tk;
}

/* The i-th token, checked to exist and to be valid UTF-8 on both forms. */
static const lzs_token_t *at(const lzs_tokens_t *tk, size_t i)
{
    const lzs_token_t *k = lzs_tokens_get(tk, i);
    assert_non_null(k);
    assert_true(lzs_text_is_valid_utf8(k->norm, strlen(k->norm)));
    assert_true(lzs_text_is_valid_utf8(k->folded, strlen(k->folded)));
    assert_true(strlen(k->norm) <= LZS_TEXT_MAX_TOKEN);
    assert_true(strlen(k->folded) <= LZS_TEXT_MAX_TOKEN);
    return k;
}

/* First token whose norm is s and whose flags include all of flags; NULL when none. */
static const lzs_token_t *find(const lzs_tokens_t *tk, const char *norm, unsigned flags)
{
    for (size_t i = 0; i < lzs_tokens_count(tk); i++) {
        const lzs_token_t *k = at(tk, i);
        if (strcmp(k->norm, norm) == 0 && (k->flags & flags) == flags)
            return k;
    }
    return NULL;
}

/* Asserts that a token norm/flags exists at pos and covers exactly `orig` in text. */
static void expect(const lzs_tokens_t *tk, const char *text, const char *norm, unsigned flags,
                   uint32_t pos, const char *orig)
{
    const lzs_token_t *k = find(tk, norm, flags);
    if (!k)
        fail_msg("no token \"%s\" with flags %#x", norm, flags);
    assert_int_equal(k->pos, pos);
    assert_int_equal(k->end - k->start, strlen(orig));
    assert_memory_equal(text + k->start, orig, strlen(orig));
}

static void test_english(void **state)
{
    fixture_t *f = *state;
    const char *s = "The Lanzarote Committee adopted 12 Recommendations, on 7 October!";
    const char *words[] = {"The", "Lanzarote", "Committee", "adopted", "12", "Recommendations",
                           "on",  "7",         "October"};
    lzs_tokens_t *tk = tok(f->t, s);
    size_t n = sizeof words / sizeof *words;

    assert_int_equal(lzs_tokens_count(tk), n);
    for (size_t i = 0; i < n; i++) {
        const lzs_token_t *k = at(tk, i);
        assert_int_equal(k->pos, i + 1);
        assert_int_equal(k->end - k->start, strlen(words[i]));
        assert_memory_equal(s + k->start, words[i], strlen(words[i]));
    }
    assert_string_equal(at(tk, 0)->norm, "the");
    assert_string_equal(at(tk, 5)->norm, "recommendations");
    assert_int_equal(at(tk, 5)->flags, LZS_TOK_ALPHA);
    assert_int_equal(at(tk, 4)->flags, LZS_TOK_NUMERIC);
    assert_ptr_equal(at(tk, 0)->folded, at(tk, 0)->norm); /* ASCII: one string */
    lzs_tokens_destroy(tk);
}

static void test_french_elisions(void **state)
{
    fixture_t *f = *state;
    const char *s = "Selon l'article 4, d\xE2\x80\x99"
                    "aide qu'ils L'Enfant jusqu'\xC3\xA0 la "
                    "coop\xC3\xA9ration aujourd'hui";
    lzs_tokens_t *tk = tok(f->t, s);

    expect(tk, s, "selon", LZS_TOK_ALPHA, 1, "Selon");
    expect(tk, s, "article", LZS_TOK_ALPHA, 2, "article");
    expect(tk, s, "4", LZS_TOK_NUMERIC, 3, "4");
    expect(tk, s, "aide", LZS_TOK_ALPHA, 4, "aide");
    expect(tk, s, "ils", LZS_TOK_ALPHA, 5, "ils");
    expect(tk, s, "enfant", LZS_TOK_ALPHA, 6, "Enfant");
    expect(tk, s, "\xC3\xA0", LZS_TOK_ALPHA, 7, "\xC3\xA0");
    expect(tk, s, "coop\xC3\xA9ration", LZS_TOK_ALPHA, 9, "coop\xC3\xA9ration");
    assert_string_equal(find(tk, "coop\xC3\xA9ration", 0)->folded, "cooperation");
    /* Not an elision: the word stays whole, apostrophe included. */
    expect(tk, s, "aujourd'hui", LZS_TOK_ALPHA, 10, "aujourd'hui");
    assert_null(find(tk, "l'article", 0));
    assert_null(find(tk, "d", 0));
    lzs_tokens_destroy(tk);
}

static void test_german_sharp_s(void **state)
{
    fixture_t *f = *state;
    const char *s = "Gr\xC3\xB6\xC3\x9F"
                    "e der Stra\xC3\x9F"
                    "e";
    lzs_tokens_t *tk = tok(f->t, s);

    assert_int_equal(lzs_tokens_count(tk), 3);
    assert_string_equal(at(tk, 0)->norm, "gr\xC3\xB6sse");
    assert_string_equal(at(tk, 0)->folded, "grosse");
    assert_string_equal(at(tk, 2)->norm, "strasse");
    assert_string_equal(at(tk, 2)->folded, "strasse");
    assert_int_equal(at(tk, 2)->end, strlen(s));
    lzs_tokens_destroy(tk);
}

static void test_russian(void **state)
{
    fixture_t *f = *state;
    /* "Конвенция Совета Европы, Ёлка" */
    const char *s = "\xD0\x9A\xD0\xBE\xD0\xBD\xD0\xB2\xD0\xB5\xD0\xBD\xD1\x86\xD0\xB8\xD1\x8F "
                    "\xD0\xA1\xD0\xBE\xD0\xB2\xD0\xB5\xD1\x82\xD0\xB0 "
                    "\xD0\x95\xD0\xB2\xD1\x80\xD0\xBE\xD0\xBF\xD1\x8B, "
                    "\xD0\x81\xD0\xBB\xD0\xBA\xD0\xB0";
    lzs_tokens_t *tk = tok(f->t, s);

    assert_int_equal(lzs_tokens_count(tk), 4);
    /* "конвенция" */
    assert_string_equal(at(tk, 0)->norm,
                        "\xD0\xBA\xD0\xBE\xD0\xBD\xD0\xB2\xD0\xB5\xD0\xBD\xD1\x86\xD0\xB8\xD1\x8F");
    assert_int_equal(at(tk, 0)->pos, 1);
    assert_int_equal(at(tk, 0)->start, 0);
    assert_int_equal(at(tk, 0)->end, 18);
    assert_int_equal(at(tk, 1)->pos, 2);
    assert_int_equal(at(tk, 2)->pos, 3);
    assert_int_equal(at(tk, 1)->start, 19);
    /* "Ёлка": norm "ёлка", folded "елка" (the diaeresis is a mark). */
    assert_string_equal(at(tk, 3)->norm, "\xD1\x91\xD0\xBB\xD0\xBA\xD0\xB0");
    assert_string_equal(at(tk, 3)->folded, "\xD0\xB5\xD0\xBB\xD0\xBA\xD0\xB0");
    lzs_tokens_destroy(tk);
}

static void test_greek_sigma(void **state)
{
    fixture_t *f = *state;
    /* "ΟΔΟΣ οδός" */
    const char *s = "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 \xCE\xBF\xCE\xB4\xCF\x8C\xCF\x82";
    lzs_tokens_t *tk = tok(f->t, s);

    assert_int_equal(lzs_tokens_count(tk), 2);
    /* Full case folding makes both sigmas σ. */
    assert_string_equal(at(tk, 0)->norm, "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x83");
    assert_string_equal(at(tk, 1)->norm, "\xCE\xBF\xCE\xB4\xCF\x8C\xCF\x83");
    assert_string_equal(at(tk, 1)->folded, "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x83");
    lzs_tokens_destroy(tk);
}

static char *stem_copy(lzs_text_t *t, const char *lang, const char *word);

static void test_turkish(void **state)
{
    fixture_t *f = *state;
    const char *s = "\xC4\xB0stanbul \xC4\xB1l\xC4\xB1k"; /* "İstanbul ılık" */
    lzs_tokens_t *tk = tok(f->t, s);

    assert_int_equal(lzs_tokens_count(tk), 2);
    /* Unicode folding, not Turkish: İ -> i + combining dot above; ı stays ı. */
    assert_string_equal(at(tk, 0)->norm, "i\xCC\x87stanbul");
    assert_string_equal(at(tk, 0)->folded, "istanbul");
    assert_string_equal(at(tk, 1)->norm, "\xC4\xB1l\xC4\xB1k");
    assert_string_equal(at(tk, 1)->folded, "ilik");
    lzs_tokens_destroy(tk);

    /* İ, I, ı and i all fold to i, in words and in whole strings */
    char *out = NULL;
    tk = tok(f->t, "\xC4\xB0ZM\xC4\xB0R IZMIR \xC4\xB1zm\xC4\xB1r izmir");
    assert_int_equal(lzs_tokens_count(tk), 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(at(tk, i)->folded, "izmir");
    lzs_tokens_destroy(tk);
    assert_int_equal(lzs_text_fold(f->t, "\xC4\xB0I\xC4\xB1i", 6, &out), LZS_OK);
    assert_string_equal(out, "iiii");
    free(out);
    /* the letters every folding of the project shares */
    assert_string_equal(lzs_text_fold_letter(0x131), "i");
    assert_string_equal(lzs_text_fold_letter(0xF8), "o");
    assert_null(lzs_text_fold_letter('i'));
    /* a stemmer reads an accented word and its folded form differently: why the index
     * keeps the stems of both (schema.h) */
    char *a = stem_copy(f->t, "en", "r\xC3\xB6szke");
    char *b = stem_copy(f->t, "en", "roszke");
    assert_string_not_equal(a, b);
    free(a);
    free(b);
}

static void check_ideo(lzs_text_t *t, const char *s, size_t min_tokens)
{
    lzs_tokens_t *tk = tok(t, s);
    size_t n = lzs_tokens_count(tk), covered = 0;
    int multi = 0;

    assert_true(n >= min_tokens);
    for (size_t i = 0; i < n; i++) {
        const lzs_token_t *k = at(tk, i);
        assert_true(k->flags & LZS_TOK_IDEO);
        assert_int_equal(k->pos, i + 1);
        assert_int_equal(k->start, covered); /* no gaps: the words tile the sentence */
        covered = k->end;
        if (k->end - k->start > 3)
            multi = 1; /* a word of several characters: the dictionary was used */
    }
    assert_int_equal(covered, strlen(s));
    assert_true(multi);
    lzs_tokens_destroy(tk);
}

static void test_cjk_thai(void **state)
{
    fixture_t *f = *state;
    check_ideo(f->t,
               "\xE5\x85\x90\xE7\xAB\xA5\xE3\x81\xAE\xE6\x80\xA7\xE7\x9A\x84"
               "\xE6\x90\xBE\xE5\x8F\x96",
               3); /* 児童の性的搾取 */
    check_ideo(f->t,
               "\xE4\xBF\x9D\xE6\x8A\xA4\xE5\x84\xBF\xE7\xAB\xA5\xE5\x85\x8D\xE5\x8F\x97"
               "\xE6\x80\xA7\xE5\x89\xA5\xE5\x89\x8A",
               3); /* 保护儿童免受性剥削 */
    check_ideo(f->t,
               "\xE0\xB8\xA0\xE0\xB8\xB2\xE0\xB8\xA9\xE0\xB8\xB2\xE0\xB9\x84\xE0\xB8\x97"
               "\xE0\xB8\xA2",
               2); /* ภาษาไทย */
}

#define CASE(lit, def)                                                                             \
    {                                                                                              \
        lit, sizeof(lit) - 1, def                                                                  \
    }

static void test_invalid_utf8(void **state)
{
    fixture_t *f = *state;
    static const struct {
        const char *s;
        size_t len;
        size_t def; /* offset of "def" */
    } cases[] = {
        CASE("abc\xFF\xFE def", 6),
        CASE("abc def \xE2\x82", 4),        /* truncated 3-byte sequence at the end */
        CASE("abc\xC0\xAF def", 6),         /* overlong "/" */
        CASE("abc\xE0\x80\xAF def", 7),     /* overlong 3-byte */
        CASE("abc\xED\xA0\x80 def", 7),     /* encoded surrogate */
        CASE("abc\xF4\x90\x80\x80 def", 8), /* above U+10FFFF */
        CASE("abc\x80\x80\x80\x80 def", 8), /* stray continuation bytes */
        CASE("abc\0def", 4),                /* NUL inside */
        CASE("abc\xE2\x82 def\xF0\x9F", 6), /* truncated in the middle and at the end */
    };

    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        lzs_tokens_t *tk = NULL;
        const lzs_token_t *k;
        assert_int_equal(lzs_text_tokenize(f->t, cases[c].s, cases[c].len, &tk), LZS_OK);
        k = find(tk, "abc", 0);
        assert_non_null(k);
        assert_int_equal(k->start, 0);
        assert_int_equal(k->end, 3);
        k = find(tk, "def", 0);
        assert_non_null(k);
        assert_int_equal(k->start, cases[c].def);
        assert_int_equal(k->end, cases[c].def + 3);
        for (size_t i = 0; i < lzs_tokens_count(tk); i++)
            at(tk, i);
        lzs_tokens_destroy(tk);
    }
}

static void test_empty_and_bad_args(void **state)
{
    fixture_t *f = *state;
    lzs_tokens_t *tk = NULL;

    assert_int_equal(lzs_text_tokenize(f->t, "", 0, &tk), LZS_OK);
    assert_int_equal(lzs_tokens_count(tk), 0);
    assert_null(lzs_tokens_get(tk, 0));
    lzs_tokens_destroy(tk);
    assert_int_equal(lzs_text_tokenize(f->t, NULL, 0, &tk), LZS_OK);
    assert_int_equal(lzs_tokens_count(tk), 0);
    lzs_tokens_destroy(tk);
    tk = tok(f->t, " ... , ; -- ()");
    assert_int_equal(lzs_tokens_count(tk), 0);
    lzs_tokens_destroy(tk);
    assert_int_equal(lzs_text_tokenize(f->t, NULL, 3, &tk), LZS_ERR_INVALID);
    assert_null(tk);
    assert_int_equal(lzs_text_tokenize(NULL, "a", 1, &tk), LZS_ERR_INVALID);
    assert_int_equal(lzs_text_tokenize(f->t, "a", 1, NULL), LZS_ERR_INVALID);
    lzs_tokens_destroy(NULL);
    lzs_text_destroy(NULL);
    assert_int_equal(lzs_tokens_count(NULL), 0);
}

static void test_long_token(void **state)
{
    fixture_t *f = *state;
    size_t n = 10000;
    char *s = malloc(2 * n + 8);
    lzs_tokens_t *tk = NULL;
    const lzs_token_t *k;

    assert_non_null(s);
    memset(s, 'a', n);
    assert_int_equal(lzs_text_tokenize(f->t, s, n, &tk), LZS_OK);
    assert_int_equal(lzs_tokens_count(tk), 1);
    k = at(tk, 0);
    assert_int_equal(strlen(k->norm), LZS_TEXT_MAX_TOKEN);
    assert_int_equal(k->end, n); /* the offsets still cover the whole word */
    lzs_tokens_destroy(tk);

    /* "a" then "é"s: the cut must fall between two-byte characters, not inside one. */
    s[0] = 'a';
    for (size_t i = 0; i < n / 2; i++)
        memcpy(s + 1 + 2 * i, "\xC3\xA9", 2);
    assert_int_equal(lzs_text_tokenize(f->t, s, 1 + n, &tk), LZS_OK);
    assert_int_equal(lzs_tokens_count(tk), 1);
    k = at(tk, 0);
    assert_int_equal(strlen(k->norm), LZS_TEXT_MAX_TOKEN - 1);
    assert_int_equal(strlen(k->folded), LZS_TEXT_MAX_TOKEN);
    lzs_tokens_destroy(tk);
    free(s);
}

static void test_codes(void **state)
{
    fixture_t *f = *state;
    const char *s = "Document T-ES(2021)31 and V-17, see 20(1)(f) of 2012/29/EU and Article 38(2).";
    lzs_tokens_t *tk = tok(f->t, s);
    const lzs_token_t *k;

    expect(tk, s, "document", 0, 1, "Document");
    expect(tk, s, "t-es(2021)31", LZS_TOK_CODE | LZS_TOK_ALPHA, 2, "T-ES(2021)31");
    expect(tk, s, "t", LZS_TOK_PART, 2, "T");
    expect(tk, s, "es", LZS_TOK_PART, 3, "ES");
    expect(tk, s, "2021", LZS_TOK_PART | LZS_TOK_NUMERIC, 4, "2021");
    expect(tk, s, "31", LZS_TOK_PART, 5, "31");
    expect(tk, s, "and", 0, 6, "and");
    expect(tk, s, "v-17", LZS_TOK_CODE, 7, "V-17");
    expect(tk, s, "17", LZS_TOK_PART, 8, "17");
    expect(tk, s, "see", 0, 9, "see");
    expect(tk, s, "20(1)(f)", LZS_TOK_CODE, 10, "20(1)(f)");
    expect(tk, s, "f", LZS_TOK_PART, 12, "f");
    expect(tk, s, "2012/29/eu", LZS_TOK_CODE, 14, "2012/29/EU");
    expect(tk, s, "eu", LZS_TOK_PART, 16, "EU");
    expect(tk, s, "38(2)", LZS_TOK_CODE, 19, "38(2)"); /* the final "." is not part of it */
    k = find(tk, "38(2)", LZS_TOK_CODE);
    assert_false(k->flags & LZS_TOK_ALPHA);
    assert_false(k->flags & LZS_TOK_NUMERIC);
    assert_null(find(tk, "t-es", 0));
    lzs_tokens_destroy(tk);

    /* Dates, section numbers, plain numbers, and what is not a code. */
    s = "21-22 September, section 2.1.1. in 2021 and/or (a) 38 (2) 1,5";
    tk = tok(f->t, s);
    expect(tk, s, "21-22", LZS_TOK_CODE, 1, "21-22");
    expect(tk, s, "2.1.1", LZS_TOK_CODE, 5, "2.1.1");
    expect(tk, s, "2021", LZS_TOK_NUMERIC, 9, "2021");
    assert_false(find(tk, "2021", 0)->flags & (LZS_TOK_CODE | LZS_TOK_PART));
    expect(tk, s, "and", 0, 10, "and");
    expect(tk, s, "or", 0, 11, "or");
    assert_null(find(tk, "and/or", 0));
    assert_null(find(tk, "38(2)", 0)); /* a space between: two tokens */
    expect(tk, s, "1,5", 0, 15, "1,5");
    lzs_tokens_destroy(tk);

    /* Unicode dashes inside codes become "-" so that the query side matches. */
    s = "2011\xE2\x80\x93"
        "2012 IV\xE2\x80\x91"
        "3";
    tk = tok(f->t, s);
    expect(tk, s, "2011-2012", LZS_TOK_CODE, 1,
           "2011\xE2\x80\x93"
           "2012");
    expect(tk, s, "iv-3", LZS_TOK_CODE, 3,
           "IV\xE2\x80\x91"
           "3");
    lzs_tokens_destroy(tk);
}

static void test_hyphens(void **state)
{
    fixture_t *f = *state;
    const char *s = "a co-operation agreement";
    lzs_tokens_t *tk = tok(f->t, s);

    assert_int_equal(lzs_tokens_count(tk), 5);
    expect(tk, s, "a", 0, 1, "a");
    expect(tk, s, "cooperation", LZS_TOK_JOINED | LZS_TOK_ALPHA, 2, "co-operation");
    expect(tk, s, "co", LZS_TOK_PART, 2, "co");
    expect(tk, s, "operation", LZS_TOK_PART, 3, "operation");
    expect(tk, s, "agreement", 0, 4, "agreement");
    lzs_tokens_destroy(tk);

    /* U+2010, U+2011 and the soft hyphen join words; an en dash between spaces does not. */
    s = "co\xE2\x80\x90operation co\xE2\x80\x91operation co\xC2\xAD"
        "operation "
        "self \xE2\x80\x93 generated out-of-home";
    tk = tok(f->t, s);
    expect(tk, s, "cooperation", LZS_TOK_JOINED, 1, "co\xE2\x80\x90operation");
    expect(tk, s, "operation", LZS_TOK_PART, 2, "operation");
    expect(tk, s, "self", 0, 7, "self");
    expect(tk, s, "generated", 0, 8, "generated");
    expect(tk, s, "outofhome", LZS_TOK_JOINED, 9, "out-of-home");
    expect(tk, s, "home", LZS_TOK_PART, 11, "home");
    assert_int_equal(lzs_tokens_count(tk), 3 * 3 + 2 + 4);
    lzs_tokens_destroy(tk);

    /* Accents survive in the joined form and fold like any word. */
    s = "l'auto-\xC3\xA9"
        "cole";
    tk = tok(f->t, s);
    expect(tk, s,
           "auto\xC3\xA9"
           "cole",
           LZS_TOK_JOINED, 1,
           "auto-\xC3\xA9"
           "cole");
    assert_string_equal(find(tk,
                             "auto\xC3\xA9"
                             "cole",
                             0)
                            ->folded,
                        "autoecole");
    lzs_tokens_destroy(tk);
}

static void test_possessive(void **state)
{
    fixture_t *f = *state;
    const char *s = "Norway's law, the child\xE2\x80\x99s rights, Parties' reports";
    lzs_tokens_t *tk = tok(f->t, s);

    expect(tk, s, "norway", 0, 1, "Norway");
    expect(tk, s, "law", 0, 2, "law");
    expect(tk, s, "child", 0, 4, "child");
    expect(tk, s, "rights", 0, 5, "rights");
    expect(tk, s, "parties", 0, 6, "Parties");
    assert_null(find(tk, "s", 0));
    assert_int_equal(lzs_tokens_count(tk), 7);
    lzs_tokens_destroy(tk);
}

static void test_accent_folding(void **state)
{
    fixture_t *f = *state;
    const char *s = "R\xC3\xB6szke PEJ\xC4\x8CINOVI\xC4\x86 S\xC3\xB8ren \xC5\x81\xC3\xB3"
                    "d\xC5\xBA "
                    "\xC5\x93uvre";
    lzs_tokens_t *tk = tok(f->t, s);
    char *out = NULL;

    assert_int_equal(lzs_tokens_count(tk), 5);
    assert_string_equal(at(tk, 0)->norm, "r\xC3\xB6szke");
    assert_string_equal(at(tk, 0)->folded, "roszke");
    assert_string_equal(at(tk, 1)->norm, "pej\xC4\x8Dinovi\xC4\x87");
    assert_string_equal(at(tk, 1)->folded, "pejcinovic");
    assert_string_equal(at(tk, 2)->folded, "soren");
    assert_string_equal(at(tk, 3)->folded, "lodz");
    assert_string_equal(at(tk, 4)->folded, "oeuvre");
    lzs_tokens_destroy(tk);

    /* Whole strings: NFKC (the "ﬁ" ligature, full-width digits) and case folding. */
    assert_int_equal(lzs_text_normalize(f->t,
                                        "\xEF\xAC\x81"
                                        "n R\xC3\xB6szke \xEF\xBC\x91",
                                        16, &out),
                     LZS_OK);
    assert_string_equal(out, "fin r\xC3\xB6szke 1");
    free(out);
    assert_int_equal(lzs_text_fold(f->t, "PEJ\xC4\x8CINOVI\xC4\x86, Co\xC3\xB6p", 19, &out),
                     LZS_OK);
    assert_string_equal(out, "pejcinovic, coop");
    free(out);
    assert_int_equal(lzs_text_fold(f->t, "a\xFF", 2, &out), LZS_OK);
    assert_string_equal(out, "a\xEF\xBF\xBD");
    free(out);
    assert_int_equal(lzs_text_fold(f->t, NULL, 0, &out), LZS_OK);
    assert_string_equal(out, "");
    free(out);
    assert_int_equal(lzs_text_normalize(f->t, NULL, 1, &out), LZS_ERR_INVALID);
    assert_null(out);
}

static void test_phrase_key(void **state)
{
    fixture_t *f = *state;
    static const struct {
        const char *in, *key;
    } cases[] = {
        {"Co-operation", "cooperation"},
        {"Child  Sexual Abuse Material", "child sexual abuse material"},
        {"CSAM", "csam"},
        {"T-ES(2021)31", "t-es(2021)31"},
        {"Article 38(2)", "article 38(2)"},
        {"l'Enfance et la co-op\xC3\xA9ration", "enfance et la cooperation"},
        {"R\xC3\xB6szke", "roszke"},
        {" \t, ", ""},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *out = NULL;
        assert_int_equal(lzs_text_phrase_key(f->t, cases[i].in, strlen(cases[i].in), &out), LZS_OK);
        if (strcmp(out, cases[i].key) != 0)
            fail_msg("key of '%s': '%s', expected '%s'", cases[i].in, out, cases[i].key);
        free(out);
    }
    /* len counts: only the first word. */
    char *out = NULL;
    assert_int_equal(lzs_text_phrase_key(f->t, "sexual abuse", 6, &out), LZS_OK);
    assert_string_equal(out, "sexual");
    free(out);
    assert_int_equal(lzs_text_phrase_key(f->t, NULL, 0, &out), LZS_OK);
    assert_string_equal(out, "");
    free(out);
    assert_int_equal(lzs_text_phrase_key(f->t, NULL, 3, &out), LZS_ERR_INVALID);
    assert_null(out);
    assert_int_equal(lzs_text_phrase_key(NULL, "a", 1, &out), LZS_ERR_INVALID);
    assert_int_equal(lzs_text_phrase_key(f->t, "a", 1, NULL), LZS_ERR_INVALID);
}

static char *stem_copy(lzs_text_t *t, const char *lang, const char *word)
{
    const char *out = NULL;
    char *copy;
    assert_int_equal(lzs_text_stem(t, lang, word, &out), LZS_OK);
    assert_non_null(out);
    copy = strdup(out);
    assert_non_null(copy);
    return copy;
}

static void test_stem(void **state)
{
    fixture_t *f = *state;
    const char *out = (const char *)1;
    char *a, *b;

    a = stem_copy(f->t, "en", "recommendations");
    b = stem_copy(f->t, "en", "recommendation");
    assert_string_equal(a, b);
    assert_string_not_equal(a, "recommendations");
    free(a);
    free(b);
    a = stem_copy(f->t, "fr", "recommandations");
    b = stem_copy(f->t, "french", "recommandation");
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* The French stemmer sees the accent; the stem comes out folded. */
    a = stem_copy(f->t, "fr", "coop\xC3\xA9rations");
    b = stem_copy(f->t, "fr", "coop\xC3\xA9ration");
    assert_string_equal(a, b);
    assert_true(strncmp(a, "cooper", 6) == 0);
    free(a);
    free(b);
    assert_int_equal(lzs_text_stem(f->t, "xx", "word", &out), LZS_ERR_NOT_FOUND);
    assert_null(out);
    /* Cached answer: still not found, and other languages still work. */
    assert_int_equal(lzs_text_stem(f->t, "xx", "word", &out), LZS_ERR_NOT_FOUND);
    assert_int_equal(
        lzs_text_stem(f->t, "a-language-name-longer-than-any-stemmer-knows", "w", &out),
        LZS_ERR_NOT_FOUND);
    assert_int_equal(lzs_text_stem(f->t, "en", NULL, &out), LZS_ERR_INVALID);
    /* More languages than cache slots: stemmers are replaced and keep working. */
    {
        const char *langs[] = {"en", "fr", "de", "es", "it", "nl", "pt", "ru", "sv", "da", "en"};
        for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
            assert_int_equal(lzs_text_stem(f->t, langs[i], "children", &out), LZS_OK);
            assert_non_null(out);
        }
        assert_string_equal(out, "children");
    }
}

static const char *const sample =
    "The Lanzarote Committee adopted recommendation V-17 on 7 October 2021 (T-ES(2021)31). "
    "Le Comit\xC3\xA9 de Lanzarote recommande l'\xC3\xA9valuation de la coop\xC3\xA9ration. "
    "\xE5\x85\x90\xE7\xAB\xA5\xE3\x81\xAE\xE6\x80\xA7\xE7\x9A\x84\xE6\x90\xBE\xE5\x8F\x96 "
    "Article 38(2). Self-generated images, Norway's law.";

/* Token list summary, to compare runs. */
static unsigned long digest(const lzs_tokens_t *tk)
{
    unsigned long h = 5381;
    for (size_t i = 0; i < lzs_tokens_count(tk); i++) {
        const lzs_token_t *k = lzs_tokens_get(tk, i);
        for (const char *p = k->folded; *p; p++)
            h = h * 33 + (unsigned char)*p;
        h = h * 33 + k->pos + 7 * k->start + 11 * k->flags;
    }
    return h;
}

static void test_clone(void **state)
{
    fixture_t *f = *state;
    lzs_text_t *c = NULL;
    lzs_tokens_t *a, *b;
    const char *out;

    assert_int_equal(lzs_text_clone(NULL, &c), LZS_ERR_INVALID);
    assert_int_equal(lzs_text_clone(f->t, &c), LZS_OK);
    a = tok(f->t, sample);
    b = tok(c, sample);
    assert_true(lzs_tokens_count(a) > 20);
    assert_int_equal(lzs_tokens_count(a), lzs_tokens_count(b));
    assert_int_equal(digest(a), digest(b));
    lzs_tokens_destroy(a);
    lzs_tokens_destroy(b);
    assert_int_equal(lzs_text_stem(c, "en", "children", &out), LZS_OK);
    /* The clone outlives its prototype. */
    {
        lzs_text_t *p = NULL, *c2 = NULL;
        assert_int_equal(lzs_text_create(&p, NULL), LZS_OK);
        assert_int_equal(lzs_text_clone(p, &c2), LZS_OK);
        lzs_text_destroy(p);
        a = tok(c2, sample);
        b = tok(c, sample);
        assert_int_equal(digest(a), digest(b));
        lzs_tokens_destroy(a);
        lzs_tokens_destroy(b);
        lzs_text_destroy(c2);
    }
    lzs_text_destroy(c);
}

typedef struct {
    lzs_text_t *t;
    unsigned long expect;
    int failures;
} worker_t;

static void *worker(void *arg)
{
    worker_t *w = arg;
    for (int i = 0; i < 200; i++) {
        lzs_tokens_t *tk = NULL;
        const char *out;
        if (lzs_text_tokenize(w->t, sample, strlen(sample), &tk) != LZS_OK ||
            digest(tk) != w->expect)
            w->failures++;
        lzs_tokens_destroy(tk);
        if (lzs_text_stem(w->t, (i & 1) ? "en" : "fr", "recommandations", &out) != LZS_OK)
            w->failures++;
    }
    return NULL;
}

static void test_threads(void **state)
{
    fixture_t *f = *state;
    lzs_tokens_t *ref = tok(f->t, sample);
    worker_t w[2];
    pthread_t th[2];

    for (int i = 0; i < 2; i++) {
        w[i].expect = digest(ref);
        w[i].failures = 0;
        assert_int_equal(lzs_text_clone(f->t, &w[i].t), LZS_OK);
        assert_int_equal(pthread_create(&th[i], NULL, worker, &w[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(w[i].failures, 0);
        lzs_text_destroy(w[i].t);
    }
    lzs_tokens_destroy(ref);
}

static void test_utf8_helpers(void **state)
{
    char *out = NULL;
    size_t outlen = 0, nbad = 0;
    const char *e = "a\xC3\xA9"
                    "b"; /* "aéb": é is bytes 1..2 */
    (void)state;

    assert_true(lzs_text_is_valid_utf8("", 0));
    assert_true(lzs_text_is_valid_utf8(e, 4));
    assert_true(lzs_text_is_valid_utf8("\xF0\x9F\x98\x80", 4));
    assert_false(lzs_text_is_valid_utf8(e, 2)); /* cut inside é */
    assert_false(lzs_text_is_valid_utf8("a\0b", 3));
    assert_false(lzs_text_is_valid_utf8("\xC0\xAF", 2));
    assert_false(lzs_text_is_valid_utf8("\xED\xA0\x80", 3));

    assert_int_equal(lzs_text_sanitize_utf8("ab\xFF"
                                            "c\0d\xE2\x82",
                                            8, &out, &outlen, &nbad),
                     LZS_OK);
    assert_int_equal(nbad, 3);
    assert_int_equal(outlen, 13);
    assert_memory_equal(out,
                        "ab\xEF\xBF\xBD"
                        "c\xEF\xBF\xBD"
                        "d\xEF\xBF\xBD",
                        14);
    assert_true(lzs_text_is_valid_utf8(out, outlen));
    free(out);
    assert_int_equal(lzs_text_sanitize_utf8(e, 4, &out, NULL, &nbad), LZS_OK);
    assert_string_equal(out, e);
    assert_int_equal(nbad, 0);
    free(out);
    assert_int_equal(lzs_text_sanitize_utf8(NULL, 0, &out, &outlen, NULL), LZS_OK);
    assert_string_equal(out, "");
    free(out);
    assert_int_equal(lzs_text_sanitize_utf8(NULL, 2, &out, &outlen, NULL), LZS_ERR_INVALID);
    assert_null(out);

    /* boundary: end of the character holding the byte. */
    assert_int_equal(lzs_text_utf8_boundary(e, 4, 0), 1);
    assert_int_equal(lzs_text_utf8_boundary(e, 4, 1), 3);
    assert_int_equal(lzs_text_utf8_boundary(e, 4, 2), 3);
    assert_int_equal(lzs_text_utf8_boundary(e, 4, 3), 4);
    assert_int_equal(lzs_text_utf8_boundary(e, 4, 9), 4);
    /* floor: the cut that keeps at most off bytes. */
    assert_int_equal(lzs_text_utf8_floor(e, 4, 1), 1);
    assert_int_equal(lzs_text_utf8_floor(e, 4, 2), 1);
    assert_int_equal(lzs_text_utf8_floor(e, 4, 3), 3);
    assert_int_equal(lzs_text_utf8_floor(e, 4, 9), 4);
    assert_int_equal(lzs_text_utf8_floor("\xF0\x9F\x98\x80", 4, 3), 0);
}

/* The one hash is FNV-1a 64 (the published test vectors), the same over bytes and strings,
 * and it reads bytes past a NUL when told their length. */
static void test_hash(void **state)
{
    (void)state;
    assert_true(lzs_hash("", 0) == 0xcbf29ce484222325ULL);
    assert_true(lzs_hash(NULL, 0) == 0xcbf29ce484222325ULL);
    assert_true(lzs_hash("a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(lzs_hash("foobar", 6) == 0x85944171f73967e8ULL);
    assert_true(lzs_hash_str("foobar") == lzs_hash("foobar", 6));
    assert_true(lzs_hash("a\0b", 3) != lzs_hash("a", 1));
    assert_true(lzs_hash_str("NO") != lzs_hash_str("SE"));
    /* Piece by piece is the hash of the whole (searchd's tags over several files). */
    assert_true(lzs_hash_more(LZS_HASH_START, "", 0) == lzs_hash("", 0));
    assert_true(lzs_hash_more(lzs_hash("foo", 3), "bar", 3) == lzs_hash("foobar", 6));
    assert_true(lzs_hash_more(lzs_hash("bar", 3), "foo", 3) != lzs_hash("foobar", 6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_english, setup, teardown),
        cmocka_unit_test_setup_teardown(test_french_elisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_german_sharp_s, setup, teardown),
        cmocka_unit_test_setup_teardown(test_russian, setup, teardown),
        cmocka_unit_test_setup_teardown(test_greek_sigma, setup, teardown),
        cmocka_unit_test_setup_teardown(test_turkish, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cjk_thai, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_and_bad_args, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_token, setup, teardown),
        cmocka_unit_test_setup_teardown(test_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hyphens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_possessive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accent_folding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phrase_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stem, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
        cmocka_unit_test(test_utf8_helpers),
        cmocka_unit_test(test_hash),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* ICU keeps its data caches until told otherwise: free them so leak checks see only
     * what the pipeline itself leaves behind. */
    u_cleanup();
    return failed;
}
