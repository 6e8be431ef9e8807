/*
 * render_furniture.c - drawing the page: the map itself, then title,
 * legend, north arrow, scale bar and source note.
 *
 * Everything is drawn in points; render_out.c scales PNGs to pixels
 * before calling render_draw_page.  Text goes through Pango (DejaVu
 * Sans), so PDF and SVG text stays text.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "geo/geo_par.h"

#include "render/render_context.h"
#include "render/render_int.h"

/* Colours of the furniture. */
#define INK_TITLE	     0x1a1a1au
#define INK_SUBTITLE	     0x4d4d4du
#define INK_TEXT	     0x262626u
#define INK_MUTED	     0x666666u
#define INK_LINE	     0x404040u
#define INK_FRAME	     0x8c8c8cu
#define INK_BOX		     0xb3b3b3u
#define INK_SYMBOL_EDGE	     0x262626u
#define INK_OUTLINE_SHADED   0xffffffu
#define INK_OUTLINE_UNSHADED 0x969696u

/* ---------------------------------------------------------------------
 * Text
 * ------------------------------------------------------------------ */

PangoContext *render_text_context(struct render_map *m, cairo_t *cr)
{
	PangoContext *pc = pango_font_map_create_context(m->fonts.fontmap);

	pango_cairo_context_set_font_options(pc, m->fonts.fopts);
	pango_context_set_round_glyph_positions(pc, m->format == RENDER_PNG);
	pango_cairo_update_context(cr, pc);
	return pc;
}

/* Draw text with its top left at x, y; returns its height. */
static double show_text(cairo_t *cr, PangoContext *pc, const char *text,
			double x, double y, double size, int bold, double width,
			uint32_t ink)
{
	PangoLayout *l = render_text(pc, text, size, bold, width);
	double h;

	render_text_size(l, NULL, &h);
	render_set_rgb(cr, ink);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	return h;
}

/* ---------------------------------------------------------------------
 * Numbers
 * ------------------------------------------------------------------ */

void render_format_number(double v, int decimals, char *buf, size_t n)
{
	char raw[64], *p, *dot;
	size_t intlen, i, o = 0;
	int neg;

	snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	p = raw;
	neg = *p == '-';
	if (neg)
		p++;
	/* "-0.00" is zero. */
	if (neg && strspn(p, "0.") == strlen(p))
		neg = 0;
	dot = strchr(p, '.');
	intlen = dot ? (size_t)(dot - p) : strlen(p);
	if (neg && o + 1 < n)
		buf[o++] = '-';
	for (i = 0; i < intlen && o + 1 < n; i++) {
		if (i > 0 && (intlen - i) % 3 == 0 && intlen > 3 && o + 1 < n)
			buf[o++] = ',';
		if (o + 1 < n)
			buf[o++] = p[i];
	}
	for (p += intlen; *p && o + 1 < n; p++)
		buf[o++] = *p;
	buf[o] = '\0';
}

int render_class_decimals(const struct render_classes *c)
{
	char a[64], b[64];
	double range;
	int d, k, integral = 1, ok;

	if (c->n <= 0)
		return 0;
	for (k = 0; k < c->n; k++)
		if (c->lo[k] != floor(c->lo[k]) || c->hi[k] != floor(c->hi[k]))
			integral = 0;
	if (integral)
		return 0;
	range = c->hi[c->n - 1] - c->lo[0];
	if (range > 0)
		d = 1 - (int)floor(log10(range));
	else
		d = fabs(c->lo[0]) >= 100 ? 0 : 2;
	if (d < 0)
		d = 0;
	if (d > 6)
		d = 6;
	/* More digits until neighbouring classes read differently. */
	for (; d < 6; d++) {
		ok = 1;
		for (k = 0; k + 1 < c->n && ok; k++) {
			render_format_number(c->hi[k], d, a, sizeof(a));
			render_format_number(c->lo[k + 1], d, b, sizeof(b));
			if (strcmp(a, b) == 0)
				ok = 0;
		}
		if (ok)
			break;
	}
	return d;
}

/* A scale bar label: 0.5, 1, 2.5, 10 ... */
static void format_length(double v, char *buf, size_t n)
{
	snprintf(buf, n, "%.10g", v);
}

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

static void draw_symbol(cairo_t *cr, enum render_shape shape, double x,
			double y, double s, uint32_t fill, double edge)
{
	render_draw_symbol(cr, shape, x, y, s, fill, edge);
}

/* ---------------------------------------------------------------------
 * Legend
 *
 * One function measures and draws, so the two cannot disagree: with cr
 * NULL it only measures.
 * ------------------------------------------------------------------ */

struct legend_metrics {
	double pad, head, note, text, count, sw_w, sw_h, text_x, row_gap,
	    section_gap;
};

static void legend_metrics(double lf, int across, struct legend_metrics *g)
{
	g->pad = 9 * lf;
	g->head = 9.5 * lf;
	g->note = 7 * lf;
	g->text = 8.5 * lf;
	g->count = 8 * lf;
	g->sw_w = 16 * lf;
	g->sw_h = 11 * lf;
	g->text_x = g->sw_w + 7 * lf;
	g->row_gap = 3 * lf;
	g->section_gap = across ? 22 * lf : 12 * lf;
}

/* The bivariate square: cells, axis labels.  Measures into *w, *h; with
 * cr, draws with its top left at x, y. */
static void bivar_block(struct render_map *m, PangoContext *pc, cairo_t *cr,
			const struct legend_metrics *g, double lf, double x,
			double y, double *w, double *h)
{
	const double gap = 4 * lf;
	double cell, grid;
	PangoLayout *lx =
	    render_text(pc, "Higher need \xe2\x86\x92", g->note, 0, 0);
	PangoLayout *ly =
	    render_text(pc, "More access \xe2\x86\x92", g->note, 0, 0);
	double xw, xh, yw, yh, gx;
	int a, b;

	render_text_size(lx, &xw, &xh);
	render_text_size(ly, &yw, &yh);
	/* Cells large enough for the upright axis label beside them. */
	cell = fmax(14 * lf, (yw + 2 * lf) / 3);
	grid = 3 * cell;
	gx = x + yh + gap;
	*w = yh + gap + fmax(grid, xw);
	*h = fmax(grid, yw) + gap + xh;
	if (cr) {
		for (b = 0; b < 3; b++)
			for (a = 0; a < 3; a++) {
				uint32_t c = m->bivar_color[b][a];
				double cx = gx + a * cell,
				       cy = y + (2 - b) * cell;
				double lum = 0.299 * ((c >> 16) & 0xff) +
					     0.587 * ((c >> 8) & 0xff) +
					     0.114 * (c & 0xff);
				char num[32];
				PangoLayout *l;
				double tw, th;

				cairo_rectangle(cr, cx, cy, cell, cell);
				render_set_rgb(cr, c);
				cairo_fill(cr);
				snprintf(num, sizeof(num), "%zu",
					 m->bivar_count[b * 3 + a]);
				l = render_text(pc, num, 6 * lf, 0, 0);
				render_text_size(l, &tw, &th);
				render_set_rgb(cr,
					       lum < 110 ? 0xffffff : INK_TEXT);
				cairo_move_to(cr, cx + (cell - tw) / 2,
					      cy + (cell - th) / 2);
				pango_cairo_show_layout(cr, l);
				g_object_unref(l);
			}
		cairo_rectangle(cr, gx, y, grid, grid);
		render_set_rgb(cr, INK_BOX);
		cairo_set_line_width(cr, 0.5 * lf);
		cairo_stroke(cr);
		render_set_rgb(cr, INK_MUTED);
		cairo_move_to(cr, gx, y + grid + gap);
		pango_cairo_show_layout(cr, lx);
		cairo_save(cr);
		cairo_move_to(cr, x, y + grid - (grid - yw) / 2);
		cairo_rotate(cr, -M_PI / 2);
		pango_cairo_update_layout(cr, ly);
		pango_cairo_show_layout(cr, ly);
		cairo_restore(cr);
	}
	g_object_unref(lx);
	g_object_unref(ly);
}

/* Where a row's text starts: after its swatch or symbol. */
static double row_text_x(const struct legend_row *r,
			 const struct legend_metrics *g, double lf)
{
	if (r->kind == LEGEND_SYMBOL && r->size + 7 * lf > g->text_x)
		return r->size + 7 * lf;
	return g->text_x;
}

/* Width the rows of section s need (swatch, text, gap, count). */
static double section_width(struct render_map *m, PangoContext *pc,
			    const struct legend_metrics *g, double lf, int s)
{
	double tw = 0, cw = 0, hw = 0, w;
	size_t i;

	for (i = 0; i < m->nrows; i++) {
		const struct legend_row *r = &m->rows[i];
		PangoLayout *l;

		if (r->section != s)
			continue;
		if (r->kind == LEGEND_BIVAR) {
			double bh;
			bivar_block(m, pc, NULL, g, lf, 0, 0, &w, &bh);
			if (w > hw)
				hw = w;
			continue;
		}
		if (r->kind == LEGEND_HEADER || r->kind == LEGEND_NOTE) {
			/* Headings may set the width, up to a point; longer
			 * ones wrap. */
			l = render_text(pc, r->text,
					r->kind == LEGEND_HEADER ? g->head
								 : g->note,
					r->kind == LEGEND_HEADER, 0);
			render_text_size(l, &w, NULL);
			g_object_unref(l);
			if (w > hw)
				hw = w;
			continue;
		}
		l = render_text(pc, r->text, g->text, 0, 0);
		render_text_size(l, &w, NULL);
		g_object_unref(l);
		w += row_text_x(r, g, lf) - g->text_x;
		if (w > tw)
			tw = w;
		if (r->count) {
			l = render_text(pc, r->count, g->count, 0, 0);
			render_text_size(l, &w, NULL);
			g_object_unref(l);
			if (w > cw)
				cw = w;
		}
	}
	w = g->text_x + tw + 14 * lf + cw;
	w = fmax(w, fmin(hw, 190 * lf));
	return fmax(w, 130 * lf);
}

/*
 * Lay out (and with cr, draw) the legend at scale lf into box (only its
 * x, y, w are used when drawing).  Returns the size it needs.
 */
static void legend_pass(struct render_map *m, PangoContext *pc, cairo_t *cr,
			double lf, int across, const struct render_box *box,
			double *out_w, double *out_h)
{
	struct legend_metrics g;
	double secw[2] = {0, 0}, sech[2] = {0, 0}, common = 0;
	double x, y, w, h, right;
	int s, has[2] = {0, 0}, pass;
	size_t i;

	legend_metrics(lf, across, &g);
	for (i = 0; i < m->nrows; i++)
		has[m->rows[i].section] = 1;
	for (s = 0; s < 2; s++)
		if (has[s]) {
			secw[s] = section_width(m, pc, &g, lf, s);
			if (secw[s] > common)
				common = secw[s];
		}
	/* Pass 0 measures the sections' heights; pass 1 draws. */
	for (pass = 0; pass < (cr ? 2 : 1); pass++) {
		double sx = box ? box->x + g.pad : 0;
		double sy = box ? box->y + g.pad : 0;

		for (s = 0; s < 2; s++) {
			double cw = across ? secw[s] : common;

			if (!has[s])
				continue;
			/* In a stacked legend the counts line up with the
			 * box's right edge, which may be wider. */
			right = (pass && !across) ? box->x + box->w - g.pad
						  : sx + cw;
			y = sy;
			for (i = 0; i < m->nrows; i++) {
				const struct legend_row *r = &m->rows[i];
				PangoLayout *l;
				double th, tw, rowh;

				if (r->section != s)
					continue;
				x = sx;
				switch (r->kind) {
				case LEGEND_HEADER:
				case LEGEND_NOTE:
					l = render_text(
					    pc, r->text,
					    r->kind == LEGEND_HEADER ? g.head
								     : g.note,
					    r->kind == LEGEND_HEADER, cw);
					render_text_size(l, NULL, &th);
					if (pass) {
						render_set_rgb(
						    cr, r->kind == LEGEND_HEADER
							    ? INK_TEXT
							    : INK_MUTED);
						cairo_move_to(cr, x, y);
						pango_cairo_show_layout(cr, l);
					}
					g_object_unref(l);
					y += th + (r->kind == LEGEND_HEADER
						       ? 1 * lf
						       : 5 * lf);
					break;
				case LEGEND_BIVAR: {
					double bw, bh;
					bivar_block(m, pc, pass ? cr : NULL, &g,
						    lf, x, y + 2 * lf, &bw,
						    &bh);
					y += bh + 2 * lf + g.row_gap + 3 * lf;
					break;
				}
				case LEGEND_SWATCH:
				case LEGEND_SYMBOL: {
					double tx = row_text_x(r, &g, lf);
					double ss = r->cluster	  ? 11 * m->f
						    : r->size > 0 ? r->size
								  : m->sym_base;
					l = render_text(pc, r->text, g.text, 0,
							0);
					render_text_size(l, NULL, &th);
					rowh = th > g.sw_h ? th : g.sw_h;
					if (r->kind == LEGEND_SYMBOL &&
					    ss + 2 * lf > rowh)
						rowh = ss + 2 * lf;
					if (pass) {
						double cy = y + rowh / 2;
						if (r->kind == LEGEND_SWATCH) {
							cairo_rectangle(
							    cr, x,
							    cy - g.sw_h / 2,
							    g.sw_w, g.sw_h);
							if (r->hatch !=
							    HATCH_NONE) {
								render_hatch_fill(
								    cr,
								    r->hatch,
								    lf);
								cairo_rectangle(
								    cr, x,
								    cy -
									g.sw_h /
									    2,
								    g.sw_w,
								    g.sw_h);
							} else {
								render_set_rgb(
								    cr,
								    r->color);
								cairo_fill_preserve(
								    cr);
							}
							render_set_rgb(cr,
								       INK_BOX);
							cairo_set_line_width(
							    cr, 0.5 * lf);
							cairo_stroke(cr);
						} else if (r->cluster) {
							render_draw_cluster(
							    cr, NULL,
							    x + (tx - 7 * lf) /
								    2,
							    cy, 1, m->f);
						} else {
							draw_symbol(
							    cr, r->shape,
							    x + (tx - 7 * lf) /
								    2,
							    cy, ss, r->color,
							    0.7 * m->f);
						}
						render_set_rgb(cr, INK_TEXT);
						cairo_move_to(cr, x + tx,
							      cy - th / 2);
						pango_cairo_show_layout(cr, l);
					}
					g_object_unref(l);
					if (pass && r->count) {
						l = render_text(pc, r->count,
								g.count, 0, 0);
						render_text_size(l, &tw, &th);
						render_set_rgb(cr, INK_MUTED);
						cairo_move_to(cr, right - tw,
							      y + rowh / 2 -
								  th / 2);
						pango_cairo_show_layout(cr, l);
						g_object_unref(l);
					}
					y += rowh + g.row_gap;
					break;
				}
				}
			}
			sech[s] = y - sy - g.row_gap;
			if (across)
				sx += cw + g.section_gap;
			else
				sy = y - g.row_gap + g.section_gap;
		}
	}
	if (across) {
		w = secw[0] + secw[1] + (has[0] && has[1] ? g.section_gap : 0);
		h = fmax(sech[0], sech[1]);
	} else {
		w = common;
		h = sech[0] + sech[1] + (has[0] && has[1] ? g.section_gap : 0);
	}
	*out_w = w + 2 * g.pad;
	*out_h = h + 2 * g.pad;
}

void render_legend_measure(struct render_map *m, PangoContext *pc, double lf,
			   int across, double *w, double *h)
{
	if (m->nrows == 0) {
		*w = *h = 0;
		return;
	}
	legend_pass(m, pc, NULL, lf, across, NULL, w, h);
}

static void draw_legend(struct render_map *m, PangoContext *pc, cairo_t *cr)
{
	const struct render_box *b = &m->legend_box;
	double w, h;

	if (m->nrows == 0)
		return;
	cairo_rectangle(cr, b->x, b->y, b->w, b->h);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_fill_preserve(cr);
	render_set_rgb(cr, INK_BOX);
	cairo_set_line_width(cr, 0.6 * m->f);
	cairo_stroke(cr);
	legend_pass(m, pc, cr, m->lf, m->legend_across, b, &w, &h);
}

/* ---------------------------------------------------------------------
 * North arrow and scale bar
 * ------------------------------------------------------------------ */

double render_ns_height(double f)
{
	return 40 * f;
}

static void draw_north(struct render_map *m, PangoContext *pc, cairo_t *cr)
{
	const double f = m->f;
	const double len = 20 * f, half = 5.5 * f;
	double ax = m->ns_box.x + 10 * f;
	double ay = m->ns_box.y + 13 * f + len / 2; /* arrow's centre */
	PangoLayout *l;
	double tw, th, d;

	cairo_save(cr);
	cairo_translate(cr, ax, ay);
	cairo_rotate(cr, m->north);
	/* Left half dark, right half light: reads at any size and in grey. */
	cairo_move_to(cr, 0, -len / 2);
	cairo_line_to(cr, -half, len / 2);
	cairo_line_to(cr, 0, len / 2 - 5 * f);
	cairo_close_path(cr);
	render_set_rgb(cr, INK_LINE);
	cairo_fill(cr);
	cairo_move_to(cr, 0, -len / 2);
	cairo_line_to(cr, half, len / 2);
	cairo_line_to(cr, 0, len / 2 - 5 * f);
	cairo_close_path(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_fill(cr);
	cairo_move_to(cr, 0, -len / 2);
	cairo_line_to(cr, -half, len / 2);
	cairo_line_to(cr, 0, len / 2 - 5 * f);
	cairo_line_to(cr, half, len / 2);
	cairo_close_path(cr);
	render_set_rgb(cr, INK_LINE);
	cairo_set_line_width(cr, 0.7 * f);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	cairo_stroke(cr);
	cairo_restore(cr);
	/* The N sits beyond the tip, upright. */
	l = render_text(pc, "N", 9 * f, 1, 0);
	render_text_size(l, &tw, &th);
	d = len / 2 + th / 2 + 1 * f;
	render_set_rgb(cr, INK_TEXT);
	cairo_move_to(cr, ax + d * sin(m->north) - tw / 2,
		      ay - d * cos(m->north) - th / 2);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
}

static void draw_scale_bar(struct render_map *m, PangoContext *pc, cairo_t *cr)
{
	const double f = m->f;
	const double unit = m->units == RENDER_KM ? 1000 : 1609.344;
	const char *uname = m->units == RENDER_KM ? "km" : "mi";
	double x = m->ns_box.x + 30 * f, y = m->ns_box.y + 4 * f;
	double barh = 4.5 * f, bary = y + 13 * f;
	double len, seg;
	char lab[3][48], num[32];
	int i;

	if (!(m->bar_units > 0))
		return;
	len = m->bar_units * unit / m->ground * m->sx;
	seg = len / 4;
	for (i = 0; i < 4; i++) {
		cairo_rectangle(cr, x + i * seg, bary, seg, barh);
		if (i % 2 == 0)
			render_set_rgb(cr, INK_LINE);
		else
			cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_fill(cr);
	}
	cairo_rectangle(cr, x, bary, len, barh);
	render_set_rgb(cr, INK_LINE);
	cairo_set_line_width(cr, 0.6 * f);
	cairo_stroke(cr);

	snprintf(lab[0], sizeof(lab[0]), "0");
	format_length(m->bar_units / 2, num, sizeof(num));
	snprintf(lab[1], sizeof(lab[1]), "%s", num);
	format_length(m->bar_units, num, sizeof(num));
	snprintf(lab[2], sizeof(lab[2]), "%s %s", num, uname);
	for (i = 0; i < 3; i++) {
		PangoLayout *l = render_text(pc, lab[i], 7.5 * f, 0, 0);
		double tw, th, lx = x + len * i / 2;
		render_text_size(l, &tw, &th);
		/* The unit hangs right of the last tick; numbers centre. */
		if (i == 2) {
			PangoLayout *n = render_text(pc, num, 7.5 * f, 0, 0);
			double nw;
			render_text_size(n, &nw, NULL);
			g_object_unref(n);
			lx -= nw / 2;
		} else {
			lx -= tw / 2;
		}
		render_set_rgb(cr, INK_TEXT);
		cairo_move_to(cr, lx, bary - 2 * f - th);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
	}
	show_text(cr, pc, "Scale true at the map's centre", x,
		  bary + barh + 3 * f, 6.5 * f, 0, 0, INK_MUTED);
}

/* ---------------------------------------------------------------------
 * The map
 * ------------------------------------------------------------------ */

/*
 * Add area i's rings to the path, dropping vertices closer than tol
 * points to the last one kept (they cannot be seen, and they bloat PDF
 * and SVG files).  A ring smaller than tiny points across becomes a
 * square of that size when fill is set (so a city of small tracts keeps
 * its colour at national scale) and is left out of outlines otherwise.
 */
static void area_path(const struct render_map *m, cairo_t *cr, size_t i,
		      double tol, double tiny, int fill)
{
	const struct geo_areas *a = m->areas;
	const double lim = tiny / m->sx; /* projected metres */
	/* Vector output puts vertices on an eighth of a point (0.04 mm):
	 * the same vertex of two neighbours stays the same, and the file
	 * holds "412.625" where it held "412.618713", which is a third
	 * smaller and faster to compress. */
	const double snap = m->format == RENDER_PNG ? 0 : 8;
	size_t p, r, k;

	for (p = a->part_start[i]; p < a->part_start[i + 1]; p++)
		for (r = a->ring_start[p]; r < a->ring_start[p + 1]; r++) {
			size_t k0 = a->pt_start[r], k1 = a->pt_start[r + 1];
			double lx = 0, ly = 0, px, py;
			double x0 = a->x[k0], x1 = x0, y0 = a->y[k0], y1 = y0;

			for (k = k0 + 1; k < k1; k++) {
				double X = a->x[k], Y = a->y[k];
				if (X < x0)
					x0 = X;
				else if (X > x1)
					x1 = X;
				if (Y < y0)
					y0 = Y;
				else if (Y > y1)
					y1 = Y;
			}
			if (x1 - x0 < lim && y1 - y0 < lim) {
				/* Holes this small stay filled. */
				if (fill && r == a->ring_start[p]) {
					render_to_page(m, (x0 + x1) / 2,
						       (y0 + y1) / 2, &px, &py);
					cairo_rectangle(cr, px - tiny / 2,
							py - tiny / 2, tiny,
							tiny);
				}
				continue;
			}
			for (k = k0; k < k1; k++) {
				render_to_page(m, a->x[k], a->y[k], &px, &py);
				if (snap) {
					px = nearbyint(px * snap) / snap;
					py = nearbyint(py * snap) / snap;
				}
				if (k == k0) {
					cairo_move_to(cr, px, py);
				} else if (k + 1 == k1 || fabs(px - lx) > tol ||
					   fabs(py - ly) > tol) {
					cairo_line_to(cr, px, py);
				} else {
					continue;
				}
				lx = px;
				ly = py;
			}
			cairo_close_path(cr);
		}
}

/* The areas: one fill per class, then every boundary.  The caller has
 * clipped to the frame. */
static void draw_areas(const struct render_map *m, cairo_t *cr,
		       const double *ylo, const double *yhi, double y0,
		       double y1)
{
	/* Half a device pixel, at least 0.15 points. */
	const double tol = fmax(0.15, 0.5 / m->dev), tiny = 1.0 / m->dev;
	const double f = m->f;
	int nk = m->shade == SHADE_BIVAR ? 9 : m->classes.n;
	size_t i, *next, start[12];
	int k;

	cairo_save(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	/* A raster's areas use cairo's faster scan converter (4 x 4 samples
	 * a pixel instead of 16 x 16): every edge is under an outline, and
	 * the outlines look the same at a tenth of a point; it halves the
	 * time of a national map. */
	if (m->format == RENDER_PNG)
		cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);

	/* One path per class: small files, and no hairlines between
	 * neighbours of the same class.  Areas are bucketed by class in one
	 * pass (class k + 2 in 0 .. nk + 1), so this stays linear. */
	next = xmalloc((m->areas->n ? m->areas->n : 1) * sizeof(size_t));
	for (k = 0; k < 12; k++)
		start[k] = (size_t)-1;
	for (i = m->areas->n; i-- > 0;) {
		int b = m->area_class[i] + 2;
		if (b < 0 || b > 11)
			b = 1;
		next[i] = start[b];
		start[b] = i;
	}
	for (k = -2; k < nk; k++) {
		size_t j = start[k + 2];

		if (j == (size_t)-1)
			continue;
		cairo_new_path(cr);
		for (; j != (size_t)-1; j = next[j])
			if (!ylo || (yhi[j] >= y0 && ylo[j] <= y1))
				area_path(m, cr, j, tol, tiny, 1);
		if (k == RENDER_CLASS_SUPPRESSED) {
			render_hatch_fill(cr, HATCH_SUPPRESSED, f);
		} else {
			render_set_rgb(cr, render_map_class_color(m, k));
			cairo_fill(cr);
		}
	}
	free(next);
	render_set_rgb(cr, m->shade != SHADE_NONE ? INK_OUTLINE_SHADED
						  : INK_OUTLINE_UNSHADED);
	/* Bevel joins: at this width they look the same as round ones and
	 * cost the stroker far less on a path of every boundary. */
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
	cairo_set_line_width(cr, 0.4 * f);
	/* A raster strokes the boundaries in batches: one path of 85,000
	 * tracts makes cairo's rasteriser hold every edge at once (460 MB);
	 * batches of a few thousand draw the same pixels in a third of the
	 * time and memory.  Vector output keeps one path (a smaller file). */
	{
		const size_t batch =
		    m->format == RENDER_PNG ? 2000 : (size_t)-1;

		cairo_new_path(cr);
		for (i = 0; i < m->areas->n; i++) {
			if (ylo && (yhi[i] < y0 || ylo[i] > y1))
				continue;
			area_path(m, cr, i, tol, tiny, 0);
			if ((i + 1) % batch == 0)
				cairo_stroke(cr);
		}
		cairo_stroke(cr);
	}
	cairo_restore(cr);
}

/*
 * A PNG's areas are drawn in RENDER_BANDS horizontal bands of the image,
 * each by its own cairo context on the same pixels, on every core.  The
 * bands are fixed, not one per thread, so the bytes do not depend on the
 * machine; a band's clip is on whole pixel rows, so each pixel's
 * coverage is what one pass over the page would give it.
 */
#define RENDER_BANDS 8

struct band_job {
	const struct render_map *m;
	double *ylo, *yhi; /* [areas] page extent of each area, y */
	unsigned char *data;
	cairo_format_t format;
	int w, h, stride;
};

static void draw_band(void *ctx, size_t begin, size_t end, int worker)
{
	const struct band_job *j = ctx;
	const struct render_box *fr = &j->m->frame;
	size_t b;

	(void)worker;
	for (b = begin; b < end; b++) {
		int y0 = (int)((long)j->h * (long)b / RENDER_BANDS);
		int y1 = (int)((long)j->h * (long)(b + 1) / RENDER_BANDS);
		cairo_surface_t *s;
		cairo_t *c;

		if (y1 <= y0)
			continue;
		s = cairo_image_surface_create_for_data(
		    j->data + (size_t)y0 * (size_t)j->stride, j->format, j->w,
		    y1 - y0, j->stride);
		c = cairo_create(s);
		cairo_translate(c, 0, -y0);
		cairo_scale(c, j->m->dev, j->m->dev);
		cairo_rectangle(c, fr->x, fr->y, fr->w, fr->h);
		cairo_clip(c);
		/* Areas reaching into the band, with a point of slack for
		 * the outline's width. */
		draw_areas(j->m, c, j->ylo, j->yhi, y0 / j->m->dev - 2,
			   y1 / j->m->dev + 2);
		cairo_destroy(c);
		cairo_surface_destroy(s);
	}
}

static void draw_areas_page(const struct render_map *m, cairo_t *cr)
{
	const struct geo_areas *a = m->areas;
	cairo_surface_t *t = cairo_get_target(cr);
	size_t i, k;
	cairo_matrix_t mx;
	struct band_job j;

	cairo_get_matrix(cr, &mx);
	if (m->format != RENDER_PNG ||
	    cairo_surface_get_type(t) != CAIRO_SURFACE_TYPE_IMAGE ||
	    mx.xx != m->dev || mx.yy != m->dev || mx.xy != 0 || mx.yx != 0 ||
	    mx.x0 != 0 || mx.y0 != 0) {
		draw_areas(m, cr, NULL, NULL, 0, 0);
		return;
	}
	cairo_surface_flush(t);
	j.m = m;
	j.ylo = xmalloc((a->n ? a->n : 1) * sizeof(double));
	j.yhi = xmalloc((a->n ? a->n : 1) * sizeof(double));
	for (i = 0; i < a->n; i++) {
		size_t k0 = a->pt_start[a->ring_start[a->part_start[i]]];
		size_t k1 = a->pt_start[a->ring_start[a->part_start[i + 1]]];
		double lo = HUGE_VAL, hi = -HUGE_VAL, px, py;

		for (k = k0; k < k1; k++) {
			if (a->y[k] < lo)
				lo = a->y[k];
			if (a->y[k] > hi)
				hi = a->y[k];
		}
		/* Page y runs down: the top of the area is its highest Y. */
		render_to_page(m, 0, hi, &px, &py);
		j.ylo[i] = py;
		render_to_page(m, 0, lo, &px, &py);
		j.yhi[i] = py;
	}
	j.data = cairo_image_surface_get_data(t);
	j.format = cairo_image_surface_get_format(t);
	j.w = cairo_image_surface_get_width(t);
	j.h = cairo_image_surface_get_height(t);
	j.stride = cairo_image_surface_get_stride(t);
	geo_par_for(RENDER_BANDS, 1, draw_band, &j);
	cairo_surface_mark_dirty(t);
	free(j.ylo);
	free(j.yhi);
}

static void draw_map(struct render_map *m, PangoContext *pc, cairo_t *cr)
{
	const struct render_box *fr = &m->frame;
	const double f = m->f;

	cairo_save(cr);
	cairo_rectangle(cr, fr->x, fr->y, fr->w, fr->h);
	cairo_clip(cr);
	draw_areas_page(m, cr);
	render_lap("draw areas");
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	render_layers_draw_deserts(m, cr);
	if (m->context)
		render_context_draw_outlines(m->context, m, cr);
	render_layers_draw_symbols(m, pc, cr);
	render_lap("draw symbols");
	cairo_restore(cr);

	cairo_rectangle(cr, fr->x, fr->y, fr->w, fr->h);
	render_set_rgb(cr, INK_FRAME);
	cairo_set_line_width(cr, 0.6 * f);
	cairo_stroke(cr);
}

int render_draw_page(struct render_map *m, cairo_t *cr, struct core_err *err)
{
	PangoContext *pc = render_text_context(m, cr);
	const double f = m->f;
	double h;
	cairo_status_t st;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	draw_map(m, pc, cr);
	h = show_text(cr, pc, m->title, m->title_box.x, m->title_box.y, 20 * f,
		      1, m->text_w, INK_TITLE);
	if (m->subtitle)
		show_text(cr, pc, m->subtitle, m->title_box.x,
			  m->title_box.y + h + 3 * f, 12 * f, 0, m->text_w,
			  INK_SUBTITLE);
	draw_legend(m, pc, cr);
	draw_north(m, pc, cr);
	draw_scale_bar(m, pc, cr);
	show_text(cr, pc, m->note, m->note_box.x, m->note_box.y, 7 * f, 0,
		  m->text_w, INK_MUTED);
	/* Labels over the symbols (and clear of the legend), the inset
	 * last. */
	if (m->context) {
		render_context_draw_labels(m->context, m, pc, cr);
		render_context_draw_inset(m->context, m, cr);
	}
	g_object_unref(pc);
	st = cairo_status(cr);
	if (st != CAIRO_STATUS_SUCCESS)
		return core_err_set(err, CORE_ELIB, "cairo: %s",
				    cairo_status_to_string(st));
	return CORE_OK;
}

int render_map_draw(struct render_map *m, cairo_t *cr, struct core_err *err)
{
	return render_draw_page(m, cr, err);
}
