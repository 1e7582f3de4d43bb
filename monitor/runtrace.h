/*
 * runtrace.h - --trace, --trace-file and --dot for "vmlab run": a sink
 * (tracesink.h) installed on the machine or the VM before the run, the
 * picture written after it.
 */
#ifndef MON_RUNTRACE_H
#define MON_RUNTRACE_H

#include <stdbool.h>

#include "hw.h"
#include "options.h"
#include "tracesink.h"
#include "vmm.h"

struct mon_runtrace {
	bool on;		/* --trace or --dot given */
	struct mon_sink sink;
	struct vm *vm;		/* VMM runs: relays the machine's insn events */
	struct tracer relay;
	FILE *dot;		/* --dot, opened before the run so that an
				 * unwritable path is refused before it */
};

/* Open the trace file and the --dot file; 0, or -1 after a "vmlab: ..."
 * line on stderr. */
int mon_runtrace_open(struct mon_runtrace *rt, const struct mon_run_opts *o);
/* The tracer for vmm_config.trace (NULL when off); rt must outlive the VM. */
const struct tracer *mon_runtrace_tracer(struct mon_runtrace *rt);
/* Install on a bare machine, or on a VM just created. */
void mon_runtrace_bare(struct mon_runtrace *rt, struct machine *m);
void mon_runtrace_vm(struct mon_runtrace *rt, struct vm *vm);
/* Write --dot, close the trace; 0, or -1 after a message. */
int mon_runtrace_close(struct mon_runtrace *rt, const struct mon_run_opts *o, bool vmm);

#endif /* MON_RUNTRACE_H */
