#!/bin/sh
# vmm.sh - the VMM's costs (vm/vmm/README.md "Speed").  Lines:
#   vmm_<bench>_<policy>_ratio <VMM CPU time / bare CPU time> x
#     for four user programs under the guest OS (tests/bench/vmm_*.s):
#     cpu (ALU loop), syscall (getpid loop), fault (heap growth, --mem 64),
#     yield (two processes yielding).  CPU seconds (tests/bench/cputime.c),
#     best of 3, minus the same for a program that does nothing
#     (vmm_null.s): the guest OS's boot does not dilute the ratio.
#   vmm_trap_roundtrip_ns <host CPU ns per trap-emulate-resume> ns  (vmm_trip.c)
#   bare_mfcr_ns <host CPU ns per mfcr on the bare machine> ns
set -u
B=$BUILD/bench
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM HUP	# dash runs no EXIT trap on a signal
status=0
. "$SRC/tests/bench/vmm_progs.inc"

# best PROGRAM MEM MODE-OPTIONS...: the least CPU time of 3 runs, in seconds.
best() {
	prog=$1 mem=$2
	shift 2
	b=
	for i in 1 2 3; do
		cp "$dir/$prog.img" "$dir/run.img"
		t=$("$B/cputime" "$BIN/vmlab" run "$@" --mem "$mem" --disk "$dir/run.img" \
			"$BUILD/guestos/kernel.elf") || { echo "# vmm.sh: $prog $* failed" >&2; return 1; }
		b=$(awk -v t="$t" -v b="$b" 'BEGIN { print (b == "" || t < b) ? t : b }')
	done
	echo "$b"
}
goal() {	# goal NAME VALUE: the issue's target for this figure, if any
	case $1 in
	vmm_syscall_*_ratio) awk -v v="$2" 'BEGIN { printf "  # goal <= 1.6: %s", (v <= 1.6) ? "met" : "NOT met" }' ;;
	vmm_trap_roundtrip_ns) awk -v v="$2" 'BEGIN { printf "  # goal <= 15: %s", (v <= 15) ? "met" : "NOT met" }' ;;
	esac
}
for mem in 16 64; do
	for mode in bare flush trace; do
		opt=--$mode
		[ $mode = bare ] || opt=--shadow=$mode
		eval "null_${mode}_$mem=\$(best null $mem $opt)" || status=1
	done
done
for p in cpu syscall fault yield; do
	mem=16
	[ $p = fault ] && mem=64
	eval "nb=\$null_bare_$mem"
	bare=$(best $p $mem --bare) || { status=1; continue; }
	for pol in flush trace; do
		eval "nv=\$null_${pol}_$mem"
		t=$(best $p $mem --shadow=$pol) || { status=1; continue; }
		r=$(awk -v t="$t" -v b="$bare" -v nt="$nv" -v nb="$nb" \
			'BEGIN { printf "%.2f", (t - nt) / (b - nb) }')
		echo "vmm_${p}_${pol}_ratio $r x$(goal "vmm_${p}_${pol}_ratio" "$r")"
	done
done
if r=$("$B/vmm_trip"); then
	set -- $r
	echo "vmm_trap_roundtrip_ns $1 ns$(goal vmm_trap_roundtrip_ns "$1")"
	echo "bare_mfcr_ns $2 ns"
else
	status=1
fi
exit $status
