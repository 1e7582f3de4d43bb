# binom_h.s - prints "C(n,k) = v" for each (n, k) of the table, then how
# many stack words below sp the call of C(10,5) changed ("stack words: N").
	.equ	FILL, 256		# words below the harness's frame
	.text
	.globl	_start
_start:	call	h_init
	la	s1, cases
	la	s2, cases_end
1:	beq	s1, s2, 2f
	la	a0, s_c
	call	h_puts
	lw	a0, 0(s1)
	call	h_dec
	li	a0, 44			# ','
	call	h_putc
	lw	a0, 4(s1)
	call	h_dec
	la	a0, s_eq
	call	h_puts
	lw	a0, 0(s1)
	lw	a1, 4(s1)
	la	a3, binom
	call	call_checked
	call	h_dec
	call	h_nl
	addi	s1, s1, 8
	j	1b
2:	li	t0, FILL		# mark the stack below call_checked's frame
	addi	t1, sp, -32
	li	t2, 0x77777777
3:	addi	t1, t1, -4
	sw	t2, 0(t1)
	addi	t0, t0, -1
	bnez	t0, 3b
	li	a0, 10
	li	a1, 5
	la	a3, binom
	call	call_checked
	li	t0, FILL		# count the words that changed
	addi	t1, sp, -32
	li	t2, 0x77777777
	li	s0, 0
4:	addi	t1, t1, -4
	lw	t3, 0(t1)
	beq	t3, t2, 5f
	addi	s0, s0, 1
5:	addi	t0, t0, -1
	bnez	t0, 4b
	la	a0, s_stack
	call	h_puts
	mv	a0, s0
	call	h_dec
	call	h_nl
	j	h_done

	.data
s_c:	.asciz	"C("
s_eq:	.asciz	") = "
s_stack: .asciz	"stack words: "
	.align	4
cases:	.word	0,0, 1,0, 1,1, 5,2, 6,7, 10,5, 16,8, 20,3, 18,9
cases_end:
	.include "harness.inc"
