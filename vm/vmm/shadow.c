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
 * The pool: every shadow page comes from the VMM area, is zero when free,
 * and is given back zeroed.  The host's VMs share it, each within its quota
 * (vmm_priv.h, struct spool).  When a VM's quota runs out, every shadow of
 * that VM is dropped and its guest refills what it uses (counted as a pool
 * reset); the other VMs keep theirs.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "vmm_priv.h"

static const unsigned pf_cause[3] = {
	[KIND_FETCH] = ISA_CAUSE_PF_FETCH, [KIND_LOAD] = ISA_CAUSE_PF_LOAD,
	[KIND_STORE] = ISA_CAUSE_PF_STORE,
};
static const uint32_t need_perm[3] = {
	[KIND_FETCH] = ISA_PTE_X, [KIND_LOAD] = ISA_PTE_R, [KIND_STORE] = ISA_PTE_W,
};

static inline uint32_t ld32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline void st32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Host address of pool page i (machine-physical i * 4 KiB). */
static inline uint8_t *page_host(struct vm *vm, int32_t i)
{
	return hw_mem(vm->m) + ((uint32_t)i << ISA_PAGE_SHIFT);
}

/* --- the reverse map of writable leaves (trace policy) --------------------- */

static inline int32_t slot_of(int32_t page, unsigned e)
{
	return (int32_t)((uint32_t)page << 10 | e);
}

static inline uint32_t *slot_pte(struct vm *vm, int32_t slot)
{
	return (uint32_t *)(hw_mem(vm->m) + ((uint32_t)slot << 2));
}

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

/* Leaf 'leaf' is now at slot: list it if it is writable. */
static void rmap_add(struct vm *vm, int32_t slot, uint32_t leaf)
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

/* Leaf 'leaf' (the slot's value until now) leaves slot: unlist it. */
static void rmap_del(struct vm *vm, int32_t slot, uint32_t leaf)
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

#define TRACE_SHADOW_EV(vm, what, ...)						\
	vm_trace(vm, TRACE_SHADOW, hw_get_pc((vm)->m), vcpu_kernel(&(vm)->vc),	\
		 vcpu_kernel(&(vm)->vc), what, __VA_ARGS__)

/*
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
_Static_assert(ISA_VMID_MAX + HOST_MAXVM * SH_MAXCTX <= HW_TAG_MAX, "shadow tags fit");

/* Flush the whole machine TLB, every context's tag. */
static void machine_tlb_flush(struct vm *vm)
{
	hw_tlb_flush_all(vm->m);
	vm->xs.tlb_flushes++;
	vm->sh.tlb_stale = 0;
}

static void ctx_tlb_flush(struct vm *vm, int c)
{
	hw_tlb_flush_tag(vm->m, SH_TAG(vm, c));
	vm->xs.tlb_flushes++;
	vm->sh.tlb_stale &= ~(1u << c);
}

/* Flush the contexts whose dropped entries may linger. */
static void stale_tlb_flush(struct vm *vm)
{
	for (uint32_t st = vm->sh.tlb_stale; st; st &= st - 1)
		ctx_tlb_flush(vm, __builtin_ctz(st));
}

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

/* --- the pool -------------------------------------------------------------- */

static bool tracking(const struct vm *vm)
{
	return vm->policy == VMM_SHADOW_TRACE;
}

bool shadow_tracked(const struct vm *vm, uint32_t gpa)
{
	return gpa < vm->gmem && vm->sh.src_head[gpa >> ISA_PAGE_SHIFT] != NO_PAGE;
}

static int32_t page_alloc(struct vm *vm, uint8_t kind, int ctx)
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
	return page_alloc(vm, SP_NESTED, 0);
}

/* Make pool page i shadow guest page src (trace policy: src becomes
 * tracked; if it was not, every writable shadow leaf onto it loses W). */
static void downgrade(struct vm *vm, uint32_t src);

static void src_link(struct vm *vm, int32_t i, uint32_t src)
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

static void src_unlink(struct vm *vm, int32_t i)
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

static void page_free(struct vm *vm, int32_t i)
{
	struct shadow *sh = &vm->sh;

	src_unlink(vm, i);
	if (sh->rmap_head && sh->pg[i].kind == SP_TABLE) {
		const uint8_t *t = page_host(vm, i);

		for (unsigned e = 0; e < 1024; e++)
			rmap_del(vm, slot_of(i, e), ld32(t + 4 * e));
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

/* Free a table and clear the root's PDE that points to it. */
static void table_free(struct vm *vm, int32_t t)
{
	struct spage *p = &vm->sh.pg[t];
	int32_t root = vm->sh.ctx[p->ctx].root;

	st32(page_host(vm, root) + 4 * p->dir, 0);
	page_free(vm, t);
}

static void ctx_free(struct vm *vm, int c)
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
			ctx_free(vm, c);
	free(vm->sh.src_head);
	free(vm->sh.rmap_head);		/* the slots' arrays are the pool's */
}

void shadow_reset(struct vm *vm)
{
	for (int c = 0; c < SH_MAXCTX; c++)
		ctx_free(vm, c);
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
		ctx_free(vm, slot);
		vm->xs.ctx_evictions++;
	}
	root = page_alloc(vm, SP_ROOT, slot);
	if (root == NO_PAGE)
		return -1;
	sh->ctx[slot] = (struct sctx){ .root = root, .gptb = gptb, .kernel = key,
				       .used = ++sh->clock };
	if (sh->tlb_stale >> slot & 1)	/* the slot's last context's entries */
		ctx_tlb_flush(vm, slot);
	if (paging)
		src_link(vm, root, ISA_PTB_ROOT(gptb));
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
		int32_t t = page_alloc(vm, SP_TABLE, c);

		if (t == NO_PAGE)
			return -1;
		sh->pg[t].dir = (uint16_t)ISA_VA_DIR(va);
		pde = ((uint32_t)t << ISA_PAGE_SHIFT) | ISA_PTE_V;
		st32(pdep, pde);
		src_link(vm, t, src);
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

		rmap_del(vm, slot, old);
		rmap_add(vm, slot, leaf);
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

/* --- write protection of tracked pages (trace policy) ---------------------- */

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
			table_free(vm, t);
		} else {
			rmap_del(vm, slot_of(i, e), v);
			st32(p + 4 * e, 0);
		}
		sh->tlb_stale |= 1u << c;
	}
	for (int c = 0; drop; c++, drop >>= 1)
		if (drop & 1) {
			ctx_free(vm, c);
			vm->xs.flood_drops++;
		}
	vm->st.pt_writes_emulated++;
}

void shadow_leaf_protect(struct vm *vm, int32_t page, unsigned e)
{
	int32_t slot = slot_of(page, e);
	uint32_t *pte = slot_pte(vm, slot);

	rmap_del(vm, slot, *pte);
	*pte &= ~(ISA_PTE_W | ISA_PTE_D);
	vm->xs.visits++;
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
