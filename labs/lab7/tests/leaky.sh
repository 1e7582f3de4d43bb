# leaky - the program that trap and emulate gets wrong on PG32-L
# (tests/e2e/vmm/critical.s: a critical section masked with setie, the
# mode checked with rdst in the trap handler) runs under --bt as on the
# bare machine: its timer interrupt after the section, KM = 1 both times.
. "$LAB/tests/btlib.sh"
BUDGET=100000
assemble c.elf "$SRC/tests/e2e/vmm/critical.s"
both critical c.elf --isa=leaky
check 3 "exit 0: no interrupt in the section, KM = 1 seen both times" exits "$RC_VMM" 0
check 3 "the same traps at the same ticks (the timer's epc after cs_leave)" same_traps critical
check 4 "the same end state, ticks and RAM included" same_state critical
finish
