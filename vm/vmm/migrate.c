/*
 * migrate.c - live migration, the source side (migrate.h, MIGRATION.md).
 *
 *   reservation    RSRV: the VM's size, ISA variant, --pv, disk, name;
 *                  the destination makes an empty VM and answers OKAY
 *   pre-copy       round 0: every page that is not all zeros (the
 *                  destination's fresh RAM is); round n: the pages the
 *                  dirty log marked during round n-1.  The guest runs all
 *                  along: after each link step (bw pages) it runs
 *                  MIG_STEP_TICKS ticks.  ROND closes a round.
 *   stop rules     the dirty set is small enough; the round limit; or the
 *                  guest dirtied as many pages during the round as it sent
 *                  or more (the dirty rate is not below the send rate: more
 *                  rounds would not shrink what is left); from round 1 on,
 *                  as round 0 copies what memory holds, not what the guest
 *                  writes
 *   stop-and-copy  STOP; the last dirty pages; STAT: the CPU, the VCPU,
 *                  guest time, the devices and the disk (vmsnap.c's
 *                  sections without RAM); the destination loads it into
 *                  the new VM and answers ACK
 *   commitment     CMIT: the source gives the VM up; the destination
 *                  writes the disk, answers OWN and runs it (activation)
 *
 * Until OWN arrives the source still owns the VM: any failure (the
 * connection lost, a refusal, the guest stopping) ends the migration and
 * the guest runs on here, having seen nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "migwire.h"
#include "snap.h"
#include "vmm_priv.h"

#define BIT(p)		(UINT64_C(1) << ((p) & 63))

/* One outgoing migration. */
struct msrc {
	struct vm *vm;
	struct mig_wire w;
	const struct mig_params *p;
	struct mig_stats *st;
	uint64_t *todo;		/* the pages of the round being sent */
	uint32_t npages;
	enum vmm_exit_reason *r;
	struct vmm_exit *ex;
	enum mig_stage stage;
	char *err;
	size_t errsize;
};

enum { STEP_OK = 0, STEP_LOST = -1, STEP_STOPPED = 1, STEP_FAILED = 2 };

static void enter(struct msrc *s, enum mig_stage stage)
{
	s->stage = stage;
	if (s->w.io->stage)
		s->w.io->stage(s->w.io->ctx, stage);
}

/* Run the guest for ticks (not past the run's end): STEP_OK, or
 * STEP_STOPPED if it stopped for any other reason (*s->r, *s->ex). */
static int run_guest(struct msrc *s, uint64_t ticks)
{
	uint64_t now = vmm_ticks(s->vm), end = s->p->end;

	if (now >= end) {
		*s->r = VMM_EXIT_BUDGET;
		*s->ex = (struct vmm_exit){ .reason = VMM_EXIT_BUDGET, .pc = vmm_get_pc(s->vm) };
		return STEP_STOPPED;
	}
	if (ticks > end - now)
		ticks = end - now;
	vmm_set_budget(s->vm, ticks);
	*s->r = vmm_run(s->vm, s->ex);
	if (*s->r == VMM_EXIT_BUDGET && !s->ex->message && vmm_ticks(s->vm) - now == ticks
	    && vmm_ticks(s->vm) < end)
		return STEP_OK;
	return STEP_STOPPED;
}

static int send_page(struct msrc *s, uint32_t page)
{
	uint8_t h[4];

	mw_st32(h, page);
	s->st->pages++;
	return mw_send2(&s->w, "PAGE", h, 4, s->vm->gram + ((size_t)page << ISA_PAGE_SHIFT),
			ISA_PAGE_SIZE);
}

/* Send every page of s->todo, bw per link step, the guest running
 * MIG_STEP_TICKS after each step (at least one step).  *sent: pages sent. */
static int send_round(struct msrc *s, uint32_t *sent)
{
	uint32_t p = 0, bw = s->p->bw;

	*sent = 0;
	do {
		for (uint32_t step = 0; p < s->npages && (!bw || step < bw); p++) {
			if (!(s->todo[p / 64] & BIT(p)))
				continue;
			if (send_page(s, p))
				return STEP_LOST;
			step++;
			(*sent)++;
		}
		if (run_guest(s, MIG_STEP_TICKS))
			return STEP_STOPPED;
	} while (p < s->npages);
	return STEP_OK;
}

static int answer(struct msrc *s, const char *want);

/* Close round n of 'sent' pages: its figures, its ROND record, and the
 * destination's RACK: the round has arrived, not merely left (else the
 * last rounds would still sit in the sockets' buffers when the guest
 * stops, and the downtime would include them). */
static int end_round(struct msrc *s, unsigned n, uint32_t sent)
{
	uint8_t b[8];

	if (n >= MIG_MAX_ROUNDS) {	/* a pre-copy that ignores the round limit */
		snprintf(s->err, s->errsize, "round %u: more than %u rounds", n, MIG_MAX_ROUNDS);
		return STEP_FAILED;
	}
	s->st->rounds = n + 1;
	s->st->round_pages[n] = sent;
	mw_st32(b, n);
	mw_st32(b + 4, sent);
	if (mw_send(&s->w, "ROND", b, sizeof b))
		return STEP_LOST;
	return answer(s, "RACK") ? STEP_FAILED : STEP_OK;
}

/*
 * The pre-copy: rounds of pages while the guest runs, until a stop rule
 * says to stop the guest and send the rest.  s->todo holds round 0's
 * pages; the dirty log is on.  STEP_OK with st->rule set: time for the
 * stop-and-copy, s->todo holding the pages dirtied during the last round
 * (the stop-and-copy adds those marked since).  STEP_LOST, STEP_STOPPED: as
 * send_round; STEP_FAILED: the destination failed (s->err says how).
 */
static int precopy(struct msrc *s)
{
	uint32_t max = s->p->max_rounds && s->p->max_rounds < MIG_MAX_ROUNDS ? s->p->max_rounds
									     : MIG_MAX_ROUNDS;
	uint32_t small = s->p->stop_pages ? s->p->stop_pages : MIG_STOP_PAGES;

	/* LAB9 BEGIN: the pre-copy rounds and the stop rule (task 4) */
	for (unsigned n = 0;; n++) {
		uint32_t sent, dirty;
		int rc = send_round(s, &sent);

		if (rc)
			return rc;
		if ((rc = end_round(s, n, sent)))
			return rc;
		dirty = vmm_dirtylog_sync(s->vm, s->todo);
		if (dirty <= small) {
			s->st->rule = "the dirty set is small";
		} else if (n + 1 >= max) {
			s->st->rule = "the round limit";
		} else if (n >= 1 && dirty >= sent) {
			s->st->rule = "the dirty rate is not below the send rate";
		} else {
			continue;
		}
		return STEP_OK;
	}
	/* LAB9 STUB
	(void)max;
	(void)small;
	(void)send_round;
	(void)end_round;
	vmm_not_implemented(s->vm, "lab9: the pre-copy loop (precopy, vm/vmm/migrate.c)");
	return run_guest(s, 1);
	LAB9 END */
}

/* Wait for the destination's answer 'want' (or FAIL and its message). */
static int answer(struct msrc *s, const char *want)
{
	char tag[5], why[160];
	uint8_t *body;
	size_t len;
	enum mw_result rc = mw_recv(&s->w, tag, &body, &len, why, sizeof why);

	if (rc == MW_LOST) {
		snprintf(s->err, s->errsize, "the destination failed during the %s (%s)",
			 mig_stage_name(s->stage), s->w.lost);
		return -1;
	}
	if (rc == MW_OK && !strcmp(tag, "FAIL")) {
		snprintf(s->err, s->errsize, "the destination refused the VM: %.*s",
			 (int)(len < 200 ? len : 200), body ? (const char *)body : "");
		free(body);
		return -1;
	}
	free(body);
	if (rc != MW_OK || strcmp(tag, want)) {
		snprintf(s->err, s->errsize, "the destination answered %s during the %s",
			 rc == MW_OK ? "out of turn" : "with a corrupt record",
			 mig_stage_name(s->stage));
		return -1;
	}
	return 0;
}

static int reserve(struct msrc *s)
{
	uint8_t b[20 + 32] = { 0 };
	struct vm *vm = s->vm;
	char why[160];

	enter(s, MIG_RESERVE);
	mw_st32(b, vm->gmem >> 20);
	mw_st32(b + 4, (uint32_t)hw_isa_variant(vm->m));
	mw_st32(b + 8, vm->pv.offered);
	mw_st32(b + 12, vm->disk.fd >= 0);
	mw_st32(b + 16, vm->disk.nsectors);
	snprintf((char *)b + 20, 32, "%s", s->p->name ? s->p->name : "vm0");
	if (mw_send_preamble(&s->w) || mw_send(&s->w, "RSRV", b, sizeof b)) {
		snprintf(s->err, s->errsize, "cannot send the reservation (%s)", s->w.lost);
		return -1;
	}
	if (mw_recv_preamble(&s->w, why, sizeof why)) {
		snprintf(s->err, s->errsize, "the destination: %s", why);
		return -1;
	}
	return answer(s, "OKAY");
}

/* Round 0: the pages that are not all zeros. */
static void first_round(struct msrc *s)
{
	static const uint8_t zero[ISA_PAGE_SIZE];

	for (uint32_t p = 0; p < s->npages; p++)
		if (memcmp(s->vm->gram + ((size_t)p << ISA_PAGE_SHIFT), zero, ISA_PAGE_SIZE))
			s->todo[p / 64] |= BIT(p);
}

static int lost(struct msrc *s)
{
	snprintf(s->err, s->errsize, "the connection was lost during the %s (%s)",
		 mig_stage_name(s->stage), s->w.lost);
	return -1;
}

/* Stop-and-copy and commitment: 0 once the destination owns the VM. */
static int stop_and_copy(struct msrc *s)
{
	struct snap_buf b = { 0 };
	char why[200];
	double t0 = mw_now_ms();
	uint64_t *more = calloc((s->npages + 63) / 64 + 1, sizeof *more);
	int rc;

	enter(s, MIG_STOPCOPY);
	s->st->stop_tick = vmm_ticks(s->vm);
	if (!more) {
		snprintf(s->err, s->errsize, "out of memory for the migration");
		return -1;
	}
	vmm_dirtylog_sync(s->vm, more);
	for (uint32_t w = 0; w < (s->npages + 63) / 64; w++)
		s->todo[w] |= more[w];
	free(more);
	if (mw_send(&s->w, "STOP", NULL, 0))
		return lost(s);
	for (uint32_t p = 0; p < s->npages; p++)
		if (s->todo[p / 64] & BIT(p)) {
			if (send_page(s, p))
				return lost(s);
			s->st->stop_pages++;
		}
	if (vmm_state_save_ex(s->vm, &b, false, why, sizeof why)) {
		snprintf(s->err, s->errsize, "%s", why);
		snap_buf_free(&b);
		return -1;
	}
	rc = b.failed ? -1 : mw_send(&s->w, "STAT", b.p, b.len);
	snap_buf_free(&b);
	if (rc)
		return lost(s);
	if (answer(s, "ACK "))
		return -1;
	enter(s, MIG_COMMIT);
	if (mw_send(&s->w, "CMIT", NULL, 0))
		return lost(s);
	enter(s, MIG_ACTIVATE);
	if (answer(s, "OWN "))
		return -1;
	s->st->down_ms = mw_now_ms() - t0;
	return 0;
}

enum mig_outcome vmm_migrate_out(struct vm *vm, const struct mig_io *io,
				 const struct mig_params *p, struct mig_stats *st,
				 enum vmm_exit_reason *r, struct vmm_exit *ex, char *err,
				 size_t errsize)
{
	struct msrc s = { .vm = vm, .w = { .io = io }, .p = p, .st = st, .r = r, .ex = ex,
			  .err = err, .errsize = errsize, .npages = vm->gmem >> ISA_PAGE_SHIFT };
	double t0 = mw_now_ms();
	enum mig_outcome out = MIG_FAILED;
	int rc;

	*st = (struct mig_stats){ .start_tick = vmm_ticks(vm) };
	*r = VMM_EXIT_BUDGET;
	*ex = (struct vmm_exit){ .reason = VMM_EXIT_BUDGET, .pc = vmm_get_pc(vm) };
	if (vm->halt != VMM_NEXIT) {
		snprintf(err, errsize, "the VM has stopped: nothing to migrate");
		return MIG_FAILED;
	}
	s.todo = calloc((s.npages + 63) / 64 + 1, sizeof *s.todo);
	if (!s.todo || vmm_dirtylog_start(vm, err, errsize)) {
		free(s.todo);
		if (!s.todo)
			snprintf(err, errsize, "out of memory for the migration");
		return MIG_FAILED;
	}
	if (reserve(&s) == 0) {
		enter(&s, MIG_PRECOPY);
		first_round(&s);
		rc = precopy(&s);
		if (rc == STEP_STOPPED) {
			static const char why[] = "the guest stopped";

			mw_send(&s.w, "ABRT", why, sizeof why - 1);
			snprintf(err, errsize, "the guest stopped during the %s: migration abandoned",
				 mig_stage_name(s.stage));
			out = MIG_GUEST_STOPPED;
		} else if (rc == STEP_LOST) {
			lost(&s);
		} else if (rc == STEP_FAILED) {
			;	/* err says why */
		} else if (stop_and_copy(&s) == 0) {
			out = MIG_MOVED;
		}
	}
	if (out == MIG_FAILED) {	/* as if the caller's slice had just ended */
		*r = VMM_EXIT_BUDGET;
		*ex = (struct vmm_exit){ .reason = VMM_EXIT_BUDGET, .pc = vmm_get_pc(vm) };
	}
	vmm_dirtylog_stop(vm);
	free(s.todo);
	st->bytes = s.w.bytes;
	st->total_ms = mw_now_ms() - t0;
	return out;
}

const char *mig_stage_name(enum mig_stage s)
{
	static const char *const names[MIG_NSTAGE] = {
		[MIG_RESERVE] = "reservation", [MIG_PRECOPY] = "pre-copy",
		[MIG_STOPCOPY] = "stop-and-copy", [MIG_COMMIT] = "commitment",
		[MIG_ACTIVATE] = "activation",
	};

	return s > 0 && s < MIG_NSTAGE ? names[s] : "migration";
}
