/*
 * render_indicator.c - the indicators a level's areas have values of: the
 * default one to shade by, checking a named one, and the words a legend
 * uses for an indicator and a level.
 */
#include "render/render_indicator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_mem.h"

/* "Census tracts" (or "census tracts" mid-sentence) for the legend. */
const char *render_level_plural(const char *level, int capital)
{
	static const char *const names[][3] = {
	    {"tract", "Census tracts", "census tracts"},
	    {"blockgroup", "Block groups", "block groups"},
	    {"county", "Counties", "counties"},
	    {"zcta", "ZIP code areas", "ZIP code areas"},
	    {"state", "States", "states"},
	    {"neighborhood", "Neighborhoods", "neighborhoods"},
	    {"hex", "Hexagons", "hexagons"},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i][0], level) == 0)
			return names[i][capital ? 1 : 2];
	return capital ? "Areas" : "areas";
}

int render_indicator_names_svi(const char *name)
{
	static const char needle[] = "svi";
	const size_t n = sizeof(needle) - 1;

	for (; *name; name++)
		if (strncasecmp(name, needle, n) == 0)
			return 1;
	return 0;
}

/* Does any of level's areas have a value of name?  -1 on error. */
static int level_has(sqlite3_stmt *has, const char *level, const char *name)
{
	int step;

	sqlite3_reset(has);
	sqlite3_bind_text(has, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(has, 2, level, -1, SQLITE_STATIC);
	step = sqlite3_step(has);
	return step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
}

static const char level_has_sql[] =
    "SELECT 1 FROM indicators i"
    " JOIN areas a ON a.geoid = i.geoid AND a.level = ?2"
    " WHERE i.name = ?1 LIMIT 1";

/*
 * Call fn with each indicator name that level's areas have values of, in
 * order, until it returns nonzero: one index seek a name, where a join
 * over every value took a twentieth of a second at 85,000 tracts.
 */
static int level_indicators(struct core_ws *ws, const char *level,
			    int (*fn)(void *ud, const char *name), void *ud,
			    struct core_err *err)
{
	sqlite3_stmt *next = NULL, *has = NULL;
	char *at = xstrdup("");
	int rc = CORE_OK;

	if ((rc = core_ws_prepare(
		 ws, err, &next,
		 "SELECT min(name) FROM indicators WHERE name > ?")) ||
	    (rc = core_ws_prepare(ws, err, &has, level_has_sql)))
		goto cleanup;
	for (;;) {
		const char *n;
		int h;

		sqlite3_reset(next);
		sqlite3_bind_text(next, 1, at, -1, SQLITE_STATIC);
		if (sqlite3_step(next) != SQLITE_ROW) {
			rc = core_ws_dberr(ws, err, "listing indicators");
			break;
		}
		if (!(n = (const char *)sqlite3_column_text(next, 0)))
			break; /* no more names */
		free(at);
		at = xstrdup(n);
		if ((h = level_has(has, level, at)) < 0) {
			rc = core_ws_dberr(ws, err, "listing indicators");
			break;
		}
		if (h && fn(ud, at))
			break;
	}
cleanup:
	sqlite3_finalize(next);
	sqlite3_finalize(has);
	free(at);
	return rc;
}

struct pick_default {
	char *first, *svi, *rpl;
};

static int pick_default(void *ud, const char *n)
{
	struct pick_default *p = ud;

	if (!p->first)
		p->first = xstrdup(n);
	if (!p->svi && render_indicator_names_svi(n))
		p->svi = xstrdup(n);
	if (!p->rpl && strcmp(n, "RPL_THEMES") == 0)
		p->rpl = xstrdup(n);
	return p->rpl != NULL;
}

int render_default_indicator(struct core_ws *ws, const char *level, char **name,
			     struct core_err *err)
{
	struct pick_default p = {NULL, NULL, NULL};
	int rc;

	*name = NULL;
	rc = level_indicators(ws, level, pick_default, &p, err);
	if (rc == CORE_OK)
		*name = p.rpl ? p.rpl : p.svi ? p.svi : p.first;
	if (*name != p.rpl)
		free(p.rpl);
	if (*name != p.svi)
		free(p.svi);
	if (*name != p.first)
		free(p.first);
	return rc;
}

struct list_have {
	struct core_buf *buf;
	int n;
};

static int list_have(void *ud, const char *n)
{
	struct list_have *l = ud;

	if (l->n++ == 8) {
		core_buf_adds(l->buf, ", ...");
		return 1;
	}
	core_buf_addf(l->buf, "%s%s", l->n > 1 ? ", " : "", n);
	return 0;
}

/* Check that the level's areas have values of indicator; if not, say
 * which indicators they do have. */
int render_check_indicator(struct core_ws *ws, const char *level,
			   const char *indicator, const char *opt,
			   struct core_err *err)
{
	struct core_buf have = CORE_BUF_INIT;
	struct list_have l = {&have, 0};
	sqlite3_stmt *has;
	int found, rc;

	if (core_ws_prepare(ws, err, &has, level_has_sql))
		return CORE_EDB;
	found = level_has(has, level, indicator);
	sqlite3_finalize(has);
	if (found < 0)
		return core_ws_dberr(ws, err, "listing indicators");
	if (found)
		return CORE_OK;
	if ((rc = level_indicators(ws, level, list_have, &l, err)))
		goto cleanup;
	if (have.len)
		rc = core_err_set(
		    err, CORE_ENOTFOUND,
		    "%s: no %s area has a value of '%s'; the %s areas have: %s",
		    opt, level, indicator, level, core_buf_str(&have));
	else
		rc = core_err_set(
		    err, CORE_ENOTFOUND,
		    "%s: no %s area has a value of '%s'; the %s areas have no "
		    "indicators at all (import some with 'assetmap import')",
		    opt, level, indicator, level);
cleanup:
	core_buf_release(&have);
	return rc;
}

/* Label, unit and year of an indicator from indicator_info (any may be
 * NULL).  Caller frees. */
void render_indicator_info(struct core_ws *ws, const char *name, char **label,
			   char **unit, int *year)
{
	sqlite3_stmt *st;

	*label = *unit = NULL;
	*year = 0;
	if (sqlite3_prepare_v2(
		ws->db,
		"SELECT label, unit, year FROM indicator_info WHERE name = ?",
		-1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *l = (const char *)sqlite3_column_text(st, 0);
		const char *u = (const char *)sqlite3_column_text(st, 1);
		/* A label that only repeats the name says nothing. */
		*label = l && *l && strcmp(l, name) != 0 ? xstrdup(l) : NULL;
		*unit = u && *u ? xstrdup(u) : NULL;
		*year = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
}

/* Names people read for the CDC SVI's percentile rankings, used when
 * the workspace has no label of its own. */
const char *render_known_label(const char *name)
{
	static const char *const known[][2] = {
	    {"RPL_THEMES", "Social vulnerability (SVI)"},
	    {"RPL_THEME1", "SVI: socioeconomic status"},
	    {"RPL_THEME2", "SVI: household characteristics"},
	    {"RPL_THEME3", "SVI: minority status and language"},
	    {"RPL_THEME4", "SVI: housing type and transportation"},
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i][0], name) == 0)
			return known[i][1];
	return NULL;
}

int render_is_percentile(const char *name, const char *unit)
{
	if (unit)
		return strncmp(unit, "percentile (0-1)", 16) == 0;
	return render_known_label(name) != NULL || strcasecmp(name, "svi") == 0;
}
