# guestos - the guest OS under the VMM with the flush policy: its ten
# programs (page faults that grow the stack, copy-on-nothing heaps, a
# process storing to its text, loading from an unmapped page) run as on
# the bare machine; every page fault the guest sees is a true fault of the
# VMM, and the rest were hidden; then with 4 MiB of RAM and console input.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=50000000
DISK=$BUILD/guestos/disk.img
both boot "$BUILD/guestos/kernel.elf"
check 4 "the standard transcript, under the VMM" same_file "$SRC/guestos/tests/boot.expected" boot.vmm.out
equivalent "2 3 8 6" boot "guest OS"
true_faults() {
	_g=$(grep -c -E ' trap (pf-[a-z-]+|bus) ' boot.bare.entries)
	_t=$(stat boot vmm_true_faults)
	[ "$_g" = "$_t" ] && [ "$_g" -gt 0 ] && return 0
	echo "expected: $_g true faults (the page faults the guest takes on the bare machine), got vmm_true_faults: ${_t:-none}"
	return 1
}
hidden() {
	_h=$(stat boot vmm_hidden_faults) _f=$(stat boot vmm_shadow_fills)
	[ "${_h:-0}" -gt 1000 ] && [ "$_h" = "$_f" ] && return 0
	echo "expected: more than 1000 hidden faults, each filling one shadow entry; got vmm_hidden_faults: ${_h:-none}, vmm_shadow_fills: ${_f:-none}"
	return 1
}
check 2 "every fault the guest takes is a true fault of the VMM" finished $RC_VMM true_faults
check 1 "the others are hidden, each a shadow fill" finished $RC_VMM hidden
printf 'hello from the host\nsecond line\n' > input.txt
INPUT=input.txt
both small "$BUILD/guestos/kernel.elf" --mem 4
check 2 "4 MiB of RAM, console input: the same output" same_output small
check 2 "4 MiB of RAM, console input: the same end state" same_state small
finish
