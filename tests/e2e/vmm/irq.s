# irq.s - when interrupts are taken (ISA.md 8.3, 10.2, 10.3): the timer's
# latch tick, a pending line taken right after mtcr status sets IE, after
# mtcr imask unmasks it, after rfe restores IE; wfi with IE off (no trap,
# time jumps) and on; timecmp writes clearing the line; a timecmp already
# passed; the console line at the end of input (RXIE); the disk line for a
# bad request without a disk.  The log records icount at every entry.
# exit: 0
	.text
	.globl	_start
_start:
	la	t0, log_trap
	mtcr	tvec, t0
	la	s0, res
	li	s1, 0x1			# status: KM
	li	s2, 0x3			# status: KM | IE
	li	s3, 1			# imask: timer
	mtcr	imask, s3
	mtcr	status, s2

	# Latch at the tick of the mtcr itself (N = 3): taken before a1.
	mfcr	t0, icount
	addi	t0, t0, 3
	mtcr	timecmp, t0
a1:	addi	t1, zero, 1
	sw	t1, 0(s0)
	mtcr	timecmp, zero		# clear the line (the handler only masks)
	mtcr	imask, s3

	# N = 2: the count has passed; nothing pending (for 2^32 ticks).
	mfcr	t0, icount
	addi	t0, t0, 2
	mtcr	timecmp, t0
	nop
	nop
	mfcr	t2, ipend
	sw	t2, 4(s0)

	# Pending with IE = 0; taken right after mtcr status sets IE.
	mtcr	status, s1
	mtcr	imask, s3
	mfcr	t0, icount
	addi	t0, t0, 5
	mtcr	timecmp, t0
	nop
	nop
	nop
	nop
	mfcr	t2, ipend		# timer pending, not taken
	sw	t2, 8(s0)
	mtcr	status, s2		# taken before the next instruction
	addi	t1, zero, 2
	sw	t1, 12(s0)

	# Pending and IE = 1, masked; taken right after mtcr imask.
	mtcr	imask, zero
	mfcr	t0, icount
	addi	t0, t0, 4
	mtcr	timecmp, t0
	nop
	nop
	nop
	mtcr	imask, s3
	addi	t1, zero, 3
	sw	t1, 16(s0)

	# A timecmp write clears the line, even the same value.
	mtcr	status, s1
	mfcr	t0, icount
	addi	t0, t0, 4
	mtcr	timecmp, t0
	nop
	nop
	mfcr	t2, ipend
	sw	t2, 20(s0)
	mfcr	t0, timecmp
	mtcr	timecmp, t0
	mfcr	t2, ipend
	sw	t2, 24(s0)

	# rfe restoring IE = 1 with the line pending: taken at epc.
	mtcr	imask, s3
	mfcr	t0, icount
	addi	t0, t0, 4
	mtcr	timecmp, t0
	la	t1, a2
	mtcr	epc, t1
	li	t1, 0xd			# PIE, PKM, KM
	mtcr	status, t1
	rfe
a2:	addi	t1, zero, 4
	sw	t1, 28(s0)

	# wfi with IE = 0: sleeps to the latch, no trap, execution goes on.
	mtcr	status, s1
	mtcr	imask, s3
	mfcr	t0, icount
	li	t1, 1000
	add	t0, t0, t1
	mtcr	timecmp, t0
	wfi
	mfcr	t2, icount
	sw	t2, 32(s0)
	mfcr	t2, ipend
	sw	t2, 36(s0)
	# wfi with IE = 1: the interrupt is taken right after wfi retires.
	mfcr	t0, icount
	li	t1, 5000
	add	t0, t0, t1
	mtcr	timecmp, t0
	mtcr	status, s2
	wfi
	mtcr	status, s1
	mfcr	t2, icount
	sw	t2, 40(s0)
	# wfi with a line already pending: retires at once.
	mfcr	t0, icount
	addi	t0, t0, 3
	mtcr	timecmp, t0
	mtcr	imask, s3
	nop
	wfi
	mfcr	t2, icount
	sw	t2, 44(s0)
	mtcr	timecmp, zero

	# The console at the end of input (stdin is empty): RXIE raises it.
	li	t0, 2
	mtcr	imask, t0
	in	t2, 1(zero)		# status: RXEOF
	sw	t2, 48(s0)
	li	t0, 1
	out	t0, 2(zero)		# RXIE
	mfcr	t2, ipend
	sw	t2, 52(s0)
	mtcr	status, s2		# taken now
	mtcr	status, s1
	in	t2, 0(zero)		# no byte: -1
	sw	t2, 56(s0)
	out	zero, 2(zero)
	mfcr	t2, ipend
	sw	t2, 60(s0)

	# The disk: a request without a disk fails after the latency, DONE | ERROR.
	li	t0, 4
	mtcr	imask, t0
	li	t0, 1
	out	t0, 0x12(zero)		# count 1
	mfcr	t3, icount
	out	t0, 0x13(zero)		# read
	in	t2, 0x14(zero)		# busy
	sw	t2, 64(s0)
	out	t0, 0x13(zero)		# while busy: ERROR | DONE at once
	in	t2, 0x14(zero)
	sw	t2, 68(s0)
	out	zero, 0x14(zero)	# acknowledge
	wfi				# IE = 0: until completion
	mfcr	t2, icount
	sub	t2, t2, t3
	sw	t2, 72(s0)		# 1024 + the wfi's own tick + ...
	in	t2, 0x14(zero)
	sw	t2, 76(s0)
	mtcr	status, s2		# the disk line: taken now
	mtcr	status, s1
	out	zero, 0x14(zero)
	mfcr	t2, ipend
	sw	t2, 80(s0)

	la	t0, log_save
	lw	a0, 12(t0)
	addi	a0, a0, -7		# timer x5, console, disk
	out	a0, 0x20(zero)

	.data
res:	.space	128
	.include "log.inc"
