/*
 * cmd_host.c - the shell's commands for several VMs on one host (vmlab
 * monitor --vm ...): vm (the current VM: the one the other commands show
 * and set points in), info vms, info sched.  With one VM they say so.
 */
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "shell.h"

static struct host *host_of(struct mon_shell *sh)
{
	return sh->t->ops->host_of ? sh->t->ops->host_of(sh->t) : NULL;
}

static int one_vm(struct mon_shell *sh, const char *cmd)
{
	return mon_error(sh, "%s: one guest here; several VMs come with 'vmlab monitor --vm "
			 "IMAGE --vm IMAGE ...'", cmd);
}

/* A VM by number or name: its number, or -1 after one error line. */
static int vm_arg(struct mon_shell *sh, struct host *h, const char *s)
{
	unsigned n = host_nvms(h);
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s && !*end && v < n)
		return (int)v;
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(s, host_vm_name(host_vm(h, i))))
			return (int)i;
	return mon_error(sh, "no VM '%s': give 0..%u or a name ('info vms' lists them)", s, n - 1);
}

/* How VM i is: its scheduler state, or how it stopped. */
static const char *vm_state(struct host *h, unsigned i)
{
	const struct vmm_exit *ex = host_vm_exit(h, i);
	struct host_vm_sched vs;

	switch (ex->reason) {
	case VMM_NEXIT:
		host_get_vm_sched(h, i, &vs);
		return vs.state;
	case VMM_EXIT_POWEROFF: return "poweroff";
	case VMM_EXIT_DOUBLE_FAULT: return "double-fault";
	case VMM_EXIT_DEADLOCK: return "deadlock";
	case VMM_EXIT_BUDGET: return "budget";
	default: return "failure";
	}
}

int cmd_vm(struct mon_shell *sh, int argc, char **argv)
{
	struct host *h = host_of(sh);
	struct target *t = sh->t;
	int i;

	if (!h)
		return one_vm(sh, "vm");
	if (argc > 1)
		return mon_error(sh, "usage: vm [N|NAME]");
	if (argc == 1) {
		if ((i = vm_arg(sh, h, argv[0])) < 0)
			return -1;
		mon_select(sh, (unsigned)i);
	}
	i = (int)tgt_current(t);
	fprintf(sh->out, "vm %d %s %s pc=0x%08x mode=%s ticks=%llu\n", i, mon_vm_label(sh, (unsigned)i),
		vm_state(h, (unsigned)i), t->ops->get_pc(t), t->ops->kernel(t) ? "K" : "U",
		(unsigned long long)t->ops->ticks(t));
	if (host_vm_exit(h, (unsigned)i)->reason == VMM_NEXIT)
		mon_print_where(sh, t->ops->get_pc(t));
	return 0;
}

int cmd_info_vms(struct mon_shell *sh, int argc, char **argv)
{
	struct host *h = host_of(sh);
	unsigned cur;

	(void)argv;
	if (!h)
		return one_vm(sh, "info vms");
	if (argc)
		return mon_error(sh, "usage: info vms");
	cur = tgt_current(sh->t);
	for (unsigned i = 0; i < host_nvms(h); i++) {
		struct vm *vm = host_vm(h, i);
		struct host_vm_stats hs;
		struct host_vm_sched vs;
		struct vmm_stats st;
		uint64_t exits = 0;
		int last;

		host_get_vm_stats(h, i, &hs);
		host_get_vm_sched(h, i, &vs);
		vmm_get_stats(vm, &st);
		for (unsigned c = 0; c < ISA_NCAUSE; c++)
			exits += st.exits[c];
		fprintf(sh->out, "%c %u %-8s %-12s ticks=%llu ran=%llu exits=%llu shadow=%u/%u "
			"weight=%u cap=%u credit=%lld out=%llu\n", i == cur ? '*' : ' ', i,
			host_vm_name(vm), vm_state(h, i), (unsigned long long)hs.ticks,
			(unsigned long long)hs.ran, (unsigned long long)exits, vs.shadow_used,
			vs.shadow_quota, vs.weight, vs.cap, (long long)vs.credit,
			(unsigned long long)vmm_cons_out(vm, &last));
	}
	return 0;
}

int cmd_info_sched(struct mon_shell *sh, int argc, char **argv)
{
	struct host *h = host_of(sh);
	struct host_sched_info si;
	struct host_stats st;
	unsigned ids[HOST_MAXVM], n;
	bool credit;

	(void)argv;
	if (!h)
		return one_vm(sh, "info sched");
	if (argc)
		return mon_error(sh, "usage: info sched");
	host_get_sched(h, &si);
	host_get_stats(h, &st);
	credit = si.cfg.sched == HOST_SCHED_CREDIT;
	fprintf(sh->out, "policy   %s\n", !credit ? "rr" : si.cfg.no_boost ? "credit, no boost"
						       : "credit, boost");
	fprintf(sh->out, "quantum  %llu\n", (unsigned long long)si.cfg.quantum);
	fprintf(sh->out, "time     %s, %s\n", si.cfg.time == HOST_TIME_REAL ? "real" : "virtual",
		si.cfg.idle_in_wfi ? "idle in wfi" : "work-conserving");
	fprintf(sh->out, "clock    %llu (idle %llu, turns %llu, switches %llu)\n",
		(unsigned long long)si.clock, (unsigned long long)st.idle,
		(unsigned long long)st.turns, (unsigned long long)st.switches);
	if (credit)
		fprintf(sh->out, "period   ends at %llu\n", (unsigned long long)si.period_end);
	if (si.turn_vm >= 0)
		fprintf(sh->out, "turn     %s, %llu ticks left\n",
			host_vm_name(host_vm(h, (unsigned)si.turn_vm)),
			(unsigned long long)si.turn_left);
	else
		fputs("turn     none\n", sh->out);
	n = host_runqueue(h, ids);
	fputs("queue   ", sh->out);
	for (unsigned i = 0; i < n; i++)
		fprintf(sh->out, " %s", host_vm_name(host_vm(h, ids[i])));
	fputs(n ? "\n" : " (empty)\n", sh->out);
	for (unsigned i = 0; i < host_nvms(h); i++) {
		struct host_vm_sched vs;

		host_get_vm_sched(h, i, &vs);
		fprintf(sh->out, "%-8s %s", host_vm_name(host_vm(h, i)), vm_state(h, i));
		if (credit)
			fprintf(sh->out, " credit=%lld weight=%u cap=%u%s", (long long)vs.credit,
				vs.weight, vs.cap, vs.boost ? " boost" : "");
		if (!strcmp(vs.state, "blocked") && host_vm_exit(h, i)->reason == VMM_NEXIT)
			fprintf(sh->out, " wakes=%llu", (unsigned long long)vs.wake_at);
		fputc('\n', sh->out);
	}
	return 0;
}
