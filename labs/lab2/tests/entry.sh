# entry - the trap entry (task 1) and the dispatch (task 3), before anything
# else of the lab: a guest kernel, at reset (kernel mode, tvec = 0, nothing
# at address 0), raises one exception; the VMM must reflect it with the
# hardware's cause, epc and badva, and the status bits the entry sets
# (PKM = 1, PIE = 0, KM = 1, IE = 0).  Its handler at 0 cannot start (RAM
# there is 0, an illegal word), so the guest double-faults (ISA.md 7.6)
# and stops with the state of that first entry.  One program emulates two
# mfcr first: the pc moves past each and each is a tick.  Needs no mtcr,
# rfe, in or out (tasks 4-6), and leaves out icount and ipend as mfcr reads
# them (task 7): it earns points on tasks 1 and 3 alone.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=100000
prog() {	# NAME LINE...: a program of these instructions at _start
	_n=$1; shift
	{ printf '\t.text\n\t.globl\t_start\n_start:\n'; printf '\t%s\n' "$@"; } > $_n.s
	assemble $_n.elf $_n.s
}
prog illegal	'li a0, 7' '.word 0xffffffff'
prog syscall	'syscall'
prog break	'nop' 'break'
prog hcall	'hcall'
prog load	'li a0, 0x1001' 'lw a1, 2(a0)'
prog store	'li a0, 0x1002' 'sh a0, 1(a0)'
prog mfcr	'mfcr a0, status' 'mfcr a1, tvec' 'syscall'
for p in illegal syscall break hcall load store mfcr; do
	both $p $p.elf
	check 1 "$p: the same stop (a double fault at the empty vector)" same_status $p
	check 2 "$p: the same state of the trap entry (status, epc, cause, badva, pc)" same_state $p icount ipend
done
finish
