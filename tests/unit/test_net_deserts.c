/*
 * test_net_deserts.c - deserts on the road network against a plain
 * reference search: a street grid with a river crossed by two bridges
 * (walking), the same grid with one-way rows and slower streets
 * (driving), built in the test and stored in a real workspace.  Points
 * of a fine grid over the study area get their door-to-door cost (the
 * engine's snap, then the test's own Dijkstra); points well inside the
 * desert must be farther than T, points well outside it within T; the
 * cohort in the desert is counted exactly.
 *
 * Two references: geo_net's own measure (the place joins its nearest
 * road), and the same with a free choice of road within the snap
 * distance, which the reach drawn never exceeds (geo_deserts.h).
 * Points inside the desert must be beyond T by geo_net's measure;
 * points outside it within T with the free choice, and by geo_net's measure too
 * except where their nearest road is a slower one (reported; on the walking
 * grid within a block and a half of the edge).
 *
 * The tolerances, stated once:
 *   - TOL_IN = 10 m, either side of the edge: the caps' circles are
 *     32-gons inscribed in the true ones (0.5% of a radius of at most
 *     1 km: 5 m) and the graph keeps its nodes to about a metre;
 *   - TOL_OUT = a block and a half (the grid's spacing is 100 m), for
 *     geo_net's measure outside the desert when walking: the farthest
 *     such point seen lies 103 m inside the reach's edge.  Driving, a
 *     place beside a one-way street across the river from the road that
 *     reaches it may lie farther inside (259 m seen): there at most 1%
 *     of the points outside may differ.
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
#include "geo/geo_load.h"
#include "geo/geo_net.h"
#include "render/render_map.h"
#include "render/render_spec.h"
#include "tests/unit/netgrid.h"
#include "tests/unit/testlib.h"

#define TOL_IN	10.0
#define TOL_OUT 150.0

/* Areas made of axis-aligned rectangles r[4 * i ..] = x0, y0, x1, y1
 * (local metres from the grid's first node). */
static struct geo_areas *rects(size_t n, const double *r)
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
		a->population[i] = 1000;
		a->value[i] = NAN;
		a->part_start[i + 1] = i + 1;
		a->ring_start[i + 1] = i + 1;
		a->pt_start[i + 1] = 5 * (i + 1);
		for (p = 0; p < 5; p++) {
			a->x[5 * i + p] = NETGRID_X0 + xs[p];
			a->y[5 * i + p] = NETGRID_Y0 + ys[p];
		}
	}
	return a;
}

static void no_geos_msg(const char *m, void *ud)
{
	(void)m;
	(void)ud;
}

/* The study area in four quarters, 1.3 km beyond the grid's 2 km. */
static const double quarters[16] = {-1300, -1300, 1000,	 1000, 1000, -1300,
				    3300,  1000,  -1300, 1000, 1000, 3300,
				    1000,  1000,  3300,	 3300};

/* Which quarter holds (x, y) (local metres), -1 none. */
static int32_t quarter_of(double x, double y)
{
	int k;

	for (k = 0; k < 4; k++) {
		const double *q = quarters + 4 * k;

		if (x >= q[0] && x < q[2] && y >= q[1] && y < q[3])
			return k;
	}
	return -1;
}

struct case_spec {
	const char *ws;
	enum geo_mode mode;
	enum geo_net_weight weight;
	double T;
	size_t nassets;
	const double *ax, *ay; /* local metres */
};

/*
 * Run one case: the deserts on the grid with the assets, then every
 * point of a 25 m grid over the study area against the reference.
 * *area_out gets the desert's area (may be NULL).
 */
static void run_case(const struct case_spec *cs, double *area_out)
{
	static const int bridges[2] = {2, 18};
	struct netgrid g;
	struct core_err err = CORE_ERR_INIT;
	struct geo_areas *areas = rects(4, quarters);
	struct geo_deserts_in in;
	struct geo_deserts *d = NULL;
	double *ax = xmalloc(cs->nassets * sizeof(double));
	double *ay = xmalloc(cs->nassets * sizeof(double));
	struct geo_snap *as = xcalloc(cs->nassets, sizeof(*as));
	double *C = NULL, *px = NULL, *py = NULL, *ref = NULL;
	int32_t *parea = NULL;
	struct geo_snap *ps = NULL;
	size_t i, n = 0, nside = 4600 / 25 + 1;
	size_t in_checked = 0, out_checked = 0, in_bad = 0, out_bad = 0;
	size_t out_free_bad = 0, out_near_checked = 0;
	size_t ref_desert = 0, ref_unplaced = 0;
	GEOSContextHandle_t h = NULL;
	GEOSGeometry *desert = NULL, *boundary = NULL;
	const GEOSPreparedGeometry *prep = NULL;
	double worst_out = 0;

	if (netgrid_build(&g, cs->ws, cs->mode, 21, 21, 100, 10, bridges, 2))
		goto out;
	for (i = 0; i < cs->nassets; i++) {
		ax[i] = NETGRID_X0 + cs->ax[i];
		ay[i] = NETGRID_Y0 + cs->ay[i];
	}

	/* the sample points, also the cohort */
	px = xmalloc(nside * nside * sizeof(double));
	py = xmalloc(nside * nside * sizeof(double));
	parea = xmalloc(nside * nside * sizeof(int32_t));
	for (i = 0; i < nside * nside; i++) {
		double x = -1300 + 12.5 + 25.0 * (double)(i % nside);
		double y = -1300 + 12.5 + 25.0 * (double)(i / nside);

		if (x >= 3300 || y >= 3300)
			continue;
		px[n] = NETGRID_X0 + x;
		py[n] = NETGRID_Y0 + y;
		parea[n] = quarter_of(x, y);
		n++;
	}

	memset(&in, 0, sizeof(in));
	in.areas = areas;
	in.nassets = cs->nassets;
	in.ax = ax;
	in.ay = ay;
	in.within = cs->T;
	in.nmembers = n;
	in.mx = px;
	in.my = py;
	in.marea = parea;
	in.net = g.net;
	in.weight = cs->weight;
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_OK);
	if (!d) {
		printf("    %s\n", err.msg);
		goto out;
	}

	/* the reference */
	geo_net_snap(g.net, ax, ay, cs->nassets, GEO_NET_SNAP_MAX_M, as);
	C = xmalloc((geo_net_nnodes(g.net) + 1) * sizeof(double));
	ref_node_costs(g.net, cs->weight, cs->nassets, as, C);
	{
		/* the engine's node costs agree with the reference */
		double *E =
		    xmalloc((geo_net_nnodes(g.net) + 1) * sizeof(double));
		size_t bad = 0;

		CHECK_INT(geo_net_node_costs(g.net, cs->weight, GEO_NET_TO,
					     cs->nassets, as, INFINITY, E,
					     &err),
			  CORE_OK);
		for (i = 0; i < geo_net_nnodes(g.net); i++)
			bad += !(fabs(E[i] - C[i]) <= 1e-6 * (1 + C[i]));
		CHECK_INT(bad, 0);
		free(E);
	}
	ps = xcalloc(n, sizeof(*ps));
	ref = xmalloc(n * sizeof(double));
	geo_net_snap(g.net, px, py, n, GEO_NET_SNAP_MAX_M, ps);
	for (i = 0; i < n; i++) {
		ref[i] =
		    ref_cost(g.net, cs->weight, C, cs->nassets, as, ps + i);
		if (parea[i] < 0)
			continue;
		if (ps[i].seg < 0)
			ref_unplaced++;
		else if (!(ref[i] <= cs->T))
			ref_desert++;
	}
	/* the cohort: exact */
	CHECK_INT(d->members_unplaced, ref_unplaced);
	CHECK_NEAR(d->cohort_in_total, (double)ref_desert, 0);
	CHECK_NEAR(d->cohort_total, (double)n, 0);

	/* the polygons against the reference */
	h = GEOS_init_r();
	GEOSContext_setErrorMessageHandler_r(h, no_geos_msg, NULL);
	{
		GEOSGeometry **parts = xcalloc(d->npieces + 1, sizeof(*parts));
		GEOSWKBReader *rd = GEOSWKBReader_create_r(h);
		GEOSGeometry *coll;

		for (i = 0; i < d->npieces; i++) {
			unsigned char *wkb = NULL;
			size_t len = 0;

			CHECK_INT(
			    geo_deserts_wkb(d, 1, i, NULL, &wkb, &len, &err),
			    CORE_OK);
			parts[i] = GEOSWKBReader_read_r(h, rd, wkb, len);
			free(wkb);
		}
		GEOSWKBReader_destroy_r(h, rd);
		coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION,
						   parts, (unsigned)d->npieces);
		free(parts);
		desert = GEOSUnaryUnion_r(h, coll);
		GEOSGeom_destroy_r(h, coll);
	}
	if (!desert) {
		CHECK(desert != NULL);
		goto out;
	}
	boundary = GEOSBoundary_r(h, desert);
	prep = GEOSPrepare_r(h, desert);
	for (i = 0; i < n; i++) {
		GEOSGeometry *pt =
		    GEOSGeom_createPointFromXY_r(h, px[i], py[i]);
		double dist = 0;
		int inside = GEOSPreparedContains_r(h, prep, pt) == 1;

		if (GEOSDistance_r(h, boundary, pt, &dist) != 1)
			dist = 0;
		GEOSGeom_destroy_r(h, pt);
		if (inside && dist > TOL_IN) {
			in_checked++;
			in_bad += ref[i] <= cs->T;
		} else if (!inside && dist > TOL_IN) {
			out_near_checked++;
			out_free_bad +=
			    !(ref_cost_free(g.net, cs->weight, C, cs->nassets,
					    as, px[i], py[i],
					    GEO_NET_SNAP_MAX_M) <= cs->T);
			if (dist > TOL_OUT) {
				out_checked++;
				out_bad += !(ref[i] <= cs->T);
			}
		}
		if (!inside && !(ref[i] <= cs->T))
			worst_out = fmax(worst_out, dist);
	}
	printf("    %s: desert %.3f km2 in %zu pieces (%zu of %zu reach "
	       "pieces kept); %zu points inside checked, %zu outside; "
	       "%zu members in the desert, %zu not placed; farthest point "
	       "outside beyond T: %.0f m from the edge\n",
	       cs->ws, d->desert_total_m2 / 1e6, d->npieces, d->reach_kept,
	       d->reach_pieces, in_checked, out_checked, ref_desert,
	       ref_unplaced, worst_out);
	printf("    %zu points outside checked with the free choice; %zu "
	       "beyond T by geo_net's measure more than %.0f m inside the "
	       "reach\n",
	       out_near_checked, out_bad, TOL_OUT);
	CHECK_INT(in_bad, 0);
	CHECK_INT(out_free_bad, 0);
	if (cs->mode == GEO_MODE_WALK)
		CHECK_INT(out_bad, 0);
	else
		CHECK(out_bad * 100 <= out_checked);
	/* not vacuous: both sides hold many points */
	CHECK(in_checked > 2000);
	CHECK(out_checked > 1000);
	if (area_out)
		*area_out = d->desert_total_m2;
out:
	if (prep)
		GEOSPreparedGeom_destroy_r(h, prep);
	if (h) {
		GEOSGeom_destroy_r(h, boundary);
		GEOSGeom_destroy_r(h, desert);
		GEOS_finish_r(h);
	}
	geo_deserts_free(d);
	geo_areas_free(areas);
	netgrid_free(&g);
	free(ax);
	free(ay);
	free(as);
	free(C);
	free(px);
	free(py);
	free(parea);
	free(ps);
	free(ref);
}

/* Two assets, one each side of the river, both off the road. */
static const double ax2[2] = {530, 1420}, ay2[2] = {320, 1660};

static void test_walk_river(void)
{
	struct case_spec cs = {
	    "nd_walk.db", GEO_MODE_WALK, GEO_NET_TIME, 600, 2, ax2, ay2};
	double a_time = NAN, a_len = NAN;

	run_case(&cs, &a_time);
	/* walking 600 s at 4.8 km/h is 800 m of network: the same desert
	 * (access and network speeds are the same) */
	cs.ws = "nd_walk_m.db";
	cs.weight = GEO_NET_LENGTH;
	cs.T = 600 * GEO_NET_WALK_MPS;
	run_case(&cs, &a_len);
	CHECK_NEAR(a_len, a_time, 1e-6 * a_time + 1);
}

static void test_drive_one_way(void)
{
	/* three assets, one sitting on a one-way row */
	static const double ax[3] = {530, 1420, 1750}, ay[3] = {320, 1660, 600};
	struct case_spec cs = {
	    "nd_drive.db", GEO_MODE_DRIVE, GEO_NET_TIME, 75, 3, ax, ay};

	run_case(&cs, NULL);
}

static void test_no_assets(void)
{
	/* nothing reaches: the whole study area is desert, everyone placed
	 * is in it */
	struct case_spec cs = {
	    "nd_none.db", GEO_MODE_WALK, GEO_NET_TIME, 600, 0, NULL, NULL};
	struct netgrid g;
	struct core_err err = CORE_ERR_INIT;
	struct geo_areas *areas = rects(4, quarters);
	struct geo_deserts_in in;
	struct geo_deserts *d = NULL;

	if (netgrid_build(&g, cs.ws, cs.mode, 5, 5, 100, -1, NULL, 0))
		goto out;
	memset(&in, 0, sizeof(in));
	in.areas = areas;
	in.within = 600;
	in.net = g.net;
	in.weight = GEO_NET_TIME;
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_OK);
	if (d) {
		CHECK_NEAR(d->desert_total_m2, 4600.0 * 4600.0, 1e-3);
		CHECK_INT(d->npieces, 1);
		CHECK_INT(d->reach_pieces, 0);
	}
out:
	geo_deserts_free(d);
	geo_areas_free(areas);
	netgrid_free(&g);
}

/* Dark pixels (luma < 90) in a box of half side r around (x, y). */
static int dark_pixels(cairo_surface_t *img, double x, double y, int r)
{
	int dx, dy, n = 0;

	for (dy = -r; dy <= r; dy++)
		for (dx = -r; dx <= r; dx++)
			n += test_luma(test_pixel(img, x + dx, y + dy)) < 90;
	return n;
}

/*
 * The command line end to end: the grid's workspace, areas and assets
 * imported by the CLI, 'deserts --by walk --within 10min', then 'map'
 * of the run as PDF (the legend and the credit read back with
 * pdftotext), SVG (well-formed) and PNG (the hatch inside the desert,
 * none where the assets reach).
 */
static void test_cli_and_map(void)
{
	static const int bridges[2] = {2, 18};
	struct netgrid g;
	struct core_err err = CORE_ERR_INIT;
	struct core_buf gj = CORE_BUF_INIT;
	char *out = NULL, *er = NULL, *txt = NULL, cmd[1200];
	double lon[20], lat[20], alon[2] = {530, 1420}, alat[2] = {320, 1660};
	int k, p, rc;
	struct core_ws *ws = NULL;
	struct render_spec spec;
	struct render_map *m = NULL;
	cairo_surface_t *img = NULL;

	if (!test_have_cli())
		return;
	if (system("pdftotext -v >/dev/null 2>&1") != 0) {
		test_skip("poppler-utils (pdftotext) not installed");
		return;
	}
	if (netgrid_build(&g, "nd_cli.db", GEO_MODE_WALK, 21, 21, 100, 10,
			  bridges, 2))
		goto out;
	/* the quarters and the assets in lon/lat */
	for (k = 0; k < 4; k++) {
		const double *q = quarters + 4 * k;
		const double xs[5] = {q[0], q[2], q[2], q[0], q[0]};
		const double ys[5] = {q[1], q[1], q[3], q[3], q[1]};

		for (p = 0; p < 5; p++) {
			lon[5 * k + p] = NETGRID_X0 + xs[p];
			lat[5 * k + p] = NETGRID_Y0 + ys[p];
		}
	}
	for (k = 0; k < 2; k++) {
		alon[k] += NETGRID_X0;
		alat[k] += NETGRID_Y0;
	}
	if (geo_proj_inv(g.proj, lon, lat, 20, &err) ||
	    geo_proj_inv(g.proj, alon, alat, 2, &err)) {
		test_fail(__FILE__, __LINE__, "proj: %s", err.msg);
		goto out;
	}
	netgrid_free(&g);
	core_buf_adds(&gj, "{\"type\":\"FeatureCollection\",\"features\":[");
	for (k = 0; k < 4; k++) {
		core_buf_addf(&gj,
			      "%s{\"type\":\"Feature\",\"properties\":{"
			      "\"GEOID\":\"0600100000%d\",\"NAME\":\"Q%d\"},"
			      "\"geometry\":{\"type\":\"Polygon\","
			      "\"coordinates\":[[",
			      k ? "," : "", k, k);
		for (p = 0; p < 5; p++)
			core_buf_addf(&gj, "%s[%.9f,%.9f]", p ? "," : "",
				      lon[5 * k + p], lat[5 * k + p]);
		core_buf_adds(&gj, "]]}}");
	}
	core_buf_adds(&gj, "]}\n");
	test_write("quarters.geojson", core_buf_str(&gj));
	snprintf(cmd, sizeof(cmd),
		 "name,lat,lon,category\nNorth pantry,%.9f,%.9f,food\n"
		 "South pantry,%.9f,%.9f,food\n",
		 alat[0], alon[0], alat[1], alon[1]);
	test_write("pantries.csv", cmd);
	CHECK_INT(test_run_cli("-q -d nd_cli.db import areas quarters.geojson "
			       "--level tract --geoid GEOID --name NAME",
			       NULL, &er),
		  0);
	free(er);
	CHECK_INT(test_run_cli("-q -d nd_cli.db import assets pantries.csv "
			       "--lon lon --lat lat --name name --category "
			       "category",
			       NULL, &er),
		  0);
	free(er);
	/* a time needs a network mode */
	rc = test_run_cli("-d nd_cli.db deserts --category food --within "
			  "10min",
			  NULL, &er);
	CHECK_INT(rc, 2);
	CHECK_CONTAINS(er, "--within 10min is a time: add --by walk");
	free(er);
	rc = test_run_cli("-d nd_cli.db deserts --category food --by walk "
			  "--within 10min --format csv",
			  &out, &er);
	CHECK_INT(rc, 0);
	CHECK_CONTAINS(er, "walking on the road network");
	CHECK_CONTAINS(er, "farther than 10 minutes walking from all 2 food");
	CHECK_CONTAINS(out, "piece,");
	free(out);
	free(er);
	out = er = NULL;

	/* PDF: the legend and the credit */
	CHECK_INT(test_run_cli("-q -d nd_cli.db map -o des.pdf --deserts last",
			       NULL, &er),
		  0);
	free(er);
	snprintf(cmd, sizeof(cmd), "pdftotext '%s' - 2>/dev/null",
		 test_path("des.pdf"));
	txt = test_popen(cmd);
	CHECK(txt != NULL);
	if (txt) {
		CHECK_CONTAINS(txt, "Farther than 10 minutes walking from");
		CHECK_CONTAINS(txt, "\xc2\xa9 OpenStreetMap contributors");
		free(txt);
	}
	/* a map without the network result gives no credit */
	CHECK_INT(test_run_cli("-q -d nd_cli.db map -o plain.pdf", NULL, &er),
		  0);
	free(er);
	snprintf(cmd, sizeof(cmd), "pdftotext '%s' - 2>/dev/null",
		 test_path("plain.pdf"));
	txt = test_popen(cmd);
	CHECK(txt && !strstr(txt, "OpenStreetMap"));
	free(txt);
	/* SVG: written and well-formed */
	CHECK_INT(test_run_cli("-q -d nd_cli.db map -o des.svg --deserts last",
			       NULL, &er),
		  0);
	free(er);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import xml.dom.minidom,sys; "
		 "xml.dom.minidom.parse(sys.argv[1])' '%s' 2>&1 && echo ok",
		 test_path("des.svg"));
	txt = test_popen(cmd);
	CHECK(txt && strstr(txt, "ok"));
	free(txt);

	/* PNG: the hatch where the desert is, none where the assets reach */
	if (core_ws_open(test_path("nd_cli.db"), CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "open: %s", err.msg);
		goto out;
	}
	render_spec_init(&spec);
	spec.format = RENDER_PNG;
	spec.width = 1600;
	spec.height = 1200;
	spec.deserts = "last";
	spec.no_assets = 1;
	spec.outline = "none";
	spec.no_labels = 1;
	spec.no_inset = 1;
	spec.date = 1700000000;
	if (render_map_build(ws, &spec, &m, &err) ||
	    render_map_write(m, test_path("des.png"), &err)) {
		test_fail(__FILE__, __LINE__, "map: %s", err.msg);
		goto out;
	}
	CHECK_CONTAINS(render_map_desert_label(m),
		       "Farther than 10 minutes walking from");
	img = cairo_image_surface_create_from_png(test_path("des.png"));
	{
		/* deep in the desert: 1 km beyond the grid's corner; in
		 * reach: beside the north pantry */
		double dl[2] = {NETGRID_X0 - 1000, NETGRID_X0 + 500},
		       dt[2] = {NETGRID_Y0 + 2800, NETGRID_Y0 + 300}, x, y;
		struct geo_proj *pj = NULL;

		if (geo_proj_for_ws(ws, &pj, &err) ||
		    geo_proj_inv(pj, dl, dt, 2, &err)) {
			test_fail(__FILE__, __LINE__, "proj: %s", err.msg);
		} else {
			render_map_device_xy(m, dl[0], dt[0], &x, &y, &err);
			CHECK(dark_pixels(img, x, y, 10) > 20);
			render_map_device_xy(m, dl[1], dt[1], &x, &y, &err);
			CHECK_INT(dark_pixels(img, x, y, 10), 0);
		}
		geo_proj_free(pj);
	}
out:
	if (img)
		cairo_surface_destroy(img);
	render_map_free(m);
	if (ws)
		core_ws_close(ws);
	core_buf_release(&gj);
	netgrid_free(&g);
}

/*
 * Oakland (../shared/data/osm-oakland): the roads imported by the CLI,
 * 16 cells over the extract as the study area, three pantries; 'deserts
 * --by walk --within 10min' and its map (pdftotext: the legend in
 * minutes walking and the OpenStreetMap credit); then the same deserts
 * through the API with a 50 m grid of people, against the plain
 * reference: the cohort in the desert exact, every point well inside
 * the desert beyond 10 minutes, every point outside within them with a
 * free choice of road.
 */
static void test_oakland(void)
{
	const char *data = test_need_shared_data();
	const double x0 = -122.3024, x1 = -122.2338, y0 = 37.7874, y1 = 37.8343,
		     T = 600;
	struct core_buf gj = CORE_BUF_INIT;
	struct core_err err = CORE_ERR_INIT;
	char cmd[1200], *er = NULL, *txt = NULL;
	struct core_ws *ws = NULL;
	struct geo_proj *proj = NULL;
	struct geo_areas *areas = NULL;
	struct geo_assets *as = NULL;
	struct geo_net *net = NULL;
	struct geo_deserts *d = NULL;
	struct geo_deserts_in in;
	const char *food[1] = {"food"};
	double *px = NULL, *py = NULL, *C = NULL;
	int32_t *pa = NULL;
	struct geo_snap *ps = NULL, *asn = NULL;
	size_t n = 0, i, ref_in = 0, in_bad = 0, out_bad = 0, nin = 0, nout = 0;
	GEOSContextHandle_t h = NULL;
	GEOSGeometry *desert = NULL, *bnd = NULL;
	const GEOSPreparedGeometry *prep = NULL;
	int a, b;

	if (!data || !test_have_cli())
		return;
	if (system("pdftotext -v >/dev/null 2>&1") != 0) {
		test_skip("poppler-utils (pdftotext) not installed");
		return;
	}
	core_buf_adds(&gj, "{\"type\":\"FeatureCollection\",\"features\":[");
	for (a = 0; a < 4; a++)
		for (b = 0; b < 4; b++) {
			double ax = x0 + (x1 - x0) * a / 4,
			       bx = x0 + (x1 - x0) * (a + 1) / 4,
			       ay = y0 + (y1 - y0) * b / 4,
			       by = y0 + (y1 - y0) * (b + 1) / 4;

			core_buf_addf(
			    &gj,
			    "%s{\"type\":\"Feature\",\"properties\":{"
			    "\"GEOID\":\"060014%05d\"},\"geometry\":{"
			    "\"type\":\"Polygon\",\"coordinates\":[[[%.6f,"
			    "%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,"
			    "%.6f]]]}}",
			    a || b ? "," : "", a * 4 + b, ax, ay, bx, ay, bx,
			    by, ax, by, ax, ay);
		}
	core_buf_adds(&gj, "]}\n");
	test_write("oak_cells.geojson", core_buf_str(&gj));
	test_write("oak_pantries.csv",
		   "name,lat,lon,category\n"
		   "City Hall pantry,37.8053,-122.2727,food\n"
		   "West Oakland pantry,37.8048,-122.2945,food\n"
		   "Lake Merritt pantry,37.7975,-122.2654,food\n");
	snprintf(cmd, sizeof(cmd),
		 "-q -d oak.db init --crs EPSG:3310 && '%s' -q -d oak.db "
		 "import roads '%s/osm-oakland/oakland.osm.pbf' && '%s' -q "
		 "-d oak.db import areas oak_cells.geojson --level tract "
		 "--geoid GEOID && '%s' -q -d oak.db import assets "
		 "oak_pantries.csv --lon lon --lat lat --name name "
		 "--category category",
		 getenv("ASSETMAP"), data, getenv("ASSETMAP"),
		 getenv("ASSETMAP"));
	CHECK_INT(test_run_cli(cmd, NULL, &er), 0);
	free(er);
	CHECK_INT(test_run_cli("-d oak.db deserts --category food --by walk "
			       "--within 10min",
			       NULL, &er),
		  0);
	CHECK_CONTAINS(er, "farther than 10 minutes walking from all 3 food");
	free(er);
	CHECK_INT(test_run_cli("-q -d oak.db map -o oak.pdf --deserts last",
			       NULL, &er),
		  0);
	free(er);
	snprintf(cmd, sizeof(cmd), "pdftotext '%s' - 2>/dev/null",
		 test_path("oak.pdf"));
	txt = test_popen(cmd);
	CHECK(txt != NULL);
	if (txt) {
		CHECK_CONTAINS(txt,
			       "Farther than 10 minutes walking from food");
		CHECK_CONTAINS(txt, "\xc2\xa9 OpenStreetMap contributors");
		free(txt);
	}

	/* the same through the API, against the reference */
	if (core_ws_open(test_path("oak.db"), CORE_WS_READ, &ws, &err) ||
	    geo_proj_for_ws(ws, &proj, &err) ||
	    geo_areas_load(ws, "tract", NULL, proj, &areas, &err) ||
	    geo_assets_load(ws, food, 1, proj, &as, &err) ||
	    geo_net_load(ws, GEO_MODE_WALK, proj, &net, &err)) {
		test_fail(__FILE__, __LINE__, "loading: %s", err.msg);
		goto out;
	}
	CHECK_INT(areas->n, 16);
	CHECK_INT(as->n, 3);
	{
		double lx = x0, ly = y0, hx = x1, hy = y1;
		size_t nx, ny, k;

		if (geo_proj_fwd(proj, &lx, &ly, 1, &err) ||
		    geo_proj_fwd(proj, &hx, &hy, 1, &err))
			goto out;
		nx = (size_t)((hx - lx) / 50);
		ny = (size_t)((hy - ly) / 50);
		px = xmalloc(nx * ny * sizeof(double));
		py = xmalloc(nx * ny * sizeof(double));
		pa = xmalloc(nx * ny * sizeof(int32_t));
		for (k = 0; k < nx * ny; k++) {
			double x = lx + 25 + 50.0 * (double)(k % nx),
			       y = ly + 25 + 50.0 * (double)(k / nx);

			px[n] = x;
			py[n] = y;
			n++;
		}
		/* each point's cell: they are rectangles in lon/lat */
		{
			double *lo = xmalloc(n * sizeof(double)),
			       *la = xmalloc(n * sizeof(double));

			memcpy(lo, px, n * sizeof(double));
			memcpy(la, py, n * sizeof(double));
			geo_proj_inv(proj, lo, la, n, &err);
			for (k = 0; k < n; k++) {
				int ca = (int)floor((lo[k] - x0) / (x1 - x0) *
						    4),
				    cb = (int)floor((la[k] - y0) / (y1 - y0) *
						    4);

				pa[k] = ca < 0 || ca > 3 || cb < 0 || cb > 3
					    ? -1
					    : (int32_t)(ca * 4 + cb);
			}
			free(lo);
			free(la);
		}
	}
	memset(&in, 0, sizeof(in));
	in.areas = areas;
	in.nassets = as->n;
	in.ax = as->x;
	in.ay = as->y;
	in.within = T;
	in.nmembers = n;
	in.mx = px;
	in.my = py;
	in.marea = pa;
	in.net = net;
	in.weight = GEO_NET_TIME;
	CHECK_INT(geo_deserts_compute(&in, &d, &err), CORE_OK);
	if (!d)
		goto out;
	asn = xcalloc(as->n, sizeof(*asn));
	ps = xcalloc(n, sizeof(*ps));
	C = xmalloc((geo_net_nnodes(net) + 1) * sizeof(double));
	geo_net_snap(net, as->x, as->y, as->n, GEO_NET_SNAP_MAX_M, asn);
	geo_net_snap(net, px, py, n, GEO_NET_SNAP_MAX_M, ps);
	ref_node_costs(net, GEO_NET_TIME, as->n, asn, C);
	h = GEOS_init_r();
	GEOSContext_setErrorMessageHandler_r(h, no_geos_msg, NULL);
	{
		GEOSGeometry **parts = xcalloc(d->npieces + 1, sizeof(*parts));
		GEOSWKBReader *rd = GEOSWKBReader_create_r(h);
		GEOSGeometry *coll;

		for (i = 0; i < d->npieces; i++) {
			unsigned char *wkb = NULL;
			size_t len = 0;

			geo_deserts_wkb(d, 1, i, NULL, &wkb, &len, &err);
			parts[i] = GEOSWKBReader_read_r(h, rd, wkb, len);
			free(wkb);
		}
		GEOSWKBReader_destroy_r(h, rd);
		coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION,
						   parts, (unsigned)d->npieces);
		free(parts);
		desert = GEOSUnaryUnion_r(h, coll);
		GEOSGeom_destroy_r(h, coll);
	}
	if (!desert)
		goto out;
	bnd = GEOSBoundary_r(h, desert);
	prep = GEOSPrepare_r(h, desert);
	for (i = 0; i < n; i++) {
		double c = ref_cost(net, GEO_NET_TIME, C, as->n, asn, ps + i),
		       dist = 0;
		GEOSGeometry *pt;
		int inside;

		if (pa[i] < 0)
			continue;
		if (ps[i].seg >= 0 && !(c <= T))
			ref_in++;
		pt = GEOSGeom_createPointFromXY_r(h, px[i], py[i]);
		inside = GEOSPreparedContains_r(h, prep, pt) == 1;
		if (GEOSDistance_r(h, bnd, pt, &dist) != 1)
			dist = 0;
		GEOSGeom_destroy_r(h, pt);
		if (dist <= TOL_IN)
			continue;
		if (inside) {
			nin++;
			in_bad += c <= T;
		} else {
			nout++;
			out_bad += !(ref_cost_free(net, GEO_NET_TIME, C, as->n,
						   asn, px[i], py[i],
						   GEO_NET_SNAP_MAX_M) <= T);
		}
	}
	printf("    Oakland, 10 min walking from 3 pantries: desert %.2f of "
	       "%.2f km2 in %zu pieces; %zu people in it of %.0f; %zu points "
	       "inside checked, %zu outside\n",
	       d->desert_total_m2 / 1e6, d->study_m2 / 1e6, d->npieces, ref_in,
	       d->cohort_total, nin, nout);
	CHECK_NEAR(d->cohort_in_total, (double)ref_in, 0);
	CHECK_INT(in_bad, 0);
	CHECK_INT(out_bad, 0);
	CHECK(nin > 1000 && nout > 500);
out:
	if (prep)
		GEOSPreparedGeom_destroy_r(h, prep);
	if (h) {
		GEOSGeom_destroy_r(h, bnd);
		GEOSGeom_destroy_r(h, desert);
		GEOS_finish_r(h);
	}
	geo_deserts_free(d);
	geo_net_free(net);
	geo_assets_free(as);
	geo_areas_free(areas);
	geo_proj_free(proj);
	if (ws)
		core_ws_close(ws);
	core_buf_release(&gj);
	free(px);
	free(py);
	free(pa);
	free(ps);
	free(asn);
	free(C);
}

static const struct test tests[] = {
    TEST(test_walk_river),  TEST(test_drive_one_way), TEST(test_no_assets),
    TEST(test_cli_and_map), TEST(test_oakland),	      {0}};

int main(void)
{
	int rc = test_main("net_deserts", tests);

	test_libs_shutdown();
	return rc;
}
