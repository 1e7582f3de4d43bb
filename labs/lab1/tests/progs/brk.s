# brk.s - executes `break`: killed, break at its pc.
	.text
	.globl	main, bad
main:	nop
bad:	break
	li	a0, 0
	ret
