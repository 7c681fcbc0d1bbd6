/* zipxml.c — ZIP members inflated under limits and XML parsed safely (see zipxml.h). */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <zip.h>

#include "lzs/file.h"
#include "zipxml.h"

/* ---- ZIP ------------------------------------------------------------------------- */

struct lzs_zip {
    zip_t *za;
    char *name;
    size_t len;   /* bytes of the archive: no member can have consumed more */
    size_t total; /* bytes inflated from the archive so far */
    lzs_zip_limits_t lim;
};

#define CHUNK ((size_t)64 << 10)

/* An OLE compound file: what Word writes for a password-protected DOCX, and a .doc. */
static const unsigned char ole_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* "64 MiB" when size is a whole number of MiB, else "N bytes". */
static void size_words(size_t size, char *buf, size_t cap)
{
    if (size >= ((size_t)1 << 20) && size % ((size_t)1 << 20) == 0)
        snprintf(buf, cap, "%zu MiB", size >> 20);
    else
        snprintf(buf, cap, "%zu bytes", size);
}

lzs_status_t lzs_zip_open(const char *name, const char *buf, size_t len,
                          const lzs_zip_limits_t *limits, lzs_zip_t **out, char **errmsg)
{
    static const lzs_zip_limits_t defaults = {LZS_ZIP_MAX_MEMBER, LZS_ZIP_MAX_TOTAL,
                                              LZS_ZIP_RATIO_GRACE, LZS_ZIP_MAX_RATIO};
    *out = NULL;
    if (len >= sizeof ole_magic && memcmp(buf, ole_magic, sizeof ole_magic) == 0) {
        lzs_set_errmsg(errmsg,
                       "%s: an OLE compound file (a password-protected document or a Word "
                       "97-2003 file), not a ZIP archive; not supported",
                       name);
        return LZS_ERR_UNSUPPORTED;
    }
    /* libzip opens an empty file as an empty archive; no ZIP is shorter than its end
     * record (22 bytes). */
    if (len < 22) {
        lzs_set_errmsg(errmsg, "%s: not a ZIP archive (%zu bytes)", name, len);
        return LZS_ERR_PARSE;
    }
    lzs_zip_t *z = calloc(1, sizeof *z);
    if (z == NULL)
        return LZS_ERR_NOMEM;
    z->name = strdup(name);
    if (z->name == NULL) {
        free(z);
        return LZS_ERR_NOMEM;
    }
    z->len = len;
    z->lim = limits ? *limits : defaults;

    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(len ? buf : NULL, len, 0, &err);
    if (src != NULL) {
        z->za = zip_open_from_source(src, ZIP_RDONLY, &err);
        if (z->za == NULL)
            zip_source_free(src);
    }
    if (z->za == NULL) {
        int code = zip_error_code_zip(&err);
        lzs_status_t st = LZS_ERR_PARSE;
        if (code == ZIP_ER_MEMORY)
            st = LZS_ERR_NOMEM;
        else if (code == ZIP_ER_NOZIP)
            lzs_set_errmsg(errmsg, "%s: not a ZIP archive", name);
        else
            lzs_set_errmsg(errmsg, "%s: damaged ZIP archive (%s)", name, zip_error_strerror(&err));
        zip_error_fini(&err);
        lzs_zip_close(z);
        return st;
    }
    zip_error_fini(&err);
    *out = z;
    return LZS_OK;
}

void lzs_zip_close(lzs_zip_t *z)
{
    if (z == NULL)
        return;
    if (z->za)
        zip_discard(z->za);
    free(z->name);
    free(z);
}

const char *lzs_zip_name(const lzs_zip_t *z)
{
    return z->name;
}

int lzs_zip_has(const lzs_zip_t *z, const char *member)
{
    return zip_name_locate(z->za, member, ZIP_FL_NOCASE) >= 0;
}

/* The status and message of a libzip error met while reading member. */
static lzs_status_t member_error(const lzs_zip_t *z, const char *member, zip_error_t *e,
                                 char **errmsg)
{
    switch (zip_error_code_zip(e)) {
    case ZIP_ER_MEMORY:
        return LZS_ERR_NOMEM;
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
    case ZIP_ER_ENCRNOTSUPP:
        lzs_set_errmsg(errmsg, "%s: %s: encrypted member; not supported", z->name, member);
        return LZS_ERR_UNSUPPORTED;
    case ZIP_ER_COMPNOTSUPP:
        lzs_set_errmsg(errmsg, "%s: %s: compression method not supported", z->name, member);
        return LZS_ERR_UNSUPPORTED;
    default:
        lzs_set_errmsg(errmsg, "%s: %s: damaged ZIP member (%s)", z->name, member,
                       zip_error_strerror(e));
        return LZS_ERR_PARSE;
    }
}

/* Checks the limits after n bytes of a member of comp compressed bytes were inflated. */
static lzs_status_t check_limits(const lzs_zip_t *z, const char *member, size_t n, uint64_t comp,
                                 char **errmsg)
{
    char lim[32];
    if (n > z->lim.max_member) {
        size_words(z->lim.max_member, lim, sizeof lim);
        lzs_set_errmsg(errmsg,
                       "%s: %s: inflates to more than %s, the limit per member; refused "
                       "(a ZIP bomb?)",
                       z->name, member, lim);
        return LZS_ERR_LIMIT;
    }
    if (z->total > z->lim.max_total) {
        size_words(z->lim.max_total, lim, sizeof lim);
        lzs_set_errmsg(errmsg,
                       "%s: %s: the members read inflate to more than %s in all; refused "
                       "(a ZIP bomb?)",
                       z->name, member, lim);
        return LZS_ERR_LIMIT;
    }
    if (n > z->lim.ratio_grace && (uint64_t)n > comp * z->lim.max_ratio) {
        lzs_set_errmsg(errmsg,
                       "%s: %s: inflates more than %u times its %llu compressed bytes; "
                       "refused (a ZIP bomb?)",
                       z->name, member, z->lim.max_ratio, (unsigned long long)comp);
        return LZS_ERR_LIMIT;
    }
    return LZS_OK;
}

/* Inflates the open member f into a growing buffer, checking the limits as it goes. */
static lzs_status_t inflate_member(lzs_zip_t *z, const char *member, zip_file_t *f, uint64_t comp,
                                   uint64_t declared, char **out, size_t *len, char **errmsg)
{
    /* The declared size only sizes the first buffer, and never past a chunk: a member
     * that inflates to more grows it by doubling. */
    size_t cap = (declared < CHUNK ? (size_t)declared : CHUNK) + 1;
    char *buf = malloc(cap);
    size_t n = 0;
    if (buf == NULL)
        return LZS_ERR_NOMEM;
    for (;;) {
        if (n + 1 == cap) {
            char *p = realloc(buf, cap * 2);
            if (p == NULL) {
                free(buf);
                return LZS_ERR_NOMEM;
            }
            buf = p;
            cap *= 2;
        }
        size_t want = cap - n - 1 < CHUNK ? cap - n - 1 : CHUNK;
        zip_int64_t got = zip_fread(f, buf + n, want);
        if (got < 0) {
            lzs_status_t st = member_error(z, member, zip_file_get_error(f), errmsg);
            free(buf);
            return st;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        z->total += (size_t)got;
        lzs_status_t st = check_limits(z, member, n, comp, errmsg);
        if (st != LZS_OK) {
            free(buf);
            return st;
        }
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return LZS_OK;
}

lzs_status_t lzs_zip_read(lzs_zip_t *z, const char *member, char **out, size_t *len, char **errmsg)
{
    *out = NULL;
    *len = 0;
    zip_int64_t idx = zip_name_locate(z->za, member, ZIP_FL_NOCASE);
    if (idx < 0) {
        lzs_set_errmsg(errmsg, "%s: %s: no such member in the archive", z->name, member);
        return LZS_ERR_NOT_FOUND;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) != 0)
        return member_error(z, member, zip_get_error(z->za), errmsg);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        lzs_set_errmsg(errmsg, "%s: %s: encrypted member; not supported", z->name, member);
        return LZS_ERR_UNSUPPORTED;
    }
    /* No member can have consumed more compressed bytes than the archive holds, whatever
     * its header says. */
    uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : z->len;
    if (comp > z->len)
        comp = z->len;
    if (comp == 0)
        comp = 1;
    uint64_t declared = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;

    zip_file_t *f = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (f == NULL)
        return member_error(z, member, zip_get_error(z->za), errmsg);
    lzs_status_t rc = inflate_member(z, member, f, comp, declared, out, len, errmsg);
    zip_fclose(f);
    return rc;
}

lzs_status_t lzs_zip_read_xml(lzs_zip_t *z, const char *member, xmlDocPtr *out, char **errmsg)
{
    char *buf;
    size_t len;
    *out = NULL;
    lzs_status_t st = lzs_zip_read(z, member, &buf, &len, errmsg);
    if (st != LZS_OK)
        return st;
    st = lzs_xml_parse(z->name, member, buf, len, out, errmsg);
    free(buf);
    return st;
}

int lzs_zip_resolve(const char *part, const char *target, char *out, size_t cap)
{
    char path[1024];
    size_t n = 0;
    if (target[0] == '/') {
        target++;
    } else {
        const char *slash = strrchr(part, '/');
        if (slash != NULL) {
            n = (size_t)(slash - part) + 1;
            if (n >= sizeof path)
                return 0;
            memcpy(path, part, n);
        }
    }
    /* Append the segments of target, folding "." and "..". */
    const char *s = target;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t seg = e ? (size_t)(e - s) : strlen(s);
        if (seg == 0 || (seg == 1 && s[0] == '.')) {
            /* nothing */
        } else if (seg == 2 && s[0] == '.' && s[1] == '.') {
            if (n == 0)
                return 0;
            n--; /* the slash that ends the last directory */
            while (n > 0 && path[n - 1] != '/')
                n--;
        } else {
            if (n + seg + 1 >= sizeof path)
                return 0;
            memcpy(path + n, s, seg);
            n += seg;
            if (e)
                path[n++] = '/';
        }
        s = e ? e + 1 : s + seg;
    }
    /* Nothing, or a folder: no member. */
    if (n == 0 || path[n - 1] == '/' || n >= cap)
        return 0;
    memcpy(out, path, n);
    out[n] = '\0';
    return 1;
}

/* ---- XML -------------------------------------------------------------------------- */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init_once(void)
{
    xmlInitParser();
}

void lzs_xml_init(void)
{
    pthread_once(&xml_once, xml_init_once);
}

/* What went wrong in one parse: kept on the parser context, so that parses running at
 * the same time in other threads never see each other's errors. */
typedef struct {
    char msg[256];
    int line;
    int level; /* xmlErrorLevel of msg; 0 while none */
    int entity;
} xml_errors_t;

static void on_xml_error(void *data, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = data;
    xml_errors_t *errs = ctxt ? ctxt->_private : NULL;
    if (errs == NULL || e == NULL || e->level < XML_ERR_ERROR)
        return;
    /* The first fatal error says what broke the parse; an earlier plain error is kept
     * only until one comes. */
    if (errs->level >= XML_ERR_FATAL || (errs->level != 0 && e->level < XML_ERR_FATAL))
        return;
    errs->level = e->level;
    errs->line = e->line;
    /* One line: libxml2 puts the bytes of an encoding error on a second one. */
    const char *m = e->message ? e->message : "malformed XML";
    size_t n = 0;
    for (; *m && n + 1 < sizeof errs->msg; m++) {
        char c = (*m == '\n' || *m == '\r' || *m == '\t') ? ' ' : *m;
        if (c == ' ' && (n == 0 || errs->msg[n - 1] == ' '))
            continue;
        errs->msg[n++] = c;
    }
    while (n > 0 && errs->msg[n - 1] == ' ')
        n--;
    errs->msg[n] = '\0';
}

/* Any entity declaration stops the parse: office documents never declare one, and
 * refusing them all rules out external entities and nested expansions at once. */
static void on_entity_decl(void *data, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
    (void)name;
    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
    xmlParserCtxtPtr ctxt = data;
    xml_errors_t *errs = ctxt->_private;
    errs->entity = 1;
    xmlStopParser(ctxt);
}

static void on_unparsed_entity_decl(void *data, const xmlChar *name, const xmlChar *public_id,
                                    const xmlChar *system_id, const xmlChar *notation)
{
    (void)notation;
    on_entity_decl(data, name, 0, public_id, system_id, NULL);
}

lzs_status_t lzs_xml_parse(const char *name, const char *what, const char *buf, size_t len,
                           xmlDocPtr *out, char **errmsg)
{
    *out = NULL;
    if (len > INT_MAX) {
        lzs_set_errmsg(errmsg, "%s: %s: too large to parse (%zu bytes)", name, what, len);
        return LZS_ERR_LIMIT;
    }
    if (len >= 2 && (((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) ||
                     ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF) ||
                     (buf[0] == '\0' && buf[1] == '<') || (buf[0] == '<' && buf[1] == '\0'))) {
        lzs_set_errmsg(errmsg, "%s: %s: UTF-16 XML; only UTF-8 is supported", name, what);
        return LZS_ERR_UNSUPPORTED;
    }
    lzs_xml_init();
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL)
        return LZS_ERR_NOMEM;
    xml_errors_t errs;
    memset(&errs, 0, sizeof errs);
    ctxt->_private = &errs;
    /* The context's own handlers: a structured error handler (libxml2 then never prints)
     * and the entity refusal. */
    ctxt->sax->serror = on_xml_error;
    ctxt->sax->entityDecl = on_entity_decl;
    ctxt->sax->unparsedEntityDecl = on_unparsed_entity_decl;
    /* The encoding is fixed to UTF-8 and the declaration ignored: office XML is UTF-8, and
     * no converter runs, whose errors libxml2 would print instead of reporting. */
    int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_IGNORE_ENC;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, "UTF-8", options);
    int well_formed = ctxt->wellFormed;
    xmlFreeParserCtxt(ctxt);

    if (errs.entity) {
        xmlFreeDoc(doc);
        lzs_set_errmsg(errmsg,
                       "%s: %s: declares an entity (<!ENTITY>); refused: office documents "
                       "never declare one",
                       name, what);
        return LZS_ERR_PARSE;
    }
    if (doc == NULL || !well_formed || xmlDocGetRootElement(doc) == NULL) {
        xmlFreeDoc(doc);
        if (strstr(errs.msg, "Memory allocation failed") != NULL ||
            strstr(errs.msg, "out of memory") != NULL)
            return LZS_ERR_NOMEM;
        if (errs.level != 0)
            lzs_set_errmsg(errmsg, "%s: %s, line %d: %s", name, what, errs.line, errs.msg);
        else
            lzs_set_errmsg(errmsg, "%s: %s: not well-formed XML", name, what);
        return LZS_ERR_PARSE;
    }
    *out = doc;
    return LZS_OK;
}

static int ns_in(const xmlNs *ns, const char *const *list)
{
    if (ns == NULL || ns->href == NULL)
        return 0;
    for (; *list; list++)
        if (strcmp((const char *)ns->href, *list) == 0)
            return 1;
    return 0;
}

const char *lzs_xml_elem(const xmlNode *n, const char *const *ns)
{
    if (n == NULL || n->type != XML_ELEMENT_NODE || !ns_in(n->ns, ns))
        return NULL;
    return (const char *)n->name;
}

int lzs_xml_is(const xmlNode *n, const char *const *ns, const char *local)
{
    const char *name = lzs_xml_elem(n, ns);
    return name != NULL && strcmp(name, local) == 0;
}

xmlNode *lzs_xml_child(const xmlNode *n, const char *const *ns, const char *local)
{
    if (n == NULL)
        return NULL;
    for (xmlNode *c = n->children; c; c = c->next)
        if (lzs_xml_is(c, ns, local))
            return c;
    return NULL;
}

static const xmlAttr *find_attr(const xmlNode *n, const char *const *ns, const char *local)
{
    if (n == NULL || n->type != XML_ELEMENT_NODE)
        return NULL;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (strcmp((const char *)a->name, local) != 0)
            continue;
        if (ns == NULL ? a->ns == NULL : ns_in(a->ns, ns))
            return a;
    }
    return NULL;
}

int lzs_xml_has_attr(const xmlNode *n, const char *const *ns, const char *local)
{
    return find_attr(n, ns, local) != NULL;
}

int lzs_xml_attr(const xmlNode *n, const char *const *ns, const char *local, char *buf, size_t cap)
{
    buf[0] = '\0';
    const xmlAttr *a = find_attr(n, ns, local);
    if (a == NULL)
        return 0;
    size_t len = 0;
    for (const xmlNode *t = a->children; t; t = t->next) {
        if (t->type != XML_TEXT_NODE || t->content == NULL)
            continue;
        const char *s = (const char *)t->content;
        size_t k = strlen(s);
        if (len + k >= cap) {
            k = cap - 1 - len;
            /* Never cut inside a UTF-8 sequence. */
            while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
                k--;
            memcpy(buf + len, s, k);
            len += k;
            break;
        }
        memcpy(buf + len, s, k);
        len += k;
    }
    buf[len] = '\0';
    return 1;
}
