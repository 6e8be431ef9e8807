/*
 * test_access.c - floating catchment access (geo_access) and the gap
 * analysis (geo_gaps), against values worked out by hand and against a
 * brute-force O(n * m) reference; then `assetmap access` and `assetmap
 * gaps` on the demo county.
 *
 * The hand cases share one small layout on a line (metres), catchment 10:
 *
 *   demand  D1 x=0  P=100     D2 x=8  P=200     D3 x=20 P=50
 *   supply  S1 x=2  S=10      S2 x=15 S=5
 *
 *   distances  D1-S1 2   D1-S2 15 (out)
 *              D2-S1 6   D2-S2 7
 *              D3-S1 18 (out)   D3-S2 5
 */
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_access.h"
#include "geo/geo_gaps.h"
#include "testlib.h"

static const double hx[] = {0, 8, 20}, hy[] = {0, 0, 0};
static const double hp[] = {100, 200, 50};
static const double sx_[] = {2, 15}, sy_[] = {0, 0};
static const double ss[] = {10, 5};

static void run_hand(enum geo_access_method m, enum geo_access_decay d,
		     int normalize, double *a, struct geo_access_info *info)
{
	struct geo_access_params p;
	struct core_err err = CORE_ERR_INIT;

	geo_access_params_init(&p);
	p.method = m;
	p.decay = d;
	p.catchment = 10;
	p.min_dist = 1;
	p.normalize = normalize;
	CHECK_INT(geo_access_compute(&p, 3, hx, hy, hp, 2, sx_, sy_, ss, a,
				     info, &err),
		  CORE_OK);
}

/* sum_i P_i A_i: the supply handed out. */
static double handed_out(const double *a)
{
	return hp[0] * a[0] + hp[1] * a[1] + hp[2] * a[2];
}

static void test_2sfca_hand(void)
{
	double a[3];
	struct geo_access_info info;

	/*
	 * Strict cutoff, W = 1 inside:
	 *   D_S1 = P1 + P2 = 300, R1 = 10/300 = 1/30
	 *   D_S2 = P2 + P3 = 250, R2 = 5/250 = 1/50
	 *   A1 = R1 = 0.0333..   A2 = R1 + R2 = 8/150 = 0.0533..
	 *   A3 = R2 = 0.02
	 *   check: 100/30 + 200*8/150 + 50/50 = 3.33 + 10.67 + 1 = 15
	 */
	run_hand(GEO_ACCESS_2SFCA, GEO_DECAY_STEP, 0, a, &info);
	CHECK_NEAR(a[0], 1.0 / 30, 1e-12);
	CHECK_NEAR(a[1], 8.0 / 150, 1e-12);
	CHECK_NEAR(a[2], 0.02, 1e-12);
	CHECK_NEAR(handed_out(a), 15, 1e-9);
	CHECK_INT(info.supply_reached, 2);
	CHECK_INT(info.demand_reached, 3);
	CHECK_NEAR(info.supply_total, 15, 0);
	CHECK_NEAR(info.demand_total, 350, 0);
	/* mean = 15 / 350 */
	CHECK_NEAR(info.mean, 15.0 / 350, 1e-12);

	/*
	 * Normalised by the demand-weighted mean 15/350:
	 *   A1 = (1/30) * 350/15 = 350/450 = 0.777..
	 *   A2 = (8/150) * 350/15 = 2800/2250 = 1.244..
	 *   A3 = 0.02 * 350/15 = 0.466..
	 * and then sum P_i A_i / sum P_i = 1.
	 */
	run_hand(GEO_ACCESS_2SFCA, GEO_DECAY_STEP, 1, a, NULL);
	CHECK_NEAR(a[0], 350.0 / 450, 1e-12);
	CHECK_NEAR(a[1], 2800.0 / 2250, 1e-12);
	CHECK_NEAR(a[2], 7.0 / 15, 1e-12);
	CHECK_NEAR(handed_out(a) / 350, 1, 1e-12);
}

static void test_e2sfca_hand(void)
{
	double a[3];

	/*
	 * Zones of a catchment of 10: d <= 3.33 -> 1, <= 6.67 -> 0.68,
	 * <= 10 -> 0.22.
	 *   W(D1,S1) d2 = 1    W(D2,S1) d6 = 0.68
	 *   W(D2,S2) d7 = 0.22 W(D3,S2) d5 = 0.68
	 *   D_S1 = 100*1 + 200*0.68 = 236        R1 = 10/236
	 *   D_S2 = 200*0.22 + 50*0.68 = 44 + 34 = 78   R2 = 5/78
	 *   A1 = 1 * 10/236 = 0.0423729
	 *   A2 = 0.68*10/236 + 0.22*5/78 = 0.0288136 + 0.0141026 = 0.0429161
	 *   A3 = 0.68*5/78 = 0.0435897
	 */
	run_hand(GEO_ACCESS_E2SFCA, GEO_DECAY_STEP, 0, a, NULL);
	CHECK_NEAR(a[0], 10.0 / 236, 1e-12);
	CHECK_NEAR(a[1], 0.68 * 10 / 236 + 0.22 * 5 / 78, 1e-12);
	CHECK_NEAR(a[1], 0.0429161, 1e-7);
	CHECK_NEAR(a[2], 0.68 * 5 / 78, 1e-12);
	CHECK_NEAR(a[2], 0.0435897, 1e-7);
	CHECK_NEAR(handed_out(a), 15, 1e-9);
}

static void test_3sfca_hand(void)
{
	double a[3];
	double e21 = 0.68 * 0.68 / 0.9, e22 = 0.22 * 0.22 / 0.9;

	/*
	 * Zone weights as e2sfca; selection weights G_ij = W_ij / sum_k W_ik
	 * and e_ij = G_ij W_ij:
	 *   D1 reaches S1 only: wsum 1, e = 1
	 *   D2: wsum = 0.68 + 0.22 = 0.9
	 *       e(D2,S1) = 0.68^2/0.9 = 0.4624/0.9 = 0.513778
	 *       e(D2,S2) = 0.22^2/0.9 = 0.0484/0.9 = 0.0537778
	 *   D3 reaches S2 only: wsum 0.68, e = 0.68^2/0.68 = 0.68
	 *   D_S1 = 100*1 + 200*0.513778 = 202.7556   R1 = 0.0493205
	 *   D_S2 = 200*0.0537778 + 50*0.68 = 44.75556  R2 = 0.111718
	 *   A1 = R1 = 0.0493205
	 *   A2 = 0.513778*0.0493205 + 0.0537778*0.111718 = 0.0313477
	 *   A3 = 0.68*0.111718 = 0.0759682
	 */
	run_hand(GEO_ACCESS_3SFCA, GEO_DECAY_STEP, 0, a, NULL);
	CHECK_NEAR(a[0], 10 / (100 + 200 * e21), 1e-12);
	CHECK_NEAR(a[0], 0.0493205, 1e-7);
	CHECK_NEAR(a[1], 0.0313477, 1e-7);
	CHECK_NEAR(a[1],
		   e21 * 10 / (100 + 200 * e21) +
		       e22 * 5 / (200 * e22 + 50 * 0.68),
		   1e-12);
	CHECK_NEAR(a[2], 0.0759682, 1e-7);
	CHECK_NEAR(handed_out(a), 15, 1e-9);
}

static void test_bfca_hand(void)
{
	double a[3];

	/*
	 * Binary W; each person's demand split over the supplies they reach:
	 *   D1 reaches 1 supply: e = 1;  D2 reaches 2: e = 1/2 each;
	 *   D3 reaches 1: e = 1.
	 *   D_S1 = 100 + 200/2 = 200   R1 = 10/200 = 0.05
	 *   D_S2 = 200/2 + 50 = 150    R2 = 5/150 = 1/30
	 *   A1 = 0.05   A2 = 0.05/2 + (1/30)/2 = 0.041666..   A3 = 1/30
	 *   balance: 100*0.05 + 200*0.0416667 + 50/30 = 5 + 8.333 + 1.667
	 *            = 15 = S1 + S2
	 */
	run_hand(GEO_ACCESS_BFCA, GEO_DECAY_STEP, 0, a, NULL);
	CHECK_NEAR(a[0], 0.05, 1e-12);
	CHECK_NEAR(a[1], 0.025 + 1.0 / 60, 1e-12);
	CHECK_NEAR(a[2], 1.0 / 30, 1e-12);
	CHECK_NEAR(handed_out(a), 15, 1e-9);
	/* the demand allocated adds up to the population: 200 + 150 = 350 */
}

static void test_decays_hand(void)
{
	double a[3], w[4];
	const double d[4] = {2, 6, 7, 5};
	struct geo_access_params p;
	int k;

	/*
	 * Gaussian (Dai 2010) with d0 = 10:
	 *   W(d) = (exp(-(d/10)^2/2) - exp(-1/2)) / (1 - exp(-1/2))
	 *   W(0) = 1, W(10) = 0; W(2) = (0.980199 - 0.606531)/0.393469
	 *        = 0.949675
	 */
	geo_access_params_init(&p);
	p.catchment = 10;
	p.decay = GEO_DECAY_GAUSSIAN;
	CHECK_NEAR(geo_access_weight(&p, 0), 1, 1e-15);
	CHECK_NEAR(geo_access_weight(&p, 10), 0, 1e-15);
	CHECK_NEAR(geo_access_weight(&p, 2), 0.9496750, 1e-7);
	CHECK_NEAR(geo_access_weight(&p, 10.0001), 0, 0);
	for (k = 0; k < 4; k++)
		w[k] = geo_access_weight(&p, d[k]);
	/* W(D1,S1)=w0 W(D2,S1)=w1 W(D2,S2)=w2 W(D3,S2)=w3
	 * D_S1 = 100 w0 + 200 w1, D_S2 = 200 w2 + 50 w3
	 * A1 = w0 R1 = 0.0449581, A2 = w1 R1 + w2 R2 = 0.0454857,
	 * A3 = w3 R2 = 0.0281408 */
	run_hand(GEO_ACCESS_2SFCA, GEO_DECAY_GAUSSIAN, 0, a, NULL);
	CHECK_NEAR(a[0], w[0] * 10 / (100 * w[0] + 200 * w[1]), 1e-12);
	CHECK_NEAR(a[0], 0.0449581, 1e-7);
	CHECK_NEAR(a[1], 0.0454857, 1e-7);
	CHECK_NEAR(a[2], 0.0281408, 1e-7);
	CHECK_NEAR(handed_out(a), 15, 1e-9);

	/*
	 * Gravity, beta 1, scale d0 = 10: W = 10/d
	 *   W(2) = 5, W(6) = 1.6667, W(7) = 1.428571, W(5) = 2
	 *   D_S1 = 100*5 + 200*10/6 = 833.333   R1 = 10/833.333 = 0.012
	 *   D_S2 = 200*10/7 + 50*2 = 385.714    R2 = 5/385.714 = 0.0129630
	 *   A1 = 5*0.012 = 0.06
	 *   A2 = (10/6)*0.012 + (10/7)*0.012963 = 0.02 + 0.0185185
	 *   A3 = 2*0.012963 = 0.0259259
	 */
	run_hand(GEO_ACCESS_2SFCA, GEO_DECAY_GRAVITY, 0, a, NULL);
	CHECK_NEAR(a[0], 0.06, 1e-12);
	CHECK_NEAR(a[1], 0.02 + 0.0185185185, 1e-9);
	CHECK_NEAR(a[2], 0.0259259259, 1e-9);
	CHECK_NEAR(handed_out(a), 15, 1e-9);

	/* gravity's minimum distance: a supply on the point counts as at
	 * min_dist (1 here): W = 10/1 = 10 */
	p.decay = GEO_DECAY_GRAVITY;
	p.min_dist = 1;
	CHECK_NEAR(geo_access_weight(&p, 0), 10, 1e-12);
	CHECK_NEAR(geo_access_weight(&p, 0.5), 10, 1e-12);
	p.beta = 2;
	CHECK_NEAR(geo_access_weight(&p, 5), 4, 1e-12);

	/* e2sfca zones at the thresholds themselves (PySAL: d <= k) */
	geo_access_params_init(&p);
	p.method = GEO_ACCESS_E2SFCA;
	p.catchment = 30;
	CHECK_NEAR(geo_access_weight(&p, 10), 1, 0);
	CHECK_NEAR(geo_access_weight(&p, 10.001), 0.68, 0);
	CHECK_NEAR(geo_access_weight(&p, 20), 0.68, 0);
	CHECK_NEAR(geo_access_weight(&p, 30), 0.22, 0);
	CHECK_NEAR(geo_access_weight(&p, 30.001), 0, 0);
}

static void test_edges(void)
{
	/* a demand point exactly d0 = 5 from the supply (3-4-5 triangle),
	 * one just past it */
	const double dx[] = {3, 3.0000001, 0}, dy[] = {4, 4, 0};
	const double dp[] = {10, 10, 30};
	const double sx[] = {0}, sy[] = {0}, sc[] = {8};
	double a[3];
	struct geo_access_params p;
	struct geo_access_info info;
	struct core_err err = CORE_ERR_INIT;

	geo_access_params_init(&p);
	p.catchment = 5;
	/* one supply: R = 8 / (10 + 30) = 0.2 for those within, 0 beyond */
	CHECK_INT(geo_access_compute(&p, 3, dx, dy, dp, 1, sx, sy, sc, a, &info,
				     &err),
		  CORE_OK);
	CHECK_NEAR(a[0], 0.2, 1e-15);
	CHECK_NEAR(a[1], 0, 0);
	CHECK_NEAR(a[2], 0.2, 1e-15);
	CHECK_INT(info.demand_reached, 2);

	/* no supply: every score 0, nothing reached */
	CHECK_INT(geo_access_compute(&p, 3, dx, dy, dp, 0, sx, sy, sc, a, &info,
				     &err),
		  CORE_OK);
	CHECK(a[0] == 0 && a[1] == 0 && a[2] == 0);
	CHECK_INT(info.supply_reached, 0);
	CHECK_INT(info.demand_reached, 0);

	/* no demand in reach: the supply is not handed out, R = 0 */
	{
		const double far_x[] = {100}, far_y[] = {0};

		CHECK_INT(geo_access_compute(&p, 3, dx, dy, dp, 1, far_x, far_y,
					     sc, a, &info, &err),
			  CORE_OK);
		CHECK(a[0] == 0 && a[2] == 0);
		CHECK_NEAR(info.supply_used, 0, 0);
		CHECK_NEAR(info.supply_total, 8, 0);
	}

	/* no demand points at all */
	CHECK_INT(geo_access_compute(&p, 0, dx, dy, dp, 1, sx, sy, sc, a, &info,
				     &err),
		  CORE_OK);
	CHECK_INT(info.supply_reached, 0);

	/* zero demand reaching the supply: R = 0 rather than infinite */
	{
		const double zp[] = {0, 0, 0};

		CHECK_INT(geo_access_compute(&p, 3, dx, dy, zp, 1, sx, sy, sc,
					     a, &info, &err),
			  CORE_OK);
		CHECK(a[0] == 0 && a[2] == 0);
		CHECK(isnan(info.mean));
	}

	/* bad parameters */
	p.catchment = 0;
	CHECK_INT(
	    geo_access_compute(&p, 3, dx, dy, dp, 1, sx, sy, sc, a, NULL, &err),
	    CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "catchment");
}

/* ---- brute force ------------------------------------------------------ */

/* The same definitions written out over every pair. */
static void brute(const struct geo_access_params *p, size_t n, const double *dx,
		  const double *dy, const double *dp, size_t m,
		  const double *sx, const double *sy, const double *sc,
		  double *a)
{
	double *w = xcalloc(n * m + 1, sizeof(double));
	double *e = xcalloc(n * m + 1, sizeof(double));
	double *r = xcalloc(m + 1, sizeof(double));
	double r2 = p->catchment * p->catchment, sp = 0, spa = 0;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++) {
			double ddx = sx[j] - dx[i], ddy = sy[j] - dy[i];
			double d2 = ddx * ddx + ddy * ddy;
			double d = sqrt(d2);

			if (d2 <= r2)
				w[i * m + j] = geo_access_weight(
				    p, d > p->catchment ? p->catchment : d);
		}
	for (i = 0; i < n; i++) {
		double ws = 0;

		for (j = 0; j < m; j++)
			ws += w[i * m + j];
		for (j = 0; j < m; j++) {
			double wij = w[i * m + j];

			switch (p->method) {
			case GEO_ACCESS_3SFCA:
				e[i * m + j] = ws > 0 ? wij * wij / ws : 0;
				break;
			case GEO_ACCESS_BFCA:
				e[i * m + j] = ws > 0 ? wij / ws : 0;
				break;
			default:
				e[i * m + j] = wij;
			}
		}
	}
	for (j = 0; j < m; j++) {
		double dsum = 0;

		for (i = 0; i < n; i++)
			dsum += dp[i] * e[i * m + j];
		r[j] = dsum > 0 ? sc[j] / dsum : 0;
	}
	for (i = 0; i < n; i++) {
		a[i] = 0;
		for (j = 0; j < m; j++)
			a[i] += e[i * m + j] * r[j];
		sp += dp[i];
		spa += dp[i] * a[i];
	}
	if (p->normalize && sp > 0 && spa > 0)
		for (i = 0; i < n; i++)
			a[i] /= spa / sp;
	free(w);
	free(e);
	free(r);
}

static double rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*s >> 11) / 9007199254740992.0;
}

static void test_brute_random(void)
{
	uint64_t seed = 42;
	int round;
	size_t bad = 0, compared = 0;

	for (round = 0; round < 48; round++) {
		size_t n = 1 + (size_t)(rnd(&seed) * 300);
		size_t m = (size_t)(rnd(&seed) * 120); /* sometimes 0 */
		double *dx = xmalloc(n * sizeof(double));
		double *dy = xmalloc(n * sizeof(double));
		double *dp = xmalloc(n * sizeof(double));
		double *sx = xmalloc((m + 1) * sizeof(double));
		double *sy = xmalloc((m + 1) * sizeof(double));
		double *sc = xmalloc((m + 1) * sizeof(double));
		double *a = xmalloc(n * sizeof(double));
		double *b = xmalloc(n * sizeof(double));
		struct geo_access_params p;
		struct geo_access_info info;
		struct core_err err = CORE_ERR_INIT;
		double handed = 0, reached_supply = 0;
		size_t i, j;
		/* on integer grids half of the rounds, so that many pairs sit
		 * exactly on the catchment's edge and points coincide */
		int grid = round % 2;

		for (i = 0; i < n; i++) {
			dx[i] = grid ? floor(rnd(&seed) * 20) : rnd(&seed) * 20;
			dy[i] = grid ? floor(rnd(&seed) * 20) : rnd(&seed) * 20;
			dp[i] = floor(rnd(&seed) * 1000);
			if (i % 17 == 3)
				dp[i] = 0;
		}
		for (j = 0; j < m; j++) {
			sx[j] = grid ? floor(rnd(&seed) * 20) : rnd(&seed) * 20;
			sy[j] = grid ? floor(rnd(&seed) * 20) : rnd(&seed) * 20;
			sc[j] = 1 + floor(rnd(&seed) * 5);
		}
		if (m > 2) { /* a duplicated supply */
			sx[1] = sx[0];
			sy[1] = sy[0];
		}
		geo_access_params_init(&p);
		p.method = (enum geo_access_method)(round % 4);
		p.decay = (enum geo_access_decay)((round / 4) % 3);
		p.catchment = grid ? 5 : 1 + rnd(&seed) * 6;
		p.min_dist = 0.5;
		p.beta = 1 + (round % 3) * 0.5;
		p.normalize = (round / 12) % 2;
		CHECK_INT(geo_access_compute(&p, n, dx, dy, dp, m, sx, sy, sc,
					     a, &info, &err),
			  CORE_OK);
		brute(&p, n, dx, dy, dp, m, sx, sy, sc, b);
		for (i = 0; i < n; i++) {
			double tol = 1e-9 * (fabs(b[i]) > 1 ? fabs(b[i]) : 1);

			compared++;
			if (!(fabs(a[i] - b[i]) <= tol)) {
				if (bad++ < 5)
					test_fail(
					    __FILE__, __LINE__,
					    "round %d (%s, %s) point %zu: "
					    "%.17g, brute force %.17g",
					    round,
					    geo_access_method_name(p.method),
					    geo_access_decay_name(p.decay), i,
					    a[i], b[i]);
			}
		}
		/* balance: sum P_i A_i = supply that some demand reaches
		 * (before normalisation) */
		if (!p.normalize) {
			for (i = 0; i < n; i++)
				handed += dp[i] * a[i];
			reached_supply = info.supply_used;
			CHECK_NEAR(handed, reached_supply,
				   1e-9 * (reached_supply + 1));
		}
		free(dx);
		free(dy);
		free(dp);
		free(sx);
		free(sy);
		free(sc);
		free(a);
		free(b);
	}
	CHECK(compared > 1000);
	CHECK_INT(bad, 0);
}

/* BFCA's balance on a bigger random case, and what sets it apart from
 * 2SFCA: the demand allocated adds up to the population reached. */
static void test_bfca_balance(void)
{
	enum { N = 2000, M = 300 };
	double *dx = xmalloc(N * sizeof(double)),
	       *dy = xmalloc(N * sizeof(double));
	double *dp = xmalloc(N * sizeof(double)),
	       *a = xmalloc(N * sizeof(double));
	double sx[M], sy[M], sc[M], handed = 0;
	uint64_t seed = 7;
	struct geo_access_params p;
	struct geo_access_info info;
	struct core_err err = CORE_ERR_INIT;
	size_t i;

	for (i = 0; i < N; i++) {
		dx[i] = rnd(&seed) * 50000;
		dy[i] = rnd(&seed) * 50000;
		dp[i] = 100 + floor(rnd(&seed) * 5000);
	}
	for (i = 0; i < M; i++) {
		sx[i] = rnd(&seed) * 50000;
		sy[i] = rnd(&seed) * 50000;
		sc[i] = 1 + floor(rnd(&seed) * 50);
	}
	geo_access_params_init(&p);
	p.method = GEO_ACCESS_BFCA;
	p.catchment = 4000;
	CHECK_INT(geo_access_compute(&p, N, dx, dy, dp, M, sx, sy, sc, a, &info,
				     &err),
		  CORE_OK);
	for (i = 0; i < N; i++)
		handed += dp[i] * a[i];
	CHECK_NEAR(handed, info.supply_used, 1e-9 * info.supply_used);
	CHECK(info.supply_used > 0.5 * info.supply_total);
	/* gaussian decay too */
	p.decay = GEO_DECAY_GAUSSIAN;
	CHECK_INT(geo_access_compute(&p, N, dx, dy, dp, M, sx, sy, sc, a, &info,
				     &err),
		  CORE_OK);
	handed = 0;
	for (i = 0; i < N; i++)
		handed += dp[i] * a[i];
	CHECK_NEAR(handed, info.supply_used, 1e-9 * info.supply_used);
	free(dx);
	free(dy);
	free(dp);
	free(a);
}

/* ---- geo_gaps ---------------------------------------------------------- */

static void test_gaps_pieces(void)
{
	/* supplies at 0 and 10 on a line; people at -3, 4, 6, 10, 25, NaN */
	const double sx[] = {0, 10}, sy[] = {0, 0};
	const double px[] = {-3, 4, 6, 10, 25, NAN, 5};
	const double py[] = {0, 0, 0, 0, 0, 0, 0};
	const double wt[] = {2, 3, 4, 5, 6, 7, 1};
	double dist[7], within;
	size_t which[7], order[5], rank[5];
	const double v[] = {5, NAN, 9, 5, 12};
	const int flags[] = {0, 0, 0, 0, 1};

	geo_gaps_nearest(2, sx, sy, 7, px, py, dist, which);
	CHECK_NEAR(dist[0], 3, 0);
	CHECK_INT(which[0], 0);
	CHECK_NEAR(dist[1], 4, 0);
	CHECK_NEAR(dist[2], 4, 0);
	CHECK_INT(which[2], 1);
	CHECK_NEAR(dist[3], 0, 0);
	CHECK_NEAR(dist[4], 15, 0);
	CHECK(isnan(dist[5]));
	/* 5 is 5 from both: the smaller index wins */
	CHECK_INT(which[6], 0);

	/* beyond 4 (4 itself is within): -3 (3) in, 4 in, 6 (4) in,
	 * 10 in, 25 (15) out, 5 (5) out; NaN nowhere */
	CHECK_NEAR(geo_gaps_beyond(7, dist, NULL, 4, &within), 2, 0);
	CHECK_NEAR(within, 4, 0);
	/* weighted: out 6 + 1 = 7, in 2 + 3 + 4 + 5 = 14 */
	CHECK_NEAR(geo_gaps_beyond(7, dist, wt, 4, &within), 7, 0);
	CHECK_NEAR(within, 14, 0);

	/* no supply at all: everyone is beyond any distance */
	geo_gaps_nearest(0, sx, sy, 7, px, py, dist, NULL);
	CHECK(isinf(dist[0]));
	CHECK_NEAR(geo_gaps_beyond(7, dist, NULL, 1e9, NULL), 6, 0);

	/* shortfall: need * max(0, 1 - a) */
	CHECK_NEAR(geo_gaps_shortfall(100, 0), 100, 0);
	CHECK_NEAR(geo_gaps_shortfall(100, 0.25), 75, 0);
	CHECK_NEAR(geo_gaps_shortfall(100, 1.5), 0, 0);
	CHECK(isnan(geo_gaps_shortfall(NAN, 0.5)));

	/* ranking: 12 is flagged, NaN left out; 9, then the two 5s by
	 * index */
	CHECK_INT(geo_gaps_rank(5, v, flags, order, rank), 3);
	CHECK_INT(order[0], 2);
	CHECK_INT(order[1], 0);
	CHECK_INT(order[2], 3);
	CHECK_INT(rank[2], 1);
	CHECK_INT(rank[3], 3);
	CHECK_INT(rank[4], 0);
	CHECK_INT(rank[1], 0);
}

/* ---- the CLI ----------------------------------------------------------- */

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	rc = rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
	if (rc)
		test_fail(__FILE__, __LINE__, "command failed (%d): %s", rc,
			  cmd);
	return rc;
}

static char *capture(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *capture(const char *fmt, ...)
{
	char cmd[4096], buf[4096];
	struct core_buf b = CORE_BUF_INIT;
	va_list ap;
	size_t n;
	FILE *fp;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fp = popen(cmd, "r");
	if (!fp)
		return xstrdup("");
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		core_buf_add(&b, buf, n);
	pclose(fp);
	return core_buf_detach(&b);
}

/* One value of a run (the newest run when run is 0). */
static double area_value(const char *ws_path, int64_t run_id, const char *geoid,
			 const char *name)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	sqlite3_stmt *st = NULL;
	double v = NAN;

	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err))
		return NAN;
	if (core_ws_prepare(
		ws, &err, &st,
		"SELECT value FROM results_area WHERE run_id = "
		"coalesce(nullif(?1, 0), (SELECT max(id) FROM runs))"
		" AND geoid = ?2 AND name = ?3") == 0) {
		sqlite3_bind_int64(st, 1, run_id);
		sqlite3_bind_text(st, 2, geoid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) != SQLITE_NULL)
			v = sqlite3_column_double(st, 0);
	}
	sqlite3_finalize(st);
	core_ws_close(ws);
	return v;
}

static const char *am_bin(void)
{
	const char *am = getenv("ASSETMAP");

	if (!am)
		test_skip("ASSETMAP is not set (run through make test)");
	return am;
}

/*
 * A tiny workspace, all figures by hand.  Two tracts side by side
 * (0.02 degrees, about 1.78 km, apart at their centres):
 *   A  lon -120.04 .. -120.02, population 1000, svi 0.5
 *   B  lon -120.02 .. -120.00, population 3000, svi 0.9
 * assets: food (capacity 10) at A's centre, housing (6) at B's centre,
 * legal (1) at -120.000 36.990, south-east of B.
 * cohort: 20 people at A's centre, 11 at B's centre, 4 in B's south-east
 * corner (-120.003 37.003).
 * Beyond 1 mi (1609 m):
 *   food     A 0 m; B centre 1.78 km; corner 2.4 km -> beyond 15, within 20
 *   housing  A 1.78 km; B centre 0; corner 1.0 km  -> beyond 20, within 15
 *   legal    A > 2.5 km; B centre 2.39 km; corner 1.47 km
 *            -> beyond 31, within 4: 4 is "<11", and 31 = 35 - 4 would
 *            give it away, so 31 is "suppressed"
 */
static char tiny_ws[512];

static int make_tiny(const char *am)
{
	const char *tracts =
	    "{\"type\":\"FeatureCollection\",\"features\":["
	    "{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"06999000001\","
	    "\"NAME\":\"A\"},"
	    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-120.04,37."
	    "0],[-120.02,37.0],[-120.02,37.02],[-120.04,37.02],[-120.04,37.0]]]"
	    "}},"
	    "{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"06999000002\","
	    "\"NAME\":\"B\"},"
	    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-120.02,37."
	    "0],[-120.0,37.0],[-120.0,37.02],[-120.02,37.02],[-120.02,37.0]]]}}"
	    "]}";
	const char *ind = "GEOID,population,svi\n06999000001,1000,0.5\n"
			  "06999000002,3000,0.9\n";
	const char *assets = "id,name,category,capacity,lon,lat\n"
			     "F1,Food A,food,10,-120.03,37.01\n"
			     "H1,Housing B,housing,6,-120.01,37.01\n"
			     "L1,Legal SE,legal,1,-120.0,36.99\n";
	struct core_buf c = CORE_BUF_INIT;
	const char *t, *i, *a, *co;
	int k, rc;

	core_buf_adds(&c, "id,lon,lat\n");
	for (k = 0; k < 20; k++)
		core_buf_addf(&c, "a%d,%.6f,37.01\n", k, -120.03 + k * 1e-5);
	for (k = 0; k < 11; k++)
		core_buf_addf(&c, "b%d,%.6f,37.01\n", k, -120.01 + k * 1e-5);
	for (k = 0; k < 4; k++)
		core_buf_addf(&c, "c%d,%.6f,37.003\n", k, -120.003 + k * 1e-5);
	t = test_write("tiny_tracts.geojson", tracts);
	i = test_write("tiny_ind.csv", ind);
	a = test_write("tiny_assets.csv", assets);
	co = test_write("tiny_cohort.csv", core_buf_str(&c));
	snprintf(tiny_ws, sizeof(tiny_ws), "%s/tiny.db", test_tmpdir());
	rc = run("'%s' -q -d '%s' init --crs EPSG:3310", am, tiny_ws) ||
	     run("'%s' -q -d '%s' import areas '%s' --level tract --geoid "
		 "GEOID --name NAME",
		 am, tiny_ws, t) ||
	     run("'%s' -q -d '%s' import indicators '%s' --geoid GEOID "
		 "--population population",
		 am, tiny_ws, i) ||
	     run("'%s' -q -d '%s' import assets '%s' --lon lon --lat lat "
		 "--name name --id id --category category --capacity capacity",
		 am, tiny_ws, a) ||
	     run("'%s' -q -d '%s' import cohort kids '%s' --id id", am, tiny_ws,
		 co);
	core_buf_release(&c);
	return rc;
}

static void test_cli_tiny(void)
{
	const char *am = am_bin();
	char *out;

	if (!am || make_tiny(am))
		return;

	/*
	 * access, 2sfca, catchment 1 km, food: only A's point reaches the
	 * food site: R = 10 / 1000 = 0.01; A = 0.01, B = 0.
	 */
	out = capture("'%s' -q -d '%s' access --category food --catchment 1km "
		      "--format csv 2>&1",
		      am, tiny_ws);
	CHECK_CONTAINS(
	    out,
	    "category,assets,capacity,mean,median,min,max,zero_access_pct\n"
	    "food,1,10,0.005,0.005,0,0.01,50.0\n");
	free(out);
	CHECK_NEAR(area_value(tiny_ws, 0, "06999000001", "score_food"), 0.01,
		   1e-12);
	CHECK_NEAR(area_value(tiny_ws, 0, "06999000002", "score_food"), 0, 0);
	CHECK_NEAR(area_value(tiny_ws, 0, "06999000002", "demand"), 3000, 0);
	/* with the cohort as demand: R = 10 / 20 people = 0.5 */
	out = capture("'%s' -q -d '%s' access --category food --catchment 1km "
		      "--cohort kids --top 2 --format csv 2>&1",
		      am, tiny_ws);
	CHECK_CONTAINS(out, "food,1,06999000002,B,0,15\n");
	CHECK_CONTAINS(out, "food,2,06999000001,A,0.5,20\n");
	free(out);

	/*
	 * gaps, 1 km catchment.  Access normalised by the population-
	 * weighted mean: food A 4, B 0; housing A 0, B 4/3; legal nobody
	 * (0 everywhere).  Unmet need = need * max(0, 1 - access):
	 *   A: food 0, housing 20, legal 20 -> gap 40/3 = 13.33
	 *   B: food 15, housing 0, legal 15 -> gap 10
	 */
	out = capture("'%s' -q -d '%s' gaps --cohort kids --catchment 1km "
		      "--format csv 2>&1",
		      am, tiny_ws);
	CHECK_CONTAINS(
	    out, "rank,category,beyond_1.00_mi,within,share_beyond_pct,people\n"
		 "1,housing,20,15,57.1,35\n"
		 "2,food,15,20,42.9,35\n"
		 ",legal,suppressed,<11,suppressed,35\n");
	CHECK(strstr(out, "rank,geoid") == NULL); /* one table in CSV */
	free(out);
	out = capture("'%s' -q -d '%s' gaps --cohort kids --catchment 1km "
		      "--format csv --table areas 2>&1",
		      am, tiny_ws);
	CHECK_CONTAINS(out, "rank,geoid,name,need,access,gap\n"
			    "1,06999000001,A,20,1.333,13.3\n"
			    "2,06999000002,B,15,0.444,10\n");
	CHECK(strstr(out, "rank,category") == NULL);
	free(out);
	CHECK_NEAR(area_value(tiny_ws, 0, "06999000001", "gap"), 40.0 / 3,
		   1e-9);
	CHECK_NEAR(area_value(tiny_ws, 0, "06999000002", "unmet_food"), 15,
		   1e-9);
	CHECK_NEAR(area_value(tiny_ws, 0, "06999000001", "rank"), 1, 0);
	CHECK_NEAR(area_value(tiny_ws, 0, "06999000002", "beyond_legal"), 11,
		   0);
	CHECK_NEAR(area_value(tiny_ws, 0, "06999000002", "beyond_food"), 15, 0);

	/* population * svi as need, population as people: A 500, B 2700 */
	out = capture("'%s' -q -d '%s' gaps --need 'population*svi' --category "
		      "food --catchment 1km --beyond 1km --format csv 2>&1",
		      am, tiny_ws);
	/* food: B's point (3000 people) is 1.78 km away: beyond 3000 */
	CHECK_CONTAINS(out, "1,food,3000,1000,75.0,4000\n");
	free(out);
	out = capture("'%s' -q -d '%s' gaps --need 'population*svi' --category "
		      "food --catchment 1km --beyond 1km --format csv --table "
		      "areas 2>&1",
		      am, tiny_ws);
	CHECK_CONTAINS(out, "1,06999000002,B,2700,0.000,2700\n");
	free(out);

	/* usage errors */
	out = capture("'%s' -q -d '%s' access --method 4sfca 2>&1; echo rc=$?",
		      am, tiny_ws);
	CHECK_CONTAINS(out, "--method: '4sfca' is not a method");
	CHECK_CONTAINS(out, "rc=2");
	free(out);
	out = capture("'%s' -q -d '%s' access --weights 1,2 --method e2sfca "
		      "2>&1; echo rc=$?",
		      am, tiny_ws);
	CHECK_CONTAINS(out, "rc=2");
	free(out);
	out = capture(
	    "'%s' -q -d '%s' access --weights 1,0.5,0.1 2>&1; echo rc=$?", am,
	    tiny_ws);
	CHECK_CONTAINS(out, "--weights applies to --method e2sfca or 3sfca");
	free(out);
	out = capture("'%s' -q -d '%s' gaps --need cohort 2>&1; echo rc=$?", am,
		      tiny_ws);
	CHECK_CONTAINS(out, "--need cohort needs --cohort");
	free(out);
}

/* The demo county: every method runs and keeps the balance identity on
 * what it stored: sum over areas of demand * score = capacity reached. */
/*
 * --demand-indicator population*NAME: demand = population x value, and
 * x value / 100 when the indicator is a percentage; gaps' --need too.  Checked
 * against the imported population and indicator of every demo tract:
 * 06999000200 has population 5485 and limited_english 22.0 (percent) and svi
 * 0.9139 (a 0-1 rank, taken as is).
 */
static void test_pop_times(const char *am, const char *ws_path)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	sqlite3_stmt *st = NULL;
	int rows = 0, bad = 0;

	/* the demo's indicators come from a plain CSV, which records no
	 * unit: say limited_english is a percentage, as ACS's is */
	CHECK_INT(core_ws_open(ws_path, CORE_WS_WRITE, &ws, &err), CORE_OK);
	if (!ws)
		return;
	CHECK_INT(sqlite3_exec(ws->db,
			       "UPDATE indicator_info SET unit = 'percent'"
			       " WHERE name = 'limited_english'",
			       NULL, NULL, NULL),
		  SQLITE_OK);
	core_ws_close(ws);
	ws = NULL;
	if (run("'%s' -q -d '%s' access --category food --demand-indicator "
		"'population*limited_english' >/dev/null",
		am, ws_path))
		return;
	CHECK_NEAR(area_value(ws_path, 0, "06999000200", "demand"),
		   5485 * 22.0 / 100, 1e-9);
	/* gaps --need population*NAME reads the indicator the same way */
	if (run("'%s' -q -d '%s' gaps --need 'population*limited_english' "
		"--category food >/dev/null",
		am, ws_path))
		return;
	CHECK_NEAR(area_value(ws_path, 0, "06999000200", "need"),
		   5485 * 22.0 / 100, 1e-9);
	if (run("'%s' -q -d '%s' access --category food --demand-indicator "
		"'population*svi' >/dev/null",
		am, ws_path))
		return;
	CHECK_NEAR(area_value(ws_path, 0, "06999000200", "demand"),
		   5485 * 0.9139, 1e-9);
	/* every tract: population x svi (the newest run), NULL where either
	 * is missing */
	CHECK_INT(core_ws_open(ws_path, CORE_WS_READ, &ws, &err), CORE_OK);
	if (!ws)
		return;
	if (core_ws_prepare(ws, &err, &st,
			    "SELECT r.value, a.population * i.value"
			    " FROM results_area r JOIN areas a"
			    " ON a.level = 'tract' AND a.geoid = r.geoid"
			    " LEFT JOIN indicators i ON i.geoid = r.geoid"
			    " AND i.name = 'svi'"
			    " WHERE r.run_id = (SELECT max(id) FROM runs)"
			    " AND r.name = 'demand'") == 0) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			double got = sqlite3_column_double(st, 0);
			double want = sqlite3_column_double(st, 1);

			rows++;
			if (sqlite3_column_type(st, 1) == SQLITE_NULL
				? sqlite3_column_type(st, 0) != SQLITE_NULL
				: fabs(got - want) > 1e-9 * fabs(want))
				bad++;
		}
		sqlite3_finalize(st);
	}
	CHECK(rows > 10);
	CHECK_INT(bad, 0);
	/* the run says what the demand was */
	if (core_ws_prepare(
		ws, &err, &st,
		"SELECT label FROM results_info WHERE run_id ="
		" (SELECT max(id) FROM runs) - 2 AND name = 'demand'") == 0) {
		if (sqlite3_step(st) == SQLITE_ROW)
			CHECK_STR((const char *)sqlite3_column_text(st, 0),
				  "population x indicator 'limited_english' / "
				  "100 (a percentage)");
		else
			CHECK(0);
		sqlite3_finalize(st);
	}
	core_ws_close(ws);
}

static void test_cli_demo(void)
{
	static const char *const methods[] = {"2sfca", "e2sfca", "3sfca",
					      "bfca"};
	const char *am = am_bin();
	const char *demo = TEST_SRCDIR "/data/demo";
	char ws_path[512];
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	size_t k;

	if (!am)
		return;
	snprintf(ws_path, sizeof(ws_path), "%s/demo.db", test_tmpdir());
	if (run("'%s' -q -d '%s' init --crs EPSG:3310", am, ws_path) ||
	    run("'%s' -q -d '%s' import areas '%s/tracts.geojson' --level "
		"tract --geoid GEOID --name NAME",
		am, ws_path, demo) ||
	    run("'%s' -q -d '%s' import indicators '%s/indicators.csv' --geoid "
		"GEOID --population population",
		am, ws_path, demo) ||
	    run("'%s' -q -d '%s' import assets '%s/assets.csv' --lon lon --lat "
		"lat --name name --id id --category category --capacity "
		"capacity --languages languages",
		am, ws_path, demo) ||
	    run("'%s' -q -d '%s' import cohort kids '%s/cohort.csv' --id "
		"person_id --keep language",
		am, ws_path, demo))
		return;
	for (k = 0; k < 4; k++)
		if (run("'%s' -q -d '%s' access --method %s --category "
			"food,housing --decay %s >/dev/null",
			am, ws_path, methods[k], k % 2 ? "gaussian" : "step"))
			return;
	CHECK_INT(core_ws_open(ws_path, CORE_WS_READ, &ws, &err), CORE_OK);
	if (!ws)
		return;
	for (k = 1; k <= 4; k++) {
		sqlite3_stmt *st = NULL;
		double handed = NAN, reached = NAN;

		if (core_ws_prepare(
			ws, &err, &st,
			"SELECT sum(d.value * s.value), (SELECT "
			"json_extract(summary, "
			"'$.categories[0].capacity_reached')"
			" FROM runs WHERE id = ?1)"
			" FROM results_area d JOIN results_area s"
			" ON s.run_id = d.run_id AND s.geoid = d.geoid"
			" WHERE d.run_id = ?1 AND d.name = 'demand'"
			" AND s.name = 'score_food'"))
			break;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)k);
		if (sqlite3_step(st) == SQLITE_ROW) {
			handed = sqlite3_column_double(st, 0);
			reached = sqlite3_column_double(st, 1);
		}
		sqlite3_finalize(st);
		CHECK(reached > 1000);
		CHECK_NEAR(handed, reached, 1e-6 * reached);
	}
	core_ws_close(ws);

	/* gaps on the demo cohort: every category listed, run stored with
	 * a distance per member */
	{
		char *out = capture("'%s' -q -d '%s' gaps --cohort kids "
				    "--category food,housing --format csv",
				    am, ws_path);
		CHECK_CONTAINS(out, ",food,");
		CHECK_CONTAINS(out, ",housing,");
		free(out);
		out = capture("'%s' -q -d '%s' gaps --cohort kids --category "
			      "food,housing --format csv --table areas",
			      am, ws_path);
		CHECK_CONTAINS(out, "rank,geoid,name,need,access,gap\n1,");
		free(out);
	}
	/* language-concordant: Spanish-speaking assets against the
	 * limited-English indicator */
	CHECK_INT(run("'%s' -q -d '%s' access --category food --language es "
		      "--demand-indicator population --normalize >/dev/null",
		      am, ws_path),
		  0);
	test_pop_times(am, ws_path);
}

static const struct test tests[] = {
    TEST(test_2sfca_hand),   TEST(test_e2sfca_hand),  TEST(test_3sfca_hand),
    TEST(test_bfca_hand),    TEST(test_decays_hand),  TEST(test_edges),
    TEST(test_brute_random), TEST(test_bfca_balance), TEST(test_gaps_pieces),
    TEST(test_cli_tiny),     TEST(test_cli_demo),     {0}};

int main(void)
{
	return test_main("access", tests);
}
