#!/bin/sh
# make bench: benchmarks against peers, side by side, printing ratios.
#
#   BENCH=all       (default) both below
#   BENCH=gap       the gap analyses (nearest, counts within 5 km, 2SFCA,
#                   cohort import) against scipy's cKDTree, PostGIS,
#                   SpatiaLite SQL, geopandas/shapely, ogr2ogr and COPY on
#                   synthetic California-scale data: bench/gap.sh, which
#                   lists its settings (BENCH_SCALE=0.05 for a quick run)
#   BENCH=medi-cal  the statewide Medi-Cal listing import: bench/medi_cal.sh
#
# Not part of 'make test' or CI: the full gap bench takes many minutes
# (the slow peers) and needs Debian's python3-scipy, python3-geopandas,
# python3-rtree, postgresql-15-postgis-3, gdal-bin, sqlite3 and
# libsqlite3-mod-spatialite.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
case ${BENCH:-all} in
gap) exec sh "$here/gap.sh" ;;
medi-cal | medi_cal) exec sh "$here/medi_cal.sh" ;;
all)
	sh "$here/gap.sh"
	echo
	exec sh "$here/medi_cal.sh"
	;;
*)
	echo "bench/run.sh: BENCH must be gap, medi-cal or all, not '$BENCH'" >&2
	exit 2
	;;
esac
