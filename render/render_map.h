/*
 * render_map.h - a print map of a workspace: areas shaded by an
 * indicator in quantile classes, assets as category symbols, and the
 * furniture (title, legend, scale bar, north arrow, source note), to PNG,
 * PDF or SVG.
 *
 * Two steps.  render_map_build reads the workspace, classifies, and lays
 * the page out; render_map_write draws it to a file.  Between them the
 * map answers questions (which indicator, which classes, where a
 * lon/lat lands on the page), which is what the tests use.
 *
 * Units: the page is laid out in points (1/72 inch).  A PNG is drawn at
 * spec->dpi (default RENDER_PNG_DPI) dots per inch, so one point is
 * dpi / 72 pixels.  The page size:
 *   - spec->page set ("letter", "tabloid", "a4", landscape unless
 *     spec->portrait): the page is that size in points, whatever width
 *     and height say; a PNG of it is round(points * dpi / 72) pixels
 *     (letter landscape at 200 dpi: 2200 x 1700);
 *   - otherwise PNG: width x height pixels (type and lines scale with
 *     dpi: the same pixels at a higher dpi is a smaller page in points,
 *     so larger type); PDF, SVG: width x height points.
 * Device coordinates are pixels for PNG and points for PDF/SVG, origin
 * at the top left, y down.
 *
 * Ownership: render_map_build returns a map the caller frees with
 * render_map_free (NULL is fine).  The spec's strings are copied.
 * Accessors return borrowed pointers valid until render_map_free.
 */
#ifndef RENDER_MAP_H
#define RENDER_MAP_H

/* The credit a map gives when it draws a result measured on the road
 * network (OpenStreetMap's roads, 'assetmap import roads'). */
#define RENDER_OSM_CREDIT "\xc2\xa9 OpenStreetMap contributors"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cairo.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "render/render_indicator.h"
#include "render/render_spec.h"

struct geo_areas;

/* Defaults: PNG 2400 x 1800 px, tract, 5 classes, miles. */
void render_spec_init(struct render_spec *s);

/* The format from a file name's extension (.png, .pdf, .svg; any case);
 * CORE_EUSAGE otherwise. */
int render_format_of_path(const char *path, enum render_format *out,
			  struct core_err *err);

/* Page size in points of "letter", "tabloid" or "a4"; portrait unless
 * landscape.  CORE_EUSAGE for other names. */
int render_page_size(const char *name, int landscape, double *w, double *h,
		     struct core_err *err);

struct render_map;

/*
 * Read the workspace, classify and lay out the page.  Errors: an unknown
 * level, indicator, palette or category (CORE_ENOTFOUND or CORE_EUSAGE),
 * a page too small for its furniture (CORE_EUSAGE), a workspace with
 * nothing to map (CORE_ENOTFOUND), spec->partners with no partnership
 * register (CORE_ENOTFOUND, saying how to load one).
 */
int render_map_build(struct core_ws *ws, const struct render_spec *spec,
		     struct render_map **out, struct core_err *err);

/*
 * Draw the map to path, in the spec's format.  The file is written
 * beside path under a temporary name and renamed into place, so a failed
 * render leaves nothing half-written.  Errors name path.
 */
int render_map_write(struct render_map *m, const char *path,
		     struct core_err *err);

void render_map_free(struct render_map *m);

/*
 * Draw the whole page (map, furniture) on cr, whose user space is the
 * page in points with its origin at the page's top left; the caller may
 * translate or scale first (render_atlas puts a map on part of a page).
 * Errors: cairo's.
 */
int render_map_draw(struct render_map *m, cairo_t *cr, struct core_err *err);

/* Where lon/lat lands on the page, in device coordinates. */
int render_map_device_xy(const struct render_map *m, double lon, double lat,
			 double *x, double *y, struct core_err *err);

/* Where lon/lat lands in the map's projected plane (metres): the
 * coordinates of render_map_areas. */
int render_map_ground_xy(const struct render_map *m, double lon, double lat,
			 double *x, double *y, struct core_err *err);

/* The areas drawn (hexagons with --areas hex), projected; borrowed. */
const struct geo_areas *render_map_areas(const struct render_map *m);

/* The value shading area i: a count for a cohort, NaN when suppressed
 * or when there is none. */
double render_map_area_value(const struct render_map *m, size_t i);

/* Device size of the page (pixels for PNG, points otherwise). */
void render_map_device_size(const struct render_map *m, double *w, double *h);

/* The indicator shading the areas, or NULL when they are unshaded. */
const char *render_map_indicator(const struct render_map *m);
const char *render_map_title(const struct render_map *m);
const char *render_map_crs_label(const struct render_map *m);
size_t render_map_area_count(const struct render_map *m);
const struct render_classes *render_map_classes(const struct render_map *m);
/* Fill colour (0xRRGGBB) of class c, or RENDER_NODATA_COLOR for c < 0. */
uint32_t render_map_class_color(const struct render_map *m, int c);

/* The categories shown, in legend order. */
size_t render_map_category_count(const struct render_map *m);
const char *render_map_category_code(const struct render_map *m, size_t i);
uint32_t render_map_category_color(const struct render_map *m, size_t i);
enum render_shape render_map_category_shape(const struct render_map *m,
					    size_t i);
/* Assets of category i drawn on the map. */
size_t render_map_category_assets(const struct render_map *m, size_t i);
/* Assets of the chosen categories that fall outside the map frame and
 * are neither drawn nor counted. */
size_t render_map_assets_outside(const struct render_map *m);

/* The scale bar's length in the spec's units (1, 2, 5, 10, ...). */
double render_map_scale_bar_length(const struct render_map *m);

/* A warning for the user (an unsafe palette for colour-blind readers),
 * or NULL.  The map is drawn regardless; the CLI prints it. */
const char *render_map_warning(const struct render_map *m);
/* A cohort map of which more than a third of the areas are suppressed,
 * drawn without spec->cohort_areas: a note for the CLI naming the
 * coarser areas the workspace has and the option that adds the counts
 * up into them; else NULL. */
const char *render_map_advice(const struct render_map *m);
/* With spec->cohort_areas "hex": the hexagons' width across in metres;
 * else 0. */
double render_map_hex_width(const struct render_map *m);
/* Area i (0 .. render_map_area_count - 1, in GEOID order): its GEOID, and
 * its class: a choropleth class, for a bivariate map y * 3 + x (x need
 * tertile, y access tertile), or RENDER_CLASS_NODATA /
 * RENDER_CLASS_SUPPRESSED.  render_map_class_color gives its fill
 * (bivariate: of cell c; RENDER_CLASS_SUPPRESSED: the flat
 * RENDER_SUPPRESSED_COLOR). */
const char *render_map_area_geoid(const struct render_map *m, size_t i);
int render_map_area_class(const struct render_map *m, size_t i);
/* Areas suppressed for privacy, and areas with no value. */
size_t render_map_suppressed_count(const struct render_map *m);
size_t render_map_nodata_count(const struct render_map *m);
/* 1 when the map is a 3 x 3 bivariate choropleth. */
int render_map_is_bivariate(const struct render_map *m);
/* Clusters of overlapping symbols drawn (0 with spec->no_cluster), and
 * the page position (device units) and size of cluster i. */
size_t render_map_cluster_count(const struct render_map *m);
void render_map_cluster(const struct render_map *m, size_t i, double *x,
			double *y, size_t *n);
/* On a map of partnership status (spec->partners): the assets shown
 * that are current partners, prospective partners and neither (former,
 * none, not in the register), and 1; else 0 and zeros. */
int render_map_partners(const struct render_map *m, size_t *current,
			size_t *prospective, size_t *other);
/* Desert rings drawn (0 without spec->deserts), and the legend label. */
size_t render_map_desert_rings(const struct render_map *m);
const char *render_map_desert_label(const struct render_map *m);

#endif
