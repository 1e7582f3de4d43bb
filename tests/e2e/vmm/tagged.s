# tagged.s - translations after a remap, seen from both modes and across
# address spaces (ISA.md 9.7): after tlbinv, tlbflush or a ptb write no
# earlier translation of the changed page may be used, in user mode or in
# kernel mode, in this address space or in one switched to.  Under the VMM
# each shadow runs under a TLB tag of its own and keeps its entries across
# mode and address-space switches (vm/vmm/shadowctx.c): this catches an entry
# of one shadow left in the machine's TLB when it should have gone.
#
#   0x400000 ucode  R X U      the user routine below
#   0x401000 X      R W U      pgA, pgB or pgC (first words 0xa, 0xb, 0xc)
#   0x402000 Y      R W U      pd2 only: pt3, a page table of pd3
#
# The user routine reads X into a0, stores a2 at a3 if a3 is not 0, and
# goes back to kernel mode (break; then to gp); the kernel reads X itself
# too.  s1, s2, s3: the ptb values of pd, pd2, pd3.  Each
# read is checked; the exit status is the number of wrong reads.
# exit: 0
	.equ	V, 0x1
	.equ	R, 0x2
	.equ	W, 0x4
	.equ	X, 0x8
	.equ	U, 0x10
	.equ	UBASE, 0x400000
	.equ	XVA, 0x401000
	.equ	YVA, 0x402000
	.text
	.globl	_start
_start:
	la	t0, log_trap
	mtcr	tvec, t0
	li	s0, 0			# wrong reads
	la	t0, pgA
	li	t1, 0xa
	sw	t1, 0(t0)
	la	t0, pgB
	li	t1, 0xb
	sw	t1, 0(t0)
	la	t0, pgC
	li	t1, 0xc
	sw	t1, 0(t0)
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
	# pd: pt0, pt1.  pt1: ucode, X = pgA.
	la	a0, pd
	la	a1, pt1
	jal	ra, mkdir
	la	t0, pt1
	la	t1, pgA
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	# pd2: pt0, pt2.  pt2: ucode, X = pgA, Y = pt3.
	la	a0, pd2
	la	a1, pt2
	jal	ra, mkdir
	la	t0, pt2
	la	t1, pgA
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	la	t1, pt3
	ori	t1, t1, V | R | W | U
	sw	t1, 8(t0)
	# pd3: pt0, pt3.  pt3: ucode, X = pgA.
	la	a0, pd3
	la	a1, pt3
	jal	ra, mkdir
	la	t0, pt3
	la	t1, pgA
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	la	s1, pd
	ori	s1, s1, 1
	la	s2, pd2
	ori	s2, s2, 1
	la	s3, pd3
	ori	s3, s3, 1
	mtcr	ptb, s1			# paging on

	# 1. X = pgA, read from both modes (each caches it).
	li	a1, 0xa
	jal	ra, both
	# 2. X = pgB, tlbinv X.
	la	t0, pt1
	la	t1, pgB
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	li	t1, XVA
	tlbinv	t1
	li	a1, 0xb
	jal	ra, both
	# 3. X = pgC, tlbflush.
	la	t0, pt1
	la	t1, pgC
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	tlbflush
	li	a1, 0xc
	jal	ra, both
	# 4. Another address space maps X elsewhere, and back.
	mtcr	ptb, s2
	li	a1, 0xa
	jal	ra, both
	mtcr	ptb, s1
	li	a1, 0xc
	jal	ra, both
	# 5. pd2's X changed while pd runs, then a switch to pd2.
	la	t0, pt2
	la	t1, pgB
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	mtcr	ptb, s2
	li	a1, 0xb
	jal	ra, both
	# 6. In pd2 the user writes through Y (pt3, not yet a page table
	#    in use), then pd3 runs from pt3, then the user changes pd3's X
	#    through Y.  After a switch to pd3, X is the new page.
	li	a3, YVA + 8
	li	a2, 0
	jal	ra, user		# a writable translation of Y
	li	a3, 0
	mtcr	ptb, s3
	li	a1, 0xa
	jal	ra, both		# pt3 is now a page table
	mtcr	ptb, s2
	li	a3, YVA + 4
	la	a2, pgC
	ori	a2, a2, V | R | W | U
	jal	ra, user		# pd3's X = pgC, through Y
	li	a3, 0
	mtcr	ptb, s3
	li	a1, 0xc
	jal	ra, both
	# 7. Back in pd, X unchanged there.
	mtcr	ptb, s1
	li	a1, 0xc
	jal	ra, both
	# 8. X = pgA, and the same ptb written again (no tlbinv); the
	#    kernel reads first, before any mode switch.
	la	t0, pt1
	la	t1, pgA
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	mtcr	ptb, s1
	li	a1, 0xa
	li	t0, XVA
	lw	a0, 0(t0)
	jal	ra, expect
	jal	ra, both
	# 9. More address spaces than the VMM caches (trace: 32 shadows),
	#    each read from right after its ptb write, in kernel mode: X is
	#    pgA in the first 32 directories, pgB in the next 32, so that a
	#    shadow made where an evicted one was must not see its entries.
	la	t0, ptA
	la	t1, pgA
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	la	t0, ptB
	la	t1, pgB
	ori	t1, t1, V | R | W | U
	sw	t1, 4(t0)
	la	t0, pds
	li	t2, 0			# directory number
2:	la	t1, pt0
	ori	t1, t1, V
	sw	t1, 0(t0)
	li	a1, 0xa
	la	t1, ptA
	srli	t3, t2, 5
	beqz	t3, 3f
	li	a1, 0xb
	la	t1, ptB
3:	ori	t1, t1, V
	sw	t1, 4(t0)
	ori	t1, t0, 1
	mtcr	ptb, t1
	li	t3, XVA
	lw	a0, 0(t3)
	jal	ra, expect
	li	t3, 0x1000
	add	t0, t0, t3
	addi	t2, t2, 1
	li	t3, 64
	bltu	t2, t3, 2b
	# 10. Paging off, which takes the place of a shadow that mapped X:
	#     physical XVA is RAM nothing wrote.
	mtcr	ptb, zero
	li	t0, XVA
	lw	a0, 0(t0)
	li	a1, 0
	jal	ra, expect

	mv	a0, s0
	out	a0, 0x20(zero)

# mkdir: directory a0 with pt0 at dir 0 and table a1 at dir 1; the table's
# first entry maps ucode.
mkdir:	la	t1, pt0
	ori	t1, t1, V
	sw	t1, 0(a0)
	ori	t1, a1, V
	sw	t1, 4(a0)
	la	t1, ucode
	ori	t1, t1, V | R | X | U
	sw	t1, 0(a1)
	ret

# both: X read in user mode, then in kernel mode, each expected to be a1.
both:	mv	sp, ra
	jal	ra, user
	jal	ra, expect
	li	t0, XVA
	lw	a0, 0(t0)
	jal	ra, expect
	jalr	zero, 0(sp)

expect:	beq	a0, a1, 1f
	addi	s0, s0, 1
1:	ret

# user: run ucode in user mode; back in kernel mode at ra.
user:	mv	gp, ra
	li	t0, UBASE
	mtcr	epc, t0
	li	t0, 0x1			# PKM = 0, PIE = 0
	mtcr	status, t0
	rfe

	# The user's page: position independent, runs at 0x400000.
	.align	4096
ucode:
	li	t3, XVA
	lw	a0, 0(t3)
	beqz	a3, 1f
	sw	a2, 0(a3)
1:	break				# back to kernel mode, after the break
	jalr	zero, 0(gp)

	.data
	.align	4096
pd:	.space	4096
pt0:	.space	4096
pt1:	.space	4096
pgA:	.space	4096
pgB:	.space	4096
pgC:	.space	4096
pd2:	.space	4096
pt2:	.space	4096
pd3:	.space	4096
pt3:	.space	4096
ptA:	.space	4096
ptB:	.space	4096
pds:	.space	64 * 4096
	.include "log.inc"
