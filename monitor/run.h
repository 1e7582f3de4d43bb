/*
 * run.h - "vmlab run": run an executable and turn the way it ended into
 * the process's exit status (options.h).
 */
#ifndef MON_RUN_H
#define MON_RUN_H

#include "options.h"
#include "vmm.h"

/* Run o->image on the bare machine with the console on stdin/stdout.
 * Returns the exit status; every failure has printed one line on stderr. */
int mon_run_bare(const struct mon_run_opts *o);

/* The same under the VMM (vm/vmm), with its shadow policy and statistics. */
int mon_run_vmm(const struct mon_run_opts *o);

/* SIGINT, SIGTERM and SIGHUP end a run between slices (run.c): install
 * the handler; the signal caught so far (0: none); the message and status
 * of a run so ended (128 + the signal). */
void mon_catch_signals(void);
int mon_run_signal(void);
int mon_interrupted(uint32_t pc, uint64_t ticks);

/* Many VMs (--vm) on one machine under the VMM's host (vm/vmm/host.h). */
int mon_run_host(const struct mon_run_opts *o);

/* The exit status for a VM that stopped with reason r (ex): its power-off
 * code, or after one line on stderr ("vmlab: WHO why", WHO NULL for the
 * only VM) 124 or 126 (options.h). */
int mon_vmm_exit_status(const struct vmm_exit *ex, const char *who, uint64_t max_insns,
			enum vmm_exit_reason r);

#endif /* MON_RUN_H */
