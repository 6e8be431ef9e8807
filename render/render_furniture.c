/*
 * render_furniture.c - what a page holds around the map: the frame,
 * title, legend, north arrow, scale bar and source note; measuring the
 * legend and the north arrow for the layout, and formatting its numbers.
 *
 * Everything is drawn in points; render_map scales PNGs to pixels
 * before drawing the page.  Text goes through Pango (DejaVu Sans), so
 * PDF and SVG text stays text.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render_furniture.h"

#include "core/core_mem.h"
#include "render/render_draw.h"
#include "render/render_text.h"

/* Colours of the furniture. */
#define INK_TITLE    0x1a1a1au
#define INK_SUBTITLE 0x4d4d4du
#define INK_TEXT     0x262626u
#define INK_MUTED    0x666666u
#define INK_LINE     0x404040u
#define INK_FRAME    0x8c8c8cu
#define INK_BOX	     0xb3b3b3u

/* ---------------------------------------------------------------------
 * Text
 * ------------------------------------------------------------------ */

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
	char hi_text[64], next_lo_text[64];
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
			render_format_number(c->hi[k], d, hi_text,
					     sizeof(hi_text));
			render_format_number(c->lo[k + 1], d, next_lo_text,
					     sizeof(next_lo_text));
			if (strcmp(hi_text, next_lo_text) == 0)
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

/* The break values of one bivariate axis at the four edges of its three
 * columns (or rows): text[j] is the value at edge j (empty where no class
 * meets it: with fewer than three classes a column stays unused), the
 * lowest value at edge 0, the classes' upper breaks between, the highest
 * at edge 3.  pct: values 0..1 printed as percentages.  Decimals grow
 * until neighbouring different values read differently; thousands are
 * grouped; no exponents. */
static void axis_ticks(const struct render_classes *c, int pct,
		       char text[4][48])
{
	double v[4];
	int has[4] = {0, 0, 0, 0}, k, j, d;
	double scale = pct ? 100 : 1, lo = INFINITY, hi = -INFINITY;

	for (j = 0; j < 4; j++)
		text[j][0] = '\0';
	for (k = 0; k < c->n && k < 3; k++) {
		int col = c->n >= 3 ? k : c->n == 2 ? 2 * k : 1;
		int prev = k == 0 ? -2 : (c->n >= 3 ? k - 1 : 0);

		if (k == 0 || prev + 1 == col) {
			v[col] = (k == 0 ? c->lo[0] : c->upper[k - 1]) * scale;
			has[col] = 1;
		}
		v[col + 1] =
		    (k == c->n - 1 || k == 2 ? c->hi[c->n - 1] : c->upper[k]) *
		    scale;
		has[col + 1] = 1;
	}
	for (j = 0; j < 4; j++)
		if (has[j]) {
			lo = fmin(lo, v[j]);
			hi = fmax(hi, v[j]);
		}
	if (!(hi >= lo))
		return;
	d = 0;
	for (j = 0; j < 4; j++)
		if (has[j] && v[j] != floor(v[j]))
			d = hi > lo ? 1 - (int)floor(log10(hi - lo)) : 2;
	d = d < 0 ? 0 : d > 6 ? 6 : d;
	for (;; d++) {
		int ok = 1, p = -1;

		for (j = 0; j < 4; j++) {
			if (!has[j])
				continue;
			render_format_number(v[j], d, text[j], sizeof(text[j]));
			if (pct)
				strcat(text[j], "%");
			if (p >= 0 && v[p] != v[j] &&
			    strcmp(text[p], text[j]) == 0)
				ok = 0;
			p = j;
		}
		if (ok || d >= 6)
			break;
	}
}

/* The bivariate square: cells with their counts, the break values along
 * both axes (need below, access at the left), the axis titles, and the
 * high-need, low-access cell framed.  Measures into *w, *h; with cr,
 * draws with its top left at x, y. */
static void bivar_block(struct render_map *m, PangoContext *pc, cairo_t *cr,
			const struct legend_metrics *g, double lf, double x,
			double y, double *w, double *h)
{
	const double gap = 4 * lf, tgap = 2.5 * lf, tsize = 6 * lf;
	double cell, grid;
	PangoLayout *lx =
	    render_text(pc, "Higher need \xe2\x86\x92", g->note, 0, 0);
	PangoLayout *ly =
	    render_text(pc, "More access \xe2\x86\x92", g->note, 0, 0);
	PangoLayout *tx[4], *ty[4];
	char xt[4][48], yt[4][48];
	double xw, xh, yw, yh, gx, txw = 0, tyw = 0, th = 0;
	int a, b, j;

	axis_ticks(&m->bx, m->bivar_pct[0], xt);
	axis_ticks(&m->by, m->bivar_pct[1], yt);
	for (j = 0; j < 4; j++) {
		double tw, tth;

		tx[j] = render_text(pc, xt[j], tsize, 0, 0);
		ty[j] = render_text(pc, yt[j], tsize, 0, 0);
		render_text_size(tx[j], &tw, &tth);
		txw = fmax(txw, tw);
		th = fmax(th, tth);
		render_text_size(ty[j], &tw, NULL);
		tyw = fmax(tyw, tw);
	}
	render_text_size(lx, &xw, &xh);
	render_text_size(ly, &yw, &yh);
	/* Cells large enough for the upright axis label beside them and
	 * for the break values under its edges not to touch. */
	cell = fmax(fmax(18 * lf, (yw + 2 * lf) / 3), 1.5 * txw + 4 * lf);
	grid = 3 * cell;
	gx = x + yh + gap + tyw + tgap;
	*w = yh + gap + tyw + tgap + fmax(grid, xw);
	*h = fmax(grid, yw) + tgap + th + gap + xh;
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
				double tw, tth;

				cairo_rectangle(cr, cx, cy, cell, cell);
				render_set_rgb(cr, c);
				cairo_fill(cr);
				snprintf(num, sizeof(num), "%zu",
					 m->bivar_count[b * 3 + a]);
				l = render_text(pc, num, 6 * lf, 0, 0);
				render_text_size(l, &tw, &tth);
				render_set_rgb(cr,
					       lum < 110 ? 0xffffff : INK_TEXT);
				cairo_move_to(cr, cx + (cell - tw) / 2,
					      cy + (cell - tth) / 2);
				pango_cairo_show_layout(cr, l);
				g_object_unref(l);
			}
		cairo_rectangle(cr, gx, y, grid, grid);
		render_set_rgb(cr, INK_BOX);
		cairo_set_line_width(cr, 0.5 * lf);
		cairo_stroke(cr);
		/* high need (right), low access (bottom) */
		cairo_rectangle(cr, gx + 2 * cell, y + 2 * cell, cell, cell);
		render_set_rgb(cr, INK_TITLE);
		cairo_set_line_width(cr, 1.5 * lf);
		cairo_stroke(cr);
		render_set_rgb(cr, INK_MUTED);
		for (j = 0; j < 4; j++) {
			double tw, tth, px, py;

			/* need's breaks under the column edges, the end
			 * ones inside the square's width */
			render_text_size(tx[j], &tw, &tth);
			px = gx + j * cell -
			     (j == 0   ? 0
			      : j == 3 ? tw
				       : tw / 2);
			cairo_move_to(cr, px, y + grid + tgap);
			pango_cairo_show_layout(cr, tx[j]);
			/* access's breaks left of the row edges (edge 0 at
			 * the bottom), the end ones inside its height */
			render_text_size(ty[j], &tw, &tth);
			py = y + grid - j * cell -
			     (j == 0   ? tth
			      : j == 3 ? 0
				       : tth / 2);
			cairo_move_to(cr, gx - tgap - tw, py);
			pango_cairo_show_layout(cr, ty[j]);
		}
		cairo_move_to(cr, gx, y + grid + tgap + th + gap);
		pango_cairo_show_layout(cr, lx);
		cairo_save(cr);
		cairo_move_to(cr, x, y + grid - (grid - yw) / 2);
		cairo_rotate(cr, -M_PI / 2);
		pango_cairo_update_layout(cr, ly);
		pango_cairo_show_layout(cr, ly);
		cairo_restore(cr);
	}
	for (j = 0; j < 4; j++) {
		g_object_unref(tx[j]);
		g_object_unref(ty[j]);
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
				/* A heading after rows of its section (the
				 * partnership marks) stands apart. */
				if (r->kind == LEGEND_HEADER && y > sy)
					y += 6 * lf;
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
							if (r->hatch ==
							    HATCH_NODATA) {
								/* white, its
								 * edge dotted
								 * as on the
								 * map */
								render_hatch_fill(
								    cr,
								    r->hatch,
								    lf);
							} else if (r->hatch !=
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
							render_set_rgb(
							    cr, r->outline
								    ? INK_TITLE
								    : INK_BOX);
							cairo_set_line_width(
							    cr, r->outline
								    ? 1.5 * lf
								    : 0.5 * lf);
							cairo_stroke(cr);
						} else if (r->cluster) {
							render_draw_cluster(
							    cr, NULL,
							    x + (tx - 7 * lf) /
								    2,
							    cy, 1, m->f);
						} else {
							render_draw_mark(
							    cr, r->shape,
							    x + (tx - 7 * lf) /
								    2,
							    cy, ss, r->color,
							    r->mark,
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

/* Draw the north arrow at the left of m->ns_box, turned by m->north
 * (radians, as cairo_rotate takes them), with an upright "N" beyond its
 * tip. */
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

/* Draw the scale bar right of the north arrow in m->ns_box: m->bar_units
 * miles or kilometres (m->units) in four alternating segments, labelled
 * at 0, half and full length, with a note that the scale holds at the
 * map's centre.  Draws nothing when m->bar_units is not positive. */
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
 * The frame, and the furniture in order
 * ------------------------------------------------------------------ */

void render_furniture_draw_frame(const struct render_map *m, cairo_t *cr)
{
	const struct render_box *fr = &m->frame;
	const double f = m->f;

	cairo_rectangle(cr, fr->x, fr->y, fr->w, fr->h);
	render_set_rgb(cr, INK_FRAME);
	cairo_set_line_width(cr, 0.6 * f);
	cairo_stroke(cr);
}

void render_furniture_draw(struct render_map *m, PangoContext *pc, cairo_t *cr)
{
	const double f = m->f;
	double h;

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
}
