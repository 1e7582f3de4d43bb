# looper.s - rewrites NPAGES pages for ever, one word each per pass (lab 9's
# rounds test replaces NPAGES with a number): a writable working set of a
# known size.  Runs bare from reset: paging off, kernel mode.
	.text
	.globl	_start
_start:	la	s2, buf
1:	li	s0, 0
2:	slli	t0, s0, 12
	add	t0, t0, s2
	sw	s0, 0(t0)
	addi	s0, s0, 1
	li	t1, NPAGES
	blt	s0, t1, 2b
	j	1b

	.data
	.align	4096
buf:	.space	262144
