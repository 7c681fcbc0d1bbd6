/* xenq.cc — the search part of the C API over libxapian: enquire sessions and result
 * pages.
 */
#include "xapian/xdb_internal.h"

#include <cstring>
#include <string>

using lzs_x::fail;
using lzs_x::guard;

extern "C" {

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

/* Checks the index of a hit. */
static lzs_status_t check_hit(const lzs_xmset_t *mset, uint32_t i)
{
    return i < mset->mset.size() ? LZS_OK : LZS_ERR_INVALID;
}

lzs_status_t lzs_xmset_get(const lzs_xmset_t *mset, uint32_t i, lzs_xhit_t *out)
{
    if (out != nullptr) {
        std::memset(out, 0, sizeof *out);
    }
    if (mset == nullptr || out == nullptr) {
        return LZS_ERR_INVALID;
    }
    return guard(nullptr, [&]() {
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
    return guard(nullptr, [&]() {
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
    return guard(nullptr, [&]() {
        lzs_status_t st = check_hit(mset, i);
        if (st != LZS_OK) {
            return st;
        }
        lzs_x::copy_out(mset->mset[i].get_document().get_value(slot), out, len);
        return LZS_OK;
    });
}

} /* extern "C" */
