/*
 * geo_hex.c - hexagon grids for counts too small per area.
 */
#include "geo/geo_hex.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "geo/geo_locate.h"

#define MILE 1609.344

static const double ladder[] = {0.25, 0.5, 0.75, 1,  1.5, 2,  3,  4,  5,
				7.5,  10,  15,	 20, 30,  50, 75, 100};

void geo_hex_cell(double x, double y, double width, long *q, long *r)
{
	/* pointy-topped: circumradius s, width sqrt(3) s */
	double s = width / sqrt(3.0);
	double fq = (sqrt(3.0) / 3 * x - y / 3) / s, fr = (2.0 / 3 * y) / s;
	double fs = -fq - fr;
	double rq = nearbyint(fq), rr = nearbyint(fr), rs = nearbyint(fs);
	double dq = fabs(rq - fq), dr = fabs(rr - fr), ds = fabs(rs - fs);

	/* cube rounding: the coordinate that moved most gives way */
	if (dq > dr && dq > ds)
		rq = -rr - rs;
	else if (dr > ds)
		rr = -rq - rs;
	*q = (long)rq;
	*r = (long)rr;
}

static void cell_centre(long q, long r, double width, double *x, double *y)
{
	double s = width / sqrt(3.0);

	*x = s * (sqrt(3.0) * (double)q + sqrt(3.0) / 2 * (double)r);
	*y = s * 1.5 * (double)r;
}

struct cell {
	long q, r;
	double w;
};

static int cell_cmp(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;

	if (x->q != y->q)
		return x->q < y->q ? -1 : 1;
	if (x->r != y->r)
		return x->r < y->r ? -1 : 1;
	return 0;
}

static void cell_geoid(const struct cell *c, char *buf, size_t n)
{
	snprintf(buf, n, "hex %ld,%ld", c->q, c->r);
}

static int geoid_cmp(const void *a, const void *b)
{
	char x[64], y[64];

	cell_geoid(a, x, sizeof(x));
	cell_geoid(b, y, sizeof(y));
	return strcmp(x, y);
}

/* The cells of the points, sorted and merged with their weights summed;
 * returns how many. */
static size_t cells_of(const double *x, const double *y, const double *w,
		       size_t n, double width, struct cell *c)
{
	size_t i, k = 0, m = 0;

	for (i = 0; i < n; i++) {
		if (isnan(x[i]) || isnan(y[i]))
			continue;
		geo_hex_cell(x[i], y[i], width, &c[k].q, &c[k].r);
		c[k].w = w ? w[i] : 1;
		k++;
	}
	if (k == 0)
		return 0;
	qsort(c, k, sizeof(*c), cell_cmp);
	for (i = 1; i < k; i++) {
		if (cell_cmp(&c[i], &c[m]) == 0) {
			c[m].w += c[i].w;
		} else {
			c[++m] = c[i];
		}
	}
	return m + 1;
}

double geo_hex_width(const double *x, const double *y, const double *w,
		     size_t n, double min, double share)
{
	const size_t nl = sizeof(ladder) / sizeof(ladder[0]);
	struct cell *c = xmalloc((n ? n : 1) * sizeof(*c));
	size_t l;

	for (l = 0; l < nl; l++) {
		size_t nc = cells_of(x, y, w, n, ladder[l] * MILE, c), i;
		size_t nonempty = 0, big = 0;

		for (i = 0; i < nc; i++) {
			if (c[i].w > 0)
				nonempty++;
			if (c[i].w >= min)
				big++;
		}
		if (nonempty == 0 || (double)big >= share * (double)nonempty)
			break;
	}
	free(c);
	return ladder[l < nl ? l : nl - 1] * MILE;
}

struct geo_areas *geo_hex_areas(const double *x, const double *y, size_t n,
				double width, const struct geo_areas *study)
{
	struct cell *c = xmalloc((n ? n : 1) * sizeof(*c));
	struct cell *all;
	size_t nc = cells_of(x, y, NULL, n, width, c), nall = nc, cap = nc;
	struct geo_areas *a = xcalloc(1, sizeof(*a));
	size_t i, k;
	double s = width / sqrt(3.0);

	all = xmalloc((cap ? cap : 1) * sizeof(*all));
	for (i = 0; i < nc; i++)
		all[i] = c[i];
	/* the cells whose centre is in the study area, within reason */
	if (study && study->n > 0 && study->npts > 0) {
		long q0, r0, q1, r1, q, r;
		struct geo_locator *loc = geo_locator_new(study);

		geo_hex_cell(study->minx, study->miny, width, &q0, &r0);
		geo_hex_cell(study->maxx, study->maxy, width, &q1, &r1);
		/* q shifts by -r/2 along a row: widen the q range */
		q0 -= (r1 - r0) / 2 + 2;
		q1 += (r1 - r0) / 2 + 2;
		r0 -= 1;
		r1 += 1;
		if ((double)(q1 - q0 + 1) * (double)(r1 - r0 + 1) <= 2e5)
			for (r = r0; r <= r1; r++)
				for (q = q0; q <= q1; q++) {
					double cx, cy;
					cell_centre(q, r, width, &cx, &cy);
					if (geo_locator_find(loc, cx, cy) < 0)
						continue;
					if (nall == cap) {
						cap = cap ? 2 * cap : 64;
						all = xrealloc(
						    all, cap * sizeof(*all));
					}
					all[nall].q = q;
					all[nall].r = r;
					all[nall].w = 0;
					nall++;
				}
		geo_locator_free(loc);
	}
	if (nall > 0) {
		size_t m = 0;
		qsort(all, nall, sizeof(*all), cell_cmp);
		for (i = 1; i < nall; i++)
			if (cell_cmp(&all[i], &all[m]) != 0)
				all[++m] = all[i];
		nall = m + 1;
		/* areas go in GEOID order, as geo_areas_load gives them */
		qsort(all, nall, sizeof(*all), geoid_cmp);
	}
	a->n = a->nparts = a->nrings = nall;
	a->npts = 7 * nall;
	a->geoid = xcalloc(nall ? nall : 1, sizeof(char *));
	a->name = xcalloc(nall ? nall : 1, sizeof(char *));
	a->population = xmalloc((nall ? nall : 1) * sizeof(double));
	a->value = xmalloc((nall ? nall : 1) * sizeof(double));
	a->flags = xcalloc(nall ? nall : 1, sizeof(int));
	a->part_start = xmalloc((nall + 1) * sizeof(size_t));
	a->ring_start = xmalloc((nall + 1) * sizeof(size_t));
	a->pt_start = xmalloc((nall + 1) * sizeof(size_t));
	a->x = xmalloc((a->npts ? a->npts : 1) * sizeof(double));
	a->y = xmalloc((a->npts ? a->npts : 1) * sizeof(double));
	a->minx = a->miny = INFINITY;
	a->maxx = a->maxy = -INFINITY;
	for (i = 0; i < nall; i++) {
		double cx, cy;
		char g[64];

		cell_geoid(&all[i], g, sizeof(g));
		a->geoid[i] = xstrdup(g);
		a->population[i] = NAN;
		a->value[i] = NAN;
		a->part_start[i] = a->ring_start[i] = i;
		a->pt_start[i] = 7 * i;
		cell_centre(all[i].q, all[i].r, width, &cx, &cy);
		for (k = 0; k < 7; k++) {
			double ang = M_PI / 180 * (60.0 * (double)(k % 6) - 30);
			double px = cx + s * cos(ang), py = cy + s * sin(ang);
			a->x[7 * i + k] = px;
			a->y[7 * i + k] = py;
			a->minx = fmin(a->minx, px);
			a->maxx = fmax(a->maxx, px);
			a->miny = fmin(a->miny, py);
			a->maxy = fmax(a->maxy, py);
		}
	}
	a->part_start[nall] = a->ring_start[nall] = nall;
	a->pt_start[nall] = 7 * nall;
	free(all);
	free(c);
	return a;
}
