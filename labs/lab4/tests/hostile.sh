# hostile (hidden) - a guest that attacks its VMM (tests/e2e/vmm/hostile.s):
# DMA straight into a live page table, a flood of traps and interrupts;
# and the double-fault programs, whose handlers cannot start.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=5000000
DISK=disk.img
yes "vmlab disk pattern 0123456789" | head -c 8192 > disk.img
assemble hostile.elf "$SRC/tests/e2e/vmm/hostile.s"
both hostile hostile.elf
equivalent "1 1 3 3" hostile "hostile.s"
DISK=
for p in doublefault doublefault2; do
	assemble $p.elf "$SRC/tests/e2e/vmm/$p.s"
	both $p $p.elf
	check 1 "$p.s: the same end state" same_state $p
done
finish
