/*
 * shadowtrack.c - the trace policy's tracked page tables.
 *
 * Every guest page directory and page table a shadow was built from is
 * "tracked" (shadow.c's header): each pool page records the guest page it
 * shadows, and each guest page the pool pages shadowing it (src_head).  A
 * tracked page is mapped read-only in every shadow, so that a guest store
 * to it faults and is emulated; shadow_pt_written then drops what the store
 * made stale.  When a guest page becomes tracked, the shadow leaves that
 * map it writable lose W: the reverse map (per guest page, the slots of
 * its writable leaves) finds them without scanning the pool, so the work
 * per exit stays bounded (README, "Host work per guest tick").  The dirty
 * log write-protects leaves through the same map (shadow_leaf_protect).
 */
#include "shadow.h"

/* --- the reverse map of writable leaves ------------------------------------ */

/* The guest page a shadow leaf maps. */
static inline uint32_t leaf_gpage(const struct vm *vm, uint32_t leaf)
{
	return (ISA_PTE_PPN(leaf) - vm->area) >> ISA_PAGE_SHIFT;
}

/* A leaf the reverse map lists: writable, onto guest RAM (a leaf outside
 * it is a broken VMM, which vmm_check reports; it must not corrupt the
 * map's memory on the way). */
static inline bool rmap_listed(const struct vm *vm, uint32_t leaf)
{
	return vm->sh.rmap_head && (leaf & ISA_PTE_W)
		&& ISA_PTE_PPN(leaf) - vm->area < vm->gmem;
}

void shadow_rmap_add(struct vm *vm, int32_t slot, uint32_t leaf)
{
	struct shadow *sh = &vm->sh;
	int32_t *head;

	if (!rmap_listed(vm, leaf))
		return;
	head = &sh->rmap_head[leaf_gpage(vm, leaf)];
	sh->rmap_prev[slot] = NO_SLOT;
	sh->rmap_next[slot] = *head;
	if (*head != NO_SLOT)
		sh->rmap_prev[*head] = slot;
	*head = slot;
}

void shadow_rmap_del(struct vm *vm, int32_t slot, uint32_t leaf)
{
	struct shadow *sh = &vm->sh;
	int32_t prev, next;

	if (!rmap_listed(vm, leaf))
		return;
	prev = sh->rmap_prev[slot];
	next = sh->rmap_next[slot];
	if (prev != NO_SLOT)
		sh->rmap_next[prev] = next;
	else
		sh->rmap_head[leaf_gpage(vm, leaf)] = next;
	if (next != NO_SLOT)
		sh->rmap_prev[next] = prev;
}

/* --- tracked pages -------------------------------------------------------- */

bool shadow_tracked(const struct vm *vm, uint32_t gpa)
{
	return gpa < vm->gmem && vm->sh.src_head[gpa >> ISA_PAGE_SHIFT] != NO_PAGE;
}

static void downgrade(struct vm *vm, uint32_t src);

void shadow_src_link(struct vm *vm, int32_t i, uint32_t src)
{
	struct shadow *sh = &vm->sh;
	int32_t *head;
	bool was;

	if (!tracking(vm) || src >= vm->gmem)
		return;
	head = &sh->src_head[src >> ISA_PAGE_SHIFT];
	was = *head != NO_PAGE;
	sh->pg[i].src = src & ~(ISA_PAGE_SIZE - 1);
	sh->pg[i].prev = NO_PAGE;
	sh->pg[i].next = *head;
	if (*head != NO_PAGE)
		sh->pg[*head].prev = i;
	*head = i;
	if (!was)
		downgrade(vm, src);
}

void shadow_src_unlink(struct vm *vm, int32_t i)
{
	struct shadow *sh = &vm->sh;
	struct spage *p = &sh->pg[i];

	if (p->src == NO_SRC)
		return;
	if (p->prev != NO_PAGE)
		sh->pg[p->prev].next = p->next;
	else
		sh->src_head[p->src >> ISA_PAGE_SHIFT] = p->next;
	if (p->next != NO_PAGE)
		sh->pg[p->next].prev = p->prev;
	p->src = NO_SRC;
}

/* --- write protection of tracked pages ------------------------------------- */

/* Every writable shadow leaf onto guest page src loses W (and D): the
 * reverse map lists exactly those, so this visits nothing else. */
static void downgrade(struct vm *vm, uint32_t src)
{
	struct shadow *sh = &vm->sh;
	int32_t *head = &sh->rmap_head[src >> ISA_PAGE_SHIFT];
	bool changed = *head != NO_SLOT;

	for (int32_t slot = *head; slot != NO_SLOT; slot = sh->rmap_next[slot]) {
		uint32_t *pte = slot_pte(vm, slot);

		*pte &= ~(ISA_PTE_W | ISA_PTE_D);
		vm->xs.visits++;
	}
	*head = NO_SLOT;
	vm->xs.downgrades++;
	/* No writable entry may survive: neither one just made read-only
	 * nor one dropped from a shadow (no longer listed) but still in the
	 * machine's TLB. */
	if (changed)
		machine_tlb_flush(vm);
	else
		stale_tlb_flush(vm);
}

/*
 * A guest store changed the word at gpa of a tracked page: every shadow
 * entry derived from that word goes (a root's PDE takes its table with it);
 * the guest's next access refills from the new contents.  Entries still in
 * the machine's TLB may be used until the guest's tlbinv/tlbflush, exactly
 * as the ISA lets a real TLB (9.7).
 *
 * Write flooding: a context not in use whose tables keep being written is
 * most likely an address space the guest has torn down, whose pages are
 * being reused as ordinary memory; after FLOOD_MAX such stores it is
 * dropped, so the pages stop being tracked.
 */
#define FLOOD_MAX	8

void shadow_pt_written(struct vm *vm, uint32_t gpa)
{
	struct shadow *sh = &vm->sh;
	unsigned e = (gpa & (ISA_PAGE_SIZE - 1)) >> 2;
	uint32_t drop = 0;
	int32_t i, next;

	if (gpa >= vm->gmem)
		return;
	for (i = sh->src_head[gpa >> ISA_PAGE_SHIFT]; i != NO_PAGE; i = next) {
		uint8_t *p = page_host(vm, i);
		uint32_t v = ld32(p + 4 * e);
		int c = sh->pg[i].ctx;

		next = sh->pg[i].next;
		vm->xs.visits++;
		if (c != sh->cur[0] && c != sh->cur[1] && ++sh->ctx[c].flood > FLOOD_MAX)
			drop |= 1u << c;
		if (!(v & ISA_PTE_V))
			continue;
		if (sh->pg[i].kind == SP_ROOT) {
			int32_t t = (int32_t)(v >> ISA_PAGE_SHIFT);
			/* The table under it may be the next one on this list. */
			if (next == t)
				next = sh->pg[t].next;
			shadow_table_free(vm, t);
		} else {
			shadow_rmap_del(vm, slot_of(i, e), v);
			st32(p + 4 * e, 0);
		}
		sh->tlb_stale |= 1u << c;
	}
	for (int c = 0; drop; c++, drop >>= 1)
		if (drop & 1) {
			shadow_ctx_free(vm, c);
			vm->xs.flood_drops++;
		}
	vm->st.pt_writes_emulated++;
}

void shadow_leaf_protect(struct vm *vm, int32_t page, unsigned e)
{
	int32_t slot = slot_of(page, e);
	uint32_t *pte = slot_pte(vm, slot);

	shadow_rmap_del(vm, slot, *pte);
	*pte &= ~(ISA_PTE_W | ISA_PTE_D);
	vm->xs.visits++;
}

void shadow_guest_written(struct vm *vm, uint32_t gpa, uint32_t len)
{
	uint64_t end = (uint64_t)gpa + len;

	if (unlikely(vm->bt))
		btrun_written(vm, gpa, len);
	dirtylog_mark(vm, gpa, len);
	if (!tracking(vm))
		return;
	for (uint64_t a = gpa & ~(uint64_t)(ISA_PAGE_SIZE - 1); a < end && a < vm->gmem;
	     a += ISA_PAGE_SIZE)
		if (shadow_tracked(vm, (uint32_t)a)) {
			/* A page table changed behind the guest's CPU (DMA,
			 * the host): start over rather than guess what. */
			shadow_start_over(vm);
			return;
		}
}
