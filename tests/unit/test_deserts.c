/*
 * test_deserts.c - deserts against areas worked out by hand (a square
 * with a circle cut out, two squares sharing a half circle each), the
 * empty and whole cases, areal weighting by hand, and polygon membership
 * against the exact distance test on random points.
 */
#include <geos_c.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_area.h"
#include "core/core_mem.h"
#include "geo/geo_deserts.h"
#include "tests/unit/testlib.h"

static uint64_t rng = 88172645463325252ULL;

/* Areas made of axis-aligned rectangles r[4 * i ..] = x0, y0, x1, y1. */
static struct geo_areas *rects(size_t n, const double *r, const double *pop)
{
	struct geo_areas *a = xcalloc(1, sizeof(*a));
	size_t i, p;

	a->n = n;
	a->geoid = xcalloc(n, sizeof(char *));
	a->name = xcalloc(n, sizeof(char *));
	a->population = xcalloc(n, sizeof(double));
	a->value = xcalloc(n, sizeof(double));
	a->flags = xcalloc(n, sizeof(int));
	a->nparts = a->nrings = n;
	a->npts = 5 * n;
	a->part_start = xcalloc(n + 1, sizeof(size_t));
	a->ring_start = xcalloc(n + 1, sizeof(size_t));
	a->pt_start = xcalloc(n + 1, sizeof(size_t));
	a->x = xcalloc(5 * n, sizeof(double));
	a->y = xcalloc(5 * n, sizeof(double));
	for (i = 0; i < n; i++) {
		const double *q = r + 4 * i;
		const double xs[5] = {q[0], q[2], q[2], q[0], q[0]};
		const double ys[5] = {q[1], q[1], q[3], q[3], q[1]};

		a->geoid[i] = xasprintf("A%zu", i);
		a->population[i] = pop ? pop[i] : NAN;
		a->value[i] = NAN;
		a->part_start[i + 1] = i + 1;
		a->ring_start[i + 1] = i + 1;
		a->pt_start[i + 1] = 5 * (i + 1);
		for (p = 0; p < 5; p++) {
			a->x[5 * i + p] = xs[p];
			a->y[5 * i + p] = ys[p];
		}
	}
	return a;
}

/* Area of GEOS's buffer of a point: a regular 4q-gon inscribed in the
 * circle of radius r. */
static double ngon(double r, int q)
{
	double n = 4.0 * q;

	return n / 2 * r * r * sin(2 * M_PI / n);
}

static void in_init(struct geo_deserts_in *in, const struct geo_areas *a,
		    size_t na, const double *ax, const double *ay, double D)
{
	memset(in, 0, sizeof(*in));
	in->areas = a;
	in->nassets = na;
	in->ax = ax;
	in->ay = ay;
	in->within = D;
}

static void test_square_with_one_asset(void)
{
	const double r[4] = {0, 0, 10000, 10000}, pop[1] = {5000};
	const double ax[1] = {5000}, ay[1] = {5000};
	struct geo_areas *a = rects(1, r, pop);
	struct geo_deserts_in in;
	struct geo_deserts *d = NULL;
	struct core_err err = CORE_ERR_INIT;
	double want = 1e8 - ngon(2000, GEO_DESERT_QUAD_SEGS);

	in_init(&in, a, 1, ax, ay, 2000);
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_OK);
	if (!d)
		goto out;
	/* 100 km2 - pi * 4 km2, within the polygon's approximation */
	CHECK_NEAR(d->desert_m2[0], want, 1e-3);
	CHECK_NEAR(d->desert_m2[0], 1e8 - M_PI * 4e6,
		   M_PI * 4e6 * (1 - cos(M_PI / 128)) * 2);
	CHECK_NEAR(d->area_m2[0], 1e8, 1e-6);
	CHECK_NEAR(d->share[0], want / 1e8, 1e-12);
	CHECK_NEAR(d->pop_in[0], 5000 * want / 1e8, 1e-6);
	CHECK(isnan(d->cohort_in[0]));
	CHECK(isnan(d->cohort_in_total));
	CHECK_NEAR(d->desert_total_m2, want, 1e-3);
	CHECK_NEAR(d->study_m2, 1e8, 1e-6);
	CHECK_INT(d->npieces, 1);
	if (d->npieces == 1) {
		CHECK_NEAR(d->pieces[0].area_m2, want, 1e-3);
		CHECK_NEAR(d->pieces[0].pop, 5000 * want / 1e8, 1e-6);
		CHECK_INT(d->pieces[0].nareas, 1);
		CHECK_INT(d->pieces[0].main_area, 0);
		/* the point inside is in the desert: beyond 2 km */
		CHECK(hypot(d->pieces[0].px - 5000, d->pieces[0].py - 5000) >
		      2000);
	}
	/* A finer circle is closer to pi r^2. */
	geo_deserts_free(d);
	in.quad_segs = 256;
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_OK);
	if (d) {
		CHECK_NEAR(d->desert_m2[0], 1e8 - ngon(2000, 256), 1e-2);
		CHECK(d->desert_m2[0] - (1e8 - M_PI * 4e6) <
		      (want - (1e8 - M_PI * 4e6)) / 50);
	}
out:
	geo_deserts_free(d);
	geo_areas_free(a);
}

static void test_no_assets_whole_area(void)
{
	/* two squares side by side: one piece across both */
	const double r[8] = {0, 0, 1000, 1000, 1000, 0, 3000, 1000};
	const double pop[2] = {100, NAN};
	struct geo_areas *a = rects(2, r, pop);
	struct geo_deserts_in in;
	struct geo_deserts *d = NULL;
	struct core_err err = CORE_ERR_INIT;

	in_init(&in, a, 0, NULL, NULL, 500);
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_OK);
	if (!d)
		goto out;
	CHECK_NEAR(d->desert_m2[0], 1e6, 1e-6);
	CHECK_NEAR(d->desert_m2[1], 2e6, 1e-6);
	CHECK_NEAR(d->share[0], 1, 0);
	CHECK_NEAR(d->share[1], 1, 0);
	CHECK_NEAR(d->pop_in[0], 100, 0);
	CHECK(isnan(d->pop_in[1]));
	CHECK_NEAR(d->pop_total, 100, 0); /* known populations only */
	CHECK_NEAR(d->pop_in_total, 100, 0);
	CHECK_INT(d->npieces, 1);
	if (d->npieces == 1) {
		CHECK_NEAR(d->pieces[0].area_m2, 3e6, 1e-6);
		CHECK_INT(d->pieces[0].nareas, 2);
		CHECK_INT(d->pieces[0].main_area, 1);
		CHECK_NEAR(d->pieces[0].pop, 100, 1e-9);
	}
out:
	geo_deserts_free(d);
	geo_areas_free(a);
}

static void test_covered_everywhere(void)
{
	/* the square's corners are 707 m from the asset: all covered */
	const double r[4] = {0, 0, 1000, 1000}, pop[1] = {42};
	const double ax[2] = {500, 90000}, ay[2] = {500, 0};
	struct geo_areas *a = rects(1, r, pop);
	struct geo_deserts_in in;
	struct geo_deserts *d = NULL;
	struct core_err err = CORE_ERR_INIT;
	unsigned char *wkb = NULL;
	size_t len = 99;

	in_init(&in, a, 2, ax, ay, 1000);
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_OK);
	if (!d)
		goto out;
	CHECK_NEAR(d->desert_m2[0], 0, 1e-9);
	CHECK_NEAR(d->share[0], 0, 0);
	CHECK_NEAR(d->pop_in[0], 0, 0);
	CHECK_INT(d->npieces, 0);
	CHECK_NEAR(d->desert_total_m2, 0, 0);
	CHECK_INT(geo_deserts_wkb(d, 0, 0, NULL, &wkb, &len, &err), CORE_OK);
	CHECK(wkb == NULL);
	CHECK_INT(len, 0);
	CHECK(geo_deserts_wkb(d, 1, 0, NULL, &wkb, &len, &err) != CORE_OK);
out:
	geo_deserts_free(d);
	geo_areas_free(a);
}

static void test_areal_weighting_two_squares(void)
{
	/* an asset on the shared edge takes half a circle from each */
	const double r[8] = {0, 0, 10000, 10000, 10000, 0, 20000, 10000};
	const double pop[2] = {1000, 3000}, counts[2] = {50, 20};
	const double ax[1] = {10000}, ay[1] = {5000};
	struct geo_areas *a = rects(2, r, pop);
	struct geo_deserts_in in;
	struct geo_deserts *d = NULL;
	struct core_err err = CORE_ERR_INIT;
	double half = ngon(2000, GEO_DESERT_QUAD_SEGS) / 2;
	double s = (1e8 - half) / 1e8;

	in_init(&in, a, 1, ax, ay, 2000);
	in.counts = counts;
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_OK);
	if (!d)
		goto out;
	CHECK_NEAR(d->desert_m2[0], 1e8 - half, 1e-3);
	CHECK_NEAR(d->desert_m2[1], 1e8 - half, 1e-3);
	CHECK_NEAR(d->pop_in[0], 1000 * s, 1e-6);
	CHECK_NEAR(d->pop_in[1], 3000 * s, 1e-6);
	CHECK_NEAR(d->cohort_in[0], 50 * s, 1e-6);
	CHECK_NEAR(d->cohort_in[1], 20 * s, 1e-6);
	CHECK_NEAR(d->pop_in_total, 4000 * s, 1e-6);
	CHECK_NEAR(d->cohort_total, 70, 0);
	CHECK_NEAR(d->cohort_in_total, 70 * s, 1e-6);
	CHECK_INT(d->npieces, 1);
	if (d->npieces == 1) {
		CHECK_NEAR(d->pieces[0].area_m2, 2e8 - 2 * half, 1e-2);
		CHECK_NEAR(d->pieces[0].pop, 4000 * s, 1e-6);
		CHECK_NEAR(d->pieces[0].cohort, 70 * s, 1e-6);
		CHECK_INT(d->pieces[0].nareas, 2);
	}
out:
	geo_deserts_free(d);
	geo_areas_free(a);
}

static void test_two_pieces_and_water(void)
{
	/* a 10 x 2 km strip cut in two by an asset's circle; a water-only
	 * square beside it counts for nothing */
	const double r[8] = {0, 0, 10000, 2000, 20000, 0, 21000, 1000};
	const double pop[2] = {600, 0};
	const double ax[1] = {3000}, ay[1] = {1000};
	struct geo_areas *a = rects(2, r, pop);
	struct geo_deserts_in in;
	struct geo_deserts *d = NULL;
	struct core_err err = CORE_ERR_INIT;

	a->flags[1] = AREA_FLAG_WATER | AREA_FLAG_NO_POP;
	in_init(&in, a, 1, ax, ay, 1500);
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_OK);
	if (!d)
		goto out;
	CHECK_INT(d->nwater, 1);
	CHECK_NEAR(d->desert_m2[1], 1e6, 1e-6); /* computed, but left out */
	CHECK_NEAR(d->study_m2, 2e7, 1e-6);
	CHECK_NEAR(d->desert_total_m2, d->desert_m2[0], 0);
	CHECK_INT(d->npieces, 2);
	if (d->npieces == 2) {
		/* right piece (x from about 4.1 km) first: it is larger */
		CHECK(d->pieces[0].area_m2 > d->pieces[1].area_m2);
		CHECK(d->pieces[0].px > 4000);
		CHECK(d->pieces[1].px < 2000);
		CHECK_NEAR(d->pieces[0].area_m2 + d->pieces[1].area_m2,
			   d->desert_m2[0], 1e-3);
		CHECK_NEAR(d->pieces[0].pop + d->pieces[1].pop, d->pop_in[0],
			   1e-6);
		CHECK_NEAR(d->pieces[0].pop, 600 * d->pieces[0].area_m2 / 2e7,
			   1e-6);
	}
out:
	geo_deserts_free(d);
	geo_areas_free(a);
}

/* Members: exact distance test, the edge (exactly D) is covered. */
static void test_point_cohort(void)
{
	const double r[8] = {0, 0, 10000, 10000, 10000, 0, 20000, 10000};
	const double ax[2] = {5000, 15000}, ay[2] = {5000, 5000};
	double mx[200], my[200];
	int32_t ma[200];
	size_t i, want0 = 0, want1 = 0, n = 200;
	struct geo_areas *a = rects(2, r, NULL);
	struct geo_deserts_in in;
	struct geo_deserts *d = NULL;
	struct core_err err = CORE_ERR_INIT;

	for (i = 0; i < n; i++) {
		mx[i] = test_rand(&rng) * 20000;
		my[i] = test_rand(&rng) * 10000;
		ma[i] = mx[i] < 10000 ? 0 : 1;
	}
	/* on the edge (distance exactly 2000): covered */
	mx[0] = 7000, my[0] = 5000, ma[0] = 0;
	mx[1] = 15000, my[1] = 3000, ma[1] = 1;
	/* just beyond it */
	mx[2] = 7000.001, my[2] = 5000, ma[2] = 0;
	/* outside every area: left out */
	ma[3] = -1;
	for (i = 0; i < n; i++) {
		double b = INFINITY;
		size_t k;

		for (k = 0; k < 2; k++) {
			double dx = ax[k] - mx[i], dy = ay[k] - my[i];

			b = fmin(b, dx * dx + dy * dy);
		}
		if (ma[i] >= 0 && b > 2000.0 * 2000.0) {
			if (ma[i] == 0)
				want0++;
			else
				want1++;
		}
	}
	in_init(&in, a, 2, ax, ay, 2000);
	in.nmembers = n;
	in.mx = mx;
	in.my = my;
	in.marea = ma;
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_OK);
	if (!d)
		goto out;
	CHECK_NEAR(d->cohort_in[0], (double)want0, 0);
	CHECK_NEAR(d->cohort_in[1], (double)want1, 0);
	CHECK_NEAR(d->cohort_total, (double)(n - 1), 0);
	CHECK_NEAR(d->cohort_in_total, (double)(want0 + want1), 0);
	CHECK(want0 + want1 > 100);
	CHECK_INT(d->npieces, 1);
	if (d->npieces == 1)
		CHECK_NEAR(d->pieces[0].cohort, (double)(want0 + want1), 0);
out:
	geo_deserts_free(d);
	geo_areas_free(a);
}

static void on_msg(const char *m, void *ud)
{
	(void)m;
	(void)ud;
}

/* Random assets: the desert polygons agree with the distance test at
 * random points, except within the polygons' approximation band. */
static void test_random_membership(void)
{
	const double r[16] = {0, 0,    5000, 5000,  5000, 0,	10000, 5000,
			      0, 5000, 5000, 10000, 5000, 5000, 10000, 10000};
	double ax[25], ay[25], D = 1200,
			       band = D * (1 - cos(M_PI / 128)) + 1e-6;
	struct geo_areas *a = rects(4, r, NULL);
	struct geo_deserts_in in;
	struct geo_deserts *d = NULL;
	struct core_err err = CORE_ERR_INIT;
	GEOSContextHandle_t h = GEOS_init_r();
	GEOSWKBReader *rd = GEOSWKBReader_create_r(h);
	GEOSGeometry *g = NULL;
	const GEOSPreparedGeometry *pg = NULL;
	unsigned char *wkb = NULL;
	size_t len = 0, i, k, checked = 0, bad = 0, nin = 0;
	double sum = 0;

	GEOSContext_setErrorMessageHandler_r(h, on_msg, NULL);
	for (i = 0; i < 25; i++) {
		ax[i] = test_rand(&rng) * 12000 - 1000;
		ay[i] = test_rand(&rng) * 12000 - 1000;
	}
	in_init(&in, a, 25, ax, ay, D);
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_OK);
	if (!d)
		goto out;
	for (k = 0; k < d->npieces; k++)
		sum += d->pieces[k].area_m2;
	CHECK_NEAR(sum, d->desert_total_m2, 1e-2);
	for (k = 0; k < 4; k++) {
		CHECK_INT(geo_deserts_wkb(d, 0, k, NULL, &wkb, &len, &err),
			  CORE_OK);
		if (!wkb)
			continue;
		g = GEOSWKBReader_read_r(h, rd, wkb, len);
		free(wkb);
		wkb = NULL;
		CHECK(g != NULL);
		if (!g)
			continue;
		CHECK_INT(GEOSGeomTypeId_r(h, g), GEOS_MULTIPOLYGON);
		pg = GEOSPrepare_r(h, g);
		for (i = 0; i < 500; i++) {
			double x = r[4 * k] + test_rand(&rng) * 5000;
			double y = r[4 * k + 1] + test_rand(&rng) * 5000;
			double b = INFINITY;
			GEOSGeometry *pt =
			    GEOSGeom_createPointFromXY_r(h, x, y);
			size_t j;
			int inside;

			for (j = 0; j < 25; j++)
				b = fmin(b, hypot(ax[j] - x, ay[j] - y));
			inside = GEOSPreparedIntersects_r(h, pg, pt) == 1;
			GEOSGeom_destroy_r(h, pt);
			if (fabs(b - D) <= band)
				continue;
			checked++;
			nin += inside;
			if (inside != (b > D))
				bad++;
		}
		GEOSPreparedGeom_destroy_r(h, pg);
		GEOSGeom_destroy_r(h, g);
	}
	CHECK_INT(bad, 0);
	CHECK(checked > 1500);
	CHECK(nin > 50 && nin < checked - 50); /* both sides were tried */
out:
	geo_deserts_free(d);
	geo_areas_free(a);
	GEOSWKBReader_destroy_r(h, rd);
	GEOS_finish_r(h);
}

static void test_bad_distance(void)
{
	const double r[4] = {0, 0, 1, 1};
	struct geo_areas *a = rects(1, r, NULL);
	struct geo_deserts_in in;
	struct geo_deserts *d = NULL;
	struct core_err err = CORE_ERR_INIT;

	in_init(&in, a, 0, NULL, NULL, -1);
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_EUSAGE);
	CHECK(d == NULL);
	in.within = NAN;
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_EUSAGE);
	geo_areas_free(a);
}

static const struct test tests[] = {TEST(test_square_with_one_asset),
				    TEST(test_no_assets_whole_area),
				    TEST(test_covered_everywhere),
				    TEST(test_areal_weighting_two_squares),
				    TEST(test_two_pieces_and_water),
				    TEST(test_point_cohort),
				    TEST(test_random_membership),
				    TEST(test_bad_distance),
				    {0}};

int main(void)
{
	return test_main("deserts", tests);
}
