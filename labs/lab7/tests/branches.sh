# branches - translated loops (task 4, progs/branches.s): conditional
# branches taken and not, backwards and forwards, nested; a timer
# interrupt inside a translated loop, its epc a guest address; the same
# ticks as the bare machine, so the interrupt lands on the same
# instruction; and a run whose budget ends just after the first taken
# branch, at its side exit: the guest pc is the branch's target (task 2).
. "$LAB/tests/btlib.sh"
BUDGET=100000
assemble b.elf "$LAB/tests/progs/branches.s"
both branches b.elf --isa=leaky
check 2 "the same exit status (0) as on the bare machine" same_status branches
check 3 "a backward loop: 1 + ... + 100" reg branches 12 0x000013ba
check 3 "nested loops: 10 x 10" reg branches 13 0x00000064
check 3 "a forward branch over an add: 25 odd numbers" reg branches 14 0x00000019
check 2 "one timer interrupt" reg branches 7 0x00000001
check 3 "its epc: the guest's spin loop, where the bare machine had it" reg branches 15 "$(sym b.elf spin)"
check 2 "the same traps at the same ticks" same_traps branches
check 2 "the same end state, ticks and RAM included" same_state branches
BUDGET=8
both stop b.elf --isa=leaky
check 3 "stopped after the first taken bne: pc is its target, as bare" same_state stop
finish
