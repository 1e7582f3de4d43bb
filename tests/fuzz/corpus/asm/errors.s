N = 16
N = 4096
	.space N
	bogus a0
	.include ""
	.include "nowhere.s"
	addi a0, a0, 99999
	beq a0, a1, 0x100001000
	j -0x1000
	.word 1 / 0
	.org -1
	lw a0, 40000(sp)
	.byte 'a
	.ascii "open
x: x:
	.word x +
