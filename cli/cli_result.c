/*
 * cli_result.c - a run's per-area values as people read them.  See
 * cli_result.h.
 */
#include "cli/cli_result.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/core_mem.h"
#include "core/core_privacy.h"

#include "cli/cli_table.h"

/* 1 when word is one of s's '_'-separated words. */
static int has_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	const char *p = s;

	while (p && *p) {
		const char *e = strchr(p, '_');
		size_t k = e ? (size_t)(e - p) : strlen(p);

		if (k == n && strncmp(p, word, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static int mentions(const char *s, const char *const *words)
{
	for (; s && *words; words++)
		if (strcasestr(s, *words))
			return 1;
	return 0;
}

enum cli_measure cli_result_measure(const struct core_result_table *t, size_t c)
{
	static const char *const dist[] = {"dist",  "median", "mean_m",
					   "metre", "meter",  NULL};
	static const char *const share[] = {"share", "pct",  "percent",
					    "prop",  "frac", NULL};
	const char *k = t->kind[c], *n = t->name[c], *l = t->label[c];

	if (strcmp(k, CORE_RK_COHORT_COUNT) == 0 ||
	    strcmp(k, CORE_RK_POPULATION) == 0)
		return CLI_MEASURE_COUNT;
	if (strcmp(k, CORE_RK_DISTANCE) == 0)
		return CLI_MEASURE_DISTANCE;
	if (strcmp(k, CORE_RK_SHARE) == 0)
		return CLI_MEASURE_SHARE;
	if (strcmp(k, CORE_RK_RANK) == 0 || strcmp(k, CORE_RK_ID) == 0)
		return CLI_MEASURE_WHOLE;
	if (strcmp(k, CORE_RK_COHORT_STAT) == 0) {
		if (has_word(n, "m") || mentions(n, dist) || mentions(l, dist))
			return CLI_MEASURE_DISTANCE;
		if (mentions(n, share) || mentions(l, share))
			return CLI_MEASURE_SHARE;
	}
	return CLI_MEASURE_OTHER;
}

char *cli_result_header(const struct core_result_table *t, size_t c,
			const char *unit, int pct)
{
	enum cli_measure m = cli_result_measure(t, c);
	const char *n = t->name[c];
	size_t len = strlen(n);

	if (m == CLI_MEASURE_DISTANCE) {
		const char *w;

		if (len >= 2 && strcmp(n + len - 2, "_m") == 0)
			return xasprintf("%.*s_%s", (int)(len - 2), n, unit);
		if (strncmp(n, "m_", 2) == 0)
			return xasprintf("%s_%s", unit, n + 2);
		if ((w = strstr(n, "_m_")))
			return xasprintf("%.*s_%s_%s", (int)(w - n), n, unit,
					 w + 3);
		return xasprintf("%s_%s", n, unit);
	}
	if (m == CLI_MEASURE_SHARE && pct)
		return xasprintf("%s_pct", n);
	return xstrdup(n);
}

/* v to 6 significant digits as %.6g would write it, but never with an
 * exponent (9.2e-05 reads as 0.000092; 1.2e+07 as 12000000): for
 * people, not programs. */
static void plain_number(double v, char *buf, size_t sz)
{
	int d = 0;
	char *dot, *e;

	if (v != 0 && isfinite(v))
		d = 5 - (int)floor(log10(fabs(v)));
	if (d < 0)
		d = 0;
	if (d > 12)
		d = 12;
	snprintf(buf, sz, "%.*f", d, v);
	dot = strchr(buf, '.');
	if (!dot)
		return;
	e = buf + strlen(buf);
	while (e > dot + 1 && e[-1] == '0')
		*--e = '\0';
	if (e == dot + 1)
		*dot = '\0';
}

const char *cli_result_cell(const struct core_result_table *t, size_t r,
			    size_t c, enum core_unit u, int pct, char *buf,
			    size_t sz)
{
	double v = t->v[r * t->ncols + c];

	if (isnan(v))
		return NULL;
	if (t->suppressed[r * t->ncols + c]) {
		int small = strcmp(t->kind[c], CORE_RK_COHORT_COUNT) == 0 &&
			    v > 0 && v < CORE_PRIVACY_MIN_CELL;

		snprintf(buf, sz, "%s",
			 small ? CORE_PRIVACY_SMALL_TEXT
			       : CORE_PRIVACY_HIDDEN_TEXT);
		return buf;
	}
	switch (cli_result_measure(t, c)) {
	case CLI_MEASURE_COUNT:
	case CLI_MEASURE_WHOLE:
		snprintf(buf, sz, "%.0f", v);
		break;
	case CLI_MEASURE_DISTANCE:
		snprintf(buf, sz, "%.*f", u == CORE_UNIT_M ? 0 : 2,
			 core_units_from_m(v, u));
		break;
	case CLI_MEASURE_SHARE:
		if (pct)
			snprintf(buf, sz, "%.1f", v * 100);
		else
			snprintf(buf, sz, "%.4f", v);
		break;
	default:
		plain_number(v, buf, sz);
		break;
	}
	/* "-0" reads oddly */
	if (strcmp(buf, "-0") == 0 || strcmp(buf, "-0.0") == 0 ||
	    strcmp(buf, "-0.00") == 0)
		memmove(buf, buf + 1, strlen(buf));
	return buf;
}

int cli_run_json(struct core_ws *ws, int64_t run_id, char **out,
		 struct core_err *err)
{
	sqlite3_stmt *st = NULL;
	const char *o;
	int rc;

	rc = core_ws_prepare(
	    ws, err, &st,
	    "SELECT json_object('run', id, 'analysis', analysis,"
	    " 'created', created_at, 'level', level, 'cohort', cohort,"
	    " 'parameters', CASE WHEN json_valid(params) THEN json(params)"
	    "  ELSE params END,"
	    /* runs of earlier versions named a cohort's file: named
	     * by the cohort's name here */
	    " 'sources', CASE WHEN json_valid(sources) THEN"
	    "  (SELECT json_group_array(CASE WHEN json_extract(e.value, "
	    "'$.kind') = 'cohort'"
	    "    THEN json_set(e.value, "
	    "'$.name', " CORE_PRIVACY_COHORT_LABEL_SQL(
		"coalesce(runs.cohort, '?')") ")"
					      "    ELSE json(e.value) END) "
					      "FROM json_each(runs.sources) e)"
					      "  ELSE sources END,"
					      " 'summary', CASE WHEN "
					      "json_valid(summary) THEN "
					      "json(summary)"
					      "  ELSE summary END) FROM runs "
					      "WHERE id = ?");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (o = (const char *)sqlite3_column_text(st, 0)))
		*out = xstrdup(cli_text_fix(o));
	else
		rc = core_ws_dberr(ws, err, "reading the run");
	sqlite3_finalize(st);
	return rc;
}
