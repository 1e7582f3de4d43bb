# mmu - HC_MMU_UPDATE (task 2) and HC_SET_PTB (progs/mmu.s): one batch of
# two page-table writes remaps a page whose translation was cached and
# maps a new one; the words change and the stale translation is gone.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
. "$LAB/tests/pvlib.sh"
BUDGET=100000
assemble mmu.elf "$LAB/tests/progs/mmu.s"
for POLICY in flush trace; do
	pv mmu_$POLICY mmu.elf
	check 1 "$POLICY: powers off with 0" exits $RC_VMM 0
	check 2 "$POLICY: the batch applies both entries" reg mmu_$POLICY 12 0x00000002
	check 3 "$POLICY: the remapped page reads its new frame (the stale translation is gone)" reg mmu_$POLICY 13 0x22222222
	check 2 "$POLICY: the new mapping reads its frame" reg mmu_$POLICY 14 0x11111111
done
finish
