/*
 * fuzz_import_csv.c - libFuzzer target for the generic importer's CSV
 * path ('assetmap import assets|indicators FILE.csv'): the strict reader
 * core_csv, the records as features, the column guesses, every row
 * check and the writes, through imp_ogr_import with the file's bytes in
 * memory (imp_ogr_opts.data) into one workspace made on the first call
 * in $TMPDIR.  Build and run: see tests/fuzz/README.md.
 *
 * Each input is imported twice: as assets (--category food --skip-bad)
 * and as indicators (no --skip-bad).  Besides crashes and sanitizer
 * reports, it aborts when
 *  - a failure has no message, or one that does not name the file;
 *  - a failed import changed the workspace (asset, indicator and source
 *    counts), or a successful one left counts that do not add up: rows
 *    read = accepted + rejected, the assets and values stored are the
 *    ones counted;
 *  - more rows were read than the input has lines, or a reject names a
 *    line outside the file;
 *  - an asset stored is outside lon/lat range or has no name, or any
 *    stored text (names, addresses, GEOIDs, rejected values) is not
 *    valid UTF-8.
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

static void import_one(enum imp_kind kind, const uint8_t *data, size_t size,
		       long lines)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_ogr_opts o;
	struct imp_ogr_stats st;
	struct imp_source src;
	struct core_ws *ws;
	int64_t before[4];
	char sql[256];
	int rc;

	ws = fuzz_ws_get("fuzz_import_csv");
	imp_ogr_opts_init(&o);
	o.kind = kind;
	o.path = "fuzz.csv";
	o.data = (const char *)data;
	o.size = size;
	if (kind == IMP_ASSETS) {
		o.col[IMP_COL_CATEGORY] = "food";
		o.skip_bad = 1;
	}
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, imp_kind_name(kind));
	fuzz_counts(ws, "indicators", before);
	rc = imp_ogr_import(ws, &o, &src, &st, &err);
	fuzz_check_import(ws, "fuzz_import_csv", "fuzz.csv", "indicators", rc,
			  &err, &src, 2, lines, before);
	if (src.rows_read > lines)
		abort();
	if (rc != CORE_OK)
		goto cleanup;
	if (src.rows_read != src.rows_accepted + src.rows_rejected ||
	    src.rows_accepted < 1)
		abort();
	if (kind == IMP_ASSETS) {
		fuzz_check_assets(ws, src.id, src.rows_accepted);
	} else {
		snprintf(
		    sql, sizeof(sql),
		    "SELECT count(*) FROM indicators WHERE source_id = %lld",
		    (long long)src.id);
		if (fuzz_q_int(ws, sql) != st.values ||
		    st.values != src.rows_accepted * st.ncolumns)
			abort();
		fuzz_all_utf8(ws, "SELECT geoid, name FROM indicators");
	}
	fuzz_all_utf8(ws, "SELECT field, value, reason FROM source_rejects");
cleanup:
	imp_source_release(&src);
	imp_ogr_stats_release(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long lines = 1;
	size_t i;

	for (i = 0; i < size; i++)
		if (data[i] == '\n')
			lines++;
	import_one(IMP_ASSETS, data, size, lines);
	import_one(IMP_INDICATORS, data, size, lines);
	return 0;
}
