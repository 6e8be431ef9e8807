/*
 * test_e2e_sf.c - San Francisco end to end, on the real public data in
 * ../shared/data: import the 2010 tracts, CDC SVI 2018 and the food
 * sites with the assetmap binary, render a PNG and a PDF with it, then
 * read them back: pixel colours at every tract (against quantile classes
 * computed here by brute force) and at every food site, and the PDF's
 * title and legend text with pdftotext.
 *
 * Then the gap analyses on it, with a synthetic cohort made here (2,500
 * people at random points inside tracts drawn by population, seeded)
 * and imported with the real importer: access (2SFCA, E2SFCA) against
 * the formulas pair by pair, gaps' unmet-need ranking against a count of
 * the people beyond D, deserts against a 60 m grid of sample points and
 * the tracts' exact areas and populations, sites' greedy picks against a
 * recount of whom each reaches; and in every table, that no cohort count
 * from 1 to 10 shows.
 */
#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core_area.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_ws.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"
#include "geo/geo_proj.h"
#include "render/render_map.h"
#include "testlib.h"

#define PNG_W 1600
#define PNG_H 1200

static char ws_path[600], png_path[600], pdf_path[600];
static int imported, ready;

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
		test_fail(__FILE__, __LINE__, "command failed (%d): %s", rc,
			  b.s);
	core_buf_release(&b);
	return rc;
}

/* The output of a command made with printf's format (whatever its exit
 * status), or NULL when it cannot be run. */
static char *capture(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static char *capture(const char *fmt, ...)
{
	struct core_buf b = CORE_BUF_INIT, cmd = CORE_BUF_INIT;
	char buf[4096];
	size_t n;
	va_list ap;
	FILE *fp;

	va_start(ap, fmt);
	core_buf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	fp = popen(cmd.s, "r");
	core_buf_release(&cmd);
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
	const char *data = test_need_shared_data();
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	int64_t n;

	if (!data || !test_have_cli())
		return;
	snprintf(ws_path, sizeof(ws_path), "%s/sf.db", test_tmpdir());
	snprintf(png_path, sizeof(png_path), "%s/sf.png", test_tmpdir());
	snprintf(pdf_path, sizeof(pdf_path), "%s/sf.pdf", test_tmpdir());
	setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
	if (run("'%s' -q -d '%s' init --crs EPSG:3310", am, ws_path) ||
	    run("'%s' -q -d '%s' import areas "
		"'%s/sf-tracts/sf_tracts_2010.geojson' --level tract --geoid "
		"GEOID10",
		am, ws_path, data) ||
	    run("'%s' -q -d '%s' import indicators "
		"'%s/svi-2018-ca/SVI2018_SanFrancisco_tract.csv'"
		" --geoid FIPS --columns E_TOTPOP,RPL_THEMES --population "
		"E_TOTPOP --year 2018",
		am, ws_path, data) ||
	    run("'%s' -q -d '%s' import assets "
		"'%s/haarrrvest-food-bayarea/food_sites_raw.csv' --category "
		"food",
		am, ws_path, data))
		return;
	/* the analyses below need the imports, not the maps */
	imported = 1;
	/* Every site drawn where it is (no clusters), so that
	 * test_png_symbols can find each isolated one by its colour. */
	if (run("'%s' -q -d '%s' map -o '%s' --width %d --height %d "
		"--no-cluster",
		am, ws_path, png_path, PNG_W, PNG_H) ||
	    run("'%s' -q -d '%s' map -o '%s' --title 'San Francisco food sites "
		"and social vulnerability'",
		am, ws_path, pdf_path))
		return;
	CHECK_INT(core_ws_open(ws_path, CORE_WS_READ, &ws, &err), CORE_OK);
	if (!ws)
		return;
	CHECK_INT(
	    core_ws_int(ws, &err,
			"SELECT count(*) FROM areas WHERE level = 'tract'", &n),
	    0);
	CHECK_INT(n, 195);
	CHECK_INT(core_ws_int(ws, &err, "SELECT count(*) FROM assets", &n), 0);
	CHECK_INT(n, 368);
	/* -999 is missing: Farallon Islands (06075980401) has no SVI */
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT count(*) FROM indicators WHERE name = "
			      "'RPL_THEMES' AND value IS NULL",
			      &n),
		  0);
	CHECK_INT(n, 1);
	CHECK_INT(core_ws_int(
		      ws, &err,
		      "SELECT CAST(sum(population) AS INTEGER) FROM areas", &n),
		  0);
	/* 870,044 in the SVI file, less the Farallones' 0 */
	CHECK_INT(n, 870044);
	/* 56 food sites lie inside San Francisco's tracts */
	CHECK_INT(
	    core_ws_int(
		ws, &err,
		"SELECT count(*) FROM assets a WHERE EXISTS (SELECT 1 FROM "
		"areas t"
		" WHERE t.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE "
		"f_table_name = 'areas'"
		" AND search_frame = a.geom) AND ST_Contains(t.geom, a.geom))",
		&n),
	    0);
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
static const uint32_t blues5[5] = {0xeff3ff, 0xbdd7e7, 0x6baed6, 0x3182bd,
				   0x08519c};

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
	int checked = 0, matched = 0, nb, seen[5] = {0};

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
	spec.no_cluster = 1; /* as the CLI's --no-cluster */
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
	if (core_ws_prepare(ws, &err, &st,
			    "SELECT X(geom), Y(geom) FROM assets"))
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
			    "SELECT i.value, X(PointOnSurface(a.geom)), "
			    "Y(PointOnSurface(a.geom))"
			    " FROM areas a JOIN indicators i ON i.geoid = "
			    "a.geoid AND i.name = 'RPL_THEMES'"
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
			if (fabs(sites[2 * j] - x) < 16 &&
			    fabs(sites[2 * j + 1] - y) < 16)
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
			printf("    tract at %.5f,%.5f (svi %.4f, class %d): "
			       "pixel #%06x, expected #%06x\n",
			       t[i].lon, t[i].lat, t[i].value, c + 1, got,
			       blues5[c]);
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
	spec.no_cluster = 1;
	if (render_map_build(ws, &spec, &map, &err) != CORE_OK)
		goto cleanup;
	png = cairo_image_surface_create_from_png(png_path);
	if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS)
		goto cleanup;
	/* Every food site inside San Francisco is an orange symbol: exactly
	 * orange at its centre when no other symbol overlaps it, and orange
	 * within a few pixels of it when one does. */
	if (core_ws_prepare(
		ws, &err, &st,
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
				printf(
				    "    food site at %.1f,%.1f: pixel #%06x\n",
				    x, y, pixel(png, x, y));
		}
		if (!near)
			printf(
			    "    no orange near the food site at %.1f,%.1f\n",
			    x, y);
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
	char *text;

	if (!ready) {
		test_skip("no San Francisco workspace (see the first test)");
		return;
	}
	text = capture("pdftotext -layout '%s' - 2>&1", pdf_path);
	CHECK_CONTAINS(text,
		       "San Francisco food sites and social vulnerability");
	/* the data dictionary's words, not the column's code */
	CHECK_CONTAINS(text, "Social vulnerability (overall"); /* wraps */
	CHECK(!strstr(text, "RPL_THEMES"));
	CHECK_CONTAINS(text, "Food");
	CHECK_CONTAINS(text, "Community assets");
	/* the sources by publisher (the SVI's known from its columns),
	 * never by file */
	CHECK_CONTAINS(text, "CDC/ATSDR SVI 2018");
	CHECK(!strstr(text, "sf_tracts_2010.geojson"));
	CHECK(!strstr(text, "SVI2018_SanFrancisco_tract.csv"));
	CHECK(!strstr(text, "food_sites_raw.csv"));
	CHECK_CONTAINS(text, "mi");
	CHECK_CONTAINS(text, "EPSG:3310");
	free(text);
	text = capture("pdfinfo '%s' 2>&1", pdf_path);
	CHECK_CONTAINS(text, "Title:");
	CHECK_CONTAINS(text, "San Francisco food sites");
	free(text);
}

/* ---- the analyses on San Francisco, against brute force ------------- */

#define SF_COHORT_N 2500
#define SF_COHORT   "sfpeople"

static int cohort_ready;

static uint64_t sf_rng = 0x2545F4914F6CDD1DULL;

/* Even-odd point in polygon over every ring of area i (holes and the
 * parts of a multipolygon included). */
static int in_area(const struct geo_areas *a, size_t i, double x, double y)
{
	size_t p, r, k;
	int in = 0;

	for (p = a->part_start[i]; p < a->part_start[i + 1]; p++)
		for (r = a->ring_start[p]; r < a->ring_start[p + 1]; r++)
			for (k = a->pt_start[r] + 1; k < a->pt_start[r + 1];
			     k++) {
				double x1 = a->x[k - 1], y1 = a->y[k - 1];
				double x2 = a->x[k], y2 = a->y[k];

				if ((y1 > y) != (y2 > y) &&
				    x < x1 + (y - y1) * (x2 - x1) / (y2 - y1))
					in = !in;
			}
	return in;
}

/* The area of area i from its rings (exteriors counter-clockwise or
 * not: each polygon's exterior counts, its holes do not). */
static double ring_area(const struct geo_areas *a, size_t i)
{
	double total = 0;
	size_t p, r, k;

	for (p = a->part_start[i]; p < a->part_start[i + 1]; p++)
		for (r = a->ring_start[p]; r < a->ring_start[p + 1]; r++) {
			double s2 = 0;

			for (k = a->pt_start[r] + 1; k < a->pt_start[r + 1];
			     k++)
				s2 += a->x[k - 1] * a->y[k] -
				      a->x[k] * a->y[k - 1];
			total += r == a->ring_start[p] ? fabs(s2) / 2
						       : -fabs(s2) / 2;
		}
	return total;
}

static void area_bbox(const struct geo_areas *a, size_t i, double *bb)
{
	size_t k;

	bb[0] = bb[1] = INFINITY;
	bb[2] = bb[3] = -INFINITY;
	for (k = a->pt_start[a->ring_start[a->part_start[i]]];
	     k < a->pt_start[a->ring_start[a->part_start[i + 1]]]; k++) {
		bb[0] = fmin(bb[0], a->x[k]);
		bb[1] = fmin(bb[1], a->y[k]);
		bb[2] = fmax(bb[2], a->x[k]);
		bb[3] = fmax(bb[3], a->y[k]);
	}
}

/*
 * A synthetic cohort, the same every run: SF_COHORT_N people, each in a
 * tract drawn with probability proportional to its population, at a
 * uniform random point inside it; imported with the real importer.
 */
static void test_sf_cohort(void)
{
	const char *am = getenv("ASSETMAP");
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_areas *a = NULL;
	struct core_buf csv = CORE_BUF_INIT;
	double *cum = NULL, total = 0, bb[4];
	const char *path;
	int64_t n;
	size_t i, k;

	if (!imported) {
		test_skip("no San Francisco workspace (see the first test)");
		return;
	}
	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err) != CORE_OK ||
	    geo_areas_load(ws, "tract", NULL, NULL, &a, &err) != CORE_OK) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	core_ws_close(ws);
	ws = NULL;
	cum = xcalloc(a->n, sizeof(double));
	for (i = 0; i < a->n; i++) {
		double p = a->population[i];

		total += isnan(p) || p < 0 ? 0 : p;
		cum[i] = total;
	}
	core_buf_addf(&csv, "person_id,lat,lon\n");
	for (k = 0; k < SF_COHORT_N; k++) {
		double r = test_rand(&sf_rng) * total, x, y;
		size_t lo = 0, hi = a->n - 1;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (cum[mid] > r)
				hi = mid;
			else
				lo = mid + 1;
		}
		area_bbox(a, lo, bb);
		do {
			x = bb[0] + test_rand(&sf_rng) * (bb[2] - bb[0]);
			y = bb[1] + test_rand(&sf_rng) * (bb[3] - bb[1]);
		} while (!in_area(a, lo, x, y));
		core_buf_addf(&csv, "p%05zu,%.6f,%.6f\n", k, y, x);
	}
	path = test_write("sf_cohort.csv", csv.s);
	if (run("'%s' -q -d '%s' import cohort " SF_COHORT
		" '%s' --id person_id",
		am, ws_path, path))
		goto cleanup;
	CHECK_INT(core_ws_open(ws_path, CORE_WS_READ, &ws, &err), CORE_OK);
	if (!ws)
		goto cleanup;
	CHECK_INT(
	    core_ws_int(ws, &err, "SELECT count(*) FROM cohort_members", &n),
	    0);
	CHECK_INT(n, SF_COHORT_N);
	/* each person in the tract that was drawn for them */
	CHECK_INT(
	    core_ws_int(
		ws, &err,
		"SELECT count(*) FROM cohort_members WHERE area_geoid IS NULL",
		&n),
	    0);
	CHECK_INT(n, 0);
	cohort_ready = n == 0;
cleanup:
	core_ws_close(ws);
	geo_areas_free(a);
	free(cum);
	core_buf_release(&csv);
}

/* What the analyses read, loaded as they load it: the inputs are shared;
 * everything computed from them below is brute force. */
struct sf_in {
	struct geo_proj *proj;
	struct geo_areas *areas;
	struct geo_supply *food;
	struct geo_members *m;
	double *px, *py; /* [areas->n] area points */
	double *near2;	 /* [m->n] squared distance to the nearest food */
};

static void sf_in_free(struct sf_in *s)
{
	geo_supply_free(s->food, 1);
	geo_members_free(s->m);
	geo_areas_free(s->areas);
	geo_proj_free(s->proj);
	free(s->px);
	free(s->py);
	free(s->near2);
	memset(s, 0, sizeof(*s));
}

static double near2_food(const struct sf_in *s, double x, double y)
{
	double best = INFINITY;
	size_t j;

	for (j = 0; j < s->food->n; j++) {
		double dx = x - s->food->x[j], dy = y - s->food->y[j];

		best = fmin(best, dx * dx + dy * dy);
	}
	return best;
}

static int sf_in_load(struct sf_in *s)
{
	static const char *const food[] = {"food"};
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_filter f;
	int weighted = -1, rc;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (!cohort_ready) {
		test_skip("no San Francisco cohort (see test_sf_cohort)");
		return -1;
	}
	geo_filter_init(&f);
	rc = core_ws_open(ws_path, CORE_WS_READ, &ws, &err);
	if (!rc)
		rc = geo_proj_for_ws(ws, &s->proj, &err);
	if (!rc)
		rc =
		    geo_areas_load(ws, "tract", NULL, s->proj, &s->areas, &err);
	if (!rc)
		rc = geo_supply_load(ws, food, 1, &f, s->proj, &s->food, &err);
	if (!rc)
		rc = geo_members_load(ws, SF_COHORT, NULL, s->proj, s->areas,
				      &s->m, &err);
	if (!rc) {
		s->px = xcalloc(s->areas->n, sizeof(double));
		s->py = xcalloc(s->areas->n, sizeof(double));
		rc = geo_area_points(ws, s->areas, s->proj, s->px, s->py,
				     &weighted, &err);
	}
	core_ws_close(ws);
	if (rc) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		sf_in_free(s);
		return -1;
	}
	CHECK_INT(s->areas->n, 195);
	CHECK_INT(s->food->n, 368);
	CHECK_INT(s->m->n, SF_COHORT_N);
	CHECK_INT(weighted, 0);
	s->near2 = xcalloc(s->m->n, sizeof(double));
	for (i = 0; i < s->m->n; i++)
		s->near2[i] = near2_food(s, s->m->x[i], s->m->y[i]);
	return 0;
}

/* A CSV table as the commands print it: rows of fields, quotes undone. */
struct sf_csv {
	size_t nrows;
	char **cell; /* [nrows * SF_CSV_COLS], NULL past a row's end */
};
#define SF_CSV_COLS 16

static void sf_csv_parse(const char *text, struct sf_csv *c)
{
	size_t cap = 0, col = 0;
	struct core_buf f = CORE_BUF_INIT;
	const char *p = text;
	int q = 0;

	memset(c, 0, sizeof(*c));
	if (!p || !*p)
		return;
	for (;; p++) {
		if (col == 0 && f.len == 0 && !q && (*p == '\n' || !*p) &&
		    (p == text || p[-1] == '\n')) {
			/* a blank line ends the first table */
			break;
		}
		if (q) {
			if (*p == '"' && p[1] == '"')
				core_buf_add(&f, p++, 1);
			else if (*p == '"')
				q = 0;
			else if (*p)
				core_buf_add(&f, p, 1);
			else
				break;
			continue;
		}
		if (*p == '"') {
			q = 1;
			continue;
		}
		if (*p == ',' || *p == '\n' || !*p) {
			if (col == 0) {
				xgrow((void **)&c->cell, &cap,
				      (c->nrows + 1) * SF_CSV_COLS,
				      sizeof(char *));
				memset(c->cell + c->nrows * SF_CSV_COLS, 0,
				       SF_CSV_COLS * sizeof(char *));
				c->nrows++;
			}
			if (col < SF_CSV_COLS)
				c->cell[(c->nrows - 1) * SF_CSV_COLS + col] =
				    xstrdup(f.s ? f.s : "");
			core_buf_release(&f);
			/* the next table's header ends this one */
			if (col == 0 && c->nrows > 1 &&
			    strcmp(c->cell[(c->nrows - 1) * SF_CSV_COLS],
				   c->cell[0]) == 0) {
				c->nrows--;
				free(c->cell[c->nrows * SF_CSV_COLS]);
				c->cell[c->nrows * SF_CSV_COLS] = NULL;
				break;
			}
			col = *p == ',' ? col + 1 : 0;
			if (!*p || (*p == '\n' && !p[1]))
				break;
			continue;
		}
		core_buf_add(&f, p, 1);
	}
	core_buf_release(&f);
}

static void sf_csv_free(struct sf_csv *c)
{
	size_t i;

	for (i = 0; i < c->nrows * SF_CSV_COLS; i++)
		free(c->cell[i]);
	free(c->cell);
	memset(c, 0, sizeof(*c));
}

static const char *sf_cell(const struct sf_csv *c, size_t row, int col)
{
	if (row >= c->nrows || col < 0 || col >= SF_CSV_COLS)
		return NULL;
	return c->cell[row * SF_CSV_COLS + col];
}

/* The column whose header starts with prefix, or -1. */
static int sf_col(const struct sf_csv *c, const char *prefix)
{
	int k;

	for (k = 0; k < SF_CSV_COLS && sf_cell(c, 0, k); k++)
		if (strncmp(sf_cell(c, 0, k), prefix, strlen(prefix)) == 0)
			return k;
	return -1;
}

/*
 * Run the binary on the SF workspace with --format csv and parse the
 * table whose header line starts with header (commands print a summary
 * and a ranking one after the other).
 */
static int sf_cmd(struct sf_csv *c, const char *header, const char *args)
{
	char *cmd = xasprintf("'%s' -q -d '%s' %s --format csv",
			      getenv("ASSETMAP"), ws_path, args);
	struct core_buf b = CORE_BUF_INIT;
	char buf[4096], *out, *t;
	size_t n;
	int rc, st = -1;
	FILE *fp = popen(cmd, "r");

	if (fp) {
		while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
			core_buf_add(&b, buf, n);
		st = pclose(fp);
	}
	out = t = core_buf_detach(&b);
	if (st != 0)
		test_fail(__FILE__, __LINE__, "exit status %d: %s", st, cmd);

	while (t && strncmp(t, header, strlen(header)) != 0) {
		t = strchr(t, '\n');
		if (t)
			t++;
	}
	sf_csv_parse(t, c);
	rc = c->nrows < 2 ? -1 : 0;
	if (rc) {
		test_fail(__FILE__, __LINE__, "no table '%s' from: %s\n%s",
			  header, cmd, out ? out : "");
		sf_csv_free(c);
	}
	free(cmd);
	free(out);
	return rc;
}

/*
 * A cohort count as a command must print it: the count itself, "<11"
 * for 1 to 10, or "suppressed" (complementary suppression).  Checks
 * that no count 1..10 ever shows.
 */
static void check_count(const char *got, long want, const char *what)
{
	char *end;
	long v;

	if (!got) {
		test_fail(__FILE__, __LINE__, "%s: no value", what);
		return;
	}
	if (strcmp(got, CORE_PRIVACY_SMALL_TEXT) == 0) {
		if (want < 1 || want > 10)
			test_fail(__FILE__, __LINE__, "%s: <11, expected %ld",
				  what, want);
		return;
	}
	if (strcmp(got, CORE_PRIVACY_HIDDEN_TEXT) == 0)
		return;
	v = strtol(got, &end, 10);
	if (*end || v != want)
		test_fail(__FILE__, __LINE__, "%s: '%s', expected %ld", what,
			  got, want);
	if (v >= 1 && v <= 10)
		test_fail(__FILE__, __LINE__, "%s: %ld shown unsuppressed",
			  what, v);
}

/* The stored per-area values of column name in the newest run. */
static double *last_run_values(const struct geo_areas *a, const char *name)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	sqlite3_stmt *st = NULL;
	double *v = xcalloc(a->n, sizeof(double));
	size_t i;

	for (i = 0; i < a->n; i++)
		v[i] = NAN;
	if (core_ws_open(ws_path, CORE_WS_READ, &ws, &err) ||
	    core_ws_prepare(
		ws, &err, &st,
		"SELECT geoid, value FROM results_area WHERE name = ?1"
		" AND run_id = (SELECT max(id) FROM runs)")) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *g = (const char *)sqlite3_column_text(st, 0);

		for (i = 0; i < a->n; i++)
			if (strcmp(a->geoid[i], g) == 0 &&
			    sqlite3_column_type(st, 1) != SQLITE_NULL)
				v[i] = sqlite3_column_double(st, 1);
	}
cleanup:
	sqlite3_finalize(st);
	core_ws_close(ws);
	return v;
}

/*
 * 2SFCA and E2SFCA by the formulas, pair by pair: e(d) the weight at
 * distance d (0 beyond d0), D_j = sum_i P_i e(d_ij), R_j = S_j / D_j,
 * A_i = sum_j e(d_ij) R_j.  Supply is 1 per food site (no capacities).
 */
static double fca_weight(int e2, double d, double d0)
{
	if (d > d0)
		return 0;
	if (!e2)
		return 1;
	return d <= d0 / 3 ? 1 : d <= 2 * d0 / 3 ? 0.68 : 0.22;
}

static void brute_fca(const struct sf_in *s, int e2, double d0, const double *P,
		      double *A)
{
	size_t i, j, n = s->areas->n, m = s->food->n;
	double *R = xcalloc(m, sizeof(double));

	for (j = 0; j < m; j++) {
		double D = 0;

		for (i = 0; i < n; i++)
			D += P[i] * fca_weight(e2,
					       hypot(s->px[i] - s->food->x[j],
						     s->py[i] - s->food->y[j]),
					       d0);
		R[j] = D > 0 ? s->food->capacity[j] / D : 0;
	}
	for (i = 0; i < n; i++) {
		A[i] = 0;
		for (j = 0; j < m; j++)
			A[i] +=
			    R[j] * fca_weight(e2,
					      hypot(s->px[i] - s->food->x[j],
						    s->py[i] - s->food->y[j]),
					      d0);
	}
	free(R);
}

static void test_sf_access(void)
{
	static const char *const methods[] = {"2sfca", "e2sfca"};
	struct sf_in s;
	double d0 = 1609.344, *P = NULL, *A = NULL;
	size_t i, mi;
	int demand_kind;

	if (sf_in_load(&s))
		return;
	P = xcalloc(s.areas->n, sizeof(double));
	A = xcalloc(s.areas->n, sizeof(double));
	for (mi = 0; mi < 2; mi++)
		for (demand_kind = 0; demand_kind < 2; demand_kind++) {
			struct sf_csv c;
			double *got, *dem, maxA = 0;
			int compared = 0, positive = 0;
			char *args = xasprintf(
			    "access --method %s --category food"
			    " --catchment 1mi%s",
			    methods[mi],
			    demand_kind ? " --cohort " SF_COHORT : "");

			/* demand: the population, or the cohort's members per
			 * tract, at the tracts' centroids */
			for (i = 0; i < s.areas->n; i++)
				P[i] = demand_kind ? 0
				       : isnan(s.areas->population[i])
					   ? 0
					   : s.areas->population[i];
			if (demand_kind)
				for (i = 0; i < s.m->n; i++)
					if (s.m->area[i] >= 0)
						P[s.m->area[i]] += 1;
			brute_fca(&s, (int)mi, d0, P, A);
			if (sf_cmd(&c, "category,assets", args) == 0) {
				CHECK_STR(sf_cell(&c, 1, 0), "food");
				CHECK_INT(c.nrows, 2);
				sf_csv_free(&c);
			}
			free(args);
			got = last_run_values(s.areas, "score_food");
			dem = last_run_values(s.areas, "demand");
			for (i = 0; i < s.areas->n; i++) {
				if (isnan(got[i]))
					continue;
				compared++;
				positive += A[i] > 0;
				maxA = fmax(maxA, A[i]);
				if (fabs(got[i] - A[i]) >
				    1e-9 * fmax(1e-12, fabs(A[i])) + 1e-15)
					test_fail(__FILE__, __LINE__,
						  "%s %s tract %s: score "
						  "%.12g, brute force %.12g",
						  methods[mi],
						  demand_kind ? "cohort"
							      : "population",
						  s.areas->geoid[i], got[i],
						  A[i]);
				CHECK_NEAR(dem[i], P[i], 1e-9);
			}
			/* every tract scored, and the scores are not trivially
			 * 0 */
			CHECK_INT(compared, 195);
			CHECK(positive > 150);
			CHECK(maxA > 0);
			free(got);
			free(dem);
		}
	/* the lowest tracts with the cohort as demand: counts of 1..10
	 * show as <11 */
	{
		struct sf_csv c;
		int cg, cd;
		size_t r;

		if (sf_cmd(&c, "category,rank",
			   "access --category food --catchment 1mi --top 40 "
			   "--cohort " SF_COHORT) == 0) {
			cg = sf_col(&c, "geoid");
			cd = sf_col(&c, "demand");
			CHECK(cg >= 0 && cd >= 0);
			CHECK_INT(c.nrows, 41);
			for (r = 1; r < c.nrows && cg >= 0 && cd >= 0; r++)
				for (i = 0; i < s.areas->n; i++)
					if (strcmp(s.areas->geoid[i],
						   sf_cell(&c, r, cg)) == 0)
						check_count(sf_cell(&c, r, cd),
							    lround(P[i]),
							    s.areas->geoid[i]);
			sf_csv_free(&c);
		}
	}
	free(P);
	free(A);
	sf_in_free(&s);
}

/* The unmet-need ranking: for each category, the people farther than D
 * from every asset of it (an asset at exactly D is within). */
static void test_sf_gaps(void)
{
	struct sf_in s;
	double beyond_m[4], *d = NULL;
	size_t i, k;
	int small_seen = 0;

	if (sf_in_load(&s))
		return;
	/* 400 m, 1 km, halfway between the 6th and 5th farthest people
	 * (5 beyond: a count to suppress), and past the farthest (none) */
	d = xcalloc(s.m->n, sizeof(double));
	for (i = 0; i < s.m->n; i++)
		d[i] = sqrt(s.near2[i]);
	qsort(d, s.m->n, sizeof(double), cmp_double);
	beyond_m[0] = 400;
	beyond_m[1] = 1000;
	beyond_m[2] = (d[s.m->n - 6] + d[s.m->n - 5]) / 2;
	beyond_m[3] = d[s.m->n - 1] + 1;
	for (k = 0; k < 4; k++) {
		struct sf_csv c;
		long want_food = 0;
		char *args = xasprintf(
		    "gaps --cohort " SF_COHORT
		    " --category food,housing --beyond %.3fm --units km",
		    beyond_m[k]);
		int cc, cb, cw, cp;
		size_t r;

		for (i = 0; i < s.m->n; i++)
			want_food += s.near2[i] > beyond_m[k] * beyond_m[k];
		small_seen += want_food >= 1 && want_food <= 10;
		if (sf_cmd(&c, "rank,category", args) == 0) {
			cc = sf_col(&c, "category");
			cb = sf_col(&c, "beyond");
			cw = sf_col(&c, "within");
			cp = sf_col(&c, "people");
			CHECK(cc >= 0 && cb >= 0 && cw >= 0 && cp >= 0);
			CHECK_INT(c.nrows, 3);
			/* housing has no assets: everyone is beyond it; it
			 * ranks first */
			CHECK_STR(sf_cell(&c, 1, cc), "housing");
			for (r = 1; r < c.nrows && cc >= 0 && cb >= 0 &&
				    cw >= 0 && cp >= 0;
			     r++) {
				long b = strcmp(sf_cell(&c, r, cc), "food") == 0
					     ? want_food
					     : (long)s.m->n;

				check_count(sf_cell(&c, r, cb), b, args);
				check_count(sf_cell(&c, r, cw),
					    (long)s.m->n - b, args);
				check_count(sf_cell(&c, r, cp), (long)s.m->n,
					    args);
			}
			sf_csv_free(&c);
		}
		free(args);
	}
	/* the third distance leaves 5 people beyond the food sites */
	CHECK_INT(small_seen, 1);
	free(d);
	sf_in_free(&s);
}

/*
 * Deserts: the area farther than D from every food site, against a grid
 * of sample points (60 m apart) over the study area (the tracts that are
 * not water-only); the population by areal weighting from the same grid
 * (each tract's population times the share of its points in the
 * desert); the cohort exactly.
 */
#define SF_GRID 60.0

static void test_sf_deserts(void)
{
	struct sf_in s;
	struct sf_csv c;
	double D = 1000, *bb = NULL, minx = INFINITY, miny = INFINITY,
	       maxx = -INFINITY, maxy = -INFINITY, x, y, study = 0, desert = 0,
	       pop = 0, *share = NULL;
	long *in_n = NULL, *de_n = NULL, cohort = 0;
	size_t i, t;
	int ca, cpop, cco, compared = 0;

	if (sf_in_load(&s))
		return;
	bb = xcalloc(4 * s.areas->n, sizeof(double));
	in_n = xcalloc(s.areas->n, sizeof(long));
	de_n = xcalloc(s.areas->n, sizeof(long));
	for (t = 0; t < s.areas->n; t++) {
		area_bbox(s.areas, t, bb + 4 * t);
		if (s.areas->flags[t] & AREA_FLAG_WATER)
			continue;
		minx = fmin(minx, bb[4 * t]);
		miny = fmin(miny, bb[4 * t + 1]);
		maxx = fmax(maxx, bb[4 * t + 2]);
		maxy = fmax(maxy, bb[4 * t + 3]);
	}
	for (y = miny + SF_GRID / 2; y < maxy; y += SF_GRID)
		for (x = minx + SF_GRID / 2; x < maxx; x += SF_GRID)
			for (t = 0; t < s.areas->n; t++) {
				const double *b = bb + 4 * t;

				if ((s.areas->flags[t] & AREA_FLAG_WATER) ||
				    x < b[0] || x > b[2] || y < b[1] ||
				    y > b[3] || !in_area(s.areas, t, x, y))
					continue;
				in_n[t]++;
				if (near2_food(&s, x, y) > D * D)
					de_n[t]++;
				break;
			}
	for (t = 0; t < s.areas->n; t++) {
		double p = s.areas->population[t];

		study += (double)in_n[t] * SF_GRID * SF_GRID;
		desert += (double)de_n[t] * SF_GRID * SF_GRID;
		if (in_n[t] && !isnan(p))
			pop += p * (double)de_n[t] / (double)in_n[t];
	}
	for (i = 0; i < s.m->n; i++)
		if (s.m->area[i] >= 0 &&
		    !(s.areas->flags[s.m->area[i]] & AREA_FLAG_WATER) &&
		    s.near2[i] > D * D)
			cohort++;
	printf("    grid: study area %.2f km2, desert %.2f km2, population "
	       "%.0f, cohort %ld\n",
	       study / 1e6, desert / 1e6, pop, cohort);
	CHECK(desert > 0.05 * study && desert < 0.95 * study);

	if (sf_cmd(&c, "piece,",
		   "deserts --category food --within 1km --units km --top 3 "
		   "--cohort " SF_COHORT) == 0) {
		ca = sf_col(&c, "area");
		cpop = sf_col(&c, "population");
		cco = sf_col(&c, SF_COHORT);
		CHECK(ca >= 0 && cpop >= 0 && cco >= 0);
		CHECK_STR(sf_cell(&c, 1, 0), "all");
		if (ca >= 0 && cpop >= 0 && cco >= 0) {
			size_t r;

			const char *va = sf_cell(&c, 1, ca),
				   *vp = sf_cell(&c, 1, cpop);

			printf("    deserts: %s km2, population %s\n",
			       va ? va : "-", vp ? vp : "-");
			/* the grid's error is a fraction of a cell along the
			 * desert's edges; 0.5% covers it */
			CHECK_NEAR(va ? atof(va) : NAN, desert / 1e6,
				   0.005 * desert / 1e6);
			CHECK_NEAR(vp ? atof(vp) : NAN, pop, 0.005 * pop);
			check_count(sf_cell(&c, 1, cco), cohort,
				    "cohort in the desert");
			for (r = 2; r < c.nrows; r++) {
				const char *v = sf_cell(&c, r, cco);
				long n = v ? strtol(v, NULL, 10) : 0;

				CHECK(v && (n < 1 || n > 10));
			}
		}
		sf_csv_free(&c);
	}
	/* per tract: the stored share against the grid's, where the tract
	 * holds enough points to say */
	share = last_run_values(s.areas, "desert_share");
	for (t = 0; t < s.areas->n; t++) {
		if (in_n[t] < 100 || isnan(share[t]))
			continue;
		compared++;
		if (fabs(share[t] - (double)de_n[t] / (double)in_n[t]) > 0.08)
			test_fail(__FILE__, __LINE__,
				  "tract %s: desert share %.4f, grid %.4f (%ld "
				  "points)",
				  s.areas->geoid[t], share[t],
				  (double)de_n[t] / (double)in_n[t], in_n[t]);
	}
	printf("    %d tracts' shares compared with the grid\n", compared);
	CHECK(compared > 100);

	/* Within 1 m: the desert is the whole study area but for the sites'
	 * own 1 m circles (its area exact from the tracts' rings), with
	 * every tract's whole population and every person. */
	{
		double exact = 0, popall = 0;

		for (t = 0; t < s.areas->n; t++)
			if (!(s.areas->flags[t] & AREA_FLAG_WATER)) {
				exact += ring_area(s.areas, t);
				popall += isnan(s.areas->population[t])
					      ? 0
					      : s.areas->population[t];
			}
		printf("    study area: %.3f km2 from the rings, %.3f from the "
		       "grid; population %.0f\n",
		       exact / 1e6, study / 1e6, popall);
		CHECK_NEAR(study, exact, 0.005 * exact);
		sf_csv_free(&c);
		if (sf_cmd(&c, "piece,",
			   "deserts --category food --within 1m --units km "
			   "--top 0 --cohort " SF_COHORT) == 0) {
			const char *va = sf_cell(&c, 1, sf_col(&c, "area"));
			const char *vp =
			    sf_cell(&c, 1, sf_col(&c, "population"));

			CHECK_STR(sf_cell(&c, 1, 0), "all");
			CHECK_NEAR(va ? atof(va) : NAN, exact / 1e6, 0.006);
			/* less what the 56 circles of 1 m take: a few people */
			CHECK(vp && atof(vp) <= popall &&
			      atof(vp) >= popall - 10);
			check_count(sf_cell(&c, 1, sf_col(&c, SF_COHORT)),
				    SF_COHORT_N, "cohort in the desert");
			CHECK_STR(sf_cell(&c, 1, sf_col(&c, "share")),
				  "100.0%");
		}
	}
	sf_csv_free(&c);
	free(share);
	free(bb);
	free(in_n);
	free(de_n);
	sf_in_free(&s);
}

/*
 * Sites: the greedy picks, each checked by recounting the people it
 * newly reaches (out of reach of every food site, not reached by an
 * earlier pick, within D of it) and against every other candidate's
 * recount at that step: greedy takes a best one.
 */
static void test_sf_sites(void)
{
	struct sf_in s;
	struct sf_csv c;
	double D = 800;
	unsigned char *out = NULL;
	long total = 0, uncovered = 0;
	size_t i, r, ci;
	int cs, cg, ct, hidden = 0;

	if (sf_in_load(&s))
		return;
	out = xcalloc(s.m->n, 1);
	for (i = 0; i < s.m->n; i++)
		if (s.near2[i] > D * D) {
			out[i] = 1;
			uncovered++;
		}
	CHECK(uncovered > 100);
	if (sf_cmd(&c, "pick,",
		   "sites --category food --within 800m --add 8 --method "
		   "greedy --cohort " SF_COHORT))
		goto cleanup;
	cs = sf_col(&c, "site");
	cg = sf_col(&c, "newly");
	ct = sf_col(&c, "reached so far");
	CHECK(cs >= 0 && cg >= 0 && ct >= 0);
	CHECK_INT(c.nrows, 9);
	for (r = 1; r < c.nrows && cs >= 0 && cg >= 0 && ct >= 0; r++) {
		long gain = -1, best = 0;

		for (ci = 0; ci < s.areas->n; ci++) {
			long g = 0;

			if (s.areas->flags[ci] || isnan(s.px[ci]))
				continue;
			for (i = 0; i < s.m->n; i++) {
				double dx = s.m->x[i] - s.px[ci],
				       dy = s.m->y[i] - s.py[ci];

				g += out[i] == 1 && dx * dx + dy * dy <= D * D;
			}
			best = g > best ? g : best;
			if (strcmp(s.areas->geoid[ci], sf_cell(&c, r, cs)) == 0)
				gain = g;
		}
		if (gain < 0) {
			test_fail(__FILE__, __LINE__,
				  "pick %zu: '%s' is not a candidate tract", r,
				  sf_cell(&c, r, cs));
			break;
		}
		CHECK_INT(gain, best);
		check_count(sf_cell(&c, r, cg), gain, "newly reached");
		total += gain;
		/* once a gain is hidden, the running total would give it away
		 */
		hidden |= gain >= 1 && gain <= 10;
		if (hidden)
			CHECK(strcmp(sf_cell(&c, r, ct),
				     CORE_PRIVACY_HIDDEN_TEXT) == 0 ||
			      strcmp(sf_cell(&c, r, ct),
				     CORE_PRIVACY_SMALL_TEXT) == 0);
		else
			check_count(sf_cell(&c, r, ct), total,
				    "reached so far");
		/* mark the newly reached */
		for (ci = 0; ci < s.areas->n; ci++)
			if (strcmp(s.areas->geoid[ci], sf_cell(&c, r, cs)) == 0)
				for (i = 0; i < s.m->n; i++) {
					double dx = s.m->x[i] - s.px[ci],
					       dy = s.m->y[i] - s.py[ci];

					if (out[i] == 1 &&
					    dx * dx + dy * dy <= D * D)
						out[i] = 2;
				}
	}
	printf("    sites: %ld of %ld out of reach reached by 8 picks\n", total,
	       uncovered);
	sf_csv_free(&c);
cleanup:
	free(out);
	sf_in_free(&s);
}

/* Split a pdftotext -layout line into its columns (runs of two or more
 * spaces apart); returns how many, at most max. */
static int layout_cells(char *line, char **cell, int max)
{
	int n = 0;
	char *p = line;

	while (*p == ' ')
		p++;
	while (*p && n < max) {
		char *e = strstr(p, "  ");

		cell[n++] = p;
		if (!e)
			break;
		*e = '\0';
		p = e + 1;
		while (*p == ' ')
			p++;
	}
	return n;
}

/* A count as the book prints it: "1,234", "<11" or "suppressed". */
static void check_book_count(const char *cell, long want, const char *what)
{
	char digits[32];
	size_t j = 0;

	for (; cell && *cell && j + 1 < sizeof(digits); cell++)
		if (*cell != ',')
			digits[j++] = *cell;
	digits[j] = '\0';
	check_count(cell ? digits : NULL, want, what);
}

/*
 * The map book of the San Francisco cohort: a cover, the ranking and the
 * food page, whose table of the worst-served tracts is checked against
 * brute force: each row's people beyond 1 km of every food site, the ten
 * largest in order, the total, and no count from 1 to 10 shown.
 */
static void test_sf_atlas(void)
{
	const char *am = getenv("ASSETMAP");
	const double D = 1000;
	struct sf_in s;
	long *per = NULL, total = 0, last = -1, rest = 0, top = 0;
	char pdf[600], *text = NULL, *line, *save = NULL;
	char *cell[8];
	size_t i;
	int rows = 0, all_seen = 0, pages;

	if (system("pdftotext -v >/dev/null 2>&1") != 0) {
		test_skip("poppler-utils (pdftotext) not installed");
		return;
	}
	if (sf_in_load(&s))
		return;
	per = xcalloc(s.areas->n, sizeof(long));
	for (i = 0; i < s.m->n; i++)
		if (s.near2[i] > D * D) {
			total++;
			if (s.m->area[i] >= 0)
				per[s.m->area[i]]++;
		}
	snprintf(pdf, sizeof(pdf), "%s/sf-atlas.pdf", test_tmpdir());
	if (run("'%s' -q -d '%s' atlas --cohort " SF_COHORT " --category food"
		" --within 1km --units km --title 'San Francisco: food out of "
		"reach'"
		" -o '%s' > /dev/null",
		am, ws_path, pdf))
		goto cleanup;
	text = capture("pdfinfo '%s' | awk '/^Pages:/ { print $2 }'", pdf);
	pages = text ? atoi(text) : 0;
	CHECK_INT(pages, 3);
	free(text);
	text = capture("pdftotext -layout '%s' -", pdf);
	CHECK_CONTAINS(text, "San Francisco: food out of reach");
	CHECK_CONTAINS(text, "Food: out of reach beyond 1 km");
	CHECK_CONTAINS(text, "No page shows where a member lives");
	free(text);
	text = capture("pdftotext -layout -f 3 -l 3 '%s' -", pdf);
	/* the 2010 tracts have no names: no empty Name column */
	CHECK_CONTAINS(text, "GEOID");
	CHECK(text && !strstr(text, " Name "));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int n = layout_cells(line, cell, 8);
		size_t a;

		if (n >= 2 && strcmp(cell[0], "All areas") == 0) {
			check_book_count(cell[1], total, "atlas: all areas");
			all_seen = 1;
			continue;
		}
		if (n < 4 || atoi(cell[0]) != rows + 1 ||
		    strncmp(cell[1], "06075", 5) != 0)
			continue;
		for (a = 0; a < s.areas->n; a++)
			if (strcmp(s.areas->geoid[a], cell[1]) == 0)
				break;
		if (a == s.areas->n) {
			test_fail(__FILE__, __LINE__,
				  "atlas row %s: no such tract", cell[1]);
			continue;
		}
		/* rank, GEOID, name (may be empty), beyond, share, median */
		check_book_count(cell[n - 3], per[a], cell[1]);
		/* most first */
		CHECK(last < 0 || per[a] <= last);
		if (last < 0)
			top = per[a];
		last = per[a];
		per[a] = -1; /* listed */
		rows++;
	}
	CHECK_INT(rows, 10);
	CHECK(all_seen);
	/* no tract left out has more than the last one listed */
	for (i = 0; i < s.areas->n; i++)
		if (per[i] > rest)
			rest = per[i];
	CHECK(rest <= last);
	printf("    atlas: %ld of %zu people beyond 1 km of food, the worst "
	       "tract %ld\n",
	       total, s.m->n, rows ? top : 0);
cleanup:
	free(text);
	free(per);
	sf_in_free(&s);
}

int main(void)
{
	static const struct test tests[] = {TEST(test_import_and_render),
					    TEST(test_png_tract_colours),
					    TEST(test_png_symbols),
					    TEST(test_pdf_text),
					    TEST(test_sf_cohort),
					    TEST(test_sf_access),
					    TEST(test_sf_gaps),
					    TEST(test_sf_deserts),
					    TEST(test_sf_sites),
					    TEST(test_sf_atlas),
					    {NULL, NULL}};
	int rc = test_main("e2e_sf", tests);

	core_ws_shutdown();
	return rc;
}
