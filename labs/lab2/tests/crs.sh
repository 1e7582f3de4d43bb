# crs - the control registers through mfcr and mtcr in virtual kernel mode
# (write masks, the read-only ipend and icount, side effects: timecmp
# clearing the timer line, status leaving kernel mode), every port with in
# and out, unassigned ports (BUS, badva = the port), rfe in kernel mode,
# an undefined register (tests/e2e/vmm/cr.s).
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=5000000
DISK=disk.img
yes "vmlab disk pattern 0123456789" | head -c 8192 > disk.img
assemble cr.elf "$SRC/tests/e2e/vmm/cr.s"
both cr cr.elf
equivalent "3 2 7 8" cr "cr.s"
finish
