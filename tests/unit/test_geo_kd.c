/*
 * test_geo_kd.c - the spatial index, the parallel loop, distance units
 * and the write side of analysis results, each against a brute-force
 * reference or values worked by hand.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_result.h"
#include "core/core_taxonomy.h"
#include "core/core_units.h"
#include "core/core_ws.h"
#include "geo/geo_kd.h"
#include "geo/geo_par.h"
#include "tests/unit/testlib.h"

/* A small deterministic generator (xorshift), so failures repeat. */
static uint64_t rng = 88172645463325252ULL;

/* The brute-force answers, with geo_kd.h's tie and edge rules. */
static size_t bf_nearest(const double *x, const double *y, size_t n, double qx,
			 double qy, double *d)
{
	size_t best = (size_t)-1, i;
	double best2 = INFINITY;

	for (i = 0; i < n; i++) {
		double dx = x[i] - qx, dy = y[i] - qy;
		double d2 = dx * dx + dy * dy;

		if (isnan(d2))
			continue;
		if (d2 < best2) {
			best2 = d2;
			best = i;
		}
	}
	*d = sqrt(best2);
	return best;
}

static size_t bf_count(const double *x, const double *y, size_t n, double qx,
		       double qy, double r)
{
	size_t c = 0, i;

	for (i = 0; i < n; i++) {
		double dx = x[i] - qx, dy = y[i] - qy;

		c += dx * dx + dy * dy <= r * r;
	}
	return c;
}

/* Random points on a coarse grid, so exact ties and points exactly on a
 * radius are common, not rare. */
static void grid_points(double *x, double *y, size_t n, int cells)
{
	size_t i;

	for (i = 0; i < n; i++) {
		x[i] = 100.0 * (int)(test_rand(&rng) * cells);
		y[i] = 100.0 * (int)(test_rand(&rng) * cells);
	}
}

static void test_kd_nearest_brute_force(void)
{
	static const size_t sizes[] = {0, 1, 2, 7, 8, 9, 100, 3000};
	size_t s;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s], q, bad = 0;
		double *x = malloc((n + 1) * sizeof(double));
		double *y = malloc((n + 1) * sizeof(double));
		struct geo_kd *kd;

		grid_points(x, y, n, 30);
		kd = geo_kd_new(x, y, n);
		CHECK_INT(geo_kd_size(kd), n);
		for (q = 0; q < 500; q++) {
			double qx = 100.0 * (int)(test_rand(&rng) * 34) - 200;
			double qy = 100.0 * (int)(test_rand(&rng) * 34) - 200;
			double d1, d2;
			size_t a = geo_kd_nearest(kd, qx, qy, &d1);
			size_t b = bf_nearest(x, y, n, qx, qy, &d2);

			if (a != b || (n && d1 != d2))
				bad++;
		}
		if (bad)
			test_fail(__FILE__, __LINE__,
				  "n=%zu: %zu of 500 nearest differ", n, bad);
		geo_kd_free(kd);
		free(x);
		free(y);
	}
}

static int cmp_pair(const void *a, const void *b)
{
	const double *p = a, *q = b;

	if (p[0] != q[0])
		return p[0] < q[0] ? -1 : 1;
	return p[1] < q[1] ? -1 : p[1] > q[1];
}

static void test_kd_knn_brute_force(void)
{
	size_t n = 500, q, i, k = 12, bad = 0;
	double x[500], y[500], pairs[500][2], dist[12];
	size_t idx[12];
	struct geo_kd *kd;

	grid_points(x, y, n, 20);
	kd = geo_kd_new(x, y, n);
	for (q = 0; q < 200; q++) {
		double qx = 100.0 * (int)(test_rand(&rng) * 20);
		double qy = 100.0 * (int)(test_rand(&rng) * 20);
		size_t m = geo_kd_knn(kd, qx, qy, k, idx, dist);

		for (i = 0; i < n; i++) {
			double dx = x[i] - qx, dy = y[i] - qy;

			pairs[i][0] = dx * dx + dy * dy;
			pairs[i][1] = (double)i;
		}
		qsort(pairs, n, sizeof(pairs[0]), cmp_pair);
		if (m != k)
			bad++;
		for (i = 0; i < m; i++)
			if (idx[i] != (size_t)pairs[i][1] ||
			    dist[i] != sqrt(pairs[i][0]))
				bad++;
	}
	CHECK_INT(bad, 0);
	/* more than there are: all of them */
	CHECK_INT(geo_kd_knn(kd, 0, 0, 12, idx, NULL), 12);
	geo_kd_free(kd);
	kd = geo_kd_new(x, y, 5);
	CHECK_INT(geo_kd_knn(kd, 0, 0, 12, idx, dist), 5);
	CHECK(dist[0] <= dist[1] && dist[3] <= dist[4]);
	geo_kd_free(kd);
}

struct sum_ctx {
	size_t n;
	double dsum;
};

static void visit(void *ctx, size_t i, double d)
{
	struct sum_ctx *c = ctx;

	(void)i;
	c->n++;
	c->dsum += d;
}

static void test_kd_within_brute_force(void)
{
	size_t n = 2000, q, bad = 0;
	double *x = malloc(n * sizeof(double)), *y = malloc(n * sizeof(double));
	struct geo_kd *kd;

	double *w = malloc(n * sizeof(double)), *prefix;

	grid_points(x, y, n, 40);
	/* weights: small integers, so every sum is exact whatever order
	 * it is added in */
	for (q = 0; q < n; q++)
		w[q] = (double)(q % 7);
	kd = geo_kd_new(x, y, n);
	prefix = geo_kd_prefix_new(kd, w);
	for (q = 0; q < 400; q++) {
		double qx = 100.0 * (int)(test_rand(&rng) * 40);
		double qy = 100.0 * (int)(test_rand(&rng) * 40);
		/* radii of whole grid steps and 3-4-5 triangles put many
		 * points exactly on the circle */
		double r =
		    q % 3 == 0 ? 500.0 : 100.0 * (int)(test_rand(&rng) * 15);
		struct sum_ctx c = {0, 0};
		size_t want = bf_count(x, y, n, qx, qy, r);

		if (geo_kd_count_within(kd, qx, qy, r) != want)
			bad++;
		geo_kd_within(kd, qx, qy, r, visit, &c);
		if (c.n != want)
			bad++;
		{
			double ws = 0;
			size_t i;

			for (i = 0; i < n; i++) {
				double dx = x[i] - qx, dy = y[i] - qy;
				if (dx * dx + dy * dy <= r * r)
					ws += w[i];
			}
			if (geo_kd_sum_within(kd, prefix, qx, qy, r) != ws)
				bad++;
		}
	}
	CHECK_INT(bad, 0);
	CHECK_NEAR(geo_kd_sum_within(kd, prefix, NAN, 0, 100), 0, 0);
	geo_kd_free(kd);
	geo_kd_prefix_free(prefix);
	free(w);
	free(x);
	free(y);
}

static void test_kd_edges_by_hand(void)
{
	/* a 3-4-5 triangle: (3, 4) is exactly 5 from the origin */
	double x[] = {3, -3, 0, 6, NAN}, y[] = {4, -4, 5, 8, 1};
	struct geo_kd *kd = geo_kd_new(x, y, 5);
	double d;

	CHECK_INT(geo_kd_size(kd), 4); /* the NaN point is left out */
	CHECK_INT(geo_kd_count_within(kd, 0, 0, 5), 3);
	CHECK_INT(geo_kd_count_within(kd, 0, 0, 4.999), 0);
	CHECK_INT(geo_kd_count_within(kd, 0, 0, 10), 4);
	/* three points tie at 5: the smallest index wins */
	CHECK_INT(geo_kd_nearest(kd, 0, 0, &d), 0);
	CHECK_NEAR(d, 5.0, 0);
	CHECK_INT(geo_kd_nearest(kd, 6, 8.5, &d), 3);
	CHECK_NEAR(d, 0.5, 1e-12);
	geo_kd_free(kd);
	kd = geo_kd_new(NULL, NULL, 0);
	CHECK_INT(geo_kd_nearest(kd, 0, 0, &d), (size_t)-1);
	CHECK(isinf(d));
	CHECK_INT(geo_kd_count_within(kd, 0, 0, 1e9), 0);
	geo_kd_free(kd);
}

static void test_kd_batches_match_single_queries(void)
{
	size_t n = 3000, m = 20000, i, bad = 0;
	double *x = malloc(n * sizeof(double)), *y = malloc(n * sizeof(double));
	double *qx = malloc(m * sizeof(double)),
	       *qy = malloc(m * sizeof(double));
	double *sx = malloc(m * sizeof(double)),
	       *sy = malloc(m * sizeof(double));
	double *dist = malloc(m * sizeof(double));
	size_t *idx = malloc(m * sizeof(size_t)),
	       *cnt = malloc(m * sizeof(size_t));
	uint32_t *order, *seen = calloc(m, sizeof(uint32_t));
	struct geo_kd *kd;

	grid_points(x, y, n, 60);
	grid_points(qx, qy, m, 70);
	qx[5] = NAN;
	kd = geo_kd_new(x, y, n);
	order = geo_kd_order(qx, qy, m);
	/* a permutation */
	for (i = 0; i < m; i++)
		if (order[i] < m)
			seen[order[i]]++;
	for (i = 0; i < m; i++)
		bad += seen[i] != 1;
	CHECK_INT(bad, 0);
	/* through the permutation, through moved arrays, and unordered */
	geo_kd_nearest_all(kd, qx, qy, m, order, idx, dist);
	for (i = 0; i < m; i++) {
		double d;
		size_t want = geo_kd_nearest(kd, qx[i], qy[i], &d);

		if (i == 5)
			bad += idx[i] != (size_t)-1 || !isnan(dist[i]);
		else
			bad += idx[i] != want || dist[i] != d;
	}
	CHECK_INT(bad, 0);
	geo_kd_permute(qx, sx, sizeof(double), m, order);
	geo_kd_permute(qy, sy, sizeof(double), m, order);
	geo_kd_nearest_all(kd, sx, sy, m, NULL, idx, dist);
	geo_kd_count_within_all(kd, sx, sy, m, 300, NULL, cnt);
	for (i = 0; i < m; i++) {
		double d;
		size_t j = order[i];

		if (j == 5)
			continue;
		bad += idx[i] != geo_kd_nearest(kd, qx[j], qy[j], &d) ||
		       dist[i] != d;
		bad += cnt[i] != bf_count(x, y, n, qx[j], qy[j], 300);
	}
	CHECK_INT(bad, 0);
	geo_kd_count_within_all(kd, qx, qy, m, 250, order, cnt);
	CHECK_INT(cnt[5], 0);
	for (i = 0; i < m; i += 7)
		if (i != 5)
			bad += cnt[i] != bf_count(x, y, n, qx[i], qy[i], 250);
	CHECK_INT(bad, 0);
	geo_kd_free(kd);
	/* Dense points and queries in spatial order, so that blocks of
	 * queries share their candidates (geo_kd.c, nearest_range): every
	 * answer, ties included, as brute force gives it. */
	{
		size_t n2 = 20000, j;
		double *x2 = malloc(n2 * sizeof(double));
		double *y2 = malloc(n2 * sizeof(double));

		grid_points(x2, y2, n2, 400);
		grid_points(qx, qy, m, 420);
		kd = geo_kd_new(x2, y2, n2);
		free(order);
		order = geo_kd_order(qx, qy, m);
		geo_kd_permute(qx, sx, sizeof(double), m, order);
		geo_kd_permute(qy, sy, sizeof(double), m, order);
		geo_kd_nearest_all(kd, sx, sy, m, NULL, idx, dist);
		for (j = 0; j < m; j += 3) {
			double d;
			size_t want = bf_nearest(x2, y2, n2, sx[j], sy[j], &d);

			bad += idx[j] != want || dist[j] != d;
		}
		CHECK_INT(bad, 0);
		geo_kd_free(kd);
		free(x2), free(y2);
	}
	/* an empty tree: nothing is near */
	kd = geo_kd_new(x, y, 0);
	geo_kd_nearest_all(kd, qx, qy, 10, NULL, idx, dist);
	CHECK_INT(idx[0], (size_t)-1);
	CHECK(isinf(dist[0]));
	geo_kd_free(kd);
	free(x), free(y), free(qx), free(qy), free(sx), free(sy);
	free(dist), free(idx), free(cnt), free(order), free(seen);
}

struct par_ctx {
	unsigned char *hit;
	int bad;
};

static void mark(void *ctx, size_t b, size_t e, int worker)
{
	struct par_ctx *c = ctx;
	size_t i;

	if (worker < 0 || worker >= geo_par_threads())
		c->bad = 1;
	for (i = b; i < e; i++)
		c->hit[i]++;
}

static void test_par_for_covers_once(void)
{
	static const size_t sizes[] = {1, 255, 256, 257, 100000};
	size_t s, i;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct par_ctx c;
		size_t wrong = 0;

		c.hit = calloc(sizes[s], 1);
		c.bad = 0;
		geo_par_for(sizes[s], s == 4 ? 0 : 7, mark, &c);
		for (i = 0; i < sizes[s]; i++)
			wrong += c.hit[i] != 1;
		CHECK_INT(wrong, 0);
		CHECK_INT(c.bad, 0);
		free(c.hit);
	}
	CHECK(geo_par_threads() >= 1);
}

static void test_units(void)
{
	struct core_err err = CORE_ERR_INIT;
	enum core_unit u;
	double m;
	char buf[32];

	CHECK_INT(core_units_parse_distance("500m", "--within", &m, &err), 0);
	CHECK_NEAR(m, 500, 0);
	CHECK_INT(core_units_parse_distance("2mi", "--within", &m, &err), 0);
	CHECK_NEAR(m, 3218.688, 1e-9);
	CHECK_INT(core_units_parse_distance("3 km", "--within", &m, &err), 0);
	CHECK_NEAR(m, 3000, 0);
	CHECK_INT(core_units_parse_distance("0.5MI", "--within", &m, &err), 0);
	CHECK_NEAR(m, 804.672, 1e-9);
	CHECK_INT(core_units_parse_distance("5", "--within", &m, &err),
		  CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "no unit");
	CHECK_INT(core_units_parse_distance("-1km", "--within", &m, &err),
		  CORE_EUSAGE);
	CHECK_INT(core_units_parse_distance("2 parsecs", "--within", &m, &err),
		  CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "parsecs");
	CHECK_INT(core_units_parse("km", &u, &err), 0);
	CHECK_INT(u, CORE_UNIT_KM);
	CHECK_INT(core_units_parse("furlongs", &u, &err), CORE_EUSAGE);
	CHECK_STR(core_units_format(1609.344, CORE_UNIT_MI, buf, sizeof(buf)),
		  "1.00 mi");
	CHECK_STR(core_units_format(1234.4, CORE_UNIT_M, buf, sizeof(buf)),
		  "1234 m");
	CHECK_STR(core_units_format(NAN, CORE_UNIT_KM, buf, sizeof(buf)), "-");
	/* A chosen distance in prose: no trailing zeros. */
	CHECK_STR(
	    core_units_format_short(1609.344, CORE_UNIT_MI, buf, sizeof(buf)),
	    "1 mi");
	CHECK_STR(
	    core_units_format_short(804.672, CORE_UNIT_MI, buf, sizeof(buf)),
	    "0.5 mi");
	CHECK_STR(core_units_format_short(1250, CORE_UNIT_KM, buf, sizeof(buf)),
		  "1.25 km");
	CHECK_STR(core_units_format_short(800, CORE_UNIT_M, buf, sizeof(buf)),
		  "800 m");
	CHECK_STR(
	    core_units_format_short(10000, CORE_UNIT_KM, buf, sizeof(buf)),
	    "10 km");
	CHECK_STR(core_units_format_short(0, CORE_UNIT_MI, buf, sizeof(buf)),
		  "0 mi");
	CHECK_STR(core_units_format_short(NAN, CORE_UNIT_MI, buf, sizeof(buf)),
		  "-");
}

static void test_result_write_side(void)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	struct core_result_writer *w = NULL;
	char path[512];
	int64_t run = 0, n = 0, ids[3] = {7, 8, 9};
	double dist[3] = {1.5, NAN, 3e5};
	const char *type = NULL;
	void *data = NULL;
	size_t cnt = 0;

	snprintf(path, sizeof(path), "%s/results.db", test_tmpdir());
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	CHECK_INT(
	    core_ws_create(path, "EPSG:3310", core_taxonomy_seed, &ws, &err),
	    0);
	if (!ws)
		return;
	CHECK_INT(core_ws_begin(ws, &err), 0);
	CHECK_INT(core_run_create(ws, "nearest", "{\"within_m\":1609.344}",
				  "tract", NULL, &run, &err),
		  0);
	CHECK(run > 0);
	CHECK_INT(core_result_info_add(ws, run, "n", CORE_RK_COHORT_COUNT, NULL,
				       "People", 0, &err),
		  0);
	CHECK_INT(core_result_writer_new(ws, run, &w, &err), 0);
	CHECK_INT(core_result_area_put(w, "06999000100", "n", 12, &err), 0);
	CHECK_INT(core_result_area_put(w, "06999000200", "n", NAN, &err), 0);
	/* a table of values: 300 areas x 2 names, through the multi-row
	 * statements and the row-by-row tail, in key order */
	{
		static char g[300][16];
		const char *geoid[300], *names[2] = {"z_last", "a_first"};
		double v0[300], v1[300];
		const double *vals[2] = {v0, v1};
		int64_t sum = 0;
		size_t k;

		for (k = 0; k < 300; k++) {
			snprintf(g[k], sizeof(g[k]), "06998%06zu", k);
			geoid[k] = g[k];
			v0[k] = (double)k;
			v1[k] = k == 17 ? NAN : 1000.0 + (double)k;
		}
		CHECK_INT(core_result_area_table_put(w, 300, geoid, 2, names,
						     vals, &err),
			  0);
		CHECK_INT(core_ws_int(ws, &err,
				      "SELECT count(*) FROM results_area"
				      " WHERE geoid LIKE '06998%'",
				      &n),
			  0);
		CHECK_INT(n, 600);
		CHECK_INT(core_ws_int(ws, &err,
				      "SELECT sum(value) FROM results_area"
				      " WHERE name = 'z_last'",
				      &sum),
			  0);
		CHECK_INT(sum, 299 * 300 / 2);
		CHECK_INT(
		    core_ws_int(
			ws, &err,
			"SELECT value FROM results_area"
			" WHERE geoid = '06998000299' AND name = 'a_first'",
			&sum),
		    0);
		CHECK_INT(sum, 1299);
		CHECK_INT(
		    core_ws_int(
			ws, &err,
			"SELECT count(*) FROM results_area"
			" WHERE geoid = '06998000017' AND name = 'a_first'"
			" AND value IS NULL",
			&n),
		    0);
		CHECK_INT(n, 1);
		CHECK_INT(core_ws_exec(ws, &err,
				       "DELETE FROM results_area"
				       " WHERE geoid LIKE '06998%'"),
			  0);
	}
	core_result_writer_free(w);
	CHECK_INT(
	    core_result_column_put(ws, run, "member_id", "i8", 3, ids, &err),
	    0);
	CHECK_INT(
	    core_result_column_put(ws, run, "dist_food", "f8", 3, dist, &err),
	    0);
	CHECK_INT(core_result_column_put(ws, run, "bad", "f4", 3, dist, &err),
		  CORE_EFAIL);
	CHECK_INT(core_run_summary_set(ws, run, "{\"people\":3}", &err), 0);
	CHECK_INT(core_ws_commit(ws, &err), 0);

	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT count(*) FROM results_area"
			      " WHERE value IS NULL",
			      &n),
		  0);
	CHECK_INT(n, 1);
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT count(*) FROM runs WHERE"
			      " created_at = '2023-11-14T22:13:20Z' AND"
			      " level = 'tract' AND sources = '[]'",
			      &n),
		  0);
	CHECK_INT(n, 1);
	CHECK_INT(core_result_column_load(ws, run, "dist_food", &type, &cnt,
					  &data, &err),
		  0);
	CHECK_STR(type, "f8");
	CHECK_INT(cnt, 3);
	if (data) {
		CHECK_NEAR(((double *)data)[0], 1.5, 0);
		CHECK(isnan(((double *)data)[1]));
		CHECK_NEAR(((double *)data)[2], 3e5, 0);
	}
	free(data);
	data = NULL;
	CHECK_INT(core_result_column_load(ws, run, "member_id", &type, &cnt,
					  &data, &err),
		  0);
	if (data)
		CHECK_INT(((int64_t *)data)[2], 9);
	free(data);
	CHECK_INT(
	    core_result_column_load(ws, run, "nope", &type, &cnt, &data, &err),
	    CORE_ENOTFOUND);
	/* deleting the run takes its values with it */
	CHECK_INT(core_ws_exec(ws, &err, "DELETE FROM runs"), 0);
	CHECK_INT(core_ws_int(ws, &err,
			      "SELECT (SELECT count(*) FROM"
			      " results_area) + (SELECT count(*) FROM"
			      " results_column) + (SELECT count(*) FROM"
			      " results_info)",
			      &n),
		  0);
	CHECK_INT(n, 0);
	unsetenv("SOURCE_DATE_EPOCH");
	core_ws_close(ws);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(test_kd_nearest_brute_force),
	    TEST(test_kd_knn_brute_force),
	    TEST(test_kd_within_brute_force),
	    TEST(test_kd_edges_by_hand),
	    TEST(test_kd_batches_match_single_queries),
	    TEST(test_par_for_covers_once),
	    TEST(test_units),
	    TEST(test_result_write_side),
	    {NULL, NULL}};
	int rc = test_main("geo_kd", tests);

	core_ws_shutdown();
	return rc;
}
