#!/bin/sh
# snapshot_wficut.sh - a run cut inside wfi (vm/hw/hw.h): the probe
# (examples/probe.s) sleeps in wfi until its timer, first due at tick 10008.
# A run whose budget ends exactly there (--save-at stops the run at that
# tick to save) must go on as if never cut: the wfi retires, then the
# interrupt is taken, and the probe's delay stays the bare machine's 6
# ticks, bare and under the VMM, and so does the run restored from that
# snapshot.  Ticks 10007 and 10009 around it too.  Then on a host in
# virtual time with quanta of 3000 ticks, whose turns end on such ticks,
# the probe measures what it measures alone.
set -u
fail=0
probe="$BUILD/examples/probe.elf"
want="probe: 100 wakes, delay mean 6 max 6 ticks"

for mode in --bare --shadow=flush --shadow=trace; do
	"$BIN/vmlab" run $mode --state "$probe" </dev/null >full.out 2>full.state
	grep -qx "$want" full.out || { echo "FAIL $mode: uncut: $(cat full.out)"; fail=1; }
	for t in 10007 10008 10009; do
		rm -f s.snap
		"$BIN/vmlab" run $mode --save-at "$t" s.snap "$probe" </dev/null >a.out 2>a.err
		cmp -s a.out full.out || { echo "FAIL $mode T=$t: saving run: $(cat a.out)"; fail=1; }
		"$BIN/vmlab" run $mode --state --restore s.snap </dev/null >b.out 2>b.state
		cmp -s b.out full.out || { echo "FAIL $mode T=$t: restored run: $(cat b.out)"; fail=1; }
		cmp -s b.state full.state || {
			echo "FAIL $mode T=$t: restored final state differs"
			diff full.state b.state | head -4 | sed 's/^/    /'; fail=1; }
	done
done

# The guest OS beside it, its two copies on disks of their own.
K="$BUILD/guestos/kernel.elf"
mkdir -p cons
cp "$BUILD/guestos/disk.img" a.img
cp "$BUILD/guestos/disk.img" b.img
"$BIN/vmlab" run --time=virtual --sched=credit --quantum 3000 --no-boost --console-dir cons \
	--vm "$probe,name=probe" --vm "$K,disk=a.img" --vm "$K,disk=b.img" </dev/null \
	>host.out 2>host.err
grep -qx "$want" cons/probe.out ||
	{ echo "FAIL host quantum 3000: probe: $(cat cons/probe.out)"; fail=1; }

[ $fail -eq 0 ] && echo "ok snapshot_wficut"
exit $fail
