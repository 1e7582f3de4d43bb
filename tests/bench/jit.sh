#!/bin/sh
# jit.sh - the translation spike (jit_spike.c) against the interpreter on
# the paging-off loops of hw.sh (vm/hw/README.md "A portable translation
# engine").  First its check: at budgets that end inside the loops and at
# power-off, the spike's machine (registers, pc, control registers, ticks,
# RAM) must equal the interpreter's, in both of its modes, on the three loops and on jit_mix.s
# (traps, interrupts and rewritten code inside translated blocks); a
# mismatch fails the script.  Then MIPS per CPU-second and the ratios to
# the native C and, when hw.sh built it, the RV32 C under qemu-riscv32,
# each the best of 5 alternating runs:
#   jit_<bench>_mips <MIPS> MIPS         hw_<bench>_best_mips <MIPS> MIPS
#   jit_<bench>_sync_blocks_mips <MIPS> MIPS   (guest registers in host
#                                        registers only within a block)
#   jit_<bench>_speedup <hw s / jit s> x
#   jit_<bench>_interpreted <ticks the interpreter ran> ticks
#   jit_<bench>_native_ratio, jit_<bench>_qemu_ratio <jit s / their s> x
# Only on x86-64 hosts; elsewhere it says it skipped.
B=$BUILD/bench
status=0
if [ "$(uname -m)" != x86_64 ]; then
	echo "# jit_spike: x86-64 hosts only: skipped"
	exit 0
fi
echo "# load: $(uptime | sed 's/.*load/load/')"
least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

budgets="1 2 3 4 5 6 7 8 9 11 13 100 1001 5003 65535 65536 65537 1000003 12345679 all"
for sync in "" --sync-blocks; do
	if ! "$B/jit_spike" $sync --check "$B/jit_mix.elf" \
		$(awk 'BEGIN { for (i = 1; i <= 40; i++) print i; for (; i < 120000; i += 1999) print i }') all; then
		echo "# jit_mix $sync check failed" >&2; status=1
	fi
done
for bench in fib sieve memcpy; do
	if ! "$B/jit_spike" --check "$B/bench_$bench.elf" $budgets ||
	   ! "$B/jit_spike" --sync-blocks --check "$B/bench_$bench.elf" $budgets; then
		echo "# jit_$bench check failed" >&2; status=1; continue
	fi
	qemu=
	[ -x "$B/rv32_$bench" ] && command -v qemu-riscv32 >/dev/null 2>&1 && qemu=qemu-riscv32
	hw=; jit=; sync=; c=; q=
	for i in 1 2 3 4 5; do
		r=$("$B/hw" "$B/bench_$bench.elf") || { status=1; break; }
		set -- $r; n=$1; hw=$(least "$hw" "$2")
		r=$("$B/jit_spike" "$B/bench_$bench.elf") || { status=1; break; }
		set -- $r; jit=$(least "$jit" "$2"); interp=$4
		[ "$1" = "$n" ] || { echo "# jit_$bench: $1 ticks, interpreter $n" >&2; status=1; }
		r=$("$B/jit_spike" --sync-blocks "$B/bench_$bench.elf") || { status=1; break; }
		set -- $r; sync=$(least "$sync" "$2")
		r=$("$B/native_$bench") || { status=1; break; }
		set -- $r; c=$(least "$c" "$1")
		[ -n "$qemu" ] || continue
		r=$(qemu-riscv32 "$B/rv32_$bench") || { status=1; break; }
		set -- $r; q=$(least "$q" "$1")
	done
	awk -v n="$n" -v h="$hw" -v j="$jit" -v y="$sync" -v c="$c" -v b="$bench" 'BEGIN {
		printf "jit_%s_mips %.0f MIPS\nhw_%s_best_mips %.0f MIPS\njit_%s_speedup %.2f x\n",
			b, n / j / 1e6, b, n / h / 1e6, b, h / j
		printf "jit_%s_sync_blocks_mips %.0f MIPS\n", b, n / y / 1e6
		printf "jit_%s_native_ratio %.2f x\n", b, j / c }'
	echo "jit_${bench}_interpreted $interp ticks"
	if [ -n "$q" ]; then
		echo "jit_${bench}_qemu_ratio $(awk -v j="$jit" -v q="$q" 'BEGIN { printf "%.2f", j / q }') x"
	else
		echo "# jit_$bench: no RV32 build from hw.sh or no qemu-riscv32: no QEMU ratio"
	fi
done
exit $status
