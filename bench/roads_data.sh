#!/bin/sh
# bench/roads_data.sh - the synthetic county of the routing bench
# (bench/gen_roads.py, then osmium for its PBF), made once per scale
# and cached; used by bench/roads.sh and bench/map.sh (its basemap map).
#
# usage: sh bench/roads_data.sh DIR SCALE
#   makes DIR (county.osm, county.osm.pbf, tracts.geojson, assets.csv,
#   ...) unless DIR/stamp says it was made by the same gen_roads.py,
#   gen_ca.py, scale and numpy.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
data=$1 scale=$2
stamp="$(cat "$here/gen_roads.py" "$here/gen_ca.py" | sha256sum | cut -c1-16) scale=$scale $($py -c 'import numpy; print(numpy.__version__)')"
if [ ! -s "$data/stamp" ] || [ "$(cat "$data/stamp")" != "$stamp" ]; then
	printf '%s\n' "generating the county (scale $scale) into $data ..." >&2
	rm -rf "$data"
	$py "$here/gen_roads.py" "$data" --scale "$scale"
	osmium cat "$data/county.osm" -o "$data/county.osm.pbf" -O
	echo "$stamp" > "$data/stamp"
fi
