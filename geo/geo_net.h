/*
 * geo_net.h - travel on the road network: one mode's graph (walking,
 * cycling or driving) built by 'import roads', stored in the workspace as
 * one compact blob, loaded in milliseconds, and searched with Dijkstra.
 *
 * The graph.  Nodes are the OpenStreetMap vertices the mode can use (lon,
 * lat kept in the blob; x, y in the analysis CRS after geo_net_load).  A
 * segment is the straight piece of a way between two consecutive
 * vertices, a -> b, with its length in metres and its travel time in
 * seconds each way (+inf where the mode may not go that way: a one-way
 * street when driving).  Only the largest strongly connected piece of
 * each mode's graph is kept (geo_net_build), so every node reaches every
 * other one: a place that snaps to the network can reach every asset that
 * snaps to it, unless one-way legs inside a segment forbid it.
 *
 * Places join the network at the nearest point of the nearest segment
 * (not the nearest node): geo_net_snap.  The straight-line leg from the
 * place to that point (off_m) is travelled at the mode's access speed
 * (GEO_NET_ACCESS_*), at both ends: door to door.  A place farther than
 * max_m (default 1 km) from every segment is not placed (seg = -1) and
 * the caller reports it.
 *
 * Costs.  Searches minimise either time (GEO_NET_TIME: seconds, legs at
 * the access speed) or length (GEO_NET_LENGTH: metres, legs included),
 * and report both the seconds and the metres of the path they chose.
 * Moving along a segment from fraction t0 to t1 costs |t1 - t0| times the
 * segment's cost that way, and is allowed only when that way is (so two
 * places on the same one-way segment reach each other in one direction
 * only, directly, without passing a node).  Network costs are never less
 * than the straight-line distance at the same speed (the segments are
 * straight lines between their ends, and their lengths geodesic).
 *
 * Ties: among sources at the same cost, the smaller index wins, so the
 * answers do not depend on the search order or the number of threads.
 *
 * Searching.  At load, runs of nodes that only pass a street on (two
 * segment ends, no loop) become chains between junctions (about a
 * quarter of the nodes of a county's walking graph are junctions).  A
 * search's heap holds junctions only; a settled junction walks each of
 * its chains segment by segment (costs kept in chain order), adding the
 * costs in the order a Dijkstra over every node would, and the labels of
 * the nodes inside the chains are filled in afterwards from both ends and
 * the places seeded on them.
 *
 * Threads: a loaded struct geo_net is read-only; any number of threads
 * may search it at once, each with its own struct geo_net_search.
 *
 * Ownership: geo_net_build returns a malloc'd blob (free()); geo_net_load
 * and geo_net_decode return a graph freed with geo_net_free;
 * geo_net_search_new / geo_net_targets_new objects are freed with their
 * _free.  Every _free accepts NULL.
 */
#ifndef GEO_NET_H
#define GEO_NET_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "geo/geo_proj.h"

/* How people travel.  LINE is today's straight line, no network. */
enum geo_mode {
	GEO_MODE_LINE = 0,
	GEO_MODE_WALK,
	GEO_MODE_BIKE,
	GEO_MODE_DRIVE
};
#define GEO_MODE_COUNT 4

/* Parse "line", "walk", "bike", "drive" (also "walking", "cycling",
 * "driving", "straight"; case-insensitive); -1 when unknown. */
int geo_mode_parse(const char *s, enum geo_mode *m);
/* "line", "walk", "bike", "drive": the stored name. */
const char *geo_mode_name(enum geo_mode m);
/* For people: "straight line", "walking", "cycling", "driving". */
const char *geo_mode_verb(enum geo_mode m);

/* Speeds, metres per second.  On the network: walking 4.8 km/h and
 * cycling 15 km/h everywhere they may go; driving by maxspeed or the
 * highway class (imp_roads documents the table).  Access legs (place to
 * network, off the road): walked at 4.8 km/h when walking, ridden at
 * 15 km/h when cycling, and at 20 km/h when driving (a driveway or a car
 * park). */
#define GEO_NET_WALK_MPS	 (4.8 / 3.6)
#define GEO_NET_BIKE_MPS	 (15.0 / 3.6)
#define GEO_NET_ACCESS_DRIVE_MPS (20.0 / 3.6)
/* The access-leg speed of a mode (GEO_MODE_LINE: walking). */
double geo_net_access_mps(enum geo_mode m);

/* The default farthest snap: 1 km. */
#define GEO_NET_SNAP_MAX_M 1000.0

/* ---- building (import roads) ---------------------------------------- */

/* One mode's candidate graph, as the importer read it.  Nodes are
 * indexed 0 .. nnodes-1; segments refer to them. */
struct geo_net_build_in {
	enum geo_mode mode; /* WALK, BIKE or DRIVE */
	size_t nnodes;
	const double *lon, *lat; /* [nnodes] degrees, WGS84 */
	size_t nsegs;
	const uint32_t *a, *b; /* [nsegs] node indices, a != b allowed
				  to be equal only for a zero-length
				  segment, which is dropped */
	const double *len_m;   /* [nsegs] geodesic length, >= 0 */
	const double *secs_ab; /* [nsegs] seconds a -> b; +inf (or < 0):
				  not allowed that way */
	const double *secs_ba; /* [nsegs] seconds b -> a; likewise */
};

/* What building kept and dropped, for the importer's report. */
struct geo_net_stats {
	size_t nodes, segs;   /* kept: the largest strongly connected
				 piece */
	double km;	      /* kept segments' length */
	size_t pieces;	      /* strongly connected pieces found
				 (1 = connected) */
	size_t dropped_nodes; /* nodes outside the kept piece */
	size_t dropped_segs;  /* usable segments touching them */
	double dropped_km;    /* their length */
	double minlon, minlat, maxlon, maxlat; /* kept nodes' extent */
};

/*
 * Keep the largest strongly connected piece of the graph (ties: the
 * piece holding the smallest node index), renumber its nodes, drop
 * segments usable in neither direction, and encode the result as one
 * blob (versioned, little-endian, compact: about 8 bytes per node and 20
 * per segment).  *st describes it.  CORE_EUSAGE when no segment is usable
 * (the importer's "no roads this mode may use").  The blob is the
 * caller's to free().
 */
int geo_net_build(const struct geo_net_build_in *in, struct geo_net_stats *st,
		  unsigned char **blob, size_t *len, struct core_err *err);

/*
 * Store a mode's blob in the workspace (table road_graphs, schema 6),
 * replacing the mode's previous graph, under source_id (a sources row the
 * importer made).  Runs in the caller's transaction.
 */
int geo_net_save(struct core_ws *ws, enum geo_mode mode, int64_t source_id,
		 const struct geo_net_stats *st, const unsigned char *blob,
		 size_t len, struct core_err *err);

/* ---- loading --------------------------------------------------------- */

struct geo_net;

/*
 * Decode a blob, projecting every node with proj (NULL: x, y stay
 * degrees, for tests only).  CORE_EFORMAT for a blob
 * that is not one of ours, of an unknown version, or inconsistent
 * (indices out of range, negative costs).
 */
int geo_net_decode(const unsigned char *blob, size_t len, struct geo_proj *proj,
		   struct geo_net **out, struct core_err *err);

/*
 * Load the workspace's graph for mode (WALK, BIKE or DRIVE), projected
 * with proj (the analysis CRS).  CORE_ENOTFOUND with the message "no road
 * network in the workspace: run 'assetmap import roads FILE.osm.pbf'"
 * when there is none for the mode.
 */
int geo_net_load(struct core_ws *ws, enum geo_mode mode, struct geo_proj *proj,
		 struct geo_net **out, struct core_err *err);
void geo_net_free(struct geo_net *net);

enum geo_mode geo_net_mode(const struct geo_net *net);
size_t geo_net_nnodes(const struct geo_net *net);
size_t geo_net_nsegs(const struct geo_net *net);
/* Node i's projected position (metres). */
void geo_net_node_xy(const struct geo_net *net, size_t i, double *x, double *y);
/* Segment i: its ends, length and seconds each way (+inf: not allowed). */
void geo_net_seg(const struct geo_net *net, size_t i, uint32_t *a, uint32_t *b,
		 double *len_m, double *secs_ab, double *secs_ba);

/* ---- snapping --------------------------------------------------------- */

struct geo_snap {
	int32_t seg;  /* segment index; -1: not placed (NaN coordinate,
			 or farther than max_m from every segment) */
	double t;     /* position along the segment, 0 at a, 1 at b */
	double off_m; /* straight-line distance from the place to that
			 point (the access leg), metres */
};

/*
 * Snap n places (x, y metres in the analysis CRS) to the nearest point of
 * the nearest segment, within max_m; ties by the smaller segment index.
 * Runs on every core.  Returns how many were not placed.
 */
size_t geo_net_snap(const struct geo_net *net, const double *x, const double *y,
		    size_t n, double max_m, struct geo_snap *out);

/* ---- searching -------------------------------------------------------- */

enum geo_net_weight {
	GEO_NET_TIME = 0, /* minimise seconds */
	GEO_NET_LENGTH	  /* minimise metres */
};

/* Which way a search's paths run. */
enum geo_net_dir {
	GEO_NET_FROM = 0, /* from the origin(s) to the targets */
	GEO_NET_TO	  /* from the targets to the origin(s) */
};

/* One path's costs.  cost is secs or metres, by the weight searched. */
struct geo_net_cost {
	double cost, secs, metres;
};

/*
 * The nearest source for each of n places, in one multi-source search
 * (the sources are, say, every asset of a category; the places, every
 * cohort member): paths run from each place TO its source.  For place i:
 *   which[i] the source index (ties: the smaller), (size_t)-1 when none
 *            is reached within limit;
 *   out[i]   its costs, door to door (both access legs included);
 *            cost +inf when none is reached, NaN when the place itself
 *            is not placed (dst[i].seg < 0).
 * limit: the largest cost worth finding (+inf: no limit); a source beyond
 * it counts as not reached.  Sources not placed are skipped.  Runs the
 * search once, then the places on every core.
 */
int geo_net_nearest(const struct geo_net *net, enum geo_net_weight w,
		    size_t nsrc, const struct geo_snap *src, size_t n,
		    const struct geo_snap *dst, double limit, size_t *which,
		    struct geo_net_cost *out, struct core_err *err);

/* A reusable search state, one per thread. */
struct geo_net_search;
struct geo_net_search *geo_net_search_new(const struct geo_net *net);
void geo_net_search_free(struct geo_net_search *s);

/* Targets indexed by the segments they sit on, for geo_net_reach. */
struct geo_net_targets;
struct geo_net_targets *geo_net_targets_new(const struct geo_net *net, size_t n,
					    const struct geo_snap *t);
void geo_net_targets_free(struct geo_net_targets *tg);

/*
 * Every target within limit of one origin: fn(ctx, target index, costs)
 * once per target reached, with its least cost, in no particular order.
 * dir FROM: paths run origin -> target (near: from the user's place to
 * the partners; access: from a person to the supplies); dir TO: target ->
 * origin (sites: from the people to a candidate).  An origin not placed
 * reaches nothing.  Returns how many targets were reached.
 */
size_t geo_net_reach(struct geo_net_search *s, const struct geo_net_targets *tg,
		     enum geo_net_weight w, enum geo_net_dir dir,
		     const struct geo_snap *origin, double limit,
		     void (*fn)(void *ctx, size_t target,
				const struct geo_net_cost *c),
		     void *ctx);

/*
 * The cost of every node from the nearest of nsrc origins (multi-source),
 * for isochrones: node_cost[nnodes] (+inf where not reached within
 * limit).  dir FROM: origin -> node; TO: node -> origin.  The origins'
 * access legs are included; a node's own leg to a place is not.
 */
int geo_net_node_costs(const struct geo_net *net, enum geo_net_weight w,
		       enum geo_net_dir dir, size_t nsrc,
		       const struct geo_snap *src, double limit,
		       double *node_cost, struct core_err *err);

#endif
