# paging_modes (hidden) - paging and mode switches under the VMM: every
# fault kind from both modes, user code that must not reach kernel-only
# pages (the shadow of the new mode after rfe and trap entry), A and D
# bits, tlbinv/tlbflush (tests/e2e/vmm/paging.s); a hostile guest.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=5000000
assemble paging.elf "$SRC/tests/e2e/vmm/paging.s"
both paging paging.elf
equivalent "1 1 4 4" paging "paging.s"
DISK=disk.img
yes "vmlab disk pattern 0123456789" | head -c 8192 > disk.img
assemble hostile.elf "$SRC/tests/e2e/vmm/hostile.s"
both hostile hostile.elf
check 1 "hostile.s: the same traps" same_traps hostile
check 1 "hostile.s: the same end state" same_state hostile
finish
