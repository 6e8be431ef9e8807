/*
 * test_net_sites.c - new sites on the road network against brute force:
 * a street grid with a river crossed by one bridge, built in the test
 * and stored in a real workspace; weighted demand points (some beyond
 * the snap distance), one existing asset, random candidates.  Each
 * point's door-to-door cost to the asset and to every candidate comes
 * from the test's own Dijkstra (netgrid.h); the best K candidates come
 * from trying every combination.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "geo/geo_net.h"
#include "geo/geo_sites.h"
#include "tests/unit/netgrid.h"
#include "tests/unit/testlib.h"

#define ND 80
#define NC 12

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

/* The weight the candidates in mask cover: reach[j][i] for the points. */
static double cover_of(unsigned mask, unsigned char reach[NC][ND],
		       const double *w, const unsigned char *open)
{
	double v = 0;
	size_t i, j;

	for (i = 0; i < ND; i++) {
		if (!open[i])
			continue;
		for (j = 0; j < NC; j++)
			if ((mask >> j & 1) && reach[j][i]) {
				v += w[i];
				break;
			}
	}
	return v;
}

static void run(enum geo_mode mode, enum geo_net_weight wt, double T,
		const char *wsname)
{
	static const int bridge[1] = {6};
	struct netgrid g;
	struct core_err err = CORE_ERR_INIT;
	double dx[ND], dy[ND], dw[ND], cx[NC], cy[NC];
	const double ax[1] = {NETGRID_X0 + 130}, ay[1] = {NETGRID_Y0 + 240};
	struct geo_snap ds[ND], cs[NC], as[1];
	unsigned char reach[NC][ND], open[ND];
	double *C = NULL, total = 0, uncovered = 0, best = -1, unplaced_w = 0;
	size_t i, j, unplaced = 0, k = 3;
	unsigned mask;
	struct geo_sites_in in;
	struct geo_sites *s = NULL;

	if (netgrid_build(&g, wsname, mode, 9, 9, 100, 4, bridge, 1))
		goto out;
	for (i = 0; i < ND; i++) {
		/* most on the grid, a few far off it */
		double span = i % 10 == 9 ? 4000 : 900;

		dx[i] = NETGRID_X0 - (span - 800) / 2 + span * test_rand(&rng);
		dy[i] = NETGRID_Y0 - (span - 800) / 2 + span * test_rand(&rng);
		dw[i] = 1 + floor(5 * test_rand(&rng));
	}
	for (j = 0; j < NC; j++) {
		cx[j] = NETGRID_X0 + 800 * test_rand(&rng);
		cy[j] = NETGRID_Y0 + 800 * test_rand(&rng);
	}

	/* the reference */
	C = xmalloc((geo_net_nnodes(g.net) + 1) * sizeof(double));
	geo_net_snap(g.net, dx, dy, ND, GEO_NET_SNAP_MAX_M, ds);
	geo_net_snap(g.net, cx, cy, NC, GEO_NET_SNAP_MAX_M, cs);
	geo_net_snap(g.net, ax, ay, 1, GEO_NET_SNAP_MAX_M, as);
	ref_node_costs(g.net, wt, 1, as, C);
	for (i = 0; i < ND; i++) {
		open[i] = 0;
		if (ds[i].seg < 0) {
			unplaced++;
			unplaced_w += dw[i];
			continue;
		}
		total += dw[i];
		if (ref_cost(g.net, wt, C, 1, as, &ds[i]) <= T)
			continue;
		open[i] = 1;
		uncovered += dw[i];
	}
	for (j = 0; j < NC; j++) {
		ref_node_costs(g.net, wt, 1, &cs[j], C);
		for (i = 0; i < ND; i++)
			reach[j][i] = open[i] && ref_cost(g.net, wt, C, 1,
							  &cs[j], &ds[i]) <= T;
	}
	for (mask = 0; mask < 1u << NC; mask++) {
		if ((size_t)__builtin_popcount(mask) != k)
			continue;
		best = fmax(best, cover_of(mask, reach, dw, open));
	}

	memset(&in, 0, sizeof(in));
	in.ndemand = ND;
	in.dx = dx;
	in.dy = dy;
	in.dw = dw;
	in.nassets = 1;
	in.ax = ax;
	in.ay = ay;
	in.ncand = NC;
	in.cx = cx;
	in.cy = cy;
	in.within = T;
	in.k = k;
	in.method = GEO_SITES_EXACT;
	in.net = g.net;
	in.weight = wt;
	CHECK_INT(geo_sites_solve(&in, &s, &err), CORE_OK);
	if (!s)
		goto out;
	CHECK_INT(s->unplaced, unplaced);
	CHECK_NEAR(s->unplaced_w, unplaced_w, 0);
	CHECK_NEAR(s->total, total, 0);
	CHECK_NEAR(s->uncovered, uncovered, 0);
	CHECK(s->exact == 1);
	CHECK_NEAR(s->covered, best, 0);
	{
		unsigned m = 0;

		for (j = 0; j < s->npicks; j++)
			m |= 1u << s->pick[j];
		CHECK_NEAR(cover_of(m, reach, dw, open), s->covered, 0);
	}
	for (j = 0; j < NC; j++)
		CHECK_NEAR(s->solo[j], cover_of(1u << j, reach, dw, open), 0);
	for (i = 0; i < ND; i++)
		if (ds[i].seg >= 0 && !open[i])
			CHECK_INT(s->first[i], -1);
	printf("    %s: %zu points (%zu not placed), uncovered %.0f of %.0f, "
	       "best %zu of %d covers %.0f\n",
	       wsname, (size_t)ND, unplaced, uncovered, total, k, NC, best);
	/* not vacuous */
	CHECK(unplaced > 0);
	CHECK(uncovered > 0 && best > 0 && best < uncovered);
	/* greedy is within its bound */
	geo_sites_free(s);
	s = NULL;
	in.method = GEO_SITES_GREEDY;
	CHECK_INT(geo_sites_solve(&in, &s, &err), CORE_OK);
	if (s) {
		CHECK(s->covered <= best);
		CHECK(s->bound >= best);
	}
out:
	geo_sites_free(s);
	free(C);
	netgrid_free(&g);
}

static void test_walk_time(void)
{
	run(GEO_MODE_WALK, GEO_NET_TIME, 240, "ns_walk.db");
}

static void test_drive_one_way(void)
{
	run(GEO_MODE_DRIVE, GEO_NET_TIME, 40, "ns_drive.db");
}

static void test_walk_length(void)
{
	run(GEO_MODE_WALK, GEO_NET_LENGTH, 350, "ns_len.db");
}

static const struct test tests[] = {TEST(test_walk_time),
				    TEST(test_drive_one_way),
				    TEST(test_walk_length),
				    {0}};

int main(void)
{
	int rc = test_main("net_sites", tests);

	test_libs_shutdown();
	return rc;
}
