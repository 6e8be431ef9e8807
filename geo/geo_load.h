/*
 * geo_load.h - bulk-load areas and assets from the workspace into flat
 * arrays, projected to metres, for the renderer and the analyses.
 *
 * One SQL pass per layer, no per-row queries; geometry blobs are decoded
 * in C.  Coordinates are stored once in x[] and y[], indexed through
 * offset arrays (compressed sparse rows), so a county of tracts is a few
 * allocations rather than one per ring:
 *
 *   area i         polygons part_start[i] .. part_start[i + 1] - 1
 *   polygon j      rings    ring_start[j] .. ring_start[j + 1] - 1
 *                  (the first ring of a polygon is its exterior)
 *   ring k         points   pt_start[k]   .. pt_start[k + 1] - 1
 *                  (closed: the last point repeats the first)
 *
 * Ownership: geo_*_load return an object the caller frees with the
 * matching geo_*_free (which accepts NULL); every array inside belongs
 * to it.
 */
#ifndef GEO_LOAD_H
#define GEO_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "geo/geo_proj.h"

struct geo_areas {
	size_t n;	    /* areas */
	char **geoid;	    /* [n] */
	char **name;	    /* [n]; NULL entries where the workspace has none */
	double *population; /* [n]; NaN where unknown */
	double *value;	    /* [n]; the indicator asked for, NaN for no data */
	int *flags;	    /* [n]; AREA_FLAG_* (core_area.h): water-only,
			       no population; such areas are left out of
			       rankings */
	size_t nparts, nrings, npts;
	size_t *part_start; /* [n + 1] */
	size_t *ring_start; /* [nparts + 1] */
	size_t *pt_start;   /* [nrings + 1] */
	double *x, *y;	    /* [npts]: metres, or lon/lat when not projected */
	/* Extent of all points; meaningful only when npts > 0. */
	double minx, miny, maxx, maxy;
};

/*
 * Load the areas of one level ("tract", "county", ...), ordered by
 * GEOID, each with the value of the indicator named (NULL: no indicator,
 * every value NaN).  proj NULL keeps lon/lat.  An empty level is not an
 * error: the result has n == 0.
 */
int geo_areas_load(struct core_ws *ws, const char *level, const char *indicator,
		   struct geo_proj *proj, struct geo_areas **out,
		   struct core_err *err);
void geo_areas_free(struct geo_areas *a);

struct geo_assets {
	size_t n;
	int64_t *id;	   /* [n] assets.id, ascending */
	double *lon, *lat; /* [n] WGS84 degrees */
	double *x, *y;	   /* [n] metres (lon/lat again when not projected) */
	int *cat;	   /* [n] index into the categories asked for */
	double minx, miny, maxx, maxy; /* extent of x, y when n > 0 */
};

/*
 * Load the assets that have at least one of the ncats categories named
 * (codes, in order of preference).  Each asset appears once, with cat
 * set to the first of those categories it has, so an asset that offers
 * food and housing, loaded with {"food", "housing"}, counts as food.
 * ncats 0 loads nothing.  proj NULL keeps lon/lat in x, y.
 */
int geo_assets_load(struct core_ws *ws, const char *const *cats, size_t ncats,
		    struct geo_proj *proj, struct geo_assets **out,
		    struct core_err *err);
void geo_assets_free(struct geo_assets *a);

/* Keep only the assets i with keep[i] (order kept), and the extent of
 * those; returns how many are left. */
size_t geo_assets_keep(struct geo_assets *a, const unsigned char *keep);

#endif
