/* xdb.cc — the database and document part of the C API over libxapian: opening and
 * closing, transactions, metadata, term and posting lists, documents, spelling and
 * synonyms; plus the exception barrier shared by the whole shim (xdb_internal.h).
 */
#include "xapian/xdb_internal.h"

#include <algorithm>

#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <new>

/* ---- the exception barrier ------------------------------------------------ */

void lzs_x::set_msg(std::string *msg, const char *text) noexcept
{
    if (msg == nullptr) {
        return;
    }
    try {
        msg->assign(text);
    } catch (...) {
        msg->clear();
    }
}

/* Stores "what: <Xapian's description>" so that a message says both what it means for the
 * caller and what Xapian reported. */
static void set_xapian_msg(std::string *msg, const char *what, const Xapian::Error &e) noexcept
{
    if (msg == nullptr) {
        return;
    }
    try {
        msg->assign(what);
        msg->append(" (");
        msg->append(e.get_description());
        msg->append(")");
    } catch (...) {
        msg->clear();
    }
}

lzs_status_t lzs_x::translate_current(std::string *msg) noexcept
{
    /* Most derived classes first: several of these derive from one another. */
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        /* Xapian raises the same error when the lock file cannot be made at all (no
         * permission, too many open files): only "already locked" means another writer,
         * the rest must not send callers into waiting for a writer that does not exist. */
        if (e.get_msg().find("already locked") != std::string::npos) {
            set_xapian_msg(msg, "the database is locked by another writer", e);
            return LZS_ERR_LOCKED;
        }
        set_xapian_msg(msg, "cannot take the database's write lock", e);
        return LZS_ERR_IO;
    } catch (const Xapian::DatabaseModifiedError &e) {
        set_xapian_msg(msg, "the database was modified while being read: reopen and retry", e);
        return LZS_ERR_MODIFIED;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        set_xapian_msg(msg, "no database found", e);
        return LZS_ERR_NOT_FOUND;
    } catch (const Xapian::DocNotFoundError &e) {
        set_xapian_msg(msg, "no such document", e);
        return LZS_ERR_NOT_FOUND;
    } catch (const Xapian::DatabaseCorruptError &e) {
        set_xapian_msg(msg, "the database is corrupt", e);
        return LZS_ERR_CORRUPT;
    } catch (const Xapian::DatabaseVersionError &e) {
        set_xapian_msg(msg, "the database format is not supported by this Xapian", e);
        return LZS_ERR_IO;
    } catch (const Xapian::DatabaseOpeningError &e) {
        set_xapian_msg(msg, "cannot open the database", e);
        return LZS_ERR_IO;
    } catch (const Xapian::DatabaseCreateError &e) {
        set_xapian_msg(msg, "cannot create the database", e);
        return LZS_ERR_IO;
    } catch (const Xapian::DatabaseClosedError &e) {
        set_xapian_msg(msg, "the database has been closed", e);
        return LZS_ERR_INVALID;
    } catch (const Xapian::DatabaseError &e) {
        /* What remains of DatabaseError is reading or writing the files failing. */
        set_xapian_msg(msg, "database input/output error", e);
        return LZS_ERR_IO;
    } catch (const Xapian::InvalidArgumentError &e) {
        set_xapian_msg(msg, "invalid argument", e);
        return LZS_ERR_INVALID;
    } catch (const Xapian::Error &e) {
        set_xapian_msg(msg, "Xapian error", e);
        return LZS_ERR_XAPIAN;
    } catch (const std::bad_alloc &) {
        set_msg(msg, "out of memory");
        return LZS_ERR_NOMEM;
    } catch (const std::exception &e) {
        if (msg != nullptr) {
            try {
                msg->assign("unexpected error: ");
                msg->append(e.what());
            } catch (...) {
                msg->clear();
            }
        }
        return LZS_ERR_INTERNAL;
    } catch (...) {
        set_msg(msg, "unexpected unknown exception");
        return LZS_ERR_INTERNAL;
    }
}

lzs_status_t lzs_x::check_term(const char *term, std::string *msg) noexcept
{
    if (term == nullptr) {
        return fail(msg, LZS_ERR_INVALID, "term is NULL");
    }
    size_t len = std::strlen(term);
    if (len == 0) {
        return fail(msg, LZS_ERR_INVALID, "term is empty");
    }
    if (len > LZS_XDB_MAX_TERM) {
        return fail(msg, LZS_ERR_LIMIT, "term is longer than 245 bytes (LZS_XDB_MAX_TERM)");
    }
    return LZS_OK;
}

void lzs_x::copy_out(const std::string &s, char **out, size_t *len)
{
    char *buf = static_cast<char *>(std::malloc(s.size() + 1));
    if (buf == nullptr) {
        throw std::bad_alloc();
    }
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    *out = buf;
    if (len != nullptr) {
        *len = s.size();
    }
}

using lzs_x::fail;
using lzs_x::guard;

/* Hands a message to an open function's errmsg OUT parameter (NULL when out of memory). */
static void give_errmsg(char **errmsg, const std::string &msg) noexcept
{
    if (errmsg == nullptr) {
        return;
    }
    *errmsg = static_cast<char *>(std::malloc(msg.size() + 1));
    if (*errmsg != nullptr) {
        std::memcpy(*errmsg, msg.data(), msg.size());
        (*errmsg)[msg.size()] = '\0';
    }
}

/* Common checks for calls that modify the database. */
static lzs_status_t need_writable(lzs_xdb_t *db)
{
    if (!db->writable) {
        return fail(&db->err, LZS_ERR_INVALID, "the database was opened read-only");
    }
    return LZS_OK;
}

/* Whether path holds a Xapian database of a backend this library writes. */
static bool database_exists(const char *path)
{
    static const char *const stamps[] = {"/iamglass", "/iamchert"};
    for (const char *stamp : stamps) {
        std::string p(path);
        p += stamp;
        struct stat st;
        if (stat(p.c_str(), &st) == 0) {
            return true;
        }
    }
    return false;
}

/* Whether the file at path reads as text: a stub, where a single-file database is binary. */
static bool is_text(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    char buf[512];
    in.read(buf, sizeof buf);
    return std::memchr(buf, '\0', static_cast<size_t>(in.gcount())) == nullptr;
}

/* ---- sub-databases --------------------------------------------------------- */

/* Milliseconds a remote sub-database may take to connect and to answer. */
static const unsigned REMOTE_MS = 10000;

/* A database a path leads to once Xapian stubs are followed: a local one (a directory or
 * a single file) or a remote one (xapian-tcpsrv), with its collection name. */
struct leaf {
    std::string path;
    std::string name;
    bool remote = false;
    std::string host;
    unsigned port = 0;
};

/* The last component of a path, without trailing slashes ("/srv/greta/" -> "greta"). */
static std::string base_name(const std::string &path)
{
    size_t end = path.find_last_not_of('/');
    if (end == std::string::npos) {
        return path;
    }
    size_t slash = path.rfind('/', end);
    return path.substr(slash == std::string::npos ? 0 : slash + 1,
                       end - (slash == std::string::npos ? 0 : slash + 1) + 1);
}

static void expand(const std::string &path, const std::string &name, bool given, unsigned depth,
                   std::vector<leaf> &out);

/* The databases a Xapian stub file names, read as Xapian 1.4 reads it (a line "TYPE REST";
 * blank lines and lines starting with '#' skipped; "auto", "glass", "chert" name a path,
 * relative to the stub's directory; "remote HOST:PORT" a xapian-tcpsrv). Followed here
 * rather than by Xapian so that each database is known apart: its schema, revision and
 * collection name. A "remote :PROGRAM" line is refused (it would start a program), and so
 * is anything Xapian would not open. Each named database is called by its own path's
 * last component when the stub names several (prefixed "NAME/" when the index was named
 * by the user), else by name. */
static void expand_stub(const std::string &file, const std::string &name, bool given,
                        unsigned depth, std::vector<leaf> &out)
{
    std::ifstream in(file);
    if (!in) {
        throw Xapian::DatabaseOpeningError("cannot read the stub file " + file);
    }
    std::vector<std::pair<std::string, std::string>> lines;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty() || line[0] == '#') {
            continue;
        }
        size_t sp = line.find(' ');
        std::string type = line.substr(0, sp);
        std::string rest = sp == std::string::npos ? std::string() : line.substr(sp + 1);
        lines.emplace_back(type, rest);
    }
    if (in.bad()) {
        throw Xapian::DatabaseOpeningError("cannot read the stub file " + file);
    }
    if (lines.empty()) {
        throw Xapian::DatabaseOpeningError("the stub file " + file + " names no database");
    }
    std::string dir =
        file.rfind('/') == std::string::npos ? std::string() : file.substr(0, file.rfind('/') + 1);
    for (const auto &tl : lines) {
        const std::string &type = tl.first;
        const std::string &rest = tl.second;
        bool remote = type == "remote";
        if (!remote && type != "auto" && type != "glass" && type != "chert") {
            throw Xapian::DatabaseOpeningError("the stub file " + file + " has a line of type '" +
                                               type + "', which this program does not open");
        }
        if (rest.empty()) {
            throw Xapian::DatabaseOpeningError("the stub file " + file + " has a '" + type +
                                               "' line naming nothing");
        }
        std::string child = remote ? rest : rest[0] == '/' ? rest : dir + rest;
        std::string child_name = lines.size() == 1 ? name
                                 : given           ? name + "/" + base_name(child)
                                                   : base_name(child);
        if (!remote) {
            expand(child, child_name, given, depth + 1, out);
            continue;
        }
        size_t colon = rest.rfind(':');
        if (colon == 0 || colon == std::string::npos) {
            throw Xapian::InvalidArgumentError("the stub file " + file + " has the line 'remote " +
                                               rest +
                                               "': only remote HOST:PORT is opened, never a "
                                               "program");
        }
        char *end = nullptr;
        unsigned long port = std::strtoul(rest.c_str() + colon + 1, &end, 10);
        if (end == rest.c_str() + colon + 1 || *end != '\0' || port == 0 || port > 65535) {
            throw Xapian::InvalidArgumentError("the stub file " + file + " has the line 'remote " +
                                               rest + "': no port after ':'");
        }
        leaf l;
        l.remote = true;
        l.host = rest.substr(0, colon);
        l.port = static_cast<unsigned>(port);
        l.path = rest;
        l.name = lines.size() == 1 ? name : given ? name + "/" + rest : rest;
        out.push_back(std::move(l));
    }
}

/* The databases path leads to, into out: a directory holding a stub named XAPIANDB (a
 * replica's) or a stub file are followed; anything else is a database (Xapian says so, or
 * not, when it is opened). */
static void expand(const std::string &path, const std::string &name, bool given, unsigned depth,
                   std::vector<leaf> &out)
{
    if (depth > 8) {
        throw Xapian::DatabaseOpeningError("stub files naming stub files more than 8 deep at " +
                                           path);
    }
    struct stat sb;
    if (stat(path.c_str(), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        std::string stub = path + "/XAPIANDB";
        if (stat(stub.c_str(), &sb) == 0 && S_ISREG(sb.st_mode)) {
            expand_stub(stub, name, given, depth, out);
            return;
        }
    } else if (stat(path.c_str(), &sb) == 0 && S_ISREG(sb.st_mode) && is_text(path)) {
        expand_stub(path, name, given, depth, out);
        return;
    }
    leaf l;
    l.path = path;
    l.name = name;
    out.push_back(std::move(l));
}

/* The revision of sub-database i (throws as Xapian does; caller guards). A remote one
 * reports none in Xapian 1.4. */
static lzs_status_t sub_revision(lzs_xdb_t *db, size_t i, uint64_t *out)
{
    if (i >= db->subs.size()) {
        return fail(&db->err, LZS_ERR_INVALID, "no such sub-database");
    }
    if (db->info[i].remote) {
        return fail(&db->err, LZS_ERR_UNSUPPORTED,
                    "Xapian reports no revision for a remote database");
    }
    *out = db->subs[i].get_revision();
    return LZS_OK;
}

extern "C" {

/* ---- databases ------------------------------------------------------------ */

lzs_status_t lzs_xdb_open_readonly(const char *const *paths, size_t npaths, lzs_xdb_t **out,
                                   char **errmsg)
{
    return lzs_xdb_open_named(paths, nullptr, npaths, out, errmsg);
}

lzs_status_t lzs_xdb_open_named(const char *const *paths, const char *const *names, size_t npaths,
                                lzs_xdb_t **out, char **errmsg)
{
    if (errmsg != nullptr) {
        *errmsg = nullptr;
    }
    if (out == nullptr) {
        give_errmsg(errmsg, "out is NULL");
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    if (paths == nullptr || npaths == 0) {
        give_errmsg(errmsg, "no database path given");
        return LZS_ERR_INVALID;
    }
    std::string msg;
    lzs_xdb_t *db = nullptr;
    lzs_status_t st = guard(&msg, [&]() {
        for (size_t i = 0; i < npaths; i++) {
            if (paths[i] == nullptr || paths[i][0] == '\0') {
                return fail(&msg, LZS_ERR_INVALID, "a database path is NULL or empty");
            }
        }
        std::vector<leaf> leaves;
        for (size_t i = 0; i < npaths; i++) {
            bool given = names != nullptr && names[i] != nullptr && names[i][0] != '\0';
            expand(paths[i], given ? std::string(names[i]) : base_name(paths[i]), given, 0, leaves);
        }
        db = new lzs_xdb_t;
        for (const leaf &l : leaves) {
            Xapian::Database sub = l.remote
                                       ? Xapian::Remote::open(l.host, l.port, REMOTE_MS, REMOTE_MS)
                                       : Xapian::Database(l.path);
            db->subs.push_back(sub);
            lzs_xdb_sub info;
            info.name = l.name;
            info.where = l.remote ? l.host + ":" + std::to_string(l.port) : l.path;
            info.remote = l.remote;
            db->info.push_back(std::move(info));
            db->db.add_database(sub);
        }
        return LZS_OK;
    });
    if (st != LZS_OK) {
        delete db;
        give_errmsg(errmsg, msg);
        return st;
    }
    *out = db;
    return LZS_OK;
}

lzs_status_t lzs_xdb_open_writable(const char *path, lzs_xdb_mode_t mode, lzs_xdb_t **out,
                                   char **errmsg)
{
    if (errmsg != nullptr) {
        *errmsg = nullptr;
    }
    if (out == nullptr) {
        give_errmsg(errmsg, "out is NULL");
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    if (path == nullptr || path[0] == '\0') {
        give_errmsg(errmsg, "database path is NULL or empty");
        return LZS_ERR_INVALID;
    }
    int flags;
    const auto raw_mode = lzs_x::raw_enum(mode);
    switch (raw_mode) {
    case LZS_XDB_OPEN:
        flags = Xapian::DB_OPEN;
        break;
    case LZS_XDB_CREATE:
        flags = Xapian::DB_CREATE;
        break;
    case LZS_XDB_CREATE_OR_OPEN:
        flags = Xapian::DB_CREATE_OR_OPEN;
        break;
    case LZS_XDB_OVERWRITE:
        flags = Xapian::DB_CREATE_OR_OVERWRITE;
        break;
    default:
        give_errmsg(errmsg, "unknown open mode");
        return LZS_ERR_INVALID;
    }
    std::string msg;
    lzs_xdb_t *db = nullptr;
    lzs_status_t st = guard(&msg, [&]() {
        db = new lzs_xdb_t;
        try {
            db->wdb = Xapian::WritableDatabase(path, flags);
        } catch (const Xapian::DatabaseCreateError &e) {
            /* Xapian reports "exists already" as a creation failure; the contract makes it
             * a misuse so that the caller can tell it from a file system problem. */
            if (raw_mode == LZS_XDB_CREATE && database_exists(path)) {
                msg = std::string("a database already exists at ") + path;
                return LZS_ERR_INVALID;
            }
            throw;
        }
        db->db = db->wdb;
        db->subs.push_back(db->wdb);
        lzs_xdb_sub info;
        info.name = base_name(path);
        info.where = path;
        db->info.push_back(std::move(info));
        db->writable = true;
        return LZS_OK;
    });
    if (st != LZS_OK) {
        delete db;
        give_errmsg(errmsg, msg);
        return st;
    }
    *out = db;
    return LZS_OK;
}

void lzs_xdb_close(lzs_xdb_t *db)
{
    if (db == nullptr) {
        return;
    }
    if (db->writable) {
        /* Nothing can be reported from here: a failure to commit leaves the last
         * committed revision on disk, which is all Xapian guarantees anyway. */
        guard(nullptr, [&]() {
            if (db->in_txn) {
                db->in_txn = false;
                db->wdb.cancel_transaction();
            } else {
                db->wdb.commit();
            }
            return LZS_OK;
        });
    }
    if (!db->borrowed) {
        guard(nullptr, [&]() {
            db->db.close();
            return LZS_OK;
        });
    }
    delete db;
}

const char *lzs_xdb_errmsg(const lzs_xdb_t *db)
{
    if (db == nullptr) {
        return "no database handle (NULL)";
    }
    return db->err.c_str();
}

lzs_status_t lzs_xdb_doccount(lzs_xdb_t *db, uint32_t *out)
{
    if (db == nullptr || out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = 0;
    return guard(&db->err, [&]() {
        *out = db->db.get_doccount();
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_lastdocid(lzs_xdb_t *db, lzs_docid_t *out)
{
    if (db == nullptr || out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = 0;
    return guard(&db->err, [&]() {
        *out = db->db.get_lastdocid();
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_revision(lzs_xdb_t *db, uint64_t *out)
{
    if (db == nullptr || out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = 0;
    return guard(&db->err, [&]() { return sub_revision(db, 0, out); });
}

size_t lzs_xdb_subcount(const lzs_xdb_t *db)
{
    return db != nullptr ? db->subs.size() : 0;
}

const char *lzs_xdb_sub_name(const lzs_xdb_t *db, size_t i)
{
    return db != nullptr && i < db->info.size() ? db->info[i].name.c_str() : nullptr;
}

const char *lzs_xdb_sub_where(const lzs_xdb_t *db, size_t i)
{
    return db != nullptr && i < db->info.size() ? db->info[i].where.c_str() : nullptr;
}

int lzs_xdb_sub_is_remote(const lzs_xdb_t *db, size_t i)
{
    return db != nullptr && i < db->info.size() && db->info[i].remote ? 1 : 0;
}

size_t lzs_xdb_sub_of(const lzs_xdb_t *db, lzs_docid_t docid)
{
    /* Xapian interleaves the documents of n sub-databases: whole id d is id (d - 1) / n + 1
     * of sub-database (d - 1) % n. */
    if (db == nullptr || db->subs.empty() || docid == 0) {
        return 0;
    }
    return (docid - 1) % db->subs.size();
}

lzs_status_t lzs_xdb_sub_revision(lzs_xdb_t *db, size_t i, uint64_t *out)
{
    if (out != nullptr) {
        *out = 0;
    }
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (out == nullptr || i >= db->subs.size()) {
        return fail(&db->err, LZS_ERR_INVALID, "out is NULL or no such sub-database");
    }
    return guard(&db->err, [&]() { return sub_revision(db, i, out); });
}

lzs_status_t lzs_xdb_sub_uuid(lzs_xdb_t *db, size_t i, char **out)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (out == nullptr || i >= db->subs.size()) {
        return fail(&db->err, LZS_ERR_INVALID, "out is NULL or no such sub-database");
    }
    return guard(&db->err, [&]() {
        if (db->info[i].remote) {
            return fail(&db->err, LZS_ERR_UNSUPPORTED,
                        "a remote database's UUID is not that of a state this process reads");
        }
        std::string uuid = db->subs[i].get_uuid();
        if (uuid.empty()) {
            return fail(&db->err, LZS_ERR_UNSUPPORTED, "the database reports no UUID");
        }
        lzs_x::copy_out(uuid, out, nullptr);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_sub_open(lzs_xdb_t *db, size_t i, lzs_xdb_t **out)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (out == nullptr || i >= db->subs.size()) {
        return fail(&db->err, LZS_ERR_INVALID, "out is NULL or no such sub-database");
    }
    return guard(&db->err, [&]() {
        lzs_xdb_t *sub = new lzs_xdb_t;
        sub->borrowed = true;
        sub->db = db->subs[i];
        sub->subs.push_back(db->subs[i]);
        try {
            sub->info.push_back(db->info[i]);
        } catch (...) {
            delete sub;
            throw;
        }
        *out = sub;
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_twin(lzs_xdb_t *db, lzs_xdb_t **out)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (out == nullptr) {
        return fail(&db->err, LZS_ERR_INVALID, "out is NULL");
    }
    if (db->writable || db->subs.empty()) {
        return fail(&db->err, LZS_ERR_UNSUPPORTED, "only a read-only handle has a twin");
    }
    for (const lzs_xdb_sub &info : db->info) {
        if (info.remote) {
            return fail(&db->err, LZS_ERR_UNSUPPORTED, "a remote database has no twin");
        }
    }
    return guard(&db->err, [&]() {
        lzs_xdb_t *twin = new lzs_xdb_t;
        try {
            for (const lzs_xdb_sub &info : db->info) {
                Xapian::Database sub(info.where);
                twin->subs.push_back(sub);
                twin->info.push_back(info);
                twin->db.add_database(sub);
            }
        } catch (...) {
            delete twin;
            throw;
        }
        twin->phrase_prefix = db->phrase_prefix;
        *out = twin;
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_set_phrase_prefix(lzs_xdb_t *db, const char *prefix)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(&db->err, [&]() {
        db->phrase_prefix = prefix != nullptr ? prefix : "";
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_reopen(lzs_xdb_t *db, int *changed)
{
    if (changed != nullptr) {
        *changed = 0;
    }
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(&db->err, [&]() {
        bool moved = db->db.reopen();
        if (changed != nullptr) {
            *changed = moved ? 1 : 0;
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_commit(lzs_xdb_t *db)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(&db->err, [&]() {
        lzs_status_t st = need_writable(db);
        if (st != LZS_OK) {
            return st;
        }
        if (db->in_txn) {
            return fail(&db->err, LZS_ERR_INVALID,
                        "a transaction is open: commit or cancel the transaction instead");
        }
        db->wdb.commit();
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_begin_transaction(lzs_xdb_t *db, int flushed)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(&db->err, [&]() {
        lzs_status_t st = need_writable(db);
        if (st != LZS_OK) {
            return st;
        }
        if (db->in_txn) {
            return fail(&db->err, LZS_ERR_INVALID, "a transaction is already open");
        }
        db->wdb.begin_transaction(flushed != 0);
        db->in_txn = true;
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_commit_transaction(lzs_xdb_t *db)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(&db->err, [&]() {
        lzs_status_t st = need_writable(db);
        if (st != LZS_OK) {
            return st;
        }
        if (!db->in_txn) {
            return fail(&db->err, LZS_ERR_INVALID, "no transaction is open");
        }
        /* Xapian ends the transaction even when committing it fails. */
        db->in_txn = false;
        db->wdb.commit_transaction();
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_cancel_transaction(lzs_xdb_t *db)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(&db->err, [&]() {
        lzs_status_t st = need_writable(db);
        if (st != LZS_OK) {
            return st;
        }
        if (!db->in_txn) {
            return fail(&db->err, LZS_ERR_INVALID, "no transaction is open");
        }
        db->in_txn = false;
        db->wdb.cancel_transaction();
        return LZS_OK;
    });
}

/* ---- metadata and iteration ----------------------------------------------- */

lzs_status_t lzs_xdb_metadata_get(lzs_xdb_t *db, const char *key, char **value, size_t *len)
{
    if (value != nullptr) {
        *value = nullptr;
    }
    if (len != nullptr) {
        *len = 0;
    }
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (key == nullptr || value == nullptr) {
        return fail(&db->err, LZS_ERR_INVALID, "metadata key or value pointer is NULL");
    }
    return guard(&db->err, [&]() {
        std::string v = db->db.get_metadata(key);
        if (v.empty()) {
            return fail(&db->err, LZS_ERR_NOT_FOUND, "no such metadata key");
        }
        lzs_x::copy_out(v, value, len);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_metadata_set(lzs_xdb_t *db, const char *key, const char *value, size_t len)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (key == nullptr || (value == nullptr && len > 0)) {
        return fail(&db->err, LZS_ERR_INVALID, "metadata key or value is NULL");
    }
    return guard(&db->err, [&]() {
        lzs_status_t st = need_writable(db);
        if (st != LZS_OK) {
            return st;
        }
        db->wdb.set_metadata(key, len > 0 ? std::string(value, len) : std::string());
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_metadata_keys(lzs_xdb_t *db, const char *prefix, lzs_xdb_key_cb cb, void *ud)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (prefix == nullptr || cb == nullptr) {
        return fail(&db->err, LZS_ERR_INVALID, "prefix or callback is NULL");
    }
    return guard(&db->err, [&]() {
        for (auto it = db->db.metadata_keys_begin(prefix); it != db->db.metadata_keys_end(prefix);
             ++it) {
            const std::string &k = *it;
            if (cb(ud, k.c_str(), k.size()) != 0) {
                break;
            }
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_allterms(lzs_xdb_t *db, const char *prefix, lzs_xdb_term_cb cb, void *ud)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (prefix == nullptr || cb == nullptr) {
        return fail(&db->err, LZS_ERR_INVALID, "prefix or callback is NULL");
    }
    return guard(&db->err, [&]() {
        for (auto it = db->db.allterms_begin(prefix); it != db->db.allterms_end(prefix); ++it) {
            const std::string &t = *it;
            if (cb(ud, t.c_str(), t.size(), it.get_termfreq()) != 0) {
                break;
            }
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_termfreq(lzs_xdb_t *db, const char *term, uint32_t *out)
{
    if (out != nullptr) {
        *out = 0;
    }
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (out == nullptr) {
        return fail(&db->err, LZS_ERR_INVALID, "out is NULL");
    }
    lzs_status_t st = lzs_x::check_term(term, &db->err);
    if (st != LZS_OK) {
        return st;
    }
    return guard(&db->err, [&]() {
        *out = db->db.get_termfreq(term);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_postlist(lzs_xdb_t *db, const char *term, lzs_xdb_docid_cb cb, void *ud)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (cb == nullptr) {
        return fail(&db->err, LZS_ERR_INVALID, "callback is NULL");
    }
    lzs_status_t st = lzs_x::check_term(term, &db->err);
    if (st != LZS_OK) {
        return st;
    }
    return guard(&db->err, [&]() {
        for (auto it = db->db.postlist_begin(term); it != db->db.postlist_end(term); ++it) {
            if (cb(ud, *it) != 0) {
                break;
            }
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_sample_values(lzs_xdb_t *db, const char *term, lzs_slot_t slot,
                                   uint32_t samples, lzs_xdb_term_cb cb, void *ud)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (cb == nullptr || slot == Xapian::BAD_VALUENO) {
        return fail(&db->err, LZS_ERR_INVALID, "callback is NULL or slot invalid");
    }
    lzs_status_t st = lzs_x::check_term(term, &db->err);
    if (st != LZS_OK) {
        return st;
    }
    return guard(&db->err, [&]() {
        Xapian::doccount tf = db->db.get_termfreq(term);
        if (tf == 0 || samples == 0) {
            return LZS_OK;
        }
        Xapian::docid last = db->db.get_lastdocid();
        Xapian::docid step = tf <= samples ? 1 : std::max<Xapian::docid>(1, last / samples);
        Xapian::PostingIterator p = db->db.postlist_begin(term);
        const Xapian::PostingIterator pend = db->db.postlist_end(term);
        Xapian::ValueIterator v = db->db.valuestream_begin(slot);
        const Xapian::ValueIterator vend = db->db.valuestream_end(slot);
        uint32_t seen = 0;
        for (Xapian::docid want = 1; seen < samples && p != pend && v != vend;) {
            p.skip_to(want);
            if (p == pend) {
                break;
            }
            Xapian::docid did = *p;
            seen++;
            v.skip_to(did);
            if (v == vend) {
                break;
            }
            if (v.get_docid() == did) {
                std::string val = *v;
                if (cb(ud, val.data(), val.size(), 1) != 0) {
                    break;
                }
            }
            want = did + step;
        }
        return LZS_OK;
    });
}

/* ---- documents ------------------------------------------------------------ */

lzs_status_t lzs_xdoc_create(lzs_xdoc_t **out)
{
    if (out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    return guard(nullptr, [&]() {
        *out = new lzs_xdoc_t;
        return LZS_OK;
    });
}

void lzs_xdoc_destroy(lzs_xdoc_t *doc)
{
    delete doc;
}

lzs_status_t lzs_xdoc_add_term(lzs_xdoc_t *doc, const char *term, uint32_t wdfinc)
{
    if (doc == nullptr) {
        return LZS_ERR_INVALID;
    }
    lzs_status_t st = lzs_x::check_term(term, nullptr);
    if (st != LZS_OK) {
        return st;
    }
    return guard(nullptr, [&]() {
        doc->doc.add_term(term, wdfinc);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdoc_add_posting(lzs_xdoc_t *doc, const char *term, uint32_t pos, uint32_t wdfinc)
{
    if (doc == nullptr) {
        return LZS_ERR_INVALID;
    }
    lzs_status_t st = lzs_x::check_term(term, nullptr);
    if (st != LZS_OK) {
        return st;
    }
    return guard(nullptr, [&]() {
        doc->doc.add_posting(term, pos, wdfinc);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdoc_add_boolean_term(lzs_xdoc_t *doc, const char *term)
{
    if (doc == nullptr) {
        return LZS_ERR_INVALID;
    }
    lzs_status_t st = lzs_x::check_term(term, nullptr);
    if (st != LZS_OK) {
        return st;
    }
    return guard(nullptr, [&]() {
        doc->doc.add_boolean_term(term);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdoc_set_value(lzs_xdoc_t *doc, lzs_slot_t slot, const char *value, size_t len)
{
    if (doc == nullptr || (value == nullptr && len > 0) || slot == Xapian::BAD_VALUENO) {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        doc->doc.add_value(slot, len > 0 ? std::string(value, len) : std::string());
        return LZS_OK;
    });
}

lzs_status_t lzs_xdoc_set_data(lzs_xdoc_t *doc, const char *data, size_t len)
{
    if (doc == nullptr || (data == nullptr && len > 0)) {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        doc->doc.set_data(len > 0 ? std::string(data, len) : std::string());
        return LZS_OK;
    });
}

lzs_status_t lzs_xdoc_get_data(const lzs_xdoc_t *doc, char **out, size_t *len)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (len != nullptr) {
        *len = 0;
    }
    if (doc == nullptr || out == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        lzs_x::copy_out(doc->doc.get_data(), out, len);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdoc_get_value(const lzs_xdoc_t *doc, lzs_slot_t slot, char **out, size_t *len)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (len != nullptr) {
        *len = 0;
    }
    if (doc == nullptr || out == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        lzs_x::copy_out(doc->doc.get_value(slot), out, len);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdoc_terms(const lzs_xdoc_t *doc, lzs_xdb_term_cb cb, void *ud)
{
    if (doc == nullptr || cb == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        for (auto it = doc->doc.termlist_begin(); it != doc->doc.termlist_end(); ++it) {
            const std::string &t = *it;
            if (cb(ud, t.c_str(), t.size(), it.get_wdf()) != 0) {
                break;
            }
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_add_document(lzs_xdb_t *db, const lzs_xdoc_t *doc, lzs_docid_t *docid)
{
    if (docid != nullptr) {
        *docid = 0;
    }
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (doc == nullptr) {
        return fail(&db->err, LZS_ERR_INVALID, "document is NULL");
    }
    return guard(&db->err, [&]() {
        lzs_status_t st = need_writable(db);
        if (st != LZS_OK) {
            return st;
        }
        Xapian::docid did = db->wdb.add_document(doc->doc);
        if (docid != nullptr) {
            *docid = did;
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_delete_documents(lzs_xdb_t *db, const char *term)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    lzs_status_t st = lzs_x::check_term(term, &db->err);
    if (st != LZS_OK) {
        return st;
    }
    return guard(&db->err, [&]() {
        lzs_status_t wst = need_writable(db);
        if (wst != LZS_OK) {
            return wst;
        }
        db->wdb.delete_document(term);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_delete_document(lzs_xdb_t *db, lzs_docid_t docid)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (docid == 0) {
        return fail(&db->err, LZS_ERR_INVALID, "document id 0 is invalid");
    }
    return guard(&db->err, [&]() {
        lzs_status_t st = need_writable(db);
        if (st != LZS_OK) {
            return st;
        }
        db->wdb.delete_document(docid);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_get_document(lzs_xdb_t *db, lzs_docid_t docid, lzs_xdoc_t **out)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (out == nullptr) {
        return fail(&db->err, LZS_ERR_INVALID, "out is NULL");
    }
    if (docid == 0) {
        return fail(&db->err, LZS_ERR_INVALID, "document id 0 is invalid");
    }
    return guard(&db->err, [&]() {
        Xapian::Document d = db->db.get_document(docid);
        lzs_xdoc_t *doc = new lzs_xdoc_t;
        doc->doc = d;
        *out = doc;
        return LZS_OK;
    });
}

/* ---- spelling and synonyms ------------------------------------------------ */

lzs_status_t lzs_xdb_add_spelling(lzs_xdb_t *db, const char *word, uint32_t freqinc)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    lzs_status_t st = lzs_x::check_term(word, &db->err);
    if (st != LZS_OK) {
        return st;
    }
    return guard(&db->err, [&]() {
        lzs_status_t wst = need_writable(db);
        if (wst != LZS_OK) {
            return wst;
        }
        db->wdb.add_spelling(word, freqinc);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_remove_spelling(lzs_xdb_t *db, const char *word, uint32_t freqdec)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    lzs_status_t st = lzs_x::check_term(word, &db->err);
    if (st != LZS_OK) {
        return st;
    }
    return guard(&db->err, [&]() {
        lzs_status_t wst = need_writable(db);
        if (wst != LZS_OK) {
            return wst;
        }
        db->wdb.remove_spelling(word, freqdec);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_spellings(lzs_xdb_t *db, lzs_xdb_term_cb cb, void *ud)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (cb == nullptr) {
        return fail(&db->err, LZS_ERR_INVALID, "callback is NULL");
    }
    return guard(&db->err, [&]() {
        for (auto it = db->db.spellings_begin(); it != db->db.spellings_end(); ++it) {
            const std::string &w = *it;
            if (cb(ud, w.c_str(), w.size(), it.get_termfreq()) != 0) {
                break;
            }
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_spelling_suggestion(lzs_xdb_t *db, const char *word, unsigned max_edits,
                                         char **out)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (word == nullptr || out == nullptr) {
        return fail(&db->err, LZS_ERR_INVALID, "word or out is NULL");
    }
    return guard(&db->err, [&]() {
        std::string s = db->db.get_spelling_suggestion(word, max_edits == 0 ? 2 : max_edits);
        if (!s.empty()) {
            lzs_x::copy_out(s, out, nullptr);
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_add_synonym(lzs_xdb_t *db, const char *term, const char *synonym)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    lzs_status_t st = lzs_x::check_term(term, &db->err);
    if (st == LZS_OK) {
        st = lzs_x::check_term(synonym, &db->err);
    }
    if (st != LZS_OK) {
        return st;
    }
    return guard(&db->err, [&]() {
        lzs_status_t wst = need_writable(db);
        if (wst != LZS_OK) {
            return wst;
        }
        db->wdb.add_synonym(term, synonym);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_clear_synonyms(lzs_xdb_t *db, const char *term)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    lzs_status_t st = lzs_x::check_term(term, &db->err);
    if (st != LZS_OK) {
        return st;
    }
    return guard(&db->err, [&]() {
        lzs_status_t wst = need_writable(db);
        if (wst != LZS_OK) {
            return wst;
        }
        db->wdb.clear_synonyms(term);
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_synonyms(lzs_xdb_t *db, const char *term, lzs_xdb_term_cb cb, void *ud)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (cb == nullptr) {
        return fail(&db->err, LZS_ERR_INVALID, "callback is NULL");
    }
    lzs_status_t st = lzs_x::check_term(term, &db->err);
    if (st != LZS_OK) {
        return st;
    }
    return guard(&db->err, [&]() {
        for (auto it = db->db.synonyms_begin(term); it != db->db.synonyms_end(term); ++it) {
            const std::string &t = *it;
            if (cb(ud, t.c_str(), t.size(), 0) != 0) {
                break;
            }
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_synonym_keys(lzs_xdb_t *db, const char *prefix, lzs_xdb_term_cb cb, void *ud)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (prefix == nullptr || cb == nullptr) {
        return fail(&db->err, LZS_ERR_INVALID, "prefix or callback is NULL");
    }
    return guard(&db->err, [&]() {
        for (auto it = db->db.synonym_keys_begin(prefix); it != db->db.synonym_keys_end(prefix);
             ++it) {
            const std::string &t = *it;
            if (cb(ud, t.c_str(), t.size(), 0) != 0) {
                break;
            }
        }
        return LZS_OK;
    });
}

} /* extern "C" */
