/*
 * geo_access.h - floating catchment area (FCA) access scores, as pure
 * functions over arrays: demand points with their demand, supply points
 * with their capacity, a catchment in metres and a distance decay.
 *
 * The methods follow PySAL's access package (fca.py, weights.py) and the
 * papers it cites.  With d_ij the distance from demand point i to supply
 * point j, C(i) the supplies within the catchment d0 of i (d_ij <= d0:
 * geo_kd's rule, a point exactly at d0 is inside) and W_ij the decay
 * weight (below), every method uses one effective weight e_ij in both of
 * its steps:
 *
 *   D_j = sum_{i: d_ij <= d0} P_i e_ij         demand reaching supply j
 *   R_j = S_j / D_j   (0 when D_j is 0)        supply-to-demand ratio
 *   A_i = sum_{j: d_ij <= d0} e_ij R_j         access at demand point i
 *
 *   2sfca   e_ij = W_ij.  With the step decay W_ij = 1 inside the
 *           catchment: Luo and Wang's strict cutoff.  With a gaussian or
 *           gravity decay: the generalised 2SFCA.
 *   e2sfca  e_ij = W_ij with the step decay split into thirds of the
 *           catchment: W = w1 for d <= d0/3, w2 for d <= 2 d0/3, w3 for
 *           d <= d0 (Luo and Qi 2009; PySAL's step_fn({10: 1, 20: 0.68,
 *           30: 0.22}) for a catchment of 30).  Default weights 1, 0.68,
 *           0.22.  With a gaussian or gravity decay it is the same as
 *           2sfca with that decay.
 *   3sfca   e_ij = G_ij W_ij, with the selection weight
 *           G_ij = W_ij / sum_{k in C(i)} W_ik (Wan, Zou and Sternberg
 *           2012; PySAL's three_stage_fca multiplies by W3 * G in both
 *           steps).  The step decay uses the zone weights as e2sfca.
 *   bfca    e_ij = W_ij / sum_{k in C(i)} W_ik: demand balanced (each
 *           person's demand is split among the supplies they reach
 *           rather than counted once in each: Paez, Higgins and Vivona
 *           2019), and so the supply is balanced too:
 *               sum_i P_i A_i = sum_{j: D_j > 0} S_j
 *           (all supply that some demand reaches is handed out once).
 *           The step decay is the strict cutoff (W = 1).
 *
 * That identity, sum_i P_i A_i = sum over reached supply, holds for every
 * method above because the same e_ij is used in both steps; the methods
 * differ in how each person's demand is spread (2SFCA counts a person in
 * every catchment they fall in; BFCA splits them).
 *
 * Decays (W for d <= d0, 0 beyond):
 *   step      1, or the zone weights (e2sfca, 3sfca);
 *   gaussian  Dai (2010)'s Gaussian within the catchment, normalised to 1
 *             at d = 0 and 0 at d = d0:
 *               W = (exp(-(d/d0)^2 / 2) - exp(-1/2)) / (1 - exp(-1/2));
 *   gravity   W = (max(d, dmin) / d0)^-beta (PySAL's gravity with
 *             scale d0 and alpha = -beta): dmin keeps a supply on top of
 *             a demand point from taking an infinite weight.  The
 *             scale does not change 2sfca/e2sfca/bfca scores (it cancels
 *             between the two steps) and 3sfca's G is scale-free.
 *
 * Normalisation (optional): A_i / Abar with the demand-weighted mean
 * Abar = sum P_i A_i / sum P_i (PySAL's normalized_access), so 1 is
 * average access.
 *
 * Demand NaN or negative counts as 0.  A demand point with a NaN
 * coordinate reaches nothing and gets a NaN score; a supply with a NaN
 * coordinate is never reached.
 *
 * Work: three passes (two for 2sfca/e2sfca) of within-radius searches on
 * geo_kd trees, run on every core with geo_par_for; nothing of size
 * n * m is stored.  Sums are taken in the tree's order, so the same input
 * gives the same bits whatever the number of threads.
 */
#ifndef GEO_ACCESS_H
#define GEO_ACCESS_H

#include <stddef.h>

#include "core/core_err.h"
#include "geo/geo_net.h"

enum geo_access_method {
	GEO_ACCESS_2SFCA = 0,
	GEO_ACCESS_E2SFCA,
	GEO_ACCESS_3SFCA,
	GEO_ACCESS_BFCA
};

enum geo_access_decay {
	GEO_DECAY_STEP = 0,
	GEO_DECAY_GAUSSIAN,
	GEO_DECAY_GRAVITY
};

struct geo_access_params {
	enum geo_access_method method;
	enum geo_access_decay decay;
	double catchment; /* d0, metres, > 0 */
	double zone_w[3]; /* step zone weights (e2sfca, 3sfca), each >= 0 */
	double beta;	  /* gravity exponent, > 0 */
	double min_dist;  /* gravity: nearer distances count as this, > 0 */
	int normalize;	  /* 1: divide by the demand-weighted mean */
	/* on the network: how the searches run (the answers are the same) */
	enum geo_access_engine {
		GEO_ACCESS_ENGINE_AUTO = 0, /* chosen from a sample */
		GEO_ACCESS_ENGINE_SEARCH,   /* a bounded Dijkstra each */
		GEO_ACCESS_ENGINE_HIERARCHY /* geo_ch: PHAST each */
	} engine;
};

/* 2sfca, step, catchment 10 km, zone weights 1 / 0.68 / 0.22, beta 1,
 * min_dist 100 m, not normalised. */
void geo_access_params_init(struct geo_access_params *p);

/* Parse "2sfca", "e2sfca", "3sfca", "bfca" (case-insensitive); -1 when
 * unknown. */
int geo_access_method_parse(const char *s, enum geo_access_method *m);
const char *geo_access_method_name(enum geo_access_method m);
/* Parse "step", "gaussian", "gravity"; -1 when unknown. */
int geo_access_decay_parse(const char *s, enum geo_access_decay *d);
const char *geo_access_decay_name(enum geo_access_decay d);

/* Check the parameters: CORE_EUSAGE naming the bad one. */
int geo_access_params_check(const struct geo_access_params *p,
			    struct core_err *err);

/* The decay weight W at distance d (0 beyond the catchment), for the
 * method and decay of p. */
double geo_access_weight(const struct geo_access_params *p, double d);

/* What a computation saw, for the summary. */
struct geo_access_info {
	size_t supply_reached; /* supplies with D_j > 0 */
	double supply_total;   /* sum S_j over all supplies */
	double supply_used;    /* sum S_j over supplies with D_j > 0 */
	double demand_total;   /* sum P_i (NaN and negatives as 0) */
	size_t demand_reached; /* demand points with A_i > 0 */
	double mean;	       /* demand-weighted mean access before any
				  normalisation (NaN when demand_total is
				  0) */
	int hierarchy;	       /* geo_access_compute_net: 1 when the
				  searches ran on a contraction hierarchy */
};

/*
 * Access scores for n demand points (dx, dy, demand) and m supply points
 * (sx, sy, supply: capacity, 1 where unknown is the caller's choice) into
 * score[n].  Either side may be empty (m == 0: every score 0).  Fills
 * *info when not NULL.  Fails only on bad parameters (CORE_EUSAGE).
 */
int geo_access_compute(const struct geo_access_params *p, size_t n,
		       const double *dx, const double *dy, const double *demand,
		       size_t m, const double *sx, const double *sy,
		       const double *supply, double *score,
		       struct geo_access_info *info, struct core_err *err);

/*
 * The same scores on the road network: d_ij is the door-to-door network
 * cost (geo_net.h) from demand point i to supply j, in seconds with
 * GEO_NET_TIME or network metres with GEO_NET_LENGTH; p->catchment and
 * p->min_dist are in that unit.  The places come snapped (geo_net_snap):
 * dsnap[n] for the demand points, ssnap[m] for the supplies.  A demand
 * point not placed (seg < 0) reaches nothing and gets a NaN score; a
 * supply not placed is never reached.  The formulas, the identity and
 * *info are as for geo_access_compute.
 *
 * Work: one search per placed demand point (dir FROM, limit the
 * catchment), on every core with one search state per thread; each
 * point's pairs (j, d_ij) are kept, sorted by j, and every sum is taken
 * in a fixed order (pairs by j; D_j over i in index order), so the same
 * input gives the same bits whatever the number of threads.  The
 * searches are bounded Dijkstras (geo_net_reach) or, when many points
 * each reach much of the graph, one-to-all PHAST trees on a contraction
 * hierarchy built for the call (geo_ch): p->engine, or with AUTO the
 * first 16 points' searches decide, from the share of the supplies each
 * reaches (a hierarchy when points x (share - 1/15) > 100; a tree costs
 * about a fifteenth of a whole-graph Dijkstra, the hierarchy about a
 * hundred).  Both give the least costs; they may differ in the last bit,
 * so a supply exactly at the catchment could fall either side.
 * Memory: with the step decay, per demand point the lesser of 4 bytes
 * per supply reached and a bitset of the supplies (one per zone: 3 for
 * e2sfca and 3sfca); with a continuous decay 16 bytes per pair within
 * the catchment.
 */
int geo_access_compute_net(const struct geo_access_params *p,
			   const struct geo_net *net, enum geo_net_weight w,
			   size_t n, const struct geo_snap *dsnap,
			   const double *demand, size_t m,
			   const struct geo_snap *ssnap, const double *supply,
			   double *score, struct geo_access_info *info,
			   struct core_err *err);

#endif
