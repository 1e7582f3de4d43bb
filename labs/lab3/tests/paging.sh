# paging - the guest's page tables under the shadows (tests/e2e/vmm/
# paging.s): every fault kind from both modes (true faults reach the guest
# with its cause and badva, hidden ones never do), U pages and kernel-only
# pages, remaps, unmaps and permission changes each followed by tlbinv or
# tlbflush, paging off and on, a second address space (a ptb write).
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=5000000
assemble paging.elf "$SRC/tests/e2e/vmm/paging.s"
both paging paging.elf
equivalent "2 2 12 7" paging "paging.s"
check 2 "the shadows are filled on demand (vmm_hidden_faults > 10)" \
	stat_above paging vmm_hidden_faults 10 "hidden faults (shadow entries filled on demand)"
finish
