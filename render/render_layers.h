/*
 * render_layers.h - the map's layers: their data, read from the
 * workspace into the map model, and how they are drawn.
 *
 * Areas: shaded as a choropleth of a value reference (an indicator,
 * "RUN:COLUMN" of a stored result, or a cohort's members per area, with
 * small counts suppressed) or as a 3 x 3 bivariate map.  Deserts: a
 * deserts run's polygons, hatched over the choropleth.  Symbols: the
 * assets, optionally sized by capacity, clustered where they overlap.
 *
 * render_map calls these in order while it builds the map (shade,
 * deserts, sizes; cluster after the layout) and draws the page (areas,
 * deserts, symbols, each inside the frame's clip).  They read and fill
 * the map model (render_model.h); what they allocate there the map owns.
 */
#ifndef RENDER_LAYERS_H
#define RENDER_LAYERS_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "render/render_model.h"
#include "render/render_palette.h"

/* Shade the areas (m->areas loaded) as the spec asks: choropleth of a
 * value reference or a cohort's counts, or bivariate; sets area_class,
 * classes, colours, value_label/note, counts, warning.  Errors: an
 * unknown value, run, column, cohort or palette (CORE_ENOTFOUND,
 * CORE_EUSAGE), the workspace's (CORE_EDB). */
int render_layers_shade(struct render_map *m, struct core_ws *ws,
			const struct render_spec *spec,
			const struct render_palette *pal, struct core_err *err);

/* spec->cohort_areas "hex": replace m->areas (the tracts, loaded in
 * m->proj) by hexagons over them and the cohort's people, of the width
 * at which at least two thirds of the hexagons with people hold 11 or
 * more (geo_hex_width); sets m->hex_width.  Errors: the cohort's. */
int render_layers_hex(struct render_map *m, struct core_ws *ws,
		      const struct render_spec *spec, struct core_err *err);

/* Load the deserts run's polygons (m->deserts) and legend label. */
int render_layers_deserts(struct render_map *m, struct core_ws *ws,
			  const struct render_spec *spec, struct core_err *err);

/* With spec->partners (not OFF): each asset's partnership status into
 * m->pstatus, from the register; beyond RENDER_PARTNERS_ALL the assets
 * of other statuses are dropped from m->assets.  Call after the assets
 * are loaded, before anything indexes them.  Errors: a register with no
 * rows at all (CORE_ENOTFOUND, saying how to load one), the
 * workspace's (CORE_EDB). */
int render_layers_partners(struct render_map *m, struct core_ws *ws,
			   const struct render_spec *spec,
			   struct core_err *err);

/* Symbol sizes from capacity (spec->size_by_capacity): m->sym_size,
 * cap_ref, cap_legend, cap_unknown. */
int render_layers_sizes(struct render_map *m, struct core_ws *ws,
			struct core_err *err);

/* Symbol size in points of capacity c (after render_layers_sizes). */
double render_layers_cap_size(const struct render_map *m, double c);

/* Size of asset i's symbol in points. */
double render_layers_symbol_size(const struct render_map *m, size_t i);

/* Group overlapping shown symbols (after the layout sets shown[]):
 * m->clusters, asset_cluster.  Current and prospective partners (with
 * m->pstatus) are never grouped. */
void render_layers_cluster(struct render_map *m);

/* Free deserts' rings (NULL is fine). */
void render_rings_free(struct render_rings *r);

/* The areas: one fill per class, then every boundary; a PNG's in
 * horizontal bands on every core when cr draws straight on the page's
 * image.  The caller has clipped to the frame. */
void render_layers_draw_areas(const struct render_map *m, cairo_t *cr);

/* The deserts over the choropleth, inside the frame's clip. */
void render_layers_draw_deserts(struct render_map *m, cairo_t *cr);

/* The symbols and clusters, inside the frame's clip.  With m->pstatus,
 * in three layers: other assets muted (and the clusters), prospective
 * partners outlined, current partners filled on top. */
void render_layers_draw_symbols(struct render_map *m, PangoContext *pc,
				cairo_t *cr);

#endif
