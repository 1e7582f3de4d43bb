/*
 * hwsnap.c - snapshots of the bare machine (the container is snap.h's).
 *
 * What is saved is architectural state only, everything a guest can ever
 * observe, so a restored machine continues tick for tick:
 *
 *   "ISA "  the ISA variant (--isa): restored only into the same one
 *   "MACH"  r1..r15, pc, every control register as held (ipend = the live
 *           lines), the tick counter, the ticks not from retiring, the
 *           tick of the last trap entry (the double-fault rule), the causes
 *           sent to the host, and the statistics counters
 *   "WFI "  the wfi the last run was cut in, if any (hw.h "a run cut
 *           inside wfi"): present or not, its pc, the tick of the cut
 *   "TLB "  the architectural TLB, TLB_N x {tag, pte, pte_pa}: a guest that
 *           changes a PTE without tlbinv may observe it (ISA.md 9.7)
 *   "CONS"  console.c      "DISK", "DIMG"  disk.c (registers, the request
 *           in flight and its due tick, the image's contents)
 *   "RAM "  all of RAM
 *
 * Host caches (predecoded pages, fast-path TLBs, the countdown) are not
 * state: a restored machine starts with them empty and refills them.
 * Neither is run control (budget, breakpoints, watchpoints, tracer): they
 * belong to whoever runs the machine.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_priv.h"
#include "snap.h"

/* Statistics saved beyond those derived from ticks and the devices. */
#define NSTATS (ISA_NCAUSE + 5)

static void stats_vec(const struct hw_stats *s, uint64_t *v)
{
	memcpy(v, s->traps, sizeof s->traps);
	v[ISA_NCAUSE] = s->tlb_hits;
	v[ISA_NCAUSE + 1] = s->tlb_misses;
	v[ISA_NCAUSE + 2] = s->page_walks;
	v[ISA_NCAUSE + 3] = s->tlb_flushes;
	v[ISA_NCAUSE + 4] = s->wfi_sleep_ticks;
}

static void stats_unvec(struct hw_stats *s, const uint64_t *v)
{
	memcpy(s->traps, v, sizeof s->traps);
	s->tlb_hits = v[ISA_NCAUSE];
	s->tlb_misses = v[ISA_NCAUSE + 1];
	s->page_walks = v[ISA_NCAUSE + 2];
	s->tlb_flushes = v[ISA_NCAUSE + 3];
	s->wfi_sleep_ticks = v[ISA_NCAUSE + 4];
}

int hw_state_save(const struct machine *m, struct snap_buf *b, char *err, size_t errsize)
{
	uint64_t st[NSTATS];

	if (m->halt != HW_NEXIT) {
		snprintf(err, errsize, "the machine has stopped (%s): nothing to save",
			 m->halt == HW_EXIT_POWEROFF ? "powered off"
			 : m->halt == HW_EXIT_DEADLOCK ? "deadlock" : "double fault");
		return -1;
	}
	hw_isa_save(m, b);
	snap_begin(b, "MACH");
	for (unsigned r = 1; r < ISA_NREGS; r++)
		snap_put32(b, m->r[r]);
	snap_put32(b, m->pc);
	for (unsigned c = 0; c < ISA_NCR; c++)
		snap_put32(b, m->cr[c]);
	snap_put64(b, m->ticks);
	snap_put64(b, m->tick_adjust);
	snap_put64(b, m->entry_ticks);
	snap_put32(b, m->trap_to_host);
	stats_vec(&m->st, st);
	for (unsigned i = 0; i < NSTATS; i++)
		snap_put64(b, st[i]);
	snap_end(b);
	hw_wficut_save(&m->wfi_cut, b);
	snap_begin(b, "TLB ");
	for (unsigned i = 0; i < TLB_N; i++) {
		snap_put32(b, m->tlb[i].tag);
		snap_put32(b, m->tlb[i].pte);
		snap_put32(b, m->tlb[i].pte_pa);
	}
	snap_end(b);
	cons_save(&m->cons, b);
	if (disk_save(&m->disk, b, err, errsize))
		return -1;
	snap_begin(b, "RAM ");
	snap_put_bytes(b, m->ram, m->memsize);
	snap_end(b);
	return 0;
}

void hw_isa_save(const struct machine *m, struct snap_buf *b)
{
	snap_begin(b, "ISA ");
	snap_put32(b, m->isa);
	snap_end(b);
}

bool hw_isa_load(const struct machine *m, struct snap_rd *r)
{
	char why[128];
	uint32_t v;

	if (!snap_section(r, "ISA "))
		return false;
	v = snap_get32(r);
	if (!snap_section_end(r))
		return false;
	if (v >= ISA_NVARIANT) {
		snap_invalid(r, "unknown ISA variant");
		return false;
	}
	if (v != m->isa) {
		snprintf(why, sizeof why, "the snapshot's machine runs --isa=%s, not --isa=%s",
			 isa_variant_name(v), isa_variant_name(m->isa));
		snap_refuse(r, why);
		return false;
	}
	return true;
}

void hw_wficut_save(const struct hw_wficut *c, struct snap_buf *b)
{
	snap_begin(b, "WFI ");
	snap_put32(b, c->on);
	snap_put32(b, c->on ? c->pc : 0);
	snap_put64(b, c->on ? c->at : 0);
	snap_end(b);
}

bool hw_wficut_load(struct hw_wficut *c, struct snap_rd *r)
{
	struct hw_wficut v;
	uint32_t on;

	if (!snap_section(r, "WFI "))
		return false;
	on = snap_get32(r);
	v.pc = snap_get32(r);
	v.at = snap_get64(r);
	if (!snap_section_end(r))
		return false;
	if (on > 1 || (!on && (v.pc || v.at)) || v.pc & 3) {
		snap_invalid(r, "the cut wfi is malformed");
		return false;
	}
	v.on = on;
	*c = v;
	return true;
}

static bool load_tlb(struct machine *m, struct snap_rd *r)
{
	if (!snap_section(r, "TLB "))
		return false;
	for (unsigned i = 0; i < TLB_N; i++) {
		struct atlb a;

		a.tag = snap_get32(r);
		a.pte = snap_get32(r);
		a.pte_pa = snap_get32(r);
		if (a.tag != TAG_NONE
		    && (a.tag & ~PAGE_MASK || TLB_IDX(a.tag) != i || a.pte_pa & 3
			|| a.pte_pa >= m->memsize)) {
			snap_invalid(r, "a TLB entry is out of range");
			return false;
		}
		m->tlb[i] = a;
	}
	/* The fast tables are empty; the next flush must clear every entry. */
	m->nfilled = TLB_FILLED_ALL;
	return snap_section_end(r);
}

bool hw_state_load(struct machine *m, struct snap_rd *r, const uint8_t **disk_image)
{
	uint64_t st[NSTATS];
	const uint8_t *ram;

	if (!hw_isa_load(m, r) || !snap_section(r, "MACH"))
		return false;
	for (unsigned i = 1; i < ISA_NREGS; i++)
		m->r[i] = snap_get32(r);
	m->pc = snap_get32(r);
	for (unsigned c = 0; c < ISA_NCR; c++)
		m->cr[c] = snap_get32(r);
	m->ticks = snap_get64(r);
	m->tick_adjust = snap_get64(r);
	m->entry_ticks = snap_get64(r);
	m->trap_to_host = snap_get32(r);
	for (unsigned i = 0; i < NSTATS; i++)
		st[i] = snap_get64(r);
	if (!snap_section_end(r))
		return false;
	stats_unvec(&m->st, st);
	if (!hw_wficut_load(&m->wfi_cut, r) || !load_tlb(m, r) || !cons_load(&m->cons, r) || !disk_load(&m->disk, r, disk_image))
		return false;
	/* The lines as the devices drive them now, and the latched timer. */
	m->cr[ISA_CR_IPEND] &= ISA_IRQ_TIMER;
	m->cr[ISA_CR_IPEND] |= (cons_line(&m->cons) ? ISA_IRQ_CONSOLE : 0)
		| (m->disk.status & ISA_DISK_DONE ? ISA_IRQ_DISK : 0);
	if (!snap_section(r, "RAM ") || !(ram = snap_get_bytes(r, m->memsize))
	    || !snap_section_end(r))
		return false;
	memcpy(m->ram, ram, m->memsize);
	mmu_code_written(m, 0, m->memsize);
	m->halt = HW_NEXIT;
	return true;
}

static int save_op(const void *obj, struct snap_buf *b, char *why, size_t whysize)
{
	return hw_state_save(obj, b, why, whysize);
}

static int make_op(const void *cfg, uint32_t mib, void **obj, char *why, size_t whysize)
{
	struct hw_config c = *(const struct hw_config *)cfg;

	c.mem_mib = mib;
	return hw_new(&c, (struct machine **)obj, why, whysize);
}

static bool load_op(void *obj, struct snap_rd *r, const uint8_t **disk_image)
{
	return hw_state_load(obj, r, disk_image);
}

static int commit_op(void *obj, const uint8_t *disk_image, char *why, size_t whysize)
{
	return disk_put_image(&((struct machine *)obj)->disk, disk_image, why, whysize);
}

static void discard_op(void *obj)
{
	hw_free(obj);
}

static const struct snap_ops bare_ops = {
	.kind = SNAP_BARE, .noun = "machine", .save = save_op, .make = make_op,
	.load = load_op, .commit = commit_op, .discard = discard_op,
};

int hw_save(const struct machine *m, const char *path, char *err, size_t errsize)
{
	return snap_save(&bare_ops, m, m->memsize >> 20, path, err, errsize);
}

int hw_restore_state(const struct hw_config *cfg, const char *name, const uint8_t *state,
		     size_t len, struct machine **out, char *err, size_t errsize)
{
	void *m;
	int rc = snap_restore_payload(&bare_ops, cfg, cfg->mem_mib ? cfg->mem_mib : 16, name,
				      state, len, &m, err, errsize);

	*out = m;
	return rc;
}

int hw_restore(const struct hw_config *cfg, const char *path, struct machine **out,
	       char *err, size_t errsize)
{
	void *m;
	int rc = snap_restore(&bare_ops, cfg, cfg->mem_mib, path, &m, err, errsize);

	*out = m;
	return rc;
}
