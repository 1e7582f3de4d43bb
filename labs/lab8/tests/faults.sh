# faults - the nested page fault (task 2, with task 1's intercepts): the
# guest's page tables (paging.s: every fault kind, A and D, remapping) and
# a hostile guest (hostile.s: page tables and PTEs past its RAM, a PDE at
# guest-physical 0) give the bare machine's status, output and end state.
# Its faults are the guest's own: no hidden fault, and every nested page
# fault either maps a page of the guest once or is the guest's BUS.
. "$LAB/tests/nestlib.sh"
BUDGET=2000000
E=$SRC/tests/e2e/vmm
pattern_disk pattern.img
DISK=pattern.img
for p in paging hostile traps; do
	assemble $p.elf "$E/$p.s"
	nested $p $p.elf
	check 2 "$p.s: the bare machine's exit status" same_status $p
	check 2 "$p.s: the same output" same_output $p
	check 4 "$p.s: the same end state (registers, control registers, ticks, RAM)" same_state $p
	check 1 "$p.s: nested faults map pages" above $p vmm_nested_faults 0 "the guest's pages mapped on first touch"
	check 1 "$p.s: no hidden fault" none $p vmm_hidden_faults "nested paging has no shadows"
done
# hostile.s's accesses past its RAM are BUS for the guest: true faults.
check 2 "hostile.s: its accesses past RAM reach the guest as BUS" above hostile vmm_true_faults 0 "BUS reflected"
finish
