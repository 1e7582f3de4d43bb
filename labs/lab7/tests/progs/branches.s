# branches.s - translated loops (lab 7, task 4): conditional branches taken
# and not taken, backwards and forwards, nested, and a timer interrupt that
# lands inside a translated loop.  Results, for vmlab run --state:
#   s0 (r12) = 1 + 2 + ... + 100 = 5050
#   s1 (r13) = the inner loop's count over a 10 x 10 nest: 100
#   s2 (r14) = the odd numbers below 50 counted by a forward branch: 25
#   s3 (r15) = the epc of the timer interrupt: a guest address in `spin`
#   a3 (r7)  = timer interrupts taken: 1
	.text
	.globl	_start
_start:
	la	t0, handler
	mtcr	tvec, t0
	li	t0, 100
	li	s0, 0
1:	add	s0, s0, t0
	addi	t0, t0, -1
	bne	t0, zero, 1b

	li	t0, 10
	li	s1, 0
2:	li	t1, 10
3:	addi	s1, s1, 1
	addi	t1, t1, -1
	bnez	t1, 3b
	addi	t0, t0, -1
	bgtz	t0, 2b

	li	t0, 0
	li	s2, 0
4:	andi	t1, t0, 1
	beqz	t1, 5f
	addi	s2, s2, 1
5:	addi	t0, t0, 1
	li	t1, 50
	blt	t0, t1, 4b

	li	t0, 1			# the timer, 40 ticks from now
	mtcr	imask, t0
	mfcr	t0, icount
	addi	t0, t0, 40
	mtcr	timecmp, t0
	li	t0, 3
	mtcr	status, t0		# KM | IE
	li	t0, 200
spin:	addi	t0, t0, -1
	bnez	t0, spin
	out	zero, 0x20(zero)

handler:
	mfcr	s3, epc
	addi	a3, a3, 1
	mtcr	imask, zero
	rfe
