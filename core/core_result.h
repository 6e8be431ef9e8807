/*
 * core_result.h - analysis runs and their results in the workspace.
 *
 * Every analysis (nearest, coverage, access, gaps, deserts, sites) is
 * stored as one run: its name, parameters (a JSON object), the area level
 * and cohort it used, the sources it read, the time, and a summary (JSON).
 * Its values are:
 *   - per area, long form: results_area(run_id, geoid, name, value);
 *   - per cohort member, packed columns: results_column(run_id, name,
 *     type, n, data) with data n native-endian int64 ("i8") or double
 *     ("f8") values.  By convention the column "member_id" (i8) holds the
 *     cohort_members.id of each position, and every other member column
 *     of the run is aligned with it.  Member columns never hold a
 *     location: only ids, distances, counts.
 * results_info says what each named value is (its kind, below) so that
 * every output (print, export, map) knows which values are cohort counts
 * to suppress and which are distances to show in the user's units.
 *
 * Writing: the caller opens a transaction (core_ws_begin), creates the
 * run, writes its values, and commits; a failed analysis rolls back and
 * leaves no run behind.
 *
 * Ownership: writers and tables returned here are the caller's, freed
 * with the matching _free (which accepts NULL).
 */
#ifndef CORE_RESULT_H
#define CORE_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"

/* results_info.kind: what a value is. */
#define CORE_RK_COHORT_COUNT                                                   \
	"cohort_count" /* people of a cohort; 1..10                            \
			  suppressed in every output */
#define CORE_RK_COHORT_STAT                                                    \
	"cohort_stat"			/* derived from cohort people          \
					   (share, median distance):           \
					   suppressed with its basis */
#define CORE_RK_POPULATION "population" /* census people: shown as is */
#define CORE_RK_DISTANCE   "distance"	/* metres; shown in --units */
#define CORE_RK_SHARE	   "share"	/* 0..1, not from a cohort */
#define CORE_RK_SCORE	   "score"	/* access score, ratio, index */
#define CORE_RK_RANK	   "rank"	/* 1 = first */
#define CORE_RK_ID	   "id"		/* an assets.id */
#define CORE_RK_VALUE	   "value"	/* anything else */

/*
 * Create a run inside the caller's transaction.  params is a JSON object
 * of the parameters as the user gave them (with units resolved to
 * metres); level is the area level ("tract") or NULL; cohort the cohort's
 * name or NULL.  The sources read are recorded as a JSON array of
 * {"id","kind","name","checksum"}: every non-cohort source, plus the
 * named cohort's source.  created_at is UTC now, or SOURCE_DATE_EPOCH
 * when set.  Sets *run_id.
 */
int core_run_create(struct core_ws *ws, const char *analysis,
		    const char *params, const char *level, const char *cohort,
		    int64_t *run_id, struct core_err *err);

/* Store the run's summary (a JSON object or array). */
int core_run_summary_set(struct core_ws *ws, int64_t run_id,
			 const char *summary, struct core_err *err);

/*
 * Describe the value called name in this run.  kind is one of the
 * CORE_RK_* strings; basis, for a cohort_stat, is a comma-separated list
 * of the run's cohort_count names it was computed from (the stat is
 * suppressed wherever one of them is), else NULL; label is what a table
 * header or legend says ("Median distance to food"); sort orders
 * columns in outputs.
 */
int core_result_info_add(struct core_ws *ws, int64_t run_id, const char *name,
			 const char *kind, const char *basis, const char *label,
			 int sort, struct core_err *err);

/* Per-area values, written through one prepared statement. */
struct core_result_writer;

int core_result_writer_new(struct core_ws *ws, int64_t run_id,
			   struct core_result_writer **out,
			   struct core_err *err);
/* value NaN is stored as NULL (no data). */
int core_result_area_put(struct core_result_writer *w, const char *geoid,
			 const char *name, double value, struct core_err *err);
/*
 * Many per-area values at once: for every area k < n and every column c
 * < ncols, the value values[c][k] for geoid[k] called names[c] (NaN
 * stored as NULL).  The same rows as n * ncols calls of
 * core_result_area_put, written in key order (geoid ascending, as
 * geo_areas_load gives them, then name) through multi-row statements:
 * a third of the cost per row.  Nothing is borrowed after it returns.
 */
int core_result_area_table_put(struct core_result_writer *w, size_t n,
			       const char *const *geoid, size_t ncols,
			       const char *const *names,
			       const double *const *values,
			       struct core_err *err);
void core_result_writer_free(struct core_result_writer *w);

/* A packed per-member column: type "i8" (int64_t) or "f8" (double). */
int core_result_column_put(struct core_ws *ws, int64_t run_id, const char *name,
			   const char *type, size_t n, const void *data,
			   struct core_err *err);
/*
 * Read a packed column back.  *data is malloc'd (free it); *type is a
 * static string "i8" or "f8".  CORE_ENOTFOUND when the run has no such
 * column.
 */
int core_result_column_load(struct core_ws *ws, int64_t run_id,
			    const char *name, const char **type, size_t *n,
			    void **data, struct core_err *err);

/* ------------------------------------------------------------------ */
/* Reading runs back for output (core_result_read.c). */

/*
 * Resolve what a user typed for a run: a number (the run id), "last"
 * (the newest run), or an analysis name ("access": its newest run).
 * CORE_ENOTFOUND with a message listing how to see runs otherwise.
 */
int core_run_find(struct core_ws *ws, const char *spec, int64_t *run_id,
		  struct core_err *err);

/* A run's per-area values as a table, one row per geoid (ascending),
 * one column per name (ordered by results_info.sort, then name). */
struct core_result_table {
	int64_t run_id;
	char *analysis, *params, *level, *cohort, *created_at, *summary;
	size_t nrows, ncols;
	char **geoid;		   /* [nrows] */
	char **name;		   /* [ncols] */
	char **kind;		   /* [ncols]; "value" where results_info
				      has no row for the name */
	char **basis;		   /* [ncols]; NULL entries where none */
	char **label;		   /* [ncols]; the name where none */
	double *v;		   /* [nrows * ncols], row-major; NaN = none */
	unsigned char *suppressed; /* [nrows * ncols]: 1 where an output
				      must show "<11" / "suppressed" */
};

int core_result_table_load(struct core_ws *ws, int64_t run_id,
			   struct core_result_table **out,
			   struct core_err *err);

/*
 * Mark what every output must hide (sets t->suppressed): each
 * cohort_count cell from 1 to 10; then, complementary, each cohort_count
 * column goes through core_privacy_row as if its total were published,
 * so no hidden cell can be recovered by subtraction (a lone hidden cell
 * takes the smallest other non-zero cell with it, and more where the
 * hidden sum would still be small); then each cohort_stat cell whose
 * basis counts include a suppressed cell in the same row.  Idempotent.
 * core_result_table_load applies it already.
 */
void core_result_table_suppress(struct core_result_table *t);

void core_result_table_free(struct core_result_table *t);

#endif
