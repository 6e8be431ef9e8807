/*
 * render_classify.h - classes for a choropleth: quantile, equal interval,
 * Fisher-Jenks natural breaks, standard deviation, manual.
 *
 * The quantile rule, stated once: with m finite values sorted v[0] <= ... <=
 * v[m-1] and k classes asked for, break i (1 <= i < k) is the value of
 * rank ceil(i * m / k), that is v[ceil(i * m / k) - 1]: the smallest
 * value with at least i/k of the data at or below it.  A value equal to a
 * break goes in the lower class: class 0 holds v <= upper[0], class c
 * holds upper[c-1] < v <= upper[c].  Duplicate breaks (ties) are merged
 * and a break equal to the maximum is dropped, so no class is ever empty;
 * there may then be fewer classes than asked for (constant data: one).
 * NaN and infinities are "no data" and belong to no class.
 */
#ifndef RENDER_CLASSIFY_H
#define RENDER_CLASSIFY_H

#include <stddef.h>

#include "core/core_err.h"

#define RENDER_CLASSES_MAX 9

/*
 * Classification methods.  Every method shares the boundary rule above
 * (a value equal to a break goes in the lower class), the no-data rule,
 * and never makes an empty class: breaks that would leave one are
 * merged, so there may be fewer classes than asked for.
 *   RENDER_QUANTILE  as above
 *   RENDER_EQUAL     equal interval: breaks at min + i (max - min) / k
 *   RENDER_JENKS     natural breaks, exact Fisher-Jenks: the breaks that
 *                    minimise the sum of squared deviations from the
 *                    class means (not an approximation)
 *   RENDER_STDDEV    standard deviation: inner breaks at
 *                    mean + (i - k/2) sd, i = 1 .. k-1 (sd the population
 *                    standard deviation): classes one sd wide,
 *                    symmetric about the mean, the two end classes open.
 *                    Odd k: the middle class is mean +- 0.5 sd, breaks at
 *                    +-0.5, +-1.5, ... sd; even k: a break at the mean,
 *                    others at +-1, +-2, ... sd.  Breaks beyond the data
 *                    are merged away like any empty class.  sd = 0
 *                    (constant data): one class.
 *   RENDER_MANUAL    the user's inner breaks, ascending; a break that
 *                    would leave its class empty (none of the data in
 *                    it, or at or beyond the maximum) is dropped too.
 * Breaks: upper[c] is the break proposed by the method (for jenks, the
 * largest value of the class), except the last, which is the maximum.
 */
enum render_method {
	RENDER_QUANTILE = 0,
	RENDER_EQUAL,
	RENDER_JENKS,
	RENDER_STDDEV,
	RENDER_MANUAL
};

struct render_classes {
	int n;				  /* classes made; 0 if no data */
	double upper[RENDER_CLASSES_MAX]; /* inclusive upper break */
	double lo[RENDER_CLASSES_MAX];	  /* smallest value in the class */
	double hi[RENDER_CLASSES_MAX];	  /* largest value in the class */
	size_t count[RENDER_CLASSES_MAX]; /* values in the class */
	size_t nodata;			  /* NaN / infinite values */
	/* of the finite values, every method; sd is the
	 * population standard deviation (divided by m) */
	double mean;
	double sd;
};

/*
 * Classify v[0..n-1] into at most k quantile classes (1 <= k <= 9).
 * Returns CORE_EUSAGE for k out of range; v is not modified.
 */
int render_classify_quantile(const double *v, size_t n, int k,
			     struct render_classes *out, struct core_err *err);

/*
 * Classify by method.  breaks/nbreaks are used by RENDER_MANUAL only
 * (1..8 strictly ascending finite inner breaks; k is then ignored);
 * CORE_EUSAGE for k out of range or bad breaks, naming the problem.
 */
int render_classify(const double *v, size_t n, enum render_method method, int k,
		    const double *breaks, size_t nbreaks,
		    struct render_classes *out, struct core_err *err);

/* "quantile", "equal", "jenks", "stddev", "manual". */
const char *render_method_name(enum render_method method);
/* The method named (those names, any case; also "natural" for jenks,
 * "equal-interval", "sd"); CORE_EUSAGE listing the names otherwise. */
int render_method_parse(const char *name, enum render_method *out,
			struct core_err *err);

/* The class of value x under c's breaks, or -1 for no data (NaN or
 * infinite, or c has no classes).  Values below the first class go in
 * class 0, above the last in the last. */
int render_class_of(const struct render_classes *c, double x);

#endif
