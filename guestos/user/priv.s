# priv.s - tries to power the machine off with `out`, a privileged
# instruction: killed with privileged.

	.equ	POWER, 0x20

	.text
	.globl	main
main:
	addi	sp, sp, -4
	sw	ra, 0(sp)
	la	a0, s_try
	call	printf
	out	zero, POWER(zero)	# the kernel kills us here
	la	a0, s_alive
	call	printf
	li	a0, 1
	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret

	.data
s_try:	.asciz	"priv: trying to power the machine off\n"
s_alive: .asciz	"priv: still alive?\n"
