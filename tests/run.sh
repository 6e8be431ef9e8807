#!/bin/sh
# Run every unit test binary given as arguments, then the golden CLI cases
# in tests/cli/, and end with one line "N passed, N failed, N skipped".
#
# Environment: ASSETMAP (the binary under test), VALGRIND (a prefix such
# as "valgrind -q ..." for the unit tests), BUILD (build directory),
# FUZZ_BIN (the fuzz targets built with tests/fuzz/driver.c; each runs
# FUZZ_SECONDS, default 3, on its seeds in tests/fuzz/seeds/NAME/).
#
# A skipped test fails the run when CI=true or ASSETMAP_NO_SKIP=1: CI has
# the shared data, so a skip there means a check that silently did not run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0 skipped=0
failed_names=""

count() { # add "N passed, N failed[, N skipped]" from a log's last such line
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		failed=$((failed + 1)); failed_names="$failed_names $2(crashed)"
		return
	fi
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	s=$(echo "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
	[ "$f" -gt 0 ] && failed_names="$failed_names $2"
	return 0
}

log=$(mktemp)
for t in "$@"; do
	name=$(basename "$t")
	${VALGRIND:-} "$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	count "$log" "$name"
	if [ $rc -ne 0 ] && ! grep -qE '^[0-9]+ passed, [1-9]' "$log"; then
		echo "  $name exited with $rc"
		failed=$((failed + 1)); failed_names="$failed_names $name(exit $rc)"
	fi
done

# Fuzz targets: a few seconds each, so that they build and run.
if [ -n "${FUZZ_BIN:-}" ]; then
	echo "fuzz:"
	fuzzdir=$(mktemp -d)
	for t in $FUZZ_BIN; do
		name=$(basename "$t")
		seeds="$here/fuzz/seeds/$name"
		dict="$here/fuzz/${name#fuzz_}.dict"
		[ -f "$dict" ] || dict="$here/fuzz/${name#fuzz_import_}.dict"
		set --
		[ -f "$dict" ] && set -- -x "$dict"
		if ! ls "$seeds"/* >/dev/null 2>&1; then
			echo "  FAIL $name: no seed inputs in tests/fuzz/seeds/$name/"
			failed=$((failed + 1)); failed_names="$failed_names $name(no seeds)"
			continue
		fi
		(cd "$fuzzdir" && "$t" -s "${FUZZ_SECONDS:-3}" "$@" "$name" "$seeds"/*) >"$log" 2>&1
		rc=$?
		cat "$log"
		count "$log" "$name"
		if [ $rc -ne 0 ]; then
			echo "  $name exited with $rc"
			[ -f "$fuzzdir/$name.last-input" ] &&
				echo "  the input that did it: $fuzzdir/$name.last-input"
			if grep -qE '^[0-9]+ passed' "$log"; then
				failed=$((failed + 1)); failed_names="$failed_names $name(exit $rc)"
			fi
		fi
	done
	ls "$fuzzdir"/*.last-input >/dev/null 2>&1 || rm -rf "$fuzzdir"
fi

# The short form of make torture (tests/torture/torture.py --short): kill
# -9, a full disk, two writers, bad inputs, PHI in outputs, with the binary
# under test (the sanitizer build's in CI's second pass).
if [ -z "${NO_TORTURE:-}" ]; then
	echo "torture (short):"
	AM="$ASSETMAP" AM_SAN="$ASSETMAP" /usr/bin/python3 -B "$here/torture/torture.py" --short >"$log" 2>&1
	rc=$?
	sed 's/^/  /' "$log"
	count "$log" torture
	if [ $rc -ne 0 ] && ! grep -qE '^[0-9]+ passed, [1-9]' "$log"; then
		failed=$((failed + 1)); failed_names="$failed_names torture(exit $rc)"
	fi
fi

# Golden CLI cases: tests/cli/NAME.args is a shell snippet run with `sh -e`
# in a fresh directory with $AM set to the binary, so every command counts:
# a command expected to fail says so (`$AM ... || echo "exit $?"`).
# NAME.out is the expected stdout and NAME.err the expected stderr (both
# required), NAME.rc (optional, default 0) the expected exit code.
echo "cli:"
cp=0 cf=0
for args in "$here"/cli/*.args; do
	[ -e "$args" ] || continue
	case_name=$(basename "$args" .args)
	dir=$(mktemp -d)
	# keys for hashing ids go to the case's directory, not the user's config
	XDG_CONFIG_HOME="$dir/.config"; export XDG_CONFIG_HOME; unset ASSETMAP_KEY_FILE
	(cd "$dir" && AM="$ASSETMAP" SHARED="$here/../../shared/data" \
		DATA="$here/../data" sh -e "$args" >"$dir/.stdout" 2>"$dir/.stderr")
	rc=$?
	want_rc=0
	[ -f "$here/cli/$case_name.rc" ] && want_rc=$(cat "$here/cli/$case_name.rc")
	ok=1
	for want in out err; do
		[ -f "$here/cli/$case_name.$want" ] && continue
		ok=0; echo "    no tests/cli/$case_name.$want (every case states its stdout and stderr)"
	done
	[ "$rc" = "$want_rc" ] || { ok=0; echo "    exit $rc, expected $want_rc"; }
	if [ -f "$here/cli/$case_name.out" ] && ! diff -u "$here/cli/$case_name.out" "$dir/.stdout" >"$dir/.diff"; then
		ok=0; echo "    stdout differs:"; sed 's/^/      /' "$dir/.diff" | head -40
	fi
	if [ -f "$here/cli/$case_name.err" ] && ! diff -u "$here/cli/$case_name.err" "$dir/.stderr" >"$dir/.diff"; then
		ok=0; echo "    stderr differs:"; sed 's/^/      /' "$dir/.diff" | head -40
	fi
	if [ $ok = 1 ]; then
		echo "  ok   $case_name"; cp=$((cp + 1))
	else
		echo "  FAIL $case_name"; cf=$((cf + 1)); failed_names="$failed_names cli/$case_name"
	fi
	rm -rf "$dir"
done
echo "$cp passed, $cf failed"
passed=$((passed + cp)); failed=$((failed + cf))
rm -f "$log"

echo
if [ "$skipped" -gt 0 ] && { [ "${CI:-}" = true ] || [ "${ASSETMAP_NO_SKIP:-}" = 1 ]; }; then
	echo "$skipped skipped tests count as failed here (CI=true or ASSETMAP_NO_SKIP=1): the shared data should be in ../shared/data"
	failed=$((failed + skipped)); failed_names="$failed_names (skips)"
fi
[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
