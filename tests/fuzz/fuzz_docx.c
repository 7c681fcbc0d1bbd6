/* fuzz_docx.c — the DOCX and ODT readers on arbitrary XML parts.
 *
 * Input: up to five parts separated by PART_SEP. The parts are packed, stored, into a
 * DOCX in memory as word/document.xml, word/styles.xml, word/numbering.xml,
 * word/footnotes.xml and word/header1.xml (with the package and document relationships
 * that point at them), and into an ODT as content.xml and styles.xml: the fuzzer
 * explores the XML readers, not libzip's checks. Each package goes through its reader.
 *
 * A success must give blocks that keep block.h's promises (valid UTF-8 without control
 * characters, trimmed, single spaces, len == strlen, kinds and levels in range, table
 * cells with a row and a column, footnotes with a label, marks from 1) and furniture in
 * valid UTF-8; a failure must come with one line of message naming the file, no block
 * and no furniture.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/block.h"

#include "../zipbuild.h"
#include "fuzz_common.h"

#define PART_SEP "\n==PART==\n"
#define MAX_PARTS 5

#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static const char content_types[] =
    "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'>"
    "<Default Extension='xml' ContentType='application/xml'/></Types>";
static const char package_rels[] =
    "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
    "<Relationship Id='rId1' Type='" NS_R "/officeDocument' Target='word/document.xml'/>"
    "</Relationships>";
static const char document_rels[] =
    "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
    "<Relationship Id='rId1' Type='" NS_R "/styles' Target='styles.xml'/>"
    "<Relationship Id='rId2' Type='" NS_R "/numbering' Target='numbering.xml'/>"
    "<Relationship Id='rId3' Type='" NS_R "/footnotes' Target='footnotes.xml'/>"
    "<Relationship Id='rId4' Type='" NS_R "/header' Target='header1.xml'/>"
    "<Relationship Id='rId5' Type='" NS_R "/footer' Target='header1.xml'/>"
    "</Relationships>";
static const char manifest[] =
    "<manifest:manifest xmlns:manifest='urn:oasis:names:tc:opendocument:xmlns:manifest:1.0'>"
    "<manifest:file-entry manifest:full-path='/'"
    " manifest:media-type='application/vnd.oasis.opendocument.text'/></manifest:manifest>";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* libzip stamps each member it writes with the local time: without TZ, glibc reads
     * /etc/localtime again for every package built here. */
    setenv("TZ", "UTC", 0);
    return 0;
}

static void check_blocks(const lzs_blocks_t *bs, const char *what)
{
    for (size_t i = 0; i < bs->n; i++) {
        const lzs_block_t *b = &bs->v[i];
        const char *t = b->text;
        FUZZ_CHECK((unsigned)b->kind < LZS_BLOCK_KIND_COUNT, "%s: block %zu kind %d", what, i,
                   (int)b->kind);
        FUZZ_CHECK(t != NULL && strlen(t) == b->len, "%s: block %zu: len is not strlen", what, i);
        FUZZ_CHECK(fuzz_utf8_ok(t, b->len), "%s: block %zu: text not UTF-8", what, i);
        FUZZ_CHECK(b->len > 0, "%s: block %zu: empty text", what, i);
        FUZZ_CHECK(t[0] != ' ' && t[b->len - 1] != ' ', "%s: block %zu not trimmed: \"%s\"", what,
                   i, t);
        FUZZ_CHECK(strstr(t, "  ") == NULL, "%s: block %zu: double space: \"%s\"", what, i, t);
        for (size_t k = 0; k < b->len; k++)
            FUZZ_CHECK((unsigned char)t[k] >= 0x20 && t[k] != 0x7f,
                       "%s: block %zu: control character", what, i);
        FUZZ_CHECK(b->lines >= 1 && b->page == 0, "%s: block %zu: lines %d page %u", what, i,
                   b->lines, b->page);
        switch (b->kind) {
        case LZS_BLOCK_HEADING:
            FUZZ_CHECK(b->level >= 1 && b->level <= 6, "%s: heading level %d", what, b->level);
            break;
        case LZS_BLOCK_LIST_ITEM:
            FUZZ_CHECK(b->level >= 1 && b->level <= 10, "%s: list level %d", what, b->level);
            break;
        case LZS_BLOCK_TABLE_CELL:
            FUZZ_CHECK(b->row >= 1 && b->col >= 1, "%s: cell at %u.%u", what, b->row, b->col);
            break;
        case LZS_BLOCK_FOOTNOTE:
            FUZZ_CHECK(b->number[0] != '\0' && memchr(b->number, '\0', sizeof b->number) &&
                           fuzz_utf8_ok(b->number, strlen(b->number)),
                       "%s: footnote without a valid label", what);
            break;
        default:
            FUZZ_CHECK(b->level == 0, "%s: %s with level %d", what, lzs_block_kind_name(b->kind),
                       b->level);
            break;
        }
        for (size_t m = 0; m < b->nmarks; m++)
            FUZZ_CHECK(b->marks[m] >= 1, "%s: block %zu: mark 0", what, i);
    }
    for (size_t i = 0; i < bs->furniture.n; i++) {
        const char *f = bs->furniture.items[i];
        FUZZ_CHECK(f && f[0] && fuzz_utf8_ok(f, strlen(f)), "%s: furniture %zu", what, i);
    }
}

static void run(lzs_reader_fn reader, const char *name, const zb_member_t *m, size_t n)
{
    char *zip;
    size_t len;
    FUZZ_CHECK(zb_build(m, n, &zip, &len) == 0, "%s: cannot build the package", name);
    lzs_blocks_t bs;
    memset(&bs, 0, sizeof bs);
    char *msg = NULL;
    lzs_status_t st = reader(NULL, name, zip, len, &bs, &msg);
    if (st == LZS_OK) {
        FUZZ_CHECK(msg == NULL, "%s: success with a message: %s", name, msg);
        FUZZ_CHECK(bs.st == LZS_OK, "%s: success with a failed block list", name);
        check_blocks(&bs, name);
    } else {
        FUZZ_CHECK(st == LZS_ERR_PARSE || st == LZS_ERR_LIMIT || st == LZS_ERR_UNSUPPORTED ||
                       st == LZS_ERR_NOMEM,
                   "%s: unexpected status %s: %s", name, lzs_status_name(st), msg ? msg : "");
        FUZZ_CHECK(msg != NULL && strncmp(msg, name, strlen(name)) == 0 && msg[strlen(name)] == ':',
                   "%s: failure (%s) without a message naming the file: %s", name,
                   lzs_status_name(st), msg ? msg : "(none)");
        FUZZ_CHECK(fuzz_utf8_ok(msg, strlen(msg)) && strchr(msg, '\n') == NULL,
                   "%s: message not one line of UTF-8", name);
        /* Bad input fails before any output; only memory can run out half-way. */
        FUZZ_CHECK(st == LZS_ERR_NOMEM || (bs.n == 0 && bs.furniture.n == 0),
                   "%s: failure with %zu blocks", name, bs.n);
    }
    free(msg);
    lzs_blocks_clear(&bs);
    free(zip);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *part[MAX_PARTS] = {NULL};
    size_t plen[MAX_PARTS] = {0};
    const char *s = (const char *)data, *end = s + size;
    for (int i = 0; i < MAX_PARTS && s <= end; i++) {
        const char *sep = memmem(s, (size_t)(end - s), PART_SEP, strlen(PART_SEP));
        part[i] = s;
        plen[i] = sep ? (size_t)(sep - s) : (size_t)(end - s);
        if (sep == NULL)
            break;
        s = sep + strlen(PART_SEP);
    }
    /* An empty part is left out of the package rather than stored empty. */
    for (int i = 0; i < MAX_PARTS; i++)
        if (part[i] && plen[i] == 0)
            part[i] = NULL;

    zb_member_t docx[] = {
        {"[Content_Types].xml", content_types, 0, 1},
        {"_rels/.rels", package_rels, 0, 1},
        {"word/_rels/document.xml.rels", document_rels, 0, 1},
        {"word/document.xml", part[0], plen[0], 1},
        {"word/styles.xml", part[1], plen[1], 1},
        {"word/numbering.xml", part[2], plen[2], 1},
        {"word/footnotes.xml", part[3], plen[3], 1},
        {"word/header1.xml", part[4], plen[4], 1},
    };
    run(lzs_read_docx, "fuzz.docx", docx, sizeof docx / sizeof docx[0]);

    zb_member_t odt[] = {
        {"mimetype", "application/vnd.oasis.opendocument.text", 0, 1},
        {"META-INF/manifest.xml", manifest, 0, 1},
        {"content.xml", part[0], plen[0], 1},
        {"styles.xml", part[1], plen[1], 1},
    };
    run(lzs_read_odt, "fuzz.odt", odt, sizeof odt / sizeof odt[0]);
    return 0;
}
