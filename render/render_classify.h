/*
 * render_classify.h - quantile classes for a choropleth.
 *
 * The rule, stated once: with m finite values sorted v[0] <= ... <=
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

struct render_classes {
	int n;                               /* classes made; 0 if no data */
	double upper[RENDER_CLASSES_MAX];    /* inclusive upper break */
	double lo[RENDER_CLASSES_MAX];       /* smallest value in the class */
	double hi[RENDER_CLASSES_MAX];       /* largest value in the class */
	size_t count[RENDER_CLASSES_MAX];    /* values in the class */
	size_t nodata;                       /* NaN / infinite values */
};

/*
 * Classify v[0..n-1] into at most k quantile classes (1 <= k <= 9).
 * Returns CORE_EUSAGE for k out of range; v is not modified.
 */
int render_classify_quantile(const double *v, size_t n, int k,
			     struct render_classes *out,
			     struct core_err *err);

/* The class of value x under c's breaks, or -1 for no data (NaN or
 * infinite, or c has no classes).  Values below the first class go in
 * class 0, above the last in the last. */
int render_class_of(const struct render_classes *c, double x);

#endif
