/*
 * test_vmm_fast.c - the dispatcher's fast path (vm/vmm/vm.c fast_trap): the
 * machine calls the VMM from inside hw_run for every exception a guest
 * raises, and the guest goes on without the round trip through the VMM's
 * run loop.  Nothing may tell the two paths apart but host time: the guest
 * state, the statistics and the trace lines are compared with the fast
 * path on and off (vmm_set_fast_exits), and the boundary work the run loop
 * would do after an exit (a paravirtual completion due; an interrupt the
 * virtual flag lets in, in test_vmm_pv.c) happens on the same tick on the
 * fast path.
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

static struct vm *fast_vm(const char *elf, enum vmm_shadow_policy p, bool pv, const char *disk,
			  const struct tracer *tr, bool fast)
{
	struct vmm_config cfg = { .mem_mib = 16, .cons_in_fd = -1, .disk_path = disk, .shadow = p,
				  .pv = pv, .trace = tr, .slow_exits = !fast };
	struct vm *vm;
	char err[256];

	cr_assert_eq(vmm_new(&cfg, &vm, err, sizeof err), 0, "vmm_new: %s", err);
	cr_assert_eq(vmm_load_elf(vm, elf, err, sizeof err), 0, "load: %s", err);
	return vm;
}

/* Run elf to its end (or budget) with the fast path on or off. */
static struct vm *run_one(const char *elf, enum vmm_shadow_policy p, bool pv, const char *disk,
			  bool fast, struct seen *s)
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

static void compare_paths(const char *file, enum vmm_shadow_policy p, bool pv, bool with_disk)
{
	char *elf = vt_elf(file, NULL);
	char *disk[2] = { with_disk ? vt_disk() : NULL, with_disk ? vt_disk() : NULL };
	struct seen f, s;
	struct vm *vf = run_one(elf, p, pv, disk[0], true, &f);
	struct vm *vs = run_one(elf, p, pv, disk[1], false, &s);

	expect_same(file, vf, &f, vs, &s);
	vmm_free(vf);
	vmm_free(vs);
	for (unsigned i = 0; i < 2; i++)
		if (disk[i]) {
			unlink(disk[i]);
			free(disk[i]);
		}
	unlink(elf);
	free(elf);
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

Test(vmm_fast, the_guest_stats_and_traces_cannot_tell_the_paths_apart, .timeout = 120)
{
	for (size_t i = 0; i < sizeof programs / sizeof *programs; i++)
		for (int p = 0; p < 2; p++)
			for (int pv = 0; pv < 2; pv++)
				compare_paths(programs[i], p ? VMM_SHADOW_TRACE : VMM_SHADOW_FLUSH,
					      pv, strstr(programs[i], "disk") != NULL);
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
	struct vm *vf = run_one(elf, VMM_SHADOW_FLUSH, true, NULL, true, &f);
	struct vm *vs = run_one(elf, VMM_SHADOW_FLUSH, true, NULL, false, &s);

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
		struct vm *vm = fast_vm(elf, VMM_SHADOW_FLUSH, true, disk, NULL, fast);
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
