# write_edges (hidden) - buffers at the very edges of user space: ending
# exactly at 0x80000000 (fine), one byte past it, starting one word below
# USER_BASE, wrapping from 0xffffffff.
. "$SRC/labs/tools/testlib.sh"
. "$LAB/tests/guest.sh"
BUDGET=10000000
cat > edges.s <<'PROG'
	.text
	.globl	main
main:	addi	sp, sp, -4
	sw	ra, 0(sp)
	li	t0, 0x0a706f74		# "top\n" in the stack's top word
	li	t1, 0x7ffffffc
	sw	t0, 0(t1)
	li	a0, 1
	li	a1, 0x7ffffffc
	li	a2, 4
	call	write
	mv	a1, a0
	la	a0, f1
	call	printf
	li	a0, 1
	li	a1, 0x7ffffffc
	li	a2, 5
	call	write
	mv	a1, a0
	la	a0, f2
	call	printf
	li	a0, 1
	li	a1, 0x3ffffffc
	li	a2, 8
	call	write
	mv	a1, a0
	la	a0, f3
	call	printf
	li	a0, 1
	li	a1, 0xffffffff
	li	a2, 2
	call	write
	mv	a1, a0
	la	a0, f4
	call	printf
	li	a0, 0
	lw	ra, 0(sp)
	addi	sp, sp, 4
	ret
	.data
f1:	.asciz	"edges: the top word = %d\n"
f2:	.asciz	"edges: one byte past the top = %d\n"
f3:	.asciz	"edges: from below USER_BASE = %d\n"
f4:	.asciz	"edges: wrapping = %d\n"
PROG
disk edges
boot edges
check 1 "the bytes of the top word" has_line edges.out "top"
check 1 "a buffer ending at 0x80000000" has_line edges.out "edges: the top word = 4"
check 1 "one byte past the top" has_line edges.out "edges: one byte past the top = -2"
check 1 "from below USER_BASE" has_line edges.out "edges: from below USER_BASE = -2"
check 1 "wrapping" has_line edges.out "edges: wrapping = -2"
finish
