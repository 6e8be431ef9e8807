/*
 * geo_recruit.h - which K assets that are not yet partners would, if
 * they became partners, cover the most people our current partners
 * leave uncovered: maximal covering with the existing assets of a
 * category as the candidates (issue 15, 'assetmap recruit').
 *
 * The assets of one category (after the user's supply filters) split by
 * their row in the partnership register (table partners, schema 7):
 *   - current partners: partners.status = 'current'.  A demand point is
 *     covered when some current partner is within D of it;
 *   - candidates: every other asset of the category, "prospective"
 *     (status 'prospective') or "unaffiliated" (status 'former' or
 *     'none', or no row in partners at all: a former partner is no
 *     partner now, and an asset nobody has entered in the register is
 *     nobody's partner).
 *
 * The problem is geo_sites' (maximal covering location, geo_sites.h),
 * with the current partners as the existing sites and the candidates'
 * places as the candidate sites: the same demand, the same edge rule (a
 * point at exactly D is covered), the same road-network reach with
 * --by walk|bike|drive, the same greedy with its (1 - 1/e) guarantee and
 * upper bound, and the same exact search when the combinations are few.
 * geo_recruit_solve splits the assets, hands the two sets to
 * geo_sites_solve and maps its candidate indexes back to the assets.
 * Candidates are given to it in the order of the assets (ascending
 * asset id, as geo_supply_load returns them), so ties in the greedy go
 * to the lower asset id.  The exact search keeps greedy's picks when
 * they are optimal, else takes the first optimal set it meets (the same
 * for the same input) and lists it in greedy order, ties again to the
 * lower asset id.
 *
 * What is reported (struct geo_sites): each pick's marginal gain (the
 * weight it covers that no current partner and no earlier pick covers),
 * the running total, and an upper bound on the best possible gain with
 * K picks: the smallest, over the greedy steps t, of f(S_t) plus the K
 * largest marginal gains after step t (each is >= the optimum, since
 * coverage is submodular); equal to the gain when exact.  Greedy's gain
 * is at least (1 - 1/e) of the optimum whatever the instance.
 *
 * Ownership: geo_recruit_solve returns an object the caller frees with
 * geo_recruit_free (which accepts NULL); its s is owned by it.
 */
#ifndef GEO_RECRUIT_H
#define GEO_RECRUIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "geo/geo_net.h"
#include "geo/geo_sites.h"

/* An asset's standing in the partnership register, for recruiting. */
enum geo_partner_status {
	GEO_PARTNER_UNAFFILIATED = 0, /* 'former', 'none' or no row */
	GEO_PARTNER_CURRENT,	      /* 'current' */
	GEO_PARTNER_PROSPECTIVE	      /* 'prospective' */
};

/* The word a coalition reads: "current partner", "prospective",
 * "unaffiliated". */
const char *geo_partner_status_word(enum geo_partner_status s);
/* The code for CSV and JSON: "current", "prospective", "unaffiliated". */
const char *geo_partner_status_code(enum geo_partner_status s);

/*
 * The standing of each of the n assets ids[0..n) (ascending, as
 * geo_supply_load gives them) into status[0..n), from one pass over the
 * partners table.  Errors are the workspace's (CORE_EDB).
 */
int geo_partner_status_load(struct core_ws *ws, const int64_t *ids, size_t n,
			    unsigned char *status, struct core_err *err);

struct geo_recruit_in {
	size_t ndemand;
	const double *dx, *dy;	     /* [ndemand] metres */
	const double *dw;	     /* [ndemand] weights; NULL: all 1 */
	size_t nassets;		     /* the category's assets */
	const double *ax, *ay;	     /* [nassets] metres */
	const unsigned char *status; /* [nassets] enum geo_partner_status */
	double within;		     /* D: metres, or on the network as
					geo_sites_in's */
	size_t k;		     /* picks wanted, >= 1 */
	enum geo_sites_method method;
	double exact_max;	   /* 0: GEO_SITES_EXACT_MAX combinations */
	const struct geo_net *net; /* NULL: straight lines */
	enum geo_net_weight weight;
	double snap_m;
};

struct geo_recruit {
	struct geo_sites *s; /* the solve: s->pick[] index cand[], s->total,
				s->uncovered (not covered by a current
				partner), s->gain, s->cum, s->bound,
				s->exact ... as geo_sites.h */
	size_t ncurrent;     /* current partners among the assets */
	size_t ncand;	     /* candidates: the other assets */
	size_t nprospective; /* of which prospective */
	size_t *cand;	     /* [ncand] asset index of each candidate,
				ascending */
	size_t *pick;	     /* [s->npicks] asset index of each pick, in
				pick order */
};

/*
 * Split in's assets into current partners and candidates and solve
 * (see the file comment).  *out is the caller's, NULL on failure.
 * Returns CORE_OK, or geo_sites_solve's errors (CORE_EUSAGE for a bad
 * within).  No candidates is not an error: no picks, and every figure
 * of who is covered still there.
 */
int geo_recruit_solve(const struct geo_recruit_in *in, struct geo_recruit **out,
		      struct core_err *err);
void geo_recruit_free(struct geo_recruit *r);

#endif
