# bench_fib.s - the fib benchmark with paging off (see fib.inc).
_start:	j	main
	.include "fib.inc"
