/*
 * core_result.c - writing analysis runs.  See core_result.h; reading them
 * back is core_result_read.c.
 */
#include "core/core_result.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_mem.h"
#include "core/core_privacy.h"

/* UTC now, or SOURCE_DATE_EPOCH, as ISO 8601. */
static void run_time(char *buf, size_t size)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;

	if (e && *e) {
		char *end;
		long long v = strtoll(e, &end, 10);

		if (!*end && v >= 0)
			t = (time_t)v;
	}
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int core_run_create(struct core_ws *ws, const char *analysis,
		    const char *params, const char *level, const char *cohort,
		    int64_t *run_id, struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	char when[32];
	int rc;

	run_time(when, sizeof(when));
	/* The sources JSON is built by SQLite's json functions so that any
	 * name is quoted correctly. */
	rc = core_ws_prepare(
	    ws, err, &st,
	    "INSERT INTO runs(analysis, params, sources, created_at,"
	    " level, cohort)"
	    " VALUES(?1, ?2, (SELECT json_group_array(json_object("
	    "  'id', s.id, 'kind', s.kind, 'name', CASE s.kind"
	    "   WHEN 'cohort' THEN " CORE_PRIVACY_COHORT_LABEL_SQL(
		"?6") "   ELSE s.name END,"
		      "  'checksum', s.checksum))"
		      "  FROM (SELECT * FROM sources WHERE kind <> 'cohort'"
		      "   OR id IN (SELECT source_id FROM cohorts WHERE name = "
		      "?6)"
		      "   ORDER BY id) s),"
		      " ?3, ?4, ?5)");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, analysis, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, params ? params : "{}", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, when, -1, SQLITE_STATIC);
	if (level)
		sqlite3_bind_text(st, 4, level, -1, SQLITE_STATIC);
	if (cohort) {
		sqlite3_bind_text(st, 5, cohort, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, cohort, -1, SQLITE_STATIC);
	}
	rc = core_ws_step(ws, err, st);
	sqlite3_finalize(st);
	if (rc)
		return core_err_prefix(err, "recording the %s run: ", analysis);
	*run_id = sqlite3_last_insert_rowid(ws->db);
	return CORE_OK;
}

int core_run_summary_set(struct core_ws *ws, int64_t run_id,
			 const char *summary, struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = core_ws_prepare(ws, err, &st,
				  "UPDATE runs SET summary = ? WHERE id = ?")))
		return rc;
	sqlite3_bind_text(st, 1, summary, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, run_id);
	rc = core_ws_step(ws, err, st);
	sqlite3_finalize(st);
	return rc;
}

int core_result_info_add(struct core_ws *ws, int64_t run_id, const char *name,
			 const char *kind, const char *basis, const char *label,
			 int sort, struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = core_ws_prepare(ws, err, &st,
				  "INSERT OR REPLACE INTO results_info(run_id,"
				  " name, kind, basis, label, sort)"
				  " VALUES(?, ?, ?, ?, ?, ?)")))
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	if (basis)
		sqlite3_bind_text(st, 4, basis, -1, SQLITE_STATIC);
	if (label)
		sqlite3_bind_text(st, 5, label, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, sort);
	rc = core_ws_step(ws, err, st);
	sqlite3_finalize(st);
	return rc;
}

/* Rows per statement of core_result_area_column_put (4 parameters each,
 * well under SQLite's 32766). */
#define MULTI_ROWS 128

struct core_result_writer {
	struct core_ws *ws;
	int64_t run_id;
	sqlite3_stmt *st;
	sqlite3_stmt *multi; /* MULTI_ROWS rows, made on first use */
};

int core_result_writer_new(struct core_ws *ws, int64_t run_id,
			   struct core_result_writer **out,
			   struct core_err *err)
{
	struct core_result_writer *w = xcalloc(1, sizeof(*w));
	int rc;

	w->ws = ws;
	w->run_id = run_id;
	rc =
	    core_ws_prepare(ws, err, &w->st,
			    "INSERT OR REPLACE INTO results_area(run_id, geoid,"
			    " name, value) VALUES(?, ?, ?, ?)");
	if (rc) {
		free(w);
		return rc;
	}
	*out = w;
	return CORE_OK;
}

int core_result_area_put(struct core_result_writer *w, const char *geoid,
			 const char *name, double value, struct core_err *err)
{
	sqlite3_bind_int64(w->st, 1, w->run_id);
	sqlite3_bind_text(w->st, 2, geoid, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->st, 3, name, -1, SQLITE_STATIC);
	if (isnan(value))
		sqlite3_bind_null(w->st, 4);
	else
		sqlite3_bind_double(w->st, 4, value);
	return core_ws_step(w->ws, err, w->st);
}

/* Bind row r (0-based within the statement) of a multi-row statement. */
static void bind_row(sqlite3_stmt *st, int r, const char *geoid,
		     const char *name, double value)
{
	int at = 2 + 3 * r;

	sqlite3_bind_text(st, at, geoid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, at + 1, name, -1, SQLITE_STATIC);
	if (isnan(value))
		sqlite3_bind_null(st, at + 2);
	else
		sqlite3_bind_double(st, at + 2, value);
}

int core_result_area_table_put(struct core_result_writer *w, size_t n,
			       const char *const *geoid, size_t ncols,
			       const char *const *names,
			       const double *const *values,
			       struct core_err *err)
{
	size_t *ord = NULL, k, c, total = n * ncols, done = 0;
	int rc = CORE_OK, r = 0;

	if (total >= MULTI_ROWS && !w->multi) {
		struct core_buf sql = CORE_BUF_INIT;

		core_buf_adds(&sql,
			      "INSERT OR REPLACE INTO results_area(run_id,"
			      " geoid, name, value) VALUES");
		for (k = 0; k < MULTI_ROWS; k++)
			core_buf_addf(&sql, "%s(?1,?%d,?%d,?%d)", k ? "," : "",
				      2 + 3 * (int)k, 3 + 3 * (int)k,
				      4 + 3 * (int)k);
		rc = core_ws_prepare(w->ws, err, &w->multi, core_buf_str(&sql));
		core_buf_release(&sql);
		if (rc)
			return rc;
	}
	/* the columns in the key's order: SQLite's BINARY collation is
	 * strcmp's for UTF-8 (an insertion sort: a few dozen names) */
	ord = xmalloc((ncols ? ncols : 1) * sizeof(*ord));
	for (c = 0; c < ncols; c++) {
		size_t j = c;

		while (j > 0 && strcmp(names[ord[j - 1]], names[c]) > 0) {
			ord[j] = ord[j - 1];
			j--;
		}
		ord[j] = c;
	}
	if (w->multi)
		sqlite3_bind_int64(w->multi, 1, w->run_id);
	for (k = 0; k < n && rc == CORE_OK; k++)
		for (c = 0; c < ncols && rc == CORE_OK; c++) {
			size_t j = ord[c];

			if (total - done < MULTI_ROWS && r == 0) {
				/* the tail, row by row */
				rc = core_result_area_put(w, geoid[k], names[j],
							  values[j][k], err);
				done++;
				continue;
			}
			bind_row(w->multi, r, geoid[k], names[j], values[j][k]);
			if (++r == MULTI_ROWS) {
				rc = core_ws_step(w->ws, err, w->multi);
				done += MULTI_ROWS;
				r = 0;
			}
		}
	free(ord);
	return rc;
}

void core_result_writer_free(struct core_result_writer *w)
{
	if (!w)
		return;
	sqlite3_finalize(w->multi);
	sqlite3_finalize(w->st);
	free(w);
}

int core_result_column_put(struct core_ws *ws, int64_t run_id, const char *name,
			   const char *type, size_t n, const void *data,
			   struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t bytes = n * 8;
	int rc;

	if (strcmp(type, "i8") != 0 && strcmp(type, "f8") != 0)
		return core_err_set(err, CORE_EFAIL,
				    "result column %s: unknown type '%s'", name,
				    type);
	if (bytes > 0x7fffffff)
		return core_err_set(err, CORE_EFAIL,
				    "result column %s: %zu values are too many "
				    "for one column",
				    name, n);
	if ((rc = core_ws_prepare(
		 ws, err, &st,
		 "INSERT OR REPLACE INTO results_column(run_id,"
		 " name, type, n, data) VALUES(?, ?, ?, ?, ?)")))
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)n);
	/* A zero-length blob must still be a blob, not NULL. */
	if (bytes)
		sqlite3_bind_blob(st, 5, data, (int)bytes, SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(st, 5, 0);
	rc = core_ws_step(ws, err, st);
	sqlite3_finalize(st);
	return rc;
}

int core_result_column_load(struct core_ws *ws, int64_t run_id,
			    const char *name, const char **type, size_t *n,
			    void **data, struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	if ((rc = core_ws_prepare(ws, err, &st,
				  "SELECT type, n, data FROM results_column"
				  " WHERE run_id = ? AND name = ?")))
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		sqlite3_int64 cnt = sqlite3_column_int64(st, 1);
		const void *blob = sqlite3_column_blob(st, 2);
		int bytes = sqlite3_column_bytes(st, 2);

		if (!t || cnt < 0 || (sqlite3_int64)bytes != cnt * 8) {
			rc = core_err_set(err, CORE_EDB,
					  "workspace %s: result column %s of "
					  "run %lld is damaged",
					  ws->path, name, (long long)run_id);
			goto cleanup;
		}
		*type = strcmp(t, "i8") == 0 ? "i8" : "f8";
		*n = (size_t)cnt;
		*data = xmalloc(bytes ? (size_t)bytes : 1);
		if (bytes)
			memcpy(*data, blob, (size_t)bytes);
		rc = CORE_OK;
	} else if (step == SQLITE_DONE) {
		rc = core_err_set(err, CORE_ENOTFOUND,
				  "run %lld has no result column '%s'",
				  (long long)run_id, name);
	} else {
		rc = core_ws_dberr(ws, err, "reading a result column");
	}
cleanup:
	sqlite3_finalize(st);
	return rc;
}
