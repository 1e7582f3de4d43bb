/*
 * test_vmm.c - the VMM through its API (vm/vmm/vmm.h): hidden versus true
 * faults and the shadow behind a translation, both shadow policies giving
 * the bare machine's results at their different costs, pool exhaustion,
 * the invariant checker after every exit of a hostile guest, stepping
 * instruction for instruction like the bare machine, breakpoints, stopping
 * on traps, double faults, and the trace events.  The guest programs are
 * those of tests/e2e/vmm/, assembled here.
 */
#include "test_vmm_util.h"

#define PROG(name) "tests/e2e/vmm/" name ".s"

/* Run a program to power-off on the bare machine and in a VM with policy
 * p (and, if limit, a pool of that many pages); the guest must see the
 * same.  Returns the VM for more checks; *m_out the machine. */
static struct vm *run_both(const char *prog, enum vmm_shadow_policy p, uint32_t limit,
			   struct machine **m_out)
{
	char *elf = vt_elf(prog, NULL), *d1 = vt_disk(), *d2 = vt_disk();
	struct machine *m = vt_bare(elf, d1);
	struct vm *vm = vt_vm(elf, p, d2);
	struct hw_exit hx;
	struct vmm_exit ex;

	if (limit)
		shadow_set_limit(vm, limit);
	hw_set_budget(m, 50000000);
	vmm_set_budget(vm, 50000000);
	enum hw_exit_reason hr = hw_run(m, &hx);
	enum vmm_exit_reason vr = vmm_run(vm, &ex);
	cr_assert_eq(hr, HW_EXIT_POWEROFF, "%s: bare exit %d", prog, hr);
	cr_assert_eq(vr, VMM_EXIT_POWEROFF, "%s: vmm exit %d (%s)", prog, vr,
		     ex.message ? ex.message : "");
	cr_assert_eq(ex.code, hx.u.power.code, "%s: code", prog);
	cr_assert_eq(ex.code, 0, "%s: the program's own checks failed (%u)", prog, ex.code);
	vt_same(vm, m);
	vt_check(vm, prog);
	unlink(elf);
	unlink(d1);
	unlink(d2);
	free(elf);
	free(d1);
	free(d2);
	*m_out = m;
	return vm;
}

Test(vmm_shadow, paging_faults_are_true_or_hidden)
{
	struct machine *m;
	struct vm *vm = run_both(PROG("paging"), VMM_SHADOW_FLUSH, 0, &m);
	struct vmm_stats st;

	vmm_get_stats(vm, &st);
	/* paging.s raises 26 memory faults and one break: all true. */
	cr_expect_eq(st.true_faults, 26);
	cr_expect_eq(st.reflected, 27);
	cr_expect_gt(st.hidden_faults, 10, "hidden faults %llu", (unsigned long long)st.hidden_faults);
	cr_expect_eq(st.hidden_faults, st.shadow_fills);
	cr_expect_eq(st.direct + st.emulated, hw_ticks(m));
	vmm_free(vm);
	hw_free(m);
}

Test(vmm_shadow, translate_explains_both_walks)
{
	char *elf = vt_elf(NULL,
		"_start:	la	t0, pd\n"
		"	la	t1, pt\n"
		"	ori	t1, t1, 1\n"
		"	sw	t1, 4(t0)\n"		/* dir 1 -> pt */
		"	la	t1, pt0\n"
		"	ori	t1, t1, 1\n"
		"	sw	t1, 0(t0)\n"
		"	la	t2, pt0\n"		/* identity pages 1..15 */
		"	li	t1, 0x100f\n"
		"	li	t3, 15\n"
		"1:	sw	t1, 4(t2)\n"
		"	addi	t2, t2, 4\n"
		"	addi	t1, t1, 0x7ff\n"
		"	addi	t1, t1, 0x7ff\n"
		"	addi	t1, t1, 2\n"
		"	addi	t3, t3, -1\n"
		"	bnez	t3, 1b\n"
		"	la	t2, pt\n"
		"	li	t1, 0x9007\n"		/* 0x400000 -> 0x9000 R W V */
		"	sw	t1, 0(t2)\n"
		"	li	t1, 0xa003\n"		/* 0x401000 -> 0xa000 R V */
		"	sw	t1, 4(t2)\n"
		"	ori	t0, t0, 1\n"
		"	mtcr	ptb, t0\n"
		"	li	t0, 0x400000\n"
		"	lw	t1, 0x120(t0)\n"
		"	hcall\n"
		"	.data\n"
		"	.align	4096\n"
		"pd:	.space	4096\n"
		"pt:	.space	4096\n"
		"pt0:	.space	4096\n");
	struct vm *vm = vt_vm(elf, VMM_SHADOW_FLUSH, NULL);
	struct vmm_exit ex;
	struct vmm_walk w;

	vmm_stop_on(vm, 1u << ISA_CAUSE_HCALL, false);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_TRAP, "exit %d at 0x%x: %s", ex.reason, ex.pc,
		     ex.message ? ex.message : "");
	cr_assert_str_eq(ex.trap.handler, "reflect");
	cr_assert(ex.trap.kernel);
	/* Touched: both sides map it, to the same byte. */
	vmm_translate(vm, 0x400123, ISA_C_LOAD, true, &w);	/* any byte of the page */
	cr_expect(w.guest_paging);
	cr_expect_eq(w.g_cause, 0);
	cr_expect_eq(w.gpa, 0x9123);
	cr_expect_eq(w.g_pte & 0x7f, 0x27, "guest PTE A set: 0x%x", w.g_pte);
	cr_expect_eq(w.s_cause, 0);
	cr_expect_eq(w.mpa, vmm_gpa_to_mpa(vm, 0x9123));
	cr_expect_eq(w.s_pte & (ISA_PTE_U | ISA_PTE_W), ISA_PTE_U,
		     "shadow: U, and no W before the first store (D clear)");
	/* Mapped but never touched: the guest maps it, the shadow not yet. */
	vmm_translate(vm, 0x401000, ISA_C_LOAD, true, &w);
	cr_expect_eq(w.g_cause, 0);
	cr_expect_eq(w.s_cause, ISA_CAUSE_PF_LOAD);
	/* Not mapped: the guest's own fault. */
	vmm_translate(vm, 0x402000, ISA_C_LOAD, true, &w);
	cr_expect_eq(w.g_cause, ISA_CAUSE_PF_LOAD);
	/* A user-mode view: no U in the guest PTE, a protection fault. */
	vmm_translate(vm, 0x400000, ISA_C_LOAD, false, &w);
	cr_expect_eq(w.g_cause, ISA_CAUSE_PF_LOAD_PROT);
	vt_check(vm, "after hcall");
	vmm_free(vm);
	unlink(elf);
	free(elf);
}

Test(vmm_policy, both_give_bare_results_at_different_costs)
{
	static const char *const progs[] = { PROG("paging"), PROG("hostile"), PROG("disk") };
	struct vmm_stats fs, ts;

	for (unsigned i = 0; i < 3; i++) {
		struct machine *m1, *m2;
		struct vm *f = run_both(progs[i], VMM_SHADOW_FLUSH, 0, &m1);
		struct vm *t = run_both(progs[i], VMM_SHADOW_TRACE, 0, &m2);

		vmm_get_stats(f, &fs);
		vmm_get_stats(t, &ts);
		cr_expect_eq(fs.pt_writes_emulated, 0, "%s", progs[i]);
		if (i < 2) {	/* the programs that edit live page tables */
			cr_expect_gt(ts.pt_writes_emulated, 0, "%s", progs[i]);
			cr_expect_gt(fs.shadow_flushes, ts.shadow_flushes, "%s", progs[i]);
		}
		vmm_free(f);
		vmm_free(t);
		hw_free(m1);
		hw_free(m2);
	}
}

Test(vmm_shadow, pool_exhaustion_drops_everything_and_goes_on)
{
	for (int p = 0; p < 2; p++) {
		struct machine *m;
		struct vm *vm = run_both(PROG("paging"), (enum vmm_shadow_policy)p, 3, &m);

		cr_expect_gt(vm->xs.pool_resets, 0, "policy %d: the pool of 3 pages never ran out", p);
		cr_expect_leq(vm->sh.nused, 3);
		vmm_free(vm);
		hw_free(m);
	}
}

/* The hostile guest, stopped after every exit the VMM handles: the
 * invariants (shadow leaves inside the guest, free pool pages zero, the
 * machine in user mode on the right root) hold at each one. */
Test(vmm_hostile, invariants_hold_after_every_exit)
{
	for (int p = 0; p < 2; p++) {
		struct vt_pair g;
		struct vmm_exit ex;
		unsigned exits;

		vt_pair_new(&g, PROG("hostile"), NULL);
		g.vm = vt_vm(g.elf, (enum vmm_shadow_policy)p, g.disk[1]);
		exits = vt_run_checked(&g, "hostile", &ex);
		cr_assert_eq(ex.code, 0);
		cr_expect_gt(exits, 30000, "exits %u", exits);
		vt_pair_free(&g);
	}
}

/* vmm_step retires one guest instruction or delivers one trap, like
 * hw_step: the same number of steps to power-off. */
Test(vmm_run, steps_match_the_bare_machine)
{
	static const char *const progs[] = { PROG("traps"), PROG("irq"), PROG("cr") };

	for (unsigned i = 0; i < 3; i++) {
		char *elf = vt_elf(progs[i], NULL);
		struct machine *m = vt_bare(elf, NULL);
		struct vm *vm = vt_vm(elf, VMM_SHADOW_FLUSH, NULL);

		vt_same_steps(vm, m, progs[i]);
		vmm_free(vm);
		hw_free(m);
		unlink(elf);
		free(elf);
	}
}

Test(vmm_run, breakpoints_and_stop_on)
{
	char *elf = vt_elf(NULL,
		"_start:	la	t0, h\n"
		"	mtcr	tvec, t0\n"
		"	nop\n"
		"here:	addi	a0, zero, 5\n"
		"	syscall\n"
		"	mfcr	a1, cause\n"
		"	out	a0, 0x20(zero)\n"
		"h:	mfcr	t0, epc\n"
		"	addi	t0, t0, 4\n"
		"	mtcr	epc, t0\n"
		"	rfe\n");
	struct vm *vm = vt_vm(elf, VMM_SHADOW_FLUSH, NULL);
	struct vmm_exit ex;
	uint32_t here = 0x1000 + 4 * 4, h = 0x1000 + 4 * 8;	/* la is two words */

	cr_assert_eq(vmm_break_add(vm, here), 0);
	cr_assert_eq(vmm_break_add(vm, h), 0);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_BREAKPOINT);
	cr_expect_eq(ex.pc, here);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_A0), 0, "not executed yet");
	vmm_stop_on(vm, 1u << ISA_CAUSE_SYSCALL, false);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_TRAP);
	cr_expect_eq(ex.trap.cause, ISA_CAUSE_SYSCALL);
	cr_expect_str_eq(ex.trap.handler, "reflect");
	cr_expect_eq(ex.trap.pc, here + 4);
	cr_expect_eq(ex.pc, h, "delivered: the guest is at its tvec");
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_BREAKPOINT, "a breakpoint at the handler");
	cr_expect_eq(ex.pc, h);
	cr_assert_eq(vmm_break_del(vm, h), 0);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_POWEROFF);
	cr_expect_eq(ex.code, 5);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_A0 + 1), ISA_CAUSE_SYSCALL);
	vmm_free(vm);
	unlink(elf);
	free(elf);
}

Test(vmm_run, double_fault_leaves_the_first_entry)
{
	char *elf = vt_elf(PROG("doublefault"), NULL);
	struct machine *m = vt_bare(elf, NULL);
	struct vm *vm = vt_vm(elf, VMM_SHADOW_TRACE, NULL);
	struct vmm_exit ex;
	struct hw_exit hx;

	cr_assert_eq(hw_run(m, &hx), HW_EXIT_DOUBLE_FAULT);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_DOUBLE_FAULT);
	cr_expect_eq(ex.pc, 0x7000000);
	cr_expect_eq(ex.trap.cause, ISA_CAUSE_BUS);
	cr_expect_eq(vmm_get_cr(vm, ISA_CR_CAUSE), ISA_CAUSE_SYSCALL);
	vt_same(vm, m);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_DOUBLE_FAULT, "sticky");
	vmm_free(vm);
	hw_free(m);
	unlink(elf);
	free(elf);
}

struct seen {
	unsigned cats[8];
	bool rfe_to_user, syscall_trap, inject, mtcr_text;
};

static void sink(void *ctx, const struct trace_event *ev)
{
	struct seen *s = ctx;

	s->cats[__builtin_ctz(ev->cat)]++;
	if (ev->cat == TRACE_EXIT && !strcmp(ev->what, "emulate-rfe") && ev->kernel
	    && !ev->kernel_after)
		s->rfe_to_user = true;
	if (ev->cat == TRACE_EXIT && !strcmp(ev->what, "emulate-mtcr")
	    && strstr(ev->text, "cause=privileged") && strstr(ev->text, "insn=mtcr"))
		s->mtcr_text = true;
	if (ev->cat == TRACE_TRAP && !strcmp(ev->what, "syscall") && !ev->kernel && ev->kernel_after)
		s->syscall_trap = true;
	if (ev->cat == TRACE_IRQ && !strcmp(ev->what, "inject"))
		s->inject = true;
}

Test(vmm_trace, exits_traps_shadow_irq_dev_events)
{
	static const char *const progs[] = { PROG("traps"), PROG("irq"), PROG("paging") };
	struct seen s = { 0 };
	struct tracer tr = { .mask = TRACE_ALL, .fn = sink, .ctx = &s };

	for (unsigned i = 0; i < 3; i++) {
		char *elf = vt_elf(progs[i], NULL);
		struct vmm_config cfg = { .mem_mib = 16, .cons_in_fd = -1, .trace = &tr };
		struct vm *vm;
		struct vmm_exit ex;
		char err[256];

		cr_assert_eq(vmm_new(&cfg, &vm, err, sizeof err), 0);
		cr_assert_eq(vmm_load_elf(vm, elf, err, sizeof err), 0);
		cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_POWEROFF);
		vmm_free(vm);
		unlink(elf);
		free(elf);
	}
	cr_expect(s.rfe_to_user);
	cr_expect(s.mtcr_text);
	cr_expect(s.syscall_trap);
	cr_expect(s.inject);
	cr_expect_gt(s.cats[__builtin_ctz(TRACE_SHADOW)], 0);
	cr_expect_gt(s.cats[__builtin_ctz(TRACE_DEV)], 0);
	cr_expect_eq(s.cats[__builtin_ctz(TRACE_INSN)], 0);
}

Test(vmm_api, refusals_and_guest_memory)
{
	struct vmm_config cfg = { .mem_mib = 2040 };
	struct vm *vm;
	char err[256];
	uint32_t w = 0x11223344, r = 0;

	cr_expect_eq(vmm_new(&cfg, &vm, err, sizeof err), -1);
	cr_expect(strstr(err, "under the VMM"), "%s", err);
	cfg.mem_mib = 1;
	cr_assert_eq(vmm_new(&cfg, &vm, err, sizeof err), 0);
	cr_expect_eq(vmm_guest_mem_size(vm), 1u << 20);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_SP), 1u << 20, "sp = guest memsize at reset");
	cr_expect_eq(vmm_get_cr(vm, ISA_CR_STATUS), ISA_ST_KM);
	cr_expect_eq(vmm_guest_write(vm, (1u << 20) - 4, &w, 4), 0);
	cr_expect_eq(vmm_guest_read(vm, (1u << 20) - 4, &r, 4), 0);
	cr_expect_eq(r, w);
	cr_expect_eq(vmm_guest_write(vm, (1u << 20) - 2, &w, 4), -1);
	cr_expect_eq(vmm_guest_read(vm, 0xfffffffe, &r, 4), -1);
	cr_expect_eq(vmm_gpa_to_mpa(vm, 0), vm->area);
	vt_check(vm, "fresh");
	vmm_free(vm);
}

/* The labs' stubs stop the VM with a message; the first one stays. */
Test(vmm_api, not_implemented_stops_the_vm)
{
	struct vmm_config cfg = { .mem_mib = 1 };
	struct vmm_exit ex;
	struct vm *vm;
	char err[256];

	cr_assert_eq(vmm_new(&cfg, &vm, err, sizeof err), 0);
	vmm_not_implemented(vm, "lab2: emulate rfe");
	vmm_not_implemented(vm, "lab2: emulate mtcr");
	cr_expect_eq(vmm_run(vm, &ex), VMM_EXIT_FAILURE);
	cr_assert(ex.message);
	cr_expect_str_eq(ex.message, "lab2: emulate rfe not implemented");
	cr_expect_eq(vmm_run(vm, &ex), VMM_EXIT_FAILURE, "the halt is for good");
	cr_expect_eq(vmm_ticks(vm), 0, "no guest instruction ran");
	vmm_free(vm);
}

/* Code that rewrites itself: f is translated on its first call, then the
 * kernel stores a new first word into it (from the very page the store
 * runs in) and calls it again: the bare machine returns 2 the second time. */
static const char smc_src[] =
	"	.text\n"
	"	.globl	_start\n"
	"_start:	li	s0, 0\n"
	"again:	call	f\n"
	"	add	s0, s0, a0\n"
	"	la	t0, f\n"
	"	la	t1, patch\n"
	"	lw	t2, 0(t1)\n"
	"	sw	t2, 0(t0)\n"
	"	addi	s1, s1, 1\n"
	"	li	t3, 2\n"
	"	blt	s1, t3, again\n"
	"	out	s0, 0x20(zero)\n"
	"f:	li	a0, 1\n"
	"	ret\n"
	"patch:	li	a0, 2\n";

/* Binary translation (btrun.c): the hostile guest, paging.s and the
 * self-modifying code above run translated; after every exit the
 * invariants hold, 6 included (only translation and VCPU pages outside
 * the guest, no writable leaf onto translated code), and the end is the
 * bare machine's. */
Test(vmm_bt, invariants_hold_after_every_exit_of_translated_guests)
{
	static const char *const progs[] = { PROG("hostile"), PROG("paging"), NULL };

	for (int i = 0; i < 6; i++) {
		const char *name = progs[i / 2] ? progs[i / 2] : "self-modifying code";
		struct btrun_stats st;
		struct vt_pair g;
		struct vmm_exit ex;

		vt_pair_new(&g, progs[i / 2], progs[i / 2] ? NULL : smc_src);
		g.vm = vt_vm_bt(g.elf, (enum vmm_shadow_policy)(i % 2), g.disk[1], VMM_BT_CALLOUTS);
		vt_run_checked(&g, name, &ex);
		vmm_bt_stats(g.vm, &st);
		cr_expect_gt(st.blocks, 0, "%s: nothing translated", name);
		if (!progs[i / 2]) {
			cr_expect_eq(ex.code, 3, "f's new code did not run");
			cr_expect_gt(st.invalidations, 0, "the store to f kept its translation");
		}
		vt_pair_free(&g);
	}
}
