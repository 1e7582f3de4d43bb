# busy.s - six rounds of about 8000 instructions (most of a timer period),
# printing "busy: N" after each: a clock the other processes can be read
# against.
	.text
	.globl	main
main:	addi	sp, sp, -8
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	li	s0, 1
1:	li	t0, 4000
2:	addi	t0, t0, -1
	bnez	t0, 2b
	la	a0, f_round
	mv	a1, s0
	call	printf
	addi	s0, s0, 1
	li	t0, 7
	bne	s0, t0, 1b
	li	a0, 0
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	addi	sp, sp, 8
	ret
	.data
f_round: .asciz	"busy: %d\n"
