#!/bin/sh
# mmu.sh - memory virtualization compared (vm/vmm/README.md "Shadow or
# nested"): shadow paging with the flush and the trace policy, and nested
# paging on PG32-V (--mmu=nested), on the same guest OS and user programs
# as vmm.sh (tests/bench/vmm_*.s: cpu, syscall, fault, yield) plus a
# TLB-miss-heavy one (vmm_tlb.s).  For each program and mode, beyond a
# run of a program that does nothing (vmm_null.s, the boot):
#   mmu_<prog>_<mode>_exits      exits to the VMM (deterministic)
#   mmu_<prog>_<mode>_walkrefs   the machine's page-walk memory references
#                                (deterministic; 2 per 1-D walk, up to 8 2-D)
#   mmu_<prog>_<mode>_ms         host CPU milliseconds, least of 3
# and the same three for the bare machine (exits 0).  MMU_PROGS="tlb ..."
# runs only those programs.
set -u
B=$BUILD/bench
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM HUP	# dash runs no EXIT trap on a signal
status=0
progs=${MMU_PROGS:-"cpu syscall fault yield tlb"}
for p in null cpu syscall fault yield tlb; do
	"$BIN/pg32-as" -Ttext 0x40000000 -o "$dir/$p.elf" "$SRC/tests/bench/vmm_$p.s" || exit 1
done
cp "$dir/yield.elf" "$dir/yield2.elf"
for p in null cpu syscall fault tlb; do
	"$BUILD/guestos/mkdisk" -o "$dir/$p.img" "$dir/$p.elf" >/dev/null || exit 1
done
"$BUILD/guestos/mkdisk" -o "$dir/yield.img" "$dir/yield.elf" "$dir/yield2.elf" >/dev/null || exit 1

opt() {
	case $1 in bare) echo --bare ;; nested) echo --mmu=nested ;; *) echo "--shadow=$1" ;; esac
}
# counts PROG MODE: "exits walkrefs" of one --stats run.
counts() {
	cp "$dir/$1.img" "$dir/run.img"
	"$BIN/vmlab" run $(opt "$2") --stats --mem 64 --disk "$dir/run.img" \
		"$BUILD/guestos/kernel.elf" </dev/null 2>"$dir/stats" >/dev/null ||
		{ echo "# mmu.sh: $1 $2 failed" >&2; return 1; }
	awk -F': ' '/^vmm_exits_|^vmm_event_exits/ { e += $2 } /^walk_refs:/ { w = $2 }
		END { print e + 0, w + 0 }' "$dir/stats"
}
# ms PROG MODE: the least CPU time of 3 runs, in milliseconds.
ms() {
	b=
	for i in 1 2 3; do
		cp "$dir/$1.img" "$dir/run.img"
		t=$("$B/cputime" "$BIN/vmlab" run $(opt "$2") --mem 64 --disk "$dir/run.img" \
			"$BUILD/guestos/kernel.elf") || { echo "# mmu.sh: $1 $2 failed" >&2; return 1; }
		b=$(awk -v t="$t" -v b="$b" 'BEGIN { print (b == "" || t < b) ? t : b }')
	done
	awk -v b="$b" 'BEGIN { printf "%.0f", b * 1000 }'
}
for mode in bare flush trace nested; do
	c=$(counts null $mode) && t=$(ms null $mode) || { status=1; continue; }
	set -- $c
	for p in $progs; do
		c2=$(counts $p $mode) && t2=$(ms $p $mode) || { status=1; continue; }
		set -- $c $c2
		echo "mmu_${p}_${mode}_exits $(($3 - $1))"
		echo "mmu_${p}_${mode}_walkrefs $(($4 - $2))"
		echo "mmu_${p}_${mode}_ms $((t2 - t)) ms"
	done
done
exit $status
