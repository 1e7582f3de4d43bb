# lab0.s - lab 0's routines: the ones you write are marked "LAB0 BEGIN".
#
# Every routine is a function of the calling convention (isa/ISA.md,
# section 2.2): arguments in a0-a3, the result in a0 (and a1), ra the
# return address; t0-t3, a0-a3 and ra are yours to change; s0-s3, gp and
# sp must hold on return what they held at the call; the stack grows down
# and nothing at or above the caller's sp may change.  The tests call each
# routine from a harness that checks all of that.
#
# The program runs bare: kernel mode, paging and interrupts off, so `in`
# and `out` reach the devices (ISA.md, section 11).

	.equ	CONS_DATA, 0x00		# w: send the low byte; r: the next input
					#    byte, or -1 (0xffffffff) if none waits
	.equ	CONS_STATUS, 0x01	# r: bit 0 RXREADY, bit 2 RXEOF
	.equ	CONS_RXEOF, 0x4		# the input is closed and fully read
	.equ	POWER, 0x20		# w: power off, exit code = value & 0xff

	.text
	.globl	putc, strlen, print_int, isort, binom, read_int, lab0_todo

# putc(a0 = byte): write one byte to the console (given).
putc:
	out	a0, CONS_DATA(zero)
	ret

# lab0_todo(a0 = routine name): what a routine not written yet does: say
# so and power off with code 99 (given).
lab0_todo:
	mv	t0, a0
	la	a0, s_lab0
	call	1f
	mv	a0, t0
	call	1f
	la	a0, s_todo
	call	1f
	li	t0, 99
	out	t0, POWER(zero)
1:	lbu	t1, 0(a0)		# write the string at a0 (t0 kept)
	beqz	t1, 2f
	out	t1, CONS_DATA(zero)
	addi	a0, a0, 1
	j	1b
2:	ret

# strlen(a0 = NUL-terminated string) -> a0 = its length in bytes, the NUL
# not counted.  Any alignment.
strlen:
# LAB0 BEGIN: strlen, a leaf function (task 1)
	mv	t0, a0
1:	lbu	t1, 0(t0)
	beqz	t1, 2f
	addi	t0, t0, 1
	j	1b
2:	sub	a0, t0, a0
	ret
# LAB0 STUB
#	la	a0, n_strlen
#	j	lab0_todo
# LAB0 END

# print_int(a0 = signed 32-bit value): write it in decimal, with a '-'
# first if it is negative, no newline.  All of -2147483648..2147483647.
print_int:
# LAB0 BEGIN: print_int, digits on the stack (task 2)
	bgez	a0, 1f
	li	t0, 45			# '-'
	out	t0, CONS_DATA(zero)
	neg	a0, a0			# -(-2^31) is 2^31: right when read unsigned
1:	addi	sp, sp, -12		# up to 10 digits, least significant first
	mv	t0, sp
	li	t2, 10
2:	remu	t1, a0, t2
	addi	t1, t1, 48		# '0'
	sb	t1, 0(t0)
	addi	t0, t0, 1
	divu	a0, a0, t2
	bnez	a0, 2b
3:	addi	t0, t0, -1		# and out, most significant first
	lbu	t1, 0(t0)
	out	t1, CONS_DATA(zero)
	bne	t0, sp, 3b
	addi	sp, sp, 12
	ret
# LAB0 STUB
#	la	a0, n_print_int
#	j	lab0_todo
# LAB0 END

# isort(a0 = array of signed words, a1 = count): sort the array in place,
# ascending, by insertion sort.  count may be 0.  Nothing outside the
# array changes.
isort:
# LAB0 BEGIN: isort, nested loops over memory (task 3)
	li	t0, 1			# t0 = i: a[0..i-1] is sorted
1:	bge	t0, a1, 4f
	slli	t1, t0, 2
	add	t1, t1, a0		# t1 = &a[j], j = i
	lw	t2, 0(t1)		# t2 = the value to insert
2:	beq	t1, a0, 3f		# j == 0
	lw	t3, -4(t1)
	ble	t3, t2, 3f		# a[j-1] <= value: its place
	sw	t3, 0(t1)		# shift a[j-1] up
	addi	t1, t1, -4
	j	2b
3:	sw	t2, 0(t1)
	addi	t0, t0, 1
	j	1b
4:	ret
# LAB0 STUB
#	la	a0, n_isort
#	j	lab0_todo
# LAB0 END

# binom(a0 = n, a1 = k) -> a0 = C(n, k), computed by the recursion
#   C(n, k) = 1 if k == 0 or k == n;  0 if k > n;
#   C(n, k) = C(n-1, k-1) + C(n-1, k) otherwise,
# with two recursive calls, not a formula.  0 <= k, n <= 24.
binom:
# LAB0 BEGIN: binom, a recursive function with a stack frame (task 4)
	beqz	a1, 1f
	beq	a1, a0, 1f
	bgtu	a1, a0, 2f
	addi	sp, sp, -16
	sw	ra, 12(sp)
	sw	s0, 8(sp)
	sw	s1, 4(sp)
	sw	s2, 0(sp)
	addi	s0, a0, -1		# s0 = n - 1
	mv	s1, a1			# s1 = k
	mv	a0, s0
	addi	a1, s1, -1
	call	binom
	mv	s2, a0			# s2 = C(n-1, k-1)
	mv	a0, s0
	mv	a1, s1
	call	binom
	add	a0, a0, s2
	lw	s2, 0(sp)
	lw	s1, 4(sp)
	lw	s0, 8(sp)
	lw	ra, 12(sp)
	addi	sp, sp, 16
	ret
1:	li	a0, 1
	ret
2:	li	a0, 0
	ret
# LAB0 STUB
#	la	a0, n_binom
#	j	lab0_todo
# LAB0 END

# read_int() -> a0 = the next integer of the console input, a1 = 1; or
# a1 = 0 (a0 = 0) at the end of the input.  The input is decimal integers,
# each an optional '-' and digits, separated by blanks (space, tab, CR,
# newline).  Skips the blanks before the number and consumes the one
# character after it.  Polls: a read of CONS_DATA gives -1 while no byte
# waits; then CONS_STATUS says whether one ever will (RXEOF).
read_int:
# LAB0 BEGIN: read_int, polling the console (task 5)
	addi	sp, sp, -4
	sw	ra, 0(sp)
1:	call	getc			# skip blanks
	bltz	a0, 6f
	li	t0, 32
	bleu	a0, t0, 1b		# space, tab, CR, newline (all <= ' ')
	li	a1, 0			# a1 = the value, t3 = 1 if negative
	li	t3, 0
	li	t0, 45			# '-'
	bne	a0, t0, 3f
	li	t3, 1
2:	call	getc
3:	addi	t0, a0, -48		# a digit?
	li	t1, 10
	bgeu	t0, t1, 4f		# no (also for -1, the end)
	li	t1, 10
	mul	a1, a1, t1
	add	a1, a1, t0
	j	2b
4:	mv	a0, a1
	beqz	t3, 5f
	neg	a0, a0
5:	li	a1, 1
	j	7f
6:	li	a0, 0
	li	a1, 0
7:	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret

# getc() -> a0 = the next input byte, or -1 at the end of the input.
# Leaves a1 and t3 alone.
getc:
	in	a0, CONS_DATA(zero)
	bgez	a0, 2f
	in	t0, CONS_STATUS(zero)	# nothing now; ever?
	andi	t0, t0, CONS_RXEOF
	beqz	t0, getc
2:	ret
# LAB0 STUB
#	la	a0, n_read_int
#	j	lab0_todo
# LAB0 END

	.data
s_lab0:		.asciz	"lab0: "
s_todo:		.asciz	" not implemented\n"
n_strlen:	.asciz	"strlen"
n_print_int:	.asciz	"print_int"
n_isort:	.asciz	"isort"
n_binom:	.asciz	"binom"
n_read_int:	.asciz	"read_int"
