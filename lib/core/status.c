/* status.c — names and descriptions of lzs_status_t. */
#include "lzs/status.h"

const char *lzs_status_str(lzs_status_t status)
{
    switch (status) {
    case LZS_OK:
        return "success";
    case LZS_ERR_NOMEM:
        return "out of memory";
    case LZS_ERR_INVALID:
        return "invalid argument";
    case LZS_ERR_IO:
        return "input/output error";
    case LZS_ERR_LOCKED:
        return "index is locked by another writer";
    case LZS_ERR_NOT_FOUND:
        return "not found";
    case LZS_ERR_CORRUPT:
        return "index or data file is corrupt";
    case LZS_ERR_MODIFIED:
        return "index was modified while being read";
    case LZS_ERR_XAPIAN:
        return "Xapian error";
    case LZS_ERR_UTF8:
        return "invalid UTF-8";
    case LZS_ERR_PARSE:
        return "syntax error";
    case LZS_ERR_LIMIT:
        return "limit exceeded";
    case LZS_ERR_SCHEMA:
        return "index schema version mismatch";
    case LZS_ERR_UNSUPPORTED:
        return "unsupported operation";
    case LZS_ERR_INTERNAL:
        return "internal error";
    case LZS_ERR_CANCELLED:
        return "cancelled";
    }
    return "unknown status";
}

const char *lzs_status_name(lzs_status_t status)
{
    switch (status) {
    case LZS_OK:
        return "ok";
    case LZS_ERR_NOMEM:
        return "nomem";
    case LZS_ERR_INVALID:
        return "invalid";
    case LZS_ERR_IO:
        return "io";
    case LZS_ERR_LOCKED:
        return "locked";
    case LZS_ERR_NOT_FOUND:
        return "not_found";
    case LZS_ERR_CORRUPT:
        return "corrupt";
    case LZS_ERR_MODIFIED:
        return "modified";
    case LZS_ERR_XAPIAN:
        return "xapian";
    case LZS_ERR_UTF8:
        return "utf8";
    case LZS_ERR_PARSE:
        return "parse";
    case LZS_ERR_LIMIT:
        return "limit";
    case LZS_ERR_SCHEMA:
        return "schema";
    case LZS_ERR_UNSUPPORTED:
        return "unsupported";
    case LZS_ERR_INTERNAL:
        return "internal";
    case LZS_ERR_CANCELLED:
        return "cancelled";
    }
    return "unknown";
}
