/*
 * trace.c - names of the trace categories.
 */
#include "trace.h"

const char *trace_cat_name(enum trace_cat cat)
{
	switch (cat) {
	case TRACE_INSN: return "insn";
	case TRACE_TRAP: return "trap";
	case TRACE_EXIT: return "exit";
	case TRACE_SHADOW: return "shadow";
	case TRACE_IRQ: return "irq";
	case TRACE_DEV: return "dev";
	case TRACE_HCALL: return "hcall";
	case TRACE_SCHED: return "sched";
	default: return "?";
	}
}
