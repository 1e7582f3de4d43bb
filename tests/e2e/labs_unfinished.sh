#!/bin/sh
# labs_unfinished.sh - the labs' checks of what a run left behind earn
# nothing for a run that never finished (labs/README.md, "Tests": finished):
# each test below runs with a vmlab that prints the counters of a busy VMM
# and ends out of budget (124) or stopped by a double fault (126), and the
# checks named must fail as "not checked".
status=0
fail() { echo "FAIL: $*"; status=1; }

mkdir fakebin
ln -s "$BIN/pg32-as" "$BIN/pg32-objdump" fakebin/
cat > fakebin/vmlab <<'FAKE'
#!/bin/sh
printf 'vmm_hidden_faults: 5000\nvmm_shadow_fills: 5000\nvmm_true_faults: 0\n' >&2
[ "$FAKE_RC" = 126 ] && echo "vmlab: double fault: the trap handler at pc 0x00000100 faulted" >&2
exit "$FAKE_RC"
FAKE
chmod +x fakebin/vmlab

# unfinished N TEST RC CHECK...: labs/labN/tests/TEST.sh with every run
# ending with RC; each CHECK (a description) failed, not checked.
unfinished() {
	n=$1 t=$2 rc=$3; shift 3
	mkdir "$n.$t" && (cd "$n.$t" && FAKE_RC=$rc SRC=$SRC BUILD=$BUILD BIN=$PWD/../fakebin \
		LAB=$SRC/labs/lab$n OUT=$PWD/out TEST=$t sh "$SRC/labs/lab$n/tests/$t.sh") > "$n.$t.log" 2>&1
	for c in "$@"; do
		grep -q -x -F "FAIL  $c" "$n.$t.log" && grep -A1 -x -F "FAIL  $c" "$n.$t.log" | grep -q 'not checked: the run did not finish' ||
			{ fail "lab $n, $t, every run ending with $rc: '$c' not failed as not checked:"; grep -F -A1 "  $c" "$n.$t.log"; }
	done
}
unfinished 1 write 124 "no kernel panic"
unfinished 3 guestos 126 "every fault the guest takes is a true fault of the VMM" "the others are hidden, each a shadow fill"
unfinished 3 physical 124 "traps.s: the shadow is filled on demand (vmm_hidden_faults > 0)"
unfinished 6 builds 124 "without --pv no hypercall is served"
exit $status
