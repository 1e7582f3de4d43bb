# straight.s - translated kernel code without a conditional branch (lab 7,
# tasks 1 to 3): sensitive instructions, a direct and an indirect call and
# their returns, a jump, and a fault in the middle of a block.  Results,
# for vmlab run --state:
#   s0 (r12) = rdst: the virtual status, KM = 1
#   s1 (r13) = the link of `call func`: the guest's address `back1`
#   s2 (r14) = the epc the trap handler read: the guest's address `faulty`
#   s3 (r15) = scratch written and read back: 0x1234
#   a1 (r5)  = the link of `jalr ra, 0(ra)`: the guest's address `back2`
#   a2 (r6)  = rdst after `setie` of 1: KM | IE = 3
#   a3 (r7)  = the badva of the fault: 0x7fff0000
#   t3 (r11) = 7 if the code jumped over the `li t3, 0`, 0 if not
	.text
	.globl	_start
_start:
	la	t0, handler
	mtcr	tvec, t0
	rdst	s0
	li	t0, 0x1234
	mtcr	scratch, t0
	mfcr	s3, scratch
	call	func
back1:	mv	s1, a0
	la	ra, there
	jalr	ra, 0(ra)		# target computed before the link
back2:	break
there:	mv	a1, ra
	li	t0, 1
	setie	t0
	rdst	a2
	setie	zero
	li	t1, 0x7fff0000
	li	t3, 7
faulty:	lw	t2, 0(t1)		# beyond RAM: BUS, in mid-block
	j	over
	li	t3, 0
over:	out	zero, 0x20(zero)

func:	mv	a0, ra
	ret

handler:
	mfcr	s2, epc
	mfcr	a3, badva
	addi	t0, s2, 4
	mtcr	epc, t0
	rfe
