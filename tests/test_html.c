/* test_html.c — the HTML writer of lzs-searchd (searchd/html.c): hostile text in every
 * position it can take (text content, attribute values, URLs in attributes) comes out as
 * text, never as markup; names that are not plain are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../searchd/html.c"

/* Strings a document title, a passage or a query could hold to break out of the markup. */
static const char *const hostile[] = {
    "<script>window.__pwned=1</script>", "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)",           "&lt;already&gt; &amp; escaped",
    "</textarea></title><!-- -->",       "a\"b'c<d>e&f",
};

/* 1 when out holds none of the characters that can start or end markup or a value. */
static int inert(const char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (out[i] == '<' || out[i] == '>' || out[i] == '"' || out[i] == '\'')
            return 0;
    }
    return 1;
}

/* Undoes the five references the writer makes, to check nothing was lost. */
static char *unescape(const char *s)
{
    static const struct {
        const char *ref;
        char ch;
    } refs[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    char *out = malloc(strlen(s) + 1);
    size_t j = 0;
    assert_non_null(out);
    while (*s) {
        size_t k;
        for (k = 0; k < sizeof refs / sizeof refs[0]; k++) {
            size_t len = strlen(refs[k].ref);
            if (strncmp(s, refs[k].ref, len) == 0) {
                out[j++] = refs[k].ch;
                s += len;
                break;
            }
        }
        if (k == sizeof refs / sizeof refs[0])
            out[j++] = *s++;
    }
    out[j] = '\0';
    return out;
}

static void text_is_escaped_and_kept(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        lzs_sd_buf_t b = {0};
        lzs_sd_html_text(&b, hostile[i]);
        assert_false(b.failed);
        assert_true(inert(b.data, b.len));
        char *back = unescape(b.data);
        assert_string_equal(back, hostile[i]);
        free(back);
        lzs_sd_buf_free(&b);
    }
    lzs_sd_buf_t b = {0};
    lzs_sd_html_text(&b, "a & b < c");
    assert_string_equal(b.data, "a &amp; b &lt; c");
    lzs_sd_buf_free(&b);
}

static void textf_and_count(void **state)
{
    (void)state;
    lzs_sd_buf_t b = {0};
    lzs_sd_html_textf(&b, "%s (%d)", hostile[0], 3);
    assert_string_equal(b.data, "&lt;script&gt;window.__pwned=1&lt;/script&gt; (3)");
    lzs_sd_buf_free(&b);

    /* longer than the writer's stack buffer */
    char big[1000];
    memset(big, '<', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    lzs_sd_html_textf(&b, "%s", big);
    assert_int_equal(b.len, 4 * (sizeof big - 1));
    assert_true(inert(b.data, b.len));
    lzs_sd_buf_free(&b);

    lzs_sd_html_count(&b, 0);
    lzs_sd_html_static(&b, " ");
    lzs_sd_html_count(&b, 999);
    lzs_sd_html_static(&b, " ");
    lzs_sd_html_count(&b, 1000);
    lzs_sd_html_static(&b, " ");
    lzs_sd_html_count(&b, 1234567);
    assert_string_equal(b.data, "0 999 1,000 1,234,567");
    lzs_sd_buf_free(&b);
}

static void attribute_values_cannot_break_out(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        lzs_sd_buf_t b = {0};
        lzs_sd_html_open(&b, "a", "href", hostile[i], "title", hostile[i], NULL);
        assert_false(b.failed);
        /* exactly the quotes and brackets the writer put there */
        const char *first = strchr(b.data, '"');
        assert_non_null(first);
        assert_true(strncmp(b.data, "<a href=\"", 9) == 0);
        size_t n = b.len;
        assert_int_equal(b.data[n - 1], '>');
        size_t quotes = 0, brackets = 0;
        for (size_t k = 0; k < n; k++) {
            quotes += b.data[k] == '"';
            brackets += b.data[k] == '<' || b.data[k] == '>';
        }
        assert_int_equal(quotes, 4);
        assert_int_equal(brackets, 2);
        assert_null(strchr(b.data, '\''));
        lzs_sd_buf_free(&b);
    }
}

static void elements_and_boolean_attributes(void **state)
{
    (void)state;
    lzs_sd_buf_t b = {0};
    lzs_sd_html_elem(&b, "h2", "<b>Title</b>", "id", "x", "hidden", "", "lang", NULL, NULL);
    assert_string_equal(b.data, "<h2 id=\"x\" hidden=\"\">&lt;b&gt;Title&lt;/b&gt;</h2>");
    lzs_sd_buf_free(&b);
    lzs_sd_html_elem(&b, "p", NULL, NULL);
    assert_string_equal(b.data, "<p></p>");
    lzs_sd_buf_free(&b);
}

static void names_must_be_plain(void **state)
{
    (void)state;
    static const char *const bad[] = {"a onclick", "a>", "", "A", "x\"y", "on=x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lzs_sd_buf_t b = {0};
        lzs_sd_html_open(&b, bad[i], NULL);
        assert_true(b.failed);
        lzs_sd_buf_free(&b);
        lzs_sd_html_open(&b, "a", bad[i], "v", NULL);
        assert_true(b.failed);
        lzs_sd_buf_free(&b);
        lzs_sd_html_close(&b, bad[i]);
        assert_true(b.failed);
        lzs_sd_buf_free(&b);
    }
    /* after a failure nothing more is written */
    lzs_sd_buf_t b = {0};
    lzs_sd_html_open(&b, "p", "bad name", "v", NULL);
    size_t len = b.len;
    lzs_sd_html_text(&b, "more");
    assert_int_equal(b.len, len);
    lzs_sd_buf_free(&b);
}

static void urls_are_encoded(void **state)
{
    (void)state;
    lzs_sd_buf_t u = {0};
    lzs_sd_buf_puts(&u, "/");
    lzs_sd_url_param(&u, "q", "\"circle of trust\" & <x>");
    lzs_sd_url_param(&u, "party", "NO");
    lzs_sd_url_param(&u, "doc", "T-ES(2021)31_fr");
    assert_string_equal(u.data,
                        "/?q=%22circle+of+trust%22+%26+%3Cx%3E&party=NO&doc=T-ES%282021%2931_fr");
    lzs_sd_buf_t b = {0};
    lzs_sd_html_open(&b, "a", "href", u.data, NULL);
    assert_string_equal(b.data, "<a href=\"/?q=%22circle+of+trust%22+%26+%3Cx%3E&amp;party=NO&amp;"
                                "doc=T-ES%282021%2931_fr\">");
    lzs_sd_buf_free(&b);
    lzs_sd_buf_free(&u);

    lzs_sd_url_segment(&u, "a/b c");
    assert_string_equal(u.data, "a%2Fb%20c");
    lzs_sd_buf_free(&u);
    /* UTF-8 is encoded byte by byte */
    lzs_sd_url_param(&u, "q", "é");
    assert_string_equal(u.data, "?q=%C3%A9");
    lzs_sd_buf_free(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_is_escaped_and_kept),
        cmocka_unit_test(textf_and_count),
        cmocka_unit_test(attribute_values_cannot_break_out),
        cmocka_unit_test(elements_and_boolean_attributes),
        cmocka_unit_test(names_must_be_plain),
        cmocka_unit_test(urls_are_encoded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
