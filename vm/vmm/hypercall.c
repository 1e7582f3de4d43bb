/*
 * hypercall.c - the paravirtual interface (vm/vmm/HYPERCALLS.md): the
 * hypercalls a guest kernel makes with `hcall` when the VM offers them
 * (vmlab run --pv), the shared page with its virtual interrupt flag, and
 * the bounce of a user-mode trap straight into the guest kernel's frame.
 *
 * Trap-and-emulate makes a guest pay one exit per privileged instruction;
 * a guest that knows it is virtual asks for a whole operation at once:
 *
 *   native (each line an exit)        paravirtual (one exit)
 *   out CONS_DATA, per byte           HC_CONSOLE_WRITE(buf, len)
 *   sw pte; tlbinv va, per entry      HC_MMU_UPDATE(list, n)
 *   mfcr icount; mtcr timecmp         HC_SET_TIMER(delta)
 *   mtcr imask; wfi; mtcr imask;      HC_BLOCK(lines) -> the cause; the
 *     mtcr status (IE on, take it)      kernel calls its handler itself
 *   mtcr epc; mtcr status; rfe        HC_IRET(frame)
 *   mtcr scratch; mfcr status;        (no exit: the VMM saves the user
 *     mfcr scratch; mfcr epc            registers into the frame at the
 *     at every user trap                trap it takes anyway: the bounce)
 *
 * A hypercall retires like an emulated instruction (pc += 4, one tick).
 */

#include "hypercall.h"
#include "vmm_priv.h"

#define HC_MAX_BYTES	65536u	/* HC_CONSOLE_WRITE: bytes per call */
#define HC_MAX_UPDATES	1024u	/* HC_MMU_UPDATE: entries per call */

static const char *const hc_names[HC_N] = {
	[HC_PROBE] = "probe", [HC_CONSOLE_WRITE] = "console-write",
	[HC_MMU_UPDATE] = "mmu-update", [HC_SET_PTB] = "set-ptb",
	[HC_SET_TIMER] = "set-timer", [HC_BLOCK] = "block",
	[HC_SHARED] = "shared", [HC_IRET] = "iret",
	[HC_BLK_SETUP] = "blk-setup", [HC_BLK_NOTIFY] = "blk-notify",
};

const char *hc_name(unsigned n)
{
	return n < HC_N ? hc_names[n] : "unknown";
}

/* A word-aligned guest-physical range of len bytes inside guest RAM. */
static bool gpa_ok(const struct vm *vm, uint32_t gpa, uint32_t len)
{
	return !(gpa & 3) && len <= vm->gmem && gpa <= vm->gmem - len;
}

/* The guest-physical address of va, read by the guest kernel in its
 * current address space; false if its own walk would fault. */
static bool va_to_gpa(const struct vm *vm, uint32_t va, uint32_t *gpa)
{
	struct gwalk w;

	if (shadow_guest_walk(vm, va, KIND_LOAD, true, &w))
		return false;
	*gpa = w.gpa;
	return true;
}

/* --- the calls ----------------------------------------------------------- */

static int32_t hc_console_write(struct vm *vm, uint32_t va, uint32_t len)
{
	/* LAB6 BEGIN: console write: every byte checked, then written (task 1) */
	uint32_t gpa = 0;
	bool power = false;

	if (len > HC_MAX_BYTES)
		return -HC_EINVAL;
	for (uint32_t i = 0; i < len; i++) {	/* all checked before any is written */
		if ((i == 0 || ((va + i) & (ISA_PAGE_SIZE - 1)) == 0) && !va_to_gpa(vm, va + i, &gpa))
			return -HC_EFAULT;
	}
	for (uint32_t i = 0; i < len; i++) {
		if (i == 0 || ((va + i) & (ISA_PAGE_SIZE - 1)) == 0)
			va_to_gpa(vm, va + i, &gpa);
		else
			gpa++;
		vdev_out(vm, ISA_PORT_CONS_DATA, vm->gram[gpa], &power);
	}
	return (int32_t)len;
	/* LAB6 STUB
	(void)va; (void)len; (void)va_to_gpa;
	vmm_not_implemented(vm, "lab6: HC_CONSOLE_WRITE (hc_console_write, vm/vmm/hypercall.c)");
	return -HC_ENOSYS;
	LAB6 END */
}

/* Each entry {ptr, val, va}: the word at guest-physical ptr becomes val,
 * then va's translation is forgotten (va = 0xffffffff: none), as a store
 * and a tlbinv would do.  Stops at the first bad entry. */
static int32_t hc_mmu_update(struct vm *vm, uint32_t va, uint32_t n)
{
	/* LAB6 BEGIN: a batch of page-table writes (task 2) */
	uint32_t done;

	if (n > HC_MAX_UPDATES)
		return -HC_EINVAL;
	for (done = 0; done < n; done++) {
		uint32_t e[3], gpa;

		for (unsigned k = 0; k < 3; k++) {
			uint32_t a = va + 12 * done + 4 * k;

			if ((a & 3) || !va_to_gpa(vm, a, &gpa))
				return done ? (int32_t)done : -HC_EFAULT;
			e[k] = pv_ld32(vm, gpa);
		}
		if (!gpa_ok(vm, e[0], 4))
			return done ? (int32_t)done : -HC_EINVAL;
		pv_st32(vm, e[0], e[1]);
		shadow_pt_written(vm, e[0]);
		if (e[2] != 0xffffffffu)
			shadow_guest_inv(vm, e[2]);
	}
	return (int32_t)done;
	/* LAB6 STUB
	(void)va; (void)n; (void)gpa_ok;
	vmm_not_implemented(vm, "lab6: HC_MMU_UPDATE (hc_mmu_update, vm/vmm/hypercall.c)");
	return -HC_ENOSYS;
	LAB6 END */
}

/* HC_BLOCK: wfi with imask = lines, imask itself unchanged.  While the
 * block ring's batch is in flight, guest time runs to each next event
 * (its completion included) until a line in 'lines' is pending. */
static enum emu_result hc_block(struct vm *vm, uint32_t lines, uint32_t *cause)
{
	/* LAB6 BEGIN: block until a line is pending (task 5) */
	uint32_t imask = vm->vc.cr[ISA_CR_IMASK], p;
	enum emu_result r = EMU_NEXT;

	while (!(vcpu_ipend(&vm->vc) & lines) && vm->pv.blk_due != UINT64_MAX
	       && (lines & ISA_IRQ_DISK)) {
		uint64_t now = vm_now(vm), next = pv_next_event(vm, now);

		if (now >= vm->budget_end)
			return EMU_WAIT;
		vm->xs.wfi_sleep += next - now;
		vm->tick_off += next - now;
		pv_events(vm, next);
	}
	vm->vc.cr[ISA_CR_IMASK] = lines & isa_cr_wmask[ISA_CR_IMASK];
	if (!(vcpu_ipend(&vm->vc) & lines))
		r = virq_wfi(vm);
	vm->vc.cr[ISA_CR_IMASK] = imask;
	p = vcpu_ipend(&vm->vc) & lines;
	*cause = p ? ISA_CAUSE_IRQ_BASE + (uint32_t)__builtin_ctz(p) : 0;
	return r;
	/* LAB6 STUB
	(void)lines;
	*cause = 0;
	vmm_not_implemented(vm, "lab6: HC_BLOCK (hc_block, vm/vmm/hypercall.c)");
	return EMU_NEXT;
	LAB6 END */
}

/* HC_IRET: every register from the frame, then user mode with IE = 1 at
 * the frame's pc, as `mtcr epc; mtcr status, KM|PIE; rfe` would leave it. */
static bool hc_iret(struct vm *vm, uint32_t frame)
{
	/* LAB6 BEGIN: return to user mode from a frame (task 3) */
	uint32_t w[HC_TF_SIZE / 4];

	if (!gpa_ok(vm, frame, HC_TF_SIZE))
		return false;
	vmm_guest_read(vm, frame, w, sizeof w);
	hw_set_regs(vm->m, w);		/* r1..r15 (w[0] unused) */
	vm->vc.cr[ISA_CR_EPC] = w[HC_TF_EPC / 4] & ~3u;
	vm->vc.cr[ISA_CR_STATUS] = ISA_ST_PIE | ISA_ST_IE;
	hw_set_pc(vm->m, vm->vc.cr[ISA_CR_EPC]);
	vm->vc.entry_tick = UINT64_MAX;
	shadow_activate(vm);
	return true;
	/* LAB6 STUB
	(void)frame;
	vmm_not_implemented(vm, "lab6: HC_IRET (hc_iret, vm/vmm/hypercall.c)");
	return true;
	LAB6 END */
}

/* One hypercall; returns false if it must run again later (HC_BLOCK with
 * the budget used up), true once it retired. */
static bool call(struct vm *vm, unsigned n, const uint32_t a[3], uint32_t pc)
{
	int32_t res = 0;
	uint32_t cause;

	switch (n) {
	case HC_PROBE:
		hw_set_reg(vm->m, ISA_R_A0 + 1, HC_VERSION);
		res = (int32_t)HC_MAGIC;
		break;
	case HC_CONSOLE_WRITE:
		res = hc_console_write(vm, a[0], a[1]);
		break;
	case HC_MMU_UPDATE:
		res = hc_mmu_update(vm, a[0], a[1]);
		break;
	case HC_SET_PTB:	/* the same address space: nothing to flush */
		if (vcpu_masked(&vm->vc, ISA_CR_PTB, a[0]) != vm->vc.cr[ISA_CR_PTB])
			vmm_set_cr(vm, ISA_CR_PTB, vcpu_masked(&vm->vc, ISA_CR_PTB, a[0]));
		break;
	case HC_SET_TIMER:
		res = (int32_t)((uint32_t)vm_now(vm) + a[0]);
		vmm_set_cr(vm, ISA_CR_TIMECMP, (uint32_t)res);
		break;
	case HC_BLOCK:
		if (!(a[0] & isa_cr_wmask[ISA_CR_IMASK])) {
			res = -HC_EINVAL;
			break;
		}
		if (hc_block(vm, a[0], &cause) != EMU_NEXT) {
			/* pc unchanged: it blocks again when resumed, before
			 * any interrupt is taken (virq_wfi_continue) */
			if (vm->halt == VMM_NEXIT)
				hw_wficut_set(&vm->wfi_cut, pc, vm_now(vm));
			return false;
		}
		res = (int32_t)cause;
		break;
	case HC_SHARED:
		if (a[0] && !pv_page_ok(vm, a[0])) {
			res = -HC_EINVAL;
			break;
		}
		vm->pv.shared = a[0];
		break;
	case HC_IRET:
		if (hc_iret(vm, a[0]))
			return true;
		res = -HC_EINVAL;
		break;
	case HC_BLK_SETUP:
		res = pvblk_setup(vm, a[0], a[1]);
		break;
	case HC_BLK_NOTIFY:
		res = pvblk_notify(vm, a[0]);
		break;
	default:
		res = -HC_ENOSYS;
	}
	hw_set_reg(vm->m, ISA_R_A0, (uint32_t)res);
	hw_set_pc(vm->m, pc + 4);
	return true;
}

const char *hc_dispatch(struct vm *vm, uint32_t pc, bool *retired)
{
	unsigned n = hw_get_reg(vm->m, ISA_R_A0);
	uint32_t a[3];

	for (unsigned i = 0; i < 3; i++)
		a[i] = hw_get_reg(vm->m, ISA_R_A0 + 1 + i);
	vm->pv.calls[n < HC_N ? n : HC_N]++;
	if (vm_tracing(vm, TRACE_HCALL))
		vm_trace(vm, TRACE_HCALL, pc, true, n != HC_IRET, hc_name(n),
			 "a1=0x%08x a2=0x%08x a3=0x%08x", a[0], a[1], a[2]);
	*retired = call(vm, n, a, pc);
	if (*retired) {
		vm_tick(vm);
		if (vm->powered)
			vm_halt(vm, VMM_EXIT_POWEROFF, NULL);
	}
	return "hypercall";
}

/* --- the shared page ------------------------------------------------------ */

unsigned hc_virtual_if(struct vm *vm)
{
	uint32_t p = vcpu_ipend(&vm->vc) & vm->vc.cr[ISA_CR_IMASK];
	uint32_t sh = vm->pv.shared;

	if (!hc_virtual_if_due(vm))
		return 0;
	if (!pv_ld32(vm, sh + HC_SH_VIF)) {
		if (pv_ld32(vm, sh + HC_SH_PENDING) != p)
			pv_st32(vm, sh + HC_SH_PENDING, p);
		return 0;
	}
	pv_st32(vm, sh + HC_SH_VIF, 0);	/* delivery masks, as trap entry clears IE */
	pv_st32(vm, sh + HC_SH_PENDING, 0);
	return ISA_CAUSE_IRQ_BASE + (unsigned)__builtin_ctz(p);
}

void hc_bounce(struct vm *vm, unsigned cause, uint32_t badva, uint32_t pc)
{
	/* LAB6 BEGIN: bounce a user trap into the kernel's frame (task 4) */
	uint32_t sh = vm->pv.shared;
	uint32_t frame = pv_ld32(vm, sh + HC_SH_FRAME), entry = pv_ld32(vm, sh + HC_SH_ENTRY);
	uint32_t w[HC_TF_SIZE / 4] = { 0 };

	if (!frame || !entry || !gpa_ok(vm, frame, HC_TF_SIZE) || (entry & 3))
		return;		/* no frame registered: the trap enters at tvec */
	hw_get_regs(vm->m, w);		/* r1..r15 (w[0] = 0) */
	w[HC_TF_EPC / 4] = pc;
	vmm_guest_write(vm, frame, w, sizeof w);
	pv_st32(vm, sh + HC_SH_CAUSE, cause);
	pv_st32(vm, sh + HC_SH_BADVA, badva);
	hw_set_reg(vm->m, ISA_R_SP, frame);
	hw_set_pc(vm->m, entry);
	vm->pv.bounced++;
	/* LAB6 STUB
	(void)cause; (void)badva; (void)pc;
	vmm_not_implemented(vm, "lab6: the bounce (hc_bounce, vm/vmm/hypercall.c)");
	LAB6 END */
}

void vmm_print_pv(const struct vm *vm, FILE *f)
{
	uint32_t sh = vm->pv.shared;

	if (!vm->pv.offered) {
		fputs("paravirtual interface: not offered (hcall is reflected; vmlab run --pv)\n", f);
		return;
	}
	if (!sh) {
		fputs("paravirtual interface: offered; no shared page registered\n", f);
	} else {
		fprintf(f, "shared page        0x%08x (guest-physical)\n", sh);
		fprintf(f, "  vif              %u  (virtual interrupts in kernel mode %s)\n",
			pv_ld32(vm, sh + HC_SH_VIF), pv_ld32(vm, sh + HC_SH_VIF) ? "let in" : "held back");
		fprintf(f, "  pending          0x%08x\n", pv_ld32(vm, sh + HC_SH_PENDING));
		fprintf(f, "  frame            0x%08x  entry 0x%08x\n", pv_ld32(vm, sh + HC_SH_FRAME),
			pv_ld32(vm, sh + HC_SH_ENTRY));
		fprintf(f, "  last bounce      %s badva=0x%08x\n",
			isa_cause_name(pv_ld32(vm, sh + HC_SH_CAUSE)), pv_ld32(vm, sh + HC_SH_BADVA));
	}
	if (vm->pv.blk_ring)
		fprintf(f, "block ring         0x%08x N=%u, %llu requests served\n", vm->pv.blk_ring,
			vm->pv.blk_n, (unsigned long long)vm->pv.blk_requests);
}

void hc_print_stats(const struct vm *vm, FILE *f)
{
	for (unsigned n = 0; n <= HC_N; n++)
		if (vm->pv.calls[n])
			fprintf(f, "vmm_hcall_%s: %llu\n", hc_name(n),
				(unsigned long long)vm->pv.calls[n]);
	if (vm->pv.bounced)
		fprintf(f, "vmm_hcall_bounced_traps: %llu\n", (unsigned long long)vm->pv.bounced);
	if (vm->pv.blk_requests) {
		fprintf(f, "vmm_pvblk_requests: %llu\n", (unsigned long long)vm->pv.blk_requests);
		fprintf(f, "vmm_pvblk_bytes: %llu\n", (unsigned long long)vm->pv.blk_bytes);
		fprintf(f, "vmm_pvblk_errors: %llu\n", (unsigned long long)vm->pv.blk_errors);
	}
}
