/*
 * target_vmm.h - inside the monitor's VMM backend, shared by target_vmm.c
 * (one VM, and every op that shows the current VM) and target_host.c (the
 * ops that differ for several VMs on one host).
 */
#ifndef MON_TARGET_VMM_H
#define MON_TARGET_VMM_H

#include "host.h"
#include "run.h"
#include "target.h"

struct vmmt {
	struct vm *vm;			/* the current VM */
	const struct tracer *sink;	/* the VMM reports to it directly */
	struct tracer insn;		/* the machine's insn events, relayed */
	/* Several VMs (tgt_open_host); h NULL for one VM (vmm_new). */
	struct host *h;
	struct mon_host_setup *setup;	/* to make the host again */
	unsigned cur;
	uint64_t budget;		/* host ticks per run; HW_NO_BUDGET */
};

#define VT(t)	((struct vmmt *)(t)->impl)
#define VM(t)	(VT(t)->vm)

/* A VMM target with nothing in it yet (NULL with "out of memory" in err);
 * vt_discard frees it before anything is. */
struct target *vt_alloc(char *err, size_t errsize);
void vt_discard(struct target *t);

/* A VMM exit as a stop of the target. */
enum tgt_stop vt_stop_info(enum vmm_exit_reason r, const struct vmm_exit *ex,
			   struct tgt_stop_info *si);
/* The machine's instruction events for the current VM (after a switch). */
void vt_install_insn(struct target *t);

/* target_host.c: the ops of a host. */
enum tgt_stop th_run(struct target *t, bool step, struct tgt_stop_info *si);
int th_load(struct target *t, char *err, size_t errsize);
int th_save(struct target *t, const char *path, char *err, size_t errsize);
int th_restore(struct target *t, const char *path, char *err, size_t errsize);
void th_print_stats(struct target *t, FILE *f);
void th_select(struct target *t, unsigned i);

#endif /* MON_TARGET_VMM_H */
