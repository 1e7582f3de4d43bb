/*
 * hwtrace.c - the machine's trace events (trace.h, hw_set_tracer).  Every
 * emitter runs in a slow path of the machine (trap entry, rfe, the checks
 * between instructions, port I/O, device events) and is called only after
 * htrace_on said the sink wants the category, so a machine without a sink
 * pays one test of a pointer in those paths and nothing in the fast path.
 */
#include <stdarg.h>
#include <stdio.h>

#include "hw_priv.h"

void hw_set_tracer(struct machine *m, const struct tracer *t)
{
	m->tr = t ? *t : (struct tracer){ 0 };
	if (!m->tr.fn)
		m->tr.mask = 0;
	m->tr_insn = htrace_on(m, TRACE_INSN);
}

void htrace_emit(const struct machine *m, enum trace_cat cat, uint32_t pc, bool kernel,
		 bool kernel_after, const char *what, const char *fmt, ...)
{
	char text[160];
	va_list ap;
	struct trace_event ev = { .cat = cat, .tick = m->ticks, .pc = pc, .kernel = kernel,
				  .kernel_after = kernel_after, .what = what, .text = text };

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	m->tr.fn(m->tr.ctx, &ev);
}

/* The instruction at m->pc, about to start: read through a side-effect-free
 * walk; if its fetch would fault there is nothing to show (the trap event
 * follows). */
void htrace_insn(const struct machine *m)
{
	bool k = m->cr[ISA_CR_STATUS] & ISA_ST_KM;
	uint32_t pa, w;
	struct isa_insn d;
	char dis[96];

	if (hw_translate(m, m->pc, 0, k, &pa) || hw_phys_read(m, pa, &w, 4))
		return;
	d = isa_decode(w);
	isa_disasm(w, m->pc, dis, sizeof dis, NULL, NULL);
	htrace_emit(m, TRACE_INSN, m->pc, k, k, d.op < ISA_NOPS ? isa_table[d.op].name : "illegal",
		    "%08x %s", w, dis);
}

static const char *const line_name[ISA_NIRQ] = { "timer", "console", "disk" };

/* The interrupt lines went from 'before' to 'after' (ipend bits). */
void htrace_lines(const struct machine *m, uint32_t before, uint32_t after)
{
	bool k = m->cr[ISA_CR_STATUS] & ISA_ST_KM;

	for (unsigned i = 0; i < ISA_NIRQ; i++) {
		uint32_t bit = 1u << i;

		if ((before ^ after) & bit)
			htrace_emit(m, TRACE_IRQ, m->pc, k, k, after & bit ? "raise" : "lower",
				    "%s", line_name[i]);
	}
}

/* Trap entry just done by trap_enter (status, epc, cause, badva are set). */
void htrace_trap(const struct machine *m, bool irq)
{
	uint32_t st = m->cr[ISA_CR_STATUS], epc = m->cr[ISA_CR_EPC];
	unsigned cause = m->cr[ISA_CR_CAUSE];
	bool from_k = st & ISA_ST_PKM;

	if (irq && htrace_on(m, TRACE_IRQ))
		htrace_emit(m, TRACE_IRQ, epc, from_k, true, "take", "%s",
			    line_name[cause - ISA_CAUSE_IRQ_BASE]);
	if (htrace_on(m, TRACE_TRAP))
		htrace_emit(m, TRACE_TRAP, epc, from_k, true, isa_cause_name(cause),
			    "epc=0x%08x badva=0x%08x tvec=0x%08x", epc, m->cr[ISA_CR_BADVA],
			    m->pc);
}

/* rfe at pc just done by trap_rfe. */
void htrace_rfe(const struct machine *m, uint32_t pc)
{
	if (htrace_on(m, TRACE_TRAP))
		htrace_emit(m, TRACE_TRAP, pc, true, m->cr[ISA_CR_STATUS] & ISA_ST_KM, "rfe",
			    "epc=0x%08x", m->pc);
}

/* in or out at pc, done (cause 0: val is what moved) or refused (BUS). */
void htrace_port(const struct machine *m, uint32_t pc, bool out, uint32_t port,
		 uint32_t val, unsigned cause)
{
	bool k = m->cr[ISA_CR_STATUS] & ISA_ST_KM;

	if (cause)
		htrace_emit(m, TRACE_DEV, pc, k, k, out ? "out" : "in",
			    "port=0x%02x (%s) bus-error", port, isa_port_name(port));
	else
		htrace_emit(m, TRACE_DEV, pc, k, k, out ? "out" : "in",
			    "port=0x%02x (%s) value=0x%08x", port, isa_port_name(port), val);
}
