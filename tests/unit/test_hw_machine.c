/*
 * test_hw_machine.c - the run loop's contract (vm/hw/hw.h): trap exits to
 * the host leave the state unexecuted, budgets, single steps,
 * breakpoints, watchpoints, and determinism: the same program gives the
 * same run, tick for tick.
 */
#include "test_hw_util.h"

Test(hw_machine, trap_to_host_exit_leaves_the_instruction_unexecuted)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n"
		    " la t0, user\n mtcr epc, t0\n li t0, 1\n mtcr status, t0\n rfe\n"
		    "user: li a0, 5\n"
		    "priv: mtcr scratch, a0\n"
		    " li a1, 9\n"
		    "pf: lw a2, 2(zero)\n"
		    "handler: out zero, 0x20(zero)\n");
	hw_set_trap_to_host(t.m, 1u << ISA_CAUSE_PRIVILEGED | 1u << ISA_CAUSE_MISALIGNED);
	cr_assert_eq(hwt_run(&t), HW_EXIT_TRAP);
	cr_expect_eq(t.ex.pc, hwt_sym(&t, "priv"));
	cr_expect_eq(t.ex.u.trap.cause, ISA_CAUSE_PRIVILEGED);
	cr_expect_eq(t.ex.u.trap.insn, hwt_word(&t, hwt_sym(&t, "priv")));
	cr_expect_eq(t.ex.u.trap.badva, t.ex.u.trap.insn);
	cr_expect_eq(t.ex.u.trap.d.op, ISA_OP_mtcr);
	cr_expect_eq(t.ex.u.trap.d.imm, ISA_CR_SCRATCH);
	cr_expect_eq(t.ex.u.trap.d.rs1, A0);
	/* No trap entry: still user mode, pc at the instruction, cause 0. */
	cr_expect_eq(hw_get_pc(t.m), hwt_sym(&t, "priv"));
	cr_expect_eq(CR(&t, STATUS), 0);
	cr_expect_eq(CR(&t, CAUSE), 0);
	cr_expect_eq(CR(&t, SCRATCH), 0);
	uint64_t ticks = hw_ticks(t.m);
	/* The host emulates it and resumes. */
	hw_set_cr(t.m, ISA_CR_SCRATCH, REG(&t, A0));
	hw_set_pc(t.m, hw_get_pc(t.m) + 4);
	cr_assert_eq(hwt_run(&t), HW_EXIT_TRAP);
	cr_expect_eq(t.ex.u.trap.cause, ISA_CAUSE_MISALIGNED);
	cr_expect_eq(t.ex.u.trap.badva, 2);
	cr_expect_eq(t.ex.pc, hwt_sym(&t, "pf"));
	cr_expect_eq(REG(&t, A1), 9);
	cr_expect_eq(hw_ticks(t.m), ticks + 1, "only the li retired");
	cr_expect_eq(CR(&t, SCRATCH), 5);
	/* Reflect it: causes not in the mask vector normally. */
	hw_set_trap_to_host(t.m, 0);
	cr_assert_eq(hwt_run_off(&t), 0);
	cr_expect_eq(CR(&t, CAUSE), ISA_CAUSE_MISALIGNED);
	hwt_fini(&t);
}

/* A host trap handler (hw_set_trap_handler) that emulates mfcr scratch
 * and mtcr scratch the way a VMM would: on its own copy of the register,
 * pc += 4.  'action' is what it answers once it has emulated 'after'
 * instructions; it declines anything else. */
struct emu {
	struct machine *m;
	uint32_t scratch;
	unsigned calls, after, declined;
	enum hw_trap_action action;
};

static bool emulate(struct emu *e, const struct hw_exit *ex)
{
	const struct isa_insn *d = &ex->u.trap.d;

	if (ex->u.trap.cause != ISA_CAUSE_PRIVILEGED || d->imm != ISA_CR_SCRATCH)
		return false;
	if (d->op == ISA_OP_mfcr)
		hw_set_reg(e->m, d->rd, e->scratch);
	else if (d->op == ISA_OP_mtcr)
		e->scratch = hw_get_reg(e->m, d->rs1) * 3;
	else
		return false;
	hw_set_pc(e->m, ex->pc + 4);
	return true;
}

static enum hw_trap_action emu_handler(void *ctx, const struct hw_exit *ex)
{
	struct emu *e = ctx;

	if (!emulate(e, ex))
		return HW_TRAP_EXIT;
	return ++e->calls > e->after ? e->action : HW_TRAP_RESUME;
}

static enum hw_trap_action decline(void *ctx, const struct hw_exit *ex)
{
	(void)ex;
	((struct emu *)ctx)->declined++;
	return HW_TRAP_EXIT;
}

#define SCRATCH_PROGRAM \
	"_start: la t0, user\n mtcr epc, t0\n li t0, 1\n mtcr status, t0\n rfe\n" \
	"user: li s0, 20\n" \
	"1: addi s1, s1, 1\n mtcr scratch, s1\n addi s2, s2, 2\n mfcr a0, scratch\n" \
	" add s3, s3, a0\n addi s0, s0, -1\n bnez s0, 1b\n" \
	"last: syscall\n"

/* Load SCRATCH_PROGRAM, with PRIVILEGED and SYSCALL sent to the host and,
 * when 'handler', e's handler registered for PRIVILEGED. */
static void scratch_setup(struct hwt *t, struct emu *e, bool handler)
{
	hwt_init(t);
	hwt_asm(t, SCRATCH_PROGRAM);
	e->m = t->m;
	hw_set_trap_to_host(t->m, 1u << ISA_CAUSE_PRIVILEGED | 1u << ISA_CAUSE_SYSCALL);
	if (handler)
		hw_set_trap_handler(t->m, 1u << ISA_CAUSE_PRIVILEGED, emu_handler, e);
}

/* The same guest run with the handler and with TRAP exits emulated by the
 * caller ends in the same state, and the handler's answers are kept. */
Test(hw_machine, trap_handler_runs_the_emulation_inside_hw_run)
{
	struct hwt a, b;
	struct emu ea = { .action = HW_TRAP_RESUME, .after = 1000 }, eb = { 0 };
	enum hw_exit_reason r;

	scratch_setup(&a, &ea, true);
	cr_assert_eq(hwt_run(&a), HW_EXIT_TRAP);
	cr_expect_eq(a.ex.u.trap.cause, ISA_CAUSE_SYSCALL, "one exit: the syscall");
	cr_expect_eq(a.ex.pc, hwt_sym(&a, "last"));
	cr_expect_eq(ea.calls, 40);

	scratch_setup(&b, &eb, false);
	while ((r = hwt_run(&b)) == HW_EXIT_TRAP && emulate(&eb, &b.ex))
		;
	cr_assert_eq(r, HW_EXIT_TRAP);
	cr_expect_eq(b.ex.pc, a.ex.pc);
	cr_expect_eq(hw_ticks(b.m), hw_ticks(a.m));
	for (unsigned i = 0; i < ISA_NREGS; i++)
		cr_expect_eq(REG(&a, i), REG(&b, i), "r%u", i);
	cr_expect_eq(REG(&a, S3), 3 * 210, "sum of 3 * 1..20");
	hwt_fini(&a);
	hwt_fini(&b);
}

Test(hw_machine, trap_handler_return_and_decline)
{
	struct hwt t;
	struct emu e = { .action = HW_TRAP_RETURN, .after = 2 };

	scratch_setup(&t, &e, true);
	/* RETURN: the third (the second pass's mtcr) is done, hw_run returns. */
	cr_assert_eq(hwt_run(&t), HW_EXIT_HANDLED);
	cr_expect_eq(t.ex.u.trap.cause, ISA_CAUSE_PRIVILEGED);
	cr_expect_eq(t.ex.u.trap.d.op, ISA_OP_mtcr);
	cr_expect_eq(hw_get_pc(t.m), t.ex.pc, "the record's pc is the next one");
	cr_expect_eq(e.scratch, 6, "s1 = 2, emulated");
	/* EXIT: a handler that declines leaves the TRAP exit, unexecuted. */
	hw_set_trap_handler(t.m, 1u << ISA_CAUSE_PRIVILEGED, decline, &e);
	cr_assert_eq(hwt_run(&t), HW_EXIT_TRAP);
	cr_expect_eq(t.ex.u.trap.d.op, ISA_OP_mfcr);
	cr_expect_eq(hw_get_pc(t.m), t.ex.pc, "not executed");
	cr_expect_eq(e.declined, 1);
	/* hw_step never calls the handler. */
	hw_set_trap_handler(t.m, 1u << ISA_CAUSE_PRIVILEGED, emu_handler, &e);
	unsigned calls = e.calls;
	cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_TRAP);
	cr_expect_eq(e.calls, calls);
	hwt_fini(&t);
}

Test(hw_machine, interrupt_to_host)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: li t0, 1\n mtcr imask, t0\n li t0, 3\n mtcr status, t0\n"
		    " li t0, 20\n mtcr timecmp, t0\n1: j 1b\n");
	hw_set_trap_to_host(t.m, 1u << ISA_CAUSE_TIMER);
	cr_assert_eq(hwt_run(&t), HW_EXIT_TRAP);
	cr_expect_eq(t.ex.u.trap.cause, ISA_CAUSE_TIMER);
	cr_expect_eq(t.ex.u.trap.insn, 0);
	cr_expect_eq(hw_ticks(t.m), 20);
	cr_expect_eq(CR(&t, STATUS), 3, "not entered");
	hwt_fini(&t);
}

Test(hw_machine, budget_exits_at_exact_ticks_and_resumes)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: li s0, 1000\n1: addi s1, s1, 1\n addi s0, s0, -1\n bnez s0, 1b\n"
		    " out s1, 0x20(zero)\n");
	hw_set_budget(t.m, 100);
	cr_assert_eq(hwt_run(&t), HW_EXIT_BUDGET);
	cr_expect_eq(hw_ticks(t.m), 100);
	hw_set_budget(t.m, 1);
	cr_assert_eq(hwt_run(&t), HW_EXIT_BUDGET);
	cr_expect_eq(hw_ticks(t.m), 101);
	hw_set_budget(t.m, HW_NO_BUDGET);
	cr_assert_eq(hwt_run_off(&t), 1000 & 0xff);
	cr_expect_eq(hw_ticks(t.m), 1 + 3000 + 1);
	hwt_fini(&t);
}

Test(hw_machine, budget_during_wfi)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: li t0, 1\n mtcr imask, t0\n li t0, 5000\n mtcr timecmp, t0\n"
		    "w: wfi\n out zero, 0x20(zero)\n");
	hw_set_budget(t.m, 1000);
	cr_assert_eq(hwt_run(&t), HW_EXIT_BUDGET);
	cr_expect_eq(hw_ticks(t.m), 1000);
	cr_expect_eq(t.ex.pc, hwt_sym(&t, "w"), "wfi has not retired");
	hw_set_budget(t.m, HW_NO_BUDGET);
	cr_assert_eq(hwt_run_off(&t), 0);
	cr_expect_eq(hw_ticks(t.m), 5002);
	hwt_fini(&t);
}

Test(hw_machine, single_step)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n"
		    "a: addi s0, s0, 1\n"
		    "b: syscall\n"
		    "handler: out zero, 0x20(zero)\n");
	while (hw_get_pc(t.m) != hwt_sym(&t, "a"))
		cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP);
	uint64_t ticks = hw_ticks(t.m);
	cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP);
	cr_expect_eq(REG(&t, S0), 1);
	cr_expect_eq(hw_get_pc(t.m), hwt_sym(&t, "b"));
	cr_expect_eq(hw_ticks(t.m), ticks + 1);
	/* A trap entry is one step too (no tick). */
	cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP);
	cr_expect_eq(hw_get_pc(t.m), hwt_sym(&t, "handler"));
	cr_expect_eq(CR(&t, CAUSE), ISA_CAUSE_SYSCALL);
	cr_expect_eq(hw_ticks(t.m), ticks + 1);
	cr_expect_eq(hw_step(t.m, &t.ex), HW_EXIT_POWEROFF);
	hwt_fini(&t);
}

Test(hw_machine, breakpoints)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: li s0, 3\nloop: addi s1, s1, 1\n addi s0, s0, -1\n bnez s0, loop\n"
		    "end: out s1, 0x20(zero)\n");
	cr_assert_eq(hw_break_add(t.m, hwt_sym(&t, "loop")), 0);
	for (int i = 1; i <= 3; i++) {
		cr_assert_eq(hwt_run(&t), HW_EXIT_BREAKPOINT, "hit %d", i);
		cr_expect_eq(t.ex.pc, hwt_sym(&t, "loop"));
		cr_expect_eq(REG(&t, S1), (uint32_t)i - 1, "not executed yet");
	}
	cr_assert_eq(hw_break_del(t.m, hwt_sym(&t, "loop")), 0);
	cr_assert_eq(hwt_run_off(&t), 3);
	hwt_fini(&t);
}

/* hw.h: a run stops at a breakpoint at the pc it starts from, unless its
 * last stop was there; hw_break_pass passes it once; a step always runs
 * its instruction, and a stop after a step passes a breakpoint there. */
Test(hw_machine, breakpoint_where_the_run_starts)
{
	struct hwt t;
	uint32_t start;

	hwt_init(&t);
	hwt_asm(&t, "_start: li s1, 1\n li s1, 2\n out s1, 0x20(zero)\n");
	start = hw_get_pc(t.m);
	cr_assert_eq(hw_break_add(t.m, start), 0);
	cr_assert_eq(hwt_run(&t), HW_EXIT_BREAKPOINT, "the entry's breakpoint");
	cr_expect_eq(t.ex.pc, start);
	cr_expect_eq(hw_ticks(t.m), 0);
	cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP, "continuing off it");
	hw_set_pc(t.m, start);
	cr_assert_eq(hwt_run(&t), HW_EXIT_BREAKPOINT, "reached by a set pc");
	cr_expect_eq(REG(&t, S1), 1, "not executed again");
	hw_set_pc(t.m, start);
	cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP, "a step runs its instruction");
	cr_expect_eq(t.ex.pc, start + 4);
	cr_assert_eq(hw_break_add(t.m, start + 4), 0);
	hw_set_pc(t.m, start);
	cr_assert_eq(hw_step(t.m, &t.ex), HW_EXIT_STEP, "a step onto a breakpoint");
	cr_assert_eq(hw_break_del(t.m, start + 4), 0);
	cr_assert_eq(hw_break_add(t.m, start + 8), 0);
	cr_assert_eq(hw_break_add(t.m, start + 4), 0);
	cr_assert_eq(hwt_run(&t), HW_EXIT_BREAKPOINT, "after a step there, passed");
	cr_expect_eq(t.ex.pc, start + 8);
	hw_set_pc(t.m, start);
	hw_break_pass(t.m);
	cr_assert_eq(hwt_run(&t), HW_EXIT_BREAKPOINT, "passed by the caller");
	cr_expect_eq(t.ex.pc, start + 4);
	hw_reset(t.m, start);
	cr_assert_eq(hwt_run(&t), HW_EXIT_BREAKPOINT, "a reset forgets the last stop");
	hwt_fini(&t);
}

Test(hw_machine, watchpoints_virtual_and_physical)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: li t0, 0x8000\n li t1, 7\n sw t1, 0(t0)\n"
		    "st2: sb t1, 6(t0)\n nop\n out zero, 0x20(zero)\n");
	PUT(&t, 0x8004, 0x11223344);
	cr_assert_eq(hw_watch_add(t.m, 0x8000, false), 0);
	cr_assert_eq(hw_watch_add(t.m, 0x8006, true), 0);
	cr_assert_eq(hwt_run(&t), HW_EXIT_WATCHPOINT);
	cr_expect_eq(t.ex.u.watch.addr, 0x8000);
	cr_expect_eq(t.ex.u.watch.old, 0);
	cr_expect_eq(t.ex.u.watch.new_, 7);
	cr_expect_eq(t.ex.pc, hwt_sym(&t, "st2"), "after the store retired");
	cr_assert_eq(hwt_run(&t), HW_EXIT_WATCHPOINT);
	cr_expect_eq(t.ex.u.watch.addr, 0x8006);
	cr_expect(t.ex.u.watch.physical);
	cr_expect_eq(t.ex.u.watch.old, 0x11223344);
	cr_expect_eq(t.ex.u.watch.new_, 0x11073344);
	hw_watch_clear(t.m);
	cr_assert_eq(hwt_run_off(&t), 0);
	hwt_fini(&t);
}

Test(hw_machine, watchpoint_ignores_a_store_of_the_same_value)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: li t0, 0x8000\n li t1, 5\n sw t1, 0(t0)\n"
		    "again: sw t1, 0(t0)\n sb t1, 0(t0)\n li t1, 6\n"
		    "change: sw t1, 0(t0)\n out zero, 0x20(zero)\n");
	PUT(&t, 0x8000, 5);
	cr_assert_eq(hw_watch_add(t.m, 0x8000, false), 0);
	cr_assert_eq(hwt_run(&t), HW_EXIT_WATCHPOINT, "5 -> 6 changes the word");
	cr_expect_eq(t.ex.u.watch.old, 5, "the stores of 5 over 5 did not hit");
	cr_expect_eq(t.ex.u.watch.new_, 6);
	cr_expect_eq(t.ex.pc, hwt_sym(&t, "change") + 4);
	hwt_fini(&t);
}

Test(hw_machine, host_state_access)
{
	struct hwt t;
	uint8_t buf[8];

	hwt_init(&t);
	hw_set_reg(t.m, ZERO, 5);
	cr_expect_eq(REG(&t, ZERO), 0);
	hw_set_cr(t.m, ISA_CR_ICOUNT, 1234);
	cr_expect_eq(hw_ticks(t.m), 1234);
	cr_expect_eq(hw_phys_read(t.m, hw_mem_size(t.m) - 4, buf, 4), 0);
	cr_expect_eq(hw_phys_read(t.m, hw_mem_size(t.m) - 4, buf, 8), -1, "bounds checked");
	cr_expect_eq(hw_phys_write(t.m, 0xffffffff, buf, 2), -1);
	uint32_t pa = 0;
	cr_expect_eq(hw_translate(t.m, 0x5000, ISA_C_LOAD, false, &pa), 0);
	cr_expect_eq(pa, 0x5000, "paging off: identity");
	cr_expect_eq(hw_translate(t.m, 0x200000, ISA_C_LOAD, false, &pa), ISA_CAUSE_BUS);
	hwt_fini(&t);
}

/* Determinism: a program with a timer interrupt, a disk-less console and
 * paging-free loops runs identically twice. */
Test(hw_machine, two_runs_are_identical)
{
	static const char *src =
		"_start: la t0, handler\n mtcr tvec, t0\n li t0, 1\n mtcr imask, t0\n"
		" li t0, 3\n mtcr status, t0\n li t0, 777\n mtcr timecmp, t0\n"
		"1: addi s0, s0, 1\n mul s1, s1, s0\n addi s1, s1, 3\n li t0, 100000\n"
		" bne s0, t0, 1b\n out s1, 0x20(zero)\n"
		"handler: mfcr t1, icount\n add s2, s2, t1\n addi t1, t1, 777\n"
		" mtcr timecmp, t1\n li t1, 'x'\n out t1, 0(zero)\n rfe\n";
	struct hwt a, b;

	hwt_init(&a);
	hwt_init(&b);
	hwt_asm(&a, src);
	hwt_asm(&b, src);
	uint32_t ca = hwt_run_off(&a), cb = hwt_run_off(&b);
	cr_expect_eq(ca, cb);
	cr_expect_eq(hw_ticks(a.m), hw_ticks(b.m));
	for (unsigned r = 0; r < ISA_NREGS; r++)
		cr_expect_eq(REG(&a, r), REG(&b, r), "r%u", r);
	cr_expect_str_eq(hwt_output(&a), hwt_output(&b));
	cr_expect_gt(strlen(hwt_output(&a)), 100, "the timer fired many times");
	hwt_fini(&a);
	hwt_fini(&b);
}

Test(hw_machine, stats_count_insns_and_traps)
{
	struct hwt t;
	struct hw_stats st;

	hwt_init(&t);
	hwt_asm(&t, "_start: la t0, h\n mtcr tvec, t0\n syscall\n"
		    "h: li a0, 'k'\n out a0, 0(zero)\n out zero, 0x20(zero)\n");
	hwt_run_off(&t);
	hw_get_stats(t.m, &st);
	cr_expect_eq(st.insns, hw_ticks(t.m));
	cr_expect_eq(st.traps[ISA_CAUSE_SYSCALL], 1);
	cr_expect_eq(st.cons_out, 1);
	hwt_fini(&t);
}

/* hw_get_regs and hw_set_regs: every register at once, as the one-register
 * accessors see them; r0 stays 0. */
Test(hw_machine, all_registers_at_once)
{
	struct hwt t;
	uint32_t r[ISA_NREGS], back[ISA_NREGS];

	hwt_init(&t);
	for (unsigned i = 0; i < ISA_NREGS; i++)
		r[i] = 0x1000u * i + 7;
	hw_set_regs(t.m, r);
	cr_expect_eq(hw_get_reg(t.m, 0), 0, "r0 was written");
	for (unsigned i = 1; i < ISA_NREGS; i++)
		cr_expect_eq(hw_get_reg(t.m, i), r[i], "r%u", i);
	hw_set_reg(t.m, 15, 99);
	hw_get_regs(t.m, back);
	cr_expect_eq(back[0], 0);
	cr_expect_eq(back[15], 99);
	for (unsigned i = 1; i < 15; i++)
		cr_expect_eq(back[i], r[i], "r%u", i);
	hwt_fini(&t);
}
