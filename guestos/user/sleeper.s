# sleeper.s - naps three times, a few timer ticks each, then exits 3.

	.equ	NAPS, 3
	.equ	TICKS, 4

	.text
	.globl	main
main:
	addi	sp, sp, -8
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	li	s0, 1
1:	la	a0, s_nap
	mv	a1, s0
	li	a2, TICKS
	call	printf
	li	a0, TICKS
	call	sleep
	addi	s0, s0, 1
	li	t0, NAPS
	ble	s0, t0, 1b
	la	a0, s_done
	call	printf
	li	a0, 3			# a status other than 0, to see it reported
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	addi	sp, sp, 8
	ret

	.data
s_nap:	.asciz	"sleeper: nap %d, %d ticks\n"
s_done:	.asciz	"sleeper: awake, exiting with 3\n"
