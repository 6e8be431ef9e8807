#!/bin/sh
# make bench: benchmarks against peers, side by side, printing ratios.
#
#   BENCH=all       (default) all below
#   BENCH=gap       the gap analyses (nearest, counts within 5 km, 2SFCA,
#                   cohort import) against scipy's cKDTree, PostGIS,
#                   SpatiaLite SQL, geopandas/shapely, ogr2ogr and COPY on
#                   synthetic California-scale data: bench/gap.sh, which
#                   lists its settings (BENCH_SCALE=0.05 for a quick run)
#   BENCH=medi-cal  the statewide Medi-Cal listing import: bench/medi_cal.sh
#   BENCH=map       'assetmap map' to PNG and PDF, national (85,000 tracts,
#                   100,000 assets) and California (8,000 tracts, 10,000
#                   assets), against geopandas/matplotlib and QGIS:
#                   bench/map.sh, which lists its settings
#   BENCH=geocode   'assetmap geocode' on 1,000,000 messy addresses from
#                   a synthetic county, against PostGIS (the TIGER
#                   geocoder's normalize_address, pagc_normalize_address,
#                   then SQL) and SpatiaLite SQL: bench/geocode.sh, which
#                   lists its settings (BENCH_N=20000 for a quick run)
#   BENCH=roads     travel time on the road network: 'import roads',
#                   'nearest --by walk|drive' (1,000,000 people, 8
#                   categories) and 'access --by drive' (2SFCA, 30 min,
#                   8,000 tracts) on a synthetic county of 376,134 road
#                   nodes, against pgRouting, OSMnx/networkx and
#                   SpatiaLite's VirtualRouting: bench/roads.sh, which
#                   lists its settings
#
# Not part of 'make test' or CI: the full gap bench takes many minutes
# (the slow peers) and needs Debian's python3-scipy, python3-geopandas,
# python3-rtree, postgresql-15-postgis-3, gdal-bin, sqlite3 and
# libsqlite3-mod-spatialite; the map bench needs python3-qgis,
# python3-matplotlib, python3-pil and poppler-utils too (map.sh installs
# them when run as root); the geocoding bench needs
# postgresql-15-postgis-3-scripts (the TIGER geocoder) and python3-gdal
# (geocode.sh installs them when run as root); the routing bench needs
# postgresql-15-pgrouting, python3-osmnx and osmium-tool (roads.sh
# installs them when run as root).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
case ${BENCH:-all} in
gap) exec sh "$here/gap.sh" ;;
medi-cal | medi_cal) exec sh "$here/medi_cal.sh" ;;
map) exec sh "$here/map.sh" ;;
geocode) exec sh "$here/geocode.sh" ;;
roads) exec sh "$here/roads.sh" ;;
all)
	sh "$here/gap.sh"
	echo
	sh "$here/medi_cal.sh"
	echo
	sh "$here/map.sh"
	echo
	sh "$here/geocode.sh"
	echo
	exec sh "$here/roads.sh"
	;;
*)
	echo "bench/run.sh: BENCH must be gap, medi-cal, map, geocode, roads or all, not '$BENCH'" >&2
	exit 2
	;;
esac
