# hostile - resource control: a guest that attacks its VMM through its
# page tables (tests/e2e/vmm/hostile.s): tables and PTEs pointing past its
# RAM (BUS, as on a machine with that much RAM, never a frame outside its
# slice), a PDE at guest-physical 0, a user program writing its own page
# tables to reach kernel pages, DMA into a live page table, a trap flood.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=5000000
DISK=disk.img
yes "vmlab disk pattern 0123456789" | head -c 8192 > disk.img
assemble hostile.elf "$SRC/tests/e2e/vmm/hostile.s"
both hostile hostile.elf
equivalent "2 2 6 5" hostile "hostile.s"
finish
