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

#include "core/core_err.h"
#include "core/core_utf8.h"
#include "core/core_ws.h"
#include "importers/imp_ogr.h"
#include "tests/fuzz/import_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void import_one(enum imp_kind kind, const uint8_t *data, size_t size)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_ogr_opts o;
	struct imp_ogr_stats st;
	struct imp_source src;
	struct core_ws *ws;
	int64_t before[4];
	char sql[512];
	int rc;

	ws = fuzz_ws_get("fuzz_import_geojson");
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
	fuzz_counts(ws, "areas", before);
	rc = imp_ogr_import(ws, &o, &src, &st, &err);
	fuzz_check_import(ws, "fuzz_import_geojson", "fuzz.geojson", "areas",
			  rc, &err, &src, 1, (long)src.rows_read, before);
	if (rc != CORE_OK)
		goto cleanup;
	if (src.rows_read != src.rows_accepted + src.rows_rejected ||
	    src.rows_accepted < 1)
		abort();
	if (kind == IMP_ASSETS) {
		fuzz_check_assets(ws, src.id, src.rows_accepted);
	} else {
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM areas WHERE source_id = %lld",
			 (long long)src.id);
		if (fuzz_q_int(ws, sql) != src.rows_accepted)
			abort();
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM areas WHERE source_id = %lld AND"
			 " (length(geoid) != 11 OR geoid GLOB '*[^0-9]*'"
			 " OR GeometryType(geom) != 'MULTIPOLYGON'"
			 " OR ST_IsValid(geom) != 1 OR MbrMinX(geom) < -180"
			 " OR MbrMaxX(geom) > 180 OR MbrMinY(geom) < -90"
			 " OR MbrMaxY(geom) > 90)",
			 (long long)src.id);
		if (fuzz_q_int(ws, sql) != 0) {
			fprintf(stderr, "fuzz_import_geojson: a bad area\n");
			abort();
		}
		fuzz_all_utf8(ws, "SELECT geoid, name FROM areas");
	}
	fuzz_all_utf8(ws, "SELECT field, value, reason FROM source_rejects");
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
