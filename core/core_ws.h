/*
 * core_ws.h - the workspace: one SpatiaLite file holding sources, assets,
 * categories, areas, indicators, cohorts and analysis results.
 *
 * Every command opens it the same way, through core_ws_open.  A file that
 * is not an assetmap workspace, or whose schema is newer than this
 * program, is refused and left untouched.  Older schemas are migrated
 * forward in one transaction.  A file with our header that SQLite finds
 * damaged is called damaged, with what pragma quick_check says.
 *
 * Journal: the workspace is in WAL mode (set at create, and by any open
 * for writing of an older workspace), so readers never wait for a
 * writer; beside FILE live FILE-wal and FILE-shm while it is open, and
 * the last connection to close folds them back into FILE.  An
 * unfinished write left by a killed process is rolled back by the next
 * open (a read-only open of a workspace still in rollback-journal mode
 * opens it read-write for a moment to do so).
 *
 * Writers: core_ws_begin takes the write lock (BEGIN IMMEDIATE).  While
 * another process holds it, the open waits up to wait_ms, telling the
 * caller once through notice() who holds it: each writer records its
 * process id and command in FILE.lock-info while it holds the lock
 * (removed when the transaction ends; one left by a killed process is
 * recognised by its dead process id and ignored).
 *
 * Reference rows: what a new or migrated schema is filled with (the
 * built-in taxonomy) is the caller's to give, as a seed function that
 * runs inside the transaction that creates or migrates the schema
 * (core_taxonomy_seed), so that the workspace never depends on what
 * fills it and nobody sees a schema without its rows.
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

#define CORE_SCHEMA_VERSION 10
/* PRAGMA application_id of every workspace: 'asmp'. */
#define CORE_APPLICATION_ID 0x61736d70

/* How long to wait for another writer unless told: ten minutes. */
#define CORE_WS_WAIT_DEFAULT_MS 600000

struct core_ws {
	sqlite3 *db;
	void *sl_cache; /* SpatiaLite connection cache */
	char *path;
	int in_tx;
	/* waiting for another writer (see struct core_ws_opts) */
	int wait_ms;
	char *command;
	void (*notice)(void *arg, const char *msg);
	void *notice_arg;
	int64_t wait_start; /* ms, when the current wait began */
	int told;	    /* notice() was called for the current wait */
	int lock_info;	    /* FILE.lock-info is ours, to remove */
	/* a database error met where only yes or no was asked for */
	int fault; /* its SQLite result code, 0 for none */
	char fault_msg[512];
};

/*
 * Fills a new or just-migrated workspace's reference tables, inside the
 * transaction that creates or migrates its schema.  Returns CORE_OK, or
 * an error set in err (the creation or migration is then rolled back).
 */
typedef int (*core_ws_seed_fn)(struct core_ws *ws, struct core_err *err);

/*
 * How a command opens the workspace.  wait_ms: how long to wait for
 * another process's write to finish (0 fails at once; below 0 means
 * CORE_WS_WAIT_DEFAULT_MS).  command: what this process does, recorded
 * for others while it writes ("import assets food.csv"; NULL for none).
 * notice: called (with arg) with one line for the user when a wait
 * begins or an interrupted write was rolled back; NULL for silence.
 * seed: run after an open for writing migrated an older schema forward,
 * in the same transaction (core_taxonomy_seed); NULL: none.
 */
struct core_ws_opts {
	int wait_ms;
	const char *command;
	void (*notice)(void *arg, const char *msg);
	void *arg;
	core_ws_seed_fn seed;
};

enum core_ws_mode { CORE_WS_READ = 0, CORE_WS_WRITE = 1 };

/* The default workspace path: $ASSETMAP_DB, else "assetmap.db". */
const char *core_ws_default_path(void);

/*
 * Create a new workspace at path.  crs is "auto" or "EPSG:N" (NULL means
 * "auto").  seed (NULL: none) fills its reference tables before the
 * creation commits (core_taxonomy_seed: the built-in taxonomy).  Fails
 * if path exists.  The file appears only when complete.
 */
int core_ws_create(const char *path, const char *crs, core_ws_seed_fn seed,
		   struct core_ws **out, struct core_err *err);

/* For tests of migrations: a workspace at an older schema version,
 * returned as a raw connection (no SpatiaLite) when version is older. */
int core_ws_create_version(const char *path, const char *crs, int version,
			   core_ws_seed_fn seed, struct core_ws **out,
			   struct core_err *err);

/* Open an existing workspace with the default options: core_ws_open_with
 * with opts NULL. */
int core_ws_open(const char *path, enum core_ws_mode mode, struct core_ws **out,
		 struct core_err *err);
/*
 * Open the existing workspace at path for reading or writing; see the file
 * comment for what is refused.  opts may be NULL (defaults: no command, no
 * notices, no seed).  A reader first rolls back an unfinished write left
 * by a process that stopped (when it may write the file), then opens the
 * file query-only (read-only when it may not).  An open for writing moves a
 * workspace not in WAL mode to WAL, and migrates an older schema forward
 * (running opts->seed in the same transaction).  On success *out is a workspace
 * the caller frees with core_ws_close; on failure *out is NULL and err
 * holds CORE_ENOTFOUND (no such file), CORE_ENOTWS (not a regular file,
 * or not an assetmap workspace), CORE_EIO (cannot stat or open it, or
 * cannot make FILE-wal or FILE-shm beside it), CORE_ESCHEMA (a schema
 * version newer or unknown, or older when mode is CORE_WS_READ) or
 * CORE_EDB (another writer held it past wait_ms, damage, or another
 * database error).
 */
int core_ws_open_with(const char *path, enum core_ws_mode mode,
		      const struct core_ws_opts *opts, struct core_ws **out,
		      struct core_err *err);

/*
 * Route SQLite's own log into core, so that damage met anywhere (a bad
 * page read deep inside a query) is remembered for core_ws_explain.
 * Call once, before anything else uses SQLite.
 */
void core_ws_log_start(void);

/*
 * After a command failed with err: when SQLite met damage in the
 * workspace (pragma quick_check finds a problem), or a database error
 * was met while checking a value (core_ws_fault), replace err with that
 * real cause and return its code; otherwise leave err and return rc.
 */
int core_ws_explain(struct core_ws *ws, int rc, struct core_err *err);

/*
 * Record that a yes-or-no question about the workspace (does this
 * category exist?) met a database error: what names the question.  The
 * first fault is kept; core_ws_explain reports it.
 */
void core_ws_fault(struct core_ws *ws, const char *what);

void core_ws_close(struct core_ws *ws);

/* Transactions: one per import or analysis run.  begin waits for
 * another writer (see the file comment).  rollback accepts a workspace
 * with no open transaction. */
int core_ws_begin(struct core_ws *ws, struct core_err *err);
int core_ws_commit(struct core_ws *ws, struct core_err *err);
void core_ws_rollback(struct core_ws *ws);

/* After a commit that overwrote private bytes (PRAGMA secure_delete):
 * fold the WAL back into the file and empty it, so that the old bytes
 * are not left in FILE-wal's earlier frames.  Best effort: a reader that
 * holds an old snapshot keeps the frames until the next checkpoint. */
void core_ws_scrub(struct core_ws *ws);

/* Run SQL with no results; on failure err names what and SQLite's text. */
int core_ws_exec(struct core_ws *ws, struct core_err *err, const char *sql);
int core_ws_prepare(struct core_ws *ws, struct core_err *err, sqlite3_stmt **st,
		    const char *sql);
/* Step a statement that returns no rows, then reset it. */
int core_ws_step(struct core_ws *ws, struct core_err *err, sqlite3_stmt *st);
/* Set err from the connection's last error: "what: sqlite message". */
int core_ws_dberr(struct core_ws *ws, struct core_err *err, const char *what);

/* Run a query returning one integer (first column of first row). */
int core_ws_int(struct core_ws *ws, struct core_err *err, const char *sql,
		int64_t *out);

/* meta table.  core_ws_meta_dup returns a string the caller frees, or
 * NULL when the key is absent. */
char *core_ws_meta_dup(struct core_ws *ws, const char *key);
int core_ws_meta_set(struct core_ws *ws, struct core_err *err, const char *key,
		     const char *value);

/* Check "auto" / "EPSG:N"; returns CORE_OK or CORE_EUSAGE with err set. */
int core_ws_check_crs(const char *crs, struct core_err *err);

/* Tear SpatiaLite down at exit (leak checkers see a clean finish). */
void core_ws_shutdown(void);

#endif
