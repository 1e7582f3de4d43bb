/*
 * test_mon_hwtrace.c - the machine's trace events (hw_set_tracer, hw.h):
 * trap entries and rfe with their modes, interrupt lines raised and taken,
 * port I/O and DMA, one insn event per instruction started, and that a
 * tracer changes nothing the guest can see.
 */
#include <stdlib.h>

#include "test_hw_util.h"
#include "trace.h"

#define MAXEV 4096

struct rec {
	unsigned n;
	struct {
		enum trace_cat cat;
		uint64_t tick;
		uint32_t pc;
		bool k, ka;
		char what[24], text[160];
	} e[MAXEV];
};

static void sink(void *ctx, const struct trace_event *ev)
{
	struct rec *r = ctx;

	if (r->n == MAXEV)
		return;
	r->e[r->n].cat = ev->cat;
	r->e[r->n].tick = ev->tick;
	r->e[r->n].pc = ev->pc;
	r->e[r->n].k = ev->kernel;
	r->e[r->n].ka = ev->kernel_after;
	snprintf(r->e[r->n].what, sizeof r->e[r->n].what, "%s", ev->what);
	snprintf(r->e[r->n].text, sizeof r->e[r->n].text, "%s", ev->text);
	r->n++;
}

static int find(const struct rec *r, enum trace_cat cat, const char *what, int from)
{
	for (unsigned i = (unsigned)from; i < r->n; i++)
		if (r->e[i].cat == cat && !strcmp(r->e[i].what, what))
			return (int)i;
	return -1;
}

static unsigned count(const struct rec *r, enum trace_cat cat)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->n; i++)
		n += r->e[i].cat == cat;
	return n;
}

/* User mode does a syscall; the handler returns to it with rfe; then user
 * mode executes a privileged instruction and the handler powers off. */
static const char *const prog =
	"_start:	la	t0, handler\n"
	"	mtcr	tvec, t0\n"
	"	la	t0, user\n"
	"	mtcr	epc, t0\n"
	"	li	t0, 0x1\n"
	"	mtcr	status, t0\n"
	"	rfe\n"
	"user:	syscall\n"
	"back:	mfcr	a0, status\n"
	"handler:	mfcr	t1, cause\n"
	"	li	t2, 3\n"
	"	bne	t1, t2, off\n"
	"	mfcr	t1, epc\n"
	"	addi	t1, t1, 4\n"
	"	mtcr	epc, t1\n"
	"	rfe\n"
	"off:	li	a0, 7\n"
	"	out	a0, 0x20(zero)\n";

Test(mon_hwtrace, trap_and_rfe_events_carry_the_modes)
{
	struct hwt t;
	struct rec *r = calloc(1, sizeof *r);
	struct tracer tr = { .mask = TRACE_TRAP, .fn = sink, .ctx = r };
	int i;

	hwt_init(&t);
	hwt_asm(&t, prog);
	hw_set_tracer(t.m, &tr);
	cr_assert_eq(hwt_run_off(&t), 7);
	/* rfe to user, syscall trap, rfe back, privileged trap: 4 events. */
	cr_assert_eq(r->n, 4, "%u events", r->n);
	i = find(r, TRACE_TRAP, "rfe", 0);
	cr_assert_eq(i, 0);
	cr_expect(r->e[0].k && !r->e[0].ka, "first rfe: K -> U");
	cr_expect_eq(r->e[1].pc, hwt_sym(&t, "user"));
	cr_expect_str_eq(r->e[1].what, "syscall");
	cr_expect(!r->e[1].k && r->e[1].ka, "syscall: U -> K");
	cr_expect(strstr(r->e[1].text, "epc=0x"), "text: %s", r->e[1].text);
	cr_expect_str_eq(r->e[2].what, "rfe");
	cr_expect(!r->e[2].ka);
	cr_expect_str_eq(r->e[3].what, "privileged");
	cr_expect_eq(r->e[3].pc, hwt_sym(&t, "back"));
	cr_expect(r->e[3].tick > r->e[1].tick);
	hwt_fini(&t);
	free(r);
}

Test(mon_hwtrace, masked_off_and_removed_tracers_emit_nothing)
{
	struct hwt t;
	struct rec *r = calloc(1, sizeof *r);
	struct tracer tr = { .mask = TRACE_EXIT | TRACE_SHADOW, .fn = sink, .ctx = r };

	hwt_init(&t);
	hwt_asm(&t, prog);
	hw_set_tracer(t.m, &tr);
	cr_assert_eq(hwt_run_off(&t), 7);
	cr_expect_eq(r->n, 0);
	tr.mask = TRACE_ALL;
	hwt_asm(&t, prog);
	hw_set_tracer(t.m, &tr);
	hw_set_tracer(t.m, NULL);
	cr_assert_eq(hwt_run_off(&t), 7);
	cr_expect_eq(r->n, 0);
	hwt_fini(&t);
	free(r);
}

Test(mon_hwtrace, one_insn_event_per_instruction_and_nothing_else_changes)
{
	struct hwt a, b;
	struct rec *r = calloc(1, sizeof *r);
	struct tracer tr = { .mask = TRACE_INSN, .fn = sink, .ctx = r };
	uint64_t plain_ticks;

	hwt_init(&a);
	hwt_asm(&a, prog);
	cr_assert_eq(hwt_run_off(&a), 7);
	plain_ticks = hw_ticks(a.m);

	hwt_init(&b);
	hwt_asm(&b, prog);
	hw_set_tracer(b.m, &tr);
	cr_assert_eq(hwt_run_off(&b), 7);
	cr_expect_eq(hw_ticks(b.m), plain_ticks);
	for (unsigned i = 0; i < ISA_NREGS; i++)
		cr_expect_eq(REG(&b, i), REG(&a, i), "r%u", i);
	/* The syscall and the privileged mfcr start but do not retire. */
	cr_expect_eq(count(r, TRACE_INSN), plain_ticks + 2, "%u insn events, %llu ticks",
		     count(r, TRACE_INSN), (unsigned long long)plain_ticks);
	cr_expect_eq(r->e[0].pc, 0x1000);
	cr_expect_eq(r->e[0].tick, 0);
	cr_expect(strstr(r->e[r->n - 1].text, "67400020 out") && strstr(r->e[r->n - 1].text, "a0, 32(zero)"), "last: %s",
		  r->e[r->n - 1].text);
	cr_expect_str_eq(r->e[r->n - 1].what, "out");
	for (unsigned i = 1; i < r->n; i++)
		cr_expect(r->e[i].tick >= r->e[i - 1].tick);
	hwt_fini(&a);
	hwt_fini(&b);
	free(r);
}

Test(mon_hwtrace, timer_line_raised_taken_lowered)
{
	struct hwt t;
	struct rec *r = calloc(1, sizeof *r);
	struct tracer tr = { .mask = TRACE_IRQ | TRACE_TRAP, .fn = sink, .ctx = r };
	int raise, take, trap, lower;

	hwt_init(&t);
	hwt_asm(&t, "_start:	la	t0, handler\n"
		    "	mtcr	tvec, t0\n"
		    "	li	t0, 1\n"
		    "	mtcr	imask, t0\n"
		    "	li	t0, 50\n"
		    "	mtcr	timecmp, t0\n"
		    "	li	t0, 3\n"
		    "	mtcr	status, t0\n"
		    "spin:	j	spin\n"
		    "handler:	mtcr	timecmp, zero\n"
		    "	li	a0, 5\n"
		    "	out	a0, 0x20(zero)\n");
	hw_set_tracer(t.m, &tr);
	cr_assert_eq(hwt_run_off(&t), 5);
	raise = find(r, TRACE_IRQ, "raise", 0);
	take = find(r, TRACE_IRQ, "take", 0);
	trap = find(r, TRACE_TRAP, "timer", 0);
	lower = find(r, TRACE_IRQ, "lower", 0);
	cr_assert(raise >= 0 && take > raise && trap > take && lower > trap,
		  "order raise %d take %d trap %d lower %d", raise, take, trap, lower);
	cr_expect_str_eq(r->e[raise].text, "timer");
	cr_expect_eq(r->e[raise].tick, 50);
	cr_expect_eq(r->e[trap].pc, hwt_sym(&t, "spin"));
	cr_expect(r->e[trap].k, "trapped from kernel mode");
	hwt_fini(&t);
	free(r);
}

Test(mon_hwtrace, port_io_and_dma)
{
	struct hwt t;
	struct rec *r = calloc(1, sizeof *r);
	struct tracer tr = { .mask = TRACE_DEV, .fn = sink, .ctx = r };
	char disk[] = "/tmp/mon_hwtrace_XXXXXX";
	int fd = mkstemp(disk), i;
	char sector[512] = "sector zero";

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, sector, sizeof sector), 512);
	close(fd);
	hwt_init_cfg(&t, 1, -1, disk);
	hwt_asm(&t, "_start:	li	t0, 0x8000\n"
		    "	out	t0, 0x11(zero)\n"
		    "	li	t0, 1\n"
		    "	out	t0, 0x12(zero)\n"
		    "	out	t0, 0x13(zero)\n"
		    "wait:	in	t1, 0x14(zero)\n"
		    "	andi	t1, t1, 2\n"
		    "	beq	t1, zero, wait\n"
		    "	li	a0, 65\n"
		    "	out	a0, 0(zero)\n"
		    "	out	zero, 0x20(zero)\n");
	hw_set_tracer(t.m, &tr);
	cr_assert_eq(hwt_run_off(&t), 0);
	cr_expect_str_eq(hwt_output(&t), "A");
	i = find(r, TRACE_DEV, "dma", 0);
	cr_assert(i >= 0);
	cr_expect_str_eq(r->e[i].text, "read sector=0 count=1 pa=0x00008000 ok");
	i = find(r, TRACE_DEV, "out", 0);
	cr_expect_str_eq(r->e[i].text, "port=0x11 (disk-addr) value=0x00008000");
	cr_expect_eq(r->e[i].pc, 0x1004, "pc of the out itself");
	i = find(r, TRACE_DEV, "in", 0);
	cr_expect(strstr(r->e[i].text, "(disk-status)"));
	cr_expect_str_eq(r->e[r->n - 2].text, "port=0x00 (cons-data) value=0x00000041");
	cr_expect_str_eq(r->e[r->n - 1].text, "port=0x20 (power) value=0x00000000");
	hwt_fini(&t);
	unlink(disk);
	free(r);
}
