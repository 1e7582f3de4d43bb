# wrtext.s - stores into its own text, which is mapped read-only: killed
# with pf-store-prot.

	.text
	.globl	main
main:
	addi	sp, sp, -4
	sw	ra, 0(sp)
	la	a0, s_try
	la	a1, _start		# the first byte of text, USER_BASE
	call	printf
	la	t0, _start
	sw	zero, 0(t0)		# the kernel kills us here
	la	a0, s_alive
	call	printf
	li	a0, 1
	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret

	.data
s_try:	.asciz	"wrtext: writing to my own text at %x\n"
s_alive: .asciz	"wrtext: still alive?\n"
