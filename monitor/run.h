/*
 * run.h - "vmlab run": run an executable and turn the way it ended into
 * the process's exit status (options.h).
 */
#ifndef MON_RUN_H
#define MON_RUN_H

#include "host.h"
#include "options.h"
#include "vmm.h"

/* Run o->image on the bare machine with the console on stdin/stdout.
 * Returns the exit status; every failure has printed one line on stderr. */
int mon_run_bare(const struct mon_run_opts *o);

/* The same under the VMM (vm/vmm), with its shadow policy and statistics. */
int mon_run_vmm(const struct mon_run_opts *o);

/* The VMM's configuration for one image from the options (console on
 * stdin/stdout, the signals of mon_catch_signals stop it). */
struct vmm_config mon_vmm_config(const struct mon_run_opts *o);

/* Run vm (made by the caller: an image, a snapshot, a migration) to its
 * end as "vmlab run" does, with --save-at and --migrate-at; frees vm and
 * closes rt.  Returns the exit status. */
struct mon_runtrace;
int mon_run_vm(const struct mon_run_opts *o, struct vm *vm, struct mon_runtrace *rt);

/* Live migration (mignet.c, vm/vmm/migrate.h).  Migrate vm to "HOST:PORT"
 * over TCP, the guest running until the end tick 'end' at most; prints the
 * report (and any failure, one line) on stderr.  MIG_MOVED: the VM is the
 * destination's now; MIG_FAILED: it runs on here; MIG_GUEST_STOPPED: it
 * stopped (*r, *ex). */
#include "migrate.h"
enum mig_outcome mon_migrate(struct vm *vm, const char *to, const struct mon_run_opts *o,
			     uint64_t end, enum vmm_exit_reason *r, struct vmm_exit *ex);
/* Whether "HOST:PORT" names a destination (a host of fewer than
 * MON_HOST_MAX bytes, a port from 1 to 65535): 0, or -1 saying why in err. */
#define MON_HOST_MAX 256
int mon_check_hostport(const char *to, char *err, size_t errsize);
/* vmlab listen: receive one VM and run it (o from mon_parse_run). */
int mon_listen(const struct mon_run_opts *o);

/* SIGINT, SIGTERM and SIGHUP end a run between slices (run.c): install
 * the handler; the signal caught so far (0: none); the message and status
 * of a run so ended (128 + the signal). */
void mon_catch_signals(void);
int mon_run_signal(void);
int mon_interrupted(uint32_t pc, uint64_t ticks);

/* Many VMs (--vm) on one machine under the VMM's host (vm/vmm/host.h). */
int mon_run_host(const struct mon_run_opts *o);

/* The host of the --vm options, for 'vmlab run' and the monitor
 * (runhost.c): what host_new takes, each VM's console (--console-dir
 * DIR/NAME.out, or stdout with lines prefixed "NAME| ") and tracer (the
 * sink's, with "vm=NAME" in front of each event's text). */
struct mon_vm_tracer {
	struct tracer tr;
	const struct tracer *to;
	const char *name;
};
struct mon_host_setup {
	struct host_config hc;
	struct vmm_config vc[MON_MAXVM];
	struct host_vm_config hv[MON_MAXVM];
	struct mon_vm_tracer vt[MON_MAXVM];
	const char *image[MON_MAXVM];
	unsigned n;
};
/* Fill s from o: the trace sink tr (NULL: none), console input from
 * cons_in_fd for the VM that reads it (-1: none), a per-VM budget (0:
 * none).  0, or -1 after a line on stderr (a console file). */
int mon_host_setup(struct mon_host_setup *s, const struct mon_run_opts *o,
		   const struct tracer *tr, int cons_in_fd, uint64_t budget);
/* Close the consoles (after the host is freed). */
void mon_host_setup_close(struct mon_host_setup *s);
/* The host of s: a fresh one with each image loaded, or one restored from
 * the snapshot file 'restore' or the state in memory (state, len).  0, or
 * -1 with one line in err. */
int mon_host_make(struct mon_host_setup *s, const char *restore, const uint8_t *state,
		  size_t len, struct host **out, char *err, size_t errsize);

/* --stats of a host: the scheduler's lines, then each VM's prefixed NAME_. */
void mon_host_print_stats(struct host *h, FILE *f);

/* --save-at T FILE: a T the run starts after, and a T it never reached,
 * are errors (one line on stderr, -1). */
int mon_check_save_at(const struct mon_run_opts *o, uint64_t start);
int mon_check_saved(const struct mon_run_opts *o, bool saved, uint64_t now);
/* Runs go in slices of this many ticks and look for a signal between. */
#define MON_RUN_SLICE	(1u << 22)

/* The exit status for a VM that stopped with reason r (ex): its power-off
 * code, or after one line on stderr ("vmlab: WHO why", WHO NULL for the
 * only VM) 124 or 126 (options.h). */
int mon_vmm_exit_status(const struct vmm_exit *ex, const char *who, uint64_t max_insns,
			enum vmm_exit_reason r);

#endif /* MON_RUN_H */
