/*
 * test_hw_cpu.c - every instruction of pg32.def against ISA.md
 * "Instruction semantics": one step of the machine per case, with the
 * operands put in registers by the host.
 */
#include "test_hw_util.h"

#define CODE 0x1000u

/* Run one instruction at CODE with a1 = a, a2 = b, a0 = 0xdeadbeef; the
 * step must retire it (pc + 4); returns a0. */
static uint32_t exec1(struct hwt *t, uint32_t word, uint32_t a, uint32_t b)
{
	PUT(t, CODE, word);
	hw_set_pc(t->m, CODE);
	hw_set_reg(t->m, A0, 0xdeadbeef);
	hw_set_reg(t->m, A1, a);
	hw_set_reg(t->m, A2, b);
	cr_assert_eq(hw_step(t->m, &t->ex), HW_EXIT_STEP);
	cr_assert_eq(hw_get_pc(t->m), CODE + 4, "did not retire: pc 0x%x cause %u",
		     hw_get_pc(t->m), CR(t, CAUSE));
	return REG(t, A0);
}

struct alu_case {
	enum isa_op op;
	int32_t imm;		/* immediate forms */
	uint32_t a, b, want;
	const char *what;
};

#define C3(op, a, b, w, what)	{ ISA_OP_##op, 0, a, b, w, what }
#define CI(op, i, a, w, what)	{ ISA_OP_##op, i, a, 0, w, what }

static const struct alu_case alu[] = {
	C3(add, 1, 2, 3, "add"),
	C3(add, 0xffffffff, 1, 0, "add wraps mod 2^32"),
	C3(add, 0x7fffffff, 1, 0x80000000, "add signed overflow wraps, no trap"),
	C3(sub, 0, 1, 0xffffffff, "sub wraps"),
	C3(sub, 0x80000000, 1, 0x7fffffff, "sub INT_MIN - 1"),
	C3(and, 0xff00ff00, 0x0ff00ff0, 0x0f000f00, "and"),
	C3(or, 0xff00ff00, 0x0ff00ff0, 0xfff0fff0, "or"),
	C3(xor, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0, "xor"),
	C3(sll, 1, 31, 0x80000000, "sll by 31"),
	C3(sll, 1, 32, 1, "sll by 32 is by 0 (rs2 & 31)"),
	C3(sll, 1, 33, 2, "sll by 33 is by 1"),
	C3(srl, 0x80000000, 31, 1, "srl by 31"),
	C3(srl, 0x80000000, 32, 0x80000000, "srl by 32 is by 0"),
	C3(srl, 0x80000000, 1, 0x40000000, "srl is logical"),
	C3(sra, 0x80000000, 31, 0xffffffff, "sra by 31"),
	C3(sra, 0x80000000, 32, 0x80000000, "sra by 32 is by 0"),
	C3(sra, 0x40000000, 30, 1, "sra positive"),
	C3(slt, 0xffffffff, 1, 1, "slt -1 < 1"),
	C3(slt, 1, 0xffffffff, 0, "slt 1 < -1 is false"),
	C3(slt, 5, 5, 0, "slt equal"),
	C3(sltu, 0xffffffff, 1, 0, "sltu 0xffffffff < 1 is false"),
	C3(sltu, 1, 0xffffffff, 1, "sltu 1 < 0xffffffff"),
	C3(mul, 0x10000, 0x10000, 0, "mul keeps the low word"),
	C3(mul, (uint32_t)-3, 5, (uint32_t)-15, "mul signed operands"),
	C3(mulh, 0xffffffff, 0xffffffff, 0, "mulh -1 * -1"),
	C3(mulh, 0xffffffff, 1, 0xffffffff, "mulh -1 * 1 sign-extends"),
	C3(mulh, 0x80000000, 0x80000000, 0x40000000, "mulh INT_MIN^2"),
	C3(mulh, 0x7fffffff, 0x7fffffff, 0x3fffffff, "mulh INT_MAX^2"),
	C3(mulhu, 0xffffffff, 0xffffffff, 0xfffffffe, "mulhu max^2"),
	C3(mulhu, 0x80000000, 2, 1, "mulhu unsigned"),
	C3(div, 7, 2, 3, "div"),
	C3(div, (uint32_t)-7, 2, (uint32_t)-3, "div truncates toward zero"),
	C3(div, 7, (uint32_t)-2, (uint32_t)-3, "div by negative"),
	C3(div, 7, 0, 0xffffffff, "div by 0 -> -1"),
	C3(div, 0x80000000, 0xffffffff, 0x80000000, "div INT_MIN / -1 -> INT_MIN"),
	C3(divu, 7, 0, 0xffffffff, "divu by 0 -> 0xffffffff"),
	C3(divu, 0xffffffff, 2, 0x7fffffff, "divu unsigned"),
	C3(rem, (uint32_t)-7, 2, (uint32_t)-1, "rem has the sign of rs1"),
	C3(rem, 7, (uint32_t)-2, 1, "rem by negative"),
	C3(rem, 5, 0, 5, "rem by 0 -> rs1"),
	C3(rem, 0x80000000, 0xffffffff, 0, "rem INT_MIN % -1 -> 0"),
	C3(remu, 5, 0, 5, "remu by 0 -> rs1"),
	C3(remu, 0xffffffff, 10, 5, "remu unsigned"),
	CI(addi, -1, 1, 0, "addi sign-extends"),
	CI(addi, 0x7fff, 0xffffffff, 0x7ffe, "addi wraps"),
	CI(andi, 0xffff, 0xffffffff, 0xffff, "andi zero-extends"),
	CI(ori, 0x8000, 0, 0x8000, "ori zero-extends"),
	CI(xori, 0xffff, 0xffff0000, 0xffffffff, "xori zero-extends"),
	CI(slli, 31, 3, 0x80000000, "slli 31"),
	CI(slli, 0, 3, 3, "slli 0"),
	CI(srli, 31, 0x80000000, 1, "srli 31"),
	CI(srai, 31, 0x80000000, 0xffffffff, "srai 31"),
	CI(srai, 4, 0x80000000, 0xf8000000, "srai arithmetic"),
	CI(slti, 0, 0xffffffff, 1, "slti -1 < 0"),
	CI(slti, -1, 0, 0, "slti 0 < -1 is false"),
	CI(sltiu, -1, 0, 1, "sltiu imm sign-extended then unsigned"),
	CI(sltiu, 1, 0xffffffff, 0, "sltiu unsigned"),
	{ ISA_OP_lui, (int32_t)0x12340000, 0, 0, 0x12340000, "lui" },
	{ ISA_OP_lui, (int32_t)0xffff0000, 0, 0, 0xffff0000, "lui top bits" },
};

Test(hw_cpu, alu_table)
{
	struct hwt t;

	hwt_init(&t);
	for (size_t i = 0; i < sizeof alu / sizeof alu[0]; i++) {
		const struct alu_case *c = &alu[i];
		const struct isa_info *info = &isa_table[c->op];
		uint32_t w = info->format == ISA_FMT_R
			? enc(c->op, A0, A1, A2, 0) : enc(c->op, A0, A1, 0, c->imm);
		uint32_t got = exec1(&t, w, c->a, c->b);

		cr_expect_eq(got, c->want, "%s: %s 0x%x, 0x%x (imm %d) = 0x%x, want 0x%x",
			     c->what, info->name, c->a, c->b, c->imm, got, c->want);
	}
	hwt_fini(&t);
}

Test(hw_cpu, r0_reads_zero_and_ignores_writes)
{
	struct hwt t;

	hwt_init(&t);
	PUT(&t, CODE, RI(addi, ZERO, ZERO, 5), R3(add, A0, ZERO, ZERO),
	    LD(lw, ZERO, 0, ZERO), JAL(ZERO, 4), POWEROFF(A0));
	hw_set_pc(t.m, CODE);
	cr_assert_eq(hwt_run_off(&t), 0);
	cr_assert_eq(REG(&t, ZERO), 0);
	hwt_fini(&t);
}

/* Memory: lb/lh sign-extend, lbu/lhu zero-extend, stores write only their
 * bytes, little-endian. */
Test(hw_cpu, loads_extend_and_stores_write_their_bytes)
{
	struct hwt t;
	const uint32_t data = 0x2000;

	hwt_init(&t);
	PUT(&t, data, 0x8081f0ff, 0x11223344);
	hw_set_reg(t.m, S0, data + 4);	/* base register, negative offsets */
	cr_expect_eq(exec1(&t, LD(lb, A0, -4, S0), 0, 0), 0xffffffff, "lb 0xff");
	cr_expect_eq(exec1(&t, LD(lb, A0, -1, S0), 0, 0), 0xffffff80, "lb 0x80");
	cr_expect_eq(exec1(&t, LD(lbu, A0, -1, S0), 0, 0), 0x80, "lbu 0x80");
	cr_expect_eq(exec1(&t, LD(lh, A0, -2, S0), 0, 0), 0xffff8081, "lh");
	cr_expect_eq(exec1(&t, LD(lhu, A0, -2, S0), 0, 0), 0x8081, "lhu");
	cr_expect_eq(exec1(&t, LD(lh, A0, -4, S0), 0, 0), 0xfffff0ff, "lh low half");
	cr_expect_eq(exec1(&t, LD(lw, A0, 0, S0), 0, 0), 0x11223344, "lw");
	exec1(&t, ST(sb, A1, 1, S0), 0xaabbccdd, 0);
	cr_expect_eq(hwt_word(&t, data + 4), 0x1122dd44, "sb writes one byte");
	exec1(&t, ST(sh, A1, 2, S0), 0xaabbccdd, 0);
	cr_expect_eq(hwt_word(&t, data + 4), 0xccdddd44, "sh writes two bytes");
	exec1(&t, ST(sw, A1, -4, S0), 0xaabbccdd, 0);
	cr_expect_eq(hwt_word(&t, data), 0xaabbccdd, "sw");
	hwt_fini(&t);
}

/* MISALIGNED: badva = the address, no effect on rd or memory. */
Test(hw_cpu, misaligned_accesses_trap_without_effect)
{
	struct hwt t;
	uint32_t words[6];
	const uint32_t addr[6] = { 0x2001, 0x2002, 0x2003, 0x2001, 0x2001, 0x2003 };

	hwt_init(&t);
	hw_set_cr(t.m, ISA_CR_TVEC, 0x3000);
	hw_set_reg(t.m, S0, 0x2000);
	words[0] = LD(lh, A0, 1, S0);
	words[1] = LD(lw, A0, 2, S0);
	words[2] = LD(lhu, A0, 3, S0);
	words[3] = ST(sh, A1, 1, S0);
	words[4] = ST(sw, A1, 1, S0);
	words[5] = LD(lw, A0, 3, S0);
	for (int i = 0; i < 6; i++) {
		PUT(&t, 0x2000, 0x55555555);
		PUT(&t, CODE, words[i]);
		hw_set_pc(t.m, CODE);
		hw_set_reg(t.m, A0, 0x77);
		hw_set_reg(t.m, A1, 0);
		cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP);
		cr_expect_eq(hw_get_pc(t.m), 0x3000, "case %d vectors to tvec", i);
		cr_expect_eq(CR(&t, CAUSE), ISA_CAUSE_MISALIGNED, "case %d cause", i);
		cr_expect_eq(CR(&t, BADVA), addr[i], "case %d badva", i);
		cr_expect_eq(CR(&t, EPC), CODE, "case %d epc", i);
		cr_expect_eq(REG(&t, A0), 0x77, "case %d rd untouched", i);
		cr_expect_eq(hwt_word(&t, 0x2000), 0x55555555, "case %d memory untouched", i);
	}
	hwt_fini(&t);
}

/* Branches: target = pc + sext(off16)*4, taken or not by signed/unsigned
 * comparisons. */
Test(hw_cpu, branches)
{
	static const struct { enum isa_op op; uint32_t a, b; bool taken; } cases[] = {
		{ ISA_OP_beq, 5, 5, true }, { ISA_OP_beq, 5, 6, false },
		{ ISA_OP_bne, 5, 6, true }, { ISA_OP_bne, 5, 5, false },
		{ ISA_OP_blt, 0xffffffff, 0, true }, { ISA_OP_blt, 0, 0xffffffff, false },
		{ ISA_OP_blt, 3, 3, false },
		{ ISA_OP_bge, 0, 0xffffffff, true }, { ISA_OP_bge, 3, 3, true },
		{ ISA_OP_bge, 0xffffffff, 0, false },
		{ ISA_OP_bltu, 0, 0xffffffff, true }, { ISA_OP_bltu, 0xffffffff, 0, false },
		{ ISA_OP_bgeu, 0xffffffff, 0, true }, { ISA_OP_bgeu, 3, 3, true },
		{ ISA_OP_bgeu, 0, 0xffffffff, false },
	};
	struct hwt t;

	hwt_init(&t);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (int dir = -1; dir <= 1; dir += 2) {
			int32_t off = dir * 0x40;
			PUT(&t, CODE, enc(cases[i].op, 0, A1, A2, off));
			hw_set_pc(t.m, CODE);
			hw_set_reg(t.m, A1, cases[i].a);
			hw_set_reg(t.m, A2, cases[i].b);
			cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP);
			cr_expect_eq(hw_get_pc(t.m),
				     cases[i].taken ? CODE + (uint32_t)off : CODE + 4,
				     "%s 0x%x, 0x%x off %d", isa_table[cases[i].op].name,
				     cases[i].a, cases[i].b, off);
		}
	hwt_fini(&t);
}

Test(hw_cpu, branch_to_another_page_and_back)
{
	struct hwt t;

	hwt_init(&t);
	/* 0x1ffc: beq to 0x3000 (another page), which jumps back to 0x2000
	 * (the page after the first) and falls through to power off. */
	PUT(&t, 0x1ffc, BR(beq, ZERO, ZERO, 0x1004));
	PUT(&t, 0x3000, RI(addi, A0, A0, 1), JAL(ZERO, -0x1004));
	PUT(&t, 0x1ffc, BR(beq, ZERO, ZERO, 0x1004), RI(addi, A0, A0, 2), POWEROFF(A0));
	hw_set_pc(t.m, 0x1ffc);
	cr_assert_eq(hwt_run_off(&t), 3);
	hwt_fini(&t);
}

Test(hw_cpu, jal_links_and_jumps)
{
	struct hwt t;

	hwt_init(&t);
	PUT(&t, CODE, JAL(RA, 0x100));
	hw_set_pc(t.m, CODE);
	cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP);
	cr_expect_eq(hw_get_pc(t.m), CODE + 0x100);
	cr_expect_eq(REG(&t, RA), CODE + 4);
	PUT(&t, CODE, JAL(RA, -0x1000));	/* backwards */
	hw_set_pc(t.m, CODE);
	cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP);
	cr_expect_eq(hw_get_pc(t.m), 0);
	hwt_fini(&t);
}

Test(hw_cpu, jalr_links_after_computing_target)
{
	struct hwt t;

	hwt_init(&t);
	/* jalr ra, 8(ra): target from the old ra, then ra = pc + 4. */
	PUT(&t, CODE, JALR(RA, 8, RA));
	hw_set_pc(t.m, CODE);
	hw_set_reg(t.m, RA, 0x2000);
	cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP);
	cr_expect_eq(hw_get_pc(t.m), 0x2008);
	cr_expect_eq(REG(&t, RA), CODE + 4);
	hwt_fini(&t);
}

Test(hw_cpu, jalr_misaligned_traps_without_writing_rd)
{
	struct hwt t;

	hwt_init(&t);
	hw_set_cr(t.m, ISA_CR_TVEC, 0x3000);
	PUT(&t, CODE, JALR(RA, 2, A1));
	hw_set_pc(t.m, CODE);
	hw_set_reg(t.m, A1, 0x2000);
	hw_set_reg(t.m, RA, 0x1234);
	cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP);
	cr_expect_eq(hw_get_pc(t.m), 0x3000);
	cr_expect_eq(CR(&t, CAUSE), ISA_CAUSE_MISALIGNED);
	cr_expect_eq(CR(&t, BADVA), 0x2002);
	cr_expect_eq(CR(&t, EPC), CODE);
	cr_expect_eq(REG(&t, RA), 0x1234, "rd not written");
	hwt_fini(&t);
}

/* Self-modifying code: a store over an instruction already executed (and
 * predecoded) is seen the next time it runs. */
Test(hw_cpu, store_over_code_is_seen)
{
	struct hwt t;

	hwt_init(&t);
	/* loop: addi a0,a0,1 ; (patched) ; ...
	 * 0x1000 addi a0, a0, 1
	 * 0x1004 bne  a1, zero, +12 -> 0x1010 (second time round)
	 * 0x1008 sw   a2, 0(s0)     overwrite 0x1000 with "addi a0, a0, 100"
	 * 0x100c addi a1, zero, 1 ; jal back to 0x1000 */
	PUT(&t, CODE, RI(addi, A0, A0, 1), BR(bne, A1, ZERO, 16), ST(sw, A2, 0, S0),
	    RI(addi, A1, ZERO, 1), JAL(ZERO, -16), POWEROFF(A0));
	hw_set_reg(t.m, S0, CODE);
	hw_set_reg(t.m, A2, RI(addi, A0, A0, 100));
	hw_set_pc(t.m, CODE);
	cr_assert_eq(hwt_run_off(&t), 101);
	hwt_fini(&t);
}

Test(hw_cpu, host_write_over_code_is_seen)
{
	struct hwt t;

	hwt_init(&t);
	PUT(&t, CODE, RI(addi, A0, ZERO, 1), POWEROFF(A0));
	hw_set_pc(t.m, CODE);
	cr_assert_eq(hwt_run_off(&t), 1);
	hw_reset(t.m, CODE);
	PUT(&t, CODE, RI(addi, A0, ZERO, 2));
	cr_assert_eq(hwt_run_off(&t), 2);
	hwt_fini(&t);
}

/* Every row of the table is exercised somewhere in these tests; the
 * privileged, trapping and paging ones in test_hw_trap.c and
 * test_hw_mmu.c.  This keeps the list honest when the table grows. */
Test(hw_cpu, every_table_entry_has_a_semantic_test)
{
	static const enum isa_op elsewhere[] = {
		ISA_OP_lb, ISA_OP_lh, ISA_OP_lw, ISA_OP_lbu, ISA_OP_lhu, ISA_OP_sb,
		ISA_OP_sh, ISA_OP_sw, ISA_OP_beq, ISA_OP_bne, ISA_OP_blt, ISA_OP_bge,
		ISA_OP_bltu, ISA_OP_bgeu, ISA_OP_jal, ISA_OP_jalr, ISA_OP_syscall,
		ISA_OP_break, ISA_OP_hcall, ISA_OP_mfcr, ISA_OP_mtcr, ISA_OP_rfe,
		ISA_OP_wfi, ISA_OP_tlbflush, ISA_OP_tlbinv, ISA_OP_in, ISA_OP_out,
		ISA_OP_rdst, ISA_OP_setie,
		ISA_OP_vmrun,	/* test_hw_virt.c */
	};
	bool seen[ISA_NOPS] = { false };

	for (size_t i = 0; i < sizeof alu / sizeof alu[0]; i++)
		seen[alu[i].op] = true;
	for (size_t i = 0; i < sizeof elsewhere / sizeof elsewhere[0]; i++)
		seen[elsewhere[i]] = true;
	for (unsigned op = 0; op < ISA_NOPS; op++)
		cr_expect(seen[op], "no semantic test for %s", isa_table[op].name);
}
