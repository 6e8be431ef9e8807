/*
 * test_basemap.c - the basemap under a map (render_basemap.c), read from
 * an OpenStreetMap extract (imp_basemap.c) or from the roads 'import
 * roads' keeps (geo_basemap.c): on the shared extracts of downtown
 * Oakland (roads) and Felton (a rural village, streams), and on a tiny
 * OSM XML file made here (a lake, a town and a primary road).
 */
#include <cairo.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_basemap.h"
#include "importers/imp_basemap.h"
#include "render/render_basemap.h"
#include "render/render_map.h"
#include "render/render_model.h"
#include "testlib.h"

#define CREDIT "\xc2\xa9 OpenStreetMap contributors"

/* test_run_cli, its output thrown away (its stderr shown on a
 * failure when want is not -1 and the exit code differs). */
static int run(int want, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int run(int want, const char *fmt, ...)
{
	char *out = NULL, *err = NULL, *args;
	va_list ap;
	int rc, n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	args = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(args, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = test_run_cli(args, &out, &err);
	if (want != -1 && rc != want)
		test_fail(__FILE__, __LINE__, "%s: exit %d, want %d: %s", args,
			  rc, want, err ? err : "");
	free(out);
	free(err);
	free(args);
	return rc;
}

/* n x n tracts over the box (x0, y0)-(x1, y1), each shaded by its index
 * (indicator "pov"), as GeoJSON and CSV for 'import areas' and 'import
 * indicators'; the workspace test_tmpdir()/name made through the CLI.
 * Returns 0 when a step failed (reported). */
static int make_ws(const char *name, double x0, double y0, double x1, double y1,
		   int n)
{
	struct core_buf gj = CORE_BUF_INIT, csv = CORE_BUF_INIT;
	int i, j, k = 0;

	core_buf_adds(&gj, "{\"type\":\"FeatureCollection\",\"features\":[");
	core_buf_adds(&csv, "GEOID,pov\n");
	for (j = 0; j < n; j++)
		for (i = 0; i < n; i++) {
			double a = x0 + (x1 - x0) * i / n,
			       b = y0 + (y1 - y0) * j / n;
			double c = x0 + (x1 - x0) * (i + 1) / n,
			       d = y0 + (y1 - y0) * (j + 1) / n;
			k++;
			core_buf_addf(
			    &gj,
			    "%s{\"type\":\"Feature\",\"properties\":{"
			    "\"GEOID\":\"06001%06d\",\"NAME\":\"T%d\"},"
			    "\"geometry\":{\"type\":\"Polygon\","
			    "\"coordinates\":[[[%.6f,%.6f],[%.6f,%.6f],"
			    "[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f]]]}}",
			    k > 1 ? "," : "", k, k, a, b, c, b, c, d, a, d, a,
			    b);
			core_buf_addf(&csv, "06001%06d,%d\n", k, k);
		}
	core_buf_adds(&gj, "]}");
	test_write("areas.geojson", core_buf_str(&gj));
	test_write("pov.csv", core_buf_str(&csv));
	core_buf_release(&gj);
	core_buf_release(&csv);
	unlink(test_path(name));
	if (run(0, "-d %s init", name) ||
	    run(0,
		"-d %s import areas "
		"areas.geojson --level tract",
		name) ||
	    run(0, "-d %s import indicators pov.csv", name))
		return 0;
	return 1;
}

static int have_tools(void)
{
	if (!test_have_cli())
		return 0;
	if (!test_have_commands("pdftotext")) {
		test_fail(__FILE__, __LINE__, "pdftotext is not installed");
		return 0;
	}
	return 1;
}

/* The Oakland extract's path, or NULL (the test skipped). */
static const char *oakland(void)
{
	static char path[600];
	const char *d = test_need_shared_data();

	if (!d)
		return NULL;
	snprintf(path, sizeof path, "%s/osm-oakland/oakland.osm.pbf", d);
	return path;
}

static const char *felton(void)
{
	static char path[600];
	const char *d = test_need_shared_data();

	if (!d)
		return NULL;
	snprintf(path, sizeof path, "%s/osm-felton/felton.osm.pbf", d);
	return path;
}

static struct render_map *build(struct core_ws *ws, struct render_spec *spec)
{
	struct core_err err = CORE_ERR_INIT;
	struct render_map *m = NULL;

	if (render_map_build(ws, spec, &m, &err))
		test_fail(__FILE__, __LINE__, "render_map_build: %s", err.msg);
	return m;
}

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

static int overlap(const struct render_box *a, const struct render_box *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
	       b->y < a->y + a->h;
}

static int inside(const struct render_box *a, const struct render_box *f)
{
	return a->x >= f->x && a->y >= f->y && a->x + a->w <= f->x + f->w &&
	       a->y + a->h <= f->y + f->h;
}

/* The words pdftotext -bbox finds in a PDF. */
struct word {
	char text[128];
	struct render_box b;
};

static struct word *pdf_words(const char *pdf, size_t *n)
{
	char *out = test_sh_out("pdftotext -bbox '%s' -", pdf), *p;
	struct word *w = NULL;
	size_t cap = 0;

	*n = 0;
	for (p = out; p && (p = strstr(p, "<word ")); p++) {
		double x0, y0, x1, y1;
		const char *gt = strchr(p, '>'), *end;
		struct word one;
		size_t len;

		if (sscanf(p,
			   "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" "
			   "yMax=\"%lf\"",
			   &x0, &y0, &x1, &y1) != 4 ||
		    !gt || !(end = strstr(gt, "</word>")))
			continue;
		len = (size_t)(end - gt - 1);
		if (len >= sizeof one.text)
			len = sizeof one.text - 1;
		memcpy(one.text, gt + 1, len);
		one.text[len] = '\0';
		one.b = (struct render_box){x0, y0, x1 - x0, y1 - y0};
		xgrow((void **)&w, &cap, *n + 1, sizeof(*w));
		w[(*n)++] = one;
	}
	free(out);
	return w;
}

/* Oakland's roads over Oakland's tracts, as a PDF: the major streets
 * named, each label inside the frame, clear of the legend and of every
 * other label (the labels' boxes, and the words pdftotext reads back
 * from the page), the credit on the sources line; and without the
 * basemap none of it. */
static void test_oakland_labels(void)
{
	const char *pbf = oakland();
	struct core_err err = CORE_ERR_INIT;
	struct geo_basemap *bm = NULL;
	struct core_ws *ws = NULL;
	struct render_spec spec;
	struct render_map *m = NULL, *bare = NULL;
	struct word *w = NULL;
	size_t i, j, n, nw = 0, found = 0;
	int freeway = 0, broadway = 0;
	char *text = NULL;

	if (!pbf || !have_tools() ||
	    !make_ws("oak.db", -122.300, 37.790, -122.236, 37.832, 3))
		return;
	CHECK_INT(imp_basemap_read(pbf, &bm, &err), CORE_OK);
	if (!bm)
		return;
	/* what the extract holds (SOURCE.md): roads only */
	CHECK(bm->nlines > 1000);
	CHECK_INT(bm->nplaces, 0);
	if (core_ws_open(test_path("oak.db"), CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "open: %s", err.msg);
		goto done;
	}
	render_spec_init(&spec);
	spec.format = RENDER_PDF;
	spec.width = 792;
	spec.height = 612;
	spec.indicator = "pov";
	spec.basemap = bm;
	if (!(m = build(ws, &spec)))
		goto done;
	CHECK(m->basemap != NULL);
	CHECK(render_basemap_drawn(m->basemap));
	CHECK_CONTAINS(m->note, CREDIT);
	n = render_basemap_label_count(m->basemap);
	CHECK(n >= 8);
	for (i = 0; i < n; i++) {
		struct render_box a;
		const char *t = render_basemap_label(m->basemap, i);

		render_basemap_label_box(m->basemap, i, &a.x, &a.y, &a.w, &a.h);
		CHECK(inside(&a, &m->frame));
		CHECK(!overlap(&a, &m->legend_box));
		for (j = 0; j < i; j++) {
			struct render_box b;
			render_basemap_label_box(m->basemap, j, &b.x, &b.y,
						 &b.w, &b.h);
			if (overlap(&a, &b))
				test_fail(__FILE__, __LINE__,
					  "labels '%s' and '%s' overlap", t,
					  render_basemap_label(m->basemap, j));
		}
		freeway |= strcmp(t, "MacArthur Freeway") == 0;
		broadway |= strcmp(t, "Broadway") == 0;
		/* each name once; residential streets are not named */
		for (j = 0; j < i; j++)
			CHECK(strcmp(t, render_basemap_label(m->basemap, j)) !=
			      0);
	}
	CHECK(freeway);
	CHECK(broadway);
	CHECK_INT(render_map_write(m, test_path("oak.pdf"), &err), CORE_OK);

	/* The page as a reader sees it. */
	text = test_sh_out("pdftotext '%s' -", test_path("oak.pdf"));
	CHECK_CONTAINS(text, "MacArthur Freeway");
	CHECK_CONTAINS(text, "Broadway");
	CHECK_CONTAINS(text, "OpenStreetMap contributors");
	w = pdf_words(test_path("oak.pdf"), &nw);
	CHECK(nw > 20);
	for (i = 0; i < nw; i++) {
		/* the words of street labels: inside the frame, and no word
		 * of the page overlaps them */
		int street = 0;
		for (j = 0; j < n && !street; j++)
			street = strstr(render_basemap_label(m->basemap, j),
					w[i].text) != NULL &&
				 (strstr(w[i].text, "Street") ||
				  strstr(w[i].text, "Avenue") ||
				  strstr(w[i].text, "Freeway"));
		if (!street)
			continue;
		found++;
		CHECK(inside(&w[i].b, &m->frame));
		for (j = 0; j < nw; j++) {
			struct render_box a = w[i].b, b = w[j].b;
			/* pdftotext's boxes run a little over the glyphs */
			a.x += 0.3, a.w -= 0.6, a.y += 0.5, a.h -= 1;
			b.x += 0.3, b.w -= 0.6, b.y += 0.5, b.h -= 1;
			if (j != i && overlap(&a, &b))
				test_fail(__FILE__, __LINE__,
					  "words '%s' and '%s' overlap on the "
					  "page",
					  w[i].text, w[j].text);
		}
	}
	CHECK(found >= 5);

	/* The same map without a basemap: no street, no credit. */
	spec.basemap = NULL;
	if (!(bare = build(ws, &spec)))
		goto done;
	CHECK(bare->basemap == NULL);
	CHECK(strstr(bare->note, "OpenStreetMap") == NULL);
done:
	free(text);
	free(w);
	render_map_free(m);
	render_map_free(bare);
	core_ws_close(ws);
	geo_basemap_free(bm);
}

/* Asset symbols on the major streets' middles, where their names would
 * go: no label covers a symbol drawn (or a cluster), and names are
 * still placed. */
static void test_labels_avoid_symbols(void)
{
	const char *pbf = oakland();
	struct core_err err = CORE_ERR_INIT;
	struct geo_basemap *bm = NULL;
	struct core_ws *ws = NULL;
	struct render_spec spec;
	struct render_map *m = NULL;
	size_t i, j, n, added = 0;

	if (!pbf || !have_tools() ||
	    !make_ws("sym.db", -122.300, 37.790, -122.236, 37.832, 3))
		return;
	if (imp_basemap_read(pbf, &bm, &err) ||
	    core_ws_open(test_path("sym.db"), CORE_WS_WRITE, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto done;
	}
	for (i = 0; i < bm->nlines && added < 80; i++) {
		size_t k = (bm->start[i] + bm->start[i + 1]) / 2;
		if (bm->kind[i] > GEO_BM_SECONDARY ||
		    bm->kind[i] < GEO_BM_MOTORWAY || !bm->name[i] || i % 3)
			continue;
		test_add_asset(ws, (int)++added, bm->x[k], bm->y[k], "food");
	}
	CHECK(added >= 40);
	render_spec_init(&spec);
	spec.indicator = "pov";
	spec.no_cluster = 1;
	spec.basemap = bm;
	if (!(m = build(ws, &spec)))
		goto done;
	n = render_basemap_label_count(m->basemap);
	CHECK(n >= 3);
	for (i = 0; i < n; i++) {
		struct render_box a;
		render_basemap_label_box(m->basemap, i, &a.x, &a.y, &a.w, &a.h);
		for (j = 0; j < m->assets->n; j++) {
			double px, py, r = m->sym_base / 2;
			struct render_box s;
			if (!m->shown[j])
				continue;
			render_to_page(m, m->assets->x[j], m->assets->y[j], &px,
				       &py);
			s = (struct render_box){px - r, py - r, 2 * r, 2 * r};
			if (overlap(&a, &s))
				test_fail(__FILE__, __LINE__,
					  "label '%s' covers asset %zu",
					  render_basemap_label(m->basemap, i),
					  j);
		}
	}
done:
	render_map_free(m);
	core_ws_close(ws);
	geo_basemap_free(bm);
}

/* PNG: the pixels along the motorways differ from the same map without
 * the basemap (white roads over the fill), and those far from any road
 * do not. */
static void test_oakland_pixels(void)
{
	const char *pbf = oakland();
	struct core_err err = CORE_ERR_INIT;
	struct geo_basemap *bm = NULL;
	struct core_ws *ws = NULL;
	struct render_spec spec;
	struct render_map *m = NULL, *bare = NULL;
	cairo_surface_t *s = NULL, *sb = NULL;
	size_t i, k, tried = 0, differ = 0;

	if (!pbf || !have_tools() ||
	    !make_ws("oakpx.db", -122.300, 37.790, -122.236, 37.832, 3))
		return;
	if (imp_basemap_read(pbf, &bm, &err) ||
	    core_ws_open(test_path("oakpx.db"), CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto done;
	}
	render_spec_init(&spec);
	spec.indicator = "pov";
	spec.no_labels = 1;
	spec.no_inset = 1;
	spec.basemap = bm;
	if (!(m = build(ws, &spec)))
		goto done;
	spec.basemap = NULL;
	if (!(bare = build(ws, &spec)))
		goto done;
	s = draw(m);
	sb = draw(bare);
	/* the middle vertex of every motorway inside the frame, away from
	 * labels */
	for (i = 0; i < bm->nlines; i++) {
		double x = 0, y = 0, px, py;
		int lab = 0;
		size_t j;

		if (bm->kind[i] != GEO_BM_MOTORWAY)
			continue;
		k = (bm->start[i] + bm->start[i + 1]) / 2;
		if (render_map_device_xy(m, bm->x[k], bm->y[k], &x, &y, &err))
			continue;
		px = x / m->dev;
		py = y / m->dev;
		if (px < m->frame.x + 5 || px > m->frame.x + m->frame.w - 5 ||
		    py < m->frame.y + 5 || py > m->frame.y + m->frame.h - 5)
			continue;
		for (j = 0; j < render_basemap_label_count(m->basemap); j++) {
			struct render_box b, p = {px - 3, py - 3, 6, 6};
			render_basemap_label_box(m->basemap, j, &b.x, &b.y,
						 &b.w, &b.h);
			lab |= overlap(&b, &p);
		}
		if (lab)
			continue;
		tried++;
		differ += test_pixel(s, x, y) != test_pixel(sb, x, y);
	}
	CHECK(tried >= 20);
	CHECK(differ * 10 >= tried * 9);
	/* the frame's corner: no road there */
	{
		double x = (m->frame.x + 2) * m->dev,
		       y = (m->frame.y + 2) * m->dev;
		CHECK_INT((int)test_pixel(s, x, y), (int)test_pixel(sb, x, y));
	}
done:
	if (s)
		cairo_surface_destroy(s);
	if (sb)
		cairo_surface_destroy(sb);
	render_map_free(m);
	render_map_free(bare);
	core_ws_close(ws);
	geo_basemap_free(bm);
}

/* A tiny OSM XML extract: a square lake (natural=water), a town node
 * and a primary road named Lake Road, around -122.25, 37.80. */
static const char *tiny_osm(void)
{
	return test_write(
	    "tiny.osm",
	    "<?xml version='1.0' encoding='UTF-8'?>\n"
	    "<osm version='0.6' generator='test'>\n"
	    " <node id='1' version='1' lat='37.790' lon='-122.270'/>\n"
	    " <node id='2' version='1' lat='37.790' lon='-122.250'/>\n"
	    " <node id='3' version='1' lat='37.805' lon='-122.250'/>\n"
	    " <node id='4' version='1' lat='37.805' lon='-122.270'/>\n"
	    " <node id='5' version='1' lat='37.815' lon='-122.290'/>\n"
	    " <node id='6' version='1' lat='37.815' lon='-122.210'/>\n"
	    " <node id='7' version='1' lat='37.822' lon='-122.230'>\n"
	    "  <tag k='place' v='town'/><tag k='name' v='Testville'/>\n"
	    " </node>\n"
	    " <node id='8' version='1' lat='37.795' lon='-122.225'>\n"
	    "  <tag k='place' v='locality'/><tag k='name' v='Nowhere'/>\n"
	    " </node>\n"
	    " <way id='10' version='1'>\n"
	    "  <nd ref='1'/><nd ref='2'/><nd ref='3'/><nd ref='4'/>"
	    "<nd ref='1'/>\n"
	    "  <tag k='natural' v='water'/><tag k='name' v='Test Lake'/>\n"
	    " </way>\n"
	    " <way id='11' version='1'>\n"
	    "  <nd ref='5'/><nd ref='6'/>\n"
	    "  <tag k='highway' v='primary'/><tag k='name' v='Lake Road'/>\n"
	    " </way>\n"
	    "</osm>\n");
}

/* The tiny extract: water read and filled light blue-grey, the town
 * named (not the locality), the road named. */
static void test_tiny_water_place(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_basemap *bm = NULL;
	struct core_ws *ws = NULL;
	struct render_spec spec;
	struct render_map *m = NULL;
	cairo_surface_t *s = NULL;
	size_t i;
	int town = 0, road = 0, nowhere = 0;
	double x = 0, y = 0;
	uint32_t c;

	if (!have_tools() ||
	    !make_ws("tiny.db", -122.300, 37.780, -122.200, 37.830, 2))
		return;
	CHECK_INT(imp_basemap_read(tiny_osm(), &bm, &err), CORE_OK);
	if (!bm)
		return;
	CHECK_INT(bm->nlines, 2);
	CHECK_INT(bm->kind[0] == GEO_BM_WATER || bm->kind[1] == GEO_BM_WATER,
		  1);
	CHECK_INT(bm->nplaces, 1);
	if (bm->nplaces == 1) {
		CHECK_STR(bm->pname[0], "Testville");
		CHECK_INT(bm->rank[0], GEO_BM_TOWN);
	}
	if (core_ws_open(test_path("tiny.db"), CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "open: %s", err.msg);
		goto done;
	}
	render_spec_init(&spec);
	spec.no_labels = 1;
	spec.no_inset = 1;
	spec.basemap = bm;
	if (!(m = build(ws, &spec)))
		goto done;
	for (i = 0; i < render_basemap_label_count(m->basemap); i++) {
		const char *t = render_basemap_label(m->basemap, i);
		town += strcmp(t, "Testville") == 0;
		road += strcmp(t, "Lake Road") == 0;
		nowhere += strcmp(t, "Nowhere") == 0;
	}
	CHECK_INT(town, 1);
	CHECK_INT(road, 1);
	CHECK_INT(nowhere, 0);
	s = draw(m);
	/* inside the lake, away from its edge and the labels: bluish */
	CHECK_INT(render_map_device_xy(m, -122.262, 37.797, &x, &y, &err),
		  CORE_OK);
	c = test_pixel(s, x, y);
	CHECK((c & 0xff) > ((c >> 16) & 0xff) + 10);
done:
	if (s)
		cairo_surface_destroy(s);
	render_map_free(m);
	core_ws_close(ws);
	geo_basemap_free(bm);
}

/* The stored form: what goes in comes back (to 1e-7 degree), and a
 * damaged blob is refused. */
static void test_blob(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_basemap *a = geo_basemap_new(), *b = NULL;
	double x[3] = {-122.1234567, -122.2, -122.3},
	       y[3] = {37.1, 37.2345678, 37.3};
	unsigned char *blob = NULL;
	size_t len = 0, i;

	geo_basemap_add_line(a, GEO_BM_PRIMARY, "Main Street", x, y, 3);
	geo_basemap_add_line(a, GEO_BM_MINOR, NULL, x, y, 2);
	geo_basemap_add_line(a, GEO_BM_TERTIARY, "One", x, y, 1); /* dropped */
	geo_basemap_add_place(a, GEO_BM_CITY, "Oakland", -122.27, 37.8);
	geo_basemap_add_place(a, GEO_BM_TOWN, "", -122.27, 37.8); /* none */
	CHECK_INT(a->nlines, 2);
	CHECK_INT(a->nplaces, 1);
	geo_basemap_encode(a, &blob, &len);
	CHECK_INT(geo_basemap_decode(blob, len, &b, &err), CORE_OK);
	if (b) {
		CHECK_INT(b->nlines, 2);
		CHECK_INT(b->npts, 5);
		CHECK_STR(b->name[0], "Main Street");
		CHECK(b->name[1] == NULL);
		CHECK_INT(b->kind[0], GEO_BM_PRIMARY);
		CHECK_INT(b->kind[1], GEO_BM_MINOR);
		for (i = 0; i < 5; i++) {
			CHECK_NEAR(b->x[i], a->x[i], 0.6e-7);
			CHECK_NEAR(b->y[i], a->y[i], 0.6e-7);
		}
		CHECK_STR(b->pname[0], "Oakland");
		CHECK_INT(b->rank[0], GEO_BM_CITY);
	}
	geo_basemap_free(b);
	b = NULL;
	/* cut short, or a byte of a count changed: refused */
	CHECK_INT(geo_basemap_decode(blob, len - 3, &b, &err), CORE_EFORMAT);
	CHECK(b == NULL);
	blob[12] ^= 0x40;
	CHECK_INT(geo_basemap_decode(blob, len, &b, &err), CORE_EFORMAT);
	CHECK(b == NULL);
	CHECK_INT(geo_basemap_road_kind("motorway_link"), GEO_BM_MOTORWAY);
	CHECK_INT(geo_basemap_road_kind("service"), -1);
	CHECK_INT(geo_basemap_road_kind(NULL), -1);
	CHECK_INT(geo_basemap_place_rank("locality"), GEO_BM_PLACE_NONE);
	CHECK_INT(geo_basemap_place_rank("suburb"), GEO_BM_SUBURB);
	free(blob);
	geo_basemap_free(a);
}

/* Through the CLI: --basemap draws the names and the credit in PDF and
 * SVG; without it and without roads, neither; after 'import roads' the
 * roads (and their names) come without --basemap, --no-basemap turns
 * them off; the PNG of it differs from the plain one. */
static void test_cli(void)
{
	const char *pbf = oakland(), *fel = felton();
	char *text;
	cairo_surface_t *a, *b;
	int x, y, w, h;
	long differ = 0;

	if (!pbf || !fel || !have_tools() ||
	    !make_ws("cli.db", -122.300, 37.790, -122.236, 37.832, 3))
		return;
	run(0, "-d cli.db map --indicator pov --basemap '%s' -o b.pdf", pbf);
	run(0, "-d cli.db map --indicator pov --basemap '%s' -o b.svg", pbf);
	run(0, "-d cli.db map --indicator pov -o p.svg");
	text = test_sh_out("pdftotext '%s' -", test_path("b.pdf"));
	CHECK_CONTAINS(text, "San Pablo Avenue");
	CHECK_CONTAINS(text, "OpenStreetMap contributors");
	free(text);
	/* SVG sets its text as glyphs: the roads make it larger */
	{
		size_t nb = 0, np = 0;
		char *sb = test_slurp(test_path("b.svg"), &nb);
		char *sp = test_slurp(test_path("p.svg"), &np);
		CHECK(sb && strstr(sb, "<svg") && sp);
		CHECK(nb > np + 20000);
		free(sb);
		free(sp);
	}

	/* no basemap, no roads: no credit, no street */
	run(0, "-d cli.db map --indicator pov -o p.pdf");
	run(0, "-d cli.db map --indicator pov -o p.png --no-inset");
	text = test_sh_out("pdftotext '%s' -", test_path("p.pdf"));
	CHECK(text && !strstr(text, "OpenStreetMap"));
	CHECK(text && !strstr(text, "San Pablo"));
	free(text);

	/* the workspace's roads */
	run(0, "-d cli.db import roads '%s'", pbf);
	run(0, "-d cli.db map --indicator pov -o r.pdf");
	run(0, "-d cli.db map --indicator pov -o r.png --no-inset");
	run(0, "-d cli.db map --indicator pov -o n.pdf --no-basemap");
	text = test_sh_out("pdftotext '%s' -", test_path("r.pdf"));
	CHECK_CONTAINS(text, "OpenStreetMap contributors");
	CHECK_CONTAINS(text, "MacArthur Freeway");
	free(text);
	text = test_sh_out("pdftotext '%s' -", test_path("n.pdf"));
	CHECK(text && !strstr(text, "OpenStreetMap"));
	CHECK(text && !strstr(text, "MacArthur"));
	free(text);
	a = cairo_image_surface_create_from_png(test_path("r.png"));
	b = cairo_image_surface_create_from_png(test_path("p.png"));
	w = cairo_image_surface_get_width(a);
	h = cairo_image_surface_get_height(a);
	CHECK_INT(w, cairo_image_surface_get_width(b));
	CHECK_INT(h, cairo_image_surface_get_height(b));
	for (y = 0; y < h; y += 3)
		for (x = 0; x < w; x += 3)
			differ += test_pixel(a, x, y) != test_pixel(b, x, y);
	/* roads cover a good part of downtown */
	CHECK(differ > (long)w * h / 9 / 50);
	cairo_surface_destroy(a);
	cairo_surface_destroy(b);

	/* the map file keeps the basemap: a file, or none (not even the
	 * workspace's roads) */
	run(0, "-d cli.db map --basemap '%s' --save-style s.txt", fel);
	text = test_slurp(test_path("s.txt"), NULL);
	CHECK_CONTAINS(text, "\nbasemap = ");
	CHECK_CONTAINS(text, "felton.osm.pbf");
	free(text);
	test_write("none.txt", "basemap = none\nindicator = pov\n");
	run(0, "-d cli.db map --style none.txt -o none.pdf");
	text = test_sh_out("pdftotext '%s' -", test_path("none.pdf"));
	CHECK(text && !strstr(text, "OpenStreetMap"));
	CHECK(text && !strstr(text, "MacArthur"));
	free(text);
	/* Felton's extract is 60 km away from these tracts: nothing of it
	 * drawn, no credit */
	run(0, "-d cli.db map --style s.txt -o far.pdf");
	text = test_sh_out("pdftotext '%s' -", test_path("far.pdf"));
	CHECK(text && !strstr(text, "OpenStreetMap"));
	CHECK(text && !strstr(text, "Felton"));
	free(text);

	/* Felton: the village and the creek's water colour */
	run(0,
	    "-d cli.db map --indicator pov --basemap '%s' --extent "
	    "-122.10,37.03,-122.04,37.08 -o fel.pdf",
	    fel);
	text = test_sh_out("pdftotext '%s' -", test_path("fel.pdf"));
	CHECK_CONTAINS(text, "Felton");
	CHECK_CONTAINS(text, "OpenStreetMap contributors");
	free(text);
}

/* Bad files: exit 1 naming the file, nothing written. */
static void test_cli_errors(void)
{
	const char *pbf = oakland();
	char *cmd, *err = NULL;
	size_t len = 0;
	char *bytes;

	if (!pbf || !have_tools() ||
	    !make_ws("bad.db", -122.300, 37.790, -122.236, 37.832, 2))
		return;
	bytes = test_slurp(pbf, &len);
	if (!bytes || len < 1000) {
		test_fail(__FILE__, __LINE__, "cannot read %s", pbf);
		free(bytes);
		return;
	}
	{
		FILE *f = fopen(test_path("cut.osm.pbf"), "wb");
		CHECK(f != NULL);
		if (f) {
			fwrite(bytes, 1, len / 2, f);
			fclose(f);
		}
	}
	free(bytes);
	test_write("notosm.osm.pbf", "this is not OpenStreetMap data\n");

	CHECK_INT(test_run_cli("-d bad.db map --basemap cut.osm.pbf -o c.png",
			       NULL, &err),
		  1);
	CHECK_CONTAINS(err, "cut.osm.pbf");
	CHECK_CONTAINS(err, "cut short or damaged");
	CHECK(access(test_path("c.png"), F_OK) != 0);
	free(err);
	err = NULL;

	CHECK_INT(test_run_cli("-d bad.db map --basemap notosm.osm.pbf -o "
			       "c.pdf",
			       NULL, &err),
		  1);
	CHECK_CONTAINS(err, "notosm.osm.pbf");
	CHECK(access(test_path("c.pdf"), F_OK) != 0);
	free(err);
	err = NULL;

	CHECK_INT(test_run_cli("-d bad.db map --basemap missing.osm.pbf -o "
			       "c.svg",
			       NULL, &err),
		  1);
	CHECK_CONTAINS(err, "missing.osm.pbf");
	CHECK(access(test_path("c.svg"), F_OK) != 0);
	free(err);
	err = NULL;

	cmd = xasprintf("-d bad.db map --basemap '%s' --no-basemap -o c.png",
			pbf);
	CHECK_INT(test_run_cli(cmd, NULL, &err), 2);
	free(cmd);
	CHECK_CONTAINS(err, "--no-basemap");
	CHECK(access(test_path("c.png"), F_OK) != 0);
	free(err);
}

static const struct test tests[] = {
    TEST(test_blob),	       TEST(test_tiny_water_place),
    TEST(test_oakland_labels), TEST(test_labels_avoid_symbols),
    TEST(test_oakland_pixels), TEST(test_cli),
    TEST(test_cli_errors),     {0}};

int main(void)
{
	return test_main("basemap", tests);
}
