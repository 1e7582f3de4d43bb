# counter.s - counts to 5.  Before each number it computes for a while (a
# sum, long enough for the timer to preempt it several times); after each
# it gives the processor away with yield.

	.equ	COUNT, 5
	.equ	WORK, 8000		# terms of the sum per number

	.text
	.globl	main
main:
	addi	sp, sp, -8
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	li	s0, 1
1:	li	t0, WORK		# a2 = 1 + 2 + ... + WORK * s0
	mul	t0, t0, s0
	li	a2, 0
2:	add	a2, a2, t0
	addi	t0, t0, -1
	bnez	t0, 2b
	la	a0, s_count
	mv	a1, s0
	call	printf
	call	yield
	addi	s0, s0, 1
	li	t0, COUNT
	ble	s0, t0, 1b
	li	a0, 0
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	addi	sp, sp, 8
	ret

	.data
s_count: .asciz	"counter: %d (sum %d)\n"
