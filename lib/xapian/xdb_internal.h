/* xdb_internal.h — what the C++ files of the Xapian shim share: the handle structures
 * behind the opaque types of lzs/xdb.h and the exception barrier every exported function
 * goes through. C++ only; never included from C.
 */
#ifndef LZS_XDB_INTERNAL_H
#define LZS_XDB_INTERNAL_H

#include <xapian.h>

#include <cstddef>
#include <cstring>
#include <type_traits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lzs/xdb.h"

/* What is known of one sub-database of a read-only handle besides its Xapian handle. */
struct lzs_xdb_sub {
    std::string name;  /* its collection name (lzs_xdb_sub_name) */
    std::string where; /* its path, or HOST:PORT of a remote one: for messages */
    bool remote = false;
};

struct lzs_xdb {
    /* Every read goes through db. For a writable handle it shares its internals with wdb,
     * so reads see the pending changes of the writer. */
    Xapian::Database db;
    Xapian::WritableDatabase wdb;
    /* Each sub-database alone, in db's order, sharing its internals with db (so db.reopen()
     * moves them too): Xapian reads metadata and revisions of a single database only. */
    std::vector<Xapian::Database> subs;
    std::vector<lzs_xdb_sub> info; /* one per subs[i] */
    bool writable = false;
    bool in_txn = false;
    /* A handle over another's sub-database (lzs_xdb_sub_open): closing it must leave the
     * shared files open. */
    bool borrowed = false;
    /* lzs_xdb_set_phrase_prefix: empty for none */
    std::string phrase_prefix;
    std::string err;
};

struct lzs_xdoc {
    Xapian::Document doc;
};

struct lzs_xquery {
    Xapian::Query q;
};

struct lzs_xstem {
    Xapian::Stem stem;
};

struct lzs_xenq {
    lzs_xdb *db = nullptr; /* borrowed */
    Xapian::Enquire enq;
    std::string err;
    explicit lzs_xenq(lzs_xdb *owner) : db(owner), enq(owner->db)
    {
    }
};

struct lzs_xmset {
    Xapian::MSet mset;
};

namespace lzs_x
{

/* Turns the exception being handled into a status and stores a message in *msg (msg may be
 * NULL). Must be called from inside a catch block. */
lzs_status_t translate_current(std::string *msg) noexcept;

/* Stores text in *msg without throwing (msg may be NULL; on allocation failure the message
 * is left empty). */
void set_msg(std::string *msg, const char *text) noexcept;

/* Same, returning status: for argument checks. */
inline lzs_status_t fail(std::string *msg, lzs_status_t status, const char *text) noexcept
{
    set_msg(msg, text);
    return status;
}

/* Runs f (which returns an lzs_status_t), clearing *msg first and turning any exception
 * into a status. The one exception barrier of the shim. */
template <class F> lzs_status_t guard(std::string *msg, F &&f) noexcept
{
    try {
        if (msg != nullptr) {
            msg->clear();
        }
        return f();
    } catch (...) {
        return translate_current(msg);
    }
}

/* The integer behind an enum argument from C, read without loading it as the enum: C may
 * pass any int, and loading an out-of-range value as a C++ enum is undefined behaviour. */
template <class E> std::underlying_type_t<E> raw_enum(const E &e) noexcept
{
    std::underlying_type_t<E> v;
    std::memcpy(&v, &e, sizeof v);
    return v;
}

/* Checks a term given to the shim: non-NULL, non-empty, at most LZS_XDB_MAX_TERM bytes. */
lzs_status_t check_term(const char *term, std::string *msg) noexcept;

/* Copies s into a malloc'd NUL-terminated buffer: *out (caller frees with free()) and *len
 * (may be NULL). Throws std::bad_alloc when malloc fails. */
void copy_out(const std::string &s, char **out, size_t *len);

} // namespace lzs_x

#endif
