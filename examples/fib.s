# fib.s - print the first 20 Fibonacci numbers, one per line, in decimal.
#
# Shows the calling convention: arguments in a0-a3, return address in ra,
# t0-t3 free for the callee, s0-s3 preserved by it (so a callee that uses
# them, or that calls others, saves them on the stack).  sp starts at the
# top of RAM and grows down.
#
# Expected output: 0 1 1 2 3 5 ... 4181, one number per line.

	.equ	CONS_DATA, 0x00
	.equ	POWER, 0x20
	.equ	COUNT, 20

	.text
	.globl	_start
_start:
	li	s0, 0			# fib(i)
	li	s1, 1			# fib(i + 1)
	li	s2, COUNT		# numbers left to print
1:	mv	a0, s0
	call	print_dec
	li	a0, 10			# '\n'
	call	putc
	add	t0, s0, s1		# (fib(i), fib(i+1)) <- (fib(i+1), fib(i+2))
	mv	s0, s1
	mv	s1, t0
	addi	s2, s2, -1
	bnez	s2, 1b
	out	zero, POWER(zero)

# putc(a0 = byte): write one byte to the console.
putc:
	out	a0, CONS_DATA(zero)
	ret

# print_dec(a0 = unsigned value): write a0 in decimal, no newline.
# The digits come out least significant first, so they are collected in a
# buffer on the stack and written from the end.  Uses t0-t3 only.
print_dec:
	addi	sp, sp, -16		# 10 digits fit in 2^32
	mv	t0, sp			# t0 = next free digit slot
	li	t2, 10
1:	remu	t1, a0, t2
	addi	t1, t1, 48		# '0'
	sb	t1, 0(t0)
	addi	t0, t0, 1
	divu	a0, a0, t2
	bnez	a0, 1b
2:	addi	t0, t0, -1		# write them back, most significant first
	lbu	t1, 0(t0)
	out	t1, CONS_DATA(zero)
	bne	t0, sp, 2b
	addi	sp, sp, 16
	ret
