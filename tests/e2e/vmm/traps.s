# traps.s - every exception cause the guest can raise, from user mode
# (where the VMM must reflect each one) and again from kernel mode, with
# paging off: illegal words, each privileged instruction in user mode,
# syscall, break, hcall, misaligned loads/stores/jumps, bus on loads,
# stores and fetches outside RAM, an undefined control register.
# exit: 0
	.text
	.globl	_start
_start:
	la	t0, log_trap
	mtcr	tvec, t0
	la	t0, user
	mtcr	epc, t0
	li	t0, 0x1			# PKM = 0, PIE = 0: rfe to user mode
	mtcr	status, t0
	rfe

user:	.word	0			# illegal
	.word	0xffffffff		# illegal
	.word	0x608c0000		# mfcr t0, cr12: illegal before privileged
	mfcr	t0, status		# privileged, each of the eight
	mtcr	status, t0
	rfe
	wfi
	tlbflush
	tlbinv	t0
	in	t0, 0x21(zero)
	out	t0, 0x20(zero)
	syscall
	hcall
	li	t1, 0x1001
	lh	t2, 0(t1)		# misaligned
	lhu	t2, 0(t1)
	lw	t2, 2(t1)
	sh	t2, 0(t1)
	sw	t2, 1(t1)
	jalr	ra, 0(t1)		# misaligned target
	lb	t2, 0(t1)		# fine
	li	t1, 0xfffffff0
	lw	t2, 0(t1)		# bus
	sw	t2, 0(t1)		# bus
	lbu	t2, 3(t1)		# bus
	jalr	ra, 0(t1)		# fetch bus: the handler returns to ra
	li	t1, 0x01000000		# the first byte past 16 MiB
	lb	t2, 0(t1)
	lb	t2, -1(t1)		# the last byte: fine
	break				# back to kernel mode

	# The same from kernel mode.
	.word	0
	syscall
	hcall
	li	t1, 0x1002
	lw	t2, 0(t1)
	li	t1, 0xfffffff0
	sw	t2, 0(t1)
	jalr	ra, 0(t1)
	break				# from kernel mode: just logged

	la	t0, log_save
	lw	a0, 12(t0)
	addi	a0, a0, -32		# 25 from user mode, 7 from kernel mode
	out	a0, 0x20(zero)

	.include "log.inc"
