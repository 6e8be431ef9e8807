/*
 * test_rainbow.c - the SDOH rainbow: partners and domains counted from a
 * small workspace (by hand and by a separate SQL count), then the chart
 * read back: pdftotext, the SVG parsed as XML, PNG pixels; partners
 * marked by their status in the partnership register.
 */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "render/render_rainbow.h"
#include "testlib.h"

/*
 * Partners, worked by hand (domains: EC economic, ED education, HC
 * health care, NB neighborhood, SC social):
 *   Valley Food Bank  assets 1, 2 (org spelt two ways)  food; food,
 *                     benefits                      EC(2)        1 domain
 *   Valley Health     assets 3, 4   primary_care + health_education;
 *                     education                     HC(1) ED(1)  2
 *   Grupo de Apoyo    asset 5, no organization, informal
 *                     social_connection             SC(1)        1
 *   Safe Routes       asset 6, organization ''   transportation, legal
 *                                                   NB(1) SC(1)  2
 *   Zeta Housing      asset 7   housing, safety, childcare
 *                                                   EC ED NB     3
 *   asset 8 has no category: no partner.
 * Order: Zeta (3), Valley Health (2 domains, 2 assets), Safe Routes (2,
 * 1), Valley Food Bank (1, 2), Grupo de Apoyo (1, 1).
 * Partners per domain: EC 2, ED 2, HC 1, NB 2, SC 2; assets per domain:
 * EC 3, ED 2, HC 1 (asset 3 once), NB 2, SC 2.
 */
static struct core_ws *make_ws(const char *name)
{
	struct core_ws *ws = test_new_ws(name);
	struct core_err err = CORE_ERR_INIT;

	if (!ws)
		return NULL;
	if (core_ws_exec(
		ws, &err,
		"INSERT INTO sources(id, kind, path, name, format, checksum, "
		"imported_at) VALUES"
		" (1, 'assets', '/x/partners.csv', 'partners.csv', 'CSV', "
		"'c1', '2024-01-01');"
		"INSERT INTO source_labels VALUES(1, 'Alder County 211',"
		" 'Resource directory', '2024');"
		"INSERT INTO assets(id, source_id, name, organization, formal, "
		"geom) VALUES"
		" (1, 1, 'North Pantry', 'Valley Food Bank', 1, "
		"MakePoint(-120.5, 37.1, 4326)),"
		" (2, 1, 'South Pantry', ' valley food bank ', 1, "
		"MakePoint(-120.5, 37.1, 4326)),"
		" (3, 1, 'Valley Clinic', 'Valley Health', 1, "
		"MakePoint(-120.5, 37.1, 4326)),"
		" (4, 1, 'Valley Health Tutors', 'Valley Health', 1, "
		"MakePoint(-120.5, 37.1, 4326)),"
		" (5, NULL, 'Grupo de Apoyo', NULL, 0, MakePoint(-120.5, 37.1, "
		"4326)),"
		" (6, 1, 'Safe Routes', '', 1, MakePoint(-120.5, 37.1, 4326)),"
		" (7, 1, 'Zeta Shelter', 'Zeta Housing', 1, MakePoint(-120.5, "
		"37.1, 4326)),"
		" (8, 1, 'Nothing Here', 'Nobody', 1, MakePoint(-120.5, 37.1, "
		"4326));"
		"INSERT INTO asset_categories VALUES (1, 'food'), (2, 'food'),"
		" (2, 'benefits'), (3, 'primary_care'), (3, "
		"'health_education'),"
		" (4, 'education'), (5, 'social_connection'), (6, "
		"'transportation'),"
		" (6, 'legal'), (7, 'housing'), (7, 'safety'), (7, "
		"'childcare');")) {
		test_fail(__FILE__, __LINE__, "inserting: %s", err.msg);
		core_ws_close(ws);
		return NULL;
	}
	return ws;
}

/* Partners serving each domain, counted by SQL alone. */
static int64_t sql_partners(struct core_ws *ws, const char *domain)
{
	char *q = xasprintf(
	    "SELECT count(DISTINCT lower(COALESCE(NULLIF(trim(a.organization), "
	    "''), trim(a.name))))"
	    " FROM assets a JOIN asset_categories ac ON ac.asset_id = a.id"
	    " JOIN categories c ON c.code = ac.category WHERE c.domain = '%s'",
	    domain);
	int64_t n = test_q_int(ws, q);

	free(q);
	return n;
}

static void test_load(void)
{
	static const char *const names[] = {"Zeta Housing", "Valley Health",
					    "Safe Routes", "Valley Food Bank",
					    "Grupo de Apoyo"};
	static const size_t partners[] = {2, 2, 1, 2, 2};
	static const size_t assets[] = {3, 2, 1, 2, 2};
	struct core_ws *ws = make_ws("rainbow.db");
	struct render_rainbow *r = NULL;
	struct core_err err = CORE_ERR_INIT;
	const char *food[] = {"food", "transportation"};
	size_t i;
	int d;

	if (!ws)
		return;
	CHECK_INT(render_rainbow_load(ws, NULL, 0, 0, &r, &err), CORE_OK);
	if (!r)
		goto done;
	CHECK_STR(r->domain_name[0], "Economic Stability");
	CHECK_STR(r->domain_name[4], "Social and Community Context");
	CHECK_INT(r->n, 5);
	CHECK_INT(r->nassets, 7);
	for (i = 0; i < 5 && i < r->n; i++)
		CHECK_STR(r->p[i].name, names[i]);
	CHECK_INT(r->p[0].ndomains, 3);
	CHECK_INT(r->p[3].nassets, 2);
	CHECK_INT(r->p[3].assets[0], 2);
	CHECK_INT(r->p[4].informal, 1);
	for (d = 0; d < RENDER_RAINBOW_DOMAINS; d++) {
		CHECK_INT(r->domain_partners[d], partners[d]);
		CHECK_INT(r->domain_assets[d], assets[d]);
		CHECK_INT((int64_t)r->domain_partners[d],
			  sql_partners(ws, r->domain_code[d]));
	}
	/* who published it, never the file */
	CHECK_STR(r->sources, "Alder County 211 Resource directory 2024");
	render_rainbow_free(r);
	r = NULL;

	/* food and transportation only: Valley Food Bank (EC 2), Safe
	 * Routes (NB 1) */
	CHECK_INT(render_rainbow_load(ws, food, 2, 0, &r, &err), CORE_OK);
	if (r) {
		CHECK_INT(r->n, 2);
		CHECK_STR(r->p[0].name, "Valley Food Bank");
		CHECK_INT(r->domain_partners[0], 1);
		CHECK_INT(r->domain_partners[3], 1);
		CHECK_INT(r->domain_partners[4], 0);
	}
	render_rainbow_free(r);
	r = NULL;
	/* at least 2 assets: Valley Health and Valley Food Bank */
	CHECK_INT(render_rainbow_load(ws, NULL, 0, 2, &r, &err), CORE_OK);
	if (r) {
		CHECK_INT(r->n, 2);
		CHECK_STR(r->p[0].name, "Valley Health");
		CHECK_INT(r->nassets, 4);
	}
	render_rainbow_free(r);
	r = NULL;
	/* without the five domains it says so */
	CHECK_INT(
	    core_ws_exec(
		ws, &err,
		"PRAGMA foreign_keys = OFF;"
		" DELETE FROM sdoh_domains WHERE code = 'education_access';"
		" PRAGMA foreign_keys = ON;"),
	    CORE_OK);
	CHECK_INT(render_rainbow_load(ws, NULL, 0, 0, &r, &err), CORE_EFORMAT);
	CHECK(strstr(err.msg, "4 domains") != NULL);
	CHECK(r == NULL);
done:
	render_rainbow_free(r);
	core_ws_close(ws);
}

/* Pixels of exactly colour c in a PNG. */
static long png_count(const char *path, unsigned c)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	long n = 0;
	int x, y, w, h, stride;
	unsigned char *data;

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return -1;
	}
	w = cairo_image_surface_get_width(s);
	h = cairo_image_surface_get_height(s);
	stride = cairo_image_surface_get_stride(s);
	data = cairo_image_surface_get_data(s);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			uint32_t p = *(uint32_t *)(data + y * stride + x * 4);
			if ((p & 0xffffff) == c)
				n++;
		}
	cairo_surface_destroy(s);
	return n;
}

static void test_render(void)
{
	struct core_ws *ws = make_ws("rainbow2.db");
	struct render_rainbow *r = NULL;
	struct render_rainbow_spec spec;
	struct core_err err = CORE_ERR_INIT;
	char pdf[600], pdf2[600], svg[600], png[600], png2[600];
	char cmd[1400], *txt;
	struct stat sb;
	int d;

	if (!ws)
		return;
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	memset(&spec, 0, sizeof(spec));
	spec.title = "Alder Coalition";
	spec.creator = "assetmap test";
	snprintf(pdf, sizeof(pdf), "%s/rb.pdf", test_tmpdir());
	snprintf(pdf2, sizeof(pdf2), "%s/rb2.pdf", test_tmpdir());
	snprintf(svg, sizeof(svg), "%s/rb.svg", test_tmpdir());
	snprintf(png, sizeof(png), "%s/rb.png", test_tmpdir());
	snprintf(png2, sizeof(png2), "%s/rb2.png", test_tmpdir());
	CHECK_INT(render_rainbow_load(ws, NULL, 0, 0, &r, &err), CORE_OK);
	if (!r)
		goto done;
	CHECK_INT(render_rainbow_write(r, &spec, pdf, &err), CORE_OK);
	CHECK_INT(render_rainbow_write(r, &spec, pdf2, &err), CORE_OK);
	CHECK(test_same_file(pdf, pdf2));
	snprintf(cmd, sizeof(cmd), "pdftotext -raw '%s' - 2>/dev/null", pdf);
	txt = test_popen(cmd);
	CHECK(txt != NULL);
	if (txt) {
		static const char *const want[] = {
		    "Alder Coalition", "Economic Stability",
		    "Education Access and Quality",
		    "Health Care Access and Quality",
		    "Neighborhood and Built Environment",
		    "Social and Community Context", "Zeta Housing",
		    "Valley Health", "Safe Routes", "Valley Food Bank",
		    "Grupo de Apoyo", "Alder County 211 Resource", "2023-11-14",
		    "5 partners with 7 assets",
		    /* the key's counts, as worked in test_load */
		    "2 partners, 3 assets", "1 partner, 1 asset"};
		size_t i;

		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			if (!strstr(txt, want[i]))
				test_fail(__FILE__, __LINE__,
					  "pdftotext lacks '%s'", want[i]);
		CHECK(!strstr(txt, "Nobody"));
		CHECK(!strstr(txt, "more partner"));
		free(txt);
	}
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s' 2>/dev/null", pdf);
	txt = test_popen(cmd);
	CHECK(txt && strstr(txt, "Alder Coalition") &&
	      strstr(txt, "792 x 612"));
	free(txt);

	CHECK_INT(render_rainbow_write(r, &spec, svg, &err), CORE_OK);
	/* Same bytes from the command line, one chart per process (cairo
	 * numbers SVG surfaces per process).  $ASSETMAP is set by 'make
	 * test'; the summary line counts as worked in test_load. */
	if (getenv("ASSETMAP")) {
		char *out = NULL, *e = NULL;

		CHECK_INT(test_run_cli("-d rainbow2.db rainbow -o cli1.svg "
				       "--title 'Alder Coalition'",
				       &out, &e),
			  0);
		CHECK(
		    out &&
		    strstr(
			out,
			"wrote cli1.svg: 5 partners, 7 assets; "
			"Economic Stability 2, Education Access and Quality 2, "
			"Health Care Access and Quality 1, Neighborhood and "
			"Built "
			"Environment 2, Social and Community Context 2\n"));
		free(out);
		free(e);
		CHECK_INT(test_run_cli("-q -d rainbow2.db rainbow -o cli2.svg "
				       "--title 'Alder Coalition'",
				       NULL, &e),
			  0);
		free(e);
		CHECK(test_same_file(test_path("cli1.svg"),
				     test_path("cli2.svg")));
	}
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import xml.dom.minidom,sys; d = "
		 "xml.dom.minidom.parse(sys.argv[1]); "
		 "print(d.documentElement.tagName)' '%s'",
		 svg);
	txt = test_popen(cmd);
	CHECK(txt && strcmp(txt, "svg\n") == 0);
	free(txt);

	CHECK_INT(render_rainbow_write(r, &spec, png, &err), CORE_OK);
	CHECK_INT(render_rainbow_write(r, &spec, png2, &err), CORE_OK);
	CHECK(test_same_file(png, png2));
	/* every domain's colour fills its arc: thousands of pixels */
	for (d = 0; d < RENDER_RAINBOW_DOMAINS; d++) {
		long n = png_count(png, render_rainbow_colors[d]);
		if (n < 5000)
			test_fail(__FILE__, __LINE__,
				  "domain %d colour %06x: %ld pixels", d,
				  render_rainbow_colors[d], n);
	}

	/* errors: the extension, an unwritable place; nothing left */
	CHECK_INT(render_rainbow_write(r, &spec, "x.jpg", &err), CORE_EUSAGE);
	CHECK(strstr(err.msg, ".png, .pdf or .svg") != NULL);
	CHECK_INT(
	    render_rainbow_write(r, &spec, "/nonexistent-dir/x.pdf", &err),
	    CORE_EIO);
	CHECK(strstr(err.msg, "/nonexistent-dir/x.pdf") != NULL);
	CHECK(stat("/nonexistent-dir/x.pdf", &sb) != 0);
done:
	unsetenv("SOURCE_DATE_EPOCH");
	render_rainbow_free(r);
	core_ws_close(ws);
}

/* Many partners: the grid shows the top N and says how many more. */
static void test_many(void)
{
	struct core_ws *ws = test_new_ws("rainbow3.db");
	struct core_buf sql = CORE_BUF_INIT;
	struct render_rainbow *r = NULL;
	struct render_rainbow_spec spec;
	struct core_err err = CORE_ERR_INIT;
	char pdf[600], cmd[700], *txt;
	int i;

	if (!ws)
		return;
	for (i = 1; i <= 40; i++) {
		core_buf_addf(
		    &sql,
		    "INSERT INTO assets(id, name, organization, geom) VALUES"
		    " (%d, 'Site %d', 'Partner %02d', MakePoint(-120.5, 37.1, "
		    "4326));"
		    "INSERT INTO asset_categories VALUES (%d, 'food');",
		    i, i, i, i);
		/* partner 07 also serves health care: it ranks first */
		if (i == 7)
			core_buf_adds(&sql, "INSERT INTO asset_categories "
					    "VALUES (7, 'dental');");
	}
	CHECK_INT(core_ws_exec(ws, &err, core_buf_str(&sql)), CORE_OK);
	core_buf_release(&sql);
	CHECK_INT(render_rainbow_load(ws, NULL, 0, 0, &r, &err), CORE_OK);
	if (!r)
		goto done;
	CHECK_INT(r->n, 40);
	CHECK_STR(r->p[0].name, "Partner 07");
	CHECK_STR(r->p[1].name, "Partner 01");
	CHECK_INT(r->domain_partners[0], 40);
	CHECK_INT(r->domain_partners[2], 1);
	memset(&spec, 0, sizeof(spec));
	spec.top = 25;
	snprintf(pdf, sizeof(pdf), "%s/many.pdf", test_tmpdir());
	CHECK_INT(render_rainbow_write(r, &spec, pdf, &err), CORE_OK);
	snprintf(cmd, sizeof(cmd), "pdftotext -raw '%s' - 2>/dev/null", pdf);
	txt = test_popen(cmd);
	CHECK(txt && strstr(txt, "and 15 more partners not shown"));
	CHECK(txt && strstr(txt, "Partner 24") && !strstr(txt, "Partner 26"));
	CHECK(txt && strstr(txt, "40 partners, 40 assets"));
	free(txt);
done:
	render_rainbow_free(r);
	core_ws_close(ws);
}

/*
 * Status from the register, worked by hand over make_ws's assets: asset 3
 * (Valley Health) current; 1 prospective and 2 former (both Valley Food
 * Bank: prospective, the better); 5 (Grupo de Apoyo) 'none'.  So Valley
 * Health is a current partner, Valley Food Bank a prospective one, and
 * Zeta Housing, Safe Routes and Grupo de Apoyo are others: 1, 1, 3.
 */
static const char status_sql[] =
    "INSERT INTO partners(asset_id, status, updated_at) VALUES"
    " (3, 'current', '2026-01-01'), (1, 'prospective', '2026-01-01'),"
    " (2, 'former', '2026-01-01'), (5, 'none', '2026-01-01');";

/* The vertical middle, in points, of the first word w on the PDF's page
 * (pdftotext -bbox), or -1. */
static double word_middle(const char *pdf, const char *w)
{
	char cmd[900], *txt, *p;
	double y0 = -1, y1 = -1;

	snprintf(cmd, sizeof(cmd), "pdftotext -bbox '%s' - 2>/dev/null", pdf);
	txt = test_popen(cmd);
	if (!txt)
		return -1;
	snprintf(cmd, sizeof(cmd), ">%s</word>", w);
	p = strstr(txt, cmd);
	if (p) {
		while (p > txt && strncmp(p, "<word", 5) != 0)
			p--;
		if (sscanf(p,
			   "<word xMin=\"%*f\" yMin=\"%lf\" xMax=\"%*f\" "
			   "yMax=\"%lf\"",
			   &y0, &y1) != 2)
			y0 = y1 = -1;
	}
	free(txt);
	return y0 < 0 ? -1 : (y0 + y1) / 2;
}

static void test_status(void)
{
	struct core_ws *ws = make_ws("rainbow4.db");
	struct render_rainbow *r = NULL;
	struct render_rainbow_spec spec;
	struct core_err err = CORE_ERR_INIT;
	/* the grid's rank dots: centred at x = 412 + 20 - 5 - 6.5 points
	 * (draw_grid, 16-point rows for five partners); PNG at 150 dpi */
	const double k = 150.0 / 72, dx = 412 + 20 - 5 - 6.5, off = 0.6 * 6.5;
	static const int want_status[] = {0, 1, 0, 2, 0};
	char pdf[600], png[600], cmd[700], *txt;
	cairo_surface_t *img;
	double top, last;
	int i;

	if (!ws)
		return;
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	memset(&spec, 0, sizeof(spec));
	spec.creator = "assetmap test";
	snprintf(pdf, sizeof(pdf), "%s/status.pdf", test_tmpdir());
	snprintf(png, sizeof(png), "%s/status.png", test_tmpdir());

	/* Without a register: no status, a line saying how to record one,
	 * and the rank written plainly (no dot). */
	CHECK_INT(render_rainbow_load(ws, NULL, 0, 0, &r, &err), CORE_OK);
	if (!r)
		goto done;
	CHECK_INT(r->registered, 0);
	for (i = 0; i < 5 && i < (int)r->n; i++)
		CHECK_INT(r->p[i].status, 0);
	CHECK_INT(render_rainbow_write(r, &spec, pdf, &err), CORE_OK);
	CHECK_INT(render_rainbow_write(r, &spec, png, &err), CORE_OK);
	snprintf(cmd, sizeof(cmd), "pdftotext -raw '%s' - 2>/dev/null", pdf);
	txt = test_popen(cmd);
	CHECK(txt && strstr(txt, "No partnership register") &&
	      !strstr(txt, "current partner"));
	free(txt);
	top = word_middle(pdf, "Zeta");
	CHECK(top > 0);
	img = cairo_image_surface_create_from_png(png);
	CHECK(test_pixel(img, (dx - off) * k, (top + 16) * k) != 0x222222);
	cairo_surface_destroy(img);
	render_rainbow_free(r);
	r = NULL;

	test_exec(ws, status_sql);
	CHECK_INT(render_rainbow_load(ws, NULL, 0, 0, &r, &err), CORE_OK);
	if (!r)
		goto done;
	CHECK_INT(r->registered, 1);
	CHECK_INT(r->n, 5);
	CHECK_STR(r->p[1].name, "Valley Health");
	CHECK_STR(r->p[3].name, "Valley Food Bank");
	for (i = 0; i < 5 && i < (int)r->n; i++)
		CHECK_INT(r->p[i].status, want_status[i]);
	CHECK_INT(r->nstatus[1], 1);
	CHECK_INT(r->nstatus[2], 1);
	CHECK_INT(r->nstatus[0], 3);
	/* the register changes no count */
	CHECK_INT(r->nassets, 7);
	CHECK_INT(r->domain_partners[0], 2);

	CHECK_INT(render_rainbow_write(r, &spec, pdf, &err), CORE_OK);
	snprintf(cmd, sizeof(cmd), "pdftotext -raw '%s' - 2>/dev/null", pdf);
	txt = test_popen(cmd);
	CHECK(txt != NULL);
	if (txt) {
		CHECK_CONTAINS(txt, "Partnership status");
		CHECK_CONTAINS(txt, "1 current partner\n");
		CHECK_CONTAINS(txt, "1 prospective partner\n");
		CHECK_CONTAINS(txt, "3 others: former, none or not in the "
				    "register");
		CHECK_CONTAINS(txt, "1 current and 1 prospective partner");
		CHECK_CONTAINS(txt, "5 partners with 7 assets");
		CHECK(!strstr(txt, "No partnership register"));
		free(txt);
	}
	/* The grid's dots, read back from the PNG at each row's middle
	 * (from the PDF's word boxes: same page, in points). */
	top = word_middle(pdf, "Zeta");
	last = word_middle(pdf, "Grupo");
	CHECK(top > 0 && fabs(last - top - 4 * 16) < 1.5);
	CHECK_INT(render_rainbow_write(r, &spec, png, &err), CORE_OK);
	img = cairo_image_surface_create_from_png(png);
	for (i = 0; i < 5; i++) {
		double y = (top + 16 * i) * k;
		uint32_t in = test_pixel(img, (dx - off) * k, y);
		/* inside the thick ring (5.2 to 6.8 points out), inside a
		 * plain dot's thin one */
		uint32_t edge = test_pixel(img, (dx - 5.6) * k, y);

		switch (want_status[i]) {
		case 1: /* filled dark */
			CHECK_INT(in, 0x222222);
			break;
		case 2: /* a ring: white inside, dark at the edge */
			CHECK_INT(in, 0xffffff);
			CHECK_INT(edge, 0x222222);
			break;
		default: /* faded */
			CHECK_INT(in, 0xe8e8e8);
			break;
		}
	}
	cairo_surface_destroy(img);
	/* The command line says the same. */
	if (getenv("ASSETMAP")) {
		char *out = NULL, *e = NULL;

		CHECK_INT(
		    test_run_cli("-d rainbow4.db rainbow -o s.svg", &out, &e),
		    0);
		CHECK(out && strstr(out, "; by status 1 current, 1 "
					 "prospective, 3 other\n"));
		free(out);
		free(e);
	}
done:
	unsetenv("SOURCE_DATE_EPOCH");
	render_rainbow_free(r);
	core_ws_close(ws);
}

static const struct test tests[] = {TEST(test_load),
				    TEST(test_render),
				    TEST(test_many),
				    TEST(test_status),
				    {NULL, NULL}};

int main(void)
{
	return test_main("rainbow", tests);
}
