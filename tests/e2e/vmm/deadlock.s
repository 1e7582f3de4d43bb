# deadlock.s - wfi with every line masked: nothing can wake it (ISA.md
# 10.3.4), exit status 126; first a wfi the disk wakes.
# exit: 126
	.text
	.globl	_start
_start:
	li	t0, 4
	mtcr	imask, t0
	li	t0, 1
	out	t0, 0x12(zero)
	out	t0, 0x13(zero)		# a bad request (no disk): DONE in 1024 ticks
	wfi
	out	zero, 0x14(zero)
	mtcr	imask, zero
	wfi
