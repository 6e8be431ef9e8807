#!/bin/sh
# bench/medi_cal.sh - time 'assetmap import medi-cal' on a synthetic
# statewide Medi-Cal FFS listing (current 46-column header), and measure
# what SpatiaLite's spatial-index trigger costs in it.
#
# usage: sh bench/medi_cal.sh [ROWS]         (default 360000, about 108 MB)
#   ASSETMAP  the binary (default: build/rel/assetmap, then ./assetmap)
#   TMPDIR    where the CSV (cached, deterministic) and workspaces go
#
# Prints the seconds (wall, and CPU: user + system, which is what to
# compare on a busy machine) and peak RSS of the import as shipped; then, when
# the sqlite3 shell and mod_spatialite are there, the same import into a
# workspace without the R*Tree trigger (gii_assets_geom) plus the time
# to fill the index afterwards in one statement.
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
run "as shipped" "$dir/a.db"
with=$secs

# The same without SpatiaLite's R*Tree trigger, then the index filled in
# bulk: what the trigger costs.
if command -v sqlite3 >/dev/null 2>&1 &&
   echo "SELECT load_extension('mod_spatialite');" | sqlite3 :memory: >/dev/null 2>&1; then
	rm -f "$dir/b.db"
	"$am" -q -d "$dir/b.db" init
	sqlite3 "$dir/b.db" "DROP TRIGGER gii_assets_geom"
	run "without the R*Tree trigger gii_assets_geom" "$dir/b.db"
	without=$secs
	/usr/bin/time -f '%e %U %S' -o "$dir/time.txt" sqlite3 "$dir/b.db" \
		"PRAGMA cache_size = -262144;
		SELECT load_extension('mod_spatialite');
		INSERT INTO idx_assets_geom(pkid, xmin, xmax, ymin, ymax)
		SELECT id, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), MbrMaxY(geom)
		FROM assets WHERE geom IS NOT NULL ORDER BY MbrMinX(geom);" >/dev/null
	read -r fill user sys < "$dir/time.txt"
	fcpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
	printf '%-44s %6.2f s (CPU %6.2f s)\n' "  + filling idx_assets_geom in one INSERT" \
		"$fill" "$fcpu"
	echo "$with $without $fill" | awk '{ printf "the R*Tree trigger costs %.2f s of %.2f s (%.0f%%); filling the index in bulk instead: %.2f s\n", $1 - $2, $1, 100 * ($1 - $2) / $1, $3 }'
else
	echo "(no sqlite3 shell with mod_spatialite: the trigger's cost is not measured)"
fi
