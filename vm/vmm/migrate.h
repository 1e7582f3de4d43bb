/*
 * migrate.h - live migration of a VM to another vmlab process, after Clark
 * et al., "Live Migration of Virtual Machines" (NSDI 2005): reservation,
 * iterative pre-copy while the guest runs (dirty pages found by the dirty
 * log, dirtylog.c), stop-and-copy of the last dirty pages with the CPU and
 * device state, commitment, activation.  The stream's records are
 * described in MIGRATION.md beside this file.
 *
 * The VMM knows no sockets: both sides move bytes through a struct mig_io
 * (vmlab gives a TCP connection, monitor/mignet.c; the tests a pipe).
 *
 * Time: the pre-copy is deterministic in guest ticks.  The link sends
 * 'bw' pages per MIG_STEP_TICKS guest ticks (0: unlimited: a whole round at
 * once, then MIG_STEP_TICKS ticks); between sends the guest runs.  So the
 * rounds, the pages of each and the stop rule that ended them depend on
 * the guest and the options alone, never on the host's speed; host times
 * are measured and reported only.
 */
#ifndef VMM_MIGRATE_H
#define VMM_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm.h"

#define MIG_VERSION	2u	/* MIGRATION.md "The stream": versions */
#define MIG_STEP_TICKS	10000u		/* guest ticks per link step */
#define MIG_MAX_ROUNDS	30u		/* the round limit, at most */
#define MIG_STOP_PAGES	16u		/* a dirty set this small is sent stopped */

/* The stages, for messages and for the tests' fault injection. */
enum mig_stage {
	MIG_RESERVE = 1,	/* the destination reserves a VM */
	MIG_PRECOPY,		/* rounds of pages while the guest runs */
	MIG_STOPCOPY,		/* the guest stopped: last pages, CPU, devices */
	MIG_COMMIT,		/* the source gives the VM up (CMIT) */
	MIG_ACTIVATE,		/* committed: the destination owns the VM */
	MIG_NSTAGE
};
const char *mig_stage_name(enum mig_stage s);

/* A byte channel.  write: all n bytes, 0 or -1.  read: exactly n bytes,
 * 0; -1 if the stream ended or failed first.  stage (may be NULL): called
 * as each stage begins on this side (the tests kill a side there).  On
 * -1, why (if not NULL) says what happened ("connection reset by peer"). */
struct mig_io {
	int (*write)(void *ctx, const void *p, size_t n);
	int (*read)(void *ctx, void *p, size_t n);
	void (*stage)(void *ctx, enum mig_stage s);
	const char *(*why)(void *ctx);
	void *ctx;
};

struct mig_params {
	uint32_t bw;		/* pages per MIG_STEP_TICKS, 0: unlimited */
	uint32_t max_rounds;	/* 0: MIG_MAX_ROUNDS */
	uint32_t stop_pages;	/* 0: MIG_STOP_PAGES */
	uint64_t end;		/* the run's last guest tick (its budget);
				 * UINT64_MAX: none */
	const char *name;	/* the VM's name, for the destination */
};

/* What a migration did (each side fills what it knows). */
struct mig_stats {
	unsigned rounds;			/* pre-copy rounds sent */
	uint32_t round_pages[MIG_MAX_ROUNDS];	/* pages sent in each */
	uint32_t stop_pages;			/* pages sent while stopped */
	uint64_t pages;				/* all pages sent */
	uint64_t bytes;				/* the stream's length */
	uint64_t start_tick, stop_tick;		/* guest ticks: began, stopped */
	const char *rule;			/* the stop rule that ended the
						 * pre-copy (NULL: none) */
	double total_ms, down_ms;		/* host time: all; stopped */
	char name[32];				/* destination: the VM's name */
};

enum mig_outcome {
	MIG_MOVED,		/* committed: the destination owns the VM; it
				 * must not run here again */
	MIG_FAILED,		/* err says why; the VM runs on here, as if
				 * the migration had never begun */
	MIG_GUEST_STOPPED,	/* the guest stopped (power off, budget...)
				 * during pre-copy: *r and *ex say how; the
				 * migration was abandoned */
};

/* Migrate vm out through io (the source).  Runs the guest between the
 * pre-copy's sends, in steps of MIG_STEP_TICKS.  Never leaves the dirty
 * log on. */
enum mig_outcome vmm_migrate_out(struct vm *vm, const struct mig_io *io,
				 const struct mig_params *p, struct mig_stats *st,
				 enum vmm_exit_reason *r, struct vmm_exit *ex, char *err,
				 size_t errsize);

/* Receive a VM through io (the destination): cfg gives the devices (the
 * disk, the console), the shadow policy; the stream gives the memory
 * size, the ISA variant and --pv.  0 and *out (committed: run it), or -1
 * with one line in err and no VM: whatever was received is discarded and
 * cfg's disk is untouched. */
int vmm_migrate_in(const struct vmm_config *cfg, const struct mig_io *io, struct vm **out,
		   struct mig_stats *st, char *err, size_t errsize);

/* A receiver's view of a recorded stream, for tests and fuzzing: replies
 * are discarded.  As vmm_migrate_in. */
int vmm_migrate_in_mem(const struct vmm_config *cfg, const uint8_t *stream, size_t len,
		       struct vm **out, char *err, size_t errsize);

#endif /* VMM_MIGRATE_H */
