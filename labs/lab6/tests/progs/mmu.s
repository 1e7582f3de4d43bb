# mmu.s - HC_MMU_UPDATE and HC_SET_PTB (vm/vmm/HYPERCALLS.md) under vmlab
# run --pv: paging on, 0x400000 mapped to data1 and read once (the
# translation is now cached), then one batch of two entries remaps it to
# data2 (forgetting the old translation) and maps 0x401000 to data1.
# Results, for --state:
#   s3 (r15) = 0x11111111, read before   s0 (r12) = 2, the entries applied
#   s1 (r13) = 0x22222222, the remapped  s2 (r14) = 0x11111111, the new one
	.include	"paging.inc"
	la	t2, pt
	la	t1, data1
	ori	t1, t1, 3
	sw	t1, 0(t2)
	ori	t0, t0, 1
	mtcr	ptb, t0
	li	t0, 0x400000
	lw	s3, 0(t0)
	la	t2, pt
	la	t0, batch
	sw	t2, 0(t0)
	la	t1, data2
	ori	t1, t1, 3
	sw	t1, 4(t0)
	li	t1, 0x400000
	sw	t1, 8(t0)
	addi	t2, t2, 4
	sw	t2, 12(t0)
	la	t1, data1
	ori	t1, t1, 3
	sw	t1, 16(t0)
	li	t1, -1
	sw	t1, 20(t0)
	li	a0, 2
	mv	a1, t0
	li	a2, 2
	hcall
	mv	s0, a0
	li	t0, 0x400000
	lw	s1, 0(t0)
	li	t0, 0x401000
	lw	s2, 0(t0)
	li	a0, 3
	mfcr	a1, ptb
	hcall
	out	zero, 0x20(zero)
	.data
batch:	.space	24
	.align	4096
pd:	.space	4096
pt:	.space	4096
pt0:	.space	4096
data1:	.word	0x11111111
	.align	4096
data2:	.word	0x22222222
	.align	4096
