/*
 * reflect.c - delivering a trap to the guest: what the hardware's trap
 * entry (ISA.md 7.2) would have done, done by the VMM on the VCPU.
 *
 * A machine trap that belongs to the guest (a syscall, an illegal word, a
 * true page fault...) arrives here with the machine's CPU exactly as before
 * the instruction.  Reflecting it is:
 *
 *   status: PKM = KM, PIE = IE, KM = 1, IE = 0     (virtual; vcpu.c)
 *   epc = pc, cause, badva                         (virtual)
 *   pc = the guest's tvec                          (the machine's pc)
 *   the machine's ptb = the kernel-mode shadow     (shadow.c)
 *
 * No tick passes (ISA.md 10.1).  The guest cannot tell this from the
 * hardware: every register it can read says the same.
 *
 * Double fault (ISA.md 7.6): if the exception comes from the first
 * instruction at tvec right after a trap entry, with no tick in between,
 * the handler can never run.  The bare machine stops, leaving the state of
 * the first trap entry; so does the VM (VMM_EXIT_DOUBLE_FAULT).  Hidden
 * faults in between do not count: they are not ticks and not visible.
 */
#include <stdio.h>

#include "vmm_priv.h"

static void deliver(struct vm *vm, unsigned cause, uint32_t badva, uint32_t pc)
{
	bool was_kernel = vcpu_kernel(&vm->vc);
	uint32_t tvec = vcpu_trap_entry(&vm->vc, pc, cause, badva);

	vm->vc.entry_tick = vm_now(vm);
	hw_set_pc(vm->m, tvec);
	if (!was_kernel)
		shadow_activate(vm);
	if (!was_kernel && unlikely(vm->pv.shared))
		hc_bounce(vm, cause, badva, pc);	/* hypercall.c */
	if (vm_tracing(vm, TRACE_TRAP))
		vm_trace(vm, TRACE_TRAP, pc, was_kernel, true, isa_cause_name(cause),
			 "epc=0x%08x badva=0x%08x tvec=0x%08x", pc, badva, tvec);
}

bool reflect_exception(struct vm *vm, unsigned cause, uint32_t badva, uint32_t pc)
{
	if (vm->vc.entry_tick == vm_now(vm) && pc == vm->vc.cr[ISA_CR_TVEC]) {
		char msg[160];

		snprintf(msg, sizeof msg, "the trap handler at pc 0x%08x faulted: %s "
			 "(badva 0x%08x)", pc, isa_cause_name(cause), badva);
		vm_halt(vm, VMM_EXIT_DOUBLE_FAULT, msg);
		vm->halt_exit.trap.cause = cause;
		vm->halt_exit.trap.badva = badva;
		vm->halt_exit.trap.pc = pc;
		vm->halt_exit.trap.kernel = vcpu_kernel(&vm->vc);
		vm->halt_exit.trap.handler = "double-fault";
		return false;
	}
	deliver(vm, cause, badva, pc);
	vm->st.reflected++;
	return true;
}

void reflect_interrupt(struct vm *vm, unsigned cause)
{
	uint32_t pc = hw_get_pc(vm->m);

	if (vm_tracing(vm, TRACE_IRQ))
		vm_trace(vm, TRACE_IRQ, pc, vcpu_kernel(&vm->vc), true, "inject", "%s",
			 isa_cause_name(cause));
	deliver(vm, cause, 0, pc);
	vm->st.injected++;
}
