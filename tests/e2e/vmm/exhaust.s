# exhaust.s - a guest that wants more shadow page tables than its VMM area
# holds: every one of the 1024 PDEs of its directory points to one page
# table (the identity map of the low 4 MiB), so each 4 MiB of virtual
# addresses aliases the first, and a load in each needs its own shadow
# table: 1024 tables and a root, one page more than the pool of a 16 MiB
# guest (4 MiB).  Three rounds: the VMM resets this guest's shadows again
# and again (vmm_shadow_pool_resets); beside other VMs on one host, only
# its own (tests/e2e/vmm_host.sh).  Each load must read the aliased word.
# exit: 0
	.equ	V, 0x1
	.equ	R, 0x2
	.equ	W, 0x4
	.equ	X, 0x8
	.text
	.globl	_start
_start:
	la	t0, pt0			# pages 0..1023 at their own address
	li	t1, V | R | W | X
	li	t2, 1024
	li	t3, 0x1000
1:	sw	t1, 0(t0)
	addi	t0, t0, 4
	add	t1, t1, t3
	addi	t2, t2, -1
	bnez	t2, 1b
	la	t0, pd			# every PDE: pt0
	la	t1, pt0
	ori	t1, t1, V
	li	t2, 1024
1:	sw	t1, 0(t0)
	addi	t0, t0, 4
	addi	t2, t2, -1
	bnez	t2, 1b
	la	t0, pd
	ori	t0, t0, 1
	mtcr	ptb, t0
	la	s1, magic		# the word every alias must read
	lw	s2, 0(s1)
	li	s3, 3			# rounds
2:	li	t0, 0x400000		# 4 MiB: one PDE further
	mv	t1, s1
	li	t2, 1024
1:	lw	t3, 0(t1)
	bne	t3, s2, bad
	add	t1, t1, t0
	addi	t2, t2, -1
	bnez	t2, 1b
	addi	s3, s3, -1
	bnez	s3, 2b
	out	zero, 0x20(zero)
bad:	li	t0, 1
	out	t0, 0x20(zero)

	.data
magic:	.word	0x5eed5eed
	.align	4096
pd:	.space	4096
pt0:	.space	4096
