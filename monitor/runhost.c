/*
 * runhost.c - "vmlab run --vm A --vm B ...": many VMs on one machine
 * (vm/vmm/host.h).  Each VM's console goes to DIR/NAME.out, or to stdout
 * with every line prefixed "NAME| "; stdin goes to one VM.
 */
#define _GNU_SOURCE		/* fopencookie */
#include "run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "runtrace.h"
#include "schedpic.h"
#include "tracesink.h"
#include "vmm.h"

_Static_assert(MON_MAXVM == HOST_MAXVM, "the command line's VM limit is the host's");

/* A console output stream that starts every line with "NAME| ". */
struct prefixed {
	char prefix[HOST_NAME_MAX_LEN + 2];
	bool bol;		/* at the beginning of a line */
};

static ssize_t prefixed_write(void *cookie, const char *buf, size_t n)
{
	struct prefixed *p = cookie;

	for (size_t i = 0; i < n; i++) {
		if (p->bol)
			fputs(p->prefix, stdout);
		putchar(buf[i]);
		p->bol = buf[i] == '\n';
	}
	return (ssize_t)n;
}

static int prefixed_close(void *cookie)
{
	struct prefixed *p = cookie;

	if (!p->bol)		/* an unfinished last line still ends one */
		putchar('\n');
	fflush(stdout);
	free(p);
	return 0;
}

static FILE *console_out(const struct mon_run_opts *o, const char *name)
{
	if (o->console_dir) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof path, "%s/%s.out", o->console_dir, name);
		f = fopen(path, "w");
		if (!f)
			fprintf(stderr, "vmlab: %s: %s\n", path, strerror(errno));
		return f;
	} else {
		cookie_io_functions_t io = { .write = prefixed_write, .close = prefixed_close };
		struct prefixed *p = calloc(1, sizeof *p);
		FILE *f;

		if (!p)
			return NULL;
		snprintf(p->prefix, sizeof p->prefix, "%s| ", name);
		p->bol = true;
		f = fopencookie(p, "w", io);
		if (!f)
			free(p);
		else
			setvbuf(f, NULL, _IOLBF, 0);
		return f;
	}
}

/* The per-VM tracers: each event goes to the run's sink with "vm=NAME"
 * in front of its text. */
static void vm_trace_event(void *ctx, const struct trace_event *ev)
{
	const struct mon_vm_tracer *t = ctx;
	struct trace_event e = *ev;
	char text[320];

	if (ev->cat == TRACE_SCHED) {	/* the host's: names its VMs itself */
		t->to->fn(t->to->ctx, ev);
		return;
	}
	snprintf(text, sizeof text, "vm=%s%s%s", t->name, ev->text && *ev->text ? " " : "",
		 ev->text ? ev->text : "");
	e.text = text;
	t->to->fn(t->to->ctx, &e);
}

/* The status of the run and one line per VM that did not power off 0. */
static int host_status(struct host *h, const struct mon_run_opts *o)
{
	int status = 0, first_code = 0;
	bool machine = false, budget = false;

	for (unsigned i = 0; i < host_nvms(h); i++) {
		const struct vmm_exit *ex = host_vm_exit(h, i);
		char who[HOST_NAME_MAX_LEN + 2];
		int s;

		snprintf(who, sizeof who, "%s:", host_vm_name(host_vm(h, i)));
		s = mon_vmm_exit_status(ex, who, o->max_insns, ex->reason);
		if (ex->reason == VMM_EXIT_POWEROFF) {
			if (s && !first_code)
				first_code = s;
			if (s)
				fprintf(stderr, "vmlab: %s powered off with %d\n", who, s);
		} else if (s == MON_EXIT_BUDGET) {
			budget = true;
		} else {
			machine = true;
		}
	}
	status = machine ? MON_EXIT_MACHINE : budget ? MON_EXIT_BUDGET : first_code;
	return status;
}

/* Each line of buf (from open_memstream) on f as PREFIX_line; frees buf. */
static void emit_prefixed(FILE *f, const char *prefix, char *buf)
{
	char *line, *save = NULL;

	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		fprintf(f, "%s_%s\n", prefix, line);
	free(buf);
}

void mon_host_print_stats(struct host *h, FILE *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	host_print_stats(h, f);
	/* The machine's counters (TLB, walks, VM exits), as machine_NAME. */
	if ((m = open_memstream(&buf, &len))) {
		hw_print_stats(vmm_machine(host_vm(h, 0)), m);
		fclose(m);
		emit_prefixed(f, "machine", buf);
	}
	for (unsigned i = 0; i < host_nvms(h); i++) {
		struct vm *vm = host_vm(h, i);

		buf = NULL;
		if (!(m = open_memstream(&buf, &len)))
			continue;
		vmm_print_stats(vm, m);
		fclose(m);
		emit_prefixed(f, host_vm_name(vm), buf);
	}
}

static int schedule(struct mon_schedpic *pic, struct host *h, const struct mon_run_opts *o)
{
	const char *names[HOST_MAXVM];
	struct host_stats st;
	char title[128];
	int r;

	for (unsigned i = 0; i < host_nvms(h); i++)
		names[i] = host_vm_name(host_vm(h, i));
	host_get_stats(h, &st);
	snprintf(title, sizeof title, "%s, quantum %llu, %s time%s",
		 o->sched_credit ? (o->no_boost ? "credit without boost" : "credit") : "round robin",
		 (unsigned long long)(o->quantum ? o->quantum : HOST_QUANTUM_DEFAULT),
		 o->time_real ? "real" : "virtual", o->idle_in_wfi ? ", idle in wfi" : "");
	r = mon_schedpic_close(pic, names, host_nvms(h), st.now, title);
	pic->f = NULL;
	return r;
}

int mon_host_setup(struct mon_host_setup *s, const struct mon_run_opts *o,
		   const struct tracer *tr, int cons_in_fd, uint64_t budget)
{
	memset(s, 0, sizeof *s);
	s->hc = (struct host_config){
		.sched = o->sched_credit ? HOST_SCHED_CREDIT : HOST_SCHED_RR,
		.time = o->time_real ? HOST_TIME_REAL : HOST_TIME_VIRTUAL,
		.quantum = o->quantum, .idle_in_wfi = o->idle_in_wfi, .no_boost = o->no_boost,
		.budget = budget,
	};
	for (; s->n < o->nvms; s->n++) {
		unsigned n = s->n;
		const struct mon_vm_opts *v = &o->vm[n];
		char buf[MON_VM_NAME_BUF];
		const char *name = mon_vm_name(o, n, buf);
		bool in = o->console_in ? !strcmp(o->console_in, name) : n == 0;

		s->vt[n] = (struct mon_vm_tracer){ .to = tr, .name = v->name ? v->name : "" };
		s->vt[n].tr = (struct tracer){ .mask = tr ? tr->mask : 0,
					       .fn = tr ? vm_trace_event : NULL, .ctx = &s->vt[n] };
		s->vc[n] = (struct vmm_config){
			.mem_mib = v->mem_mib ? v->mem_mib : o->mem_mib, .cons_in_fd = in ? cons_in_fd : -1,
			.disk_path = v->disk, .trace = tr ? &s->vt[n].tr : NULL,
			.shadow = o->shadow_trace ? VMM_SHADOW_TRACE : VMM_SHADOW_FLUSH,
			.nested = o->nested,
			.cons_out = console_out(o, name), .isa = o->isa,
			.pv = v->pv == MON_PV_ASK ? o->pv : v->pv == MON_PV_YES,
			.slow_exits = o->slow_exits,
			.trap_crs = o->trap_crs,
		};
		s->hv[n] = (struct host_vm_config){ .vm = &s->vc[n], .name = v->name,
						    .weight = v->weight, .cap = v->cap };
		s->image[n] = v->image;
		if (!s->vc[n].cons_out) {
			mon_host_setup_close(s);
			return -1;
		}
	}
	return 0;
}

void mon_host_setup_close(struct mon_host_setup *s)
{
	for (unsigned i = 0; i < MON_MAXVM; i++)
		if (s->vc[i].cons_out) {
			fclose(s->vc[i].cons_out);
			s->vc[i].cons_out = NULL;
		}
	fflush(stdout);
}

int mon_host_make(struct mon_host_setup *s, const char *restore, const uint8_t *state,
		  size_t len, struct host **out, char *err, size_t errsize)
{
	struct host *h;

	*out = NULL;
	if (restore || state ? host_restore(&s->hc, s->hv, s->n, restore, state, len, &h, err,
					    errsize)
			     : host_new(&s->hc, s->hv, s->n, &h, err, errsize))
		return -1;
	for (unsigned i = 0; i < s->n; i++)
		s->vt[i].name = host_vm_name(host_vm(h, i));
	for (unsigned i = 0; i < s->n && !restore && !state; i++) {
		char why[400];

		if (vmm_load_elf(host_vm(h, i), s->image[i], why, sizeof why)) {
			snprintf(err, errsize, "%s: %s", host_vm_name(host_vm(h, i)), why);
			host_free(h);
			return -1;
		}
	}
	*out = h;
	return 0;
}

/* Run until every VM has stopped or a signal came; with --save-at, save
 * the host when its clock reaches the tick (the turn in progress goes on).
 * 0, or -1 after a line on stderr. */
static int run_all(struct host *h, const struct mon_run_opts *o)
{
	bool saved = false;
	char err[512];

	if (mon_check_save_at(o, host_clock(h)))
		return -1;
	while (!mon_run_signal()) {
		struct vmm_exit ex;
		unsigned who;
		uint64_t now = host_clock(h), until;

		if (!o->save_file || saved) {
			if (!host_run_turn(h))
				break;
			continue;
		}
		until = o->save_at - now < MON_RUN_SLICE ? o->save_at : now + MON_RUN_SLICE;
		if (now < o->save_at
		    && host_run_until(h, false, until, &who, &ex) == VMM_NEXIT)
			break;
		if (host_clock(h) < o->save_at)
			continue;
		if (host_save(h, o->save_file, err, sizeof err)) {
			fflush(stdout);
			fprintf(stderr, "vmlab: %s\n", err);
			return -1;
		}
		saved = true;
	}
	return mon_check_saved(o, saved || mon_run_signal(), host_clock(h));
}

int mon_run_host(const struct mon_run_opts *o)
{
	struct mon_host_setup s;
	struct mon_runtrace rt;
	struct mon_schedpic pic;
	struct host *h = NULL;
	char err[512];
	int status = MON_EXIT_USAGE;

	if (mon_schedpic_open(&pic, o->schedule))
		return MON_EXIT_USAGE;
	if (mon_runtrace_open(&rt, o)) {
		mon_schedpic_close(&pic, NULL, 0, 0, "");
		return MON_EXIT_USAGE;
	}
	if (mon_host_setup(&s, o, mon_runtrace_tracer(&rt), STDIN_FILENO, o->max_insns))
		goto out;
	if (mon_host_make(&s, o->restore, NULL, 0, &h, err, sizeof err)) {
		fprintf(stderr, "vmlab: %s\n", err);
		goto out;
	}
	if (pic.f)
		host_set_turn_hook(h, mon_schedpic_turn, &pic);
	mon_catch_signals();
	if (run_all(h, o))
		goto out;
	if (mon_run_signal()) {
		fflush(stdout);
		fprintf(stderr, "vmlab: interrupted by signal %d after %llu host ticks\n",
			mon_run_signal(), (unsigned long long)host_clock(h));
		status = 128 + mon_run_signal();
	} else {
		status = host_status(h, o);
	}
	if (o->stats)
		mon_host_print_stats(h, stderr);
	if (pic.f && schedule(&pic, h, o) && status == 0)
		status = MON_EXIT_USAGE;
out:
	if (pic.f)		/* not written: an error came first */
		mon_schedpic_close(&pic, NULL, 0, 0, "");
	host_free(h);		/* flushes the consoles */
	mon_host_setup_close(&s);
	if (mon_runtrace_close(&rt, o, true) && status == 0)
		status = MON_EXIT_USAGE;
	return status;
}
