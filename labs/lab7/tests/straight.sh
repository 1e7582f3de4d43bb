# straight - translated kernel code without a conditional branch (tasks 1
# to 3, progs/straight.s): the sensitive instructions reach the VMM and
# act on the virtual CPU, a call's and an indirect call's links and a
# fault's epc are guest addresses, a jump goes where the guest said, and
# every guest instruction is one tick: the bare PG32-L machine's state.
. "$LAB/tests/btlib.sh"
BUDGET=100000
assemble s.elf "$LAB/tests/progs/straight.s"
both straight s.elf --isa=leaky
check 3 "the same exit status (0) as on the bare machine" same_status straight
check 3 "rdst reads the virtual status: KM = 1" reg straight 12 0x00000001
check 2 "mtcr scratch, then mfcr scratch" reg straight 15 0x00001234
check 3 "setie 1, then rdst: KM | IE" reg straight 6 0x00000003
check 3 "call: the link is the guest's return address" reg straight 13 "$(sym s.elf back1)"
check 3 "jalr ra, 0(ra): the old ra is the target, the link the guest's" reg straight 5 "$(sym s.elf back2)"
check 3 "a fault in mid-block: epc is the guest's faulting instruction" reg straight 14 "$(sym s.elf faulty)"
check 1 "j over: jumped where the guest said" reg straight 11 0x00000007
check 2 "the same traps at the same ticks" same_traps straight
check 2 "the same end state, ticks and RAM included" same_state straight
finish
