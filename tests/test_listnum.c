/* test_listnum.c — list numbers as word processors print them (lib/extract/listnum.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "extract/listnum.h"

static void expect(long value, lzs_numfmt_t fmt, const char *want)
{
    char buf[32];
    size_t n = lzs_num_format(value, fmt, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_formats(void **state)
{
    (void)state;
    expect(13, LZS_NUM_DECIMAL, "13");
    expect(7, LZS_NUM_DECIMAL_ZERO, "07");
    expect(12, LZS_NUM_DECIMAL_ZERO, "12");
    expect(1, LZS_NUM_LOWER_LETTER, "a");
    expect(26, LZS_NUM_UPPER_LETTER, "Z");
    /* Word repeats the letter past z; OpenDocument counts on like spreadsheet columns. */
    expect(27, LZS_NUM_LOWER_LETTER, "aa");
    expect(28, LZS_NUM_LOWER_LETTER, "bb");
    expect(53, LZS_NUM_UPPER_LETTER, "AAA");
    expect(27, LZS_NUM_LOWER_LETTER2, "aa");
    expect(28, LZS_NUM_LOWER_LETTER2, "ab");
    expect(702, LZS_NUM_UPPER_LETTER2, "ZZ");
    expect(703, LZS_NUM_UPPER_LETTER2, "AAA");
    expect(4, LZS_NUM_LOWER_ROMAN, "iv");
    expect(44, LZS_NUM_UPPER_ROMAN, "XLIV");
    expect(1994, LZS_NUM_UPPER_ROMAN, "MCMXCIV");
    expect(3999, LZS_NUM_LOWER_ROMAN, "mmmcmxcix");
    expect(5, LZS_NUM_BULLET, "");
    expect(5, LZS_NUM_NONE, "");
}

/* What a format cannot write comes out in decimal rather than wrong. */
static void test_out_of_range(void **state)
{
    (void)state;
    expect(0, LZS_NUM_LOWER_ROMAN, "0");
    expect(4000, LZS_NUM_UPPER_ROMAN, "4000");
    expect(0, LZS_NUM_LOWER_LETTER, "0");
    expect(-3, LZS_NUM_UPPER_LETTER2, "-3");
    char small[3];
    assert_int_equal(lzs_num_format(1994, LZS_NUM_UPPER_ROMAN, small, sizeof small), 2);
    assert_string_equal(small, "MC");
    assert_int_equal(lzs_num_format(123456, LZS_NUM_DECIMAL, small, sizeof small), 2);
    assert_string_equal(small, "12");
    assert_int_equal(lzs_num_format(1, LZS_NUM_DECIMAL, small, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
