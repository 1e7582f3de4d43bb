/*
 * virq.c - virtual interrupts and guest time.
 *
 * The machine never takes an interrupt while a guest runs (its IE is 0):
 * the guest's interrupt lines are virtual.  The timer latches in guest
 * time, the console and disk models raise lines through virq_line, and the
 * VMM delivers an interrupt (reflect.c) when the guest could take it, at
 * the same instruction boundary as the bare machine (ISA.md 8.3):
 *
 *   - at a tick where a line rises (an event below): the machine's budget
 *     is set to stop exactly there (vm.c);
 *   - after an emulated instruction: mtcr status/imask enabling IE or a
 *     line, rfe restoring IE, wfi waking, an out acknowledging...
 *
 * Guest time = the machine's ticks (instructions run directly) + the ticks
 * the VMM retired itself (emulated instructions, wfi's sleep).  An event
 * tick is one at whose end something can happen (ISA.md 10.1): the timer
 * compare, a disk completion, a console poll point.  Between event ticks
 * nothing but instructions happens, so the guest runs directly until the
 * next one.
 */
#include "vmm_priv.h"

#define POLL_PERIOD	65536u	/* ISA.md 10.1: console polled every 65536 ticks */

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The next tick after now at which icount == timecmp. */
static uint64_t timer_next(const struct vm *vm, uint64_t now)
{
	uint32_t d = vm->vc.cr[ISA_CR_TIMECMP] - (uint32_t)now;

	return now + (d ? d : (UINT64_C(1) << 32));
}

static uint64_t poll_next(uint64_t now)
{
	return (now | (POLL_PERIOD - 1)) + 1;
}

uint64_t virq_next_event(const struct vm *vm, uint64_t now)
{
	/* LAB4 BEGIN: the next event tick: timer, disk, console poll (task 1) */
	uint64_t e = vm->budget_end;

	if (!(vm->vc.cr[ISA_CR_IPEND] & ISA_IRQ_TIMER))
		e = min64(e, timer_next(vm, now));
	e = min64(e, disk_next_event(&vm->disk));
	/* Without RXIE polling is invisible: STATUS and DATA poll themselves. */
	if (cons_can_interrupt(&vm->cons))
		e = min64(e, poll_next(now));
	return e;
	/* LAB4 STUB
	(void)now;
	(void)min64;
	(void)timer_next;
	(void)poll_next;
	return vm->budget_end;	// lab4: guest events (virq_next_event, vm/vmm/virq.c) not implemented
	LAB4 END */
}

static void wfi_retire(struct vm *vm)
{
	hw_set_pc(vm->m, hw_get_pc(vm->m) + 4);
	vm_tick(vm);
}

void virq_wfi_resume(struct vm *vm)
{
	if (vcpu_ipend(&vm->vc) & vm->vc.cr[ISA_CR_IMASK])
		wfi_retire(vm);
}

enum emu_result virq_wfi_sleep(struct vm *vm, uint32_t pc)
{
	enum emu_result r = virq_wfi(vm);

	if (r == EMU_WAIT && vm->halt == VMM_NEXIT)
		hw_wficut_set(&vm->wfi_cut, pc, vm_now(vm));
	return r;
}

/* Whether the guest's instruction at pc is a hypercall: a cut there was
 * HC_BLOCK's, the paravirtual wfi. */
static bool at_hcall(struct vm *vm, uint32_t pc)
{
	uint32_t gpa, w;

	if (!vm->pv.offered || !vcpu_kernel(&vm->vc) || shadow_guest_fetch(vm, pc, &gpa))
		return false;
	vmm_guest_read(vm, gpa, &w, sizeof w);
	return isa_decode(w).op == ISA_OP_hcall;
}

bool virq_wfi_continue(struct vm *vm)
{
	uint32_t pc = hw_get_pc(vm->m);
	bool retired;

	if (!hw_wficut_take(&vm->wfi_cut, pc, vm_now(vm)))
		return false;
	if (at_hcall(vm, pc)) {
		hc_dispatch(vm, pc, &retired);
		return retired;
	}
	if (virq_wfi_sleep(vm, pc) != EMU_NEXT)
		return false;
	wfi_retire(vm);
	return true;
}

/* Guest time jumps to tick t, whose end-of-tick events then run. */
static void jump_to(struct vm *vm, uint64_t t)
{
	vm->tick_off += t - vm_now(vm);
	virq_events(vm, t);
}

void virq_catch_up(struct vm *vm, uint64_t to)
{
	uint64_t now = vm_now(vm);
	uint64_t cmp = now + (uint32_t)(vm->vc.cr[ISA_CR_TIMECMP] - (uint32_t)now);
	uint64_t poll = to & ~(uint64_t)(POLL_PERIOD - 1);
	bool c = cmp > now && cmp < to, p = poll > now && poll < to;

	if (to <= now)
		return;
	if (vm->wfi_cut.on && vm->wfi_cut.at == now)
		vm->wfi_cut.at = to;	/* its wfi slept through the jump */
	/* The events of the ticks it missed, once each and in order: the
	 * timer compare (its one latch, late; every compare passed while it
	 * was off is that one pending bit), the last console poll point;
	 * then 'to' itself, where a disk request due meanwhile completes. */
	if (c && (!p || cmp <= poll))
		jump_to(vm, cmp);
	if (p && poll != cmp)
		jump_to(vm, poll);
	if (c && p && cmp > poll)
		jump_to(vm, cmp);
	jump_to(vm, to);
}

void virq_events(struct vm *vm, uint64_t now)
{
	/* LAB4 BEGIN: the events at the end of guest tick now, ISA.md 10.1 (task 2) */
	if (now == vm->events_at)
		return;
	vm->events_at = now;
	if ((uint32_t)now == vm->vc.cr[ISA_CR_TIMECMP]
	    && !(vm->vc.cr[ISA_CR_IPEND] & ISA_IRQ_TIMER)) {
		vm->vc.cr[ISA_CR_IPEND] |= ISA_IRQ_TIMER;
		if (vm_tracing(vm, TRACE_IRQ))
			vm_trace(vm, TRACE_IRQ, hw_get_pc(vm->m), vcpu_kernel(&vm->vc),
				 vcpu_kernel(&vm->vc), "raise", "timer");
	}
	if (disk_update(&vm->disk, now, &vm->dma) && vm_tracing(vm, TRACE_DEV)) {
		char text[96];

		disk_describe(&vm->disk, text, sizeof text);
		vm_trace(vm, TRACE_DEV, hw_get_pc(vm->m), vcpu_kernel(&vm->vc),
			 vcpu_kernel(&vm->vc), "dma", "%s", text);
	}
	if (now % POLL_PERIOD == 0 && cons_can_interrupt(&vm->cons))
		cons_poll(&vm->cons);
	/* LAB4 STUB
	(void)now;
	vmm_not_implemented(vm, "lab4: the end-of-tick events (virq_events, vm/vmm/virq.c)");
	LAB4 END */
}

void virq_line(void *ctx, uint32_t lines, bool level)
{
	struct vm *vm = ctx;
	uint32_t before = vm->vc.lines;

	if (level)
		vm->vc.lines |= lines;
	else
		vm->vc.lines &= ~lines;
	if (vm->vc.lines != before && vm_tracing(vm, TRACE_IRQ))
		vm_trace(vm, TRACE_IRQ, hw_get_pc(vm->m), vcpu_kernel(&vm->vc),
			 vcpu_kernel(&vm->vc), level ? "raise" : "lower", "%s",
			 lines & ISA_IRQ_CONSOLE ? "console" : "disk");
}

unsigned virq_pending(const struct vcpu *v)
{
	/* LAB4 BEGIN: the interrupt to take now, ISA.md 8.3 (task 3) */
	uint32_t p = vcpu_ipend(v) & v->cr[ISA_CR_IMASK];

	if (!(v->cr[ISA_CR_STATUS] & ISA_ST_IE) || !p)
		return 0;
	return ISA_CAUSE_IRQ_BASE + (unsigned)__builtin_ctz(p);
	/* LAB4 STUB
	(void)v;
	return 0;	// lab4: pending interrupts (virq_pending, vm/vmm/virq.c) not implemented: none is taken
	LAB4 END */
}

/* LAB4 BEGIN: wfi: sleep in guest time until a line can wake it (task 4) */
/* Let guest time jump to 'to' while the guest sleeps in wfi. */
static void sleep_until(struct vm *vm, uint64_t to)
{
	uint64_t now = vm_now(vm);

	vm->xs.wfi_sleep += to - now;
	vm->tick_off += to - now;
	virq_events(vm, to);
}

enum emu_result virq_wfi(struct vm *vm)
{
	for (;;) {
		uint64_t now = vm_now(vm), wake = UINT64_MAX, next;
		uint32_t mask = vm->vc.cr[ISA_CR_IMASK];
		bool cons_wakes = (mask & ISA_IRQ_CONSOLE) && cons_can_interrupt(&vm->cons);

		if (now >= vm->budget_end)
			return EMU_WAIT;
		if (vcpu_ipend(&vm->vc) & mask)
			return EMU_NEXT;
		if (cons_wakes) {		/* ISA.md 11.2: polled when wfi sleeps */
			cons_poll(&vm->cons);
			if (vcpu_ipend(&vm->vc) & mask)
				return EMU_NEXT;
		}
		if (mask & ISA_IRQ_TIMER)
			wake = timer_next(vm, now);
		if (mask & ISA_IRQ_DISK)
			wake = min64(wake, disk_next_event(&vm->disk));
		if (wake == UINT64_MAX && !cons_wakes) {
			vm_halt(vm, VMM_EXIT_DEADLOCK, "wfi with nothing that can wake it");
			return EMU_WAIT;
		}
		next = virq_next_event(vm, now);
		if (wake == UINT64_MAX && next >= poll_next(now))
			cons_wait(&vm->cons);	/* only host input can wake us */
		sleep_until(vm, next);
	}
}
/* LAB4 STUB
enum emu_result virq_wfi(struct vm *vm)
{
	vmm_not_implemented(vm, "lab4: wfi (virq_wfi, vm/vmm/virq.c)");
	return EMU_WAIT;
}
LAB4 END */
