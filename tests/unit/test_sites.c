/*
 * test_sites.c - maximal covering location: greedy and exact against a
 * brute force over every combination on random instances, a hand case
 * where greedy is not optimal, and the edges (K larger than the
 * candidates, nobody uncovered, points exactly D away).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "geo/geo_sites.h"
#include "tests/unit/testlib.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static int near(double ax, double ay, double bx, double by, double r)
{
	double dx = ax - bx, dy = ay - by;

	return dx * dx + dy * dy <= r * r;
}

/* Weight of the uncovered demand that the candidates in set[0..k-1]
 * reach, computed straight from the distances. */
static double bf_value(const struct geo_sites_in *in, const size_t *set,
		       size_t k)
{
	double v = 0;
	size_t i, j;

	for (i = 0; i < in->ndemand; i++) {
		int covered = 0, reached = 0;

		for (j = 0; j < in->nassets && !covered; j++)
			covered = near(in->dx[i], in->dy[i], in->ax[j],
				       in->ay[j], in->within);
		if (covered)
			continue;
		for (j = 0; j < k && !reached; j++)
			reached = near(in->dx[i], in->dy[i], in->cx[set[j]],
				       in->cy[set[j]], in->within);
		if (reached)
			v += in->dw ? in->dw[i] : 1;
	}
	return v;
}

/* The optimum over every combination of k of the ncand candidates. */
static double bf_best(const struct geo_sites_in *in, size_t k)
{
	size_t set[16], i;
	double best = 0;

	if (k > in->ncand)
		k = in->ncand;
	for (i = 0; i < k; i++)
		set[i] = i;
	for (;;) {
		double v = bf_value(in, set, k);

		if (v > best)
			best = v;
		/* next combination */
		i = k;
		while (i > 0 && set[i - 1] == in->ncand - k + i - 1)
			i--;
		if (i == 0)
			break;
		set[i - 1]++;
		for (; i < k; i++)
			set[i] = set[i - 1] + 1;
	}
	return best;
}

static void test_random_against_brute_force(void)
{
	double dx[80], dy[80], dw[80], ax[3], ay[3], cx[12], cy[12];
	struct geo_sites_in in;
	struct core_err err = CORE_ERR_INIT;
	int trial, greedy_not_opt = 0;
	double worst_ratio = 1;

	memset(&in, 0, sizeof(in));
	in.dx = dx;
	in.dy = dy;
	in.dw = dw;
	in.ax = ax;
	in.ay = ay;
	in.cx = cx;
	in.cy = cy;
	for (trial = 0; trial < 60; trial++) {
		size_t i, k = 1 + (size_t)trial % 4;
		struct geo_sites *g = NULL, *e = NULL;
		double opt;

		in.ndemand = 20 + (size_t)(test_rand(&rng) * 60);
		in.nassets = (size_t)trial % 4; /* 0 .. 3 */
		in.ncand = 5 + (size_t)(test_rand(&rng) * 8);
		in.within = 1500 + 1000 * test_rand(&rng);
		in.k = k;
		for (i = 0; i < in.ndemand; i++) {
			/* on a 100 m grid, so some points tie on the edge */
			dx[i] = 100 * floor(test_rand(&rng) * 100);
			dy[i] = 100 * floor(test_rand(&rng) * 100);
			dw[i] = 1 + floor(test_rand(&rng) * 5);
		}
		for (i = 0; i < in.nassets; i++) {
			ax[i] = test_rand(&rng) * 10000;
			ay[i] = test_rand(&rng) * 10000;
		}
		for (i = 0; i < in.ncand; i++) {
			cx[i] = 100 * floor(test_rand(&rng) * 100);
			cy[i] = 100 * floor(test_rand(&rng) * 100);
		}
		opt = bf_best(&in, k);

		in.method = GEO_SITES_GREEDY;
		CHECK_INT(geo_sites_solve(&in, &g, &err), CORE_OK);
		in.method = GEO_SITES_EXACT;
		CHECK_INT(geo_sites_solve(&in, &e, &err), CORE_OK);
		if (!g || !e) {
			geo_sites_free(g);
			geo_sites_free(e);
			continue;
		}
		/* exact equals brute force, and its picks do reach that */
		CHECK_NEAR(e->covered, opt, 1e-9);
		CHECK(e->exact == 1);
		CHECK_NEAR(bf_value(&in, e->pick, e->npicks), opt, 1e-9);
		/* greedy: its own claim checks out, and the bounds hold */
		CHECK_NEAR(bf_value(&in, g->pick, g->npicks), g->covered, 1e-9);
		CHECK(g->covered >= (1 - 1 / M_E) * opt - 1e-9);
		CHECK(g->covered <= opt + 1e-9);
		CHECK(g->bound >= opt - 1e-9);
		if (g->exact)
			CHECK_NEAR(g->covered, opt, 1e-9);
		if (opt > 0 && g->covered / opt < worst_ratio)
			worst_ratio = g->covered / opt;
		greedy_not_opt += g->covered < opt;
		/* cumulative and first-reaching pick agree with the gains */
		for (i = 0; i < g->npicks; i++) {
			CHECK_NEAR(g->cum[i], bf_value(&in, g->pick, i + 1),
				   1e-9);
			CHECK(g->gain[i] > 0);
		}
		{
			double byfirst = 0, unc = 0;

			for (i = 0; i < in.ndemand; i++) {
				if (g->first[i] > 0)
					byfirst += dw[i];
				if (g->first[i] >= 0)
					unc += dw[i];
				if (g->first[i] > 0)
					CHECK(near(dx[i], dy[i],
						   cx[g->pick[g->first[i] - 1]],
						   cy[g->pick[g->first[i] - 1]],
						   in.within));
			}
			CHECK_NEAR(byfirst, g->covered, 1e-9);
			CHECK_NEAR(unc, g->uncovered, 1e-9);
		}
		/* auto: exact at this size */
		geo_sites_free(e);
		e = NULL;
		in.method = GEO_SITES_AUTO;
		CHECK_INT(geo_sites_solve(&in, &e, &err), CORE_OK);
		if (e) {
			CHECK(e->exact == 1);
			CHECK_NEAR(e->covered, opt, 1e-9);
		}
		geo_sites_free(g);
		geo_sites_free(e);
	}
	printf("    greedy below the optimum in %d of 60; worst ratio %.3f\n",
	       greedy_not_opt, worst_ratio);
}

/*
 * On a line, D = 1: weights 1 at x = 0, 2 at x = 1, 2 at x = 3, 1 at
 * x = 4.  c0 at x = 2 reaches 1 and 3 (exactly D: covered), weight 4;
 * c1 at 0.5 reaches 0 and 1 (3); c2 at 3.5 reaches 3 and 4 (3).  Greedy
 * takes c0 then c1: 5.  The optimum {c1, c2} is 6.
 */
static void test_greedy_trap(void)
{
	const double dx[4] = {0, 1, 3, 4}, dy[4] = {0, 0, 0, 0};
	const double dw[4] = {1, 2, 2, 1};
	const double cx[3] = {2, 0.5, 3.5}, cy[3] = {0, 0, 0};
	struct geo_sites_in in;
	struct geo_sites *s = NULL;
	struct core_err err = CORE_ERR_INIT;

	memset(&in, 0, sizeof(in));
	in.ndemand = 4;
	in.dx = dx;
	in.dy = dy;
	in.dw = dw;
	in.ncand = 3;
	in.cx = cx;
	in.cy = cy;
	in.within = 1;
	in.k = 2;
	in.method = GEO_SITES_GREEDY;
	CHECK_INT(geo_sites_solve(&in, &s, &err), CORE_OK);
	if (s) {
		CHECK_INT(s->npicks, 2);
		CHECK_INT(s->pick[0], 0);
		CHECK_INT(s->pick[1], 1); /* tie with c2: smaller index */
		CHECK_NEAR(s->gain[0], 4, 0);
		CHECK_NEAR(s->gain[1], 1, 0);
		CHECK_NEAR(s->covered, 5, 0);
		CHECK_NEAR(s->bound, 6, 0);
		CHECK(s->exact == 0);
		CHECK_NEAR(s->solo[0], 4, 0);
		CHECK_NEAR(s->solo[1], 3, 0);
		CHECK_NEAR(s->solo[2], 3, 0);
		CHECK_INT(s->useful, 3);
		CHECK_NEAR(s->combinations, 3, 0);
	}
	geo_sites_free(s);
	s = NULL;
	in.method = GEO_SITES_AUTO;
	CHECK_INT(geo_sites_solve(&in, &s, &err), CORE_OK);
	if (s) {
		CHECK(s->exact == 1);
		CHECK_NEAR(s->covered, 6, 0);
		CHECK_NEAR(s->bound, 6, 0);
		CHECK_INT(s->npicks, 2);
		CHECK_INT(s->pick[0], 1);
		CHECK_INT(s->pick[1], 2);
		CHECK_NEAR(s->gain[0], 3, 0);
		CHECK_NEAR(s->cum[1], 6, 0);
		CHECK_INT(s->first[0], 1);
		CHECK_INT(s->first[3], 2);
	}
	geo_sites_free(s);
	s = NULL;
	/* too many combinations for auto: greedy, and it says so */
	in.exact_max = 2;
	CHECK_INT(geo_sites_solve(&in, &s, &err), CORE_OK);
	if (s) {
		CHECK(s->exact == 0);
		CHECK_NEAR(s->covered, 5, 0);
	}
	geo_sites_free(s);
}

static void test_k_larger_and_nobody_uncovered(void)
{
	const double dx[5] = {0, 10, 20, 30, 1000}, dy[5] = {0};
	const double cx[2] = {5, 25}, cy[2] = {0, 0};
	const double ax[1] = {1000}, ay[1] = {0};
	struct geo_sites_in in;
	struct geo_sites *s = NULL;
	struct core_err err = CORE_ERR_INIT;

	memset(&in, 0, sizeof(in));
	in.ndemand = 5;
	in.dx = dx;
	in.dy = dy;
	in.ncand = 2;
	in.cx = cx;
	in.cy = cy;
	in.nassets = 1;
	in.ax = ax;
	in.ay = ay;
	in.within = 5; /* exactly: each candidate reaches two points */
	in.k = 10;
	CHECK_INT(geo_sites_solve(&in, &s, &err), CORE_OK);
	if (s) {
		CHECK_NEAR(s->total, 5, 0);
		CHECK_NEAR(s->uncovered, 4, 0);
		CHECK_NEAR(s->coverable, 4, 0);
		CHECK_INT(s->npicks, 2);
		CHECK_NEAR(s->covered, 4, 0);
		CHECK(s->exact == 1);
		CHECK_INT(s->first[4], -1);
	}
	geo_sites_free(s);
	s = NULL;
	/* the existing site reaches everyone */
	in.within = 2000;
	CHECK_INT(geo_sites_solve(&in, &s, &err), CORE_OK);
	if (s) {
		CHECK_NEAR(s->uncovered, 0, 0);
		CHECK_INT(s->npicks, 0);
		CHECK_NEAR(s->covered, 0, 0);
		CHECK_INT(s->useful, 0);
		CHECK(s->exact == 1);
	}
	geo_sites_free(s);
	s = NULL;
	/* no candidates, no demand */
	in.ncand = 0;
	in.ndemand = 0;
	CHECK_INT(geo_sites_solve(&in, &s, &err), CORE_OK);
	if (s)
		CHECK_INT(s->npicks, 0);
	geo_sites_free(s);
	s = NULL;
	in.within = -1;
	CHECK_INT(geo_sites_solve(&in, &s, &err), CORE_EUSAGE);
	CHECK(s == NULL);
}

/* Many people, few distinct coverage patterns: classes keep it fast and
 * the answer is the same as with the people one by one. */
static void test_classes_large(void)
{
	size_t n = 200000, i, nc = 400;
	double *dx = xmalloc(n * sizeof(double)),
	       *dy = xmalloc(n * sizeof(double));
	double *cx = xmalloc(nc * sizeof(double)),
	       *cy = xmalloc(nc * sizeof(double));
	struct geo_sites_in in;
	struct geo_sites *s = NULL;
	struct core_err err = CORE_ERR_INIT;

	for (i = 0; i < n; i++) {
		dx[i] = test_rand(&rng) * 50000;
		dy[i] = test_rand(&rng) * 50000;
	}
	for (i = 0; i < nc; i++) {
		cx[i] = test_rand(&rng) * 50000;
		cy[i] = test_rand(&rng) * 50000;
	}
	memset(&in, 0, sizeof(in));
	in.ndemand = n;
	in.dx = dx;
	in.dy = dy;
	in.ncand = nc;
	in.cx = cx;
	in.cy = cy;
	in.within = 3000;
	in.k = 5;
	CHECK_INT(geo_sites_solve(&in, &s, &err), CORE_OK);
	if (s) {
		CHECK(s->npicks == 5);
		CHECK(s->exact == 0); /* C(400, 5) is far past 200,000 */
		CHECK(s->bound >= s->covered);
		CHECK(s->covered >= (1 - 1 / M_E) * s->bound);
		CHECK_NEAR(bf_value(&in, s->pick, s->npicks), s->covered, 0);
		printf(
		    "    200,000 people, 400 candidates, K = 5: covered %.0f,"
		    " bound %.0f\n",
		    s->covered, s->bound);
	}
	geo_sites_free(s);
	free(dx);
	free(dy);
	free(cx);
	free(cy);
}

static const struct test tests[] = {TEST(test_random_against_brute_force),
				    TEST(test_greedy_trap),
				    TEST(test_k_larger_and_nobody_uncovered),
				    TEST(test_classes_large),
				    {0}};

int main(void)
{
	return test_main("sites", tests);
}
