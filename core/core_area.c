/*
 * core_area.c - derived area flags and the population hand-over between
 * indicators and areas.  See core_area.h.
 */
#include "core/core_area.h"

#include <sqlite3.h>
#include <stddef.h>

static void bind_level(sqlite3_stmt *st, int i, const char *level)
{
	if (level)
		sqlite3_bind_text(st, i, level, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Run sql (one statement, ?1 = level or NULL) and report its changes. */
static int run_level(struct core_ws *ws, const char *sql, const char *level,
		     int64_t *changed, struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (changed)
		*changed = 0;
	if ((rc = core_ws_prepare(ws, err, &st, sql)))
		return rc;
	bind_level(st, 1, level);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = core_ws_dberr(ws, err, "updating areas");
	} else if (changed) {
		*changed = sqlite3_changes(ws->db);
	}
	sqlite3_finalize(st);
	return rc;
}

int core_area_flags_update(struct core_ws *ws, const char *level,
			   int64_t *changed, struct core_err *err)
{
	return run_level(ws,
			 "UPDATE areas SET flags = " AREA_FLAGS_SQL
			 " WHERE (?1 IS NULL OR level = ?1)"
			 " AND flags IS NOT " AREA_FLAGS_SQL,
			 level, changed, err);
}

int core_area_population_fill(struct core_ws *ws, const char *level,
			      int64_t *filled, struct core_err *err)
{
	return run_level(
	    ws,
	    "UPDATE areas SET population = (SELECT i.value FROM indicators i"
	    "  WHERE i.geoid = areas.geoid AND i.name = "
	    "'" AREA_POPULATION_INDICATOR "')"
	    " WHERE population IS NULL AND (?1 IS NULL OR level = ?1)"
	    " AND EXISTS (SELECT 1 FROM indicators i WHERE i.geoid = "
	    "areas.geoid"
	    "  AND i.name = '" AREA_POPULATION_INDICATOR
	    "' AND i.value IS NOT NULL)",
	    level, filled, err);
}

int64_t core_area_count_flagged(struct core_ws *ws, const char *level, int mask,
				struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (core_ws_prepare(
		ws, err, &st,
		"SELECT count(*) FROM areas WHERE (?1 IS NULL OR level = ?1)"
		" AND (flags & ?2) = ?2"))
		return -1;
	bind_level(st, 1, level);
	sqlite3_bind_int(st, 2, mask);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		core_ws_dberr(ws, err, "counting areas");
	sqlite3_finalize(st);
	return n;
}
