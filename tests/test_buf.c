/* test_buf.c — the growable string buffer (include/lzs/buf.h): what is appended comes out
 * in order and NUL-terminated however many times the buffer grew; a failure sticks and
 * voids the text; take hands the text over and leaves an empty buffer. Out of memory
 * itself is driven by tests/fault/test_oom.c, through every caller of the buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lzs/buf.h"

static void test_append_grows_and_terminates(void **state)
{
    (void)state;
    lzs_buf_t b = {0};
    char expect[5001];
    /* 5,000 bytes one at a time: many times past the first allocation */
    for (size_t i = 0; i < 5000; i++) {
        char c = (char)('a' + (char)(i % 26));
        lzs_buf_append(&b, &c, 1);
        expect[i] = c;
    }
    expect[5000] = '\0';
    assert_false(b.failed);
    assert_int_equal(b.len, 5000);
    assert_true(b.cap > b.len);
    assert_string_equal(b.data, expect);
    lzs_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

static void test_puts_and_printf(void **state)
{
    (void)state;
    lzs_buf_t b = {0};
    lzs_buf_puts(&b, "grooming");
    lzs_buf_printf(&b, " %s %d, %.1f%%", "article", 23, 12.5);
    lzs_buf_append(&b, NULL, 0);
    lzs_buf_puts(&b, "");
    assert_false(b.failed);
    assert_string_equal(b.data, "grooming article 23, 12.5%");
    assert_int_equal(b.len, strlen("grooming article 23, 12.5%"));
    lzs_buf_free(&b);
}

static void test_take_hands_over(void **state)
{
    (void)state;
    lzs_buf_t b = {0};
    lzs_buf_puts(&b, "Lanzarote");
    size_t len = 99;
    char *s = lzs_buf_take(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "Lanzarote");
    assert_int_equal(len, 9);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    free(s);

    /* nothing appended: an empty string, not NULL (NULL means failure) */
    s = lzs_buf_take(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);
}

static void test_failure_sticks(void **state)
{
    (void)state;
    lzs_buf_t b = {0};
    lzs_buf_puts(&b, "kept");
    /* a size no allocation can hold: the buffer fails as when memory runs out */
    lzs_buf_append(&b, "x", SIZE_MAX - 2);
    assert_true(b.failed);
    assert_string_equal(b.data, "kept"); /* what was there stays until freed */
    lzs_buf_puts(&b, " more");
    lzs_buf_printf(&b, "%d", 1);
    assert_string_equal(b.data, "kept");
    assert_int_equal(b.len, 4);
    size_t len = 99;
    assert_null(lzs_buf_take(&b, &len));
    assert_int_equal(len, 0);
    assert_null(b.data);
    assert_false(b.failed); /* take reset it: the buffer can be used again */
    lzs_buf_puts(&b, "again");
    assert_string_equal(b.data, "again");
    lzs_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_grows_and_terminates),
        cmocka_unit_test(test_puts_and_printf),
        cmocka_unit_test(test_take_hands_over),
        cmocka_unit_test(test_failure_sticks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
