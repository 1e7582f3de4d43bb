# binom - binom(n, k) for the base cases, k > n, small and deep
# recursions; that it recurses on the stack; the calling convention.
. "$SRC/labs/tools/testlib.sh"
BUDGET=20000000
assemble t.elf "$LAB/tests/binom_h.s" "$LAB/lab0.s"
run_guest binom t.elf
check 1 "exits normally" exits $RC 0
check 1 "C(0,0) = 1" has_line binom.out "C(0,0) = 1"
check 1 "C(1,0) = 1, C(1,1) = 1" in_order binom.out "C(1,0) = 1" "C(1,1) = 1"
check 1 "C(5,2) = 10" has_line binom.out "C(5,2) = 10"
check 1 "C(6,7) = 0 (k > n)" has_line binom.out "C(6,7) = 0"
check 1 "C(10,5) = 252" has_line binom.out "C(10,5) = 252"
check 1 "C(16,8) = 12870" has_line binom.out "C(16,8) = 12870"
check 1 "C(20,3) = 1140" has_line binom.out "C(20,3) = 1140"
check 1 "C(18,9) = 48620" has_line binom.out "C(18,9) = 48620"
stack_used() {
	n=$(sed -n 's/^stack words: //p' binom.out)
	[ -n "$n" ] && [ "$n" -ge 10 ] && return 0
	echo "expected: C(10,5) recurses 10 deep, each call saving ra on the stack (at least 10 words below sp)"
	echo "got:      ${n:-no} stack words changed"
	return 1
}
check 2 "recursive, with a frame on the stack per call" stack_used
check 3 "calling convention (s0-s3, gp, sp, the caller's stack)" finished $RC lacks_match binom.out '^convention:'
finish
