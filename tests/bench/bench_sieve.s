# bench_sieve.s - the sieve benchmark with paging off (see sieve.inc).
_start:	j	main
	.include "sieve.inc"
