# traps - every exception a guest can raise, from user mode (the VMM must
# reflect each one with the hardware's cause, epc and badva: a privileged
# instruction in user mode is PRIVILEGED with badva = the word; a syscall's
# epc is the syscall itself) and from kernel mode; then a guest OS whose
# user programs break the rules (tests/e2e/vmm/traps.s, guest OS faults).
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=5000000
assemble traps.elf "$SRC/tests/e2e/vmm/traps.s"
both traps traps.elf
equivalent "2 1 7 5" traps "traps.s"
BUDGET=20000000
assemble priv.elf -Ttext 0x40000000 "$SRC/guestos/user/ulib.s" "$SRC/guestos/user/priv.s"
assemble hello.elf -Ttext 0x40000000 "$SRC/guestos/user/ulib.s" "$SRC/guestos/user/hello.s"
"$BUILD/guestos/mkdisk" -o faults.img priv.elf hello.elf > mkdisk.log 2>&1 ||
	{ cat mkdisk.log; fail_all "mkdisk failed"; }
DISK=faults.img
both os "$BUILD/guestos/kernel.elf"
check 2 "guest OS: a user privileged instruction kills the process, same line" same_output os
check 3 "guest OS: the same traps at the same ticks" same_traps os
finish
