/*
 * bt.c - the block translator of binary translation.  See bt.h for the
 * layout of a translation and its two rules (one for one, one tick per
 * guest instruction).  The rewrite rules, for guest instruction I at guest
 * pc g, word k of the translation:
 *
 *   innocuous I                    k: I                       (copied)
 *   bcc rs1, rs2, g+off            k: bcc rs1, rs2, stub S    (side exit)
 *                                  S: callout EXIT g+off, ticks 0
 *   jal zero, g+off                k: callout EXIT g+off, ticks 1   (ends)
 *   jal rd, g+off (rd != zero)     k: callout CALL g+off, ticks 1   (ends)
 *   jalr rd, imm(rs1)              k: callout INDIRECT, ticks 1     (ends)
 *   mfcr rd, cr (not ipend,        k: lw rd, 4*cr(VCPU page)  (inline)
 *   icount), rdst rd, mtcr
 *   scratch|cause|badva, rs        k: sw rs, 4*cr(VCPU page)  (inline)
 *   other sensitive I (CTRL, BEHV) k: callout EMULATE               (ends)
 *   or a guest word that looks
 *   like a callout
 *   (out of room after k words)    k: callout EXIT g, ticks 0
 *
 * and the side exits' stubs after that, so a block's body never runs into
 * one.
 * A link never holds a translation address: jal and jalr with a link are
 * callouts, and the VMM writes the guest's g + 4.  A side exit and an
 * in-place jal zero can later be chained (bt_chain) into one direct jump
 * of the machine that retires exactly the guest's branch or jump; a call
 * and the fall-through cannot without spending a tick the guest did not,
 * so they always go through the VMM.
 */
#include "bt.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned add_callout(struct bt_block *b, enum bt_kind kind, uint32_t g, uint32_t word,
			    uint32_t target, unsigned ticks)
{
	unsigned i = b->ncallouts++;

	assert(i < BT_MAX_CALLOUTS && "bt: too many callouts in a block");
	b->callouts[i] = (struct bt_callout){ .kind = kind, .guest_pc = g, .word = word,
					      .target = target, .stub = (uint16_t)b->nwords,
					      .src = (uint16_t)b->nwords, .ticks = (uint8_t)ticks };
	b->words[b->nwords++] = BT_CALLOUT(i);
	return i;
}

static bool is_branch(const struct isa_insn *d)
{
	return d->op < ISA_NOPS && isa_table[d->op].format == ISA_FMT_B;
}

/* Re-aim the branch at word k of b to address to; -1 if out of range. */
static int aim_branch(struct bt_block *b, unsigned k, uint32_t to)
{
	struct isa_insn d = isa_decode(b->words[k]);
	const char *why;

	d.imm = (int32_t)(to - (b->tc_pc + 4 * k));
	return isa_encode(&d, &b->words[k], &why);
}

/* LAB7 BEGIN: the rewrite rules for the instruction that ends a block (task 1) */
/* The translation of a block's last instruction w at guest pc g, at the
 * current end of b (see the table above). */
static void rewrite_last(struct bt_block *b, uint32_t w, uint32_t g)
{
	struct isa_insn d = isa_decode(w);
	unsigned i;

	if (d.op == ISA_OP_jalr) {
		add_callout(b, BT_INDIRECT, g, w, 0, 1);
	} else if (d.op == ISA_OP_jal && d.rd) {
		add_callout(b, BT_CALL, g, w, g + (uint32_t)d.imm, 1);
	} else if (d.op == ISA_OP_jal) {
		i = add_callout(b, BT_EXIT, g, w, g + (uint32_t)d.imm, 1);
		b->callouts[i].chainable = true;
	} else {
		add_callout(b, BT_EMULATE, g, w, 0, 0);
	}
}
/* LAB7 STUB
static void rewrite_last(struct bt_block *b, uint32_t w, uint32_t g)
{
	(void)b;
	(void)w;
	(void)g;
	(void)add_callout;
	fprintf(stderr, "vmlab: lab7: the rewrite rules (rewrite_last, vm/vmm/bt.c) not implemented\n");
	abort();
}
LAB7 END */

uint32_t bt_inline(uint32_t w)
{
	struct isa_insn d = isa_decode(w), m = { 0 };
	const char *why;
	uint32_t out;
	unsigned cr;

	switch (d.op) {
	case ISA_OP_rdst:	/* rd = status */
		d.imm = ISA_CR_STATUS;
		/* fall through */
	case ISA_OP_mfcr:
		cr = (unsigned)d.imm;
		/* ipend and icount change without the guest: callouts */
		if (cr >= ISA_NCR || cr == ISA_CR_IPEND || cr == ISA_CR_ICOUNT)
			return 0;
		m = (struct isa_insn){ .op = ISA_OP_lw, .rd = d.rd };
		break;
	case ISA_OP_mtcr:
		cr = (unsigned)d.imm;
		if (cr != ISA_CR_SCRATCH && cr != ISA_CR_CAUSE && cr != ISA_CR_BADVA)
			return 0;
		m = (struct isa_insn){ .op = ISA_OP_sw, .rs2 = d.rs1 };
		break;
	default:
		return 0;
	}
	m.imm = (int32_t)(BT_VCPU_VA + 4 * cr);
	return isa_encode(&m, &out, &why) ? 0 : out;
}

/* Does w end a block: a jump, a sensitive instruction, or a guest word
 * the translation could mistake for a callout? */
static bool ends_block(uint32_t w)
{
	struct isa_insn d = isa_decode(w);

	if (BT_IS_CALLOUT(w))
		return true;
	if (d.op >= ISA_NOPS)
		return false;	/* ILLEGAL: copied, it traps as in the guest */
	return (isa_table[d.op].cls & ISA_C_SENSITIVE) || d.op == ISA_OP_jal ||
	       d.op == ISA_OP_jalr;
}

/* LAB7 BEGIN: side exits: each bcc of the body aimed at its exit stub (task 4) */
/* The bccs at words 0..nbody of b leave the block: give each a stub at the
 * end (a callout EXIT to the guest's target, no tick: the bcc has retired)
 * and point the bcc at it. */
static void side_exits(struct bt_block *b, const uint32_t *code, unsigned nbody)
{
	for (unsigned k = 0; k < nbody; k++) {
		struct isa_insn d = isa_decode(code[k]);
		uint32_t g = b->guest_pc + 4 * k;
		unsigned i;

		if (!is_branch(&d))
			continue;
		i = add_callout(b, BT_EXIT, g, code[k], g + (uint32_t)d.imm, 0);
		b->callouts[i].src = (uint16_t)k;
		b->callouts[i].chainable = true;
		if (aim_branch(b, k, b->tc_pc + 4 * b->callouts[i].stub))
			assert(!"bt: a stub out of a branch's reach");
	}
}
/* LAB7 STUB
static void side_exits(struct bt_block *b, const uint32_t *code, unsigned nbody)
{
	(void)b;
	(void)aim_branch;
	for (unsigned k = 0; k < nbody; k++) {
		struct isa_insn d = isa_decode(code[k]);

		if (is_branch(&d)) {
			fprintf(stderr, "vmlab: lab7: side exits (side_exits, vm/vmm/bt.c) not implemented\n");
			abort();
		}
	}
}
LAB7 END */

void bt_translate(const uint32_t *code, unsigned n, uint32_t guest_pc, uint32_t tc_pc,
		  unsigned flags, struct bt_block *b)
{
	unsigned left = (ISA_PAGE_SIZE - (guest_pc & (ISA_PAGE_SIZE - 1))) / 4;
	unsigned k, nbranch = 0;

	assert(n >= 1 && (guest_pc & 3) == 0 && "bt_translate: bad block");
	*b = (struct bt_block){ .guest_pc = guest_pc, .tc_pc = tc_pc };
	if (n > left)
		n = left;
	if (n > BT_MAX_INSNS)
		n = BT_MAX_INSNS;
	/* Keep a callout for the last instruction and one for the
	 * fall-through beside the side exits. */
	for (k = 0; k < n; k++) {
		struct isa_insn d = isa_decode(code[k]);
		uint32_t w = flags & BT_INLINE ? bt_inline(code[k]) : 0;

		if (!w && ends_block(code[k]))
			break;
		if (is_branch(&d) && ++nbranch > BT_MAX_CALLOUTS - 2)
			break;
		b->words[b->nwords++] = w ? w : code[k];
	}
	b->ninsns = k;
	if (k < n && ends_block(code[k])) {
		rewrite_last(b, code[k], guest_pc + 4 * k);
		b->ninsns = k + 1;
	} else {	/* out of room: fall through to the next block */
		add_callout(b, BT_EXIT, guest_pc + 4 * k, 0, guest_pc + 4 * k, 0);
	}
	side_exits(b, code, k);
}

/* LAB7 BEGIN: from a translation address back to the guest's (task 2) */
uint32_t bt_guest_pc(const struct bt_block *b, uint32_t tc)
{
	uint32_t k = (tc - b->tc_pc) / 4;

	if (k < b->ninsns)
		return b->guest_pc + 4 * k;
	for (unsigned i = 0; i < b->ncallouts; i++)
		if (b->callouts[i].stub == k)
			return b->callouts[i].target;
	return b->guest_pc + 4 * b->ninsns;
}
/* LAB7 STUB
uint32_t bt_guest_pc(const struct bt_block *b, uint32_t tc)
{
	(void)b;
	(void)tc;
	fprintf(stderr, "vmlab: lab7: the guest pc of a translation address (bt_guest_pc, vm/vmm/bt.c) not implemented\n");
	abort();
}
LAB7 END */

int bt_chain(struct bt_block *b, unsigned i, uint32_t target_tc)
{
	struct bt_callout *c = &b->callouts[i];
	struct isa_insn in = { .op = ISA_OP_jal };
	const char *why;

	assert(i < b->ncallouts && "bt_chain: no such callout");
	if (!c->chainable)
		return -1;
	if (c->src != c->stub)		/* a side exit: its bcc */
		return aim_branch(b, c->src, target_tc) ? -1 : c->src;
	in.imm = (int32_t)(target_tc - (b->tc_pc + 4 * c->stub));
	return isa_encode(&in, &b->words[c->stub], &why) ? -1 : c->stub;
}
