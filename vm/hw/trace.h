/*
 * trace.h - events of a run, for tracing and pictures.
 *
 * The machine (vm/hw) and the VMM (vm/vmm) report what happens as events;
 * whoever runs them (the monitor) installs a sink that writes trace lines
 * or counts edges for a Graphviz picture.  With no sink, or with a
 * category masked off, an emitter costs one test of a mask: cheap enough to
 * leave traps traced for a whole guest OS boot.  Instruction tracing makes
 * the machine take its slow, checking loop.
 *
 * The mode of an event is the mode *as the guest sees it*: on the bare
 * machine the CPU's mode; under the VMM the VCPU's virtual mode.
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <stdint.h>

enum trace_cat {
	TRACE_INSN   = 1u << 0,	/* every retired instruction (disassembled) */
	TRACE_TRAP   = 1u << 1,	/* trap entries the guest sees */
	TRACE_EXIT   = 1u << 2,	/* VMM: each exit and the handler that took it */
	TRACE_SHADOW = 1u << 3,	/* VMM: shadow page-table fills and flushes */
	TRACE_IRQ    = 1u << 4,	/* interrupt lines raised, injected, delivered */
	TRACE_DEV    = 1u << 5,	/* port I/O, DMA, console bytes */
	TRACE_HCALL  = 1u << 6,	/* VMM: hypercalls, by name, with arguments */
	TRACE_SCHED  = 1u << 7,	/* VMM host: world switches, blocks, wakes,
				 * stops (tick = the host clock) */
	TRACE_ALL    = (1u << 8) - 1
};

struct trace_event {
	enum trace_cat cat;
	uint64_t tick;		/* the guest's tick count (icount) */
	uint32_t pc;		/* the guest pc the event belongs to */
	bool kernel;		/* guest mode when the event happened */
	bool kernel_after;	/* guest mode after it (TRAP, EXIT: where the
				 * guest resumes); = kernel otherwise */
	const char *what;	/* short static name: the trap cause
				 * ("syscall"), the VMM handler ("emulate-mtcr",
				 * "reflect", "hidden-fault"), "fill", "flush",
				 * "raise", "inject", "out"... */
	const char *text;	/* details, formatted, no newline; may be "" */
};

typedef void trace_fn(void *ctx, const struct trace_event *ev);

struct tracer {
	uint32_t mask;		/* enum trace_cat bits wanted */
	trace_fn *fn;		/* NULL: no tracing */
	void *ctx;
};

static inline bool trace_on(const struct tracer *t, enum trace_cat cat)
{
	return t && t->fn && (t->mask & cat);
}

/* The category names as --trace spells them, for the monitor's parser and
 * its output: "insn", "trap", "exit", "shadow", "irq", "dev", "hcall", "sched". */
const char *trace_cat_name(enum trace_cat cat);

#endif /* TRACE_H */
