# asleep.s - a VM asleep for the whole run: it arms the timer PERIOD ticks
# ahead, far beyond any test's budget, and waits in wfi.  Unlike a
# deadlock (every line masked), its timer can wake it, so it stays a VM
# of the host: in real time its credit fills to the clamp and the rest of
# its share goes to the others.
	.equ	PERIOD, 1000000000
	.equ	ITERS, 1
	.include "sleepwork.inc"
