#!/bin/sh
# tests/e2e.sh - run the end-to-end tests: every tests/e2e/*.sh (or the ones
# named on the command line), each in a fresh scratch directory, with
#   BIN    the built tools (pg32-as, pg32-objdump, vmlab)
#   BUILD  the build directory (examples in $BUILD/examples)
#   SRC    the source tree's root
# A test passes when it exits 0.  Its output is shown only when it fails.
# E2E_JOBS tests run at a time (default: the machine's cores); each one's
# output is kept apart and the results are printed in the tests' order, as
# soon as every test before them has ended.  Ends with one
# "e2e: N passed, N failed" line; exits 1 if any failed.
BUILD=${BUILD:-build}
SRC=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
BIN=$BUILD/bin
export BUILD BIN SRC

if [ "$1" = --job ]; then	# a worker: test number $3 of the list $2/tests
	t=$(sed -n "$3p" "$2/tests")
	dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-e2e.XXXXXX")
	if (cd "$dir" && sh "$t") >"$2/$3.log" 2>&1; then r=pass; else r=fail; fi
	echo $r > "$2/$3.tmp" && mv "$2/$3.tmp" "$2/$3.rc"	# whole when it appears
	rm -rf "$dir"
	echo "$3"	# to the printer: test $3 has ended
	exit 0
fi

if [ $# -eq 0 ]; then set -- "$SRC"/tests/e2e/*.sh; fi
res=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-e2e-res.XXXXXX") || exit 1
trap 'rm -rf "$res"' EXIT
trap 'exit 130' INT TERM
missing=0
for t in "$@"; do
	if [ -f "$t" ]; then
		case $t in /*) ;; *) t=$PWD/$t ;; esac	# the test runs in a scratch dir
		echo "$t"
	else
		echo "e2e: no such test: $t" >&2; missing=$((missing + 1))
	fi
done > "$res/tests"
n=$(wc -l < "$res/tests")
jobs=${E2E_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}

# The workers print each test's number as it ends; the printer shows every
# result whose predecessors have all ended, in order.
awk '{ print NR }' "$res/tests" | xargs -r -P "$jobs" -n 1 sh "$0" --job "$res" | {
	next=1
	while [ "$next" -le "$n" ] && read -r done; do
		while [ -f "$res/$next.rc" ]; do
			name=$(basename "$(sed -n "${next}p" "$res/tests")" .sh)
			if [ "$(cat "$res/$next.rc")" = pass ]; then echo "PASS $name"
			else echo "FAIL $name"; sed 's/^/    /' "$res/$next.log"
			fi
			next=$((next + 1))
		done
	done
}
pass=$(cat "$res"/*.rc 2>/dev/null | grep -c '^pass$')
fail=$(($(cat "$res"/*.rc 2>/dev/null | grep -c '^fail$') + missing))
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
