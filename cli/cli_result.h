/*
 * cli_result.h - how 'results' and 'export' show a run's per-area values:
 * what each column measures, its header with the unit in it, and a cell
 * as text with small-cell suppression applied.
 */
#ifndef CLI_RESULT_H
#define CLI_RESULT_H

#include <stddef.h>

#include "core/core_err.h"
#include "core/core_result.h"
#include "core/core_units.h"
#include "core/core_ws.h"

enum cli_measure {
	CLI_MEASURE_COUNT,    /* people: whole numbers */
	CLI_MEASURE_DISTANCE, /* metres in the workspace */
	CLI_MEASURE_SHARE,    /* 0..1 */
	CLI_MEASURE_WHOLE,    /* rank, id */
	CLI_MEASURE_OTHER     /* score, value, ... */
};

/*
 * What column c measures.  kind says it, except for a cohort_stat
 * (share or median distance of cohort people alike), read from its name
 * and label: "dist", "median", a "_m" word -> distance; "share", "pct",
 * "prop", "frac" -> share.
 */
enum cli_measure cli_result_measure(const struct core_result_table *t,
				    size_t c);

/*
 * Column c's header with its unit: a distance "median_food_mi" (a "_m"
 * word of the name becomes the unit: "median_m_food" -> "median_mi_food"),
 * a share shown as a percentage "share_food_pct" when pct is set; other
 * names as they are.  Caller frees.
 */
char *cli_result_header(const struct core_result_table *t, size_t c,
			const char *unit, int pct);

/*
 * Cell (r, c) as text for people: NULL for no value; "<11" for a
 * suppressed count from 1 to 10, "suppressed" for any other hidden cell;
 * counts whole, distances in unit u (2 decimals, metres 0), shares as
 * percentages with one decimal when pct is set.  Returns buf or NULL.
 */
const char *cli_result_cell(const struct core_result_table *t, size_t r,
			    size_t c, enum core_unit u, int pct, char *buf,
			    size_t sz);

/*
 * The facts of run run_id as one JSON object, as SQLite writes it
 * (compact): run, analysis, created, level, cohort, parameters, sources
 * and summary (the stored texts as JSON where they are valid JSON).
 * *out is the caller's to free; it ends with '}', so a caller may add
 * members before it.  A database error sets err.
 */
int cli_run_json(struct core_ws *ws, int64_t run_id, char **out,
		 struct core_err *err);

#endif
