# spin.s - computes for about 300000 instructions (30 timer periods) with
# no system call, then exits 1: only the timer can take the processor away.
	.text
	.globl	main
main:	li	t0, 100000
1:	addi	t0, t0, -1
	bnez	t0, 1b
	li	a0, 1
	ret
