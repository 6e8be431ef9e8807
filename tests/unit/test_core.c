/*
 * test_core.c - the workspace, its schema, the taxonomy and core helpers.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <spatialite.h>

#include "core/core_csv.h"
#include "core/core_mem.h"
#include "core/core_taxonomy.h"
#include "core/core_utf8.h"
#include "core/core_ws.h"

#include "testlib.h"

static char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long len;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	buf = xmalloc((size_t)len + 1);
	*n = fread(buf, 1, (size_t)len, fp);
	buf[*n] = '\0';
	fclose(fp);
	return buf;
}

/* 1 when the file at path still has exactly these bytes. */
static int same_bytes(const char *path, const char *bytes, size_t n)
{
	size_t m;
	char *now = slurp(path, &m);
	int same = now && m == n && memcmp(now, bytes, n) == 0;

	free(now);
	return same;
}

static const char *ws_path(const char *name)
{
	static char p[8][512];
	static int k;
	char *s = p[k++ & 7];

	snprintf(s, 512, "%s/%s", test_tmpdir(), name);
	remove(s);
	return s;
}

static void test_create_and_reopen(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	const char *p = ws_path("a.db");
	int64_t n;
	char *crs;

	CHECK_INT(core_ws_create(p, "EPSG:3310", core_taxonomy_seed, &ws, &err),
		  CORE_OK);
	core_ws_close(ws);
	ws = NULL;
	CHECK_INT(core_ws_open(p, CORE_WS_READ, &ws, &err), CORE_OK);
	if (!ws)
		return;
	CHECK_INT(core_ws_int(ws, &err, "PRAGMA application_id", &n), CORE_OK);
	CHECK_INT(n, CORE_APPLICATION_ID);
	CHECK_INT(core_ws_int(ws, &err, "PRAGMA user_version", &n), CORE_OK);
	CHECK_INT(n, CORE_SCHEMA_VERSION);
	crs = core_ws_meta_dup(ws, "analysis_crs");
	CHECK_STR(crs, "EPSG:3310");
	free(crs);
	/* spatial metadata and indexes exist for the three geometry tables */
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT count(*) FROM geometry_columns WHERE "
			      "spatial_index_enabled = 1",
			      &n),
		  CORE_OK);
	CHECK_INT(n, 3);
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT count(*) FROM sqlite_master WHERE name "
			      "IN ('sources','assets',"
			      "'asset_categories','asset_programs','categories'"
			      ",'programs','areas',"
			      "'indicators','cohorts','cohort_members','cohort_"
			      "counts','runs','results_area')",
			      &n),
		  CORE_OK);
	CHECK_INT(n, 13);
	core_ws_close(ws);
}

static void test_create_refuses_existing(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	const char *p = ws_path("exists.db");
	const char *content = "precious notes\n";
	FILE *fp = fopen(p, "w");

	fputs(content, fp);
	fclose(fp);
	CHECK(core_ws_create(p, NULL, core_taxonomy_seed, &ws, &err) !=
	      CORE_OK);
	CHECK(ws == NULL);
	CHECK_CONTAINS(err.msg, "already exists");
	CHECK(same_bytes(p, content, strlen(content)));
}

static void test_bad_crs(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	const char *p = ws_path("crs.db");
	struct stat sb;

	CHECK_INT(core_ws_create(p, "EPSG:abc", core_taxonomy_seed, &ws, &err),
		  CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "'EPSG:abc'");
	CHECK(stat(p, &sb) != 0);
	CHECK_INT(core_ws_check_crs("auto", &err), CORE_OK);
	CHECK_INT(core_ws_check_crs("epsg:26910", &err), CORE_OK);
	CHECK_INT(core_ws_check_crs("EPSG:", &err), CORE_EUSAGE);
	CHECK_INT(core_ws_check_crs("WGS84", &err), CORE_EUSAGE);
}

static void test_refuses_foreign_files(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	const char *txt =
	    test_write("notes.txt", "GEOID,value\n06075010100,3\n");
	const char *sq = ws_path("other.sqlite");
	char *before;
	size_t n;
	sqlite3 *db;

	before = slurp(txt, &n);
	CHECK_INT(core_ws_open(txt, CORE_WS_WRITE, &ws, &err), CORE_ENOTWS);
	CHECK_CONTAINS(err.msg, "not an assetmap workspace");
	CHECK(same_bytes(txt, before, n));
	free(before);

	/* an SQLite database that is somebody else's */
	sqlite3_open(sq, &db);
	sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1);", NULL,
		     NULL, NULL);
	sqlite3_close(db);
	before = slurp(sq, &n);
	CHECK_INT(core_ws_open(sq, CORE_WS_WRITE, &ws, &err), CORE_ENOTWS);
	CHECK_CONTAINS(err.msg,
		       "SQLite database but not an assetmap workspace");
	CHECK(same_bytes(sq, before, n));
	free(before);

	CHECK_INT(core_ws_open(ws_path("missing.db"), CORE_WS_READ, &ws, &err),
		  CORE_ENOTFOUND);
	CHECK_CONTAINS(err.msg, "does not exist");
	CHECK_INT(core_ws_open(test_tmpdir(), CORE_WS_READ, &ws, &err),
		  CORE_ENOTWS);
}

static void test_refuses_newer_schema(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	const char *p = ws_path("newer.db");
	char *before;
	size_t n;
	sqlite3 *db;

	CHECK_INT(core_ws_create(p, NULL, core_taxonomy_seed, &ws, &err),
		  CORE_OK);
	core_ws_close(ws);
	ws = NULL;
	sqlite3_open(p, &db);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	before = slurp(p, &n);
	CHECK_INT(core_ws_open(p, CORE_WS_WRITE, &ws, &err), CORE_ESCHEMA);
	CHECK(ws == NULL);
	CHECK_CONTAINS(err.msg, "schema version 99");
	CHECK(same_bytes(p, before, n));
	free(before);
}

static void test_taxonomy(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	const char *p = ws_path("tax.db");
	static const char *const required[] = {"food",
					       "housing",
					       "transportation",
					       "utilities",
					       "legal",
					       "employment",
					       "education",
					       "childcare",
					       "behavioral_health",
					       "substance_use",
					       "primary_care",
					       "dental",
					       "caregiving",
					       "disability",
					       "benefits",
					       "social_connection",
					       "safety",
					       "health_education"};
	size_t i;
	int64_t n;

	CHECK_INT(core_ws_create(p, NULL, core_taxonomy_seed, &ws, &err),
		  CORE_OK);
	if (!ws)
		return;
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!core_category_exists(ws, required[i]))
			test_fail(__FILE__, __LINE__, "category %s missing",
				  required[i]);
	CHECK(!core_category_exists(ws, "Food"));
	/* every category belongs to one of the five HP2030 domains */
	CHECK_INT(
	    core_ws_int(ws, &err, "SELECT count(*) FROM sdoh_domains", &n), 0);
	CHECK_INT(n, 5);
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT count(*) FROM categories WHERE domain "
			      "NOT IN (SELECT code FROM sdoh_domains)"
			      " OR color NOT LIKE '#______'",
			      &n),
		  0);
	CHECK_INT(n, 0);
	/* the 15 Medi-Cal Community Supports, Transitional Rent since July 2025
	 */
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT count(*) FROM programs WHERE kind = "
			      "'community_support'",
			      &n),
		  0);
	CHECK_INT(n, 15);
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT count(*) FROM programs WHERE code = "
			      "'transitional_rent' AND since = '2025-07-01'",
			      &n),
		  0);
	CHECK_INT(n, 1);
	CHECK(core_program_exists(ws, "medically_tailored_meals"));
	CHECK(core_program_exists(ws, "asthma_remediation"));
	core_ws_close(ws);
}

static void test_taxonomy_bad_file(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	const char *p = ws_path("taxbad.db");
	char dir[600], *cmd;
	int64_t n;

	CHECK_INT(core_ws_create(p, NULL, core_taxonomy_seed, &ws, &err),
		  CORE_OK);
	if (!ws)
		return;
	snprintf(dir, sizeof(dir), "%s/taxdata", test_tmpdir());
	cmd = xasprintf(
	    "mkdir -p %s/taxonomy && cp %s/taxonomy/*.csv %s/taxonomy/ && "
	    "sed -i 's/#e6550d/orange/' %s/taxonomy/categories.csv",
	    dir, core_data_dir(), dir, dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	CHECK_INT(core_ws_begin(ws, &err), 0);
	CHECK(core_taxonomy_load(ws, dir, &err) != CORE_OK);
	core_ws_rollback(ws);
	CHECK_CONTAINS(err.msg, "categories.csv line 2, field color: 'orange'");
	CHECK_INT(core_ws_int(
		      ws, &err,
		      "SELECT count(*) FROM categories WHERE color = '#e6550d'",
		      &n),
		  0);
	CHECK_INT(n, 1);
	core_ws_close(ws);
}

static void test_source_delete_cascades(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	const char *p = ws_path("cascade.db");
	int64_t n;

	CHECK_INT(core_ws_create(p, NULL, core_taxonomy_seed, &ws, &err),
		  CORE_OK);
	if (!ws)
		return;
	CHECK_INT(
	    core_ws_exec(
		ws, &err,
		"INSERT INTO sources(id, kind, path, name, format, checksum, "
		"imported_at)"
		" VALUES(1, 'assets', '/x.csv', 'x.csv', 'CSV', 'abc', 'now');"
		"INSERT INTO assets(id, source_id, name, geom) VALUES(1, 1, "
		"'Pantry', MakePoint(-122.4, 37.7, 4326));"
		"INSERT INTO asset_categories VALUES(1, 'food');"
		"DELETE FROM sources WHERE id = 1;"),
	    CORE_OK);
	CHECK_INT(core_ws_int(ws, &err, "SELECT count(*) FROM assets", &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(
	    core_ws_int(ws, &err, "SELECT count(*) FROM asset_categories", &n),
	    0);
	CHECK_INT(n, 0);
	/* an unknown category is refused by the foreign key */
	CHECK(
	    core_ws_exec(ws, &err,
			 "INSERT INTO assets(id, name, geom) VALUES(2, "
			 "'Clinic', MakePoint(-122.4, 37.7, 4326));"
			 "INSERT INTO asset_categories VALUES(2, 'nosuch');") !=
	    CORE_OK);
	core_ws_close(ws);
}

static void test_migration_v1_to_current(void)
{
	const struct core_ws_opts seeded = {.wait_ms = -1,
					    .seed = core_taxonomy_seed};
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	const char *p = ws_path("v1.db");
	char *before;
	size_t n;
	int64_t v;

	CHECK_INT(
	    core_ws_create_version(p, NULL, 1, core_taxonomy_seed, &ws, &err),
	    CORE_OK);
	core_ws_close(ws);
	ws = NULL;
	/* reading never writes: an old schema is refused, untouched */
	before = slurp(p, &n);
	CHECK_INT(core_ws_open(p, CORE_WS_READ, &ws, &err), CORE_ESCHEMA);
	CHECK_CONTAINS(err.msg, "needs an upgrade");
	CHECK(same_bytes(p, before, n));
	free(before);
	/* a command that writes migrates it forward, seeded */
	CHECK_INT(core_ws_open_with(p, CORE_WS_WRITE, &seeded, &ws, &err),
		  CORE_OK);
	if (!ws)
		return;
	CHECK_INT(core_ws_int(ws, &err, "PRAGMA user_version", &v), 0);
	CHECK_INT(v, CORE_SCHEMA_VERSION);
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT count(*) FROM sqlite_master WHERE name "
			      "IN ('asset_sources','crosswalk','source_terms')",
			      &v),
		  0);
	CHECK_INT(v, 3);
	CHECK_INT(core_ws_int(ws, &err, "SELECT count(*) FROM categories", &v),
		  0);
	CHECK_INT(v, 18);
	core_ws_close(ws);
}

/* Step 8 (areas level neighborhood) from a version-7 workspace that
 * holds a tract: the CHECK on areas.level takes 'neighborhood' and still
 * refuses other words, the rows, the geometry column's registration and
 * its spatial index are as they were, and the file checks as sound. */
static void test_migration_v7_neighborhood(void)
{
	const struct core_ws_opts seeded = {.wait_ms = -1,
					    .seed = core_taxonomy_seed};
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	const char *p = ws_path("v7.db");
	int64_t v;

	CHECK_INT(
	    core_ws_create_version(p, NULL, 7, core_taxonomy_seed, &ws, &err),
	    CORE_OK);
	if (!ws)
		return;
	/* an old version's workspace is opened raw: SpatiaLite by hand, for
	 * the geometry and the column's triggers */
	ws->sl_cache = spatialite_alloc_connection();
	spatialite_init_ex(ws->db, ws->sl_cache, 0);
	CHECK_INT(core_ws_exec(ws, &err,
			       "INSERT INTO sources(id, kind, path, name, "
			       "format, checksum, imported_at) VALUES (1, "
			       "'areas', '/x/t.shp', 't.shp', 'ESRI "
			       "Shapefile', 'c', '2024-01-01');"
			       "INSERT INTO areas(source_id, level, geoid, "
			       "name, geom) VALUES (1, 'tract', '06075010100', "
			       "'T1', GeomFromText('MULTIPOLYGON(((-122.4 "
			       "37.7, -122.3 37.7, -122.3 37.8, -122.4 37.8, "
			       "-122.4 37.7)))', 4326));"),
		  CORE_OK);
	/* version 7 refuses the word */
	CHECK(core_ws_exec(ws, &err,
			   "INSERT INTO areas(level, geoid, geom) VALUES "
			   "('neighborhood', 'N1', GeomFromText("
			   "'MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)))', 4326))") !=
	      CORE_OK);
	CHECK_CONTAINS(err.msg, "CHECK");
	core_ws_close(ws);
	ws = NULL;
	CHECK_INT(core_ws_open_with(p, CORE_WS_WRITE, &seeded, &ws, &err),
		  CORE_OK);
	if (!ws)
		return;
	CHECK_INT(core_ws_int(ws, &err, "PRAGMA user_version", &v), 0);
	CHECK_INT(v, CORE_SCHEMA_VERSION);
	CHECK_INT(core_ws_exec(
		      ws, &err,
		      "INSERT INTO areas(source_id, level, geoid, name, geom) "
		      "VALUES (1, 'neighborhood', 'Mission', 'Mission', "
		      "GeomFromText('MULTIPOLYGON(((-122.42 37.75, -122.40 "
		      "37.75, -122.40 37.77, -122.42 37.77, -122.42 "
		      "37.75)))', 4326))"),
		  CORE_OK);
	CHECK(core_ws_exec(ws, &err,
			   "INSERT INTO areas(level, geoid, geom) VALUES "
			   "('borough', 'B1', GeomFromText("
			   "'MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)))', 4326))") !=
	      CORE_OK);
	CHECK_CONTAINS(err.msg, "CHECK");
	/* the geometry column is still SpatiaLite's: its type is enforced,
	 * and the spatial index finds both areas */
	CHECK(core_ws_exec(ws, &err,
			   "INSERT INTO areas(level, geoid, geom) VALUES "
			   "('neighborhood', 'P', MakePoint(-122.4, 37.7, "
			   "4326))") != CORE_OK);
	CHECK_INT(
	    core_ws_int(ws, &err,
			"SELECT count(*) FROM geometry_columns WHERE "
			"f_table_name = 'areas' AND spatial_index_enabled "
			"= 1",
			&v),
	    0);
	CHECK_INT(v, 1);
	CHECK_INT(
	    core_ws_int(ws, &err,
			"SELECT count(*) FROM areas WHERE rowid IN "
			"(SELECT rowid FROM SpatialIndex WHERE "
			"f_table_name = 'areas' AND search_frame = "
			"BuildMbr(-122.405, 37.755, -122.395, 37.765, 4326))",
			&v),
	    0);
	CHECK_INT(v, 2);
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT CheckSpatialIndex('areas', 'geom')", &v),
		  0);
	CHECK_INT(v, 1);
	CHECK_INT(
	    core_ws_int(ws, &err,
			"SELECT count(*) FROM areas WHERE level = 'tract' "
			"AND geoid = '06075010100' AND name = 'T1' AND "
			"ST_Area(geom) > 0.0099",
			&v),
	    0);
	CHECK_INT(v, 1);
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT count(*) FROM pragma_integrity_check "
			      "WHERE integrity_check = 'ok'",
			      &v),
		  0);
	CHECK_INT(v, 1);
	core_ws_close(ws);
	ws = NULL;
	/* a new workspace takes the word too */
	p = ws_path("v8new.db");
	CHECK_INT(core_ws_create(p, NULL, NULL, &ws, &err), CORE_OK);
	if (!ws)
		return;
	CHECK_INT(
	    core_ws_exec(ws, &err,
			 "INSERT INTO areas(level, geoid, geom) VALUES "
			 "('neighborhood', 'N1', GeomFromText("
			 "'MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)))', 4326))"),
	    CORE_OK);
	core_ws_close(ws);
}

/* The workspace knows nothing of the taxonomy: what fills a new or
 * migrated schema is the caller's seed, run in the same transaction. */
static void test_seed_is_the_callers(void)
{
	const struct core_ws_opts bare = {.wait_ms = -1, .seed = NULL};
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	const char *p = ws_path("bare.db");
	int64_t n;

	CHECK_INT(core_ws_create(p, NULL, NULL, &ws, &err), CORE_OK);
	if (!ws)
		return;
	CHECK_INT(core_ws_int(ws, &err, "SELECT count(*) FROM categories", &n),
		  0);
	CHECK_INT(n, 0);
	CHECK_INT(core_ws_int(ws, &err, "SELECT count(*) FROM programs", &n),
		  0);
	CHECK_INT(n, 0);
	/* seeding later gives what a seeded create gives */
	CHECK_INT(core_ws_begin(ws, &err), CORE_OK);
	CHECK_INT(core_taxonomy_seed(ws, &err), CORE_OK);
	CHECK_INT(core_ws_commit(ws, &err), CORE_OK);
	CHECK_INT(core_ws_int(ws, &err, "SELECT count(*) FROM categories", &n),
		  0);
	CHECK_INT(n, 18);
	core_ws_close(ws);
	ws = NULL;

	/* a migration without a seed leaves the rows as they were */
	p = ws_path("bare_v1.db");
	CHECK_INT(core_ws_create_version(p, NULL, 1, NULL, &ws, &err), CORE_OK);
	core_ws_close(ws);
	ws = NULL;
	CHECK_INT(core_ws_open_with(p, CORE_WS_WRITE, &bare, &ws, &err),
		  CORE_OK);
	if (!ws)
		return;
	CHECK_INT(core_ws_int(ws, &err, "PRAGMA user_version", &n), 0);
	CHECK_INT(n, CORE_SCHEMA_VERSION);
	CHECK_INT(core_ws_int(ws, &err, "SELECT count(*) FROM categories", &n),
		  0);
	CHECK_INT(n, 0);
	core_ws_close(ws);
}

static void test_merged_asset_outlives_its_first_source(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	int64_t n;

	CHECK_INT(core_ws_create(ws_path("merge.db"), NULL, core_taxonomy_seed,
				 &ws, &err),
		  CORE_OK);
	if (!ws)
		return;
	CHECK_INT(core_ws_exec(
		      ws, &err,
		      "INSERT INTO sources(id, kind, path, name, format, "
		      "checksum, imported_at)"
		      " VALUES(1, 'assets', '/211.csv', '211.csv', 'CSV', 'a', "
		      "'now'),"
		      " (2, 'assets', '/medi-cal.csv', 'medi-cal.csv', 'CSV', "
		      "'b', 'now');"
		      "INSERT INTO assets(id, source_id, name, geom) VALUES(1, "
		      "1, 'Clinic', MakePoint(-122.4, 37.7, 4326)),"
		      " (2, 1, 'Pantry', MakePoint(-122.4, 37.7, 4326));"
		      "INSERT INTO asset_sources(asset_id, source_id, how) "
		      "VALUES(1, 1, 'imported'), (1, 2, 'merged'),"
		      " (2, 1, 'imported');"
		      "DELETE FROM sources WHERE id = 1;"),
		  CORE_OK);
	/* the clinic, also listed by source 2, stays and now belongs to it */
	CHECK_INT(core_ws_int(ws, &err, "SELECT count(*) FROM assets", &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT source_id FROM assets WHERE id = 1", &n),
		  0);
	CHECK_INT(n, 2);
	CHECK_INT(
	    core_ws_int(ws, &err, "SELECT count(*) FROM asset_sources", &n), 0);
	CHECK_INT(n, 1);
	core_ws_close(ws);
}

static void test_csv_reader(void)
{
	struct core_err err = CORE_ERR_INIT;
	const char *p =
	    test_write("q.csv", "\xEF\xBB\xBF"
				"code,name,note\r\n"
				"a,\"Smith, J\",\"said \"\"hi\"\"\"\r\n"
				"\r\n"
				"b,\"two\nlines\",x\n"
				"c,short\n");
	struct core_csv *c = core_csv_open(p, &err);

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_INT(core_csv_col(c, "CODE"), 0);
	CHECK_INT(core_csv_col(c, "note"), 2);
	CHECK_INT(core_csv_col(c, "nope"), -1);
	CHECK_INT(core_csv_next(c, &err), 1);
	CHECK_STR(core_csv_get(c, 1), "Smith, J");
	CHECK_STR(core_csv_get(c, 2), "said \"hi\"");
	CHECK_INT(core_csv_line(c), 2);
	CHECK_INT(core_csv_next(c, &err), 1);
	CHECK_STR(core_csv_get(c, 1), "two\nlines");
	CHECK_INT(core_csv_line(c), 4);
	CHECK_INT(core_csv_next(c, &err), 1);
	CHECK_INT(core_csv_line(c), 6);
	CHECK_STR(core_csv_get(c, 2), "");
	CHECK_INT(core_csv_next(c, &err), 0);
	core_csv_free(c);

	p = test_write("open.csv", "a,b\n1,\"never closed\n");
	c = core_csv_open(p, &err);
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_INT(core_csv_next(c, &err), -1);
	CHECK_CONTAINS(
	    err.msg,
	    "open.csv line 2, field b: a quoted field is not closed before the "
	    "end of the file; is the file cut short, or a quote missing?");
	core_csv_free(c);

	/* a NUL byte: said once, with its line and field, not read as the
	 * end of the value */
	{
		static const char nul[] = "name,lat\nA\0B,37.7\nC,37.8\n";
		c = core_csv_open_mem(nul, sizeof(nul) - 1, "nul.csv", &err);
		CHECK(c != NULL);
		if (!c)
			return;
		CHECK_INT(core_csv_next(c, &err), -1);
		CHECK_STR(err.msg,
			  "nul.csv line 2, field name: contains a NUL byte; a "
			  "CSV file is text and never holds one (is it a "
			  "binary file, or saved as UTF-16?)");
		core_csv_free(c);
	}

	p = test_write("empty.csv", "");
	CHECK(core_csv_open(p, &err) == NULL);
	CHECK_CONTAINS(err.msg, "empty.csv: the file is empty");
}

/* Rows of the wrong width, a file cut short, the separator. */
static void test_csv_width(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_buf why = CORE_BUF_INIT;
	static const char cut[] = "name,lat,lon,address,city\n"
				  "A,37.75,-122.39,1 Main St,SF\n"
				  "B,37.76,-122.40\n"
				  "C,37.76,-122.40,1,2,3\n"
				  "D,37.76,-122.40,300 Miss";
	struct core_csv *c =
	    core_csv_open_mem(cut, sizeof(cut) - 1, "cut.csv", &err);
	size_t field = 99;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_INT(core_csv_next(c, &err), 1);
	CHECK_INT(core_csv_check_width(c, &field, &why), 0);
	CHECK_INT(core_csv_unterminated(c), 0);
	CHECK_INT(core_csv_next(c, &err), 1);
	CHECK_INT(core_csv_check_width(c, &field, &why), CORE_CSV_SHORT);
	CHECK_INT(field, 3);
	CHECK_STR(core_buf_str(&why),
		  "is missing: the row has 3 fields where the header has 5; a "
		  "value holding the separator ',' must be in double quotes");
	core_buf_reset(&why);
	CHECK_INT(core_csv_next(c, &err), 1);
	CHECK_INT(core_csv_check_width(c, &field, &why), CORE_CSV_LONG);
	CHECK_INT(field, 5);
	CHECK_STR(
	    core_buf_str(&why),
	    "is not in the header: the row has 6 fields where the header has "
	    "5; a value holding the separator ',' must be in double quotes");
	core_buf_reset(&why);
	/* the last row, cut in its fourth field */
	CHECK_INT(core_csv_next(c, &err), 1);
	CHECK_INT(core_csv_unterminated(c), 1);
	CHECK_INT(core_csv_check_width(c, &field, &why), CORE_CSV_SHORT);
	CHECK_INT(field, 4);
	CHECK_STR(core_buf_str(&why),
		  "is missing: the row has 4 fields where the header has 5; a "
		  "value holding the separator ',' must be in double quotes "
		  "(is the file cut short?)");
	CHECK_INT(core_csv_next(c, &err), 0);
	core_csv_free(c);
	core_buf_release(&why);

	/* the separator: given, or the header's first */
	{
		static const char semi[] = "a;b,c\n1;2,3\n";
		static const char tab[] = "a\tb\n\"x;y\"\t2\n";
		c = core_csv_open_mem_as(semi, sizeof(semi) - 1, "s.csv", 0,
					 &err);
		CHECK(c != NULL && core_csv_sep(c) == ';');
		CHECK(c && core_csv_next(c, &err) == 1);
		CHECK(c && strcmp(core_csv_get(c, 1), "2,3") == 0);
		core_csv_free(c);
		c = core_csv_open_mem_as(tab, sizeof(tab) - 1, "t.tsv", '\t',
					 &err);
		CHECK(c && core_csv_next(c, &err) == 1);
		CHECK(c && strcmp(core_csv_get(c, 0), "x;y") == 0);
		core_csv_free(c);
	}
}

/* UTF-8 validity and the U+FFFD repair every output uses. */
static void test_utf8(void)
{
	struct core_buf b = CORE_BUF_INIT;
	static const char ok[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";

	CHECK_INT(core_utf8_check(ok, sizeof(ok) - 1), sizeof(ok) - 1);
	CHECK(core_utf8_valid(ok));
	CHECK(core_utf8_valid(NULL));
	CHECK_INT(core_utf8_check("ab\xff\xfe", 4), 2);
	CHECK_INT(core_utf8_check("\xc0\x80", 2), 0);	      /* overlong */
	CHECK_INT(core_utf8_check("\xed\xa0\x80", 3), 0);     /* surrogate */
	CHECK_INT(core_utf8_check("\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
	CHECK_INT(core_utf8_check("a\xe2\x82", 3), 1);	      /* cut */
	CHECK(!core_utf8_valid("Old\xff\xfe"));
	CHECK_INT(core_utf8_fix(&b, "Old\xff\xfe!", 6), 2);
	CHECK_STR(core_buf_str(&b), "Old\xef\xbf\xbd\xef\xbf\xbd!");
	core_buf_reset(&b);
	/* a broken sequence is one U+FFFD, and the byte after it is read
	 * afresh */
	CHECK_INT(core_utf8_fix(&b, "x\xe2\x82y\xe2\x82", 7), 2);
	CHECK_STR(core_buf_str(&b), "x\xef\xbf\xbdy\xef\xbf\xbd");
	core_buf_release(&b);
}

static void test_buf_and_err(void)
{
	struct core_buf b = CORE_BUF_INIT;
	struct core_err err = CORE_ERR_INIT;
	char *s;
	int i;

	CHECK_STR(core_buf_str(&b), "");
	for (i = 0; i < 1000; i++)
		core_buf_addf(&b, "%d,", i);
	CHECK_INT(b.len, 3890);
	CHECK(strncmp(b.s, "0,1,2,", 6) == 0);
	s = core_buf_detach(&b);
	CHECK(b.s == NULL);
	free(s);
	CHECK_INT(core_err_set(&err, CORE_EFORMAT, "line %d", 7), CORE_EFORMAT);
	core_err_prefix(&err, "file %s: ", "x.csv");
	CHECK_STR(err.msg, "file x.csv: line 7");
	CHECK_INT(err.code, CORE_EFORMAT);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(test_create_and_reopen),
	    TEST(test_create_refuses_existing),
	    TEST(test_bad_crs),
	    TEST(test_refuses_foreign_files),
	    TEST(test_refuses_newer_schema),
	    TEST(test_taxonomy),
	    TEST(test_taxonomy_bad_file),
	    TEST(test_source_delete_cascades),
	    TEST(test_migration_v1_to_current),
	    TEST(test_migration_v7_neighborhood),
	    TEST(test_seed_is_the_callers),
	    TEST(test_merged_asset_outlives_its_first_source),
	    TEST(test_csv_reader),
	    TEST(test_csv_width),
	    TEST(test_utf8),
	    TEST(test_buf_and_err),
	    {NULL, NULL}};
	int rc = test_main("core", tests);

	core_ws_shutdown();
	return rc;
}
