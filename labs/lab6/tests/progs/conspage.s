# conspage.s - HC_CONSOLE_WRITE of a buffer at the end of a page, with
# paging on (vm/vmm/HYPERCALLS.md) under vmlab run --pv: the low 4 MiB
# mapped to themselves, 0x400000 mapped read-only to the last page below,
# 0x401000 not mapped.  "ab" sits in the last two bytes of that page, and
# the physical page after it holds "XY".  Results, for --state:
#   s0 (r12) = HC_CONSOLE_WRITE(0x400ffe, 2): 2, "ab" on the console
#   s1 (r13) = HC_CONSOLE_WRITE(0x400ffe, 4): -EFAULT, nothing written
# so the console shows "ab" and nothing else.
	.include	"paging.inc"
	la	t2, pt
	la	t1, page
	ori	t1, t1, 3
	sw	t1, 0(t2)
	ori	t0, t0, 1
	mtcr	ptb, t0
	li	a0, 1
	li	a1, 0x400ffe
	li	a2, 2
	hcall
	mv	s0, a0
	li	a0, 1
	li	a1, 0x400ffe
	li	a2, 4
	hcall
	mv	s1, a0
	out	zero, 0x20(zero)
	.data
	.align	4096
pd:	.space	4096
pt:	.space	4096
pt0:	.space	4096
page:	.space	4094
	.ascii	"ab"
after:	.ascii	"XY"
	.align	4096
