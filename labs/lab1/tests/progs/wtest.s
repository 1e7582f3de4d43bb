# wtest.s - write() with good and bad arguments; prints "wtest: CALL = R"
# for each (printf itself writes, so a broken write shows as silence).
	.text
	.globl	main
main:	addi	sp, sp, -16
	sw	ra, 0(sp)
	sw	s0, 4(sp)

	li	a0, 1			# the plain case
	la	a1, s_hello
	li	a2, 6
	call	write
	mv	a1, a0
	la	a0, f_hello
	call	printf

	li	a0, 2			# fd 2 is the console too
	la	a1, s_err
	li	a2, 4
	call	write
	mv	a1, a0
	la	a0, f_err
	call	printf

	li	a0, 1			# nothing to write
	la	a1, s_hello
	li	a2, 0
	call	write
	mv	a1, a0
	la	a0, f_zero
	call	printf

	li	a0, 1			# a buffer across a page boundary
	la	a1, s_cross
	li	a2, 12
	call	write
	mv	a1, a0
	la	a0, f_cross
	call	printf

	li	a0, 1			# a buffer on the stack
	li	t0, 0x0a6b7473		# "stk\n"
	sw	t0, 8(sp)
	addi	a1, sp, 8
	li	a2, 4
	call	write
	mv	a1, a0
	la	a0, f_stack
	call	printf

	la	s0, bss_end		# the last 4 bytes of the last data page:
	li	t0, 4095		# the heap is empty, the next page unmapped
	add	s0, s0, t0
	li	t0, ~4095
	and	s0, s0, t0
	addi	s0, s0, -4
	li	t0, 0x0a646e65		# "end\n"
	sw	t0, 0(s0)
	li	a0, 1
	mv	a1, s0
	li	a2, 4
	call	write
	mv	a1, a0
	la	a0, f_last
	call	printf
	li	a0, 1			# ... and 4 bytes more: not all mapped
	mv	a1, s0
	li	a2, 8
	call	write
	mv	a1, a0
	la	a0, f_past
	call	printf

	li	a0, 7			# bad fds
	la	a1, s_hello
	li	a2, 6
	call	write
	mv	a1, a0
	la	a0, f_fd7
	call	printf
	li	a0, 0
	la	a1, s_hello
	li	a2, 6
	call	write
	mv	a1, a0
	la	a0, f_fd0
	call	printf

	li	a0, 1			# a negative length
	la	a1, s_hello
	li	a2, -1
	call	write
	mv	a1, a0
	la	a0, f_neg
	call	printf

	li	a0, 1			# the kernel's memory
	li	a1, 0x1000
	li	a2, 4
	call	write
	mv	a1, a0
	la	a0, f_kern
	call	printf

	li	a0, 1			# unmapped user memory
	li	a1, 0x50000000
	li	a2, 4
	call	write
	mv	a1, a0
	la	a0, f_unmap
	call	printf

	li	a0, 1			# past the end of user space
	li	a1, 0x7ffffff0
	li	a2, 32
	call	write
	mv	a1, a0
	la	a0, f_top
	call	printf

	li	a0, 1			# wrapping around 2^32
	li	a1, 0xfffffff0
	li	a2, 0x20
	call	write
	mv	a1, a0
	la	a0, f_wrap
	call	printf

	la	a0, f_alive
	call	printf
	li	a0, 0
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	addi	sp, sp, 16
	ret

	.data
s_hello: .ascii	"hello\n"
s_err:	.ascii	"err\n"
f_hello: .asciz	"wtest: write(1, \"hello\\n\", 6) = %d\n"
f_err:	.asciz	"wtest: write(2, \"err\\n\", 4) = %d\n"
f_zero:	.asciz	"wtest: write(1, buf, 0) = %d\n"
f_cross: .asciz	"wtest: write across a page boundary = %d\n"
f_stack: .asciz	"wtest: write from the stack = %d\n"
f_last:	.asciz	"wtest: write of the last 4 mapped bytes = %d\n"
f_past:	.asciz	"wtest: write of 8 bytes, 4 of them unmapped = %d\n"
f_fd7:	.asciz	"wtest: write(7, ...) = %d\n"
f_fd0:	.asciz	"wtest: write(0, ...) = %d\n"
f_neg:	.asciz	"wtest: write(1, buf, -1) = %d\n"
f_kern:	.asciz	"wtest: write(1, 0x00001000, 4) = %d\n"
f_unmap: .asciz	"wtest: write(1, 0x50000000, 4) = %d\n"
f_top:	.asciz	"wtest: write(1, 0x7ffffff0, 32) = %d\n"
f_wrap:	.asciz	"wtest: write(1, 0xfffffff0, 32) = %d\n"
f_alive: .asciz	"wtest: still alive\n"
	.balign	4096			# s_cross: 6 bytes on one page, 6 on the next
	.space	4090
s_cross: .ascii	"page-cross!\n"
	.bss
	.align	4
	.space	16
bss_end:
