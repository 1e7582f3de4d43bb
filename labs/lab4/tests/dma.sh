# dma - the DMA window to the byte, and interrupt priority
# (tests/progs/dma.s, one letter per step): a read into the last 512 bytes
# of guest RAM completes and the data is there ("DY"); one ending a byte
# past RAM, or two sectors from the last 512 bytes, are errors ("EE");
# with the timer and disk lines pending together the timer is taken
# first ("T").
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=1000000
DISK=disk.img
yes "vmlab disk pattern 0123456789" | head -c 8192 > disk.img
assemble dma.elf "$LAB/tests/progs/dma.s"
both dma dma.elf
step() {	# FROM LEN WANT WHAT
	_g=$(head -n 1 dma.vmm.out | cut -c "$1-$2")
	[ "$_g" = "$3" ] && return 0
	echo "expected \"$3\" ($4), got \"$_g\"; the whole line: $(head -n 1 dma.vmm.out)"
	echo "(bare machine: $(head -n 1 dma.bare.out); under the VMM: $(_how dma vmm))"
	return 1
}
check 3 "a read ending exactly at the end of RAM: done, data there" step 1 2 DY "D = done, Y = data arrived"
check 3 "ending past RAM: error, nothing transferred" step 3 4 EE "E = error"
check 2 "timer and disk pending: the timer first" step 5 5 T "T = timer, K = disk"
check 2 "the same end state" same_state dma
finish
