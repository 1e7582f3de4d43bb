#!/bin/sh
# vmm_fastexits.sh - the VMM's fast paths (vm/vmm/README.md "The fast path")
# change nothing a guest, --stats or --trace can see: the guest OS, fully
# virtualized and paravirtual, under both shadow policies, with console
# input, runs with --exits=fast (control registers served by the machine),
# --exits=trap and --exits=slow and leaves the same console
# output, exit status, disk image, final state (--state: registers, control
# registers, ticks, a checksum of RAM), counters and trace lines (every
# category but exit, whose tracing takes the slow path by design).  Each
# run is also the bare machine's, as vmm_guestos.sh and guestos_pv.sh check.
set -u
fail=0
printf 'typed at the console\n' > input
run() {	# run NAME [vmlab options...]
	name=$1; shift
	cp "$BUILD/guestos/disk.img" "$name.img"
	"$BIN/vmlab" run "$@" --stats --state --max-insns 200000000 --disk "$name.img" \
		--trace=trap,shadow,irq,dev,hcall --trace-file "$name.tr" \
		"$BUILD/guestos/kernel.elf" <input >"$name.out" 2>"$name.err"
	echo $? > "$name.rc"
}
for pol in flush trace; do
	for pv in "" --pv; do
		n=${pol}${pv#--}
		run "$n-fast" --shadow=$pol $pv --exits=fast
		run "$n-trap" --shadow=$pol $pv --exits=trap
		run "$n-slow" --shadow=$pol $pv --exits=slow
		[ "$(cat "$n-fast.rc")" = 0 ] || { echo "FAIL: $n: exit status $(cat "$n-fast.rc")"; fail=1; }
		# The machine's own counters (--stats' lines before the vmm_ ones)
		# count what the machine did: with --exits=fast the instructions
		# it served are its own instructions, not PRIVILEGED traps.
		for p in fast trap slow; do
			grep -v '^\(insns\|ticks\|trap_privileged\): ' "$n-$p.err" > "$n-$p.vmmerr"
		done
		served=$(($(sed -n 's/^trap_privileged: //p' "$n-slow.err") \
			- $(sed -n 's/^trap_privileged: //p' "$n-fast.err")))
		[ "$served" -gt 0 ] || { echo "FAIL: $n: the machine served no control register"; fail=1; }
		cmp -s "$n-trap.err" "$n-slow.err" || { echo "FAIL: $n: --exits=trap and slow differ in err"; fail=1; }
		for p in fast trap; do
			for f in rc out img vmmerr tr; do
				cmp -s "$n-$p.$f" "$n-slow.$f" || {
					echo "FAIL: $n: --exits=$p and slow differ in $f"
					diff "$n-$p.$f" "$n-slow.$f" 2>/dev/null | head -10 | sed 's/^/    /'
					fail=1
				}
			done
		done
		grep -q '^vmm_exits_syscall: [1-9]' "$n-fast.err" || { echo "FAIL: $n: no syscall exits counted"; fail=1; }
		[ -s "$n-fast.tr" ] || { echo "FAIL: $n: nothing traced"; fail=1; }
	done
done
grep -q '^vmm_hcall_iret: [1-9]' flushpv-fast.err && grep -q ' hcall iret ' flushpv-fast.tr \
	|| { echo "FAIL: the paravirtual run made no HC_IRET"; fail=1; }
exit $fail
