/*
 * imp_roads.h - import roads: an OpenStreetMap extract (.osm.pbf or .osm
 * XML, as Geofabrik or BBBike serve it, or cut with osmium) into the
 * walking, cycling and driving graphs of geo_net.h, stored in one
 * transaction.
 *
 * Reading.  GDAL's OSM driver, layer "lines" only (every OSM way that is
 * not an area), fields highway and other_tags (the way's other tags as
 * GDAL writes them: "key"=>"value","k2"=>"v2", with '"' and '\' inside
 * a key or value escaped by a '\').  Relations (route relations,
 * multipolygons) are not read: a ferry or a pedestrian area mapped only
 * as a relation or a closed area is not on the network, nor is a closed
 * way GDAL takes for an area (area = yes, or a tag such as amenity,
 * building, landuse or leisure on it: osmconf.ini's
 * closed_ways_are_polygons).
 *
 * Topology.  OpenStreetMap ways that meet share a node, and a shared
 * node has one position, so its coordinates are the same bits in every
 * way GDAL hands us.  Nodes are made by hashing each vertex's exact
 * (lon, lat): every vertex of a used way is a node, and two ways meet
 * where, and only where, they have a vertex at the same coordinates.
 * (Two distinct OSM nodes at exactly the same position - rare, and
 * usually a mapping error - are joined too; a bridge over a road has no
 * vertex in common with it and stays apart.)  Each consecutive pair of
 * vertices is a segment, its length geodesic on WGS84 (PROJ's
 * geod_inverse).  A repeated vertex (a zero-length piece) is skipped.
 *
 * Which ways each mode may use (IMP_ROADS_CLASSES in imp_roads.c holds
 * the table; README.md "Road networks: import roads" shows it):
 *   drive  motorway, trunk, primary, secondary, tertiary and their
 *          _link, unclassified, residential, living_street, service,
 *          road; track only with motor_vehicle/motorcar = yes.
 *   walk   footway, path, pedestrian, steps, corridor, cycleway,
 *          living_street, residential, service, track, unclassified,
 *          tertiary, secondary, primary and their _link, road; trunk,
 *          trunk_link and bridleway only with foot = yes; never
 *          motorway or motorway_link.
 *   bike   cycleway, path, living_street, residential, service, track,
 *          unclassified, tertiary, secondary, primary and their _link,
 *          road; footway, pedestrian, bridleway, trunk and trunk_link
 *          only with bicycle = yes; never motorway, motorway_link or
 *          steps.
 * "Only with X = yes" accepts yes, designated, permissive or official.
 * Access: the most specific tag present decides - walk: foot, then
 * access; bike: bicycle, vehicle, access; drive: motorcar,
 * motor_vehicle, vehicle, access - and no, private, agricultural,
 * forestry, military, delivery, emergency and use_sidepath forbid (so
 * access = private with foot = yes is walkable).  Never used: area = yes,
 * highway = construction or proposed, and any other highway value
 * (platform, raceway, bus_guideway, elevator, ...).
 *
 * One-way.  Driving: oneway = yes, true or 1 (the way's direction),
 * -1 or reverse (against it), no, false or 0 (both); absent: one-way
 * on motorway, motorway_link and junction = roundabout or circular,
 * else both; reversible or alternating: not driven; any other value is
 * read as two-way and counted (oneway_unread).  Cycling follows the
 * same one-way unless oneway:bicycle says otherwise (no: both ways;
 * yes/-1: that way) or cycleway (or cycleway:left/right/both) is
 * opposite, opposite_lane or opposite_track.  Walking ignores one-way.
 *
 * Speeds.  Walking GEO_NET_WALK_MPS (4.8 km/h), steps half of it;
 * cycling GEO_NET_BIKE_MPS (15 km/h); driving the way's maxspeed when
 * it can be read (imp_roads_maxspeed: "40", "50 km/h", "25 mph",
 * "10 knots"), else the class's default (imp_roads_drive_kmh: "none",
 * "signals" and "variable" mean the default; any other value that
 * cannot be read is counted in maxspeed_unread and gets the default).
 * Ferries (route = ferry, any highway or none): every mode may use
 * them unless its own access tag forbids, each way as one-way tags say
 * (ferries are rarely one-way); the crossing takes the way's duration
 * ("1:30", "0:45:00", "PT1H30M", or minutes) spread over its segments
 * by length, else IMP_ROADS_FERRY_KMH; waiting time is not counted.
 *
 * A way no mode may use is counted under one reason (enum
 * imp_roads_skip): not a road, construction, area, in that order; then
 * closed by access tags when some mode uses its class by default but
 * its tags (or oneway = reversible) close it to every such mode, else a
 * kind of way no mode uses (including a class a mode uses only when
 * tagged, without the tag).
 */
#ifndef IMP_ROADS_H
#define IMP_ROADS_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "geo/geo_basemap.h"
#include "geo/geo_net.h"
#include "importers/imp_common.h"

/* A ferry's speed when its duration is not tagged (or not read). */
#define IMP_ROADS_FERRY_KMH 20.0

/* Why a way is on no mode's graph. */
enum imp_roads_skip {
	IMP_ROADS_SKIP_NOT_ROAD = 0, /* no highway tag and not a ferry:
					railways, rivers, power lines ... */
	IMP_ROADS_SKIP_BUILDING,     /* highway = construction, proposed */
	IMP_ROADS_SKIP_AREA,	     /* area = yes */
	IMP_ROADS_SKIP_CLASS,	     /* a highway value no mode uses
					(platform, raceway, ...) or one a
					mode uses only with a tag */
	IMP_ROADS_SKIP_ACCESS,	     /* access tags forbid every mode, or
					a reversible road */
	IMP_ROADS_SKIP_GEOMETRY,     /* fewer than two distinct points */
	IMP_ROADS_SKIP_TAGS,	     /* other_tags GDAL wrote that we
					cannot read */
	IMP_ROADS_SKIP_COUNT
};

/* "not a road", "under construction or proposed", ... */
const char *imp_roads_skip_name(enum imp_roads_skip r);

/* ---- the rules, one way at a time ----------------------------------- */

/* A way's tags: key/value pairs, highway among them. */
struct imp_roads_tags {
	size_t n, cap;
	const char **kv; /* kv[2i] the key, kv[2i + 1] its value */
	char *buf;	 /* the unescaped text they point into */
	size_t bufcap;
};

/*
 * Set t to other_tags (NULL or "": none) plus highway (NULL: none),
 * which t borrows.  Returns 0, or -1 when other_tags is not the
 * "k"=>"v",... GDAL writes (t then holds highway and the pairs read
 * before the fault).  Release with imp_roads_tags_release.
 */
int imp_roads_tags_set(struct imp_roads_tags *t, const char *highway,
		       const char *other_tags);
void imp_roads_tags_release(struct imp_roads_tags *t);
/* The value of key (exact, case-sensitive as OSM is), NULL when absent. */
const char *imp_roads_tag(const struct imp_roads_tags *t, const char *key);

/*
 * A maxspeed value in km/h: "50", "50 km/h", "50 kmh", "50 kph",
 * "25 mph", "25mph", "10 knots" (decimals allowed; 1 to 300 km/h).
 * Returns 1 with *kmh set; 0 for "none", "signals", "variable" (the
 * class default applies); -1 for anything else (not read: "US:urban",
 * "50;30", "fast").
 */
int imp_roads_maxspeed(const char *s, double *kmh);

/* A duration ("1:30", "0:45:00", "45", "PT1H30M") in seconds (> 0), or
 * -1 when it cannot be read. */
double imp_roads_duration(const char *s);

/* The default driving speed of a highway class in km/h, 0 when driving
 * may not use it. */
double imp_roads_drive_kmh(const char *highway);

/* What one mode may do on one way. */
struct imp_roads_use {
	int ok;		 /* the mode may use the way */
	int fwd, bwd;	 /* along / against its direction */
	double mps;	 /* speed, metres per second (when way_secs is 0) */
	double way_secs; /* a ferry's tagged duration for the whole way */
};

/* What one way gave rise to, beyond use[]. */
struct imp_roads_note {
	int maxspeed_unread; /* a maxspeed tag that could not be read */
	int oneway_unread;   /* a oneway value that is none of ours */
	int duration_unread; /* a ferry's duration that could not be read */
	int ferry;
};

/*
 * Apply the rules above to one way's tags: use[m] for m = GEO_MODE_WALK,
 * BIKE, DRIVE (use[GEO_MODE_LINE] is cleared).  Returns -1 when some
 * mode may use the way, else the reason none may (enum imp_roads_skip;
 * never SKIP_GEOMETRY or SKIP_TAGS, which the reader decides).
 */
int imp_roads_rule(const struct imp_roads_tags *t,
		   struct imp_roads_use use[GEO_MODE_COUNT],
		   struct imp_roads_note *note);

/* ---- reading a file --------------------------------------------------- */

/* One mode's candidate graph, as read (arrays malloc'd, owned). */
struct imp_roads_graph {
	size_t nnodes;
	double *lon, *lat;
	size_t nsegs, cap;
	uint32_t *a, *b;
	double *len_m, *secs_ab, *secs_ba;
	int64_t *way; /* [nsegs] the OSM id of the segment's way */
};

/* What an import read and kept. */
struct imp_roads_stats {
	int64_t ways;			       /* features of layer lines */
	int64_t used[GEO_MODE_COUNT];	       /* ways each mode may use */
	int64_t used_any;		       /* ways some mode may use */
	int64_t skipped[IMP_ROADS_SKIP_COUNT]; /* ways no mode may use */
	int64_t maxspeed_unread;	       /* ways driven at their class
						  default for it */
	char *maxspeed_example;		       /* the first such value */
	int64_t oneway_unread;		       /* read as two-way */
	int64_t ferries, duration_unread;
	int64_t vertices; /* distinct positions of used ways */
	/* per mode: the candidate graph, then what geo_net_build kept */
	size_t cand_nodes[GEO_MODE_COUNT], cand_segs[GEO_MODE_COUNT];
	int stored[GEO_MODE_COUNT]; /* 1: a graph was stored */
	struct geo_net_stats net[GEO_MODE_COUNT];
	/* The ways a map's basemap draws (motorway down to residential;
	 * geo_basemap.h), with class and name, whether or not a mode may
	 * use them; owned, freed by imp_roads_stats_release. */
	struct geo_basemap *lines;
};

void imp_roads_stats_release(struct imp_roads_stats *st);

/*
 * Read path (an OSM PBF or XML file GDAL's OSM driver opens) into one
 * candidate graph per mode: g[GEO_MODE_WALK], g[GEO_MODE_BIKE],
 * g[GEO_MODE_DRIVE] (g[GEO_MODE_LINE] stays empty), counting into *st
 * (zeroed first).  src (imp_source_init(src, "roads")) gets the file's
 * name, path, checksum and format, and rows_read / rows_accepted (ways
 * read / used by some mode).  A progress line runs on stderr.
 * Fails, naming the file, with CORE_EIO (missing, unreadable) or
 * CORE_EFORMAT (empty; not OSM; cut short or damaged, with GDAL's
 * message; no layer lines; no way any mode may use).  Release g with
 * imp_roads_graphs_release either way.
 */
int imp_roads_read(const char *path, struct imp_source *src,
		   struct imp_roads_graph g[GEO_MODE_COUNT],
		   struct imp_roads_stats *st, struct core_err *err);
void imp_roads_graphs_release(struct imp_roads_graph g[GEO_MODE_COUNT]);

/* The build input over g (borrowed: g must outlive it). */
void imp_roads_build_in(const struct imp_roads_graph *g, enum geo_mode m,
			struct geo_net_build_in *in);

/*
 * Import path into ws in one transaction: read it, build each mode's
 * graph (geo_net_build) and store it (geo_net_save), replacing every
 * road graph and earlier 'roads' source of the workspace.  A mode with
 * no road it may use is not stored (st->stored[m] = 0) and the import
 * goes on; with none for any mode it fails.  On failure the workspace
 * is unchanged.  src as for imp_roads_read; *st filled.
 */
int imp_roads_import(struct core_ws *ws, const char *path,
		     struct imp_source *src, struct imp_roads_stats *st,
		     struct core_err *err);

#endif
