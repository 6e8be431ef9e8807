/*
 * geo_basemap.h - the features of a light basemap drawn under a map:
 * water, roads by class, and the names of streets and places, as an
 * OpenStreetMap extract (imp_basemap) or the workspace's road network
 * gives them.
 *
 * A basemap holds lines (each a run of points with a kind and an
 * optional name; a water area is one closed ring per line, filled
 * even-odd with the other water rings) and places (a point, a name and
 * a rank).  Points are lon/lat degrees (WGS84) until geo_basemap_project
 * turns them into the analysis CRS's metres, in place.
 *
 * Ownership: geo_basemap_new returns what geo_basemap_free frees (NULL
 * accepted); the add functions copy what they are given.
 */
#ifndef GEO_BASEMAP_H
#define GEO_BASEMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"

/* What a line is.  Roads from the largest class down: a map draws the
 * smaller ones first, the larger over them. */
enum geo_bm_kind {
	GEO_BM_WATER = 0, /* a water area's ring */
	GEO_BM_WATERWAY,  /* a river, stream or canal */
	GEO_BM_MOTORWAY,
	GEO_BM_TRUNK,
	GEO_BM_PRIMARY,
	GEO_BM_SECONDARY,
	GEO_BM_TERTIARY,
	GEO_BM_MINOR /* residential, unclassified, living street */
};
#define GEO_BM_KINDS 8

/* Place ranks, most important first; GEO_BM_PLACE_NONE: not drawn. */
enum geo_bm_place {
	GEO_BM_CITY = 0,
	GEO_BM_TOWN,
	GEO_BM_SUBURB,	      /* suburb, village, borough */
	GEO_BM_NEIGHBOURHOOD, /* neighbourhood, quarter, hamlet */
	GEO_BM_PLACE_NONE
};

struct geo_basemap {
	size_t nlines;
	unsigned char *kind; /* [nlines] enum geo_bm_kind */
	char **name;	     /* [nlines] NULL: none */
	size_t *start;	     /* [nlines + 1] point offsets */
	size_t npts;
	double *x, *y; /* [npts] lon/lat, or metres once projected */
	size_t nplaces;
	double *px, *py;     /* [nplaces] */
	char **pname;	     /* [nplaces] never NULL */
	unsigned char *rank; /* [nplaces] enum geo_bm_place */
	size_t linecap, ptcap, placecap;
};

struct geo_basemap *geo_basemap_new(void);
void geo_basemap_free(struct geo_basemap *bm);

/* The kind of an OSM highway=* value ("primary_link" is primary), or
 * -1 when the basemap does not draw it (service, footway, ...). */
int geo_basemap_road_kind(const char *highway);
/* The rank of an OSM place=* value, GEO_BM_PLACE_NONE when not drawn. */
int geo_basemap_place_rank(const char *place);

/* Add a line of n >= 2 points (fewer: nothing added); name may be NULL
 * or "". */
void geo_basemap_add_line(struct geo_basemap *bm, enum geo_bm_kind kind,
			  const char *name, const double *x, const double *y,
			  size_t n);
/* Add a place; a NULL or empty name adds nothing. */
void geo_basemap_add_place(struct geo_basemap *bm, enum geo_bm_place rank,
			   const char *name, double x, double y);
/* 1 when bm is NULL or holds nothing. */
int geo_basemap_empty(const struct geo_basemap *bm);
/* 1 when some point of bm lies in the lon/lat box e (west, south, east,
 * north) grown by the fraction grow of its size on every side. */
int geo_basemap_meets(const struct geo_basemap *bm, const double e[4],
		      double grow);

/*
 * The blob of bm (versioned, little-endian: per line its kind, name and
 * points as lon/lat in 1e-7 degrees; per place likewise), malloc'd, the
 * caller's to free(); and back: CORE_EFORMAT when the blob is not one.
 */
void geo_basemap_encode(const struct geo_basemap *bm, unsigned char **blob,
			size_t *len);
int geo_basemap_decode(const unsigned char *blob, size_t len,
		       struct geo_basemap **out, struct core_err *err);

/* Store bm as the workspace's roads (table road_lines, schema 9) under
 * source_id, in the caller's transaction. */
int geo_basemap_save(struct core_ws *ws, int64_t source_id,
		     const struct geo_basemap *bm, struct core_err *err);
/* The workspace's roads (*out NULL and CORE_OK when it has none: no
 * 'import roads', or one from before schema 9). */
int geo_basemap_load_roads(struct core_ws *ws, struct geo_basemap **out,
			   struct core_err *err);

#endif
