/* xcol.cc — what facet columns need of Xapian: a slot's values read whole from its value
 * stream, and the set of documents a query matches, read as a boolean match apart from
 * the weighted page (of the query less what only weighs, and with phrase terms read for
 * the positions they imply); and the query matching the documents of some sub-databases
 * (the collection filter).
 */
#include "xapian/xdb_internal.h"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <new>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

using lzs_x::fail;
using lzs_x::guard;

namespace
{

/* Records the id of every document the matcher accepts. Owned by the caller of get_mset,
 * never released to Xapian's reference counting. */
class DocidCollector : public Xapian::MatchSpy
{
  public:
    explicit DocidCollector(std::vector<Xapian::docid> &out_) : out(out_)
    {
    }
    void operator()(const Xapian::Document &doc, double wt) override
    {
        (void)wt;
        out.push_back(doc.get_docid());
    }
    std::string name() const override
    {
        return "lzs::DocidCollector";
    }

  private:
    std::vector<Xapian::docid> &out;
};

/* Whether a match spy of this program can watch a match over db: Xapian 1.4 numbers the
 * documents a spy sees in their own sub-database when there are several, and cannot run it
 * at all in a remote one (xapian-tcpsrv knows only the spies it was built with). */
bool spy_fits(const lzs_xdb_t *db)
{
    return db->subs.size() == 1 && !db->info[0].remote;
}

using Q = Xapian::Query;

/* The term of a leaf, else "". */
std::string leaf_term(const Q &q)
{
    return q.get_type() == Q::LEAF_TERM ? *q.get_terms_begin() : std::string();
}

/* The words of a phrase term ("XPH:a b" with prefix "XPH:" gives a, b); empty when q is
 * not one. */
std::vector<std::string> phrase_words(const Q &q, const std::string &prefix)
{
    std::vector<std::string> words;
    std::string t = leaf_term(q);
    if (prefix.empty() || t.size() <= prefix.size() || t.compare(0, prefix.size(), prefix) != 0) {
        return words;
    }
    size_t at = prefix.size();
    while (at <= t.size()) {
        size_t sp = t.find(' ', at);
        if (sp == std::string::npos) {
            sp = t.size();
        }
        words.push_back(t.substr(at, sp - at));
        at = sp + 1;
    }
    return words;
}

/* Whether every document where words stand at consecutive positions matches q: one of
 * the words; a phrase or NEAR of a run of them in their order (Xapian widens a window
 * narrower than its terms to them, so the run fits any window); an AND of such. */
bool implied(const Q &q, const std::vector<std::string> &words)
{
    Q::op op = q.get_type();
    if (op == Q::LEAF_TERM) {
        return std::find(words.begin(), words.end(), leaf_term(q)) != words.end();
    }
    size_t n = q.get_num_subqueries();
    if (op == Q::OP_AND || op == Q::OP_FILTER) {
        for (size_t i = 0; i < n; i++) {
            if (!implied(q.get_subquery(i), words)) {
                return false;
            }
        }
        return n > 0;
    }
    if ((op != Q::OP_PHRASE && op != Q::OP_NEAR) || n == 0 || n > words.size()) {
        return false;
    }
    for (size_t start = 0; start + n <= words.size(); start++) {
        size_t i = 0;
        while (i < n && leaf_term(q.get_subquery(i)) == words[start + i]) {
            i++;
        }
        if (i == n) {
            return true;
        }
    }
    return false;
}

/* The kids of an AND less those a phrase term among them implies. */
std::vector<Q> drop_implied(std::vector<Q> kids, const std::string &prefix)
{
    std::vector<std::vector<std::string>> phrases;
    for (const Q &k : kids) {
        std::vector<std::string> w = phrase_words(k, prefix);
        if (!w.empty()) {
            phrases.push_back(w);
        }
    }
    if (phrases.empty()) {
        return kids;
    }
    std::vector<Q> kept;
    for (const Q &k : kids) {
        /* a phrase term itself stays: it is what the others are read by */
        bool drop = false;
        if (phrase_words(k, prefix).empty()) {
            for (size_t p = 0; p < phrases.size() && !drop; p++) {
                drop = implied(k, phrases[p]);
            }
        }
        if (!drop) {
            kept.push_back(k);
        }
    }
    return kept;
}

/* A query matching the same documents as q, for a boolean match: what only weighs is left
 * out (the optional side of AND_MAYBE, scaling; SYNONYM and MAX are ORs), and an AND holding
 * a phrase term (lzs_xdb_set_phrase_prefix) drops what that term implies, chiefly phrases
 * whose positions would be read. Any other query is kept whole. */
Q set_form(const Q &q, const std::string &prefix)
{
    Q::op op = q.get_type();
    switch (op) {
    case Q::OP_AND_MAYBE:
    case Q::OP_SCALE_WEIGHT:
        return set_form(q.get_subquery(0), prefix);
    case Q::OP_SYNONYM:
    case Q::OP_MAX:
        op = Q::OP_OR;
        break;
    case Q::OP_AND:
    case Q::OP_FILTER:
    case Q::OP_OR:
    case Q::OP_XOR:
    case Q::OP_AND_NOT:
        break;
    default:
        return q;
    }
    std::vector<Q> kids;
    for (size_t i = 0; i < q.get_num_subqueries(); i++) {
        kids.push_back(set_form(q.get_subquery(i), prefix));
    }
    if (op == Q::OP_AND || op == Q::OP_FILTER) {
        /* as sets, FILTER is AND */
        op = Q::OP_AND;
        kids = drop_implied(kids, prefix);
    }
    if (kids.size() == 1) {
        return kids[0];
    }
    return Q(op, kids.begin(), kids.end());
}

/* Every document query matches in xdb, by docid, appended to found (in docid order or
 * not: give_docids() sorts). Over several databases searched as one, Xapian 1.4 hands a
 * match spy each document with its docid in its own sub-database, not in the whole: the
 * ids are then read from an MSet of every match, which numbers them in the whole. */
void all_matches(lzs_xdb_t *xdb, const Xapian::Query &query, std::vector<Xapian::docid> &found)
{
    Xapian::Database &db = xdb->db;
    Xapian::doccount all = db.get_doccount();
    if (all == 0) {
        return;
    }
    /* A session of its own: the caller's enquire keeps its weighting, sort and collapse for
     * the page. BoolWeight spares the matcher every weight; docid order is the cheapest;
     * set_form() what only weighs and the positions a phrase term answers for. */
    Xapian::Enquire e(db);
    e.set_query(set_form(query, xdb->phrase_prefix));
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_docid_order(Xapian::Enquire::ASCENDING);
    if (!spy_fits(xdb)) {
        Xapian::MSet ms = e.get_mset(0, all);
        found.reserve(ms.size());
        for (auto it = ms.begin(); it != ms.end(); ++it) {
            found.push_back(*it);
        }
    } else {
        DocidCollector spy(found);
        e.add_matchspy(&spy);
        e.get_mset(0, 0, all);
    }
}

/* Every document of the sub-databases whose UUID is in uuids. Xapian 1.4 runs a posting
 * source on each sub-database apart, handing init() that sub-database alone with its own
 * document ids: which one it is shows only in its UUID. Copies of one database share a
 * UUID, but two copies holding the same documents are refused when searched together
 * (multi.c), so a UUID names one sub-database. It weighs nothing: used as a filter. */
class SubsSource : public Xapian::PostingSource
{
  public:
    SubsSource(const std::set<std::string> &uuids_, const std::string &names_)
        : uuids(uuids_), names(names_)
    {
    }
    Xapian::PostingSource *clone() const override
    {
        return new SubsSource(uuids, names);
    }
    std::string name() const override
    {
        /* Not registered with any xapian-tcpsrv: a remote database refuses to run it. */
        return std::string();
    }
    void init(const Xapian::Database &db) override
    {
        accepted = uuids.count(db.get_uuid()) != 0;
        started = false;
        count = 0;
        if (accepted) {
            count = db.get_doccount();
            it = db.postlist_begin("");
            end = db.postlist_end("");
        }
    }
    Xapian::doccount get_termfreq_min() const override
    {
        return count;
    }
    Xapian::doccount get_termfreq_est() const override
    {
        return count;
    }
    Xapian::doccount get_termfreq_max() const override
    {
        return count;
    }
    void next(double min_wt) override
    {
        (void)min_wt;
        if (!started) {
            started = true;
        } else if (it != end) {
            ++it;
        }
    }
    void skip_to(Xapian::docid did, double min_wt) override
    {
        (void)min_wt;
        started = true;
        if (it != end) {
            it.skip_to(did);
        }
    }
    bool at_end() const override
    {
        return !accepted || (started && it == end);
    }
    Xapian::docid get_docid() const override
    {
        return *it;
    }
    std::string get_description() const override
    {
        return "lzs::Collections(" + names + ")";
    }

  private:
    std::set<std::string> uuids;
    std::string names; /* for the description, which keys cached counts */
    bool accepted = false;
    bool started = false;
    Xapian::doccount count = 0;
    Xapian::PostingIterator it, end;
};

/* Whether twin shows the state a shows, moving it on once when it is behind (a twin opened
 * or last moved before a's latest reopen). */
bool twin_at(lzs_xdb_t *a, lzs_xdb_t *twin)
{
    for (int pass = 0; pass < 2; pass++) {
        bool same = a->subs.size() == twin->subs.size();
        for (size_t i = 0; same && i < a->subs.size(); i++) {
            same = a->subs[i].get_revision() == twin->subs[i].get_revision() &&
                   a->subs[i].get_uuid() == twin->subs[i].get_uuid();
        }
        if (same || pass == 1) {
            return same;
        }
        twin->db.reopen();
    }
    return false;
}

/* Copies found (sorted here when it is not) into a malloc'd array: *docids (NULL when
 * empty) and *n. Throws std::bad_alloc. */
void give_docids(std::vector<Xapian::docid> &found, lzs_docid_t **docids, size_t *n)
{
    if (!std::is_sorted(found.begin(), found.end())) {
        std::sort(found.begin(), found.end());
    }
    if (found.empty()) {
        return;
    }
    lzs_docid_t *ids = static_cast<lzs_docid_t *>(std::malloc(found.size() * sizeof *ids));
    if (ids == nullptr) {
        throw std::bad_alloc();
    }
    std::copy(found.begin(), found.end(), ids);
    *docids = ids;
    *n = found.size();
}

} // namespace

extern "C" {

lzs_status_t lzs_xquery_subs(lzs_xdb_t *db, const size_t *subs, size_t n, lzs_xquery_t **out)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (out == nullptr || (subs == nullptr && n > 0)) {
        return fail(&db->err, LZS_ERR_INVALID, "out or subs is NULL");
    }
    return guard(&db->err, [&]() {
        for (const lzs_xdb_sub &info : db->info) {
            if (info.remote) {
                /* The query goes to every sub-database, and no xapian-tcpsrv knows it. */
                return fail(&db->err, LZS_ERR_UNSUPPORTED,
                            "a remote database runs no posting source of this program");
            }
        }
        std::set<std::string> uuids;
        std::string names;
        for (size_t k = 0; k < n; k++) {
            if (subs[k] >= db->subs.size()) {
                return fail(&db->err, LZS_ERR_INVALID, "no such sub-database");
            }
            uuids.insert(db->subs[subs[k]].get_uuid());
            names += (k ? "," : "") + db->info[subs[k]].name;
        }
        lzs_xquery_t *q = new lzs_xquery_t;
        try {
            q->q = Xapian::Query((new SubsSource(uuids, names))->release());
        } catch (...) {
            delete q;
            throw;
        }
        *out = q;
        return LZS_OK;
    });
}

lzs_status_t lzs_xdb_values(lzs_xdb_t *db, lzs_slot_t slot, lzs_xdb_value_cb cb, void *ud)
{
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (cb == nullptr || slot == Xapian::BAD_VALUENO) {
        return fail(&db->err, LZS_ERR_INVALID, "callback is NULL or slot is invalid");
    }
    return guard(&db->err, [&]() {
        if (db->db.size() != 1) {
            /* Xapian 1.4's value stream over several databases searched as one was seen to
             * miss values (a facet counter that read it did): ask each document instead. */
            for (auto it = db->db.postlist_begin(""); it != db->db.postlist_end(""); ++it) {
                std::string v = db->db.get_document(*it).get_value(slot);
                if (!v.empty() && cb(ud, *it, v.data(), v.size()) != 0) {
                    break;
                }
            }
            return LZS_OK;
        }
        for (auto it = db->db.valuestream_begin(slot); it != db->db.valuestream_end(slot); ++it) {
            const std::string &v = *it;
            if (cb(ud, it.get_docid(), v.data(), v.size()) != 0) {
                break;
            }
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xenq_match_docids(lzs_xenq_t *enq, lzs_docid_t **docids, size_t *n)
{
    if (docids != nullptr) {
        *docids = nullptr;
    }
    if (n != nullptr) {
        *n = 0;
    }
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (docids == nullptr || n == nullptr) {
        return fail(&enq->err, LZS_ERR_INVALID, "docids or n is NULL");
    }
    return guard(&enq->err, [&]() {
        std::vector<Xapian::docid> found;
        all_matches(enq->db, enq->enq.get_query(), found);
        give_docids(found, docids, n);
        return LZS_OK;
    });
}

lzs_status_t lzs_xenq_get_mset_docids(lzs_xenq_t *enq, uint32_t first, uint32_t maxitems,
                                      lzs_xmset_t **out, lzs_docid_t **docids, size_t *n)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (docids != nullptr) {
        *docids = nullptr;
    }
    if (n != nullptr) {
        *n = 0;
    }
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (out == nullptr || docids == nullptr || n == nullptr) {
        return fail(&enq->err, LZS_ERR_INVALID, "out, docids or n is NULL");
    }
    return guard(&enq->err, [&]() {
        std::vector<Xapian::docid> found;
        DocidCollector spy(found);
        Xapian::doccount all = enq->db->db.get_doccount();
        /* several databases: the page alone, then the matches apart (all_matches) */
        bool one = spy_fits(enq->db);
        lzs_xmset_t *m = new lzs_xmset_t;
        try {
            if (one) {
                enq->enq.add_matchspy(&spy);
            }
            m->mset = enq->enq.get_mset(first, maxitems, all > 0 ? all : 1);
            if (!one) {
                all_matches(enq->db, enq->enq.get_query(), found);
            }
        } catch (...) {
            delete m;
            enq->enq.clear_matchspies();
            throw;
        }
        /* The collector lives on this stack: detached again. */
        enq->enq.clear_matchspies();
        try {
            give_docids(found, docids, n);
        } catch (...) {
            delete m;
            throw;
        }
        *out = m;
        return LZS_OK;
    });
}

lzs_status_t lzs_xenq_page_and_matches(lzs_xenq_t *enq, lzs_xdb_t *twin, uint32_t first,
                                       uint32_t maxitems, lzs_xmset_t **out,
                                       lzs_docid_t **docids, size_t *n)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (docids != nullptr) {
        *docids = nullptr;
    }
    if (n != nullptr) {
        *n = 0;
    }
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (twin == nullptr || out == nullptr || docids == nullptr || n == nullptr) {
        return fail(&enq->err, LZS_ERR_INVALID, "twin, out, docids or n is NULL");
    }
    return guard(&enq->err, [&]() {
        if (!twin_at(enq->db, twin)) {
            return fail(&enq->err, LZS_ERR_UNSUPPORTED, "the twin is at another revision");
        }
        /* Xapian's queries count their references without atomics: the other thread gets a
         * copy of its own, rebuilt from the serialised form. */
        std::string wire;
        try {
            wire = enq->enq.get_query().serialise();
        } catch (const Xapian::UnimplementedError &) {
            return fail(&enq->err, LZS_ERR_UNSUPPORTED, "the query cannot be serialised");
        }
        std::vector<Xapian::docid> found;
        std::exception_ptr failed;
        std::thread counter;
        try {
            counter = std::thread([&]() {
                try {
                    Xapian::Query q = Xapian::Query::unserialise(wire, Xapian::Registry());
                    all_matches(twin, q, found);
                } catch (...) {
                    failed = std::current_exception();
                }
            });
        } catch (const std::system_error &) {
            /* no thread to be had now (a limit of the system): one after the other */
            return fail(&enq->err, LZS_ERR_UNSUPPORTED, "no second thread could be started");
        }
        lzs_xmset_t *m = nullptr;
        try {
            m = new lzs_xmset_t;
            m->mset = enq->enq.get_mset(first, maxitems);
        } catch (...) {
            counter.join();
            delete m;
            throw;
        }
        counter.join();
        try {
            if (failed) {
                std::rethrow_exception(failed);
            }
            give_docids(found, docids, n);
        } catch (...) {
            delete m;
            throw;
        }
        *out = m;
        return LZS_OK;
    });
}

} /* extern "C" */
