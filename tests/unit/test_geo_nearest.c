/*
 * test_geo_nearest.c - geo_nearest_run against a brute-force reference
 * on random points: people grouped in areas (some outside every area,
 * some without a location) and area points weighted by population,
 * with several categories (one empty, one with assets stacked on the
 * same place), the callback's order, and a failing callback.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "geo/geo_nearest.h"
#include "tests/unit/testlib.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sort, pick: the middle value or the mean of the two middle ones. */
static double bf_median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(double), cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The nearest asset by hand: ties to the smaller index. */
static void bf_nearest(const struct geo_supply *s, double x, double y,
		       double *d, int64_t *id)
{
	double best = INFINITY;
	size_t i;

	*id = -1;
	*d = NAN;
	if (isnan(x))
		return;
	for (i = 0; i < s->n; i++) {
		double dx = s->x[i] - x, dy = s->y[i] - y;
		double d2 = dx * dx + dy * dy;

		if (d2 < best) {
			best = d2;
			*id = s->id[i];
		}
	}
	if (*id >= 0)
		*d = sqrt(best);
}

/* Three categories: random assets, none, and two stacks of assets on
 * the same places. */
static void make_supply(struct geo_supply *s)
{
	size_t c, i;

	memset(s, 0, 3 * sizeof(*s));
	s[0].n = 40;
	s[1].n = 0;
	s[2].n = 6;
	for (c = 0; c < 3; c++) {
		size_t n = s[c].n ? s[c].n : 1;

		s[c].id = xmalloc(n * sizeof(int64_t));
		s[c].x = xmalloc(n * sizeof(double));
		s[c].y = xmalloc(n * sizeof(double));
		for (i = 0; i < s[c].n; i++) {
			s[c].id[i] = (int64_t)(100 * c + 2 * i + 1);
			if (c == 2) {
				s[c].x[i] = i < 3 ? 1000 : 7000;
				s[c].y[i] = i < 3 ? 2000 : 6000;
			} else {
				s[c].x[i] =
				    100.0 * (int)(test_rand(&rng) * 100);
				s[c].y[i] =
				    100.0 * (int)(test_rand(&rng) * 100);
			}
		}
	}
}

static void free_supply(struct geo_supply *s)
{
	size_t c;

	for (c = 0; c < 3; c++) {
		free(s[c].id);
		free(s[c].x);
		free(s[c].y);
	}
}

/* The callback: records the order and, when asked, fails at one. */
struct calls {
	size_t n, order[8];
	size_t fail_at; /* (size_t)-1: never */
	size_t npoints;
	int bad;
};

static int each(void *u, size_t c, const struct geo_nearest_cat *cat,
		struct core_err *err)
{
	struct calls *k = u;

	if (k->n < 8)
		k->order[k->n] = c;
	k->n++;
	if (!cat->dist || !cat->asset)
		k->bad++;
	if (c == k->fail_at)
		return core_err_set(err, CORE_EIO, "writing %zu failed", c);
	return CORE_OK;
}

static void test_people_brute_force(void)
{
	enum { N = 3000, NA = 12 };
	struct geo_supply s[3];
	double *x = xmalloc(N * sizeof(double)),
	       *y = xmalloc(N * sizeof(double));
	int32_t *area = xmalloc(N * sizeof(int32_t));
	double *v = xmalloc(N * sizeof(double));
	struct geo_nearest_in in;
	struct geo_nearest *r = NULL;
	struct core_err err = CORE_ERR_INIT;
	struct calls k = {0, {0}, (size_t)-1, N, 0};
	size_t i, c, a, bad_d = 0, bad_area = 0, bad_sum = 0;

	make_supply(s);
	for (i = 0; i < N; i++) {
		x[i] = 100.0 * (int)(test_rand(&rng) * 100);
		y[i] = 100.0 * (int)(test_rand(&rng) * 100);
		area[i] = (int32_t)(test_rand(&rng) * (NA + 1)) - 1;
		if (i % 97 == 0)
			x[i] = y[i] = NAN;
	}
	memset(&in, 0, sizeof(in));
	in.n = N;
	in.x = x;
	in.y = y;
	in.area = area;
	in.nareas = NA;
	in.ncats = 3;
	in.supply = s;
	in.beyond = 1500;
	in.each = each;
	in.ctx = &k;
	CHECK_INT(geo_nearest_run(&in, &r, &err), CORE_OK);
	if (!r) {
		free_supply(s);
		return;
	}
	CHECK_INT(k.n, 3);
	CHECK_INT(k.order[0], 0);
	CHECK_INT(k.order[1], 1);
	CHECK_INT(k.order[2], 2);
	CHECK_INT(k.bad, 0);
	CHECK_INT(r->nper, 3);
	for (c = 0; c < 3; c++) {
		const struct geo_nearest_cat *rc = &r->cat[c];
		int64_t near = 0, far = 0;
		size_t m = 0;

		for (i = 0; i < N; i++) {
			double d;
			int64_t id;

			bf_nearest(&s[c], x[i], y[i], &d, &id);
			if (id != rc->asset[i] ||
			    !((isnan(d) && isnan(rc->dist[i])) ||
			      fabs(d - rc->dist[i]) < 1e-9))
				bad_d++;
			if (isnan(x[i]))
				continue;
			if (isnan(d) || d > in.beyond)
				far++;
			else
				near++;
			v[m++] = isnan(d) ? INFINITY : d;
		}
		if (near != rc->near || far != rc->far)
			bad_sum++;
		{
			double want = bf_median(v, m);

			if (!(want == rc->median ||
			      (isnan(want) && isnan(rc->median))))
				bad_sum++;
		}
		for (a = 0; a < NA; a++) {
			size_t cnt = 0, nfar = 0;
			double med;

			m = 0;
			for (i = 0; i < N; i++) {
				double d;
				int64_t id;

				if (area[i] != (int32_t)a || isnan(x[i]))
					continue;
				bf_nearest(&s[c], x[i], y[i], &d, &id);
				cnt++;
				nfar += isnan(d) || d > in.beyond;
				v[m++] = isnan(d) ? INFINITY : d;
			}
			med = bf_median(v, m);
			if (isinf(med))
				med = NAN;
			if ((double)cnt != r->area_n[a] ||
			    (double)nfar != rc->area_val[1][a] ||
			    !((isnan(med) && isnan(rc->area_val[0][a])) ||
			      med == rc->area_val[0][a]) ||
			    (cnt && fabs((double)nfar / (double)cnt -
					 rc->area_val[2][a]) > 1e-12))
				bad_area++;
		}
	}
	CHECK_INT(bad_d, 0);
	CHECK_INT(bad_sum, 0);
	CHECK_INT(bad_area, 0);
	/* the empty category: nobody has an asset */
	CHECK_INT(r->cat[1].near, 0);
	CHECK(isinf(r->cat[1].median));
	geo_nearest_free(r);
	free_supply(s);
	free(x);
	free(y);
	free(area);
	free(v);
}

static void test_areas_brute_force(void)
{
	enum { N = 500 };
	struct geo_supply s[3];
	double *x = xmalloc(N * sizeof(double)),
	       *y = xmalloc(N * sizeof(double));
	double *pop = xmalloc(N * sizeof(double));
	struct geo_nearest_in in;
	struct geo_nearest *r = NULL;
	struct core_err err = CORE_ERR_INIT;
	size_t i, c, bad = 0;

	make_supply(s);
	for (i = 0; i < N; i++) {
		x[i] = 100.0 * (int)(test_rand(&rng) * 100);
		y[i] = 100.0 * (int)(test_rand(&rng) * 100);
		pop[i] = (double)(int)(test_rand(&rng) * 5);
		if (i % 50 == 0)
			x[i] = NAN;
	}
	memset(&in, 0, sizeof(in));
	in.n = N;
	in.x = x;
	in.y = y;
	in.population = pop;
	in.nareas = N;
	in.ncats = 3;
	in.supply = s;
	in.beyond = 2000;
	CHECK_INT(geo_nearest_run(&in, &r, &err), CORE_OK);
	if (!r) {
		free_supply(s);
		return;
	}
	CHECK_INT(r->nper, 2);
	for (c = 0; c < 3; c++) {
		const struct geo_nearest_cat *rc = &r->cat[c];
		double tot = 0, far = 0, acc = 0, med = NAN;
		size_t nareas = 0, m = 0;
		struct {
			double d, w;
		} *p = xmalloc(N * sizeof(*p));

		for (i = 0; i < N; i++) {
			double d;
			int64_t id;

			bf_nearest(&s[c], x[i], y[i], &d, &id);
			if (!((isnan(d) && isnan(rc->area_val[0][i])) ||
			      fabs(d - rc->area_val[0][i]) < 1e-9) ||
			    !((id < 0 && isnan(rc->area_val[1][i])) ||
			      (double)id == rc->area_val[1][i]) ||
			    r->area_n[i] != pop[i])
				bad++;
			if (isnan(x[i]))
				continue;
			nareas++;
			if (!(pop[i] > 0))
				continue;
			tot += pop[i];
			if (isnan(d) || d > in.beyond)
				far += pop[i];
			p[m].d = isnan(d) ? INFINITY : d;
			p[m].w = pop[i];
			m++;
		}
		/* lower weighted median: sort by distance (insertion), the
		 * first whose running weight reaches half */
		for (i = 1; i < m; i++)
			for (size_t j = i; j > 0 && p[j - 1].d > p[j].d; j--) {
				double td = p[j].d, tw = p[j].w;
				p[j] = p[j - 1];
				p[j - 1].d = td;
				p[j - 1].w = tw;
			}
		for (i = 0; i < m; i++) {
			acc += p[i].w;
			if (acc >= tot / 2) {
				med = p[i].d;
				break;
			}
		}
		if (nareas != rc->nareas || tot != rc->pop ||
		    far != rc->pop_far ||
		    !(med == rc->median || (isnan(med) && isnan(rc->median))))
			bad++;
		free(p);
	}
	CHECK_INT(bad, 0);
	geo_nearest_free(r);
	free_supply(s);
	free(x);
	free(y);
	free(pop);
}

/* A callback that fails stops the run with its error, and nothing
 * after it is handed over. */
static void test_callback_fails(void)
{
	enum { N = 50 };
	struct geo_supply s[3];
	double x[N], y[N];
	int32_t area[N];
	struct geo_nearest_in in;
	struct geo_nearest *r = (struct geo_nearest *)&in;
	struct core_err err = CORE_ERR_INIT;
	struct calls k = {0, {0}, 1, N, 0};
	size_t i;

	make_supply(s);
	for (i = 0; i < N; i++) {
		x[i] = 10.0 * (double)i;
		y[i] = 0;
		area[i] = (int32_t)(i % 3);
	}
	memset(&in, 0, sizeof(in));
	in.n = N;
	in.x = x;
	in.y = y;
	in.area = area;
	in.nareas = 3;
	in.ncats = 3;
	in.supply = s;
	in.beyond = 100;
	in.each = each;
	in.ctx = &k;
	CHECK_INT(geo_nearest_run(&in, &r, &err), CORE_EIO);
	CHECK(r == NULL);
	CHECK_STR(err.msg, "writing 1 failed");
	CHECK_INT(k.n, 2);
	geo_nearest_free(r);
	free_supply(s);
}

/* No points and no areas: every category answered, all empty. */
static void test_empty(void)
{
	struct geo_supply s[3];
	struct geo_nearest_in in;
	struct geo_nearest *r = NULL;
	struct core_err err = CORE_ERR_INIT;

	make_supply(s);
	memset(&in, 0, sizeof(in));
	in.ncats = 3;
	in.supply = s;
	in.beyond = 100;
	in.area = (const int32_t *)s; /* people, none of them */
	CHECK_INT(geo_nearest_run(&in, &r, &err), CORE_OK);
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(r->cat[0].near + r->cat[0].far, 0);
		CHECK(isnan(r->cat[0].median));
	}
	geo_nearest_free(r);
	free_supply(s);
}

static const struct test tests[] = {TEST(test_people_brute_force),
				    TEST(test_areas_brute_force),
				    TEST(test_callback_fails),
				    TEST(test_empty),
				    {0}};

int main(void)
{
	return test_main("geo_nearest", tests);
}
