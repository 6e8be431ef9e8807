/*
 * render_spec.h - what a map is asked to show (struct render_spec) and
 * the names and constants of a map's parts that every piece of the
 * renderer shares: formats, units, symbol shapes, the fills of areas
 * with no value or a suppressed one.
 *
 * Types only: render_map.h declares the functions that take a spec
 * (render_spec_init, render_map_build), and its file comment says what
 * the units of a page are.
 */
#ifndef RENDER_SPEC_H
#define RENDER_SPEC_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "render/render_classify.h"

struct geo_filter;
struct geo_basemap;

#define RENDER_PNG_DPI 200.0
/* Areas with no value for the indicator: white, their edge dotted
 * (RENDER_NODATA_EDGE), so that neither colour nor greyscale print
 * takes them for a class or for a suppressed area. */
#define RENDER_NODATA_COLOR 0xffffffu
#define RENDER_NODATA_EDGE  0x4d4d4du
/* Areas when there is no indicator to shade by. */
#define RENDER_UNSHADED_COLOR 0xf0f0f0u
/* Areas whose count is suppressed (1 to 10): a flat light grey, with
 * no pattern (hatching is the deserts'), its luminance (198) well apart
 * from no data's white and from a desert's dark hatch in greyscale. */
#define RENDER_SUPPRESSED_COLOR 0xc6c6c6u
/* render_map_area_class for an area with no value, and for one whose
 * value is suppressed for privacy. */
#define RENDER_CLASS_NODATA	(-1)
#define RENDER_CLASS_SUPPRESSED (-2)

enum render_format { RENDER_PNG, RENDER_PDF, RENDER_SVG };

/* Asset symbols by the partnership register (schema 7's partners table):
 * a current partner's symbol filled, a prospective partner's outlined
 * (hollow, the same shape and colour), any other asset (former, none, or
 * not in the register) small and muted.  Beyond RENDER_PARTNERS_ALL the
 * map draws only the assets of those statuses, as the analyses'
 * --partners filter counts them. */
enum render_partners {
	RENDER_PARTNERS_OFF = 0,     /* symbols by category only */
	RENDER_PARTNERS_ALL,	     /* every asset, styled by status */
	RENDER_PARTNERS_CURRENT,     /* current partners only */
	RENDER_PARTNERS_PROSPECTIVE, /* prospective partners only */
	RENDER_PARTNERS_ANY	     /* current and prospective partners */
};
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
	const char *title;    /* NULL: a default naming the indicator */
	const char *subtitle; /* NULL: none */
	/* The legend's heading of what is shaded; NULL: its label (the
	 * data dictionary's, a user's --label, the result's words). */
	const char *legend_title;
	enum render_units units; /* of the scale bar; default miles */
	const char *creator;	 /* "assetmap 0.1.0": PDF metadata, note */
	/* The date in the source note; 0 means $SOURCE_DATE_EPOCH when
	 * set, else now.  Also the PDF's creation date when set. */
	time_t date;

	/* Zero / NULL below always means the default. */

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
	/* --areas: the areas the cohort's counts are added up into, so
	 * that fewer are suppressed: a level the workspace has ("zcta",
	 * "county", "neighborhood", ...) or "hex", a grid of hexagons sized
	 * so that most reach 11; NULL: the map's level.  Suppression applies
	 * at the new areas as at any. */
	const char *cohort_areas;

	/* A deserts run (reference as above) drawn as hatched polygons
	 * over the choropleth. */
	const char *deserts;

	/* Asset symbols. */
	int no_assets;	      /* 1: none */
	int size_by_capacity; /* 1: symbol area grows with capacity */
	int no_cluster;	      /* 1: draw overlapping symbols as they are
			       * (default: offset or cluster them at small
			       * scale, the cluster's count written in it) */
	/* Symbol style by partnership status; not OFF: the workspace's
	 * register must have rows (render_map_build says how to load one
	 * otherwise).  Partners are never gathered into clusters. */
	enum render_partners partners;
	/* Only the assets that pass this filter, the analyses' supply
	 * filters (geo_input.h: --medi-cal, --language, ...); NULL or
	 * nothing set: every asset.  filter_words says in the legend what
	 * it asks, as the end of "only assets that ..." ("accept Medi-Cal
	 * and list Spanish"); NULL: geo_filter_describe's text. */
	const struct geo_filter *filter;
	const char *filter_words;

	/* Outlines on top of everything but symbols: areas of this level
	 * (e.g. "county").  NULL: counties when the workspace has them and
	 * the map shows a finer level; "" or "none": no outlines. */
	const char *outline;
	int no_labels; /* 1: no labels of the outlined places */
	/* The frame shows this lon/lat box (west, south, east, north,
	 * degrees) and the automatic projection is centred on it, in place
	 * of the extent of the areas drawn; whatever lies outside is
	 * clipped at the frame.  has_extent 0: the areas'. */
	int has_extent;
	double extent[4];
	int no_inset; /* 1: no inset locator map */
	/* A basemap under the areas (render_basemap.h): water, roads and
	 * the names of streets and places, the caller's (the map copies
	 * what it draws).  NULL: none. */
	const struct geo_basemap *basemap;
	/* What the map file and the command line name for it: an OSM
	 * extract's path, "none" (not even the workspace's roads), or NULL
	 * (the workspace's roads when it has them).  The caller reads it
	 * into basemap; only the map file keeps it. */
	const char *basemap_file;

	/* PDF document information (title is the map's title). */
	const char *author;  /* NULL: none */
	const char *subject; /* NULL: a sentence naming what is shaded */
};

#endif
