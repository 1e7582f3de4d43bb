/*
 * test_wficut.c - a run whose budget ends inside wfi (vm/hw/hw.h "a run cut
 * inside wfi"): whatever tick a budget ends on, on the tick the waking line
 * rises included, the guest sees the run that was never cut (ISA.md 10.3:
 * the wfi retires on the tick after its line rose, the interrupt is taken
 * after it, with epc = the wfi's pc + 4).  Bare and under the VMM, for a
 * budget ending at every tick of the program, for runs cut into pieces of
 * every size, and for single steps after a cut; and a snapshot taken at
 * each tick restores into the same run.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snap.h"
#include "test_vmm_util.h"

/* Three times: the timer armed 40 ticks on, IE = 1, then the sleep that
 * follows; the timer's handler sums epc into s2 and counts in s3. */
#define WAKES_HEAD \
	"	.equ	POWER, 0x20\n" \
	"	.equ	ST_KM, 0x1\n" \
	"	.equ	ST_IE, 0x2\n" \
	"	.text\n" \
	"	.globl	_start\n" \
	"_start:	la	t0, on_timer\n" \
	"	mtcr	tvec, t0\n" \
	"	li	t0, 1\n" \
	"	mtcr	imask, t0\n" \
	"	li	s0, 3\n" \
	"1:	mfcr	t0, icount\n" \
	"	addi	t0, t0, 40\n" \
	"	mtcr	timecmp, t0\n" \
	"	li	t0, ST_KM | ST_IE\n" \
	"	mtcr	status, t0\n"
#define WAKE_HANDLER \
	"on_timer:\n" \
	"	mfcr	t1, epc\n" \
	"	add	s2, s2, t1\n" \
	"	addi	s3, s3, 1\n" \
	"	mtcr	timecmp, zero\n" \
	"	rfe\n"

/* Three timer wakes with IE = 1 (the handler sums epc into s2 and counts
 * in s3), then one with IE = 0 (wfi retires, nothing is taken), then off. */
static const char prog[] =
	WAKES_HEAD
	"	wfi\n"
	"	mfcr	t1, icount\n"
	"	add	s1, s1, t1\n"
	"	addi	s0, s0, -1\n"
	"	bnez	s0, 1b\n"
	"	li	t0, ST_KM\n"
	"	mtcr	status, t0\n"
	"	mfcr	t0, icount\n"
	"	addi	t0, t0, 30\n"
	"	mtcr	timecmp, t0\n"
	"	wfi\n"
	"	mfcr	t1, icount\n"
	"	add	s1, s1, t1\n"
	"	mtcr	timecmp, zero\n"
	"	out	zero, POWER(zero)\n"
	WAKE_HANDLER;

/* What the guest and --stats show at the end. */
struct seen {
	uint32_t pc, r[ISA_NREGS], cr[ISA_NCR];
	uint64_t ticks, insns, sleep, traps[ISA_NCAUSE];
};

static char *elf_path;

static void setup(void)
{
	elf_path = vt_elf(NULL, prog);
}

/* Machines and VMs of 1 MiB: the program is small, and each snapshot
 * test saves and restores RAM some 200 times. */
#define MIB	1u

static struct machine *new_bare(void)
{
	struct hw_config cfg = { .mem_mib = MIB, .cons_in_fd = -1 };
	struct machine *m;
	char err[256];

	cr_assert_eq(hw_new(&cfg, &m, err, sizeof err), 0, "hw_new: %s", err);
	cr_assert_eq(hw_load_elf(m, elf_path, err, sizeof err), 0, "load: %s", err);
	return m;
}

static struct vm *new_vm_bt(int bt)
{
	struct vmm_config cfg = { .mem_mib = MIB, .cons_in_fd = -1, .shadow = VMM_SHADOW_FLUSH,
				  .bt = bt };
	struct vm *vm;
	char err[256];

	cr_assert_eq(vmm_new(&cfg, &vm, err, sizeof err), 0, "vmm_new: %s", err);
	cr_assert_eq(vmm_load_elf(vm, elf_path, err, sizeof err), 0, "load: %s", err);
	return vm;
}

static struct vm *new_vm(void)
{
	return new_vm_bt(VMM_BT_OFF);
}

static void teardown(void)
{
	unlink(elf_path);
	free(elf_path);
}

/* --- the bare machine --------------------------------------------------------- */

static void bare_seen(struct machine *m, struct seen *s)
{
	struct hw_stats st;

	memset(s, 0, sizeof *s);
	s->pc = hw_get_pc(m);
	for (unsigned i = 0; i < ISA_NREGS; i++)
		s->r[i] = hw_get_reg(m, i);
	for (unsigned c = 0; c < ISA_NCR; c++)
		s->cr[c] = hw_get_cr(m, c);
	s->ticks = hw_ticks(m);
	hw_get_stats(m, &st);
	s->insns = st.insns;
	s->sleep = st.wfi_sleep_ticks;
	memcpy(s->traps, st.traps, sizeof s->traps);
}

static void same(const struct seen *a, const struct seen *b, const char *how, uint64_t n)
{
	cr_assert_eq(a->pc, b->pc, "%s %llu: pc 0x%x, uncut 0x%x", how,
		     (unsigned long long)n, a->pc, b->pc);
	for (unsigned i = 0; i < ISA_NREGS; i++)
		cr_assert_eq(a->r[i], b->r[i], "%s %llu: r%u 0x%x, uncut 0x%x", how,
			     (unsigned long long)n, i, a->r[i], b->r[i]);
	for (unsigned c = 0; c < ISA_NCR; c++)
		cr_assert_eq(a->cr[c], b->cr[c], "%s %llu: %s 0x%x, uncut 0x%x", how,
			     (unsigned long long)n, isa_cr_name(c), a->cr[c], b->cr[c]);
	cr_assert_eq(a->ticks, b->ticks, "%s %llu: ticks", how, (unsigned long long)n);
	cr_assert_eq(a->insns, b->insns, "%s %llu: insns", how, (unsigned long long)n);
	cr_assert_eq(a->sleep, b->sleep, "%s %llu: sleep", how, (unsigned long long)n);
	cr_assert_eq(memcmp(a->traps, b->traps, sizeof a->traps), 0, "%s %llu: traps", how,
		     (unsigned long long)n);
}

/* A run still going this late went wrong (a wfi that missed its wake
 * sleeps until the timer compare comes round again, 2^32 ticks on). */
#define LATE	100000u

/* Run m to its power-off in pieces of 'piece' ticks (HW_NO_BUDGET: one). */
static void bare_finish(struct machine *m, uint64_t piece)
{
	struct hw_exit ex;
	enum hw_exit_reason r;

	do {
		hw_set_budget(m, piece);
		r = hw_run(m, &ex);
	} while (r == HW_EXIT_BUDGET && hw_ticks(m) < LATE);
	cr_assert_eq(r, HW_EXIT_POWEROFF, "exit %d at pc 0x%x", r, ex.pc);
}

static void bare_uncut(struct seen *want)
{
	struct machine *m = new_bare();

	bare_finish(m, HW_NO_BUDGET);
	bare_seen(m, want);
	/* The handler ran after each of the three wfis had retired. */
	cr_assert_eq(want->r[15], 3);
	hw_free(m);
}

Test(wficut, bare_a_budget_ending_at_any_tick_changes_nothing, .init = setup,
     .fini = teardown)
{
	struct seen want, got;

	bare_uncut(&want);
	for (uint64_t b = 1; b <= want.ticks; b++) {
		struct machine *m = new_bare();
		struct hw_exit ex;

		hw_set_budget(m, b);
		hw_run(m, &ex);
		bare_finish(m, HW_NO_BUDGET);
		bare_seen(m, &got);
		same(&got, &want, "budget", b);
		hw_free(m);
	}
}

Test(wficut, bare_runs_in_pieces_of_every_size, .init = setup, .fini = teardown)
{
	struct seen want, got;

	bare_uncut(&want);
	for (uint64_t k = 1; k <= 90; k++) {
		struct machine *m = new_bare();

		bare_finish(m, k);
		bare_seen(m, &got);
		same(&got, &want, "pieces of", k);
		hw_free(m);
	}
}

/* Single steps to the end: the tick and pc after each (an interrupt taken
 * is a step of its own); their number. */
#define MAXSTEPS 256
struct trail {
	uint64_t ticks[MAXSTEPS];
	uint32_t pc[MAXSTEPS];
	size_t n;
};

static void bare_trail(struct machine *m, struct trail *t)
{
	struct hw_exit ex;
	enum hw_exit_reason r;

	t->n = 0;
	hw_set_budget(m, HW_NO_BUDGET);
	do {
		r = hw_step(m, &ex);
		cr_assert(t->n < MAXSTEPS);
		t->ticks[t->n] = hw_ticks(m);
		t->pc[t->n++] = hw_get_pc(m);
	} while (r == HW_EXIT_STEP);
	cr_assert_eq(r, HW_EXIT_POWEROFF);
}

/* The steps after a cut are the last steps of the uncut run: a wfi the
 * cut left asleep retires in one step, as it would have. */
static void same_trail(const struct trail *cut, const struct trail *uncut, uint64_t b)
{
	size_t off = uncut->n - cut->n;

	cr_assert(cut->n <= uncut->n, "budget %llu: %zu steps, uncut %zu",
		  (unsigned long long)b, cut->n, uncut->n);
	for (size_t i = 0; i < cut->n; i++)
		cr_assert(cut->ticks[i] == uncut->ticks[off + i] && cut->pc[i] == uncut->pc[off + i],
			  "budget %llu: step %zu at tick %llu pc 0x%x, uncut tick %llu pc 0x%x",
			  (unsigned long long)b, i, (unsigned long long)cut->ticks[i], cut->pc[i],
			  (unsigned long long)uncut->ticks[off + i], uncut->pc[off + i]);
}

Test(wficut, bare_steps_after_a_cut_are_the_uncut_steps, .init = setup, .fini = teardown)
{
	struct seen want;
	struct trail uncut, cut;
	struct machine *m = new_bare();

	bare_trail(m, &uncut);
	hw_free(m);
	bare_uncut(&want);
	for (uint64_t b = 1; b < want.ticks; b++) {
		struct hw_exit ex;

		m = new_bare();
		hw_set_budget(m, b);
		hw_run(m, &ex);
		bare_trail(m, &cut);
		same_trail(&cut, &uncut, b);
		hw_free(m);
	}
}

Test(wficut, bare_a_snapshot_at_any_tick_restores_into_the_uncut_run, .init = setup,
     .fini = teardown)
{
	struct hw_config cfg = { .mem_mib = MIB, .cons_in_fd = -1 };
	struct seen want, got;
	char err[256];

	bare_uncut(&want);
	for (uint64_t b = 1; b < want.ticks; b++) {
		struct machine *m = new_bare(), *m2;
		struct snap_buf buf = { 0 };
		struct hw_exit ex;

		hw_set_budget(m, b);
		cr_assert_eq(hw_run(m, &ex), HW_EXIT_BUDGET);
		cr_assert_eq(hw_state_save(m, &buf, err, sizeof err), 0, "%s", err);
		hw_free(m);
		cr_assert_eq(hw_restore_state(&cfg, "state", buf.p, buf.len, &m2, err,
					      sizeof err), 0, "%s", err);
		snap_buf_free(&buf);
		bare_finish(m2, HW_NO_BUDGET);
		bare_seen(m2, &got);
		same(&got, &want, "snapshot at", b);
		hw_free(m2);
	}
}

/* --- under the VMM ------------------------------------------------------------ */

static void vm_seen(struct vm *vm, struct seen *s)
{
	struct vmm_stats st;

	memset(s, 0, sizeof *s);
	s->pc = vmm_get_pc(vm);
	for (unsigned i = 0; i < ISA_NREGS; i++)
		s->r[i] = vmm_get_reg(vm, i);
	for (unsigned c = 0; c < ISA_NCR; c++)
		s->cr[c] = vmm_get_cr(vm, c);
	s->ticks = vmm_ticks(vm);
	vmm_get_stats(vm, &st);
	s->insns = st.direct + st.emulated;
	s->sleep = vm->xs.wfi_sleep;
	memcpy(s->traps, st.exits, sizeof s->traps);	/* the VMM's exits */
}

static void vm_finish(struct vm *vm, uint64_t piece)
{
	struct vmm_exit ex;
	enum vmm_exit_reason r;

	do {
		vmm_set_budget(vm, piece);
		r = vmm_run(vm, &ex);
	} while (r == VMM_EXIT_BUDGET && !ex.message && vmm_ticks(vm) < LATE);
	cr_assert_eq(r, VMM_EXIT_POWEROFF, "exit %d at pc 0x%x", r, ex.pc);
}

static void vm_uncut(struct seen *want)
{
	struct vm *vm = new_vm();
	struct machine *m = new_bare();
	struct seen bare;

	vm_finish(vm, HW_NO_BUDGET);
	vm_seen(vm, want);
	bare_finish(m, HW_NO_BUDGET);
	bare_seen(m, &bare);
	cr_assert_eq(want->ticks, bare.ticks);
	cr_assert_eq(memcmp(want->r, bare.r, sizeof bare.r), 0, "the VM's registers");
	cr_assert_eq(want->r[15], 3);
	hw_free(m);
	vmm_free(vm);
}

Test(wficut, vmm_a_budget_ending_at_any_tick_changes_nothing, .init = setup,
     .fini = teardown)
{
	struct seen want, got;

	vm_uncut(&want);
	for (uint64_t b = 1; b <= want.ticks; b++) {
		struct vm *vm = new_vm();
		struct vmm_exit ex;

		vmm_set_budget(vm, b);
		vmm_run(vm, &ex);
		vm_finish(vm, HW_NO_BUDGET);
		vm_seen(vm, &got);
		same(&got, &want, "budget", b);
		vmm_free(vm);
	}
}

/* Binary translation: the wfi is a callout of the translated kernel. */
Test(wficut, vmm_bt_a_budget_ending_at_any_tick_changes_nothing, .init = setup,
     .fini = teardown)
{
	struct seen want, got;

	vm_uncut(&want);
	for (int bt = VMM_BT_CALLOUTS; bt <= VMM_BT_INLINE; bt++)
		for (uint64_t b = 1; b <= want.ticks; b++) {
			struct vm *vm = new_vm_bt(bt);
			struct vmm_exit ex;

			vmm_set_budget(vm, b);
			vmm_run(vm, &ex);
			vm_finish(vm, HW_NO_BUDGET);
			vm_seen(vm, &got);
			cr_assert_eq(got.pc, want.pc, "bt %d budget %llu: pc", bt,
				     (unsigned long long)b);
			cr_assert_eq(memcmp(got.r, want.r, sizeof got.r), 0,
				     "bt %d budget %llu: registers (s2 0x%x, uncut 0x%x)", bt,
				     (unsigned long long)b, got.r[14], want.r[14]);
			cr_assert_eq(got.ticks, want.ticks, "bt %d budget %llu: ticks", bt,
				     (unsigned long long)b);
			vmm_free(vm);
		}
}

Test(wficut, vmm_runs_in_pieces_of_every_size, .init = setup, .fini = teardown)
{
	struct seen want, got;

	vm_uncut(&want);
	for (uint64_t k = 1; k <= 90; k++) {
		struct vm *vm = new_vm();

		vm_finish(vm, k);
		vm_seen(vm, &got);
		same(&got, &want, "pieces of", k);
		vmm_free(vm);
	}
}

static void vm_trail(struct vm *vm, struct trail *t)
{
	struct vmm_exit ex;
	enum vmm_exit_reason r;

	t->n = 0;
	vmm_set_budget(vm, HW_NO_BUDGET);
	do {
		r = vmm_step(vm, &ex);
		cr_assert(t->n < MAXSTEPS);
		t->ticks[t->n] = vmm_ticks(vm);
		t->pc[t->n++] = vmm_get_pc(vm);
	} while (r == VMM_EXIT_STEP);
	cr_assert_eq(r, VMM_EXIT_POWEROFF);
}

Test(wficut, vmm_steps_after_a_cut_are_the_uncut_steps, .init = setup, .fini = teardown)
{
	struct seen want;
	struct trail uncut, cut;
	struct vm *vm = new_vm();

	vm_trail(vm, &uncut);
	vmm_free(vm);
	vm_uncut(&want);
	for (uint64_t b = 1; b < want.ticks; b++) {
		struct vmm_exit ex;

		vm = new_vm();
		vmm_set_budget(vm, b);
		vmm_run(vm, &ex);
		vm_trail(vm, &cut);
		same_trail(&cut, &uncut, b);
		vmm_free(vm);
	}
}

/* A snapshot taken at each tick of a run of fresh(), restored with cfg,
 * runs on into want. */
static void snapshots_restore_into(struct vm *(*fresh)(void), const struct vmm_config *cfg,
				   const struct seen *want)
{
	struct seen got;
	char err[256];

	for (uint64_t b = 1; b < want->ticks; b++) {
		struct vm *vm = fresh(), *vm2;
		struct snap_buf buf = { 0 };
		struct vmm_exit ex;

		vmm_set_budget(vm, b);
		cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_BUDGET);
		cr_assert_eq(vmm_state_save(vm, &buf, err, sizeof err), 0, "%s", err);
		vmm_free(vm);
		cr_assert_eq(vmm_restore_state(cfg, "state", buf.p, buf.len, &vm2, err,
					       sizeof err), 0, "%s", err);
		snap_buf_free(&buf);
		vm_finish(vm2, HW_NO_BUDGET);
		vm_seen(vm2, &got);
		cr_assert_eq(got.pc, want->pc, "snapshot at %llu: pc", (unsigned long long)b);
		cr_assert_eq(memcmp(got.r, want->r, sizeof got.r), 0,
			     "snapshot at %llu: registers (s2 0x%x, uncut 0x%x)",
			     (unsigned long long)b, got.r[14], want->r[14]);
		cr_assert_eq(got.ticks, want->ticks, "snapshot at %llu: ticks",
			     (unsigned long long)b);
		vmm_free(vm2);
	}
}

Test(wficut, vmm_a_snapshot_at_any_tick_restores_into_the_uncut_run, .init = setup,
     .fini = teardown)
{
	struct vmm_config cfg = { .mem_mib = MIB, .cons_in_fd = -1,
				  .shadow = VMM_SHADOW_TRACE };
	struct seen want;

	vm_uncut(&want);
	snapshots_restore_into(new_vm, &cfg, &want);
}

/* --- HC_BLOCK, the paravirtual wfi -------------------------------------------- */

/* Three timer wakes through HC_BLOCK with IE = 1: each hypercall returns
 * the timer's cause (summed into s1), then the interrupt is taken after it
 * (the handler sums epc into s2 and counts in s3). */
static const char pv_prog[] =
	WAKES_HEAD
	"	li	a0, 5\n"		/* HC_BLOCK */
	"	li	a1, 1\n"		/* on the timer's line */
	"	hcall\n"
	"	add	s1, s1, a0\n"
	"	addi	s0, s0, -1\n"
	"	bnez	s0, 1b\n"
	"	out	zero, POWER(zero)\n"
	WAKE_HANDLER;

static const struct vmm_config pv_cfg = { .mem_mib = MIB, .cons_in_fd = -1,
					  .shadow = VMM_SHADOW_FLUSH, .pv = true };

static void pv_setup(void)
{
	elf_path = vt_elf(NULL, pv_prog);
}

static struct vm *new_pv_vm(void)
{
	struct vm *vm;
	char err[256];

	cr_assert_eq(vmm_new(&pv_cfg, &vm, err, sizeof err), 0, "vmm_new: %s", err);
	cr_assert_eq(vmm_load_elf(vm, elf_path, err, sizeof err), 0, "load: %s", err);
	return vm;
}

static void pv_uncut(struct seen *want)
{
	struct vm *vm = new_pv_vm();

	vm_finish(vm, HW_NO_BUDGET);
	vm_seen(vm, want);
	vmm_free(vm);
	cr_assert_eq(want->r[13], 3 * ISA_CAUSE_IRQ_BASE, "the causes HC_BLOCK returned (s1)");
	cr_assert_eq(want->r[15], 3, "the handler's runs");
}

Test(wficut, pv_block_a_budget_ending_at_any_tick_changes_nothing, .init = pv_setup,
     .fini = teardown)
{
	struct seen want, got;

	pv_uncut(&want);
	for (uint64_t b = 1; b <= want.ticks; b++) {
		struct vm *vm = new_pv_vm();
		struct vmm_exit ex;

		vmm_set_budget(vm, b);
		vmm_run(vm, &ex);
		vm_finish(vm, HW_NO_BUDGET);
		vm_seen(vm, &got);
		/* A cut HC_BLOCK is a hypercall again: one exit more. */
		memcpy(got.traps, want.traps, sizeof got.traps);
		same(&got, &want, "budget", b);
		vmm_free(vm);
	}
}

Test(wficut, pv_block_a_snapshot_at_any_tick_restores_into_the_uncut_run, .init = pv_setup,
     .fini = teardown)
{
	struct seen want;

	pv_uncut(&want);
	snapshots_restore_into(new_pv_vm, &pv_cfg, &want);
}
