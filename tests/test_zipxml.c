/* test_zipxml.c — ZIP members inflated under limits and XML parsed safely
 * (lib/extract/zipxml.c): each limit refuses with its message, damaged members and
 * entities are refused, messages name the file, the member and the line, and nothing is
 * ever printed. */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blockdump.h"
#include "extract/zipxml.h"
#include "zipbuild.h"

/* Bytes that deflate does not shrink: a linear congruential sequence's high bytes. */
static char *noise(size_t n)
{
    char *b = malloc(n + 1);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (char)(x >> 24);
    }
    b[n] = '\0';
    return b;
}

static lzs_zip_t *open_members(const zb_member_t *m, size_t n, const lzs_zip_limits_t *lim,
                               char **buf)
{
    size_t len;
    assert_int_equal(zb_build(m, n, buf, &len), 0);
    lzs_zip_t *z = NULL;
    char *err = NULL;
    lzs_status_t st = lzs_zip_open("t.zip", *buf, len, lim, &z, &err);
    if (st != LZS_OK)
        fprintf(stderr, "%s\n", err ? err : "?");
    assert_int_equal(st, LZS_OK);
    assert_null(err);
    return z;
}

/* Reads member of z expecting want and, on failure, exactly the message msg (or, when msg
 * ends with "...", a message that starts with the rest). */
static void expect_read(lzs_zip_t *z, const char *member, lzs_status_t want, const char *msg)
{
    char *out = (char *)"untouched", *err = NULL;
    size_t len = 99;
    lzs_status_t st = lzs_zip_read(z, member, &out, &len, &err);
    if (st != want)
        fprintf(stderr, "%s: %s (%s)\n", member, lzs_status_name(st), err ? err : "");
    assert_int_equal(st, want);
    if (want == LZS_OK) {
        assert_non_null(out);
        assert_null(err);
        assert_int_equal(out[len], '\0');
        free(out);
        return;
    }
    assert_null(out);
    assert_int_equal(len, 0);
    assert_non_null(err);
    size_t n = strlen(msg);
    if (n > 3 && strcmp(msg + n - 3, "...") == 0) {
        if (strncmp(err, msg, n - 3) != 0)
            fail_msg("message \"%s\" does not start with \"%.*s\"", err, (int)(n - 3), msg);
    } else {
        assert_string_equal(err, msg);
    }
    free(err);
}

static void test_member_limit(void **state)
{
    (void)state;
    char *big = noise(5000), *buf;
    zb_member_t m[] = {{"big.bin", big, 5000, 1}, {"ok.bin", big, 4096, 0}};
    lzs_zip_limits_t lim = {4096, 1 << 20, 1 << 20, 100};
    lzs_zip_t *z = open_members(m, 2, &lim, &buf);
    expect_read(z, "big.bin", LZS_ERR_LIMIT,
                "t.zip: big.bin: inflates to more than 4096 bytes, the limit per member; "
                "refused (a ZIP bomb?)");
    expect_read(z, "ok.bin", LZS_OK, NULL);
    lzs_zip_close(z);
    free(buf);
    free(big);
}

static void test_total_limit(void **state)
{
    (void)state;
    char *data = noise(3000), *buf;
    zb_member_t m[] = {{"a.bin", data, 3000, 0}, {"b.bin", data, 3000, 0}};
    lzs_zip_limits_t lim = {4096, 5000, 1 << 20, 100};
    lzs_zip_t *z = open_members(m, 2, &lim, &buf);
    expect_read(z, "a.bin", LZS_OK, NULL);
    expect_read(z, "b.bin", LZS_ERR_LIMIT,
                "t.zip: b.bin: the members read inflate to more than 5000 bytes in all; "
                "refused (a ZIP bomb?)");
    lzs_zip_close(z);
    free(buf);
    free(data);
}

/* The ratio is counted on the bytes inflated, past the grace: a member that deflates well
 * but stays under the ratio is read; zeros are refused once past the grace. */
static void test_ratio_limit(void **state)
{
    (void)state;
    size_t n = 256 << 10;
    char *zeros = calloc(1, n), *text = noise(n), *buf;
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + ((unsigned char)text[i] % 4)); /* about 4:1 */
    zb_member_t m[] = {{"zeros.bin", zeros, n, 0}, {"text.txt", text, n, 0}};
    lzs_zip_limits_t lim = {1 << 20, 4 << 20, 64 << 10, 10};
    lzs_zip_t *z = open_members(m, 2, &lim, &buf);
    expect_read(z, "zeros.bin", LZS_ERR_LIMIT,
                "t.zip: zeros.bin: inflates more than 10 times its ...");
    expect_read(z, "text.txt", LZS_OK, NULL);
    lzs_zip_close(z);
    free(buf);
    free(zeros);
    free(text);
}

/* With the default limits a large stored member reads whole. */
static void test_default_limits(void **state)
{
    (void)state;
    size_t n = 3 << 20;
    char *data = noise(n), *buf, *out, *err = NULL;
    zb_member_t m[] = {{"data.bin", data, n, 1}};
    lzs_zip_t *z = open_members(m, 1, NULL, &buf);
    size_t len;
    assert_int_equal(lzs_zip_read(z, "data.bin", &out, &len, &err), LZS_OK);
    assert_int_equal(len, n);
    assert_memory_equal(out, data, n);
    free(out);
    lzs_zip_close(z);
    free(buf);
    free(data);
}

static void test_members(void **state)
{
    (void)state;
    char *buf;
    zb_member_t m[] = {{"word/document.xml", "<a/>", 0, 1}};
    lzs_zip_t *z = open_members(m, 1, NULL, &buf);
    assert_true(lzs_zip_has(z, "word/document.xml"));
    assert_true(lzs_zip_has(z, "Word/Document.XML")); /* OPC part names ignore case */
    assert_false(lzs_zip_has(z, "word/styles.xml"));
    assert_string_equal(lzs_zip_name(z), "t.zip");
    expect_read(z, "word/styles.xml", LZS_ERR_NOT_FOUND,
                "t.zip: word/styles.xml: no such member in the archive");
    lzs_zip_close(z);
    lzs_zip_close(NULL);

    /* A stored member whose bytes changed fails its CRC. */
    size_t len;
    static const char text[] = "a stored member that will be damaged";
    zb_member_t s[] = {{"m.txt", text, 0, 1}};
    free(buf);
    assert_int_equal(zb_build(s, 1, &buf, &len), 0);
    char *hit = memmem(buf, len, "damaged", 7);
    assert_non_null(hit);
    hit[0] = 'D';
    char *err = NULL;
    assert_int_equal(lzs_zip_open("t.zip", buf, len, NULL, &z, &err), LZS_OK);
    expect_read(z, "m.txt", LZS_ERR_PARSE, "t.zip: m.txt: damaged ZIP member (CRC error)");
    lzs_zip_close(z);
    free(buf);

    assert_int_equal(lzs_zip_open("t.zip", "PK", 2, NULL, &z, &err), LZS_ERR_PARSE);
    assert_null(z);
    assert_string_equal(err, "t.zip: not a ZIP archive (2 bytes)");
    free(err);
}

static void test_resolve(void **state)
{
    (void)state;
    static const struct {
        const char *part, *target, *want;
    } cases[] = {
        {"word/document.xml", "styles.xml", "word/styles.xml"},
        {"word/document.xml", "../customXml/item1.xml", "customXml/item1.xml"},
        {"word/document.xml", "/word/header1.xml", "word/header1.xml"},
        {"word/document.xml", "./media/../footer2.xml", "word/footer2.xml"},
        {"", "word/document.xml", "word/document.xml"},
        {"word/document.xml", "../../etc/passwd", NULL},
        {"document.xml", "../x.xml", NULL},
        {"word/document.xml", "", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        int ok = lzs_zip_resolve(cases[i].part, cases[i].target, out, sizeof out);
        if (cases[i].want == NULL) {
            assert_int_equal(ok, 0);
        } else {
            assert_int_equal(ok, 1);
            assert_string_equal(out, cases[i].want);
        }
    }
    char small[8];
    assert_int_equal(lzs_zip_resolve("word/document.xml", "styles.xml", small, sizeof small), 0);
}

/* Parses text, expecting want and exactly the message msg (when failing). */
static void expect_parse(const char *text, size_t len, lzs_status_t want, const char *msg)
{
    xmlDocPtr doc = (xmlDocPtr)1;
    char *err = NULL;
    lzs_status_t st = lzs_xml_parse("f.docx", "word/document.xml", text, len, &doc, &err);
    if (st != want)
        fprintf(stderr, "%s: %s\n", lzs_status_name(st), err ? err : "");
    assert_int_equal(st, want);
    if (want == LZS_OK) {
        assert_non_null(doc);
        assert_null(err);
        xmlFreeDoc(doc);
        return;
    }
    assert_null(doc);
    assert_non_null(err);
    assert_string_equal(err, msg);
    free(err);
}

static void xml_cases(void)
{
    static const char ok[] = "<?xml version='1.0' encoding='ISO-8859-1'?>\n<a>\xc3\xa9</a>";
    expect_parse(ok, sizeof ok - 1, LZS_OK, NULL);
    static const char broken[] = "<a>\n<b>\n</a>";
    expect_parse(broken, sizeof broken - 1, LZS_ERR_PARSE,
                 "f.docx: word/document.xml, line 3: Opening and ending tag mismatch: b line 2 "
                 "and a");
    /* Bytes that are not UTF-8, whatever the declaration says: one line of message. */
    static const char latin1[] = "<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xe9</a>";
    expect_parse(latin1, sizeof latin1 - 1, LZS_ERR_PARSE,
                 "f.docx: word/document.xml, line 1: Input is not proper UTF-8, indicate "
                 "encoding ! Bytes: 0xE9 0x3C 0x2F 0x61");
    static const char utf16[] = "\xff\xfe<\0a\0/\0>\0";
    expect_parse(utf16, sizeof utf16 - 1, LZS_ERR_UNSUPPORTED,
                 "f.docx: word/document.xml: UTF-16 XML; only UTF-8 is supported");
    static const char xxe[] = "<!DOCTYPE a [<!ENTITY x SYSTEM 'http://example.org/x'>]><a>&x;</a>";
    expect_parse(xxe, sizeof xxe - 1, LZS_ERR_PARSE,
                 "f.docx: word/document.xml: declares an entity (<!ENTITY>); refused: office "
                 "documents never declare one");
    static const char pe[] = "<!DOCTYPE a [<!ENTITY % p SYSTEM 'file:///etc/passwd'> %p;]><a/>";
    expect_parse(pe, sizeof pe - 1, LZS_ERR_PARSE,
                 "f.docx: word/document.xml: declares an entity (<!ENTITY>); refused: office "
                 "documents never declare one");
    static const char undef[] = "<a>&nbsp;</a>";
    expect_parse(undef, sizeof undef - 1, LZS_ERR_PARSE,
                 "f.docx: word/document.xml, line 1: Entity 'nbsp' not defined");
    expect_parse("", 0, LZS_ERR_PARSE, "f.docx: word/document.xml, line 1: Document is empty");
    bd_buf_t deep = {NULL, 0, 0};
    for (int i = 0; i < 300; i++)
        bd_add(&deep, "<a>");
    expect_parse(deep.s, deep.n, LZS_ERR_PARSE,
                 "f.docx: word/document.xml, line 1: Excessive depth in document: 256 use "
                 "XML_PARSE_HUGE option");
    free(deep.s);
}

/* The parser's errors come back in messages; none is printed. */
static void test_xml_parse(void **state)
{
    (void)state;
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    assert_true(saved >= 0 && tmp != NULL);
    assert_true(dup2(fileno(tmp), 2) >= 0);
    xml_cases();
    fflush(stderr);
    assert_true(dup2(saved, 2) >= 0);
    close(saved);
    fseek(tmp, 0, SEEK_END);
    long printed = ftell(tmp);
    fclose(tmp);
    assert_int_equal(printed, 0);
}

static void test_xml_walk(void **state)
{
    (void)state;
    static const char *const ns[] = {"urn:one", "urn:two", NULL};
    static const char text[] = "<r xmlns:a='urn:one' xmlns:b='urn:two' xmlns:c='urn:three'>"
                               "<c:x/><b:x a:v='\xc3\xa9\xc3\xa9\xc3\xa9' v='plain'/>"
                               "<a:y a:v='1&amp;2'/></r>";
    xmlDocPtr doc;
    char *err = NULL;
    assert_int_equal(lzs_xml_parse("f", "p.xml", text, sizeof text - 1, &doc, &err), LZS_OK);
    const xmlNode *root = xmlDocGetRootElement(doc);
    assert_null(lzs_xml_elem(root, ns));
    const xmlNode *x = lzs_xml_child(root, ns, "x");
    assert_non_null(x);
    assert_string_equal(lzs_xml_elem(x, ns), "x");
    assert_true(lzs_xml_is(x, ns, "x"));
    assert_false(lzs_xml_is(root->children, ns, "x")); /* c:x is in another namespace */

    char buf[6];
    assert_int_equal(lzs_xml_attr(x, ns, "v", buf, sizeof buf), 1);
    assert_string_equal(buf, "\xc3\xa9\xc3\xa9"); /* cut before a character, never inside */
    char big[16];
    assert_int_equal(lzs_xml_attr(x, NULL, "v", big, sizeof big), 1);
    assert_string_equal(big, "plain");
    assert_int_equal(lzs_xml_attr(x, ns, "missing", big, sizeof big), 0);
    assert_string_equal(big, "");
    assert_true(lzs_xml_has_attr(x, ns, "v"));
    assert_false(lzs_xml_has_attr(x, ns, "w"));
    assert_int_equal(lzs_xml_attr(lzs_xml_child(root, ns, "y"), ns, "v", big, sizeof big), 1);
    assert_string_equal(big, "1&2");
    assert_null(lzs_xml_child(NULL, ns, "x"));
    xmlFreeDoc(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_member_limit), cmocka_unit_test(test_total_limit),
        cmocka_unit_test(test_ratio_limit),  cmocka_unit_test(test_default_limits),
        cmocka_unit_test(test_members),      cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_xml_parse),    cmocka_unit_test(test_xml_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
