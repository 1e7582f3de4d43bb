# memtest.s - grows the heap a page at a time, fills it, checks it; then
# grows the stack by page faults and checks that too.  Long enough to be
# preempted by the timer many times.

	.equ	PAGES, 64		# heap pages
	.equ	STACK_USE, 8 * 4096	# bytes of stack used at once
	.equ	PATTERN, 0x5a5a5a5a

	.text
	.globl	main
main:
	addi	sp, sp, -16
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	sw	s1, 8(sp)
	sw	s2, 12(sp)

	li	a0, 0
	call	sbrk
	mv	s0, a0			# s0 = start of the heap
	li	s1, 0			# s1 = pages so far
1:	li	a0, 1
	call	sbrk
	slli	t0, s1, 12
	add	t0, t0, s0
	bne	a0, t0, bad_sbrk	# each page comes right after the last
	li	t1, 4096		# fill: each word holds its address ^ PATTERN
	add	t1, t1, a0
	li	t2, PATTERN
2:	xor	t3, a0, t2
	sw	t3, 0(a0)
	addi	a0, a0, 4
	bne	a0, t1, 2b
	addi	s1, s1, 1
	andi	t0, s1, 7
	bnez	t0, 3f
	la	a0, s_pages
	mv	a1, s1
	call	printf
3:	li	t0, PAGES
	blt	s1, t0, 1b

	mv	t0, s0			# check every word
	slli	t1, s1, 12
	add	t1, t1, s0
	li	t2, PATTERN
4:	lw	t3, 0(t0)
	xor	t3, t3, t2
	bne	t3, t0, bad_word
	addi	t0, t0, 4
	bne	t0, t1, 4b
	la	a0, s_heapok
	slli	a1, s1, 2		# KiB
	call	printf

	li	a0, 1000000		# more than there is: refused, no harm
	call	sbrk
	mv	a1, a0
	la	a0, s_toomuch
	call	printf

	call	stack_test
	la	a0, s_stackok
	li	a1, STACK_USE >> 12
	call	printf

	li	a0, 0
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	lw	s1, 8(sp)
	lw	s2, 12(sp)
	addi	sp, sp, 16
	ret

# stack_test(): a STACK_USE-byte local array; each new page touched is a
# page fault the kernel answers by mapping it.
stack_test:
	li	t0, STACK_USE
	sub	sp, sp, t0
	mv	t0, sp			# fill
	li	t1, STACK_USE
	add	t1, t1, sp
1:	sw	t0, 0(t0)
	addi	t0, t0, 4
	bne	t0, t1, 1b
	mv	t0, sp			# check
2:	lw	t2, 0(t0)
	bne	t2, t0, bad_word
	addi	t0, t0, 4
	bne	t0, t1, 2b
	mv	sp, t1
	ret

bad_sbrk:
	mv	a1, a0
	la	a0, s_badsbrk
	call	printf
	li	a0, 1
	call	exit
bad_word:
	mv	a1, t0
	la	a0, s_badword
	call	printf
	li	a0, 2
	call	exit

	.data
s_pages:	.asciz	"memtest: %d heap pages filled\n"
s_heapok:	.asciz	"memtest: %d KiB of heap checked\n"
s_toomuch:	.asciz	"memtest: sbrk(1000000) = %d\n"
s_stackok:	.asciz	"memtest: stack grew by %d pages, checked\n"
s_badsbrk:	.asciz	"memtest: sbrk returned %x\n"
s_badword:	.asciz	"memtest: wrong value at %x\n"
