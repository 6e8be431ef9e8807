#!/bin/sh
# tests/torture/mutate_suppression.sh - prove the privacy sweep
# (tests/unit/test_privacy_sweep.c) notices when any one suppression
# call stops suppressing.
#
#   sh tests/torture/mutate_suppression.sh [FILTER]
#
# For every call of core_privacy_is_small/count/count_grouped/row/cell in
# cli/, render/ and core/ (and the few suppressions written without them:
# the 'sources' SQL, the result table's suppression), in a copy of the
# tree: make that one call a no-op (tests/torture/mutate_privacy.h),
# rebuild the binary, run the sweep against it, restore.  A mutation is
# "caught" when the sweep fails.  FILTER (a grep pattern) limits the
# sites by "file:line".  Needs a built tree (make, and the sweep's test
# binary build/rel/tests/test_privacy_sweep).  Prints one line per site
# and a summary; exits 1 when any mutation outside the import summary
# (exact counts for the file's own owner) and exempt_calls (below: calls
# whose mutation cannot change an output, each with its reason) went
# uncaught.  tests/torture/README records the results.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
filter=${1:-}
sweep=$root/build/rel/tests/test_privacy_sweep
[ -x "$sweep" ] && [ -x "$root/build/rel/assetmap" ] || {
	echo "mutate: build first: make -j2 build/rel/tests/test_privacy_sweep" >&2
	exit 2
}
work=$(mktemp -d "${TMPDIR:-/tmp}/assetmap-mutate-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
tree=$work/tree
mkdir -p "$tree/build"
(cd "$root" && cp -a Makefile core geo importers render cli data tests "$tree/")
cp -a "$root/build/rel" "$tree/build/rel"
sweep=$tree/build/rel/tests/test_privacy_sweep

# file:line:kind for every call; kind is the function's suffix.
sites=$(cd "$root" && grep -n -o 'core_privacy_\(is_small\|count_grouped\|count\|row\|cell\)(' \
	cli/*.c render/*.c core/*.c | grep -v '^core/core_privacy\.c' |
	sed 's/core_privacy_\(.*\)(/\1/')
# suppressions written without those functions
extra="cli/cmd_sources.c:SQL:sources core/core_result_read.c:SUPPRESS:table"

# Calls whose mutation no output can show, by file and the call's line
# (a grep pattern), with the reason: "file|pattern|reason".
exempt_calls='cli/cmd_atlas.c|!core_privacy_is_small(tot_b)|relaxes, never hides: a small "All areas" sum shows "<11" rather than "suppressed"; the mutation only hides more'
exempt_reason() { # file line
	src=$(sed -n "${2}p" "$root/$1")
	echo "$exempt_calls" | while IFS='|' read -r f pat why; do
		[ "$f" = "$1" ] && printf '%s\n' "$src" | grep -qF -- "$pat" && { echo "$why"; break; }
	done
}
caught=0 missed=0 missed_list="" exempt_missed=0
result() { # site outcome
	printf '%-34s %s\n' "$1" "$2"
}
for s in $sites $extra; do
	file=${s%%:*}; rest=${s#*:}; line=${rest%%:*}; kind=${rest#*:}
	[ -n "$filter" ] && ! echo "$file:$line" | grep -q -- "$filter" && continue
	if [ "$file" = cli/cmd_import_cohort.c ] && [ -z "${MUTATE_ALL:-}" ]; then
		result "$file:$line ($kind)" "skipped: the import summary shows its own file's owner exact counts (MUTATE_ALL=1 runs it)"
		exempt_missed=$((exempt_missed + 1))
		continue
	fi
	f=$tree/$file
	cp "$root/$file" "$f"
	case $line in
	SQL) sed -i 's/CASE WHEN small THEN/CASE WHEN 0 THEN/' "$f" ;;
	SUPPRESS) sed -i 's/^\([[:space:]]*\)core_result_table_suppress(\([^)]*\));/\1(void)\2;/' "$f" ;;
	*)
		sed -i "${line}s/core_privacy_${kind}(/mut_${kind}(/" "$f"
		sed -i '1i #include "tests/torture/mutate_privacy.h"' "$f"
		;;
	esac
	if cmp -s "$root/$file" "$f"; then
		result "$file:$line ($kind)" "NOT MUTATED (pattern not found)"
		missed=$((missed + 1)); missed_list="$missed_list $file:$line"
		continue
	fi
	if ! make -C "$tree" --no-print-directory build/rel/assetmap >"$work/build.log" 2>&1; then
		result "$file:$line ($kind)" "BUILD FAILED"; sed 's/^/    /' "$work/build.log" | tail -5
		missed=$((missed + 1)); missed_list="$missed_list $file:$line"
	else
		if ASSETMAP=$tree/build/rel/assetmap SWEEP_STOP_AT_FIRST=1 TMPDIR=$work \
			"$sweep" >"$work/sweep.log" 2>&1; then
			case $file in
			cli/cmd_import_cohort.c)
				result "$file:$line ($kind)" "not caught (import summary: exact counts for the file's owner)"
				exempt_missed=$((exempt_missed + 1)) ;;
			*)
				why=$(exempt_reason "$file" "$line")
				if [ -n "$why" ]; then
					result "$file:$line ($kind)" "exempt: $why"
					exempt_missed=$((exempt_missed + 1))
				else
					result "$file:$line ($kind)" "NOT CAUGHT"
					missed=$((missed + 1)); missed_list="$missed_list $file:$line"
				fi ;;
			esac
		else
			why=$(grep -m1 'leak in\|sweep.c:[0-9]*:' "$work/sweep.log" | sed 's/^ *tests\/unit\/test_privacy_sweep.c:[0-9]*: //' | cut -c1-110)
			result "$file:$line ($kind)" "caught: $why"
			caught=$((caught + 1))
		fi
	fi
	cp "$root/$file" "$f"
	touch "$f"
done
# leave the copy's binary as the tree's
echo
echo "mutations: $caught caught, $missed not caught, $exempt_missed exempt (the import summary; calls listed in exempt_calls)"
[ -n "$missed_list" ] && echo "not caught:$missed_list"
[ "$missed" -eq 0 ]
