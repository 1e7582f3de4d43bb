# poll.s - the timer line as the guest sees it by polling, interrupts off:
# each round sets timecmp some ticks ahead (which clears the line), reads
# ipend at once (clear), then spins reading ipend until the timer bit is
# set and logs how many ticks after timecmp that was.  The line latches at
# exactly the tick where icount == timecmp (ISA.md 10.2), so the log is
# the same on the bare machine and under a VMM that runs the tick's events
# on time; nothing is delivered (IE = 0), no wfi, no device.
# exit: 0
	.equ	POWER, 0x20
	.equ	ROUNDS, 6
	.text
	.globl	_start
_start:
	la	s0, log
	li	s1, ROUNDS
	li	s2, 40			# ticks ahead: 40, 63, 86, ...
1:	mfcr	t0, icount
	add	t0, t0, s2
	mtcr	timecmp, t0		# clears the line
	mfcr	t1, ipend
	sw	t1, 0(s0)		# 0: cleared by the write
2:	mfcr	t1, ipend
	andi	t1, t1, 1
	beqz	t1, 2b
	mfcr	t2, icount		# the first read that sees it
	sub	t2, t2, t0
	sw	t2, 4(s0)
	addi	s0, s0, 8
	addi	s2, s2, 23
	addi	s1, s1, -1
	bnez	s1, 1b
	out	zero, POWER(zero)

	.data
log:	.space	8 * ROUNDS
