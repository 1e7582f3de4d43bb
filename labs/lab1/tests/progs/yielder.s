# yielder.s - yields 50 times, then exits 2.
	.text
	.globl	main
main:	addi	sp, sp, -8
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	li	s0, 50
1:	call	yield
	bnez	a0, 2f			# yield returns 0
	addi	s0, s0, -1
	bnez	s0, 1b
2:	mv	a0, s0			# 0 if all went well... then +2
	addi	a0, a0, 2
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	addi	sp, sp, 8
	ret
