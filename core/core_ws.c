/*
 * core_ws.c - open, create and migrate the SpatiaLite workspace.
 */
#include "core/core_ws.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <spatialite.h>

#include "core/core_mem.h"
#include "core/core_out.h"

/* ---------------------------------------------------------------------
 * Schema.  migrations[i] takes a workspace from version i to i + 1.
 * Never edit a released step: add a new one and bump CORE_SCHEMA_VERSION.
 * ------------------------------------------------------------------ */

static const char *const schema_v1[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    /* every imported file */
    "CREATE TABLE sources("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL,"   /* assets, areas, indicators, cohort */
    " path TEXT NOT NULL,"   /* absolute path of the file */
    " name TEXT NOT NULL,"   /* file name, for notes on maps */
    " format TEXT NOT NULL," /* GDAL driver or importer */
    " layer TEXT,"
    " checksum TEXT NOT NULL," /* MD5 of the file's bytes */
    " options TEXT,"	       /* the mapping the user gave */
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
    " languages TEXT," /* comma-separated ISO 639-1 codes */
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
    "CREATE INDEX asset_categories_cat ON asset_categories(category, "
    "asset_id);",
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
    NULL};

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
    NULL};

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
    " data BLOB NOT NULL," /* n native-endian values */
    " PRIMARY KEY(run_id, name)) WITHOUT ROWID;",
    "CREATE TABLE results_info("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL,"
    " kind TEXT NOT NULL," /* see core_result.h */
    " basis TEXT,"	   /* count a share is a fraction of */
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
    "ALTER TABLE source_rejects ADD COLUMN file TEXT;", NULL};

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
    " data BLOB NOT NULL," /* n native-endian values */
    " UNIQUE(run_id, name));",
    "INSERT INTO results_column_v4(run_id, name, type, n, data)"
    " SELECT run_id, name, type, n, data FROM results_column;",
    "DROP TABLE results_column;",
    "ALTER TABLE results_column_v4 RENAME TO results_column;", NULL};

/* Version 5: the geocoder's reference data (import addresses).  Street
 * parts are stored in geo_addr's normal form (upper case, Publication 28
 * abbreviations, ordinals as digits), so the matcher compares them as
 * they are.  addr_points: one row per base address (number, suffix,
 * street, city, state, ZIP): rows of a file that repeat one (its units,
 * its parcels) are folded into it by import addresses, so unit stays ''
 * (kept for files whose units have points of their own).  addr_ranges:
 * one row per side of a TIGER edge that carries a range ('L' or 'R'),
 * numbers from the line's start to its end (from may exceed to), parity
 * 'O', 'E' or 'B', the edge as a LINESTRING.  addr_zips: ZIP or ZCTA
 * centroids. */
static const char *const schema_v5[] = {
    "CREATE TABLE addr_points("
    " source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    " source_line INTEGER,"
    " number INTEGER NOT NULL, num_suffix TEXT NOT NULL DEFAULT '',"
    " predir TEXT NOT NULL DEFAULT '', name TEXT NOT NULL,"
    " type TEXT NOT NULL DEFAULT '', postdir TEXT NOT NULL DEFAULT '',"
    " unit TEXT NOT NULL DEFAULT '', city TEXT NOT NULL DEFAULT '',"
    " state TEXT NOT NULL DEFAULT '', zip TEXT NOT NULL DEFAULT '',"
    " lon REAL NOT NULL, lat REAL NOT NULL);",
    "CREATE INDEX addr_points_source ON addr_points(source_id);",
    "CREATE INDEX addr_points_street ON addr_points(name, zip, number);",
    "CREATE TABLE addr_ranges("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    " source_line INTEGER, tlid INTEGER,"
    " predir TEXT NOT NULL DEFAULT '', name TEXT NOT NULL,"
    " type TEXT NOT NULL DEFAULT '', postdir TEXT NOT NULL DEFAULT '',"
    " side TEXT NOT NULL CHECK(side IN ('L','R')),"
    " from_num INTEGER NOT NULL, to_num INTEGER NOT NULL,"
    " parity TEXT NOT NULL DEFAULT 'B' CHECK(parity IN ('O','E','B')),"
    " city TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT '',"
    " zip TEXT NOT NULL DEFAULT '');",
    "SELECT AddGeometryColumn('addr_ranges', 'geom', 4326, 'LINESTRING',"
    " 'XY', 1);",
    "CREATE INDEX addr_ranges_source ON addr_ranges(source_id);",
    "CREATE INDEX addr_ranges_street ON addr_ranges(name, zip);",
    "CREATE TABLE addr_zips("
    " source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    " source_line INTEGER,"
    " zip TEXT NOT NULL, city TEXT NOT NULL DEFAULT '',"
    " state TEXT NOT NULL DEFAULT '', lon REAL NOT NULL, lat REAL NOT NULL);",
    "CREATE INDEX addr_zips_source ON addr_zips(source_id);",
    "CREATE INDEX addr_zips_zip ON addr_zips(zip);",
    NULL};

/* Version 6: the road network (import roads).  One graph per travel mode
 * ('walk', 'bike', 'drive'), each one blob in geo_net's format (nodes,
 * segments, seconds each way: geo_net.h), with what the import kept and
 * dropped.  A workspace holds one network: a re-import replaces every
 * mode's graph. */
static const char *const schema_v6[] = {
    "CREATE TABLE road_graphs("
    " mode TEXT PRIMARY KEY CHECK(mode IN ('walk','bike','drive')),"
    " source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    " nodes INTEGER NOT NULL, segments INTEGER NOT NULL,"
    " km REAL NOT NULL, pieces INTEGER NOT NULL,"
    " dropped_nodes INTEGER NOT NULL, dropped_segments INTEGER NOT NULL,"
    " dropped_km REAL NOT NULL,"
    " minlon REAL, minlat REAL, maxlon REAL, maxlat REAL,"
    " data BLOB NOT NULL);",
    NULL};

/* Version 7: partnerships (issue 15).  The register holds, per asset, the
 * coalition's partnership with it: a status and the five dimensions of the
 * CHCS/Nonprofit Finance Fund matrix (NULL: not recorded), agreements with
 * their dates, the Community Supports it is contracted to deliver and for
 * which plan, referral volumes per period.  Every change to a partner's
 * register row is kept in partner_history with its date and how it was
 * made, so the network's growth can be shown.  The environmental scan:
 * resources that patients or community health workers named as trusted,
 * with how many times (assets.trusted_count; 0 or NULL: not named). */
static const char *const schema_v7[] = {
    "CREATE TABLE partners("
    " asset_id INTEGER PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,"
    " status TEXT NOT NULL CHECK(status IN"
    "  ('current','prospective','former','none')),"
    " service TEXT CHECK(service IN ('referral','coordinated','joint')),"
    " financial TEXT CHECK(financial IN"
    "  ('independent','contract','risk_sharing')),"
    " data TEXT CHECK(data IN ('reporting','sharing','integrated')),"
    " effects TEXT CHECK(effects IN ('capacity','network','systems')),"
    " governance TEXT CHECK(governance IN ('informal','lead','shared')),"
    " contact_role TEXT, notes TEXT,"
    " source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,"
    " updated_at TEXT NOT NULL);",
    "CREATE INDEX partners_status ON partners(status);",
    "CREATE TABLE partner_agreements("
    " asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL CHECK(kind IN ('mou','baa','dsa')),"
    " signed TEXT, expires TEXT," /* ISO dates */
    " PRIMARY KEY(asset_id, kind)) WITHOUT ROWID;",
    "CREATE TABLE partner_supports("
    " asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
    " program TEXT NOT NULL REFERENCES programs(code),"
    " plan TEXT NOT NULL DEFAULT ''," /* the managed care plan */
    " PRIMARY KEY(asset_id, program, plan)) WITHOUT ROWID;",
    "CREATE TABLE partner_referrals("
    " asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
    " period TEXT NOT NULL," /* 2026, 2026-Q3, 2026-09 */
    " referrals INTEGER NOT NULL CHECK(referrals >= 0),"
    " PRIMARY KEY(asset_id, period)) WITHOUT ROWID;",
    "CREATE TABLE partner_history("
    " id INTEGER PRIMARY KEY,"
    " asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
    " changed_at TEXT NOT NULL," /* ISO date and time, UTC */
    " field TEXT NOT NULL,"	 /* status, service, ..., agreement:mou */
    " old_value TEXT, new_value TEXT,"
    " how TEXT NOT NULL);", /* 'partner set', 'import partners FILE' */
    "CREATE INDEX partner_history_asset ON partner_history(asset_id, id);",
    "ALTER TABLE assets ADD COLUMN trusted_count INTEGER;",
    /* What each scan file ('import scan') contributed to trusted_count:
     * one row per line of the file that named an asset (matched, or
     * added by the import: added = 1).  The triggers keep
     * assets.trusted_count equal to what 'add asset --trusted' set plus
     * the tallies, so that a re-import of the same file (its sources row
     * replaced, these rows going with it) takes its old tallies back
     * before it adds the new ones. */
    "CREATE TABLE scan_tallies("
    " source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    " line INTEGER NOT NULL,"
    " asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
    " times_named INTEGER NOT NULL CHECK(times_named > 0),"
    " added INTEGER NOT NULL DEFAULT 0 CHECK(added IN (0, 1)),"
    " PRIMARY KEY(source_id, line)) WITHOUT ROWID;",
    "CREATE INDEX scan_tallies_asset ON scan_tallies(asset_id);",
    "CREATE TRIGGER scan_tallies_add AFTER INSERT ON scan_tallies BEGIN"
    " UPDATE assets SET trusted_count ="
    "  coalesce(trusted_count, 0) + NEW.times_named"
    " WHERE id = NEW.asset_id; END;",
    "CREATE TRIGGER scan_tallies_take_back AFTER DELETE ON scan_tallies BEGIN"
    " UPDATE assets SET trusted_count ="
    "  max(coalesce(trusted_count, 0) - OLD.times_named, 0)"
    " WHERE id = OLD.asset_id; END;",
    NULL};

/* A statement of a step that migrate() runs itself: add one to the
 * schema cookie (PRAGMA schema_version), so that every other connection
 * to the workspace reloads its schema after an edit of sqlite_schema. */
#define SCHEMA_BUMP_COOKIE "-- bump schema_version"
/* Another: fail unless the CHECK on areas.level allows 'neighborhood'. */
#define SCHEMA_CHECK_AREAS_LEVEL "-- check areas level neighborhood"

/* Version 8, areas level neighborhood: 'import areas --level
 * neighborhood' keeps a user's own areas (neighbourhoods, service areas),
 * which maps label and aggregate cohort counts into.  Only the CHECK on
 * areas.level changes, and it becomes weaker (one more word), so every
 * row and index stays valid: this is SQLite's documented procedure for
 * changing a CHECK constraint in place (lang_altertable.html, "making
 * other kinds of table schema changes", the simpler procedure) rather
 * than a rebuild of areas, which would have to discard and recover its
 * SpatiaLite geometry column, triggers and spatial index (no table
 * references areas(id)).  The UPDATE names the exact old words: on a
 * schema that differs it changes nothing, and SCHEMA_CHECK_AREAS_LEVEL
 * fails the step instead of going on. */
static const char *const schema_v8[] = {
    "PRAGMA writable_schema = ON;",
    "UPDATE sqlite_schema SET sql = replace(sql,"
    " '(''state'',''county'',''tract'',''blockgroup'',''zcta'')',"
    " '(''state'',''county'',''tract'',''blockgroup'',''zcta'',"
    "''neighborhood'')')"
    " WHERE type = 'table' AND name = 'areas';",
    "PRAGMA writable_schema = RESET;",
    SCHEMA_BUMP_COOKIE,
    SCHEMA_CHECK_AREAS_LEVEL,
    NULL};

/* Version 9, words for maps (issue 16): who published each import (publisher,
 * dataset, year; 'import --source-label' or the known formats), and a
 * user's own labels for indicator columns ('import --label COL=Label').
 * New tables rather than new columns of sources, so that no existing
 * table is rewritten. */
static const char *const schema_v9[] = {
    "CREATE TABLE source_labels("
    " source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,"
    " publisher TEXT, dataset TEXT, year TEXT);",
    "CREATE TABLE indicator_labels(name TEXT PRIMARY KEY,"
    " label TEXT NOT NULL, unit TEXT,"
    " source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE);",
    NULL};

/* Version 10: the roads of 'import roads' as a basemap draws them (issue
 * 16): the ways of the major classes down to residential streets, with
 * their class and name, one blob in geo_basemap's format
 * (geo_basemap.h).  Replaced with the road network by a re-import. */
static const char *const schema_v10[] = {
    "CREATE TABLE road_lines("
    " source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,"
    " lines INTEGER NOT NULL,"
    " data BLOB NOT NULL);",
    NULL};

static const char *const *const migrations[CORE_SCHEMA_VERSION] = {
    schema_v1, schema_v2, schema_v3, schema_v4, schema_v5,
    schema_v6, schema_v7, schema_v8, schema_v9, schema_v10,
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
			    what,
			    db_msg(ws, sqlite3_errmsg(ws->db), b, sizeof(b)));
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

int core_ws_prepare(struct core_ws *ws, struct core_err *err, sqlite3_stmt **st,
		    const char *sql)
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

/* ---------------------------------------------------------------------
 * Waiting for another writer, and telling who it is
 * ------------------------------------------------------------------ */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *lock_info_path(const char *path)
{
	return xasprintf("%s.lock-info", path);
}

/* FILE.lock-info: "PID\nTIME\nCOMMAND\n", written whole (a rename) once
 * this process holds the write lock, with the workspace's file mode (a
 * command line may name a private file). */
static void lock_info_write(struct core_ws *ws)
{
	char *p, *tmp, when[32];
	struct stat sb;
	struct tm tm;
	time_t t = time(NULL);
	mode_t mode = 0600;
	FILE *fp;
	int fd;

	if (!ws->command)
		return;
	if (stat(ws->path, &sb) == 0)
		mode = sb.st_mode & 0666;
	p = lock_info_path(ws->path);
	tmp = xasprintf("%s.tmp-%ld", p, (long)getpid());
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  mode);
	if (fd < 0)
		goto cleanup; /* a read-only folder: others learn less */
	fchmod(fd, mode);     /* past the umask */
	fp = fdopen(fd, "w");
	if (!fp) {
		close(fd);
		unlink(tmp);
		goto cleanup;
	}
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(fp, "%ld\n%s\n%s\n", (long)getpid(), when, ws->command);
	if (fclose(fp) != 0 || rename(tmp, p) != 0)
		unlink(tmp);
	else
		ws->lock_info = 1;
cleanup:
	free(tmp);
	free(p);
}

static void lock_info_remove(struct core_ws *ws)
{
	char *p;

	if (!ws->lock_info)
		return;
	p = lock_info_path(ws->path);
	unlink(p);
	free(p);
	ws->lock_info = 0;
}

/* Who holds the write lock, as far as FILE.lock-info says: "process N
 * (assetmap COMMAND, since TIME)", or "another process" when it is
 * absent, ours, or left by a process that is gone. */
static void lock_holder(const struct core_ws *ws, char *buf, size_t n)
{
	char *p = lock_info_path(ws->path), line[3][256];
	FILE *fp = fopen(p, "r");
	long pid = 0;
	int i;

	snprintf(buf, n, "another process");
	free(p);
	if (!fp)
		return;
	for (i = 0; i < 3; i++) {
		if (!fgets(line[i], sizeof(line[i]), fp))
			break;
		line[i][strcspn(line[i], "\n")] = '\0';
	}
	fclose(fp);
	if (i < 3)
		return;
	pid = strtol(line[0], NULL, 10);
	if (pid <= 0 || pid == (long)getpid() ||
	    (kill((pid_t)pid, 0) != 0 && errno != EPERM))
		return;
	snprintf(buf, n, "process %ld (assetmap %s, since %s)", pid, line[2],
		 line[1]);
}

/* SQLite's busy handler: sleep in short steps up to ws->wait_ms, and
 * tell the caller once who is being waited for. */
static int busy_wait(void *arg, int count)
{
	struct core_ws *ws = arg;
	int64_t now = now_ms(), left;

	if (count == 0) {
		ws->wait_start = now;
		ws->told = 0;
	}
	left = ws->wait_ms - (now - ws->wait_start);
	if (left <= 0)
		return 0;
	if (!ws->told && now - ws->wait_start >= 100) {
		ws->told = 1;
		if (ws->notice) {
			char who[700], msg[900];
			lock_holder(ws, who, sizeof(who));
			snprintf(msg, sizeof(msg),
				 "waiting for %s to finish writing to %s (up "
				 "to %d s)",
				 who, ws->path, (ws->wait_ms + 999) / 1000);
			ws->notice(ws->notice_arg, msg);
		}
	}
	if (left > 20)
		left = 20;
	{
		struct timespec ts = {0, (long)left * 1000000L};
		nanosleep(&ts, NULL);
	}
	return 1;
}

/* err for a write lock not had: who holds it, and for how long we
 * waited. */
static int busy_err(struct core_ws *ws, struct core_err *err)
{
	char who[700];

	lock_holder(ws, who, sizeof(who));
	if (ws->wait_ms <= 0)
		return core_err_set(err, CORE_EDB,
				    "workspace %s is being written by %s; not "
				    "waiting for it (--wait 0); try again when "
				    "it is done, or wait with --wait SECONDS",
				    ws->path, who);
	return core_err_set(
	    err, CORE_EDB,
	    "workspace %s is being written by %s; gave up after waiting %d s; "
	    "try again when it is done, or wait longer with --wait SECONDS",
	    ws->path, who, (ws->wait_ms + 999) / 1000);
}

/* The first column of the first row as text the caller frees, or NULL. */
static char *query_text(struct core_ws *ws, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;

	if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

int core_ws_begin(struct core_ws *ws, struct core_err *err)
{
	if (sqlite3_exec(ws->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		if ((sqlite3_extended_errcode(ws->db) & 0xff) == SQLITE_BUSY)
			return busy_err(ws, err);
		core_ws_dberr(ws, err, "starting a transaction");
		return core_err_prefix(err, "cannot start a transaction: ");
	}
	ws->in_tx = 1;
	/* A writer we waited for may have changed the schema (an import
	 * drops and restores its triggers); read it again now, inside the
	 * transaction, or the next prepare may look a table up in a schema
	 * SQLite has reset and not yet reloaded ("no such table"). */
	if (sqlite3_exec(ws->db, "SELECT count(*) FROM sqlite_master", NULL,
			 NULL, NULL) != SQLITE_OK) {
		core_ws_dberr(ws, err, "reading its schema");
		core_ws_rollback(ws);
		return CORE_EDB;
	}
	if (ws->command) {
		lock_info_write(ws);
	} else {
		/* We hold the lock: one there is a killed writer's. */
		char *p = lock_info_path(ws->path);
		unlink(p);
		free(p);
	}
	return CORE_OK;
}

int core_ws_commit(struct core_ws *ws, struct core_err *err)
{
	/* For the crash tests: the transaction's pages written out (to the
	 * WAL, or the file and its rollback journal), then a real kill. */
	if (getenv("ASSETMAP_TEST_KILL_BEFORE_COMMIT")) {
		sqlite3_db_cacheflush(ws->db);
		raise(SIGKILL);
	}
	if (core_ws_exec(ws, err, "COMMIT")) {
		core_ws_rollback(ws);
		return CORE_EDB;
	}
	ws->in_tx = 0;
	lock_info_remove(ws);
	return CORE_OK;
}

void core_ws_rollback(struct core_ws *ws)
{
	if (!ws || !ws->in_tx)
		return;
	sqlite3_exec(ws->db, "ROLLBACK", NULL, NULL, NULL);
	ws->in_tx = 0;
	lock_info_remove(ws);
}

void core_ws_scrub(struct core_ws *ws)
{
	if (ws && !ws->in_tx)
		sqlite3_exec(ws->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL,
			     NULL, NULL);
}

char *core_ws_meta_dup(struct core_ws *ws, const char *key)
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

int core_ws_meta_set(struct core_ws *ws, struct core_err *err, const char *key,
		     const char *value)
{
	sqlite3_stmt *st;
	int rc;

	if (core_ws_prepare(
		ws, err, &st,
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
	return core_err_set(
	    err, CORE_EUSAGE,
	    "--crs: '%s' is not a CRS I understand; give 'auto' or 'EPSG:N' "
	    "(e.g. EPSG:3310 for California Albers)",
	    crs);
}

/* Per connection: load SpatiaLite through its C API, never through the
 * SQL function load_extension(), which stays disabled. */
static int attach_spatialite(struct core_ws *ws, struct core_err *err)
{
	ws->sl_cache = spatialite_alloc_connection();
	spatialite_init_ex(ws->db, ws->sl_cache, 0);
	/* SpatiaLite sets a busy timeout of its own: ours again */
	sqlite3_busy_handler(ws->db, busy_wait, ws);
	if (core_ws_exec(
		ws, err,
		"PRAGMA foreign_keys = ON; PRAGMA recursive_triggers = ON;"))
		return CORE_EDB;
	return CORE_OK;
}

/*
 * Open path with SQLite alone (no SpatiaLite, no schema check) with
 * sqlite3_open_v2 flags; with SQLITE_OPEN_URI the file is opened as an
 * immutable URI (read-only media).  o (may be NULL) gives the wait,
 * command and notice callback; the busy handler is installed.  On success
 * *out is a workspace the caller frees with core_ws_close; on failure
 * *out is untouched and err holds CORE_EIO.
 */
static int raw_open(const char *path, int flags, const struct core_ws_opts *o,
		    struct core_ws **out, struct core_err *err)
{
	struct core_ws *ws = xcalloc(1, sizeof(*ws));
	int rc;

	ws->path = xstrdup(path);
	ws->wait_ms =
	    o && o->wait_ms >= 0 ? o->wait_ms : CORE_WS_WAIT_DEFAULT_MS;
	if (o && o->command)
		ws->command = xstrdup(o->command);
	if (o) {
		ws->notice = o->notice;
		ws->notice_arg = o->arg;
	}
	if (flags & SQLITE_OPEN_URI) {
		/* only for a read-only file on read-only media (see
		 * core_ws_open_with): the path as an immutable URI */
		struct core_buf u = CORE_BUF_INIT;
		const char *c;
		core_buf_adds(&u, "file:");
		for (c = path; *c; c++) {
			unsigned char ch = (unsigned char)*c;
			if (isalnum(ch) || strchr("/._-~", ch))
				core_buf_addf(&u, "%c", ch);
			else
				core_buf_addf(&u, "%%%02X", ch);
		}
		core_buf_adds(&u, "?immutable=1");
		rc = sqlite3_open_v2(core_buf_str(&u), &ws->db, flags, NULL);
		core_buf_release(&u);
	} else {
		rc = sqlite3_open_v2(path, &ws->db, flags, NULL);
	}
	if (rc != SQLITE_OK) {
		core_err_set(err, CORE_EIO, "workspace %s: cannot open: %s",
			     path,
			     ws->db ? sqlite3_errmsg(ws->db) : "out of memory");
		core_ws_close(ws);
		return CORE_EIO;
	}
	sqlite3_extended_result_codes(ws->db, 1);
	sqlite3_busy_handler(ws->db, busy_wait, ws);
	*out = ws;
	return CORE_OK;
}

static int bump_cookie(struct core_ws *ws, struct core_err *err)
{
	char sql[64];
	int64_t v = 0;
	int rc;

	if ((rc = core_ws_int(ws, err, "PRAGMA schema_version", &v)))
		return rc;
	snprintf(sql, sizeof(sql), "PRAGMA schema_version = %lld",
		 (long long)v + 1);
	return core_ws_exec(ws, err, sql);
}

static int check_areas_level(struct core_ws *ws, struct core_err *err)
{
	int64_t ok = 0;
	int rc;

	if ((rc = core_ws_int(ws, err,
			      "SELECT instr(sql, '''zcta'',''neighborhood''')"
			      " > 0 FROM sqlite_schema WHERE type = 'table' "
			      "AND name = 'areas'",
			      &ok)))
		return rc;
	if (!ok)
		return core_err_set(err, CORE_ESCHEMA,
				    "workspace %s: table areas is not as "
				    "assetmap made it (its level check could "
				    "not take 'neighborhood'); it was left as "
				    "it was",
				    ws->path);
	return CORE_OK;
}

static int migrate(struct core_ws *ws, int from, int to, struct core_err *err)
{
	char sql[64];
	int v;

	for (v = from; v < to; v++) {
		const char *const *stmt;
		for (stmt = migrations[v]; *stmt; stmt++)
			if (strcmp(*stmt, SCHEMA_BUMP_COOKIE) == 0
				? bump_cookie(ws, err)
			    : strcmp(*stmt, SCHEMA_CHECK_AREAS_LEVEL) == 0
				? check_areas_level(ws, err)
				: core_ws_exec(ws, err, *stmt))
				return core_err_prefix(
				    err, "schema step %d: ", v + 1);
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", to);
	return core_ws_exec(ws, err, sql);
}

int core_ws_create(const char *path, const char *crs, core_ws_seed_fn seed,
		   struct core_ws **out, struct core_err *err)
{
	return core_ws_create_version(path, crs, CORE_SCHEMA_VERSION, seed, out,
				      err);
}

int core_ws_create_version(const char *path, const char *crs, int version,
			   core_ws_seed_fn seed, struct core_ws **out,
			   struct core_err *err)
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
				    "workspace %s already exists; choose "
				    "another path with -d, or remove it first",
				    path);
	/* Build it beside the target, then rename: no half-made workspace. */
	if ((rc = core_out_open(path, CORE_OUT_MODE,
				CORE_OUT_DIR | CORE_OUT_NOREPLACE, &o, err)))
		return core_err_prefix(err, "workspace %s: ", path);
	tmp = core_out_tmp_path(o);
	rc = raw_open(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL,
		      &ws, err);
	if (rc)
		goto cleanup;
	/* messages name the workspace, not the temporary */
	free(ws->path);
	ws->path = xstrdup(path);
	if ((rc = attach_spatialite(ws, err)))
		goto cleanup;
	/* WAL, kept in the file: readers never wait for a writer. */
	if ((rc = core_ws_exec(ws, err, "PRAGMA journal_mode = WAL")))
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
			       "INSERT INTO meta VALUES('created_at', "
			       "strftime('%Y-%m-%dT%H:%M:%SZ','now'))")))
		goto cleanup;
	if (seed && (rc = seed(ws, err)))
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
		 : raw_open(path, SQLITE_OPEN_READWRITE, NULL, out, err);
cleanup:
	if (ws) {
		core_ws_rollback(ws);
		core_ws_close(ws);
	}
	core_out_abort(o);
	return rc;
}

/* ---------------------------------------------------------------------
 * Recognising a workspace, and damage
 * ------------------------------------------------------------------ */

static atomic_int damage_seen;

static void sqlite_log(void *arg, int code, const char *msg)
{
	(void)arg;
	(void)msg;
	if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
		atomic_store(&damage_seen, 1);
}

void core_ws_log_start(void)
{
	sqlite3_config(SQLITE_CONFIG_LOG, sqlite_log, NULL);
}

static int is_damage(int code)
{
	return (code & 0xff) == SQLITE_CORRUPT ||
	       (code & 0xff) == SQLITE_NOTADB;
}

/* What pragma quick_check finds, up to a few problems on one line, into
 * buf; returns 1 when it finds damage (or cannot run for damage), 0 when
 * it says "ok" or fails for another reason. */
static int quick_check(struct core_ws *ws, char *buf, size_t n)
{
	sqlite3_stmt *st = NULL;
	size_t used = 0;
	int rc, bad = 0;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(ws->db, "PRAGMA quick_check(3)", -1, &st,
			       NULL) != SQLITE_OK) {
		bad = is_damage(sqlite3_extended_errcode(ws->db));
		snprintf(buf, n, "%s", sqlite3_errmsg(ws->db));
		return bad;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (!t || strcmp(t, "ok") == 0)
			continue;
		bad = 1;
		if (used < n) {
			int k = snprintf(buf + used, n - used, "%s%s",
					 used ? "; " : "", t);
			used += k > 0 ? (size_t)k : 0;
		}
	}
	if (rc != SQLITE_DONE && !bad) {
		bad = is_damage(sqlite3_extended_errcode(ws->db));
		snprintf(buf, n, "%s", sqlite3_errmsg(ws->db));
	}
	sqlite3_finalize(st);
	/* one line */
	for (used = 0; buf[used]; used++)
		if (buf[used] == '\n' || buf[used] == '\t')
			buf[used] = ' ';
	return bad;
}

static int damaged(struct core_ws *ws, const char *finding,
		   struct core_err *err)
{
	return core_err_set(
	    err, CORE_EDB,
	    "workspace %s is damaged (pragma quick_check: %s); it was left as "
	    "it is: restore it from a backup, or create a new workspace and "
	    "import the files again",
	    ws->path, finding);
}

/* Whether FILE-wal exists and holds anything. */
static int wal_in_use(const char *path)
{
	char *w = xasprintf("%s-wal", path);
	struct stat sb;
	int used = stat(w, &sb) == 0 && sb.st_size > 0;

	free(w);
	return used;
}

/* err for an SQLite error met while opening: damage is called damaged,
 * with quick_check's finding when it has one. */
static int open_err(struct core_ws *ws, struct core_err *err, const char *what)
{
	int code = sqlite3_extended_errcode(ws->db);
	char finding[1024], cause[512];

	if (code == SQLITE_READONLY_CANTINIT ||
	    code == SQLITE_READONLY_CANTLOCK ||
	    (code == SQLITE_READONLY && wal_in_use(ws->path)))
		return core_err_set(
		    err, CORE_EIO,
		    "workspace %s: %s: %s; a write to it is unfinished or not "
		    "yet folded back (%s-wal), and reading it needs %s-shm, "
		    "which this user cannot make beside it: run any assetmap "
		    "command on it as its owner, or copy it with its -wal file "
		    "to a folder you may write to",
		    ws->path, what, sqlite3_errmsg(ws->db), ws->path, ws->path);
	if (code == SQLITE_READONLY_ROLLBACK ||
	    code == SQLITE_READONLY_RECOVERY)
		return core_err_set(
		    err, CORE_EDB,
		    "workspace %s: %s: %s; a process that wrote to it stopped "
		    "before finishing, and this user cannot roll its write "
		    "back here; run any assetmap command on it as a user who "
		    "may write the file and its folder (or copy the file with "
		    "its -journal, -wal and -shm files to a writable folder)",
		    ws->path, what, sqlite3_errmsg(ws->db));
	if ((code & 0xff) == SQLITE_CANTOPEN)
		return core_err_set(
		    err, CORE_EIO,
		    "workspace %s: %s: %s; SQLite needs to make %s-shm (and "
		    "%s-wal) beside it: copy the workspace to a folder you may "
		    "write to",
		    ws->path, what, sqlite3_errmsg(ws->db), ws->path, ws->path);
	if (!is_damage(code))
		return core_ws_dberr(ws, err, what);
	snprintf(cause, sizeof(cause), "%s: %s", what, sqlite3_errmsg(ws->db));
	if (!quick_check(ws, finding, sizeof(finding)))
		snprintf(finding, sizeof(finding), "%s", cause);
	return damaged(ws, finding, err);
}

int core_ws_explain(struct core_ws *ws, int rc, struct core_err *err)
{
	char finding[1024];

	if (rc == CORE_OK || !ws)
		return rc;
	if ((atomic_load(&damage_seen) || is_damage(ws->fault)) &&
	    quick_check(ws, finding, sizeof(finding)))
		return damaged(ws, finding, err);
	if (ws->fault)
		return core_err_set(err, CORE_EDB, "%s", ws->fault_msg);
	return rc;
}

void core_ws_fault(struct core_ws *ws, const char *what)
{
	if (!ws || ws->fault)
		return;
	ws->fault = sqlite3_extended_errcode(ws->db);
	if (!ws->fault)
		ws->fault = SQLITE_ERROR;
	snprintf(ws->fault_msg, sizeof(ws->fault_msg), "workspace %s: %s: %s",
		 ws->path, what, sqlite3_errmsg(ws->db));
}

static const char *file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a named pipe";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a file";
}

/* Read the file's SQLite header without SQLite: a regular file that is
 * an SQLite database with our application_id.  CORE_OK or err set. */
static int check_header(const char *path, struct core_err *err)
{
	unsigned char h[100];
	struct stat sb;
	ssize_t n = -1;
	uint32_t appid;
	int fd;

	/* O_NONBLOCK: a FIFO swapped in after the stat does not hang us */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return core_err_set(err, CORE_EIO,
				    "workspace %s: cannot open: %s", path,
				    strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return core_err_set(
		    err, CORE_ENOTWS,
		    "workspace %s is not a regular file (it is %s); give the "
		    "path of a workspace file made by 'assetmap init'",
		    path, file_kind(sb.st_mode));
	}
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n < 0)
		return core_err_set(err, CORE_EIO,
				    "workspace %s: cannot read: %s", path,
				    strerror(errno));
	if (n == 0)
		return core_err_set(err, CORE_ENOTWS,
				    "%s is empty, not an assetmap workspace; "
				    "create one with 'assetmap -d FILE init'",
				    path);
	if (n < (ssize_t)sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0)
		return core_err_set(err, CORE_ENOTWS,
				    "%s is not an assetmap workspace (not an "
				    "SQLite database: file is not a database)",
				    path);
	appid = (uint32_t)h[68] << 24 | (uint32_t)h[69] << 16 |
		(uint32_t)h[70] << 8 | (uint32_t)h[71];
	if (appid != CORE_APPLICATION_ID)
		return core_err_set(
		    err, CORE_ENOTWS,
		    "%s is an SQLite database but not an assetmap workspace; "
		    "create one with 'assetmap -d FILE init'",
		    path);
	return CORE_OK;
}

/* A rollback journal left by a process that stopped mid-write (a hot
 * journal) needs a read-write connection to roll it back: open one for
 * a moment and read, which rolls it back; then tell the caller. */
static int recover_journal(const char *path, const struct core_ws_opts *o,
			   struct core_err *err)
{
	char *j = xasprintf("%s-journal", path);
	struct core_ws *ws = NULL;
	struct stat sb;
	int hot, rc;

	hot = stat(j, &sb) == 0 && sb.st_size > 0;
	free(j);
	if (!hot || access(path, W_OK) != 0)
		return CORE_OK; /* nothing to do, or the read-only open says */
	if ((rc = raw_open(path, SQLITE_OPEN_READWRITE, o, &ws, err)))
		return rc;
	if (sqlite3_exec(ws->db, "SELECT count(*) FROM sqlite_master", NULL,
			 NULL, NULL) != SQLITE_OK)
		rc = open_err(ws, err, "rolling back an unfinished write");
	else if (stat(path, &sb) == 0 && ws->notice) {
		char *jj = xasprintf("%s-journal", path);
		if (stat(jj, &sb) != 0 || sb.st_size == 0)
			ws->notice(ws->notice_arg,
				   "rolled back an unfinished write left in "
				   "the workspace by a process that stopped; "
				   "what it held before is intact");
		free(jj);
	}
	core_ws_close(ws);
	return rc;
}

int core_ws_open(const char *path, enum core_ws_mode mode, struct core_ws **out,
		 struct core_err *err)
{
	return core_ws_open_with(path, mode, NULL, out, err);
}

int core_ws_open_with(const char *path, enum core_ws_mode mode,
		      const struct core_ws_opts *opts, struct core_ws **out,
		      struct core_err *err)
{
	struct core_ws *ws = NULL;
	struct stat sb;
	int64_t version = 0;
	char *journal_mode = NULL;
	int rc, writable, immutable = 0;

	*out = NULL;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			return core_err_set(
			    err, CORE_ENOTFOUND,
			    "workspace %s does not exist; create it with "
			    "'assetmap -d %s init'",
			    path, path);
		return core_err_set(err, CORE_EIO, "workspace %s: %s", path,
				    strerror(errno));
	}
	if (!S_ISREG(sb.st_mode))
		return core_err_set(
		    err, CORE_ENOTWS,
		    "workspace %s is not a regular file (it is %s); give the "
		    "path of a workspace file made by 'assetmap init'",
		    path, file_kind(sb.st_mode));
	/* Read the header before SQLite opens it: a foreign file is
	 * refused without being touched. */
	if ((rc = check_header(path, err)))
		return rc;
	if (mode != CORE_WS_WRITE && (rc = recover_journal(path, opts, err)))
		return rc;
	/* A reader that may write the file opens it read-write but
	 * query-only: it then folds the WAL back into the file when it is
	 * the last to close, rather than leave FILE-wal and FILE-shm. */
	writable = mode == CORE_WS_WRITE || access(path, W_OK) == 0;
reopen:
	rc = raw_open(path,
		      writable ? SQLITE_OPEN_READWRITE
			       : SQLITE_OPEN_READONLY |
				     (immutable ? SQLITE_OPEN_URI : 0),
		      opts, &ws, err);
	if (rc)
		return rc;
	if (mode != CORE_WS_WRITE && writable &&
	    (rc = core_ws_exec(ws, err, "PRAGMA query_only = ON")))
		goto cleanup;
	/* Reading the schema meets a hot journal, a lock, or damage. */
	if (sqlite3_exec(ws->db, "SELECT count(*) FROM sqlite_master", NULL,
			 NULL, NULL) != SQLITE_OK) {
		if (mode != CORE_WS_WRITE && writable &&
		    (sqlite3_extended_errcode(ws->db) & 0xff) ==
			SQLITE_CANTOPEN) {
			/* a read-only folder: no FILE-wal to make */
			core_ws_close(ws);
			ws = NULL;
			writable = 0;
			goto reopen;
		}
		if (mode != CORE_WS_WRITE && !writable && !immutable &&
		    ((sqlite3_extended_errcode(ws->db) & 0xff) ==
			 SQLITE_READONLY ||
		     (sqlite3_extended_errcode(ws->db) & 0xff) ==
			 SQLITE_CANTOPEN) &&
		    !wal_in_use(path)) {
			/* Read-only media, or another user's folder: no
			 * FILE-shm can be made.  With no write in the WAL, the
			 * file alone is the workspace: read it as it is. */
			core_ws_close(ws);
			ws = NULL;
			immutable = 1;
			goto reopen;
		}
		rc = (sqlite3_extended_errcode(ws->db) & 0xff) == SQLITE_BUSY
			 ? busy_err(ws, err)
			 : open_err(ws, err, "reading its schema");
		goto cleanup;
	}
	if (core_ws_int(ws, NULL, "PRAGMA user_version", &version)) {
		rc = open_err(ws, err, "reading its schema version");
		goto cleanup;
	}
	if (version > CORE_SCHEMA_VERSION) {
		rc = core_err_set(
		    err, CORE_ESCHEMA,
		    "workspace %s has schema version %lld, newer than this "
		    "assetmap understands (%d); upgrade assetmap",
		    path, (long long)version, CORE_SCHEMA_VERSION);
		goto cleanup;
	}
	if (version < 1) {
		rc = core_err_set(
		    err, CORE_ESCHEMA,
		    "workspace %s: schema version %lld is not one this "
		    "assetmap knows (1..%d); the file was left as it is",
		    path, (long long)version, CORE_SCHEMA_VERSION);
		goto cleanup;
	}
	if ((rc = attach_spatialite(ws, err)))
		goto cleanup;
	if (mode == CORE_WS_WRITE) {
		/* Older workspaces move to WAL (kept in the file); should
		 * that not be possible now (another process has it open in
		 * the old mode), this write goes through the old journal. */
		journal_mode = query_text(ws, "PRAGMA journal_mode");
		if (!journal_mode || strcmp(journal_mode, "wal") != 0) {
			int wait = ws->wait_ms;
			ws->wait_ms = 0; /* no waiting for readers for this */
			sqlite3_exec(ws->db, "PRAGMA journal_mode = WAL", NULL,
				     NULL, NULL);
			ws->wait_ms = wait;
		}
	}
	if (version < CORE_SCHEMA_VERSION) {
		if (mode != CORE_WS_WRITE) {
			rc = core_err_set(
			    err, CORE_ESCHEMA,
			    "workspace %s has schema version %lld and needs an "
			    "upgrade to %d; any command that writes (such as "
			    "an import) upgrades it",
			    path, (long long)version, CORE_SCHEMA_VERSION);
			goto cleanup;
		}
		/* The seed reloads the reference rows (the taxonomy), which
		 * may use the new tables, in the migration's transaction. */
		if ((rc = core_ws_begin(ws, err)) ||
		    (rc =
			 migrate(ws, (int)version, CORE_SCHEMA_VERSION, err)) ||
		    (opts && opts->seed && (rc = opts->seed(ws, err))) ||
		    (rc = core_ws_commit(ws, err)))
			goto cleanup;
	}
	*out = ws;
	ws = NULL;
cleanup:
	free(journal_mode);
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
	lock_info_remove(ws);
	free(ws->command);
	free(ws->path);
	free(ws);
}

void core_ws_shutdown(void)
{
	spatialite_shutdown();
}
