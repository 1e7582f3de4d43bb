/*
 * shadowctx.c - the shadow contexts: what they are made of, which one the
 * machine walks, and under which TLB tag.
 *
 * A context is the shadow of one guest address space (guest ptb) seen from
 * one guest mode: a root and its tables, pages of the pool.  With guest
 * paging off one context serves both modes.  The flush policy keeps only
 * the current ones; the trace policy caches SH_MAXCTX per VM, the least
 * recently used evicted (shadow.c's header).  shadow_activate puts the
 * context of the guest's ptb and mode on the machine.
 *
 * The pool: every shadow page comes from the VMM area, is zero when free,
 * and is given back zeroed.  The host's VMs share it, each within its quota
 * (vmm_priv.h, struct spool).  When a VM's quota runs out, every shadow of
 * that VM is dropped and its guest refills what it uses (counted as a pool
 * reset); the other VMs keep theirs.
 *
 * The machine's TLB.  Each shadow context runs under a TLB tag of its own
 * (SH_TAG, hw_set_ptb_tagged), so a switch between contexts (a guest trap
 * or return, which moves between the user and kernel shadows; a ptb write
 * under the trace policy) keeps the entries of both, as a processor with
 * PCIDs does, instead of flushing and walking them all again.  What keeps
 * them right: an entry of context c is the shadow's leaf as it was when
 * cached, and a shadow leaf only changes in three ways.  A fill or W added
 * needs no flush (a TLB caches no fault, and a store through an entry
 * without D walks afresh).  A leaf cleared or a page freed marks c stale:
 * its entries may linger, as the ISA lets a TLB keep them until the
 * guest's tlbinv, tlbflush or ptb write (9.7), which flush the stale
 * contexts; a context freed is stale too, and a new one made in its slot
 * flushes the tag first.  W taken away (write protection) flushes every
 * tag at once.
 */
#include <assert.h>
#include <stdlib.h>

#include "shadow.h"

_Static_assert(ISA_VMID_MAX + HOST_MAXVM * SH_MAXCTX <= HW_TAG_MAX, "shadow tags fit");

/* --- the pool -------------------------------------------------------------- */

int32_t shadow_pool_alloc(struct vm *vm, uint8_t kind, int ctx)
{
	struct shadow *sh = &vm->sh;
	struct spool *pool = sh->pool;
	int32_t i = pool->free_head;

	if (i == NO_PAGE || sh->nused >= sh->limit)
		return NO_PAGE;
	pool->free_head = sh->pg[i].next;
	pool->nused++;
	sh->nused++;
	vm->st.shadow_pages++;
	sh->pg[i] = (struct spage){ .kind = kind, .ctx = (uint8_t)ctx, .vm = (uint8_t)vm->id,
				    .src = NO_SRC, .prev = NO_PAGE, .next = NO_PAGE };
	return i;
}

int32_t shadow_page_alloc(struct vm *vm)
{
	return shadow_pool_alloc(vm, SP_NESTED, 0);
}

static void page_free(struct vm *vm, int32_t i)
{
	struct shadow *sh = &vm->sh;

	shadow_src_unlink(vm, i);
	if (sh->rmap_head && sh->pg[i].kind == SP_TABLE) {
		const uint8_t *t = page_host(vm, i);

		for (unsigned e = 0; e < 1024; e++)
			shadow_rmap_del(vm, slot_of(i, e), ld32(t + 4 * e));
	}
	memset(page_host(vm, i), 0, ISA_PAGE_SIZE);
	vm->xs.visits += 1024;
	/* Its entries may live on in the machine's TLB under its context's
	 * tag. */
	if (sh->pg[i].kind != SP_NESTED)
		sh->tlb_stale |= 1u << sh->pg[i].ctx;
	sh->pg[i] = (struct spage){ .kind = SP_FREE, .src = NO_SRC, .prev = NO_PAGE,
				    .next = sh->pool->free_head };
	sh->pool->free_head = i;
	sh->pool->nused--;
	sh->nused--;
}

void shadow_page_free(struct vm *vm, int32_t i)
{
	page_free(vm, i);
}

void shadow_table_free(struct vm *vm, int32_t t)
{
	struct spage *p = &vm->sh.pg[t];
	int32_t root = vm->sh.ctx[p->ctx].root;

	st32(page_host(vm, root) + 4 * p->dir, 0);
	page_free(vm, t);
}

void shadow_ctx_free(struct vm *vm, int c)
{
	struct sctx *x = &vm->sh.ctx[c];
	const uint8_t *r;

	if (x->root == NO_PAGE)
		return;
	r = page_host(vm, x->root);
	vm->xs.visits += 1024;
	for (unsigned d = 0; d < 1024; d++) {
		uint32_t pde = ld32(r + 4 * d);
		if (pde & ISA_PTE_V)
			page_free(vm, (int32_t)(pde >> ISA_PAGE_SHIFT));
	}
	page_free(vm, x->root);
	x->root = NO_PAGE;
	for (int k = 0; k < 2; k++)
		if (vm->sh.cur[k] == c)
			vm->sh.cur[k] = -1;
}

int spool_init(struct spool *p, uint32_t npages, char *err, size_t errsize)
{
	p->npages = npages;
	p->nused = 0;
	p->pg = calloc(npages, sizeof *p->pg);
	if (!p->pg) {
		snprintf(err, errsize, "out of memory for the shadow page tables");
		return -1;
	}
	for (uint32_t i = 0; i < npages; i++)
		p->pg[i] = (struct spage){ .kind = SP_FREE, .src = NO_SRC, .prev = NO_PAGE,
					   .next = i + 1 < npages ? (int32_t)i + 1 : NO_PAGE };
	p->free_head = npages ? 0 : NO_PAGE;
	return 0;
}

void spool_free(struct spool *p)
{
	free(p->pg);
	free(p->rmap_next);
	free(p->rmap_prev);
	p->pg = NULL;
}

int shadow_init(struct vm *vm, uint32_t quota, char *err, size_t errsize)
{
	struct shadow *sh = &vm->sh;
	uint32_t gpages = vm->gmem >> ISA_PAGE_SHIFT;

	sh->pool = &vm->host->pool;
	sh->pg = sh->pool->pg;
	sh->quota = quota;
	sh->limit = quota;
	sh->src_head = malloc((size_t)gpages * sizeof *sh->src_head);
	if (!sh->src_head) {
		snprintf(err, errsize, "out of memory for the shadow page tables");
		return -1;
	}
	for (uint32_t i = 0; i < gpages; i++)
		sh->src_head[i] = NO_PAGE;
	if (tracking(vm)) {
		struct spool *p = sh->pool;

		/* Slots are pool-wide (a page and an entry); each VM's
		 * lists run through the host's one pair of arrays. */
		if (!p->rmap_next) {
			p->rmap_next = malloc((size_t)p->npages * 1024 * sizeof *p->rmap_next);
			p->rmap_prev = malloc((size_t)p->npages * 1024 * sizeof *p->rmap_prev);
		}
		sh->rmap_head = malloc((size_t)gpages * sizeof *sh->rmap_head);
		sh->rmap_next = p->rmap_next;
		sh->rmap_prev = p->rmap_prev;
		if (!sh->rmap_head || !sh->rmap_next || !sh->rmap_prev) {
			snprintf(err, errsize, "out of memory for the shadow page tables");
			return -1;
		}
		for (uint32_t i = 0; i < gpages; i++)
			sh->rmap_head[i] = NO_SLOT;
	}
	for (int c = 0; c < SH_MAXCTX; c++)
		sh->ctx[c].root = NO_PAGE;
	sh->cur[0] = sh->cur[1] = -1;
	return 0;
}

void shadow_free(struct vm *vm)
{
	/* Give the pool its pages back (zeroed) before the VM goes. */
	if (vm->sh.src_head)
		for (int c = 0; c < SH_MAXCTX; c++)
			shadow_ctx_free(vm, c);
	free(vm->sh.src_head);
	free(vm->sh.rmap_head);		/* the slots' arrays are the pool's */
}

void shadow_reset(struct vm *vm)
{
	for (int c = 0; c < SH_MAXCTX; c++)
		shadow_ctx_free(vm, c);
	vm->sh.cur[0] = vm->sh.cur[1] = -1;
	vm->st.shadow_flushes++;
	if (vm_tracing(vm, TRACE_SHADOW))
		TRACE_SHADOW_EV(vm, "flush", "all shadows dropped");
}

void shadow_set_limit(struct vm *vm, uint32_t pages)
{
	shadow_reset(vm);
	vm->sh.limit = pages < 2 ? 2 : pages > vm->sh.quota ? vm->sh.quota : pages;
	shadow_activate(vm);
}

/* --- contexts -------------------------------------------------------------- */

/* The context for guest ptb gptb seen from mode kernel: found, or made
 * (evicting the least recently used one if all slots are taken).  -1 if
 * the pool has no page for a root. */
static int ctx_get(struct vm *vm, uint32_t gptb, bool kernel)
{
	struct shadow *sh = &vm->sh;
	bool paging = gptb & ISA_PTB_PG;
	int8_t key = paging ? (int8_t)kernel : -1;
	int c, slot = -1, lru = -1;
	int32_t root;

	if (!paging)
		gptb = 0;
	for (c = 0; c < SH_MAXCTX; c++) {
		struct sctx *x = &sh->ctx[c];
		if (x->root == NO_PAGE) {
			if (slot < 0)
				slot = c;
		} else if (x->gptb == gptb && x->kernel == key) {
			x->used = ++sh->clock;
			x->flood = 0;
			return c;
		} else if (c != sh->cur[0] && c != sh->cur[1]
			   && (lru < 0 || x->used < sh->ctx[lru].used)) {
			lru = c;
		}
	}
	if (slot < 0) {
		slot = lru;
		shadow_ctx_free(vm, slot);
		vm->xs.ctx_evictions++;
	}
	root = shadow_pool_alloc(vm, SP_ROOT, slot);
	if (root == NO_PAGE)
		return -1;
	sh->ctx[slot] = (struct sctx){ .root = root, .gptb = gptb, .kernel = key,
				       .used = ++sh->clock };
	if (sh->tlb_stale >> slot & 1)	/* the slot's last context's entries */
		ctx_tlb_flush(vm, slot);
	if (paging)
		shadow_src_link(vm, root, ISA_PTB_ROOT(gptb));
	return slot;
}

void shadow_activate(struct vm *vm)
{
	struct shadow *sh = &vm->sh;
	bool k = vcpu_kernel(&vm->vc);
	int c = sh->cur[k];
	uint32_t mptb;

	if (vm->nested)		/* nested.c: the machine walks the guest's */
		return;

	if (unlikely(c < 0)) {
		uint32_t gptb = vm->vc.cr[ISA_CR_PTB];

		c = ctx_get(vm, gptb, k);
		if (c < 0) {		/* no page for a root: start over */
			vm->xs.pool_resets++;
			shadow_reset(vm);
			c = ctx_get(vm, gptb, k);
		}
		assert(c >= 0 && "shadow_activate: pool too small for one root");
		sh->cur[k] = c;
		if (!(gptb & ISA_PTB_PG))
			sh->cur[!k] = c;
	}
	mptb = ((uint32_t)sh->ctx[c].root << ISA_PAGE_SHIFT) | ISA_PTB_PG;
	if (mptb != sh->mptb || SH_TAG(vm, c) != sh->mtag) {
		hw_set_ptb_tagged(vm->m, mptb, SH_TAG(vm, c));
		sh->mptb = mptb;
		sh->mtag = SH_TAG(vm, c);
		vm->xs.ptb_switches++;
	}
}

void shadow_tlb_flush(struct vm *vm)
{
	machine_tlb_flush(vm);
}

void shadow_start_over(struct vm *vm)
{
	shadow_reset(vm);
	shadow_activate(vm);
	machine_tlb_flush(vm);
}
