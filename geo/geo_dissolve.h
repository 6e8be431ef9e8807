/*
 * geo_dissolve.h - the outline of a set of areas that tile a larger one:
 * the GEOS union (GEOSUnaryUnion) of their polygons, for the map's
 * study-area outline drawn at the areas' own detail.
 *
 * Ownership: geo_areas_dissolve returns a struct geo_areas the caller
 * frees with geo_areas_free.
 */
#ifndef GEO_DISSOLVE_H
#define GEO_DISSOLVE_H

#include <stddef.h>

#include "core/core_err.h"
#include "geo/geo_load.h"

/*
 * Dissolve the areas of a into ngroups outlines: group[i] is the outline
 * area i belongs to (0 .. ngroups - 1), or -1 to leave it out.  Output
 * area g is the union of group g's polygons, its geoid keys[g] (copied),
 * no name, NaN population and value; an empty group gives an area with
 * no parts.  Coordinates are snapped to a grid of grid units (0: exact)
 * so that the hairline gaps of separately digitised neighbours close,
 * and holes smaller than min_hole square units are dropped.  Returns 0;
 * CORE_ELIB with err set when GEOS fails.
 */
int geo_areas_dissolve(const struct geo_areas *a, const int *group,
		       size_t ngroups, const char *const *keys, double grid,
		       double min_hole, struct geo_areas **out,
		       struct core_err *err);

#endif
