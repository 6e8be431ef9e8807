/*
 * geo_nearest.h - the distance from every point to the nearest asset of
 * each category, summarised per area and over all points: the analysis
 * behind 'assetmap nearest'.
 *
 * The points are a cohort's people (each with its area) or the areas'
 * own points (point i is area i, weighted by its population).  Distances
 * are Euclidean in the analysis CRS, with geo_kd's rules (ties go to the
 * asset listed first).  Each category's queries run on every core
 * (geo_kd_nearest_all); while they run, the previous category's answers
 * are handed to the caller's callback and summarised on a second thread,
 * so that a caller storing answers in SQLite overlaps the queries.
 *
 * Ownership: geo_nearest_run returns an object the caller frees with
 * geo_nearest_free (which accepts NULL); every array in it is its own.
 */
#ifndef GEO_NEAREST_H
#define GEO_NEAREST_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "geo/geo_input.h"

/* One category's answers and their summary. */
struct geo_nearest_cat {
	double *dist;	/* [n] metres; NaN: no location or no asset */
	int64_t *asset; /* [n] assets.id, -1 where none */
	/*
	 * [nper][nareas] per-area values.  People: the median distance of
	 * the area's people (NaN when none has an asset in reach of any
	 * distance), how many are beyond the distance, and their share.
	 * Areas: the area's distance and its nearest asset's id (NaN
	 * where none).
	 */
	double *area_val[3];
	/* Over every point with a location: */
	int64_t near, far;   /* people within / beyond (people) */
	double pop, pop_far; /* population, beyond (areas; weight > 0) */
	size_t nareas;	     /* areas with a location (areas) */
	double median;	     /* median distance, +inf when more than half
				have no asset; population-weighted for
				areas (GEO_MEDIAN_LOWER) */
};

struct geo_nearest_in {
	size_t n;
	const double *x, *y; /* [n] metres; NaN: no location */
	/* People: [n] each one's area index (-1 outside any).  NULL: the
	 * points are the areas themselves, weighted by population[n]. */
	const int32_t *area;
	const double *population;
	size_t nareas; /* the per-area values' length (n for areas) */
	size_t ncats;
	const struct geo_supply *supply; /* [ncats] */
	double beyond;			 /* metres: farther is "beyond" */
	/*
	 * Called with category c's answers (its per-area values and
	 * summary not yet made) on a second thread, one category at a
	 * time and in order, while the next category's queries run; the
	 * calling thread does not touch anything of the caller's meanwhile.
	 * A non-zero return (with err set) stops the run with that error.
	 * May be NULL.
	 */
	int (*each)(void *ctx, size_t c, const struct geo_nearest_cat *cat,
		    struct core_err *err);
	void *ctx;
};

struct geo_nearest {
	size_t ncats, nareas;
	size_t nper;		     /* area_val arrays per category: 3
					for people, 2 for areas */
	double *area_n;		     /* [nareas] people with a location
					(people) or population (areas) */
	struct geo_nearest_cat *cat; /* [ncats] */
};

/* Run every category; *out is set (and owned by the caller) on
 * success, NULL on failure, which is only a callback's failure. */
int geo_nearest_run(const struct geo_nearest_in *in, struct geo_nearest **out,
		    struct core_err *err);
void geo_nearest_free(struct geo_nearest *r);

#endif
