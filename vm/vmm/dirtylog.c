/*
 * dirtylog.c - the dirty log: which guest pages were written since the
 * last sync, for live migration's pre-copy (migrate.c, MIGRATION.md).
 *
 * The guest's stores run directly on the machine through the shadow page
 * tables, so the VMM sees a store only when the shadow makes it fault.
 * While the log is on, a shadow leaf is writable only onto a page already
 * marked dirty since the last sync:
 *
 *   clean page:  leaf read-only  --guest store--> machine PF_STORE
 *                -> shadow_fault: the guest's walk allows it (hidden),
 *                   mark the page, install the leaf writable, resume
 *   dirty page:  leaf writable   --guest store--> no trap, nothing to do
 *
 * A sync hands the marks to the caller, clears them and write-protects
 * every writable leaf of this VM's shadows (then flushes the machine's
 * TLB, whose entries may still allow the store), so the next store to
 * each page faults and marks it again.  Host writes to guest RAM (DMA, the
 * paravirtual ring, emulated stores, the A and D bits the VMM writes into
 * the guest's page tables) mark what they write (shadow.c, emulate.c).
 *
 * Write protection is the VMM's own business: the guest sees nothing (its
 * stores are hidden faults), so a migrated run is tick for tick the run
 * that never moved.  The bare machine has no shadow tables to protect:
 * live migration is offered under the VMM only (vmlab says so).
 */
#include <stdlib.h>
#include <string.h>

#include "vmm_priv.h"

#define BIT(p)		(UINT64_C(1) << ((p) & 63))

int vmm_dirtylog_check(const struct vm *vm, char *err, size_t errsize)
{
	if (vm->nested) {
		snprintf(err, errsize, "the dirty log write-protects the shadow tables; a VM run "
			 "with --mmu=nested has none");
		return -1;
	}
	if (vm->bt) {	/* btrun.c write-protects translated code its own way */
		snprintf(err, errsize, "the dirty log and binary translation (--bt) both "
			 "write-protect the shadow tables; they do not run together yet");
		return -1;
	}
	return 0;
}

int vmm_dirtylog_start(struct vm *vm, char *err, size_t errsize)
{
	struct dirtylog *dl = &vm->dl;
	uint32_t npages = vm->gmem >> ISA_PAGE_SHIFT;

	if (dl->on)
		return 0;
	if (vmm_dirtylog_check(vm, err, errsize))
		return -1;
	dl->bits = calloc((npages + 63) / 64 ? (npages + 63) / 64 : 1, sizeof *dl->bits);
	if (!dl->bits) {
		snprintf(err, errsize, "out of memory for the dirty log");
		return -1;
	}
	dl->npages = npages;
	dl->on = true;
	/* Nothing is dirty yet: every writable leaf must go. */
	vmm_dirtylog_sync(vm, NULL);
	return 0;
}

void vmm_dirtylog_stop(struct vm *vm)
{
	free(vm->dl.bits);
	vm->dl.bits = NULL;
	vm->dl.on = false;
}

bool vmm_dirtylog_on(const struct vm *vm)
{
	return vm->dl.on;
}

/* Every writable leaf of this VM's shadows loses W; the machine's TLB is
 * flushed.  Returns how many leaves were protected. */
static uint64_t protect_all(struct vm *vm)
{
	struct shadow *sh = &vm->sh;
	const uint8_t *mem = hw_mem(vm->m);
	uint64_t n = 0;

	for (uint32_t i = 0; i < sh->pool->npages; i++) {
		const uint8_t *t;

		if (sh->pg[i].kind != SP_TABLE || sh->pg[i].vm != vm->id)
			continue;
		t = mem + ((size_t)i << ISA_PAGE_SHIFT);
		for (unsigned e = 0; e < 1024; e++) {
			uint32_t leaf;

			memcpy(&leaf, t + 4 * e, 4);
			if ((leaf & ISA_PTE_V) && (leaf & ISA_PTE_W)) {
				shadow_leaf_protect(vm, (int32_t)i, e);
				n++;
			}
		}
	}
	shadow_tlb_flush(vm);
	return n;
}

void dirtylog_mark(struct vm *vm, uint32_t gpa, uint32_t len)
{
	struct dirtylog *dl = &vm->dl;

	if (likely(!dl->on) || len == 0)
		return;
	/* LAB9 BEGIN: mark the pages of [gpa, gpa+len) dirty (task 1) */
	uint64_t end = (uint64_t)gpa + len - 1;

	for (uint64_t p = gpa >> ISA_PAGE_SHIFT; p <= end >> ISA_PAGE_SHIFT && p < dl->npages;
	     p++)
		dl->bits[p / 64] |= BIT(p);
	/* LAB9 STUB
	(void)gpa;
	vmm_not_implemented(vm, "lab9: marking dirty pages (dirtylog_mark, vm/vmm/dirtylog.c)");
	LAB9 END */
}

bool dirtylog_writable(const struct vm *vm, uint32_t gpa)
{
	const struct dirtylog *dl = &vm->dl;

	if (likely(!dl->on))
		return true;
	/* LAB9 BEGIN: may a leaf onto gpa's page be writable? (task 2) */
	uint32_t p = gpa >> ISA_PAGE_SHIFT;

	return p < dl->npages && (dl->bits[p / 64] & BIT(p));
	/* LAB9 STUB
	(void)gpa;
	return true;
	LAB9 END */
}

uint32_t vmm_dirtylog_sync(struct vm *vm, uint64_t *bits)
{
	struct dirtylog *dl = &vm->dl;
	size_t words = (dl->npages + 63) / 64;
	uint32_t n = 0;

	if (!dl->on)
		return 0;
	/* LAB9 BEGIN: hand the marks over, clear them, write-protect (task 3) */
	for (size_t w = 0; w < words; w++) {
		if (bits)
			bits[w] = dl->bits[w];
		n += (uint32_t)__builtin_popcountll(dl->bits[w]);
		dl->bits[w] = 0;
	}
	dl->protected_ += protect_all(vm);
	/* LAB9 STUB
	(void)protect_all;
	(void)words;
	if (bits)
		memset(bits, 0, words * sizeof *bits);
	vmm_not_implemented(vm, "lab9: the dirty log's sync (vmm_dirtylog_sync, vm/vmm/dirtylog.c)");
	LAB9 END */
	return n;
}
