/*
 * geo_hex.h - a grid of hexagons for counts that are too small per area:
 * people (or areas' counts, at a point each) added up per hexagon, with
 * the hexagons' size chosen so that most of them reach the smallest
 * count that may be shown.
 *
 * The hexagons are pointy-topped, in the projected plane of the points
 * (metres), on a grid whose origin is (0, 0): the same points and size
 * always give the same cells.  Their size is the distance across the
 * flats (the width of a cell, and the distance between neighbouring
 * centres).
 *
 * Ownership: geo_hex_areas returns a struct geo_areas the caller frees
 * with geo_areas_free.
 */
#ifndef GEO_HEX_H
#define GEO_HEX_H

#include <stddef.h>

#include "geo/geo_load.h"

/*
 * The smallest width (metres) from a fixed ladder of widths in miles
 * (0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 30, 50, 75, 100)
 * at which at least share (e.g. 2/3) of the hexagons holding any weight
 * hold at least min (11) of it; the largest when none does.  Points are
 * x[i], y[i] with weight w[i] (NULL: 1 each); NaN points are skipped.
 */
double geo_hex_width(const double *x, const double *y, const double *w,
		     size_t n, double min, double share);

/*
 * The hexagons of width width that hold a point of x, y (n of them) or
 * whose centre lies in one of study's areas (NULL: none), as areas with
 * GEOIDs "hex Q,R" (the cell's axial coordinates), no name, NaN
 * population and value.  study must be in the points' plane.
 */
struct geo_areas *geo_hex_areas(const double *x, const double *y, size_t n,
				double width, const struct geo_areas *study);

/* The cell of (x, y) for width: its axial coordinates. */
void geo_hex_cell(double x, double y, double width, long *q, long *r);

#endif
