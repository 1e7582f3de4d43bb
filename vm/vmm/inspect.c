/*
 * inspect.c - looking at a VM from outside without changing it: a
 * translation explained on both sides (guest walk, shadow walk), every
 * mapping of the guest's table or of a shadow, the invariant checker, and
 * the statistics.
 *
 * The invariants vmm_check verifies, which together are the VMM's
 * resource control (Popek and Goldberg's second property):
 *
 *   1. Every shadow leaf maps a frame inside the guest's slice
 *      [area, area + guest memsize), with U set (the CPU is in user mode),
 *      A set, and D exactly when W: no guest can reach the VMM area, nor
 *      another VM's slice.
 *   2. Every shadow PDE points to a pool page that is a table of the same
 *      context, at that slot; every root belongs to its context.
 *   3. Every free pool page is all zero; the used count is right and
 *      within the VM's quota of the (shared) pool.
 *   4. Trace policy: no leaf is writable onto a tracked page table, each
 *      tracked list holds exactly the pages shadowing that page, and the
 *      reverse map lists exactly the writable leaves, each under the
 *      guest page it maps.
 *   5. The machine runs in user mode with IE = 0, on the shadow root of
 *      the guest's current address space and mode.
 */
#include <stdarg.h>
#include <string.h>

#include "shadow.h"

/* The context for the guest's current ptb in mode kernel, -1 if none. */
static int find_ctx(const struct vm *vm, bool kernel)
{
	uint32_t gptb = vm->vc.cr[ISA_CR_PTB];
	bool paging = gptb & ISA_PTB_PG;

	for (int c = 0; c < SH_MAXCTX; c++) {
		const struct sctx *x = &vm->sh.ctx[c];
		if (x->root != NO_PAGE && (paging ? x->gptb == gptb && x->kernel == kernel
					   : x->kernel == -1))
			return c;
	}
	return -1;
}

void vmm_translate(const struct vm *vm, uint32_t va, unsigned kind, bool kernel,
		   struct vmm_walk *w)
{
	int k = kind == ISA_C_LOAD ? KIND_LOAD : kind == ISA_C_STORE ? KIND_STORE : KIND_FETCH;
	static const uint32_t need[3] = { ISA_PTE_X, ISA_PTE_R, ISA_PTE_W };
	struct gwalk g;
	int c = find_ctx(vm, kernel);

	*w = (struct vmm_walk){ .va = va };
	w->guest_paging = vm->vc.cr[ISA_CR_PTB] & ISA_PTB_PG;
	w->g_cause = shadow_guest_walk(vm, va, k, kernel, &g);
	w->g_pde_addr = g.pde_addr;
	w->g_pde = g.pde;
	w->g_pte_addr = g.pte_addr;
	w->g_pte = g.pte;
	w->gpa = g.gpa;

	w->s_cause = ISA_CAUSE_PF_FETCH + 2 * (unsigned)k;	/* not present, unless found */
	if (c < 0)
		return;
	w->s_root = (uint32_t)vm->sh.ctx[c].root << ISA_PAGE_SHIFT;
	w->s_pde_addr = w->s_root + 4 * ISA_VA_DIR(va);
	w->s_pde = ld32(hw_mem(vm->m) + w->s_pde_addr);
	if (!(w->s_pde & ISA_PTE_V))
		return;
	w->s_pte_addr = ISA_PTE_PPN(w->s_pde) + 4 * ISA_VA_TBL(va);
	w->s_pte = ld32(hw_mem(vm->m) + w->s_pte_addr);
	if (!(w->s_pte & ISA_PTE_V))
		return;
	w->mpa = ISA_PTE_PPN(w->s_pte) | (va & (ISA_PAGE_SIZE - 1));
	/* The machine is in user mode: U is always needed. */
	w->s_cause = (w->s_pte & need[k]) && (w->s_pte & ISA_PTE_U) ? 0 : w->s_cause + 1;
}

/* Every valid leaf under a root of 1024 PDEs in memory 'mem' of size
 * 'size' (guest or machine), table addresses relative to mem. */
static void walk_all(const uint8_t *mem, uint32_t size, uint32_t root, vmm_map_fn *fn,
		     void *ctx)
{
	if (root > size - ISA_PAGE_SIZE)
		return;
	for (uint32_t d = 0; d < 1024; d++) {
		uint32_t pde = ld32(mem + root + 4 * d), table = ISA_PTE_PPN(pde);

		if (!(pde & ISA_PTE_V) || table > size - ISA_PAGE_SIZE)
			continue;
		for (uint32_t t = 0; t < 1024; t++) {
			uint32_t pte = ld32(mem + table + 4 * t);
			struct vmm_mapping map = {
				.va = d << 22 | t << 12, .dir = root, .pde = pde,
				.table = table, .pte = pte, .pa = ISA_PTE_PPN(pte),
			};
			if (pte & ISA_PTE_V)
				fn(ctx, &map);
		}
	}
}

void vmm_guest_mappings(const struct vm *vm, vmm_map_fn *fn, void *ctx)
{
	uint32_t ptb = vm->vc.cr[ISA_CR_PTB];

	if (ptb & ISA_PTB_PG)
		walk_all(vm->gram, vm->gmem, ISA_PTB_ROOT(ptb), fn, ctx);
}

void vmm_shadow_mappings(const struct vm *vm, bool kernel, vmm_map_fn *fn, void *ctx)
{
	int c = find_ctx(vm, kernel);

	if (c >= 0)
		walk_all(hw_mem(vm->m), vm->area, (uint32_t)vm->sh.ctx[c].root << ISA_PAGE_SHIFT,
			 fn, ctx);
}

void vmm_nested_mappings(const struct vm *vm, vmm_map_fn *fn, void *ctx)
{
	uint32_t root = vmm_nested_root(vm);

	if (root)
		walk_all(hw_mem(vm->m), vm->area, root, fn, ctx);
}

/* --- invariants ----------------------------------------------------------- */

static int fail(char *err, size_t errsize, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
	return -1;
}

/* Checks a table's leaves; adds its writable ones to *writable. */
static int check_table(const struct vm *vm, uint32_t i, uint64_t *writable, char *err,
		       size_t errsize)
{
	const uint8_t *t = page_host(vm, (int32_t)i);

	for (unsigned e = 0; e < 1024; e++) {
		uint32_t pte = ld32(t + 4 * e), frame = ISA_PTE_PPN(pte);

		*writable += !!(pte & ISA_PTE_W);

		if (!(pte & ISA_PTE_V)) {
			if (pte)
				return fail(err, errsize, "table %u entry %u: junk 0x%08x", i, e, pte);
			continue;
		}
		if (vm->bt && btrun_tc_leaf(vm, pte))
			continue;	/* a translation page (btrun.c) */
		if (vm->bt && (pte & ISA_PTE_W) && btrun_protects(vm, frame - vm->area))
			return fail(err, errsize, "table %u entry %u: writable translated code 0x%08x",
				    i, e, frame - vm->area);
		if (frame < vm->area || frame - vm->area >= vm->gmem)
			return fail(err, errsize, "table %u entry %u maps 0x%08x outside the guest",
				    i, e, frame);
		if (!(pte & ISA_PTE_U) || !(pte & ISA_PTE_A)
		    || !(pte & ISA_PTE_W) != !(pte & ISA_PTE_D))
			return fail(err, errsize, "table %u entry %u: bad bits 0x%08x", i, e, pte);
		if (vm->policy == VMM_SHADOW_TRACE && (pte & ISA_PTE_W)
		    && shadow_tracked(vm, frame - vm->area))
			return fail(err, errsize, "table %u entry %u: writable page table 0x%08x",
				    i, e, frame - vm->area);
	}
	return 0;
}

static int check_root(const struct vm *vm, uint32_t i, char *err, size_t errsize)
{
	const struct spage *p = &vm->sh.pg[i];
	const uint8_t *r = page_host(vm, (int32_t)i);

	if (vm->sh.ctx[p->ctx].root != (int32_t)i)
		return fail(err, errsize, "root %u: not its context's root", i);
	for (unsigned d = 0; d < 1024; d++) {
		uint32_t pde = ld32(r + 4 * d), t = pde >> ISA_PAGE_SHIFT;

		if (!pde)
			continue;
		if (pde != (t << ISA_PAGE_SHIFT | ISA_PTE_V) || t >= vm->sh.pool->npages
		    || vm->sh.pg[t].kind != SP_TABLE || vm->sh.pg[t].ctx != p->ctx
		    || vm->sh.pg[t].vm != vm->id || vm->sh.pg[t].dir != d)
			return fail(err, errsize, "root %u slot %u: bad PDE 0x%08x", i, d, pde);
	}
	return 0;
}

/* Trace policy: each slot on guest page g's reverse-map list holds a
 * writable leaf onto g, the back links agree, and the lists hold as many
 * slots as there are writable leaves (so every one of them). */
static int check_rmap(const struct vm *vm, uint64_t writable, char *err, size_t errsize)
{
	const struct shadow *sh = &vm->sh;
	uint64_t listed = 0;

	if (!sh->rmap_head)
		return 0;
	for (uint32_t g = 0; g < vm->gmem >> ISA_PAGE_SHIFT; g++) {
		int32_t prev = NO_SLOT;

		for (int32_t s = sh->rmap_head[g]; s != NO_SLOT; prev = s, s = sh->rmap_next[s]) {
			uint32_t page = (uint32_t)s >> 10, pte;

			if (page >= sh->pool->npages || sh->pg[page].kind != SP_TABLE
			    || sh->pg[page].vm != vm->id)
				return fail(err, errsize, "reverse map of page 0x%08x: slot %d is not "
					    "in a shadow table", g << ISA_PAGE_SHIFT, s);
			pte = ld32(page_host(vm, (int32_t)page) + 4 * ((uint32_t)s & 1023));
			if (!(pte & ISA_PTE_W) || ISA_PTE_PPN(pte) != vm->area + (g << ISA_PAGE_SHIFT))
				return fail(err, errsize, "reverse map of page 0x%08x: slot %d holds "
					    "0x%08x", g << ISA_PAGE_SHIFT, s, pte);
			if (sh->rmap_prev[s] != prev)
				return fail(err, errsize, "reverse map of page 0x%08x: slot %d: bad "
					    "back link", g << ISA_PAGE_SHIFT, s);
			if (++listed > writable)
				break;
		}
	}
	if (listed != writable)
		return fail(err, errsize, "%llu writable shadow leaves, %llu in the reverse map",
			    (unsigned long long)writable, (unsigned long long)listed);
	return 0;
}

static bool page_zero(const uint8_t *q)
{
	static const uint8_t zero[ISA_PAGE_SIZE];

	return !memcmp(q, zero, ISA_PAGE_SIZE);
}

/* Invariant 3's first half, for the whole pool: free pages are zero. */
static int check_free_pages(const struct vm *vm, char *err, size_t errsize)
{
	const struct spool *pool = vm->sh.pool;

	for (uint32_t i = 0; i < pool->npages; i++)
		if (pool->pg[i].kind == SP_FREE && !page_zero(page_host(vm, (int32_t)i)))
			return fail(err, errsize, "free pool page %u is not zero", i);
	return 0;
}

int vmm_check_vm(const struct vm *vm, char *err, size_t errsize)
{
	const struct shadow *sh = &vm->sh;
	uint32_t used = 0, status = hw_get_cr(vm->m, ISA_CR_STATUS);
	uint64_t writable = 0;
	int c;

	for (uint32_t i = 0; i < sh->pool->npages; i++) {
		const struct spage *p = &sh->pg[i];
		int r = 0;

		if (p->kind == SP_FREE || p->vm != vm->id)
			continue;	/* free, or another VM's */
		used++;
		r = p->kind == SP_NESTED ? 0 : p->kind == SP_ROOT ? check_root(vm, i, err, errsize)
			: check_table(vm, i, &writable, err, errsize);
		if (r)
			return r;
		if (p->src != NO_SRC) {
			int32_t j = sh->src_head[p->src >> ISA_PAGE_SHIFT];
			while (j != NO_PAGE && j != (int32_t)i)
				j = sh->pg[j].next;
			if (j == NO_PAGE)
				return fail(err, errsize, "pool page %u missing from its src list", i);
		}
	}
	if (used != sh->nused)
		return fail(err, errsize, "%u pool pages in use, counted %u", used, sh->nused);
	if (sh->nused > sh->quota)
		return fail(err, errsize, "%u pool pages in use, over the quota of %u", sh->nused,
			    sh->quota);
	if (check_rmap(vm, writable, err, errsize))
		return -1;
	if (vm->nested)		/* no shadows: the nested table instead */
		return nested_check(vm, err, errsize);
	if (vm->host->cur != vm)
		return 0;	/* not on the machine: no machine state to check */
	if (status & (ISA_ST_KM | ISA_ST_IE))
		return fail(err, errsize, "machine status 0x%x: not user mode with IE = 0", status);
	c = sh->cur[vcpu_kernel(&vm->vc)];
	if (c < 0 || sh->ctx[c].root == NO_PAGE
	    || hw_get_cr(vm->m, ISA_CR_PTB) != ((uint32_t)sh->ctx[c].root << ISA_PAGE_SHIFT | ISA_PTB_PG))
		return fail(err, errsize, "machine ptb 0x%08x is not the current shadow root",
			    hw_get_cr(vm->m, ISA_CR_PTB));
	return 0;
}

int vmm_check_internal(const struct vm *vm, char *err, size_t errsize)
{
	return check_free_pages(vm, err, errsize) || vmm_check_vm(vm, err, errsize) ? -1 : 0;
}

int vmm_check(const struct vm *vm, char *err, size_t errsize)
{
	return vmm_check_internal(vm, err, errsize);
}

/* --- statistics ----------------------------------------------------------- */

void vmm_get_stats(const struct vm *vm, struct vmm_stats *st)
{
	*st = vm->st;
	st->direct = vm->host->cur == vm ? hw_ticks(vm->m) - vm->direct_off : vm->saved.direct;
	st->cons_in = vm->cons.bytes_in;
	st->cons_out = vm->cons.bytes_out;
	st->disk_reads = vm->disk.reads;
	st->disk_writes = vm->disk.writes;
	st->disk_errors = vm->disk.errors;
}

void vmm_print_stats(const struct vm *vm, FILE *f)
{
	struct vmm_stats s;
	uint64_t run;

	vmm_get_stats(vm, &s);
	run = s.direct + s.emulated;
#define P(name, v) fprintf(f, "vmm_" name ": %llu\n", (unsigned long long)(v))
	P("guest_ticks", vm->host->cur == vm ? vm_now(vm) : vm->saved.now);
	P("direct", s.direct);
	P("emulated", s.emulated);
	P("wfi_sleep_ticks", vm->xs.wfi_sleep);
	fprintf(f, "vmm_direct_ratio: %.6f\n", run ? (double)s.direct / (double)run : 1.0);
	for (unsigned op = 0; op < ISA_NOPS; op++)
		if (vm->xs.emulated_by_op[op])
			fprintf(f, "vmm_emulated_%s: %llu\n", isa_table[op].name,
				(unsigned long long)vm->xs.emulated_by_op[op]);
	for (unsigned c = 0; c < ISA_NCAUSE; c++)
		if (s.exits[c])
			fprintf(f, "vmm_exits_%s: %llu\n", isa_cause_name(c),
				(unsigned long long)s.exits[c]);
	P("event_exits", s.budget_exits);
	P("hidden_faults", s.hidden_faults);
	P("true_faults", s.true_faults);
	P("reflected", s.reflected);
	P("injected", s.injected);
	P("shadow_fills", s.shadow_fills);
	P("shadow_flushes", s.shadow_flushes);
	P("shadow_pages_allocated", s.shadow_pages);
	P("shadow_pages_in_use", vm->sh.nused);
	P("shadow_pool_pages", vm->sh.limit);
	P("shadow_pool_resets", vm->xs.pool_resets);
	P("pt_writes_emulated", s.pt_writes_emulated);
	P("ptb_switches", vm->xs.ptb_switches);
	P("tlb_flushes", vm->xs.tlb_flushes);
	P("context_evictions", vm->xs.ctx_evictions);
	P("pages_write_protected", vm->xs.downgrades);
	P("flooded_contexts_dropped", vm->xs.flood_drops);
	P("shadow_entries_visited", vm->xs.visits);
	/* The guest's devices are the VMM's: the machine's own stay idle. */
	P("console_in_bytes", s.cons_in);
	P("console_out_bytes", s.cons_out);
	P("disk_reads", s.disk_reads);
	P("disk_writes", s.disk_writes);
	P("disk_errors", s.disk_errors);
#undef P
	if (vm->nested)
		nested_print_stats(vm, f);
	hc_print_stats(vm, f);
	if (vm->bt)
		btrun_print_stats(vm, f);
}
