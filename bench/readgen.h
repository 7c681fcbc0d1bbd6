/* readgen.h — the large documents that lzs-bench-read generates to measure the readers:
 * one generator per published format (a report laid out as a PDF; a list of decisions as
 * a DOCX, an ODT and an HTML page) and two PDF pages that stress poppler's text analysis.
 * Each writes its document into memory, deterministically: the same n gives the same
 * bytes.
 */
#ifndef LZS_BENCH_READGEN_H
#define LZS_BENCH_READGEN_H

#include <stddef.h>

/* Writes a document of n units. *out (caller frees with free()) and *len are its bytes.
 * Returns 0, or -1 with *errmsg (caller frees with free()) saying what failed; *out is
 * then NULL. */
typedef int (*readgen_fn)(int n, char **out, size_t *len, char **errmsg);

typedef struct {
    const char *name;   /* what --generate calls it: "pdf", "docx", ... */
    const char *format; /* its format, as lzs_extract_format() names it */
    const char *unit;   /* what n counts: "pages", "decisions", "glyphs" */
    int max_n;          /* largest n accepted */
    const char *what;   /* one line for --help */
    readgen_fn write;
} readgen_t;

/* The generators, one row each. Borrowed: static. */
const readgen_t *readgen_table(size_t *count);
/* The generator called name, or NULL. Borrowed: static. */
const readgen_t *readgen_find(const char *name);

#endif
