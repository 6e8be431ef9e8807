/*
 * geo_sites.c - maximal covering location: greedy with its bound, exact
 * search where small.  See geo_sites.h.
 */
#include "geo/geo_sites.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_mem.h"
#include "geo/geo_kd.h"
#include "geo/geo_par.h"

/* Compressed sparse rows: row r holds idx[start[r] .. start[r + 1] - 1]. */
struct csr {
	size_t n;
	size_t *start; /* [n + 1] */
	size_t *idx;
};

static void csr_release(struct csr *c)
{
	free(c->start);
	free(c->idx);
	memset(c, 0, sizeof(*c));
}

/* The problem after merging demand into classes. */
struct prob {
	size_t ncls, ncand;
	double *w;	  /* [ncls] */
	struct csr cover; /* candidate -> classes */
	struct csr by;	  /* class -> candidates */
};

/* ------------------------------------------------------------------ */
/* Coverage lists, on every core */

struct cover_job {
	const struct geo_kd *kd;
	const double *cx, *cy;
	double r;
	size_t *count; /* [ncand] */
	size_t *start; /* [ncand + 1] (second pass) */
	size_t *idx;
};

static void count_range(void *ctx, size_t b, size_t e, int w)
{
	struct cover_job *j = ctx;
	size_t i;

	(void)w;
	for (i = b; i < e; i++)
		j->count[i] =
		    isnan(j->cx[i]) || isnan(j->cy[i])
			? 0
			: geo_kd_count_within(j->kd, j->cx[i], j->cy[i], j->r);
}

struct fill {
	size_t *dst;
	size_t n;
};

static void fill_one(void *ctx, size_t i, double d)
{
	struct fill *f = ctx;

	(void)d;
	f->dst[f->n++] = i;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static void fill_range(void *ctx, size_t b, size_t e, int w)
{
	struct cover_job *j = ctx;
	size_t i;

	(void)w;
	for (i = b; i < e; i++) {
		struct fill f = {j->idx + j->start[i], 0};

		if (j->count[i] == 0)
			continue;
		geo_kd_within(j->kd, j->cx[i], j->cy[i], j->r, fill_one, &f);
		qsort(f.dst, f.n, sizeof(size_t), cmp_size);
	}
}

struct exist_job {
	const struct geo_kd *kd;
	const double *x, *y;
	double r;
	int *first;
};

static void exist_range(void *ctx, size_t b, size_t e, int w)
{
	struct exist_job *j = ctx;
	size_t i;

	(void)w;
	for (i = b; i < e; i++)
		j->first[i] = !isnan(j->x[i]) && !isnan(j->y[i]) &&
				      geo_kd_count_within(j->kd, j->x[i],
							  j->y[i], j->r) > 0
				  ? -1
				  : 0;
}

/* The transpose of a csr with ncols columns. */
static void transpose(const struct csr *a, size_t ncols, struct csr *t)
{
	size_t r, k, *fillp;

	t->n = ncols;
	t->start = xcalloc(ncols + 1, sizeof(size_t));
	for (k = 0; k < a->start[a->n]; k++)
		t->start[a->idx[k] + 1]++;
	for (r = 0; r < ncols; r++)
		t->start[r + 1] += t->start[r];
	t->idx = xmalloc((t->start[ncols] + 1) * sizeof(size_t));
	fillp = xmalloc((ncols + 1) * sizeof(size_t));
	memcpy(fillp, t->start, (ncols + 1) * sizeof(size_t));
	for (r = 0; r < a->n; r++)
		for (k = a->start[r]; k < a->start[r + 1]; k++)
			t->idx[fillp[a->idx[k]]++] = r;
	free(fillp);
}

/* Points by their candidate lists, to merge equal lists. */
struct cls_sort {
	const struct csr *by;
	const uint64_t *hash;
};

static int cmp_list(const void *pa, const void *pb, void *ctx)
{
	const struct cls_sort *s = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	size_t la = s->by->start[a + 1] - s->by->start[a];
	size_t lb = s->by->start[b + 1] - s->by->start[b], k;

	if (s->hash[a] != s->hash[b])
		return s->hash[a] < s->hash[b] ? -1 : 1;
	if (la != lb)
		return la < lb ? -1 : 1;
	for (k = 0; k < la; k++) {
		size_t x = s->by->idx[s->by->start[a] + k];
		size_t y = s->by->idx[s->by->start[b] + k];

		if (x != y)
			return x < y ? -1 : 1;
	}
	return a < b ? -1 : a > b;
}

static int same_list(const struct csr *by, size_t a, size_t b)
{
	size_t la = by->start[a + 1] - by->start[a];

	return la == by->start[b + 1] - by->start[b] &&
	       memcmp(by->idx + by->start[a], by->idx + by->start[b],
		      la * sizeof(size_t)) == 0;
}

/*
 * Build the classes from the uncovered points (npts, weights w) and the
 * candidates' coverage lists cand (candidate -> point).  Sets cls[p] to
 * the class of point p, or (size_t)-1 when no candidate covers it.
 */
static void make_classes(const struct csr *cand, size_t npts, const double *w,
			 struct prob *pb, size_t *cls)
{
	struct csr by; /* point -> candidates, ascending */
	uint64_t *hash = xmalloc((npts + 1) * sizeof(*hash));
	size_t *order = xmalloc((npts + 1) * sizeof(*order)), n = 0, p, k,
	       c = 0;
	struct cls_sort s;
	struct csr clsby;

	transpose(cand, npts, &by);
	for (p = 0; p < npts; p++) {
		uint64_t hv = 1469598103934665603ULL;

		cls[p] = (size_t)-1;
		if (by.start[p + 1] == by.start[p])
			continue;
		for (k = by.start[p]; k < by.start[p + 1]; k++) {
			hv ^= (uint64_t)by.idx[k];
			hv *= 1099511628211ULL;
		}
		hash[p] = hv;
		order[n++] = p;
	}
	s.by = &by;
	s.hash = hash;
	qsort_r(order, n, sizeof(*order), cmp_list, &s);
	/* class -> candidates, from each class's first point */
	clsby.start = xcalloc(n + 1, sizeof(size_t));
	clsby.idx = xmalloc((by.start[npts] + 1) * sizeof(size_t));
	pb->w = xcalloc(n + 1, sizeof(double));
	for (k = 0; k < n; k++) {
		p = order[k];
		if (k == 0 || !same_list(&by, order[k - 1], p)) {
			size_t len = by.start[p + 1] - by.start[p];

			clsby.start[c + 1] = clsby.start[c] + len;
			memcpy(clsby.idx + clsby.start[c], by.idx + by.start[p],
			       len * sizeof(size_t));
			c++;
		}
		cls[p] = c - 1;
		pb->w[c - 1] += w[p];
	}
	clsby.n = c;
	pb->ncls = c;
	pb->by = clsby;
	transpose(&pb->by, cand->n, &pb->cover);
	pb->ncand = cand->n;
	csr_release(&by);
	free(hash);
	free(order);
}

/* ------------------------------------------------------------------ */
/* Greedy */

/* Sum of the k largest of v[0..n-1] (a small min-heap). */
static double top_sum(const double *v, size_t n, size_t k, double *heap)
{
	size_t h = 0, i;
	double s = 0;

	if (k == 0)
		return 0;
	for (i = 0; i < n; i++) {
		double x = v[i];
		size_t j;

		if (h < k) {
			j = h++;
			while (j > 0 && heap[(j - 1) / 2] > x) {
				heap[j] = heap[(j - 1) / 2];
				j = (j - 1) / 2;
			}
			heap[j] = x;
		} else if (x > heap[0]) {
			j = 0;
			for (;;) {
				size_t l = 2 * j + 1, r = l + 1, m = j;
				double mv = x;

				if (l < h && heap[l] < mv)
					m = l, mv = heap[l];
				if (r < h && heap[r] < mv)
					m = r;
				if (m == j)
					break;
				heap[j] = heap[m];
				j = m;
			}
			heap[j] = x;
		}
	}
	for (i = 0; i < h; i++)
		s += heap[i];
	return s;
}

/* Add candidate j: mark its classes covered, lower the others' gains. */
static double take(const struct prob *pb, size_t j, unsigned char *covered,
		   double *gain)
{
	size_t k, m;
	double g = 0;

	for (k = pb->cover.start[j]; k < pb->cover.start[j + 1]; k++) {
		size_t c = pb->cover.idx[k];

		if (covered[c])
			continue;
		covered[c] = 1;
		g += pb->w[c];
		if (gain)
			for (m = pb->by.start[c]; m < pb->by.start[c + 1]; m++)
				gain[pb->by.idx[m]] -= pb->w[c];
	}
	return g;
}

/*
 * Greedy over the candidates allowed (all when allow is NULL), at most k
 * picks, stopping at a zero gain.  Fills pick/gain; returns how many.
 * *bound (when not NULL) gets min_t f(S_t) + top-k gains.
 */
static size_t greedy(const struct prob *pb, const unsigned char *allow,
		     size_t k, size_t *pick, double *gains, double *bound)
{
	double *gain = xcalloc(pb->ncand + 1, sizeof(double));
	double *heap = xmalloc((k + 1) * sizeof(double));
	unsigned char *covered = xcalloc(pb->ncls + 1, 1);
	size_t j, t, np = 0;
	double f = 0, b = INFINITY;

	for (j = 0; j < pb->ncand; j++) {
		size_t q;

		if (allow && !allow[j])
			continue;
		for (q = pb->cover.start[j]; q < pb->cover.start[j + 1]; q++)
			gain[j] += pb->w[pb->cover.idx[q]];
	}
	for (t = 0; t < k; t++) {
		size_t best = (size_t)-1;

		if (bound)
			b = fmin(b, f + top_sum(gain, pb->ncand, k, heap));
		for (j = 0; j < pb->ncand; j++)
			if ((!allow || allow[j]) &&
			    (best == (size_t)-1 || gain[j] > gain[best]))
				best = j;
		if (best == (size_t)-1 || !(gain[best] > 0))
			break;
		pick[np] = best;
		gains[np] = take(pb, best, covered, gain);
		f += gains[np];
		np++;
		gain[best] = 0;
	}
	if (bound) {
		b = fmin(b, f + top_sum(gain, pb->ncand, k, heap));
		*bound = b;
	}
	free(gain);
	free(heap);
	free(covered);
	return np;
}

/* ------------------------------------------------------------------ */
/* On the road network */

struct net_cover_job {
	const struct geo_net *net;
	const struct geo_net_targets *tg;
	enum geo_net_weight weight;
	double within;
	const struct geo_snap *cs;	/* [ncand] */
	struct geo_net_search **search; /* [workers] */
	size_t **list, *count, *cap;	/* [ncand] */
};

struct collect {
	size_t **list, *count, *cap;
	double within;
};

static void collect_one(void *ctx, size_t target, const struct geo_net_cost *c)
{
	struct collect *k = ctx;

	if (!(c->cost <= k->within))
		return;
	xgrow((void **)k->list, k->cap, *k->count + 1, sizeof(size_t));
	(*k->list)[(*k->count)++] = target;
}

static void net_cover_range(void *ctx, size_t b, size_t e, int w)
{
	struct net_cover_job *j = ctx;
	size_t i;

	for (i = b; i < e; i++) {
		struct collect k = {&j->list[i], &j->count[i], &j->cap[i],
				    j->within};

		if (j->cs[i].seg < 0)
			continue;
		geo_net_reach(j->search[w], j->tg, j->weight, GEO_NET_TO,
			      &j->cs[i], j->within, collect_one, &k);
		if (j->count[i] > 1)
			qsort(j->list[i], j->count[i], sizeof(size_t),
			      cmp_size);
	}
}

/*
 * On the network: the candidates' lists of the uncovered points whose
 * trip to them is within D (cand, over the npts uncovered points, snapped
 * at usnap), one bounded search per candidate on every core, and
 * s->cand_unplaced.
 */
static void net_cover(const struct geo_sites_in *in, struct geo_sites *s,
		      const struct geo_snap *usnap, size_t npts,
		      struct csr *cand)
{
	double S = in->snap_m > 0 ? in->snap_m : GEO_NET_SNAP_MAX_M;
	struct geo_snap *cs = xcalloc(in->ncand + 1, sizeof(*cs));
	struct net_cover_job j;
	int nw = geo_par_threads(), w;
	size_t i;

	memset(&j, 0, sizeof(j));
	s->cand_unplaced =
	    in->ncand ? geo_net_snap(in->net, in->cx, in->cy, in->ncand, S, cs)
		      : 0;
	j.net = in->net;
	j.tg = geo_net_targets_new(in->net, npts, usnap);
	j.weight = in->weight;
	j.within = in->within;
	j.cs = cs;
	j.search = xcalloc((size_t)nw, sizeof(*j.search));
	for (w = 0; w < nw; w++)
		j.search[w] = geo_net_search_new(in->net);
	j.list = xcalloc(in->ncand + 1, sizeof(*j.list));
	j.count = xcalloc(in->ncand + 1, sizeof(size_t));
	j.cap = xcalloc(in->ncand + 1, sizeof(size_t));
	geo_par_for(in->ncand, 1, net_cover_range, &j);
	cand->n = in->ncand;
	cand->start = xcalloc(in->ncand + 1, sizeof(size_t));
	for (i = 0; i < in->ncand; i++)
		cand->start[i + 1] = cand->start[i] + j.count[i];
	cand->idx = xmalloc((cand->start[in->ncand] + 1) * sizeof(size_t));
	for (i = 0; i < in->ncand; i++) {
		if (j.count[i])
			memcpy(cand->idx + cand->start[i], j.list[i],
			       j.count[i] * sizeof(size_t));
		free(j.list[i]);
	}
	for (w = 0; w < nw; w++)
		geo_net_search_free(j.search[w]);
	geo_net_targets_free((struct geo_net_targets *)j.tg);
	free(j.search);
	free(j.list);
	free(j.count);
	free(j.cap);
	free(cs);
}

/*
 * On the network: which demand points an existing asset covers (first
 * -1) and which are not placed (*placed 0), from one multi-source
 * search.  ds gets every point's snap.
 */
static int net_existing(const struct geo_sites_in *in, struct geo_sites *s,
			struct geo_snap *ds, unsigned char *placed,
			struct core_err *err)
{
	double S = in->snap_m > 0 ? in->snap_m : GEO_NET_SNAP_MAX_M;
	struct geo_snap *as = xcalloc(in->nassets + 1, sizeof(*as));
	size_t *which = xmalloc((in->ndemand + 1) * sizeof(*which)), i;
	struct geo_net_cost *c = xmalloc((in->ndemand + 1) * sizeof(*c));
	int rc;

	s->assets_unplaced = in->nassets ? geo_net_snap(in->net, in->ax, in->ay,
							in->nassets, S, as)
					 : 0;
	if (in->ndemand)
		geo_net_snap(in->net, in->dx, in->dy, in->ndemand, S, ds);
	rc = geo_net_nearest(in->net, in->weight, in->nassets, as, in->ndemand,
			     ds, in->within, which, c, err);
	for (i = 0; rc == CORE_OK && i < in->ndemand; i++) {
		placed[i] = ds[i].seg >= 0;
		s->first[i] = placed[i] && c[i].cost <= in->within ? -1 : 0;
	}
	free(as);
	free(which);
	free(c);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Exact: depth-first over combinations of the useful candidates */

struct dfs {
	const struct prob *pb;
	size_t m, kk;
	const size_t *u;    /* [m] useful candidates, solo descending */
	const double *us;   /* [m] their solo weights */
	unsigned *cnt;	    /* [ncls] how many chosen cover the class */
	size_t *cur, *best; /* [kk] */
	double best_v;
	int improved;
	size_t nodes;
};

static void dfs_run(struct dfs *s, size_t start, size_t depth, double v)
{
	size_t i, r = s->kk - depth;

	s->nodes++;
	if (r == 0) {
		if (v > s->best_v) {
			s->best_v = v;
			memcpy(s->best, s->cur, s->kk * sizeof(size_t));
			s->improved = 1;
		}
		return;
	}
	for (i = start; i + r <= s->m; i++) {
		const struct prob *pb = s->pb;
		size_t j = s->u[i], q, t;
		double bnd = v, add = 0;

		/* marginal gains are at most the solo ones, sorted
		 * descending: this bound only falls as i grows */
		for (t = 0; t < r; t++)
			bnd += s->us[i + t];
		if (!(bnd > s->best_v))
			break;
		for (q = pb->cover.start[j]; q < pb->cover.start[j + 1]; q++)
			if (s->cnt[pb->cover.idx[q]]++ == 0)
				add += pb->w[pb->cover.idx[q]];
		s->cur[depth] = j;
		dfs_run(s, i + 1, depth + 1, v + add);
		for (q = pb->cover.start[j]; q < pb->cover.start[j + 1]; q++)
			s->cnt[pb->cover.idx[q]]--;
	}
}

static int cmp_solo(const void *pa, const void *pb, void *ctx)
{
	const double *solo = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	if (solo[a] != solo[b])
		return solo[a] > solo[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

static double choose(size_t n, size_t k)
{
	double c = 1;
	size_t i;

	if (k > n)
		return 0;
	if (k > n - k)
		k = n - k;
	for (i = 1; i <= k; i++)
		c = c * (double)(n - k + i) / (double)i;
	return c;
}

/* ------------------------------------------------------------------ */

int geo_sites_solve(const struct geo_sites_in *in, struct geo_sites **out,
		    struct core_err *err)
{
	struct geo_sites *s;
	struct geo_kd *asset_kd = NULL, *uncovered_kd = NULL;
	struct prob problem;
	struct csr cand = {0};
	size_t *uidx = NULL, *cls = NULL, nuncovered = 0, i, j, k = in->k;
	double *ux = NULL, *uy = NULL, *uw = NULL, bound = 0;
	size_t *gpick = NULL;
	double *ggain = NULL, maxc;
	struct geo_snap *ds = NULL, *usnap = NULL;
	unsigned char *placed = NULL;
	int rc = CORE_OK;

	*out = NULL;
	memset(&problem, 0, sizeof(problem));
	if (!(in->within >= 0) || isinf(in->within))
		return core_err_set(err, CORE_EUSAGE,
				    "the distance must be a non-negative number"
				    " of metres, not %g",
				    in->within);
	s = xcalloc(1, sizeof(*s));
	s->solo = xcalloc(in->ncand + 1, sizeof(double));
	s->first = xcalloc(in->ndemand + 1, sizeof(int));
	s->pick = xcalloc(k + 1, sizeof(size_t));
	s->gain = xcalloc(k + 1, sizeof(double));
	s->cum = xcalloc(k + 1, sizeof(double));

	/* Who is out of reach of the existing sites. */
	if (in->net) {
		ds = xcalloc(in->ndemand + 1, sizeof(*ds));
		usnap = xcalloc(in->ndemand + 1, sizeof(*usnap));
		placed = xcalloc(in->ndemand + 1, 1);
		if ((rc = net_existing(in, s, ds, placed, err)))
			goto cleanup;
	} else {
		struct exist_job ej = {NULL, in->dx, in->dy, in->within,
				       s->first};

		asset_kd = geo_kd_new(in->ax, in->ay, in->nassets);
		ej.kd = asset_kd;
		geo_par_for(in->ndemand, 0, exist_range, &ej);
	}
	ux = xmalloc((in->ndemand + 1) * sizeof(double));
	uy = xmalloc((in->ndemand + 1) * sizeof(double));
	uw = xmalloc((in->ndemand + 1) * sizeof(double));
	uidx = xmalloc((in->ndemand + 1) * sizeof(size_t));
	for (i = 0; i < in->ndemand; i++) {
		double w = in->dw ? in->dw[i] : 1;

		if (isnan(w) || w < 0)
			w = 0;
		if (placed && !placed[i]) {
			s->unplaced++;
			s->unplaced_w += w;
			continue;
		}
		s->total += w;
		if (s->first[i] < 0 || isnan(in->dx[i]) || isnan(in->dy[i]))
			continue;
		s->uncovered += w;
		ux[nuncovered] = in->dx[i];
		uy[nuncovered] = in->dy[i];
		uw[nuncovered] = w;
		if (usnap)
			usnap[nuncovered] = ds[i];
		uidx[nuncovered++] = i;
	}

	/* Candidate -> uncovered points within D. */
	if (in->net) {
		net_cover(in, s, usnap, nuncovered, &cand);
	} else {
		uncovered_kd = geo_kd_new(ux, uy, nuncovered);
		cand.n = in->ncand;
		cand.start = xcalloc(in->ncand + 1, sizeof(size_t));
		{
			struct cover_job cj = {uncovered_kd, in->cx, in->cy,
					       in->within,   NULL,   NULL,
					       NULL};

			cj.count = xcalloc(in->ncand + 1, sizeof(size_t));
			geo_par_for(in->ncand, 0, count_range, &cj);
			for (j = 0; j < in->ncand; j++)
				cand.start[j + 1] = cand.start[j] + cj.count[j];
			cand.idx = xmalloc((cand.start[in->ncand] + 1) *
					   sizeof(size_t));
			cj.start = cand.start;
			cj.idx = cand.idx;
			geo_par_for(in->ncand, 0, fill_range, &cj);
			free(cj.count);
		}
	}
	cls = xmalloc((nuncovered + 1) * sizeof(size_t));
	make_classes(&cand, nuncovered, uw, &problem, cls);
	csr_release(&cand);

	for (i = 0; i < problem.ncls; i++)
		s->coverable += problem.w[i];
	for (j = 0; j < problem.ncand; j++) {
		size_t q;

		for (q = problem.cover.start[j]; q < problem.cover.start[j + 1];
		     q++)
			s->solo[j] += problem.w[problem.cover.idx[q]];
		s->useful += s->solo[j] > 0;
	}

	gpick = xcalloc(k + 1, sizeof(size_t));
	ggain = xcalloc(k + 1, sizeof(double));
	s->npicks = greedy(&problem, NULL, k, gpick, ggain, &bound);
	memcpy(s->pick, gpick, s->npicks * sizeof(size_t));
	memcpy(s->gain, ggain, s->npicks * sizeof(double));
	for (i = 0; i < s->npicks; i++)
		s->covered += s->gain[i];
	s->bound = fmin(bound, s->coverable);
	s->combinations = choose(s->useful, k < s->useful ? k : s->useful);
	maxc = in->exact_max > 0 ? in->exact_max : GEO_SITES_EXACT_MAX;

	if (s->covered >= s->bound) {
		s->exact = 1; /* greedy met its own bound */
	} else if (in->method == GEO_SITES_EXACT ||
		   (in->method == GEO_SITES_AUTO && s->combinations <= maxc)) {
		struct dfs d;
		size_t *u = xmalloc((problem.ncand + 1) * sizeof(size_t)),
		       m = 0;
		double *us;

		for (j = 0; j < problem.ncand; j++)
			if (s->solo[j] > 0)
				u[m++] = j;
		qsort_r(u, m, sizeof(size_t), cmp_solo, s->solo);
		us = xmalloc((m + 1) * sizeof(double));
		for (j = 0; j < m; j++)
			us[j] = s->solo[u[j]];
		memset(&d, 0, sizeof(d));
		d.pb = &problem;
		d.m = m;
		d.kk = k < m ? k : m;
		d.u = u;
		d.us = us;
		d.cnt = xcalloc(problem.ncls + 1, sizeof(unsigned));
		d.cur = xcalloc(d.kk + 1, sizeof(size_t));
		d.best = xcalloc(d.kk + 1, sizeof(size_t));
		d.best_v = s->covered;
		dfs_run(&d, 0, 0, 0);
		s->nodes = d.nodes;
		if (d.improved) {
			/* list the optimal set in greedy order */
			unsigned char *allow = xcalloc(problem.ncand + 1, 1);

			for (j = 0; j < d.kk; j++)
				allow[d.best[j]] = 1;
			s->npicks = greedy(&problem, allow, d.kk, s->pick,
					   s->gain, NULL);
			free(allow);
			s->covered = 0;
			for (i = 0; i < s->npicks; i++)
				s->covered += s->gain[i];
		}
		s->exact = 1;
		s->bound = s->covered;
		free(d.cnt);
		free(d.cur);
		free(d.best);
		free(u);
		free(us);
	}
	for (i = 0; i < s->npicks; i++)
		s->cum[i] = (i ? s->cum[i - 1] : 0) + s->gain[i];

	/* Which pick first reaches each person. */
	{
		int *cfirst = xcalloc(problem.ncls + 1, sizeof(int));

		for (i = s->npicks; i-- > 0;) {
			size_t q, c = s->pick[i];

			for (q = problem.cover.start[c];
			     q < problem.cover.start[c + 1]; q++)
				cfirst[problem.cover.idx[q]] = (int)i + 1;
		}
		for (i = 0; i < nuncovered; i++)
			s->first[uidx[i]] =
			    cls[i] == (size_t)-1 ? 0 : cfirst[cls[i]];
		free(cfirst);
	}

cleanup:
	free(gpick);
	free(ggain);
	free(cls);
	free(problem.w);
	csr_release(&problem.cover);
	csr_release(&problem.by);
	csr_release(&cand);
	free(ux);
	free(uy);
	free(uw);
	free(uidx);
	free(ds);
	free(usnap);
	free(placed);
	geo_kd_free(asset_kd);
	geo_kd_free(uncovered_kd);
	if (rc) {
		geo_sites_free(s);
		return rc;
	}
	*out = s;
	return CORE_OK;
}

void geo_sites_free(struct geo_sites *s)
{
	if (!s)
		return;
	free(s->pick);
	free(s->gain);
	free(s->cum);
	free(s->solo);
	free(s->first);
	free(s);
}

/* ------------------------------------------------------------------ */
/* Candidates */

void geo_sites_cands_add(struct geo_sites_cands *c, double lon, double lat,
			 const char *label, const char *name)
{
	if (c->n == c->cap) {
		size_t cap = c->cap;

		xgrow((void **)&c->x, &cap, c->n + 1, sizeof(double));
		cap = c->cap;
		xgrow((void **)&c->y, &cap, c->n + 1, sizeof(double));
		cap = c->cap;
		xgrow((void **)&c->lon, &cap, c->n + 1, sizeof(double));
		cap = c->cap;
		xgrow((void **)&c->lat, &cap, c->n + 1, sizeof(double));
		cap = c->cap;
		xgrow((void **)&c->label, &cap, c->n + 1, sizeof(char *));
		cap = c->cap;
		xgrow((void **)&c->name, &cap, c->n + 1, sizeof(char *));
		c->cap = cap;
	}
	c->lon[c->n] = c->x[c->n] = lon;
	c->lat[c->n] = c->y[c->n] = lat;
	c->label[c->n] = xstrdup(label);
	c->name[c->n] = xstrdup_or_null(name);
	c->n++;
}

int geo_sites_cands_project(struct geo_sites_cands *c, struct geo_proj *proj,
			    struct core_err *err)
{
	return geo_proj_fwd(proj, c->x, c->y, c->n, err);
}

int geo_sites_cands_from_areas(struct geo_sites_cands *c,
			       const struct geo_areas *areas, const double *ax,
			       const double *ay, struct geo_proj *proj,
			       struct core_err *err)
{
	size_t i, first = c->n;

	for (i = 0; i < areas->n; i++) {
		if (areas->flags[i] || isnan(ax[i]) || isnan(ay[i]))
			continue;
		geo_sites_cands_add(c, ax[i], ay[i], areas->geoid[i],
				    areas->name[i]);
	}
	return geo_proj_inv(proj, c->lon + first, c->lat + first, c->n - first,
			    err);
}

void geo_sites_cands_release(struct geo_sites_cands *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->label[i]);
		free(c->name[i]);
	}
	free(c->x);
	free(c->y);
	free(c->lon);
	free(c->lat);
	free(c->label);
	free(c->name);
	memset(c, 0, sizeof(*c));
}
