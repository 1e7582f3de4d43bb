#!/bin/sh
# hw.sh - speed of the PG32 machine (vm/hw): MIPS per CPU-second on an ALU
# loop (fib) and two memory loops (sieve, memcpy), each with paging off and
# on, side by side with the same algorithm and iteration count in C
# (native_*.c at -O2) and, when qemu-riscv32 and a RISC-V cross compiler
# (clang with lld, or riscv64-linux-gnu-gcc) are installed, the same C
# built for RV32 and run under QEMU's JIT.  Times are CPU seconds, all from
# this one run.  Lines:
#   hw_<bench>[_paging]_mips <MIPS> MIPS   (# goal ... where there is one)
#   native_<bench>_seconds <s> s,  native_<bench>_ratio <vmlab s / native s> x
#   qemu_<bench>_seconds <s> s,    qemu_<bench>_ratio <vmlab s / qemu s> x
B=$BUILD/bench
status=0

# A compiler command for freestanding RV32 Linux executables, or nothing.
rv32_cc() {
	if command -v clang >/dev/null 2>&1 && command -v ld.lld >/dev/null 2>&1; then
		echo "clang --target=riscv32-unknown-linux-gnu -fuse-ld=lld"
	elif command -v riscv64-linux-gnu-gcc >/dev/null 2>&1; then
		echo "riscv64-linux-gnu-gcc -fno-pie -no-pie"
	fi
}
qemu=
if ! command -v qemu-riscv32 >/dev/null 2>&1; then
	echo "# qemu-riscv32 not found (Debian: qemu-user): skipping the QEMU column"
elif [ -z "$(rv32_cc)" ]; then
	echo "# no RISC-V cross compiler (clang and lld, or gcc-riscv64-linux-gnu): skipping the QEMU column"
else
	qemu=$(rv32_cc)
	echo "# QEMU column: $(qemu-riscv32 --version | head -n 1), C built by ${qemu%% *}"
fi

goal() {	# goal NAME VALUE: the issue's target for this figure, if any
	case $1 in
	hw_fib_mips) awk -v v="$2" 'BEGIN { printf "  # goal >= 1100: %s", (v >= 1100) ? "met" : "NOT met" }' ;;
	hw_sieve_mips) awk -v v="$2" 'BEGIN { printf "  # goal >= 850: %s", (v >= 850) ? "met" : "NOT met" }' ;;
	esac
}

for bench in fib sieve memcpy; do
	for v in "" _paging; do
		if ! r=$("$B/hw" "$B/bench_$bench$v.elf"); then
			echo "# hw_$bench$v failed" >&2; status=1; continue
		fi
		set -- $r
		echo "hw_$bench${v}_mips $3 MIPS$(goal "hw_$bench${v}_mips" "$3")"
		[ -z "$v" ] && emu=$2
	done
	if n=$("$B/native_$bench"); then
		set -- $n
		echo "native_${bench}_seconds $1 s"
		echo "native_${bench}_ratio $(awk -v e="$emu" -v n="$1" 'BEGIN { printf "%.1f", e / n }') x"
	else
		status=1
	fi
	[ -n "$qemu" ] || continue
	if $qemu -march=rv32imafd -mabi=ilp32d -O2 -ffreestanding -nostdlib -static -DBENCH_RV32 \
		-I"$SRC/tests/bench" -o "$B/rv32_$bench" "$SRC/tests/bench/native_$bench.c" &&
	   q=$(qemu-riscv32 "$B/rv32_$bench"); then
		set -- $q
		echo "qemu_${bench}_seconds $1 s"
		echo "qemu_${bench}_ratio $(awk -v e="$emu" -v q="$1" 'BEGIN { printf "%.1f", e / q }') x"
	else
		echo "# qemu_$bench failed" >&2; status=1
	fi
done
exit $status
