/* fuzz_extract.c — the extractor on whole files: markdown, footnotes, headings, sidecars.
 *
 * Input: the document bytes, optionally followed by SIDECAR_SEP and the sidecar JSON text.
 * The file name (and so the language suffix and the .md/.txt reading) is chosen from the
 * input length. A success must give a document that keeps the model's promises (every
 * string valid UTF-8, ordinals 1..n, enums in range, levels only on recommendations,
 * Party codes sorted, "all" alone among addressees) and whose JSON a strict parser reads
 * back identically; a failure must come with a message and no document.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/shared_internal.h"
#include "lzs/extract.h"
#include "lzs/model.h"

#include "fuzz_common.h"

#define SIDECAR_SEP "\n==SIDECAR==\n"

static lzs_extractor_t *g_ex;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char *msg = NULL;
    lzs_status_t st = lzs_extract_open(NULL, &g_ex, &msg);
    if (st != LZS_OK) {
        fprintf(stderr, "fuzz_extract: cannot load the domain data: %s\n",
                msg ? msg : lzs_status_str(st));
        exit(1);
    }
    return 0;
}

static void check_str(const char *s, int may_be_null, const char *what, size_t i)
{
    if (!s) {
        FUZZ_CHECK(may_be_null, "%s of passage %zu is NULL", what, i);
        return;
    }
    FUZZ_CHECK(fuzz_utf8_ok(s, strlen(s)), "%s of passage %zu is not valid UTF-8", what, i);
}

static void check_list(const lzs_strlist_t *l, const char *what, size_t i, int sorted)
{
    FUZZ_CHECK(l->n <= l->cap || l->cap == 0, "%s of passage %zu: n %zu > cap %zu", what, i, l->n,
               l->cap);
    for (size_t k = 0; k < l->n; k++) {
        check_str(l->items[k], 0, what, i);
        if (sorted && k > 0) {
            FUZZ_CHECK(strcmp(l->items[k - 1], l->items[k]) < 0,
                       "%s of passage %zu not sorted and distinct", what, i);
        }
    }
}

static int is_party_code(const lzs_extractor_t *ex, const char *s)
{
    return lzs_extract_party_name(ex, s) != NULL;
}

static void check_document(const lzs_document_t *d)
{
    FUZZ_CHECK(d->id && d->id[0], "document without an id");
    check_str(d->id, 0, "id", 0);
    check_str(d->ref, 1, "ref", 0);
    check_str(d->title, 1, "title", 0);
    check_str(d->date, 1, "date", 0);
    check_str(d->source, 1, "source", 0);
    check_str(d->url, 1, "url", 0);
    FUZZ_CHECK((unsigned)d->type < LZS_DOC_TYPE_COUNT, "type %d", (int)d->type);
    FUZZ_CHECK(memchr(d->lang, '\0', sizeof d->lang) != NULL, "lang not terminated");
    FUZZ_CHECK(d->lang[0] != '\0', "document without a language");
    if (d->date) {
        /* ISO 8601 as precise as known: YYYY, YYYY-MM or YYYY-MM-DD, agreeing with year. */
        size_t n = strlen(d->date);
        FUZZ_CHECK(n == 4 || n == 7 || n == 10, "date \"%s\"", d->date);
        FUZZ_CHECK(atoi(d->date) == d->year, "date %s but year %d", d->date, d->year);
    }
    for (size_t i = 0; i < d->npassages; i++) {
        const lzs_passage_t *p = &d->passages[i];
        FUZZ_CHECK(p->ordinal == i + 1, "passage %zu has ordinal %u", i, p->ordinal);
        FUZZ_CHECK((unsigned)p->kind < LZS_KIND_COUNT, "passage %zu kind %d", i, (int)p->kind);
        FUZZ_CHECK((unsigned)p->level < LZS_LEVEL_COUNT, "passage %zu level %d", i, (int)p->level);
        FUZZ_CHECK(p->level == LZS_LEVEL_NONE || p->kind == LZS_KIND_RECOMMENDATION,
                   "passage %zu has a level but is a %s", i, lzs_kind_name(p->kind));
        check_str(p->label, 1, "label", i);
        check_str(p->text, 0, "text", i);
        check_str(p->rec_id, 1, "rec_id", i);
        check_list(&p->section, "section", i, 0);
        check_list(&p->parties, "parties", i, 1);
        check_list(&p->articles, "articles", i, 0);
        check_list(&p->addressees, "addressees", i, 0);
        for (size_t k = 0; k < p->parties.n; k++) {
            FUZZ_CHECK(is_party_code(g_ex, p->parties.items[k]),
                       "passage %zu mentions \"%s\", not a Party code", i, p->parties.items[k]);
        }
        for (size_t k = 0; k < p->addressees.n; k++) {
            const char *a = p->addressees.items[k];
            if (strcmp(a, "all") == 0) {
                FUZZ_CHECK(p->addressees.n == 1, "passage %zu: \"all\" among other addressees", i);
            } else {
                FUZZ_CHECK(is_party_code(g_ex, a), "passage %zu addressed to \"%s\"", i, a);
            }
        }
    }
    json_t *j = lzs_document_to_json(d);
    FUZZ_CHECK(j != NULL, "lzs_document_to_json returned NULL");
    FUZZ_CHECK(json_array_size(json_object_get(j, "passages")) == d->npassages,
               "JSON has %zu passages, the document %zu",
               json_array_size(json_object_get(j, "passages")), d->npassages);
    fuzz_check_json_roundtrip(j, "document");
    json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"T-ES(2021)31_en.txt", "rapport_fr.md", "notes.txt",
                                        "factsheet_2023_de.md"};
    const char *name = names[size % 4];
    const char *buf = (const char *)data;
    size_t doclen = size;
    char *sidecar = NULL;
    const char *sep = memmem(buf, size, SIDECAR_SEP, strlen(SIDECAR_SEP));
    if (sep) {
        doclen = (size_t)(sep - buf);
        size_t off = doclen + strlen(SIDECAR_SEP);
        sidecar = fuzz_strndup(data + off, size - off);
        FUZZ_CHECK(sidecar != NULL, "out of memory");
    }
    lzs_document_t *doc = NULL;
    char *msg = NULL;
    lzs_status_t st = lzs_extract_buffer(g_ex, name, buf, doclen, sidecar, &doc, &msg);
    if (st == LZS_OK) {
        FUZZ_CHECK(doc != NULL, "success without a document");
        check_document(doc);
    } else {
        FUZZ_CHECK(doc == NULL, "failure (%s) with a document", lzs_status_name(st));
        FUZZ_CHECK(st != LZS_ERR_INTERNAL, "internal error: %s", msg ? msg : "");
        FUZZ_CHECK(msg != NULL && msg[0], "failure (%s) without a message", lzs_status_name(st));
        FUZZ_CHECK(fuzz_utf8_ok(msg, strlen(msg)), "error message is not valid UTF-8");
    }
    lzs_document_free(doc);
    free(msg);
    free(sidecar);
    return 0;
}
