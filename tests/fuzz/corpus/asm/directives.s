	.text
	.globl _start, f
_start:	la a0, msg
	li a1, 0x12345678
	li a2, -5
	call f
	j .
f:	addi sp, sp, -8
	sw ra, 4(sp)
	lw ra, 4(sp)
	addi sp, sp, 8
	ret
	.p2align 3
	.data
msg:	.asciz "hi\n\t\"q\"\\"
	.ascii "ab", "c"
	.byte 1, -2, 'x', '\x41'
	.half 0xffff, -3
	.word msg, f - _start, %hi(msg), %lo(msg)
	.balign 16
	.space 7, 0x55
	.zero 3
	.org 64
	.bss
	.align 8
buf:	.space 32
	.type f, @function
	.size f, 16
	.section .text, "ax"
	nop
