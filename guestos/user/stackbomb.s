# stackbomb.s - recurses without end.  The stack grows by page faults up
# to its limit (STACK_PAGES in the kernel); the fault below it kills us
# with pf-store.

	.text
	.globl	main
main:
	addi	sp, sp, -4
	sw	ra, 0(sp)
	la	a0, s_try
	call	printf
	call	recurse
	li	a0, 1
	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret

recurse:
	addi	sp, sp, -256
	sw	ra, 0(sp)
	call	recurse

	.data
s_try:	.asciz	"stackbomb: recursing forever\n"
