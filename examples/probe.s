# probe.s - an interactive program that measures its own wake-up delay:
# 100 times, it arms the timer PERIOD ticks ahead, sleeps in wfi, and on
# waking reads icount: delay = icount - the tick the timer was due.  On a
# bare machine (or in virtual time, where a VM's clock runs only while it
# runs) the delay is the few ticks of the wake-up path.  On a host in real
# time (vmlab run --time=real --vm ...) a VM's clock keeps running while
# others have the CPU, so the delay is also the time it waited to run
# again: its steal time, as the guest sees it.  It prints the mean and
# the maximum and powers off.
#
# Expected output (bare):
#   probe: 100 wakes, delay mean 6 max 6 ticks

	.equ	PERIOD, 10000
	.equ	WAKES, 100
	.equ	ST_IE, 0x2
	.equ	IRQ_TIMER, 0x1

	.text
	.globl	_start
_start:
	la	t0, on_timer
	mtcr	tvec, t0
	li	t0, IRQ_TIMER
	mtcr	imask, t0
	li	s0, WAKES
	li	s1, 0			# total delay
	li	s2, 0			# largest delay
1:	mfcr	s3, icount
	li	t0, PERIOD
	add	s3, s3, t0		# due
	mtcr	timecmp, s3
	mfcr	t0, status
	ori	t0, t0, ST_IE
	mtcr	status, t0
	wfi				# the interrupt is taken right after it
	mfcr	t0, status
	andi	t0, t0, ~ST_IE & 0xffff
	mtcr	status, t0
	mfcr	t0, icount
	sub	t0, t0, s3		# ticks late
	add	s1, s1, t0
	bgeu	s2, t0, 2f
	mv	s2, t0
2:	addi	s0, s0, -1
	bnez	s0, 1b

	la	a0, s_probe
	call	puts
	li	a0, WAKES
	call	print_dec
	la	a0, s_mean
	call	puts
	li	t0, WAKES
	divu	a0, s1, t0
	call	print_dec
	la	a0, s_max
	call	puts
	mv	a0, s2
	call	print_dec
	la	a0, s_ticks
	call	puts
	out	zero, POWER(zero)

# The timer interrupt: writing timecmp clears its pending bit; back to
# the instruction after wfi.
on_timer:
	mtcr	timecmp, zero
	rfe

	.data
s_probe: .asciz	"probe: "
s_mean:	.asciz	" wakes, delay mean "
s_max:	.asciz	" max "
s_ticks: .asciz	" ticks\n"

	.include "console.inc"
