/*
 * test_legend.c - the bivariate legend of the demo county read back from
 * the PDF: the break values printed along both axes of the 3 x 3 key
 * against terciles computed here from the workspace with SQL (the
 * quantile rule: the value of rank ceil(c * m / 3) of the m sorted
 * values), as percentages for a percentile rank and with thousands
 * grouped for counts, never with an exponent; and the high-need,
 * low-access cell named with its count, counted here with SQL.
 *
 * Positions come from 'pdftotext -bbox': the need axis is a row of four
 * numbers under the key, rising left to right; the access axis a column
 * of four right-aligned numbers at its left, rising bottom to top.
 */
#include <ctype.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_ws.h"
#include "testlib.h"

#define DEMO TEST_SRCDIR "/data/demo"

static int have_ws;

/* The demo workspace with an access run, once. */
static int demo_ws(void)
{
	static const char *const steps[] = {
	    "-q -d w.db init --crs EPSG:3310",
	    "-q -d w.db import areas '" DEMO
	    "/tracts.geojson' --level tract --geoid GEOID --name NAME",
	    "-q -d w.db import areas '" DEMO
	    "/county.geojson' --level county --geoid GEOID --name NAME",
	    "-q -d w.db import indicators '" DEMO
	    "/indicators.csv' --geoid GEOID --population population",
	    "-q -d w.db import assets '" DEMO
	    "/assets.csv' --lon lon --lat lat --name name --id id --category "
	    "category --organization organization --capacity capacity",
	    "-q -d w.db access --method e2sfca --category primary_care "
	    "--catchment 3mi",
	    NULL};
	size_t i;

	if (have_ws)
		return have_ws > 0;
	have_ws = -1;
	if (system("pdftotext -v >/dev/null 2>&1") != 0) {
		test_skip("poppler-utils (pdftotext) not installed");
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

/* ---- the reference ------------------------------------------------------ */

/* Sorted values of sql (one REAL column, NULLs left out) into *v. */
static size_t sorted_values(struct core_ws *ws, const char *sql, double **v)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0, cap = 0;

	*v = NULL;
	if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "%s: %s", sql,
			  sqlite3_errmsg(ws->db));
		return 0;
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
			xgrow((void **)v, &cap, n + 1, sizeof(double));
			(*v)[n++] = sqlite3_column_double(st, 0);
		}
	sqlite3_finalize(st);
	return n;
}

/* The four edges of the tertiles of sorted s[0..m-1]: lowest, the two
 * breaks, highest. */
static void tercile_edges(const double *s, size_t m, double *e)
{
	e[0] = s[0];
	e[1] = s[(m + 2) / 3 - 1];
	e[2] = s[(2 * m + 2) / 3 - 1];
	e[3] = s[m - 1];
}

/* ---- the PDF's words -------------------------------------------------- */

struct word {
	double x0, y0, x1, y1;
	char text[64];
};

/* Every word of pdf with its box ('pdftotext -bbox'). */
static size_t words_of(const char *pdf, struct word **out)
{
	char *cmd = xasprintf("pdftotext -bbox '%s' - 2>/dev/null", pdf);
	char *html = test_popen(cmd), *p;
	size_t n = 0, cap = 0;

	free(cmd);
	*out = NULL;
	for (p = html; p && (p = strstr(p, "<word ")); p++) {
		struct word w;
		const char *gt = strchr(p, '>'), *end;

		if (!gt ||
		    sscanf(p,
			   "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" "
			   "yMax=\"%lf\"",
			   &w.x0, &w.y0, &w.x1, &w.y1) != 4)
			continue;
		end = strstr(gt, "</word>");
		if (!end)
			break;
		snprintf(w.text, sizeof(w.text), "%.*s", (int)(end - gt - 1),
			 gt + 1);
		xgrow((void **)out, &cap, n + 1, sizeof(*out[0]));
		(*out)[n++] = w;
	}
	free(html);
	return n;
}

/* A break value as printed: digits grouped by three with ',' (or not
 * grouped), an optional fraction after '.', and a '%' exactly when pct.
 * Sets *v (the % taken off: 0..100) and *half, half a unit of its last
 * digit.  0 when text is not one. */
static int tick_value(const char *text, int pct, double *v, double *half)
{
	char digits[64];
	size_t len = strlen(text), i, o = 0, intlen, run = 0;
	int commas = 0, dec = 0;
	const char *dot;

	if (len == 0 || len >= sizeof(digits) || pct != (text[len - 1] == '%'))
		return 0;
	if (pct)
		len--;
	dot = memchr(text, '.', len);
	intlen = dot ? (size_t)(dot - text) : len;
	if (intlen == 0)
		return 0;
	for (i = 0; i < intlen; i++) {
		if (text[i] == ',') {
			/* a group before it of 1..3 digits (first) or 3 */
			if (run == 0 || run > 3 || (commas && run != 3))
				return 0;
			commas++;
			run = 0;
			continue;
		}
		if (!isdigit((unsigned char)text[i]))
			return 0;
		digits[o++] = text[i];
		run++;
	}
	if (commas && run != 3)
		return 0;
	if (dot) {
		digits[o++] = '.';
		for (i = intlen + 1; i < len; i++, dec++) {
			if (!isdigit((unsigned char)text[i]))
				return 0;
			digits[o++] = text[i];
		}
		if (dec == 0)
			return 0;
	}
	digits[o] = '\0';
	*v = atof(digits);
	*half = 0.5 * pow(10, -dec);
	return 1;
}

/*
 * Among words, four break values in a row (horizontal: the same top,
 * left to right) or in a column (the same right edge, bottom to top)
 * that read as want[0..3] within half a unit of their last digit.
 * Returns 1 when found and fills text[4] with what was printed.
 */
static int find_axis(const struct word *w, size_t n, int horizontal, int pct,
		     const double *want, char text[4][64])
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct word *got[4] = {NULL, NULL, NULL, NULL};
		int k;

		for (j = 0; j < n; j++) {
			double v, half;

			if (!tick_value(w[j].text, pct, &v, &half))
				continue;
			if (horizontal ? fabs(w[j].y0 - w[i].y0) > 0.5
				       : fabs(w[j].x1 - w[i].x1) > 0.5)
				continue;
			for (k = 0; k < 4; k++)
				if (!got[k] && fabs(v - want[k]) <= half + 1e-9)
					break;
			if (k < 4)
				got[k] = &w[j];
		}
		for (k = 0; k < 4 && got[k]; k++)
			if (k > 0 &&
			    (horizontal ? got[k]->x0 <= got[k - 1]->x0
					: got[k]->y0 >= got[k - 1]->y0))
				break;
		if (k == 4) {
			for (k = 0; k < 4; k++)
				snprintf(text[k], sizeof(text[k]), "%s",
					 got[k]->text);
			return 1;
		}
	}
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

/* Need: svi (a percentile rank, printed as %) against access to primary
 * care (e2sfca scores). */
static void test_bivariate_breaks(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct word *w = NULL;
	double *need = NULL, *acc = NULL, ne[4], ae[4], want[4];
	char pdf[1024], text[4][64], *cmd, *layout = NULL, *sql, *e = NULL;
	size_t nn, na, nw, k;
	int64_t run, corner;

	if (!demo_ws())
		return;
	snprintf(pdf, sizeof(pdf), "%s", test_path("bivar.pdf"));
	cmd =
	    xasprintf("-q -d w.db map --bivariate svi,access:score_primary_care"
		      " --category primary_care -o '%s'",
		      pdf);
	CHECK_INT(test_run_cli(cmd, NULL, &e), 0);
	free(cmd);
	free(e);
	if (core_ws_open(test_path("w.db"), CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "open: %s", err.msg);
		return;
	}
	run = test_q_int(ws, "SELECT max(id) FROM runs WHERE analysis = "
			     "'access'");
	nn = sorted_values(ws,
			   "SELECT i.value FROM indicators i JOIN areas a ON "
			   "a.geoid = i.geoid AND a.level = 'tract' WHERE "
			   "i.name = 'svi' ORDER BY i.value",
			   &need);
	sql = xasprintf("SELECT r.value FROM results_area r JOIN areas a ON "
			"a.geoid = r.geoid AND a.level = 'tract' WHERE "
			"r.run_id = %lld AND r.name = 'score_primary_care' "
			"ORDER BY r.value",
			(long long)run);
	na = sorted_values(ws, sql, &acc);
	free(sql);
	/* the demo has 200 tracts, 3 without people (no svi) */
	CHECK_INT(nn, 197);
	CHECK_INT(na, 200);
	if (nn < 3 || na < 3)
		goto cleanup;
	tercile_edges(need, nn, ne);
	tercile_edges(acc, na, ae);
	/* the terciles are not degenerate, or the test would prove little */
	CHECK(ne[0] < ne[1] && ne[1] < ne[2] && ne[2] < ne[3]);
	CHECK(ae[0] < ae[1] && ae[1] < ae[2] && ae[2] < ae[3]);

	nw = words_of(pdf, &w);
	CHECK(nw > 20);
	for (k = 0; k < 4; k++)
		want[k] = 100 * ne[k];
	if (!find_axis(w, nw, 1, 1, want, text))
		test_fail(__FILE__, __LINE__,
			  "no row of need breaks %.4g%% %.4g%% %.4g%% %.4g%% "
			  "under the key",
			  want[0], want[1], want[2], want[3]);
	if (!find_axis(w, nw, 0, 0, ae, text))
		test_fail(__FILE__, __LINE__,
			  "no column of access breaks %.4g %.4g %.4g %.4g "
			  "beside the key",
			  ae[0], ae[1], ae[2], ae[3]);
	/* no number in exponent form anywhere */
	for (k = 0; k < nw; k++)
		if (isdigit((unsigned char)w[k].text[0]) &&
		    (strstr(w[k].text, "e-") || strstr(w[k].text, "e+")))
			test_fail(__FILE__, __LINE__, "'%s' has an exponent",
				  w[k].text);

	/* the corner: need above the upper tercile, access at most the
	 * lower one, both known */
	sql = xasprintf(
	    "SELECT count(*) FROM indicators i JOIN results_area r ON "
	    "r.geoid = i.geoid AND r.run_id = %lld AND r.name = "
	    "'score_primary_care' JOIN areas a ON a.geoid = i.geoid AND "
	    "a.level = 'tract' WHERE i.name = 'svi' AND i.value > %.17g AND "
	    "r.value <= %.17g",
	    (long long)run, ne[2], ae[1]);
	corner = test_q_int(ws, sql);
	free(sql);
	CHECK(corner > 0);
	cmd = xasprintf("pdftotext -layout '%s' - 2>/dev/null", pdf);
	layout = test_popen(cmd);
	free(cmd);
	CHECK(layout != NULL);
	if (layout) {
		const char *l = strstr(layout, "High need, low access");
		char count[32];

		CHECK(l != NULL);
		snprintf(count, sizeof(count), " %lld\n", (long long)corner);
		if (l) {
			const char *eol = strchr(l, '\n');
			char *line = xasprintf(
			    "%.*s\n", (int)(eol ? eol - l : (long)strlen(l)),
			    l);

			CHECK_CONTAINS(line, count);
			free(line);
		}
		CHECK_CONTAINS(layout, "Need: svi (percentile rank)");
		CHECK_CONTAINS(layout, "(score)");
		CHECK_CONTAINS(layout, "Higher need");
	}
cleanup:
	free(layout);
	free(w);
	free(need);
	free(acc);
	core_ws_close(ws);
}

/* A count as need: population, in the thousands, grouped with commas
 * and printed without decimals. */
static void test_bivariate_thousands(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct word *w = NULL;
	double *need = NULL, ne[4];
	char pdf[1024], text[4][64], *cmd, *e = NULL;
	size_t nn, nw;

	if (!demo_ws())
		return;
	snprintf(pdf, sizeof(pdf), "%s", test_path("bivar-pop.pdf"));
	cmd = xasprintf("-q -d w.db map --bivariate "
			"population,access:score_primary_care --no-assets -o "
			"'%s'",
			pdf);
	CHECK_INT(test_run_cli(cmd, NULL, &e), 0);
	free(cmd);
	free(e);
	if (core_ws_open(test_path("w.db"), CORE_WS_READ, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "open: %s", err.msg);
		return;
	}
	nn = sorted_values(ws,
			   "SELECT i.value FROM indicators i JOIN areas a ON "
			   "a.geoid = i.geoid AND a.level = 'tract' WHERE "
			   "i.name = 'population' ORDER BY i.value",
			   &need);
	CHECK_INT(nn, 200);
	if (nn < 3)
		goto cleanup;
	tercile_edges(need, nn, ne);
	CHECK(ne[1] >= 1000 && ne[3] >= 1000);
	nw = words_of(pdf, &w);
	if (!find_axis(w, nw, 1, 0, ne, text)) {
		test_fail(__FILE__, __LINE__,
			  "no row of need breaks %.0f %.0f %.0f %.0f under "
			  "the key",
			  ne[0], ne[1], ne[2], ne[3]);
	} else {
		/* whole people, thousands grouped */
		CHECK(strchr(text[1], ',') != NULL);
		CHECK(strchr(text[3], ',') != NULL);
		CHECK(strchr(text[3], '.') == NULL);
		CHECK(strchr(text[3], '%') == NULL);
	}
cleanup:
	free(w);
	free(need);
	core_ws_close(ws);
}

static const struct test tests[] = {
    TEST(test_bivariate_breaks), TEST(test_bivariate_thousands), {0}};

int main(void)
{
	int rc = test_main("legend", tests);

	core_ws_shutdown();
	return rc;
}
