# doublefault2.s - the handler's first instruction is fetched fine but is
# an emulated 'in' from an unassigned port (bus): still a double fault,
# since no tick passed since the trap entry.  Before that, a handler whose
# first instruction retires and which then faults takes an ordinary nested
# trap (ISA.md 7.5, 7.6).
# exit: 126
	.text
	.globl	_start
_start:
	la	t0, h1
	mtcr	tvec, t0
	syscall				# h1: good instructions, then a bus
	la	t0, h2
	mtcr	tvec, t0
	syscall				# h2: faults at once
	li	a0, 1
	out	a0, 0x20(zero)
h1:	mfcr	t1, cause		# retires: a tick
	li	t2, 7
	beq	t1, t2, 1f		# the nested bus
	mfcr	t1, epc			# (the nested trap will overwrite epc)
	mtcr	scratch, t1
	in	t1, 0x99(zero)		# bus: nested trap to h1
	mfcr	t1, scratch
	addi	t1, t1, 4
	mtcr	epc, t1
	rfe
1:	mfcr	t1, epc
	addi	t1, t1, 4
	mtcr	epc, t1
	rfe
h2:	in	t1, 0x99(zero)
