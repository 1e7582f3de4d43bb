/*
 * sched.c - the VM scheduler: which VM gets the machine next, and for how
 * many host ticks.  Deterministic: time is the host clock (host.h), never
 * the host computer's.
 *
 * Round robin (--sched=rr): the runnable VMs in turn, after the one that
 * ran last, each for one quantum.
 *
 * Credit (--sched=credit), after Xen's credit scheduler (Cherkasova et al.,
 * "Comparison of the three CPU schedulers in Xen", 2007):
 *
 *   - every accounting period (3 quanta) the period's ticks are handed out
 *     as credit to the VMs that have not stopped, in proportion to their
 *     weights; a VM is charged one credit per host tick it runs.  Credit
 *     is clamped to +-1 period, so an idle VM cannot hoard it;
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
 */
#include "vmm_priv.h"

#define PERIOD_QUANTA	3

enum { PRIO_OVER, PRIO_UNDER, PRIO_BOOST };

static uint64_t quantum(const struct host *h)
{
	return h->cfg.quantum ? h->cfg.quantum : HOST_QUANTUM_DEFAULT;
}

static uint64_t period(const struct host *h)
{
	return PERIOD_QUANTA * quantum(h);
}

static bool credit(const struct host *h)
{
	return h->cfg.sched == HOST_SCHED_CREDIT;
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

static int prio(const struct vm *vm)
{
	if (vm->sc.boost)
		return PRIO_BOOST;
	return vm->sc.credit > 0 ? PRIO_UNDER : PRIO_OVER;
}

static uint64_t cap_ticks(const struct host *h, const struct vm *vm)
{
	return period(h) * vm->sc.cap / 100;
}

/* A new accounting period: credit by weight, caps lifted. */
static void refill(struct host *h)
{
	uint64_t total = 0, p = period(h);

	for (unsigned i = 0; i < h->nvm; i++)
		if (h->vm[i]->sc.state != VMS_DONE)
			total += h->vm[i]->sc.weight;
	for (unsigned i = 0; i < h->nvm; i++) {
		struct vm_sched *sc = &h->vm[i]->sc;

		if (sc->state == VMS_DONE)
			continue;
		sc->credit += (int64_t)(p * sc->weight / total);
		if (sc->credit > (int64_t)p)
			sc->credit = (int64_t)p;
		sc->period_ran = 0;
		if (sc->state == VMS_PARKED)
			sc->state = VMS_RUNNABLE;
	}
	h->period_end += p;
}

void sched_tick(struct host *h)
{
	for (unsigned i = 0; i < h->nvm; i++) {
		struct vm *vm = h->vm[i];
		struct vm_sched *sc = &vm->sc;

		if (sc->state != VMS_BLOCKED || sc->wake_at > h->now)
			continue;
		sc->state = VMS_RUNNABLE;
		sc->woken_at = sc->wake_at;
		sc->st.wakes++;
		if (credit(h) && !h->cfg.no_boost && sc->credit > 0) {
			sc->boost = true;
			sc->st.boosts++;
		}
	}
	if (credit(h))
		while (h->now >= h->period_end)
			refill(h);
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
	sc->boost = false;
	sc->credit -= (int64_t)ran;
	if (sc->credit < -(int64_t)period(h))
		sc->credit = -(int64_t)period(h);
	sc->period_ran += ran;
	if (sc->cap && sc->period_ran >= cap_ticks(h, vm) && sc->state == VMS_RUNNABLE)
		sc->state = VMS_PARKED;
}

/* The ticks until the next thing that could make a VM runnable. */
static uint64_t next_wake(const struct host *h)
{
	uint64_t w = UINT64_MAX;

	for (unsigned i = 0; i < h->nvm; i++) {
		const struct vm_sched *sc = &h->vm[i]->sc;

		if (sc->state == VMS_BLOCKED && sc->wake_at < w)
			w = sc->wake_at;
		if (sc->state == VMS_PARKED && h->period_end < w)
			w = h->period_end;
	}
	return w;
}

static uint64_t turn_length(const struct host *h, const struct vm *vm)
{
	uint64_t q = quantum(h), w;

	if (!credit(h))
		return q;
	if (vm->sc.credit > 0 && (uint64_t)vm->sc.credit < q)
		q = (uint64_t)vm->sc.credit < q / 8 ? (q / 8 ? q / 8 : 1) : (uint64_t)vm->sc.credit;
	if (vm->sc.cap && cap_ticks(h, vm) - vm->sc.period_ran < q)
		q = cap_ticks(h, vm) - vm->sc.period_ran;
	if (h->period_end - h->now < q)		/* account exactly at the period */
		q = h->period_end - h->now;
	if (!h->cfg.no_boost) {			/* a boosted wake preempts */
		w = next_wake(h);
		if (w != UINT64_MAX && w > h->now && w - h->now < q)
			q = w - h->now;
	}
	return q ? q : 1;
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

struct vm *sched_pick(struct host *h, uint64_t *ticks)
{
	struct vm *best = NULL;
	uint64_t w;

	for (unsigned k = 1; k <= h->nvm; k++) {
		struct vm *vm = h->vm[(h->last + k) % h->nvm];

		if (vm->sc.state != VMS_RUNNABLE)
			continue;
		if (!credit(h)) {
			best = vm;
			break;
		}
		if (!best || prio(vm) > prio(best))
			best = vm;
	}
	if (best) {
		*ticks = turn_length(h, best);
		return best;
	}
	w = next_wake(h);
	*ticks = w == UINT64_MAX ? 0 : w > h->now ? w - h->now : 1;
	return NULL;
}
