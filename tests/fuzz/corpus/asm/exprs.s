A = 3
.equ B, A * 2 + 1
.set C, (B << 4) | ~A & 0xff
D = -(C / 3) % 7 ^ 5
E = 1 < 2 && 3 >= 3 || !0 == 1 != 0
F = G - 1
G = 0x10 + 0b101 + 0o17 + 017
	.word A, B, C, D, E, F, G, . - 0
	.byte 'a', '\n', '\\', '\''
	li t0, %hi(G)
	lui t1, %hi(label)
	addi t1, t1, %lo(label)
label:	lw a0, %lo(label)(t1)
	.space B
	.align A + 1
