/*
 * geo_deserts.h - the parts of a study area farther than a distance from
 * every asset of a category ("deserts"), as polygons, with the
 * population and cohort inside.
 *
 * Everything is in the analysis CRS (metres).  The study area is the
 * union of the areas given, leaving out water-only areas
 * (AREA_FLAG_WATER): their values are still computed, but they add
 * nothing to the totals or to the desert pieces.
 *
 * How (GEOS, reentrant API, one context per thread):
 *   - each area's polygons are validated (GEOSMakeValid, structure
 *     method, when GEOSisValid says no) before any overlay;
 *   - each asset within reach of an area is buffered by the distance,
 *     the buffers are unioned (GEOSUnaryUnion: a cascaded union), and the
 *     union is subtracted from the area: area by area, on every core;
 *   - the areas' deserts are unioned into pieces (connected polygons).
 * A buffer is a regular polygon of 4 * quad_segs sides inscribed in the
 * circle (default 32: 128 sides, area 0.9996 of the circle's, boundary
 * at most D * (1 - cos(pi / 128)) = 0.03% of D inside it).  Desert areas
 * are therefore at most that much too large along the circles' edges.
 *
 * On the road network (in->net not NULL: --by walk, bike or drive), the
 * desert is the part of the study area farther than T (a time, or a
 * network distance) door to door from every asset, as geo_net measures
 * it: a place joins the network at its snap point (geo_net_snap), walks
 * (rides, drives) its off-road leg at the access speed, then travels
 * along the network to the asset's snap point and the asset's own leg.
 * How the polygons are made:
 *   - the assets are snapped (those beyond snap_m are left out and
 *     counted: assets_unplaced), and one multi-source search gives every
 *     node its cost to the nearest asset (geo_net_node_costs, dir TO:
 *     people travel to the assets), limited to T;
 *   - along each segment the cost of a point is linear from each end
 *     (t * seconds b->a to reach a, and so on; assets sitting mid-segment
 *     add two more linear pieces, one each way from the asset's snap
 *     point, as far as the segment's directions allow); the reachable
 *     part of each such piece, with the budget left at each point,
 *     r(t) = T - cost(t), is a "reach piece";
 *   - a place joins the network at the nearest point q of its nearest
 *     road; it is within T when its leg |place - q| <= min(k * r(q),
 *     snap_m), k the access speed (metres per second; 1 for a network
 *     distance).  So each reach piece is drawn as a slab: the points
 *     whose nearest point on the segment lies in the piece, within
 *     min(k * r, snap_m) of it (a trapezoid, or a hexagon where the snap
 *     cap starts: r is linear along the piece); and each node within T
 *     gets a cap: the disk of radius min(k * (T - cost), snap_m) cut to
 *     the points beyond the node on every segment meeting it (those
 *     whose nearest road point is the node).  Caps are 4 * quad_segs-gons
 *     inscribed in their circles (default 8 on the network: 32 sides,
 *     0.5% of the radius inside);
 *   - a grid of cells of 1/64 of the largest radius (at least 5 m)
 *     marks the cells wholly inside some piece; a piece every cell of
 *     which is so covered is dropped before the union, and the covered
 *     cells join the union instead (as runs along each row): the same
 *     reach, in far fewer polygons (Oakland, 25 minutes walking: 700 of
 *     31,125 pieces left);
 *   - per area, the pieces near it are unioned (GEOSUnaryUnion) and
 *     subtracted, as above; desert polygons under GEO_DESERT_SLIVER_M2
 *     (slivers where the pieces' edges meet) are dropped.
 * This reach lies between two measures.  It holds every place within T
 * by geo_net's (the place joins its nearest road), so every point of
 * the desert is farther than T door to door (less the caps' 0.5%); and
 * it is held by the reach of a free choice of road (a place may join any
 * road within snap_m, at that road's nearest point), so a point outside
 * the desert is within T when it walks to the road that reaches it.
 * The two differ where a place's nearest road is slower than a farther
 * one: near the desert's edge, within about a block on a street grid
 * (test_net_deserts: 103 m on a 100 m grid walking; driving, beside a
 * one-way street across a river, up to 259 m for 0.3% of the points).
 * Places beyond snap_m of every road are desert in the polygons; cohort
 * members there are not placed (counted apart, in no desert).  A cost
 * exactly at T reaches (cost <= T).
 *
 * What is inside:
 *   - population: areal weighting, each area's population times the
 *     share of its area in the desert;
 *   - a point cohort: exact, not weighted: a member is in the desert when
 *     it lies in a (non-water) area and its nearest asset is farther than
 *     D (dx * dx + dy * dy > D * D, the rule of geo_kd), the same test as
 *     'coverage'; on the network, when its own door-to-door cost to the
 *     nearest asset (geo_net_snap + geo_net_nearest) is above T or none
 *     is reached; it is counted in the piece that contains it (the
 *     nearest piece when the polygon approximation puts it just outside);
 *   - a counts cohort (counts per area): areal weighting, like population.
 *
 * Ownership: geo_deserts_compute returns an object the caller frees with
 * geo_deserts_free (which accepts NULL).
 */
#ifndef GEO_DESERTS_H
#define GEO_DESERTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "geo/geo_load.h"
#include "geo/geo_net.h"
#include "geo/geo_proj.h"

/* Default quadrant segments of a buffer: 128-sided circles. */
#define GEO_DESERT_QUAD_SEGS 32
/* On the road network: 32-sided circles (there are many more). */
#define GEO_DESERT_NET_QUAD_SEGS 8
/* On the road network, desert polygons smaller than this (square
 * metres) are slivers where the reach pieces' edges meet in floating
 * point, and are dropped. */
#define GEO_DESERT_SLIVER_M2 1.0

struct geo_deserts_in {
	const struct geo_areas *areas; /* projected (metres) */
	size_t nassets;		       /* supply points (may be 0) */
	const double *ax, *ay;	       /* [nassets] metres */
	double within;		       /* D in metres, >= 0 */
	int quad_segs;		       /* 0: GEO_DESERT_QUAD_SEGS (on the
					  network GEO_DESERT_NET_QUAD_SEGS) */
	/* A point cohort (nmembers 0 and NULLs: none). */
	size_t nmembers;
	const double *mx, *my; /* [nmembers] metres */
	const int32_t *marea;  /* [nmembers] area index, -1 outside */
	/* A counts cohort: counts per area [areas->n], or NULL. */
	const double *counts;
	/* On the road network (NULL: straight lines).  within is then T:
	 * seconds with GEO_NET_TIME, metres of network with
	 * GEO_NET_LENGTH. */
	const struct geo_net *net;
	enum geo_net_weight weight;
	double snap_m; /* the farthest snap, metres; 0: GEO_NET_SNAP_MAX_M */
};

struct geo_desert_piece {
	double area_m2;
	double px, py;	  /* a point inside it (metres) */
	double pop;	  /* areal-weighted population (NaN parts skipped) */
	double cohort;	  /* members inside, or weighted counts; NaN
			     without a cohort */
	size_t nareas;	  /* how many areas it reaches into */
	size_t main_area; /* the area holding most of it */
};

struct geo_deserts_int;

struct geo_deserts {
	size_t n;	   /* areas, as given */
	double *area_m2;   /* [n] each area's area */
	double *desert_m2; /* [n] its area in the desert */
	double *share;	   /* [n] desert_m2 / area_m2 (NaN for an
			      area of no area) */
	double *pop_in;	   /* [n] population * share (NaN when the
			      population is unknown) */
	double *cohort_in; /* [n] cohort in the desert; NaN without a
			      cohort */
	/* Totals over the study area (non-water areas). */
	double study_m2, desert_total_m2;
	double pop_total, pop_in_total;	      /* known populations only */
	double cohort_total, cohort_in_total; /* NaN without a cohort */
	size_t nwater;			      /* water-only areas left out */
	/* On the road network: assets beyond snap_m of every road (left
	 * out); cohort members in the study area beyond it (not placed:
	 * counted in cohort_total, in no desert, and reported); the reach
	 * pieces built and those left after the pruning. */
	size_t assets_unplaced, members_unplaced;
	size_t reach_pieces, reach_kept;
	/* The desert's connected pieces, largest first. */
	size_t npieces;
	struct geo_desert_piece *pieces;
	struct geo_deserts_int *priv; /* the geometries */
};

/*
 * Compute the deserts.  Fails with CORE_ELIB when GEOS reports an error
 * (naming the area), CORE_EUSAGE for a negative, infinite or NaN
 * distance.
 */
int geo_deserts_compute(const struct geo_deserts_in *in,
			struct geo_deserts **out, struct core_err *err);
void geo_deserts_free(struct geo_deserts *d);

/*
 * The desert as well-known binary (a MultiPolygon, empty never: returns
 * CORE_OK with *wkb NULL and *len 0 when there is nothing), transformed
 * back to longitude/latitude with geo_proj_inv when proj is not NULL
 * (metres otherwise).  piece 0: area i's part of the desert (i <
 * d->n); piece 1: desert piece i (i < d->npieces).  *wkb is malloc'd
 * (free it).
 */
int geo_deserts_wkb(const struct geo_deserts *d, int piece, size_t i,
		    struct geo_proj *proj, unsigned char **wkb, size_t *len,
		    struct core_err *err);

#endif
