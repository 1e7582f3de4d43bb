# trace_policy (hidden) - the same walk and fills under the other policy
# (--shadow=trace: write-protected guest page tables, cached shadows):
# paging.s and the guest OS.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
POLICY=trace
BUDGET=5000000
assemble paging.elf "$SRC/tests/e2e/vmm/paging.s"
both paging paging.elf
equivalent "1 1 3 3" paging "paging.s, trace policy"
BUDGET=50000000
DISK=$BUILD/guestos/disk.img
both boot "$BUILD/guestos/kernel.elf"
equivalent "1 1 3 3" boot "guest OS, trace policy"
finish
