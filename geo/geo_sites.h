/*
 * geo_sites.h - where K new sites would reach the most people now out of
 * reach: the maximal covering location problem (Church and ReVelle,
 * 1974).
 *
 * Demand points (cohort members with weight 1, or area points weighted
 * by their population or counts) are "uncovered" when no existing asset
 * is within D of them.  A candidate site covers the uncovered points
 * within D of it.  Choose K candidates covering the largest total weight.
 * Distances are Euclidean in the analysis CRS, with geo_kd's edge rule:
 * a point at exactly D is covered (dx * dx + dy * dy <= D * D).
 *
 * On the road network (in->net not NULL: --by walk, bike or drive), the
 * same problem with geo_net's door-to-door costs in place of distances,
 * and D a time (GEO_NET_TIME, seconds) or a network distance
 * (GEO_NET_LENGTH, metres): a point is covered when its cost to its
 * nearest existing asset is <= D (one multi-source search,
 * geo_net_nearest, people travelling to the assets); a candidate covers
 * the uncovered points whose cost to it is <= D (geo_net_reach from the
 * candidate, dir TO, limit D: one search per candidate, on every core).
 * Demand points, assets and candidates beyond snap_m of every road are
 * not placed: such points are left out of every total (counted in
 * unplaced / unplaced_w), such assets and candidates reach no one
 * (assets_unplaced, cand_unplaced).
 *
 * Method:
 *   - demand points covered by the same set of candidates are merged
 *     into one class first (their weights added), so the work depends on
 *     how the candidates' circles overlap, not on how many people there
 *     are;
 *   - greedy: repeatedly add the candidate of largest marginal gain
 *     (ties: the smaller candidate index).  Coverage is submodular, so
 *     greedy reaches at least (1 - 1/e) = 63.2% of the optimum
 *     (Nemhauser, Wolsey and Fisher, 1978).  The bound reported is
 *     min over steps t of f(S_t) + the sum of the K largest marginal
 *     gains after step t, which is >= the optimum for the same reason;
 *     it is often much tighter than f / (1 - 1/e);
 *   - exact: when the candidates that cover anyone are at most K (take
 *     them all) or C(useful, K) <= exact_max, a depth-first search over
 *     every combination (pruned by the same kind of bound, seeded with
 *     greedy's answer, so the result is greedy's whenever greedy is
 *     optimal).  The picks are then listed in greedy order within the
 *     optimal set, each with its marginal gain.
 *
 * Ownership: geo_sites_solve returns an object the caller frees with
 * geo_sites_free (which accepts NULL).  A struct geo_sites_cands starts
 * zeroed, owns its arrays and strings, and is emptied by
 * geo_sites_cands_release.
 */
#ifndef GEO_SITES_H
#define GEO_SITES_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "geo/geo_load.h"
#include "geo/geo_net.h"
#include "geo/geo_proj.h"

#define GEO_SITES_EXACT_MAX 200000

enum geo_sites_method {
	GEO_SITES_AUTO = 0, /* exact when small enough, else greedy */
	GEO_SITES_GREEDY,
	GEO_SITES_EXACT /* exact whatever the size (may be slow) */
};

struct geo_sites_in {
	size_t ndemand;
	const double *dx, *dy; /* [ndemand] metres */
	const double *dw;      /* [ndemand] weights >= 0; NULL: all 1.
				  NaN weights count as 0 */
	size_t nassets;	       /* existing sites */
	const double *ax, *ay;
	size_t ncand; /* candidate sites */
	const double *cx, *cy;
	double within; /* D, metres */
	size_t k;      /* sites to add */
	enum geo_sites_method method;
	double exact_max; /* 0: GEO_SITES_EXACT_MAX combinations */
	/* On the road network (NULL: straight lines); within is then
	 * seconds (GEO_NET_TIME) or metres of network (GEO_NET_LENGTH). */
	const struct geo_net *net;
	enum geo_net_weight weight;
	double snap_m; /* the farthest snap; 0: GEO_NET_SNAP_MAX_M */
};

struct geo_sites {
	int exact;	     /* 1: the picks are proven optimal */
	double combinations; /* C(useful, k) */
	size_t nodes;	     /* combinations looked at by the exact search */
	size_t npicks;	     /* <= k: stops when no candidate adds anyone */
	size_t *pick;	     /* [npicks] candidate index, in pick order */
	double *gain;	     /* [npicks] marginal weight covered */
	double *cum;	     /* [npicks] weight covered by picks 1..i */
	double covered;	     /* cum of the last pick (0 with none) */
	double bound;	     /* upper bound on the optimum (== covered
				when exact) */
	double total;	     /* all demand weight */
	double uncovered;    /* demand weight beyond D of every asset */
	double coverable;    /* uncovered weight some candidate covers */
	size_t useful;	     /* candidates covering anyone uncovered */
	double *solo;	     /* [ncand] uncovered weight each covers alone */
	int *first;	     /* [ndemand] 1-based pick that first covers
				the point, 0 none, -1 already covered
				by an existing asset */
	/* On the network: demand points not placed (left out of total)
	 * and their weight; assets and candidates not placed. */
	size_t unplaced, assets_unplaced, cand_unplaced;
	double unplaced_w;
};

/* The candidate sites, where they are and what they are called. */
struct geo_sites_cands {
	size_t n, cap;
	double *x, *y;	   /* [n] metres in the analysis CRS */
	double *lon, *lat; /* [n] WGS84 */
	char **label;	   /* [n] area GEOID, or the file's name/id/row */
	char **name;	   /* [n] area name, or NULL */
};

/* Append a candidate at lon, lat (copied into x, y as well, for
 * geo_sites_cands_project); label and name (may be NULL) are copied. */
void geo_sites_cands_add(struct geo_sites_cands *c, double lon, double lat,
			 const char *label, const char *name);

/* Project every candidate's lon, lat into x, y.  Errors are PROJ's,
 * through geo_proj_fwd. */
int geo_sites_cands_project(struct geo_sites_cands *c, struct geo_proj *proj,
			    struct core_err *err);

/*
 * The areas' points as candidates, appended to c: area i at (ax[i],
 * ay[i]) metres (its point: geo_area_points), labelled by its GEOID and
 * named by its name.  Water-only and unpopulated areas (any flag set)
 * and areas without a point are left out.  lon, lat come from proj's
 * inverse; its errors are PROJ's.
 */
int geo_sites_cands_from_areas(struct geo_sites_cands *c,
			       const struct geo_areas *areas, const double *ax,
			       const double *ay, struct geo_proj *proj,
			       struct core_err *err);

void geo_sites_cands_release(struct geo_sites_cands *c);

/*
 * Choose up to in->k of the in->ncand candidates covering the most
 * uncovered demand weight within in->within metres, by the method in
 * in->method (see the file comment), and fill *out with the picks in pick
 * order, their gains, the bound and the per-candidate and per-point
 * figures of struct geo_sites.  in's arrays are only read.  *out is the
 * caller's, freed with geo_sites_free; it is NULL on failure.  Returns
 * CORE_OK, or CORE_EUSAGE when in->within is negative, infinite or NaN.
 */
int geo_sites_solve(const struct geo_sites_in *in, struct geo_sites **out,
		    struct core_err *err);
void geo_sites_free(struct geo_sites *s);

#endif
