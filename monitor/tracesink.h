/*
 * tracesink.h - where trace events go (vm/hw/trace.h): one line per event
 * on a file, and counts of mode transitions for the Graphviz picture of
 * trap-and-emulate (dot.h).
 *
 * Trace line format (monitor/README.md):
 *
 *	<tick> <mode> <pc> <category> <what> [<text>]
 *
 *   tick      the guest's tick count, decimal
 *   mode      K or U: the guest's mode; K>U or U>K when the event moves
 *             the guest between modes (trap entries, rfe, VMM exits)
 *   pc        0x%08x, the guest pc the event belongs to
 *   category  insn trap exit shadow irq dev
 *   what      one word: the cause, the VMM handler, "rfe", "raise"...
 *   text      the rest of the line: details, "key=value" where possible
 */
#ifndef MON_TRACESINK_H
#define MON_TRACESINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "trace.h"

/* Parse a comma- or space-separated list of category names ("all" for
 * every one) into a TRACE_* mask.  0 and the mask, or -1 with the bad name
 * in *bad (a static copy). */
int mon_trace_parse(const char *list, uint32_t *mask, const char **bad);

/* "insn,trap" for a mask (static buffer); "none" for 0. */
const char *mon_trace_names(uint32_t mask);
/* The i-th category's name (i = 0, 1, ...), then "all", then NULL. */
const char *mon_trace_category(unsigned i);

/* Edges of the picture: from a mode (0 user, 1 kernel) through a handler
 * (a trap cause, "rfe", a VMM handler) to a mode, with a count. */
#define MON_MAX_EDGES 128
struct mon_edge {
	const char *what;	/* static (the emitters' strings) */
	const char *cause;	/* VMM exits: the machine trap's cause, else NULL */
	uint8_t from, to;
	bool vmm;		/* a VMM exit (TRACE_EXIT), else a guest trap */
	uint64_t count;
};

struct mon_sink {
	FILE *out;		/* trace lines; NULL: none */
	bool own;		/* out is ours to close */
	uint32_t print;		/* categories written to out */
	bool count;		/* count edges (trap and exit events) */
	struct mon_edge edge[MON_MAX_EDGES];
	unsigned nedges;
	uint64_t events;	/* lines written */
	struct tracer tr;	/* what to install: fn = mon_sink_event */
};

/* Set up a sink writing 'print' categories to path (NULL or "-": stderr)
 * and, if count, counting edges.  0, or -1 with a message in err. */
int mon_sink_open(struct mon_sink *s, uint32_t print, const char *path, bool count,
		  char *err, size_t errsize);
/* Change the printed categories (the file stays). */
void mon_sink_set_print(struct mon_sink *s, uint32_t print);
void mon_sink_close(struct mon_sink *s);
trace_fn mon_sink_event;

#endif /* MON_TRACESINK_H */
