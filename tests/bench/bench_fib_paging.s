# bench_fib_paging.s - the fib benchmark with paging on: an identity map
# (paging.inc), then the same loop (see fib.inc).
_start:	call	paging_on
	j	main
	.include "paging.inc"
	.include "fib.inc"
