# critical.s - a kernel's two uses of the interrupt state (ISA.md 4.9 note 6,
# section 15): save it and mask interrupts around a critical section with
# rdst / setie zero / setie, and check its own mode in the trap handler
# with rdst.  Kernel mode only, so on PG32 and on the bare PG32-L machine it
# behaves the same; under trap-and-emulate on PG32-L it cannot
# (tests/e2e/vmm_leaky.sh).  The exit status is a bit set of what went
# wrong, 0 when nothing did:
#   1  the timer interrupt was taken inside the critical section
#   2  the trap handler's rdst said KM = 0 (user mode)
#   4  the status saved at the section's entry said KM = 0
#   8  the interrupt was never taken at all
# exit: 0
	.text
	.globl	_start
_start:
	la	t0, handler
	mtcr	tvec, t0
	la	s3, res
	li	t0, 1			# imask: timer
	mtcr	imask, t0
	li	t0, 3			# KM | IE
	mtcr	status, t0

	# enter: save the interrupt state, then mask interrupts
	rdst	s0
	sw	s0, 0(s3)
cs_enter:
	setie	zero
	li	t0, 1
	sw	t0, 4(s3)		# in the section
	mfcr	t0, icount
	addi	t0, t0, 4
	mtcr	timecmp, t0		# the timer fires inside the section
	nop
	nop
	nop
	nop
	nop
	nop
	sw	zero, 4(s3)		# out of the section
	# leave: restore the saved IE (bit 1 of status -> bit 0 of rs1)
	srli	t0, s0, 1
cs_leave:
	setie	t0			# the pending interrupt is taken here

	# the verdict
	li	a0, 0
	lw	t0, 8(s3)		# interrupts taken in the section
	beq	t0, zero, 1f
	ori	a0, a0, 1
1:	lw	t0, 12(s3)		# status the handler read
	andi	t0, t0, 1
	bne	t0, zero, 2f
	ori	a0, a0, 2
2:	lw	t0, 0(s3)		# status saved at the entry
	andi	t0, t0, 1
	bne	t0, zero, 3f
	ori	a0, a0, 4
3:	lw	t0, 16(s3)		# interrupts taken at all
	bne	t0, zero, 4f
	ori	a0, a0, 8
4:	out	a0, 0x20(zero)

# The timer handler: where was I, and was I allowed to be interrupted?
handler:
	rdst	t1			# a kernel checking its own mode
	sw	t1, 12(s3)
	lw	t1, 16(s3)
	addi	t1, t1, 1
	sw	t1, 16(s3)
	lw	t1, 4(s3)		# inside the critical section?
	lw	t2, 8(s3)
	add	t2, t2, t1
	sw	t2, 8(s3)
	mtcr	imask, zero		# one interrupt is enough
	rfe

	.data
res:	.space	32			# saved, in-section, bad, handler status, count
