/*
 * machine.c - creating, resetting and inspecting a PG32 machine: the
 * public state accessors of hw.h, physical memory, interrupt lines,
 * breakpoints, watchpoints and statistics.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hw_priv.h"

#define HUGE_PAGE	(2u << 20)

/* Guest RAM: zeroed anonymous memory, 2 MiB-aligned and marked for
 * transparent huge pages where the host has them, so that the host's TLB
 * covers a guest's working set with few entries.  NULL if out of memory. */
static uint8_t *ram_alloc(uint32_t size)
{
	size_t len = (size_t)size + HUGE_PAGE;
	uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t start, end;

	if (p == MAP_FAILED)
		return NULL;
	/* Keep the 2 MiB-aligned part and give the rest back. */
	start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	end = start + size;
	if (start > (uintptr_t)p)
		munmap(p, start - (uintptr_t)p);
	if ((uintptr_t)p + len > end)
		munmap((void *)end, (uintptr_t)p + len - end);
#ifdef MADV_HUGEPAGE
	madvise((void *)start, size, MADV_HUGEPAGE);	/* a hint: failure is fine */
#endif
	return (uint8_t *)start;
}

static void ram_free(uint8_t *ram, uint32_t size)
{
	if (ram)
		munmap(ram, size);
}

static void irq_hook(void *ctx, uint32_t lines, bool level)
{
	hw_irq_set(ctx, lines, level);
}

static void dma_written(void *ctx, uint32_t pa, uint32_t len)
{
	mmu_code_written(ctx, pa, len);
}

int hw_new(const struct hw_config *cfg, struct machine **out, char *err, size_t errsize)
{
	uint32_t mib = cfg->mem_mib ? cfg->mem_mib : 16;
	struct machine *m;

	*out = NULL;
	if (mib > 2048) {
		snprintf(err, errsize, "memory size %u MiB is out of range 1..2048", mib);
		return -1;
	}
	m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	/* 2048 MiB is 2^31 bytes: memsize fits in 32 bits. */
	m->memsize = mib << 20;
	m->npages = m->memsize >> ISA_PAGE_SHIFT;
	m->ram = ram_alloc(m->memsize);
	m->pdp = calloc(m->npages, sizeof *m->pdp);
	if (!m->ram || !m->pdp) {
		snprintf(err, errsize, "cannot allocate %u MiB of guest memory", mib);
		hw_free(m);
		return -1;
	}
	m->nfilled = TLB_FILLED_ALL;	/* calloc's zero tags are not empty */
	cpu_init_labels(m);
	m->jsent = cpu_stub(m, OP_REFETCH);
	m->dma = (struct dev_dma){ .base = m->ram, .size = m->memsize,
				   .written = dma_written, .ctx = m };
	cons_init(&m->cons, cfg->cons_out, cfg->cons_in_fd,
		  (struct dev_irq){ irq_hook, m, ISA_IRQ_CONSOLE });
	cons_set_stop(&m->cons, cfg->interrupt);
	if (disk_init(&m->disk, cfg->disk_path,
		      (struct dev_irq){ irq_hook, m, ISA_IRQ_DISK }, err, errsize)) {
		hw_free(m);
		return -1;
	}
	if ((unsigned)cfg->isa >= ISA_NVARIANT) {
		snprintf(err, errsize, "unknown ISA variant %d", (int)cfg->isa);
		hw_free(m);
		return -1;
	}
	m->isa = cfg->isa;
	m->budget_end = HW_NO_BUDGET;
	hw_reset(m, 0);
	*out = m;
	return 0;
}

void hw_free(struct machine *m)
{
	if (!m)
		return;
	if (m->pdp)
		mmu_free_code(m);
	disk_close(&m->disk);
	cons_flush(&m->cons);
	free(m->pdp);
	ram_free(m->ram, m->memsize);
	free(m);
}

void hw_reset(struct machine *m, uint32_t entry)
{
	memset(m->r, 0, sizeof m->r);
	memset(m->cr, 0, sizeof m->cr);
	m->r[ISA_R_SP] = m->memsize;
	m->pc = entry;
	m->cr[ISA_CR_STATUS] = ISA_ST_RESET;
	m->ticks = 0;
	m->tick_adjust = 0;
	m->entry_ticks = UINT64_MAX;
	m->wfi_cut.on = false;
	m->halt = HW_NEXIT;
	m->watch_hit = false;
	m->bp_pass.set = false;
	m->icpt = m->icrw = m->vmid = m->tlb_salt = m->icount_off = 0;
	memset(&m->v, 0, sizeof m->v);
	mmu_fast_reset(m);
	m->nfilled = TLB_FILLED_ALL;	/* every VM tag's entries go */
	mmu_flush(m);
	cons_reset(&m->cons);
	disk_reset(&m->disk);
	m->cr[ISA_CR_IPEND] = cons_line(&m->cons) ? ISA_IRQ_CONSOLE : 0;
	memset(&m->st, 0, sizeof m->st);
}

/* --- registers ---------------------------------------------------------- */

uint32_t hw_get_reg(const struct machine *m, unsigned r)
{
	return r < ISA_NREGS ? m->r[r] : 0;
}

void hw_set_reg(struct machine *m, unsigned r, uint32_t v)
{
	if (r > 0 && r < ISA_NREGS)
		m->r[r] = v;
}

void hw_get_regs(const struct machine *m, uint32_t r[ISA_NREGS])
{
	memcpy(r, m->r, ISA_NREGS * sizeof *r);
	r[0] = 0;
}

void hw_set_regs(struct machine *m, const uint32_t r[ISA_NREGS])
{
	memcpy(m->r + 1, r + 1, (ISA_NREGS - 1) * sizeof *r);
}

uint32_t hw_get_pc(const struct machine *m)
{
	return m->pc;
}

void hw_set_pc(struct machine *m, uint32_t pc)
{
	m->pc = pc;
	m->entry_ticks = UINT64_MAX;
	m->wfi_cut.on = false;
}

uint32_t hw_get_cr(const struct machine *m, unsigned cr)
{
	return cr < ISA_NCR ? trap_read_cr(m, cr) : 0;
}

void hw_set_cr(struct machine *m, unsigned cr, uint32_t v)
{
	switch (cr) {
	case ISA_CR_ICOUNT:
		m->tick_adjust += (uint64_t)v - m->ticks;
		m->ticks = v;
		break;
	case ISA_CR_IPEND:
		m->cr[cr] = (m->cr[cr] & ~ISA_IRQ_TIMER) | (v & ISA_IRQ_TIMER);
		break;
	case ISA_CR_PTB:
		m->cr[cr] = v;
		mmu_flush(m);
		m->st.tlb_flushes++;
		break;
	case ISA_CR_TIMECMP:
		m->cr[cr] = v;
		m->cr[ISA_CR_IPEND] &= ~ISA_IRQ_TIMER;
		break;
	default:
		if (cr < ISA_NCR)
			m->cr[cr] = v;
	}
	m->entry_ticks = UINT64_MAX;
}

uint64_t hw_ticks(const struct machine *m)
{
	return m->ticks;
}

uint64_t hw_cons_out(const struct machine *m, int *last)
{
	*last = m->cons.last_out;
	return m->cons.bytes_out;
}

void hw_set_budget(struct machine *m, uint64_t ticks)
{
	m->budget_end = ticks == HW_NO_BUDGET || m->ticks + ticks < m->ticks
		? HW_NO_BUDGET : m->ticks + ticks;
}

void hw_set_trap_to_host(struct machine *m, uint32_t causes)
{
	m->trap_to_host = causes;
}

void hw_set_trap_handler(struct machine *m, uint32_t causes, hw_trap_fn *fn, void *ctx)
{
	m->trap_fn_causes = fn ? causes : 0;
	m->trap_fn = fn;
	m->trap_ctx = ctx;
}

void hw_set_vcr(struct machine *m, struct hw_vcr *vcr)
{
	m->vcr = vcr;
}

/* --- memory ------------------------------------------------------------- */

static bool in_ram(const struct machine *m, uint32_t pa, size_t len)
{
	return len <= m->memsize && pa <= m->memsize - len;
}

int hw_phys_read(const struct machine *m, uint32_t pa, void *buf, size_t len)
{
	if (!in_ram(m, pa, len))
		return -1;
	memcpy(buf, m->ram + pa, len);
	return 0;
}

int hw_phys_write(struct machine *m, uint32_t pa, const void *buf, size_t len)
{
	if (!in_ram(m, pa, len))
		return -1;
	memcpy(m->ram + pa, buf, len);
	mmu_code_written(m, pa, (uint32_t)len);
	return 0;
}

uint8_t *hw_mem(struct machine *m)
{
	return m->ram;
}

uint32_t hw_mem_size(const struct machine *m)
{
	return m->memsize;
}

enum isa_variant hw_isa_variant(const struct machine *m)
{
	return m->isa;
}

void hw_mem_written(struct machine *m, uint32_t pa, uint32_t len)
{
	mmu_code_written(m, pa, len);
}

void hw_tlb_flush(struct machine *m)
{
	mmu_flush(m);
	m->st.tlb_flushes++;
}

void hw_irq_set(struct machine *m, uint32_t lines, bool level)
{
	uint32_t before = m->cr[ISA_CR_IPEND];

	lines &= ISA_IRQ_CONSOLE | ISA_IRQ_DISK;
	if (level)
		m->cr[ISA_CR_IPEND] |= lines;
	else
		m->cr[ISA_CR_IPEND] &= ~lines;
	if (htrace_on(m, TRACE_IRQ) && before != m->cr[ISA_CR_IPEND])
		htrace_lines(m, before, m->cr[ISA_CR_IPEND]);
}

struct cons *hw_console(struct machine *m)
{
	return &m->cons;
}

struct disk *hw_disk(struct machine *m)
{
	return &m->disk;
}

/* --- debugging ---------------------------------------------------------- */

int hw_break_add(struct machine *m, uint32_t va)
{
	if (m->nbp == HW_MAXBP)
		return -1;
	m->bp[m->nbp++] = va;
	return 0;
}

int hw_break_del(struct machine *m, uint32_t va)
{
	for (unsigned i = 0; i < m->nbp; i++)
		if (m->bp[i] == va) {
			m->bp[i] = m->bp[--m->nbp];
			return 0;
		}
	return -1;
}

void hw_break_pass(struct machine *m)
{
	hw_bp_stopped(&m->bp_pass, m->pc, m->ticks);
}

int hw_watch_add(struct machine *m, uint32_t addr, bool physical)
{
	if (m->nwp == HW_MAXBP)
		return -1;
	m->wp[m->nwp].addr = addr;
	m->wp[m->nwp].phys = physical;
	m->nwp++;
	mmu_flush_stores(m);	/* every store must now be checked */
	return 0;
}

void hw_watch_clear(struct machine *m)
{
	m->nwp = 0;
	m->watch_hit = false;
}

/* --- statistics --------------------------------------------------------- */

void hw_get_stats(const struct machine *m, struct hw_stats *st)
{
	*st = m->st;
	st->insns = m->ticks - m->tick_adjust;
	st->cons_in = m->cons.bytes_in;
	st->cons_out = m->cons.bytes_out;
	st->disk_reads = m->disk.reads;
	st->disk_writes = m->disk.writes;
	st->disk_errors = m->disk.errors;
}

void hw_print_stats(const struct machine *m, FILE *f)
{
	struct hw_stats s;

	hw_get_stats(m, &s);
	hw_stats_print(&s, m->ticks, f);
}

void hw_stats_print(const struct hw_stats *s, uint64_t ticks, FILE *f)
{
	fprintf(f, "insns: %llu\n", (unsigned long long)s->insns);
	fprintf(f, "ticks: %llu\n", (unsigned long long)ticks);
	for (unsigned c = 0; c < ISA_NCAUSE; c++)
		if (s->traps[c])
			fprintf(f, "trap_%s: %llu\n", isa_cause_name(c),
				(unsigned long long)s->traps[c]);
	fprintf(f, "tlb_hits: %llu\n", (unsigned long long)s->tlb_hits);
	fprintf(f, "tlb_misses: %llu\n", (unsigned long long)s->tlb_misses);
	if (s->tlb_hits + s->tlb_misses)	/* paging was on */
		fprintf(f, "tlb_hit_rate: %.4f\n",
			(double)s->tlb_hits / (double)(s->tlb_hits + s->tlb_misses));
	fprintf(f, "page_walks: %llu\n", (unsigned long long)s->page_walks);
	fprintf(f, "walk_refs: %llu\n", (unsigned long long)s->walk_refs);
	if (s->vm_entries) {	/* PG32-V: a VMM used guest mode */
		fprintf(f, "walks_1d: %llu\n", (unsigned long long)(s->page_walks - s->walks_2d));
		fprintf(f, "walk_refs_1d: %llu\n",
			(unsigned long long)(s->walk_refs - s->walk_refs_2d));
		fprintf(f, "walks_2d: %llu\n", (unsigned long long)s->walks_2d);
		fprintf(f, "walk_refs_2d: %llu\n", (unsigned long long)s->walk_refs_2d);
		fprintf(f, "vm_entries: %llu\n", (unsigned long long)s->vm_entries);
		for (unsigned c = 0; c < ISA_NCAUSE; c++)
			if (s->vm_exits[c])
				fprintf(f, "vm_exit_%s: %llu\n", c ? isa_cause_name(c) : "preempt",
					(unsigned long long)s->vm_exits[c]);
	}
	fprintf(f, "tlb_flushes: %llu\n", (unsigned long long)s->tlb_flushes);
	fprintf(f, "wfi_sleep_ticks: %llu\n", (unsigned long long)s->wfi_sleep_ticks);
	fprintf(f, "console_in_bytes: %llu\n", (unsigned long long)s->cons_in);
	fprintf(f, "console_out_bytes: %llu\n", (unsigned long long)s->cons_out);
	fprintf(f, "disk_reads: %llu\n", (unsigned long long)s->disk_reads);
	fprintf(f, "disk_writes: %llu\n", (unsigned long long)s->disk_writes);
	fprintf(f, "disk_errors: %llu\n", (unsigned long long)s->disk_errors);
}
