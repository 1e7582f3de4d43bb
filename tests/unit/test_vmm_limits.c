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
