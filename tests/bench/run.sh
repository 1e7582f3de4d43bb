#!/bin/sh
# tests/bench/run.sh - run every benchmark script in tests/bench/ (except
# this one).  Each prints lines "name value unit"; this adds a header naming
# the machine the figures come from.
BUILD=${BUILD:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
BIN=$BUILD/bin
export BUILD BIN SRC
echo "# $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')"
status=0
for b in "$SRC"/tests/bench/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	sh "$b" || { echo "# $(basename "$b") failed" >&2; status=1; }
done
exit $status
