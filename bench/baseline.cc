/* baseline.cc — the benchmark's reference: the same requests answered by plain libxapian
 * (QueryParser with the index's prefixes, ValueCountMatchSpy per facet slot,
 * MSet::snippet), on the same index, with the same exact totals (check_at_least = the
 * index size) and a JSON answer built with the same library, so that the comparison
 * measures what lzs_search adds: its query language, multi-language stemming, synonym
 * expansion, exact multi-valued facets, labels and marked snippets.
 */
#include <xapian.h>

#include <jansson.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "bench.h"
#include "lzs/schema.h"
#include "lzs/search.h"

struct bench_baseline {
    Xapian::Database db;
};

static char *dup_cstr(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (p)
        memcpy(p, s.c_str(), s.size() + 1);
    return p;
}

extern "C" int bench_baseline_open(const char *index_dir, bench_baseline_t **out, char **errmsg)
{
    *out = nullptr;
    try {
        std::unique_ptr<bench_baseline> b(new bench_baseline);
        b->db = Xapian::Database(index_dir);
        *out = b.release();
        return 0;
    } catch (const Xapian::Error &e) {
        if (errmsg)
            *errmsg = dup_cstr(e.get_description());
    } catch (...) {
        if (errmsg)
            *errmsg = dup_cstr("unexpected error");
    }
    return -1;
}

extern "C" void bench_baseline_close(bench_baseline_t *b)
{
    delete b;
}

static const struct {
    const char *field;
    const char *prefix;
} prefixes[] = {{"party", LZS_PFX_PARTY},     {"addressee", LZS_PFX_ADDRESSEE},
                {"article", LZS_PFX_ARTICLE}, {"year", LZS_PFX_YEAR},
                {"level", LZS_PFX_LEVEL},     {"type", LZS_PFX_TYPE},
                {"lang", LZS_PFX_LANG},       {"rec", LZS_PFX_REC}};

static const struct {
    unsigned bit;
    const char *name;
    Xapian::valueno slot;
} facet_slots[] = {{LZS_FACET_PARTY, "party", LZS_SLOT_PARTIES},
                   {LZS_FACET_ADDRESSEE, "addressee", LZS_SLOT_ADDRESSEES},
                   {LZS_FACET_ARTICLE, "article", LZS_SLOT_ARTICLES},
                   {LZS_FACET_YEAR, "year", LZS_SLOT_YEAR},
                   {LZS_FACET_LEVEL, "level", LZS_SLOT_LEVEL},
                   {LZS_FACET_TYPE, "type", LZS_SLOT_TYPE},
                   {LZS_FACET_LANG, "lang", LZS_SLOT_LANG}};

static Xapian::Query filter_query(const bench_query_t *q, std::string &lang)
{
    std::map<std::string, std::vector<Xapian::Query>> byfield;
    for (int i = 0; i < BENCH_MAX_FILTERS && q->filters[i]; i++) {
        std::string f = q->filters[i];
        size_t eq = f.find('=');
        std::string field = f.substr(0, eq), value = f.substr(eq + 1);
        if (field == "lang")
            lang = value;
        if (field == "year" && value.find("..") != std::string::npos) {
            size_t d = value.find("..");
            byfield[field].push_back(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, LZS_SLOT_YEAR,
                                                   value.substr(0, d), value.substr(d + 2)));
            continue;
        }
        for (const auto &p : prefixes)
            if (field == p.field)
                byfield[field].push_back(Xapian::Query(p.prefix + value));
    }
    std::vector<Xapian::Query> fields;
    for (auto &kv : byfield)
        fields.push_back(Xapian::Query(Xapian::Query::OP_OR, kv.second.begin(), kv.second.end()));
    if (fields.empty())
        return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_AND, fields.begin(), fields.end());
}

extern "C" int bench_baseline_run(bench_baseline_t *b, const bench_query_t *q, uint32_t size,
                                  uint32_t snippet_chars, uint32_t *total, char **errmsg)
{
    json_t *res = nullptr;
    try {
        std::string lang = "en";
        Xapian::Query filters = filter_query(q, lang);
        Xapian::Stem stem(lang == "fr" ? "french" : "english");
        Xapian::QueryParser qp;
        qp.set_database(b->db);
        qp.set_stemmer(stem);
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_default_op(Xapian::Query::OP_AND);
        for (const auto &p : prefixes)
            qp.add_boolean_prefix(p.field, p.prefix);
        Xapian::Query query;
        bool weighted = q->q && *q->q;
        if (weighted) {
            query = qp.parse_query(q->q, Xapian::QueryParser::FLAG_DEFAULT |
                                             Xapian::QueryParser::FLAG_WILDCARD |
                                             Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS);
            if (!filters.empty())
                query = Xapian::Query(Xapian::Query::OP_FILTER, query, filters);
        } else {
            query = filters.empty() ? Xapian::Query::MatchAll : filters;
        }
        Xapian::Enquire enq(b->db);
        enq.set_query(query);
        if (!weighted)
            enq.set_weighting_scheme(Xapian::BoolWeight());
        switch (q->sort) {
        case LZS_SORT_NEWEST:
            enq.set_sort_by_value_then_relevance(LZS_SLOT_DATE, true);
            break;
        case LZS_SORT_OLDEST:
            enq.set_sort_by_value_then_relevance(LZS_SLOT_DATE, false);
            break;
        case LZS_SORT_ORDER:
            enq.set_sort_by_value(LZS_SLOT_ORDER, false);
            break;
        default:
            if (!weighted)
                enq.set_sort_by_value(LZS_SLOT_DATE, true);
            break;
        }
        if (q->group)
            enq.set_collapse_key(LZS_SLOT_DOCID);
        std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
        std::vector<const char *> spy_names;
        for (const auto &f : facet_slots) {
            if (!(q->facets & f.bit))
                continue;
            spies.emplace_back(new Xapian::ValueCountMatchSpy(f.slot));
            spy_names.push_back(f.name);
            enq.add_matchspy(spies.back().get());
        }
        Xapian::MSet mset = enq.get_mset(0, size, b->db.get_doccount());
        *total = mset.get_matches_estimated();

        res = json_object();
        json_t *hits = json_array();
        json_object_set_new(res, "api", json_integer(1));
        json_object_set_new(res, "total", json_integer(*total));
        json_object_set_new(res, "hits", hits);
        for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
            std::string data = it.get_document().get_data();
            json_t *stored = json_loadb(data.data(), data.size(), 0, nullptr);
            json_t *hit = json_object();
            json_object_set(hit, "id", json_object_get(stored, "id"));
            json_object_set_new(hit, "score", json_real(it.get_weight()));
            json_object_set(hit, "doc", json_object_get(stored, "doc"));
            json_t *passage = json_object_get(stored, "passage");
            json_object_set(hit, "passage", passage);
            const char *text = json_string_value(json_object_get(passage, "text"));
            if (text && snippet_chars) {
                std::string snip = mset.snippet(text, snippet_chars, stem);
                json_object_set_new(hit, "snippet", json_stringn(snip.data(), snip.size()));
            }
            if (q->group)
                json_object_set_new(hit, "matches", json_integer(it.get_collapse_count() + 1));
            json_array_append_new(hits, hit);
            json_decref(stored);
        }
        json_t *facets = json_object();
        json_object_set_new(res, "facets", facets);
        for (size_t i = 0; i < spies.size(); i++) {
            json_t *arr = json_array();
            for (Xapian::TermIterator t = spies[i]->top_values_begin(1000);
                 t != spies[i]->top_values_end(1000); ++t) {
                std::string v = *t;
                json_array_append_new(arr, json_pack("{s:s%, s:I}", "value", v.data(), v.size(),
                                                     "count", (json_int_t)t.get_termfreq()));
            }
            json_object_set_new(facets, spy_names[i], arr);
        }
        /* the answer is serialized, as a daemon would */
        char *dump = json_dumps(res, JSON_COMPACT);
        free(dump);
        json_decref(res);
        return 0;
    } catch (const Xapian::Error &e) {
        if (errmsg)
            *errmsg = dup_cstr(e.get_description());
    } catch (const std::bad_alloc &) {
        if (errmsg)
            *errmsg = dup_cstr("out of memory");
    } catch (...) {
        if (errmsg)
            *errmsg = dup_cstr("unexpected error");
    }
    json_decref(res);
    return -1;
}
