# echo.s - copies the console's input to its output until the end of
# input, then says how much it copied.  read blocks this process (not the
# machine) until input arrives; it returns 0 at the end.

	.equ	BUFSIZE, 64

	.text
	.globl	main
main:
	addi	sp, sp, -8
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	li	s0, 0			# s0 = bytes copied
1:	li	a0, 0
	la	a1, buf
	li	a2, BUFSIZE
	call	read
	blez	a0, 2f
	add	s0, s0, a0
	mv	a2, a0
	li	a0, 1
	la	a1, buf
	call	write
	j	1b
2:	mv	a2, a0
	la	a0, s_end
	mv	a1, s0
	call	printf
	li	a0, 0
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	addi	sp, sp, 8
	ret

	.data
s_end:	.asciz	"echo: end of input after %d bytes (read returned %d)\n"

	.bss
buf:	.space	BUFSIZE
