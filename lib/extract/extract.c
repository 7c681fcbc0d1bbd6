/* extract.c — from a document file to an lzs_document_t: the format table, and the
 * pipeline that every format runs through (see block.h): a reader, then the layout,
 * classify, header, structure and domain stages, then the sidecar's metadata. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/paths_internal.h"
#include "stage.h"


/* ---- lifecycle ------------------------------------------------------------------- */

lzs_status_t lzs_extract_open(const char *datadir, lzs_extractor_t **out, char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    if (out == NULL)
        return LZS_ERR_INVALID;
    *out = NULL;
    char dir[4096];
    if (datadir == NULL) {
        lzs_status_t st = lzs_default_data_dir(dir, sizeof dir);
        if (st != LZS_OK) {
            lzs_set_errmsg(errmsg, "no data directory: %s", lzs_status_str(st));
            return st;
        }
        datadir = dir;
    }
    lzs_extractor_t *ex = calloc(1, sizeof *ex);
    if (ex == NULL)
        return LZS_ERR_NOMEM;
    ex->datadir = strdup(datadir);
    if (ex->datadir == NULL) {
        free(ex);
        return LZS_ERR_NOMEM;
    }
    lzs_status_t st = lzs_data_load(ex, errmsg);
    if (st != LZS_OK) {
        lzs_extract_close(ex);
        return st;
    }
    *out = ex;
    return LZS_OK;
}

void lzs_extract_close(lzs_extractor_t *ex)
{
    if (ex == NULL)
        return;
    lzs_data_free(ex);
    free(ex->datadir);
    free(ex);
}

const char *lzs_extract_datadir(const lzs_extractor_t *ex)
{
    return ex ? ex->datadir : NULL;
}


/* ---- formats ----------------------------------------------------------------------- */

/* One row per format: its file name extensions, its name in the index and the API, how
 * large a file may be, its rank when the same document comes in several formats (the
 * format read best first), and its reader. */
typedef struct {
    const char *name;
    const char *exts[3];
    size_t max_size;
    int rank;
    lzs_reader_fn read;
} format_t;

static const format_t formats[] = {
    {"docx", {".docx", NULL, NULL}, LZS_EXTRACT_MAX_BINARY, 0, lzs_read_docx},
    {"odt", {".odt", NULL, NULL}, LZS_EXTRACT_MAX_BINARY, 1, lzs_read_odt},
    {"html", {".html", ".htm", NULL}, LZS_EXTRACT_MAX_FILE, 2, lzs_read_html},
    {"md", {".md", ".markdown", NULL}, LZS_EXTRACT_MAX_FILE, 3, lzs_read_markdown},
    {"txt", {".txt", ".text", NULL}, LZS_EXTRACT_MAX_FILE, 4, lzs_read_text},
    {"pdf", {".pdf", NULL, NULL}, LZS_EXTRACT_MAX_BINARY, 5, lzs_read_pdf},
};

static const format_t *format_of(const char *name)
{
    size_t n = strlen(name);
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        for (int e = 0; e < 3 && formats[f].exts[e]; e++) {
            size_t el = strlen(formats[f].exts[e]);
            if (n > el && strcasecmp(name + n - el, formats[f].exts[e]) == 0)
                return &formats[f];
        }
    }
    return NULL;
}

const char *lzs_extract_format(const char *name)
{
    const format_t *f = name ? format_of(name) : NULL;
    return f ? f->name : NULL;
}

int lzs_extract_format_rank(const char *name)
{
    const format_t *f = name ? format_of(name) : NULL;
    return f ? f->rank : INT_MAX;
}

size_t lzs_extract_max_size(const char *name)
{
    const format_t *f = name ? format_of(name) : NULL;
    return f ? f->max_size : 0;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

size_t lzs_extract_stem_len(const char *name)
{
    size_t n = strlen(name);
    const format_t *f = format_of(name);
    if (f != NULL) {
        for (int e = 0; e < 3 && f->exts[e]; e++) {
            size_t el = strlen(f->exts[e]);
            if (n > el && strcasecmp(name + n - el, f->exts[e]) == 0)
                return n - el;
        }
    }
    const char *dot = strrchr(name, '.');
    return dot && dot != name ? (size_t)(dot - name) : n;
}

/* ---- the pipeline ---------------------------------------------------------------------- */

static lzs_status_t run_stages(const lzs_extractor_t *ex, const format_t *fmt, const char *msgname,
                               const char *source, const char *buf, size_t len,
                               const lzs_sidecar_t *sc, lzs_document_t **out, char **errmsg)
{
    lzs_blocks_t bs = {0};
    lzs_status_t st = fmt->read(ex, msgname, buf, len, &bs, errmsg);
    if (st == LZS_OK)
        st = bs.st;
    if (st == LZS_OK)
        st = lzs_layout_clean(ex, &bs);
    if (st == LZS_OK)
        st = lzs_classify_blocks(ex, &bs);
    lzs_parse_t ps = {0};
    ps.ex = ex;
    ps.next_para = 1;
    ps.next_head = 1;
    if (st == LZS_OK) {
        ps.doc = lzs_document_new();
        st = ps.doc == NULL ? LZS_ERR_NOMEM : LZS_OK;
    }
    ps.st = st;
    if (ps.st == LZS_OK)
        lzs_header_scan(&ps, &bs);
    if (ps.st == LZS_OK)
        lzs_structure_build(&ps, &bs);
    st = ps.st;
    if (st == LZS_OK)
        st = lzs_domain_resolve_footnotes(&ps);
    if (st == LZS_OK) {
        ps.doc->source = strdup(source);
        st = ps.doc->source ? LZS_OK : LZS_ERR_NOMEM;
    }
    if (st == LZS_OK)
        st = lzs_header_fill(&ps, base_name(source), sc, errmsg);
    if (st == LZS_OK)
        st = lzs_domain_rec_keys(&ps, sc);
    if (st == LZS_OK)
        st = lzs_domain_citations(&ps);
    if (st == LZS_OK)
        st = lzs_domain_resolve_references(&ps);
    lzs_parse_free(&ps);
    lzs_blocks_clear(&bs);
    if (st != LZS_OK) {
        if (st == LZS_ERR_NOMEM)
            lzs_set_errmsg(errmsg, "%s: out of memory", msgname);
        else if (errmsg && *errmsg == NULL)
            lzs_set_errmsg(errmsg, "%s: %s", msgname, lzs_status_str(st));
        lzs_document_free(ps.doc);
        return st;
    }
    *out = ps.doc;
    return LZS_OK;
}

static lzs_status_t extract_mem(const lzs_extractor_t *ex, const char *msgname, const char *source,
                                const char *buf, size_t len, const char *sidecar,
                                const char *scname, lzs_document_t **out, char **errmsg)
{
    const format_t *fmt = format_of(msgname);
    if (fmt == NULL) {
        lzs_set_errmsg(errmsg, "%s: not a document format lanzasearch reads", msgname);
        return LZS_ERR_UNSUPPORTED;
    }
    if (len > fmt->max_size) {
        lzs_set_errmsg(errmsg, "%s: file too large (%zu bytes, limit %zu)", msgname, len,
                       fmt->max_size);
        return LZS_ERR_LIMIT;
    }
    lzs_sidecar_t sc = {.type = -1};
    if (sidecar) {
        /* The message names the document and its sidecar. */
        char *where = NULL;
        if (asprintf(&where, "%s: sidecar %s", msgname, base_name(scname)) < 0)
            return LZS_ERR_NOMEM;
        lzs_status_t st = lzs_sidecar_parse(ex, sidecar, where, &sc, errmsg);
        free(where);
        if (st != LZS_OK)
            return st;
    }
    lzs_status_t st = run_stages(ex, fmt, msgname, source, buf, len, &sc, out, errmsg);
    lzs_sidecar_free(&sc);
    return st;
}

char *lzs_extract_sidecar_path(const char *path)
{
    const char *base = base_name(path);
    size_t dirlen = (size_t)(base - path);
    size_t stem = lzs_extract_stem_len(base);
    char *p = NULL;
    if (asprintf(&p, "%.*s%.*s.meta.json", (int)dirlen, path, (int)stem, base) < 0)
        return NULL;
    return p;
}
lzs_status_t lzs_extract_buffer(const lzs_extractor_t *ex, const char *name, const char *buf,
                                size_t len, const char *sidecar, lzs_document_t **out,
                                char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    if (out == NULL)
        return LZS_ERR_INVALID;
    *out = NULL;
    if (ex == NULL || name == NULL || (buf == NULL && len > 0)) {
        lzs_set_errmsg(errmsg, "lzs_extract_buffer: missing argument");
        return LZS_ERR_INVALID;
    }
    char *scname = lzs_extract_sidecar_path(name);
    if (scname == NULL)
        return LZS_ERR_NOMEM;
    lzs_status_t st =
        extract_mem(ex, name, name, buf ? buf : "", len, sidecar, base_name(scname), out, errmsg);
    free(scname);
    return st;
}


lzs_status_t lzs_extract_file(const lzs_extractor_t *ex, const char *path, lzs_document_t **out,
                              char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    if (out == NULL)
        return LZS_ERR_INVALID;
    *out = NULL;
    if (ex == NULL || path == NULL) {
        lzs_set_errmsg(errmsg, "lzs_extract_file: missing argument");
        return LZS_ERR_INVALID;
    }
    const format_t *fmt = format_of(path);
    if (fmt == NULL) {
        lzs_set_errmsg(errmsg, "%s: not a document format lanzasearch reads", path);
        return LZS_ERR_UNSUPPORTED;
    }
    char *buf = NULL;
    size_t len = 0;
    lzs_status_t st = lzs_file_read(-1, path, fmt->max_size, &buf, &len, errmsg);
    if (st != LZS_OK)
        return st;
    char *scpath = lzs_extract_sidecar_path(path);
    if (scpath == NULL) {
        free(buf);
        return LZS_ERR_NOMEM;
    }
    char *sc = NULL;
    size_t sclen = 0;
    struct stat sb;
    if (lstat(scpath, &sb) == 0) {
        st = lzs_file_read(-1, scpath, LZS_EXTRACT_MAX_SIDECAR, &sc, &sclen, errmsg);
        if (st == LZS_OK && memchr(sc, '\0', sclen) != NULL) {
            lzs_set_errmsg(errmsg, "%s: contains NUL bytes", scpath);
            st = LZS_ERR_PARSE;
        }
    }
    if (st == LZS_OK)
        st = extract_mem(ex, path, path, buf, len, sc, scpath, out, errmsg);
    free(sc);
    free(scpath);
    free(buf);
    return st;
}
