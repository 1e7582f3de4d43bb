/*
 * test_vmm_limits.c - the VMM's limits: the memory sizes vmm_new accepts.
 */
#include "test_vmm_util.h"

/* vm/vmm/vmm.h: guest RAM 1..VMM_MAX_MEM_MIB (2029: with the VMM area of
 * 4 + 2029/128 = 19 MiB it fills the machine's 2048 MiB); anything larger
 * is refused with a message naming the real range, however large. */
Test(vmm_api, memory_sizes_up_to_the_machine)
{
	static const uint32_t refused[] = { VMM_MAX_MEM_MIB + 1, 2048, 4261672973u, 0xffffffffu,
					    0x80000000u };
	struct vmm_config cfg = { 0 };
	struct vm *vm;
	char err[256], want[64];

	snprintf(want, sizeof want, "out of range 1..%u under the VMM", VMM_MAX_MEM_MIB);
	for (unsigned i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		cfg.mem_mib = refused[i];
		err[0] = 0;
		cr_expect_eq(vmm_new(&cfg, &vm, err, sizeof err), -1, "%u MiB accepted", refused[i]);
		cr_expect(strstr(err, want), "%u MiB: '%s'", refused[i], err);
		cr_expect_null(vm);
	}
	cfg.mem_mib = VMM_MAX_MEM_MIB;
	cr_assert_eq(vmm_new(&cfg, &vm, err, sizeof err), 0, "%u MiB: %s", VMM_MAX_MEM_MIB, err);
	cr_expect_eq(vmm_guest_mem_size(vm), (uint32_t)VMM_MAX_MEM_MIB << 20);
	cr_expect_leq((uint64_t)vm->area + vm->gmem, 2048ull << 20);
	cr_expect_eq(vmm_get_reg(vm, ISA_R_SP), (uint32_t)VMM_MAX_MEM_MIB << 20);
	/* The top word of guest RAM is writable and readable. */
	uint32_t w = 0xfeedf00d, r = 0;
	cr_expect_eq(vmm_guest_write(vm, vmm_guest_mem_size(vm) - 4, &w, 4), 0);
	cr_expect_eq(vmm_guest_read(vm, vmm_guest_mem_size(vm) - 4, &r, 4), 0);
	cr_expect_eq(r, w);
	vmm_free(vm);
}

/* The VMM's host work per guest tick is bounded under both policies
 * (vm/vmm/README.md, "Host work per guest tick"), counted deterministically
 * as shadow entries visited (xs.visits), on the worst case known: aspaces.s
 * keeps 500 shadow tables alive and makes a new address space every few
 * ticks.  Scanning the pool for each new tracked page (what the trace
 * policy once did) visits about 50,000 entries per tick here; the bound
 * is a page's worth per tick, and three pages' worth per exit, which
 * pays for the pages each exit can allocate (a root and a table) being
 * cleared again later. */
Test(vmm_limits, shadow_work_per_guest_tick_is_bounded)
{
	char *elf = vt_elf("tests/e2e/vmm/aspaces.s", NULL);

	for (int p = 0; p < 2; p++) {
		struct machine *m = vt_bare(elf, NULL);
		struct vm *vm = vt_vm(elf, (enum vmm_shadow_policy)p, NULL);
		struct vmm_exit ex;
		struct hw_exit hx;
		uint64_t exits = 0, ticks;

		vmm_set_budget(vm, 1000000);
		cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_POWEROFF, "policy %d: exit %d", p, ex.reason);
		cr_assert_eq(ex.code, 0, "policy %d: the guest's own check failed", p);
		cr_assert_eq(hw_run(m, &hx), HW_EXIT_POWEROFF);
		vt_same(vm, m);
		vt_check(vm, "aspaces.s");
		for (unsigned c = 0; c < ISA_NCAUSE; c++)
			exits += vm->st.exits[c];
		ticks = vmm_ticks(vm);
		cr_expect_gt(vm->st.exits[ISA_CAUSE_PRIVILEGED], 6000, "policy %d: the ptb writes", p);
		cr_expect_leq(vm->xs.visits, 1024 * ticks, "policy %d: %llu entries visited in %llu "
			      "ticks", p, (unsigned long long)vm->xs.visits, (unsigned long long)ticks);
		cr_expect_leq(vm->xs.visits, 3 * 1024 * exits, "policy %d: %llu entries visited in "
			      "%llu exits", p, (unsigned long long)vm->xs.visits,
			      (unsigned long long)exits);
		if (p == VMM_SHADOW_TRACE)
			cr_expect_gt(vm->xs.downgrades, 3000, "each new directory write-protected");
		vmm_free(vm);
		hw_free(m);
	}
	unlink(elf);
	free(elf);
}

/* A VMM that never retires an instruction is stopped by the budget.  The
 * stand-in for a broken VMM: a pool of 2 pages (a root and one table)
 * under a guest whose load at 8 MiB is fetched from below 4 MiB.  The
 * fetch needs the table of slot 0 and the load that of slot 2; each fill
 * drops the other, so the VMM refills forever and guest time stands still.
 * (Bare, the program runs to its end.) */
Test(vmm_limits, a_vmm_without_progress_is_stopped_by_the_budget, .timeout = 60)
{
	char *elf = vt_elf(NULL, "_start:\tli\tt0, 0x800000\n"
				 "\tlw\tt1, 0(t0)\n"
				 "\tout\tzero, 0x20(zero)\n");
	struct vm *vm = vt_vm(elf, VMM_SHADOW_FLUSH, NULL);
	struct vmm_exit ex;
	uint64_t faults;

	shadow_set_limit(vm, 2);
	vmm_set_budget(vm, 1000);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_BUDGET, "exit %d", ex.reason);
	cr_assert(ex.message, "the budget exit says why");
	cr_expect(strstr(ex.message, "without the guest advancing"), "%s", ex.message);
	cr_expect_lt(vmm_ticks(vm), 1000, "the guest did not use its budget");
	faults = vm->st.hidden_faults;
	cr_expect_geq(faults, 1000, "hidden faults %llu", (unsigned long long)faults);
	cr_expect_leq(faults, 1010, "hidden faults %llu", (unsigned long long)faults);
	/* A new budget gives it as many turns again; a small one at least 64,
	 * what a correct VMM may need for one instruction. */
	vmm_set_budget(vm, 5);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_BUDGET);
	cr_expect_geq(vm->st.hidden_faults - faults, 64);
	cr_expect_leq(vm->st.hidden_faults - faults, 70);
	/* With room for both tables it goes on and powers off. */
	shadow_set_limit(vm, 3);
	vmm_set_budget(vm, 1000);
	cr_expect_eq(vmm_run(vm, &ex), VMM_EXIT_POWEROFF, "exit %d", ex.reason);
	vmm_free(vm);
	unlink(elf);
	free(elf);
}
