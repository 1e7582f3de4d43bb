/*
 * test_vmm_host.c - many VMs on one machine (vm/vmm/host.h): isolation
 * (the invariants of every VM and of the shared pool after every turn
 * beside hostile, faulting, deadlocking and pool-exhausting guests; each
 * VM's end state its solo bare one; a shadow leaf into another VM's slice
 * caught), the pool's quotas, and the schedulers: round robin's equal
 * shares, credit's shares by weight, caps, idling and work conservation,
 * and real time (missed time, late and merged timer interrupts, the boost).
 */
#include "test_vmm_util.h"

#include "snap.h"

#define PROG(name) "tests/e2e/vmm/" name ".s"

static const char spin_src[] = "\t.text\n\t.globl _start\n_start:\tj _start\n";

/* A guest that sleeps in wfi for the timer, forever: 'period' ticks, then
 * again.  Its timer handler only re-arms. */
static const char sleeper_src[] =
	"\t.text\n\t.globl _start\n"
	"_start:\tla t0, h\n\tmtcr tvec, t0\n\tli t0, 1\n\tmtcr imask, t0\n"
	"1:\tmfcr t0, icount\n\tli t1, 20000\n\tadd t0, t0, t1\n\tmtcr timecmp, t0\n"
	"\tli t0, 1\n\tmtcr status, t0\n\twfi\n\tj 1b\n"
	"h:\tmtcr timecmp, zero\n\trfe\n";

struct hostrig {
	struct host *h;
	char *elf[HOST_MAXVM], *disk[HOST_MAXVM];
	unsigned n;
	struct vmm_config vc[HOST_MAXVM];	/* what made it, to restore it */
	struct host_vm_config hv[HOST_MAXVM];
};

/* A host of n VMs running the given programs (file or source). */
static void rig_new(struct hostrig *r, const struct host_config *hc, unsigned n,
		    const char *const *files, const char *const *srcs, const unsigned *weights,
		    const unsigned *caps, enum vmm_shadow_policy p)
{
	char err[256];

	memset(r, 0, sizeof *r);
	r->n = n;
	for (unsigned i = 0; i < n; i++) {
		r->elf[i] = vt_elf(files ? files[i] : NULL, srcs ? srcs[i] : NULL);
		r->disk[i] = vt_disk();
		r->vc[i] = (struct vmm_config){ .mem_mib = 16, .cons_in_fd = -1,
						.disk_path = r->disk[i], .shadow = p };
		r->hv[i] = (struct host_vm_config){ .vm = &r->vc[i],
						    .weight = weights ? weights[i] : 0,
						    .cap = caps ? caps[i] : 0 };
	}
	cr_assert_eq(host_new(hc, r->hv, n, &r->h, err, sizeof err), 0, "host_new: %s", err);
	for (unsigned i = 0; i < n; i++)
		cr_assert_eq(vmm_load_elf(host_vm(r->h, i), r->elf[i], err, sizeof err), 0,
			     "load: %s", err);
}

static void rig_free(struct hostrig *r)
{
	host_free(r->h);
	for (unsigned i = 0; i < r->n; i++) {
		unlink(r->elf[i]);
		unlink(r->disk[i]);
		free(r->elf[i]);
		free(r->disk[i]);
	}
}

static void host_ok(struct host *h, const char *when)
{
	char err[256];

	cr_assert_eq(host_check(h, err, sizeof err), 0, "%s: %s", when, err);
}

/* Run until the host clock reaches 'until' (or every VM stopped). */
static void run_until(struct host *h, uint64_t until)
{
	struct host_stats st;

	do {
		if (!host_run_turn(h))
			break;
		host_get_stats(h, &st);
	} while (st.now < until);
}

Test(host_isolation, every_vm_checked_after_every_turn_and_each_its_solo_run)
{
	static const char *const progs[] = { PROG("paging"), PROG("hostile"), PROG("doublefault"),
					     PROG("deadlock"), PROG("exhaust"), PROG("disk") };
	static const enum vmm_exit_reason want[] = { VMM_EXIT_POWEROFF, VMM_EXIT_POWEROFF,
		VMM_EXIT_DOUBLE_FAULT, VMM_EXIT_DEADLOCK, VMM_EXIT_POWEROFF, VMM_EXIT_POWEROFF };
	const unsigned n = sizeof progs / sizeof progs[0];

	for (int p = 0; p < 2; p++) {
		struct host_config hc = { .quantum = 700 };
		struct hostrig r;
		unsigned turns = 0;

		rig_new(&r, &hc, n, progs, NULL, NULL, NULL, (enum vmm_shadow_policy)p);
		host_ok(r.h, "at the start");
		while (host_run_turn(r.h))
			if (++turns < 60 || turns % 41 == 0)
				host_ok(r.h, "after a turn");
		host_ok(r.h, "at the end");
		cr_expect_gt(turns, 100, "turns %u", turns);
		for (unsigned i = 0; i < n; i++) {
			struct vm *vm = host_vm(r.h, i);
			struct machine *m = vt_bare(r.elf[i], r.disk[i]);
			struct hw_exit hx;

			cr_assert_eq(host_vm_exit(r.h, i)->reason, want[i], "%s: exit %d", progs[i],
				     host_vm_exit(r.h, i)->reason);
			hw_set_budget(m, 50000000);
			hw_run(m, &hx);
			host_select(vm);
			vt_same(vm, m);
			vt_check(vm, progs[i]);
			hw_free(m);
		}
		/* The exhauster reset its own shadows only, within its quota. */
		cr_expect_gt(host_vm(r.h, 4)->xs.pool_resets, 0);
		for (unsigned i = 0; i < n; i++) {
			cr_expect_leq(host_vm(r.h, i)->sh.nused, host_vm(r.h, i)->sh.quota);
			if (i != 4)
				cr_expect_eq(host_vm(r.h, i)->xs.pool_resets, 0, "%s lost its shadows",
					     progs[i]);
		}
		rig_free(&r);
	}
}

/* vmm_check can fail: a leaf of VM 1 onto VM 0's slice is caught. */
/* In real time a VM in wfi gives the CPU away until it can wake; one that
 * nothing can wake (every line masked, or the console's with RXIE set)
 * deadlocks at its wfi, at the tick it does alone, not once a masked
 * timer has latched 2^32 ticks later (or never: the console's polls). */
Test(host_time, a_vm_nothing_can_wake_deadlocks_at_its_wfi_as_alone)
{
	static const char console_src[] = "\t.text\n\t.globl _start\n"
		"_start:\tli t0, 1\n\tout t0, 0x02(zero)\n\twfi\n\tout zero, 0x20(zero)\n";
	const char *const progs[] = { PROG("deadlock"), NULL, PROG("paging") };
	const char *const srcs[] = { NULL, console_src, NULL };
	static const enum vmm_exit_reason want[] = { VMM_EXIT_DEADLOCK, VMM_EXIT_DEADLOCK,
						     VMM_EXIT_POWEROFF };
	struct host_config hc = { .time = HOST_TIME_REAL, .quantum = 700 };
	struct hostrig r;
	struct host_stats st;

	rig_new(&r, &hc, 3, progs, srcs, NULL, NULL, VMM_SHADOW_FLUSH);
	while (host_run_turn(r.h))
		;
	for (unsigned i = 0; i < 3; i++) {
		struct machine *m = vt_bare(r.elf[i], r.disk[i]);
		struct hw_exit hx;

		cr_assert_eq(host_vm_exit(r.h, i)->reason, want[i], "vm%u: exit %d", i,
			     host_vm_exit(r.h, i)->reason);
		hw_set_budget(m, 50000000);
		hw_run(m, &hx);
		host_select(host_vm(r.h, i));
		cr_expect_eq(vmm_get_pc(host_vm(r.h, i)), hw_get_pc(m), "vm%u: pc", i);
		/* Real time: its clock also counts the host's turns of the others. */
		cr_expect_lt(vmm_ticks(host_vm(r.h, i)), 100000, "vm%u stopped at tick %llu", i,
			     (unsigned long long)vmm_ticks(host_vm(r.h, i)));
		hw_free(m);
	}
	host_get_stats(r.h, &st);
	cr_expect_lt(st.now, 100000, "the host clock ran to %llu", (unsigned long long)st.now);
	rig_free(&r);
}

Test(host_isolation, a_leaf_into_another_vms_slice_is_caught)
{
	static const char *const progs[] = { PROG("paging"), PROG("paging") };
	struct host_config hc = { .quantum = 3000 };
	struct hostrig r;
	struct vm *v0, *v1;
	char err[256];
	bool planted = false;

	rig_new(&r, &hc, 2, progs, NULL, NULL, NULL, VMM_SHADOW_FLUSH);
	run_until(r.h, 4000);
	v0 = host_vm(r.h, 0);
	v1 = host_vm(r.h, 1);
	host_ok(r.h, "before");
	for (uint32_t i = 0; i < v1->sh.pool->npages && !planted; i++) {
		uint8_t *t = hw_mem(v1->m) + ((size_t)i << ISA_PAGE_SHIFT);

		if (v1->sh.pg[i].kind != SP_TABLE || v1->sh.pg[i].vm != 1)
			continue;
		for (unsigned e = 0; e < 1024 && !planted; e++) {
			uint32_t pte;

			memcpy(&pte, t + 4 * e, 4);
			if (!(pte & ISA_PTE_V))
				continue;
			pte = (pte & 0xfff) | (v0->area + 0x1000);
			memcpy(t + 4 * e, &pte, 4);
			planted = true;
		}
	}
	cr_assert(planted, "VM 1 has no shadow leaf");
	cr_assert_neq(host_check(r.h, err, sizeof err), 0);
	cr_expect(strstr(err, "outside the guest"), "%s", err);
	rig_free(&r);
}

Test(host_sched, round_robin_gives_equal_shares_and_switches_each_turn)
{
	const char *const srcs[] = { spin_src, spin_src, spin_src };
	struct host_config hc = { .quantum = 1000 };
	struct host_stats st;
	struct hostrig r;

	rig_new(&r, &hc, 3, NULL, srcs, NULL, NULL, VMM_SHADOW_FLUSH);
	run_until(r.h, 300000);
	host_get_stats(r.h, &st);
	cr_expect_eq(st.now, 300000);
	cr_expect_eq(st.turns, 300);
	/* VM 0 is on the machine for the first turn; every later turn is
	 * another VM's (loading the images switched nothing that counts). */
	cr_expect_eq(st.switches, 299, "switches %llu", (unsigned long long)st.switches);
	for (unsigned i = 0; i < 3; i++) {
		struct host_vm_stats v;

		host_get_vm_stats(r.h, i, &v);
		cr_expect_eq(v.ran, 100000, "vm%u ran %llu", i, (unsigned long long)v.ran);
		cr_expect_eq(v.ticks, 100000, "virtual time: vm%u's clock", i);
	}
	cr_expect_float_eq(host_fairness(r.h), 1.0, 1e-9);
	rig_free(&r);
}

Test(host_sched, credit_shares_follow_weights_1_2_4)
{
	const char *const srcs[] = { spin_src, spin_src, spin_src };
	static const unsigned w[] = { 1, 2, 4 };
	struct host_config hc = { .sched = HOST_SCHED_CREDIT, .quantum = 10000 };
	struct hostrig r;

	rig_new(&r, &hc, 3, NULL, srcs, w, NULL, VMM_SHADOW_FLUSH);
	run_until(r.h, 10000000);
	for (unsigned i = 0; i < 3; i++) {
		double want = w[i] / 7.0, got = host_vm_share(r.h, i);

		cr_expect(got > want * 0.98 && got < want * 1.02, "vm%u: share %.4f, want %.4f", i,
			  got, want);
	}
	cr_expect_float_eq(host_fairness(r.h), 1.0, 1e-3);
	rig_free(&r);
}

Test(host_sched, caps_hold_and_are_not_work_conserving)
{
	const char *const srcs[] = { spin_src, spin_src };
	static const unsigned caps[] = { 20, 0 }, capalone[] = { 30 };
	struct host_config hc = { .sched = HOST_SCHED_CREDIT, .quantum = 10000 };
	struct host_stats st;
	struct hostrig r;
	double s;

	rig_new(&r, &hc, 2, NULL, srcs, NULL, caps, VMM_SHADOW_FLUSH);
	run_until(r.h, 3000000);
	s = host_vm_share(r.h, 0);
	cr_expect(s <= 0.20 + 0.01 && s > 0.19, "capped share %.4f", s);
	rig_free(&r);

	/* Alone, a capped VM leaves the CPU idle for the rest. */
	rig_new(&r, &hc, 1, NULL, srcs, NULL, capalone, VMM_SHADOW_FLUSH);
	run_until(r.h, 3000000);
	host_get_stats(r.h, &st);
	cr_expect(st.idle > st.now * 0.69 && st.idle < st.now * 0.71, "idle %llu of %llu",
		  (unsigned long long)st.idle, (unsigned long long)st.now);
	rig_free(&r);
}

/* Real time: a heavy VM asleep nearly all the time reaches the credit
 * clamp, and what it cannot take goes to the two hogs by their weights;
 * were its weight still counted, they would run OVER and share equally. */
Test(host_sched, a_sleeping_vm_leaves_its_credit_to_the_others)
{
	const char *const srcs[] = { sleeper_src, spin_src, spin_src };
	static const unsigned w[] = { 2048, 256, 768 };
	struct host_config hc = { .sched = HOST_SCHED_CREDIT, .time = HOST_TIME_REAL,
				  .no_boost = true, .quantum = 10000 };
	struct hostrig r;
	double a, b;

	rig_new(&r, &hc, 3, NULL, srcs, w, NULL, VMM_SHADOW_FLUSH);
	run_until(r.h, 3000000);
	a = host_vm_share(r.h, 1);
	b = host_vm_share(r.h, 2);
	cr_expect(b / a > 2.8 && b / a < 3.2, "hogs of weights 1:3 got %.4f and %.4f", a, b);
	rig_free(&r);
}

/* Virtual time, work-conserving: a sleeping VM costs the CPU nothing; with
 * --idle-in-wfi its sleep is charged (the CPU idles for it). */
Test(host_sched, work_conserving_or_idling_in_wfi)
{
	const char *const srcs[] = { sleeper_src, spin_src };

	for (int idle = 0; idle < 2; idle++) {
		struct host_config hc = { .quantum = 5000, .idle_in_wfi = idle };
		struct hostrig r;
		double s;

		rig_new(&r, &hc, 2, NULL, srcs, NULL, NULL, VMM_SHADOW_FLUSH);
		run_until(r.h, 2000000);
		s = host_vm_share(r.h, 1);
		if (idle)
			cr_expect(s > 0.49 && s < 0.51, "idling: the spinner got %.3f", s);
		else
			cr_expect(s > 0.98, "work-conserving: the spinner got only %.3f", s);
		rig_free(&r);
	}
}

/* Real time: the probe's clock runs while 3 spinners have the CPU, so it
 * wakes late (its compare, passed while it was off, latches once when it
 * runs again); round robin makes it wait up to 2 quanta of the others,
 * credit without boost less, credit with boost not at all.  In virtual
 * time it is its solo run. */
Test(host_time, real_time_wake_latency_by_scheduler)
{
	const char *const srcs[] = { spin_src, spin_src, spin_src, spin_src };
	static const struct { enum host_sched s; enum host_time t; bool noboost; } cases[] = {
		{ HOST_SCHED_RR, HOST_TIME_VIRTUAL, false },
		{ HOST_SCHED_RR, HOST_TIME_REAL, false },
		{ HOST_SCHED_CREDIT, HOST_TIME_REAL, true },
		{ HOST_SCHED_CREDIT, HOST_TIME_REAL, false },
	};
	uint64_t lat[4], ticks[4];

	for (unsigned c = 0; c < 4; c++) {
		struct host_config hc = { .sched = cases[c].s, .time = cases[c].t,
					  .no_boost = cases[c].noboost, .quantum = 10000 };
		struct hostrig r;
		struct host_vm_stats v;
		char *probe = vt_elf("examples/probe.s", NULL), err[256];

		rig_new(&r, &hc, 4, NULL, srcs, NULL, NULL, VMM_SHADOW_FLUSH);
		/* VM 0 runs the probe instead of a spinner. */
		cr_assert_eq(vmm_load_elf(host_vm(r.h, 0), probe, err, sizeof err), 0, "%s", err);
		while (host_vm_exit(r.h, 0)->reason == VMM_NEXIT && host_run_turn(r.h))
			;
		host_get_vm_stats(r.h, 0, &v);
		lat[c] = v.wake_wait_max;
		ticks[c] = v.ticks;
		cr_expect_eq(v.wakes, cases[c].t == HOST_TIME_REAL ? 100 : 0, "case %u: wakes", c);
		rig_free(&r);
		unlink(probe);
		free(probe);
	}
	cr_expect_eq(ticks[0], 1001496, "virtual time: the probe's solo run");
	cr_expect_gt(ticks[1], ticks[0], "real time: the probe missed time");
	cr_expect_geq(lat[1], 19990, "rr: 2 quanta of the others (%llu)", (unsigned long long)lat[1]);
	cr_expect(lat[2] > 0 && lat[2] < lat[1], "credit: %llu", (unsigned long long)lat[2]);
	cr_expect_eq(lat[3], 0, "credit with boost: %llu", (unsigned long long)lat[3]);
}

/* What a run leaves that the schedule decides: the host's figures, each
 * VM's exit, clock, figures and registers. */
static void same_run(struct host *a, struct host *b, const char *what)
{
	struct host_stats sa, sb;

	host_get_stats(a, &sa);
	host_get_stats(b, &sb);
	cr_expect_eq(sa.now, sb.now, "%s: host clock %llu, cut %llu", what,
		     (unsigned long long)sa.now, (unsigned long long)sb.now);
	cr_expect_eq(sa.turns, sb.turns, "%s: turns", what);
	cr_expect_eq(sa.switches, sb.switches, "%s: switches", what);
	cr_expect_eq(sa.idle, sb.idle, "%s: idle", what);
	for (unsigned i = 0; i < host_nvms(a); i++) {
		struct host_vm_stats va, vb;
		struct vm *x = host_vm(a, i), *y = host_vm(b, i);

		host_get_vm_stats(a, i, &va);
		host_get_vm_stats(b, i, &vb);
		cr_expect_eq(host_vm_exit(a, i)->reason, host_vm_exit(b, i)->reason, "%s", what);
		cr_expect_eq(va.ticks, vb.ticks, "%s: vm%u ticks", what, i);
		cr_expect_eq(va.ran, vb.ran, "%s: vm%u ran", what, i);
		cr_expect_eq(va.turns, vb.turns, "%s: vm%u turns", what, i);
		cr_expect_eq(va.switches_in, vb.switches_in, "%s: vm%u switches", what, i);
		cr_expect_eq(va.wakes, vb.wakes, "%s: vm%u wakes", what, i);
		host_select(x);
		host_select(y);
		for (unsigned r = 1; r < ISA_NREGS; r++)
			cr_expect_eq(vmm_get_reg(x, r), vmm_get_reg(y, r), "%s: vm%u r%u", what, i, r);
		cr_expect_eq(vmm_get_pc(x), vmm_get_pc(y), "%s: vm%u pc", what, i);
	}
}

/* A host's state with its clock moved 'ahead' ticks on and its next
 * accounting tick left where it was (hostsnap.c's HOST section, first in
 * the state: n, sched, time, quantum, idle, no-boost, now, period end...):
 * the snapshot of a host whose CPU idled that long, or a crafted one. */
static struct host *restore_ahead(struct hostrig *r, const struct host_config *hc,
				  const struct snap_buf *b, uint64_t ahead, char *err,
				  size_t errsize)
{
	const size_t now_at = 8 + 4 * 3 + 8 + 4 * 2;	/* tag, length, fields */
	uint8_t *st = malloc(b->len);
	struct host *h = NULL;
	uint64_t now = 0;

	cr_assert(st && b->len > now_at + 16 && !memcmp(b->p, "HOST", 4));
	memcpy(st, b->p, b->len);
	for (unsigned k = 0; k < 8; k++)
		now |= (uint64_t)st[now_at + k] << 8 * k;
	now += ahead;
	for (unsigned k = 0; k < 8; k++)
		st[now_at + k] = (uint8_t)(now >> 8 * k);
	if (host_restore(hc, r->hv, r->n, NULL, st, b->len, &h, err, errsize))
		h = NULL;
	free(st);
	return h;
}

/* Credit: after the CPU idled over many periods, each is accounted; once
 * a period changes no credit the rest are skipped at once, so a clock far
 * ahead of its last period costs no more than a few periods (a snapshot
 * with the period's start 2^50 ticks in the past would otherwise replay
 * them one by one for hours), and gives the same credits.  A next
 * accounting tick more than a period ahead, or a clock no run reaches, is
 * refused. */
Test(host_sched, credit_catches_up_over_idle_periods_at_once)
{
	struct host_config hc = { .sched = HOST_SCHED_CREDIT, .quantum = 1000 };
	const char *const srcs[] = { spin_src, spin_src, sleeper_src };
	const unsigned weights[] = { 256, 512, 256 };
	const uint64_t period = HOST_PERIOD_QUANTA * 1000;
	struct snap_buf b = { 0 };
	struct hostrig r;
	struct host *near, *far;
	char err[256];

	rig_new(&r, &hc, 3, NULL, srcs, weights, NULL, VMM_SHADOW_FLUSH);
	run_until(r.h, 5 * period + 500);
	cr_assert_eq(host_state_save(r.h, &b, err, sizeof err), 0, "%s", err);
	/* The same phase in the period, 40 periods on or 2^50 ticks on. */
	near = restore_ahead(&r, &hc, &b, 40 * period + (UINT64_C(1) << 50) % period, err,
			     sizeof err);
	cr_assert(near, "%s", err);
	far = restore_ahead(&r, &hc, &b, UINT64_C(1) << 50, err, sizeof err);
	cr_assert(far, "%s", err);
	cr_assert(host_run_turn(near) && host_run_turn(far));
	cr_expect_eq(far->period_end % period, near->period_end % period, "periods moved");
	cr_expect(far->period_end >= far->now && far->period_end - far->now <= period,
		  "period end %llu, clock %llu", (unsigned long long)far->period_end,
		  (unsigned long long)far->now);
	for (unsigned i = 0; i < 3; i++)
		cr_expect_eq(host_vm(far, i)->sc.credit, host_vm(near, i)->sc.credit,
			     "vm%u's credit: %lld, not %lld", i,
			     (long long)host_vm(far, i)->sc.credit,
			     (long long)host_vm(near, i)->sc.credit);
	host_free(near);
	host_free(far);

	cr_expect_null(restore_ahead(&r, &hc, &b, UINT64_C(1) << 62, err, sizeof err));
	cr_expect(strstr(err, "out of range"), "%s", err);
	snap_buf_free(&b);
	rig_free(&r);
}

Test(host_run, a_run_cut_into_pieces_makes_the_schedule_of_one_never_cut)
{
	static const char *const progs[] = { PROG("paging"), PROG("disk"), PROG("exhaust"),
					     PROG("doublefault") };
	static const unsigned w[] = { 1, 3, 2, 1 };
	static const uint64_t piece[] = { 1, 37, 1000, 5, 4096, 2 };
	const unsigned n = sizeof progs / sizeof progs[0];

	for (int k = 0; k < 4; k++) {
		struct host_config hc = { .quantum = 900, .sched = k & 1 ? HOST_SCHED_CREDIT
								       : HOST_SCHED_RR,
					  .time = k & 2 ? HOST_TIME_REAL : HOST_TIME_VIRTUAL };
		struct hostrig a, b;
		unsigned calls = 0, stops = 0;
		struct vmm_exit ex;
		enum vmm_exit_reason r;

		rig_new(&a, &hc, n, progs, NULL, w, NULL, VMM_SHADOW_FLUSH);
		rig_new(&b, &hc, n, progs, NULL, w, NULL, VMM_SHADOW_FLUSH);
		host_run(a.h);
		do {
			unsigned who = 0;
			bool step = calls % 3 == 1;

			if (calls % 5 == 4)	/* the monitor looks at a VM */
				host_select(host_vm(b.h, calls % n));
			r = host_run_until(b.h, step, host_clock(b.h) + piece[calls % 6], &who, &ex);
			cr_assert_lt(who, n);
			stops += r != VMM_EXIT_BUDGET && r != VMM_EXIT_STEP;
			cr_assert_lt(++calls, 10000000u, "no end");
		} while (r != VMM_NEXIT);
		cr_expect_eq(stops, n + 1, "each VM's end, then the host's: %u", stops);
		same_run(a.h, b.h, k == 0 ? "rr" : k == 1 ? "credit" : k == 2 ? "rr real"
									  : "credit real");
		rig_free(&a);
		rig_free(&b);
	}
}
