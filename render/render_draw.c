/*
 * render_draw.c - the drawing primitives of a map's page: symbols,
 * marks of partnership status, cluster circles, hatched fills and
 * dotted edges.
 */
#include "render/render_draw.h"

#include <math.h>
#include <stdio.h>

#include "render/render_text.h"

/* ---------------------------------------------------------------------
 * Symbols
 * ------------------------------------------------------------------ */

static void regular_polygon(cairo_t *cr, double x, double y, double r,
			    int sides, double rot)
{
	int i;

	for (i = 0; i < sides; i++) {
		double a = rot + 2 * M_PI * i / sides;
		if (i == 0)
			cairo_move_to(cr, x + r * sin(a), y - r * cos(a));
		else
			cairo_line_to(cr, x + r * sin(a), y - r * cos(a));
	}
	cairo_close_path(cr);
}

void render_symbol_path(cairo_t *cr, enum render_shape shape, double x,
			double y, double s)
{
	int i;

	/* Sizes chosen so the shapes look about equally heavy. */
	switch (shape) {
	case RENDER_CIRCLE:
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, s * 0.5, 0, 2 * M_PI);
		cairo_close_path(cr);
		break;
	case RENDER_SQUARE:
		cairo_rectangle(cr, x - s * 0.44, y - s * 0.44, s * 0.88,
				s * 0.88);
		break;
	case RENDER_TRIANGLE:
		/* centroid at (x, y) */
		regular_polygon(cr, x, y + s * 0.08, s * 0.66, 3, 0);
		break;
	case RENDER_TRIANGLE_DOWN:
		regular_polygon(cr, x, y - s * 0.08, s * 0.66, 3, M_PI);
		break;
	case RENDER_DIAMOND:
		regular_polygon(cr, x, y, s * 0.6, 4, 0);
		break;
	case RENDER_PENTAGON:
		regular_polygon(cr, x, y, s * 0.55, 5, 0);
		break;
	case RENDER_HEXAGON:
		regular_polygon(cr, x, y, s * 0.52, 6, 0);
		break;
	case RENDER_STAR:
	default:
		for (i = 0; i < 10; i++) {
			double a = M_PI * i / 5;
			double r = (i % 2) ? s * 0.3 : s * 0.66;
			if (i == 0)
				cairo_move_to(cr, x + r * sin(a),
					      y + s * 0.05 - r * cos(a));
			else
				cairo_line_to(cr, x + r * sin(a),
					      y + s * 0.05 - r * cos(a));
		}
		cairo_close_path(cr);
		break;
	}
}

void render_dotted_edge(cairo_t *cr, double f)
{
	const double dash[2] = {0, 2.2 * f};

	cairo_save(cr);
	render_set_rgb(cr, RENDER_NODATA_EDGE);
	cairo_set_line_width(cr, 1.0 * f);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_dash(cr, dash, 2, 0);
	cairo_stroke_preserve(cr);
	cairo_restore(cr);
}

void render_hatch_fill(cairo_t *cr, enum render_hatch h, double f)
{
	double x0, y0, x1, y1, step, t;

	if (h == HATCH_NODATA) {
		render_set_rgb(cr, RENDER_NODATA_COLOR);
		cairo_fill_preserve(cr);
		render_dotted_edge(cr, f);
		cairo_new_path(cr);
		return;
	}
	cairo_save(cr);
	cairo_clip(cr);
	cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
	if (x1 > x0 && y1 > y0) {
		/* forward diagonal (x + y constant), on a grid fixed to the
		 * page so neighbouring pieces join up */
		double c0;

		step = 3.6 * f;
		c0 = floor((x0 + y0) / step) * step;
		for (t = c0; t <= x1 + y1 + step; t += step) {
			cairo_move_to(cr, t - y0, y0);
			cairo_line_to(cr, t - y1, y1);
		}
		render_set_rgb(cr, RENDER_INK_DESERT_LINE);
		cairo_set_line_width(cr, 0.75 * f);
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
		cairo_stroke(cr);
	}
	cairo_restore(cr);
	cairo_new_path(cr);
}

void render_draw_symbol(cairo_t *cr, enum render_shape shape, double x,
			double y, double s, uint32_t fill, double edge)
{
	cairo_new_path(cr);
	render_symbol_path(cr, shape, x, y, s);
	render_set_rgb(cr, fill);
	cairo_fill_preserve(cr);
	render_set_rgb(cr, RENDER_INK_SYMBOL_EDGE);
	cairo_set_line_width(cr, edge);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	cairo_stroke(cr);
}

double render_mark_size(enum render_mark mark, double s)
{
	return mark == RENDER_MARK_MUTED ? 0.7 * s : s;
}

uint32_t render_muted_color(uint32_t c)
{
	uint32_t out = 0;
	int k;

	/* 45% of the colour, 55% white */
	for (k = 0; k < 24; k += 8) {
		double v = (double)((c >> k) & 0xff);
		out |= (uint32_t)lround(0.45 * v + 0.55 * 255) << k;
	}
	return out;
}

void render_paint_mark(cairo_t *cr, enum render_mark mark, uint32_t c, double s,
		       double edge)
{
	double ring = fmax(0.22 * s, 2 * edge);

	switch (mark) {
	case RENDER_MARK_HOLLOW:
		/* The dark edges are a wider stroke under the ring, so the
		 * ring reads on any fill beneath it. */
		cairo_save(cr);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		render_set_rgb(cr, RENDER_INK_SYMBOL_EDGE);
		cairo_set_line_width(cr, ring + 2 * edge);
		cairo_stroke_preserve(cr);
		render_set_rgb(cr, c);
		cairo_set_line_width(cr, ring);
		cairo_stroke(cr);
		cairo_restore(cr);
		break;
	case RENDER_MARK_MUTED:
		render_set_rgb(cr, render_muted_color(c));
		cairo_fill_preserve(cr);
		render_set_rgb(cr, RENDER_INK_MUTED_EDGE);
		cairo_set_line_width(cr, 0.7 * edge);
		cairo_stroke(cr);
		break;
	case RENDER_MARK_FILLED:
	default:
		render_set_rgb(cr, c);
		cairo_fill_preserve(cr);
		render_set_rgb(cr, RENDER_INK_SYMBOL_EDGE);
		cairo_set_line_width(cr, edge);
		cairo_stroke(cr);
		break;
	}
}

void render_draw_mark(cairo_t *cr, enum render_shape shape, double x, double y,
		      double s, uint32_t c, enum render_mark mark, double edge)
{
	cairo_new_path(cr);
	render_symbol_path(cr, shape, x, y, render_mark_size(mark, s));
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	render_paint_mark(cr, mark, c, s, edge);
}

void render_draw_cluster_ring(cairo_t *cr, double x, double y, double s,
			      const uint32_t *colors, const size_t *counts,
			      size_t k, double f)
{
	double ro = s / 2, ri = RENDER_CLUSTER_HOLE * s / 2, a = -M_PI / 2;
	size_t j, total = 0;

	for (j = 0; j < k; j++)
		total += counts[j];
	cairo_save(cr);
	if (total == 0) {
		cairo_new_path(cr);
		cairo_arc(cr, x, y, ro, 0, 2 * M_PI);
		cairo_close_path(cr);
		render_set_rgb(cr, RENDER_INK_CLUSTER_RING);
		cairo_fill(cr);
	}
	for (j = 0; j < k && total > 0; j++) {
		double b;

		if (counts[j] == 0)
			continue;
		b = a + 2 * M_PI * (double)counts[j] / (double)total;
		cairo_new_path(cr);
		cairo_arc(cr, x, y, ro, a, b);
		cairo_arc_negative(cr, x, y, ri, b, a);
		cairo_close_path(cr);
		render_set_rgb(cr, colors[j]);
		cairo_fill(cr);
		a = b;
	}
	/* The white centre for the count, and the edges. */
	cairo_new_path(cr);
	cairo_arc(cr, x, y, ri, 0, 2 * M_PI);
	cairo_close_path(cr);
	render_set_rgb(cr, RENDER_INK_CLUSTER_FILL);
	cairo_fill_preserve(cr);
	render_set_rgb(cr, RENDER_INK_SYMBOL_EDGE);
	cairo_set_line_width(cr, 0.5 * f);
	cairo_stroke(cr);
	cairo_new_path(cr);
	cairo_arc(cr, x, y, ro, 0, 2 * M_PI);
	cairo_close_path(cr);
	cairo_set_line_width(cr, 0.8 * f);
	cairo_stroke(cr);
	cairo_restore(cr);
}

void render_draw_cluster(cairo_t *cr, PangoContext *pc, double x, double y,
			 size_t n, double f)
{
	double s = render_cluster_size(n, f), tw, th;
	char num[32];
	PangoLayout *l;

	render_draw_cluster_ring(cr, x, y, s, NULL, NULL, 0, f);
	if (!pc)
		return;
	snprintf(num, sizeof(num), "%zu", n);
	l = render_text(pc, num, (n >= 100 ? 5.5 : 6.5) * f, 1, 0);
	render_text_size(l, &tw, &th);
	render_set_rgb(cr, RENDER_INK_SYMBOL_EDGE);
	cairo_move_to(cr, x - tw / 2, y - th / 2);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
}

double render_cluster_size(size_t n, double f)
{
	/* Room for the count inside the ring of categories. */
	double s = (15 + 4.4 * log10((double)n)) * f;

	return s > 22 * f ? 22 * f : s;
}
