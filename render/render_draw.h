/*
 * render_draw.h - the drawing primitives every part of a map's page
 * shares: the symbol shapes, a symbol and a cluster circle drawn with
 * their edge, the hatched fill of deserts and the dotted edge of no data.
 *
 * All sizes are in points on a cairo context whose user space is the
 * page in points.  Nothing here knows the map: callers pass positions,
 * sizes and colours (0xRRGGBB).
 */
#ifndef RENDER_DRAW_H
#define RENDER_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "render/render_spec.h"

/* The edge of symbols and cluster circles, and their count's ink. */
#define RENDER_INK_SYMBOL_EDGE 0x262626u
/* A cluster circle's fill. */
#define RENDER_INK_CLUSTER_FILL 0xffffffu
/* The ring of a cluster whose categories are not shown (the legend). */
#define RENDER_INK_CLUSTER_RING 0x9a9a9au
/* The lines of a desert's hatch and outline. */
#define RENDER_INK_DESERT_LINE 0x252525u

/* Fills that are not flat colours.  Suppressed areas are a flat grey
 * (RENDER_SUPPRESSED_COLOR), not a pattern: hatching means a desert. */
enum render_hatch {
	HATCH_NONE = 0,
	HATCH_DESERT, /* dark forward-diagonal lines, no fill */
	HATCH_NODATA  /* white fill, dotted edge (legend swatches) */
};

/* The dotted edge of areas with no data: width and dash at type scale
 * f, on the current path (not consumed); colour RENDER_NODATA_EDGE. */
void render_dotted_edge(cairo_t *cr, double f);

/* Add the path of a symbol of size s (about its diameter) centred at
 * x, y to the current path. */
void render_symbol_path(cairo_t *cr, enum render_shape shape, double x,
			double y, double s);

/* Fill and outline one symbol (a new path): fill colour, edge width in
 * points. */
void render_draw_symbol(cairo_t *cr, enum render_shape shape, double x,
			double y, double s, uint32_t fill, double edge);

/* The grey edge of a muted mark. */
#define RENDER_INK_MUTED_EDGE 0x969696u

/* How a symbol shows an asset's partnership status (render_spec.h's
 * enum render_partners): filled in its colour (a current partner, and
 * every symbol of a map that does not show status), outlined (a thick
 * ring of its colour between two thin dark edges, the inside left
 * clear: a prospective partner), or muted (smaller, its colour faded
 * towards white under a grey edge: any other asset). */
enum render_mark {
	RENDER_MARK_FILLED = 0,
	RENDER_MARK_HOLLOW,
	RENDER_MARK_MUTED
};

/* The size to draw a mark at, for a symbol of size s. */
double render_mark_size(enum render_mark mark, double s);

/* Colour c faded towards white, as a muted mark fills. */
uint32_t render_muted_color(uint32_t c);

/* Paint the current path (symbol paths drawn at render_mark_size) as
 * mark in colour c, for symbols of size s with an edge of width edge
 * (points); the path is consumed, line width and colour left changed. */
void render_paint_mark(cairo_t *cr, enum render_mark mark, uint32_t c, double s,
		       double edge);

/* One symbol as a mark (a new path): render_mark_size, then
 * render_paint_mark. */
void render_draw_mark(cairo_t *cr, enum render_shape shape, double x, double y,
		      double s, uint32_t c, enum render_mark mark, double edge);

/* Diameter in points of the circle of a cluster of n symbols at type
 * scale f. */
double render_cluster_size(size_t n, double f);

/* A cluster's ring at x, y and, when pc is not NULL, its count n
 * written in it; f is the type scale.  The ring is drawn in neutral grey
 * (the legend's example of a cluster). */
void render_draw_cluster(cairo_t *cr, PangoContext *pc, double x, double y,
			 size_t n, double f);

/* The ring of a cluster of diameter s at x, y (a new path, consumed):
 * k segments clockwise from the top, segment j of colour colors[j]
 * (0xRRGGBB) and of angle proportional to counts[j] (zero counts take
 * none), round a white centre that the count is written in; edges at
 * type scale f.  k 0 or all counts 0: one neutral grey ring. */
void render_draw_cluster_ring(cairo_t *cr, double x, double y, double s,
			      const uint32_t *colors, const size_t *counts,
			      size_t k, double f);

/* Inner diameter of the ring of a cluster of diameter s. */
#define RENDER_CLUSTER_HOLE 0.6

/* Fill the current path with hatch h (clipped to it) at type scale f;
 * the path is consumed and cr's state is left as it was.  HATCH_NODATA
 * fills white and strokes the path's edge dotted. */
void render_hatch_fill(cairo_t *cr, enum render_hatch h, double f);

#endif
