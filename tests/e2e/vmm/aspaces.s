# aspaces.s - the worst case for the VMM's bookkeeping of shadows: a guest
# kernel that keeps many shadow tables alive and makes a new address space
# every few ticks (vm/vmm/README.md, "Host work per guest tick").
#
#   KT    0x200000  identity map of the low 4 MiB, R W X (the kernel)
#   PT    0x201000  one page table: entry 0 -> DATA (0x300000), R W
#   BIG   0x202000  directory: slot 0 -> KT, slots 1..NSLOT -> PT
#   DIRS  0x210000  NDIR directories, each with slot 0 -> KT only
#
# A store to va = slot << 22 in each of the NSLOT slots makes the VMM build
# a shadow table per slot, each with a writable leaf.  Then NITER times:
# ptb = the next of the NDIR directories, ptb = BIG.  Under --shadow=trace
# each directory becomes a tracked page when its shadow is made; NDIR is
# more than the VMM caches (32), so each one is new again when reused.
# Under --shadow=flush every ptb write drops every shadow.
# exit: 0
	.equ	KT, 0x200000
	.equ	PT, 0x201000
	.equ	BIG, 0x202000
	.equ	DIRS, 0x210000
	.equ	DATA, 0x300000
	.equ	NSLOT, 500
	.equ	NDIR, 40
	.equ	NITER, 3000
	.text
	.globl	_start
_start:
	# KT: pages 0..1023 at their own address, V R W X.
	li	t0, KT
	li	t1, 0xf
	li	t2, 1024
	li	t3, 0x1000
1:	sw	t1, 0(t0)
	addi	t0, t0, 4
	add	t1, t1, t3
	addi	t2, t2, -1
	bnez	t2, 1b
	# PT: entry 0 -> DATA, V R W.
	li	t0, PT
	li	t1, DATA | 0x7
	sw	t1, 0(t0)
	# BIG: slot 0 -> KT, slots 1..NSLOT -> PT.
	li	t0, BIG
	li	t1, KT | 1
	sw	t1, 0(t0)
	li	t1, PT | 1
	li	t2, NSLOT
2:	addi	t0, t0, 4
	sw	t1, 0(t0)
	addi	t2, t2, -1
	bnez	t2, 2b
	# DIRS: slot 0 -> KT.
	li	t0, DIRS
	li	t1, KT | 1
	li	t2, NDIR
3:	sw	t1, 0(t0)
	add	t0, t0, t3
	addi	t2, t2, -1
	bnez	t2, 3b

	li	s0, BIG | 1
	mtcr	ptb, s0
	# One store in each slot: a shadow table each, with a writable leaf.
	li	t0, 0x400000
	li	t2, NSLOT
	li	a1, 0x400000
4:	sw	t2, 0(t0)
	add	t0, t0, a1
	addi	t2, t2, -1
	bnez	t2, 4b

	# NITER new address spaces, back to BIG after each.
	li	s1, NITER
	li	s2, DIRS | 1
	li	s3, NDIR
5:	mtcr	ptb, s2
	mtcr	ptb, s0
	add	s2, s2, t3
	addi	s3, s3, -1
	bnez	s3, 6f
	li	s2, DIRS | 1
	li	s3, NDIR
6:	addi	s1, s1, -1
	bnez	s1, 5b

	# Every slot still reads what was stored there last: slot 1's store
	# (NSLOT) was overwritten by each later one, all through DATA.
	li	t0, 0x400000
	lw	a0, 0(t0)
	addi	a0, a0, -1		# the last store wrote 1
	mtcr	ptb, zero
	out	a0, 0x20(zero)
