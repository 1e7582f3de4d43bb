# interrupts - what the VMM's emulation decides about interrupts: a
# pending line taken right after mtcr status sets IE, after mtcr imask
# unmasks it, after rfe restores IE (PIE saved at the trap entry); timecmp
# writes clearing the line; icount as the guest reads it
# (tests/e2e/vmm/irq.s, which logs icount at every trap entry).
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=5000000
assemble irq.elf "$SRC/tests/e2e/vmm/irq.s"
INPUT=/dev/null
both irq irq.elf
equivalent "2 1 7 5" irq "irq.s"
finish
