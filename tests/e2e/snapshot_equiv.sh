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
# The guests: the guest OS boot (disk reads, timer preemption, paging,
# processes; 13 points, bare, split between the shadow policies), and tests/e2e/vmm/disk.s (disk reads and writes,
# a snapshot taken while a DMA request is in flight; 12 points).  The
# restored run's disk image starts zeroed: the snapshot's contents must
# replace it.
set -u
fail=0
pattern() { yes "vmlab disk pattern 0123456789" | head -c 8192 > "$1"; }
zeroed() { head -c "$(wc -c < "$2")" /dev/zero > "$1"; }

# check NAME ELF DISK0 SAVEOPT RESTOREOPT POINTS...
check() {
	name=$1 elf=$2 disk0=$3 sopt=$4 ropt=$5
	shift 5
	cp "$disk0" full.img
	"$BIN/vmlab" run $sopt --state --disk full.img "$elf" </dev/null >full.out 2>full.state
	grep -q '^ram_fnv1a: ' full.state || { echo "FAIL $name: no --state"; fail=1; return; }
	for t in "$@"; do
		cp "$disk0" a.img
		rm -f s.snap
		"$BIN/vmlab" run $sopt --disk a.img --save-at "$t" s.snap --max-insns "$t" \
			"$elf" </dev/null >a.out 2>a.err
		rc=$?
		if [ "$rc" -ne 124 ] || [ ! -s s.snap ]; then
			echo "FAIL $name T=$t: saving run exit $rc, want 124 and a snapshot"
			sed 's/^/    /' a.err | head -3; fail=1; continue
		fi
		zeroed b.img "$disk0"
		"$BIN/vmlab" run $ropt --state --disk b.img --restore s.snap </dev/null \
			>b.out 2>b.state
		cat a.out b.out > ab.out
		cmp -s ab.out full.out || { echo "FAIL $name T=$t: console output differs"; fail=1; }
		cmp -s b.state full.state || {
			echo "FAIL $name T=$t: final state differs"
			diff full.state b.state | head -6 | sed 's/^/    /'; fail=1; }
		cmp -s b.img full.img || { echo "FAIL $name T=$t: disk image differs"; fail=1; }
	done
}

os="$BUILD/guestos/kernel.elf"
# The bare machine is cut at every point; under the VMM each point is cut
# under one of the two policies (they share the late 1700000), so that
# every point is also a restore of the VMM's state, and each policy's
# points still spread over the whole boot.
os_points="1 2 1000 20000 150000 300000 450000 600000 800000 1000000 1200000 1500000 1700000"
check "os bare" "$os" "$BUILD/guestos/disk.img" --bare --bare $os_points
check "os flush" "$os" "$BUILD/guestos/disk.img" --shadow=flush --shadow=flush \
	1 1000 150000 450000 800000 1200000 1700000
check "os trace" "$os" "$BUILD/guestos/disk.img" --shadow=trace --shadow=trace \
	2 20000 300000 600000 1000000 1500000 1700000
check "os flush->trace" "$os" "$BUILD/guestos/disk.img" --shadow=flush --shadow=trace \
	300000 1000000 1700000
check "os trace->flush" "$os" "$BUILD/guestos/disk.img" --shadow=trace --shadow=flush \
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
for m in --bare --shadow=flush; do
	cp "$BUILD/guestos/disk.img" c.img
	"$BIN/vmlab" run $m --state --disk c.img --save-at 700000 s.snap "$os" </dev/null \
		>c.out 2>c.state
	cp "$BUILD/guestos/disk.img" full.img
	"$BIN/vmlab" run $m --state --disk full.img "$os" </dev/null >full.out 2>full.state
	cmp -s c.out full.out && cmp -s c.state full.state ||
		{ echo "FAIL $m: saving changed the run"; fail=1; }
done
exit $fail
