/*
 * cmd_snap.c - the shell's encapsulation commands: savevm and loadvm (the
 * file format is vm/hw/snap.h's, the same as 'vmlab run --save-at/
 * --restore') and migrate (live migration, as 'vmlab run --migrate-to').
 */
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "shell.h"

int cmd_savevm(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	char err[512];

	if (argc != 1)
		return mon_error(sh, "usage: savevm FILE");
	if (t->ops->save(t, argv[0], err, sizeof err))
		return mon_error(sh, "%s", err);
	fprintf(sh->out, "saved %s at ticks=%llu\n", argv[0],
		(unsigned long long)t->ops->ticks(t));
	return 0;
}

int cmd_loadvm(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	char err[512];

	if (argc != 1)
		return mon_error(sh, "usage: loadvm FILE");
	if (t->ops->restore(t, &sh->cfg, argv[0], NULL, 0, err, sizeof err))
		return mon_error(sh, "%s", err);
	/* A new machine or VM: the shell's points and tracer go on it. */
	t->ops->set_tracer(t, &sh->sink.tr);
	mon_points_reapply(sh);
	sh->dead = false;
	mon_tt_reset(sh);
	mon_report(sh, "loadvm");
	return 0;
}

int cmd_migrate(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	struct mon_run_opts o = { 0 };
	struct vm *vm = t->ops->vm ? t->ops->vm(t) : NULL;
	struct vmm_exit ex;
	enum vmm_exit_reason r;
	char *end, why[200];

	if (argc < 1 || argc > 2)
		return mon_error(sh, "usage: migrate HOST:PORT [PAGES-PER-STEP]");
	if (mon_vm_label(sh, 0))	/* the host's other VMs would stay behind */
		return mon_error(sh, "migrate is for one VM, not --vm");
	if (!vm)
		return mon_error(sh, "migrate: live migration needs the VMM (its shadow tables "
				 "log the dirty pages); this is the bare machine");
	if (sh->dead)
		return mon_error(sh, "migrate: the guest has stopped: nothing to migrate");
	if (vmm_dirtylog_check(vm, why, sizeof why))	/* before the destination waits */
		return mon_error(sh, "migrate: %s", why);
	if (argc == 2) {
		unsigned long bw = strtoul(argv[1], &end, 0);

		if (*end || !bw || bw > (1u << 20))
			return mon_error(sh, "migrate: '%s' is not a number of pages from 1 to "
					 "1048576", argv[1]);
		o.migrate_bw = (uint32_t)bw;
	}
	switch (mon_migrate(vm, argv[0], &o, UINT64_MAX, &r, &ex)) {
	case MIG_MOVED:
		/* The destination runs it now: this one must never run again. */
		sh->dead = true;
		fprintf(sh->out, "migrated to %s: the guest runs there now\n", argv[0]);
		return 0;
	case MIG_GUEST_STOPPED:
		mon_tt_reset(sh);
		mon_report(sh, "migrate");
		return 0;
	default:	/* mon_migrate said why */
		mon_tt_reset(sh);
		return mon_error(sh, "migrate to %s failed; the guest runs on here", argv[0]);
	}
}

/* "dirty: N pages" and the pages' guest-physical addresses, runs of
 * consecutive pages as FIRST-LAST. */
static void print_dirty(FILE *f, const uint64_t *bits, uint32_t npages, uint32_t n)
{
	fprintf(f, "dirty: %u page%s", n, n == 1 ? "" : "s");
	for (uint32_t p = 0; p < npages; p++) {
		uint32_t q = p;

		if (!(bits[p / 64] >> (p % 64) & 1))
			continue;
		while (q + 1 < npages && bits[(q + 1) / 64] >> ((q + 1) % 64) & 1)
			q++;
		if (q == p)
			fprintf(f, " 0x%08x", p << 12);
		else
			fprintf(f, " 0x%08x-0x%08x", p << 12, q << 12);
		p = q;
	}
	fputc('\n', f);
}

int cmd_dirty(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	struct vm *vm = t->ops->vm ? t->ops->vm(t) : NULL;
	char err[256];

	if (argc != 1 || (strcmp(argv[0], "on") && strcmp(argv[0], "sync")
			  && strcmp(argv[0], "off")))
		return mon_error(sh, "usage: dirty on|sync|off");
	if (!vm)
		return mon_error(sh, "dirty: the dirty log is the VMM's (its shadow tables); this "
				 "is the bare machine");
	if (!strcmp(argv[0], "on")) {
		if (vmm_dirtylog_start(vm, err, sizeof err))
			return mon_error(sh, "dirty: %s", err);
		fprintf(sh->out, "dirty log on\n");
	} else if (!strcmp(argv[0], "off")) {
		vmm_dirtylog_stop(vm);
		fprintf(sh->out, "dirty log off\n");
	} else {
		uint32_t npages = vmm_guest_mem_size(vm) >> 12, n;
		uint64_t *bits = calloc(npages / 64 + 1, sizeof *bits);

		if (!vmm_dirtylog_on(vm)) {
			free(bits);
			return mon_error(sh, "dirty: the log is off ('dirty on')");
		}
		if (!bits)
			return mon_error(sh, "dirty: out of memory");
		n = vmm_dirtylog_sync(vm, bits);
		print_dirty(sh->out, bits, npages, n);
		free(bits);
	}
	return 0;
}
