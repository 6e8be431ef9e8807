/*
 * render_text.h - the type of every page: one font, its options, and
 * Pango layouts of it; and colours as 0xRRGGBB.
 *
 * Maps (render_map), charts and tables (render_chart) set their type the
 * same way, so a map book's pages and its maps look alike and the bytes
 * of a file do not depend on the machine's font settings.
 */
#ifndef RENDER_TEXT_H
#define RENDER_TEXT_H

#include <stdint.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#define RENDER_FONT_FAMILY "DejaVu Sans"

struct render_fonts {
	PangoFontMap *fontmap; /* sizes in points (72 an inch) */
	cairo_font_options_t *fopts;
};

/*
 * No hinting and grey antialiasing.  raster: advances on whole pixels
 * (cairo 1.16 puts a PNG's glyphs on whole pixels, so advances must be
 * whole pixels too or the spacing wobbles); otherwise exact outlines and
 * positions for PDF and SVG.  Release with render_fonts_release.
 */
void render_fonts_init(struct render_fonts *f, int raster);
void render_fonts_release(struct render_fonts *f);

/* A text context of these fonts for cr, after cr's transformation is
 * set; raster: glyph positions rounded to whole device units (PNG), as
 * render_fonts_init's raster.  Caller unrefs. */
PangoContext *render_text_context(const struct render_fonts *f, int raster,
				  cairo_t *cr);

/* A layout of text (NULL: empty) at size points, bold or not, wrapped at
 * width points when width > 0.  Caller unrefs. */
PangoLayout *render_text(PangoContext *pc, const char *text, double size,
			 int bold, double width);

/* Logical size of a layout, in points; either pointer may be NULL. */
void render_text_size(PangoLayout *l, double *w, double *h);

/* The source colour of cr from 0xRRGGBB. */
void render_set_rgb(cairo_t *cr, uint32_t rgb);

/* Show lay with its top left at x, y in colour ink over a halo: the
 * text's outline stroked halo_w points wide in colour halo (a path; the
 * text over it stays text).  The current path is left empty. */
void render_show_haloed(cairo_t *cr, PangoLayout *lay, double x, double y,
			uint32_t halo, double halo_w, uint32_t ink);

#endif
