# burst.s - an interactive VM that works hard after each wake-up: forever,
# it arms the timer PERIOD ticks ahead, sleeps in wfi, then computes for
# about 2 * ITERS ticks.  It wants 40000 / 45000 of the CPU, more than
# its weight's share beside an equal hog: a boost that outlived its turn
# would give it all it asks.
	.equ	PERIOD, 5000
	.equ	ITERS, 20000
	.include "sleepwork.inc"
