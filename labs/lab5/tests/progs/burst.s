# burst.s - an interactive VM that works hard after each wake-up: forever,
# it arms the timer PERIOD ticks ahead, sleeps in wfi, then computes for
# about WORK ticks.  It wants WORK / (PERIOD + WORK) of the CPU and no
# more: a boost that outlived its turn would give it all it asks.
# Interrupts stay off: wfi wakes on the pending line (ISA.md 10.3).
	.equ	PERIOD, 5000
	.equ	WORK, 40000
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
	li	t0, WORK / 2		# a two-instruction loop
2:	addi	t0, t0, -1
	bnez	t0, 2b
	j	1b
