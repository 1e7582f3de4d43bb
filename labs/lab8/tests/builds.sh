# builds - the tree builds, and shadow paging, which needs none of this
# lab's code, still runs the guest OS with the bare machine's output and
# disk: the comparison every other test makes.  Needs no work.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=20000000
DISK=$BUILD/guestos/disk.img
both shadow "$BUILD/guestos/kernel.elf"
check 2 "shadow paging: the bare machine's output" same_output shadow
check 1 "shadow paging: the same disk" same_disk shadow
check 2 "shadow paging: the same end state" same_state shadow
finish
