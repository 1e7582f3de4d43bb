# disk.s - the virtual disk through the guest's DMA window (ISA.md 11.3):
# reads and writes, requests that end past the guest's RAM or wrap around
# (ERROR, nothing transferred, exactly as on a machine with this much RAM),
# sectors past the end, a CMD while busy, and code loaded by DMA over a
# page that has already run (the machine's predecoded copy must go).
# Needs a disk of at least 8 sectors; sector 1 must hold data.
# exit: 0
	.text
	.globl	_start
_start:
	la	s0, res
	li	t0, 4
	mtcr	imask, t0		# disk; IE stays 0: wfi just waits
	in	s1, 0x21(zero)		# memsize
	in	t1, 0x15(zero)		# disk size
	sw	t1, 0(s0)

	li	a0, 1			# read sectors 1-2 into buf
	li	a1, 2
	la	a2, buf
	li	a3, 1
	call	disk
	sw	a0, 4(s0)
	la	t0, buf
	lw	t1, 0(t0)
	sw	t1, 8(s0)
	lw	t1, 1020(t0)
	sw	t1, 12(s0)

	li	a0, 0			# the last 512 bytes of RAM: fine
	li	a1, 1
	addi	a2, s1, -512
	li	a3, 1
	call	disk
	sw	a0, 16(s0)
	li	a0, 0			# one byte over the end: error
	li	a1, 1
	addi	a2, s1, -511
	li	a3, 1
	call	disk
	sw	a0, 20(s0)
	li	a0, 0			# 2 sectors from the last 512 bytes
	li	a1, 2
	addi	a2, s1, -512
	li	a3, 1
	call	disk
	sw	a0, 24(s0)
	li	a0, 0			# wraps around 2^32
	li	a1, 1
	li	a2, 0xfffffe00
	li	a3, 1
	call	disk
	sw	a0, 28(s0)
	in	a0, 0x15(zero)		# past the end of the disk
	li	a1, 1
	la	a2, buf
	li	a3, 1
	call	disk
	sw	a0, 32(s0)
	li	a0, 0			# count 0
	li	a1, 0
	la	a2, buf
	li	a3, 1
	call	disk
	sw	a0, 36(s0)
	li	a0, 0			# command 3
	li	a1, 1
	la	a2, buf
	li	a3, 3
	call	disk
	sw	a0, 40(s0)

	# Code by DMA: run cpage (a0 = 1), write r2's page to sector 5,
	# read it back over cpage, run it again (a0 = 2).
	call	cpage
	sw	a0, 44(s0)
	li	a0, 5
	li	a1, 8
	la	a2, r2page
	li	a3, 2
	call	disk
	li	a0, 5
	li	a1, 8
	la	a2, cpage
	li	a3, 1
	call	disk
	call	cpage
	sw	a0, 48(s0)

	li	a0, 0
	out	a0, 0x20(zero)

# disk(a0 = sector, a1 = count, a2 = address, a3 = command) -> a0 = status
disk:	out	a0, 0x10(zero)
	out	a2, 0x11(zero)
	out	a1, 0x12(zero)
	out	a3, 0x13(zero)
	out	a3, 0x13(zero)		# while busy: error at once, request goes on
	wfi
	in	a0, 0x14(zero)
	out	zero, 0x14(zero)
	ret

	.align	4096
cpage:	li	a0, 1
	ret
	.align	4096
r2page:	li	a0, 2
	ret
	.align	4096

	.data
res:	.space	64
	.align	512
buf:	.space	1024
