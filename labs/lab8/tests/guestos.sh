# guestos - the guest OS under hardware assist (both tasks): the bare
# machine's console output, disk and end state, with console input too;
# no hidden faults, no emulated page-table writes, no exits for the guest's
# own privileged instructions, and far fewer exits than shadow paging.
. "$LAB/tests/nestlib.sh"
BUDGET=20000000
DISK=$BUILD/guestos/disk.img
nested os "$BUILD/guestos/kernel.elf"
check 3 "the bare machine's exit status (0)" same_status os
check 6 "the bare machine's console output" same_output os
check 4 "the same disk" same_disk os
check 6 "the same end state (registers, control registers, ticks, RAM)" same_state os
check 2 "no hidden fault" none os vmm_hidden_faults "nested paging has no shadows"
check 2 "no page-table write emulated" none os vmm_pt_writes_emulated "the guest writes its page tables itself"
check 2 "no rfe emulated" none os vmm_emulated_rfe "the guest returns from its traps itself"
check 2 "no page fault reaches the VMM" none os vmm_exits_pf-store "the guest's page faults are its own"
printf 'hello from the host\nsecond line\n' > input
INPUT=input nested echo "$BUILD/guestos/kernel.elf"
check 3 "with console input: the same output" same_output echo
check 2 "with console input: the same end state" same_state echo
x=$(stat os vmm_exits_privileged)
check 3 "fewer than 4000 privileged exits (shadow paging: about 5500), got ${x:-none}" \
	finished "$(cat os.vmm.rc)" test "${x:-99999}" -lt 4000
finish
