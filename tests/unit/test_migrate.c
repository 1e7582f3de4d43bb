/*
 * test_migrate.c - the dirty log and live migration's stream (vm/vmm/
 * dirtylog.c, migrate.c, migrecv.c; vm/vmm/MIGRATION.md), in one process:
 * the source writes its stream into memory and reads the destination's
 * answers from a script, and the destination reads a recorded stream.
 */
#include "test_vmm_util.h"

#include "migrate.h"

/* A guest that keeps writing 64 pages (a word each, 300000 times) and
 * prints a letter every 4096 iterations. */
static const char writer_src[] =
	"	.text\n"
	"	.globl	_start\n"
	"_start:	li	s0, 0\n"
	"	li	s1, 300000\n"
	"	la	s2, buf\n"
	"1:	andi	t0, s0, 63\n"
	"	slli	t0, t0, 12\n"
	"	add	t0, t0, s2\n"
	"	lw	t1, 0(t0)\n"
	"	add	t1, t1, s0\n"
	"	sw	t1, 0(t0)\n"
	"	andi	t2, s0, 4095\n"
	"	bnez	t2, 2f\n"
	"	srli	t3, s0, 12\n"
	"	andi	t3, t3, 15\n"
	"	addi	t3, t3, 97\n"
	"	out	t3, 0(zero)\n"
	"2:	addi	s0, s0, 1\n"
	"	blt	s0, s1, 1b\n"
	"	li	t3, 10\n"
	"	out	t3, 0(zero)\n"
	"	out	zero, 0x20(zero)\n"
	"	.data\n"
	"	.align	4096\n"
	"buf:	.space	262144\n";

#define MIB 1u

static char *writer_elf(void)
{
	static char *elf;

	if (!elf)
		elf = vt_elf(NULL, writer_src);
	return elf;
}

static struct vm *writer_vm(enum vmm_shadow_policy p, FILE *out)
{
	struct vmm_config cfg = { .mem_mib = MIB, .cons_in_fd = -1, .cons_out = out, .shadow = p };
	struct vm *vm;
	char err[256];

	cr_assert_eq(vmm_new(&cfg, &vm, err, sizeof err), 0, "vmm_new: %s", err);
	cr_assert_eq(vmm_load_elf(vm, writer_elf(), err, sizeof err), 0, "load: %s", err);
	return vm;
}

/* Run to power-off; the exit code. */
static uint32_t run_out(struct vm *vm)
{
	struct vmm_exit ex;

	vmm_set_budget(vm, 50000000);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_POWEROFF, "the guest did not power off");
	return ex.code;
}

static char *text_of(FILE *f)
{
	long n;
	char *s;

	fflush(f);
	n = ftell(f);
	s = calloc((size_t)n + 1, 1);
	rewind(f);
	cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	return s;
}

/* The transcript of a run that never moved. */
static char *reference(enum vmm_shadow_policy p)
{
	FILE *f = tmpfile();
	struct vm *vm = writer_vm(p, f);
	char *s;

	run_out(vm);
	vmm_free(vm);
	s = text_of(f);
	fclose(f);
	return s;
}

/* --- the dirty log ------------------------------------------------------------ */

static bool has(const uint64_t *bits, uint32_t page)
{
	return bits[page / 64] >> (page % 64) & 1;
}

Test(dirtylog, marks_guest_stores_and_host_writes_and_clears_on_sync)
{
	struct vm *vm = writer_vm(VMM_SHADOW_FLUSH, NULL);
	uint64_t bits[(MIB << 8) / 64 + 1];
	struct vmm_exit ex;
	char err[128];
	uint32_t n, buf_page = 0;

	/* buf is the first 4 KiB-aligned page of .data: find a written page
	 * by running, syncing, and checking the count. */
	cr_assert_eq(vmm_dirtylog_start(vm, err, sizeof err), 0);
	vmm_set_budget(vm, 20000);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_BUDGET);
	n = vmm_dirtylog_sync(vm, bits);
	/* 20000 ticks of a 10-instruction loop: every one of the 64 pages. */
	cr_assert_geq(n, 64, "only %u pages marked", n);
	for (uint32_t p = 0; p < (MIB << 8); p++)
		if (has(bits, p)) {
			buf_page = p;
			break;
		}
	cr_assert_eq(vmm_dirtylog_sync(vm, bits), 0, "a sync right after a sync found pages");
	cr_assert(!has(bits, buf_page));
	/* A store after the sync faults again and marks its page again. */
	vmm_set_budget(vm, 200);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_BUDGET);
	n = vmm_dirtylog_sync(vm, bits);
	cr_assert(n >= 1 && n <= 40, "%u pages after 200 ticks", n);
	/* The host's writes mark too. */
	uint32_t v = 1;

	cr_assert_eq(vmm_guest_write(vm, 200 << 12, &v, 4), 0);
	cr_assert_eq(vmm_dirtylog_sync(vm, bits), 1);
	cr_assert(has(bits, 200));
	vmm_free(vm);
}

/* Logging with syncs every few thousand ticks changes nothing the guest
 * sees: the same transcript, exit code and tick count. */
static void logging_is_invisible(enum vmm_shadow_policy p)
{
	char *ref = reference(p);
	FILE *f = tmpfile();
	struct vm *vm = writer_vm(p, f);
	struct vmm_exit ex;
	enum vmm_exit_reason r;
	char err[128], *got;
	uint64_t syncs = 0;

	cr_assert_eq(vmm_dirtylog_start(vm, err, sizeof err), 0);
	do {
		vmm_set_budget(vm, 7919);
		r = vmm_run(vm, &ex);
		if (r == VMM_EXIT_BUDGET)
			syncs += vmm_dirtylog_sync(vm, NULL) > 0;
	} while (r == VMM_EXIT_BUDGET);
	cr_assert_eq(r, VMM_EXIT_POWEROFF);
	cr_assert_eq(vmm_ticks(vm), 3000304);
	cr_assert_gt(syncs, 300);
	cr_assert_eq(vmm_check(vm, err, sizeof err), 0, "%s", err);
	vmm_free(vm);
	got = text_of(f);
	cr_assert_str_eq(got, ref);
	free(got);
	free(ref);
	fclose(f);
}

Test(dirtylog, is_invisible_to_the_guest_flush)
{
	logging_is_invisible(VMM_SHADOW_FLUSH);
}

Test(dirtylog, is_invisible_to_the_guest_trace)
{
	logging_is_invisible(VMM_SHADOW_TRACE);
}

/* --- a channel in memory, a scripted destination ------------------------------ */

/* The destination's side of a channel: it answers each record the source
 * sends as vmlab listen would (its preamble after the source's, OKAY to
 * RSRV, RACK to ROND, ACK to STAT, OWN to CMIT), in version 'version', and
 * goes silent after 'answers' answers (the connection lost), or answers
 * the reservation with FAIL if 'refuse'. */
struct chan {
	uint8_t *out;		/* what the source wrote: the stream */
	size_t outlen, outcap;
	uint8_t in[4096];	/* answers not read yet */
	size_t inlen, inpos;
	uint32_t version;
	int answers;
	bool refuse;
};

static void queue(struct chan *c, const char *tag)
{
	uint8_t *p = c->in + c->inlen;

	if (c->answers-- <= 0 || c->inlen + 12 > sizeof c->in)
		return;
	memset(p, 0, 12);
	memcpy(p, tag, strlen(tag) < 12 ? strlen(tag) : 12);
	if (!strcmp(tag, "PG32MIGR"))
		p[8] = (uint8_t)c->version;
	c->inlen += 12;
}

static int ch_write(void *ctx, const void *p, size_t n)
{
	struct chan *c = ctx;
	static const char *const reply[][2] = {
		{ "PG32MIGR", "PG32MIGR" }, { "RSRV", "OKAY" }, { "ROND", "RACK" },
		{ "STAT", "ACK " }, { "CMIT", "OWN " },
	};

	if (c->outlen + n > c->outcap) {
		c->outcap = (c->outlen + n) * 2;
		c->out = realloc(c->out, c->outcap);
	}
	memcpy(c->out + c->outlen, p, n);
	c->outlen += n;
	for (unsigned i = 0; n == 12 && i < sizeof reply / sizeof reply[0]; i++)
		if (!memcmp(p, reply[i][0], strlen(reply[i][0])))
			queue(c, c->refuse && i == 1 ? "FAIL" : reply[i][1]);
	return 0;
}

static int ch_read(void *ctx, void *p, size_t n)
{
	struct chan *c = ctx;

	if (n > c->inlen - c->inpos)
		return -1;
	memcpy(p, c->in + c->inpos, n);
	c->inpos += n;
	return 0;
}

/* Migrate a writer VM at tick 'at' with bandwidth bw to a destination
 * that answers as *c says.  Returns the outcome; the stream in c->out. */
static enum mig_outcome migrate(struct vm *vm, uint64_t at, uint32_t bw, struct chan *c,
				struct mig_stats *st, char *err, size_t errsize)
{
	struct mig_io io = { .write = ch_write, .read = ch_read, .ctx = c };
	struct mig_params p = { .bw = bw, .end = UINT64_MAX, .name = "w" };
	struct vmm_exit ex;
	enum vmm_exit_reason r;

	if (!c->version)
		c->version = MIG_VERSION;
	vmm_set_budget(vm, at);
	cr_assert_eq(vmm_run(vm, &ex), VMM_EXIT_BUDGET);
	return vmm_migrate_out(vm, &io, &p, st, &r, &ex, err, errsize);
}

#define ANSWERS	1000

static void moves_tick_for_tick(enum vmm_shadow_policy p, uint32_t bw)
{
	char *ref = reference(p), *a, *b, err[256];
	FILE *fa = tmpfile(), *fb = tmpfile();
	struct vm *src = writer_vm(p, fa), *dst;
	struct vmm_config cfg = { .cons_in_fd = -1, .cons_out = fb, .shadow = p };
	struct mig_stats st;
	struct chan c = { .answers = ANSWERS };

	cr_assert_eq(migrate(src, 1000000, bw, &c, &st, err, sizeof err), MIG_MOVED, "%s", err);
	cr_assert_eq(c.inpos, c.inlen, "the source did not read every answer");
	if (bw)
		cr_assert_gt(st.rounds, 1, "a limited link makes several rounds");
	cr_assert_gt(st.round_pages[0], 0);
	cr_assert_not_null(st.rule);
	vmm_free(src);
	cr_assert_eq(vmm_migrate_in_mem(&cfg, c.out, c.outlen, &dst, err, sizeof err), 0, "%s",
		     err);
	cr_assert_eq(vmm_ticks(dst), st.stop_tick);
	cr_assert_eq(run_out(dst), 0);
	cr_assert_eq(vmm_ticks(dst), 3000304);
	vmm_free(dst);
	a = text_of(fa);
	b = text_of(fb);
	cr_assert_gt(strlen(a), 0);
	cr_assert_gt(strlen(b), 0);
	a = realloc(a, strlen(a) + strlen(b) + 1);
	strcat(a, b);
	cr_assert_str_eq(a, ref, "source part then destination part differ from the run that "
			 "never moved");
	free(a);
	free(b);
	free(ref);
	free(c.out);
	fclose(fa);
	fclose(fb);
}

Test(migrate, moves_tick_for_tick_unlimited_flush)
{
	moves_tick_for_tick(VMM_SHADOW_FLUSH, 0);
}

Test(migrate, moves_tick_for_tick_limited_trace)
{
	moves_tick_for_tick(VMM_SHADOW_TRACE, 8);
}

/* A recorded stream, for the refusal tests. */
static uint8_t *recorded(size_t *len)
{
	struct vm *src = writer_vm(VMM_SHADOW_FLUSH, NULL);
	struct mig_stats st;
	struct chan c = { .answers = ANSWERS };
	char err[256];

	cr_assert_eq(migrate(src, 500000, 16, &c, &st, err, sizeof err), MIG_MOVED, "%s", err);
	vmm_free(src);
	*len = c.outlen;
	return c.out;
}

static int receive(const uint8_t *p, size_t len, char *err, size_t errsize)
{
	struct vmm_config cfg = { .cons_in_fd = -1 };
	struct vm *vm = (struct vm *)1;
	int rc = vmm_migrate_in_mem(&cfg, p, len, &vm, err, errsize);

	if (rc == 0)
		vmm_free(vm);
	else
		cr_assert_null(vm, "a refused stream left a VM");
	return rc;
}

Test(migrate, truncated_streams_are_refused)
{
	size_t len, step;
	uint8_t *p = recorded(&len);
	char err[256];

	cr_assert_eq(receive(p, len, err, sizeof err), 0, "%s", err);
	step = len / 97;
	for (size_t cut = 0; cut < len; cut += cut < 64 || len - cut < 64 ? 1 : step) {
		cr_assert_eq(receive(p, cut, err, sizeof err), -1, "a stream cut at %zu of %zu "
			     "was taken", cut, len);
		cr_assert(strstr(err, "stream") || strstr(err, "source failed"), "cut at %zu: %s",
			  cut, err);
		cr_assert_null(strchr(err, '\n'));
	}
	free(p);
}

Test(migrate, damaged_streams_are_refused)
{
	size_t len, step;
	uint8_t *p = recorded(&len);
	char err[256];

	step = len / 211;
	for (size_t at = 0; at < len; at += at < 200 || len - at < 200 ? 1 : step) {
		p[at] ^= 0x5a;
		cr_assert_eq(receive(p, len, err, sizeof err), -1, "byte %zu of %zu flipped was "
			     "taken", at, len);
		p[at] ^= 0x5a;
	}
	free(p);
}

Test(migrate, wrong_version_and_magic_are_named)
{
	size_t len;
	uint8_t *p = recorded(&len);
	char err[256], want[96];

	p[8] = MIG_VERSION + 1;
	cr_assert_eq(receive(p, len, err, sizeof err), -1);
	snprintf(want, sizeof want, "migration stream version %u, this vmlab speaks version %u",
		 MIG_VERSION + 1, MIG_VERSION);
	cr_assert_str_eq(err, want);
	p[8] = MIG_VERSION;
	p[0] = 'X';
	cr_assert_eq(receive(p, len, err, sizeof err), -1);
	cr_assert_str_eq(err, "not a vmlab migration stream (bad magic)");
	free(p);
}

/* The source keeps the VM, unharmed, whatever the destination does before
 * OWN: the guest's whole transcript is the run that never moved. */
static void source_runs_on(struct chan c, const char *want)
{
	char *ref = reference(VMM_SHADOW_FLUSH), *got, err[256];
	FILE *f = tmpfile();
	struct vm *vm = writer_vm(VMM_SHADOW_FLUSH, f);
	struct mig_stats st;

	cr_assert_eq(migrate(vm, 1000000, 32, &c, &st, err, sizeof err), MIG_FAILED);
	cr_assert(strstr(err, want), "'%s' does not say '%s'", err, want);
	cr_assert(!vmm_dirtylog_on(vm));
	cr_assert_eq(run_out(vm), 0);
	cr_assert_eq(vmm_ticks(vm), 3000304);
	vmm_free(vm);
	got = text_of(f);
	cr_assert_str_eq(got, ref);
	free(got);
	free(ref);
	free(c.out);
	fclose(f);
}

Test(migrate, source_runs_on_when_the_destination_refuses)
{
	source_runs_on((struct chan){ .answers = ANSWERS, .refuse = true }, "refused");
}

Test(migrate, source_runs_on_when_the_destination_speaks_another_version)
{
	source_runs_on((struct chan){ .answers = ANSWERS, .version = 7 }, "version 7");
}

/* Silent after its preamble and OKAY (pre-copy), after a RACK, after ACK
 * (commitment), after... every answer but OWN (activation). */
Test(migrate, source_runs_on_when_the_destination_fails_before_it_owns_the_vm)
{
	source_runs_on((struct chan){ .answers = 2 }, "during the pre-copy");
	source_runs_on((struct chan){ .answers = 3 }, "during the pre-copy");
}

Test(migrate, source_runs_on_when_the_destination_fails_at_commitment)
{
	struct chan c = { .answers = ANSWERS, .version = MIG_VERSION };
	struct vm *vm = writer_vm(VMM_SHADOW_FLUSH, NULL);
	struct mig_stats st;
	char err[256];
	int n;

	/* how many answers a whole migration takes */
	cr_assert_eq(migrate(vm, 1000000, 32, &c, &st, err, sizeof err), MIG_MOVED, "%s", err);
	n = ANSWERS - c.answers;
	vmm_free(vm);
	free(c.out);
	source_runs_on((struct chan){ .answers = n - 1 }, "during the activation");
	source_runs_on((struct chan){ .answers = n - 2 }, "during the stop-and-copy");
}

/* The stop-and-copy stops the guest where a pre-copy step's budget ended:
 * here inside the probe's wfi (examples/probe.s), on the very tick its
 * first timer is due.  The destination goes on with that wfi's sleep
 * (STAT carries the cut, vm/hw/hw.h): the probe measures the 6 ticks of a
 * run that never moved, not an interrupt taken at the wfi. */
Test(migrate, a_guest_stopped_inside_wfi_wakes_there_as_if_it_never_moved)
{
	char *elf = vt_elf("examples/probe.s", NULL), *got, err[256];
	FILE *f = tmpfile();
	struct vmm_config cfg = { .cons_in_fd = -1, .cons_out = f, .shadow = VMM_SHADOW_TRACE };
	struct vm *src = vt_vm(elf, VMM_SHADOW_FLUSH, NULL), *dst;
	struct mig_stats st;
	struct chan c = { .answers = ANSWERS };

	cr_assert_eq(migrate(src, 8, 0, &c, &st, err, sizeof err), MIG_MOVED, "%s", err);
	cr_assert_eq(st.stop_tick, 10008, "stopped at %llu: not on the probe's first wake",
		     (unsigned long long)st.stop_tick);
	vmm_free(src);
	cr_assert_eq(vmm_migrate_in_mem(&cfg, c.out, c.outlen, &dst, err, sizeof err), 0, "%s",
		     err);
	cr_assert_eq(run_out(dst), 0);
	vmm_free(dst);
	got = text_of(f);
	cr_assert_str_eq(got, "probe: 100 wakes, delay mean 6 max 6 ticks\n");
	free(got);
	free(c.out);
	fclose(f);
	unlink(elf);
	free(elf);
}
