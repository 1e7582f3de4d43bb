#!/bin/sh
# Assembler throughput: a generated 200,000-line program (instructions,
# labels, branches, constants and data) assembled by pg32-as.
# Prints "asm_200k_lines <seconds> s" and "asm_throughput <lines/s> lines/s";
# then "asm_long_expr <seconds> s" for one expression of 5,000,000 operators
# (the operator scan runs once per operator per precedence level).
set -u
BIN=${BIN:-build/bin}
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM HUP	# dash runs no EXIT trap on a signal
awk 'BEGIN {
	print "\t.globl _start"
	print "_start:"
	n = 0
	for (i = 0; n < 199990; i++) {
		printf "L%d:\taddi a0, a0, %d\n", i, i % 1000;       n++
		printf "\tli t0, C%d\n", i % 500;                      n++
		printf "\tlw a1, %d(sp)\n", (i % 64) * 4;             n++
		printf "\tbne a0, a1, L%d\n", i;                       n++
		printf "\tadd a2, a1, t0  # comment\n";                n++
		if (i % 4 == 0) { printf "\tjal L%d\n", i; n++ }
		if (i < 500) { printf "C%d = %d * 3\n", i, i; n++ }
	}
	print "\t.data"
	for (; n < 200000; n++) print "\t.word 1, 2, 3"
}' > "$dir/big.s"
lines=$(wc -l < "$dir/big.s")
t0=$(date +%s.%N)
"$BIN/pg32-as" -o "$dir/big.elf" "$dir/big.s" || { echo "# asm.sh: assembling failed" >&2; exit 1; }
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$lines" 'BEGIN {
	t = b - a
	printf "asm_200k_lines %.3f s\n", t
	printf "asm_throughput %d lines/s\n", (t > 0 ? n / t : 0)
}'
awk 'BEGIN { printf ".word "; for (i = 0; i < 1000000; i++) printf "1+2*3-4|5^"; print "0" }' \
	> "$dir/long.s"
t0=$(date +%s.%N)
"$BIN/pg32-as" -o "$dir/long.elf" "$dir/long.s" || { echo "# asm.sh: long expression failed" >&2; exit 1; }
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "asm_long_expr %.3f s\n", b - a }'
