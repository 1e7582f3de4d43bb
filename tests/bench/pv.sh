#!/bin/sh
# pv.sh - paravirtualization against trap-and-emulate (vm/vmm/HYPERCALLS.md,
# the table in vm/vmm/README.md "Speed").  One guest OS binary, run
#   bare      on the bare machine (it probes, finds no hypervisor: native)
#   flush     under the VMM, fully virtualized, shadow policy flush
#   trace     the same, shadow policy trace
#   pv        under the VMM with --pv (paravirtual), policy flush
#   pvtrace   with --pv, policy trace
#   pvslow    with --pv, policy flush, --exits=slow: every exit through the
#             VMM's run loop (what the in-machine fast path saves)
# with four user programs: pv_empty.s (the baseline: boot and power-off),
# vmm_syscall.s (200000 getpid), two vmm_yield.s (100000 yields, each a
# context switch), pv_disk.s (4096 more 4 KiB pages to load from the disk).
# Lines, per operation beyond the baseline:
#   pv_<op>_<mode>_exits    machine traps to the VMM
#   pv_<op>_<mode>_ns       host CPU time (the least of 3 runs each)
#   pv_<op>_<mode>_ratio    host time over bare
# where op is syscall, switch, disk4k.  Every run has 64 MiB of RAM.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM HUP	# dash runs no EXIT trap on a signal
for p in pv_empty vmm_syscall vmm_yield pv_disk; do
	"$BIN/pg32-as" -Ttext 0x40000000 -o "$dir/$p.elf" "$SRC/tests/bench/$p.s" || exit 1
done
cp "$dir/vmm_yield.elf" "$dir/vmm_yield2.elf"
mk() { n=$1; shift; "$BUILD/guestos/mkdisk" -o "$dir/$n.img" "$@" >/dev/null || exit 1; }
mk empty "$dir/pv_empty.elf"
mk syscall "$dir/vmm_syscall.elf"
mk switch "$dir/vmm_yield.elf" "$dir/vmm_yield2.elf"
mk disk4k "$dir/pv_disk.elf"

opts() {
	case $1 in
	bare) echo --bare ;; flush) echo --shadow=flush ;; trace) echo --shadow=trace ;;
	pv) echo --pv --shadow=flush ;; pvtrace) echo --pv --shadow=trace ;;
	pvslow) echo --pv --shadow=flush --exits=slow ;;
	esac
}
# measure IMG MODE: "seconds exits": the least host CPU time (user + system,
# bash's time: milliseconds) of 3 runs, which a loaded machine disturbs
# less than wall time; the VMM's exits of the last run.
measure() {
	b=
	for i in 1 2 3; do
		cp "$dir/$1.img" "$dir/run.img"
		bash -c 'TIMEFORMAT="%3U %3S"; time "$@" </dev/null >/dev/null 2>"$0"' "$dir/stats" \
			"$BIN/vmlab" run $(opts "$2") --mem 64 --stats --disk "$dir/run.img" \
			"$BUILD/guestos/kernel.elf" 2>"$dir/times" || { echo "# pv.sh: $1 $2 failed" >&2; return 1; }
		b=$(awk -v b="$b" '{ t = $1 + $2; print (b == "" || t < b) ? t : b }' "$dir/times")
	done
	x=$(awk -F': ' '/^vmm_exits_/ { n += $2 } END { print n + 0 }' "$dir/stats")
	echo "$b $x"
}
status=0
for m in bare flush trace pv pvtrace pvslow; do
	set -- $(measure empty $m) || { status=1; continue; }
	eval "base_t_$m=$1 base_x_$m=$2"
done
for op in syscall switch disk4k; do
	case $op in syscall) n=200000 ;; switch) n=100000 ;; disk4k) n=4096 ;; esac
	for m in bare flush trace pv pvtrace pvslow; do
		set -- $(measure $op $m) || { status=1; continue; }
		eval "bt=\$base_t_$m bx=\$base_x_$m"
		ns=$(awk -v t="$1" -v b="$bt" -v n=$n 'BEGIN { printf "%.0f", (t - b) * 1e9 / n }')
		eval "ns_$m=$ns"
		echo "pv_${op}_${m}_exits $(awk -v x="$2" -v b="$bx" -v n=$n 'BEGIN { printf "%.2f", (x - b) / n }') exits"
		echo "pv_${op}_${m}_ns $ns ns"
		[ $m = bare ] || echo "pv_${op}_${m}_ratio $(awk -v a="$ns" -v b="$ns_bare" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }') x"
	done
done
exit $status
