/*
 * test_input.c - what the analyses read (geo_input.h): supply filters,
 * opening hours, cohort members with --where and their areas, demand per
 * area, and area points.
 *
 * Workspaces are real SpatiaLite files filled with SQL; reference values
 * come from SpatiaLite itself (ST_Centroid, ST_Contains and Transform,
 * i.e. GEOS and PROJ) or by hand.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_taxonomy.h"
#include "core/core_ws.h"
#include "geo/geo_input.h"
#include "geo/geo_load.h"
#include "geo/geo_proj.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

static struct core_ws *new_ws(const char *name)
{
	struct core_ws *ws = test_new_ws_crs(name, "EPSG:3310");

	/* for the reference values computed by SpatiaLite */
	if (ws)
		sqlite3_exec(ws->db, "SELECT InsertEpsgSrid(3310)", NULL, NULL,
			     NULL);
	return ws;
}

static void exec(struct core_ws *ws, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(ws->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "%s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
	}
}

static double q_double(struct core_ws *ws, const char *sql)
{
	sqlite3_stmt *st;
	double v = NAN;

	if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) != SQLITE_OK) {
		test_fail(__FILE__, __LINE__, "%s: %s", sql,
			  sqlite3_errmsg(ws->db));
		return NAN;
	}
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* An asset at lon, lat with the given columns (NULL: SQL NULL). */
static void add_asset(struct core_ws *ws, int id, double lon, double lat,
		      const char *cats, const char *langs, const char *hours,
		      const char *capacity, int medi_cal, int formal,
		      const char *program)
{
	char *sql, *cat, *p;

	sql = xasprintf(
	    "INSERT INTO assets(id, name, languages, hours, capacity,"
	    " accepts_medi_cal, formal, geom) VALUES(%d, 'A%d', %s%s%s,"
	    " %s%s%s, %s, %d, %d, MakePoint(%.9f, %.9f, 4326))",
	    id, id, langs ? "'" : "", langs ? langs : "NULL", langs ? "'" : "",
	    hours ? "'" : "", hours ? hours : "NULL", hours ? "'" : "",
	    capacity ? capacity : "NULL", medi_cal, formal, lon, lat);
	exec(ws, sql);
	free(sql);
	cat = xstrdup(cats);
	for (p = strtok(cat, ","); p; p = strtok(NULL, ",")) {
		sql = xasprintf("INSERT INTO asset_categories VALUES(%d, '%s')",
				id, p);
		exec(ws, sql);
		free(sql);
	}
	free(cat);
	if (program) {
		sql = xasprintf("INSERT INTO asset_programs VALUES(%d, '%s')",
				id, program);
		exec(ws, sql);
		free(sql);
	}
}

static struct geo_proj *ws_proj(struct core_ws *ws)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_proj *p = NULL;

	if (geo_proj_for_ws(ws, &p, &err))
		test_fail(__FILE__, __LINE__, "geo_proj_for_ws: %s", err.msg);
	return p;
}

/* ---------------------------------------------------------------------
 * Hours
 * ------------------------------------------------------------------ */

static void test_hours(void)
{
	static const struct {
		const char *text;
		int rc, weekday, evening;
	} cases[] = {
	    /* OSM opening_hours style, as the demo and HSDS write it */
	    {"Mo-Fr 09:00-17:00; Sa 10:00-14:00", 0, 1, 0},
	    {"Mo-Th 08:00-19:00; Fr 08:00-17:00", 0, 1, 1},
	    {"Sa 10:00-12:00", 0, 0, 0},
	    {"Sa-Su 17:30-20:00", 0, 0, 1},
	    {"Tu 18:00-20:00", 0, 1, 1},
	    {"Tu,Th 10:00-13:00", 0, 1, 0},
	    {"Mo-Fr 08:00-12:00,13:00-17:00", 0, 1, 0},
	    {"Mo,We 17:30-19:30", 0, 1, 1},
	    {"Fr-Mo 10:00-12:00", 0, 1, 0},
	    {"Tu[2,4] 15:30-17:30", 0, 1, 1},
	    {"Sa[1] 09:00-11:00 (monthly)", 0, 0, 0},
	    {"Mo-Fr 09:00+", 0, 1, 0},
	    {"Su 18:00-00:00", 0, 0, 1},
	    {"Fr 22:00-02:00", 0, 1, 1},
	    /* US free text */
	    {"Mon-Fri 9am-5pm", 0, 1, 0},
	    {"Mon-Fri 9am-6pm", 0, 1, 1},
	    {"Monday-Friday 9 a.m. to 5 p.m.", 0, 1, 0},
	    {"Mon - Fri: 9:00 AM - 7:30 PM", 0, 1, 1},
	    {"Monday: 9:00 AM - 5:00 PM", 0, 1, 0},
	    {"Saturday: 9:00 AM - 5:00 PM, Sunday: Closed", 0, 0, 0},
	    {"Monday: Closed\nSaturday: 10:00 AM - 2:00 PM", 0, 0, 0},
	    {"Sunday 4pm-8pm", 0, 0, 1},
	    {"Mon, Wed & Fri 9-5", 0, 1, 0},
	    {"Tues 1-5pm", 0, 1, 0},
	    {"Thursdays 5:30pm to 7pm", 0, 1, 1},
	    {"Weekdays 8-4:30", 0, 1, 0},
	    {"Weekends noon to 8pm", 0, 0, 1},
	    {"Daily 6am-10pm", 0, 1, 1},
	    {"Mon-Fri", 0, 1, 0},
	    {"9am-5pm", 0, 1, 0},
	    {"24/7", 0, 1, 1},
	    {"Open 24 hours", 0, 1, 1},
	    {"Sa 24/7", 0, 0, 1},
	    {"Lunes a viernes 8:00-17:00", 0, 1, 0},
	    {"sábado 9:00-13:00", 0, 0, 0},
	    {"Closed Mondays", 0, 0, 0},
	    {"Closed Sat and Sun; Mon-Fri 9-5", 0, 1, 0},
	    {"Mon-Fri 9-5, closed Sat", 0, 1, 0},
	    {"Tu/Th 6pm-9pm", 0, 1, 1},
	    /* nothing to read */
	    {"", -1, 0, 0},
	    {"by appointment", -1, 0, 0},
	    {"call for hours", -1, 0, 0},
	    {"3rd", -1, 0, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int wd = -1, ev = -1;
		int rc = geo_hours_parse(cases[i].text, &wd, &ev);
		if (rc != cases[i].rc || wd != cases[i].weekday ||
		    ev != cases[i].evening)
			test_fail(__FILE__, __LINE__,
				  "\"%s\": rc %d weekday %d evening %d, "
				  "expected %d %d %d",
				  cases[i].text, rc, wd, ev, cases[i].rc,
				  cases[i].weekday, cases[i].evening);
	}
	{
		int wd = 5, ev = 5;
		CHECK_INT(geo_hours_parse(NULL, &wd, &ev), -1);
		CHECK_INT(wd, 0);
		CHECK_INT(ev, 0);
	}
}

/* Every hours string of the demo county reads. */
static void test_hours_demo(void)
{
	FILE *fp = fopen(TEST_SRCDIR "/data/demo/assets.csv", "r");
	char line[4096];
	int n = 0, bad = 0;

	CHECK(fp != NULL);
	if (!fp)
		return;
	/* hours is the 9th column; fields may be quoted */
	while (fgets(line, sizeof(line), fp)) {
		char field[512], *p = line;
		int k = 0, wd, ev;
		size_t len = 0;
		if (n++ == 0)
			continue;
		while (*p && *p != '\n' && k <= 8) {
			int q = *p == '"';
			len = 0;
			if (q)
				p++;
			while (*p && *p != '\n') {
				if (q && *p == '"' && p[1] == '"') {
					p++;
				} else if (q && *p == '"') {
					p++;
					q = 0;
					continue;
				} else if (!q && *p == ',') {
					break;
				}
				if (len + 1 < sizeof(field))
					field[len++] = *p;
				p++;
			}
			field[len] = '\0';
			if (*p == ',')
				p++;
			k++;
		}
		if (k <= 8 || !field[0])
			continue;
		if (geo_hours_parse(field, &wd, &ev)) {
			test_fail(__FILE__, __LINE__,
				  "demo hours \"%s\" not read", field);
			bad++;
		}
	}
	fclose(fp);
	CHECK(n > 100);
	CHECK_INT(bad, 0);
}

/* ---------------------------------------------------------------------
 * Supply and filters
 * ------------------------------------------------------------------ */

/*
 * geo_filter_keep (the maps' filter) against the ids geo_supply_load
 * lets through, want: over every asset of cat with a location, given in
 * descending order and each twice, it must keep exactly those.
 */
static void keep_ids(struct core_ws *ws, const struct geo_filter *f,
		     const char *cat, const char *want)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_buf b = CORE_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int64_t id[256];
	unsigned char keep[256];
	size_t n = 0, i;

	if (core_ws_prepare(ws, &err, &st,
			    "SELECT a.id FROM assets a JOIN asset_categories c"
			    " ON c.asset_id = a.id WHERE c.category = ?"
			    " AND a.geom IS NOT NULL ORDER BY a.id DESC")) {
		test_fail(__FILE__, __LINE__, "prepare: %s", err.msg);
		return;
	}
	sqlite3_bind_text(st, 1, cat, -1, SQLITE_STATIC);
	while (n + 2 <= 256 && sqlite3_step(st) == SQLITE_ROW) {
		id[n] = id[n + 1] = sqlite3_column_int64(st, 0);
		n += 2;
	}
	sqlite3_finalize(st);
	memset(keep, 7, sizeof(keep));
	CHECK_INT(geo_filter_keep(ws, f, id, n, keep, &err), 0);
	/* ascending, as geo_supply_load lists them */
	for (i = n; i >= 2; i -= 2) {
		CHECK_INT(keep[i - 1], keep[i - 2]);
		CHECK(keep[i - 1] <= 1);
		if (keep[i - 1])
			core_buf_addf(&b, "%s%lld", b.len ? "," : "",
				      (long long)id[i - 1]);
	}
	if (strcmp(core_buf_str(&b), want) != 0) {
		char d[256];
		geo_filter_describe(f, d, sizeof(d));
		test_fail(__FILE__, __LINE__,
			  "geo_filter_keep %s [%s]: ids %s, expected %s", cat,
			  d, core_buf_str(&b), want);
	}
	CHECK_INT(geo_filter_is_set(f),
		  f->language || f->medi_cal || f->program || f->weekday ||
		      f->evening || !isnan(f->min_capacity) || f->formal >= 0 ||
		      f->partners != GEO_PARTNERS_ALL);
	core_buf_release(&b);
}

static void filter_ids(struct core_ws *ws, const struct geo_filter *f,
		       const char *cat, const char *want)
{
	struct core_err err = CORE_ERR_INIT;
	struct geo_supply *s = NULL;
	struct core_buf b = CORE_BUF_INIT;
	const char *cats[1] = {cat};
	size_t i;

	if (geo_supply_load(ws, cats, 1, f, NULL, &s, &err)) {
		test_fail(__FILE__, __LINE__, "geo_supply_load: %s", err.msg);
		return;
	}
	for (i = 0; i < s->n; i++)
		core_buf_addf(&b, "%s%lld", i ? "," : "", (long long)s->id[i]);
	if (strcmp(core_buf_str(&b), want) != 0) {
		char d[256];
		geo_filter_describe(f, d, sizeof(d));
		test_fail(__FILE__, __LINE__, "%s [%s]: ids %s, expected %s",
			  cat, d, core_buf_str(&b), want);
	}
	core_buf_release(&b);
	geo_supply_free(s, 1);
	keep_ids(ws, f, cat, want);
}

static void test_supply_filters(void)
{
	struct core_ws *ws = new_ws("filters.db");
	struct core_err err = CORE_ERR_INIT;
	struct geo_filter f;
	struct geo_supply *s = NULL;
	struct geo_proj *proj;
	const char *two[2] = {"food", "housing"};
	char buf[256];

	exec(ws, "BEGIN");
	add_asset(ws, 1, -120.50, 37.10, "food", "en,es", "Mo-Fr 09:00-17:00",
		  "50", 1, 1, NULL);
	add_asset(ws, 2, -120.51, 37.11, "food,housing", "en", "Sa 18:00-20:00",
		  NULL, 0, 1, "housing_deposits");
	add_asset(ws, 3, -120.52, 37.12, "food", "ES-MX; vi", "by appointment",
		  "5", 1, 0, NULL);
	add_asset(ws, 4, -120.53, 37.13, "food", NULL, "Mon-Fri 9am-8pm", "0",
		  0, 1, NULL);
	add_asset(ws, 5, -120.54, 37.14, "housing", "es", NULL, "20", 1, 0,
		  "housing_deposits");
	exec(ws, "COMMIT");

	geo_filter_init(&f);
	CHECK(isnan(f.min_capacity));
	CHECK_INT(f.formal, -1);
	CHECK_STR(geo_filter_describe(&f, buf, sizeof(buf)), "");
	filter_ids(ws, &f, "food", "1,2,3,4");
	filter_ids(ws, &f, "housing", "2,5");
	filter_ids(ws, &f, "dental", "");
	f.language = "es";
	filter_ids(ws, &f, "food", "1,3");
	geo_filter_init(&f);
	f.medi_cal = 1;
	filter_ids(ws, &f, "food", "1,3");
	geo_filter_init(&f);
	f.program = "housing_deposits";
	filter_ids(ws, &f, "food", "2");
	filter_ids(ws, &f, "housing", "2,5");
	geo_filter_init(&f);
	f.weekday = 1;
	filter_ids(ws, &f, "food", "1,4");
	geo_filter_init(&f);
	f.evening = 1;
	filter_ids(ws, &f, "food", "2,4");
	f.weekday = 1;
	filter_ids(ws, &f, "food", "4");
	geo_filter_init(&f);
	f.min_capacity = 5;
	filter_ids(ws, &f, "food", "1,3");
	f.min_capacity = 0;
	filter_ids(ws, &f, "food", "1,3,4");
	geo_filter_init(&f);
	f.formal = 0;
	filter_ids(ws, &f, "food", "3");
	f.formal = 1;
	filter_ids(ws, &f, "food", "1,2,4");
	f.language = "es";
	f.medi_cal = 1;
	f.evening = 1;
	f.min_capacity = 10;
	CHECK_STR(geo_filter_describe(&f, buf, sizeof(buf)),
		  "language es, accepts Medi-Cal, open evenings, capacity at "
		  "least 10, formal only");

	/* several categories, projected, capacity 1 where unknown */
	geo_filter_init(&f);
	proj = ws_proj(ws);
	CHECK_INT(geo_supply_load(ws, two, 2, &f, proj, &s, &err), 0);
	if (s) {
		CHECK_STR(s[0].category, "food");
		CHECK_INT(s[0].n, 4);
		CHECK_INT(s[1].n, 2);
		CHECK_INT(s[1].id[0], 2);
		CHECK_NEAR(s[0].capacity[0], 50, 0);
		CHECK_NEAR(s[0].capacity[1], 1, 0);
		CHECK_NEAR(s[0].capacity[3], 0, 0);
		/* against SpatiaLite's Transform (PROJ) */
		CHECK_NEAR(s[0].x[0],
			   q_double(ws, "SELECT X(Transform(geom, 3310)) FROM "
					"assets WHERE id = 1"),
			   1e-6);
		CHECK_NEAR(s[0].y[2],
			   q_double(ws, "SELECT Y(Transform(geom, 3310)) FROM "
					"assets WHERE id = 3"),
			   1e-6);
	}
	geo_supply_free(s, 2);
	s = NULL;
	{
		const char *bad[2] = {"food", "nope"};
		CHECK_INT(geo_supply_load(ws, bad, 2, &f, proj, &s, &err),
			  CORE_EUSAGE);
		CHECK_CONTAINS(err.msg, "'nope' is not a category");
		CHECK(s == NULL);
	}
	{
		char **codes = NULL;
		size_t n = 0, i;
		CHECK_INT(geo_categories_present(ws, &codes, &n, &err), 0);
		CHECK_INT(n, 2);
		if (n == 2) {
			CHECK_STR(codes[0], "food");
			CHECK_STR(codes[1], "housing");
		}
		for (i = 0; i < n; i++)
			free(codes[i]);
		free(codes);
	}
	geo_proj_free(proj);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Members, demand, area points
 * ------------------------------------------------------------------ */

/* Two tracts side by side in county 06001, a third in 06003; two block
 * groups in the first tract, one in the second. */
static void add_areas(struct core_ws *ws)
{
	exec(ws, "BEGIN");
	exec(ws,
	     "INSERT INTO areas(level, geoid, name, population, geom) VALUES"
	     " ('tract', '06001000100', 'T1', 1000, "
	     "CastToMultiPolygon(GeomFromText("
	     "'POLYGON((-120.6 37.0, -120.5 37.0, -120.5 37.1, -120.6 37.1, "
	     "-120.6 37.0))', 4326))),"
	     " ('tract', '06001000200', 'T2', 500, "
	     "CastToMultiPolygon(GeomFromText("
	     "'POLYGON((-120.5 37.0, -120.4 37.0, -120.4 37.1, -120.5 37.1, "
	     "-120.5 37.0))', 4326))),"
	     /* an L shape whose centroid falls outside it */
	     " ('tract', '06003000100', 'T3', 0, "
	     "CastToMultiPolygon(GeomFromText("
	     "'POLYGON((-120.3 37.0, -120.0 37.0, -120.0 37.02, -120.28 37.02, "
	     "-120.28 37.3, -120.3 37.3, -120.3 37.0))', 4326))),"
	     " ('county', '06001', 'Alpha County', 1500, "
	     "CastToMultiPolygon(GeomFromText("
	     "'POLYGON((-120.6 37.0, -120.4 37.0, -120.4 37.1, -120.6 37.1, "
	     "-120.6 37.0))', 4326))),"
	     " ('blockgroup', '060010001001', NULL, 100, "
	     "CastToMultiPolygon(GeomFromText("
	     "'POLYGON((-120.6 37.0, -120.55 37.0, -120.55 37.1, -120.6 37.1, "
	     "-120.6 37.0))', 4326))),"
	     " ('blockgroup', '060010001002', NULL, 300, "
	     "CastToMultiPolygon(GeomFromText("
	     "'POLYGON((-120.55 37.0, -120.5 37.0, -120.5 37.1, -120.55 37.1, "
	     "-120.55 37.0))', 4326))),"
	     " ('blockgroup', '060010002001', NULL, 500, "
	     "CastToMultiPolygon(GeomFromText("
	     "'POLYGON((-120.5 37.0, -120.4 37.0, -120.4 37.1, -120.5 37.1, "
	     "-120.5 37.0))', 4326)))");
	exec(ws, "UPDATE areas SET flags = 2 WHERE population = 0");
	exec(ws,
	     "INSERT INTO cohorts(id, name, kind, created_at) VALUES"
	     " (1, 'kids', 'points', 'now'), (2, 'other', 'points', 'now')");
	exec(ws, "INSERT INTO cohorts(id, name, kind, created_at, level) VALUES"
		 " (3, 'bgcounts', 'counts', 'now', 'blockgroup')");
	/* members: ids out of insertion order; area_geoid as the importer
	 * writes it (tract, or the ZIP for ZIP-placed people) */
	exec(ws, "INSERT INTO cohort_members(id, cohort_id, area_geoid, "
		 "precision, attrs, geom) VALUES"
		 " (10, 1, '06001000100', 'point', "
		 "'{\"language\":\"es\",\"age\":8}', MakePoint(-120.58, 37.05, "
		 "4326)),"
		 " (12, 1, '06001000100', 'point', "
		 "'{\"language\":\"EN\",\"age\":9}', MakePoint(-120.52, 37.05, "
		 "4326)),"
		 " (11, 1, '06001000200', 'point', "
		 "'{\"language\":\"Es\",\"age\":8}', MakePoint(-120.45, 37.05, "
		 "4326)),"
		 " (13, 1, NULL, 'point', '{\"language\":null}', "
		 "MakePoint(-120.29, 37.2, 4326)),"
		 " (14, 1, '95999', 'zip', '{\"language\":\"es\"}', "
		 "MakePoint(-120.45, 37.06, 4326)),"
		 " (15, 1, NULL, 'point', NULL, MakePoint(-119.0, 36.0, 4326)),"
		 " (16, 1, '06001000100', 'point', NULL, NULL),"
		 " (17, 2, '06001000100', 'point', NULL, MakePoint(-120.58, "
		 "37.05, 4326)),"
		 " (18, 1, '06001000200', 'point', NULL, MakePoint(-120.41, "
		 "37.01, 4326))");
	exec(ws, "INSERT INTO cohort_counts VALUES (3, '060010001001', 4),"
		 " (3, '060010001002', 6), (3, '060010002001', 20), (3, "
		 "'060039999999', 7)");
	exec(ws, "COMMIT");
}

static void test_members(void)
{
	struct core_ws *ws = new_ws("members.db");
	struct core_err err = CORE_ERR_INIT;
	struct geo_members *m = NULL;
	struct geo_areas *tracts = NULL, *counties = NULL, *bgs = NULL;
	struct geo_proj *proj;
	size_t i;

	add_areas(ws);
	proj = ws_proj(ws);
	CHECK_INT(geo_areas_load(ws, "tract", NULL, proj, &tracts, &err), 0);
	CHECK_INT(geo_areas_load(ws, "county", NULL, proj, &counties, &err), 0);
	CHECK_INT(geo_areas_load(ws, "blockgroup", NULL, proj, &bgs, &err), 0);

	/* tracts: by stored GEOID, else point in polygon; ZIP-placed people
	 * are in no tract */
	CHECK_INT(geo_members_load(ws, "kids", NULL, proj, tracts, &m, &err),
		  0);
	if (m) {
		static const int64_t ids[] = {10, 11, 12, 13, 14, 15, 16, 18};
		static const int32_t area[] = {0, 1, 0, 2, -1, -1, 0, 1};
		CHECK_INT(m->n, 8);
		for (i = 0; i < m->n && i < 8; i++) {
			CHECK_INT(m->id[i], ids[i]);
			CHECK_INT(m->area[i], area[i]);
		}
		CHECK_INT(m->zip_precision[4], 1);
		CHECK_INT(m->zip_precision[0], 0);
		CHECK(isnan(m->x[6]) && isnan(m->y[6]));
		CHECK_NEAR(m->x[0],
			   q_double(ws, "SELECT X(Transform(geom, 3310)) FROM "
					"cohort_members WHERE id = 10"),
			   1e-6);
		CHECK_NEAR(m->y[1],
			   q_double(ws, "SELECT Y(Transform(geom, 3310)) FROM "
					"cohort_members WHERE id = 11"),
			   1e-6);
		CHECK_NEAR(m->x[7],
			   q_double(ws, "SELECT X(Transform(geom, 3310)) FROM "
					"cohort_members WHERE id = 18"),
			   1e-6);
	}
	geo_members_free(m);
	m = NULL;

	/* counties: by GEOID prefix; the ZIP-placed person by polygon */
	CHECK_INT(geo_members_load(ws, "kids", NULL, proj, counties, &m, &err),
		  0);
	if (m) {
		static const int32_t area[] = {0, 0, 0, -1, 0, -1, 0, 0};
		for (i = 0; i < m->n && i < 8; i++)
			CHECK_INT(m->area[i], area[i]);
	}
	geo_members_free(m);
	m = NULL;

	/* block groups: point in polygon, checked against ST_Contains */
	CHECK_INT(geo_members_load(ws, "kids", NULL, proj, bgs, &m, &err), 0);
	if (m) {
		for (i = 0; i < m->n; i++) {
			char *sql = xasprintf(
			    "SELECT (SELECT count(*) FROM areas a WHERE "
			    "a.level = 'blockgroup' AND a.geoid < b.geoid) "
			    "FROM cohort_members m JOIN areas b ON b.level = "
			    "'blockgroup' AND ST_Contains(b.geom, m.geom) = 1 "
			    "WHERE m.id = %lld",
			    (long long)m->id[i]);
			double want = q_double(ws, sql);
			free(sql);
			if (m->zip_precision[i])
				want = -1;
			if ((double)m->area[i] != (isnan(want) ? -1 : want))
				test_fail(
				    __FILE__, __LINE__,
				    "member %lld: block group %d, expected %g",
				    (long long)m->id[i], (int)m->area[i], want);
		}
	}
	geo_members_free(m);
	m = NULL;

	/* --where: the value case-insensitive, numbers too */
	CHECK_INT(
	    geo_members_load(ws, "kids", "language=ES", proj, NULL, &m, &err),
	    0);
	if (m) {
		CHECK_INT(m->n, 3);
		CHECK_INT(m->id[0], 10);
		CHECK_INT(m->id[1], 11);
		CHECK_INT(m->id[2], 14);
	}
	geo_members_free(m);
	m = NULL;
	CHECK_INT(geo_members_load(ws, "kids", "age=8", NULL, NULL, &m, &err),
		  0);
	CHECK(m && m->n == 2);
	geo_members_free(m);
	m = NULL;
	CHECK_INT(
	    geo_members_load(ws, "kids", "language=fr", NULL, NULL, &m, &err),
	    0);
	CHECK(m && m->n == 0);
	geo_members_free(m);
	m = NULL;
	CHECK_INT(geo_members_load(ws, "kids", "lang=es", NULL, NULL, &m, &err),
		  CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "keeps no attribute 'lang'");
	CHECK_CONTAINS(err.msg, "language");
	CHECK_INT(geo_members_load(ws, "kids", "=es", NULL, NULL, &m, &err),
		  CORE_EUSAGE);

	/* errors */
	CHECK_INT(geo_members_load(ws, "nobody", NULL, NULL, NULL, &m, &err),
		  CORE_ENOTFOUND);
	CHECK_CONTAINS(err.msg, "bgcounts, kids, other");
	CHECK_INT(geo_members_load(ws, "bgcounts", NULL, NULL, NULL, &m, &err),
		  CORE_EUSAGE);
	CHECK(m == NULL);

	geo_areas_free(tracts);
	geo_areas_free(counties);
	geo_areas_free(bgs);
	geo_proj_free(proj);
	core_ws_close(ws);
}

/* A member blob written big-endian reads the same (the fast path swaps). */
static void test_members_big_endian(void)
{
	struct core_ws *ws = new_ws("bigendian.db");
	struct core_err err = CORE_ERR_INIT;
	struct geo_members *m = NULL;

	exec(ws, "INSERT INTO cohorts(id, name, kind, created_at) VALUES (1, "
		 "'c', 'points', 'now')");
	/* AsBinary -> big-endian WKB -> GeomFromWKB keeps the host order;
	 * so write the blob by hand: SpatiaLite's layout, byte order 0x00 */
	{
		unsigned char b[60];
		double x = -120.25, y = 37.5, mbr[4] = {x, y, x, y};
		int32_t srid = 4326, cls = 1;
		unsigned char t[8];
		int k, i;
		sqlite3_stmt *st;
#define PUT_BE(off, ptr, n)                                                    \
	do {                                                                   \
		memcpy(t, ptr, n);                                             \
		for (i = 0; i < (n); i++)                                      \
			b[(off) + i] = t[(n)-1 - i];                           \
	} while (0)
		b[0] = 0x00;
		b[1] = 0x00;
		PUT_BE(2, &srid, 4);
		for (k = 0; k < 4; k++)
			PUT_BE(6 + 8 * k, &mbr[k], 8);
		b[38] = 0x7C;
		PUT_BE(39, &cls, 4);
		PUT_BE(43, &x, 8);
		PUT_BE(51, &y, 8);
		b[59] = 0xFE;
#undef PUT_BE
		CHECK_INT(sqlite3_prepare_v2(ws->db,
					     "INSERT INTO cohort_members(id, "
					     "cohort_id, geom) VALUES(1, 1, ?)",
					     -1, &st, NULL),
			  SQLITE_OK);
		sqlite3_bind_blob(st, 1, b, 60, SQLITE_STATIC);
		CHECK_INT(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
	}
	CHECK_NEAR(q_double(ws, "SELECT X(geom) FROM cohort_members"), -120.25,
		   0);
	CHECK_INT(geo_members_load(ws, "c", NULL, NULL, NULL, &m, &err), 0);
	if (m && m->n == 1) {
		CHECK_NEAR(m->x[0], -120.25, 0);
		CHECK_NEAR(m->y[0], 37.5, 0);
	} else {
		test_fail(__FILE__, __LINE__, "no member: %s", err.msg);
	}
	geo_members_free(m);
	/* blobs SpatiaLite's triggers would refuse: a POINT Z goes the slow
	 * way and reads the same; a blob that is not a geometry fails */
	exec(ws, "SELECT DiscardGeometryColumn('cohort_members', 'geom')");
	exec(ws, "INSERT INTO cohort_members(id, cohort_id, geom) VALUES(2, 1, "
		 "MakePointZ(-120.5, 37.25, 9, 4326))");
	m = NULL;
	CHECK_INT(geo_members_load(ws, "c", NULL, NULL, NULL, &m, &err), 0);
	CHECK(m && m->n == 2 && m->x[1] == -120.5 && m->y[1] == 37.25);
	geo_members_free(m);
	exec(ws, "INSERT INTO cohort_members(id, cohort_id, geom) VALUES(3, 1, "
		 "X'00010203')");
	m = NULL;
	CHECK_INT(geo_members_load(ws, "c", NULL, NULL, NULL, &m, &err),
		  CORE_EFORMAT);
	CHECK_CONTAINS(err.msg, "member 3");
	CHECK(m == NULL);
	core_ws_close(ws);
}

/* A cohort big enough to be read in id ranges on several connections
 * reads the same as on one. */
static void test_members_parallel(void)
{
	struct core_ws *ws = new_ws("parallel.db");
	struct core_err err = CORE_ERR_INIT;
	struct geo_members *one = NULL, *par = NULL;
	struct geo_areas *tracts = NULL;
	struct geo_proj *proj;
	size_t i, bad = 0;

	add_areas(ws);
	/* the R*Tree is not needed here and would triple the insert time */
	exec(ws, "SELECT DisableSpatialIndex('cohort_members', 'geom')");
	exec(ws, "BEGIN");
	exec(ws, "INSERT INTO cohorts(id, name, kind, created_at) VALUES (9, "
		 "'many', 'points', 'now')");
	/* 240,000 people on a grid over the three tracts and beyond, every
	 * seventh without a stored tract, every third speaking Spanish */
	exec(ws, "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM "
		 "n WHERE i < 239999)"
		 " INSERT INTO cohort_members(id, cohort_id, area_geoid, "
		 "precision, attrs, geom)"
		 " SELECT 1000 + i, 9, CASE WHEN i % 7 = 0 THEN NULL"
		 "  WHEN (i % 400) < 100 THEN '06001000100' WHEN (i % 400) < "
		 "200 THEN '06001000200' END,"
		 " 'point', CASE WHEN i % 3 = 0 THEN '{\"language\":\"es\"}' "
		 "ELSE '{\"language\":\"en\"}' END,"
		 " MakePoint(-120.6 + (i % 400) * 0.0015, 37.0 + (i / 400) * "
		 "0.0004, 4326) FROM n");
	exec(ws, "COMMIT");
	proj = ws_proj(ws);
	CHECK_INT(geo_areas_load(ws, "tract", NULL, proj, &tracts, &err), 0);
	setenv("ASSETMAP_THREADS", "1", 1);
	CHECK_INT(geo_members_load(ws, "many", "language=es", proj, tracts,
				   &one, &err),
		  0);
	setenv("ASSETMAP_THREADS", "3", 1);
	CHECK_INT(geo_members_load(ws, "many", "language=es", proj, tracts,
				   &par, &err),
		  0);
	unsetenv("ASSETMAP_THREADS");
	if (one && par) {
		CHECK_INT(one->n, 80000);
		CHECK_INT(par->n, one->n);
		for (i = 0; i < one->n && i < par->n; i++)
			if (one->id[i] != par->id[i] ||
			    one->x[i] != par->x[i] || one->y[i] != par->y[i] ||
			    one->area[i] != par->area[i])
				bad++;
		CHECK_INT(bad, 0);
		CHECK_INT(par->id[0], 1000);
		CHECK_INT(par->id[par->n - 1], 1000 + 239997);
		/* stored tracts, and point in polygon for the rest */
		CHECK_INT(par->area[0], 0);
	}
	geo_members_free(one);
	geo_members_free(par);
	/* inside a transaction only this connection sees the rows */
	exec(ws, "BEGIN");
	exec(ws,
	     "DELETE FROM cohort_members WHERE cohort_id = 9 AND id % 2 = 0");
	setenv("ASSETMAP_THREADS", "3", 1);
	par = NULL;
	ws->in_tx = 1;
	CHECK_INT(geo_members_load(ws, "many", NULL, NULL, NULL, &par, &err),
		  0);
	ws->in_tx = 0;
	unsetenv("ASSETMAP_THREADS");
	CHECK(par && par->n == 120000);
	geo_members_free(par);
	exec(ws, "ROLLBACK");
	geo_areas_free(tracts);
	geo_proj_free(proj);
	core_ws_close(ws);
}

static void test_demand(void)
{
	struct core_ws *ws = new_ws("demand.db");
	struct core_err err = CORE_ERR_INIT;
	struct geo_areas *tracts = NULL, *counties = NULL, *bgs = NULL;
	struct geo_proj *proj;
	double d[8];

	add_areas(ws);
	proj = ws_proj(ws);
	CHECK_INT(geo_areas_load(ws, "tract", NULL, proj, &tracts, &err), 0);
	CHECK_INT(geo_areas_load(ws, "county", NULL, proj, &counties, &err), 0);
	CHECK_INT(geo_areas_load(ws, "blockgroup", NULL, proj, &bgs, &err), 0);

	CHECK_INT(geo_demand_load(ws, tracts, NULL, NULL, d, &err), 0);
	CHECK_NEAR(d[0], 1000, 0);
	CHECK_NEAR(d[1], 500, 0);
	CHECK_NEAR(d[2], 0, 0);
	/* members per tract: 10, 12, 16 | 11, 18 | 13 (by polygon) */
	CHECK_INT(geo_demand_load(ws, tracts, "kids", NULL, d, &err), 0);
	CHECK_NEAR(d[0], 3, 0);
	CHECK_NEAR(d[1], 2, 0);
	CHECK_NEAR(d[2], 1, 0);
	CHECK_INT(geo_demand_load(ws, tracts, "kids", "language=es", d, &err),
		  0);
	CHECK_NEAR(d[0], 1, 0);
	CHECK_NEAR(d[1], 1, 0);
	CHECK_NEAR(d[2], 0, 0);
	/* block groups by polygon: 10 | 12 | 11, 18 (16 has no location) */
	CHECK_INT(geo_demand_load(ws, bgs, "kids", NULL, d, &err), 0);
	CHECK_NEAR(d[0], 1, 0);
	CHECK_NEAR(d[1], 1, 0);
	CHECK_NEAR(d[2], 2, 0);
	/* counts summed up: block groups -> tracts -> county */
	CHECK_INT(geo_demand_load(ws, tracts, "bgcounts", NULL, d, &err), 0);
	CHECK_NEAR(d[0], 10, 0);
	CHECK_NEAR(d[1], 20, 0);
	CHECK_NEAR(d[2], 0, 0);
	CHECK_INT(geo_demand_load(ws, counties, "bgcounts", NULL, d, &err), 0);
	CHECK_NEAR(d[0], 30, 0);
	CHECK_INT(geo_demand_load(ws, bgs, "bgcounts", NULL, d, &err), 0);
	CHECK_NEAR(d[1], 6, 0);
	CHECK_INT(geo_demand_load(ws, tracts, "bgcounts", "a=b", d, &err),
		  CORE_EUSAGE);
	CHECK_INT(geo_demand_load(ws, tracts, "nobody", NULL, d, &err),
		  CORE_ENOTFOUND);

	geo_areas_free(tracts);
	geo_areas_free(counties);
	geo_areas_free(bgs);
	geo_proj_free(proj);
	core_ws_close(ws);
}

static void test_area_points(void)
{
	struct core_ws *ws = new_ws("points.db");
	struct core_err err = CORE_ERR_INIT;
	struct geo_areas *tracts = NULL, *counties = NULL;
	struct geo_proj *proj;
	double x[4], y[4];
	int weighted = -1;

	add_areas(ws);
	proj = ws_proj(ws);
	CHECK_INT(geo_areas_load(ws, "tract", NULL, proj, &tracts, &err), 0);
	CHECK_INT(geo_areas_load(ws, "county", NULL, proj, &counties, &err), 0);

	CHECK_INT(geo_area_points(ws, tracts, proj, x, y, &weighted, &err), 0);
	/* T1: block groups of 100 and 300 people */
	{
		double x1 =
		    q_double(ws, "SELECT X(ST_Centroid(Transform(geom, 3310))) "
				 "FROM areas WHERE geoid = '060010001001'");
		double x2 =
		    q_double(ws, "SELECT X(ST_Centroid(Transform(geom, 3310))) "
				 "FROM areas WHERE geoid = '060010001002'");
		double y1 =
		    q_double(ws, "SELECT Y(ST_Centroid(Transform(geom, 3310))) "
				 "FROM areas WHERE geoid = '060010001001'");
		double y2 =
		    q_double(ws, "SELECT Y(ST_Centroid(Transform(geom, 3310))) "
				 "FROM areas WHERE geoid = '060010001002'");
		CHECK_NEAR(x[0], (100 * x1 + 300 * x2) / 400, 1e-3);
		CHECK_NEAR(y[0], (100 * y1 + 300 * y2) / 400, 1e-3);
	}
	/* T2: its one block group is the whole tract */
	CHECK_NEAR(x[1],
		   q_double(ws, "SELECT X(ST_Centroid(Transform(geom, 3310))) "
				"FROM areas WHERE geoid = '06001000200'"),
		   1e-3);
	/* T3 (no people, flagged) has no weighting; its centroid lies
	 * outside the L, so the point is inside it instead */
	{
		char *sql = xasprintf(
		    "SELECT ST_Contains(Transform(geom, 3310), MakePoint(%.9f, "
		    "%.9f, 3310)) FROM areas WHERE geoid = '06003000100'",
		    x[2], y[2]);
		CHECK_NEAR(q_double(ws, sql), 1, 0);
		free(sql);
		CHECK_NEAR(
		    q_double(ws, "SELECT ST_Contains(geom, ST_Centroid(geom)) "
				 "FROM areas WHERE geoid = '06003000100'"),
		    0, 0);
	}
	/* every populated tract was weighted */
	CHECK_INT(weighted, 1);

	/* the county: weighted by all three block groups */
	CHECK_INT(geo_area_points(ws, counties, proj, x, y, &weighted, &err),
		  0);
	CHECK_INT(weighted, 1);
	{
		double want = q_double(
		    ws, "SELECT sum(population * X(ST_Centroid(Transform(geom, "
			"3310)))) / sum(population) FROM areas WHERE level = "
			"'blockgroup'");
		CHECK_NEAR(x[0], want, 1e-3);
	}

	/* without block groups: geometric centroids, said so */
	exec(ws, "DELETE FROM areas WHERE level = 'blockgroup'");
	CHECK_INT(geo_area_points(ws, tracts, proj, x, y, &weighted, &err), 0);
	CHECK_INT(weighted, 0);
	CHECK_NEAR(x[0],
		   q_double(ws, "SELECT X(ST_Centroid(Transform(geom, 3310))) "
				"FROM areas WHERE geoid = '06001000100'"),
		   1e-3);
	CHECK_NEAR(y[0],
		   q_double(ws, "SELECT Y(ST_Centroid(Transform(geom, 3310))) "
				"FROM areas WHERE geoid = '06001000100'"),
		   1e-3);

	geo_areas_free(tracts);
	geo_areas_free(counties);
	geo_proj_free(proj);
	core_ws_close(ws);
}

static const struct test tests[] = {TEST(test_hours),
				    TEST(test_hours_demo),
				    TEST(test_supply_filters),
				    TEST(test_members),
				    TEST(test_members_big_endian),
				    TEST(test_members_parallel),
				    TEST(test_demand),
				    TEST(test_area_points),
				    {0}};

int main(void)
{
	int rc = test_main("input", tests);

	core_ws_shutdown();
	return rc;
}
