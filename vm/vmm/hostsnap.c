/*
 * hostsnap.c - snapshots of a host of several VMs (kind SNAP_HOST of
 * vm/hw/snap.h's container): the scheduler's state and clock, then each
 * VM, its guest state written by vmsnap.c's vmm_state_save unchanged.
 *
 *   "HOST"  the scheduler's configuration (policy, time mode, quantum, work
 *           conservation, boost), the host clock, the next accounting
 *           tick, the VM that ran last, the VM the scheduler last put on
 *           the machine, the host's statistics, and the turn in progress
 *           (whose, ticks left, run and slept so far, when it was woken)
 *   then, for each VM in order:
 *   "HVM "  its name, memory size, weight and cap; its scheduler state
 *           (runnable, blocked, parked, stopped; credit, boost, the wfi it
 *           blocked in and when it wakes, ticks run this period, real-time
 *           skew), its statistics; a stopped VM: how it stopped and its
 *           clock
 *           ... then the VM's own sections: ("ISA ", "VM  ", "WFI ", "CONS",
 *           "DISK", "DIMG", "GRAM", "PV  "), vmsnap.c's; of a VM that
 *           has stopped only "CONS", "DISK" and "DIMG"
 *
 * A VM that has stopped keeps how it stopped, its clock, its console's
 * count and its disk's contents: it will not run again.  Restoring wants a host made with
 * the same scheduler configuration and the same VMs (count, names, memory
 * sizes, weights, caps): anything else is refused, by name, before the host
 * is used.  The per-VM budget (host_config.budget) counts from the restore.
 */
#include <stdlib.h>
#include <string.h>

#include "snap.h"
#include "vmm_priv.h"

/* A host clock no run reaches (2^62 ticks), so that the scheduler's sums
 * on it cannot wrap; a snapshot's clock must be below it, and its next
 * accounting tick at most a period after it (behind it is fine: the CPU
 * idled over periods not yet accounted). */
#define CLOCK_LIMIT	(UINT64_C(1) << 62)

static uint64_t eff_quantum(const struct host_config *c)
{
	return c->quantum ? c->quantum : HOST_QUANTUM_DEFAULT;
}

static void host_sect_save(const struct host *h, struct snap_buf *b)
{
	snap_begin(b, "HOST");
	snap_put32(b, h->nvm);
	snap_put32(b, h->cfg.sched);
	snap_put32(b, h->cfg.time);
	snap_put64(b, eff_quantum(&h->cfg));
	snap_put32(b, h->cfg.idle_in_wfi);
	snap_put32(b, h->cfg.no_boost);
	snap_put64(b, h->now);
	snap_put64(b, h->period_end);
	snap_put32(b, h->last);
	snap_put32(b, (uint32_t)h->sched_cur);
	snap_put64(b, h->st.idle);
	snap_put64(b, h->st.switches);
	snap_put64(b, h->st.turns);
	snap_put32(b, (uint32_t)h->turn.vm);
	snap_put64(b, h->turn.left);
	snap_put64(b, h->turn.used);
	snap_put64(b, h->turn.slept);
	snap_put64(b, h->turn.woken);
	snap_end(b);
}

static void vm_sect_save(const struct vm *vm, struct snap_buf *b)
{
	const struct vm_sched *sc = &vm->sc;
	char name[HOST_NAME_MAX_LEN] = { 0 };
	const uint64_t *st = &sc->st.ran;	/* ran .. boosts: 8 counters */

	snprintf(name, sizeof name, "%s", vm->name);
	snap_begin(b, "HVM ");
	snap_put_bytes(b, name, sizeof name);
	snap_put32(b, vm->gmem >> 20);
	snap_put32(b, sc->weight);
	snap_put32(b, sc->cap);
	snap_put32(b, sc->state);
	snap_put64(b, (uint64_t)sc->credit);
	snap_put32(b, sc->boost);
	snap_put32(b, sc->blocked);
	snap_put64(b, sc->wake_guest);
	snap_put64(b, sc->wake_at);
	snap_put64(b, sc->woken_at);
	snap_put64(b, sc->period_ran);
	snap_put64(b, (uint64_t)sc->skew);
	snap_put64(b, vm->saved.host_now);
	for (unsigned i = 0; i < 8; i++)
		snap_put64(b, st[i]);
	if (sc->state == VMS_DONE) {
		char msg[sizeof vm->message] = { 0 };

		if (sc->exit.message)
			snprintf(msg, sizeof msg, "%s", sc->exit.message);
		snap_put32(b, sc->exit.reason);
		snap_put32(b, sc->exit.code);
		snap_put32(b, sc->exit.pc);
		snap_put32(b, sc->exit.message != NULL);
		snap_put_bytes(b, msg, sizeof msg);
		snap_put64(b, vm->host->cur == vm ? vm_now(vm) : vm->saved.now);
	}
	snap_end(b);
}

_Static_assert(offsetof(struct host_vm_stats, boosts) - offsetof(struct host_vm_stats, ran)
	       == 7 * sizeof(uint64_t), "the 8 counters saved from ran on");

int host_state_save(struct host *h, struct snap_buf *b, char *err, size_t errsize)
{
	struct vm *cur = h->cur;
	int rc = 0;

	host_sect_save(h, b);
	for (unsigned i = 0; i < h->nvm && !rc; i++) {
		struct vm *vm = h->vm[i];

		vm_sect_save(vm, b);
		host_select(vm);	/* its registers are the machine's */
		if (vm->sc.state == VMS_DONE) {
			cons_save(&vm->cons, b);
			rc = disk_save(&vm->disk, b, err, errsize);
		} else {
			rc = vmm_state_save(vm, b, err, errsize);
		}
		if (rc) {
			char why[256];

			snprintf(why, sizeof why, "%s: %s", vm->name, err);
			snprintf(err, errsize, "%s", why);
			rc = -1;
		}
	}
	if (cur)
		host_select(cur);
	return rc;
}

/* --- restoring ---------------------------------------------------------------- */

static const char *sched_name(uint32_t s)
{
	return s == HOST_SCHED_CREDIT ? "--sched=credit" : "--sched=rr";
}

/* The HOST section into h; false (r says why) if it is malformed or the
 * host was made otherwise. */
static bool host_sect_load(struct host *h, struct snap_rd *r)
{
	uint32_t n, sched, time, idle, noboost, last, scur, tvm;
	uint64_t q, now, pend, st[3], turn[4];
	char why[160];

	if (!snap_section(r, "HOST"))
		return false;
	n = snap_get32(r);
	sched = snap_get32(r);
	time = snap_get32(r);
	q = snap_get64(r);
	idle = snap_get32(r);
	noboost = snap_get32(r);
	now = snap_get64(r);
	pend = snap_get64(r);
	last = snap_get32(r);
	scur = snap_get32(r);
	for (unsigned i = 0; i < 3; i++)
		st[i] = snap_get64(r);
	tvm = snap_get32(r);
	for (unsigned i = 0; i < 4; i++)
		turn[i] = snap_get64(r);
	if (!snap_section_end(r))
		return false;
	if (n < 1 || n > HOST_MAXVM || sched > HOST_SCHED_CREDIT || time > HOST_TIME_REAL
	    || !q || idle > 1 || noboost > 1 || last >= n || (scur >= n && scur != UINT32_MAX)
	    || (tvm >= n && tvm != UINT32_MAX) || q > UINT32_MAX || now >= CLOCK_LIMIT
	    || (pend > now && pend - now > HOST_PERIOD_QUANTA * q)) {
		snap_invalid(r, "host state out of range");
		return false;
	}
	why[0] = '\0';
	if (n != h->nvm)
		snprintf(why, sizeof why, "a snapshot of %u VMs, this host has %u", n, h->nvm);
	else if (sched != h->cfg.sched)
		snprintf(why, sizeof why, "the snapshot's host runs %s, not %s", sched_name(sched),
			 sched_name(h->cfg.sched));
	else if (time != h->cfg.time)
		snprintf(why, sizeof why, "the snapshot's host runs --time=%s, not --time=%s",
			 time ? "real" : "virtual", h->cfg.time ? "real" : "virtual");
	else if (q != eff_quantum(&h->cfg))
		snprintf(why, sizeof why, "the snapshot's host runs --quantum %llu, not %llu",
			 (unsigned long long)q, (unsigned long long)eff_quantum(&h->cfg));
	else if (idle != h->cfg.idle_in_wfi || noboost != h->cfg.no_boost)
		snprintf(why, sizeof why, "the snapshot's host runs %s and %s, not this one",
			 idle ? "--idle-in-wfi" : "work-conserving",
			 noboost ? "--no-boost" : "with the boost");
	if (why[0]) {
		snap_refuse(r, why);
		return false;
	}
	h->now = now;
	h->period_end = pend;
	h->last = last;
	h->sched_cur = (int)scur;
	h->st.idle = st[0];
	h->st.switches = st[1];
	h->st.turns = st[2];
	h->turn = (struct host_turn_state){ .vm = (int)tvm, .left = turn[0], .used = turn[1],
					    .slept = turn[2], .woken = turn[3] };
	return true;
}

/* A stopped VM: it keeps how it stopped, where (its pc) and its clock,
 * and will not run again; its registers and RAM are not saved. */
static void vm_stopped(struct vm *vm, uint32_t reason, uint32_t code, uint32_t pc,
		       const char *msg, bool has_msg, uint64_t ticks)
{
	host_select(vm);
	hw_set_pc(vm->m, pc);
	vm->tick_off = ticks - hw_ticks(vm->m);
	vm->power_code = code;
	vm_halt(vm, (enum vmm_exit_reason)reason, has_msg ? msg : NULL);
	vm->halt_exit.pc = pc;
	vm->sc.exit = vm->halt_exit;
}

/* One VM's HVM section and, unless it stopped, its own sections. */
static bool vm_load(struct host *h, struct vm *vm, struct snap_rd *r)
{
	struct vm_sched *sc = &vm->sc;
	char name[HOST_NAME_MAX_LEN + 1] = { 0 }, why[160];
	const uint8_t *p;
	uint32_t mib, weight, cap, state, boost, blocked;
	uint64_t cnt[8], v[7];

	if (!snap_section(r, "HVM ") || !(p = snap_get_bytes(r, HOST_NAME_MAX_LEN)))
		return false;
	memcpy(name, p, HOST_NAME_MAX_LEN);
	mib = snap_get32(r);
	weight = snap_get32(r);
	cap = snap_get32(r);
	state = snap_get32(r);
	v[0] = snap_get64(r);	/* credit */
	boost = snap_get32(r);
	blocked = snap_get32(r);
	for (unsigned i = 1; i < 7; i++)	/* wake_guest .. host_now */
		v[i] = snap_get64(r);
	for (unsigned i = 0; i < 8; i++)
		cnt[i] = snap_get64(r);
	if (state > VMS_DONE || boost > 1 || blocked > 1) {
		snap_invalid(r, "VM scheduler state out of range");
		return false;
	}
	why[0] = '\0';
	if (strcmp(name, vm->name))
		snprintf(why, sizeof why, "VM %u is '%.*s' in the snapshot, '%s' here", vm->id,
			 HOST_NAME_MAX_LEN, name, vm->name);
	else if (mib != vm->gmem >> 20)
		snprintf(why, sizeof why, "%s: a %u MiB VM in the snapshot, %u MiB here", vm->name,
			 mib, vm->gmem >> 20);
	else if (weight != sc->weight || cap != sc->cap)
		snprintf(why, sizeof why, "%s: weight=%u cap=%u in the snapshot, weight=%u cap=%u "
			 "here", vm->name, weight, cap, sc->weight, sc->cap);
	if (why[0]) {
		snap_refuse(r, why);
		return false;
	}
	if (state == VMS_DONE) {
		uint32_t reason = snap_get32(r), code = snap_get32(r), pc = snap_get32(r);
		uint32_t has_msg = snap_get32(r);
		char msg[sizeof vm->message];
		uint64_t ticks;

		if (!(p = snap_get_bytes(r, sizeof msg)))
			return false;
		memcpy(msg, p, sizeof msg);
		msg[sizeof msg - 1] = '\0';
		ticks = snap_get64(r);
		if (!snap_section_end(r) || !cons_load(&vm->cons, r)
		    || !disk_load(&vm->disk, r, &h->snap_disk[vm->id]))
			return false;
		if (reason >= VMM_NEXIT || reason == VMM_EXIT_BREAKPOINT || has_msg > 1) {
			snap_invalid(r, "a stopped VM's exit out of range");
			return false;
		}
		vm_stopped(vm, reason, code, pc, msg, has_msg, ticks);
	} else {
		if (!snap_section_end(r))
			return false;
		host_select(vm);	/* its registers go to the machine */
		if (!vmm_state_load(vm, r, &h->snap_disk[vm->id]))
			return false;
	}
	sc->state = (enum vm_run_state)state;
	sc->credit = (int64_t)v[0];
	sc->boost = boost;
	sc->blocked = blocked;
	sc->wake_guest = v[1];
	sc->wake_at = v[2];
	sc->woken_at = v[3];
	sc->period_ran = v[4];
	sc->skew = (int64_t)v[5];
	vm->saved.host_now = v[6];
	memcpy(&sc->st.ran, cnt, sizeof cnt);
	return true;
}

bool host_state_load(struct host *h, struct snap_rd *r)
{
	if (!host_sect_load(h, r))
		return false;
	for (unsigned i = 0; i < h->nvm; i++)
		if (!vm_load(h, h->vm[i], r))
			return false;
	if (h->turn.vm >= 0 && h->vm[h->turn.vm]->sc.state == VMS_DONE) {
		snap_invalid(r, "the turn in progress is a stopped VM's");
		return false;
	}
	for (unsigned i = 0; i < h->nvm; i++) {
		struct vm *vm = h->vm[i];

		if (h->cfg.budget && vm->sc.state != VMS_DONE) {	/* counts from here */
			host_select(vm);
			vm->sc.budget_end = vm_now(vm) + h->cfg.budget;
		}
	}
	host_select(h->vm[h->turn.vm >= 0 ? h->turn.vm : h->sched_cur >= 0 ? h->sched_cur : 0]);
	return true;
}

/* --- the container's steps (snap.h) ------------------------------------------- */

struct host_make {
	const struct host_config *cfg;
	const struct host_vm_config *vms;
	unsigned n;
};

static uint32_t host_mib(const struct host *h)
{
	uint32_t mib = 0;

	for (unsigned i = 0; i < h->nvm; i++)
		mib += h->vm[i]->gmem >> 20;
	return mib;
}

static int save_op(const void *obj, struct snap_buf *b, char *why, size_t whysize)
{
	return host_state_save((struct host *)obj, b, why, whysize);
}

/* The header's memory size is the VMs' in all; each VM's is checked with
 * its name (vm_load), which says more. */
static int make_op(const void *cfg, uint32_t mib, void **obj, char *why, size_t whysize)
{
	const struct host_make *c = cfg;

	(void)mib;
	return host_new(c->cfg, c->vms, c->n, (struct host **)obj, why, whysize);
}

static bool load_op(void *obj, struct snap_rd *r, const uint8_t **disk_image)
{
	*disk_image = NULL;	/* each VM's is in snap_disk */
	return host_state_load(obj, r);
}

static int commit_op(void *obj, const uint8_t *disk_image, char *why, size_t whysize)
{
	struct host *h = obj;

	(void)disk_image;
	for (unsigned i = 0; i < h->nvm; i++)
		if (disk_put_image(&h->vm[i]->disk, h->snap_disk[i], why, whysize))
			return -1;
	memset(h->snap_disk, 0, sizeof h->snap_disk);	/* they pointed into the payload */
	return 0;
}

static void discard_op(void *obj)
{
	host_free(obj);
}

static const struct snap_ops host_ops = {
	.kind = SNAP_HOST, .noun = "host", .save = save_op, .make = make_op,
	.load = load_op, .commit = commit_op, .discard = discard_op,
};

int host_save(struct host *h, const char *path, char *err, size_t errsize)
{
	return snap_save(&host_ops, h, host_mib(h), path, err, errsize);
}

int host_restore(const struct host_config *cfg, const struct host_vm_config *vms, unsigned n,
		 const char *path, const uint8_t *state, size_t len, struct host **out,
		 char *err, size_t errsize)
{
	struct host_make c = { cfg, vms, n };
	void *h = NULL;
	int rc;

	if (path) {
		rc = snap_restore(&host_ops, &c, 0, path, &h, err, errsize);
	} else {
		uint32_t mib = 0;

		for (unsigned i = 0; i < n; i++)
			mib += vms[i].vm->mem_mib ? vms[i].vm->mem_mib : 16;
		rc = snap_restore_payload(&host_ops, &c, mib, "checkpoint", state, len, &h, err,
					  errsize);
	}
	*out = h;
	return rc;
}
