/*
 * test_median.c - geo_median and geo_median_weighted against a
 * brute-force reference (sort, then pick) on random inputs: odd and even
 * counts, many ties, zero weights, infinities, and weights that land
 * exactly on half the total.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geo_median.h"
#include "tests/unit/testlib.h"

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sort a copy; the middle value, or the mean of the two middle ones. */
static double ref_median(const double *v, size_t n)
{
	double *s, m;

	if (n == 0)
		return NAN;
	s = malloc(n * sizeof(double));
	memcpy(s, v, n * sizeof(double));
	qsort(s, n, sizeof(double), cmp_d);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

/*
 * By distinct values: the smallest value x whose weight at or below it
 * is more than half the total; when the weight at or below x is exactly
 * half, the mean of x and the next larger value of positive weight
 * (GEO_MEDIAN_MEAN) or x itself (GEO_MEDIAN_LOWER).
 */
static double ref_weighted(const double *v, const double *w, size_t n,
			   enum geo_median_half half)
{
	double total = 0, best = NAN;
	size_t i, j;

	for (i = 0; i < n; i++)
		total += w[i];
	if (!(total > 0))
		return NAN;
	for (i = 0; i < n; i++) {
		double below = 0, next = INFINITY;
		int has_next = 0;

		if (!(w[i] > 0))
			continue;
		for (j = 0; j < n; j++) {
			if (v[j] <= v[i])
				below += w[j];
			else if (w[j] > 0 && (!has_next || v[j] < next)) {
				next = v[j];
				has_next = 1;
			}
		}
		if (below < total / 2)
			continue;
		if (!isnan(best) && best <= v[i])
			continue;
		if (below > total / 2 || half == GEO_MEDIAN_LOWER || !has_next)
			best = v[i];
		else
			best = (v[i] + next) / 2;
	}
	return best;
}

/* Same value, or both NaN. */
static int same(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static double random_value(int ties)
{
	double u = test_rand(&rng);

	if (ties)
		return (double)(int)(u * 5);
	if (u < 0.03)
		return INFINITY;
	return (u - 0.2) * 1000;
}

static void test_median_brute_force(void)
{
	size_t round, bad = 0;

	for (round = 0; round < 3000; round++) {
		size_t n = round % 23, i;
		int ties = round % 3 == 0;
		double v[32], copy[32];

		for (i = 0; i < n; i++)
			v[i] = copy[i] = random_value(ties);
		if (!same(geo_median(v, n), ref_median(copy, n)))
			bad++;
	}
	CHECK_INT(bad, 0);
}

static void test_median_by_hand(void)
{
	double odd[] = {5, 1, 3}, even[] = {4, 1, 3, 2}, one[] = {7};
	double inf[] = {1, INFINITY}, all_inf[] = {INFINITY, INFINITY, 2};

	CHECK(isnan(geo_median(NULL, 0)));
	CHECK_NEAR(geo_median(odd, 3), 3, 0);
	CHECK_NEAR(geo_median(even, 4), 2.5, 0);
	CHECK_NEAR(geo_median(one, 1), 7, 0);
	CHECK(isinf(geo_median(inf, 2)));
	CHECK(isinf(geo_median(all_inf, 3)));
}

static void test_weighted_brute_force(void)
{
	size_t round, bad = 0, exact_half = 0;

	for (round = 0; round < 6000; round++) {
		size_t n = round % 19, i;
		int ties = round % 2 == 0, small_w = round % 4 < 2;
		enum geo_median_half half =
		    round % 8 < 4 ? GEO_MEDIAN_MEAN : GEO_MEDIAN_LOWER;
		struct geo_median_item p[32];
		double v[32], w[32], got, want, acc = 0, total = 0;

		for (i = 0; i < n; i++) {
			double u = test_rand(&rng);

			v[i] = random_value(ties);
			/* small integers (sums exact, so exactly half is
			 * common) with zeros, or reals */
			w[i] = small_w ? (double)(int)(u * 4) : u * 10;
			if (!small_w && u < 0.2)
				w[i] = 0;
			p[i].v = v[i];
			p[i].w = w[i];
			total += w[i];
		}
		got = geo_median_weighted(p, n, half);
		want = ref_weighted(v, w, n, half);
		if (!same(got, want))
			bad++;
		/* count the rounds that test the exact-half rule */
		qsort(v, n, sizeof(double), cmp_d);
		for (i = 0; i < n && total > 0; i++) {
			acc = 0;
			for (size_t j = 0; j < n; j++)
				if (p[j].v <= v[i])
					acc += p[j].w;
			if (acc == total / 2) {
				exact_half++;
				break;
			}
		}
	}
	CHECK_INT(bad, 0);
	CHECK(exact_half > 300);
}

/* With every weight 1 and GEO_MEDIAN_MEAN, the weighted median is the
 * plain one. */
static void test_unit_weights_are_plain(void)
{
	size_t round, bad = 0;

	for (round = 0; round < 1000; round++) {
		size_t n = round % 17, i;
		struct geo_median_item p[32];
		double v[32];

		for (i = 0; i < n; i++) {
			v[i] = random_value(round % 2);
			p[i].v = v[i];
			p[i].w = 1;
		}
		if (!same(geo_median_weighted(p, n, GEO_MEDIAN_MEAN),
			  geo_median(v, n)))
			bad++;
	}
	CHECK_INT(bad, 0);
}

static void test_weighted_by_hand(void)
{
	struct geo_median_item a[] = {{3, 1}, {1, 1}, {2, 0}, {5, 2}};
	struct geo_median_item b[] = {{3, 1}, {1, 1}, {2, 0}, {5, 2}};
	struct geo_median_item z[] = {{1, 0}, {2, 0}};
	struct geo_median_item c[] = {{10, 5}, {1, 1}, {2, 1}};

	/* weight 2 at or below 3 of 4: exactly half; 2 has weight 0 */
	CHECK_NEAR(geo_median_weighted(a, 4, GEO_MEDIAN_MEAN), 4, 0);
	CHECK_NEAR(geo_median_weighted(b, 4, GEO_MEDIAN_LOWER), 3, 0);
	CHECK(isnan(geo_median_weighted(z, 2, GEO_MEDIAN_MEAN)));
	CHECK(isnan(geo_median_weighted(NULL, 0, GEO_MEDIAN_LOWER)));
	CHECK_NEAR(geo_median_weighted(c, 3, GEO_MEDIAN_MEAN), 10, 0);
}

static const struct test tests[] = {
    TEST(test_median_brute_force),   TEST(test_median_by_hand),
    TEST(test_weighted_brute_force), TEST(test_unit_weights_are_plain),
    TEST(test_weighted_by_hand),     {0}};

int main(void)
{
	return test_main("median", tests);
}
