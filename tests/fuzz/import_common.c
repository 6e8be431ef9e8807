/*
 * import_common.c - the workspace and checks the fuzz_import_* targets
 * share (import_common.h).
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
#include "importers/imp_common.h"
#include "tests/fuzz/import_common.h"

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

struct core_ws *fuzz_ws_get(const char *name)
{
	struct core_err err = CORE_ERR_INIT;
	const char *tmp = getenv("TMPDIR");
	char *dir, *path;

	if (ws)
		return ws;
	dir = xasprintf("%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	if (!mkdtemp(dir))
		abort();
	path = xasprintf("%s/w.db", dir);
	ws_dir = dir;
	ws_path = path;
	if (core_ws_create(path, NULL, core_taxonomy_seed, &ws, &err)) {
		fprintf(stderr, "%s: %s\n", name, err.msg);
		abort();
	}
	atexit(workspace_remove);
	return ws;
}

int64_t fuzz_q_int(struct core_ws *w, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(w->db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

void fuzz_all_utf8(struct core_ws *w, const char *sql)
{
	sqlite3_stmt *st;
	int i, n;

	if (sqlite3_prepare_v2(w->db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	n = sqlite3_column_count(st);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (i = 0; i < n; i++)
			if (!core_utf8_valid(
				(const char *)sqlite3_column_text(st, i)))
				abort();
	sqlite3_finalize(st);
}

void fuzz_counts(struct core_ws *w, const char *table, int64_t c[4])
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	c[0] = fuzz_q_int(w, "SELECT count(*) FROM assets");
	c[1] = fuzz_q_int(w, sql);
	c[2] = fuzz_q_int(w, "SELECT count(*) FROM sources");
	c[3] = fuzz_q_int(w, "SELECT count(*) FROM source_rejects");
}

void fuzz_check_import(struct core_ws *w, const char *name, const char *path,
		       const char *table, int rc, const struct core_err *err,
		       const struct imp_source *src, long lo, long hi,
		       const int64_t before[4])
{
	int64_t after[4];
	size_t k;

	if (src->warning && !strstr(src->warning, path))
		abort();
	for (k = 0; k < src->nshown; k++)
		if (!strstr(src->shown[k].msg, path) ||
		    src->shown[k].line < lo || src->shown[k].line > hi ||
		    !core_utf8_valid(src->shown[k].msg))
			abort();
	if (rc == CORE_OK)
		return;
	fuzz_counts(w, table, after);
	if (!err->msg[0] || !strstr(err->msg, path) ||
	    memcmp(before, after, sizeof(after)) != 0) {
		fprintf(stderr, "%s: '%s'\n", name, err->msg);
		abort();
	}
}

void fuzz_check_assets(struct core_ws *w, int64_t src_id, int64_t accepted)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM asset_sources WHERE source_id = %lld",
		 (long long)src_id);
	if (fuzz_q_int(w, sql) != accepted)
		abort();
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM assets a JOIN asset_sources s "
		 "ON s.asset_id = a.id"
		 " AND s.source_id = %lld WHERE a.name IS NULL OR "
		 "a.name = ''"
		 " OR NOT ST_X(a.geom) BETWEEN -180 AND 180"
		 " OR NOT ST_Y(a.geom) BETWEEN -90 AND 90",
		 (long long)src_id);
	if (fuzz_q_int(w, sql) != 0)
		abort();
	fuzz_all_utf8(w,
		      "SELECT name, organization, address, city, state, zip,"
		      " phone, website, email, hours, languages, eligibility,"
		      " description FROM assets");
}
