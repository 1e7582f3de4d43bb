# stack - the user stack grows by page faults within its 16-page window:
# 10 pages used and checked; a process recursing forever is stopped at
# the window's end; then every page is free.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/guest.sh"
BUDGET=20000000
disk stackuse stackbomb
boot stack
check 3 "10 pages of stack, by faults" has_line stack.out "[kernel] pid 1 (stackuse) exited with status 0"
check 1 "no growth past the window" has_line stack.out "[kernel] pid 2 (stackbomb) killed: pf-store at 0x7ffefffc"
check 1 "every page is free again" free_pages_kept stack.out
finish
