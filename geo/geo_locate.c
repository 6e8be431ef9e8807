/*
 * geo_locate.c - which area holds a point.  See geo_locate.h.
 *
 * A grid over the areas' extent, about 580 cells per area and up to 1024
 * on the long side.  Each cell lists the areas whose bounding boxes
 * overlap it (ascending, so the first area holding a point is the one
 * found), and is marked when any edge's bounding box touches it.  An
 * unmarked cell lies wholly inside one area (or none): its area is
 * found from its centre the first time a point falls in it and kept.
 */
#include "geo/geo_locate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"

/* A cell's cached area: not looked up yet. */
#define NOT_YET (-2)

struct geo_locator {
	const struct geo_areas *a;
	struct geo_areas *owned; /* a, when geo_locator_load made it */
	double x0, y0, cs;	 /* grid origin and cell size */
	int gx, gy;
	double *box;	  /* [4n] minx, miny, maxx, maxy */
	uint32_t *cstart; /* [cells + 1]: candidates of a cell */
	int32_t *cand;
	int32_t *cell_area;  /* edge-free cells: area, -1 none, NOT_YET */
	unsigned char *edge; /* [cells] 1 when an edge's box touches it */
};

int geo_area_contains(const struct geo_areas *a, size_t i, double x, double y)
{
	size_t part, ring, k;
	int in = 0;

	for (part = a->part_start[i]; part < a->part_start[i + 1]; part++)
		for (ring = a->ring_start[part]; ring < a->ring_start[part + 1];
		     ring++) {
			size_t s = a->pt_start[ring], e = a->pt_start[ring + 1];
			size_t j = e - 1;
			if (e - s < 3)
				continue;
			/* Rings are closed, so the edge (last, first) is
			 * empty; including it keeps open rings right too. */
			for (k = s; k < e; j = k++) {
				double xi = a->x[k], yi = a->y[k];
				double xj = a->x[j], yj = a->y[j];
				if ((yi > y) != (yj > y) &&
				    x < (xj - xi) * (y - yi) / (yj - yi) + xi)
					in = !in;
			}
		}
	return in;
}

static int cell_of(const struct geo_locator *l, double v, double o, int max)
{
	double f = floor((v - o) / l->cs);

	if (f < 0)
		return 0;
	if (f >= max)
		return max - 1;
	return (int)f;
}

/* Mark the cells the box of the edge (ax, ay) - (bx, by) touches. */
static void mark_edge(struct geo_locator *l, double ax, double ay, double bx,
		      double by)
{
	int x0 = cell_of(l, ax < bx ? ax : bx, l->x0, l->gx);
	int x1 = cell_of(l, ax < bx ? bx : ax, l->x0, l->gx);
	int y0 = cell_of(l, ay < by ? ay : by, l->y0, l->gy);
	int y1 = cell_of(l, ay < by ? by : ay, l->y0, l->gy);
	int x, y;

	for (y = y0; y <= y1; y++)
		for (x = x0; x <= x1; x++)
			l->edge[(size_t)y * l->gx + x] = 1;
}

/* Each area's bounding box into l->box (inverted for an empty area). */
static void boxes(struct geo_locator *l)
{
	const struct geo_areas *a = l->a;
	size_t i;

	l->box = xmalloc(4 * a->n * sizeof(double));
	for (i = 0; i < a->n; i++) {
		size_t s = a->pt_start[a->ring_start[a->part_start[i]]];
		size_t e = a->pt_start[a->ring_start[a->part_start[i + 1]]];
		size_t k;
		double *b = l->box + 4 * i;
		b[0] = b[1] = HUGE_VAL;
		b[2] = b[3] = -HUGE_VAL;
		for (k = s; k < e; k++) {
			if (a->x[k] < b[0])
				b[0] = a->x[k];
			if (a->y[k] < b[1])
				b[1] = a->y[k];
			if (a->x[k] > b[2])
				b[2] = a->x[k];
			if (a->y[k] > b[3])
				b[3] = a->y[k];
		}
	}
}

/* The candidates of every cell (l->cstart, l->cand): two passes over
 * the boxes, counting then filling, so each cell's list ascends. */
static void candidates(struct geo_locator *l, size_t ncells)
{
	const struct geo_areas *a = l->a;
	uint32_t *fill;
	size_t i, total = 0;
	int pass, x, y;

	l->cstart = xcalloc(ncells + 1, sizeof(uint32_t));
	fill = xmalloc((ncells + 1) * sizeof(uint32_t));
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < a->n; i++) {
			const double *b = l->box + 4 * i;
			if (b[0] > b[2])
				continue;
			for (y = cell_of(l, b[1], l->y0, l->gy);
			     y <= cell_of(l, b[3], l->y0, l->gy); y++)
				for (x = cell_of(l, b[0], l->x0, l->gx);
				     x <= cell_of(l, b[2], l->x0, l->gx); x++) {
					size_t c = (size_t)y * l->gx + x;
					if (pass)
						l->cand[fill[c]++] = (int32_t)i;
					else {
						l->cstart[c + 1]++;
						total++;
					}
				}
		}
		if (!pass) {
			for (i = 0; i < ncells; i++)
				l->cstart[i + 1] += l->cstart[i];
			l->cand =
			    xmalloc((total ? total : 1) * sizeof(int32_t));
			memcpy(fill, l->cstart,
			       (ncells + 1) * sizeof(uint32_t));
		}
	}
	free(fill);
}

struct geo_locator *geo_locator_new(const struct geo_areas *a)
{
	struct geo_locator *l = xcalloc(1, sizeof(*l));
	size_t i, ring, ncells;
	double w, h;
	int g;

	l->a = a;
	if (a->n == 0 || a->npts == 0)
		return l;
	w = a->maxx - a->minx;
	h = a->maxy - a->miny;
	/* About 580 cells per area, up to 1024 on the long side. */
	g = (int)ceil(sqrt((double)a->n) * 24);
	if (g < 64)
		g = 64;
	if (g > 1024)
		g = 1024;
	l->cs = (w > h ? w : h) / g;
	if (!(l->cs > 0))
		l->cs = 1e-6;
	l->x0 = a->minx;
	l->y0 = a->miny;
	l->gx = (int)ceil(w / l->cs) + 1;
	l->gy = (int)ceil(h / l->cs) + 1;
	ncells = (size_t)l->gx * (size_t)l->gy;

	boxes(l);
	candidates(l, ncells);
	/* Cells an edge may cross. */
	l->edge = xcalloc(ncells, 1);
	for (ring = 0; ring < a->nrings; ring++) {
		size_t s = a->pt_start[ring], e = a->pt_start[ring + 1], k;
		for (k = s + 1; k < e; k++)
			mark_edge(l, a->x[k - 1], a->y[k - 1], a->x[k],
				  a->y[k]);
		/* an open ring's closing edge */
		if (e - s >= 2 &&
		    (a->x[s] != a->x[e - 1] || a->y[s] != a->y[e - 1]))
			mark_edge(l, a->x[e - 1], a->y[e - 1], a->x[s],
				  a->y[s]);
	}
	l->cell_area = xmalloc(ncells * sizeof(int32_t));
	for (i = 0; i < ncells; i++)
		l->cell_area[i] = NOT_YET;
	return l;
}

int geo_locator_load(struct core_ws *ws, const char *level,
		     struct geo_locator **out, struct core_err *err)
{
	struct geo_areas *a = NULL;
	int rc;

	*out = NULL;
	if ((rc = geo_areas_load(ws, level, NULL, NULL, &a, err)))
		return rc;
	*out = geo_locator_new(a);
	(*out)->owned = a;
	return CORE_OK;
}

void geo_locator_free(struct geo_locator *l)
{
	if (!l)
		return;
	free(l->box);
	free(l->cstart);
	free(l->cand);
	free(l->cell_area);
	free(l->edge);
	geo_areas_free(l->owned);
	free(l);
}

const struct geo_areas *geo_locator_areas_get(const struct geo_locator *l)
{
	return l->a;
}

/* The first of the cell's candidates holding (x, y), or -1. */
static int32_t find_in_cell(const struct geo_locator *l, size_t cell, double x,
			    double y)
{
	uint32_t k;

	for (k = l->cstart[cell]; k < l->cstart[cell + 1]; k++) {
		int32_t i = l->cand[k];
		const double *b = l->box + 4 * (size_t)i;
		if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] &&
		    geo_area_contains(l->a, (size_t)i, x, y))
			return i;
	}
	return -1;
}

int32_t geo_locator_find(const struct geo_locator *l, double x, double y)
{
	double fx, fy;
	size_t cell;
	int32_t v;

	if (!l->cand)
		return -1;
	fx = floor((x - l->x0) / l->cs);
	fy = floor((y - l->y0) / l->cs);
	if (!(fx >= 0 && fy >= 0 && fx < l->gx && fy < l->gy))
		return -1;
	cell = (size_t)fy * l->gx + (size_t)fx;
	if (l->edge[cell])
		return find_in_cell(l, cell, x, y);
	/* Threads that race here compute the same value: a relaxed atomic
	 * store and load are all the cache needs. */
	v = __atomic_load_n(&l->cell_area[cell], __ATOMIC_RELAXED);
	if (v == NOT_YET) {
		v = find_in_cell(l, cell, l->x0 + (fx + 0.5) * l->cs,
				 l->y0 + (fy + 0.5) * l->cs);
		__atomic_store_n(&l->cell_area[cell], v, __ATOMIC_RELAXED);
	}
	return v;
}
