# print_int_h.s - prints "[" print_int(v) "]" on a line for each value of
# the table.
	.text
	.globl	_start
_start:	call	h_init
	la	s1, values
	la	s2, values_end
1:	beq	s1, s2, 2f
	li	a0, 91			# '['
	call	h_putc
	lw	a0, 0(s1)
	la	a3, print_int
	call	call_checked
	li	a0, 93			# ']'
	call	h_putc
	call	h_nl
	addi	s1, s1, 4
	j	1b
2:	j	h_done

	.data
	.align	4
values:	.word	0, 7, 10, 1234567890, -7, -100, 2147483647, -2147483648, 4000000000
values_end:
	.include "harness.inc"
