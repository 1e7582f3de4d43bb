/*
 * test_vmm_nested.c - the VMM on PG32-V's hardware assist (--mmu=nested,
 * vm/vmm/nested.c): the hostile guest with the invariants checked after
 * every exit (the nested table maps only the guest's own slice, each page
 * at area + gpa), single steps matching the bare machine, and the checker
 * itself catching a nested leaf that points elsewhere.
 */
#include "test_vmm_util.h"

#define PROG(name) "tests/e2e/vmm/" name ".s"

static struct vm *nested_vm(const char *elf, const char *disk)
{
	return vt_vm_with(elf, disk, (struct vmm_config){ .nested = true });
}

Test(vmm_nested, hostile_guest_keeps_the_invariants_after_every_exit)
{
	struct vt_pair g;
	struct vmm_exit ex;
	struct vmm_stats st;
	unsigned exits;

	vt_pair_new(&g, PROG("hostile"), NULL);
	g.vm = nested_vm(g.elf, g.disk[1]);
	exits = vt_run_checked(&g, "hostile", &ex);
	vmm_get_stats(g.vm, &st);
	cr_expect_eq(st.hidden_faults, 0);
	cr_expect_gt(st.exits[ISA_CAUSE_NPF], 0, "nested faults");
	cr_expect_gt(st.true_faults, 0, "its accesses past RAM are the guest's BUS");
	cr_expect_gt(exits, 20, "exits %u", exits);
	vt_pair_free(&g);
}

Test(vmm_nested, steps_match_the_bare_machine)
{
	static const char *const progs[] = { PROG("traps"), PROG("irq"), PROG("paging") };

	for (unsigned i = 0; i < 3; i++) {
		char *elf = vt_elf(progs[i], NULL);
		struct machine *m = vt_bare(elf, NULL);
		struct vm *vm = nested_vm(elf, NULL);

		vt_same_steps(vm, m, progs[i]);
		vmm_free(vm);
		hw_free(m);
		unlink(elf);
		free(elf);
	}
}

/* A nested leaf that maps a guest page onto another frame (here the VMM
 * area) is what invariant checking exists for: vmm_check must say so. */
Test(vmm_nested, the_checker_catches_a_leaf_outside_the_slice)
{
	char *elf = vt_elf(PROG("traps"), NULL);
	struct vm *vm = nested_vm(elf, NULL);
	struct vmm_exit ex;
	char err[256];
	uint32_t root = vmm_nested_root(vm), npde, leaf = ISA_PTE_V | ISA_PTE_R;

	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_POWEROFF);
	cr_assert_eq(vmm_check(vm, err, sizeof err), 0, "%s", err);
	cr_assert_neq(root, 0);
	cr_assert_eq(hw_phys_read(vmm_machine(vm), root, &npde, 4), 0);
	cr_assert(npde & ISA_PTE_V, "guest-physical 0-4 MiB has a nested table");
	cr_assert_eq(hw_phys_write(vmm_machine(vm), ISA_PTE_PPN(npde), &leaf, 4), 0);
	cr_expect_neq(vmm_check(vm, err, sizeof err), 0, "a leaf onto machine page 0 passed");
	cr_expect(strstr(err, "gpa 0x00000000"), "%s", err);
	vmm_free(vm);
	unlink(elf);
	free(elf);
}
