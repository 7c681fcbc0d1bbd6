/* feed.c — GET /api/feed as Atom 1.0 (see feed.h), written with libxml2's xmlTextWriter,
 * which escapes what XML reserves; characters XML 1.0 cannot carry at all are dropped
 * here first. */
#include "feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "respond.h"
#include "worker.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define FEED_AUTHOR "Lanzarote Committee (Council of Europe)"
/* Characters of the matching passage given as an entry's summary. */
#define SUMMARY_CHARS 400

int lzs_sd_feed_base_ok(const char *url)
{
    size_t skip;
    if (url == NULL)
        return 0;
    if (strncasecmp(url, "https://", 8) == 0)
        skip = 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        skip = 7;
    else
        return 0;
    size_t n = strlen(url);
    if (n > 512 || url[skip] == '\0' || url[skip] == '/' || url[skip] == ':')
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)url[i];
        if (ch <= 0x20 || ch >= 0x7F || strchr("\"'<>#?\\`{}|^", ch) != NULL)
            return 0;
    }
    return 1;
}

/* s with the characters XML 1.0 cannot carry left out: C0 controls but tab, newline and
 * carriage return, DEL and C1 controls stay legal but are dropped too (a feed reader shows
 * them as boxes), and U+FFFE, U+FFFF. s is valid UTF-8. Caller frees with free(). */
static char *xml_clean(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            continue;
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9F) {
            i++;
            continue;
        }
        if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
            ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF)) {
            i += 2;
            continue;
        }
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return out;
}

/* Appends s to buf (cap bytes) percent-encoding every byte but the unreserved ones and,
 * when keep is set, the characters of a query string ("=&%+"). */
static void url_append(char *buf, size_t cap, const char *s, int keep)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = strlen(buf);
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < cap; p++) {
        int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL ||
                    (keep && strchr("=&%+", *p) != NULL);
        if (plain) {
            buf[o++] = (char)*p;
        } else {
            buf[o++] = '%';
            buf[o++] = hex[*p >> 4];
            buf[o++] = hex[*p & 15];
        }
    }
    buf[o] = '\0';
}

/* An element with cleaned text content. */
static int text_element(xmlTextWriterPtr w, const char *name, const char *text)
{
    char *clean = xml_clean(text ? text : "");
    if (clean == NULL)
        return -1;
    int rc = xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST clean);
    free(clean);
    return rc;
}

static int link_element(xmlTextWriterPtr w, const char *rel, const char *type, const char *href)
{
    int rc = xmlTextWriterStartElement(w, BAD_CAST "link");
    if (rc >= 0 && rel)
        rc = xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST rel);
    if (rc >= 0 && type)
        rc = xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST type);
    if (rc >= 0)
        rc = xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST href);
    if (rc >= 0)
        rc = xmlTextWriterEndElement(w);
    return rc;
}

/* The snippet's segments joined: the matching passage as plain text. */
static char *summary_of(const json_t *hit)
{
    json_t *snip = json_object_get(hit, "snippet");
    size_t cap = 1, i;
    json_t *seg;
    json_array_foreach(snip, i, seg)
    {
        cap += json_string_length(json_object_get(seg, "text"));
    }
    char *out = malloc(cap);
    if (out == NULL)
        return NULL;
    out[0] = '\0';
    json_array_foreach(snip, i, seg)
    {
        const char *t = json_string_value(json_object_get(seg, "text"));
        if (t)
            strcat(out, t);
    }
    return out;
}

/* The feed's title: "lanzasearch: <q>", then the filters as written. */
static void feed_title(const lzs_search_req_t *req, char *buf, size_t cap)
{
    snprintf(buf, cap, "lanzasearch: %s", req && req->q && *req->q ? req->q : "all documents");
    for (int f = 0; req && f < LZS_F_COUNT; f++) {
        for (size_t k = 0; k < req->nvalues[f]; k++) {
            size_t l = strlen(buf);
            snprintf(buf + l, cap - l, "%s%s=%s", l ? ", " : "", lzs_search_field_name(f),
                     req->values[f][k]);
        }
    }
}

static int write_entry(xmlTextWriterPtr w, const char *base, const json_t *hit, const char *updated)
{
    json_t *doc = json_object_get(hit, "doc");
    const char *id = json_string_value(json_object_get(doc, "id"));
    const char *pid = json_string_value(json_object_get(hit, "id"));
    const char *title = json_string_value(json_object_get(doc, "title"));
    char url[2048], link[2048 + 4096];
    snprintf(url, sizeof url, "%s/?doc=", base);
    url_append(url, sizeof url, id ? id : "", 0);
    memcpy(link, url, strlen(url) + 1); /* url is shorter than link */
    strncat(link, "&p=", sizeof link - strlen(link) - 1);
    url_append(link, sizeof link, pid ? pid : "", 0);
    char *summary = summary_of(hit);
    if (summary == NULL)
        return -1;
    /* the document's address is its entry's id: the same document, the same entry */
    int rc = xmlTextWriterStartElement(w, BAD_CAST "entry");
    if (rc >= 0)
        rc = text_element(w, "id", url);
    if (rc >= 0)
        rc = text_element(w, "title", title && *title ? title : id);
    if (rc >= 0)
        rc = text_element(w, "updated", updated);
    if (rc >= 0)
        rc = link_element(w, "alternate", "text/html", link);
    if (rc >= 0)
        rc = xmlTextWriterStartElement(w, BAD_CAST "summary");
    if (rc >= 0)
        rc = xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "text");
    char *clean = rc >= 0 ? xml_clean(summary) : NULL;
    if (rc >= 0)
        rc = clean ? xmlTextWriterWriteString(w, BAD_CAST clean) : -1;
    free(clean);
    free(summary);
    if (rc >= 0)
        rc = xmlTextWriterEndElement(w);
    if (rc >= 0)
        rc = xmlTextWriterEndElement(w);
    return rc;
}

lzs_status_t lzs_sd_feed_build(const char *base, const char *query, const lzs_search_req_t *req,
                               const json_t *res, const char *const *updated, char **out,
                               size_t *len)
{
    *out = NULL;
    *len = 0;
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (w == NULL) {
        if (buf)
            xmlBufferFree(buf);
        return LZS_ERR_NOMEM;
    }
    char self[2048], page[2048], title[1024];
    snprintf(self, sizeof self, "%s/api/feed%s", base, query && *query ? "?" : "");
    url_append(self, sizeof self, query ? query : "", 1);
    snprintf(page, sizeof page, "%s/%s", base, query && *query ? "?" : "");
    url_append(page, sizeof page, query ? query : "", 1);
    feed_title(req, title, sizeof title);
    json_t *hits = json_object_get(res, "hits");
    /* the feed changed when its newest entry did (entries are newest first) */
    const char *newest = json_array_size(hits) > 0 ? updated[0] : "1970-01-01T00:00:00Z";
    for (size_t i = 0; i < json_array_size(hits); i++) {
        if (strcmp(updated[i], newest) > 0)
            newest = updated[i];
    }
    int rc = xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
    if (rc >= 0)
        rc = xmlTextWriterStartElement(w, BAD_CAST "feed");
    if (rc >= 0)
        rc = xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST ATOM_NS);
    if (rc >= 0)
        rc = text_element(w, "id", self);
    if (rc >= 0)
        rc = text_element(w, "title", title);
    if (rc >= 0)
        rc = text_element(w, "updated", newest);
    if (rc >= 0)
        rc = link_element(w, "self", "application/atom+xml", self);
    if (rc >= 0)
        rc = link_element(w, "alternate", "text/html", page);
    if (rc >= 0)
        rc = xmlTextWriterStartElement(w, BAD_CAST "author");
    if (rc >= 0)
        rc = text_element(w, "name", FEED_AUTHOR);
    if (rc >= 0)
        rc = xmlTextWriterEndElement(w);
    if (rc >= 0)
        rc = text_element(w, "generator", "lanzasearch");
    for (size_t i = 0; rc >= 0 && i < json_array_size(hits); i++)
        rc = write_entry(w, base, json_array_get(hits, i), updated[i]);
    if (rc >= 0)
        rc = xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    if (rc < 0) {
        xmlBufferFree(buf);
        return LZS_ERR_NOMEM;
    }
    *len = (size_t)xmlBufferLength(buf);
    *out = malloc(*len + 1);
    if (*out != NULL) {
        memcpy(*out, xmlBufferContent(buf), *len);
        (*out)[*len] = '\0';
    }
    xmlBufferFree(buf);
    return *out ? LZS_OK : LZS_ERR_NOMEM;
}

/* RFC 3339 time of a document: its date ("2021-10-07", "2023-10", "2019" from the first
 * day on), else when it was indexed, else the epoch. buf: at least 32 bytes. */
static lzs_status_t entry_time(lzs_searcher_t *s, const json_t *hit, char *buf, size_t cap)
{
    json_t *doc = json_object_get(hit, "doc");
    const char *date = json_string_value(json_object_get(doc, "date"));
    size_t n = date ? strlen(date) : 0;
    if (n == 10 || n == 7 || n == 4) {
        snprintf(buf, cap, "%.4s-%.2s-%.2sT00:00:00Z", date, n >= 7 ? date + 5 : "01",
                 n == 10 ? date + 8 : "01");
        return LZS_OK;
    }
    char *when = NULL;
    const char *id = json_string_value(json_object_get(doc, "id"));
    lzs_status_t st = lzs_search_doc_indexed(s, id ? id : "", &when);
    snprintf(buf, cap, "%s", when ? when : "1970-01-01T00:00:00Z");
    free(when);
    return st;
}

enum MHD_Result lzs_sd_route_feed(lzs_sd_server_t *srv, struct MHD_Connection *c,
                                  lzs_sd_request_t *rq)
{
    if (srv->cfg.base_url == NULL)
        return lzs_sd_respond_error(c, rq, 501, "not_configured",
                                    "the feed needs the address of the search page: start "
                                    "lzs-searchd with --base-url URL");
    lzs_searcher_t *s = lzs_sd_worker_searcher(srv);
    if (!s)
        return lzs_sd_respond_unavailable(c, rq);
    lzs_search_req_t req = rq->params->req;
    req.group = LZS_GROUP_DOCUMENT;
    req.sort = LZS_SORT_NEWEST;
    req.offset = 0;
    req.size = LZS_SEARCH_FEED;
    req.facets = 0;
    req.snippet_chars = SUMMARY_CHARS;
    lzs_search_error_t err;
    memset(&err, 0, sizeof err);
    err.position = -1;
    json_t *res = NULL;
    lzs_status_t st = lzs_search_run(s, &req, &res, &err);
    if (st != LZS_OK)
        return lzs_sd_respond_failure(srv, c, rq, st, &err);
    size_t n = json_array_size(json_object_get(res, "hits"));
    char(*times)[32] = calloc(n ? n : 1, sizeof *times);
    const char **ptrs = calloc(n ? n : 1, sizeof *ptrs);
    st = times && ptrs ? LZS_OK : LZS_ERR_NOMEM;
    for (size_t i = 0; i < n && st == LZS_OK; i++) {
        st = entry_time(s, json_array_get(json_object_get(res, "hits"), i), times[i],
                        sizeof times[i]);
        ptrs[i] = times[i];
    }
    char *body = NULL;
    size_t len = 0;
    const char *query = strchr(rq->uri, '?');
    if (st == LZS_OK)
        st = lzs_sd_feed_build(srv->cfg.base_url, query ? query + 1 : "", &req, res, ptrs, &body,
                               &len);
    free(times);
    free(ptrs);
    json_decref(res);
    if (st != LZS_OK) {
        memset(&err, 0, sizeof err);
        err.position = -1;
        snprintf(err.code, sizeof err.code, "index");
        snprintf(err.message, sizeof err.message, "the feed could not be made: %s",
                 lzs_status_str(st));
        return lzs_sd_respond_failure(srv, c, rq, st, &err);
    }
    return lzs_sd_respond_owned(c, rq, MHD_HTTP_OK, "application/atom+xml; charset=utf-8", body,
                                len);
}
