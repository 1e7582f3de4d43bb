# events - tasks 1 and 2 alone: the next event (the timer's compare tick)
# and the events of a tick (the timer line latched at exactly icount ==
# timecmp), seen by a guest that polls ipend with interrupts off
# (tests/progs/poll.s): no delivery (task 3), no wfi (task 4), no device.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=100000
assemble poll.elf "$LAB/tests/progs/poll.s"
both poll poll.elf
check 2 "poll.s: runs to its end as on the bare machine" same_status poll
check 4 "poll.s: the line seen at the same ticks (its log, the end state)" same_state poll
finish
