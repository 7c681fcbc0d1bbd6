/* pdfgen.c — the test-only PDF writer of pdfgen.h: cairo's PDF surface into a memory
 * buffer, fonts loaded from the DejaVu files through FreeType. */
#include "pdfgen.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>

#include "lzs/file.h"

#define DEJAVU_DIR "/usr/share/fonts/truetype/dejavu/"

static const char *const font_files[PDFGEN_FONT_COUNT] = {
    DEJAVU_DIR "DejaVuSerif.ttf", DEJAVU_DIR "DejaVuSerif-Bold.ttf", DEJAVU_DIR "DejaVuSans.ttf",
    DEJAVU_DIR "DejaVuSans-Bold.ttf"};

/* The fonts are loaded once per process and kept: cairo caches font faces beyond the
 * documents that use them, and FreeType's library must outlive every face. */
static struct {
    pthread_once_t once;
    FT_Library ft;
    cairo_font_face_t *faces[PDFGEN_FONT_COUNT];
    char err[512]; /* "" when every font loaded */
} fonts = {PTHREAD_ONCE_INIT, NULL, {NULL}, ""};

struct pdfgen {
    cairo_surface_t *surface;
    cairo_t *cr;
    double w, h;
    unsigned char *buf;
    size_t len, cap;
    int nomem;
};

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int length)
{
    pdfgen_t *g = closure;
    if (g->len + length > g->cap) {
        size_t cap = g->cap ? g->cap : 65536;
        while (cap < g->len + length)
            cap *= 2;
        unsigned char *p = realloc(g->buf, cap);
        if (p == NULL) {
            g->nomem = 1;
            return CAIRO_STATUS_NO_MEMORY;
        }
        g->buf = p;
        g->cap = cap;
    }
    memcpy(g->buf + g->len, data, length);
    g->len += length;
    return CAIRO_STATUS_SUCCESS;
}

static void load_fonts(void)
{
    if (FT_Init_FreeType(&fonts.ft) != 0) {
        snprintf(fonts.err, sizeof fonts.err, "pdfgen: FreeType does not start");
        return;
    }
    for (int i = 0; i < PDFGEN_FONT_COUNT; i++) {
        FT_Face face;
        if (FT_New_Face(fonts.ft, font_files[i], 0, &face) != 0) {
            snprintf(fonts.err, sizeof fonts.err, "%s: cannot open; install fonts-dejavu-core",
                     font_files[i]);
            return;
        }
        fonts.faces[i] = cairo_ft_font_face_create_for_ft_face(face, 0);
    }
}

pdfgen_t *pdfgen_new(double w, double h, char **errmsg)
{
    pdfgen_t *g = calloc(1, sizeof *g);
    if (g == NULL) {
        lzs_set_errmsg(errmsg, "pdfgen: out of memory");
        return NULL;
    }
    pthread_once(&fonts.once, load_fonts);
    if (fonts.err[0] != '\0') {
        lzs_set_errmsg(errmsg, "%s", fonts.err);
        free(g);
        return NULL;
    }
    g->w = w;
    g->h = h;
    g->surface = cairo_pdf_surface_create_for_stream(write_cb, g, w, h);
    cairo_pdf_surface_set_metadata(g->surface, CAIRO_PDF_METADATA_CREATOR, "lanzasearch pdfgen");
    cairo_pdf_surface_set_metadata(g->surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   "2019-06-06T00:00:00Z");
    g->cr = cairo_create(g->surface);
    if (cairo_status(g->cr) != CAIRO_STATUS_SUCCESS) {
        lzs_set_errmsg(errmsg, "pdfgen: cairo: %s", cairo_status_to_string(cairo_status(g->cr)));
        pdfgen_free(g);
        return NULL;
    }
    return g;
}

static void use_font(pdfgen_t *g, pdfgen_font_t f, double size)
{
    cairo_set_font_face(g->cr, fonts.faces[f]);
    cairo_set_font_size(g->cr, size);
}

double pdfgen_width(pdfgen_t *g, pdfgen_font_t f, double size, const char *utf8)
{
    cairo_text_extents_t ext;
    use_font(g, f, size);
    cairo_text_extents(g->cr, utf8, &ext);
    return ext.x_advance;
}

double pdfgen_text(pdfgen_t *g, double x, double y, pdfgen_font_t f, double size, const char *utf8)
{
    use_font(g, f, size);
    cairo_move_to(g->cr, x, y);
    cairo_show_text(g->cr, utf8);
    double cx, cy;
    cairo_get_current_point(g->cr, &cx, &cy);
    return cx;
}

double pdfgen_text_as(pdfgen_t *g, double x, double y, pdfgen_font_t f, double size,
                      const char *shown, const char *text)
{
    use_font(g, f, size);
    cairo_scaled_font_t *sf = cairo_get_scaled_font(g->cr);
    cairo_glyph_t *glyphs = NULL;
    int nglyphs = 0;
    if (cairo_scaled_font_text_to_glyphs(sf, x, y, shown, -1, &glyphs, &nglyphs, NULL, NULL,
                                         NULL) != CAIRO_STATUS_SUCCESS)
        return x;
    /* One cluster: all the glyphs of shown stand for all the bytes of text. */
    cairo_text_cluster_t cluster = {(int)strlen(text), nglyphs};
    cairo_show_text_glyphs(g->cr, text, -1, glyphs, nglyphs, &cluster, 1, 0);
    cairo_glyph_free(glyphs);
    return x + pdfgen_width(g, f, size, shown);
}

double pdfgen_wrap(pdfgen_t *g, double x, double y, double width, pdfgen_font_t f, double size,
                   double leading, const char *text)
{
    double space = pdfgen_width(g, f, size, " ");
    double cx = x;
    const char *p = text;
    char word[256];
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n == 0)
            break;
        if (n >= sizeof word)
            n = sizeof word - 1;
        memcpy(word, p, n);
        word[n] = '\0';
        p += strcspn(p, " ");
        double w = pdfgen_width(g, f, size, word);
        if (cx > x && cx + w > x + width) {
            y += leading;
            cx = x;
        }
        pdfgen_text(g, cx, y, f, size, word);
        cx += w + space;
    }
    return y + leading;
}

void pdfgen_rule(pdfgen_t *g, double x1, double x2, double y)
{
    cairo_save(g->cr);
    cairo_set_line_width(g->cr, 0.5);
    cairo_move_to(g->cr, x1, y);
    cairo_line_to(g->cr, x2, y);
    cairo_stroke(g->cr);
    cairo_restore(g->cr);
}

void pdfgen_image(pdfgen_t *g, double x, double y, double w, double h)
{
    int iw = 64, ih = 64;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, iw, ih);
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    cairo_surface_flush(img);
    for (int r = 0; r < ih; r++) {
        uint32_t *row = (uint32_t *)(void *)(data + (size_t)r * (size_t)stride);
        for (int c = 0; c < iw; c++)
            row[c] = ((r / 4) % 2) ? 0x00303030u : 0x00e0e0e0u;
    }
    cairo_surface_mark_dirty(img);
    cairo_save(g->cr);
    cairo_translate(g->cr, x, y);
    cairo_scale(g->cr, w / iw, h / ih);
    cairo_set_source_surface(g->cr, img, 0, 0);
    cairo_paint(g->cr);
    cairo_restore(g->cr);
    cairo_surface_destroy(img);
}

void pdfgen_turn(pdfgen_t *g, int quarter_turns)
{
    cairo_identity_matrix(g->cr);
    cairo_translate(g->cr, g->w / 2, g->h / 2);
    cairo_rotate(g->cr, quarter_turns * M_PI / 2);
    cairo_translate(g->cr, -g->w / 2, -g->h / 2);
}

void pdfgen_next_page(pdfgen_t *g)
{
    cairo_show_page(g->cr);
    cairo_identity_matrix(g->cr);
}

int pdfgen_finish(pdfgen_t *g, char **pdf, size_t *len, char **errmsg)
{
    *pdf = NULL;
    *len = 0;
    cairo_destroy(g->cr);
    g->cr = NULL;
    cairo_surface_finish(g->surface);
    cairo_status_t st = cairo_surface_status(g->surface);
    if (st != CAIRO_STATUS_SUCCESS || g->nomem) {
        lzs_set_errmsg(errmsg, "pdfgen: cairo: %s", cairo_status_to_string(st));
        pdfgen_free(g);
        return -1;
    }
    *pdf = (char *)g->buf;
    *len = g->len;
    g->buf = NULL;
    pdfgen_free(g);
    return 0;
}

void pdfgen_free(pdfgen_t *g)
{
    if (g == NULL)
        return;
    if (g->cr != NULL)
        cairo_destroy(g->cr);
    if (g->surface != NULL)
        cairo_surface_destroy(g->surface);
    free(g->buf);
    free(g);
}
