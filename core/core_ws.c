/*
 * core_ws.c - open, create and migrate the SpatiaLite workspace.
 */
#include "core/core_ws.h"

#include <errno.h>
#include <spatialite.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_out.h"
#include "core/core_taxonomy.h"

/* ---------------------------------------------------------------------
 * Schema.  migrations[i] takes a workspace from version i to i + 1.
 * Never edit a released step: add a new one and bump CORE_SCHEMA_VERSION.
 * ------------------------------------------------------------------ */

static const char *const schema_v1[] = {
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
	/* every imported file */
	"CREATE TABLE sources("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL,"          /* assets, areas, indicators, cohort */
	" path TEXT NOT NULL,"          /* absolute path of the file */
	" name TEXT NOT NULL,"          /* file name, for notes on maps */
	" format TEXT NOT NULL,"        /* GDAL driver or importer */
	" layer TEXT,"
	" checksum TEXT NOT NULL,"      /* MD5 of the file's bytes */
	" options TEXT,"                /* the mapping the user gave */
	" rows_read INTEGER NOT NULL DEFAULT 0,"
	" rows_accepted INTEGER NOT NULL DEFAULT 0,"
	" rows_rejected INTEGER NOT NULL DEFAULT 0,"
	" rows_merged INTEGER NOT NULL DEFAULT 0,"
	" imported_at TEXT NOT NULL,"
	" UNIQUE(kind, path));",
	"CREATE TABLE source_rejects("
	" source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
	" line INTEGER, field TEXT, value TEXT, reason TEXT NOT NULL);",
	"CREATE INDEX source_rejects_src ON source_rejects(source_id);",
	/* the built-in taxonomy (data/taxonomy/) */
	"CREATE TABLE sdoh_domains(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
	" description TEXT, sort INTEGER NOT NULL DEFAULT 0);",
	"CREATE TABLE categories(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
	" domain TEXT NOT NULL REFERENCES sdoh_domains(code),"
	" color TEXT NOT NULL, description TEXT,"
	" sort INTEGER NOT NULL DEFAULT 0);",
	"CREATE TABLE programs(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
	" kind TEXT NOT NULL, category TEXT REFERENCES categories(code),"
	" since TEXT, description TEXT, sort INTEGER NOT NULL DEFAULT 0);",
	/* places where help is offered */
	"CREATE TABLE assets("
	" id INTEGER PRIMARY KEY,"
	" source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,"
	" source_key TEXT, source_line INTEGER,"
	" name TEXT NOT NULL, organization TEXT,"
	" address TEXT, city TEXT, state TEXT, zip TEXT,"
	" phone TEXT, website TEXT, email TEXT, hours TEXT,"
	" languages TEXT,"              /* comma-separated ISO 639-1 codes */
	" eligibility TEXT, description TEXT,"
	" capacity REAL,"
	" accepts_medi_cal INTEGER, ecm_provider INTEGER, npi TEXT,"
	" formal INTEGER NOT NULL DEFAULT 1,"
	" location_quality TEXT NOT NULL DEFAULT 'coordinates');",
	"SELECT AddGeometryColumn('assets', 'geom', 4326, 'POINT', 'XY', 1);",
	"SELECT CreateSpatialIndex('assets', 'geom');",
	"CREATE INDEX assets_source ON assets(source_id);",
	"CREATE TABLE asset_categories("
	" asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
	" category TEXT NOT NULL REFERENCES categories(code),"
	" PRIMARY KEY(asset_id, category)) WITHOUT ROWID;",
	"CREATE INDEX asset_categories_cat ON asset_categories(category, asset_id);",
	"CREATE TABLE asset_programs("
	" asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
	" program TEXT NOT NULL REFERENCES programs(code),"
	" PRIMARY KEY(asset_id, program)) WITHOUT ROWID;",
	/* census geographies */
	"CREATE TABLE areas("
	" id INTEGER PRIMARY KEY,"
	" source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,"
	" level TEXT NOT NULL CHECK(level IN"
	"  ('state','county','tract','blockgroup','zcta')),"
	" geoid TEXT NOT NULL, name TEXT,"
	" population REAL, land_m2 REAL, water_m2 REAL,"
	" flags INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE(level, geoid));",
	"SELECT AddGeometryColumn('areas', 'geom', 4326, 'MULTIPOLYGON', 'XY', 1);",
	"SELECT CreateSpatialIndex('areas', 'geom');",
	"CREATE INDEX areas_source ON areas(source_id);",
	/* values per area, long form */
	"CREATE TABLE indicators("
	" geoid TEXT NOT NULL, name TEXT NOT NULL,"
	" value REAL, moe REAL, year INTEGER,"
	" source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,"
	" PRIMARY KEY(geoid, name)) WITHOUT ROWID;",
	"CREATE INDEX indicators_name ON indicators(name);",
	"CREATE INDEX indicators_source ON indicators(source_id);",
	"CREATE TABLE indicator_info(name TEXT PRIMARY KEY, label TEXT,"
	" unit TEXT, year INTEGER,"
	" source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE);",
	/* patients: location, area, hashed key; never names */
	"CREATE TABLE cohorts("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,"
	" kind TEXT NOT NULL CHECK(kind IN ('points','counts')),"
	" created_at TEXT NOT NULL, description TEXT);",
	"CREATE TABLE cohort_members("
	" id INTEGER PRIMARY KEY,"
	" cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,"
	" key_hash TEXT, area_geoid TEXT,"
	" precision TEXT NOT NULL DEFAULT 'point', attrs TEXT);",
	"SELECT AddGeometryColumn('cohort_members', 'geom', 4326, 'POINT', 'XY');",
	"SELECT CreateSpatialIndex('cohort_members', 'geom');",
	"CREATE INDEX cohort_members_cohort ON cohort_members(cohort_id);",
	"CREATE TABLE cohort_counts("
	" cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,"
	" geoid TEXT NOT NULL, count INTEGER NOT NULL,"
	" PRIMARY KEY(cohort_id, geoid)) WITHOUT ROWID;",
	/* analysis runs and their results */
	"CREATE TABLE runs("
	" id INTEGER PRIMARY KEY, analysis TEXT NOT NULL,"
	" params TEXT NOT NULL, sources TEXT, created_at TEXT NOT NULL);",
	"CREATE TABLE results_area("
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" geoid TEXT NOT NULL, name TEXT NOT NULL, value REAL,"
	" PRIMARY KEY(run_id, geoid, name)) WITHOUT ROWID;",
	"CREATE TABLE results_member("
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" member_id INTEGER NOT NULL, name TEXT NOT NULL, value REAL,"
	" PRIMARY KEY(run_id, member_id, name)) WITHOUT ROWID;",
	NULL
};

/* v2: one site from several sources, source taxonomy terms and the
 * crosswalk onto our categories, more asset facts, cohort count levels. */
static const char *const schema_v2[] = {
	"CREATE TABLE asset_sources("
	" asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
	" source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
	" source_key TEXT, source_line INTEGER,"
	" how TEXT NOT NULL DEFAULT 'imported');", /* or why it was merged */
	"CREATE INDEX asset_sources_asset ON asset_sources(asset_id);",
	"CREATE INDEX asset_sources_source ON asset_sources(source_id);",
	/* An asset merged from several sources outlives the deletion (or
	 * re-import) of the one that created it: another source takes it. */
	"CREATE TRIGGER sources_keep_merged BEFORE DELETE ON sources BEGIN"
	" UPDATE assets SET source_id = (SELECT s.source_id FROM asset_sources s"
	"  WHERE s.asset_id = assets.id AND s.source_id <> OLD.id"
	"  ORDER BY s.source_id LIMIT 1)"
	" WHERE source_id = OLD.id AND EXISTS (SELECT 1 FROM asset_sources s"
	"  WHERE s.asset_id = assets.id AND s.source_id <> OLD.id);"
	" END;",
	"ALTER TABLE assets ADD COLUMN age_min REAL;",
	"ALTER TABLE assets ADD COLUMN age_max REAL;",
	"ALTER TABLE assets ADD COLUMN accessibility TEXT;",
	"ALTER TABLE assets ADD COLUMN telehealth INTEGER;",
	"ALTER TABLE assets ADD COLUMN attrs TEXT;", /* JSON object */
	/* data/taxonomy/crosswalk*.csv: a source's terms onto categories */
	"CREATE TABLE crosswalk("
	" vocabulary TEXT NOT NULL, term TEXT NOT NULL,"
	" category TEXT REFERENCES categories(code),"
	" program TEXT REFERENCES programs(code), note TEXT,"
	" file TEXT, line INTEGER);",
	"CREATE INDEX crosswalk_term ON crosswalk(vocabulary, term);",
	/* the terms each source used, and what they matched */
	"CREATE TABLE source_terms("
	" source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
	" vocabulary TEXT NOT NULL, term TEXT NOT NULL, category TEXT,"
	" rows INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY(source_id, vocabulary, term)) WITHOUT ROWID;",
	"ALTER TABLE sources ADD COLUMN encoding TEXT;",
	"ALTER TABLE sources ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;",
	"ALTER TABLE cohorts ADD COLUMN level TEXT;", /* of count cohorts */
	NULL
};

/* v3: analysis results.  A run's per-area values stay long-form
 * (results_area); per-member values, millions of them, are packed
 * columns (results_column), aligned with the run's member ids column.
 * results_info says what each named value is, so every output knows
 * which values are cohort counts to suppress and which are distances to
 * show in the user's units.  Rejects say which file of a multi-file
 * package they came from. */
static const char *const schema_v3[] = {
	"DROP TABLE results_member;",
	"CREATE TABLE results_column("
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" name TEXT NOT NULL,"
	" type TEXT NOT NULL CHECK(type IN ('i8','f8')),"
	" n INTEGER NOT NULL,"
	" data BLOB NOT NULL,"             /* n native-endian values */
	" PRIMARY KEY(run_id, name)) WITHOUT ROWID;",
	"CREATE TABLE results_info("
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" name TEXT NOT NULL,"
	" kind TEXT NOT NULL,"             /* see core_result.h */
	" basis TEXT,"                     /* count a share is a fraction of */
	" label TEXT,"
	" sort INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY(run_id, name)) WITHOUT ROWID;",
	/* geometry a run made (deserts): SpatiaLite blobs, SRID 4326 */
	"CREATE TABLE results_geom("
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" name TEXT NOT NULL, geoid TEXT, geom BLOB NOT NULL);",
	"CREATE INDEX results_geom_run ON results_geom(run_id, name);",
	"ALTER TABLE runs ADD COLUMN level TEXT;",
	"ALTER TABLE runs ADD COLUMN cohort TEXT;",
	"ALTER TABLE runs ADD COLUMN summary TEXT;",
	"ALTER TABLE source_rejects ADD COLUMN file TEXT;",
	NULL
};

/* Version 4: results_column becomes a rowid table with a unique index.
 * As a WITHOUT ROWID table its rows (megabytes of packed values each)
 * were the b-tree's keys, and SQLite reads a whole overflowing key to
 * compare it: every insert read back the blobs of the rows its search
 * passed, so a workspace slowed down with every run it kept.  The index
 * holds only (run_id, name, rowid). */
static const char *const schema_v4[] = {
	"CREATE TABLE results_column_v4("
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" name TEXT NOT NULL,"
	" type TEXT NOT NULL CHECK(type IN ('i8','f8')),"
	" n INTEGER NOT NULL,"
	" data BLOB NOT NULL,"             /* n native-endian values */
	" UNIQUE(run_id, name));",
	"INSERT INTO results_column_v4(run_id, name, type, n, data)"
	" SELECT run_id, name, type, n, data FROM results_column;",
	"DROP TABLE results_column;",
	"ALTER TABLE results_column_v4 RENAME TO results_column;",
	NULL
};

static const char *const *const migrations[CORE_SCHEMA_VERSION] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_v4,
};

/* ------------------------------------------------------------------ */

const char *core_ws_default_path(void)
{
	const char *e = getenv("ASSETMAP_DB");

	return (e && *e) ? e : "assetmap.db";
}

/* SQLite's message, or the real cause of a failed write (a full disk,
 * the file-size limit) in its place. */
static const char *db_msg(struct core_ws *ws, const char *msg, char *buf,
			  size_t n)
{
	int e = sqlite3_system_errno(ws->db);
	int code = sqlite3_extended_errcode(ws->db);
	struct rlimit rl;

	if ((code & 0xff) == SQLITE_FULL || (code & 0xff) == SQLITE_IOERR) {
		if (e == ENOSPC || e == EFBIG || e == EDQUOT)
			return core_out_strerror(e, buf, n);
		/* the errno can be gone by the time the error is seen */
		if ((code & 0xff) == SQLITE_FULL)
			return core_out_strerror(ENOSPC, buf, n);
		if (code == SQLITE_IOERR_WRITE &&
		    getrlimit(RLIMIT_FSIZE, &rl) == 0 &&
		    rl.rlim_cur != RLIM_INFINITY)
			return core_out_strerror(EFBIG, buf, n);
	}
	return msg;
}

int core_ws_dberr(struct core_ws *ws, struct core_err *err, const char *what)
{
	char b[256];

	return core_err_set(err, CORE_EDB, "workspace %s: %s: %s", ws->path,
			    what, db_msg(ws, sqlite3_errmsg(ws->db), b,
					 sizeof(b)));
}

int core_ws_exec(struct core_ws *ws, struct core_err *err, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(ws->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char b[256];

		core_err_set(err, CORE_EDB, "workspace %s: %s", ws->path,
			     db_msg(ws, msg ? msg : sqlite3_errmsg(ws->db), b,
				    sizeof(b)));
		sqlite3_free(msg);
		return CORE_EDB;
	}
	return CORE_OK;
}

int core_ws_prepare(struct core_ws *ws, struct core_err *err,
		    sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v2(ws->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return core_ws_dberr(ws, err, "preparing a query");
	}
	return CORE_OK;
}

int core_ws_step(struct core_ws *ws, struct core_err *err, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		core_ws_dberr(ws, err, "writing");
		sqlite3_reset(st);
		return CORE_EDB;
	}
	sqlite3_reset(st);
	return CORE_OK;
}

int core_ws_int(struct core_ws *ws, struct core_err *err, const char *sql,
		int64_t *out)
{
	sqlite3_stmt *st;
	int rc;

	if (core_ws_prepare(ws, err, &st, sql))
		return CORE_EDB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = CORE_OK;
	} else if (rc == SQLITE_DONE) {
		*out = 0;
		rc = CORE_OK;
	} else {
		rc = core_ws_dberr(ws, err, "reading");
	}
	sqlite3_finalize(st);
	return rc;
}

int core_ws_begin(struct core_ws *ws, struct core_err *err)
{
	if (core_ws_exec(ws, err, "BEGIN IMMEDIATE"))
		return core_err_prefix(err, "cannot start a transaction: ");
	ws->in_tx = 1;
	return CORE_OK;
}

int core_ws_commit(struct core_ws *ws, struct core_err *err)
{
	if (core_ws_exec(ws, err, "COMMIT")) {
		core_ws_rollback(ws);
		return CORE_EDB;
	}
	ws->in_tx = 0;
	return CORE_OK;
}

void core_ws_rollback(struct core_ws *ws)
{
	if (!ws || !ws->in_tx)
		return;
	sqlite3_exec(ws->db, "ROLLBACK", NULL, NULL, NULL);
	ws->in_tx = 0;
}

char *core_ws_meta_get(struct core_ws *ws, const char *key)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;

	if (sqlite3_prepare_v2(ws->db, "SELECT value FROM meta WHERE key = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

int core_ws_meta_set(struct core_ws *ws, struct core_err *err,
		     const char *key, const char *value)
{
	sqlite3_stmt *st;
	int rc;

	if (core_ws_prepare(ws, err, &st,
			    "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)"))
		return CORE_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = core_ws_step(ws, err, st);
	sqlite3_finalize(st);
	return rc;
}

int core_ws_check_crs(const char *crs, struct core_err *err)
{
	const char *p;
	char *end;
	long code;

	if (strcmp(crs, "auto") == 0)
		return CORE_OK;
	if (strncasecmp(crs, "EPSG:", 5) != 0)
		goto bad;
	p = crs + 5;
	code = strtol(p, &end, 10);
	if (end == p || *end || code <= 0 || code > 999999)
		goto bad;
	return CORE_OK;
bad:
	return core_err_set(err, CORE_EUSAGE,
			    "--crs: '%s' is not a CRS I understand; give 'auto' or 'EPSG:N' (e.g. EPSG:3310 for California Albers)",
			    crs);
}

/* Per connection: load SpatiaLite through its C API, never through the
 * SQL function load_extension(), which stays disabled. */
static int attach_spatialite(struct core_ws *ws, struct core_err *err)
{
	ws->sl_cache = spatialite_alloc_connection();
	spatialite_init_ex(ws->db, ws->sl_cache, 0);
	if (core_ws_exec(ws, err,
			 "PRAGMA foreign_keys = ON; PRAGMA recursive_triggers = ON;"))
		return CORE_EDB;
	return CORE_OK;
}

static int raw_open(const char *path, int flags, struct core_ws **out,
		    struct core_err *err)
{
	struct core_ws *ws = xcalloc(1, sizeof(*ws));

	ws->path = xstrdup(path);
	if (sqlite3_open_v2(path, &ws->db, flags, NULL) != SQLITE_OK) {
		core_err_set(err, CORE_EIO, "workspace %s: cannot open: %s",
			     path, ws->db ? sqlite3_errmsg(ws->db) : "out of memory");
		core_ws_close(ws);
		return CORE_EIO;
	}
	sqlite3_extended_result_codes(ws->db, 1);
	sqlite3_busy_timeout(ws->db, 5000);
	*out = ws;
	return CORE_OK;
}

static int migrate(struct core_ws *ws, int from, int to, struct core_err *err)
{
	char sql[64];
	int v;

	for (v = from; v < to; v++) {
		const char *const *stmt;
		for (stmt = migrations[v]; *stmt; stmt++)
			if (core_ws_exec(ws, err, *stmt))
				return core_err_prefix(err, "schema step %d: ",
						       v + 1);
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", to);
	return core_ws_exec(ws, err, sql);
}

int core_ws_create(const char *path, const char *crs, struct core_ws **out,
		   struct core_err *err)
{
	return core_ws_create_version(path, crs, CORE_SCHEMA_VERSION, out, err);
}

int core_ws_create_version(const char *path, const char *crs, int version,
			   struct core_ws **out, struct core_err *err)
{
	struct core_ws *ws = NULL;
	struct core_out *o = NULL;
	struct stat sb;
	const char *tmp;
	char sql[64];
	int rc;

	*out = NULL;
	if (!crs)
		crs = "auto";
	if ((rc = core_ws_check_crs(crs, err)))
		return rc;
	if (stat(path, &sb) == 0)
		return core_err_set(err, CORE_EFAIL,
				    "workspace %s already exists; choose another path with -d, or remove it first",
				    path);
	/* Build it beside the target, then rename: no half-made workspace. */
	if ((rc = core_out_open(path, CORE_OUT_MODE,
				CORE_OUT_DIR | CORE_OUT_NOREPLACE, &o, err)))
		return core_err_prefix(err, "workspace %s: ", path);
	tmp = core_out_tmp_path(o);
	rc = raw_open(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &ws, err);
	if (rc)
		goto cleanup;
	/* messages name the workspace, not the temporary */
	free(ws->path);
	ws->path = xstrdup(path);
	if ((rc = attach_spatialite(ws, err)))
		goto cleanup;
	if ((rc = core_ws_begin(ws, err)))
		goto cleanup;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d",
		 CORE_APPLICATION_ID);
	if ((rc = core_ws_exec(ws, err, sql)))
		goto cleanup;
	if ((rc = core_ws_exec(ws, err,
			       "SELECT InitSpatialMetadata(0, 'WGS84')")))
		goto cleanup;
	if ((rc = migrate(ws, 0, version, err)))
		goto cleanup;
	if ((rc = core_ws_meta_set(ws, err, "analysis_crs", crs)))
		goto cleanup;
	if ((rc = core_ws_exec(ws, err,
			       "INSERT INTO meta VALUES('created_at', strftime('%Y-%m-%dT%H:%M:%SZ','now'))")))
		goto cleanup;
	if ((rc = core_taxonomy_load(ws, NULL, err)))
		goto cleanup;
	if ((rc = core_ws_commit(ws, err)))
		goto cleanup;
	/* SQLite refuses to write to a database file that was renamed
	 * under it (SQLITE_READONLY_DBMOVED): close, rename, reopen. */
	core_ws_close(ws);
	ws = NULL;
	rc = core_out_commit(o, err);
	o = NULL;
	if (rc) {
		core_err_prefix(err, "workspace %s: ", path);
		goto cleanup;
	}
	rc = version == CORE_SCHEMA_VERSION
		     ? core_ws_open(path, CORE_WS_WRITE, out, err)
		     : raw_open(path, SQLITE_OPEN_READWRITE, out, err);
cleanup:
	if (ws) {
		core_ws_rollback(ws);
		core_ws_close(ws);
	}
	core_out_abort(o);
	return rc;
}

int core_ws_open(const char *path, enum core_ws_mode mode,
		 struct core_ws **out, struct core_err *err)
{
	struct core_ws *ws = NULL;
	struct stat sb;
	sqlite3_stmt *st = NULL;
	int64_t appid = 0, version = 0;
	int rc;

	*out = NULL;
	if (stat(path, &sb) != 0)
		return core_err_set(err, CORE_ENOTFOUND,
				    "workspace %s does not exist; create it with 'assetmap -d %s init'",
				    path, path);
	if (S_ISDIR(sb.st_mode))
		return core_err_set(err, CORE_ENOTWS,
				    "workspace %s is a directory, not an assetmap workspace file",
				    path);
	rc = raw_open(path, mode == CORE_WS_WRITE ? SQLITE_OPEN_READWRITE
						  : SQLITE_OPEN_READONLY,
		      &ws, err);
	if (rc)
		return rc;
	/* Read the header before anything can write: a foreign file is
	 * refused without being touched. */
	if (sqlite3_prepare_v2(ws->db, "PRAGMA application_id", -1, &st,
			       NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = core_err_set(err, CORE_ENOTWS,
				  "%s is not an assetmap workspace (not an SQLite database: %s)",
				  path, sqlite3_errmsg(ws->db));
		goto cleanup;
	}
	appid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (appid != CORE_APPLICATION_ID) {
		rc = core_err_set(err, CORE_ENOTWS,
				  "%s is an SQLite database but not an assetmap workspace; create one with 'assetmap -d FILE init'",
				  path);
		goto cleanup;
	}
	if ((rc = core_ws_int(ws, err, "PRAGMA user_version", &version)))
		goto cleanup;
	if (version > CORE_SCHEMA_VERSION) {
		rc = core_err_set(err, CORE_ESCHEMA,
				  "workspace %s has schema version %lld, newer than this assetmap understands (%d); upgrade assetmap",
				  path, (long long)version, CORE_SCHEMA_VERSION);
		goto cleanup;
	}
	if ((rc = attach_spatialite(ws, err)))
		goto cleanup;
	if (version < CORE_SCHEMA_VERSION) {
		if (mode != CORE_WS_WRITE) {
			rc = core_err_set(err, CORE_ESCHEMA,
					  "workspace %s has schema version %lld and needs an upgrade to %d; any command that writes (such as an import) upgrades it",
					  path, (long long)version, CORE_SCHEMA_VERSION);
			goto cleanup;
		}
		/* Each migration reloads the taxonomy, which may use the
		 * new tables. */
		if ((rc = core_ws_begin(ws, err)) ||
		    (rc = migrate(ws, (int)version, CORE_SCHEMA_VERSION, err)) ||
		    (rc = core_taxonomy_load(ws, NULL, err)) ||
		    (rc = core_ws_commit(ws, err)))
			goto cleanup;
	}
	*out = ws;
	ws = NULL;
cleanup:
	sqlite3_finalize(st);
	if (ws) {
		core_ws_rollback(ws);
		core_ws_close(ws);
	}
	return rc;
}

void core_ws_close(struct core_ws *ws)
{
	if (!ws)
		return;
	core_ws_rollback(ws);
	if (ws->db)
		sqlite3_close_v2(ws->db);
	if (ws->sl_cache)
		spatialite_cleanup_ex(ws->sl_cache);
	free(ws->path);
	free(ws);
}

void core_ws_shutdown(void)
{
	spatialite_shutdown();
}
