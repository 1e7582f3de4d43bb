# trap_dispatch - utrap sends each trap from user mode where it belongs:
# a syscall (exit) ends a process with its status, the timer preempts a
# process that never makes a system call, yield gives the processor up.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/guest.sh"
BUDGET=20000000
disk spin exit7 yielder
boot dispatch
check 3 "a system call reaches the kernel: exit(7)" \
	has_line dispatch.out "[kernel] pid 2 (exit7) exited with status 7"
check 4 "the timer preempts a process that computes: exit7 ends before spin" \
	in_order dispatch.out "[kernel] pid 2 (exit7) exited with status 7" \
	"[kernel] pid 1 (spin) exited with status 1"
check 3 "yield, 50 times, returns 0" \
	has_line dispatch.out "[kernel] pid 3 (yielder) exited with status 2"
check 2 "spin ends too" has_line dispatch.out "[kernel] pid 1 (spin) exited with status 1"
check 2 "powers off with 0 when all have exited" exits $RC 0
check 1 "every page is free again" free_pages_kept dispatch.out
finish
