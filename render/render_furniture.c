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
#include <string.h>

#include "render/render_int.h"

#define FONT_FAMILY "DejaVu Sans"

/* Colours of the furniture. */
#define INK_TITLE 0x1a1a1au
#define INK_SUBTITLE 0x4d4d4du
#define INK_TEXT 0x262626u
#define INK_MUTED 0x666666u
#define INK_LINE 0x404040u
#define INK_FRAME 0x8c8c8cu
#define INK_BOX 0xb3b3b3u
#define INK_SYMBOL_EDGE 0x262626u
#define INK_OUTLINE_SHADED 0xffffffu
#define INK_OUTLINE_UNSHADED 0x969696u

static void set_rgb(cairo_t *cr, uint32_t c)
{
	cairo_set_source_rgb(cr, ((c >> 16) & 0xff) / 255.0,
			     ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0);
}

/* ---------------------------------------------------------------------
 * Text
 * ------------------------------------------------------------------ */

PangoContext *render_text_context(struct render_map *m, cairo_t *cr)
{
	PangoContext *pc = pango_font_map_create_context(m->fontmap);

	pango_cairo_context_set_font_options(pc, m->fopts);
	pango_context_set_round_glyph_positions(pc, m->format == RENDER_PNG);
	pango_cairo_update_context(cr, pc);
	return pc;
}

PangoLayout *render_text(PangoContext *pc, const char *text, double size,
			 int bold, double width)
{
	PangoLayout *l = pango_layout_new(pc);
	PangoFontDescription *fd = pango_font_description_from_string(
		FONT_FAMILY);

	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text, -1);
	return l;
}

void render_text_size(PangoLayout *l, double *w, double *h)
{
	int iw, ih;

	pango_layout_get_size(l, &iw, &ih);
	if (w)
		*w = (double)iw / PANGO_SCALE;
	if (h)
		*h = (double)ih / PANGO_SCALE;
}

/* Draw text with its top left at x, y; returns its height. */
static double show_text(cairo_t *cr, PangoContext *pc, const char *text,
			double x, double y, double size, int bold,
			double width, uint32_t ink)
{
	PangoLayout *l = render_text(pc, text, size, bold, width);
	double h;

	render_text_size(l, NULL, &h);
	set_rgb(cr, ink);
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

/* Fill and outline one symbol. */
static void draw_symbol(cairo_t *cr, enum render_shape shape, double x,
			double y, double s, uint32_t fill, double edge)
{
	cairo_new_path(cr);
	render_symbol_path(cr, shape, x, y, s);
	set_rgb(cr, fill);
	cairo_fill_preserve(cr);
	set_rgb(cr, INK_SYMBOL_EDGE);
	cairo_set_line_width(cr, edge);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	cairo_stroke(cr);
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
		if (r->kind == LEGEND_HEADER || r->kind == LEGEND_NOTE) {
			/* Headings may set the width, up to a point; longer
			 * ones wrap. */
			l = render_text(pc, r->text,
					r->kind == LEGEND_HEADER ? g->head : g->note,
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
	double secw[2] = { 0, 0 }, sech[2] = { 0, 0 }, common = 0;
	double x, y, w, h, right;
	int s, has[2] = { 0, 0 }, pass;
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
					l = render_text(pc, r->text,
							r->kind == LEGEND_HEADER ? g.head : g.note,
							r->kind == LEGEND_HEADER, cw);
					render_text_size(l, NULL, &th);
					if (pass) {
						set_rgb(cr, r->kind == LEGEND_HEADER ? INK_TEXT : INK_MUTED);
						cairo_move_to(cr, x, y);
						pango_cairo_show_layout(cr, l);
					}
					g_object_unref(l);
					y += th + (r->kind == LEGEND_HEADER ? 1 * lf : 5 * lf);
					break;
				case LEGEND_SWATCH:
				case LEGEND_SYMBOL:
					l = render_text(pc, r->text, g.text, 0, 0);
					render_text_size(l, NULL, &th);
					rowh = th > g.sw_h ? th : g.sw_h;
					if (pass) {
						double cy = y + rowh / 2;
						if (r->kind == LEGEND_SWATCH) {
							cairo_rectangle(cr, x, cy - g.sw_h / 2, g.sw_w, g.sw_h);
							set_rgb(cr, r->color);
							cairo_fill_preserve(cr);
							set_rgb(cr, INK_BOX);
							cairo_set_line_width(cr, 0.5 * lf);
							cairo_stroke(cr);
						} else {
							draw_symbol(cr, r->shape, x + g.sw_w / 2, cy,
								    8 * m->f, r->color, 0.7 * m->f);
						}
						set_rgb(cr, INK_TEXT);
						cairo_move_to(cr, x + g.text_x, cy - th / 2);
						pango_cairo_show_layout(cr, l);
					}
					g_object_unref(l);
					if (pass && r->count) {
						l = render_text(pc, r->count, g.count, 0, 0);
						render_text_size(l, &tw, &th);
						set_rgb(cr, INK_MUTED);
						cairo_move_to(cr, right - tw, y + rowh / 2 - th / 2);
						pango_cairo_show_layout(cr, l);
						g_object_unref(l);
					}
					y += rowh + g.row_gap;
					break;
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

void render_legend_measure(struct render_map *m, PangoContext *pc,
			   double lf, int across, double *w, double *h)
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
	set_rgb(cr, INK_BOX);
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
	set_rgb(cr, INK_LINE);
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
	set_rgb(cr, INK_LINE);
	cairo_set_line_width(cr, 0.7 * f);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	cairo_stroke(cr);
	cairo_restore(cr);
	/* The N sits beyond the tip, upright. */
	l = render_text(pc, "N", 9 * f, 1, 0);
	render_text_size(l, &tw, &th);
	d = len / 2 + th / 2 + 1 * f;
	set_rgb(cr, INK_TEXT);
	cairo_move_to(cr, ax + d * sin(m->north) - tw / 2,
		      ay - d * cos(m->north) - th / 2);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
}

static void draw_scale_bar(struct render_map *m, PangoContext *pc,
			   cairo_t *cr)
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
			set_rgb(cr, INK_LINE);
		else
			cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_fill(cr);
	}
	cairo_rectangle(cr, x, bary, len, barh);
	set_rgb(cr, INK_LINE);
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
		set_rgb(cr, INK_TEXT);
		cairo_move_to(cr, lx, bary - 2 * f - th);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
	}
	show_text(cr, pc, "Scale true at the map's centre", x, bary + barh + 3 * f,
		  6.5 * f, 0, 0, INK_MUTED);
}

/* ---------------------------------------------------------------------
 * The map
 * ------------------------------------------------------------------ */

/* Add area i's rings to the path, dropping vertices closer than tol
 * points to the last one kept (they cannot be seen, and they bloat
 * PDF and SVG files). */
static void area_path(const struct render_map *m, cairo_t *cr, size_t i,
		      double tol)
{
	const struct geo_areas *a = m->areas;
	size_t p, r, k;

	for (p = a->part_start[i]; p < a->part_start[i + 1]; p++)
		for (r = a->ring_start[p]; r < a->ring_start[p + 1]; r++) {
			size_t k0 = a->pt_start[r], k1 = a->pt_start[r + 1];
			double lx = 0, ly = 0, px, py;

			for (k = k0; k < k1; k++) {
				render_to_page(m, a->x[k], a->y[k], &px, &py);
				if (k == k0) {
					cairo_move_to(cr, px, py);
				} else if (k + 1 == k1 ||
					   fabs(px - lx) > tol ||
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

static void draw_map(struct render_map *m, cairo_t *cr)
{
	const struct render_box *fr = &m->frame;
	const double tol = 0.15, f = m->f;
	size_t i, c;
	int k;

	cairo_save(cr);
	cairo_rectangle(cr, fr->x, fr->y, fr->w, fr->h);
	cairo_clip(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);

	/* One path per class: small files, and no hairlines between
	 * neighbours of the same class. */
	for (k = -1; k < m->classes.n; k++) {
		int any = 0;
		cairo_new_path(cr);
		for (i = 0; i < m->areas->n; i++)
			if (m->area_class[i] == k) {
				area_path(m, cr, i, tol);
				any = 1;
			}
		if (!any)
			continue;
		set_rgb(cr, render_map_class_color(m, k));
		cairo_fill(cr);
	}
	cairo_new_path(cr);
	for (i = 0; i < m->areas->n; i++)
		area_path(m, cr, i, tol);
	set_rgb(cr, m->indicator ? INK_OUTLINE_SHADED : INK_OUTLINE_UNSHADED);
	cairo_set_line_width(cr, 0.4 * f);
	cairo_stroke(cr);

	/* Assets, the first category on top. */
	for (c = m->ncats; c-- > 0;)
		for (i = 0; i < m->assets->n; i++) {
			double px, py;
			if (!m->shown[i] || (size_t)m->assets->cat[i] != c)
				continue;
			render_to_page(m, m->assets->x[i], m->assets->y[i], &px,
				       &py);
			draw_symbol(cr, m->cats[c].shape, px, py, 8 * f,
				    m->cats[c].color, 0.7 * f);
		}
	cairo_restore(cr);

	cairo_rectangle(cr, fr->x, fr->y, fr->w, fr->h);
	set_rgb(cr, INK_FRAME);
	cairo_set_line_width(cr, 0.6 * f);
	cairo_stroke(cr);
}

int render_draw_page(struct render_map *m, cairo_t *cr,
		     struct core_err *err)
{
	PangoContext *pc = render_text_context(m, cr);
	const double f = m->f;
	double h;
	cairo_status_t st;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	draw_map(m, cr);
	h = show_text(cr, pc, m->title, m->title_box.x, m->title_box.y,
		      20 * f, 1, m->text_w, INK_TITLE);
	if (m->subtitle)
		show_text(cr, pc, m->subtitle, m->title_box.x,
			  m->title_box.y + h + 3 * f, 12 * f, 0, m->text_w,
			  INK_SUBTITLE);
	draw_legend(m, pc, cr);
	draw_north(m, pc, cr);
	draw_scale_bar(m, pc, cr);
	show_text(cr, pc, m->note, m->note_box.x, m->note_box.y, 7 * f, 0,
		  m->text_w, INK_MUTED);
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
