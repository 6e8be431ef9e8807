/*
 * core_ws.h - the workspace: one SpatiaLite file holding sources, assets,
 * categories, areas, indicators, cohorts and analysis results.
 *
 * Every command opens it the same way, through core_ws_open.  A file that
 * is not an assetmap workspace, or whose schema is newer than this
 * program, is refused and left untouched.  Older schemas are migrated
 * forward in one transaction.
 *
 * Geometries are stored in WGS84 (SRID 4326) with a spatial index.  The
 * analysis CRS ("EPSG:3310", or "auto" to choose from the data's extent)
 * is kept in the meta table under "analysis_crs".
 *
 * Ownership: core_ws_create/core_ws_open return a workspace the caller
 * frees with core_ws_close (which accepts NULL).  ws->db is borrowed.
 */
#ifndef CORE_WS_H
#define CORE_WS_H

#include <sqlite3.h>
#include <stdint.h>

#include "core/core_err.h"

#define CORE_SCHEMA_VERSION 4
/* PRAGMA application_id of every workspace: 'asmp'. */
#define CORE_APPLICATION_ID 0x61736d70

struct core_ws {
	sqlite3 *db;
	void *sl_cache; /* SpatiaLite connection cache */
	char *path;
	int in_tx;
};

enum core_ws_mode {
	CORE_WS_READ = 0,
	CORE_WS_WRITE = 1
};

/* The default workspace path: $ASSETMAP_DB, else "assetmap.db". */
const char *core_ws_default_path(void);

/*
 * Create a new workspace at path.  crs is "auto" or "EPSG:N" (NULL means
 * "auto").  Fails if path exists.  The file appears only when complete.
 */
int core_ws_create(const char *path, const char *crs, struct core_ws **out,
		   struct core_err *err);

/* For tests of migrations: a workspace at an older schema version,
 * returned as a raw connection (no SpatiaLite) when version is older. */
int core_ws_create_version(const char *path, const char *crs, int version,
			   struct core_ws **out, struct core_err *err);

/* Open an existing workspace; see the file comment for what is refused. */
int core_ws_open(const char *path, enum core_ws_mode mode,
		 struct core_ws **out, struct core_err *err);

void core_ws_close(struct core_ws *ws);

/* Transactions: one per import or analysis run.  rollback accepts a
 * workspace with no open transaction. */
int core_ws_begin(struct core_ws *ws, struct core_err *err);
int core_ws_commit(struct core_ws *ws, struct core_err *err);
void core_ws_rollback(struct core_ws *ws);

/* Run SQL with no results; on failure err names what and SQLite's text. */
int core_ws_exec(struct core_ws *ws, struct core_err *err, const char *sql);
int core_ws_prepare(struct core_ws *ws, struct core_err *err,
		    sqlite3_stmt **st, const char *sql);
/* Step a statement that returns no rows, then reset it. */
int core_ws_step(struct core_ws *ws, struct core_err *err, sqlite3_stmt *st);
/* Set err from the connection's last error: "what: sqlite message". */
int core_ws_dberr(struct core_ws *ws, struct core_err *err, const char *what);

/* Run a query returning one integer (first column of first row). */
int core_ws_int(struct core_ws *ws, struct core_err *err, const char *sql,
		int64_t *out);

/* meta table.  core_ws_meta_get returns a string the caller frees, or
 * NULL when the key is absent. */
char *core_ws_meta_get(struct core_ws *ws, const char *key);
int core_ws_meta_set(struct core_ws *ws, struct core_err *err,
		     const char *key, const char *value);

/* Check "auto" / "EPSG:N"; returns CORE_OK or CORE_EUSAGE with err set. */
int core_ws_check_crs(const char *crs, struct core_err *err);

/* Tear SpatiaLite down at exit (leak checkers see a clean finish). */
void core_ws_shutdown(void);

#endif
