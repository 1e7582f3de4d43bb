/*
 * jit_x86.h - the x86-64 encodings jit_spike.c emits: a byte buffer and
 * one function per instruction form, nothing more (no register allocation,
 * no guest knowledge).  Operands are host register numbers 0-15 in the
 * hardware's order; 32-bit forms (w = 0) zero the upper half, as the
 * spike's guest registers want.
 */
#ifndef BENCH_JIT_X86_H
#define BENCH_JIT_X86_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct x86_buf {
	uint8_t *code;
	uint32_t len;
};

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
/* Condition codes of jcc and setcc. */
enum { CC_B = 2, CC_AE = 3, CC_E = 4, CC_NE = 5, CC_L = 0xc, CC_GE = 0xd };
/* The /digit of the immediate ALU forms 0x81/0x83. */
enum { A_ADD = 0, A_OR = 1, A_AND = 4, A_SUB = 5, A_XOR = 6, A_CMP = 7 };

static inline void b1(struct x86_buf *c, unsigned x) { c->code[c->len++] = (uint8_t)x; }
static inline void b4(struct x86_buf *c, uint32_t x) { memcpy(c->code + c->len, &x, 4); c->len += 4; }

/* REX when needed: w 64-bit operands, reg/index/base their high bits;
 * force for the byte registers sil and dil. */
static inline void rex(struct x86_buf *c, int w, int reg, int index, int base, int force)
{
	unsigned v = 0x40 | w << 3 | (reg >> 3) << 2 | (index >> 3) << 1 | (base >> 3);

	if (v != 0x40 || force)
		b1(c, v);
}

/* A one-byte opcode, or a 0x0f-prefixed one written 0x0fxx. */
static inline void opc(struct x86_buf *c, unsigned op)
{
	if (op > 0xff)
		b1(c, op >> 8);
	b1(c, op & 0xff);
}

/* op reg, rm with rm a register */
static inline void rr(struct x86_buf *c, unsigned op, int w, int reg, int rm)
{
	rex(c, w, reg, 0, rm, 0);
	opc(c, op);
	b1(c, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

/* op reg, [base + disp32] */
static inline void rmd(struct x86_buf *c, unsigned op, int w, int reg, int base, int32_t disp)
{
	rex(c, w, reg, 0, base, 0);
	opc(c, op);
	b1(c, 0x80 | (reg & 7) << 3 | (base & 7));
	if ((base & 7) == RSP)
		b1(c, 0x24);		/* SIB: no index, base rsp/r12 */
	b4(c, (uint32_t)disp);
}

/* op reg, [base + index], 32-bit; base not rbp/r13 */
static inline void rm_idx(struct x86_buf *c, unsigned op, int reg, int base, int index, int byte_reg)
{
	rex(c, 0, reg, index, base, byte_reg);
	opc(c, op);
	b1(c, 0x04 | (reg & 7) << 3);
	b1(c, (index & 7) << 3 | (base & 7));
}

/* dst op= imm (op an A_* digit) */
static inline void alu_imm(struct x86_buf *c, int digit, int w, int dst, int32_t imm)
{
	bool small = imm >= -128 && imm <= 127;

	rex(c, w, 0, 0, dst, 0);
	b1(c, small ? 0x83 : 0x81);
	b1(c, 0xc0 | digit << 3 | (dst & 7));
	if (small)
		b1(c, (uint8_t)imm);
	else
		b4(c, (uint32_t)imm);
}

/* dst = imm, 32-bit (0 as xor: this changes the flags) */
static inline void mov_imm(struct x86_buf *c, int dst, uint32_t imm)
{
	if (imm == 0) {
		rr(c, 0x31, 0, dst, dst);
		return;
	}
	rex(c, 0, 0, 0, dst, 0);
	b1(c, 0xb8 + (dst & 7));
	b4(c, imm);
}

static inline void mov(struct x86_buf *c, int dst, int src)
{
	if (dst != src)
		rr(c, 0x89, 0, src, dst);
}

/* jcc (cc >= 0) or jmp (cc < 0) rel32, to nowhere yet: returns the offset
 * of the rel32 field, for patch. */
static inline uint32_t jump(struct x86_buf *c, int cc)
{
	if (cc < 0)
		b1(c, 0xe9);
	else
		opc(c, 0x0f80 | (unsigned)cc);
	b4(c, 0);
	return c->len - 4;
}

/* Point the rel32 field at offset field to offset target. */
static inline void patch(struct x86_buf *c, uint32_t field, uint32_t target)
{
	uint32_t rel = target - (field + 4);

	memcpy(c->code + field, &rel, 4);
}

#endif
