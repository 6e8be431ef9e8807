/*
 * test_map_frame.c - the frame of a map on real data (issue 16, items 1
 * and 5): San Francisco's 2020 tracts in a workspace that also holds
 * California's 58 counties (Census 1:10M) and the Bay Area's food sites,
 * drawn by the assetmap binary and by render_map, then read back.
 *
 *   - the frame is San Francisco: the tracts' projected extent fills it,
 *     and the automatic projection is centred on the tracts, not on the
 *     state (119.27 W) the counties would pull it to;
 *   - the study-area outline is the dissolve of the tracts: the coarse
 *     1:10M county line is not drawn across them;
 *   - the inset covers no tract: it lies outside the frame, or its
 *     rectangle holds no tract fill on the same map drawn without it;
 *   - no label and no symbol crosses the frame's edge;
 *   - a cluster that holds two categories shows both colours in its ring.
 *
 * The second category: benefits desks made here, one 25 m east of each
 * San Francisco food site (real positions, made-up names), so that
 * clusters mix the two.
 */
#include <cairo.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli/cli.h"
#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_load.h"
#include "geo/geo_proj.h"
#include "render/render_context.h"
#include "render/render_draw.h"
#include "render/render_map.h"
#include "render/render_model.h"
#include "testlib.h"

#define PNG_W 1600
#define PNG_H 1200

#define FOOD_INK     0xe6550du
#define BENEFITS_INK 0xfdae6bu

static char db[600];
static int ready;

static int shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int shell(const char *fmt, ...)
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

/* The workspace: tracts, counties, food sites, benefits desks. */
static void make_ws(void)
{
	const char *am = getenv("ASSETMAP");
	const char *data = test_need_shared_data();
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	sqlite3_stmt *st = NULL;
	char csv[600];
	FILE *fp;
	int n = 0;

	if (!data || !test_have_cli())
		return;
	snprintf(db, sizeof(db), "%s/sfframe.db", test_tmpdir());
	snprintf(csv, sizeof(csv), "%s/desks.csv", test_tmpdir());
	setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
	if (shell("'%s' -q -d '%s' init", am, db) ||
	    shell("'%s' -q -d '%s' import areas "
		  "'%s/sf-tracts/sf_tracts_2020.geojson' --level tract "
		  "--geoid GEOID",
		  am, db, data) ||
	    shell("'%s' -q -d '%s' import areas "
		  "'%s/ca-counties/ca_counties_2023.geojson' --level county "
		  "--geoid GEOID --name NAME",
		  am, db, data) ||
	    shell("'%s' -q -d '%s' import assets "
		  "'%s/haarrrvest-food-bayarea/food_sites_raw.csv' "
		  "--category food",
		  am, db, data))
		return;
	if (core_ws_open(db, CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return;
	}
	fp = fopen(csv, "w");
	CHECK(fp != NULL);
	if (fp &&
	    core_ws_prepare(
		ws, &err, &st,
		"SELECT X(geom), Y(geom) FROM assets a WHERE "
		"EXISTS (SELECT 1 FROM areas t WHERE t.level = "
		"'tract' AND Within(a.geom, t.geom)) ORDER BY id") == CORE_OK) {
		fprintf(fp, "name,latitude,longitude\n");
		while (sqlite3_step(st) == SQLITE_ROW) {
			double lon = sqlite3_column_double(st, 0);
			double lat = sqlite3_column_double(st, 1);

			/* 25 m east at 37.76 N */
			fprintf(fp, "Benefits desk %d,%.7f,%.7f\n", ++n, lat,
				lon + 25 / (111320 * cos(lat * M_PI / 180)));
		}
		sqlite3_finalize(st);
	}
	if (fp)
		fclose(fp);
	core_ws_close(ws);
	/* all 56 San Francisco food sites lie in the tracts */
	CHECK_INT(n, 56);
	if (n != 56 || shell("'%s' -q -d '%s' import assets '%s' --name name "
			     "--category benefits",
			     am, db, csv))
		return;
	ready = 1;
}

static void spec_sf(struct render_spec *s, const char *const *cats)
{
	render_spec_init(s);
	s->format = RENDER_PNG;
	s->width = PNG_W;
	s->height = PNG_H;
	s->creator = "assetmap " ASSETMAP_VERSION;
	s->categories = cats;
	s->ncategories = 2;
}

static struct render_map *build(struct core_ws *ws,
				const struct render_spec *spec)
{
	struct core_err err = CORE_ERR_INIT;
	struct render_map *m = NULL;

	if (render_map_build(ws, spec, &m, &err))
		test_fail(__FILE__, __LINE__, "render_map_build: %s", err.msg);
	return m;
}

static cairo_surface_t *write_png(struct render_map *m, const char *name)
{
	struct core_err err = CORE_ERR_INIT;
	char path[700];

	snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), name);
	if (render_map_write(m, path, &err)) {
		test_fail(__FILE__, __LINE__, "render_map_write: %s", err.msg);
		return NULL;
	}
	return cairo_image_surface_create_from_png(path);
}

/* Is X, Y inside one of the areas (even-odd over its rings)? */
static int inside_tract(const struct geo_areas *a, double X, double Y)
{
	size_t i, k, p;

	for (i = 0; i < a->n; i++) {
		int in = 0;

		for (k = a->ring_start[a->part_start[i]];
		     k < a->ring_start[a->part_start[i + 1]]; k++)
			for (p = a->pt_start[k]; p + 1 < a->pt_start[k + 1];
			     p++) {
				double xa = a->x[p], ya = a->y[p];
				double xb = a->x[p + 1], yb = a->y[p + 1];

				if ((ya > Y) != (yb > Y) &&
				    X < (xb - xa) * (Y - ya) / (yb - ya) + xa)
					in = !in;
			}
		if (in)
			return 1;
	}
	return 0;
}

/* Distance from X, Y to the nearest edge of any of the areas. */
static double edge_dist(const struct geo_areas *a, double X, double Y)
{
	double best = HUGE_VAL;
	size_t k, p;

	for (k = 0; k < a->nrings; k++)
		for (p = a->pt_start[k]; p + 1 < a->pt_start[k + 1]; p++) {
			double dx = a->x[p + 1] - a->x[p];
			double dy = a->y[p + 1] - a->y[p];
			double l2 = dx * dx + dy * dy, t = 0;

			if (l2 > 0)
				t = fmin(1, fmax(0, ((X - a->x[p]) * dx +
						     (Y - a->y[p]) * dy) /
							l2));
			best = fmin(best, hypot(a->x[p] + t * dx - X,
						a->y[p] + t * dy - Y));
		}
	return best;
}

static void test_frame_is_sf(void)
{
	static const char *const cats[] = {"food", "benefits"};
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct render_spec spec;
	struct render_map *m = NULL, *bare = NULL;
	cairo_surface_t *img = NULL, *bimg = NULL;
	const char *def, *lon0;
	double x0, y0, x1, y1, fill_w, fill_h, ix, iy, iw, ih;
	size_t i, two = 0, shown = 0;

	make_ws();
	if (!ready)
		return;
	if (core_ws_open(db, CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return;
	}
	spec_sf(&spec, cats);
	m = build(ws, &spec);
	if (!m)
		goto cleanup;
	CHECK_INT(render_map_area_count(m), 241);

	/* The projection: centred on San Francisco (the tracts span
	 * 122.514..122.357 W, 37.708..37.833 N), not on California. */
	def = geo_proj_def(m->proj);
	lon0 = strstr(def, "+lon_0=");
	CHECK(lon0 != NULL);
	if (lon0)
		CHECK(fabs(strtod(lon0 + 7, NULL) - -122.4357) < 0.01);
	CHECK(strstr(def, "+lat_0=37.7") != NULL);
	CHECK(strstr(render_map_crs_label(m), "122.44W") != NULL);

	/* The frame is the tracts': their extent inside it, filling it but
	 * for the padding in one direction at least. */
	render_to_page(m, m->areas->minx, m->areas->maxy, &x0, &y0);
	render_to_page(m, m->areas->maxx, m->areas->miny, &x1, &y1);
	CHECK(x0 >= m->frame.x && y0 >= m->frame.y);
	CHECK(x1 <= m->frame.x + m->frame.w && y1 <= m->frame.y + m->frame.h);
	fill_w = (x1 - x0) / m->frame.w;
	fill_h = (y1 - y0) / m->frame.h;
	CHECK(fmax(fill_w, fill_h) > 0.95);
	CHECK(fmin(fill_w, fill_h) > 0.6);

	img = write_png(m, "sfframe.png");
	if (!img || cairo_surface_status(img) != CAIRO_STATUS_SUCCESS)
		goto cleanup;
	CHECK_INT(cairo_image_surface_get_width(img), PNG_W);

	/* The coarse county line does not cut across the tracts: along the
	 * 1:10M outline of San Francisco, at points inside a tract and 3
	 * points or more from every tract edge, nothing dark is drawn. */
	{
		struct geo_areas *cty = NULL;
		size_t probes = 0, dark = 0, c, p;

		CHECK_INT(
		    geo_areas_load(ws, "county", NULL, m->proj, &cty, &err),
		    CORE_OK);
		for (c = 0; cty && c < cty->n; c++) {
			if (strcmp(cty->geoid[c], "06075") != 0)
				continue;
			for (p = cty->pt_start
				     [cty->ring_start[cty->part_start[c]]];
			     p + 1 <
			     cty->pt_start
				 [cty->ring_start[cty->part_start[c + 1]]];
			     p++) {
				double len = hypot(cty->x[p + 1] - cty->x[p],
						   cty->y[p + 1] - cty->y[p]);
				double t, step = 2 / m->sx;

				for (t = 0; t < len; t += step) {
					double X = cty->x[p] +
						   (cty->x[p + 1] - cty->x[p]) *
						       t / len;
					double Y = cty->y[p] +
						   (cty->y[p + 1] - cty->y[p]) *
						       t / len;
					double px, py;

					if (!inside_tract(m->areas, X, Y) ||
					    edge_dist(m->areas, X, Y) * m->sx <
						3)
						continue;
					render_to_page(m, X, Y, &px, &py);
					probes++;
					if (test_luma(
						test_pixel(img, px * m->dev,
							   py * m->dev)) < 60)
						dark++;
				}
			}
		}
		geo_areas_free(cty);
		CHECK(probes > 20);
		/* a symbol's edge may fall on one now and then */
		CHECK(dark <= probes / 10);
	}

	/* The inset covers no tract: outside the frame, or over no tract
	 * fill on the same map drawn without it. */
	render_context_inset_box(m->context, &ix, &iy, &iw, &ih);
	CHECK(iw > 0 && ih > 0);
	if (ix >= m->frame.x + m->frame.w || ix + iw <= m->frame.x ||
	    iy >= m->frame.y + m->frame.h || iy + ih <= m->frame.y) {
		CHECK(ix + iw <= m->page_w && iy + ih <= m->page_h);
	} else {
		int x, y, tract = 0;

		spec.no_inset = 1;
		bare = build(ws, &spec);
		bimg = bare ? write_png(bare, "sfframe-bare.png") : NULL;
		for (y = (int)(iy * m->dev); bimg && y < (iy + ih) * m->dev;
		     y++)
			for (x = (int)(ix * m->dev); x < (ix + iw) * m->dev;
			     x++)
				if (test_pixel(bimg, x, y) ==
				    RENDER_UNSHADED_COLOR)
					tract++;
		CHECK_INT(tract, 0);
	}

	/* No label crosses the frame. */
	for (i = 0; i < render_context_label_count(m->context); i++) {
		double lx, ly, lw, lh;

		render_context_label_box(m->context, i, &lx, &ly, &lw, &lh);
		CHECK(lx >= m->frame.x && ly >= m->frame.y &&
		      lx + lw <= m->frame.x + m->frame.w &&
		      ly + lh <= m->frame.y + m->frame.h);
	}
	/* No symbol crosses it: every one drawn lies whole inside. */
	for (i = 0; i < m->assets->n; i++) {
		double px, py, r = m->sym_base / 2;

		if (!m->shown[i])
			continue;
		shown++;
		render_to_page(m, m->assets->x[i], m->assets->y[i], &px, &py);
		CHECK(
		    px - r >= m->frame.x && px + r <= m->frame.x + m->frame.w &&
		    py - r >= m->frame.y && py + r <= m->frame.y + m->frame.h);
	}
	CHECK(shown >= 112);
	for (i = 0; i < m->nclusters; i++) {
		const struct render_cluster *k = &m->clusters[i];
		double r = render_cluster_size(k->n, m->f) / 2;

		CHECK(k->px - r >= m->frame.x &&
		      k->px + r <= m->frame.x + m->frame.w &&
		      k->py - r >= m->frame.y &&
		      k->py + r <= m->frame.y + m->frame.h);
	}

	/* A cluster of both categories shows both colours round its ring. */
	for (i = 0; i < m->nclusters; i++) {
		const struct render_cluster *k = &m->clusters[i];
		double rr = render_cluster_size(k->n, m->f) / 2 *
			    (1 + RENDER_CLUSTER_HOLE) / 2 * m->dev;
		int a, food = 0, benefits = 0;

		CHECK_INT(k->ncat[0] + k->ncat[1], k->n);
		if (k->ncat[0] == 0 || k->ncat[1] == 0)
			continue;
		two++;
		for (a = 0; a < 72; a++) {
			uint32_t p = test_pixel(
			    img, k->px * m->dev + rr * cos(a * M_PI / 36),
			    k->py * m->dev + rr * sin(a * M_PI / 36));
			food += p == FOOD_INK;
			benefits += p == BENEFITS_INK;
		}
		CHECK(food > 0 && benefits > 0);
		/* each in proportion to its count, within a few samples */
		CHECK(fabs(food - 72.0 * (double)k->ncat[0] / (double)k->n) <=
		      6);
	}
	CHECK(two >= 10);

	/* And the binary draws the same page. */
	{
		char cli_png[700], lib_png[700];

		snprintf(cli_png, sizeof(cli_png), "%s/sfframe-cli.png",
			 test_tmpdir());
		snprintf(lib_png, sizeof(lib_png), "%s/sfframe.png",
			 test_tmpdir());
		if (shell("'%s' -q -d '%s' map -o '%s' --width %d --height %d "
			  "--category food,benefits",
			  getenv("ASSETMAP"), db, cli_png, PNG_W, PNG_H) == 0)
			CHECK(test_same_file(cli_png, lib_png));
	}
cleanup:
	if (img)
		cairo_surface_destroy(img);
	if (bimg)
		cairo_surface_destroy(bimg);
	render_map_free(bare);
	render_map_free(m);
	core_ws_close(ws);
}

/* --extent: the frame shows the box asked for, the projection centred
 * on it; symbols outside it are not drawn. */
static void test_extent(void)
{
	static const char *const cats[] = {"food", "benefits"};
	static const double box[4] = {-122.48, 37.74, -122.38, 37.81};
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct render_spec spec;
	struct render_map *m = NULL;
	double x0, y0, x1, y1;
	const char *lon0, *lat0;
	size_t i, shown = 0;
	int k;

	if (!ready)
		return;
	if (core_ws_open(db, CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return;
	}
	spec_sf(&spec, cats);
	spec.has_extent = 1;
	memcpy(spec.extent, box, sizeof(box));
	m = build(ws, &spec);
	if (!m)
		goto cleanup;
	lon0 = strstr(geo_proj_def(m->proj), "+lon_0=");
	lat0 = strstr(geo_proj_def(m->proj), "+lat_0=");
	CHECK(lon0 && lat0);
	if (lon0 && lat0) {
		CHECK(fabs(strtod(lon0 + 7, NULL) - -122.43) < 1e-6);
		CHECK(fabs(strtod(lat0 + 7, NULL) - 37.775) < 1e-6);
	}
	/* The box's corners inside the frame, the box filling it in one
	 * direction but for the padding. */
	x0 = y0 = HUGE_VAL;
	x1 = y1 = -HUGE_VAL;
	for (k = 0; k < 4; k++) {
		double X = box[k & 1 ? 2 : 0], Y = box[k & 2 ? 3 : 1], px, py;

		CHECK_INT(render_map_device_xy(m, X, Y, &px, &py, &err),
			  CORE_OK);
		px /= m->dev;
		py /= m->dev;
		CHECK(px >= m->frame.x - 0.5 &&
		      px <= m->frame.x + m->frame.w + 0.5 &&
		      py >= m->frame.y - 0.5 &&
		      py <= m->frame.y + m->frame.h + 0.5);
		x0 = fmin(x0, px);
		x1 = fmax(x1, px);
		y0 = fmin(y0, py);
		y1 = fmax(y1, py);
	}
	CHECK(fmax((x1 - x0) / m->frame.w, (y1 - y0) / m->frame.h) > 0.9);
	/* Symbols drawn only inside the frame (so about inside the box). */
	for (i = 0; i < m->assets->n; i++) {
		if (!m->shown[i])
			continue;
		shown++;
		CHECK(m->assets->lon[i] > box[0] - 0.01 &&
		      m->assets->lon[i] < box[2] + 0.01 &&
		      m->assets->lat[i] > box[1] - 0.01 &&
		      m->assets->lat[i] < box[3] + 0.01);
	}
	CHECK(shown > 20 && shown < 112);

	/* The binary refuses a box that is not one. */
	CHECK(system(NULL) != 0);
	{
		char cmd[1400];

		snprintf(cmd, sizeof(cmd),
			 "'%s' -q -d '%s' map -o '%s/x.png' --extent "
			 "-122.38,37.74,-122.48,37.81 2>/dev/null",
			 getenv("ASSETMAP"), db, test_tmpdir());
		k = system(cmd);
		CHECK(WIFEXITED(k) && WEXITSTATUS(k) == 2);
	}
cleanup:
	render_map_free(m);
	core_ws_close(ws);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(test_frame_is_sf), TEST(test_extent), {0}};

	return test_main("map_frame", tests);
}
