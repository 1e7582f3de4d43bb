# napper.s - sleep(0) and sleep(-3) return at once; sleep(3) returns 0
# after three timer ticks, while others run.
	.text
	.globl	main
main:	addi	sp, sp, -4
	sw	ra, 0(sp)
	li	a0, 0
	call	sleep
	mv	a1, a0
	la	a0, f_zero
	call	printf
	li	a0, -3
	call	sleep
	mv	a1, a0
	la	a0, f_neg
	call	printf
	la	a0, f_going
	call	printf
	li	a0, 3
	call	sleep
	mv	a1, a0
	la	a0, f_awake
	call	printf
	li	a0, 0
	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret
	.data
f_zero:	.asciz	"napper: sleep(0) = %d\n"
f_neg:	.asciz	"napper: sleep(-3) = %d\n"
f_going: .asciz	"napper: sleeping 3 ticks\n"
f_awake: .asciz	"napper: awake, sleep returned %d\n"
