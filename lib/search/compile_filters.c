/* compile_filters.c — field filters (field:value in the query and the request's structured
 * values) as boolean terms: they restrict without weighing
 * (OP_FILTER, or scaled to 0 inside an OR).
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "lzs/extract.h"
#include "lzs/model.h"
#include "lzs/schema.h"

/* ---- field filters ------------------------------------------------------------------- */

static void lower_ascii(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static void trim(const char **v, size_t *len)
{
    while (*len && isspace((unsigned char)(*v)[0])) {
        (*v)++;
        (*len)--;
    }
    while (*len && isspace((unsigned char)(*v)[*len - 1]))
        (*len)--;
}

static int all_digits(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* "38", "38(2)", "20(1)(f)" */
static int valid_article(const char *s)
{
    size_t i = 0;
    while (isdigit((unsigned char)s[i]))
        i++;
    if (i == 0 || i > 3)
        return 0;
    while (s[i] == '(') {
        size_t k = i + 1;
        while (isalnum((unsigned char)s[k]))
            k++;
        if (k == i + 1 || s[k] != ')' || k - i > 6)
            return 0;
        i = k + 1;
    }
    return s[i] == '\0';
}

static lzs_status_t year_query(const char *v, size_t len, const char *param, int position,
                               lzs_xquery_t **out, lzs_search_error_t *err)
{
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (v[i] == '.' && v[i + 1] == '.') {
            dots = v + i;
            break;
        }
    if (!dots) {
        if (len == strlen(LZS_YEAR_NONE) && memcmp(v, LZS_YEAR_NONE, len) == 0)
            return lzs_xquery_term(LZS_PFX_YEAR LZS_YEAR_NONE, 1, 0, out);
        if (len != 4 || !all_digits(v, 4))
            return lzs_search_fail(
                err, LZS_ERR_INVALID, position >= 0 ? "bad_query" : "bad_parameter", param,
                position,
                "year '%.*s' is not a year (2019), a range (2015..2019) or none (undated)",
                (int)len, v);
        char term[16];
        snprintf(term, sizeof term, "%s%.4s", LZS_PFX_YEAR, v);
        return lzs_xquery_term(term, 1, 0, out);
    }
    const char *lo = v, *hi = dots + 2;
    size_t lolen = (size_t)(dots - v), hilen = len - lolen - 2;
    if ((lolen && (lolen != 4 || !all_digits(lo, 4))) ||
        (hilen && (hilen != 4 || !all_digits(hi, 4))) || (lolen == 0 && hilen == 0))
        return lzs_search_fail(err, LZS_ERR_INVALID, position >= 0 ? "bad_query" : "bad_parameter",
                               param, position,
                               "bad year range '%.*s': write it as 2015..2019 (either end may "
                               "be left open)",
                               (int)len, v);
    char los[5] = {0}, his[5] = {0};
    memcpy(los, lo, lolen);
    memcpy(his, hi, hilen);
    if (lolen && hilen && strcmp(los, his) > 0)
        return lzs_search_fail(err, LZS_ERR_INVALID, position >= 0 ? "bad_query" : "bad_parameter",
                               param, position, "bad year range '%.*s': %s comes after %s",
                               (int)len, v, los, his);
    if (lolen && hilen && atoi(his) - atoi(los) <= 64) {
        /* a closed range of boolean terms is cheaper than reading a value slot */
        lzs_qvec_t years = {0};
        lzs_status_t st = LZS_OK;
        for (int y = atoi(los); y <= atoi(his) && st == LZS_OK; y++) {
            char term[16];
            lzs_xquery_t *q = NULL;
            snprintf(term, sizeof term, "%s%04d", LZS_PFX_YEAR, y);
            st = lzs_xquery_term(term, 1, 0, &q);
            if (st == LZS_OK)
                st = lzs_qvec_push(&years, q);
        }
        if (st != LZS_OK) {
            lzs_qvec_free(&years);
            return st;
        }
        return lzs_qvec_combine(&years, LZS_XQ_OR, 0, out);
    }
    /* closed at both ends: "none" (undated) sorts after every year */
    return lzs_xquery_value_range(LZS_SLOT_YEAR, lolen ? los : "0000", hilen ? his : "9999", out);
}

/* 1 when id (upper case, normalised) has the shape of a recommendation identifier: "I-6",
 * "R15", "R XX". */
static int rec_id_shaped(const char *id)
{
    size_t r = strspn(id, "IVXLC");
    if (r > 0 && id[r] == '-' && id[r + 1] &&
        strspn(id + r + 1, "0123456789") == strlen(id + r + 1))
        return 1;
    if (id[0] == 'R' && id[1] && strspn(id + 1, "0123456789") == strlen(id + 1))
        return 1;
    return id[0] == 'R' && id[1] == ' ' && id[2] && strspn(id + 2, "IVXLC") == strlen(id + 2);
}

/* cites=<id or opinion key>: XCD:<id> (a key is none) and the terms that cite it by title
 * (cites.c). */
static lzs_status_t cites_query(lzs_searcher_t *s, const char *value, lzs_xquery_t **out)
{
    char term[LZS_XDB_MAX_TERM + 1];
    lzs_strlist_t terms = {0};
    lzs_status_t st = LZS_OK;
    if (lzs_extract_opinion(s->ex, value) == NULL &&
        (size_t)snprintf(term, sizeof term, "%s%s", LZS_PFX_CITES_DOC, value) < sizeof term)
        st = lzs_strlist_push(&terms, term);
    if (st == LZS_OK)
        st = lzs_cites_opinion_terms(s, value, &terms);
    if (st == LZS_OK)
        st = lzs_cites_terms_query(&terms, out);
    lzs_strlist_clear(&terms);
    return st;
}

/* A filter value being read: where it comes from, for messages, and the term it becomes. */
typedef struct {
    lzs_searcher_t *s;
    lzs_field_t f;
    const char *code;  /* bad_query (in the query) or bad_parameter */
    const char *fname; /* the field's name */
    const char *param;
    int position;
    lzs_search_error_t *err;
    char buf[256]; /* the value, trimmed */
    size_t len;
    char term[300]; /* the boolean term it becomes */
} filter_t;

/* party: or addressee:, a Party by ISO code or any of its names (addressee: also "all") */
static lzs_status_t party_term(filter_t *fl)
{
    const char *pfx = fl->f == LZS_F_PARTY ? LZS_PFX_PARTY : LZS_PFX_ADDRESSEE;
    if (fl->f == LZS_F_ADDRESSEE &&
        (strcasecmp(fl->buf, "all") == 0 || strcasecmp(fl->buf, "all parties") == 0 ||
         strcasecmp(fl->buf, "toutes les parties") == 0)) {
        snprintf(fl->term, sizeof fl->term, "%sall", pfx);
        return LZS_OK;
    }
    const char *iso = lzs_extract_party_code(fl->s->ex, fl->buf);
    if (!iso)
        return lzs_search_fail(fl->err, LZS_ERR_INVALID, fl->code, fl->param, fl->position,
                               "%s: '%s' is not a Party to the Convention (give an ISO "
                               "code such as NO or a name such as Norway)",
                               fl->fname, fl->buf);
    snprintf(fl->term, sizeof fl->term, "%s%s", pfx, iso);
    return LZS_OK;
}

/* article: an article number, spaces dropped, such as 38 or 38(2) */
static lzs_status_t article_term(filter_t *fl)
{
    char a[256];
    size_t k = 0;
    for (size_t i = 0; fl->buf[i]; i++)
        if (!isspace((unsigned char)fl->buf[i]))
            a[k++] = (char)tolower((unsigned char)fl->buf[i]);
    a[k] = '\0';
    if (!valid_article(a))
        return lzs_search_fail(fl->err, LZS_ERR_INVALID, fl->code, fl->param, fl->position,
                               "article: '%s' is not an article number such as 38 or "
                               "38(2)",
                               fl->buf);
    snprintf(fl->term, sizeof fl->term, "%s%s", LZS_PFX_ARTICLE, a);
    return LZS_OK;
}

/* level: a level verb by name */
static lzs_status_t level_term(filter_t *fl)
{
    lower_ascii(fl->buf);
    int l = lzs_level_from_name(fl->buf);
    if (l <= 0)
        return lzs_search_fail(fl->err, LZS_ERR_INVALID, fl->code, fl->param, fl->position,
                               "level: unknown level '%s' (require, request, invite, urge, "
                               "consider)",
                               fl->buf);
    snprintf(fl->term, sizeof fl->term, "%s%s", LZS_PFX_LEVEL, lzs_level_name((lzs_level_t)l));
    return LZS_OK;
}

/* type: a document type by name; an unknown one is refused listing the types */
static lzs_status_t type_term(filter_t *fl)
{
    lower_ascii(fl->buf);
    int t = lzs_doctype_from_name(fl->buf);
    if (t < 0) {
        char names[400] = "";
        for (int i = 0; i < LZS_DOC_TYPE_COUNT; i++) {
            if (i)
                strncat(names, ", ", sizeof names - strlen(names) - 1);
            strncat(names, lzs_doctype_name((lzs_doctype_t)i), sizeof names - strlen(names) - 1);
        }
        return lzs_search_fail(fl->err, LZS_ERR_INVALID, fl->code, fl->param, fl->position,
                               "type: unknown document type '%s' (%s)", fl->buf, names);
    }
    snprintf(fl->term, sizeof fl->term, "%s%s", LZS_PFX_TYPE, lzs_doctype_name((lzs_doctype_t)t));
    return LZS_OK;
}

/* lang: a two-letter code of a language the index has passages in */
static lzs_status_t lang_term(filter_t *fl)
{
    lower_ascii(fl->buf);
    if (fl->len != 2 || !isalpha((unsigned char)fl->buf[0]) || !isalpha((unsigned char)fl->buf[1]))
        return lzs_search_fail(fl->err, LZS_ERR_INVALID, fl->code, fl->param, fl->position,
                               "lang: '%s' is not an ISO 639-1 language code such as en "
                               "or fr",
                               fl->buf);
    snprintf(fl->term, sizeof fl->term, "%s%s", LZS_PFX_LANG, fl->buf);
    /* A language the index has no passage in is a mistake (lang:xx), not a filter that
     * matches nothing: refused like an unknown type, in the query as in the parameter.
     * The index's languages are those its facet lists. */
    uint32_t tf = 0;
    lzs_status_t st = lzs_xdb_termfreq(fl->s->db, fl->term, &tf);
    if (st != LZS_OK)
        return st; /* the caller reports it (or retries on a new revision) */
    if (tf == 0) {
        char names[LZS_SEARCH_MAX_LANGS * 4 + 8] = "";
        for (size_t i = 0; i < fl->s->nlangs; i++) {
            strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
            strncat(names, fl->s->langs[i], sizeof names - strlen(names) - 1);
        }
        return lzs_search_fail(fl->err, LZS_ERR_INVALID, fl->code, fl->param, fl->position,
                               "lang: the index has no document in language '%s' (its "
                               "languages: %s)",
                               fl->buf, names[0] ? names : "none");
    }
    return LZS_OK;
}

/* ref: or rec:, normalized like the indexed values (rec: by key or normalised id) */
static lzs_status_t ref_term(filter_t *fl)
{
    const char *pfx = fl->f == LZS_F_REF ? LZS_PFX_REF : LZS_PFX_REC;
    if (fl->f == LZS_F_REC && strchr(fl->buf, ':')) {
        pfx = LZS_PFX_RECKEY; /* a key: "2nd-round:V-17" */
    } else if (fl->f == LZS_F_REC) {
        /* "R V-17" restates V-17: every copy has the normalised id */
        char up[256], id[256];
        for (size_t i = 0; i <= fl->len; i++)
            up[i] = (char)toupper((unsigned char)fl->buf[i]);
        lzs_extract_rec_id_normalize(up, id, sizeof id);
        snprintf(fl->buf, sizeof fl->buf, "%s", id);
        fl->len = strlen(fl->buf);
    }
    char *norm = NULL;
    if (lzs_text_normalize(fl->s->text, fl->buf, fl->len, &norm) != LZS_OK || !norm)
        return LZS_ERR_NOMEM;
    snprintf(fl->term, sizeof fl->term, "%s%s", pfx, norm);
    free(norm);
    return LZS_OK;
}

/* cites: a document or opinion (answered with cites_query), or a recommendation by key or id */
static lzs_status_t cites_term(filter_t *fl, lzs_xquery_t **out)
{
    char id[256];
    int doc = lzs_extract_doc_id_of_code(fl->buf, id, sizeof id);
    if (!doc) {
        lower_ascii(fl->buf);
        doc = lzs_extract_opinion(fl->s->ex, fl->buf) != NULL;
        snprintf(id, sizeof id, "%s", fl->buf);
    }
    if (doc) {
        /* a document, or an opinion by key: cited by code, or by a title that is it */
        return cites_query(fl->s, id, out);
    }
    /* a recommendation: its key ("1st-round:I-6") or any citation of an id ("I-6") */
    const char *pfx = strchr(fl->buf, ':') ? LZS_PFX_CITES_REC : LZS_PFX_CITES_RECID;
    char up[256], rid[256];
    const char *colon = strrchr(fl->buf, ':');
    const char *idpart = colon ? colon + 1 : fl->buf;
    for (size_t i = 0; i <= strlen(idpart); i++)
        up[i] = (char)toupper((unsigned char)idpart[i]);
    lzs_extract_rec_id_normalize(up, rid, sizeof rid);
    if (rec_id_shaped(rid) == 0)
        return lzs_search_fail(fl->err, LZS_ERR_INVALID, fl->code, fl->param, fl->position,
                               "cites: '%s' is neither a document code such as T-ES(2018)12, "
                               "an opinion or declaration of opinions.tsv such as "
                               "art23-opinion nor a recommendation such as I-6 or "
                               "1st-round:I-6",
                               fl->buf);
    char key[520];
    snprintf(key, sizeof key, "%.*s%s", colon ? (int)(colon - fl->buf + 1) : 0, fl->buf, rid);
    char *norm = NULL;
    if (lzs_text_normalize(fl->s->text, key, strlen(key), &norm) != LZS_OK || !norm)
        return LZS_ERR_NOMEM;
    snprintf(fl->term, sizeof fl->term, "%s%s", pfx, norm);
    free(norm);
    return LZS_OK;
}

/* instrument: an instrument key; an unknown one is refused listing the keys */
static lzs_status_t instrument_term(filter_t *fl)
{
    char label[512];
    lower_ascii(fl->buf);
    if (!lzs_extract_instrument_label(fl->s->ex, fl->buf, NULL, label, sizeof label)) {
        char names[600] = "";
        for (size_t i = 0; i < lzs_extract_instruments(fl->s->ex); i++) {
            strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
            strncat(names, lzs_extract_instrument_key(fl->s->ex, i),
                    sizeof names - strlen(names) - 1);
        }
        return lzs_search_fail(fl->err, LZS_ERR_INVALID, fl->code, fl->param, fl->position,
                               "instrument: unknown instrument '%s' (%s; an article as "
                               "echr-art8)",
                               fl->buf, names[0] ? names : "none");
    }
    snprintf(fl->term, sizeof fl->term, "%s%s", LZS_PFX_INSTRUMENT, fl->buf);
    return LZS_OK;
}

lzs_status_t lzs_filter_query(lzs_searcher_t *s, lzs_field_t f, const char *value,
                              const char *param, int position, lzs_xquery_t **out,
                              lzs_search_error_t *err)
{
    *out = NULL;
    filter_t fl = {.s = s,
                   .f = f,
                   .code = position >= 0 ? "bad_query" : "bad_parameter",
                   .fname = lzs_search_field_name(f),
                   .param = param,
                   .position = position,
                   .err = err};
    const char *v = value ? value : "";
    size_t len = strlen(v);
    trim(&v, &len);
    if (len == 0)
        return lzs_search_fail(err, LZS_ERR_INVALID, fl.code, param, position, "%s: empty value",
                               fl.fname);
    if (len > 200)
        return lzs_search_fail(err, LZS_ERR_INVALID, fl.code, param, position,
                               "%s: value is too long (%zu bytes, at most 200)", fl.fname, len);
    memcpy(fl.buf, v, len);
    fl.buf[len] = '\0';
    fl.len = len;
    lzs_status_t st;
    switch (f) {
    case LZS_F_PARTY:
    case LZS_F_ADDRESSEE:
        st = party_term(&fl);
        break;
    case LZS_F_ARTICLE:
        st = article_term(&fl);
        break;
    case LZS_F_YEAR:
        return year_query(fl.buf, len, param, position, out, err);
    case LZS_F_LEVEL:
        st = level_term(&fl);
        break;
    case LZS_F_TYPE:
        st = type_term(&fl);
        break;
    case LZS_F_LANG:
        st = lang_term(&fl);
        break;
    case LZS_F_REF:
    case LZS_F_REC:
        st = ref_term(&fl);
        break;
    case LZS_F_CITES:
        st = cites_term(&fl, out);
        break;
    case LZS_F_INSTRUMENT:
        st = instrument_term(&fl);
        break;
    default:
        return lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", param, position,
                               "unknown filter field");
    }
    /* cites_term answers a document with a whole query: nothing is left to do. */
    if (st != LZS_OK || *out)
        return st;
    st = lzs_xquery_term(fl.term, 1, 0, out);
    if (st == LZS_ERR_LIMIT)
        return lzs_search_fail(err, LZS_ERR_INVALID, fl.code, param, position,
                               "%s: value is too long", fl.fname);
    return st;
}

/* Records a filter for read_as: the value as the filter reads it (a Party's ISO code, a
 * level or type in lower case) and its label (the Party's name). */
lzs_status_t lzs_compile_read_filter(lzs_searcher_t *s, lzs_reading_t *rd, lzs_field_t f,
                                     const char *value, const char *source, int negated)
{
    const char *v = value ? value : "";
    size_t len = strlen(v);
    trim(&v, &len);
    char buf[256];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < 255 ? len : 255), v);
    const char *label = NULL;
    if (f == LZS_F_PARTY || f == LZS_F_ADDRESSEE) {
        const char *code = lzs_extract_party_code(s->ex, buf);
        if (code) {
            snprintf(buf, sizeof buf, "%s", code);
            label = lzs_extract_party_name(s->ex, code);
        } else {
            snprintf(buf, sizeof buf, "all");
            label = "All Parties";
        }
    } else if (f == LZS_F_LEVEL || f == LZS_F_TYPE || f == LZS_F_LANG) {
        lower_ascii(buf);
        if (f == LZS_F_LANG)
            label = lzs_search_lang_label(buf);
    }
    return lzs_reading_filter(rd, lzs_search_field_name(f), buf, label, source, negated);
}

lzs_status_t lzs_compile_request_filters(lzs_searcher_t *s, const lzs_search_req_t *req,
                                         lzs_reading_t *rd, lzs_xquery_t **out,
                                         lzs_search_error_t *err)
{
    *out = NULL;
    lzs_qvec_t fields = {0};
    lzs_status_t st = LZS_OK;
    for (int f = 0; f < LZS_F_COUNT && st == LZS_OK; f++) {
        size_t nv = req->nvalues[f];
        if (nv == 0 || !req->values[f])
            continue;
        const char *fname = lzs_search_field_name((lzs_field_t)f);
        if (nv > LZS_SEARCH_MAX_VALUES) {
            st = lzs_search_fail(err, LZS_ERR_LIMIT, "limit", fname, -1,
                                 "%s: %zu values given; at most %d are allowed", fname, nv,
                                 LZS_SEARCH_MAX_VALUES);
            break;
        }
        lzs_qvec_t vals = {0};
        for (size_t i = 0; i < nv && st == LZS_OK; i++) {
            lzs_xquery_t *q = NULL;
            st = lzs_filter_query(s, (lzs_field_t)f, req->values[f][i], fname, -1, &q, err);
            if (st == LZS_OK)
                st = lzs_qvec_push(&vals, q);
            if (st == LZS_OK)
                st = lzs_compile_read_filter(s, rd, (lzs_field_t)f, req->values[f][i], "param", 0);
        }
        lzs_xquery_t *q = NULL;
        if (st == LZS_OK)
            st = lzs_qvec_combine(&vals, LZS_XQ_OR, 0, &q);
        else
            lzs_qvec_free(&vals);
        if (st == LZS_OK)
            st = lzs_qvec_push(&fields, q);
    }
    /* dates: YYYY, YYYY-MM or YYYY-MM-DD, inclusive; "~" sorts after every date that
     * starts with date_to */
    const char *dates[2] = {req->date_from, req->date_to};
    const char *names[2] = {"date_from", "date_to"};
    char bounds[2][16] = {"", ""};
    for (int i = 0; i < 2 && st == LZS_OK; i++) {
        const char *d = dates[i];
        if (!d || !*d)
            continue;
        size_t l = strlen(d);
        int ok = (l == 4 || l == 7 || l == 10);
        for (size_t k = 0; ok && k < l; k++)
            ok = (k == 4 || k == 7) ? d[k] == '-' : isdigit((unsigned char)d[k]) != 0;
        if (!ok) {
            st = lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", names[i], -1,
                                 "%s: '%.40s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                                 names[i], d);
            break;
        }
        snprintf(bounds[i], sizeof bounds[i], "%s%s", d, i == 1 ? "~" : "");
        st = lzs_reading_filter(rd, names[i], d, NULL, "param", 0);
    }
    if (st == LZS_OK && bounds[0][0] && bounds[1][0] && strcmp(bounds[0], bounds[1]) > 0)
        st = lzs_search_fail(err, LZS_ERR_INVALID, "bad_parameter", "date_from", -1,
                             "date_from %s comes after date_to %s", req->date_from, req->date_to);
    if (st == LZS_OK && (bounds[0][0] || bounds[1][0])) {
        lzs_xquery_t *q = NULL;
        st = lzs_xquery_value_range(LZS_SLOT_DATE, bounds[0][0] ? bounds[0] : NULL,
                                    bounds[1][0] ? bounds[1] : NULL, &q);
        if (st == LZS_OK)
            st = lzs_qvec_push(&fields, q);
    }
    if (st != LZS_OK) {
        lzs_qvec_free(&fields);
        return st;
    }
    return lzs_qvec_combine(&fields, LZS_XQ_AND, 0, out);
}
