# intercepts - the intercepts (task 1, with task 2's nested faults to run
# at all): programs that use every control register and port (cr.s), the
# timer, wfi and interrupt windows (irq.s, critical.s) and the disk (disk.s)
# give the bare machine's status, output and end state under
# --mmu=nested.  The VMM emulates exactly the instructions it must: in, out,
# wfi and mtcr timecmp; the guest kernel runs mfcr, rfe and the rest itself.
. "$LAB/tests/nestlib.sh"
BUDGET=2000000
E=$SRC/tests/e2e/vmm
pattern_disk pattern.img
for p in cr irq critical disk; do
	assemble $p.elf "$E/$p.s"
	DISK=
	[ $p = disk ] && DISK=pattern.img
	nested $p $p.elf
	check 1 "$p.s: the bare machine's exit status" same_status $p
	check 2 "$p.s: the same output" same_output $p
	check 2 "$p.s: the same end state (registers, control registers, ticks, RAM)" same_state $p
done
DISK=
check 1 "cr.s: out exits to the VMM" above cr vmm_emulated_out 0 "out emulated"
check 1 "cr.s: in exits to the VMM" above cr vmm_emulated_in 0 "in emulated"
check 1 "irq.s: wfi exits to the VMM" above irq vmm_emulated_wfi 0 "wfi emulated"
check 1 "irq.s: mtcr timecmp exits to the VMM" above irq vmm_emulated_mtcr 0 "mtcr timecmp emulated"
for op in mfcr rfe tlbflush tlbinv; do
	check 1 "cr.s: the guest runs $op itself (no exit)" none cr vmm_emulated_$op "not intercepted"
done
finish
