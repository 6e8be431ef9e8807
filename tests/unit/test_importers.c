/*
 * test_importers.c - the GDAL/OGR importer and 'assetmap import'.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <spatialite/gaiaaux.h>

#include "core/core_area.h"
#include "core/core_mem.h"
#include "core/core_ws.h"
#include "importers/imp_ogr.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

struct run {
	struct imp_ogr_opts o;
	struct imp_source src;
	struct imp_ogr_stats st;
	struct core_err err;
	int rc;
};

static void run_init(struct run *r, enum imp_kind kind, const char *path)
{
	memset(r, 0, sizeof(*r));
	imp_ogr_opts_init(&r->o);
	r->o.kind = kind;
	r->o.path = path;
}

/* Run the import; quietly, for one that is meant to fail. */
static int run_quiet(struct core_ws *ws, struct run *r)
{
	imp_source_init(&r->src, imp_kind_name(r->o.kind));
	core_err_clear(&r->err);
	r->rc = imp_ogr_import(ws, &r->o, &r->src, &r->st, &r->err);
	return r->rc;
}

/* Run the import, printing its message when it fails. */
static int run_go(struct core_ws *ws, struct run *r)
{
	return test_import_said(run_quiet(ws, r), &r->err);
}

static void run_release(struct run *r)
{
	imp_source_release(&r->src);
	imp_ogr_stats_release(&r->st);
}

/* An import that must be refused (see test_refusals), with its options;
 * with data, the file's bytes are read from memory under the name file. */
struct refusal {
	struct test_refusal t;
	enum imp_kind kind;
	const char *lat, *category, *level, *layer, *columns, *missing;
	int skip_bad;
	const char *data;
	size_t size;
};

static int refuse(struct core_ws *ws, const void *row, const char *path,
		  struct test_said *said)
{
	const struct refusal *f = row;
	struct run r;

	run_init(&r, f->kind, f->data ? f->t.file : path);
	r.o.col[IMP_COL_LAT] = f->lat;
	r.o.col[IMP_COL_CATEGORY] = f->category;
	r.o.level = f->level;
	r.o.layer = f->layer;
	r.o.columns = f->columns;
	r.o.missing = f->missing;
	r.o.skip_bad = f->skip_bad;
	r.o.data = f->data;
	r.o.size = f->size;
	test_said_take(said, run_quiet(ws, &r), &r.err, &r.src);
	run_release(&r);
	return r.rc;
}

/* ---------------------------------------------------------------------
 * Fixtures
 * ------------------------------------------------------------------ */

static const char sites_csv[] =
    "Site "
    "Name,Org,street,city,zip,phone,latitude,longitude,categories,medi_cal,"
    "capacity,programs,languages\n"
    "Mission Pantry,SF-Marin Food Bank,900 Pennsylvania Ave,San "
    "Francisco,94107,415-555-0101,37.7549,-122.3937,food,yes,120,medically_"
    "tailored_meals,en; es\n"
    "Tenderloin Clinic,,1 Main St,San "
    "Francisco,94102,,37.7833,-122.4167,Primary Care;food,0,,,\n"
    "Shelter,,2 Main St,San "
    "Francisco,94103,,37.7749,-122.4194,housing,,40.5,Housing Navigation; "
    "housing_deposits,\n";

static const char points_geojson[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"City "
    "Hall\",\"id\":\"ch\",\"phone\":\"311\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-122.4193,37.7793]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Ferry "
    "Building\",\"id\":\"fb\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-122.3933,37.7955]}}]}"
    "\n";

/* Two tracts (one a MultiPolygon), a county GEOID given as a number
 * elsewhere, and a bow tie that MakeValid repairs. */
static const char tracts_geojson[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"GEOID10\":\"06075010100\","
    "\"NAMELSAD10\":\"Census Tract 101\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-122.42,37.79],[-"
    "122.41,37.79],[-122.41,37.80],[-122.42,37.80],[-122.42,37.79]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"GEOID10\":\"06075010200\","
    "\"NAMELSAD10\":\"Census Tract 102\"},"
    "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[-122.40,37.79]"
    ",[-122.39,37.79],[-122.39,37.80],[-122.40,37.79]]],"
    "[[[-122.38,37.79],[-122.37,37.79],[-122.37,37.80],[-122.38,37.79]]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"GEOID10\":\"06075010300\","
    "\"NAMELSAD10\":\"Census Tract 103\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-122.44,37.70],[-"
    "122.43,37.71],[-122.43,37.70],[-122.44,37.71],[-122.44,37.70]]]}}]}\n";

static const char indicators_csv[] = "GEOID,NAME,pop,poverty,svi\n"
				     "06075010100,Tract 101,3850,14.9,0.6704\n"
				     "06075010200,Tract 102,-999,NA,0.5\n"
				     "06075010300,Tract 103,2000,(X),-999\n";

/* ---------------------------------------------------------------------
 * Assets
 * ------------------------------------------------------------------ */

static void test_assets_csv(void)
{
	struct core_ws *ws = test_new_ws("csv.db");
	const char *path = test_write("sites.csv", sites_csv);
	char *md5 = test_md5_file(path), *real = realpath(path, NULL);
	char *sql;
	struct run r;

	run_init(&r, IMP_ASSETS, path);
	r.o.col[IMP_COL_NAME] = "site name";
	r.o.col[IMP_COL_CATEGORY] = "categories";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_read, 3);
	CHECK_INT(r.src.rows_accepted, 3);
	CHECK_INT(r.src.rows_rejected, 0);
	CHECK_CONTAINS(r.src.options, "--name 'Site Name'");
	CHECK_CONTAINS(r.src.options, "--lon longitude --lat latitude");
	CHECK_CONTAINS(r.src.options, "--organization Org --address street");
	CHECK_CONTAINS(r.src.options, "--medi-cal medi_cal");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 3);
	CHECK_NEAR(
	    test_q_double(
		ws,
		"SELECT ST_X(geom) FROM assets WHERE name = 'Mission Pantry'"),
	    -122.3937, 1e-9);
	CHECK_NEAR(
	    test_q_double(
		ws,
		"SELECT ST_Y(geom) FROM assets WHERE name = 'Mission Pantry'"),
	    37.7549, 1e-9);
	CHECK_Q(ws, "SELECT SRID(geom) FROM assets LIMIT 1", "4326");
	CHECK_Q(ws,
		"SELECT organization || '|' || address || '|' || zip || '|' || "
		"phone || '|' || languages || '|' || accepts_medi_cal || '|' "
		"|| capacity || '|' || source_line FROM assets WHERE name = "
		"'Mission Pantry'",
		"SF-Marin Food Bank|900 Pennsylvania "
		"Ave|94107|415-555-0101|en,es|1|120.0|2");
	CHECK_Q(ws,
		"SELECT group_concat(category, ',') FROM (SELECT category FROM "
		"asset_categories JOIN assets ON id = asset_id WHERE name = "
		"'Tenderloin Clinic' ORDER BY category)",
		"food,primary_care");
	CHECK_Q(ws,
		"SELECT accepts_medi_cal FROM assets WHERE name = 'Tenderloin "
		"Clinic'",
		"0");
	CHECK_Q(
	    ws,
	    "SELECT organization FROM assets WHERE name = 'Tenderloin Clinic'",
	    "(null)");
	CHECK_Q(ws,
		"SELECT group_concat(program, ',') FROM (SELECT program FROM "
		"asset_programs JOIN assets ON id = asset_id WHERE name = "
		"'Shelter' ORDER BY program)",
		"housing_deposits,housing_navigation");
	CHECK_Q(ws, "SELECT capacity FROM assets WHERE name = 'Shelter'",
		"40.5");
	/* the sources row */
	CHECK_Q(
	    ws,
	    "SELECT kind || '|' || name || '|' || format || '|' || rows_read "
	    "|| '|' || rows_accepted || '|' || rows_rejected FROM sources",
	    "assets|sites.csv|CSV|3|3|0");
	CHECK_Q(ws, "SELECT checksum FROM sources", md5);
	sql = xasprintf("SELECT path = '%s' FROM sources", real ? real : "");
	CHECK_INT(test_q_int(ws, sql), 1);
	free(sql);
	CHECK_INT(
	    test_q_int(
		ws,
		"SELECT imported_at LIKE '20__-__-__T__:__:__Z' FROM sources"),
	    1);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets WHERE source_id "
				 "= (SELECT id FROM sources)"),
		  3);
	run_release(&r);
	free(md5);
	free(real);
	core_ws_close(ws);
}

static void test_assets_fixed_category(void)
{
	struct core_ws *ws = test_new_ws("fixed.db");
	const char *path = test_write(
	    "fixed.csv", "name,lat,lon\nA,37.7,-122.4\nB,37.8,-122.3\n");
	struct run r;

	run_init(&r, IMP_ASSETS, path);
	r.o.col[IMP_COL_CATEGORY] = "Food,housing";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_categories"), 4);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_categories WHERE "
				 "category = 'housing'"),
		  2);
	CHECK_CONTAINS(r.src.options, "--category food,housing");
	run_release(&r);

	/* neither a column nor a category: a usage error naming both */
	{
		static const struct refusal bad[] = {
		    {{"fixed.csv", NULL, NULL, CORE_EUSAGE,
		      .has = {"'pizza' is neither a column of fixed.csv (",
			      ") nor a category; valid codes are ",
			      "food, housing",
			      "the columns are: name, lat, lon"}},
		     .kind = IMP_ASSETS,
		     .category = "pizza"},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}
	core_ws_close(ws);
}

static void test_assets_geojson(void)
{
	struct core_ws *ws = test_new_ws("gj.db");
	const char *path = test_write("points.geojson", points_geojson);
	struct run r;

	run_init(&r, IMP_ASSETS, path);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_accepted, 2);
	CHECK_STR(r.src.format, "GeoJSON");
	CHECK_STR(r.src.options, "--name name --id id --phone phone");
	CHECK_NEAR(
	    test_q_double(
		ws, "SELECT ST_X(geom) FROM assets WHERE source_key = 'ch'"),
	    -122.4193, 1e-9);
	CHECK_NEAR(
	    test_q_double(
		ws, "SELECT ST_Y(geom) FROM assets WHERE source_key = 'ch'"),
	    37.7793, 1e-9);
	CHECK_Q(ws, "SELECT phone FROM assets WHERE source_key = 'ch'", "311");
	CHECK_Q(ws, "SELECT source_line FROM assets WHERE source_key = 'fb'",
		"2");
	CHECK_Q(ws, "SELECT layer FROM sources", "points");
	/* the spatial index is filled */
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM idx_assets_geom"), 2);
	run_release(&r);
	core_ws_close(ws);
}

static void test_assets_reprojected(void)
{
	struct core_ws *ws;
	const char *gj, *shp, *gpkg;
	char *cmd;
	struct run r;

	if (!test_have_commands("ogr2ogr")) {
		test_skip("ogr2ogr not installed (apt-get install gdal-bin)");
		return;
	}
	ws = test_new_ws("proj.db");
	gj = test_write("p4326.geojson", points_geojson);
	shp = test_path("p3310.shp");
	gpkg = test_path("two.gpkg");
	cmd = xasprintf(
	    "ogr2ogr -q -f 'ESRI Shapefile' -s_srs EPSG:4326 -t_srs EPSG:3310 "
	    "'%s' '%s' "
	    "&& ogr2ogr -q -f GPKG -t_srs EPSG:3310 -nln clinics '%s' '%s' "
	    "&& ogr2ogr -q -update -f GPKG -nln pantries '%s' '%s'",
	    shp, gj, gpkg, gj, gpkg, gj);
	CHECK_INT(system(cmd), 0);
	free(cmd);

	run_init(&r, IMP_ASSETS, shp);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_STR(r.src.format, "ESRI Shapefile");
	/* EPSG:3310 metres back to the original lon/lat */
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 2);
	CHECK_NEAR(
	    test_q_double(
		ws, "SELECT ST_X(geom) FROM assets WHERE source_key = 'ch'"),
	    -122.4193, 1e-6);
	CHECK_NEAR(
	    test_q_double(
		ws, "SELECT ST_Y(geom) FROM assets WHERE source_key = 'ch'"),
	    37.7793, 1e-6);
	CHECK_NEAR(
	    test_q_double(
		ws, "SELECT ST_X(geom) FROM assets WHERE source_key = 'fb'"),
	    -122.3933, 1e-6);
	CHECK_NEAR(
	    test_q_double(
		ws, "SELECT ST_Y(geom) FROM assets WHERE source_key = 'fb'"),
	    37.7955, 1e-6);
	run_release(&r);

	/* two layers: must choose */
	{
		const struct refusal bad[] = {
		    {{gpkg, NULL, NULL, CORE_EUSAGE,
		      .has = {"two.gpkg has 2 layers (clinics, pantries); "
			      "choose one with --layer NAME"}},
		     .kind = IMP_ASSETS},
		    {{gpkg, NULL, NULL, CORE_EUSAGE,
		      .has = {"two.gpkg has no layer 'nope'; its layers are: "
			      "clinics, pantries"}},
		     .kind = IMP_ASSETS,
		     .layer = "nope"},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}
	run_init(&r, IMP_ASSETS, gpkg);
	r.o.layer = "clinics";
	r.o.col[IMP_COL_CATEGORY] = "primary_care";
	r.o.no_merge = 1; /* the same sites as the shapefile's, kept apart */
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_STR(r.src.format, "GPKG");
	CHECK_Q(ws, "SELECT layer FROM sources WHERE name = 'two.gpkg'",
		"clinics");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 4);
	CHECK_NEAR(
	    test_q_double(
		ws,
		"SELECT ST_Y(geom) FROM assets WHERE source_key = 'fb' AND "
		"source_id = (SELECT id FROM sources WHERE name = 'two.gpkg')"),
	    37.7955, 1e-6);
	run_release(&r);
	core_ws_close(ws);
}

static void test_assets_kml(void)
{
	struct core_ws *ws;
	const char *gj, *kml;
	char *cmd;
	struct run r;

	if (!test_have_commands("ogr2ogr")) {
		test_skip("ogr2ogr not installed (apt-get install gdal-bin)");
		return;
	}
	ws = test_new_ws("kml.db");
	gj = test_write("k.geojson", points_geojson);
	kml = test_path("sites.kml");
	cmd = xasprintf("ogr2ogr -q -f KML '%s' '%s'", kml, gj);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	run_init(&r, IMP_ASSETS, kml);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets WHERE name IN "
				 "('City Hall', 'Ferry Building')"),
		  2);
	CHECK_NEAR(
	    test_q_double(
		ws, "SELECT ST_X(geom) FROM assets WHERE name = 'City Hall'"),
	    -122.4193, 1e-9);
	run_release(&r);
	core_ws_close(ws);
}

static void test_reimport_replaces(void)
{
	struct core_ws *ws = test_new_ws("again.db");
	const char *path = test_write("again.csv", sites_csv);
	char *first = NULL, *second;
	struct run r;
	int i;

	for (i = 0; i < 2; i++) {
		run_init(&r, IMP_ASSETS, path);
		r.o.col[IMP_COL_NAME] = "Site Name";
		r.o.col[IMP_COL_CATEGORY] = "categories";
		CHECK_INT(run_go(ws, &r), CORE_OK);
		run_release(&r);
		if (i == 0)
			first = xasprintf(
			    "%lld %lld %lld %lld %lld",
			    (long long)test_q_int(
				ws, "SELECT count(*) FROM sources"),
			    (long long)test_q_int(
				ws, "SELECT count(*) FROM assets"),
			    (long long)test_q_int(
				ws, "SELECT count(*) FROM asset_categories"),
			    (long long)test_q_int(
				ws, "SELECT count(*) FROM asset_programs"),
			    (long long)test_q_int(
				ws, "SELECT count(*) FROM idx_assets_geom"));
	}
	second = xasprintf(
	    "%lld %lld %lld %lld %lld",
	    (long long)test_q_int(ws, "SELECT count(*) FROM sources"),
	    (long long)test_q_int(ws, "SELECT count(*) FROM assets"),
	    (long long)test_q_int(ws, "SELECT count(*) FROM asset_categories"),
	    (long long)test_q_int(ws, "SELECT count(*) FROM asset_programs"),
	    (long long)test_q_int(ws, "SELECT count(*) FROM idx_assets_geom"));
	CHECK_STR(first, "1 3 4 3 3");
	CHECK_STR(second, first);
	free(first);
	free(second);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Areas and indicators
 * ------------------------------------------------------------------ */

static void test_areas_geojson(void)
{
	struct core_ws *ws = test_new_ws("areas.db");
	const char *path = test_write("tracts.geojson", tracts_geojson);
	const char *county = test_write(
	    "county.geojson",
	    "{\"type\":\"FeatureCollection\",\"features\":["
	    "{\"type\":\"Feature\",\"properties\":{\"GEOID\":6075,\"NAME\":"
	    "\"San Francisco\",\"POP\":870000},"
	    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-122.52,37."
	    "70],[-122.35,37.70],[-122.35,37.83],[-122.52,37.70]]]}}]}\n");
	struct run r;

	run_init(&r, IMP_AREAS, path);
	r.o.level = "tract";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_STR(r.src.options,
		  "--level tract --name NAMELSAD10 --geoid GEOID10");
	CHECK_INT(r.src.rows_accepted, 3);
	CHECK_INT(r.st.repaired, 1);
	CHECK_INT(
	    test_q_int(ws, "SELECT count(*) FROM areas WHERE level = 'tract'"),
	    3);
	CHECK_INT(test_q_int(
		      ws, "SELECT count(*) FROM areas WHERE GeometryType(geom) "
			  "= 'MULTIPOLYGON' AND SRID(geom) = 4326"),
		  3);
	CHECK_Q(ws, "SELECT name FROM areas WHERE geoid = '06075010100'",
		"Census Tract 101");
	CHECK_INT(test_q_int(ws, "SELECT NumGeometries(geom) FROM areas WHERE "
				 "geoid = '06075010200'"),
		  2);
	/* the bow tie became two valid triangles */
	CHECK_INT(test_q_int(ws, "SELECT ST_IsValid(geom) FROM areas WHERE "
				 "geoid = '06075010300'"),
		  1);
	CHECK_INT(test_q_int(ws, "SELECT NumGeometries(geom) FROM areas WHERE "
				 "geoid = '06075010300'"),
		  2);
	CHECK_NEAR(
	    test_q_double(
		ws,
		"SELECT MbrMinX(geom) FROM areas WHERE geoid = '06075010100'"),
	    -122.42, 1e-9);
	run_release(&r);

	/* an integer GEOID is zero-padded to the level's length */
	run_init(&r, IMP_AREAS, county);
	r.o.level = "county";
	r.o.col[IMP_COL_POPULATION] = "pop";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_Q(ws,
		"SELECT geoid || '|' || name || '|' || population FROM areas "
		"WHERE level = 'county'",
		"06075|San Francisco|870000.0");
	run_release(&r);

	/* the same tracts from another file replace the first ones */
	{
		const char *copy =
		    test_write("tracts_copy.geojson", tracts_geojson);
		run_init(&r, IMP_AREAS, copy);
		r.o.level = "tract";
		CHECK_INT(run_go(ws, &r), CORE_OK);
		CHECK_INT(
		    test_q_int(
			ws, "SELECT count(*) FROM areas WHERE level = 'tract'"),
		    3);
		CHECK_INT(
		    test_q_int(ws,
			       "SELECT count(*) FROM areas WHERE level = "
			       "'tract' AND source_id = (SELECT id FROM "
			       "sources WHERE name = 'tracts_copy.geojson')"),
		    3);
		CHECK_INT(test_q_int(ws, "SELECT count(*) FROM idx_areas_geom"),
			  4);
		run_release(&r);
	}
	core_ws_close(ws);
}

static void test_indicators_csv(void)
{
	struct core_ws *ws = test_new_ws("ind.db");
	const char *tracts = test_write("ind_tracts.geojson", tracts_geojson);
	const char *path = test_write("svi.csv", indicators_csv);
	struct run r;

	run_init(&r, IMP_AREAS, tracts);
	r.o.level = "tract";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	run_release(&r);

	run_init(&r, IMP_INDICATORS, path);
	r.o.col[IMP_COL_POPULATION] = "pop";
	r.o.year = 2018;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_STR(r.st.columns, "pop,poverty,svi");
	CHECK_INT(r.st.values, 9);
	CHECK_INT(r.st.missing, 4);
	CHECK_INT(r.st.population_set, 2);
	/* the 9 values, and the population indicator of the 2 areas with
	 * one (core_area.h) */
	CHECK_INT(
	    test_q_int(
		ws,
		"SELECT count(*) FROM indicators WHERE name <> 'population'"),
	    9);
	CHECK_Q(ws,
		"SELECT group_concat(geoid || ':' || value || ':' || year, "
		"',') FROM (SELECT * FROM indicators WHERE name = 'population' "
		"ORDER BY geoid)",
		"06075010100:3850.0:2018,06075010300:2000.0:2018");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM indicators WHERE geoid "
				 "= '06075010100' AND name <> 'population'"),
		  3);
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT count(*) FROM indicators WHERE value IS NULL"),
	    4);
	CHECK_NEAR(test_q_double(ws, "SELECT value FROM indicators WHERE geoid "
				     "= '06075010100' AND name = 'svi'"),
		   0.6704, 1e-12);
	CHECK_Q(ws,
		"SELECT value FROM indicators WHERE geoid = '06075010200' AND "
		"name = 'pop'",
		"(null)");
	CHECK_Q(ws,
		"SELECT value FROM indicators WHERE geoid = '06075010300' AND "
		"name = 'poverty'",
		"(null)");
	CHECK_Q(ws, "SELECT DISTINCT year FROM indicators", "2018");
	CHECK_Q(ws,
		"SELECT group_concat(name || ':' || label || ':' || year, ',') "
		"FROM (SELECT * FROM indicator_info ORDER BY name)",
		"pop:pop:2018,poverty:poverty:2018,svi:svi:2018");
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT count(*) FROM indicator_info WHERE source_id = "
		       "(SELECT id FROM sources WHERE kind = 'indicators')"),
	    3);
	CHECK_Q(ws, "SELECT population FROM areas WHERE geoid = '06075010100'",
		"3850.0");
	CHECK_Q(ws, "SELECT population FROM areas WHERE geoid = '06075010200'",
		"(null)");
	run_release(&r);

	/* --columns, --missing; a value that is not a number */
	{
		const struct refusal bad[] = {
		    {{path, NULL, NULL, CORE_EFORMAT,
		      .has = {"svi.csv line 4, field poverty: '(X)' is not a "
			      "number"}},
		     .kind = IMP_INDICATORS,
		     .columns = "poverty",
		     .missing = "NA"},
		    {{path, NULL, NULL, CORE_EFORMAT,
		      .has = {"svi.csv: no column 'nope' (given with "
			      "--columns); the columns are: GEOID, NAME, pop, "
			      "poverty, svi"}},
		     .kind = IMP_INDICATORS,
		     .columns = "poverty,nope"},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}
	/* re-import replaces (without --population now: no population
	 * indicator) */
	run_init(&r, IMP_INDICATORS, path);
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM indicators"), 9);
	CHECK_INT(
	    test_q_int(
		ws, "SELECT count(*) FROM sources WHERE kind = 'indicators'"),
	    1);
	run_release(&r);
	core_ws_close(ws);
}

/*
 * Area flags and population, whichever comes first (core_area.h), as the
 * TIGER/ACS/SVI importers keep them: a population table before the
 * polygons, polygons with a land column, then the table again.
 */
static void test_area_flags(void)
{
	struct core_ws *ws = test_new_ws("flags.db");
	/* 101: 0 people (after the table); 102: water only (ALAND10 0);
	 * 103: no population anywhere, land */
	const char *polys =
	    test_write("flag_tracts.geojson",
		       "{\"type\":\"FeatureCollection\",\"features\":["
		       "{\"type\":\"Feature\",\"properties\":{\"GEOID10\":"
		       "\"06075010100\",\"ALAND10\":1000},"
		       "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-"
		       "122.42,37.79],[-122.41,37.79],[-122.41,37.80],[-122.42,"
		       "37.80],[-122.42,37.79]]]}},"
		       "{\"type\":\"Feature\",\"properties\":{\"GEOID10\":"
		       "\"06075010200\",\"ALAND10\":0},"
		       "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-"
		       "122.40,37.79],[-122.39,37.79],[-122.39,37.80],[-122.40,"
		       "37.80],[-122.40,37.79]]]}},"
		       "{\"type\":\"Feature\",\"properties\":{\"GEOID10\":"
		       "\"06075010300\",\"ALAND10\":5000},"
		       "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-"
		       "122.38,37.79],[-122.37,37.79],[-122.37,37.80],[-122.38,"
		       "37.80],[-122.38,37.79]]]}}]}\n");
	const char *pop1 = test_write(
	    "flag_pop1.csv", "GEOID,total\n06075010100,0\n06075010200,1200\n");
	const char *pop2 = test_write(
	    "flag_pop2.csv",
	    "GEOID,total\n06075010100,500\n06075010200,1200\n06075010300,0\n");
	const char *bad = test_write(
	    "flag_bad.geojson",
	    "{\"type\":\"FeatureCollection\",\"features\":["
	    "{\"type\":\"Feature\",\"properties\":{\"GEOID10\":\"06075010100\","
	    "\"ALAND10\":\"lots\"},"
	    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-122.42,37."
	    "79],[-122.41,37.79],[-122.41,37.80],[-122.42,37.79]]]}}]}\n");
	struct run r;

	/* the population first: no area yet, kept in the indicator */
	run_init(&r, IMP_INDICATORS, pop1);
	r.o.col[IMP_COL_POPULATION] = "total";
	r.o.level = "tract";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.population_set, 0);
	CHECK_INT(r.st.no_population, 0);
	CHECK_Q(ws,
		"SELECT group_concat(geoid || ':' || value, ',') FROM (SELECT "
		"* FROM indicators WHERE name = 'population' ORDER BY geoid)",
		"06075010100:0.0,06075010200:1200.0");
	run_release(&r);

	/* the polygons: population from the indicator, flags from both */
	run_init(&r, IMP_AREAS, polys);
	r.o.level = "tract";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_STR(r.src.options,
		  "--level tract --geoid GEOID10 --land ALAND10");
	CHECK_INT(r.st.population_set, 2);
	CHECK_INT(r.st.no_population, 1);
	CHECK_Q(ws,
		"SELECT group_concat(geoid || ':' || ifnull(population, "
		"'null') || ':' || ifnull(land_m2, 'null') || ':' || flags, "
		"',') FROM (SELECT * FROM areas ORDER BY geoid)",
		"06075010100:0.0:1000.0:2,06075010200:1200.0:0.0:1,06075010300:"
		"null:5000.0:0");
	CHECK_INT(core_area_count_flagged(ws, "tract", AREA_FLAG_WATER, &r.err),
		  1);
	run_release(&r);

	/* the table again, newer: 101 has people now, 103 has none */
	run_init(&r, IMP_INDICATORS, pop2);
	r.o.col[IMP_COL_POPULATION] = "total";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.st.population_set, 3);
	CHECK_INT(r.st.no_population, 1);
	CHECK_Q(ws,
		"SELECT group_concat(geoid || ':' || population || ':' || "
		"flags, ',') FROM (SELECT * FROM areas ORDER BY geoid)",
		"06075010100:500.0:0,06075010200:1200.0:1,06075010300:0.0:2");
	/* other bits of flags are kept */
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM areas WHERE flags & ~3"),
		  0);
	run_release(&r);

	/* a land area that is not a number: rejected, nothing changed */
	{
		const struct refusal refused[] = {
		    {{bad, NULL, NULL, CORE_EFORMAT,
		      .has = {"flag_bad.geojson feature 1, field ALAND10: "
			      "'lots' is not a number of 0 or more; the land "
			      "area must be in square metres"}},
		     .kind = IMP_AREAS,
		     .level = "tract"},
		};
		TEST_REFUSALS(ws, refused, refuse);
	}
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Bad input: each fails, names file, line and field, changes nothing.
 * ------------------------------------------------------------------ */

/* The GeoJSON FeatureCollection of two tract polygons with these GEOIDs,
 * the first a triangle and the second with the ring given. */
#define TWO_TRACTS(a, b, ring2)                                                \
	"{\"type\":\"FeatureCollection\",\"features\":["                       \
	"{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"" a "\"},"          \
	"\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-122.4,37.7]"   \
	",[-122.3,37.7],[-122.3,37.8],[-122.4,37.7]]]}},"                      \
	"{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"" b "\"},"          \
	"\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[" ring2          \
	"]]}}]}\n"

static void test_bad_missing_column(void)
{
	struct core_ws *ws = test_new_ws("bad1.db");
	static const struct refusal bad[] = {
	    {{"sites.csv", sites_csv, NULL, CORE_EFORMAT,
	      .msg = "sites.csv: no column 'lat' (given with --lat); the "
		     "columns are: Site Name, Org, street, city, zip, phone, "
		     "latitude, longitude, categories, medi_cal, capacity, "
		     "programs, languages"},
	     .kind = IMP_ASSETS,
	     .lat = "lat"},
	    {{"nocoord.csv", "name,phone\nA,555\n", NULL, CORE_EFORMAT,
	      .msg = "nocoord.csv has no point geometry and no longitude "
		     "column; give the coordinate columns with --lon COL --lat "
		     "COL, or an address column to geocode with --address "
		     "COL; the columns are: name, phone"},
	     .kind = IMP_ASSETS},
	    /* an address and no coordinates: geocoded, here against no
	     * reference addresses */
	    {{"addronly.csv", "name,addr\nA,1 Main\n", NULL, CORE_EFORMAT,
	      .msg = "addronly.csv line 2, field addr: '1 Main' could not be "
		     "geocoded, and the row has no coordinates: no reference "
		     "addresses imported; run 'assetmap import addresses'\n"
		     "nothing was imported"},
	     .kind = IMP_ASSETS},
	    /* half the coordinates: as before, not geocoded */
	    {{"halfcoord.csv", "name,addr,lat\nA,1 Main,37.7\n", NULL,
	      CORE_EFORMAT,
	      .msg = "halfcoord.csv has no point geometry and no longitude "
		     "column; give the coordinate columns with --lon COL --lat "
		     "COL, or an address column to geocode with --address "
		     "COL; the columns are: name, addr, lat"},
	     .kind = IMP_ASSETS},
	    {{"noname.csv", "title,lat,lon\nA,37,-122\n", NULL, CORE_EFORMAT,
	      .has = {"noname.csv: no column for the asset's name (looked for "
		      "name, site_name, agency_name"}},
	     .kind = IMP_ASSETS},
	    {{"noname.csv", NULL, NULL, CORE_EFORMAT,
	      .has = {"noname.csv: no GEOID column (looked for geoid, "
		      "geoid20, geoid10, fips"}},
	     .kind = IMP_AREAS,
	     .level = "tract"},
	};

	TEST_REFUSALS(ws, bad, refuse);
	core_ws_close(ws);
}

static void test_bad_coordinates(void)
{
	struct core_ws *ws = test_new_ws("bad2.db");
	static const struct refusal bad[] = {
	    {{"nonnum.csv",
	      "name,lat,lon\nA,37.7,-122.4\nB,37.7,-122.4\nC,north,-122.4\n",
	      NULL, CORE_EFORMAT,
	      .msg = "nonnum.csv line 4, field lat: 'north' is not a number; "
		     "latitude must be decimal degrees between -90 and 90, "
		     "e.g. 37.7749\nnothing was imported; fix that row, or "
		     "give --skip-bad to import the other 2 rows"},
	     .kind = IMP_ASSETS},
	    {{"range.csv",
	      "name,lat,lon\nA,37.7,-122.4\nB,37.7,-122.4\nC,37.7,-122.4\n"
	      "D,37.7,-122.4\nE,37.7,-122.4\nF,91.5,-122.4\n",
	      NULL, CORE_EFORMAT,
	      .has = {"range.csv line 7, field lat: '91.5' is out of range; "
		      "latitude must be between -90 and 90\n"}},
	     .kind = IMP_ASSETS},
	    /* no CRS, so these metres cannot be lon/lat */
	    {{"far.geojson",
	      "{\"type\":\"FeatureCollection\",\"features\":["
	      "{\"type\":\"Feature\",\"properties\":{\"name\":\"x\"},"
	      "\"geometry\":{\"type\":\"Point\",\"coordinates\":[552000,"
	      "4182000]}}]}\n",
	      NULL, CORE_EFORMAT,
	      .has = {"far.geojson feature 1, field geometry: 'POINT (552000 "
		      "4182000)' is out of range"}},
	     .kind = IMP_ASSETS},
	};

	TEST_REFUSALS(ws, bad, refuse);
	core_ws_close(ws);
}

static void test_bad_geometry(void)
{
	struct core_ws *ws = test_new_ws("bad3.db");
	static const struct refusal bad[] = {
	    {{"few.geojson",
	      TWO_TRACTS("06075010100", "06075010200",
			 "[-122.4,37.7],[-122.3,37.7],[-122.4,37.7]"),
	      NULL, CORE_EFORMAT,
	      .has = {"few.geojson feature 2, field geometry: is not a valid "
		      "polygon",
		      "could not be repaired"}},
	     .kind = IMP_AREAS,
	     .level = "tract"},
	    {{"emptygeom.geojson",
	      "{\"type\":\"FeatureCollection\",\"features\":["
	      "{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"06075010100\"}"
	      ","
	      "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-122.4,37."
	      "7]"
	      ",[-122.3,37.7],[-122.3,37.8],[-122.4,37.7]]]}},"
	      "{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"06075010200\"}"
	      ","
	      "\"geometry\":null},"
	      "{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"06075010300\"}"
	      ","
	      "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[]}}]}\n",
	      NULL, CORE_EFORMAT,
	      .msg = "emptygeom.geojson: 2 rows rejected (the first at feature "
		     "2), nothing was imported; fix them, or give --skip-bad "
		     "to import the 1 good row",
	      .shown = {"emptygeom.geojson feature 2, field geometry: is "
			"empty; every area needs a polygon",
			"emptygeom.geojson feature 3, field geometry: is "
			"empty; every area needs a polygon"},
	      .nshown = 2},
	     .kind = IMP_AREAS,
	     .level = "tract"},
	    {{"nullpt.geojson",
	      "{\"type\":\"FeatureCollection\",\"features\":["
	      "{\"type\":\"Feature\",\"properties\":{\"name\":\"a\"},"
	      "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-122.4,37.7]}}"
	      ","
	      "{\"type\":\"Feature\",\"properties\":{\"name\":\"b\"},"
	      "\"geometry\":null}]}\n",
	      NULL, CORE_EFORMAT,
	      .has = {"nullpt.geojson feature 2, field geometry: is empty; "
		      "every asset needs a point location"}},
	     .kind = IMP_ASSETS},
	    {{"dup.geojson",
	      TWO_TRACTS("06075010100", "06075010100",
			 "[-122.4,37.7],[-122.3,37.7],[-122.3,37.8],"
			 "[-122.4,37.7]"),
	      NULL, CORE_EFORMAT,
	      .has = {"dup.geojson feature 2, field GEOID: '06075010100' "
		      "appears more than once in the file"}},
	     .kind = IMP_AREAS,
	     .level = "tract"},
	    {{"dup.geojson", NULL, NULL, CORE_EFORMAT,
	      .msg = "dup.geojson: all 2 rows were rejected (the first at "
		     "feature 1); nothing was imported",
	      .shown = {"dup.geojson feature 1, field GEOID: '06075010100' is "
			"not a county GEOID; a county GEOID is 5 digits, e.g. "
			"06075"}},
	     .kind = IMP_AREAS,
	     .level = "county"},
	};

	TEST_REFUSALS(ws, bad, refuse);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM sources"), 0);
	core_ws_close(ws);
}

static void test_bad_files(void)
{
	struct core_ws *ws = test_new_ws("bad4.db");
	static const struct refusal bad[] = {
	    {{"empty.csv", "", NULL, CORE_EFORMAT,
	      .msg = "empty.csv is empty (0 bytes); nothing to import"},
	     .kind = IMP_ASSETS},
	    {{"header.csv", "name,lat,lon\n", NULL, CORE_EFORMAT,
	      .msg = "header.csv has a header but no data rows; nothing to "
		     "import"},
	     .kind = IMP_ASSETS},
	    {{"nofeat.geojson",
	      "{\"type\":\"FeatureCollection\",\"features\":[]}\n", NULL,
	      CORE_EFORMAT,
	      .msg = "nofeat.geojson has no features; nothing to import"},
	     .kind = IMP_ASSETS},
	    /* 0x81 and 0x9d are neither UTF-8 nor Windows-1252 */
	    {{"bad1252.csv",
	      "name,lat,lon\nCafe,37.7,-122.4\nCaf\xe9 Nuevo\x81,37.7,-122.4\n",
	      NULL, CORE_EFORMAT,
	      .msg = "bad1252.csv line 3, field name: byte 0x81 is neither "
		     "UTF-8 nor Windows-1252 text; save the file as UTF-8 (in "
		     "Excel: Save As, 'CSV UTF-8') or convert it with 'iconv "
		     "-f YOUR-ENCODING -t UTF-8'"},
	     .kind = IMP_ASSETS},
	    {{"bad1252.geojson",
	      "{\"type\":\"FeatureCollection\",\"features\":[\n"
	      "{\"type\":\"Feature\",\"properties\":{\"name\":"
	      "\"Caf\x9d\"},\"geometry\":{\"type\":\"Point\","
	      "\"coordinates\":[-122.4,37.7]}}]}\n",
	      NULL, CORE_EFORMAT,
	      .has = {"bad1252.geojson line 2: byte 0x9d is neither UTF-8 nor "
		      "Windows-1252 text"}},
	     .kind = IMP_ASSETS},
	    /* UTF-8 text and a Latin-1 byte in one file */
	    {{"mixed.csv",
	      "name,lat,lon\nCaf\xc3\xa9,37.7,-122.4\nCaf\xe9,37.7,-122.4\n",
	      NULL, CORE_EFORMAT,
	      .msg = "mixed.csv mixes encodings: it holds UTF-8 text, but line "
		     "3, field name has byte 0xe9, which is not UTF-8 (in "
		     "Windows-1252 it is '\xc3\xa9'); save the file as UTF-8 "
		     "(in Excel: Save As, 'CSV UTF-8') or convert it with "
		     "'iconv -f YOUR-ENCODING -t UTF-8'"},
	     .kind = IMP_ASSETS},
	    {{"missing.csv", NULL, NULL, CORE_EIO,
	      .has = {"missing.csv: No such file or directory"}},
	     .kind = IMP_ASSETS},
	    {{"notes.txt", "hello\n", NULL, CORE_EFORMAT,
	      .has = {"notes.txt is not a file GDAL can read as vector data"}},
	     .kind = IMP_ASSETS},
	    /* the run's directory itself */
	    {{".", NULL, NULL, CORE_EIO, .has = {"is not a regular file"}},
	     .kind = IMP_ASSETS},
	};

	TEST_REFUSALS(ws, bad, refuse);
	core_ws_close(ws);
}

static void test_bad_values(void)
{
	struct core_ws *ws = test_new_ws("bad5.db");
	static const struct refusal bad[] = {
	    {{"cat.csv",
	      "name,lat,lon,category\nA,37.7,-122.4,food\n"
	      "B,37.7,-122.4,food; pizza\n",
	      NULL, CORE_EFORMAT,
	      .has = {"cat.csv line 3, field category: 'pizza' is not a "
		      "category (to map it, add it to "
		      "data/taxonomy/crosswalk.csv); valid codes are food, "
		      "housing,"}},
	     .kind = IMP_ASSETS},
	    {{"cap.csv",
	      "name,lat,lon,capacity,medi-cal\nA,37.7,-122.4,lots,yes\n", NULL,
	      CORE_EFORMAT,
	      .has = {"cap.csv line 2, field capacity: 'lots' is not a number "
		      "of 0 or more"}},
	     .kind = IMP_ASSETS},
	    {{"medi.csv", "name,lat,lon,medi-cal\nA,37.7,-122.4,sometimes\n",
	      NULL, CORE_EFORMAT,
	      .has = {"medi.csv line 2, field medi-cal: 'sometimes' is not yes "
		      "or no"}},
	     .kind = IMP_ASSETS},
	    {{"prog.csv",
	      "name,lat,lon,programs\nA,37.7,-122.4,"
	      "sobering_centers;free_lunch\n",
	      NULL, CORE_EFORMAT,
	      .has = {"prog.csv line 2, field programs: 'free_lunch' is not a "
		      "Medi-Cal Community Support; valid codes are "
		      "housing_navigation,"}},
	     .kind = IMP_ASSETS},
	    {{"blank.csv", "name,lat,lon\nA,37.7,-122.4\n  ,37.7,-122.4\n",
	      NULL, CORE_EFORMAT,
	      .has = {"blank.csv line 3, field name: has no value; every "
		      "asset needs a name"}},
	     .kind = IMP_ASSETS},
	};

	TEST_REFUSALS(ws, bad, refuse);
	core_ws_close(ws);
}

static void test_skip_bad(void)
{
	struct core_ws *ws = test_new_ws("skip.db");
	const char *path =
	    test_write("mixed.csv", "name,lat,lon\nA,37.7,-122.4\nB,abc,-122."
				    "4\nC,37.8,-122.3\nD,37.7,-200\n");
	struct run r;

	run_init(&r, IMP_ASSETS, path);
	r.o.skip_bad = 1;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_read, 4);
	CHECK_INT(r.src.rows_accepted, 2);
	CHECK_INT(r.src.rows_rejected, 2);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 2);
	CHECK_Q(ws,
		"SELECT rows_read || '|' || rows_accepted || '|' || "
		"rows_rejected FROM sources",
		"4|2|2");
	CHECK_Q(ws,
		"SELECT line || '|' || field || '|' || value || '|' || reason "
		"FROM source_rejects ORDER BY line LIMIT 1",
		"3|lat|abc|is not a number; latitude must be decimal degrees "
		"between -90 and 90, e.g. 37.7749");
	CHECK_Q(ws,
		"SELECT line || '|' || field || '|' || value FROM "
		"source_rejects ORDER BY line DESC LIMIT 1",
		"5|lon|-200");
	run_release(&r);

	/* every row bad: nothing to import, even with --skip-bad */
	{
		static const struct refusal bad[] = {
		    {{"allbad.csv", "name,lat,lon\nA,x,-122.4\n", NULL,
		      CORE_EFORMAT,
		      .has = {"allbad.csv line 2, field lat: 'x' is not a "
			      "number"}},
		     .kind = IMP_ASSETS,
		     .skip_bad = 1},
		};
		TEST_REFUSALS(ws, bad, refuse);
	}
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * The shared public data
 * ------------------------------------------------------------------ */

/* Every CSV goes through core_csv: a file cut mid-row, an open quote, a
 * NUL byte fail naming line and field; short and long rows are
 * rejected; nothing is imported.  Read from memory (o.data), the path
 * that fuzz_import_csv takes. */
static void test_csv_strict(void)
{
	struct core_ws *ws = test_new_ws("strict.db");
	static const char cut[] = "name,lat,lon,address,city\n"
				  "A,37.75,-122.39,1 Main St,SF\n"
				  "B,37.76,-122.40,300 Miss";
	static const char quote[] =
	    "GEOID,pop,rate\n06075010100,100,1.5\n"
	    "06075010200,\"200,2.5\n06075010300,300,3.5\n"
	    "06075010400,400,4.5\n";
	static const char shortrow[] = "GEOID,pop,rate\n06075010100,100,1.5\n"
				       "06075010200,200\n06075010300,300,3.5\n";
	static const char nul[] = "name,lat,lon\nA\0B,37.75,-122.39\n";
	static const char multi[] = "name,note,lat,lon\n"
				    "A,\"two\nlines\",37.75,-122.39\n"
				    "\n"
				    "B,x,95,-122.39\n";
#define DATA(d) .data = d, .size = sizeof(d) - 1
	static const struct refusal bad[] = {
	    {{"cut.csv", NULL, NULL, CORE_EFORMAT,
	      .msg = "cut.csv line 3, field city: is missing: the row has 4 "
		     "fields where the header has 5; a value holding the "
		     "separator ',' must be in double quotes (is the file cut "
		     "short?)\nnothing was imported"},
	     .kind = IMP_ASSETS,
	     .category = "food",
	     .skip_bad = 1,
	     DATA(cut)},
	    {{"quote.csv", NULL, NULL, CORE_EFORMAT,
	      .msg = "quote.csv line 3, field pop: a quoted field is not "
		     "closed before the end of the file; is the file cut "
		     "short, or a quote missing?"},
	     .kind = IMP_INDICATORS,
	     DATA(quote)},
	    {{"short.csv", NULL, NULL, CORE_EFORMAT,
	      .msg = "short.csv line 3, field rate: is missing: the row has 2 "
		     "fields where the header has 3; a value holding the "
		     "separator ',' must be in double quotes\n"
		     "nothing was imported; fix that row, or give --skip-bad "
		     "to import the other 2 rows"},
	     .kind = IMP_INDICATORS,
	     DATA(shortrow)},
	    {{"nul.csv", NULL, NULL, CORE_EFORMAT,
	      .msg = "nul.csv line 2, field name: contains a NUL byte; a CSV "
		     "file is text and never holds one (is it a binary file, "
		     "or saved as UTF-16?)"},
	     .kind = IMP_ASSETS,
	     .category = "food",
	     DATA(nul)},
	    /* lines are the file's: a quoted field over two lines, a
	     * blank */
	    {{"multi.csv", NULL, NULL, CORE_EFORMAT,
	      .has = {"multi.csv line 5, field lat: '95' is out of range"}},
	     .kind = IMP_ASSETS,
	     .category = "food",
	     DATA(multi)},
	};
#undef DATA
	struct run r;

	TEST_REFUSALS(ws, bad, refuse);
	run_init(&r, IMP_INDICATORS, "short.csv");
	r.o.data = shortrow;
	r.o.size = sizeof(shortrow) - 1;
	r.o.skip_bad = 1;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_read, 3);
	CHECK_INT(r.src.rows_accepted, 2);
	CHECK_INT(r.st.values, 4);
	run_release(&r);
	core_ws_close(ws);
}

/* A shapefile's text that is not UTF-8 is read as Windows-1252, with
 * one warning; nothing that is not UTF-8 is stored. */
static void test_dbf_not_utf8(void)
{
	struct core_ws *ws;
	char *cmd, *shp;
	const char *gj;
	struct run r;

	if (!test_have_commands("ogr2ogr")) {
		test_skip("ogr2ogr not installed (apt-get install gdal-bin)");
		return;
	}
	ws = test_new_ws("dbf.db");
	gj = test_write("dbf_src.geojson",
			"{\"type\":\"FeatureCollection\",\"features\":["
			"{\"type\":\"Feature\",\"properties\":{\"name\":\"QQ "
			"Pantry\",\"addr\":\"1 QQ St\"},"
			"\"geometry\":{\"type\":\"Point\",\"coordinates\":[-"
			"122.4193,37.7793]}},"
			"{\"type\":\"Feature\",\"properties\":{\"name\":"
			"\"Clinic QQ\",\"addr\":\"2 Main St\"},"
			"\"geometry\":{\"type\":\"Point\",\"coordinates\":[-"
			"122.3933,37.7955]}}]}\n");
	shp = xasprintf("%s/bad.shp", test_tmpdir());
	cmd = xasprintf(
	    "cd '%s' && rm -f bad.* && ogr2ogr -q -f 'ESRI Shapefile' bad.shp "
	    "'%s' && printf UTF-8 > bad.cpg &&"
	    " python3 -c \"d = open('bad.dbf', 'rb').read(); open('bad.dbf', "
	    "'wb').write(d.replace(b'QQ', b'\\xff\\xfe'))\"",
	    test_tmpdir(), gj);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	run_init(&r, IMP_ASSETS, shp);
	r.o.col[IMP_COL_CATEGORY] = "food";
	r.o.col[IMP_COL_ADDRESS] = "addr";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_STR(
	    r.src.warning ? r.src.warning : "",
	    "bad.shp holds text that is not UTF-8; read it as Windows-1252 "
	    "(the first such character: feature 1, field name, byte 0xff = "
	    "'\xc3\xbf'); save it as UTF-8 to be sure (for a shapefile, a .cpg "
	    "file beside it names the encoding)");
	CHECK_INT(r.src.warnings, 1);
	run_release(&r);
	CHECK_Q(ws,
		"SELECT group_concat(name || '|' || address, ';') FROM (SELECT "
		"* FROM assets ORDER BY id)",
		"\xc3\xbf\xc3\xbe Pantry|1 \xc3\xbf\xc3\xbe St;Clinic "
		"\xc3\xbf\xc3\xbe|2 Main St");
	CHECK_Q(ws, "SELECT encoding || ',' || warnings FROM sources",
		"windows-1252,1");
	free(shp);
	core_ws_close(ws);
}

static void test_shared_food_sites(void)
{
	const char *d = test_need_shared_data();
	struct core_ws *ws;
	char *csv, *gj;
	struct run r;

	if (!d)
		return;
	ws = test_new_ws("food.db");
	csv = xasprintf("%s/haarrrvest-food-bayarea/food_sites_raw.csv", d);
	gj = xasprintf("%s/haarrrvest-food-bayarea/food_sites.geojson", d);

	run_init(&r, IMP_ASSETS, csv);
	r.o.col[IMP_COL_CATEGORY] = "food";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_read, 368);
	CHECK_INT(r.src.rows_accepted, 368);
	CHECK_CONTAINS(r.src.options, "--lon longitude --lat latitude");
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 368);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_categories WHERE "
				 "category = 'food'"),
		  368);
	CHECK_INT(test_q_int(ws,
			     "SELECT count(*) FROM assets WHERE MbrMinX(geom) "
			     "BETWEEN -122.906971 AND -121.561726 AND "
			     "MbrMinY(geom) BETWEEN 36.966743 AND 38.583394"),
		  368);

	run_init(&r, IMP_ASSETS, gj);
	r.o.col[IMP_COL_CATEGORY] = "food";
	r.o.no_merge = 1;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_accepted, 368);
	CHECK_INT(r.src.rows_merged, 0);
	run_release(&r);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM assets"), 736);
	/* the same places either way */
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT count(*) FROM"
		       " (SELECT *, row_number() OVER (ORDER BY source_line) k "
		       "FROM assets WHERE source_id = 1) a JOIN"
		       " (SELECT *, row_number() OVER (ORDER BY source_line) k "
		       "FROM assets WHERE source_id = 2) b"
		       " ON a.k = b.k AND a.name = b.name"
		       " AND abs(ST_X(a.geom) - ST_X(b.geom)) < 1e-9 AND "
		       "abs(ST_Y(a.geom) - ST_Y(b.geom)) < 1e-9"),
	    368);
	free(csv);
	free(gj);
	core_ws_close(ws);
}

static void test_shared_tracts_svi(void)
{
	const char *d = test_need_shared_data();
	struct core_ws *ws;
	char *tracts, *svi;
	struct run r;

	if (!d)
		return;
	ws = test_new_ws("sf.db");
	tracts = xasprintf("%s/sf-tracts/sf_tracts_2010.geojson", d);
	svi = xasprintf("%s/svi-2018-ca/SVI2018_SanFrancisco_tract.csv", d);

	run_init(&r, IMP_AREAS, tracts);
	r.o.level = "tract";
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_accepted, 195);
	run_release(&r);
	CHECK_INT(test_q_int(ws,
			     "SELECT count(*) FROM areas WHERE level = 'tract' "
			     "AND geoid LIKE '06075%' AND length(geoid) = 11"),
		  195);
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT count(*) FROM areas WHERE ST_IsValid(geom) = 1"),
	    195);

	run_init(&r, IMP_INDICATORS, svi);
	r.o.col[IMP_COL_GEOID] = "FIPS";
	r.o.columns = "E_TOTPOP,RPL_THEMES";
	r.o.col[IMP_COL_POPULATION] = "E_TOTPOP";
	r.o.year = 2018;
	CHECK_INT(run_go(ws, &r), CORE_OK);
	CHECK_INT(r.src.rows_read, 196);
	CHECK_INT(r.src.rows_accepted, 196);
	CHECK_INT(r.st.population_set, 195);
	/* the tracts of 0 people, flagged: as counted from the table */
	CHECK_INT(
	    r.st.no_population,
	    test_q_int(
		ws, "SELECT count(*) FROM areas a JOIN indicators i ON i.geoid "
		    "= a.geoid AND i.name = 'E_TOTPOP' WHERE i.value = 0"));
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM areas WHERE (flags & 2) "
				 "!= (population = 0)"),
		  0);
	run_release(&r);
	CHECK_INT(
	    test_q_int(
		ws,
		"SELECT count(*) FROM indicators WHERE name <> 'population'"),
	    392);
	CHECK_INT(
	    test_q_int(
		ws,
		"SELECT count(*) FROM indicators WHERE name = 'population'"),
	    test_q_int(ws, "SELECT count(*) FROM indicators WHERE name = "
			   "'E_TOTPOP' AND value IS NOT NULL"));
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM indicators WHERE name = "
				 "'RPL_THEMES' AND value IS NULL"),
		  1);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM indicators WHERE geoid "
				 "= '06075010100' AND name <> 'population'"),
		  2);
	CHECK_NEAR(test_q_double(ws, "SELECT value FROM indicators WHERE geoid "
				     "= '06075010100' AND name = 'E_TOTPOP'"),
		   3850, 0);
	CHECK_NEAR(
	    test_q_double(
		ws, "SELECT population FROM areas WHERE geoid = '06075010100'"),
	    3850, 0);
	CHECK_INT(
	    test_q_int(
		ws, "SELECT count(*) FROM areas WHERE population IS NOT NULL"),
	    195);
	free(tracts);
	free(svi);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * The command line
 * ------------------------------------------------------------------ */

static void test_cli(void)
{
	static const struct test_cli_case cases[] = {
	    {"-q -d cli.db init", .rc = 0},
	    {"-d cli.db import assets cli_sites.csv --category food", 0,
	     .err = "cli_sites.csv: using --name name --category food --lon "
		    "lon --lat lat\n"
		    "imported 2 assets from cli_sites.csv (0 rejected)\n"},
	    {"-d cli.db import assets cli_bad.csv", 1,
	     .err = "cli_bad.csv: using --name name --lon lon --lat lat\n"
		    "cli_bad.csv line 3, field lat: '91.5' is out of range; "
		    "latitude must be between -90 and 90\n"
		    "cli_bad.csv line 4, field lat: 'x' is not a number; "
		    "latitude must be decimal degrees between -90 and 90, "
		    "e.g. 37.7749\n"
		    "assetmap: error: cli_bad.csv: 2 rows rejected (the first "
		    "at line 3), nothing was imported; fix them, or give "
		    "--skip-bad to import the 1 good row\n"},
	    /* GDAL's own messages never reach the terminal */
	    {"-q -d cli.db import areas cli_bad.geojson --level tract", 1,
	     .err_starts = "assetmap: error: cli_bad.geojson feature 1, "
			   "field geometry: is not a valid polygon",
	     .err_lacks = "ERROR"},
	    {"-d cli.db import things x.csv", 2,
	     .err_has = {"'things' is not something I import; give one of "
			 "assets, areas, indicators, hsds"}},
	    {"-d cli.db import areas cli_bad.geojson", 2,
	     .err_has = {"import areas needs --level "
			 "state|county|tract|blockgroup|zcta"}},
	    {"-d cli.db import assets cli_sites.csv --level tract", .rc = 2},
	    {"-q -d cli.db import assets cli_sites.csv --skip-bad", 0,
	     .err = ""},
	    {"import --help", .rc = 0},
	};

	if (!test_have_cli())
		return;
	test_write("cli_sites.csv",
		   "name,lat,lon\nA,37.7,-122.4\nB,37.8,-122.3\n");
	test_write("cli_bad.csv",
		   "name,lat,lon\nA,37.7,-122.4\nB,91.5,-122.3\nC,x,-122.3\n");
	test_write(
	    "cli_bad.geojson",
	    "{\"type\":\"FeatureCollection\",\"features\":["
	    "{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"06075010200\"},"
	    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-122.4,37.7]"
	    ",[-122.3,37.7],[-122.4,37.7]]]}}]}\n");
	TEST_CLI_CASES(cases);
}

static const struct test tests[] = {TEST(test_assets_csv),
				    TEST(test_assets_fixed_category),
				    TEST(test_assets_geojson),
				    TEST(test_assets_reprojected),
				    TEST(test_assets_kml),
				    TEST(test_reimport_replaces),
				    TEST(test_areas_geojson),
				    TEST(test_indicators_csv),
				    TEST(test_area_flags),
				    TEST(test_bad_missing_column),
				    TEST(test_bad_coordinates),
				    TEST(test_bad_geometry),
				    TEST(test_bad_files),
				    TEST(test_bad_values),
				    TEST(test_skip_bad),
				    TEST(test_csv_strict),
				    TEST(test_dbf_not_utf8),
				    TEST(test_shared_food_sites),
				    TEST(test_shared_tracts_svi),
				    TEST(test_cli),
				    {0}};

int main(void)
{
	int rc = test_main("importers", tests);

	test_libs_shutdown();
	return rc;
}
