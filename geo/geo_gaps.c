/*
 * geo_gaps.c - nearest distances, shortfall and rankings for the gap
 * analysis.  See geo_gaps.h.
 */
#include "geo/geo_gaps.h"

#include <math.h>
#include <stdlib.h>

#include "core/core_mem.h"
#include "geo/geo_kd.h"
#include "geo/geo_par.h"

struct near_job {
	struct geo_kd *kd;
	const double *px, *py;
	double *dist;
	size_t *which;
};

static void near_chunk(void *ctx, size_t begin, size_t end, int worker)
{
	const struct near_job *jb = ctx;
	size_t i, w;
	double d;

	(void)worker;
	for (i = begin; i < end; i++) {
		if (isnan(jb->px[i]) || isnan(jb->py[i])) {
			jb->dist[i] = NAN;
			if (jb->which)
				jb->which[i] = (size_t)-1;
			continue;
		}
		w = geo_kd_nearest(jb->kd, jb->px[i], jb->py[i], &d);
		jb->dist[i] = d;
		if (jb->which)
			jb->which[i] = w;
	}
}

void geo_gaps_nearest(size_t m, const double *sx, const double *sy, size_t n,
		      const double *px, const double *py, double *dist,
		      size_t *which)
{
	struct near_job jb;

	jb.kd = geo_kd_new(sx, sy, m);
	jb.px = px;
	jb.py = py;
	jb.dist = dist;
	jb.which = which;
	geo_par_for(n, 0, near_chunk, &jb);
	geo_kd_free(jb.kd);
}

double geo_gaps_beyond(size_t n, const double *dist, const double *weight,
		       double beyond, double *within)
{
	double out = 0, in = 0, w;
	size_t i;

	for (i = 0; i < n; i++) {
		if (isnan(dist[i]))
			continue;
		w = weight ? weight[i] : 1.0;
		if (!(w > 0))
			continue;
		if (dist[i] > beyond)
			out += w;
		else
			in += w;
	}
	if (within)
		*within = in;
	return out;
}

double geo_gaps_shortfall(double need, double access_norm)
{
	double s;

	if (isnan(need) || isnan(access_norm))
		return NAN;
	s = 1.0 - access_norm;
	return s > 0 ? need * s : 0.0;
}

/* qsort has no context argument: the values ride along in the items. */
struct rank_item {
	double v;
	size_t i;
};

static int rank_cmp(const void *a, const void *b)
{
	const struct rank_item *x = a, *y = b;

	if (x->v != y->v)
		return x->v > y->v ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

size_t geo_gaps_rank(size_t n, const double *value, const int *flags,
		     size_t *order, size_t *rank)
{
	struct rank_item *it = xmalloc((n ? n : 1) * sizeof(*it));
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (rank)
			rank[i] = 0;
		if ((flags && flags[i]) || isnan(value[i]))
			continue;
		it[k].v = value[i];
		it[k].i = i;
		k++;
	}
	qsort(it, k, sizeof(*it), rank_cmp);
	for (i = 0; i < k; i++) {
		order[i] = it[i].i;
		if (rank)
			rank[it[i].i] = i + 1;
	}
	free(it);
	return k;
}
