# dma.s - the disk's DMA bounds to the byte, and interrupt priority.
# Prints one letter per step, a newline, and powers off with 0:
#   1. sector 0 into the last 512 bytes of RAM: 'D' (done, no error),
#      then 'Y' if the data arrived ('N' if not)
#   2. the same one byte further (ends past RAM): 'E' (error)
#   3. two sectors from the last 512 bytes: 'E'
#   4. the timer and the disk line pending together, IE set: the timer
#      (the lowest line) is taken first: 'T' ('K' for the disk)
	.equ	POWER, 0x20
	.text
	.globl	_start
_start:
	in	s1, 0x21(zero)		# memsize
	li	a0, 0
	li	a1, 1
	addi	a2, s1, -512
	call	disk
	call	show
	addi	t0, s1, -512
	lw	t1, 0(t0)
	li	a0, 0x4e		# 'N'
	beqz	t1, 1f
	li	a0, 0x59		# 'Y'
1:	out	a0, 0(zero)
	li	a0, 0
	li	a1, 1
	addi	a2, s1, -511
	call	disk
	call	show
	li	a0, 0
	li	a1, 2
	addi	a2, s1, -512
	call	disk
	call	show

	la	t0, handler
	mtcr	tvec, t0
	li	t0, 5			# timer | disk, IE still 0
	mtcr	imask, t0
	li	t0, 0
	out	t0, 0x10(zero)		# a read of sector 0 into buf
	la	t0, buf
	out	t0, 0x11(zero)
	li	t0, 1
	out	t0, 0x12(zero)
	out	t0, 0x13(zero)
	mfcr	t0, icount
	addi	t0, t0, 100
	mtcr	timecmp, t0		# the timer long before the disk
	li	t2, 5
2:	mfcr	t1, ipend		# wait for both lines
	bne	t1, t2, 2b
	li	t0, 3			# KM | IE: one of them is taken now
	mtcr	status, t0
	li	a0, 0x3f		# '?': none was
	out	a0, 0(zero)
	j	handler

handler:
	mfcr	t0, cause
	li	a0, 0x54		# 'T'
	li	t1, 16
	beq	t0, t1, 1f
	li	a0, 0x4b		# 'K'
1:	out	a0, 0(zero)
	li	a0, 10
	out	a0, 0(zero)
	li	a0, 0
	out	a0, POWER(zero)

# disk(a0 = sector, a1 = count, a2 = address) -> a0 = status, polled
disk:	out	a0, 0x10(zero)
	out	a2, 0x11(zero)
	out	a1, 0x12(zero)
	li	t0, 1
	out	t0, 0x13(zero)
1:	in	a0, 0x14(zero)
	andi	t0, a0, 2
	beqz	t0, 1b
	out	zero, 0x14(zero)
	ret

# show(a0 = status): 'E' if ERROR, else 'D'
show:	andi	t0, a0, 4
	li	a0, 0x44
	beqz	t0, 1f
	li	a0, 0x45
1:	out	a0, 0(zero)
	ret

	.data
	.align	512
buf:	.space	512
