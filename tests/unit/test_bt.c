/*
 * test_bt.c - the block translator (vm/vmm/bt.c) and the translation cache
 * (btcache.c): the rewrite rules and the fix-ups, checked on the words and
 * by running translations on the machine, where a callout must stop them
 * (ILLEGAL, badva = the callout) with the guest's own addresses in every
 * register and exactly the guest's ticks on the clock.
 */
#include "test_hw_util.h"

#include "bt.h"

#define GUEST 0x3000u	/* guest pc of the blocks */
#define TC 0x8000u	/* where their translations run */

/* Put b's translation at its tc_pc and run from start (kernel mode unless
 * user) until a callout of b; returns that callout's table entry. */
static const struct bt_callout *run_from(struct hwt *t, const struct bt_block *b,
					 uint32_t start, bool user)
{
	uint32_t w;

	hwt_put(t, b->tc_pc, b->words, b->nwords);
	hw_set_trap_to_host(t->m, 1u << ISA_CAUSE_ILLEGAL);
	hw_set_pc(t->m, start);
	if (user)
		hw_set_cr(t->m, ISA_CR_STATUS, ISA_ST_IE);
	cr_assert_eq(hwt_run(t), HW_EXIT_TRAP, "no callout reached (exit %d)", t->ex.reason);
	cr_assert_eq(t->ex.u.trap.cause, ISA_CAUSE_ILLEGAL);
	w = t->ex.u.trap.badva;
	cr_assert(BT_IS_CALLOUT(w), "ILLEGAL word %#x is not a callout", w);
	cr_assert_lt(BT_CALLOUT_INDEX(w), b->ncallouts);
	cr_assert_eq(t->ex.pc, b->tc_pc + 4 * b->callouts[BT_CALLOUT_INDEX(w)].stub);
	return &b->callouts[BT_CALLOUT_INDEX(w)];
}

static const struct bt_callout *run_to_callout(struct hwt *t, const struct bt_block *b,
					       bool user)
{
	return run_from(t, b, b->tc_pc, user);
}

Test(bt, innocuous_instructions_are_copied_one_for_one)
{
	const uint32_t code[] = { RI(addi, A0, ZERO, 5), LD(lw, T0, 8, SP),
				  ST(sw, T0, 12, SP), R3(add, A0, A0, T0), N(syscall) };
	struct bt_block b;

	bt_translate(code, 5, GUEST, TC, 0, &b);
	cr_assert_eq(b.ninsns, 5);
	for (unsigned i = 0; i < 5; i++) {
		cr_assert_eq(b.words[i], code[i], "word %u rewritten", i);
		cr_assert_eq(bt_guest_pc(&b, TC + 4 * i), GUEST + 4 * i);
	}
	/* Out of instructions: an exit to the next guest pc, retiring none. */
	cr_assert_eq(b.nwords, 6);
	cr_assert_eq(b.ncallouts, 1);
	cr_assert_eq(b.callouts[0].kind, BT_EXIT);
	cr_assert_eq(b.callouts[0].target, GUEST + 20);
	cr_assert_eq(b.callouts[0].ticks, 0);
	cr_assert(!b.callouts[0].chainable, "a fall-through jump would cost a tick");
	cr_assert_eq(bt_guest_pc(&b, TC + 20), GUEST + 20);
}

Test(bt, every_sensitive_instruction_becomes_a_callout_in_place)
{
	for (unsigned op = 0; op < ISA_NOPS; op++) {
		if (!(isa_table[op].cls & ISA_C_SENSITIVE))
			continue;
		uint32_t w = enc((enum isa_op)op, A0, A1, A2, 0);
		const uint32_t code[] = { RI(addi, T0, ZERO, 1), w, RI(addi, T0, ZERO, 2) };
		struct bt_block b;

		bt_translate(code, 3, GUEST, TC, 0, &b);
		cr_assert_eq(b.ninsns, 2, "%s ends the block", isa_table[op].name);
		cr_assert_eq(b.nwords, 2, "%s", isa_table[op].name);
		cr_assert_eq(b.words[1], BT_CALLOUT(0), "%s", isa_table[op].name);
		cr_assert_eq(isa_decode(b.words[1]).op, ISA_OP_ILLEGAL, "a callout must trap");
		cr_assert_eq(b.callouts[0].kind, BT_EMULATE);
		cr_assert_eq(b.callouts[0].word, w);
		cr_assert_eq(b.callouts[0].guest_pc, GUEST + 4);
		cr_assert_eq(bt_guest_pc(&b, TC + 4), GUEST + 4);
	}
}

/* --bt=inline: a control register read, or a write without side effects
 * or mask, is one load or store of the VCPU page; the rest stay callouts. */
Test(bt, inline_control_register_accesses_are_one_load_or_store)
{
	const uint32_t code[] = { MFCR(A0, ISA_CR_SCRATCH), MTCR(ISA_CR_CAUSE, A1),
				  enc(ISA_OP_rdst, A2, 0, 0, 0), MFCR(A3, ISA_CR_EPC),
				  MTCR(ISA_CR_EPC, A3) };
	const uint32_t no[] = { MFCR(A0, ISA_CR_ICOUNT), MFCR(A0, ISA_CR_IPEND),
				MTCR(ISA_CR_STATUS, A0), MTCR(ISA_CR_TIMECMP, A0),
				enc(ISA_OP_setie, 0, A0, 0, 0) };
	struct bt_block b;

	bt_translate(code, 5, GUEST, TC, BT_INLINE, &b);
	cr_assert_eq(b.ninsns, 5, "inline accesses do not end the block");
	cr_assert_eq(b.words[0], LD(lw, A0, (int32_t)(BT_VCPU_VA + 4 * ISA_CR_SCRATCH), ZERO));
	cr_assert_eq(b.words[1], ST(sw, A1, (int32_t)(BT_VCPU_VA + 4 * ISA_CR_CAUSE), ZERO));
	cr_assert_eq(b.words[2], LD(lw, A2, (int32_t)(BT_VCPU_VA + 4 * ISA_CR_STATUS), ZERO));
	cr_assert_eq(b.words[3], LD(lw, A3, (int32_t)(BT_VCPU_VA + 4 * ISA_CR_EPC), ZERO));
	cr_assert_eq(b.words[4], BT_CALLOUT(0), "epc has a write mask: a callout");
	for (unsigned i = 0; i < 5; i++)
		cr_assert_eq(bt_inline(no[i]), 0, "%#x has side effects", no[i]);
	bt_translate(code, 5, GUEST, TC, 0, &b);
	cr_assert_eq(b.ninsns, 1, "without BT_INLINE every one is a callout");
}

/* The point of it all: on PG32-L, a guest kernel's rdst and setie run in
 * physical user mode without trapping; translated, they reach the VMM. */
Test(bt, pg32l_leaks_are_caught_in_user_mode)
{
	const uint32_t code[][2] = { { RI(addi, T0, ZERO, 1), enc(ISA_OP_rdst, A0, 0, 0, 0) },
				     { RI(addi, T0, ZERO, 1), enc(ISA_OP_setie, 0, ZERO, 0, 0) } };

	for (int i = 0; i < 2; i++) {
		struct hwt t;
		struct bt_block b;
		const struct bt_callout *c;

		hwt_init_isa(&t, 1, -1, NULL, ISA_PG32L);
		bt_translate(code[i], 2, GUEST, TC, 0, &b);
		hw_set_reg(t.m, A0, 0x1234);
		c = run_to_callout(&t, &b, true);
		cr_assert_eq(c->kind, BT_EMULATE);
		cr_assert_eq(c->word, code[i][1]);
		cr_assert_eq(REG(&t, T0), 1, "the body ran");
		cr_assert_eq(REG(&t, A0), 0x1234, "rdst did not run");
		hwt_fini(&t);
	}
}

/* A bcc stays in its place (one for one) and leaves by a side exit when
 * taken; not taken, the block goes on.  Either way the machine's clock
 * shows exactly the guest instructions run. */
Test(bt, branches_are_side_exits_with_the_guests_ticks)
{
	const uint32_t code[] = { RI(addi, T0, ZERO, 3), BR(beq, T0, A0, -64),
				  RI(addi, T1, ZERO, 9), JAL(ZERO, 0x80) };

	for (int taken = 0; taken < 2; taken++) {
		struct hwt t;
		struct bt_block b;
		const struct bt_callout *c;

		hwt_init(&t);
		bt_translate(code, 4, GUEST, TC, 0, &b);
		cr_assert_eq(b.ninsns, 4, "a branch does not end the block");
		cr_assert_eq(isa_decode(b.words[1]).op, ISA_OP_beq, "the bcc kept its place");
		hw_set_reg(t.m, A0, taken ? 3 : 4);
		c = run_to_callout(&t, &b, false);
		cr_assert_eq(c->kind, BT_EXIT);
		if (taken) {
			cr_assert_eq(c->target, GUEST + 4 - 64);
			cr_assert_eq(c->ticks, 0, "the bcc itself retired");
			cr_assert_eq(c->src, 1);
			cr_assert_eq(hw_ticks(t.m), 2, "addi, beq");
			cr_assert_eq(REG(&t, T1), 0, "the fall-through path ran");
		} else {
			cr_assert_eq(c->target, GUEST + 12 + 0x80);
			cr_assert_eq(c->ticks, 1, "the guest's jal is the VMM's to retire");
			cr_assert_eq(c->stub, 3, "in place");
			cr_assert_eq(hw_ticks(t.m), 3, "addi, beq, addi");
			cr_assert_eq(REG(&t, T1), 9);
		}
		cr_assert(c->chainable);
		cr_assert_eq(bt_guest_pc(&b, t.ex.pc), taken ? GUEST + 4 - 64 : GUEST + 12);
		hwt_fini(&t);
	}
}

Test(bt, links_are_the_guests_return_address_never_the_translations)
{
	const uint32_t code[] = { RI(addi, T0, ZERO, 3), JAL(RA, 0x100) };
	const uint32_t ind[] = { JALR(RA, 4, A0) };
	struct hwt t;
	struct bt_block b;
	const struct bt_callout *c;

	hwt_init(&t);
	bt_translate(code, 2, 0x12343ff8u, TC, 0, &b);
	c = run_to_callout(&t, &b, false);
	cr_assert_eq(c->kind, BT_CALL, "the VMM writes the link");
	cr_assert_eq(c->guest_pc, 0x12343ffcu, "so ra = 0x12344000");
	cr_assert_eq(c->target, 0x12343ffcu + 0x100);
	cr_assert_eq(c->ticks, 1);
	cr_assert(!c->chainable, "a jump after the link would cost a tick");
	cr_assert_eq(REG(&t, RA), 0, "the machine wrote no link");
	hwt_fini(&t);

	/* jalr: the target is known only at run time; the VMM links. */
	bt_translate(ind, 1, GUEST, TC, 0, &b);
	cr_assert_eq(b.nwords, 1);
	cr_assert_eq(b.callouts[0].kind, BT_INDIRECT);
	cr_assert_eq(b.callouts[0].word, ind[0]);
	cr_assert_eq(b.callouts[0].ticks, 1);
}

Test(bt, chained_blocks_run_straight_through)
{
	const uint32_t a[] = { RI(addi, T0, ZERO, 7), JAL(ZERO, 0x40) };
	const uint32_t c2[] = { RI(addi, T1, T0, 1), enc(ISA_OP_rdst, A0, 0, 0, 0) };
	struct bt_block ba, bb;
	struct hwt t;
	const struct bt_callout *c;

	hwt_init(&t);
	bt_translate(a, 2, GUEST, TC, 0, &ba);
	bt_translate(c2, 2, GUEST + 4 + 0x40, TC + 0x100, 0, &bb);
	cr_assert_eq(ba.callouts[0].target, bb.guest_pc);
	cr_assert_eq(bt_chain(&ba, 0, bb.tc_pc), (int)ba.callouts[0].stub);
	cr_assert_eq(isa_decode(ba.words[ba.callouts[0].stub]).op, ISA_OP_jal);
	hwt_put(&t, ba.tc_pc, ba.words, ba.nwords);
	hwt_put(&t, bb.tc_pc, bb.words, bb.nwords);
	c = run_from(&t, &bb, ba.tc_pc, false);	/* from the first block */
	cr_assert_eq(c->kind, BT_EMULATE);
	cr_assert_eq(REG(&t, T1), 8, "both blocks ran");
	cr_assert_eq(hw_ticks(t.m), 3, "addi, jal, addi: the guest's count");
	cr_assert_eq(bt_chain(&ba, 0, TC + (1u << 22)), -1, "beyond jal's range");
	hwt_fini(&t);
}

Test(bt, a_chained_side_exit_is_the_bcc_itself)
{
	const uint32_t a[] = { BR(bne, A0, ZERO, 0x20), RI(addi, T0, ZERO, 1),
			       enc(ISA_OP_rdst, A1, 0, 0, 0) };
	const uint32_t c2[] = { RI(addi, T1, ZERO, 5), enc(ISA_OP_rdst, A2, 0, 0, 0) };
	struct bt_block ba, bb;
	struct hwt t;
	const struct bt_callout *c;
	int k;

	hwt_init(&t);
	bt_translate(a, 3, GUEST, TC, 0, &ba);
	bt_translate(c2, 2, GUEST + 0x20, TC + 0x100, 0, &bb);
	cr_assert_eq(ba.callouts[1].kind, BT_EXIT);
	k = bt_chain(&ba, 1, bb.tc_pc);
	cr_assert_eq(k, 0, "the bcc is rewritten");
	cr_assert_eq(bt_chain(&ba, 0, bb.tc_pc), -1, "an emulation is not an exit");
	hwt_put(&t, ba.tc_pc, ba.words, ba.nwords);
	hw_set_reg(t.m, A0, 1);
	c = run_from(&t, &bb, ba.tc_pc, false);
	cr_assert_eq(c, &bb.callouts[0]);
	cr_assert_eq(REG(&t, T0), 0);
	cr_assert_eq(REG(&t, T1), 5);
	cr_assert_eq(hw_ticks(t.m), 2, "bne, addi");
	hwt_fini(&t);
}

Test(bt, blocks_stop_at_the_page_end_and_at_guest_callout_words)
{
	const uint32_t code[] = { N(syscall), N(syscall), N(syscall) };
	const uint32_t fake[] = { RI(addi, T0, ZERO, 1), BT_CALLOUT(0) };
	struct bt_block b;

	bt_translate(code, 3, 0x3ff8, TC, 0, &b);
	cr_assert_eq(b.ninsns, 2, "the page ends after two");
	cr_assert_eq(b.callouts[0].target, 0x4000);
	bt_translate(fake, 2, GUEST, TC, 0, &b);
	cr_assert_eq(b.callouts[0].kind, BT_EMULATE, "a guest word 0xfe...: the VMM raises ILLEGAL");
}

Test(bt, too_many_branches_fall_through_to_a_new_block)
{
	uint32_t code[BT_MAX_INSNS];
	struct bt_block b;

	for (unsigned i = 0; i < BT_MAX_INSNS; i++)
		code[i] = BR(beq, A0, A1, 0x100);
	bt_translate(code, BT_MAX_INSNS, GUEST, TC, 0, &b);
	cr_assert_eq(b.ninsns, BT_MAX_CALLOUTS - 2);
	cr_assert_eq(b.ncallouts, BT_MAX_CALLOUTS - 1);
	/* The fall-through right after the body, then the side exits. */
	cr_assert_eq(b.callouts[0].stub, b.ninsns);
	cr_assert_eq(b.callouts[0].target, GUEST + 4 * b.ninsns);
	for (unsigned i = 0; i < b.ninsns; i++)
		cr_assert_eq(GUEST + 4 * i + 0x100, b.callouts[i + 1].target);
}

/* Not taken, the last bcc of a full block reaches the fall-through exit,
 * never a side exit's stub. */
Test(bt, a_full_block_falls_through_to_the_next_guest_pc)
{
	uint32_t code[BT_MAX_INSNS];
	struct bt_block b;
	struct hwt t;
	const struct bt_callout *c;

	for (unsigned i = 0; i < BT_MAX_INSNS; i++)
		code[i] = RI(addi, T0, T0, 1);
	code[3] = BR(beq, A0, A1, -12);
	hwt_init(&t);
	bt_translate(code, BT_MAX_INSNS, GUEST, TC, 0, &b);
	hw_set_reg(t.m, A1, 1);
	c = run_to_callout(&t, &b, false);
	cr_assert_eq(c->target, GUEST + 4 * BT_MAX_INSNS);
	cr_assert_eq(REG(&t, T0), BT_MAX_INSNS - 1);
	cr_assert_eq(hw_ticks(t.m), BT_MAX_INSNS);
	hwt_fini(&t);
}

/* --- the translation cache ------------------------------------------------- */

Test(bt, cache_finds_blocks_by_guest_pc_and_physical_address)
{
	const uint32_t code[] = { RI(addi, T0, ZERO, 1), JAL(ZERO, 8) };
	struct bt_cache c;
	struct bt_block *a, *b;

	cr_assert_eq(bt_cache_init(&c, TC, 0x10000), 0);
	cr_assert_null(bt_cache_lookup(&c, GUEST, GUEST));
	a = bt_cache_add(&c, code, 2, GUEST, GUEST);
	b = bt_cache_add(&c, code, 2, GUEST + 0x100, GUEST + 0x100);
	cr_assert_eq(a->tc_pc, TC);
	cr_assert_eq(b->tc_pc, TC + 4 * a->nwords, "laid out one after the other");
	cr_assert_eq(bt_cache_lookup(&c, GUEST, GUEST), a);
	cr_assert_eq(bt_cache_lookup(&c, GUEST + 0x100, GUEST + 0x100), b);
	cr_assert_null(bt_cache_lookup(&c, GUEST + 4, GUEST + 4), "only block starts");
	cr_assert_null(bt_cache_lookup(&c, GUEST, 0x9000), "the guest remapped the page");
	cr_assert_eq(c.st.hits, 2);
	cr_assert_eq(c.st.misses, 3);
	cr_assert_eq(c.st.blocks, 2);
	cr_assert_eq(c.st.translated_insns, 4);
	cr_assert_eq(bt_cache_find_tc(&c, TC + 4), a);
	cr_assert_eq(bt_cache_find_tc(&c, b->tc_pc + 4), b);
	cr_assert_null(bt_cache_find_tc(&c, b->tc_pc + 4 * b->nwords));
	bt_cache_free(&c);
}

Test(bt, cache_a_write_to_translated_code_flushes_it)
{
	const uint32_t code[] = { RI(addi, T0, ZERO, 1), JAL(ZERO, 8) };
	struct bt_cache c;

	cr_assert_eq(bt_cache_init(&c, TC, 0x10000), 0);
	bt_cache_add(&c, code, 2, 0x40000000, 0x5000);	/* virtual pc, physical page */
	cr_assert(bt_cache_holds_page(&c, 0x5ffc));
	cr_assert(!bt_cache_holds_page(&c, 0x6000));
	cr_assert(!bt_cache_written(&c, 0x6000), "a data page: nothing to do");
	cr_assert_not_null(bt_cache_lookup(&c, 0x40000000, 0x5000));
	cr_assert(bt_cache_written(&c, 0x5010));
	cr_assert_null(bt_cache_lookup(&c, 0x40000000, 0x5000), "stale translation kept");
	cr_assert_eq(c.st.invalidations, 1);
	cr_assert_eq(c.used, 0);
	bt_cache_free(&c);
}

Test(bt, cache_full_starts_afresh)
{
	const uint32_t code[] = { JAL(ZERO, 8) };
	struct bt_cache c;
	unsigned i;

	cr_assert_eq(bt_cache_init(&c, TC, 0x1000), 0);
	for (i = 0; i < 0x1000 && !c.st.flushes; i++) {
		bt_cache_add(&c, code, 1, GUEST + 4 * i, GUEST + 4 * i);
		cr_assert_leq(c.used, 0x1000, "beyond the region");
	}
	cr_assert_eq(c.st.flushes, 1, "never full");
	cr_assert_gt(i, 0x1000 / (4 * BT_MAX_WORDS), "flushed too early, after %u", i);
	cr_assert_not_null(bt_cache_lookup(&c, GUEST + 4 * (i - 1), GUEST + 4 * (i - 1)));
	cr_assert_null(bt_cache_lookup(&c, GUEST, GUEST));
	cr_assert_eq(c.nblocks, 1);
	bt_cache_free(&c);
}
