/*
 * sched.c - the VM scheduler: which VM gets the machine next, and for how
 * many host ticks.  Deterministic: time is the host clock (host.h), never
 * the host computer's.
 *
 * Round robin (--sched=rr): the runnable VMs in turn, after the one that
 * ran last, each for one quantum.
 *
 * Work conservation: the CPU never idles while a VM could use it.  In
 * virtual time a VM's sleep in wfi costs the host clock nothing; in real
 * time a VM that would sleep in wfi leaves the CPU (host.c marks it
 * BLOCKED) and is woken at its next event tick.  The CPU idles only when
 * no VM is runnable, and only until the next wake.  --idle-in-wfi turns
 * this off: a sleeping VM keeps the CPU to the end of its turn.
 *
 * Credit (--sched=credit), after Xen's credit scheduler (Cherkasova et al.,
 * "Comparison of the three CPU schedulers in Xen", 2007):
 *
 *   - every accounting period (3 quanta) the period's ticks are handed out
 *     as credit to the VMs that have not stopped, in proportion to their
 *     weights; a VM is charged one credit per host tick it runs.  Credit
 *     is clamped to +-1 period, so an idle VM cannot hoard it, and what a
 *     VM at the clamp cannot take is shared out among the others by
 *     their weights (as Xen hands credit only to its active VMs): a VM
 *     that sleeps, or waits forever, does not dilute the shares of the
 *     VMs that compete for the CPU;
 *   - priority: BOOST > UNDER (credit > 0) > OVER; round robin within one.
 *     An UNDER VM runs at most its credit (at least a 1/8 quantum), an
 *     OVER one a whole quantum;
 *   - cap C %: a VM runs at most C % of each period, then is parked until
 *     the next, even if the CPU would idle (caps are not work-conserving);
 *   - boost: a VM woken by an interrupt (real time: it blocked in wfi) that
 *     is UNDER runs before every VM not boosted, and the VM on the CPU is
 *     preempted when the wake is due (Xen's "tickle"), so an interactive
 *     VM keeps a low wake-up latency beside CPU hogs.  The boost ends with
 *     its turn.
 *
 * Lab 5 (labs/lab5/README.md) writes work conservation and the credit
 * scheduler; round robin and the statistics are given.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vmm_priv.h"

enum { PRIO_OVER, PRIO_UNDER, PRIO_BOOST };

static uint64_t quantum(const struct host *h)
{
	return h->cfg.quantum ? h->cfg.quantum : HOST_QUANTUM_DEFAULT;
}

static uint64_t period(const struct host *h)
{
	return HOST_PERIOD_QUANTA * quantum(h);
}

static bool credit(const struct host *h)
{
	return h->cfg.sched == HOST_SCHED_CREDIT;
}

/* The host ticks of each period VM vm may run under its cap (0: none). */
static uint64_t cap_ticks(const struct host *h, const struct vm *vm)
{
	return period(h) * vm->sc.cap / 100;
}

void sched_init_vm(struct vm *vm, unsigned weight, unsigned cap)
{
	struct vm_sched *sc = &vm->sc;

	sc->state = VMS_RUNNABLE;
	sc->weight = weight ? weight : HOST_WEIGHT_DEFAULT;
	sc->cap = cap;
	sc->woken_at = UINT64_MAX;
	sc->budget_end = HW_NO_BUDGET;
	sc->exit.reason = VMM_NEXIT;	/* running */
}

/* --- work conservation ------------------------------------------------------ */

uint64_t sched_turn_ticks(const struct host *h, uint64_t used, uint64_t slept)
{
	/* LAB5 BEGIN: work conservation: the host ticks a turn took (task 1) */
	if (h->cfg.time == HOST_TIME_VIRTUAL && !h->cfg.idle_in_wfi)
		return used - slept;	/* asleep, it gave the CPU away */
	return used;
	/* LAB5 STUB
	(void)h;
	if (slept) {
		fprintf(stderr, "vmlab: lab5: a turn that slept in wfi (sched_turn_ticks, vm/vmm/sched.c) not implemented\n");
		abort();
	}
	return used;
	LAB5 END */
}

/* VM vm is BLOCKED (real time, work-conserving: it waits in wfi for
 * wake_at): true if it is runnable again now. */
static bool wake(struct host *h, struct vm *vm)
{
	struct vm_sched *sc = &vm->sc;

	/* LAB5 BEGIN: work conservation: runnable again at its wake tick (task 2) */
	if (sc->wake_at > h->now)
		return false;
	sc->state = VMS_RUNNABLE;
	sc->woken_at = sc->wake_at;	/* its wait for the CPU starts there */
	sc->st.wakes++;
	return true;
	/* LAB5 STUB
	(void)h;
	(void)sc;
	fprintf(stderr, "vmlab: lab5: waking a VM blocked in wfi (wake, vm/vmm/sched.c) not implemented\n");
	abort();
	LAB5 END */
}

/* The host tick at which a VM that cannot run now may run again (a blocked
 * VM's wake, a parked VM's new period), or UINT64_MAX if none will. */
static uint64_t next_wake(const struct host *h)
{
	/* LAB5 BEGIN: work conservation: the next tick a VM can run again (task 2) */
	uint64_t w = UINT64_MAX;

	for (unsigned i = 0; i < h->nvm; i++) {
		const struct vm_sched *sc = &h->vm[i]->sc;

		if (sc->state == VMS_BLOCKED && sc->wake_at < w)
			w = sc->wake_at;
		if (sc->state == VMS_PARKED && h->period_end < w)
			w = h->period_end;
	}
	return w;
	/* LAB5 STUB
	for (unsigned i = 0; i < h->nvm; i++)
		if (h->vm[i]->sc.state == VMS_BLOCKED || h->vm[i]->sc.state == VMS_PARKED) {
			fprintf(stderr, "vmlab: lab5: the next wake (next_wake, vm/vmm/sched.c) not implemented\n");
			abort();
		}
	return UINT64_MAX;
	LAB5 END */
}

/* --- credit ---------------------------------------------------------------- */

/* A new accounting period: credit by weight, caps lifted. */
static void refill(struct host *h)
{
	/* LAB5 BEGIN: credit: a new period's credit by weight, caps lifted (task 3) */
	int64_t p = (int64_t)period(h), left = p;
	unsigned full = 0;	/* bit i: VM i is at the clamp, or stopped */

	for (unsigned i = 0; i < h->nvm; i++) {
		struct vm_sched *sc = &h->vm[i]->sc;

		if (sc->state == VMS_DONE) {
			full |= 1u << i;
			continue;
		}
		sc->period_ran = 0;
		if (sc->state == VMS_PARKED)
			sc->state = VMS_RUNNABLE;
	}
	/* Share out what is left among the VMs below the clamp, by weight,
	 * until none reaches it: what a VM cannot take goes to the others. */
	while (left > 0) {
		uint64_t total = 0, round = (uint64_t)left;
		unsigned was = full;

		for (unsigned i = 0; i < h->nvm; i++)
			if (!(full & 1u << i))
				total += h->vm[i]->sc.weight;
		if (!total)
			break;
		for (unsigned i = 0; i < h->nvm; i++) {
			struct vm_sched *sc = &h->vm[i]->sc;
			int64_t c;

			if (full & 1u << i)
				continue;
			c = (int64_t)(round * sc->weight / total);
			if (sc->credit + c >= p) {
				c = p - sc->credit;
				full |= 1u << i;
			}
			sc->credit += c;
			left -= c;
		}
		if (full == was)
			break;
	}
	/* LAB5 STUB
	fprintf(stderr, "vmlab: lab5: the credit scheduler's accounting (refill, vm/vmm/sched.c) not implemented\n");
	abort();
	LAB5 END */
	h->period_end += period(h);
}

/* A VM just woken from wfi: boosted if it has credit left. */
static void boost(struct host *h, struct vm *vm)
{
	/* LAB5 BEGIN: credit: the boost of a woken VM (task 7) */
	if (!h->cfg.no_boost && vm->sc.credit > 0) {
		vm->sc.boost = true;
		vm->sc.st.boosts++;
	}
	/* LAB5 STUB
	(void)vm;
	if (!h->cfg.no_boost) {
		fprintf(stderr, "vmlab: lab5: the boost (boost, vm/vmm/sched.c) not implemented\n");
		abort();
	}
	LAB5 END */
}

/* Every period that has ended by now, refilled in turn.  After the CPU
 * idled there may be many (a timer 2^32 ticks away, a restored clock):
 * once a refill changes no credit, the ones after it would change none
 * either (nothing runs between them), so they are skipped at once. */
static void periods_to_now(struct host *h)
{
	while (h->now >= h->period_end) {
		int64_t was[HOST_MAXVM];
		bool same = true;

		for (unsigned i = 0; i < h->nvm; i++)
			was[i] = h->vm[i]->sc.credit;
		refill(h);
		for (unsigned i = 0; i < h->nvm; i++)
			same &= was[i] == h->vm[i]->sc.credit;
		if (same && h->now >= h->period_end)
			h->period_end += (h->now - h->period_end) / period(h) * period(h)
					 + period(h);
	}
}

void sched_tick(struct host *h)
{
	for (unsigned i = 0; i < h->nvm; i++)
		if (h->vm[i]->sc.state == VMS_BLOCKED && wake(h, h->vm[i]) && credit(h))
			boost(h, h->vm[i]);
	if (credit(h))
		periods_to_now(h);
}

/* VM vm ran 'ran' host ticks of its turn: it pays for them. */
static void pay(struct host *h, struct vm *vm, uint64_t ran)
{
	struct vm_sched *sc = &vm->sc;

	/* LAB5 BEGIN: credit: a credit per tick, the boost over (tasks 3, 7) */
	sc->boost = false;
	sc->credit -= (int64_t)ran;
	if (sc->credit < -(int64_t)period(h))
		sc->credit = -(int64_t)period(h);
	/* LAB5 STUB
	(void)h;
	(void)sc;
	(void)ran;
	fprintf(stderr, "vmlab: lab5: paying for a turn (pay, vm/vmm/sched.c) not implemented\n");
	abort();
	LAB5 END */
}

/* VM vm ran 'ran' host ticks of its turn: parked if it used its cap. */
static void park(struct host *h, struct vm *vm, uint64_t ran)
{
	struct vm_sched *sc = &vm->sc;

	/* LAB5 BEGIN: caps: parked for the rest of the period (task 6) */
	sc->period_ran += ran;
	if (sc->cap && sc->period_ran >= cap_ticks(h, vm) && sc->state == VMS_RUNNABLE)
		sc->state = VMS_PARKED;
	/* LAB5 STUB
	(void)h;
	(void)ran;
	if (sc->cap) {
		fprintf(stderr, "vmlab: lab5: caps (park, vm/vmm/sched.c) not implemented\n");
		abort();
	}
	LAB5 END */
}

void sched_charge(struct host *h, struct vm *vm, uint64_t ran)
{
	struct vm_sched *sc = &vm->sc;

	sc->st.ran += ran;
	sc->st.turns++;
	h->st.turns++;
	h->last = vm->id;
	if (!credit(h))
		return;
	pay(h, vm, ran);
	park(h, vm, ran);
}

static int prio(const struct vm *vm)
{
	/* LAB5 BEGIN: credit: BOOST, UNDER or OVER (task 4) */
	if (vm->sc.boost)
		return PRIO_BOOST;
	return vm->sc.credit > 0 ? PRIO_UNDER : PRIO_OVER;
	/* LAB5 STUB
	(void)vm;
	fprintf(stderr, "vmlab: lab5: the priorities (prio, vm/vmm/sched.c) not implemented\n");
	abort();
	LAB5 END */
}

/* The runnable VM of the highest priority, the first after the one that
 * ran last among equals; NULL if none is runnable. */
static struct vm *pick_credit(struct host *h)
{
	/* LAB5 BEGIN: credit: the VM to run (task 4) */
	struct vm *best = NULL;

	for (unsigned k = 1; k <= h->nvm; k++) {
		struct vm *vm = h->vm[(h->last + k) % h->nvm];

		if (vm->sc.state == VMS_RUNNABLE && (!best || prio(vm) > prio(best)))
			best = vm;
	}
	return best;
	/* LAB5 STUB
	(void)h;
	(void)prio;
	fprintf(stderr, "vmlab: lab5: the credit scheduler's choice (pick_credit, vm/vmm/sched.c) not implemented\n");
	abort();
	LAB5 END */
}

/* The turn's length q (a quantum) as credit allows. */
static uint64_t credit_turn(const struct host *h, const struct vm *vm, uint64_t q)
{
	/* LAB5 BEGIN: credit: how long an UNDER VM runs; accounting on time (task 5) */
	if (vm->sc.credit > 0 && (uint64_t)vm->sc.credit < q)
		q = (uint64_t)vm->sc.credit < q / 8 ? (q / 8 ? q / 8 : 1) : (uint64_t)vm->sc.credit;
	if (h->period_end - h->now < q)
		q = h->period_end - h->now;
	return q;
	/* LAB5 STUB
	(void)h;
	(void)vm;
	(void)q;
	fprintf(stderr, "vmlab: lab5: the credit scheduler's turn (credit_turn, vm/vmm/sched.c) not implemented\n");
	abort();
	LAB5 END */
}

/* ... as its cap allows. */
static uint64_t cap_turn(const struct host *h, const struct vm *vm, uint64_t q)
{
	/* LAB5 BEGIN: caps: no turn past the cap (task 6) */
	if (vm->sc.cap && cap_ticks(h, vm) - vm->sc.period_ran < q)
		q = cap_ticks(h, vm) - vm->sc.period_ran;
	/* LAB5 STUB
	(void)h;
	(void)vm;
	(void)cap_ticks;	// lab5: caps (cap_turn, vm/vmm/sched.c) not implemented: park stops the run
	LAB5 END */
	return q;
}

/* ... and until a boosted wake preempts it. */
static uint64_t boost_turn(const struct host *h, uint64_t q)
{
	/* LAB5 BEGIN: credit: the boost preempts at the wake tick (task 7) */
	uint64_t w;

	if (!h->cfg.no_boost) {
		w = next_wake(h);
		if (w != UINT64_MAX && w > h->now && w - h->now < q)
			q = w - h->now;
	}
	/* LAB5 STUB
	(void)h;	// lab5: the boost's preemption (boost_turn, vm/vmm/sched.c) not implemented: a woken VM waits for the turn to end
	LAB5 END */
	return q;
}

static uint64_t turn_length(const struct host *h, const struct vm *vm)
{
	uint64_t q = quantum(h);

	if (!credit(h))
		return q;
	q = credit_turn(h, vm, q);
	q = cap_turn(h, vm, q);
	q = boost_turn(h, q);
	return q ? q : 1;
}

static struct vm *pick_rr(struct host *h)
{
	for (unsigned k = 1; k <= h->nvm; k++) {
		struct vm *vm = h->vm[(h->last + k) % h->nvm];

		if (vm->sc.state == VMS_RUNNABLE)
			return vm;
	}
	return NULL;
}

struct vm *sched_pick(struct host *h, uint64_t *ticks)
{
	struct vm *vm = credit(h) ? pick_credit(h) : pick_rr(h);
	uint64_t w;

	if (vm) {
		*ticks = turn_length(h, vm);
		return vm;
	}
	w = next_wake(h);
	*ticks = w == UINT64_MAX ? 0 : w > h->now ? w - h->now : 1;
	return NULL;
}

unsigned host_runqueue(const struct host *h, unsigned ids[HOST_MAXVM])
{
	unsigned n = 0;

	if (h->turn.vm >= 0)
		ids[n++] = (unsigned)h->turn.vm;
	/* sched_pick's order: from the VM after the last, by priority (credit),
	 * round robin within one. */
	for (int p = credit(h) ? PRIO_BOOST : PRIO_OVER; p >= PRIO_OVER; p--)
		for (unsigned k = 1; k <= h->nvm; k++) {
			const struct vm *vm = h->vm[(h->last + k) % h->nvm];

			if (vm->sc.state == VMS_RUNNABLE && (int)vm->id != h->turn.vm
			    && (!credit(h) || prio(vm) == p))
				ids[n++] = vm->id;
		}
	return n;
}
