/*
 * fuzz_import_partners.c - libFuzzer target for 'assetmap import
 * partners FILE.csv': the strict reader core_csv, the column mapping,
 * matching by id and by name and address (imp_match), the vocabulary,
 * dates, supports, periods, and the register's writes with their
 * history, through imp_partners_import on the input written to a .csv in
 * a workspace made on the first call in $TMPDIR, holding four assets
 * (two of one name).  Build and run: see tests/fuzz/README.md.
 *
 * Each input is imported with --skip-bad.  Besides crashes and
 * sanitizer reports, it aborts when
 *  - a failure has no message, or changed the workspace (the assets,
 *    partners, sources and source_rejects counts);
 *  - a success left counts that do not add up: read = matched by id +
 *    by name + unmatched + rejected, the partners of this source are the
 *    rows loaded, a partners row has a status outside the codes (the
 *    schema's CHECK would refuse it), or stored text is not valid UTF-8.
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
#include "importers/imp_partners.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *csv_dir, *csv_path;

static void csv_remove(void)
{
	unlink(csv_path);
	rmdir(csv_dir);
	free(csv_path);
	free(csv_dir);
}

/* The file each input is written to, made once:
 * $TMPDIR/fuzz-import-partners-XXXXXX/partners.csv. */
static const char *csv_file(void)
{
	const char *tmp = getenv("TMPDIR");

	if (csv_path)
		return csv_path;
	csv_dir = xasprintf("%s/fuzz-import-partners-XXXXXX",
			    tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(csv_dir))
		abort();
	csv_path = xasprintf("%s/partners.csv", csv_dir);
	atexit(csv_remove);
	return csv_path;
}

/* The assets rows may name, made on the first call. */
static struct core_ws *workspace(void)
{
	struct core_ws *ws = fuzz_ws_get("fuzz_import_partners");
	char *msg = NULL;

	if (fuzz_q_int(ws, "SELECT count(*) FROM assets") == 0 &&
	    sqlite3_exec(
		ws->db,
		"INSERT INTO assets(id, name, address, zip, geom) VALUES"
		" (1, 'St. Anthony Foundation', '150 Golden Gate Ave',"
		" '94102', MakePoint(-122.41, 37.78, 4326)),"
		" (2, 'Glide Memorial Church', '330 Ellis St', '94102',"
		" MakePoint(-122.41, 37.78, 4326)),"
		" (3, 'Food Bank', '900 Pennsylvania Ave', '94107',"
		" MakePoint(-122.39, 37.75, 4326)),"
		" (4, 'Food Bank', '50 Broadway', '94111',"
		" MakePoint(-122.39, 37.79, 4326))",
		NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "fuzz_import_partners: %s\n", msg);
		abort();
	}
	return ws;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_err err = CORE_ERR_INIT;
	struct imp_partners_opts o = {NULL, NULL, 1};
	struct imp_partners_stats st;
	struct imp_source src;
	struct core_ws *ws = workspace();
	const char *path = csv_file();
	int64_t before[4];
	FILE *fp;
	int rc;

	if (!(fp = fopen(path, "wb")))
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	fuzz_counts(ws, "partners", before);
	o.path = path;
	imp_source_init(&src, "partners");
	rc = imp_partners_import(ws, &o, &src, &st, &err);
	fuzz_check_import(ws, "fuzz_import_partners", "partners.csv",
			  "partners", rc, &err, &src, 2, (long)size + 1,
			  before);
	if (rc == CORE_OK) {
		if (src.rows_read != st.by_id + st.by_name +
					 (int64_t)st.nunmatched +
					 src.rows_rejected ||
		    src.rows_accepted != st.by_id + st.by_name)
			abort();
		if (fuzz_q_int(ws,
			       "SELECT count(*) FROM partners WHERE "
			       "source_id = (SELECT max(id) FROM sources)") !=
		    src.rows_accepted)
			abort();
		if (fuzz_q_int(ws, "SELECT count(*) FROM partners WHERE status "
				   "NOT IN ('current', 'prospective', "
				   "'former', 'none')") != 0)
			abort();
		fuzz_all_utf8(ws, "SELECT contact_role, notes FROM partners");
		fuzz_all_utf8(ws, "SELECT field, old_value, new_value, how "
				  "FROM partner_history");
		fuzz_all_utf8(ws, "SELECT plan FROM partner_supports");
		fuzz_all_utf8(ws, "SELECT value, reason FROM source_rejects");
	}
	imp_source_release(&src);
	imp_partners_stats_release(&st);
	return 0;
}
