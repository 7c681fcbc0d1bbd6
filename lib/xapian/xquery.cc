/* xquery.cc — the query, stemmer and sortable-number part of the C API over libxapian. */
#include "xapian/xdb_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

using lzs_x::guard;

namespace
{

/* What the matcher is estimated to read for a (sub)query: postings it steps through or
 * skips to, and an upper bound of the documents it matches. */
struct qcost {
    double postings = 0;
    double matches = 0;
    double lists = 0; /* posting lists under it: what one skip_to into it costs */
};

qcost query_cost(const Xapian::Database &db, const Xapian::Query &q, double ndocs)
{
    qcost c;
    const size_t n = q.get_num_subqueries();
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM: {
        auto t = q.get_terms_begin();
        double tf = t != q.get_terms_end() ? db.get_termfreq(*t) : 0;
        c.postings = c.matches = tf;
        c.lists = 1;
        return c;
    }
    case Xapian::Query::LEAF_MATCH_NOTHING:
        return c;
    case Xapian::Query::OP_SCALE_WEIGHT:
        return n > 0 ? query_cost(db, q.get_subquery(0), ndocs) : c;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_ELITE_SET:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_MAX:
        /* Every list is read to its end. */
        for (size_t i = 0; i < n; i++) {
            qcost s = query_cost(db, q.get_subquery(i), ndocs);
            c.postings += s.postings;
            c.matches += s.matches;
            c.lists += s.lists;
        }
        c.matches = std::min(c.matches, ndocs);
        return c;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR: {
        /* The rarest part leads and the others are skipped to the candidates left by the
         * parts before them, rarest first (taken as independent: documents matching them
         * all become fewer with every part), never read further than each would be alone. */
        std::vector<qcost> parts;
        parts.reserve(n);
        for (size_t i = 0; i < n; i++) {
            parts.push_back(query_cost(db, q.get_subquery(i), ndocs));
        }
        if (parts.empty()) {
            return c;
        }
        std::sort(parts.begin(), parts.end(),
                  [](const qcost &a, const qcost &b) { return a.matches < b.matches; });
        double candidates = parts[0].matches;
        c.postings = parts[0].postings;
        c.lists = parts[0].lists;
        for (size_t i = 1; i < parts.size(); i++) {
            c.postings += std::min(parts[i].postings, candidates * parts[i].lists);
            c.lists += parts[i].lists;
            candidates *= ndocs > 0 ? parts[i].matches / ndocs : 0;
        }
        c.matches = parts[0].matches;
        return c;
    }
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE: {
        /* The first part leads; the others are skipped to its candidates. */
        if (n == 0) {
            return c;
        }
        c = query_cost(db, q.get_subquery(0), ndocs);
        for (size_t i = 1; i < n; i++) {
            qcost s = query_cost(db, q.get_subquery(i), ndocs);
            c.postings += std::min(s.postings, c.matches * s.lists);
            c.lists += s.lists;
        }
        return c;
    }
    default:
        /* Match-all, value ranges, anything else: every document may be
         * visited, and whatever is below read whole. */
        c.postings = c.matches = ndocs;
        c.lists = 1;
        for (size_t i = 0; i < n; i++) {
            qcost s = query_cost(db, q.get_subquery(i), ndocs);
            c.postings += s.postings;
            c.lists += s.lists;
        }
        return c;
    }
}

} // namespace

extern "C" {

/* ---- stemmers ------------------------------------------------------------- */

lzs_status_t lzs_xstem_create(const char *language, lzs_xstem_t **out)
{
    if (out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    if (language == nullptr || language[0] == '\0') {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        Xapian::Stem stem;
        try {
            /* Xapian 1.4 takes Snowball names as well as ISO 639-1 codes ("en", "fr"). */
            stem = Xapian::Stem(language);
        } catch (const Xapian::InvalidArgumentError &) {
            /* The only reason Xapian rejects a name is that it has no such stemmer. */
            return LZS_ERR_NOT_FOUND;
        }
        lzs_xstem_t *s = new lzs_xstem_t;
        s->stem = stem;
        *out = s;
        return LZS_OK;
    });
}

void lzs_xstem_destroy(lzs_xstem_t *stem)
{
    delete stem;
}

lzs_status_t lzs_xstem_apply(lzs_xstem_t *stem, const char *word, size_t len, char *buf, size_t cap,
                             size_t *outlen)
{
    if (outlen != nullptr) {
        *outlen = 0;
    }
    if (stem == nullptr || (word == nullptr && len > 0) || buf == nullptr || cap == 0) {
        return LZS_ERR_INVALID;
    }
    buf[0] = '\0';
    return guard(nullptr, [&]() {
        std::string s = stem->stem(len > 0 ? std::string(word, len) : std::string());
        if (outlen != nullptr) {
            /* Set even when buf is too small, so that the caller can size a new one. */
            *outlen = s.size();
        }
        if (s.size() + 1 > cap) {
            return LZS_ERR_LIMIT;
        }
        std::memcpy(buf, s.data(), s.size());
        buf[s.size()] = '\0';
        return LZS_OK;
    });
}

/* ---- queries -------------------------------------------------------------- */

/* Wraps q in a new handle (caller frees with lzs_xquery_destroy()). */
static lzs_status_t give_query(const Xapian::Query &q, lzs_xquery_t **out)
{
    lzs_xquery_t *h = new lzs_xquery_t;
    h->q = q;
    *out = h;
    return LZS_OK;
}

lzs_status_t lzs_xquery_term(const char *term, uint32_t wqf, uint32_t pos, lzs_xquery_t **out)
{
    if (out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    /* An empty term would make Xapian match every document: that is lzs_xquery_match_all. */
    lzs_status_t st = lzs_x::check_term(term, nullptr);
    if (st != LZS_OK) {
        return st;
    }
    return guard(nullptr, [&]() { return give_query(Xapian::Query(term, wqf, pos), out); });
}

lzs_status_t lzs_xquery_match_all(lzs_xquery_t **out)
{
    if (out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    /* A query of its own, never a copy of the shared Xapian::Query::MatchAll: Xapian 1.4
     * counts the references to that one object with a plain integer, so threads copying
     * and dropping it at once race (ThreadSanitizer saw it between search workers and
     * export producers). The empty term matches every document, as MatchAll is. */
    return guard(nullptr, [&]() { return give_query(Xapian::Query(std::string()), out); });
}

lzs_status_t lzs_xquery_match_nothing(lzs_xquery_t **out)
{
    if (out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    return guard(nullptr, [&]() { return give_query(Xapian::Query::MatchNothing, out); });
}

lzs_status_t lzs_xquery_combine(lzs_xquery_op_t op, lzs_xquery_t *const *subs, size_t nsubs,
                                uint32_t window, lzs_xquery_t **out)
{
    if (out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    if (subs == nullptr && nsubs > 0) {
        return LZS_ERR_INVALID;
    }
    for (size_t i = 0; i < nsubs; i++) {
        if (subs[i] == nullptr) {
            return LZS_ERR_INVALID;
        }
    }
    Xapian::Query::op xop;
    bool windowed = false;
    switch (lzs_x::raw_enum(op)) {
    case LZS_XQ_AND:
        xop = Xapian::Query::OP_AND;
        break;
    case LZS_XQ_OR:
        xop = Xapian::Query::OP_OR;
        break;
    case LZS_XQ_AND_NOT:
        xop = Xapian::Query::OP_AND_NOT;
        break;
    case LZS_XQ_FILTER:
        xop = Xapian::Query::OP_FILTER;
        break;
    case LZS_XQ_AND_MAYBE:
        xop = Xapian::Query::OP_AND_MAYBE;
        break;
    case LZS_XQ_SYNONYM:
        xop = Xapian::Query::OP_SYNONYM;
        break;
    case LZS_XQ_PHRASE:
        xop = Xapian::Query::OP_PHRASE;
        windowed = true;
        break;
    case LZS_XQ_NEAR:
        xop = Xapian::Query::OP_NEAR;
        windowed = true;
        break;
    case LZS_XQ_ELITE_SET:
        xop = Xapian::Query::OP_ELITE_SET;
        windowed = true;
        break;
    case LZS_XQ_MAX:
        xop = Xapian::Query::OP_MAX;
        break;
    default:
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        std::vector<Xapian::Query> qs;
        qs.reserve(nsubs);
        for (size_t i = 0; i < nsubs; i++) {
            qs.push_back(subs[i]->q);
        }
        return give_query(Xapian::Query(xop, qs.begin(), qs.end(), windowed ? window : 0), out);
    });
}

lzs_status_t lzs_xquery_value_range(lzs_slot_t slot, const char *lo, const char *hi,
                                    lzs_xquery_t **out)
{
    if (out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    if (slot == Xapian::BAD_VALUENO) {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        /* Xapian turns VALUE_GE "" into "all documents", even those with no value in the
         * slot; one NUL byte is the smallest non-empty value, so documents without a value
         * never match, whatever the bounds. */
        std::string low = lo != nullptr && lo[0] != '\0' ? std::string(lo) : std::string(1, '\0');
        if (hi != nullptr) {
            return give_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, low, hi), out);
        }
        return give_query(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, low), out);
    });
}

lzs_status_t lzs_xquery_value_weight(lzs_slot_t slot, const char *value, double weight,
                                     lzs_xquery_t **out)
{
    if (out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    if (slot == Xapian::BAD_VALUENO || value == nullptr || !(weight >= 0)) {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        auto *src = new Xapian::ValueMapPostingSource(slot);
        /* Reference counted once a query holds it: deleted here only while none does. */
        bool adopted = false;
        try {
            src->add_mapping(value, weight);
            src->set_default_weight(0);
            src->release();
            Xapian::Query q(src);
            adopted = true;
            return give_query(q, out);
        } catch (...) {
            if (!adopted) {
                delete src;
            }
            throw;
        }
    });
}

lzs_status_t lzs_xquery_scale(const lzs_xquery_t *q, double factor, lzs_xquery_t **out)
{
    if (out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    /* Written so that NaN is rejected too. */
    if (q == nullptr || !(factor >= 0.0) || std::isinf(factor)) {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        return give_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor), out);
    });
}

lzs_status_t lzs_xquery_describe(const lzs_xquery_t *q, char **out)
{
    if (out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    if (q == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        lzs_x::copy_out(q->q.get_description(), out, nullptr);
        return LZS_OK;
    });
}

void lzs_xquery_destroy(lzs_xquery_t *q)
{
    delete q;
}

/* ---- sortable numbers ----------------------------------------------------- */

size_t lzs_xdb_sortable_serialise(double value, char *buf)
{
    if (buf == nullptr) {
        return 0;
    }
    return Xapian::sortable_serialise_(value, buf);
}

/* ---- cost ------------------------------------------------------------------ */

lzs_status_t lzs_xquery_cost(lzs_xdb_t *db, const lzs_xquery_t *q, uint64_t *postings)
{
    if (postings != nullptr) {
        *postings = 0;
    }
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (q == nullptr || postings == nullptr) {
        return lzs_x::fail(&db->err, LZS_ERR_INVALID, "query or out is NULL");
    }
    return guard(&db->err, [&]() {
        qcost c = query_cost(db->db, q->q, (double)db->db.get_doccount());
        *postings = c.postings >= 1e18 ? UINT64_C(1000000000000000000) : (uint64_t)c.postings;
        return LZS_OK;
    });
}

} /* extern "C" */
