# bench_memcpy.s - the memcpy benchmark with paging off (see memcpy.inc).
_start:	j	main
	.include "memcpy.inc"
