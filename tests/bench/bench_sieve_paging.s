# bench_sieve_paging.s - the sieve benchmark with paging on: an identity map
# (paging.inc), then the same loop (see sieve.inc).
_start:	call	paging_on
	j	main
	.include "paging.inc"
	.include "sieve.inc"
