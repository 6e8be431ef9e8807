/*
 * test_context.c - outlines, labels and the inset locator
 * (render_context.c) on a small synthetic workspace: eight tracts in a
 * 4 x 2 grid straddling the border of two counties, inside a state.
 */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_taxonomy.h"
#include "core/core_ws.h"
#include "render/render_context.h"
#include "render/render_map.h"
#include "render/render_model.h"
#include "testlib.h"

/* Tracts: columns from -122.53 by 0.04 degrees, rows from 37.70.  The
 * counties meet at -122.45, the line between columns 1 and 2. */
#define TX0    -122.53
#define TY0    37.70
#define TS     0.04
#define BORDER -122.45

enum {
	WITH_STATE = 1,
	BIG_COUNTIES = 2,
	LONG_NAMES = 4,
	ASSETS = 8,
	NO_NEST = 16 /* tract GEOIDs of a county not in the workspace */
};

static double asset_lon(int i)
{
	return TX0 + TS + 0.003 * (i % 7 - 3);
}

static double asset_lat(int i)
{
	return TY0 + TS + 0.003 * (i / 7 - 3);
}

static struct core_ws *make_ws(const char *name, int flags)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct core_buf sql = CORE_BUF_INIT;
	char path[600];
	double cy0 = 37.60, cy1 = 37.90, ax0 = -122.60, bx1 = -122.30;
	int i;

	snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), name);
	unlink(path);
	if (core_ws_create(path, "EPSG:3310", core_taxonomy_seed, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "core_ws_create: %s", err.msg);
		return NULL;
	}
	if (!(flags & BIG_COUNTIES)) {
		/* Counties no larger than the tracts. */
		cy0 = TY0;
		cy1 = TY0 + 2 * TS;
		ax0 = TX0;
		bx1 = TX0 + 4 * TS;
	}
	for (i = 0; i < 8; i++) {
		double x = TX0 + TS * (i % 4), y = TY0 + TS * (i / 4);
		core_buf_addf(
		    &sql,
		    "INSERT INTO areas(level, geoid, name, geom) VALUES"
		    " ('tract', '06%s00%02d00', '%s %d', GeomFromText("
		    "'MULTIPOLYGON(((%.6f %.6f, %.6f %.6f, %.6f %.6f, %.6f "
		    "%.6f, %.6f %.6f)))', 4326));"
		    "INSERT INTO indicators(geoid, name, value) VALUES "
		    "('06%s00%02d00', 'RPL_THEMES', %g);",
		    /* a tract's GEOID begins with its county's */
		    flags & NO_NEST ? "099"
		    : i % 4 < 2	    ? "001"
				    : "003",
		    i + 1,
		    flags & LONG_NAMES ? "Census Tract of the Long Name Number"
				       : "Tract",
		    i + 1, x, y, x + TS, y, x + TS, y + TS, x, y + TS, x, y,
		    flags & NO_NEST ? "099"
		    : i % 4 < 2	    ? "001"
				    : "003",
		    i + 1, 0.1 * (i + 1));
	}
	core_buf_addf(&sql,
		      "INSERT INTO areas(level, geoid, name, geom) VALUES"
		      " ('county', '06001', 'Alpha County', GeomFromText("
		      "'MULTIPOLYGON(((%.6f %.6f, %.6f %.6f, %.6f %.6f, %.6f "
		      "%.6f, %.6f %.6f)))', 4326)),"
		      " ('county', '06003', 'Beta County', GeomFromText("
		      "'MULTIPOLYGON(((%.6f %.6f, %.6f %.6f, %.6f %.6f, %.6f "
		      "%.6f, %.6f %.6f)))', 4326));",
		      ax0, cy0, BORDER, cy0, BORDER, cy1, ax0, cy1, ax0, cy0,
		      BORDER, cy0, bx1, cy0, bx1, cy1, BORDER, cy1, BORDER,
		      cy0);
	if (flags & WITH_STATE)
		core_buf_adds(
		    &sql, "INSERT INTO areas(level, geoid, name, geom) VALUES"
			  " ('state', '06', 'California', GeomFromText("
			  "'MULTIPOLYGON(((-123.5 37.0, -121.0 37.0, -121.0 "
			  "39.0, -123.5 39.0, -123.5 37.0)))', 4326));");
	/* A 7 x 7 block of assets over the middle of Alpha's visible part,
	 * where its label would go. */
	if (flags & ASSETS)
		for (i = 0; i < 49; i++)
			core_buf_addf(
			    &sql,
			    "INSERT INTO assets(id, name, geom) VALUES (%d, "
			    "'A%d', MakePoint(%.6f, %.6f, 4326));"
			    "INSERT INTO asset_categories VALUES (%d, 'food');",
			    i + 1, i + 1, asset_lon(i), asset_lat(i), i + 1);
	if (core_ws_exec(ws, &err, core_buf_str(&sql)))
		test_fail(__FILE__, __LINE__, "inserting: %s", err.msg);
	core_buf_release(&sql);
	return ws;
}

/* Draw the map's page on an image; the caller destroys it. */
static cairo_surface_t *draw(struct render_map *m)
{
	struct core_err err = CORE_ERR_INIT;
	double w, h;
	cairo_surface_t *s;
	cairo_t *cr;

	render_map_device_size(m, &w, &h);
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)lround(w),
				       (int)lround(h));
	cr = cairo_create(s);
	cairo_scale(cr, m->dev, m->dev);
	CHECK_INT(render_map_draw(m, cr, &err), CORE_OK);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	return s;
}

/* The darkest pixel within r device units of lon, lat. */
static int darkest_near(cairo_surface_t *s, const struct render_map *m,
			double lon, double lat, int r)
{
	struct core_err err = CORE_ERR_INIT;
	double x = 0, y = 0;
	int dx, dy, best = 255;

	render_map_device_xy(m, lon, lat, &x, &y, &err);
	for (dy = -r; dy <= r; dy++)
		for (dx = -r; dx <= r; dx++) {
			int l = test_luma(test_pixel(s, x + dx, y + dy));
			if (l < best)
				best = l;
		}
	return best;
}

static int boxes_overlap(double ax, double ay, double aw, double ah, double bx,
			 double by, double bw, double bh)
{
	return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}

static int box_inside(double x, double y, double w, double h,
		      const struct render_box *f)
{
	return x >= f->x && y >= f->y && x + w <= f->x + f->w &&
	       y + h <= f->y + f->h;
}

static struct render_map *build(struct core_ws *ws, struct render_spec *spec)
{
	struct core_err err = CORE_ERR_INIT;
	struct render_map *m = NULL;

	if (render_map_build(ws, spec, &m, &err))
		test_fail(__FILE__, __LINE__, "render_map_build: %s", err.msg);
	return m;
}

/* Default: county outlines over the tracts, both named, an inset of the
 * state. */
static void test_default_context(void)
{
	struct core_ws *ws = make_ws("ctx.db", WITH_STATE | BIG_COUNTIES);
	struct render_spec spec;
	struct render_map *m, *bare;
	const struct render_context *c;
	cairo_surface_t *s, *sb;
	double ix, iy, iw, ih, fx, fy;
	size_t i, j, n;
	int red = 0, land = 0, x, y;
	size_t alpha;

	if (!ws)
		return;
	render_spec_init(&spec);
	m = build(ws, &spec);
	if (!m)
		goto done;
	c = m->context;
	CHECK(c != NULL);
	/* Both named (the projection makes one a little larger, first). */
	n = render_context_label_count(c);
	CHECK_INT(n, 2);
	alpha = render_context_label(c, 0) &&
			strcmp(render_context_label(c, 0), "Alpha County") == 0
		    ? 0
		    : 1;
	CHECK_STR(render_context_label(c, alpha), "Alpha County");
	CHECK_STR(render_context_label(c, 1 - alpha), "Beta County");
	CHECK(render_context_label(c, 2) == NULL);

	/* Each label sits on its own side of the border, inside the frame,
	 * clear of the other labels, the legend and the inset. */
	render_context_inset_box(c, &ix, &iy, &iw, &ih);
	CHECK(iw > 20 && ih > 20);
	/* The tracts fill the frame, so no corner of it is free: the inset
	 * goes outside it, clear of the legend. */
	CHECK(!boxes_overlap(ix, iy, iw, ih, m->frame.x, m->frame.y, m->frame.w,
			     m->frame.h));
	CHECK(!boxes_overlap(ix, iy, iw, ih, m->legend_box.x, m->legend_box.y,
			     m->legend_box.w, m->legend_box.h));
	{
		struct core_err err = CORE_ERR_INIT;
		double bx = 0, by = 0;

		render_map_device_xy(m, BORDER, TY0 + TS, &bx, &by, &err);
		bx /= m->dev;
		for (i = 0; i < n; i++) {
			double lx, ly, lw, lh;

			render_context_label_box(c, i, &lx, &ly, &lw, &lh);
			CHECK(lw > 10 && lh > 4);
			CHECK(box_inside(lx, ly, lw, lh, &m->frame));
			CHECK(!boxes_overlap(lx, ly, lw, lh, ix, iy, iw, ih));
			CHECK(!boxes_overlap(lx, ly, lw, lh, m->legend_box.x,
					     m->legend_box.y, m->legend_box.w,
					     m->legend_box.h));
			if (i == alpha)
				CHECK(lx + lw <= bx);
			else
				CHECK(lx >= bx);
		}
	}

	/* The border drawn dark, where the map without outlines is light
	 * (the choropleth's classes and white tract edges). */
	s = draw(m);
	if (getenv("TEST_CONTEXT_PNG"))
		cairo_surface_write_to_png(s, getenv("TEST_CONTEXT_PNG"));
	render_spec_init(&spec);
	spec.outline = "none";
	spec.no_inset = 1;
	bare = build(ws, &spec);
	CHECK(bare && bare->context &&
	      render_context_label_count(bare->context) == 0);
	sb = bare ? draw(bare) : NULL;
	for (j = 0; j < 3; j++) {
		double lat = TY0 + TS * (0.25 + 0.75 * (double)j);
		CHECK(darkest_near(s, m, BORDER, lat, 1) < 60);
		if (sb)
			CHECK(darkest_near(sb, bare, BORDER, lat, 1) > 100);
	}
	/* Clipped to the frame: nothing dark just above it on the line. */
	{
		struct core_err err = CORE_ERR_INIT;
		double bx = 0, by = 0;

		render_map_device_xy(m, BORDER, TY0, &bx, &by, &err);
		fy = (m->frame.y - 3 * m->f) * m->dev;
		CHECK_INT(test_pixel(s, bx, fy), 0xffffff);
		fx = (m->frame.x + m->frame.w + 2 * m->f) * m->dev;
		(void)fx;
	}

	/* The inset: grey land, the red mark of the map's extent, nothing
	 * else but its white ground. */
	for (y = (int)(iy * m->dev) + 3; y < (int)((iy + ih) * m->dev) - 3; y++)
		for (x = (int)(ix * m->dev) + 3;
		     x < (int)((ix + iw) * m->dev) - 3; x++) {
			uint32_t p = test_pixel(s, x, y);
			int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff;
			if (p == 0xdcdcdc)
				land++;
			if (r > 180 && g < 80)
				red++;
		}
	CHECK(land > 100);
	CHECK(red > 10);
	cairo_surface_destroy(s);
	if (sb)
		cairo_surface_destroy(sb);
	render_map_free(bare);
	render_map_free(m);
done:
	core_ws_close(ws);
}

/* Switches and errors. */
static void test_switches(void)
{
	struct core_ws *ws = make_ws("sw.db", WITH_STATE | BIG_COUNTIES);
	struct core_err err = CORE_ERR_INIT;
	struct render_spec spec;
	struct render_map *m;
	struct render_context *c = NULL;
	double x, y, w, h;

	if (!ws)
		return;
	render_spec_init(&spec);
	m = build(ws, &spec);
	if (!m)
		goto done;
	spec.no_labels = 1;
	spec.no_inset = 1;
	CHECK_INT(render_context_load(m, ws, &spec, &c, &err), CORE_OK);
	CHECK_INT(render_context_label_count(c), 0);
	render_context_inset_box(c, &x, &y, &w, &h);
	CHECK(w == 0);
	render_context_free(c);
	c = NULL;

	/* A level the workspace lacks, named: an error naming it. */
	render_spec_init(&spec);
	spec.outline = "zcta";
	CHECK_INT(render_context_load(m, ws, &spec, &c, &err), CORE_ENOTFOUND);
	CHECK(c == NULL);
	CHECK_CONTAINS(err.msg, "no zcta areas");
	spec.outline = "parcel";
	CHECK_INT(render_context_load(m, ws, &spec, &c, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "'parcel'");

	/* The state outlined instead: one label, California. */
	spec.outline = "state";
	CHECK_INT(render_context_load(m, ws, &spec, &c, &err), CORE_OK);
	CHECK_INT(render_context_label_count(c), 1);
	CHECK_STR(render_context_label(c, 0), "California");
	render_context_free(c);
	c = NULL;

	/* A county map: no outlines by default, so no labels. */
	render_map_free(m);
	render_spec_init(&spec);
	spec.level = "county";
	m = build(ws, &spec);
	if (m) {
		CHECK_INT(render_context_load(m, ws, &spec, &c, &err), CORE_OK);
		CHECK_INT(render_context_label_count(c), 0);
		render_context_free(c);
	}
	render_map_free(m);
done:
	core_ws_close(ws);
}

/* No state, counties no larger than the tracts: no inset (it would show
 * no more than the map).  Outlines and labels still there. */
static void test_no_wider_region(void)
{
	struct core_ws *ws = make_ws("small.db", 0);
	struct render_spec spec;
	struct render_map *m;
	double x, y, w = -1, h;

	if (!ws)
		return;
	render_spec_init(&spec);
	m = build(ws, &spec);
	if (m) {
		render_context_inset_box(m->context, &x, &y, &w, &h);
		CHECK(w == 0);
		CHECK_INT(render_context_label_count(m->context), 2);
	}
	render_map_free(m);
	core_ws_close(ws);

	/* No state but counties larger than the map: their union is the
	 * inset. */
	ws = make_ws("big.db", BIG_COUNTIES);
	if (!ws)
		return;
	m = build(ws, &spec);
	if (m) {
		render_context_inset_box(m->context, &x, &y, &w, &h);
		CHECK(w > 0);
	}
	render_map_free(m);
	core_ws_close(ws);
}

/* Crowded long labels (tracts outlined): some dropped, none overlapping,
 * all in the frame and clear of the inset. */
static void test_collisions(void)
{
	struct core_ws *ws =
	    make_ws("crowd.db", WITH_STATE | BIG_COUNTIES | LONG_NAMES);
	struct core_err err = CORE_ERR_INIT;
	struct render_spec spec;
	struct render_map *m;
	struct render_context *c = NULL;
	double ix, iy, iw, ih;
	size_t i, j, n;

	if (!ws)
		return;
	render_spec_init(&spec);
	spec.width = 1200;
	spec.height = 900;
	m = build(ws, &spec);
	if (!m)
		goto done;
	spec.outline = "tract";
	CHECK_INT(render_context_load(m, ws, &spec, &c, &err), CORE_OK);
	n = render_context_label_count(c);
	CHECK(n >= 2 && n < 8);
	render_context_inset_box(c, &ix, &iy, &iw, &ih);
	for (i = 0; i < n; i++) {
		double ax, ay, aw, ah;

		CHECK_CONTAINS(render_context_label(c, i), "Long Name");
		render_context_label_box(c, i, &ax, &ay, &aw, &ah);
		CHECK(box_inside(ax, ay, aw, ah, &m->frame));
		CHECK(!boxes_overlap(ax, ay, aw, ah, ix, iy, iw, ih));
		for (j = 0; j < i; j++) {
			double bx, by, bw, bh;

			render_context_label_box(c, j, &bx, &by, &bw, &bh);
			CHECK(!boxes_overlap(ax, ay, aw, ah, bx, by, bw, bh));
		}
	}
	render_context_free(c);
	render_map_free(m);
done:
	core_ws_close(ws);
}

/* A label keeps off the symbols when its place has room elsewhere. */
static void test_label_avoids_symbols(void)
{
	struct core_ws *ws =
	    make_ws("sym.db", WITH_STATE | BIG_COUNTIES | ASSETS);
	struct core_err err = CORE_ERR_INIT;
	struct render_spec spec;
	struct render_map *m;
	size_t i, k, n, found = 0;

	if (!ws)
		return;
	render_spec_init(&spec);
	spec.no_cluster = 1;
	m = build(ws, &spec);
	if (!m)
		goto done;
	n = render_context_label_count(m->context);
	CHECK_INT(n, 2);
	for (i = 0; i < n; i++) {
		double lx, ly, lw, lh;

		if (strcmp(render_context_label(m->context, i),
			   "Alpha County") != 0)
			continue;
		found = 1;
		render_context_label_box(m->context, i, &lx, &ly, &lw, &lh);
		for (k = 0; k < 49; k++) {
			double x = 0, y = 0;

			render_map_device_xy(m, asset_lon((int)k),
					     asset_lat((int)k), &x, &y, &err);
			x /= m->dev;
			y /= m->dev;
			CHECK(!(x > lx - 4 && x < lx + lw + 4 && y > ly - 4 &&
				y < ly + lh + 4));
		}
	}
	CHECK_INT(found, 1);
	render_map_free(m);
done:
	core_ws_close(ws);
}

/* Outlines the areas do not nest in (county lines across ZIP areas):
 * drawn over the areas when their detail is of the areas' order, only
 * outside them when much coarser; the areas' dissolve outlined always. */
static void test_outline_detail(void)
{
	static const int flags[2] = {NO_NEST, NO_NEST | BIG_COUNTIES};
	int k;

	for (k = 0; k < 2; k++) {
		struct core_ws *ws = make_ws("detail.db", flags[k]);
		struct render_spec spec;
		struct render_map *m;
		cairo_surface_t *s;
		int j;

		if (!ws)
			return;
		render_spec_init(&spec);
		spec.no_inset = 1;
		m = build(ws, &spec);
		s = m ? draw(m) : NULL;
		for (j = 0; s && j < 3; j++) {
			double lat = TY0 + TS * (0.25 + 0.75 * (double)j);
			int d = darkest_near(s, m, BORDER, lat, 1);

			/* county edges as long as two tracts: drawn across
			 * them; as long as eight: not */
			if (k == 0)
				CHECK(d < 60);
			else
				CHECK(d > 100);
		}
		/* the study area's edge, dark either way */
		if (s)
			CHECK(darkest_near(s, m, TX0, TY0 + TS, 2) < 60);
		if (s)
			cairo_surface_destroy(s);
		render_map_free(m);
		core_ws_close(ws);
	}
}

static const struct test tests[] = {TEST(test_outline_detail),
				    TEST(test_default_context),
				    TEST(test_switches),
				    TEST(test_no_wider_region),
				    TEST(test_collisions),
				    TEST(test_label_avoids_symbols),
				    {0}};

int main(void)
{
	return test_main("context", tests);
}
