/*
 * test_recruit.c - recruiting partners (geo_recruit, 'assetmap recruit'):
 * against a brute force over every combination of K candidates on small
 * random instances (exact equals it; each greedy gain is the marginal
 * gain recomputed from the distances, and the pick its largest, ties to
 * the lower asset); the partnership register read into the split
 * (current / prospective / unaffiliated: 'former', 'none' and no row);
 * and on the San Francisco tracts and food sites with a register that
 * marks some food sites as current partners: making the picks current
 * partners, one after the other, raises the number covered by current
 * partners (brute force over the workspace's own inputs) by exactly the
 * gain 'recruit' stated, for the population and for a cohort.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"
#include "geo/geo_proj.h"
#include "geo/geo_recruit.h"
#include "tests/unit/netgrid.h"
#include "tests/unit/testlib.h"

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static int near(double ax, double ay, double bx, double by, double r)
{
	double dx = ax - bx, dy = ay - by;

	return dx * dx + dy * dy <= r * r;
}

/* Whether demand point i is within D of some current partner. */
static int bf_covered_now(const struct geo_recruit_in *in, size_t i)
{
	size_t j;

	for (j = 0; j < in->nassets; j++)
		if (in->status[j] == GEO_PARTNER_CURRENT &&
		    near(in->dx[i], in->dy[i], in->ax[j], in->ay[j],
			 in->within))
			return 1;
	return 0;
}

/* Weight not covered now that the assets set[0..k) (asset indexes)
 * cover, straight from the distances. */
static double bf_value(const struct geo_recruit_in *in, const size_t *set,
		       size_t k)
{
	double v = 0;
	size_t i, j;

	for (i = 0; i < in->ndemand; i++) {
		int reached = 0;

		if (bf_covered_now(in, i))
			continue;
		for (j = 0; j < k && !reached; j++)
			reached = near(in->dx[i], in->dy[i], in->ax[set[j]],
				       in->ay[set[j]], in->within);
		if (reached)
			v += in->dw[i];
	}
	return v;
}

/* The optimum over every combination of k of the candidates (the
 * assets that are not current partners). */
static double bf_best(const struct geo_recruit_in *in, size_t k)
{
	size_t cand[32], nc = 0, pos[32], set[32], i;
	double best = 0;

	for (i = 0; i < in->nassets; i++)
		if (in->status[i] != GEO_PARTNER_CURRENT)
			cand[nc++] = i;
	if (k > nc)
		k = nc;
	for (i = 0; i < k; i++)
		pos[i] = i;
	for (;;) {
		double v;

		for (i = 0; i < k; i++)
			set[i] = cand[pos[i]];
		v = bf_value(in, set, k);
		if (v > best)
			best = v;
		i = k;
		while (i > 0 && pos[i - 1] == nc - k + i - 1)
			i--;
		if (i == 0)
			break;
		pos[i - 1]++;
		for (; i < k; i++)
			pos[i] = pos[i - 1] + 1;
	}
	return best;
}

/*
 * Greedy replayed by brute force: at each step every candidate's
 * marginal gain over the picks so far, recomputed from the distances;
 * the pick must be the largest, the lowest asset on a tie, with exactly
 * that gain, and greedy stops when no candidate adds anyone.
 */
static void check_greedy_steps(const struct geo_recruit_in *in,
			       const struct geo_recruit *r)
{
	const struct geo_sites *s = r->s;
	size_t set[32], t, j;

	for (t = 0; t <= s->npicks && t < in->k; t++) {
		double base = bf_value(in, set, t), best = 0;
		size_t arg = (size_t)-1;

		for (j = 0; j < in->nassets; j++) {
			double g;
			size_t q;
			int taken = 0;

			if (in->status[j] == GEO_PARTNER_CURRENT)
				continue;
			for (q = 0; q < t; q++)
				taken |= set[q] == j;
			if (taken)
				continue;
			set[t] = j;
			g = bf_value(in, set, t + 1) - base;
			if (g > best) {
				best = g;
				arg = j;
			}
		}
		if (t == s->npicks) {
			/* stopped early only when nobody is left to add */
			if (t < in->k)
				CHECK(best == 0);
			break;
		}
		CHECK_INT(r->pick[t], arg);
		CHECK(s->gain[t] == best);
		set[t] = r->pick[t];
		CHECK(s->cum[t] == bf_value(in, set, t + 1));
	}
}

static void test_random_against_brute_force(void)
{
	double dx[80], dy[80], dw[80], ax[16], ay[16];
	unsigned char st[16];
	struct geo_recruit_in in;
	struct core_err err = CORE_ERR_INIT;
	int trial, greedy_not_opt = 0, exact_auto = 0;

	memset(&in, 0, sizeof(in));
	in.dx = dx;
	in.dy = dy;
	in.dw = dw;
	in.ax = ax;
	in.ay = ay;
	in.status = st;
	for (trial = 0; trial < 120; trial++) {
		size_t i, k = 1 + (size_t)trial % 4, ncur = 0, np = 0;
		struct geo_recruit *g = NULL, *e = NULL, *a = NULL;
		double opt, total = 0, unc = 0;

		in.ndemand = 20 + (size_t)(test_rand(&rng) * 60);
		in.nassets = 6 + (size_t)(test_rand(&rng) * 10);
		in.within = 1200 + 1000 * test_rand(&rng);
		in.k = k;
		for (i = 0; i < in.ndemand; i++) {
			/* on a 100 m grid, so some points tie on the edge */
			dx[i] = 100 * floor(test_rand(&rng) * 100);
			dy[i] = 100 * floor(test_rand(&rng) * 100);
			dw[i] = 1 + floor(test_rand(&rng) * 5);
		}
		for (i = 0; i < in.nassets; i++) {
			double u = test_rand(&rng);

			ax[i] = 100 * floor(test_rand(&rng) * 100);
			ay[i] = 100 * floor(test_rand(&rng) * 100);
			/* every fifth trial: nobody is a partner yet */
			st[i] = trial % 5 == 0 ? GEO_PARTNER_UNAFFILIATED
				: u < 0.3      ? GEO_PARTNER_CURRENT
				: u < 0.5      ? GEO_PARTNER_PROSPECTIVE
					       : GEO_PARTNER_UNAFFILIATED;
			ncur += st[i] == GEO_PARTNER_CURRENT;
			np += st[i] == GEO_PARTNER_PROSPECTIVE;
		}
		/* twins: the same place twice, so ties must go to the
		 * lower asset */
		if (trial % 3 == 0) {
			ax[in.nassets - 1] = ax[1];
			ay[in.nassets - 1] = ay[1];
		}
		for (i = 0; i < in.ndemand; i++) {
			total += dw[i];
			unc += bf_covered_now(&in, i) ? 0 : dw[i];
		}
		opt = bf_best(&in, k);

		in.method = GEO_SITES_GREEDY;
		CHECK_INT(geo_recruit_solve(&in, &g, &err), CORE_OK);
		in.method = GEO_SITES_EXACT;
		CHECK_INT(geo_recruit_solve(&in, &e, &err), CORE_OK);
		in.method = GEO_SITES_AUTO;
		CHECK_INT(geo_recruit_solve(&in, &a, &err), CORE_OK);
		if (!g || !e || !a)
			goto next;
		/* the split */
		CHECK_INT(g->ncurrent, ncur);
		CHECK_INT(g->ncand, in.nassets - ncur);
		CHECK_INT(g->nprospective, np);
		for (i = 0; i < g->ncand; i++) {
			CHECK(st[g->cand[i]] != GEO_PARTNER_CURRENT);
			if (i)
				CHECK(g->cand[i] > g->cand[i - 1]);
		}
		CHECK(g->s->total == total);
		CHECK(g->s->uncovered == unc);
		/* exact equals brute force, with candidates only */
		CHECK(e->s->exact == 1);
		CHECK(e->s->covered == opt);
		CHECK(bf_value(&in, e->pick, e->s->npicks) == opt);
		for (i = 0; i < e->s->npicks; i++)
			CHECK(st[e->pick[i]] != GEO_PARTNER_CURRENT);
		/* auto is exact at this size */
		CHECK(a->s->exact == 1);
		exact_auto += a->s->exact;
		CHECK(a->s->covered == opt);
		/* greedy, step by step, and its bounds */
		check_greedy_steps(&in, g);
		CHECK(bf_value(&in, g->pick, g->s->npicks) == g->s->covered);
		CHECK(g->s->covered >= (1 - 1 / M_E) * opt - 1e-9);
		CHECK(g->s->covered <= opt);
		CHECK(g->s->bound >= opt);
		greedy_not_opt += g->s->covered < opt;
	next:
		geo_recruit_free(g);
		geo_recruit_free(e);
		geo_recruit_free(a);
	}
	printf("    greedy below the optimum in %d of 120; auto exact in %d\n",
	       greedy_not_opt, exact_auto);
}

/*
 * A hand case on a line, D = 1.  Asset 0 (current) at x = 10 covers the
 * point there.  Candidates: asset 1 at x = 2 covers x = 1 and 3 (weight
 * 4), asset 2 at 0.5 covers 0 and 1 (3), asset 3 at 3.5 covers 3 and 4
 * (3), asset 4 at 2 (asset 1's twin, prospective).  Greedy takes asset
 * 1 (not its twin 4), then 2: 5 of the 6 not covered.  The optimum
 * {2, 3} is 6.
 */
static void test_hand_case(void)
{
	const double dx[5] = {0, 1, 3, 4, 10}, dy[5] = {0};
	const double dw[5] = {1, 2, 2, 1, 7};
	const double ax[5] = {10, 2, 0.5, 3.5, 2}, ay[5] = {0};
	const unsigned char st[5] = {
	    GEO_PARTNER_CURRENT, GEO_PARTNER_UNAFFILIATED,
	    GEO_PARTNER_PROSPECTIVE, GEO_PARTNER_UNAFFILIATED,
	    GEO_PARTNER_PROSPECTIVE};
	struct geo_recruit_in in;
	struct geo_recruit *r = NULL;
	struct core_err err = CORE_ERR_INIT;

	memset(&in, 0, sizeof(in));
	in.ndemand = 5;
	in.dx = dx;
	in.dy = dy;
	in.dw = dw;
	in.nassets = 5;
	in.ax = ax;
	in.ay = ay;
	in.status = st;
	in.within = 1;
	in.k = 2;
	in.method = GEO_SITES_GREEDY;
	CHECK_INT(geo_recruit_solve(&in, &r, &err), CORE_OK);
	if (r) {
		CHECK_INT(r->ncurrent, 1);
		CHECK_INT(r->ncand, 4);
		CHECK_INT(r->nprospective, 2);
		CHECK(r->s->total == 13);
		CHECK(r->s->uncovered == 6);
		CHECK_INT(r->s->npicks, 2);
		CHECK_INT(r->pick[0], 1);
		CHECK_INT(r->pick[1], 2);
		CHECK(r->s->gain[0] == 4);
		CHECK(r->s->gain[1] == 1);
		CHECK(r->s->exact == 0);
		CHECK(r->s->bound >= 6);
		/* who each pick first covers: -1 a current partner */
		CHECK_INT(r->s->first[4], -1);
		CHECK_INT(r->s->first[1], 1);
		CHECK_INT(r->s->first[0], 2);
		CHECK_INT(r->s->first[3], 0);
	}
	geo_recruit_free(r);
	r = NULL;
	in.method = GEO_SITES_AUTO;
	CHECK_INT(geo_recruit_solve(&in, &r, &err), CORE_OK);
	if (r) {
		CHECK(r->s->exact == 1);
		CHECK(r->s->covered == 6);
		CHECK_INT(r->s->npicks, 2);
		/* the optimal pair, in greedy order within it (ties: the
		 * lower asset) */
		CHECK_INT(r->pick[0], 2);
		CHECK_INT(r->pick[1], 3);
	}
	geo_recruit_free(r);
	r = NULL;
	/* everyone a current partner: no candidates, no picks */
	{
		unsigned char all[5];

		memset(all, GEO_PARTNER_CURRENT, sizeof(all));
		in.status = all;
		CHECK_INT(geo_recruit_solve(&in, &r, &err), CORE_OK);
		if (r) {
			CHECK_INT(r->ncand, 0);
			CHECK_INT(r->s->npicks, 0);
			CHECK(r->s->uncovered == 0);
		}
		geo_recruit_free(r);
	}
}

/* The register read into the split: 'current' and 'prospective' as
 * they are; 'former', 'none' and no row unaffiliated; rows of assets
 * not asked about ignored. */
static void test_status_load(void)
{
	struct core_ws *ws = test_new_ws("status.db");
	struct core_err err = CORE_ERR_INIT;
	const int64_t ids[7] = {1, 2, 3, 4, 5, 6, 8};
	const unsigned char want[7] = {
	    GEO_PARTNER_CURRENT,      GEO_PARTNER_PROSPECTIVE,
	    GEO_PARTNER_UNAFFILIATED, GEO_PARTNER_UNAFFILIATED,
	    GEO_PARTNER_UNAFFILIATED, GEO_PARTNER_CURRENT,
	    GEO_PARTNER_UNAFFILIATED};
	unsigned char st[7];
	int i;

	if (!ws)
		return;
	for (i = 1; i <= 8; i++)
		test_add_asset(ws, i, -122.4 + 0.001 * i, 37.77, "food");
	test_exec(ws, "INSERT INTO partners(asset_id, status, updated_at) "
		      "VALUES (1, 'current', '2026-01-01'),"
		      " (2, 'prospective', '2026-01-01'),"
		      " (3, 'former', '2026-01-01'),"
		      " (4, 'none', '2026-01-01'),"
		      " (6, 'current', '2026-01-01'),"
		      " (7, 'current', '2026-01-01')");
	memset(st, 0xff, sizeof(st));
	CHECK_INT(geo_partner_status_load(ws, ids, 7, st, &err), CORE_OK);
	for (i = 0; i < 7; i++)
		CHECK_INT(st[i], want[i]);
	CHECK_STR(geo_partner_status_word(GEO_PARTNER_CURRENT),
		  "current partner");
	CHECK_STR(geo_partner_status_code(GEO_PARTNER_UNAFFILIATED),
		  "unaffiliated");
	core_ws_close(ws);
}

/* ------------------------------------------------------------------ */
/* On the road network: a street grid with a river and one bridge
 * (netgrid.h), each point's door-to-door cost to the current partners
 * and to every candidate from the test's own Dijkstra. */

#define NET_ND 80
#define NET_NA 14

/* The weight the assets in mask cover among the open points. */
static double net_cover(unsigned mask, unsigned char reach[NET_NA][NET_ND],
			const double *w, const unsigned char *open)
{
	double v = 0;
	size_t i, j;

	for (i = 0; i < NET_ND; i++) {
		if (!open[i])
			continue;
		for (j = 0; j < NET_NA; j++)
			if ((mask >> j & 1) && reach[j][i]) {
				v += w[i];
				break;
			}
	}
	return v;
}

static void net_run(enum geo_mode mode, enum geo_net_weight wt, double T,
		    const char *wsname)
{
	static const int bridge[1] = {6};
	struct netgrid g;
	struct core_err err = CORE_ERR_INIT;
	double dx[NET_ND], dy[NET_ND], dw[NET_ND], ax[NET_NA], ay[NET_NA];
	unsigned char st[NET_NA], reach[NET_NA][NET_ND], open[NET_ND];
	struct geo_snap ds[NET_ND], as[NET_NA], cur[NET_NA];
	double *C = NULL, uncovered = 0, best = -1;
	size_t i, j, ncur = 0, k = 3, t;
	unsigned mask, cand_mask = 0, taken = 0;
	struct geo_recruit_in in;
	struct geo_recruit *r = NULL;

	if (netgrid_build(&g, wsname, mode, 9, 9, 100, 4, bridge, 1))
		goto out;
	for (i = 0; i < NET_ND; i++) {
		double span = i % 10 == 9 ? 4000 : 900;

		dx[i] = NETGRID_X0 - (span - 800) / 2 + span * test_rand(&rng);
		dy[i] = NETGRID_Y0 - (span - 800) / 2 + span * test_rand(&rng);
		dw[i] = 1 + floor(5 * test_rand(&rng));
	}
	for (j = 0; j < NET_NA; j++) {
		ax[j] = NETGRID_X0 + 800 * test_rand(&rng);
		ay[j] = NETGRID_Y0 + 800 * test_rand(&rng);
		st[j] = j % 5 == 0   ? GEO_PARTNER_CURRENT
			: j % 4 == 1 ? GEO_PARTNER_PROSPECTIVE
				     : GEO_PARTNER_UNAFFILIATED;
	}

	/* the reference: covered now, then each candidate's reach */
	C = xmalloc((geo_net_nnodes(g.net) + 1) * sizeof(double));
	geo_net_snap(g.net, dx, dy, NET_ND, GEO_NET_SNAP_MAX_M, ds);
	geo_net_snap(g.net, ax, ay, NET_NA, GEO_NET_SNAP_MAX_M, as);
	for (j = 0; j < NET_NA; j++)
		if (st[j] == GEO_PARTNER_CURRENT)
			cur[ncur++] = as[j];
		else
			cand_mask |= 1u << j;
	ref_node_costs(g.net, wt, ncur, cur, C);
	for (i = 0; i < NET_ND; i++) {
		open[i] = ds[i].seg >= 0 &&
			  !(ref_cost(g.net, wt, C, ncur, cur, &ds[i]) <= T);
		uncovered += open[i] ? dw[i] : 0;
	}
	for (j = 0; j < NET_NA; j++) {
		ref_node_costs(g.net, wt, 1, &as[j], C);
		for (i = 0; i < NET_ND; i++)
			reach[j][i] = open[i] && ref_cost(g.net, wt, C, 1,
							  &as[j], &ds[i]) <= T;
	}
	for (mask = 0; mask < 1u << NET_NA; mask++)
		if ((mask & ~cand_mask) == 0 &&
		    (size_t)__builtin_popcount(mask) == k)
			best = fmax(best, net_cover(mask, reach, dw, open));

	memset(&in, 0, sizeof(in));
	in.ndemand = NET_ND;
	in.dx = dx;
	in.dy = dy;
	in.dw = dw;
	in.nassets = NET_NA;
	in.ax = ax;
	in.ay = ay;
	in.status = st;
	in.within = T;
	in.k = k;
	in.method = GEO_SITES_EXACT;
	in.net = g.net;
	in.weight = wt;
	CHECK_INT(geo_recruit_solve(&in, &r, &err), CORE_OK);
	if (!r)
		goto out;
	CHECK_INT(r->ncurrent, ncur);
	CHECK(r->s->uncovered == uncovered);
	CHECK(r->s->exact == 1);
	CHECK(r->s->covered == best);
	for (mask = 0, j = 0; j < r->s->npicks; j++)
		mask |= 1u << r->pick[j];
	CHECK((mask & ~cand_mask) == 0);
	CHECK(net_cover(mask, reach, dw, open) == best);
	printf("    %s: not covered by the %zu current partners %.0f; the "
	       "best %zu of %d candidates cover %.0f\n",
	       wsname, ncur, uncovered, k, __builtin_popcount(cand_mask), best);
	CHECK(uncovered > 0 && best > 0 && best < uncovered);
	/* greedy: each pick the largest marginal gain, lower asset on ties */
	geo_recruit_free(r);
	r = NULL;
	in.method = GEO_SITES_GREEDY;
	CHECK_INT(geo_recruit_solve(&in, &r, &err), CORE_OK);
	if (!r)
		goto out;
	for (t = 0; t < r->s->npicks; t++) {
		double base = net_cover(taken, reach, dw, open), g_best = 0;
		size_t arg = (size_t)-1;

		for (j = 0; j < NET_NA; j++) {
			double gj;

			if (!(cand_mask >> j & 1) || (taken >> j & 1))
				continue;
			gj = net_cover(taken | 1u << j, reach, dw, open) - base;
			if (gj > g_best) {
				g_best = gj;
				arg = j;
			}
		}
		CHECK_INT(r->pick[t], arg);
		CHECK(r->s->gain[t] == g_best);
		taken |= 1u << r->pick[t];
	}
	CHECK(r->s->covered <= best);
	CHECK(r->s->bound >= best);
out:
	geo_recruit_free(r);
	free(C);
	netgrid_free(&g);
}

static void test_net_walk_time(void)
{
	net_run(GEO_MODE_WALK, GEO_NET_TIME, 240, "rc_walk.db");
}

static void test_net_drive_length(void)
{
	net_run(GEO_MODE_DRIVE, GEO_NET_LENGTH, 350, "rc_drive.db");
}

/* ------------------------------------------------------------------ */
/* San Francisco: the tracts, their population and the food sites */

#define SF_D_M	    800.0
#define SF_COHORT   "sfpeople"
#define SF_COHORT_N 3000

static char sf_ws[600];

/* The workspace, made once: tracts, population, food sites, a cohort
 * at random places in the city's box, and the register: every fifth
 * food site a current partner, the next one prospective, the next one
 * former. */
static int sf_ready(void)
{
	static int done, ok;
	const char *am = getenv("ASSETMAP"), *data;
	struct core_buf csv = CORE_BUF_INIT;
	uint64_t r = 0x5DEECE66DULL;
	int k;

	if ((k = test_fixture_once(&done, ok)) >= 0)
		return k;
	if (!(data = test_need_shared_data()) || !test_have_cli())
		return 0;
	snprintf(sf_ws, sizeof(sf_ws), "%s/sf.db", test_tmpdir());
	core_buf_addf(&csv, "person_id,lat,lon\n");
	for (k = 0; k < SF_COHORT_N; k++)
		core_buf_addf(&csv, "p%05d,%.6f,%.6f\n", k,
			      37.72 + 0.08 * test_rand(&r),
			      -122.50 + 0.12 * test_rand(&r));
	test_write("sf_cohort.csv", csv.s);
	core_buf_release(&csv);
	if (test_sh("'%s' -q -d '%s' init --crs EPSG:3310", am, sf_ws) ||
	    test_sh("'%s' -q -d '%s' import areas "
		    "'%s/sf-tracts/sf_tracts_2010.geojson' --level tract "
		    "--geoid GEOID10",
		    am, sf_ws, data) ||
	    test_sh("'%s' -q -d '%s' import indicators "
		    "'%s/svi-2018-ca/SVI2018_SanFrancisco_tract.csv' --geoid "
		    "FIPS --columns E_TOTPOP --population E_TOTPOP --year 2018",
		    am, sf_ws, data) ||
	    test_sh("'%s' -q -d '%s' import assets "
		    "'%s/haarrrvest-food-bayarea/food_sites_raw.csv' "
		    "--category food",
		    am, sf_ws, data) ||
	    test_sh("cd '%s' && '%s' -q -d '%s' import cohort " SF_COHORT
		    " sf_cohort.csv --id person_id",
		    test_tmpdir(), am, sf_ws) ||
	    test_sh("sqlite3 '%s' \"INSERT INTO partners(asset_id, status, "
		    "updated_at) SELECT asset_id, CASE asset_id %% 5 WHEN 0 "
		    "THEN 'current' WHEN 1 THEN 'prospective' ELSE 'former' "
		    "END, '2026-01-01' FROM asset_categories WHERE category = "
		    "'food' AND asset_id %% 5 IN (0, 1, 2)\"",
		    sf_ws))
		return 0;
	ok = 1;
	return 1;
}

/* The demand as the command sees it: the area points with their
 * population, or the cohort's members; and the food sites. */
struct sf_in {
	struct geo_proj *proj;
	struct geo_areas *areas;
	struct geo_supply *food;
	struct geo_members *m;
	size_t n;
	double *x, *y, *w; /* [n] */
};

static void sf_in_free(struct sf_in *s)
{
	geo_supply_free(s->food, 1);
	geo_members_free(s->m);
	geo_areas_free(s->areas);
	geo_proj_free(s->proj);
	free(s->x);
	free(s->y);
	free(s->w);
	memset(s, 0, sizeof(*s));
}

static int sf_in_load(struct sf_in *s, int cohort)
{
	static const char *const food[] = {"food"};
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_filter f;
	int weighted = -1, rc;
	size_t i;

	memset(s, 0, sizeof(*s));
	geo_filter_init(&f);
	rc = core_ws_open(sf_ws, CORE_WS_READ, &ws, &err);
	if (!rc)
		rc = geo_proj_for_ws(ws, &s->proj, &err);
	if (!rc)
		rc =
		    geo_areas_load(ws, "tract", NULL, s->proj, &s->areas, &err);
	if (!rc)
		rc = geo_supply_load(ws, food, 1, &f, s->proj, &s->food, &err);
	if (!rc && cohort) {
		rc = geo_members_load(ws, SF_COHORT, NULL, s->proj, s->areas,
				      &s->m, &err);
		if (!rc) {
			s->n = s->m->n;
			s->x = xmalloc((s->n + 1) * sizeof(double));
			s->y = xmalloc((s->n + 1) * sizeof(double));
			s->w = xmalloc((s->n + 1) * sizeof(double));
			for (i = 0; i < s->n; i++) {
				s->x[i] = s->m->x[i];
				s->y[i] = s->m->y[i];
				s->w[i] = 1;
			}
		}
	} else if (!rc) {
		s->n = s->areas->n;
		s->x = xcalloc(s->n + 1, sizeof(double));
		s->y = xcalloc(s->n + 1, sizeof(double));
		s->w = xcalloc(s->n + 1, sizeof(double));
		rc = geo_area_points(ws, s->areas, s->proj, s->x, s->y,
				     &weighted, &err);
		for (i = 0; i < s->n; i++) {
			double p = s->areas->population[i];

			s->w[i] = isnan(p) || p < 0 ? 0 : p;
		}
	}
	core_ws_close(ws);
	if (rc) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		sf_in_free(s);
		return -1;
	}
	CHECK_INT(s->areas->n, 195);
	CHECK_INT(s->food->n, 368);
	return 0;
}

/* Brute force: the weight within D of a food site that the register
 * now says is a current partner. */
static double sf_covered_now(const struct sf_in *s)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	unsigned char *cur = xcalloc(s->food->n + 1, 1);
	double v = 0;
	size_t i, j;

	if (core_ws_open(sf_ws, CORE_WS_READ, &ws, &err) != CORE_OK) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		free(cur);
		return NAN;
	}
	for (j = 0; j < s->food->n; j++) {
		char sql[128];

		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM partners WHERE asset_id = %lld "
			 "AND status = 'current'",
			 (long long)s->food->id[j]);
		cur[j] = test_q_int(ws, sql) == 1;
	}
	core_ws_close(ws);
	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->food->n; j++)
			if (cur[j] && near(s->x[i], s->y[i], s->food->x[j],
					   s->food->y[j], SF_D_M)) {
				v += s->w[i];
				break;
			}
	free(cur);
	return v;
}

/* What the run stored as its summary's field key (a string or a
 * number), as a number; NaN when absent or suppressed. */
static double summary_num(const char *key)
{
	char *q = xasprintf("sqlite3 '%s' \"SELECT json_extract(summary, "
			    "'$.%s') FROM runs ORDER BY id DESC LIMIT 1\"",
			    sf_ws, key);
	char *out = test_popen(q);
	char *end = NULL;
	double v = NAN;

	if (out) {
		v = strtod(out, &end);
		if (end == out)
			v = NAN;
	}
	free(out);
	free(q);
	return v;
}

/*
 * What 'coverage' (with the options more) says is covered: the "within
 * ..." cell of the food row of its CSV; NaN when it cannot be read or
 * is suppressed.
 */
static double coverage_of(int cohort, const char *more)
{
	char *args = xasprintf("-q -d '%s' coverage --category food --within "
			       "%.0fm --format csv%s%s",
			       sf_ws, SF_D_M, more,
			       cohort ? " --cohort " SF_COHORT : "");
	char *out = NULL, *err = NULL, *line2, *end = NULL;
	const char *p;
	double v = NAN;
	int col = 0, want = -1;

	if (test_run_cli(args, &out, &err) == 0 && out &&
	    (line2 = strchr(out, '\n'))) {
		/* the column whose header begins "within " */
		for (p = out; p < line2; col++) {
			if (strncmp(p, "within ", 7) == 0)
				want = col;
			p += strcspn(p, ",\n");
			if (*p == ',')
				p++;
			else
				break;
		}
		for (p = line2 + 1, col = 0; want >= 0 && col < want; col++)
			p += strcspn(p, ",\n") + 1;
		if (want >= 0) {
			v = strtod(p, &end);
			if (end == p)
				v = NAN;
		}
	}
	free(args);
	free(out);
	free(err);
	return v;
}

static double coverage_current(int cohort)
{
	return coverage_of(cohort, " --partners current");
}

/*
 * Recruit K food sites for the population (or the cohort), then make
 * each pick a current partner in turn: the number covered by current
 * partners, recomputed by brute force, must rise by the gain stated
 * for it, exactly.
 */
static void sf_recruit(int cohort)
{
	struct sf_in s;
	char *out = NULL, *err = NULL, *args;
	json_object *j = NULL;
	double now, cov;
	size_t i, n, checked = 0;
	int rc;

	if (!sf_ready() || sf_in_load(&s, cohort))
		return;
	args = xasprintf("-q -d '%s' recruit --category food --within %.0fm "
			 "--top 4 --format json%s",
			 sf_ws, SF_D_M, cohort ? " --cohort " SF_COHORT : "");
	rc = test_run_cli(args, &out, &err);
	free(args);
	CHECK_INT(rc, 0);
	if (rc != 0 || !(j = json_tokener_parse(out)) ||
	    !json_object_is_type(j, json_type_array)) {
		test_fail(__FILE__, __LINE__, "recruit said: %s%s",
			  out ? out : "", err ? err : "");
		goto cleanup;
	}
	n = json_object_array_length(j);
	CHECK_INT(n, 4);
	now = sf_covered_now(&s);
	/* what the run says is covered now is the brute force's, and
	 * 'coverage --partners current' says the same */
	CHECK_NEAR(summary_num("covered_now"), now, cohort ? 0 : 0.5);
	cov = coverage_current(cohort);
	CHECK_NEAR(cov, now, 0.5);
	/* our network never covers more than every food site does */
	CHECK(coverage_of(cohort, "") > cov);
	for (i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(j, i), *v;
		int64_t id;
		double gain, after, cov_after;
		const char *st;

		if (!json_object_object_get_ex(row, "asset", &v))
			break;
		id = json_object_get_int64(v);
		json_object_object_get_ex(row, "status", &v);
		st = json_object_get_string(v);
		/* a candidate is never a current partner */
		CHECK(strcmp(st, "prospective") == 0 ||
		      strcmp(st, "unaffiliated") == 0);
		CHECK_INT((id % 5 == 1), strcmp(st, "prospective") == 0);
		json_object_object_get_ex(row, "newly covered", &v);
		/* recruited: as a coalition records it */
		test_sh("'%s' -q -d '%s' partner set %lld --status current "
			">/dev/null",
			getenv("ASSETMAP"), sf_ws, (long long)id);
		after = sf_covered_now(&s);
		cov_after = coverage_current(cohort);
		CHECK_NEAR(cov_after, after, 0.5);
		if (!json_object_is_type(v, json_type_int) &&
		    !json_object_is_type(v, json_type_double)) {
			/* a cohort's small gain, "<11": it is 1 to 10 */
			CHECK_STR(json_object_get_string(v), "<11");
			CHECK(after - now >= 1 && after - now <= 10);
		} else {
			gain = json_object_get_double(v);
			CHECK(gain > 0);
			CHECK_NEAR(after - now, gain, 0.5);
			/* coverage by current partners rises by the gain */
			CHECK_NEAR(cov_after - cov, gain, 0.5);
			checked++;
		}
		now = after;
		cov = cov_after;
	}
	printf("    %s: %zu of %zu gains checked to the person\n",
	       cohort ? "cohort" : "population", checked, n);
	CHECK(checked >= 2);
cleanup:
	/* the register as the fixture made it, for the next test */
	test_sh("sqlite3 '%s' \"DELETE FROM partners WHERE asset_id %% 5 NOT "
		"IN (0, 1, 2); UPDATE partners SET status = CASE asset_id %% "
		"5 WHEN 0 THEN 'current' WHEN 1 THEN 'prospective' ELSE "
		"'former' END\"",
		sf_ws);
	json_object_put(j);
	free(out);
	free(err);
	sf_in_free(&s);
}

static void test_sf_population(void)
{
	sf_recruit(0);
}

static void test_sf_cohort(void)
{
	sf_recruit(1);
}

/* The command's refusals. */
static void test_cli_errors(void)
{
	static const struct test_cli_case cases[] = {
	    {"-q -d e.db init", 0, "", NULL, {NULL}, NULL},
	    {"-q -d e.db recruit --category food",
	     2,
	     NULL,
	     "assetmap: recruit: --within D is required",
	     {NULL},
	     NULL},
	    {"-q -d e.db recruit --category food --within 1mi --top 0",
	     2,
	     "assetmap: recruit: --top: '0' is not a whole number from 1 to "
	     "1000\n(see 'assetmap help recruit')\n",
	     NULL,
	     {NULL},
	     NULL},
	    {"-q -d e.db recruit --category fod --within 1mi",
	     2,
	     NULL,
	     NULL,
	     {"'fod' is not a category", "did you mean 'food'?"},
	     NULL},
	    {"-q -d e.db recruit --category food --within 1mi --partners "
	     "current",
	     2,
	     NULL,
	     "assetmap: recruit: --partners does not apply",
	     {NULL},
	     NULL},
	    {"-q -d e.db recruit --category food,housing --within 1mi",
	     2,
	     NULL,
	     "assetmap: recruit: one category at a time",
	     {NULL},
	     NULL},
	};

	if (!test_have_cli())
		return;
	TEST_CLI_CASES(cases);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(test_random_against_brute_force),
	    TEST(test_hand_case),
	    TEST(test_status_load),
	    TEST(test_net_walk_time),
	    TEST(test_net_drive_length),
	    TEST(test_sf_population),
	    TEST(test_sf_cohort),
	    TEST(test_cli_errors),
	    {0}};
	int rc = test_main("recruit", tests);

	test_libs_shutdown();
	return rc;
}
