/*
 * geo_access.c - floating catchment area access scores.  See geo_access.h.
 *
 * Three passes of within-radius searches, each a parallel loop whose
 * items write only their own output cell:
 *   0. (3sfca, bfca) per demand point i: wsum_i = sum of W_ij over C(i);
 *   1. per supply j: D_j = sum P_i e_ij over the demand points within d0,
 *      R_j = S_j / D_j;
 *   2. per demand point i: A_i = sum e_ij R_j over C(i).
 * Pass 1 asks the demand tree and passes 0 and 2 the supply tree, so no
 * pair list (of size n * m in the worst case) is kept.
 */
#include "geo/geo_access.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_mem.h"
#include "geo/geo_ch.h"
#include "geo/geo_kd.h"
#include "geo/geo_par.h"

void geo_access_params_init(struct geo_access_params *p)
{
	p->method = GEO_ACCESS_2SFCA;
	p->decay = GEO_DECAY_STEP;
	p->catchment = 10000.0;
	p->zone_w[0] = 1.0;
	p->zone_w[1] = 0.68;
	p->zone_w[2] = 0.22;
	p->beta = 1.0;
	p->min_dist = 100.0;
	p->normalize = 0;
	p->engine = GEO_ACCESS_ENGINE_AUTO;
}

static const char *const method_names[] = {"2sfca", "e2sfca", "3sfca", "bfca"};
static const char *const decay_names[] = {"step", "gaussian", "gravity"};

/* The index of s (any case) among the n names, or -1. */
static int name_index(const char *s, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

#define NNAMES(a) (sizeof(a) / sizeof((a)[0]))

int geo_access_method_parse(const char *s, enum geo_access_method *m)
{
	int i = name_index(s, method_names, NNAMES(method_names));

	if (i < 0)
		return -1;
	*m = (enum geo_access_method)i;
	return 0;
}

const char *geo_access_method_name(enum geo_access_method m)
{
	return (unsigned)m < NNAMES(method_names) ? method_names[m] : "?";
}

int geo_access_decay_parse(const char *s, enum geo_access_decay *d)
{
	int i = name_index(s, decay_names, NNAMES(decay_names));

	if (i < 0)
		return -1;
	*d = (enum geo_access_decay)i;
	return 0;
}

const char *geo_access_decay_name(enum geo_access_decay d)
{
	return (unsigned)d < NNAMES(decay_names) ? decay_names[d] : "?";
}

int geo_access_params_check(const struct geo_access_params *p,
			    struct core_err *err)
{
	int k;

	if ((unsigned)p->method > GEO_ACCESS_BFCA)
		return core_err_set(err, CORE_EUSAGE, "unknown access method");
	if ((unsigned)p->decay > GEO_DECAY_GRAVITY)
		return core_err_set(err, CORE_EUSAGE, "unknown decay");
	if (!(p->catchment > 0) || !isfinite(p->catchment))
		return core_err_set(err, CORE_EUSAGE,
				    "the catchment must be a distance above "
				    "0 (got %g m)",
				    p->catchment);
	for (k = 0; k < 3; k++)
		if (!(p->zone_w[k] >= 0) || !isfinite(p->zone_w[k]))
			return core_err_set(err, CORE_EUSAGE,
					    "zone weight %d is %g: weights "
					    "must be numbers >= 0",
					    k + 1, p->zone_w[k]);
	if (p->decay == GEO_DECAY_GRAVITY) {
		if (!(p->beta > 0) || !isfinite(p->beta))
			return core_err_set(err, CORE_EUSAGE,
					    "the gravity exponent (beta) must "
					    "be above 0 (got %g)",
					    p->beta);
		if (!(p->min_dist > 0) || !isfinite(p->min_dist))
			return core_err_set(err, CORE_EUSAGE,
					    "the gravity minimum distance "
					    "must be above 0 (got %g m)",
					    p->min_dist);
	}
	return CORE_OK;
}

/*
 * W for a point the tree found within the catchment: the tree's test is
 * on squared distances, and sqrt of a squared distance that passed it may
 * round a hair above d0, so clamp rather than test again.
 */
static double weight_in(const struct geo_access_params *p, double d)
{
	double d0 = p->catchment, t;

	if (d > d0)
		d = d0;
	switch (p->decay) {
	case GEO_DECAY_STEP:
		if (p->method != GEO_ACCESS_E2SFCA &&
		    p->method != GEO_ACCESS_3SFCA)
			return 1.0;
		/* PySAL's step_fn: the first threshold with d <= k. */
		if (d <= d0 / 3.0)
			return p->zone_w[0];
		if (d <= 2.0 * d0 / 3.0)
			return p->zone_w[1];
		return p->zone_w[2];
	case GEO_DECAY_GAUSSIAN:
		t = d / d0;
		return (exp(-0.5 * t * t) - exp(-0.5)) / (1.0 - exp(-0.5));
	case GEO_DECAY_GRAVITY:
		t = (d < p->min_dist ? p->min_dist : d) / d0;
		return pow(t, -p->beta);
	}
	return 0.0;
}

double geo_access_weight(const struct geo_access_params *p, double d)
{
	if (!(d <= p->catchment))
		return 0.0;
	return weight_in(p, d);
}

/* ---- the passes ------------------------------------------------------- */

struct job {
	const struct geo_access_params *p;
	int unit; /* every W_ij is 1 (step decay, 2sfca/bfca) */
	double *dprefix, *sprefix; /* unit: geo_kd_prefix_new tables of the
				      demand and of the ratios */
	struct geo_kd *skd, *dkd;
	const double *dx, *dy, *sx, *sy;
	const double *pop;    /* [n] demand, cleaned */
	const double *supply; /* [m] */
	double *inv_wsum;     /* [n] 1 / sum W over C(i); NULL for 2sfca */
	double *dsum;	      /* [m] D_j */
	double *ratio;	      /* [m] R_j */
	double *score;	      /* [n] */
};

/* The effective weight e_ij from W_ij and i's 1 / wsum. */
static double eff(const struct job *jb, double w, size_t i)
{
	switch (jb->p->method) {
	case GEO_ACCESS_3SFCA:
		return w * w * jb->inv_wsum[i];
	case GEO_ACCESS_BFCA:
		return w * jb->inv_wsum[i];
	default:
		return w;
	}
}

struct acc {
	const struct job *jb;
	size_t self; /* the point asked about */
	double sum;
};

static void wsum_cb(void *ctx, size_t j, double d)
{
	struct acc *a = ctx;

	(void)j;
	a->sum += weight_in(a->jb->p, d);
}

static void pass_wsum(void *ctx, size_t begin, size_t end, int worker)
{
	const struct job *jb = ctx;
	size_t i;

	(void)worker;
	for (i = begin; i < end; i++) {
		struct acc a = {jb, i, 0.0};

		if (isnan(jb->dx[i]) || isnan(jb->dy[i])) {
			jb->inv_wsum[i] = 0.0;
			continue;
		}
		if (jb->unit)
			a.sum = (double)geo_kd_count_within(
			    jb->skd, jb->dx[i], jb->dy[i], jb->p->catchment);
		else
			geo_kd_within(jb->skd, jb->dx[i], jb->dy[i],
				      jb->p->catchment, wsum_cb, &a);
		jb->inv_wsum[i] = a.sum > 0 ? 1.0 / a.sum : 0.0;
	}
}

/* Pass 1: i is a demand point within d0 of supply a->self. */
static void demand_cb(void *ctx, size_t i, double d)
{
	struct acc *a = ctx;
	const struct job *jb = a->jb;

	if (jb->pop[i] > 0)
		a->sum += jb->pop[i] * eff(jb, weight_in(jb->p, d), i);
}

static void pass_ratio(void *ctx, size_t begin, size_t end, int worker)
{
	const struct job *jb = ctx;
	size_t j;

	(void)worker;
	for (j = begin; j < end; j++) {
		struct acc a = {jb, j, 0.0};

		if (isnan(jb->sx[j]) || isnan(jb->sy[j])) {
			jb->ratio[j] = jb->dsum[j] = 0.0;
			continue;
		}
		if (jb->unit)
			a.sum =
			    geo_kd_sum_within(jb->dkd, jb->dprefix, jb->sx[j],
					      jb->sy[j], jb->p->catchment);
		else
			geo_kd_within(jb->dkd, jb->sx[j], jb->sy[j],
				      jb->p->catchment, demand_cb, &a);
		jb->dsum[j] = a.sum;
		jb->ratio[j] = a.sum > 0 ? jb->supply[j] / a.sum : 0.0;
	}
}

/* Pass 2: j is a supply within d0 of demand point a->self. */
static void supply_cb(void *ctx, size_t j, double d)
{
	struct acc *a = ctx;
	const struct job *jb = a->jb;

	if (jb->ratio[j] != 0.0)
		a->sum += eff(jb, weight_in(jb->p, d), a->self) * jb->ratio[j];
}

static void pass_score(void *ctx, size_t begin, size_t end, int worker)
{
	const struct job *jb = ctx;
	size_t i;

	(void)worker;
	for (i = begin; i < end; i++) {
		struct acc a = {jb, i, 0.0};

		if (isnan(jb->dx[i]) || isnan(jb->dy[i])) {
			jb->score[i] = NAN;
			continue;
		}
		if (jb->unit)
			a.sum =
			    eff(jb, 1.0, i) *
			    geo_kd_sum_within(jb->skd, jb->sprefix, jb->dx[i],
					      jb->dy[i], jb->p->catchment);
		else
			geo_kd_within(jb->skd, jb->dx[i], jb->dy[i],
				      jb->p->catchment, supply_cb, &a);
		jb->score[i] = a.sum;
	}
}

/*
 * The end both computations share: the demand-weighted mean, the
 * normalisation, and *info (when not NULL) from the cleaned demand
 * pop[n], supply sup[m] and the demand reaching each supply dsum[m].
 */
static void finish(const struct geo_access_params *p, size_t n, size_t m,
		   const double *pop, const double *sup, const double *dsum,
		   double *score, struct geo_access_info *info)
{
	double wsum = 0, psum = 0, mean;
	size_t i, j;

	for (i = 0; i < n; i++)
		if (!isnan(score[i])) {
			wsum += pop[i] * score[i];
			psum += pop[i];
		}
	mean = psum > 0 ? wsum / psum : NAN;
	if (p->normalize && mean > 0)
		for (i = 0; i < n; i++)
			score[i] /= mean;
	if (!info)
		return;
	info->supply_reached = 0;
	info->supply_total = 0;
	info->supply_used = 0;
	info->demand_reached = 0;
	info->demand_total = 0;
	for (j = 0; j < m; j++) {
		info->supply_total += sup[j];
		if (dsum[j] > 0) {
			info->supply_reached++;
			info->supply_used += sup[j];
		}
	}
	for (i = 0; i < n; i++) {
		info->demand_total += pop[i];
		if (score[i] > 0)
			info->demand_reached++;
	}
	info->mean = mean;
	info->hierarchy = 0;
}

int geo_access_compute(const struct geo_access_params *p, size_t n,
		       const double *dx, const double *dy, const double *demand,
		       size_t m, const double *sx, const double *sy,
		       const double *supply, double *score,
		       struct geo_access_info *info, struct core_err *err)
{
	struct job jb = {0};
	double *pop = NULL, *ratio = NULL, *dsum = NULL, *inv_wsum = NULL,
	       *sup = NULL;
	size_t i, j;
	int rc;

	rc = geo_access_params_check(p, err);
	if (rc)
		return rc;
	pop = xmalloc((n ? n : 1) * sizeof(*pop));
	sup = xmalloc((m ? m : 1) * sizeof(*sup));
	ratio = xcalloc(m ? m : 1, sizeof(*ratio));
	dsum = xcalloc(m ? m : 1, sizeof(*dsum));
	for (i = 0; i < n; i++)
		pop[i] = demand[i] > 0 ? demand[i] : 0.0;
	for (j = 0; j < m; j++)
		sup[j] = supply[j] > 0 ? supply[j] : 0.0;
	jb.p = p;
	jb.dx = dx;
	jb.dy = dy;
	jb.sx = sx;
	jb.sy = sy;
	jb.pop = pop;
	jb.supply = sup;
	jb.ratio = ratio;
	jb.dsum = dsum;
	jb.score = score;
	jb.skd = geo_kd_new(sx, sy, m);
	jb.dkd = geo_kd_new(dx, dy, n);
	/* With every W_ij 1 the passes are weighted counts: whole
	 * subtrees inside the catchment are added at once. */
	jb.unit =
	    p->decay == GEO_DECAY_STEP &&
	    (p->method == GEO_ACCESS_2SFCA || p->method == GEO_ACCESS_BFCA);
	if (p->method == GEO_ACCESS_3SFCA || p->method == GEO_ACCESS_BFCA) {
		inv_wsum = xcalloc(n ? n : 1, sizeof(*inv_wsum));
		jb.inv_wsum = inv_wsum;
		geo_par_for(n, 0, pass_wsum, &jb);
	}
	if (jb.unit) {
		double *wd = xmalloc((n ? n : 1) * sizeof(*wd));

		for (i = 0; i < n; i++)
			wd[i] = pop[i] > 0 ? pop[i] * eff(&jb, 1.0, i) : 0.0;
		jb.dprefix = geo_kd_prefix_new(jb.dkd, wd);
		free(wd);
	}
	geo_par_for(m, 0, pass_ratio, &jb);
	if (jb.unit)
		jb.sprefix = geo_kd_prefix_new(jb.skd, ratio);
	geo_par_for(n, 0, pass_score, &jb);
	geo_kd_prefix_free(jb.dprefix);
	geo_kd_prefix_free(jb.sprefix);

	finish(p, n, m, pop, sup, dsum, score, info);
	geo_kd_free(jb.skd);
	geo_kd_free(jb.dkd);
	free(pop);
	free(dsum);
	free(sup);
	free(ratio);
	free(inv_wsum);
	return CORE_OK;
}

/* ---- on the road network ------------------------------------------------ */

/* One supply a demand point reaches within the catchment. */
struct pair {
	size_t j;
	double d;
};

/* One demand point's pairs while its search runs. */
struct pairs {
	struct pair *v;
	size_t n, cap;
};

/*
 * One demand point's pairs, kept until the sums, in supply order.  With a
 * continuous decay the pairs themselves (j, d).  With the step decay W_ij
 * depends only on the zone of d (one zone for 2sfca and bfca, three for
 * e2sfca and 3sfca), so each pair is its supply and zone: a bitset of the
 * m supplies per zone when that is smaller than a list (the usual case
 * for long catchments, where a point reaches most supplies), else a list
 * of j << 2 | zone.  The weights summed are the same doubles either way.
 */
struct reached {
	size_t n;	/* pairs */
	struct pair *v; /* continuous decay: [n] */
	uint32_t *list; /* step decay, few: [n] j << 2 | zone */
	uint64_t *bits; /* step decay, many: [nzones][words] */
};

struct net_job {
	const struct geo_access_params *p;
	const struct geo_net *net;
	enum geo_net_weight w;
	const struct geo_snap *dsnap;
	struct geo_net_targets *tg;
	struct geo_net_search *search[GEO_PAR_MAX];
	/* the hierarchy, when used */
	struct geo_ch *ch;
	struct geo_ch_targets *ct;
	struct geo_ch_query *query[GEO_PAR_MAX];
	size_t base;		  /* pass_reach: the first point */
	size_t hits[GEO_PAR_MAX]; /* pairs found, per worker */
	struct pairs scratch[GEO_PAR_MAX];
	struct reached *rows; /* [n] */
	double *inv_wsum;     /* [n] */
	size_t m;	      /* supplies */
	int zones;	      /* step decay: 1 or 3 zones; 0: continuous */
	size_t words;	      /* bitset words per zone: (m + 63) / 64 */
};

struct collect {
	struct pairs *to;
	double limit;
};

static void collect_cb(void *ctx, size_t target, const struct geo_net_cost *c)
{
	struct collect *k = ctx;
	struct pairs *ps = k->to;

	/* the search's own limit test may differ in the last bit: the
	 * catchment's rule (d <= d0) is applied here */
	if (!(c->cost <= k->limit))
		return;
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 8;
		ps->v = xrealloc(ps->v, ps->cap * sizeof(*ps->v));
	}
	ps->v[ps->n].j = target;
	ps->v[ps->n].d = c->cost;
	ps->n++;
}

static void ch_collect_cb(void *ctx, size_t target, double cost)
{
	struct geo_net_cost c;

	c.cost = cost;
	c.secs = c.metres = NAN;
	collect_cb(ctx, target, &c);
}

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	return (x->j > y->j) - (x->j < y->j);
}

/* The step decay's zone of d (d <= d0), as weight_in decides it. */
static unsigned zone_of(const struct geo_access_params *p, double d)
{
	if (d <= p->catchment / 3.0)
		return 0;
	if (d <= 2.0 * p->catchment / 3.0)
		return 1;
	return 2;
}

/* W of a zone: weight_in's value for any d in it. */
static double zone_weight(const struct net_job *jb, unsigned z)
{
	return jb->zones == 3 ? jb->p->zone_w[z] : 1.0;
}

/* n pairs are kept as bitsets (smaller than a list of them). */
static int dense(const struct net_job *jb, size_t n)
{
	return jb->zones && (size_t)jb->zones * jb->words * 8 < n * 4;
}

/* Keep ps as row r (sorted by supply unless dense). */
static void keep(const struct net_job *jb, const struct pairs *ps,
		 struct reached *r)
{
	size_t k;

	r->n = ps->n;
	if (!ps->n)
		return;
	if (!jb->zones) {
		r->v = xmalloc(ps->n * sizeof(*r->v));
		memcpy(r->v, ps->v, ps->n * sizeof(*r->v));
		return;
	}
	if (dense(jb, ps->n)) {
		r->bits = xcalloc((size_t)jb->zones * jb->words, 8);
		for (k = 0; k < ps->n; k++) {
			size_t j = ps->v[k].j;
			unsigned z =
			    jb->zones == 3 ? zone_of(jb->p, ps->v[k].d) : 0;

			r->bits[z * jb->words + j / 64] |= (uint64_t)1
							   << (j % 64);
		}
		return;
	}
	r->list = xmalloc(ps->n * sizeof(*r->list));
	for (k = 0; k < ps->n; k++)
		r->list[k] = (uint32_t)ps->v[k].j << 2 |
			     (jb->zones == 3 ? zone_of(jb->p, ps->v[k].d) : 0);
}

/* Call f(ctx, j, W_ij) for row r's pairs in supply order. */
static void each_pair(const struct net_job *jb, const struct reached *r,
		      void (*f)(void *, size_t, double), void *ctx)
{
	size_t k, wi;

	if (r->v) {
		for (k = 0; k < r->n; k++)
			f(ctx, r->v[k].j, weight_in(jb->p, r->v[k].d));
	} else if (r->list) {
		for (k = 0; k < r->n; k++)
			f(ctx, r->list[k] >> 2,
			  zone_weight(jb, r->list[k] & 3));
	} else if (r->bits) {
		for (wi = 0; wi < jb->words; wi++) {
			uint64_t any = 0;
			int z;

			for (z = 0; z < jb->zones; z++)
				any |= r->bits[z * jb->words + wi];
			while (any) {
				unsigned b = (unsigned)__builtin_ctzll(any);
				uint64_t bit = (uint64_t)1 << b;

				for (z = 0; z < jb->zones; z++)
					if (r->bits[z * jb->words + wi] & bit)
						break;
				f(ctx, wi * 64 + b,
				  zone_weight(jb, (unsigned)z));
				any &= any - 1;
			}
		}
	}
}

static void wsum_add(void *ctx, size_t j, double w)
{
	(void)j;
	*(double *)ctx += w;
}

/* Per demand point: its pairs, sorted by supply, and 1 / sum W. */
static void pass_reach(void *ctx, size_t begin, size_t end, int worker)
{
	struct net_job *jb = ctx;
	struct pairs *ps = &jb->scratch[worker];
	size_t i, k;

	if (jb->ch && !jb->query[worker])
		jb->query[worker] = geo_ch_query_new(jb->ch);
	if (!jb->ch && !jb->search[worker])
		jb->search[worker] = geo_net_search_new(jb->net);
	for (i = jb->base + begin; i < jb->base + end; i++) {
		struct collect c = {ps, jb->p->catchment};
		double sum = 0;

		if (jb->dsnap[i].seg < 0)
			continue;
		ps->n = 0;
		if (jb->ch)
			geo_ch_reach(jb->query[worker], jb->ct, &jb->dsnap[i],
				     jb->p->catchment, ch_collect_cb, &c);
		else
			geo_net_reach(jb->search[worker], jb->tg, jb->w,
				      GEO_NET_FROM, &jb->dsnap[i],
				      jb->p->catchment, collect_cb, &c);
		jb->hits[worker] += ps->n;
		/* a bitset is in supply order already */
		if (ps->n > 1 && !dense(jb, ps->n))
			qsort(ps->v, ps->n, sizeof(*ps->v), pair_cmp);
		keep(jb, ps, &jb->rows[i]);
		if (jb->rows[i].bits)
			each_pair(jb, &jb->rows[i], wsum_add, &sum);
		else
			for (k = 0; k < ps->n; k++)
				sum += weight_in(jb->p, ps->v[k].d);
		jb->inv_wsum[i] = sum > 0 ? 1.0 / sum : 0.0;
	}
}

/* The effective weight e_ij, as eff() for the kd passes. */
static double net_eff(const struct net_job *jb, double w, size_t i)
{
	switch (jb->p->method) {
	case GEO_ACCESS_3SFCA:
		return w * w * jb->inv_wsum[i];
	case GEO_ACCESS_BFCA:
		return w * jb->inv_wsum[i];
	default:
		return w;
	}
}

struct dsum_ctx {
	const struct net_job *jb;
	const struct geo_snap *ssnap;
	double *dsum;
	double pop;
	size_t i;
};

static void dsum_cb(void *ctx, size_t j, double w)
{
	struct dsum_ctx *c = ctx;

	if (c->ssnap[j].seg >= 0)
		c->dsum[j] += c->pop * net_eff(c->jb, w, c->i);
}

struct score_ctx {
	const struct net_job *jb;
	const double *ratio;
	size_t i;
	double a;
};

static void score_cb(void *ctx, size_t j, double w)
{
	struct score_ctx *c = ctx;

	if (c->ratio[j] != 0.0)
		c->a += net_eff(c->jb, w, c->i) * c->ratio[j];
}

int geo_access_compute_net(const struct geo_access_params *p,
			   const struct geo_net *net, enum geo_net_weight w,
			   size_t n, const struct geo_snap *dsnap,
			   const double *demand, size_t m,
			   const struct geo_snap *ssnap, const double *supply,
			   double *score, struct geo_access_info *info,
			   struct core_err *err)
{
	struct net_job jb;
	double *pop = NULL, *sup = NULL, *dsum = NULL, *ratio = NULL;
	size_t i, j;
	int rc, t, hier = 0;

	rc = geo_access_params_check(p, err);
	if (rc)
		return rc;
	memset(&jb, 0, sizeof(jb));
	pop = xmalloc((n ? n : 1) * sizeof(*pop));
	sup = xmalloc((m ? m : 1) * sizeof(*sup));
	dsum = xcalloc(m ? m : 1, sizeof(*dsum));
	ratio = xcalloc(m ? m : 1, sizeof(*ratio));
	for (i = 0; i < n; i++)
		pop[i] = demand[i] > 0 ? demand[i] : 0.0;
	for (j = 0; j < m; j++)
		sup[j] = supply[j] > 0 ? supply[j] : 0.0;
	jb.p = p;
	jb.net = net;
	jb.w = w;
	jb.dsnap = dsnap;
	jb.tg = geo_net_targets_new(net, m, ssnap);
	jb.rows = xcalloc(n ? n : 1, sizeof(*jb.rows));
	jb.inv_wsum = xcalloc(n ? n : 1, sizeof(*jb.inv_wsum));
	jb.m = m;
	jb.words = (m + 63) / 64;
	jb.zones =
	    p->decay != GEO_DECAY_STEP ? 0
	    : p->method == GEO_ACCESS_E2SFCA || p->method == GEO_ACCESS_3SFCA
		? 3
		: 1;
	if (m >= ((size_t)1 << 30))
		jb.zones = 0; /* j << 2 would not fit a list entry */
	if (m > 0) {
		int use = p->engine == GEO_ACCESS_ENGINE_HIERARCHY;

		if (p->engine == GEO_ACCESS_ENGINE_AUTO) {
			/* the first points by Dijkstra; their share of the
			 * supplies says which engine does the rest */
			size_t placed = 0, sampled = 0, hits = 0;

			jb.base = 0;
			geo_par_for(n < 16 ? n : 16, 0, pass_reach, &jb);
			for (j = 0; j < m; j++)
				placed += ssnap[j].seg >= 0;
			for (i = 0; i < n && i < 16; i++)
				sampled += dsnap[i].seg >= 0;
			for (t = 0; t < GEO_PAR_MAX; t++)
				hits += jb.hits[t];
			jb.base = n < 16 ? n : 16;
			use = sampled && placed &&
			      (double)(n - jb.base) *
				      ((double)hits / (double)sampled /
					   (double)placed -
				       1.0 / 15) >
				  100;
		}
		if (use) {
			jb.ch = geo_ch_build(net, w);
			jb.ct =
			    geo_ch_targets_new(jb.ch, GEO_NET_FROM, m, ssnap);
		}
		geo_par_for(n - jb.base, 0, pass_reach, &jb);
		hier = use;
	}
	for (t = 0; t < GEO_PAR_MAX; t++) {
		geo_net_search_free(jb.search[t]);
		geo_ch_query_free(jb.query[t]);
		free(jb.scratch[t].v);
	}
	geo_ch_targets_free(jb.ct);
	geo_ch_free(jb.ch);

	/* D_j over i in index order, each i's pairs in supply order */
	for (i = 0; i < n; i++) {
		struct dsum_ctx dc = {&jb, ssnap, dsum, pop[i], i};

		if (pop[i] > 0)
			each_pair(&jb, &jb.rows[i], dsum_cb, &dc);
	}
	for (j = 0; j < m; j++)
		ratio[j] = dsum[j] > 0 ? sup[j] / dsum[j] : 0.0;
	for (i = 0; i < n; i++) {
		struct score_ctx sc = {&jb, ratio, i, 0.0};

		if (dsnap[i].seg < 0) {
			score[i] = NAN;
			continue;
		}
		each_pair(&jb, &jb.rows[i], score_cb, &sc);
		score[i] = sc.a;
	}
	finish(p, n, m, pop, sup, dsum, score, info);
	if (info)
		info->hierarchy = hier;
	for (i = 0; i < n; i++) {
		free(jb.rows[i].v);
		free(jb.rows[i].list);
		free(jb.rows[i].bits);
	}
	free(jb.rows);
	free(jb.inv_wsum);
	geo_net_targets_free(jb.tg);
	free(pop);
	free(sup);
	free(dsum);
	free(ratio);
	return CORE_OK;
}
