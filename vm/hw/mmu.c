/*
 * mmu.c - address translation: the two-level page walk, the architectural
 * TLB with its coherence rule, A/D bits, and the host-side fast-path TLBs
 * and predecoded pages derived from it (see hw_priv.h).
 *
 *   ptb --> root (1024 PDEs) --PDE.ppn--> table (1024 PTEs) --PTE.ppn--> page
 *            index va[31:22]               index va[21:12]        + va[11:0]
 *
 * ISA.md "Paging": V clear -> PF_* ; permission (X/R/W, U in user mode)
 * -> PF_*_PROT ; PDE/PTE address or final address outside RAM -> BUS.
 * A translation is cached (and PTE.A set in memory) only when the access
 * succeeds.  A store through a translation cached with D clear walks
 * afresh (and may fault on the PTE's current contents), setting A and D.  Cached translations stay until tlbflush,
 * tlbinv or a ptb write: stores to page tables do not touch them.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_priv.h"

static const unsigned pf_cause[3] = {
	[KIND_FETCH] = ISA_CAUSE_PF_FETCH, [KIND_LOAD] = ISA_CAUSE_PF_LOAD,
	[KIND_STORE] = ISA_CAUSE_PF_STORE,
};
static const uint32_t need_perm[3] = {
	[KIND_FETCH] = ISA_PTE_X, [KIND_LOAD] = ISA_PTE_R, [KIND_STORE] = ISA_PTE_W,
};

static bool kernel_mode(const struct machine *m)
{
	return m->cr[ISA_CR_STATUS] & ISA_ST_KM;
}

static void clear_fast_index(struct machine *m, unsigned i)
{
	for (int k = 0; k < 2; k++) {
		m->fast[k].ld[i].tag = TAG_NONE;
		m->fast[k].st[i].tag = TAG_NONE;
		m->fast[k].it[i].tag = TAG_NONE;
	}
}

/* Every fill of a TLB entry at index i (architectural or fast) calls this
 * first, so that mmu_flush knows what to clear. */
static void note_fill(struct machine *m, unsigned i)
{
	if (m->is_filled[i] || m->nfilled == TLB_FILLED_ALL)
		return;
	m->is_filled[i] = 1;
	if (m->nfilled < TLB_FILLED_MAX)
		m->filled[m->nfilled++] = (uint16_t)i;
	else
		m->nfilled = TLB_FILLED_ALL;
}

void mmu_flush(struct machine *m)
{
	if (m->nfilled == TLB_FILLED_ALL) {
		memset(m->fast, 0xff, sizeof m->fast);
		for (unsigned i = 0; i < TLB_N; i++)
			m->tlb[i].tag = TAG_NONE;
		memset(m->is_filled, 0, sizeof m->is_filled);
	} else {
		for (unsigned k = 0; k < m->nfilled; k++) {
			unsigned i = m->filled[k];

			clear_fast_index(m, i);
			m->tlb[i].tag = TAG_NONE;
			m->is_filled[i] = 0;
		}
	}
	m->nfilled = 0;
}

void mmu_inv(struct machine *m, uint32_t va)
{
	unsigned i = TLB_IDX(va);

	if (m->tlb[i].tag == (va & PAGE_MASK))
		m->tlb[i].tag = TAG_NONE;
	clear_fast_index(m, i);
}

void mmu_flush_stores(struct machine *m)
{
	for (int k = 0; k < 2; k++)
		for (unsigned i = 0; i < TLB_N; i++)
			m->fast[k].st[i].tag = TAG_NONE;
}

/* --- predecoded pages ---------------------------------------------------- */

static struct pdpage *code_page(struct machine *m, uint32_t pa)
{
	uint32_t ppn = pa >> ISA_PAGE_SHIFT;
	struct pdpage *pg = m->pdp[ppn];
	uintptr_t host = (uintptr_t)(m->ram + (pa & PAGE_MASK));

	if (pg)
		return pg;
	pg = malloc(sizeof *pg);
	if (!pg)
		return NULL;
	for (unsigned i = 0; i < PD_WORDS; i++)
		pg->e[i] = cpu_stub(m, OP_DECODE);
	pg->e[PD_WORDS] = cpu_stub(m, OP_PAGEEND);
	pg->pa = pa & PAGE_MASK;
	m->pdp[ppn] = pg;
	/* From now on stores to this page take the slow path, which keeps
	 * the decodings fresh: drop fast store entries that map it. */
	for (int k = 0; k < 2; k++)
		for (unsigned i = 0; i < TLB_N; i++) {
			struct ftlb *e = &m->fast[k].st[i];
			if (e->tag != TAG_NONE && e->add + e->tag == host)
				e->tag = TAG_NONE;
		}
	return pg;
}

void mmu_code_written(struct machine *m, uint32_t pa, uint32_t len)
{
	uint64_t end = (uint64_t)pa + len;

	if (len == 0)
		return;
	if (end > m->memsize)
		end = m->memsize;
	for (uint64_t a = pa & ~3u; a < end; ) {
		struct pdpage *pg = m->pdp[a >> ISA_PAGE_SHIFT];
		uint64_t pend = (a | (ISA_PAGE_SIZE - 1)) + 1;

		if (pend > end)
			pend = end;
		if (pg) {
			unsigned first = (unsigned)(a & (ISA_PAGE_SIZE - 1)) >> 2;

			for (; a < pend; a += 4)
				pg->e[(a & (ISA_PAGE_SIZE - 1)) >> 2] = cpu_stub(m, OP_DECODE);
			cpu_entry_changed(m, pg, first);
		}
		a = pend;
		a = (a + 3) & ~(uint64_t)3;
	}
}

void mmu_free_code(struct machine *m)
{
	for (uint32_t i = 0; i < m->npages; i++) {
		free(m->pdp[i]);
		m->pdp[i] = NULL;
	}
}

/* --- the walk ------------------------------------------------------------ */

static void phys_st32(struct machine *m, uint32_t pa, uint32_t v)
{
	ram_st32(m->ram + pa, v);
	if (m->pdp[pa >> ISA_PAGE_SHIFT])
		mmu_code_written(m, pa, 4);
}

/* Walk the page table for va.  Returns 0 with the PTE and its address, or
 * the cause.  Checks permission for 'kind' in mode 'kernel' and that the
 * final page is in RAM; changes nothing. */
static unsigned walk(const struct machine *m, uint32_t va, int kind, bool kernel,
		     uint32_t *pte_out, uint32_t *pte_pa_out)
{
	uint32_t pde_pa = ISA_PTB_ROOT(m->cr[ISA_CR_PTB]) + 4 * ISA_VA_DIR(va);
	uint32_t pde, pte, pte_pa;

	if (pde_pa >= m->memsize)
		return ISA_CAUSE_BUS;
	pde = ram_ld32(m->ram + pde_pa);
	if (!(pde & ISA_PTE_V))
		return pf_cause[kind];
	pte_pa = ISA_PTE_PPN(pde) + 4 * ISA_VA_TBL(va);
	if (pte_pa >= m->memsize)
		return ISA_CAUSE_BUS;
	pte = ram_ld32(m->ram + pte_pa);
	if (!(pte & ISA_PTE_V))
		return pf_cause[kind];
	if (!(pte & need_perm[kind]) || (!kernel && !(pte & ISA_PTE_U)))
		return pf_cause[kind] + 1;
	if (ISA_PTE_PPN(pte) >= m->memsize)
		return ISA_CAUSE_BUS;
	*pte_out = pte;
	*pte_pa_out = pte_pa;
	return 0;
}

/* Permission of a cached PTE for an access (walk() checked the same). */
static unsigned check_cached(uint32_t pte, int kind, bool kernel)
{
	if (!(pte & need_perm[kind]) || (!kernel && !(pte & ISA_PTE_U)))
		return pf_cause[kind] + 1;
	return 0;
}

/* Walk and cache: sets A (and D for a store) in memory, replaces entry i. */
static unsigned walk_and_cache(struct machine *m, uint32_t va, int kind, bool kernel)
{
	unsigned i = TLB_IDX(va);
	uint32_t pte, pte_pa, set;
	unsigned c;

	m->st.page_walks++;
	c = walk(m, va, kind, kernel, &pte, &pte_pa);
	if (c)
		return c;
	set = ISA_PTE_A | (kind == KIND_STORE ? ISA_PTE_D : 0);
	if ((pte & set) != set) {
		pte |= set;
		phys_st32(m, pte_pa, pte);
	}
	clear_fast_index(m, i);
	note_fill(m, i);
	m->tlb[i] = (struct atlb){ .tag = va & PAGE_MASK, .pte = pte, .pte_pa = pte_pa };
	return 0;
}

/* Translate va for an access; on success *pa and, unless fill is false or
 * the access may not use the fast path, fill the fast entry. */
static unsigned translate(struct machine *m, uint32_t va, int kind, uint32_t *pa)
{
	bool kernel = kernel_mode(m);
	unsigned i = TLB_IDX(va), c;
	struct atlb *a = &m->tlb[i];
	uint32_t page;

	if (!(m->cr[ISA_CR_PTB] & ISA_PTB_PG)) {
		if (va >= m->memsize)
			return ISA_CAUSE_BUS;
		*pa = va;
		return 0;
	}
	if (a->tag == (va & PAGE_MASK) && (kind != KIND_STORE || (a->pte & ISA_PTE_D))) {
		m->st.tlb_hits++;
		c = check_cached(a->pte, kind, kernel);
		if (c)
			return c;
	} else {
		/* A miss, or a store through a translation cached with D
		 * clear: ISA.md 9.6 walks afresh (which may fault). */
		m->st.tlb_misses++;
		c = walk_and_cache(m, va, kind, kernel);
		if (c)
			return c;
	}
	page = ISA_PTE_PPN(a->pte);
	if (page >= m->memsize)	/* a stale entry may point anywhere */
		return ISA_CAUSE_BUS;
	*pa = page | (va & ~PAGE_MASK);
	return 0;
}

static void fill_data(struct machine *m, uint32_t va, uint32_t pa, int kind)
{
	struct fastmode *f = &m->fast[kernel_mode(m)];
	unsigned i = TLB_IDX(va);
	struct ftlb e = {
		.tag = va & PAGE_MASK,
		.add = (uintptr_t)(m->ram + (pa & PAGE_MASK)) - (uintptr_t)(va & PAGE_MASK),
	};

	if (kind == KIND_LOAD) {
		note_fill(m, i);
		f->ld[i] = e;
		return;
	}
	if (m->nwp || m->pdp[pa >> ISA_PAGE_SHIFT])
		return;
	if ((m->cr[ISA_CR_PTB] & ISA_PTB_PG) && !(m->tlb[i].pte & ISA_PTE_D))
		return;
	note_fill(m, i);
	f->st[i] = e;
}

unsigned mmu_load(struct machine *m, uint32_t va, unsigned size, uint32_t *val)
{
	uint32_t pa, v = 0;
	unsigned c;

	m->fault_va = va;
	if (va & (size - 1))
		return ISA_CAUSE_MISALIGNED;
	c = translate(m, va, KIND_LOAD, &pa);
	if (c)
		return c;
	memcpy(&v, m->ram + pa, size);
	*val = v;
	fill_data(m, va, pa, KIND_LOAD);
	return 0;
}

/* Watchpoints: note the first watched word this store touches. */
/* A watchpoint hits when the store changed the watched word (hw.h): a
 * store of the value already there is no change. */
static void check_watch(struct machine *m, uint32_t va, uint32_t pa, uint32_t old)
{
	uint32_t new_ = ram_ld32(m->ram + (pa & ~3u));

	if (new_ == old || m->watch_hit)
		return;
	for (unsigned i = 0; i < m->nwp; i++) {
		uint32_t a = m->wp[i].phys ? pa : va;

		if ((a & ~3u) == (m->wp[i].addr & ~3u)) {
			m->watch_hit = true;
			m->watch_exit.u.watch.addr = m->wp[i].addr;
			m->watch_exit.u.watch.physical = m->wp[i].phys;
			m->watch_exit.u.watch.old = old;
			m->watch_exit.u.watch.new_ = new_;
			return;
		}
	}
}

unsigned mmu_store(struct machine *m, uint32_t va, unsigned size, uint32_t val)
{
	uint32_t pa, old = 0;
	unsigned c;

	m->fault_va = va;
	if (va & (size - 1))
		return ISA_CAUSE_MISALIGNED;
	c = translate(m, va, KIND_STORE, &pa);
	if (c)
		return c;
	if (m->nwp)
		old = ram_ld32(m->ram + (pa & ~3u));
	memcpy(m->ram + pa, &val, size);
	if (m->pdp[pa >> ISA_PAGE_SHIFT])
		mmu_code_written(m, pa, size);
	if (m->nwp)
		check_watch(m, va, pa, old);
	fill_data(m, va, pa, KIND_STORE);
	return 0;
}

unsigned mmu_fetch(struct machine *m, uint32_t va, struct pdpage **pgp)
{
	struct itlb *e = &m->fast[kernel_mode(m)].it[TLB_IDX(va)];
	struct pdpage *pg;
	uint32_t pa;
	unsigned c;

	m->fault_va = va;
	c = translate(m, va, KIND_FETCH, &pa);
	if (c)
		return c;
	pg = code_page(m, pa);
	if (!pg)
		return ISA_CAUSE_BUS;	/* host out of memory: not architectural */
	note_fill(m, TLB_IDX(va));
	e->tag = va & PAGE_MASK;
	e->pg = pg;
	*pgp = pg;
	return 0;
}

unsigned hw_translate(const struct machine *m, uint32_t va, unsigned kind, bool kernel,
		      uint32_t *pa)
{
	int k = kind == ISA_C_LOAD ? KIND_LOAD : kind == ISA_C_STORE ? KIND_STORE : KIND_FETCH;
	uint32_t pte, pte_pa;
	unsigned c;

	if (!(m->cr[ISA_CR_PTB] & ISA_PTB_PG)) {
		if (va >= m->memsize)
			return ISA_CAUSE_BUS;
		*pa = va;
		return 0;
	}
	c = walk(m, va, k, kernel, &pte, &pte_pa);
	if (c)
		return c;
	*pa = ISA_PTE_PPN(pte) | (va & ~PAGE_MASK);
	return 0;
}
