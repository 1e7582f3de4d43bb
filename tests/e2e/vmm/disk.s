# disk.s - the virtual disk through the guest's DMA window (ISA.md 11.3):
# reads and writes, requests that end past the guest's RAM or wrap around
# (ERROR, nothing transferred, exactly as on a machine with this much RAM),
# sectors past the end, a CMD while busy, and code loaded by DMA over a
# page that has already run (the machine's predecoded copy must go).
# Every status and the data read are checked here too: the exit code is
# the number of the first check that failed.  Needs the 16-sector disk of
# vmm_equiv.sh (the pattern "vmlab disk pattern 0123456789\n" repeated).
# exit: 0
	.text
	.globl	_start
_start:
	la	s0, res
	li	t0, 4
	mtcr	imask, t0		# disk; IE stays 0: wfi just waits
	in	s1, 0x21(zero)		# memsize
	in	a0, 0x15(zero)		# disk size: 8192 bytes
	sw	a0, 0(s0)
	li	a1, 16
	li	a2, 1
	call	expect

	li	a0, 1			# read sectors 1-2 into buf: done
	li	a1, 2
	la	a2, buf
	li	a3, 1
	call	disk
	sw	a0, 4(s0)
	li	a1, DONE
	li	a2, 2
	call	expect
	la	t0, buf			# the pattern at byte 512 and 1532:
	lw	a0, 0(t0)		# "lab " both times (period 30)
	sw	a0, 8(s0)
	li	a1, 0x2062616c
	li	a2, 3
	call	expect
	la	t0, buf
	lw	a0, 1020(t0)
	sw	a0, 12(s0)
	li	a1, 0x2062616c
	li	a2, 4
	call	expect

	li	a0, 0			# the last 512 bytes of RAM: fine
	li	a1, 1
	addi	a2, s1, -512
	li	a3, 1
	call	disk
	sw	a0, 16(s0)
	li	a1, DONE
	li	a2, 5
	call	expect
	li	a0, 0			# one byte over the end: error
	li	a1, 1
	addi	a2, s1, -511
	li	a3, 1
	call	disk
	sw	a0, 20(s0)
	li	a1, DONE | ERROR
	li	a2, 6
	call	expect
	li	a0, 0			# 2 sectors from the last 512 bytes
	li	a1, 2
	addi	a2, s1, -512
	li	a3, 1
	call	disk
	sw	a0, 24(s0)
	li	a1, DONE | ERROR
	li	a2, 7
	call	expect
	li	a0, 0			# wraps around 2^32
	li	a1, 1
	li	a2, 0xfffffe00
	li	a3, 1
	call	disk
	sw	a0, 28(s0)
	li	a1, DONE | ERROR
	li	a2, 8
	call	expect
	in	a0, 0x15(zero)		# past the end of the disk
	li	a1, 1
	la	a2, buf
	li	a3, 1
	call	disk
	sw	a0, 32(s0)
	li	a1, DONE | ERROR
	li	a2, 9
	call	expect
	li	a0, 0			# count 0
	li	a1, 0
	la	a2, buf
	li	a3, 1
	call	disk
	sw	a0, 36(s0)
	li	a1, DONE | ERROR
	li	a2, 10
	call	expect
	li	a0, 0			# command 3
	li	a1, 1
	la	a2, buf
	li	a3, 3
	call	disk
	sw	a0, 40(s0)
	li	a1, DONE | ERROR
	li	a2, 11
	call	expect

	# A CMD while busy: ERROR|DONE at once, and the request in flight
	# goes on and completes.
	li	t0, 3
	out	t0, 0x10(zero)
	la	t0, buf
	out	t0, 0x11(zero)
	li	t0, 1
	out	t0, 0x12(zero)
	out	t0, 0x13(zero)		# read sector 3
	out	t0, 0x13(zero)		# again, while busy
	in	a0, 0x14(zero)
	sw	a0, 44(s0)
	li	a1, BUSY | DONE | ERROR
	li	a2, 12
	call	expect
	out	zero, 0x14(zero)	# acknowledge: BUSY stays
	call	wait
	sw	a0, 48(s0)
	li	a1, DONE
	li	a2, 13
	call	expect

	# Code by DMA: run cpage (a0 = 1), write r2page to sectors 5-12,
	# read them back over cpage, run it again: the machine's predecoded
	# copy of cpage must go (a0 = 2).
	call	cpage
	sw	a0, 52(s0)
	li	a1, 1
	li	a2, 14
	call	expect
	li	a0, 5
	li	a1, 8
	la	a2, r2page
	li	a3, 2
	call	disk
	li	a1, DONE
	li	a2, 15
	call	expect
	li	a0, 5
	li	a1, 8
	la	a2, cpage
	li	a3, 1
	call	disk
	li	a1, DONE
	li	a2, 16
	call	expect
	call	cpage
	sw	a0, 56(s0)
	li	a1, 2
	li	a2, 17
	call	expect

	li	a0, 0
	out	a0, 0x20(zero)

	.equ	BUSY, 1
	.equ	DONE, 2
	.equ	ERROR, 4

# disk(a0 = sector, a1 = count, a2 = address, a3 = command) -> a0 = the
# status when the request has completed (acknowledged).
disk:	out	a0, 0x10(zero)
	out	a2, 0x11(zero)
	out	a1, 0x12(zero)
	out	a3, 0x13(zero)
	# fall through
# wait() -> a0 = the status once the disk is no longer busy, acknowledged.
wait:	wfi				# IE = 0: wakes when DONE rises
	in	a0, 0x14(zero)
	andi	t0, a0, BUSY
	bnez	t0, wait
	out	zero, 0x14(zero)
	ret

# expect(a0 = got, a1 = want, a2 = check number): power off with the
# check's number as the exit code if they differ.
expect:	beq	a0, a1, 1f
	out	a2, 0x20(zero)
1:	ret

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
