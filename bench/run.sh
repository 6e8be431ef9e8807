#!/bin/sh
# make bench: benchmarks against peers, side by side, printing ratios.
# The peer benchmarks (scipy cKDTree, PostGIS, SpatiaLite SQL,
# geopandas, ogr2ogr, COPY) come with the analyses of issue 4.  What
# exists today is the Medi-Cal statewide import timing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
echo "bench: only the Medi-Cal import timing exists yet (bench/medi_cal.sh);"
echo "bench: the side-by-side peer ratios are not written yet."
exec sh "$here/medi_cal.sh"
