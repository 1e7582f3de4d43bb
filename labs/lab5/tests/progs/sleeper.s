# sleeper.s - a VM that is almost always asleep: forever, it arms the timer
# PERIOD ticks ahead and waits in wfi.  Interrupts stay off: wfi wakes on
# the pending line all the same (ISA.md 10.3), and the next timecmp write
# clears it.  It runs 6 instructions per wake-up.  A work-conserving host
# gives its sleep to the other VMs.
	.equ	PERIOD, 20000
	.equ	IRQ_TIMER, 0x1

	.text
	.globl	_start
_start:
	li	t0, IRQ_TIMER
	mtcr	imask, t0
1:	mfcr	t0, icount
	li	t1, PERIOD
	add	t0, t0, t1
	mtcr	timecmp, t0
	wfi
	j	1b
