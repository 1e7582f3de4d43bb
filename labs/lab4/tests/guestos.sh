# guestos - the guest OS under the VMM: timer preemption, sleep, disk
# loading, all ten programs of the standard disk, with the bare machine's
# transcript, traps and end state; then with 4 MiB of RAM.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=50000000
DISK=$BUILD/guestos/disk.img
both boot "$BUILD/guestos/kernel.elf"
check 4 "the standard transcript, under the VMM" same_file "$SRC/guestos/tests/boot.expected" boot.vmm.out
equivalent "2 2 6 4" boot "guest OS"
both small "$BUILD/guestos/kernel.elf" --mem 4
check 2 "4 MiB of RAM: the same output" same_output small
finish
