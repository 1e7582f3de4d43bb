#!/bin/sh
# snap.sh - snapshot size and save/restore CPU time (vm/hw/README.md
# "Snapshots"): the guest OS at tick 1,500,000, bare and under the VMM,
# with 16 and 256 MiB of RAM (snap_cost.c).
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM HUP	# dash runs no EXIT trap on a signal
status=0
for mib in 16 256; do
	cp "$BUILD/guestos/disk.img" "$dir/d.img"
	"$BUILD/bench/snap_cost" "$BUILD/guestos/kernel.elf" "$dir/d.img" "$mib" "$dir/s.snap" ||
		status=1
done
exit $status
