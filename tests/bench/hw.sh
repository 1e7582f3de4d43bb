#!/bin/sh
# hw.sh - speed of the PG32 machine (vm/hw): MIPS on an ALU loop (fib) and
# two memory loops (sieve, memcpy), each with paging off and on, and the
# slowdown against the same loops compiled natively (-O2).  Lines:
#   hw_<bench>[_paging]_mips <MIPS> MIPS
#   native_<bench>_ratio <emulated seconds / native seconds> x
B=$BUILD/bench
status=0
for bench in fib sieve memcpy; do
	for v in "" _paging; do
		if ! r=$("$B/hw" "$B/bench_$bench$v.elf"); then
			echo "# hw_$bench$v failed" >&2; status=1; continue
		fi
		set -- $r
		echo "hw_$bench${v}_mips $3 MIPS"
		[ -z "$v" ] && emu=$2
	done
	if n=$("$B/native_$bench"); then
		set -- $n
		echo "native_${bench}_seconds $1 s"
		echo "native_${bench}_ratio $(awk -v e="$emu" -v n="$1" 'BEGIN { printf "%.1f", e / n }') x"
	else
		status=1
	fi
done
exit $status
