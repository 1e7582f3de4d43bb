# spin.s - a CPU hog: a loop with no pause, forever.  Beside other VMs on
# a host it takes every tick the scheduler gives it; its --stats line
# NAME_ran counts them.
	.text
	.globl	_start
_start:
	j	_start
