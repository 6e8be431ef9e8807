/*
 * test_classify.c - classification methods and palettes, against values
 * worked by hand from the rules stated in render_classify.h and
 * ColorBrewer's published schemes.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/render_classify.h"
#include "render/render_palette.h"
#include "testlib.h"

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* ---------------------------------------------------------------------
 * Classification, worked by hand from the rule in render_classify.h:
 * break i is the value of rank ceil(i * m / k); ties merge.
 * ------------------------------------------------------------------ */

static void test_quantile_breaks(void)
{
	const double v[] = {7, 3, 10, 1, 9, 2, 5, 4, 8, 6};
	const double w[] = {1, 2, 3, 4, 5, 6, 7};
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;
	int i;

	/* m = 10, k = 5: ranks 2, 4, 6, 8 -> breaks 2, 4, 6, 8, max 10 */
	CHECK_INT(render_classify_quantile(v, 10, 5, &c, &err), CORE_OK);
	CHECK_INT(c.n, 5);
	for (i = 0; i < 5; i++) {
		CHECK_NEAR(c.upper[i], 2.0 * (i + 1), 0);
		CHECK_INT(c.count[i], 2);
		CHECK_NEAR(c.lo[i], 2.0 * i + 1, 0);
		CHECK_NEAR(c.hi[i], 2.0 * i + 2, 0);
	}
	CHECK_INT(c.nodata, 0);
	/* A value on a break goes in the lower class. */
	CHECK_INT(render_class_of(&c, 2), 0);
	CHECK_INT(render_class_of(&c, 2.0001), 1);
	CHECK_INT(render_class_of(&c, 10), 4);
	CHECK_INT(render_class_of(&c, -5), 0);
	CHECK_INT(render_class_of(&c, 50), 4);

	/* m = 7, k = 4: ranks ceil(7/4)=2, ceil(14/4)=4, ceil(21/4)=6 */
	CHECK_INT(render_classify_quantile(w, 7, 4, &c, &err), CORE_OK);
	CHECK_INT(c.n, 4);
	CHECK_NEAR(c.upper[0], 2, 0);
	CHECK_NEAR(c.upper[1], 4, 0);
	CHECK_NEAR(c.upper[2], 6, 0);
	CHECK_NEAR(c.upper[3], 7, 0);
	CHECK_INT(c.count[0], 2);
	CHECK_INT(c.count[1], 2);
	CHECK_INT(c.count[2], 2);
	CHECK_INT(c.count[3], 1);
}

static void test_quantile_ties(void)
{
	const double ties[] = {1, 1, 1, 1, 2, 3};
	const double flat[] = {5, 5, 5, 5, 5};
	const double few[] = {2, 1};
	const double top[] = {1, 2, 9, 9, 9, 9};
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;
	int i;

	/* m = 6, k = 3: ranks 2 and 4 are both 1; merged: {1,1,1,1} {2,3} */
	CHECK_INT(render_classify_quantile(ties, 6, 3, &c, &err), CORE_OK);
	CHECK_INT(c.n, 2);
	CHECK_NEAR(c.upper[0], 1, 0);
	CHECK_NEAR(c.upper[1], 3, 0);
	CHECK_INT(c.count[0], 4);
	CHECK_INT(c.count[1], 2);
	CHECK_NEAR(c.lo[1], 2, 0);

	/* Constant data: one class. */
	CHECK_INT(render_classify_quantile(flat, 5, 5, &c, &err), CORE_OK);
	CHECK_INT(c.n, 1);
	CHECK_INT(c.count[0], 5);
	CHECK_NEAR(c.lo[0], 5, 0);
	CHECK_NEAR(c.hi[0], 5, 0);

	/* Fewer values than classes. */
	CHECK_INT(render_classify_quantile(few, 2, 5, &c, &err), CORE_OK);
	CHECK_INT(c.n, 2);
	CHECK_INT(c.count[0], 1);
	CHECK_INT(c.count[1], 1);

	/* A break equal to the maximum is dropped: m = 6, k = 3, ranks 2, 4
	 * give 2 and 9 = max, so {1,2} {9,9,9,9}. */
	CHECK_INT(render_classify_quantile(top, 6, 3, &c, &err), CORE_OK);
	CHECK_INT(c.n, 2);
	CHECK_INT(c.count[0], 2);
	CHECK_INT(c.count[1], 4);

	/* Never an empty class, whatever k. */
	for (i = 1; i <= 9; i++) {
		int k;
		CHECK_INT(render_classify_quantile(ties, 6, i, &c, &err),
			  CORE_OK);
		for (k = 0; k < c.n; k++)
			CHECK(c.count[k] > 0);
	}
}

static void test_quantile_nodata(void)
{
	const double v[] = {NAN, 3, INFINITY, 1, 2};
	const double none[] = {NAN, NAN};
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;

	CHECK_INT(render_classify_quantile(v, 5, 3, &c, &err), CORE_OK);
	CHECK_INT(c.n, 3);
	CHECK_INT(c.nodata, 2);
	CHECK_INT(c.count[0] + c.count[1] + c.count[2], 3);
	CHECK_INT(render_class_of(&c, NAN), -1);
	CHECK_INT(render_class_of(&c, 1), 0);
	CHECK_INT(render_class_of(&c, 3), 2);

	CHECK_INT(render_classify_quantile(none, 2, 5, &c, &err), CORE_OK);
	CHECK_INT(c.n, 0);
	CHECK_INT(c.nodata, 2);
	CHECK_INT(render_class_of(&c, 1), -1);

	CHECK_INT(render_classify_quantile(v, 5, 0, &c, &err), CORE_EUSAGE);
	CHECK_INT(render_classify_quantile(v, 5, 10, &c, &err), CORE_EUSAGE);
}

/* ---------------------------------------------------------------------
 * Equal interval, standard deviation, manual: worked by hand.
 * ------------------------------------------------------------------ */

static void test_equal(void)
{
	const double v[] = {3, 0, 10, 2, 1};
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;

	/* min 0, max 10, k = 2: width 5, break 5: {0,1,2,3} {10} */
	CHECK_INT(render_classify(v, 5, RENDER_EQUAL, 2, NULL, 0, &c, &err),
		  CORE_OK);
	CHECK_INT(c.n, 2);
	CHECK_NEAR(c.upper[0], 5, 0);
	CHECK_NEAR(c.upper[1], 10, 0);
	CHECK_INT(c.count[0], 4);
	CHECK_INT(c.count[1], 1);
	CHECK_NEAR(c.hi[0], 3, 0);
	CHECK_NEAR(c.lo[1], 10, 0);
	/* mean (0+1+2+3+10)/5 = 3.2; squared deviations 10.24 + 4.84 +
	 * 1.44 + 0.04 + 46.24 = 62.8, population sd sqrt(62.8 / 5) */
	CHECK_NEAR(c.mean, 3.2, 1e-12);
	CHECK_NEAR(c.sd, sqrt(12.56), 1e-12);

	/* k = 5: width 2, breaks 2 4 6 8.  (.., 2] = {0,1,2}: 2 is on a
	 * break and goes low; (2, 4] = {3}; (4, 6] and (6, 8] are empty
	 * and merge into the last class, (4, 10] = {10}. */
	CHECK_INT(render_classify(v, 5, RENDER_EQUAL, 5, NULL, 0, &c, &err),
		  CORE_OK);
	CHECK_INT(c.n, 3);
	CHECK_NEAR(c.upper[0], 2, 0);
	CHECK_NEAR(c.upper[1], 4, 0);
	CHECK_NEAR(c.upper[2], 10, 0);
	CHECK_INT(c.count[0], 3);
	CHECK_INT(c.count[1], 1);
	CHECK_INT(c.count[2], 1);
	CHECK_INT(render_class_of(&c, 2), 0);
	CHECK_INT(render_class_of(&c, 5), 2);
}

static void test_stddev(void)
{
	/* mean 40/8 = 5; deviations -3 -1 -1 -1 0 0 2 4, squares sum
	 * 9+1+1+1+0+0+4+16 = 32, population sd sqrt(32/8) = 2 */
	const double v[] = {2, 4, 4, 4, 5, 5, 7, 9};
	/* The class count asked for, the classes made, their upper bounds
	 * (the last is the maximum, exactly) and counts. */
	static const struct {
		int k, n;
		double upper[5];
		int count[5];
	} want[] = {
	    /* k = 3: breaks 5 - 0.5*2 = 4 and 5 + 0.5*2 = 6:
	     * {2,4,4,4} {5,5} {7,9} */
	    {3, 3, {4, 6, 9}, {4, 2, 2}},
	    /* k = 4: breaks 5 - 2 = 3, 5, 7: {2} {4,4,4,5,5} {7} {9} */
	    {4, 4, {3, 5, 7, 9}, {1, 5, 1, 1}},
	    /* k = 9: breaks 5 + (i - 4.5) * 2 = -2 0 2 4 6 8 10 12.  -2
	     * and 0 hold nothing (merged); 2: {2}; 4: {4,4,4}; 6: {5,5};
	     * 8: {7}; 10 and 12 lie past the maximum: the last class is
	     * (8, 9] = {9}. */
	    {9, 5, {2, 4, 6, 8, 9}, {1, 3, 2, 1, 1}},
	};
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;
	size_t t;
	int i;

	for (t = 0; t < sizeof(want) / sizeof(want[0]); t++) {
		CHECK_INT(render_classify(v, 8, RENDER_STDDEV, want[t].k, NULL,
					  0, &c, &err),
			  CORE_OK);
		CHECK_NEAR(c.mean, 5, 1e-12);
		CHECK_NEAR(c.sd, 2, 1e-12);
		CHECK_INT(c.n, want[t].n);
		for (i = 0; i < want[t].n && i < c.n; i++) {
			CHECK_NEAR(c.upper[i], want[t].upper[i],
				   i == want[t].n - 1 ? 0 : 1e-12);
			CHECK_INT(c.count[i], want[t].count[i]);
		}
	}
}

static void test_manual(void)
{
	const double v[] = {5, 10, 15, 20, 25, NAN};
	const double b2[] = {10, 20};
	const double far[] = {100};
	const double low[] = {1, 2, 12};
	const double bad1[] = {10, 10};
	const double bad2[] = {20, 10};
	const double bad3[] = {10, NAN};
	const double many[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;

	/* {5,10} (10 on the break goes low) {15,20} {25}; k is ignored */
	CHECK_INT(render_classify(v, 6, RENDER_MANUAL, 0, b2, 2, &c, &err),
		  CORE_OK);
	CHECK_INT(c.n, 3);
	CHECK_INT(c.count[0], 2);
	CHECK_INT(c.count[1], 2);
	CHECK_INT(c.count[2], 1);
	CHECK_INT(c.nodata, 1);
	CHECK_NEAR(c.upper[1], 20, 0);
	/* a break past the data: one class */
	CHECK_INT(render_classify(v, 6, RENDER_MANUAL, 0, far, 1, &c, &err),
		  CORE_OK);
	CHECK_INT(c.n, 1);
	CHECK_INT(c.count[0], 5);
	/* breaks 1 and 2 hold nothing and merge: {5,10} (12) {15,20,25} */
	CHECK_INT(render_classify(v, 6, RENDER_MANUAL, 0, low, 3, &c, &err),
		  CORE_OK);
	CHECK_INT(c.n, 2);
	CHECK_NEAR(c.upper[0], 12, 0);
	CHECK_INT(c.count[0], 2);
	CHECK_INT(c.count[1], 3);

	CHECK_INT(render_classify(v, 6, RENDER_MANUAL, 0, bad1, 2, &c, &err),
		  CORE_EUSAGE);
	CHECK(strstr(err.msg, "ascending") != NULL);
	CHECK_INT(render_classify(v, 6, RENDER_MANUAL, 0, bad2, 2, &c, &err),
		  CORE_EUSAGE);
	CHECK(strstr(err.msg, "break 2 (10)") != NULL);
	CHECK_INT(render_classify(v, 6, RENDER_MANUAL, 0, bad3, 2, &c, &err),
		  CORE_EUSAGE);
	CHECK(strstr(err.msg, "finite") != NULL);
	CHECK_INT(render_classify(v, 6, RENDER_MANUAL, 0, many, 9, &c, &err),
		  CORE_EUSAGE);
	CHECK(strstr(err.msg, "1 to 8") != NULL);
	CHECK_INT(render_classify(v, 6, RENDER_MANUAL, 0, NULL, 0, &c, &err),
		  CORE_EUSAGE);
}

/* Every method: all no-data, constant data, ties, fewer values than
 * classes, and never an empty class on random data. */
static void test_all_methods_edges(void)
{
	const double none[] = {NAN, INFINITY, -INFINITY};
	const double flat[] = {4, 4, 4, 4};
	const double ties[] = {1, 1, 1, 1, 2, 3};
	const double two[] = {2, 1};
	const double mb[] = {1.5};
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;
	double r[300];
	int m, k, i;

	srand(7);
	for (i = 0; i < 300; i++)
		r[i] = (double)(rand() % 50) * (i % 3 ? 1.0 : 0.37);
	for (m = RENDER_QUANTILE; m <= RENDER_MANUAL; m++) {
		const double *b = m == RENDER_MANUAL ? mb : NULL;
		size_t nb = m == RENDER_MANUAL ? 1 : 0;

		CHECK_INT(render_classify(none, 3, m, 4, b, nb, &c, &err),
			  CORE_OK);
		CHECK_INT(c.n, 0);
		CHECK_INT(c.nodata, 3);
		CHECK_INT(render_classify(flat, 4, m, 4, b, nb, &c, &err),
			  CORE_OK);
		CHECK_INT(c.n, 1);
		CHECK_INT(c.count[0], 4);
		CHECK_NEAR(c.upper[0], 4, 0);
		CHECK_INT(render_classify(two, 2, m, 5, b, nb, &c, &err),
			  CORE_OK);
		CHECK_INT(c.n, 2); /* manual 1.5 splits them too */
		CHECK_INT(c.count[0], 1);
		CHECK_INT(c.count[1], 1);
		for (k = 1; k <= 9; k++) {
			size_t tot = 0;
			int j;

			CHECK_INT(
			    render_classify(ties, 6, m, k, b, nb, &c, &err),
			    CORE_OK);
			/* ties are never split: the 1s share a class */
			CHECK(c.count[render_class_of(&c, 1)] >= 4);
			CHECK_INT(
			    render_classify(r, 300, m, k, b, nb, &c, &err),
			    CORE_OK);
			/* manual ignores k (one break: at most 2) */
			CHECK(c.n >= 1 && c.n <= (b ? 2 : k));
			for (j = 0; j < c.n; j++) {
				CHECK(c.count[j] > 0);
				CHECK(c.lo[j] <= c.hi[j]);
				CHECK(c.hi[j] <= c.upper[j]);
				if (j > 0)
					CHECK(c.lo[j] > c.upper[j - 1]);
				tot += c.count[j];
			}
			CHECK_INT(tot, 300);
			for (i = 0; i < 300; i++) {
				int cl = render_class_of(&c, r[i]);
				CHECK(r[i] >= c.lo[cl] && r[i] <= c.hi[cl]);
			}
		}
	}
	CHECK_INT(render_classify(ties, 6, RENDER_JENKS, 0, NULL, 0, &c, &err),
		  CORE_EUSAGE);
	CHECK_INT(
	    render_classify(ties, 6, RENDER_STDDEV, 10, NULL, 0, &c, &err),
	    CORE_EUSAGE);
}

static void test_method_names(void)
{
	enum render_method m;
	struct core_err err = CORE_ERR_INIT;

	CHECK_INT(render_method_parse("Natural", &m, &err), CORE_OK);
	CHECK_INT(m, RENDER_JENKS);
	CHECK_INT(render_method_parse("equal-interval", &m, &err), CORE_OK);
	CHECK_INT(m, RENDER_EQUAL);
	CHECK_INT(render_method_parse("SD", &m, &err), CORE_OK);
	CHECK_INT(m, RENDER_STDDEV);
	CHECK_INT(render_method_parse("median", &m, &err), CORE_EUSAGE);
	CHECK(strstr(err.msg, "'median'") && strstr(err.msg, "jenks"));
	for (m = RENDER_QUANTILE; m <= RENDER_MANUAL; m++) {
		enum render_method back;
		CHECK_INT(
		    render_method_parse(render_method_name(m), &back, &err),
		    CORE_OK);
		CHECK_INT(back, m);
	}
}

/* ---------------------------------------------------------------------
 * Fisher-Jenks
 * ------------------------------------------------------------------ */

static void test_jenks_hand(void)
{
	/* {0,1,5,6,8}, k = 2, each split's within-class sum of squares:
	 *   after 0: {0} 0 + {1,5,6,8} (mean 5) 16+0+1+9 = 26
	 *   after 1: {0,1} 0.25+0.25 + {5,6,8} (mean 19/3)
	 *            (4/3)^2+(1/3)^2+(5/3)^2 = 42/9: total 5.17
	 *   after 5: {0,1,5} (mean 2) 4+1+9 + {6,8} 1+1 = 16
	 *   after 6: {0,1,5,6} (mean 3) 9+4+4+9 + {8} 0 = 26
	 * Best: break 1. */
	const double v[] = {8, 0, 6, 1, 5};
	/* k = 3: {0,1}{5,6}{8} costs 0.5 + 0.5 + 0 = 1; {0,1}{5}{6,8}
	 * 0.5 + 0 + 2 = 2.5; {0}{1}{5,6,8} 4.67; {0,1,5}{6}{8} 14.
	 * Best: breaks 1, 6. */
	const double ties[] = {1, 1, 1, 1, 2, 3};
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;

	CHECK_INT(render_classify(v, 5, RENDER_JENKS, 2, NULL, 0, &c, &err),
		  CORE_OK);
	CHECK_INT(c.n, 2);
	CHECK_NEAR(c.upper[0], 1, 0);
	CHECK_NEAR(c.upper[1], 8, 0);
	CHECK_INT(render_classify(v, 5, RENDER_JENKS, 3, NULL, 0, &c, &err),
		  CORE_OK);
	CHECK_INT(c.n, 3);
	CHECK_NEAR(c.upper[0], 1, 0);
	CHECK_NEAR(c.upper[1], 6, 0);
	CHECK_INT(c.count[1], 2);
	/* 3 distinct values: at most 3 classes, the four 1s together */
	CHECK_INT(render_classify(ties, 6, RENDER_JENKS, 9, NULL, 0, &c, &err),
		  CORE_OK);
	CHECK_INT(c.n, 3);
	CHECK_INT(c.count[0], 4);
	CHECK_INT(render_classify(ties, 6, RENDER_JENKS, 2, NULL, 0, &c, &err),
		  CORE_OK);
	/* {1,1,1,1}{2,3} costs 0.5; {1,1,1,1,2}{3} costs 0.8 */
	CHECK_INT(c.n, 2);
	CHECK_NEAR(c.upper[0], 1, 0);
}

/* Within-class sum of squares of sorted s under c's classes. */
static double objective(const double *s, size_t n,
			const struct render_classes *c)
{
	double sum[RENDER_CLASSES_MAX] = {0}, tot = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum[render_class_of(c, s[i])] += s[i];
	for (i = 0; i < n; i++) {
		int k = render_class_of(c, s[i]);
		double d = s[i] - sum[k] / (double)c->count[k];
		tot += d * d;
	}
	return tot;
}

/* The textbook O(k n^2) dynamic programme on sorted s: the optimal cost
 * with k classes, and the upper value of each class into up[k]. */
static double brute_jenks(const double *s, size_t n, int k, double *up)
{
	double *D = calloc((size_t)k * n, sizeof(double));
	size_t *B = calloc((size_t)k * n, sizeof(size_t));
	double best;
	size_t i, j;
	int q;

	for (i = 0; i < n; i++) {
		double m = 0, ss = 0;
		for (j = 0; j <= i; j++)
			m += s[j];
		m /= (double)(i + 1);
		for (j = 0; j <= i; j++)
			ss += (s[j] - m) * (s[j] - m);
		D[i] = ss;
	}
	for (q = 1; q < k; q++) {
		for (i = (size_t)q; i < n; i++) {
			double sx = 0, sxx = 0;
			D[q * n + i] = HUGE_VAL;
			/* last class s[j..i], grown leftwards */
			for (j = i + 1; j-- > (size_t)q;) {
				double w, v;
				sx += s[j];
				sxx += s[j] * s[j];
				w = (double)(i - j + 1);
				v = D[(q - 1) * n + j - 1] + sxx - sx * sx / w;
				if (v < D[q * n + i]) {
					D[q * n + i] = v;
					B[q * n + i] = j;
				}
			}
		}
	}
	best = D[(k - 1) * n + n - 1];
	i = n - 1;
	up[k - 1] = s[n - 1];
	for (q = k - 1; q > 0; q--) {
		j = B[q * n + i];
		up[q - 1] = s[j - 1];
		i = j - 1;
	}
	free(D);
	free(B);
	return best;
}

static void test_jenks_brute(void)
{
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;
	double s[400], up[9];
	int trial, k;

	srand(11);
	for (trial = 0; trial < 12; trial++) {
		size_t n = 40 + (size_t)trial * 30, i;
		int tied = trial % 2;

		for (i = 0; i < n; i++) {
			/* clusters plus noise; odd trials rounded to make
			 * many ties */
			double x = (double)(rand() % 5) * 20 +
				   (double)rand() / RAND_MAX * 15;
			s[i] = tied ? floor(x / 3) : x;
		}
		qsort(s, n, sizeof(double), cmp_dbl);
		for (k = 2; k <= 9; k++) {
			double want, got;
			int j;

			CHECK_INT(render_classify(s, n, RENDER_JENKS, k, NULL,
						  0, &c, &err),
				  CORE_OK);
			CHECK_INT(c.n, k);
			got = objective(s, n, &c);
			want = brute_jenks(s, n, k, up);
			CHECK_NEAR(got, want, 1e-9 * (want + 1));
			if (!tied) /* continuous data: the optimum is unique */
				for (j = 0; j < k; j++)
					CHECK_NEAR(c.upper[j], up[j], 0);
		}
	}
}

static void test_jenks_speed(void)
{
	size_t n = 85000, i;
	double *v = malloc(n * sizeof(double));
	struct render_classes c;
	struct core_err err = CORE_ERR_INIT;
	struct timespec t0, t1;
	double ms;

	srand(3);
	for (i = 0; i < n; i++)
		v[i] = (double)rand() / RAND_MAX * 1000.0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(render_classify(v, n, RENDER_JENKS, 9, NULL, 0, &c, &err),
		  CORE_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("  jenks: 85,000 values, 9 classes: %.1f ms\n", ms);
	/* O(k n log n) takes tens of ms (more under sanitizers); the
	 * O(k n^2) textbook programme would take minutes */
	CHECK(ms < 2000);
	CHECK_INT(c.n, 9);
	free(v);
}

/* ---------------------------------------------------------------------
 * Palettes
 * ------------------------------------------------------------------ */

static void test_palette_exact(void)
{
	static const uint32_t ylorrd5[] = {0xffffb2, 0xfecc5c, 0xfd8d3c,
					   0xf03b20, 0xbd0026};
	static const char *const required[] = {"YlOrRd",  "YlGnBu", "Blues",
					       "Purples", "Greens", "Oranges",
					       "OrRd",	  "PuBu"};
	const struct render_palette *p;
	struct core_err err = CORE_ERR_INIT;
	uint32_t c[9];
	size_t i;
	int k, j;

	p = render_palette_find("ylorrd");
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_STR(p->name, "YlOrRd");
	CHECK_INT(render_palette_colors(p, 5, c, &err), CORE_OK);
	for (j = 0; j < 5; j++)
		CHECK_INT(c[j], ylorrd5[j]);
	CHECK_INT(p->colors[9 - 3][8], 0x800026);
	CHECK_INT(p->colors[3 - 3][0], 0xffeda0);

	p = render_palette_find("Blues");
	CHECK(p && p->colors[9 - 3][8] == 0x08306b);
	CHECK(p && p->colors[4 - 3][0] == 0xeff3ff);
	p = render_palette_find("YlGnBu");
	CHECK(p && p->colors[3 - 3][0] == 0xedf8b1);
	CHECK(p && p->colors[7 - 3][6] == 0x0c2c84);
	p = render_palette_find("PuBu");
	CHECK(p && p->colors[5 - 3][4] == 0x045a8d);
	p = render_palette_find("Greens");
	CHECK(p && p->colors[9 - 3][8] == 0x00441b);

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		CHECK(render_palette_find(required[i]) != NULL);
	CHECK(render_palette_find("Greys") == NULL);
	CHECK(render_palette_find("nope") == NULL);
	/* Every scheme: k colours for k = 3..kmax and nothing after; the
	 * sequential ones colour-blind safe with 3 to 9 classes. */
	for (i = 0; (p = render_palette_at(i)); i++) {
		if (render_palette_kind(p) == RENDER_SEQUENTIAL) {
			CHECK(p->cb_safe);
			CHECK_INT(p->kmax, 9);
		}
		for (k = 3; k <= RENDER_PALETTE_KMAX; k++) {
			for (j = 0; j < k && k <= p->kmax; j++)
				CHECK(p->colors[k - 3][j] != 0);
			for (j = k <= p->kmax ? k : 0; j < RENDER_PALETTE_KMAX;
			     j++)
				CHECK_INT(p->colors[k - 3][j], 0);
		}
	}
	CHECK_INT(i, render_palette_count());
	p = render_palette_find("YlOrRd");
	CHECK_INT(render_palette_colors(p, 1, c, &err), CORE_OK);
	CHECK_INT(c[0], 0xfeb24c);
	CHECK_INT(render_palette_colors(p, 2, c, &err), CORE_OK);
	CHECK_INT(c[0], 0xffeda0);
	CHECK_INT(c[1], 0xf03b20);
	CHECK_INT(render_palette_colors(p, 10, c, &err), CORE_EUSAGE);
	CHECK_INT(render_color_parse("#E6550d", &c[0]), 0);
	CHECK_INT(c[0], 0xe6550d);
	CHECK(render_color_parse("e6550d", &c[0]) != 0);
	CHECK(render_color_parse("#e6550", &c[0]) != 0);
	CHECK(render_color_parse("#e6550g", &c[0]) != 0);
}

/* Spot checks against colorbrewer_schemes.js (axismaps/colorbrewer),
 * whose rgb() triples are written here in hex. */
static void test_palette_diverging_qualitative(void)
{
	/* RdBu 3: rgb(239,138,98) rgb(247,247,247) rgb(103,169,207) */
	static const uint32_t rdbu3[] = {0xef8a62, 0xf7f7f7, 0x67a9cf};
	/* Spectral 6: (213,62,79) (252,141,89) (254,224,139) (230,245,152)
	 * (153,213,148) (50,136,189) */
	static const uint32_t spec6[] = {0xd53e4f, 0xfc8d59, 0xfee08b,
					 0xe6f598, 0x99d594, 0x3288bd};
	/* Dark2 8: (27,158,119) (217,95,2) (117,112,179) (231,41,138)
	 * (102,166,30) (230,171,2) (166,118,29) (102,102,102) */
	static const uint32_t dark8[] = {0x1b9e77, 0xd95f02, 0x7570b3,
					 0xe7298a, 0x66a61e, 0xe6ab02,
					 0xa6761d, 0x666666};
	const struct render_palette *p;
	struct core_err err = CORE_ERR_INIT;
	uint32_t c[12];
	int j;

	CHECK_INT(render_palette_count(), 17 + 9 + 8);
	p = render_palette_find("rdbu");
	CHECK(p && render_palette_kind(p) == RENDER_DIVERGING);
	if (!p)
		return;
	CHECK_INT(p->kmax, 11);
	CHECK_INT(render_palette_colors(p, 3, c, &err), CORE_OK);
	for (j = 0; j < 3; j++)
		CHECK_INT(c[j], rdbu3[j]);
	/* RdBu 11: (103,0,31) first, (247,247,247) middle, (5,48,97) last */
	CHECK_INT(p->colors[11 - 3][0], 0x67001f);
	CHECK_INT(p->colors[11 - 3][5], 0xf7f7f7);
	CHECK_INT(p->colors[11 - 3][10], 0x053061);
	CHECK_INT(render_palette_colors(p, 11, c, &err), CORE_OK);
	CHECK_INT(c[10], 0x053061);
	CHECK_INT(render_palette_colors(p, 12, c, &err), CORE_EUSAGE);
	CHECK(strstr(err.msg, "RdBu") && strstr(err.msg, "1 to 11"));
	/* two classes: the ends of the 3-class scheme */
	CHECK_INT(render_palette_colors(p, 2, c, &err), CORE_OK);
	CHECK_INT(c[0], 0xef8a62);
	CHECK_INT(c[1], 0x67a9cf);

	p = render_palette_find("Spectral");
	CHECK(p && p->colors[6 - 3][5] == spec6[5]);
	for (j = 0; p && j < 6; j++)
		CHECK_INT(p->colors[6 - 3][j], spec6[j]);
	/* BrBG 3: (216,179,101) (245,245,245) (90,180,172) */
	p = render_palette_find("BrBG");
	CHECK(p && p->colors[0][0] == 0xd8b365 && p->colors[0][1] == 0xf5f5f5 &&
	      p->colors[0][2] == 0x5ab4ac);
	/* PuOr 11 last (45,0,75); RdGy 11 middle (255,255,255) */
	p = render_palette_find("PuOr");
	CHECK(p && p->colors[11 - 3][10] == 0x2d004b);
	p = render_palette_find("RdGy");
	CHECK(p && p->colors[11 - 3][5] == 0xffffff);

	p = render_palette_find("Dark2");
	CHECK(p && render_palette_kind(p) == RENDER_QUALITATIVE);
	if (!p)
		return;
	CHECK_INT(p->kmax, 8);
	for (j = 0; j < 8; j++)
		CHECK_INT(p->colors[8 - 3][j], dark8[j]);
	CHECK_INT(render_palette_colors(p, 9, c, &err), CORE_EUSAGE);
	/* qualitative with two classes: its first two colours */
	CHECK_INT(render_palette_colors(p, 2, c, &err), CORE_OK);
	CHECK_INT(c[0], 0x1b9e77);
	CHECK_INT(c[1], 0xd95f02);
	/* Paired 12 last (177,89,40); Set3 12 last (255,237,111); Set2 8
	 * last (179,179,179); Pastel1 9 last (242,242,242); Set1 9 last
	 * (153,153,153); Accent 8 last (102,102,102) */
	p = render_palette_find("Paired");
	CHECK(p && p->kmax == 12 && p->colors[12 - 3][11] == 0xb15928);
	p = render_palette_find("Set3");
	CHECK(p && p->kmax == 12 && p->colors[12 - 3][11] == 0xffed6f);
	CHECK(p && render_palette_colors(p, 12, c, &err) == CORE_OK &&
	      c[11] == 0xffed6f);
	p = render_palette_find("Set2");
	CHECK(p && p->kmax == 8 && p->colors[8 - 3][7] == 0xb3b3b3);
	p = render_palette_find("Pastel1");
	CHECK(p && p->kmax == 9 && p->colors[9 - 3][8] == 0xf2f2f2);
	p = render_palette_find("Set1");
	CHECK(p && p->kmax == 9 && p->colors[9 - 3][8] == 0x999999);
	p = render_palette_find("Accent");
	CHECK(p && p->kmax == 8 && p->colors[8 - 3][7] == 0x666666);
	CHECK(strstr(render_palette_names(), "YlOrRd") &&
	      strstr(render_palette_names(), "Spectral") &&
	      strstr(render_palette_names(), "Set3"));
}

/* ColorBrewer's "blind" property: 1 = ok; 2 (maybe) and 0 are not. */
static void test_palette_cb_flags(void)
{
	static const char *const safe_div[] = {"BrBG", "PiYG", "PRGn",
					       "PuOr", "RdBu", "RdYlBu"};
	static const char *const unsafe[] = {"RdGy",   "RdYlGn",  "Spectral",
					     "Accent", "Pastel1", "Pastel2",
					     "Set1",   "Set3"};
	const struct render_palette *p;
	const char *w;
	size_t i;
	int k;

	for (i = 0; i < 6; i++) {
		p = render_palette_find(safe_div[i]);
		CHECK(p != NULL);
		for (k = 1; p && k <= 11; k++)
			CHECK(render_palette_cb_safe(p, k));
		CHECK(p && !render_palette_cb_safe(p, 12));
		CHECK(p && render_palette_cb_warning(p, 7) == NULL);
	}
	for (i = 0; i < 8; i++) {
		p = render_palette_find(unsafe[i]);
		CHECK(p != NULL);
		for (k = 1; p && k <= p->kmax; k++)
			CHECK(!render_palette_cb_safe(p, k));
	}
	p = render_palette_find("Dark2");
	CHECK(render_palette_cb_safe(p, 3) && !render_palette_cb_safe(p, 4));
	p = render_palette_find("Set2");
	CHECK(render_palette_cb_safe(p, 3) && !render_palette_cb_safe(p, 4));
	p = render_palette_find("Paired");
	CHECK(render_palette_cb_safe(p, 3) && render_palette_cb_safe(p, 4) &&
	      !render_palette_cb_safe(p, 5));
	p = render_palette_find("YlOrRd");
	for (k = 1; k <= 9; k++)
		CHECK(render_palette_cb_safe(p, k));
	CHECK(render_palette_cb_warning(p, 5) == NULL);

	p = render_palette_find("Spectral");
	w = render_palette_cb_warning(p, 5);
	CHECK(w && strstr(w, "Spectral") && strstr(w, "5 classes") &&
	      strstr(w, "RdBu") && !strstr(w, "RdYlGn"));
	p = render_palette_find("Set1");
	w = render_palette_cb_warning(p, 3);
	CHECK(w && strstr(w, "Dark2") && strstr(w, "Paired"));
	w = render_palette_cb_warning(p, 6);
	CHECK(w && strstr(w, "no qualitative scheme"));
}

/* sRGB -> CIELAB (D65), through a CVD simulation matrix (Machado,
 * Oliveira and Fernandes 2009, severity 1.0) in linear RGB, or none. */
static void cvd_lab(uint32_t c, const double (*m)[3], double lab[3])
{
	double rgb[3], sim[3], xyz[3], f[3];
	static const double wp[3] = {0.95047, 1.0, 1.08883};
	int i;

	for (i = 0; i < 3; i++) {
		double v = (double)((c >> (16 - 8 * i)) & 0xff) / 255.0;
		rgb[i] =
		    v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
	}
	for (i = 0; i < 3; i++) {
		sim[i] =
		    m ? m[i][0] * rgb[0] + m[i][1] * rgb[1] + m[i][2] * rgb[2]
		      : rgb[i];
		sim[i] = sim[i] < 0 ? 0 : sim[i] > 1 ? 1 : sim[i];
	}
	xyz[0] = 0.4124564 * sim[0] + 0.3575761 * sim[1] + 0.1804375 * sim[2];
	xyz[1] = 0.2126729 * sim[0] + 0.7151522 * sim[1] + 0.0721750 * sim[2];
	xyz[2] = 0.0193339 * sim[0] + 0.1191920 * sim[1] + 0.9503041 * sim[2];
	for (i = 0; i < 3; i++) {
		double t = xyz[i] / wp[i];
		f[i] =
		    t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116;
	}
	lab[0] = 116 * f[1] - 16;
	lab[1] = 500 * (f[0] - f[1]);
	lab[2] = 200 * (f[1] - f[2]);
}

static double bivar_min_de(const struct render_bivar_palette *b,
			   const double (*m)[3])
{
	double lab[9][3], best = HUGE_VAL;
	int i, j;

	for (i = 0; i < 9; i++)
		cvd_lab(b->colors[i / 3][i % 3], m, lab[i]);
	for (i = 0; i < 9; i++)
		for (j = i + 1; j < 9; j++) {
			double d = sqrt(pow(lab[i][0] - lab[j][0], 2) +
					pow(lab[i][1] - lab[j][1], 2) +
					pow(lab[i][2] - lab[j][2], 2));
			if (d < best)
				best = d;
		}
	return best;
}

static void test_bivariate(void)
{
	static const double protan[3][3] = {{0.152286, 1.052583, -0.204868},
					    {0.114503, 0.786281, 0.099216},
					    {-0.003882, -0.048116, 1.051998}};
	static const double deutan[3][3] = {{0.367322, 0.860646, -0.227968},
					    {0.280085, 0.672501, 0.047413},
					    {-0.011820, 0.042940, 0.968881}};
	const struct render_bivar_palette *b;
	size_t i;

	b = render_bivar_find(NULL);
	CHECK(b && b->cb_safe);
	CHECK(b && strcmp(b->name, "PurpleGold") == 0);
	CHECK(render_bivar_count() >= 3);
	/* Stevens' purple-gold corners (pals::stevens.purplegold order:
	 * low-low, x rising, then the rows above) */
	CHECK(b && b->colors[0][0] == 0xe8e8e8);
	CHECK(b && b->colors[0][2] == 0xc8b35a);
	CHECK(b && b->colors[2][0] == 0x9972af);
	CHECK(b && b->colors[2][2] == 0x804d36);
	b = render_bivar_find("bluered");
	CHECK(b && b->colors[0][2] == 0xc85a5a && b->colors[2][0] == 0x64acbe &&
	      b->colors[2][2] == 0x574249);
	CHECK(render_bivar_find("nope") == NULL);
	CHECK(strstr(render_bivar_names(), "GreenBlue") != NULL);
	/* The flag is the measurement the header states: every pair at
	 * least 10 Delta-E apart under protanopia and deuteranopia. */
	for (i = 0; (b = render_bivar_at(i)); i++) {
		double dp = bivar_min_de(b, protan),
		       dd = bivar_min_de(b, deutan);
		int safe = dp >= 10 && dd >= 10;

		printf("  bivariate %s: min Delta-E normal %.1f, protan %.1f, "
		       "deutan %.1f\n",
		       b->name, bivar_min_de(b, NULL), dp, dd);
		CHECK_INT(b->cb_safe, safe);
		CHECK(b->source && strstr(b->source, "Stevens"));
		/* low-low is the lightest corner, high-high the darkest */
		CHECK(b->colors[0][0] == 0xe8e8e8);
	}
	CHECK_INT(i, render_bivar_count());
}

static const struct test tests[] = {TEST(test_quantile_breaks),
				    TEST(test_quantile_ties),
				    TEST(test_quantile_nodata),
				    TEST(test_equal),
				    TEST(test_stddev),
				    TEST(test_manual),
				    TEST(test_all_methods_edges),
				    TEST(test_method_names),
				    TEST(test_jenks_hand),
				    TEST(test_jenks_brute),
				    TEST(test_jenks_speed),
				    TEST(test_palette_exact),
				    TEST(test_palette_diverging_qualitative),
				    TEST(test_palette_cb_flags),
				    TEST(test_bivariate),
				    {NULL, NULL}};

int main(void)
{
	return test_main("classify", tests);
}
