# builds - the tree builds, and the guest OS runs fully virtualized, without
# --pv: its probe hcall is reflected to its own handler (one exit, no
# hypercall served), and it runs natively with the bare machine's output
# and disk.  The comparison every other test makes.  Needs no work.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=20000000
DISK=$BUILD/guestos/disk.img
both native "$BUILD/guestos/kernel.elf"
check 1 "fully virtualized: the bare machine's output" same_output native
check 1 "fully virtualized: the same disk" same_disk native
check 1 "without --pv the probe is one reflected hcall exit" test "$(stat native vmm_exits_hcall)" = 1
check 2 "without --pv no hypercall is served" finished $RC_VMM lacks_match native.vmm.err '^vmm_hcall_'
finish
