/*
 * render_stamp.c - many symbols of one kind at once (render_stamp.h).
 */
#include "render/render_stamp.h"

#include <math.h>
#include <stdlib.h>

#include "core/core_mem.h"
#include "render/render_text.h"

/* The parts a mark is painted from, each a glyph of every shape:
 * glyph index = shape * NPART + part. */
enum part {
	PART_FILL = 0,	 /* the shape filled */
	PART_EDGE,	 /* its edge, edge wide */
	PART_MUTED_EDGE, /* its edge, 0.7 edge wide */
	PART_RING_UNDER, /* a hollow mark's dark ring, ring + 2 edge wide */
	PART_RING,	 /* a hollow mark's ring, ring wide */
	NPART
};

#define SIZE_STEP 16.0 /* sizes rounded to 1/16 point */

struct face_data {
	double edge, ring; /* points */
};

struct stamp_item {
	double q; /* size, rounded */
	size_t i; /* the symbol */
};

struct render_stamps {
	enum render_format fmt;
	double edge, base;
	cairo_font_face_t *face; /* NULL: paths */
	struct face_data *fd;
	cairo_glyph_t *g;
	struct stamp_item *item; /* g[k]'s rounded size, and its symbol */
	size_t cap;
};

static const cairo_user_data_key_t face_key;

/* Draw glyph index in em units, where one em is the symbol's size. */
static cairo_status_t render_glyph(cairo_scaled_font_t *sf, unsigned long index,
				   cairo_t *cr, cairo_text_extents_t *ext)
{
	const struct face_data *fd = cairo_font_face_get_user_data(
	    cairo_scaled_font_get_font_face(sf), &face_key);
	cairo_matrix_t fm;
	enum render_shape shape = (enum render_shape)(index / NPART);
	enum part part = (enum part)(index % NPART);
	double size, w = 0, x0, y0, x1, y1;

	cairo_scaled_font_get_font_matrix(sf, &fm);
	size = fabs(fm.xx) > 0 ? fabs(fm.xx) : 1;
	cairo_new_path(cr);
	render_symbol_path(cr, shape, 0, 0, 1);
	switch (part) {
	case PART_FILL:
		break;
	case PART_EDGE:
		w = fd->edge;
		break;
	case PART_MUTED_EDGE:
		w = 0.7 * fd->edge;
		break;
	case PART_RING_UNDER:
		w = fd->ring + 2 * fd->edge;
		break;
	case PART_RING:
	default:
		w = fd->ring;
		break;
	}
	if (part == PART_FILL) {
		cairo_fill_extents(cr, &x0, &y0, &x1, &y1);
		cairo_fill(cr);
	} else {
		cairo_set_line_width(cr, w / size);
		cairo_set_line_join(cr, part >= PART_RING_UNDER
					    ? CAIRO_LINE_JOIN_ROUND
					    : CAIRO_LINE_JOIN_MITER);
		cairo_stroke_extents(cr, &x0, &y0, &x1, &y1);
		cairo_stroke(cr);
	}
	ext->x_bearing = x0;
	ext->y_bearing = y0;
	ext->width = x1 - x0;
	ext->height = y1 - y0;
	ext->x_advance = 0;
	ext->y_advance = 0;
	return CAIRO_STATUS_SUCCESS;
}

struct render_stamps *render_stamps_new(enum render_format fmt, double edge,
					double base)
{
	struct render_stamps *st = xcalloc(1, sizeof(*st));

	st->fmt = fmt;
	st->edge = edge;
	st->base = base;
	if (fmt == RENDER_SVG)
		return st;
	st->fd = xmalloc(sizeof(*st->fd));
	st->fd->edge = edge;
	st->fd->ring = fmax(0.22 * base, 2 * edge); /* as render_paint_mark */
	st->face = cairo_user_font_face_create();
	cairo_user_font_face_set_render_glyph_func(st->face, render_glyph);
	if (cairo_font_face_set_user_data(st->face, &face_key, st->fd, free) !=
	    CAIRO_STATUS_SUCCESS) {
		/* out of memory: draw paths instead */
		free(st->fd);
		cairo_font_face_destroy(st->face);
		st->face = NULL;
	}
	st->fd = NULL; /* the face owns it now */
	return st;
}

void render_stamps_free(struct render_stamps *st)
{
	if (!st)
		return;
	if (st->face)
		cairo_font_face_destroy(st->face);
	free(st->g);
	free(st->item);
	free(st);
}

static void reserve(struct render_stamps *st, size_t n)
{
	if (n <= st->cap)
		return;
	st->cap = n;
	st->g = xrealloc(st->g, n * sizeof(*st->g));
	st->item = xrealloc(st->item, n * sizeof(*st->item));
}

/* Show the glyphs of st->g[0..n) (their sizes in st->item, sorted) as part,
 * one run per size, with empty text. */
static void show_part(struct render_stamps *st, cairo_t *cr,
		      enum render_shape shape, enum part part, size_t n)
{
	size_t b = 0, e, i;

	for (i = 0; i < n; i++)
		st->g[i].index = (unsigned long)shape * NPART + part;
	while (b < n) {
		cairo_text_cluster_t cl;

		for (e = b + 1; e < n && st->item[e].q == st->item[b].q; e++)
			;
		cairo_set_font_size(cr, st->item[b].q);
		cl.num_bytes = 0;
		cl.num_glyphs = (int)(e - b);
		cairo_show_text_glyphs(cr, "", 0, st->g + b, (int)(e - b), &cl,
				       1, 0);
		b = e;
	}
}

static int cmp_item(const void *a, const void *b)
{
	const struct stamp_item *p = a, *r = b;

	if (p->q != r->q)
		return p->q < r->q ? -1 : 1;
	return p->i < r->i ? -1 : p->i > r->i;
}

void render_stamps_draw(struct render_stamps *st, cairo_t *cr,
			enum render_shape shape, enum render_mark mark,
			uint32_t c, const double *x, const double *y,
			const double *s, size_t n)
{
	cairo_font_options_t *fo;
	size_t i, same = 1;

	cairo_new_path(cr);
	if (n == 0)
		return;
	if (!st->face) {
		for (i = 0; i < n; i++)
			render_symbol_path(cr, shape, x[i], y[i],
					   render_mark_size(mark, s[i]));
		render_paint_mark(cr, mark, c, st->base, st->edge);
		return;
	}
	reserve(st, n);
	/* The glyphs in order of size (then as given), each size one run:
	 * the fills all go down before the edges, so the order of a
	 * part's glyphs does not change the picture. */
	for (i = 0; i < n; i++) {
		double v = round(render_mark_size(mark, s[i]) * SIZE_STEP);

		st->item[i].q = fmax(v, 1) / SIZE_STEP;
		st->item[i].i = i;
		if (st->item[i].q != st->item[0].q)
			same = 0;
	}
	if (!same)
		qsort(st->item, n, sizeof(*st->item), cmp_item);
	for (i = 0; i < n; i++) {
		size_t k = st->item[i].i;

		st->g[i].x = x[k];
		st->g[i].y = y[k];
	}

	cairo_save(cr);
	cairo_set_font_face(cr, st->face);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);
	switch (mark) {
	case RENDER_MARK_HOLLOW:
		render_set_rgb(cr, RENDER_INK_SYMBOL_EDGE);
		show_part(st, cr, shape, PART_RING_UNDER, n);
		render_set_rgb(cr, c);
		show_part(st, cr, shape, PART_RING, n);
		break;
	case RENDER_MARK_MUTED:
		render_set_rgb(cr, render_muted_color(c));
		show_part(st, cr, shape, PART_FILL, n);
		render_set_rgb(cr, RENDER_INK_MUTED_EDGE);
		show_part(st, cr, shape, PART_MUTED_EDGE, n);
		break;
	case RENDER_MARK_FILLED:
	default:
		render_set_rgb(cr, c);
		show_part(st, cr, shape, PART_FILL, n);
		render_set_rgb(cr, RENDER_INK_SYMBOL_EDGE);
		show_part(st, cr, shape, PART_EDGE, n);
		break;
	}
	cairo_restore(cr);
}
