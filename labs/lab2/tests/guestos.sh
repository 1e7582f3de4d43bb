# guestos - the guest OS, unmodified, under the VMM: the standard disk's
# ten programs (syscalls, timer preemption, sleep, faults, the stack
# growing, echo), then with 4 MiB of RAM and console input; all the
# guest sees is what it sees on the bare machine.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=50000000
DISK=$BUILD/guestos/disk.img
both boot "$BUILD/guestos/kernel.elf"
check 4 "the standard transcript, under the VMM" same_file "$SRC/guestos/tests/boot.expected" boot.vmm.out
equivalent "2 2 7 6" boot "guest OS"
check 2 "emulated instructions: the guest kernel ran (vmm_emulated > 1000)" \
	stat_above boot vmm_emulated 1000 "the guest kernel's privileged instructions emulated"
printf 'hello from the host\nsecond line\n' > input.txt
INPUT=input.txt
both small "$BUILD/guestos/kernel.elf" --mem 4
check 1 "4 MiB of RAM, console input: the same output" same_output small
check 1 "4 MiB of RAM, console input: the same end state" same_state small
finish
