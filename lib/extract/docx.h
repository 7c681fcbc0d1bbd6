/* docx.h — between the DOCX reader's two files: what styles.xml and numbering.xml define
 * (docx_defs.c) and the walk through the document that uses it (read_docx.c). */
#ifndef LZS_EXTRACT_DOCX_H
#define LZS_EXTRACT_DOCX_H

#include <stddef.h>

#include <libxml/tree.h>

#include "listnum.h"
#include "lzs/status.h"

/* WordprocessingML in its transitional and strict namespaces. */
extern const char *const lzs_docx_w[];

#define DOCX_ID 64    /* style ids and names longer than this are cut */
#define DOCX_LEVELS 9 /* list levels 0-8 */

/* A boolean property that a style may leave unset (-1), turn off (0) or on (1). */
typedef signed char docx_tri_t;

typedef struct {
    char id[DOCX_ID];
    char name[DOCX_ID]; /* lower case: "heading 1", "title", "toc 2", "list bullet" */
    char based[DOCX_ID];
    char type;           /* 'p' paragraph, 'c' character, 't' table, 'n' numbering */
    signed char outline; /* w:outlineLvl 0-9, -1 unset */
    docx_tri_t bold, italic, vanish, center;
    int num_id;       /* w:numPr/w:numId; -1 unset, 0 no numbering */
    signed char ilvl; /* w:numPr/w:ilvl; -1 unset */
    int parent;       /* index of the style it is based on, -1 */
} docx_style_t;

typedef struct {
    long start;
    lzs_numfmt_t fmt;
    char text[48];       /* w:lvlText: "%1.", "%1.%2.", "(%1)" */
    signed char restart; /* w:lvlRestart: -1 unset (after any shallower level), 0 never */
    char legal;          /* w:isLgl: every number in decimal */
    char pstyle[DOCX_ID];
} docx_level_t;

typedef struct {
    long id;
    size_t seq; /* position in numbering.xml: the first of equal ids wins */
    docx_level_t lvl[DOCX_LEVELS];
    char style_link[DOCX_ID]; /* w:numStyleLink: the levels are a numbering style's */
    long count[DOCX_LEVELS];  /* counters, shared by the instances of this definition */
    unsigned char started[DOCX_LEVELS];
} docx_abstract_t;

typedef struct {
    long id;
    size_t seq;
    int abs; /* index into abstracts, -1 when undefined */
    long start[DOCX_LEVELS];
    unsigned char has_start[DOCX_LEVELS]; /* w:startOverride */
    unsigned char applied[DOCX_LEVELS];   /* the override took effect */
    docx_level_t lvl[DOCX_LEVELS];
    unsigned char has_lvl[DOCX_LEVELS]; /* a whole w:lvl given in w:lvlOverride */
} docx_num_t;

typedef struct {
    docx_style_t *styles; /* sorted by id */
    size_t nstyles;
    int default_para; /* the paragraph style of paragraphs without one, -1 */
    docx_tri_t def_bold, def_italic;
    docx_abstract_t *abs; /* sorted by id */
    size_t nabs;
    docx_num_t *nums; /* sorted by id */
    size_t nnums;
} docx_defs_t;

/* Reads styles.xml and numbering.xml (either may be NULL). LZS_ERR_NOMEM only. */
lzs_status_t lzs_docx_defs_load(docx_defs_t *defs, xmlDocPtr styles, xmlDocPtr numbering);
void lzs_docx_defs_free(docx_defs_t *defs);

/* Index of the style with this id, or -1. */
int lzs_docx_style_find(const docx_defs_t *defs, const char *id);

/* Properties a style chain gives, nearest first. */
typedef enum { DOCX_BOLD, DOCX_ITALIC, DOCX_VANISH, DOCX_CENTER } docx_prop_t;
/* The value of prop for style index s and its ancestors; -1 when none sets it. */
docx_tri_t lzs_docx_style_prop(const docx_defs_t *defs, int s, docx_prop_t prop);

/* What a paragraph style chain says about its paragraphs. */
typedef struct {
    int heading;   /* 1-9 from "heading N" or an outline level; 0 otherwise */
    int title;     /* "Title" */
    int toc;       /* "toc N", "TOC Heading", "table of figures" */
    int caption;   /* "Caption" or a style based on it: a table's or figure's caption */
    int list;      /* a "List ..." style: its level ("List Bullet 2" -> 2), else 0 */
    int num_id;    /* numbering from the style: -1 none */
    int ilvl;      /* -1 unset */
    int num_style; /* index of the style that gave num_id */
} docx_pstyle_t;

void lzs_docx_pstyle(const docx_defs_t *defs, int s, docx_pstyle_t *out);

/* Advances the counters of numbering instance num_id at level ilvl for one more
 * paragraph and writes its label as printed ("13.", "2.1.1.", "a)", "•") into buf
 * (cap bytes); "" when the instance is undefined or prints nothing. style is the index of
 * the paragraph style that gave the numbering (-1 when the paragraph did), to find the
 * level a style is linked to when ilvl is -1. Sets *bullet when the label is a bullet.
 * Returns the level numbered (0-8), or -1 when the instance is undefined. */
int lzs_docx_number(docx_defs_t *defs, long num_id, int ilvl, int style, char *buf, size_t cap,
                    int *bullet);

/* Small readers of WordprocessingML values. */

/* Copies w:val of n's child w:LOCAL into buf (cap bytes); 1 when that child exists (its
 * value may be missing: buf is then ""). n may be NULL. */
int lzs_docx_val(const xmlNode *n, const char *local, char *buf, size_t cap);
/* An on/off property element (w:b, w:vanish): 1 unless its w:val is 0, false or off;
 * -1 when n is NULL. */
docx_tri_t lzs_docx_onoff(const xmlNode *n);

#endif
