/*
 * test_vmm_fast.c - the dispatcher's fast paths: the machine serves the
 * guest kernel's plain control-register reads and writes from the VCPU's
 * registers without an exit (vm/vmm/vm.c vcr_arm, vm/hw hw_set_vcr), and
 * calls the VMM from inside hw_run for every exception a guest raises
 * (fast_trap), so that the guest goes on without the round trip through
 * the VMM's run loop.  Nothing may tell the paths apart but host time: the
 * guest state, the statistics and the trace lines are compared with both
 * on (fast), with every privileged instruction trapping (trap:
 * vmm_set_served_crs off) and with every exit through the run loop (slow:
 * vmm_set_fast_exits off), and the boundary work the run loop would do
 * after an exit (a paravirtual completion due; an interrupt the virtual
 * flag lets in, in test_vmm_pv.c) happens on the same tick on the fast
 * path.
 */
#include "test_vmm_util.h"

/* What one run leaves: the trace, the statistics, the exit. */
struct seen {
	char *trace, *stats;
	size_t trace_len, stats_len;
	FILE *tf;
	enum vmm_exit_reason reason;
	uint64_t ticks;
};

static void record(void *ctx, const struct trace_event *ev)
{
	struct seen *s = ctx;

	fprintf(s->tf, "%llu %c%s 0x%08x %s %s %s\n", (unsigned long long)ev->tick,
		ev->kernel ? 'K' : 'U', ev->kernel == ev->kernel_after ? "" : ev->kernel_after ? ">K" : ">U",
		ev->pc, trace_cat_name(ev->cat), ev->what, ev->text);
}

/* Every category a run can emit under the VMM but the exits themselves,
 * whose tracing takes the run loop on purpose. */
#define TRACED	(TRACE_TRAP | TRACE_SHADOW | TRACE_IRQ | TRACE_DEV | TRACE_HCALL)

/* How the VMM takes its exits (vmlab run --exits=fast|trap|slow). */
enum path { SLOW, FAST, TRAP };
static const char *const path_name[] = { "slow", "fast", "trap" };

static struct vm *fast_vm(const char *elf, enum vmm_shadow_policy p, bool pv, const char *disk,
			  const struct tracer *tr, enum path path)
{
	struct vmm_config cfg = { .mem_mib = 16, .cons_in_fd = -1, .disk_path = disk, .shadow = p,
				  .pv = pv, .trace = tr, .slow_exits = path == SLOW,
				  .trap_crs = path != FAST };
	struct vm *vm;
	char err[256];

	cr_assert_eq(vmm_new(&cfg, &vm, err, sizeof err), 0, "vmm_new: %s", err);
	cr_assert_eq(vmm_load_elf(vm, elf, err, sizeof err), 0, "load: %s", err);
	return vm;
}

/* Run elf to its end (or budget) on one path. */
static struct vm *run_one(const char *elf, enum vmm_shadow_policy p, bool pv, const char *disk,
			  enum path fast, struct seen *s)
{
	struct tracer tr = { .mask = TRACED, .fn = record, .ctx = s };
	struct vm *vm;
	struct vmm_exit ex;
	FILE *sf;

	memset(s, 0, sizeof *s);
	s->tf = open_memstream(&s->trace, &s->trace_len);
	cr_assert(s->tf);
	vm = fast_vm(elf, p, pv, disk, &tr, fast);
	vmm_set_budget(vm, 3000000);
	s->reason = vmm_run(vm, &ex);
	s->ticks = vmm_ticks(vm);
	fclose(s->tf);
	sf = open_memstream(&s->stats, &s->stats_len);
	cr_assert(sf);
	vmm_print_stats(vm, sf);
	fclose(sf);
	vt_check(vm, "after the run");
	return vm;
}

/* What the fast run (vf, f) and the slow one (vs, s) of one guest left:
 * every register, control register, tick, byte of RAM, trace line and
 * counter equal.  Frees what run_one recorded. */
static void expect_same(const char *what, struct vm *vf, struct seen *f, struct vm *vs,
			struct seen *s)
{
	cr_expect_eq(f->reason, s->reason, "%s: exit %d fast, %d slow", what, f->reason, s->reason);
	cr_expect_eq(f->ticks, s->ticks, "%s: ticks", what);
	/* One assertion per kind, naming the first difference. */
	unsigned r = 0, c = 0;

	cr_expect_eq(vmm_get_pc(vf), vmm_get_pc(vs), "%s: pc", what);
	while (r < ISA_NREGS && vmm_get_reg(vf, r) == vmm_get_reg(vs, r))
		r++;
	cr_expect_eq(r, ISA_NREGS, "%s: r%u differs", what, r);
	while (c < ISA_NCR && vmm_get_cr(vf, c) == vmm_get_cr(vs, c))
		c++;
	cr_expect_eq(c, ISA_NCR, "%s: %s differs", what, c < ISA_NCR ? isa_cr_name(c) : "");
	cr_expect_eq(memcmp(vf->gram, vs->gram, vf->gmem), 0, "%s: guest RAM differs", what);
	cr_expect(f->trace_len > 0, "%s: nothing traced", what);
	cr_expect_eq(f->trace_len == s->trace_len && !memcmp(f->trace, s->trace, f->trace_len), 1,
		     "%s: the traces differ (%zu and %zu bytes)", what, f->trace_len, s->trace_len);
	cr_expect(!strcmp(f->stats, s->stats), "%s: the statistics differ", what);
	free(f->trace);
	free(f->stats);
	free(s->trace);
	free(s->stats);
}

/* The privileged instructions the machine served in vm's last run: the
 * VMM counts them as PRIVILEGED exits, the machine as no trap. */
static uint64_t served(struct vm *vm)
{
	struct vmm_stats st;
	struct hw_stats hs;

	vmm_get_stats(vm, &st);
	hw_get_stats(vmm_machine(vm), &hs);
	return st.exits[ISA_CAUSE_PRIVILEGED] - hs.traps[ISA_CAUSE_PRIVILEGED];
}

/* elf (source file, or NULL and src) run on the fast and the trap paths
 * leaves what it leaves on the slow one; returns the instructions the fast
 * run served. */
static uint64_t compare_paths(const char *file, const char *src, enum vmm_shadow_policy p,
			      bool pv, bool with_disk)
{
	char *elf = vt_elf(file, src);
	char *disk[3] = { NULL, NULL, NULL };
	struct seen seen[3];
	struct vm *vm[3];
	uint64_t n;
	char what[160];

	for (int i = SLOW; i <= TRAP; i++) {
		disk[i] = with_disk ? vt_disk() : NULL;
		vm[i] = run_one(elf, p, pv, disk[i], (enum path)i, &seen[i]);
	}
	n = served(vm[FAST]);
	cr_expect_eq(served(vm[TRAP]), 0, "%s: the trap path served %llu", file ? file : "test.s",
		     (unsigned long long)served(vm[TRAP]));
	for (int i = FAST; i <= TRAP; i++) {
		snprintf(what, sizeof what, "%s (%s, %s%s)", file ? file : "test.s", path_name[i],
			 p == VMM_SHADOW_TRACE ? "trace" : "flush", pv ? ", pv" : "");
		/* expect_same frees what both runs recorded: the slow run's
		 * record is compared twice, so it is copied for the first. */
		if (i == FAST) {
			struct seen c = seen[SLOW];

			c.trace = malloc(seen[SLOW].trace_len + 1);
			c.stats = strdup(seen[SLOW].stats);
			cr_assert(c.trace && c.stats);
			memcpy(c.trace, seen[SLOW].trace, seen[SLOW].trace_len + 1);
			expect_same(what, vm[i], &seen[i], vm[SLOW], &c);
		} else {
			expect_same(what, vm[i], &seen[i], vm[SLOW], &seen[SLOW]);
		}
	}
	for (int i = SLOW; i <= TRAP; i++) {
		vmm_free(vm[i]);
		if (disk[i]) {
			unlink(disk[i]);
			free(disk[i]);
		}
	}
	unlink(elf);
	free(elf);
	return n;
}

/* The VMM's test programs: every cause reflected from user and kernel
 * mode, interrupts, paging and hidden faults, a hostile guest, pool
 * exhaustion, a double fault, a deadlock, the disk. */
static const char *const programs[] = {
	"tests/e2e/vmm/traps.s", "tests/e2e/vmm/irq.s", "tests/e2e/vmm/paging.s",
	"tests/e2e/vmm/hostile.s", "tests/e2e/vmm/exhaust.s", "tests/e2e/vmm/critical.s",
	"tests/e2e/vmm/doublefault.s", "tests/e2e/vmm/doublefault2.s",
	"tests/e2e/vmm/deadlock.s", "tests/e2e/vmm/cr.s", "tests/e2e/vmm/aspaces.s",
	"tests/e2e/vmm/disk.s",
};

Test(vmm_fast, the_guest_stats_and_traces_cannot_tell_the_paths_apart)
{
	uint64_t n = 0;

	for (size_t i = 0; i < sizeof programs / sizeof *programs; i++)
		for (int p = 0; p < 2; p++)
			for (int pv = 0; pv < 2; pv++)
				n += compare_paths(programs[i], NULL,
						   p ? VMM_SHADOW_TRACE : VMM_SHADOW_FLUSH, pv,
						   strstr(programs[i], "disk") != NULL);
	cr_expect_gt(n, 100, "the machine served %llu control register accesses",
		     (unsigned long long)n);
}

/* Every control register read (mfcr, rdst) and written (mtcr: all ones,
 * then zero, through the write masks) in virtual kernel mode, the served
 * ones and the others, mixed; then the same instructions in virtual user
 * mode, where each is the guest's PRIVILEGED trap (its handler logs cause,
 * badva and epc and skips it).  Every value read lands in 'log'. */
static const char crs_src[] =
	"	la	t0, handler\n"
	"	mtcr	tvec, t0\n"
	"	la	s0, log\n"
	"	li	t1, -1\n"
#define CR_ROUND(cr)							\
	"	mtcr	" cr ", t1\n"						\
	"	mfcr	t2, " cr "\n"						\
	"	sw	t2, 0(s0)\n"						\
	"	mtcr	" cr ", zero\n"					\
	"	mfcr	t2, " cr "\n"						\
	"	sw	t2, 4(s0)\n"						\
	"	mtcr	" cr ", t1\n"						\
	"	addi	s0, s0, 8\n"
	CR_ROUND("tvec") CR_ROUND("epc") CR_ROUND("cause") CR_ROUND("badva")
	CR_ROUND("scratch") CR_ROUND("ipend") CR_ROUND("icount")
	"	mtcr	imask, t1\n"
	"	mfcr	t2, imask\n"
	"	sw	t2, 0(s0)\n"
	"	mtcr	imask, zero\n"
	"	mtcr	timecmp, t1\n"
	"	mfcr	t2, timecmp\n"
	"	sw	t2, 4(s0)\n"
	"	li	t2, 0xffe\n"		/* ptb without PG: paging stays off */
	"	mtcr	ptb, t2\n"
	"	mfcr	t2, ptb\n"
	"	sw	t2, 8(s0)\n"
	"	mtcr	ptb, zero\n"
	"	rdst	t2\n"
	"	sw	t2, 12(s0)\n"
	"	mfcr	t2, status\n"
	"	sw	t2, 16(s0)\n"
	"	li	t2, 0x5\n"		/* KM | PKM: served, PKM plain */
	"	mtcr	status, t2\n"
	"	rdst	t2\n"
	"	sw	t2, 20(s0)\n"
	"	li	t2, 0x9\n"		/* KM | PIE: served */
	"	mtcr	status, t2\n"
	"	mfcr	t2, status\n"
	"	sw	t2, 24(s0)\n"
	"	li	t2, 0x3\n"		/* KM | IE: IE rises, trapped */
	"	mtcr	status, t2\n"
	"	li	t2, 0xff\n"		/* + PKM, PIE: served, IE stays */
	"	mtcr	status, t2\n"
	"	rdst	t2\n"
	"	sw	t2, 28(s0)\n"
	"	li	t2, 0x1\n"		/* IE falls: trapped */
	"	mtcr	status, t2\n"
	"	addi	s0, s0, 32\n"
	"	la	t0, handler\n"
	"	mtcr	tvec, t0\n"
	"	la	t0, user\n"
	"	mtcr	epc, t0\n"
	"	li	t0, 0\n"		/* PKM = 0, PIE = 0: rfe to user mode */
	"	mtcr	status, t0\n"		/* (KM = 0 too: user mode at once) */
	"user:	mfcr	t2, scratch\n"
	"	mtcr	scratch, t1\n"
	"	rdst	t2\n"
	"	mfcr	t2, epc\n"
	"	mtcr	tvec, zero\n"
	"	syscall\n"
	"handler:\n"
	"	mfcr	t3, cause\n"
	"	sw	t3, 0(s0)\n"
	"	mfcr	t3, badva\n"
	"	sw	t3, 4(s0)\n"
	"	mfcr	t3, epc\n"
	"	sw	t3, 8(s0)\n"
	"	addi	s0, s0, 12\n"
	"	mfcr	t0, cause\n"
	"	li	t3, 3\n"			/* SYSCALL: the end */
	"	beq	t0, t3, 1f\n"
	"	mfcr	t3, epc\n"
	"	addi	t3, t3, 4\n"
	"	mtcr	epc, t3\n"
	"	rfe\n"				/* back to user mode, next instruction */
	"1:	out	zero, 0x20(zero)\n"
	"	.data\n"
	"log:	.space	512\n";
#undef CR_ROUND

/* src on the fast path ends as on the bare machine; returns what the
 * machine served. */
static uint64_t same_as_bare(const char *src)
{
	struct vt_pair bp;
	struct vmm_exit ex;
	struct hw_exit hx;
	uint64_t n;

	vt_pair_new(&bp, NULL, src);
	bp.vm = vt_vm(bp.elf, VMM_SHADOW_FLUSH, bp.disk[1]);
	vmm_set_budget(bp.vm, 100000);
	cr_assert_eq(vmm_run(bp.vm, &ex), VMM_EXIT_POWEROFF, "exit %d", ex.reason);
	n = served(bp.vm);
	hw_set_budget(bp.m, 100000);
	cr_assert_eq(hw_run(bp.m, &hx), HW_EXIT_POWEROFF);
	vt_same(bp.vm, bp.m);
	vt_pair_free(&bp);
	return n;
}

Test(vmm_fast, every_control_register_is_the_same_served_or_trapped_in_both_modes)
{
	uint64_t n = compare_paths(NULL, crs_src, VMM_SHADOW_FLUSH, false, false);

	/* Kernel mode: 7 rounds of 4 served, 3 reads of imask..ptb, rdst
	 * and mfcr status, 3 status writes and their 3 reads, tvec and epc;
	 * the handler's 3 reads (its mtcr epc and the rest) each of 6 times.
	 * None in user mode. */
	cr_expect_geq(n, 7 * 4 + 3 + 2 + 6 + 2 + 6 * 3, "served %llu", (unsigned long long)n);
	cr_expect_eq(same_as_bare(crs_src), n);
}

/* The timer, unmasked with IE on, fires s1 ticks after it is armed, for
 * s1 = 1 to 25: after each instruction of a run of served ones (and the
 * trapped setie before them) in turn.  Each interrupt's epc and icount
 * land in 'log'. */
static const char timer_src[] =
	"	la	t0, handler\n"
	"	mtcr	tvec, t0\n"
	"	li	t0, 1\n"
	"	mtcr	imask, t0\n"
	"	li	s1, 1\n"
	"	la	s0, log\n"
	"arm:	mfcr	t0, icount\n"
	"	add	t0, t0, s1\n"
	"	addi	t0, t0, 3\n"		/* s1 = 1: it fires at the setie */
	"	mtcr	timecmp, t0\n"
	"	li	t1, 1\n"
	"	setie	t1\n"
	"	mfcr	t2, scratch\n"
	"	mtcr	scratch, t2\n"
	"	mfcr	t2, epc\n"
	"	mtcr	badva, t2\n"
	"	mfcr	t2, cause\n"
	"	rdst	t2\n"
	"	mfcr	t2, tvec\n"
	"	mtcr	scratch, t2\n"
	"	mfcr	t2, status\n"
	"	mtcr	cause, t2\n"
	"	mfcr	t2, timecmp\n"
	"spin:	j	spin\n"
	"handler:\n"
	"	mfcr	t0, epc\n"
	"	sw	t0, 0(s0)\n"
	"	mfcr	t0, icount\n"
	"	sw	t0, 4(s0)\n"
	"	addi	s0, s0, 8\n"
	"	addi	s1, s1, 1\n"
	"	li	t0, 26\n"
	"	blt	s1, t0, arm\n"
	"	out	zero, 0x20(zero)\n"
	"	.data\n"
	"log:	.space	256\n";

Test(vmm_fast, a_timer_interrupt_lands_on_the_tick_of_a_served_instruction)
{
	uint64_t n = compare_paths(NULL, timer_src, VMM_SHADOW_FLUSH, false, false);

	cr_expect_gt(n, 25 * 8, "served %llu", (unsigned long long)n);
	cr_expect_eq(same_as_bare(timer_src), n);
}

/* A disk read started by an out (which may move the next event) and
 * completed 1024 ticks later while the guest makes only exits that leave
 * the next event where it was (mfcr ipend, not served) and served ones:
 * its interrupt comes on the bare machine's tick, the VMM keeping the next
 * event between those exits (vm.c next_event). */
static const char disk_src[] =
	"	la	t0, handler\n"
	"	mtcr	tvec, t0\n"
	"	li	t0, 4\n"			/* the disk line */
	"	mtcr	imask, t0\n"
	"	out	zero, 0x10(zero)\n"		/* sector 0 */
	"	la	t0, buf\n"
	"	out	t0, 0x11(zero)\n"
	"	li	t0, 1\n"
	"	out	t0, 0x12(zero)\n"		/* one sector */
	"	li	t1, 1\n"
	"	setie	t1\n"
	"	mfcr	s0, icount\n"
	"	out	t1, 0x13(zero)\n"		/* read */
	"spin:	mfcr	t2, ipend\n"
	"	mfcr	t3, scratch\n"
	"	addi	s1, s1, 1\n"
	"	j	spin\n"
	"handler:\n"
	"	mfcr	s2, icount\n"
	"	mfcr	s3, epc\n"
	"	out	zero, 0x20(zero)\n"
	"	.data\n"
	"buf:	.space	512\n";

Test(vmm_fast, a_disk_completes_on_its_tick_between_exits_that_keep_the_next_event)
{
	uint64_t n = compare_paths(NULL, disk_src, VMM_SHADOW_FLUSH, false, true);

	cr_expect_gt(n, 200, "served %llu", (unsigned long long)n);
	cr_expect_eq(same_as_bare(disk_src), n);
}

/* Where a run stops (breakpoints, watchpoints) until its end. */
struct stop {
	enum vmm_exit_reason reason;
	uint32_t pc;
	uint64_t ticks;
};

/* elf on path with breakpoints at bps[0..nbp-1] and a watchpoint at
 * guest-physical watch (0: none): its stops into out[], their count
 * returned; *n: what the machine served. */
static unsigned stops(const char *elf, enum path path, const uint32_t *bps, unsigned nbp,
		      uint32_t watch, struct stop *out, unsigned max, uint64_t *n)
{
	struct vm *vm = fast_vm(elf, VMM_SHADOW_FLUSH, false, NULL, NULL, path);
	struct vmm_exit ex;
	unsigned k = 0;
	enum vmm_exit_reason r;

	for (unsigned i = 0; i < nbp; i++)
		cr_assert_eq(vmm_break_add(vm, bps[i]), 0);
	if (watch)
		cr_assert_eq(vmm_watch_add(vm, watch), 0);
	vmm_set_budget(vm, 100000);
	do {
		r = vmm_run(vm, &ex);
		out[k++] = (struct stop){ r, ex.pc, vmm_ticks(vm) };
	} while ((r == VMM_EXIT_BREAKPOINT || r == VMM_EXIT_WATCHPOINT) && k < max);
	cr_assert_eq(r, VMM_EXIT_POWEROFF, "%s: exit %d", path_name[path], r);
	*n = served(vm);
	vmm_free(vm);
	return k;
}

/* Breakpoints (which turn the machine's serving off), a watchpoint (every
 * tick an event of the machine's checking loop, where it serves nothing)
 * and single steps stop the guest where the trap and slow paths and the
 * bare machine stop it. */
Test(vmm_fast, breakpoints_watchpoints_and_steps_stop_where_the_trap_path_does)
{
	char *elf = vt_elf(NULL, crs_src);
	struct vm *probe = fast_vm(elf, VMM_SHADOW_FLUSH, false, NULL, NULL, SLOW);
	uint32_t entry = vmm_get_pc(probe), log, bps[4];
	struct stop st[3][64];
	unsigned k[3];
	uint64_t n;
	struct vmm_exit ex;
	struct vt_pair bp;

	for (unsigned i = 0; i < 8; i++)	/* past la s0, log */
		vmm_step(probe, &ex);
	log = vmm_get_reg(probe, ISA_R_S0);
	vmm_free(probe);
	for (unsigned i = 0; i < 4; i++)
		bps[i] = entry + 4 * (7 + 13 * i);
	for (int w = 0; w < 2; w++) {
		for (int p = SLOW; p <= TRAP; p++) {
			k[p] = stops(elf, (enum path)p, bps, w ? 0 : 4, w ? log + 8 : 0, st[p], 64, &n);
			/* Under a watchpoint every tick is an event of the
			 * machine's checking loop: nothing is served. */
			if (p == FAST)
				cr_expect_eq(n, 0, "the %s run served %llu", w ? "watched" : "stopped",
					     (unsigned long long)n);
		}
		cr_expect_gt(k[SLOW], w ? 1 : 4, "%u stops", k[SLOW]);
		for (int p = FAST; p <= TRAP; p++) {
			cr_expect_eq(k[p], k[SLOW], "%s: %u stops, slow %u", path_name[p], k[p], k[SLOW]);
			for (unsigned i = 0; i < k[p] && i < k[SLOW]; i++)
				cr_expect(st[p][i].reason == st[SLOW][i].reason && st[p][i].pc == st[SLOW][i].pc
					  && st[p][i].ticks == st[SLOW][i].ticks,
					  "%s, stop %u: %d at 0x%x tick %llu, slow %d at 0x%x tick %llu",
					  path_name[p], i, st[p][i].reason, st[p][i].pc,
					  (unsigned long long)st[p][i].ticks, st[SLOW][i].reason,
					  st[SLOW][i].pc, (unsigned long long)st[SLOW][i].ticks);
		}
	}
	vt_pair_new(&bp, NULL, crs_src);
	bp.vm = vt_vm(bp.elf, VMM_SHADOW_FLUSH, bp.disk[1]);
	vt_same_steps(bp.vm, bp.m, "steps");
	vt_pair_free(&bp);
	unlink(elf);
	free(elf);
}

/* A paravirtual guest exercising the hypercalls the fast path now serves
 * (kernel-mode hcall), the bounce of user traps into its frame, and
 * HC_IRET back, many times over: s0 counts the round trips. */
static const char bounce_src[] =
	"	la	t0, vector\n"
	"	mtcr	tvec, t0\n"
	"	li	a0, 6\n"		/* HC_SHARED */
	"	la	a1, shared\n"
	"	hcall\n"
	"	la	t0, shared\n"
	"	la	t1, frame\n"
	"	sw	t1, 8(t0)\n"		/* frame */
	"	la	t1, entry\n"
	"	sw	t1, 12(t0)\n"		/* entry */
	"	la	t0, frame\n"
	"	la	t1, user\n"
	"	sw	t1, 64(t0)\n"		/* the user pc */
	"	li	a0, 7\n"		/* HC_IRET to user */
	"	mv	a1, t0\n"
	"	hcall\n"
	"user:	addi	s1, s1, 1\n"
	"	syscall\n"			/* bounced */
	"	li	t0, 300\n"
	"	blt	s1, t0, user\n"
	"	.word	0\n"			/* illegal: bounced too */
	"entry:	la	t0, shared\n"
	"	lw	t1, 16(t0)\n"		/* the cause the VMM posted */
	"	li	t2, 3\n"
	"	bne	t1, t2, 1f\n"
	"	addi	s0, s0, 1\n"
	"	lw	t1, 64(sp)\n"		/* epc += 4 */
	"	addi	t1, t1, 4\n"
	"	sw	t1, 64(sp)\n"
	"	addi	t1, s0, 0\n"
	"	sw	t1, 48(sp)\n"		/* the user's s0 (r12) = the count */
	"	li	a0, 0\n"		/* HC_PROBE, between */
	"	hcall\n"
	"	li	a0, 7\n"
	"	mv	a1, sp\n"
	"	hcall\n"
	"1:	mv	s2, t1\n"
	"	out	zero, 0x20(zero)\n"
	"vector:	li	s3, 1\n"	/* never: every user trap bounces */
	"	out	zero, 0x20(zero)\n"
	"	.data\n"
	"	.align	4\n"
	"frame:	.space	68\n"
	"	.align	4096\n"
	"shared:	.space	4096\n";

Test(vmm_fast, hypercalls_and_bounces_are_the_same_on_both_paths)
{
	char *elf = vt_elf(NULL, bounce_src);
	struct seen f, s;
	struct vm *vf = run_one(elf, VMM_SHADOW_FLUSH, true, NULL, FAST, &f);
	struct vm *vs = run_one(elf, VMM_SHADOW_FLUSH, true, NULL, SLOW, &s);

	cr_assert_eq(f.reason, VMM_EXIT_POWEROFF, "exit %d", f.reason);
	cr_expect_eq(vmm_get_reg(vf, ISA_R_S0 + 2), ISA_CAUSE_ILLEGAL, "the last bounce's cause");
	cr_expect_eq(vmm_get_reg(vf, ISA_R_S0 + 3), 0, "a user trap reached tvec");
	cr_expect_eq(vf->pv.bounced, 301, "bounced %llu", (unsigned long long)vf->pv.bounced);
	cr_expect_eq(vf->pv.calls[HC_IRET], 301);
	cr_expect_eq(vmm_get_reg(vf, ISA_R_S0), 300, "round trips");
	cr_expect(strstr(f.trace, "hcall iret"), "no iret traced");
	expect_same("bounce", vf, &f, vs, &s);
	vmm_free(vf);
	vmm_free(vs);
	unlink(elf);
	free(elf);
}

/* The block ring completes ISA_DISK_LATENCY ticks after the kick even while
 * the guest's privileged instructions exit on the fast path: the budget it
 * sets counts the ring's completion.  The guest polls used.idx, with an
 * mfcr and 200 ticks of work between polls; s1 = ticks from the kick to the
 * poll that saw the completion. */
Test(vmm_fast, the_ring_completes_on_its_tick_between_privileged_exits)
{
	char *disk = vt_disk();
	char *elf = vt_elf(NULL,
		"	li	a0, 8\n"		/* HC_BLK_SETUP, N = 4 */
		"	la	a1, ring\n"
		"	li	a2, 4\n"
		"	hcall\n"
		"	la	t0, ring\n"
		"	la	t1, hdr\n	sw t1, 0(t0)\n	li t1, 8\n	sw t1, 4(t0)\n"
		"	li	t1, 0x10001\n	sw t1, 8(t0)\n"
		"	la	t1, buf\n	sw t1, 12(t0)\n	li t1, 512\n	sw t1, 16(t0)\n"
		"	li	t1, 0x20003\n	sw t1, 20(t0)\n"
		"	la	t1, st\n	sw t1, 24(t0)\n	li t1, 1\n	sw t1, 28(t0)\n"
		"	li	t1, 2\n	sw t1, 32(t0)\n"
		"	li	t1, 1\n	sh t1, 1026(t0)\n"	/* avail.idx = 1, ring[0] = 0 */
		"	li	a0, 9\n"		/* kick */
		"	li	a1, 1\n"
		"	hcall\n"
		"	mfcr	s0, icount\n"
		"poll:	lhu	t2, 2050(t0)\n"	/* used.idx */
		"	bnez	t2, seen\n"
		"	mfcr	t1, icount\n"		/* a privileged exit */
		"	li	t3, 100\n"
		"1:	addi	t3, t3, -1\n"
		"	bnez	t3, 1b\n"
		"	j	poll\n"
		"seen:	mfcr	s1, icount\n"
		"	sub	s1, s1, s0\n"
		"	out	zero, 0x20(zero)\n"
		"	.data\n"
		"hdr:	.word	0, 0\n"
		"st:	.byte	9\n"
		"	.align	512\n"
		"buf:	.space	512\n"
		"	.align	4096\n"
		"ring:	.space	4096\n");
	uint32_t waited[2];

	for (int fast = 0; fast < 2; fast++) {
		struct vm *vm = fast_vm(elf, VMM_SHADOW_FLUSH, true, disk, NULL,
					fast ? FAST : SLOW);
		struct vmm_exit ex;

		vmm_set_budget(vm, 100000);
		cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_POWEROFF, "exit %d", ex.reason);
		waited[fast] = vmm_get_reg(vm, ISA_R_S0 + 1);
		vmm_free(vm);
	}
	/* One poll period is 206 ticks: seen at the first poll after it. */
	cr_expect(waited[1] >= ISA_DISK_LATENCY && waited[1] < ISA_DISK_LATENCY + 206 + 4,
		  "fast path: the completion was seen %u ticks after the kick", waited[1]);
	cr_expect_eq(waited[1], waited[0], "fast %u, slow %u", waited[1], waited[0]);
	unlink(elf);
	free(elf);
	unlink(disk);
	free(disk);
}
