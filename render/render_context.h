/*
 * render_context.h - what puts a map in its place: outlines of larger
 * areas (counties, cities) drawn over the choropleth, labels of those
 * named places placed without collisions, and the inset locator map that
 * shows where the map's frame lies in its wider region.
 *
 * render_map_build loads a context after the map's frame and transform
 * are laid out; render_map_draw calls the three draw functions in
 * order: outlines (over the areas, under the symbols), labels (over the
 * symbols), inset (last, inside a corner of the frame).
 *
 * Ownership: the map owns its context (render_context_free in
 * render_map_free).  Drawing reads the map's frame and transform
 * (render_model.h: m->frame, render_to_page) and never changes the map.
 */
#ifndef RENDER_CONTEXT_H
#define RENDER_CONTEXT_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "render/render_model.h"

struct render_context;

/*
 * Load the outline level (spec->outline; NULL: "county" when the
 * workspace has counties and the map's level is finer; "" or "none":
 * none), its names for labels (unless spec->no_labels), and the inset's
 * region (unless spec->no_inset: the state or the counties around the
 * frame, when the workspace has an area larger than the frame) in the
 * map's projection.  An outline level the workspace lacks is an error
 * only when named explicitly (CORE_ENOTFOUND, naming the level).
 * *out is never NULL on success (an empty context draws nothing).
 */
int render_context_load(struct render_map *m, struct core_ws *ws,
			const struct render_spec *spec,
			struct render_context **out, struct core_err *err);

/* Outlines over the choropleth (clipped to the frame). */
void render_context_draw_outlines(const struct render_context *c,
				  const struct render_map *m, cairo_t *cr);
/* Labels of the outlined places: each inside the frame, none
 * overlapping another label, the legend or the inset; larger places
 * first, the rest dropped. */
void render_context_draw_labels(const struct render_context *c,
				const struct render_map *m, PangoContext *pc,
				cairo_t *cr);
/* The inset locator in the frame corner that hides the least data. */
void render_context_draw_inset(const struct render_context *c,
			       const struct render_map *m, cairo_t *cr);

/* What was drawn, for tests: labels placed, and the inset's box in
 * page points (w == 0 when there is no inset). */
size_t render_context_label_count(const struct render_context *c);
const char *render_context_label(const struct render_context *c, size_t i);
/* Label i's box in page points (i < render_context_label_count). */
void render_context_label_box(const struct render_context *c, size_t i,
			      double *x, double *y, double *w, double *h);
void render_context_inset_box(const struct render_context *c, double *x,
			      double *y, double *w, double *h);

void render_context_free(struct render_context *c);

/*
 * The context's own outlines (not the dissolves of the areas drawn):
 * how many there are, and the GEOID of outline i when it meets the frame
 * (NULL otherwise, or when c is NULL); for the map's sources line.
 */
size_t render_context_outline_count(const struct render_context *c);
const char *render_context_outline_geoid(const struct render_context *c,
					 size_t i);

#endif
