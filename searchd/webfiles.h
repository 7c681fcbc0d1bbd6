/* webfiles.h — the static files of the browser page, read once at start and served from
 * memory.
 *
 * The allowlist is the set of regular files directly in the web directory (symbolic
 * links are not followed) whose names match [A-Za-z0-9_-]+ "."
 * (html|js|css|svg|ico|png|json|txt). A request names a file only by exact name, so no
 * path outside that set can be reached, however it is encoded.
 *
 * Beside a file NAME, the build puts NAME.gz, its gzip compression (CMakeLists.txt, the
 * lzs-web target). It is loaded with NAME, and kept only when it decompresses to exactly
 * NAME's bytes: a .gz left over from an older NAME is never served (a warning names it).
 * Each file has a validator for conditional requests: an ETag made from its content (the
 * same bytes always have the same tag, whatever their dates) and its modification time.
 */
#ifndef LZS_SEARCHD_WEBFILES_H
#define LZS_SEARCHD_WEBFILES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "lzs/status.h"

#define LZS_SD_WEB_MAX_FILES 64
#define LZS_SD_WEB_MAX_FILE (4u * 1024u * 1024u)

typedef struct {
    char name[64];
    const char *content_type; /* static string, with charset for text types */
    char *data;               /* owned by the lzs_sd_web_t */
    size_t size;
    char *gz; /* NAME.gz, verified; owned by the lzs_sd_web_t; NULL when there is none */
    size_t gz_size;
    char etag[24];    /* "\"<16 hex digits>\"": FNV-1a of the content */
    char etag_gz[28]; /* the same with "-gz" inside the quotes: another representation */
    time_t mtime;     /* modification time of NAME, Last-Modified */
} lzs_sd_webfile_t;

typedef struct {
    lzs_sd_webfile_t files[LZS_SD_WEB_MAX_FILES];
    size_t n;
    /* The version of the set, part of the tag of every page rendered into it (page.h): a
     * hash of this program's version and of each file's name and content, in name order,
     * so that it changes with any file and is the same on every replica serving the same
     * files (no time, no path). */
    uint64_t version;
} lzs_sd_web_t;

/* Loads the allowlisted files of dir into web. A missing dir loads nothing (the API still
 * works) and returns LZS_ERR_NOT_FOUND; *errmsg (may be NULL) says why: caller frees with
 * free(). Regular files whose names do not match the allowlist are skipped silently;
 * any other entry that is not loaded (FIFO, device, directory, symbolic link, unreadable
 * or too large file) gets one line on log (may be NULL: none) naming it and why, and so
 * does a NAME.gz that is not a regular file or not NAME compressed. Never blocks on a
 * FIFO. */
lzs_status_t lzs_sd_web_load(lzs_sd_web_t *web, const char *dir, FILE *log, char **errmsg);
void lzs_sd_web_free(lzs_sd_web_t *web);

/* The file named name ("index.html"), or NULL. Borrowed: valid until lzs_sd_web_free. */
const lzs_sd_webfile_t *lzs_sd_web_find(const lzs_sd_web_t *web, const char *name);


/* A hash of the regular files directly in dir, by name and content (each of up to
 * LZS_SD_WEB_MAX_FILE bytes; a larger or unreadable one by name only), in name order:
 * equal on every machine holding the same files, wherever dir is. A directory that cannot
 * be opened hashes as an empty one. For the data files a page is made with (page.h). */
uint64_t lzs_sd_dir_hash(const char *dir);

/* 1 when name is a file name the allowlist can contain. */
int lzs_sd_web_name_ok(const char *name);

#endif
