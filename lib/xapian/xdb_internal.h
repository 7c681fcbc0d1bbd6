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
    /* The facet counters added, borrowed: finished after each match. */
    std::vector<lzs_xspy *> spies;
    explicit lzs_xenq(lzs_xdb *owner) : db(owner), enq(owner->db)
    {
    }
};

struct lzs_xmset {
    Xapian::MSet mset;
    /* The one thing a (const) result page changes: the message of its last failed call. */
    mutable std::string err;
};

/* Counts of byte strings: an open-addressing hash table whose keys live in one arena, so
 * counting a value that was seen before allocates nothing (the facet counter calls it for
 * every matching document and facet). */
class lzs_xcounts
{
  public:
    /* Adds n to the count of the len bytes at p. */
    void add(const char *p, size_t len, uint32_t n);
    void clear() noexcept;
    size_t size() const noexcept
    {
        return used;
    }
    /* Calls f(key, count) for every key, in no particular order. */
    template <class F> void each(F &&f) const
    {
        for (const entry &e : table) {
            if (e.len != EMPTY) {
                f(std::string(arena, e.off, e.len), e.count);
            }
        }
    }

  private:
    static constexpr uint32_t EMPTY = UINT32_MAX;
    struct entry {
        uint64_t hash;
        uint32_t off, len, count;
    };
    void grow();
    std::vector<entry> table; /* size a power of two, at most half full */
    std::string arena;
    size_t used = 0;
};

/* The facet counter. It is itself the Xapian::MatchSpy handed to the Enquire (not released
 * to Xapian's reference counting: the C caller owns it).
 *
 * Values are read from the slot's value stream (Database::valuestream_begin), not with
 * Document::get_value: the matcher hands documents over in ascending docid order, so the
 * stream only moves forward through its chunks, where get_value looks up and copies a
 * whole value chunk for every document and every slot (most of the time of a facet count
 * over a large match set). */
struct lzs_xspy : public Xapian::MatchSpy {
    lzs_xspy(Xapian::valueno slot_, char sep_) : slot(slot_), sep(sep_)
    {
    }
    void operator()(const Xapian::Document &doc, double wt) override;
    Xapian::MatchSpy *clone() const override;
    std::string name() const override;
    std::string get_description() const override;
    /* Turns the counts of whole values into the sorted counts of items; called once a
     * match is over (by lzs_xenq_get_mset, inside its exception barrier). */
    void finish();
    void clear() noexcept;
    /* The value of `slot` for document did ("" when it has none), from the stream. */
    const std::string &value_of(Xapian::docid did);
    /* The value of key_slot for document did, from its own stream, into key. */
    void key_of(const Xapian::Document &doc);
    Xapian::valueno slot;
    char sep;
    /* Distinct keys per item (lzs_xspy_set_distinct): the slot of the keys, the streams'
     * state, the (item, key) pairs seen, and after finish() the count of distinct keys of
     * each item of `sorted`. */
    Xapian::valueno key_slot = Xapian::BAD_VALUENO;
    Xapian::ValueIterator kstream;
    bool kstream_open = false;
    bool kstream_end = false;
    Xapian::docid klast_did = 0;
    std::string key;
    std::string pair;
    lzs_xcounts pairs;
    std::vector<uint32_t> distinct;
    uint32_t total = 0;
    /* The database the stream reads: set when the spy is added to an Enquire. */
    Xapian::Database db;
    bool have_db = false;
    Xapian::ValueIterator stream;
    bool stream_open = false;
    bool stream_end = false;
    Xapian::docid last_did = 0;
    std::string value; /* the current document's value */
    /* Documents per item (per value of a single-valued slot). The passages of a document
     * have consecutive ids and mostly the same values, so the last value is remembered and
     * its items counted again without splitting or hashing. */
    lzs_xcounts counts;
    std::string last_value;
    std::vector<std::pair<size_t, size_t>> items; /* the distinct items of last_value */
    bool have_last = false;
    /* Items by count (most frequent first, ties by value): built by finish(). */
    std::vector<std::pair<std::string, uint32_t>> sorted;
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
