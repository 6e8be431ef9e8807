/*
 * test_net_access.c - `assetmap access --by drive`: floating catchment
 * scores with network catchments, against a reference that computes
 * every demand-supply cost with a plain Dijkstra (netref.h) and applies
 * the formulas of geo_access.h directly; the balance identity; the same
 * bits whatever the number of threads; places not placed on the network.
 *
 * The workspace (made through the CLI): a 4 x 2 grid of tracts 0.01
 * degree square from -120.04, 37.00, and tract 9 far to the east with
 * no road near it; population per tract below; six food assets inside
 * the grid and one far east.  The road graph (geo_net_build, geo_net_save
 * in the test): a 10 x 5 grid of nodes 0.005 degree apart, offset from
 * the tracts' centres, with driving speeds of 20 to 60 km/h and three
 * one-way segments.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_access.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"
#include "geo/geo_net.h"
#include "geo/geo_proj.h"
#include "netgrid.h"
#include "netref.h"
#include "testlib.h"

/* ---- the CLI ------------------------------------------------------------ */

static const char *am_bin(void)
{
	const char *am = getenv("ASSETMAP");

	if (!am)
		test_skip("ASSETMAP is not set (run through make test)");
	return am;
}

/* ---- the workspace ------------------------------------------------------ */

#define NTRACT 9
static const double pop[NTRACT] = {1000, 2500, 800,  4000, 1200,
				   600,	 3000, 1500, 900};

#define NX   10
#define NY   5
#define LON0 -120.0437
#define LAT0 36.9983
#define STEP 0.005

static double haversine(double lon1, double lat1, double lon2, double lat2)
{
	const double r = 6371008.8, k = M_PI / 180;
	double dlat = (lat2 - lat1) * k, dlon = (lon2 - lon1) * k;
	double a =
	    sin(dlat / 2) * sin(dlat / 2) +
	    cos(lat1 * k) * cos(lat2 * k) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * r * asin(sqrt(a));
}

/* The road grid into the workspace at path, as 'import roads' would
 * store it. */
static int save_grid(const char *path)
{
	struct geo_net_build_in in;
	struct geo_net_stats st;
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	double lon[NX * NY], lat[NX * NY];
	uint32_t a[2 * NX * NY], b[2 * NX * NY];
	double len[2 * NX * NY], sab[2 * NX * NY], sba[2 * NX * NY];
	unsigned char *blob = NULL;
	size_t blen = 0, ns = 0;
	uint64_t seed = 7;
	int i, j, rc;

	for (j = 0; j < NY; j++)
		for (i = 0; i < NX; i++) {
			lon[j * NX + i] = LON0 + i * STEP;
			lat[j * NX + i] = LAT0 + j * STEP;
		}
	for (j = 0; j < NY; j++)
		for (i = 0; i < NX; i++) {
			int k = j * NX + i, dir;

			for (dir = 0; dir < 2; dir++) {
				int o = dir ? k + NX : k + 1;
				double kmh;

				if ((dir == 0 && i == NX - 1) ||
				    (dir == 1 && j == NY - 1))
					continue;
				kmh = 20 + 40 * test_rand(&seed);
				a[ns] = (uint32_t)k;
				b[ns] = (uint32_t)o;
				len[ns] =
				    haversine(lon[k], lat[k], lon[o], lat[o]);
				sab[ns] = len[ns] / (kmh / 3.6);
				sba[ns] = sab[ns];
				/* three one-way streets, inside the grid */
				if (ns == 12 || ns == 31 || ns == 47)
					sba[ns] = INFINITY;
				ns++;
			}
		}
	memset(&in, 0, sizeof(in));
	in.mode = GEO_MODE_DRIVE;
	in.nnodes = NX * NY;
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
			      "'/test/grid.osm.pbf', "
			      "'grid.osm.pbf', 'test', '0', '2026-01-01')");
		rc = geo_net_save(ws, GEO_MODE_DRIVE,
				  test_q_int(ws, "SELECT max(id) FROM sources"),
				  &st, blob, blen, &err);
		if (!rc)
			rc = core_ws_commit(ws, &err);
		else
			core_ws_rollback(ws);
	}
	if (rc)
		test_fail(__FILE__, __LINE__, "saving the grid: %s", err.msg);
	free(blob);
	core_ws_close(ws);
	return rc;
}

static char ws_path[512];

static int make_ws(const char *am)
{
	struct core_buf t = CORE_BUF_INIT, ind = CORE_BUF_INIT;
	const char *assets = "id,name,category,capacity,lon,lat\n"
			     "F1,F1,food,10,-120.0362,37.0041\n"
			     "F2,F2,food,4,-120.0213,37.0128\n"
			     "F3,F3,food,7,-120.0088,37.0072\n"
			     "F4,F4,food,2,-120.0021,37.0169\n"
			     "F5,F5,food,12,-120.0287,37.0187\n"
			     "F6,F6,food,5,-120.0150,37.0010\n"
			     "F9,F9,food,8,-119.8000,37.0100\n";
	const char *tp, *ip, *ap;
	int k, rc;

	core_buf_adds(&t, "{\"type\":\"FeatureCollection\",\"features\":[");
	core_buf_adds(&ind, "GEOID,population\n");
	for (k = 0; k < NTRACT; k++) {
		double x0 = k < 8 ? -120.04 + 0.01 * (k % 4) : -119.91,
		       y0 = k < 8 ? 37.0 + 0.01 * (k / 4) : 37.0;

		core_buf_addf(&t,
			      "%s{\"type\":\"Feature\",\"properties\":{"
			      "\"GEOID\":\"0699900000%d\",\"NAME\":\"T%d\"},"
			      "\"geometry\":{\"type\":\"Polygon\","
			      "\"coordinates\":[[[%.3f,%.3f],[%.3f,%.3f],"
			      "[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f]]]}}",
			      k ? "," : "", k + 1, k + 1, x0, y0, x0 + 0.01, y0,
			      x0 + 0.01, y0 + 0.01, x0, y0 + 0.01, x0, y0);
		core_buf_addf(&ind, "0699900000%d,%.0f\n", k + 1, pop[k]);
	}
	core_buf_adds(&t, "]}");
	tp = test_write("net_tracts.geojson", core_buf_str(&t));
	ip = test_write("net_ind.csv", core_buf_str(&ind));
	ap = test_write("net_assets.csv", assets);
	snprintf(ws_path, sizeof(ws_path), "%s/net_access.db", test_tmpdir());
	rc = test_sh("'%s' -q -d '%s' init --crs EPSG:3310", am, ws_path) ||
	     test_sh("'%s' -q -d '%s' import areas '%s' --level tract --geoid "
		     "GEOID --name NAME",
		     am, ws_path, tp) ||
	     test_sh("'%s' -q -d '%s' import indicators '%s' --geoid GEOID "
		     "--population population",
		     am, ws_path, ip) ||
	     test_sh(
		 "'%s' -q -d '%s' import assets '%s' --lon lon --lat lat "
		 "--name name --id id --category category --capacity capacity",
		 am, ws_path, ap);
	core_buf_release(&t);
	core_buf_release(&ind);
	return rc || save_grid(ws_path);
}

/* ---- the reference ------------------------------------------------------ */

struct ref {
	size_t n, m;
	struct geo_areas *areas;
	struct geo_supply *sup;
	struct geo_snap *ds, *ss;
	double *cost[2]; /* [n * m] by GEO_NET_TIME, GEO_NET_LENGTH */
};

/* Every area point to every food asset, both weights, by netref. */
static int ref_load(struct ref *r)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_proj *proj = NULL;
	struct geo_net *net = NULL;
	struct geo_filter f;
	const char *cats[] = {"food"};
	double *px = NULL, *py = NULL;
	int weighted, rc, w;
	size_t i, j;

	memset(r, 0, sizeof(*r));
	geo_filter_init(&f);
	rc = core_ws_open(ws_path, CORE_WS_READ, &ws, &err);
	if (!rc)
		rc = geo_proj_for_ws(ws, &proj, &err);
	if (!rc)
		rc = geo_areas_load(ws, "tract", NULL, proj, &r->areas, &err);
	if (!rc) {
		r->n = r->areas->n;
		px = xmalloc(r->n * sizeof(double));
		py = xmalloc(r->n * sizeof(double));
		rc = geo_area_points(ws, r->areas, proj, px, py, &weighted,
				     &err);
	}
	if (!rc)
		rc = geo_supply_load(ws, cats, 1, &f, proj, &r->sup, &err);
	if (!rc)
		rc = geo_net_load(ws, GEO_MODE_DRIVE, proj, &net, &err);
	if (rc) {
		test_fail(__FILE__, __LINE__, "reference: %s", err.msg);
		goto cleanup;
	}
	r->m = r->sup[0].n;
	r->ds = xmalloc(r->n * sizeof(*r->ds));
	r->ss = xmalloc(r->m * sizeof(*r->ss));
	geo_net_snap(net, px, py, r->n, GEO_NET_SNAP_MAX_M, r->ds);
	geo_net_snap(net, r->sup[0].x, r->sup[0].y, r->m, GEO_NET_SNAP_MAX_M,
		     r->ss);
	for (w = 0; w < 2; w++) {
		struct netref nr;

		netref_init(&nr, net, (enum geo_net_weight)w);
		r->cost[w] = xmalloc(r->n * r->m * sizeof(double));
		for (i = 0; i < r->n; i++)
			for (j = 0; j < r->m; j++)
				r->cost[w][i * r->m + j] =
				    netref_cost(&nr, &r->ds[i], &r->ss[j]);
		netref_release(&nr);
	}
cleanup:
	free(px);
	free(py);
	geo_net_free(net);
	geo_proj_free(proj);
	core_ws_close(ws);
	return rc;
}

static void ref_free(struct ref *r)
{
	geo_areas_free(r->areas);
	geo_supply_free(r->sup, 1);
	free(r->ds);
	free(r->ss);
	free(r->cost[0]);
	free(r->cost[1]);
}

enum meth { M2, ME2, M3, MB };
enum dec { DSTEP, DGAUSS, DGRAV };

/* W(d) for d <= d0, written from geo_access.h's formulas. */
static double ref_w(enum meth m, enum dec dc, double d, double d0, double beta,
		    double dmin)
{
	switch (dc) {
	case DSTEP:
		if (m != ME2 && m != M3)
			return 1;
		return d <= d0 / 3 ? 1 : d <= 2 * d0 / 3 ? 0.68 : 0.22;
	case DGAUSS:
		return (exp(-0.5 * (d / d0) * (d / d0)) - exp(-0.5)) /
		       (1 - exp(-0.5));
	case DGRAV:
		return pow((d < dmin ? dmin : d) / d0, -beta);
	}
	return 0;
}

/* The scores by the formulas over every pair; returns the supply
 * reached (sum of S_j with D_j > 0). */
static double ref_scores(const struct ref *r, int w, enum meth m, enum dec dc,
			 double d0, double beta, double dmin, double *score)
{
	size_t n = r->n, mm = r->m, i, j;
	double *e = xcalloc(n * mm + 1, sizeof(double));
	double *dj = xcalloc(mm + 1, sizeof(double)), reached = 0;

	for (i = 0; i < n; i++) {
		double sw = 0;

		for (j = 0; j < mm; j++) {
			double d = r->cost[w][i * mm + j];

			if (d <= d0)
				e[i * mm + j] = ref_w(m, dc, d, d0, beta, dmin);
			sw += e[i * mm + j];
		}
		for (j = 0; j < mm; j++) {
			double W = e[i * mm + j];

			if (m == M3)
				e[i * mm + j] = sw > 0 ? W * W / sw : 0;
			else if (m == MB)
				e[i * mm + j] = sw > 0 ? W / sw : 0;
		}
	}
	for (j = 0; j < mm; j++)
		for (i = 0; i < n; i++)
			dj[j] += pop[i] * e[i * mm + j];
	for (j = 0; j < mm; j++)
		if (dj[j] > 0)
			reached += r->sup[0].capacity[j];
	for (i = 0; i < n; i++) {
		score[i] = 0;
		if (r->ds[i].seg < 0) {
			score[i] = NAN;
			continue;
		}
		for (j = 0; j < mm; j++)
			if (dj[j] > 0)
				score[i] += e[i * mm + j] *
					    r->sup[0].capacity[j] / dj[j];
	}
	free(e);
	free(dj);
	return reached;
}

/* ---- the tests ---------------------------------------------------------- */

struct variant {
	const char *args;
	int w; /* 0 time, 1 length */
	enum meth m;
	enum dec dc;
	double d0, beta, dmin;
};

static void test_net_fca(void)
{
	static const struct variant v[] = {
	    {"--catchment 3min", 0, M2, DSTEP, 180, 1, 100},
	    {"--catchment 3min --method e2sfca", 0, ME2, DSTEP, 180, 1, 100},
	    {"--catchment 150s --method 3sfca --decay gaussian", 0, M3, DGAUSS,
	     150, 1, 100},
	    {"--catchment 4min --method bfca", 0, MB, DSTEP, 240, 1, 100},
	    {"--catchment 4min --decay gravity --beta 1.5 --min-distance 30s",
	     0, M2, DGRAV, 240, 1.5, 30},
	    /* the gravity floor defaults to a minute with a time */
	    {"--catchment 200s --method e2sfca --decay gravity", 0, ME2, DGRAV,
	     200, 1, 60},
	    {"--catchment 1500m --decay gaussian", 1, M2, DGAUSS, 1500, 1, 100},
	    {"--catchment 1.2km --method bfca --decay gravity", 1, MB, DGRAV,
	     1200, 1, 100},
	};
	const char *am = am_bin();
	struct ref r;
	size_t k, i;

	if (!am || make_ws(am) || ref_load(&r))
		return;
	/* the layout is what the cases need: tract 9 and asset F9 are not
	 * placed, every other one is */
	CHECK_INT(r.n, NTRACT);
	CHECK_INT(r.m, 7);
	for (i = 0; i < r.n; i++)
		CHECK_INT(r.ds[i].seg < 0, i == 8);
	for (i = 0; i < r.m; i++)
		CHECK_INT(r.ss[i].seg < 0, i == 6);
	for (k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
		double want[NTRACT], got, reached, handed = 0, nz = 0;

		test_sh("'%s' -q -d '%s' access --by drive --category food %s "
			">/dev/null",
			am, ws_path, v[k].args);
		reached = ref_scores(&r, v[k].w, v[k].m, v[k].dc, v[k].d0,
				     v[k].beta, v[k].dmin, want);
		for (i = 0; i < r.n; i++) {
			got = test_area_value(ws_path, r.areas->geoid[i],
					      "score_food");
			if (isnan(want[i])) {
				CHECK(isnan(got));
				continue;
			}
			CHECK_NEAR(got, want[i], 1e-9 * fmax(1e-9, want[i]));
			handed += pop[i] * got;
			nz += got > 0;
		}
		/* the identity on what was stored, and a case that says
		 * something: some areas reach some supply, not all of it */
		CHECK_NEAR(handed, reached, 1e-9 * reached);
		CHECK(nz >= 3);
		CHECK(reached > 0 && reached < 48);
		if (test_failures())
			fprintf(stderr, "  (variant %zu: %s)\n", k, v[k].args);
	}

	/* gaps --by drive: the population beyond 2 minutes of the nearest
	 * food, per area, against the reference's least time */
	{
		double beyond = 0, within = 0;
		char *out, row[128];

		for (i = 0; i < r.n; i++) {
			double best = INFINITY;
			size_t j;

			for (j = 0; j < r.m; j++)
				if (r.cost[0][i * r.m + j] < best)
					best = r.cost[0][i * r.m + j];
			if (r.ds[i].seg < 0)
				continue;
			if (best > 120)
				beyond += pop[i];
			else
				within += pop[i];
		}
		out =
		    test_sh_out("'%s' -q -d '%s' gaps --by drive --beyond 2min "
				"--catchment 3min --category food --format csv "
				"2>&1",
				am, ws_path);
		snprintf(row, sizeof(row), "1,food,%.0f,%.0f,", beyond, within);
		CHECK_CONTAINS(out, "rank,category,beyond_2_min,within,");
		CHECK_CONTAINS(out, row);
		free(out);
		/* both sides are populated: the case can fail */
		CHECK(beyond > 0 && within > 0);
		for (i = 0; i < r.n; i++) {
			double best = INFINITY;
			size_t j;

			for (j = 0; j < r.m; j++)
				if (r.cost[0][i * r.m + j] < best)
					best = r.cost[0][i * r.m + j];
			CHECK_NEAR(test_area_value(ws_path, r.areas->geoid[i],
						   "beyond_food"),
				   r.ds[i].seg >= 0 && best > 120 ? pop[i] : 0,
				   0);
		}
	}
	ref_free(&r);
}

/* The same bits with one thread and with two. */
static void test_net_threads(void)
{
	const char *am = am_bin();
	double one[NTRACT];
	char geoid[32];
	int i;

	if (!am || (!ws_path[0] && make_ws(am)))
		return;
	test_sh(
	    "ASSETMAP_THREADS=1 '%s' -q -d '%s' access --by drive --category "
	    "food --catchment 4min --method 3sfca --decay gaussian >/dev/null",
	    am, ws_path);
	for (i = 0; i < NTRACT; i++) {
		snprintf(geoid, sizeof(geoid), "0699900000%d", i + 1);
		one[i] = test_area_value(ws_path, geoid, "score_food");
	}
	test_sh(
	    "ASSETMAP_THREADS=2 '%s' -q -d '%s' access --by drive --category "
	    "food --catchment 4min --method 3sfca --decay gaussian >/dev/null",
	    am, ws_path);
	for (i = 0; i < NTRACT; i++) {
		double two;

		snprintf(geoid, sizeof(geoid), "0699900000%d", i + 1);
		two = test_area_value(ws_path, geoid, "score_food");
		CHECK(memcmp(&one[i], &two, sizeof(double)) == 0);
	}
}

/* What is said about places not placed, and what is stored. */
static void test_net_reported(void)
{
	const char *am = am_bin();
	char *out;

	if (!am || (!ws_path[0] && make_ws(am)))
		return;
	out = test_sh_out("'%s' -d '%s' access --by drive --category food "
			  "--catchment 20min 2>&1",
			  am, ws_path);
	CHECK_CONTAINS(out, "1 of 9 tract points not placed on the driving "
			    "network: farther than 1km from a road");
	CHECK_CONTAINS(out, "1 of 7 food assets not placed on the driving "
			    "network");
	CHECK_CONTAINS(out, "within 20 min driving");
	free(out);
	CHECK(isnan(test_area_value(ws_path, "06999000009", "score_food")));
	out = test_sh_out("'%s' -q -d '%s' results last 2>&1", am, ws_path);
	CHECK_CONTAINS(out, "\"by\":\"drive\"");
	CHECK_CONTAINS(out, "\"catchment_s\":1200");
	free(out);
	/* a time without a network mode; a time against a distance */
	out = test_sh_out("'%s' -q -d '%s' access --category food --catchment "
			  "20min 2>&1; echo rc=$?",
			  am, ws_path);
	CHECK_CONTAINS(out, "--catchment 20min is a time: add --by walk");
	CHECK_CONTAINS(out, "rc=2");
	free(out);
	out =
	    test_sh_out("'%s' -q -d '%s' access --by drive --category food "
			"--catchment 20min --decay gravity --min-distance 100m "
			"2>&1; echo rc=$?",
			am, ws_path);
	CHECK_CONTAINS(out, "--min-distance must be a time");
	CHECK_CONTAINS(out, "rc=2");
	free(out);
	/* no walking network in the workspace */
	out = test_sh_out(
	    "'%s' -q -d '%s' access --by walk --category food 2>&1; "
	    "echo rc=$?",
	    am, ws_path);
	CHECK_CONTAINS(out, "import roads");
	CHECK_CONTAINS(out, "rc=1");
	free(out);
}

/* n demand points and m supplies at random on the grid g, snapped into
 * ds and ss: demand dbase + (i * 37) % dmod, supply 1 + (i * 13) % 9 (i
 * counting on from the demand points). */
static void grid_places(const struct netgrid *g, unsigned seed, size_t n,
			struct geo_snap *ds, double *dem, double dbase,
			int dmod, size_t m, struct geo_snap *ss, double *sup)
{
	double *x = xmalloc((n + m) * sizeof *x);
	double *y = xmalloc((n + m) * sizeof *y);
	size_t i;

	for (i = 0; i < n + m; i++) {
		x[i] = NETGRID_X0 + (rand_r(&seed) % 16500) / 10.0;
		y[i] = NETGRID_Y0 + (rand_r(&seed) % 16500) / 10.0;
		if (i < n)
			dem[i] = dbase + (double)(i * 37 % (size_t)dmod);
		else
			sup[i - n] = 1 + (double)(i * 13 % 9);
	}
	geo_net_snap(g->net, x, y, n, 1000, ds);
	geo_net_snap(g->net, x + n, y + n, m, 1000, ss);
	free(x);
	free(y);
}

/*
 * The engine chosen.  400 demand points whose catchment takes in the whole
 * grid: the first 16 searches reach every supply, so the rest run on a
 * hierarchy; a catchment that reaches almost nothing keeps Dijkstra.  Both
 * give the scores Dijkstra alone gives, for a step and a gaussian decay.
 */
static void test_net_fca_engines(void)
{
	static const int bridges[] = {2, 9};
	enum { N = 400, M = 60 };
	struct netgrid g;
	static struct geo_snap ds[N], ss[M];
	static double dem[N], sup[M], s1[N], s2[N];
	struct core_err err = CORE_ERR_INIT;
	struct geo_access_info info;
	size_t i;
	int k;

	if (netgrid_build(&g, "engines.db", GEO_MODE_DRIVE, 12, 12, 150.0, 5,
			  bridges, 2))
		return;
	grid_places(&g, 11, N, ds, dem, 10, 50, M, ss, sup);
	for (k = 0; k < 4; k++) {
		struct geo_access_params p;
		size_t diff = 0, pos = 0;

		geo_access_params_init(&p);
		p.decay = k % 2 ? GEO_DECAY_GAUSSIAN : GEO_DECAY_STEP;
		p.catchment = k < 2 ? 100000 : 1;
		p.engine = GEO_ACCESS_ENGINE_SEARCH;
		CHECK_INT(geo_access_compute_net(&p, g.net, GEO_NET_TIME, N, ds,
						 dem, M, ss, sup, s1, &info,
						 &err),
			  CORE_OK);
		CHECK_INT(info.hierarchy, 0);
		p.engine = GEO_ACCESS_ENGINE_AUTO;
		CHECK_INT(geo_access_compute_net(&p, g.net, GEO_NET_TIME, N, ds,
						 dem, M, ss, sup, s2, &info,
						 &err),
			  CORE_OK);
		CHECK_INT(info.hierarchy, k < 2);
		for (i = 0; i < N; i++) {
			if (!(fabs(s1[i] - s2[i]) <= 1e-12 * fabs(s1[i])) &&
			    !(isnan(s1[i]) && isnan(s2[i])))
				diff++;
			pos += s1[i] > 0;
		}
		CHECK_INT(diff, 0);
		/* the wide catchment gives every placed point a score */
		if (k < 2)
			CHECK(pos > N / 2);
	}
	netgrid_free(&g);
}

/*
 * Many supplies within long catchments, straight through
 * geo_access_compute_net on a driving grid (one-way rows, a river with
 * two bridges): most demand points reach most supplies, which the step
 * decay keeps as bitsets (one zone for 2sfca and bfca, three for e2sfca
 * and 3sfca), the others as lists.  Scores against the formulas over
 * every pair of netref's door-to-door costs.
 */
static void test_net_fca_many(void)
{
	static const int bridges[] = {2, 9};
	static const enum meth ms[] = {M2, ME2, M3, MB};
	static const enum geo_access_method gm[] = {
	    GEO_ACCESS_2SFCA, GEO_ACCESS_E2SFCA, GEO_ACCESS_3SFCA,
	    GEO_ACCESS_BFCA};
	enum { N = 40, M = 150 };
	struct netgrid g;
	struct netref r;
	struct geo_snap ds[N], ss[M];
	double dem[N], sup[M], score[N];
	static double e[N][M];
	double want, dj[M];
	struct core_err err = CORE_ERR_INIT;
	struct geo_access_info info;
	size_t i, j, k;

	if (netgrid_build(&g, "many.db", GEO_MODE_DRIVE, 12, 12, 150.0, 5,
			  bridges, 2))
		return;
	grid_places(&g, 7, N, ds, dem, 100, 500, M, ss, sup);
	netref_init(&r, g.net, GEO_NET_TIME);
	for (k = 0; k < 12; k++) {
		struct geo_access_params p;
		double d0 = k % 2 ? 240 : 150;
		size_t in = 0;

		geo_access_params_init(&p);
		p.method = gm[k % 4];
		p.catchment = d0;
		/* each method by Dijkstra, on the hierarchy, and as chosen */
		p.engine = k < 4   ? GEO_ACCESS_ENGINE_SEARCH
			   : k < 8 ? GEO_ACCESS_ENGINE_HIERARCHY
				   : GEO_ACCESS_ENGINE_AUTO;
		CHECK_INT(geo_access_compute_net(&p, g.net, GEO_NET_TIME, N, ds,
						 dem, M, ss, sup, score, &info,
						 &err),
			  CORE_OK);
		/* 40 points are too few to pay for a hierarchy */
		CHECK_INT(info.hierarchy, k >= 4 && k < 8);
		for (i = 0; i < N; i++) {
			double sw = 0;

			for (j = 0; j < M; j++) {
				double d = netref_cost(&r, &ds[i], &ss[j]);

				e[i][j] = d <= d0 ? ref_w(ms[k % 4], DSTEP, d,
							  d0, 1, 100)
						  : 0;
				sw += e[i][j];
				in += e[i][j] > 0;
			}
			for (j = 0; j < M; j++)
				if (ms[k % 4] == M3)
					e[i][j] =
					    sw > 0 ? e[i][j] * e[i][j] / sw : 0;
				else if (ms[k % 4] == MB)
					e[i][j] = sw > 0 ? e[i][j] / sw : 0;
		}
		for (j = 0; j < M; j++) {
			dj[j] = 0;
			for (i = 0; i < N; i++)
				dj[j] += dem[i] * e[i][j];
		}
		for (i = 0; i < N; i++) {
			want = 0;
			for (j = 0; j < M; j++)
				if (dj[j] > 0)
					want += e[i][j] * sup[j] / dj[j];
			CHECK_NEAR(score[i], want, 1e-9 * fmax(1e-9, want));
		}
		/* a case that says something: many pairs in, not all */
		CHECK(in > N * M / 4 && in < N * M);
	}
	netref_release(&r);
	netgrid_free(&g);
}

static const struct test tests[] = {
    TEST(test_net_fca),	    TEST(test_net_fca_many), TEST(test_net_fca_engines),
    TEST(test_net_threads), TEST(test_net_reported), {0}};

int main(void)
{
	return test_main("net_access", tests);
}
