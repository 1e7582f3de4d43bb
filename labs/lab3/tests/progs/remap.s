# remap.s - shadow coherence under the ISA's TLB rule (ISA.md 9.7): the
# kernel reads a page (the shadow gets the entry), remaps it, and after
# tlbinv must read the new frame; then unmaps it, and after tlbinv must
# fault; the same with two pages and one tlbflush, and with a ptb write.
# Prints a letter per read (the frame: A, B, C; '!' a fault), powers off
# with 0.
	.equ	V, 0x1
	.equ	R, 0x2
	.equ	W, 0x4
	.equ	X, 0x8
	.equ	VA, 0x400000
	.text
	.globl	_start
_start:
	la	t0, fault
	mtcr	tvec, t0
	la	t0, pt0			# identity map of the low 4 MiB, kernel only
	li	t1, V | R | W | X
	li	t2, 1024
	li	t3, 0x1000
1:	sw	t1, 0(t0)
	addi	t0, t0, 4
	add	t1, t1, t3
	addi	t2, t2, -1
	bnez	t2, 1b
	la	t0, pd
	la	t1, pt0
	ori	t1, t1, V
	sw	t1, 0(t0)
	la	t1, pt1
	ori	t1, t1, V
	sw	t1, 4(t0)
	la	t0, pgA
	li	t1, 0x41
	sw	t1, 0(t0)
	la	t0, pgB
	li	t1, 0x42
	sw	t1, 0(t0)
	la	t0, pgC
	li	t1, 0x43
	sw	t1, 0(t0)
	la	a0, pgA			# VA -> pgA, VA + 4096 -> pgC
	li	a1, 0
	call	map
	la	a0, pgC
	li	a1, 4
	call	map
	la	t0, pd
	ori	t0, t0, 1
	mtcr	ptb, t0

	li	s2, VA
	lw	a0, 0(s2)		# A: fills the shadow
	call	say
	la	a0, pgB			# remap VA -> pgB, tlbinv
	li	a1, 0
	call	map
	tlbinv	s2
	lw	a0, 0(s2)		# B
	call	say
	lw	a0, 4096(s2)		# C
	call	say
	la	a0, pgA			# both remapped, one tlbflush
	li	a1, 4
	call	map
	la	a0, pgC
	li	a1, 0
	call	map
	tlbflush
	lw	a0, 0(s2)		# C
	call	say
	lw	a0, 4096(s2)		# A
	call	say
	la	a0, pgB			# remap VA -> pgB, write ptb (the same
	li	a1, 0			# value): a ptb write flushes too
	call	map
	mfcr	t0, ptb
	mtcr	ptb, t0
	lw	a0, 0(s2)		# B
	call	say
	la	t0, pt1			# unmap VA, tlbinv: a fault ('!')
	sw	zero, 0(t0)
	tlbinv	s2
	li	a0, 0x2e
	lw	a0, 0(s2)
	call	say
	li	a0, 10
	out	a0, 0(zero)
	li	a0, 0
	out	a0, 0x20(zero)

# map(a0 = frame, a1 = 4 * page index from VA): a R W kernel page
map:	la	t0, pt1
	add	t0, t0, a1
	ori	a0, a0, V | R | W
	sw	a0, 0(t0)
	ret

say:	out	a0, 0(zero)
	ret

# fault: print '!' and skip the instruction
fault:	li	a0, 0x21
	out	a0, 0(zero)
	mfcr	t0, epc
	addi	t0, t0, 4
	mtcr	epc, t0
	rfe

	.data
	.align	4096
pd:	.space	4096
pt0:	.space	4096
pt1:	.space	4096
pgA:	.space	4096
pgB:	.space	4096
pgC:	.space	4096
