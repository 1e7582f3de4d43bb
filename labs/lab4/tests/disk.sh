# disk - the virtual disk through the guest's DMA window (ISA.md 11.3,
# tests/e2e/vmm/disk.s): reads and writes; a request ending exactly at the
# end of guest RAM (allowed), one byte past it or wrapping around 2^32
# (ERROR, nothing transferred, as on a machine with that much RAM);
# sectors past the disk's end; a CMD while busy; code loaded by DMA over a
# page that already ran; the completion interrupt at the bare machine's tick.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=5000000
DISK=disk.img
yes "vmlab disk pattern 0123456789" | head -c 8192 > disk.img
assemble disk.elf "$SRC/tests/e2e/vmm/disk.s"
both disk disk.elf
equivalent "2 1 3 3" disk "disk.s"
check 1 "disk.s: the same disk contents" same_disk disk
finish
