#!/bin/sh
# tests/e2e.sh - run the end-to-end tests: every tests/e2e/*.sh (or the ones
# named on the command line), each in a fresh scratch directory, with
#   BIN    the built tools (pg32-as, pg32-objdump, vmlab)
#   BUILD  the build directory (examples in $BUILD/examples)
#   SRC    the source tree's root
# A test passes when it exits 0.  Its output is shown only when it fails.
# E2E_JOBS tests run at a time (default: the machine's cores); each one's
# output is kept apart and the results are printed in the tests' order, as
# soon as every test before them has ended, each with its CPU seconds (user
# and system, its own and its children's: the machine may be shared, so
# not wall time).  The longest tests start first, so that the last to end
# do not leave a core idle: their order is that of the CPU times the last
# whole run wrote to $BUILD/e2e-times, and on a first run the order of
# tests/e2e/slow (the slowest, longest first), then the rest.  Ends with
# one "e2e: N passed, N failed, S s CPU" line; exits 1 if any failed.
BUILD=${BUILD:-build}
SRC=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
BIN=$BUILD/bin
export BUILD BIN SRC

if [ "$1" = --job ]; then	# a worker: test number $3 of the list $2/tests
	t=$(sed -n "$3p" "$2/tests")
	dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-e2e.XXXXXX")
	if (cd "$dir" && sh "$t") >"$2/$3.log" 2>&1; then r=pass; else r=fail; fi
	# times: this shell's CPU, then its children's ("1m2.5s 0m0.25s"); not
	# in a subshell, which has no children.
	times > "$2/$3.cpu"
	cpu=$(awk 'NR == 2 { gsub(/s/, ""); split($1, u, "m"); split($2, k, "m")
		printf "%.1f", u[1] * 60 + u[2] + k[1] * 60 + k[2] }' "$2/$3.cpu")
	echo "$r $cpu" > "$2/$3.tmp" && mv "$2/$3.tmp" "$2/$3.rc"	# whole when it appears
	rm -rf "$dir"
	echo "$3"	# to the printer: test $3 has ended
	exit 0
fi

whole=no
if [ $# -eq 0 ]; then whole=yes; set -- "$SRC"/tests/e2e/*.sh; fi
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

# The order to start them in: "NAME SECONDS" lines, the last whole run's
# times, else tests/e2e/slow's names (first the longest), the rest after.
times=$BUILD/e2e-times
if [ -s "$times" ]; then cat "$times"
else grep -v '^#' "$SRC/tests/e2e/slow" 2>/dev/null | awk 'NF { print $1, 1000 - NR }'
fi > "$res/order"

# The workers print each test's number as it ends; the printer shows every
# result whose predecessors have all ended, in order.
awk -v order="$res/order" '
	BEGIN { while ((getline l < order) > 0) { split(l, w, " "); t[w[1]] = w[2] } }
	{ f = $0; sub(/.*\//, "", f); sub(/\.sh$/, "", f); print (f in t ? t[f] : 0), NR }' \
	"$res/tests" | sort -k1,1nr -k2,2n | awk '{ print $2 }' |
	xargs -r -P "$jobs" -n 1 sh "$0" --job "$res" | {
	next=1
	while [ "$next" -le "$n" ] && read -r done; do
		while [ -f "$res/$next.rc" ]; do
			name=$(basename "$(sed -n "${next}p" "$res/tests")" .sh)
			read -r r cpu < "$res/$next.rc"
			if [ "$r" = pass ]; then echo "PASS $name ($cpu s)"
			else echo "FAIL $name ($cpu s)"; sed 's/^/    /' "$res/$next.log"
			fi
			echo "$name $cpu" >> "$res/times"
			next=$((next + 1))
		done
	done
}
pass=$(cat "$res"/*.rc 2>/dev/null | grep -c '^pass ')
fail=$((n - pass + missing))	# a test that left no result failed too
cpu=$(awk '{ s += $2 } END { printf "%.1f", s }' "$res/times" 2>/dev/null)
echo "e2e: $pass passed, $fail failed, ${cpu:-0} s CPU"
# A whole run's times order the next one.
[ $whole = no ] || cp "$res/times" "$times" 2>/dev/null
[ "$fail" -eq 0 ]
