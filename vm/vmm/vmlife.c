/*
 * vmlife.c - a virtual machine's life: made (alone, as a host of one VM,
 * or as one VM of a host), reset to the ISA's state, loaded with an ELF
 * image, and destroyed.
 *
 * A VM is born over a slice of the machine's RAM (host.c chose it) with a
 * quota of the host's shadow pool; vmm_reset puts the machine's CPU and
 * the VCPU, the virtual devices, the shadows and guest time back to the
 * ISA's reset state (isa/ISA.md 11), as a bare machine's reset does.  The
 * run loop that then drives the VM is vm.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "pgelf.h"
#include "vmm_priv.h"

#define ALL_CAUSES	((1u << ISA_NCAUSE) - 1)

/* The largest guest whose machine (guest RAM and the VMM area) fits in the
 * machine's 2048 MiB, and not one MiB more. */
_Static_assert(VMM_MAX_MEM_MIB + VMM_AREA_MIB(VMM_MAX_MEM_MIB) <= 2048
	       && VMM_MAX_MEM_MIB + 1 + VMM_AREA_MIB(VMM_MAX_MEM_MIB + 1) > 2048,
	       "VMM_MAX_MEM_MIB is the largest guest the machine can hold");

/* --- life cycle ------------------------------------------------------------- */

int vmm_new(const struct vmm_config *cfg, struct vm **out, char *err, size_t errsize)
{
	uint32_t mib = cfg->mem_mib ? cfg->mem_mib : 16;
	struct host_config hc = { .sched = HOST_SCHED_RR };
	struct host_vm_config vc = { .vm = cfg };
	struct host *h;

	*out = NULL;
	/* Checked before any arithmetic on mib: VMM_AREA_MIB(mib) + mib must
	 * not wrap for a huge mib. */
	if (mib > VMM_MAX_MEM_MIB) {
		snprintf(err, errsize, "memory size %u MiB is out of range 1..%u under the VMM",
			 mib, VMM_MAX_MEM_MIB);
		return -1;
	}
	if (host_new(&hc, &vc, 1, &h, err, errsize))
		return -1;
	*out = h->vm[0];
	return 0;
}

void vmm_free(struct vm *vm)
{
	if (vm)
		host_free(vm->host);
}

int vm_create(struct host *h, unsigned id, const struct vmm_config *cfg, const char *name,
	      uint32_t area, struct vm **out, char *err, size_t errsize)
{
	uint32_t mib = cfg->mem_mib ? cfg->mem_mib : 16;
	struct vm *vm = calloc(1, sizeof *vm);

	*out = NULL;
	if (!vm) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	vm->m = h->m;
	vm->host = h;
	vm->id = id;
	snprintf(vm->name, sizeof vm->name, "%s", name);
	vm->area = area;
	vm->gmem = mib << 20;
	vm->gram = hw_mem(vm->m) + vm->area;
	vm->nested = cfg->nested;
	vm->policy = cfg->nested ? VMM_SHADOW_FLUSH : cfg->shadow;
	vm->tr = cfg->trace && cfg->trace->fn ? cfg->trace : NULL;
	vm->budget_end = HW_NO_BUDGET;
	vm->pv.offered = cfg->pv;
	vm->fast_exits = !cfg->slow_exits;
	vm->served_crs = !cfg->trap_crs;
	vm->vcr.cr = vm->vc.cr;
	vm->stall_limit = UINT64_MAX;
	if (shadow_init(vm, VMM_AREA_MIB(mib) << (20 - ISA_PAGE_SHIFT), err, errsize)
	    || vdev_init(vm, cfg, err, errsize)
	    || (cfg->bt && btrun_init(vm, area - (BT_TC_MIB << 20), cfg->bt == VMM_BT_INLINE,
				      err, errsize))) {
		vm_destroy(vm);
		return -1;
	}
	*out = vm;
	return 0;
}

void vm_destroy(struct vm *vm)
{
	if (!vm)
		return;
	btrun_free(vm);
	vdev_free(vm);
	nested_free(vm);
	shadow_free(vm);
	vmm_dirtylog_stop(vm);
	free(vm);
}

/* The machine's CPU as the ISA resets it, for this VM: on a host of one VM
 * the whole machine is reset, as it always was; on a bigger host only this
 * VM's part of it (registers, pc, its clock), the machine is shared. */
static void cpu_reset(struct vm *vm, uint32_t entry)
{
	struct host *h = vm->host;

	if (h->nvm == 1) {
		hw_reset(vm->m, entry);
		hw_set_cr(vm->m, ISA_CR_STATUS, 0);	/* user mode, IE = 0, always */
		hw_set_trap_to_host(vm->m, ALL_CAUSES);
		vm_install_fast_trap(vm);
		vm->tick_off = 0;
		vm->direct_off = 0;
		h->cur = vm;
	} else {
		host_select(vm);
		for (unsigned r = 1; r < ISA_NREGS; r++)
			hw_set_reg(vm->m, r, 0);
		hw_set_pc(vm->m, entry);
		vm->tick_off = 0 - hw_ticks(vm->m);
		vm->direct_off = hw_ticks(vm->m);
	}
	hw_set_reg(vm->m, ISA_R_SP, vm->gmem);
}

void vmm_reset(struct vm *vm, uint32_t entry)
{
	cpu_reset(vm, entry);
	vcpu_reset(&vm->vc);
	vm->events_at = 0;
	vm->wfi_cut.on = false;
	vm->halt = VMM_NEXIT;
	vm->powered = false;
	vm->watch_hit = false;
	vm->bp_pass.set = false;
	vdev_reset(vm);
	vm->sh.mptb = 0;
	shadow_reset(vm);
	memset(&vm->st, 0, sizeof vm->st);
	memset(&vm->xs, 0, sizeof vm->xs);
	vm->vcr.mfcr = vm->vcr.mtcr = vm->vcr.rdst = 0;
	vm->pv = (struct pvstate){ .offered = vm->pv.offered, .blk_due = UINT64_MAX };
	if (vm->bt)
		btrun_reset(vm);
	if (vm->nested)
		nested_reset(vm);
	shadow_activate(vm);
}

int vmm_load_elf(struct vm *vm, const char *path, char *err, size_t errsize)
{
	struct pgelf elf;
	char why[256];

	if (pgelf_read_file(path, &elf, err, errsize))
		return -1;
	if (pgelf_check_load(&elf, vm->gmem, why, sizeof why)) {
		snprintf(err, errsize, "%s: %s", path, why);
		pgelf_free(&elf);
		return -1;
	}
	for (unsigned i = 0; i < elf.nsegs; i++) {
		const struct pgelf_segment *s = &elf.segs[i];

		memcpy(vm->gram + s->paddr, s->data, s->filesz);
		memset(vm->gram + s->paddr + s->filesz, 0, s->memsz - s->filesz);
		hw_mem_written(vm->m, vm->area + s->paddr, s->memsz);
	}
	vmm_reset(vm, elf.entry);
	pgelf_free(&elf);
	return 0;
}
