/*
 * geo_locate.h - which area holds a point.
 *
 * One locator for every caller that places points in areas: the cohort
 * importer (members in tracts, lon/lat), the analyses (members without a
 * stored tract, in metres) and what comes next (the geocoder, the road
 * network).  It works in whatever coordinates the areas were loaded in
 * (geo_areas_load with or without a projection); the points must be in
 * the same ones.
 *
 * The rule, the same everywhere: even-odd over every ring of an area
 * (exteriors and holes alike, so holes and multipolygons work; a ring's
 * closing edge counts when the ring is open).  A ring edge counts as a
 * crossing when it spans y half-open (one end above y, the other at or
 * below it) and lies strictly to the right of x.  So a point on the left
 * or bottom side of an area is in it, on its right or top side is not:
 * on an edge two areas share, a point is in exactly one of them (up to
 * rounding on a slanted edge).  When areas overlap, the first of them
 * (in the order of struct geo_areas, i.e. by GEOID) wins.
 */
#ifndef GEO_LOCATE_H
#define GEO_LOCATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"
#include "geo/geo_load.h"

struct geo_locator;

/*
 * A locator over a's areas: a grid over their extent; a cell that no
 * edge's bounding box touches lies wholly inside one area (or none),
 * found once from its centre, so a point there costs a lookup; a point
 * in a cell an edge touches is tested against the areas whose boxes
 * overlap the cell.  a is borrowed: it must outlive the locator.  Free
 * with geo_locator_free.
 */
struct geo_locator *geo_locator_new(const struct geo_areas *a);

/*
 * The areas of one level ("tract", "county", ...) in lon/lat
 * (geo_areas_load without a projection) and a locator over them, which
 * owns them (geo_locator_areas_get lends them).  An empty level is not
 * an error: every point is then outside.  Errors are geo_areas_load's.
 */
int geo_locator_load(struct core_ws *ws, const char *level,
		     struct geo_locator **out, struct core_err *err);

/* Free l (NULL is fine), and its areas when geo_locator_load made them. */
void geo_locator_free(struct geo_locator *l);

/* The areas l locates in (borrowed, for l's lifetime). */
const struct geo_areas *geo_locator_areas_get(const struct geo_locator *l);

/*
 * The index (into the areas) of the area holding (x, y), or -1 when no
 * area does (or x or y is NaN).  Several threads may call it at once on
 * one locator (the cells found from their centres are cached with
 * atomic loads and stores).
 */
int32_t geo_locator_find(const struct geo_locator *l, double x, double y);

/* Whether area i of a holds (x, y), by the rule above (1 or 0), without
 * a locator: what geo_locator_find answers for a single area. */
int geo_area_contains(const struct geo_areas *a, size_t i, double x, double y);

#endif
