/*
 * fuzz_import_geojson.c - libFuzzer target for the generic importer's
 * GeoJSON path ('assetmap import assets|areas FILE.geojson'): GDAL's
 * GeoJSON reader, the column guesses, the CRS, point checks and the area
 * polygon pipeline (linearise, reproject, range checks, make valid),
 * through imp_ogr_import with the file's bytes in memory
 * (imp_ogr_opts.data, read by GDAL from /vsimem/) into one workspace
 * made on the first call in $TMPDIR.  Build and run: see
 * tests/fuzz/README.md.
 *
 * Each input is imported twice: as assets (--category food --skip-bad)
 * and as tract areas (--skip-bad).  Besides crashes and sanitizer
 * reports, it aborts when
 *  - a failure has no message, or one that does not name the file;
 *  - a failed import changed the workspace (asset, area and source
 *    counts), or a successful one left counts that do not add up: rows
 *    read = accepted + rejected, the assets and areas stored are the
 *    ones counted;
 *  - a reject names a feature number outside 1..rows read;
 *  - an asset stored is outside lon/lat range or has no name; an area
 *    stored is not a valid MULTIPOLYGON inside lon/lat range, or its
 *    GEOID is not 11 digits; any stored text is not valid UTF-8.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/core_err.h"
#include "core/core_mem.h"
#include "core/core_taxonomy.h"
#include "core/core_utf8.h"
#include "core/core_ws.h"
#include "importers/imp_ogr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct core_ws *ws;
static char *ws_dir, *ws_path;

/* At exit: the workspace and its directory go. */
static void workspace_remove(void)
{
	char *j = xasprintf("%s-journal", ws_path);

	core_ws_close(ws);
	ws = NULL;
	unlink(ws_path);
	unlink(j);
	rmdir(ws_dir);
	free(j);
	free(ws_path);
	free(ws_dir);
}

/* The workspace, made once. */
static void workspace(void)
{
	struct core_err err = CORE_ERR_INIT;
	const char *tmp = getenv("TMPDIR");
	char *dir, *path;

	if (ws)
		return;
	dir = xasprintf("%s/fuzz-import-geojson-XXXXXX",
			tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	path = xasprintf("%s/w.db", dir);
	ws_dir = dir;
	ws_path = path;
	if (core_ws_create(path, NULL, core_taxonomy_seed, &ws, &err)) {
		fprintf(stderr, "fuzz_import_geojson: %s\n", err.msg);
		abort();
	}
	atexit(workspace_remove);
}

static int64_t q_int(const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Abort unless every text value of the query is valid UTF-8. */
static void all_utf8(const char *sql)
{
	sqlite3_stmt *st;
	int i, n;

	if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	n = sqlite3_column_count(st);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (i = 0; i < n; i++)
			if (!core_utf8_valid(
				(const char *)sqlite3_column_text(st, i)))
				abort();
	sqlite3_finalize(st);
}

/* What a workspace holds, to see that a failure changed nothing. */
static void counts(int64_t c[4])
{
	c[0] = q_int("SELECT count(*) FROM assets");
	c[1] = q_int("SELECT count(*) FROM areas");
	c[2] = q_int("SELECT count(*) FROM sources");
	c[3] = q_int("SELECT count(*) FROM source_rejects");
}

static void import_one(enum imp_kind kind, const uint8_t *data, size_t size)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_ogr_opts o;
	struct imp_ogr_stats st;
	struct imp_source src;
	int64_t before[4], after[4];
	char sql[512];
	size_t k;
	int rc;

	workspace();
	imp_ogr_opts_init(&o);
	o.kind = kind;
	o.path = "fuzz.geojson";
	o.data = (const char *)data;
	o.size = size;
	o.skip_bad = 1;
	if (kind == IMP_ASSETS)
		o.col[IMP_COL_CATEGORY] = "food";
	else
		o.level = "tract";
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, imp_kind_name(kind));
	counts(before);
	rc = imp_ogr_import(ws, &o, &src, &st, &err);
	if (src.warning && !strstr(src.warning, "fuzz.geojson"))
		abort();
	for (k = 0; k < src.nshown; k++)
		if (!strstr(src.shown[k].msg, "fuzz.geojson") ||
		    src.shown[k].line < 1 ||
		    src.shown[k].line > (long)src.rows_read ||
		    !core_utf8_valid(src.shown[k].msg))
			abort();
	if (rc != CORE_OK) {
		counts(after);
		if (!err.msg[0] || !strstr(err.msg, "fuzz.geojson") ||
		    memcmp(before, after, sizeof(before)) != 0) {
			fprintf(stderr, "fuzz_import_geojson: '%s'\n", err.msg);
			abort();
		}
		goto cleanup;
	}
	if (src.rows_read != src.rows_accepted + src.rows_rejected ||
	    src.rows_accepted < 1)
		abort();
	if (kind == IMP_ASSETS) {
		snprintf(
		    sql, sizeof(sql),
		    "SELECT count(*) FROM asset_sources WHERE source_id = %lld",
		    (long long)src.id);
		if (q_int(sql) != src.rows_accepted)
			abort();
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM assets a JOIN asset_sources s "
			 "ON s.asset_id = a.id"
			 " AND s.source_id = %lld WHERE a.name IS NULL OR "
			 "a.name = ''"
			 " OR NOT ST_X(a.geom) BETWEEN -180 AND 180"
			 " OR NOT ST_Y(a.geom) BETWEEN -90 AND 90",
			 (long long)src.id);
		if (q_int(sql) != 0)
			abort();
		all_utf8(
		    "SELECT name, organization, address, city, state, zip,"
		    " phone, website, email, hours, languages, eligibility,"
		    " description FROM assets");
	} else {
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM areas WHERE source_id = %lld",
			 (long long)src.id);
		if (q_int(sql) != src.rows_accepted)
			abort();
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM areas WHERE source_id = %lld AND"
			 " (length(geoid) != 11 OR geoid GLOB '*[^0-9]*'"
			 " OR GeometryType(geom) != 'MULTIPOLYGON'"
			 " OR ST_IsValid(geom) != 1 OR MbrMinX(geom) < -180"
			 " OR MbrMaxX(geom) > 180 OR MbrMinY(geom) < -90"
			 " OR MbrMaxY(geom) > 90)",
			 (long long)src.id);
		if (q_int(sql) != 0) {
			fprintf(stderr, "fuzz_import_geojson: a bad area\n");
			abort();
		}
		all_utf8("SELECT geoid, name FROM areas");
	}
	all_utf8("SELECT field, value, reason FROM source_rejects");
cleanup:
	imp_source_release(&src);
	imp_ogr_stats_release(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	import_one(IMP_ASSETS, data, size);
	import_one(IMP_AREAS, data, size);
	return 0;
}
