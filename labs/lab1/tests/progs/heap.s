# heap.s - sbrk: the heap starts on the page after the program's bss;
# sbrk(n) returns the old end and maps n zeroed, writable pages there;
# sbrk(0) reads the end; bad requests change nothing.  Prints one line per
# fact; ends by reading the first byte past the heap, which must kill it.
	.text
	.globl	main
main:	addi	sp, sp, -16
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	sw	s1, 8(sp)
	sw	s2, 12(sp)

	li	a0, 0
	call	sbrk
	mv	s0, a0			# s0 = the start of the heap
	la	t0, bss_end		# the page after the bss
	li	t1, 4095
	add	t0, t0, t1
	li	t1, ~4095
	and	t0, t0, t1
	la	a0, f_start
	li	a1, 1
	beq	s0, t0, 1f
	li	a1, 0
1:	call	printf

	li	a0, 1
	call	sbrk
	sub	a1, a0, s0
	la	a0, f_one
	call	printf
	li	a0, 2
	call	sbrk
	sub	a1, a0, s0
	la	a0, f_two
	call	printf
	li	a0, 0
	call	sbrk
	sub	a1, a0, s0
	la	a0, f_end
	call	printf

	mv	t0, s0			# zeroed?  then writable and kept?
	li	t1, 3 * 4096
	add	t1, t1, s0
	li	a1, 0			# a1 = nonzero words found
2:	lw	t2, 0(t0)
	beqz	t2, 3f
	addi	a1, a1, 1
3:	sw	t0, 0(t0)
	addi	t0, t0, 4
	bne	t0, t1, 2b
	la	a0, f_zeroed
	call	printf
	mv	t0, s0
	li	t1, 3 * 4096
	add	t1, t1, s0
	li	a1, 0
4:	lw	t2, 0(t0)
	beq	t2, t0, 5f
	addi	a1, a1, 1
5:	addi	t0, t0, 4
	bne	t0, t1, 4b
	la	a0, f_kept
	call	printf

	li	a0, -1
	call	sbrk
	mv	a1, a0
	la	a0, f_neg
	call	printf
	li	a0, 0x100000		# 4 GiB: more than any machine
	call	sbrk
	mv	a1, a0
	la	a0, f_huge
	call	printf
	li	a0, 0x3ff00		# 1 GiB: more than this machine has
	call	sbrk
	mv	a1, a0
	la	a0, f_stack
	call	printf
	li	a0, 0
	call	sbrk
	sub	a1, a0, s0
	la	a0, f_same
	call	printf

	la	a0, f_past
	call	printf
	li	t0, 3 * 4096		# the first byte past the heap
	add	t0, t0, s0
	lbu	t0, 0(t0)
	la	a0, f_alive
	call	printf
	li	a0, 0
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	lw	s1, 8(sp)
	lw	s2, 12(sp)
	addi	sp, sp, 16
	ret

	.data
f_start: .asciz	"heap: sbrk(0) is the page after the bss: %d\n"
f_one:	.asciz	"heap: sbrk(1) = start + %d\n"
f_two:	.asciz	"heap: sbrk(2) = start + %d\n"
f_end:	.asciz	"heap: sbrk(0) = start + %d\n"
f_zeroed: .asciz "heap: nonzero words in the new pages: %d\n"
f_kept:	.asciz	"heap: words not kept: %d\n"
f_neg:	.asciz	"heap: sbrk(-1) = %d\n"
f_huge:	.asciz	"heap: sbrk(0x100000) = %d\n"
f_stack: .asciz	"heap: sbrk(0x3ff00) = %d\n"
f_same:	.asciz	"heap: after the refusals sbrk(0) = start + %d\n"
f_past:	.asciz	"heap: reading past the end of the heap\n"
f_alive: .asciz	"heap: still alive?\n"
	.bss
	.align	4
	.space	5000
bss_end:
