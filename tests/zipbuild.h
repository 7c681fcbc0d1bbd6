/* zipbuild.h — ZIP archives assembled in memory with libzip, for the tests and the fuzz
 * target of the DOCX and ODT readers: exact control of every part of a package. */
#ifndef LZS_TESTS_ZIPBUILD_H
#define LZS_TESTS_ZIPBUILD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

typedef struct {
    const char *name;
    const char *data; /* NULL: the member is left out */
    size_t len;       /* 0: strlen(data) */
    int store;        /* 1: stored, not deflated */
} zb_member_t;

/* Builds an archive of the n members in order. *out: caller frees with free(). Returns 0
 * on success, -1 (with a message on stderr) on failure. */
static inline int zb_build(const zb_member_t *m, size_t n, char **out, size_t *len)
{
    zip_error_t err;
    zip_error_init(&err);
    *out = NULL;
    *len = 0;
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
    zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &err) : NULL;
    if (za == NULL) {
        fprintf(stderr, "zipbuild: %s\n", zip_error_strerror(&err));
        zip_source_free(src);
        zip_error_fini(&err);
        return -1;
    }
    zip_source_keep(src);
    for (size_t i = 0; i < n; i++) {
        if (m[i].data == NULL)
            continue;
        size_t l = m[i].len ? m[i].len : strlen(m[i].data);
        zip_source_t *s = zip_source_buffer(za, m[i].data, l, 0);
        zip_int64_t idx =
            s ? zip_file_add(za, m[i].name, s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            fprintf(stderr, "zipbuild: %s: %s\n", m[i].name, zip_strerror(za));
            zip_source_free(s);
            zip_discard(za);
            zip_source_free(src);
            return -1;
        }
        if (m[i].store)
            zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    if (zip_close(za) != 0) {
        fprintf(stderr, "zipbuild: %s\n", zip_strerror(za));
        zip_discard(za);
        zip_source_free(src);
        return -1;
    }
    zip_stat_t st;
    char *buf = NULL;
    if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
        buf = malloc(st.size ? st.size : 1);
        if (buf && zip_source_read(src, buf, st.size) != (zip_int64_t)st.size) {
            free(buf);
            buf = NULL;
        }
        zip_source_close(src);
    }
    zip_source_free(src);
    if (buf == NULL) {
        fprintf(stderr, "zipbuild: cannot read the archive back\n");
        return -1;
    }
    *out = buf;
    *len = st.size;
    return 0;
}

#endif
