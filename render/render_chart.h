/*
 * render_chart.h - charts and tables on a vector page: text in a
 * paragraph, a horizontal bar chart with a value written at each bar,
 * and a table with a header, aligned columns and an optional total row.
 * render_atlas draws its cover, ranking and tract tables with these; any
 * other page (the SDOH rainbow) may too.
 *
 * Units are the page's points at cr's current transformation, origin at
 * the top left, y down.  Text is DejaVu Sans through Pango, laid out
 * without hinting so that PDF and SVG get exact positions and the same
 * bytes every run.
 *
 * Ownership: render_chart_new returns a text context the caller frees
 * with render_chart_free (NULL is fine).  Nothing keeps a pointer to
 * what is passed to the draw functions.
 */
#ifndef RENDER_CHART_H
#define RENDER_CHART_H

#include <stddef.h>
#include <stdint.h>

#include <cairo.h>

struct render_chart;

/* A text context for drawing on cr (any cr; it is re-read each draw). */
struct render_chart *render_chart_new(void);
void render_chart_free(struct render_chart *c);

enum render_chart_align { RENDER_ALIGN_LEFT, RENDER_ALIGN_RIGHT };

/*
 * Text with its top left at x, y, size points, bold or not, in colour
 * ink (0xRRGGBB), wrapped at width points when width > 0.  Returns its
 * height in points.
 */
double render_chart_text(struct render_chart *c, cairo_t *cr, const char *text,
			 double x, double y, double size, int bold,
			 double width, uint32_t ink);

/* The width and height text would take (no wrapping). */
void render_chart_text_size(struct render_chart *c, cairo_t *cr,
			    const char *text, double size, int bold, double *w,
			    double *h);

/* One bar: label at the left, a bar as long as value (NaN or negative:
 * no bar, as for a suppressed count), text written after the bar. */
struct render_chart_bar {
	const char *label;
	double value;
	const char *text;
};

/*
 * Horizontal bars, one a row, top to bottom in the order given, in the
 * box x, y, w (the height grows with the rows: row points each, 0 for
 * the default 16).  The longest value spans what is left of w after the
 * labels and the widest text.  Returns the height used.
 */
double render_chart_bars(struct render_chart *c, cairo_t *cr, double x,
			 double y, double w, double row,
			 const struct render_chart_bar *bars, size_t n,
			 uint32_t color);

/* A table: ncols columns, nrows rows of cells (row-major; NULL is an
 * empty cell); align[ncols] per column; with total, the last row is a
 * total, drawn bold under a rule. */
struct render_chart_table {
	size_t ncols, nrows;
	const char *const *head;	      /* [ncols] */
	const char *const *cell;	      /* [nrows * ncols] */
	const enum render_chart_align *align; /* [ncols] */
	int total;
};

/*
 * Draw the table at x, y across width w at type size points (shrunk
 * until the columns fit w).  The widest left-aligned column takes the
 * space left over; a column empty in every row is left out, heading and
 * all.  Returns the height used.
 */
double render_chart_table_draw(struct render_chart *c, cairo_t *cr, double x,
			       double y, double w, double size,
			       const struct render_chart_table *t);

/* Height a table takes at size points (no shrinking). */
double render_chart_table_height(const struct render_chart_table *t,
				 double size);

#endif
