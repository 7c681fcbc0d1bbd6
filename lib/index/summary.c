/* summary.c — the summary of an indexer run, as a struct and as JSON. */
#include <stdlib.h>

#include "index/index_internal.h"
#include "lzs/schema.h"

static json_t *str_array(char *const *items, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        if (json_array_append_new(a, json_string(items[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

json_t *lzs_index_summary_to_json(const lzs_index_summary_t *s)
{
    if (!s)
        return NULL;
    json_t *recs = json_object();
    json_t *skipped = json_array();
    int bad = !recs || !skipped;
    bad |= json_object_set_new(recs, "total", json_integer(s->recommendations)) != 0;
    for (int l = LZS_LEVEL_NONE + 1; !bad && l < LZS_LEVEL_COUNT; l++)
        bad |= json_object_set_new(recs, lzs_level_name((lzs_level_t)l),
                                   json_integer(s->recs_by_level[l])) != 0;
    bad |= json_object_set_new(recs, "none", json_integer(s->recs_by_level[LZS_LEVEL_NONE])) != 0;
    for (size_t i = 0; !bad && i < s->nskipped; i++)
        bad |= json_array_append_new(skipped, json_pack("{s:s, s:s}", "file", s->skipped[i].path,
                                                        "reason", s->skipped[i].reason)) != 0;
    json_t *files = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "seen", (int)s->files_seen, "added",
                              (int)s->files_added, "changed", (int)s->files_changed, "removed",
                              (int)s->files_removed, "unchanged", (int)s->files_unchanged,
                              "skipped", (int)s->files_skipped);
    json_t *parties = str_array(s->parties, s->nparties);
    json_t *langs = str_array(s->langs, s->nlangs);
    if (bad || !files || !parties || !langs) {
        json_decref(recs);
        json_decref(skipped);
        json_decref(files);
        json_decref(parties);
        json_decref(langs);
        return NULL;
    }
    /* "o" steals the references, also when json_pack fails. */
    return json_pack("{s:s?, s:s, s:b, s:i, s:f, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:I, "
                     "s:I, s:I, s:o}",
                     "index", s->index_dir, "schema", LZS_SCHEMA_VERSION, "rebuilt", s->rebuilt,
                     "jobs", (int)s->jobs, "seconds", s->seconds, "bytes", (json_int_t)s->bytes,
                     "documents", (json_int_t)s->documents, "passages", (json_int_t)s->passages,
                     "recommendations", recs, "parties", parties, "langs", langs, "files", files,
                     "passages_added", (json_int_t)s->passages_added, "passages_removed",
                     (json_int_t)s->passages_removed, "phrases", (json_int_t)s->phrases,
                     "phrases_by_positions", (json_int_t)s->phrases_by_positions, "skipped",
                     skipped);
}

void lzs_index_summary_free(lzs_index_summary_t *s)
{
    if (!s)
        return;
    free(s->index_dir);
    for (size_t i = 0; i < s->nparties; i++)
        free(s->parties[i]);
    free(s->parties);
    for (size_t i = 0; i < s->nlangs; i++)
        free(s->langs[i]);
    free(s->langs);
    for (size_t i = 0; i < s->nskipped; i++) {
        free(s->skipped[i].path);
        free(s->skipped[i].reason);
    }
    free(s->skipped);
    free(s);
}
