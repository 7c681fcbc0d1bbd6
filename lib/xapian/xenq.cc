/* xenq.cc — the search part of the C API over libxapian: enquire sessions, the exact
 * multi-valued facet counter (a Xapian::MatchSpy) and result pages.
 */
#include "xapian/xdb_internal.h"
#include "lzs/hash.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

using lzs_x::fail;
using lzs_x::guard;

/* ---- string counts ----------------------------------------------------------- */

void lzs_xcounts::grow()
{
    std::vector<entry> old;
    old.swap(table);
    table.assign(old.empty() ? 64 : old.size() * 2, entry{0, 0, EMPTY, 0});
    size_t mask = table.size() - 1;
    for (const entry &e : old) {
        if (e.len == EMPTY) {
            continue;
        }
        size_t i = e.hash & mask;
        while (table[i].len != EMPTY) {
            i = (i + 1) & mask;
        }
        table[i] = e;
    }
}

void lzs_xcounts::add(const char *p, size_t len, uint32_t n)
{
    if (len >= EMPTY || arena.size() + len >= EMPTY) {
        throw std::length_error("facet value too long");
    }
    if ((used + 1) * 2 > table.size()) {
        grow();
    }
    uint64_t h = lzs_hash(p, len);
    size_t mask = table.size() - 1;
    size_t i = h & mask;
    while (table[i].len != EMPTY) {
        entry &e = table[i];
        if (e.hash == h && e.len == len && std::memcmp(arena.data() + e.off, p, len) == 0) {
            e.count += n;
            return;
        }
        i = (i + 1) & mask;
    }
    uint32_t off = (uint32_t)arena.size();
    arena.append(p, len);
    table[i] = entry{h, off, (uint32_t)len, n};
    used++;
}

void lzs_xcounts::clear() noexcept
{
    table.clear();
    arena.clear();
    used = 0;
}

/* ---- the facet counter ---------------------------------------------------- */

const std::string &lzs_xspy::value_of(Xapian::docid did)
{
    /* A new match (or one going backwards) starts the stream again. */
    if (!stream_open || did < last_did) {
        stream = db.valuestream_begin(slot);
        stream_open = true;
        stream_end = stream == db.valuestream_end(slot);
    }
    last_did = did;
    if (!stream_end && stream.get_docid() < did) {
        stream.skip_to(did);
        stream_end = stream == db.valuestream_end(slot);
    }
    if (stream_end || stream.get_docid() != did) {
        value.clear();
    } else {
        value = *stream;
    }
    return value;
}

void lzs_xspy::key_of(const Xapian::Document &doc)
{
    if (!have_db) {
        key = doc.get_value(key_slot);
        return;
    }
    Xapian::docid did = doc.get_docid();
    if (!kstream_open || did < klast_did) {
        kstream = db.valuestream_begin(key_slot);
        kstream_open = true;
        kstream_end = kstream == db.valuestream_end(key_slot);
    }
    klast_did = did;
    if (!kstream_end && kstream.get_docid() < did) {
        kstream.skip_to(did);
        kstream_end = kstream == db.valuestream_end(key_slot);
    }
    if (kstream_end || kstream.get_docid() != did) {
        key.clear();
    } else {
        key = *kstream;
    }
}

void lzs_xspy::operator()(const Xapian::Document &doc, double wt)
{
    (void)wt;
    ++total;
    if (have_db) {
        value_of(doc.get_docid());
    } else {
        value = doc.get_value(slot);
    }
    if (value.empty()) {
        return;
    }
    if (!have_last || value != last_value) {
        last_value.swap(value);
        have_last = true;
        items.clear();
        if (sep == '\0') {
            items.emplace_back(0, last_value.size());
        } else {
            /* A document counts once per distinct item: a passage naming a Party twice must
             * not count twice for it. Items are (offset, length) slices of last_value. */
            const std::string &v = last_value;
            size_t start = 0;
            while (start <= v.size()) {
                size_t end = v.find(sep, start);
                if (end == std::string::npos) {
                    end = v.size();
                }
                if (end > start) {
                    items.emplace_back(start, end - start);
                }
                start = end + 1;
            }
            auto less = [&v](const std::pair<size_t, size_t> &x,
                             const std::pair<size_t, size_t> &y) {
                return v.compare(x.first, x.second, v, y.first, y.second) < 0;
            };
            auto same = [&v](const std::pair<size_t, size_t> &x,
                             const std::pair<size_t, size_t> &y) {
                return v.compare(x.first, x.second, v, y.first, y.second) == 0;
            };
            std::sort(items.begin(), items.end(), less);
            items.erase(std::unique(items.begin(), items.end(), same), items.end());
        }
    }
    for (const auto &it : items) {
        counts.add(last_value.data() + it.first, it.second, 1);
    }
    if (key_slot == Xapian::BAD_VALUENO) {
        return;
    }
    key_of(doc);
    if (key.empty()) {
        return;
    }
    /* Each (item, key) pair once: its items count their distinct keys in finish(). */
    for (const auto &it : items) {
        pair.assign(last_value, it.first, it.second);
        pair.push_back('\0');
        pair.append(key);
        pairs.add(pair.data(), pair.size(), 1);
    }
}

void lzs_xspy::finish()
{
    sorted.clear();
    sorted.reserve(counts.size());
    counts.each([this](std::string &&k, uint32_t n) { sorted.emplace_back(std::move(k), n); });
    /* Most frequent first, ties by value (byte order), whatever the table's order. */
    std::sort(
        sorted.begin(), sorted.end(),
        [](const std::pair<std::string, uint32_t> &a, const std::pair<std::string, uint32_t> &b) {
            return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
    distinct.assign(sorted.size(), 0);
    if (key_slot == Xapian::BAD_VALUENO || pairs.size() == 0) {
        return;
    }
    lzs_xcounts per_item;
    pairs.each([&per_item](std::string &&k, uint32_t) {
        size_t nul = k.find('\0');
        per_item.add(k.data(), nul == std::string::npos ? k.size() : nul, 1);
    });
    std::vector<std::pair<std::string, uint32_t>> found;
    per_item.each([&found](std::string &&k, uint32_t n) { found.emplace_back(std::move(k), n); });
    std::sort(found.begin(), found.end());
    for (size_t i = 0; i < sorted.size(); i++) {
        auto it = std::lower_bound(found.begin(), found.end(),
                                   std::make_pair(sorted[i].first, (uint32_t)0));
        if (it != found.end() && it->first == sorted[i].first) {
            distinct[i] = it->second;
        }
    }
}

Xapian::MatchSpy *lzs_xspy::clone() const
{
    lzs_xspy *c = new lzs_xspy(slot, sep);
    c->key_slot = key_slot;
    return c;
}

std::string lzs_xspy::name() const
{
    return "lzs::FacetSpy";
}

std::string lzs_xspy::get_description() const
{
    return "lzs::FacetSpy(slot " + std::to_string(slot) + ", " + std::to_string(total) +
           " documents, " + std::to_string(counts.size()) + " values)";
}

void lzs_xspy::clear() noexcept
{
    total = 0;
    counts.clear();
    last_value.clear();
    items.clear();
    have_last = false;
    sorted.clear();
    stream = Xapian::ValueIterator();
    stream_open = false;
    stream_end = false;
    last_did = 0;
    kstream = Xapian::ValueIterator();
    kstream_open = false;
    kstream_end = false;
    klast_did = 0;
    pairs.clear();
    distinct.clear();
}

extern "C" {

lzs_status_t lzs_xspy_create(lzs_slot_t slot, char sep, lzs_xspy_t **out)
{
    if (out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    if (slot == Xapian::BAD_VALUENO) {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        *out = new lzs_xspy_t(slot, sep);
        return LZS_OK;
    });
}

lzs_status_t lzs_xspy_set_distinct(lzs_xspy_t *spy, lzs_slot_t key_slot)
{
    if (spy == nullptr || key_slot == Xapian::BAD_VALUENO) {
        return LZS_ERR_INVALID;
    }
    spy->key_slot = key_slot;
    return LZS_OK;
}

uint32_t lzs_xspy_distinct(const lzs_xspy_t *spy, size_t i)
{
    return spy != nullptr && i < spy->distinct.size() ? spy->distinct[i] : 0;
}

void lzs_xspy_destroy(lzs_xspy_t *spy)
{
    delete spy;
}

void lzs_xspy_reset(lzs_xspy_t *spy)
{
    if (spy != nullptr) {
        spy->clear();
    }
}

uint32_t lzs_xspy_total(const lzs_xspy_t *spy)
{
    return spy != nullptr ? spy->total : 0;
}

size_t lzs_xspy_size(const lzs_xspy_t *spy)
{
    return spy != nullptr ? spy->sorted.size() : 0;
}

lzs_status_t lzs_xspy_get(const lzs_xspy_t *spy, size_t i, const char **value, size_t *len,
                          uint32_t *count)
{
    if (value != nullptr) {
        *value = nullptr;
    }
    if (len != nullptr) {
        *len = 0;
    }
    if (count != nullptr) {
        *count = 0;
    }
    if (spy == nullptr || value == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (i >= spy->sorted.size()) {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
        const auto &entry = spy->sorted[i];
        *value = entry.first.c_str();
        if (len != nullptr) {
            *len = entry.first.size();
        }
        if (count != nullptr) {
            *count = entry.second;
        }
        return LZS_OK;
    });
}

/* ---- enquire -------------------------------------------------------------- */

lzs_status_t lzs_xenq_create(lzs_xdb_t *db, lzs_xenq_t **out)
{
    if (out == nullptr) {
        return LZS_ERR_INVALID;
    }
    *out = nullptr;
    if (db == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(&db->err, [&]() {
        *out = new lzs_xenq_t(db);
        return LZS_OK;
    });
}

void lzs_xenq_destroy(lzs_xenq_t *enq)
{
    delete enq;
}

const char *lzs_xenq_errmsg(const lzs_xenq_t *enq)
{
    if (enq == nullptr) {
        return "no enquire handle (NULL)";
    }
    return enq->err.c_str();
}

lzs_status_t lzs_xenq_set_query(lzs_xenq_t *enq, const lzs_xquery_t *q, uint32_t qlen)
{
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (q == nullptr) {
        return fail(&enq->err, LZS_ERR_INVALID, "query is NULL");
    }
    return guard(&enq->err, [&]() {
        enq->enq.set_query(q->q, qlen);
        return LZS_OK;
    });
}

lzs_status_t lzs_xenq_sort_by_relevance(lzs_xenq_t *enq)
{
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(&enq->err, [&]() {
        enq->enq.set_sort_by_relevance();
        return LZS_OK;
    });
}

lzs_status_t lzs_xenq_sort_by_value(lzs_xenq_t *enq, lzs_slot_t slot, int reverse,
                                    int then_relevance)
{
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (slot == Xapian::BAD_VALUENO) {
        return fail(&enq->err, LZS_ERR_INVALID, "invalid value slot");
    }
    return guard(&enq->err, [&]() {
        if (then_relevance != 0) {
            enq->enq.set_sort_by_value_then_relevance(slot, reverse != 0);
        } else {
            enq->enq.set_sort_by_value(slot, reverse != 0);
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xenq_set_boolean_weighting(lzs_xenq_t *enq, int on)
{
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(&enq->err, [&]() {
        if (on != 0) {
            enq->enq.set_weighting_scheme(Xapian::BoolWeight());
        } else {
            enq->enq.set_weighting_scheme(Xapian::BM25Weight());
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xenq_set_collapse(lzs_xenq_t *enq, lzs_slot_t slot, uint32_t max)
{
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(&enq->err, [&]() {
        /* max 0 turns collapsing off, as Xapian's BAD_VALUENO key does. */
        if (max == 0) {
            enq->enq.set_collapse_key(Xapian::BAD_VALUENO);
        } else {
            enq->enq.set_collapse_key(slot, max);
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xenq_add_spy(lzs_xenq_t *enq, lzs_xspy_t *spy)
{
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (spy == nullptr) {
        return fail(&enq->err, LZS_ERR_INVALID, "spy is NULL");
    }
    return guard(&enq->err, [&]() {
        /* The spy reads value streams of the database the Enquire searches. Not over
         * several databases searched as one: Xapian 1.4's stream over them was seen to miss
         * values (test_xdb's test_facets_streamed), so the documents are asked there. */
        spy->db = enq->db->db;
        spy->have_db = enq->db->db.size() == 1;
        spy->stream = Xapian::ValueIterator();
        spy->stream_open = false;
        spy->last_did = 0;
        spy->kstream = Xapian::ValueIterator();
        spy->kstream_open = false;
        spy->klast_did = 0;
        enq->spies.push_back(spy);
        try {
            /* Not released to Xapian: the caller owns the spy and Xapian only borrows it. */
            enq->enq.add_matchspy(spy);
        } catch (...) {
            enq->spies.pop_back();
            throw;
        }
        return LZS_OK;
    });
}

lzs_status_t lzs_xenq_clear_spies(lzs_xenq_t *enq)
{
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(&enq->err, [&]() {
        enq->enq.clear_matchspies();
        enq->spies.clear();
        return LZS_OK;
    });
}

/* Builds a relevance set; docid 0 is rejected by Xapian (InvalidArgumentError). */
static Xapian::RSet make_rset(const lzs_docid_t *docids, size_t n)
{
    Xapian::RSet rset;
    for (size_t i = 0; i < n; i++) {
        rset.add_document(docids[i]);
    }
    return rset;
}

lzs_status_t lzs_xenq_get_mset(lzs_xenq_t *enq, uint32_t first, uint32_t maxitems,
                               uint32_t check_at_least, const lzs_docid_t *relevant, size_t nrel,
                               lzs_xmset_t **out)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (out == nullptr || (relevant == nullptr && nrel > 0)) {
        return fail(&enq->err, LZS_ERR_INVALID, "out or relevance set is NULL");
    }
    return guard(&enq->err, [&]() {
        lzs_xmset_t *m = new lzs_xmset_t;
        try {
            if (nrel > 0) {
                Xapian::RSet rset = make_rset(relevant, nrel);
                m->mset = enq->enq.get_mset(first, maxitems, check_at_least, &rset);
            } else {
                m->mset = enq->enq.get_mset(first, maxitems, check_at_least);
            }
            for (lzs_xspy *spy : enq->spies) {
                spy->finish();
            }
        } catch (...) {
            delete m;
            throw;
        }
        *out = m;
        return LZS_OK;
    });
}

lzs_status_t lzs_xenq_matching_terms(lzs_xenq_t *enq, lzs_docid_t docid, lzs_xdb_term_cb cb,
                                     void *ud)
{
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (cb == nullptr || docid == 0) {
        return fail(&enq->err, LZS_ERR_INVALID, "callback is NULL or document id is 0");
    }
    return guard(&enq->err, [&]() {
        for (auto it = enq->enq.get_matching_terms_begin(docid);
             it != enq->enq.get_matching_terms_end(docid); ++it) {
            const std::string &t = *it;
            if (cb(ud, t.c_str(), t.size(), 0) != 0) {
                break;
            }
        }
        return LZS_OK;
    });
}

namespace
{

/* Leaves out terms with a Xapian-style prefix (an ASCII capital): boolean filter terms and
 * stemmed forms are no use as "more like this" suggestions. */
class SkipPrefixed : public Xapian::ExpandDecider
{
  public:
    bool operator()(const std::string &term) const override
    {
        return term.empty() || term[0] < 'A' || term[0] > 'Z';
    }
};

} // namespace

lzs_status_t lzs_xenq_expand(lzs_xenq_t *enq, const lzs_docid_t *docids, size_t ndocids,
                             uint32_t maxterms, int skip_prefixed, lzs_xdb_term_cb cb, void *ud)
{
    if (enq == nullptr) {
        return LZS_ERR_INVALID;
    }
    if (cb == nullptr || (docids == nullptr && ndocids > 0)) {
        return fail(&enq->err, LZS_ERR_INVALID, "callback or document ids are NULL");
    }
    return guard(&enq->err, [&]() {
        Xapian::RSet rset = make_rset(docids, ndocids);
        SkipPrefixed decider;
        Xapian::ESet eset =
            enq->enq.get_eset(maxterms, rset, 0, skip_prefixed != 0 ? &decider : nullptr);
        uint32_t rank = 0;
        for (auto it = eset.begin(); it != eset.end(); ++it) {
            const std::string &t = *it;
            if (cb(ud, t.c_str(), t.size(), rank) != 0) {
                break;
            }
            rank++;
        }
        return LZS_OK;
    });
}

/* ---- results -------------------------------------------------------------- */

void lzs_xmset_destroy(lzs_xmset_t *mset)
{
    delete mset;
}

uint32_t lzs_xmset_size(const lzs_xmset_t *mset)
{
    return mset != nullptr ? mset->mset.size() : 0;
}

uint32_t lzs_xmset_matches_estimated(const lzs_xmset_t *mset)
{
    return mset != nullptr ? mset->mset.get_matches_estimated() : 0;
}

uint32_t lzs_xmset_matches_lower_bound(const lzs_xmset_t *mset)
{
    return mset != nullptr ? mset->mset.get_matches_lower_bound() : 0;
}

uint32_t lzs_xmset_matches_upper_bound(const lzs_xmset_t *mset)
{
    return mset != nullptr ? mset->mset.get_matches_upper_bound() : 0;
}

/* Checks the index of a hit, leaving a message on mset when it is out of range. */
static lzs_status_t check_hit(const lzs_xmset_t *mset, uint32_t i)
{
    if (i >= mset->mset.size()) {
        return fail(&mset->err, LZS_ERR_INVALID, "hit index out of range");
    }
    return LZS_OK;
}

lzs_status_t lzs_xmset_get(const lzs_xmset_t *mset, uint32_t i, lzs_xhit_t *out)
{
    if (out != nullptr) {
        std::memset(out, 0, sizeof *out);
    }
    if (mset == nullptr || out == nullptr) {
        return LZS_ERR_INVALID;
    }
    std::string *err = &mset->err;
    return guard(err, [&]() {
        lzs_status_t st = check_hit(mset, i);
        if (st != LZS_OK) {
            return st;
        }
        Xapian::MSetIterator it = mset->mset[i];
        out->docid = *it;
        out->rank = it.get_rank();
        out->weight = it.get_weight();
        out->collapse_count = it.get_collapse_count();
        out->percent = it.get_percent();
        return LZS_OK;
    });
}

lzs_status_t lzs_xmset_data(const lzs_xmset_t *mset, uint32_t i, char **out, size_t *len)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (len != nullptr) {
        *len = 0;
    }
    if (mset == nullptr || out == nullptr) {
        return LZS_ERR_INVALID;
    }
    std::string *err = &mset->err;
    return guard(err, [&]() {
        lzs_status_t st = check_hit(mset, i);
        if (st != LZS_OK) {
            return st;
        }
        lzs_x::copy_out(mset->mset[i].get_document().get_data(), out, len);
        return LZS_OK;
    });
}

lzs_status_t lzs_xmset_value(const lzs_xmset_t *mset, uint32_t i, lzs_slot_t slot, char **out,
                             size_t *len)
{
    if (out != nullptr) {
        *out = nullptr;
    }
    if (len != nullptr) {
        *len = 0;
    }
    if (mset == nullptr || out == nullptr) {
        return LZS_ERR_INVALID;
    }
    std::string *err = &mset->err;
    return guard(err, [&]() {
        lzs_status_t st = check_hit(mset, i);
        if (st != LZS_OK) {
            return st;
        }
        lzs_x::copy_out(mset->mset[i].get_document().get_value(slot), out, len);
        return LZS_OK;
    });
}

const char *lzs_xmset_errmsg(const lzs_xmset_t *mset)
{
    if (mset == nullptr) {
        return "no result handle (NULL)";
    }
    return mset->err.c_str();
}

} /* extern "C" */
