#!/bin/sh
# snapshot_equiv.sh - a restored snapshot continues tick for tick
# (vm/hw/snap.h): for points T through a run, the console output of
# "run to T, save, stop" followed by that of "restore, run to the end"
# equals the output of the uninterrupted run, and the final state (--state:
# pc, registers, control registers, ticks, RAM checksum) and the disk image
# are the same.  Bare, under the VMM with both shadow policies, and across
# them (saved under one policy, restored under the other), and for the
# paravirtual guest OS (--pv).
#
# The points of a list are cut in one chain: the run to T1 saves and stops;
# the restored run of T1 (its disk zeroed: the snapshot's contents must
# replace it) saves at T2 and stops; and so on, the last restored run going
# to the end.  The pieces' output, then the end's state and disk, must be
# the uninterrupted run's: a restore that lost or changed anything at any
# point shows at the end.  Each list then costs one run, not one per point.
# When a chain fails, each of its points is cut alone, to name it.
#
# The guests: the guest OS boot (disk reads, timer preemption, paging,
# processes; 13 points, bare, split between the shadow policies), and tests/e2e/vmm/disk.s (disk reads and writes,
# a snapshot taken while a DMA request is in flight; 12 points).
set -u
fail=0
pattern() { yes "vmlab disk pattern 0123456789" | head -c 8192 > "$1"; }
zeroed() { head -c "$(wc -c < "$2")" /dev/zero > "$1"; }

# cut NAME ELF DISK0 OPTS T FROM: a run of ELF (FROM empty) or a restore
# of s.snap (saved at tick FROM) under OPTS that saves s.snap at tick T
# and stops; its output appended to ab.out.  a.img is the disk.
cut() {
	if [ -z "$6" ]; then
		"$BIN/vmlab" run $4 --disk a.img --save-at "$5" s.snap --max-insns "$5" \
			"$2" </dev/null >a.out 2>a.err
		rc=$?
	else
		zeroed a.img "$3"
		"$BIN/vmlab" run $4 --disk a.img --restore s.snap --save-at "$5" s2.snap \
			--max-insns "$(($5 - $6))" </dev/null >a.out 2>a.err
		rc=$?
		rm -f s.snap && { [ ! -f s2.snap ] || mv s2.snap s.snap; }
	fi
	cat a.out >> ab.out
	[ "$rc" -eq 124 ] && [ -s s.snap ] && return 0
	echo "FAIL $1 T=$5: saving run exit $rc, want 124 and a snapshot"
	sed 's/^/    /' a.err | head -3
	return 1
}

# chain NAME ELF DISK0 OPTS0 OPTS1 POINTS...: the chain of the points, the
# runs under OPTS0 and OPTS1 in turn (saved under one, restored under the
# other when they differ), compared with full.out, full.state, full.img;
# status 1 if anything differs, its lines on stdout.
chain() {
	name=$1 elf=$2 disk0=$3 o0=$4 o1=$5
	shift 5
	cp "$disk0" a.img
	rm -f s.snap
	: > ab.out
	from= opts=$o0 next=$o1
	for t in "$@"; do
		cut "$name" "$elf" "$disk0" "$opts" "$t" "$from" || return 1
		from=$t o=$opts opts=$next next=$o
	done
	zeroed a.img "$disk0"
	"$BIN/vmlab" run $opts --state --disk a.img --restore s.snap </dev/null >b.out 2>b.state
	cat b.out >> ab.out
	r=0
	cmp -s ab.out full.out || { echo "FAIL $name: console output differs"; r=1; }
	cmp -s b.state full.state || {
		echo "FAIL $name: final state differs"
		diff full.state b.state | head -6 | sed 's/^/    /'; r=1; }
	cmp -s a.img full.img || { echo "FAIL $name: disk image differs"; r=1; }
	return $r
}

# check NAME ELF DISK0 OPTS0 OPTS1 POINTS...: the uninterrupted run under
# OPTS0, then the chain; if it fails, each point alone (saved under OPTS0,
# restored under OPTS1), to name the points that fail.
check() {
	name=$1 elf=$2 disk0=$3 o0=$4 o1=$5
	shift 5
	cp "$disk0" full.img
	"$BIN/vmlab" run $o0 --state --disk full.img "$elf" </dev/null >full.out 2>full.state
	grep -q '^ram_fnv1a: ' full.state || { echo "FAIL $name: no --state"; fail=1; return; }
	chain "$name" "$elf" "$disk0" "$o0" "$o1" "$@" > chain.log && return
	fail=1
	cat chain.log
	for t in "$@"; do
		chain "$name, alone" "$elf" "$disk0" "$o0" "$o1" "$t"
	done
}

os="$BUILD/guestos/kernel.elf"
# The bare machine is cut at every point; under the VMM each point is cut
# under one of the two policies (they share the late 1700000), so that
# every point is also a restore of the VMM's state, and each policy's
# points still spread over the whole boot.
os_points="1 2 1000 20000 150000 300000 450000 600000 800000 1000000 1200000 1500000 1700000"
check "os bare" "$os" "$BUILD/guestos/disk.img" --bare --bare $os_points
cp full.out bare.out; cp full.state bare.state
check "os flush" "$os" "$BUILD/guestos/disk.img" --shadow=flush --shadow=flush \
	1 1000 150000 450000 800000 1200000 1700000
cp full.out flush.out; cp full.state flush.state
check "os trace" "$os" "$BUILD/guestos/disk.img" --shadow=trace --shadow=trace \
	2 20000 300000 600000 1000000 1500000 1700000
# Across the policies, both ways at each point: the two chains alternate.
check "os flush<->trace" "$os" "$BUILD/guestos/disk.img" --shadow=flush --shadow=trace \
	300000 1000000 1700000
check "os trace<->flush" "$os" "$BUILD/guestos/disk.img" --shadow=trace --shadow=flush \
	300000 1000000 1700000
# paravirtual: the shared page and the block ring with a batch in flight
check "os pv" "$os" "$BUILD/guestos/disk.img" --pv --pv 300000 600000 1000000 1700000
check "os pv trace" "$os" "$BUILD/guestos/disk.img" "--pv --shadow=trace" "--pv --shadow=trace" \
	450000 1200000

"$BIN/pg32-as" -o disk.elf "$SRC/tests/e2e/vmm/disk.s" || exit 1
pattern pat.img
disk_points="1 100 500 1000 1500 2500 4000 5000 6500 8000 10000 11500"
check "disk bare" disk.elf pat.img --bare --bare $disk_points
check "disk flush" disk.elf pat.img --shadow=flush --shadow=flush $disk_points
check "disk trace" disk.elf pat.img --shadow=trace --shadow=trace $disk_points

# Saving does not disturb the run: --save-at without a budget gives the
# uninterrupted output and state.
# (The uninterrupted runs: the checks' above.)
for m in bare flush; do
	o=--bare; [ $m = flush ] && o=--shadow=flush
	cp "$BUILD/guestos/disk.img" c.img
	"$BIN/vmlab" run $o --state --disk c.img --save-at 700000 s.snap "$os" </dev/null \
		>c.out 2>c.state
	cmp -s c.out $m.out && cmp -s c.state $m.state ||
		{ echo "FAIL $m: saving changed the run"; fail=1; }
done
exit $fail
