/*
 * runtrace.c - tracing and the trap picture for "vmlab run".  See
 * runtrace.h.
 */
#include "runtrace.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dot.h"

int mon_runtrace_open(struct mon_runtrace *rt, const struct mon_run_opts *o)
{
	char err[512];

	memset(rt, 0, sizeof *rt);
	rt->on = o->trace || o->dot;
	if (!rt->on)
		return 0;
	/* "a": nothing is truncated until there is a picture to write */
	if (o->dot && !(rt->dot = fopen(o->dot, "a"))) {
		fprintf(stderr, "vmlab: %s: cannot write: %s\n", o->dot, strerror(errno));
		return -1;
	}
	if (mon_sink_open(&rt->sink, o->trace, o->trace_file, o->dot != NULL, err, sizeof err)) {
		fprintf(stderr, "vmlab: %s\n", err);
		if (rt->dot)
			fclose(rt->dot);
		return -1;
	}
	return 0;
}

const struct tracer *mon_runtrace_tracer(struct mon_runtrace *rt)
{
	return rt->on ? &rt->sink.tr : NULL;
}

void mon_runtrace_bare(struct mon_runtrace *rt, struct machine *m)
{
	if (rt->on)
		hw_set_tracer(m, &rt->sink.tr);
}

/* The machine traces instructions in its own (physical) mode and ticks;
 * the trace shows the guest's. */
static void relay_insn(void *ctx, const struct trace_event *ev)
{
	struct mon_runtrace *rt = ctx;
	struct trace_event e = *ev;

	e.kernel = e.kernel_after = vmm_guest_kernel(rt->vm);
	e.tick = vmm_ticks(rt->vm);
	mon_sink_event(&rt->sink, &e);
}

void mon_runtrace_vm(struct mon_runtrace *rt, struct vm *vm)
{
	rt->vm = vm;
	if (!rt->on || !(rt->sink.print & TRACE_INSN))
		return;
	rt->relay = (struct tracer){ .mask = TRACE_INSN, .fn = relay_insn, .ctx = rt };
	hw_set_tracer(vmm_machine(vm), &rt->relay);
}

int mon_runtrace_close(struct mon_runtrace *rt, const struct mon_run_opts *o, bool vmm)
{
	const char *name = o->image ? o->image : o->restore;
	const char *slash;
	int r = 0;

	if (!rt->on)
		return 0;
	slash = rt->dot && name ? strrchr(name, '/') : NULL;	/* --dot: one image */
	if (rt->dot) {
		struct stat st;
		bool ok = true;

		/* a regular file is replaced; a pipe or a terminal just written */
		if (fstat(fileno(rt->dot), &st) == 0 && S_ISREG(st.st_mode))
			ok = ftruncate(fileno(rt->dot), 0) == 0;
		if (ok) {
			ok = dot_traps(rt->dot, &rt->sink, vmm, slash ? slash + 1 : name) == 0
			     && !ferror(rt->dot);
		}
		if (fclose(rt->dot) != 0)
			ok = false;
		if (!ok) {
			fprintf(stderr, "vmlab: %s: cannot write: %s\n", o->dot, strerror(errno));
			r = -1;
		}
		rt->dot = NULL;
	}
	mon_sink_close(&rt->sink);
	return r;
}
