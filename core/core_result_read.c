/*
 * core_result_read.c - reading analysis runs back for output: finding a
 * run from what a user typed, loading its per-area values as a table, and
 * marking the cells every output must hide.  See core_result.h; the
 * write side is core_result.c.
 */
#include "core/core_result.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_privacy.h"

static const char how_to_list[] = "'assetmap results' lists the runs";

/* 1 when s is a run id: decimal digits only, optionally after '#'. */
static int parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (*s == '#')
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return 0;
	*id = v;
	return 1;
}

int core_run_find(struct core_ws *ws, const char *spec, int64_t *run_id,
		  struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t id = 0;
	int by_id, rc, step;

	if (!spec || !*spec)
		return core_err_set(err, CORE_EUSAGE,
				    "no run given; give a run id, 'last' or an "
				    "analysis name (%s)",
				    how_to_list);
	by_id = parse_id(spec, &id);
	if (by_id)
		rc = core_ws_prepare(ws, err, &st,
				     "SELECT id FROM runs WHERE id = ?");
	else if (strcmp(spec, "last") == 0)
		rc = core_ws_prepare(ws, err, &st,
				     "SELECT id FROM runs ORDER BY id DESC"
				     " LIMIT 1");
	else
		rc =
		    core_ws_prepare(ws, err, &st,
				    "SELECT id FROM runs WHERE analysis = ?"
				    " COLLATE NOCASE ORDER BY id DESC LIMIT 1");
	if (rc)
		return rc;
	if (by_id)
		sqlite3_bind_int64(st, 1, id);
	else if (strcmp(spec, "last") != 0)
		sqlite3_bind_text(st, 1, spec, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*run_id = sqlite3_column_int64(st, 0);
		rc = CORE_OK;
	} else if (step != SQLITE_DONE) {
		rc = core_ws_dberr(ws, err, "finding a run");
	} else if (by_id) {
		rc = core_err_set(err, CORE_ENOTFOUND,
				  "workspace %s has no run %lld; %s", ws->path,
				  (long long)id, how_to_list);
	} else if (strcmp(spec, "last") == 0) {
		rc = core_err_set(err, CORE_ENOTFOUND,
				  "workspace %s has no runs yet; run an "
				  "analysis first (nearest, coverage, access, "
				  "gaps, deserts, sites)",
				  ws->path);
	} else {
		rc = core_err_set(err, CORE_ENOTFOUND,
				  "'%s' is not a run: give a run id, 'last' or "
				  "the name of an analysis that has run (%s)",
				  spec, how_to_list);
	}
	sqlite3_finalize(st);
	return rc;
}

/* ------------------------------------------------------------------ */

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xstrdup((const char *)s) : NULL;
}

/* Binary search of a sorted string array; -1 when absent. */
static long find_str(char *const *v, size_t n, const char *s)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid], s);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int load_run_row(struct core_ws *ws, struct core_result_table *t,
			struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = core_ws_prepare(ws, err, &st,
			     "SELECT analysis, params, level, cohort,"
			     " created_at, summary FROM runs WHERE id = ?");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, t->run_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		t->analysis = col_dup(st, 0);
		t->params = col_dup(st, 1);
		t->level = col_dup(st, 2);
		t->cohort = col_dup(st, 3);
		t->created_at = col_dup(st, 4);
		t->summary = col_dup(st, 5);
		rc = CORE_OK;
	} else if (step == SQLITE_DONE) {
		rc = core_err_set(err, CORE_ENOTFOUND,
				  "workspace %s has no run %lld; %s", ws->path,
				  (long long)t->run_id, how_to_list);
	} else {
		rc = core_ws_dberr(ws, err, "reading a run");
	}
	sqlite3_finalize(st);
	return rc;
}

/* The columns: every name with per-area values, described by
 * results_info where it has a row. */
static int load_columns(struct core_ws *ws, struct core_result_table *t,
			struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc, step;

	rc = core_ws_prepare(
	    ws, err, &st,
	    "SELECT a.name, i.kind, i.basis, i.label FROM"
	    " (SELECT DISTINCT name FROM results_area WHERE run_id = ?1) a"
	    " LEFT JOIN results_info i ON i.run_id = ?1 AND i.name = a.name"
	    " ORDER BY coalesce(i.sort, 0), a.name");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, t->run_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		size_t c = t->ncols;

		if (c + 1 > cap) {
			size_t cap2 = cap;

			xgrow((void **)&t->name, &cap2, c + 1, sizeof(char *));
			cap2 = cap;
			xgrow((void **)&t->kind, &cap2, c + 1, sizeof(char *));
			cap2 = cap;
			xgrow((void **)&t->basis, &cap2, c + 1, sizeof(char *));
			xgrow((void **)&t->label, &cap, c + 1, sizeof(char *));
		}
		t->name[c] = col_dup(st, 0);
		t->kind[c] = col_dup(st, 1);
		if (!t->kind[c])
			t->kind[c] = xstrdup(CORE_RK_VALUE);
		t->basis[c] = col_dup(st, 2);
		t->label[c] = col_dup(st, 3);
		if (!t->label[c])
			t->label[c] = xstrdup(t->name[c]);
		t->ncols++;
	}
	if (step != SQLITE_DONE)
		rc = core_ws_dberr(ws, err, "reading a run's value names");
	sqlite3_finalize(st);
	return rc;
}

static int load_rows(struct core_ws *ws, struct core_result_table *t,
		     struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc, step;

	/* Byte order (BINARY collation) is what find_str searches by. */
	rc = core_ws_prepare(ws, err, &st,
			     "SELECT DISTINCT geoid FROM results_area"
			     " WHERE run_id = ? ORDER BY geoid");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, t->run_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&t->geoid, &cap, t->nrows + 1, sizeof(char *));
		t->geoid[t->nrows++] = col_dup(st, 0);
	}
	if (step != SQLITE_DONE)
		rc = core_ws_dberr(ws, err, "reading a run's areas");
	sqlite3_finalize(st);
	return rc;
}

/* For looking a name up: the column indexes sorted by name. */
static int by_name(const void *a, const void *b, void *ctx)
{
	const struct core_result_table *t = ctx;

	return strcmp(t->name[*(const size_t *)a], t->name[*(const size_t *)b]);
}

static long find_col(const struct core_result_table *t, const size_t *order,
		     const char *name)
{
	size_t lo = 0, hi = t->ncols;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->name[order[mid]], name);

		if (c == 0)
			return (long)order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int load_values(struct core_ws *ws, struct core_result_table *t,
		       struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t i, cells = t->nrows * t->ncols;
	size_t *order;
	int rc, step;

	t->v = xmalloc((cells ? cells : 1) * sizeof(double));
	t->suppressed = xcalloc(cells ? cells : 1, 1);
	for (i = 0; i < cells; i++)
		t->v[i] = NAN;
	order = xmalloc((t->ncols ? t->ncols : 1) * sizeof(size_t));
	for (i = 0; i < t->ncols; i++)
		order[i] = i;
	qsort_r(order, t->ncols, sizeof(size_t), by_name, (void *)t);

	rc = core_ws_prepare(ws, err, &st,
			     "SELECT geoid, name, value FROM results_area"
			     " WHERE run_id = ? AND value IS NOT NULL");
	if (rc)
		goto cleanup;
	sqlite3_bind_int64(st, 1, t->run_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *g = (const char *)sqlite3_column_text(st, 0);
		const char *n = (const char *)sqlite3_column_text(st, 1);
		long r = g ? find_str(t->geoid, t->nrows, g) : -1;
		long c = n ? find_col(t, order, n) : -1;

		if (r >= 0 && c >= 0)
			t->v[(size_t)r * t->ncols + (size_t)c] =
			    sqlite3_column_double(st, 2);
	}
	if (step != SQLITE_DONE)
		rc = core_ws_dberr(ws, err, "reading a run's values");
	sqlite3_finalize(st);
cleanup:
	free(order);
	return rc;
}

int core_result_table_load(struct core_ws *ws, int64_t run_id,
			   struct core_result_table **out, struct core_err *err)
{
	struct core_result_table *t = xcalloc(1, sizeof(*t));
	int rc;

	t->run_id = run_id;
	if ((rc = load_run_row(ws, t, err)) ||
	    (rc = load_columns(ws, t, err)) || (rc = load_rows(ws, t, err)) ||
	    (rc = load_values(ws, t, err))) {
		core_result_table_free(t);
		return rc;
	}
	core_result_table_suppress(t);
	*out = t;
	return CORE_OK;
}

/* ------------------------------------------------------------------ */

/* A cohort count as core_privacy_row sees it.  Areal weighting (deserts)
 * gives fractions: anything above 0 and under 11 is small, so it maps to
 * 1..10; the rest to the nearest whole number, at least 11. */
static int64_t as_count(double v)
{
	double r;

	if (isnan(v) || v <= 0)
		return 0;
	if (v < CORE_PRIVACY_MIN_CELL) {
		r = ceil(v);
		if (r > CORE_PRIVACY_MIN_CELL - 1)
			r = CORE_PRIVACY_MIN_CELL - 1;
		return r < 1 ? 1 : (int64_t)r;
	}
	r = floor(v + 0.5);
	return r < CORE_PRIVACY_MIN_CELL ? CORE_PRIVACY_MIN_CELL : (int64_t)r;
}

static int is_kind(const struct core_result_table *t, size_t c,
		   const char *kind)
{
	return t->kind[c] && strcmp(t->kind[c], kind) == 0;
}

/* 1 when a basis list "a,b" names column c. */
static int basis_has(const char *basis, const char *name)
{
	size_t len = strlen(name);
	const char *p = basis;

	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		while (n > 0 && isspace((unsigned char)*p)) {
			p++;
			n--;
		}
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		if (n == len && strncmp(p, name, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* 1 when count column c is at least count column b on every row with
 * both (c holds b: the people of an area and those of them covered). */
static int holds(const struct core_result_table *t, size_t c, size_t b)
{
	size_t r, m = t->ncols, both = 0;

	for (r = 0; r < t->nrows; r++) {
		double vc = t->v[r * m + c], vb = t->v[r * m + b];

		if (isnan(vc) || isnan(vb))
			continue;
		if (vc < vb)
			return 0;
		both++;
	}
	return both > 0;
}

void core_result_table_suppress(struct core_result_table *t)
{
	size_t r, c, b, n = t->nrows, m = t->ncols;
	int64_t *cells;
	enum core_privacy_mark *marks;

	if (!t->suppressed)
		return;
	memset(t->suppressed, 0, n * m);
	cells = xmalloc((n ? n : 1) * sizeof(*cells));
	marks = xmalloc((n ? n : 1) * sizeof(*marks));
	/*
	 * Small cells, then complementary suppression down each count
	 * column, whose total an output may publish.  core_privacy_row
	 * hides the smallest other non-zero cell when one cell alone is
	 * hidden, and goes on where that would still pin a hidden small
	 * cell to one value (1 and 11 with a total of 12).
	 */
	for (c = 0; c < m; c++) {
		if (!is_kind(t, c, CORE_RK_COHORT_COUNT))
			continue;
		for (r = 0; r < n; r++)
			cells[r] = as_count(t->v[r * m + c]);
		core_privacy_row(cells, n, 1, marks);
		for (r = 0; r < n; r++)
			if (marks[r] != CORE_PRIVACY_SHOW)
				t->suppressed[r * m + c] = 1;
	}
	/*
	 * Within a row, a count that holds another (the people of an area
	 * and those of them covered) gives away what the other leaves out:
	 * 12 people, 11 covered says 1 is not.  A column holds another when
	 * it is at least as large on every row; each such pair is a row of
	 * two cells (the part and the rest) with its total published.
	 */
	for (c = 0; c < m; c++) {
		if (!is_kind(t, c, CORE_RK_COHORT_COUNT))
			continue;
		for (b = 0; b < m; b++) {
			if (b == c || !is_kind(t, b, CORE_RK_COHORT_COUNT) ||
			    !holds(t, c, b))
				continue;
			for (r = 0; r < n; r++) {
				int64_t pair[2],
				    tot = as_count(t->v[r * m + c]);
				enum core_privacy_mark pm[2];

				if (t->suppressed[r * m + c] ||
				    t->suppressed[r * m + b])
					continue;
				pair[0] = as_count(t->v[r * m + b]);
				pair[1] = tot - pair[0] > 0 ? tot - pair[0] : 0;
				if (core_privacy_row(pair, 2, 1, pm))
					t->suppressed[r * m + c] = 1;
				if (pm[0] != CORE_PRIVACY_SHOW)
					t->suppressed[r * m + b] = 1;
			}
		}
	}
	/* A stat goes with its basis counts, row by row. */
	for (c = 0; c < m; c++) {
		if (!is_kind(t, c, CORE_RK_COHORT_STAT) || !t->basis[c])
			continue;
		for (b = 0; b < m; b++) {
			if (!is_kind(t, b, CORE_RK_COHORT_COUNT) ||
			    !basis_has(t->basis[c], t->name[b]))
				continue;
			for (r = 0; r < n; r++)
				if (t->suppressed[r * m + b])
					t->suppressed[r * m + c] = 1;
		}
	}
	free(cells);
	free(marks);
}

static void strv_free(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void core_result_table_free(struct core_result_table *t)
{
	if (!t)
		return;
	free(t->analysis);
	free(t->params);
	free(t->level);
	free(t->cohort);
	free(t->created_at);
	free(t->summary);
	strv_free(t->geoid, t->nrows);
	strv_free(t->name, t->ncols);
	strv_free(t->kind, t->ncols);
	strv_free(t->basis, t->ncols);
	strv_free(t->label, t->ncols);
	free(t->v);
	free(t->suppressed);
	free(t);
}
