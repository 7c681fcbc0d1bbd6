/* fuzz_hitjson.c — the JSON writing of documents and passages (the "doc" and "passage"
 * objects of every search hit and of the stored document data).
 *
 * The document is built directly from the input, so that the writer sees strings the
 * extractor would never produce but the model allows: quotes, backslashes, control
 * characters, U+2028/U+2029, non-characters, astral characters, very long values.
 * Input layout: records separated by 0x1E; the first record is the document (fields
 * separated by 0x1F: id, ref, title, date, lang, source, url, type), each further record a
 * passage (kind/level, label, text, section, rec_id, parties, articles, addressees; list
 * items separated by 0x1D). Every string is made valid UTF-8 first, as the model requires.
 *
 * Checks: the JSON (written with UTF-8 kept, as searchd sends it) parses back strictly to
 * an equal value, and the strings in it are exactly the model's strings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/shared_internal.h"
#include "lzs/model.h"
#include "lzs/text.h"

#include "fuzz_common.h"

/* Field i (separated by sep) of [s, s + n), as a slice. */
typedef struct {
    const char *p;
    size_t n;
} slice_t;

static slice_t field(slice_t rec, char sep, size_t i)
{
    const char *p = rec.p, *end = rec.p + rec.n;
    for (size_t k = 0; k < i; k++) {
        const char *q = memchr(p, sep, (size_t)(end - p));
        if (!q) {
            return (slice_t){end, 0};
        }
        p = q + 1;
    }
    const char *q = memchr(p, sep, (size_t)(end - p));
    return (slice_t){p, q ? (size_t)(q - p) : (size_t)(end - p)};
}

/* A valid UTF-8 copy of the slice (caller frees with free()), or NULL when it is empty and
 * may_be_null is set. */
static char *str_of(slice_t s, int may_be_null)
{
    if (s.n == 0 && may_be_null) {
        return NULL;
    }
    char *out = NULL;
    size_t outlen = 0;
    lzs_status_t st = lzs_text_sanitize_utf8(s.p, s.n, &out, &outlen, NULL);
    FUZZ_CHECK(st == LZS_OK && out, "sanitize failed");
    return out;
}

static void fill_list(lzs_strlist_t *l, slice_t s)
{
    if (s.n == 0) {
        return;
    }
    for (size_t i = 0; i < 16; i++) {
        slice_t item = field(s, '\x1d', i);
        if (item.p >= s.p + s.n && i > 0) {
            break;
        }
        char *v = str_of(item, 0);
        FUZZ_CHECK(lzs_strlist_push(l, v) == LZS_OK, "strlist_push failed");
        free(v);
    }
}

static void expect_string(const json_t *obj, const char *key, const char *want)
{
    const json_t *v = json_object_get(obj, key);
    if (!want) {
        FUZZ_CHECK(v == NULL || json_is_null(v), "\"%s\" should be null", key);
        return;
    }
    FUZZ_CHECK(json_is_string(v), "\"%s\" is not a string", key);
    FUZZ_CHECK(json_string_length(v) == strlen(want) &&
                   memcmp(json_string_value(v), want, strlen(want)) == 0,
               "\"%s\" differs from the model's string", key);
}

static void expect_list(const json_t *obj, const char *key, const lzs_strlist_t *l)
{
    const json_t *v = json_object_get(obj, key);
    FUZZ_CHECK(json_is_array(v) && json_array_size(v) == l->n, "\"%s\": wrong list", key);
    for (size_t i = 0; i < l->n; i++) {
        const json_t *item = json_array_get(v, i);
        FUZZ_CHECK(json_is_string(item) && strcmp(json_string_value(item), l->items[i]) == 0,
                   "\"%s\"[%zu] differs", key, i);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    slice_t all = {(const char *)data, size};
    slice_t meta = field(all, '\x1e', 0);
    lzs_document_t *doc = lzs_document_new();
    FUZZ_CHECK(doc != NULL, "out of memory");
    doc->id = str_of(field(meta, '\x1f', 0), 0);
    doc->ref = str_of(field(meta, '\x1f', 1), 1);
    doc->title = str_of(field(meta, '\x1f', 2), 0);
    doc->date = str_of(field(meta, '\x1f', 3), 1);
    doc->year = doc->date ? atoi(doc->date) : 0;
    slice_t lang = field(meta, '\x1f', 4);
    size_t nl = 0;
    for (size_t i = 0; i < lang.n && nl < sizeof doc->lang - 1; i++) {
        if ((lang.p[i] >= 'a' && lang.p[i] <= 'z') || lang.p[i] == '-') {
            doc->lang[nl++] = lang.p[i];
        }
    }
    if (nl == 0) {
        memcpy(doc->lang, "en", 3);
    }
    doc->source = str_of(field(meta, '\x1f', 5), 0);
    doc->url = str_of(field(meta, '\x1f', 6), 1);
    slice_t type = field(meta, '\x1f', 7);
    doc->type =
        type.n ? (lzs_doctype_t)((unsigned char)type.p[0] % LZS_DOC_TYPE_COUNT) : LZS_DOC_OTHER;

    for (size_t r = 1; r < 200; r++) {
        slice_t rec = field(all, '\x1e', r);
        if (rec.p >= all.p + all.n) {
            break;
        }
        lzs_passage_t *p = lzs_document_add_passage(doc);
        FUZZ_CHECK(p != NULL, "out of memory");
        slice_t kl = field(rec, '\x1f', 0);
        unsigned k = kl.n ? (unsigned char)kl.p[0] : 0;
        p->kind = (lzs_kind_t)(k % LZS_KIND_COUNT);
        p->level = p->kind == LZS_KIND_RECOMMENDATION
                       ? (lzs_level_t)((k / LZS_KIND_COUNT) % LZS_LEVEL_COUNT)
                       : LZS_LEVEL_NONE;
        p->label = str_of(field(rec, '\x1f', 1), 1);
        p->text = str_of(field(rec, '\x1f', 2), 0);
        fill_list(&p->section, field(rec, '\x1f', 3));
        p->rec_id = str_of(field(rec, '\x1f', 4), 1);
        fill_list(&p->parties, field(rec, '\x1f', 5));
        fill_list(&p->articles, field(rec, '\x1f', 6));
        fill_list(&p->addressees, field(rec, '\x1f', 7));
    }

    json_t *j = lzs_document_to_json(doc);
    FUZZ_CHECK(j != NULL, "lzs_document_to_json returned NULL");
    fuzz_check_json_roundtrip(j, "document");
    expect_string(j, "id", doc->id);
    expect_string(j, "title", doc->title);
    expect_string(j, "ref", doc->ref);
    expect_string(j, "url", doc->url);
    expect_string(j, "source", doc->source);
    expect_string(j, "lang", doc->lang);
    const json_t *passages = json_object_get(j, "passages");
    FUZZ_CHECK(json_array_size(passages) == doc->npassages, "passage count differs");
    for (size_t i = 0; i < doc->npassages; i++) {
        const lzs_passage_t *p = &doc->passages[i];
        const json_t *pj = json_array_get(passages, i);
        expect_string(pj, "text", p->text);
        expect_string(pj, "label", p->label);
        expect_string(pj, "rec_id", p->rec_id);
        expect_list(pj, "section", &p->section);
        expect_list(pj, "parties", &p->parties);
        expect_list(pj, "articles", &p->articles);
        expect_list(pj, "addressees", &p->addressees);
        json_t *alone = lzs_passage_to_json(p);
        FUZZ_CHECK(alone != NULL, "lzs_passage_to_json returned NULL");
        FUZZ_CHECK(json_equal(alone, (json_t *)pj), "passage %zu: JSON differs alone", i);
        fuzz_check_json_roundtrip(alone, "passage");
        json_decref(alone);
    }
    json_t *m = lzs_document_meta_to_json(doc);
    FUZZ_CHECK(m != NULL, "lzs_document_meta_to_json returned NULL");
    fuzz_check_json_roundtrip(m, "document meta");
    expect_string(m, "title", doc->title);
    json_decref(m);
    json_decref(j);
    lzs_document_free(doc);
    return 0;
}
