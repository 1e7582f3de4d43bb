# print_int - print_int(v) for zero, one and many digits, negative values,
# the largest and the smallest int; the calling convention.
. "$SRC/labs/tools/testlib.sh"
BUDGET=1000000
assemble t.elf "$LAB/tests/print_int_h.s" "$LAB/lab0.s"
run_guest print_int t.elf
check 1 "exits normally" exits $RC 0
check 1 "0" has_line print_int.out "[0]"
check 1 "7" has_line print_int.out "[7]"
check 1 "10 (a zero digit last)" has_line print_int.out "[10]"
check 1 "1234567890" has_line print_int.out "[1234567890]"
check 1 "-7" has_line print_int.out "[-7]"
check 1 "-100" has_line print_int.out "[-100]"
check 1 "2147483647, the largest int" has_line print_int.out "[2147483647]"
check 1 "-2147483648, the smallest int (its negation overflows)" has_line print_int.out "[-2147483648]"
check 1 "0xee6b2800 is signed: -294967296" has_line print_int.out "[-294967296]"
check 2 "calling convention (s0-s3, gp, sp, the caller's stack)" finished $RC lacks_match print_int.out '^convention:'
finish
