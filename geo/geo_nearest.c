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
	const struct geo_snap *snap; /* [n] on the network, else NULL */
	int rc;
	struct core_err err;
};

/* Whether point i has an answer to summarise: a location, and on the
 * network a place on it. */
static int measured(const struct job *j, size_t i)
{
	if (j->snap)
		return j->snap[i].seg >= 0;
	return !isnan(j->in->x[i]);
}

/* Point i's value for medians: metres, or seconds on the network; +inf
 * when it has no asset. */
static double value(const struct job *j, size_t i)
{
	double d = j->snap ? j->cat->secs[i] : j->cat->dist[i];

	return isnan(d) ? INFINITY : d;
}

/* Whether point i (measured) is beyond: farther than beyond in a
 * straight line; on the network, within neither beyond_s seconds nor
 * beyond network metres (an unreachable asset is beyond). */
static int is_far(const struct job *j, size_t i)
{
	const struct geo_nearest_in *in = j->in;
	const struct geo_nearest_cat *r = j->cat;

	if (!j->snap)
		return isnan(r->dist[i]) || r->dist[i] > in->beyond;
	if (!isnan(in->beyond_s) && r->secs[i] <= in->beyond_s)
		return 0;
	if (!isnan(in->beyond) && r->short_m && r->short_m[i] <= in->beyond)
		return 0;
	return 1;
}

/* People: per area the median, the count and the share beyond; over
 * everyone measured, within and beyond and the median. */
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
			size_t p = j->area_items[i];
			if (!measured(j, p))
				continue;
			if (is_far(j, p))
				far++;
			scratch[m++] = value(j, p);
		}
		med = geo_median(scratch, m);
		if (isinf(med))
			med = NAN;
		r->area_val[0][k] = med;
		r->area_val[1][k] = (double)far;
		r->area_val[2][k] = m ? (double)far / (double)m : NAN;
	}
	m = 0;
	for (i = 0; i < in->n; i++) {
		if (!measured(j, i))
			continue;
		if (is_far(j, i))
			r->far++;
		else
			r->near++;
		scratch[m++] = value(j, i);
	}
	r->median = geo_median(scratch, m);
}

/* Areas: each area's distance (seconds on the network, then its network
 * metres) and asset; over the measured areas, the population within and
 * beyond and its weighted median. */
static void summarise_areas(struct job *j, struct geo_median_item *p)
{
	const struct geo_nearest_in *in = j->in;
	struct geo_nearest_cat *r = j->cat;
	size_t i, m = 0;

	for (i = 0; i < in->nareas; i++) {
		r->area_val[0][i] = j->snap ? r->secs[i] : r->dist[i];
		r->area_val[1][i] = r->asset[i] < 0 ? NAN : (double)r->asset[i];
		if (j->snap)
			r->area_val[2][i] = r->metres[i];
	}
	for (i = 0; i < in->n; i++) {
		double wgt = in->population[i];
		if (isnan(in->x[i]))
			continue;
		r->nareas++;
		if (!measured(j, i) || !(wgt > 0))
			continue;
		r->pop += wgt;
		if (is_far(j, i))
			r->pop_far += wgt;
		p[m].v = value(j, i);
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

/* Scratch of the network searches, one per run. */
struct net_work {
	struct geo_snap *snap;	    /* [n] the points' places */
	struct geo_net_cost *cost;  /* [n] */
	struct geo_net_cost *cost2; /* [n] the search by length's */
	size_t *idx2;		    /* [n] */
};

/* The search by length, on a thread of its own beside the one by time. */
struct len_job {
	const struct geo_nearest_in *in;
	const struct geo_supply *s;
	const struct geo_snap *ss;
	const struct net_work *nw;
	int rc;
	struct core_err err;
};

static void *len_search(void *u)
{
	struct len_job *j = u;

	j->rc = geo_net_nearest(j->in->net, GEO_NET_LENGTH, j->s->n, j->ss,
				j->in->n, j->nw->snap, j->in->beyond,
				j->nw->idx2, j->nw->cost2, &j->err);
	return NULL;
}

/*
 * Category c's search on the network: its supply snapped, then one
 * multi-source search by time (and one by length, limited to beyond,
 * when beyond is given, on a second thread) for every point at once.
 */
static int query_net(const struct geo_nearest_in *in, size_t c, size_t *idx,
		     const struct net_work *nw, struct geo_nearest_cat *r,
		     struct core_err *err)
{
	const struct geo_supply *s = &in->supply[c];
	size_t i, n = in->n ? in->n : 1;
	struct geo_snap *ss = xmalloc((s->n ? s->n : 1) * sizeof(*ss));
	struct len_job lj;
	pthread_t th;
	int rc = CORE_OK, threaded = 0;

	r->asset = xmalloc(n * sizeof(int64_t));
	r->secs = xmalloc(n * sizeof(double));
	r->metres = xmalloc(n * sizeof(double));
	if (!isnan(in->beyond))
		r->short_m = xmalloc(n * sizeof(double));
	r->src_unplaced =
	    s->n ? geo_net_snap(in->net, s->x, s->y, s->n, in->snap_m, ss) : 0;
	for (i = 0; i < in->n; i++) {
		r->asset[i] = -1;
		r->secs[i] = r->metres[i] =
		    nw->snap[i].seg < 0 ? NAN : INFINITY;
		if (r->short_m)
			r->short_m[i] = r->secs[i];
	}
	if (!in->n || s->n == r->src_unplaced)
		goto cleanup;
	if (r->short_m) {
		lj.in = in;
		lj.s = s;
		lj.ss = ss;
		lj.nw = nw;
		lj.rc = CORE_OK;
		lj.err = (struct core_err)CORE_ERR_INIT;
		if (pthread_create(&th, NULL, len_search, &lj) == 0)
			threaded = 1;
		else
			len_search(&lj);
	}
	rc = geo_net_nearest(in->net, GEO_NET_TIME, s->n, ss, in->n, nw->snap,
			     INFINITY, idx, nw->cost, err);
	if (threaded)
		pthread_join(th, NULL);
	if (!rc && r->short_m && lj.rc) {
		rc = lj.rc;
		*err = lj.err;
	}
	if (rc)
		goto cleanup;
	for (i = 0; i < in->n; i++)
		if (nw->snap[i].seg >= 0 && idx[i] != (size_t)-1) {
			r->asset[i] = s->id[idx[i]];
			r->secs[i] = nw->cost[i].secs;
			r->metres[i] = nw->cost[i].metres;
		}
	if (!r->short_m)
		goto cleanup;
	for (i = 0; i < in->n; i++)
		if (nw->snap[i].seg >= 0 && nw->idx2[i] != (size_t)-1 &&
		    nw->cost2[i].cost <= in->beyond)
			r->short_m[i] = nw->cost2[i].cost;
cleanup:
	free(ss);
	return rc;
}

/* On the network: every point snapped once; the people placed per
 * area into r->area_n and r->area_unplaced, and the totals not placed. */
static void place_points(const struct geo_nearest_in *in,
			 const size_t *area_start, const size_t *area_items,
			 struct net_work *nw, struct geo_nearest *r)
{
	size_t n = in->n ? in->n : 1, i, k;

	nw->snap = xmalloc(n * sizeof(*nw->snap));
	nw->cost = xmalloc(n * sizeof(*nw->cost));
	if (!isnan(in->beyond)) {
		nw->cost2 = xmalloc(n * sizeof(*nw->cost2));
		nw->idx2 = xmalloc(n * sizeof(*nw->idx2));
	}
	if (in->n)
		geo_net_snap(in->net, in->x, in->y, in->n, in->snap_m,
			     nw->snap);
	for (i = 0; i < in->n; i++) {
		if (isnan(in->x[i]))
			nw->snap[i].seg = -1; /* no location: not counted */
		else if (nw->snap[i].seg < 0) {
			r->unplaced++;
			if (!in->area && in->population[i] > 0)
				r->pop_unplaced += in->population[i];
		}
	}
	if (!in->area)
		return;
	r->area_unplaced = xcalloc(in->nareas ? in->nareas : 1, sizeof(double));
	for (k = 0; k < in->nareas; k++)
		for (i = area_start[k]; i < area_start[k + 1]; i++)
			if (nw->snap[area_items[i]].seg < 0) {
				r->area_n[k]--;
				r->area_unplaced[k]++;
			}
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
	struct net_work nw = {NULL, NULL, NULL, NULL};
	struct core_err qerr = CORE_ERR_INIT;
	pthread_t th;
	int rc = CORE_OK, qrc = CORE_OK, running = 0;

	r->ncats = in->ncats;
	r->nareas = in->nareas;
	r->nper = in->area ? 3 : in->net ? 3 : 2;
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
	if (in->net)
		place_points(in, area_start, area_items, &nw, r);

	for (c = 0; c < in->ncats; c++) {
		struct job *j = &jobs[c];

		if (in->net)
			qrc = query_net(in, c, idx, &nw, &r->cat[c], &qerr);
		else
			query(in, c, idx, &r->cat[c]);
		if (running) {
			pthread_join(th, NULL);
			running = 0;
			if (jobs[c - 1].rc)
				break;
		}
		if (qrc) {
			j->rc = qrc;
			j->err = qerr;
			break;
		}
		j->in = in;
		j->c = c;
		j->cat = &r->cat[c];
		j->area_start = area_start;
		j->area_items = area_items;
		j->snap = nw.snap;
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
	free(nw.snap);
	free(nw.cost);
	free(nw.cost2);
	free(nw.idx2);
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
		free(r->cat[c].secs);
		free(r->cat[c].metres);
		free(r->cat[c].short_m);
		for (k = 0; k < 3; k++)
			free(r->cat[c].area_val[k]);
	}
	free(r->cat);
	free(r->area_n);
	free(r->area_unplaced);
	free(r);
}
