/* sidecar.c — NAME.meta.json beside a document: metadata that the document itself does
 * not say, or says wrong. {"reference","title","type","date","language","url",
 * "version_of","round"}, all optional; an unknown key or a value of the wrong shape is an
 * error naming it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/json_internal.h"
#include "stage.h"

void lzs_sidecar_free(lzs_sidecar_t *sc)
{
    free(sc->reference);
    free(sc->title);
    free(sc->date);
    free(sc->language);
    free(sc->url);
    free(sc->version_of);
    free(sc->round);
}

static int valid_iso_date(const char *s)
{
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return 0;
        } else if (!isdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    int m = n >= 7 ? atoi(s + 5) : 1;
    int d = n == 10 ? atoi(s + 8) : 1;
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* The keys of rounds.tsv, comma-separated, into buf (cap bytes). */
static void round_keys(const lzs_extractor_t *ex, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t i = 0; ex != NULL && i < ex->nrounds; i++) {
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", ex->rounds[i].key);
    }
}

lzs_status_t lzs_sidecar_parse(const lzs_extractor_t *ex, const char *json, const char *scname,
                               lzs_sidecar_t *sc, char **errmsg)
{
    memset(sc, 0, sizeof *sc);
    sc->type = -1;
    json_error_t jerr;
    json_t *root = NULL;
    lzs_status_t pst = lzs_json_parse(json, strlen(json), JSON_REJECT_DUPLICATES, &jerr, &root);
    if (pst == LZS_ERR_NOMEM) {
        lzs_set_errmsg(errmsg, "%s: out of memory", scname);
        return pst;
    }
    if (pst != LZS_OK) {
        lzs_set_errmsg(errmsg, "%s: line %d column %d: %s", scname, jerr.line, jerr.column,
                            jerr.text);
        return LZS_ERR_PARSE;
    }
    lzs_status_t st = LZS_OK;
    if (!json_is_object(root)) {
        lzs_set_errmsg(errmsg, "%s: expected a JSON object", scname);
        json_decref(root);
        return LZS_ERR_PARSE;
    }
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val)
    {
        char **slot = NULL;
        if (strcmp(key, "reference") == 0)
            slot = &sc->reference;
        else if (strcmp(key, "title") == 0)
            slot = &sc->title;
        else if (strcmp(key, "date") == 0)
            slot = &sc->date;
        else if (strcmp(key, "language") == 0)
            slot = &sc->language;
        else if (strcmp(key, "url") == 0)
            slot = &sc->url;
        else if (strcmp(key, "version_of") == 0)
            slot = &sc->version_of;
        else if (strcmp(key, "round") == 0)
            slot = &sc->round;
        else if (strcmp(key, "type") != 0) {
            lzs_set_errmsg(errmsg,
                           "%s: unknown key \"%s\" (known: reference, title, type, date, "
                           "language, url, version_of, round)",
                           scname, key);
            st = LZS_ERR_PARSE;
            break;
        }
        if (json_is_null(val))
            continue;
        if (!json_is_string(val)) {
            lzs_set_errmsg(errmsg, "%s: \"%s\" must be a string", scname, key);
            st = LZS_ERR_PARSE;
            break;
        }
        const char *v = json_string_value(val);
        if (slot == NULL) {
            sc->type = lzs_doctype_from_name(v);
            if (sc->type < 0) {
                lzs_set_errmsg(errmsg, "%s: \"type\": unknown document type \"%s\"", scname,
                                    v);
                st = LZS_ERR_PARSE;
                break;
            }
            continue;
        }
        if (slot == &sc->date && !valid_iso_date(v)) {
            lzs_set_errmsg(errmsg, "%s: \"date\": \"%s\" is not YYYY, YYYY-MM or YYYY-MM-DD",
                                scname, v);
            st = LZS_ERR_PARSE;
            break;
        }
        if (slot == &sc->language &&
            (strlen(v) != 2 || !islower((unsigned char)v[0]) || !islower((unsigned char)v[1]))) {
            lzs_set_errmsg(errmsg, "%s: \"language\": \"%s\" is not an ISO 639-1 code", scname,
                                v);
            st = LZS_ERR_PARSE;
            break;
        }
        if (slot == &sc->version_of && lzs_doc_id_problem(v) != NULL) {
            lzs_set_errmsg(errmsg, "%s: \"version_of\": \"%s\" cannot be a document id (%s)",
                           scname, v, lzs_doc_id_problem(v));
            st = LZS_ERR_PARSE;
            break;
        }
        if (slot == &sc->round && lzs_round_find(ex, v) == NULL) {
            char known[256];
            round_keys(ex, known, sizeof known);
            lzs_set_errmsg(errmsg, "%s: \"round\": unknown round \"%s\" (rounds.tsv has: %s)",
                           scname, v, known[0] ? known : "none");
            st = LZS_ERR_PARSE;
            break;
        }
        *slot = strdup(v);
        if (*slot == NULL) {
            st = LZS_ERR_NOMEM;
            break;
        }
    }
    json_decref(root);
    if (st != LZS_OK)
        lzs_sidecar_free(sc);
    return st;
}

