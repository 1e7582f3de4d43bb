# builds - the tree builds, and the guest OS runs under the VMM as on the
# bare machine when nothing migrates: the dirty log stays off, and none of
# lab 9's code runs.  Needs no work.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=20000000
DISK=$BUILD/guestos/disk.img
both os "$BUILD/guestos/kernel.elf"
check 2 "the guest OS under the VMM: the bare machine's output" same_output os
check 1 "the same disk" same_disk os
check 2 "--migrate-to on the bare machine is refused: it has no shadow tables" \
	sh -c '"$1" run --bare --migrate-to 127.0.0.1:1 --migrate-at 0 "$2" 2>&1 </dev/null | grep -q "needs the VMM"' \
	sh "$BIN/vmlab" "$BUILD/guestos/kernel.elf"
finish
