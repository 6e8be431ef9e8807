/*
 * render_stamp.h - many symbols of one kind drawn at once, the fastest
 * way the output allows, looking as render_draw.h's marks do.
 *
 * A map may carry 100,000 symbols.  As paths, each one costs a PDF its
 * vertices written as text and deflated (about 150 bytes a symbol) and
 * a raster its own scan conversion.  Here a symbol is a glyph of a
 * small user font (cairo's user fonts) whose glyphs are the symbol
 * shapes and their edges:
 *   - a PDF writes each shape once, as a Type 3 font, and each symbol
 *     as a glyph position; the glyphs carry empty text, so that text
 *     extraction (pdftotext, a viewer's copy) finds nothing in them;
 *   - an image draws each shape once per size into cairo's glyph cache
 *     and composites it at each symbol (at the nearest whole pixel);
 *   - SVG keeps paths (render_symbol_path), which other tools edit.
 * Sizes are rounded to 1/16 point, so that a map's symbols share a few
 * fonts.
 */
#ifndef RENDER_STAMP_H
#define RENDER_STAMP_H

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>

#include "render/render_draw.h"
#include "render/render_spec.h"

/* The stamps of one drawing: how symbols are drawn on one output. */
struct render_stamps;

/* Stamps for drawing to an output of format fmt, for a map whose base
 * symbol size is base, with symbol edges edge points wide.  Free with
 * render_stamps_free. */
struct render_stamps *render_stamps_new(enum render_format fmt, double edge,
					double base);

void render_stamps_free(struct render_stamps *st);

/* Draw n marks (render_draw.h's render_draw_mark of each, the fills of
 * all before the edges of all, as render_paint_mark does for a path
 * holding all n) of shape, mark and colour c at page points (x[i],
 * y[i]), symbol sizes s[i] (before render_mark_size).  The current
 * path is left empty. */
void render_stamps_draw(struct render_stamps *st, cairo_t *cr,
			enum render_shape shape, enum render_mark mark,
			uint32_t c, const double *x, const double *y,
			const double *s, size_t n);

#endif
