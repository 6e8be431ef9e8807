/*
 * test_atlas.c - 'assetmap atlas' end to end through the binary on a small
 * synthetic workspace with a point cohort, read back with pdfinfo and
 * pdftotext: the page count, the cover, every category's page, the
 * unmet-need counts against a brute-force count (members whose nearest
 * asset of the category is farther than D), small counts suppressed and
 * never printed, the worst-served tables in order, no member's
 * coordinates anywhere; the population book without a cohort; and a
 * failed book leaving neither a file nor a run behind.
 *
 * The workspace: four tracts in a 2 x 2 grid; food at every tract's
 * centre, housing at T1's, legal at T2's; members in tight clusters at
 * the centres, and four in a corner of T3, far from its food.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_taxonomy.h"
#include "core/core_ws.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"
#include "geo/geo_proj.h"
#include "testlib.h"

#define LON0	 -120.60
#define LAT0	 37.00
#define SIZE	 0.20
#define WITHIN_M 2000.0

static const char *const cats[] = {"food", "housing", "legal"};
#define NCATS 3

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static int have_tools(void)
{
	const char *am = getenv("ASSETMAP");

	if (!am || access(am, X_OK) != 0) {
		test_skip("ASSETMAP (the binary under test) is not set");
		return 0;
	}
	if (system("pdfinfo -v >/dev/null 2>&1") != 0 ||
	    system("pdftotext -v >/dev/null 2>&1") != 0) {
		test_skip("poppler-utils (pdfinfo, pdftotext) not installed");
		return 0;
	}
	return 1;
}

/* The whole output of a shell command, "" when it fails or exits
 * non-zero (caller frees). */
static char *capture(const char *cmd)
{
	char *s = test_popen(cmd);

	return s ? s : xstrdup("");
}

/* Run the binary on ws with args (a shell-quoted string); exit status. */
static int run(struct core_ws *ws, const char *args, char **out)
{
	char *cmd = xasprintf("'%s' -q -d '%s' %s 2>/dev/null",
			      getenv("ASSETMAP"), ws->path, args);
	FILE *fp;
	int st;

	*out = NULL;
	fp = popen(cmd, "r");
	free(cmd);
	if (!fp)
		return -1;
	{
		size_t n = 0, cap = 0, got;

		do {
			xgrow((void **)out, &cap, n + 4096, 1);
			got = fread(*out + n, 1, cap - n - 1, fp);
			n += got;
		} while (got > 0);
		(*out)[n] = '\0';
	}
	st = pclose(fp);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int pages_of(const char *pdf)
{
	char *cmd = xasprintf("pdfinfo '%s' 2>/dev/null", pdf);
	char *info = capture(cmd);
	const char *p = strstr(info, "Pages:");
	int n = p ? atoi(p + 6) : -1;

	free(cmd);
	free(info);
	return n;
}

/* Text of page (0: all) with its layout. */
static char *text_of(const char *pdf, int page)
{
	char *cmd = page ? xasprintf("pdftotext -layout -f %d -l %d '%s' -",
				     page, page, pdf)
			 : xasprintf("pdftotext -layout '%s' -", pdf);
	char *t = capture(cmd);

	free(cmd);
	return t;
}

/* The line of text holding needle (caller frees), or "". */
static char *line_with(const char *text, const char *needle)
{
	const char *p = strstr(text, needle), *a, *b;

	if (!p)
		return xstrdup("");
	for (a = p; a > text && a[-1] != '\n'; a--)
		;
	for (b = p; *b && *b != '\n'; b++)
		;
	return xasprintf("%.*s", (int)(b - a), a);
}

/* ---- the workspace ---------------------------------------------------- */

static void tract_centre(int t, double *lon, double *lat)
{
	int i = t / 2, j = t % 2;

	*lon = LON0 + i * SIZE / 2 + SIZE / 4;
	*lat = LAT0 + j * SIZE / 2 + SIZE / 4;
}

static char *geoid_of(int t)
{
	return xasprintf("0600100%02d00", t + 1);
}

static void add_asset(struct core_ws *ws, int id, int tract, const char *cat)
{
	double lon, lat;

	tract_centre(tract, &lon, &lat);
	test_add_asset(ws, id, lon, lat, cat);
}

/* Members' coordinates, to look for in the PDF. */
static double mlon[400], mlat[400];
static int nmem;

static void add_member(struct core_ws *ws, double lon, double lat)
{
	char *sql = xasprintf("INSERT INTO cohort_members(id, cohort_id,"
			      " precision, geom) VALUES(%d, 1, 'point',"
			      " MakePoint(%.9f, %.9f, 4326))",
			      nmem + 1, lon, lat);
	test_exec(ws, sql);
	free(sql);
	mlon[nmem] = lon;
	mlat[nmem] = lat;
	nmem++;
}

/* n members within about 400 m of tract t's centre. */
static void cluster(struct core_ws *ws, int t, int n)
{
	double lon, lat;
	int i;

	tract_centre(t, &lon, &lat);
	for (i = 0; i < n; i++)
		add_member(ws, lon + (test_rand(&rng) - 0.5) * 0.008,
			   lat + (test_rand(&rng) - 0.5) * 0.006);
}

static struct core_ws *make_ws(const char *name)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	char *path = xasprintf("%s/%s", test_tmpdir(), name);
	int i, t;

	unlink(path);
	if (core_ws_create(path, "EPSG:3310", core_taxonomy_seed, &ws, &err))
		test_fail(__FILE__, __LINE__, "core_ws_create: %s", err.msg);
	free(path);
	if (!ws)
		return NULL;
	test_exec(ws, "BEGIN");
	for (t = 0; t < 4; t++) {
		double x0 = LON0 + (t / 2) * SIZE / 2;
		double y0 = LAT0 + (t % 2) * SIZE / 2;
		char *g = geoid_of(t);
		char *sql = xasprintf(
		    "INSERT INTO areas(level, geoid, name, population, geom)"
		    " VALUES('tract', '%s', 'T%d', %d,"
		    " CastToMultiPolygon(BuildMbr(%.9f, %.9f, %.9f, %.9f, "
		    "4326)))",
		    g, t + 1, 1000 * (t + 1), x0, y0, x0 + SIZE / 2,
		    y0 + SIZE / 2);

		test_exec(ws, sql);
		free(sql);
		free(g);
	}
	for (t = 0; t < 4; t++)
		add_asset(ws, 10 + t, t, "food");
	add_asset(ws, 20, 0, "housing");
	add_asset(ws, 30, 1, "legal");
	test_exec(ws, "INSERT INTO cohorts(id, name, kind, created_at) VALUES"
		      " (1, 'people', 'points', 'now')");
	nmem = 0;
	cluster(ws, 0, 30);
	cluster(ws, 1, 25);
	cluster(ws, 2, 20);
	cluster(ws, 3, 40);
	/* four in T3's far corner, 1 km inside it: beyond its food */
	for (i = 0; i < 4; i++)
		add_member(ws, LON0 + SIZE / 2 + 0.011 + 0.001 * i,
			   LAT0 + 0.009);
	test_exec(ws, "COMMIT");
	return ws;
}

/* Members farther than D from the nearest asset of each category,
 * computed straight from the projected points. */
static void brute_force(struct core_ws *ws, int64_t *beyond)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_proj *proj = NULL;
	struct geo_areas *areas = NULL;
	struct geo_members *m = NULL;
	struct geo_supply *s = NULL;
	struct geo_filter f;
	size_t k, i, j;

	geo_filter_init(&f);
	if (geo_proj_for_ws(ws, &proj, &err) ||
	    geo_areas_load(ws, "tract", NULL, proj, &areas, &err) ||
	    geo_members_load(ws, "people", NULL, proj, areas, &m, &err) ||
	    geo_supply_load(ws, cats, NCATS, &f, proj, &s, &err)) {
		test_fail(__FILE__, __LINE__, "reference: %s", err.msg);
		goto cleanup;
	}
	for (k = 0; k < NCATS; k++) {
		beyond[k] = 0;
		for (i = 0; i < m->n; i++) {
			double best = INFINITY;

			for (j = 0; j < s[k].n; j++) {
				double dx = m->x[i] - s[k].x[j];
				double dy = m->y[i] - s[k].y[j];

				best = fmin(best, sqrt(dx * dx + dy * dy));
			}
			beyond[k] += best > WITHIN_M;
		}
	}
cleanup:
	geo_supply_free(s, NCATS);
	geo_members_free(m);
	geo_areas_free(areas);
	geo_proj_free(proj);
}

static char *category_name(struct core_ws *ws, const char *code)
{
	sqlite3_stmt *st;
	char *n = NULL;

	sqlite3_prepare_v2(ws->db, "SELECT name FROM categories WHERE code = ?",
			   -1, &st, NULL);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return n ? n : xstrdup(code);
}

/* ---- tests -------------------------------------------------------------- */

static void test_cohort_book(void)
{
	struct core_ws *ws;
	char *pdf, *out = NULL, *all, *p2, *args, *names[NCATS];
	int64_t bf[NCATS];
	int page_of[NCATS], i, k, rc;

	if (!have_tools())
		return;
	ws = make_ws("atlas.db");
	if (!ws)
		return;
	pdf = xasprintf("%s/book.pdf", test_tmpdir());
	unlink(pdf);
	args = xasprintf("atlas --cohort people --within 2km --units km"
			 " --title 'Test Atlas Title' --author Tester -o '%s'",
			 pdf);
	rc = run(ws, args, &out);
	CHECK_INT(rc, 0);
	/* cover + ranking + one page per category (all three: fewer
	 * than the default five) */
	CHECK_INT(pages_of(pdf), 2 + NCATS);
	brute_force(ws, bf);
	/* the hand-built expectation, so the reference is not vacuous */
	CHECK_INT(bf[0], 4);		/* food: T3's corner */
	CHECK_INT(bf[1], 25 + 24 + 40); /* housing: all but T1 */
	CHECK_INT(bf[2], 30 + 24 + 40); /* legal: all but T2 */

	all = text_of(pdf, 0);
	p2 = text_of(pdf, 2);
	CHECK_CONTAINS(all, "Test Atlas Title");
	CHECK_CONTAINS(all, "cohort 'people'");
	for (k = 0; k < NCATS; k++) {
		char want[64], *l;

		names[k] = category_name(ws, cats[k]);
		CHECK_CONTAINS(all, names[k]);
		l = line_with(p2, names[k]);
		if (core_privacy_is_small(bf[k])) {
			/* the bar says <11 and never the number */
			CHECK_CONTAINS(l, CORE_PRIVACY_SMALL_TEXT);
			snprintf(want, sizeof(want), " %lld ",
				 (long long)bf[k]);
			CHECK(strstr(l, want) == NULL);
		} else {
			snprintf(want, sizeof(want), "%lld (%.1f%%)",
				 (long long)bf[k],
				 100.0 * (double)bf[k] / nmem);
			CHECK_CONTAINS(l, want);
		}
		/* the stdout summary agrees */
		free(l);
		l = line_with(out, cats[k]);
		if (!core_privacy_is_small(bf[k])) {
			snprintf(want, sizeof(want), " %lld ",
				 (long long)bf[k]);
			CHECK_CONTAINS(l, want);
		} else {
			CHECK_CONTAINS(l, "<11");
		}
		free(l);
	}
	/* ranking order: legal (94), housing (89), food (hidden, last);
	 * category pages in that order */
	{
		const char *a = strstr(p2, names[2]), *b = strstr(p2, names[1]),
			   *c = strstr(p2, names[0]);

		CHECK(a && b && c && a < b && b < c);
	}
	page_of[2] = 3;
	page_of[1] = 4;
	page_of[0] = 5;
	for (k = 0; k < NCATS; k++) {
		char *pt = text_of(pdf, page_of[k]);

		CHECK_CONTAINS(pt, names[k]);
		free(pt);
	}
	/* housing's worst served: T4 (40), T2 (25), T3 (24); T1 none */
	{
		char *pt = text_of(pdf, 4), *g[4], *l;
		const char *p[4];

		for (i = 0; i < 4; i++) {
			g[i] = geoid_of(i);
			p[i] = strstr(pt, g[i]);
		}
		CHECK(p[0] == NULL);
		CHECK(p[3] && p[1] && p[2] && p[3] < p[1] && p[1] < p[2]);
		l = line_with(pt, g[3]);
		CHECK_CONTAINS(l, " 40 ");
		CHECK_CONTAINS(l, "100.0%");
		free(l);
		l = line_with(pt, "All areas");
		CHECK_CONTAINS(l, " 89 ");
		free(l);
		for (i = 0; i < 4; i++)
			free(g[i]);
		free(pt);
	}
	/* food: T3's 4 members beyond show as <11, the total is hidden
	 * too (it would give them away), and 4 is printed nowhere */
	{
		char *pt = text_of(pdf, 5), *g = geoid_of(2), *l;

		l = line_with(pt, g);
		CHECK_CONTAINS(l, CORE_PRIVACY_SMALL_TEXT);
		CHECK(strstr(l, " 4 ") == NULL);
		free(l);
		l = line_with(pt, "All areas");
		CHECK_CONTAINS(l, CORE_PRIVACY_HIDDEN_TEXT);
		CHECK(strstr(l, " 4 ") == NULL);
		free(l);
		free(g);
		free(pt);
	}
	/* no member's coordinates anywhere */
	for (i = 0; i < nmem; i++) {
		char s[32];

		snprintf(s, sizeof(s), "%.4f", mlon[i]);
		CHECK(strstr(all, s) == NULL);
		snprintf(s, sizeof(s), "%.4f", mlat[i]);
		CHECK(strstr(all, s) == NULL);
	}
	/* the runs: one deserts run a page, one atlas run */
	CHECK_INT(
	    test_q_int(ws,
		       "SELECT count(*) FROM runs WHERE analysis = 'deserts'"),
	    NCATS);
	CHECK_INT(test_q_int(
		      ws, "SELECT count(*) FROM runs WHERE analysis = 'atlas'"),
		  1);
	CHECK_INT(test_q_int(ws,
			     "SELECT count(*) FROM results_geom r JOIN runs u"
			     " ON u.id = r.run_id WHERE u.analysis = 'deserts'"
			     " AND r.name = 'desert'") > 0,
		  1);
	for (k = 0; k < NCATS; k++)
		free(names[k]);
	free(all);
	free(p2);
	free(out);
	free(args);
	free(pdf);
	core_ws_close(ws);
}

static void test_population_book_and_failures(void)
{
	struct core_ws *ws;
	char *pdf, *out = NULL, *all, *args;
	int64_t runs;

	if (!have_tools())
		return;
	ws = make_ws("atlas-pop.db");
	if (!ws)
		return;
	pdf = xasprintf("%s/pop.pdf", test_tmpdir());
	unlink(pdf);
	args = xasprintf("atlas --category housing --within 2km --units km"
			 " --landscape --page a4 -o '%s'",
			 pdf);
	CHECK_INT(run(ws, args, &out), 0);
	free(args);
	free(out);
	CHECK_INT(pages_of(pdf), 3);
	all = text_of(pdf, 0);
	CHECK_CONTAINS(all, "No cohort was given");
	/* population at the tract points: T1 is within 2 km of housing,
	 * the other three (2000 + 3000 + 4000 people) are beyond */
	CHECK_CONTAINS(all, "9,000");
	free(all);
	/* the page says the distance as it was asked, and the category in
	 * lower case inside a sentence */
	all = text_of(pdf, 3);
	CHECK_CONTAINS(all, "Housing: out of reach beyond 2 km");
	CHECK_CONTAINS(all, "from every housing asset");
	CHECK(!strstr(all, "2.00 km"));
	free(all);
	args = xasprintf(
	    "pdfinfo '%s' | grep -c 'Page size: *84[12][.0-9]* x 595'", pdf);
	out = capture(args);
	CHECK(atoi(out) == 1);
	free(out);
	free(args);

	/* failures: usage errors, and a bad indicator leaves neither a
	 * file nor a run */
	runs = test_q_int(ws, "SELECT count(*) FROM runs");
	CHECK_INT(run(ws, "atlas", &out), 2);
	free(out);
	CHECK_INT(run(ws, "atlas -o x.png", &out), 2);
	free(out);
	CHECK_INT(run(ws, "atlas --top 0 -o x.pdf", &out), 2);
	free(out);
	unlink(pdf);
	args = xasprintf("atlas --indicator no_such_thing -o '%s'", pdf);
	CHECK(run(ws, args, &out) == 1);
	free(out);
	free(args);
	CHECK(access(pdf, F_OK) != 0);
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM runs"), runs);
	free(pdf);
	core_ws_close(ws);
}

static const struct test tests[] = {
    TEST(test_cohort_book), TEST(test_population_book_and_failures), {0}};

int main(void)
{
	int rc = test_main("atlas", tests);

	core_ws_shutdown();
	return rc;
}
