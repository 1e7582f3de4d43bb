/*
 * cmd_run.c - running and stopping the guest: continue, step, next,
 * until-trap, finish, reset; breakpoints, watchpoints, catchpoints.
 *
 * Every run goes through go(): the guest runs in slices of SLICE ticks so
 * that Ctrl-C (mon_interrupt) stops it within a slice, and every stop is
 * reported as one "stop ..." line followed by the next instruction
 * (README.md, "Stops").  With --max-insns, the slices also count down the
 * session's budget: once it is spent the run stops ("stop budget") and
 * the session ends with MON_EXIT_BUDGET.
 */
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "options.h"
#include "shell.h"

#define SLICE 1000000u	/* ticks between two looks at mon_interrupt */

struct run_req {
	const char *name;	/* reported for until stops: "next", "finish" */
	uint64_t steps;		/* step mode: this many steps; 0: run */
	bool until;		/* stop at until_pc with sp >= until_sp */
	uint32_t until_pc, until_sp;
	bool any_trap;		/* until-trap */
	bool quiet;		/* do not report reaching the goal (next N) */
	unsigned until_vm;	/* the VM the until point is in (--vm) */
};

static struct target *T(struct mon_shell *sh) { return sh->t; }

static const char *mode_name(bool k) { return k ? "K" : "U"; }

void mon_print_where(struct mon_shell *sh, uint32_t pc)
{
	struct target *t = T(sh);
	char sym[96], dis[128];
	const char *why;
	uint32_t w;

	if (tgt_symbolize(t, pc, sym, sizeof sym))
		fprintf(sh->out, "=> 0x%08x <%s>: ", pc, sym);
	else
		fprintf(sh->out, "=> 0x%08x: ", pc);
	if (tgt_virt_read(t, pc, &w, 4, &why)) {
		fprintf(sh->out, "(cannot read: %s)\n", why);
		return;
	}
	isa_disasm(w, pc, dis, sizeof dis, tgt_symbolizer, t);
	fprintf(sh->out, "%s\n", dis);
}

/* Start the shell's next line on a fresh line: after guest output that
 * left a line open on the stream the shell writes to ("kernel trap" with
 * no newline), or always (force: after the terminal echoed "^C"). */
static void fresh_line(struct mon_shell *sh, bool force)
{
	struct target *t = T(sh);
	int last;
	uint64_t n = t->ops->cons_out(t, &last);

	if (force || (n != sh->cons_seen && last >= 0 && last != '\n'
		      && sh->cfg.cons_out == sh->out))
		fputc('\n', sh->out);
	sh->cons_seen = n;
}

void mon_report(struct mon_shell *sh, const char *what)
{
	struct target *t = T(sh);
	uint32_t pc = t->ops->get_pc(t);

	const char *vm = mon_vm_label(sh, tgt_current(t));

	fresh_line(sh, false);
	fprintf(sh->out, "stop %s%s%s pc=0x%08x mode=%s ticks=%llu\n", what, vm ? " vm=" : "",
		vm ? vm : "", pc, mode_name(t->ops->kernel(t)), (unsigned long long)t->ops->ticks(t));
	if (!sh->dead)
		mon_print_where(sh, pc);
}

/* --- points ------------------------------------------------------------------- */

static struct mon_point *new_point(struct mon_shell *sh, enum mon_point_kind kind)
{
	for (unsigned i = 0; i < MON_MAX_POINTS; i++)
		if (!sh->pt[i].id) {
			sh->pt[i] = (struct mon_point){ .id = ++sh->next_id, .kind = kind,
							.vm = tgt_current(T(sh)) };
			return &sh->pt[i];
		}
	return NULL;
}

const char *mon_catch_name(unsigned what)
{
	switch (what) {
	case CATCH_POWEROFF: return "poweroff";
	case CATCH_DOUBLE_FAULT: return "double-fault";
	case CATCH_DEADLOCK: return "deadlock";
	case CATCH_NKIND: return "all";
	default: return what < ISA_NCAUSE ? isa_cause_name(what) : "?";
	}
}

int mon_catch_parse(const char *s)
{
	for (unsigned i = 1; i <= CATCH_NKIND; i++)
		if (!strcmp(s, mon_catch_name(i)) && strcmp(s, "reserved"))
			return (int)i;
	return -1;
}

void mon_select(struct mon_shell *sh, unsigned i)
{
	struct target *t = T(sh);

	if (t->ops->select && tgt_current(t) != i)
		t->ops->select(t, i);
}

const char *mon_vm_label(const struct mon_shell *sh, unsigned i)
{
	struct host *h = sh->t->ops->host_of ? sh->t->ops->host_of(sh->t) : NULL;

	return h ? host_vm_name(host_vm(h, i)) : NULL;
}

/* The trap causes the catchpoints want, and whether one wants them all. */
uint32_t mon_catch_mask(const struct mon_shell *sh, unsigned vm, bool *all)
{
	uint32_t m = 0;

	*all = false;
	for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
		const struct mon_point *p = &sh->pt[i];

		if (!p->id || p->kind != PT_CATCH || p->vm != vm)
			continue;
		if (p->what < ISA_NCAUSE)
			m |= 1u << p->what;
		else if (p->what == CATCH_NKIND)
			*all = true;
	}
	return m;
}

static struct mon_point *find_catch(struct mon_shell *sh, unsigned what, unsigned vm)
{
	for (unsigned i = 0; i < MON_MAX_POINTS; i++)
		if (sh->pt[i].id && sh->pt[i].kind == PT_CATCH && sh->pt[i].vm == vm
		    && (sh->pt[i].what == what || (what < ISA_NCAUSE && sh->pt[i].what == CATCH_NKIND)))
			return &sh->pt[i];
	return NULL;
}

/* The breakpoint at pc for the current VM and mode, if any. */
static struct mon_point *find_break(struct mon_shell *sh, uint32_t pc)
{
	int k = T(sh)->ops->kernel(T(sh));
	unsigned vm = tgt_current(T(sh));

	for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
		struct mon_point *p = &sh->pt[i];

		if (p->id && p->kind == PT_BREAK && p->vm == vm && p->addr == pc
		    && (p->mode < 0 || p->mode == k))
			return p;
	}
	return NULL;
}

/* --- the run engine -------------------------------------------------------------- */

static void stop_text(char *buf, size_t size, const char *what, const struct tgt_stop_info *si)
{
	int n = snprintf(buf, size, "%s %s from=%s at=0x%08x badva=0x%08x", what,
			 isa_cause_name(si->trap.cause), mode_name(si->trap.kernel), si->trap.pc,
			 si->trap.badva);

	if (si->trap.handler && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " handler=%s", si->trap.handler);
}

/* Handle one stop of the target; true if the run ends here (reported). */
static bool handle(struct mon_shell *sh, const struct run_req *rq, const struct tgt_stop_info *si)
{
	struct target *t = T(sh);
	struct mon_point *p;
	char buf[256];

	switch (si->reason) {
	case TGT_STEP:
	case TGT_BUDGET:
		return false;
	case TGT_BREAK:
		if (rq->until && si->pc == rq->until_pc && si->vm == rq->until_vm
		    && t->ops->get_reg(t, ISA_R_SP) >= rq->until_sp) {
			if (!rq->quiet)
				mon_report(sh, rq->name);
			return true;
		}
		if (!(p = find_break(sh, si->pc)))
			return false;	/* another mode's, or a deeper frame's */
		p->hits++;
		snprintf(buf, sizeof buf, "breakpoint %u", p->id);
		mon_report(sh, buf);
		return true;
	case TGT_WATCH:
		for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
			p = &sh->pt[i];
			if (p->id && p->kind == PT_WATCH && p->vm == si->vm
			    && (p->addr & ~3u) == (si->watch.addr & ~3u)) {
				p->hits++;
				break;
			}
			p = NULL;
		}
		snprintf(buf, sizeof buf, "watchpoint %u addr=0x%08x old=0x%08x new=0x%08x",
			 p ? p->id : 0, si->watch.addr, si->watch.old, si->watch.new_);
		mon_report(sh, buf);
		return true;
	case TGT_TRAP:
		if (rq->any_trap) {
			stop_text(buf, sizeof buf, "trap", si);
			mon_report(sh, buf);
			return true;
		}
		if (!(p = find_catch(sh, si->trap.cause, si->vm)))
			return false;
		p->hits++;
		snprintf(buf, sizeof buf, "catch %u", p->id);
		stop_text(buf + strlen(buf), sizeof buf - strlen(buf), "", si);
		mon_report(sh, buf);
		return true;
	case TGT_POWEROFF:
		sh->dead = !si->others;
		p = find_catch(sh, CATCH_POWEROFF, si->vm);
		snprintf(buf, sizeof buf, "%s%.0u%spoweroff code=%u", p ? "catch " : "", p ? p->id : 0,
			 p ? " " : "", si->code);
		mon_report(sh, buf);
		return true;
	case TGT_DOUBLE_FAULT:
		sh->dead = !si->others;
		p = find_catch(sh, CATCH_DOUBLE_FAULT, si->vm);
		snprintf(buf, sizeof buf, "%s%.0u%sdouble-fault cause=%s badva=0x%08x",
			 p ? "catch " : "", p ? p->id : 0, p ? " " : "",
			 isa_cause_name(si->trap.cause), si->trap.badva);
		mon_report(sh, buf);
		return true;
	case TGT_DEADLOCK:
		sh->dead = !si->others;
		p = find_catch(sh, CATCH_DEADLOCK, si->vm);
		snprintf(buf, sizeof buf, "%s%.0u%sdeadlock", p ? "catch " : "", p ? p->id : 0,
			 p ? " " : "");
		mon_report(sh, buf);
		return true;
	case TGT_FAILURE:
		sh->dead = !si->others;
		snprintf(buf, sizeof buf, "failure %s", si->message ? si->message : "");
		mon_report(sh, buf);
		return true;
	}
	return false;
}

/* Each VM stops on the traps its catchpoints want (any: on every trap). */
static void stop_on_all(struct mon_shell *sh, bool any)
{
	struct target *t = T(sh);
	unsigned cur = tgt_current(t);

	for (unsigned i = 0; i < tgt_nvms(t); i++) {
		bool all;
		uint32_t mask;

		mon_select(sh, i);
		mask = mon_catch_mask(sh, i, &all);
		t->ops->stop_on(t, mask, all || any);
	}
	mon_select(sh, cur);
}

/* Run as rq says.  0 when it reached its goal (the steps, the until
 * point), 1 when something else stopped it (reported), -1 on error. */
static int go(struct mon_shell *sh, struct run_req *rq)
{
	struct target *t = T(sh);
	struct tgt_stop_info si;
	uint64_t done = 0, before, slice;
	bool over_bp = false;
	int res = 1;

	if (sh->dead)
		return mon_error(sh, "the guest has stopped for good; 'reset' starts it again");
	rq->until_vm = tgt_current(t);
	if (rq->until && t->ops->break_add(t, rq->until_pc))
		return mon_error(sh, "too many breakpoints for '%s'", rq->name);
	stop_on_all(sh, rq->any_trap);
	for (;;) {
		bool step = rq->steps || over_bp;

		if (mon_interrupt) {
			mon_interrupt = 0;
			fresh_line(sh, sh->interactive);	/* after the terminal's "^C" */
			mon_report(sh, "interrupted");
			break;
		}
		if (sh->budgeted && sh->budget_left == 0) {
			mon_report(sh, "budget");
			sh->status = MON_EXIT_BUDGET;
			sh->quit = true;
			break;
		}
		mon_tt_note(sh);
		before = t->ops->clock(t);
		slice = sh->budgeted && sh->budget_left < SLICE ? sh->budget_left : SLICE;
		if (mon_tt_budget(sh) && mon_tt_budget(sh) < slice)
			slice = mon_tt_budget(sh);
		t->ops->set_budget(t, step ? HW_NO_BUDGET : slice);
		t->ops->run(t, step, &si);
		if (sh->budgeted) {
			uint64_t used = t->ops->clock(t) - before;

			/* 'reset' inside a run cannot happen; a wfi sleep counts */
			sh->budget_left -= used < sh->budget_left ? used : sh->budget_left;
		}
		over_bp = false;
		if (handle(sh, rq, &si)) {
			if (rq->until && si.reason == TGT_BREAK && si.pc == rq->until_pc
			    && si.vm == rq->until_vm && !find_break(sh, si.pc))
				res = 0;
			break;
		}
		if (si.reason == TGT_BREAK)
			over_bp = true;		/* not ours: step over it */
		if (rq->steps && si.reason != TGT_BUDGET && si.reason != TGT_BREAK
		    && ++done == rq->steps) {
			if (!rq->quiet)
				mon_report(sh, rq->name);
			res = 0;
			break;
		}
	}
	if (rq->until) {
		unsigned cur = tgt_current(t);

		mon_select(sh, rq->until_vm);
		t->ops->break_del(t, rq->until_pc);
		mon_select(sh, cur);
	}
	t->ops->set_budget(t, HW_NO_BUDGET);
	stop_on_all(sh, false);
	return res;
}

/* --- commands ---------------------------------------------------------------------- */

static int count_arg(struct mon_shell *sh, int argc, char **argv, uint64_t *n)
{
	uint32_t v;

	*n = 1;
	if (argc > 1)
		return mon_error(sh, "too many arguments");
	if (argc == 1) {
		if (mon_eval(sh, argv[0], &v))
			return -1;
		/* Values are 32-bit words: "-1" would be 4294967295 steps. */
		if (v == 0 || v > INT32_MAX)
			return mon_error(sh, "the count must be from 1 to %d", INT32_MAX);
		*n = v;
	}
	return 0;
}

int cmd_continue(struct mon_shell *sh, int argc, char **argv)
{
	struct run_req rq = { .name = "continue" };

	(void)argv;
	if (argc)
		return mon_error(sh, "continue takes no arguments");
	return go(sh, &rq) < 0 ? -1 : 0;
}

int cmd_step(struct mon_shell *sh, int argc, char **argv)
{
	struct run_req rq = { .name = "step" };

	if (count_arg(sh, argc, argv, &rq.steps))
		return -1;
	return go(sh, &rq) < 0 ? -1 : 0;
}

/* A call: jal or jalr that writes ra. */
static bool at_call(struct mon_shell *sh, uint32_t pc)
{
	uint32_t w;
	const char *why;
	struct isa_insn d;

	if (tgt_virt_read(T(sh), pc, &w, 4, &why))
		return false;
	d = isa_decode(w);
	return (d.op == ISA_OP_jal || d.op == ISA_OP_jalr) && d.rd == ISA_R_RA;
}

int cmd_next(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = T(sh);
	uint64_t n;
	int r = 0;

	if (count_arg(sh, argc, argv, &n))
		return -1;
	for (uint64_t i = 0; i < n && r == 0; i++) {
		uint32_t pc = t->ops->get_pc(t);
		struct run_req rq = { .name = "next", .steps = 1, .quiet = i + 1 < n };

		if (at_call(sh, pc)) {
			rq.steps = 0;
			rq.until = true;
			rq.until_pc = pc + 4;
			rq.until_sp = t->ops->get_reg(t, ISA_R_SP);
		}
		r = go(sh, &rq);
	}
	return r < 0 ? -1 : 0;
}

int cmd_until_trap(struct mon_shell *sh, int argc, char **argv)
{
	struct run_req rq = { .name = "until-trap", .any_trap = true };

	(void)argv;
	if (argc)
		return mon_error(sh, "until-trap takes no arguments");
	return go(sh, &rq) < 0 ? -1 : 0;
}

int cmd_finish(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = T(sh);
	struct run_req rq = { .name = "finish", .until = true };

	(void)argv;
	if (argc)
		return mon_error(sh, "finish takes no arguments");
	rq.until_pc = t->ops->get_reg(t, ISA_R_RA);
	rq.until_sp = t->ops->get_reg(t, ISA_R_SP);
	if (rq.until_pc & 3)
		return mon_error(sh, "ra = 0x%08x is not a return address", rq.until_pc);
	return go(sh, &rq) < 0 ? -1 : 0;
}

int cmd_reset(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = T(sh);
	char err[512];

	(void)argv;
	if (argc)
		return mon_error(sh, "reset takes no arguments");
	if (t->ops->load(t, t->image, err, sizeof err))
		return mon_error(sh, "%s", err);
	if (mon_vm_label(sh, 0))	/* a new host: new VMs */
		mon_points_reapply(sh);
	sh->dead = false;
	mon_tt_reset(sh);
	mon_report(sh, "reset");
	return 0;
}

int cmd_break(struct mon_shell *sh, int argc, char **argv)
{
	struct mon_point *p;
	uint32_t va;
	int mode = -1;
	char sym[96];

	if (argc < 1 || argc > 2)
		return mon_error(sh, "usage: break ADDR [kernel|user]");
	if (mon_eval(sh, argv[0], &va))
		return -1;
	if (argc == 2) {
		if (!strcmp(argv[1], "kernel"))
			mode = 1;
		else if (!strcmp(argv[1], "user"))
			mode = 0;
		else
			return mon_error(sh, "'%s': the mode is kernel or user", argv[1]);
	}
	if (va & 3)
		return mon_error(sh, "0x%08x is not a multiple of 4: no instruction starts there", va);
	if (!(p = new_point(sh, PT_BREAK)) || T(sh)->ops->break_add(T(sh), va)) {
		if (p)
			p->id = 0;
		return mon_error(sh, "too many breakpoints");
	}
	p->addr = va;
	p->mode = mode;
	fprintf(sh->out, "breakpoint %u at 0x%08x", p->id, va);
	if (tgt_symbolize(T(sh), va, sym, sizeof sym))
		fprintf(sh->out, " <%s>", sym);
	fprintf(sh->out, "%s\n", mode < 0 ? "" : mode ? " kernel" : " user");
	return 0;
}

/* What a watchpoint watches, the same words when it is set and in 'info
 * breakpoints': "0x... virtual", "0x... physical", and under the VMM,
 * which watches guest-physical words, "0x... physical (virtual 0x...,
 * translated when set)". */
static void watch_text(char *buf, size_t size, const struct mon_point *p)
{
	int n = snprintf(buf, size, "0x%08x %s", p->addr, p->physical ? "physical" : "virtual");

	if (p->translated && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " (virtual 0x%08x, translated when set)", p->va);
}

int cmd_watch(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = T(sh);
	struct mon_point *p;
	bool physical = false;
	uint32_t addr, match;
	const char *why = "";
	char buf[96];

	if (argc >= 1 && !strcmp(argv[0], "-p")) {
		physical = true;
		argc--;
		argv++;
	}
	if (argc != 1)
		return mon_error(sh, "usage: watch [-p] ADDR");
	if (mon_eval(sh, argv[0], &addr))
		return -1;
	match = addr;
	if (!physical && t->ops->vm) {	/* the VMM watches guest-physical words */
		struct tgt_walk w;

		tgt_walk(t, addr, &w);
		if (w.fault)
			return mon_error(sh, "0x%08x is not mapped now (%s); watch -p a physical address",
					 addr, w.fault);
		match = w.pa;
	}
	if (physical && addr >= t->ops->mem_size(t))	/* no store can ever reach it */
		return mon_error(sh, "cannot watch guest-physical 0x%08x: outside guest RAM (%u KiB)",
				 addr, t->ops->mem_size(t) >> 10);
	if (!(p = new_point(sh, PT_WATCH)))
		return mon_error(sh, "too many watchpoints");
	if (t->ops->watch_add(t, match, physical || t->ops->vm, &why)) {
		p->id = 0;
		return mon_error(sh, "cannot watch 0x%08x: %s", addr, why);
	}
	p->addr = match;
	p->physical = physical || t->ops->vm;
	p->translated = !physical && t->ops->vm;
	p->va = addr;
	watch_text(buf, sizeof buf, p);
	fprintf(sh->out, "watchpoint %u at %s\n", p->id, buf);
	return 0;
}

int cmd_catch(struct mon_shell *sh, int argc, char **argv)
{
	struct mon_point *p;
	int what;

	if (argc != 1)
		return mon_error(sh, "usage: catch CAUSE|all|poweroff|double-fault|deadlock");
	if ((what = mon_catch_parse(argv[0])) < 0)
		return mon_error(sh, "'%s' is not a trap cause (syscall, pf-load, timer, ...) nor "
				 "poweroff, double-fault, deadlock, all", argv[0]);
	if (!(p = new_point(sh, PT_CATCH)))
		return mon_error(sh, "too many catchpoints");
	p->what = (unsigned)what;
	fprintf(sh->out, "catchpoint %u %s\n", p->id, mon_catch_name(p->what));
	return 0;
}

/* Watchpoints can only be cleared all at once: put the others of the
 * current VM back. */
static void rewatch(struct mon_shell *sh)
{
	struct target *t = T(sh);
	unsigned vm = tgt_current(t);
	const char *why;

	t->ops->watch_clear(t);
	for (unsigned i = 0; i < MON_MAX_POINTS; i++)
		if (sh->pt[i].id && sh->pt[i].kind == PT_WATCH && sh->pt[i].vm == vm)
			t->ops->watch_add(t, sh->pt[i].addr, sh->pt[i].physical, &why);
}

void mon_points_reapply(struct mon_shell *sh)
{
	struct target *t = T(sh);
	unsigned cur = tgt_current(t);

	for (unsigned v = 0; v < tgt_nvms(t); v++) {
		mon_select(sh, v);
		for (unsigned i = 0; i < MON_MAX_POINTS; i++)
			if (sh->pt[i].id && sh->pt[i].kind == PT_BREAK && sh->pt[i].vm == v)
				t->ops->break_add(t, sh->pt[i].addr);
		rewatch(sh);
	}
	mon_select(sh, cur);
}

static void delete_point(struct mon_shell *sh, struct mon_point *p)
{
	enum mon_point_kind kind = p->kind;
	unsigned cur = tgt_current(T(sh));

	mon_select(sh, p->vm);
	if (kind == PT_BREAK)
		T(sh)->ops->break_del(T(sh), p->addr);
	p->id = 0;
	if (kind == PT_WATCH)
		rewatch(sh);
	mon_select(sh, cur);
}

int cmd_delete(struct mon_shell *sh, int argc, char **argv)
{
	if (argc == 0) {
		for (unsigned i = 0; i < MON_MAX_POINTS; i++)
			if (sh->pt[i].id)
				delete_point(sh, &sh->pt[i]);
		return 0;
	}
	for (int a = 0; a < argc; a++) {
		char *end;
		unsigned long id = strtoul(argv[a], &end, 10);
		unsigned i;

		for (i = 0; i < MON_MAX_POINTS; i++)
			if (*end == '\0' && id && sh->pt[i].id == id)
				break;
		if (i == MON_MAX_POINTS)
			return mon_error(sh, "no breakpoint, watchpoint or catchpoint %s", argv[a]);
		delete_point(sh, &sh->pt[i]);
	}
	return 0;
}

int cmd_info_breakpoints(struct mon_shell *sh, int argc, char **argv)
{
	bool any = false;
	char sym[96];

	(void)argv;
	if (argc)
		return mon_error(sh, "usage: info breakpoints");
	for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
		const struct mon_point *p = &sh->pt[i];

		if (!p->id)
			continue;
		any = true;
		switch (p->kind) {
		case PT_BREAK:
			fprintf(sh->out, "%u breakpoint 0x%08x", p->id, p->addr);
			if (tgt_symbolize(sh->t, p->addr, sym, sizeof sym))
				fprintf(sh->out, " <%s>", sym);
			fprintf(sh->out, " %s", p->mode < 0 ? "any" : p->mode ? "kernel" : "user");
			break;
		case PT_WATCH:
			watch_text(sym, sizeof sym, p);
			fprintf(sh->out, "%u watchpoint %s", p->id, sym);
			break;
		case PT_CATCH:
			fprintf(sh->out, "%u catchpoint %s", p->id, mon_catch_name(p->what));
			break;
		}
		if (mon_vm_label(sh, p->vm))
			fprintf(sh->out, " vm=%s", mon_vm_label(sh, p->vm));
		fprintf(sh->out, " hits=%llu\n", (unsigned long long)p->hits);
	}
	if (!any)
		fputs("no breakpoints, watchpoints or catchpoints\n", sh->out);
	return 0;
}
