/*
 * vmview.c - a VM seen from outside: the guest's registers, pc, mode,
 * clock, memory and console, as the monitor, the tests and the other files
 * of the VMM read and change them.
 *
 * The registers and pc are the machine's CPU's: those of the VM on the
 * machine (worldswitch.c moves them).  Guest-physical gpa is
 * machine-physical vm->area + gpa.  The control registers, whose writes
 * have side effects on the run, are vm.c's (vmm_get_cr, vmm_set_cr).
 */
#include <string.h>

#include "vmm_priv.h"

uint32_t vmm_get_reg(const struct vm *vm, unsigned r)
{
	return hw_get_reg(vm->m, r);
}

void vmm_set_reg(struct vm *vm, unsigned r, uint32_t v)
{
	hw_set_reg(vm->m, r, v);
}

uint32_t vmm_get_pc(const struct vm *vm)
{
	return hw_get_pc(vm->m);
}

void vmm_set_pc(struct vm *vm, uint32_t pc)
{
	hw_set_pc(vm->m, pc);
	vm->vc.entry_tick = UINT64_MAX;
	vm->wfi_cut.on = false;
}

bool vmm_guest_kernel(const struct vm *vm)
{
	return vcpu_kernel(&vm->vc);
}

uint64_t vmm_ticks(const struct vm *vm)
{
	return vm_now(vm);
}

uint32_t vmm_guest_mem_size(const struct vm *vm)
{
	return vm->gmem;
}

uint64_t vmm_cons_out(const struct vm *vm, int *last)
{
	*last = vm->cons.last_out;
	return vm->cons.bytes_out;
}

static bool in_guest(const struct vm *vm, uint32_t gpa, size_t len)
{
	return len <= vm->gmem && gpa <= vm->gmem - len;
}

int vmm_guest_read(const struct vm *vm, uint32_t gpa, void *buf, size_t len)
{
	if (!in_guest(vm, gpa, len))
		return -1;
	memcpy(buf, vm->gram + gpa, len);
	return 0;
}

int vmm_guest_write(struct vm *vm, uint32_t gpa, const void *buf, size_t len)
{
	if (!in_guest(vm, gpa, len))
		return -1;
	memcpy(vm->gram + gpa, buf, len);
	hw_mem_written(vm->m, vm->area + gpa, (uint32_t)len);
	shadow_guest_written(vm, gpa, (uint32_t)len);
	return 0;
}

struct cons *vmm_console(struct vm *vm)
{
	return &vm->cons;
}

struct machine *vmm_machine(struct vm *vm)
{
	return vm->m;
}

uint32_t vmm_gpa_to_mpa(const struct vm *vm, uint32_t gpa)
{
	return vm->area + gpa;
}
