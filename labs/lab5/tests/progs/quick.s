# quick.s - a short job: computes for about 2 * COUNT ticks, then powers
# off with 0.  Once it has stopped, its share of the CPU belongs to the
# VMs still running.
	.equ	COUNT, 150000
	.equ	POWER, 0x20

	.text
	.globl	_start
_start:
	li	t0, COUNT
1:	addi	t0, t0, -1
	bnez	t0, 1b
	out	zero, POWER(zero)
