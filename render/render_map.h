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

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cairo.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "render/render_classify.h"

#define RENDER_PNG_DPI 200.0
/* Areas with no value for the indicator. */
#define RENDER_NODATA_COLOR 0xccccccu
/* Areas when there is no indicator to shade by. */
#define RENDER_UNSHADED_COLOR 0xf0f0f0u
/* Areas whose count is suppressed (1 to 10): this light fill under fine
 * grey back-diagonal lines, legible in greyscale. */
#define RENDER_SUPPRESSED_COLOR 0xf7f7f7u
/* render_map_area_class for an area with no value, and for one whose
 * value is suppressed for privacy. */
#define RENDER_CLASS_NODATA	(-1)
#define RENDER_CLASS_SUPPRESSED (-2)

enum render_format { RENDER_PNG, RENDER_PDF, RENDER_SVG };
enum render_units { RENDER_MILES, RENDER_KM };

/* Symbol shapes, given to categories in legend order (then repeating). */
enum render_shape {
	RENDER_CIRCLE,
	RENDER_SQUARE,
	RENDER_TRIANGLE,
	RENDER_DIAMOND,
	RENDER_TRIANGLE_DOWN,
	RENDER_PENTAGON,
	RENDER_HEXAGON,
	RENDER_STAR,
	RENDER_NSHAPES
};

struct render_spec {
	enum render_format format;
	double width, height;  /* PNG: pixels; PDF, SVG: points */
	const char *level;     /* area level; default "tract" */
	const char *indicator; /* NULL: render_default_indicator's choice */
	int classes;	       /* 1..9; default 5 */
	/* ColorBrewer name; NULL: YlOrRd, or Blues when the categories
	 * shown are mostly warm colours that would sink into YlOrRd. */
	const char *palette;
	/* Category codes to show, in legend order; NULL: every category
	 * that has assets, in the taxonomy's order. */
	const char *const *categories;
	size_t ncategories;
	const char *title;	 /* NULL: a default naming the indicator */
	const char *subtitle;	 /* NULL: none */
	enum render_units units; /* of the scale bar; default miles */
	const char *creator;	 /* "assetmap 0.1.0": PDF metadata, note */
	/* The date in the source note; 0 means $SOURCE_DATE_EPOCH when
	 * set, else now.  Also the PDF's creation date when set. */
	time_t date;

	/* ---- issue 5 additions.  Zero / NULL always means the default,
	 * so a spec from render_spec_init draws what it drew before. ---- */

	/* The page.  PNG: width/height are pixels at dpi (default
	 * RENDER_PNG_DPI); dpi scales type and lines with the pixels.
	 * page: the named size ("letter", "tabloid", "a4") the width and
	 * height came from, kept for the style file; NULL: custom size. */
	double dpi;
	const char *page;
	int portrait; /* with page: upright instead of landscape */

	/* Value references.  A choropleth or bivariate axis shades by a
	 * "value": an indicator's name (never contains ':'), or
	 * "RUN:COLUMN", a per-area column of a stored result (RUN is a run
	 * id, "last", or an analysis name meaning its newest run, as
	 * core_run_find takes it).  Result cells suppressed for privacy
	 * are drawn as "Suppressed (1-10)", a legend entry of their own. */

	/* Classification of the choropleth (render_classify.h). */
	enum render_method method; /* default RENDER_QUANTILE */
	const double *breaks;	   /* RENDER_MANUAL: inner breaks, */
	size_t nbreaks;		   /* ascending; classes = nbreaks+1 */

	/* A 3 x 3 bivariate choropleth, need (x) against access (y), in
	 * place of the single choropleth when both are set; tertile classes
	 * of each; its square legend. */
	const char *bivar_x;	   /* value reference: need */
	const char *bivar_y;	   /* value reference: access */
	const char *bivar_palette; /* render_bivar_find name; NULL default */

	/* Shade by a cohort's count of members per area (suppressed from 1
	 * to 10), in place of the indicator.  Never points. */
	const char *cohort;

	/* A deserts run (reference as above) drawn as hatched polygons
	 * over the choropleth. */
	const char *deserts;

	/* Asset symbols. */
	int no_assets;	      /* 1: none */
	int size_by_capacity; /* 1: symbol area grows with capacity */
	int no_cluster;	      /* 1: draw overlapping symbols as they are
			       * (default: offset or cluster them at small
			       * scale, the cluster's count written in it) */

	/* Outlines on top of everything but symbols: areas of this level
	 * (e.g. "county").  NULL: counties when the workspace has them and
	 * the map shows a finer level; "" or "none": no outlines. */
	const char *outline;
	int no_labels; /* 1: no labels of the outlined places */
	int no_inset;  /* 1: no inset locator map */

	/* PDF document information (title is the map's title). */
	const char *author;  /* NULL: none */
	const char *subject; /* NULL: a sentence naming what is shaded */
};

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

/*
 * The indicator a map of this level shades by when none is named:
 * RPL_THEMES (CDC SVI overall percentile) if the level's areas have it,
 * else the first (by name) whose name contains "svi", else the first by
 * name.  *name is NULL when the level's areas have no indicators; the
 * caller frees it.
 */
int render_default_indicator(struct core_ws *ws, const char *level, char **name,
			     struct core_err *err);

struct render_map;

/*
 * Read the workspace, classify and lay out the page.  Errors: an unknown
 * level, indicator, palette or category (CORE_ENOTFOUND or CORE_EUSAGE),
 * a page too small for its furniture (CORE_EUSAGE), a workspace with
 * nothing to map (CORE_ENOTFOUND).
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

/* ---- issue 5 questions ---- */

/* A warning for the user (an unsafe palette for colour-blind readers),
 * or NULL.  The map is drawn regardless; the CLI prints it. */
const char *render_map_warning(const struct render_map *m);
/* Area i (0 .. render_map_area_count - 1, in GEOID order): its GEOID, and
 * its class: a choropleth class, for a bivariate map y * 3 + x (x need
 * tertile, y access tertile), or RENDER_CLASS_NODATA /
 * RENDER_CLASS_SUPPRESSED.  render_map_class_color gives its fill
 * (bivariate: of cell c; RENDER_CLASS_SUPPRESSED:
 * RENDER_SUPPRESSED_COLOR under the hatch). */
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
/* Desert rings drawn (0 without spec->deserts), and the legend label. */
size_t render_map_desert_rings(const struct render_map *m);
const char *render_map_desert_label(const struct render_map *m);

#endif
