# getpid - three copies of one program, each exiting with getpid(): 1, 2, 3.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/guest.sh"
BUDGET=10000000
disk a=pid b=pid c=pid
boot getpid
check 2 "pid 1" has_line getpid.out "[kernel] pid 1 (a) exited with status 1"
check 1 "pid 2" has_line getpid.out "[kernel] pid 2 (b) exited with status 2"
check 1 "pid 3" has_line getpid.out "[kernel] pid 3 (c) exited with status 3"
check 1 "powers off with 0" exits $RC 0
finish
