# doublefault - a trap handler that cannot start (its page is unmapped, or
# its first instruction is an 'in' from no port): the guest double-faults
# (ISA.md 7.6) and stops with the state of the first trap entry; a handler
# whose first instruction retires takes an ordinary nested trap.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=1000000
for p in doublefault doublefault2; do
	assemble $p.elf "$SRC/tests/e2e/vmm/$p.s"
	both $p $p.elf
	check 1 "$p.s: the same stop" same_status $p
	check 1 "$p.s: the same end state (the first trap entry's)" same_state $p
done
check 1 "doublefault2.s: the same traps" same_traps doublefault2
finish
