/* zipxml.h — reading the parts of an office document safely: a ZIP archive held in memory
 * (libzip) whose members are inflated under limits, and XML parsed without network,
 * entities or DTDs (libxml2), with every error collected per call and never printed.
 *
 * Shared by the DOCX and ODT readers; the XML half (lzs_xml_*) serves any reader of
 * untrusted XML. Every function here is safe to call from several threads at once: an
 * archive or a parsed document belongs to the call that made it.
 */
#ifndef LZS_EXTRACT_ZIPXML_H
#define LZS_EXTRACT_ZIPXML_H

#include <stddef.h>

#include <libxml/tree.h>

#include "lzs/status.h"

/* ---- ZIP ------------------------------------------------------------------------- */

/* What one archive may cost. A member is refused once it inflates past max_member bytes,
 * all members read from the archive past max_total bytes, or a member past ratio_grace
 * bytes to more than max_ratio times its compressed size: all three are counted on the
 * bytes actually inflated, never taken from the sizes the archive declares. */
typedef struct {
    size_t max_member;
    size_t max_total;
    size_t ratio_grace;
    unsigned max_ratio;
} lzs_zip_limits_t;

/* 64 MiB per member, 256 MiB in all, 100:1 past the first MiB. */
#define LZS_ZIP_MAX_MEMBER ((size_t)64 << 20)
#define LZS_ZIP_MAX_TOTAL ((size_t)256 << 20)
#define LZS_ZIP_RATIO_GRACE ((size_t)1 << 20)
#define LZS_ZIP_MAX_RATIO 100u

typedef struct lzs_zip lzs_zip_t;

/* Opens the len bytes of buf as a ZIP archive. buf is borrowed: it must stay valid and
 * unchanged until lzs_zip_close(). name is the file's name for messages (copied).
 * limits: NULL for the defaults above (copied). *out: caller frees with lzs_zip_close();
 * NULL on failure. Errors, with "NAME: ..." in *errmsg (caller frees with free()):
 * LZS_ERR_PARSE (not a ZIP archive, or a damaged one), LZS_ERR_UNSUPPORTED (an OLE
 * compound file: an encrypted DOCX or a legacy .doc), LZS_ERR_NOMEM. */
lzs_status_t lzs_zip_open(const char *name, const char *buf, size_t len,
                          const lzs_zip_limits_t *limits, lzs_zip_t **out, char **errmsg);
/* Closes z. NULL is a no-op. */
void lzs_zip_close(lzs_zip_t *z);
/* 1 when z has a member of this name (ASCII case ignored, as OPC part names are). */
int lzs_zip_has(const lzs_zip_t *z, const char *member);
/* Inflates member. *out is NUL-terminated (out[*len] == '\0'): caller frees with free();
 * NULL on failure. Errors, with "NAME: MEMBER: ..." in *errmsg: LZS_ERR_NOT_FOUND (no
 * such member), LZS_ERR_LIMIT (a limit of z's), LZS_ERR_PARSE (a damaged member: bad CRC,
 * bad compressed data), LZS_ERR_UNSUPPORTED (encrypted member, unknown compression),
 * LZS_ERR_NOMEM. */
lzs_status_t lzs_zip_read(lzs_zip_t *z, const char *member, char **out, size_t *len, char **errmsg);
/* lzs_zip_read() then lzs_xml_parse(): *out, caller frees with xmlFreeDoc(). */
lzs_status_t lzs_zip_read_xml(lzs_zip_t *z, const char *member, xmlDocPtr *out, char **errmsg);
/* The name given to lzs_zip_open(). Borrowed: valid until z is closed. */
const char *lzs_zip_name(const lzs_zip_t *z);

/* Resolves a relationship target against the part that holds it, as OPC does: "a/b.xml"
 * with target "c.xml" -> "a/c.xml", "../c.xml" -> "c.xml", "/c.xml" -> "c.xml". Writes
 * the member name into out (cap bytes). Returns 0 when it does not fit or leaves the
 * archive ("../../x"). */
int lzs_zip_resolve(const char *part, const char *target, char *out, size_t cap);

/* ---- XML -------------------------------------------------------------------------- */

/* Prepares libxml2 once per process; lzs_xml_parse() calls it. Any code that uses
 * libxml2 outside this file calls it first too (libxml2 must be initialised before two
 * threads use it). */
void lzs_xml_init(void);

/* Parses len bytes of XML (UTF-8, whatever the declaration says) into a tree: no network,
 * no DTD loaded, no entity substituted, and a document that declares any entity (an
 * external entity, or the nested ones of a "billion laughs") refused. name and what
 * (the member, "word/document.xml") are for messages. *out: caller frees with
 * xmlFreeDoc(); NULL on failure. Errors: LZS_ERR_PARSE with "NAME: WHAT, line N: what is
 * wrong" (the first error libxml2 reported; "NAME: WHAT: declares an entity ..." for an
 * entity), LZS_ERR_UNSUPPORTED (UTF-16 XML), LZS_ERR_LIMIT (larger than INT_MAX bytes),
 * LZS_ERR_NOMEM. Nothing is printed. */
lzs_status_t lzs_xml_parse(const char *name, const char *what, const char *buf, size_t len,
                           xmlDocPtr *out, char **errmsg);

/* Walking a parsed tree. A namespace list is a NULL-terminated array of namespace URIs
 * that count as one (a format's transitional and strict namespaces). */

/* The local name of n when it is an element in one of the namespaces ns, else NULL.
 * Borrowed: valid while the tree lives. */
const char *lzs_xml_elem(const xmlNode *n, const char *const *ns);
/* 1 when n is the element ns:local. */
int lzs_xml_is(const xmlNode *n, const char *const *ns, const char *local);
/* The first child element of n that is ns:local, or NULL. Borrowed. */
xmlNode *lzs_xml_child(const xmlNode *n, const char *const *ns, const char *local);
/* Copies the value of n's attribute ns:local (ns NULL: an attribute without namespace)
 * into buf (cap bytes, NUL-terminated, cut at cap - 1 bytes on a character boundary).
 * Returns 1 when the attribute is present, else 0 and buf is "". */
int lzs_xml_attr(const xmlNode *n, const char *const *ns, const char *local, char *buf, size_t cap);
/* 1 when n has the attribute ns:local. */
int lzs_xml_has_attr(const xmlNode *n, const char *const *ns, const char *local);

#endif
