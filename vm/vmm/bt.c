/*
 * bt.c - the block translator of binary translation.  See bt.h for the
 * layout of a translation; the rewrite rules, for the block's last guest
 * instruction L at guest pc g, its fix-up at word k of the translation:
 *
 *   sensitive L (CTRL or BEHV),    k: callout EMULATE g
 *   or a guest word that looks
 *   like a callout
 *   bcc rs1, rs2, g+off            k: bcc rs1, rs2, +8     (to k+2)
 *                                k+1: callout EXIT g+4    (not taken)
 *                                k+2: callout EXIT g+off  (taken)
 *   jal rd, g+off (rd != zero)     k: lui rd, %hi-part of g+4
 *                                k+1: ori rd, rd, low 16 bits of g+4
 *                                k+2: callout EXIT g+off
 *   jal zero, g+off                k: callout EXIT g+off
 *   jalr rd, imm(rs1)              k: callout INDIRECT g
 *   (block full or page end)       k: callout EXIT g      (L not in block)
 *
 * So the guest sees its own addresses: a link register gets g + 4, never a
 * translation address, and every exit names a guest pc.
 */
#include "bt.h"

#include <assert.h>

static unsigned add_callout(struct bt_block *b, enum bt_kind kind, uint32_t g,
			    uint32_t word, uint32_t target)
{
	unsigned i = b->ncallouts++;

	assert(i < BT_MAX_CALLOUTS && "bt: too many callouts in a block");
	b->callouts[i] = (struct bt_callout){ kind, g, word, target, b->nwords };
	b->words[b->nwords++] = BT_CALLOUT(i);
	return i;
}

static void emit(struct bt_block *b, enum isa_op op, unsigned rd, unsigned rs1,
		 unsigned rs2, int32_t imm)
{
	struct isa_insn in = { .op = (uint16_t)op, .rd = (uint8_t)rd, .rs1 = (uint8_t)rs1,
			       .rs2 = (uint8_t)rs2, .imm = imm };
	const char *why;
	uint32_t w;

	if (isa_encode(&in, &w, &why))
		assert(!"bt: a fix-up does not encode");
	b->words[b->nwords++] = w;
}

/* The fix-up of the block's last instruction (see the table above). */
static void fix_up(struct bt_block *b, uint32_t w, uint32_t g)
{
	struct isa_insn d = isa_decode(w);
	unsigned fmt = d.op < ISA_NOPS ? isa_table[d.op].format : ISA_FMT_N;

	if (d.op == ISA_OP_jalr) {
		add_callout(b, BT_INDIRECT, g, w, 0);
	} else if (d.op == ISA_OP_jal) {
		if (d.rd) {
			uint32_t link = g + 4;

			emit(b, ISA_OP_lui, d.rd, 0, 0, (int32_t)(link & 0xffff0000u));
			emit(b, ISA_OP_ori, d.rd, d.rd, 0, (int32_t)(link & 0xffffu));
		}
		add_callout(b, BT_EXIT, g, w, g + (uint32_t)d.imm);
	} else if (fmt == ISA_FMT_B) {
		d.imm = 8;
		emit(b, (enum isa_op)d.op, 0, d.rs1, d.rs2, d.imm);
		add_callout(b, BT_EXIT, g, w, g + 4);
		add_callout(b, BT_EXIT, g, w, g + (uint32_t)isa_decode(w).imm);
	} else {
		add_callout(b, BT_EMULATE, g, w, 0);
	}
}

/* Does w end a block: a branch, a jump, a sensitive instruction, or a
 * guest word the translation could mistake for a callout? */
static bool ends_block(uint32_t w)
{
	struct isa_insn d = isa_decode(w);

	if (BT_IS_CALLOUT(w))
		return true;
	if (d.op >= ISA_NOPS)
		return false;	/* ILLEGAL: copied, it traps as in the guest */
	return (isa_table[d.op].cls & ISA_C_SENSITIVE) || d.op == ISA_OP_jal ||
	       d.op == ISA_OP_jalr || isa_table[d.op].format == ISA_FMT_B;
}

void bt_translate(const uint32_t *code, unsigned n, uint32_t guest_pc, uint32_t tc_pc,
		  struct bt_block *b)
{
	unsigned left = (ISA_PAGE_SIZE - (guest_pc & (ISA_PAGE_SIZE - 1))) / 4;
	unsigned k;

	assert(n >= 1 && (guest_pc & 3) == 0 && "bt_translate: bad block");
	*b = (struct bt_block){ .guest_pc = guest_pc, .tc_pc = tc_pc };
	if (n > left)
		n = left;
	if (n > BT_MAX_INSNS)
		n = BT_MAX_INSNS;
	for (k = 0; k < n && !ends_block(code[k]); k++)
		b->words[b->nwords++] = code[k];
	b->nbody = k;
	if (k < n) {
		fix_up(b, code[k], guest_pc + 4 * k);
		b->ninsns = k + 1;
	} else {
		add_callout(b, BT_EXIT, guest_pc + 4 * k, 0, guest_pc + 4 * k);
		b->ninsns = k;
	}
}

uint32_t bt_guest_pc(const struct bt_block *b, uint32_t tc)
{
	uint32_t k = (tc - b->tc_pc) / 4;

	return b->guest_pc + 4 * (k < b->nbody ? k : b->nbody);
}

int bt_chain(struct bt_block *b, unsigned i, uint32_t target_tc)
{
	struct bt_callout *c;
	struct isa_insn in = { .op = ISA_OP_jal };
	const char *why;

	assert(i < b->ncallouts && b->callouts[i].kind == BT_EXIT && "bt_chain: not an exit");
	c = &b->callouts[i];
	in.imm = (int32_t)(target_tc - (b->tc_pc + 4 * c->stub));
	return isa_encode(&in, &b->words[c->stub], &why);	/* -1: out of range */
}
