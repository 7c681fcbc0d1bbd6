/* sidecar.c — NAME.meta.json beside a document: metadata that the document itself does
 * not say, or says wrong. {"reference","title","type","date","language","url",
 * "version_of","round"}, all optional; an unknown key or a value of the wrong shape is an
 * error naming it. */
#include <ctype.h>
#include <stddef.h>
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

/* The string fields of a sidecar, by key; "type" is read apart (a name made a number). */
static const struct {
    const char *key;
    size_t offset; /* of the char * field in lzs_sidecar_t */
} sidecar_fields[] = {
    {"reference", offsetof(lzs_sidecar_t, reference)},
    {"title", offsetof(lzs_sidecar_t, title)},
    {"date", offsetof(lzs_sidecar_t, date)},
    {"language", offsetof(lzs_sidecar_t, language)},
    {"url", offsetof(lzs_sidecar_t, url)},
    {"version_of", offsetof(lzs_sidecar_t, version_of)},
    {"round", offsetof(lzs_sidecar_t, round)},
};

/* The field of sc that key fills, or NULL ("type", or a key that is not one). */
static char **sidecar_slot(lzs_sidecar_t *sc, const char *key)
{
    for (size_t i = 0; i < sizeof sidecar_fields / sizeof sidecar_fields[0]; i++)
        if (strcmp(key, sidecar_fields[i].key) == 0)
            return (char **)(void *)((char *)sc + sidecar_fields[i].offset);
    return NULL;
}

/* Checks value v of the field slot of sc (key names it); LZS_ERR_PARSE with a message
 * naming scname when its shape is wrong. */
static lzs_status_t check_value(const lzs_extractor_t *ex, lzs_sidecar_t *sc, char **slot,
                                const char *v, const char *scname, char **errmsg)
{
    if (slot == &sc->date && !valid_iso_date(v)) {
        lzs_set_errmsg(errmsg, "%s: \"date\": \"%s\" is not YYYY, YYYY-MM or YYYY-MM-DD", scname,
                       v);
        return LZS_ERR_PARSE;
    }
    if (slot == &sc->language &&
        (strlen(v) != 2 || !islower((unsigned char)v[0]) || !islower((unsigned char)v[1]))) {
        lzs_set_errmsg(errmsg, "%s: \"language\": \"%s\" is not an ISO 639-1 code", scname, v);
        return LZS_ERR_PARSE;
    }
    if (slot == &sc->version_of && lzs_doc_id_problem(v) != NULL) {
        lzs_set_errmsg(errmsg, "%s: \"version_of\": \"%s\" cannot be a document id (%s)", scname, v,
                       lzs_doc_id_problem(v));
        return LZS_ERR_PARSE;
    }
    if (slot == &sc->round && lzs_round_find(ex, v) == NULL) {
        char known[256];
        round_keys(ex, known, sizeof known);
        lzs_set_errmsg(errmsg, "%s: \"round\": unknown round \"%s\" (rounds.tsv has: %s)", scname,
                       v, known[0] ? known : "none");
        return LZS_ERR_PARSE;
    }
    return LZS_OK;
}

/* Reads one key and its value into sc; a status and a message naming scname when the
 * key is unknown or the value of the wrong shape. */
static lzs_status_t read_key(const lzs_extractor_t *ex, const char *key, const json_t *val,
                             const char *scname, lzs_sidecar_t *sc, char **errmsg)
{
    char **slot = sidecar_slot(sc, key);
    if (slot == NULL && strcmp(key, "type") != 0) {
        lzs_set_errmsg(errmsg,
                       "%s: unknown key \"%s\" (known: reference, title, type, date, "
                       "language, url, version_of, round)",
                       scname, key);
        return LZS_ERR_PARSE;
    }
    if (json_is_null(val))
        return LZS_OK;
    if (!json_is_string(val)) {
        lzs_set_errmsg(errmsg, "%s: \"%s\" must be a string", scname, key);
        return LZS_ERR_PARSE;
    }
    const char *v = json_string_value(val);
    if (slot == NULL) {
        sc->type = lzs_doctype_from_name(v);
        if (sc->type < 0) {
            lzs_set_errmsg(errmsg, "%s: \"type\": unknown document type \"%s\"", scname, v);
            return LZS_ERR_PARSE;
        }
        return LZS_OK;
    }
    lzs_status_t st = check_value(ex, sc, slot, v, scname, errmsg);
    if (st != LZS_OK)
        return st;
    *slot = strdup(v);
    return *slot == NULL ? LZS_ERR_NOMEM : LZS_OK;
}

/* Parses json into a JSON object *root (caller frees with json_decref); on failure a
 * message naming scname and *root NULL. */
static lzs_status_t parse_object(const char *json, const char *scname, json_t **root, char **errmsg)
{
    json_error_t jerr;
    *root = NULL;
    lzs_status_t pst = lzs_json_parse(json, strlen(json), JSON_REJECT_DUPLICATES, &jerr, root);
    if (pst == LZS_ERR_NOMEM) {
        lzs_set_errmsg(errmsg, "%s: out of memory", scname);
        return pst;
    }
    if (pst != LZS_OK) {
        lzs_set_errmsg(errmsg, "%s: line %d column %d: %s", scname, jerr.line, jerr.column,
                            jerr.text);
        return LZS_ERR_PARSE;
    }
    if (!json_is_object(*root)) {
        lzs_set_errmsg(errmsg, "%s: expected a JSON object", scname);
        json_decref(*root);
        *root = NULL;
        return LZS_ERR_PARSE;
    }
    return LZS_OK;
}

lzs_status_t lzs_sidecar_parse(const lzs_extractor_t *ex, const char *json, const char *scname,
                               lzs_sidecar_t *sc, char **errmsg)
{
    memset(sc, 0, sizeof *sc);
    sc->type = -1;
    json_t *root;
    lzs_status_t st = parse_object(json, scname, &root, errmsg);
    if (st != LZS_OK)
        return st;
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val)
    {
        st = read_key(ex, key, val, scname, sc, errmsg);
        if (st != LZS_OK)
            break;
    }
    json_decref(root);
    if (st != LZS_OK)
        lzs_sidecar_free(sc);
    return st;
}
