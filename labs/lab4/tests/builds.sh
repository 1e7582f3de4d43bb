# builds - the tree builds and the guest OS runs on the bare machine: the
# reference every other test compares the VMM with.  Needs no work.
. "$SRC/labs/tools/testlib.sh"
BUDGET=50000000
cp "$BUILD/guestos/disk.img" disk.img
run_guest boot "$BUILD/guestos/kernel.elf" --disk disk.img
check 1 "powers off with 0" exits $RC 0
check 4 "the standard transcript, bare" same_file "$SRC/guestos/tests/boot.expected" boot.out
finish
