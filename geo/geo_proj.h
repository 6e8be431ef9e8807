/*
 * geo_proj.h - from WGS84 longitude/latitude to a projected CRS in metres.
 *
 * One struct geo_proj holds its own PROJ context (PJ_CONTEXT), so each
 * thread makes its own.  Axis order is always x = longitude / easting,
 * y = latitude / northing: the transform is put through
 * proj_normalize_for_visualization, whatever the CRS's official order.
 * PROJ's messages never reach the terminal; they end up in the
 * struct core_err of the call that failed.
 *
 * Ownership: geo_proj_new* return an object the caller frees with
 * geo_proj_free (which accepts NULL).  Strings from geo_proj_def and
 * geo_proj_label are borrowed and live as long as the object.
 */
#ifndef GEO_PROJ_H
#define GEO_PROJ_H

#include <stddef.h>

#include "core/core_err.h"
#include "core/core_ws.h"

struct geo_proj;

/*
 * A transform from EPSG:4326 to crs: "EPSG:N" or anything else PROJ's
 * proj_create accepts as a CRS (a PROJ string with +type=crs, WKT).
 * Fails with CORE_ELIB when PROJ does not know the CRS, and with
 * CORE_EUSAGE when it is not a projected CRS (degrees are not metres).
 * A CRS in feet is fine: results are always converted to metres.
 */
int geo_proj_new(const char *crs, struct geo_proj **out, struct core_err *err);

/* A Lambert azimuthal equal-area projection (WGS84 datum) centred on
 * lon0, lat0: the centre maps to (0, 0). */
int geo_proj_new_laea(double lon0, double lat0, struct geo_proj **out,
		      struct core_err *err);

/*
 * The workspace's map and analysis CRS: the meta key 'analysis_crs' when
 * it is an EPSG code; for 'auto' (or when absent) an equal-area LAEA
 * centred on the extent of the workspace's areas and assets.  Fails with
 * CORE_ENOTFOUND on 'auto' when the workspace holds no geometry at all.
 */
int geo_proj_for_ws(struct core_ws *ws, struct geo_proj **out,
		    struct core_err *err);

/*
 * A map's CRS for what it shows, lon0..lon1 by lat0..lat1 (WGS84
 * degrees): the workspace's analysis CRS when it names one (as in
 * geo_proj_for_ws), else (for 'auto') an equal-area LAEA centred on that
 * extent rather than on everything the workspace holds, so that a city
 * in a workspace that also holds its state's counties is drawn upright.
 */
int geo_proj_for_extent(struct core_ws *ws, double lon0, double lat0,
			double lon1, double lat1, struct geo_proj **out,
			struct core_err *err);

void geo_proj_free(struct geo_proj *p);

/* The definition the object was made from ("EPSG:3310", "+proj=laea ..."). */
const char *geo_proj_def(const struct geo_proj *p);

/* A name for people: "NAD83 / California Albers (EPSG:3310)", or
 * "Lambert azimuthal equal-area centred on 37.76N 122.44W". */
const char *geo_proj_label(const struct geo_proj *p);

/*
 * Transform n points in place: on entry x[i] is a longitude and y[i] a
 * latitude in degrees, on return easting and northing in metres.  A point
 * PROJ cannot transform (or a NaN input) fails the whole call with
 * CORE_ELIB naming the point's index and coordinates; the arrays are
 * then partly transformed and should be thrown away.
 */
int geo_proj_fwd(struct geo_proj *p, double *x, double *y, size_t n,
		 struct core_err *err);

/*
 * geo_proj_fwd for many points, on every core (geo_par) when there are
 * at least GEO_PROJ_PAR_MIN of them; each extra thread works on its own
 * copy of p.  With nan_ok, a point with a NaN coordinate (no location)
 * is left as it is; without, it fails as in geo_proj_fwd.  A failure
 * names the first point that failed.  p NULL leaves the points as they
 * are (the loaders' "not projected").
 */
#define GEO_PROJ_PAR_MIN 200000
int geo_proj_fwd_par(struct geo_proj *p, double *x, double *y, size_t n,
		     int nan_ok, struct core_err *err);

/* The inverse of geo_proj_fwd: metres to longitude/latitude in place. */
int geo_proj_inv(struct geo_proj *p, double *x, double *y, size_t n,
		 struct core_err *err);

/*
 * Ground metres per projected metre along the map's x axis at the
 * projected point (x, y), measured on the WGS84 ellipsoid over a short
 * east-west segment.  A scale bar drawn with it is true at that point.
 */
int geo_proj_ground_scale(struct geo_proj *p, double x, double y, double *scale,
			  struct core_err *err);

/*
 * The direction of true north at the projected point (x, y), as an angle
 * in radians from grid north (+y), positive clockwise (toward +x).
 * Zero on the central meridian of most projections.
 */
int geo_proj_north_angle(struct geo_proj *p, double x, double y, double *angle,
			 struct core_err *err);

#endif
