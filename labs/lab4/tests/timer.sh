# timer - the virtual timer and interrupt delivery (tests/e2e/vmm/irq.s,
# which logs icount at every trap entry): the line latches at exactly the
# tick where icount == timecmp; a pending line is taken right after mtcr
# status sets IE, after mtcr imask unmasks it, after rfe restores IE, and
# never while IE = 0; timecmp writes clear it; a timecmp already passed.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=5000000
assemble irq.elf "$SRC/tests/e2e/vmm/irq.s"
both irq irq.elf
equivalent "3 2 9 6" irq "irq.s"
finish
