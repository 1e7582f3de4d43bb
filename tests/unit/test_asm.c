/*
 * test_asm.c - the assembler, by what assembler/README.md promises: the
 * words each operand kind and each pseudo-instruction produce, li, %hi/%lo,
 * local labels, data directives and layout.  Errors: test_asm_errors.c.
 */
#include "test_asm.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define T 0x1000u	/* default text base */
enum { ZERO, RA, SP, GP, A0, A1, A2, A3, T0, T1, T2, T3, S0, S1, S2, S3 };

/* Assemble src and compare the first n words of .text with want[]. */
static void expect_words(const char *src, const uint32_t *want, unsigned n)
{
	struct asmres r;

	ta_run(&r, src);
	cr_assert_eq(r.errors, 0, "errors in:\n%s\n%s", src, r.diag);
	for (unsigned i = 0; i < n; i++)
		cr_expect_eq(ta_word(&r, T + 4 * i), want[i], "%s: word %u is 0x%08x, want 0x%08x",
			     src, i, ta_word(&r, T + 4 * i), want[i]);
	cr_expect_eq(r.elf.segs[0].filesz, 4 * n, "%s: %u bytes of text, want %u", src,
		     r.elf.segs[0].filesz, 4 * n);
	ta_free(&r);
}

#define EXPECT(src, ...) do {						\
	const uint32_t w_[] = { __VA_ARGS__ };				\
	expect_words(src, w_, sizeof w_ / sizeof w_[0]);		\
} while (0)

Test(asm, operand_kinds)
{
	EXPECT("add a0, a1, a2", ta_enc(ISA_OP_add, A0, A1, A2, 0));
	EXPECT("ADD A0, r5, R6", ta_enc(ISA_OP_add, A0, A1, A2, 0));
	EXPECT("sub fp, s1, zero", ta_enc(ISA_OP_sub, S0, S1, ZERO, 0));
	EXPECT("addi t0, sp, -32768", ta_enc(ISA_OP_addi, T0, SP, 0, -32768));
	EXPECT("addi t0, sp, 32767", ta_enc(ISA_OP_addi, T0, SP, 0, 32767));
	EXPECT("ori a0, a0, 0xffff", ta_enc(ISA_OP_ori, A0, A0, 0, 0xffff));
	EXPECT("slli a0, a1, 31", ta_enc(ISA_OP_slli, A0, A1, 0, 31));
	EXPECT("lui a0, 0x1234", ta_enc(ISA_OP_lui, A0, 0, 0, 0x12340000));
	EXPECT("lw a0, 8(sp)", ta_enc(ISA_OP_lw, A0, SP, 0, 8));
	EXPECT("lw a0, (sp)", ta_enc(ISA_OP_lw, A0, SP, 0, 0));
	EXPECT("lw a0, -4", ta_enc(ISA_OP_lw, A0, ZERO, 0, -4));
	EXPECT("lw a0, (2+2)*2(gp)", ta_enc(ISA_OP_lw, A0, GP, 0, 8));
	EXPECT("sw a1, -8(s0)", ta_enc(ISA_OP_sw, 0, S0, A1, -8));
	EXPECT("mfcr t0, status", ta_enc(ISA_OP_mfcr, T0, 0, 0, ISA_CR_STATUS));
	EXPECT("mtcr PTB, a0", ta_enc(ISA_OP_mtcr, 0, A0, 0, ISA_CR_PTB));
	EXPECT("mfcr t0, cr10", ta_enc(ISA_OP_mfcr, T0, 0, 0, 10));
	EXPECT("tlbinv a0", ta_enc(ISA_OP_tlbinv, 0, A0, 0, 0));
	EXPECT("syscall", ta_enc(ISA_OP_syscall, 0, 0, 0, 0));
	EXPECT("in a0, 1(zero)", ta_enc(ISA_OP_in, A0, ZERO, 0, 1));
	EXPECT("out a0, 0x20", ta_enc(ISA_OP_out, 0, ZERO, A0, 0x20));
}

Test(asm, branch_and_jump_targets)
{
	EXPECT("x: beq a0, a1, x", ta_enc(ISA_OP_beq, 0, A0, A1, 0));
	EXPECT("nop\nbne a0, zero, y\nnop\ny:",
	       ta_enc(ISA_OP_addi, 0, 0, 0, 0), ta_enc(ISA_OP_bne, 0, A0, ZERO, 8),
	       ta_enc(ISA_OP_addi, 0, 0, 0, 0));
	EXPECT("a: nop\njal ra, a", ta_enc(ISA_OP_addi, 0, 0, 0, 0),
	       ta_enc(ISA_OP_jal, RA, 0, 0, -4));
	EXPECT("blt a0, a1, 0x1000", ta_enc(ISA_OP_blt, 0, A0, A1, 0));
	EXPECT("jal zero, . + 0x1000", ta_enc(ISA_OP_jal, 0, 0, 0, 0x1000));
	/* pc + offset wraps modulo 2^32 (ISA.md 4.6): a branch at 0x1000 reaches
	 * 0xfffff000, which is how pg32-objdump prints its target. */
	EXPECT("beq a0, a1, 0xfffff000", ta_enc(ISA_OP_beq, 0, A0, A1, -0x2000));
	EXPECT("jal ra, 0xffe01000", ta_enc(ISA_OP_jal, RA, 0, 0, -0x200000));
	EXPECT("beq a0, a1, -0x1000", ta_enc(ISA_OP_beq, 0, A0, A1, -0x2000));
}

Test(asm, branch_targets_wrap_above_4g)
{
	struct asm_options o = { .text_base = 0xfffff000u };
	struct asmres r;

	ta_run_opt(&r, &o, ".space 0xff0\nbne a0, a1, 0x10\njal zero, 0xffff0000");
	cr_assert_eq(r.errors, 0, "%s", r.diag);
	cr_expect_eq(ta_word(&r, 0xfffffff0u), ta_enc(ISA_OP_bne, 0, A0, A1, 0x20));
	cr_expect_eq(ta_word(&r, 0xfffffff4u), ta_enc(ISA_OP_jal, 0, 0, 0, -0xfff4));
	ta_free(&r);
}

Test(asm, pseudo_instructions)
{
	EXPECT("nop", ta_enc(ISA_OP_addi, ZERO, ZERO, 0, 0));
	EXPECT("mv a0, a1", ta_enc(ISA_OP_addi, A0, A1, 0, 0));
	EXPECT("not a0, a1", ta_enc(ISA_OP_sub, A0, ZERO, A1, 0), ta_enc(ISA_OP_addi, A0, A0, 0, -1));
	EXPECT("neg a0, a1", ta_enc(ISA_OP_sub, A0, ZERO, A1, 0));
	EXPECT("j x\nx:", ta_enc(ISA_OP_jal, ZERO, 0, 0, 4));
	EXPECT("jal x\nx:", ta_enc(ISA_OP_jal, RA, 0, 0, 4));
	EXPECT("call x\nx:", ta_enc(ISA_OP_jal, RA, 0, 0, 4));
	EXPECT("ret", ta_enc(ISA_OP_jalr, ZERO, RA, 0, 0));
	EXPECT("jr t0", ta_enc(ISA_OP_jalr, ZERO, T0, 0, 0));
	EXPECT("jalr t0", ta_enc(ISA_OP_jalr, RA, T0, 0, 0));
	EXPECT("jalr a0, 4(t0)", ta_enc(ISA_OP_jalr, A0, T0, 0, 4));
	EXPECT("x: beqz a0, x", ta_enc(ISA_OP_beq, 0, A0, ZERO, 0));
	EXPECT("x: bnez a0, x", ta_enc(ISA_OP_bne, 0, A0, ZERO, 0));
	EXPECT("x: bltz a0, x", ta_enc(ISA_OP_blt, 0, A0, ZERO, 0));
	EXPECT("x: bgez a0, x", ta_enc(ISA_OP_bge, 0, A0, ZERO, 0));
	EXPECT("x: blez a0, x", ta_enc(ISA_OP_bge, 0, ZERO, A0, 0));
	EXPECT("x: bgtz a0, x", ta_enc(ISA_OP_blt, 0, ZERO, A0, 0));
	EXPECT("x: bgt a0, a1, x", ta_enc(ISA_OP_blt, 0, A1, A0, 0));
	EXPECT("x: ble a0, a1, x", ta_enc(ISA_OP_bge, 0, A1, A0, 0));
	EXPECT("x: bgtu a0, a1, x", ta_enc(ISA_OP_bltu, 0, A1, A0, 0));
	EXPECT("x: bleu a0, a1, x", ta_enc(ISA_OP_bgeu, 0, A1, A0, 0));
	EXPECT("seqz a0, a1", ta_enc(ISA_OP_sltiu, A0, A1, 0, 1));
	EXPECT("snez a0, a1", ta_enc(ISA_OP_sltu, A0, ZERO, A1, 0));
	EXPECT("la a0, 0x12345678", ta_enc(ISA_OP_lui, A0, 0, 0, 0x12340000),
	       ta_enc(ISA_OP_ori, A0, A0, 0, 0x5678));
	EXPECT("la a0, 4", ta_enc(ISA_OP_lui, A0, 0, 0, 0), ta_enc(ISA_OP_ori, A0, A0, 0, 4));
	/* Second instruction of an expansion branches relative to itself. */
	EXPECT("nop\nx: not a0, a0\nbgt a0, a1, x",
	       ta_enc(ISA_OP_addi, 0, 0, 0, 0), ta_enc(ISA_OP_sub, A0, ZERO, A0, 0),
	       ta_enc(ISA_OP_addi, A0, A0, 0, -1), ta_enc(ISA_OP_blt, 0, A1, A0, -8));
}

Test(asm, li_edge_values)
{
	EXPECT("li a0, 0", ta_enc(ISA_OP_addi, A0, ZERO, 0, 0));
	EXPECT("li a0, -1", ta_enc(ISA_OP_addi, A0, ZERO, 0, -1));
	EXPECT("li a0, 0x7fff", ta_enc(ISA_OP_addi, A0, ZERO, 0, 0x7fff));
	EXPECT("li a0, -32768", ta_enc(ISA_OP_addi, A0, ZERO, 0, -32768));
	EXPECT("li a0, 0x8000", ta_enc(ISA_OP_ori, A0, ZERO, 0, 0x8000));
	EXPECT("li a0, 0xffff", ta_enc(ISA_OP_ori, A0, ZERO, 0, 0xffff));
	EXPECT("li a0, 0x10000", ta_enc(ISA_OP_lui, A0, 0, 0, 0x10000));
	EXPECT("li a0, 0x80000000", ta_enc(ISA_OP_lui, A0, 0, 0, (int32_t)0x80000000u));
	EXPECT("li a0, 0xffff8000", ta_enc(ISA_OP_addi, A0, ZERO, 0, -32768));
	EXPECT("li a0, 0x12345678", ta_enc(ISA_OP_lui, A0, 0, 0, 0x12340000),
	       ta_enc(ISA_OP_ori, A0, A0, 0, 0x5678));
	EXPECT("li a0, -2147483648", ta_enc(ISA_OP_lui, A0, 0, 0, (int32_t)0x80000000u));
	EXPECT("li a0, 0xffffffff", ta_enc(ISA_OP_addi, A0, ZERO, 0, -1));
	EXPECT("K = 0x10001\nli a0, K", ta_enc(ISA_OP_lui, A0, 0, 0, 0x10000),
	       ta_enc(ISA_OP_ori, A0, A0, 0, 1));
	/* Not known in pass 1: always two instructions, even when small. */
	EXPECT("li a0, K\nK = 5", ta_enc(ISA_OP_lui, A0, 0, 0, 0), ta_enc(ISA_OP_ori, A0, A0, 0, 5));
	EXPECT("li a0, x\nx:", ta_enc(ISA_OP_lui, A0, 0, 0, 0), ta_enc(ISA_OP_ori, A0, A0, 0, 0x1008));
}

Test(asm, hi_lo_pairing)
{
	static const uint32_t vals[] = { 0, 1, 0x7fff, 0x8000, 0xffff, 0x12348765, 0x7fff8000,
					 0x80000000, 0xffff8000, 0xffffffff };
	for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		char src[160];
		struct asmres r;
		snprintf(src, sizeof src, "V = 0x%x\nlui a0, %%hi(V)\naddi a0, a0, %%lo(V)\n"
			 "lw a1, %%lo(V)(a0)", vals[i]);
		ta_run(&r, src);
		cr_assert_eq(r.errors, 0, "%s", r.diag);
		struct isa_insn hi = isa_decode(ta_word(&r, T)), lo = isa_decode(ta_word(&r, T + 4));
		cr_expect_eq((uint32_t)hi.imm + (uint32_t)lo.imm, vals[i],
			     "%%hi/%%lo of 0x%x give 0x%x + %d", vals[i], hi.imm, lo.imm);
		cr_expect_eq(isa_decode(ta_word(&r, T + 8)).imm, lo.imm);
		ta_free(&r);
	}
}

Test(asm, numeric_local_labels)
{
	EXPECT("1: nop\n1: beq a0, a1, 1b\nbeq a0, a1, 1f\n1: bne a0, a1, 1b\n",
	       ta_enc(ISA_OP_addi, 0, 0, 0, 0), ta_enc(ISA_OP_beq, 0, A0, A1, 0),
	       ta_enc(ISA_OP_beq, 0, A0, A1, 4), ta_enc(ISA_OP_bne, 0, A0, A1, 0));
	EXPECT("2: nop\n3: nop\nj 2b\nj 02b", ta_enc(ISA_OP_addi, 0, 0, 0, 0),
	       ta_enc(ISA_OP_addi, 0, 0, 0, 0), ta_enc(ISA_OP_jal, 0, 0, 0, -8),
	       ta_enc(ISA_OP_jal, 0, 0, 0, -12));
}

Test(asm, expressions)
{
	EXPECT(".word 1+2*3, (1+2)*3, 7/2, -7/2, -7%3, 1<<4|1, ~0&0xff, !0, !5",
	       7, 9, 3, (uint32_t)-3, (uint32_t)-1, 17, 0xff, 1, 0);
	EXPECT(".word 3>2, 3<=2, 2==2, 2!=2, 1&&0, 1||0, 6^3, 0x10 >> 2, -16 >> 2",
	       1, 0, 1, 0, 0, 1, 5, 4, (uint32_t)-4);
	/* Every operator, longest match first, with C's precedence. */
	EXPECT(".word 2<3, 3<2, 3>=3, 2>=3, 1<2==1, 8>>1>=4, 5&3==3, 1<<2<5, 6|1^3&2, 9%4*2",
	       1, 0, 1, 0, 1, 1, 1, 1, 7, 2);
	EXPECT(".word 0b101, 0o17, 017, 0x1F, 'a', '\\n', '\\x41', '\\''",
	       5, 15, 15, 31, 'a', '\n', 0x41, '\'');
	EXPECT(".word ., . + 4, x - .\nx:", T, T + 8, 4);
	EXPECT(".equ A, 3\n.set B, A * 2\nC = B + 1\n.word A, B, C", 3, 6, 7);
}

Test(asm, data_directives)
{
	struct asmres r;

	ta_run(&r, "nop\n.data\nb: .byte 1, -1, 255\n.half 0x1234, -2\n.align 4\nw: .word 0xdeadbeef\n"
		   ".ascii \"ab\"\n.asciz \"c\\n\"\n.string \"\"\n.space 3, 0x7e\n.zero 2\n"
		   ".balign 8\n.p2align 3\ne:\n.bss\nz: .space 10\n.align 16\nz2: .zero 4\n");
	cr_assert_eq(r.errors, 0, "%s", r.diag);
	uint32_t d = ta_sym(&r, "b");
	cr_expect_eq(d, 0x2000, "data at the next 4 KiB boundary after text, 0x%x", d);
	static const uint8_t want[] = { 1, 0xff, 0xff, 0x34, 0x12, 0xfe, 0xff, 0,
					0xef, 0xbe, 0xad, 0xde, 'a', 'b', 'c', '\n', 0, 0,
					0x7e, 0x7e, 0x7e, 0, 0 };
	for (unsigned i = 0; i < sizeof want; i++)
		cr_expect_eq(ta_byte(&r, d + i), want[i], "byte %u: 0x%x, want 0x%x", i,
			     ta_byte(&r, d + i), want[i]);
	cr_expect_eq(ta_sym(&r, "w"), d + 8);
	cr_expect_eq(ta_sym(&r, "e"), d + 24);
	cr_expect_eq(ta_sym(&r, "z") % 16, 0, "bss aligned to its largest .align");
	cr_expect_eq(ta_sym(&r, "z2"), ta_sym(&r, "z") + 16);
	ta_free(&r);
}

Test(asm, org_and_layout)
{
	struct asm_options o = { .text_base = 0x40000000, .data_base = 0x50000000 };
	struct asmres r;

	ta_run_opt(&r, &o, "nop\n.org 16\nx: nop\n.data\n.org 8\ny: .word x\n.bss\nz: .space 4\n");
	cr_assert_eq(r.errors, 0, "%s", r.diag);
	cr_expect_eq(ta_sym(&r, "x"), 0x40000010);
	cr_expect_eq(ta_sym(&r, "y"), 0x50000008);
	cr_expect_eq(ta_word(&r, 0x50000008), 0x40000010);
	cr_expect_eq(ta_sym(&r, "z"), 0x5000000c, "bss right after data");
	cr_expect_eq(ta_word(&r, 0x40000004), 0, ".org fills with zeros");
	cr_expect_eq(r.elf.entry, 0x40000000, "no _start: entry at the start of .text");
	ta_free(&r);
}

Test(asm, entry_point_and_symbols)
{
	struct asmres r;

	ta_run(&r, "nop\n.globl _start\n_start: nop\nK = 42\n.data\nd: .word 0\n");
	cr_assert_eq(r.errors, 0, "%s", r.diag);
	cr_expect_eq(r.elf.entry, 0x1004);
	const struct pgelf_symbol *s = pgelf_lookup(&r.elf, "_start");
	cr_expect_eq(s->bind, 1 /* STB_GLOBAL */);
	s = pgelf_lookup(&r.elf, "K");
	cr_expect_eq(s->value, 42);
	cr_expect_eq(s->shndx, 0xfff1 /* SHN_ABS */);
	cr_expect_eq(pgelf_lookup(&r.elf, "d")->bind, 0 /* STB_LOCAL */);
	cr_expect_not_null(pgelf_lookup(&r.elf, "t.s"), "an STT_FILE symbol per file");
	ta_free(&r);
}

/* An empty program assembles (to an image with no segments). */
Test(asm, empty_and_comment_only_sources)
{
	static const char *const srcs[] = { "", "# nothing\n\n   \t# more\n", "\n\n" };
	for (unsigned i = 0; i < 3; i++) {
		uint8_t *img = NULL;
		size_t size = 0;
		cr_expect_eq(asm_string(NULL, "e.s", srcs[i], &img, &size), 0);
		cr_expect(img && size > 52);
		free(img);
	}
}
