/*
 * test_privacy_areas.c - a cohort too small for its tracts, on the real
 * San Francisco 2010 tracts (../shared/data): 400 people at seeded
 * random points, one tract in three or more suppressed.  map says so on
 * stderr and names the larger areas the workspace has; map --areas
 * neighborhood (a layer of six neighbourhoods made here by dissolving
 * tracts, imported with 'import areas --level neighborhood') and map
 * --areas hex show counts that agree with a brute-force count of the
 * people in each area (point in polygon over every area), 1 to 10 never
 * shown, and the page says which areas the counts are for.  A map of the
 * tracts names the neighbourhoods, inside the frame.  The atlas says the
 * same, and --areas neighborhood changes its tables' areas.  A cohort of
 * counts per tract adds up into neighbourhoods as its tracts do.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_ws.h"
#include "geo/geo_load.h"
#include "geo/geo_locate.h"
#include "render/render_context.h"
#include "render/render_map.h"
#include "render/render_model.h"
#include "testlib.h"

#define NPEOPLE 400

static double lon[NPEOPLE], lat[NPEOPLE];
static int ready;

static int cli(const char *args, char **err)
{
	char *out = NULL, *e = NULL;
	int rc = test_run_cli(args, &out, &e);

	if (rc != 0)
		test_fail(__FILE__, __LINE__, "assetmap %s: exit %d: %s", args,
			  rc, e ? e : "");
	free(out);
	if (err)
		*err = e;
	else
		free(e);
	return rc;
}

/* The first area of a holding (x, y), by brute force; -1 for none. */
static int brute_area(const struct geo_areas *a, double x, double y)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (geo_area_contains(a, i, x, y))
			return (int)i;
	return -1;
}

/* The workspace: tracts, the cohort, the neighbourhoods. */
static int setup(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_areas *a = NULL;
	struct core_buf csv = CORE_BUF_INIT, args = CORE_BUF_INIT;
	uint64_t rng = 0x9E3779B97F4A7C15ULL;
	sqlite3_stmt *st = NULL;
	const char *data = test_need_shared_data();
	char *geojson = NULL;
	int k, ok = 0;

	if (!data || !test_have_cli())
		return 0;
	core_buf_addf(&args,
		      "-q -d w.db import areas "
		      "'%s/sf-tracts/sf_tracts_2010.geojson' --level tract "
		      "--geoid GEOID10",
		      data);
	if (cli("-q -d w.db init --crs EPSG:3310", NULL) ||
	    cli(core_buf_str(&args), NULL))
		goto cleanup;
	if (core_ws_open(test_path("w.db"), CORE_WS_READ, &ws, &err) ||
	    geo_areas_load(ws, "tract", NULL, NULL, &a, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	CHECK_INT(a->n, 195);
	/* people in tracts drawn uniformly: about two a tract */
	core_buf_adds(&csv, "person_id,lat,lon\n");
	for (k = 0; k < NPEOPLE; k++) {
		size_t t = (size_t)(test_rand(&rng) * (double)a->n), p;
		double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY,
		       y1 = -INFINITY, x, y;

		for (p = a->pt_start[a->ring_start[a->part_start[t]]];
		     p < a->pt_start[a->ring_start[a->part_start[t + 1]]];
		     p++) {
			x0 = fmin(x0, a->x[p]);
			x1 = fmax(x1, a->x[p]);
			y0 = fmin(y0, a->y[p]);
			y1 = fmax(y1, a->y[p]);
		}
		do {
			x = x0 + test_rand(&rng) * (x1 - x0);
			y = y0 + test_rand(&rng) * (y1 - y0);
		} while (!geo_area_contains(a, t, x, y));
		lon[k] = x;
		lat[k] = y;
		core_buf_addf(&csv, "p%04d,%.7f,%.7f\n", k, y, x);
	}
	/* six neighbourhoods: the tracts dissolved by the first two digits
	 * of their tract code */
	if (sqlite3_prepare_v2(
		ws->db,
		"SELECT '{\"type\":\"FeatureCollection\",\"features\":[' ||"
		" group_concat('{\"type\":\"Feature\",\"properties\":{"
		"\"nhood\":"
		"\"Hood ' || k || '\"},\"geometry\":' || g || '}', ',') || ']}'"
		" FROM (SELECT substr(geoid, 6, 2) AS k,"
		" AsGeoJSON(CastToMultiPolygon(ST_Union(geom)), 7) AS g"
		" FROM areas WHERE level = 'tract' GROUP BY 1)",
		-1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		test_fail(__FILE__, __LINE__, "neighbourhoods: %s",
			  sqlite3_errmsg(ws->db));
		goto cleanup;
	}
	geojson = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	st = NULL;
	core_ws_close(ws);
	ws = NULL;
	test_write("nh.geojson", geojson);
	test_write("people.csv", csv.s);
	if (cli("-q -d w.db import areas nh.geojson --level neighborhood "
		"--name nhood",
		NULL) ||
	    cli("-q -d w.db import cohort pts people.csv --id person_id", NULL))
		goto cleanup;
	ok = 1;
cleanup:
	sqlite3_finalize(st);
	free(geojson);
	geo_areas_free(a);
	core_ws_close(ws);
	core_buf_release(&csv);
	core_buf_release(&args);
	return ok;
}

static void check_ready(void)
{
	static int done;

	if (!done) {
		done = 1;
		ready = setup();
	}
}

/* Area i of m against its brute-force count n: 0 as 0, 1 to 10
 * suppressed, the count itself from 11. */
static void check_area(const struct render_map *m, size_t i, int n)
{
	int c = render_map_area_class(m, i);
	double v = render_map_area_value(m, i);

	if (n >= 1 && n <= 10) {
		if (c != RENDER_CLASS_SUPPRESSED || !isnan(v))
			test_fail(__FILE__, __LINE__,
				  "area %s: %d people, not suppressed (class "
				  "%d, value %g)",
				  render_map_area_geoid(m, i), n, c, v);
	} else if (c < 0 || v != n) {
		test_fail(__FILE__, __LINE__,
			  "area %s: %d people, the map has %g (class %d)",
			  render_map_area_geoid(m, i), n, v, c);
	}
}

static struct render_map *build(struct core_ws *ws, const char *areas)
{
	struct core_err err = CORE_ERR_INIT;
	struct render_spec spec;
	struct render_map *m = NULL;

	render_spec_init(&spec);
	spec.format = RENDER_PDF;
	spec.cohort = "pts";
	spec.cohort_areas = areas;
	spec.no_assets = 1;
	spec.date = 1700000000;
	if (render_map_build(ws, &spec, &m, &err))
		test_fail(__FILE__, __LINE__, "--areas %s: %s", areas, err.msg);
	return m;
}

/* The tract map: more than a third suppressed, and the note says what
 * to do, naming the neighbourhoods the workspace has. */
static void test_note(void)
{
	char *err = NULL, *txt;

	check_ready();
	if (!ready)
		return;
	if (cli("-d w.db map -o tracts.pdf --cohort pts --no-assets", &err))
		goto cleanup;
	CHECK_CONTAINS(err, "note: ");
	CHECK_CONTAINS(err, "of 195 census tracts show a suppressed count");
	CHECK_CONTAINS(err, "--areas neighborhood");
	CHECK_CONTAINS(err, "--areas hex");
	{
		/* the count in the note is the brute-force one */
		struct core_err e = CORE_ERR_INIT;
		struct core_ws *ws = NULL;
		struct geo_areas *a = NULL;
		int *n, k, small = 0;
		char want[64];
		size_t i;

		if (core_ws_open(test_path("w.db"), CORE_WS_READ, &ws, &e) ||
		    geo_areas_load(ws, "tract", NULL, NULL, &a, &e)) {
			test_fail(__FILE__, __LINE__, "%s", e.msg);
		} else {
			n = xcalloc(a->n, sizeof(int));
			for (k = 0; k < NPEOPLE; k++) {
				int j = brute_area(a, lon[k], lat[k]);
				if (j >= 0)
					n[j]++;
			}
			for (i = 0; i < a->n; i++)
				small += n[i] >= 1 && n[i] <= 10;
			CHECK(small * 3 > (int)a->n);
			snprintf(want, sizeof(want), "note: %d of 195", small);
			CHECK_CONTAINS(err, want);
			free(n);
		}
		geo_areas_free(a);
		core_ws_close(ws);
	}
	txt = test_sh_out("pdftotext -layout '%s' -", test_path("tracts.pdf"));
	CHECK_CONTAINS(txt, "Quantiles of census tracts");
	free(txt);
	/* with --areas there is no note */
	free(err);
	err = NULL;
	if (cli("-d w.db map -o nh.pdf --cohort pts --no-assets --areas "
		"neighborhood",
		&err))
		goto cleanup;
	CHECK(strstr(err, "note: ") == NULL);
	CHECK_CONTAINS(err, "6 neighborhood areas");
	txt = test_sh_out("pdftotext -layout '%s' -", test_path("nh.pdf"));
	CHECK_CONTAINS(txt, "Quantiles of neighborhoods");
	free(txt);
	/* --areas needs a cohort, and a known word */
	free(err);
	err = NULL;
	CHECK_INT(test_run_cli("-d w.db map -o x.pdf --areas hex", NULL, &err),
		  2);
	CHECK_CONTAINS(err, "give --cohort NAME too");
	free(err);
	err = NULL;
	CHECK_INT(test_run_cli("-d w.db map -o x.pdf --cohort pts --areas "
			       "parish",
			       NULL, &err),
		  2);
	CHECK_CONTAINS(err, "'parish' is not an area level");
cleanup:
	free(err);
}

/* Neighbourhoods: each count is the brute-force count of its people. */
static void test_neighborhood_counts(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_areas *nh = NULL;
	struct render_map *m = NULL;
	int n[16] = {0}, k, total = 0;
	size_t i;

	check_ready();
	if (!ready)
		return;
	if (core_ws_open(test_path("w.db"), CORE_WS_READ, &ws, &err) ||
	    geo_areas_load(ws, "neighborhood", NULL, NULL, &nh, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	CHECK_INT(nh->n, 6);
	for (k = 0; k < NPEOPLE; k++) {
		int j = brute_area(nh, lon[k], lat[k]);
		if (j >= 0 && j < 16) {
			n[j]++;
			total++;
		}
	}
	CHECK_INT(total, NPEOPLE);
	if (!(m = build(ws, "neighborhood")))
		goto cleanup;
	CHECK_INT(render_map_area_count(m), nh->n);
	for (i = 0; i < nh->n && i < render_map_area_count(m); i++) {
		CHECK_STR(render_map_area_geoid(m, i), nh->geoid[i]);
		check_area(m, i, n[i]);
	}
	CHECK(render_map_advice(m) == NULL);
	CHECK(render_map_hex_width(m) == 0);
cleanup:
	render_map_free(m);
	geo_areas_free(nh);
	core_ws_close(ws);
}

/* Hexagons: brute-force counts over every hexagon, two thirds of those
 * with people at 11 or more, the width on the page. */
static void test_hex_counts(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct render_map *m = NULL;
	const struct geo_areas *h;
	int *n = NULL, k, total = 0, nonempty = 0, big = 0;
	size_t i;
	char *txt = NULL, want[64];
	double w;

	check_ready();
	if (!ready)
		return;
	if (core_ws_open(test_path("w.db"), CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	if (!(m = build(ws, "hex")))
		goto cleanup;
	h = render_map_areas(m);
	w = render_map_hex_width(m);
	CHECK(w > 0);
	CHECK(h->n > 1);
	n = xcalloc(h->n, sizeof(int));
	for (k = 0; k < NPEOPLE; k++) {
		double x, y;
		int j;

		if (render_map_ground_xy(m, lon[k], lat[k], &x, &y, &err)) {
			test_fail(__FILE__, __LINE__, "%s", err.msg);
			goto cleanup;
		}
		j = brute_area(h, x, y);
		if (j >= 0) {
			n[j]++;
			total++;
		}
	}
	CHECK_INT(total, NPEOPLE);
	for (i = 0; i < h->n; i++) {
		check_area(m, i, n[i]);
		nonempty += n[i] > 0;
		big += n[i] >= 11;
	}
	CHECK(big * 3 >= nonempty * 2);
	/* the page gives the width, in miles */
	render_map_free(m);
	m = NULL;
	if (cli("-d w.db map -o hex.pdf --cohort pts --no-assets --areas hex",
		NULL))
		goto cleanup;
	txt = test_sh_out("pdftotext -layout '%s' -", test_path("hex.pdf"));
	snprintf(want, sizeof(want), "hexagons %.3g mi across", w / 1609.344);
	CHECK_CONTAINS(txt, want);
	CHECK_CONTAINS(txt, "Counts from 1 to 10 are");
cleanup:
	free(txt);
	free(n);
	render_map_free(m);
	core_ws_close(ws);
}

/* A map of tracts names the neighbourhoods: each label placed is drawn
 * (pdftotext finds it) and lies inside the frame; no two overlap. */
static void test_neighborhood_labels(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct render_map *m = NULL;
	const struct render_context *c;
	char *txt = NULL;
	size_t i, j, nl;

	check_ready();
	if (!ready)
		return;
	if (core_ws_open(test_path("w.db"), CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	if (!(m = build(ws, NULL)))
		goto cleanup;
	if (render_map_write(m, test_path("labels.pdf"), &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	c = m->context;
	nl = render_context_label_count(c);
	CHECK(nl >= 4); /* of six */
	txt = test_sh_out("pdftotext '%s' -", test_path("labels.pdf"));
	for (i = 0; i < nl; i++) {
		double x, y, w, h;

		CHECK(strncmp(render_context_label(c, i), "Hood ", 5) == 0);
		CHECK_CONTAINS(txt, render_context_label(c, i));
		render_context_label_box(c, i, &x, &y, &w, &h);
		CHECK(x >= m->frame.x && y >= m->frame.y &&
		      x + w <= m->frame.x + m->frame.w &&
		      y + h <= m->frame.y + m->frame.h);
		for (j = 0; j < i; j++) {
			double x2, y2, w2, h2;
			render_context_label_box(c, j, &x2, &y2, &w2, &h2);
			CHECK(x + w <= x2 || x2 + w2 <= x || y + h <= y2 ||
			      y2 + h2 <= y);
		}
	}
cleanup:
	free(txt);
	render_map_free(m);
	core_ws_close(ws);
}

/* The atlas of the same cohort: the same note, with the brute-force
 * count; with --areas neighborhood no note, and the tables' caption
 * names the neighbourhoods. */
static void test_atlas(void)
{
	struct core_buf args = CORE_BUF_INIT;
	const char *data = test_shared_data();
	char *err = NULL, *txt = NULL, want[96];
	struct core_err e = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_areas *a = NULL;
	int *n = NULL, k, small = 0;
	size_t i;

	check_ready();
	if (!ready || !data)
		return;
	core_buf_addf(&args,
		      "-q -d w.db import assets "
		      "'%s/haarrrvest-food-bayarea/food_sites_raw.csv' "
		      "--category food",
		      data);
	if (cli(core_buf_str(&args), NULL) ||
	    cli("-d w.db atlas --cohort pts --category food --top 3 -o "
		"book.pdf",
		&err))
		goto cleanup;
	if (core_ws_open(test_path("w.db"), CORE_WS_READ, &ws, &e) ||
	    geo_areas_load(ws, "tract", NULL, NULL, &a, &e)) {
		test_fail(__FILE__, __LINE__, "%s", e.msg);
		goto cleanup;
	}
	n = xcalloc(a->n, sizeof(int));
	for (k = 0; k < NPEOPLE; k++) {
		int j = brute_area(a, lon[k], lat[k]);
		if (j >= 0)
			n[j]++;
	}
	for (i = 0; i < a->n; i++)
		small += n[i] >= 1 && n[i] <= 10;
	snprintf(want, sizeof(want),
		 "note: %d of 195 census tracts have a count of cohort 'pts'",
		 small);
	CHECK_CONTAINS(err, want);
	CHECK_CONTAINS(err, "--areas neighborhood");
	txt = test_sh_out("pdftotext '%s' -", test_path("book.pdf"));
	CHECK_CONTAINS(txt, "census tracts with cohort members beyond 1 mi");
	free(txt);
	txt = NULL;
	free(err);
	err = NULL;
	if (cli("-d w.db atlas --cohort pts --category food --top 3 --areas "
		"neighborhood -o nb.pdf",
		&err))
		goto cleanup;
	CHECK(strstr(err, "note: ") == NULL);
	txt = test_sh_out("pdftotext '%s' -", test_path("nb.pdf"));
	CHECK_CONTAINS(txt, "neighborhoods with cohort members beyond 1 mi");
cleanup:
	free(n);
	geo_areas_free(a);
	core_ws_close(ws);
	free(txt);
	free(err);
	core_buf_release(&args);
}

/* A cohort of counts per tract added up into neighbourhoods (each
 * tract's count at its point): each neighbourhood's count is the sum of
 * its tracts' (the neighbourhoods are whole tracts, by the first two
 * digits of the tract code). */
static void test_counts_cohort(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_areas *a = NULL;
	struct render_map *m = NULL;
	struct core_buf csv = CORE_BUF_INIT;
	struct render_spec spec;
	int *n = NULL, k;
	size_t i, t;

	check_ready();
	if (!ready)
		return;
	if (core_ws_open(test_path("w.db"), CORE_WS_READ, &ws, &err) ||
	    geo_areas_load(ws, "tract", NULL, NULL, &a, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	n = xcalloc(a->n, sizeof(int));
	for (k = 0; k < NPEOPLE; k++) {
		int j = brute_area(a, lon[k], lat[k]);
		if (j >= 0)
			n[j]++;
	}
	core_buf_adds(&csv, "geoid,n\n");
	for (t = 0; t < a->n; t++)
		core_buf_addf(&csv, "%s,%d\n", a->geoid[t], n[t]);
	core_ws_close(ws);
	ws = NULL;
	test_write("counts.csv", csv.s);
	if (cli("-q -d w.db import cohort cnt counts.csv --counts n --geoid "
		"geoid",
		NULL))
		goto cleanup;
	if (core_ws_open(test_path("w.db"), CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	render_spec_init(&spec);
	spec.format = RENDER_PDF;
	spec.cohort = "cnt";
	spec.cohort_areas = "neighborhood";
	spec.no_assets = 1;
	if (render_map_build(ws, &spec, &m, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto cleanup;
	}
	CHECK_INT(render_map_area_count(m), 6);
	for (i = 0; i < render_map_area_count(m); i++) {
		const char *g = render_map_area_geoid(m, i);
		int sum = 0;

		for (t = 0; t < a->n; t++)
			if (strlen(g) == 7 &&
			    strncmp(a->geoid[t] + 5, g + 5, 2) == 0)
				sum += n[t];
		check_area(m, i, sum);
	}
cleanup:
	render_map_free(m);
	core_buf_release(&csv);
	free(n);
	geo_areas_free(a);
	core_ws_close(ws);
}

/* Greyscale of one pixel (0..255) of an RGB24/ARGB32 image. */
static double grey(const unsigned char *row, int x)
{
	uint32_t v = ((const uint32_t *)(const void *)row)[x];

	return 0.299 * ((v >> 16) & 0xff) + 0.587 * ((v >> 8) & 0xff) +
	       0.114 * (v & 0xff);
}

/* Issue 16, item 11, on the real San Francisco tracts: with deserts
 * drawn over a cohort map, a suppressed tract and a desert tell apart
 * in greyscale print.  Over the map's 8 x 8 pixel windows: a suppressed
 * tract outside the deserts is flat (every pixel the suppressed grey, no
 * spread of greys at all); one under a desert is hatched: its lines,
 * darker by far than the grey, give the window a wide spread of greys. */
static void test_greyscale_sf(void)
{
	cairo_surface_t *img = NULL;
	int w, h, stride, x, y, i, j;
	size_t flat = 0, hatched = 0, faint = 0;

	check_ready();
	if (!ready)
		return;
	/* test_atlas, before, imported the food sites */
	if (cli("-q -d w.db deserts --category food --within 0.5mi", NULL) ||
	    cli("-q -d w.db map -o hatched.png --cohort pts --no-assets "
		"--deserts last --width 1600 --height 1200",
		NULL))
		return;
	img = cairo_image_surface_create_from_png(test_path("hatched.png"));
	w = cairo_image_surface_get_width(img);
	h = cairo_image_surface_get_height(img);
	stride = cairo_image_surface_get_stride(img);
	CHECK_INT(w, 1600);
	for (y = 0; y + 8 <= h; y += 8)
		for (x = 0; x + 8 <= w; x += 8) {
			const unsigned char *p =
			    cairo_image_surface_get_data(img);
			const double g0 =
			    0.299 * 0xc6 + 0.587 * 0xc6 + 0.114 * 0xc6;
			double sum = 0, sum2 = 0, sd;
			int grey_px = 0, dark = 0;

			for (j = 0; j < 8; j++)
				for (i = 0; i < 8; i++) {
					const unsigned char *row =
					    p + (size_t)(y + j) * stride;
					uint32_t v =
					    ((const uint32_t *)(const void *)
						 row)[x + i];
					double g = grey(row, x + i);

					grey_px += (v & 0xffffff) ==
						   RENDER_SUPPRESSED_COLOR;
					dark += g < g0 - 60;
					sum += g;
					sum2 += g * g;
				}
			sd = sqrt(fmax(0, sum2 / 64 - (sum / 64) * (sum / 64)));
			if (grey_px == 64) {
				flat++;
			} else if (grey_px >= 24 && dark > 0 &&
				   grey_px + dark >= 40) {
				/* the grey with dark lines over it */
				hatched++;
				faint += sd < 15;
			}
		}
	printf("    %zu flat suppressed windows, %zu hatched ones\n", flat,
	       hatched);
	CHECK(flat >= 20);
	/* Half of San Francisco is farther than 0.5 mi from the 56 food
	 * sites, and most of its tracts are suppressed: about 2,500 windows
	 * are hatched over the grey (lines a tenth lighter, too faint to
	 * count as dark, leave about 200: where the desert's outline
	 * crosses the grey) */
	CHECK(hatched >= 1000);
	if (faint * 20 > hatched)
		test_fail(__FILE__, __LINE__,
			  "%zu of %zu hatched windows have a spread of greys "
			  "under 15",
			  faint, hatched);
	cairo_surface_destroy(img);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(test_note),	      TEST(test_neighborhood_counts),
	    TEST(test_hex_counts),    TEST(test_neighborhood_labels),
	    TEST(test_counts_cohort), TEST(test_atlas),
	    TEST(test_greyscale_sf),  {NULL, NULL}};
	int rc = test_main("privacy_areas", tests);

	core_ws_shutdown();
	return rc;
}
