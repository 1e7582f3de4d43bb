# badptr.s - hands the kernel bad arguments.  Each call must fail with an
# error code, and the process must live on.

	.equ	SYS_BOGUS, 99

	.text
	.globl	main
main:
	addi	sp, sp, -4
	sw	ra, 0(sp)

	li	a0, 1			# a pointer into the kernel
	li	a1, 0x1000
	li	a2, 4
	call	write
	mv	a1, a0
	la	a0, s_kernel
	call	printf

	li	a0, 1			# a pointer to nothing
	li	a1, 0x50000000
	li	a2, 4
	call	write
	mv	a1, a0
	la	a0, s_unmapped
	call	printf

	li	a0, 1			# a buffer running off the end of user space
	li	a1, 0x7ffffff0
	li	a2, 32
	call	write
	mv	a1, a0
	la	a0, s_wrap
	call	printf

	li	a0, 0			# reading into read-only text
	la	a1, main
	li	a2, 4
	call	read
	mv	a1, a0
	la	a0, s_text
	call	printf

	li	a0, 7			# no such file descriptor
	la	a1, s_kernel
	li	a2, 4
	call	write
	mv	a1, a0
	la	a0, s_fd
	call	printf

	li	a0, 1			# a negative length
	la	a1, s_kernel
	li	a2, -1
	call	write
	mv	a1, a0
	la	a0, s_len
	call	printf

	li	t0, SYS_BOGUS		# no such system call
	syscall
	mv	a1, a0
	la	a0, s_nosys
	call	printf

	la	a0, s_alive
	call	printf
	li	a0, 0
	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret

	.data
s_kernel:	.asciz	"badptr: write(1, 0x00001000, 4) = %d\n"
s_unmapped:	.asciz	"badptr: write(1, 0x50000000, 4) = %d\n"
s_wrap:		.asciz	"badptr: write(1, 0x7ffffff0, 32) = %d\n"
s_text:		.asciz	"badptr: read(0, main, 4) = %d\n"
s_fd:		.asciz	"badptr: write(7, ...) = %d\n"
s_len:		.asciz	"badptr: write(1, ..., -1) = %d\n"
s_nosys:	.asciz	"badptr: syscall 99 = %d\n"
s_alive:	.asciz	"badptr: still alive\n"
