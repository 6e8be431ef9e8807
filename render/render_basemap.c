/*
 * render_basemap.c - water, roads and the names of streets and places
 * under a map (render_basemap.h).
 */
#include "render/render_basemap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "render/render_text.h"

#define WATER_FILL  0xc6d4deu /* light blue-grey */
#define WATER_LINE  0xa9bccau
#define ROAD_CASING 0x8c8c8cu
#define ROAD_FILL   0xffffffu
#define ROAD_MINOR  0xf4f4f4u
#define LABEL_HALO  0xffffffu
#define STREET_INK  0x4d4d4du
#define PLACE_INK   0x262626u

/* Frames narrower than this (ground metres) show residential streets. */
#define MINOR_MAX_M 9000.0

struct bm_label {
	char *text;
	double x, y, w, h; /* page points, top left */
	double size;	   /* type size, points */
	int place;	   /* 1: a place name (darker) */
	int bold;
};

struct render_basemap {
	size_t n;	     /* lines kept */
	unsigned char *kind; /* [n] */
	size_t *start;	     /* [n + 1] */
	double *x, *y;	     /* page points */
	int minor;	     /* residential streets drawn */
	int label_max;	     /* the smallest road class named */
	int drawn;	     /* anything in the frame */
	struct bm_label *labels;
	size_t nlabels, labcap;
};

/* Stroke width of a road class (points, before the page's scale), the
 * casing adding to it. */
static double road_width(int kind)
{
	switch (kind) {
	case GEO_BM_MOTORWAY:
		return 2.4;
	case GEO_BM_TRUNK:
		return 2.1;
	case GEO_BM_PRIMARY:
		return 1.8;
	case GEO_BM_SECONDARY:
		return 1.45;
	case GEO_BM_TERTIARY:
		return 1.15;
	default:
		return 0.6;
	}
}

static int boxes_meet(const struct render_box *a, const struct render_box *b,
		      double gap)
{
	if (a->w <= 0 || b->w <= 0)
		return 0;
	return a->x < b->x + b->w + gap && b->x < a->x + a->w + gap &&
	       a->y < b->y + b->h + gap && b->y < a->y + a->h + gap;
}

/* Boxes a label keeps clear of: furniture, the caller's boxes, symbols
 * and the labels placed so far. */
struct avoid {
	const struct render_map *m;
	const struct render_box *extra;
	size_t nextra;
	struct render_box *sym;
	size_t nsym;
	/* the symbols by grid cell over the frame: cell c holds
	 * idx[first[c] .. first[c + 1] - 1] */
	double gx0, gy0, cell;
	int nx, ny;
	size_t *first, *idx;
};

/* The cells of the grid a box meets: [*i0, *i1] x [*j0, *j1]. */
static void cells_of(const struct avoid *a, const struct render_box *b, int *i0,
		     int *j0, int *i1, int *j1)
{
	double fx0 = (b->x - a->gx0) / a->cell, fy0 = (b->y - a->gy0) / a->cell;
	double fx1 = (b->x + b->w - a->gx0) / a->cell;
	double fy1 = (b->y + b->h - a->gy0) / a->cell;

	*i0 = (int)fmax(0, fmin(a->nx - 1, floor(fx0)));
	*j0 = (int)fmax(0, fmin(a->ny - 1, floor(fy0)));
	*i1 = (int)fmax(0, fmin(a->nx - 1, floor(fx1)));
	*j1 = (int)fmax(0, fmin(a->ny - 1, floor(fy1)));
}

static int fits(const struct render_basemap *b, const struct avoid *a,
		const struct render_box *box, double gap)
{
	const struct render_map *m = a->m;
	const struct render_box *furn[] = {&m->legend_box, &m->ns_box,
					   &m->title_box, &m->note_box};
	double in = 3 * m->f;
	size_t i;

	if (box->x < m->frame.x + in || box->y < m->frame.y + in ||
	    box->x + box->w > m->frame.x + m->frame.w - in ||
	    box->y + box->h > m->frame.y + m->frame.h - in)
		return 0;
	for (i = 0; i < sizeof(furn) / sizeof(furn[0]); i++)
		if (boxes_meet(box, furn[i], gap))
			return 0;
	for (i = 0; i < a->nextra; i++)
		if (boxes_meet(box, &a->extra[i], gap))
			return 0;
	if (a->nsym) {
		int i0, j0, i1, j1, x, y;
		cells_of(a, box, &i0, &j0, &i1, &j1);
		for (y = j0; y <= j1; y++)
			for (x = i0; x <= i1; x++) {
				size_t c = (size_t)y * (size_t)a->nx +
					   (size_t)x,
				       k;
				for (k = a->first[c]; k < a->first[c + 1]; k++)
					if (boxes_meet(box, &a->sym[a->idx[k]],
						       0))
						return 0;
			}
	}
	for (i = 0; i < b->nlabels; i++) {
		struct render_box o = {b->labels[i].x, b->labels[i].y,
				       b->labels[i].w, b->labels[i].h};
		if (boxes_meet(box, &o, gap))
			return 0;
	}
	return 1;
}

/* Sort the symbols into a grid of cells about 8 symbols wide over the
 * frame (a symbol in every cell its box meets), so that a label's test
 * reads only the symbols near it. */
static void grid_make(struct avoid *a)
{
	const struct render_map *m = a->m;
	size_t i, nc, *fill;
	int pass;

	a->cell = fmax(8 * m->sym_base, 4);
	a->gx0 = m->frame.x;
	a->gy0 = m->frame.y;
	a->nx = (int)fmin(4096, ceil(m->frame.w / a->cell) + 1);
	a->ny = (int)fmin(4096, ceil(m->frame.h / a->cell) + 1);
	nc = (size_t)a->nx * (size_t)a->ny;
	a->first = xcalloc(nc + 1, sizeof(*a->first));
	fill = xcalloc(nc + 1, sizeof(*fill));
	/* count, then place */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < a->nsym; i++) {
			int i0, j0, i1, j1, x, y;
			cells_of(a, &a->sym[i], &i0, &j0, &i1, &j1);
			for (y = j0; y <= j1; y++)
				for (x = i0; x <= i1; x++) {
					size_t c = (size_t)y * (size_t)a->nx +
						   (size_t)x;
					if (pass == 0)
						a->first[c + 1]++;
					else
						a->idx[a->first[c] +
						       fill[c]++] = i;
				}
		}
		if (pass == 0) {
			for (i = 0; i < nc; i++)
				a->first[i + 1] += a->first[i];
			a->idx = xcalloc(a->first[nc] + 1, sizeof(*a->idx));
		}
	}
	free(fill);
}

static void symbols_of(const struct render_map *m, struct avoid *a)
{
	size_t i, n = 0;

	a->sym = xcalloc(m->assets->n + m->nclusters + 1, sizeof(*a->sym));
	for (i = 0; i < m->assets->n; i++) {
		double px, py, r;
		if (!m->shown || !m->shown[i] ||
		    (m->asset_cluster && m->asset_cluster[i] >= 0))
			continue;
		r = (m->sym_size ? m->sym_size[i] : m->sym_base) / 2 + m->f;
		render_to_page(m, m->assets->x[i], m->assets->y[i], &px, &py);
		a->sym[n++] = (struct render_box){px - r, py - r, 2 * r, 2 * r};
	}
	for (i = 0; i < m->nclusters; i++) {
		double r = m->sym_base * 1.2 + m->f;
		a->sym[n++] = (struct render_box){
		    m->clusters[i].px - r, m->clusters[i].py - r, 2 * r, 2 * r};
	}
	a->nsym = n;
	grid_make(a);
}

static void label_add(struct render_basemap *b, const char *text,
		      const struct render_box *box, double size, int place,
		      int bold)
{
	xgrow((void **)&b->labels, &b->labcap, b->nlabels + 1,
	      sizeof(*b->labels));
	b->labels[b->nlabels++] = (struct bm_label){
	    xstrdup(text), box->x, box->y, box->w, box->h, size, place, bold};
}

static double place_size(const struct render_map *m, int rank)
{
	static const double pt[] = {11.0, 10.0, 8.5, 7.5};

	return pt[rank < 4 ? rank : 3] * m->f;
}

/* Places, most important first; each centred on its point, else just
 * above, below, right or left of it. */
static void place_places(struct render_basemap *b, const struct avoid *a,
			 const struct geo_basemap *bm, const double *X,
			 const double *Y, PangoContext *pc)
{
	const struct render_map *m = a->m;
	size_t *ord = xcalloc(bm->nplaces + 1, sizeof(*ord)), n = 0, i;
	int rank;

	for (rank = 0; rank < GEO_BM_PLACE_NONE; rank++)
		for (i = 0; i < bm->nplaces; i++)
			if (bm->rank[i] == rank)
				ord[n++] = i;
	for (i = 0; i < n; i++) {
		size_t k = ord[i], j;
		double size = place_size(m, bm->rank[k]), w, h, px, py;
		PangoLayout *l = render_text(pc, bm->pname[k], size,
					     bm->rank[k] <= GEO_BM_TOWN, 0);
		double off[5][2];

		render_text_size(l, &w, &h);
		g_object_unref(l);
		render_to_page(m, X[k], Y[k], &px, &py);
		off[0][0] = -w / 2, off[0][1] = -h / 2;
		off[1][0] = -w / 2, off[1][1] = -h - h / 3;
		off[2][0] = -w / 2, off[2][1] = h / 3;
		off[3][0] = h / 3, off[3][1] = -h / 2;
		off[4][0] = -w - h / 3, off[4][1] = -h / 2;
		for (j = 0; j < 5; j++) {
			struct render_box box = {px + off[j][0], py + off[j][1],
						 w, h};
			if (fits(b, a, &box, 2 * m->f)) {
				label_add(b, bm->pname[k], &box, size, 1,
					  bm->rank[k] <= GEO_BM_TOWN);
				break;
			}
		}
	}
	free(ord);
}

/* A named road's candidate: line i of the kept lines, its visible
 * length and its source name. */
struct cand {
	size_t line;
	int kind;
	double len;
	const char *name;
};

static int by_importance(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	int c;

	if (a->kind != b->kind)
		return a->kind - b->kind;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	if (a->len != b->len)
		return a->len > b->len ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* The point at fraction t of line i's length (page points). */
static void along(const struct render_basemap *b, size_t i, double len,
		  double t, double *px, double *py)
{
	size_t k;
	double want = len * t, run = 0;

	for (k = b->start[i]; k + 1 < b->start[i + 1]; k++) {
		double d = hypot(b->x[k + 1] - b->x[k], b->y[k + 1] - b->y[k]);
		if (run + d >= want && d > 0) {
			double u = (want - run) / d;
			*px = b->x[k] + u * (b->x[k + 1] - b->x[k]);
			*py = b->y[k] + u * (b->y[k + 1] - b->y[k]);
			return;
		}
		run += d;
	}
	*px = b->x[b->start[i + 1] - 1];
	*py = b->y[b->start[i + 1] - 1];
}

/* Street names: each name once, on its longest pieces first, at the
 * middle, a quarter or three quarters of the way along, horizontal. */
static void place_streets(struct render_basemap *b, const struct avoid *a,
			  const char *const *names, PangoContext *pc)
{
	const struct render_map *m = a->m;
	struct cand *c = xcalloc(b->n + 1, sizeof(*c));
	size_t n = 0, i, j, t0;
	double size = 6.5 * m->f;
	static const double at[] = {0.5, 0.3, 0.7, 0.15, 0.85};

	for (i = 0; i < b->n; i++) {
		double len = 0;
		size_t k;
		if (!names[i] || b->kind[i] < GEO_BM_MOTORWAY ||
		    b->kind[i] > b->label_max)
			continue;
		for (k = b->start[i]; k + 1 < b->start[i + 1]; k++)
			len +=
			    hypot(b->x[k + 1] - b->x[k], b->y[k + 1] - b->y[k]);
		c[n++] = (struct cand){i, b->kind[i], len, names[i]};
	}
	qsort(c, n, sizeof(*c), by_importance);
	for (i = 0; i < n; i = j) {
		PangoLayout *l = render_text(pc, c[i].name, size, 0, 0);
		double w, h;
		int done = 0;

		render_text_size(l, &w, &h);
		g_object_unref(l);
		/* a name of two classes is placed with the larger */
		for (t0 = 0; t0 < b->nlabels && !done; t0++)
			done = !b->labels[t0].place &&
			       strcmp(b->labels[t0].text, c[i].name) == 0;
		for (j = i; j < n && strcmp(c[j].name, c[i].name) == 0 &&
			    c[j].kind == c[i].kind;
		     j++) {
			size_t t;
			/* the longest few pieces only: a name that fits
			 * on none of them is left out */
			if (done || c[j].len < w / 2 || j - i >= 12)
				continue;
			for (t = 0; t < sizeof(at) / sizeof(at[0]) && !done;
			     t++) {
				double px, py;
				struct render_box box;
				along(b, c[j].line, c[j].len, at[t], &px, &py);
				box = (struct render_box){px - w / 2,
							  py - h / 2, w, h};
				if (fits(b, a, &box, 1.5 * m->f)) {
					label_add(b, c[i].name, &box, size, 0,
						  0);
					done = 1;
				}
			}
		}
	}
	free(c);
}

int render_basemap_load(const struct render_map *m,
			const struct geo_basemap *bm,
			const struct render_box *avoid, size_t navoid,
			struct render_basemap **out, struct core_err *err)
{
	struct render_basemap *b = xcalloc(1, sizeof(*b));
	struct avoid av = {m, avoid, navoid, NULL, 0,	 0,
			   0, 0,     0,	     0,	   NULL, NULL};
	double *X = NULL, *Y = NULL, *PX = NULL, *PY = NULL;
	const char **names = NULL;
	double tol = 0.5 / (m->dev > 0 ? m->dev : 1), margin = 8 * m->f;
	double fx0 = m->frame.x - margin, fy0 = m->frame.y - margin;
	double fx1 = m->frame.x + m->frame.w + margin;
	double fy1 = m->frame.y + m->frame.h + margin;
	cairo_surface_t *s = NULL;
	cairo_t *cr = NULL;
	PangoContext *pc = NULL;
	size_t i, np = 0, cap = 0;
	int rc = CORE_OK;

	*out = NULL;
	b->start = xcalloc(bm->nlines + 1, sizeof(*b->start));
	b->kind = xcalloc(bm->nlines + 1, 1);
	names = xcalloc(bm->nlines + 1, sizeof(*names));
	b->minor = m->frame.w / m->sx * m->ground < MINOR_MAX_M;
	/* Major streets are named: down to tertiary roads at large
	 * scales, secondary roads at smaller ones. */
	b->label_max = b->minor ? GEO_BM_TERTIARY : GEO_BM_SECONDARY;
	X = xmalloc((bm->npts + 1) * sizeof(*X));
	Y = xmalloc((bm->npts + 1) * sizeof(*Y));
	if (bm->npts) {
		memcpy(X, bm->x, bm->npts * sizeof(*X));
		memcpy(Y, bm->y, bm->npts * sizeof(*Y));
	}
	PX = xmalloc((bm->nplaces + 1) * sizeof(*PX));
	PY = xmalloc((bm->nplaces + 1) * sizeof(*PY));
	if (bm->nplaces) {
		memcpy(PX, bm->px, bm->nplaces * sizeof(*PX));
		memcpy(PY, bm->py, bm->nplaces * sizeof(*PY));
	}
	if ((rc = geo_proj_fwd_par(m->proj, X, Y, bm->npts, 0, err)) ||
	    (rc = geo_proj_fwd_par(m->proj, PX, PY, bm->nplaces, 0, err)))
		goto cleanup;

	for (i = 0; i < bm->nlines; i++) {
		size_t k, k0 = bm->start[i], k1 = bm->start[i + 1], first = np;
		double x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL,
		       y1 = -HUGE_VAL;

		if (bm->kind[i] == GEO_BM_MINOR && !b->minor)
			continue;
		if (np + (k1 - k0) > cap) {
			size_t c2 = cap;
			xgrow((void **)&b->x, &c2, np + (k1 - k0),
			      sizeof(double));
			c2 = cap;
			xgrow((void **)&b->y, &c2, np + (k1 - k0),
			      sizeof(double));
			cap = c2;
		}
		for (k = k0; k < k1; k++) {
			double px, py;
			render_to_page(m, X[k], Y[k], &px, &py);
			x0 = fmin(x0, px), x1 = fmax(x1, px);
			y0 = fmin(y0, py), y1 = fmax(y1, py);
			/* simplified to the device pixel: keep a vertex
			 * only when it moved from the last one kept */
			if (k > k0 && k + 1 < k1 &&
			    fabs(px - b->x[np - 1]) < tol &&
			    fabs(py - b->y[np - 1]) < tol)
				continue;
			b->x[np] = px;
			b->y[np++] = py;
		}
		if (x1 < fx0 || x0 > fx1 || y1 < fy0 || y0 > fy1 ||
		    np - first < 2) {
			np = first; /* outside the frame */
			continue;
		}
		b->kind[b->n] = bm->kind[i];
		names[b->n] = bm->name[i];
		b->start[++b->n] = np;
	}
	for (i = 0; i < bm->nplaces && !b->drawn; i++) {
		double px, py;
		render_to_page(m, PX[i], PY[i], &px, &py);
		b->drawn = px >= m->frame.x && px <= m->frame.x + m->frame.w &&
			   py >= m->frame.y && py <= m->frame.y + m->frame.h;
	}
	b->drawn |= b->n > 0;

	/* Labels: measured as the page will set them. */
	s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
	cr = cairo_create(s);
	cairo_scale(cr, m->dev, m->dev);
	pc = render_text_context(&m->fonts, m->format == RENDER_PNG, cr);
	symbols_of(m, &av);
	place_places(b, &av, bm, PX, PY, pc);
	place_streets(b, &av, names, pc);
	*out = b;
	b = NULL;
cleanup:
	if (pc)
		g_object_unref(pc);
	if (cr)
		cairo_destroy(cr);
	if (s)
		cairo_surface_destroy(s);
	free(av.sym);
	free(av.first);
	free(av.idx);
	free(names);
	free(X);
	free(Y);
	free(PX);
	free(PY);
	render_basemap_free(b);
	return rc;
}

int render_basemap_drawn(const struct render_basemap *b)
{
	return b && b->drawn;
}

/* Every kept line of kind k as one path. */
static int path_of(const struct render_basemap *b, cairo_t *cr, int k,
		   int close)
{
	size_t i, j;
	int any = 0;

	double lx = NAN, ly = NAN;

	cairo_new_path(cr);
	for (i = 0; i < b->n; i++) {
		size_t s0 = b->start[i];
		if (b->kind[i] != k)
			continue;
		any = 1;
		/* a way that goes on from where the last one ended (OSM
		 * splits streets at junctions) continues its subpath: fewer
		 * ends and joins to stroke */
		if (close || b->x[s0] != lx || b->y[s0] != ly)
			cairo_move_to(cr, b->x[s0], b->y[s0]);
		for (j = s0 + 1; j < b->start[i + 1]; j++)
			cairo_line_to(cr, b->x[j], b->y[j]);
		if (close)
			cairo_close_path(cr);
		lx = b->x[b->start[i + 1] - 1];
		ly = b->y[b->start[i + 1] - 1];
	}
	return any;
}

static void set_rgba(cairo_t *cr, uint32_t rgb, double a)
{
	cairo_set_source_rgba(cr, ((rgb >> 16) & 0xff) / 255.0,
			      ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0,
			      a);
}

void render_basemap_draw_under(const struct render_basemap *b,
			       const struct render_map *m, cairo_t *cr)
{
	int k;

	if (!b || b->n == 0)
		return;
	cairo_save(cr);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	if (path_of(b, cr, GEO_BM_WATER, 1)) {
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
		set_rgba(cr, WATER_FILL, 0.9);
		cairo_fill(cr);
	}
	if (path_of(b, cr, GEO_BM_WATERWAY, 0)) {
		set_rgba(cr, WATER_LINE, 0.9);
		cairo_set_line_width(cr, 0.9 * m->f);
		cairo_stroke(cr);
	}
	/* Residential streets: one thin light line, no casing.  Then the
	 * casings of the larger classes and their fills, smaller classes
	 * first so that larger roads pass over them.  Joins bevelled and
	 * ends square: round ones cost more and show nothing at these
	 * widths. */
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
	if (path_of(b, cr, GEO_BM_MINOR, 0)) {
		set_rgba(cr, ROAD_MINOR, 0.85);
		cairo_set_line_width(cr, road_width(GEO_BM_MINOR) * m->f);
		cairo_stroke(cr);
	}
	for (k = GEO_BM_TERTIARY; k >= GEO_BM_MOTORWAY; k--)
		if (path_of(b, cr, k, 0)) {
			set_rgba(cr, ROAD_CASING, 0.55);
			cairo_set_line_width(cr, (road_width(k) + 0.9) * m->f);
			cairo_stroke(cr);
		}
	for (k = GEO_BM_TERTIARY; k >= GEO_BM_MOTORWAY; k--)
		if (path_of(b, cr, k, 0)) {
			set_rgba(cr, ROAD_FILL, 0.85);
			cairo_set_line_width(cr, road_width(k) * m->f);
			cairo_stroke(cr);
		}
	cairo_restore(cr);
}

void render_basemap_draw_labels(const struct render_basemap *b,
				const struct render_map *m, PangoContext *pc,
				cairo_t *cr)
{
	size_t i;

	if (!b || b->nlabels == 0)
		return;
	cairo_save(cr);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	for (i = 0; i < b->nlabels; i++) {
		const struct bm_label *l = &b->labels[i];
		PangoLayout *lay =
		    render_text(pc, l->text, l->size, l->bold, 0);

		render_show_haloed(cr, lay, l->x, l->y, LABEL_HALO, 2.2 * m->f,
				   l->place ? PLACE_INK : STREET_INK);
		g_object_unref(lay);
	}
	cairo_restore(cr);
}

size_t render_basemap_label_count(const struct render_basemap *b)
{
	return b ? b->nlabels : 0;
}

const char *render_basemap_label(const struct render_basemap *b, size_t i)
{
	return b->labels[i].text;
}

void render_basemap_label_box(const struct render_basemap *b, size_t i,
			      double *x, double *y, double *w, double *h)
{
	*x = b->labels[i].x;
	*y = b->labels[i].y;
	*w = b->labels[i].w;
	*h = b->labels[i].h;
}

void render_basemap_free(struct render_basemap *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nlabels; i++)
		free(b->labels[i].text);
	free(b->labels);
	free(b->kind);
	free(b->start);
	free(b->x);
	free(b->y);
	free(b);
}
