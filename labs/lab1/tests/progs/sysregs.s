# sysregs.s - a system call changes a0 and nothing else, and resumes after
# the syscall instruction; bad numbers give -ENOSYS (-1).  Exits with the
# number of registers that changed (0 is right) after printing nothing:
# the kernel's exit line is the whole story.  Uses only unknown call
# numbers, which never reach a handler: the dispatch alone.
	.text
	.globl	main
main:	addi	sp, sp, -24
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	sw	s1, 8(sp)
	sw	s2, 12(sp)
	sw	s3, 16(sp)
	sw	gp, 20(sp)
	la	t0, saved
	sw	sp, 0(t0)
	li	ra, 0x01010101
	li	gp, 0x03030303
	li	a1, 0x05050505
	li	a2, 0x06060606
	li	a3, 0x07070707
	li	t1, 0x09090909
	li	t2, 0x0a0a0a0a
	li	t3, 0x0b0b0b0b
	li	s0, 0x0c0c0c0c
	li	s1, 0x0d0d0d0d
	li	s2, 0x0e0e0e0e
	li	s3, 0x0f0f0f0f
	li	t0, 99
	syscall
	la	t0, after		# what the registers hold now
	sw	ra, 4(t0)
	sw	sp, 8(t0)
	sw	gp, 12(t0)
	sw	a0, 16(t0)
	sw	a1, 20(t0)
	sw	a2, 24(t0)
	sw	a3, 28(t0)
	sw	t1, 36(t0)
	sw	t2, 40(t0)
	sw	t3, 44(t0)
	sw	s0, 48(t0)
	sw	s1, 52(t0)
	sw	s2, 56(t0)
	sw	s3, 60(t0)
	la	t0, saved
	lw	sp, 0(t0)
	la	t1, want		# sp must come back as it was
	sw	sp, 8(t1)
	li	s0, 0			# s0 = registers that differ
	la	t0, after
	la	t1, want
	li	t2, 16
1:	lw	t3, 0(t0)
	lw	a0, 0(t1)
	beq	t3, a0, 2f
	addi	s0, s0, 1
2:	addi	t0, t0, 4
	addi	t1, t1, 4
	addi	t2, t2, -1
	bnez	t2, 1b
	li	t0, 7			# the first number past the table
	syscall
	li	t1, -1
	beq	a0, t1, 3f
	addi	s0, s0, 16
3:	li	t0, -1			# 0xffffffff: unsigned, far past it
	syscall
	li	t1, -1
	beq	a0, t1, 4f
	addi	s0, s0, 32
4:	mv	a0, s0
	lw	ra, 0(sp)
	lw	s1, 8(sp)
	lw	s2, 12(sp)
	lw	s3, 16(sp)
	lw	gp, 20(sp)
	lw	s0, 4(sp)
	addi	sp, sp, 24
	ret

	.data
	.align	4
saved:	.word	0
after:	.space	64
want:	.word	0, 0x01010101, 0, 0x03030303, -1, 0x05050505, 0x06060606, 0x07070707
	.word	0, 0x09090909, 0x0a0a0a0a, 0x0b0b0b0b, 0x0c0c0c0c, 0x0d0d0d0d, 0x0e0e0e0e, 0x0f0f0f0f
