#!/bin/sh
# tests/e2e.sh - run the end-to-end tests: every tests/e2e/*.sh (or the ones
# named on the command line), each in a fresh scratch directory, with
#   BIN    the built tools (pg32-as, pg32-objdump, vmlab)
#   BUILD  the build directory (examples in $BUILD/examples)
#   SRC    the source tree's root
# A test passes when it exits 0.  Its output is shown only when it fails.
# Ends with one "e2e: N passed, N failed" line; exits 1 if any failed.
BUILD=${BUILD:-build}
SRC=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
BIN=$BUILD/bin
export BUILD BIN SRC

if [ $# -eq 0 ]; then set -- "$SRC"/tests/e2e/*.sh; fi
pass=0 fail=0
for t in "$@"; do
	[ -f "$t" ] || { echo "e2e: no such test: $t" >&2; fail=$((fail + 1)); continue; }
	case $t in /*) ;; *) t=$PWD/$t ;; esac	# the test runs in a scratch dir
	name=$(basename "$t" .sh)
	dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-e2e.XXXXXX")
	if (cd "$dir" && sh "$t") >"$dir/.log" 2>&1; then
		pass=$((pass + 1)); echo "PASS $name"
	else
		fail=$((fail + 1)); echo "FAIL $name"; sed 's/^/    /' "$dir/.log"
	fi
	rm -rf "$dir"
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
