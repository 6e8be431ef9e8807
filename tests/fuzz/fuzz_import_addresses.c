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

#include "core/core_err.h"
#include "core/core_mem.h"
#include "core/core_ws.h"
#include "import_common.h"
#include "importers/imp_addresses.h"

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
 * once: $TMPDIR/fuzz-import-addresses-XXXXXX/addresses.csv. */
static const char *csv_file(void)
{
	const char *tmp = getenv("TMPDIR");

	if (csv_path)
		return csv_path;
	csv_dir = xasprintf("%s/fuzz-import-addresses-XXXXXX",
			    tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(csv_dir))
		abort();
	csv_path = xasprintf("%s/addresses.csv", csv_dir);
	atexit(csv_remove);
	return csv_path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_addr_opts o;
	struct imp_addr_stats st;
	struct imp_source src;
	struct core_ws *ws = fuzz_ws_get("fuzz_import_addresses");
	const char *path = csv_file();
	int64_t before[4];
	FILE *fp;
	int rc;

	if (!(fp = fopen(path, "wb")))
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	fuzz_counts(ws, "addr_points", before);
	imp_addr_opts_init(&o);
	o.path = path;
	o.skip_bad = 1;
	memset(&st, 0, sizeof(st));
	imp_source_init(&src, "addresses");
	rc = imp_addr_import(ws, &o, &src, &st, &err);
	fuzz_check_import(ws, "fuzz_import_addresses", "addresses.csv",
			  "addr_points", rc, &err, &src, 2, (long)size + 1,
			  before);
	if (rc == CORE_OK) {
		if (fuzz_q_int(ws, "SELECT count(*) FROM addr_points") !=
			st.points ||
		    fuzz_q_int(ws, "SELECT count(*) FROM addr_zips") != st.zips)
			abort();
		if (st.kind == IMP_ADDR_POINTS &&
		    src.rows_read !=
			st.points + st.folded + st.skipped + src.rows_rejected)
			abort();
		if (fuzz_q_int(ws, "SELECT count(*) FROM addr_points WHERE "
				   "lon < -180 OR lon > 180 OR lat < -90 OR "
				   "lat > 90") != 0 ||
		    fuzz_q_int(
			ws, "SELECT count(*) FROM addr_zips WHERE lon < "
			    "-180 OR lon > 180 OR lat < -90 OR lat > 90") != 0)
			abort();
		fuzz_all_utf8(ws,
			      "SELECT num_suffix, predir, name, type, postdir, "
			      "city, state, zip FROM addr_points");
		fuzz_all_utf8(ws, "SELECT zip, city, state FROM addr_zips");
		fuzz_all_utf8(ws, "SELECT value, reason FROM source_rejects");
	}
	imp_source_release(&src);
	imp_addr_stats_release(&st);
	return 0;
}
