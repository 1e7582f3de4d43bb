# sleep - sleep(0) and sleep(-3) return 0 at once; sleep(3) blocks the
# process (others run meanwhile: busy prints a line about every timer
# period) and wakes it after 3 ticks, long before busy is done; a process
# sleeping alone wakes too (the idle loop keeps the timer on).
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/guest.sh"
BUDGET=10000000
disk napper busy
boot sleep
check 1 "sleep(0) = 0" has_line sleep.out "napper: sleep(0) = 0"
check 1 "sleep(-3) = 0" has_line sleep.out "napper: sleep(-3) = 0"
check 1 "sleep(3) returns 0" has_line sleep.out "napper: awake, sleep returned 0"
check 3 "sleep(3) blocks: busy runs before napper wakes" \
	in_order sleep.out "napper: sleeping 3 ticks" "busy: 1" "napper: awake, sleep returned 0"
check 2 "sleep(3) wakes after 3 ticks, while busy still runs" \
	in_order sleep.out "napper: awake, sleep returned 0" "busy: 4"
check 1 "both exit, power off with 0" exits $RC 0
disk napper
boot alone
check 1 "alone: it wakes, exits 0" has_line alone.out "[kernel] pid 1 (napper) exited with status 0"
finish
