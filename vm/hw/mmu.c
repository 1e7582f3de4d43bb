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
 *
 * PG32-V (ISA.md 16.3, 16.4): in guest mode with nested paging every
 * address the guest calls physical -- its PDE, its PTE, the data -- goes
 * through the nested table (mmu_nested), so a miss is a two-dimensional
 * walk of up to 8 references; the TLB entry then caches guest-virtual to
 * machine-physical, with the guest's permissions cut by the nested leaf's,
 * under the guest's VM tag.  In host mode m->vmid is 0 and nothing here
 * differs from PG32.
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

/* The fast entries at index i of set f, both modes. */
static void fset_clear_index(struct fastset *f, unsigned i)
{
	for (int k = 0; k < 2; k++) {
		f->mode[k].ld[i].tag = TAG_NONE;
		f->mode[k].st[i].tag = TAG_NONE;
		f->mode[k].it[i].tag = TAG_NONE;
	}
}

/* ... of the running tag's set. */
static void clear_fast_index(struct machine *m, unsigned i)
{
	fset_clear_index(m->fset, i);
}

/* Note index i in a list of filled indexes, so that a flush clears only
 * those. */
static void note_in(uint16_t *filled, unsigned *n, uint8_t *is_filled, unsigned i)
{
	if (is_filled[i] || *n == TLB_FILLED_ALL)
		return;
	is_filled[i] = 1;
	if (*n < TLB_FILLED_MAX)
		filled[(*n)++] = (uint16_t)i;
	else
		*n = TLB_FILLED_ALL;
}

/* Every fill of an architectural entry at index i calls this first. */
static void note_fill(struct machine *m, unsigned i)
{
	note_in(m->filled, &m->nfilled, m->is_filled, i);
}

/* Every fill of a fast entry at index i (of the running tag's set). */
static void note_fast(struct machine *m, unsigned i)
{
	struct fastset *f = m->fset;

	note_in(f->filled, &f->nfilled, f->is_filled, i);
}

/* Empty fast set f. */
static void fset_clear(struct fastset *f)
{
	if (f->nfilled == TLB_FILLED_ALL) {
		memset(f->mode, 0xff, sizeof f->mode);
		memset(f->is_filled, 0, sizeof f->is_filled);
	} else {
		for (unsigned k = 0; k < f->nfilled; k++) {
			unsigned i = f->filled[k];

			fset_clear_index(f, i);
			f->is_filled[i] = 0;
		}
	}
	f->nfilled = 0;
}

void mmu_fast_reset(struct machine *m)
{
	for (unsigned k = 0; k < FAST_SETS; k++) {
		m->fsets[k].nfilled = TLB_FILLED_ALL;
		fset_clear(&m->fsets[k]);
		m->fsets[k].vmid = TAG_NONE;
		m->fsets[k].used = 0;
	}
	m->fset = &m->fsets[0];
	m->fast = m->fset->mode;
	m->fset->vmid = m->vmid;
}

void mmu_select_fast(struct machine *m)
{
	struct fastset *f = NULL;

	for (unsigned k = 0; k < FAST_SETS; k++) {
		if (m->fsets[k].vmid == m->vmid) {
			f = &m->fsets[k];
			break;
		}
		if (!f || m->fsets[k].used < f->used)
			f = &m->fsets[k];
	}
	if (f->vmid != m->vmid) {
		fset_clear(f);
		f->vmid = m->vmid;
	}
	f->used = ++m->fset_clock;
	m->fset = f;
	m->fast = f->mode;
}

/* The fast set holding tag's entries, or NULL. */
static struct fastset *fset_of(struct machine *m, uint32_t tag)
{
	for (unsigned k = 0; k < FAST_SETS; k++)
		if (m->fsets[k].vmid == tag)
			return &m->fsets[k];
	return NULL;
}

/* A flush of one tag's entries once tags are in use: its architectural
 * entries and its fast set; the list of filled indexes keeps the other
 * tags' entries. */
static void flush_tag(struct machine *m, uint32_t tag)
{
	struct fastset *f = fset_of(m, tag);
	unsigned keep = 0;

	if (f)
		fset_clear(f);
	if (m->nfilled == TLB_FILLED_ALL) {
		memset(m->is_filled, 0, sizeof m->is_filled);
		m->nfilled = 0;
		for (unsigned i = 0; i < TLB_N; i++) {
			if ((m->tlb[i].tag & ~PAGE_MASK) == tag)
				m->tlb[i].tag = TAG_NONE;
			if (m->tlb[i].tag != TAG_NONE)
				note_fill(m, i);
		}
		return;
	}
	for (unsigned k = 0; k < m->nfilled; k++) {
		unsigned i = m->filled[k];

		if ((m->tlb[i].tag & ~PAGE_MASK) == tag || m->tlb[i].tag == TAG_NONE) {
			m->tlb[i].tag = TAG_NONE;
			m->is_filled[i] = 0;
		} else {
			m->filled[keep++] = (uint16_t)i;
		}
	}
	m->nfilled = keep;
}

void mmu_flush(struct machine *m)
{
	if (unlikely(m->v.tagged)) {
		flush_tag(m, m->vmid);
		return;
	}
	for (unsigned k = 0; k < FAST_SETS; k++)
		fset_clear(&m->fsets[k]);
	if (m->nfilled == TLB_FILLED_ALL) {
		for (unsigned i = 0; i < TLB_N; i++)
			m->tlb[i].tag = TAG_NONE;
		memset(m->is_filled, 0, sizeof m->is_filled);
	} else {
		for (unsigned k = 0; k < m->nfilled; k++) {
			unsigned i = m->filled[k];

			m->tlb[i].tag = TAG_NONE;
			m->is_filled[i] = 0;
		}
	}
	m->nfilled = 0;
}

void hw_tlb_flush_tag(struct machine *m, unsigned tag)
{
	if (m->v.tagged)
		flush_tag(m, tag);
	else
		mmu_flush(m);	/* nothing tagged yet: every entry is tag 0's */
	m->st.tlb_flushes++;
}

void hw_set_ptb_tagged(struct machine *m, uint32_t ptb, unsigned tag)
{
	m->cr[ISA_CR_PTB] = ptb;
	m->v.tagged = true;
	m->v.host_tag = tag;
	if (!m->v.gm) {
		m->vmid = tag;
		m->tlb_salt = TLB_SALT(tag);
		mmu_fast_check(m);
	}
}

void mmu_inv(struct machine *m, uint32_t va)
{
	unsigned j = TLB_AIDX(m, va);

	if (m->tlb[j].tag == ((va & PAGE_MASK) | m->vmid))
		m->tlb[j].tag = TAG_NONE;
	clear_fast_index(m, TLB_IDX(va));
}

void mmu_flush_stores(struct machine *m)
{
	for (unsigned f = 0; f < FAST_SETS; f++)
		for (int k = 0; k < 2; k++)
			for (unsigned i = 0; i < TLB_N; i++)
				m->fsets[f].mode[k].st[i].tag = TAG_NONE;
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
	for (unsigned f = 0; f < FAST_SETS; f++)
		for (int k = 0; k < 2; k++)
			for (unsigned i = 0; i < TLB_N; i++) {
				struct ftlb *e = &m->fsets[f].mode[k].st[i];
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

/* The nested walk of ISA.md 16.3 under root nptb: 0 with *mpa and the
 * nested leaf, or ISA_CAUSE_NPF.  steps (or NULL) gets the nested PDE and
 * PTE addresses read; *refs counts the reads. */
static unsigned nested_walk(const struct machine *m, uint32_t nptb, uint32_t gpa, int kind,
			    uint32_t *mpa, uint32_t *leaf, unsigned *refs, uint32_t steps[2])
{
	uint32_t npde_pa = ISA_PTB_ROOT(nptb) + 4 * ISA_VA_DIR(gpa), npde, npte_pa, npte;

	if (steps)
		steps[0] = npde_pa, steps[1] = 0;
	if (npde_pa >= m->memsize)
		return ISA_CAUSE_NPF;
	npde = ram_ld32(m->ram + npde_pa);
	++*refs;
	if (!(npde & ISA_PTE_V))
		return ISA_CAUSE_NPF;
	npte_pa = ISA_PTE_PPN(npde) + 4 * ISA_VA_TBL(gpa);
	if (steps)
		steps[1] = npte_pa;
	if (npte_pa >= m->memsize)
		return ISA_CAUSE_NPF;
	npte = ram_ld32(m->ram + npte_pa);
	++*refs;
	if (!(npte & ISA_PTE_V) || !(npte & need_perm[kind]) || ISA_PTE_PPN(npte) >= m->memsize)
		return ISA_CAUSE_NPF;
	*mpa = ISA_PTE_PPN(npte) | (gpa & ~PAGE_MASK);
	*leaf = npte;
	return 0;
}

unsigned mmu_nested(const struct machine *m, uint32_t gpa, int kind, uint32_t *mpa,
		    unsigned *refs)
{
	uint32_t leaf;

	return nested_walk(m, m->v.nptb, gpa, kind, mpa, &leaf, refs, NULL);
}

unsigned hw_nested_translate(const struct machine *m, uint32_t nptb, uint32_t gpa,
			     unsigned kind, uint32_t *mpa, uint32_t steps[2])
{
	int k = kind == ISA_C_LOAD ? KIND_LOAD : kind == ISA_C_STORE ? KIND_STORE : KIND_FETCH;
	uint32_t leaf;
	unsigned refs = 0;

	return nested_walk(m, nptb, gpa, k, mpa, &leaf, &refs, steps);
}

static bool nested_on(const struct machine *m)
{
	return unlikely(m->v.gm) && (m->v.nptb & ISA_NPTB_NP);
}

/* What a walk found. */
struct wres {
	uint32_t pte;		/* the guest's PTE as read */
	uint32_t pte_pa;	/* its machine-physical address */
	uint32_t page;		/* machine-physical page of the translation */
	uint32_t nperm;		/* the nested leaf's R/W/X (all without NP) */
	uint32_t npf_gpa;	/* NPF: the guest-physical address that failed */
	unsigned refs;		/* memory references */
};

/* A physical address the walk reads (kind LOAD) or the translation's page
 * (the access's kind) to machine-physical: itself on PG32 (BUS outside
 * RAM), through the nested table in guest mode with nested paging. */
static unsigned to_mpa(const struct machine *m, uint32_t pa, int kind, uint32_t *mpa,
		       uint32_t *leaf, struct wres *w)
{
	unsigned c;

	if (!nested_on(m)) {
		if (pa >= m->memsize)
			return ISA_CAUSE_BUS;
		*mpa = pa;
		*leaf = ISA_PTE_R | ISA_PTE_W | ISA_PTE_X;
		return 0;
	}
	c = nested_walk(m, m->v.nptb, pa, kind, mpa, leaf, &w->refs, NULL);
	if (c)
		w->npf_gpa = pa;
	return c;
}

/* Walk the page table for va.  Returns 0 with *w, or the cause.  Checks
 * permission for 'kind' in mode 'kernel' and that the final page is in
 * RAM (or mapped by the nested table); changes nothing. */
static unsigned walk(const struct machine *m, uint32_t va, int kind, bool kernel,
		     struct wres *w)
{
	uint32_t pde_pa, pde, pte_pa, pte, leaf;
	unsigned c;

	w->refs = 0;
	c = to_mpa(m, ISA_PTB_ROOT(m->cr[ISA_CR_PTB]) + 4 * ISA_VA_DIR(va), KIND_LOAD, &pde_pa,
		   &leaf, w);
	if (c)
		return c;
	pde = ram_ld32(m->ram + pde_pa);
	w->refs++;
	if (!(pde & ISA_PTE_V))
		return pf_cause[kind];
	c = to_mpa(m, ISA_PTE_PPN(pde) + 4 * ISA_VA_TBL(va), KIND_LOAD, &pte_pa, &leaf, w);
	if (c)
		return c;
	pte = ram_ld32(m->ram + pte_pa);
	w->refs++;
	if (!(pte & ISA_PTE_V))
		return pf_cause[kind];
	if (!(pte & need_perm[kind]) || (!kernel && !(pte & ISA_PTE_U)))
		return pf_cause[kind] + 1;
	c = to_mpa(m, ISA_PTE_PPN(pte), kind, &w->page, &leaf, w);
	if (c)
		return c;
	w->nperm = leaf & (ISA_PTE_R | ISA_PTE_W | ISA_PTE_X);
	w->pte = pte;
	w->pte_pa = pte_pa;
	return 0;
}

/* Permission of a cached PTE for an access (walk() checked the same). */
static unsigned check_cached(uint32_t pte, int kind, bool kernel)
{
	if (!(pte & need_perm[kind]) || (!kernel && !(pte & ISA_PTE_U)))
		return pf_cause[kind] + 1;
	return 0;
}

/* Guest mode with nested paging and guest paging off: the guest's
 * address is guest-physical, one nested walk. */
static unsigned flat_walk(const struct machine *m, uint32_t va, int kind, struct wres *w)
{
	uint32_t mpa, leaf;
	unsigned c;

	w->refs = 0;
	c = to_mpa(m, va, kind, &mpa, &leaf, w);
	if (c)
		return c;
	w->page = mpa & PAGE_MASK;
	w->pte = ISA_PTE_V | ISA_PTE_R | ISA_PTE_W | ISA_PTE_X | ISA_PTE_U | ISA_PTE_A | ISA_PTE_D;
	w->pte_pa = 0;
	w->nperm = leaf & (ISA_PTE_R | ISA_PTE_W | ISA_PTE_X);
	return 0;
}

/* Walk and cache: sets A (and D for a store) in memory, replaces entry i.
 * The entry holds the machine-physical page and the permissions the guest
 * and the nested leaf both grant. */
static unsigned walk_and_cache(struct machine *m, uint32_t va, int kind, bool kernel)
{
	const uint32_t rwx = ISA_PTE_R | ISA_PTE_W | ISA_PTE_X;
	unsigned i = TLB_AIDX(m, va);
	bool paged = m->cr[ISA_CR_PTB] & ISA_PTB_PG;
	struct wres w;
	uint32_t pte, set;
	unsigned c;

	c = paged ? walk(m, va, kind, kernel, &w) : flat_walk(m, va, kind, &w);
	m->st.page_walks++;
	m->st.walk_refs += w.refs;
	if (nested_on(m)) {
		m->st.walks_2d++;
		m->st.walk_refs_2d += w.refs;
	}
	if (c) {
		m->v.npf_gpa = w.npf_gpa;
		return c;
	}
	pte = w.pte;
	set = ISA_PTE_A | (kind == KIND_STORE ? ISA_PTE_D : 0);
	if (paged && (pte & set) != set) {
		pte |= set;
		phys_st32(m, w.pte_pa, pte);
	}
	clear_fast_index(m, TLB_IDX(va));	/* derived from entry i */
	note_fill(m, i);
	m->tlb[i] = (struct atlb){ .tag = (va & PAGE_MASK) | m->vmid,
				   .pte = w.page | (pte & ~PAGE_MASK & ~rwx) | (pte & w.nperm),
				   .pte_pa = w.pte_pa };
	return 0;
}

/* Translate va for an access; on success *pa and, unless fill is false or
 * the access may not use the fast path, fill the fast entry. */
static unsigned translate(struct machine *m, uint32_t va, int kind, uint32_t *pa)
{
	bool kernel = kernel_mode(m);
	unsigned c;
	struct atlb *a = &m->tlb[TLB_AIDX(m, va)];
	uint32_t page;

	if (!(m->cr[ISA_CR_PTB] & ISA_PTB_PG) && !nested_on(m)) {
		if (va >= m->memsize)
			return ISA_CAUSE_BUS;
		*pa = va;
		return 0;
	}
	if (a->tag == ((va & PAGE_MASK) | m->vmid)
	    && (kind != KIND_STORE || (a->pte & ISA_PTE_D))) {
		m->st.tlb_hits++;
		c = check_cached(a->pte, kind, kernel);
		/* In guest mode the nested leaf may be what forbids it: a
		 * fresh walk tells the guest's fault from an NPF. */
		if (c && nested_on(m))
			c = walk_and_cache(m, va, kind, kernel);
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
		note_fast(m, i);
		f->ld[i] = e;
		return;
	}
	if (m->nwp || m->pdp[pa >> ISA_PAGE_SHIFT])
		return;
	if ((m->cr[ISA_CR_PTB] & ISA_PTB_PG) && !(m->tlb[TLB_AIDX(m, va)].pte & ISA_PTE_D))
		return;
	note_fast(m, i);
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
	note_fast(m, TLB_IDX(va));
	e->tag = va & PAGE_MASK;
	e->pg = pg;
	*pgp = pg;
	return 0;
}

unsigned hw_translate(const struct machine *m, uint32_t va, unsigned kind, bool kernel,
		      uint32_t *pa)
{
	int k = kind == ISA_C_LOAD ? KIND_LOAD : kind == ISA_C_STORE ? KIND_STORE : KIND_FETCH;
	struct wres w;
	unsigned c;

	if (!(m->cr[ISA_CR_PTB] & ISA_PTB_PG)) {
		if (va >= m->memsize)
			return ISA_CAUSE_BUS;
		*pa = va;
		return 0;
	}
	c = walk(m, va, k, kernel, &w);
	if (c)
		return c;
	*pa = w.page | (va & ~PAGE_MASK);
	return 0;
}
