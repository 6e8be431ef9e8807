/*
 * test_e2e_sf.c - San Francisco end to end, on the real public data in
 * ../shared/data: import the 2010 tracts, CDC SVI 2018 and the food
 * sites with the assetmap binary, render a PNG and a PDF with it, then
 * read them back: pixel colours at every tract (against quantile classes
 * computed here by brute force) and at every food site, and the PDF's
 * title and legend text with pdftotext.
 */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core_mem.h"
#include "core/core_ws.h"
#include "render/render_map.h"
#include "testlib.h"

#define PNG_W 1600
#define PNG_H 1200

static char ws_path[600], png_path[600], pdf_path[600];
static int ready;

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int run(const char *fmt, ...)
{
	struct core_buf b = CORE_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	core_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	rc = system(b.s);
	if (rc != 0)
		test_fail(__FILE__, __LINE__, "command failed (%d): %s", rc, b.s);
	core_buf_release(&b);
	return rc;
}

static char *capture(const char *cmd)
{
	struct core_buf b = CORE_BUF_INIT;
	char buf[4096];
	size_t n;
	FILE *fp = popen(cmd, "r");

	if (!fp)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		core_buf_add(&b, buf, n);
	pclose(fp);
	return core_buf_detach(&b);
}

/* Import and render once; later tests read the results. */
static void test_import_and_render(void)
{
	const char *am = getenv("ASSETMAP");
	const char *data = test_shared_data();
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	int64_t n;

	if (!data) {
		test_skip("../shared/data is absent");
		return;
	}
	if (!am) {
		test_skip("ASSETMAP is not set (run through make test)");
		return;
	}
	snprintf(ws_path, sizeof(ws_path), "%s/sf.db", test_tmpdir());
	snprintf(png_path, sizeof(png_path), "%s/sf.png", test_tmpdir());
	snprintf(pdf_path, sizeof(pdf_path), "%s/sf.pdf", test_tmpdir());
	setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
	if (run("'%s' -q -d '%s' init --crs EPSG:3310", am, ws_path) ||
	    run("'%s' -q -d '%s' import areas '%s/sf-tracts/sf_tracts_2010.geojson' --level tract --geoid GEOID10",
		am, ws_path, data) ||
	    run("'%s' -q -d '%s' import indicators '%s/svi-2018-ca/SVI2018_SanFrancisco_tract.csv'"
		" --geoid FIPS --columns E_TOTPOP,RPL_THEMES --population E_TOTPOP --year 2018",
		am, ws_path, data) ||
	    run("'%s' -q -d '%s' import assets '%s/haarrrvest-food-bayarea/food_sites_raw.csv' --category food",
		am, ws_path, data) ||
	    run("'%s' -q -d '%s' map -o '%s' --width %d --height %d", am,
		ws_path, png_path, PNG_W, PNG_H) ||
	    run("'%s' -q -d '%s' map -o '%s' --title 'San Francisco food sites and social vulnerability'",
		am, ws_path, pdf_path))
		return;
	CHECK_INT(core_ws_open(ws_path, CORE_WS_READ, &ws, &err), CORE_OK);
	if (!ws)
		return;
	CHECK_INT(core_ws_int(ws, &err, "SELECT count(*) FROM areas WHERE level = 'tract'", &n), 0);
	CHECK_INT(n, 195);
	CHECK_INT(core_ws_int(ws, &err, "SELECT count(*) FROM assets", &n), 0);
	CHECK_INT(n, 368);
	/* -999 is missing: Farallon Islands (06075980401) has no SVI */
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT count(*) FROM indicators WHERE name = 'RPL_THEMES' AND value IS NULL",
			      &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT CAST(sum(population) AS INTEGER) FROM areas", &n), 0);
	/* 870,044 in the SVI file, less the Farallones' 0 */
	CHECK_INT(n, 870044);
	/* 56 food sites lie inside San Francisco's tracts */
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT count(*) FROM assets a WHERE EXISTS (SELECT 1 FROM areas t"
			      " WHERE t.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'areas'"
			      " AND search_frame = a.geom) AND ST_Contains(t.geom, a.geom))",
			      &n), 0);
	CHECK_INT(n, 56);
	core_ws_close(ws);
	ready = 1;
}

struct tract {
	double value, lon, lat;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Quantile class by brute force, the rule the legend states: with the m
 * values sorted, break i (1..k-1) is the value of rank ceil(i*m/k);
 * duplicate breaks merge; a value equal to a break goes in the lower
 * class.
 */
static int brute_class(const double *sorted, int m, int k, double v,
		       double *breaks, int *nb)
{
	int i, c;

	*nb = 0;
	for (i = 1; i < k; i++) {
		int rank = (int)ceil((double)i * m / k);
		double b = sorted[rank - 1];
		if (*nb && breaks[*nb - 1] == b)
			continue;
		if (b >= sorted[m - 1])
			continue;
		breaks[(*nb)++] = b;
	}
	for (c = 0; c < *nb; c++)
		if (v <= breaks[c])
			return c;
	return *nb;
}

static uint32_t pixel(cairo_surface_t *s, double x, double y)
{
	int ix = (int)floor(x), iy = (int)floor(y);
	unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	uint32_t px;

	if (ix < 0 || iy < 0 || ix >= cairo_image_surface_get_width(s) ||
	    iy >= cairo_image_surface_get_height(s))
		return 0xff000000u;
	memcpy(&px, d + (size_t)iy * (size_t)stride + (size_t)ix * 4, 4);
	return px & 0xffffffu;
}

/* Blues, 5 classes, as ColorBrewer publishes it (the default palette for
 * warm-coloured symbols such as food). */
static const uint32_t blues5[5] = { 0xeff3ff, 0xbdd7e7, 0x6baed6,
				    0x3182bd, 0x08519c };

static void test_png_tract_colours(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct render_spec spec;
	struct render_map *map = NULL;
	cairo_surface_t *png = NULL;
	sqlite3_stmt *st = NULL;
	struct tract *t = NULL;
	double *sorted = NULL, *sites = NULL, breaks[8];
	size_t nt = 0, cap = 0, ns = 0, scap = 0, i, j;
	int checked = 0, matched = 0, nb, seen[5] = { 0 };

	if (!ready) {
		test_skip("no San Francisco workspace (see the first test)");
		return;
	}
	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err) != CORE_OK) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return;
	}
	/* The same layout as the CLI's PNG, to find where places land. */
	render_spec_init(&spec);
	spec.format = RENDER_PNG;
	spec.width = PNG_W;
	spec.height = PNG_H;
	spec.creator = "assetmap " ASSETMAP_VERSION;
	CHECK_INT(render_map_build(ws, &spec, &map, &err), CORE_OK);
	if (!map)
		goto cleanup;
	CHECK_STR(render_map_indicator(map), "RPL_THEMES");
	png = cairo_image_surface_create_from_png(png_path);
	CHECK_INT(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
	if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS)
		goto cleanup;
	CHECK_INT(cairo_image_surface_get_width(png), PNG_W);

	/* food sites' device positions: symbols cover the tracts there */
	if (core_ws_prepare(ws, &err, &st, "SELECT X(geom), Y(geom) FROM assets"))
		goto cleanup;
	while (sqlite3_step(st) == SQLITE_ROW) {
		xgrow((void **)&sites, &scap, 2 * (ns + 1), sizeof(double));
		render_map_device_xy(map, sqlite3_column_double(st, 0),
				     sqlite3_column_double(st, 1),
				     &sites[2 * ns], &sites[2 * ns + 1], &err);
		ns++;
	}
	sqlite3_finalize(st);
	/* one interior point per tract, with its SVI */
	if (core_ws_prepare(ws, &err, &st,
			    "SELECT i.value, X(PointOnSurface(a.geom)), Y(PointOnSurface(a.geom))"
			    " FROM areas a JOIN indicators i ON i.geoid = a.geoid AND i.name = 'RPL_THEMES'"
			    " WHERE a.level = 'tract' AND i.value IS NOT NULL"))
		goto cleanup;
	while (sqlite3_step(st) == SQLITE_ROW) {
		xgrow((void **)&t, &cap, nt + 1, sizeof(*t));
		t[nt].value = sqlite3_column_double(st, 0);
		t[nt].lon = sqlite3_column_double(st, 1);
		t[nt].lat = sqlite3_column_double(st, 2);
		nt++;
	}
	sqlite3_finalize(st);
	st = NULL;
	CHECK_INT(nt, 195);
	sorted = xcalloc(nt, sizeof(double));
	for (i = 0; i < nt; i++)
		sorted[i] = t[i].value;
	qsort(sorted, nt, sizeof(double), cmp_double);

	for (i = 0; i < nt; i++) {
		double x, y;
		int c, covered = 0;
		uint32_t got;

		render_map_device_xy(map, t[i].lon, t[i].lat, &x, &y, &err);
		for (j = 0; j < ns; j++)
			if (fabs(sites[2 * j] - x) < 16 && fabs(sites[2 * j + 1] - y) < 16)
				covered = 1;
		if (covered)
			continue;
		c = brute_class(sorted, (int)nt, 5, t[i].value, breaks, &nb);
		CHECK_INT(nb, 4);
		got = pixel(png, x, y);
		checked++;
		if (got == blues5[c]) {
			matched++;
			seen[c]++;
		} else {
			printf("    tract at %.5f,%.5f (svi %.4f, class %d): pixel #%06x, expected #%06x\n",
			       t[i].lon, t[i].lat, t[i].value, c + 1, got, blues5[c]);
		}
	}
	/* PointOnSurface may fall on a thin tract's outline; allow two. */
	CHECK(checked >= 150);
	CHECK(checked - matched <= 2);
	for (i = 0; i < 5; i++)
		CHECK(seen[i] > 0);
cleanup:
	if (png)
		cairo_surface_destroy(png);
	sqlite3_finalize(st);
	render_map_free(map);
	core_ws_close(ws);
	free(t);
	free(sorted);
	free(sites);
}

static void test_png_symbols(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct render_spec spec;
	struct render_map *map = NULL;
	cairo_surface_t *png = NULL;
	sqlite3_stmt *st = NULL;
	double *xy = NULL;
	size_t n = 0, cap = 0, i, j;
	int isolated = 0, matched = 0;

	if (!ready) {
		test_skip("no San Francisco workspace (see the first test)");
		return;
	}
	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err) != CORE_OK)
		return;
	render_spec_init(&spec);
	spec.format = RENDER_PNG;
	spec.width = PNG_W;
	spec.height = PNG_H;
	spec.creator = "assetmap " ASSETMAP_VERSION;
	if (render_map_build(ws, &spec, &map, &err) != CORE_OK)
		goto cleanup;
	png = cairo_image_surface_create_from_png(png_path);
	if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS)
		goto cleanup;
	/* Every food site inside San Francisco is an orange symbol: exactly
	 * orange at its centre when no other symbol overlaps it, and orange
	 * within a few pixels of it when one does. */
	if (core_ws_prepare(ws, &err, &st,
			    "SELECT X(a.geom), Y(a.geom) FROM assets a WHERE EXISTS"
			    " (SELECT 1 FROM areas t WHERE ST_Contains(t.geom, a.geom))"))
		goto cleanup;
	while (sqlite3_step(st) == SQLITE_ROW) {
		xgrow((void **)&xy, &cap, 2 * (n + 1), sizeof(double));
		render_map_device_xy(map, sqlite3_column_double(st, 0),
				     sqlite3_column_double(st, 1), &xy[2 * n],
				     &xy[2 * n + 1], &err);
		n++;
	}
	CHECK_INT(n, 56);
	for (i = 0; i < n; i++) {
		double x = xy[2 * i], y = xy[2 * i + 1];
		int alone = 1, near = 0, dx, dy;

		for (j = 0; j < n; j++)
			if (j != i && fabs(xy[2 * j] - x) < 24 &&
			    fabs(xy[2 * j + 1] - y) < 24)
				alone = 0;
		for (dx = -4; dx <= 4; dx++)
			for (dy = -4; dy <= 4; dy++)
				if (pixel(png, x + dx, y + dy) == 0xe6550d)
					near = 1;
		if (alone) {
			isolated++;
			if (pixel(png, x, y) == 0xe6550d)
				matched++;
			else
				printf("    food site at %.1f,%.1f: pixel #%06x\n",
				       x, y, pixel(png, x, y));
		}
		if (!near)
			printf("    no orange near the food site at %.1f,%.1f\n", x, y);
		CHECK(near);
	}
	CHECK(isolated >= 20);
	CHECK_INT(matched, isolated);
	/* and the legend counts them */
	CHECK_INT(render_map_category_count(map), 1);
	CHECK_STR(render_map_category_code(map, 0), "food");
cleanup:
	if (png)
		cairo_surface_destroy(png);
	sqlite3_finalize(st);
	render_map_free(map);
	core_ws_close(ws);
	free(xy);
}

static void test_pdf_text(void)
{
	char *cmd, *text;

	if (!ready) {
		test_skip("no San Francisco workspace (see the first test)");
		return;
	}
	cmd = xasprintf("pdftotext -layout '%s' - 2>&1", pdf_path);
	text = capture(cmd);
	free(cmd);
	CHECK_CONTAINS(text, "San Francisco food sites and social vulnerability");
	CHECK_CONTAINS(text, "Social vulnerability (SVI)");
	CHECK_CONTAINS(text, "Food");
	CHECK_CONTAINS(text, "Community assets");
	CHECK_CONTAINS(text, "sf_tracts_2010.geojson");
	CHECK_CONTAINS(text, "SVI2018_SanFrancisco_tract.csv");
	CHECK_CONTAINS(text, "mi");
	CHECK_CONTAINS(text, "EPSG:3310");
	free(text);
	cmd = xasprintf("pdfinfo '%s' 2>&1", pdf_path);
	text = capture(cmd);
	free(cmd);
	CHECK_CONTAINS(text, "Title:");
	CHECK_CONTAINS(text, "San Francisco food sites");
	free(text);
}

int main(void)
{
	static const struct test tests[] = {
		TEST(test_import_and_render),
		TEST(test_png_tract_colours),
		TEST(test_png_symbols),
		TEST(test_pdf_text),
		{ NULL, NULL }
	};
	int rc = test_main("e2e_sf", tests);

	core_ws_shutdown();
	return rc;
}
