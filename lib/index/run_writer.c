/* run_writer.c — the writer of an indexer run: the results of the workers written into
 * the index in one transaction on the calling thread (documents, file list, spelling,
 * owners of documents read from several files, synonyms). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/run_internal.h"
#include "lzs/extract.h"
#include "lzs/file.h"
#include "core/json_internal.h"
#include "lzs/schema.h"

/* Distinct spelling words buffered before they are written to the spelling table. */
#define SPELL_FLUSH 200000

/* ---- the writer ----------------------------------------------------------- */

lzs_status_t lzs_run_db_fail(run_t *R, lzs_status_t st, const char *what)
{
    lzs_set_errmsg(R->errmsg, "%s: %s", what,
                   st == LZS_ERR_NOMEM ? lzs_status_str(st) : lzs_xdb_errmsg(R->db));
    /* LZS_ERR_LIMIT out of lzs_index_run() means the mass-deletion guard alone. */
    return st == LZS_ERR_LIMIT ? LZS_ERR_XAPIAN : st;
}

static char *file_key(const char *path)
{
    return str_printf("%s%s", LZS_META_FILE_PREFIX, path);
}

typedef struct {
    lzs_docid_t *v;
    size_t n, cap;
    lzs_status_t st;
} docids_t;

static int collect_docid(void *ud, lzs_docid_t id)
{
    docids_t *d = ud;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        lzs_docid_t *v = realloc(d->v, cap * sizeof *v);
        if (!v) {
            d->st = LZS_ERR_NOMEM;
            return 1;
        }
        d->v = v;
        d->cap = cap;
    }
    d->v[d->n++] = id;
    return 0;
}

/* Counts into R->unspell what the passages indexed by term gave the spelling table, from
 * their stored text and by the rule used when they were added, so that deleting them takes
 * their words back off. */
static lzs_status_t count_deleted_spelling(run_t *R, const char *term)
{
    docids_t ids = {0};
    lzs_status_t st = lzs_xdb_postlist(R->db, term, collect_docid, &ids);
    if (st == LZS_OK)
        st = ids.st;
    for (size_t i = 0; st == LZS_OK && i < ids.n; i++) {
        lzs_xdoc_t *doc = NULL;
        char *data = NULL;
        size_t len = 0;
        st = lzs_xdb_get_document(R->db, ids.v[i], &doc);
        if (st == LZS_OK)
            st = lzs_xdoc_get_data(doc, &data, &len);
        lzs_xdoc_destroy(doc);
        if (st != LZS_OK)
            break;
        json_t *j = NULL;
        lzs_status_t pst = lzs_json_parse(data, len, 0, NULL, &j);
        free(data);
        if (pst == LZS_ERR_NOMEM) {
            st = pst;
            break;
        }
        /* Data this program did not write has no text to take back. */
        const char *text =
            json_string_value(json_object_get(json_object_get(j, "passage"), "text"));
        if (text)
            st = lzs_index_count_spelling(R->text, text, R->unspell);
        json_decref(j);
    }
    free(ids.v);
    return st;
}

static lzs_status_t delete_file_docs(run_t *R, const char *path)
{
    char *term = str_printf("%s%s", LZS_PFX_FILE, path);
    if (!term)
        return LZS_ERR_NOMEM;
    /* A rebuild clears the whole spelling table instead. */
    lzs_status_t st = R->opts->rebuild ? LZS_OK : count_deleted_spelling(R, term);
    if (st != LZS_OK) {
        free(term);
        return lzs_run_db_fail(R, st, "reading the passages to delete");
    }
    st = lzs_xdb_delete_documents(R->db, term);
    free(term);
    if (st != LZS_OK)
        return lzs_run_db_fail(R, st, "deleting passages");
    return LZS_OK;
}

static lzs_status_t forget_file(run_t *R, const char *path)
{
    char *key = file_key(path);
    if (!key)
        return LZS_ERR_NOMEM;
    lzs_status_t st = lzs_xdb_metadata_set(R->db, key, "", 0);
    free(key);
    return st == LZS_OK ? st : lzs_run_db_fail(R, st, "updating the file list");
}

/* The file's entry in the file list. alt: an alternate file of its document (another
 * format of it, read worse), which gives no passages (see schema.h). */
static lzs_status_t record_entry(run_t *R, const char *path, const char *sha, const char *doc,
                                 const char *source, uint32_t passages, int alt)
{
    json_t *j = json_pack("{s:s, s:s, s:s?, s:I, s:b}", "sha256", sha, "doc", doc, "source", source,
                          "passages", (json_int_t)passages, "alt", alt);
    char *val = j ? json_dumps(j, JSON_COMPACT) : NULL;
    char *key = file_key(path);
    json_decref(j);
    lzs_status_t st =
        (val && key) ? lzs_xdb_metadata_set(R->db, key, val, strlen(val)) : LZS_ERR_NOMEM;
    free(val);
    free(key);
    return st == LZS_OK ? st : lzs_run_db_fail(R, st, "updating the file list");
}

static lzs_status_t record_file(run_t *R, const char *path, const result_t *r)
{
    return record_entry(R, path, r->sha, r->doc_id, r->source, (uint32_t)r->nxdocs, 0);
}

void lzs_run_report_progress(run_t *R, size_t done, int final)
{
    if (!R->opts->progress)
        return;
    double t = now_sec();
    if (!final && t - R->last_progress < 0.1)
        return;
    R->last_progress = t;
    lzs_index_progress_t p = {
        .files_done = (uint32_t)done,
        .files_total = (uint32_t)R->files.n,
        .bytes_done = R->bytes_done,
        .passages = R->passages_written,
        .elapsed = t - R->t0,
        .final = final,
    };
    for (size_t i = 0; i < R->files.n; i++)
        p.bytes_total += R->files.v[i].size;
    R->opts->progress(R->opts->progress_ud, &p);
}

lzs_status_t lzs_run_note_skip(run_t *R, const char *path, const char *reason)
{
    R->sum->files_skipped++;
    if (R->opts->on_skip)
        R->opts->on_skip(R->opts->skip_ud, path, reason);
    if (lzs_strlist_push(&R->skip_paths, path) != LZS_OK ||
        lzs_strlist_push(&R->skip_reasons, reason) != LZS_OK)
        return LZS_ERR_NOMEM;
    return LZS_OK;
}

typedef struct {
    lzs_xdb_t *db;
    lzs_status_t st;
    lzs_wordcount_t *wc; /* collect_spelling() only */
} spellctx_t;

static int flush_spell_cb(void *ud, const char *word, uint32_t count)
{
    spellctx_t *c = ud;
    c->st = lzs_xdb_add_spelling(c->db, word, count);
    /* A word too long for the spelling table is no loss: it would never be suggested. */
    if (c->st == LZS_ERR_LIMIT)
        c->st = LZS_OK;
    return c->st != LZS_OK;
}

static int unspell_cb(void *ud, const char *word, uint32_t count)
{
    spellctx_t *c = ud;
    c->st = lzs_xdb_remove_spelling(c->db, word, count);
    if (c->st == LZS_ERR_LIMIT)
        c->st = LZS_OK; /* never added either */
    return c->st != LZS_OK;
}

/* Writes the pending changes of the spelling table: the words of deleted passages off, the
 * words of added ones on (a word both deleted and added ends with the right count). */
lzs_status_t lzs_run_flush_spelling(run_t *R)
{
    spellctx_t c = {R->db, LZS_OK, NULL};
    lzs_wordcount_foreach(R->unspell, unspell_cb, &c);
    lzs_wordcount_clear(R->unspell);
    if (c.st == LZS_OK)
        lzs_wordcount_foreach(R->spell, flush_spell_cb, &c);
    lzs_wordcount_clear(R->spell);
    return c.st == LZS_OK ? c.st : lzs_run_db_fail(R, c.st, "writing the spelling table");
}

static int collect_spelling(void *ud, const char *word, size_t len, uint32_t freq)
{
    spellctx_t *c = ud;
    (void)len; /* words are terms: no NUL inside */
    c->st = lzs_wordcount_add(c->wc, word, freq);
    return c->st != LZS_OK;
}

/* Empties the spelling table (for a rebuild: its counts start over with the passages). */
static lzs_status_t clear_spelling(run_t *R)
{
    spellctx_t c = {R->db, LZS_OK, R->unspell};
    lzs_status_t st = lzs_xdb_spellings(R->db, collect_spelling, &c);
    if (st == LZS_OK && c.st != LZS_OK)
        return c.st;
    if (st != LZS_OK)
        return lzs_run_db_fail(R, st, "reading the spelling table");
    return lzs_run_flush_spelling(R);
}

/* The file that gave doc's passages went (removed, or now another document): doc has no
 * owner until another of its files takes over (promote_alternates()). */
static lzs_status_t lost_document(run_t *R, const char *doc)
{
    lzs_status_t st = lzs_wordcount_set(R->claims, doc, 0);
    if (st == LZS_OK)
        st = lzs_strlist_push_unique(&R->lost, doc);
    return st;
}

/* Path owning a claimed document id: claims hold index+1 into the old list, or
 * old.n + index+1 into the corpus list. */
static const char *claim_owner(const run_t *R, uint32_t v)
{
    if (v == 0)
        return NULL;
    if (v <= R->old.n)
        return R->old.v[v - 1].path;
    return R->files.v[v - 1 - R->old.n].path;
}

/* The index's entry of path in the file list, parsed: NULL when it has none. Caller frees
 * with json_decref(). */
lzs_status_t lzs_run_read_entry(run_t *R, const char *path, json_t **out)
{
    *out = NULL;
    char *key = file_key(path);
    char *val = NULL;
    size_t len = 0;
    lzs_status_t st = key ? lzs_xdb_metadata_get(R->db, key, &val, &len) : LZS_ERR_NOMEM;
    free(key);
    if (st == LZS_ERR_NOT_FOUND || (st == LZS_OK && len == 0)) {
        free(val);
        return LZS_OK;
    }
    if (st != LZS_OK)
        return lzs_run_db_fail(R, st, "reading the file list");
    st = lzs_json_parse(val, len, 0, NULL, out);
    free(val);
    return st == LZS_ERR_NOMEM ? st : LZS_OK;
}

/* owner, which gave the passages of a document, is read worse than a file of the same
 * document met now: its passages go, and it stays listed as an alternate file. */
static lzs_status_t demote_owner(run_t *R, const char *owner)
{
    json_t *e = NULL;
    lzs_status_t st = lzs_run_read_entry(R, owner, &e);
    if (st == LZS_OK)
        st = delete_file_docs(R, owner);
    if (st == LZS_OK && e) {
        json_int_t np = json_integer_value(json_object_get(e, "passages"));
        R->sum->passages_removed += np > 0 ? (uint32_t)np : 0;
        st = record_entry(R, owner, json_string_value(json_object_get(e, "sha256")),
                          json_string_value(json_object_get(e, "doc")),
                          json_string_value(json_object_get(e, "source")), 0, 1);
    }
    json_decref(e);
    return st;
}

/* A file of a document that another file, read better, already gives: listed as one of
 * the document's files, no passages of its own (those it gave before go). */
static lzs_status_t write_alternate(run_t *R, size_t idx, const result_t *r)
{
    const char *path = R->files.v[idx].path;
    oldfile_t *old = lzs_run_find_oldfile(&R->old, path);
    lzs_status_t st = LZS_OK;
    if (old) {
        if (old->passages > 0) {
            st = delete_file_docs(R, path);
            R->sum->passages_removed += old->passages;
        }
        if (st == LZS_OK && old->doc && strcmp(old->doc, r->doc_id) != 0 &&
            claim_owner(R, lzs_wordcount_get(R->claims, old->doc)) != NULL &&
            strcmp(claim_owner(R, lzs_wordcount_get(R->claims, old->doc)), path) == 0)
            st = lost_document(R, old->doc);
        R->sum->files_changed++;
    } else {
        R->sum->files_added++;
    }
    if (st == LZS_OK)
        st = record_entry(R, path, r->sha, r->doc_id, r->source, 0, 1);
    return st;
}

/* When the document's passages were written (schema.h, LZS_META_INDEXED_PREFIX). */
static lzs_status_t record_indexed(run_t *R, const char *doc)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL || strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return LZS_OK; /* no clock: the feed then has no time for an undated document */
    char *key = str_printf("%s%s", LZS_META_INDEXED_PREFIX, doc);
    if (key == NULL)
        return LZS_ERR_NOMEM;
    lzs_status_t st = lzs_xdb_metadata_set(R->db, key, when, strlen(when));
    free(key);
    return st == LZS_OK ? LZS_OK : lzs_run_db_fail(R, st, "recording when a document was indexed");
}

lzs_status_t lzs_run_write_result(run_t *R, size_t idx, result_t *r)
{
    const char *path = R->files.v[idx].path;
    oldfile_t *old = lzs_run_find_oldfile(&R->old, path);
    lzs_status_t st = LZS_OK;
    R->sum->bytes += R->files.v[idx].size;
    switch (r->kind) {
    case RES_FATAL:
        lzs_set_errmsg(R->errmsg, "%s: %s", path,
                       r->reason ? r->reason : lzs_status_str(LZS_ERR_NOMEM));
        return LZS_ERR_NOMEM;
    case RES_UNCHANGED:
        R->sum->files_unchanged++;
        return LZS_OK;
    case RES_SKIPPED:
        return lzs_run_note_skip(R, path, r->reason);
    case RES_DOC:
        break;
    }
    const char *owner = claim_owner(R, lzs_wordcount_get(R->claims, r->doc_id));
    if (owner && strcmp(owner, path) != 0) {
        /* The same document in another format: the format read best gives the passages,
         * the others are listed as its files. Two files of one format are a duplicate. */
        int mine = lzs_extract_format_rank(path), theirs = lzs_extract_format_rank(owner);
        if (mine > theirs)
            return write_alternate(R, idx, r);
        if (mine == theirs) {
            char *reason =
                str_printf("duplicate document id %s (already indexed from %s)", r->doc_id, owner);
            if (!reason)
                return LZS_ERR_NOMEM;
            st = lzs_run_note_skip(R, path, reason);
            free(reason);
            return st;
        }
        st = demote_owner(R, owner);
        if (st != LZS_OK)
            return st;
    }
    if (old) {
        st = delete_file_docs(R, path);
        if (st != LZS_OK)
            return st;
        if (old->doc && strcmp(old->doc, r->doc_id) != 0)
            st = lost_document(R, old->doc);
        R->sum->passages_removed += old->passages;
        R->sum->files_changed++;
    } else {
        R->sum->files_added++;
    }
    if (st == LZS_OK)
        st = lzs_wordcount_set(R->claims, r->doc_id, (uint32_t)(R->old.n + idx + 1));
    for (size_t i = 0; st == LZS_OK && i < r->nxdocs; i++) {
        if (cancelled(R->opts))
            return LZS_OK; /* the writer loop reports it */
        st = lzs_xdb_add_document(R->db, r->xdocs[i], NULL);
        if (st != LZS_OK)
            return lzs_run_db_fail(R, st, "adding a passage");
        R->passages_written++;
        R->sum->passages_added++;
    }
    if (st == LZS_OK)
        st = record_file(R, path, r);
    if (st == LZS_OK)
        st = record_indexed(R, r->doc_id);
    if (st == LZS_OK)
        st = lzs_wordcount_merge(R->spell, r->spell);
    if (st == LZS_OK && lzs_wordcount_size(R->spell) + lzs_wordcount_size(R->unspell) > SPELL_FLUSH)
        st = lzs_run_flush_spelling(R);
    return st;
}

/* Deletes the passages of indexed files that are gone from the corpus (all of them when
 * rebuilding), before anything is added, so that a document id can move between files. */
lzs_status_t lzs_run_remove_gone(run_t *R)
{
    for (size_t i = 0; i < R->old.n; i++) {
        if (cancelled(R->opts)) {
            lzs_set_errmsg(R->errmsg, "interrupted: nothing of this run was committed");
            return LZS_ERR_CANCELLED;
        }
        oldfile_t *o = &R->old.v[i];
        if (!R->opts->rebuild && lzs_run_find_cfile(&R->files, o->path)) {
            if (o->doc && *o->doc && !o->alt) {
                lzs_status_t st = lzs_wordcount_set(R->claims, o->doc, (uint32_t)(i + 1));
                if (st != LZS_OK)
                    return st;
            }
            continue;
        }
        lzs_status_t st = delete_file_docs(R, o->path);
        if (st == LZS_OK)
            st = forget_file(R, o->path);
        if (st == LZS_OK && !R->opts->rebuild && o->passages > 0 && o->doc && *o->doc)
            st = lzs_strlist_push_unique(&R->lost, o->doc);
        if (st != LZS_OK)
            return st;
        if (!R->opts->rebuild)
            R->sum->files_removed++;
        R->sum->passages_removed += o->passages;
    }
    if (R->opts->rebuild) {
        lzs_status_t st = clear_spelling(R);
        if (st != LZS_OK)
            return st;
    }
    if (R->opts->rebuild) {
        /* Passages not tied to a listed file (none in an index this program wrote). */
        uint32_t n = 0;
        lzs_docid_t last = 0;
        lzs_status_t st = lzs_xdb_doccount(R->db, &n);
        if (st == LZS_OK && n > 0)
            st = lzs_xdb_lastdocid(R->db, &last);
        for (lzs_docid_t d = 1; st == LZS_OK && n > 0 && d <= last; d++) {
            st = lzs_xdb_delete_document(R->db, d);
            if (st == LZS_ERR_NOT_FOUND)
                st = LZS_OK;
        }
        if (st != LZS_OK)
            return lzs_run_db_fail(R, st, "clearing the index");
        lzs_run_oldfiles_free(&R->old);
    }
    return LZS_OK;
}

/* ---- synonyms ------------------------------------------------------------- */

static int collect_term(void *ud, const char *term, size_t len, uint32_t freq)
{
    (void)freq;
    lzs_strlist_t *l = ud;
    char *s = strndup(term, len);
    int bad = !s || lzs_strlist_push(l, s) != LZS_OK;
    free(s);
    return bad;
}

lzs_status_t lzs_run_write_synonyms(run_t *R)
{
    lzs_strlist_t keys = {0};
    lzs_status_t st = lzs_xdb_synonym_keys(R->db, "", collect_term, &keys);
    for (size_t i = 0; st == LZS_OK && i < keys.n; i++)
        st = lzs_xdb_clear_synonyms(R->db, keys.items[i]);
    lzs_strlist_clear(&keys);
    if (st != LZS_OK)
        return lzs_run_db_fail(R, st, "clearing synonyms");
    size_t ng = lzs_extract_synonym_groups(R->ex);
    for (size_t g = 0; st == LZS_OK && g < ng; g++) {
        size_t n = lzs_extract_synonym_group_size(R->ex, g);
        lzs_strlist_t norm = {0};
        for (size_t i = 0; st == LZS_OK && i < n; i++) {
            char *k = NULL;
            const char *syn = lzs_extract_synonym(R->ex, g, i);
            st = lzs_text_phrase_key(R->text, syn, strlen(syn), &k);
            if (st == LZS_OK && *k && strlen(k) <= LZS_XDB_MAX_TERM - 2)
                st = lzs_strlist_push_unique(&norm, k);
            free(k);
        }
        for (size_t i = 0; st == LZS_OK && i < norm.n; i++) {
            for (size_t j = 0; st == LZS_OK && j < norm.n; j++) {
                if (i != j)
                    st = lzs_xdb_add_synonym(R->db, norm.items[i], norm.items[j]);
            }
        }
        lzs_strlist_clear(&norm);
    }
    return st == LZS_OK ? st : lzs_run_db_fail(R, st, "writing synonyms");
}
