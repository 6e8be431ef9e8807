/*
 * geo_gaps.h - the pieces of the gap analysis (`assetmap gaps`) that are
 * pure computation: nearest-supply distances for many people, the
 * need-weighted shortfall of access, and rankings that leave flagged
 * areas out.
 *
 * Ownership: nothing here allocates what it returns; callers pass the
 * output arrays.
 */
#ifndef GEO_GAPS_H
#define GEO_GAPS_H

#include <stddef.h>

/*
 * Distance (metres) from each of n points (px, py) to the nearest of m
 * supply points (sx, sy) into dist[n], on every core (geo_par_for).
 * +inf when m is 0; NaN for a point with a NaN coordinate.  The nearest
 * supply's index goes to which[n] when which is not NULL ((size_t)-1
 * when none; ties by the smaller index, geo_kd's rule).
 */
void geo_gaps_nearest(size_t m, const double *sx, const double *sy, size_t n,
		      const double *px, const double *py, double *dist,
		      size_t *which);

/*
 * People beyond a distance: the sum of weight[i] (1 per person when
 * weight is NULL) over the points whose dist[i] is greater than beyond
 * (a point exactly at the distance is within it, as geo_kd's rule);
 * points with a NaN distance are not counted anywhere.  *within gets the
 * sum over the others when not NULL.
 */
double geo_gaps_beyond(size_t n, const double *dist, const double *weight,
		       double beyond, double *within);

/*
 * The part of a need that access does not meet: need * max(0, 1 - a)
 * where a is access normalised so that 1 is the demand-weighted mean
 * (geo_access with normalize).  A tract with no access has all its need
 * unmet; one at or above the mean, none.  NaN need or access: NaN.
 */
double geo_gaps_shortfall(double need, double access_norm);

/*
 * Rank areas by value, largest first, leaving out the areas whose
 * flags[i] is not 0 (water, no population) and NaN values; ties go to
 * the smaller index.  order[] receives the ranked indices (room for n);
 * rank[i] (when not NULL) the 1-based rank, 0 where left out.  Returns
 * how many were ranked.
 */
size_t geo_gaps_rank(size_t n, const double *value, const int *flags,
		     size_t *order, size_t *rank);

#endif
