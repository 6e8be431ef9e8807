/*
 * geo_median.c - plain and weighted medians (geo_median.h).
 */
#include "geo/geo_median.h"

#include <math.h>
#include <stdlib.h>

/* Put the k-th smallest of v[0..n) at v[k], smaller ones before it,
 * larger after (quickselect; v holds no NaN). */
static void select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (hi > lo) {
		size_t i = lo, j = hi, mid = lo + (hi - lo) / 2;
		double a = v[lo], b = v[mid], c = v[hi], pivot;

		/* median of three */
		pivot = a < b ? (b < c ? b : (a < c ? c : a))
			      : (a < c ? a : (b < c ? c : b));
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

double geo_median(double *v, size_t n)
{
	size_t i;
	double lower;

	if (n == 0)
		return NAN;
	select_kth(v, n, n / 2);
	if (n % 2)
		return v[n / 2];
	/* the largest of the lower half */
	lower = v[0];
	for (i = 1; i < n / 2; i++)
		if (v[i] > lower)
			lower = v[i];
	return (lower + v[n / 2]) / 2;
}

static int cmp_item(const void *a, const void *b)
{
	double x = ((const struct geo_median_item *)a)->v;
	double y = ((const struct geo_median_item *)b)->v;

	return x < y ? -1 : x > y;
}

double geo_median_weighted(struct geo_median_item *p, size_t n,
			   enum geo_median_half half)
{
	double total = 0, acc = 0;
	size_t i, j;

	for (i = 0; i < n; i++)
		total += p[i].w;
	if (n == 0 || !(total > 0))
		return NAN;
	qsort(p, n, sizeof(*p), cmp_item);
	for (i = 0; i < n; i++) {
		if (!(p[i].w > 0))
			continue;
		acc += p[i].w;
		if (acc > total / 2)
			return p[i].v;
		if (acc < total / 2)
			continue;
		if (half == GEO_MEDIAN_LOWER)
			return p[i].v;
		for (j = i + 1; j < n; j++)
			if (p[j].w > 0)
				return (p[i].v + p[j].v) / 2;
		return p[i].v;
	}
	return p[n - 1].v;
}
