/*
 * run.c - "vmlab run": load the image into a fresh machine (--bare) or a
 * fresh VM, run it to the end, report how it ended.
 */
#include "run.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hw.h"
#include "runtrace.h"
#include "vmm.h"

/*
 * --state: what the guest can observe at the end, one "name: value" line
 * each, the same names in both modes so that a bare run and a VMM run can
 * be compared with diff: pc, r1..r15, every control register as mfcr reads
 * it, the tick count, and FNV-1a (32-bit) over all of guest RAM.
 */
struct guest_state {
	uint32_t pc, r[ISA_NREGS], cr[ISA_NCR];
	uint64_t ticks;
	uint32_t ram_fnv;
};

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void print_state(const struct guest_state *g, FILE *f)
{
	fprintf(f, "pc: 0x%08x\n", g->pc);
	for (unsigned r = 1; r < ISA_NREGS; r++)
		fprintf(f, "r%u: 0x%08x\n", r, g->r[r]);
	for (unsigned c = 0; c < ISA_NCR; c++)
		fprintf(f, "%s: 0x%08x\n", isa_cr_name(c), g->cr[c]);
	fprintf(f, "ticks: %llu\n", (unsigned long long)g->ticks);
	fprintf(f, "ram_fnv1a: 0x%08x\n", g->ram_fnv);
}

static void bare_state(struct machine *m, FILE *f)
{
	struct guest_state g = { .pc = hw_get_pc(m), .ticks = hw_ticks(m),
				 .ram_fnv = fnv1a(hw_mem(m), hw_mem_size(m)) };

	for (unsigned r = 0; r < ISA_NREGS; r++)
		g.r[r] = hw_get_reg(m, r);
	for (unsigned c = 0; c < ISA_NCR; c++)
		g.cr[c] = hw_get_cr(m, c);
	print_state(&g, f);
}

/*
 * Signals.  SIGINT, SIGTERM and SIGHUP (Ctrl-C, a grader's `timeout`, a
 * closed terminal) stop the run cleanly: the handler only records the
 * signal; the run goes in slices of RUN_SLICE guest ticks and looks at it
 * between slices, then ends like any other run (what the guest printed,
 * --stats, --state, the trace and the picture are written) with status
 * 128 + the signal's number.  A second signal ends the process at once.
 * The handler can reach nothing but a global: the one piece of global
 * state here.
 */
static volatile sig_atomic_t run_signal;

#define RUN_SLICE	MON_RUN_SLICE

static void on_signal(int sig)
{
	if (run_signal) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	run_signal = sig;
}

void mon_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */

	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	/* Line by line, so that even a run killed outright (SIGKILL) leaves
	 * every complete line the guest printed in a pipe or file. */
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/*
 * The run's ticks: it starts at 'start' (0, or a snapshot's tick) and
 * --max-insns ends it at 'end' (UINT64_MAX: never); --save-at cuts a
 * slice short so that it ends exactly at the save tick.
 */
static uint64_t run_end(const struct mon_run_opts *o, uint64_t start)
{
	return o->max_insns && start + o->max_insns > start ? start + o->max_insns : UINT64_MAX;
}

/* The budget of the next slice, at tick now: up to the save tick and the
 * migration tick, each until done. */
static uint64_t next_slice(const struct mon_run_opts *o, bool saved, bool migrated,
			   uint64_t now, uint64_t end)
{
	uint64_t stop = end;

	if (o->save_file && !saved && o->save_at < stop)
		stop = o->save_at;
	if (o->migrate_to && !migrated && o->migrate_at >= now && o->migrate_at < stop)
		stop = o->migrate_at;
	return stop - now < RUN_SLICE ? stop - now : RUN_SLICE;
}

/* A budget exit at the save tick, not saved yet. */
static bool save_due(const struct mon_run_opts *o, bool saved, uint64_t now)
{
	return o->save_file && !saved && now == o->save_at;
}

int mon_run_signal(void)
{
	return run_signal;
}

/* A budget exit that only ends a slice: run on. */
static bool slice_ended(uint64_t now, uint64_t end)
{
	return !run_signal && now < end;
}

int mon_interrupted(uint32_t pc, uint64_t ticks)
{
	fflush(stdout);
	fprintf(stderr, "vmlab: interrupted by %s at pc 0x%08x after %llu ticks\n",
		run_signal == SIGINT ? "SIGINT" : run_signal == SIGTERM ? "SIGTERM" : "SIGHUP",
		pc, (unsigned long long)ticks);
	return 128 + run_signal;
}

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

/* Before the first slice: a tick option (--save-at, --migrate-at) whose
 * tick has already passed is an error. */
static int tick_passed(bool given, const char *opt, uint64_t at, uint64_t start)
{
	if (given && at < start) {
		fprintf(stderr, "vmlab: %s %llu: the run starts at tick %llu, after it\n", opt,
			(unsigned long long)at, (unsigned long long)start);
		return -1;
	}
	return 0;
}

int mon_check_save_at(const struct mon_run_opts *o, uint64_t start)
{
	return tick_passed(o->save_file, "--save-at", o->save_at, start);
}

static int check_migrate_at(const struct mon_run_opts *o, uint64_t start)
{
	return tick_passed(o->migrate_to, "--migrate-at", o->migrate_at, start);
}

/* After the run: a tick option never reached is an error ('what' was not
 * done). */
static int tick_missed(bool missed, const char *opt, uint64_t at, uint64_t now,
		       const char *what)
{
	if (missed) {
		fprintf(stderr, "vmlab: %s %llu: the run ended at tick %llu, before it; %s\n", opt,
			(unsigned long long)at, (unsigned long long)now, what);
		return -1;
	}
	return 0;
}

int mon_check_saved(const struct mon_run_opts *o, bool saved, uint64_t now)
{
	char what[300];

	snprintf(what, sizeof what, "%s not written", o->save_file ? o->save_file : "");
	return tick_missed(o->save_file && !saved, "--save-at", o->save_at, now, what);
}

static int check_migrated(const struct mon_run_opts *o, bool tried, uint64_t now)
{
	return tick_missed(o->migrate_to && !tried, "--migrate-at", o->migrate_at, now,
			   "not migrated");
}

static int open_bare(const struct mon_run_opts *o, struct machine **m)
{
	struct hw_config cfg = { .mem_mib = o->mem_mib, .cons_out = stdout,
				 .cons_in_fd = STDIN_FILENO, .disk_path = o->disk,
				 .interrupt = &run_signal, .isa = o->isa };
	char err[512];

	if (o->restore ? hw_restore(&cfg, o->restore, m, err, sizeof err)
		       : hw_new(&cfg, m, err, sizeof err)) {
		fprintf(stderr, "vmlab: %s\n", err);
		return -1;
	}
	if (!o->restore && hw_load_elf(*m, o->image, err, sizeof err)) {
		fprintf(stderr, "vmlab: %s\n", err);
		hw_free(*m);
		return -1;
	}
	return 0;
}

int mon_run_bare(const struct mon_run_opts *o)
{
	struct machine *m;
	struct hw_exit ex;
	struct mon_runtrace rt;
	enum hw_exit_reason r;
	uint64_t end;
	bool saved = false;
	char err[512];
	int status;

	if (mon_runtrace_open(&rt, o))
		return MON_EXIT_USAGE;
	if (open_bare(o, &m))
		return MON_EXIT_USAGE;
	end = run_end(o, hw_ticks(m));
	if (mon_check_save_at(o, hw_ticks(m))) {
		hw_free(m);
		return MON_EXIT_USAGE;
	}
	mon_runtrace_bare(&rt, m);
	mon_catch_signals();
	do {
		hw_set_budget(m, next_slice(o, saved, true, hw_ticks(m), end));
		r = hw_run(m, &ex);
		if (r == HW_EXIT_BUDGET && save_due(o, saved, hw_ticks(m))) {
			if (hw_save(m, o->save_file, err, sizeof err)) {
				fflush(stdout);
				fprintf(stderr, "vmlab: %s\n", err);
				hw_free(m);
				return MON_EXIT_USAGE;
			}
			saved = true;
		}
	} while (r == HW_EXIT_BUDGET && slice_ended(hw_ticks(m), end));
	switch (r) {
	case HW_EXIT_POWEROFF:
		status = (int)(ex.u.power.code & 0xff);
		break;
	case HW_EXIT_BUDGET:
		if (run_signal) {
			status = mon_interrupted(ex.pc, hw_ticks(m));
			break;
		}
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
	if (mon_check_saved(o, saved, hw_ticks(m)))
		status = MON_EXIT_USAGE;
	if (o->stats)
		hw_print_stats(m, stderr);
	if (o->state)
		bare_state(m, stderr);
	hw_free(m);
	if (mon_runtrace_close(&rt, o, false) && status == 0)
		status = MON_EXIT_USAGE;
	return status;
}

static int vmm_state(const struct vm *vm, FILE *f)
{
	uint32_t size = vmm_guest_mem_size(vm);
	uint8_t *ram = malloc(size);
	struct guest_state g = { .pc = vmm_get_pc(vm), .ticks = vmm_ticks(vm) };

	if (!ram || vmm_guest_read(vm, 0, ram, size)) {
		free(ram);
		fprintf(stderr, "vmlab: --state: out of memory\n");
		return -1;
	}
	g.ram_fnv = fnv1a(ram, size);
	free(ram);
	for (unsigned r = 0; r < ISA_NREGS; r++)
		g.r[r] = vmm_get_reg(vm, r);
	for (unsigned c = 0; c < ISA_NCR; c++)
		g.cr[c] = vmm_get_cr(vm, c);
	print_state(&g, f);
	return 0;
}

int mon_vmm_exit_status(const struct vmm_exit *ex, const char *who, uint64_t max_insns,
			enum vmm_exit_reason r)
{
	const char *w = who ? who : "", *sp = who ? " " : "";

	if (r == VMM_EXIT_POWEROFF)
		return (int)(ex->code & 0xff);
	fflush(stdout);
	switch (r) {
	case VMM_EXIT_BUDGET:
		if (!max_insns) {	/* no budget, and the VMM is stuck */
			fprintf(stderr, "vmlab: %s%sVMM failure at pc 0x%08x: %s\n", w, sp, ex->pc,
				ex->message ? ex->message : "no progress");
			return MON_EXIT_MACHINE;
		}
		fprintf(stderr, "vmlab: %s%sinstruction budget of %llu exhausted at pc 0x%08x%s%s\n",
			w, sp, (unsigned long long)max_insns, ex->pc, ex->message ? ": " : "",
			ex->message ? ex->message : "");
		return MON_EXIT_BUDGET;
	case VMM_EXIT_DOUBLE_FAULT:
		fprintf(stderr, "vmlab: %s%sdouble fault: the trap handler at pc 0x%08x faulted: "
			"%s (badva 0x%08x)\n", w, sp, ex->pc, isa_cause_name(ex->trap.cause),
			ex->trap.badva);
		return MON_EXIT_MACHINE;
	case VMM_EXIT_DEADLOCK:
		fprintf(stderr, "vmlab: %s%sdeadlock: wfi at pc 0x%08x with nothing that can wake "
			"it\n", w, sp, ex->pc);
		return MON_EXIT_MACHINE;
	default:
		fprintf(stderr, "vmlab: %s%sVMM failure at pc 0x%08x: %s\n", w, sp, ex->pc,
			ex->message ? ex->message : "unexpected stop");
		return MON_EXIT_MACHINE;
	}
}

static int open_vmm(const struct mon_run_opts *o, const struct vmm_config *cfg, struct vm **vm)
{
	char err[512];

	if (o->restore ? vmm_restore(cfg, o->restore, vm, err, sizeof err)
		       : vmm_new(cfg, vm, err, sizeof err)) {
		fprintf(stderr, "vmlab: %s\n", err);
		return -1;
	}
	if (!o->restore && vmm_load_elf(*vm, o->image, err, sizeof err)) {
		fprintf(stderr, "vmlab: %s\n", err);
		vmm_free(*vm);
		return -1;
	}
	return 0;
}

struct vmm_config mon_vmm_config(const struct mon_run_opts *o)
{
	return (struct vmm_config){ .mem_mib = o->mem_mib, .cons_out = stdout,
				    .cons_in_fd = STDIN_FILENO, .disk_path = o->disk,
				    .shadow = o->shadow_trace ? VMM_SHADOW_TRACE : VMM_SHADOW_FLUSH,
				    .isa = o->isa, .interrupt = &run_signal, .pv = o->pv,
				    .nested = o->nested, .slow_exits = o->slow_exits,
				    .trap_crs = o->trap_crs,
				    .bt = o->bt };
}

/* A budget exit at the migration tick, not tried yet. */
static bool migrate_due(const struct mon_run_opts *o, bool tried, uint64_t now)
{
	return o->migrate_to && !tried && now == o->migrate_at;
}

int mon_run_vmm(const struct mon_run_opts *o)
{
	struct vmm_config cfg = mon_vmm_config(o);
	struct vm *vm;
	struct mon_runtrace rt;

	if (mon_runtrace_open(&rt, o))
		return MON_EXIT_USAGE;
	cfg.trace = mon_runtrace_tracer(&rt);
	if (open_vmm(o, &cfg, &vm))
		return MON_EXIT_USAGE;
	return mon_run_vm(o, vm, &rt);
}

int mon_run_vm(const struct mon_run_opts *o, struct vm *vm, struct mon_runtrace *rt)
{
	struct vmm_exit ex;
	enum vmm_exit_reason r;
	uint64_t end;
	bool saved = false, tried = false, moved = false;
	char err[512];
	int status;

	end = run_end(o, vmm_ticks(vm));
	if (mon_check_save_at(o, vmm_ticks(vm)) || check_migrate_at(o, vmm_ticks(vm))) {
		vmm_free(vm);
		return MON_EXIT_USAGE;
	}
	mon_runtrace_vm(rt, vm);
	mon_catch_signals();
	do {	/* a budget exit that says why (no progress) ends the run */
		vmm_set_budget(vm, next_slice(o, saved, tried, vmm_ticks(vm), end));
		r = vmm_run(vm, &ex);
		if (r == VMM_EXIT_BUDGET && !ex.message && save_due(o, saved, vmm_ticks(vm))) {
			if (vmm_save(vm, o->save_file, err, sizeof err)) {
				fflush(stdout);
				fprintf(stderr, "vmlab: %s\n", err);
				vmm_free(vm);
				return MON_EXIT_USAGE;
			}
			saved = true;
		}
		if (r == VMM_EXIT_BUDGET && !ex.message && migrate_due(o, tried, vmm_ticks(vm))) {
			tried = true;
			if (mon_migrate(vm, o->migrate_to, o, end, &r, &ex) == MIG_MOVED) {
				moved = true;
				break;
			}
		}
	} while (r == VMM_EXIT_BUDGET && !ex.message && slice_ended(vmm_ticks(vm), end));
	if (moved)
		status = 0;
	else if (r == VMM_EXIT_BUDGET && run_signal)
		status = mon_interrupted(ex.pc, vmm_ticks(vm));
	else
		status = mon_vmm_exit_status(&ex, NULL, o->max_insns, r);
	fflush(stdout);
	if (mon_check_saved(o, saved, vmm_ticks(vm)) || check_migrated(o, tried, vmm_ticks(vm)))
		status = MON_EXIT_USAGE;
	if (o->stats) {
		hw_print_stats(vmm_machine(vm), stderr);
		vmm_print_stats(vm, stderr);
	}
	if (o->state && !moved && vmm_state(vm, stderr))
		status = MON_EXIT_USAGE;
	vmm_free(vm);
	if (mon_runtrace_close(rt, o, true) && status == 0)
		status = MON_EXIT_USAGE;
	return status;
}
