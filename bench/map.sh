#!/bin/sh
# bench/map.sh - 'assetmap map' side by side with geopandas/matplotlib and
# QGIS (issue 5, point 10), as whole processes drawing the same map from
# the same data, printing times, peak memory, ratios and targets.
#
# usage: sh bench/map.sh
#   BENCH_RUNS    runs per timing, the median is kept (default 3)
#   BENCH_PEERS   which to run, comma-separated (default
#                 assetmap,qgis,matplotlib)
#   BENCH_MAPS    which maps, comma-separated (default national,ca,county):
#                 national  85,000 synthetic tracts over the continental
#                           US (about 20..60 vertices each) and 100,000
#                           assets in 8 categories (bench/gen_map.py)
#                 ca        the gap bench's 8,000 California tracts
#                           (bench/gen_ca.py) and 10,000 of its assets
#                 county    the routing bench's county (bench/gen_roads.py:
#                           8,000 tracts, 10,000 of its assets) with its
#                           OSM extract drawn as a basemap (water, roads by
#                           class, street and place names): assetmap's
#                           --basemap county.osm.pbf, the peers reading the
#                           same file (peer_qgis.py, peer_mpl.py --basemap)
#   BENCH_TRACTS  national tracts (default 85000), BENCH_ASSETS national
#                 assets (default 100000), for a quick run
#   ASSETMAP      the binary (default build/rel/assetmap, then ./assetmap)
#   TMPDIR        data are cached in $TMPDIR/assetmap-bench-map/ (the
#                 California tracts in the gap bench's cache,
#                 $TMPDIR/assetmap-bench-ca/data-s1); the table is also
#                 written there as results.md
#
# Each map is drawn to a 3000 x 2000 PNG and to a PDF (US letter,
# landscape): assetmap 'map --no-cluster' (every symbol drawn, as the
# peers draw them; the clustered default is shown beside it, no
# target) with its defaults (quantile classes of the workspace's
# RPL_THEMES, every asset by category, legend, scale bar,
# north arrow, notes); bench/peer_mpl.py and bench/peer_qgis.py draw the
# same layers, classes and legend.  Every output is checked to be a map
# of the right size (bench/check_map.py) so that a quiet failure cannot
# look fast.  Importing into the workspace is not timed.
#
# Needs Debian's python3-geopandas, python3-matplotlib, python3-qgis,
# python3-pil, python3-scipy, python3-pyproj, gdal-bin and poppler-utils;
# installed here when run as root, else the apt-get line is printed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
runs=${BENCH_RUNS:-3}
peers=,${BENCH_PEERS:-assetmap,qgis,matplotlib},
maps=,${BENCH_MAPS:-national,ca,county},
ntracts=${BENCH_TRACTS:-85000}
nassets=${BENCH_ASSETS:-100000}
top=${TMPDIR:-/tmp}/assetmap-bench-map
work=$top/work
res=$work/results.tsv
am=${ASSETMAP:-}
if [ -z "$am" ]; then
	am=$here/../build/rel/assetmap
	[ -x "$am" ] || am=$here/../assetmap
fi
want() { case $peers in *,$1,*) return 0 ;; esac; return 1; }
want_map() { case $maps in *,$1,*) return 0 ;; esac; return 1; }
say() { printf '%s\n' "$*" >&2; }

# ---- what the bench needs -------------------------------------------------
pkgs="python3-geopandas python3-matplotlib python3-qgis python3-pil python3-scipy python3-pyproj python3-shapely osmium-tool gdal-bin poppler-utils time"
if ! $py -c 'import geopandas, matplotlib, qgis.core, PIL, scipy, pyproj, shapely' > /dev/null 2>&1 ||
	! command -v ogr2ogr > /dev/null || ! command -v pdftoppm > /dev/null ||
	! command -v osmium > /dev/null ||
	[ ! -x /usr/bin/time ]; then
	if [ "$(id -u)" = 0 ]; then
		say "installing $pkgs ..."
		# shellcheck disable=SC2086 # $pkgs is a list
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs > /dev/null
	else
		say "bench/map.sh needs: sudo apt-get install $pkgs"
		exit 2
	fi
fi

mkdir -p "$top" "$work"
: > "$res"

# ---- data (cached) ----------------------------------------------------------
npv=$($py -c 'import numpy; print(numpy.__version__)')
nat=$top/national-$ntracts-$nassets
if want_map national; then
	stamp="$(cat "$here/gen_map.py" "$here/gen_ca.py" | sha256sum | cut -c1-16) $npv"
	if [ ! -s "$nat/stamp" ] || [ "$(cat "$nat/stamp")" != "$stamp" ]; then
		say "generating the national data into $nat (about a minute) ..."
		rm -rf "$nat"
		$py "$here/gen_map.py" national "$nat" --tracts "$ntracts" --assets "$nassets"
		echo "$stamp" > "$nat/stamp"
	fi
fi
ca=$top/ca
if want_map ca; then
	# the gap bench's data, made as bench/gap.sh makes it (same cache)
	gap=${TMPDIR:-/tmp}/assetmap-bench-ca/data-s1
	gstamp="$(sha256sum "$here/gen_ca.py" | cut -c1-16) scale=1 $npv"
	if [ ! -s "$gap/stamp" ] || [ "$(cat "$gap/stamp")" != "$gstamp" ]; then
		say "generating the gap bench's data into $gap ..."
		rm -rf "$gap"
		$py "$here/gen_ca.py" "$gap" --scale 1
		echo "$gstamp" > "$gap/stamp"
	fi
	stamp="$(sha256sum "$here/gen_map.py" | cut -c1-16) $gstamp"
	if [ ! -s "$ca/stamp" ] || [ "$(cat "$ca/stamp")" != "$stamp" ]; then
		rm -rf "$ca"
		$py "$here/gen_map.py" ca "$gap" "$ca" --assets 10000
		echo "$stamp" > "$ca/stamp"
	fi
fi

county=$top/county
if want_map county; then
	# the routing bench's county, made as bench/roads.sh makes it (same
	# cache), its tracts and assets as the California map's
	rdata=${TMPDIR:-/tmp}/assetmap-bench-roads/data-s1
	sh "$here/roads_data.sh" "$rdata" 1
	stamp="$(sha256sum "$here/gen_map.py" | cut -c1-16) $(cat "$rdata/stamp")"
	if [ ! -s "$county/stamp" ] || [ "$(cat "$county/stamp")" != "$stamp" ]; then
		rm -rf "$county"
		$py "$here/gen_map.py" ca "$rdata" "$county" --assets 10000
		echo "$stamp" > "$county/stamp"
	fi
	basemap=$rdata/county.osm.pbf
fi

# ---- timing -----------------------------------------------------------------
# measure TASK TOOL OUT CMD...: run CMD $runs times as a whole process
# under /usr/bin/time, OUT removed before each; record the median wall
# seconds and the median peak RSS, or 'failed' when CMD fails or OUT is
# not a map of the right size (check_map.py).
measure() {
	m_task=$1 m_tool=$2 m_out=$3
	shift 3
	: > "$work/m.txt"
	m_i=0
	while [ "$m_i" -lt "$runs" ]; do
		rm -f "$m_out"
		if ! /usr/bin/time -f '%e %M' -o "$work/t.txt" "$@" \
			> "$work/out.log" 2> "$work/err.log"; then
			say "  $m_tool: $m_task failed:"
			tail -n 5 "$work/err.log" >&2
			printf '%s\t%s\tNA\tNA\t%s\n' "$m_task" "$m_tool" "failed" >> "$res"
			return 0
		fi
		cat "$work/t.txt" >> "$work/m.txt"
		m_i=$((m_i + 1))
	done
	case $m_out in
	*.png) m_chk=$($py "$here/check_map.py" "$m_out" 3000 2000) ;;
	*) m_chk=$($py "$here/check_map.py" "$m_out") ;;
	esac || {
		say "  $m_tool: $m_task: $m_chk"
		printf '%s\t%s\tNA\tNA\t%s\n' "$m_task" "$m_tool" "failed: not a map" >> "$res"
		return 0
	}
	m_s=$(sort -n -k1,1 "$work/m.txt" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	m_kb=$(sort -n -k2,2 "$work/m.txt" | awk '{ a[NR] = $2 } END { print a[int((NR + 1) / 2)] }')
	printf '%s\t%s\t%s\t%s\t\n' "$m_task" "$m_tool" "$m_s" "$((m_kb / 1024))" >> "$res"
	say "$(printf '  %-16s %-22s %7s s %6s MB  %s' "$m_task" "$m_tool" "$m_s" "$((m_kb / 1024))" "${m_chk#*: }")"
}

# one map: NAME LABEL DIR CRS [BASEMAP]
bench_map() {
	b_name=$1 b_label=$2 b_dir=$3 b_crs=$4 b_base=${5:-}
	b_am_base= b_peer_base= # word-split below: no spaces in TMPDIR
	if [ -n "$b_base" ]; then
		b_am_base="--basemap $b_base"
		b_peer_base="--basemap $b_base"
	fi
	g=$b_dir/map.gpkg
	say "$b_label: $(ogrinfo -ro -so "$g" tracts | awk -F': ' '/Feature Count/ { print $2 }') tracts, $(ogrinfo -ro -so "$g" assets | awk -F': ' '/Feature Count/ { print $2 }') assets ($g)"
	if want assetmap; then
		ws=$work/$b_name.db
		rm -f "$ws"
		if ! { "$am" -q -d "$ws" init --crs "$b_crs" &&
			"$am" -q -d "$ws" import areas "$g" --layer tracts --level tract \
				--geoid GEOID --name NAME --population POP &&
			"$am" -q -d "$ws" import indicators "$g" --layer tracts --geoid GEOID \
				--columns RPL_THEMES &&
			"$am" -q -d "$ws" import assets "$g" --layer assets --id id --name name \
				--category category --capacity capacity --no-merge; } \
			> "$work/am-setup.log" 2>&1; then
			say "  assetmap: setting up the workspace failed:"
			tail -n 5 "$work/am-setup.log" >&2
			printf '%s\t%s\tNA\tNA\t%s\n' "$b_label PNG" assetmap "setup failed" >> "$res"
			printf '%s\t%s\tNA\tNA\t%s\n' "$b_label PDF" assetmap "setup failed" >> "$res"
		else
			# like for like: every symbol drawn, as the peers draw
			# them (--no-cluster); the default map, which gathers
			# overlapping symbols into rings, is shown beside it
			measure "$b_label PNG" assetmap "$work/$b_name-am.png" \
				"$am" -q -d "$ws" map --no-cluster $b_am_base -o "$work/$b_name-am.png" \
				--width 3000 --height 2000
			measure "$b_label PDF" assetmap "$work/$b_name-am.pdf" \
				"$am" -q -d "$ws" map --no-cluster $b_am_base -o "$work/$b_name-am.pdf"
			measure "$b_label PNG" "assetmap, clustered" "$work/$b_name-amc.png" \
				"$am" -q -d "$ws" map $b_am_base -o "$work/$b_name-amc.png" --width 3000 --height 2000
			measure "$b_label PDF" "assetmap, clustered" "$work/$b_name-amc.pdf" \
				"$am" -q -d "$ws" map $b_am_base -o "$work/$b_name-amc.pdf"
		fi
	fi
	if want qgis; then
		for e in png pdf; do
			E=$(echo $e | tr '[:lower:]' '[:upper:]')
			measure "$b_label $E" QGIS "$work/$b_name-qgis.$e" env QT_QPA_PLATFORM=offscreen \
				$py "$here/peer_qgis.py" "$g" "$work/$b_name-qgis.$e" --crs "$b_crs" $b_peer_base
		done
	fi
	if want matplotlib; then
		for e in png pdf; do
			E=$(echo $e | tr '[:lower:]' '[:upper:]')
			measure "$b_label $E" "geopandas/matplotlib" "$work/$b_name-mpl.$e" \
				$py "$here/peer_mpl.py" "$g" "$work/$b_name-mpl.$e" --crs "$b_crs" $b_peer_base
		done
	fi
}

say "assetmap: $am"
want qgis && say "QGIS $($py -c 'from qgis.core import Qgis; print(Qgis.version())' 2>/dev/null)"
want matplotlib && say "geopandas $($py -c 'import geopandas; print(geopandas.__version__)'), matplotlib $($py -c 'import matplotlib; print(matplotlib.__version__)')"
want_map national && bench_map national national "$nat" EPSG:5070
want_map ca && bench_map ca California "$ca" EPSG:3310
want_map county && bench_map county "county + basemap" "$county" EPSG:3310 "$basemap"

echo
$py "$here/report.py" "$res" "$top/results.md" --bench map --runs "$runs" \
	--desc "national: $ntracts synthetic tracts over the continental US (EPSG:5070) and $nassets assets in 8 categories; California: the gap bench's 8,000 tracts (EPSG:3310) and 10,000 assets; county + basemap: the routing bench's 8,000 tracts and 10,000 assets under its OSM extract (water, roads by class, names); each to a 3000 x 2000 PNG and a US-letter PDF"
