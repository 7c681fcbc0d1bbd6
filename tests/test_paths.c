/* test_paths.c — default locations (include/lzs/paths.h): a variable wins when set and not
 * empty; otherwise the data, page and documents are under SHARE, share/lanzasearch beside
 * the running program's directory, which in the build tree leads to the source tree; the
 * index falls back from LZS_INDEX_DIR to XDG_DATA_HOME to HOME; a path that does not fit is
 * refused, never cut.
 */
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lzs/file.h"
#include "core/paths_internal.h"

static const char *const k_vars[] = {"LZS_CORPUS_DIR", "LZS_DATA_DIR", "LZS_INDEX_DIR",
                                     "XDG_DATA_HOME", "HOME"};

static int clear_env(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_vars / sizeof k_vars[0]; i++)
        unsetenv(k_vars[i]);
    return 0;
}

/* The parent of the directory holding this test program, + "/share/lanzasearch". */
static void expected_share(char *buf, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    *strrchr(exe, '/') = '\0';
    assert_true((size_t)snprintf(buf, cap, "%s/share/lanzasearch", exe) < cap);
}

static void test_share_beside_the_program(void **state)
{
    (void)state;
    char want[PATH_MAX], got[PATH_MAX], sub[PATH_MAX + 16];
    expected_share(want, sizeof want);
    assert_int_equal(lzs_share_dir(got, sizeof got), LZS_OK);
    assert_string_equal(got, want);

    assert_int_equal(lzs_default_data_dir(got, sizeof got), LZS_OK);
    snprintf(sub, sizeof sub, "%s/data", want);
    assert_string_equal(got, sub);
    assert_int_equal(lzs_default_web_dir(got, sizeof got), LZS_OK);
    snprintf(sub, sizeof sub, "%s/web", want);
    assert_string_equal(got, sub);
    assert_int_equal(lzs_default_corpus_dir(got, sizeof got), LZS_OK);
    snprintf(sub, sizeof sub, "%s/corpus", want);
    assert_string_equal(got, sub);
}

/* The build tree's copy of the page's file name (web, the default web directory) is the
 * source's file, byte for byte. */
static void expect_copied(const char *web, const char *name)
{
    char built[PATH_MAX + 300], source[PATH_MAX + 300];
    snprintf(built, sizeof built, "%s/%s", web, name);
    snprintf(source, sizeof source, "%s/web/%s", LZS_SOURCE_DIR, name);
    char *x = NULL, *y = NULL;
    size_t nx = 0, ny = 0;
    if (lzs_file_read(-1, built, 1u << 24, &x, &nx, NULL) != LZS_OK)
        fail_msg("%s: web/%s is not in the build tree's web directory (build lzs-web; a "
                 "name the build does not copy is missed by the daemon and the install)",
                 built, name);
    assert_int_equal(lzs_file_read(-1, source, 1u << 24, &y, &ny, NULL), LZS_OK);
    if (nx != ny || memcmp(x, y, nx) != 0)
        fail_msg("%s differs from %s: build lzs-web again", built, source);
    free(x);
    free(y);
}

/* This program runs from the build tree: SHARE's data and corpus are the source tree's;
 * its web is the build's copy of the source's page, checked for every file of the
 * source's web/ (listed, not named here), so that none can be left out. */
static void test_build_tree_reads_the_source_tree(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {{"data", "/corpus/data"}, {"corpus", "/corpus"}};
    char share[PATH_MAX];
    assert_int_equal(lzs_share_dir(share, sizeof share), LZS_OK);
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char path[PATH_MAX + 16], a[PATH_MAX], b[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", share, pairs[i][0]);
        if (!realpath(path, a))
            fail_msg("%s does not exist: the build tree lacks share/lanzasearch/%s", path,
                     pairs[i][0]);
        snprintf(path, sizeof path, "%s%s", LZS_SOURCE_DIR, pairs[i][1]);
        assert_non_null(realpath(path, b));
        assert_string_equal(a, b);
    }
    char web[PATH_MAX], source[PATH_MAX + 16];
    assert_int_equal(lzs_default_web_dir(web, sizeof web), LZS_OK);
    snprintf(source, sizeof source, "%s/web", LZS_SOURCE_DIR);
    DIR *d = opendir(source);
    if (!d)
        fail_msg("%s: cannot list the source's web directory", source);
    size_t files = 0;
    int has_index = 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        char path[PATH_MAX + 300];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", source, e->d_name);
        if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        expect_copied(web, e->d_name);
        has_index |= strcmp(e->d_name, "index.html") == 0;
        files++;
    }
    closedir(d);
    /* the listing saw the page, not an empty or wrong directory */
    if (!has_index || files < 4)
        fail_msg("%s: %zu files listed, index.html %s", source, files,
                 has_index ? "among them" : "not among them");
}

static void test_variables_win_unless_empty(void **state)
{
    (void)state;
    char got[PATH_MAX], share[PATH_MAX], sub[PATH_MAX + 16];
    setenv("LZS_DATA_DIR", "/elsewhere/data", 1);
    setenv("LZS_CORPUS_DIR", "/elsewhere/corpus", 1);
    assert_int_equal(lzs_default_data_dir(got, sizeof got), LZS_OK);
    assert_string_equal(got, "/elsewhere/data");
    assert_int_equal(lzs_default_corpus_dir(got, sizeof got), LZS_OK);
    assert_string_equal(got, "/elsewhere/corpus");

    setenv("LZS_DATA_DIR", "", 1);
    assert_int_equal(lzs_default_data_dir(got, sizeof got), LZS_OK);
    assert_int_equal(lzs_share_dir(share, sizeof share), LZS_OK);
    snprintf(sub, sizeof sub, "%s/data", share);
    assert_string_equal(got, sub);
}

static void test_index_fallbacks(void **state)
{
    (void)state;
    char got[PATH_MAX];
    assert_int_equal(lzs_default_index_dir(got, sizeof got), LZS_ERR_NOT_FOUND);
    setenv("HOME", "/home/u", 1);
    assert_int_equal(lzs_default_index_dir(got, sizeof got), LZS_OK);
    assert_string_equal(got, "/home/u/.local/share/lanzasearch/index");
    setenv("XDG_DATA_HOME", "/xdg", 1);
    assert_int_equal(lzs_default_index_dir(got, sizeof got), LZS_OK);
    assert_string_equal(got, "/xdg/lanzasearch/index");
    setenv("LZS_INDEX_DIR", "/srv/index", 1);
    assert_int_equal(lzs_default_index_dir(got, sizeof got), LZS_OK);
    assert_string_equal(got, "/srv/index");
}

static void test_too_small_is_refused(void **state)
{
    (void)state;
    char share[PATH_MAX], small[PATH_MAX];
    assert_int_equal(lzs_share_dir(share, sizeof share), LZS_OK);
    size_t len = strlen(share);
    /* Exactly enough (the NUL included), then one byte less. */
    assert_int_equal(lzs_share_dir(small, len + 1), LZS_OK);
    assert_string_equal(small, share);
    assert_int_equal(lzs_share_dir(small, len), LZS_ERR_LIMIT);
    assert_int_equal(lzs_default_web_dir(small, len + 4), LZS_ERR_LIMIT); /* "/web" + NUL */
    setenv("LZS_INDEX_DIR", "/srv/index", 1);
    assert_int_equal(lzs_default_index_dir(small, 10), LZS_ERR_LIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_share_beside_the_program, clear_env),
        cmocka_unit_test_setup(test_build_tree_reads_the_source_tree, clear_env),
        cmocka_unit_test_setup(test_variables_win_unless_empty, clear_env),
        cmocka_unit_test_setup(test_index_fallbacks, clear_env),
        cmocka_unit_test_setup(test_too_small_is_refused, clear_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
