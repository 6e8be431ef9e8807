#!/bin/sh
# data/demo.sh - build the demo workspace for Alder County (a FICTIONAL
# county, see data/demo/README.md) and draw its maps.
#
#   sh data/demo.sh /path/to/assetmap [OUTDIR]
#
# OUTDIR (default out/, relative to the current directory) receives
# demo.db, demo-assets.pdf, demo-assets.png and demo-assets.svg, and the
# gap analysis: demo-gaps.csv (the tract ranking) and demo-deserts.gpkg
# (primary-care deserts, for QGIS).  The data
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
# Each import says who published it (the maps' sources line names them
# so, never by file), and the indicators' own columns get words.
step "$AM" -d "$DB" import areas "$DATA/tracts.geojson" --level tract \
	--geoid GEOID --name NAME \
	--source-label "Alder County GIS|Census tracts (synthetic)|2024"
step "$AM" -d "$DB" import areas "$DATA/county.geojson" --level county \
	--geoid GEOID --name NAME \
	--source-label "Alder County GIS|County line (synthetic)|2024"
step "$AM" -d "$DB" import indicators "$DATA/indicators.csv" \
	--geoid GEOID --population population \
	--source-label "Alder County health department|Community indicators (synthetic)|2024" \
	--label "poverty_rate=Below poverty (%)" \
	--label "limited_english=Limited English (%)" \
	--label "uninsured=Uninsured (%)" --label "children=Children (count)"
step "$AM" -d "$DB" import assets "$DATA/assets.csv" --lon lon --lat lat \
	--source-label "Alder County 211|Resource directory (synthetic)|2024" \
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

# The gap analysis for the cohort of children with asthma: how far each
# lives from each kind of help, who is covered, access per tract, the
# unmet need that affects the most children, deserts, and where three
# more primary-care sites would reach the most of them.
step "$AM" -d "$DB" nearest --cohort asthma-kids --category "$CATS"
step "$AM" -d "$DB" coverage --cohort asthma-kids --category "$CATS" \
	--within 1mi
step "$AM" -d "$DB" access --method e2sfca --category primary_care \
	--catchment 3mi
step "$AM" -d "$DB" gaps --cohort asthma-kids --category "$CATS" \
	--beyond 1mi
step "$AM" -d "$DB" export gaps -o "$OUT/demo-gaps.csv"
step "$AM" -d "$DB" deserts --category primary_care --within 2mi \
	--cohort asthma-kids
step "$AM" -d "$DB" export deserts -o "$OUT/demo-deserts.gpkg"
step "$AM" -d "$DB" sites --category primary_care --within 1mi --add 3 \
	--cohort asthma-kids

# Maps for funders and the coalition meeting: need against access to
# primary care (bivariate), where the children with asthma live (counts
# per tract, small ones suppressed) with the primary-care deserts
# hatched, saved as a map file to re-run next year; the map book; the
# SDOH rainbow of partners.
step "$AM" -d "$DB" map -o "$OUT/demo-need-access.pdf" \
	--bivariate svi,access:score_primary_care --category primary_care \
	--title "Need and access to primary care, Alder County" \
	--subtitle "Social vulnerability (CDC SVI method) against E2SFCA access within 3 miles"
step "$AM" -d "$DB" map -o "$OUT/demo-asthma.png" --cohort asthma-kids \
	--deserts deserts --category primary_care --method jenks \
	--title "Children with asthma and primary care, Alder County" \
	--save-style "$OUT/demo-asthma.map"
step "$AM" -d "$DB" atlas --cohort asthma-kids --within 1mi \
	-o "$OUT/demo-atlas.pdf" --title "Unmet need in Alder County"
step "$AM" -d "$DB" rainbow -o "$OUT/demo-rainbow.pdf"
step "$AM" -d "$DB" info

echo
echo "demo: workspace  $DB"
for ext in pdf png svg; do
	echo "demo: map        $OUT/demo-assets.$ext"
done
echo "demo: gaps       $OUT/demo-gaps.csv (ranked tracts, small counts suppressed)"
echo "demo: deserts    $OUT/demo-deserts.gpkg (open in QGIS)"
echo "demo: maps       $OUT/demo-need-access.pdf (bivariate), $OUT/demo-asthma.png (cohort, deserts)"
echo "demo: map file   $OUT/demo-asthma.map (assetmap map --style it to redraw)"
echo "demo: map book   $OUT/demo-atlas.pdf"
echo "demo: partners   $OUT/demo-rainbow.pdf"
echo "demo: Alder County is fictional; see $DATA/README.md"
