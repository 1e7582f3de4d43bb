/*
 * host.c - many VMs on one machine: the machine and its memory layout,
 * the shared shadow pool, the VMs' life, and the run loop that gives the
 * machine to one VM after another (host.h).
 *
 *	for (;;) {
 *		vm = sched_pick(host, &ticks)     whose turn, how long (sched.c)
 *		none: the CPU idles 'ticks' (or every VM has stopped)
 *		ws_switch(host, vm)               its state onto the machine
 *		vmm_run(vm) for 'ticks'           the one-VM dispatcher (vm.c)
 *		charge the turn, advance the host clock, wake what is due
 *	}
 *
 * A turn may be run in pieces (host_run_until: the monitor's breakpoints
 * and steps, a snapshot at a host tick): the turn in progress is state of
 * the host (struct host_turn_state), so the pieces make the same schedule.
 */
#include <stdlib.h>
#include <string.h>

#include "vmm_priv.h"

static uint32_t vm_mib(const struct host_vm_config *c)
{
	return c->vm->mem_mib ? c->vm->mem_mib : 16;
}

/* Names: given or vmN, each unique and printable as a file name. */
static int check_names(const struct host_vm_config *vms, unsigned n,
		       char (*names)[HOST_NAME_MAX_LEN], char *err, size_t errsize)
{
	for (unsigned i = 0; i < n; i++) {
		const char *s = vms[i].name;

		if (!s) {
			snprintf(names[i], HOST_NAME_MAX_LEN, "vm%u", i);
			continue;
		}
		if (!*s || strlen(s) >= HOST_NAME_MAX_LEN || strspn(s,
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != strlen(s)
		    || *s == '.') {
			snprintf(err, errsize, "VM name '%s': use 1..%d of A-Z a-z 0-9 _ - . "
				 "(not starting with .)", s, HOST_NAME_MAX_LEN - 1);
			return -1;
		}
		snprintf(names[i], HOST_NAME_MAX_LEN, "%s", s);
	}
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(names[i], names[j])) {
				snprintf(err, errsize, "two VMs named '%s'", names[i]);
				return -1;
			}
	return 0;
}

int host_new(const struct host_config *cfg, const struct host_vm_config *vms, unsigned n,
	     struct host **out, char *err, size_t errsize)
{
	char names[HOST_MAXVM][HOST_NAME_MAX_LEN];
	struct hw_config hc = { .cons_out = NULL, .cons_in_fd = -1, .disk_path = NULL };
	uint64_t area = 0, total, tc;
	struct host *h;

	*out = NULL;
	if (n < 1 || n > HOST_MAXVM) {
		snprintf(err, errsize, "%u VMs: a host runs 1..%d", n, HOST_MAXVM);
		return -1;
	}
	if (check_names(vms, n, names, err, errsize))
		return -1;
	total = 0;
	for (unsigned i = 0; i < n; i++) {
		if (vm_mib(&vms[i]) > VMM_MAX_MEM_MIB) {
			snprintf(err, errsize, "%s: memory size %u MiB is out of range 1..%u under "
				 "the VMM", names[i], vm_mib(&vms[i]), VMM_MAX_MEM_MIB);
			return -1;
		}
		area += VMM_AREA_MIB(vm_mib(&vms[i]));
		total += vm_mib(&vms[i]);
		/* One machine under them all: one variant (ISA.md 15). */
		if (vms[i].vm->isa != vms[0].vm->isa) {
			snprintf(err, errsize, "%s: ISA variant %s, but %s runs on %s: the VMs "
				 "share one machine", names[i], isa_variant_name(vms[i].vm->isa),
				 names[0], isa_variant_name(vms[0].vm->isa));
			return -1;
		}
		if (vms[i].vm->nested && vms[i].vm->pv) {
			/* Its hypercalls change translations (set-ptb, mmu-update,
			 * iret) behind the machine's tagged TLB: not done yet. */
			snprintf(err, errsize, "%s: --pv does not combine with --mmu=nested", names[i]);
			return -1;
		}
		if (vms[i].vm->nested != vms[0].vm->nested) {
			snprintf(err, errsize, "%s: the VMs of a host share one memory "
				 "virtualization (--mmu)", names[i]);
			return -1;
		}
	}
	hc.isa = vms[0].vm->isa;
	/* Nested paging needs the machine's extension (ISA.md 16); the
	 * guests still see PG32: vmrun is ILLEGAL in guest mode. */
	if (vms[0].vm->nested) {
		if (hc.isa != ISA_PG32 && hc.isa != ISA_PG32V) {
			snprintf(err, errsize, "--mmu=nested runs on the PG32-V machine, not on %s",
				 isa_variant_name(hc.isa));
			return -1;
		}
		hc.isa = ISA_PG32V;
	}
	if (vms[0].vm->bt && (n > 1 || vms[0].vm->nested)) {
		snprintf(err, errsize, "binary translation runs one VM, with shadow paging");
		return -1;
	}
	/* The translation cache: BT_TC_MIB between the pool and the VM. */
	tc = vms[0].vm->bt ? BT_TC_MIB : 0;
	total += area + tc;
	if (total > 2048) {
		snprintf(err, errsize, "the VMs need %llu MiB of machine RAM (their memory and "
			 "%llu MiB of VMM area), more than the machine's 2048",
			 (unsigned long long)total, (unsigned long long)area);
		return -1;
	}
	h = calloc(1, sizeof *h);
	if (!h) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	h->cfg = *cfg;
	hc.mem_mib = (uint32_t)total;
	if (hw_new(&hc, &h->m, err, errsize)
	    || spool_init(&h->pool, (uint32_t)area << (20 - ISA_PAGE_SHIFT), err, errsize)) {
		host_free(h);
		return -1;
	}
	hw_set_cr(h->m, ISA_CR_STATUS, 0);	/* user mode, IE = 0, always */
	hw_set_trap_to_host(h->m, (1u << ISA_NCAUSE) - 1);
	for (uint32_t i = 0, base = (uint32_t)(area + tc) << 20; i < n; i++) {
		struct vm *vm;

		if (vm_create(h, i, vms[i].vm, names[i], base, &vm, err, errsize)) {
			host_free(h);
			return -1;
		}
		h->vm[h->nvm++] = vm;
		base += vm_mib(&vms[i]) << 20;
		sched_init_vm(vm, vms[i].weight, vms[i].cap);
		vm->sc.block_in_wfi = n > 1 && cfg->time == HOST_TIME_REAL && !cfg->idle_in_wfi;
		if (cfg->budget)
			vm->sc.budget_end = cfg->budget;
	}
	for (unsigned i = 0; i < n; i++)
		vmm_reset(h->vm[i], 0);
	/* VM 0 on the machine, its turn first; no switch counted yet. */
	host_select(h->vm[0]);
	h->last = n - 1;
	h->sched_cur = 0;
	h->turn.vm = -1;
	h->st.switches = 0;
	for (unsigned i = 0; i < n; i++)
		h->vm[i]->sc.st.switches_in = 0;
	h->tr = h->vm[0]->tr;
	*out = h;
	return 0;
}

void host_free(struct host *h)
{
	if (!h)
		return;
	for (unsigned i = 0; i < h->nvm; i++)
		vm_destroy(h->vm[i]);
	spool_free(&h->pool);
	hw_free(h->m);
	free(h);
}

unsigned host_nvms(const struct host *h)
{
	return h->nvm;
}

struct vm *host_vm(struct host *h, unsigned i)
{
	return i < h->nvm ? h->vm[i] : NULL;
}

const char *host_vm_name(const struct vm *vm)
{
	return vm->name;
}

const struct vmm_exit *host_vm_exit(const struct host *h, unsigned i)
{
	return &h->vm[i]->sc.exit;
}

/* --- the run loop ----------------------------------------------------------- */

static void trace_sched(struct host *h, struct vm *vm, const char *what, const char *fmt,
			uint64_t a)
{
	char text[96];
	struct trace_event ev = { .cat = TRACE_SCHED, .tick = h->now, .pc = 0, .what = what,
				  .text = text };

	if (vm) {
		ev.pc = vm == h->cur ? hw_get_pc(h->m) : vm->saved.pc;
		ev.kernel = ev.kernel_after = vcpu_kernel(&vm->vc);
	}
	snprintf(text, sizeof text, fmt, vm ? vm->name : "", (unsigned long long)a);
	h->tr->fn(h->tr->ctx, &ev);
}

static bool tracing(const struct host *h)
{
	return unlikely(h->tr != NULL) && trace_on(h->tr, TRACE_SCHED);
}

static const char *stop_name(enum vmm_exit_reason r)
{
	switch (r) {
	case VMM_EXIT_POWEROFF: return "poweroff";
	case VMM_EXIT_BUDGET: return "budget";
	case VMM_EXIT_DOUBLE_FAULT: return "double-fault";
	case VMM_EXIT_DEADLOCK: return "deadlock";
	default: return "failure";
	}
}

/* How a turn ended: the VM stopped, blocked in wfi, or its time was up. */
static void end_turn(struct host *h, struct vm *vm, enum vmm_exit_reason r,
		     const struct vmm_exit *ex)
{
	struct vm_sched *sc = &vm->sc;
	uint64_t now = vm_now(vm);

	switch (r) {
	case VMM_EXIT_BUDGET:
		if (now >= sc->budget_end || ex->message)	/* its own, or stuck */
			break;
		if (sc->blocked) {
			sc->state = VMS_BLOCKED;
			sc->wake_at = sc->wake_guest - now + h->now;
			if (tracing(h))
				trace_sched(h, vm, "block", "vm=%s wake=%llu", sc->wake_at);
		}
		return;
	case VMM_EXIT_POWEROFF:
	case VMM_EXIT_DOUBLE_FAULT:
	case VMM_EXIT_DEADLOCK:
	case VMM_EXIT_FAILURE:
		break;
	default:	/* breakpoints, watchpoints, stops: not while the host runs */
		return;
	}
	sc->state = VMS_DONE;
	sc->exit = *ex;
	sc->exit.message = ex->message ? vm->message : NULL;
	if (tracing(h))
		trace_sched(h, vm, stop_name(r), "vm=%s ticks=%llu", now);
}

/* A turn begins: the VM goes on the CPU (a world switch if the scheduler
 * last gave it to another VM), catches up with real time, leaves the wfi
 * it blocked in, and its wake-up latency is counted. */
static void turn_begin(struct host *h, struct vm *vm, uint64_t ticks)
{
	struct vm_sched *sc = &vm->sc;
	uint64_t woken = sc->woken_at;

	if (h->sched_cur != (int)vm->id) {
		if (tracing(h))
			trace_sched(h, vm, "switch", "to=%s wait=%llu",
				    h->now - vm->saved.host_now);
		ws_switch(h, vm, true);
		h->sched_cur = (int)vm->id;
	}
	ws_switch(h, vm, false);	/* someone may have looked at another VM */
	if (h->cfg.time == HOST_TIME_REAL)
		virq_catch_up(vm, h->now + (uint64_t)sc->skew);
	if (sc->blocked) {	/* its wfi, if a line woke it */
		sc->blocked = false;
		virq_wfi_resume(vm);
	}
	if (sc->woken_at != UINT64_MAX) {
		uint64_t lat = h->now - sc->woken_at;

		sc->st.wake_wait += lat;
		if (lat > sc->st.wake_wait_max)
			sc->st.wake_wait_max = lat;
		sc->woken_at = UINT64_MAX;
	}
	h->turn = (struct host_turn_state){ .vm = (int)vm->id, .left = ticks, .woken = woken };
}

/* The host ticks the turn in progress has cost so far (sched.c). */
static uint64_t turn_charge(const struct host *h)
{
	return sched_turn_ticks(h, h->turn.used, h->turn.slept);
}

/* The turn is over: charge it, advance the host clock, note how it ended. */
static void turn_end(struct host *h, struct vm *vm, enum vmm_exit_reason r,
		     const struct vmm_exit *ex)
{
	struct vm_sched *sc = &vm->sc;
	uint64_t charged = turn_charge(h);

	sc->st.slept += h->turn.slept;
	h->now += charged;
	if (h->cfg.time == HOST_TIME_REAL)
		sc->skew = (int64_t)(vm_now(vm) - h->now);
	sched_charge(h, vm, charged);
	end_turn(h, vm, r, ex);
	if (h->turn_fn) {
		static const enum host_turn_end end[] = {
			[VMS_RUNNABLE] = HOST_TURN_RUNNABLE, [VMS_BLOCKED] = HOST_TURN_BLOCKED,
			[VMS_PARKED] = HOST_TURN_PARKED, [VMS_DONE] = HOST_TURN_STOPPED,
		};
		struct host_turn t = { .vm = (int)vm->id, .start = h->now - charged,
				       .ticks = charged, .woken = h->turn.woken,
				       .end = end[sc->state], .wake_at = sc->wake_at };

		h->turn_fn(h->turn_ctx, &t);
	}
	h->turn.vm = -1;
}

/* Is the turn over after the VM's run returned r?  A run the caller cut
 * short (its limit, a breakpoint, a step) leaves the rest of the turn. */
static bool turn_over(const struct host *h, const struct vm *vm, enum vmm_exit_reason r,
		      const struct vmm_exit *ex)
{
	switch (r) {
	case VMM_EXIT_POWEROFF:
	case VMM_EXIT_DOUBLE_FAULT:
	case VMM_EXIT_DEADLOCK:
	case VMM_EXIT_FAILURE:
		return true;
	case VMM_EXIT_BUDGET:
		if (vm->sc.blocked || ex->message || vm_now(vm) >= vm->sc.budget_end)
			return true;
		break;
	default:
		break;
	}
	return h->turn.left == 0;
}

/* Run the VM whose turn it is, for at most limit guest ticks (or, step,
 * one guest step), and end the turn if it is over.  The turn is the one
 * uninterrupted run of host_run_turn, cut into pieces: the VM's budget
 * splits exactly (vmm_set_budget), so the pieces add up to the same run. */
static enum vmm_exit_reason turn_run(struct host *h, uint64_t limit, bool step,
				     struct vmm_exit *ex)
{
	struct vm *vm = h->vm[h->turn.vm];
	uint64_t t0, s0, n = h->turn.left, used;
	enum vmm_exit_reason r;

	ws_switch(h, vm, false);	/* someone may have looked at another VM */
	t0 = vm_now(vm);
	s0 = vm->xs.wfi_sleep;
	/* The turn's budget also bounds the VMM's work without guest progress
	 * (vmm_set_budget): a stuck VM ends its turn, and stops, alone. */
	if (vm->sc.budget_end - t0 < n)
		n = vm->sc.budget_end - t0;
	if (limit < n)
		n = limit;
	vmm_set_budget(vm, n);
	r = step ? vmm_step(vm, ex) : vmm_run(vm, ex);
	used = vm_now(vm) - t0;
	h->turn.used += used;
	h->turn.slept += vm->xs.wfi_sleep - s0;
	h->turn.left -= used < h->turn.left ? used : h->turn.left;
	if (turn_over(h, vm, r, ex))
		turn_end(h, vm, r, ex);
	return r;
}

void host_set_turn_hook(struct host *h, host_turn_fn *fn, void *ctx)
{
	h->turn_fn = fn;
	h->turn_ctx = ctx;
}

/* Start the next turn: 1 a VM's (h->turn), 0 the CPU idled, -1 every VM
 * has stopped. */
static int turn_next(struct host *h)
{
	uint64_t ticks;
	struct vm *vm;

	sched_tick(h);
	vm = sched_pick(h, &ticks);
	if (vm) {
		turn_begin(h, vm, ticks);
		return 1;
	}
	if (!ticks)
		return -1;		/* every VM has stopped */
	if (tracing(h))
		trace_sched(h, NULL, "idle", "%sticks=%llu", ticks);
	if (h->turn_fn) {
		struct host_turn t = { .vm = -1, .start = h->now, .ticks = ticks,
				       .woken = UINT64_MAX };

		h->turn_fn(h->turn_ctx, &t);
	}
	h->now += ticks;
	h->st.idle += ticks;
	return 0;
}

bool host_run_turn(struct host *h)
{
	struct vmm_exit ex;

	if (h->turn.vm < 0 && turn_next(h) < 0)
		return false;
	while (h->turn.vm >= 0)		/* the rest of a turn a stop cut short */
		turn_run(h, HW_NO_BUDGET, false, &ex);
	return true;
}

void host_run(struct host *h)
{
	while (host_run_turn(h))
		;
}

uint64_t host_clock(const struct host *h)
{
	return h->now + (h->turn.vm >= 0 ? turn_charge(h) : 0);
}

enum vmm_exit_reason host_run_until(struct host *h, bool step, uint64_t until, unsigned *who,
				    struct vmm_exit *ex)
{
	for (;;) {
		uint64_t now = host_clock(h);
		enum vmm_exit_reason r;
		unsigned id;
		int t;

		if (!step && now >= until)
			return VMM_EXIT_BUDGET;
		if (h->turn.vm < 0 && (t = turn_next(h)) <= 0) {
			if (t < 0)
				return VMM_NEXIT;
			continue;	/* the CPU idled */
		}
		id = (unsigned)h->turn.vm;
		*who = id;
		/* The host clock moves by at most the guest ticks run. */
		r = turn_run(h, step || until == HW_NO_BUDGET ? HW_NO_BUDGET : until - now, step,
			     ex);
		if (r != VMM_EXIT_BUDGET)
			return r;
		if (h->vm[id]->sc.state == VMS_DONE)	/* stuck, or its own budget */
			return r;
	}
}

/* --- checks and statistics -------------------------------------------------- */

int host_check(struct host *h, char *err, size_t errsize)
{
	uint32_t used = 0;

	if (vmm_check_internal(h->vm[0], err, errsize))
		return -1;
	for (unsigned i = 1; i < h->nvm; i++)
		if (vmm_check_vm(h->vm[i], err, errsize))
			return -1;
	for (unsigned i = 0; i < h->nvm; i++)
		used += h->vm[i]->sh.nused;
	for (uint32_t i = 0; i < h->pool.npages; i++)
		if (h->pool.pg[i].kind != SP_FREE && h->pool.pg[i].vm >= h->nvm) {
			snprintf(err, errsize, "pool page %u owned by no VM", i);
			return -1;
		}
	if (used != h->pool.nused) {
		snprintf(err, errsize, "the VMs use %u pool pages, the pool counts %u", used,
			 h->pool.nused);
		return -1;
	}
	return 0;
}

void host_get_stats(const struct host *h, struct host_stats *st)
{
	*st = h->st;
	st->now = h->now;
}

void host_get_vm_stats(const struct host *h, unsigned i, struct host_vm_stats *st)
{
	const struct vm *vm = h->vm[i];

	*st = vm->sc.st;
	st->ticks = vm == h->cur ? vm_now(vm) : vm->saved.now;
}

void host_get_sched(const struct host *h, struct host_sched_info *si)
{
	si->cfg = h->cfg;
	if (!si->cfg.quantum)
		si->cfg.quantum = HOST_QUANTUM_DEFAULT;
	si->clock = host_clock(h);
	si->period_end = h->period_end;
	si->turn_vm = h->turn.vm;
	si->turn_left = h->turn.vm >= 0 ? h->turn.left : 0;
}

void host_get_vm_sched(const struct host *h, unsigned i, struct host_vm_sched *vs)
{
	static const char *const state[] = {
		[VMS_RUNNABLE] = "runnable", [VMS_BLOCKED] = "blocked",
		[VMS_PARKED] = "parked", [VMS_DONE] = "stopped",
	};
	const struct vm *vm = h->vm[i];

	*vs = (struct host_vm_sched){
		.state = state[vm->sc.state], .weight = vm->sc.weight, .cap = vm->sc.cap,
		.credit = vm->sc.credit, .boost = vm->sc.boost, .wake_at = vm->sc.wake_at,
		.shadow_used = vm->sh.nused, .shadow_quota = vm->sh.limit,
	};
}

double host_vm_share(const struct host *h, unsigned i)
{
	uint64_t busy = h->now - h->st.idle;

	return busy ? (double)h->vm[i]->sc.st.ran / (double)busy : 0.0;
}

double host_fairness(const struct host *h)
{
	double sum = 0, sq = 0;

	for (unsigned i = 0; i < h->nvm; i++) {
		double x = (double)h->vm[i]->sc.st.ran / h->vm[i]->sc.weight;

		sum += x;
		sq += x * x;
	}
	return sq > 0 ? sum * sum / (h->nvm * sq) : 1.0;
}

void host_print_stats(struct host *h, FILE *f)
{
#define P(name, v) fprintf(f, "sched_" name ": %llu\n", (unsigned long long)(v))
	P("host_ticks", h->now);
	P("idle_ticks", h->st.idle);
	P("turns", h->st.turns);
	P("world_switches", h->st.switches);
#undef P
	fprintf(f, "sched_fairness: %.6f\n", host_fairness(h));
	for (unsigned i = 0; i < h->nvm; i++) {
		struct host_vm_stats s;
		const char *n = h->vm[i]->name;

		host_get_vm_stats(h, i, &s);
#define P(name, v) fprintf(f, "%s_" name ": %llu\n", n, (unsigned long long)(v))
		P("guest_ticks", s.ticks);
		P("ran", s.ran);
		fprintf(f, "%s_cpu_share: %.6f\n", n, host_vm_share(h, i));
		P("wfi_sleep_ticks", s.slept);
		P("turns", s.turns);
		P("switches_in", s.switches_in);
		P("wakes", s.wakes);
		fprintf(f, "%s_wake_latency_mean: %.1f\n", n,
			s.wakes ? (double)s.wake_wait / (double)s.wakes : 0.0);
		P("wake_latency_max", s.wake_wait_max);
		P("boosts", s.boosts);
#undef P
	}
}
