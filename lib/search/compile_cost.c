/* compile_cost.c — the cost limit: prefixes and OR lists counted as the query is built,
 * and the refusal naming the costliest of them.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "lzs/extract.h"
#include "lzs/model.h"
#include "lzs/schema.h"

/* ---- the cost limit ---------------------------------------------------------------- */

/* Adds a prefix or OR list (not inside another counted one) to the query's cost. */
void lzs_compile_count_costly(lzs_build_t *b, int pos, uint64_t postings, uint64_t count, int is_or,
                              const char *prefix)
{
    b->cost_postings += postings;
    if (postings >= b->top_postings) {
        b->top_postings = postings;
        b->top_count = count;
        b->top_pos = pos;
        b->top_is_or = is_or;
        snprintf(b->top_prefix, sizeof b->top_prefix, "%s", prefix ? prefix : "");
    }
}

/* Refuses the query for its cost: err gets the message and the estimate with the limits
 * (the postings counted so far and `pending` more, of a part not counted yet). */
__attribute__((format(printf, 4, 5))) lzs_status_t
lzs_compile_cost_fail(lzs_build_t *b, uint64_t pending, int position, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lzs_status_t st = lzs_search_fail(b->err, LZS_ERR_LIMIT, "limit", "q", position, "%s", msg);
    if (b->err) {
        b->err->cost.known = 1;
        b->err->cost.terms = b->wildcard_terms;
        b->err->cost.postings = b->cost_postings + pending;
        b->err->cost.max_expansion = b->s->max_expansion;
        b->err->cost.max_postings = b->s->max_postings;
    }
    return st;
}

/* The postings a built part reads (lzs_xquery_cost); none for nothing. */
lzs_status_t lzs_compile_part_postings(lzs_build_t *b, const lzs_xquery_t *q, uint64_t *sum)
{
    if (!q)
        return LZS_OK;
    uint64_t c = 0;
    lzs_status_t st = lzs_xquery_cost(b->s->db, q, &c);
    if (st == LZS_OK)
        *sum += c;
    return st;
}

/* Over the limit, the query is refused naming its costliest prefix or OR list. */
lzs_status_t lzs_compile_check_cost(lzs_build_t *b)
{
    uint64_t max = b->s->max_postings;
    if (max == 0 || b->cost_postings <= max)
        return LZS_OK;
    if (b->top_is_or)
        return lzs_compile_cost_fail(
            b, 0, b->top_pos,
            "this query's prefixes and OR lists would read about %llu postings of "
            "the index (limit %llu); the %llu alternatives joined by OR at "
            "position %d read about %llu: join fewer or rarer words by OR",
            (unsigned long long)b->cost_postings, (unsigned long long)max,
            (unsigned long long)b->top_count, b->top_pos, (unsigned long long)b->top_postings);
    return lzs_compile_cost_fail(
        b, 0, b->top_pos,
        "this query's prefixes and OR lists would read about %llu postings of the "
        "index (limit %llu); the prefix '%s*' at position %d expands to %llu "
        "terms with about %llu: make it longer",
        (unsigned long long)b->cost_postings, (unsigned long long)max, b->top_prefix, b->top_pos,
        (unsigned long long)b->top_count, (unsigned long long)b->top_postings);
}
