# strlen - strlen(s) for the empty string, short ones, one at an odd
# address, a 300-byte one, one with bytes >= 0x80; the calling convention.
. "$SRC/labs/tools/testlib.sh"
BUDGET=1000000
assemble t.elf "$LAB/tests/strlen_h.s" "$LAB/lab0.s"
run_guest strlen t.elf
check 1 "exits normally" exits $RC 0
check 2 'strlen("") = 0' has_line strlen.out "strlen(0) = 0"
check 2 'strlen("a") = 1' has_line strlen.out "strlen(1) = 1"
check 2 'strlen("hello, world") = 12' has_line strlen.out "strlen(2) = 12"
check 2 'a string at an odd address' has_line strlen.out "strlen(3) = 3"
check 2 'a 300-byte string' has_line strlen.out "strlen(4) = 300"
check 2 'bytes >= 0x80 are characters (lbu, not lb)' has_line strlen.out "strlen(5) = 3"
check 2 "calling convention (s0-s3, gp, sp, the caller's stack)" finished $RC lacks_match strlen.out '^convention:'
finish
