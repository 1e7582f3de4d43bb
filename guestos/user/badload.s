# badload.s - loads from an address nothing is mapped at: killed with
# pf-load.

	.equ	NOWHERE, 0x60000000	# between the heap and the stack

	.text
	.globl	main
main:
	addi	sp, sp, -4
	sw	ra, 0(sp)
	la	a0, s_try
	li	a1, NOWHERE
	call	printf
	li	t0, NOWHERE
	lw	t1, 0(t0)		# the kernel kills us here
	la	a0, s_alive
	call	printf
	li	a0, 1
	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret

	.data
s_try:	.asciz	"badload: reading %x\n"
s_alive: .asciz	"badload: still alive?\n"
