# hello.s - the smallest user program: greet, exit 0.

	.text
	.globl	main
main:
	addi	sp, sp, -4
	sw	ra, 0(sp)
	call	getpid
	mv	a1, a0
	la	a0, s_hello
	call	printf
	li	a0, 0
	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret

	.data
s_hello: .asciz	"hello: hello, world, from pid %d\n"
