#!/bin/sh
# bench/geocode.sh - 'assetmap geocode' side by side with its peers
# (issue 13, point 5): 1,000,000 messy single-line addresses from a
# synthetic county (bench/gen_geocode.py: ~500,000 address points,
# TIGER-style ranges, 9 ZIPs), as whole processes on the same data,
# printing times (wall and CPU), addresses/s, ratios, match rates against
# the truth, peak memory and the targets (>= 50x both peers, < 10 s,
# < 1 GB).  About 8 minutes in all (generating the data the first time,
# loading the peers, the PostGIS parsers' samples).
#
# usage: sh bench/geocode.sh           (make bench BENCH=geocode)
#   BENCH_N          queries (default 1000000); e.g. 20000 for a quick run
#   BENCH_RUNS       runs of 'assetmap geocode', the median is kept
#                    (default 3)
#   BENCH_PG_SAMPLE  queries the PostGIS peers parse and match, in two
#                    sessions, before extrapolating linearly to BENCH_N
#                    (default 20000, or all if fewer): normalize_address
#                    takes milliseconds an address
#   BENCH_PEERS      which to run, comma-separated (default
#                    assetmap,postgis,pagc,pgmatch,spatialite)
#   ASSETMAP         the binary (default build/rel/assetmap, then ./assetmap)
#   TMPDIR           data are cached in $TMPDIR/assetmap-bench-geocode/
#                    (made again only when gen_geocode.py or BENCH_N
#                    changes); the table is also written there as
#                    results.md
#
# The peers, on the same points, ranges and ZIPs, with indexes, each
# cascading as assetmap does (address point -> range interpolated and
# offset 10 m to its side -> ZIP centroid -> none; a street is matched on
# its name, directionals, and ZIP, or city when the address has no ZIP;
# the type is not compared, which can only help them):
#   postgis     PostgreSQL 15 + PostGIS 3: the postgis_tiger_geocoder
#               extension's normalize_address() parses each address, then
#               set-based SQL (btree indexes) matches; ordinals written
#               as words or zero-padded are read through a table, as the
#               matcher needs digits.  Two sessions, each half the sample.
#   pagc        the same with pagc_normalize_address() (the
#               address_standardizer's parser: faster).
#   pgmatch     the same SQL over all BENCH_N queries given already split
#               into their parts, as SpatiaLite is (below): the match alone.
#   spatialite  sqlite3 + mod_spatialite, the same set-based SQL over all
#               BENCH_N queries.  SQLite has no address parser, so it is
#               given the generator's own components of each address
#               (parsed.csv: exact, normal form) and its time is the
#               match alone, no parsing: a lower bound for any SpatiaLite
#               geocoder, and the ratio says so.
# Only the geocoding step is timed; assetmap's imports are timed apart,
# the peers' loading (COPY, indexes) is not.
#
# Needs Debian's postgresql-15-postgis-3, postgresql-15-postgis-3-scripts,
# sqlite3, libsqlite3-mod-spatialite, python3-gdal and time; installed
# here when run as root, else the apt-get line is printed.  The
# PostgreSQL server is the bench's own: initdb in a temporary directory,
# loopback only, a free port; stopped and removed on exit.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
n=${BENCH_N:-1000000}
runs=${BENCH_RUNS:-3}
pgs=${BENCH_PG_SAMPLE:-20000}
[ "$pgs" -le "$n" ] || pgs=$n
peers=,${BENCH_PEERS:-assetmap,postgis,pagc,pgmatch,spatialite},
top=${TMPDIR:-/tmp}/assetmap-bench-geocode
data=$top/data-n$n
work=$top/work-n$n
res=$work/results.tsv
am=${ASSETMAP:-}
if [ -z "$am" ]; then
	am=$here/../build/rel/assetmap
	[ -x "$am" ] || am=$here/../assetmap
fi
want() { case $peers in *,$1,*) return 0 ;; esac; return 1; }
say() { printf '%s\n' "$*" >&2; }

# ---- what the bench needs ---------------------------------------------------
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
pkgs="postgresql-15-postgis-3 postgresql-15-postgis-3-scripts sqlite3 libsqlite3-mod-spatialite python3-gdal time"
if ! $py -c 'from osgeo import ogr' > /dev/null 2>&1 || [ ! -x /usr/bin/time ] ||
	! command -v sqlite3 > /dev/null ||
	! echo "SELECT load_extension('mod_spatialite');" | sqlite3 :memory: > /dev/null 2>&1 ||
	[ -z "$pgbin" ] || ! ls /usr/share/postgresql/*/extension/postgis_tiger_geocoder.control > /dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		say "installing $pkgs ..."
		# shellcheck disable=SC2086 # $pkgs is a list
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs > /dev/null
		pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	else
		say "bench/geocode.sh needs: sudo apt-get install $pkgs"
		exit 2
	fi
fi

mkdir -p "$top" "$work"
: > "$res"

# ---- data (cached) ------------------------------------------------------------
stamp="$(sha256sum "$here/gen_geocode.py" | cut -c1-16) n=$n"
if [ ! -s "$data/stamp" ] || [ "$(cat "$data/stamp")" != "$stamp" ]; then
	say "generating the county and $n queries into $data ..."
	rm -rf "$data"
	$py "$here/gen_geocode.py" "$data" --queries "$n"
	echo "$stamp" > "$data/stamp"
fi
npts=$(($(wc -l < "$data/points.csv") - 1))
nrng=$(($(wc -l < "$data/ranges_norm.csv") - 1))
say "data: $npts address point rows, $nrng range sides (addrfeat.shp), 9 ZIPs, $n queries"
rm -f "$work"/*.csv "$work"/pgmem.* "$work"/pgcpu.* "$work"/*.db

# ---- timing -----------------------------------------------------------------
# measure TOOL N FACTOR NOTE OUT CMD...: run CMD N times as a whole process
# under /usr/bin/time, before each run eval "$prep" when set, after it
# eval "$post"; record the median wall seconds times FACTOR (a sampled
# run extrapolated linearly to all queries), the median CPU seconds (user
# + system, what to compare on a busy machine; times FACTOR too) and the
# median peak RSS (plus $work/extra.kb and $work/extra.cpu when a run
# leaves them: PostgreSQL's backends).
# OUT is the tool's answers (id, lon, lat, level), checked against the
# truth by gc_report.py.
prep=
post=
measure() {
	m_tool=$1 m_n=$2 m_f=$3 m_note=$4 m_out=$5
	shift 5
	: > "$work/m.txt"
	m_i=0
	while [ "$m_i" -lt "$m_n" ]; do
		[ -z "$prep" ] || eval "$prep"
		rm -f "$work/extra.kb" "$work/extra.cpu"
		if ! /usr/bin/time -f '%e %M %U %S' -o "$work/t.txt" "$@" \
			> "$work/out.log" 2> "$work/err.log"; then
			say "  $m_tool failed:"
			tail -n 5 "$work/err.log" >&2
			printf '%s\tNA\tNA\tfailed\t-\n' "$m_tool" >> "$res"
			prep='' post=''
			return 0
		fi
		[ -z "$post" ] || eval "$post"
		read -r m_s m_kb m_u m_y < "$work/t.txt"
		[ ! -s "$work/extra.kb" ] || m_kb=$((m_kb + $(cat "$work/extra.kb")))
		m_c=$(awk -v u="$m_u" -v y="$m_y" -v e="$(cat "$work/extra.cpu" 2>/dev/null || echo 0)" \
			'BEGIN { print u + y + e }')
		echo "$m_s $m_kb $m_c" >> "$work/m.txt"
		m_i=$((m_i + 1))
	done
	prep='' post=''
	m_s=$(sort -n -k1,1 "$work/m.txt" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	m_kb=$(sort -n -k2,2 "$work/m.txt" | awk '{ a[NR] = $2 } END { print a[int((NR + 1) / 2)] }')
	m_c=$(sort -n -k3,3 "$work/m.txt" | awk '{ a[NR] = $3 } END { print a[int((NR + 1) / 2)] }')
	m_x=$(awk -v s="$m_s" -v f="$m_f" 'BEGIN { printf "%.2f", s * f }')
	m_c=$(awk -v s="$m_c" -v f="$m_f" 'BEGIN { printf "%.2f", s * f }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$m_tool" "$m_x" "$((m_kb / 1024))" "$m_note" "$m_out" "$m_c" >> "$res"
	say "$(printf '  %-40s %9s s (CPU %9s s) %6s MB  %s' "$m_tool" "$m_x" "$m_c" "$((m_kb / 1024))" "$m_note")"
}
# a step that is reported but not compared (assetmap's imports)
timed() {
	t_what=$1
	shift
	if ! /usr/bin/time -f '%e %M' -o "$work/t.txt" "$@" > "$work/out.log" 2> "$work/err.log"; then
		say "  $t_what failed:"
		tail -n 5 "$work/err.log" >&2
		printf 'import\t%s\tNA\tNA\n' "$t_what" >> "$work/imports.tsv"
		return 1
	fi
	read -r t_s t_kb < "$work/t.txt"
	printf 'import\t%s\t%s\t%s\n' "$t_what" "$t_s" "$((t_kb / 1024))" >> "$work/imports.tsv"
	say "$(printf '  %-40s %9s s %6s MB' "$t_what" "$t_s" "$((t_kb / 1024))")"
}
: > "$work/imports.tsv"

# ---- assetmap -----------------------------------------------------------------
am_has() { [ -x "$am" ] && "$am" "$@" --help > /dev/null 2>&1; }
T_AM="assetmap geocode"
if want assetmap; then
	say "assetmap ($am)"
	ws=$work/am.db
	if ! am_has import addresses || ! am_has geocode; then
		say "  assetmap: 'import addresses' or 'geocode' not available yet"
		printf '%s\tNA\tNA\tcommand not available yet\t-\n' "$T_AM" >> "$res"
	else
		rm -f "$ws"
		if "$am" -q -d "$ws" init > "$work/am-init.log" 2>&1 &&
			timed "import addresses --kind points" "$am" -q -d "$ws" import addresses "$data/points.csv" --kind points &&
			timed "import addresses --kind ranges" "$am" -q -d "$ws" import addresses "$data/addrfeat.shp" --kind ranges &&
			timed "import addresses --kind zips" "$am" -q -d "$ws" import addresses "$data/zips.csv" --kind zips; then
			prep="rm -f '$work/am_out.csv'"
			measure "$T_AM" "$runs" 1 "" "$work/am_out.csv" \
				"$am" -q -d "$ws" geocode "$data/queries.csv" -o "$work/am_out.csv"
		else
			say "  assetmap: setting up the workspace failed"
			printf '%s\tNA\tNA\tsetup failed\t-\n' "$T_AM" >> "$res"
		fi
	fi
fi

# ---- SpatiaLite SQL ---------------------------------------------------------------
# The cascade in SQL, shared by both peers but for dialect: $1 the parsed
# table, $2 the result table, $3 SQL for "id not yet in $2".
sl=$work/sl.sqlite
slrun() { sqlite3 -bail -cmd '.load mod_spatialite' -cmd 'PRAGMA cache_size=-262144' "$@"; }
T_SL="SpatiaLite SQL (pre-parsed, match only)"
if want spatialite; then
	say "SpatiaLite SQL (sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(sqlite3 -cmd '.load mod_spatialite' :memory: 'SELECT spatialite_version()' 2>/dev/null | tail -n 1))"
	rm -f "$sl"
	cat > "$work/sl_load.sql" <<-EOF
	CREATE TABLE pts(number INTEGER, predir TEXT, name TEXT, type TEXT, postdir TEXT,
	  zip TEXT, city TEXT, lon REAL, lat REAL);
	CREATE TABLE rng_s(tlid INTEGER, side TEXT, from_num INTEGER, to_num INTEGER, parity TEXT,
	  predir TEXT, name TEXT, type TEXT, postdir TEXT, zip TEXT, city TEXT, wkt TEXT);
	CREATE TABLE zips(zip TEXT PRIMARY KEY, lat REAL, lon REAL, city TEXT, state TEXT);
	CREATE TABLE pq(id INTEGER PRIMARY KEY, number INTEGER, predir TEXT, name TEXT, type TEXT,
	  postdir TEXT, zip TEXT, city TEXT);
	.import --csv --skip 1 '$data/pts_norm.csv' pts
	.import --csv --skip 1 '$data/ranges_norm.csv' rng_s
	.import --csv --skip 1 '$data/zips.csv' zips
	.import --csv --skip 1 '$data/parsed.csv' pq
	SELECT InitSpatialMetadata(1);
	CREATE TABLE rng(tlid INTEGER, side TEXT, from_num INTEGER, to_num INTEGER, parity TEXT,
	  predir TEXT, name TEXT, type TEXT, postdir TEXT, zip TEXT, city TEXT);
	SELECT AddGeometryColumn('rng', 'geom', 4326, 'LINESTRING', 'XY');
	INSERT INTO rng SELECT tlid, side, from_num, to_num, parity, predir, name, type, postdir,
	  zip, city, GeomFromText(wkt, 4326) FROM rng_s;
	DROP TABLE rng_s;
	CREATE INDEX pts_zip ON pts(name, zip, number);
	CREATE INDEX pts_city ON pts(name, city, number);
	CREATE INDEX rng_zip ON rng(name, zip);
	CREATE INDEX rng_city ON rng(name, city);
	ANALYZE;
	EOF
	slrun "$sl" ".read '$work/sl_load.sql'" > "$work/sl-setup.log" 2>&1 ||
		{ say "  SpatiaLite: setup failed:"; tail -n 5 "$work/sl-setup.log" >&2; exit 1; }
	cat > "$work/sl_match.sql" <<-EOF
	BEGIN;
	CREATE TABLE res(id INTEGER PRIMARY KEY, lon REAL, lat REAL, level TEXT);
	-- 1. address point: number, street and ZIP (or city when no ZIP)
	INSERT OR IGNORE INTO res SELECT p.id, a.lon, a.lat, 'address_point'
	  FROM pq p JOIN pts a ON a.name = p.name AND a.zip = p.zip AND a.number = p.number
	    AND a.predir = p.predir AND a.postdir = p.postdir WHERE p.zip <> '';
	INSERT OR IGNORE INTO res SELECT p.id, a.lon, a.lat, 'address_point'
	  FROM pq p JOIN pts a ON a.name = p.name AND a.city = p.city AND a.number = p.number
	    AND a.predir = p.predir AND a.postdir = p.postdir WHERE p.zip = '';
	-- 2. range: the side holding the number, interpolated, 10 m to its side
	-- (CROSS JOIN keeps the queries outer, the ranges found by index)
	$(for k in zip city; do
		if [ $k = zip ]; then c="p.zip <> ''"; else c="p.zip = ''"; fi
		cat <<-EOS
		INSERT OR IGNORE INTO res
		SELECT id, X(pt) + ox / (111320 * cos(radians(Y(pt)))), Y(pt) + oy / 111320, 'street_range'
		FROM (SELECT id, pt, CASE WHEN side = 'L' THEN -1 ELSE 1 END * 10 * dy / len AS ox,
		    CASE WHEN side = 'L' THEN 1 ELSE -1 END * 10 * dx / len AS oy
		  FROM (SELECT id, pt, side, dx, dy, max(sqrt(dx * dx + dy * dy), 1e-9) AS len
		    FROM (SELECT p.id AS id, r.side AS side,
		        ST_Line_Interpolate_Point(r.geom, CASE WHEN r.to_num = r.from_num THEN 0.5
		          ELSE CAST(p.number - r.from_num AS REAL) / (r.to_num - r.from_num) END) AS pt,
		        (X(ST_EndPoint(r.geom)) - X(ST_StartPoint(r.geom))) * 111320
		          * cos(radians(Y(ST_StartPoint(r.geom)))) AS dx,
		        (Y(ST_EndPoint(r.geom)) - Y(ST_StartPoint(r.geom))) * 111320 AS dy
		      FROM pq p CROSS JOIN rng r ON r.name = p.name AND r.$k = p.$k
		        AND r.predir = p.predir AND r.postdir = p.postdir
		        AND p.number BETWEEN min(r.from_num, r.to_num) AND max(r.from_num, r.to_num)
		        AND (r.parity = 'B' OR (r.parity = 'O') = (p.number % 2 = 1))
		      WHERE $c AND p.id NOT IN (SELECT id FROM res))));
		EOS
	done)
	-- 3. ZIP centroid, 4. none
	INSERT OR IGNORE INTO res SELECT p.id, z.lon, z.lat, 'zip' FROM pq p JOIN zips z ON z.zip = p.zip
	  WHERE p.id NOT IN (SELECT id FROM res);
	INSERT OR IGNORE INTO res SELECT p.id, NULL, NULL, 'none' FROM pq p;
	COMMIT;
	EOF
	prep="slrun '$sl' 'DROP TABLE IF EXISTS res'"
	measure "$T_SL" "$runs" 1 "1 process, all $n" "$work/sl_out.csv" \
		sqlite3 -bail -cmd '.load mod_spatialite' -cmd 'PRAGMA cache_size=-262144' "$sl" ".read '$work/sl_match.sql'"
	sqlite3 -csv -header "$sl" "SELECT * FROM res ORDER BY id" > "$work/sl_out.csv" 2>/dev/null || true
fi

# ---- PostGIS ----------------------------------------------------------------------
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
if want postgis || want pagc || want pgmatch; then
	pgdir=$(mktemp -d /tmp/assetmap-bench-pg.XXXXXX)
	chown postgres: "$pgdir"
	chmod 700 "$pgdir"
	runuser -u postgres -- "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust \
		-E UTF8 --no-locale > "$pgdir/initdb.log" 2>&1
	port=$($py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -o \
		"-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$pgdir -c shared_buffers=512MB -c work_mem=128MB -c maintenance_work_mem=512MB -c max_wal_size=4GB -c wal_level=minimal -c max_wal_senders=0 -c synchronous_commit=off -c max_parallel_workers_per_gather=0" \
		start > /dev/null
	psqlc() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
	psqlc -d postgres -c 'CREATE DATABASE bench' > /dev/null
	say "PostGIS ($(psqlc -d bench -At -c "CREATE EXTENSION postgis; SELECT 'PostgreSQL ' || current_setting('server_version') || ', PostGIS ' || postgis_lib_version()"), port $port)"
	nn="FORCE_NOT_NULL (predir, type, postdir, zip, city)"
	psqlc -d bench > "$work/pg-setup.log" 2>&1 <<-EOF || { say "  PostGIS: setup failed:"; tail -n 5 "$work/pg-setup.log" >&2; exit 1; }
	CREATE EXTENSION fuzzystrmatch;
	CREATE EXTENSION address_standardizer;
	CREATE EXTENSION address_standardizer_data_us;
	CREATE EXTENSION postgis_tiger_geocoder;
	CREATE TABLE pts(number int, predir text, name text, type text, postdir text,
	  zip text, city text, lon float8, lat float8);
	\\copy pts FROM '$data/pts_norm.csv' WITH (FORMAT csv, HEADER, $nn)
	CREATE TABLE rng(tlid int8, side text, from_num int, to_num int, parity text,
	  predir text, name text, type text, postdir text, zip text, city text, wkt text,
	  geom geometry(LineString, 4326) GENERATED ALWAYS AS (ST_GeomFromText(wkt, 4326)) STORED);
	\\copy rng(tlid, side, from_num, to_num, parity, predir, name, type, postdir, zip, city, wkt) FROM '$data/ranges_norm.csv' WITH (FORMAT csv, HEADER, $nn)
	CREATE TABLE zips(zip text PRIMARY KEY, lat float8, lon float8, city text, state text);
	\\copy zips FROM '$data/zips.csv' CSV HEADER
	CREATE TABLE ords(word text PRIMARY KEY, n int);
	\\copy ords FROM '$data/ordinals.csv' CSV HEADER
	CREATE TABLE q(id int PRIMARY KEY, address text);
	\\copy q FROM '$data/queries.csv' CSV HEADER
	CREATE TABLE pq(id int PRIMARY KEY, number int, predir text, name text, type text,
	  postdir text, zip text, city text);
	\\copy pq FROM '$data/parsed.csv' WITH (FORMAT csv, HEADER, $nn)
	CREATE INDEX pts_zip ON pts(name, zip, number);
	CREATE INDEX pts_city ON pts(name, city, number);
	CREATE INDEX rng_zip ON rng(name, zip);
	CREATE INDEX rng_city ON rng(name, city);
	VACUUM ANALYZE;
	EOF

	# each session reports its backend's peak RSS into $work/pgmem.* and
	# its CPU seconds into $work/pgcpu.*
	pgmem="SELECT pg_backend_pid() AS bpid \\gset
\\setenv BPID :bpid
\\! awk '/VmHWM/ { print \$2 }' /proc/\$BPID/status > '$work/pgmem.'\$BPID
\\! awk '{ print (\$14 + \$15) / $(getconf CLK_TCK) }' /proc/\$BPID/stat > '$work/pgcpu.'\$BPID"
	# pg_sessions FILE.sql...: run each file in its own session, in parallel
	cat > "$work/pg_sessions.sh" <<-EOF
	#!/bin/sh
	rm -f '$work'/pgmem.* '$work'/pgcpu.*
	pids=
	for f in "\$@"; do
		psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $port -U postgres -d bench -f "\$f" &
		pids="\$pids \$!"
	done
	rc=0
	for p in \$pids; do wait \$p || rc=1; done
	cat '$work'/pgmem.* | awk '{ s += \$1 } END { print s + 0 }' > '$work/extra.kb'
	cat '$work'/pgcpu.* | awk '{ s += \$1 } END { print s + 0 }' > '$work/extra.cpu'
	exit \$rc
	EOF

	# pg_match FUNC S: session S's SQL: parse its half of the sample with
	# FUNC (or, FUNC '-', take its half of all the pre-parsed queries),
	# then the cascade, set-based
	pg_match() {
		if [ "$1" = - ]; then
			cat <<-EOF
			CREATE TABLE pn_$2 AS SELECT id, number AS num, predir, name, postdir, zip, city
			FROM pq WHERE id % 2 = $2;
			EOF
		else
			cat <<-EOF
			CREATE TABLE pn_$2 AS
			SELECT q.id, n.address AS num,
			  coalesce(upper(n.predirabbrev), '') AS predir,
			  CASE WHEN upper(n.streetname) ~ '^0*[0-9]+(ST|ND|RD|TH)?\$'
			       THEN (substring(upper(n.streetname) FROM '^0*([0-9]+)'))::int::text
			       ELSE coalesce((SELECT o.n::text FROM ords o WHERE o.word = upper(n.streetname)),
			                     upper(n.streetname)) END AS name,
			  coalesce(upper(n.postdirabbrev), '') AS postdir,
			  coalesce(n.zip, '') AS zip, coalesce(upper(n.location), '') AS city
			FROM q CROSS JOIN LATERAL $1(q.address) n
			WHERE q.id <= $pgs AND q.id % 2 = $2;
			EOF
		fi
		cat <<-EOF
		CREATE INDEX ON pn_$2(id);
		ANALYZE pn_$2;
		CREATE TABLE res_$2(id int PRIMARY KEY, lon float8, lat float8, level text);
		EOF
		for k in zip city; do
			if [ $k = zip ]; then c="p.zip <> ''"; else c="p.zip = ''"; fi
			cat <<-EOF
			INSERT INTO res_$2 SELECT DISTINCT ON (p.id) p.id, a.lon, a.lat, 'address_point'
			FROM pn_$2 p JOIN pts a ON a.name = p.name AND a.$k = p.$k AND a.number = p.num
			  AND a.predir = p.predir AND a.postdir = p.postdir WHERE $c
			ON CONFLICT DO NOTHING;
			EOF
		done
		for k in zip city; do
			if [ $k = zip ]; then c="p.zip <> ''"; else c="p.zip = ''"; fi
			cat <<-EOF
			INSERT INTO res_$2
			SELECT id, ST_X(pt) + ox / (111320 * cos(radians(ST_Y(pt)))), ST_Y(pt) + oy / 111320, 'street_range'
			FROM (SELECT DISTINCT ON (p.id) p.id,
			    ST_LineInterpolatePoint(r.geom, CASE WHEN r.to_num = r.from_num THEN 0.5
			      ELSE (p.num - r.from_num)::float8 / (r.to_num - r.from_num) END) AS pt,
			    (CASE WHEN r.side = 'L' THEN -1 ELSE 1 END) * 10 * dy / len AS ox,
			    (CASE WHEN r.side = 'L' THEN 1 ELSE -1 END) * 10 * dx / len AS oy
			  FROM pn_$2 p JOIN rng r ON r.name = p.name AND r.$k = p.$k
			    AND r.predir = p.predir AND r.postdir = p.postdir
			    AND p.num BETWEEN least(r.from_num, r.to_num) AND greatest(r.from_num, r.to_num)
			    AND (r.parity = 'B' OR (r.parity = 'O') = (p.num % 2 = 1))
			  CROSS JOIN LATERAL (SELECT
			      (ST_X(ST_EndPoint(r.geom)) - ST_X(ST_StartPoint(r.geom)))
			        * 111320 * cos(radians(ST_Y(ST_StartPoint(r.geom)))) AS dx,
			      (ST_Y(ST_EndPoint(r.geom)) - ST_Y(ST_StartPoint(r.geom))) * 111320 AS dy) d
			  CROSS JOIN LATERAL (SELECT greatest(sqrt(dx * dx + dy * dy), 1e-9) AS len) l
			  WHERE $c AND NOT EXISTS (SELECT 1 FROM res_$2 x WHERE x.id = p.id)
			  ORDER BY p.id) s
			ON CONFLICT DO NOTHING;
			EOF
		done
		cat <<-EOF
		INSERT INTO res_$2 SELECT p.id, z.lon, z.lat, 'zip' FROM pn_$2 p JOIN zips z ON z.zip = p.zip
		ON CONFLICT DO NOTHING;
		INSERT INTO res_$2 SELECT p.id, NULL, NULL, 'none' FROM pn_$2 p
		ON CONFLICT DO NOTHING;
		EOF
		printf '%s\n' "$pgmem"
	}
	f=$(awk -v n="$n" -v s="$pgs" 'BEGIN { printf "%.6f", n / s }')
	pg_drop="psqlc -d bench -c 'DROP TABLE IF EXISTS pn_0, pn_1, res_0, res_1' > /dev/null 2>&1"
	pg_out() { psqlc -d bench -c "\\copy (SELECT * FROM res_0 UNION ALL SELECT * FROM res_1 ORDER BY id) TO '$1' CSV HEADER" 2>/dev/null || true; }
	for v in postgis pagc pgmatch; do
		want "$v" || continue
		note="2 sessions; ~ from $pgs addresses"
		vf=$f
		case $v in
		postgis) fn=normalize_address tool="PostGIS normalize_address + SQL" ;;
		pagc) fn=pagc_normalize_address tool="PostGIS pagc_normalize_address + SQL" ;;
		*) fn=- tool="PostGIS SQL (pre-parsed, match only)" vf=1 note="2 sessions, all $n" ;;
		esac
		[ "$vf" = 1 ] || [ "$pgs" -lt "$n" ] || note="2 sessions, all $n"
		pg_match "$fn" 0 > "$work/pg_${v}_0.sql"
		pg_match "$fn" 1 > "$work/pg_${v}_1.sql"
		prep=$pg_drop
		measure "$tool" 1 "$vf" "$note" "$work/pg_${v}_out.csv" \
			sh "$work/pg_sessions.sh" "$work/pg_${v}_0.sql" "$work/pg_${v}_1.sql"
		pg_out "$work/pg_${v}_out.csv"
	done
	pg_stop
fi

echo
$py "$here/gc_report.py" "$res" "$data/truth.csv" "$top/results.md" --queries "$n" \
	--imports "$work/imports.tsv" --points "$npts" --ranges "$nrng" --runs "$runs"
