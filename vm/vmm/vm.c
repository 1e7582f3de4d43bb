/*
 * vm.c - a virtual machine's run loop: the dispatcher, its fast path, run
 * control (budget, stop-on, breakpoints, watchpoints), guest time and
 * halting, and the control registers as the dispatcher's handlers read and
 * write them (vmm_get_cr, vmm_set_cr: ISA.md 6.3's side effects on the VM).
 * A VM's life (made, reset, loaded) is vmlife.c's; its registers and memory
 * seen from outside, vmview.c's.
 *
 * The run loop is the VMM's dispatcher, one level above the machine's:
 *
 *	for (;;) {                      an instruction boundary of the guest
 *		budget used up?             -> exit BUDGET
 *		virtual interrupt due?      -> deliver it (reflect.c), continue
 *		breakpoint at pc?           -> exit BREAKPOINT
 *		hw_set_budget(next guest event - now)
 *		hw_run(machine)             the guest runs directly, in user mode
 *		TRAP   -> by cause: emulate (emulate.c), reflect (reflect.c),
 *		          hidden or true fault (shadow.c)
 *		BUDGET -> a guest event tick: timer, disk, console (virq.c)
 *	}
 *
 * While the guest runs, the machine's CPU holds the guest's registers and
 * pc, with status = user mode, IE = 0 (the machine never takes an
 * interrupt), every trap cause sent to the host, and ptb = the shadow root
 * of the guest's address space in its virtual mode.
 */
#include <stdarg.h>

#include "vmm_priv.h"

#define STALL_MIN	64	/* see vmm_set_budget */

/* --- time, halting, tracing ------------------------------------------------- */

void vm_tick(struct vm *vm)
{
	uint64_t now;

	vm->tick_off++;
	vm->st.emulated++;
	now = vm_now(vm);
	if (now >= vm->ev_next)		/* else no event can end this tick */
		pv_events(vm, now);
}

void vm_halt(struct vm *vm, enum vmm_exit_reason r, const char *message)
{
	vm->halt = r;
	vm->halt_exit = (struct vmm_exit){ .reason = r, .pc = hw_get_pc(vm->m),
					   .code = vm->power_code };
	if (message) {
		snprintf(vm->message, sizeof vm->message, "%s", message);
		vm->halt_exit.message = vm->message;
	}
}

void vmm_not_implemented(struct vm *vm, const char *what)
{
	char msg[160];

	if (vm->halt != VMM_NEXIT)
		return;
	snprintf(msg, sizeof msg, "%s not implemented", what);
	vm_halt(vm, VMM_EXIT_FAILURE, msg);
}

void vm_trace(const struct vm *vm, enum trace_cat cat, uint32_t pc, bool kernel,
	      bool kernel_after, const char *what, const char *fmt, ...)
{
	char text[256];
	va_list ap;
	struct trace_event ev = { .cat = cat, .tick = vm_now(vm), .pc = pc, .kernel = kernel,
				  .kernel_after = kernel_after, .what = what, .text = text };

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	vm->tr->fn(vm->tr->ctx, &ev);
}

/* --- the dispatcher --------------------------------------------------------- */

static void bp_stopped(struct vm *vm)
{
	hw_bp_stopped(&vm->bp_pass, hw_get_pc(vm->m), vm_now(vm));
}

static enum vmm_exit_reason exit_with(struct vm *vm, struct vmm_exit *ex,
				      enum vmm_exit_reason r)
{
	ex->reason = r;
	ex->pc = hw_get_pc(vm->m);
	if (r == VMM_EXIT_STEP || r == VMM_EXIT_WATCHPOINT)
		bp_stopped(vm);	/* a stop the user saw here (hw.h) */
	return r;
}

static enum vmm_exit_reason halted(struct vm *vm, struct vmm_exit *ex)
{
	*ex = vm->halt_exit;
	return ex->reason;
}

static void trace_exit(struct vm *vm, const struct hw_exit *hx, bool kernel,
		       const char *handler)
{
	char insn[64] = "";

	if (hx->u.trap.insn)
		isa_disasm(hx->u.trap.insn, hx->pc, insn, sizeof insn, NULL, NULL);
	vm_trace(vm, TRACE_EXIT, hx->pc, kernel, vcpu_kernel(&vm->vc), handler,
		 "cause=%s badva=0x%08x%s%s", isa_cause_name(hx->u.trap.cause),
		 hx->u.trap.badva, *insn ? " insn=" : "", insn);
}

/* The access a fault was raised for: its cause says so, except BUS. */
static int fault_kind(const struct hw_exit *hx)
{
	unsigned c = hx->u.trap.cause;

	if (c >= ISA_CAUSE_PF_FETCH && c <= ISA_CAUSE_PF_STORE_PROT)
		return (int)(c - ISA_CAUSE_PF_FETCH) / 2;
	if (hx->u.trap.insn == 0 || hx->u.trap.badva == hx->pc)
		return KIND_FETCH;
	return isa_table[hx->u.trap.d.op].cls & ISA_C_STORE ? KIND_STORE : KIND_LOAD;
}

static const char hidden_fault[] = "hidden-fault";

/* A page fault or BUS from the machine: hidden, true, or a store to a
 * tracked page table.  Returns the handler's name. */
static const char *memory_fault(struct vm *vm, const struct hw_exit *hx, bool *retired)
{
	uint32_t gpa = 0;
	unsigned c = shadow_fault(vm, hx->u.trap.badva, fault_kind(hx), &gpa);

	if (c == SHF_HIDDEN) {
		vm->st.hidden_faults++;
		return hidden_fault;
	}
	if (c == SHF_EMULATE) {
		emu_store(vm, &hx->u.trap.d, hx->u.trap.badva, gpa);
		hw_set_pc(vm->m, hx->pc + 4);
		vm_tick(vm);
		*retired = true;
		return "pt-write";
	}
	if (c == SHF_LOAD) {		/* --bt: the translation window */
		emu_load(vm, &hx->u.trap.d, gpa);
		hw_set_pc(vm->m, hx->pc + 4);
		vm_tick(vm);
		*retired = true;
		return "bt-window-load";
	}
	vm->st.true_faults++;
	reflect_exception(vm, c, hx->u.trap.badva, hx->pc);
	return "true-fault";
}

/* Whether handling hx leaves the next guest event where it was: nothing
 * virq_next_event depends on (timecmp and the latched timer, the devices,
 * the caller's budget, the block ring) changes in a reflection, a shadow
 * fault, a page-table store, nor in these privileged instructions.  Port
 * I/O, wfi, hypercalls and writes to timecmp (ipend, icount: ignored, but
 * no matter) may move it. */
static bool event_neutral(const struct hw_exit *hx)
{
	switch (hx->u.trap.cause) {
	case ISA_CAUSE_PRIVILEGED:
		break;
	case ISA_CAUSE_HCALL:
	case ISA_CAUSE_NPF:
		return false;
	default:
		return true;
	}
	switch (hx->u.trap.d.op) {
	case ISA_OP_mfcr: case ISA_OP_rdst: case ISA_OP_rfe: case ISA_OP_setie:
	case ISA_OP_tlbflush: case ISA_OP_tlbinv:
		return true;
	case ISA_OP_mtcr:
		return hx->u.trap.d.imm != ISA_CR_TIMECMP && hx->u.trap.d.imm != ISA_CR_IPEND
		       && hx->u.trap.d.imm != ISA_CR_ICOUNT;
	default:
		return false;
	}
}

/* Handle one machine trap.  *retired: a guest instruction retired (for
 * vmm_step); *visible: the guest saw something (retired or a trap). */
static const char *dispatch(struct vm *vm, const struct hw_exit *hx, bool *visible)
{
	unsigned cause = hx->u.trap.cause;
	bool retired = false;
	const char *h;

	vm->st.exits[cause]++;
	if (!event_neutral(hx))
		vm->ev_next = 0;	/* next_event computes it afresh */
	if (cause == ISA_CAUSE_NPF) {			/* nested.c */
		h = nested_fault(vm, hx);
		*visible = h != nested_fill;
		return h;
	}
	if (cause == ISA_CAUSE_HCALL && vm->pv.offered && vcpu_kernel(&vm->vc)) {
		h = hc_dispatch(vm, hx->pc, &retired);		/* hypercall.c */
		*visible = retired;
		if (vm->pv.shared)	/* its flag is read at every exit: vcr_arm */
			hw_set_vcr(vm->m, NULL);
		return h;
	}
	switch (cause) {
	/* LAB2 BEGIN: trap and emulate: PRIVILEGED and the other exceptions (task 3) */
	case ISA_CAUSE_PRIVILEGED:
		if (vcpu_kernel(&vm->vc)) {
			enum emu_result res;

			h = emu_privileged(vm, &hx->u.trap.d, hx->u.trap.insn, hx->pc, &res);
			if (res == EMU_NEXT)
				hw_set_pc(vm->m, hx->pc + 4);
			if (res == EMU_NEXT || res == EMU_JUMPED) {
				vm_tick(vm);
				retired = true;
				if (vm->powered)
					vm_halt(vm, VMM_EXIT_POWEROFF, NULL);
			}
			break;
		}
		/* privileged in virtual user mode: the guest's trap */
		__attribute__((fallthrough));
	case ISA_CAUSE_ILLEGAL:
	case ISA_CAUSE_SYSCALL:
	case ISA_CAUSE_BREAK:
	case ISA_CAUSE_HCALL:
	case ISA_CAUSE_MISALIGNED:
		reflect_exception(vm, cause, hx->u.trap.badva, hx->pc);
		h = "reflect";
		break;
	/* LAB2 STUB
	case ISA_CAUSE_PRIVILEGED:
	case ISA_CAUSE_ILLEGAL:
	case ISA_CAUSE_SYSCALL:
	case ISA_CAUSE_BREAK:
	case ISA_CAUSE_HCALL:
	case ISA_CAUSE_MISALIGNED:
		vmm_not_implemented(vm, "lab2: the trap-and-emulate dispatch (dispatch, vm/vmm/vm.c)");
		return "failure";
	LAB2 END */
	case ISA_CAUSE_BUS:
	case ISA_CAUSE_PF_FETCH: case ISA_CAUSE_PF_FETCH_PROT:
	case ISA_CAUSE_PF_LOAD: case ISA_CAUSE_PF_LOAD_PROT:
	case ISA_CAUSE_PF_STORE: case ISA_CAUSE_PF_STORE_PROT:
		h = memory_fault(vm, hx, &retired);
		break;
	default:		/* the machine's IE is 0: no interrupt reaches here */
		vm_halt(vm, VMM_EXIT_FAILURE, "machine interrupt while a guest ran");
		return "failure";
	}
	*visible = retired || h != hidden_fault;
	return h;
}

static bool at_breakpoint(const struct vm *vm, uint32_t pc)
{
	for (unsigned i = 0; i < vm->nbp; i++)
		if (vm->bp[i] == pc)
			return true;
	return false;
}

static bool stops_on(const struct vm *vm, unsigned cause)
{
	return vm->stop_all || (vm->stop_causes >> cause & 1);
}

/* Whether run()'s next boundary, at guest tick now, would do nothing but
 * set the budget and resume: no halt, watchpoint, budget, interrupt to
 * deliver (a virtual flag to read, with --pv) or stall.  Breakpoints are
 * the caller's to check.  When it is quiet, the turn is counted as run()
 * counts it, so that a VMM making no progress is stopped after the same
 * number of turns either way (vmm_set_budget). */
static bool quiet_boundary(struct vm *vm, uint64_t now)
{
	if (vm->halt != VMM_NEXIT || vm->watch_hit || now >= vm->budget_end
	    || virq_pending(&vm->vc) || (unlikely(vm->pv.shared) && hc_virtual_if_due(vm)))
		return false;
	if (now != vm->stall_at) {
		vm->stall_at = now;
		vm->stall = 0;
	} else if (vm->stall >= vm->stall_limit) {
		return false;		/* run() counts this turn and stops */
	} else {
		vm->stall++;
	}
	return true;
}

/* The next guest event after now, for the machine's budget.  Between two
 * of run()'s boundaries, while the exits the fast path handles are
 * event-neutral, it is the one computed last: kept in ev_next, where
 * vm_tick also finds that no event ends its tick before it.  Not under
 * --exits=trap: there every emulated tick runs virq.c's events, as the
 * labs' students write them (vmm_set_served_crs). */
static uint64_t next_event(struct vm *vm, uint64_t now)
{
	uint64_t e;

	if (now < vm->ev_next)
		return vm->ev_next;
	e = pv_next_event(vm, now);
	if (vm->served_crs && !vm->bt)
		vm->ev_next = e;
	return e;
}

/* The dispatcher's fast path, called by the machine inside hw_run for
 * every exception a guest raises (hw_set_trap_handler), as KVM handles
 * some exits in the kernel: the same dispatch() as run() below, so the
 * emulation, the reflection, the hypercalls and the shadow faults that run
 * are the same code, without the round trip out of the machine and back.
 * It resumes the guest only when the boundary run() would reach next has
 * nothing to do but set the budget; otherwise run() takes over from that
 * boundary.  An exit traced as such, a breakpoint or a stop the caller
 * asked for needs run() from the start. */
static enum hw_trap_action fast_trap(void *ctx, const struct hw_exit *hx)
{
	struct vm *vm = ctx;
	uint64_t now;
	bool visible;

	if (vm_tracing(vm, TRACE_EXIT) || vm->nbp || stops_on(vm, hx->u.trap.cause))
		return HW_TRAP_EXIT;
	if (unlikely(vm->bt)) {		/* a callout (btrun.c), as in run() */
		struct hw_exit bx = *hx;

		if (!btrun_leave(vm, &bx, &visible))
			dispatch(vm, &bx, &visible);
	} else {
		dispatch(vm, hx, &visible);
	}
	now = vm_now(vm);
	if (!quiet_boundary(vm, now))
		return HW_TRAP_RETURN;
	if (unlikely(vm->bt) && !btrun_enter(vm))
		return HW_TRAP_RETURN;
	hw_set_budget(vm->m, next_event(vm, now) - now);
	return HW_TRAP_RESUME;
}

/* Every exception (the machine's IE is 0: it raises no interrupt). */
#define FAST_CAUSES	((1u << ISA_CAUSE_IRQ_BASE) - 1)

void vm_install_fast_trap(struct vm *vm)
{
	hw_set_vcr(vm->m, NULL);	/* vcr_arm's, for this VM's runs only */
	if (vm->nested)		/* intercepted instructions exit from guest mode */
		return;
	hw_set_trap_handler(vm->m, vm->fast_exits ? FAST_CAUSES : 0, fast_trap, vm);
}

void vmm_set_fast_exits(struct vm *vm, bool on)
{
	vm->fast_exits = on;
	if (vm->host->cur == vm)
		vm_install_fast_trap(vm);
}

/* --- control registers served by the machine ------------------------------- */

/* What the machine may serve from vc.cr in virtual kernel mode (hw.h
 * hw_set_vcr; vmm.h vmm_set_served_crs): reads of the registers kept there
 * as mfcr reads them (not ipend: the device lines are vc.lines; not
 * icount: guest time), writes of those whose write has no effect but the
 * masked store in vmm_set_cr (ISA.md 6.3; ipend and icount ignore them),
 * and of status when it keeps KM and IE (PKM and PIE are plain storage;
 * a mode change needs the other shadow, IE rising may let an interrupt
 * in).  vmm_set_cr's reset of entry_tick changes nothing there: a served
 * instruction is a tick after any trap entry. */
#define CRBIT(c)	(1u << ISA_CR_##c)
#define VCR_READS	(((1u << ISA_NCR) - 1) & ~(CRBIT(IPEND) | CRBIT(ICOUNT)))
#define VCR_WRITES	(CRBIT(STATUS) | CRBIT(TVEC) | CRBIT(EPC) | CRBIT(CAUSE) \
			 | CRBIT(BADVA) | CRBIT(SCRATCH) | CRBIT(IPEND) | CRBIT(ICOUNT))

/* At a run's start: whether the machine serves them in this run.  Not
 * when run() must see each privileged instruction (exit tracing, a
 * breakpoint or a stop on PRIVILEGED: the loop from the start, as in
 * fast_trap; a step), nor when the machine does not run the guest kernel's
 * own instructions in user mode (--bt, --mmu=nested), nor once a
 * paravirtual guest registered its shared page (HYPERCALLS.md), whose
 * virtual interrupt flag the VMM reads at the boundary after every exit
 * (dispatch turns the machine's serving off when a hypercall registers
 * it). */
static void vcr_arm(struct vm *vm, bool step)
{
	bool on = vm->served_crs && vm->fast_exits && !step && !vm->bt && !vm->nested
		  && !vm->pv.shared && !vm->nbp && !vm_tracing(vm, TRACE_EXIT)
		  && !stops_on(vm, ISA_CAUSE_PRIVILEGED);

	vm->vcr.rd = on ? VCR_READS : 0;
	vm->vcr.wr = on ? VCR_WRITES : 0;
	vm->vcr.own[ISA_CR_STATUS] = ISA_ST_KM | ISA_ST_IE;
	hw_set_vcr(vm->m, on ? &vm->vcr : NULL);
}

/* After a run: what the machine served counts as the trap path counts it,
 * a PRIVILEGED exit and an emulated instruction each, not a direct one. */
static void vcr_fold(struct vm *vm)
{
	struct hw_vcr *v = &vm->vcr;
	uint64_t n = v->mfcr + v->mtcr + v->rdst;

	hw_set_vcr(vm->m, NULL);
	if (!n)
		return;
	vm->st.exits[ISA_CAUSE_PRIVILEGED] += n;
	vm->st.emulated += n;
	vm->direct_off += n;
	vm->xs.emulated_by_op[ISA_OP_mfcr] += v->mfcr;
	vm->xs.emulated_by_op[ISA_OP_mtcr] += v->mtcr;
	vm->xs.emulated_by_op[ISA_OP_rdst] += v->rdst;
	v->mfcr = v->mtcr = v->rdst = 0;
}

void vmm_set_served_crs(struct vm *vm, bool on)
{
	vm->served_crs = on;
}

static enum vmm_exit_reason run(struct vm *vm, struct vmm_exit *ex, bool step)
{
	*ex = (struct vmm_exit){ 0 };
	vm->ev_next = 0;	/* between runs, anything may move the next event */
	/* The last run ended inside a wfi: no boundary before it goes on
	 * (vm/hw/hw.h "a run cut inside wfi"). */
	if (unlikely(vm->wfi_cut.on) && vm->halt == VMM_NEXIT && vm_now(vm) < vm->budget_end
	    && virq_wfi_continue(vm) && step)
		return exit_with(vm, ex, VMM_EXIT_STEP);
	for (;;) {
		uint64_t now = vm_now(vm);
		struct hw_exit hx;
		enum hw_exit_reason r;
		unsigned irq;

		if (vm->halt != VMM_NEXIT)
			return halted(vm, ex);
		/* A guest instruction boundary, in the bare machine's order. */
		if (vm->watch_hit) {
			vm->watch_hit = false;
			ex->watch = vm->watch_exit.watch;
			return exit_with(vm, ex, VMM_EXIT_WATCHPOINT);
		}
		if (now >= vm->budget_end)
			return exit_with(vm, ex, VMM_EXIT_BUDGET);
		if (now != vm->stall_at) {
			vm->stall_at = now;
			vm->stall = 0;
		} else if (++vm->stall > vm->stall_limit) {
			vm->stall = 0;
			snprintf(vm->message, sizeof vm->message, "the VMM handled %llu exits in a "
				 "row without the guest advancing",
				 (unsigned long long)vm->stall_limit);
			ex->message = vm->message;
			return exit_with(vm, ex, VMM_EXIT_BUDGET);
		}
		irq = virq_pending(&vm->vc);
		if (!irq && unlikely(vm->pv.shared))
			irq = hc_virtual_if(vm);		/* hypercall.c */
		if (irq) {
			uint32_t pc = hw_get_pc(vm->m);
			bool k = vcpu_kernel(&vm->vc);

			reflect_interrupt(vm, irq);
			if (stops_on(vm, irq)) {
				ex->trap.cause = irq;
				ex->trap.pc = pc;
				ex->trap.kernel = k;
				ex->trap.handler = "inject";
				return exit_with(vm, ex, VMM_EXIT_TRAP);
			}
			if (step)
				return exit_with(vm, ex, VMM_EXIT_STEP);
			continue;
		}
		if (unlikely(vm->nbp) && at_breakpoint(vm, hw_get_pc(vm->m))) {
			if (!hw_bp_passes(&vm->bp_pass, hw_get_pc(vm->m), now)) {
				bp_stopped(vm);
				return exit_with(vm, ex, VMM_EXIT_BREAKPOINT);
			}
			hw_break_pass(vm->m);	/* checked here */
		}
		if (unlikely(vm->bt) && !btrun_enter(vm))	/* btrun.c */
			continue;
		vm->ev_next = 0;	/* anything may have moved it since */
		hw_set_budget(vm->m, next_event(vm, now) - now);

		if (vm->nested)
			nested_enter(vm);
		r = step ? hw_step(vm->m, &hx) : hw_run(vm->m, &hx);
		if (vm->nested)
			nested_leave(vm);
		if (unlikely(vm->bt) && r != HW_EXIT_HANDLED) {
			bool retired;

			if (btrun_leave(vm, &hx, &retired)) {	/* a callout */
				if (vm->halt != VMM_NEXIT)
					return halted(vm, ex);
				if (step && retired)
					return exit_with(vm, ex, VMM_EXIT_STEP);
				continue;
			}
		}
		switch (r) {
		case HW_EXIT_TRAP: {
			bool k = vcpu_kernel(&vm->vc), visible = false;
			const char *h = dispatch(vm, &hx, &visible);

			if (vm_tracing(vm, TRACE_EXIT))
				trace_exit(vm, &hx, k, h);
			if (vm->halt != VMM_NEXIT)
				return halted(vm, ex);
			if (stops_on(vm, hx.u.trap.cause)) {
				ex->trap.cause = hx.u.trap.cause;
				ex->trap.pc = hx.pc;
				ex->trap.badva = hx.u.trap.badva;
				ex->trap.insn = hx.u.trap.insn;
				ex->trap.kernel = k;
				ex->trap.handler = h;
				return exit_with(vm, ex, VMM_EXIT_TRAP);
			}
			if (step && visible)
				return exit_with(vm, ex, VMM_EXIT_STEP);
			break;
		}
		case HW_EXIT_HANDLED:	/* fast_trap did it; the boundary has work */
			break;
		case HW_EXIT_BUDGET:	/* a guest event tick (or the caller's budget) */
			vm->st.budget_exits++;
			pv_events(vm, vm_now(vm));
			break;
		case HW_EXIT_STEP:
			pv_events(vm, vm_now(vm));
			return exit_with(vm, ex, VMM_EXIT_STEP);
		case HW_EXIT_BREAKPOINT:
			bp_stopped(vm);
			return exit_with(vm, ex, VMM_EXIT_BREAKPOINT);
		case HW_EXIT_DOUBLE_FAULT:	/* the guest's, from guest mode */
			if (vm->nested) {
				reflect_exception(vm, hx.u.trap.cause, hx.u.trap.badva, hx.pc);
				return halted(vm, ex);
			}
			vm_halt(vm, VMM_EXIT_FAILURE, "the machine stopped unexpectedly");
			return halted(vm, ex);
		case HW_EXIT_WATCHPOINT:
			pv_events(vm, vm_now(vm));
			if (hx.u.watch.old == hx.u.watch.new_)
				break;	/* the store did not change the word */
			ex->watch.gpa = hx.u.watch.addr - vm->area;
			ex->watch.old = hx.u.watch.old;
			ex->watch.new_ = hx.u.watch.new_;
			return exit_with(vm, ex, VMM_EXIT_WATCHPOINT);
		default:
			vm_halt(vm, VMM_EXIT_FAILURE, "the machine stopped unexpectedly");
			return halted(vm, ex);
		}
	}
}

/* A run with the machine serving control registers if it may (vcr_arm). */
static enum vmm_exit_reason run_served(struct vm *vm, struct vmm_exit *ex, bool step)
{
	enum vmm_exit_reason r;

	vcr_arm(vm, step);
	r = run(vm, ex, step);
	vcr_fold(vm);
	return r;
}

enum vmm_exit_reason vmm_run(struct vm *vm, struct vmm_exit *exit)
{
	if (unlikely(vm->host->cur != vm))
		ws_switch(vm->host, vm, true);
	return run_served(vm, exit, false);
}

enum vmm_exit_reason vmm_step(struct vm *vm, struct vmm_exit *exit)
{
	if (unlikely(vm->host->cur != vm))
		ws_switch(vm->host, vm, true);
	bp_stopped(vm);		/* a step runs its instruction, breakpoint or not */
	return run_served(vm, exit, true);
}

/* --- run control ------------------------------------------------------------ */

void vmm_set_budget(struct vm *vm, uint64_t ticks)
{
	uint64_t now = vm_now(vm);

	vm->budget_end = ticks == HW_NO_BUDGET || now + ticks < now ? HW_NO_BUDGET : now + ticks;
	/* The same budget bounds the host's turns without guest progress,
	 * never below what a correct VMM may need for one instruction (a
	 * handful of hidden faults, a reflection, an injection). */
	vm->stall_limit = ticks == HW_NO_BUDGET ? UINT64_MAX : ticks < STALL_MIN ? STALL_MIN : ticks;
	vm->stall = 0;
}

void vmm_stop_on(struct vm *vm, uint32_t causes, bool all_exits)
{
	vm->stop_causes = causes;
	vm->stop_all = all_exits;
}

/* Breakpoints and watchpoints are the machine's while the VM is on it
 * (worldswitch.c moves them with the VM). */
static bool on_machine(const struct vm *vm)
{
	return vm->host->cur == vm;
}

int vmm_break_add(struct vm *vm, uint32_t va)
{
	if (vm->nbp == VMM_MAXBP || (on_machine(vm) && hw_break_add(vm->m, va)))
		return -1;
	vm->bp[vm->nbp++] = va;
	if (vm->bt)
		btrun_flush(vm);	/* blocks end at breakpoints */
	return 0;
}

void vmm_break_pass(struct vm *vm)
{
	bp_stopped(vm);
}

int vmm_break_del(struct vm *vm, uint32_t va)
{
	for (unsigned i = 0; i < vm->nbp; i++)
		if (vm->bp[i] == va) {
			vm->bp[i] = vm->bp[--vm->nbp];
			if (vm->bt)
				btrun_flush(vm);
			return on_machine(vm) ? hw_break_del(vm->m, va) : 0;
		}
	return -1;
}

int vmm_watch_add(struct vm *vm, uint32_t gpa)
{
	if (vm->nwp == VMM_MAXBP || gpa >= vm->gmem
	    || (on_machine(vm) && hw_watch_add(vm->m, vm->area + gpa, true)))
		return -1;
	vm->wp[vm->nwp++] = gpa;
	return 0;
}

void vmm_watch_clear(struct vm *vm)
{
	vm->nwp = 0;
	vm->watch_hit = false;
	if (on_machine(vm))
		hw_watch_clear(vm->m);
}

/* --- the control registers -------------------------------------------------- */

uint32_t vmm_get_cr(const struct vm *vm, unsigned cr)
{
	/* LAB2 BEGIN: the control registers as mfcr reads them (task 7) */
	switch (cr) {
	case ISA_CR_IPEND:
		return vcpu_ipend(&vm->vc);
	case ISA_CR_ICOUNT:
		return (uint32_t)vm_now(vm);
	default:
		return cr < ISA_NCR ? vm->vc.cr[cr] : 0;
	}
	/* LAB2 STUB
	return cr < ISA_NCR ? vm->vc.cr[cr] : 0;	// lab2: ipend and icount not implemented
	LAB2 END */
}

void vmm_set_cr(struct vm *vm, unsigned cr, uint32_t v)
{
	struct vcpu *vc = &vm->vc;
	bool was_kernel = vcpu_kernel(vc);

	/* LAB2 BEGIN: a control register write and its side effects, ISA.md 6.3 (task 8) */
	switch (cr) {
	case ISA_CR_STATUS:
		vc->cr[cr] = v;
		if (vcpu_kernel(vc) != was_kernel)
			shadow_activate(vm);
		break;
	case ISA_CR_PTB:
		vc->cr[cr] = v;
		shadow_guest_ptb(vm);
		break;
	case ISA_CR_TIMECMP:
		vc->cr[cr] = v;
		vc->cr[ISA_CR_IPEND] &= ~ISA_IRQ_TIMER;
		break;
	case ISA_CR_IPEND:
		vc->cr[cr] = v & ISA_IRQ_TIMER;
		break;
	case ISA_CR_ICOUNT:
		vm->tick_off = (uint64_t)v - hw_ticks(vm->m);
		vm->events_at = v;
		break;
	default:
		if (cr < ISA_NCR)
			vc->cr[cr] = v;
	}
	/* LAB2 STUB
	(void)was_kernel;
	(void)cr;
	(void)v;
	vmm_not_implemented(vm, "lab2: control register writes (vmm_set_cr, vm/vmm/vm.c)");
	LAB2 END */
	vc->entry_tick = UINT64_MAX;
}
