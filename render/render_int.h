/*
 * render_int.h - what the render/ files share and nobody else sees: the
 * map's insides, the page layout, text and symbol helpers.
 *
 * render_map.c   building the map from the workspace; layout; accessors
 * render_furniture.c  text, legend, scale bar, north arrow, symbols,
 *                number formatting; drawing the whole page
 * render_out.c   surfaces, files, PDF metadata
 * render_layers.c  the layers' data: values (indicator, result column,
 *                cohort counts), bivariate classes, desert polygons,
 *                symbol sizes and clusters; drawing hatches, deserts,
 *                symbols
 */
#ifndef RENDER_INT_H
#define RENDER_INT_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "geo/geo_load.h"
#include "geo/geo_proj.h"
#include "render/render_map.h"
#include "render/render_palette.h"
#include "render/render_text.h"

struct render_context;

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

/* Fills that are not flat colours. */
enum render_hatch {
	HATCH_NONE = 0,
	HATCH_SUPPRESSED, /* light fill, fine back-diagonal lines */
	HATCH_DESERT	  /* dark forward-diagonal lines, no fill */
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
};

/* Polygons drawn as one path (deserts): rings of points, page-ready
 * projected metres. */
struct render_rings {
	size_t n;      /* rings */
	size_t *start; /* [n + 1] point offsets */
	double *x, *y;
};

/* A group of overlapping symbols, drawn as one circle with its count. */
struct render_cluster {
	double px, py; /* page points: the members' mean */
	size_t n;
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
	enum render_method method;
	/* bivariate */
	struct render_classes bx, by;
	uint32_t bivar_color[3][3];
	size_t bivar_count[9];
	char *bivar_xname, *bivar_yname;
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
	struct render_context *context;
	char *subject, *author;
	struct render_cat *cats;
	size_t ncats;
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

/* ---- render_layers.c ---------------------------------------------- */

/* Shade the areas (m->areas loaded) as the spec asks: choropleth of a
 * value reference or a cohort's counts, or bivariate; sets area_class,
 * classes, colours, value_label/note, counts, warning. */
int render_layers_shade(struct render_map *m, struct core_ws *ws,
			const struct render_spec *spec,
			const struct render_palette *pal, struct core_err *err);
/* Load the deserts run's polygons and legend label. */
int render_layers_deserts(struct render_map *m, struct core_ws *ws,
			  const struct render_spec *spec, struct core_err *err);
/* Symbol size of capacity c (after render_layers_sizes). */
double render_layers_cap_size(const struct render_map *m, double c);
/* Symbol sizes from capacity (spec->size_by_capacity). */
int render_layers_sizes(struct render_map *m, struct core_ws *ws,
			struct core_err *err);
/* Group overlapping shown symbols (after layout sets shown[]). */
void render_layers_cluster(struct render_map *m);
/* Size of asset i's symbol in points. */
double render_layers_symbol_size(const struct render_map *m, size_t i);

void render_rings_free(struct render_rings *r);

/* Fill the current path with hatch h (clipped to it); the path is
 * consumed. */
void render_hatch_fill(cairo_t *cr, enum render_hatch h, double f);
/* The deserts over the choropleth, inside the frame's clip. */
void render_layers_draw_deserts(struct render_map *m, cairo_t *cr);
/* The symbols and clusters, inside the frame's clip. */
void render_layers_draw_symbols(struct render_map *m, PangoContext *pc,
				cairo_t *cr);
/* Fill and outline one symbol. */
void render_draw_symbol(cairo_t *cr, enum render_shape shape, double x,
			double y, double s, uint32_t fill, double edge);
/* A cluster's circle and its count. */
void render_draw_cluster(cairo_t *cr, PangoContext *pc, double x, double y,
			 size_t n, double f);

/* ---- render_map.c ---------------------------------------------------- */

/* CORE_ENOTFOUND unless the level's areas have values of indicator (the
 * message names the option opt and lists what they have). */
int render_check_indicator(struct core_ws *ws, const char *level,
			   const char *indicator, const char *opt,
			   struct core_err *err);
/* Label, unit, year of an indicator (caller frees; NULL when none). */
void render_indicator_info(struct core_ws *ws, const char *name, char **label,
			   char **unit, int *year);
/* A readable name of a known indicator (SVI), or NULL. */
const char *render_known_label(const char *name);
/* "Census tracts" / "census tracts". */
const char *render_level_plural(const char *level, int capital);

/* ---- render_out.c ---------------------------------------------------- */

/* ASSETMAP_TIMING=1: the wall time since the last lap on stderr, for the
 * bench (as cli_analysis_lap does for the analyses). */
void render_lap(const char *what);

/* ---- render_furniture.c ------------------------------------------- */

/* A text context for cr (after its transformation is set). */
PangoContext *render_text_context(struct render_map *m, cairo_t *cr);

/* Size of the legend box at type scale lf, stacked or side by side. */
void render_legend_measure(struct render_map *m, PangoContext *pc, double lf,
			   int across, double *w, double *h);

/* Height the north arrow and scale bar block needs at scale f. */
double render_ns_height(double f);

/* A value for a legend, with decimals digits and thousands separators. */
void render_format_number(double v, int decimals, char *buf, size_t n);
/* Decimals that show the classes' ranges distinctly. */
int render_class_decimals(const struct render_classes *c);

/* The path of a symbol of size s (about its diameter) centred at x, y. */
void render_symbol_path(cairo_t *cr, enum render_shape shape, double x,
			double y, double s);

/* Draw the page at the current transformation (points). */
int render_draw_page(struct render_map *m, cairo_t *cr, struct core_err *err);

/* Page coordinates (points) of a projected point. */
static inline void render_to_page(const struct render_map *m, double X,
				  double Y, double *px, double *py)
{
	*px = m->frame.x + m->frame.w / 2 + (X - m->cx) * m->sx;
	*py = m->frame.y + m->frame.h / 2 - (Y - m->cy) * m->sx;
}

#endif
