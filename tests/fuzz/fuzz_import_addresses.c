/*
 * fuzz_import_addresses.c - libFuzzer target for 'assetmap import
 * addresses FILE.csv': the strict reader core_csv, the kind and column
 * guesses, the house number, ZIP and coordinate checks, the folding of
 * repeated base addresses and the writes, through imp_addr_import on
 * the input written to a .csv in a workspace directory made on the
 * first call in $TMPDIR.  Build and run: see tests/fuzz/README.md.
 *
 * Each input is imported with --skip-bad.  Besides crashes and
 * sanitizer reports, it aborts when
 *  - a failure has no message, or changed the workspace (the addr_*,
 *    sources and source_rejects counts);
 *  - a success left counts that do not add up: the rows stored are the
 *    ones counted, rows read = stored + folded + skipped + rejected
 *    (points), a point is outside lon/lat range, or stored text is not
 *    valid UTF-8.
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
#include "importers/imp_addresses.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct core_ws *ws;
static char *ws_dir, *ws_path, *csv_path;

static void workspace_remove(void)
{
	char *j = xasprintf("%s-journal", ws_path);

	core_ws_close(ws);
	ws = NULL;
	unlink(ws_path);
	unlink(j);
	unlink(csv_path);
	rmdir(ws_dir);
	free(j);
	free(ws_path);
	free(csv_path);
	free(ws_dir);
}

static struct core_ws *workspace(void)
{
	struct core_err err = CORE_ERR_INIT;
	const char *tmp = getenv("TMPDIR");

	if (ws)
		return ws;
	ws_dir = xasprintf("%s/fuzz-import-addresses-XXXXXX",
			   tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(ws_dir))
		abort();
	ws_path = xasprintf("%s/w.db", ws_dir);
	csv_path = xasprintf("%s/addresses.csv", ws_dir);
	if (core_ws_create(ws_path, NULL, core_taxonomy_seed, &ws, &err)) {
		fprintf(stderr, "fuzz_import_addresses: %s\n", err.msg);
		abort();
	}
	atexit(workspace_remove);
	return ws;
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

static void counts(int64_t c[5])
{
	c[0] = q_int("SELECT count(*) FROM addr_points");
	c[1] = q_int("SELECT count(*) FROM addr_ranges");
	c[2] = q_int("SELECT count(*) FROM addr_zips");
	c[3] = q_int("SELECT count(*) FROM sources");
	c[4] = q_int("SELECT count(*) FROM source_rejects");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_addr_opts o;
	struct imp_addr_stats st;
	struct imp_source src;
	int64_t before[5], after[5];
	FILE *fp;
	int rc;

	workspace();
	if (!(fp = fopen(csv_path, "wb")))
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	counts(before);
	imp_addr_opts_init(&o);
	o.path = csv_path;
	o.skip_bad = 1;
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "addresses");
	rc = imp_addr_import(ws, &o, &src, &st, &err);
	counts(after);
	if (rc) {
		if (!err.msg[0] || memcmp(before, after, sizeof(before)) != 0)
			abort();
	} else {
		if (after[0] != st.points || after[1] != st.left + st.right ||
		    after[2] != st.zips)
			abort();
		if (st.kind == IMP_ADDR_POINTS &&
		    src.rows_read !=
			st.points + st.folded + st.skipped + src.rows_rejected)
			abort();
		if (q_int("SELECT count(*) FROM addr_points WHERE lon < -180 "
			  "OR lon > 180 OR lat < -90 OR lat > 90") != 0 ||
		    q_int("SELECT count(*) FROM addr_zips WHERE lon < -180 OR "
			  "lon > 180 OR lat < -90 OR lat > 90") != 0)
			abort();
		all_utf8("SELECT num_suffix, predir, name, type, postdir, "
			 "city, state, zip FROM addr_points");
		all_utf8("SELECT zip, city, state FROM addr_zips");
		all_utf8("SELECT value, reason FROM source_rejects");
	}
	imp_source_release(&src);
	imp_addr_stats_release(&st);
	return 0;
}
