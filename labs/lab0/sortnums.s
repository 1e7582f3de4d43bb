# sortnums.s - lab 0's program (task 6): read integers from the console
# until the end of the input, then print them sorted, ascending, one per
# line, and a last line "sum: S" (S their sum, wrapping like the machine's
# add).  Power off with code 0.  At most MAXN numbers; more are read and
# summed but not kept.  Linked with lab0.s, whose routines it uses:
#
#   pg32-as -o sortnums.elf labs/lab0/sortnums.s labs/lab0/lab0.s
#   echo 3 1 2 | vmlab run --bare sortnums.elf        # 1 2 3 sum: 6

	.equ	POWER, 0x20
	.equ	MAXN, 1000

	.text
	.globl	_start
_start:
# LAB0 BEGIN: the program: read_int, isort, print_int together (task 6)
	la	s0, nums		# s0 = next free slot
	li	s1, 0			# s1 = the sum
	la	s2, nums + 4 * MAXN	# s2 = end of the array
1:	call	read_int
	beqz	a1, 2f
	add	s1, s1, a0
	beq	s0, s2, 1b		# full: summed, not kept
	sw	a0, 0(s0)
	addi	s0, s0, 4
	j	1b
2:	la	a0, nums
	sub	a1, s0, a0
	srli	a1, a1, 2
	call	isort
	la	s3, nums
3:	beq	s3, s0, 4f
	lw	a0, 0(s3)
	call	print_int
	li	a0, 10
	call	putc
	addi	s3, s3, 4
	j	3b
4:	la	s3, s_sum
5:	lbu	a0, 0(s3)
	beqz	a0, 6f
	call	putc
	addi	s3, s3, 1
	j	5b
6:	mv	a0, s1
	call	print_int
	li	a0, 10
	call	putc
	out	zero, POWER(zero)

	.data
s_sum:	.asciz	"sum: "
	.bss
	.align	4
nums:	.space	4 * MAXN
# LAB0 STUB
#	la	a0, n_sortnums
#	j	lab0_todo
#	.data
#n_sortnums:	.asciz	"sortnums"
# LAB0 END
