/*
 * render_basemap.h - a light basemap under the choropleth: water, roads
 * by class (motorway widest; residential streets only at large scales),
 * and the names of major streets and of places, placed without
 * collisions.
 *
 * render_map_build loads it after the page's layout and context (the
 * labels keep clear of the frame's edge, the legend, the title and note,
 * the inset, the context's labels and the asset symbols); render_map_draw
 * draws the water and roads over the areas' fill (semi-transparent, so
 * the classes still read through them) and under the symbols, and the
 * labels before the context's labels.
 *
 * Drawing is made cheap at load: features wholly outside the frame are
 * dropped, vertices closer than half a device pixel to the last one kept
 * are dropped, and each class is stroked as one path.
 *
 * Ownership: the map owns its basemap (render_basemap_free in
 * render_map_free).  The geo_basemap it is loaded from stays the
 * caller's and is not changed.
 */
#ifndef RENDER_BASEMAP_H
#define RENDER_BASEMAP_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/core_err.h"
#include "geo/geo_basemap.h"
#include "render/render_model.h"

struct render_basemap;

/*
 * Project bm's features with the map's projection into page points,
 * keep what meets the frame, simplify, and place the labels, clear of
 * the nav boxes avoid[0..navoid-1] (page points) besides the map's own
 * furniture and symbols.  *out is never NULL on success.  CORE_ELIB from
 * PROJ.
 */
int render_basemap_load(const struct render_map *m,
			const struct geo_basemap *bm,
			const struct render_box *avoid, size_t navoid,
			struct render_basemap **out, struct core_err *err);

/* Whether any feature lies in the frame (the page credits OSM). */
int render_basemap_drawn(const struct render_basemap *b);

/* Water and roads (the caller clips to the frame). */
void render_basemap_draw_under(const struct render_basemap *b,
			       const struct render_map *m, cairo_t *cr);
/* The street and place names. */
void render_basemap_draw_labels(const struct render_basemap *b,
				const struct render_map *m, PangoContext *pc,
				cairo_t *cr);

/* For tests: the labels placed, and label i's box in page points. */
size_t render_basemap_label_count(const struct render_basemap *b);
const char *render_basemap_label(const struct render_basemap *b, size_t i);
void render_basemap_label_box(const struct render_basemap *b, size_t i,
			      double *x, double *y, double *w, double *h);

void render_basemap_free(struct render_basemap *b);

#endif
