/*
 * test_render.c - classification, palettes, projection, loading, and
 * maps drawn end to end from a small synthetic workspace.
 */
#include <cairo.h>
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_taxonomy.h"
#include "core/core_ws.h"
#include "geo/geo_load.h"
#include "geo/geo_proj.h"
#include "render/render_classify.h"
#include "render/render_furniture.h"
#include "render/render_map.h"
#include "render/render_model.h"
#include "render/render_palette.h"
#include "testlib.h"

static void test_number_format(void)
{
	char b[64];
	struct render_classes c;
	const double v[] = {0.013, 0.198, 0.202, 0.5, 0.9};
	struct core_err err = CORE_ERR_INIT;

	render_format_number(1234.5, 1, b, sizeof(b));
	CHECK_STR(b, "1,234.5");
	render_format_number(1234567, 0, b, sizeof(b));
	CHECK_STR(b, "1,234,567");
	render_format_number(-0.001, 2, b, sizeof(b));
	CHECK_STR(b, "0.00");
	render_format_number(-12345.678, 2, b, sizeof(b));
	CHECK_STR(b, "-12,345.68");
	render_format_number(999, 0, b, sizeof(b));
	CHECK_STR(b, "999");
	/* 0.198 and 0.202 both read 0.20 with two decimals: three it is. */
	render_classify_quantile(v, 5, 5, &c, &err);
	CHECK_INT(render_class_decimals(&c), 3);
}

/* ---------------------------------------------------------------------
 * Projection
 * ------------------------------------------------------------------ */

static void test_proj_epsg3310(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_proj *p = NULL;
	double x[2] = {-122.4194, -120}, y[2] = {37.7749, 37.7749};

	CHECK_INT(geo_proj_new("EPSG:3310", &p, &err), CORE_OK);
	if (!p)
		return;
	/* echo "37.7749 -122.4194" | cs2cs -f %.4f EPSG:4326 EPSG:3310 */
	CHECK_INT(geo_proj_fwd(p, x, y, 2, &err), CORE_OK);
	CHECK_NEAR(x[0], -212792.0081, 0.01);
	CHECK_NEAR(y[0], -24127.7073, 0.01);
	CHECK_NEAR(x[1], 0, 0.01); /* the central meridian */
	CHECK_INT(geo_proj_inv(p, x, y, 2, &err), CORE_OK);
	CHECK_NEAR(x[0], -122.4194, 1e-8);
	CHECK_NEAR(y[0], 37.7749, 1e-8);
	CHECK_CONTAINS(geo_proj_label(p), "California Albers");
	CHECK_CONTAINS(geo_proj_label(p), "EPSG:3310");
	CHECK_STR(geo_proj_def(p), "EPSG:3310");
	geo_proj_free(p);
}

static void test_proj_feet_and_errors(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_proj *p = NULL;
	double x = -122.4194, y = 37.7749, nx = NAN, ny = 37;

	/* California zone 3 in US survey feet comes out in metres, the same
	 * as the metre version of the zone (EPSG:26943):
	 * echo "37.7749 -122.4194" | cs2cs -f %.4f EPSG:4326 EPSG:26943 */
	CHECK_INT(geo_proj_new("EPSG:2227", &p, &err), CORE_OK);
	if (p) {
		CHECK_INT(geo_proj_fwd(p, &x, &y, 1, &err), CORE_OK);
		CHECK_NEAR(x, 1830924.1853, 0.01);
		CHECK_NEAR(y, 643223.5249, 0.01);
		CHECK_INT(geo_proj_fwd(p, &nx, &ny, 1, &err), CORE_ELIB);
		CHECK_CONTAINS(err.msg, "point 0");
		geo_proj_free(p);
	}
	p = NULL;
	CHECK_INT(geo_proj_new("EPSG:4326", &p, &err), CORE_EUSAGE);
	CHECK(p == NULL);
	CHECK_CONTAINS(err.msg, "not a projected CRS");
	CHECK_INT(geo_proj_new("EPSG:999999", &p, &err), CORE_ELIB);
	CHECK_CONTAINS(err.msg, "EPSG:999999");
	CHECK_INT(geo_proj_new_laea(200, 0, &p, &err), CORE_EFORMAT);
}

static void test_proj_laea_centre(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_proj *p = NULL;
	double x = -122.44, y = 37.76, k = 0, north = 1;

	CHECK_INT(geo_proj_new_laea(-122.44, 37.76, &p, &err), CORE_OK);
	if (!p)
		return;
	CHECK_INT(geo_proj_fwd(p, &x, &y, 1, &err), CORE_OK);
	CHECK_NEAR(x, 0, 1e-6);
	CHECK_NEAR(y, 0, 1e-6);
	/* True scale and true north at the centre of an azimuthal
	 * projection. */
	CHECK_INT(geo_proj_ground_scale(p, 0, 0, &k, &err), CORE_OK);
	CHECK_NEAR(k, 1, 1e-5);
	CHECK_INT(geo_proj_north_angle(p, 0, 0, &north, &err), CORE_OK);
	CHECK_NEAR(north, 0, 1e-6);
	CHECK_CONTAINS(geo_proj_label(p), "equal-area");
	geo_proj_free(p);

	/* EPSG:3310 west of its central meridian (-120): the meridians
	 * lean toward the cone's apex, so true north is clockwise of grid
	 * north, by about n * 2.42 degrees (n = 0.6 for these parallels). */
	CHECK_INT(geo_proj_new("EPSG:3310", &p, &err), CORE_OK);
	if (!p)
		return;
	x = -122.4194;
	y = 37.7749;
	geo_proj_fwd(p, &x, &y, 1, &err);
	CHECK_INT(geo_proj_north_angle(p, x, y, &north, &err), CORE_OK);
	CHECK_NEAR(north, 0.6 * 2.4194 * M_PI / 180, 0.003);
	geo_proj_free(p);
}

/* Many points on every core: the same bits as one thread, NaN kept or
 * refused, and a failure named by its index in the whole array. */
static void test_proj_par(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_proj *p = NULL;
	const size_t n = GEO_PROJ_PAR_MIN * 2 + 17;
	double *x = xmalloc(n * sizeof(double)),
	       *y = xmalloc(n * sizeof(double));
	double *sx = xmalloc(n * sizeof(double)),
	       *sy = xmalloc(n * sizeof(double));
	size_t i, same = 0;

	CHECK_INT(geo_proj_new("EPSG:5070", &p, &err), CORE_OK);
	if (!p)
		goto done;
	for (i = 0; i < n; i++) {
		x[i] = sx[i] =
		    -124 + 57.0 * (double)((i * 7919) % n) / (double)n;
		y[i] = sy[i] =
		    25 + 24.0 * (double)((i * 104729) % n) / (double)n;
	}
	x[1234] = y[n - 5] = NAN;
	setenv("ASSETMAP_THREADS", "3", 1);
	CHECK_INT(geo_proj_fwd_par(p, x, y, n, 1, &err), CORE_OK);
	CHECK(isnan(x[1234]) && isnan(y[n - 5]));
	/* ... and the other coordinate of such a point as it was */
	CHECK(y[1234] == sy[1234] && x[n - 5] == sx[n - 5]);
	CHECK_INT(geo_proj_fwd(p, sx, sy, 1234, &err), CORE_OK);
	CHECK_INT(geo_proj_fwd(p, sx + 1235, sy + 1235, n - 5 - 1235, &err),
		  CORE_OK);
	CHECK_INT(geo_proj_fwd(p, sx + n - 4, sy + n - 4, 4, &err), CORE_OK);
	for (i = 0; i < n; i++)
		if (i != 1234 && i != n - 5 && x[i] == sx[i] && y[i] == sy[i])
			same++;
	CHECK_INT(same, n - 2);

	/* Without nan_ok the first NaN fails the call, named by its index
	 * in the whole array (the second is in a later range). */
	for (i = 0; i < n; i++) {
		x[i] = -100;
		y[i] = 40;
	}
	x[n / 2 + 3] = NAN;
	y[n - 2] = NAN;
	CHECK_INT(geo_proj_fwd_par(p, x, y, n, 0, &err), CORE_ELIB);
	{
		char want[64];
		snprintf(want, sizeof(want), "point %zu ", n / 2 + 3);
		CHECK_CONTAINS(err.msg, want);
	}
	unsetenv("ASSETMAP_THREADS");
	CHECK_INT(geo_proj_fwd_par(NULL, x, y, n, 0, &err), CORE_OK);
done:
	geo_proj_free(p);
	free(x);
	free(y);
	free(sx);
	free(sy);
}

/* ---------------------------------------------------------------------
 * A synthetic workspace: six square tracts in a 3 x 2 grid, 0.02 degrees
 * a side, with RPL_THEMES 0.1, 0.2, 0.5, 0.6, 0.9 and one with none;
 * four assets.
 * ------------------------------------------------------------------ */

#define X0   -122.50
#define Y0   37.74
#define SIDE 0.02

static const char *const tract_geoid[6] = {"06075000100", "06075000200",
					   "06075000300", "06075000400",
					   "06075000500", "06075000600"};
static const char *const tract_value[6] = {"0.1", "0.2", "0.5",
					   "0.6", "0.9", NULL};

/* Centre of tract i: column i % 3, row i / 3. */
static void tract_centre(int i, double *lon, double *lat)
{
	*lon = X0 + SIDE * (i % 3) + SIDE / 2;
	*lat = Y0 + SIDE * (i / 3) + SIDE / 2;
}

static struct core_ws *make_ws(const char *name, const char *crs)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct core_buf sql = CORE_BUF_INIT;
	char path[600];
	int i;

	snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), name);
	unlink(path);
	if (core_ws_create(path, crs, core_taxonomy_seed, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "core_ws_create: %s", err.msg);
		return NULL;
	}
	core_buf_adds(&sql, "INSERT INTO sources(id, kind, path, name, format, "
			    "checksum, imported_at) VALUES"
			    " (1, 'areas', '/x/tracts.geojson', "
			    "'tracts.geojson', 'GeoJSON', 'c1', '2024-01-01'),"
			    " (2, 'indicators', '/x/svi.csv', 'svi.csv', "
			    "'CSV', 'c2', '2024-01-01');"
			    /* who published them: the map names these */
			    "INSERT INTO source_labels VALUES"
			    " (1, 'U.S. Census Bureau', 'TIGER/Line', '2020'),"
			    " (2, 'CDC/ATSDR', 'SVI', '2018');");
	for (i = 0; i < 6; i++) {
		double x = X0 + SIDE * (i % 3), y = Y0 + SIDE * (i / 3);
		core_buf_addf(&sql,
			      "INSERT INTO areas(source_id, level, geoid, "
			      "name, geom) VALUES"
			      " (1, 'tract', '%s', 'Tract %d', GeomFromText("
			      "'MULTIPOLYGON(((%.6f %.6f, %.6f %.6f, %.6f "
			      "%.6f, %.6f %.6f, %.6f %.6f)))', 4326));",
			      tract_geoid[i], i + 1, x, y, x + SIDE, y,
			      x + SIDE, y + SIDE, x, y + SIDE, x, y);
		if (tract_value[i])
			core_buf_addf(
			    &sql,
			    "INSERT INTO indicators(geoid, name, value, "
			    "source_id) VALUES ('%s', 'RPL_THEMES', %s, 2);",
			    tract_geoid[i], tract_value[i]);
	}
	/* A second indicator, and a county the map must not draw. */
	core_buf_adds(&sql, "INSERT INTO indicators(geoid, name, value) VALUES "
			    "('06075000100', 'EP_POV', 12.5);"
			    "INSERT INTO areas(level, geoid, geom) VALUES "
			    "('county', '06075', GeomFromText("
			    "'MULTIPOLYGON(((-122.6 37.6, -122.3 37.6, -122.3 "
			    "37.9, -122.6 37.9, -122.6 37.6)))', 4326));");
	/* Assets a quarter of the way into tracts 0, 1 and 4 (not at their
	 * centres, which the tests sample), one in two categories. */
	core_buf_addf(&sql,
		      "INSERT INTO assets(id, name, geom) VALUES"
		      " (1, 'Pantry', MakePoint(%.6f, %.6f, 4326)),"
		      " (2, 'Shelter', MakePoint(%.6f, %.6f, 4326)),"
		      " (3, 'Hub', MakePoint(%.6f, %.6f, 4326)),"
		      " (4, 'Clinic', MakePoint(%.6f, %.6f, 4326));",
		      X0 + SIDE * 0.25, Y0 + SIDE * 0.25, X0 + SIDE * 1.25,
		      Y0 + SIDE * 0.25, X0 + SIDE * 1.25, Y0 + SIDE * 1.25,
		      X0 + SIDE * 2.25, Y0 + SIDE * 1.25);
	core_buf_adds(
	    &sql,
	    "INSERT INTO asset_categories VALUES (1, 'food'), (2, 'housing'),"
	    " (3, 'housing'), (3, 'food'), (4, 'primary_care');");
	if (core_ws_exec(ws, &err, core_buf_str(&sql)))
		test_fail(__FILE__, __LINE__, "inserting: %s", err.msg);
	core_buf_release(&sql);
	return ws;
}

static void test_load(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = make_ws("load.db", "EPSG:3310");
	struct geo_proj *p = NULL;
	struct geo_areas *a = NULL;
	struct geo_assets *s = NULL;
	const char *cats[] = {"housing", "food"};
	double x = X0, y = Y0;

	if (!ws)
		return;
	CHECK_INT(geo_proj_for_ws(ws, &p, &err), CORE_OK);
	CHECK_INT(geo_areas_load(ws, "tract", "RPL_THEMES", p, &a, &err),
		  CORE_OK);
	if (a) {
		CHECK_INT(a->n, 6);
		CHECK_INT(a->nparts, 6);
		CHECK_INT(a->nrings, 6);
		CHECK_INT(a->npts, 30);
		CHECK_STR(a->geoid[0], "06075000100");
		CHECK_STR(a->name[2], "Tract 3");
		CHECK_NEAR(a->value[0], 0.1, 1e-12);
		CHECK_NEAR(a->value[4], 0.9, 1e-12);
		CHECK(isnan(a->value[5]));
		CHECK(isnan(a->population[0]));
		CHECK_INT(a->part_start[6], 6);
		CHECK_INT(a->pt_start[1], 5);
		/* Projected: the first point is the grid's corner. */
		geo_proj_fwd(p, &x, &y, 1, &err);
		CHECK_NEAR(a->x[0], x, 1e-6);
		CHECK_NEAR(a->y[0], y, 1e-6);
		CHECK(a->minx <= x && a->miny <= y);
	}
	geo_areas_free(a);
	a = NULL;
	CHECK_INT(geo_areas_load(ws, "zcta", NULL, NULL, &a, &err), CORE_OK);
	CHECK(a && a->n == 0 && a->part_start[0] == 0);
	geo_areas_free(a);

	/* Asset 3 has both: it counts under the first asked, housing. */
	CHECK_INT(geo_assets_load(ws, cats, 2, NULL, &s, &err), CORE_OK);
	if (s) {
		CHECK_INT(s->n, 3);
		CHECK_INT(s->id[0], 1);
		CHECK_INT(s->cat[0], 1);
		CHECK_INT(s->cat[1], 0);
		CHECK_INT(s->id[2], 3);
		CHECK_INT(s->cat[2], 0);
		CHECK_NEAR(s->lon[0], X0 + SIDE * 0.25, 1e-9);
		CHECK_NEAR(s->x[0], X0 + SIDE * 0.25, 1e-9);
	}
	geo_assets_free(s);
	s = NULL;
	CHECK_INT(geo_assets_load(ws, cats + 1, 1, p, &s, &err), CORE_OK);
	CHECK(s && s->n == 2 && s->cat[1] == 0);
	geo_assets_free(s);
	geo_proj_free(p);
	core_ws_close(ws);
}

/* Which indicator a map shades by default, and what --indicator says
 * when the areas have no such values: only names the level's areas have
 * count, in order. */
static void test_default_indicator(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = make_ws("defind.db", "EPSG:3310");
	char *name = NULL;
	int i;

	if (!ws)
		return;
	/* AAA_county sorts first but no tract has it (make_ws gave the
	 * tracts RPL_THEMES and EP_POV). */
	test_exec(ws,
		  "INSERT INTO indicators(geoid, name, value, source_id) VALUES"
		  " ('06075', 'AAA_county', 1, 2),"
		  " ('06075000300', 'B_first', 1, 2),"
		  " ('06075000600', 'my_svi_score', 0.5, 2);");
	CHECK_INT(render_default_indicator(ws, "tract", &name, &err), CORE_OK);
	CHECK_STR(name, "RPL_THEMES");
	free(name);
	test_exec(ws, "DELETE FROM indicators WHERE name = 'RPL_THEMES'");
	CHECK_INT(render_default_indicator(ws, "tract", &name, &err), CORE_OK);
	CHECK_STR(name, "my_svi_score");
	free(name);
	test_exec(ws, "DELETE FROM indicators WHERE name = 'my_svi_score'");
	CHECK_INT(render_default_indicator(ws, "tract", &name, &err), CORE_OK);
	CHECK_STR(name, "B_first");
	free(name);
	CHECK_INT(render_default_indicator(ws, "zcta", &name, &err), CORE_OK);
	CHECK(name == NULL);

	CHECK_INT(
	    render_check_indicator(ws, "tract", "B_first", "--indicator", &err),
	    CORE_OK);
	CHECK_INT(render_check_indicator(ws, "tract", "AAA_county",
					 "--indicator", &err),
		  CORE_ENOTFOUND);
	CHECK_CONTAINS(err.msg,
		       "--indicator: no tract area has a value of "
		       "'AAA_county'; the tract areas have: B_first, EP_POV");
	CHECK(!strstr(err.msg, "AAA_county,") && !strstr(err.msg, ", AAA"));
	CHECK_INT(
	    render_check_indicator(ws, "zcta", "B_first", "--indicator", &err),
	    CORE_ENOTFOUND);
	CHECK_CONTAINS(err.msg, "the zcta areas have no indicators at all");
	/* Eight names, then "...". */
	for (i = 0; i < 10; i++) {
		char sql[200];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO indicators(geoid, name, value, "
			 "source_id) VALUES ('06075000100', 'C%d', 1, 2)",
			 i);
		test_exec(ws, sql);
	}
	CHECK_INT(render_check_indicator(ws, "tract", "nope", "-i", &err),
		  CORE_ENOTFOUND);
	CHECK_CONTAINS(err.msg,
		       "have: B_first, C0, C1, C2, C3, C4, C5, C6, ...");
	core_ws_close(ws);
}

static void test_auto_crs(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = make_ws("auto.db", "auto");
	struct geo_proj *p = NULL;
	/* The extent includes the county square: -122.6..-122.3, 37.6..37.9 */
	double x = -122.45, y = 37.75;

	if (!ws)
		return;
	CHECK_INT(geo_proj_for_ws(ws, &p, &err), CORE_OK);
	if (p) {
		CHECK_CONTAINS(geo_proj_def(p), "+proj=laea");
		CHECK_INT(geo_proj_fwd(p, &x, &y, 1, &err), CORE_OK);
		CHECK_NEAR(x, 0, 1e-6);
		CHECK_NEAR(y, 0, 1e-6);
	}
	geo_proj_free(p);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Maps
 * ------------------------------------------------------------------ */

static void spec_for(struct render_spec *s, enum render_format f)
{
	static const char *const cats[] = {"food", "housing"};

	render_spec_init(s);
	s->format = f;
	s->classes = 3;
	s->palette = "YlOrRd";
	s->categories = cats;
	s->ncategories = 2;
	s->creator = "assetmap test";
	s->date = 1700000000; /* 2023-11-14 */
	/* The inset locator would sit over a tract the tests sample
	 * (render_context's tests check it). */
	s->no_inset = 1;
	if (f == RENDER_PNG) {
		s->width = 1200;
		s->height = 900;
	} else {
		render_page_size("letter", 1, &s->width, &s->height, NULL);
	}
}

static void test_map_png(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = make_ws("png.db", "EPSG:3310");
	struct render_spec spec;
	struct render_map *m = NULL;
	const struct render_classes *c;
	cairo_surface_t *img = NULL;
	char path[600], path2[600];
	static const uint32_t want[6] = {0xffeda0, 0xffeda0,
					 0xfeb24c, 0xfeb24c,
					 0xf03b20, RENDER_NODATA_COLOR};
	double w, h, x, y;
	int i;

	if (!ws)
		return;
	spec_for(&spec, RENDER_PNG);
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_OK);
	if (!m) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		core_ws_close(ws);
		return;
	}
	CHECK_STR(render_map_indicator(m), "RPL_THEMES");
	CHECK_STR(render_map_title(m),
		  "Community assets and social vulnerability");
	CHECK_INT(render_map_area_count(m), 6);
	c = render_map_classes(m);
	/* m = 5, k = 3: ranks 2 and 4 -> {0.1, 0.2} {0.5, 0.6} {0.9} */
	CHECK_INT(c->n, 3);
	CHECK_INT(c->count[0], 2);
	CHECK_INT(c->count[1], 2);
	CHECK_INT(c->count[2], 1);
	CHECK_INT(c->nodata, 1);
	CHECK_INT(render_map_category_count(m), 2);
	CHECK_STR(render_map_category_code(m, 0), "food");
	CHECK_INT(render_map_category_color(m, 0), 0xe6550d);
	CHECK_INT(render_map_category_color(m, 1), 0x3182bd);
	CHECK_INT(render_map_category_shape(m, 0), RENDER_CIRCLE);
	CHECK_INT(render_map_category_shape(m, 1), RENDER_SQUARE);
	/* Asset 3 is food and housing: food, listed first. */
	CHECK_INT(render_map_category_assets(m, 0), 2);
	CHECK_INT(render_map_category_assets(m, 1), 1);
	CHECK_INT(render_map_assets_outside(m), 0);
	{
		double L = render_map_scale_bar_length(m), e;
		e = L / pow(10, floor(log10(L)));
		CHECK(fabs(e - 1) < 1e-9 || fabs(e - 2) < 1e-9 ||
		      fabs(e - 5) < 1e-9);
	}
	render_map_device_size(m, &w, &h);
	CHECK_NEAR(w, 1200, 1e-6);
	CHECK_NEAR(h, 900, 1e-6);

	snprintf(path, sizeof(path), "%s/map.png", test_tmpdir());
	CHECK_INT(render_map_write(m, path, &err), CORE_OK);
	img = cairo_image_surface_create_from_png(path);
	CHECK_INT(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
	if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS) {
		CHECK_INT(cairo_image_surface_get_width(img), 1200);
		CHECK_INT(cairo_image_surface_get_height(img), 900);
		for (i = 0; i < 6; i++) {
			double lon, lat;
			tract_centre(i, &lon, &lat);
			CHECK_INT(
			    render_map_device_xy(m, lon, lat, &x, &y, &err),
			    CORE_OK);
			CHECK(x > 0 && x < w && y > 0 && y < h);
			if (test_pixel(img, x, y) != want[i])
				test_fail(__FILE__, __LINE__,
					  "tract %d at (%.1f, %.1f) is #%06x, "
					  "expected #%06x",
					  i, x, y, test_pixel(img, x, y),
					  want[i]);
		}
		/* Asset 1 (food), 2 (housing), 3 (food first). */
		CHECK_INT(render_map_device_xy(m, X0 + SIDE * 0.25,
					       Y0 + SIDE * 0.25, &x, &y, &err),
			  CORE_OK);
		CHECK_INT(test_pixel(img, x, y), 0xe6550d);
		render_map_device_xy(m, X0 + SIDE * 1.25, Y0 + SIDE * 0.25, &x,
				     &y, &err);
		CHECK_INT(test_pixel(img, x, y), 0x3182bd);
		render_map_device_xy(m, X0 + SIDE * 1.25, Y0 + SIDE * 1.25, &x,
				     &y, &err);
		CHECK_INT(test_pixel(img, x, y), 0xe6550d);
		/* Asset 4 (primary care) was not asked for: tract 5's grey. */
		render_map_device_xy(m, X0 + SIDE * 2.25, Y0 + SIDE * 1.25, &x,
				     &y, &err);
		CHECK_INT(test_pixel(img, x, y), RENDER_NODATA_COLOR);
		/* The page's corner is paper. */
		CHECK_INT(test_pixel(img, 2, 2), 0xffffff);
	}
	cairo_surface_destroy(img);

	/* Same inputs, same bytes. */
	snprintf(path2, sizeof(path2), "%s/map2.png", test_tmpdir());
	CHECK_INT(render_map_write(m, path2, &err), CORE_OK);
	CHECK(test_same_file(path, path2));
	render_map_free(m);
	core_ws_close(ws);
}

static void test_map_pdf(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = make_ws("pdf.db", "EPSG:3310");
	struct render_spec spec;
	struct render_map *m = NULL;
	char path[600], path2[600], cmd[1400];
	char *text;

	if (!ws)
		return;
	spec_for(&spec, RENDER_PDF);
	spec.title = "Assets & need: a test";
	spec.subtitle = "Six tracts";
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_OK);
	if (!m) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		core_ws_close(ws);
		return;
	}
	snprintf(path, sizeof(path), "%s/map.pdf", test_tmpdir());
	CHECK_INT(render_map_write(m, path, &err), CORE_OK);
	snprintf(cmd, sizeof(cmd), "pdftotext '%s' - 2>/dev/null", path);
	text = test_popen(cmd);
	CHECK(text != NULL);
	if (text) {
		CHECK_CONTAINS(text, "Assets & need: a test");
		CHECK_CONTAINS(text, "Six tracts");
		/* SVI percentile ranks as percentages (issue 16, item 2) */
		CHECK_CONTAINS(text, "10% \xe2\x80\x93 20%");
		CHECK_CONTAINS(text, "50% \xe2\x80\x93 60%");
		CHECK(strstr(text, "0.10 \xe2\x80\x93") == NULL);
		CHECK_CONTAINS(text, "No data");
		CHECK_CONTAINS(text, "Food");
		CHECK_CONTAINS(text, "Housing");
		CHECK_CONTAINS(text, "Sources: U.S. Census Bureau TIGER/Line "
				     "2020; CDC/ATSDR SVI 2018.");
		CHECK(!strstr(text, "tracts.geojson"));
		CHECK(!strstr(text, "svi.csv"));
		CHECK_CONTAINS(text, "2023-11-14");
		CHECK_CONTAINS(text, "California Albers");
	}
	free(text);
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s' 2>/dev/null", path);
	text = test_popen(cmd);
	CHECK(text != NULL);
	if (text) {
		CHECK_CONTAINS(text, "Assets & need: a test");
		CHECK_CONTAINS(text, "assetmap test");
		CHECK_CONTAINS(text, "792 x 612 pts");
	}
	free(text);
	/* Vector, fonts embedded: pdffonts lists fonts, each "yes" in its
	 * emb column (the fifth field from the end), and pdfimages lists no
	 * image under its two heading lines. */
	snprintf(cmd, sizeof(cmd), "pdffonts '%s' 2>/dev/null", path);
	text = test_popen(cmd);
	CHECK(text != NULL);
	if (text) {
		char *save = NULL, *line;
		int fonts = 0, emb = 0;

		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *tok[32], *s2 = NULL, *t;
			int n = 0;

			if (strncmp(line, "name ", 5) == 0 ||
			    strncmp(line, "----", 4) == 0)
				continue;
			for (t = strtok_r(line, " ", &s2); t && n < 32;
			     t = strtok_r(NULL, " ", &s2))
				tok[n++] = t;
			if (n < 6)
				continue;
			fonts++;
			emb += strcmp(tok[n - 5], "yes") == 0;
		}
		CHECK(fonts > 0);
		CHECK_INT(emb, fonts);
	}
	free(text);
	snprintf(cmd, sizeof(cmd), "pdfimages -list '%s' 2>/dev/null | wc -l",
		 path);
	text = test_popen(cmd);
	CHECK(text && atoi(text) == 2);
	free(text);
	/* With the date fixed, the PDF is reproducible too. */
	snprintf(path2, sizeof(path2), "%s/map2.pdf", test_tmpdir());
	CHECK_INT(render_map_write(m, path2, &err), CORE_OK);
	CHECK(test_same_file(path, path2));
	render_map_free(m);
	core_ws_close(ws);
}

static void test_map_svg(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = make_ws("svg.db", "auto");
	struct render_spec spec;
	struct render_map *m = NULL;
	char path[600], path2[600], cmd[1400];
	char *svg = NULL;
	size_t n = 0;

	if (!ws)
		return;
	spec_for(&spec, RENDER_SVG);
	spec.categories = NULL; /* every category with assets */
	spec.ncategories = 0;
	spec.palette = NULL;
	spec.units = RENDER_KM;
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_OK);
	if (!m) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		core_ws_close(ws);
		return;
	}
	/* Taxonomy order: food, housing, primary care. */
	CHECK_INT(render_map_category_count(m), 3);
	CHECK_STR(render_map_category_code(m, 2), "primary_care");
	CHECK_INT(render_map_category_shape(m, 2), RENDER_TRIANGLE);
	CHECK_CONTAINS(render_map_crs_label(m), "equal-area");
	snprintf(path, sizeof(path), "%s/map.svg", test_tmpdir());
	CHECK_INT(render_map_write(m, path, &err), CORE_OK);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import xml.dom.minidom,sys; "
		 "xml.dom.minidom.parse(sys.argv[1])' '%s'",
		 path);
	CHECK_INT(system(cmd), 0);
	svg = test_slurp(path, &n);
	CHECK(svg != NULL);
	if (svg) {
		CHECK_CONTAINS(svg, "<svg");
		CHECK_CONTAINS(svg, "792pt");
	}
	free(svg);
	render_map_free(m);
	m = NULL;

	/* Same inputs, same bytes, from the command line (cairo numbers its
	 * surfaces per process, and 'assetmap map' draws one map per
	 * process).  $ASSETMAP is set by 'make test'. */
	if (getenv("ASSETMAP")) {
		int k;
		for (k = 1; k <= 2; k++) {
			snprintf(cmd, sizeof(cmd),
				 "'%s' -q -d '%s/svg.db' map -o '%s/cli%d.svg' "
				 "--category food,housing --units km",
				 getenv("ASSETMAP"), test_tmpdir(),
				 test_tmpdir(), k);
			CHECK_INT(system(cmd), 0);
		}
		snprintf(path, sizeof(path), "%s/cli1.svg", test_tmpdir());
		snprintf(path2, sizeof(path2), "%s/cli2.svg", test_tmpdir());
		CHECK(test_same_file(path, path2));
	}
	core_ws_close(ws);
}

static void test_map_errors(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = make_ws("err.db", "EPSG:3310");
	struct core_ws *empty = NULL;
	struct render_spec spec;
	struct render_map *m = NULL;
	enum render_format f;
	char path[600];
	struct stat sb;

	if (!ws)
		return;
	CHECK_INT(render_format_of_path("a/b.PNG", &f, &err), CORE_OK);
	CHECK_INT(f, RENDER_PNG);
	CHECK_INT(render_format_of_path("b.svg", &f, &err), CORE_OK);
	CHECK_INT(f, RENDER_SVG);
	CHECK_INT(render_format_of_path("b.jpg", &f, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "b.jpg");
	CHECK_INT(render_format_of_path("dir.png/map", &f, &err), CORE_EUSAGE);

	spec_for(&spec, RENDER_PNG);
	spec.indicator = "NOPE";
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_ENOTFOUND);
	CHECK_CONTAINS(err.msg, "EP_POV, RPL_THEMES");
	spec.indicator = NULL;
	spec.level = "parcel";
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_EUSAGE);
	spec.level = "tract";
	spec.palette = "Rainbow";
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "YlOrRd");
	spec.palette = NULL;
	spec.width = 120;
	spec.height = 90;
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "too small");
	CHECK(m == NULL);

	/* A county map: no indicator there, drawn unshaded. */
	spec_for(&spec, RENDER_PNG);
	spec.level = "county";
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_OK);
	if (m) {
		CHECK(render_map_indicator(m) == NULL);
		CHECK_INT(render_map_class_color(m, -1), RENDER_UNSHADED_COLOR);
		/* A failed write names the file and leaves nothing. */
		snprintf(path, sizeof(path), "%s/no/such/dir/map.png",
			 test_tmpdir());
		CHECK_INT(render_map_write(m, path, &err), CORE_EIO);
		CHECK_CONTAINS(err.msg, path);
		CHECK(stat(path, &sb) != 0);
	}
	render_map_free(m);
	m = NULL;

	/* An empty workspace has nothing to map. */
	snprintf(path, sizeof(path), "%s/empty.db", test_tmpdir());
	CHECK_INT(
	    core_ws_create(path, "EPSG:3310", core_taxonomy_seed, &empty, &err),
	    CORE_OK);
	if (empty) {
		spec_for(&spec, RENDER_PNG);
		spec.categories = NULL;
		spec.ncategories = 0;
		CHECK_INT(render_map_build(empty, &spec, &m, &err),
			  CORE_ENOTFOUND);
		CHECK_CONTAINS(err.msg, "nothing to map");
		core_ws_close(empty);
	}
	core_ws_close(ws);
}

static const struct test tests[] = {TEST(test_number_format),
				    TEST(test_proj_epsg3310),
				    TEST(test_proj_feet_and_errors),
				    TEST(test_proj_laea_centre),
				    TEST(test_proj_par),
				    TEST(test_default_indicator),
				    TEST(test_load),
				    TEST(test_auto_crs),
				    TEST(test_map_png),
				    TEST(test_map_pdf),
				    TEST(test_map_svg),
				    TEST(test_map_errors),
				    {NULL, NULL}};

int main(void)
{
	int rc = test_main("render", tests);

	proj_cleanup();
	core_ws_shutdown();
	return rc;
}
