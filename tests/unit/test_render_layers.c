/*
 * test_render_layers.c - the map's layers drawn from a small synthetic
 * workspace and read back: result columns with suppressed cells, cohort
 * counts, classification methods, the bivariate map, deserts, symbols
 * sized by capacity and clustered, symbols marked by partnership status,
 * page size and PDF metadata,
 * reproducible bytes; and all 241 San Francisco 2020 tracts with the food
 * sites, from ../shared/data.
 */
#include <cairo.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_result.h"
#include "core/core_taxonomy.h"
#include "core/core_ws.h"
#include "render/render_map.h"
#include "render/render_model.h"
#include "render/render_palette.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * The fixture: 12 square tracts in a 4 x 3 grid, 0.02 degrees a side.
 * ------------------------------------------------------------------ */

#define X0   -122.50
#define Y0   37.70
#define SIDE 0.02
#define NT   12

/* People per tract in the run's column (-1: none) and the cohort. */
static const int people[NT] = {0, 5, 20, 30, 40, 50, 60, 70, 80, 90, 100, -1};
static const int members[NT] = {0, 4, 15, 25, 12, 30, 0, 11, 40, 3, 50, 20};
static const int acc[NT] = {3, 1, 2, 6, 5, 4, 9, 8, 7, 12, 11, 10};

static void geoid_of(int i, char *buf, size_t n)
{
	snprintf(buf, n, "06075%06d", (i + 1) * 100);
}

/* A point in tract i at fractions (fx, fy) of its side. */
static void tract_at(int i, double fx, double fy, double *lon, double *lat)
{
	*lon = X0 + SIDE * (i % 4) + SIDE * fx;
	*lat = Y0 + SIDE * (i / 4) + SIDE * fy;
}

static struct core_ws *fixture(const char *name)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct core_buf sql = CORE_BUF_INIT;
	char path[600], g[16];
	double lon, lat;
	int i, k, id = 1;

	snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), name);
	unlink(path);
	if (core_ws_create(path, "EPSG:3310", core_taxonomy_seed, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "core_ws_create: %s", err.msg);
		return NULL;
	}
	core_buf_adds(&sql, "INSERT INTO sources(id, kind, path, name, format, "
			    "checksum, imported_at) VALUES"
			    " (1, 'areas', '/x/t.geojson', 't.geojson', "
			    "'GeoJSON', 'c1', '2024-01-01');"
			    "INSERT INTO indicator_info(name, label) VALUES "
			    "('POV', 'Poverty rate');");
	for (i = 0; i < NT; i++) {
		double x = X0 + SIDE * (i % 4), y = Y0 + SIDE * (i / 4);

		geoid_of(i, g, sizeof(g));
		core_buf_addf(&sql,
			      "INSERT INTO areas(source_id, level, geoid, "
			      "name, geom) VALUES"
			      " (1, 'tract', '%s', 'T%d', GeomFromText("
			      "'MULTIPOLYGON(((%.6f %.6f, %.6f %.6f, %.6f "
			      "%.6f, %.6f %.6f, %.6f %.6f)))', 4326));",
			      g, i, x, y, x + SIDE, y, x + SIDE, y + SIDE, x,
			      y + SIDE, x, y);
		if (i < 11)
			core_buf_addf(&sql,
				      "INSERT INTO indicators(geoid, name, "
				      "value) VALUES ('%s', 'POV', %d);",
				      g, i + 1);
		core_buf_addf(&sql,
			      "INSERT INTO indicators(geoid, name, value) "
			      "VALUES ('%s', 'ACC', %d);",
			      g, acc[i]);
	}
	/* A gaps run: people (a cohort count) and a distance. */
	core_buf_adds(
	    &sql,
	    "INSERT INTO runs(id, analysis, params, created_at, level) VALUES"
	    " (7, 'gaps', '{}', '2024-01-01', 'tract'),"
	    " (8, 'deserts', '{\"category\":\"food\",\"within_m\":1609.344}', "
	    "'2024-01-01', 'tract'),"
	    " (9, 'gaps', '{}', '2024-01-01', 'county');"
	    "INSERT INTO results_info(run_id, name, kind, label, sort) VALUES"
	    " (7, 'people', 'cohort_count', 'People in the cohort', 1),"
	    " (7, 'dist', 'distance', 'Distance to food', 2);");
	for (i = 0; i < NT; i++) {
		geoid_of(i, g, sizeof(g));
		if (people[i] >= 0)
			core_buf_addf(&sql,
				      "INSERT INTO results_area VALUES (7, "
				      "'%s', 'people', %d);",
				      g, people[i]);
		core_buf_addf(
		    &sql,
		    "INSERT INTO results_area VALUES (7, '%s', 'dist', %.3f);",
		    g, 1609.344 * (i + 1));
	}
	/* The desert: the middle half of tract 5. */
	{
		double x0, y0, x1, y1;
		tract_at(5, 0.25, 0.25, &x0, &y0);
		tract_at(5, 0.75, 0.75, &x1, &y1);
		core_buf_addf(
		    &sql,
		    "INSERT INTO results_geom(run_id, name, geoid, geom) VALUES"
		    " (8, 'desert_piece', NULL, GeomFromText("
		    "'MULTIPOLYGON(((%.6f %.6f, %.6f %.6f, %.6f %.6f, %.6f "
		    "%.6f, %.6f %.6f)))', 4326));",
		    x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
	}
	/* A point cohort. */
	core_buf_adds(&sql, "INSERT INTO cohorts(id, name, kind, created_at) "
			    "VALUES (1, 'patients', 'points', '2024-01-01');");
	for (i = 0; i < NT; i++) {
		geoid_of(i, g, sizeof(g));
		for (k = 0; k < members[i]; k++) {
			tract_at(i, 0.3 + 0.001 * k, 0.7, &lon, &lat);
			core_buf_addf(&sql,
				      "INSERT INTO cohort_members(cohort_id, "
				      "key_hash, area_geoid, geom) VALUES"
				      " (1, 'h%d_%d', '%s', MakePoint(%.7f, "
				      "%.7f, 4326));",
				      i, k, g, lon, lat);
		}
	}
	/* Food with capacities 10, 1000, 100, and six housing assets a
	 * metre apart in tract 10. */
	{
		static const int cap[3] = {10, 1000, 100};
		static const int where[3] = {2, 3, 7};

		for (k = 0; k < 3; k++, id++) {
			tract_at(where[k], 0.5, 0.2, &lon, &lat);
			core_buf_addf(
			    &sql,
			    "INSERT INTO assets(id, name, capacity, geom) "
			    "VALUES (%d, 'F%d', %d, MakePoint(%.7f, %.7f, "
			    "4326));"
			    "INSERT INTO asset_categories VALUES (%d, 'food');",
			    id, k, cap[k], lon, lat, id);
		}
		for (k = 0; k < 6; k++, id++) {
			tract_at(10, 0.5 + 0.0005 * k, 0.5, &lon, &lat);
			core_buf_addf(
			    &sql,
			    "INSERT INTO assets(id, name, geom) VALUES (%d, "
			    "'H%d', MakePoint(%.7f, %.7f, 4326));"
			    "INSERT INTO asset_categories VALUES (%d, "
			    "'housing');",
			    id, k, lon, lat, id);
		}
	}
	if (core_ws_exec(ws, &err, core_buf_str(&sql))) {
		test_fail(__FILE__, __LINE__, "fixture: %s", err.msg);
		core_ws_close(ws);
		ws = NULL;
	}
	core_buf_release(&sql);
	return ws;
}

static const char *const fixture_cats[] = {"food", "housing"};

static void spec_for(struct render_spec *s, enum render_format f)
{
	render_spec_init(s);
	s->format = f;
	s->classes = 3;
	s->palette = "YlOrRd";
	s->categories = fixture_cats;
	s->ncategories = 2;
	s->creator = "assetmap test";
	s->date = 1700000000;
	s->outline = "none";
	s->no_labels = 1;
	s->no_inset = 1;
	if (f == RENDER_PNG) {
		s->width = 1600;
		s->height = 1200;
	} else {
		render_page_size("letter", 1, &s->width, &s->height, NULL);
	}
}

/* ---------------------------------------------------------------------
 * Reading output back
 * ------------------------------------------------------------------ */

/* Pixels of colour c, and pixels darker than dark, in a box of half side
 * r around (x, y). */
static void window(cairo_surface_t *s, double x, double y, int r, uint32_t c,
		   int dark, int *nc, int *nd)
{
	int dx, dy;

	*nc = *nd = 0;
	for (dy = -r; dy <= r; dy++)
		for (dx = -r; dx <= r; dx++) {
			uint32_t p = test_pixel(s, x + dx, y + dy);
			if (p == c)
				(*nc)++;
			if (test_luma(p) < dark)
				(*nd)++;
		}
}

static char *pdf_text(const char *path)
{
	char cmd[800];

	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' - 2>/dev/null",
		 path);
	return test_popen(cmd);
}

/* Build and write; the map stays for questions.  NULL on failure. */
static struct render_map *draw(struct core_ws *ws,
			       const struct render_spec *spec, const char *file,
			       char *path, size_t n)
{
	struct core_err err = CORE_ERR_INIT;
	struct render_map *m = NULL;

	snprintf(path, n, "%s/%s", test_tmpdir(), file);
	if (render_map_build(ws, spec, &m, &err)) {
		test_fail(__FILE__, __LINE__, "build %s: %s", file, err.msg);
		return NULL;
	}
	if (render_map_write(m, path, &err)) {
		test_fail(__FILE__, __LINE__, "write %s: %s", file, err.msg);
		render_map_free(m);
		return NULL;
	}
	return m;
}

/* Device position of tract i at (fx, fy). */
static void dev_at(const struct render_map *m, int i, double fx, double fy,
		   double *x, double *y)
{
	struct core_err err = CORE_ERR_INIT;
	double lon, lat;

	tract_at(i, fx, fy, &lon, &lat);
	render_map_device_xy(m, lon, lat, x, y, &err);
}

/* ---------------------------------------------------------------------
 * Values: a result column with suppressed cells
 * ------------------------------------------------------------------ */

static void test_result_column(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = fixture("res.db");
	struct core_result_table *t = NULL;
	struct render_spec spec;
	struct render_map *m;
	cairo_surface_t *img;
	char path[600], pdf[600], *txt;
	size_t sup = 0, r;
	int i, nc, nd;

	if (!ws)
		return;
	/* The reference: what core says must be hidden. */
	CHECK_INT(core_result_table_load(ws, 7, &t, &err), CORE_OK);
	for (r = 0; t && r < t->nrows; r++)
		sup += t->suppressed[r * t->ncols + 0];
	CHECK(sup >= 1);
	spec_for(&spec, RENDER_PNG);
	spec.indicator = "7:people";
	m = draw(ws, &spec, "res.png", path, sizeof(path));
	if (!m)
		goto cleanup;
	CHECK_INT(render_map_suppressed_count(m), sup);
	CHECK_INT(render_map_nodata_count(m), 1); /* tract 11 */
	CHECK_INT(render_map_area_class(m, 1), RENDER_CLASS_SUPPRESSED);
	CHECK_INT(render_map_area_class(m, 11), RENDER_CLASS_NODATA);
	CHECK(render_map_area_class(m, 0) >= 0); /* 0 is a real zero */
	{
		const struct render_classes *c = render_map_classes(m);
		size_t total = 0;
		int k;
		for (k = 0; k < c->n; k++)
			total += c->count[k];
		CHECK_INT(total + sup + 1, NT);
		CHECK_INT(c->nodata, 1);
	}
	img = cairo_image_surface_create_from_png(path);
	CHECK_INT(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
	for (i = 0; i < NT; i++) {
		double x, y;
		int c = render_map_area_class(m, i);

		/* between the food symbols and the cluster in tract 10 */
		dev_at(m, i, 0.5, 0.65, &x, &y);
		if (c == RENDER_CLASS_SUPPRESSED) {
			/* flat grey, no pattern: hatching is a desert's */
			window(img, x, y, 8, RENDER_SUPPRESSED_COLOR, 150, &nc,
			       &nd);
			if (nc < 280 || nd > 0)
				test_fail(__FILE__, __LINE__,
					  "suppressed tract %d is not flat "
					  "grey (%d of 289 pixels, %d dark)",
					  i, nc, nd);
		} else if (test_pixel(img, x, y) !=
			   render_map_class_color(m, c)) {
			test_fail(__FILE__, __LINE__,
				  "tract %d is #%06x, class %d is #%06x", i,
				  test_pixel(img, x, y), c,
				  render_map_class_color(m, c));
		}
	}
	cairo_surface_destroy(img);
	render_map_free(m);

	spec_for(&spec, RENDER_PDF);
	spec.indicator = "7:people";
	m = draw(ws, &spec, "res.pdf", pdf, sizeof(pdf));
	render_map_free(m);
	txt = pdf_text(pdf);
	if (txt) {
		CHECK_CONTAINS(txt, "People in the cohort");
		CHECK_CONTAINS(txt, "Quantiles of census tracts");
		CHECK_CONTAINS(txt, "Suppressed (1\xe2\x80\x93"
				    "10)");
		CHECK_CONTAINS(txt, "No data");
		CHECK_CONTAINS(
		    txt,
		    "Counts from 1 to 10 are suppressed to protect privacy.");
		/* -layout keeps the count on the row, after spaces */
		{
			char *p = strstr(txt, "Suppressed (1\xe2\x80\x93"
					      "10)");
			char *e = p ? strchr(p, '\n') : NULL;
			char num[16];
			snprintf(num, sizeof(num), " %zu", sup);
			if (p && e) {
				*e = '\0';
				CHECK_CONTAINS(p, num);
				*e = '\n';
			}
		}
		free(txt);
	} else {
		test_fail(__FILE__, __LINE__, "pdftotext failed on %s", pdf);
	}

	/* A distance column comes in miles. */
	spec_for(&spec, RENDER_PNG);
	spec.indicator = "7:dist";
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_OK);
	if (m) {
		CHECK_NEAR(render_map_classes(m)->lo[0], 1, 1e-9);
		CHECK_NEAR(render_map_classes(m)->hi[2], 12, 1e-9);
		CHECK_INT(render_map_suppressed_count(m), 0);
		render_map_free(m);
	}
	/* Errors name the reference. */
	spec.indicator = "7:nope";
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_ENOTFOUND);
	CHECK_CONTAINS(err.msg, "has no per-area column 'nope'");
	CHECK_CONTAINS(err.msg, "people, dist");
	spec.indicator = "9:people";
	CHECK(render_map_build(ws, &spec, &m, &err) != CORE_OK);
	CHECK_CONTAINS(err.msg, "--level county");
	spec.indicator = "99:people";
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_ENOTFOUND);
	CHECK_CONTAINS(err.msg, "99:people");
cleanup:
	core_result_table_free(t);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * A cohort: counts per area, never points
 * ------------------------------------------------------------------ */

static void test_cohort(void)
{
	struct core_ws *ws = fixture("cohort.db");
	struct render_spec spec;
	struct render_map *m;
	cairo_surface_t *img;
	char path[600], pdf[600], *txt;
	int i;

	if (!ws)
		return;
	spec_for(&spec, RENDER_PNG);
	spec.cohort = "patients";
	spec.no_assets = 1;
	m = draw(ws, &spec, "cohort.png", path, sizeof(path));
	if (!m)
		goto cleanup;
	CHECK_INT(render_map_category_count(m), 0);
	CHECK_INT(render_map_suppressed_count(m), 2); /* 4 and 3 */
	CHECK_INT(render_map_nodata_count(m), 0);
	for (i = 0; i < NT; i++) {
		int small = members[i] >= 1 && members[i] <= 10;
		CHECK_INT(render_map_area_class(m, i) ==
			      RENDER_CLASS_SUPPRESSED,
			  small);
	}
	/* Zero is a class of its own values, the lowest. */
	CHECK_INT(render_map_area_class(m, 0), 0);
	CHECK_INT(render_map_area_class(m, 6), 0);
	CHECK_NEAR(render_map_classes(m)->lo[0], 0, 0);
	img = cairo_image_surface_create_from_png(path);
	/* Where the members are, only their tract's colour: no dots. */
	for (i = 0; i < NT; i++) {
		double x, y;
		int c = render_map_area_class(m, i), k;

		if (c < 0 || members[i] == 0)
			continue;
		for (k = 0; k < members[i]; k += 5) {
			dev_at(m, i, 0.3 + 0.001 * k, 0.7, &x, &y);
			if (test_pixel(img, x, y) !=
			    render_map_class_color(m, c))
				test_fail(__FILE__, __LINE__,
					  "member %d of tract %d: #%06x, tract "
					  "colour #%06x",
					  k, i, test_pixel(img, x, y),
					  render_map_class_color(m, c));
		}
	}
	cairo_surface_destroy(img);
	render_map_free(m);

	spec_for(&spec, RENDER_PDF);
	spec.cohort = "patients";
	m = draw(ws, &spec, "cohort.pdf", pdf, sizeof(pdf));
	render_map_free(m);
	txt = pdf_text(pdf);
	CHECK(txt != NULL);
	if (txt) {
		CHECK_CONTAINS(txt, "Cohort patients: people per area");
		CHECK_CONTAINS(txt, "Suppressed");
		CHECK_CONTAINS(txt, "Counts from 1 to 10 are suppressed");
		free(txt);
	}
cleanup:
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Methods, the legend's note, the palette warning
 * ------------------------------------------------------------------ */

static void test_methods(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = fixture("meth.db");
	static const double br[2] = {2.5, 9};
	static const struct {
		enum render_method m;
		const char *note;
	} meth[] = {
	    {RENDER_QUANTILE, "POV: Quantiles of census tracts"},
	    {RENDER_EQUAL, "POV: Equal intervals of census tracts"},
	    {RENDER_JENKS, "POV: Natural breaks (Jenks) of census tracts"},
	    {RENDER_STDDEV, "POV: Standard deviations of census tracts"},
	    {RENDER_MANUAL, "POV: Manual breaks of census tracts"},
	};
	struct render_spec spec;
	struct render_map *m;
	char pdf[600], *txt;
	size_t i;

	if (!ws)
		return;
	for (i = 0; i < sizeof(meth) / sizeof(meth[0]); i++) {
		spec_for(&spec, RENDER_PDF);
		spec.indicator = "POV";
		spec.method = meth[i].m;
		spec.breaks = br;
		spec.nbreaks = 2;
		m = draw(ws, &spec, "meth.pdf", pdf, sizeof(pdf));
		if (!m)
			continue;
		CHECK(render_map_warning(m) == NULL);
		if (meth[i].m == RENDER_MANUAL) {
			/* 1 2 | 3 .. 9 | 10 11 */
			const struct render_classes *c = render_map_classes(m);
			CHECK_INT(c->n, 3);
			CHECK_INT(c->count[0], 2);
			CHECK_INT(c->count[1], 7);
			CHECK_INT(c->count[2], 2);
		}
		render_map_free(m);
		txt = pdf_text(pdf);
		CHECK(txt != NULL);
		if (txt) {
			CHECK_CONTAINS(txt, meth[i].note);
			CHECK_CONTAINS(txt, "Poverty rate");
			CHECK_CONTAINS(txt, "No data");
			/* No privacy note for an indicator. */
			CHECK(!strstr(txt, "suppressed to protect"));
			free(txt);
		}
	}
	/* An unsafe palette draws, with a warning. */
	spec_for(&spec, RENDER_PNG);
	spec.indicator = "POV";
	spec.palette = "Spectral";
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_OK);
	if (m) {
		CHECK_CONTAINS(render_map_warning(m), "Spectral");
		CHECK_CONTAINS(render_map_warning(m), "colour-blind");
		render_map_free(m);
	}
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Bivariate
 * ------------------------------------------------------------------ */

/* Tertile of v among sorted values (the quantile rule, k = 3). */
static int tertile(const int *sorted, int n, int v)
{
	int b1 = sorted[(n + 2) / 3 - 1], b2 = sorted[(2 * n + 2) / 3 - 1];

	return v <= b1 ? 0 : v <= b2 ? 1 : 2;
}

static void test_bivariate(void)
{
	struct core_ws *ws = fixture("bivar.db");
	const struct render_bivar_palette *bp = render_bivar_find(NULL);
	static const int pov_sorted[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
	static const int acc_sorted[12] = {1, 2, 3, 4,	5,  6,
					   7, 8, 9, 10, 11, 12};
	struct render_spec spec;
	struct render_map *m;
	cairo_surface_t *img;
	char path[600], pdf[600], *txt;
	int i;

	if (!ws || !bp)
		return;
	spec_for(&spec, RENDER_PNG);
	spec.bivar_x = "POV";
	spec.bivar_y = "ACC";
	spec.no_assets = 1;
	m = draw(ws, &spec, "bivar.png", path, sizeof(path));
	if (!m)
		goto cleanup;
	CHECK(render_map_is_bivariate(m));
	img = cairo_image_surface_create_from_png(path);
	for (i = 0; i < NT; i++) {
		double x, y;
		int want, cx, cy;

		if (i == 11) {
			want = RENDER_CLASS_NODATA;
		} else {
			cx = tertile(pov_sorted, 11, i + 1);
			cy = tertile(acc_sorted, 12, acc[i]);
			want = cy * 3 + cx;
		}
		CHECK_INT(render_map_area_class(m, i), want);
		dev_at(m, i, 0.5, 0.5, &x, &y);
		if (test_pixel(img, x, y) !=
		    (want < 0 ? RENDER_NODATA_COLOR
			      : bp->colors[want / 3][want % 3]))
			test_fail(__FILE__, __LINE__,
				  "tract %d is #%06x, cell %d", i,
				  test_pixel(img, x, y), want);
	}
	cairo_surface_destroy(img);
	render_map_free(m);

	spec_for(&spec, RENDER_PDF);
	spec.bivar_x = "POV";
	spec.bivar_y = "7:people";
	m = draw(ws, &spec, "bivar.pdf", pdf, sizeof(pdf));
	if (m) {
		/* a suppressed axis makes the area suppressed */
		CHECK_INT(render_map_area_class(m, 1), RENDER_CLASS_SUPPRESSED);
		CHECK(render_map_suppressed_count(m) >= 1);
		render_map_free(m);
	}
	txt = pdf_text(pdf);
	CHECK(txt != NULL);
	if (txt) {
		CHECK_CONTAINS(txt, "Higher need \xe2\x86\x92");
		CHECK_CONTAINS(txt, "Need: Poverty rate");
		CHECK_CONTAINS(txt, "Access: People in the cohort");
		CHECK_CONTAINS(txt, "Suppressed");
		CHECK_CONTAINS(txt, "Counts from 1 to 10 are suppressed");
		free(txt);
	}
	/* The rotated axis label is text too. */
	{
		char cmd[800], *raw;
		snprintf(cmd, sizeof(cmd), "pdftotext -raw '%s' - 2>/dev/null",
			 pdf);
		raw = test_popen(cmd);
		for (char *p = raw; p && *p; p++)
			if (*p == '\n')
				*p = ' ';
		CHECK(raw && strstr(raw, "More access \xe2\x86\x92"));
		free(raw);
	}
cleanup:
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Deserts
 * ------------------------------------------------------------------ */

static void test_deserts(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = fixture("des.db");
	struct render_spec spec;
	struct render_map *m;
	cairo_surface_t *img;
	char path[600], pdf[600], *txt;
	double x, y;
	int nc, nd, nc2, nd2;

	if (!ws)
		return;
	spec_for(&spec, RENDER_PNG);
	spec.indicator = "POV";
	spec.deserts = "deserts";
	spec.no_assets = 1;
	m = draw(ws, &spec, "des.png", path, sizeof(path));
	if (!m)
		goto cleanup;
	CHECK_INT(render_map_desert_rings(m), 1);
	CHECK_STR(render_map_desert_label(m), "Farther than 1 mi from food");
	img = cairo_image_surface_create_from_png(path);
	/* Inside the desert: the tract's colour between dark lines. */
	dev_at(m, 5, 0.5, 0.5, &x, &y);
	window(img, x, y, 10,
	       render_map_class_color(m, render_map_area_class(m, 5)), 90, &nc,
	       &nd);
	CHECK(nc > 50);
	CHECK(nd > 20);
	/* Outside it, in the same tract: no lines. */
	dev_at(m, 5, 0.1, 0.1, &x, &y);
	window(img, x, y, 3,
	       render_map_class_color(m, render_map_area_class(m, 5)), 90, &nc2,
	       &nd2);
	CHECK_INT(nd2, 0);
	cairo_surface_destroy(img);
	render_map_free(m);

	spec_for(&spec, RENDER_PDF);
	spec.indicator = "POV";
	spec.deserts = "8";
	spec.units = RENDER_KM;
	m = draw(ws, &spec, "des.pdf", pdf, sizeof(pdf));
	render_map_free(m);
	txt = pdf_text(pdf);
	CHECK(txt != NULL);
	if (txt) {
		CHECK_CONTAINS(txt, "Farther than 1.61 km from food");
		free(txt);
	}
	/* Not a deserts run. */
	spec.deserts = "7";
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "not a deserts run");
cleanup:
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Suppressed, no data and deserts apart at a glance, in greyscale too
 * ------------------------------------------------------------------ */

/* Mean and standard deviation of the luminance in a box of half side r. */
static void luma_stats(cairo_surface_t *s, double x, double y, int r,
		       double *mean, double *sd)
{
	double sum = 0, sum2 = 0, n = 0;
	int dx, dy;

	for (dy = -r; dy <= r; dy++)
		for (dx = -r; dx <= r; dx++) {
			double l = test_luma(test_pixel(s, x + dx, y + dy));
			sum += l;
			sum2 += l * l;
			n++;
		}
	*mean = sum / n;
	*sd = sqrt(fmax(0, sum2 / n - *mean * *mean));
}

/* Along the top edge of tract i, from fx 0.15 to 0.85: the darkest
 * luminance within 2 pixels across the edge at each pixel step; counts
 * the steps darker than 120 and lighter than 200 (a dotted edge has
 * both, a solid one only dark). */
static void edge_profile(const struct render_map *m, cairo_surface_t *s, int i,
			 int *ndark, int *nlight)
{
	double xa, ya, xb, yb, x;

	dev_at(m, i, 0.15, 1.0, &xa, &ya);
	dev_at(m, i, 0.85, 1.0, &xb, &yb);
	*ndark = *nlight = 0;
	for (x = xa; x <= xb; x += 1) {
		int d, lo = 255;
		for (d = -2; d <= 2; d++) {
			int l = test_luma(test_pixel(s, x, ya + d));
			if (l < lo)
				lo = l;
		}
		if (lo < 120)
			(*ndark)++;
		if (lo > 200)
			(*nlight)++;
	}
}

static void test_patterns(void)
{
	struct core_ws *ws = fixture("pat.db");
	struct render_spec spec;
	struct render_map *m;
	cairo_surface_t *img;
	char path[600], pdf[600], *txt;
	double x, y, ys, ss, yn, sn, yd, sd, yc, sc;
	int nd, nl;

	if (!ws)
		return;
	spec_for(&spec, RENDER_PNG);
	spec.indicator = "7:people"; /* tract 1 suppressed, 11 no data */
	spec.deserts = "8";	     /* the middle of tract 5 */
	spec.no_assets = 1;
	m = draw(ws, &spec, "pat.png", path, sizeof(path));
	if (!m)
		goto cleanup;
	CHECK_INT(render_map_area_class(m, 1), RENDER_CLASS_SUPPRESSED);
	CHECK_INT(render_map_area_class(m, 11), RENDER_CLASS_NODATA);
	img = cairo_image_surface_create_from_png(path);
	dev_at(m, 1, 0.5, 0.5, &x, &y);
	luma_stats(img, x, y, 8, &ys, &ss);
	dev_at(m, 11, 0.5, 0.5, &x, &y);
	luma_stats(img, x, y, 8, &yn, &sn);
	dev_at(m, 5, 0.5, 0.5, &x, &y);
	luma_stats(img, x, y, 8, &yd, &sd);
	dev_at(m, 5, 0.1, 0.1, &x, &y); /* tract 5 outside its desert */
	luma_stats(img, x, y, 3, &yc, &sc);
	/* suppressed: flat light grey; no data: flat white; desert: a
	 * pattern (dark lines over the class colour) */
	CHECK(ss < 2);
	CHECK(sn < 2);
	CHECK(ys > 150 && ys < 225);
	CHECK(yn > 250);
	CHECK(fabs(yn - ys) > 30);
	CHECK(sd > 30);
	CHECK(sc < 2);
	CHECK(yd < yc - 20); /* the hatch darkens the class colour */
	/* no data's edge is dotted: dark and light along it (tract 11's top
	 * edge is the map's: without the dots, white on white) */
	edge_profile(m, img, 11, &nd, &nl);
	CHECK(nd > 5);
	CHECK(nl > 5);
	cairo_surface_destroy(img);
	render_map_free(m);

	/* three legend rows of their own */
	spec_for(&spec, RENDER_PDF);
	spec.indicator = "7:people";
	spec.deserts = "8";
	spec.no_assets = 1;
	m = draw(ws, &spec, "pat.pdf", pdf, sizeof(pdf));
	render_map_free(m);
	txt = pdf_text(pdf);
	CHECK(txt != NULL);
	if (txt) {
		CHECK_CONTAINS(txt, "Suppressed (1\xe2\x80\x93"
				    "10)");
		CHECK_CONTAINS(txt, "No data");
		CHECK_CONTAINS(txt, "Farther than 1 mi from food");
		free(txt);
	}
cleanup:
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Symbols: capacity, clusters
 * ------------------------------------------------------------------ */

static void test_symbols(void)
{
	struct core_ws *ws = fixture("sym.db");
	struct render_spec spec;
	struct render_map *m;
	cairo_surface_t *img;
	char path[600], pdf[600], cmd[900], *txt;
	double x, y, off;
	size_t n;

	if (!ws)
		return;
	spec_for(&spec, RENDER_PNG);
	spec.indicator = "POV";
	spec.size_by_capacity = 1;
	m = draw(ws, &spec, "sym.png", path, sizeof(path));
	if (!m)
		goto cleanup;
	/* Food: capacities 10, 1000, 100 (median 100 at the base size). */
	CHECK_INT(render_map_category_assets(m, 0), 3);
	CHECK_INT(render_map_category_assets(m, 1), 6);
	CHECK_INT(render_map_cluster_count(m), 1);
	render_map_cluster(m, 0, &x, &y, &n);
	CHECK_INT(n, 6);
	img = cairo_image_surface_create_from_png(path);
	/* 0.8 of the base radius out: inside the big symbol, outside the
	 * small one. */
	off = 0.8 * 4 * m->f * m->dev;
	dev_at(m, 3, 0.5, 0.2, &x, &y);
	CHECK_INT(test_pixel(img, x + off, y), 0xe6550d);
	dev_at(m, 2, 0.5, 0.2, &x, &y);
	CHECK_INT(test_pixel(img, x, y), 0xe6550d);
	CHECK(test_pixel(img, x + off, y) != 0xe6550d);
	/* The cluster keeps its category: a ring of housing blue round a
	 * white centre that holds its count. */
	render_map_cluster(m, 0, &x, &y, &n);
	{
		int nc, nd;
		double ring = render_cluster_size(6, m->f) * m->dev / 2 *
			      (1 + RENDER_CLUSTER_HOLE) / 2;

		CHECK_INT(test_pixel(img, x + ring, y), 0x3182bd);
		CHECK_INT(test_pixel(img, x, y - ring), 0x3182bd);
		window(img, x, y, 3, 0x3182bd, 0, &nc, &nd);
		CHECK_INT(nc, 0);
		window(img, x, y, 4, 0xffffff, 0, &nc, &nd);
		CHECK(nc > 10);
	}
	cairo_surface_destroy(img);
	render_map_free(m);

	/* The count inside the cluster, as text in the PDF. */
	spec_for(&spec, RENDER_PDF);
	spec.indicator = "POV";
	m = draw(ws, &spec, "sym.pdf", pdf, sizeof(pdf));
	if (m) {
		CHECK_INT(render_map_cluster_count(m), 1);
		render_map_cluster(m, 0, &x, &y, &n);
		snprintf(cmd, sizeof(cmd),
			 "pdftotext -r 72 -x %d -y %d -W 20 -H 20 '%s' - "
			 "2>/dev/null",
			 (int)x - 10, (int)y - 10, pdf);
		txt = test_popen(cmd);
		CHECK(txt && strstr(txt, "6"));
		free(txt);
		render_map_free(m);
	}
	txt = pdf_text(pdf);
	if (txt) {
		CHECK_CONTAINS(txt, "Nearby assets (number inside)");
		free(txt);
	}
	/* Without clustering: six symbols, the same counts. */
	spec_for(&spec, RENDER_PNG);
	spec.indicator = "POV";
	spec.no_cluster = 1;
	m = draw(ws, &spec, "nocl.png", path, sizeof(path));
	if (m) {
		CHECK_INT(render_map_cluster_count(m), 0);
		CHECK_INT(render_map_category_assets(m, 1), 6);
		img = cairo_image_surface_create_from_png(path);
		dev_at(m, 10, 0.5, 0.5, &x, &y);
		CHECK_INT(test_pixel(img, x, y), 0x3182bd);
		cairo_surface_destroy(img);
		render_map_free(m);
	}
cleanup:
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Partnership status: filled, outlined, muted
 * ------------------------------------------------------------------ */

/*
 * The register over the fixture's assets: food 1 (tract 2) current, food
 * 2 (tract 3) prospective, food 3 (tract 7) former, housing 4 (in the
 * tight group of six in tract 10) current, housing 5 'none', housing 6-9
 * not in the register.  So, worked by hand: 2 current partners, 1
 * prospective, 6 other assets; the five other housing assets gather into
 * one cluster and housing 4 is drawn on its own.
 */
static const char partners_sql[] =
    "INSERT INTO partners(asset_id, status, updated_at) VALUES"
    " (1, 'current', '2026-01-01'), (2, 'prospective', '2026-01-01'),"
    " (3, 'former', '2026-01-01'), (4, 'current', '2026-01-01'),"
    " (5, 'none', '2026-01-01');";

/* The fill of tract i on map m. */
static uint32_t tract_fill(const struct render_map *m, int i)
{
	return render_map_class_color(m, render_map_area_class(m, (size_t)i));
}

static void test_partners(void)
{
	struct core_ws *ws = fixture("partners.db");
	struct core_err err = CORE_ERR_INIT;
	struct render_spec spec;
	struct render_map *m = NULL;
	cairo_surface_t *img;
	char path[600], pdf[600], svg[600], *txt;
	const uint32_t food = 0xe6550d;
	/* cairo's SVG writes colours as percentages */
	const char *food_stroke = "stroke:rgb(90.196078%,33.333333%,5.098039%)";
	double x, y, r, px;
	size_t cur, pro, other, n;
	int k;

	if (!ws)
		return;
	/* No register: an error saying how to load one, no map. */
	spec_for(&spec, RENDER_PNG);
	spec.indicator = "POV";
	spec.partners = RENDER_PARTNERS_ALL;
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_ENOTFOUND);
	CHECK(m == NULL);
	CHECK_CONTAINS(err.msg, "no partnership register");
	CHECK_CONTAINS(err.msg, "assetmap import partners");
	CHECK_CONTAINS(err.msg, "partner set");
	test_exec(ws, partners_sql);

	m = draw(ws, &spec, "partners.png", path, sizeof(path));
	if (!m)
		goto cleanup;
	CHECK_INT(render_map_partners(m, &cur, &pro, &other), 1);
	CHECK_INT(cur, 2);
	CHECK_INT(pro, 1);
	CHECK_INT(other, 6);
	CHECK_INT(render_map_category_assets(m, 0), 3);
	CHECK_INT(render_map_category_assets(m, 1), 6);
	/* Partners are never clustered: five other housing assets are. */
	CHECK_INT(render_map_cluster_count(m), 1);
	render_map_cluster(m, 0, &x, &y, &n);
	CHECK_INT(n, 5);
	img = cairo_image_surface_create_from_png(path);
	r = m->sym_base / 2 * m->dev; /* a circle's radius, pixels */
	/* Current (asset 1): filled, the centre in the food colour. */
	dev_at(m, 2, 0.5, 0.2, &x, &y);
	CHECK_INT(test_pixel(img, x, y), food);
	/* Prospective (asset 2): the centre shows the tract beneath, the
	 * ring (on the circle's edge) is food. */
	dev_at(m, 3, 0.5, 0.2, &x, &y);
	CHECK_INT(test_pixel(img, x, y), tract_fill(m, 3));
	CHECK(tract_fill(m, 3) != food);
	for (k = 0; k < 4; k++) {
		double dx = k == 0 ? r : k == 1 ? -r : 0;
		double dy = k == 2 ? r : k == 3 ? -r : 0;
		CHECK_INT(test_pixel(img, x + dx, y + dy), food);
	}
	/* Between the centre and the ring, still the tract: hollow. */
	CHECK_INT(test_pixel(img, x + 0.35 * r, y), tract_fill(m, 3));
	/* Former (asset 3): muted, faded food, and smaller (0.7): at 0.85
	 * of a full radius out the tract shows. */
	dev_at(m, 7, 0.5, 0.2, &x, &y);
	CHECK_INT(test_pixel(img, x, y), render_muted_color(food));
	CHECK(render_muted_color(food) != food);
	px = test_pixel(img, x + 0.85 * r, y);
	CHECK_INT(px, tract_fill(m, 7));
	cairo_surface_destroy(img);
	render_map_free(m);
	m = NULL;

	/* The same map without status: asset 2's centre is food again. */
	spec.partners = RENDER_PARTNERS_OFF;
	m = draw(ws, &spec, "plain.png", path, sizeof(path));
	if (m) {
		CHECK_INT(render_map_partners(m, &cur, &pro, &other), 0);
		img = cairo_image_surface_create_from_png(path);
		dev_at(m, 3, 0.5, 0.2, &x, &y);
		CHECK_INT(test_pixel(img, x, y), food);
		dev_at(m, 7, 0.5, 0.2, &x, &y);
		CHECK_INT(test_pixel(img, x, y), food);
		cairo_surface_destroy(img);
		render_map_free(m);
		m = NULL;
	}

	/* The legend's words, in the PDF. */
	spec_for(&spec, RENDER_PDF);
	spec.indicator = "POV";
	spec.partners = RENDER_PARTNERS_ALL;
	m = draw(ws, &spec, "partners.pdf", pdf, sizeof(pdf));
	render_map_free(m);
	m = NULL;
	txt = pdf_text(pdf);
	CHECK(txt != NULL);
	if (txt) {
		CHECK_CONTAINS(txt, "Partnership");
		CHECK_CONTAINS(txt, "current partner");
		CHECK_CONTAINS(txt, "prospective partner");
		CHECK_CONTAINS(txt, "other asset");
		CHECK_CONTAINS(txt, "Nearby other assets");
		free(txt);
	}

	/* SVG: the outlined symbol is a stroke of the food colour, which a
	 * map without status never draws. */
	spec_for(&spec, RENDER_SVG);
	spec.indicator = "POV";
	spec.partners = RENDER_PARTNERS_ALL;
	m = draw(ws, &spec, "partners.svg", svg, sizeof(svg));
	render_map_free(m);
	m = NULL;
	txt = test_slurp(svg, NULL);
	CHECK(txt && strstr(txt, food_stroke));
	free(txt);
	spec.partners = RENDER_PARTNERS_OFF;
	m = draw(ws, &spec, "plain.svg", svg, sizeof(svg));
	render_map_free(m);
	m = NULL;
	txt = test_slurp(svg, NULL);
	CHECK(txt && strstr(txt, "<svg") && !strstr(txt, food_stroke));
	free(txt);

	/* Only current partners: assets 1 and 4, no other rows. */
	spec_for(&spec, RENDER_PDF);
	spec.indicator = "POV";
	spec.partners = RENDER_PARTNERS_CURRENT;
	m = draw(ws, &spec, "current.pdf", pdf, sizeof(pdf));
	if (m) {
		CHECK_INT(render_map_partners(m, &cur, &pro, &other), 1);
		CHECK_INT(cur, 2);
		CHECK_INT(pro + other, 0);
		CHECK_INT(render_map_category_assets(m, 0), 1);
		CHECK_INT(render_map_category_assets(m, 1), 1);
		CHECK_INT(render_map_cluster_count(m), 0);
		render_map_free(m);
		m = NULL;
	}
	txt = pdf_text(pdf);
	CHECK(txt && strstr(txt, "current partners only") &&
	      strstr(txt, "current partner") &&
	      !strstr(txt, "prospective partner") &&
	      !strstr(txt, "other asset"));
	free(txt);
	/* Prospective only, and any (current or prospective). */
	spec.partners = RENDER_PARTNERS_PROSPECTIVE;
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_OK);
	if (m) {
		render_map_partners(m, &cur, &pro, &other);
		CHECK_INT(cur, 0);
		CHECK_INT(pro, 1);
		CHECK_INT(other, 0);
		CHECK_INT(render_map_category_assets(m, 0), 1);
		render_map_free(m);
		m = NULL;
	}
	spec.partners = RENDER_PARTNERS_ANY;
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_OK);
	if (m) {
		render_map_partners(m, &cur, &pro, &other);
		CHECK_INT(cur, 2);
		CHECK_INT(pro, 1);
		CHECK_INT(other, 0);
		render_map_free(m);
		m = NULL;
	}
cleanup:
	render_map_free(m);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Page, metadata, reproducible bytes
 * ------------------------------------------------------------------ */

static void test_page_and_bytes(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = fixture("page.db");
	struct render_spec spec;
	struct render_map *m;
	char a[600], b[600], cmd[1600], *txt;
	double w, h;
	const char *old = getenv("SOURCE_DATE_EPOCH");

	if (!ws)
		return;
	/* letter landscape at 100 dpi: 1100 x 850 pixels */
	spec_for(&spec, RENDER_PNG);
	spec.page = "letter";
	spec.dpi = 100;
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_OK);
	if (m) {
		render_map_device_size(m, &w, &h);
		CHECK_NEAR(w, 1100, 1e-9);
		CHECK_NEAR(h, 850, 1e-9);
		render_map_free(m);
	}
	spec.portrait = 1;
	spec.dpi = 0; /* the default, 200 */
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_OK);
	if (m) {
		render_map_device_size(m, &w, &h);
		CHECK_NEAR(w, 1700, 1e-9);
		CHECK_NEAR(h, 2200, 1e-9);
		render_map_free(m);
	}
	spec.dpi = 5;
	CHECK_INT(render_map_build(ws, &spec, &m, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "--dpi");

	/* The same spec twice: the same bytes. */
	spec_for(&spec, RENDER_PNG);
	spec.indicator = "7:people";
	spec.deserts = "8";
	spec.size_by_capacity = 1;
	render_map_free(draw(ws, &spec, "same1.png", a, sizeof(a)));
	render_map_free(draw(ws, &spec, "same2.png", b, sizeof(b)));
	CHECK(test_same_file(a, b));
	spec.format = RENDER_SVG;
	render_page_size("letter", 1, &spec.width, &spec.height, NULL);
	render_map_free(draw(ws, &spec, "same1.svg", a, sizeof(a)));
	render_map_free(draw(ws, &spec, "same2.svg", b, sizeof(b)));
	/* cairo numbers surfaces per process ("surface492"), so within one
	 * process the ids differ; everything else must not. */
	snprintf(cmd, sizeof(cmd),
		 "sed -E 's/surface[0-9]+/surface/g' '%s' | cmp -s - <(sed -E "
		 "'s/surface[0-9]+/surface/g' '%s') && echo same",
		 a, b);
	{
		char bash[1700];
		snprintf(bash, sizeof(bash), "bash -c \"%s\"", cmd);
		txt = test_popen(bash);
		CHECK(txt && strstr(txt, "same"));
		free(txt);
	}
	/* well-formed XML (python3 is among the test packages; xmllint
	 * is not) */
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import xml.dom.minidom,sys; "
		 "xml.dom.minidom.parse(sys.argv[1])' '%s' 2>&1 && echo ok",
		 a);
	txt = test_popen(cmd);
	CHECK(txt && strstr(txt, "ok"));
	free(txt);
	/* PDF: dates from SOURCE_DATE_EPOCH */
	setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
	spec.format = RENDER_PDF;
	spec.date = 0;
	spec.author = "Valley Health Coalition";
	spec.subject = NULL;
	render_map_free(draw(ws, &spec, "same1.pdf", a, sizeof(a)));
	sleep(1);
	render_map_free(draw(ws, &spec, "same2.pdf", b, sizeof(b)));
	CHECK(test_same_file(a, b));
	if (old)
		setenv("SOURCE_DATE_EPOCH", old, 1);
	else
		unsetenv("SOURCE_DATE_EPOCH");
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s' 2>/dev/null", a);
	txt = test_popen(cmd);
	CHECK(txt != NULL);
	if (txt) {
		CHECK_CONTAINS(txt, "Author:          Valley Health Coalition");
		CHECK_CONTAINS(txt, "Subject:         Census tracts shaded by "
				    "People in the cohort");
		CHECK_CONTAINS(txt, "Farther than 1 mi from food hatched");
		CHECK_CONTAINS(txt,
			       "CreationDate:    Thu Jan  1 00:00:00 2026");
		free(txt);
	}
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * San Francisco: 241 tracts of 2020, the food sites
 * ------------------------------------------------------------------ */

static int shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int shell(const char *fmt, ...)
{
	char cmd[2000];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc != 0)
		test_fail(__FILE__, __LINE__, "command failed (%d): %s", rc,
			  cmd);
	return rc;
}

static int point_in_ring(const double *x, const double *y, size_t k0, size_t k1,
			 double px, double py)
{
	size_t i, j;
	int in = 0;

	for (i = k0, j = k1 - 1; i < k1; j = i++)
		if ((y[i] > py) != (y[j] > py) &&
		    px < (x[j] - x[i]) * (py - y[i]) / (y[j] - y[i]) + x[i])
			in = !in;
	return in;
}

/* Distance from (px, py) to the nearest edge of area i's rings. */
static double edge_dist(const struct geo_areas *a, size_t i, double px,
			double py)
{
	double best = HUGE_VAL;
	size_t p, r, k;

	for (p = a->part_start[i]; p < a->part_start[i + 1]; p++)
		for (r = a->ring_start[p]; r < a->ring_start[p + 1]; r++)
			for (k = a->pt_start[r]; k + 1 < a->pt_start[r + 1];
			     k++) {
				double ax = a->x[k], ay = a->y[k];
				double dx = a->x[k + 1] - ax,
				       dy = a->y[k + 1] - ay;
				double l2 = dx * dx + dy * dy, t = 0, ex, ey;
				if (l2 > 0)
					t = ((px - ax) * dx + (py - ay) * dy) /
					    l2;
				t = t < 0 ? 0 : t > 1 ? 1 : t;
				ex = ax + t * dx - px;
				ey = ay + t * dy - py;
				if (ex * ex + ey * ey < best)
					best = ex * ex + ey * ey;
			}
	return sqrt(best);
}

static int inside_area(const struct geo_areas *a, size_t i, double px,
		       double py)
{
	size_t p, r;
	int in = 0;

	for (p = a->part_start[i]; p < a->part_start[i + 1]; p++)
		for (r = a->ring_start[p]; r < a->ring_start[p + 1]; r++)
			if (point_in_ring(a->x, a->y, a->pt_start[r],
					  a->pt_start[r + 1], px, py))
				in = !in;
	return in;
}

static void test_sf_2020(void)
{
	const char *am = getenv("ASSETMAP");
	const char *data = test_need_shared_data();
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct render_spec spec;
	struct render_map *m = NULL;
	cairo_surface_t *img = NULL;
	char db[600], png[600], pdf[600], *txt;
	size_t i, bad = 0, inside = 0;
	sqlite3_stmt *st;
	static const char *const food[] = {"food"};

	if (!data || !test_have_cli())
		return;
	snprintf(db, sizeof(db), "%s/sf2020.db", test_tmpdir());
	if (shell("'%s' -q -d '%s' init --crs EPSG:3310", am, db) ||
	    shell("'%s' -q -d '%s' import areas "
		  "'%s/sf-tracts/sf_tracts_2020.geojson' --level tract --geoid "
		  "GEOID",
		  am, db, data) ||
	    shell("'%s' -q -d '%s' import assets "
		  "'%s/haarrrvest-food-bayarea/food_sites_raw.csv' --category "
		  "food",
		  am, db, data))
		return;
	if (core_ws_open(db, CORE_WS_WRITE, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return;
	}
	/* An indicator for every tract: its rank by GEOID, 1..241. */
	CHECK_INT(
	    core_ws_exec(ws, &err,
			 "INSERT INTO indicators(geoid, name, value)"
			 " SELECT geoid, 'RANK', (SELECT count(*) FROM areas b"
			 "  WHERE b.level = 'tract' AND b.geoid <= a.geoid)"
			 " FROM areas a WHERE level = 'tract'"),
	    CORE_OK);

	/* Every tract drawn in its class colour (no symbols over them). */
	spec_for(&spec, RENDER_PNG);
	spec.indicator = "RANK";
	spec.classes = 5;
	spec.palette = "Blues";
	spec.no_assets = 1;
	spec.width = 2400;
	spec.height = 1800;
	m = draw(ws, &spec, "sf.png", png, sizeof(png));
	if (!m)
		goto cleanup;
	CHECK_INT(render_map_area_count(m), 241);
	img = cairo_image_surface_create_from_png(png);
	for (i = 0; i < m->areas->n; i++) {
		const struct geo_areas *a = m->areas;
		double bx0 = HUGE_VAL, by0 = HUGE_VAL, bx1 = -HUGE_VAL,
		       by1 = -HUGE_VAL, best = -1, bx = 0, by = 0, px, py;
		size_t k;
		int gx, gy;

		for (k = a->pt_start[a->ring_start[a->part_start[i]]];
		     k < a->pt_start[a->ring_start[a->part_start[i + 1]]];
		     k++) {
			bx0 = fmin(bx0, a->x[k]);
			bx1 = fmax(bx1, a->x[k]);
			by0 = fmin(by0, a->y[k]);
			by1 = fmax(by1, a->y[k]);
		}
		/* The sample point farthest from the tract's edges. */
		for (gy = 1; gy < 24; gy++)
			for (gx = 1; gx < 24; gx++) {
				double x = bx0 + (bx1 - bx0) * gx / 24;
				double y = by0 + (by1 - by0) * gy / 24;
				double d;
				if (!inside_area(a, i, x, y))
					continue;
				d = edge_dist(a, i, x, y);
				if (d > best) {
					best = d;
					bx = x;
					by = y;
				}
			}
		if (best < 0) {
			test_fail(__FILE__, __LINE__,
				  "tract %s: no interior point", a->geoid[i]);
			continue;
		}
		render_to_page(m, bx, by, &px, &py);
		if (test_pixel(img, px * m->dev, py * m->dev) !=
		    render_map_class_color(m, render_map_area_class(m, i))) {
			if (bad++ < 5)
				test_fail(
				    __FILE__, __LINE__,
				    "tract %s at (%.0f, %.0f): #%06x, class "
				    "colour #%06x",
				    a->geoid[i], px * m->dev, py * m->dev,
				    test_pixel(img, px * m->dev, py * m->dev),
				    render_map_class_color(
					m, render_map_area_class(m, i)));
		}
	}
	CHECK_INT(bad, 0);
	cairo_surface_destroy(img);
	img = NULL;
	render_map_free(m);

	/* The food sites: the legend counts those inside the frame. */
	spec_for(&spec, RENDER_PDF);
	spec.indicator = "RANK";
	spec.categories = food;
	spec.ncategories = 1;
	m = draw(ws, &spec, "sf.pdf", pdf, sizeof(pdf));
	if (!m)
		goto cleanup;
	CHECK_INT(render_map_area_count(m), 241);
	if (core_ws_prepare(
		ws, &err, &st,
		"SELECT X(geom), Y(geom) FROM assets a WHERE EXISTS"
		" (SELECT 1 FROM asset_categories c WHERE c.asset_id = a.id"
		"  AND c.category = 'food')") == CORE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			double x, y;
			render_map_device_xy(m, sqlite3_column_double(st, 0),
					     sqlite3_column_double(st, 1), &x,
					     &y, &err);
			if (x >= m->frame.x && x <= m->frame.x + m->frame.w &&
			    y >= m->frame.y && y <= m->frame.y + m->frame.h)
				inside++;
		}
		sqlite3_finalize(st);
	}
	CHECK(inside >= 56); /* the sites inside the city, at least */
	CHECK_INT(render_map_category_assets(m, 0), inside);
	txt = pdf_text(pdf);
	CHECK(txt != NULL);
	if (txt) {
		char *p = strstr(txt, "Food "), *e, num[24];
		CHECK(p != NULL);
		snprintf(num, sizeof(num), " %zu", inside);
		e = p ? strchr(p, '\n') : NULL;
		if (e) {
			*e = '\0';
			CHECK_CONTAINS(p, num);
		}
		free(txt);
	}
	render_map_free(m);
	m = NULL;
cleanup:
	if (img)
		cairo_surface_destroy(img);
	render_map_free(m);
	core_ws_close(ws);
}

int main(void)
{
	static const struct test tests[] = {TEST(test_result_column),
					    TEST(test_cohort),
					    TEST(test_methods),
					    TEST(test_bivariate),
					    TEST(test_deserts),
					    TEST(test_patterns),
					    TEST(test_symbols),
					    TEST(test_partners),
					    TEST(test_page_and_bytes),
					    TEST(test_sf_2020),
					    {0}};

	return test_main("render_layers", tests);
}
