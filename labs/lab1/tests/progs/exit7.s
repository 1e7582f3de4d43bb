# exit7.s - returns 7 from main: one system call, exit(7).
	.text
	.globl	main
main:	li	a0, 7
	ret
