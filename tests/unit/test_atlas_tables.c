/*
 * test_atlas_tables.c - the atlas's tables say what they show, read back
 * with pdftotext from books of the demo county:
 *   - a heading that promises "the N areas" lists N rows, and when it
 *     lists fewer, or counts that cannot be ranked (<11, suppressed),
 *     it says so with numbers that agree with the rows and with a
 *     brute-force count of the areas that have anyone beyond D;
 *   - a hidden count has no rank number;
 *   - the median column says whose median it is, and the note under
 *     the table explains <11 and the median;
 *   - a category with no assets is "no data for this category", never
 *     ranked as everyone beyond, with no table.
 * The cohorts: the demo's 5,000 children and the first 400 of them (a
 * small cohort whose every area count is under 11).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"
#include "geo/geo_proj.h"
#include "testlib.h"

#define DEMO	 TEST_SRCDIR "/data/demo"
#define WITHIN_M 1609.344

static int have_ws;

/* The demo workspace with both cohorts, once. */
static int demo_ws(void)
{
	static const char *const steps[] = {
	    "-q -d w.db init --crs EPSG:3310",
	    "-q -d w.db import areas '" DEMO
	    "/tracts.geojson' --level tract --geoid GEOID --name NAME",
	    "-q -d w.db import indicators '" DEMO
	    "/indicators.csv' --geoid GEOID --population population",
	    "-q -d w.db import assets '" DEMO
	    "/assets.csv' --lon lon --lat lat --name name --id id --category "
	    "category --organization organization --capacity capacity",
	    "-q -d w.db import cohort kids '" DEMO
	    "/cohort.csv' --id person_id",
	    "-q -d w.db import cohort few few.csv --id person_id",
	    NULL};
	size_t i;

	if (have_ws)
		return have_ws > 0;
	have_ws = -1;
	if (system("pdftotext -v >/dev/null 2>&1") != 0) {
		test_skip("poppler-utils (pdftotext) not installed");
		return 0;
	}
	if (test_sh("head -n 401 '%s/cohort.csv' > '%s/few.csv'", DEMO,
		    test_tmpdir()) != 0) {
		test_fail(__FILE__, __LINE__, "cannot write few.csv");
		return 0;
	}
	for (i = 0; steps[i]; i++) {
		char *err = NULL;
		int rc = test_run_cli(steps[i], NULL, &err);

		if (rc != 0) {
			if (rc < 0)
				test_skip("ASSETMAP is not set (run through "
					  "make test)");
			else
				test_fail(__FILE__, __LINE__,
					  "assetmap %s: exit %d: %s", steps[i],
					  rc, err ? err : "");
			free(err);
			return 0;
		}
		free(err);
	}
	have_ws = 1;
	return 1;
}

/* Text of page of pdf with its layout ("" when it cannot be read). */
static char *page_text(const char *pdf, int page)
{
	char *s = test_sh_out("pdftotext -layout -f %d -l %d '%s' - "
			      "2>/dev/null",
			      page, page, pdf);

	return s ? s : xstrdup("");
}

/* s with every run of white space one space. */
static char *flat(const char *s)
{
	char *o = xmalloc(strlen(s) + 1), *q = o;

	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			if (q > o && q[-1] != ' ')
				*q++ = ' ';
		} else {
			*q++ = *s;
		}
	}
	*q = '\0';
	return o;
}

/* One row of a page's table. */
struct trow {
	int rank; /* 0: none printed */
	char beyond[32];
};

/* The rows of the table in page text: lines with a demo GEOID. */
static size_t table_rows(const char *text, struct trow *rows, size_t max)
{
	const char *l = text;
	size_t n = 0;

	while (*l && n < max) {
		const char *eol = strchr(l, '\n');
		size_t len = eol ? (size_t)(eol - l) : strlen(l);
		char *line = xasprintf("%.*s", (int)len, l);
		char *g = strstr(line, "06999");

		if (g && strspn(g, "0123456789") == 11) {
			char tok[8][64];
			int nt = 0;
			char *p = line;

			memset(&rows[n], 0, sizeof(rows[n]));
			/* rank: a number before the GEOID */
			if (sscanf(line, " %d", &rows[n].rank) != 1 ||
			    strstr(line, "06999") == line + strspn(line, " "))
				rows[n].rank = 0;
			/* beyond: the third token from the end (beyond,
			 * share, median with its unit or 'suppressed') */
			while (nt < 8 && sscanf(p, "%63s", tok[nt]) == 1) {
				p = strstr(p, tok[nt]) + strlen(tok[nt]);
				nt++;
				if (nt == 8) {
					memmove(tok[0], tok[1],
						sizeof(tok[0]) * 7);
					nt = 7;
				}
			}
			{
				/* the median may be "1.59 mi" (two tokens) */
				int last = nt - 1, b;

				if (last >= 0 &&
				    (strcmp(tok[last], "mi") == 0 ||
				     strcmp(tok[last], "km") == 0))
					last--;
				b = last - 2;
				if (b >= 0)
					snprintf(rows[n].beyond,
						 sizeof(rows[n].beyond), "%s",
						 tok[b]);
			}
			n++;
		}
		free(line);
		l += len + (eol ? 1 : 0);
	}
	return n;
}

/* Areas with at least one member of cohort farther than WITHIN_M from
 * every asset of cat, and the members' count in the most crowded. */
static size_t areas_beyond(const char *cohort, const char *cat)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct geo_proj *proj = NULL;
	struct geo_areas *areas = NULL;
	struct geo_members *m = NULL;
	struct geo_supply *s = NULL;
	struct geo_filter f;
	const char *cats[1] = {cat};
	unsigned char *seen = NULL;
	size_t i, j, n = 0;

	geo_filter_init(&f);
	if (core_ws_open(test_path("w.db"), CORE_WS_READ, &ws, &err) ||
	    geo_proj_for_ws(ws, &proj, &err) ||
	    geo_areas_load(ws, "tract", NULL, proj, &areas, &err) ||
	    geo_members_load(ws, cohort, NULL, proj, areas, &m, &err) ||
	    geo_supply_load(ws, cats, 1, &f, proj, &s, &err)) {
		test_fail(__FILE__, __LINE__, "reference: %s", err.msg);
		goto cleanup;
	}
	seen = xcalloc(areas->n + 1, 1);
	for (i = 0; i < m->n; i++) {
		double best = INFINITY;

		if (m->area[i] < 0)
			continue;
		for (j = 0; j < s[0].n; j++) {
			double dx = m->x[i] - s[0].x[j];
			double dy = m->y[i] - s[0].y[j];

			best = fmin(best, sqrt(dx * dx + dy * dy));
		}
		if (best > WITHIN_M && !seen[m->area[i]]) {
			seen[m->area[i]] = 1;
			n++;
		}
	}
cleanup:
	free(seen);
	if (s)
		geo_supply_free(s, 1);
	geo_members_free(m);
	geo_areas_free(areas);
	geo_proj_free(proj);
	core_ws_close(ws);
	return n;
}

/* Write the book; its path (test_path's buffer, copied). */
static int book(const char *args, char *pdf, size_t size)
{
	char *cmd, *err = NULL;
	int rc;

	snprintf(pdf, size, "%s", test_path("book.pdf"));
	cmd = xasprintf("-q -d w.db atlas %s -o '%s'", args, pdf);
	rc = test_run_cli(cmd, NULL, &err);
	if (rc != 0)
		test_fail(__FILE__, __LINE__, "assetmap %s: exit %d: %s", cmd,
			  rc, err ? err : "");
	free(cmd);
	free(err);
	return rc == 0;
}

/* ---- tests -------------------------------------------------------------- */

/* 400 people: every area's count is under 11.  The table lists the
 * first 10 in GEOID order, says so, ranks none, and the number of areas
 * with anyone beyond agrees with a brute-force count. */
static void test_small_cohort(void)
{
	char pdf[1024];
	struct trow rows[128];
	static const char *const cats[] = {"food", "primary_care"};
	size_t k, r, n;

	if (!demo_ws() || !book("--cohort few --category food,primary_care",
				pdf, sizeof(pdf)))
		return;
	for (k = 0; k < 2; k++) {
		char *t = page_text(pdf, 3 + (int)k), *f = flat(t);
		size_t want = areas_beyond("few", cats[k]), first = 0, of = 0;
		const char *c = strstr(f, "The first ");

		CHECK(want > 10);
		n = table_rows(t, rows, 128);
		CHECK_INT(n, 10);
		CHECK(c != NULL);
		if (c) {
			CHECK_INT(sscanf(c,
					 "The first %zu, in GEOID order, of "
					 "the %zu census tracts with cohort "
					 "members "
					 "beyond 1 mi",
					 &first, &of),
				  2);
			CHECK_INT(first, n);
			CHECK_INT(of, want);
			CHECK_CONTAINS(c, "too few to rank");
		}
		/* never "the 10 areas with the most" */
		CHECK(strstr(f, "with the most") == NULL);
		for (r = 0; r < n; r++) {
			CHECK_INT(rows[r].rank, 0);
			CHECK(strcmp(rows[r].beyond, "<11") == 0 ||
			      strcmp(rows[r].beyond, "suppressed") == 0);
		}
		/* the median says whose; <11 is explained */
		CHECK_CONTAINS(f, "Median distance, all members");
		CHECK_CONTAINS(f, "<11: 1 to 10 cohort members, not shown");
		CHECK_CONTAINS(f, "Median distance: the median, over all the "
				  "area's cohort members (within reach or "
				  "not)");
		free(f);
		free(t);
	}
}

/* Rows that did not fit on the page, as the page says under the table
 * ("N more rows did not fit on this page"); 0 when it does not. */
static size_t rows_cut(const char *f)
{
	const char *c = strstr(f, " more row");
	size_t n = 0;

	if (!c)
		return 0;
	while (c > f && isdigit((unsigned char)c[-1]))
		c--;
	if (sscanf(c, "%zu more row", &n) != 1)
		return 0;
	CHECK(strstr(c, "did not fit on this page") != NULL);
	return n;
}

/* With --top beyond the areas there are: "All N areas" (400 people) and
 * "The R areas with the most ...; then H ..." (5,000 people), with the
 * rows listed and those said not to fit on the page adding up. */
static void test_fewer_than_promised(void)
{
	char pdf[1024];
	struct trow rows[128];
	size_t n, r, want, all = 0, ranked = 0, hidden = 0, nr = 0, nh = 0;
	char *t, *f;
	const char *c;

	if (!demo_ws() ||
	    !book("--cohort few --category food --top 100", pdf, sizeof(pdf)))
		return;
	t = page_text(pdf, 3);
	f = flat(t);
	want = areas_beyond("few", "food");
	CHECK(want < 100);
	n = table_rows(t, rows, 128);
	/* the rows listed and those that did not fit: every area */
	CHECK_INT(n + rows_cut(f), want);
	CHECK(n >= 10);
	c = strstr(f, "All ");
	CHECK(c && sscanf(c, "All %zu census tracts with cohort members",
			  &all) == 1);
	CHECK_INT(all, want);
	free(f);
	free(t);

	if (!book("--cohort kids --category food --top 100", pdf, sizeof(pdf)))
		return;
	t = page_text(pdf, 3);
	f = flat(t);
	want = areas_beyond("kids", "food");
	CHECK(want > 100); /* the promise of 100 can be kept in rows */
	n = table_rows(t, rows, 128);
	CHECK_INT(n + rows_cut(f), 100);
	CHECK(rows_cut(f) > 0); /* 100 rows do not fit on a letter page */
	c = strstr(f, "The ");
	CHECK(c && sscanf(c,
			  "The %zu census tracts with the most cohort members "
			  "beyond "
			  "1 mi of food; then %zu with a count under 11",
			  &ranked, &hidden) == 2);
	CHECK_INT(ranked + hidden, 100);
	for (r = 0; r < n; r++) {
		int shown = strcmp(rows[r].beyond, "<11") != 0 &&
			    strcmp(rows[r].beyond, "suppressed") != 0;

		if (shown) {
			nr++;
			CHECK_INT(rows[r].rank, (int)nr);
			/* ranked rows come first */
			CHECK_INT(nh, 0);
		} else {
			nh++;
			CHECK_INT(rows[r].rank, 0);
		}
	}
	CHECK(nr <= ranked && nh <= hidden);
	CHECK_INT(nr + nh, n);
	free(f);
	free(t);

	/* the default 10, all shown: the plain promise, kept */
	if (!book("--cohort kids --category food", pdf, sizeof(pdf)))
		return;
	t = page_text(pdf, 3);
	f = flat(t);
	CHECK_CONTAINS(f, "The 10 census tracts with the most cohort members "
			  "beyond "
			  "1 mi of food");
	CHECK_INT(table_rows(t, rows, 128), 10);
	free(f);
	free(t);
}

/* A category with no assets: no data, not 100% beyond. */
static void test_no_assets(void)
{
	char pdf[1024], *out = NULL, *err = NULL, *cmd, *t, *f, *line;
	struct core_err e = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct trow rows[16];
	int pass;

	if (!demo_ws())
		return;
	/* a copy of the workspace without its dental assets */
	if (test_sh("cd '%s' && cp w.db nd.db", test_tmpdir()) != 0 ||
	    core_ws_open(test_path("nd.db"), CORE_WS_WRITE, &ws, &e)) {
		test_fail(__FILE__, __LINE__, "cannot make nd.db: %s", e.msg);
		return;
	}
	test_exec(ws, "DELETE FROM asset_categories WHERE category = 'dental'");
	CHECK_INT(test_q_int(ws, "SELECT count(*) FROM asset_categories WHERE "
				 "category = 'dental'"),
		  0);
	core_ws_close(ws);
	for (pass = 0; pass < 2; pass++) {
		snprintf(pdf, sizeof(pdf), "%s", test_path("nd.pdf"));
		cmd = xasprintf("-d nd.db atlas %s--category dental,food -o "
				"'%s'",
				pass ? "" : "--cohort kids ", pdf);
		CHECK_INT(test_run_cli(cmd, &out, &err), 0);
		free(cmd);
		/* the summary: dental has no rank and no counts; a note */
		line = out ? strstr(out, "dental") : NULL;
		CHECK(line != NULL);
		if (line) {
			const char *bol = line;
			const char *eol = strchr(line, '\n');

			while (bol > out && bol[-1] != '\n')
				bol--;
			/* only the page number after the code */
			CHECK(strspn(bol, " ") == (size_t)(line - bol));
			CHECK(eol && strspn(line + 6, " 0123456789") ==
					 (size_t)(eol - line - 6));
			CHECK(eol && strstr(line, "100") == NULL);
		}
		CHECK(err && strstr(err, "no data for category dental: the "
					 "workspace has no dental assets"));
		/* the stored run says no data too, not everyone beyond */
		{
			struct core_ws *rw = NULL;

			if (core_ws_open(test_path("nd.db"), CORE_WS_READ, &rw,
					 &e) == 0) {
				CHECK_INT(
				    test_q_int(
					rw,
					"SELECT count(*) FROM runs r, "
					"json_each(r.summary, '$.unmet') u "
					"WHERE r.id = (SELECT max(id) FROM "
					"runs WHERE analysis = 'atlas') AND "
					"json_extract(u.value, '$.category') = "
					"'dental' AND json_extract(u.value, "
					"'$.no_data') = 1 AND "
					"json_extract(u.value, '$.beyond') IS "
					"NULL"),
				    1);
				core_ws_close(rw);
			} else {
				test_fail(__FILE__, __LINE__, "open: %s",
					  e.msg);
			}
		}
		/* the ranking page */
		t = page_text(pdf, 2);
		f = flat(t);
		CHECK_CONTAINS(f, "Dental no data for this category (no "
				  "assets)");
		CHECK(strstr(f, "100.0%") == NULL);
		free(f);
		free(t);
		/* dental's page: no table, the reason */
		t = page_text(pdf, 3);
		f = flat(t);
		CHECK_CONTAINS(f, "No data for this category: the workspace "
				  "has no dental assets");
		CHECK_INT(table_rows(t, rows, 16), 0);
		CHECK(strstr(f, "The 10 areas") == NULL);
		free(f);
		free(t);
		/* food's page still has its table */
		t = page_text(pdf, 4);
		CHECK_INT(table_rows(t, rows, 16), 10);
		free(t);
		free(out);
		free(err);
		out = err = NULL;
	}
}

static const struct test tests[] = {TEST(test_small_cohort),
				    TEST(test_fewer_than_promised),
				    TEST(test_no_assets),
				    {0}};

int main(void)
{
	int rc = test_main("atlas_tables", tests);

	core_ws_shutdown();
	return rc;
}
