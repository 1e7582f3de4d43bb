#!/bin/sh
# hw_examples.sh - every example in $BUILD/examples runs to power-off
# with status 0 on the bare machine, identically twice (determinism).
set -u
fail() { echo "FAIL: $*"; exit 1; }
n=0
for e in "$BUILD"/examples/*.elf; do
	[ -f "$e" ] || continue
	name=$(basename "$e" .elf)
	"$BIN/vmlab" run --bare --stats --max-insns 100000000 "$e" </dev/null >out1 2>st1; s1=$?
	"$BIN/vmlab" run --bare --stats --max-insns 100000000 "$e" </dev/null >out2 2>st2; s2=$?
	[ $s1 -eq 0 ] || fail "$name: status $s1"
	[ $s1 -eq $s2 ] || fail "$name: statuses differ"
	cmp -s out1 out2 || fail "$name: outputs differ"
	cmp -s st1 st2 || fail "$name: counters differ"
	n=$((n + 1))
done
echo "$n examples"
exit 0
