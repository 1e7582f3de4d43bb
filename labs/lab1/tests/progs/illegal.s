# illegal.s - executes a word that is no instruction: killed, illegal at its pc.
	.text
	.globl	main, bad
main:	nop
bad:	.word	0xffffffff
	li	a0, 0
	ret
