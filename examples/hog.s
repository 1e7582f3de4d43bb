# hog.s - a CPU hog: computes without a pause (no I/O, no wfi) for about
# 20 million ticks, then says how long it took by its own clock and powers
# off.  Beside examples/probe.s on one host (vmlab run --vm ...) it is
# the load a VM scheduler must keep from hurting the interactive VM.
#
# Expected output (the tick count is icount at the end: on a bare machine
# or in virtual time always the same; in --time=real it includes the
# time other VMs ran):
#   hog: 20000033 ticks

	.text
	.globl	_start
_start:
	li	t0, 10000000		# iterations of a two-instruction loop
1:	addi	t0, t0, -1
	bnez	t0, 1b
	la	a0, s_hog
	call	puts
	mfcr	a0, icount
	call	print_dec
	la	a0, s_ticks
	call	puts
	out	zero, POWER(zero)

	.data
s_hog:	.asciz	"hog: "
s_ticks: .asciz	" ticks\n"

	.include "console.inc"
