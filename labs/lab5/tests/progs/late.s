# late.s - a VM that sleeps first and computes afterwards: it waits in wfi
# until its clock reaches DELAY ticks, then spins forever.  In real time on
# a host, the credit it earned asleep must not let it take the CPU for
# long once it wakes (credit is clamped to one period).
	.equ	DELAY, 1000000
	.equ	IRQ_TIMER, 0x1

	.text
	.globl	_start
_start:
	li	t0, IRQ_TIMER
	mtcr	imask, t0		# the timer wakes wfi; IE stays off
	li	t0, DELAY
	mtcr	timecmp, t0
1:	mfcr	t0, ipend
	andi	t0, t0, IRQ_TIMER
	bnez	t0, 2f
	wfi
	j	1b
2:	mtcr	imask, zero
3:	j	3b
