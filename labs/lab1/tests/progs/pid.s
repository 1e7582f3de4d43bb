# pid.s - exits with its pid as the status.
	.text
	.globl	main
main:	addi	sp, sp, -4
	sw	ra, 0(sp)
	call	getpid
	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret
