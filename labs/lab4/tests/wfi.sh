# wfi - waiting for an interrupt in guest time (ISA.md 10.3): wfi with
# every line masked deadlocks (exit 126, the same state), one the disk wakes
# returns at the disk's completion tick (tests/e2e/vmm/deadlock.s); the
# guest OS's idle loop sleeps until the timer (its sleeper program), with
# the bare machine's ticks.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=5000000
DISK=disk.img
yes "vmlab disk pattern 0123456789" | head -c 8192 > disk.img
assemble deadlock.elf "$SRC/tests/e2e/vmm/deadlock.s"
both deadlock deadlock.elf
deadlocked() {
	grep -a -q '^vmlab: .*deadlock' deadlock.vmm.err && return 0
	echo "expected: vmlab reports a deadlock; got: $(_how deadlock vmm)"
	return 1
}
check 2 "deadlock.s: the VMM stops the guest as deadlocked" deadlocked
check 1 "deadlock.s: the same exit status" same_status deadlock
check 3 "deadlock.s: the same end state (woken by the disk at the same tick)" same_state deadlock
DISK=
assemble sleeper.elf -Ttext 0x40000000 "$SRC/guestos/user/ulib.s" "$SRC/guestos/user/sleeper.s"
"$BUILD/guestos/mkdisk" -o sleep.img sleeper.elf > mkdisk.log 2>&1 ||
	{ cat mkdisk.log; fail_all "mkdisk failed"; }
BUDGET=20000000
DISK=sleep.img
both sleep "$BUILD/guestos/kernel.elf"
equivalent "1 2 3 3" sleep "guest OS, sleeper alone (idle wfi)"
finish
