/*
 * imp_sites.h - a file of candidate sites for 'assetmap sites': the
 * places where a new site could go, read through GDAL (a CSV with
 * lat/lon columns, or any point file GDAL reads: GeoJSON, GPKG, SHP).
 *
 * Nothing is written to the workspace: the candidates go straight to the
 * analysis (geo_sites.h).
 */
#ifndef IMP_SITES_H
#define IMP_SITES_H

#include "core/core_err.h"
#include "geo/geo_sites.h"

/*
 * Append the rows of path's first layer to c, in file order, by lon/lat
 * (x, y hold lon/lat too until geo_sites_cands_project).  A row's place
 * is its point geometry (reprojected to WGS84 when the layer has another
 * CRS), else its lat and lon columns (lat, latitude or y; lon, lng,
 * long, longitude or x; any case).  Its label is its name, label, id or
 * site column, else "row N"; its name is NULL.
 *
 * Errors (CORE_EIO, CORE_EFORMAT), each starting with the path: "PATH:
 * <reason>" (unreadable, not a table or vector file, no layer, no rows)
 * or "PATH data row N: <reason>" (a lat/lon that is not a place,
 * quoting both values; no point and no lat/lon columns).  On an error c
 * may hold the rows before the bad one; the caller releases it either
 * way.
 */
int imp_sites_read(const char *path, struct geo_sites_cands *c,
		   struct core_err *err);

#endif
