/*
 * run.c - "vmlab run --bare": load the image into a fresh machine, run it
 * to the end, report how it ended.
 */
#include "run.h"

#include <stdio.h>
#include <unistd.h>

#include "hw.h"

/* A one-line description of a machine failure, on stderr. */
static void report_failure(const struct hw_exit *ex)
{
	if (ex->reason == HW_EXIT_DOUBLE_FAULT)
		fprintf(stderr, "vmlab: double fault: the trap handler at pc 0x%08x faulted: %s "
			"(badva 0x%08x)\n", ex->pc, isa_cause_name(ex->u.trap.cause),
			ex->u.trap.badva);
	else if (ex->reason == HW_EXIT_DEADLOCK)
		fprintf(stderr, "vmlab: deadlock: wfi at pc 0x%08x with nothing that can wake it\n",
			ex->pc);
	else
		fprintf(stderr, "vmlab: unexpected stop (reason %d) at pc 0x%08x\n", ex->reason,
			ex->pc);
}

int mon_run_bare(const struct mon_run_opts *o)
{
	struct hw_config cfg = { .mem_mib = o->mem_mib, .cons_out = stdout,
				 .cons_in_fd = STDIN_FILENO, .disk_path = o->disk };
	struct machine *m;
	struct hw_exit ex;
	char err[512];
	int status;

	if (hw_new(&cfg, &m, err, sizeof err)) {
		fprintf(stderr, "vmlab: %s\n", err);
		return MON_EXIT_USAGE;
	}
	if (hw_load_elf(m, o->image, err, sizeof err)) {
		fprintf(stderr, "vmlab: %s\n", err);
		hw_free(m);
		return MON_EXIT_USAGE;
	}
	if (o->max_insns)
		hw_set_budget(m, o->max_insns);
	switch (hw_run(m, &ex)) {
	case HW_EXIT_POWEROFF:
		status = (int)(ex.u.power.code & 0xff);
		break;
	case HW_EXIT_BUDGET:
		fflush(stdout);
		fprintf(stderr, "vmlab: instruction budget of %llu exhausted at pc 0x%08x\n",
			(unsigned long long)o->max_insns, ex.pc);
		status = MON_EXIT_BUDGET;
		break;
	default:
		fflush(stdout);
		report_failure(&ex);
		status = MON_EXIT_MACHINE;
		break;
	}
	fflush(stdout);
	if (o->stats)
		hw_print_stats(m, stderr);
	hw_free(m);
	return status;
}
