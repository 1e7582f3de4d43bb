# physical - tasks 1 and 2 with paging off, before the rest of the lab: the
# guest's walk and the hidden faults that fill the shadow of guest-physical
# memory page by page (and BUS past RAM: a load, a store and a fetch).
# Lab 2's programs run paging off and never write ptb, tlbflush or tlbinv
# (tasks 3-5): tests/e2e/vmm/traps.s (every exception) and irq.s
# (interrupts, icount at every trap).
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=5000000
for p in traps irq; do
	assemble $p.elf "$SRC/tests/e2e/vmm/$p.s"
	both $p $p.elf
	equivalent "2 1 4 3" $p "$p.s, paging off"
done
check 1 "traps.s: the shadow is filled on demand (vmm_hidden_faults > 0)" \
	finished "$(cat traps.vmm.rc)" stat_above traps vmm_hidden_faults 0 "hidden faults (guest-physical memory shadowed page by page)"
finish
