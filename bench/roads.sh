#!/bin/sh
# bench/roads.sh - travel time on the road network (issue 14, point 6):
# assetmap's 'import roads', 'nearest --by walk|drive' and 'access --by
# drive' side by side with pgRouting, OSMnx/networkx and SpatiaLite's
# VirtualRouting, as whole processes on the same synthetic county
# (bench/gen_roads.py: 376,134 road nodes in a grid with arterials,
# one-way pairs, a river crossed by six bridges, footways; 1,000,000
# cohort points, 100,000 assets in 8 categories, 8,000 tracts), printing
# times (wall and CPU), peak memory, ratios, targets and how far the
# answers agree.  About 25 minutes the first time (the data, OSMnx's
# graph build, the sampled peers), then about 15.
#
# usage: sh bench/roads.sh           (make bench BENCH=roads)
#   BENCH_SCALE      multiply the people, assets and tracts (default 1);
#                    the network is the same at every scale
#   BENCH_RUNS       runs of each assetmap command, the median is kept
#                    (default 3)
#   BENCH_PEERS      which to run, comma-separated (default
#                    assetmap,pgrouting,networkx,spatialite)
#   BENCH_TASKS      which timings (default import,walk,drive,2sfca)
#   BENCH_VR_SAMPLE  cohort points VirtualRouting routes before
#                    extrapolating (default 1000)
#   BENCH_FCA_SAMPLE tracts the peers search from for 2SFCA before
#                    extrapolating (default 50)
#   BENCH_CHECK      cohort points whose answers are compared (default
#                    2000; VirtualRouting: its sample)
#   ASSETMAP         the binary (default build/rel/assetmap, then ./assetmap)
#   TMPDIR           data are cached in $TMPDIR/assetmap-bench-roads/
#                    (made again only when gen_roads.py, gen_ca.py or the
#                    scale change); the table is also written there as
#                    results.md
#
# The tasks, and what each tool does for them (each place joins its
# mode's network by a straight leg at the access speed, walking
# 4.8 km/h, driving 20 km/h, at both ends: door to door; assetmap joins
# at the nearest point of the nearest segment, the peers at the nearest
# node, as their users do):
#   import     assetmap: 'import roads county.osm.pbf' (walking, cycling
#              and driving graphs).  pgRouting: COPY of the edges and the
#              nodes' GiST indexes; networkx: OSMnx's graph_from_xml of
#              county.osm, simplify_graph, pickled; VirtualRouting:
#              CreateRouting twice from the edges.  Shown, no target.
#   walk/drive nearest of each of the 8 categories for all cohort points.
#              pgRouting: a virtual node joined to every asset of the
#              category by its leg, one pgr_drivingDistance from it per
#              category (on the reversed graph for driving: paths run
#              from the person to the asset), the people snapped by KNN
#              (<->), two sessions.  networkx: nx.multi_source_dijkstra_
#              path_length from such a virtual node per category.
#              VirtualRouting: one isochrone query per person (sampled).
#   2sfca      access --method 2sfca --catchment 30min --by drive
#              --category food for the 8,000 tracts.  The peers: one
#              search per tract bounded by 30 minutes (pgr_drivingDistance
#              with many roots, single_source_dijkstra_path_length with a
#              cutoff, an isochrone query), on a sample of tracts,
#              extrapolated (their aggregation is not timed: it is
#              small beside the searches).
#
# Needs Debian's postgresql-15-pgrouting, postgresql-15-postgis-3,
# python3-osmnx, python3-networkx, python3-scipy, python3-shapely,
# python3-pyproj, osmium-tool, sqlite3, libsqlite3-mod-spatialite and
# time; installed here when run as root, else the apt-get line is
# printed.  The PostgreSQL server is the bench's own: initdb in a
# temporary directory, loopback only, a free port; stopped and removed
# on exit.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
scale=${BENCH_SCALE:-1}
runs=${BENCH_RUNS:-3}
peers=,${BENCH_PEERS:-assetmap,pgrouting,networkx,spatialite},
vrs=${BENCH_VR_SAMPLE:-1000}
fcas=${BENCH_FCA_SAMPLE:-50}
chk=${BENCH_CHECK:-2000}
top=${TMPDIR:-/tmp}/assetmap-bench-roads
data=$top/data-s$scale
work=$top/work-s$scale
res=$work/results.tsv
cats=food,housing,transportation,utilities,legal,behavioral_health,primary_care,childcare
am=${ASSETMAP:-}
if [ -z "$am" ]; then
	am=$here/../build/rel/assetmap
	[ -x "$am" ] || am=$here/../assetmap
fi
want() { case $peers in *,$1,*) return 0 ;; esac; return 1; }
say() { printf '%s\n' "$*" >&2; }

# ---- what the bench needs -------------------------------------------------
pkgs="postgresql-15-pgrouting postgresql-15-postgis-3 python3-osmnx python3-networkx python3-scipy python3-shapely python3-pyproj osmium-tool sqlite3 libsqlite3-mod-spatialite time"
if ! $py -c 'import osmnx, networkx, scipy, shapely, pyproj' > /dev/null 2>&1 ||
	[ ! -x /usr/bin/time ] || ! command -v osmium > /dev/null ||
	! command -v sqlite3 > /dev/null ||
	! echo "SELECT load_extension('mod_spatialite');" | sqlite3 :memory: > /dev/null 2>&1 ||
	! ls /usr/share/postgresql/*/extension/pgrouting.control > /dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		say "installing $pkgs ..."
		# shellcheck disable=SC2086 # $pkgs is a list
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs > /dev/null
	else
		say "bench/roads.sh needs: sudo apt-get install $pkgs"
		exit 2
	fi
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

mkdir -p "$top" "$work"
: > "$res"

# ---- data (cached) ------------------------------------------------------------
sh "$here/roads_data.sh" "$data" "$scale"
nnodes=$(($(wc -l < "$data/nodes.csv") - 1))
nsegs=$(($(wc -l < "$data/edges.csv") - 1))
npts=$(($(wc -l < "$data/cohort.csv") - 1))
nass=$(($(wc -l < "$data/assets.csv") - 1))
ntr=$(($(wc -l < "$data/tract_points.csv") - 1))
nfood=$(grep -c ',food,' "$data/assets.csv")
[ "$vrs" -le "$npts" ] || vrs=$npts
[ "$fcas" -le "$ntr" ] || fcas=$ntr
[ "$chk" -le "$npts" ] || chk=$npts
say "data: $nnodes road nodes, $nsegs segments; $ntr tracts, $nass assets ($nfood food), $npts cohort points (scale $scale)"
rm -f "$work"/*.csv "$work"/*.npy "$work"/pgmem.* "$work"/pgcpu.*

# ---- timing -------------------------------------------------------------------
# measure TASK TOOL N NOTE CMD...: run CMD N times as a whole process
# under /usr/bin/time (before each run eval "$prep", after it eval
# "$post", when set); record the median wall seconds, CPU seconds (user
# + system: what to compare on a busy machine) and peak RSS.  A run may
# leave $work/extra.kb and $work/extra.cpu (PostgreSQL's backends: added)
# and $work/extrap "F Q DKB [QC]": a sampled run, extrapolated to all as
# s + Q (F - 1), CPU + QC (F - 1) (QC: Q when not given; "cpu": the
# run's own CPU seconds), memory + DKB (F - 1).
prep=
post=
measure() {
	m_task=$1 m_tool=$2 m_n=$3 m_note=$4
	case $m_task in
	import*) m_key=import ;; nearest\ by\ walk*) m_key=walk ;;
	nearest\ by\ driv*) m_key=drive ;; *) m_key=2sfca ;;
	esac
	case ,${BENCH_TASKS:-import,walk,drive,2sfca}, in
	*,$m_key,*) ;;
	*) prep='' post='' ; return 0 ;;
	esac
	shift 4
	: > "$work/m.txt"
	m_i=0
	while [ "$m_i" -lt "$m_n" ]; do
		[ -z "$prep" ] || eval "$prep"
		rm -f "$work/extra.kb" "$work/extra.cpu" "$work/extrap"
		if ! /usr/bin/time -f '%e %M %U %S' -o "$work/t.txt" "$@" \
			> "$work/out.log" 2> "$work/err.log"; then
			say "  $m_tool: $m_task failed:"
			tail -n 5 "$work/err.log" >&2
			printf '%s\t%s\tNA\tNA\tfailed\tNA\n' "$m_task" "$m_tool" >> "$res"
			prep='' post=''
			return 0
		fi
		[ -z "$post" ] || eval "$post"
		read -r m_s m_kb m_u m_y < "$work/t.txt"
		[ ! -s "$work/extra.kb" ] || m_kb=$((m_kb + $(cat "$work/extra.kb")))
		m_c=$(awk -v u="$m_u" -v y="$m_y" -v e="$(cat "$work/extra.cpu" 2>/dev/null || echo 0)" \
			'BEGIN { print u + y + e }')
		if [ -s "$work/extrap" ]; then
			m_qc=
			read -r m_f m_q m_dkb m_qc < "$work/extrap"
			[ -n "$m_qc" ] || m_qc=$m_q
			[ "$m_qc" != cpu ] || m_qc=$m_c
			m_s=$(awk -v s="$m_s" -v f="$m_f" -v q="$m_q" 'BEGIN { printf "%.2f", s + q * (f - 1) }')
			m_c=$(awk -v s="$m_c" -v f="$m_f" -v q="$m_qc" 'BEGIN { printf "%.2f", s + q * (f - 1) }')
			m_kb=$(awk -v k="$m_kb" -v f="$m_f" -v d="$m_dkb" 'BEGIN { printf "%d", k + d * (f - 1) }')
		fi
		echo "$m_s $m_kb $m_c" >> "$work/m.txt"
		m_i=$((m_i + 1))
	done
	prep='' post=''
	m_s=$(sort -n -k1,1 "$work/m.txt" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	m_kb=$(sort -n -k2,2 "$work/m.txt" | awk '{ a[NR] = $2 } END { print a[int((NR + 1) / 2)] }')
	m_c=$(sort -n -k3,3 "$work/m.txt" | awk '{ a[NR] = $3 } END { print a[int((NR + 1) / 2)] }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$m_task" "$m_tool" "$m_s" "$((m_kb / 1024))" "$m_note" "$m_c" >> "$res"
	say "$(printf '  %-40s %-28s %9s s (CPU %9s s) %6s MB  %s' "$m_task" "$m_tool" "$m_s" "$m_c" "$((m_kb / 1024))" "$m_note")"
}
na() { printf '%s\t%s\tNA\tNA\t%s\tNA\n' "$1" "$2" "$3" >> "$res"; }

T_IMP="import the road network"
T_WALK="nearest by walking, 8 categories"
T_DRIVE="nearest by driving, 8 categories"
T_FCA="2SFCA, 30 min driving (food)"

# ---- assetmap -------------------------------------------------------------------
am_has() { [ -x "$am" ] && "$am" "$@" --help > /dev/null 2>&1; }
am_has_by() { am_has "$@" && "$am" "$@" --help 2>&1 | grep -q -- '--by'; }
am_missing() { say "  assetmap $1: not available yet"; na "$2" assetmap "not available yet"; }
if want assetmap; then
	say "assetmap ($am)"
	ws=$work/am.db
	base=$work/am-base.db
	ok=1
	rm -f "$base" "$ws"
	if ! am_has import roads; then
		ok=0
	elif ! { "$am" -q -d "$base" init --crs EPSG:3310 &&
		"$am" -q -d "$base" import areas "$data/tracts.geojson" --level tract \
			--geoid GEOID --population POP &&
		"$am" -q -d "$base" import assets "$data/assets.csv" --id id --name name \
			--lon lon --lat lat --category category --capacity capacity --no-merge &&
		"$am" -q -d "$base" import cohort bench "$data/cohort.csv"; } \
		> "$work/am-setup.log" 2>&1; then
		say "  assetmap: setting up the workspace failed:"
		tail -n 5 "$work/am-setup.log" >&2
		ok=0
	fi
	if [ "$ok" = 1 ]; then
		src=$data/county.osm.pbf
		[ -s "$src" ] || src=$data/county.osm
		prep="rm -f '$ws'; cp '$base' '$ws'"
		measure "$T_IMP" assetmap "$runs" "$(basename "$src")" "$am" -q -d "$ws" import roads "$src"
		if [ ! -s "$ws" ]; then # the import was not timed (BENCH_TASKS)
			cp "$base" "$ws"
			"$am" -q -d "$ws" import roads "$src" > "$work/am-roads.log" 2>&1 || ok=0
			[ "$ok" = 1 ] || { say "  assetmap: import roads failed:"; tail -n 5 "$work/am-roads.log" >&2; }
		fi
	else
		am_missing "import roads" "$T_IMP"
	fi
	for mode in walk drive; do
		if [ $mode = walk ]; then t=$T_WALK; else t=$T_DRIVE; fi
		if [ "$ok" = 1 ] && am_has_by nearest; then
			measure "$t" assetmap "$runs" "" "$am" -q -d "$ws" nearest --cohort bench \
				--category "$cats" --by $mode
			# the answers for the check: from each tract's point (people's
			# own answers are never exported with their ids), not timed
			{ "$am" -q -d "$ws" nearest --category "$cats" --by $mode > /dev/null &&
				"$am" -q -d "$ws" export last -o "$work/am_tr_$mode.csv"; } \
				> "$work/am-check.log" 2>&1 || say "  assetmap: nearest --by $mode from the tracts' points failed"
		else am_missing "nearest --by $mode" "$t"; fi
	done
	if [ "$ok" = 1 ] && am_has_by access; then
		measure "$T_FCA" assetmap "$runs" "" "$am" -q -d "$ws" access --method 2sfca \
			--catchment 30min --by drive --category food
		"$am" -q -d "$ws" export last -o "$work/am_fca.csv" > /dev/null 2>&1 || true
	else am_missing "access --by drive" "$T_FCA"; fi
fi

# ---- OSMnx / networkx -------------------------------------------------------------
if want networkx; then
	say "OSMnx $($py -c 'import osmnx; print(osmnx.__version__)'), networkx $($py -c 'import networkx; print(networkx.__version__)')"
	measure "$T_IMP" "OSMnx graph_from_xml" 1 "county.osm, simplified, pickled" \
		$py "$here/peer_nx.py" import "$data" "$work"
	[ -s "$work/nx_walk.pkl" ] || $py "$here/peer_nx.py" import "$data" "$work" # not timed
	if [ -s "$work/nx_walk.pkl" ]; then
		measure "$T_WALK" "networkx multi-source" 1 "" \
			$py "$here/peer_nx.py" nearest walk "$data" "$work" "$work/nx_walk.npy"
		measure "$T_DRIVE" "networkx multi-source" 1 "" \
			$py "$here/peer_nx.py" nearest drive "$data" "$work" "$work/nx_drive.npy"
		measure "$T_FCA" "networkx Dijkstra, cutoff" 1 "~ from $fcas tracts" \
			$py "$here/peer_nx.py" 2sfca "$data" "$work" "$work/nx_fca.csv" "$fcas" "$work/extrap"
	fi
fi

# ---- SpatiaLite VirtualRouting -----------------------------------------------------
if want spatialite; then
	say "SpatiaLite VirtualRouting (sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(sqlite3 -cmd '.load mod_spatialite' :memory: 'SELECT spatialite_version()' 2>/dev/null | tail -n 1))"
	measure "$T_IMP" "VirtualRouting CreateRouting" 1 "from the edges" \
		$py "$here/peer_vr.py" setup "$data" "$work"
	[ -s "$work/vr.sqlite" ] || $py "$here/peer_vr.py" setup "$data" "$work" # not timed
	if [ -s "$work/vr.sqlite" ]; then
		for mode in walk drive; do
			if [ $mode = walk ]; then t=$T_WALK; else t=$T_DRIVE; fi
			measure "$t" "VirtualRouting isochrones" 1 "~ from $vrs points" \
				$py "$here/peer_vr.py" nearest $mode "$data" "$work" "$work/vr_$mode.csv" "$vrs" "$work/extrap"
			# from the first tracts' points, for the check (not timed)
			$py "$here/peer_vr.py" tracts $mode "$data" "$work" "$work/vr_tr_$mode.csv" 200 \
				2> "$work/vr-check.log" || say "  VirtualRouting: the tracts' check failed"
		done
		measure "$T_FCA" "VirtualRouting isochrones" 1 "~ from $fcas tracts" \
			$py "$here/peer_vr.py" 2sfca "$data" "$work" "$work/vr_fca.csv" "$fcas" "$work/extrap"
	fi
fi

# ---- pgRouting ------------------------------------------------------------------------
pgdir=
pg_stop() {
	if [ -n "$pgdir" ] && [ -d "$pgdir" ]; then
		runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop > /dev/null 2>&1 || true
		rm -rf "$pgdir"
	fi
	pgdir=
}
trap pg_stop EXIT
trap 'exit 130' INT TERM
if want pgrouting; then
	pgdir=$(mktemp -d /tmp/assetmap-bench-pg.XXXXXX)
	chown postgres: "$pgdir"
	chmod 700 "$pgdir"
	runuser -u postgres -- "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust \
		-E UTF8 --no-locale > "$pgdir/initdb.log" 2>&1
	port=$($py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -o \
		"-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$pgdir -c shared_buffers=1GB -c work_mem=256MB -c maintenance_work_mem=1GB -c max_wal_size=8GB -c wal_level=minimal -c max_wal_senders=0 -c synchronous_commit=off -c max_parallel_workers_per_gather=0" \
		start > /dev/null
	psqlc() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
	psqlc -d postgres -c 'CREATE DATABASE bench' > /dev/null
	say "pgRouting ($(psqlc -d bench -At -c "CREATE EXTENSION postgis; CREATE EXTENSION pgrouting; SELECT 'PostgreSQL ' || current_setting('server_version') || ', PostGIS ' || postgis_lib_version() || ', pgRouting ' || pgr_version()"), port $port)"
	# each session reports its backend's peak RSS into $work/pgmem.* and
	# its CPU seconds into $work/pgcpu.*
	pgmem="SELECT pg_backend_pid() AS bpid \\gset
\\setenv BPID :bpid
\\! awk '/VmHWM/ { print \$2 }' /proc/\$BPID/status > '$work/pgmem.'\$BPID
\\! awk '{ print (\$14 + \$15) / $(getconf CLK_TCK) }' /proc/\$BPID/stat > '$work/pgcpu.'\$BPID"
	# pg_sessions FILE.sql... [-- FILE.sql...]: each file in its own
	# session, in parallel; a '--' waits for those before it.  Memory: the
	# largest sum of one phase's backends; CPU: all of them.
	cat > "$work/pg_sessions.sh" <<-EOF
	#!/bin/sh
	rm -f '$work'/pgmem.* '$work'/pgcpu.*
	echo 0 > '$work/extra.kb'
	rc=0
	while [ \$# -gt 0 ]; do
		pids=
		while [ \$# -gt 0 ] && [ "\$1" != -- ]; do
			psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $port -U postgres -d bench -f "\$1" &
			pids="\$pids \$!"
			shift
		done
		[ \$# -eq 0 ] || shift
		for p in \$pids; do wait \$p || rc=1; done
		k=\$(cat '$work'/pgmem.* 2>/dev/null | awk '{ s += \$1 } END { print s + 0 }')
		[ "\$k" -le "\$(cat '$work/extra.kb')" ] || echo "\$k" > '$work/extra.kb'
		rm -f '$work'/pgmem.*
	done
	cat '$work'/pgcpu.* | awk '{ s += \$1 } END { print s + 0 }' > '$work/extra.cpu'
	exit \$rc
	EOF

	# import: the edges and nodes by COPY, GiST on the nodes (the nodes
	# each mode can use), the assets and the cohort
	cat > "$work/pg_imp.sql" <<-EOF
	BEGIN;
	CREATE TABLE edges(id int8 PRIMARY KEY, source int8, target int8, highway text,
	  len_m float8, walk_s float8, drive_ab_s float8, drive_ba_s float8);
	\\copy edges FROM '$data/edges.csv' CSV HEADER
	CREATE TABLE nodes(id int8 PRIMARY KEY, lon float8, lat float8, x float8, y float8,
	  geom geometry(Point, 3310) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(x, y), 3310)) STORED);
	\\copy nodes(id, lon, lat, x, y) FROM '$data/nodes.csv' CSV HEADER
	CREATE TABLE walk_nodes AS SELECT id, geom FROM nodes;
	CREATE TABLE drive_nodes AS SELECT id, geom FROM nodes WHERE id IN
	  (SELECT source FROM edges WHERE highway <> 'footway' UNION SELECT target FROM edges WHERE highway <> 'footway');
	CREATE INDEX ON walk_nodes USING gist(geom);
	CREATE INDEX ON drive_nodes USING gist(geom);
	COMMIT;
	$pgmem
	EOF
	prep="psqlc -d bench -c 'DROP TABLE IF EXISTS edges, nodes, walk_nodes, drive_nodes' > /dev/null 2>&1"
	measure "$T_IMP" "pgRouting tables" 1 "COPY edges, GiST on nodes" sh "$work/pg_sessions.sh" "$work/pg_imp.sql"
	# (not timed when BENCH_TASKS leaves the import out)
	[ -n "$(psqlc -d bench -At -c "SELECT to_regclass('edges')")" ] ||
		psqlc -d bench -f "$work/pg_imp.sql" > /dev/null
	psqlc -d bench > "$work/pg-setup.log" 2>&1 <<-EOF || { say "  pgRouting: setup failed:"; tail -n 5 "$work/pg-setup.log" >&2; exit 1; }
	CREATE TABLE IF NOT EXISTS assets(id text PRIMARY KEY, category text, capacity float8, x float8, y float8,
	  geom geometry(Point, 3310) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(x, y), 3310)) STORED);
	\\copy assets(id, category, capacity, x, y) FROM '$data/assets_xy.csv' CSV HEADER
	CREATE TABLE cohort(id int8 PRIMARY KEY, lat float8, lon float8, geom geometry(Point, 3310)
	  GENERATED ALWAYS AS (ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3310)) STORED);
	\\copy cohort(id, lat, lon) FROM '$data/cohort.csv' CSV HEADER
	CREATE TABLE tracts(geoid text PRIMARY KEY, pop float8, x float8, y float8,
	  geom geometry(Point, 3310) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(x, y), 3310)) STORED);
	\\copy tracts(geoid, pop, x, y) FROM '$data/tract_points.csv' CSV HEADER
	VACUUM ANALYZE;
	EOF

	# nearest: phase 1, two sessions, each snapping half the people and
	# the assets of four categories and running their four searches;
	# phase 2, each joining its half of the people to the eight cost tables
	for mode in walk drive; do
		if [ $mode = walk ]; then
			mps=$($py -c 'print(4.8 / 3.6)')
			esql="SELECT id, source, target, walk_s AS cost, walk_s AS reverse_cost FROM edges"
		else
			mps=$($py -c 'print(20 / 3.6)')
			# reversed: paths run from the person to the asset
			esql="SELECT id, source, target, drive_ba_s AS cost, drive_ab_s AS reverse_cost FROM edges WHERE highway <> 'footway'"
		fi
		for s in 0 1; do
			{
				echo "CREATE TABLE snap_${mode}_$s AS SELECT c.id, n.id AS node, ST_Distance(c.geom, n.geom) / $mps AS leg FROM cohort c CROSS JOIN LATERAL (SELECT id, geom FROM ${mode}_nodes ORDER BY geom <-> c.geom LIMIT 1) n WHERE c.id % 2 = $s;"
				echo "CREATE INDEX ON snap_${mode}_$s(node);"
				k=0
				for c in $(echo $cats | tr , ' '); do
					if [ $((k % 2)) = $s ]; then
						echo "CREATE TABLE asnap_${mode}_$c AS SELECT n.id AS node, min(ST_Distance(a.geom, n.geom) / $mps) AS leg FROM assets a CROSS JOIN LATERAL (SELECT id, geom FROM ${mode}_nodes ORDER BY geom <-> a.geom LIMIT 1) n WHERE a.category = '$c' GROUP BY n.id;"
						echo "CREATE TABLE cost_${mode}_$c AS SELECT node, agg_cost FROM pgr_drivingDistance(\$\$ $esql UNION ALL SELECT 100000000 + row_number() OVER () AS id, 0 AS source, node AS target, leg AS cost, -1 AS reverse_cost FROM asnap_${mode}_$c \$\$, 0, 1e12, true);"
						echo "CREATE INDEX ON cost_${mode}_$c(node);"
					fi
					k=$((k + 1))
				done
				printf '%s\n' "$pgmem"
			} > "$work/pg_nn1_${mode}_$s.sql"
			{
				echo "CREATE TABLE nn_${mode}_$s(id int8, cat text, secs float8);"
				for c in $(echo $cats | tr , ' '); do
					echo "INSERT INTO nn_${mode}_$s SELECT s.id, '$c', s.leg + k.agg_cost FROM snap_${mode}_$s s JOIN cost_${mode}_$c k ON k.node = s.node;"
				done
				printf '%s\n' "$pgmem"
			} > "$work/pg_nn2_${mode}_$s.sql"
		done
		# the same from each tract's point, for the check (not timed)
		{
			echo "DROP TABLE IF EXISTS tr_${mode};"
			echo "CREATE TABLE tr_${mode}(geoid text, cat text, secs float8);"
			for c in $(echo $cats | tr , ' '); do
				echo "INSERT INTO tr_${mode} SELECT t.geoid, '$c', ST_Distance(t.geom, n.geom) / $mps + k.agg_cost FROM tracts t CROSS JOIN LATERAL (SELECT id, geom FROM ${mode}_nodes ORDER BY geom <-> t.geom LIMIT 1) n JOIN cost_${mode}_$c k ON k.node = n.id;"
			done
		} > "$work/pg_tr_${mode}.sql"
		drop="DROP TABLE IF EXISTS nn_${mode}_0, nn_${mode}_1, snap_${mode}_0, snap_${mode}_1"
		for c in $(echo $cats | tr , ' '); do drop="$drop, asnap_${mode}_$c, cost_${mode}_$c"; done
		prep="psqlc -d bench -c '$drop' > /dev/null 2>&1"
		if [ $mode = walk ]; then t=$T_WALK; else t=$T_DRIVE; fi
		measure "$t" "pgRouting pgr_drivingDistance" 1 "2 sessions" sh "$work/pg_sessions.sh" \
			"$work/pg_nn1_${mode}_0.sql" "$work/pg_nn1_${mode}_1.sql" -- \
			"$work/pg_nn2_${mode}_0.sql" "$work/pg_nn2_${mode}_1.sql"
		psqlc -d bench -c "\\copy (SELECT * FROM nn_${mode}_0 WHERE id <= $chk UNION ALL SELECT * FROM nn_${mode}_1 WHERE id <= $chk) TO '$work/pg_nn_$mode.csv' CSV HEADER" 2>/dev/null || true
		psqlc -d bench -f "$work/pg_tr_${mode}.sql" > /dev/null 2>&1 &&
			psqlc -d bench -c "\\copy (SELECT * FROM tr_${mode}) TO '$work/pg_tr_$mode.csv' CSV HEADER" 2>/dev/null || true
	done

	# 2SFCA: the first $fcas tracts, two sessions, pgr_drivingDistance
	# with many roots bounded by 30 minutes; the food assets reached
	psqlc -d bench > /dev/null 2>&1 <<-EOF
	CREATE TABLE tsnap AS SELECT t.geoid, n.id AS node, ST_Distance(t.geom, n.geom) / (20 / 3.6) AS leg
	  FROM (SELECT * FROM tracts ORDER BY geoid LIMIT $fcas) t
	  CROSS JOIN LATERAL (SELECT id, geom FROM drive_nodes ORDER BY geom <-> t.geom LIMIT 1) n;
	CREATE TABLE fsnap AS SELECT n.id AS node, ST_Distance(a.geom, n.geom) / (20 / 3.6) AS leg
	  FROM assets a CROSS JOIN LATERAL (SELECT id, geom FROM drive_nodes ORDER BY geom <-> a.geom LIMIT 1) n
	  WHERE a.category = 'food';
	CREATE INDEX ON fsnap(node);
	EOF
	for s in 0 1; do
		{
			echo "CREATE TABLE fca_$s AS SELECT t.geoid, count(f.node) AS reached FROM pgr_drivingDistance(\$\$ SELECT id, source, target, drive_ab_s AS cost, drive_ba_s AS reverse_cost FROM edges WHERE highway <> 'footway' \$\$, (SELECT array_agg(DISTINCT node) FROM (SELECT node, row_number() OVER (ORDER BY geoid) AS r FROM tsnap) q WHERE r % 2 = $s), 1800, true, false) d JOIN tsnap t ON t.node = d.from_v JOIN fsnap f ON f.node = d.node WHERE t.leg + d.agg_cost + f.leg <= 1800 GROUP BY t.geoid;"
			printf '%s\n' "$pgmem"
		} > "$work/pg_fca_$s.sql"
	done
	prep="psqlc -d bench -c 'DROP TABLE IF EXISTS fca_0, fca_1' > /dev/null 2>&1"
	post="awk -v n=$ntr -v k=$fcas '{ print n / k, \$1, 0, \"cpu\" }' '$work/t.txt' > '$work/extrap'"
	measure "$T_FCA" "pgRouting pgr_drivingDistance" 1 "~ from $fcas tracts, 2 sessions" sh "$work/pg_sessions.sh" \
		"$work/pg_fca_0.sql" "$work/pg_fca_1.sql"
	psqlc -d bench -c "\\copy (SELECT * FROM fca_0 UNION ALL SELECT * FROM fca_1) TO '$work/pg_fca.csv' CSV HEADER" 2>/dev/null || true
	pg_stop
fi

echo
$py "$here/roads_report.py" check "$work" "$data" "$chk" || true
echo
$py "$here/roads_report.py" table "$res" "$top/results.md" --nodes "$nnodes" --segs "$nsegs" \
	--points "$npts" --assets "$nass" --tracts "$ntr" --runs "$runs"
