/*
 * imp_basemap.h - read an OpenStreetMap extract (.osm.pbf or .osm XML)
 * into the features of a map's basemap (geo_basemap.h): water areas
 * (natural=water, landuse=reservoir or basin, water=*,
 * waterway=riverbank), rivers, streams and canals, roads by highway
 * class with their names, and places (place=city, town, suburb,
 * village, neighbourhood, ...) with their names.  Nothing is written to
 * the workspace.
 */
#ifndef IMP_BASEMAP_H
#define IMP_BASEMAP_H

#include "core/core_err.h"
#include "geo/geo_basemap.h"

/*
 * Read path with GDAL's OSM driver into a new basemap (*out, the
 * caller's to geo_basemap_free; NULL on failure).  CORE_EIO when the
 * file cannot be opened; CORE_EFORMAT, naming the file, when it is not
 * OSM data, is cut short or damaged, or holds nothing a basemap draws.
 */
int imp_basemap_read(const char *path, struct geo_basemap **out,
		     struct core_err *err);

#endif
