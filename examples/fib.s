# fib.s - print the first 20 Fibonacci numbers, one per line, in decimal.
#
# Shows the calling convention: arguments in a0-a3, return address in ra,
# t0-t3 free for the callee, s0-s3 preserved by it (so a callee that uses
# them, or that calls others, saves them on the stack).  sp starts at the
# top of RAM and grows down.
#
# Expected output: 0 1 1 2 3 5 ... 4181, one number per line.

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

	.include "console.inc"
