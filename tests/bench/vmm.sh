#!/bin/sh
# vmm.sh - the VMM's costs (vm/vmm/README.md "Speed").  Lines:
#   vmm_<bench>_<policy>_ratio <VMM wall time / bare wall time> x
#     for four user programs under the guest OS (tests/bench/vmm_*.s):
#     cpu (ALU loop), syscall (getpid loop), fault (heap growth, --mem 64),
#     yield (two processes yielding); best of 3 runs each, whole boot included
#   vmm_trap_roundtrip_ns <host ns per trap-emulate-resume> ns  (vmm_trip.c)
#   bare_mfcr_ns <host ns per mfcr on the bare machine> ns
set -u
B=$BUILD/bench
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
status=0
for p in cpu syscall fault yield; do
	"$BIN/pg32-as" -Ttext 0x40000000 -o "$dir/$p.elf" "$SRC/tests/bench/vmm_$p.s" || exit 1
done
cp "$dir/yield.elf" "$dir/yield2.elf"
for p in cpu syscall fault; do
	"$BUILD/guestos/mkdisk" -o "$dir/$p.img" "$dir/$p.elf" >/dev/null || exit 1
done
"$BUILD/guestos/mkdisk" -o "$dir/yield.img" "$dir/yield.elf" "$dir/yield2.elf" >/dev/null || exit 1

# best MODE-OPTIONS...: the best wall time of 3 runs, in seconds.
best() {
	b=
	for i in 1 2 3; do
		cp "$dir/$p.img" "$dir/run.img"
		s=$(date +%s.%N)
		"$BIN/vmlab" run "$@" --mem $mem --disk "$dir/run.img" "$BUILD/guestos/kernel.elf" \
			</dev/null >/dev/null 2>&1 || { echo "# vmm.sh: $p $* failed" >&2; return 1; }
		e=$(date +%s.%N)
		b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN { t = e - s; print (b == "" || t < b) ? t : b }')
	done
	echo "$b"
}
for p in cpu syscall fault yield; do
	mem=16
	[ $p = fault ] && mem=64
	bare=$(best --bare) || { status=1; continue; }
	for pol in flush trace; do
		t=$(best --shadow=$pol) || { status=1; continue; }
		echo "vmm_${p}_${pol}_ratio $(awk -v t="$t" -v b="$bare" 'BEGIN { printf "%.2f", t / b }') x"
	done
done
if r=$("$B/vmm_trip"); then
	set -- $r
	echo "vmm_trap_roundtrip_ns $1 ns"
	echo "bare_mfcr_ns $2 ns"
else
	status=1
fi
exit $status
