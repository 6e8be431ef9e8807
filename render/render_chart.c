/*
 * render_chart.c - paragraphs, bar charts and tables for vector pages.
 */
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "render/render_chart.h"
#include "render/render_text.h"

#define INK    0x222222u
#define RULE   0x888888u
#define STRIPE 0xf2f2f2u

struct render_chart {
	struct render_fonts fonts;
	PangoContext *pc;
};

struct render_chart *render_chart_new(void)
{
	struct render_chart *c = xcalloc(1, sizeof(*c));

	/* exact outlines and positions: the same bytes every run */
	render_fonts_init(&c->fonts, 0);
	c->pc = pango_font_map_create_context(c->fonts.fontmap);
	pango_cairo_context_set_font_options(c->pc, c->fonts.fopts);
	return c;
}

void render_chart_free(struct render_chart *c)
{
	if (!c)
		return;
	g_object_unref(c->pc);
	render_fonts_release(&c->fonts);
	free(c);
}

static PangoLayout *layout(struct render_chart *c, cairo_t *cr,
			   const char *text, double size, int bold,
			   double width)
{
	pango_cairo_update_context(cr, c->pc);
	return render_text(c->pc, text, size, bold, width);
}

double render_chart_text(struct render_chart *c, cairo_t *cr, const char *text,
			 double x, double y, double size, int bold,
			 double width, uint32_t ink)
{
	PangoLayout *l = layout(c, cr, text, size, bold, width);
	double h;

	render_text_size(l, NULL, &h);
	render_set_rgb(cr, ink);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	return h;
}

void render_chart_text_size(struct render_chart *c, cairo_t *cr,
			    const char *text, double size, int bold, double *w,
			    double *h)
{
	PangoLayout *l = layout(c, cr, text, size, bold, 0);

	render_text_size(l, w, h);
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

			render_text_size(l, &a, &th);
			render_set_rgb(cr, INK);
			cairo_move_to(cr, bx - size / 2 - fmin(a, lw),
				      ry + (row - th) / 2);
			pango_cairo_show_layout(cr, l);
		}
		g_object_unref(l);
		if (!isnan(bars[i].value) && bars[i].value > 0 && vmax > 0) {
			len = span * bars[i].value / vmax;
			render_set_rgb(cr, color);
			cairo_rectangle(cr, bx, ry + row * 0.15, len,
					row * 0.7);
			cairo_fill(cr);
		}
		render_chart_text(c, cr, bars[i].text, bx + len + size / 3,
				  ry + (row - th) / 2, size, 0, 0, INK);
	}
	/* the axis */
	render_set_rgb(cr, RULE);
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

double render_chart_table_draw(struct render_chart *c, cairo_t *cr, double x,
			       double y, double w, double size,
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
			cell_text(c, cr, t->head[i], cx, y + size * 0.35, cw[i],
				  size, 1, t->align[i]);
	render_set_rgb(cr, RULE);
	cairo_set_line_width(cr, 0.75);
	cairo_move_to(cr, x, y + rh);
	cairo_line_to(cr, x + w, y + rh);
	cairo_stroke(cr);
	for (r = 0; r < t->nrows; r++) {
		double ry = y + rh * (double)(r + 1);
		int tot = t->total && r + 1 == t->nrows;

		if (tot) {
			render_set_rgb(cr, RULE);
			cairo_move_to(cr, x, ry);
			cairo_line_to(cr, x + w, ry);
			cairo_stroke(cr);
		} else if (r % 2 == 1) {
			render_set_rgb(cr, STRIPE);
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
