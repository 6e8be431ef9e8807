/*
 * test_geocode.c - the matcher (geo_geocode) and the linestring reader
 * of geo_blob.
 *
 * A workspace made by hand holds address points, TIGER-style ranges (a
 * straight east-west edge and an edge bent at a right angle) and ZIP
 * centroids; every level of the cascade is asked for and its point
 * compared with values computed by hand (python, from the contract in
 * geo_geocode.h: lengths on the tangent plane of a 6371008.8 m sphere,
 * 111195.08023353292 m a degree).  Queries are geo_addr structs filled
 * directly, so that the tests do not lean on the parser; test_text
 * then asks the same in free text, through it.  A generated
 * reference is then matched against a naive linear scan written here
 * from the contract, and geocoded from two threads.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_blob.h"
#include "geo/geo_geocode.h"
#include "geo/geo_par.h"
#include "testlib.h"

#define M_DEG 111195.08023353292
#define EPS   1e-9

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

static struct geo_addr mk(long num, const char *sfx, const char *name,
			  const char *type, const char *city, const char *zip)
{
	struct geo_addr a;

	memset(&a, 0, sizeof(a));
	a.number = num;
	snprintf(a.num_suffix, sizeof(a.num_suffix), "%s", sfx);
	snprintf(a.name, sizeof(a.name), "%s", name);
	snprintf(a.type, sizeof(a.type), "%s", type);
	snprintf(a.city, sizeof(a.city), "%s", city);
	snprintf(a.zip, sizeof(a.zip), "%s", zip);
	return a;
}

static const char fixture_sql[] =
    "INSERT INTO sources(id, kind, path, name, format, checksum, "
    "imported_at) VALUES (1, 'addresses', '/x/a.csv', 'a.csv', 'CSV', "
    "'c1', '2024-01-01');"
    "INSERT INTO addr_zips(source_id, zip, city, state, lon, lat) VALUES"
    " (1, '94103', 'SAN FRANCISCO', 'CA', -122.4147, 37.7725),"
    " (1, '94102', 'San  Francisco', 'CA', -122.4167, 37.7813),"
    " (1, '95000', 'NOWHERE', 'CA', -120.0, 36.0),"
    " (1, '94110', 'SAN FRANCISCO', 'CA', -122.415, 37.75),"
    " (1, '95100', 'OTHERTOWN', 'CA', -121.0, 38.0);"
    "INSERT INTO addr_points(source_id, number, num_suffix, name, type,"
    " unit, city, zip, lon, lat) VALUES"
    " (1, 100, '', 'MAPLE', 'ST', '', '', '94103', -122.4100, 37.7700),"
    " (1, 100, '', 'MAPLE', 'ST', 'APT 1', '', '94103', -122.4100, "
    "37.7700),"
    " (1, 120, '', 'MAPLE', 'ST', '', '', '94103', -122.4098, 37.7700),"
    " (1, 101, '', 'MAPLE', 'ST', '', '', '94103', -122.4100, 37.7702),"
    " (1, 32, 'A', 'MAPLE', 'ST', '', '', '94103', -122.4110, 37.7700),"
    " (1, 300, '', 'MAPLE', 'ST', '', '', '94103', -122.4080, 37.7700),"
    " (1, 500, '', 'MAPLE', 'ST', '', '', '94103', -122.4060, 37.7700),"
    " (1, 700, '', 'MAPLE', 'ST', '', '', '94103', -122.4000, 37.7700),"
    " (1, 710, '', 'MAPLE', 'ST', '', '', '94103', -122.3900, 37.7700),"
    " (1, 100, '', '16', 'ST', '', '', '94103', -122.4150, 37.7650),"
    " (1, 100, '', '16', 'AVE', '', '', '94103', -122.4160, 37.7660),"
    " (1, 190, '', '16', 'AVE', '', '', '94103', -122.4140, 37.7660),"
    " (1, 200, '', 'BIRCH', 'ST', '', '', '94103', -122.4200, 37.7800),"
    " (1, 202, '', 'BIRCH', 'ST', '', '', '94103', -122.4199, 37.7800),"
    " (1, 204, '', 'BIRCH', 'ST', '', '', '94103', -122.4198, 37.7800),"
    " (1, 1000, '', 'MARKET', 'ST', '', '', '94103', -122.4180, 37.7750),"
    " (1, 10, '', 'LARCH', 'ST', '', '', '94103', -122.4170, 37.7740),"
    " (1, 10, '', 'MARCH', 'ST', '', '', '94103', -122.4171, 37.7741),"
    " (1, 1, '', 'ASH', 'ST', '', '', '94103', -122.4172, 37.7742),"
    " (1, 5, '', 'ELM', 'ST', '', 'SAN FRANCISCO', '94102', -122.4190, "
    "37.7810),"
    " (1, 1, '', 'MAIN', 'ST', '', '', '94103', -122.4120, 37.7720),"
    " (1, 1, '', 'MAIN', 'ST', '', 'OTHERTOWN', '95100', -121.0, 38.0);"
    "INSERT INTO addr_ranges(source_id, tlid, name, type, side, from_num,"
    " to_num, parity, zip, geom) VALUES"
    " (1, 1, 'OAK', 'AVE', 'R', 101, 199, 'O', '94103', GeomFromText("
    "'LINESTRING(-122.42 37.76, -122.41 37.76)', 4326)),"
    " (1, 1, 'OAK', 'AVE', 'L', 100, 198, 'E', '94103', GeomFromText("
    "'LINESTRING(-122.42 37.76, -122.41 37.76)', 4326)),"
    " (1, 2, 'PINE', 'ST', 'R', 1, 99, 'O', '94103', GeomFromText("
    "'LINESTRING(-122.43 37.75, -122.42886261259338 37.75, "
    "-122.42886261259338 37.75089932036372)', 4326)),"
    " (1, 2, 'PINE', 'ST', 'L', 98, 2, 'E', '94103', GeomFromText("
    "'LINESTRING(-122.43 37.75, -122.42886261259338 37.75, "
    "-122.42886261259338 37.75089932036372)', 4326));"
    /* one street name, two streets: Franklin St E and Franklin St W */
    "INSERT INTO addr_points(source_id, number, name, type, postdir, zip,"
    " lon, lat) VALUES"
    " (1, 292, 'FRANKLIN', 'ST', 'E', '94103', -122.4050, 37.7710),"
    " (1, 292, 'FRANKLIN', 'ST', 'W', '94103', -122.4250, 37.7710),"
    " (1, 250, 'FRANKLIN', 'ST', 'W', '94103', -122.4246, 37.7710);";

static struct geo_geocoder *fixture(struct core_ws **wsp)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_geocoder *g = NULL;
	struct core_ws *ws = test_new_ws("gc.db");

	*wsp = ws;
	if (!ws)
		return NULL;
	test_exec(ws, fixture_sql);
	if (geo_geocoder_load(ws, &g, &err))
		test_fail(__FILE__, __LINE__, "load: %s", err.msg);
	return g;
}

/* One query and what it must give. */
struct want {
	struct geo_addr a;
	int level;
	double lon, lat, score;
	const char *why; /* NULL: why must be NULL */
};

static void check_wants(const struct geo_geocoder *g, const struct want *w,
			size_t n, const struct geo_gc_opts *opts,
			const char *file, int line)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct geo_gc_result r;
		int before = test_failures();
		geo_geocode_addr(g, &w[i].a, opts, &r);
		CHECK_INT(r.level, w[i].level);
		if (w[i].level == GEO_GC_NONE) {
			CHECK(isnan(r.lon) && isnan(r.lat));
			CHECK_NEAR(r.score, 0, 0);
		} else {
			CHECK_NEAR(r.lon, w[i].lon, EPS);
			CHECK_NEAR(r.lat, w[i].lat, EPS);
			CHECK_NEAR(r.score, w[i].score, 1e-12);
		}
		if (w[i].why)
			CHECK_STR(r.why, w[i].why);
		else
			CHECK(r.why == NULL);
		test_row_end(before, i, w[i].a.name, file, line);
	}
}

#define CHECK_WANTS(g, w, opts)                                                \
	check_wants(g, w, sizeof(w) / sizeof((w)[0]), opts, __FILE__, __LINE__)

/* ---------------------------------------------------------------------
 * The levels, by hand
 * ------------------------------------------------------------------ */

static void test_points(void)
{
	struct core_ws *ws;
	struct geo_geocoder *g = fixture(&ws);
	const struct want w[] = {
	    {mk(100, "", "MAPLE", "ST", "", "94103"), GEO_GC_POINT, -122.41,
	     37.77, 1.0, NULL},
	    {mk(32, "A", "MAPLE", "ST", "", "94103"), GEO_GC_POINT, -122.411,
	     37.77, 1.0, NULL},
	    /* a suffix missing, or one the reference lacks */
	    {mk(32, "", "MAPLE", "ST", "", "94103"), GEO_GC_POINT, -122.411,
	     37.77, 0.95, "house number suffix differs"},
	    {mk(100, "B", "MAPLE", "ST", "", "94103"), GEO_GC_POINT, -122.41,
	     37.77, 0.95, "house number suffix differs"},
	    /* a wrong type, a missing one */
	    {mk(100, "", "MAPLE", "AVE", "", "94103"), GEO_GC_POINT, -122.41,
	     37.77, 0.92, "street type or directional differs"},
	    {mk(100, "", "MAPLE", "", "", "94103"), GEO_GC_POINT, -122.41,
	     37.77, 0.98, "street type or directional differs"},
	    /* the type chooses between 16 ST and 16 AVE */
	    {mk(100, "", "16", "AVE", "", "94103"), GEO_GC_POINT, -122.416,
	     37.766, 1.0, NULL},
	    {mk(100, "", "16", "ST", "", "94103"), GEO_GC_POINT, -122.415,
	     37.765, 1.0, NULL},
	};
	struct geo_gc_result r;
	size_t np, nr, nz;

	if (!g)
		goto cleanup;
	CHECK_WANTS(g, w, NULL);
	/* no type, and both 16 ST and 16 AVE have a 100 130 m apart: not
	 * ours to pick one */
	{
		struct geo_addr a = mk(100, "", "16", "", "", "94103");
		geo_geocode_addr(g, &a, NULL, &r);
		CHECK_INT(r.level, GEO_GC_NONE);
		CHECK_STR(r.why,
			  "ambiguous street: several of this name match; "
			  "give its type or directional");
	}
	/* the user wrote 16 ST, which exists: 190 is only on 16 AVE, and
	 * is not taken from it; the street level answers on 16 ST (its
	 * 100, within the slack) */
	{
		struct geo_addr a = mk(190, "", "16", "ST", "", "94103");
		geo_geocode_addr(g, &a, NULL, &r);
		CHECK_INT(r.level, GEO_GC_STREET);
		CHECK_NEAR(r.lon, -122.4150, EPS);
		CHECK_NEAR(r.lat, 37.7650, EPS);
	}
	/* 190 without a type: only 16 AVE places it, so the number
	 * decides */
	{
		struct geo_addr a = mk(190, "", "16", "", "", "94103");
		geo_geocode_addr(g, &a, NULL, &r);
		CHECK_INT(r.level, GEO_GC_POINT);
		CHECK_NEAR(r.lon, -122.4140, EPS);
		CHECK_NEAR(r.score, 0.98, 1e-12);
	}
	/* Franklin St E and W both have a 292, 1.8 km apart: without the
	 * directional no match, with it the right one */
	{
		struct geo_addr a = mk(292, "", "FRANKLIN", "ST", "", "94103");
		geo_geocode_addr(g, &a, NULL, &r);
		CHECK_INT(r.level, GEO_GC_NONE);
		CHECK_STR(r.why,
			  "ambiguous street: several of this name match; "
			  "give its type or directional");
		snprintf(a.postdir, sizeof(a.postdir), "W");
		geo_geocode_addr(g, &a, NULL, &r);
		CHECK_INT(r.level, GEO_GC_POINT);
		CHECK_NEAR(r.lon, -122.4250, EPS);
		CHECK_NEAR(r.score, 1.0, 1e-12);
		snprintf(a.postdir, sizeof(a.postdir), "E");
		geo_geocode_addr(g, &a, NULL, &r);
		CHECK_INT(r.level, GEO_GC_POINT);
		CHECK_NEAR(r.lon, -122.4050, EPS);
		/* 250 is only on the W one: the number decides */
		a = mk(250, "", "FRANKLIN", "ST", "", "94103");
		geo_geocode_addr(g, &a, NULL, &r);
		CHECK_INT(r.level, GEO_GC_POINT);
		CHECK_NEAR(r.lon, -122.4246, EPS);
		/* 300 is on neither, in reach of both streets' 292:
		 * ambiguous at the street level too */
		a = mk(300, "", "FRANKLIN", "ST", "", "94103");
		geo_geocode_addr(g, &a, NULL, &r);
		CHECK_INT(r.level, GEO_GC_NONE);
	}
	/* unit rows are one point: 25 rows, 24 addresses */
	geo_geocoder_counts(g, &np, &nr, &nz);
	CHECK_INT(np, 24);
	CHECK_INT(nr, 4);
	CHECK_INT(nz, 5);
	CHECK_INT(geo_geocoder_empty(g), 0);
cleanup:
	geo_geocoder_free(g);
	core_ws_close(ws);
}

static void test_interp(void)
{
	struct core_ws *ws;
	struct geo_geocoder *g = fixture(&ws);
	const struct want w[] = {
	    /* 110 between 100 and 120: the midpoint */
	    {mk(110, "", "MAPLE", "ST", "", "94103"), GEO_GC_INTERP, -122.4099,
	     37.77, 0.9, "no address point with this number"},
	    /* 104 a fifth of the way */
	    {mk(104, "", "MAPLE", "ST", "", "94103"), GEO_GC_INTERP, -122.40996,
	     37.77, 0.9, "no address point with this number"},
	    /* 400: 300 and 500 are 200 numbers apart: the street level,
	     * at the nearer known number (300 and 500 tie: the lower) */
	    {mk(400, "", "MAPLE", "ST", "", "94103"), GEO_GC_STREET, -122.408,
	     37.77, 0.6, "number not within the street's known numbers"},
	    /* 706: 700 and 710 are 880 m apart: the street level at 710 */
	    {mk(706, "", "MAPLE", "ST", "", "94103"), GEO_GC_STREET, -122.39,
	     37.77, 0.6, "number not within the street's known numbers"},
	    /* 111 (odd): only 101 on its side, no bracket */
	    {mk(111, "", "MAPLE", "ST", "", "94103"), GEO_GC_STREET, -122.4098,
	     37.77, 0.6, "number not within the street's known numbers"},
	};

	if (g)
		CHECK_WANTS(g, w, NULL);
	geo_geocoder_free(g);
	core_ws_close(ws);
}

static void test_ranges(void)
{
	struct core_ws *ws;
	struct geo_geocoder *g = fixture(&ws);
	const char *why = "no address points around the number";
	const struct want w[] = {
	    /* OAK AVE, -122.42 -> -122.41 along 37.76: 150 is even, the
	     * left range 100-198, 50/98 of the way, 10 m north (left of
	     * east) */
	    {mk(150, "", "OAK", "AVE", "", "94103"), GEO_GC_RANGE,
	     -122.41489795918368, 37.76008993203637, 0.8, why},
	    /* 151 odd: right range 101-199, 50/98, 10 m south */
	    {mk(151, "", "OAK", "AVE", "", "94103"), GEO_GC_RANGE,
	     -122.41489795918368, 37.759910067963624, 0.8, why},
	    /* the ends */
	    {mk(101, "", "OAK", "AVE", "", "94103"), GEO_GC_RANGE, -122.42,
	     37.759910067963624, 0.8, why},
	    {mk(198, "", "OAK", "AVE", "", "94103"), GEO_GC_RANGE, -122.41,
	     37.76008993203637, 0.8, why},
	    /* PINE ST: 100 m east, then 100 m north.  25 on 1-99 right:
	     * 24/98 of 200 m = 48.98 m east, 10 m south */
	    {mk(25, "", "PINE", "ST", "", "94103"), GEO_GC_RANGE,
	     -122.42944291229064, 37.749910067963626, 0.8, why},
	    /* 75: 74/98 of 200 m = 151.02 m: 51.02 m up the north leg, 10 m
	     * east (right of north) */
	    {mk(75, "", "PINE", "ST", "", "94103"), GEO_GC_RANGE,
	     -122.42874887385271, 37.75045883692027, 0.8, why},
	    /* 40 on the left range 98 -> 2 (from exceeds to): (40 - 98) /
	     * (2 - 98) = 58/96 of 200 m = 120.83 m, 20.83 m up the north
	     * leg, 10 m west (left of north) */
	    {mk(40, "", "PINE", "ST", "", "94103"), GEO_GC_RANGE,
	     -122.42897635133404, 37.75018735840911, 0.8, why},
	};

	if (g)
		CHECK_WANTS(g, w, NULL);
	geo_geocoder_free(g);
	core_ws_close(ws);
}

static void test_street(void)
{
	struct core_ws *ws;
	struct geo_geocoder *g = fixture(&ws);
	const char *why = "number not within the street's known numbers";
	const struct want w[] = {
	    /* 260 BIRCH: 56 above 204, within the slack */
	    {mk(260, "", "BIRCH", "ST", "", "94103"), GEO_GC_STREET, -122.4198,
	     37.78, 0.6, why},
	    /* 304 BIRCH: exactly 100 above */
	    {mk(304, "", "BIRCH", "ST", "", "94103"), GEO_GC_STREET, -122.4198,
	     37.78, 0.6, why},
	    /* 305: 101 above: far outside, no match */
	    {mk(305, "", "BIRCH", "ST", "", "94103"), GEO_GC_NONE, 0, 0, 0,
	     "number outside the street's known numbers"},
	    /* 250 OAK: 51 above the right range 101-199: its midpoint, no
	     * offset */
	    {mk(250, "", "OAK", "AVE", "", "94103"), GEO_GC_STREET, -122.415,
	     37.76, 0.6, why},
	    {mk(99999, "", "OAK", "AVE", "", "94103"), GEO_GC_NONE, 0, 0, 0,
	     "number outside the street's known numbers"},
	    /* no number: the middle of the street in number order (MAPLE:
	     * 32A 100 101 120 300 500 700 710, the fifth is 300; OAK: the
	     * second range by lowest number, 101-199, its midpoint) */
	    {mk(-1, "", "MAPLE", "ST", "", "94103"), GEO_GC_STREET, -122.408,
	     37.77, 0.5, "no house number"},
	    {mk(-1, "", "OAK", "AVE", "", "94103"), GEO_GC_STREET, -122.415,
	     37.76, 0.5, "no house number"},
	};

	if (g)
		CHECK_WANTS(g, w, NULL);
	geo_geocoder_free(g);
	core_ws_close(ws);
}

static void test_zip_level(void)
{
	struct core_ws *ws;
	struct geo_geocoder *g = fixture(&ws);
	struct want w[] = {
	    {mk(-1, "", "", "", "", "94103"), GEO_GC_ZIP, -122.4147, 37.7725,
	     0.3, "PO box"},
	    {mk(-1, "", "", "", "", ""), GEO_GC_NONE, 0, 0, 0,
	     "PO box without a known ZIP"},
	    /* a PO box with a street-like name never gets a street */
	    {mk(100, "", "MAPLE", "ST", "", "94103"), GEO_GC_ZIP, -122.4147,
	     37.7725, 0.3, "PO box"},
	    /* a ZIP whose streets the reference does not hold */
	    {mk(12, "", "ANY", "ST", "", "95000"), GEO_GC_ZIP, -120, 36, 0.3,
	     "no streets known in this ZIP"},
	    /* 94110 has no streets: the city places what it can, the ZIP
	     * the rest */
	    {mk(100, "", "MAPLE", "ST", "SAN FRANCISCO", "94110"), GEO_GC_POINT,
	     -122.41, 37.77, 0.9, "found in the city, not in the ZIP given"},
	    {mk(9999, "", "MAPLE", "ST", "SAN FRANCISCO", "94110"), GEO_GC_ZIP,
	     -122.415, 37.75, 0.3, "no streets known in this ZIP"},
	    {mk(9999, "", "NOSUCH", "ST", "SAN FRANCISCO", "94110"), GEO_GC_ZIP,
	     -122.415, 37.75, 0.3, "no streets known in this ZIP"},
	    /* no street name */
	    {mk(-1, "", "", "", "", "94102"), GEO_GC_ZIP, -122.4167, 37.7813,
	     0.3, "no street name"},
	};

	w[0].a.po_box = w[1].a.po_box = w[2].a.po_box = 1;
	strcpy(w[0].a.box, "12");
	if (g)
		CHECK_WANTS(g, w, NULL);
	geo_geocoder_free(g);
	core_ws_close(ws);
}

static void test_negatives(void)
{
	struct core_ws *ws;
	struct geo_geocoder *g = fixture(&ws);
	const struct want w[] = {
	    {mk(12, "", "NOSUCH", "ST", "", "94103"), GEO_GC_NONE, 0, 0, 0,
	     "street not found in ZIP"},
	    /* ELM is in 94102 only, and no city was given */
	    {mk(5, "", "ELM", "ST", "", "94103"), GEO_GC_NONE, 0, 0, 0,
	     "street not found in ZIP"},
	    {mk(100, "", "MAPLE", "ST", "", "99999"), GEO_GC_NONE, 0, 0, 0,
	     "ZIP not in the reference data"},
	    {mk(100, "", "MAPLE", "ST", "GOTHAM", ""), GEO_GC_NONE, 0, 0, 0,
	     "city not in the reference data"},
	    {mk(100, "", "NOSUCH", "ST", "SAN FRANCISCO", ""), GEO_GC_NONE, 0,
	     0, 0, "street not found in city"},
	    {mk(100, "", "NOSUCH", "ST", "", ""), GEO_GC_NONE, 0, 0, 0,
	     "street not found"},
	    {mk(90000, "", "MAPLE", "ST", "", "94103"), GEO_GC_NONE, 0, 0, 0,
	     "number outside the street's known numbers"},
	};

	if (g)
		CHECK_WANTS(g, w, NULL);
	geo_geocoder_free(g);
	core_ws_close(ws);
}

static void test_typos(void)
{
	struct core_ws *ws;
	struct geo_geocoder *g = fixture(&ws);
	const char *why = "street name one letter off";
	const struct want w[] = {
	    /* transposition, deletion, insertion, substitution */
	    {mk(1000, "", "MARKTE", "ST", "", "94103"), GEO_GC_POINT, -122.418,
	     37.775, 0.85, why},
	    {mk(1000, "", "MRKET", "ST", "", "94103"), GEO_GC_POINT, -122.418,
	     37.775, 0.85, why},
	    {mk(1000, "", "MARKETT", "ST", "", "94103"), GEO_GC_POINT, -122.418,
	     37.775, 0.85, why},
	    {mk(110, "", "MAPLA", "ST", "", "94103"), GEO_GC_INTERP, -122.4099,
	     37.77, 0.75, why},
	    /* LARCH and MARCH are both one letter from KARCH */
	    {mk(10, "", "KARCH", "ST", "", "94103"), GEO_GC_NONE, 0, 0, 0,
	     "street not found; several streets are one letter off"},
	    /* numbers are never edited */
	    {mk(100, "", "15", "ST", "", "94103"), GEO_GC_NONE, 0, 0, 0,
	     "street not found in ZIP"},
	    /* three letters are too short */
	    {mk(1, "", "ASK", "ST", "", "94103"), GEO_GC_NONE, 0, 0, 0,
	     "street not found in ZIP"},
	    /* two edits */
	    {mk(1000, "", "MRAKTE", "ST", "", "94103"), GEO_GC_NONE, 0, 0, 0,
	     "street not found in ZIP"},
	};
	const struct want strict[] = {
	    {mk(1000, "", "MARKTE", "ST", "", "94103"), GEO_GC_NONE, 0, 0, 0,
	     "street not found in ZIP"},
	};
	struct geo_gc_opts o = {0, 1};

	if (g) {
		CHECK_WANTS(g, w, NULL);
		CHECK_WANTS(g, strict, &o);
	}
	geo_geocoder_free(g);
	core_ws_close(ws);
}

static void test_zip_city(void)
{
	struct core_ws *ws;
	struct geo_geocoder *g = fixture(&ws);
	const struct want w[] = {
	    /* a wrong ZIP: the city finds it, scored lower */
	    {mk(100, "", "MAPLE", "ST", "SAN FRANCISCO", "94102"), GEO_GC_POINT,
	     -122.41, 37.77, 0.9, "found in the city, not in the ZIP given"},
	    /* a ZIP the reference lacks, and a city it knows */
	    {mk(100, "", "MAPLE", "ST", "SAN FRANCISCO", "99999"), GEO_GC_POINT,
	     -122.41, 37.77, 0.9, "found in the city, not in the ZIP given"},
	    /* city only, written any way; ELM's city is its own, MAPLE's
	     * comes from its ZIP */
	    {mk(100, "", "MAPLE", "ST", " san  francisco", ""), GEO_GC_POINT,
	     -122.41, 37.77, 1.0, NULL},
	    {mk(5, "", "ELM", "ST", "SAN FRANCISCO", ""), GEO_GC_POINT,
	     -122.419, 37.781, 1.0, NULL},
	    /* neither: MAPLE is in one city only */
	    {mk(100, "", "MAPLE", "ST", "", ""), GEO_GC_POINT, -122.41, 37.77,
	     0.95, NULL},
	    /* MAIN is in two cities */
	    {mk(1, "", "MAIN", "ST", "", ""), GEO_GC_NONE, 0, 0, 0,
	     "ambiguous street: in several places"},
	    {mk(1, "", "MAIN", "ST", "OTHERTOWN", ""), GEO_GC_POINT, -121, 38,
	     1.0, NULL},
	    {mk(1, "", "MAIN", "ST", "", "94103"), GEO_GC_POINT, -122.412,
	     37.772, 1.0, NULL},
	};

	if (g)
		CHECK_WANTS(g, w, NULL);
	geo_geocoder_free(g);
	core_ws_close(ws);
}

static void test_worst(void)
{
	struct core_ws *ws;
	struct geo_geocoder *g = fixture(&ws);
	const struct want w[] = {
	    {mk(110, "", "MAPLE", "ST", "", "94103"), GEO_GC_INTERP, -122.4099,
	     37.77, 0.9, "no address point with this number"},
	    {mk(150, "", "OAK", "AVE", "", "94103"), GEO_GC_NONE, 0, 0, 0,
	     "only a street range match"},
	    {mk(260, "", "BIRCH", "ST", "", "94103"), GEO_GC_NONE, 0, 0, 0,
	     "only a street-level match"},
	};
	struct geo_gc_opts o = {GEO_GC_INTERP, 0};

	if (g)
		CHECK_WANTS(g, w, &o);
	geo_geocoder_free(g);
	core_ws_close(ws);
}

/* Free text through the parser: the same answers as the structs. */
static void test_text(void)
{
	struct core_ws *ws;
	struct geo_geocoder *g = fixture(&ws);
	static const struct {
		const char *text;
		int level;
		double lon, lat, score;
	} w[] = {
	    {"100 Maple Street, San Francisco, CA 94103", GEO_GC_POINT, -122.41,
	     37.77, 1.0},
	    {"100 MAPLE ST APT 4 SAN FRANCISCO CA 94103-1234", GEO_GC_POINT,
	     -122.41, 37.77, 1.0},
	    {"32a maple st #210, san francisco ca", GEO_GC_POINT, -122.411,
	     37.77, 1.0},
	    {"110 Maple St, 94103", GEO_GC_INTERP, -122.4099, 37.77, 0.9},
	    {"100 Sixteenth Avenue, San Francisco, CA 94103", GEO_GC_POINT,
	     -122.416, 37.766, 1.0},
	    {"100 16th St., Suite 300, San Francisco, CA 94103", GEO_GC_POINT,
	     -122.415, 37.765, 1.0},
	    {"150 Oak Ave, San Francisco, CA 94103", GEO_GC_RANGE,
	     -122.41489795918368, 37.76008993203637, 0.8},
	    {"1000 Markte St, San Francisco, CA 94103", GEO_GC_POINT, -122.418,
	     37.775, 0.85},
	    {"PO Box 12, San Francisco, CA 94103", GEO_GC_ZIP, -122.4147,
	     37.7725, 0.3},
	    {"P.O. Box 12, San Francisco, CA", GEO_GC_NONE, 0, 0, 0},
	    {"12 Nosuch St, San Francisco, CA 94103", GEO_GC_NONE, 0, 0, 0},
	    {"100 15th St, San Francisco, CA 94103", GEO_GC_NONE, 0, 0, 0},
	    {"", GEO_GC_NONE, 0, 0, 0},
	};
	size_t i;

	for (i = 0; g && i < sizeof(w) / sizeof(w[0]); i++) {
		struct geo_gc_result r;
		int before = test_failures();
		geo_geocode_text(g, w[i].text, NULL, &r);
		CHECK_INT(r.level, w[i].level);
		if (w[i].level != GEO_GC_NONE) {
			CHECK_NEAR(r.lon, w[i].lon, EPS);
			CHECK_NEAR(r.lat, w[i].lat, EPS);
			CHECK_NEAR(r.score, w[i].score, 1e-12);
		} else {
			CHECK(r.why != NULL);
		}
		test_row_end(before, i, w[i].text, __FILE__, __LINE__);
	}
	geo_geocoder_free(g);
	core_ws_close(ws);
}

static void test_empty(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = test_new_ws("empty.db");
	struct geo_geocoder *g = NULL;
	struct geo_addr a = mk(1, "", "MAPLE", "ST", "", "94103");
	struct geo_gc_result r;

	if (!ws)
		return;
	CHECK_INT(geo_geocoder_load(ws, &g, &err), CORE_OK);
	if (g) {
		CHECK_INT(geo_geocoder_empty(g), 1);
		geo_geocode_addr(g, &a, NULL, &r);
		CHECK_INT(r.level, GEO_GC_NONE);
		CHECK_STR(r.why, "no reference addresses imported");
	}
	CHECK_STR(geo_gc_level_name(GEO_GC_RANGE), "street_range");
	CHECK_STR(geo_gc_level_name(42), "none");
	geo_geocoder_free(g);
	core_ws_close(ws);
}

/* A range whose geometry is not a linestring is refused at load. */
static void test_bad_geometry(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = test_new_ws("bad.db");
	struct geo_geocoder *g = NULL;

	if (!ws)
		return;
	test_exec(ws, "INSERT INTO sources(id, kind, path, name, format, "
		      "checksum, imported_at) VALUES (1, 'addresses', '/x', "
		      "'x', 'CSV', 'c', '2024-01-01');"
		      "PRAGMA ignore_check_constraints = 1;"
		      "DROP TRIGGER IF EXISTS ggi_addr_ranges_geom;"
		      "DROP TRIGGER IF EXISTS ggu_addr_ranges_geom;"
		      "INSERT INTO addr_ranges(id, source_id, name, side, "
		      "from_num, to_num, geom) VALUES (7, 1, 'OAK', 'R', 1, 9,"
		      " MakePoint(1, 2, 4326));");
	CHECK_INT(geo_geocoder_load(ws, &g, &err), CORE_EDB);
	CHECK(g == NULL);
	CHECK_CONTAINS(err.msg, "addr_ranges row 7");
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * The linestring reader
 * ------------------------------------------------------------------ */

static void test_blob_line(void)
{
	struct core_ws *ws = test_new_ws("blob.db");
	static const char *const wkt[] = {
	    "GeomFromText('LINESTRING(1 2, 3 4.5, -7 8)', 4326)",
	    "GeomFromText('LINESTRING Z(1 2 9, 3 4.5 9, -7 8 9)', 4326)",
	    "CompressGeometry(GeomFromText('LINESTRING(1 2, 3 4.5, -7 8)', "
	    "4326))",
	    "GeomFromText('MULTILINESTRING((1 2, 3 4.5, -7 8))', 4326)",
	};
	const double want[6] = {1, 2, 3, 4.5, -7, 8};
	size_t i;
	int k;

	if (!ws)
		return;
	for (i = 0; i < sizeof(wkt) / sizeof(wkt[0]); i++) {
		char sql[256];
		sqlite3_stmt *st = NULL;
		struct core_err err = CORE_ERR_INIT;
		double xy[6] = {0};
		long n;
		snprintf(sql, sizeof(sql), "SELECT %s", wkt[i]);
		if (core_ws_prepare(ws, &err, &st, sql) ||
		    sqlite3_step(st) != SQLITE_ROW) {
			test_fail(__FILE__, __LINE__, "%s: %s", sql, err.msg);
			sqlite3_finalize(st);
			continue;
		}
		n = geo_blob_line_get(sqlite3_column_blob(st, 0),
				      sqlite3_column_bytes(st, 0), NULL, 0);
		CHECK_INT(n, 3);
		/* room for two: the count, and two written */
		n = geo_blob_line_get(sqlite3_column_blob(st, 0),
				      sqlite3_column_bytes(st, 0), xy, 2);
		CHECK_INT(n, 3);
		CHECK_NEAR(xy[4], 0, 0);
		n = geo_blob_line_get(sqlite3_column_blob(st, 0),
				      sqlite3_column_bytes(st, 0), xy, 3);
		for (k = 0; k < 6; k++)
			CHECK_NEAR(xy[k], want[k], 0);
		sqlite3_finalize(st);
	}
	{
		unsigned char b[GEO_BLOB_POINT_SIZE];
		geo_blob_point_put(b, 1, 2, 4326);
		CHECK_INT(geo_blob_line_get(b, sizeof(b), NULL, 0), -1);
		CHECK_INT(geo_blob_line_get(NULL, 0, NULL, 0), 0);
		CHECK_INT(geo_blob_line_get(b, 10, NULL, 0), -1);
	}
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * A generated reference against a naive scan
 * ------------------------------------------------------------------ */

#define GEN_STREETS 24
#define GEN_ZIPS    3

struct gpoint {
	int street, zip, num;
	double lon, lat;
};

struct grange {
	int street, zip, from, to, lo, hi;
	char side, parity;
	double v[8]; /* up to 4 vertices */
	int nv;
};

struct gen {
	struct gpoint *pt;
	size_t npt;
	struct grange *rg;
	size_t nrg;
};

static const char *gen_name(int s)
{
	static const char *const n[GEN_STREETS] = {
	    "ALDER",	"BEECH",    "CEDAR",  "DOGWOOD",  "ELDER",   "FIR",
	    "GINKGO",	"HAZEL",    "IRONWD", "JUNIPER",  "KATSURA", "LAUREL",
	    "MAGNOLIA", "NUTMEG",   "OLIVE",  "POPLAR",	  "QUINCE",  "REDWOOD",
	    "SPRUCE",	"TAMARACK", "UMBRA",  "VIBURNUM", "WILLOW",  "YEW"};

	return n[s];
}

static const char *gen_zip(int z)
{
	static const char *const n[GEN_ZIPS] = {"90001", "90002", "90003"};

	return n[z];
}

/* Streets in ZIPs with points (unique numbers) and 2-4 vertex edges
 * whose ranges (left even, right odd) cover 1000-1599, written to ws. */
static void gen_ref(struct core_ws *ws, struct gen *gr, uint64_t *seed)
{
	struct core_buf sql = CORE_BUF_INIT;
	size_t pcap = 0, rcap = 0;
	int s, z, k, j;

	test_exec(ws, "INSERT INTO sources(id, kind, path, name, format, "
		      "checksum, imported_at) VALUES (1, 'addresses', '/x', "
		      "'x', 'CSV', 'c', '2024-01-01');");
	for (s = 0; s < GEN_STREETS; s++)
		for (z = 0; z < GEN_ZIPS; z++) {
			double bx = -122.5 + 0.05 * s + 0.01 * z;
			double by = 37.5 + 0.02 * z + 0.001 * s;
			int used[1600] = {0};
			if (test_rand(seed) < 0.4)
				continue;
			for (k = 0; k < 60; k++) {
				int num = 1 + (int)(test_rand(seed) * 1100);
				struct gpoint *p;
				if (used[num])
					continue;
				used[num] = 1;
				xgrow((void **)&gr->pt, &pcap, gr->npt + 1,
				      sizeof(*gr->pt));
				p = &gr->pt[gr->npt++];
				p->street = s;
				p->zip = z;
				p->num = num;
				p->lon = bx + num * 1e-5 +
					 (test_rand(seed) - 0.5) * 0.004;
				p->lat = by + (num & 1) * 1e-4 +
					 (test_rand(seed) - 0.5) * 0.002;
				core_buf_addf(
				    &sql,
				    "INSERT INTO addr_points(source_id,"
				    " number, name, type, zip, lon, "
				    "lat) VALUES (1, %d, '%s', 'ST', "
				    "'%s', %.10f, %.10f);",
				    num, gen_name(s), gen_zip(z), p->lon,
				    p->lat);
			}
			for (k = 0; k < 6; k++) {
				int nv = 2 + (int)(test_rand(seed) * 3);
				double v[8];
				for (j = 0; j < nv; j++) {
					v[2 * j] = bx + 0.002 * k + 0.0007 * j;
					v[2 * j + 1] =
					    by + 0.01 +
					    (test_rand(seed) - 0.5) * 0.001;
				}
				for (j = 0; j < 2; j++) {
					struct grange *r;
					int base = 1000 + 100 * k, m;
					xgrow((void **)&gr->rg, &rcap,
					      gr->nrg + 1, sizeof(*gr->rg));
					r = &gr->rg[gr->nrg++];
					r->street = s;
					r->zip = z;
					r->side = j ? 'R' : 'L';
					r->parity = j ? 'O' : 'E';
					r->lo = base + j;
					r->hi = base + 98 + j;
					if (test_rand(seed) < 0.5) {
						r->from = r->hi;
						r->to = r->lo;
					} else {
						r->from = r->lo;
						r->to = r->hi;
					}
					r->nv = nv;
					memcpy(r->v, v, sizeof(v));
					core_buf_addf(
					    &sql,
					    "INSERT INTO addr_ranges(source_id,"
					    " name, type, side, from_num, "
					    "to_num, parity, zip, geom) VALUES "
					    "(1, '%s', 'ST', '%c', %d, %d, "
					    "'%c', '%s', GeomFromText("
					    "'LINESTRING(",
					    gen_name(s), r->side, r->from,
					    r->to, r->parity, gen_zip(z));
					for (m = 0; m < nv; m++)
						core_buf_addf(
						    &sql, "%s%.10f %.10f",
						    m ? ", " : "", v[2 * m],
						    v[2 * m + 1]);
					core_buf_adds(&sql, ")', 4326));");
				}
			}
		}
	test_exec(ws, "BEGIN");
	test_exec(ws, core_buf_str(&sql));
	test_exec(ws, "COMMIT");
	core_buf_release(&sql);
	/* the points as stored (SQLite's REAL round-trips %.10f text) */
	for (k = 0; k < (int)gr->npt; k++) {
		char q[160];
		snprintf(q, sizeof(q),
			 "SELECT lon FROM addr_points WHERE rowid = %d", k + 1);
		gr->pt[k].lon = test_q_double(ws, q);
		snprintf(q, sizeof(q),
			 "SELECT lat FROM addr_points WHERE rowid = %d", k + 1);
		gr->pt[k].lat = test_q_double(ws, q);
	}
}

/* The contract's equirectangular distance, written again. */
static double naive_dist(double x1, double y1, double x2, double y2)
{
	double c = cos((y1 + y2) / 2 * M_PI / 180);
	double dx = (x2 - x1) * c * M_DEG, dy = (y2 - y1) * M_DEG;

	return hypot(dx, dy);
}

/* Fraction f of r's length, off metres to the right (contract). */
static void naive_along(const struct grange *r, double f, double off,
			double *lon, double *lat)
{
	double kx = cos(r->v[1] * M_PI / 180) * M_DEG, len[3], total = 0, want,
	       acc = 0;
	int i;

	for (i = 0; i + 1 < r->nv; i++) {
		len[i] = hypot((r->v[2 * i + 2] - r->v[2 * i]) * kx,
			       (r->v[2 * i + 3] - r->v[2 * i + 1]) * M_DEG);
		total += len[i];
	}
	want = f * total;
	for (i = 0; i + 1 < r->nv; i++) {
		double ex, ey, s, x, y;
		if (acc + len[i] < want && i + 2 < r->nv) {
			acc += len[i];
			continue;
		}
		s = (want - acc) / len[i];
		ex = (r->v[2 * i + 2] - r->v[2 * i]) * kx / len[i];
		ey = (r->v[2 * i + 3] - r->v[2 * i + 1]) * M_DEG / len[i];
		/* right of (ex, ey) is (ey, -ex) */
		x = (r->v[2 * i] - r->v[0]) * kx + s * len[i] * ex + off * ey;
		y = (r->v[2 * i + 1] - r->v[1]) * M_DEG + s * len[i] * ey -
		    off * ex;
		*lon = r->v[0] + x / kx;
		*lat = r->v[1] + y / M_DEG;
		return;
	}
}

/* The cascade by linear scans; *exact 0 when the street level's
 * nearest feature ties (the position is then not compared). */
static int naive(const struct gen *gr, int s, int z, int n, double *lon,
		 double *lat, int *exact)
{
	const struct gpoint *lo = NULL, *hi = NULL, *np = NULL;
	const struct grange *nr = NULL;
	int found = 0, best = 1 << 30, ties = 0;
	size_t i;

	*exact = 1;
	for (i = 0; i < gr->npt; i++) {
		const struct gpoint *p = &gr->pt[i];
		if (p->street != s || p->zip != z)
			continue;
		found = 1;
		if (p->num == n) {
			*lon = p->lon;
			*lat = p->lat;
			return GEO_GC_POINT;
		}
		if ((p->num - n) % 2 == 0 && p->num < n &&
		    (!lo || p->num > lo->num))
			lo = p;
		if ((p->num - n) % 2 == 0 && p->num > n &&
		    (!hi || p->num < hi->num))
			hi = p;
	}
	if (lo && hi && hi->num - lo->num <= GEO_GC_INTERP_NUMS &&
	    naive_dist(lo->lon, lo->lat, hi->lon, hi->lat) <= GEO_GC_INTERP_M) {
		double t = (double)(n - lo->num) / (hi->num - lo->num);
		*lon = lo->lon + t * (hi->lon - lo->lon);
		*lat = lo->lat + t * (hi->lat - lo->lat);
		return GEO_GC_INTERP;
	}
	for (i = 0; i < gr->nrg; i++) {
		const struct grange *r = &gr->rg[i];
		if (r->street != s || r->zip != z)
			continue;
		found = 1;
		if (n >= r->lo && n <= r->hi && (n & 1) == (r->parity == 'O')) {
			naive_along(r,
				    (double)(n - r->from) / (r->to - r->from),
				    r->side == 'R' ? 10 : -10, lon, lat);
			return GEO_GC_RANGE;
		}
	}
	if (!found)
		return GEO_GC_NONE;
	for (i = 0; i < gr->npt; i++) {
		const struct gpoint *p = &gr->pt[i];
		int gap = abs(p->num - n);
		if (p->street != s || p->zip != z || gap > best)
			continue;
		ties = gap == best ? ties + 1 : 0;
		best = gap;
		np = p;
	}
	for (i = 0; i < gr->nrg; i++) {
		const struct grange *r = &gr->rg[i];
		int gap = n < r->lo ? r->lo - n : n > r->hi ? n - r->hi : 0;
		if (r->street != s || r->zip != z || gap > best)
			continue;
		ties = gap == best ? ties + 1 : 0;
		best = gap;
		nr = r;
		np = NULL;
	}
	if (best > GEO_GC_STREET_SLACK)
		return GEO_GC_NONE;
	*exact = !ties;
	if (np) {
		*lon = np->lon;
		*lat = np->lat;
	} else {
		naive_along(nr, 0.5, 0, lon, lat);
	}
	return GEO_GC_STREET;
}

static void test_brute(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = test_new_ws("gen.db");
	struct geo_geocoder *g = NULL;
	struct gen gr = {0};
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	int k, count[6] = {0};
	/* the generated names are one letter apart (ALDER, ELDER): the
	 * naive scan knows no typos */
	struct geo_gc_opts strict = {0, 1};

	if (!ws)
		return;
	gen_ref(ws, &gr, &seed);
	if (geo_geocoder_load(ws, &g, &err)) {
		test_fail(__FILE__, __LINE__, "load: %s", err.msg);
		goto cleanup;
	}
	for (k = 0; k < 20000; k++) {
		int s = (int)(test_rand(&seed) * GEN_STREETS);
		int z = (int)(test_rand(&seed) * GEN_ZIPS);
		int n = (int)(test_rand(&seed) * 1800);
		struct geo_addr a;
		if (test_rand(&seed) < 0.2) {
			const struct gpoint *p =
			    &gr.pt[(size_t)(test_rand(&seed) * (double)gr.npt)];
			s = p->street;
			z = p->zip;
			n = p->num;
		}
		a = mk(n, "", gen_name(s), "ST", "", gen_zip(z));
		struct geo_gc_result r;
		double lon = 0, lat = 0;
		int exact, want = naive(&gr, s, z, n, &lon, &lat, &exact);
		int before = test_failures();
		geo_geocode_addr(g, &a, &strict, &r);
		CHECK_INT(r.level, want);
		if (want != GEO_GC_NONE && exact) {
			CHECK_NEAR(r.lon, lon, 1e-9);
			CHECK_NEAR(r.lat, lat, 1e-9);
		}
		count[want]++;
		test_row_end(before, (size_t)k, gen_name(s), __FILE__,
			     __LINE__);
		if (test_failures() > 20)
			break;
	}
	/* every level was asked for */
	for (k = 0; k <= GEO_GC_STREET; k++)
		if (count[k] < 100)
			test_fail(__FILE__, __LINE__, "level %d asked %d times",
				  k, count[k]);
cleanup:
	geo_geocoder_free(g);
	free(gr.pt);
	free(gr.rg);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Threads
 * ------------------------------------------------------------------ */

struct par_job {
	const struct geo_geocoder *g;
	const struct geo_addr *a;
	struct geo_gc_result *r;
	int workers[GEO_PAR_MAX];
};

static void par_fn(void *ctx, size_t b, size_t e, int worker)
{
	struct par_job *j = ctx;
	size_t i;

	/* Each worker's first chunk waits (up to 5 s) for the other to
	 * start, so that both take part on a busy machine too, where one
	 * could otherwise take every chunk before the other is scheduled. */
	if (!j->workers[worker]) {
		struct timespec ms = {0, 1000000};
		int waited;

		__atomic_store_n(&j->workers[worker], 1, __ATOMIC_SEQ_CST);
		for (waited = 0;
		     waited < 5000 &&
		     !__atomic_load_n(&j->workers[!worker], __ATOMIC_SEQ_CST);
		     waited++)
			nanosleep(&ms, NULL);
	}
	for (i = b; i < e; i++)
		geo_geocode_addr(j->g, &j->a[i], NULL, &j->r[i]);
}

static void test_threads(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = test_new_ws("par.db");
	struct geo_geocoder *g = NULL;
	struct gen gr = {0};
	uint64_t seed = 42;
	size_t n = 50000, i, same = 0, placed = 0;
	struct geo_addr *a = NULL;
	struct geo_gc_result *r1 = NULL, *r2 = NULL;
	struct par_job j;

	if (!ws)
		return;
	gen_ref(ws, &gr, &seed);
	if (geo_geocoder_load(ws, &g, &err)) {
		test_fail(__FILE__, __LINE__, "load: %s", err.msg);
		goto cleanup;
	}
	a = xmalloc(n * sizeof(*a));
	r1 = xcalloc(n, sizeof(*r1));
	r2 = xcalloc(n, sizeof(*r2));
	for (i = 0; i < n; i++) {
		int s = (int)(test_rand(&seed) * GEN_STREETS);
		int z = (int)(test_rand(&seed) * GEN_ZIPS);
		a[i] = mk((long)(test_rand(&seed) * 1800), "", gen_name(s),
			  test_rand(&seed) < 0.5 ? "ST" : "",
			  test_rand(&seed) < 0.5 ? "" : "OTHER", gen_zip(z));
		geo_geocode_addr(g, &a[i], NULL, &r1[i]);
		placed += r1[i].level != GEO_GC_NONE;
	}
	setenv("ASSETMAP_THREADS", "2", 1);
	memset(&j, 0, sizeof(j));
	j.g = g;
	j.a = a;
	j.r = r2;
	geo_par_for(n, 64, par_fn, &j);
	unsetenv("ASSETMAP_THREADS");
	CHECK(j.workers[0] && j.workers[1]);
	for (i = 0; i < n; i++)
		same += r1[i].level == r2[i].level && r1[i].why == r2[i].why &&
			r1[i].score == r2[i].score &&
			((isnan(r1[i].lon) && isnan(r2[i].lon)) ||
			 (r1[i].lon == r2[i].lon && r1[i].lat == r2[i].lat));
	CHECK_INT(same, n);
	CHECK(placed > n / 4);
cleanup:
	free(a);
	free(r1);
	free(r2);
	free(gr.pt);
	free(gr.rg);
	geo_geocoder_free(g);
	core_ws_close(ws);
}

static const struct test tests[] = {
    TEST(test_points),	  TEST(test_interp),
    TEST(test_ranges),	  TEST(test_street),
    TEST(test_zip_level), TEST(test_negatives),
    TEST(test_typos),	  TEST(test_zip_city),
    TEST(test_worst),	  TEST(test_text),
    TEST(test_empty),	  TEST(test_bad_geometry),
    TEST(test_blob_line), TEST(test_brute),
    TEST(test_threads),	  {0}};

int main(void)
{
	int rc = test_main("geocode", tests);

	core_ws_shutdown();
	return rc;
}
