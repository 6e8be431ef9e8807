/*
 * geo_nearest.c - nearest asset per point and category, summarised
 * (geo_nearest.h).
 */
#include "geo/geo_nearest.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "geo/geo_kd.h"
#include "geo/geo_median.h"

/* One category's summary job, run on the second thread. */
struct job {
	const struct geo_nearest_in *in;
	size_t c;
	struct geo_nearest_cat *cat;
	const size_t *area_start, *area_items; /* people grouped by area */
	int rc;
	struct core_err err;
};

/* People: per area the median, the count and the share beyond; over
 * everyone located, within and beyond and the median. */
static void summarise_people(struct job *j, double *scratch)
{
	const struct geo_nearest_in *in = j->in;
	struct geo_nearest_cat *r = j->cat;
	size_t i, k, m;

	for (k = 0; k < in->nareas; k++) {
		size_t b = j->area_start[k], e = j->area_start[k + 1], far = 0;
		double med;

		m = 0;
		for (i = b; i < e; i++) {
			double d = r->dist[j->area_items[i]];
			if (isnan(d) || d > in->beyond)
				far++;
			scratch[m++] = isnan(d) ? INFINITY : d;
		}
		med = geo_median(scratch, m);
		if (isinf(med))
			med = NAN;
		r->area_val[0][k] = med;
		r->area_val[1][k] = (double)far;
		r->area_val[2][k] = e > b ? (double)far / (double)(e - b) : NAN;
	}
	m = 0;
	for (i = 0; i < in->n; i++) {
		double d = r->dist[i];
		if (isnan(in->x[i]))
			continue;
		if (isnan(d) || d > in->beyond)
			r->far++;
		else
			r->near++;
		scratch[m++] = isnan(d) ? INFINITY : d;
	}
	r->median = geo_median(scratch, m);
}

/* Areas: each area's distance and asset; over the located areas, the
 * population within and beyond and its weighted median. */
static void summarise_areas(struct job *j, struct geo_median_item *p)
{
	const struct geo_nearest_in *in = j->in;
	struct geo_nearest_cat *r = j->cat;
	size_t i, m = 0;

	for (i = 0; i < in->nareas; i++) {
		r->area_val[0][i] = r->dist[i];
		r->area_val[1][i] = r->asset[i] < 0 ? NAN : (double)r->asset[i];
	}
	for (i = 0; i < in->n; i++) {
		double d = r->dist[i], wgt = in->population[i];
		if (isnan(in->x[i]))
			continue;
		r->nareas++;
		if (!(wgt > 0))
			continue;
		r->pop += wgt;
		if (isnan(d) || d > in->beyond)
			r->pop_far += wgt;
		p[m].v = isnan(d) ? INFINITY : d;
		p[m].w = wgt;
		m++;
	}
	r->median = geo_median_weighted(p, m, GEO_MEDIAN_LOWER);
}

static void *run_job(void *arg)
{
	struct job *j = arg;
	size_t n = j->in->n ? j->in->n : 1;
	void *scratch = xmalloc(n * sizeof(struct geo_median_item));

	j->rc = j->in->each ? j->in->each(j->in->ctx, j->c, j->cat, &j->err)
			    : CORE_OK;
	if (j->rc == CORE_OK) {
		if (j->in->area)
			summarise_people(j, scratch);
		else
			summarise_areas(j, scratch);
	}
	free(scratch);
	return NULL;
}

/* The located people of each area, grouped: area k's are
 * items[start[k] .. start[k + 1]) (a counting sort by area). */
static void group_by_area(const struct geo_nearest_in *in, size_t *start,
			  size_t *items)
{
	size_t *fill = xcalloc(in->nareas + 1, sizeof(size_t));
	size_t i;

	for (i = 0; i < in->n; i++)
		if (in->area[i] >= 0 && !isnan(in->x[i]))
			start[in->area[i] + 1]++;
	for (i = 0; i < in->nareas; i++)
		start[i + 1] += start[i];
	for (i = 0; i < in->n; i++)
		if (in->area[i] >= 0 && !isnan(in->x[i])) {
			size_t k = (size_t)in->area[i];
			items[start[k] + fill[k]++] = i;
		}
	free(fill);
}

/* Category c's queries: the nearest asset of every point. */
static void query(const struct geo_nearest_in *in, size_t c, size_t *idx,
		  struct geo_nearest_cat *r)
{
	const struct geo_supply *s = &in->supply[c];
	struct geo_kd *kd = geo_kd_new(s->x, s->y, s->n);
	size_t i, n = in->n ? in->n : 1;

	r->dist = xmalloc(n * sizeof(double));
	r->asset = xmalloc(n * sizeof(int64_t));
	/* the people are in spatial order already: no order[] */
	if (in->n)
		geo_kd_nearest_all(kd, in->x, in->y, in->n, NULL, idx, r->dist);
	for (i = 0; i < in->n; i++) {
		if (idx[i] == (size_t)-1 || s->n == 0) {
			r->dist[i] = NAN;
			r->asset[i] = -1;
		} else {
			r->asset[i] = s->id[idx[i]];
		}
	}
	geo_kd_free(kd);
}

int geo_nearest_run(const struct geo_nearest_in *in, struct geo_nearest **out,
		    struct core_err *err)
{
	struct geo_nearest *r = xcalloc(1, sizeof(*r));
	struct job *jobs = xcalloc(in->ncats ? in->ncats : 1, sizeof(*jobs));
	size_t *area_start = xcalloc(in->nareas + 1, sizeof(size_t));
	size_t *area_items = xmalloc((in->n ? in->n : 1) * sizeof(size_t));
	size_t *idx = xmalloc((in->n ? in->n : 1) * sizeof(size_t));
	size_t na = in->nareas ? in->nareas : 1, i, c, k;
	pthread_t th;
	int rc = CORE_OK, running = 0;

	r->ncats = in->ncats;
	r->nareas = in->nareas;
	r->nper = in->area ? 3 : 2;
	r->cat = xcalloc(in->ncats ? in->ncats : 1, sizeof(*r->cat));
	if (in->area)
		group_by_area(in, area_start, area_items);
	r->area_n = xmalloc(na * sizeof(double));
	for (i = 0; i < in->nareas; i++)
		r->area_n[i] = in->area
				   ? (double)(area_start[i + 1] - area_start[i])
				   : in->population[i];
	for (c = 0; c < in->ncats; c++)
		for (k = 0; k < r->nper; k++)
			r->cat[c].area_val[k] = xmalloc(na * sizeof(double));

	for (c = 0; c < in->ncats; c++) {
		struct job *j = &jobs[c];

		query(in, c, idx, &r->cat[c]);
		if (running) {
			pthread_join(th, NULL);
			running = 0;
			if (jobs[c - 1].rc)
				break;
		}
		j->in = in;
		j->c = c;
		j->cat = &r->cat[c];
		j->area_start = area_start;
		j->area_items = area_items;
		if (pthread_create(&th, NULL, run_job, j) == 0)
			running = 1;
		else
			run_job(j);
	}
	if (running)
		pthread_join(th, NULL);
	for (c = 0; c < in->ncats; c++)
		if (jobs[c].rc) {
			*err = jobs[c].err;
			rc = jobs[c].rc;
			break;
		}
	free(jobs);
	free(area_start);
	free(area_items);
	free(idx);
	if (rc) {
		geo_nearest_free(r);
		r = NULL;
	}
	*out = r;
	return rc;
}

void geo_nearest_free(struct geo_nearest *r)
{
	size_t c, k;

	if (!r)
		return;
	for (c = 0; c < r->ncats; c++) {
		free(r->cat[c].dist);
		free(r->cat[c].asset);
		for (k = 0; k < 3; k++)
			free(r->cat[c].area_val[k]);
	}
	free(r->cat);
	free(r->area_n);
	free(r);
}
