/* status.h — the one error vocabulary of lanzasearch.
 *
 * Every function that can fail returns an lzs_status_t; LZS_OK is 0. A detailed
 * message is kept on the handle the call was made on (for example lzs_xdb_errmsg()),
 * or handed out through an errmsg OUT parameter where there is no handle yet.
 */
#ifndef LZS_STATUS_H
#define LZS_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    LZS_OK = 0,
    LZS_ERR_NOMEM,       /* an allocation failed */
    LZS_ERR_INVALID,     /* an argument is invalid (NULL, out of range, unknown name) */
    LZS_ERR_IO,          /* reading or writing a file or the index failed */
    LZS_ERR_LOCKED,      /* the index is locked by another writer */
    LZS_ERR_NOT_FOUND,   /* no such document, term, file or key */
    LZS_ERR_CORRUPT,     /* the index or a data file is damaged */
    LZS_ERR_MODIFIED,    /* the index changed under a reader: reopen and retry */
    LZS_ERR_XAPIAN,      /* any other error reported by Xapian */
    LZS_ERR_UTF8,        /* input is not valid UTF-8 where it must be */
    LZS_ERR_PARSE,       /* syntax error in a query, a JSON file or a document */
    LZS_ERR_LIMIT,       /* a documented limit was exceeded */
    LZS_ERR_SCHEMA,      /* the index was written with another schema version */
    LZS_ERR_UNSUPPORTED, /* the operation is not supported here */
    LZS_ERR_INTERNAL,    /* an unexpected failure (a bug) */
    LZS_ERR_CANCELLED    /* the caller asked the operation to stop; nothing was committed */
} lzs_status_t;

/* A short English description of a status code. Static string: never freed. */
const char *lzs_status_str(lzs_status_t status);

/* Identifier of a status code for machine use, e.g. "locked". Static string. */
const char *lzs_status_name(lzs_status_t status);

#ifdef __cplusplus
}
#endif

#endif
