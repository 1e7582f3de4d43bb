/*
 * run.h - "vmlab run": run an executable and turn the way it ended into
 * the process's exit status (options.h).
 */
#ifndef MON_RUN_H
#define MON_RUN_H

#include "options.h"

/* Run o->image on the bare machine with the console on stdin/stdout.
 * Returns the exit status; every failure has printed one line on stderr. */
int mon_run_bare(const struct mon_run_opts *o);

/* The same under the VMM (vm/vmm), with its shadow policy and statistics. */
int mon_run_vmm(const struct mon_run_opts *o);

#endif /* MON_RUN_H */
