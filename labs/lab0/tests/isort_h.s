# isort_h.s - sorts each array of the table `cases` (count, address pairs,
# from data.s, which the test writes) and prints "isort K: v v v ...";
# each array sits between two guard words, and a guard that changed
# prints "guard: ...".
	.equ	GUARD, 0x6a6a6a6a
	.text
	.globl	_start
_start:	call	h_init
	la	s1, cases
	li	s3, 0			# s3 = case number
1:	lw	a1, 0(s1)
	bltz	a1, 5f
	lw	a0, 4(s1)
	la	a3, isort
	call	call_checked
	la	a0, s_isort
	call	h_puts
	mv	a0, s3
	call	h_dec
	li	a0, 58			# ':'
	call	h_putc
	lw	s0, 4(s1)		# s0 = element
	lw	s2, 0(s1)
	slli	s2, s2, 2
	add	s2, s2, s0		# s2 = end
2:	beq	s0, s2, 3f
	li	a0, 32
	call	h_putc
	lw	a0, 0(s0)
	call	h_dec
	addi	s0, s0, 4
	j	2b
3:	call	h_nl
	lw	t0, 4(s1)		# the guards
	lw	t1, -4(t0)
	lw	t2, 0(s2)
	li	t3, GUARD
	bne	t1, t3, 4f
	beq	t2, t3, 6f
4:	la	a0, s_guard
	call	h_puts
	mv	a0, s3
	call	h_dec
	call	h_nl
6:	addi	s1, s1, 8
	addi	s3, s3, 1
	j	1b
5:	j	h_done

	.data
s_isort: .asciz	"isort "
s_guard: .asciz	"guard: isort wrote outside the array in case "
	.include "harness.inc"
