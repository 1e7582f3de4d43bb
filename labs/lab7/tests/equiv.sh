# equiv - the VMM's equivalence programs (tests/e2e/vmm/*.s: control
# registers, traps, interrupts, paging, disk DMA, double faults, a hostile
# guest...) and the examples, on PG32-L under --bt: each as on the bare
# machine (exit status, output, end state).  Hidden.
. "$LAB/tests/btlib.sh"
BUDGET=50000000
HANG=60
for s in "$SRC"/tests/e2e/vmm/*.s; do
	n=$(basename "$s" .s)
	assemble "$n.elf" "$s"
done
cp "$BUILD"/examples/*.elf .
for e in *.elf; do
	n=$(basename "$e" .elf)
	pattern_disk "$n.img"
	DISK=$n.img both "$n" "$e" --isa=leaky
	check 1 "$n: the same exit status" same_status "$n"
	check 1 "$n: the same output" same_output "$n"
	check 1 "$n: the same end state" same_state "$n"
done
finish
