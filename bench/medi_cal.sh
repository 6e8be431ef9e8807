#!/bin/sh
# bench/medi_cal.sh - time 'assetmap import medi-cal' on a synthetic
# statewide Medi-Cal FFS listing (current 46-column header).
#
# usage: sh bench/medi_cal.sh [ROWS]         (default 360000, about 108 MB)
#   ASSETMAP  the binary (default: build/rel/assetmap, then ./assetmap)
#   TMPDIR    where the CSV (cached, deterministic) and workspaces go
#
# Prints the seconds (wall, and CPU: user + system, which is what to
# compare on a busy machine) and peak RSS of the import; then, when the
# sqlite3 shell and mod_spatialite are there, checks that the spatial
# index (filled in one pass by the importer) agrees with the table.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
rows=${1:-360000}
am=${ASSETMAP:-}
if [ -z "$am" ]; then
	am=$here/../build/rel/assetmap
	[ -x "$am" ] || am=$here/../assetmap
fi
[ -x "$am" ] || { echo "medi_cal.sh: no assetmap binary; run make first" >&2; exit 1; }
dir=${TMPDIR:-/tmp}/assetmap-bench-medi-cal
mkdir -p "$dir"
csv=$dir/ffs_$rows.csv
if [ ! -s "$csv" ] || [ "$here/gen_medi_cal.py" -nt "$csv" ]; then
	echo "generating $rows rows into $csv ..."
	python3 "$here/gen_medi_cal.py" --rows "$rows" > "$csv.tmp"
	mv "$csv.tmp" "$csv"
fi
mb=$(( $(wc -c < "$csv") / 1048576 ))

# run LABEL DB: import into DB (already initialised), print seconds and RSS
run() {
	/usr/bin/time -f '%e %M %U %S' -o "$dir/time.txt" \
		"$am" -q -d "$2" import medi-cal "$csv" --skip-bad
	read -r secs kb user sys < "$dir/time.txt"
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
	n=$(sqlite3 "$2" "SELECT count(*) FROM assets" 2>/dev/null || echo '?')
	printf '%-44s %6.2f s (CPU %6.2f s)  peak RSS %4d MB  (%s assets)\n' \
		"$1" "$secs" "$cpu" $((kb / 1024)) "$n"
}

echo "import medi-cal: $rows rows, $mb MB ($("$am" --version 2>/dev/null || echo assetmap))"
rm -f "$dir/a.db"
"$am" -q -d "$dir/a.db" init
run "import medi-cal --skip-bad" "$dir/a.db"

# The importer sets SpatiaLite's per-row INSERT triggers aside and fills
# idx_assets_geom in one pass (importers/imp_rtree.c); say that the index
# agrees with the table.
if command -v sqlite3 >/dev/null 2>&1 &&
   echo "SELECT load_extension('mod_spatialite');" | sqlite3 :memory: >/dev/null 2>&1; then
	sqlite3 "$dir/a.db" "SELECT load_extension('mod_spatialite');
		SELECT 'spatial index: ' || (SELECT count(*) FROM idx_assets_geom)
		|| ' entries for ' || (SELECT count(*) FROM assets WHERE geom IS NOT NULL)
		|| ' points; CheckSpatialIndex ' || CheckSpatialIndex('assets', 'geom')
		|| '; rtreecheck ' || rtreecheck('idx_assets_geom');" | grep -v '^$'
else
	echo "(no sqlite3 shell with mod_spatialite: the index is not checked)"
fi
