# sleeper.s - a VM that is almost always asleep: forever, it arms the timer
# PERIOD ticks ahead and waits in wfi; it runs 8 instructions per wake-up.
# A work-conserving host gives its sleep to the other VMs.
	.equ	PERIOD, 20000
	.equ	ITERS, 1
	.include "sleepwork.inc"
