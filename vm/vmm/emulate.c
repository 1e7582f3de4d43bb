/*
 * emulate.c - the privileged instructions, run by the VMM on the virtual
 * state when the guest executes them in virtual kernel mode.
 *
 * The machine runs the guest's kernel in physical user mode, so each of the
 * ten PRIV instructions of pg32.def traps (PRIVILEGED) before it has any
 * effect (ISA.md 5.4: never a silent no-op; that is the whole trick).  The
 * dispatcher (vm.c) calls emu_privileged with the decoded instruction, and
 * the handler for its isa_op does what ISA.md 4.9 says, on the VCPU:
 *
 *   mfcr      rd = the virtual control register (icount = guest time)
 *   mtcr      masked write (isa_cr_wmask) and its side effect (ISA.md 6.3)
 *   rfe       KM = PKM, IE = PIE, pc = epc; maybe a new shadow root
 *   wfi       sleep in guest time until a virtual line is pending
 *   tlbflush  tlbinv  the shadow policy's resynchronization
 *   in  out   the virtual devices (vdev.c); no such port: BUS
 *   rdst setie the virtual status (on PG32 only: see emu_rdst)
 *
 * A handler returns whether the instruction retired (the caller advances
 * pc and guest time by one tick, then looks for an interrupt to deliver)
 * or raised an exception (already reflected).
 */
#include <assert.h>
#include <string.h>

#include "vmm_priv.h"

typedef enum emu_result emu_fn(struct vm *vm, const struct isa_insn *d, uint32_t pc);

static enum emu_result emu_mfcr(struct vm *vm, const struct isa_insn *d, uint32_t pc)
{
	(void)pc;
	hw_set_reg(vm->m, d->rd, vmm_get_cr(vm, (unsigned)d->imm));
	return EMU_NEXT;
}

static enum emu_result emu_mtcr(struct vm *vm, const struct isa_insn *d, uint32_t pc)
{
	unsigned cr = (unsigned)d->imm;
	uint32_t val = hw_get_reg(vm->m, d->rs1);

	(void)pc;
	/* LAB2 BEGIN: emulate mtcr: the write mask, then vmm_set_cr (task 4) */
	if (isa_cr_wmask[cr] == 0)	/* ipend, icount: read-only, ignored */
		return EMU_NEXT;
	vmm_set_cr(vm, cr, vcpu_masked(&vm->vc, cr, val));
	return EMU_NEXT;
	/* LAB2 STUB
	(void)cr;
	(void)val;
	vmm_not_implemented(vm, "lab2: emulate mtcr (emu_mtcr, vm/vmm/emulate.c)");
	return EMU_FAULTED;
	LAB2 END */
}

static enum emu_result emu_rfe(struct vm *vm, const struct isa_insn *d, uint32_t pc)
{
	/* LAB2 BEGIN: emulate rfe: the VCPU, the guest's pc, the shadow (task 5) */
	bool was_kernel = vcpu_kernel(&vm->vc);
	uint32_t epc = vcpu_rfe(&vm->vc);

	(void)d;
	(void)pc;
	hw_set_pc(vm->m, epc);
	if (vcpu_kernel(&vm->vc) != was_kernel)
		shadow_activate(vm);
	return EMU_JUMPED;
	/* LAB2 STUB
	(void)d;
	(void)pc;
	vmm_not_implemented(vm, "lab2: emulate rfe (emu_rfe, vm/vmm/emulate.c)");
	return EMU_FAULTED;
	LAB2 END */
}

/* Whether a line in imask can still rise (ISA.md 10.3, 4): the timer
 * unmasked (it latches within 2^32 ticks), a disk request in flight with
 * the disk line unmasked, or the console able to interrupt with its line
 * unmasked.  If none can, wfi is a deadlock. */
static bool wfi_can_wake(struct vm *vm)
{
	uint32_t mask = vm->vc.cr[ISA_CR_IMASK];

	return (mask & ISA_IRQ_TIMER)
	       || ((mask & ISA_IRQ_DISK) && disk_next_event(&vm->disk) != UINT64_MAX)
	       || ((mask & ISA_IRQ_CONSOLE) && cons_can_interrupt(&vm->cons));
}

static enum emu_result emu_wfi(struct vm *vm, const struct isa_insn *d, uint32_t pc)
{
	(void)d;
	/* On a host in real time that is work-conserving, a VM with nothing
	 * to wake it yet gives the CPU away instead of sleeping on it: the
	 * turn ends here, wfi not retired, and runs again once the host
	 * wakes the VM (host.c).  A VM that nothing can wake does not block:
	 * the wfi stops it with a deadlock now, as it would alone, instead
	 * of at the next event tick (a masked timer's latch, 2^32 ticks
	 * away, or forever a console poll). */
	if (unlikely(vm->sc.block_in_wfi)
	    && !(vcpu_ipend(&vm->vc) & vm->vc.cr[ISA_CR_IMASK]) && wfi_can_wake(vm)) {
		uint64_t now = vm_now(vm), end = vm->budget_end, next;

		/* Woken at its next event tick, it runs the wfi again: asleep
		 * again unless a line in imask rose. */
		vm->budget_end = HW_NO_BUDGET;
		next = virq_next_event(vm, now);
		vm->budget_end = end;
		if (next != HW_NO_BUDGET) {
			vm->sc.blocked = true;
			vm->sc.wake_guest = next;
			vm->budget_end = now;
			return EMU_WAIT;
		}
	}
	return virq_wfi_sleep(vm, pc);
}

static enum emu_result emu_tlbflush(struct vm *vm, const struct isa_insn *d, uint32_t pc)
{
	(void)d;
	(void)pc;
	shadow_guest_flush(vm);
	return EMU_NEXT;
}

static enum emu_result emu_tlbinv(struct vm *vm, const struct isa_insn *d, uint32_t pc)
{
	(void)pc;
	shadow_guest_inv(vm, hw_get_reg(vm->m, d->rs1));
	return EMU_NEXT;
}

/* rdst and setie are PRIV on PG32 and trap here.  On PG32-L (LEAK) they do
 * not trap in user mode, so the VMM never sees them: rdst returns the real
 * status (user mode) and setie does nothing -- ISA.md 15, the failure of
 * theorem 1 that trap-and-emulate cannot repair. */
static enum emu_result emu_rdst(struct vm *vm, const struct isa_insn *d, uint32_t pc)
{
	(void)pc;
	hw_set_reg(vm->m, d->rd, vmm_get_cr(vm, ISA_CR_STATUS));
	return EMU_NEXT;
}

static enum emu_result emu_setie(struct vm *vm, const struct isa_insn *d, uint32_t pc)
{
	uint32_t st = vmm_get_cr(vm, ISA_CR_STATUS) & ~ISA_ST_IE;

	(void)pc;
	if (hw_get_reg(vm->m, d->rs1) & 1u)
		st |= ISA_ST_IE;
	vmm_set_cr(vm, ISA_CR_STATUS, st);
	return EMU_NEXT;
}

/* LAB2 BEGIN: emulate in and out: the port, the virtual devices, BUS (task 6) */
static enum emu_result emu_in(struct vm *vm, const struct isa_insn *d, uint32_t pc)
{
	uint32_t port = hw_get_reg(vm->m, d->rs1) + (uint32_t)d->imm, v;

	if (vdev_in(vm, port, &v))
		return reflect_exception(vm, ISA_CAUSE_BUS, port, pc), EMU_FAULTED;
	hw_set_reg(vm->m, d->rd, v);
	return EMU_NEXT;
}

static enum emu_result emu_out(struct vm *vm, const struct isa_insn *d, uint32_t pc)
{
	uint32_t port = hw_get_reg(vm->m, d->rs1) + (uint32_t)d->imm;
	bool power = false;

	if (vdev_out(vm, port, hw_get_reg(vm->m, d->rs2), &power))
		return reflect_exception(vm, ISA_CAUSE_BUS, port, pc), EMU_FAULTED;
	vm->powered = power;
	return EMU_NEXT;
}
/* LAB2 STUB
static enum emu_result emu_in(struct vm *vm, const struct isa_insn *d, uint32_t pc)
{
	(void)d;
	(void)pc;
	vmm_not_implemented(vm, "lab2: emulate in (emu_in, vm/vmm/emulate.c)");
	return EMU_FAULTED;
}

static enum emu_result emu_out(struct vm *vm, const struct isa_insn *d, uint32_t pc)
{
	(void)d;
	(void)pc;
	vmm_not_implemented(vm, "lab2: emulate out (emu_out, vm/vmm/emulate.c)");
	return EMU_FAULTED;
}
LAB2 END */

/* Indexed by isa_op; only the table's PRIV rows have a handler. */
static emu_fn *const handlers[ISA_NOPS] = {
	[ISA_OP_mfcr] = emu_mfcr, [ISA_OP_mtcr] = emu_mtcr, [ISA_OP_rfe] = emu_rfe,
	[ISA_OP_wfi] = emu_wfi, [ISA_OP_tlbflush] = emu_tlbflush,
	[ISA_OP_tlbinv] = emu_tlbinv, [ISA_OP_in] = emu_in, [ISA_OP_out] = emu_out,
	[ISA_OP_rdst] = emu_rdst, [ISA_OP_setie] = emu_setie,
};

/* "emulate-<mnemonic>", from the table. */
static const char *const handler_names[ISA_NOPS] = {
#define INSN(name, opcode, fmt, ops, cls, sem) [ISA_OP_##name] = "emulate-" #name,
#include "pg32.def"
#undef INSN
};

const char *emu_privileged(struct vm *vm, const struct isa_insn *d, uint32_t insn,
			   uint32_t pc, enum emu_result *res)
{
	emu_fn *h = d->op < ISA_NOPS ? handlers[d->op] : NULL;

	(void)insn;
	assert(h && (isa_table[d->op].cls & ISA_C_PRIV) && "emu_privileged: not a PRIV insn");
	*res = h(vm, d, pc);
	vm->xs.emulated_by_op[d->op]++;
	/* The guest's return from a trap is a trap event, as on the bare
	 * machine (vm/hw/hwtrace.c), so --trace=trap compares line for line;
	 * it is traced before the tick the caller retires it at. */
	if (d->op == ISA_OP_rfe && *res == EMU_JUMPED && vm_tracing(vm, TRACE_TRAP))
		vm_trace(vm, TRACE_TRAP, pc, true, vcpu_kernel(&vm->vc), "rfe", "epc=0x%08x",
			 hw_get_pc(vm->m));
	return handler_names[d->op];
}

/* The store the guest wanted, done in guest memory: sb, sh or sw. */
void emu_store(struct vm *vm, const struct isa_insn *d, uint32_t va, uint32_t gpa)
{
	uint32_t v = hw_get_reg(vm->m, d->rs2), old = 0, wa = gpa & ~3u;
	unsigned size = d->op == ISA_OP_sb ? 1 : d->op == ISA_OP_sh ? 2 : 4;
	uint8_t *p = vm->gram + gpa;

	(void)va;
	memcpy(&old, vm->gram + wa, 4);
	memcpy(p, &v, size);		/* little-endian host: the low bytes */
	hw_mem_written(vm->m, vm->area + gpa, size);
	dirtylog_mark(vm, gpa, size);
	shadow_pt_written(vm, wa);
	for (unsigned i = 0; i < vm->nwp; i++)
		if ((vm->wp[i] & ~3u) == wa && !vm->watch_hit) {
			uint32_t nw;

			memcpy(&nw, vm->gram + wa, 4);
			if (nw == old)
				break;
			vm->watch_hit = true;
			vm->watch_exit.watch.gpa = vm->wp[i];
			vm->watch_exit.watch.old = old;
			vm->watch_exit.watch.new_ = nw;
		}
}

void emu_load(struct vm *vm, const struct isa_insn *d, uint32_t gpa)
{
	const uint8_t *p = vm->gram + gpa;
	uint32_t v = 0;

	switch (d->op) {
	case ISA_OP_lb:  v = (uint32_t)(int32_t)(int8_t)p[0]; break;
	case ISA_OP_lbu: v = p[0]; break;
	case ISA_OP_lh:  v = (uint32_t)(int32_t)(int16_t)(p[0] | p[1] << 8); break;
	case ISA_OP_lhu: v = (uint32_t)(p[0] | p[1] << 8); break;
	default:	 memcpy(&v, p, 4); break;	/* lw; little-endian host */
	}
	hw_set_reg(vm->m, d->rd, v);
}
