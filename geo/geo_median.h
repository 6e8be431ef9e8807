/*
 * geo_median.h - the median of a set of distances or scores, plain or
 * weighted: the one median of the analyses and the commands.
 *
 * Both forms follow one rule.  Sort the values; walk them adding weights
 * (1 each for the plain form); the median is the first value at which
 * the running weight passes half the total.  When the running weight
 * lands exactly on half, GEO_MEDIAN_MEAN takes the mean of that value and
 * the next one of positive weight (for the plain form: the mean of the
 * two middle values of an even count), GEO_MEDIAN_LOWER takes that value.
 * Values of zero weight never decide.  Values may be +-inf; they must
 * not be NaN.
 *
 * Neither function allocates; both reorder their input.
 */
#ifndef GEO_MEDIAN_H
#define GEO_MEDIAN_H

#include <stddef.h>

enum geo_median_half {
	GEO_MEDIAN_MEAN = 0, /* exactly half: the mean of the two sides */
	GEO_MEDIAN_LOWER     /* exactly half: the value below */
};

/* A value with its weight (>= 0). */
struct geo_median_item {
	double v, w;
};

/*
 * The median of v[0..n) with GEO_MEDIAN_MEAN: the middle value, or the
 * mean of the two middle values for an even n.  NaN for n 0.  Runs in
 * linear expected time (quickselect); v is left reordered.
 */
double geo_median(double *v, size_t n);

/*
 * The weighted median of p[0..n) with the given rule for exactly half.
 * NaN when n is 0 or the weights do not add up to more than 0.  The
 * total is summed in the order given, then p is sorted by value
 * (qsort: O(n log n)).
 */
double geo_median_weighted(struct geo_median_item *p, size_t n,
			   enum geo_median_half half);

#endif
