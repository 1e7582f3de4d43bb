# hostile.s - a guest that attacks its VMM: page tables and PTEs pointing
# past its RAM, a PDE at guest-physical 0 (machine-physical 0 is the VMM's
# own area: the guest must only ever reach its own page 0), a user program
# trying to write its page tables to reach kernel pages, a kernel that then
# lets it, DMA straight into a live page table, and a flood of traps.
# Every attempt must end in the guest-visible fault the bare machine gives,
# and leave the VMM intact (tests/unit/test_vmm_hostile.c checks that).
# Needs a disk of at least 8 sectors.
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
	in	s3, 0x21(zero)		# memsize
	la	t0, pt0			# kernel identity map, pages 1..1023
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
	srli	t1, s3, 12		# a table in the last page of RAM + 4 KiB
	slli	t1, t1, 12
	ori	t1, t1, V
	sw	t1, 8(t0)		# dir 2: table just past RAM: bus
	li	t1, V			# dir 3: table at guest-physical 0
	sw	t1, 12(t0)
	la	t0, pt1
	la	t1, ucode
	ori	t1, t1, V | R | X | U
	sw	t1, 0(t0)
	la	t1, pt1
	ori	t1, t1, V | R | U	# its own table, read-only
	sw	t1, 4(t0)
	addi	t1, s3, -4096		# the last page of RAM: fine
	ori	t1, t1, V | R | W | U
	sw	t1, 8(t0)
	mv	t1, s3			# the first page past RAM: bus
	ori	t1, t1, V | R | W | U
	sw	t1, 12(t0)
	li	t1, 0xfffff000 | V | R | W | X | U
	sw	t1, 16(t0)
	la	s1, pd
	ori	s1, s1, 1
	mtcr	ptb, s1
	li	s2, UBASE

	lw	t1, 0x2000(s2)		# last page of RAM
	sw	t1, 0x2ffc(s2)
	lw	t1, 0x3000(s2)		# bus
	lw	t1, 0x4000(s2)		# bus
	li	t0, 0x800000
	lw	t1, 0(t0)		# table past RAM: bus
	li	t0, 0xc00000
	lw	t1, 0(t0)		# table at guest page 0, empty: pf-load
	li	t0, 0x1000 | V | R	# make it map va 0xc00000 to the code page
	sw	t0, 0(zero)		# (page 0 is unmapped: pf-store... via
	mtcr	ptb, zero		#  paging off it is plain memory)
	sw	t0, 0(zero)
	mtcr	ptb, s1
	li	t0, 0xc00000
	lw	t1, 0(t0)		# the first word of the code page
	sw	t1, 0(s0)

	# User mode: try to write its own table.
	mtcr	epc, s2
	li	t0, 0x1
	mtcr	status, t0
	li	a0, 0
	rfe
back1:
	# A careless kernel maps the table writable: now the user may
	# remap its pages to anything in the guest, and nothing outside.
	la	t0, pt1
	la	t1, pt1
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	addi	t2, s2, 0x1000
	tlbinv	t2
	mtcr	epc, s2
	li	t0, 0x1
	mtcr	status, t0
	li	a0, 1
	rfe
back2:
	# DMA into the live table: sector 6 gets a table image mapping
	# 0x405000 to pgA, then it is read over pt1 entries 0..127.
	la	t0, img
	la	t1, ucode
	ori	t1, t1, V | R | X | U
	sw	t1, 0(t0)
	la	t1, pgA
	ori	t1, t1, V | R | W | U
	sw	t1, 20(t0)
	la	t1, pgA
	li	t2, 0x5a5a5a5a
	sw	t2, 0(t1)
	li	t0, 4
	mtcr	imask, t0
	li	a0, 6
	la	a2, img
	li	a3, 2
	call	disk
	li	a0, 6
	la	a2, pt1
	li	a3, 1
	call	disk
	tlbflush
	lw	t1, 0x5000(s2)
	sw	t1, 4(s0)

	# A flood of traps from user mode.
	la	t0, flood
	mtcr	tvec, t0
	mtcr	epc, s2
	li	t0, 0x1
	mtcr	status, t0
	li	a0, 2
	rfe
back3:
	la	t0, log_trap
	mtcr	tvec, t0
	mtcr	ptb, zero
	la	t0, nflood
	lw	t1, 0(t0)
	sw	t1, 8(s0)
	li	t2, 30001
	sub	a0, t1, t2		# 10000 each of syscall, hcall, illegal, + break
	la	t0, log_save
	lw	t1, 12(t0)
	addi	t1, t1, -10		# 5 kernel, 3 phase 0, 2 phase 1
	or	a0, a0, t1
	out	a0, 0x20(zero)

disk:	out	a0, 0x10(zero)
	out	a2, 0x11(zero)
	li	t0, 1
	out	t0, 0x12(zero)
	out	a3, 0x13(zero)
	wfi
	in	a0, 0x14(zero)
	out	zero, 0x14(zero)
	ret

# The flood's handler: count, skip, break returns to kernel mode.
flood:	mtcr	scratch, t0
	la	t0, nflood
	sw	t1, 4(t0)
	lw	t1, 0(t0)
	addi	t1, t1, 1
	sw	t1, 0(t0)
	mfcr	t1, epc
	addi	t1, t1, 4
	mtcr	epc, t1
	mfcr	t1, cause
	addi	t1, t1, -4
	bnez	t1, 1f
	li	t1, 0x5			# break: back to kernel mode
	mtcr	status, t1
1:	lw	t1, 4(t0)
	mfcr	t0, scratch
	rfe

	.align	4096
ucode:	li	s2, UBASE		# a0 = the phase, set by the kernel
	beqz	a0, 1f
	addi	t1, a0, -1
	beqz	t1, 2f
	j	3f
1:	lw	t1, 0x1000(s2)		# phase 0: its table is readable,
	sw	t1, 0x1000(s2)		# not writable: pf-store-prot
	li	t1, 0x2000 | V | R | W | U
	sw	t1, 0x1018(s2)		# no way to map kernel page 0x2000 either
	break
	j	ub1
2:	li	t1, 0x2000 | V | R | W | U	# phase 1: the table is writable
	sw	t1, 0x1018(s2)		# map kernel page 0x2000 at 0x406000
	lw	t1, 0x6000(s2)		# guest memory: its own business
	lui	t1, 0x7fff		# a frame far past RAM
	ori	t1, t1, V | R | U
	sw	t1, 0x101c(s2)
	lw	t1, 0x7000(s2)		# bus
	break
	j	ub2
3:	li	t2, 10000		# phase 2: the flood
4:	syscall
	hcall
	.word	0
	addi	t2, t2, -1
	bnez	t2, 4b
	break
	j	ub3
ub1:	lui	t0, %hi(back1)
	jalr	zero, %lo(back1)(t0)
ub2:	lui	t0, %hi(back2)
	jalr	zero, %lo(back2)(t0)
ub3:	lui	t0, %hi(back3)
	jalr	zero, %lo(back3)(t0)

	.data
res:	.space	64
nflood:	.word	0, 0
	.align	4096
pd:	.space	4096
pt1:	.space	4096
pgA:	.space	4096
img:	.space	512
	.align	4096
pt0:	.space	4096
	.include "log.inc"
