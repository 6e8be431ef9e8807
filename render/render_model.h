/*
 * render_model.h - the map model: what render_map builds from the
 * workspace and its spec (the areas and their classes, the symbols, the
 * legend's rows, the page's layout and transform), and what the pieces
 * that fill and draw it read: render_layers (areas, deserts, symbols),
 * render_furniture (frame, title, legend, north arrow, scale bar, note)
 * and render_context (outlines, labels, inset).
 *
 * Private to render_map and those pieces; everyone else sees a map only
 * through render_map.h.  The map owns every pointer in it
 * (render_map_free).
 */
#ifndef RENDER_MODEL_H
#define RENDER_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "geo/geo_load.h"
#include "geo/geo_proj.h"
#include "render/render_classify.h"
#include "render/render_draw.h"
#include "render/render_spec.h"
#include "render/render_text.h"

struct render_context;
struct render_basemap;

struct render_box {
	double x, y, w, h;
};

struct render_cat {
	char *code;
	char *name;
	uint32_t color;
	enum render_shape shape;
	size_t count; /* assets drawn */
};

/* One line of the legend. */
enum legend_kind {
	LEGEND_HEADER, /* bold heading */
	LEGEND_NOTE,   /* small grey line under a heading */
	LEGEND_SWATCH, /* filled box, text, count */
	LEGEND_SYMBOL, /* asset symbol, text, count */
	LEGEND_BIVAR   /* the 3 x 3 square with its axes */
};

struct legend_row {
	enum legend_kind kind;
	char *text;
	char *count; /* NULL: none */
	uint32_t color;
	enum render_shape shape;
	int section;		 /* 0 areas, 1 assets */
	enum render_hatch hatch; /* swatch drawn as this hatch */
	double size;		 /* symbol size in points; 0: the default */
	int cluster;		 /* symbol drawn as a cluster circle */
	enum render_mark mark;	 /* symbol: filled, outlined or muted */
	int outline;		 /* swatch: a dark frame, as the bivariate
				  * key frames its high-need, low-access
				  * cell */
};

/* Polygons drawn as one path (deserts): rings of points, page-ready
 * projected metres. */
struct render_rings {
	size_t n;      /* rings */
	size_t *start; /* [n + 1] point offsets */
	double *x, *y;
};

/* A group of overlapping symbols, drawn as one ring of its categories
 * round its count. */
struct render_cluster {
	double px, py; /* page points: the members' mean */
	size_t n;
	size_t *ncat; /* [map's ncats] members of each category */
};

enum render_shade { SHADE_NONE, SHADE_CHORO, SHADE_BIVAR };

struct render_map {
	/* what was asked */
	enum render_format format;
	enum render_units units;
	char *title, *subtitle, *note, *creator;
	time_t date;
	int date_fixed; /* date came from the spec or SOURCE_DATE_EPOCH */
	char *level;
	char *indicator; /* NULL: unshaded */

	/* data */
	struct geo_proj *proj;
	struct geo_areas *areas;
	struct geo_assets *assets;
	int has_extent; /* the frame shows ext, not the data */
	double ext[4];	/* projected x0, y0, x1, y1 of spec's extent */
	struct render_classes classes;
	uint32_t class_color[RENDER_CLASSES_MAX];
	int *area_class; /* [areas->n] class (choropleth) or cell
			  * y * 3 + x (bivariate); RENDER_CLASS_NODATA,
			  * RENDER_CLASS_SUPPRESSED */
	enum render_shade shade;
	char *value_label; /* legend heading of what is shaded */
	char *value_note;  /* its note line */
	size_t nsuppressed, nnodata;
	int privacy_note; /* the page says counts 1..10 are hidden */
	char *warning;	  /* for the CLI to print, or NULL */
	/* A cohort map with more than a third of its areas suppressed and
	 * no --areas: what to do instead, for the CLI to print; NULL. */
	char *advice;
	/* --areas hex: the hexagons' width in metres (0: not hexagons). */
	double hex_width;
	/* --areas: the cohort's people added up by where they are (points
	 * located in the map's areas), not by their tracts' GEOIDs. */
	int sum_by_points;
	enum render_method method;
	/* bivariate */
	struct render_classes bx, by;
	uint32_t bivar_color[3][3];
	size_t bivar_count[9];
	char *bivar_xname, *bivar_yname;
	int bivar_pct[2]; /* need, access: 0..1 values shown as % */
	int choro_pct;	  /* the choropleth's 0..1 values shown as % */
	/* deserts */
	struct render_rings *deserts;
	char *desert_label;
	/* symbols */
	double *sym_size;     /* [assets->n] points, or NULL: default */
	double sym_base;      /* default symbol size, points */
	double cap_ref;	      /* capacity drawn at sym_base; NaN: none */
	double cap_legend[3]; /* capacities shown in the size legend */
	size_t cap_unknown;   /* assets with no capacity */
	int no_cluster;
	int cluster_row; /* the legend explains clusters */
	struct render_cluster *clusters;
	size_t nclusters;
	int *asset_cluster; /* [assets->n] cluster index, -1 none */
	/* partnership status (spec->partners not OFF) */
	enum render_partners partners;
	unsigned char *pstatus; /* [assets->n] enum geo_partner_status
				 * (geo_recruit.h), or NULL: not shown */
	size_t nstatus[3];	/* shown assets by that status */
	struct render_context *context;
	struct render_basemap *basemap; /* NULL: none */
	int osm_credit; /* the sources line credits OpenStreetMap */
	char *subject, *author;
	struct render_cat *cats;
	size_t ncats;
	char *filter_note;    /* "only assets that ...": the spec's filter in
			       * the legend, or NULL: no filter */
	unsigned char *shown; /* [assets->n] 1 when inside the frame */
	size_t outside;

	/* legend */
	struct legend_row *rows;
	size_t nrows;

	/* page, in points */
	double page_w, page_h;
	double dev;    /* device units per point */
	double f;      /* type and line scale for this page size */
	double lf;     /* legend type scale (may shrink to fit) */
	double text_w; /* width title and note wrap at */
	struct render_box title_box, note_box, frame, legend_box, ns_box;
	int legend_across; /* sections side by side (legend below map) */

	/* map transform: page = frame centre + (proj - centre) * sx */
	double sx;	  /* points per projected metre */
	double cx, cy;	  /* projected centre of the frame */
	double north;	  /* true north, radians clockwise of up */
	double ground;	  /* ground metres per projected metre */
	double bar_units; /* scale bar length in units */

	struct render_fonts fonts;
};

/* Page coordinates (points) of a projected point. */
static inline void render_to_page(const struct render_map *m, double X,
				  double Y, double *px, double *py)
{
	*px = m->frame.x + m->frame.w / 2 + (X - m->cx) * m->sx;
	*py = m->frame.y + m->frame.h / 2 - (Y - m->cy) * m->sx;
}

/* Fill colour (0xRRGGBB) of class c of the areas: a choropleth class,
 * a bivariate cell (y * 3 + x), RENDER_SUPPRESSED_COLOR (flat) for
 * RENDER_CLASS_SUPPRESSED, and for no value RENDER_NODATA_COLOR (its
 * edge dotted), or RENDER_UNSHADED_COLOR on an unshaded map. */
static inline uint32_t render_class_fill(const struct render_map *m, int c)
{
	if (c == RENDER_CLASS_SUPPRESSED)
		return RENDER_SUPPRESSED_COLOR;
	if (m->shade == SHADE_BIVAR && c >= 0 && c < 9)
		return m->bivar_color[c / 3][c % 3];
	if (c < 0 || c >= m->classes.n)
		return m->shade != SHADE_NONE ? RENDER_NODATA_COLOR
					      : RENDER_UNSHADED_COLOR;
	return m->class_color[c];
}

#endif
