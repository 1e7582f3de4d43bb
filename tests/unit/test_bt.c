/*
 * test_bt.c - the block translator (vm/vmm/bt.c): the rewrite rules and
 * the fix-ups, checked on the words and by running translations on the
 * machine, where a callout must stop them (ILLEGAL, badva = the callout)
 * with the guest's own addresses in every register.
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

	bt_translate(code, 5, GUEST, TC, &b);
	cr_assert_eq(b.nbody, 5);
	cr_assert_eq(b.ninsns, 5);
	for (unsigned i = 0; i < 5; i++) {
		cr_assert_eq(b.words[i], code[i], "word %u rewritten", i);
		cr_assert_eq(bt_guest_pc(&b, TC + 4 * i), GUEST + 4 * i);
	}
	/* Out of instructions: an exit to the next guest pc. */
	cr_assert_eq(b.nwords, 6);
	cr_assert_eq(b.ncallouts, 1);
	cr_assert_eq(b.callouts[0].kind, BT_EXIT);
	cr_assert_eq(b.callouts[0].target, GUEST + 20);
}

Test(bt, every_sensitive_instruction_becomes_a_callout)
{
	for (unsigned op = 0; op < ISA_NOPS; op++) {
		if (!(isa_table[op].cls & ISA_C_SENSITIVE))
			continue;
		uint32_t w = enc((enum isa_op)op, A0, A1, A2, 0);
		const uint32_t code[] = { RI(addi, T0, ZERO, 1), w, RI(addi, T0, ZERO, 2) };
		struct bt_block b;

		bt_translate(code, 3, GUEST, TC, &b);
		cr_assert_eq(b.nbody, 1, "%s", isa_table[op].name);
		cr_assert_eq(b.ninsns, 2, "%s ends the block", isa_table[op].name);
		cr_assert_eq(b.words[1], BT_CALLOUT(0), "%s", isa_table[op].name);
		cr_assert_eq(isa_decode(b.words[1]).op, ISA_OP_ILLEGAL, "a callout must trap");
		cr_assert_eq(b.callouts[0].kind, BT_EMULATE);
		cr_assert_eq(b.callouts[0].word, w);
		cr_assert_eq(b.callouts[0].guest_pc, GUEST + 4);
		cr_assert_eq(bt_guest_pc(&b, TC + 4), GUEST + 4);
	}
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
		bt_translate(code[i], 2, GUEST, TC, &b);
		hw_set_reg(t.m, A0, 0x1234);
		c = run_to_callout(&t, &b, true);
		cr_assert_eq(c->kind, BT_EMULATE);
		cr_assert_eq(c->word, code[i][1]);
		cr_assert_eq(REG(&t, T0), 1, "the body ran");
		cr_assert_eq(REG(&t, A0), 0x1234, "rdst did not run");
		hwt_fini(&t);
	}
}

Test(bt, branch_exits_name_guest_pcs_taken_and_not)
{
	const uint32_t code[] = { RI(addi, T0, ZERO, 3), BR(beq, T0, A0, -64) };

	for (int taken = 0; taken < 2; taken++) {
		struct hwt t;
		struct bt_block b;
		const struct bt_callout *c;

		hwt_init(&t);
		bt_translate(code, 2, GUEST, TC, &b);
		cr_assert_eq(b.ncallouts, 2);
		hw_set_reg(t.m, A0, taken ? 3 : 4);
		c = run_to_callout(&t, &b, false);
		cr_assert_eq(c->kind, BT_EXIT);
		cr_assert_eq(c->target, taken ? GUEST + 4 - 64 : GUEST + 8, "taken %d", taken);
		cr_assert_eq(bt_guest_pc(&b, t.ex.pc), GUEST + 4);
		hwt_fini(&t);
	}
}

Test(bt, jal_links_the_guest_return_address_not_the_translation)
{
	const uint32_t code[] = { RI(addi, T0, ZERO, 3), JAL(RA, 0x100) };
	struct hwt t;
	struct bt_block b;
	const struct bt_callout *c;

	hwt_init(&t);
	bt_translate(code, 2, 0x12343ffcu - 4, TC, &b);	/* link 0x12344000: both halves */
	c = run_to_callout(&t, &b, false);
	cr_assert_eq(REG(&t, RA), 0x12344000u, "ra = %#x", REG(&t, RA));
	cr_assert_eq(c->kind, BT_EXIT);
	cr_assert_eq(c->target, 0x12343ffcu + 0x100);
	hwt_fini(&t);

	/* jalr: the target is known only at run time; the VMM links. */
	const uint32_t ind[] = { JALR(RA, 4, A0) };
	bt_translate(ind, 1, GUEST, TC, &b);
	cr_assert_eq(b.nwords, 1);
	cr_assert_eq(b.callouts[0].kind, BT_INDIRECT);
	cr_assert_eq(b.callouts[0].word, ind[0]);
}

Test(bt, chained_blocks_run_straight_through)
{
	const uint32_t a[] = { RI(addi, T0, ZERO, 7), JAL(ZERO, 0x40) };
	const uint32_t c2[] = { RI(addi, T1, T0, 1), enc(ISA_OP_rdst, A0, 0, 0, 0) };
	struct bt_block ba, bb;
	struct hwt t;
	const struct bt_callout *c;

	hwt_init(&t);
	bt_translate(a, 2, GUEST, TC, &ba);
	bt_translate(c2, 2, GUEST + 4 + 0x40, TC + 0x100, &bb);
	cr_assert_eq(ba.callouts[0].target, bb.guest_pc);
	cr_assert_eq(bt_chain(&ba, 0, bb.tc_pc), 0);
	cr_assert_eq(isa_decode(ba.words[ba.callouts[0].stub]).op, ISA_OP_jal);
	hwt_put(&t, ba.tc_pc, ba.words, ba.nwords);
	hwt_put(&t, bb.tc_pc, bb.words, bb.nwords);
	c = run_from(&t, &bb, ba.tc_pc, false);	/* from the first block */
	cr_assert_eq(c->kind, BT_EMULATE);
	cr_assert_eq(REG(&t, T1), 8, "both blocks ran");
	cr_assert_eq(bt_chain(&ba, 0, TC + (1u << 22)), -1, "beyond jal's range");
	hwt_fini(&t);
}

Test(bt, blocks_stop_at_the_page_end_and_at_guest_callout_words)
{
	const uint32_t code[] = { N(syscall), N(syscall), N(syscall) };
	const uint32_t fake[] = { RI(addi, T0, ZERO, 1), BT_CALLOUT(0) };
	struct bt_block b;

	bt_translate(code, 3, 0x3ff8, TC, &b);
	cr_assert_eq(b.ninsns, 2, "the page ends after two");
	cr_assert_eq(b.callouts[0].target, 0x4000);
	bt_translate(fake, 2, GUEST, TC, &b);
	cr_assert_eq(b.callouts[0].kind, BT_EMULATE, "a guest word 0xfe...: the VMM raises ILLEGAL");
}

/* --- the translation cache ------------------------------------------------- */

Test(bt, cache_finds_blocks_by_guest_pc_and_counts)
{
	const uint32_t code[] = { RI(addi, T0, ZERO, 1), JAL(ZERO, 8) };
	struct bt_cache c;
	struct bt_block *a, *b;

	cr_assert_eq(bt_cache_init(&c, TC, 0x10000), 0);
	cr_assert_null(bt_cache_lookup(&c, GUEST));
	a = bt_cache_add(&c, code, 2, GUEST, GUEST);
	b = bt_cache_add(&c, code, 2, GUEST + 0x100, GUEST);
	cr_assert_eq(a->tc_pc, TC);
	cr_assert_eq(b->tc_pc, TC + 4 * a->nwords, "laid out one after the other");
	cr_assert_eq(bt_cache_lookup(&c, GUEST), a);
	cr_assert_eq(bt_cache_lookup(&c, GUEST + 0x100), b);
	cr_assert_null(bt_cache_lookup(&c, GUEST + 4), "only block starts");
	cr_assert_eq(c.st.hits, 2);
	cr_assert_eq(c.st.misses, 2);
	cr_assert_eq(c.st.blocks, 2);
	cr_assert_eq(c.st.translated_insns, 4);
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
	cr_assert_not_null(bt_cache_lookup(&c, 0x40000000));
	cr_assert(bt_cache_written(&c, 0x5010));
	cr_assert_null(bt_cache_lookup(&c, 0x40000000), "stale translation kept");
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
		bt_cache_add(&c, code, 1, GUEST + 4 * i, GUEST);
		cr_assert_leq(c.used, 0x1000, "beyond the region");
	}
	cr_assert_eq(c.st.flushes, 1, "never full");
	cr_assert_gt(i, 0x1000 / (4 * BT_MAX_WORDS), "flushed too early, after %u", i);
	cr_assert_not_null(bt_cache_lookup(&c, GUEST + 4 * (i - 1)));
	cr_assert_null(bt_cache_lookup(&c, GUEST));
	cr_assert_eq(c.nblocks, 1);
	bt_cache_free(&c);
}
