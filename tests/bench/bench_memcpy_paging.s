# bench_memcpy_paging.s - the memcpy benchmark with paging on: an identity map
# (paging.inc), then the same loop (see memcpy.inc).
_start:	call	paging_on
	j	main
	.include "paging.inc"
	.include "memcpy.inc"
