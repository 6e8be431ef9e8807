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
 * Along the road network (geo_nearest_in.net set): the points are
 * snapped once per run (geo_net_snap), each category's supply once, and
 * one multi-source search per category (geo_net_nearest, by time) gives
 * every point its nearest asset in seconds, door to door, with that
 * path's network metres; when "beyond" has a distance part, a second
 * search by length tells who has an asset within that network distance.
 * A point farther than snap_m from every road is not placed: it has no
 * answer (NaN), is counted (unplaced) and left out of every median,
 * count and share; an asset not placed is left out of the search and
 * counted (src_unplaced).  A point placed with no asset reachable has
 * +inf seconds and counts as beyond.
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
#include "geo/geo_net.h"

/* One category's answers and their summary. */
struct geo_nearest_cat {
	double *dist;	/* [n] metres; NaN: no location or no asset.
			   Straight lines only (NULL on the network) */
	int64_t *asset; /* [n] assets.id, -1 where none */
	/* On the network only (else NULL): */
	double *secs;	     /* [n] seconds to the nearest asset by time,
				door to door; NaN: no location or not
				placed; +inf: none reachable */
	double *metres;	     /* [n] that path's network metres; likewise */
	double *short_m;     /* [n] when beyond is given: the shortest
				network distance to an asset if it is
				within beyond, else +inf (NaN as secs) */
	size_t src_unplaced; /* the category's assets not placed */
	/*
	 * [nper][nareas] per-area values.  People: the median distance of
	 * the area's people (NaN when none has an asset in reach of any
	 * distance), how many are beyond the distance, and their share.
	 * Areas: the area's distance and its nearest asset's id (NaN
	 * where none).  On the network the median and the area's value are
	 * seconds (of the people placed), and areas have a third value:
	 * the network metres.
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
	double beyond;			 /* metres: farther is "beyond";
					    on the network: network
					    metres, NaN for none */
	/*
	 * The road network, or NULL for straight lines.  With it: snap_m,
	 * the farthest a point or asset may be from a road to be placed;
	 * beyond_s, seconds: slower is beyond (NaN for none).  "Beyond"
	 * is then "neither within beyond (shortest network metres) nor
	 * within beyond_s (least seconds)"; at least one must be given.
	 */
	const struct geo_net *net;
	double snap_m;
	double beyond_s;
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
	size_t nper;	/* area_val arrays per category: 3
			   for people, 2 for areas (3 on the
			   network) */
	double *area_n; /* [nareas] people with a location
			   (people; on the network, those
			   placed) or population (areas) */
	/* On the network: points with a location not placed (people, or
	 * areas with pop_unplaced their population), and per area
	 * (people; NULL for areas) how many. */
	size_t unplaced;
	double pop_unplaced;
	double *area_unplaced;
	struct geo_nearest_cat *cat; /* [ncats] */
};

/* Run every category; *out is set (and owned by the caller) on
 * success, NULL on failure: a callback's failure, or a network search's
 * (geo_net_nearest). */
int geo_nearest_run(const struct geo_nearest_in *in, struct geo_nearest **out,
		    struct core_err *err);
void geo_nearest_free(struct geo_nearest *r);

#endif
