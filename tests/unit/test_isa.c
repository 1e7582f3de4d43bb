/*
 * test_isa.c - the ISA module against its promises: pg32.h's contracts for
 * isa_decode/isa_encode/isa_disasm and the name parsers, and isa/ISA.md's
 * statements about the encoding space, the privileged set and the control
 * registers.  Table-driven: every test walks isa_table, so a new row in
 * pg32.def is tested without a new test.
 *
 * Random field values come from a seeded PRNG; every failure message carries
 * the seed.  Set PG32_TEST_SEED to reproduce or vary a run.
 */
#include <criterion/criterion.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg32.h"

#define NRANDOM 2000		/* random samples per table entry */

/* --- seeded PRNG (splitmix64) ------------------------------------------ */

struct rng {
	uint64_t seed, s;
};

static struct rng rng_init(void)
{
	const char *env = getenv("PG32_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : UINT64_C(0x5047320000000001);

	return (struct rng){ seed, seed };
}

static uint32_t rnd(struct rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* --- what a table row's fields may hold ------------------------------- */

static bool has_operand(const struct isa_info *e, char letter)
{
	return strchr(e->operands, letter) != NULL;
}

/* The kind of immediate a row carries, from its operand letters (so the
 * operand column is checked against the format by the round trips). */
enum immkind { IMM_NONE, IMM_S16, IMM_U16, IMM_LUI, IMM_SH, IMM_B, IMM_J, IMM_CR };

static enum immkind imm_kind(const struct isa_info *e)
{
	if (has_operand(e, 'i') || has_operand(e, 'o'))
		return IMM_S16;
	if (has_operand(e, 'u'))
		return e->format == ISA_FMT_U ? IMM_LUI : IMM_U16;
	if (has_operand(e, 'h'))
		return IMM_SH;
	if (has_operand(e, 'b'))
		return IMM_B;
	if (has_operand(e, 'j'))
		return IMM_J;
	if (has_operand(e, 'c'))
		return IMM_CR;
	return IMM_NONE;
}

/* Edge values of each immediate kind, as isa_insn.imm holds them. */
static const int32_t edges_s16[] = { -32768, -32767, -1, 0, 1, 32766, 32767 };
static const int32_t edges_u16[] = { 0, 1, 0x7fff, 0x8000, 0xfffe, 0xffff };
static const int32_t edges_lui[] = { 0, 0x10000, 0x7fff0000, (int32_t)0x80000000u,
				     (int32_t)0xffff0000u };
static const int32_t edges_sh[] = { 0, 1, 15, 16, 30, 31 };
static const int32_t edges_b[] = { -32768 * 4, -4, 0, 4, 32767 * 4 };
static const int32_t edges_j[] = { -(1 << 19) * 4, -4, 0, 4, ((1 << 19) - 1) * 4 };
static const int32_t edges_cr[] = { 0, 1, ISA_NCR - 1 };
static const int32_t edges_none[] = { 0 };

static const int32_t *imm_edges(enum immkind k, size_t *n)
{
	switch (k) {
	case IMM_S16: *n = sizeof edges_s16 / sizeof *edges_s16; return edges_s16;
	case IMM_U16: *n = sizeof edges_u16 / sizeof *edges_u16; return edges_u16;
	case IMM_LUI: *n = sizeof edges_lui / sizeof *edges_lui; return edges_lui;
	case IMM_SH: *n = sizeof edges_sh / sizeof *edges_sh; return edges_sh;
	case IMM_B: *n = sizeof edges_b / sizeof *edges_b; return edges_b;
	case IMM_J: *n = sizeof edges_j / sizeof *edges_j; return edges_j;
	case IMM_CR: *n = sizeof edges_cr / sizeof *edges_cr; return edges_cr;
	case IMM_NONE: break;
	}
	*n = 1;
	return edges_none;
}

static int32_t imm_random(enum immkind k, struct rng *r)
{
	uint32_t v = rnd(r);

	switch (k) {
	case IMM_S16: return (int16_t)v;
	case IMM_U16: return (int32_t)(v & 0xffff);
	case IMM_LUI: return (int32_t)(v & 0xffff0000u);
	case IMM_SH: return (int32_t)(v & 31);
	case IMM_B: return (int16_t)v * 4;
	case IMM_J: return ((int32_t)(v << 12) >> 12) * 4;
	case IMM_CR: return (int32_t)(v % ISA_NCR);
	case IMM_NONE: break;
	}
	return 0;
}

/* A decoded instruction of row op, with the fields it does not use at 0 (as
 * isa_decode returns them). */
static struct isa_insn make_insn(unsigned op, unsigned rd, unsigned rs1, unsigned rs2, int32_t imm)
{
	const struct isa_info *e = &isa_table[op];

	return (struct isa_insn){
		.op = (uint16_t)op,
		.rd = (uint8_t)(has_operand(e, 'd') ? rd : 0),
		.rs1 = (uint8_t)(has_operand(e, 's') || has_operand(e, 'o') ? rs1 : 0),
		.rs2 = (uint8_t)(has_operand(e, 't') ? rs2 : 0),
		.imm = imm_kind(e) == IMM_NONE ? 0 : imm,
	};
}

static bool insn_eq(struct isa_insn a, struct isa_insn b)
{
	return a.op == b.op && a.rd == b.rd && a.rs1 == b.rs1 && a.rs2 == b.rs2 && a.imm == b.imm;
}

/* Encode x, check the word belongs to x's row, decode it and compare. */
static void check_round_trip(struct isa_insn x, uint64_t seed)
{
	const struct isa_info *e = &isa_table[x.op];
	const char *why = NULL;
	uint32_t w = 0;
	struct isa_insn y;

	cr_assert_eq(isa_encode(&x, &w, &why), 0,
		     "seed %#" PRIx64 ": %s rd=%u rs1=%u rs2=%u imm=%d refused: %s", seed,
		     e->name, x.rd, x.rs1, x.rs2, x.imm, why ? why : "(no reason)");
	cr_assert_eq(w & e->mask, e->match,
		     "seed %#" PRIx64 ": %s encoded as %#010x, outside its match/mask", seed,
		     e->name, w);
	y = isa_decode(w);
	cr_assert(insn_eq(x, y),
		  "seed %#" PRIx64 ": %s rd=%u rs1=%u rs2=%u imm=%d -> %#010x -> "
		  "op=%u rd=%u rs1=%u rs2=%u imm=%d", seed, e->name, x.rd, x.rs1, x.rs2,
		  x.imm, w, y.op, y.rd, y.rs1, y.rs2, y.imm);
}

/* --- encode/decode ------------------------------------------------------ */

Test(isa, encode_decode_round_trip_every_entry)
{
	struct rng r = rng_init();

	for (unsigned op = 0; op < ISA_NOPS; op++) {
		enum immkind k = imm_kind(&isa_table[op]);
		size_t nedge;
		const int32_t *edge = imm_edges(k, &nedge);

		/* Every register in every register field, with each edge immediate. */
		for (size_t i = 0; i < nedge; i++)
			for (unsigned reg = 0; reg < ISA_NREGS; reg++) {
				check_round_trip(make_insn(op, reg, 15 - reg, reg ^ 5, edge[i]), r.seed);
				check_round_trip(make_insn(op, reg, reg, reg, edge[i]), r.seed);
			}
		for (unsigned n = 0; n < NRANDOM; n++) {
			uint32_t v = rnd(&r);
			check_round_trip(make_insn(op, v & 15, (v >> 4) & 15, (v >> 8) & 15,
						   imm_random(k, &r)), r.seed);
		}
	}
}

/* The converse: every word a row matches (with a valid control register)
 * decodes to that row and encodes back to the same word, so the encoding is
 * a bijection between valid words and decoded instructions. */
Test(isa, decode_encode_round_trip_every_word_of_each_entry)
{
	struct rng r = rng_init();

	for (unsigned op = 0; op < ISA_NOPS; op++) {
		const struct isa_info *e = &isa_table[op];

		for (unsigned n = 0; n < NRANDOM; n++) {
			uint32_t w = e->match | (rnd(&r) & ~e->mask), back = 0;
			const char *why = NULL;
			struct isa_insn d;

			if (e->format == ISA_FMT_CRR && ISA_GET_B(w) >= ISA_NCR)
				w = (w & ~0x000f0000u) | ISA_MAKE_B(ISA_GET_B(w) % ISA_NCR);
			if (e->format == ISA_FMT_CRW && ISA_GET_A(w) >= ISA_NCR)
				w = (w & ~0x00f00000u) | ISA_MAKE_A(ISA_GET_A(w) % ISA_NCR);
			d = isa_decode(w);
			cr_assert_eq(d.op, op, "seed %#" PRIx64 ": %#010x decoded as op %u, not %s",
				     r.seed, w, d.op, e->name);
			cr_assert_eq(isa_encode(&d, &back, &why), 0, "seed %#" PRIx64
				     ": %#010x (%s) decodes but does not encode: %s", r.seed, w,
				     e->name, why);
			cr_assert_eq(back, w, "seed %#" PRIx64 ": %#010x (%s) re-encodes as %#010x",
				     r.seed, w, e->name, back);
		}
	}
}

/* A field value that does not fit must be refused with a reason. */
static void check_refused(unsigned op, unsigned rd, unsigned rs1, unsigned rs2, int32_t imm)
{
	struct isa_insn x = { .op = (uint16_t)op, .rd = (uint8_t)rd, .rs1 = (uint8_t)rs1,
			      .rs2 = (uint8_t)rs2, .imm = imm };
	const char *why = NULL;
	uint32_t w = 0xdeadbeef;

	cr_assert_eq(isa_encode(&x, &w, &why), -1,
		     "%s rd=%u rs1=%u rs2=%u imm=%d accepted as %#010x",
		     op < ISA_NOPS ? isa_table[op].name : "(no op)", rd, rs1, rs2, imm, w);
	cr_assert(why && *why, "refusal without a reason");
	cr_assert_eq(w, 0xdeadbeef, "a refused encoding wrote the word");
}

Test(isa, encode_rejects_out_of_range_fields)
{
	for (unsigned op = 0; op < ISA_NOPS; op++) {
		const struct isa_info *e = &isa_table[op];

		if (has_operand(e, 'd'))
			check_refused(op, 16, 0, 0, 0);
		if (has_operand(e, 's') || has_operand(e, 'o'))
			check_refused(op, 0, 16, 0, 0);
		if (has_operand(e, 't'))
			check_refused(op, 0, 0, 16, 0);
		switch (imm_kind(e)) {
		case IMM_S16:
			check_refused(op, 1, 2, 3, 32768);
			check_refused(op, 1, 2, 3, -32769);
			check_refused(op, 1, 2, 3, INT32_MIN);
			break;
		case IMM_U16:
			check_refused(op, 1, 2, 3, -1);
			check_refused(op, 1, 2, 3, 0x10000);
			break;
		case IMM_LUI:
			check_refused(op, 1, 2, 3, 1);
			check_refused(op, 1, 2, 3, 0x8000);
			check_refused(op, 1, 2, 3, 0x1234);
			break;
		case IMM_SH:
			check_refused(op, 1, 2, 3, -1);
			check_refused(op, 1, 2, 3, 32);
			break;
		case IMM_B:
			check_refused(op, 1, 2, 3, 2);
			check_refused(op, 1, 2, 3, 1);
			check_refused(op, 1, 2, 3, 32768 * 4);
			check_refused(op, 1, 2, 3, -32769 * 4);
			break;
		case IMM_J:
			check_refused(op, 1, 2, 3, 2);
			check_refused(op, 1, 2, 3, (1 << 19) * 4);
			check_refused(op, 1, 2, 3, -((1 << 19) + 1) * 4);
			break;
		case IMM_CR:
			check_refused(op, 1, 2, 3, ISA_NCR);
			check_refused(op, 1, 2, 3, 15);
			check_refused(op, 1, 2, 3, -1);
			break;
		case IMM_NONE:
			break;
		}
	}
	check_refused(ISA_OP_ILLEGAL, 0, 0, 0, 0);
	check_refused(0xffff, 0, 0, 0, 0);
}

/* --- the encoding space ----------------------------------------------- */

/* ISA.md section 3: the fixed bits (opcode + must-be-zero fields) of each
 * format, written out from the diagram rather than taken from pg32.h. */
Test(isa, format_masks_match_the_diagram)
{
	static const uint32_t want[ISA_NFMT] = {
		[ISA_FMT_R] = 0xff000fff,   [ISA_FMT_I] = 0xff000000,
		[ISA_FMT_IU] = 0xff000000,  [ISA_FMT_SH] = 0xff00ffe0,
		[ISA_FMT_U] = 0xff0f0000,   [ISA_FMT_S] = 0xff000000,
		[ISA_FMT_B] = 0xff000000,   [ISA_FMT_J] = 0xff000000,
		[ISA_FMT_CRR] = 0xff00ffff, [ISA_FMT_CRW] = 0xff00ffff,
		[ISA_FMT_R1] = 0xfff0ffff,  [ISA_FMT_N] = 0xffffffff,
		[ISA_FMT_D] = 0xff0fffff,
	};

	for (unsigned f = 0; f < ISA_NFMT; f++)
		cr_assert_eq(ISA_FMT_MASK(f), want[f], "format %u: mask %#010x, diagram %#010x",
			     f, ISA_FMT_MASK(f), want[f]);
}

Test(isa, table_entries_do_not_overlap)
{
	for (unsigned i = 0; i < ISA_NOPS; i++) {
		const struct isa_info *a = &isa_table[i];

		cr_assert_eq(a->match & ~a->mask, 0, "%s: match %#010x has bits outside mask %#010x",
			     a->name, a->match, a->mask);
		cr_assert_eq(a->match, (uint32_t)a->opcode << 24, "%s: match is not its opcode",
			     a->name);
		cr_assert_eq(a->mask, ISA_FMT_MASK(a->format), "%s: mask is not its format's",
			     a->name);
		for (unsigned j = 0; j < ISA_NOPS; j++)
			cr_assert(i == j || ((a->match ^ isa_table[j].match) & a->mask &
					     isa_table[j].mask) != 0,
				  "%s and %s overlap: some word matches both", a->name,
				  isa_table[j].name);
	}
}

/* The one definition of "assigned": some row matches the word and, for the
 * control-register formats, the register exists. */
static bool table_says_defined(uint32_t w)
{
	for (unsigned i = 0; i < ISA_NOPS; i++) {
		const struct isa_info *e = &isa_table[i];

		if ((w & e->mask) != e->match)
			continue;
		if (e->format == ISA_FMT_CRR)
			return ISA_GET_B(w) < ISA_NCR;
		if (e->format == ISA_FMT_CRW)
			return ISA_GET_A(w) < ISA_NCR;
		return true;
	}
	return false;
}

static bool opcode_assigned(unsigned opcode)
{
	for (unsigned i = 0; i < ISA_NOPS; i++)
		if (isa_table[i].opcode == opcode)
			return true;
	return false;
}

Test(isa, unassigned_opcodes_decode_illegal)
{
	struct rng r = rng_init();
	unsigned unassigned = 0;

	for (unsigned opc = 0; opc < 256; opc++) {
		if (opcode_assigned(opc))
			continue;
		unassigned++;
		/* Each low bit alone, all ones, all zeros, then random. */
		for (unsigned n = 0; n < 24 + 2 + 512; n++) {
			uint32_t low = n < 24 ? 1u << n : n == 24 ? 0 : n == 25 ? 0xffffffu
				       : rnd(&r) & 0xffffffu;
			uint32_t w = (uint32_t)opc << 24 | low;

			cr_assert_eq(isa_decode(w).op, ISA_OP_ILLEGAL,
				     "seed %#" PRIx64 ": %#010x (unassigned opcode %#04x) decodes as %u",
				     r.seed, w, opc, isa_decode(w).op);
		}
	}
	cr_assert_eq(unassigned, 256 - ISA_NOPS, "two rows share an opcode");
}

Test(isa, nonzero_must_be_zero_field_decodes_illegal)
{
	struct rng r = rng_init();

	for (unsigned op = 0; op < ISA_NOPS; op++) {
		const struct isa_info *e = &isa_table[op];
		uint32_t mbz = e->mask & 0x00ffffffu;

		for (unsigned bit = 0; bit < 24; bit++) {
			if (!(mbz & (1u << bit)))
				continue;
			for (unsigned n = 0; n < 64; n++) {
				struct isa_insn x = make_insn(op, rnd(&r) & 15, rnd(&r) & 15,
							      rnd(&r) & 15, imm_random(imm_kind(e), &r));
				const char *why;
				uint32_t w;

				cr_assert_eq(isa_encode(&x, &w, &why), 0, "%s: %s", e->name, why);
				w |= 1u << bit;
				cr_assert_eq(isa_decode(w).op, ISA_OP_ILLEGAL,
					     "seed %#" PRIx64 ": %s with must-be-zero bit %u set "
					     "(%#010x) is not ILLEGAL", r.seed, e->name, bit, w);
			}
			/* ...and all of them at once. */
			cr_assert_eq(isa_decode(e->match | mbz).op, ISA_OP_ILLEGAL,
				     "%s with every must-be-zero bit set", e->name);
		}
	}
}

Test(isa, control_register_numbers_beyond_ncr_decode_illegal)
{
	for (unsigned cr = ISA_NCR; cr < 16; cr++)
		for (unsigned reg = 0; reg < ISA_NREGS; reg++) {
			uint32_t rd = isa_table[ISA_OP_mfcr].match | ISA_MAKE_A(reg) | ISA_MAKE_B(cr);
			uint32_t wr = isa_table[ISA_OP_mtcr].match | ISA_MAKE_A(cr) | ISA_MAKE_B(reg);

			cr_assert_eq(isa_decode(rd).op, ISA_OP_ILLEGAL, "mfcr cr%u: %#010x", cr, rd);
			cr_assert_eq(isa_decode(wr).op, ISA_OP_ILLEGAL, "mtcr cr%u: %#010x", cr, wr);
		}
	for (unsigned cr = 0; cr < ISA_NCR; cr++) {
		struct isa_insn d = isa_decode(isa_table[ISA_OP_mfcr].match | ISA_MAKE_B(cr));

		cr_assert_eq(d.op, ISA_OP_mfcr, "mfcr of cr%u is ILLEGAL", cr);
		cr_assert_eq(d.imm, (int32_t)cr);
	}
}

Test(isa, zero_and_all_ones_words_are_illegal)
{
	cr_assert_eq(isa_decode(0x00000000u).op, ISA_OP_ILLEGAL);
	cr_assert_eq(isa_decode(0xffffffffu).op, ISA_OP_ILLEGAL);
}

/* Random words: the O(1) decoder agrees with a linear scan of the table. */
Test(isa, decoder_agrees_with_the_table_on_random_words)
{
	struct rng r = rng_init();

	for (unsigned n = 0; n < 200000; n++) {
		uint32_t w = rnd(&r);

		/* Bias toward assigned opcodes and zero low bits half of the time. */
		if (n & 1)
			w = (uint32_t)isa_table[w % ISA_NOPS].opcode << 24 |
			    (rnd(&r) & rnd(&r) & rnd(&r) & 0xffffffu);
		cr_assert_eq(isa_decode(w).op != ISA_OP_ILLEGAL, table_says_defined(w),
			     "seed %#" PRIx64 ": %#010x decodes as %u", r.seed, w, isa_decode(w).op);
	}
}

/* --- virtualizability ------------------------------------------------- */

Test(isa, sensitive_instructions_are_privileged)
{
	for (unsigned op = 0; op < ISA_NOPS; op++) {
		const struct isa_info *e = &isa_table[op];

		cr_assert(!(e->cls & ISA_C_SENSITIVE) || (e->cls & ISA_C_PRIV),
			  "%s is sensitive (class %#x) but not privileged: PG32 would not be "
			  "virtualizable by trap-and-emulate", e->name, e->cls);
	}
}

Test(isa, privileged_set_is_exactly_the_ten)
{
	static const char *const want[] = { "mfcr", "mtcr", "rfe", "wfi", "tlbflush",
					    "tlbinv", "in", "out", "rdst", "setie" };
	unsigned npriv = 0, nvirt = 0;

	for (unsigned op = 0; op < ISA_NOPS; op++) {
		if (isa_privileged(op, ISA_PG32))
			npriv++;
		if (isa_privileged(op, ISA_PG32V))
			nvirt++;
	}
	cr_assert_eq(npriv, 10, "%u privileged instructions, ISA.md lists 10", npriv);
	/* PG32-V (ISA.md 16) adds exactly vmrun, privileged too. */
	cr_assert_eq(nvirt, 11, "%u privileged instructions on PG32-V, ISA.md lists 11", nvirt);
	cr_assert(isa_privileged(ISA_OP_vmrun, ISA_PG32V) && !isa_exists(ISA_OP_vmrun, ISA_PG32)
		  && !isa_exists(ISA_OP_vmrun, ISA_PG32L), "vmrun: PG32-V only");
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		enum isa_op op = isa_lookup(want[i], strlen(want[i]));

		cr_assert_neq(op, ISA_OP_ILLEGAL, "%s missing", want[i]);
		cr_assert(isa_table[op].cls & ISA_C_PRIV, "%s not privileged", want[i]);
	}
	cr_assert(isa_table[ISA_OP_mfcr].cls & ISA_C_BEHV, "mfcr must be behaviour-sensitive");
	cr_assert(isa_table[ISA_OP_mtcr].cls & ISA_C_CTRL, "mtcr must be control-sensitive");
}

/* The theorem as the table states it (ISA.md 14.3 and 15): PG32 has no
 * offender; PG32-L has exactly its two LEAK rows, one of each kind. */
Test(isa, theorem_holds_for_pg32_and_fails_for_pg32l_naming_the_offenders)
{
	unsigned off[ISA_NOPS], n;

	cr_assert_eq(isa_offenders(ISA_PG32, off, ISA_NOPS), 0, "PG32 must be virtualizable");
	cr_assert_eq(isa_offenders(ISA_PG32V, off, ISA_NOPS), 0, "PG32-V must be virtualizable");
	n = isa_offenders(ISA_PG32L, off, ISA_NOPS);
	cr_assert_eq(n, 2, "PG32-L: %u offenders, ISA.md 15 names 2", n);
	cr_assert_eq(off[0], ISA_OP_rdst, "first offender %s", isa_table[off[0]].name);
	cr_assert_eq(off[1], ISA_OP_setie, "second offender %s", isa_table[off[1]].name);
	cr_assert(isa_table[ISA_OP_rdst].cls & ISA_C_BEHV, "rdst leaks the mode: BEHV");
	cr_assert(isa_table[ISA_OP_setie].cls & ISA_C_CTRL, "setie changes IE: CTRL");
	cr_assert_eq(isa_offenders(ISA_PG32L, off, 1), 2, "count beyond max");
	for (unsigned op = 0; op < ISA_NOPS; op++) {
		bool leak = isa_table[op].cls & ISA_C_LEAK;

		cr_assert(!leak || (isa_table[op].cls & ISA_C_PRIV), "%s: LEAK needs PRIV",
			  isa_table[op].name);
		bool virt = isa_table[op].cls & ISA_C_VIRT;

		cr_assert_eq(isa_privileged(op, ISA_PG32),
			     (isa_table[op].cls & ISA_C_PRIV) && !virt, "%s on PG32", isa_table[op].name);
		cr_assert_eq(isa_privileged(op, ISA_PG32L),
			     (isa_table[op].cls & ISA_C_PRIV) && !leak && !virt, "%s on PG32-L",
			     isa_table[op].name);
		cr_assert_eq(isa_privileged(op, ISA_PG32V), !!(isa_table[op].cls & ISA_C_PRIV),
			     "%s on PG32-V", isa_table[op].name);
	}
}

Test(isa, variant_names)
{
	cr_assert_eq(isa_variant_parse("pg32"), ISA_PG32);
	cr_assert_eq(isa_variant_parse("leaky"), ISA_PG32L);
	cr_assert_eq(isa_variant_parse("virt"), ISA_PG32V);
	cr_assert_eq(isa_variant_parse("PG32-L"), -1);
	cr_assert_str_eq(isa_variant_name(ISA_PG32L), "leaky");
}

Test(isa, trapping_and_memory_classes)
{
	for (unsigned op = 0; op < ISA_NOPS; op++) {
		const struct isa_info *e = &isa_table[op];
		bool trap = op == ISA_OP_syscall || op == ISA_OP_break || op == ISA_OP_hcall;
		bool load = e->opcode >= 0x30 && e->opcode <= 0x37;
		bool store = e->opcode >= 0x38 && e->opcode <= 0x3f;

		cr_assert_eq(!!(e->cls & ISA_C_TRAP), trap, "%s: TRAP class", e->name);
		cr_assert_eq(!!(e->cls & ISA_C_LOAD), load, "%s: LOAD class", e->name);
		cr_assert_eq(!!(e->cls & ISA_C_STORE), store, "%s: STORE class", e->name);
		cr_assert(!trap || !(e->cls & (ISA_C_PRIV | ISA_C_SENSITIVE)),
			  "%s always traps; it needs no other class", e->name);
	}
}

/* --- disassembler ----------------------------------------------------- */

static uint32_t enc(const char *name, unsigned rd, unsigned rs1, unsigned rs2, int32_t imm)
{
	enum isa_op op = isa_lookup(name, strlen(name));
	struct isa_insn x;
	const char *why = NULL;
	uint32_t w = 0;

	cr_assert_neq(op, ISA_OP_ILLEGAL, "no instruction %s", name);
	x = make_insn(op, rd, rs1, rs2, imm);
	cr_assert_eq(isa_encode(&x, &w, &why), 0, "%s: %s", name, why);
	return w;
}

static void check_disasm(uint32_t w, uint32_t pc, isa_symbolizer *sym, const char *want)
{
	char buf[80];
	int n = isa_disasm(w, pc, buf, sizeof buf, sym, NULL);

	cr_assert_str_eq(buf, want, "%#010x at %#x: \"%s\", expected \"%s\"", w, pc, buf, want);
	cr_assert_eq(n, (int)strlen(want), "%#010x: returned length %d", w, n);
}

Test(isa, disasm_prints_representative_instructions_exactly)
{
	check_disasm(enc("addi", ISA_R_A0, ISA_R_SP, 0, -16), 0, NULL, "addi    a0, sp, -16");
	check_disasm(enc("lw", ISA_R_T0, ISA_R_SP, 0, 8), 0, NULL, "lw      t0, 8(sp)");
	check_disasm(enc("sw", 0, ISA_R_SP, ISA_R_RA, -4), 0, NULL, "sw      ra, -4(sp)");
	check_disasm(enc("mfcr", ISA_R_T0, 0, 0, ISA_CR_STATUS), 0, NULL, "mfcr    t0, status");
	check_disasm(enc("mtcr", 0, ISA_R_A0, 0, ISA_CR_PTB), 0, NULL, "mtcr    ptb, a0");
	check_disasm(enc("beq", 0, ISA_R_A0, ISA_R_ZERO, 16), 0x1000, NULL,
		     "beq     a0, zero, 0x1010");
	check_disasm(enc("bne", 0, ISA_R_T0, ISA_R_T0 + 1, -8), 0x1000, NULL,
		     "bne     t0, t1, 0xff8");
	check_disasm(enc("jal", ISA_R_RA, 0, 0, 0x1000), 0x1000, NULL, "jal     ra, 0x2000");
	check_disasm(enc("jalr", ISA_R_ZERO, ISA_R_RA, 0, 0), 0, NULL, "jalr    zero, 0(ra)");
	check_disasm(enc("lui", ISA_R_A0, 0, 0, 0x12340000), 0, NULL, "lui     a0, 0x1234");
	check_disasm(enc("ori", ISA_R_A0, ISA_R_A0, 0, 0xff00), 0, NULL, "ori     a0, a0, 0xff00");
	check_disasm(enc("srai", ISA_R_S0, ISA_R_S0 + 3, 0, 31), 0, NULL, "srai    s0, s3, 31");
	check_disasm(enc("add", ISA_R_A0, ISA_R_A0 + 1, ISA_R_A0 + 2, 0), 0, NULL,
		     "add     a0, a1, a2");
	check_disasm(enc("tlbinv", 0, ISA_R_A0, 0, 0), 0, NULL, "tlbinv  a0");
	check_disasm(enc("out", 0, ISA_R_ZERO, ISA_R_A0, ISA_PORT_POWER), 0, NULL,
		     "out     a0, 32(zero)");
	check_disasm(enc("in", ISA_R_A0, ISA_R_ZERO, 0, ISA_PORT_MEMSIZE), 0, NULL,
		     "in      a0, 33(zero)");
	check_disasm(enc("rfe", 0, 0, 0, 0), 0, NULL, "rfe");
	check_disasm(enc("tlbflush", 0, 0, 0, 0), 0, NULL, "tlbflush");
	check_disasm(enc("syscall", 0, 0, 0, 0), 0, NULL, "syscall");
}

/* Names every address from 0x1000 on "loop", except 0x3000 and beyond. */
static const char *loop_symbolizer(void *ctx, uint32_t addr, uint32_t *off)
{
	(void)ctx;
	if (addr < 0x1000 || addr >= 0x3000)
		return NULL;
	*off = addr - 0x1000;
	return "loop";
}

Test(isa, disasm_prints_targets_through_the_symbolizer)
{
	check_disasm(enc("bne", 0, ISA_R_A0, ISA_R_ZERO, 8), 0x1000, loop_symbolizer,
		     "bne     a0, zero, loop+8");
	check_disasm(enc("blt", 0, ISA_R_A0, ISA_R_A0 + 1, -8), 0x1008, loop_symbolizer,
		     "blt     a0, a1, loop");
	check_disasm(enc("jal", ISA_R_ZERO, 0, 0, 0x2000), 0x1000, loop_symbolizer,
		     "jal     zero, 0x3000");
	check_disasm(enc("jal", ISA_R_RA, 0, 0, -0x1000), 0x2000, loop_symbolizer,
		     "jal     ra, loop");
}

Test(isa, disasm_prints_illegal_words_as_data)
{
	check_disasm(0x00000000u, 0, NULL, ".word 0x00000000");
	check_disasm(0xffffffffu, 0, NULL, ".word 0xffffffff");
	check_disasm(0x60bb0000u, 0, NULL, ".word 0x60bb0000");	/* mfcr cr11 */
	check_disasm(0x01000001u, 0, NULL, ".word 0x01000001");	/* add, bit 0 set */
}

Test(isa, disasm_never_overflows_and_always_terminates)
{
	uint32_t w = enc("addi", ISA_R_A0, ISA_R_SP, 0, -16);

	for (size_t size = 1; size < 24; size++) {
		char buf[32];

		memset(buf, 'X', sizeof buf);
		isa_disasm(w, 0, buf, size, NULL, NULL);
		cr_assert_eq(buf[size], 'X', "size %zu: wrote past the end", size);
		cr_assert(memchr(buf, '\0', size) != NULL, "size %zu: not terminated", size);
		cr_assert_eq(strncmp(buf, "addi    a0, sp, -16", strlen(buf)), 0,
			     "size %zu: \"%s\" is not a prefix", size, buf);
	}
	cr_assert_eq(isa_disasm(w, 0, NULL, 0, NULL, NULL), 0);
}

/*
 * A minimal one-line parser for the disassembler's output, driven by the
 * operand letters: what an assembler must accept.  Returns false if the text
 * does not parse.
 */
static bool parse_number(const char **p, int64_t *v)
{
	char *end;
	bool neg = **p == '-';
	const char *s = *p + neg;

	if (!isdigit((unsigned char)*s))
		return false;
	*v = (int64_t)strtoull(s, &end, 0);
	if (neg)
		*v = -*v;
	*p = end;
	return true;
}

static bool parse_reg(const char **p, unsigned *r, int (*parse)(const char *, size_t))
{
	size_t n = 0;
	int v;

	while (isalnum((unsigned char)(*p)[n]))
		n++;
	v = parse(*p, n);
	if (v < 0)
		return false;
	*r = (unsigned)v;
	*p += n;
	return true;
}

static bool reparse(const char *text, uint32_t pc, struct isa_insn *x)
{
	const char *p = text;
	size_t n = 0;
	unsigned reg;
	int64_t v;

	while (p[n] && p[n] != ' ')
		n++;
	memset(x, 0, sizeof *x);
	x->op = (uint16_t)isa_lookup(p, n);
	if (x->op == ISA_OP_ILLEGAL)
		return false;
	for (p += n; *p == ' '; p++)
		;
	for (const char *o = isa_table[x->op].operands; *o; o++) {
		switch (*o) {
		case ',':
			if (strncmp(p, ", ", 2))
				return false;
			p += 2;
			break;
		case 'd': if (!parse_reg(&p, &reg, isa_reg_parse)) return false; x->rd = (uint8_t)reg; break;
		case 's': if (!parse_reg(&p, &reg, isa_reg_parse)) return false; x->rs1 = (uint8_t)reg; break;
		case 't': if (!parse_reg(&p, &reg, isa_reg_parse)) return false; x->rs2 = (uint8_t)reg; break;
		case 'c': if (!parse_reg(&p, &reg, isa_cr_parse)) return false; x->imm = (int32_t)reg; break;
		case 'i': case 'h':
			if (!parse_number(&p, &v)) return false;
			x->imm = (int32_t)v;
			break;
		case 'u':
			if (!parse_number(&p, &v)) return false;
			x->imm = (int32_t)(isa_table[x->op].format == ISA_FMT_U ? v << 16 : v);
			break;
		case 'o':
			if (!parse_number(&p, &v) || *p++ != '(' || !parse_reg(&p, &reg, isa_reg_parse)
			    || *p++ != ')')
				return false;
			x->imm = (int32_t)v;
			x->rs1 = (uint8_t)reg;
			break;
		case 'b': case 'j':
			if (!parse_number(&p, &v)) return false;
			x->imm = (int32_t)((uint32_t)v - pc);
			break;
		}
	}
	return *p == '\0';
}

Test(isa, disasm_output_reassembles_to_the_same_word)
{
	struct rng r = rng_init();

	for (unsigned op = 0; op < ISA_NOPS; op++) {
		const struct isa_info *e = &isa_table[op];

		for (unsigned n = 0; n < 500; n++) {
			struct isa_insn x = make_insn(op, rnd(&r) & 15, rnd(&r) & 15, rnd(&r) & 15,
						      imm_random(imm_kind(e), &r));
			uint32_t pc = rnd(&r) & ~3u, w, back = 0;
			const char *why = NULL;
			char buf[80];

			cr_assert_eq(isa_encode(&x, &w, &why), 0, "%s: %s", e->name, why);
			isa_disasm(w, pc, buf, sizeof buf, NULL, NULL);
			cr_assert(reparse(buf, pc, &x), "seed %#" PRIx64 ": \"%s\" (%#010x at %#x) "
				  "does not parse back", r.seed, buf, w, pc);
			cr_assert_eq(isa_encode(&x, &back, &why), 0, "seed %#" PRIx64
				     ": \"%s\" parses but does not encode: %s", r.seed, buf, why);
			cr_assert_eq(back, w, "seed %#" PRIx64 ": \"%s\" at %#x: %#010x, "
				     "re-assembled %#010x", r.seed, buf, pc, w, back);
		}
	}
}

/* --- names ------------------------------------------------------------- */

static int reg(const char *s) { return isa_reg_parse(s, strlen(s)); }
static int cr(const char *s) { return isa_cr_parse(s, strlen(s)); }

Test(isa, register_names_parse)
{
	static const char *const abi[ISA_NREGS] = {
		"zero", "ra", "sp", "gp", "a0", "a1", "a2", "a3",
		"t0", "t1", "t2", "t3", "s0", "s1", "s2", "s3",
	};
	char buf[16];

	for (int i = 0; i < ISA_NREGS; i++) {
		cr_assert_eq(reg(abi[i]), i, "%s", abi[i]);
		cr_assert_str_eq(isa_reg_name((unsigned)i), abi[i]);
		snprintf(buf, sizeof buf, "r%d", i);
		cr_assert_eq(reg(buf), i, "%s", buf);
	}
	cr_assert_eq(reg("fp"), ISA_R_S0);
	cr_assert_eq(isa_reg_parse("spx", 2), ISA_R_SP, "the length bounds the name");
	cr_assert_eq(isa_reg_parse("r1,", 2), 1);
	cr_assert_str_eq(isa_reg_name(16), "?");
}

Test(isa, register_names_reject_non_registers)
{
	static const char *const bad[] = {
		"r16", "r05", "r00", "r99", "r", "x1", "", "a4", "t4", "s4", "zer", "zeros",
		"sp ", " sp", "f", "fpx", "r-1", "r1a", "status", "R1", "SP",
	};

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert_eq(reg(bad[i]), -1, "\"%s\" accepted as r%d", bad[i], reg(bad[i]));
}

Test(isa, control_register_names_parse)
{
	static const char *const names[ISA_NCR] = {
		"status", "tvec", "epc", "cause", "badva", "scratch",
		"ptb", "ipend", "imask", "timecmp", "icount",
	};
	static const char *const bad[] = {
		"cr11", "cr15", "cr05", "cr", "c", "r1", "status2", "stat", "", "sp", "cr-1", "crx",
	};
	char buf[16];

	for (int i = 0; i < ISA_NCR; i++) {
		cr_assert_eq(cr(names[i]), i, "%s", names[i]);
		cr_assert_str_eq(isa_cr_name((unsigned)i), names[i]);
		snprintf(buf, sizeof buf, "cr%d", i);
		cr_assert_eq(cr(buf), i, "%s", buf);
	}
	cr_assert_eq(isa_cr_parse("ptbx", 3), ISA_CR_PTB, "the length bounds the name");
	cr_assert_str_eq(isa_cr_name(ISA_NCR), "?");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert_eq(cr(bad[i]), -1, "\"%s\" accepted as cr%d", bad[i], cr(bad[i]));
}

/* "crN" is a number after "cr", nothing else: a name with a 'c' in front
 * is not a control register. */
Test(isa, control_register_names_reject_c_prefixed_names)
{
	static const char *const bad[] = { "cstatus", "cptb", "cicount", "ctvec" };

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert_eq(cr(bad[i]), -1, "\"%s\" accepted as cr%d", bad[i], cr(bad[i]));
}

Test(isa, mnemonic_lookup)
{
	for (unsigned op = 0; op < ISA_NOPS; op++) {
		const char *name = isa_table[op].name;

		cr_assert_eq(isa_lookup(name, strlen(name)), op, "%s", name);
	}
	cr_assert_eq(isa_lookup("addi   ", 4), ISA_OP_addi);
	cr_assert_eq(isa_lookup("ad", 2), ISA_OP_ILLEGAL);
	cr_assert_eq(isa_lookup("addx", 4), ISA_OP_ILLEGAL);
	cr_assert_eq(isa_lookup("", 0), ISA_OP_ILLEGAL);
	cr_assert_eq(isa_lookup("li", 2), ISA_OP_ILLEGAL, "pseudo-instructions are not rows");
}

Test(isa, cause_names)
{
	static const struct { unsigned cause; const char *name; } want[] = {
		{ ISA_CAUSE_ILLEGAL, "illegal" }, { ISA_CAUSE_PRIVILEGED, "privileged" },
		{ ISA_CAUSE_SYSCALL, "syscall" }, { ISA_CAUSE_HCALL, "hcall" },
		{ ISA_CAUSE_PF_STORE_PROT, "pf-store-prot" }, { ISA_CAUSE_TIMER, "timer" },
		{ ISA_CAUSE_DISK, "disk" }, { 14, "npf" }, { 15, "reserved" },
		{ ISA_NCAUSE, "reserved" }, { 0xffffffffu, "reserved" },
	};

	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		cr_assert_str_eq(isa_cause_name(want[i].cause), want[i].name, "cause %u",
				 want[i].cause);
	for (unsigned c = ISA_CAUSE_IRQ_BASE; c < ISA_CAUSE_IRQ_BASE + ISA_NIRQ; c++)
		cr_assert_str_neq(isa_cause_name(c), "reserved", "interrupt cause %u", c);
}

/* --- control registers -------------------------------------------------- */

Test(isa, cr_write_masks_match_the_specification)
{
	/* ISA.md section 6, "Control registers". */
	static const uint32_t want[ISA_NCR] = {
		[ISA_CR_STATUS] = 0x0000000f, [ISA_CR_TVEC] = 0xfffffffc,
		[ISA_CR_EPC] = 0xfffffffc, [ISA_CR_CAUSE] = 0xffffffff,
		[ISA_CR_BADVA] = 0xffffffff, [ISA_CR_SCRATCH] = 0xffffffff,
		[ISA_CR_PTB] = 0xfffff001, [ISA_CR_IPEND] = 0,
		[ISA_CR_IMASK] = 0x00000007, [ISA_CR_TIMECMP] = 0xffffffff,
		[ISA_CR_ICOUNT] = 0,
	};

	for (unsigned i = 0; i < ISA_NCR; i++)
		cr_assert_eq(isa_cr_wmask[i], want[i], "%s: wmask %#010x, ISA.md says %#010x",
			     isa_cr_name(i), isa_cr_wmask[i], want[i]);
	cr_assert_eq(ISA_ST_KM | ISA_ST_IE | ISA_ST_PKM | ISA_ST_PIE, isa_cr_wmask[ISA_CR_STATUS]);
	cr_assert_eq(isa_cr_wmask[ISA_CR_IMASK], (1u << ISA_NIRQ) - 1);
	cr_assert_eq(ISA_ST_RESET, ISA_ST_KM, "reset: kernel mode, interrupts off");
}
