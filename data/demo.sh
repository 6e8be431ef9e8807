#!/bin/sh
# data/demo.sh - build the demo workspace for Alder County (a FICTIONAL
# county, see data/demo/README.md) and draw its maps.
#
#   sh data/demo.sh /path/to/assetmap [OUTDIR]
#
# OUTDIR (default out/, relative to the current directory) receives
# demo.db, demo-assets.pdf, demo-assets.png and demo-assets.svg.  The data
# are read from data/demo/ beside this script, so it runs from any
# directory.  `make demo` calls it.
set -e

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: sh data/demo.sh /path/to/assetmap [OUTDIR]" >&2
	exit 2
fi
AM=$1
OUT=${2:-out}
DATA=$(cd "$(dirname "$0")" && pwd)/demo
DB=$OUT/demo.db
TITLE="Alder County (fictional demo): community assets and social vulnerability"
CATS=food,primary_care,behavioral_health,housing

if [ ! -x "$AM" ]; then
	echo "demo: $AM is not an executable; build it with 'make'" >&2
	exit 1
fi

# Echo a command, quoting what needs it, then run it.
step() {
	printf '+'
	for a in "$@"; do
		case $a in
		'' | *[!A-Za-z0-9_./:,=@%+-]*) printf " '%s'" "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
	"$@"
}

mkdir -p "$OUT"
step rm -f "$DB"
step "$AM" -d "$DB" init --crs EPSG:3310
step "$AM" -d "$DB" import areas "$DATA/tracts.geojson" --level tract \
	--geoid GEOID --name NAME
step "$AM" -d "$DB" import indicators "$DATA/indicators.csv" \
	--geoid GEOID --population population
step "$AM" -d "$DB" import assets "$DATA/assets.csv" --lon lon --lat lat \
	--name name --id id --category category --organization organization \
	--address address --city city --zip zip --phone phone --hours hours \
	--languages languages --capacity capacity --medi-cal accepts_medi_cal \
	--programs programs
step "$AM" -d "$DB" import cohort asthma-kids "$DATA/cohort.csv" \
	--id person_id --keep age,language
for ext in pdf png svg; do
	step "$AM" -d "$DB" map -o "$OUT/demo-assets.$ext" --indicator svi \
		--category "$CATS" --title "$TITLE"
done
step "$AM" -d "$DB" info

echo
echo "demo: workspace  $DB"
for ext in pdf png svg; do
	echo "demo: map        $OUT/demo-assets.$ext"
done
echo "demo: Alder County is fictional; see $DATA/README.md"
