# cr.s - every control register through mfcr/mtcr in kernel mode: write
# masks, read-only registers, side effects; every port with in and out,
# unassigned ports (bus); tlbflush/tlbinv with paging off; leaving kernel
# mode by mtcr status; rfe in kernel mode; an undefined cr number.
# exit: 0
	.text
	.globl	_start
_start:
	la	t0, log_trap
	mtcr	tvec, t0
	la	s0, res
	li	t1, -1
	# Write all ones, read back, write zero, read back.
	mtcr	epc, t1
	mfcr	t2, epc
	sw	t2, 0(s0)
	mtcr	cause, t1
	mfcr	t2, cause
	sw	t2, 4(s0)
	mtcr	badva, t1
	mfcr	t2, badva
	sw	t2, 8(s0)
	mtcr	scratch, t1
	mfcr	t2, scratch
	sw	t2, 12(s0)
	mtcr	ipend, t1		# read-only: ignored
	mfcr	t2, ipend
	sw	t2, 16(s0)
	mtcr	imask, t1
	mfcr	t2, imask
	sw	t2, 20(s0)
	mtcr	imask, zero
	mtcr	timecmp, t1
	mfcr	t2, timecmp
	sw	t2, 24(s0)
	mtcr	icount, t1		# read-only: ignored
	mfcr	t2, icount
	sw	t2, 28(s0)
	mfcr	t3, icount		# one tick later
	sub	t3, t3, t2
	sw	t3, 32(s0)
	li	t1, 0xfffff000		# ptb without PG: paging stays off
	mtcr	ptb, t1
	mfcr	t2, ptb
	sw	t2, 36(s0)
	li	t1, 0xffe
	mtcr	ptb, t1
	mfcr	t2, ptb
	sw	t2, 40(s0)
	li	t1, 0xfffffff5		# status: KM, PKM (IE off, imask 0)
	mtcr	status, t1
	mfcr	t2, status
	sw	t2, 44(s0)
	li	t1, 0x7
	mtcr	tvec, t1		# tvec drops bits 1:0
	mfcr	t2, tvec
	sw	t2, 48(s0)
	la	t0, log_trap
	mtcr	tvec, t0
	mtcr	cause, zero
	mtcr	badva, zero
	mtcr	scratch, zero

	# Ports: every assigned one read, then the unassigned ones.
	addi	s0, s0, 64
	in	t2, 0(zero)
	sw	t2, 0(s0)
	in	t2, 1(zero)
	sw	t2, 4(s0)
	in	t2, 2(zero)
	sw	t2, 8(s0)
	li	t1, 0x10
	out	t1, 0x10(zero)
	out	t1, 0x11(zero)
	out	t1, 0x12(zero)
	in	t2, 0x10(zero)
	sw	t2, 12(s0)
	in	t2, 0x11(zero)
	sw	t2, 16(s0)
	in	t2, 0x12(zero)
	sw	t2, 20(s0)
	in	t2, 0x13(zero)
	sw	t2, 24(s0)
	in	t2, 0x14(zero)
	sw	t2, 28(s0)
	in	t2, 0x15(zero)
	sw	t2, 32(s0)
	in	t2, 0x20(zero)
	sw	t2, 36(s0)
	in	t2, 0x21(zero)
	sw	t2, 40(s0)
	out	t1, 0x21(zero)		# memsize: write ignored
	out	t1, 0x15(zero)		# disk size: write ignored
	out	t1, 0x01(zero)		# console status: write ignored
	li	t1, 0x41
	out	t1, 0(zero)		# 'A'
	li	t1, 10
	out	t1, 0(zero)
	in	t2, 3(zero)		# bus, badva 3
	out	t1, 0x16(zero)		# bus, badva 0x16
	in	t2, 0x22(zero)
	li	t3, -1
	in	t2, 0(t3)		# port 0xffffffff
	out	t2, 0x40(t3)		# port 0x3f
	tlbflush
	tlbinv	t3
	.word	0x608c0000		# mfcr t0, cr12: illegal
	.word	0x61c80000		# mtcr cr12, t0: illegal
	.word	0			# illegal

	# rfe in kernel mode: to 'back' with KM = PKM = 1, IE = PIE = 0.
	la	t1, back
	mtcr	epc, t1
	li	t1, 0x5
	mtcr	status, t1
	rfe
	addi	a0, zero, 99		# not reached
back:	mfcr	t2, status
	sw	t2, 44(s0)
	mfcr	t2, epc
	sw	t2, 48(s0)

	# mtcr status with KM = 0: user mode from the next instruction.
	mtcr	status, zero
	mfcr	t2, status		# privileged now
	mtcr	scratch, t2		# privileged
	break				# back to kernel mode
	mfcr	t2, status
	sw	t2, 52(s0)

	la	t0, log_save
	lw	a0, 12(t0)		# traps counted
	addi	a0, a0, -11		# 5 bus, 3 illegal, 2 privileged, 1 break
	out	a0, 0x20(zero)

	.data
res:	.space	128
	.include "log.inc"
