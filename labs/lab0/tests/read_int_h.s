# read_int_h.s - calls read_int until it says the input has ended: prints
# "[v]" for each number, then "end" (or "too many" after 1000 calls).
	.text
	.globl	_start
_start:	call	h_init
	li	s1, 1000
1:	la	a3, read_int
	call	call_checked
	beqz	a1, 2f
	mv	s0, a0
	li	a0, 91
	call	h_putc
	mv	a0, s0
	call	h_dec
	li	a0, 93
	call	h_putc
	call	h_nl
	addi	s1, s1, -1
	bnez	s1, 1b
	la	a0, s_many
	call	h_puts
	j	h_done
2:	la	a0, s_end
	call	h_puts
	j	h_done

	.data
s_end:	.asciz	"end\n"
s_many:	.asciz	"too many\n"
	.include "harness.inc"
