/*
 * fuzz_import_scan.c - libFuzzer target for 'assetmap import scan
 * FILE.csv' (the environmental scan's tallies): core_csv, the header's
 * columns, the row checks (name, category through the crosswalk,
 * times_named), the matching (imp_match.h) and the tallies, through
 * imp_scan_import on the input written to scan.csv in a directory made
 * on the first call in $TMPDIR, into one workspace holding four assets
 * (two of one name).  Build and run: see tests/fuzz/README.md.
 *
 * Each input is imported twice, without and with --skip-bad.  Besides
 * crashes and sanitizer reports, it aborts when
 *  - a failure has no message naming the file, or changed the workspace
 *    (assets, scan_tallies, sources and source_rejects counts);
 *  - a success left counts that do not add up: rows read = matched +
 *    added + not loaded + rejected, the tallies stored are the rows
 *    loaded, every times_named is 1 to 1000000, every asset's trusted
 *    count is the sum of its tallies (no asset here was added by hand
 *    with --trusted), an asset was added although the workspace has no
 *    reference addresses, or stored text is not valid UTF-8.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_err.h"
#include "core/core_mem.h"
#include "core/core_ws.h"
#include "import_common.h"
#include "importers/imp_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *csv_dir, *csv_path;

static void csv_remove(void)
{
	unlink(csv_path);
	rmdir(csv_dir);
	free(csv_path);
	free(csv_dir);
}

/* The file each input is written to (the importer reads a path), made
 * once: $TMPDIR/fuzz-import-scan-XXXXXX/scan.csv. */
static const char *csv_file(void)
{
	const char *tmp = getenv("TMPDIR");

	if (csv_path)
		return csv_path;
	csv_dir =
	    xasprintf("%s/fuzz-import-scan-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(csv_dir))
		abort();
	csv_path = xasprintf("%s/scan.csv", csv_dir);
	atexit(csv_remove);
	return csv_path;
}

/* The workspace, with its four assets made on the first call. */
static struct core_ws *scan_ws(void)
{
	static int made;
	struct core_ws *ws = fuzz_ws_get("fuzz_import_scan");

	if (!made &&
	    sqlite3_exec(
		ws->db,
		"INSERT INTO assets(id, name, address, zip, geom) VALUES"
		" (1, 'Food Bank', '1 Main St', '95990',"
		"  MakePoint(-120.6, 37.1, 4326)),"
		" (2, 'Clinica', '2 Oak Ave', '95990',"
		"  MakePoint(-120.61, 37.1, 4326)),"
		" (3, 'Clinica', '3 Oak Ave', '95991',"
		"  MakePoint(-120.62, 37.1, 4326)),"
		" (4, 'St. Mary''s Pantry', NULL, NULL,"
		"  MakePoint(-120.63, 37.1, 4326));"
		"INSERT INTO asset_categories VALUES (1, 'food'),"
		" (2, 'primary_care'), (3, 'primary_care'), (4, 'food');",
		NULL, NULL, NULL) != SQLITE_OK)
		abort();
	made = 1;
	return ws;
}

static void import_one(const char *path, int skip_bad, long lines)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_scan_opts o;
	struct imp_scan_stats st;
	struct imp_source src;
	struct core_ws *ws = scan_ws();
	int64_t before[4];
	char sql[256];
	int rc;

	fuzz_counts(ws, "scan_tallies", before);
	memset(&o, 0, sizeof(o));
	o.path = path;
	o.skip_bad = skip_bad;
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "scan");
	rc = imp_scan_import(ws, &o, &src, &st, &err);
	fuzz_check_import(ws, "fuzz_import_scan", "scan.csv", "scan_tallies",
			  rc, &err, &src, 2, lines, before);
	if (rc == CORE_OK) {
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM scan_tallies WHERE source_id = "
			 "%lld",
			 (long long)src.id);
		if (src.rows_read != st.matched + st.added_rows +
					 st.not_loaded + src.rows_rejected ||
		    st.rows != src.rows_read ||
		    fuzz_q_int(ws, sql) != st.matched + st.added_rows ||
		    st.added_assets != 0 || st.added_rows != 0)
			abort();
		if (fuzz_q_int(ws, "SELECT count(*) FROM scan_tallies WHERE "
				   "times_named < 1 OR times_named > "
				   "1000000") != 0 ||
		    fuzz_q_int(ws,
			       "SELECT count(*) FROM assets a WHERE "
			       "coalesce(a.trusted_count, 0) <> (SELECT "
			       "coalesce(sum(t.times_named), 0) FROM "
			       "scan_tallies t WHERE t.asset_id = a.id)") != 0)
			abort();
		fuzz_all_utf8(ws, "SELECT value, reason FROM source_rejects");
	}
	imp_source_release(&src);
	imp_scan_stats_release(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = csv_file();
	FILE *fp;

	if (!(fp = fopen(path, "wb")))
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	import_one(path, 0, (long)size + 1);
	import_one(path, 1, (long)size + 1);
	return 0;
}
