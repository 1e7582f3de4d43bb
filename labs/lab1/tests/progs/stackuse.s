# stackuse.s - uses 10 pages of stack (the window is 16): each new page is
# a page fault that must map it.  Exits with the number of words that did
# not keep their value (0 is right).
	.equ	USE, 10 * 4096
	.text
	.globl	main
main:	li	t0, USE
	sub	sp, sp, t0
	mv	t0, sp
	li	t1, USE
	add	t1, t1, sp
1:	sw	t0, 0(t0)
	addi	t0, t0, 4
	bne	t0, t1, 1b
	mv	t0, sp
	li	a0, 0
2:	lw	t2, 0(t0)
	beq	t2, t0, 3f
	addi	a0, a0, 1
3:	addi	t0, t0, 4
	bne	t0, t1, 2b
	mv	sp, t1
	ret
