/*
 * shadow.c - shadow page tables: the translations the machine's MMU really
 * walks while the guest runs.
 *
 * The guest keeps its own page tables in guest-physical memory and believes
 * the MMU walks them.  The machine walks a shadow instead: for each guest
 * address space (guest ptb) and guest mode, a two-level table in the VMM
 * area whose leaves map guest-virtual pages straight to machine-physical
 * frames inside the guest's slice:
 *
 *   guest:   va --guest PD, PT (guest-physical)--> gpa
 *   shadow:  va --shadow root, table (VMM area)--> mpa = area + gpa
 *
 * Shadows start empty and are filled on demand.  A machine page fault is
 * either HIDDEN (the guest's own walk succeeds: the shadow was merely
 * missing the entry; fill it, set the guest PTE's A and D as the hardware
 * would, resume: the guest never knows) or TRUE (the guest's walk fails the
 * same way the bare machine's would: reflect it).
 *
 * Shadow leaf PTE for a guest PTE g mapping gpa:
 *
 *   ppn = area + gpa   V   U (the CPU is physically in user mode)   A
 *   R = g.R   X = g.X   W = D = g.W && g.D && !tracked(gpa)
 *
 * W waits for D so that the guest's first store to a clean page faults and
 * the VMM sets D (ISA.md 14.3 item 4).  D mirrors W in the shadow, so the
 * machine never writes A/D into shadow pages, and a store through a cached
 * read-only entry walks the shadow afresh (ISA.md 9.6): upgrading an entry
 * to W needs no TLB flush.  The user-mode shadow only gets guest pages with
 * U = 1 (the guest walk in user mode refuses the others); the kernel-mode
 * shadow gets every page the guest kernel may access.  With guest paging
 * off, one context serves both modes: va = gpa, everything permitted.
 *
 * Policies (when shadow entries go):
 *   FLUSH  the ISA's TLB rule (9.7): drop the current shadows on the guest's
 *          tlbflush or ptb write, one page on tlbinv.  Guest page tables are
 *          ordinary memory.
 *   TRACE  every guest page directory and page table that a shadow was
 *          built from is "tracked": mapped read-only in every shadow, so a
 *          guest store to it faults and is emulated (emulate.c), dropping
 *          the shadow entries derived from the word it changed.  Shadows
 *          then stay right across ptb writes and are cached per guest root
 *          (SH_MAXCTX contexts, least recently used evicted); the guest's
 *          tlbflush/tlbinv only flush the machine's TLB.  When a guest page
 *          becomes tracked, the shadow leaves that map it writable lose W:
 *          a reverse map (per guest page, the slots of its writable
 *          leaves) finds them without scanning the pool, so the work per
 *          exit stays bounded (README, "Host work per guest tick").
 *
 * The contexts, the pool they are made of and the machine's TLB tags are
 * shadowctx.c's; the trace policy's tracked pages and reverse map,
 * shadowtrack.c's (shadow.h).
 */
#include <assert.h>
#include <stdlib.h>

#include "shadow.h"

static const unsigned pf_cause[3] = {
	[KIND_FETCH] = ISA_CAUSE_PF_FETCH, [KIND_LOAD] = ISA_CAUSE_PF_LOAD,
	[KIND_STORE] = ISA_CAUSE_PF_STORE,
};
static const uint32_t need_perm[3] = {
	[KIND_FETCH] = ISA_PTE_X, [KIND_LOAD] = ISA_PTE_R, [KIND_STORE] = ISA_PTE_W,
};

/* --- the guest's walk ------------------------------------------------------ */

unsigned shadow_guest_walk(const struct vm *vm, uint32_t va, int kind, bool kernel,
			   struct gwalk *w)
{
	/* LAB3 BEGIN: the guest's walk: its cause, or 0 and the gpa (task 1) */
	uint32_t ptb = vm->vc.cr[ISA_CR_PTB];

	*w = (struct gwalk){ 0 };
	if (!(ptb & ISA_PTB_PG)) {
		if (va >= vm->gmem)
			return ISA_CAUSE_BUS;
		w->gpa = va;
		return 0;
	}
	w->pde_addr = ISA_PTB_ROOT(ptb) + 4 * ISA_VA_DIR(va);
	if (w->pde_addr >= vm->gmem)
		return ISA_CAUSE_BUS;
	w->pde = ld32(vm->gram + w->pde_addr);
	if (!(w->pde & ISA_PTE_V))
		return pf_cause[kind];
	w->pte_addr = ISA_PTE_PPN(w->pde) + 4 * ISA_VA_TBL(va);
	if (w->pte_addr >= vm->gmem)
		return ISA_CAUSE_BUS;
	w->pte = ld32(vm->gram + w->pte_addr);
	if (!(w->pte & ISA_PTE_V))
		return pf_cause[kind];
	if (!(w->pte & need_perm[kind]) || (!kernel && !(w->pte & ISA_PTE_U)))
		return pf_cause[kind] + 1;
	w->gpa = ISA_PTE_PPN(w->pte) | (va & (ISA_PAGE_SIZE - 1));
	if (ISA_PTE_PPN(w->pte) >= vm->gmem)
		return ISA_CAUSE_BUS;
	return 0;
	/* LAB3 STUB
	(void)vm;
	(void)va;
	(void)kind;
	(void)kernel;
	(void)pf_cause;
	(void)need_perm;
	*w = (struct gwalk){ 0 };
	fprintf(stderr, "vmlab: lab3: the guest's walk (shadow_guest_walk, vm/vmm/shadow.c) not implemented\n");
	abort();
	LAB3 END */
}

/* --- filling --------------------------------------------------------------- */

/* Install leaf for va in context c.  Returns 0, or -1 if the pool has no
 * page for a table.  src = the guest table the leaf came from. */
static int install(struct vm *vm, int c, uint32_t va, uint32_t leaf, uint32_t src)
{
	struct shadow *sh = &vm->sh;
	uint8_t *root = page_host(vm, sh->ctx[c].root);
	uint8_t *pdep = root + 4 * ISA_VA_DIR(va), *ptep;
	uint32_t pde = ld32(pdep), old;

	if (!(pde & ISA_PTE_V)) {
		int32_t t = shadow_pool_alloc(vm, SP_TABLE, c);

		if (t == NO_PAGE)
			return -1;
		sh->pg[t].dir = (uint16_t)ISA_VA_DIR(va);
		pde = ((uint32_t)t << ISA_PAGE_SHIFT) | ISA_PTE_V;
		st32(pdep, pde);
		shadow_src_link(vm, t, src);
	}
	/* Linking a root or a table may have just write-protected the very
	 * frame this leaf maps (a guest mapping its own page tables). */
	if (tracking(vm) && shadow_tracked(vm, ISA_PTE_PPN(leaf) - vm->area))
		leaf &= ~(ISA_PTE_W | ISA_PTE_D);
	ptep = page_host(vm, (int32_t)(pde >> ISA_PAGE_SHIFT)) + 4 * ISA_VA_TBL(va);
	old = ld32(ptep);
	st32(ptep, leaf);
	if (old != leaf) {
		int32_t slot = slot_of((int32_t)(pde >> ISA_PAGE_SHIFT), ISA_VA_TBL(va));

		shadow_rmap_del(vm, slot, old);
		shadow_rmap_add(vm, slot, leaf);
	}
	/* A fault on a valid entry, other than a store through a read-only
	 * one (which walks afresh), came from a stale cached translation. */
	if (((old & ISA_PTE_V) && (old & ~(ISA_PTE_W | ISA_PTE_D)) != (leaf & ~(ISA_PTE_W | ISA_PTE_D)))
	    || ((old & ISA_PTE_V) && old == leaf))
		ctx_tlb_flush(vm, c);
	return 0;
}

unsigned shadow_guest_fetch(struct vm *vm, uint32_t va, uint32_t *gpa)
{
	struct gwalk w;
	unsigned cause = shadow_guest_walk(vm, va, KIND_FETCH, true, &w);

	if (cause)
		return cause;
	/* A fetch sets A, as shadow_fault does for the accesses it sees. */
	if ((vm->vc.cr[ISA_CR_PTB] & ISA_PTB_PG) && !(w.pte & ISA_PTE_A)) {
		w.pte |= ISA_PTE_A;
		st32(vm->gram + w.pte_addr, w.pte);
		hw_mem_written(vm->m, vm->area + w.pte_addr, 4);
	}
	*gpa = w.gpa;
	return 0;
}

void shadow_map_tc(struct vm *vm, uint32_t va, uint32_t mpa, uint32_t perms)
{
	uint32_t leaf = mpa | perms | ISA_PTE_V | ISA_PTE_U | ISA_PTE_A;

	for (int attempt = 0; ; attempt++) {
		shadow_activate(vm);
		if (install(vm, vm->sh.cur[1], va, leaf, NO_SRC) == 0)
			break;
		assert(attempt == 0 && "shadow_map_tc: pool too small for a root and a table");
		vm->xs.pool_resets++;
		shadow_reset(vm);
	}
}

unsigned shadow_fault(struct vm *vm, uint32_t va, int kind, uint32_t *gpa_out)
{
	struct shadow *sh = &vm->sh;
	bool k = vcpu_kernel(&vm->vc), paging = vm->vc.cr[ISA_CR_PTB] & ISA_PTB_PG;
	struct gwalk w;
	unsigned cause = shadow_guest_walk(vm, va, kind, k, &w);
	uint32_t leaf, src = NO_SRC, pte0 = w.pte;


	/* LAB3 BEGIN: true or hidden; the guest's A and D; the shadow leaf (task 2) */
	if (cause)
		return cause;
	*gpa_out = w.gpa;
	leaf = (vm->area + (w.gpa & ~(ISA_PAGE_SIZE - 1))) | ISA_PTE_V | ISA_PTE_U | ISA_PTE_A;
	if (paging) {
		/* What the hardware's walk would write: A, and D for a store. */
		uint32_t set = ISA_PTE_A | (kind == KIND_STORE ? ISA_PTE_D : 0);

		if ((w.pte & set) != set) {
			w.pte |= set;
			st32(vm->gram + w.pte_addr, w.pte);
			hw_mem_written(vm->m, vm->area + w.pte_addr, 4);
		}
		leaf |= w.pte & (ISA_PTE_R | ISA_PTE_X);
		if ((w.pte & (ISA_PTE_W | ISA_PTE_D)) == (ISA_PTE_W | ISA_PTE_D))
			leaf |= ISA_PTE_W | ISA_PTE_D;
		src = ISA_PTE_PPN(w.pde);
	} else {
		leaf |= ISA_PTE_R | ISA_PTE_X | ISA_PTE_W | ISA_PTE_D;
	}
	/* LAB3 STUB
	(void)cause;
	(void)paging;
	(void)gpa_out;
	leaf = 0;
	vmm_not_implemented(vm, "lab3: hidden and true faults (shadow_fault, vm/vmm/shadow.c)");
	return SHF_HIDDEN;
	LAB3 END */
	/* The dirty log: the guest's A/D written for it, the page a store
	 * goes to; a clean page is mapped read-only so its first store
	 * faults here and marks it. */
	if (paging && w.pte != pte0)
		dirtylog_mark(vm, w.pte_addr, 4);
	if (kind == KIND_STORE)
		dirtylog_mark(vm, w.gpa, 1);
	if (!dirtylog_writable(vm, w.gpa))
		leaf &= ~(ISA_PTE_W | ISA_PTE_D);
	if (tracking(vm) && kind == KIND_STORE && shadow_tracked(vm, w.gpa))
		return SHF_EMULATE;
	if (unlikely(vm->bt)) {
		/* Binary translation: code it translated stays read-only; a
		 * store to it throws the translations away and is done by the
		 * VMM (it may be the very page the store runs from).  The
		 * kernel's accesses to the window where the machine sees the
		 * translations are done by the VMM too. */
		if (kind == KIND_STORE && btrun_store(vm, w.gpa))
			return SHF_EMULATE;
		if (k && btrun_in_window(va))
			return kind == KIND_STORE ? SHF_EMULATE : SHF_LOAD;
		if (btrun_protects(vm, w.gpa))
			leaf &= ~(ISA_PTE_W | ISA_PTE_D);
	}
	for (int attempt = 0; ; attempt++) {
		shadow_activate(vm);
		if (install(vm, sh->cur[k], va, leaf, src) == 0)
			break;
		assert(attempt == 0 && "shadow_fault: pool too small for a root and a table");
		vm->xs.pool_resets++;
		shadow_reset(vm);
	}
	vm->st.shadow_fills++;
	if (vm_tracing(vm, TRACE_SHADOW))
		TRACE_SHADOW_EV(vm, "fill", "va=0x%08x gpa=0x%08x mpa=0x%08x perms=0x%02x",
			     va & ~(ISA_PAGE_SIZE - 1), w.gpa & ~(ISA_PAGE_SIZE - 1),
			     ISA_PTE_PPN(leaf), leaf & 0x7f);
	return SHF_HIDDEN;
}

/* --- the guest's TLB operations -------------------------------------------- */

/*
 * Under TRACE the shadows always match the guest's tables, so the guest's
 * TLB operations only have to flush what the machine's TLB may still hold
 * of entries dropped since its last flush (tlb_stale); if none were, there
 * is nothing stale to flush.
 */
void shadow_guest_flush(struct vm *vm)
{
	if (vm->nested)
		return;
	if (tracking(vm)) {
		stale_tlb_flush(vm);
		return;
	}
	/* LAB3 BEGIN: the guest's tlbflush under the flush policy (task 3) */
	shadow_reset(vm);
	shadow_activate(vm);
	machine_tlb_flush(vm);
	/* LAB3 STUB
	vmm_not_implemented(vm, "lab3: tlbflush (shadow_guest_flush, vm/vmm/shadow.c)");
	LAB3 END */
}

void shadow_guest_inv(struct vm *vm, uint32_t va)
{
	struct shadow *sh = &vm->sh;

	if (vm->nested)
		return;
	/* LAB3 BEGIN: the guest's tlbinv under the flush policy (task 4) */
	if (!tracking(vm) && (vm->vc.cr[ISA_CR_PTB] & ISA_PTB_PG)) {
		for (int k = 0; k < 2; k++) {
			int c = sh->cur[k];
			uint32_t pde;

			if (c < 0)
				continue;
			pde = ld32(page_host(vm, sh->ctx[c].root) + 4 * ISA_VA_DIR(va));
			if (pde & ISA_PTE_V)
				st32(page_host(vm, (int32_t)(pde >> ISA_PAGE_SHIFT))
				     + 4 * ISA_VA_TBL(va), 0);
		}
		vm->st.shadow_flushes++;
		if (vm_tracing(vm, TRACE_SHADOW))
			TRACE_SHADOW_EV(vm, "flush", "va=0x%08x", va & ~(ISA_PAGE_SIZE - 1));
	}
	/* LAB3 STUB
	(void)va;
	if (!tracking(vm) && (vm->vc.cr[ISA_CR_PTB] & ISA_PTB_PG))
		vmm_not_implemented(vm, "lab3: tlbinv (shadow_guest_inv, vm/vmm/shadow.c)");
	LAB3 END */
	/* The machine has no one-page invalidation of another tag in its
	 * API: flush the contexts the leaf was cleared in. */
	if (!tracking(vm))
		for (int k = 0; k < 2; k++)
			if (sh->cur[k] >= 0)
				sh->tlb_stale |= 1u << sh->cur[k];
	stale_tlb_flush(vm);
}

void shadow_guest_ptb(struct vm *vm)
{
	struct shadow *sh = &vm->sh;

	if (vm->nested)
		return;
	/* LAB3 BEGIN: a ptb write under the flush policy (task 5) */
	if (!tracking(vm))
		shadow_reset(vm);
	/* LAB3 STUB
	if (!tracking(vm))
		vmm_not_implemented(vm, "lab3: ptb writes (shadow_guest_ptb, vm/vmm/shadow.c)");
	LAB3 END */
	sh->cur[0] = sh->cur[1] = -1;
	/* The write flushes the TLB (ISA.md 9.7): what the machine may still
	 * hold of any context, but for entries its shadow still has. */
	stale_tlb_flush(vm);
	shadow_activate(vm);
}
