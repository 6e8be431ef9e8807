/*
 * test_sites_read.c - candidate sites: imp_sites_read on CSV and
 * GeoJSON files through GDAL (columns by any of their names, labels,
 * reprojection from another CRS, every error message naming the file
 * and row), and the geo_sites_cands helpers (area points as candidates,
 * projection) against values worked by hand.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_area.h"
#include "geo/geo_proj.h"
#include "geo/geo_sites.h"
#include "importers/imp_sites.h"
#include "tests/unit/testlib.h"

static void test_csv_columns_and_labels(void)
{
	struct geo_sites_cands c;
	struct core_err err = CORE_ERR_INIT;
	const char *p = test_write(
	    "lots.csv", "Name,Latitude,LNG\nChurch lot,37.0846,-120.6305\n"
			",37.1557, -120.6531 \nFar away,36.0,-119.0\n");

	memset(&c, 0, sizeof(c));
	CHECK_INT(imp_sites_read(p, &c, &err), CORE_OK);
	CHECK_STR(err.msg, "");
	CHECK_INT(c.n, 3);
	if (c.n == 3) {
		CHECK_STR(c.label[0], "Church lot");
		/* an empty label column: the row number */
		CHECK_STR(c.label[1], "row 2");
		CHECK_STR(c.label[2], "Far away");
		CHECK(c.name[0] == NULL);
		CHECK_NEAR(c.lat[0], 37.0846, 0);
		CHECK_NEAR(c.lon[0], -120.6305, 0);
		CHECK_NEAR(c.lon[1], -120.6531, 0);
		/* x, y hold lon, lat until projected */
		CHECK_NEAR(c.x[2], -119.0, 0);
		CHECK_NEAR(c.y[2], 36.0, 0);
	}
	geo_sites_cands_release(&c);
	CHECK_INT(c.n, 0);
}

static void test_csv_x_y_and_id(void)
{
	struct geo_sites_cands c;
	struct core_err err = CORE_ERR_INIT;
	const char *p = test_write("xy.csv", "id,x,y\n7,-120.5,37.25\n");

	memset(&c, 0, sizeof(c));
	CHECK_INT(imp_sites_read(p, &c, &err), CORE_OK);
	CHECK_INT(c.n, 1);
	if (c.n == 1) {
		CHECK_STR(c.label[0], "7");
		CHECK_NEAR(c.lon[0], -120.5, 0);
		CHECK_NEAR(c.lat[0], 37.25, 0);
	}
	geo_sites_cands_release(&c);
}

/* Points in California Albers come back as the lon/lat they were made
 * from (EPSG:3310 through geo_proj, the other way through GDAL). */
static void test_geojson_reprojected(void)
{
	struct geo_sites_cands c;
	struct core_err err = CORE_ERR_INIT;
	struct geo_proj *proj = NULL;
	double x[2] = {-120.6305, -121.0}, y[2] = {37.0846, 38.5};
	char *json;
	const char *p;

	memset(&c, 0, sizeof(c));
	CHECK_INT(geo_proj_new("EPSG:3310", &proj, &err), CORE_OK);
	if (!proj)
		return;
	CHECK_INT(geo_proj_fwd(proj, x, y, 2, &err), CORE_OK);
	json = malloc(2048);
	snprintf(
	    json, 2048,
	    "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\","
	    "\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::3310\"}},"
	    "\"features\":["
	    "{\"type\":\"Feature\",\"properties\":{\"site\":\"A\"},"
	    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]}},"
	    "{\"type\":\"Feature\",\"properties\":{\"site\":\"B\"},"
	    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]}}"
	    "]}",
	    x[0], y[0], x[1], y[1]);
	p = test_write("sites.geojson", json);
	free(json);
	CHECK_INT(imp_sites_read(p, &c, &err), CORE_OK);
	CHECK_STR(err.msg, "");
	CHECK_INT(c.n, 2);
	if (c.n == 2) {
		CHECK_STR(c.label[0], "A");
		CHECK_STR(c.label[1], "B");
		CHECK_NEAR(c.lon[0], -120.6305, 1e-7);
		CHECK_NEAR(c.lat[0], 37.0846, 1e-7);
		CHECK_NEAR(c.lon[1], -121.0, 1e-7);
		CHECK_NEAR(c.lat[1], 38.5, 1e-7);
		/* and projected again, the metres they were made from */
		CHECK_INT(geo_sites_cands_project(&c, proj, &err), CORE_OK);
		CHECK_NEAR(c.x[0], x[0], 1e-3);
		CHECK_NEAR(c.y[1], y[1], 1e-3);
	}
	geo_sites_cands_release(&c);
	geo_proj_free(proj);
}

/* Each error names the file, and the row where there is one. */
static void test_errors(void)
{
	static const struct {
		const char *name, *content;
		int code;
		const char *msg; /* after the path */
	} cases[] = {
	    {"bad.csv", "name,lat,lon\nx,91,-120\n", CORE_EFORMAT,
	     " data row 1: lat '91', lon '-120' is not a place (latitude -90 "
	     "to 90, longitude -180 to 180)"},
	    {"text.csv", "name,lat,lon\nok,37,-120\nx,north,-120\n",
	     CORE_EFORMAT,
	     " data row 2: lat 'north', lon '-120' is not a place (latitude "
	     "-90 to 90, longitude -180 to 180)"},
	    {"noplace.csv", "name,where\nx,here\n", CORE_EFORMAT,
	     " data row 1: no place: give each row a point geometry or lat "
	     "and lon columns"},
	    {"empty.csv", "name,lat,lon\n", CORE_EFORMAT,
	     ": no rows: nothing to choose from"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct geo_sites_cands c;
		struct core_err err = CORE_ERR_INIT;
		const char *p = test_write(cases[i].name, cases[i].content);
		char want[1024];

		memset(&c, 0, sizeof(c));
		snprintf(want, sizeof(want), "%s%s", p, cases[i].msg);
		CHECK_INT(imp_sites_read(p, &c, &err), cases[i].code);
		CHECK_STR(err.msg, want);
		geo_sites_cands_release(&c);
	}
	{
		struct geo_sites_cands c;
		struct core_err err = CORE_ERR_INIT;
		const char *p = test_path("nope.csv");
		char want[1024];

		memset(&c, 0, sizeof(c));
		snprintf(want, sizeof(want), "%s: No such file or directory",
			 p);
		CHECK_INT(imp_sites_read(p, &c, &err), CORE_EIO);
		CHECK_STR(err.msg, want);
		CHECK_INT(c.n, 0);
	}
	{
		struct geo_sites_cands c;
		struct core_err err = CORE_ERR_INIT;
		const char *p = test_write("junk.bin", "\x01\x02 not a table");
		char want[1024];

		memset(&c, 0, sizeof(c));
		snprintf(want, sizeof(want),
			 "%s: cannot read it as a table or vector file", p);
		CHECK_INT(imp_sites_read(p, &c, &err), CORE_EIO);
		CHECK(strncmp(err.msg, want, strlen(want)) == 0);
		geo_sites_cands_release(&c);
	}
}

/* Area points as candidates: flagged areas and areas without a point
 * left out, GEOID and name kept, lon/lat by the inverse projection. */
static void test_cands_from_areas(void)
{
	char g0[] = "06001", g1[] = "06002", g2[] = "06003", g3[] = "06004";
	char n0[] = "One", n2[] = "Three", n3[] = "Four";
	char *geoid[4] = {g0, g1, g2, g3};
	char *name[4] = {n0, NULL, n2, n3};
	int flags[4] = {0, 0, AREA_FLAG_WATER, 0};
	double ax[4], ay[4], lon[4] = {-120.5, -120.6, -120.7, -120.8};
	double lat[4] = {37.1, 37.2, 37.3, 37.4};
	struct geo_areas areas;
	struct geo_sites_cands c;
	struct geo_proj *proj = NULL;
	struct core_err err = CORE_ERR_INIT;

	memset(&areas, 0, sizeof(areas));
	memset(&c, 0, sizeof(c));
	areas.n = 4;
	areas.geoid = geoid;
	areas.name = name;
	areas.flags = flags;
	CHECK_INT(geo_proj_new("EPSG:3310", &proj, &err), CORE_OK);
	if (!proj)
		return;
	memcpy(ax, lon, sizeof(ax));
	memcpy(ay, lat, sizeof(ay));
	CHECK_INT(geo_proj_fwd(proj, ax, ay, 4, &err), CORE_OK);
	ax[3] = NAN;
	CHECK_INT(geo_sites_cands_from_areas(&c, &areas, ax, ay, proj, &err),
		  CORE_OK);
	CHECK_INT(c.n, 2);
	if (c.n == 2) {
		CHECK_STR(c.label[0], "06001");
		CHECK_STR(c.name[0], "One");
		CHECK_STR(c.label[1], "06002");
		CHECK(c.name[1] == NULL);
		CHECK_NEAR(c.x[1], ax[1], 0);
		CHECK_NEAR(c.y[1], ay[1], 0);
		CHECK_NEAR(c.lon[0], -120.5, 1e-9);
		CHECK_NEAR(c.lat[1], 37.2, 1e-9);
	}
	geo_sites_cands_release(&c);
	geo_proj_free(proj);
}

static const struct test tests[] = {
    TEST(test_csv_columns_and_labels), TEST(test_csv_x_y_and_id),
    TEST(test_geojson_reprojected),    TEST(test_errors),
    TEST(test_cands_from_areas),       {0}};

int main(void)
{
	return test_main("sites_read", tests);
}
