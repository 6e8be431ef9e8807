/*
 * test_locate.c - geo_locate (which area holds a point) and geo_blob
 * (SpatiaLite point blobs).
 *
 * The locator is compared with two references on San Francisco's 2020
 * tracts: the same even-odd rule applied to every area in turn (which
 * the grid and its per-cell cache must not change), and GEOS (a point
 * GEOS finds strictly inside one tract is in that tract; a point no tract
 * covers is in none).  The boundary rule is asserted on squares drawn by
 * hand.  The blob codec is checked against SpatiaLite both ways.
 */
#include <geos_c.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_blob.h"
#include "geo/geo_locate.h"
#include "geo/geo_par.h"
#include "importers/imp_common.h"
#include "importers/imp_ogr.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

/* The reference: the first area whose even-odd test holds, or -1. */
static int32_t brute(const struct geo_areas *a, double x, double y)
{
	size_t i;

	if (isnan(x) || isnan(y))
		return -1;
	for (i = 0; i < a->n; i++)
		if (geo_area_contains(a, i, x, y))
			return (int32_t)i;
	return -1;
}

/* Areas drawn by hand: rings[k] has npts[k] points (x, y pairs), ring k
 * belongs to area area_of[k], and starts a new polygon when starts[k]. */
static struct geo_areas *hand_areas(size_t n, size_t nrings,
				    const double *const *rings,
				    const size_t *npts, const size_t *area_of,
				    const int *starts)
{
	struct geo_areas *a = xcalloc(1, sizeof(*a));
	size_t k, v, total = 0;

	for (k = 0; k < nrings; k++)
		total += npts[k];
	a->n = n;
	a->geoid = xcalloc(n, sizeof(char *));
	a->name = xcalloc(n, sizeof(char *));
	a->population = xcalloc(n, sizeof(double));
	a->value = xcalloc(n, sizeof(double));
	a->flags = xcalloc(n, sizeof(int));
	for (k = 0; k < n; k++)
		a->geoid[k] = xasprintf("A%zu", k);
	a->part_start = xcalloc(n + 1, sizeof(size_t));
	a->ring_start = xcalloc(nrings + 1, sizeof(size_t));
	a->pt_start = xcalloc(nrings + 1, sizeof(size_t));
	a->x = xmalloc(total * sizeof(double));
	a->y = xmalloc(total * sizeof(double));
	a->minx = a->miny = HUGE_VAL;
	a->maxx = a->maxy = -HUGE_VAL;
	for (k = 0; k < nrings; k++) {
		if (starts[k]) {
			a->ring_start[a->nparts] = k;
			a->nparts++;
		}
		a->part_start[area_of[k] + 1] = a->nparts;
		for (v = 0; v < npts[k]; v++) {
			double x = rings[k][2 * v], y = rings[k][2 * v + 1];
			a->x[a->npts] = x;
			a->y[a->npts] = y;
			a->npts++;
			a->minx = x < a->minx ? x : a->minx;
			a->miny = y < a->miny ? y : a->miny;
			a->maxx = x > a->maxx ? x : a->maxx;
			a->maxy = y > a->maxy ? y : a->maxy;
		}
		a->nrings++;
		a->pt_start[a->nrings] = a->npts;
	}
	a->ring_start[a->nparts] = nrings;
	for (k = 1; k <= n; k++)
		if (a->part_start[k] < a->part_start[k - 1])
			a->part_start[k] = a->part_start[k - 1];
	return a;
}

/* GEOS polygons of area i, from the loaded arrays. */
static GEOSGeometry *area_geos(GEOSContextHandle_t h, const struct geo_areas *a,
			       size_t i)
{
	size_t np = a->part_start[i + 1] - a->part_start[i], p;
	GEOSGeometry **polys = xmalloc((np ? np : 1) * sizeof(*polys)), *g;

	for (p = 0; p < np; p++) {
		size_t j = a->part_start[i] + p;
		size_t r0 = a->ring_start[j], r1 = a->ring_start[j + 1], r;
		GEOSGeometry *shell = NULL, **holes;
		holes = xmalloc((r1 - r0 + 1) * sizeof(*holes));
		for (r = r0; r < r1; r++) {
			size_t s = a->pt_start[r], e = a->pt_start[r + 1], v;
			GEOSCoordSequence *cs =
			    GEOSCoordSeq_create_r(h, (unsigned)(e - s), 2);
			GEOSGeometry *ring;
			for (v = s; v < e; v++)
				GEOSCoordSeq_setXY_r(h, cs, (unsigned)(v - s),
						     a->x[v], a->y[v]);
			ring = GEOSGeom_createLinearRing_r(h, cs);
			if (r == r0)
				shell = ring;
			else
				holes[r - r0 - 1] = ring;
		}
		polys[p] = GEOSGeom_createPolygon_r(h, shell, holes,
						    (unsigned)(r1 - r0 - 1));
		free(holes);
	}
	g = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys,
					(unsigned)np);
	free(polys);
	return g;
}

/*
 * Whether pt lies within 1e-9 degrees (0.1 mm) of the boundary of area
 * got or of area want (either may be -1: none): where the even-odd
 * test's rounding and GEOS's exact predicates may differ, on edges that
 * two tracts share with vertices not quite the same (some overlap by
 * 1e-12 degrees).
 */
static int near_edge(GEOSContextHandle_t h, GEOSGeometry *const *geom,
		     int32_t got, int32_t want, const GEOSGeometry *pt)
{
	int32_t k[2];
	int i, near = 0;

	k[0] = got;
	k[1] = want;
	for (i = 0; i < 2; i++) {
		GEOSGeometry *b;
		double dist = HUGE_VAL;
		if (k[i] < 0)
			continue;
		b = GEOSBoundary_r(h, geom[k[i]]);
		if (b && GEOSDistance_r(h, b, pt, &dist) == 1 && dist <= 1e-9)
			near = 1;
		GEOSGeom_destroy_r(h, b);
	}
	return near;
}

struct par_job {
	const struct geo_locator *loc;
	const double *x, *y;
	int32_t *got;
};

static void par_run(void *ctx, size_t b, size_t e, int w)
{
	struct par_job *j = ctx;
	size_t i;

	(void)w;
	for (i = b; i < e; i++)
		j->got[i] = geo_locator_find(j->loc, j->x[i], j->y[i]);
}

/* A point and the area it lies in (-1: none). */
struct point {
	double x, y;
	int32_t want;
};

/* Each of pt[0..n) is found in its area, by l and by brute force; a
 * failure names the point and the caller's file:line. */
static void check_points(const struct geo_locator *l, const struct geo_areas *a,
			 const struct point *pt, size_t n, const char *file,
			 int line)
{
	size_t k;

	for (k = 0; k < n; k++) {
		int32_t got = geo_locator_find(l, pt[k].x, pt[k].y);
		int32_t ref = brute(a, pt[k].x, pt[k].y);

		if (got != pt[k].want)
			test_fail(file, line, "(%g, %g): area %d, expected %d",
				  pt[k].x, pt[k].y, (int)got, (int)pt[k].want);
		if (ref != pt[k].want)
			test_fail(
			    file, line,
			    "(%g, %g): brute force says area %d, expected "
			    "%d",
			    pt[k].x, pt[k].y, (int)ref, (int)pt[k].want);
	}
}
#define CHECK_POINTS(l, a, pt)                                                 \
	check_points(l, a, pt, sizeof(pt) / sizeof((pt)[0]), __FILE__, __LINE__)

/* ---------------------------------------------------------------------
 * The boundary rule, by hand
 * ------------------------------------------------------------------ */

/* Two unit squares side by side, A = [0,1]x[0,1] and B = [1,2]x[0,1]. */
static void test_rule_squares(void)
{
	static const double ra[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
	static const double rb[] = {1, 0, 2, 0, 2, 1, 1, 1, 1, 0};
	const double *rings[] = {ra, rb};
	const size_t npts[] = {5, 5}, area_of[] = {0, 1};
	const int starts[] = {1, 1};
	struct geo_areas *a = hand_areas(2, 2, rings, npts, area_of, starts);
	struct geo_locator *l = geo_locator_new(a);
	static const struct point pt[] = {
	    {0.5, 0.5, 0},   {1.5, 0.5, 1}, /* inside */
	    {1, 0.5, 1},		    /* shared edge: B's left side */
	    {0, 0.5, 0},		    /* A's left side */
	    {2, 0.5, -1},		    /* B's right side */
	    {0.5, 0, 0},     {1.5, 0, 1},   /* bottom sides */
	    {0.5, 1, -1},    {1.5, 1, -1},  /* top sides */
	    {1, 0, 1},			    /* shared bottom vertex */
	    {1, 1, -1},			    /* shared top vertex */
	    {0, 0, 0},	     {2, 0, -1},      {0, 1, -1}, /* corners */
	    {-0.5, 0.5, -1}, {2.5, 0.5, -1},  {0.5, -1, -1},
	    {0.5, 2, -1},    {1e-12, 0.5, 0}, {2 - 1e-12, 0.5, 1},
	};

	CHECK_POINTS(l, a, pt);
	CHECK_INT(geo_locator_find(l, NAN, 0.5), -1);
	CHECK_INT(geo_locator_find(l, 0.5, NAN), -1);
	CHECK(geo_locator_areas_get(l) == a);
	geo_locator_free(l);
	geo_areas_free(a);
}

/* A square with a hole, a square filling the hole (later by index), an
 * area overlapping the first (later, so it loses), an open ring, and a
 * multipolygon of two parts. */
static void test_rule_holes(void)
{
	static const double outer[] = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0};
	static const double hole[] = {4, 4, 6, 4, 6, 6, 4, 6, 4, 4};
	static const double fill[] = {4, 4, 6, 4, 6, 6, 4, 6, 4, 4};
	static const double over[] = {8, 8, 12, 8, 12, 12, 8, 12, 8, 8};
	static const double open[] = {20, 0, 30, 0, 30, 10, 20, 10};
	static const double m1[] = {40, 0, 41, 0, 41, 1, 40, 1, 40, 0};
	static const double m2[] = {45, 0, 46, 0, 46, 1, 45, 1, 45, 0};
	const double *rings[] = {outer, hole, fill, over, open, m1, m2};
	const size_t npts[] = {5, 5, 5, 5, 4, 5, 5};
	const size_t area_of[] = {0, 0, 1, 2, 3, 4, 4};
	const int starts[] = {1, 0, 1, 1, 1, 1, 1};
	struct geo_areas *a = hand_areas(5, 7, rings, npts, area_of, starts);
	struct geo_locator *l = geo_locator_new(a);
	static const struct point pt[] = {
	    {1, 1, 0},	 {5, 5, 1},	 {4, 5, 1}, /* the hole's left side is
						     * its filler's */
	    {6, 5, 0}, /* its right side the outer's */
	    {9, 9, 0},	 {11, 11, 2},	 {25, 5, 3},	 {20, 5, 3},
	    {30, 5, -1}, {40.5, 0.5, 4}, {45.5, 0.5, 4}, {43, 0.5, -1},
	    {35, 5, -1},
	};

	CHECK_POINTS(l, a, pt);
	geo_locator_free(l);
	geo_areas_free(a);
}

static void test_empty(void)
{
	struct geo_areas *a = xcalloc(1, sizeof(*a));
	struct geo_locator *l;
	struct core_ws *ws = test_new_ws("empty.db");
	struct core_err err = CORE_ERR_INIT;

	a->part_start = xcalloc(1, sizeof(size_t));
	a->ring_start = xcalloc(1, sizeof(size_t));
	a->pt_start = xcalloc(1, sizeof(size_t));
	l = geo_locator_new(a);
	CHECK_INT(geo_locator_find(l, 0, 0), -1);
	geo_locator_free(l);
	geo_areas_free(a);
	geo_locator_free(NULL);

	if (!ws)
		return;
	l = NULL;
	CHECK_INT(geo_locator_load(ws, "tract", &l, &err), CORE_OK);
	CHECK(l != NULL);
	if (l) {
		CHECK_INT(geo_locator_areas_get(l)->n, 0);
		CHECK_INT(geo_locator_find(l, -122.4, 37.7), -1);
	}
	geo_locator_free(l);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * San Francisco's tracts against the references
 * ------------------------------------------------------------------ */

#define NRANDOM 4000

static void test_sf_tracts(void)
{
	const char *d = test_need_shared_data();
	struct imp_ogr_opts o;
	struct imp_ogr_stats st;
	struct imp_source src;
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws;
	struct geo_locator *l = NULL;
	const struct geo_areas *a;
	GEOSContextHandle_t h;
	GEOSGeometry **geom;
	const GEOSPreparedGeometry **prep;
	double *px, *py;
	int32_t *got;
	size_t n = 0, cap, i, k;
	size_t inside = 0, outside = 0, shared = 0, edge_pts = 0;
	size_t near = 0, near_random = 0;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	char *path;
	int rc;

	if (!d)
		return;
	if (!(ws = test_new_ws("sf.db")))
		return;
	path = xasprintf("%s/sf-tracts/sf_tracts_2020.geojson", d);
	imp_ogr_opts_init(&o);
	memset(&st, 0, sizeof(st));
	o.kind = IMP_AREAS;
	o.path = path;
	o.level = "tract";
	imp_source_init(&src, imp_kind_name(o.kind));
	rc = imp_ogr_import(ws, &o, &src, &st, &err);
	CHECK_INT(rc, CORE_OK);
	if (rc)
		printf("    %s\n", err.msg);
	CHECK_INT(src.rows_accepted, 241);
	imp_source_release(&src);
	imp_ogr_stats_release(&st);
	free(path);
	if (rc) {
		core_ws_close(ws);
		return;
	}
	CHECK_INT(geo_locator_load(ws, "tract", &l, &err), CORE_OK);
	if (!l) {
		core_ws_close(ws);
		return;
	}
	a = geo_locator_areas_get(l);
	CHECK_INT(a->n, 241);

	/* The points: random ones over the extent and a margin around it,
	 * every vertex (most shared by two or three tracts), the middle of
	 * every edge, and a few far away. */
	cap = NRANDOM + 2 * a->npts + 8;
	px = xmalloc(cap * sizeof(double));
	py = xmalloc(cap * sizeof(double));
	for (i = 0; i < NRANDOM; i++) {
		double w = a->maxx - a->minx, hgt = a->maxy - a->miny;
		px[n] = a->minx - 0.05 * w + 1.1 * w * test_rand(&seed);
		py[n] = a->miny - 0.05 * hgt + 1.1 * hgt * test_rand(&seed);
		n++;
	}
	for (i = 0; i < a->npts; i++) {
		px[n] = a->x[i];
		py[n] = a->y[i];
		n++;
	}
	for (k = 0; k < a->nrings; k++)
		for (i = a->pt_start[k] + 1; i < a->pt_start[k + 1]; i++) {
			px[n] = (a->x[i - 1] + a->x[i]) / 2;
			py[n] = (a->y[i - 1] + a->y[i]) / 2;
			n++;
		}
	edge_pts = n - NRANDOM;
	px[n] = a->minx - 1;
	py[n++] = a->miny - 1;
	px[n] = a->maxx + 1;
	py[n++] = a->maxy + 1;
	px[n] = 0;
	py[n++] = 0;
	px[n] = a->maxx; /* the extent's corners */
	py[n++] = a->maxy;
	px[n] = a->minx;
	py[n++] = a->miny;

	/* The grid and its cache agree with the rule applied area by area,
	 * twice over (the second pass reads the cells cached by the
	 * first), and so do threads sharing one locator. */
	got = xmalloc(n * sizeof(int32_t));
	for (i = 0; i < n; i++) {
		got[i] = geo_locator_find(l, px[i], py[i]);
		if (got[i] != brute(a, px[i], py[i])) {
			test_fail(__FILE__, __LINE__,
				  "(%.9f, %.9f): locator %d, reference %d",
				  px[i], py[i], (int)got[i],
				  (int)brute(a, px[i], py[i]));
			break;
		}
	}
	for (i = 0; i < n; i++)
		if (geo_locator_find(l, px[i], py[i]) != got[i]) {
			test_fail(__FILE__, __LINE__,
				  "point %zu: a second call differs", i);
			break;
		}
	{
		struct geo_locator *l2 = geo_locator_new(a);
		struct par_job j;
		int32_t *g2 = xmalloc(n * sizeof(int32_t));
		j.loc = l2;
		j.x = px;
		j.y = py;
		j.got = g2;
		geo_par_for(n, 64, par_run, &j);
		CHECK(memcmp(g2, got, n * sizeof(int32_t)) == 0);
		free(g2);
		geo_locator_free(l2);
	}

	/* GEOS: strictly inside one tract means that tract; covered by no
	 * tract means none; on a boundary, one of the tracts whose
	 * boundary it is, or none. */
	h = GEOS_init_r();
	geom = xmalloc(a->n * sizeof(*geom));
	prep = xmalloc(a->n * sizeof(*prep));
	for (k = 0; k < a->n; k++) {
		geom[k] = area_geos(h, a, k);
		prep[k] = GEOSPrepare_r(h, geom[k]);
	}
	for (i = 0; i < n; i++) {
		GEOSGeometry *pt =
		    GEOSGeom_createPointFromXY_r(h, px[i], py[i]);
		int32_t in = -1;
		int ncontain = 0, ncover = 0, got_covers = 0, bad = 0;
		int differs;
		for (k = 0; k < a->n; k++) {
			if (GEOSPreparedContains_r(h, prep[k], pt) == 1) {
				ncontain++;
				in = (int32_t)k;
			}
			if (GEOSPreparedCovers_r(h, prep[k], pt) == 1) {
				ncover++;
				got_covers |= (int32_t)k == got[i];
			}
		}
		if (ncontain == 1 && ncover == 1) {
			inside++;
			differs = got[i] != in;
		} else if (ncover == 0) {
			outside++;
			differs = got[i] != -1;
		} else {
			shared += ncover > 1;
			differs = got[i] != -1 && !got_covers;
		}
		if (differs) {
			bad = !near_edge(h, geom, got[i], in, pt);
			near += !bad;
			near_random += !bad && i < NRANDOM;
		}
		GEOSGeom_destroy_r(h, pt);
		if (bad) {
			test_fail(__FILE__, __LINE__,
				  "(%.9f, %.9f): located in %d; GEOS: inside "
				  "%d of the tracts, covered by %d",
				  px[i], py[i], (int)got[i], ncontain, ncover);
			break;
		}
	}
	/* The sample reaches every case it is meant to. */
	CHECK(inside > NRANDOM / 2);
	CHECK(outside > 100);
	CHECK(shared > 1000);
	CHECK(edge_pts > 1000);
	/* Rounding explains many vertices and edge midpoints (tracts whose
	 * shared edges do not share every vertex), but hardly any random
	 * point. */
	CHECK(near_random < 3);
	printf("    %zu points: %zu inside a tract, %zu outside all, %zu on "
	       "shared boundaries; %zu (%zu random) within 1e-9 degrees of "
	       "a boundary placed otherwise than GEOS would\n",
	       n, inside, outside, shared, near, near_random);
	for (k = 0; k < a->n; k++) {
		GEOSPreparedGeom_destroy_r(h, prep[k]);
		GEOSGeom_destroy_r(h, geom[k]);
	}
	free(prep);
	free(geom);
	GEOS_finish_r(h);
	free(got);
	free(px);
	free(py);
	geo_locator_free(l);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * The blob codec against SpatiaLite
 * ------------------------------------------------------------------ */

static void test_blob_encode(void)
{
	struct core_ws *ws = test_new_ws("blob.db");
	static const double pts[][2] = {
	    {-122.4194155, 37.7749295}, {0, 0}, {180, -90}, {1e-9, -1e300}};
	sqlite3_stmt *st = NULL;
	size_t k;

	if (!ws)
		return;
	CHECK_INT(sqlite3_prepare_v2(ws->db,
				     "SELECT ST_X(?1), ST_Y(?1), MbrMinX(?1), "
				     "MbrMinY(?1), MbrMaxX(?1), MbrMaxY(?1), "
				     "ST_Srid(?1), GeometryType(?1), "
				     "ST_AsText(?1)",
				     -1, &st, NULL),
		  SQLITE_OK);
	for (k = 0; k < sizeof(pts) / sizeof(pts[0]) && st; k++) {
		unsigned char b[GEO_BLOB_POINT_SIZE];
		double x = pts[k][0], y = pts[k][1], rx, ry, m[4];
		int c;
		geo_blob_point_put(b, x, y, 4326);
		sqlite3_bind_blob(st, 1, b, sizeof(b), SQLITE_STATIC);
		CHECK_INT(sqlite3_step(st), SQLITE_ROW);
		for (c = 0; c < 6; c++)
			CHECK(sqlite3_column_double(st, c) == (c % 2 ? y : x));
		CHECK_INT(sqlite3_column_int(st, 6), 4326);
		CHECK_STR((const char *)sqlite3_column_text(st, 7), "POINT");
		sqlite3_reset(st);
		/* and back */
		CHECK_INT(geo_blob_point_fast(b, sizeof(b), &rx, &ry), 1);
		CHECK(rx == x && ry == y);
		CHECK_INT(geo_blob_point_get(b, sizeof(b), &rx, &ry), 1);
		CHECK(rx == x && ry == y);
		CHECK_INT(geo_blob_mbr(b, sizeof(b), m), 1);
		CHECK(m[0] == x && m[1] == y && m[2] == x && m[3] == y);
	}
	/* the text SpatiaLite writes, for a round value */
	if (st) {
		unsigned char b[GEO_BLOB_POINT_SIZE];
		geo_blob_point_put(b, -122.5, 37.25, 4326);
		sqlite3_bind_blob(st, 1, b, sizeof(b), SQLITE_STATIC);
		CHECK_INT(sqlite3_step(st), SQLITE_ROW);
		CHECK_STR((const char *)sqlite3_column_text(st, 8),
			  "POINT(-122.5 37.25)");
	}
	sqlite3_finalize(st);
	core_ws_close(ws);
}

/* The blob SpatiaLite makes from sql (one column), into b; its size. */
static int sl_blob(struct core_ws *ws, const char *sql, unsigned char *b,
		   int cap)
{
	sqlite3_stmt *st = NULL;
	int n = -1;

	if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_bytes(st, 0);
		if (n > cap)
			n = -1;
		else if (n > 0)
			memcpy(b, sqlite3_column_blob(st, 0), (size_t)n);
	}
	sqlite3_finalize(st);
	if (n < 0)
		test_fail(__FILE__, __LINE__, "cannot run: %s", sql);
	return n;
}

static void test_blob_decode(void)
{
	struct core_ws *ws = test_new_ws("blob2.db");
	unsigned char b[512], be[GEO_BLOB_POINT_SIZE];
	double x = 0, y = 0, m[4];
	int n, k;

	if (!ws)
		return;
	n = sl_blob(ws, "SELECT MakePoint(-122.4194155, 37.7749295, 4326)", b,
		    sizeof(b));
	CHECK_INT(n, GEO_BLOB_POINT_SIZE);
	CHECK_INT(geo_blob_point_fast(b, n, &x, &y), 1);
	CHECK(x == -122.4194155 && y == 37.7749295);
	x = y = 0;
	CHECK_INT(geo_blob_point_get(b, n, &x, &y), 1);
	CHECK(x == -122.4194155 && y == 37.7749295);

	n = sl_blob(ws, "SELECT ST_GeomFromText('POINT(3.5 -7.25)', 4326)", b,
		    sizeof(b));
	CHECK_INT(geo_blob_point_get(b, n, &x, &y), 1);
	CHECK(x == 3.5 && y == -7.25);

	/* The same point in big-endian order, byte by byte: SpatiaLite and
	 * the codec read the same numbers. */
	n = sl_blob(ws, "SELECT MakePoint(3.5, -7.25, 4326)", b, sizeof(b));
	memcpy(be, b, sizeof(be));
	be[1] = 0x00;
	for (k = 0; k < 4; k++)
		be[2 + k] = b[5 - k];
	for (k = 0; k < 4; k++) {
		int o = 6 + 8 * k, i;
		for (i = 0; i < 8; i++)
			be[o + i] = b[o + 7 - i];
	}
	for (k = 0; k < 4; k++)
		be[39 + k] = b[42 - k];
	for (k = 0; k < 2; k++) {
		int o = 43 + 8 * k, i;
		for (i = 0; i < 8; i++)
			be[o + i] = b[o + 7 - i];
	}
	x = y = 0;
	CHECK_INT(geo_blob_point_fast(be, sizeof(be), &x, &y), 1);
	CHECK(x == 3.5 && y == -7.25);
	CHECK_INT(geo_blob_mbr(be, sizeof(be), m), 1);
	CHECK(m[0] == 3.5 && m[1] == -7.25 && m[2] == 3.5 && m[3] == -7.25);
	{
		sqlite3_stmt *st = NULL;
		CHECK_INT(sqlite3_prepare_v2(
			      ws->db, "SELECT ST_AsText(?1), ST_Srid(?1)", -1,
			      &st, NULL),
			  SQLITE_OK);
		sqlite3_bind_blob(st, 1, be, sizeof(be), SQLITE_STATIC);
		CHECK_INT(sqlite3_step(st), SQLITE_ROW);
		CHECK_STR((const char *)sqlite3_column_text(st, 0),
			  "POINT(3.5 -7.25)");
		CHECK_INT(sqlite3_column_int(st, 1), 4326);
		sqlite3_finalize(st);
	}

	/* Not a single point: the fast path declines, the full reader says
	 * so; the MBR is any geometry's. */
	n = sl_blob(ws, "SELECT ST_GeomFromText('MULTIPOINT(1 2, 3 4)', 4326)",
		    b, sizeof(b));
	CHECK_INT(geo_blob_point_fast(b, n, &x, &y), 0);
	CHECK_INT(geo_blob_point_get(b, n, &x, &y), -1);
	CHECK_INT(geo_blob_mbr(b, n, m), 1);
	CHECK(m[0] == 1 && m[1] == 2 && m[2] == 3 && m[3] == 4);
	n = sl_blob(
	    ws,
	    "SELECT ST_GeomFromText('POLYGON((-1 -2, 5 -2, 5 8, -1 -2))',"
	    " 4326)",
	    b, sizeof(b));
	CHECK_INT(geo_blob_point_get(b, n, &x, &y), -1);
	CHECK_INT(geo_blob_mbr(b, n, m), 1);
	CHECK(m[0] == -1 && m[1] == -2 && m[2] == 5 && m[3] == 8);

	/* Not blobs at all. */
	CHECK_INT(geo_blob_point_get(NULL, 0, &x, &y), 0);
	CHECK_INT(geo_blob_point_fast(NULL, 0, &x, &y), 0);
	CHECK_INT(geo_blob_mbr(NULL, 0, m), 0);
	memset(b, 0x55, 60);
	CHECK_INT(geo_blob_point_fast(b, 60, &x, &y), 0);
	CHECK_INT(geo_blob_point_get(b, 60, &x, &y), -1);
	CHECK_INT(geo_blob_mbr(b, 60, m), 0);
	core_ws_close(ws);
}

static const struct test tests[] = {TEST(test_rule_squares),
				    TEST(test_rule_holes),
				    TEST(test_empty),
				    TEST(test_sf_tracts),
				    TEST(test_blob_encode),
				    TEST(test_blob_decode),
				    {0}};

int main(void)
{
	int rc = test_main("locate", tests);

	core_ws_shutdown();
	return rc;
}
