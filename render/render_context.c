/*
 * render_context.c - outlines of larger areas, their labels placed
 * without collisions, and the inset locator map.
 *
 * Everything is decided in render_context_load, once the map's frame and
 * transform are known: which outlines meet the frame, where each label
 * goes (a point well inside the visible part of its place: the pole of
 * inaccessibility of the place clipped to the frame, found by the
 * polylabel search), and which corner the inset takes.  The draw
 * functions only draw.
 */
#include "render/render_context.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "geo/geo_dissolve.h"
#include "render/render_text.h"

/* Ink. */
#define OUTLINE_INK 0x262626u
#define CASING_INK  0xffffffu
#define LABEL_INK   0x1a1a1au
#define INSET_LAND  0xdcdcdcu
#define INSET_EDGE  0x7a7a7au
#define INSET_MARK  0xd7191cu

struct ctx_label {
	char *text;
	double x, y, w, h; /* the text's box, page points */
};

struct render_context {
	struct geo_areas *outl; /* the outline level; NULL: none */
	unsigned char *vis;	/* [outl->n] meets the frame */
	size_t nstudy;		/* outl's first nstudy areas are the
				 * dissolves of the areas drawn; the rest
				 * are the context layer's own outlines */
	int coarse;		/* those are much coarser than the areas
				 * drawn: drawn only outside them */
	struct ctx_label *labels;
	size_t nlabels;
	double label_pt;	   /* label type size, points */
	struct geo_areas *region;  /* the inset's; NULL: no inset */
	struct render_box inset;   /* page points; w == 0: none */
	double isx, icx, icy;	   /* inset: points per metre, region centre */
	double fx0, fy0, fx1, fy1; /* the frame's extent, metres */
};

struct bbox {
	double x0, y0, x1, y1;
};

static const char *const level_order[] = {
    "blockgroup", "tract", "zcta", "neighborhood", "county", "state", NULL};

/* Does the workspace have areas of level?  0 on any error. */
static int ws_has_level(struct core_ws *ws, const char *level)
{
	sqlite3_stmt *st = NULL;
	int has = 0;

	if (sqlite3_prepare_v2(ws->db,
			       "SELECT 1 FROM areas WHERE level = ?1 LIMIT 1",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, level, -1, SQLITE_STATIC);
		has = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return has;
}

static int level_rank(const char *level)
{
	int i;

	for (i = 0; level_order[i]; i++)
		if (strcmp(level_order[i], level) == 0)
			return i;
	return -1;
}

/* ---------------------------------------------------------------------
 * Geometry on the flat arrays
 * ------------------------------------------------------------------ */

static size_t area_pt0(const struct geo_areas *a, size_t i)
{
	return a->pt_start[a->ring_start[a->part_start[i]]];
}

static size_t area_pt1(const struct geo_areas *a, size_t i)
{
	return a->pt_start[a->ring_start[a->part_start[i + 1]]];
}

static struct bbox area_bbox(const struct geo_areas *a, size_t i)
{
	struct bbox b = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
	size_t p;

	for (p = area_pt0(a, i); p < area_pt1(a, i); p++) {
		b.x0 = fmin(b.x0, a->x[p]);
		b.y0 = fmin(b.y0, a->y[p]);
		b.x1 = fmax(b.x1, a->x[p]);
		b.y1 = fmax(b.y1, a->y[p]);
	}
	return b;
}

static int bbox_meets(const struct bbox *a, const struct bbox *b)
{
	return a->x0 <= b->x1 && b->x0 <= a->x1 && a->y0 <= b->y1 &&
	       b->y0 <= a->y1;
}

/* Area (m^2) of area i: exteriors less holes. */
static double area_size(const struct geo_areas *a, size_t i)
{
	double total = 0;
	size_t j, k, p;

	for (j = a->part_start[i]; j < a->part_start[i + 1]; j++)
		for (k = a->ring_start[j]; k < a->ring_start[j + 1]; k++) {
			double s = 0;
			for (p = a->pt_start[k]; p + 1 < a->pt_start[k + 1];
			     p++)
				s += a->x[p] * a->y[p + 1] -
				     a->x[p + 1] * a->y[p];
			s = fabs(s) / 2;
			total += k == a->ring_start[j] ? s : -s;
		}
	return total;
}

/* Even-odd: is x, y inside any polygon of area i? */
static int area_contains(const struct geo_areas *a, size_t i, double x,
			 double y)
{
	size_t k, p, e;
	int in = 0;

	for (k = a->ring_start[a->part_start[i]];
	     k < a->ring_start[a->part_start[i + 1]]; k++) {
		e = a->pt_start[k + 1];
		for (p = a->pt_start[k]; p + 1 < e; p++) {
			double xa = a->x[p], ya = a->y[p];
			double xb = a->x[p + 1], yb = a->y[p + 1];
			if ((ya > y) != (yb > y) &&
			    x < (xb - xa) * (y - ya) / (yb - ya) + xa)
				in = !in;
		}
	}
	return in;
}

/* A simplified copy of one area's rings (points closer than tol to the
 * last one kept are dropped), for the label search. */
struct rings {
	double *x, *y;
	size_t *start; /* [n + 1] */
	size_t n;
};

static void rings_make(const struct geo_areas *a, size_t i, double tol,
		       struct rings *r)
{
	size_t k0 = a->ring_start[a->part_start[i]];
	size_t k1 = a->ring_start[a->part_start[i + 1]], k, p, np = 0;

	r->n = k1 - k0;
	r->start = xcalloc(r->n + 1, sizeof(size_t));
	r->x = xcalloc(area_pt1(a, i) - area_pt0(a, i) + 1, sizeof(double));
	r->y = xcalloc(area_pt1(a, i) - area_pt0(a, i) + 1, sizeof(double));
	for (k = k0; k < k1; k++) {
		size_t s = a->pt_start[k], e = a->pt_start[k + 1];

		r->start[k - k0] = np;
		for (p = s; p < e; p++) {
			/* Keep the first and last (closing) points. */
			if (p != s && p != e - 1 &&
			    hypot(a->x[p] - r->x[np - 1],
				  a->y[p] - r->y[np - 1]) < tol)
				continue;
			r->x[np] = a->x[p];
			r->y[np] = a->y[p];
			np++;
		}
	}
	r->start[r->n] = np;
}

static void rings_free(struct rings *r)
{
	free(r->x);
	free(r->y);
	free(r->start);
}

static double seg_dist2(double px, double py, double ax, double ay, double bx,
			double by)
{
	double dx = bx - ax, dy = by - ay, t = 0, l2 = dx * dx + dy * dy;

	if (l2 > 0) {
		t = ((px - ax) * dx + (py - ay) * dy) / l2;
		t = t < 0 ? 0 : t > 1 ? 1 : t;
	}
	dx = ax + t * dx - px;
	dy = ay + t * dy - py;
	return dx * dx + dy * dy;
}

/* Signed distance from x, y to the rings (positive inside), and to the
 * box b (positive inside): the smaller, so positive means inside both. */
static double sdist(const struct rings *r, const struct bbox *b, double x,
		    double y)
{
	double d2 = HUGE_VAL, d, db;
	size_t k, p;
	int in = 0;

	for (k = 0; k < r->n; k++)
		for (p = r->start[k]; p + 1 < r->start[k + 1]; p++) {
			double xa = r->x[p], ya = r->y[p];
			double xb = r->x[p + 1], yb = r->y[p + 1];
			if ((ya > y) != (yb > y) &&
			    x < (xb - xa) * (y - ya) / (yb - ya) + xa)
				in = !in;
			d = seg_dist2(x, y, xa, ya, xb, yb);
			if (d < d2)
				d2 = d;
		}
	d = (in ? 1 : -1) * sqrt(d2);
	db = fmin(fmin(x - b->x0, b->x1 - x), fmin(y - b->y0, b->y1 - y));
	return fmin(d, db);
}

struct cell {
	double x, y, h, d, max;
};

static void heap_push(struct cell **hp, size_t *n, size_t *cap, struct cell c)
{
	struct cell *h;
	size_t i;

	xgrow((void **)hp, cap, *n + 1, sizeof(**hp));
	h = *hp;
	i = (*n)++;
	while (i > 0 && h[(i - 1) / 2].max < c.max) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = c;
}

static struct cell heap_pop(struct cell *h, size_t *n)
{
	struct cell top = h[0], last = h[--*n];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < *n) {
		if (c + 1 < *n && h[c + 1].max > h[c].max)
			c++;
		if (h[c].max <= last.max)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n > 0)
		h[i] = last;
	return top;
}

static struct cell make_cell(const struct rings *r, const struct bbox *b,
			     double x, double y, double h)
{
	struct cell c;

	c.x = x;
	c.y = y;
	c.h = h;
	c.d = sdist(r, b, x, y);
	c.max = c.d + h * M_SQRT2;
	return c;
}

/*
 * The pole of inaccessibility of rings clipped to box b (polylabel,
 * Agafonkin 2016): the point farthest inside, to within precision.
 * Returns its distance inside (<= 0 when the two do not meet).
 */
static double pole(const struct rings *r, const struct bbox *b,
		   double precision, double *px, double *py)
{
	struct cell *heap = NULL, best, c;
	size_t n = 0, cap = 0, iter = 0;
	double w = b->x1 - b->x0, h = b->y1 - b->y0, size, x, y;

	/* Square cells covering the box; not too many for a thin one. */
	size = fmax(fmin(w, h), fmax(w, h) / 64);
	*px = (b->x0 + b->x1) / 2;
	*py = (b->y0 + b->y1) / 2;
	if (!(size > 0))
		return 0;
	best = make_cell(r, b, *px, *py, 0);
	for (x = b->x0; x < b->x1; x += size)
		for (y = b->y0; y < b->y1; y += size)
			heap_push(&heap, &n, &cap,
				  make_cell(r, b, x + size / 2, y + size / 2,
					    size / 2));
	while (n > 0 && iter++ < 4000) {
		c = heap_pop(heap, &n);
		if (c.d > best.d)
			best = c;
		if (c.max - best.d <= precision)
			continue;
		h = c.h / 2;
		heap_push(&heap, &n, &cap,
			  make_cell(r, b, c.x - h, c.y - h, h));
		heap_push(&heap, &n, &cap,
			  make_cell(r, b, c.x + h, c.y - h, h));
		heap_push(&heap, &n, &cap,
			  make_cell(r, b, c.x - h, c.y + h, h));
		heap_push(&heap, &n, &cap,
			  make_cell(r, b, c.x + h, c.y + h, h));
	}
	free(heap);
	*px = best.x;
	*py = best.y;
	return best.d;
}

/* ---------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------ */

static int boxes_meet(const struct render_box *a, const struct render_box *b,
		      double gap)
{
	if (a->w <= 0 || b->w <= 0)
		return 0;
	return a->x < b->x + b->w + gap && b->x < a->x + a->w + gap &&
	       a->y < b->y + b->h + gap && b->y < a->y + a->h + gap;
}

/* Page point back to projected metres. */
static void page_to_proj(const struct render_map *m, double px, double py,
			 double *X, double *Y)
{
	*X = m->cx + (px - m->frame.x - m->frame.w / 2) / m->sx;
	*Y = m->cy - (py - m->frame.y - m->frame.h / 2) / m->sx;
}

/* Does segment a-b meet box b (Liang-Barsky)? */
static int seg_meets_box(double ax, double ay, double bx, double by,
			 const struct bbox *b)
{
	double t0 = 0, t1 = 1, dx = bx - ax, dy = by - ay;
	double p[4] = {-dx, dx, -dy, dy};
	double q[4] = {ax - b->x0, b->x1 - ax, ay - b->y0, b->y1 - ay};
	int k;

	for (k = 0; k < 4; k++) {
		if (p[k] == 0) {
			if (q[k] < 0)
				return 0;
			continue;
		}
		double t = q[k] / p[k];
		if (p[k] < 0) {
			if (t > t1)
				return 0;
			if (t > t0)
				t0 = t;
		} else {
			if (t < t0)
				return 0;
			if (t < t1)
				t1 = t;
		}
	}
	return 1;
}

/* Does box b (projected metres) meet area i: an edge crosses it, or it
 * lies inside the area? */
static int area_meets_box(const struct geo_areas *a, size_t i,
			  const struct bbox *b)
{
	size_t k, p;

	for (k = a->ring_start[a->part_start[i]];
	     k < a->ring_start[a->part_start[i + 1]]; k++)
		for (p = a->pt_start[k]; p + 1 < a->pt_start[k + 1]; p++)
			if (seg_meets_box(a->x[p], a->y[p], a->x[p + 1],
					  a->y[p + 1], b))
				return 1;
	return area_contains(a, i, (b->x0 + b->x1) / 2, (b->y0 + b->y1) / 2);
}

/* How much of the map's data a box on the page would hide: the areas it
 * meets (exactly, with a margin for their edges), plus two for each
 * asset drawn under it.  0: none at all. */
static double data_under(const struct render_map *m, const struct bbox *ab,
			 const struct render_box *b)
{
	double score = 0, grow = 2 * m->f + m->sym_base / 2;
	struct bbox pb;
	size_t i, k;

	page_to_proj(m, b->x - grow, b->y + b->h + grow, &pb.x0, &pb.y0);
	page_to_proj(m, b->x + b->w + grow, b->y - grow, &pb.x1, &pb.y1);
	for (i = 0; i < m->areas->n; i++)
		if (bbox_meets(&ab[i], &pb) && area_meets_box(m->areas, i, &pb))
			score += 1;
	for (k = 0; k < m->assets->n; k++) {
		double px, py;

		if (!m->shown[k])
			continue;
		render_to_page(m, m->assets->x[k], m->assets->y[k], &px, &py);
		if (px >= b->x - grow && px <= b->x + b->w + grow &&
		    py >= b->y - grow && py <= b->y + b->h + grow)
			score += 2;
	}
	return score;
}

/* The inset outside the frame, when every corner would hide data: in
 * the legend's column under the legend, or in the band beside the
 * legend when it lies below the map; scaled down to the room there.
 * Returns 0 when there is no room (no inset then). */
static int inset_outside(const struct render_map *m, double bw, double bh,
			 struct render_box *out)
{
	const double gap = 12 * m->f;
	double x, y, w, h, k;

	if (!m->legend_across) {
		x = m->legend_box.x;
		y = m->legend_box.y + m->legend_box.h + gap;
		w = m->legend_box.w;
		h = m->ns_box.y - gap - y;
	} else {
		x = m->legend_box.x + m->legend_box.w + gap;
		y = m->legend_box.y;
		w = m->ns_box.x - gap - x;
		h = m->page_h - 26 * m->f - y;
		if (m->note_box.y > y)
			h = fmin(h, m->note_box.y - gap / 2 - y);
	}
	k = fmin(1, fmin(w / bw, h / bh));
	if (!(k > 0) || bw * k < 40 * m->f || bh * k < 30 * m->f)
		return 0;
	*out = (struct render_box){x, y, bw * k, bh * k};
	return 1;
}

/* The inset: the region's extent against the frame's; the corner that
 * hides nothing, else a place outside the frame. */
static void place_inset(struct render_context *c, const struct render_map *m)
{
	const struct geo_areas *g = c->region;
	double rw = g->maxx - g->minx, rh = g->maxy - g->miny;
	double fw = c->fx1 - c->fx0, fh = c->fy1 - c->fy0;
	double side, a, bw, bh, k, margin = 6 * m->f, best = HUGE_VAL;
	struct bbox *ab;
	size_t i;
	int corner;

	if (g->npts == 0 || !(rw > 0 && rh > 0) ||
	    (rw <= 1.25 * fw && rh <= 1.25 * fh))
		return;
	side = 0.3 * fmin(m->frame.w, m->frame.h);
	a = rw / rh;
	bw = side * sqrt(a);
	bh = side / sqrt(a);
	k = fmin(1, fmin(0.36 * m->frame.w / bw, 0.36 * m->frame.h / bh));
	bw *= k;
	bh *= k;
	ab = xcalloc(m->areas->n + 1, sizeof(*ab));
	for (i = 0; i < m->areas->n; i++)
		ab[i] = area_bbox(m->areas, i);
	/* Corners in order of preference: bottom left, top left, bottom
	 * right, top right; a later one must hide strictly less. */
	for (corner = 0; corner < 4; corner++) {
		struct render_box b;
		double s;

		b.w = bw;
		b.h = bh;
		b.x = corner < 2 ? m->frame.x + margin
				 : m->frame.x + m->frame.w - margin - bw;
		b.y = corner % 2 == 0 ? m->frame.y + m->frame.h - margin - bh
				      : m->frame.y + margin;
		s = data_under(m, ab, &b);
		if (s < best) {
			best = s;
			c->inset = b;
		}
	}
	free(ab);
	/* No corner is empty: outside the frame, or no inset at all. */
	if (best > 0 && !inset_outside(m, bw, bh, &c->inset)) {
		c->inset = (struct render_box){0, 0, 0, 0};
		return;
	}
	bw = c->inset.w;
	bh = c->inset.h;
	{
		double pad = 4 * m->f;
		c->isx = fmin((bw - 2 * pad) / rw, (bh - 2 * pad) / rh);
		c->icx = (g->minx + g->maxx) / 2;
		c->icy = (g->miny + g->maxy) / 2;
	}
}

/* Label candidates: the pole, and GRID x GRID points over the place. */
#define GRID 9

struct cand {
	size_t i;
	double size;
};

static int by_size(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;

	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* Does the label box b fit: in the frame, clear of the furniture, the
 * inset and the labels placed so far? */
static int label_fits(const struct render_context *c,
		      const struct render_map *m, const struct render_box *b,
		      double gap)
{
	const struct render_box *avoid[] = {
	    &m->legend_box, &m->ns_box, &m->title_box, &m->note_box, &c->inset};
	size_t i;

	if (b->x < m->frame.x + gap || b->y < m->frame.y + gap ||
	    b->x + b->w > m->frame.x + m->frame.w - gap ||
	    b->y + b->h > m->frame.y + m->frame.h - gap)
		return 0;
	for (i = 0; i < sizeof(avoid) / sizeof(avoid[0]); i++)
		if (boxes_meet(b, avoid[i], gap))
			return 0;
	for (i = 0; i < c->nlabels; i++) {
		struct render_box o = {c->labels[i].x, c->labels[i].y,
				       c->labels[i].w, c->labels[i].h};
		if (boxes_meet(b, &o, gap))
			return 0;
	}
	return 1;
}

/* Counts of drawn symbols over the frame, summed so that any box's
 * count is four lookups. */
struct density {
	double x0, y0, cell;
	int nx, ny;
	unsigned *sum; /* [(ny + 1) * (nx + 1)] */
};

static void density_make(struct density *d, const struct render_map *m)
{
	size_t k;
	int i, j;
	unsigned *cnt;

	d->cell = 4 * m->f;
	d->x0 = m->frame.x;
	d->y0 = m->frame.y;
	d->nx = (int)ceil(m->frame.w / d->cell) + 1;
	d->ny = (int)ceil(m->frame.h / d->cell) + 1;
	d->sum = xcalloc((size_t)(d->nx + 1) * (size_t)(d->ny + 1),
			 sizeof(unsigned));
	cnt = xcalloc((size_t)d->nx * (size_t)d->ny, sizeof(unsigned));
	for (k = 0; m->shown && k < m->assets->n; k++) {
		double px, py;

		if (!m->shown[k])
			continue;
		render_to_page(m, m->assets->x[k], m->assets->y[k], &px, &py);
		i = (int)floor((px - d->x0) / d->cell);
		j = (int)floor((py - d->y0) / d->cell);
		if (i >= 0 && j >= 0 && i < d->nx && j < d->ny)
			cnt[(size_t)j * (size_t)d->nx + (size_t)i]++;
	}
	for (j = 0; j < d->ny; j++)
		for (i = 0; i < d->nx; i++)
			d->sum[(size_t)(j + 1) * (size_t)(d->nx + 1) +
			       (size_t)(i + 1)] =
			    cnt[(size_t)j * (size_t)d->nx + (size_t)i] +
			    d->sum[(size_t)j * (size_t)(d->nx + 1) +
				   (size_t)(i + 1)] +
			    d->sum[(size_t)(j + 1) * (size_t)(d->nx + 1) +
				   (size_t)i] -
			    d->sum[(size_t)j * (size_t)(d->nx + 1) + (size_t)i];
	free(cnt);
}

/* Symbols drawn within (about) box b, grown by r points. */
static unsigned density_count(const struct density *d,
			      const struct render_box *b, double r)
{
	int i0 = (int)floor((b->x - r - d->x0) / d->cell);
	int j0 = (int)floor((b->y - r - d->y0) / d->cell);
	int i1 = (int)floor((b->x + b->w + r - d->x0) / d->cell) + 1;
	int j1 = (int)floor((b->y + b->h + r - d->y0) / d->cell) + 1;
	size_t w = (size_t)d->nx + 1;

	i0 = i0 < 0 ? 0 : i0 > d->nx ? d->nx : i0;
	i1 = i1 < 0 ? 0 : i1 > d->nx ? d->nx : i1;
	j0 = j0 < 0 ? 0 : j0 > d->ny ? d->ny : j0;
	j1 = j1 < 0 ? 0 : j1 > d->ny ? d->ny : j1;
	return d->sum[(size_t)j1 * w + (size_t)i1] -
	       d->sum[(size_t)j0 * w + (size_t)i1] -
	       d->sum[(size_t)j1 * w + (size_t)i0] +
	       d->sum[(size_t)j0 * w + (size_t)i0];
}

/* Place the names of the visible outline areas (largest area first) into
 * c->labels, which c owns.  Each label goes at the point inside the
 * visible part of its area that hides the fewest asset symbols, nearest
 * the area's pole of inaccessibility among those, among the places where
 * it stays in the frame, clear of the furniture, the inset and the labels
 * already placed; an area with no such place gets no label.  Sets
 * c->label_pt. */
static void place_labels(struct render_context *c, struct render_map *m)
{
	const struct geo_areas *a = c->outl;
	cairo_surface_t *s =
	    cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
	cairo_t *cr = cairo_create(s);
	PangoContext *pc;
	struct cand *cand = xcalloc(a->n + 1, sizeof(*cand));
	struct bbox fb;
	struct density dens;
	size_t i, nc = 0, cap = 0;
	double gap = 2 * m->f, ins = 4 * m->f / m->sx;

	c->label_pt = 9 * m->f;
	density_make(&dens, m);
	cairo_scale(cr, m->dev, m->dev);
	pc = render_text_context(&m->fonts, m->format == RENDER_PNG, cr);
	for (i = 0; i < a->n; i++)
		if (c->vis[i] && a->name[i] && *a->name[i]) {
			cand[nc].i = i;
			cand[nc++].size = area_size(a, i);
		}
	qsort(cand, nc, sizeof(*cand), by_size);
	/* Labels keep a little inside the frame's edge. */
	fb.x0 = c->fx0 + ins;
	fb.y0 = c->fy0 + ins;
	fb.x1 = c->fx1 - ins;
	fb.y1 = c->fy1 - ins;
	for (i = 0; i < nc; i++) {
		const char *name = a->name[cand[i].i];
		PangoLayout *l = render_text(pc, name, c->label_pt, 1, 0);
		struct rings r;
		struct bbox ab, ib;
		struct render_box best = {0, 0, 0, 0};
		double w, h, X, Y, d, px, py, best_score;
		int t, found;

		render_text_size(l, &w, &h);
		g_object_unref(l);
		ab = area_bbox(a, cand[i].i);
		ib.x0 = fmax(ab.x0, fb.x0);
		ib.y0 = fmax(ab.y0, fb.y0);
		ib.x1 = fmin(ab.x1, fb.x1);
		ib.y1 = fmin(ab.y1, fb.y1);
		if (!(ib.x1 > ib.x0 && ib.y1 > ib.y0))
			continue;
		rings_make(a, cand[i].i, 0.5 / m->sx, &r);
		d = pole(&r, &ib, 1.0 / m->sx, &X, &Y);
		/* Too little of the place shows to name it. */
		if (d * m->sx < h / 2) {
			rings_free(&r);
			continue;
		}
		render_to_page(m, X, Y, &px, &py);
		/* The pole and a grid of points well inside the visible
		 * place: the one that hides the fewest symbols, nearest the
		 * pole among those. */
		found = 0;
		best_score = HUGE_VAL;
		for (t = -1; t < GRID * GRID; t++) {
			struct render_box b;
			double cx = px, cy = py, CX, CY, score;

			if (t >= 0) {
				CX = ib.x0 +
				     (ib.x1 - ib.x0) * (t % GRID + 0.5) / GRID;
				CY = ib.y0 +
				     (ib.y1 - ib.y0) * (t / GRID + 0.5) / GRID;
				if (sdist(&r, &ib, CX, CY) * m->sx < h / 2)
					continue;
				render_to_page(m, CX, CY, &cx, &cy);
			}
			b = (struct render_box){cx - w / 2, cy - h / 2, w, h};
			if (!label_fits(c, m, &b, gap))
				continue;
			score =
			    1e6 * density_count(&dens, &b, m->sym_base / 2) +
			    hypot(cx - px, cy - py);
			if (score < best_score) {
				best_score = score;
				best = b;
				found = 1;
			}
		}
		if (found) {
			xgrow((void **)&c->labels, &cap, c->nlabels + 1,
			      sizeof(*c->labels));
			c->labels[c->nlabels++] = (struct ctx_label){
			    xstrdup(name), best.x, best.y, best.w, best.h};
		}
		rings_free(&r);
	}
	free(cand);
	free(dens.sum);
	g_object_unref(pc);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
}

/* Append area i of src (its rings, geoid and name) to dst. */
static void areas_append(struct geo_areas *dst, const struct geo_areas *src,
			 size_t i)
{
	size_t j, k, p, n = dst->n;

	dst->geoid = xrealloc(dst->geoid, (n + 1) * sizeof(char *));
	dst->name = xrealloc(dst->name, (n + 1) * sizeof(char *));
	dst->population = xrealloc(dst->population, (n + 1) * sizeof(double));
	dst->value = xrealloc(dst->value, (n + 1) * sizeof(double));
	dst->flags = xrealloc(dst->flags, (n + 1) * sizeof(int));
	dst->part_start = xrealloc(dst->part_start, (n + 2) * sizeof(size_t));
	dst->geoid[n] = xstrdup(src->geoid[i] ? src->geoid[i] : "");
	dst->name[n] = src->name[i] ? xstrdup(src->name[i]) : NULL;
	dst->population[n] = src->population[i];
	dst->value[n] = src->value[i];
	dst->flags[n] = src->flags[i];
	for (j = src->part_start[i]; j < src->part_start[i + 1]; j++) {
		for (k = src->ring_start[j]; k < src->ring_start[j + 1]; k++) {
			size_t s = src->pt_start[k], e = src->pt_start[k + 1];

			dst->x = xrealloc(dst->x,
					  (dst->npts + e - s) * sizeof(double));
			dst->y = xrealloc(dst->y,
					  (dst->npts + e - s) * sizeof(double));
			for (p = s; p < e; p++) {
				dst->x[dst->npts] = src->x[p];
				dst->y[dst->npts] = src->y[p];
				dst->minx = fmin(dst->minx, src->x[p]);
				dst->miny = fmin(dst->miny, src->y[p]);
				dst->maxx = fmax(dst->maxx, src->x[p]);
				dst->maxy = fmax(dst->maxy, src->y[p]);
				dst->npts++;
			}
			dst->nrings++;
			dst->pt_start = xrealloc(
			    dst->pt_start, (dst->nrings + 1) * sizeof(size_t));
			dst->pt_start[dst->nrings] = dst->npts;
		}
		dst->nparts++;
		dst->ring_start = xrealloc(dst->ring_start,
					   (dst->nparts + 1) * sizeof(size_t));
		dst->ring_start[dst->nparts] = dst->nrings;
	}
	dst->part_start[n + 1] = dst->nparts;
	dst->n = n + 1;
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/* The median length of the edges of areas i0 .. i1 - 1 of a that meet
 * box b (all of them when b is NULL); 0 when there are none. */
static double median_edge(const struct geo_areas *a, size_t i0, size_t i1,
			  const struct bbox *b)
{
	double *len = NULL, med = 0;
	size_t i, k, p, n = 0, cap = 0;

	for (i = i0; i < i1; i++)
		for (k = a->ring_start[a->part_start[i]];
		     k < a->ring_start[a->part_start[i + 1]]; k++)
			for (p = a->pt_start[k]; p + 1 < a->pt_start[k + 1];
			     p++) {
				struct bbox e = {fmin(a->x[p], a->x[p + 1]),
						 fmin(a->y[p], a->y[p + 1]),
						 fmax(a->x[p], a->x[p + 1]),
						 fmax(a->y[p], a->y[p + 1])};

				if (b && !bbox_meets(&e, b))
					continue;
				xgrow((void **)&len, &cap, n + 1, sizeof(*len));
				len[n++] = hypot(a->x[p + 1] - a->x[p],
						 a->y[p + 1] - a->y[p]);
			}
	if (n > 0) {
		qsort(len, n, sizeof(*len), cmp_double);
		med = len[n / 2];
	}
	free(len);
	return med;
}

/* The outline area of o (ordered by GEOID, as geo_areas_load gives
 * them) whose GEOID is a proper prefix of g, or o->n for none: a binary
 * search for the last GEOID not after g, then a few before it (a
 * shorter prefix sorts before the longer ones that extend it). */
static size_t prefix_of(const struct geo_areas *o, const char *g)
{
	size_t lo = 0, hi = o->n, j, k;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(o->geoid[mid], g) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = 0, j = lo; j > 0 && k < 8; j--, k++) {
		const char *p = o->geoid[j - 1];
		size_t len = strlen(p);

		if (len > 0 && strlen(g) > len && strncmp(g, p, len) == 0)
			return j - 1;
	}
	return o->n;
}

/*
 * Replace c->outl (the context level's own outlines, often far coarser
 * than the areas drawn: a 1:10M county across a city's tracts) by: first
 * the dissolve (GEOS union) of the areas drawn that lie in each outline
 * area, by GEOID prefix (a tract 06075xxxxxx lies in county 06075), at
 * the areas' own detail and with the outline area's name; then the other
 * outline areas as they are, marked coarse (drawn only outside the areas
 * drawn) when their edges are much longer than the areas'.  Areas drawn that
 * lie in no outline area are dissolved into one more outline, unnamed.
 * Nothing changes when the outlines' detail fits the page's scale.
 */
static int study_outlines(struct render_context *c, const struct render_map *m,
			  struct core_err *err)
{
	const struct geo_areas *a = m->areas, *o = c->outl;
	int *group = NULL, *ogroup = NULL;
	const char **keys = NULL;
	size_t i, j, ng = 0;
	int rest = -1, rc = CORE_OK;
	struct geo_areas *d = NULL, *merged = NULL;

	if (a->n == 0)
		return CORE_OK;
	{
		/* An outline whose detail fits the page's scale (edges under
		 * 3 points at the median: a state of 1:10M counties) is
		 * drawn as it is, without the cost of a dissolve. */
		struct bbox fb = {c->fx0, c->fy0, c->fx1, c->fy1};

		if (median_edge(o, 0, o->n, &fb) * m->sx < 3)
			return CORE_OK;
	}
	group = xmalloc(a->n * sizeof(int));
	ogroup = xmalloc((o->n + 1) * sizeof(int));
	keys = xcalloc(o->n + 2, sizeof(*keys));
	for (j = 0; j < o->n; j++)
		ogroup[j] = -1;
	for (i = 0; i < a->n; i++) {
		group[i] = -1;
		j = a->geoid[i] ? prefix_of(o, a->geoid[i]) : o->n;
		if (j < o->n) {
			if (ogroup[j] < 0) {
				ogroup[j] = (int)ng;
				keys[ng++] = o->geoid[j];
			}
			group[i] = ogroup[j];
		} else {
			if (rest < 0) {
				rest = (int)ng;
				keys[ng++] = "";
			}
			group[i] = rest;
		}
	}
	/* Snap to a tenth of a point, drop holes under a square point:
	 * what the page cannot show. */
	if ((rc = geo_areas_dissolve(a, group, ng, keys, 0.1 / m->sx,
				     1.0 / (m->sx * m->sx), &d, err)))
		goto cleanup;
	merged = xcalloc(1, sizeof(*merged));
	merged->part_start = xcalloc(1, sizeof(size_t));
	merged->ring_start = xcalloc(1, sizeof(size_t));
	merged->pt_start = xcalloc(1, sizeof(size_t));
	merged->minx = merged->miny = HUGE_VAL;
	merged->maxx = merged->maxy = -HUGE_VAL;
	for (i = 0; i < ng; i++) {
		areas_append(merged, d, i);
		for (j = 0; j < o->n; j++)
			if (ogroup[j] == (int)i && o->name[j]) {
				free(merged->name[i]);
				merged->name[i] = xstrdup(o->name[j]);
			}
	}
	c->nstudy = ng;
	for (j = 0; j < o->n; j++)
		if (ogroup[j] < 0)
			areas_append(merged, o, j);
	/* The rest are drawn over the areas when their detail is of the
	 * areas' order (county lines across ZIP areas), only outside them
	 * when much coarser (a 1:10M county across a city's tracts): edges
	 * in the frame four times as long, at the median. */
	if (merged->n > ng) {
		struct bbox fb = {c->fx0, c->fy0, c->fx1, c->fy1};
		double mo = median_edge(merged, ng, merged->n, &fb);
		double ma = median_edge(a, 0, a->n, NULL);

		c->coarse = ma > 0 && mo > 4 * ma;
	}
	geo_areas_free(c->outl);
	c->outl = merged;
	merged = NULL;
cleanup:
	geo_areas_free(d);
	geo_areas_free(merged);
	free(group);
	free(ogroup);
	free(keys);
	return rc;
}

int render_context_load(struct render_map *m, struct core_ws *ws,
			const struct render_spec *spec,
			struct render_context **out, struct core_err *err)
{
	struct render_context *c = xcalloc(1, sizeof(*c));
	const char *level = NULL;
	struct bbox fb;
	size_t i;
	int rc = CORE_OK;

	*out = NULL;
	c->fx0 = m->cx - m->frame.w / 2 / m->sx;
	c->fx1 = m->cx + m->frame.w / 2 / m->sx;
	c->fy0 = m->cy - m->frame.h / 2 / m->sx;
	c->fy1 = m->cy + m->frame.h / 2 / m->sx;
	fb = (struct bbox){c->fx0, c->fy0, c->fx1, c->fy1};

	/* The outline level. */
	if (spec->outline &&
	    (!*spec->outline || strcmp(spec->outline, "none") == 0)) {
		level = NULL;
	} else if (spec->outline) {
		if (level_rank(spec->outline) < 0) {
			rc = core_err_set(
			    err, CORE_EUSAGE,
			    "--outline: '%s' is not an area level; use county, "
			    "state, tract, blockgroup, zcta, neighborhood or "
			    "none",
			    spec->outline);
			goto cleanup;
		}
		level = spec->outline;
	} else if ((m->hex_width > 0 ||
		    (level_rank(m->level) >= 0 &&
		     level_rank(m->level) <= level_rank("neighborhood"))) &&
		   ws_has_level(ws, "neighborhood")) {
		/* a user's own neighbourhoods name places better than a
		 * county does: outlined and labelled by their names */
		level = "neighborhood";
	} else if (level_rank(m->level) >= 0 &&
		   level_rank(m->level) < level_rank("county")) {
		level = "county";
	}
	if (level) {
		if ((rc = geo_areas_load(ws, level, NULL, m->proj, &c->outl,
					 err)))
			goto cleanup;
		if (c->outl->n == 0) {
			geo_areas_free(c->outl);
			c->outl = NULL;
			if (spec->outline) {
				rc = core_err_set(
				    err, CORE_ENOTFOUND,
				    "--outline: workspace %s has no %s areas; "
				    "import some with 'assetmap import areas "
				    "... --level %s', or give --outline none",
				    ws->path, level, level);
				goto cleanup;
			}
		}
	}
	/* Neighbourhoods are no census level that the areas' GEOIDs nest
	 * in: drawn as the user made them. */
	if (c->outl && strcmp(level, "neighborhood") != 0 &&
	    (rc = study_outlines(c, m, err)))
		goto cleanup;
	if (c->outl) {
		c->vis = xcalloc(c->outl->n + 1, 1);
		for (i = 0; i < c->outl->n; i++) {
			struct bbox b = area_bbox(c->outl, i);
			c->vis[i] = bbox_meets(&b, &fb);
		}
	}

	/* The inset: the state, or else every county, when larger than
	 * what the frame shows. */
	if (!spec->no_inset) {
		if ((rc = geo_areas_load(ws, "state", NULL, m->proj, &c->region,
					 err)))
			goto cleanup;
		if (c->region->n == 0) {
			geo_areas_free(c->region);
			c->region = NULL;
			if ((rc = geo_areas_load(ws, "county", NULL, m->proj,
						 &c->region, err)))
				goto cleanup;
		}
		place_inset(c, m);
		if (c->inset.w <= 0) {
			geo_areas_free(c->region);
			c->region = NULL;
		}
	}

	if (c->outl && !spec->no_labels)
		place_labels(c, m);
	*out = c;
	c = NULL;
cleanup:
	render_context_free(c);
	return rc;
}

void render_context_free(struct render_context *c)
{
	size_t i;

	if (!c)
		return;
	geo_areas_free(c->outl);
	geo_areas_free(c->region);
	free(c->vis);
	for (i = 0; i < c->nlabels; i++)
		free(c->labels[i].text);
	free(c->labels);
	free(c);
}

/* ---------------------------------------------------------------------
 * Drawing
 * ------------------------------------------------------------------ */

/* The rings of area i as a path, points closer than tol points to the
 * last one drawn skipped. */
typedef void (*xform_fn)(const void *t, double X, double Y, double *px,
			 double *py);

static void area_path(cairo_t *cr, const struct geo_areas *a, size_t i,
		      xform_fn fn, const void *t, double tol)
{
	size_t k, p;

	for (k = a->ring_start[a->part_start[i]];
	     k < a->ring_start[a->part_start[i + 1]]; k++) {
		size_t s = a->pt_start[k], e = a->pt_start[k + 1];
		double lx = 0, ly = 0, px, py;

		for (p = s; p < e; p++) {
			fn(t, a->x[p], a->y[p], &px, &py);
			if (p == s) {
				cairo_move_to(cr, px, py);
			} else if (p == e - 1 || fabs(px - lx) >= tol ||
				   fabs(py - ly) >= tol) {
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

static void map_xform(const void *t, double X, double Y, double *px, double *py)
{
	render_to_page(t, X, Y, px, py);
}

struct inset_t {
	const struct render_context *c;
	const struct render_map *m;
};

static void inset_xform(const void *t, double X, double Y, double *px,
			double *py)
{
	const struct inset_t *it = t;
	const struct render_box *b = &it->c->inset;

	*px = b->x + b->w / 2 + (X - it->c->icx) * it->c->isx;
	*py = b->y + b->h / 2 - (Y - it->c->icy) * it->c->isx;
}

/* Stroke outlines i0 .. i1 - 1 of c that meet the frame. */
static void outline_stroke(const struct render_context *c,
			   const struct render_map *m, cairo_t *cr, size_t i0,
			   size_t i1)
{
	size_t i;

	cairo_new_path(cr);
	for (i = i0; i < i1; i++)
		if (c->vis[i])
			area_path(cr, c->outl, i, map_xform, m, 0.25);
	/* A light casing under a dark line reads on light and dark classes
	 * alike, and in greyscale. */
	render_set_rgb(cr, CASING_INK);
	cairo_set_line_width(cr, 2.8 * m->f);
	cairo_stroke_preserve(cr);
	render_set_rgb(cr, OUTLINE_INK);
	cairo_set_line_width(cr, 1.3 * m->f);
	cairo_stroke(cr);
}

void render_context_draw_outlines(const struct render_context *c,
				  const struct render_map *m, cairo_t *cr)
{
	size_t i;

	if (!c || !c->outl)
		return;
	cairo_save(cr);
	cairo_rectangle(cr, m->frame.x, m->frame.y, m->frame.w, m->frame.h);
	cairo_clip(cr);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	/* The context's own outlines only outside the areas drawn: a coarse
	 * county line never crosses the tracts. */
	if (c->coarse && c->nstudy > 0 && c->outl->n > c->nstudy) {
		cairo_save(cr);
		cairo_new_path(cr);
		cairo_rectangle(cr, m->frame.x, m->frame.y, m->frame.w,
				m->frame.h);
		for (i = 0; i < c->nstudy; i++)
			area_path(cr, c->outl, i, map_xform, m, 0.25);
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
		cairo_clip(cr);
		outline_stroke(c, m, cr, c->nstudy, c->outl->n);
		cairo_restore(cr);
	} else {
		outline_stroke(c, m, cr, c->nstudy, c->outl->n);
	}
	outline_stroke(c, m, cr, 0, c->nstudy);
	cairo_restore(cr);
}

void render_context_draw_labels(const struct render_context *c,
				const struct render_map *m, PangoContext *pc,
				cairo_t *cr)
{
	size_t i;

	if (!c || c->nlabels == 0)
		return;
	cairo_save(cr);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	for (i = 0; i < c->nlabels; i++) {
		const struct ctx_label *l = &c->labels[i];
		PangoLayout *lay = render_text(pc, l->text, c->label_pt, 1, 0);

		render_show_haloed(cr, lay, l->x, l->y, CASING_INK, 2.6 * m->f,
				   LABEL_INK);
		g_object_unref(lay);
	}
	cairo_restore(cr);
}

void render_context_draw_inset(const struct render_context *c,
			       const struct render_map *m, cairo_t *cr)
{
	const struct render_box *b;
	struct inset_t it;
	double x0, y0, x1, y1, w, h, minw = 5 * m->f;
	size_t i;

	if (!c || !c->region || c->inset.w <= 0)
		return;
	b = &c->inset;
	it.c = c;
	it.m = m;
	cairo_save(cr);
	cairo_rectangle(cr, b->x, b->y, b->w, b->h);
	render_set_rgb(cr, 0xffffffu);
	cairo_fill_preserve(cr);
	render_set_rgb(cr, INSET_EDGE);
	cairo_set_line_width(cr, 0.75 * m->f);
	cairo_stroke(cr);
	cairo_rectangle(cr, b->x, b->y, b->w, b->h);
	cairo_clip(cr);

	cairo_new_path(cr);
	for (i = 0; i < c->region->n; i++)
		area_path(cr, c->region, i, inset_xform, &it, 0.3);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	render_set_rgb(cr, INSET_LAND);
	cairo_fill_preserve(cr);
	render_set_rgb(cr, INSET_EDGE);
	cairo_set_line_width(cr, 0.4 * m->f);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_stroke(cr);

	/* The main map's extent, at least a few points across. */
	inset_xform(&it, c->fx0, c->fy1, &x0, &y0);
	inset_xform(&it, c->fx1, c->fy0, &x1, &y1);
	w = fmax(x1 - x0, minw);
	h = fmax(y1 - y0, minw);
	cairo_rectangle(cr, (x0 + x1 - w) / 2, (y0 + y1 - h) / 2, w, h);
	render_set_rgb(cr, INSET_MARK);
	cairo_set_line_width(cr, 1.5 * m->f);
	cairo_stroke(cr);
	cairo_restore(cr);
}

size_t render_context_label_count(const struct render_context *c)
{
	return c ? c->nlabels : 0;
}

const char *render_context_label(const struct render_context *c, size_t i)
{
	return c && i < c->nlabels ? c->labels[i].text : NULL;
}

void render_context_label_box(const struct render_context *c, size_t i,
			      double *x, double *y, double *w, double *h)
{
	const struct ctx_label *l = &c->labels[i];

	*x = l->x;
	*y = l->y;
	*w = l->w;
	*h = l->h;
}

void render_context_inset_box(const struct render_context *c, double *x,
			      double *y, double *w, double *h)
{
	struct render_box z = {0, 0, 0, 0};
	const struct render_box *b = c && c->region ? &c->inset : &z;

	*x = b->x;
	*y = b->y;
	*w = b->w;
	*h = b->h;
}

size_t render_context_outline_count(const struct render_context *c)
{
	return c && c->outl ? c->outl->n : 0;
}

const char *render_context_outline_geoid(const struct render_context *c,
					 size_t i)
{
	if (!c || !c->outl || i >= c->outl->n || i < c->nstudy ||
	    (c->vis && !c->vis[i]))
		return NULL;
	return c->outl->geoid[i];
}
