#!/bin/sh
# bench/gap.sh - assetmap's gap analyses side by side with their peers
# (issue 4, point 11), as whole processes on the same synthetic
# California-scale data, printing times, peak memory, ratios and targets.
#
# usage: sh bench/gap.sh
#   BENCH_SCALE   multiply every count (default 1: 8,000 tracts, 100,000
#                 assets, 1,000,000 cohort points); e.g. 0.05 for a quick run
#   BENCH_RUNS    runs per timing, the median is kept (default 3)
#   BENCH_SLOW_RUNS  runs for the slow peers (PostGIS and SpatiaLite
#                 nearest and counts, the sampled peers; default 1)
#   BENCH_PEERS   which to run, comma-separated (default
#                 assetmap,scipy,spatialite,postgis,geopandas)
#   BENCH_TASKS   which timings, comma-separated (default
#                 nearest,counts,2sfca,import)
#   BENCH_GPD_SAMPLE  cohort points the geopandas/shapely peer queries
#                 before extrapolating (default 100000, or all if fewer)
#   BENCH_KNN_SAMPLE  points for SpatiaLite's KNN table (default 100)
#   ASSETMAP      the binary (default build/rel/assetmap, then ./assetmap)
#   TMPDIR        data are cached in $TMPDIR/assetmap-bench-ca/ (made
#                 again only when gen_ca.py or the scale changes); the
#                 table is also written there as results.md
#
# Needs Debian's python3-scipy, python3-geopandas, python3-rtree,
# postgresql-15-postgis-3, gdal-bin, sqlite3 and libsqlite3-mod-spatialite.
# The PostgreSQL server is the bench's own: initdb in a temporary
# directory, loopback only, a free port; stopped and removed on exit.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
scale=${BENCH_SCALE:-1}
runs=${BENCH_RUNS:-3}
slow=${BENCH_SLOW_RUNS:-1}
peers=,${BENCH_PEERS:-assetmap,scipy,spatialite,postgis,geopandas},
top=${TMPDIR:-/tmp}/assetmap-bench-ca
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

mkdir -p "$top" "$work"
: > "$res"

# ---- data (cached) ------------------------------------------------------
stamp="$(sha256sum "$here/gen_ca.py" | cut -c1-16) scale=$scale $($py -c 'import numpy; print(numpy.__version__)')"
if [ ! -s "$data/stamp" ] || [ "$(cat "$data/stamp")" != "$stamp" ]; then
	say "generating the data (scale $scale) into $data ..."
	rm -rf "$data"
	$py "$here/gen_ca.py" "$data" --scale "$scale"
	echo "$stamp" > "$data/stamp"
fi
npts=$(($(wc -l < "$data/cohort.csv") - 1))
nass=$(($(wc -l < "$data/assets.csv") - 1))
ntr=$(grep -c '"GEOID"' "$data/tracts.geojson")
nfood=$(grep -c ',food,' "$data/assets.csv")
rm -f "$work"/*.csv "$work"/*.npz "$work"/*.npy "$work"/pgmem.*
say "data: $ntr tracts, $nass assets ($nfood food), $npts cohort points (scale $scale)"
gsample=${BENCH_GPD_SAMPLE:-100000}
[ "$gsample" -le "$npts" ] || gsample=$npts
ksample=${BENCH_KNN_SAMPLE:-100}
[ "$ksample" -le "$npts" ] || ksample=$npts
# the peers' answers compared by check_peers.py: the first $chk points
chk=2000
[ "$chk" -le "$npts" ] || chk=$npts

# ---- timing -------------------------------------------------------------
# measure TASK TOOL N NOTE CMD...: run CMD N times as a whole process under
# /usr/bin/time, before each run eval "$prep" when set; record the median
# wall seconds and the median peak RSS.  A command may leave in
# $work/extra.kb memory measured elsewhere (PostgreSQL's backends), added
# to its own, and in $work/extrap "F Q DKB" to extrapolate a sampled run
# to all points (see peer_gpd.py).  After each run, eval "$post" when set.
prep=
post=
measure() {
	m_task=$1 m_tool=$2 m_n=$3 m_note=$4
	case $m_task in
	nearest*) m_key=nearest ;; counts*) m_key=counts ;; 2SFCA*) m_key=2sfca ;; *) m_key=import ;;
	esac
	case ,${BENCH_TASKS:-nearest,counts,2sfca,import}, in
	*,$m_key,*) ;;
	*) prep= post= ; return 0 ;;
	esac
	shift 4
	: > "$work/m.txt"
	m_i=0
	while [ "$m_i" -lt "$m_n" ]; do
		[ -z "$prep" ] || eval "$prep"
		rm -f "$work/extra.kb" "$work/extrap"
		if ! /usr/bin/time -f '%e %M' -o "$work/t.txt" "$@" \
			> "$work/out.log" 2> "$work/err.log"; then
			say "  $m_tool: $m_task failed:"
			tail -n 5 "$work/err.log" >&2
			printf '%s\t%s\tNA\tNA\t%s\n' "$m_task" "$m_tool" "failed" >> "$res"
			prep=
			post=
			return 0
		fi
		[ -z "$post" ] || eval "$post"
		read -r m_s m_kb < "$work/t.txt"
		[ ! -s "$work/extra.kb" ] || m_kb=$((m_kb + $(cat "$work/extra.kb")))
		if [ -s "$work/extrap" ]; then
			read -r m_f m_q m_dkb < "$work/extrap"
			m_s=$(awk -v s="$m_s" -v f="$m_f" -v q="$m_q" \
				'BEGIN { printf "%.2f", s + q * (f - 1) }')
			m_kb=$(awk -v k="$m_kb" -v f="$m_f" -v d="$m_dkb" \
				'BEGIN { printf "%d", k + d * (f - 1) }')
		fi
		echo "$m_s $m_kb" >> "$work/m.txt"
		m_i=$((m_i + 1))
	done
	prep=
	post=
	m_s=$(sort -n -k1,1 "$work/m.txt" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	m_kb=$(sort -n -k2,2 "$work/m.txt" | awk '{ a[NR] = $2 } END { print a[int((NR + 1) / 2)] }')
	printf '%s\t%s\t%s\t%s\t%s\n' "$m_task" "$m_tool" "$m_s" "$((m_kb / 1024))" "$m_note" >> "$res"
	say "$(printf '  %-34s %-26s %8s s %6s MB  %s' "$m_task" "$m_tool" "$m_s" "$((m_kb / 1024))" "$m_note")"
}
na() { printf '%s\t%s\tNA\tNA\t%s\n' "$1" "$2" "$3" >> "$res"; }

T_NN="nearest, 8 categories"
T_CNT="counts within 5 km (food)"
T_FCA="2SFCA, 10 km (food)"
T_IMP="import cohort CSV"

# ---- assetmap -----------------------------------------------------------
am_has() { [ -x "$am" ] && "$am" "$@" --help > /dev/null 2>&1; }
am_missing() { say "  assetmap $1: command not available yet"; na "$2" assetmap "command not available yet"; }
if want assetmap; then
	say "assetmap ($am)"
	ws=$work/am.db
	base=$work/am-base.db
	ok=1
	if ! am_has import areas; then
		ok=0
	else
		rm -f "$base" "$ws"
		if ! { "$am" -q -d "$base" init --crs EPSG:3310 &&
			"$am" -q -d "$base" import areas "$data/tracts.geojson" --level tract \
				--geoid GEOID --population POP &&
			"$am" -q -d "$base" import assets "$data/assets.csv" --id id --name name \
				--lon lon --lat lat --category category --capacity capacity --no-merge; } \
			> "$work/am-setup.log" 2>&1; then
			say "  assetmap: setting up the workspace failed:"
			tail -n 5 "$work/am-setup.log" >&2
			ok=0
		fi
	fi
	if [ "$ok" = 1 ] && am_has import cohort; then
		prep="rm -f '$ws'; cp '$base' '$ws'"
		measure "$T_IMP" assetmap "$runs" "" "$am" -q -d "$ws" import cohort bench "$data/cohort.csv"
	else
		am_missing "import cohort" "$T_IMP"
		ok=0
	fi
	if [ "$ok" = 1 ] && am_has nearest; then
		measure "$T_NN" assetmap "$runs" "" "$am" -q -d "$ws" nearest --cohort bench --category "$cats"
	else am_missing nearest "$T_NN"; fi
	if [ "$ok" = 1 ] && am_has coverage; then
		measure "$T_CNT" assetmap "$runs" "" "$am" -q -d "$ws" coverage --cohort bench --category food --within 5km
	else am_missing coverage "$T_CNT"; fi
	if [ "$ok" = 1 ] && am_has access; then
		measure "$T_FCA" assetmap "$runs" "" "$am" -q -d "$ws" access --method 2sfca --catchment 10km --category food
	else am_missing access "$T_FCA"; fi
fi

# ---- scipy cKDTree ------------------------------------------------------
if want scipy; then
	say "scipy cKDTree (numpy $($py -c 'import numpy; print(numpy.__version__)'), scipy $($py -c 'import scipy; print(scipy.__version__)'))"
	measure "$T_NN" "scipy cKDTree" "$runs" "" $py "$here/peer_scipy.py" nearest "$data" "$work/scipy_nn.npz"
	measure "$T_CNT" "scipy cKDTree" "$runs" "" $py "$here/peer_scipy.py" counts "$data" "$work/scipy_cnt.npy"
	measure "$T_FCA" "numpy + cKDTree" "$runs" "" $py "$here/peer_scipy.py" 2sfca "$data" "$work/scipy_fca.csv"
fi

# ---- SpatiaLite SQL -----------------------------------------------------
# One file per peer run: tracts by ogr2ogr; per-category asset tables
# with their own R*Tree (as PostGIS gets partial GiST indexes); the
# cohort as points in EPSG:3310 with x, y columns for the boxes.
sl=$work/sl.sqlite
slrun() { sqlite3 -bail -cmd '.load mod_spatialite' -cmd 'PRAGMA cache_size=-262144' "$@"; }
# sltimed TASK TOOL N NOTE FILE.sql: measure sqlite3 reading FILE.sql
sltimed() { measure "$1" "$2" "$3" "$4" sqlite3 -bail -cmd '.load mod_spatialite' \
	-cmd 'PRAGMA cache_size=-262144' "$sl" ".read '$5'"; }
# nearest asset of table T for cohort row c: boxes growing until one holds
# an asset within its half-width, which is then the nearest
sl_nearest_pk() {
	t=$1
	printf 'COALESCE('
	sep=
	for r in 1000 3000 10000 30000 100000 300000 3000000; do
		printf '%s(SELECT pk FROM (SELECT b.pk AS pk, ST_Distance(b.geom, c.geom) AS d FROM %s b WHERE b.pk IN (SELECT pkid FROM idx_%s_geom WHERE xmin <= c.x + %s AND xmax >= c.x - %s AND ymin <= c.y + %s AND ymax >= c.y - %s)) WHERE d <= %s ORDER BY d LIMIT 1)' \
			"$sep" "$t" "$t" $r $r $r $r $r
		sep=', '
	done
	printf ')'
}
if want spatialite; then
	say "SpatiaLite SQL (sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(sqlite3 -cmd '.load mod_spatialite' :memory: 'SELECT spatialite_version()' 2>/dev/null | tail -n 1))"
	rm -f "$sl"
	{
		ogr2ogr -f SQLite -dsco SPATIALITE=YES "$sl" "$data/tracts.geojson" -nln tracts \
			-t_srs EPSG:3310 -nlt PROMOTE_TO_MULTI -lco GEOMETRY_NAME=geom
		{
			echo "CREATE TABLE stage_a(id TEXT, name TEXT, lon REAL, lat REAL, category TEXT, capacity REAL);"
			echo "CREATE TABLE stage_c(id INTEGER, lat REAL, lon REAL);"
			echo ".import --csv --skip 1 '$data/assets.csv' stage_a"
			echo ".import --csv --skip 1 '$data/cohort.csv' stage_c"
			echo "BEGIN;"
			for c in $(echo $cats | tr , ' '); do
				echo "CREATE TABLE a_$c(pk INTEGER PRIMARY KEY, id TEXT, capacity REAL, x REAL, y REAL);"
				echo "SELECT AddGeometryColumn('a_$c', 'geom', 3310, 'POINT', 'XY');"
				echo "INSERT INTO a_$c(id, capacity, geom) SELECT id, capacity, Transform(MakePoint(lon, lat, 4326), 3310) FROM stage_a WHERE category = '$c' ORDER BY rowid;"
				echo "UPDATE a_$c SET x = X(geom), y = Y(geom);"
				echo "SELECT CreateSpatialIndex('a_$c', 'geom');"
			done
			echo "CREATE TABLE cohort(id INTEGER PRIMARY KEY, x REAL, y REAL);"
			echo "SELECT AddGeometryColumn('cohort', 'geom', 3310, 'POINT', 'XY');"
			echo "INSERT INTO cohort(id, geom) SELECT id, Transform(MakePoint(lon, lat, 4326), 3310) FROM stage_c;"
			echo "UPDATE cohort SET x = X(geom), y = Y(geom);"
			echo "DROP TABLE stage_a; DROP TABLE stage_c;"
			echo "COMMIT;"
		} | slrun "$sl"
	} > "$work/sl-setup.log" 2>&1 || { say "  SpatiaLite: setup failed:"; tail -n 5 "$work/sl-setup.log" >&2; exit 1; }

	# import: ogr2ogr into a new SpatiaLite file, with its spatial index
	prep="rm -f '$work/ogr.sqlite'"
	measure "$T_IMP" "ogr2ogr -> SpatiaLite" "$runs" "with spatial index" \
		ogr2ogr -f SQLite -dsco SPATIALITE=YES "$work/ogr.sqlite" "$data/cohort.csv" \
			-nln cohort -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat \
			-oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326 -gt 100000
	rm -f "$work/ogr.sqlite"

	{
		echo "CREATE TABLE nn(id INTEGER, cat TEXT, aid TEXT, dist REAL);"
		echo "BEGIN;"
		for c in $(echo $cats | tr , ' '); do
			echo "INSERT INTO nn SELECT q.id, '$c', a.id, ST_Distance(q.geom, a.geom) FROM (SELECT c.id AS id, c.geom AS geom, $(sl_nearest_pk a_$c) AS pk FROM cohort c) q JOIN a_$c a ON a.pk = q.pk;"
		done
		echo "COMMIT;"
	} > "$work/sl_nn.sql"
	prep="slrun '$sl' 'DROP TABLE IF EXISTS nn'"
	sltimed "$T_NN" "SpatiaLite R*Tree SQL" "$slow" "1 process" "$work/sl_nn.sql"

	cat > "$work/sl_cnt.sql" <<-EOF
	CREATE TABLE cnt AS SELECT c.id AS id, (SELECT count(*) FROM a_food b WHERE b.pk IN
	  (SELECT pkid FROM idx_a_food_geom WHERE xmin <= c.x + 5000 AND xmax >= c.x - 5000
	   AND ymin <= c.y + 5000 AND ymax >= c.y - 5000)
	  AND ST_Distance(b.geom, c.geom) <= 5000) AS n FROM cohort c;
	EOF
	prep="slrun '$sl' 'DROP TABLE IF EXISTS cnt'"
	sltimed "$T_CNT" "SpatiaLite R*Tree SQL" "$slow" "1 process" "$work/sl_cnt.sql"

	cat > "$work/sl_fca.sql" <<-EOF
	BEGIN;
	CREATE TABLE cen(geoid TEXT, pop REAL, x REAL, y REAL);
	SELECT AddGeometryColumn('cen', 'geom', 3310, 'POINT', 'XY');
	INSERT INTO cen(geoid, pop, geom) SELECT geoid, pop, ST_Centroid(geom) FROM tracts;
	UPDATE cen SET x = X(geom), y = Y(geom);
	SELECT CreateSpatialIndex('cen', 'geom');
	CREATE TABLE fca_r(pk INTEGER PRIMARY KEY, r REAL);
	INSERT INTO fca_r SELECT b.pk, b.capacity / sum(t.pop) FROM a_food b
	  JOIN idx_cen_geom i ON i.xmin <= b.x + 10000 AND i.xmax >= b.x - 10000
	    AND i.ymin <= b.y + 10000 AND i.ymax >= b.y - 10000
	  JOIN cen t ON t.rowid = i.pkid
	  WHERE ST_Distance(b.geom, t.geom) <= 10000 GROUP BY b.pk HAVING sum(t.pop) > 0;
	CREATE TABLE fca AS SELECT t.geoid AS geoid, coalesce((SELECT sum(r.r)
	  FROM idx_a_food_geom i JOIN a_food b ON b.pk = i.pkid JOIN fca_r r ON r.pk = b.pk
	  WHERE i.xmin <= t.x + 10000 AND i.xmax >= t.x - 10000 AND i.ymin <= t.y + 10000
	    AND i.ymax >= t.y - 10000 AND ST_Distance(b.geom, t.geom) <= 10000), 0) AS access
	  FROM cen t;
	COMMIT;
	EOF
	cat > "$work/sl_fca_reset.sql" <<-EOF
	DROP TABLE IF EXISTS fca;
	DROP TABLE IF EXISTS fca_r;
	SELECT DisableSpatialIndex('cen', 'geom');
	DROP TABLE IF EXISTS idx_cen_geom;
	SELECT DiscardGeometryColumn('cen', 'geom');
	DROP TABLE IF EXISTS cen;
	EOF
	prep="slrun '$sl' \".read '$work/sl_fca_reset.sql'\" > /dev/null 2>&1"
	sltimed "$T_FCA" "SpatiaLite SQL" "$runs" "" "$work/sl_fca.sql"

	# SpatiaLite's KNN virtual table, on a sample, extrapolated
	{
		echo "CREATE VIRTUAL TABLE IF NOT EXISTS knn USING VirtualKNN();"
		# warm up: one point per category, not counted in the sample
		for c in $(echo $cats | tr , ' '); do
			echo "SELECT count(*) FROM cohort c, knn k WHERE c.id = 1 AND k.f_table_name = 'a_$c' AND k.f_geometry_column = 'geom' AND k.ref_geometry = c.geom AND k.max_items = 1;"
		done
		echo ".timer on"
		echo "CREATE TABLE knn_nn(id INTEGER, cat TEXT, aid TEXT, dist REAL);"
		for c in $(echo $cats | tr , ' '); do
			echo "INSERT INTO knn_nn SELECT c.id, '$c', a.id, k.distance FROM (SELECT * FROM cohort WHERE id <= $ksample) c, knn k, a_$c a WHERE k.f_table_name = 'a_$c' AND k.f_geometry_column = 'geom' AND k.ref_geometry = c.geom AND k.max_items = 1 AND a.rowid = k.fid;"
		done
		echo "SELECT 1;"
	} > "$work/sl_knn.sql"
	prep="slrun '$sl' 'DROP TABLE IF EXISTS knn_nn'"
	post="awk -v n=$npts -v k=$ksample '/^Run Time/ { q += \$4 } END { printf \"%f %f 0\\n\", n / k, q }' '$work/out.log' > '$work/extrap'"
	sltimed "$T_NN" "SpatiaLite KNN table" "$slow" "~ from $ksample points" "$work/sl_knn.sql"
fi

# ---- PostGIS ------------------------------------------------------------
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
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
if want postgis; then
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
	say "PostGIS ($(psqlc -d bench -At -c "CREATE EXTENSION postgis; SELECT 'PostgreSQL ' || current_setting('server_version') || ', PostGIS ' || postgis_lib_version()"), port $port)"
	{
		ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$port user=postgres dbname=bench" \
			"$data/tracts.geojson" -nln tracts -t_srs EPSG:3310 -nlt PROMOTE_TO_MULTI \
			-lco GEOMETRY_NAME=geom
		psqlc -d bench <<-EOF
		CREATE TABLE assets(id text PRIMARY KEY, name text, lon float8, lat float8,
		  category text, capacity float8, geom geometry(Point, 3310) GENERATED ALWAYS AS
		  (ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3310)) STORED);
		\copy assets(id, name, lon, lat, category, capacity) FROM '$data/assets.csv' CSV HEADER
		$(for c in $(echo $cats | tr , ' '); do echo "CREATE INDEX assets_$c ON assets USING gist(geom) WHERE category = '$c';"; done)
		CREATE TABLE cohort(id int8 PRIMARY KEY, lat float8, lon float8, geom geometry(Point, 3310)
		  GENERATED ALWAYS AS (ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3310)) STORED);
		\copy cohort(id, lat, lon) FROM '$data/cohort.csv' CSV HEADER
		VACUUM ANALYZE;
		EXPLAIN SELECT c.id, a.id FROM cohort c CROSS JOIN LATERAL (SELECT id, geom FROM assets WHERE category = 'food' ORDER BY geom <-> c.geom LIMIT 1) a WHERE c.id % 2 = 0;
		EXPLAIN SELECT c.id, (SELECT count(*) FROM assets a WHERE a.category = 'food' AND ST_DWithin(a.geom, c.geom, 5000)) AS n FROM cohort c WHERE c.id % 2 = 0;
		EOF
	} > "$work/pg-setup.log" 2>&1 || { say "  PostGIS: setup failed:"; tail -n 5 "$work/pg-setup.log" >&2; exit 1; }

	# each session reports its backend's peak RSS into $work/pgmem.*
	pgmem="SELECT pg_backend_pid() AS bpid \\gset
\\setenv BPID :bpid
\\! awk '/VmHWM/ { print \$2 }' /proc/\$BPID/status > '$work/pgmem.'\$BPID"
	# pg_sessions FILE.sql...: run each file in its own session, in parallel
	cat > "$work/pg_sessions.sh" <<-EOF
	#!/bin/sh
	rm -f '$work'/pgmem.*
	pids=
	for f in "\$@"; do
		psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $port -U postgres -d bench -f "\$f" &
		pids="\$pids \$!"
	done
	rc=0
	for p in \$pids; do wait \$p || rc=1; done
	cat '$work'/pgmem.* | awk '{ s += \$1 } END { print s + 0 }' > '$work/extra.kb'
	exit \$rc
	EOF

	# import: COPY into a table with its point column, then the GiST index
	cat > "$work/pg_imp.sql" <<-EOF
	BEGIN;
	CREATE TABLE cohort_imp(id int8, lat float8, lon float8, geom geometry(Point, 4326)
	  GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED);
	\\copy cohort_imp(id, lat, lon) FROM '$data/cohort.csv' CSV HEADER
	CREATE INDEX ON cohort_imp USING gist(geom);
	COMMIT;
	$pgmem
	EOF
	prep="psqlc -d bench -c 'DROP TABLE IF EXISTS cohort_imp' > /dev/null 2>&1"
	measure "$T_IMP" "PostgreSQL COPY" "$runs" "with GiST index" sh "$work/pg_sessions.sh" "$work/pg_imp.sql"
	psqlc -d bench -c 'DROP TABLE IF EXISTS cohort_imp' > /dev/null 2>&1

	# nearest: KNN <-> with LATERAL, two sessions splitting the points
	for s in 0 1; do
		{
			echo "CREATE TABLE nn_$s(id int8, cat text, aid text, dist float8);"
			for c in $(echo $cats | tr , ' '); do
				echo "INSERT INTO nn_$s SELECT c.id, '$c', a.id, ST_Distance(c.geom, a.geom) FROM cohort c CROSS JOIN LATERAL (SELECT id, geom FROM assets WHERE category = '$c' ORDER BY geom <-> c.geom LIMIT 1) a WHERE c.id % 2 = $s;"
			done
			printf '%s\n' "$pgmem"
		} > "$work/pg_nn_$s.sql"
		{
			echo "CREATE TABLE cnt_$s AS SELECT c.id, (SELECT count(*) FROM assets a WHERE a.category = 'food' AND ST_DWithin(a.geom, c.geom, 5000)) AS n FROM cohort c WHERE c.id % 2 = $s;"
			printf '%s\n' "$pgmem"
		} > "$work/pg_cnt_$s.sql"
	done
	prep="psqlc -d bench -c 'DROP TABLE IF EXISTS nn_0; DROP TABLE IF EXISTS nn_1' > /dev/null 2>&1"
	measure "$T_NN" "PostGIS KNN <-> LATERAL" "$slow" "2 sessions" sh "$work/pg_sessions.sh" "$work/pg_nn_0.sql" "$work/pg_nn_1.sql"
	prep="psqlc -d bench -c 'DROP TABLE IF EXISTS cnt_0; DROP TABLE IF EXISTS cnt_1' > /dev/null 2>&1"
	measure "$T_CNT" "PostGIS ST_DWithin" "$slow" "2 sessions" sh "$work/pg_sessions.sh" "$work/pg_cnt_0.sql" "$work/pg_cnt_1.sql"

	cat > "$work/pg_fca.sql" <<-EOF
	BEGIN;
	CREATE TABLE cen AS SELECT geoid, pop, ST_Centroid(geom) AS geom FROM tracts;
	CREATE INDEX ON cen USING gist(geom);
	ANALYZE cen;
	CREATE TABLE fca AS
	WITH r AS (SELECT a.id, a.geom, a.capacity / sum(t.pop) AS r FROM assets a
	    JOIN cen t ON ST_DWithin(a.geom, t.geom, 10000)
	    WHERE a.category = 'food' GROUP BY a.id, a.geom, a.capacity HAVING sum(t.pop) > 0),
	  s AS (SELECT t.geoid, sum(r.r) AS access FROM r
	    JOIN cen t ON ST_DWithin(r.geom, t.geom, 10000) GROUP BY t.geoid)
	SELECT t.geoid, coalesce(s.access, 0) AS access FROM cen t LEFT JOIN s USING (geoid);
	COMMIT;
	$pgmem
	EOF
	prep="psqlc -d bench -c 'DROP TABLE IF EXISTS fca; DROP TABLE IF EXISTS cen' > /dev/null 2>&1"
	measure "$T_FCA" "PostGIS SQL" "$runs" "" sh "$work/pg_sessions.sh" "$work/pg_fca.sql"

	# the answers, for check_peers.py
	psqlc -d bench -c "\\copy (SELECT * FROM nn_0 WHERE id <= $chk UNION ALL SELECT * FROM nn_1 WHERE id <= $chk) TO '$work/pg_nn.csv' CSV HEADER" 2>/dev/null || true
	psqlc -d bench -c "\\copy (SELECT * FROM cnt_0 WHERE id <= $chk UNION ALL SELECT * FROM cnt_1 WHERE id <= $chk) TO '$work/pg_cnt.csv' CSV HEADER" 2>/dev/null || true
	psqlc -d bench -c "\\copy (SELECT geoid, access FROM fca) TO '$work/pg_fca.csv' CSV HEADER" 2>/dev/null || true
	pg_stop
fi

# ---- geopandas / shapely ------------------------------------------------
if want geopandas; then
	say "geopandas $($py -c 'import geopandas; print(geopandas.__version__)'), shapely $($py -c 'import shapely; print(shapely.__version__)')"
	note="~ from $gsample points"
	[ "$gsample" -lt "$npts" ] || note=
	measure "$T_NN" "shapely STRtree" "$slow" "$note" \
		$py "$here/peer_gpd.py" nearest "$data" "$work/gpd_nn.npz" "$gsample" "$work/extrap"
	measure "$T_CNT" "geopandas buffer+sjoin" "$slow" "$note" \
		$py "$here/peer_gpd.py" counts "$data" "$work/gpd_cnt.npz" "$gsample" "$work/extrap"
fi

# ---- SpatiaLite answers for the check ------------------------------------
if want spatialite; then
	sqlite3 -csv -header "$sl" "SELECT * FROM nn WHERE id <= $chk" > "$work/sl_nn.csv" 2>/dev/null || true
	sqlite3 -csv -header "$sl" "SELECT * FROM knn_nn" > "$work/sl_knn.csv" 2>/dev/null || true
	sqlite3 -csv -header "$sl" "SELECT * FROM cnt WHERE id <= $chk" > "$work/sl_cnt.csv" 2>/dev/null || true
	sqlite3 -csv -header "$sl" "SELECT geoid, access FROM fca" > "$work/sl_fca.csv" 2>/dev/null || true
fi

echo
$py "$here/check_peers.py" "$work" "$data" "$chk" || true
echo
$py "$here/report.py" "$res" "$top/results.md" --scale "$scale" --points "$npts" \
	--assets "$nass" --tracts "$ntr" --runs "$runs" --slow-runs "$slow"
