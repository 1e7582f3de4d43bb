/*
 * target_host.c - the monitor's backend for several VMs on one host
 * (vmlab monitor --vm ...; vm/vmm/host.h).  The ops that show a guest show
 * the current VM (target_vmm.c's, on VM(t)); a run runs the whole host as
 * its scheduler decides (host_run_until), and the VM that stopped becomes
 * the current one.  Breakpoints, watchpoints and stop-on causes are each
 * VM's own: the shell selects a VM before setting them.
 */
#include <stdlib.h>
#include <string.h>

#include "target_vmm.h"

/* Put VM i on the machine, so that the vmm_* accessors see it (a look,
 * not a scheduler's switch: the run does not change). */
void th_select(struct target *t, unsigned i)
{
	struct vmmt *v = VT(t);
	const char *img = v->setup->image[i];

	v->cur = i;
	v->vm = host_vm(v->h, i);
	host_select(v->vm);
	vt_install_insn(t);
	if (!t->image || strcmp(t->image, img)) {	/* its symbols */
		t->image = img;
		tgt_read_symbols(t, img);
	}
}

static bool others_run(struct host *h, unsigned except)
{
	for (unsigned i = 0; i < host_nvms(h); i++)
		if (i != except && host_vm_exit(h, i)->reason == VMM_NEXIT)
			return true;
	return false;
}

enum tgt_stop th_run(struct target *t, bool step, struct tgt_stop_info *si)
{
	struct vmmt *v = VT(t);
	struct vmm_exit ex = { 0 };
	uint64_t now = host_clock(v->h);
	uint64_t until = v->budget == HW_NO_BUDGET || now + v->budget < now ? HW_NO_BUDGET
									       : now + v->budget;
	unsigned who = v->cur;
	enum vmm_exit_reason r = host_run_until(v->h, step, until, &who, &ex);

	th_select(t, who);
	if (r == VMM_NEXIT) {		/* nothing left to run */
		memset(si, 0, sizeof *si);
		si->reason = TGT_FAILURE;
		si->message = "every VM has stopped";
	} else if (r == VMM_EXIT_BUDGET && host_vm_exit(v->h, who)->reason != VMM_NEXIT) {
		vt_stop_info(VMM_EXIT_FAILURE, host_vm_exit(v->h, who), si);	/* stuck */
	} else {
		vt_stop_info(r, &ex, si);
	}
	si->pc = vmm_get_pc(v->vm);
	si->vm = who;
	si->others = others_run(v->h, who);
	return si->reason;
}

/* Replace the host by h (made from the setup), keeping the current VM's
 * number. */
static void replace(struct target *t, struct host *h)
{
	struct vmmt *v = VT(t);

	host_free(v->h);
	v->h = h;
	th_select(t, v->cur < host_nvms(h) ? v->cur : 0);
}

int th_load(struct target *t, char *err, size_t errsize)
{
	struct host *h;

	if (mon_host_make(VT(t)->setup, NULL, NULL, 0, &h, err, errsize))
		return -1;
	replace(t, h);
	return 0;
}

int th_save(struct target *t, const char *path, char *err, size_t errsize)
{
	struct vmmt *v = VT(t);
	int rc = host_save(v->h, path, err, errsize);

	th_select(t, v->cur);	/* saving looked at every VM */
	return rc;
}

int th_restore(struct target *t, const char *path, char *err, size_t errsize)
{
	struct host *h;

	if (!path) {
		snprintf(err, errsize, "reverse execution is for one VM, not --vm");
		return -1;
	}
	if (mon_host_make(VT(t)->setup, path, NULL, 0, &h, err, errsize))
		return -1;
	replace(t, h);
	return 0;
}

void th_print_stats(struct target *t, FILE *f)
{
	mon_host_print_stats(VT(t)->h, f);
}

int tgt_open_host(struct mon_host_setup *s, const struct tracer *sink, struct target **out,
		  char *err, size_t errsize)
{
	struct target *t = vt_alloc(err, errsize);

	*out = NULL;
	if (!t)
		return -1;
	if (mon_host_make(s, NULL, NULL, 0, &VT(t)->h, err, errsize)) {
		vt_discard(t);
		return -1;
	}
	VT(t)->setup = s;
	VT(t)->sink = sink;
	th_select(t, 0);
	*out = t;
	return 0;
}

unsigned tgt_nvms(const struct target *t)
{
	struct host *h = t->ops->host_of ? t->ops->host_of(t) : NULL;

	return h ? host_nvms(h) : 1;
}

unsigned tgt_current(const struct target *t)
{
	return t->ops->current && t->ops->host_of ? t->ops->current(t) : 0;
}
