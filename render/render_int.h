/*
 * render_int.h - what the render/ files share and nobody else sees: the
 * map's insides, the page layout, text and symbol helpers.
 *
 * render_map.c   building the map from the workspace; layout; accessors
 * render_furniture.c  text, legend, scale bar, north arrow, symbols,
 *                number formatting; drawing the whole page
 * render_out.c   surfaces, files, PDF metadata
 */
#ifndef RENDER_INT_H
#define RENDER_INT_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "geo/geo_load.h"
#include "geo/geo_proj.h"
#include "render/render_map.h"

struct render_box {
	double x, y, w, h;
};

struct render_cat {
	char *code;
	char *name;
	uint32_t color;
	enum render_shape shape;
	size_t count;           /* assets drawn */
};

/* One line of the legend. */
enum legend_kind {
	LEGEND_HEADER,          /* bold heading */
	LEGEND_NOTE,            /* small grey line under a heading */
	LEGEND_SWATCH,          /* filled box, text, count */
	LEGEND_SYMBOL           /* asset symbol, text, count */
};

struct legend_row {
	enum legend_kind kind;
	char *text;
	char *count;            /* NULL: none */
	uint32_t color;
	enum render_shape shape;
	int section;            /* 0 areas, 1 assets */
};

struct render_map {
	/* what was asked */
	enum render_format format;
	enum render_units units;
	char *title, *subtitle, *note, *creator;
	time_t date;
	int date_fixed;         /* date came from the spec or SOURCE_DATE_EPOCH */
	char *level;
	char *indicator;        /* NULL: unshaded */

	/* data */
	struct geo_proj *proj;
	struct geo_areas *areas;
	struct geo_assets *assets;
	struct render_classes classes;
	uint32_t class_color[RENDER_CLASSES_MAX];
	int *area_class;        /* [areas->n] class, -1 no data */
	struct render_cat *cats;
	size_t ncats;
	unsigned char *shown;   /* [assets->n] 1 when inside the frame */
	size_t outside;

	/* legend */
	struct legend_row *rows;
	size_t nrows;

	/* page, in points */
	double page_w, page_h;
	double dev;             /* device units per point */
	double f;               /* type and line scale for this page size */
	double lf;              /* legend type scale (may shrink to fit) */
	double text_w;          /* width title and note wrap at */
	struct render_box title_box, note_box, frame, legend_box, ns_box;
	int legend_across;      /* sections side by side (legend below map) */

	/* map transform: page = frame centre + (proj - centre) * sx */
	double sx;              /* points per projected metre */
	double cx, cy;          /* projected centre of the frame */
	double north;           /* true north, radians clockwise of up */
	double ground;          /* ground metres per projected metre */
	double bar_units;       /* scale bar length in units */

	PangoFontMap *fontmap;
	cairo_font_options_t *fopts;
};

/* ---- render_furniture.c ------------------------------------------- */

/* A text context for cr (after its transformation is set). */
PangoContext *render_text_context(struct render_map *m, cairo_t *cr);
/* A layout of text at size points (bold or not), wrapped at width
 * points when width > 0.  Caller unrefs. */
PangoLayout *render_text(PangoContext *pc, const char *text, double size,
			 int bold, double width);
/* Logical size of a layout, in points. */
void render_text_size(PangoLayout *l, double *w, double *h);

/* Size of the legend box at type scale lf, stacked or side by side. */
void render_legend_measure(struct render_map *m, PangoContext *pc,
			   double lf, int across, double *w, double *h);

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
int render_draw_page(struct render_map *m, cairo_t *cr,
		     struct core_err *err);

/* Page coordinates (points) of a projected point. */
static inline void render_to_page(const struct render_map *m, double X,
				  double Y, double *px, double *py)
{
	*px = m->frame.x + m->frame.w / 2 + (X - m->cx) * m->sx;
	*py = m->frame.y + m->frame.h / 2 - (Y - m->cy) * m->sx;
}

#endif
