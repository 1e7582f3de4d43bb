/*
 * vmsnap.c - snapshots of a VM (the container is vm/hw/snap.h's, kind
 * SNAP_VM).  One VM's state is a run of sections, written and read by
 * vmm_state_save/vmm_state_load, so that a file of several VMs is several
 * such runs:
 *
 *   "ISA "  the machine's ISA variant (vm/hw/hwsnap.c)
 *   "VM  "  guest RAM size; the VCPU (every control register as the guest
 *           wrote it, the device lines, the tick of the last trap entry);
 *           guest time (ticks, and the last tick whose events ran); the
 *           guest's r1..r15 and pc (they live in the machine's CPU)
 *   "WFI "  the wfi the last run was cut in, if any (vm/hw/hwsnap.c's
 *           section, in guest time)
 *   "CONS"  the virtual console     "DISK", "DIMG"  the virtual disk, its
 *           request in flight and its image's contents (vm/hw/disk.c)
 *   "GRAM"  guest-physical RAM
 *   "PV  "  the paravirtual interface (HYPERCALLS.md): offered or not, the
 *           shared page, the block ring, its last seen index and the
 *           completion tick of the batch in flight
 *
 * Not saved, because it is rebuilt: the shadow page tables (dropped and
 * refilled by hidden faults, under either policy, so a snapshot taken
 * under one policy restores under the other), the machine's TLB and
 * caches, the VMM area.  Not saved, because it is not the guest's: run
 * control (budget, breakpoints, watchpoints, stop-on causes, tracer) and
 * the VMM's statistics, which start again at zero.
 */
#include <stdlib.h>
#include <string.h>

#include "snap.h"
#include "vmm_priv.h"

/* The paravirtual interface's registrations (HYPERCALLS.md): whether it is
 * offered, the shared page, and the block ring with the request in flight.
 * Its counters are statistics and start again at zero. */
static void pv_save(const struct vm *vm, struct snap_buf *b)
{
	snap_begin(b, "PV  ");
	snap_put32(b, vm->pv.offered);
	snap_put32(b, vm->pv.shared);
	snap_put32(b, vm->pv.blk_ring);
	snap_put32(b, vm->pv.blk_n);
	snap_put32(b, vm->pv.blk_seen);
	snap_put64(b, vm->pv.blk_due);
	snap_end(b);
}

/* Read the section into pv; false (reason noted in r) if it is malformed or
 * the snapshot's guest was paravirtual and this VM is not, or the reverse:
 * the guest chose its drivers at boot by probing. */
static bool pv_load(const struct vm *vm, struct snap_rd *r, struct pvstate *pv)
{
	uint32_t offered;

	if (!snap_section(r, "PV  "))
		return false;
	offered = snap_get32(r);
	pv->shared = snap_get32(r);
	pv->blk_ring = snap_get32(r);
	pv->blk_n = snap_get32(r);
	pv->blk_seen = (uint16_t)snap_get32(r);
	pv->blk_due = snap_get64(r);
	if (!snap_section_end(r))
		return false;
	if (offered > 1 || (pv->shared && !pv_page_ok(vm, pv->shared))
	    || (pv->blk_ring && !pvblk_ring_ok(vm, pv->blk_ring, pv->blk_n))) {
		snap_invalid(r, "paravirtual state out of range");
		return false;
	}
	if (offered != vm->pv.offered) {
		snap_refuse(r, offered ? "the snapshot's guest is paravirtual: restore it with --pv"
				       : "the snapshot's guest is not paravirtual: restore it without --pv");
		return false;
	}
	return true;
}

int vmm_state_save(const struct vm *vm, struct snap_buf *b, char *err, size_t errsize)
{
	return vmm_state_save_ex(vm, b, true, err, errsize);
}

int vmm_state_save_ex(const struct vm *vm, struct snap_buf *b, bool ram, char *err,
		      size_t errsize)
{
	if (vm->halt != VMM_NEXIT) {
		snprintf(err, errsize, "the VM has stopped (%s): nothing to save",
			 vm->halt == VMM_EXIT_POWEROFF ? "powered off" : "halted");
		return -1;
	}
	hw_isa_save(vm->m, b);
	snap_begin(b, "VM  ");
	snap_put32(b, vm->gmem);
	for (unsigned c = 0; c < ISA_NCR; c++)
		snap_put32(b, vm->vc.cr[c]);
	snap_put32(b, vm->vc.lines);
	snap_put64(b, vm->vc.entry_tick);
	snap_put64(b, vm_now(vm));
	snap_put64(b, vm->events_at);
	for (unsigned r = 1; r < ISA_NREGS; r++)
		snap_put32(b, hw_get_reg(vm->m, r));
	snap_put32(b, hw_get_pc(vm->m));
	snap_end(b);
	hw_wficut_save(&vm->wfi_cut, b);
	cons_save(&vm->cons, b);
	if (disk_save(&vm->disk, b, err, errsize))
		return -1;
	if (ram) {
		snap_begin(b, "GRAM");
		snap_put_bytes(b, vm->gram, vm->gmem);
		snap_end(b);
	}
	pv_save(vm, b);
	return 0;
}

bool vmm_state_load(struct vm *vm, struct snap_rd *r, const uint8_t **disk_image)
{
	return vmm_state_load_ex(vm, r, disk_image, true);
}

bool vmm_state_load_ex(struct vm *vm, struct snap_rd *r, const uint8_t **disk_image, bool ram)
{
	struct pvstate pv = vm->pv;
	uint32_t gmem, cr[ISA_NCR], regs[ISA_NREGS], pc;
	uint64_t entry_tick, now, events_at;
	const uint8_t *gram = NULL;
	struct hw_wficut cut;

	if (!hw_isa_load(vm->m, r) || !snap_section(r, "VM  "))
		return false;
	gmem = snap_get32(r);
	for (unsigned c = 0; c < ISA_NCR; c++)
		cr[c] = snap_get32(r);
	(void)snap_get32(r);	/* the lines: the devices drive them again */
	entry_tick = snap_get64(r);
	now = snap_get64(r);
	events_at = snap_get64(r);
	for (unsigned i = 1; i < ISA_NREGS; i++)
		regs[i] = snap_get32(r);
	pc = snap_get32(r);
	if (!snap_section_end(r))
		return false;
	if (gmem != vm->gmem) {
		snap_invalid(r, "the VM's memory size differs from the header's");
		return false;
	}
	if (!hw_wficut_load(&cut, r) || !cons_load(&vm->cons, r)
	    || !disk_load(&vm->disk, r, disk_image))
		return false;
	if (ram && (!snap_section(r, "GRAM") || !(gram = snap_get_bytes(r, vm->gmem))
		    || !snap_section_end(r)))
		return false;
	if (!pv_load(vm, r, &pv))
		return false;
	/* Everything is read: now set the fresh VM up. */
	if (gram)
		memcpy(vm->gram, gram, vm->gmem);
	hw_mem_written(vm->m, vm->area, vm->gmem);
	memcpy(vm->vc.cr, cr, sizeof cr);
	vm->vc.cr[ISA_CR_IPEND] &= ISA_IRQ_TIMER;
	for (unsigned i = 1; i < ISA_NREGS; i++)
		hw_set_reg(vm->m, i, regs[i]);
	hw_set_pc(vm->m, pc);
	vm->vc.entry_tick = entry_tick;
	vm->tick_off = now - hw_ticks(vm->m);
	vm->events_at = events_at;
	vm->wfi_cut = cut;
	vm->pv = pv;
	shadow_reset(vm);
	if (vm->bt)
		btrun_flush(vm);	/* translations of the RAM before */
	shadow_activate(vm);
	return true;
}

static int save_op(const void *obj, struct snap_buf *b, char *why, size_t whysize)
{
	return vmm_state_save(obj, b, why, whysize);
}

static int make_op(const void *cfg, uint32_t mib, void **obj, char *why, size_t whysize)
{
	struct vmm_config c = *(const struct vmm_config *)cfg;

	c.mem_mib = mib;
	return vmm_new(&c, (struct vm **)obj, why, whysize);
}

static bool load_op(void *obj, struct snap_rd *r, const uint8_t **disk_image)
{
	return vmm_state_load(obj, r, disk_image);
}

static int commit_op(void *obj, const uint8_t *disk_image, char *why, size_t whysize)
{
	return disk_put_image(&((struct vm *)obj)->disk, disk_image, why, whysize);
}

static void discard_op(void *obj)
{
	vmm_free(obj);
}

static const struct snap_ops vm_ops = {
	.kind = SNAP_VM, .noun = "VM", .save = save_op, .make = make_op,
	.load = load_op, .commit = commit_op, .discard = discard_op,
};

int vmm_save(const struct vm *vm, const char *path, char *err, size_t errsize)
{
	return snap_save(&vm_ops, vm, vm->gmem >> 20, path, err, errsize);
}

int vmm_restore_state(const struct vmm_config *cfg, const char *name, const uint8_t *state,
		      size_t len, struct vm **out, char *err, size_t errsize)
{
	void *vm;
	int rc = snap_restore_payload(&vm_ops, cfg, cfg->mem_mib ? cfg->mem_mib : 16, name,
				      state, len, &vm, err, errsize);

	*out = vm;
	return rc;
}

int vmm_restore(const struct vmm_config *cfg, const char *path, struct vm **out, char *err,
		size_t errsize)
{
	void *vm;
	int rc = snap_restore(&vm_ops, cfg, cfg->mem_mib, path, &vm, err, errsize);

	*out = vm;
	return rc;
}
