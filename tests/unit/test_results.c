/*
 * test_results.c - reading runs back (core_result_read.c): finding a run,
 * loading its per-area table from a real workspace, and small-cell and
 * complementary suppression cell by cell on hand-made tables; then the
 * 'results' and 'export' commands on a workspace made here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gdal.h>
#include <json-c/json.h>
#include <ogr_api.h>

#include "core/core_mem.h"
#include "core/core_result.h"
#include "core/core_taxonomy.h"
#include "core/core_ws.h"
#include "testlib.h"

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

/* One run with per-area values: vals[r][c] for geoids[r], names[c]
 * (NaN: no value written). */
struct spec_col {
	const char *name, *kind, *basis, *label;
	int sort;
};

static int64_t make_run(struct core_ws *ws, const char *analysis,
			const struct spec_col *cols, size_t ncols,
			const char *const *geoids, size_t nrows,
			const double *vals)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_result_writer *w = NULL;
	int64_t id = -1;
	size_t r, c;

	if (core_ws_begin(ws, &err) ||
	    core_run_create(ws, analysis, "{\"within_m\":1609.344}", "tract",
			    "kids", &id, &err)) {
		test_fail(__FILE__, __LINE__, "run: %s", err.msg);
		core_ws_rollback(ws);
		return -1;
	}
	for (c = 0; c < ncols; c++)
		if (cols[c].kind &&
		    core_result_info_add(ws, id, cols[c].name, cols[c].kind,
					 cols[c].basis, cols[c].label,
					 cols[c].sort, &err))
			test_fail(__FILE__, __LINE__, "info: %s", err.msg);
	if (core_result_writer_new(ws, id, &w, &err))
		test_fail(__FILE__, __LINE__, "writer: %s", err.msg);
	for (r = 0; w && r < nrows; r++)
		for (c = 0; c < ncols; c++)
			if (core_result_area_put(w, geoids[r], cols[c].name,
						 vals[r * ncols + c], &err))
				test_fail(__FILE__, __LINE__, "put: %s",
					  err.msg);
	core_result_writer_free(w);
	if (core_run_summary_set(ws, id, "{\"areas\":3}", &err) ||
	    core_ws_commit(ws, &err))
		test_fail(__FILE__, __LINE__, "commit: %s", err.msg);
	return id;
}

/* A table built by hand: ncols columns of the kinds given, v row-major. */
static struct core_result_table *
hand_table(size_t nrows, size_t ncols, const char *const *names,
	   const char *const *kinds, const char *const *bases, const double *v)
{
	struct core_result_table *t = xcalloc(1, sizeof(*t));
	size_t i;

	t->nrows = nrows;
	t->ncols = ncols;
	t->geoid = xcalloc(nrows ? nrows : 1, sizeof(char *));
	for (i = 0; i < nrows; i++)
		t->geoid[i] = xasprintf("%03zu", i);
	t->name = xcalloc(ncols, sizeof(char *));
	t->kind = xcalloc(ncols, sizeof(char *));
	t->basis = xcalloc(ncols, sizeof(char *));
	t->label = xcalloc(ncols, sizeof(char *));
	for (i = 0; i < ncols; i++) {
		t->name[i] = xstrdup(names[i]);
		t->kind[i] = xstrdup(kinds[i]);
		t->basis[i] = bases && bases[i] ? xstrdup(bases[i]) : NULL;
		t->label[i] = xstrdup(names[i]);
	}
	t->v = xmalloc(nrows * ncols * sizeof(double) + 1);
	memcpy(t->v, v, nrows * ncols * sizeof(double));
	t->suppressed = xcalloc(nrows * ncols + 1, 1);
	return t;
}

/* The suppressed flags of column c as a string of '0'/'1', top down. */
static char *flags_of(const struct core_result_table *t, size_t c)
{
	char *s = xmalloc(t->nrows + 1);
	size_t r;

	for (r = 0; r < t->nrows; r++)
		s[r] = t->suppressed[r * t->ncols + c] ? '1' : '0';
	s[t->nrows] = '\0';
	return s;
}

#define CHECK_FLAGS(t, c, want)                                                \
	do {                                                                   \
		char *f_ = flags_of(t, c);                                     \
		CHECK_STR(f_, want);                                           \
		free(f_);                                                      \
	} while (0)

/* One cohort_count column; returns its flags. */
static char *count_column(const double *v, size_t n)
{
	static const char *const names[] = {"n"};
	static const char *const kinds[] = {CORE_RK_COHORT_COUNT};
	struct core_result_table *t = hand_table(n, 1, names, kinds, NULL, v);
	char *s;

	core_result_table_suppress(t);
	s = flags_of(t, 0);
	core_result_table_free(t);
	return s;
}

#define CHECK_COUNTS(want, ...)                                                \
	do {                                                                   \
		const double v_[] = {__VA_ARGS__};                             \
		char *s_ = count_column(v_, sizeof(v_) / sizeof(v_[0]));       \
		CHECK_STR(s_, want);                                           \
		free(s_);                                                      \
	} while (0)

/* ---------------------------------------------------------------------
 * Finding runs
 * ------------------------------------------------------------------ */

static void test_run_find(void)
{
	struct core_ws *ws = test_new_ws_crs("find.db", "EPSG:3310");
	struct core_err err = CORE_ERR_INIT;
	int64_t id = 0, a, b, c;

	if (!ws)
		return;
	CHECK_INT(core_run_find(ws, "last", &id, &err), CORE_ENOTFOUND);
	CHECK_CONTAINS(err.msg, "no runs yet");
	a = make_run(ws, "nearest", NULL, 0, NULL, 0, NULL);
	b = make_run(ws, "access", NULL, 0, NULL, 0, NULL);
	c = make_run(ws, "nearest", NULL, 0, NULL, 0, NULL);
	CHECK_INT(a, 1);
	CHECK_INT(c, 3);

	CHECK_INT(core_run_find(ws, "2", &id, &err), CORE_OK);
	CHECK_INT(id, b);
	CHECK_INT(core_run_find(ws, "#1", &id, &err), CORE_OK);
	CHECK_INT(id, a);
	CHECK_INT(core_run_find(ws, "last", &id, &err), CORE_OK);
	CHECK_INT(id, c);
	CHECK_INT(core_run_find(ws, "nearest", &id, &err), CORE_OK);
	CHECK_INT(id, c);
	CHECK_INT(core_run_find(ws, "ACCESS", &id, &err), CORE_OK);
	CHECK_INT(id, b);

	id = -7;
	CHECK_INT(core_run_find(ws, "9", &id, &err), CORE_ENOTFOUND);
	CHECK_CONTAINS(err.msg, "no run 9");
	CHECK_CONTAINS(err.msg, "assetmap results");
	CHECK_INT(id, -7);
	CHECK_INT(core_run_find(ws, "deserts", &id, &err), CORE_ENOTFOUND);
	CHECK_CONTAINS(err.msg, "'deserts' is not a run");
	CHECK_INT(core_run_find(ws, "0", &id, &err), CORE_ENOTFOUND);
	CHECK_INT(core_run_find(ws, "2x", &id, &err), CORE_ENOTFOUND);
	CHECK_INT(core_run_find(ws, "", &id, &err), CORE_EUSAGE);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Loading a table
 * ------------------------------------------------------------------ */

static void test_table_load(void)
{
	static const struct spec_col cols[] = {
	    {"share_food", CORE_RK_COHORT_STAT, "n_food", "Share within", 2},
	    {"n_food", CORE_RK_COHORT_COUNT, NULL, "People within", 1},
	    {"median_food", CORE_RK_DISTANCE, NULL, NULL, 3},
	    {"extra", NULL, NULL, NULL, 0}, /* no results_info row */
	};
	static const char *const geoids[] = {"06001000300", "06001000100",
					     "06001000200"};
	const double vals[] = {
	    0.5,  40, 1200.5, 7,    /* ...300 */
	    0.25, 4,  800,    NAN,  /* ...100: 4 is small */
	    NAN,  0,  3000,   -1.5, /* ...200 */
	};
	struct core_ws *ws = test_new_ws_crs("load.db", "EPSG:3310");
	struct core_err err = CORE_ERR_INIT;
	struct core_result_table *t = NULL;
	int64_t id;

	if (!ws)
		return;
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	id = make_run(ws, "coverage", cols, 4, geoids, 3, vals);
	unsetenv("SOURCE_DATE_EPOCH");
	CHECK_INT(core_result_table_load(ws, id, &t, &err), CORE_OK);
	if (!t) {
		test_fail(__FILE__, __LINE__, "load: %s", err.msg);
		core_ws_close(ws);
		return;
	}
	CHECK_INT(t->run_id, id);
	CHECK_STR(t->analysis, "coverage");
	CHECK_STR(t->params, "{\"within_m\":1609.344}");
	CHECK_STR(t->level, "tract");
	CHECK_STR(t->cohort, "kids");
	CHECK_STR(t->created_at, "2023-11-14T22:13:20Z");
	CHECK_STR(t->summary, "{\"areas\":3}");
	CHECK_INT(t->nrows, 3);
	CHECK_INT(t->ncols, 4);
	/* rows by geoid; columns by sort, then name */
	CHECK_STR(t->geoid[0], "06001000100");
	CHECK_STR(t->geoid[2], "06001000300");
	CHECK_STR(t->name[0], "extra");
	CHECK_STR(t->name[1], "n_food");
	CHECK_STR(t->name[2], "share_food");
	CHECK_STR(t->name[3], "median_food");
	CHECK_STR(t->kind[0], "value");
	CHECK_STR(t->kind[1], "cohort_count");
	CHECK_STR(t->label[0], "extra");
	CHECK_STR(t->label[1], "People within");
	CHECK_STR(t->label[3], "median_food");
	CHECK(t->basis[0] == NULL);
	CHECK_STR(t->basis[2], "n_food");
	/* values: row 06001000100 = 800 m, n 4, share .25, extra none */
	CHECK(isnan(t->v[0 * 4 + 0]));
	CHECK_NEAR(t->v[0 * 4 + 1], 4, 0);
	CHECK_NEAR(t->v[0 * 4 + 2], 0.25, 0);
	CHECK_NEAR(t->v[0 * 4 + 3], 800, 0);
	CHECK_NEAR(t->v[1 * 4 + 0], -1.5, 0);
	CHECK(isnan(t->v[1 * 4 + 2]));
	CHECK_NEAR(t->v[2 * 4 + 3], 1200.5, 0);
	/* loaded tables come suppressed: 4 is small, 40 is the only other
	 * non-zero count and goes too; the shares with them */
	CHECK_FLAGS(t, 1, "101");
	CHECK_FLAGS(t, 2, "101");
	CHECK_FLAGS(t, 0, "000");
	CHECK_FLAGS(t, 3, "000");
	core_result_table_free(t);

	t = NULL;
	CHECK_INT(core_result_table_load(ws, 42, &t, &err), CORE_ENOTFOUND);
	CHECK(t == NULL);
	CHECK_CONTAINS(err.msg, "no run 42");

	/* a run with no per-area values is an empty table */
	id = make_run(ws, "sites", NULL, 0, NULL, 0, NULL);
	CHECK_INT(core_result_table_load(ws, id, &t, &err), CORE_OK);
	if (t) {
		CHECK_INT(t->nrows, 0);
		CHECK_INT(t->ncols, 0);
		CHECK(t->level && t->summary);
	}
	core_result_table_free(t);
	core_result_table_free(NULL);
	core_ws_close(ws);
}

/* ---------------------------------------------------------------------
 * Suppression, cell by cell
 * ------------------------------------------------------------------ */

static void test_suppress_counts(void)
{
	/* 0 and 11 or more are shown; 1..10 never are */
	CHECK_COUNTS("0000", 0, 11, 12, 4000);
	CHECK_COUNTS("1", 7);	  /* total 7 is small itself */
	CHECK_COUNTS("10", 7, 0); /* nothing else to hide */
	CHECK_COUNTS("1111", 1, 2, 10, 3);
	/* exactly one small cell: the smallest other non-zero goes too */
	CHECK_COUNTS("01100", 0, 5, 12, 100, 50);
	CHECK_COUNTS("1001", 7, 0, 0, 30);
	/* the earlier on ties */
	CHECK_COUNTS("1100", 3, 20, 20, 40);
	/* two small cells that could be 1+9, 2+8...: nothing more */
	CHECK_COUNTS("1100", 3, 4, 100, 200);
	/* 10 + 10 = 20 can only be 10 and 10: one more (the gap the
	 * one-cell rule leaves, closed by core_privacy_row) */
	CHECK_COUNTS("1110", 10, 10, 50, 70);
	/* 1 and 11 hidden with a total of 12 pins both: one more */
	CHECK_COUNTS("1110", 1, 11, 100, 200);
	/* nothing small: nothing hidden */
	CHECK_COUNTS("000", 11, 11, 11);
	/* areal weighting: fractions above 0 and under 11 are small */
	CHECK_COUNTS("1100000", 0.4, 10.6, 11.2, 12, 0, 300, 400);
	CHECK_COUNTS("1010", 10.6, 0, 11.2, 300);
	/* no value is not a count */
	CHECK_COUNTS("0000", NAN, 15, NAN, 40);
	CHECK_COUNTS("1010", 3, NAN, 15, 40);
	/* a column of one small cell and NaNs */
	CHECK_COUNTS("01", NAN, 9);
}

static void test_suppress_kinds_and_basis(void)
{
	static const char *const names[] = {"n_food",  "pop",	 "share_food",
					    "dist",    "n_both", "share_both",
					    "nobasis", "n_house"};
	static const char *const kinds[] = {
	    CORE_RK_COHORT_COUNT, CORE_RK_POPULATION,	CORE_RK_COHORT_STAT,
	    CORE_RK_DISTANCE,	  CORE_RK_COHORT_COUNT, CORE_RK_COHORT_STAT,
	    CORE_RK_COHORT_STAT,  CORE_RK_COHORT_COUNT};
	static const char *const bases[] = {
	    NULL, NULL, "n_food", NULL, NULL, "n_food, n_house", NULL, NULL};
	/* n_food: 5 small -> 20 complementary; n_house: 3 small, 8 small */
	const double v[] = {
	    /* n_food pop share dist n_both share_both nobasis n_house */
	    5,	 3,   0.5, 100, 50,  0.1, 0.9, 30,  20,	 7,   0.2, 2, 60,  0.2,
	    0.8, 3,   40,  9,	0.3, 5,	  70,  0.3, 0.7, 8,   0,   1, NAN, 9,
	    80,	 0.4, 0.6, 40,	100, 2,	  0.9, 1,   90,	 0.5, 0.5, 0,
	};
	struct core_result_table *t = hand_table(5, 8, names, kinds, bases, v);

	core_result_table_suppress(t);
	CHECK_FLAGS(t, 0, "11000");
	CHECK_FLAGS(t, 1, "00000"); /* census population is not PHI */
	CHECK_FLAGS(t, 2, "11000"); /* with its basis, row by row */
	CHECK_FLAGS(t, 3, "00000");
	CHECK_FLAGS(t, 4, "00000");
	CHECK_FLAGS(t, 5, "11100"); /* n_food rows 0-1, n_house rows 1-2 */
	CHECK_FLAGS(t, 6, "00000");
	CHECK_FLAGS(t, 7, "01100");

	/* idempotent, and recomputed from the values each time */
	core_result_table_suppress(t);
	CHECK_FLAGS(t, 0, "11000");
	CHECK_FLAGS(t, 5, "11100");
	t->v[0 * 8 + 0] = 15;
	core_result_table_suppress(t);
	CHECK_FLAGS(t, 0, "00000");
	CHECK_FLAGS(t, 2, "00000");
	CHECK_FLAGS(t, 5, "01100");
	core_result_table_free(t);
}

static void test_suppress_empty(void)
{
	struct core_result_table *t = xcalloc(1, sizeof(*t));

	t->suppressed = xcalloc(1, 1);
	core_result_table_suppress(t);
	CHECK_INT(t->nrows, 0);
	core_result_table_free(t);
}

/* ---------------------------------------------------------------------
 * The commands: results and export
 * ------------------------------------------------------------------ */

#define CLI_OK(args)                                                           \
	do {                                                                   \
		char *o_, *e_;                                                 \
		int r_ = test_run_cli(args, &o_, &e_);                         \
		if (r_ != 0)                                                   \
			test_fail(__FILE__, __LINE__, "%s: exit %d: %s", args, \
				  r_, e_);                                     \
		free(o_);                                                      \
		free(e_);                                                      \
	} while (0)

static const char *cli_ws;
static int64_t cli_run;

/*
 * The demo county's tracts, and one coverage run on five of them:
 *   geoid        n    covered  share  median(m)  pop
 *   06999000100  40   30       .75    1609.344   5000
 *   06999000200   4    2       .5      800       6000   (small)
 *   06999000301  25   NaN      NaN     NaN       4000
 *   06999000302  12   12       1       100       3000   (complementary)
 *   06999000401   0    0       NaN     NaN       2000
 * a desert polygon, and member columns.
 */
static int cli_setup(void)
{
	static int done, ok;
	int once;
	static const struct spec_col cols[] = {
	    {"n", CORE_RK_COHORT_COUNT, NULL, "People", 1},
	    {"covered_food", CORE_RK_COHORT_COUNT, NULL, "Covered", 2},
	    {"share_food", CORE_RK_COHORT_STAT, "n,covered_food",
	     "Share covered", 3},
	    {"median_food", CORE_RK_DISTANCE, NULL, "Median distance", 4},
	    {"pop", CORE_RK_POPULATION, NULL, "Population", 5},
	};
	static const char *const geoids[] = {"06999000100", "06999000200",
					     "06999000301", "06999000302",
					     "06999000401"};
	const double vals[] = {
	    40,	  30,	0.75, 1609.344, 5000, 4,    2,	  0.5, 800,
	    6000, 25,	NAN,  NAN,	NAN,  4000, 12,	  12,  1,
	    100,  3000, 0,    0,	NAN,  NAN,  2000,
	};
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	char *args;
	int rc;

	once = test_fixture_once(&done, ok);
	if (once >= 0)
		return once;
	cli_ws = xasprintf("%s/cli.db", test_tmpdir());
	args = xasprintf("-q -d cli.db init --crs EPSG:3310 && '%s' -q -d "
			 "cli.db import areas '%s/data/demo/tracts.geojson' "
			 "--level tract --geoid GEOID --name NAME",
			 getenv("ASSETMAP"), TEST_SRCDIR);
	CLI_OK(args);
	free(args);
	if (core_ws_open(cli_ws, CORE_WS_WRITE, &ws, &err)) {
		test_fail(__FILE__, __LINE__, "open: %s", err.msg);
		return 0;
	}
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	cli_run = make_run(ws, "coverage", cols, 5, geoids, 5, vals);
	unsetenv("SOURCE_DATE_EPOCH");
	{
		const int64_t mid[] = {7, 8, 9};
		const double dist[] = {100, 2000, NAN};

		rc =
		    core_ws_begin(ws, &err) ||
		    core_result_column_put(ws, cli_run, "member_id", "i8", 3,
					   mid, &err) ||
		    core_result_column_put(ws, cli_run, "dist_food", "f8", 3,
					   dist, &err) ||
		    core_result_info_add(ws, cli_run, "dist_food",
					 CORE_RK_DISTANCE, NULL, NULL, 0,
					 &err) ||
		    core_ws_exec(ws, &err,
				 "INSERT INTO results_geom(run_id, name, geoid,"
				 " geom) VALUES(1, 'desert_food', NULL,"
				 " GeomFromText('POLYGON((-120.7 37.0,"
				 "-120.6 37.0,-120.6 37.1,-120.7 37.0))',"
				 " 4326))") ||
		    core_ws_commit(ws, &err);
		if (rc)
			test_fail(__FILE__, __LINE__, "members: %s", err.msg);
	}
	core_ws_close(ws);
	ok = cli_run == 1 && !rc;
	return ok;
}

static void test_results_cli(void)
{
	char *out, *err;

	if (!cli_setup())
		return;
	CHECK_INT(test_run_cli("-d cli.db results", &out, &err), 0);
	CHECK_CONTAINS(out, "id  analysis  created");
	CHECK_CONTAINS(out, "coverage");
	CHECK_CONTAINS(out, "{\"within_m\":1609.344}");
	free(out);
	free(err);

	CHECK_INT(test_run_cli("-d cli.db results 1 --format csv", &out, &err),
		  0);
	CHECK_STR(
	    out,
	    "geoid,area,n,covered_food,share_food_pct,median_food_mi,pop\n"
	    /* 40 people, 30 covered: the 10 not covered are hidden */
	    "06999000100,Census Tract 1,40,suppressed,suppressed,1.00,5000\n"
	    "06999000200,Census Tract 2,<11,<11,suppressed,0.50,6000\n"
	    "06999000301,Census Tract 3.01,25,,,,4000\n"
	    "06999000302,Census Tract "
	    "3.02,suppressed,suppressed,suppressed,0.06,3000\n"
	    "06999000401,Census Tract 4.01,0,0,,,2000\n");
	free(out);
	free(err);

	CHECK_INT(
	    test_run_cli("-d cli.db results coverage --units km", &out, &err),
	    0);
	CHECK_CONTAINS(out, "run 1: coverage, 2023-11-14T22:13:20Z\n");
	CHECK_CONTAINS(out, "cohort: kids\n");
	CHECK_CONTAINS(out, "sources read:\n");
	CHECK_CONTAINS(out, "tracts.geojson");
	CHECK_CONTAINS(out, "geometry: 1 polygon");
	CHECK_CONTAINS(out, "median_food_km");
	CHECK_CONTAINS(out, "1.61");
	free(out);
	free(err);

	CHECK_INT(test_run_cli("-d cli.db results last --format json --units m",
			       &out, &err),
		  0);
	{
		json_object *o = json_tokener_parse(out), *v, *a;

		CHECK(o != NULL);
		if (o) {
			CHECK(json_object_object_get_ex(o, "run", &v) &&
			      json_object_get_int(v) == 1);
			CHECK(json_object_object_get_ex(o, "parameters", &v) &&
			      json_object_is_type(v, json_type_object));
			CHECK(json_object_object_get_ex(o, "areas", &a) &&
			      json_object_array_length(a) == 5);
			v = json_object_array_get_idx(a, 1);
			CHECK_STR(json_object_get_string(
				      json_object_object_get(v, "n")),
				  "<11");
			CHECK_NEAR(
			    json_object_get_double(json_object_object_get(
				json_object_array_get_idx(a, 0),
				"median_food_m")),
			    1609, 0);
			json_object_put(o);
		}
	}
	free(out);
	free(err);

	CHECK_INT(test_run_cli("-d cli.db results 7", &out, &err), 1);
	CHECK_CONTAINS(err, "has no run 7");
	free(out);
	free(err);
	CHECK_INT(test_run_cli("-d cli.db results --delete last", &out, &err),
		  2);
	CHECK_CONTAINS(err, "not a run id");
	free(out);
	free(err);
	CHECK_INT(test_run_cli("-d cli.db results --units ft", &out, &err), 2);
	free(out);
	free(err);
}

static OGRFeatureH feature_by_geoid(OGRLayerH lay, const char *geoid)
{
	OGRFeatureH f;

	OGR_L_ResetReading(lay);
	while ((f = OGR_L_GetNextFeature(lay))) {
		if (strcmp(OGR_F_GetFieldAsString(
			       f, OGR_F_GetFieldIndex(f, "geoid")),
			   geoid) == 0)
			return f;
		OGR_F_Destroy(f);
	}
	return NULL;
}

static void test_export_gpkg(void)
{
	char *path, *out, *err;
	GDALDatasetH ds;
	OGRLayerH lay;
	OGRFeatureH f;

	if (!cli_setup())
		return;
	CHECK_INT(test_run_cli("-d cli.db export 1 -o run.gpkg", &out, &err),
		  0);
	free(out);
	free(err);
	path = xasprintf("%s/run.gpkg", test_tmpdir());
	GDALAllRegister();
	ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL,
			NULL);
	CHECK(ds != NULL);
	if (!ds) {
		free(path);
		return;
	}
	CHECK_INT(GDALDatasetGetLayerCount(ds), 2);
	CHECK_CONTAINS(GDALGetMetadataItem(ds, "ASSETMAP_RUN", NULL),
		       "\"run\":1,\"analysis\":\"coverage\"");
	CHECK_CONTAINS(GDALGetMetadataItem(ds, "ASSETMAP_RUN", NULL),
		       "\"sources\":[{\"id\":1,\"kind\":\"areas\"");
	lay = GDALDatasetGetLayerByName(ds, "areas");
	CHECK(lay != NULL);
	if (lay) {
		CHECK_INT(OGR_L_GetFeatureCount(lay, TRUE), 5);
		CHECK_INT(OGR_L_GetGeomType(lay), wkbMultiPolygon);
		f = feature_by_geoid(lay, "06999000200");
		CHECK(f != NULL);
		if (f) {
			int n = OGR_F_GetFieldIndex(f, "n");
			int ns = OGR_F_GetFieldIndex(f, "n_suppressed");
			int sh = OGR_F_GetFieldIndex(f, "share_food");
			int m = OGR_F_GetFieldIndex(f, "median_food_m");
			int p = OGR_F_GetFieldIndex(f, "pop");

			CHECK(n >= 0 && ns >= 0 && sh >= 0 && m >= 0 && p >= 0);
			CHECK(OGR_F_IsFieldNull(f, n));
			CHECK_INT(OGR_F_GetFieldAsInteger64(f, ns), 1);
			CHECK(OGR_F_IsFieldNull(f, sh));
			CHECK_NEAR(OGR_F_GetFieldAsDouble(f, m), 800, 0);
			CHECK_NEAR(OGR_F_GetFieldAsDouble(f, p), 6000, 0);
			CHECK_STR(OGR_F_GetFieldAsString(
				      f, OGR_F_GetFieldIndex(f, "area_name")),
				  "Census Tract 2");
			CHECK(OGR_F_GetGeometryRef(f) != NULL);
			OGR_F_Destroy(f);
		}
		f = feature_by_geoid(lay, "06999000100");
		if (f) {
			CHECK_NEAR(OGR_F_GetFieldAsDouble(
				       f, OGR_F_GetFieldIndex(f, "n")),
				   40, 0);
			CHECK_INT(
			    OGR_F_GetFieldAsInteger64(
				f, OGR_F_GetFieldIndex(f, "n_suppressed")),
			    0);
			/* 40 people, 30 covered: 10 not covered, hidden */
			CHECK(OGR_F_IsFieldNull(
			    f, OGR_F_GetFieldIndex(f, "share_food")));
			/* the centroid of a Census Tract 1 polygon is in the
			 * county */
			{
				OGREnvelope e;
				OGR_G_GetEnvelope(OGR_F_GetGeometryRef(f), &e);
				CHECK(e.MinX > -121.5 && e.MaxX < -120 &&
				      e.MinY > 36.5 && e.MaxY < 37.5);
			}
			OGR_F_Destroy(f);
		}
	}
	lay = GDALDatasetGetLayerByName(ds, "desert_food");
	CHECK(lay != NULL);
	if (lay)
		CHECK_INT(OGR_L_GetFeatureCount(lay, TRUE), 1);
	GDALClose(ds);
	free(path);

	/* --members adds an attribute table without any location */
	CHECK_INT(test_run_cli("-d cli.db export 1 -o mem.gpkg --members", &out,
			       &err),
		  0);
	CHECK_CONTAINS(err, "per cohort member");
	free(out);
	free(err);
	path = xasprintf("%s/mem.gpkg", test_tmpdir());
	ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL,
			NULL);
	CHECK(ds != NULL);
	if (ds) {
		lay = GDALDatasetGetLayerByName(ds, "members");
		CHECK(lay != NULL);
		if (lay) {
			OGRFeatureDefnH d = OGR_L_GetLayerDefn(lay);

			CHECK_INT(OGR_L_GetGeomType(lay), wkbNone);
			CHECK_INT(OGR_FD_GetFieldCount(d), 2);
			CHECK_INT(OGR_L_GetFeatureCount(lay, TRUE), 3);
		}
		GDALClose(ds);
	}
	free(path);
}

static void test_export_geojson_csv(void)
{
	char *out, *err, *path, *text;
	json_object *o, *v, *fs;

	if (!cli_setup())
		return;
	CHECK_INT(
	    test_run_cli("-d cli.db export last -o run.geojson --units mi",
			 &out, &err),
	    0);
	free(out);
	free(err);
	path = xasprintf("%s/run.geojson", test_tmpdir());
	text = test_slurp(path, NULL);
	CHECK(text != NULL);
	o = text ? json_tokener_parse(text) : NULL;
	CHECK(o != NULL);
	if (o) {
		CHECK(json_object_object_get_ex(o, "assetmap", &v));
		CHECK_INT(json_object_get_int(json_object_object_get(v, "run")),
			  1);
		CHECK_STR(json_object_get_string(
			      json_object_object_get(v, "distance_unit")),
			  "mi");
		CHECK(json_object_object_get_ex(o, "features", &fs));
		CHECK_INT(json_object_array_length(fs), 5);
		v = json_object_object_get(json_object_array_get_idx(fs, 0),
					   "properties");
		CHECK_NEAR(json_object_get_double(
			       json_object_object_get(v, "median_food_mi")),
			   1, 1e-12);
		v = json_object_object_get(json_object_array_get_idx(fs, 3),
					   "properties");
		CHECK(json_object_object_get(v, "n") == NULL); /* null */
		CHECK_INT(json_object_get_int(
			      json_object_object_get(v, "n_suppressed")),
			  1);
		CHECK(json_object_object_get(v, "covered_food") == NULL);
		json_object_put(o);
	}
	free(text);
	free(path);

	CHECK_INT(test_run_cli("-d cli.db export 1 -o run.csv", &out, &err), 0);
	free(out);
	free(err);
	path = xasprintf("%s/run.csv", test_tmpdir());
	text = test_slurp(path, NULL);
	CHECK_STR(
	    text,
	    "geoid,area_name,n,n_suppressed,covered_food,covered_food_"
	    "suppressed,share_food,share_food_suppressed,median_food_m,pop\n"
	    "06999000100,Census Tract 1,40,0,,1,,1,1609.344,5000\n"
	    "06999000200,Census Tract 2,,1,,1,,1,800,6000\n"
	    "06999000301,Census Tract 3.01,25,0,,0,,0,,4000\n"
	    "06999000302,Census Tract 3.02,,1,,1,,1,100,3000\n"
	    "06999000401,Census Tract 4.01,0,0,0,0,,0,,2000\n");
	free(text);

	/* a failed export leaves the file it would have replaced as it was,
	 * and no temporary file */
	CHECK_INT(test_run_cli("-d cli.db export 1 -o run.csv --layer nope",
			       &out, &err),
		  2);
	CHECK_CONTAINS(err, "no layer 'nope'; it has: areas, desert_food");
	free(out);
	free(err);
	text = test_slurp(path, NULL);
	CHECK_CONTAINS(text,
		       "06999000401,Census Tract 4.01,0,0,0,0,,0,,2000\n");
	free(text);
	free(path);
	CHECK_INT(
	    test_run_cli("-d cli.db export 1 -o nodir/run.gpkg", &out, &err),
	    1);
	free(out);
	free(err);
	{
		char *cmd =
		    xasprintf("ls -a '%s' | grep -q 'tmp-'", test_tmpdir());
		CHECK(system(cmd) != 0);
		free(cmd);
	}

	/* the desert polygon as the one layer of a GeoJSON file */
	CHECK_INT(
	    test_run_cli("-d cli.db export 1 -o d.geojson --layer desert_food",
			 &out, &err),
	    0);
	free(out);
	free(err);
	path = xasprintf("%s/d.geojson", test_tmpdir());
	text = test_slurp(path, NULL);
	CHECK_CONTAINS(text, "\"name\":\"desert_food\"");
	CHECK_CONTAINS(text, "\"type\": \"Polygon\"");
	free(text);
	free(path);

	/* --members as CSV: ids and distances, nothing else */
	CHECK_INT(
	    test_run_cli("-d cli.db export 1 -o m.csv --members --units km",
			 &out, &err),
	    0);
	free(out);
	free(err);
	path = xasprintf("%s/m.csv", test_tmpdir());
	text = test_slurp(path, NULL);
	CHECK_STR(text, "member_id,dist_food_km\n7,0.1\n8,2\n9,\n");
	free(text);
	free(path);

	CHECK_INT(test_run_cli("-d cli.db export 1 -o x.shp", &out, &err), 2);
	free(out);
	free(err);
	CHECK_INT(test_run_cli("-d cli.db export 1 -o x.geojson --members",
			       &out, &err),
		  2);
	free(out);
	free(err);
	CHECK_INT(test_run_cli("-d cli.db export 9 -o x.csv", &out, &err), 1);
	free(out);
	free(err);
}

static void test_results_delete(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	char *out, *er;
	int64_t n = -1;

	if (!cli_setup())
		return;
	CHECK_INT(test_run_cli("-d cli.db results --delete 1", &out, &er), 0);
	CHECK_CONTAINS(er, "run 1 deleted");
	free(out);
	free(er);
	if (core_ws_open(cli_ws, CORE_WS_READ, &ws, &err) == CORE_OK) {
		core_ws_int(ws, &err,
			    "SELECT (SELECT count(*) FROM runs) +"
			    " (SELECT count(*) FROM results_area) +"
			    " (SELECT count(*) FROM results_info) +"
			    " (SELECT count(*) FROM results_column) +"
			    " (SELECT count(*) FROM results_geom)",
			    &n);
		CHECK_INT(n, 0);
		core_ws_close(ws);
	}
	CHECK_INT(test_run_cli("-d cli.db results --delete 1", &out, &er), 1);
	free(out);
	free(er);
}

static const struct test tests[] = {
    TEST(test_run_find),	TEST(test_table_load),
    TEST(test_suppress_counts), TEST(test_suppress_kinds_and_basis),
    TEST(test_suppress_empty),	TEST(test_results_cli),
    TEST(test_export_gpkg),	TEST(test_export_geojson_csv),
    TEST(test_results_delete),	{0}};

int main(void)
{
	int rc = test_main("results", tests);

	free((char *)cli_ws);
	GDALDestroy();
	core_ws_shutdown();
	return rc;
}
