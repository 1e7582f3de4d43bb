# sieve.s - the sieve of Eratosthenes up to N = 10000.
#
# composite[i] (one byte per number, in .bss, which the loader zero-fills)
# is set for every multiple of each prime p, starting at p*p.  Then the
# program counts the numbers left unmarked in 2..N and prints the last five.
#
# Expected output:
#   primes up to 10000: 1229
#   last five: 9931 9941 9949 9967 9973

	.equ	N, 10000
	.equ	LAST, 5

	.text
	.globl	_start
_start:
	la	s0, composite
	li	s1, N
	li	t1, 1				# marker byte

	# Mark: for p = 2 while p*p <= N, if p is prime, every p*k, k >= p.
	li	t0, 2				# t0 = p
1:	mul	t2, t0, t0			# t2 = p*p, the first multiple to mark
	bgt	t2, s1, 4f
	add	t3, s0, t0
	lbu	t3, 0(t3)
	bnez	t3, 3f				# p is composite: its multiples are marked
2:	add	t3, s0, t2
	sb	t1, 0(t3)
	add	t2, t2, t0
	ble	t2, s1, 2b
3:	addi	t0, t0, 1
	j	1b

	# Count the primes in 2..N.
4:	li	s2, 0				# s2 = count
	li	t0, 2
5:	add	t3, s0, t0
	lbu	t3, 0(t3)
	bnez	t3, 6f
	addi	s2, s2, 1
6:	addi	t0, t0, 1
	ble	t0, s1, 5b

	la	a0, s_count
	call	puts
	mv	a0, s2
	call	print_dec
	li	a0, 10				# '\n'
	call	putc

	# Walk down from N to the LAST-th prime from the end...
	mv	s2, s1
	li	s3, LAST
7:	add	t3, s0, s2
	lbu	t3, 0(t3)
	bnez	t3, 8f
	addi	s3, s3, -1
	beqz	s3, 9f
8:	addi	s2, s2, -1
	j	7b

	# ...then print every prime from there up to N.
9:	la	a0, s_last
	call	puts
10:	add	t3, s0, s2
	lbu	t3, 0(t3)
	bnez	t3, 11f
	li	a0, 32				# ' '
	call	putc
	mv	a0, s2
	call	print_dec
11:	addi	s2, s2, 1
	ble	s2, s1, 10b
	li	a0, 10
	call	putc
	out	zero, POWER(zero)

	.data
s_count: .asciz	"primes up to 10000: "
s_last:	 .asciz	"last five:"

	.bss
composite:
	.space	N + 1

	.include "console.inc"
