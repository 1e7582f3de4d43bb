# iret.s - HC_IRET and the bounce (tasks 3, 4; vm/vmm/HYPERCALLS.md, "The
# trap frame, and the bounce") under vmlab run --pv.  The kernel registers
# a shared page naming a frame and an entry, fills the frame with r1..r15 =
# 0x101..0x10f and the pc of 'user', and leaves with HC_IRET.  In user mode
# the first instruction is a syscall: the VMM bounces it, saving every
# register and the syscall's pc in the frame, and enters at 'entry' with
# sp = the frame.  A trap that is not bounced ends at 'ktrap' (exit 1).
# Results, for --state:
#   s0 (r12) = the frame words r1..r15 found equal to 0x101..0x10f: 15
#   s1 (r13) = the frame's pc minus user's address: 0
#   s2 (r14) = the cause posted in the shared page: 3 (syscall)
#   s3 (r15) = sp at entry minus the frame's address: 0
#   t3 (r11) = status at entry: 0x9 (KM, IE off; PIE: the user ran with
#              interrupts on, PKM 0: it was user mode)
	.text
	.globl	_start
_start:
	la	t0, ktrap
	mtcr	tvec, t0
	li	a0, 6			# HC_SHARED
	la	a1, shared
	hcall
	la	t0, shared
	la	t1, frame
	sw	t1, 8(t0)		# the frame
	la	t1, entry
	sw	t1, 12(t0)		# where a bounced trap enters
	la	t0, frame
	addi	t0, t0, 4
	li	t1, 0x101
	li	t2, 15
1:	sw	t1, 0(t0)
	addi	t0, t0, 4
	addi	t1, t1, 1
	addi	t2, t2, -1
	bnez	t2, 1b
	la	t1, user
	sw	t1, 0(t0)		# frame + 64: the user pc
	li	a0, 7			# HC_IRET
	la	a1, frame
	hcall
	li	a0, 2			# HC_IRET returned: exit 2
	out	a0, 0x20(zero)

user:
	syscall

entry:
	mv	s3, sp
	la	t0, frame
	sub	s3, s3, t0
	mfcr	t3, status
	li	s0, 0
	addi	t0, t0, 4
	li	t1, 0x101
	li	t2, 15
1:	lw	a0, 0(t0)
	bne	a0, t1, 2f
	addi	s0, s0, 1
2:	addi	t0, t0, 4
	addi	t1, t1, 1
	addi	t2, t2, -1
	bnez	t2, 1b
	lw	s1, 0(t0)		# the saved pc
	la	t0, user
	sub	s1, s1, t0
	la	t0, shared
	lw	s2, 16(t0)		# the cause posted
	out	zero, 0x20(zero)

ktrap:
	li	a0, 1
	out	a0, 0x20(zero)

	.data
	.align	4
frame:	.space	68
	.align	4096
shared:	.space	4096
