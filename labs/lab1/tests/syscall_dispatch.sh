# syscall_dispatch - do_syscall: only a0 changes across a system call, the
# process resumes after the syscall instruction, numbers past the table
# (7, 0xffffffff: compared unsigned) give -ENOSYS.  sysregs exits with
# 0 + (registers changed) + 16 (7 wrong) + 32 (0xffffffff wrong).
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/guest.sh"
BUDGET=10000000
disk sysregs
boot sysregs
st=$(sed -n 's/^\[kernel\] pid 1 (sysregs) exited with status \([0-9]*\)$/\1/p' sysregs.out)
resumed() {
	[ -n "$st" ] && return 0
	echo "expected: sysregs runs its three system calls and exits"
	echo "got:      no exit line; the run ended: $(rc_text $RC)"
	grep -a -i -e panic -e killed -e lab1 sysregs.out | head -n 3
	return 1
}
bit() {	# bit MASK WHAT
	[ -n "$st" ] || { echo "not checked: sysregs did not exit"; return 1; }
	[ $((st & $1)) -eq 0 ] && return 0
	echo "$2"
	return 1
}
check 3 "the process resumes after each syscall and exits" resumed
check 3 "every register but a0 is preserved" bit 15 "$((st & 15)) registers (of ra sp gp a1-a3 t1-t3 s0-s3) changed across syscall 99"
check 2 "syscall 7 (NSYSCALL) = -1 (ENOSYS)" bit 16 "syscall 7 did not return -1"
check 2 "syscall 0xffffffff = -1 (ENOSYS, an unsigned comparison)" bit 32 "syscall 0xffffffff did not return -1"
finish
