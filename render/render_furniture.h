/*
 * render_furniture.h - what a page holds around the map: the frame, the
 * title and subtitle, the legend, the north arrow and scale bar, the
 * source note.
 *
 * render_map measures the legend and the north arrow block while it lays
 * the page out, and formats the legend's numbers with these helpers;
 * when it draws the page it calls render_furniture_draw_frame after the
 * layers and render_furniture_draw after that.  Drawing reads the map
 * model (render_model.h) and never changes it.
 */
#ifndef RENDER_FURNITURE_H
#define RENDER_FURNITURE_H

#include <stddef.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "render/render_classify.h"
#include "render/render_model.h"

/* A value for a legend, with decimals digits and thousands separators,
 * into buf of n bytes (truncated to fit). */
void render_format_number(double v, int decimals, char *buf, size_t n);

/* Decimals that show the classes' ranges distinctly (0 to 6). */
int render_class_decimals(const struct render_classes *c);

/* Size of the legend box (m->rows) at type scale lf, stacked or side by
 * side (across), in points. */
void render_legend_measure(struct render_map *m, PangoContext *pc, double lf,
			   int across, double *w, double *h);

/* Height the north arrow and scale bar block needs at scale f. */
double render_ns_height(double f);

/* The frame's line around the map. */
void render_furniture_draw_frame(const struct render_map *m, cairo_t *cr);

/* Title and subtitle, legend, north arrow, scale bar and source note,
 * in that order. */
void render_furniture_draw(struct render_map *m, PangoContext *pc, cairo_t *cr);

#endif
