# paging.s - the guest's page tables under the VMM's shadows (ISA.md 9).
# Kernel identity map of the low 4 MiB (no U), test pages at 0x400000:
#
#   0x400000 ucode  R X U      0x405000 pgA  R W X (kernel only)
#   0x401000 pgA    R W U      0x406000 past RAM (bus)
#   0x402000 pgB    R U        0x407000 pd   R U    (its own directory)
#   0x403000 pgC    W U        0x408000 pt1  R W U  (its own table!)
#   0x404000 not present       0x409000 pgB  X U    (execute-only)
#   dir 2: PDE past RAM (bus)  dir 3: PDE not present
#
# Every fault kind from both modes, A and D as the hardware sets them,
# remap / unmap / permission changes each followed by tlbinv or tlbflush,
# clearing A, paging off and on, a second address space and a PDE change.
# exit: 0
	.equ	V, 0x1
	.equ	R, 0x2
	.equ	W, 0x4
	.equ	X, 0x8
	.equ	U, 0x10
	.equ	UBASE, 0x400000
	.text
	.globl	_start
_start:
	la	t0, log_trap
	mtcr	tvec, t0
	la	s0, res
	# pt0: pages 1..1023 at their own address, R W X, no U.
	la	t0, pt0
	li	t1, 0x1000 | V | R | W | X
	li	t2, 1023
	li	t3, 0x1000
1:	addi	t0, t0, 4
	sw	t1, 0(t0)
	add	t1, t1, t3
	addi	t2, t2, -1
	bnez	t2, 1b
	la	t0, pd
	la	t1, pt0
	ori	t1, t1, V
	sw	t1, 0(t0)
	la	t1, pt1
	ori	t1, t1, V
	sw	t1, 4(t0)
	li	t1, 0xfffff001
	sw	t1, 8(t0)
	la	t0, pt1
	la	t1, ucode
	ori	t1, t1, V | R | X | U
	sw	t1, 0(t0)
	la	t1, pgA
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	la	t1, pgB
	ori	t1, t1, V | R | U
	sw	t1, 8(t0)
	la	t1, pgC
	ori	t1, t1, V | W | U
	sw	t1, 12(t0)
	la	t1, pgA
	ori	t1, t1, V | R | W | X
	sw	t1, 20(t0)
	li	t1, 0xfff00000 | V | R | W | U
	sw	t1, 24(t0)
	la	t1, pd
	ori	t1, t1, V | R | U
	sw	t1, 28(t0)
	la	t1, pt1
	ori	t1, t1, V | R | W | U
	sw	t1, 32(t0)
	la	t1, pgB
	ori	t1, t1, V | X | U
	sw	t1, 36(t0)
	la	t0, pgB			# pgB starts with 'ret' (execute-only test)
	li	t1, 0x49010000
	sw	t1, 0(t0)
	la	t0, pgA
	li	t1, 0xa0a0a0a0
	sw	t1, 0(t0)
	la	t0, pgC
	li	t1, 0xc0c0c0c0
	sw	t1, 0(t0)
	la	s1, pd
	ori	s1, s1, 1
	mtcr	ptb, s1			# paging on: the next fetch is translated

	# Kernel mode.
	li	s2, UBASE
	lw	t1, 0x1000(s2)		# pgA through a U page: fine, sets A
	sw	t1, 0(s0)
	sw	t1, 0x1004(s2)		# sets D
	lw	t1, 0x3000(s2)		# write-only: pf-load-prot
	sw	t1, 0x3000(s2)		# fine
	sw	t1, 0x2000(s2)		# read-only: pf-store-prot
	lw	t1, 0x4000(s2)		# pf-load
	sw	t1, 0x4000(s2)		# pf-store
	addi	t0, s2, 0x4000
	jalr	ra, 0(t0)		# pf-fetch
	addi	t0, s2, 0x1000
	jalr	ra, 0(t0)		# no X: pf-fetch-prot
	lw	t1, 0x6000(s2)		# frame past RAM: bus
	li	t0, 0x800000
	lw	t1, 0(t0)		# PDE past RAM: bus
	li	t0, 0xc00000
	sw	t1, 0(t0)		# PDE not present: pf-store
	lw	t1, 0x5000(s2)		# kernel page: fine
	sw	t1, 4(s0)
	addi	t0, s2, uret - ucode
	jalr	ra, 0(t0)		# a U page with X: the kernel may fetch it
	li	t0, UBASE + 0x9000
	jalr	ra, 0(t0)		# execute-only: fine
	lw	t1, 0(zero)		# page 0 unmapped: pf-load

	# User mode, from 0x400000.
	mtcr	epc, s2
	li	t0, 0x1			# PKM = 0, PIE = 0
	mtcr	status, t0
	rfe
back:
	# Kernel again: A and D as the hardware left them.
	la	t0, pt1
	lw	t1, 0(t0)
	sw	t1, 8(s0)
	lw	t1, 4(t0)
	sw	t1, 12(s0)
	lw	t1, 8(t0)
	sw	t1, 16(s0)
	lw	t1, 12(t0)
	sw	t1, 20(s0)
	lw	t1, 16(t0)
	sw	t1, 24(s0)

	# Remap 0x401000 to pgB, tlbinv, read.
	la	t1, pgB
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	addi	t2, s2, 0x1000
	tlbinv	t2
	lw	t1, 0x1000(s2)
	sw	t1, 28(s0)
	# Unmap 0x402000.
	sw	zero, 8(t0)
	addi	t2, s2, 0x2000
	tlbinv	t2
	lw	t1, 0x2000(s2)		# pf-load
	# Write-only becomes read-write.
	la	t1, pgC
	ori	t1, t1, V | R | W | U
	sw	t1, 12(t0)
	addi	t2, s2, 0x3000
	tlbinv	t2
	lw	t1, 0x3000(s2)
	sw	t1, 32(s0)
	# Clear A (and D) of 0x401000, tlbinv, touch: A again.
	la	t1, pgB
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	addi	t2, s2, 0x1000
	tlbinv	t2
	lw	t1, 0x1000(s2)
	lw	t1, 4(t0)
	sw	t1, 36(s0)
	# Take W away: pf-store-prot after tlbinv.
	la	t1, pgB
	ori	t1, t1, V | R | U
	sw	t1, 4(t0)
	tlbinv	t2
	sw	t1, 0x1000(s2)		# pf-store-prot
	# Several changes, one tlbflush: 0x405000 now pgC, 0x402000 back.
	la	t1, pgC
	ori	t1, t1, V | R | W | X
	sw	t1, 20(t0)
	la	t1, pgB
	ori	t1, t1, V | R | U
	sw	t1, 8(t0)
	tlbflush
	lw	t1, 0x5000(s2)
	sw	t1, 40(s0)
	lw	t1, 0x2000(s2)
	sw	t1, 44(s0)

	# Paging off, a physical read, paging on again.
	mtcr	ptb, zero
	la	t0, pgA
	lw	t1, 0(t0)
	sw	t1, 48(s0)
	mtcr	ptb, s1
	lw	t1, 0x1000(s2)
	sw	t1, 52(s0)

	# A second address space: pd2 shares pt0, has pt2 at dir 1.
	la	t0, pt2
	la	t1, ucode
	ori	t1, t1, V | R | X | U
	sw	t1, 0(t0)
	la	t1, pgC
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	la	t0, pd2
	la	t1, pt0
	ori	t1, t1, V
	sw	t1, 0(t0)
	la	t1, pt2
	ori	t1, t1, V
	sw	t1, 4(t0)
	la	s3, pd2
	ori	s3, s3, 1
	mtcr	ptb, s3
	lw	t1, 0x1000(s2)		# pgC
	sw	t1, 56(s0)
	mtcr	ptb, s1
	lw	t1, 0x1000(s2)		# pgB
	sw	t1, 60(s0)
	la	t0, pt2			# change the other space while not in it
	la	t1, pgA
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	mtcr	ptb, s3
	lw	t1, 0x1000(s2)		# pgA
	sw	t1, 64(s0)
	sw	t1, 0x1008(s2)		# D in pt2
	# A PDE change in the current space, then tlbflush.
	la	t0, pd2
	la	t1, pt1
	ori	t1, t1, V
	sw	t1, 4(t0)
	tlbflush
	lw	t1, 0x1000(s2)		# pgB through pt1
	sw	t1, 68(s0)
	mtcr	ptb, s1
	mtcr	ptb, zero

	la	t0, log_save
	lw	a0, 12(t0)
	addi	a0, a0, -27		# 10 kernel, 15 user, 2 kernel again
	out	a0, 0x20(zero)

	# The user's page: position independent, runs at 0x400000.
	.align	4096
ucode:
	li	s2, UBASE
	lw	t1, 0x1000(s2)		# fine
	sw	t1, 0x1008(s2)		# fine
	lw	t1, 0x2000(s2)		# fine
	sw	t1, 0x2000(s2)		# pf-store-prot
	lw	t1, 0x3000(s2)		# pf-load-prot
	sw	t1, 0x3004(s2)		# fine
	lw	t1, 0x4000(s2)		# pf-load
	sw	t1, 0x4000(s2)		# pf-store
	lw	t1, 0x5000(s2)		# no U: pf-load-prot
	sw	t1, 0x5000(s2)		# pf-store-prot
	addi	t0, s2, 0x5000
	jalr	ra, 0(t0)		# pf-fetch-prot
	lw	t1, 0x6000(s2)		# bus
	li	t0, 0x800000
	sw	t1, 0(t0)		# bus
	li	t0, 0xc00000
	lw	t1, 0(t0)		# pf-load
	lw	t1, 0x7000(s2)		# its directory: readable
	sw	t1, 0x7000(s2)		# pf-store-prot
	li	t0, 0x2000
	lw	t1, 0(t0)		# kernel memory: pf-load-prot
	sw	t1, 0(t0)		# pf-store-prot
	li	t0, 0x1000
	jalr	ra, 0(t0)		# pf-fetch-prot
	# It may write its own table (the kernel mapped it writable):
	# map 0x404000 to pgC.  A not-present entry is never cached.
	li	t2, UBASE + 0x8000	# its table, through its own mapping
	lw	t1, 12(t2)		# pgC's PTE
	ori	t1, t1, R | W
	sw	t1, 16(t2)
	lw	t1, 0x4000(s2)		# now fine
	sw	t1, 0x4004(s2)
	li	t0, UBASE + 0x9000
	jalr	ra, 0(t0)		# execute-only: fine
	break				# back to kernel mode, after the break
	j	uback
uret:	ret
uback:	lui	t0, %hi(back)
	jalr	zero, %lo(back)(t0)

	.data
res:	.space	128
	.align	4096
pd:	.space	4096
pt0:	.space	4096
pt1:	.space	4096
pgA:	.space	4096
pgB:	.space	4096
pgC:	.space	4096
pd2:	.space	4096
pt2:	.space	4096
	.include "log.inc"
