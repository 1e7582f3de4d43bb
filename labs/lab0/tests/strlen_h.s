# strlen_h.s - calls strlen on each string of the table and prints
# "strlen(N) = LEN" for the Nth.
	.text
	.globl	_start
_start:	call	h_init
	li	s0, 0			# s0 = index
	la	s1, strings
1:	lw	a0, 0(s1)
	beqz	a0, 2f
	la	a3, strlen
	call	call_checked
	mv	s2, a0
	la	a0, s_pre
	call	h_puts
	mv	a0, s0
	call	h_dec
	la	a0, s_mid
	call	h_puts
	mv	a0, s2
	call	h_dec
	call	h_nl
	addi	s0, s0, 1
	addi	s1, s1, 4
	j	1b
2:	j	h_done

	.data
s_pre:	.asciz	"strlen("
s_mid:	.asciz	") = "
	.align	4
strings: .word	s_empty, s_a, s_hello, s_odd, s_long, s_high, 0
s_empty: .byte	0
s_a:	.asciz	"a"
s_hello: .asciz	"hello, world"
	.byte	0
s_odd:	.asciz	"odd"			# at an odd address
s_long:	.space	300, 'z'
	.byte	0
s_high:	.byte	0xff, 0x80, 0x7f, 0		# bytes >= 0x80 are not the end
	.include "harness.inc"
