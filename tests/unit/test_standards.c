/*
 * test_standards.c - `assetmap standards`: the share of people meeting a
 * time-or-distance standard, per area, against counts by hand and a
 * brute-force reference (netref.h), on a road graph built in the test.
 *
 * The roads (driving), west to east at lat 37.005 a slow road (10 km/h)
 * S0..S8, lon -120.04 + 0.005 k; from S0 north a fast road (100 km/h) to
 * lat 37.015 (V1, V2) then east along it, F1..F8 at lon -120.04 + 0.005 k;
 * F8 joins S8 by a slow connector through C1 (-120.00, 37.010).  One food
 * asset at S0.  Per 0.005 degree: about 444 m east-west, 556 m
 * north-south.
 *
 * The people (a cohort, each of five places 11 times so no count is
 * small):
 *   P1 at S3       1,333 m by the slow road, 8 min: distance only
 *   P2 at F6       3,780 m by the fast road, 2.3 min (the slow way is
 *                  longer): time only
 *   P3 at S7       3,111 m, 12 min either way: fails
 *   P4 (-120.01, 37.035), 2.2 km from every road: not placed, fails
 *   P5 (-120.038, 37.005), beside the asset: both
 * Tract A (lon -120.045 .. -120.02) holds P1 and P5; tract B (-120.02 ..
 * -119.995) P2, P3 and P4; both lat 37.0 .. 37.04.
 *
 * Standard "2km|5min":  A 22 of 22;  B 11 of 33 (11 not placed).
 *          "2km" only:  A 22;        B 0.
 *          "5min" only: A 11 (P5);   B 11 (P2).
 */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"
#include "geo/geo_net.h"
#include "geo/geo_proj.h"
#include "geo/geo_standards.h"
#include "netref.h"
#include "testlib.h"

static const char *am_bin(void)
{
	const char *am = getenv("ASSETMAP");

	if (!am)
		test_skip("ASSETMAP is not set (run through make test)");
	return am;
}

static double haversine(double lon1, double lat1, double lon2, double lat2)
{
	const double r = 6371008.8, k = M_PI / 180;
	double dlat = (lat2 - lat1) * k, dlon = (lon2 - lon1) * k;
	double a =
	    sin(dlat / 2) * sin(dlat / 2) +
	    cos(lat1 * k) * cos(lat2 * k) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * r * asin(sqrt(a));
}

/* ---- the workspace ------------------------------------------------------ */

/* Nodes: S0..S8 (0..8), V1, V2 (9, 10), F1..F8 (11..18), C1 (19). */
#define NN   20
#define S(k) (k)
#define F(k) (10 + (k))

static char ws_path[512];

static int save_roads(const char *path)
{
	struct geo_net_build_in in;
	struct geo_net_stats st;
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	double lon[NN], lat[NN], len[32], sab[32], sba[32], kmh[32];
	uint32_t a[32], b[32];
	unsigned char *blob = NULL;
	size_t blen = 0, ns = 0, i;
	int k, rc;

	for (k = 0; k <= 8; k++) {
		lon[S(k)] = -120.04 + 0.005 * k;
		lat[S(k)] = 37.005;
	}
	lon[9] = lon[10] = -120.04;
	lat[9] = 37.010;
	lat[10] = 37.015;
	for (k = 1; k <= 8; k++) {
		lon[F(k)] = -120.04 + 0.005 * k;
		lat[F(k)] = 37.015;
	}
	lon[19] = -120.00;
	lat[19] = 37.010;
#define SEG(x, y, v)                                                           \
	do {                                                                   \
		a[ns] = (x);                                                   \
		b[ns] = (y);                                                   \
		kmh[ns] = (v);                                                 \
		ns++;                                                          \
	} while (0)
	for (k = 0; k < 8; k++)
		SEG(S(k), S(k + 1), 10);
	SEG(S(0), 9, 100);
	SEG(9, 10, 100);
	SEG(10, F(1), 100);
	for (k = 1; k < 8; k++)
		SEG(F(k), F(k + 1), 100);
	SEG(F(8), 19, 10);
	SEG(19, S(8), 10);
#undef SEG
	for (i = 0; i < ns; i++) {
		len[i] = haversine(lon[a[i]], lat[a[i]], lon[b[i]], lat[b[i]]);
		sab[i] = sba[i] = len[i] / (kmh[i] / 3.6);
	}
	memset(&in, 0, sizeof(in));
	in.mode = GEO_MODE_DRIVE;
	in.nnodes = NN;
	in.lon = lon;
	in.lat = lat;
	in.nsegs = ns;
	in.a = a;
	in.b = b;
	in.len_m = len;
	in.secs_ab = sab;
	in.secs_ba = sba;
	rc = geo_net_build(&in, &st, &blob, &blen, &err);
	if (!rc)
		rc = core_ws_open(path, CORE_WS_WRITE, &ws, &err);
	if (!rc)
		rc = core_ws_begin(ws, &err);
	if (!rc) {
		test_exec(ws, "INSERT INTO sources(kind, path, name, format, "
			      "checksum, imported_at) VALUES('roads', "
			      "'/test/two.osm.pbf', "
			      "'two.osm.pbf', 'test', '0', '2026-01-01')");
		rc = geo_net_save(ws, GEO_MODE_DRIVE,
				  test_q_int(ws, "SELECT max(id) FROM sources"),
				  &st, blob, blen, &err);
		if (!rc)
			rc = core_ws_commit(ws, &err);
		else
			core_ws_rollback(ws);
	}
	if (rc)
		test_fail(__FILE__, __LINE__, "saving the roads: %s", err.msg);
	free(blob);
	core_ws_close(ws);
	return rc;
}

static int make_ws(const char *am)
{
	static const double place[5][2] = {{-120.025, 37.005},
					   {-120.01, 37.015},
					   {-120.005, 37.005},
					   {-120.01, 37.035},
					   {-120.038, 37.005}};
	const char *tracts =
	    "{\"type\":\"FeatureCollection\",\"features\":["
	    "{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"06999000001\","
	    "\"NAME\":\"A\"},\"geometry\":{\"type\":\"Polygon\","
	    "\"coordinates\":[[[-120.045,37.0],[-120.02,37.0],[-120.02,37.04],"
	    "[-120.045,37.04],[-120.045,37.0]]]}},"
	    "{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"06999000002\","
	    "\"NAME\":\"B\"},\"geometry\":{\"type\":\"Polygon\","
	    "\"coordinates\":[[[-120.02,37.0],[-119.995,37.0],[-119.995,37.04],"
	    "[-120.02,37.04],[-120.02,37.0]]]}}]}";
	const char *ind = "GEOID,population\n06999000001,1000\n"
			  "06999000002,3000\n";
	const char *assets = "id,name,category,lon,lat\n"
			     "F1,Food,food,-120.04,37.005\n";
	struct core_buf c = CORE_BUF_INIT;
	const char *tp, *ip, *ap, *cp;
	int p, k, rc;

	core_buf_adds(&c, "id,lon,lat\n");
	for (p = 0; p < 5; p++)
		for (k = 0; k < 11; k++)
			core_buf_addf(&c, "p%d_%d,%.7f,%.7f\n", p + 1, k,
				      place[p][0] + k * 1e-6, place[p][1]);
	tp = test_write("std_tracts.geojson", tracts);
	ip = test_write("std_ind.csv", ind);
	ap = test_write("std_assets.csv", assets);
	cp = test_write("std_cohort.csv", core_buf_str(&c));
	core_buf_release(&c);
	snprintf(ws_path, sizeof(ws_path), "%s/standards.db", test_tmpdir());
	rc = test_sh("'%s' -q -d '%s' init --crs EPSG:3310", am, ws_path) ||
	     test_sh("'%s' -q -d '%s' import areas '%s' --level tract --geoid "
		     "GEOID --name NAME",
		     am, ws_path, tp) ||
	     test_sh("'%s' -q -d '%s' import indicators '%s' --geoid GEOID "
		     "--population population",
		     am, ws_path, ip) ||
	     test_sh("'%s' -q -d '%s' import assets '%s' --lon lon --lat lat "
		     "--name name --id id --category category",
		     am, ws_path, ap) ||
	     test_sh("'%s' -q -d '%s' import cohort members '%s' --id id", am,
		     ws_path, cp);
	return rc || save_roads(ws_path);
}

/* meet_food, fail_food and not_placed of tracts A and B. */
static void check_areas(double meet_a, double meet_b, double off_b)
{
	CHECK_NEAR(test_area_value(ws_path, "06999000001", "n"), 22, 0);
	CHECK_NEAR(test_area_value(ws_path, "06999000002", "n"), 33, 0);
	CHECK_NEAR(test_area_value(ws_path, "06999000001", "meet_food"), meet_a,
		   0);
	CHECK_NEAR(test_area_value(ws_path, "06999000002", "meet_food"), meet_b,
		   0);
	CHECK_NEAR(test_area_value(ws_path, "06999000001", "fail_food"),
		   22 - meet_a, 0);
	CHECK_NEAR(test_area_value(ws_path, "06999000002", "fail_food"),
		   33 - meet_b, 0);
	CHECK_NEAR(test_area_value(ws_path, "06999000001", "share_food"),
		   meet_a / 22, 1e-12);
	CHECK_NEAR(test_area_value(ws_path, "06999000002", "share_food"),
		   meet_b / 33, 1e-12);
	if (!isnan(off_b)) {
		CHECK_NEAR(
		    test_area_value(ws_path, "06999000001", "not_placed"), 0,
		    0);
		CHECK_NEAR(
		    test_area_value(ws_path, "06999000002", "not_placed"),
		    off_b, 0);
	}
}

/* ---- the tests ---------------------------------------------------------- */

static void test_time_or_distance(void)
{
	const char *am = am_bin();
	char *out;

	if (!am || make_ws(am))
		return;
	/* time OR distance: P1 by distance only, P2 by time only */
	out = test_sh_out("'%s' -d '%s' standards --category food --within "
			  "'2km|5min' --by drive --cohort members --format csv "
			  "2>&1",
			  am, ws_path);
	CHECK_CONTAINS(out, "category,assets,people,meet,share_meet_pct,fail,"
			    "not_placed\nfood,1,55,33,60.0%,22,11\n");
	CHECK_CONTAINS(out, "rank,geoid,name,people,meet,share_meet_pct,fail,"
			    "not_placed\n1,06999000002,B,33,11,33.3%,22,11\n");
	CHECK_CONTAINS(out, "11 people not placed on the driving network");
	CHECK_CONTAINS(out, "1 of 2 tract areas fail the standard");
	free(out);
	check_areas(22, 11, 11);
	/* each part alone */
	test_sh(
	    "'%s' -q -d '%s' standards --category food --within 2km --by drive "
	    "--cohort members >/dev/null",
	    am, ws_path);
	check_areas(22, 0, 11);
	test_sh("'%s' -q -d '%s' standards --category food --within 5min --by "
		"drive --cohort members >/dev/null",
		am, ws_path);
	check_areas(11, 11, 11);
	/* straight lines: P2 is 2.9 km away, P4 is placed (no network) */
	test_sh(
	    "'%s' -q -d '%s' standards --category food --within 2km --cohort "
	    "members >/dev/null",
	    am, ws_path);
	check_areas(22, 0, NAN);
	CHECK(isnan(test_area_value(ws_path, "06999000002", "not_placed")));
}

/* Privacy: a cohort where tract B's counts are small. */
static void test_small_cells(void)
{
	const char *am = am_bin();
	char *out;

	if (!am || (!ws_path[0] && make_ws(am)))
		return;
	/* --where is not possible (no attributes): use one person per
	 * place through a second cohort */
	{
		static const char *cohort = "id,lon,lat\n"
					    "q1,-120.025,37.005\n"
					    "q2,-120.01,37.015\n"
					    "q3,-120.005,37.005\n";
		const char *cp = test_write("std_small.csv", cohort);

		if (test_sh("'%s' -q -d '%s' import cohort few '%s' --id id",
			    am, ws_path, cp))
			return;
	}
	out =
	    test_sh_out("'%s' -d '%s' standards --category food --within "
			"'2km|5min' --by drive --cohort few --format csv 2>&1",
			am, ws_path);
	CHECK_CONTAINS(out, "food,1,<11,<11,suppressed,<11,0\n");
	CHECK_CONTAINS(out, "1 not listed: their counts are below 11");
	CHECK(strstr(out, "06999000002") == NULL);
	free(out);
}

/* Population at the area points: each point meets or not, checked by a
 * brute-force reference on the graph. */
static void test_population_brute(void)
{
	const char *am = am_bin();
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_proj *proj = NULL;
	struct geo_net *net = NULL;
	struct geo_areas *areas = NULL;
	struct geo_supply *sup = NULL;
	struct geo_filter f;
	const char *cats[] = {"food"};
	static const char *const within[] = {"1km|3min", "800m", "90s",
					     "3km|5min"};
	double px[2], py[2];
	struct geo_snap ps[2], as[1];
	int weighted, w;
	size_t i, k;

	if (!am || (!ws_path[0] && make_ws(am)))
		return;
	geo_filter_init(&f);
	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err) ||
	    geo_proj_for_ws(ws, &proj, &err) ||
	    geo_areas_load(ws, "tract", NULL, proj, &areas, &err) ||
	    geo_area_points(ws, areas, proj, px, py, &weighted, &err) ||
	    geo_supply_load(ws, cats, 1, &f, proj, &sup, &err) ||
	    geo_net_load(ws, GEO_MODE_DRIVE, proj, &net, &err)) {
		test_fail(__FILE__, __LINE__, "reference: %s", err.msg);
		goto cleanup;
	}
	CHECK_INT(areas->n, 2);
	geo_net_snap(net, px, py, 2, GEO_NET_SNAP_MAX_M, ps);
	geo_net_snap(net, sup[0].x, sup[0].y, 1, GEO_NET_SNAP_MAX_M, as);
	CHECK(ps[0].seg >= 0 && ps[1].seg >= 0 && as[0].seg >= 0);
	for (k = 0; k < sizeof(within) / sizeof(within[0]); k++) {
		double cost[2][2];
		int meets[2], nmeet = 0;

		for (w = 0; w < 2; w++) {
			struct netref nr;

			netref_init(&nr, net, (enum geo_net_weight)w);
			for (i = 0; i < 2; i++)
				cost[w][i] = netref_cost(&nr, &ps[i], &as[0]);
			netref_release(&nr);
		}
		/* the people travel to the asset: place -> asset */
		for (i = 0; i < 2; i++) {
			double s = k == 0   ? 180
				   : k == 2 ? 90
				   : k == 3 ? 300
					    : NAN,
			       m = k == 0   ? 1000
				   : k == 1 ? 800
				   : k == 3 ? 3000
					    : NAN;

			meets[i] = cost[0][i] <= s || cost[1][i] <= m;
			nmeet += meets[i];
		}
		test_sh(
		    "'%s' -q -d '%s' standards --category food --within '%s' "
		    "--by drive >/dev/null",
		    am, ws_path, within[k]);
		CHECK_NEAR(test_area_value(ws_path, "06999000001", "meet_food"),
			   meets[0] ? 1000 : 0, 0);
		CHECK_NEAR(test_area_value(ws_path, "06999000002", "meet_food"),
			   meets[1] ? 3000 : 0, 0);
		CHECK_NEAR(
		    test_area_value(ws_path, "06999000002", "population"), 3000,
		    0);
		if (test_failures())
			fprintf(stderr,
				"  within %s: costs A %g s %g m, B %g "
				"s %g m\n",
				within[k], cost[0][0], cost[1][0], cost[0][1],
				cost[1][1]);
	}
cleanup:
	geo_net_free(net);
	geo_supply_free(sup, 1);
	geo_areas_free(areas);
	geo_proj_free(proj);
	core_ws_close(ws);
}

/* geo_standards_net's flags, straight from the library. */
static void test_flags(void)
{
	const char *am = am_bin();
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_proj *proj = NULL;
	struct geo_net *net = NULL;
	struct geo_standard s = {2000, 300};
	double x[5], y[5],
	    lon[5] = {-120.025, -120.01, -120.005, -120.01, -120.038},
	    lat[5] = {37.005, 37.015, 37.005, 37.035, 37.005};
	double ax, ay, secs[5], metres[5];
	struct geo_snap ps[5], as[1];
	unsigned char fl[5];
	int i;

	if (!am || (!ws_path[0] && make_ws(am)))
		return;
	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err) ||
	    geo_proj_for_ws(ws, &proj, &err) ||
	    geo_net_load(ws, GEO_MODE_DRIVE, proj, &net, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	for (i = 0; i < 5; i++) {
		x[i] = lon[i];
		y[i] = lat[i];
	}
	ax = -120.04;
	ay = 37.005;
	if (geo_proj_fwd(proj, x, y, 5, &err) ||
	    geo_proj_fwd(proj, &ax, &ay, 1, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	geo_net_snap(net, x, y, 5, GEO_NET_SNAP_MAX_M, ps);
	geo_net_snap(net, &ax, &ay, 1, GEO_NET_SNAP_MAX_M, as);
	CHECK_INT(
	    geo_standards_net(net, &s, 1, as, 5, ps, fl, secs, metres, &err),
	    CORE_OK);
	CHECK_INT(fl[0], GEO_STD_BY_DIST);
	CHECK_INT(fl[1], GEO_STD_BY_TIME);
	CHECK_INT(fl[2], 0);
	CHECK_INT(fl[3], GEO_STD_UNPLACED);
	CHECK_INT(fl[4], GEO_STD_BY_DIST | GEO_STD_BY_TIME);
	/* the header's figures: P1 1,333 m / 8 min; P2 3,780 m / 2.3 min */
	CHECK_NEAR(metres[0], 1333, 15);
	CHECK_NEAR(secs[0], 480, 6);
	CHECK_NEAR(metres[1], 3780, 40);
	CHECK_NEAR(secs[1], 136, 3);
	CHECK(isnan(secs[3]) && isnan(metres[3]));
cleanup:
	geo_net_free(net);
	geo_proj_free(proj);
	core_ws_close(ws);
}

/* ---- Oakland: the real road network ------------------------------------- */

#define OAK_CELLS 24

/* Column name of the newest run, per area in GEOID order, into v
 * (OAK_CELLS values); returns how many rows were read. */
static int oak_column(const char *path, const char *name, double *v)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	sqlite3_stmt *st = NULL;
	int n = 0;

	if (core_ws_open(path, CORE_WS_READ, &ws, &err))
		return 0;
	if (core_ws_prepare(ws, &err, &st,
			    "SELECT value FROM results_area WHERE run_id = "
			    "(SELECT max(id) FROM runs) AND name = ?1 "
			    "ORDER BY geoid") == 0) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		while (n < OAK_CELLS && sqlite3_step(st) == SQLITE_ROW)
			v[n++] = sqlite3_column_double(st, 0);
	}
	sqlite3_finalize(st);
	core_ws_close(ws);
	return n;
}

/*
 * Downtown and West Oakland's roads (osm-oakland, imported with 'import
 * roads'), with made-up areas (a 6 x 4 grid of 0.01 degree cells over
 * the extract), ten made-up clinics and 3,000 made-up members spread
 * over it.  What must hold on any real network:
 *   - a trip along the roads is never shorter than the straight line,
 *     so per area the members within 1 mile by walking are at most
 *     those within 1 mile in a straight line (and fewer overall);
 *   - "1mi|15min" is met by at least everyone meeting either part and
 *     at most by all of them together;
 *   - access with a network catchment keeps the balance identity.
 */
static void test_oakland(void)
{
	const char *am = am_bin(), *data = am ? test_need_shared_data() : NULL;
	char path[512], *out;
	struct core_buf t = CORE_BUF_INIT, ind = CORE_BUF_INIT,
			a = CORE_BUF_INIT, c = CORE_BUF_INIT;
	double line[OAK_CELLS], walk[OAK_CELLS], tm[OAK_CELLS], both[OAK_CELLS],
	    n[OAK_CELLS];
	double sl = 0, sw = 0, handed = 0, reached;
	uint64_t seed = 14;
	int k, i, j;

	if (!am || !data)
		return;
	core_buf_adds(&t, "{\"type\":\"FeatureCollection\",\"features\":[");
	core_buf_adds(&ind, "GEOID,population\n");
	for (k = 0; k < OAK_CELLS; k++) {
		double x0 = -122.30 + 0.01 * (k % 6),
		       y0 = 37.79 + 0.01 * (k / 6);

		core_buf_addf(&t,
			      "%s{\"type\":\"Feature\",\"properties\":{"
			      "\"GEOID\":\"069990%05d\",\"NAME\":\"cell %d\"},"
			      "\"geometry\":{\"type\":\"Polygon\","
			      "\"coordinates\":[[[%.2f,%.2f],[%.2f,%.2f],"
			      "[%.2f,%.2f],[%.2f,%.2f],[%.2f,%.2f]]]}}",
			      k ? "," : "", k + 1, k + 1, x0, y0, x0 + 0.01, y0,
			      x0 + 0.01, y0 + 0.01, x0, y0 + 0.01, x0, y0);
		core_buf_addf(&ind, "069990%05d,%d\n", k + 1,
			      800 + (int)(4000 * test_rand(&seed)));
	}
	core_buf_adds(&t, "]}");
	core_buf_adds(&a, "id,name,category,capacity,lon,lat\n");
	for (k = 0; k < 10; k++)
		core_buf_addf(&a, "C%d,Clinic %d,primary_care,%d,%.5f,%.5f\n",
			      k, k, 1 + (int)(5 * test_rand(&seed)),
			      -122.295 + 0.055 * test_rand(&seed),
			      37.795 + 0.035 * test_rand(&seed));
	core_buf_adds(&c, "id,lon,lat\n");
	for (k = 0; k < 3000; k++)
		core_buf_addf(&c, "m%d,%.5f,%.5f\n", k,
			      -122.30 + 0.06 * test_rand(&seed),
			      37.79 + 0.04 * test_rand(&seed));
	snprintf(path, sizeof(path), "%s/oakland.db", test_tmpdir());
	if (test_sh("'%s' -q -d '%s' init --crs EPSG:3310", am, path) ||
	    test_sh("'%s' -q -d '%s' import areas '%s' --level tract --geoid "
		    "GEOID --name NAME",
		    am, path, test_write("oak.geojson", core_buf_str(&t))) ||
	    test_sh("'%s' -q -d '%s' import indicators '%s' --geoid GEOID "
		    "--population population",
		    am, path, test_write("oak_ind.csv", core_buf_str(&ind))) ||
	    test_sh(
		"'%s' -q -d '%s' import assets '%s' --lon lon --lat lat "
		"--name name --id id --category category --capacity capacity",
		am, path, test_write("oak_assets.csv", core_buf_str(&a))) ||
	    test_sh("'%s' -q -d '%s' import cohort members '%s' --id id", am,
		    path, test_write("oak_cohort.csv", core_buf_str(&c))) ||
	    test_sh(
		"'%s' -q -d '%s' import roads '%s/osm-oakland/oakland.osm.pbf'",
		am, path, data))
		goto cleanup;

	test_sh(
	    "'%s' -q -d '%s' standards --category primary_care --within 1mi "
	    "--cohort members >/dev/null",
	    am, path);
	CHECK_INT(oak_column(path, "meet_primary_care", line), OAK_CELLS);
	out = test_sh_out("'%s' -d '%s' standards --category primary_care "
			  "--within 1mi --by walk --cohort members 2>&1",
			  am, path);
	CHECK_CONTAINS(out, "walking, door to door on the road network");
	free(out);
	CHECK_INT(oak_column(path, "meet_primary_care", walk), OAK_CELLS);
	CHECK_INT(oak_column(path, "n", n), OAK_CELLS);
	test_sh(
	    "'%s' -q -d '%s' standards --category primary_care --within 15min "
	    "--by walk --cohort members >/dev/null",
	    am, path);
	CHECK_INT(oak_column(path, "meet_primary_care", tm), OAK_CELLS);
	test_sh("'%s' -q -d '%s' standards --category primary_care --within "
		"'1mi|15min' --by walk --cohort members >/dev/null",
		am, path);
	CHECK_INT(oak_column(path, "meet_primary_care", both), OAK_CELLS);
	for (i = 0; i < OAK_CELLS; i++) {
		CHECK(walk[i] <= line[i]);
		CHECK(both[i] >= walk[i] && both[i] >= tm[i]);
		CHECK(both[i] <= walk[i] + tm[i]);
		CHECK(both[i] <= n[i]);
		sl += line[i];
		sw += walk[i];
	}
	/* the streets are longer than the straight lines, and the case is
	 * not empty */
	CHECK(sw < sl);
	CHECK(sw > 0);

	test_sh(
	    "'%s' -q -d '%s' access --by drive --catchment 4min --method bfca "
	    "--category primary_care >/dev/null",
	    am, path);
	CHECK_INT(oak_column(path, "demand", n), OAK_CELLS);
	CHECK_INT(oak_column(path, "score_primary_care", tm), OAK_CELLS);
	for (j = 0; j < OAK_CELLS; j++)
		handed += n[j] * tm[j];
	{
		struct core_err err = CORE_ERR_INIT;
		struct core_ws *ws = NULL;

		reached = NAN;
		if (core_ws_open(path, CORE_WS_READ, &ws, &err) == 0) {
			reached = test_q_double(
			    ws, "SELECT json_extract(summary, "
				"'$.categories[0].capacity_reached') FROM runs "
				"WHERE id = (SELECT max(id) FROM runs)");
			core_ws_close(ws);
		}
	}
	CHECK(reached > 0);
	CHECK_NEAR(handed, reached, 1e-9 * reached);
cleanup:
	core_buf_release(&t);
	core_buf_release(&ind);
	core_buf_release(&a);
	core_buf_release(&c);
}

static const struct test tests[] = {
    TEST(test_time_or_distance), TEST(test_small_cells),
    TEST(test_population_brute), TEST(test_flags),
    TEST(test_oakland),		 {0}};

int main(void)
{
	return test_main("standards", tests);
}
