/*
 * trap.c - trap entry, rfe, the control registers and interrupt priority,
 * exactly as ISA.md "Traps" and "Privilege" say.
 */
#include "hw_priv.h"

void trap_enter(struct machine *m, uint32_t pc, unsigned cause, uint32_t badva)
{
	uint32_t s = m->cr[ISA_CR_STATUS];

	/* PKM = KM; PIE = IE; KM = 1; IE = 0, all at once. */
	s = (s & ~(ISA_ST_PKM | ISA_ST_PIE | ISA_ST_IE))
		| ((s & ISA_ST_KM) ? ISA_ST_PKM : 0)
		| ((s & ISA_ST_IE) ? ISA_ST_PIE : 0)
		| ISA_ST_KM;
	m->cr[ISA_CR_STATUS] = s;
	m->cr[ISA_CR_EPC] = pc;
	m->cr[ISA_CR_CAUSE] = cause;
	m->cr[ISA_CR_BADVA] = badva;
	m->pc = m->cr[ISA_CR_TVEC];
	m->st.traps[cause]++;
}

void trap_rfe(struct machine *m)
{
	uint32_t s = m->cr[ISA_CR_STATUS];

	/* KM = PKM; IE = PIE; PKM and PIE unchanged. */
	s = (s & ~(ISA_ST_KM | ISA_ST_IE))
		| ((s & ISA_ST_PKM) ? ISA_ST_KM : 0)
		| ((s & ISA_ST_PIE) ? ISA_ST_IE : 0);
	m->cr[ISA_CR_STATUS] = s;
	m->pc = m->cr[ISA_CR_EPC];
}

uint32_t trap_read_cr(const struct machine *m, unsigned cr)
{
	if (cr == ISA_CR_ICOUNT)	/* icount_off: PG32-V guest time */
		return (uint32_t)m->ticks + m->icount_off;
	return m->cr[cr];
}

void trap_write_cr(struct machine *m, unsigned cr, uint32_t val)
{
	uint32_t mask = isa_cr_wmask[cr];
	uint32_t nv = (m->cr[cr] & ~mask) | (val & mask);

	if (mask == 0)		/* ipend, icount: read-only */
		return;
	m->cr[cr] = nv;
	switch (cr) {
	case ISA_CR_PTB:	/* new translation: every cached one goes */
		mmu_flush(m);
		m->st.tlb_flushes++;
		break;
	case ISA_CR_TIMECMP:
		if (htrace_on(m, TRACE_IRQ) && (m->cr[ISA_CR_IPEND] & ISA_IRQ_TIMER))
			htrace_lines(m, m->cr[ISA_CR_IPEND],
				     m->cr[ISA_CR_IPEND] & ~ISA_IRQ_TIMER);
		m->cr[ISA_CR_IPEND] &= ~ISA_IRQ_TIMER;
		break;
	}
}

unsigned trap_pending_irq(const struct machine *m)
{
	uint32_t p = m->cr[ISA_CR_IPEND] & m->cr[ISA_CR_IMASK];

	if (!(m->cr[ISA_CR_STATUS] & ISA_ST_IE) || !p)
		return 0;
	/* The lowest-numbered line first: timer, console, disk. */
	return ISA_CAUSE_IRQ_BASE + (unsigned)__builtin_ctz(p);
}
