/*
 * render_chart.c - paragraphs, bar charts and tables for vector pages.
 */
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "render/render_chart.h"

#define FONT_FAMILY "DejaVu Sans"
#define INK 0x222222u
#define RULE 0x888888u
#define STRIPE 0xf2f2f2u

struct render_chart {
	PangoFontMap *fontmap;
	cairo_font_options_t *fopts;
	PangoContext *pc;
};

struct render_chart *render_chart_new(void)
{
	struct render_chart *c = xcalloc(1, sizeof(*c));

	c->fontmap = pango_cairo_font_map_new();
	pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(c->fontmap),
					    72);
	c->fopts = cairo_font_options_create();
	/* exact outlines and positions: the same bytes every run */
	cairo_font_options_set_hint_style(c->fopts, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(c->fopts, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(c->fopts, CAIRO_ANTIALIAS_GRAY);
	c->pc = pango_font_map_create_context(c->fontmap);
	pango_cairo_context_set_font_options(c->pc, c->fopts);
	return c;
}

void render_chart_free(struct render_chart *c)
{
	if (!c)
		return;
	g_object_unref(c->pc);
	g_object_unref(c->fontmap);
	cairo_font_options_destroy(c->fopts);
	free(c);
}

static void set_rgb(cairo_t *cr, uint32_t c)
{
	cairo_set_source_rgb(cr, ((c >> 16) & 0xff) / 255.0,
			     ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0);
}

static PangoLayout *layout(struct render_chart *c, cairo_t *cr,
			   const char *text, double size, int bold,
			   double width)
{
	PangoLayout *l;
	PangoFontDescription *fd;

	pango_cairo_update_context(cr, c->pc);
	l = pango_layout_new(c->pc);
	fd = pango_font_description_from_string(FONT_FAMILY);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static void size_of(PangoLayout *l, double *w, double *h)
{
	int iw, ih;

	pango_layout_get_size(l, &iw, &ih);
	if (w)
		*w = (double)iw / PANGO_SCALE;
	if (h)
		*h = (double)ih / PANGO_SCALE;
}

double render_chart_text(struct render_chart *c, cairo_t *cr,
			 const char *text, double x, double y, double size,
			 int bold, double width, uint32_t ink)
{
	PangoLayout *l = layout(c, cr, text, size, bold, width);
	double h;

	size_of(l, NULL, &h);
	set_rgb(cr, ink);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	return h;
}

void render_chart_text_size(struct render_chart *c, cairo_t *cr,
			    const char *text, double size, int bold,
			    double *w, double *h)
{
	PangoLayout *l = layout(c, cr, text, size, bold, 0);

	size_of(l, w, h);
	g_object_unref(l);
}

/* ---------------------------------------------------------------------
 * Bars
 * ------------------------------------------------------------------ */

double render_chart_bars(struct render_chart *c, cairo_t *cr, double x,
			 double y, double w, double row,
			 const struct render_chart_bar *bars, size_t n,
			 uint32_t color)
{
	double size, lw = 0, tw = 0, vmax = 0, span, bx;
	size_t i;

	if (row <= 0)
		row = 16;
	size = row * 0.6;
	for (i = 0; i < n; i++) {
		double a, b;

		render_chart_text_size(c, cr, bars[i].label, size, 0, &a, NULL);
		render_chart_text_size(c, cr, bars[i].text, size, 0, &b, NULL);
		lw = fmax(lw, a);
		tw = fmax(tw, b);
		if (!isnan(bars[i].value) && bars[i].value > vmax)
			vmax = bars[i].value;
	}
	lw = fmin(lw, w * 0.4);
	bx = x + lw + size;
	span = w - (bx - x) - tw - size;
	if (span < w * 0.2)
		span = w * 0.2;
	for (i = 0; i < n; i++) {
		double ry = y + (double)i * row, len = 0, th;
		PangoLayout *l;

		/* the label, right-aligned against the axis */
		l = layout(c, cr, bars[i].label, size, 0, 0);
		{
			double a;

			size_of(l, &a, &th);
			set_rgb(cr, INK);
			cairo_move_to(cr, bx - size / 2 - fmin(a, lw),
				      ry + (row - th) / 2);
			pango_cairo_show_layout(cr, l);
		}
		g_object_unref(l);
		if (!isnan(bars[i].value) && bars[i].value > 0 && vmax > 0) {
			len = span * bars[i].value / vmax;
			set_rgb(cr, color);
			cairo_rectangle(cr, bx, ry + row * 0.15, len, row * 0.7);
			cairo_fill(cr);
		}
		render_chart_text(c, cr, bars[i].text, bx + len + size / 3,
				  ry + (row - th) / 2, size, 0, 0, INK);
	}
	/* the axis */
	set_rgb(cr, RULE);
	cairo_set_line_width(cr, 0.75);
	cairo_move_to(cr, bx, y);
	cairo_line_to(cr, bx, y + (double)n * row);
	cairo_stroke(cr);
	return (double)n * row;
}

/* ---------------------------------------------------------------------
 * Tables
 * ------------------------------------------------------------------ */

static double row_height(double size)
{
	return size * 1.75;
}

double render_chart_table_height(const struct render_chart_table *t,
				 double size)
{
	return row_height(size) * (double)(t->nrows + 1) + size * 0.5;
}

/* Does column i have nothing in any row?  (Tracts without names.) */
static int column_empty(const struct render_chart_table *t, size_t i)
{
	size_t r;

	for (r = 0; r < t->nrows; r++) {
		const char *s = t->cell[r * t->ncols + i];

		if (s && *s)
			return 0;
	}
	return t->nrows > 0;
}

/* Natural widths of the columns at size, padding included; 0 for a
 * column left out because it is empty. */
static double measure(struct render_chart *c, cairo_t *cr,
		      const struct render_chart_table *t, double size,
		      double *cw)
{
	double sum = 0;
	size_t i, r;

	for (i = 0; i < t->ncols; i++) {
		double a;

		cw[i] = 0;
		if (column_empty(t, i))
			continue;
		render_chart_text_size(c, cr, t->head[i], size, 1, &a, NULL);
		cw[i] = a;
		for (r = 0; r < t->nrows; r++) {
			const char *s = t->cell[r * t->ncols + i];

			if (!s)
				continue;
			render_chart_text_size(c, cr, s, size,
					       t->total && r + 1 == t->nrows,
					       &a, NULL);
			cw[i] = fmax(cw[i], a);
		}
		cw[i] += size * 1.2;
		sum += cw[i];
	}
	return sum;
}

static void cell_text(struct render_chart *c, cairo_t *cr, const char *s,
		      double x, double y, double w, double size, int bold,
		      enum render_chart_align al)
{
	double a = 0, pad = size * 0.6;

	if (!s)
		return;
	if (al == RENDER_ALIGN_RIGHT)
		render_chart_text_size(c, cr, s, size, bold, &a, NULL);
	render_chart_text(c, cr, s,
			  al == RENDER_ALIGN_RIGHT ? x + w - pad - a : x + pad,
			  y, size, bold, 0, INK);
}

double render_chart_table_draw(struct render_chart *c, cairo_t *cr,
			       double x, double y, double w, double size,
			       const struct render_chart_table *t)
{
	double *cw = xcalloc(t->ncols + 1, sizeof(double));
	double sum, rh, cx, widest = -1;
	size_t i, r, grow = t->ncols;

	sum = measure(c, cr, t, size, cw);
	while (sum > w && size > 4) {
		size *= 0.92;
		sum = measure(c, cr, t, size, cw);
	}
	for (i = 0; i < t->ncols; i++)
		if (t->align[i] == RENDER_ALIGN_LEFT && cw[i] > 0 &&
		    cw[i] > widest) {
			widest = cw[i];
			grow = i;
		}
	if (grow < t->ncols && sum < w)
		cw[grow] += w - sum;
	rh = row_height(size);

	/* the header, with a rule under it */
	for (i = 0, cx = x; i < t->ncols; cx += cw[i], i++)
		if (cw[i] > 0)
			cell_text(c, cr, t->head[i], cx, y + size * 0.35,
				  cw[i], size, 1, t->align[i]);
	set_rgb(cr, RULE);
	cairo_set_line_width(cr, 0.75);
	cairo_move_to(cr, x, y + rh);
	cairo_line_to(cr, x + w, y + rh);
	cairo_stroke(cr);
	for (r = 0; r < t->nrows; r++) {
		double ry = y + rh * (double)(r + 1);
		int tot = t->total && r + 1 == t->nrows;

		if (tot) {
			set_rgb(cr, RULE);
			cairo_move_to(cr, x, ry);
			cairo_line_to(cr, x + w, ry);
			cairo_stroke(cr);
		} else if (r % 2 == 1) {
			set_rgb(cr, STRIPE);
			cairo_rectangle(cr, x, ry, w, rh);
			cairo_fill(cr);
		}
		for (i = 0, cx = x; i < t->ncols; cx += cw[i], i++)
			cell_text(c, cr, t->cell[r * t->ncols + i], cx,
				  ry + size * 0.35, cw[i], size, tot,
				  t->align[i]);
	}
	free(cw);
	return rh * (double)(t->nrows + 1) + size * 0.5;
}
