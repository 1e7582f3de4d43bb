/*
 * timetravel.c - reverse-step and reverse-continue: going back in a
 * deterministic machine is going forward again from an earlier state.
 *
 * While the shell runs the guest (go() in cmd_run.c), it keeps in-memory
 * checkpoints (the target's state, as a snapshot's sections, uncompressed)
 * at least every 'period' ticks.  At most MON_TT_MAX are kept, in at most
 * TT_BYTES (or two, the first and the latest, for a large guest): when
 * full, every other one of the older ones is dropped and the period
 * doubles, so the history reaches back to the start of the session in
 * bounded memory.
 *
 *   reverse-step N     from the latest checkpoint before now, step forward
 *                      (console muted, no points, no tracing) counting the
 *                      k steps that lead to the present; k >= N: restore it
 *                      again and step k - N; else try the checkpoint before.
 *   reverse-continue   from the latest checkpoint, run forward with the
 *                      shell's points to the present, counting the stops
 *                      (breakpoint, watchpoint, catch) before it; if any,
 *                      restore again and run to the last of them; else try
 *                      the checkpoint before.
 *
 * The present is (ticks, pc, mode): no two steps of a run share all three.
 * Checkpoints after the state landed on are dropped (going forward again
 * makes them anew).  Console input is not replayed: going back over input
 * the guest consumed is refused when the replay cannot find the present.
 */
#include <stdlib.h>
#include <string.h>

#include "shell.h"
#include "snap.h"

#define PERIOD0	(1u << 17)	/* ticks between checkpoints, at first */
#define TT_BYTES	((size_t)192 << 20)	/* memory for checkpoints, beyond two */

struct present {
	uint64_t ticks;
	uint32_t pc;
	bool kernel;
};

static struct present present_of(const struct target *t)
{
	return (struct present){ t->ops->ticks(t), t->ops->get_pc(t), t->ops->kernel(t) };
}

static bool at(const struct target *t, const struct present *p)
{
	return t->ops->ticks(t) == p->ticks && t->ops->get_pc(t) == p->pc
	       && t->ops->kernel(t) == p->kernel;
}

void mon_tt_reset(struct mon_shell *sh)
{
	for (unsigned i = 0; i < sh->hist.n; i++)
		snap_buf_free(&sh->hist.c[i].b);
	sh->hist.n = 0;
	sh->hist.period = PERIOD0;
}

/* Keep the first, every other one of the older half, and the newer half. */
static void thin(struct mon_history *h)
{
	unsigned w = 1;

	for (unsigned i = 1; i < h->n; i++) {
		if (i < h->n / 2 && i % 2) {
			snap_buf_free(&h->c[i].b);
			continue;
		}
		h->c[w++] = h->c[i];
	}
	h->n = w;
	h->period *= 2;
}

static void drop_after(struct mon_history *h, uint64_t ticks)
{
	while (h->n > 1 && h->c[h->n - 1].tick > ticks)
		snap_buf_free(&h->c[--h->n].b);
}

uint64_t mon_tt_budget(struct mon_shell *sh)
{
	struct mon_history *h = &sh->hist;
	uint64_t now = sh->t->ops->ticks(sh->t), due;

	if (h->n == 0 || mon_vm_label(sh, 0))	/* no history of a host */
		return 0;
	due = h->c[h->n - 1].tick + h->period;
	return due > now ? due - now : 0;
}

void mon_tt_note(struct mon_shell *sh)
{
	struct mon_history *h = &sh->hist;
	struct target *t = sh->t;
	uint64_t now = t->ops->ticks(t);
	struct snap_buf b = { 0 };
	char err[256];

	if (mon_vm_label(sh, 0))	/* several VMs: no history (README) */
		return;

	if (!h->period)
		h->period = PERIOD0;
	if (sh->dead || (h->n && (now < h->c[h->n - 1].tick + h->period)))
		return;
	if (t->ops->checkpoint(t, &b, err, sizeof err) || b.failed) {
		snap_buf_free(&b);	/* no checkpoint: the history is shorter */
		return;
	}
	size_t bytes = b.len;

	for (unsigned i = 0; i < h->n; i++)
		bytes += h->c[i].b.len;
	if (h->n == MON_TT_MAX || (h->n > 2 && bytes > TT_BYTES)) {
		thin(h);
	} else if (h->n == 2 && bytes > TT_BYTES) {
		snap_buf_free(&h->c[--h->n].b);	/* keep the first and the new one */
		h->period *= 2;
	}
	h->c[h->n].tick = now;
	h->c[h->n].b = b;
	h->n++;
}

/* Replace the guest by the state in b, muted for a replay. */
static int rewind_to(struct mon_shell *sh, const struct snap_buf *b)
{
	struct target *t = sh->t;
	char err[512];

	if (t->ops->restore(t, &sh->cfg, NULL, b->p, b->len, err, sizeof err))
		return mon_error(sh, "%s", err);
	t->ops->set_cons_out(t, NULL);
	t->ops->stop_on(t, 0, false);
	t->ops->set_budget(t, HW_NO_BUDGET);
	return 0;
}

/* Back to normal after a replay: the console, the tracer, the points. */
static void unmute(struct mon_shell *sh, uint32_t mask)
{
	struct target *t = sh->t;

	sh->sink.tr.mask = mask;
	t->ops->set_cons_out(t, sh->cfg.cons_out);
	t->ops->set_tracer(t, &sh->sink.tr);
	mon_points_reapply(sh);
	sh->dead = false;
	drop_after(&sh->hist, t->ops->ticks(t));
}

/* Steps from here to the present p, or -1 if it is not on the way. */
static int64_t count_steps(struct mon_shell *sh, const struct present *p)
{
	struct target *t = sh->t;
	struct tgt_stop_info si;
	int64_t k = 0;

	while (!at(t, p)) {
		if (t->ops->ticks(t) > p->ticks || t->ops->run(t, true, &si) != TGT_STEP)
			return -1;
		k++;
	}
	return k;
}

static int step_n(struct mon_shell *sh, int64_t n)
{
	struct tgt_stop_info si;

	for (int64_t i = 0; i < n; i++)
		if (sh->t->ops->run(sh->t, true, &si) != TGT_STEP)
			return -1;
	return 0;
}

/*
 * Run from here to the present p with the shell's points; stop at the
 * stop_at-th stop before it (0: none).  Returns the stops counted, or -1
 * if the present is not on the way.
 */
static int64_t run_hits(struct mon_shell *sh, const struct present *p, int64_t stop_at)
{
	struct target *t = sh->t;
	struct tgt_stop_info si;
	bool all, over = false;
	int64_t hits = 0;

	uint32_t causes = mon_catch_mask(sh, 0, &all);

	t->ops->stop_on(t, causes, all);
	while (!at(t, p)) {
		uint64_t now = t->ops->ticks(t);

		if (now > p->ticks)
			return -1;
		t->ops->set_budget(t, now < p->ticks ? p->ticks - now : HW_NO_BUDGET);
		switch (t->ops->run(t, over || now == p->ticks, &si)) {
		case TGT_STEP:
		case TGT_BUDGET:
			over = false;
			continue;
		case TGT_BREAK:
		case TGT_WATCH:
		case TGT_TRAP:
			over = si.reason == TGT_BREAK;
			if (at(t, p))
				return hits;
			if (++hits == stop_at)
				return hits;
			continue;
		default:
			return -1;
		}
	}
	return hits;
}

/* Which checkpoint to start from: the latest at or before the present
 * (the last one when from is n), then the ones before. */
static int prev_ckpt(const struct mon_history *h, int from, uint64_t ticks)
{
	while (--from >= 0)
		if (h->c[from].tick <= ticks)
			return from;
	return -1;
}

/* Shared by both commands: find, from the latest checkpoint back, the one
 * from which 'want' (steps back, or the last stop) can be reached, and land
 * there.  Returns 0 landed, -1 error (the present restored). */
static int travel(struct mon_shell *sh, uint64_t nsteps, bool to_stop, const char *what)
{
	struct target *t = sh->t;
	struct mon_history *h = &sh->hist;
	struct present p = present_of(t);
	struct snap_buf now = { 0 };
	uint32_t mask = sh->sink.tr.mask;
	char err[256];
	int i = (int)h->n;

	if (sh->dead)
		return mon_error(sh, "the guest has stopped for good; 'reset' starts it again");
	if (t->ops->checkpoint(t, &now, err, sizeof err) || now.failed) {
		snap_buf_free(&now);
		return mon_error(sh, "%s: cannot keep the present: %s", what, err);
	}
	sh->sink.tr.mask = 0;
	while ((i = prev_ckpt(h, i, p.ticks)) >= 0) {
		int64_t k;

		if (rewind_to(sh, &h->c[i].b))
			break;
		if (to_stop)
			mon_points_reapply(sh);
		k = to_stop ? run_hits(sh, &p, 0) : count_steps(sh, &p);
		if (k < 0) {
			mon_error(sh, "%s: the replay does not reach the present (console input?)",
				  what);
			break;
		}
		if (k == 0 || (!to_stop && (uint64_t)k < nsteps && i > 0))
			continue;
		if (rewind_to(sh, &h->c[i].b))
			break;
		if (to_stop) {
			mon_points_reapply(sh);
			run_hits(sh, &p, k);
		} else if (step_n(sh, k > (int64_t)nsteps ? k - (int64_t)nsteps : 0)) {
			break;
		}
		unmute(sh, mask);
		snap_buf_free(&now);
		mon_report(sh, what);
		return 0;
	}
	/* Nothing earlier (or an error): back to the present, where the guest
	 * was shown stopped: the next continue goes on from it. */
	if (rewind_to(sh, &now) == 0) {
		t->ops->break_pass(t);
		unmute(sh, mask);
	}
	sh->sink.tr.mask = mask;
	snap_buf_free(&now);
	if (i < 0)
		return mon_error(sh, to_stop ? "%s: no breakpoint, watchpoint or catch hit in the "
				 "recorded history" : "%s: no recorded history before this point",
				 what);
	return -1;
}

int cmd_reverse_step(struct mon_shell *sh, int argc, char **argv)
{
	uint32_t n = 1;

	if (argc > 1)
		return mon_error(sh, "usage: reverse-step [N]");
	if (argc == 1 && (mon_eval(sh, argv[0], &n) || n == 0))
		return argc == 1 && n == 0 ? mon_error(sh, "reverse-step: N must be at least 1")
					   : -1;
	if (mon_vm_label(sh, 0))
		return mon_error(sh, "reverse-step is for one VM, not --vm");
	return travel(sh, n, false, "reverse-step");
}

int cmd_reverse_continue(struct mon_shell *sh, int argc, char **argv)
{
	(void)argv;
	if (argc)
		return mon_error(sh, "reverse-continue takes no arguments");
	if (mon_vm_label(sh, 0))
		return mon_error(sh, "reverse-continue is for one VM, not --vm");
	return travel(sh, 0, true, "reverse-continue");
}
